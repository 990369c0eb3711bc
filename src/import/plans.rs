//! `tend import goals` and `tend import milestones`: what `tend export goals|milestones` writes.
//!
//! Goals come one row per status a goal has had (the first row sets it); a goal is keyed on its
//! account and words. Milestones are keyed on account, journey and name. Both are idempotent.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::table::{Source, Table, open_table};
use super::values::{DateOrder, DateSurvey, parse_date};
use super::{
    AccountIndex, ImportError, ImportOptions, ImportReport, Problem, checked, reject, rejected_misshapen, save_rejects,
};
use crate::book::storage::{Book, BookRead};
use crate::domain::goal::{GoalStatus, OwnerSide};
use crate::store::{NewGoal, NewMilestone};

/// The file's date order, decided from its date columns, and the book's accounts.
pub(super) struct Context {
    pub(super) order: DateOrder,
    /// What the file's dates told of their order, for the report (`ImportReport::dates`).
    pub(super) dates: super::values::DatesRead,
    pub(super) accounts: AccountIndex,
}

impl Context {
    pub(super) fn new(
        book: &dyn BookRead,
        table: &Table,
        dates: &[&str],
        configured: DateOrder,
    ) -> Result<Self, ImportError> {
        let mut survey = DateSurvey::default();
        let cols: Vec<usize> = dates.iter().filter_map(|d| table.column(&[d])).collect();
        table.for_each_row(|line, row| {
            // A row of another width has no values to tell apart (the checking pass names it).
            if table.misshapen(line, row).is_none() {
                cols.iter().for_each(|&c| survey.see(table.cell(row, c), line, &table.headers[c]))
            }
        })?;
        let order = survey.decide_for(&table.source, configured)?;
        Ok(Context { order, dates: survey.read(), accounts: AccountIndex::from_book(book)? })
    }
}

/// Rows naming an account the reader may not write on (a team book's CSM on another's), kept
/// until it is known whether they change anything: one that changes nothing is counted unchanged
/// (a CSM's export of the team's contacts, tasks or milestones, imported back, as logs are), one
/// that would is a bad row, named as it was before.
#[derive(Default)]
pub(super) struct NotYours {
    /// By the index of the plan: the problem of each of its rows, and the row as a rejects file
    /// writes it.
    rows: HashMap<usize, Vec<(Problem, Rejected)>>,
}

/// A row as a rejects file writes it: its fields, and why.
type Rejected = (Vec<String>, String);

/// A row's cell of a file: the table, the row's line, the column, the row.
pub(super) type Cell<'t> = (&'t Table, u64, usize, &'t csv::StringRecord);

impl NotYours {
    /// The account a row's cell names (None, and a problem, if none), and why the reader may not
    /// write on it, if so.
    pub(super) fn account(
        accounts: &AccountIndex,
        problems: &mut Vec<Problem>,
        (table, line, col, row): Cell<'_>,
    ) -> (Option<i64>, Option<String>) {
        match accounts.known(table.cell(row, col)) {
            Ok(id) => (Some(id), accounts.not_yours(id)),
            Err(why) => {
                bad(problems, table, line, col, row, &why);
                (None, None)
            }
        }
    }

    /// A row of the plan of index `index` names another's account (`why`): kept until it is
    /// known whether the plan writes.
    pub(super) fn note(&mut self, index: usize, why: String, (table, line, col, row): Cell<'_>) {
        let problem =
            Problem { line, column: table.headers[col].clone(), value: table.cell(row, col).to_string(), reason: why };
        let rejected = reject(row, std::slice::from_ref(&problem));
        self.rows.entry(index).or_default().push((problem, rejected));
    }

    /// The plan of index `index` would write: refused, if its account is not the reader's.
    pub(super) fn refused(&mut self, index: usize, problems: &mut Vec<Problem>, rejected: &mut Vec<Rejected>) -> bool {
        let Some(rows) = self.rows.remove(&index) else { return false };
        for (problem, row) in rows {
            problems.push(problem);
            rejected.push(row);
        }
        true
    }

    /// The plans matched: a file with rows refused is refused whole (unless bad rows are
    /// skipped), as any bad row refuses it; the report counts them.
    pub(super) fn finish(
        problems: &mut [Problem],
        rejected: usize,
        report: &mut ImportReport,
        opts: &ImportOptions,
    ) -> Result<(), ImportError> {
        if report.rejected == rejected {
            return Ok(());
        }
        problems.sort_by_key(|p| p.line);
        if !opts.skip_bad_rows {
            return Err(super::rows_error(&report.source, problems));
        }
        report.rejected = rejected;
        report.first_problems = problems.iter().take(super::DRY_RUN_PROBLEMS).cloned().collect();
        Ok(())
    }
}

/// A column the file must have, named by its one header.
pub(super) fn require(table: &Table, header: &str) -> Result<usize, ImportError> {
    table.require(&format!("\"{header}\""), &[header])
}

/// An optional date column's cell: None for no column or an empty cell; a date that does not
/// parse is a problem of the row (and None).
pub(super) fn date_cell(
    problems: &mut Vec<Problem>,
    table: &Table,
    line: u64,
    col: Option<usize>,
    row: &csv::StringRecord,
    order: DateOrder,
) -> Option<NaiveDate> {
    let col = col?;
    let text = table.cell(row, col);
    if text.is_empty() {
        return None;
    }
    parse_date(text, order).map_err(|r| bad(problems, table, line, col, row, &r)).ok()
}

/// `date_cell` for a day something happened (a milestone done, a goal's status set, a task
/// closed): a day after `today` is a problem of the row, as `tend milestone done --date` refuses
/// it (a file's done day next month counted the milestone done a month early).
pub(super) fn past_date_cell(
    problems: &mut Vec<Problem>,
    (table, line, row): (&Table, u64, &csv::StringRecord),
    col: Option<usize>,
    order: DateOrder,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let day = date_cell(problems, table, line, col, row, order)?;
    happened(problems, (table, line, row), col.unwrap_or(0), day, today)
}

/// `day`, unless it is after `today`: then a problem of the row (`input::not_future`).
pub(super) fn happened(
    problems: &mut Vec<Problem>,
    (table, line, row): (&Table, u64, &csv::StringRecord),
    col: usize,
    day: NaiveDate,
    today: NaiveDate,
) -> Option<NaiveDate> {
    match crate::domain::input::not_future("date", day, today) {
        Ok(()) => Some(day),
        Err(e) => {
            bad(problems, table, line, col, row, &e.reason);
            None
        }
    }
}

/// The line a row with `key` first stood on, when an earlier row of the file had it (a row
/// repeated: an open task, a milestone); else None, and this line is the key's.
pub(super) fn repeated<K: std::hash::Hash + Eq>(first_lines: &mut HashMap<K, u64>, key: K, line: u64) -> Option<u64> {
    match first_lines.entry(key) {
        std::collections::hash_map::Entry::Occupied(first) => Some(*first.get()),
        std::collections::hash_map::Entry::Vacant(slot) => {
            slot.insert(line);
            None
        }
    }
}

pub(super) fn bad(
    problems: &mut Vec<Problem>,
    table: &Table,
    line: u64,
    col: usize,
    row: &csv::StringRecord,
    reason: &str,
) {
    problems.push(Problem {
        line,
        column: table.headers[col].clone(),
        value: table.cell(row, col).to_string(),
        reason: reason.to_string(),
    });
}

pub fn import_goals(
    book: &mut dyn Book,
    source: &Source,
    opts: &ImportOptions,
    configured: DateOrder,
) -> Result<ImportReport, ImportError> {
    let table = open_table(source)?;
    let c = Context::new(book, &table, &["date", "target"], configured)?;
    let [account, goal, status, date] = ["account", "goal", "status", "date"].map(|h| require(&table, h));
    let (account, goal, status, date) = (account?, goal?, status?, date?);
    let (measure, target, owner, note) =
        (table.column(&["measure"]), table.column(&["target"]), table.column(&["owner"]), table.column(&["note"]));
    // (account, words) -> (measure, target, owner, [(day, status, note)])
    type Plan = (String, Option<NaiveDate>, OwnerSide, Vec<(NaiveDate, GoalStatus, String)>);
    let mut goals: Vec<((i64, String), Plan)> = Vec::new();
    let mut index: HashMap<(i64, String), usize> = HashMap::new();
    let mut not_yours = NotYours::default();
    let mut problems = Vec::new();
    let mut rejected = Vec::new();
    table.for_each_row(|line, row| {
        if rejected_misshapen(&table, line, row, &mut problems, &mut rejected) {
            return;
        }
        let before = problems.len();
        let cell = |i: Option<usize>| i.map(|i| table.cell(row, i).to_string()).unwrap_or_default();
        let (id, theirs) = NotYours::account(&c.accounts, &mut problems, (&table, line, account, row));
        let words = table.cell(row, goal).to_string();
        if words.is_empty() {
            bad(&mut problems, &table, line, goal, row, "a goal needs its words");
        }
        let st = GoalStatus::from_key(table.cell(row, status));
        if st.is_none() {
            bad(
                &mut problems,
                &table,
                line,
                status,
                row,
                "not a status (on_track, at_risk, off_track, achieved, dropped)",
            );
        }
        let day = parse_date(table.cell(row, date), c.order)
            .map_err(|r| bad(&mut problems, &table, line, date, row, &r))
            .ok()
            .and_then(|day| happened(&mut problems, (&table, line, row), date, day, opts.today));
        let tgt = date_cell(&mut problems, &table, line, target, row, c.order);
        let own = match owner.map(|o| table.cell(row, o)).filter(|o| !o.is_empty()) {
            Some(o) => OwnerSide::from_key(o).or_else(|| {
                bad(&mut problems, &table, line, owner.unwrap_or(0), row, "not an owner side (customer, vendor)");
                None
            }),
            None => Some(OwnerSide::Customer),
        };
        if let (Some(id), Some(st), Some(day), Some(own), true) = (id, st, day, own, problems.len() == before) {
            let key = (id, words);
            let event = (day, st, cell(note));
            let at = match index.get(&key) {
                Some(&i) => {
                    goals[i].1.3.push(event);
                    i
                }
                None => {
                    index.insert(key.clone(), goals.len());
                    goals.push((key, (cell(measure), tgt, own, vec![event])));
                    goals.len() - 1
                }
            };
            if let Some(why) = theirs {
                not_yours.note(at, why, (&table, line, account, row));
            }
        }
        if problems.len() > before {
            rejected.push(reject(row, &problems[before..]));
        }
    })?;
    let mut report = checked("goals", &table.source, &problems, rejected.len(), opts)?;
    report.dates = c.dates.clone();
    report.named_loosely = c.accounts.named_loosely();
    // Match against the book: an existing goal gets only the status changes it lacks.
    let mut writes = Vec::new();
    let had = book.goals_of(&goals.iter().map(|((account_id, _), _)| *account_id).collect::<Vec<_>>())?;
    for (i, ((account_id, words), (measure, target, owner, mut events))) in goals.into_iter().enumerate() {
        events.sort_by_key(|e| e.0);
        let existing = had.get(&account_id).into_iter().flatten().find(|g| g.words == words);
        match existing {
            None if not_yours.refused(i, &mut problems, &mut rejected) => {}
            None => {
                report.new += 1;
                writes.push((
                    None,
                    NewGoal {
                        account_id,
                        csm_id: None,
                        words,
                        measure,
                        target_date: target,
                        owner,
                        status: events[0].1,
                        created_on: events[0].0,
                        note: events[0].2.clone(),
                    },
                    events,
                ));
            }
            Some(g) => {
                let missing: Vec<_> = events
                    .into_iter()
                    .filter(|(d, s, n)| !g.history.iter().any(|h| h.day == *d && h.status == *s && h.note == *n))
                    .collect();
                if missing.is_empty() {
                    report.unchanged += 1;
                } else if not_yours.refused(i, &mut problems, &mut rejected) {
                } else {
                    report.updated += 1;
                    writes.push((
                        Some(g.id),
                        NewGoal {
                            account_id,
                            csm_id: None,
                            words,
                            measure,
                            target_date: target,
                            owner,
                            status: g.status,
                            created_on: g.created_on,
                            note: String::new(),
                        },
                        missing,
                    ));
                }
            }
        }
    }
    NotYours::finish(&mut problems, rejected.len(), &mut report, opts)?;
    if opts.dry_run {
        return Ok(report);
    }
    book.transact(&mut |w| {
        let csms = w.account_csms(&writes.iter().map(|(_, g, _)| g.account_id).collect::<Vec<_>>())?;
        let mut new = Vec::new();
        for (existing, goal, events) in &writes {
            let csm = csms.get(&goal.account_id).copied().flatten();
            match existing {
                Some(id) => {
                    for (day, status, note) in events {
                        w.set_goal_status(*id, *status, *day, note, csm)?;
                    }
                }
                None => new.push((NewGoal { csm_id: csm, ..goal.clone() }, events[1..].to_vec())),
            }
        }
        // The new ones at once, in the file's order.
        w.insert_goals(&new)?;
        let touched: Vec<i64> = writes.iter().map(|(_, g, _)| g.account_id).collect();
        w.invalidate_snapshots_of(&touched)
    })?;
    save_rejects(&mut report, source, &table, &rejected, opts);
    Ok(report)
}

pub fn import_milestones(
    book: &mut dyn Book,
    source: &Source,
    opts: &ImportOptions,
    configured: DateOrder,
    templates: &[&str],
) -> Result<ImportReport, ImportError> {
    let table = open_table(source)?;
    let c = Context::new(book, &table, &["due", "done"], configured)?;
    let (account, journey, name, due) = (
        require(&table, "account")?,
        require(&table, "journey")?,
        require(&table, "milestone")?,
        require(&table, "due")?,
    );
    let (done, note) = (table.column(&["done"]), table.column(&["note"]));
    let mut problems = Vec::new();
    let mut rejected = Vec::new();
    let mut planned: Vec<NewMilestone> = Vec::new();
    let mut not_yours = NotYours::default();
    let mut first_lines: HashMap<(i64, String, String, NaiveDate), u64> = HashMap::new();
    table.for_each_row(|line, row| {
        if rejected_misshapen(&table, line, row, &mut problems, &mut rejected) {
            return;
        }
        let before = problems.len();
        let (id, theirs) = NotYours::account(&c.accounts, &mut problems, (&table, line, account, row));
        // Any journey name: a restored export may name journeys whose template is gone.
        let j = Some(table.cell(row, journey).trim().to_string()).filter(|j| !j.is_empty());
        if j.is_none() {
            bad(&mut problems, &table, line, journey, row, "a milestone needs its journey's name");
        }
        let n = table.cell(row, name).to_string();
        if n.is_empty() {
            bad(&mut problems, &table, line, name, row, "a milestone needs a name");
        }
        let d =
            parse_date(table.cell(row, due), c.order).map_err(|r| bad(&mut problems, &table, line, due, row, &r)).ok();
        let finished = past_date_cell(&mut problems, (&table, line, row), done, c.order, opts.today);
        // A row repeated in a file (account, journey, milestone and due day) planned the
        // milestone twice, where `tend milestone add` refuses a second; as a tasks file's.
        if let (Some(id), Some(j), Some(d), false) = (id, &j, d, n.is_empty())
            && let Some(first) = repeated(&mut first_lines, (id, j.clone(), n.clone(), d), line)
        {
            let why = format!("the milestone of line {first} again (account, journey, name and due day)");
            bad(&mut problems, &table, line, name, row, &why);
        }
        if let (Some(id), Some(j), Some(d), true) = (id, j, d, problems.len() == before) {
            let note = note.map(|i| table.cell(row, i).to_string()).unwrap_or_default();
            if let Some(why) = theirs {
                not_yours.note(planned.len(), why, (&table, line, account, row));
            }
            planned.push(NewMilestone {
                account_id: id,
                csm_id: None,
                journey: j,
                name: n,
                due: d,
                done: finished,
                note,
            });
        }
        if problems.len() > before {
            rejected.push(reject(row, &problems[before..]));
        }
    })?;
    let mut report = checked("milestones", &table.source, &problems, rejected.len(), opts)?;
    report.dates = c.dates.clone();
    report.named_loosely = c.accounts.named_loosely();
    // A row is the book's milestone of its account, journey and name; of several by that name
    // (a journey planned twice, an undone delete), the one due that day, else the only one left
    // unmatched. Matched in two passes so one row never takes another's milestone.
    let mut existing = Vec::with_capacity(planned.len());
    let mut claimed = std::collections::HashSet::new();
    let had = book.milestones_of(&planned.iter().map(|m| m.account_id).collect::<Vec<_>>())?;
    for m in &planned {
        let same = had.get(&m.account_id).into_iter().flatten().filter(|x| x.journey == m.journey && x.name == m.name);
        let same: Vec<_> = same.cloned().collect();
        let exact = same.iter().find(|x| x.due == m.due && !claimed.contains(&x.id)).cloned();
        if let Some(x) = &exact {
            claimed.insert(x.id);
        }
        existing.push((exact, same));
    }
    let mut writes = Vec::new();
    for (i, (m, (exact, same))) in planned.into_iter().zip(existing).enumerate() {
        let existing = exact.or_else(|| {
            let mut left = same.into_iter().filter(|x| !claimed.contains(&x.id));
            let only = left.next().filter(|_| left.next().is_none())?;
            claimed.insert(only.id);
            Some(only)
        });
        match existing {
            Some(x) if x.due == m.due && x.done == m.done && x.note == m.note => report.unchanged += 1,
            _ if not_yours.refused(i, &mut problems, &mut rejected) => {}
            None => {
                report.new += 1;
                // A journey neither the config nor the file's accounts have: most likely a typo.
                let known =
                    templates.contains(&m.journey.as_str()) || had.values().flatten().any(|x| x.journey == m.journey);
                if !known {
                    let (count, journeys) = &mut report.unknown_journeys;
                    *count += 1;
                    let said = format!("\"{}\"", crate::text::clean(&m.journey));
                    if journeys.len() < 5 && !journeys.iter().any(|j| j.starts_with(&said)) {
                        let near = crate::text::closest(&m.journey, templates.iter().copied(), 0.75);
                        let hint = near.first().map(|n| format!(": did you mean {n}?")).unwrap_or_default();
                        journeys.push(format!("{said}{hint}"));
                    }
                }
                writes.push((None, m));
            }
            Some(x) => {
                report.updated += 1;
                writes.push((Some(x.id), m));
            }
        }
    }
    NotYours::finish(&mut problems, rejected.len(), &mut report, opts)?;
    if opts.dry_run {
        return Ok(report);
    }
    book.transact(&mut |w| {
        let new_on: Vec<i64> = writes.iter().filter(|(id, _)| id.is_none()).map(|(_, m)| m.account_id).collect();
        let csms = w.account_csms(&new_on)?;
        let mut new = Vec::new();
        for (existing, m) in &writes {
            match existing {
                Some(id) => w.update_milestone(*id, m)?,
                None => new.push(NewMilestone { csm_id: csms.get(&m.account_id).copied().flatten(), ..m.clone() }),
            }
        }
        // The new ones at once, in the file's order.
        w.insert_milestones(&new)?;
        let touched: Vec<i64> = writes.iter().map(|(_, m)| m.account_id).collect();
        w.invalidate_snapshots_of(&touched)
    })?;
    save_rejects(&mut report, source, &table, &rejected, opts);
    Ok(report)
}
