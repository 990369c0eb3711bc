//! Renewals due in a window, with the forecast.

use chrono::NaiveDate;

use super::PortfolioRow;
use crate::config::Config;
use crate::domain::AccountStatus;
use crate::domain::renewal::Forecast;

pub use crate::domain::renewal::LONG_PAST_DAYS;

/// Whether `row`'s renewal date is further past than `LONG_PAST_DAYS` and was so already when the
/// book got the account (a CRM's date not kept up, most often). One that went by while the book
/// had it stays overdue until it is recorded renewed or churned: two probes saw a $250k renewal 88
/// days overdue leave Triage, the one-on-one and the sums at risk on its 91st day.
pub fn is_long_past(row: &PortfolioRow, today: NaiveDate) -> bool {
    let Some(renewal) = row.renewal_date else { return false };
    (today - renewal).num_days() > LONG_PAST_DAYS && !seen_lapse(row, renewal, today)
}

/// Whether the book had the account when its renewal was at most `LONG_PAST_DAYS` past. (A
/// stamp after `today`, an import run as of an earlier day, counts as `today`.)
fn seen_lapse(row: &PortfolioRow, renewal: NaiveDate, today: NaiveDate) -> bool {
    row.in_book_since.is_some_and(|since| (since.min(today) - renewal).num_days() <= LONG_PAST_DAYS)
}

/// The renewals due within `days` (and any past due, not yet renewed), soonest first, as indices
/// into `rows`, with the forecast over them: one CSM's (`csm`) or everyone's. Churned accounts
/// are left out. Those long past (`is_long_past`) come last, the latest first, and are in no sum
/// of the forecast, only counted (`Forecast::long_past`).
pub fn due(
    config: &Config,
    rows: &[PortfolioRow],
    today: NaiveDate,
    days: i64,
    csm: Option<&str>,
) -> (Vec<usize>, Forecast) {
    let mut due: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].status != AccountStatus::Churned)
        .filter(|&i| csm.is_none_or(|c| *rows[i].csm == *c))
        .filter(|&i| rows[i].days_to_renewal(today).is_some_and(|d| d <= days))
        .collect();
    due.sort_by(|&a, &b| {
        let (a, b) = (&rows[a], &rows[b]);
        let dates = match (is_long_past(a, today), is_long_past(b, today)) {
            (false, false) => a.renewal_date.cmp(&b.renewal_date),
            (true, true) => b.renewal_date.cmp(&a.renewal_date),
            (long_a, long_b) => long_a.cmp(&long_b),
        };
        dates.then(b.arr.cmp(&a.arr)).then_with(|| a.name.cmp(&b.name))
    });
    let forecast = forecast(&config.renewals.likelihood, rows, &due, today);
    (due, forecast)
}

/// The forecast over some of `due`'s renewals (those a filter lets through, or all of them).
pub fn forecast(
    likelihood: &crate::domain::renewal::Likelihood,
    rows: &[PortfolioRow],
    due: &[usize],
    today: NaiveDate,
) -> Forecast {
    let mut forecast = Forecast::default();
    for row in due.iter().filter_map(|&i| rows.get(i)) {
        match is_long_past(row, today) {
            true => forecast.long_past += 1,
            false => {
                forecast.add_account(likelihood, row.arr, row.band, row.says_at_risk(), row.renewal_late(today));
            }
        }
    }
    forecast
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::domain::{Cents, HealthBand};

    fn row(id: i64, days: i64, arr: i64, band: Option<HealthBand>, status: AccountStatus) -> PortfolioRow {
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        PortfolioRow {
            csm: "Ana".into(),
            renewal_date: Some(today + chrono::Duration::days(days)),
            ..PortfolioRow::sample(id, "Deer", band, arr as f64, status)
        }
    }

    /// A renewal that went by while the book had the account stays overdue past 90 days, in the
    /// sums; one already long past when the book got it (or of unknown age) is listed apart.
    #[test]
    fn a_renewal_the_book_saw_lapse_stays_overdue() {
        let config = Config::default();
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        let day = |n: i64| today + chrono::Duration::days(n);
        let seen =
            PortfolioRow { in_book_since: Some(day(-200)), ..row(1, -120, 250_000, None, AccountStatus::Active) };
        let imported_late =
            PortfolioRow { in_book_since: Some(day(-5)), ..row(2, -120, 9_000, None, AccountStatus::Active) };
        let unknown = row(3, -120, 7_000, None, AccountStatus::Active);
        // A stamp after today (an import run as of an earlier day) counts as today.
        let stamped_ahead =
            PortfolioRow { in_book_since: Some(day(30)), ..row(4, -95, 5_000, None, AccountStatus::Active) };
        assert!(!is_long_past(&seen, today));
        assert!(is_long_past(&imported_late, today) && is_long_past(&unknown, today));
        assert!(is_long_past(&stamped_ahead, today));
        assert!(!is_long_past(&stamped_ahead, day(-10)), "85 days past on that day");
        let rows = vec![seen, imported_late, unknown];
        let (due, f) = due(&config, &rows, today, 90, None);
        assert_eq!(due.len(), 3);
        assert_eq!(f.due, Cents::from_units(250_000.0), "only the renewal the book saw lapse is in the sums");
        assert_eq!(f.long_past, 2);
    }

    #[test]
    fn due_in_window_soonest_first_without_churned() {
        let config = Config::default();
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        let rows = vec![
            row(1, 40, 10_000, Some(HealthBand::Green), AccountStatus::Active),
            row(2, 10, 20_000, Some(HealthBand::Red), AccountStatus::Active),
            row(3, 5, 99_000, Some(HealthBand::Red), AccountStatus::Churned),
            row(4, 200, 5_000, None, AccountStatus::Active),
            row(5, -3, 1_000, Some(HealthBand::Orange), AccountStatus::Active),
        ];
        let (others, none) = due(&config, &rows, today, 90, Some("Ben"));
        assert!(others.is_empty() && none == Forecast::default(), "only Ben's renewals, and he has none");
        let (due, f) = due(&config, &rows, today, 90, Some("Ana"));
        let ids: Vec<i64> = due.iter().map(|&i| rows[i].id).collect();
        assert_eq!(ids, vec![5, 2, 1], "past due first, then soonest; churned and far ones left out");
        assert_eq!(f.due, Cents::from_units(31_000.0));
        assert_eq!(f.at_risk, Cents::from_units(21_000.0));
        let l = &config.renewals.likelihood;
        let expected = (10_000.0 * l.green + 20_000.0 * l.red + 1_000.0 * l.orange) * 100.0;
        assert_eq!(f.expected, Cents(expected.round() as i64));
    }

    #[test]
    fn an_unscored_renewal_at_its_worst_is_at_risk_at_orange_at_most() {
        let config = Config::default();
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        let mut worst = row(1, 20, 40_000, None, AccountStatus::Active);
        worst.unscored_at_worst = true;
        let rows = vec![worst, row(2, 30, 10_000, None, AccountStatus::Active)];
        let (_, f) = due(&config, &rows, today, 90, None);
        let l = &config.renewals.likelihood;
        assert_eq!(f.at_risk, Cents::from_units(40_000.0));
        assert_eq!(f.unscored, 1, "only the other one is on the no-score prior");
        let expected = (40_000.0 * l.no_score.min(l.orange) + 10_000.0 * l.no_score) * 100.0;
        assert_eq!(f.expected, Cents(expected.round() as i64));
    }

    #[test]
    fn an_overridden_band_is_the_forecasts_call_over_the_flags() {
        let config = Config::default();
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        let flagged = |overridden: bool| {
            let mut r = row(1, 20, 40_000, Some(HealthBand::Green), AccountStatus::Active);
            (r.risk_open, r.overridden, r.computed_band) = (true, overridden, Some(HealthBand::Yellow));
            r
        };
        let l = &config.renewals.likelihood;
        let (_, f) = due(&config, &[flagged(false)], today, 90, None);
        assert_eq!((f.at_risk, f.expected), (Cents::from_units(40_000.0), Cents::from_units(40_000.0 * l.orange)));
        let (_, f) = due(&config, &[flagged(true)], today, 90, None);
        assert_eq!((f.at_risk, f.expected), (Cents(0), Cents::from_units(40_000.0 * l.green)));
    }
}
