//! Running the config's playbooks: for each account whose trigger holds and has no episode open,
//! open the playbook's tasks (signed "playbook NAME") and an episode; close the episodes whose
//! trigger no longer holds. After one write for that account (its tasks undone with the write),
//! or over the whole book (an import, `tend snapshot`, opening the TUI).

use std::collections::HashSet;

use chrono::{Duration, NaiveDate};

use super::PortfolioRow;
use super::log::Recorder;
use super::storage::{Book, BookError};
use super::triage::TriageBook;
use crate::config::Config;
use crate::domain::AccountStatus;
use crate::domain::playbook::{Playbook, TriggerFacts};
use crate::domain::task::TaskStatus;
use crate::store::log::{ChangeAction, Entity};
use crate::store::{NewTask, Result, Store};

/// A playbook that fired for an account: its tasks were opened.
#[derive(Clone, Debug, PartialEq)]
pub struct Fired {
    pub account_id: i64,
    pub account: String,
    pub playbook: String,
    pub tasks: usize,
    /// The trigger in words ("a risk flag open").
    pub why: String,
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlaybookRun {
    pub fired: Vec<Fired>,
    /// Episodes closed because their trigger stopped holding.
    pub ended: usize,
}

impl PlaybookRun {
    /// "playbook Red rescue opened 2 tasks" for one account; a count for many.
    pub fn describe(&self) -> Option<String> {
        let tasks: usize = self.fired.iter().map(|f| f.tasks).sum();
        let s = |n: usize| if n == 1 { "" } else { "s" };
        match self.fired.as_slice() {
            [] => None,
            [one] => {
                Some(format!("playbook \"{}\" opened {} task{} ({})", one.playbook, one.tasks, s(one.tasks), one.why))
            }
            many => {
                let accounts: HashSet<i64> = many.iter().map(|f| f.account_id).collect();
                Some(format!(
                    "playbooks opened {tasks} task{} on {} account{}",
                    s(tasks),
                    accounts.len(),
                    s(accounts.len())
                ))
            }
        }
    }

    /// `describe` after a write, or, on a day still to come, that the playbooks open nothing for
    /// it (`preview_note`): said wherever a write is (the screens said nothing, and a probe's
    /// playbook "did not fire").
    pub fn after_write_note(&self, config: &Config, today: NaiveDate) -> Option<String> {
        self.describe().or_else(|| preview_note(config, today))
    }

    /// As `describe`, naming the account when one fired (a run over the whole book).
    pub fn describe_in_book(&self) -> Option<String> {
        match self.fired.as_slice() {
            [one] => self.describe().map(|d| format!("{}: {d}", crate::text::clean(&one.account))),
            _ => self.describe(),
        }
    }
}

/// Where a run reads each account's score changes over the windows back.
pub enum Changes {
    /// The history kept in the book (a run over the whole book, read with it).
    Kept,
    /// Worked out from the account's facts (one account, just written: the history kept for
    /// the days back may predate a change of the rules, or be missing).
    Worked(Vec<(i64, i32)>),
}

/// What the triggers read of one account.
fn trigger_facts(
    config: &Config,
    row: &PortfolioRow,
    triage: &TriageBook,
    changes: &Changes,
    stages: &Stages,
    today: NaiveDate,
) -> TriggerFacts {
    let catalog = &config.health.catalog;
    TriggerFacts {
        band: row.band,
        changes: match changes {
            Changes::Kept => triage.changes(config, row.id),
            Changes::Worked(worked) => worked.clone(),
        },
        days_to_renewal: row.days_to_renewal(today),
        open_risks: triage.open_risks_of(row.id),
        days_since_touch: row.days_since_touch,
        cadence: config.triage.cadence_for(&row.segment),
        lowest: catalog
            .ids()
            .filter(|id| row.lowest_mask & (1 << id.index()) != 0)
            .map(|id| catalog.key(id).to_string())
            .collect(),
        champions_left: triage.champions_left_of(row.id),
        segment: row.segment.clone(),
        stage: stages.get(&row.id).copied(),
    }
}

/// The lifecycle stage of the accounts at a stage some playbook is scoped to (`stages`), read
/// when one is: the rows do not carry stages.
type Stages = std::collections::HashMap<i64, crate::domain::LifecycleStage>;

fn stages_asked(store: &Store, config: &Config, rows: &[PortfolioRow]) -> Result<Stages> {
    let mut asked: Vec<crate::domain::LifecycleStage> =
        config.playbooks.iter().flat_map(|p| p.stages.iter().copied()).collect();
    asked.sort_by_key(|s| s.key());
    asked.dedup();
    if asked.is_empty() {
        return Ok(Stages::new());
    }
    Ok(match rows {
        [one] => {
            let stage = store.account(one.id)?.stage;
            asked.contains(&stage).then_some((one.id, stage)).into_iter().collect()
        }
        _ => store.accounts_at_stages(&asked)?,
    })
}

/// A playbook's decision for one account: open its tasks, close its episode, or nothing.
enum Step<'a> {
    Open(&'a Playbook),
    End(&'a Playbook),
}

fn steps<'a>(
    config: &'a Config,
    row: &PortfolioRow,
    triage: &TriageBook,
    changes: &Changes,
    (open, stages): (&HashSet<(String, i64)>, &Stages),
    today: NaiveDate,
) -> Vec<Step<'a>> {
    // A churned account is nobody's next step.
    let facts =
        (row.status != AccountStatus::Churned).then(|| trigger_facts(config, row, triage, changes, stages, today));
    config
        .playbooks
        .iter()
        .filter_map(|p| {
            let fires = facts.as_ref().is_some_and(|f| p.fires(f));
            let episode = open.contains(&(p.name.clone(), row.id));
            match (fires, episode) {
                (true, false) => Some(Step::Open(p)),
                (false, true) => Some(Step::End(p)),
                _ => None,
            }
        })
        .collect()
}

/// Run every playbook over `rows`. Tasks opened are recorded for undo under `session`, each
/// firing its own change unless `batch` names one to join (the write that made it fire).
#[allow(clippy::too_many_arguments)]
pub fn run(
    store: &mut Store,
    config: &Config,
    rows: &[PortfolioRow],
    triage: &TriageBook,
    changes: &Changes,
    today: NaiveDate,
    session: &str,
    batch: Option<&str>,
) -> Result<PlaybookRun, BookError> {
    let Some(plan) = plan(store, config, rows, triage, changes, today)? else { return Ok(PlaybookRun::default()) };
    write(store, config, plan, today, session, batch, false)
}

/// `run` over rows read from `store` (a team book's snapshot), writing what fires to `book`
/// (that team book).
#[allow(clippy::too_many_arguments)]
pub fn run_into(
    store: &Store,
    book: &mut dyn Book,
    config: &Config,
    rows: &[PortfolioRow],
    triage: &TriageBook,
    changes: &Changes,
    today: NaiveDate,
    session: &str,
) -> Result<PlaybookRun, BookError> {
    let Some(plan) = plan(store, config, rows, triage, changes, today)? else { return Ok(PlaybookRun::default()) };
    write(book, config, plan, today, session, None, false)
}

/// What the playbooks will do: for each account, its steps, and the tasks (playbook, title) it
/// has open. None when nothing fires or ends.
struct Plan<'a> {
    work: Vec<(&'a PortfolioRow, Vec<Step<'a>>)>,
    still_open: std::collections::HashMap<i64, HashSet<(String, String)>>,
}

/// What is said where the playbooks would run on a day still to come (`--as-of` ahead): they
/// open nothing for it (a probe's playbooks fired on the real day and never on the one asked, and
/// nothing said why). None without playbooks, or on a day come.
pub fn preview_note(config: &Config, today: NaiveDate) -> Option<String> {
    (!config.playbooks.is_empty() && super::is_preview(today)).then(|| {
        format!("playbooks open nothing as of {today}, a day still to come on this machine's clock (a preview)")
    })
}

/// Work out what the playbooks do over `rows`, read from `store` (a book file, or a team book's
/// snapshot).
fn plan<'a>(
    store: &Store,
    config: &'a Config,
    rows: &'a [PortfolioRow],
    triage: &TriageBook,
    changes: &Changes,
    today: NaiveDate,
) -> Result<Option<Plan<'a>>> {
    // A day still to come is a preview (`--as-of`): nothing opens for it.
    if config.playbooks.is_empty() || super::is_preview(today) {
        return Ok(None);
    }
    let open = match rows {
        [one] => store.account_open_episodes(one.id)?,
        _ => store.open_episodes()?,
    };
    let stages = stages_asked(store, config, rows)?;
    let work: Vec<(&PortfolioRow, Vec<Step>)> = rows
        .iter()
        .map(|r| (r, steps(config, r, triage, changes, (&open, &stages), today)))
        .filter(|(_, s)| !s.is_empty())
        .collect();
    if work.is_empty() {
        return Ok(None);
    }
    // A new episode does not open a task again while the last one's is still open.
    let mut still_open: std::collections::HashMap<i64, HashSet<(String, String)>> = std::collections::HashMap::new();
    for (row, steps) in &work {
        let opens = steps.iter().any(|s| matches!(s, Step::Open(_)));
        let tasks = match opens {
            true => store.tasks(&crate::store::TaskFilter { account_id: Some(row.id), ..Default::default() })?,
            false => Vec::new(),
        };
        still_open.insert(row.id, tasks.into_iter().map(|t| (t.playbook, t.title.trim().to_string())).collect());
    }
    Ok(Some(Plan { work, still_open }))
}

/// Carry a plan out in one transaction of `book` (a book file, or the team book a snapshot was
/// read from).
fn write(
    book: &mut dyn Book,
    config: &Config,
    plan: Plan<'_>,
    today: NaiveDate,
    session: &str,
    batch: Option<&str>,
    resume: bool,
) -> Result<PlaybookRun, BookError> {
    let Plan { work, still_open } = plan;
    let mut run = PlaybookRun::default();
    book.transact(&mut |w| {
        run = PlaybookRun::default();
        for (row, steps) in &work {
            for step in steps {
                match step {
                    Step::End(p) => {
                        w.end_episode(&p.name, row.id, today)?;
                        run.ended += 1;
                    }
                    Step::Open(p) => {
                        // The same day's episode resumed (a write undone): its tasks were opened.
                        if w.start_episode(&p.name, row.id, today, resume)? {
                            continue;
                        }
                        let why = p.describe(&config.health.catalog);
                        let fresh = p
                            .tasks
                            .iter()
                            .filter(|t| !still_open[&row.id].contains(&(p.name.clone(), t.title.trim().to_string())))
                            .count();
                        let what = format!(
                            "playbook \"{}\" opened {fresh} task{} ({why})",
                            p.name,
                            if fresh == 1 { "" } else { "s" },
                        );
                        let rec = match batch {
                            Some(b) => Recorder::in_batch(session, b, &what),
                            None => Recorder::new(session, &what),
                        };
                        let owner = w.account_csm(row.id)?;
                        // Signed by the playbook, for the account's CSM.
                        w.set_signer(None);
                        let open = &still_open[&row.id];
                        let new: Vec<_> = p
                            .tasks
                            .iter()
                            .filter(|t| !open.contains(&(p.name.clone(), t.title.trim().to_string())))
                            .collect();
                        for t in &new {
                            let id = w.insert_task(&NewTask {
                                account_id: row.id,
                                owner_id: owner,
                                title: t.title.trim().to_string(),
                                due: due_day(p, t.due_days, row, today),
                                status: TaskStatus::Open,
                                closed_on: None,
                                note: t.note.trim().to_string(),
                                playbook: p.name.clone(),
                                created_on: today,
                            })?;
                            rec.record_in(w, Entity::Task, id, ChangeAction::Add, None, None)?;
                        }
                        if new.is_empty() {
                            continue;
                        }
                        run.fired.push(Fired {
                            account_id: row.id,
                            account: row.name.clone(),
                            playbook: p.name.clone(),
                            tasks: new.len(),
                            why,
                        });
                    }
                }
            }
        }
        Ok(())
    })?;
    Ok(run)
}

/// When a playbook's task is due: `due_days` after the trigger, moved off a weekend to the Monday,
/// and for a renewal no later than the day before it renews (and not before today).
fn due_day(p: &Playbook, due_days: i64, row: &PortfolioRow, today: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    let mut due = crate::domain::day_text::off_weekend(today + Duration::days(due_days));
    if p.trigger == crate::domain::playbook::TriggerKind::Renewal
        && let Some(renews) = row.renewal_date
        && due >= renews
    {
        // Before the renewal, on a weekday: back to the Friday when that falls on a weekend.
        due = renews - Duration::days(1);
        due -= Duration::days(match due.weekday() {
            chrono::Weekday::Sat => 1,
            chrono::Weekday::Sun => 2,
            _ => 0,
        });
        due = due.max(today);
    }
    due
}

/// Run the playbooks for one account after a write of `session` (its tasks join that write's
/// batch, so one undo takes back both). The account's history is brought up to date first.
pub fn after_write(
    store: &mut Store,
    config: &Config,
    session: &str,
    today: NaiveDate,
    outcome: &super::log::Outcome,
) -> Result<PlaybookRun, BookError> {
    after_write_to(store, None, config, session, today, outcome)
}

/// `after_write`, reading the account from `store` and writing what fires to `team` when given
/// (a team book whose snapshot `store` is, pulled after the write), else to `store`.
pub fn after_write_to(
    store: &mut Store,
    team: Option<&mut dyn Book>,
    config: &Config,
    session: &str,
    today: NaiveDate,
    outcome: &super::log::Outcome,
) -> Result<PlaybookRun, BookError> {
    let (account_id, undone) = (outcome.account_id, outcome.undone);
    if config.playbooks.is_empty() {
        return Ok(PlaybookRun::default());
    }
    let Some(mut row) = super::refresh_row(store, config, account_id, today)? else {
        return Ok(PlaybookRun::default());
    };
    let mut triage = TriageBook::empty(today);
    triage.refresh_account(store, config, account_id)?;
    triage.annotate_row(config, &mut row);
    // The falls a drop trigger reads, from the account's own facts (cheap for one account).
    let windows: Vec<i64> = config.playbooks.iter().filter_map(|p| p.window()).collect();
    let changes = match windows.iter().max() {
        Some(longest) => {
            let facts = store.account_facts(account_id, &config.health.catalog)?;
            let series = crate::domain::history::daily(&config.health, &facts, today - Duration::days(*longest), today);
            let on = |day: NaiveDate| series.iter().find(|(d, _, _)| *d == day).map(|(_, _, h)| h);
            let worked = windows
                .iter()
                .filter_map(|w| {
                    let change = crate::domain::history::like_for_like(
                        &config.health,
                        on(today - Duration::days(*w))?,
                        on(today)?,
                    )?;
                    Some((*w, change))
                })
                .collect();
            Changes::Worked(worked)
        }
        None => Changes::Kept,
    };
    let batch = store.last_batch(session)?;
    let rows = std::slice::from_ref(&row);
    let Some(plan) = plan(store, config, rows, &triage, &changes, today)? else { return Ok(PlaybookRun::default()) };
    match team {
        Some(team) => write(team, config, plan, today, session, batch.as_deref(), undone),
        None => write(store, config, plan, today, session, batch.as_deref(), undone),
    }
}

/// Run the playbooks over the whole book (after an import, in `tend snapshot`).
pub fn over_book(
    store: &mut Store,
    config: &Config,
    today: NaiveDate,
    session: &str,
) -> Result<PlaybookRun, BookError> {
    if config.playbooks.is_empty() {
        return Ok(PlaybookRun::default());
    }
    let (rows, triage) = super::load_book(store, config, today)?;
    run(store, config, &rows, &triage, &Changes::Kept, today, session, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::playbook::{PlaybookTask, TriggerKind};
    use crate::domain::{AccountStatus, HealthBand};

    fn playbook(trigger: TriggerKind) -> Playbook {
        Playbook {
            name: "p".into(),
            trigger,
            bands: Vec::new(),
            points: None,
            days: Some(30),
            factor: None,
            segments: Vec::new(),
            stages: Vec::new(),
            tasks: vec![PlaybookTask { title: "t".into(), due_days: 0, note: String::new() }],
        }
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_task_is_due_on_a_weekday_and_before_the_renewal() {
        let today = d("2026-12-01"); // a Tuesday
        let row = PortfolioRow {
            renewal_date: Some(d("2026-12-14")), // a Monday
            ..PortfolioRow::sample(1, "Deer", Some(HealthBand::Red), 1000.0, AccountStatus::Active)
        };
        let band = playbook(TriggerKind::Band);
        assert_eq!(due_day(&band, 4, &row, today), d("2026-12-07"), "Saturday moves to Monday");
        assert_eq!(due_day(&band, 5, &row, today), d("2026-12-07"), "Sunday moves to Monday");
        assert_eq!(due_day(&band, 2, &row, today), d("2026-12-03"));
        let renewal = playbook(TriggerKind::Renewal);
        // 20 days out is past the renewal: the day before it is a Sunday, so the Friday.
        assert_eq!(due_day(&renewal, 20, &row, today), d("2026-12-11"));
        assert_eq!(due_day(&renewal, 2, &row, today), d("2026-12-03"), "well before it: as asked");
        let tomorrow = PortfolioRow { renewal_date: Some(d("2026-12-02")), ..row };
        assert_eq!(due_day(&renewal, 5, &tomorrow, today), today, "never before today");
    }
}
