//! One factor from the outcomes: which way it points, and three thresholds that split its raw
//! values into four point levels whose renewal rates rise with the points, each level holding
//! enough accounts.

use crate::domain::backtest::{Level, auc};
use crate::domain::factor::Better;

/// What the outcomes say about one factor.
#[derive(Clone, Debug, PartialEq)]
pub struct FactorFit {
    pub better: Better,
    /// Thresholds for 2, 3 and 4 points, rising, as the config writes them.
    pub thresholds: [f64; 3],
    /// Accounts and renewals at 1-4 points under those thresholds.
    pub levels: [Level; 4],
    /// Renewals in the lowest and the highest quarter of the raw values: the direction's evidence.
    pub lowest_quarter: Level,
    pub highest_quarter: Level,
    /// AUC of the raw value in the direction found (at least 0.5).
    pub auc: f64,
    /// AUC of the four point levels: what the thresholds keep of it.
    pub points_auc: f64,
}

/// Cut candidates: the values at every 5% of the accounts.
const STEPS: usize = 20;

/// Fit a factor on `(raw value, renewed)` pairs; None when no split gives two or more levels of
/// at least `min_level` accounts with renewal rates that rise with the points.
pub fn fit(pairs: &[(f64, bool)], min_level: usize) -> Option<FactorFit> {
    let higher_auc = auc(pairs)?;
    let better = if higher_auc >= 0.5 { Better::Higher } else { Better::Lower };
    let sign = if better == Better::Higher { 1.0 } else { -1.0 };
    let mut oriented: Vec<(f64, bool)> = pairs.iter().map(|&(v, r)| (sign * v, r)).collect();
    oriented.sort_by(|a, b| a.0.total_cmp(&b.0));

    // Distinct values, ascending, with the renewals and churns at or below each.
    let mut values: Vec<f64> = Vec::new();
    let mut below: Vec<(usize, usize)> = Vec::new(); // (renewed, churned) with value < values[i]
    let (mut pos, mut neg) = (0, 0);
    for &(v, r) in &oriented {
        if values.last() != Some(&v) {
            values.push(v);
            below.push((pos, neg));
        }
        if r {
            pos += 1;
        } else {
            neg += 1;
        }
    }
    let total = (pos, neg);
    // Candidate cuts: the distinct value at each 5% step, above the lowest value.
    let mut candidates: Vec<usize> = (1..STEPS)
        .map(|s| {
            let v = oriented[(oriented.len() * s / STEPS).min(oriented.len() - 1)].0;
            values.partition_point(|x| *x < v)
        })
        .filter(|&i| i > 0)
        .collect();
    candidates.dedup();

    let count_below = |i: Option<usize>| i.map_or(total, |i| below[i]);
    let mut best: Option<(f64, usize, [usize; 3], [Level; 4])> = None;
    for a in 0..candidates.len() {
        for b in a..candidates.len() {
            for c in b..candidates.len() {
                let cuts = [candidates[a], candidates[b], candidates[c]];
                let bounds = [Some(0), Some(cuts[0]), Some(cuts[1]), Some(cuts[2]), None];
                let mut levels = [Level::default(); 4];
                for (l, level) in levels.iter_mut().enumerate() {
                    let lo = count_below(bounds[l]);
                    let hi = count_below(bounds[l + 1]);
                    *level = Level { accounts: (hi.0 - lo.0) + (hi.1 - lo.1), renewed: hi.0 - lo.0 };
                }
                let used: Vec<&Level> = levels.iter().filter(|l| l.accounts > 0).collect();
                if used.len() < 2 || used.iter().any(|l| l.accounts < min_level) {
                    continue;
                }
                if used.windows(2).any(|w| w[1].rate() < w[0].rate()) {
                    continue;
                }
                let score = levels_auc(&levels, total);
                let better_than = |(s, n, ..): &(f64, usize, [usize; 3], [Level; 4])| {
                    score > *s + 1e-12 || (score > *s - 1e-12 && used.len() > *n)
                };
                if best.as_ref().is_none_or(better_than) {
                    best = Some((score, used.len(), cuts, levels));
                }
            }
        }
    }
    let (points_auc, _, cuts, levels) = best?;
    let oriented_cuts = spread(&values, cuts);
    let thresholds = match better {
        Better::Higher => oriented_cuts,
        // Lower is better: 4 points at or under the first, as the config reads it.
        Better::Lower => [-oriented_cuts[2], -oriented_cuts[1], -oriented_cuts[0]],
    };
    let mut by_raw: Vec<(f64, bool)> = pairs.to_vec();
    by_raw.sort_by(|a, b| a.0.total_cmp(&b.0));
    let quarter = (by_raw.len() / 4).max(1);
    let level_of = |part: &[(f64, bool)]| Level { accounts: part.len(), renewed: part.iter().filter(|p| p.1).count() };
    Some(FactorFit {
        better,
        thresholds,
        levels,
        lowest_quarter: level_of(&by_raw[..quarter]),
        highest_quarter: level_of(&by_raw[by_raw.len() - quarter..]),
        auc: higher_auc.max(1.0 - higher_auc),
        points_auc,
    })
}

/// AUC of four ordered levels from their counts: renewed above churned, ties half.
fn levels_auc(levels: &[Level; 4], (pos, neg): (usize, usize)) -> f64 {
    if pos == 0 || neg == 0 {
        return 0.5;
    }
    let mut churned_below = 0.0;
    let mut sum = 0.0;
    for l in levels {
        let (p, n) = (l.renewed as f64, (l.accounts - l.renewed) as f64);
        sum += p * churned_below + 0.5 * p * n;
        churned_below += n;
    }
    sum / (pos as f64 * neg as f64)
}

/// Three rising thresholds from three cuts (indices into `values`), which may repeat: a
/// repeated cut (a level left empty, as for a yes/no value) is spread over the gap below it, so
/// the thresholds rise strictly and no account changes level.
fn spread(values: &[f64], cuts: [usize; 3]) -> [f64; 3] {
    let mut out = [0.0; 3];
    let mut i = 0;
    while i < 3 {
        let mut j = i;
        while j + 1 < 3 && cuts[j + 1] == cuts[i] {
            j += 1;
        }
        let (at, gap) = (values[cuts[i]], values[cuts[i]] - values[cuts[i] - 1]);
        let run = j - i + 1;
        for (t, slot) in out[i..=j].iter_mut().enumerate() {
            *slot = round(at - gap * (run - 1 - t) as f64 / run as f64);
        }
        i = j + 1;
    }
    out
}

/// To four significant digits, as a person would write it in the config.
fn round(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let scale = 10f64.powi(3 - v.abs().log10().floor() as i32);
    (v * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lower_is_better_factor_is_found_and_its_levels_rise() {
        // Renewal falls as the value rises: 90% under 10, 70% under 20, 40% under 30, 10% above.
        let pairs: Vec<(f64, bool)> = (0..400)
            .map(|i| {
                let v = f64::from(i % 40);
                let rate = [9, 7, 4, 1][(i % 40 / 10) as usize];
                (v, (i / 40) % 10 < rate)
            })
            .collect();
        let fit = fit(&pairs, 20).unwrap();
        assert_eq!(fit.better, Better::Lower);
        assert_eq!(fit.thresholds, [9.0, 19.0, 29.0], "{fit:?}");
        let rates: Vec<f64> = fit.levels.iter().map(|l| l.rate().unwrap()).collect();
        assert_eq!(rates, [10.0, 40.0, 70.0, 90.0]);
        assert!(fit.lowest_quarter.rate() > fit.highest_quarter.rate());
        assert!(fit.points_auc > 0.8 && fit.auc >= fit.points_auc - 0.01, "{fit:?}");
    }

    #[test]
    fn a_yes_no_value_gets_two_levels_with_rising_thresholds() {
        let pairs: Vec<(f64, bool)> = (0..200).map(|i| (f64::from(u8::from(i % 2 == 0)), i % 4 != 1)).collect();
        let fit = fit(&pairs, 10).unwrap();
        assert_eq!(fit.better, Better::Higher);
        let [a, b, c] = fit.thresholds;
        assert!(0.0 < a && a < b && b < c && c == 1.0, "{fit:?}");
        assert_eq!((fit.levels[0].accounts, fit.levels[3].accounts), (100, 100));
    }

    #[test]
    fn noise_with_too_few_accounts_per_level_is_not_fitted() {
        let pairs: Vec<(f64, bool)> = (0..12).map(|i| (f64::from(i), i % 2 == 0)).collect();
        assert!(fit(&pairs, 10).is_none());
    }
}
