//! The Team view and one-on-one agendas: each CSM's book at a glance, and what a lead walks
//! through with one of them.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::PortfolioRow;
use super::grid;
use super::triage::TriageBook;
use crate::config::Config;
use crate::domain::triage::Reason;
use crate::domain::{AccountStatus, Cents, HealthBand};
use crate::store::contracts::ContractKind;
use crate::store::{Result, Store};

/// One CSM's line in the Team view.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CsmLine {
    pub csm: String,
    /// The line of the accounts without a CSM ("unassigned"): no CSM of the team.
    pub unassigned: bool,
    pub accounts: usize,
    pub arr: Cents,
    /// Average score of the accounts that have one.
    pub average_score: Option<f64>,
    /// Accounts per band: Green, Yellow, Orange, Red, no score.
    pub bands: [usize; 5],
    /// Accounts whose score fell by at least the triage drop over 30 days.
    pub movers_down: usize,
    pub overdue_milestones: u32,
    pub goals_off_track: u32,
    /// Late open tasks they own (on any account).
    pub tasks_late: u32,
    /// Accounts touched within their segment's cadence, and those with touches tracked at all.
    pub touched: usize,
    pub touch_tracked: usize,
}

impl CsmLine {
    /// Whether the average score is of fewer than half the CSM's accounts (the rest have no
    /// score): "94" over 2 of 43 accounts read as a healthy book.
    pub fn average_is_of_few(&self) -> bool {
        let scored = self.accounts - self.bands[4];
        self.average_score.is_some() && scored * 2 < self.accounts
    }

    /// Share of the CSM's accounts touched within cadence, in %; None while nothing is logged on
    /// any of them. Of all their accounts, not of those with a touch logged: one account touched
    /// of 49 is 2%, not 100%.
    pub fn touch_coverage(&self) -> Option<f64> {
        (self.touch_tracked > 0 && self.accounts > 0).then(|| self.touched as f64 / self.accounts as f64 * 100.0)
    }
}

/// One line per CSM (accounts without one under "unassigned"), by name; churned accounts left out.
/// A CSM who owns no account but late tasks has a line too: their accounts handed over, the tasks
/// they kept on others' accounts were late on no line of the view.
pub fn team(config: &Config, rows: &[PortfolioRow], triage: &TriageBook) -> Vec<CsmLine> {
    let mut by: BTreeMap<String, (CsmLine, f64, usize)> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.status != AccountStatus::Churned) {
        let name = if r.csm.is_empty() { "unassigned".to_string() } else { r.csm.to_string() };
        let (line, sum, scored) = by
            .entry(name.clone())
            .or_insert_with(|| (CsmLine { csm: name, unassigned: r.csm.is_empty(), ..Default::default() }, 0.0, 0));
        line.accounts += 1;
        line.arr.0 += r.arr.0;
        line.bands[grid::column_of(r.band)] += 1;
        if let Some(s) = r.score {
            *sum += f64::from(s);
            *scored += 1;
        }
        if r.deltas[1].is_some_and(|d| d <= -config.triage.drop_points) {
            line.movers_down += 1;
        }
        line.overdue_milestones += r.overdue_milestones;
        line.goals_off_track += triage.goals_off_track_of(r.id);
        if let Some(days) = r.days_since_touch {
            let cadence = config.triage.cadence_for(&r.segment);
            // No touch logged and tracked for less than the cadence: nothing known either way.
            if !(r.touch_at_least && days <= cadence) {
                line.touch_tracked += 1;
                if days <= cadence {
                    line.touched += 1;
                }
            }
        }
    }
    for csm in triage.late_task_owners() {
        if !by.contains_key(csm) {
            by.insert(csm.to_string(), (CsmLine { csm: csm.to_string(), ..Default::default() }, 0.0, 0));
        }
    }
    by.into_values()
        .map(|(mut line, sum, scored)| {
            line.average_score = (scored > 0).then(|| sum / scored as f64);
            // A task counts for whoever owns it, whoever's account it is on.
            line.tasks_late = triage.late_tasks_of(if line.unassigned { "" } else { &line.csm });
            line
        })
        .collect()
}

/// One item of a one-on-one agenda.
#[derive(Clone, Debug, PartialEq)]
pub struct AgendaItem {
    pub section: AgendaSection,
    pub account_id: i64,
    pub account: String,
    pub arr: Cents,
    /// The account's currency (a book may hold several).
    pub currency: std::sync::Arc<str>,
    pub band: Option<HealthBand>,
    pub score: Option<u8>,
    /// No score for too little evidence ("low data"), as the lists say, rather than none at all.
    pub low_data: bool,
    /// Scored from thin evidence: "~67", as the lists say.
    pub thin: bool,
    /// The band is capped below the score's (`PortfolioRow::capped`): "R 67 cap", as the lists say.
    pub capped: bool,
    /// The band in force is a CSM's override: "R* 54", as the lists say (a probe's agenda read
    /// "Green 15" for an account set Green by hand, with nothing to say so).
    pub overridden: bool,
    /// What to talk about, in words.
    pub what: String,
    /// How much the item needs the lead, which the first listed of a section are picked by: a
    /// section's own order (most need first) but for renewals, listed by day and kept by the ARR
    /// they put at stake soonest (a probe's $150k renewing in 2 days was cut for a $2,400 one 16
    /// days overdue).
    pub keep: f64,
}

/// An item's band reason as Triage spells it out, when that names what puts the account there.
fn band_spelled(
    store: &Store,
    config: &Config,
    triage: &TriageBook,
    item: &super::triage::TriageItem,
) -> Result<Option<String>> {
    let spelled = triage.explain(store, config, item)?;
    let catalog = &config.health.catalog;
    Ok(spelled.into_iter().find(|p| matches!(super::triage::band_phrase_parts(p, catalog), Some((_, Some(_))))))
}

/// The order a lead walks a one-on-one in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum AgendaSection {
    /// Accounts whose health fell, with the factor that moved.
    Movers,
    /// Accounts Red or Orange, or with no score and data at its worst, with what is at its worst.
    Trouble,
    /// Tasks late or due today, overdue milestones, goals off track, open risks, a touch past its
    /// cadence, data gone stale.
    Overdue,
    /// The CSM's open tasks due in the next `AGENDA_TASK_DAYS`: what they have promised this
    /// week (a lead's task for Wednesday, given on Monday, was on no line of Monday's agenda).
    DueSoon,
    /// Renewals due in the next 90 days, and those past their date not yet renewed or churned.
    Renewals,
    /// Renewed, churned or back as a customer in the last `AGENDA_CLOSED_DAYS`: what a lead asks
    /// about first, and was on no line (a probe's churn and two renewals, one with an uplift).
    Closed,
}

impl AgendaSection {
    pub fn title(self) -> &'static str {
        match self {
            AgendaSection::Movers => "Movers down",
            AgendaSection::Trouble => "Red and Orange, or no score and data at 1 point",
            AgendaSection::Overdue => "Overdue, off track or gone quiet",
            AgendaSection::DueSoon => "Tasks due in the next 7 days",
            AgendaSection::Renewals => "Renewals overdue or in the next 90 days",
            AgendaSection::Closed => "Renewed, churned or back in the last 7 days",
        }
    }

    /// The section in a few words, for a count of the items it leaves out.
    pub fn short(self) -> &'static str {
        match self {
            AgendaSection::Movers => "movers down",
            AgendaSection::Trouble => "Red, Orange or data at 1 point",
            AgendaSection::Overdue => "overdue, off track or gone quiet",
            AgendaSection::DueSoon => "accounts with tasks due soon",
            AgendaSection::Renewals => "renewals",
            AgendaSection::Closed => "renewed, churned or back",
        }
    }

    /// "3 more renewals", "1 more renewal": items of the section left out of a list.
    pub fn more(self, n: usize) -> String {
        match (self, n) {
            (AgendaSection::Renewals, 1) => "1 more renewal".to_string(),
            (AgendaSection::Movers, 1) => "1 more mover down".to_string(),
            _ => format!("{n} more {}", self.short()),
        }
    }
}

/// How far ahead a one-on-one walks through renewals (and back: `renewals::LONG_PAST_DAYS`).
pub const AGENDA_RENEWAL_DAYS: i64 = 90;

/// How far ahead a one-on-one lists the CSM's open tasks (`AgendaSection::DueSoon`).
pub const AGENDA_TASK_DAYS: i64 = 7;

/// How many items of each section a one-on-one walks through before it counts the rest: those
/// needing the lead most (`AgendaItem::keep`), as a lead has half an hour (a probe's agenda held
/// 75 items, two screens of them overdue). `A` on the screens and `--all` on the report list
/// every item.
pub const AGENDA_PER_SECTION: usize = 8;

/// How many days back (today included) a one-on-one lists the renewals, churns and returns.
pub const AGENDA_CLOSED_DAYS: i64 = 7;

/// The agenda as walked: every item with `all`, else the `AGENDA_PER_SECTION` of each section
/// that need the lead most, in the section's order; and how many items each section leaves out
/// (sections that leave none out are not named).
pub fn agenda_walked(items: &[AgendaItem], all: bool) -> (Vec<&AgendaItem>, Vec<(AgendaSection, usize)>) {
    let mut walked = Vec::with_capacity(items.len());
    let mut left_out: Vec<(AgendaSection, usize)> = Vec::new();
    // Each section (a run of items) keeps its `AGENDA_PER_SECTION` items needing the lead most,
    // listed in the section's own order.
    for section in items.chunk_by(|a, b| a.section == b.section) {
        if all || section.len() <= AGENDA_PER_SECTION {
            walked.extend(section);
            continue;
        }
        let mut by_need: Vec<usize> = (0..section.len()).collect();
        by_need.sort_by(|&a, &b| section[b].keep.total_cmp(&section[a].keep).then(a.cmp(&b)));
        let mut kept = vec![false; section.len()];
        by_need.iter().take(AGENDA_PER_SECTION).for_each(|&i| kept[i] = true);
        walked.extend(section.iter().zip(&kept).filter(|(_, k)| **k).map(|(item, _)| item));
        left_out.push((section[0].section, section.len() - AGENDA_PER_SECTION));
    }
    (walked, left_out)
}

/// What a renewal puts at stake on a one-on-one: the ARR it may lose (its ARR times the chance
/// it does not renew, as the forecast counts it), in full when it is due within 30 days or
/// overdue, half within 60, a quarter beyond (a renewal with no ARR on record weighs a unit). Its
/// ARR alone kept a Green renewal in 76 days on a probe's agenda and left out an Orange one in
/// 3, Triage's first item.
fn renewal_at_stake(
    r: &PortfolioRow,
    days: i64,
    likelihood: &crate::domain::renewal::Likelihood,
    today: NaiveDate,
) -> f64 {
    let urgency = match days {
        ..=30 => 1.0,
        31..=60 => 0.5,
        _ => 0.25,
    };
    let lost = (1.0 - r.renewal_likelihood(likelihood, today)).max(0.01);
    r.arr.units().max(1.0) * lost * urgency
}

/// What an agenda cut to its first items says of those left out: "24 more overdue, off track or
/// gone quiet, 3 more renewals".
pub fn left_out_line(left_out: &[(AgendaSection, usize)]) -> Option<String> {
    let parts: Vec<String> = left_out.iter().map(|(section, n)| section.more(*n)).collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The renewals of `csm`'s accounts (not churned) long past their date: how many, and the oldest
/// date. A one-on-one counts them in a line rather than walk a lead through hundreds of dates a
/// CRM did not keep up.
pub fn long_past_renewals(rows: &[PortfolioRow], csm: &str, today: NaiveDate) -> Option<(usize, NaiveDate)> {
    let past: Vec<NaiveDate> = rows
        .iter()
        .filter(|r| *r.csm == *csm && r.status != AccountStatus::Churned && super::renewals::is_long_past(r, today))
        .filter_map(|r| r.renewal_date)
        .collect();
    Some((past.len(), past.into_iter().min()?))
}

/// What a one-on-one says of `long_past_renewals`; the caller says where they are listed.
pub fn long_past_line((accounts, oldest): (usize, NaiveDate)) -> String {
    let dates = if accounts == 1 { "renewal date" } else { "renewal dates" };
    format!(
        "{accounts} {dates} more than {} days past when imported (oldest {oldest}), not marked renewed or churned",
        super::renewals::LONG_PAST_DAYS
    )
}

/// A CSM's book in a line, as a lead opens a one-on-one with it: "73 accounts, $6.72M ARR · 24
/// renewals due in 90 days or overdue: $2.24M, forecast $1.22M, at risk $1.79M" (a probe's
/// one-on-one had none of a lead's headline numbers). The renewals are the agenda's: overdue
/// up to 90 days or due in the next 90; the sums in the currency most accounts are in.
pub fn book_line(config: &Config, rows: &[PortfolioRow], csm: &str, today: NaiveDate) -> String {
    let live = live_accounts(rows, csm);
    let currency = super::main_currency(&super::currency_counts(live.iter().copied()));
    let arr = Cents(live.iter().map(|r| r.arr.0).sum());
    let (_, f) = super::renewals::due(config, rows, today, AGENDA_RENEWAL_DAYS, Some(csm));
    // Those without a score are on no line of the agenda unless a reason puts them there: said
    // here, the first few named (a lead's agenda never named a $90k account with no data, and
    // the CSM's average read 95 of two accounts out of three).
    let unscored: Vec<&str> = live.iter().filter(|r| r.score.is_none()).map(|r| &*r.name).collect();
    let accounts = match unscored.len() {
        0 => crate::text::counted(live.len(), "account", "accounts"),
        n if n == live.len() => format!("{} (none with a score yet)", crate::text::counted(n, "account", "accounts")),
        n => {
            let named: Vec<String> = unscored.iter().take(2).map(|name| crate::text::clean(name)).collect();
            format!(
                "{} ({n} without a score: {})",
                crate::text::counted(live.len(), "account", "accounts"),
                crate::text::listed(&named, n)
            )
        }
    };
    let n_renewals = crate::text::counted(f.renewals, "renewal", "renewals");
    let renewals = match f.renewals {
        0 => format!("no renewal due in {AGENDA_RENEWAL_DAYS} days"),
        // Amounts nobody recorded are no $0 (a CRM's blank ARR).
        _ if f.due.0 == 0 => format!("{n_renewals} due in {AGENDA_RENEWAL_DAYS} days or overdue, no ARR on record"),
        _ => {
            // What the sum is of where some renewals have no score: "at risk $0" alone read as
            // none to a lead, half of whose CSM's renewals had no score.
            let scope = f.at_risk_scope().map_or_else(String::new, |s| format!(" ({s})"));
            let at_risk = f.at_risk_known().map_or("at risk unknown (none scored)".to_string(), |c| {
                format!("at risk {}{scope}", c.compact(currency))
            });
            format!(
                "{n_renewals} due in {AGENDA_RENEWAL_DAYS} days or overdue: {}, forecast {}, {at_risk}",
                f.due.compact(currency),
                f.expected.compact(currency)
            )
        }
    };
    let arr = match arr.0 {
        0 => "no ARR on record".to_string(),
        _ => format!("{} ARR", arr.compact(currency)),
    };
    format!("{accounts}, {arr} · {renewals}")
}

/// Tasks by account, the accounts in the order their first task comes.
fn tasks_by_account<'t>(
    tasks: impl Iterator<Item = &'t crate::store::TaskRecord>,
) -> Vec<(i64, Vec<&'t crate::store::TaskRecord>)> {
    let mut by_account: Vec<(i64, Vec<&crate::store::TaskRecord>)> = Vec::new();
    for t in tasks {
        match by_account.iter_mut().find(|(id, _)| *id == t.account_id) {
            Some((_, list)) => list.push(t),
            None => by_account.push((t.account_id, vec![t])),
        }
    }
    by_account
}

/// An account's tasks on an agenda's line: the first by its title and its day as `due` says it,
/// the others counted ("\"Renewal prep call\" due Wed 12-09 and 1 more").
fn first_task_said(tasks: &[&crate::store::TaskRecord], due: impl Fn(String) -> String) -> String {
    let first = crate::text::clean(&tasks[0].title);
    let more = if tasks.len() > 1 { format!(" and {} more", tasks.len() - 1) } else { String::new() };
    format!("\"{first}\"{}{more}", due(tasks[0].due.format("%a %m-%d").to_string()))
}

/// The CSM's accounts that are not churned ("" for those of no CSM).
fn live_accounts<'r>(rows: &'r [PortfolioRow], csm: &str) -> Vec<&'r PortfolioRow> {
    rows.iter().filter(|r| *r.csm == *csm && r.status != AccountStatus::Churned).collect()
}

/// The CSM's live accounts with nothing logged on them yet, where they have some: none of them is
/// counted for a missed touch (nothing logged is not tracked yet), so a CSM who logs little gets
/// the fewest "no touch" reasons of all, which the agenda never said (two probes' leads: a
/// $1.2M account never touched, 29 of a CSM's 31 accounts with nothing logged). The largest is
/// named. None for the accounts of no CSM, or when every account has an entry.
pub fn not_tracked_line(store: &Store, rows: &[PortfolioRow], csm: &str, today: NaiveDate) -> Result<Option<String>> {
    if csm.is_empty() {
        return Ok(None);
    }
    let live = live_accounts(rows, csm);
    let ids: Vec<i64> = live.iter().map(|r| r.id).collect();
    let untracked: std::collections::HashSet<i64> = store.accounts_not_tracked(&ids, today)?.into_iter().collect();
    let mut theirs: Vec<&&PortfolioRow> = live.iter().filter(|r| untracked.contains(&r.id)).collect();
    if theirs.is_empty() {
        return Ok(None);
    }
    theirs.sort_by(|a, b| b.arr.cmp(&a.arr).then_with(|| a.name.cmp(&b.name)));
    let currency = super::main_currency(&super::currency_counts(theirs.iter().map(|r| **r)));
    let arr = Cents(theirs.iter().map(|r| r.arr.0).sum());
    let of = match (theirs.len() == live.len(), live.len()) {
        (true, 1) => "their one account".to_string(),
        (true, n) => format!("all {n} accounts"),
        (false, n) => format!("{} of {n} accounts", theirs.len()),
    };
    // The largest few by name, with their ARR: a lead reads whom to ask about.
    let named: Vec<String> = theirs
        .iter()
        .take(3)
        .map(|r| match r.arr.on_record() {
            Some(a) => format!("{} {}", crate::text::clean(&r.name), a.compact(&r.currency)),
            None => crate::text::clean(&r.name),
        })
        .collect();
    let named = match (theirs.len(), arr.on_record()) {
        (1, _) => format!(" ({})", named.join("")),
        (n, Some(arr)) => format!(" ({} ARR: {})", arr.compact(currency), crate::text::listed(&named, n)),
        (n, None) => format!(" ({})", crate::text::listed(&named, n)),
    };
    // Survey answers are the customer's: an account with NPS answers alone is counted here.
    Ok(Some(format!(
        "no touch, sentiment or bug logged yet on {of}{named}: none of them counts as a missed touch until one is"
    )))
}

/// The days a one-on-one looks back on for what the CSM did: the last 7, today included.
pub const AGENDA_ACTIVITY_DAYS: i64 = 7;

/// What `csm` did in the last `AGENDA_ACTIVITY_DAYS`, in a line: "12 touches on 9 accounts, 3
/// sentiments, 1 goal set, 2 tasks done", or "nothing logged" (a lead's first question, on no
/// line of the agenda: a probe's one-on-one showed nothing of the week's work). None for the
/// accounts of no CSM.
pub fn week_activity(store: &Store, csm: &str, today: NaiveDate) -> Result<Option<String>> {
    if csm.is_empty() {
        return Ok(None);
    }
    let from = today - chrono::Duration::days(AGENDA_ACTIVITY_DAYS - 1);
    Ok(Some(activity_line(&store.csm_activity(csm, from, today)?)))
}

/// `week_activity`'s words for what was done.
pub fn activity_line(a: &crate::store::reporting::CsmActivity) -> String {
    use crate::domain::entry::EntryKind;
    use crate::text::counted;
    let mut parts: Vec<String> = a
        .entries
        .iter()
        .map(|(kind, n, accounts)| {
            let n = *n as usize;
            let what = match kind {
                EntryKind::Touch => counted(n, "touch", "touches"),
                EntryKind::Sentiment => counted(n, "sentiment", "sentiments"),
                EntryKind::Risk => counted(n, "risk raised", "risks raised"),
                EntryKind::Bug => counted(n, "bug logged", "bugs logged"),
                EntryKind::Nps => counted(n, "NPS answer", "NPS answers"),
                EntryKind::Csat => counted(n, "CSAT answer", "CSAT answers"),
                EntryKind::Ces => counted(n, "CES answer", "CES answers"),
                EntryKind::Note => counted(n, "note", "notes"),
            };
            match (kind, *accounts as usize) {
                (EntryKind::Touch, on) if on > 1 && on < n => format!("{what} on {on} accounts"),
                _ => what,
            }
        })
        .collect();
    if a.goals_set > 0 {
        parts.push(counted(a.goals_set as usize, "goal set", "goals set"));
    }
    if a.tasks_done > 0 {
        parts.push(counted(a.tasks_done as usize, "task done", "tasks done"));
    }
    match (parts.is_empty(), a.last_logged) {
        (true, Some((day, 0))) => format!("nothing logged (the last entry today, {day})"),
        (true, Some((day, 1))) => format!("nothing logged (the last entry yesterday, {day})"),
        (true, Some((day, days))) => format!("nothing logged (the last entry {days} days ago, {day})"),
        (true, None) => "nothing logged yet".to_string(),
        (false, _) => parts.join(", "),
    }
}

/// A CSM's one-on-one agenda (`csm` empty: the accounts without one): their movers down (biggest fall first, with the factor and its raw
/// values), then what is overdue or off track (tasks late or due today, overdue milestones, goals
/// off track, open risks; one line per account, most need first), then renewals due soonest
/// first, from those up to 90 days past their date to those in the next 90 days.
pub fn one_on_one(
    store: &Store,
    config: &Config,
    rows: &[PortfolioRow],
    triage: &TriageBook,
    csm: &str,
    today: NaiveDate,
) -> Result<Vec<AgendaItem>> {
    let mine: Vec<(usize, &PortfolioRow)> =
        rows.iter().enumerate().filter(|(_, r)| *r.csm == *csm && r.status != AccountStatus::Churned).collect();
    let list = triage.list(config, rows);
    let reasons_of = |id: i64| list.items.iter().chain(&list.hidden).find(|i| i.id == id);
    let item = |section, r: &PortfolioRow, what: String| AgendaItem {
        section,
        account_id: r.id,
        account: r.name.clone(),
        arr: r.arr,
        currency: r.currency.clone(),
        band: r.band,
        score: r.score,
        low_data: r.band.is_none() && r.not_enough_data(),
        thin: r.thin,
        capped: r.capped,
        overridden: r.overridden,
        what,
        keep: 0.0,
    };
    let mut out: Vec<AgendaItem> = Vec::new();

    // Falls over 30 days, and those Triage names over any of its windows (a sentiment from 9 to
    // 2 this week read -30 in 7 days there, and was missing here, its 30-day change being -3
    // beside a first sentiment): the largest fall first.
    // (Triage keeps an account's worst fall across its windows, one reason.)
    let fall_of = |r: &PortfolioRow| -> Option<i64> {
        let triage_fall = reasons_of(r.id).and_then(|t| {
            t.reasons.iter().find_map(|reason| match reason {
                Reason::Drop(m) => m.change.map(i64::from),
                _ => None,
            })
        });
        let month = r.deltas[1].map(i64::from).filter(|d| *d <= -i64::from(config.triage.drop_points));
        triage_fall.into_iter().chain(month).min()
    };
    let mut movers: Vec<(&PortfolioRow, i64)> = mine.iter().filter_map(|(_, r)| Some((*r, fall_of(r)?))).collect();
    movers.sort_by_key(|(r, fall)| (*fall, std::cmp::Reverse(r.arr)));
    let moved: std::collections::HashSet<i64> = movers.iter().map(|(r, _)| r.id).collect();
    for (r, fall) in movers {
        let what = match reasons_of(r.id) {
            Some(t) => triage
                .explain_in_full(store, config, t)?
                .into_iter()
                .zip(&t.reasons)
                .find(|(_, reason)| matches!(reason, Reason::Drop(_)))
                .map(|(phrase, _)| phrase),
            None => None,
        };
        out.push(item(AgendaSection::Movers, r, what.unwrap_or_else(|| format!("{fall:+} in 30 days"))));
    }

    // Red and Orange accounts, fallen or not, and those with no score whose data is at its worst
    // that did not fall (a fall is said above): what is at its worst, the neediest first. An
    // account Orange since its first data, its usage down 76%, was nowhere on the agenda; a
    // probe's two Red accounts, both fallen, were under "Movers down" alone, missed by a lead
    // reading the heading "Red and Orange".
    let red_or_orange = |r: &PortfolioRow| matches!(r.band, Some(HealthBand::Red | HealthBand::Orange));
    let mut trouble: Vec<(&PortfolioRow, f64, String)> = Vec::new();
    for (_, r) in mine.iter().filter(|(_, r)| !moved.contains(&r.id) || red_or_orange(r)) {
        let Some(t) = reasons_of(r.id) else { continue };
        let band = t.reasons.iter().find_map(|reason| match reason {
            Reason::Band(b) => Some(*b),
            _ => None,
        });
        let at_worst =
            t.reasons.iter().find(|reason| matches!(reason, Reason::AtWorst(_) | Reason::ThinAtWorst { .. }));
        let what = match (band, at_worst) {
            (_, Some(reason)) => reason.phrase(&config.health.catalog),
            // As Triage spells the band out, with the values ("Red health: Days to first login
            // ≥55d, Early logins 0 each at 1 point of 4"), where it names a factor; a probe's agenda
            // listed five labels where Triage named two with their values.
            (Some(_), None) if let Some(spelled) = band_spelled(store, config, triage, t)? => spelled,
            (Some(band), None) => {
                let worst: Vec<&str> = r.evidence_at_worst(config).map(|id| config.health.label(id)).collect();
                match worst.as_slice() {
                    [] => match r.drag {
                        Some(drag) => {
                            format!("{} health, held back most by {}", band.label(), config.health.label(drag))
                        }
                        None => format!("{} health", band.label()),
                    },
                    many => format!(
                        "{} health: {} {}",
                        band.label(),
                        many.join(", "),
                        crate::domain::scoring::at_fewest_points(many.len())
                    ),
                }
            }
            (None, None) => continue,
        };
        trouble.push((r, t.need, what));
    }
    // Red, then Orange, then those with no score: a band is health worked out from the evidence,
    // a factor at its worst without a score is one signal (a probe's one Orange account was the
    // ninth, after eight "no score yet" lines, and cut from the agenda's eight).
    let band_rank = |r: &PortfolioRow| match r.band {
        Some(HealthBand::Red) => 0,
        Some(HealthBand::Orange) => 1,
        _ => 2,
    };
    trouble.sort_by(|a, b| {
        band_rank(a.0)
            .cmp(&band_rank(b.0))
            .then(b.1.total_cmp(&a.1))
            .then(b.0.arr.cmp(&a.0.arr))
            .then_with(|| a.0.name.cmp(&b.0.name))
    });
    for (r, _, what) in trouble {
        out.push(item(AgendaSection::Trouble, r, what));
    }

    // One line per account: its overdue milestones, goals off track, risks, champion and a CSM
    // sentiment at its worst, then
    // its tasks late or due today; the accounts that need the CSM most first (Triage's need,
    // then ARR), so a long agenda starts where a lead would.
    let mut overdue: Vec<(i64, Vec<String>)> = Vec::new();
    for (_, r) in &mine {
        let Some(t) = reasons_of(r.id) else { continue };
        // A touch past the segment's cadence and data that stopped coming are Triage's reasons
        // a lead asks about too: a probe's $215k Elephant untouched for 22 days (cadence 14), and
        // an account whose usage feed stopped seven weeks before, were on no line of the agenda.
        let said = |reason: &Reason| {
            matches!(
                reason,
                Reason::ChampionLeft(_)
                    | Reason::OverdueMilestones(_)
                    | Reason::GoalsOffTrack(_)
                    | Reason::GoalsPastTarget(_)
                    | Reason::ScoreLost { .. }
                    | Reason::RiskOpen(_)
                    | Reason::LowSentiment(_)
                    | Reason::Collapse(_)
                    | Reason::NoTouch { .. }
                    | Reason::Stale(_)
            )
        };
        // Stale data is said with how old it is, which reads the account's facts.
        let phrases: Vec<String> = match t.reasons.iter().any(|reason| matches!(reason, Reason::Stale(_))) {
            true => triage
                .explain_in_full(store, config, t)?
                .into_iter()
                .zip(&t.reasons)
                .filter(|(_, reason)| said(reason))
                .map(|(phrase, _)| phrase)
                .collect(),
            false => t
                .reasons
                .iter()
                .filter(|reason| said(reason))
                .map(|reason| reason.phrase(&config.health.catalog))
                .collect(),
        };
        if !phrases.is_empty() {
            overdue.push((r.id, phrases));
        }
    }
    // Tasks go to whoever owns them, on whichever account (as the Team view counts them); the
    // accounts without a CSM (`csm` empty) have nobody's tasks. Read once for those late or due
    // today and those due in the week ahead (`AgendaSection::DueSoon`).
    let mine = match csm.is_empty() {
        true => Vec::new(),
        false => store.tasks(&crate::store::TaskFilter {
            owner: Some(csm.to_string()),
            due_by: Some(today + chrono::Duration::days(AGENDA_TASK_DAYS)),
            ..Default::default()
        })?,
    };
    // A churned account's tasks are no longer due (a probe's churned account was on the agenda
    // twice: its late renewal paperwork, and its churn).
    let churned: std::collections::HashSet<i64> =
        rows.iter().filter(|r| r.status == AccountStatus::Churned).map(|r| r.id).collect();
    let mine: Vec<&crate::store::TaskRecord> = mine.iter().filter(|t| !churned.contains(&t.account_id)).collect();
    for (id, tasks) in tasks_by_account(mine.iter().copied().filter(|t| t.due <= today)) {
        let late = tasks.iter().filter(|t| t.due < today).count() as u32;
        let phrase =
            Reason::TasksDue { overdue: late, today: tasks.len() as u32 - late }.phrase(&config.health.catalog);
        // Its day, so that the lead asks how late (a probe's agenda said only "1 task late").
        let said = format!("{phrase}: {}", first_task_said(&tasks, |due| format!(" (due {due})")));
        match overdue.iter_mut().find(|(account, _)| *account == id) {
            Some((_, phrases)) => phrases.push(said),
            None => overdue.push((id, vec![said])),
        }
    }
    let mut overdue: Vec<(&PortfolioRow, f64, Vec<String>)> = overdue
        .into_iter()
        .filter_map(|(id, phrases)| {
            let r = rows.iter().find(|r| r.id == id)?;
            Some((r, reasons_of(id).map_or(0.0, |t| t.need), phrases))
        })
        .collect();
    overdue.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.arr.cmp(&a.0.arr)).then_with(|| a.0.name.cmp(&b.0.name)));
    for (r, _, phrases) in overdue {
        out.push(item(AgendaSection::Overdue, r, phrases.join(" · ")));
    }

    // The CSM's open tasks due after today, within the week, soonest first, by account.
    let mut soon: Vec<&crate::store::TaskRecord> = mine.iter().copied().filter(|t| t.due > today).collect();
    soon.sort_by_key(|t| (t.due, t.id));
    for (id, tasks) in tasks_by_account(soon.into_iter()) {
        let Some(r) = rows.iter().find(|r| r.id == id) else { continue };
        out.push(item(AgendaSection::DueSoon, r, first_task_said(&tasks, |due| format!(" due {due}"))));
    }

    // Renewals long past their date are counted apart (`long_past_renewals`), not walked through.
    let (due, _) = super::renewals::due(config, rows, today, AGENDA_RENEWAL_DAYS, Some(csm));
    let recent = due.into_iter().map(|i| &rows[i]).filter(|r| !super::renewals::is_long_past(r, today));
    for r in recent {
        let days = r.days_to_renewal(today).unwrap_or_default();
        let when = match days {
            0 => "renews today".to_string(),
            d if d < 0 => format!("renewal {} overdue", crate::text::days(-d)),
            d => format!("renews in {}", crate::text::days(d)),
        };
        let mut renewal = item(
            AgendaSection::Renewals,
            r,
            format!("{when} ({})", r.renewal_date.map(|d| d.to_string()).unwrap_or_default()),
        );
        renewal.keep = renewal_at_stake(r, days, &config.renewals.likelihood, today);
        out.push(renewal);
    }
    // Renewed, churned and back in the last week, newest first. A churn is read from the
    // account (an import's churn has no event), its reason from its event where it has one.
    let since = today - chrono::Duration::days(AGENDA_CLOSED_DAYS - 1);
    let events = store.contract_events_between(since, today)?;
    let theirs: HashMap<i64, &PortfolioRow> = rows.iter().filter(|r| *r.csm == *csm).map(|r| (r.id, r)).collect();
    let mut closed: Vec<(NaiveDate, &PortfolioRow, String)> = Vec::new();
    for e in events.iter().filter(|e| e.kind != ContractKind::Churned) {
        let Some(r) = theirs.get(&e.account_id) else { continue };
        let money = |c: Cents| c.full(&r.currency);
        let what = match e.kind {
            ContractKind::Renewed => {
                let until = e.renewal_after.map_or(String::new(), |d| format!(" until {d}"));
                let arr = super::contracts::arr_change_text(e.arr_before, e.arr_after, &r.currency);
                // The ARR column is the account's today: a change since (a CRM file's, the same
                // day's) said, so that the line and the column agree.
                let now = match (r.arr == e.arr_after, r.arr.on_record()) {
                    (true, _) => String::new(),
                    (false, Some(now)) => format!(" (now {})", money(now)),
                    (false, None) => " (none on record now)".to_string(),
                };
                format!("renewed on {}{until}, {arr}{now}", e.day)
            }
            _ => format!("back as a customer on {}, {} ARR", e.day, money(e.arr_after)),
        };
        closed.push((e.day, r, what));
    }
    for (id, day) in store.churned_between(since, today)? {
        let Some(r) = theirs.get(&id) else { continue };
        let reason = events
            .iter()
            .find(|e| e.account_id == r.id && e.kind == ContractKind::Churned && !e.reason.trim().is_empty())
            .map_or(String::new(), |e| format!(" ({})", crate::text::clean(&e.reason)));
        closed.push((day, r, format!("churned on {day}{reason}, {} ARR lost", r.arr.full(&r.currency))));
    }
    closed.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.arr.cmp(&a.1.arr)).then_with(|| a.1.name.cmp(&b.1.name)));
    for (_, r, what) in closed {
        out.push(item(AgendaSection::Closed, r, what));
    }
    // The other sections are listed most need first: kept in that order.
    let listed = out.len() as f64;
    for (n, item) in out.iter_mut().enumerate().filter(|(_, i)| i.section != AgendaSection::Renewals) {
        item.keep = listed - n as f64;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{AgendaSection, CsmLine, left_out_line};

    /// An Orange renewal in 3 days is walked through before a larger Green one in 76: what may be
    /// lost soon, not the ARR alone.
    #[test]
    fn a_renewal_at_risk_soon_is_at_stake_before_a_larger_safe_one_later() {
        use crate::book::PortfolioRow;
        use crate::domain::{AccountStatus, HealthBand};
        let today: chrono::NaiveDate = "2026-12-07".parse().unwrap();
        let likelihood = crate::config::Config::default().renewals.likelihood;
        let renewing = |band, arr, days| {
            let mut r = PortfolioRow::sample(1, "Deer", Some(band), arr, AccountStatus::Active);
            r.renewal_date = Some(today + chrono::Duration::days(days));
            super::renewal_at_stake(&r, days, &likelihood, today)
        };
        let orange_soon = renewing(HealthBand::Orange, 18_500.0, 3);
        let green_later = renewing(HealthBand::Green, 200_000.0, 76);
        assert!(orange_soon > green_later, "{orange_soon} against {green_later}");
        // Of two alike, the larger and the sooner.
        assert!(renewing(HealthBand::Orange, 40_000.0, 3) > orange_soon);
        assert!(orange_soon > renewing(HealthBand::Orange, 18_500.0, 45));
    }

    /// A one-on-one's book line says what the ARR at risk is of where some renewals have no score:
    /// "at risk $0" alone read as none to a lead, half of whose CSM's renewals had no score.
    #[test]
    fn the_book_lines_at_risk_says_what_it_is_of() {
        use crate::book::PortfolioRow;
        use crate::domain::{AccountStatus, HealthBand};
        let today: chrono::NaiveDate = "2026-12-07".parse().unwrap();
        let config = crate::config::Config::default();
        let renewing = |id, band| {
            let mut r = PortfolioRow::sample(id, "Deer", band, 50_000.0, AccountStatus::Active);
            r.csm = "Sofia".into();
            r.renewal_date = Some(today + chrono::Duration::days(20));
            r
        };
        let rows = vec![renewing(1, Some(HealthBand::Green)), renewing(2, None), renewing(3, None)];
        let line = super::book_line(&config, &rows, "Sofia", today);
        assert!(line.contains("at risk $0 (none of the 1 with a score)"), "{line}");
        let scored = vec![renewing(1, Some(HealthBand::Green)), renewing(2, Some(HealthBand::Red))];
        let line = super::book_line(&config, &scored, "Sofia", today);
        assert!(line.contains("at risk $50k") && !line.contains("with a score"), "{line}");
    }

    #[test]
    fn what_an_agenda_leaves_out_is_counted_in_good_english() {
        assert_eq!(AgendaSection::Renewals.more(1), "1 more renewal");
        assert_eq!(AgendaSection::Renewals.more(3), "3 more renewals");
        assert_eq!(
            left_out_line(&[(AgendaSection::Movers, 1), (AgendaSection::Renewals, 1)]).as_deref(),
            Some("1 more mover down, 1 more renewal")
        );
    }

    #[test]
    fn touch_coverage_is_of_all_the_csms_accounts() {
        let one_of_49 = CsmLine { accounts: 49, touched: 1, touch_tracked: 1, ..Default::default() };
        assert!((one_of_49.touch_coverage().unwrap() - 100.0 / 49.0).abs() < 1e-9);
        let nothing_logged = CsmLine { accounts: 49, ..Default::default() };
        assert_eq!(nothing_logged.touch_coverage(), None);
    }
}
