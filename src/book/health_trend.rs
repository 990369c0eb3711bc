//! The book's health over time: week by week over the history window, how many accounts (and how
//! much ARR) were in each band. Worked out from the facts dated up to each week's day, so it
//! reads the same whatever the stored history keeps; the band is the one the score gives (a CSM's
//! override is today's judgement, not the past's).

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate};

use super::PortfolioRow;
use crate::config::Config;
use crate::domain::history::day_health;
use crate::domain::{AccountFacts, Cents, HealthBand, signals};
use crate::store::{Result, Store};

/// Below this many accounts each one's facts are read on its own; above, the book is streamed.
const READ_ONE_BY_ONE: usize = 2_000;

/// One week's day: accounts and ARR per band, Green to Red, then customers without a score.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrendWeek {
    pub day: NaiveDate,
    pub accounts: [usize; 5],
    pub arr: [Cents; 5],
}

impl TrendWeek {
    /// The slot of a band (None: no score).
    pub fn slot(band: Option<HealthBand>) -> usize {
        match band {
            Some(HealthBand::Green) => 0,
            Some(HealthBand::Yellow) => 1,
            Some(HealthBand::Orange) => 2,
            Some(HealthBand::Red) => 3,
            None => 4,
        }
    }

    pub fn customers(&self) -> usize {
        self.accounts.iter().sum()
    }

    pub fn total_arr(&self) -> Cents {
        Cents(self.arr.iter().map(|c| c.0).sum())
    }

    /// Share of the customers in a slot, in %.
    pub fn account_share(&self, slot: usize) -> Option<f64> {
        let n = self.customers();
        (n > 0).then(|| self.accounts[slot] as f64 / n as f64 * 100.0)
    }

    /// Share of the ARR in a slot, in %.
    pub fn arr_share(&self, slot: usize) -> Option<f64> {
        let total = self.total_arr().0;
        (total > 0).then(|| self.arr[slot].0 as f64 / total as f64 * 100.0)
    }
}

/// The week days of the history window ending on `today`, oldest first.
pub fn week_days(config: &Config, today: NaiveDate) -> Vec<NaiveDate> {
    let weeks = (config.history.days - 1) / 7;
    (0..=weeks).rev().map(|w| today - Duration::days(7 * w)).collect()
}

/// Week by week over the history window, the accounts among `rows` that were customers on each
/// day, by the band their facts gave that day.
pub fn health_trend<'a>(
    store: &Store,
    config: &Config,
    rows: impl IntoIterator<Item = &'a PortfolioRow>,
    today: NaiveDate,
) -> Result<Vec<TrendWeek>> {
    let days = week_days(config, today);
    let mut weeks: Vec<TrendWeek> = days.iter().map(|d| TrendWeek { day: *d, ..Default::default() }).collect();
    let wanted: HashSet<i64> = rows.into_iter().map(|r| r.id).collect();
    let revenue: HashMap<i64, crate::domain::retention::RevenueHistory> =
        store.revenue_histories()?.into_iter().filter(|(id, _)| wanted.contains(id)).collect();
    let health = &config.health;
    // An account without dated evidence has no score on any day unless factors read its fields
    // or people (`AccountFacts::has_no_evidence`): a fresh CRM import is mostly such accounts.
    use crate::domain::Source;
    let undated = |s: &Source| matches!(s, Source::Field(_) | Source::Contacts);
    // (Only a factor's own source counts: a second one, such as usage_vs_expected's expected
    // usage, divides a dated value there is none of.)
    let reads_fields = health.catalog.defs.iter().any(|d| undated(&d.source));
    let mut add = |id: i64, facts: &AccountFacts| {
        let Some(history) = revenue.get(&id) else { return };
        let scoreless = !reads_fields && facts.has_no_evidence();
        for week in &mut weeks {
            if !history.customer_on(week.day) {
                continue;
            }
            let band = match scoreless {
                true => None,
                false => {
                    let values = signals::derive_values(facts, week.day, &health.catalog);
                    day_health(health, &values, &facts.subject(), week.day).score.map(|s| health.bands.band_for(s))
                }
            };
            let slot = TrendWeek::slot(band);
            week.accounts[slot] += 1;
            week.arr[slot].0 += history.arr_on(week.day).0;
        }
    };
    // Without factors on fields or people, only accounts with evidence can have a score: those
    // are the ones to read (a fresh import has none); the rest are no score every week.
    let evidenced: Option<HashSet<i64>> = match reads_fields {
        true => None,
        false => {
            let with = store.accounts_with_evidence()?;
            Some(wanted.iter().copied().filter(|id| with.contains(id)).collect())
        }
    };
    let to_read = evidenced.as_ref().map_or(wanted.len(), HashSet::len);
    if to_read <= READ_ONE_BY_ONE {
        let empty = AccountFacts::default();
        for id in &wanted {
            match evidenced.as_ref().is_none_or(|e| e.contains(id)) {
                true => add(*id, &store.account_facts(*id, &health.catalog)?),
                false => add(*id, &empty),
            }
        }
    } else {
        store.for_each_account_facts(&health.catalog, |id, facts| {
            if wanted.contains(&id) {
                add(id, facts);
            }
        })?;
    }
    Ok(weeks)
}

/// "over 26 weeks, % of ARR: G 41->52 Y 30->28 O 17->12 R 12->8 no score 0->0": the first and last
/// week's shares of ARR in every band, for a headline.
pub fn headline(weeks: &[TrendWeek]) -> Option<String> {
    let (first, last) = (weeks.first()?, weeks.last()?);
    let span = match weeks.len() - 1 {
        1 => "1 week".to_string(),
        n => format!("{n} weeks"),
    };
    // No ARR on record in either week: no share to give ("G -->-" said nothing).
    if (0..5).all(|slot| first.arr_share(slot).is_none() && last.arr_share(slot).is_none()) {
        return Some(format!("over {span}: no ARR on record to share out by band"));
    }
    // No account scored in any week: shares would all read "G 0->0 … no score 100->100".
    if weeks.iter().all(|w| w.accounts[..4].iter().all(|&n| n == 0)) {
        return Some(format!("over {span}: no account has had a score yet"));
    }
    let share = |slot| {
        let pct = |w: &TrendWeek| w.arr_share(slot).map_or("-".to_string(), |v| format!("{v:.0}"));
        format!("{}->{}", pct(first), pct(last))
    };
    // Where most of the ARR gained its first score over the window, the bands' rises are data
    // arriving, not health improving: said, as "G 0->31" reads as a win.
    let arriving = match (first.arr_share(4), last.arr_share(4)) {
        (Some(then), Some(now)) if then - now >= 25.0 => " (mostly accounts getting a first score)",
        _ => "",
    };
    Some(format!(
        "over {span}, % of ARR: G {} Y {} O {} R {} no score {}{arriving}",
        share(0),
        share(1),
        share(2),
        share(3),
        share(4)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_headline_without_arr_says_so_rather_than_dashes() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let week = |d: u32, arr: i64| TrendWeek {
            day: day(d),
            accounts: [1, 0, 0, 0, 1],
            arr: [Cents(arr), Cents(0), Cents(0), Cents(0), Cents(0)],
        };
        let none = headline(&[week(2, 0), week(9, 0), week(16, 0)]).unwrap();
        assert_eq!(none, "over 2 weeks: no ARR on record to share out by band");
        let some = headline(&[week(2, 100), week(9, 0), week(16, 100)]).unwrap();
        assert!(some.starts_with("over 2 weeks, % of ARR: G 100->100"), "{some}");
        assert!(!some.contains("first score"), "{some}");
        // From no score to scored: data arriving, said so.
        let unscored = TrendWeek {
            day: day(2),
            accounts: [0, 0, 0, 0, 2],
            arr: [Cents(0), Cents(0), Cents(0), Cents(0), Cents(100)],
        };
        let arrived = headline(&[unscored, week(9, 100)]).unwrap();
        assert!(
            arrived.ends_with("G 0->100 Y 0->0 O 0->0 R 0->0 no score 100->0 (mostly accounts getting a first score)"),
            "{arrived}"
        );
    }

    #[test]
    fn a_headline_of_weeks_without_a_score_says_so_rather_than_no_score_100() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let unscored = |d: u32| TrendWeek {
            day: day(d),
            accounts: [0, 0, 0, 0, 3],
            arr: [Cents(0), Cents(0), Cents(0), Cents(0), Cents(900)],
        };
        assert_eq!(headline(&[unscored(2), unscored(9)]).unwrap(), "over 1 week: no account has had a score yet");
        let mut scored = unscored(9);
        scored.accounts = [1, 0, 0, 0, 2];
        scored.arr[0] = Cents(300);
        assert!(headline(&[unscored(2), scored]).unwrap().contains("no score 100->"), "a first score is a change");
    }
}
