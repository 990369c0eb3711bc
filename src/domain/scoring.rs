//! The health score: a weighted blend of factor points (1-4) scaled to 0-100 and banded.
//!
//! Scaling: the weighted average of points runs from 1 (all worst) to 4 (all best), so a score is
//! `(average - 1) / 3 * 100`. Each factor's *contribution* is its share of that, so the
//! contributions of the present factors add up to the score exactly (before rounding).

use std::collections::BTreeMap;

use super::band::{BandCutoffs, HealthBand};
use super::factor::{FactorId, FactorRule, FactorValues};

/// The factors of one score and their rules. Keyed by factor, so it reads in display order.
pub type ScoreModel = BTreeMap<FactorId, FactorRule>;

/// Which profile scores an account: the default one, the jumpstart one of its first days, or a
/// segment profile (by its place in `HealthConfig::profiles`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScoreKind {
    Regular,
    Jumpstart,
    Profile(u8),
}

/// One factor's part in a score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FactorScore {
    pub id: FactorId,
    pub rule: FactorRule,
    /// The raw value; None when there is no data (the factor is then left out of the blend).
    pub raw: Option<f64>,
    pub points: Option<u8>,
    /// This factor's weight as a share of the weights of the factors present (0 when missing).
    pub share: f64,
    /// Score points this factor adds (share x (points - 1) / 3 x 100).
    pub contribution: f64,
    /// Score points lost against a perfect 4 on this factor.
    pub shortfall: f64,
}

impl FactorScore {
    pub fn is_missing(&self) -> bool {
        self.raw.is_none()
    }
    pub fn in_blend(&self) -> bool {
        self.points.is_some() && self.share > 0.0
    }
}

/// A computed score with everything needed to explain it.
#[derive(Clone, Debug, PartialEq)]
pub struct HealthScore {
    pub kind: ScoreKind,
    /// 0-100, rounded; None when no factor in the model has data ("no score", never Red).
    pub score: Option<u8>,
    pub band: Option<HealthBand>,
    /// Unrounded sum of contributions.
    pub exact: f64,
    /// The critical factor that capped the band below what the score gives, if one did.
    pub capped_by: Option<FactorId>,
    pub factors: Vec<FactorScore>,
}

impl HealthScore {
    pub fn present(&self) -> impl Iterator<Item = &FactorScore> {
        self.factors.iter().filter(|f| f.in_blend())
    }
    pub fn missing(&self) -> impl Iterator<Item = &FactorScore> {
        self.factors.iter().filter(|f| f.is_missing())
    }
    /// The factor costing the most score points, if any costs anything.
    pub fn biggest_drag(&self) -> Option<&FactorScore> {
        self.present().filter(|f| f.shortfall > 0.0).max_by(|a, b| a.shortfall.total_cmp(&b.shortfall))
    }
}

/// Score one account's factor values with a model. Pure: same inputs, same score.
pub fn score(values: &FactorValues, model: &ScoreModel, cutoffs: &BandCutoffs, kind: ScoreKind) -> HealthScore {
    let present_weight: f64 = model
        .iter()
        .filter(|(id, rule)| rule.weight > 0.0 && values.get(**id).is_some())
        .map(|(_, rule)| rule.weight)
        .sum();

    let mut exact = 0.0;
    let factors = model
        .iter()
        .map(|(&id, &rule)| {
            let raw = values.get(id);
            let points = raw.map(|v| rule.points(v));
            let share = match points {
                Some(_) if rule.weight > 0.0 && present_weight > 0.0 => rule.weight / present_weight,
                _ => 0.0,
            };
            let contribution = points.map_or(0.0, |p| share * f64::from(p - 1) / 3.0 * 100.0);
            exact += contribution;
            FactorScore { id, rule, raw, points, share, contribution, shortfall: share * 100.0 - contribution }
        })
        .collect();

    let score = (present_weight > 0.0).then(|| exact.round().clamp(0.0, 100.0) as u8);
    let (band, capped_by) = match score {
        Some(s) => {
            let (band, by) = cap(cutoffs.band_for(s), model, values);
            (Some(band), by)
        }
        None => (None, None),
    };
    HealthScore { kind, score, band, exact, factors, capped_by }
}

/// The band after critical factors: the worst band a critical factor with data is in, if worse.
fn cap(band: HealthBand, model: &ScoreModel, values: &FactorValues) -> (HealthBand, Option<FactorId>) {
    model
        .iter()
        .filter(|(_, rule)| rule.critical)
        .filter_map(|(id, rule)| values.get(*id).map(|v| (*id, FactorRule::band_of_points(rule.points(v)))))
        .filter(|(_, capped)| *capped < band)
        .min_by_key(|(_, capped)| *capped)
        .map_or((band, None), |(id, capped)| (capped, Some(id)))
}

/// The score alone, without the breakdown: the hot path for whole portfolios.
pub fn score_only(values: &FactorValues, model: &ScoreModel, cutoffs: &BandCutoffs) -> Option<(u8, HealthBand)> {
    let mut weight = 0.0;
    let mut weighted_points = 0.0;
    for (id, rule) in model {
        if rule.weight > 0.0
            && let Some(v) = values.get(*id)
        {
            weight += rule.weight;
            weighted_points += rule.weight * f64::from(rule.points(v) - 1);
        }
    }
    if weight <= 0.0 {
        return None;
    }
    let s = (weighted_points / weight / 3.0 * 100.0).round().clamp(0.0, 100.0) as u8;
    Some((s, cap(cutoffs.band_for(s), model, values).0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::builtin as id;
    use crate::domain::factor::Better;

    const CUTS: BandCutoffs = BandCutoffs { green: 75, yellow: 50, orange: 25 };

    fn rule(weight: f64, better: Better, t: [f64; 3]) -> FactorRule {
        FactorRule { weight, better, thresholds: t, critical: false, stale_after_days: None }
    }

    fn model() -> ScoreModel {
        let mut m = ScoreModel::new();
        m.insert(id("sentiment"), rule(2.0, Better::Higher, [4.0, 6.0, 8.0]));
        m.insert(id("usage_vs_expected"), rule(1.0, Better::Higher, [50.0, 80.0, 100.0]));
        m.insert(id("days_since_touch"), rule(1.0, Better::Lower, [14.0, 30.0, 60.0]));
        m
    }

    fn values(pairs: &[(FactorId, f64)]) -> FactorValues {
        let mut v = FactorValues::default();
        for (id, x) in pairs {
            v.set(*id, Some(*x));
        }
        v
    }

    #[test]
    fn all_best_is_100_and_all_worst_is_0() {
        let best = values(&[(id("sentiment"), 9.0), (id("usage_vs_expected"), 120.0), (id("days_since_touch"), 3.0)]);
        let worst = values(&[(id("sentiment"), 1.0), (id("usage_vs_expected"), 10.0), (id("days_since_touch"), 90.0)]);
        let s = score(&best, &model(), &CUTS, ScoreKind::Regular);
        assert_eq!((s.score, s.band), (Some(100), Some(HealthBand::Green)));
        let s = score(&worst, &model(), &CUTS, ScoreKind::Regular);
        assert_eq!((s.score, s.band), (Some(0), Some(HealthBand::Red)));
    }

    #[test]
    fn weights_blend_points() {
        // sentiment 3 pts (w2), usage 2 pts (w1), touch 4 pts (w1):
        // (2*2 + 1*1 + 1*3) / 4 / 3 * 100 = 66.67 -> 67, Yellow.
        let v = values(&[(id("sentiment"), 6.0), (id("usage_vs_expected"), 50.0), (id("days_since_touch"), 14.0)]);
        let s = score(&v, &model(), &CUTS, ScoreKind::Regular);
        assert_eq!(s.score, Some(67));
        assert_eq!(s.band, Some(HealthBand::Yellow));
        let sum: f64 = s.factors.iter().map(|f| f.contribution).sum();
        assert!((sum - s.exact).abs() < 1e-9);
        assert!((s.exact - 66.666_666).abs() < 1e-3);
        assert_eq!(score_only(&v, &model(), &CUTS), Some((67, HealthBand::Yellow)));
    }

    #[test]
    fn missing_factors_drop_out_and_weights_renormalise() {
        // Only usage present, 4 points: its share is the whole score.
        let v = values(&[(id("usage_vs_expected"), 150.0)]);
        let s = score(&v, &model(), &CUTS, ScoreKind::Regular);
        assert_eq!(s.score, Some(100));
        let usage = s.factors.iter().find(|f| f.id == id("usage_vs_expected")).unwrap();
        assert_eq!(usage.share, 1.0);
        assert_eq!(s.missing().count(), 2);
        let sentiment = s.factors.iter().find(|f| f.id == id("sentiment")).unwrap();
        assert_eq!((sentiment.points, sentiment.contribution), (None, 0.0));
    }

    #[test]
    fn no_data_is_no_score_not_red() {
        let s = score(&FactorValues::default(), &model(), &CUTS, ScoreKind::Regular);
        assert_eq!(s.score, None);
        assert_eq!(s.band, None);
        assert_eq!(score_only(&FactorValues::default(), &model(), &CUTS), None);
    }

    #[test]
    fn data_only_outside_the_model_is_still_no_score() {
        let v = values(&[(id("nps"), 9.0)]);
        assert_eq!(score(&v, &model(), &CUTS, ScoreKind::Regular).score, None);
    }

    #[test]
    fn zero_weight_factor_never_counts() {
        let mut m = model();
        m.get_mut(&id("sentiment")).unwrap().weight = 0.0;
        let v = values(&[(id("sentiment"), 1.0), (id("usage_vs_expected"), 150.0)]);
        let s = score(&v, &m, &CUTS, ScoreKind::Regular);
        assert_eq!(s.score, Some(100));
        let only_sentiment = values(&[(id("sentiment"), 1.0)]);
        assert_eq!(score(&only_sentiment, &m, &CUTS, ScoreKind::Regular).score, None);
    }

    #[test]
    fn biggest_drag_is_the_largest_shortfall() {
        let v = values(&[(id("sentiment"), 2.0), (id("usage_vs_expected"), 120.0), (id("days_since_touch"), 40.0)]);
        let s = score(&v, &model(), &CUTS, ScoreKind::Regular);
        assert_eq!(s.biggest_drag().unwrap().id, id("sentiment"));
    }

    #[test]
    fn score_only_agrees_with_score_everywhere() {
        for sent in [1.0, 4.0, 6.0, 8.0] {
            for usage in [10.0, 50.0, 80.0, 100.0] {
                for touch in [1.0, 20.0, 45.0, 99.0] {
                    let v = values(&[
                        (id("sentiment"), sent),
                        (id("usage_vs_expected"), usage),
                        (id("days_since_touch"), touch),
                    ]);
                    let full = score(&v, &model(), &CUTS, ScoreKind::Regular);
                    assert_eq!(score_only(&v, &model(), &CUTS), full.score.zip(full.band), "{sent} {usage} {touch}");
                }
            }
        }
    }

    #[test]
    fn a_critical_factor_caps_the_band_not_the_score() {
        let mut m = model();
        m.get_mut(&id("usage_vs_expected")).unwrap().critical = true;
        // Sentiment 9 (4 pts, w2), usage 60% (2 pts, w1), touch 3 days (4 pts, w1): 83 = Green,
        // but usage is critical and at 2 points: capped at Orange.
        let v = values(&[(id("sentiment"), 9.0), (id("usage_vs_expected"), 60.0), (id("days_since_touch"), 3.0)]);
        let s = score(&v, &m, &CUTS, ScoreKind::Regular);
        assert_eq!((s.score, s.band, s.capped_by), (Some(83), Some(HealthBand::Orange), Some(id("usage_vs_expected"))));
        assert_eq!(score_only(&v, &m, &CUTS), Some((83, HealthBand::Orange)));
        // A critical factor at its best caps nothing; a missing one caps nothing either.
        let fine = values(&[(id("sentiment"), 9.0), (id("usage_vs_expected"), 120.0)]);
        assert_eq!(score(&fine, &m, &CUTS, ScoreKind::Regular).capped_by, None);
        let missing = values(&[(id("sentiment"), 9.0)]);
        assert_eq!(score_only(&missing, &m, &CUTS), Some((100, HealthBand::Green)));
    }

    #[test]
    fn a_candidate_is_scored_but_leaves_the_score_unchanged() {
        let v = values(&[(id("sentiment"), 5.0), (id("usage_vs_expected"), 90.0), (id("nps"), 2.0)]);
        let without = score(&v, &model(), &CUTS, ScoreKind::Regular);
        let mut with = model();
        with.insert(id("nps"), rule(0.0, Better::Higher, [5.0, 7.0, 9.0]));
        let s = score(&v, &with, &CUTS, ScoreKind::Regular);
        assert_eq!((s.score, s.band, s.exact), (without.score, without.band, without.exact));
        let nps = s.factors.iter().find(|f| f.id == id("nps")).unwrap();
        assert_eq!((nps.points, nps.share, nps.contribution), (Some(1), 0.0, 0.0), "computed, not counted");
    }
}
