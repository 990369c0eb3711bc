//! Explaining a score: the factor dragging it down most, and the smallest single change that
//! would lift the account into the next band up.

use super::band::HealthBand;
use super::catalog::Catalog;
use super::factor::{FactorId, FactorValues};
use super::scoring::{self, ScoreModel, ScoreRules};

/// One factor moved to a threshold lifts the account into a better band.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lift {
    pub id: FactorId,
    pub from: f64,
    /// The raw value the factor would need: the threshold of its new points.
    pub to: f64,
    pub score: u8,
    pub band: HealthBand,
}

impl Lift {
    /// "CSM sentiment 4/10 -> 6/10 would make it Yellow (53)".
    pub fn describe(&self, catalog: &Catalog) -> String {
        let def = catalog.def(self.id);
        format!(
            "{} {} -> {} would make it {} ({})",
            def.label,
            def.format_value(self.from),
            def.format_value(self.to),
            self.band.label(),
            self.score
        )
    }
}

/// The band above `band`, if any.
fn next_up(band: HealthBand) -> Option<HealthBand> {
    match band {
        HealthBand::Red => Some(HealthBand::Orange),
        HealthBand::Orange => Some(HealthBand::Yellow),
        HealthBand::Yellow => Some(HealthBand::Green),
        HealthBand::Green => None,
    }
}

/// The smallest change to one factor with data that lifts the score into the next band up:
/// fewest points gained first, then the factor with the most weight. None when the account is
/// Green, has no score, or no single factor can do it. Factors `settled` says are facts of the
/// past (how long the first login took, what the first weeks held) are never proposed: nobody
/// can change them now.
pub fn lift_to_next_band(
    values: &FactorValues,
    model: &ScoreModel,
    rules: &ScoreRules,
    settled: impl Fn(crate::domain::FactorId) -> bool,
) -> Option<Lift> {
    let (_, band) = scoring::score_only(values, model, rules)?;
    let target = next_up(band)?;
    let mut best: Option<(u8, f64, Lift)> = None;
    for (id, rule) in model.iter().filter(|(id, r)| r.weight > 0.0 && !settled(**id)) {
        let (Some(from), Some(now)) = (values.get(*id), values.points(*id, rule)) else { continue };
        for points in now + 1..=4 {
            let Some(to) = rule.value_for_points(points) else { continue };
            let mut moved = *values;
            moved.set(*id, Some(to));
            let Some((score, new_band)) = scoring::score_only(&moved, model, rules) else { continue };
            if new_band >= target {
                let gain = points - now;
                let better = best.as_ref().is_none_or(|(g, w, _)| gain < *g || (gain == *g && rule.weight > *w));
                if better {
                    best = Some((gain, rule.weight, Lift { id: *id, from, to, score, band: new_band }));
                }
                break;
            }
        }
    }
    best.map(|(_, _, lift)| lift)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::config::builtin as id;

    /// The default config with any evidence enough for a score: these tests use few factors.
    fn sparse() -> Config {
        let mut config = Config::default();
        config.health.min_coverage = 0.0;
        config
    }

    #[test]
    fn the_smallest_single_change_to_the_next_band() {
        let config = sparse();
        let model = &config.health.factors;
        let cutoffs = &config.health.rules();
        let mut v = FactorValues::default();
        v.set(id("sentiment"), Some(4.0)); // 2 points, weight 3
        v.set(id("usage_vs_expected"), Some(60.0)); // 2 points, weight 3
        v.set(id("nps"), Some(8.0)); // 3 points, weight 2
        // (3x1 + 3x1 + 2x2) / 8 / 3 = 41.7 -> 42, Orange.
        assert_eq!(scoring::score_only(&v, model, cutoffs), Some((42, HealthBand::Orange)));
        let lift = lift_to_next_band(&v, model, cutoffs, |_| false).unwrap();
        // One point more on a weight-3 factor: (3x2 + 3x1 + 4) / 24 = 54 -> Yellow.
        assert_eq!(lift.band, HealthBand::Yellow);
        assert_eq!(lift.score, 54);
        assert!([id("sentiment"), id("usage_vs_expected")].contains(&lift.id));
        assert_eq!(
            lift_to_next_band(&v, model, cutoffs, |_| false).map(|l| l.describe(&Config::default().health.catalog)),
            Some("CSM sentiment 4/10 -> 6/10 would make it Yellow (54)".to_string())
        );
    }

    #[test]
    fn green_has_nowhere_to_go_and_a_lone_factor_may_not_be_enough() {
        let config = sparse();
        let (model, cutoffs) = (&config.health.factors, &config.health.rules());
        let mut v = FactorValues::default();
        v.set(id("sentiment"), Some(9.0));
        assert_eq!(lift_to_next_band(&v, model, cutoffs, |_| false), None, "Green");
        // Red with five factors at 1 point: no single one reaches Orange (25).
        let mut red = FactorValues::default();
        for (id, value) in [
            (id("sentiment"), 1.0),
            (id("usage_vs_expected"), 10.0),
            (id("usage_growth"), -50.0),
            (id("nps"), 1.0),
            (id("active_users"), 0.0),
            (id("days_since_login"), 90.0),
            (id("goals_on_track"), 0.0),
        ] {
            red.set(id, Some(value));
        }
        assert_eq!(lift_to_next_band(&red, model, cutoffs, |_| false), None);
    }

    #[test]
    fn a_settled_fact_of_the_past_is_never_the_way_up() {
        let config = sparse();
        let model = &config.health.factors;
        let cutoffs = &config.health.rules();
        let mut v = FactorValues::default();
        v.set(id("sentiment"), Some(4.0));
        v.set(id("usage_vs_expected"), Some(60.0));
        v.set(id("nps"), Some(8.0));
        let any = lift_to_next_band(&v, model, cutoffs, |_| false).unwrap();
        let other = lift_to_next_band(&v, model, cutoffs, |f| f == any.id).unwrap();
        assert_ne!(other.id, any.id, "a settled factor is skipped, another proposed");
        assert_eq!(lift_to_next_band(&v, model, cutoffs, |_| true), None);
    }
}
