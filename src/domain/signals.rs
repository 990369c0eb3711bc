//! From an account's raw facts (metric samples, log entries, goals, milestones and fields) to the
//! raw value of every factor of a catalog, as of a day.
//!
//! Everything here looks only at facts dated on or before `as_of`, so a score can be recomputed
//! for any past day and history charts come from the data itself.
//!
//! Two rules hold for every factor, built-in or not:
//! * A metric with no sample in a window is missing, not zero: tend cannot tell "none" from "not
//!   exported".
//! * Log entries are made in tend itself: once anything is logged for an account, "no entry in the
//!   window" is a real zero (and "never touched" counts from the account's start). An account with
//!   nothing logged at all is not tracked yet, and its log factors are missing. Bugs, besides,
//!   only once the book logs bugs (`AccountFacts::bugs_since`).

use chrono::{Datelike, NaiveDate};

use super::catalog::{Catalog, Field, LogKind, Source, Transform};
use super::factor::{FactorValues, MAX_FACTORS};
use super::goal::{self, GoalFact};
use super::journey::{self, MilestoneFact};
use super::segment::SegmentInputs;

/// A value on a day.
pub type Dated = (NaiveDate, f64);

/// All an account's raw facts that factors read. Every series is sorted by day, oldest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AccountFacts {
    pub customer_since: Option<NaiveDate>,
    pub expected_usage: Option<f64>,
    /// ARR in whole currency units.
    pub arr: Option<f64>,
    pub inputs: SegmentInputs,
    /// The catalog's attributes, by slot, where the account has a numeric value.
    pub attributes: Vec<Option<f64>>,
    /// The catalog's metrics, by slot.
    pub metrics: Vec<Vec<Dated>>,
    pub sentiments: Vec<Dated>,
    pub nps: Vec<Dated>,
    pub csat: Vec<Dated>,
    pub ces: Vec<Dated>,
    /// Survey responses of the catalog's role-filtered sources, by slot (`Catalog::responses`).
    pub responses: Vec<Vec<Dated>>,
    /// Touches and bugs as entries of value 1 on their day.
    pub touches: Vec<Dated>,
    pub bugs: Vec<Dated>,
    pub goals: Vec<GoalFact>,
    pub milestones: Vec<MilestoneFact>,
    /// The people at the account (read only when a factor or triage needs them).
    pub contacts: Vec<super::contact::ContactFact>,
    /// Touches with someone of each role (`ContactRole::index`), as entries of value 1.
    pub role_touches: [Vec<Dated>; 5],
    /// The days the book's usage data covers (`data_days`): an account's metric days are
    /// counted up to the newest of them, so one whose data stopped while others' goes on is seen
    /// to have gone quiet.
    pub data_days: super::data_days::DataDays,
    /// The days each metric's own samples cover, by catalog metric slot (`Catalog::metrics`):
    /// a metric's days count to the newest day of its own feed, not another's (a help desk's
    /// ticket counts, imported to yesterday, read a weekly usage export as days behind, and a
    /// monthly one as stale). A slot without days of its own (a book from before they were
    /// kept) counts to `data_days`.
    pub metric_days: std::sync::Arc<[super::data_days::DataDays]>,
    /// Whether each metric's feed (by slot, as `metric_days`) is an export of the book's
    /// accounts, not of a few of them (`BookDays::broad`): only such a feed's silence on an
    /// account says it has no sample.
    pub broad_metrics: std::sync::Arc<[bool]>,
    /// The day of the first bug logged in the book, any account's: before it (and in a book
    /// that logs none) bugs are not logged in tend, and no bug is no evidence.
    pub bugs_since: Option<NaiveDate>,
}

/// What decides which score profile an account is on: its age and its segment's inputs.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Subject {
    pub customer_since: Option<NaiveDate>,
    /// ARR in whole currency units.
    pub arr: f64,
    pub inputs: SegmentInputs,
}

impl Subject {
    pub fn since(customer_since: Option<NaiveDate>) -> Subject {
        Subject { customer_since, ..Default::default() }
    }
}

impl AccountFacts {
    /// The series of a catalog metric slot, created on first use.
    pub fn metric_mut(&mut self, slot: usize) -> &mut Vec<Dated> {
        if self.metrics.len() <= slot {
            self.metrics.resize_with(slot + 1, Vec::new);
        }
        &mut self.metrics[slot]
    }

    pub fn subject(&self) -> Subject {
        Subject { customer_since: self.customer_since, arr: self.arr.unwrap_or(0.0), inputs: self.inputs }
    }

    /// No dated fact at all: every factor over samples, entries, goals or milestones is missing on
    /// every day. (Factors over account fields may still have values.)
    pub fn is_empty(&self) -> bool {
        self.has_no_evidence() && self.goals.is_empty() && self.milestones.is_empty()
    }

    /// No dated evidence: no sample and no log entry (planned milestones and goals are tend's
    /// bookkeeping). Such an account has no score on any day unless factors read its fields.
    pub fn has_no_evidence(&self) -> bool {
        self.metrics.iter().all(Vec::is_empty)
            && self.sentiments.is_empty()
            && self.nps.is_empty()
            && self.csat.is_empty()
            && self.ces.is_empty()
            && self.touches.is_empty()
            && self.bugs.is_empty()
    }

    /// The day of the first entry logged for the account, on or before `as_of`.
    fn first_logged(&self, as_of: NaiveDate) -> Option<NaiveDate> {
        // Survey answers (NPS, CSAT, CES) come from the customer through survey tools, not from a
        // CSM's work on the account: they do not start the clock of touches (a back-dated survey
        // must not make a touch look overdue, nor an imported survey make touches look tracked).
        [&self.sentiments, &self.touches, &self.bugs]
            .iter()
            .filter_map(|s| s.first().map(|d| d.0))
            .filter(|d| *d <= as_of)
            .min()
    }

    fn has_logged_entries(&self, as_of: NaiveDate) -> bool {
        self.first_logged(as_of).is_some()
    }

    /// Whether no sample in a window means a real zero: only for a log tend tracks (see the
    /// module rules); for anything else an empty window is missing.
    fn empty_is_zero(&self, source: &Source, as_of: NaiveDate) -> bool {
        matches!(source, Source::Log(_) | Source::TouchWith(_) | Source::Responses { .. })
            && self.tracked(source, as_of)
    }

    fn series(&self, source: &Source) -> &[Dated] {
        match source {
            Source::Metric { slot, .. } => self.metrics.get(*slot).map_or(&[], Vec::as_slice),
            Source::Log(LogKind::Sentiment) => &self.sentiments,
            Source::Log(LogKind::Nps) => &self.nps,
            Source::Log(LogKind::Csat) => &self.csat,
            Source::Log(LogKind::Ces) => &self.ces,
            Source::Responses { slot, .. } => self.responses.get(*slot).map_or(&[], Vec::as_slice),
            Source::Log(LogKind::Touch) => &self.touches,
            Source::Log(LogKind::Bug) => &self.bugs,
            Source::TouchWith(role) => &self.role_touches[role.index()],
            Source::Field(_) | Source::Goals | Source::Milestones | Source::Contacts => &[],
        }
    }

    /// The day a metric's days count to on `as_of`, its newest sample up to then being `newest`:
    /// the newest day its feed covers (`days_of`), or that sample's if later; None while the
    /// feed covers no day yet.
    fn metric_days_end(&self, source: &Source, as_of: NaiveDate, newest: NaiveDate) -> Option<NaiveDate> {
        self.days_of(source).through(as_of).map(|covered| covered.max(newest))
    }

    /// The days a source's data covers: a metric's own feed's where the book keeps them, else
    /// the book's usage data's (`metric_days`).
    fn days_of(&self, source: &Source) -> &super::data_days::DataDays {
        match source {
            Source::Metric { slot, .. } => {
                self.metric_days.get(*slot).filter(|d| !d.is_empty()).unwrap_or(&self.data_days)
            }
            _ => &self.data_days,
        }
    }

    /// Whether a metric's own feed ran through the customer's start: it began on or before
    /// `since` and came in again on a day from then up to `as_of`, holding no sample of the
    /// account. Only the wait for a first sample reads that as "none yet" (a probe's customer of
    /// 39 days without a login, absent from a weekly usage export that held the rest, had no score
    /// and no place in Triage); a window of any other transform stays missing, as tend cannot
    /// tell "none" from "not exported". A feed begun after the start, or one of a few accounts
    /// (`broad_metrics`), says nothing of the accounts it does not name.
    fn feed_reaches(&self, source: &Source, since: NaiveDate, as_of: NaiveDate) -> bool {
        match source {
            Source::Metric { slot, .. } => {
                self.broad_metrics.get(*slot).copied().unwrap_or(false)
                    && self.metric_days.get(*slot).is_some_and(|d| {
                        d.days().first().is_some_and(|first| *first <= since)
                            && d.through(as_of).is_some_and(|end| end >= since)
                    })
            }
            _ => false,
        }
    }

    /// Whether the account's first sample since `since` (`life`) is a use, of a metric whose feed
    /// began after `since` by more than its step (the days between its first two days, a week
    /// where it has one: the first sample covers those, which may hold the start): its first use
    /// came before the data did.
    fn first_use_before_data(&self, source: &Source, since: NaiveDate, life: &[(NaiveDate, f64)]) -> bool {
        let Source::Metric { slot, .. } = source else { return false };
        let began = match self.metric_days.get(*slot).map(|d| d.days()) {
            Some([first, second, ..]) => *first - (*second - *first),
            Some([first]) => *first - chrono::Duration::days(7),
            _ => return false,
        };
        began > since && life.first().is_some_and(|(_, v)| *v > 0.0)
    }

    /// How old a metric's sample of `day` is on `as_of`: counted to `metric_days_end` (to `as_of`
    /// while the book's data covers no day), as the account shows it and `max_age_days` reads it.
    fn metric_age(&self, source: &Source, as_of: NaiveDate, day: NaiveDate) -> i64 {
        days_apart(self.metric_days_end(source, as_of, day).unwrap_or(as_of), day)
    }

    /// Whether tend has data of this kind for the account by `as_of` (see the module rules).
    fn tracked(&self, source: &Source, as_of: NaiveDate) -> bool {
        match source {
            Source::Log(LogKind::Nps | LogKind::Csat | LogKind::Ces) => !upto(self.series(source), as_of).is_empty(),
            // Bugs are tracked where the book logs bugs: a team whose bugs live in another tool
            // logs touches and sentiments here, and their "0 bugs" said nothing.
            Source::Log(LogKind::Bug) => {
                self.has_logged_entries(as_of) && self.bugs_since.is_some_and(|first| first <= as_of)
            }
            Source::Log(_) => self.has_logged_entries(as_of),
            // Touches with a role are tracked once someone of that role is known.
            Source::TouchWith(role) => {
                self.contacts.iter().any(|c| c.role == Some(*role) && c.since <= as_of)
                    || !upto(self.series(source), as_of).is_empty()
            }
            _ => !upto(self.series(source), as_of).is_empty(),
        }
    }

    fn field(&self, field: &Field, as_of: NaiveDate) -> Option<f64> {
        let score = |s: Option<u8>| s.map(f64::from);
        match field {
            Field::Arr => self.arr,
            Field::Mrr => self.arr.map(|a| a / 12.0),
            Field::ExpectedUsage => self.expected_usage,
            Field::AgeDays => self.customer_since.filter(|d| *d <= as_of).map(|d| days_between(d, as_of)),
            Field::VolumeScore => score(self.inputs.volume),
            Field::AdvocacyScore => score(self.inputs.advocacy),
            Field::BrandScore => score(self.inputs.brand),
            Field::Attribute { slot, .. } => self.attributes.get(*slot).copied().flatten(),
        }
    }

    /// The newest value of a source (a field's value, or the newest sample not older than
    /// `max_age` days) with its day. A metric's sample is as old as the account shows it: counted
    /// to the newest day the book's usage data covers (`metric_days_end`), so "last data 42d
    /// before the rest" is within a `max_age` of 45 and counts, whatever day of the week it is.
    fn latest(&self, source: &Source, as_of: NaiveDate, max_age: Option<i64>) -> Option<(Option<NaiveDate>, f64)> {
        let age = |day: NaiveDate| match source {
            Source::Metric { .. } => self.metric_age(source, as_of, day),
            _ => days_apart(as_of, day),
        };
        match source {
            Source::Field(field) => self.field(field, as_of).map(|v| (None, v)),
            _ => upto(self.series(source), as_of)
                .last()
                .filter(|(d, _)| max_age.is_none_or(|max| age(*d) <= max))
                .map(|(d, v)| (Some(*d), *v)),
        }
    }

    /// `latest`, or with `average_days` the average of the samples of that many days up to the
    /// newest one (on the newest one's day): a change and a value against the expected read
    /// their "now" so. A field, which has no days, is its value.
    fn latest_or_average(
        &self,
        source: &Source,
        as_of: NaiveDate,
        max_age: Option<i64>,
        average_days: Option<i64>,
    ) -> Option<(Option<NaiveDate>, f64)> {
        let (day, newest) = self.latest(source, as_of, max_age)?;
        match (average_days, day) {
            (Some(span), Some(day)) => Some((Some(day), mean(window(self.series(source), day, span))?)),
            _ => Some((day, newest)),
        }
    }

    /// Samples of the last `days` days; for a tracked log with none, a real zero. A metric's
    /// last days are those up to the newest day its data covers (`metric_days_end`), as its days
    /// since a use are: counted up to today, a book whose data stopped coming saw its support
    /// tickets fall week by week as the old weeks left the window, and read it as an account
    /// getting better ("+2 in 7 days: Support tickets 12 -> 6", a probe's, with nothing imported).
    fn window_total(&self, source: &Source, as_of: NaiveDate, days: i64) -> Option<(f64, usize)> {
        let end = match source {
            Source::Metric { .. } => upto(self.series(source), as_of)
                .last()
                .and_then(|(newest, _)| self.metric_days_end(source, as_of, *newest))
                .unwrap_or(as_of),
            _ => as_of,
        };
        let inside = window(self.series(source), end, days);
        match inside.is_empty() {
            false => Some((inside.iter().map(|s| s.1).sum(), inside.len())),
            true if self.empty_is_zero(source, as_of) => Some((0.0, 0)),
            true => None,
        }
    }
}

/// Whether the account was a customer on `day`: always, when its start is not known.
pub fn is_customer_on(customer_since: Option<NaiveDate>, day: NaiveDate) -> bool {
    customer_since.is_none_or(|since| since <= day)
}

/// Whether an account is in its jumpstart period on `as_of`.
pub fn in_jumpstart(customer_since: Option<NaiveDate>, as_of: NaiveDate, jumpstart_days: i64) -> bool {
    customer_since.is_some_and(|since| since <= as_of && days_apart(as_of, since) < jumpstart_days)
}

/// The series up to and including `as_of`.
fn upto(series: &[Dated], as_of: NaiveDate) -> &[Dated] {
    &series[..series.partition_point(|(d, _)| *d <= as_of)]
}

/// The samples dated on or after `day`.
fn from_day(series: &[Dated], day: NaiveDate) -> &[Dated] {
    &series[series.partition_point(|(d, _)| *d < day)..]
}

/// The samples of the `days` days ending on `as_of`: after `as_of - days`, up to `as_of`.
fn window(series: &[Dated], as_of: NaiveDate, days: i64) -> &[Dated] {
    let known = upto(series, as_of);
    let start = days_before(as_of, days);
    &known[known.partition_point(|(d, _)| *d <= start)..]
}

/// What a change compares with, `days` before its newest sample of `day`: the sample then (the
/// last on or before it), or with `average_days` the average of the samples of that many days
/// up to then. None when there is none, and with averages when the earlier window holds fewer
/// than half as many samples as the window up to `day`: a daily feed's first day against its
/// next thirty read as "-32%", and steady accounts rose in Triage a month on as their windows
/// filled. Samples are counted, not days, so that a weekly or monthly feed's first sample (its
/// week's or month's use) counts as the daily feed's days do.
fn change_base(series: &[Dated], day: NaiveDate, days: i64, average_days: Option<i64>) -> Option<f64> {
    let then = days_before(day, days);
    match average_days {
        None => upto(series, then).last().map(|s| s.1),
        Some(span) => {
            let earlier = window(series, then, span);
            (earlier.len() * 2 >= window(series, day, span).len()).then(|| mean(earlier))?
        }
    }
}

/// The average of some samples; None for none.
fn mean(samples: &[Dated]) -> Option<f64> {
    (!samples.is_empty()).then(|| samples.iter().map(|s| s.1).sum::<f64>() / samples.len() as f64)
}

fn days_between(from: NaiveDate, to: NaiveDate) -> f64 {
    days_apart(to, from) as f64
}

/// `(later - earlier).num_days()`, by the days of the year where both are in one: chrono's
/// subtraction works through the calendar's 400-year cycles, and a new day's pass over a book
/// subtracts days millions of times.
pub(crate) fn days_apart(later: NaiveDate, earlier: NaiveDate) -> i64 {
    match later.year() == earlier.year() {
        true => i64::from(later.ordinal()) - i64::from(earlier.ordinal()),
        false => (later - earlier).num_days(),
    }
}

/// The day `days` before `day` (after it, for a negative count), through chrono's quick step
/// within a year.
fn days_before(day: NaiveDate, days: i64) -> NaiveDate {
    let step = chrono::Days::new(days.unsigned_abs());
    let moved = if days >= 0 { day.checked_sub_days(step) } else { day.checked_add_days(step) };
    moved.unwrap_or(if days >= 0 { NaiveDate::MIN } else { NaiveDate::MAX })
}

/// The raw value of one factor on `as_of`, or None when its data is missing.
fn value_of(facts: &AccountFacts, source: &Source, transform: &Transform, as_of: NaiveDate) -> Option<f64> {
    value_with(facts, source, transform, as_of, &mut false)
}

/// `value_of`, telling `no_use` whether the value is a change in percent between two windows of
/// no use (`FactorValues::set_no_use`), found as it is worked out.
fn value_with(
    facts: &AccountFacts,
    source: &Source,
    transform: &Transform,
    as_of: NaiveDate,
    no_use: &mut bool,
) -> Option<f64> {
    let since = facts.customer_since.filter(|d| *d <= as_of);
    match transform {
        Transform::Latest { max_age_days, average_days } => {
            facts.latest_or_average(source, as_of, *max_age_days, *average_days).map(|l| l.1)
        }
        Transform::Sum { days } => facts.window_total(source, as_of, *days).map(|t| t.0),
        Transform::Count { days } => facts.window_total(source, as_of, *days).map(|t| t.1 as f64),
        Transform::Average { days } => {
            facts.window_total(source, as_of, *days).filter(|t| t.1 > 0).map(|t| t.0 / t.1 as f64)
        }
        Transform::Change { days, percent, max_age_days, average_days } => {
            // Both averages need a sample in their window; the newest is always in its own.
            let (day, now) = facts.latest_or_average(source, as_of, *max_age_days, *average_days)?;
            let before = change_base(facts.series(source), day?, *days, *average_days)?;
            match percent {
                true if before > 0.0 => Some((now / before - 1.0) * 100.0),
                // Nothing then and nothing now is no change, not no data (an account whose use
                // stopped had its growth missing, and fell under the evidence a score needs);
                // a rise from nothing has no percent.
                true if before == 0.0 && now == 0.0 => {
                    *no_use = true;
                    Some(0.0)
                }
                true => None,
                false => Some(now - before),
            }
        }
        // A metric's days are counted up to the newest day the book's usage data covers on
        // that day (see `data_days`), not to the day itself, nor to the account's own newest
        // sample. How old the data is, is said on its own (`factor_ages`, stale data).
        Transform::DaysSinceLast if matches!(source, Source::Metric { .. }) => {
            let known = upto(facts.series(source), as_of);
            let (first, newest) = (known.first()?.0, known.last()?.0);
            let end = facts.metric_days_end(source, as_of, newest).unwrap_or(newest);
            // Never used: counted from the start, or from the first sample where the data began
            // later than the start's week (a lower bound, `is_lower_bound`): a customer since
            // 2016 whose logins were imported from September, all 0, read "3819 days since login".
            let clock = last_positive(facts, source, as_of).or_else(|| {
                since.filter(|s| *s <= newest).map(|s| if data_began_after(s, first) { first } else { s })
            })?;
            Some(days_between(clock, end).max(0.0))
        }
        Transform::DaysSinceLast => {
            let last = last_positive(facts, source, as_of);
            let clock = last.or_else(|| match source {
                // Never logged in tend: count from when tend began tracking the account (its first
                // log entry), not from a start years before, when touches happened elsewhere.
                Source::Log(_) => facts.first_logged(as_of).map(|first| since.map_or(first, |s| s.max(first))),
                // Never touched: from when the first person of the role was known.
                Source::TouchWith(role) => {
                    facts.contacts.iter().filter(|c| c.role == Some(*role) && c.since <= as_of).map(|c| c.since).min()
                }
                _ => since.filter(|_| facts.tracked(source, as_of)),
            });
            clock.map(|d| days_between(d, as_of))
        }
        Transform::DaysToFirst => {
            // Its window is the customer's life so far: without a sample in it (a zero counts:
            // it says "no use yet"), there is nothing to count and the value is missing.
            let since = since?;
            let life = from_day(upto(facts.series(source), as_of), since);
            if life.is_empty() && !facts.empty_is_zero(source, as_of) && !facts.feed_reaches(source, since, as_of) {
                return None;
            }
            // Until the first one happens, the wait so far is a lower bound that keeps growing.
            match life.iter().find(|(_, v)| *v > 0.0) {
                // In use from the account's first sample on, of a feed begun after the customer's
                // start: the first use came on that day or any day before, not known which (a
                // probe's customer of 66 days, 48 logins in the feed's first week, read "Days to
                // first login 72d").
                Some(_) if facts.first_use_before_data(source, since, life) => None,
                Some((first, _)) => Some(days_between(since, *first).max(0.0)),
                None => Some(days_between(since, as_of)),
            }
        }
        Transform::SumFromStart { days } => {
            // Its window is the first `days` days as known on `as_of`; no sample there, no value.
            let since = since?;
            let end = since + chrono::Duration::days(*days);
            let life = from_day(upto(facts.series(source), as_of), since);
            let first_days = &life[..life.partition_point(|(d, _)| *d < end)];
            if first_days.is_empty() && !facts.empty_is_zero(source, as_of) {
                return None;
            }
            Some(first_days.iter().map(|s| s.1).sum())
        }
        Transform::Ratio { denominator, days, max_age_days } => {
            let (top, bottom) = match days {
                Some(days) => {
                    (facts.window_total(source, as_of, *days)?.0, facts.window_total(denominator, as_of, *days)?.0)
                }
                None => {
                    (facts.latest(source, as_of, *max_age_days)?.1, facts.latest(denominator, as_of, *max_age_days)?.1)
                }
            };
            (bottom != 0.0).then(|| top / bottom)
        }
        Transform::VsExpected { expected, max_age_days, average_days } => {
            let used = facts.latest_or_average(source, as_of, *max_age_days, *average_days)?.1;
            let expected = facts.latest(expected, as_of, None)?.1;
            (expected > 0.0).then(|| used / expected * 100.0)
        }
        Transform::OnTrackPercent => goal::goals_on_track(&facts.goals, as_of),
        Transform::OverdueCount => journey::overdue_milestones(&facts.milestones, as_of),
        Transform::HasRole(role) => super::contact::has_role(&facts.contacts, *role, as_of),
        Transform::CountActive => super::contact::count_active(&facts.contacts, as_of),
    }
}

/// The day of the newest sample above zero on or before `as_of` (a touch, a login).
fn last_positive(facts: &AccountFacts, source: &Source, as_of: NaiveDate) -> Option<NaiveDate> {
    upto(facts.series(source), as_of).iter().rev().find(|(_, v)| *v > 0.0).map(|(d, _)| *d)
}

/// Whether a metric's data, whose first sample is of `first`, began after the customer's start
/// (`since`): more than a week after it, as a weekly export's first sample covers the week before
/// it. Before such data, use is not known.
fn data_began_after(since: NaiveDate, first: NaiveDate) -> bool {
    days_apart(first, since) > 7
}

/// Whether the factor's value on `as_of` is a lower bound: days since the last touch (with
/// anyone, or someone of a role) when none has been logged yet count from when tend began
/// tracking the account, and the last touch, made before, may be older.
/// So are the days to a first use that has not happened yet: "1d" on a customer's first day
/// is no quick first login (it scored full points, then read as a fall of 50 a month later).
fn is_lower_bound(facts: &AccountFacts, source: &Source, transform: &Transform, as_of: NaiveDate) -> bool {
    match transform {
        Transform::DaysSinceLast => match source {
            Source::Log(_) | Source::TouchWith(_) => last_positive(facts, source, as_of).is_none(),
            // A metric never used: its days are those without a use so far, a count that only
            // grows, not the days since one. A probe's customer of 13 days, never logged in, had
            // "Days since login 5d" earn 3 points of 4 for a login it never made; as a lower
            // bound it earns points only once every value above it earns the same.
            Source::Metric { .. } => last_positive(facts, source, as_of).is_none(),
            _ => false,
        },
        Transform::DaysToFirst => facts
            .customer_since
            .filter(|d| *d <= as_of)
            .is_some_and(|since| !from_day(upto(facts.series(source), as_of), since).iter().any(|(_, v)| *v > 0.0)),
        _ => false,
    }
}

/// Raw values of every factor of the catalog for an account on `as_of`. A factor without data
/// stays missing; a lower bound is marked so (`FactorValues::set_at_least`).
pub fn derive_values(facts: &AccountFacts, as_of: NaiveDate, catalog: &Catalog) -> FactorValues {
    let mut v = FactorValues::default();
    for (id, def) in catalog.ids().zip(&catalog.defs) {
        let mut no_use = false;
        match value_with(facts, &def.source, &def.transform, as_of, &mut no_use) {
            Some(value) if is_lower_bound(facts, &def.source, &def.transform, as_of) => v.set_at_least(id, value),
            Some(_) if no_use => v.set_no_use(id),
            value => v.set(id, value),
        }
    }
    v
}

/// Why a factor over a metric that has samples has no value on a day, where the reason is not
/// "no data".
#[derive(Clone, Debug, PartialEq)]
pub enum Missing {
    /// Its newest sample, this many days before the rest of the book's data, is too old to count.
    Stopped(i64),
    /// The source it is compared with (`expected`, `denominator`) has no value for the account.
    NoValueOf(Source),
    /// A change with nothing this many days before the newest sample to compare with.
    NothingBefore(i64),
    /// A change in percent from nothing: no percent of 0.
    RiseFromNothing,
    /// A sum over the customer's first this many days, which the data does not reach back to.
    NothingInFirstDays(i64),
    /// A count from the customer's start (days to a first use, use in the first days) whose
    /// samples are all from before it (a trial's): "no samples" read as if none were imported.
    OnlyBeforeStart,
    /// Days to a first use, in use from the first sample of a feed begun after the customer's
    /// start: that use came then or before.
    UsedBeforeData,
}

impl Missing {
    /// Whether the value is over days gone by that the data does not reach (a customer's first
    /// days, its first use): no file to come brings it.
    pub fn before_the_data(&self) -> bool {
        matches!(self, Missing::UsedBeforeData | Missing::NothingInFirstDays(_) | Missing::OnlyBeforeStart)
    }
}

/// Why each factor over a metric has no value on `as_of` although the metric has samples (None
/// where it has a value, or no sample at all).
pub fn missing_reasons(facts: &AccountFacts, as_of: NaiveDate, catalog: &Catalog) -> [Option<Missing>; MAX_FACTORS] {
    let mut out = [const { None }; MAX_FACTORS];
    for (slot, def) in out.iter_mut().zip(&catalog.defs) {
        if value_of(facts, &def.source, &def.transform, as_of).is_none() {
            *slot = why_missing(facts, &def.source, &def.transform, as_of);
        }
    }
    out
}

/// What a factor compares its data with (expected usage, a ratio's other metric) where the
/// account has no value of it: the factor has none, however current its own data.
fn lacks_other<'t>(facts: &AccountFacts, transform: &'t Transform, as_of: NaiveDate) -> Option<&'t Source> {
    let other = transform.other_source()?;
    let known = match transform {
        Transform::Ratio { days: Some(days), .. } => facts.window_total(other, as_of, *days).map(|t| t.0),
        _ => facts.latest(other, as_of, None).map(|l| l.1),
    };
    known.is_none_or(|v| v == 0.0).then_some(other)
}

fn why_missing(facts: &AccountFacts, source: &Source, transform: &Transform, as_of: NaiveDate) -> Option<Missing> {
    if !matches!(source, Source::Metric { .. }) {
        return None;
    }
    let series = facts.series(source);
    let newest = upto(series, as_of).last()?.0;
    let age = facts.metric_age(source, as_of, newest);
    if matches!(transform, Transform::DaysToFirst | Transform::SumFromStart { .. })
        && facts.customer_since.is_some_and(|since| newest < since)
    {
        return Some(Missing::OnlyBeforeStart);
    }
    if let (Transform::DaysToFirst, Some(since)) = (transform, facts.customer_since)
        && facts.first_use_before_data(source, since, from_day(upto(series, as_of), since))
    {
        return Some(Missing::UsedBeforeData);
    }
    let stopped = match transform {
        Transform::Latest { max_age_days, .. }
        | Transform::Change { max_age_days, .. }
        | Transform::VsExpected { max_age_days, .. }
        | Transform::Ratio { days: None, max_age_days, .. } => max_age_days.is_some_and(|max| age > max),
        Transform::Average { days } | Transform::Sum { days } | Transform::Count { days } => {
            window(series, as_of, *days).is_empty()
        }
        Transform::Ratio { days: Some(days), .. } => window(series, as_of, *days).is_empty(),
        Transform::SumFromStart { days } if facts.customer_since.is_some_and(|since| since < newest) => {
            return Some(Missing::NothingInFirstDays(*days));
        }
        _ => false,
    };
    // What it is compared with first: without it no feed brings a value (a stopped feed's
    // words hid that the account had no expected usage at all).
    if let Some(other) = lacks_other(facts, transform, as_of) {
        return Some(Missing::NoValueOf(other.clone()));
    }
    if stopped {
        return Some(Missing::Stopped(age));
    }
    match transform {
        Transform::Change { days, percent, average_days, .. } => {
            match change_base(series, newest, *days, *average_days) {
                None => Some(Missing::NothingBefore(*days)),
                Some(b) if *percent && b == 0.0 => Some(Missing::RiseFromNothing),
                Some(_) => None,
            }
        }
        _ => None,
    }
}

/// Days since the newest fact behind each factor on `as_of`: the newest sentiment or NPS
/// response, the newest goal status; for a metric, from its newest sample to the newest day the
/// book's usage data covers (`data_days`): a weekly export is no staler on its sixth day, and an
/// account whose feed stopped while the others' goes on is. None for values that are themselves
/// ages or counts of events (touches, bugs, milestones) and for account fields.
pub fn factor_ages(facts: &AccountFacts, as_of: NaiveDate, catalog: &Catalog) -> [Option<i64>; MAX_FACTORS] {
    let age = |day: Option<NaiveDate>| day.map(|d| days_apart(as_of, d));
    let mut out = [None; MAX_FACTORS];
    for (slot, def) in out.iter_mut().zip(&catalog.defs) {
        *slot = match &def.source {
            // A factor that can have no value for want of what it compares with (no expected
            // usage) is not stale: Triage said "stale: Usage vs expected" where the Account view
            // said "no expected usage: optional, left out".
            Source::Metric { .. } if lacks_other(facts, &def.transform, as_of).is_some() => None,
            Source::Metric { .. } => upto(facts.series(&def.source), as_of)
                .last()
                .map(|(newest, _)| facts.metric_age(&def.source, as_of, *newest)),
            Source::Log(LogKind::Sentiment | LogKind::Nps | LogKind::Csat | LogKind::Ces)
            | Source::Responses { .. } => age(upto(facts.series(&def.source), as_of).last().map(|s| s.0)),
            Source::Goals => {
                age(facts.goals.iter().flat_map(|g| g.statuses.iter().map(|(d, _)| *d)).filter(|d| *d <= as_of).max())
            }
            Source::Log(LogKind::Touch | LogKind::Bug)
            | Source::Milestones
            | Source::Field(_)
            | Source::Contacts
            | Source::TouchWith(_) => None,
        };
    }
    out
}

/// The day each metric factor's feed ends on where it has gone quiet beside the book's other
/// data (`DataDays::quiet_beside`) and the account has samples in it: its value stands on data
/// the feed's next export should have replaced, though it is as current as the feed (a probe's
/// "Days since login 0d" three weeks after the usage export stopped, beside daily tickets).
pub fn quiet_feeds(facts: &AccountFacts, as_of: NaiveDate, catalog: &Catalog) -> [Option<NaiveDate>; MAX_FACTORS] {
    let mut out = [None; MAX_FACTORS];
    for (slot, def) in out.iter_mut().zip(&catalog.defs) {
        if matches!(def.source, Source::Metric { .. }) && !upto(facts.series(&def.source), as_of).is_empty() {
            *slot = facts.days_of(&def.source).quiet_beside(&facts.data_days, as_of);
        }
    }
    out
}

/// The longest a series' own rhythm stretches its staleness (a quarterly feed's two quarters).
const MOST_SLACK_DAYS: i64 = 183;

/// Days each factor's data may be behind the rest before its `stale_after_days` starts: for a
/// metric whose samples come further apart than its feed's days (an account's monthly rows in a
/// weekly feed, or a monthly metric in a book from before each metric's days were kept, whose
/// days are every feed's), two of its gaps less two of the feed's, by the median gap of its last
/// four samples; 0 otherwise. A month dated by its first day is exported once it ends, and is
/// the newest until the next one ends: up to two months behind a daily feed, and current. A
/// probe's monthly export beside a help desk's daily counts read "stale: Active users — 31 days
/// behind the rest" on 36 of 40 accounts, days after its newest month came in. An account whose
/// samples stop is stale once two of its own gaps are past (the book's rule for data overdue,
/// `DataDays::overdue`). A factor's `max_age_days` is not stretched: it is the user's own limit
/// (a probe's monthly factor of 45 days kept a sample of 90).
pub fn factor_slack(facts: &AccountFacts, as_of: NaiveDate, catalog: &Catalog) -> [i64; MAX_FACTORS] {
    let mut out = [0; MAX_FACTORS];
    for (slot, id) in out.iter_mut().zip(catalog.ids()) {
        *slot = slack_of(facts, id, as_of, catalog);
    }
    out
}

/// `factor_slack` of one factor: asked only of a factor older than its limit (`stale_mask`), as
/// a new day's pass asks it of every account.
pub fn slack_of(facts: &AccountFacts, id: super::factor::FactorId, as_of: NaiveDate, catalog: &Catalog) -> i64 {
    let source = &catalog.def(id).source;
    match source {
        Source::Metric { .. } => facts.metric_slack(source, as_of),
        _ => 0,
    }
}

impl AccountFacts {
    /// `factor_slack` of a metric's series up to `as_of`, against the days its feed covers.
    fn metric_slack(&self, source: &Source, as_of: NaiveDate) -> i64 {
        let series = upto(self.series(source), as_of);
        let last = &series[series.len().saturating_sub(5)..];
        let mut gaps: Vec<i64> = last.windows(2).map(|w| days_apart(w[1].0, w[0].0)).collect();
        gaps.sort_unstable();
        let Some(gap) = gaps.get(gaps.len() / 2) else { return 0 };
        // Without a rhythm of the book's own (two days covered), nothing to be slower than.
        let Some((book_gap, _)) = self.days_of(source).usual_gap(as_of) else { return 0 };
        (2 * (gap - book_gap)).clamp(0, MOST_SLACK_DAYS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::builtin as id;
    use crate::domain::catalog::FactorDef;
    use crate::domain::factor::Unit;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn defaults() -> crate::domain::health::HealthConfig {
        crate::config::Config::default().health
    }

    /// Facts with metric series placed in the default catalog's slots.
    fn with_metrics(mut f: AccountFacts, series: &[(&str, Vec<Dated>)]) -> AccountFacts {
        let catalog = defaults().catalog;
        for (name, s) in series {
            let slot = catalog.metrics.iter().position(|m| m == name).unwrap();
            *f.metric_mut(slot) = s.clone();
        }
        f
    }

    fn builtin(f: &AccountFacts, key: &str, day: &str) -> Option<f64> {
        derive_values(f, d(day), &defaults().catalog).get(id(key))
    }

    /// One factor over `source` with `transform`, alone in a catalog.
    fn one(source: &str, transform: Transform) -> Catalog {
        Catalog::new(vec![FactorDef {
            key: "x".into(),
            label: "X".into(),
            unit: Unit::Number,
            source: Source::parse(source).unwrap(),
            transform,
            optional: false,
        }])
    }

    fn value(catalog: &Catalog, f: &AccountFacts, day: &str) -> Option<f64> {
        derive_values(f, d(day), catalog).get(crate::domain::FactorId(0))
    }

    /// Samples of metric "m" (slot 0 of a one-factor catalog): weekly, with a gap in February.
    fn gappy() -> AccountFacts {
        AccountFacts {
            customer_since: Some(d("2026-01-01")),
            metrics: vec![vec![
                (d("2026-01-05"), 10.0),
                (d("2026-01-12"), 20.0),
                (d("2026-01-19"), 0.0),
                (d("2026-03-02"), 40.0),
            ]],
            ..Default::default()
        }
    }

    #[test]
    fn empty_facts_give_no_values() {
        let f = AccountFacts {
            customer_since: Some(d("2026-01-01")),
            expected_usage: Some(5.0),
            arr: Some(120_000.0),
            inputs: crate::domain::SegmentInputs { volume: Some(3), advocacy: Some(2), brand: Some(4) },
            ..Default::default()
        };
        assert!(f.is_empty());
        // History skips accounts without facts when no factor can score from fields alone: every
        // built-in needs a dated fact, whatever the fields say, on any day.
        let catalog = defaults().catalog;
        assert!(!catalog.values_from_fields_alone());
        for day in ["2025-12-01", "2026-01-01", "2026-06-01", "2027-06-01"] {
            assert!(derive_values(&f, d(day), &catalog).is_empty(), "{day}");
        }
        assert!(!AccountFacts { touches: vec![(d("2026-01-02"), 1.0)], ..f }.is_empty());
    }

    #[test]
    fn latest_sentiment_as_of_ignores_the_future() {
        let f = AccountFacts { sentiments: vec![(d("2026-01-01"), 8.0), (d("2026-03-01"), 4.0)], ..Default::default() };
        assert_eq!(builtin(&f, "sentiment", "2026-02-15"), Some(8.0));
        assert_eq!(builtin(&f, "sentiment", "2026-03-01"), Some(4.0));
        assert_eq!(builtin(&f, "sentiment", "2025-12-31"), None);
    }

    #[test]
    fn usage_vs_expected_and_growth() {
        let f = AccountFacts { expected_usage: Some(1000.0), ..Default::default() };
        let f = with_metrics(f, &[("usage", vec![(d("2026-01-01"), 800.0), (d("2026-02-01"), 1200.0)])]);
        assert_eq!(builtin(&f, "usage_vs_expected", "2026-02-10"), Some(120.0));
        assert_eq!(builtin(&f, "usage_growth", "2026-02-10"), Some(50.0));
        // Stale samples (older than 45 days) are missing, not carried forward forever.
        assert_eq!(builtin(&f, "usage_vs_expected", "2026-04-01"), None);
        assert_eq!(builtin(&f, "usage_growth", "2026-04-01"), None);
    }

    #[test]
    fn growth_needs_a_sample_a_window_earlier() {
        let f = with_metrics(
            AccountFacts::default(),
            &[("usage", vec![(d("2026-01-20"), 800.0), (d("2026-02-01"), 1200.0)])],
        );
        assert_eq!(builtin(&f, "usage_growth", "2026-02-01"), None);
    }

    #[test]
    fn bugs_count_in_window_once_anything_is_logged_in_a_book_that_logs_bugs() {
        let mut f = AccountFacts {
            bugs: vec![(d("2025-10-01"), 1.0), (d("2026-01-10"), 1.0)],
            bugs_since: Some(d("2025-10-01")),
            ..Default::default()
        };
        assert_eq!(builtin(&f, "bugs_escalated", "2026-02-01"), Some(1.0));
        f.bugs.clear();
        assert_eq!(builtin(&f, "bugs_escalated", "2026-02-01"), None);
        f.touches = vec![(d("2026-01-05"), 1.0)];
        assert_eq!(builtin(&f, "bugs_escalated", "2026-02-01"), Some(0.0));
        // Before the book's first bug, and in a book with none, no bug is no evidence.
        assert_eq!(builtin(&f, "bugs_escalated", "2025-09-30"), None);
        f.bugs_since = None;
        assert_eq!(builtin(&f, "bugs_escalated", "2026-02-01"), None);
    }

    #[test]
    fn tickets_sum_the_window() {
        let f = with_metrics(
            AccountFacts::default(),
            &[("support_tickets", vec![(d("2026-01-01"), 5.0), (d("2026-01-20"), 2.0), (d("2026-01-27"), 1.0)])],
        );
        assert_eq!(builtin(&f, "support_tickets", "2026-01-31"), Some(3.0));
        assert_eq!(builtin(&f, "support_tickets", "2026-04-01"), None);
    }

    #[test]
    fn a_metric_total_ends_where_the_books_data_ends() {
        // Weekly data through 2026-01-27: its last 30 days are the same on the days after it, not
        // fewer tickets each day as its old weeks leave a window ending today.
        let mut f = with_metrics(
            AccountFacts::default(),
            &[("support_tickets", vec![(d("2026-01-06"), 4.0), (d("2026-01-20"), 2.0), (d("2026-01-27"), 1.0)])],
        );
        let weeks: Vec<(NaiveDate, u64)> =
            ["2026-01-06", "2026-01-13", "2026-01-20", "2026-01-27"].iter().map(|day| (d(day), 100)).collect();
        f.data_days = crate::domain::data_days::DataDays::from_counts(&weeks);
        for day in ["2026-01-27", "2026-02-03", "2026-02-20"] {
            assert_eq!(builtin(&f, "support_tickets", day), Some(7.0), "{day}");
        }
        // Data that goes on without this account's tickets: its last 30 days hold none.
        f.data_days = crate::domain::data_days::DataDays::from_counts(&[weeks, vec![(d("2026-03-02"), 100)]].concat());
        assert_eq!(builtin(&f, "support_tickets", "2026-03-03"), None);
        // Between two weeks of data, the week's Monday ends it.
        assert_eq!(builtin(&f, "support_tickets", "2026-01-10"), Some(4.0));
    }

    #[test]
    fn logins_and_touches_count_days() {
        let f = AccountFacts {
            customer_since: Some(d("2026-01-01")),
            touches: vec![(d("2026-01-02"), 1.0)],
            ..Default::default()
        };
        let f = with_metrics(
            f,
            &[("logins", vec![(d("2026-01-08"), 0.0), (d("2026-01-15"), 3.0), (d("2026-01-22"), 0.0)])],
        );
        // The last login 01-15, the newest sample 01-22 (none that week): 7 days.
        assert_eq!(builtin(&f, "days_since_login", "2026-01-25"), Some(7.0));
        assert_eq!(builtin(&f, "days_since_touch", "2026-01-25"), Some(23.0));
        assert_eq!(builtin(&f, "days_to_first_login", "2026-01-25"), Some(14.0));
        assert_eq!(builtin(&f, "early_logins", "2026-01-25"), Some(3.0));
    }

    /// A customer since 2016 whose logins were imported from September, every one 0: at least
    /// the days the data covers, not "3819 days since login" counted from a start the data
    /// knows nothing of.
    #[test]
    fn never_logged_in_since_data_that_began_late_is_a_lower_bound() {
        let f = AccountFacts { customer_since: Some(d("2016-03-01")), ..Default::default() };
        let f = with_metrics(f, &[("logins", vec![(d("2026-09-07"), 0.0), (d("2026-11-30"), 0.0)])]);
        let catalog = defaults().catalog;
        let values = derive_values(&f, d("2026-12-04"), &catalog);
        let login = id("days_since_login");
        assert_eq!(values.get(login), Some(84.0), "09-07 to 11-30");
        assert!(values.is_at_least(login));
    }

    #[test]
    fn never_logged_in_counts_from_the_start() {
        let f = AccountFacts { customer_since: Some(d("2026-01-01")), ..Default::default() };
        let f = with_metrics(f, &[("logins", vec![(d("2026-01-08"), 0.0)])]);
        // From the start to the newest sample (01-08, no login): 7 days without one known.
        assert_eq!(builtin(&f, "days_since_login", "2026-01-21"), Some(7.0));
        assert_eq!(builtin(&f, "days_to_first_login", "2026-01-21"), Some(20.0));
        // Nothing logged for it yet: touches are not tracked, so no "days since touch".
        assert_eq!(builtin(&f, "days_since_touch", "2026-01-21"), None);
        // The wait for a first login so far is a lower bound: at least 20 days, not a known 20.
        let catalog = defaults().catalog;
        let first = id("days_to_first_login");
        let values = derive_values(&f, d("2026-01-21"), &catalog);
        assert!(values.is_at_least(first) && values.known(first).is_none());
        // Once it happened, the days to it are known, on every day after.
        let logged = with_metrics(f, &[("logins", vec![(d("2026-01-08"), 0.0), (d("2026-01-12"), 2.0)])]);
        let values = derive_values(&logged, d("2026-01-21"), &catalog);
        assert_eq!(values.known(first), Some(11.0));
        assert!(derive_values(&logged, d("2026-01-09"), &catalog).is_at_least(first), "before it happened");
    }

    #[test]
    fn never_touched_counts_from_when_tend_began_tracking() {
        // The first entry logged (a sentiment on 01-05) starts the clock, not the start date.
        let f = AccountFacts {
            customer_since: Some(d("2026-01-01")),
            sentiments: vec![(d("2026-01-05"), 7.0)],
            ..Default::default()
        };
        assert_eq!(builtin(&f, "days_since_touch", "2026-01-21"), Some(16.0));
        // At least 16 days: the last touch, before tend, may be older.
        let values = derive_values(&f, d("2026-01-21"), &defaults().catalog);
        assert!(values.is_at_least(id("days_since_touch")));
        assert_eq!(values.known(id("days_since_touch")), None);
        // Once a touch is logged, the days since it are known.
        let touched = AccountFacts { touches: vec![(d("2026-01-10"), 1.0)], ..f.clone() };
        let values = derive_values(&touched, d("2026-01-21"), &defaults().catalog);
        assert_eq!(values.known(id("days_since_touch")), Some(11.0));
        // A customer since 2016 first logged in tend today has not gone ten years untouched.
        let old = AccountFacts {
            customer_since: Some(d("2016-03-01")),
            sentiments: vec![(d("2026-11-30"), 4.0)],
            ..Default::default()
        };
        assert_eq!(builtin(&old, "days_since_touch", "2026-11-30"), Some(0.0));
        // A customer whose start comes after the first entry counts from the start.
        let later = AccountFacts {
            customer_since: Some(d("2026-02-01")),
            sentiments: vec![(d("2026-01-20"), 7.0)],
            ..Default::default()
        };
        assert_eq!(builtin(&later, "days_since_touch", "2026-02-11"), Some(10.0));
    }

    #[test]
    fn account_with_only_a_start_date_has_no_values() {
        let f =
            AccountFacts { customer_since: Some(d("2025-01-01")), expected_usage: Some(100.0), ..Default::default() };
        assert!(derive_values(&f, d("2026-01-21"), &defaults().catalog).is_empty());
    }

    #[test]
    fn jumpstart_switches_over_on_day_n() {
        let since = Some(d("2026-01-01"));
        assert!(in_jumpstart(since, d("2026-01-01"), 90));
        assert!(in_jumpstart(since, d("2026-03-31"), 90)); // day 89
        assert!(!in_jumpstart(since, d("2026-04-01"), 90)); // day 90
        assert!(!in_jumpstart(None, d("2026-01-02"), 90));
        assert!(!in_jumpstart(since, d("2025-12-31"), 90));
    }

    #[test]
    fn ages_count_from_the_newest_fact_behind_each_factor() {
        let f = AccountFacts {
            sentiments: vec![(d("2026-01-01"), 8.0), (d("2026-02-01"), 6.0)],
            touches: vec![(d("2026-03-05"), 1.0)],
            ..Default::default()
        };
        let f = with_metrics(f, &[("usage", vec![(d("2026-03-01"), 10.0)])]);
        let catalog = defaults().catalog;
        let ages = factor_ages(&f, d("2026-03-11"), &catalog);
        assert_eq!(ages[id("sentiment").index()], Some(38));
        assert_eq!(ages[id("usage_growth").index()], Some(10));
        // Without expected usage, usage vs expected has no value however current the usage: no age.
        assert_eq!(ages[id("usage_vs_expected").index()], None);
        let expected = AccountFacts { expected_usage: Some(100.0), ..f.clone() };
        assert_eq!(factor_ages(&expected, d("2026-03-11"), &catalog)[id("usage_vs_expected").index()], Some(10));
        assert_eq!(ages[id("nps").index()], None);
        assert_eq!(ages[id("days_since_touch").index()], None, "already an age");
        // As of a day before the newest sample, the older one counts.
        assert_eq!(factor_ages(&f, d("2026-01-21"), &catalog)[id("sentiment").index()], Some(20));
    }

    #[test]
    fn stale_sentiment_is_marked_by_its_limit() {
        let health = defaults();
        let f = AccountFacts {
            customer_since: Some(d("2025-01-01")),
            sentiments: vec![(d("2026-01-01"), 8.0)],
            ..Default::default()
        };
        let mask = |day: &str| {
            let day = d(day);
            let slack = |id| slack_of(&f, id, day, &health.catalog);
            health.stale_mask(&factor_ages(&f, day, &health.catalog), &slack, &f.subject(), day)
        };
        assert_eq!(mask("2026-03-02"), 0, "59 days: fresh (limit 60)");
        assert_eq!(mask("2026-03-03"), 1 << id("sentiment").index(), "61 days: stale");
    }

    /// A monthly series beside a book of daily data is stale only once two of its months are
    /// past; a series as frequent as the book's days has no slack.
    #[test]
    fn a_series_slower_than_the_books_days_is_stale_past_its_own_rhythm() {
        let catalog = defaults().catalog;
        let daily: Vec<(NaiveDate, u64)> =
            (0..120).map(|n| (d("2026-08-01") + chrono::Duration::days(n), 50)).collect();
        let months: Vec<Dated> = ["2026-06-01", "2026-07-01", "2026-08-01", "2026-09-01", "2026-10-01"]
            .iter()
            .map(|m| (d(m), 9.0))
            .collect();
        let mut f = with_metrics(AccountFacts::default(), &[("active_users", months.clone())]);
        f.data_days = crate::domain::data_days::DataDays::from_counts(&daily);
        let users = id("active_users").index();
        // Gaps 30, 31, 31, 30: the median 31, two of them less two days of the book's.
        assert_eq!(factor_slack(&f, d("2026-11-23"), &catalog)[users], 60);
        assert_eq!(factor_slack(&f, d("2026-11-23"), &catalog)[id("sentiment").index()], 0, "no metric");
        // A series of the book's own rhythm has none.
        let days: Vec<Dated> = daily.iter().map(|(day, _)| (*day, 9.0)).collect();
        let mut every_day = with_metrics(AccountFacts::default(), &[("active_users", days)]);
        every_day.data_days = f.data_days.clone();
        assert_eq!(factor_slack(&every_day, d("2026-11-23"), &catalog)[users], 0);
        // Without the book's days, no rhythm to be slower than.
        let alone = with_metrics(AccountFacts::default(), &[("active_users", months.clone())]);
        assert_eq!(factor_slack(&alone, d("2026-11-23"), &catalog)[users], 0);
        // One sample: no rhythm, no slack.
        let mut once = with_metrics(AccountFacts::default(), &[("active_users", months[..1].to_vec())]);
        once.data_days = f.data_days.clone();
        assert_eq!(factor_slack(&once, d("2026-11-23"), &catalog)[users], 0);
    }

    // Each transform against hand-computed values, with gaps and single samples.

    #[test]
    fn latest_takes_the_newest_sample_and_respects_max_age() {
        let any = one("metric:m", Transform::Latest { max_age_days: None, average_days: None });
        let fresh = one("metric:m", Transform::Latest { max_age_days: Some(30), average_days: None });
        let f = gappy();
        assert_eq!(value(&any, &f, "2026-01-04"), None, "before the first sample");
        assert_eq!(value(&any, &f, "2026-01-12"), Some(20.0), "the sample of the day counts");
        assert_eq!(value(&any, &f, "2026-02-25"), Some(0.0), "zero is a value, carried over the gap");
        assert_eq!(value(&fresh, &f, "2026-02-18"), Some(0.0), "30 days old: still fresh");
        assert_eq!(value(&fresh, &f, "2026-02-19"), None, "31 days old: missing");
    }

    #[test]
    fn days_apart_and_before_agree_with_chrono_across_years() {
        let start = d("2015-12-20");
        for a in (0..4000).step_by(7) {
            let later = start + chrono::Duration::days(a);
            for back in [0, 1, 6, 30, 89, 90, 365, 366, 1500] {
                let earlier = later - chrono::Duration::days(back);
                assert_eq!(days_apart(later, earlier), back, "{later} {earlier}");
                assert_eq!(days_apart(earlier, later), -back, "{earlier} {later}");
                assert_eq!(days_before(later, back), earlier, "{later} - {back}");
                assert_eq!(days_before(earlier, -back), later, "{earlier} + {back}");
            }
        }
    }

    #[test]
    fn window_aggregates_count_the_days_ending_on_the_day() {
        let f = gappy();
        let sum = one("metric:m", Transform::Sum { days: 14 });
        let avg = one("metric:m", Transform::Average { days: 14 });
        let count = one("metric:m", Transform::Count { days: 14 });
        // 14 days ending 2026-01-19: after 01-05, so 01-12 and 01-19.
        assert_eq!(value(&sum, &f, "2026-01-19"), Some(20.0));
        assert_eq!(value(&avg, &f, "2026-01-19"), Some(10.0));
        assert_eq!(value(&count, &f, "2026-01-19"), Some(2.0));
        // In the gap a metric has no sample in the window: missing, not zero.
        assert_eq!(value(&sum, &f, "2026-02-20"), None);
        assert_eq!(value(&count, &f, "2026-02-20"), None);
        // A single sample.
        assert_eq!(value(&avg, &f, "2026-03-02"), Some(40.0));
    }

    #[test]
    fn logged_events_count_zero_once_tracked() {
        let count = one("log:touch", Transform::Count { days: 30 });
        let mut f = AccountFacts { sentiments: vec![(d("2026-01-01"), 7.0)], ..Default::default() };
        assert_eq!(value(&count, &f, "2026-02-01"), Some(0.0), "tracked, no touch: a real zero");
        f.touches = vec![(d("2026-01-20"), 1.0), (d("2026-01-25"), 1.0)];
        assert_eq!(value(&count, &f, "2026-02-01"), Some(2.0));
        assert_eq!(value(&count, &AccountFacts::default(), "2026-02-01"), None, "nothing logged: unknown");
    }

    #[test]
    fn change_compares_with_the_value_days_before_the_newest() {
        let f = gappy();
        let abs =
            one("metric:m", Transform::Change { days: 7, percent: false, max_age_days: None, average_days: None });
        let pct = one("metric:m", Transform::Change { days: 7, percent: true, max_age_days: None, average_days: None });
        // Newest 01-12 (20); 7 days before it, 01-05 (10).
        assert_eq!(value(&abs, &f, "2026-01-12"), Some(10.0));
        assert_eq!(value(&pct, &f, "2026-01-12"), Some(100.0));
        // Newest 01-19 (0) against 01-12 (20).
        assert_eq!(value(&pct, &f, "2026-01-19"), Some(-100.0));
        // Newest 03-02 (40) against the last sample on or before 02-23 (01-19: 0): no percent of 0.
        assert_eq!(value(&abs, &f, "2026-03-02"), Some(40.0));
        assert_eq!(value(&pct, &f, "2026-03-02"), None);
        // From 0 to 0: no change (0%), not no value; marked as between two windows of no use,
        // which where more is better earns the fewest points, not a flat one's.
        let flat = AccountFacts { metrics: vec![vec![(d("2026-01-05"), 0.0), (d("2026-01-12"), 0.0)]], ..gappy() };
        assert_eq!(value(&pct, &flat, "2026-01-12"), Some(0.0));
        let values = derive_values(&flat, d("2026-01-12"), &pct);
        let id = crate::domain::FactorId(0);
        assert!(values.is_no_use(id) && values.get(id) == Some(0.0));
        let higher = crate::domain::FactorRule {
            weight: 1.0,
            better: crate::domain::factor::Better::Higher,
            thresholds: [-50.0, -10.0, 10.0],
            critical: false,
            stale_after_days: None,
            bookkeeping: false,
            optional: false,
        };
        assert_eq!(values.points(id, &higher), Some(1), "no use is no steady use");
        let lower = crate::domain::FactorRule { better: crate::domain::factor::Better::Lower, ..higher };
        assert_eq!(values.points(id, &lower), Some(lower.points(0.0)), "no tickets then or now");
        // Use that held (10 then, 10 now) is flat, unmarked.
        let held = AccountFacts { metrics: vec![vec![(d("2026-01-05"), 10.0), (d("2026-01-12"), 10.0)]], ..gappy() };
        let values = derive_values(&held, d("2026-01-12"), &pct);
        assert!(!values.is_no_use(id) && values.points(id, &higher) == Some(higher.points(0.0)));
        // A single sample has nothing to compare with.
        assert_eq!(value(&abs, &f, "2026-01-05"), None);
    }

    #[test]
    fn change_over_averages_reads_through_a_weeks_noise() {
        // Weekly usage of about 100, one week in two 20% off: single samples read a 30-day
        // change of +25% or -20% by the week; 28-day averages read none until usage moves.
        let mut weeks = weeks_alternating();
        let facts = |weeks: &[Dated]| AccountFacts { metrics: vec![weeks.to_vec()], ..gappy() };
        let single =
            one("metric:m", Transform::Change { days: 28, percent: true, max_age_days: None, average_days: None });
        let averaged =
            one("metric:m", Transform::Change { days: 28, percent: true, max_age_days: None, average_days: Some(28) });
        let f = facts(&weeks);
        // 2026-03-23 is week 11 (80), 28 days before it week 7 (80); 2026-03-16 week 10 (100) against week 6 (100).
        assert_eq!(value(&single, &f, "2026-03-23"), Some(0.0));
        assert_eq!(value(&averaged, &f, "2026-03-23"), Some(0.0));
        // Week 11 against week 8 is not 28 days: a week 20% off on the day read, against one not.
        weeks[11].1 = 100.0;
        weeks[10].1 = 80.0;
        let f = facts(&weeks);
        assert_eq!(value(&single, &f, "2026-03-23"), Some(25.0), "week 11 (100) against week 7 (80)");
        assert_eq!(value(&averaged, &f, "2026-03-23"), Some(0.0), "weeks 8-11 (360) against weeks 4-7 (360)");
        // A real fall moves the averages: the last four weeks at half.
        for w in &mut weeks[8..] {
            w.1 /= 2.0;
        }
        assert_eq!(value(&averaged, &facts(&weeks), "2026-03-23"), Some(-50.0));
        // Nothing in the earlier window: no value, however old a sample before it.
        let late = AccountFacts { metrics: vec![vec![(d("2025-06-01"), 5.0), (d("2026-03-23"), 50.0)]], ..gappy() };
        assert_eq!(value(&averaged, &late, "2026-03-23"), None);
        assert_eq!(value(&single, &late, "2026-03-23"), Some(900.0), "single samples reach back as far as they must");
        // Usage against its expected value reads through the same noise: 28 days of 100 and 80
        // against 90 expected, where one week read 111% and the next 89%.
        let flat = AccountFacts { expected_usage: Some(90.0), ..facts(&weeks_alternating()) };
        let vs = |average_days| {
            one(
                "metric:m",
                Transform::VsExpected {
                    expected: Source::Field(Field::ExpectedUsage),
                    max_age_days: None,
                    average_days,
                },
            )
        };
        assert_eq!(value(&vs(None), &flat, "2026-03-16").map(f64::round), Some(111.0));
        assert_eq!(value(&vs(None), &flat, "2026-03-23").map(f64::round), Some(89.0));
        for day in ["2026-03-16", "2026-03-23"] {
            assert_eq!(value(&vs(Some(28)), &flat, day), Some(100.0), "{day}");
        }
    }

    #[test]
    fn a_change_over_averages_waits_for_the_earlier_window_to_be_half_filled() {
        // A daily feed from 2026-10-05, steady at 24 with a first day of 40: thirty days on,
        // the earlier window held that first day alone and read -40% for a steady account.
        let daily: Vec<Dated> =
            (0..70).map(|i| (d("2026-10-05") + chrono::Duration::days(i), if i == 0 { 40.0 } else { 24.0 })).collect();
        let f = AccountFacts { metrics: vec![daily], ..gappy() };
        let growth =
            one("metric:m", Transform::Change { days: 30, percent: true, max_age_days: None, average_days: Some(30) });
        assert_eq!(value(&growth, &f, "2026-11-04"), None, "one day of thirty is no average to compare with");
        assert_eq!(missing_reasons(&f, d("2026-11-04"), &growth)[0], Some(Missing::NothingBefore(30)));
        // From the earlier window half filled (15 samples against 30): a value.
        assert_eq!(value(&growth, &f, "2026-11-17"), None);
        let half = value(&growth, &f, "2026-11-18").expect("the window half filled");
        assert!((half - (24.0 / ((40.0 + 14.0 * 24.0) / 15.0) - 1.0) * 100.0).abs() < 1e-9, "{half}");
        assert_eq!(value(&growth, &f, "2026-12-13"), Some(0.0), "the first day out of both windows");
        // Monthly samples: the first one is its month's use, a window's worth on its own.
        let monthly = vec![(d("2026-01-01"), 800.0), (d("2026-02-01"), 1200.0)];
        let f = AccountFacts { metrics: vec![monthly], ..gappy() };
        assert_eq!(value(&growth, &f, "2026-02-10"), Some(50.0));
    }

    /// Twelve Mondays from 2026-01-05 of 100, then 80, by turns.
    fn weeks_alternating() -> Vec<Dated> {
        (0..12).map(|w| (d("2026-01-05") + chrono::Duration::weeks(w), if w % 2 == 0 { 100.0 } else { 80.0 })).collect()
    }

    #[test]
    fn a_factor_over_samples_says_why_it_has_no_value() {
        let catalog = |transform: Transform| one("metric:m", transform);
        let why = |transform: Transform, f: &AccountFacts, day: &str| {
            missing_reasons(f, d(day), &catalog(transform))[0].clone()
        };
        let f = gappy();
        let latest = Transform::Latest { max_age_days: Some(10), average_days: None };
        assert_eq!(why(latest.clone(), &f, "2026-03-05"), None, "it has a value");
        assert_eq!(why(latest.clone(), &f, "2026-03-20"), Some(Missing::Stopped(18)));
        assert_eq!(why(latest, &AccountFacts::default(), "2026-03-20"), None, "no sample: no data");
        assert_eq!(why(Transform::Average { days: 7 }, &f, "2026-02-20"), Some(Missing::Stopped(32)));
        let expected = Transform::VsExpected {
            expected: Source::Field(Field::ExpectedUsage),
            max_age_days: None,
            average_days: None,
        };
        assert_eq!(
            why(expected.clone(), &f, "2026-03-05"),
            Some(Missing::NoValueOf(Source::Field(Field::ExpectedUsage)))
        );
        let with_expected = AccountFacts { expected_usage: Some(50.0), ..gappy() };
        assert_eq!(why(expected, &with_expected, "2026-03-05"), None);
        let change = Transform::Change { days: 7, percent: true, max_age_days: None, average_days: None };
        assert_eq!(why(change.clone(), &f, "2026-01-05"), Some(Missing::NothingBefore(7)));
        assert_eq!(why(change, &f, "2026-03-05"), Some(Missing::RiseFromNothing), "01-19 was 0");
        // Samples from the fourth week on say nothing of the first two.
        let late_feed = AccountFacts { metrics: vec![f.metrics[0][1..].to_vec()], ..gappy() };
        assert_eq!(
            why(Transform::SumFromStart { days: 10 }, &late_feed, "2026-03-05"),
            Some(Missing::NothingInFirstDays(10))
        );
        // A customer since after every sample (a trial's use): said so, not "no samples".
        let trial = AccountFacts { customer_since: Some(d("2026-03-04")), ..gappy() };
        assert_eq!(why(Transform::DaysToFirst, &trial, "2026-03-05"), Some(Missing::OnlyBeforeStart));
        assert_eq!(why(Transform::SumFromStart { days: 10 }, &trial, "2026-03-05"), Some(Missing::OnlyBeforeStart));
        assert_eq!(why(Transform::DaysToFirst, &gappy(), "2026-03-05"), None, "it has a value");
    }

    #[test]
    fn days_since_last_and_to_first_count_from_samples_above_zero() {
        let f = gappy();
        let since = one("metric:m", Transform::DaysSinceLast);
        let first = one("metric:m", Transform::DaysToFirst);
        // Counted to the newest sample: 01-19 was 0 and the last use 01-12; the days after the
        // last sample are not known to be without use (the data's age is said on its own).
        assert_eq!(value(&since, &f, "2026-02-01"), Some(7.0), "01-19 was 0: the last use was 01-12");
        assert_eq!(value(&since, &f, "2026-03-02"), Some(0.0));
        assert_eq!(value(&since, &f, "2026-03-20"), Some(0.0), "weekly data read days after its last row");
        assert_eq!(value(&first, &f, "2026-02-01"), Some(4.0), "since 01-01, first use 01-05");
        assert_eq!(value(&first, &f, "2026-01-03"), None, "not tracked yet");
        let never = AccountFacts { metrics: vec![vec![(d("2026-01-05"), 0.0)]], ..gappy() };
        assert_eq!(value(&first, &never, "2026-01-21"), Some(20.0), "the wait so far");
        assert_eq!(value(&since, &never, "2026-01-21"), Some(4.0), "never used: from the start to the newest sample");
        // No sample of its own, while the metric's feed came in for the customer's life: the
        // wait so far, a lower bound; a feed that ended before the start says nothing of it.
        let weeks = |days: &[&str]| {
            crate::domain::data_days::DataDays::from_counts(&days.iter().map(|x| (d(x), 40)).collect::<Vec<_>>())
        };
        let absent = |feed: &[&str]| AccountFacts {
            metrics: vec![vec![]],
            metric_days: vec![weeks(feed)].into(),
            broad_metrics: vec![true].into(),
            ..gappy()
        };
        let covered = absent(&["2025-12-29", "2026-01-05", "2026-01-12"]);
        assert_eq!(value(&first, &covered, "2026-01-21"), Some(20.0), "none in a feed that came in: the wait");
        assert_eq!(value(&first, &absent(&["2026-01-05", "2026-01-12"]), "2026-01-21"), None, "begun after the start");
        let narrow = AccountFacts { broad_metrics: vec![false].into(), ..covered.clone() };
        assert_eq!(value(&first, &narrow, "2026-01-21"), None, "a few accounts' feed");
        assert!(derive_values(&covered, d("2026-01-21"), &first).is_at_least(crate::domain::FactorId(0)), "at least");
        assert_eq!(value(&first, &absent(&["2025-12-22", "2025-12-29"]), "2026-01-21"), None, "the feed ended first");
        assert_eq!(value(&first, &absent(&[]), "2026-01-21"), None, "no feed of it");
        // In use from its first sample, of a feed begun after the start: the first use came then
        // or before, not known when; a first sample of no use says the first use came later.
        let late = |first: f64| AccountFacts {
            metrics: vec![vec![(d("2026-01-12"), first), (d("2026-01-19"), 5.0)]],
            metric_days: vec![weeks(&["2026-01-12", "2026-01-19"])].into(),
            broad_metrics: vec![true].into(),
            ..gappy()
        };
        assert_eq!(value(&first, &late(48.0), "2026-01-21"), None, "used before the data began");
        let why = missing_reasons(&late(48.0), d("2026-01-21"), &first)[0].clone();
        assert_eq!(why, Some(Missing::UsedBeforeData));
        assert_eq!(
            value(&first, &late(0.0), "2026-01-21"),
            Some(18.0),
            "none the first week: the first use came after"
        );
        let sum = one("metric:m", Transform::SumFromStart { days: 30 });
        assert_eq!(value(&sum, &covered, "2026-01-21"), None, "other windows stay missing");
    }

    /// One account, one metric sample (2026-03-02), customer since 2026-01-01, read on 2026-06-01.
    fn one_late_sample(transform: Transform) -> Option<f64> {
        let facts = AccountFacts {
            customer_since: Some(d("2026-01-01")),
            metrics: vec![vec![(d("2026-03-02"), 40.0)], vec![(d("2026-03-02"), 80.0)]],
            ..Default::default()
        };
        let catalog = one("metric:m", transform);
        value(&catalog, &facts, "2026-06-01")
    }

    #[test]
    fn every_transform_is_missing_with_no_sample_in_its_window() {
        let m2 = || Source::Metric { name: "m2".into(), slot: 1 };
        let cases = [
            ("latest, max age 30", Transform::Latest { max_age_days: Some(30), average_days: None }),
            ("average of 30 days", Transform::Average { days: 30 }),
            ("sum of 30 days", Transform::Sum { days: 30 }),
            ("count of 30 days", Transform::Count { days: 30 }),
            (
                "change over 30 days",
                Transform::Change { days: 30, percent: false, max_age_days: None, average_days: None },
            ),
            (
                "change_pct over 30 days",
                Transform::Change { days: 30, percent: true, max_age_days: None, average_days: None },
            ),
            ("sum_from_start of 14 days", Transform::SumFromStart { days: 14 }),
            ("ratio of 30 days", Transform::Ratio { denominator: m2(), days: Some(30), max_age_days: None }),
            ("ratio, max age 30", Transform::Ratio { denominator: m2(), days: None, max_age_days: Some(30) }),
            (
                "vs_expected, max age 30",
                Transform::VsExpected { expected: m2(), max_age_days: Some(30), average_days: None },
            ),
        ];
        for (name, transform) in cases {
            assert_eq!(one_late_sample(transform), None, "{name}");
        }
        // The same transforms have a value once a sample is in their window.
        assert_eq!(one_late_sample(Transform::Latest { max_age_days: Some(100), average_days: None }), Some(40.0));
        assert_eq!(one_late_sample(Transform::SumFromStart { days: 90 }), Some(40.0));
        // days_to_first and days_since_last: no sample at all, or only samples from before the
        // customer's start, is missing, not "the wait so far".
        let before_start = AccountFacts {
            customer_since: Some(d("2026-01-01")),
            metrics: vec![vec![(d("2025-12-01"), 5.0)]],
            ..Default::default()
        };
        let empty = AccountFacts { customer_since: Some(d("2026-01-01")), ..Default::default() };
        for transform in [Transform::DaysToFirst, Transform::DaysSinceLast] {
            assert_eq!(value(&one("metric:m", transform.clone()), &empty, "2026-06-01"), None, "{transform:?}");
        }
        assert_eq!(value(&one("metric:m", Transform::DaysToFirst), &before_start, "2026-06-01"), None);
        // Goals and milestones: none at all is missing.
        assert_eq!(value(&one("goals", Transform::OnTrackPercent), &empty, "2026-06-01"), None);
        assert_eq!(value(&one("milestones", Transform::OverdueCount), &empty, "2026-06-01"), None);
    }

    #[test]
    fn sum_from_start_covers_the_first_days_only() {
        let f = gappy();
        let early = one("metric:m", Transform::SumFromStart { days: 14 });
        // The first 14 days: 01-01 to 01-14, so 01-05 and 01-12.
        assert_eq!(value(&early, &f, "2026-06-01"), Some(30.0));
        assert_eq!(value(&early, &f, "2026-01-06"), Some(10.0), "as known on the day");
    }

    #[test]
    fn ratio_divides_newest_values_or_window_sums() {
        let f = AccountFacts {
            metrics: vec![
                vec![(d("2026-01-31"), 300.0), (d("2026-02-28"), 450.0)],
                vec![(d("2026-01-31"), 1000.0), (d("2026-02-28"), 0.0)],
            ],
            ..Default::default()
        };
        let newest = Catalog::new(vec![FactorDef {
            key: "cost_per_email".into(),
            label: "Cost per email".into(),
            unit: Unit::Number,
            source: Source::parse("metric:cost").unwrap(),
            transform: Transform::Ratio {
                denominator: Source::parse("metric:emails").unwrap(),
                days: None,
                max_age_days: None,
            },
            optional: false,
        }]);
        assert_eq!(value(&newest, &f, "2026-02-10"), Some(0.3));
        assert_eq!(value(&newest, &f, "2026-03-01"), None, "nothing sent: no cost per email");
        let mut summed = newest.clone();
        summed.defs[0].transform = Transform::Ratio {
            denominator: Source::Metric { name: "emails".into(), slot: 1 },
            days: Some(60),
            max_age_days: None,
        };
        assert_eq!(value(&summed, &f, "2026-03-01"), Some(0.75), "750 over 1000 in 60 days");
    }

    #[test]
    fn vs_expected_reads_the_expected_value_from_a_field() {
        let catalog = one(
            "metric:m",
            Transform::VsExpected {
                expected: Source::parse("field:expected_usage").unwrap(),
                max_age_days: None,
                average_days: None,
            },
        );
        let mut f = AccountFacts { expected_usage: Some(80.0), ..gappy() };
        assert_eq!(value(&catalog, &f, "2026-03-05"), Some(50.0));
        f.expected_usage = Some(0.0);
        assert_eq!(value(&catalog, &f, "2026-03-05"), None, "no expectation to compare with");
    }

    #[test]
    fn fields_and_attributes_are_values_on_every_day() {
        let f = AccountFacts {
            customer_since: Some(d("2026-01-01")),
            arr: Some(24_000.0),
            attributes: vec![Some(12.0)],
            ..Default::default()
        };
        let latest = Transform::Latest { max_age_days: None, average_days: None };
        assert_eq!(value(&one("field:mrr", latest.clone()), &f, "2026-02-01"), Some(2000.0));
        assert_eq!(value(&one("field:age_days", latest.clone()), &f, "2026-02-01"), Some(31.0));
        assert_eq!(value(&one("field:age_days", latest.clone()), &f, "2025-12-01"), None, "not a customer yet");
        assert_eq!(value(&one("field:seats", latest.clone()), &f, "2026-02-01"), Some(12.0));
        let no_seats = AccountFacts { attributes: vec![None], ..f };
        assert_eq!(value(&one("field:seats", latest), &no_seats, "2026-02-01"), None);
    }
}
