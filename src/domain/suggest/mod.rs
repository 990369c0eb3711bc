//! Suggesting the whole score from outcomes: for each factor its direction, three thresholds
//! and a weight, judged by k-fold cross-validation against the config as it is and against a
//! logistic regression on the factors' raw values (the ceiling a points score can approach).
//!
//! Each fold is fitted on the other folds and judged on itself, so every AUC here is on accounts
//! the fit never saw. The suggestion printed is fitted on all the accounts.

pub mod cuts;
pub mod logistic;

use super::backtest::{Sample, auc, score_auc};
use super::catalog::Catalog;
use super::factor::{FactorId, FactorRule};
use super::scoring::{ScoreModel, ScoreRules};
use cuts::FactorFit;
use logistic::Logistic;

/// Fewer renewals or churns than this and nothing is suggested: a fit would follow noise.
pub const MIN_EACH_OUTCOME: usize = 20;
/// A factor is fitted only with at least this many outcomes carrying a value for it.
pub const MIN_WITH_VALUE: usize = 30;

/// One factor: as configured, and as suggested.
#[derive(Clone, Debug, PartialEq)]
pub struct FactorSuggestion {
    pub id: FactorId,
    pub current: FactorRule,
    pub suggested: FactorRule,
    /// What the outcomes said (None: too few outcomes with a value, or no rising split; its
    /// direction and thresholds are kept).
    pub fit: Option<FactorFit>,
    /// Outcomes with a value for it.
    pub with_value: usize,
}

impl FactorSuggestion {
    pub fn flipped(&self) -> bool {
        self.suggested.better != self.current.better
    }
}

/// Held-out AUCs across the folds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Spread {
    pub per_fold: Vec<Option<f64>>,
}

impl Spread {
    fn known(&self) -> Vec<f64> {
        self.per_fold.iter().flatten().copied().collect()
    }

    pub fn mean(&self) -> Option<f64> {
        let v = self.known();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    }

    /// "0.804 ± 0.017": the mean and the spread across folds, as the report and the snippet say it.
    pub fn text(&self) -> String {
        match (self.mean(), self.sd()) {
            (Some(m), Some(sd)) => format!("{m:.3} ± {sd:.3}"),
            (Some(m), None) => format!("{m:.3}"),
            _ => "-".into(),
        }
    }

    /// The standard deviation across folds.
    pub fn sd(&self) -> Option<f64> {
        let v = self.known();
        let mean = self.mean()?;
        (v.len() > 1).then(|| (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt())
    }
}

/// The suggestion and the cross-validated comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    pub factors: Vec<FactorSuggestion>,
    pub folds: usize,
    pub accounts: usize,
    pub renewed: usize,
    pub current: Spread,
    pub suggested: Spread,
    /// Logistic regression on the raw values: the ceiling.
    pub ceiling: Spread,
}

impl Suggestion {
    /// The suggested rules as a model.
    pub fn model(&self) -> ScoreModel {
        self.factors.iter().map(|f| (f.id, f.suggested)).collect()
    }
}

/// Why nothing is suggested.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "too few outcomes to suggest anything: {renewed} renewed and {churned} churned, at least {MIN_EACH_OUTCOME} of each are needed"
)]
pub struct TooFewOutcomes {
    pub renewed: usize,
    pub churned: usize,
}

/// Suggest every factor of `model` from `samples`, judged over `folds` folds.
pub fn suggest(
    samples: &[Sample],
    model: &ScoreModel,
    rules: &ScoreRules,
    folds: usize,
) -> Result<Suggestion, TooFewOutcomes> {
    let renewed = samples.iter().filter(|s| s.renewed).count();
    let churned = samples.len() - renewed;
    if renewed < MIN_EACH_OUTCOME || churned < MIN_EACH_OUTCOME {
        return Err(TooFewOutcomes { renewed, churned });
    }
    let folds = folds.clamp(2, 10);
    let (mut current, mut suggested, mut ceiling) = (Spread::default(), Spread::default(), Spread::default());
    for k in 0..folds {
        let fold = |i: &usize| i % folds == k;
        let train: Vec<&Sample> = samples.iter().enumerate().filter(|(i, _)| !fold(i)).map(|(_, s)| s).collect();
        let test: Vec<&Sample> = samples.iter().enumerate().filter(|(i, _)| fold(i)).map(|(_, s)| s).collect();
        let fitted: ScoreModel = fit_model(&train, model).into_iter().map(|f| (f.id, f.suggested)).collect();
        current.per_fold.push(score_auc(test.iter().copied(), model, rules));
        suggested.per_fold.push(score_auc(test.iter().copied(), &fitted, rules));
        ceiling.per_fold.push(raw_ceiling(&train, &test, model));
    }
    let all: Vec<&Sample> = samples.iter().collect();
    Ok(Suggestion {
        factors: fit_model(&all, model),
        folds,
        accounts: samples.len(),
        renewed,
        current,
        suggested,
        ceiling,
    })
}

/// Each factor's direction and thresholds from its own values, then the weights from a logistic
/// regression on the points those thresholds give (centred on 2.5; a missing value is the
/// middle, pushing neither way). A factor whose weight comes out negative gets 0: a candidate.
/// A factor too few outcomes have a value for is not judged at all: its rule is kept whole,
/// weight included (11 NPS answers once came out as a weight of 9, and a sentiment no outcome
/// had yet, logged in tend from now on, as 0), and the others share the rest of the weight.
fn fit_model(train: &[&Sample], model: &ScoreModel) -> Vec<FactorSuggestion> {
    let min_level = (train.len() / 20).max(10);
    let mut factors: Vec<FactorSuggestion> = model
        .iter()
        .map(|(id, rule)| {
            let pairs: Vec<(f64, bool)> =
                train.iter().filter_map(|s| s.values.known(*id).map(|v| (v, s.renewed))).collect();
            let renewed = pairs.iter().filter(|p| p.1).count();
            let enough = pairs.len() >= MIN_WITH_VALUE && renewed >= 5 && pairs.len() - renewed >= 5;
            let fit = if enough { cuts::fit(&pairs, min_level.min(pairs.len() / 5)) } else { None };
            let mut suggested = *rule;
            if let Some(f) = &fit {
                suggested.better = f.better;
                suggested.thresholds = f.thresholds;
            }
            FactorSuggestion { id: *id, current: *rule, suggested, fit, with_value: pairs.len() }
        })
        .collect();
    let judged: Vec<usize> = (0..factors.len()).filter(|&i| factors[i].with_value >= MIN_WITH_VALUE).collect();
    let x: Vec<Vec<f64>> = train
        .iter()
        .map(|s| {
            judged
                .iter()
                .map(|&i| {
                    let f = &factors[i];
                    s.values.known(f.id).map_or(0.0, |v| f64::from(f.suggested.points(v)) - 2.5)
                })
                .collect()
        })
        .collect();
    let y: Vec<bool> = train.iter().map(|s| s.renewed).collect();
    let coefficients = if judged.is_empty() { Vec::new() } else { Logistic::fit(&x, &y).weights };
    // The weights read like the config's: the judged factors share its total less the weight of
    // those kept (or 1 a factor when that is nothing).
    let kept: f64 = (0..factors.len()).filter(|i| !judged.contains(i)).map(|i| factors[i].current.weight).sum();
    let total = match model.values().map(|r| r.weight).sum::<f64>() - kept {
        t if t > 0.0 => t,
        _ => judged.len() as f64,
    };
    let positive: f64 = coefficients.iter().filter(|c| **c > 0.0).sum();
    for (&i, c) in judged.iter().zip(&coefficients) {
        let w = if *c > 0.0 && positive > 0.0 { c / positive * total } else { 0.0 };
        factors[i].suggested.weight = (w * 10.0).round() / 10.0;
    }
    factors
}

/// The held-out AUC of a logistic regression on the factors' raw values, standardised on the
/// training folds, each with a "missing" indicator beside it.
fn raw_ceiling(train: &[&Sample], test: &[&Sample], model: &ScoreModel) -> Option<f64> {
    let ids: Vec<FactorId> = model.keys().copied().collect();
    let stats: Vec<(f64, f64)> = ids
        .iter()
        .map(|id| {
            let v: Vec<f64> = train.iter().filter_map(|s| s.values.known(*id)).collect();
            let mean = v.iter().sum::<f64>() / v.len().max(1) as f64;
            let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / v.len().max(1) as f64).sqrt();
            (mean, if sd > 0.0 { sd } else { 1.0 })
        })
        .collect();
    let row = |s: &Sample| -> Vec<f64> {
        ids.iter()
            .zip(&stats)
            .flat_map(|(id, (mean, sd))| match s.values.known(*id) {
                Some(v) => [(v - mean) / sd, 0.0],
                None => [0.0, 1.0],
            })
            .collect()
    };
    let x: Vec<Vec<f64>> = train.iter().map(|s| row(s)).collect();
    let y: Vec<bool> = train.iter().map(|s| s.renewed).collect();
    let fitted = Logistic::fit(&x, &y);
    let scored: Vec<(f64, bool)> = test.iter().map(|s| (fitted.predict(&row(s)), s.renewed)).collect();
    auc(&scored)
}

impl Suggestion {
    /// What the logistic regression's AUC is, in words: a ceiling a points score can approach,
    /// or, where it scored below the current score on held-out accounts (too few outcomes for
    /// it to learn from), no ceiling at all: a probe read "ceiling 0.61" under "current 0.72".
    pub fn ceiling_note(&self) -> &'static str {
        let best = [self.current.mean(), self.suggested.mean()].into_iter().flatten().reduce(f64::max);
        match (self.ceiling.mean(), best) {
            (Some(c), Some(best)) if c < best => {
                "a logistic regression on the raw values, below the points scores here: too few outcomes for it to \
                 learn from, so no ceiling to aim at"
            }
            _ => "a logistic regression on the raw values: what a points score can approach",
        }
    }

    /// The suggested rules as TOML to paste into the config, with how they did.
    pub fn toml(&self, catalog: &Catalog) -> String {
        let mut out = format!(
            "# Suggested by `tend backtest --suggest` from {} outcomes ({} renewed).\n\
             # Held-out AUC over {} folds: {} suggested, {} current, {} logistic regression ({}).\n\
             # A weight of 0 keeps the factor as a candidate: shown, not counted.\n",
            self.accounts,
            self.renewed,
            self.folds,
            self.suggested.text(),
            self.current.text(),
            self.ceiling.text(),
            self.ceiling_note().split_once(": ").map_or("", |(_, why)| why)
        );
        // Only what changes: a candidate the outcomes say nothing about stays as it is.
        for f in self.factors.iter().filter(|f| f.suggested != f.current) {
            let r = &f.suggested;
            let better = r.better.key();
            let [a, b, c] = r.thresholds;
            out.push_str(&format!(
                "\n[health.factors.{}]\nweight = {:.1}\nbetter = \"{better}\"\nthresholds = [{}, {}, {}]\n",
                catalog.key(f.id),
                r.weight,
                number(a),
                number(b),
                number(c)
            ));
        }
        out
    }
}

/// A number as TOML writes it, without a trailing ".0" for whole ones.
pub(crate) fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { format!("{v}") }
}

#[cfg(test)]
mod tests;
