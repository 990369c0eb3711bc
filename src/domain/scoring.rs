//! The health score: a weighted blend of factor points (1-4) scaled to 0-100 and banded.
//!
//! Scaling: the weighted average of points runs from 1 (all worst) to 4 (all best), so a score is
//! `(average - 1) / 3 * 100`. Each factor's *contribution* is its share of that, so the
//! contributions of the present factors add up to the score exactly (before rounding).

use std::collections::BTreeMap;

use super::band::{BandCutoffs, HealthBand};
use super::factor::{FactorId, FactorRule, FactorValues, MAX_FACTORS};

/// The factors of one score and their rules. Keyed by factor, so it reads in display order.
pub type ScoreModel = BTreeMap<FactorId, FactorRule>;

/// What turns blended points into a verdict: the band cut-offs, and how much of a profile's
/// weight needs data behind it before there is a score at all.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScoreRules {
    pub bands: BandCutoffs,
    /// 0-1: the share of the profile's weight that must have evidence (`health.min_coverage`).
    pub min_coverage: f64,
}

/// How much of a profile has evidence behind it on a day. Bookkeeping factors (planned
/// milestones, goals) are never evidence: tend made them, the customer did not. They are left
/// out of both sides, so an account with data for every evidence factor is at 100%.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Coverage {
    /// Weighted evidence factors with data.
    pub with_data: usize,
    /// Weighted evidence factors in the profile.
    pub factors: usize,
    /// The weight of the evidence factors with data, as a share of all evidence weight (0-1).
    pub share: f64,
    /// The bookkeeping factors with points the score left out, as they would lift it
    /// (`Blend::above_evidence`): what a list names as dragging a score down skips them.
    pub left_out: u32,
}

impl Coverage {
    /// "data for 2 of 9 evidence factors, 27% of the weight": evidence factors only (the table of
    /// factors lists the bookkeeping ones beside them), so said.
    pub fn describe(&self) -> String {
        format!("data for {} of {} evidence factors, {}% of the weight", self.with_data, self.factors, self.percent())
    }

    /// Where a score starts to be thin, as a whole percentage (`is_thin`).
    pub fn thin_below(min_coverage: f64) -> u8 {
        (((min_coverage + 1.0) / 2.0) * 100.0).round().clamp(0.0, 100.0) as u8
    }

    /// A score from this little evidence is marked as thin (`~`): under halfway from the minimum
    /// to full coverage (75% by default).
    pub fn is_thin(&self, min_coverage: f64) -> bool {
        self.share < (min_coverage + 1.0) / 2.0
    }

    /// The share as a whole percentage, rounded down (so 49.9% never reads as 50%).
    pub fn percent(&self) -> u8 {
        (self.share * 100.0 + 1e-9).floor().clamp(0.0, 100.0) as u8
    }
}

/// The sums a score is made of, gathered in the model's order by every path alike.
#[derive(Clone, Copy, Debug, Default)]
struct Sums {
    /// The factors in the blend and their sums.
    blend: Blend,
    /// Weight of every weighted evidence factor of the profile, but optional ones without data.
    total: f64,
    /// Weight of the weighted evidence factors with data.
    evidence: f64,
    with_data: usize,
    factors: usize,
}

/// Whether a factor's weight is in the evidence weight coverage is a share of: bookkeeping is
/// never evidence; optional evidence missing is not evidence lacking (`FactorDef::optional`).
fn counts_toward_coverage(rule: &FactorRule, has_data: bool) -> bool {
    !rule.bookkeeping && (has_data || !rule.optional)
}

fn sums(values: &FactorValues, model: &ScoreModel) -> Sums {
    let mut s = Sums::default();
    // The coverage is counted as the blend reads each factor's points: one pass.
    let blend = blend(
        model,
        |id, rule| {
            let points = values.points(id, rule);
            if counts_toward_coverage(rule, points.is_some()) {
                s.total += rule.weight;
                s.factors += 1;
            }
            if !rule.bookkeeping && points.is_some() {
                s.evidence += rule.weight;
                s.with_data += 1;
            }
            points
        },
        |_| true,
    );
    Sums { blend, ..s }
}

/// The factors a score blends, and their sums.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Blend {
    /// Weight of the factors in the blend.
    pub weight: f64,
    /// Sum of weight x (points - 1) over them.
    pub sum: f64,
    /// Bookkeeping factors with points, left out because they would lift the score (bit per
    /// `FactorId::index`).
    pub above_evidence: u32,
}

impl Blend {
    /// The unrounded score, or None without a factor in the blend.
    pub fn exact(&self) -> Option<f64> {
        (self.weight > 0.0).then(|| self.sum * 100.0 / (self.weight * 3.0))
    }

    pub fn is_above_evidence(&self, id: FactorId) -> bool {
        self.above_evidence & (1 << id.index()) != 0
    }
}

/// Which of the weighted factors `keep` allows are in a score's blend, given each one's points.
/// Evidence with points always is. tend's own bookkeeping (milestones, goals) is no evidence of
/// health: it may pull a score down (a milestone missed, a goal off track), never lift it, so it
/// is blended only where its points are below what the evidence gives (a probe's failing
/// account rose Red to Orange as its renewal call came due, scored 3 points beside usage at 1).
/// With no evidence at all there is no score; the bookkeeping is blended, for the table to list.
/// Every path that scores (`score`, `score_only`, the history's movers) blends through this.
pub fn blend(
    model: &ScoreModel,
    mut points: impl FnMut(FactorId, &FactorRule) -> Option<u8>,
    keep: impl Fn(FactorId) -> bool,
) -> Blend {
    let mut out = Blend::default();
    // One pass over the model (this is every score's hot path): the evidence is summed, the
    // bookkeeping with points kept aside until the evidence's average is known.
    let mut bookkeeping = [(0.0, 0.0, 0u8); MAX_FACTORS];
    let mut kept = 0;
    for (id, rule) in model.iter().filter(|(id, r)| r.weight > 0.0 && keep(**id)) {
        let Some(p) = points(*id, rule) else { continue };
        if rule.bookkeeping {
            bookkeeping[kept] = (rule.weight, f64::from(p - 1), id.0);
            kept += 1;
        } else {
            out.weight += rule.weight;
            out.sum += rule.weight * f64::from(p - 1);
        }
    }
    let (evidence_weight, evidence_sum) = (out.weight, out.sum);
    for &(weight, above_one, id) in &bookkeeping[..kept] {
        // Strictly below the evidence's average: equal, it would change nothing either way.
        if evidence_weight == 0.0 || above_one * evidence_weight < evidence_sum - 1e-9 {
            out.weight += weight;
            out.sum += weight * above_one;
        } else {
            out.above_evidence |= 1 << id;
        }
    }
    out
}

impl Sums {
    fn coverage(&self) -> Coverage {
        let share = if self.total > 0.0 { self.evidence / self.total } else { 0.0 };
        Coverage { with_data: self.with_data, factors: self.factors, share, left_out: self.blend.above_evidence }
    }

    /// Enough evidence for a score: some, and at least the minimum share of the weight.
    fn enough(&self, min_coverage: f64) -> bool {
        self.evidence > 0.0 && self.evidence >= min_coverage * self.total - 1e-9
    }

    /// The unrounded score: the weighted average of points, 1-4 scaled to 0-100 (0 with none).
    fn exact(&self) -> f64 {
        self.blend.exact().unwrap_or(0.0)
    }
}

/// The one rounding every path uses: half up, with a hair of tolerance so that a sum that should
/// be x.5 but came out x.4999999 in floating point rounds the same wherever it is computed.
pub fn round_score(exact: f64) -> u8 {
    (exact + 0.5 + 1e-7).floor().clamp(0.0, 100.0) as u8
}

/// Which profile scores an account: the default one, the jumpstart one of its first days, or a
/// segment profile (by its place in `HealthConfig::profiles`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    /// The raw value is a lower bound (see `FactorValues`).
    pub at_least: bool,
    /// The raw value is a change between two windows of no use (`FactorValues::is_no_use`).
    pub no_use: bool,
    /// None when missing: no value, or a lower bound that could earn other points.
    pub points: Option<u8>,
    /// tend's bookkeeping at or above what the evidence gives: left out of the blend, which it
    /// would lift (`blend`). Its share is 0.
    pub above_evidence: bool,
    /// This factor's weight as a share of the weights of the factors present (0 when missing).
    pub share: f64,
    /// Score points this factor adds (share x (points - 1) / 3 x 100).
    pub contribution: f64,
    /// Score points lost against a perfect 4 on this factor.
    pub shortfall: f64,
}

/// How a factor on its fewest points is said beside its value, where "at its worst" was: a
/// probe read "Active users 1 at its worst" as usage at its lowest ever. The points are those
/// of the Account view's Points column (1 to 4). `count`: how many factors the phrase names.
pub fn at_fewest_points(count: usize) -> &'static str {
    match count {
        1 => "at 1 point of 4",
        _ => "each at 1 point of 4",
    }
}

impl FactorScore {
    pub fn is_missing(&self) -> bool {
        self.points.is_none()
    }
    pub fn in_blend(&self) -> bool {
        self.points.is_some() && self.share > 0.0
    }
}

/// A computed score with everything needed to explain it.
#[derive(Clone, Debug, PartialEq)]
pub struct HealthScore {
    pub kind: ScoreKind,
    /// 0-100, rounded; None when the evidence is under the minimum coverage, or there is none
    /// ("not enough data" or "no score", never Red).
    pub score: Option<u8>,
    pub band: Option<HealthBand>,
    /// Unrounded sum of contributions.
    pub exact: f64,
    /// The critical factor that capped the band below what the score gives, if one did.
    pub capped_by: Option<FactorId>,
    pub factors: Vec<FactorScore>,
    /// How much of the profile's weight has evidence behind it.
    pub coverage: Coverage,
    /// Scored as of a day before the account was a customer: nothing to score.
    pub not_yet_customer: bool,
}

impl HealthScore {
    /// Some evidence, but less than the minimum: "not enough data", never a band.
    pub fn not_enough_data(&self) -> bool {
        self.score.is_none() && self.coverage.with_data > 0 && !self.not_yet_customer
    }

    pub fn present(&self) -> impl Iterator<Item = &FactorScore> {
        self.factors.iter().filter(|f| f.in_blend())
    }
    pub fn missing(&self) -> impl Iterator<Item = &FactorScore> {
        self.factors.iter().filter(|f| f.is_missing())
    }
    /// Whether factor `id`'s data alone would be enough for a score, its coverage counted as the
    /// score counts it (`counts_toward_coverage`, `Sums::enough`).
    pub fn enough_with_data_for(&self, id: FactorId, min_coverage: f64) -> bool {
        let mut sums = Sums::default();
        for f in self.factors.iter().filter(|f| f.rule.weight > 0.0) {
            let has_data = !f.is_missing() || f.id == id;
            if counts_toward_coverage(&f.rule, has_data) {
                sums.total += f.rule.weight;
                sums.evidence += if has_data { f.rule.weight } else { 0.0 };
            }
        }
        sums.enough(min_coverage)
    }
    /// The factor costing the most score points, if any costs anything.
    pub fn biggest_drag(&self) -> Option<&FactorScore> {
        self.present().filter(|f| f.shortfall > 0.0).max_by(|a, b| a.shortfall.total_cmp(&b.shortfall))
    }
}

/// Score one account's factor values with a model. Pure: same inputs, same score.
pub fn score(values: &FactorValues, model: &ScoreModel, rules: &ScoreRules, kind: ScoreKind) -> HealthScore {
    let sums = sums(values, model);
    let present_weight = sums.blend.weight;
    let factors = model
        .iter()
        .map(|(&id, &rule)| {
            let raw = values.get(id);
            let points = values.points(id, &rule);
            let above_evidence = sums.blend.is_above_evidence(id);
            let share = match points {
                Some(_) if rule.weight > 0.0 && present_weight > 0.0 && !above_evidence => rule.weight / present_weight,
                _ => 0.0,
            };
            let contribution = points.map_or(0.0, |p| share * f64::from(p - 1) / 3.0 * 100.0);
            let at_least = values.is_at_least(id);
            let no_use = values.is_no_use(id);
            FactorScore {
                id,
                rule,
                raw,
                at_least,
                no_use,
                points,
                above_evidence,
                share,
                contribution,
                shortfall: share * 100.0 - contribution,
            }
        })
        .collect();
    let coverage = sums.coverage();
    let exact = sums.exact();
    let score = sums.enough(rules.min_coverage).then(|| round_score(exact));
    let (band, capped_by) = match score {
        Some(s) => {
            let (band, by) = cap(rules.bands.band_for(s), model, values);
            (Some(band), by)
        }
        None => (None, None),
    };
    HealthScore { kind, score, band, exact, factors, capped_by, coverage, not_yet_customer: false }
}

/// The band after critical factors: the worst band a critical factor with data is in, if worse.
fn cap(band: HealthBand, model: &ScoreModel, values: &FactorValues) -> (HealthBand, Option<FactorId>) {
    model
        .iter()
        .filter(|(_, rule)| rule.critical)
        .filter_map(|(id, rule)| values.points(*id, rule).map(|p| (*id, FactorRule::band_of_points(p))))
        .filter(|(_, capped)| *capped < band)
        .min_by_key(|(_, capped)| *capped)
        .map_or((band, None), |(id, capped)| (capped, Some(id)))
}

/// The score alone, without the breakdown: the hot path for whole portfolios. The same sums and
/// the same rounding as `score`, so both always agree.
pub fn score_only(values: &FactorValues, model: &ScoreModel, rules: &ScoreRules) -> Option<(u8, HealthBand)> {
    score_and_coverage(values, model, rules).0
}

/// `score_only` and the coverage behind it, from one pass over the factors.
pub fn score_and_coverage(
    values: &FactorValues,
    model: &ScoreModel,
    rules: &ScoreRules,
) -> (Option<(u8, HealthBand)>, Coverage) {
    let sums = sums(values, model);
    let scored = sums.enough(rules.min_coverage).then(|| {
        let s = round_score(sums.exact());
        (s, cap(rules.bands.band_for(s), model, values).0)
    });
    (scored, sums.coverage())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::builtin as id;
    use crate::domain::factor::Better;

    /// Any evidence scores, as before coverage had a minimum.
    const CUTS: ScoreRules = ScoreRules { bands: BandCutoffs { green: 75, yellow: 50, orange: 25 }, min_coverage: 0.0 };

    fn rule(weight: f64, better: Better, t: [f64; 3]) -> FactorRule {
        FactorRule {
            weight,
            better,
            thresholds: t,
            critical: false,
            stale_after_days: None,
            bookkeeping: false,
            optional: false,
        }
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
    fn a_lower_bound_counts_only_where_any_larger_value_earns_the_same() {
        // Sentiment 6 (3 points); days since touch at least 5, at least 61.
        let mut v = values(&[(id("sentiment"), 6.0)]);
        v.set_at_least(id("days_since_touch"), 5.0);
        let s = score(&v, &model(), &CUTS, ScoreKind::Regular);
        let touch = *s.factors.iter().find(|f| f.id == id("days_since_touch")).unwrap();
        assert_eq!((touch.raw, touch.at_least, touch.points), (Some(5.0), true, None), "could be 4 points or 1");
        assert!(touch.is_missing() && !touch.in_blend());
        assert_eq!(s.score, Some(67), "sentiment alone, as if touches were not tracked");
        assert_eq!(score_only(&v, &model(), &CUTS), Some((67, HealthBand::Yellow)));
        v.set_at_least(id("days_since_touch"), 61.0);
        let s = score(&v, &model(), &CUTS, ScoreKind::Regular);
        let touch = *s.factors.iter().find(|f| f.id == id("days_since_touch")).unwrap();
        assert_eq!(touch.points, Some(1), "over 60 days whatever the true count");
        // (2*2 + 1*0) / 3 / 3 * 100 = 44.4
        assert_eq!(s.score, Some(44));
        assert_eq!(score_only(&v, &model(), &CUTS), Some((44, HealthBand::Orange)));
        // Set again as known, the same 5 days earns its 4 points.
        v.set(id("days_since_touch"), Some(5.0));
        assert_eq!(v.points(id("days_since_touch"), &model()[&id("days_since_touch")]), Some(4));
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

    proptest::proptest! {
        /// One score, one rounding: the breakdown and the fast path give the same integer for any
        /// weights and values, x.5 included, and the contributions add up to the exact score.
        #[test]
        fn the_fast_path_is_the_breakdown(
            weights in proptest::collection::vec(0u32..40, 3),
            raws in proptest::collection::vec(proptest::option::of(0.0f64..150.0), 3),
            min in 0.0f64..1.0,
        ) {
            let mut m = model();
            for ((_, rule), w) in m.iter_mut().zip(&weights) {
                rule.weight = f64::from(*w) / 4.0;
            }
            proptest::prop_assume!(m.values().any(|r| r.weight > 0.0));
            let mut v = FactorValues::default();
            for ((id, _), raw) in model().iter().zip(&raws) {
                v.set(*id, *raw);
            }
            let rules = ScoreRules { bands: CUTS.bands, min_coverage: min };
            let full = score(&v, &m, &rules, ScoreKind::Regular);
            proptest::prop_assert_eq!(score_only(&v, &m, &rules), full.score.zip(full.band));
            if full.score.is_some() {
                let sum: f64 = full.factors.iter().map(|f| f.contribution).sum();
                proptest::prop_assert!((sum - full.exact).abs() < 1e-6);
                proptest::prop_assert_eq!(full.score, Some(round_score(full.exact)));
            }
        }
    }

    #[test]
    fn a_half_rounds_up_on_every_path() {
        // Weights 1 and 1, points 4 and 1: exactly 50. Weights 3 and 1 at 2 and 1 points: 25.
        assert_eq!(round_score(62.5), 63);
        assert_eq!(round_score(62.499_999_999), 63, "a float sum a hair under x.5");
        assert_eq!(round_score(62.49), 62);
        // Sentiment 3 points (w 2.5), usage 2 (w 1), touch 1 (w 0.5): (5 + 1) / 4 / 3 = 50.
        let mut m = model();
        m.get_mut(&id("sentiment")).unwrap().weight = 2.5;
        m.get_mut(&id("days_since_touch")).unwrap().weight = 0.5;
        let v = values(&[(id("sentiment"), 6.0), (id("usage_vs_expected"), 50.0), (id("days_since_touch"), 99.0)]);
        let full = score(&v, &m, &CUTS, ScoreKind::Regular);
        assert_eq!(full.score, Some(50));
        assert_eq!(score_only(&v, &m, &CUTS), Some((50, HealthBand::Yellow)));
    }

    #[test]
    fn evidence_below_the_minimum_is_not_enough_data() {
        let rules = ScoreRules { min_coverage: 0.5, ..CUTS };
        // Sentiment alone: weight 2 of 4 = 50%, enough; usage alone: 1 of 4 = 25%, not.
        let sentiment = values(&[(id("sentiment"), 9.0)]);
        assert_eq!(score(&sentiment, &model(), &rules, ScoreKind::Regular).score, Some(100));
        let usage = values(&[(id("usage_vs_expected"), 120.0)]);
        let s = score(&usage, &model(), &rules, ScoreKind::Regular);
        assert_eq!((s.score, s.band), (None, None));
        assert!(s.not_enough_data());
        assert_eq!((s.coverage.with_data, s.coverage.factors, s.coverage.percent()), (1, 3, 25));
        assert_eq!(score_only(&usage, &model(), &rules), None);
        // Bookkeeping alone never makes a score, whatever the minimum.
        let mut m = model();
        m.get_mut(&id("days_since_touch")).unwrap().bookkeeping = true;
        let touch = values(&[(id("days_since_touch"), 3.0)]);
        let none = ScoreRules { min_coverage: 0.0, ..CUTS };
        assert_eq!(score(&touch, &m, &none, ScoreKind::Regular).score, None);
        assert_eq!(score_only(&touch, &m, &none), None);
        // Beside evidence, it is not in the coverage: sentiment is 2 of the 3 evidence weights.
        let both = values(&[(id("days_since_touch"), 3.0), (id("sentiment"), 1.0)]);
        let c = score_and_coverage(&both, &m, &none).1;
        assert_eq!((c.with_data, c.factors, c.percent()), (1, 2, 66));
    }

    /// tend's bookkeeping pulls a score down where it is below what the evidence gives, and is
    /// left out where it would lift it: a milestone come due never lifts a failing account.
    #[test]
    fn bookkeeping_pulls_a_score_down_and_never_lifts_it() {
        let mut m = model();
        m.get_mut(&id("days_since_touch")).unwrap().bookkeeping = true;
        let none = ScoreRules { min_coverage: 0.0, ..CUTS };
        // At 4 points beside sentiment at 1: left out, so the score is the evidence's 0, not 33.
        let lifting = values(&[(id("days_since_touch"), 3.0), (id("sentiment"), 1.0)]);
        let s = score(&lifting, &m, &none, ScoreKind::Regular);
        assert_eq!(s.score, Some(0));
        assert_eq!(score_only(&lifting, &m, &none).map(|s| s.0), Some(0));
        let touch = s.factors.iter().find(|f| f.id == id("days_since_touch")).unwrap();
        assert!(touch.above_evidence && touch.share == 0.0 && touch.points == Some(4), "{touch:?}");
        assert!(!touch.in_blend() && !touch.is_missing());
        // At 1 point beside sentiment at 4: blended, it pulls 100 down to 67 (weights 2 and 1).
        let dragging = values(&[(id("days_since_touch"), 99.0), (id("sentiment"), 9.0)]);
        let s = score(&dragging, &m, &none, ScoreKind::Regular);
        assert_eq!(s.score, Some(67));
        assert_eq!(score_only(&dragging, &m, &none).map(|s| s.0), Some(67));
        assert!(s.factors.iter().all(|f| !f.above_evidence));
        assert_eq!(s.biggest_drag().map(|f| f.id), Some(id("days_since_touch")));
        // The contributions of what is blended still add up to the score.
        assert!((s.present().map(|f| f.contribution).sum::<f64>() - s.exact).abs() < 1e-9);
        // Equal to the evidence it would change nothing: left out, said so.
        let equal = values(&[(id("days_since_touch"), 3.0), (id("sentiment"), 9.0)]);
        let s = score(&equal, &m, &none, ScoreKind::Regular);
        assert_eq!(s.score, Some(100));
        assert!(s.factors.iter().any(|f| f.above_evidence));
    }
}
