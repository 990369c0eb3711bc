//! Suggesting factor weights from outcomes: a logistic regression of "renewed" on each factor's
//! points, fitted on four fifths of the accounts and judged on the fifth it never saw.
//!
//! A factor's points are its feature, centred on 2.5 (a missing value counts as that middle, so it
//! pushes neither way). Coefficients that come out negative (the factor points the wrong way on
//! this book) become weight 0: the factor stays as a candidate, shown but not counted. The
//! positive ones are scaled to the current total weight, so the numbers read like the config's.

use super::backtest::Sample;
use super::catalog::Catalog;
use super::factor::FactorId;
use super::scoring::ScoreModel;
use super::scoring::ScoreRules;

/// The suggestion and how it compares with the current weights on the held-out accounts.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// (factor, suggested weight), in the model's order.
    pub weights: Vec<(FactorId, f64)>,
    pub trained_on: usize,
    pub held_out: usize,
    /// AUC on the held-out accounts of the blended score with the suggested and the current weights.
    pub suggested_auc: Option<f64>,
    pub current_auc: Option<f64>,
}

/// Every fifth account is held out; the rest train the fit.
fn held_out(i: usize) -> bool {
    i % 5 == 4
}

fn features(model: &ScoreModel, s: &Sample) -> Vec<f64> {
    model.iter().map(|(id, rule)| s.values.get(*id).map_or(0.0, |v| f64::from(rule.points(v)) - 2.5)).collect()
}

/// Fit a logistic regression with a little L2 shrinkage, by gradient descent. Returns the
/// coefficients (without the intercept).
fn fit(x: &[Vec<f64>], y: &[bool]) -> Vec<f64> {
    let n = x.len().max(1) as f64;
    let k = x.first().map_or(0, Vec::len);
    let (mut w, mut b) = (vec![0.0; k], 0.0);
    let (rate, l2) = (0.5, 0.001);
    for _ in 0..800 {
        let mut grad = vec![0.0; k];
        let mut grad_b = 0.0;
        for (xi, yi) in x.iter().zip(y) {
            let z = b + xi.iter().zip(&w).map(|(a, c)| a * c).sum::<f64>();
            let p = 1.0 / (1.0 + (-z).exp());
            let err = p - f64::from(u8::from(*yi));
            for (g, a) in grad.iter_mut().zip(xi) {
                *g += err * a;
            }
            grad_b += err;
        }
        for (wj, g) in w.iter_mut().zip(&grad) {
            *wj -= rate * (g / n + l2 * *wj);
        }
        b -= rate * grad_b / n;
    }
    w
}

fn held_out_auc(model: &ScoreModel, cutoffs: &ScoreRules, test: &[&Sample]) -> Option<f64> {
    super::backtest::score_auc(test.iter().copied(), model, cutoffs)
}

/// Suggest weights for `model`'s factors from `samples`.
pub fn suggest(samples: &[Sample], model: &ScoreModel, cutoffs: &ScoreRules) -> Suggestion {
    let train: Vec<&Sample> = samples.iter().enumerate().filter(|(i, _)| !held_out(*i)).map(|(_, s)| s).collect();
    let test: Vec<&Sample> = samples.iter().enumerate().filter(|(i, _)| held_out(*i)).map(|(_, s)| s).collect();
    let x: Vec<Vec<f64>> = train.iter().map(|s| features(model, s)).collect();
    let y: Vec<bool> = train.iter().map(|s| s.renewed).collect();
    let coefficients = fit(&x, &y);

    let total: f64 = model.values().map(|r| r.weight).sum();
    let positive: f64 = coefficients.iter().filter(|c| **c > 0.0).sum();
    let weights: Vec<(FactorId, f64)> = model
        .keys()
        .zip(&coefficients)
        .map(|(id, c)| {
            let w = if *c > 0.0 && positive > 0.0 { c / positive * total } else { 0.0 };
            (*id, (w * 10.0).round() / 10.0)
        })
        .collect();

    let mut suggested = model.clone();
    for (id, w) in &weights {
        if let Some(rule) = suggested.get_mut(id) {
            rule.weight = *w;
        }
    }
    Suggestion {
        trained_on: train.len(),
        held_out: test.len(),
        suggested_auc: held_out_auc(&suggested, cutoffs, &test),
        current_auc: held_out_auc(model, cutoffs, &test),
        weights,
    }
}

impl Suggestion {
    /// The weights as TOML to paste into the config, with how they did.
    pub fn toml(&self, catalog: &Catalog) -> String {
        let show = |a: Option<f64>| a.map_or("-".to_string(), |a| format!("{a:.3}"));
        let mut out = format!(
            "# Suggested by `tend backtest --suggest`: fitted on {} accounts, judged on {} held out.\n\
             # Held-out AUC: {} with these weights, {} with the current ones.\n\
             # A weight of 0 keeps the factor as a candidate: shown, not counted.\n",
            self.trained_on,
            self.held_out,
            show(self.suggested_auc),
            show(self.current_auc)
        );
        for (id, w) in &self.weights {
            out.push_str(&format!("\n[health.factors.{}]\nweight = {w:.1}\n", catalog.key(*id)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::config::Config;
    use crate::config::builtin as id;
    use crate::domain::FactorValues;

    /// A book where sentiment drives renewal, NPS is noise and usage points slightly the wrong way.
    fn samples(n: usize, seed: u64) -> Vec<Sample> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        (0..n)
            .map(|_| {
                let sentiment: f64 = rng.random_range(1.0..=10.0);
                let renewed = rng.random_bool((sentiment / 11.0).clamp(0.05, 0.95));
                let mut values = FactorValues::default();
                values.set(id("sentiment"), Some(sentiment.round()));
                values.set(id("nps"), Some(f64::from(rng.random_range(0..=10))));
                values.set(
                    id("usage_vs_expected"),
                    Some(if renewed { rng.random_range(20.0..90.0) } else { rng.random_range(40.0..120.0) }),
                );
                Sample { renewed, values, score: None, not_enough_data: false }
            })
            .collect()
    }

    fn model() -> ScoreModel {
        // Equal weights to start from: the fit must do better on accounts it never saw.
        let all = Config::default().health.factors;
        [id("sentiment"), id("nps"), id("usage_vs_expected")]
            .into_iter()
            .map(|id| {
                let mut rule = all[&id];
                rule.weight = 1.0;
                (id, rule)
            })
            .collect()
    }

    #[test]
    fn suggested_weights_beat_equal_weights_on_held_out_accounts() {
        let config = Config::default();
        let s = suggest(&samples(1_000, 11), &model(), &config.health.rules());
        assert_eq!((s.trained_on, s.held_out), (800, 200));
        let weight = |id| s.weights.iter().find(|(f, _)| *f == id).unwrap().1;
        assert!(weight(id("sentiment")) > weight(id("nps")), "{:?}", s.weights);
        assert_eq!(weight(id("usage_vs_expected")), 0.0, "pointing the wrong way: a candidate");
        let (suggested, current) = (s.suggested_auc.unwrap(), s.current_auc.unwrap());
        assert!(suggested > current, "suggested {suggested} vs equal weights {current}");
        let toml = s.toml(&crate::config::Config::default().health.catalog);
        assert!(toml.contains("[health.factors.sentiment]\nweight = "), "{toml}");
        let parsed: toml::Table = toml.parse().expect("the snippet is valid TOML");
        assert!(parsed["health"]["factors"]["nps"]["weight"].as_float().is_some());
    }
}
