//! From an account's raw facts (metric samples and log entries) to factor raw values, as of a day.
//!
//! Everything here looks only at facts dated on or before `as_of`, so a score can be recomputed
//! for any past day and history charts come from the data itself.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::factor::{FactorId, FactorValues};
use super::goal::{self, GoalFact};
use super::journey::{self, MilestoneFact};

/// Metric names the built-in factors read from metric samples.
pub mod metric {
    /// Usage volume over the trailing month, as product analytics exports report it.
    pub const USAGE: &str = "usage";
    /// Distinct active users over the trailing month.
    pub const ACTIVE_USERS: &str = "active_users";
    /// Logins in the period ending on the sample's day.
    pub const LOGINS: &str = "logins";
    /// Support tickets opened in the period ending on the sample's day.
    pub const SUPPORT_TICKETS: &str = "support_tickets";
    pub const ALL: [&str; 4] = [USAGE, ACTIVE_USERS, LOGINS, SUPPORT_TICKETS];
}

/// The look-back windows of the factors that count or compare over time.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalWindows {
    pub bugs_days: i64,
    pub tickets_days: i64,
    pub growth_days: i64,
    pub early_login_days: i64,
    pub max_sample_age_days: i64,
}

impl SignalWindows {
    pub fn problems(&self) -> Vec<(String, String)> {
        [
            ("bugs_days", self.bugs_days),
            ("tickets_days", self.tickets_days),
            ("growth_days", self.growth_days),
            ("early_login_days", self.early_login_days),
            ("max_sample_age_days", self.max_sample_age_days),
        ]
        .into_iter()
        .filter(|(_, v)| !(1..=3650).contains(v))
        .map(|(k, v)| (k.to_string(), format!("must be 1-3650 days, not {v}")))
        .collect()
    }
}

/// A value on a day.
pub type Dated = (NaiveDate, f64);

/// All an account's raw facts that factors read. Every series is sorted by day, oldest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AccountFacts {
    pub customer_since: Option<NaiveDate>,
    pub expected_usage: Option<f64>,
    pub usage: Vec<Dated>,
    pub active_users: Vec<Dated>,
    pub logins: Vec<Dated>,
    pub support_tickets: Vec<Dated>,
    pub sentiments: Vec<Dated>,
    pub nps: Vec<Dated>,
    pub touches: Vec<NaiveDate>,
    pub bugs: Vec<NaiveDate>,
    pub goals: Vec<GoalFact>,
    pub milestones: Vec<MilestoneFact>,
}

impl AccountFacts {
    /// The series a metric name feeds, if a built-in factor reads it.
    pub fn series_mut(&mut self, metric_name: &str) -> Option<&mut Vec<Dated>> {
        match metric_name {
            metric::USAGE => Some(&mut self.usage),
            metric::ACTIVE_USERS => Some(&mut self.active_users),
            metric::LOGINS => Some(&mut self.logins),
            metric::SUPPORT_TICKETS => Some(&mut self.support_tickets),
            _ => None,
        }
    }

    /// No fact at all: every factor is missing on every day, whatever the start date.
    pub fn is_empty(&self) -> bool {
        self.usage.is_empty()
            && self.active_users.is_empty()
            && self.logins.is_empty()
            && self.support_tickets.is_empty()
            && self.sentiments.is_empty()
            && self.nps.is_empty()
            && self.touches.is_empty()
            && self.bugs.is_empty()
            && self.goals.is_empty()
            && self.milestones.is_empty()
    }

    fn has_logged_entries(&self, as_of: NaiveDate) -> bool {
        self.sentiments.first().is_some_and(|d| d.0 <= as_of)
            || self.nps.first().is_some_and(|d| d.0 <= as_of)
            || self.touches.first().is_some_and(|d| *d <= as_of)
            || self.bugs.first().is_some_and(|d| *d <= as_of)
    }
}

/// Whether an account is in its jumpstart period on `as_of`.
pub fn in_jumpstart(customer_since: Option<NaiveDate>, as_of: NaiveDate, jumpstart_days: i64) -> bool {
    customer_since.is_some_and(|since| since <= as_of && (as_of - since).num_days() < jumpstart_days)
}

/// The series up to and including `as_of`.
fn upto(series: &[Dated], as_of: NaiveDate) -> &[Dated] {
    &series[..series.partition_point(|(d, _)| *d <= as_of)]
}

fn days_upto(days: &[NaiveDate], as_of: NaiveDate) -> &[NaiveDate] {
    &days[..days.partition_point(|d| *d <= as_of)]
}

fn days_between(from: NaiveDate, to: NaiveDate) -> f64 {
    (to - from).num_days() as f64
}

/// Sum of a series over the `days` ending on `as_of`; None when no sample falls in the window.
fn window_sum(series: &[Dated], as_of: NaiveDate, days: i64) -> Option<f64> {
    let start = as_of - chrono::Duration::days(days);
    let inside: Vec<f64> = upto(series, as_of).iter().filter(|(d, _)| *d > start).map(|(_, v)| *v).collect();
    (!inside.is_empty()).then(|| inside.iter().sum())
}

/// The latest sample that is not older than `max_age` days.
fn fresh_latest(series: &[Dated], as_of: NaiveDate, max_age: i64) -> Option<Dated> {
    upto(series, as_of).last().copied().filter(|(d, _)| (as_of - *d).num_days() <= max_age)
}

/// Days since the newest fact behind each factor on `as_of` (None when it has none, or when the
/// value is itself an age, like days since touch).
pub fn factor_ages(facts: &AccountFacts, as_of: NaiveDate) -> [Option<i64>; FactorId::COUNT] {
    let age = |day: Option<NaiveDate>| day.map(|d| (as_of - d).num_days());
    let latest = |series: &[Dated]| age(upto(series, as_of).last().map(|s| s.0));
    let mut out = [None; FactorId::COUNT];
    out[FactorId::Sentiment.index()] = latest(&facts.sentiments);
    out[FactorId::Nps.index()] = latest(&facts.nps);
    out[FactorId::UsageVsExpected.index()] = latest(&facts.usage);
    out[FactorId::UsageGrowth.index()] = latest(&facts.usage);
    out[FactorId::SupportTickets.index()] = latest(&facts.support_tickets);
    out[FactorId::ActiveUsers.index()] = latest(&facts.active_users);
    for f in [FactorId::DaysSinceLogin, FactorId::DaysToFirstLogin, FactorId::EarlyLogins] {
        out[f.index()] = latest(&facts.logins);
    }
    let goal_change = facts.goals.iter().flat_map(|g| g.statuses.iter().map(|(d, _)| *d)).filter(|d| *d <= as_of).max();
    out[FactorId::GoalsOnTrack.index()] = age(goal_change);
    out
}

/// Raw values of every factor for an account on `as_of`. A factor without data stays None.
pub fn derive_values(facts: &AccountFacts, as_of: NaiveDate, w: &SignalWindows) -> FactorValues {
    let mut v = FactorValues::default();

    v.set(FactorId::Sentiment, upto(&facts.sentiments, as_of).last().map(|s| s.1));
    v.set(FactorId::Nps, upto(&facts.nps, as_of).last().map(|s| s.1));

    let usage_now = fresh_latest(&facts.usage, as_of, w.max_sample_age_days);
    if let (Some((_, used)), Some(expected)) = (usage_now, facts.expected_usage.filter(|e| *e > 0.0)) {
        v.set(FactorId::UsageVsExpected, Some(used / expected * 100.0));
    }
    if let Some((day, now)) = usage_now {
        let before = upto(&facts.usage, day - chrono::Duration::days(w.growth_days)).last();
        if let Some(&(_, prev)) = before.filter(|(_, prev)| *prev > 0.0) {
            v.set(FactorId::UsageGrowth, Some((now / prev - 1.0) * 100.0));
        }
    }

    // Bugs are logged in tend itself: once anything is logged for an account, "none in the
    // window" is a real zero. An account with nothing logged has no bug data, not zero bugs.
    if facts.has_logged_entries(as_of) {
        let start = as_of - chrono::Duration::days(w.bugs_days);
        let n = days_upto(&facts.bugs, as_of).iter().filter(|d| **d > start).count();
        v.set(FactorId::BugsEscalated, Some(n as f64));
    }

    v.set(FactorId::SupportTickets, window_sum(&facts.support_tickets, as_of, w.tickets_days));
    v.set(FactorId::ActiveUsers, fresh_latest(&facts.active_users, as_of, w.max_sample_age_days).map(|s| s.1));

    let logins = upto(&facts.logins, as_of);
    let last_login = logins.iter().rev().find(|(_, n)| *n > 0.0).map(|(d, _)| *d);
    let first_login = logins.iter().find(|(_, n)| *n > 0.0).map(|(d, _)| *d);
    if !logins.is_empty() {
        // Login tracking exists: never having logged in counts from the start of the contract.
        let since_login = last_login.or(facts.customer_since).map(|d| days_between(d, as_of));
        v.set(FactorId::DaysSinceLogin, since_login);
    }

    // With nothing logged at all, tend is not tracking touches for the account yet: missing.
    // Once it is, an account never touched counts from the start of its contract.
    let last_touch = days_upto(&facts.touches, as_of).last().copied();
    let touch_clock = last_touch.or(facts.customer_since.filter(|d| *d <= as_of && facts.has_logged_entries(as_of)));
    v.set(FactorId::DaysSinceTouch, touch_clock.map(|d| days_between(d, as_of)));

    if let Some(since) = facts.customer_since.filter(|d| *d <= as_of)
        && !logins.is_empty()
    {
        // Until the first login happens, the wait so far is a lower bound that keeps growing.
        let to_first = match first_login {
            Some(first) => days_between(since, first).max(0.0),
            None => days_between(since, as_of),
        };
        v.set(FactorId::DaysToFirstLogin, Some(to_first));
        let end = since + chrono::Duration::days(w.early_login_days);
        let early: f64 = logins.iter().filter(|(d, _)| *d >= since && *d < end).map(|(_, n)| n).sum();
        v.set(FactorId::EarlyLogins, Some(early));
    }

    v.set(FactorId::GoalsOnTrack, goal::goals_on_track(&facts.goals, as_of));
    v.set(FactorId::OverdueMilestones, journey::overdue_milestones(&facts.milestones, as_of));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const W: SignalWindows = SignalWindows {
        bugs_days: 90,
        tickets_days: 30,
        growth_days: 30,
        early_login_days: 30,
        max_sample_age_days: 45,
    };

    #[test]
    fn empty_facts_give_no_values() {
        let f = AccountFacts { customer_since: Some(d("2026-01-01")), expected_usage: Some(5.0), ..Default::default() };
        assert!(f.is_empty());
        assert!(derive_values(&f, d("2026-06-01"), &W).is_empty());
        assert!(!AccountFacts { touches: vec![d("2026-01-02")], ..f }.is_empty());
    }

    #[test]
    fn latest_sentiment_as_of_ignores_the_future() {
        let f = AccountFacts { sentiments: vec![(d("2026-01-01"), 8.0), (d("2026-03-01"), 4.0)], ..Default::default() };
        assert_eq!(derive_values(&f, d("2026-02-15"), &W).get(FactorId::Sentiment), Some(8.0));
        assert_eq!(derive_values(&f, d("2026-03-01"), &W).get(FactorId::Sentiment), Some(4.0));
        assert_eq!(derive_values(&f, d("2025-12-31"), &W).get(FactorId::Sentiment), None);
    }

    #[test]
    fn usage_vs_expected_and_growth() {
        let f = AccountFacts {
            expected_usage: Some(1000.0),
            usage: vec![(d("2026-01-01"), 800.0), (d("2026-02-01"), 1200.0)],
            ..Default::default()
        };
        let v = derive_values(&f, d("2026-02-10"), &W);
        assert_eq!(v.get(FactorId::UsageVsExpected), Some(120.0));
        assert_eq!(v.get(FactorId::UsageGrowth), Some(50.0));
        // Stale samples (older than 45 days) are missing, not carried forward forever.
        let v = derive_values(&f, d("2026-04-01"), &W);
        assert_eq!(v.get(FactorId::UsageVsExpected), None);
        assert_eq!(v.get(FactorId::UsageGrowth), None);
    }

    #[test]
    fn growth_needs_a_sample_a_window_earlier() {
        let f = AccountFacts { usage: vec![(d("2026-01-20"), 800.0), (d("2026-02-01"), 1200.0)], ..Default::default() };
        assert_eq!(derive_values(&f, d("2026-02-01"), &W).get(FactorId::UsageGrowth), None);
    }

    #[test]
    fn bugs_count_in_window_once_anything_is_logged() {
        let mut f = AccountFacts { bugs: vec![d("2025-10-01"), d("2026-01-10")], ..Default::default() };
        assert_eq!(derive_values(&f, d("2026-02-01"), &W).get(FactorId::BugsEscalated), Some(1.0));
        f.bugs.clear();
        assert_eq!(derive_values(&f, d("2026-02-01"), &W).get(FactorId::BugsEscalated), None);
        f.touches = vec![d("2026-01-05")];
        assert_eq!(derive_values(&f, d("2026-02-01"), &W).get(FactorId::BugsEscalated), Some(0.0));
    }

    #[test]
    fn tickets_sum_the_window() {
        let f = AccountFacts {
            support_tickets: vec![(d("2026-01-01"), 5.0), (d("2026-01-20"), 2.0), (d("2026-01-27"), 1.0)],
            ..Default::default()
        };
        assert_eq!(derive_values(&f, d("2026-01-31"), &W).get(FactorId::SupportTickets), Some(3.0));
        assert_eq!(derive_values(&f, d("2026-04-01"), &W).get(FactorId::SupportTickets), None);
    }

    #[test]
    fn logins_and_touches_count_days() {
        let f = AccountFacts {
            customer_since: Some(d("2026-01-01")),
            logins: vec![(d("2026-01-08"), 0.0), (d("2026-01-15"), 3.0), (d("2026-01-22"), 0.0)],
            touches: vec![d("2026-01-02")],
            ..Default::default()
        };
        let v = derive_values(&f, d("2026-01-25"), &W);
        assert_eq!(v.get(FactorId::DaysSinceLogin), Some(10.0));
        assert_eq!(v.get(FactorId::DaysSinceTouch), Some(23.0));
        assert_eq!(v.get(FactorId::DaysToFirstLogin), Some(14.0));
        assert_eq!(v.get(FactorId::EarlyLogins), Some(3.0));
    }

    #[test]
    fn never_logged_in_counts_from_the_start() {
        let f = AccountFacts {
            customer_since: Some(d("2026-01-01")),
            logins: vec![(d("2026-01-08"), 0.0)],
            ..Default::default()
        };
        let v = derive_values(&f, d("2026-01-21"), &W);
        assert_eq!(v.get(FactorId::DaysSinceLogin), Some(20.0));
        assert_eq!(v.get(FactorId::DaysToFirstLogin), Some(20.0));
        // Nothing logged for it yet: touches are not tracked, so no "days since touch".
        assert_eq!(v.get(FactorId::DaysSinceTouch), None);
    }

    #[test]
    fn never_touched_counts_from_the_start_once_tracked() {
        let f = AccountFacts {
            customer_since: Some(d("2026-01-01")),
            sentiments: vec![(d("2026-01-05"), 7.0)],
            ..Default::default()
        };
        assert_eq!(derive_values(&f, d("2026-01-21"), &W).get(FactorId::DaysSinceTouch), Some(20.0));
    }

    #[test]
    fn account_with_only_a_start_date_has_no_values() {
        let f =
            AccountFacts { customer_since: Some(d("2025-01-01")), expected_usage: Some(100.0), ..Default::default() };
        assert!(derive_values(&f, d("2026-01-21"), &W).is_empty());
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
            usage: vec![(d("2026-03-01"), 10.0)],
            touches: vec![d("2026-03-05")],
            ..Default::default()
        };
        let ages = factor_ages(&f, d("2026-03-11"));
        assert_eq!(ages[FactorId::Sentiment.index()], Some(38));
        assert_eq!(ages[FactorId::UsageVsExpected.index()], Some(10));
        assert_eq!(ages[FactorId::Nps.index()], None);
        assert_eq!(ages[FactorId::DaysSinceTouch.index()], None, "already an age");
        // As of a day before the newest sample, the older one counts.
        assert_eq!(factor_ages(&f, d("2026-01-21"))[FactorId::Sentiment.index()], Some(20));
    }

    #[test]
    fn stale_sentiment_is_marked_by_its_limit() {
        let health = crate::config::Config::default().health;
        let f = AccountFacts {
            customer_since: Some(d("2025-01-01")),
            sentiments: vec![(d("2026-01-01"), 8.0)],
            ..Default::default()
        };
        let mask = |day: &str| {
            let day = d(day);
            health.stale_mask(&derive_values(&f, day, &health.windows), &factor_ages(&f, day), f.customer_since, day)
        };
        assert_eq!(mask("2026-03-02"), 0, "59 days: fresh (limit 60)");
        assert_eq!(mask("2026-03-03"), 1 << FactorId::Sentiment.index(), "61 days: stale");
    }
}
