//! Retention over a period, from each account's dated ARR and churn: NRR, GRR, logo retention,
//! churn by count and by revenue, expansion and contraction.
//!
//! Definitions (as in the ChurnZero guide): the *starting cohort* is the accounts that were
//! customers on the first day of the period; those without ARR then (a CRM export missing it)
//! count as logos only. For each of them, compare its ARR
//! on the first and the last day:
//! - churned (churned on or before the last day): its whole starting ARR is churned revenue;
//! - ARR up: the increase is expansion; ARR down (not to zero by churn): the decrease is contraction.
//!
//! NRR = (starting ARR + expansion - contraction - churn) / starting ARR;
//! GRR = (starting ARR - contraction - churn) / starting ARR (expansion left out, so GRR <= 100%);
//! logo retention = cohort accounts not churned / cohort size; churn by count = 1 - logo retention;
//! churn by revenue = churned ARR / starting ARR. Accounts that became customers during the period
//! are new logos: counted apart, never in NRR or GRR.

use chrono::NaiveDate;

use super::account::Cents;
#[cfg(test)]
use chrono::Datelike;

/// A dated change of an account's ARR.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ArrChange {
    pub day: NaiveDate,
    pub old: Cents,
    pub new: Cents,
}

/// What retention needs of one account.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RevenueHistory {
    /// ARR today (after every change).
    pub arr: Cents,
    pub customer_since: Option<NaiveDate>,
    /// The churn in force (the account is churned now).
    pub churned_on: Option<NaiveDate>,
    /// Sorted by day, oldest first.
    pub changes: Vec<ArrChange>,
    /// Churns the account came back from, as (churned on, back on), oldest first: it was no
    /// customer in between, and a new logo again from the day it came back.
    pub returns: Vec<(NaiveDate, NaiveDate)>,
}

impl RevenueHistory {
    /// ARR on a day: the latest change on or before it, else what the first later change started
    /// from, else today's ARR. Zero on days it was no customer: before its start, from a churn on.
    pub fn arr_on(&self, day: NaiveDate) -> Cents {
        if !self.customer_on(day) {
            return Cents(0);
        }
        match self.changes.iter().rev().find(|c| c.day <= day) {
            Some(c) => c.new,
            None => self.changes.first().map_or(self.arr, |c| c.old),
        }
    }

    /// A customer at the end of `day`: started on or before it, and no churn in force then.
    pub fn customer_on(&self, day: NaiveDate) -> bool {
        self.customer_since.is_none_or(|since| since <= day)
            && !self.returns.iter().any(|(churned, back)| *churned <= day && day < *back)
            && self.churned_on.is_none_or(|c| c > day)
    }

    /// Every day the account churned: those it came back from, and the one in force.
    fn churn_days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.returns.iter().map(|(churned, _)| *churned).chain(self.churned_on)
    }

    /// Every day the account became a customer: its start, and each return.
    fn start_days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.customer_since.into_iter().chain(self.returns.iter().map(|(_, back)| *back))
    }
}

/// The first day the book holds a record of revenue: the day it began (its first account
/// written), or an earlier dated record (an ARR change, a churn, a return). Before it every
/// account's ARR is as imported and no change or churn can show, so retention over days before it
/// would read 100% from no evidence.
pub fn records_from(histories: &[(i64, RevenueHistory)], began: Option<NaiveDate>) -> Option<NaiveDate> {
    histories
        .iter()
        .flat_map(|(_, h)| h.changes.iter().map(|c| c.day).chain(h.churn_days()).chain(h.start_days().skip(1)))
        .chain(began)
        .min()
}

/// The first day the book holds a record of an ARR change: the day it began, or an earlier
/// dated change. Before it, each account's ARR is as imported, so no expansion or contraction can
/// show, though churns imported with their days do: over such days NRR and GRR count churn alone
/// (a probe's quarter read "EXPANSION $0 CONTRACTION $0 ... NRR 95.9% GRR 95.9%" with no word why).
pub fn arr_changes_from(histories: &[(i64, RevenueHistory)], began: Option<NaiveDate>) -> Option<NaiveDate> {
    histories.iter().flat_map(|(_, h)| h.changes.iter().map(|c| c.day)).chain(began).min()
}

/// Where a period `from..=to` measured from the book's records starts: `from`, or the records'
/// first day when they start later; None when they start on `to` or after (nothing to measure).
pub fn measured_from(from: NaiveDate, to: NaiveDate, records_from: Option<NaiveDate>) -> Option<NaiveDate> {
    let start = records_from.map_or(from, |r| r.max(from));
    (start < to).then_some(start)
}

/// Retention figures over a period, for a whole book or one group of it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Retention {
    /// Customers at the start (logos), with or without ARR.
    pub accounts_start: usize,
    /// Of them, those with ARR at the start: the revenue figures' accounts.
    pub accounts_with_arr: usize,
    pub accounts_retained: usize,
    pub accounts_churned: usize,
    pub new_logos: usize,
    pub arr_start: Cents,
    pub expansion: Cents,
    pub contraction: Cents,
    pub churned_arr: Cents,
    pub new_logo_arr: Cents,
}

impl Retention {
    fn ratio(part: i64, whole: i64) -> Option<f64> {
        (whole > 0).then(|| part as f64 / whole as f64 * 100.0)
    }

    /// Net revenue retention in %; None without starting ARR.
    pub fn nrr(&self) -> Option<f64> {
        let kept = self.arr_start.0 + self.expansion.0 - self.contraction.0 - self.churned_arr.0;
        Self::ratio(kept, self.arr_start.0)
    }

    /// Gross revenue retention in % (expansion left out).
    pub fn grr(&self) -> Option<f64> {
        Self::ratio(self.arr_start.0 - self.contraction.0 - self.churned_arr.0, self.arr_start.0)
    }

    pub fn logo_retention(&self) -> Option<f64> {
        Self::ratio(self.accounts_retained as i64, self.accounts_start as i64)
    }

    pub fn churn_by_count(&self) -> Option<f64> {
        Self::ratio(self.accounts_churned as i64, self.accounts_start as i64)
    }

    pub fn churn_by_revenue(&self) -> Option<f64> {
        Self::ratio(self.churned_arr.0, self.arr_start.0)
    }

    /// Add one account's part over the period `from`..=`to`. The cohort is taken at the end of
    /// the day before `from`, so an event on a period's first day (a churn, an ARR change, a new
    /// customer) belongs to that period, and back-to-back periods add up to the whole.
    pub fn add(&mut self, a: &RevenueHistory, from: NaiveDate, to: NaiveDate) {
        let eve = from.pred_opt().unwrap_or(from);
        let within = |day: NaiveDate| day > eve && day <= to;
        let start = a.arr_on(eve);
        // Every customer is a logo; only those with ARR at the start are in the revenue figures
        // (a CRM export often lacks some ARR: a logo lost is lost all the same).
        if a.customer_on(eve) {
            self.accounts_start += 1;
            if start.0 > 0 {
                self.accounts_with_arr += 1;
                self.arr_start.0 += start.0;
            }
            if a.churn_days().any(within) {
                self.accounts_churned += 1;
                self.churned_arr.0 += start.0;
            } else {
                self.accounts_retained += 1;
                let end = a.arr_on(to);
                if start.0 > 0 && end.0 > start.0 {
                    self.expansion.0 += end.0 - start.0;
                } else if start.0 > 0 {
                    self.contraction.0 += start.0 - end.0;
                }
            }
        }
        // A start within the period, the first or a return after a churn, is a new logo.
        if a.start_days().any(within) {
            self.new_logos += 1;
            self.new_logo_arr.0 += a.arr_on(to).0;
        }
    }
}

/// The shortest period whose revenue churn is annualised for lifetime value: less says little.
pub const CLTV_MIN_DAYS: i64 = 90;

impl Retention {
    /// The churned share of starting ARR over `days`, as a yearly rate (compounded: a period of
    /// half a year losing 10% loses 19% a year; a year is itself). None without starting ARR.
    pub fn annual_revenue_churn(&self, days: i64) -> Option<f64> {
        let p = self.churn_by_revenue()? / 100.0;
        Some(1.0 - (1.0 - p).powf(365.0 / days.max(1) as f64))
    }

    /// Customer lifetime value: average starting ARR per account x gross margin / annual revenue
    /// churn rate, or why there is none (no customers at the start, a period too short to
    /// annualise, no revenue churned: a lifetime without end).
    pub fn cltv(&self, days: i64, gross_margin: f64) -> Result<Cents, &'static str> {
        if self.accounts_with_arr == 0 || self.arr_start.0 <= 0 {
            return Err("no customers with ARR at the start");
        }
        if days < CLTV_MIN_DAYS {
            return Err("period under 90 days");
        }
        let rate = self.annual_revenue_churn(days).unwrap_or(0.0);
        if rate <= 0.0 {
            return Err("no churn in the period");
        }
        let average = self.arr_start.0 as f64 / self.accounts_with_arr as f64;
        // An estimate to whole units: a probe's "$2,103,448.90" claimed a precision it has not.
        Ok(Cents((average * gross_margin / rate / 100.0).round() as i64 * 100))
    }
}

/// A calendar quarter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    /// 1-4.
    pub q: u32,
}

impl Quarter {
    pub fn of(day: NaiveDate) -> Quarter {
        use chrono::Datelike;
        Quarter { year: day.year(), q: day.month0() / 3 + 1 }
    }

    /// The quarter `n` after this one.
    pub fn plus(self, n: u32) -> Quarter {
        let index = self.year * 4 + self.q as i32 - 1 + n as i32;
        Quarter { year: index.div_euclid(4), q: index.rem_euclid(4) as u32 + 1 }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, (self.q - 1) * 3 + 1, 1).unwrap_or_default()
    }

    pub fn last_day(self) -> NaiveDate {
        self.plus(1).first_day().pred_opt().unwrap_or_default()
    }
}

impl std::fmt::Display for Quarter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} Q{}", self.year, self.q)
    }
}

/// Quarters after its start at which a cohort's retention is read.
pub const COHORT_STEPS: [u32; 4] = [1, 2, 4, 8];

/// The accounts that became customers in one quarter, and how many of them (and of their ARR)
/// are still there after 1, 2, 4 and 8 quarters.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cohort {
    pub accounts: usize,
    /// The cohort's ARR at the end of its first quarter.
    pub arr_start: Cents,
    /// Per `COHORT_STEPS`: (accounts still customers, their ARR) at the end of that quarter;
    /// None until that quarter has ended by the report's last day.
    pub after: [Option<(usize, Cents)>; 4],
    /// Per step: its quarter ended before the book's first record (`records_from`), where no
    /// churn shows: its figures are not known, not 100% (a probe's cohorts since 2016 read 100%
    /// at every step from a book begun in 2026).
    pub before_records: [bool; 4],
    /// Per step: its quarter ended before ARR changes are recorded (`arr_changes_from`): its ARR
    /// is as imported, and the revenue kept counts churn alone.
    pub arr_as_imported: [bool; 4],
    /// Its first quarter ended before ARR changes are recorded: `arr_start` is as imported.
    pub first_quarter_arr_as_imported: bool,
}

impl Cohort {
    /// Add an account that started in `quarter`, seen up to `to`.
    pub fn add(&mut self, a: &RevenueHistory, quarter: Quarter, to: NaiveDate) {
        self.accounts += 1;
        self.arr_start.0 += a.arr_on(quarter.last_day()).0;
        for (slot, step) in self.after.iter_mut().zip(COHORT_STEPS) {
            let end = quarter.plus(step).last_day();
            if end > to {
                continue;
            }
            let (kept, arr) = slot.get_or_insert((0, Cents(0)));
            if a.customer_on(end) {
                *kept += 1;
                arr.0 += a.arr_on(end).0;
            }
        }
    }

    /// Mark the steps of a cohort of `quarter` that ended before the book's records begin, or
    /// before its ARR changes are recorded.
    pub fn mark_records(
        &mut self,
        quarter: Quarter,
        records_from: Option<NaiveDate>,
        arr_changes_from: Option<NaiveDate>,
    ) {
        for (i, step) in COHORT_STEPS.into_iter().enumerate() {
            let end = quarter.plus(step).last_day();
            self.before_records[i] = records_from.is_some_and(|from| end < from);
            self.arr_as_imported[i] = arr_changes_from.is_some_and(|from| end < from);
        }
        self.first_quarter_arr_as_imported = arr_changes_from.is_some_and(|from| quarter.last_day() < from);
    }

    /// Logo retention after `COHORT_STEPS[i]` quarters, in %: None until the quarter has ended,
    /// or where it ended before the book's records begin.
    pub fn logo_retention(&self, i: usize) -> Option<f64> {
        if self.before_records[i] {
            return None;
        }
        let (kept, _) = self.after[i]?;
        (self.accounts > 0).then(|| kept as f64 / self.accounts as f64 * 100.0)
    }

    /// Revenue retention (expansion included) after `COHORT_STEPS[i]` quarters, in %.
    pub fn revenue_retention(&self, i: usize) -> Option<f64> {
        if self.before_records[i] {
            return None;
        }
        let (_, arr) = self.after[i]?;
        (self.arr_start.0 > 0).then(|| arr.0 as f64 / self.arr_start.0 as f64 * 100.0)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn retention_is_measured_from_the_books_first_records() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let imported =
            RevenueHistory { arr: Cents(100_000), customer_since: Some(d("2016-03-01")), ..Default::default() };
        // Imported on 2026-12-02 with nothing dated: the records start that day.
        let book = vec![(1, imported.clone())];
        assert_eq!(records_from(&book, Some(d("2026-12-02"))), Some(d("2026-12-02")));
        assert_eq!(measured_from(d("2025-12-03"), d("2026-12-02"), Some(d("2026-12-02"))), None);
        // A churn dated before the import, from the CRM: the records start at it.
        let churned = RevenueHistory { churned_on: Some(d("2026-05-01")), ..imported.clone() };
        let changed = RevenueHistory {
            changes: vec![ArrChange { day: d("2026-07-01"), old: Cents(1), new: Cents(2) }],
            ..imported.clone()
        };
        let book = vec![(1, imported), (2, churned), (3, changed)];
        assert_eq!(records_from(&book, Some(d("2026-12-02"))), Some(d("2026-05-01")));
        assert_eq!(measured_from(d("2025-12-03"), d("2026-12-02"), Some(d("2026-05-01"))), Some(d("2026-05-01")));
        // Records older than the period: the period whole.
        assert_eq!(measured_from(d("2025-12-03"), d("2026-12-02"), Some(d("2024-01-01"))), Some(d("2025-12-03")));
        assert_eq!(records_from(&[], None), None);
        // ARR changes: the first dated change or the book's start, not a churn's day.
        assert_eq!(arr_changes_from(&book, Some(d("2026-12-02"))), Some(d("2026-07-01")));
        assert_eq!(arr_changes_from(&book[..2], Some(d("2026-12-02"))), Some(d("2026-12-02")));
    }

    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn k(dollars: i64) -> Cents {
        Cents(dollars * 100)
    }

    fn account(arr: i64, since: &str, churned: Option<&str>, changes: &[(&str, i64, i64)]) -> RevenueHistory {
        RevenueHistory {
            arr: k(arr),
            customer_since: Some(d(since)),
            churned_on: churned.map(d),
            returns: Vec::new(),
            changes: changes
                .iter()
                .map(|(day, old, new)| ArrChange { day: d(day), old: k(*old), new: k(*new) })
                .collect(),
        }
    }

    /// Four accounts over 2026: one expands 10k -> 15k, one contracts 20k -> 16k, one (30k)
    /// churns, one stays at 40k; a new logo (5k) joins in June.
    fn year() -> Retention {
        let book = [
            account(15_000, "2024-01-01", None, &[("2026-04-01", 10_000, 15_000)]),
            account(16_000, "2024-01-01", None, &[("2026-05-01", 20_000, 16_000)]),
            account(30_000, "2024-01-01", Some("2026-09-30"), &[]),
            account(40_000, "2025-06-01", None, &[]),
            account(5_000, "2026-06-01", None, &[]),
        ];
        let mut r = Retention::default();
        for a in &book {
            r.add(a, d("2026-01-01"), d("2026-12-31"));
        }
        r
    }

    #[test]
    fn hand_computed_year() {
        let r = year();
        // Start: 10k + 20k + 30k + 40k = 100k, four logos.
        assert_eq!((r.accounts_start, r.arr_start), (4, k(100_000)));
        assert_eq!((r.expansion, r.contraction, r.churned_arr), (k(5_000), k(4_000), k(30_000)));
        // NRR = (100 + 5 - 4 - 30) / 100 = 71%; GRR = (100 - 4 - 30) / 100 = 66%.
        assert_eq!(r.nrr(), Some(71.0));
        assert_eq!(r.grr(), Some(66.0));
        // 3 of 4 logos kept; 1 churned = 25% by count, 30% by revenue.
        assert_eq!(r.logo_retention(), Some(75.0));
        assert_eq!(r.churn_by_count(), Some(25.0));
        assert_eq!(r.churn_by_revenue(), Some(30.0));
        assert_eq!((r.new_logos, r.new_logo_arr), (1, k(5_000)));
    }

    #[test]
    fn arr_on_a_day_follows_the_changes() {
        let a = account(12, "2025-01-01", None, &[("2026-03-01", 8, 10), ("2026-06-01", 10, 12)]);
        assert_eq!(a.arr_on(d("2026-01-01")), k(8));
        assert_eq!(a.arr_on(d("2026-03-01")), k(10));
        assert_eq!(a.arr_on(d("2026-12-01")), k(12));
        assert_eq!(a.arr_on(d("2024-12-31")), k(0), "not a customer yet");
        let churned = account(5, "2025-01-01", Some("2026-02-01"), &[]);
        assert_eq!(churned.arr_on(d("2026-01-31")), k(5));
        assert_eq!(churned.arr_on(d("2026-02-01")), k(0));
    }

    #[test]
    fn an_empty_period_has_no_ratios() {
        let r = Retention::default();
        assert_eq!((r.nrr(), r.grr(), r.logo_retention()), (None, None, None));
    }

    #[test]
    fn churned_before_the_period_is_not_in_the_cohort() {
        let mut r = Retention::default();
        r.add(&account(9, "2024-01-01", Some("2025-06-01"), &[]), d("2026-01-01"), d("2026-12-31"));
        assert_eq!(r, Retention::default());
    }

    #[test]
    fn an_event_on_a_periods_first_day_belongs_to_that_period() {
        let churn = account(9, "2024-01-01", Some("2026-01-01"), &[]);
        let (h2, h1) = ((d("2025-07-01"), d("2025-12-31")), (d("2026-01-01"), d("2026-06-30")));
        let mut late = Retention::default();
        late.add(&churn, h2.0, h2.1);
        let mut early = Retention::default();
        early.add(&churn, h1.0, h1.1);
        assert_eq!((late.accounts_churned, early.accounts_churned), (0, 1), "churned in 2026-H1");
        assert_eq!(early.churned_arr, k(9));
        // A customer since a period's first day is that period's new logo, not in its cohort.
        let new = account(4, "2026-01-01", None, &[]);
        let mut r = Retention::default();
        r.add(&new, h1.0, h1.1);
        assert_eq!((r.accounts_start, r.new_logos, r.new_logo_arr), (0, 1, k(4)));
        // An ARR change on the first day is that period's expansion.
        let grew = account(12, "2024-01-01", None, &[("2026-01-01", 10, 12)]);
        let mut r = Retention::default();
        r.add(&grew, h1.0, h1.1);
        assert_eq!((r.arr_start, r.expansion), (k(10), k(2)));
    }

    #[test]
    fn a_customer_who_came_back_is_a_new_logo_and_in_later_cohorts() {
        let back = RevenueHistory {
            returns: vec![(d("2025-03-01"), d("2026-02-01"))],
            ..account(7, "2023-01-01", None, &[("2026-02-01", 5, 7)])
        };
        assert!(!back.customer_on(d("2025-12-31")));
        assert_eq!(back.arr_on(d("2026-02-01")), k(7));
        let mut y2025 = Retention::default();
        y2025.add(&back, d("2025-01-01"), d("2025-12-31"));
        assert_eq!((y2025.accounts_start, y2025.accounts_churned, y2025.new_logos), (1, 1, 0));
        let mut y2026 = Retention::default();
        y2026.add(&back, d("2026-01-01"), d("2026-12-31"));
        assert_eq!((y2026.accounts_start, y2026.new_logos, y2026.new_logo_arr), (0, 1, k(7)));
        let mut y2027 = Retention::default();
        y2027.add(&back, d("2027-01-01"), d("2027-12-31"));
        assert_eq!((y2027.accounts_start, y2027.arr_start, y2027.accounts_retained), (1, k(7), 1));
    }

    proptest::proptest! {
        /// Twelve back-to-back months add up to the year: every churn and every new logo is
        /// counted in exactly one month, also on a month's first day.
        #[test]
        fn twelve_months_add_up_to_the_year(
            accounts in proptest::collection::vec((0i64..730, proptest::option::of(0i64..400), 1i64..100), 1..40)
        ) {
            let base = d("2025-07-01");
            let book: Vec<RevenueHistory> = accounts
                .iter()
                .map(|(since, churn, arr)| {
                    let since = base + chrono::Duration::days(*since);
                    let churned = churn.map(|c| since + chrono::Duration::days(c + 1));
                    RevenueHistory { churned_on: churned, ..account(*arr, &since.to_string(), None, &[]) }
                })
                .collect();
            let year = |from: NaiveDate, to: NaiveDate| {
                let mut r = Retention::default();
                for a in &book {
                    r.add(a, from, to);
                }
                r
            };
            let whole = year(d("2026-01-01"), d("2026-12-31"));
            let months: Vec<Retention> = (1..=12)
                .map(|m| {
                    let from = NaiveDate::from_ymd_opt(2026, m, 1).unwrap();
                    let to = NaiveDate::from_ymd_opt(if m == 12 { 2027 } else { 2026 }, if m == 12 { 1 } else { m + 1 }, 1)
                        .unwrap()
                        .pred_opt()
                        .unwrap();
                    year(from, to)
                })
                .collect();
            let cohort_churns: i64 = book
                .iter()
                .filter(|a| a.customer_on(d("2025-12-31")))
                .filter(|a| a.churned_on.is_some_and(|c| c.year() == 2026))
                .map(|a| a.arr.0)
                .sum();
            proptest::prop_assert_eq!(whole.churned_arr.0, cohort_churns);
            // Every churn of the year by an account that was a customer when its month began is
            // in exactly one month, a churn on a month's first day included.
            let month_churns: i64 = months.iter().map(|m| m.churned_arr.0).sum();
            let month_eve = |c: NaiveDate| c.with_day(1).and_then(|f| f.pred_opt()).unwrap();
            let all_churns: i64 = book
                .iter()
                .filter(|a| a.churned_on.is_some_and(|c| c.year() == 2026 && a.customer_on(month_eve(c))))
                .map(|a| a.arr.0)
                .sum();
            proptest::prop_assert_eq!(month_churns, all_churns);
            let month_logos: usize = months.iter().map(|m| m.new_logos).sum();
            proptest::prop_assert_eq!(month_logos, whole.new_logos);
        }
    }

    #[test]
    fn cltv_hand_computed_and_its_edges() {
        // The year: 4 accounts, 100k at the start: average 25k; 30% churned by revenue over a
        // year. At a 80% margin: 25k x 0.8 / 0.3 = 66,666.67.
        let r = year();
        assert_eq!(r.cltv(365, 0.8), Ok(Cents(6_666_700)));
        assert_eq!(r.cltv(365, 1.0), Ok(Cents(8_333_300)));
        assert_eq!(r.cltv(60, 1.0), Err("period under 90 days"));
        // Half a year losing 19% is 34.39% a year.
        let half = Retention {
            accounts_start: 1,
            accounts_with_arr: 1,
            arr_start: k(100),
            churned_arr: k(19),
            ..Default::default()
        };
        assert!((half.annual_revenue_churn(182).unwrap() - 0.3444).abs() < 0.001);
        let none = Retention { accounts_start: 2, accounts_with_arr: 2, arr_start: k(100), ..Default::default() };
        assert_eq!(none.cltv(365, 1.0), Err("no churn in the period"));
        assert_eq!(Retention::default().cltv(365, 1.0), Err("no customers with ARR at the start"));
        // One account that churned: its whole lifetime value is its ARR over a rate of 100%.
        let one = Retention {
            accounts_start: 1,
            accounts_with_arr: 1,
            arr_start: k(10),
            churned_arr: k(10),
            ..Default::default()
        };
        assert_eq!(one.cltv(365, 1.0), Ok(k(10)));
    }

    #[test]
    fn quarters_step_across_years() {
        let q = Quarter::of(d("2025-11-30"));
        assert_eq!(q.to_string(), "2025 Q4");
        assert_eq!(q.plus(1).to_string(), "2026 Q1");
        assert_eq!(q.plus(8).to_string(), "2027 Q4");
        assert_eq!((q.first_day(), q.last_day()), (d("2025-10-01"), d("2025-12-31")));
    }

    #[test]
    fn cohort_hand_computed_with_one_gone_and_steps_not_reached() {
        // Three start in 2025 Q1: A 10k stays and grows to 20k in 2025 Q3, B 10k churns in
        // 2025 Q2, C 20k churns in 2026 Q1. Seen up to 2026-06-30 (2025 Q1 + 5 quarters).
        let (q, to) = (Quarter::of(d("2025-02-01")), d("2026-06-30"));
        let book = [
            account(20_000, "2025-01-10", None, &[("2025-08-01", 10_000, 20_000)]),
            account(10_000, "2025-02-10", Some("2025-05-01"), &[]),
            account(20_000, "2025-03-10", Some("2026-02-01"), &[]),
        ];
        let mut c = Cohort::default();
        for a in &book {
            c.add(a, q, to);
        }
        assert_eq!((c.accounts, c.arr_start), (3, k(40_000)));
        // After 1 quarter (2025-06-30): A and C, 10k + 20k.
        assert_eq!(c.after[0], Some((2, k(30_000))));
        assert!((c.logo_retention(0).unwrap() - 200.0 / 3.0).abs() < 1e-9);
        assert_eq!(c.revenue_retention(0), Some(75.0));
        // After 4 quarters (2026-03-31): A alone at 20k: 50% of the revenue, a third of the logos.
        assert_eq!(c.after[2], Some((1, k(20_000))));
        assert_eq!(c.revenue_retention(2), Some(50.0));
        // 8 quarters (2027-03-31) are after the last day: not reached, no figure.
        assert_eq!((c.after[3], c.logo_retention(3)), (None, None));

        // A cohort with no one left: 0%, not missing.
        let mut gone = Cohort::default();
        gone.add(&book[1], q, to);
        assert_eq!((gone.logo_retention(0), gone.revenue_retention(0)), (Some(0.0), Some(0.0)));

        // A book whose records start 2025-09-01 and its ARR changes 2026-06-01: the first step
        // (2025-06-30) ends before its records, its figures not known rather than read from no
        // evidence; the steps to 2026-03-31 end before its ARR changes, their ARR as imported.
        c.mark_records(q, Some(d("2025-09-01")), Some(d("2026-06-01")));
        assert_eq!(c.before_records, [true, false, false, false]);
        assert_eq!(c.arr_as_imported, [true, true, true, false]);
        assert_eq!((c.logo_retention(0), c.revenue_retention(0)), (None, None));
        assert_eq!(c.revenue_retention(2), Some(50.0), "kept, marked as churn alone by the report");
    }

    #[test]
    fn a_customer_without_arr_is_a_logo_kept_or_lost_but_no_revenue() {
        // The year, plus two CRM accounts without ARR: one churns in March, one stays.
        let mut r = year();
        for a in [account(0, "2020-01-01", Some("2026-03-01"), &[]), account(0, "2021-01-01", None, &[])] {
            r.add(&a, d("2026-01-01"), d("2026-12-31"));
        }
        assert_eq!((r.accounts_start, r.accounts_with_arr), (6, 4));
        assert_eq!((r.accounts_churned, r.accounts_retained), (2, 4));
        assert_eq!(r.logo_retention(), Some(4.0 / 6.0 * 100.0));
        // Revenue figures as before: 100k start, 30k churned; the average ARR is over those with ARR.
        assert_eq!((r.arr_start, r.churned_arr, r.nrr()), (k(100_000), k(30_000), Some(71.0)));
        assert_eq!(r.cltv(365, 1.0), Ok(Cents(8_333_300)));
    }
}
