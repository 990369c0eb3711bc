//! Keeping the health history cache complete and current, and reading movers from it.
//!
//! The cache holds each account's score on the days the screens compare: today, and each triage
//! drop window and mover window back (`anchor_days`), not every day of the history window. What
//! is stored grows with the accounts that have evidence, not with accounts x days; a chart's
//! daily series is computed from the account's facts when it is shown (`account_series`). Days
//! that are no longer anchors are dropped as today moves on.
//!
//! A day is "complete" once every account has been scored for it; an account whose facts change
//! is marked stale in the same transaction, and its complete days are recomputed the next time
//! history is needed. Changing the health rules in config clears the cache (its fingerprint no
//! longer matches).

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate};

use crate::config::Config;
use crate::domain::history::{self, DayHealth, Mover};
use crate::domain::{AccountFacts, FactorValues};
use crate::store::fact_digest::FactDigest;
use crate::store::history::HistoryRows;
use crate::store::snapshots::{ComputedSnapshot, SnapshotGap};
use crate::store::{Result, Store};

/// Accounts per write transaction: bounds memory and the write-ahead log on large books.
const CHUNK: usize = 2_000;
/// Up to this many stale accounts are read one by one; more are streamed with the whole book.
const ONE_BY_ONE: usize = 500;

/// How factor values are derived from facts, by tend itself: raised when that changes (as on
/// 2026-12-02, when a plan of milestones all ahead stopped counting as "0 overdue", and when days
/// since a touch never logged became a lower bound, stored with the values, so that values and
/// history cached by an earlier tend are worked out again, not read as today's; 4 on 2026-12-03,
/// when a change in percent from 0 to 0 became 0% rather than no value; 5 the same day, when
/// days since a metric's last use came to be counted up to its newest sample, not today; 6 the
/// same day, when up to the newest day of the book's usage data instead, and bugs counted only
/// once the book logs bugs; 7 the same day, when up to the newest day that data covers, on a
/// past day too; 8 when the days to a first use not yet made became a lower bound; 9 when a
/// metric's age came to count to that day, and a factor stale without a value too; 10 when a
/// metric's `max_age_days` came to count to it too; 11 on 2026-12-04, when a milestone due today
/// stopped counting as come due, a goal at the "on track" it was set with as news for a month,
/// and days since a use never made came to count from the data's start where it began after the
/// customer's, as a lower bound; 12 the same day, when a factor with nothing to compare its data
/// with, no expected usage, stopped being marked stale; 13 the same day, when a change over
/// averages came to need the data to cover half its earlier window; 14 on 2026-12-05, when a
/// metric's total, count or average over its last days came to end on the newest day its data
/// covers, not today; 15 on 2026-12-05, when tend's bookkeeping came to be blended only where it
/// pulls a score down, `scoring::blend`; 16 the same day, when a change in percent between two
/// windows of no use came to earn the fewest points where more is better, not a flat one's; 17 on
/// 2026-12-06, when the days since a metric's use never made became a lower bound wherever its
/// data began; 18 on 2026-12-07, when a metric whose samples come further apart than the book's
/// data days came to be stale only past its own rhythm, `signals::factor_slack`; 19 the same day,
/// when a metric's days came to count to its own feed's newest day, `AccountFacts::metric_days`;
/// 20 on 2026-12-07, when the wait for a first sample came to count where the metric's feed came
/// in for the customer's life without one, `AccountFacts::feed_reaches`; 21 on 2026-12-07, when
/// each row came to keep the account's first score since a day without one, `first_score`; 22 on
/// 2026-12-07, when bugs escalated came to be tend's bookkeeping, blended only where they pull a
/// score down; 23 on 2026-12-08, when the days to a first use came to be unknown where the
/// account was in use from its first sample of a feed begun after its start by more than the
/// feed's step).
pub(crate) const DERIVATION: u32 = 23;

/// The health rules the cached history was computed with (bands are applied when reading), the
/// derivation of tend that computed it, and the days of the whole book every account's values
/// read (a new day of usage data, or the book's first bug, moves every account's, not only those
/// written to).
pub fn fingerprint(config: &Config, book: &crate::store::facts::BookDays) -> String {
    let mut rules = serde_json::to_value(&config.health).unwrap_or_default();
    if let Some(map) = rules.as_object_mut() {
        map.remove("bands");
        map.insert("derivation".into(), DERIVATION.into());
        if !book.data_days.is_empty() {
            map.insert("data_days".into(), book.data_days.fingerprint().into());
        }
        // Each metric's own days: a metric's values count to them; and whether its feed is broad,
        // which tells a wait for a first sample from none exported (`AccountFacts::feed_reaches`).
        for (metric, days) in book.by_metric.iter().filter(|(_, d)| !d.is_empty()) {
            map.insert(format!("data_days:{metric}"), days.fingerprint().into());
            if !book.broad(days) {
                map.insert(format!("narrow:{metric}"), true.into());
            }
        }
        if let Some(day) = book.bugs_since {
            map.insert("bugs_since".into(), day.to_string().into());
        }
    }
    rules.to_string()
}

/// Whether what is cached was worked out by other health rules than `config`'s (another tend
/// with another config, or a cron job run without the user's), for the book's days as they are.
pub fn caches_foreign(store: &Store, config: &Config) -> Result<bool> {
    let Some(stored) = store.caches_fingerprint()? else { return Ok(false) };
    Ok(stored != fingerprint(config, &store.book_days()?))
}

/// Drop what is cached from other health rules, another tend's derivation or other days of the
/// whole book (see `fingerprint`): it is never read.
pub(crate) fn reset_foreign_caches(store: &mut Store, config: &Config) -> Result<()> {
    let book_days = store.book_days()?;
    store.reset_caches_unless(&fingerprint(config, &book_days))?;
    Ok(())
}

/// How many days back the screens compare with: today (0), each triage drop window and each
/// mover window, ascending.
pub fn anchor_windows(config: &Config) -> Vec<i64> {
    let mut back: Vec<i64> = config.triage.drop_windows.iter().chain(&MOVER_WINDOWS).copied().collect();
    // A playbook's fall is read over its own window.
    back.extend(config.playbooks.iter().filter_map(|p| p.window()));
    back.push(0);
    back.sort_unstable();
    back.dedup();
    back
}

/// The days movers and triage compare: `anchor_windows` back from `today`, newest first.
pub fn anchor_days(config: &Config, today: NaiveDate) -> Vec<NaiveDate> {
    anchor_windows(config).into_iter().map(|b| today - Duration::days(b)).collect()
}

/// The day the caches are worked out ahead to: the next working day (the Monday after a Friday,
/// Saturday or Sunday). A day's values are a function of the facts and the day, so when a new
/// day's first open reads every account's facts anyway, the next working day's values and
/// history come with that read, and that morning's first open reads no facts at all. A write
/// in between drops what it changed, as it does for today's.
pub fn worked_ahead_to(today: NaiveDate) -> NaiveDate {
    let mut next = today.succ_opt().unwrap_or(today);
    while matches!(next.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun) {
        next = next.succ_opt().unwrap_or(next);
    }
    next
}

/// The days the history keeps for `today`: its anchor days and those of the next working day.
pub fn kept_days(config: &Config, today: NaiveDate) -> Vec<NaiveDate> {
    let mut days = anchor_days(config, today);
    days.extend(anchor_days(config, worked_ahead_to(today)));
    days.sort_unstable();
    days.dedup();
    days
}

/// The windows the Account view and Movers show.
pub const MOVER_WINDOWS: [i64; 3] = [7, 30, 90];

/// What one call did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistoryWork {
    /// Days asked for that had no history yet.
    pub days_added: usize,
    /// Days of the next working day added in the same read (see `worked_ahead_to`).
    pub days_ahead: usize,
    pub accounts_refreshed: usize,
    pub rows_written: usize,
}

/// Make history complete for `days` and current for every account. Idempotent: a second call
/// does nothing. `progress` is told each account done.
pub fn ensure(
    store: &mut Store,
    config: &Config,
    days: &[NaiveDate],
    progress: &indicatif::ProgressBar,
) -> Result<HistoryWork> {
    ensure_with(store, config, days, None, Pace::AllCores, progress)
}

/// How much of the machine a pass over the book may take.
#[derive(Clone, Copy, PartialEq)]
enum Pace {
    /// Someone is waiting: read on a second connection while scoring on every core.
    AllCores,
    /// Behind a screen someone is using: one thread, reading and scoring by turns.
    OneCore,
}

/// Work the next working day out ahead (its anchors' history and every account's factor values
/// on it) if a new day's first pass has not done so already: for a tend left open on a book, on
/// one core behind the screen, so that the next working day's first open reads no facts (on a
/// large book, seconds). What was worked out from facts a write has changed since is not kept,
/// as for today's.
pub fn work_ahead(store: &mut Store, config: &Config, today: NaiveDate) -> Result<HistoryWork> {
    let next = worked_ahead_to(today);
    let hidden = indicatif::ProgressBar::hidden();
    let pass = Pass { today, cover: next, ahead: true };
    let work = ensure_with(store, config, &kept_days(config, today), Some(pass), Pace::OneCore, &hidden)?;
    if store.stopped() {
        return Ok(work);
    }
    // When the history had the days already, the values may still lack them.
    store.refresh_snapshots(today, next, next, &config.health)?;
    store.keep_history_days(today, &kept_days(config, today))?;
    Ok(work)
}

/// For a book that cannot store history (read-only): work out in memory the days it lacks for
/// every account, and the days it has for accounts changed since, so that falls and the change
/// columns read as they would from a book that could (the stored rows are read for the rest).
fn work_out_in_memory(
    store: &mut Store,
    config: &Config,
    days: &[NaiveDate],
    missing: &[NaiveDate],
    stale: &HashSet<i64>,
) -> Result<()> {
    if missing.is_empty() && stale.is_empty() {
        return Ok(());
    }
    let mut all_days: Vec<NaiveDate> = days.to_vec();
    all_days.sort_unstable();
    all_days.dedup();
    // Changed accounts are told "no score" explicitly where they have none, over stored rows.
    let plan = Plan {
        config,
        today: all_days.last().copied().unwrap_or_default(),
        missing,
        all_days: &all_days,
        kept: &all_days,
        stale,
        replace: stale,
        gap: None,
        pace: Pace::AllCores,
        as_of_anchors: as_of_anchors(config, all_days.last().copied().unwrap_or_default()),
    };
    let mut overlay = crate::store::history::HistoryOverlay::new(missing);
    store.for_each_account_facts(&config.health.catalog, |id, facts| {
        if missing.is_empty() && !stale.contains(&id) {
            return;
        }
        let rows = plan.history_rows(id, facts, |_, _| {});
        for (day, health) in rows.days {
            overlay.set(id, day, Some(health));
        }
        if let Some(first) = rows.first_score {
            overlay.set_first_score(id, first);
        }
    })?;
    store.set_history_overlay(overlay);
    Ok(())
}

/// What else a pass over every account's facts works out.
#[derive(Clone, Copy)]
struct Pass {
    /// Today: the factor values the cache lacks for `cover` are derived from today on.
    today: NaiveDate,
    cover: NaiveDate,
    /// The next working day too: its history days and its factor values (`worked_ahead_to`).
    ahead: bool,
}

/// `ensure`; with `pass`, when it reads every account's facts anyway, it also derives the
/// factor values the cache lacks (a new day's first open reads the book once, not twice), and
/// works the next working day out in the same read if asked.
fn ensure_with(
    store: &mut Store,
    config: &Config,
    days: &[NaiveDate],
    pass: Option<Pass>,
    pace: Pace,
    progress: &indicatif::ProgressBar,
) -> Result<HistoryWork> {
    reset_foreign_caches(store, config)?;
    // The day the pass is as of: a new day's, the day worked ahead from, or the newest asked.
    let today = pass.map(|p| p.today).or_else(|| days.iter().max().copied()).unwrap_or_default();
    // Only a read-only book keeps caches from other health rules, which are not read.
    let trusted = store.caches_trusted();
    let covered = if trusted { store.history_days()? } else { Vec::new() };
    let covered_set: HashSet<NaiveDate> = covered.iter().copied().collect();
    let uncovered = |days: &[NaiveDate]| -> Vec<NaiveDate> {
        let mut out: Vec<NaiveDate> = days.iter().copied().filter(|d| !covered_set.contains(d)).collect();
        out.sort_unstable();
        out.dedup();
        out
    };
    let mut missing = uncovered(days);
    // The next working day's anchors, added only to a read of every account that happens anyway.
    let ahead = pass.filter(|p| p.ahead).map(|p| uncovered(&kept_days(config, p.today))).unwrap_or_default();
    // Read before the facts: a mark renewed by a write after this is not cleared at the end.
    let marks = store.history_changed_accounts()?;
    let changed: Vec<i64> = marks.iter().map(|(id, _)| *id).collect();
    if store.read_only().is_some() {
        // Nothing can be stored: what the stored history lacks is worked out in memory, for
        // this run's readers.
        let stale = if trusted { store.history_stale_accounts(&changed)? } else { Vec::new() };
        work_out_in_memory(store, config, days, &missing, &stale.into_iter().collect())?;
        return Ok(HistoryWork::default());
    }
    // The newest day a pass is as of governs which days the rows keep (`Store::note_history_day`).
    store.note_history_day(today)?;
    let max_account = store.max_account_id()?;
    if !store.has_facts()?
        && !config.health.catalog.values_from_fields_alone()
        && store.accounts_with_history(&changed)?.is_empty()
    {
        // No evidence anywhere in the book (a fresh accounts import, journeys planned or not): no
        // account scores on any day, so there is nothing to compute, and no need to list a
        // million new accounts either (nor rows to clear).
        let all = uncovered(&[missing.as_slice(), &ahead].concat());
        if !missing.is_empty() || !changed.is_empty() || max_account > store.history_max_account()? {
            store.finish_history(today, &all, &marks, max_account)?;
        }
        return Ok(HistoryWork {
            days_added: missing.len(),
            days_ahead: all.len() - missing.len(),
            ..Default::default()
        });
    }
    let stale = store.history_stale_accounts(&changed)?;
    if missing.is_empty() && stale.is_empty() {
        return Ok(HistoryWork::default());
    }
    let asked = missing.len();
    if !missing.is_empty() || stale.len() > ONE_BY_ONE {
        missing = uncovered(&[missing, ahead].concat());
    }

    let stale_set: HashSet<i64> = stale.iter().copied().collect();
    // Only changed accounts that have rows need old rows cleared; new accounts have none.
    let replace = store.accounts_with_history(&changed)?;
    let mut all_days: Vec<NaiveDate> = covered.iter().chain(&missing).copied().collect();
    all_days.sort_unstable();
    // A pass that adds days is followed by dropping the days no screen reads any more
    // (`backfill_with`, `work_ahead`): the rows it writes leave them out already.
    let kept: Vec<NaiveDate> = match pass {
        Some(p) if !missing.is_empty() => {
            let keep = kept_days(config, p.today);
            all_days.iter().filter(|d| keep.contains(d)).copied().collect()
        }
        _ => all_days.clone(),
    };
    let mut work = HistoryWork { days_added: asked, days_ahead: missing.len() - asked, ..Default::default() };

    let one_by_one = missing.is_empty() && stale.len() <= ONE_BY_ONE;
    // When every account is read, today's missing factor values come with it.
    let gap = match pass {
        Some(p) if !one_by_one => {
            let through = if p.ahead { worked_ahead_to(p.today) } else { p.today };
            store.snapshot_gap(p.today, through, p.cover)?
        }
        _ => None,
    };
    let plan = Plan {
        config,
        today,
        missing: &missing,
        all_days: &all_days,
        kept: &kept,
        stale: &stale_set,
        replace: &replace,
        gap: gap.as_ref(),
        pace,
        as_of_anchors: as_of_anchors(config, today),
    };
    if one_by_one {
        let mut facts = Vec::with_capacity(stale.len());
        for id in &stale {
            facts.push((*id, store.account_facts(*id, &config.health.catalog)?));
        }
        write_chunk(store, &plan, &facts, Vec::new(), &mut work, progress)?;
    } else {
        let wanted = |id: i64| !missing.is_empty() || stale_set.contains(&id) || plan.gap.is_some_and(|g| g.lacks(id));
        // Read the book a range of account ids at a time, so memory stays bounded at any size.
        // Reading is most of the work (SQLite decoding millions of rows), so with cores to spare
        // two more connections read and score alternate ranges at once while this one writes the
        // ranges in order.
        let readers = match pace {
            Pace::AllCores => [store.reader()?, store.reader()?].into_iter().flatten().collect(),
            Pace::OneCore => Vec::new(),
        };
        match readers.len() {
            1.. => std::thread::scope(|scope| -> Result<()> {
                let catalog = &config.health.catalog;
                let step = readers.len() as i64;
                let receivers: Vec<_> = readers
                    .into_iter()
                    .enumerate()
                    .map(|(turn, reader)| {
                        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Scored>>(2);
                        let plan = &plan;
                        scope.spawn(move || {
                            let mut lo = 1 + turn as i64 * CHUNK as i64;
                            while lo <= max_account {
                                let hi = lo.saturating_add(CHUNK as i64 - 1);
                                let mut scored = Scored::default();
                                let read = reader.for_each_account_facts_digesting(
                                    catalog,
                                    lo,
                                    hi,
                                    &mut scored.digests,
                                    |id, f| {
                                        if wanted(id) {
                                            let (rows, snapshot) = plan.rows(id, f);
                                            scored.rows.push(rows);
                                            scored.snapshots.push(snapshot);
                                        }
                                    },
                                );
                                let failed = read.is_err();
                                if tx.send(read.map(|()| scored)).is_err() || failed {
                                    return;
                                }
                                lo = lo.saturating_add(step * CHUNK as i64);
                            }
                        });
                        rx
                    })
                    .collect();
                // The ranges in id order: each reader's next in turn, until one has no more.
                'ranges: loop {
                    for rx in &receivers {
                        let Ok(scored) = rx.recv() else { break 'ranges };
                        write_scored(store, &plan, scored?, &mut work, progress)?;
                    }
                }
                Ok(())
            })?,
            0 => {
                let mut lo = 1;
                while lo <= max_account {
                    if store.stopped() {
                        // Left for later: the days are not marked complete.
                        return Ok(work);
                    }
                    let hi = lo.saturating_add(CHUNK as i64 - 1);
                    let mut facts = Vec::with_capacity(CHUNK);
                    let mut digests = Vec::new();
                    store.for_each_account_facts_digesting(&config.health.catalog, lo, hi, &mut digests, |id, f| {
                        if wanted(id) {
                            facts.push((id, f.clone()));
                        }
                    })?;
                    write_chunk(store, &plan, &facts, digests, &mut work, progress)?;
                    lo = hi.saturating_add(1);
                }
            }
        }
    }
    store.finish_history(today, &missing, &marks, max_account)?;
    Ok(work)
}

/// Which days to compute for which accounts.
struct Plan<'a> {
    config: &'a Config,
    /// The day the pass works history out as of (`Store::note_history_day`).
    today: NaiveDate,
    missing: &'a [NaiveDate],
    all_days: &'a [NaiveDate],
    /// The days each account's row keeps once written (`Writer::write_history`).
    kept: &'a [NaiveDate],
    /// Accounts to recompute on every complete day (changed or new).
    stale: &'a HashSet<i64>,
    /// Accounts whose old rows must be cleared where they no longer score.
    replace: &'a HashSet<i64>,
    /// Today's factor values the cache lacks, derived from the same facts.
    gap: Option<&'a SnapshotGap>,
    pace: Pace,
    /// The anchor days of the next working day and of today, each newest first: a row's first
    /// score is worked out as of the first whose days it has all (`as_of_anchors`).
    as_of_anchors: [Vec<NaiveDate>; 2],
}

/// The anchor days of the next working day, then today's: worked out once a pass, not once an
/// account.
fn as_of_anchors(config: &Config, today: NaiveDate) -> [Vec<NaiveDate>; 2] {
    [anchor_days(config, worked_ahead_to(today)), anchor_days(config, today)]
}

impl Plan<'_> {
    /// The account's history rows, and its factor values for the gap's days if the cache lacks
    /// them (those of the days the history has too are derived once).
    fn rows(&self, id: i64, facts: &AccountFacts) -> (HistoryRows, Option<ComputedSnapshot>) {
        let gap = self.gap.filter(|g| g.lacks(id));
        let mut known = Vec::new();
        let rows = self.history_rows(id, facts, |day, values| {
            if gap.is_some_and(|g| g.covers(day)) {
                known.push((day, *values));
            }
        });
        let snapshot = gap.and_then(|g| g.derive_reusing(id, facts, &self.config.health, &known));
        (rows, snapshot)
    }

    /// The account's history rows; `derived` is told the values of each day worked out.
    fn history_rows(
        &self,
        id: i64,
        facts: &AccountFacts,
        mut derived: impl FnMut(NaiveDate, &FactorValues),
    ) -> HistoryRows {
        let days = if self.stale.contains(&id) { self.all_days } else { self.missing };
        let replace = self.replace.contains(&id);
        // An account without evidence (no sample, no entry; planned milestones alone never make a
        // score) has no score on any day: most of a fresh accounts import. Nothing to compute or
        // write, and only rows from before to clear.
        let health = &self.config.health;
        if facts.has_no_evidence() && !health.catalog.values_from_fields_alone() {
            let none = DayHealth { score: None, points: Default::default() };
            let days = if replace { days.iter().map(|d| (*d, none)).collect() } else { Vec::new() };
            return HistoryRows { account_id: id, replace, days, first_score: Some(None) };
        }
        let subject = facts.subject();
        let health_on = |day: NaiveDate| {
            let values = crate::domain::signals::derive_values(facts, day, &health.catalog);
            let health = history::day_health(health, &values, &subject, day);
            (values, health)
        };
        let days: Vec<(NaiveDate, DayHealth)> = days
            .iter()
            .map(|day| {
                let (values, health) = health_on(*day);
                derived(*day, &values);
                (*day, health)
            })
            .collect();
        // Worked out as of the newest day whose anchor days this row has all: the next working
        // day's on a pass that works ahead, today's otherwise. A row of some days only keeps its
        // own.
        let on = |day: NaiveDate| days.iter().find(|(d, _)| *d == day).map(|(_, h)| *h);
        let first_score = self
            .as_of_anchors
            .iter()
            .find(|anchors| anchors.iter().all(|a| on(*a).is_some()))
            .map(|anchors| first_score(anchors, on, |day| health_on(day).1));
        HistoryRows { account_id: id, replace, days, first_score }
    }
}

/// The account's first score since its latest anchor day without one, where a later anchor day
/// has one (`anchors` newest first, `on` their health): a change over a window whose start had
/// no score is from it, as the account's data began since (a new customer's usage crashing in
/// its second week). Found by halving the days between the two anchor days, each worked out
/// (`health_on`): a handful of days, for the few accounts whose score began within the longest
/// window, once, as the row keeps it.
pub(crate) fn first_score(
    anchors: &[NaiveDate],
    on: impl Fn(NaiveDate) -> Option<DayHealth>,
    health_on: impl Fn(NaiveDate) -> DayHealth,
) -> Option<(NaiveDate, DayHealth)> {
    let mut later: Option<(NaiveDate, DayHealth)> = None;
    for day in anchors {
        let health = on(*day)?;
        if health.score.is_some() {
            later = Some((*day, health));
            continue;
        }
        let (mut scored, mut first) = later?;
        let mut without = *day;
        while (scored - without).num_days() > 1 {
            let mid = without + Duration::days((scored - without).num_days() / 2);
            match health_on(mid) {
                h if h.score.is_some() => (scored, first) = (mid, h),
                _ => without = mid,
            }
        }
        return Some((scored, first));
    }
    None
}

/// Score a chunk of accounts on every core, then write it in one transaction with the digests
/// made as its facts were read.
fn write_chunk(
    store: &mut Store,
    plan: &Plan,
    facts: &[(i64, AccountFacts)],
    digests: Vec<FactDigest>,
    work: &mut HistoryWork,
    progress: &indicatif::ProgressBar,
) -> Result<()> {
    if facts.is_empty() && digests.is_empty() {
        return Ok(());
    }
    let threads = match plan.pace {
        Pace::AllCores => crate::cores(),
        Pace::OneCore => 1,
    };
    let per = facts.len().div_ceil(threads).max(1);
    let (rows, snapshots) = std::thread::scope(|scope| {
        let handles: Vec<_> = facts
            .chunks(per)
            .map(|part| scope.spawn(move || part.iter().map(|(id, f)| plan.rows(*id, f)).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).unzip()
    });
    write_scored(store, plan, Scored { rows, snapshots, digests }, work, progress)
}

/// A range of accounts' history rows, the factor values the cache lacks, and the digests of the
/// facts read from rows (`store::fact_digest`).
#[derive(Default)]
struct Scored {
    rows: Vec<HistoryRows>,
    snapshots: Vec<Option<ComputedSnapshot>>,
    digests: Vec<FactDigest>,
}

/// Write a scored range of accounts in one transaction.
fn write_scored(
    store: &mut Store,
    plan: &Plan,
    Scored { rows, snapshots, digests }: Scored,
    work: &mut HistoryWork,
    progress: &indicatif::ProgressBar,
) -> Result<()> {
    if rows.is_empty() && digests.is_empty() {
        return Ok(());
    }
    work.rows_written += rows.iter().flat_map(|r| &r.days).filter(|(_, h)| h.score.is_some()).count();
    work.accounts_refreshed += rows.iter().filter(|r| plan.stale.contains(&r.account_id)).count();
    // One transaction for the range: a new day's pass over a large book is bound by this write.
    store.write_derived(|w| {
        w.write_history(plan.today, &rows, plan.kept)?;
        if let Some(gap) = plan.gap {
            let snapshots: Vec<ComputedSnapshot> = snapshots.into_iter().flatten().collect();
            w.store_snapshots(gap, &snapshots)?;
        }
        w.store_fact_digests(&plan.config.health.catalog, &digests)
    })?;
    progress.inc(rows.len() as u64);
    Ok(())
}

/// Bring the stored history up to date for `today`: every account's health on each anchor day,
/// and nothing kept for days no screen reads any more. Today's factor values the cache lacks are
/// derived on the way when every account is read, and the next working day's values and history
/// with them.
pub fn backfill(
    store: &mut Store,
    config: &Config,
    today: NaiveDate,
    progress: &indicatif::ProgressBar,
) -> Result<HistoryWork> {
    backfill_with(store, config, today, true, progress)
}

/// `backfill`, working the next working day out (`ahead`) or not: not after an import, whose
/// time is the import's (the next open works ahead, behind its screen on a large book).
pub fn backfill_with(
    store: &mut Store,
    config: &Config,
    today: NaiveDate,
    ahead: bool,
    progress: &indicatif::ProgressBar,
) -> Result<HistoryWork> {
    let pass = Pass { today, cover: today, ahead };
    let work = ensure_with(store, config, &anchor_days(config, today), Some(pass), Pace::AllCores, progress)?;
    // Days no screen reads any more go with a pass that wrote new ones (its rows left them out
    // already); on a day worked out ahead, that is left to the work ahead behind the screen.
    if work.days_added + work.days_ahead > 0 {
        store.keep_history_days(today, &kept_days(config, today))?;
    }
    Ok(work)
}

/// One account's daily history over the window ending on `today`, from its facts: the values
/// behind each day as well as its health (for the chart and the factor sparklines).
pub fn account_series(
    config: &Config,
    facts: &AccountFacts,
    today: NaiveDate,
) -> Vec<(NaiveDate, FactorValues, DayHealth)> {
    let from = today - Duration::days(config.history.days - 1);
    history::daily(&config.health, facts, from, today)
}

/// The movers of one account for each window, with raw values, from its daily series. A window
/// whose start had no score is compared from the start of the score's run to today, as Triage
/// compares from the account's first score (`first_score`).
pub fn account_movers(
    config: &Config,
    series: &[(NaiveDate, FactorValues, DayHealth)],
    today: NaiveDate,
    windows: &[i64],
) -> Vec<Mover> {
    let on = |day: NaiveDate| series.iter().find(|(d, _, _)| *d == day);
    let Some((_, now_values, now)) = on(today) else { return Vec::new() };
    // The first day of the run of days with a score that ends today (series ascend by day).
    let run_start = match now.score {
        Some(_) => {
            series.iter().rev().skip_while(|(d, _, _)| *d > today).take_while(|(_, _, h)| h.score.is_some()).last()
        }
        None => None,
    };
    windows
        .iter()
        .filter_map(|w| {
            let start = today - Duration::days(*w);
            let (first_score, (_, then_values, then)) = match on(start) {
                Some(then) if then.2.score.is_some() || run_start.is_none_or(|(d, _, _)| *d <= start) => (None, then),
                _ => {
                    let first = run_start.filter(|(d, _, _)| *d > start && *d < today)?;
                    (Some((today - first.0).num_days()), first)
                }
            };
            let mover = history::mover(&config.health, *w, then, now).since_first_score(first_score);
            Some(history::with_raw(mover, then_values, now_values))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::history::PackedPoints;

    fn health(scored: bool) -> DayHealth {
        DayHealth { score: scored.then_some(70), points: PackedPoints::default() }
    }

    /// The first score is found between the latest anchor day without one and the next with
    /// one, by halving: the day the score began, whatever the anchors around it.
    #[test]
    fn the_first_score_is_the_day_the_score_began_after_the_latest_anchor_without_one() {
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        let anchors: Vec<NaiveDate> = [0, 7, 30, 90].iter().map(|b| today - Duration::days(*b)).collect();
        for began in 1..=89 {
            let start = today - Duration::days(began);
            let asked = std::cell::Cell::new(0);
            let scored = |day: NaiveDate| day >= start;
            let found = first_score(
                &anchors,
                |day| Some(health(scored(day))),
                |day| {
                    asked.set(asked.get() + 1);
                    health(scored(day))
                },
            );
            assert_eq!(found.map(|(d, _)| d), Some(start), "began {began} days back");
            assert!(asked.get() <= 6, "a handful of days worked out, not each: {}", asked.get());
        }
        // Scored on every anchor, or not today: none.
        assert_eq!(first_score(&anchors, |_| Some(health(true)), |_| health(true)), None);
        assert_eq!(first_score(&anchors, |d| Some(health(d < today)), |d| health(d < today)), None);
        // An anchor the row lacks: not worked out.
        assert_eq!(first_score(&anchors, |d| (d == today).then(|| health(true)), |_| health(true)), None);
    }
}
