//! Back-testing on the book's own history: accounts that renewed or churned, their factors as of
//! some days before the outcome.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};

use crate::config::Config;
use crate::domain::backtest::{self, Backtest, Sample};
use crate::domain::signals;
use crate::domain::suggest::{self, Suggestion, TooFewOutcomes};
use crate::store::{Result, Store};

/// What `--suggest` gives: a suggestion, or why there is none.
pub type Suggested = std::result::Result<Suggestion, TooFewOutcomes>;

/// The back-test over the regular score's factors (the jumpstart score is for new accounts, not
/// renewals), and, when asked (with a number of folds), the whole score suggested from the same
/// outcomes and judged by cross-validation.
pub fn run(
    store: &Store,
    config: &Config,
    days_before: i64,
    folds: Option<usize>,
    today: NaiveDate,
) -> Result<(Backtest, Option<Suggested>)> {
    let samples = samples(store, config, days_before, today)?;
    let rules: Vec<_> = config.health.factors.iter().map(|(id, rule)| (*id, *rule)).collect();
    let suggested = folds.map(|k| suggest::suggest(&samples, &config.health.factors, &config.health.rules(), k));
    Ok((backtest::run(&samples, &rules), suggested))
}

/// Each account with an outcome by `today`, by id: its factor values and score `days_before` the
/// outcome. (As of a past day, the outcomes after it are not known yet.)
pub fn samples(store: &Store, config: &Config, days_before: i64, today: NaiveDate) -> Result<Vec<Sample>> {
    let outcomes: HashMap<i64, (bool, NaiveDate)> = store
        .outcomes()?
        .into_iter()
        .filter(|(_, _, day)| *day <= today)
        .map(|(id, renewed, day)| (id, (renewed, day)))
        .collect();
    let mut samples = Vec::with_capacity(outcomes.len());
    let max = store.max_account_id()?;
    // A range of accounts at a time, so memory stays bounded on a large book.
    let mut lo = 1;
    while lo <= max {
        let hi = lo.saturating_add(4_999);
        store.for_each_account_facts_between(&config.health.catalog, lo, hi, |id, facts| {
            if let Some(&(renewed, day)) = outcomes.get(&id) {
                let as_of = day - Duration::days(days_before);
                let values = signals::derive_values(facts, as_of, &config.health.catalog);
                let subject = facts.subject();
                let (kind, scored, coverage) = config.health.quick_with_coverage(&values, &subject, as_of);
                let not_enough_data = scored.is_none() && coverage.with_data > 0;
                let regular = kind == crate::domain::scoring::ScoreKind::Regular
                    && signals::is_customer_on(subject.customer_since, as_of);
                samples.push(Sample { renewed, values, score: scored.map(|s| s.0), not_enough_data, regular });
            }
        })?;
        lo = hi.saturating_add(1);
    }
    Ok(samples)
}
