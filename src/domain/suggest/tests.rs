//! Against books where the truth is known: renewal drawn from a logistic model over raw values.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::config::Config;
use crate::config::builtin as id;
use crate::domain::FactorValues;
use crate::domain::factor::Better;

/// Sentiment drives renewal (higher better); usage is configured higher-is-better but here more
/// usage churns (lower is better in truth); NPS is noise; active users drive it too but are
/// missing for a third of the accounts.
fn samples(n: usize, seed: u64) -> Vec<Sample> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let sentiment: f64 = rng.random_range(1..=10).into();
            let usage: f64 = rng.random_range(0.0..150.0);
            let nps: f64 = rng.random_range(0..=10).into();
            let users: f64 = rng.random_range(0..=40).into();
            let users_known = rng.random_bool(0.67);
            let z = 0.6 * (sentiment - 5.5) - 0.025 * (usage - 75.0)
                + if users_known { 0.06 * (users - 20.0) } else { 0.0 };
            let renewed = rng.random_bool(1.0 / (1.0 + (-z).exp()));
            let mut values = FactorValues::default();
            values.set(id("sentiment"), Some(sentiment));
            values.set(id("usage_vs_expected"), Some(usage));
            values.set(id("nps"), Some(nps));
            values.set(id("active_users"), users_known.then_some(users));
            Sample { renewed, values, score: None, not_enough_data: false, regular: true }
        })
        .collect()
}

fn model() -> ScoreModel {
    let all = Config::default().health.factors;
    [id("sentiment"), id("usage_vs_expected"), id("nps"), id("active_users")]
        .into_iter()
        .map(|id| (id, all[&id]))
        .collect()
}

fn rules() -> ScoreRules {
    // Every sample scores, as the test is about ranking.
    ScoreRules { min_coverage: 0.0, ..Config::default().health.rules() }
}

#[test]
fn the_whole_factor_is_suggested_and_comes_near_the_ceiling() {
    let s = suggest(&samples(3_000, 5), &model(), &rules(), 5).unwrap();
    let f = |key| s.factors.iter().find(|f| f.id == id(key)).unwrap();
    assert_eq!(model()[&id("usage_vs_expected")].better, Better::Higher, "configured the wrong way");
    assert_eq!(f("usage_vs_expected").suggested.better, Better::Lower, "flipped by the data");
    assert!(f("usage_vs_expected").flipped());
    let usage = f("usage_vs_expected").fit.clone().unwrap();
    assert!(usage.lowest_quarter.rate() > usage.highest_quarter.rate(), "the rates that show it: {usage:?}");
    // Levels rise with the points, each holding enough accounts.
    for key in ["sentiment", "usage_vs_expected", "active_users"] {
        let fit = f(key).fit.clone().unwrap();
        let used: Vec<_> = fit.levels.iter().filter(|l| l.accounts > 0).collect();
        assert!(used.windows(2).all(|w| w[0].rate() <= w[1].rate()), "{key}: {fit:?}");
        assert!(used.iter().all(|l| l.accounts >= 100), "{key}: {fit:?}");
        let [a, b, c] = f(key).suggested.thresholds;
        assert!(a < b && b < c, "{key}: thresholds rise");
    }
    assert!(f("active_users").with_value < 2_500, "missing values are not counted as values");
    let weight = |key| f(key).suggested.weight;
    for key in ["sentiment", "usage_vs_expected", "active_users"] {
        assert!(weight(key) > weight("nps"), "the useless factor weighs least: {key}");
    }
    assert!(
        weight("sentiment") > 2.0 * weight("nps"),
        "{:?}",
        s.factors.iter().map(|f| f.suggested.weight).collect::<Vec<_>>()
    );
    let (current, suggested, ceiling) =
        (s.current.mean().unwrap(), s.suggested.mean().unwrap(), s.ceiling.mean().unwrap());
    assert!(suggested > current + 0.05, "suggested {suggested:.3} vs current {current:.3}");
    assert!(ceiling - suggested < 0.03, "suggested {suggested:.3} within 0.03 of the ceiling {ceiling:.3}");
    assert_eq!(s.suggested.per_fold.len(), 5);
    assert!(s.suggested.sd().unwrap() < 0.05);
    // The snippet is valid config.
    let toml = s.toml(&Config::default().health.catalog);
    let parsed: toml::Table = toml.parse().expect("valid TOML");
    assert_eq!(parsed["health"]["factors"]["usage_vs_expected"]["better"].as_str(), Some("lower"));
}

#[test]
fn too_few_outcomes_suggest_nothing() {
    let few = samples(30, 1);
    let err = suggest(&few, &model(), &rules(), 5).unwrap_err();
    assert!(err.renewed + err.churned == 30 && err.to_string().contains("at least 20 of each"), "{err}");
}

/// A factor only a few outcomes have a value for (NPS answered by 11 of 3,000) is not judged:
/// its rule is kept whole, weight included, and the judged factors share the rest of the weight.
#[test]
fn a_factor_too_few_outcomes_have_is_kept_whole_weight_included() {
    let mut all = samples(3_000, 9);
    for (i, s) in all.iter_mut().enumerate() {
        if i % 273 != 0 {
            s.values.set(id("nps"), None);
        }
    }
    let m = model();
    let s = suggest(&all, &m, &rules(), 5).unwrap();
    let nps = s.factors.iter().find(|f| f.id == id("nps")).unwrap();
    assert!(nps.with_value < MIN_WITH_VALUE && nps.fit.is_none(), "{nps:?}");
    assert_eq!(nps.suggested, nps.current, "kept whole");
    let total: f64 = m.values().map(|r| r.weight).sum();
    let suggested: f64 = s.factors.iter().map(|f| f.suggested.weight).sum();
    assert!((suggested - total).abs() < 0.5, "the weights still add to the config's: {suggested} of {total}");
}

#[test]
fn a_regression_below_the_points_scores_is_not_called_a_ceiling() {
    let spread = |m: f64| Spread { per_fold: vec![Some(m)] };
    let s = |ceiling| Suggestion {
        factors: Vec::new(),
        folds: 1,
        accounts: 40,
        renewed: 30,
        current: spread(0.72),
        suggested: spread(0.70),
        ceiling: spread(ceiling),
    };
    assert!(s(0.61).ceiling_note().contains("no ceiling"), "{}", s(0.61).ceiling_note());
    assert!(s(0.61).toml(&Config::default().health.catalog).contains("0.610 logistic regression (too few outcomes"));
    assert!(s(0.80).ceiling_note().contains("what a points score can approach"));
}
