//! Retention over a period, from each account's dated ARR and churn: NRR, GRR, logo retention,
//! churn by count and by revenue, expansion and contraction.
//!
//! Definitions (as in the ChurnZero guide): the *starting cohort* is the accounts that were
//! customers with ARR above zero on the first day of the period. For each of them, compare its ARR
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

/// A dated change of an account's ARR.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ArrChange {
    pub day: NaiveDate,
    pub old: Cents,
    pub new: Cents,
}

/// What retention needs of one account.
#[derive(Clone, Debug, PartialEq)]
pub struct RevenueHistory {
    /// ARR today (after every change).
    pub arr: Cents,
    pub customer_since: Option<NaiveDate>,
    pub churned_on: Option<NaiveDate>,
    /// Sorted by day, oldest first.
    pub changes: Vec<ArrChange>,
}

impl RevenueHistory {
    /// ARR on a day: the latest change on or before it, else what the first later change started
    /// from, else today's ARR. Zero before the account was a customer and from its churn day on.
    pub fn arr_on(&self, day: NaiveDate) -> Cents {
        if self.customer_since.is_some_and(|since| since > day) || self.churned_on.is_some_and(|c| c <= day) {
            return Cents(0);
        }
        match self.changes.iter().rev().find(|c| c.day <= day) {
            Some(c) => c.new,
            None => self.changes.first().map_or(self.arr, |c| c.old),
        }
    }

    fn customer_on(&self, day: NaiveDate) -> bool {
        self.customer_since.is_none_or(|since| since <= day) && self.churned_on.is_none_or(|c| c > day)
    }
}

/// Retention figures over a period, for a whole book or one group of it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Retention {
    pub accounts_start: usize,
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

    /// Add one account's part over the period `from`..=`to`.
    pub fn add(&mut self, a: &RevenueHistory, from: NaiveDate, to: NaiveDate) {
        let start = a.arr_on(from);
        if a.customer_on(from) && start.0 > 0 {
            self.accounts_start += 1;
            self.arr_start.0 += start.0;
            if a.churned_on.is_some_and(|c| c <= to) {
                self.accounts_churned += 1;
                self.churned_arr.0 += start.0;
            } else {
                self.accounts_retained += 1;
                let end = a.arr_on(to);
                if end.0 > start.0 {
                    self.expansion.0 += end.0 - start.0;
                } else {
                    self.contraction.0 += start.0 - end.0;
                }
            }
        } else if a.customer_since.is_some_and(|since| since > from && since <= to) {
            self.new_logos += 1;
            self.new_logo_arr.0 += a.arr_on(to).0;
        }
    }
}

#[cfg(test)]
mod tests {
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
}
