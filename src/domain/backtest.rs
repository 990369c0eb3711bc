//! Back-testing the health score against what happened: for accounts with a known outcome
//! (renewed or churned), the factor values some days before it, and how well each factor, and
//! the blended score, told the renewals from the churns.
//!
//! Ranking quality is the ROC AUC: the chance that a renewed account scores above a churned one
//! (ties count half). 0.5 is a coin toss, 1.0 separates them perfectly, below 0.5 points the wrong
//! way. Accounts without a value for a factor are counted as missing for it, never dropped
//! silently.

use super::factor::{Better, FactorId, FactorRule, FactorValues};

/// Under this AUC a blended score is called out as no better than a coin toss.
pub const WORST_USEFUL_AUC: f64 = 0.55;

/// Whether a factor's AUC in its configured direction says it points the wrong way.
pub fn points_wrong_way(auc: Option<f64>) -> bool {
    auc.is_some_and(|a| a < 0.5)
}

/// One account's outcome and what its factors read before it.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    pub renewed: bool,
    /// Raw value per factor, missing where the account had none.
    pub values: FactorValues,
    /// The blended score then, if it had one.
    pub score: Option<u8>,
    /// No score then for too little data (some, under `health.min_coverage`).
    pub not_enough_data: bool,
    /// Scored then by the default profile, `[health.factors]`, as a customer: what the Scoring
    /// view's edits of that profile score again (`edited_score_auc`).
    pub regular: bool,
}

/// ROC AUC of `scored` (value, renewed): the share of (renewed, churned) pairs where the renewed
/// one has the higher value, ties counting half. None without both outcomes.
pub fn auc(scored: &[(f64, bool)]) -> Option<f64> {
    let positives = scored.iter().filter(|(_, r)| *r).count();
    let negatives = scored.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    // Mann-Whitney: sum of the renewed accounts' ranks, ties sharing their average rank.
    let mut sorted: Vec<(f64, bool)> = scored.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j + 1 < sorted.len() && sorted[j + 1].0 == sorted[i].0 {
            j += 1;
        }
        let average_rank = (i + j) as f64 / 2.0 + 1.0;
        rank_sum += sorted[i..=j].iter().filter(|(_, r)| *r).count() as f64 * average_rank;
        i = j + 1;
    }
    let p = positives as f64;
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * negatives as f64))
}

/// Renewals among accounts at one point level.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Level {
    pub accounts: usize,
    pub renewed: usize,
}

impl Level {
    pub fn rate(&self) -> Option<f64> {
        (self.accounts > 0).then(|| self.renewed as f64 / self.accounts as f64 * 100.0)
    }
}

/// The split of a factor's raw values that best separates renewals from churns.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Threshold {
    /// Accounts on the good side have a value at least this (higher is better) or at most this
    /// (lower is better).
    pub value: f64,
    pub good: Level,
    pub bad: Level,
}

/// The blended score's AUC over `samples` under another model (to compare weights).
pub fn score_auc<'s>(
    samples: impl IntoIterator<Item = &'s Sample>,
    model: &super::scoring::ScoreModel,
    rules: &super::scoring::ScoreRules,
) -> Option<f64> {
    auc_of(samples, |s| super::scoring::score_only(&s.values, model, rules).map(|(score, _)| score))
}

/// The AUC of each sample's `score` (those with none left out).
fn auc_of<'s>(samples: impl IntoIterator<Item = &'s Sample>, score: impl Fn(&Sample) -> Option<u8>) -> Option<f64> {
    let scored: Vec<(f64, bool)> =
        samples.into_iter().filter_map(|s| score(s).map(|score| (f64::from(score), s.renewed))).collect();
    auc(&scored)
}

/// The blended score's AUC over `samples` with the default profile's factors as `model`: the
/// samples that profile scored are scored again with it, the others (a new customer's jumpstart
/// score, a segment profile's) keep theirs. Unedited, it is the back-test's own score AUC (a
/// probe's Scoring view read "AUC 0.51 → 0.53" with nothing edited, every account scored by the
/// default profile's weights, its enterprise profile's included).
pub fn edited_score_auc(
    samples: &[Sample],
    model: &super::scoring::ScoreModel,
    rules: &super::scoring::ScoreRules,
) -> Option<f64> {
    auc_of(samples, |s| match s.regular {
        true => super::scoring::score_only(&s.values, model, rules).map(|(score, _)| score),
        false => s.score,
    })
}

/// One factor's back-test.
#[derive(Clone, Debug, PartialEq)]
pub struct FactorTest {
    pub id: FactorId,
    pub better: Better,
    /// Accounts at 1, 2, 3 and 4 points under the current thresholds.
    pub levels: [Level; 4],
    pub missing: usize,
    pub best: Option<Threshold>,
    pub auc: Option<f64>,
    /// Of the outcomes with a value, those that renewed (the rest churned).
    pub renewed_with_value: usize,
}

/// The whole back-test.
#[derive(Clone, Debug, PartialEq)]
pub struct Backtest {
    pub accounts: usize,
    pub renewed: usize,
    pub factors: Vec<FactorTest>,
    /// AUC of the blended score, and how many accounts had no score.
    pub score_auc: Option<f64>,
    pub score_missing: usize,
    /// Of those without a score, how many had some data but too little (counted apart).
    pub score_not_enough_data: usize,
    /// Of the outcomes with a score, those that renewed.
    pub score_renewed: usize,
}

/// Whether an AUC over `with_value` outcomes, `renewed` of them renewals, can be judged: enough
/// outcomes, and enough of each kind. An AUC compares each renewal with each churn, so the rarer
/// kind bounds what it can tell: a probe's "Score AUC 1.00 · Warnings: none" stood on 10 churns,
/// where `--suggest` on the same book asked for 20 of each.
pub fn enough_to_judge(with_value: usize, renewed: usize) -> bool {
    let fewer = renewed.min(with_value.saturating_sub(renewed));
    with_value >= crate::domain::suggest::MIN_WITH_VALUE && fewer >= crate::domain::suggest::MIN_EACH_OUTCOME
}

/// The rarer kind of outcome among `with_value`, `renewed` of them renewals: how many, and
/// whether they are renewals (else churns). What bounds an AUC (`enough_to_judge`), as the
/// report and the Scoring view say it.
pub fn rarer_outcome(with_value: usize, renewed: usize) -> (usize, bool) {
    let churned = with_value.saturating_sub(renewed);
    match renewed < churned {
        true => (renewed, true),
        false => (churned, false),
    }
}

impl FactorTest {
    /// Outcomes with a value, of `accounts` outcomes in all.
    pub fn with_value(&self, accounts: usize) -> usize {
        accounts.saturating_sub(self.missing)
    }
}

impl Backtest {
    pub fn scored(&self) -> usize {
        self.accounts.saturating_sub(self.score_missing)
    }

    /// Whether the blended score's AUC stands on enough outcomes of each kind (`enough_to_judge`).
    pub fn score_judged(&self) -> bool {
        enough_to_judge(self.scored(), self.score_renewed)
    }

    /// Whether a factor's AUC does.
    pub fn factor_judged(&self, f: &FactorTest) -> bool {
        enough_to_judge(f.with_value(self.accounts), f.renewed_with_value)
    }
}

/// The best split of `(value, renewed)` (oriented so that higher is better): the cut with the
/// largest gap between the renewal rates on its two sides, each side holding at least
/// `min_side` accounts.
fn best_split(oriented: &[(f64, bool)], min_side: usize) -> Option<(f64, Level, Level)> {
    let mut sorted = oriented.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total = Level { accounts: sorted.len(), renewed: sorted.iter().filter(|(_, r)| *r).count() };
    let mut below = Level::default();
    let mut best: Option<(f64, f64, Level, Level)> = None;
    for i in 0..sorted.len() {
        below.accounts += 1;
        below.renewed += usize::from(sorted[i].1);
        // Only cut between different values.
        if i + 1 == sorted.len() || sorted[i + 1].0 == sorted[i].0 {
            continue;
        }
        let above = Level { accounts: total.accounts - below.accounts, renewed: total.renewed - below.renewed };
        if below.accounts < min_side || above.accounts < min_side {
            continue;
        }
        let gap = above.rate().unwrap_or(0.0) - below.rate().unwrap_or(0.0);
        if best.as_ref().is_none_or(|(g, ..)| gap > *g) {
            best = Some((gap, sorted[i + 1].0, above, below));
        }
    }
    // A cut with the same rate on both sides tells nothing apart ("0% of 3 renew vs 0% of 5"
    // read as a threshold): none.
    best.filter(|(gap, ..)| *gap > 0.0).map(|(_, cut, above, below)| (cut, above, below))
}

/// Back-test each factor of `rules` and the blended score over `samples`.
pub fn run(samples: &[Sample], rules: &[(FactorId, FactorRule)]) -> Backtest {
    let min_side = (samples.len() / 20).max(3);
    let factors = rules
        .iter()
        .map(|(id, rule)| {
            let sign = if rule.better == Better::Higher { 1.0 } else { -1.0 };
            let mut levels = [Level::default(); 4];
            let mut oriented = Vec::new();
            let mut missing = 0;
            for s in samples {
                match s.values.known(*id) {
                    Some(v) => {
                        let level = &mut levels[usize::from(rule.points(v)) - 1];
                        level.accounts += 1;
                        level.renewed += usize::from(s.renewed);
                        oriented.push((sign * v, s.renewed));
                    }
                    None => missing += 1,
                }
            }
            let best =
                best_split(&oriented, min_side).map(|(cut, good, bad)| Threshold { value: sign * cut, good, bad });
            let renewed_with_value = oriented.iter().filter(|(_, r)| *r).count();
            FactorTest { id: *id, better: rule.better, levels, missing, best, auc: auc(&oriented), renewed_with_value }
        })
        .collect();
    let scored: Vec<(f64, bool)> = samples.iter().filter_map(|s| s.score.map(|v| (f64::from(v), s.renewed))).collect();
    Backtest {
        accounts: samples.len(),
        renewed: samples.iter().filter(|s| s.renewed).count(),
        factors,
        score_missing: samples.len() - scored.len(),
        score_not_enough_data: samples.iter().filter(|s| s.score.is_none() && s.not_enough_data).count(),
        score_auc: auc(&scored),
        score_renewed: scored.iter().filter(|(_, r)| *r).count(),
    }
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::config::Config;
    use crate::config::builtin as id;

    #[test]
    fn a_cut_that_tells_nothing_apart_is_no_threshold() {
        let even = [(1.0, false), (2.0, false), (3.0, false), (4.0, false), (5.0, false), (6.0, false)];
        assert_eq!(best_split(&even, 3), None);
        let telling = [(1.0, false), (2.0, false), (3.0, false), (4.0, true), (5.0, true), (6.0, false)];
        assert_eq!(best_split(&telling, 3).map(|(cut, ..)| cut), Some(4.0));
    }

    #[test]
    fn auc_by_hand_with_ties() {
        // Renewed 3, 2; churned 1, 2. Pairs: (3>1) 1, (3>2) 1, (2>1) 1, (2=2) 0.5 -> 3.5 / 4.
        let data = [(3.0, true), (2.0, true), (1.0, false), (2.0, false)];
        assert_eq!(auc(&data), Some(0.875));
        assert_eq!(auc(&[(1.0, true), (2.0, false)]), Some(0.0));
        assert_eq!(auc(&[(5.0, true), (5.0, false)]), Some(0.5));
        assert_eq!(auc(&[(1.0, true)]), None, "needs both outcomes");
    }

    #[test]
    fn best_threshold_finds_the_over_two_users_rule() {
        // Jebbit's finding: accounts with more than 2 users renew; those with 1 or 2 mostly not.
        let mut samples = Vec::new();
        for (users, renewed, n) in [
            (1.0, false, 8),
            (1.0, true, 2),
            (2.0, false, 6),
            (2.0, true, 4),
            (3.0, true, 9),
            (5.0, true, 10),
            (5.0, false, 1),
        ] {
            for _ in 0..n {
                let mut values = FactorValues::default();
                values.set(id("active_users"), Some(users));
                samples.push(Sample { renewed, values, score: None, not_enough_data: false, regular: true });
            }
        }
        let rule = Config::default().health.factors[&id("active_users")];
        let t = run(&samples, &[(id("active_users"), rule)]);
        let best = t.factors[0].best.unwrap();
        assert_eq!(best.value, 3.0, "at least 3 users");
        assert_eq!((best.good.accounts, best.good.renewed), (20, 19));
        assert_eq!((best.bad.accounts, best.bad.renewed), (20, 6));
        assert_eq!(best.good.rate(), Some(95.0));
        assert_eq!(t.factors[0].missing, 0);
        assert_eq!(t.score_missing, 40);
    }

    #[test]
    fn a_driving_factor_beats_noise_and_missing_values_are_counted() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut samples = Vec::new();
        for i in 0..400 {
            let renewed = rng.random_bool(0.7);
            let sentiment = if renewed { rng.random_range(5.0..10.0) } else { rng.random_range(1.0..7.0) };
            let mut values = FactorValues::default();
            values.set(id("sentiment"), Some(f64::round(sentiment)));
            if i % 10 != 0 {
                values.set(id("nps"), Some(f64::from(rng.random_range(0..=10))));
            }
            samples.push(Sample { renewed, values, score: None, not_enough_data: false, regular: true });
        }
        let f = &Config::default().health.factors;
        let t = run(&samples, &[(id("sentiment"), f[&id("sentiment")]), (id("nps"), f[&id("nps")])]);
        let (sentiment, nps) = (t.factors[0].auc.unwrap(), t.factors[1].auc.unwrap());
        assert!(sentiment > 0.8, "{sentiment}");
        assert!((0.4..0.6).contains(&nps), "{nps}");
        assert_eq!(t.factors[1].missing, 40);
        // Renewal rate rises with the points of the driving factor.
        let rates: Vec<f64> = t.factors[0].levels.iter().filter_map(Level::rate).collect();
        assert!(rates.windows(2).all(|w| w[0] <= w[1]), "{rates:?}");
    }

    /// The Scoring view's AUC with the default profile unedited is the back-test's: the samples
    /// another profile scored keep their scores (scored again by the default profile, a probe's
    /// book read "0.51 → 0.53" with nothing edited); with an edit, only the default's move.
    #[test]
    fn the_edited_auc_rescores_only_what_the_default_profile_scored() {
        let config = Config::default();
        let two = [id("sentiment"), id("nps")];
        let model: crate::domain::scoring::ScoreModel =
            config.health.factors.iter().filter(|(i, _)| two.contains(i)).map(|(i, r)| (*i, *r)).collect();
        let (model, rules) = (&model, config.health.rules());
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let mut samples = Vec::new();
        for i in 0..200 {
            let renewed = rng.random_bool(0.6);
            let mut values = FactorValues::default();
            values.set(id("sentiment"), Some(f64::from(rng.random_range(1..=10))));
            values.set(id("nps"), Some(f64::from(rng.random_range(0..=10))));
            let regular = i % 3 != 0;
            // Another profile's score: one the default profile would not give.
            let score = match regular {
                true => crate::domain::scoring::score_only(&values, model, &rules).map(|(s, _)| s),
                false => Some(if renewed { 90 } else { 10 }),
            };
            samples.push(Sample { renewed, values, score, not_enough_data: false, regular });
        }
        let test = run(&samples, &[]);
        assert_eq!(edited_score_auc(&samples, model, &rules), test.score_auc, "unedited: the same");
        assert_ne!(score_auc(&samples, model, &rules), test.score_auc, "everything by the default profile differs");
        let mut edited = model.clone();
        edited.get_mut(&id("nps")).unwrap().weight = 0.0;
        let moved = edited_score_auc(&samples, &edited, &rules);
        assert_ne!(moved, test.score_auc, "an edit moves it");
    }
}
