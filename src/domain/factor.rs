//! Health factors: what each one measures, and the rule that turns its raw value into 1-4 points.

use serde::{Deserialize, Serialize};

/// A factor of the configured catalog: its place in `Catalog::defs` (and in `FactorValues`).
/// What it measures lives in its `FactorDef`; the id alone is just a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct FactorId(pub u8);

/// The largest weight a factor may carry.
pub const MAX_WEIGHT: f64 = 1000.0;

/// At most this many factors in one configuration, candidates included.
pub const MAX_FACTORS: usize = 32;
/// At most this many factors may carry a weight: a day of history packs each one's points into 3
/// bits of one 64-bit word, beside the score profile.
pub const MAX_SCORED_FACTORS: usize = 20;

impl FactorId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// How a raw value reads to a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    OutOfTen,
    Percent,
    SignedPercent,
    Count,
    Days,
    Number,
}

impl Unit {
    /// The values a factor of this unit can take, lowest and highest: a threshold past them is
    /// one no account reaches (a probe pushed CSM sentiment's 4 points to 21/10).
    pub fn bounds(self) -> (f64, f64) {
        match self {
            Unit::OutOfTen => (0.0, 10.0),
            Unit::Percent | Unit::Count | Unit::Days => (0.0, f64::INFINITY),
            Unit::SignedPercent => (-100.0, f64::INFINITY),
            Unit::Number => (f64::NEG_INFINITY, f64::INFINITY),
        }
    }

    /// A raw value as a person reads it: "7/10", "112%", "+8%", "3", "12d", "0.42".
    pub fn format(self, value: f64) -> String {
        match self {
            Unit::OutOfTen => format!("{}/10", trim_number(value)),
            Unit::Percent => format!("{:.0}%", value),
            // A change that rounds to nothing keeps its sign's worth: "-0.3%", never "-0%".
            Unit::SignedPercent if value != 0.0 && value.abs() < 0.5 => format!("{value:+.1}%"),
            Unit::SignedPercent => format!("{:+.0}%", value),
            Unit::Count => trim_number(value),
            Unit::Days => format!("{:.0}d", value),
            Unit::Number if value.abs() >= 100.0 => format!("{value:.0}"),
            Unit::Number => {
                let text = format!("{value:.2}");
                text.trim_end_matches('0').trim_end_matches('.').to_string()
            }
        }
    }

    /// Thresholds side by side, each `format_beside` a neighbour it would read the same as:
    /// "≤5.5d ≤6d", not "≤6d ≤6d", for thresholds a fit spread between two whole values.
    pub fn format_apart(self, values: [f64; 3]) -> [String; 3] {
        std::array::from_fn(|i| {
            let neighbours = [i.checked_sub(1), (i < 2).then_some(i + 1)];
            let beside = neighbours
                .into_iter()
                .flatten()
                .map(|j| values[j])
                .find(|&other| other != values[i] && self.format(other) == self.format(values[i]));
            beside.map_or_else(|| self.format(values[i]), |other| self.format_beside(values[i], other))
        })
    }

    /// `format` with a decimal more where the whole figure would read the same as `beside` (a
    /// threshold shown next to it): "+4.6%" beside "≥+5%", not "+5%" beside "≥+5%".
    pub fn format_beside(self, value: f64, beside: f64) -> String {
        let plain = self.format(value);
        if value == beside || plain != self.format(beside) {
            return plain;
        }
        match self {
            Unit::Percent => format!("{value:.1}%"),
            Unit::SignedPercent => format!("{value:+.1}%"),
            Unit::Days => format!("{value:.1}d"),
            _ => plain,
        }
    }
}

/// Whole numbers without a trailing ".0"; otherwise one decimal.
pub fn trim_number(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 { format!("{:.0}", value) } else { format!("{:.1}", value) }
}

/// Which way is good for a factor's raw value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    #[default]
    Higher,
    Lower,
}

impl Better {
    /// As the config writes it: "higher" or "lower".
    pub fn key(self) -> &'static str {
        match self {
            Better::Higher => "higher",
            Better::Lower => "lower",
        }
    }

    /// How a threshold reads in this direction: "≥" when higher is better, "≤" when lower.
    pub fn sign(self) -> &'static str {
        match self {
            Better::Higher => "≥",
            Better::Lower => "≤",
        }
    }
}

/// A factor's place in a score: its weight and the three thresholds that cut its raw value into
/// 1-4 points. Thresholds rise strictly. With `better = "higher"`, reaching the first earns 2
/// points, the second 3, the third 4. With `better = "lower"`, at or below the first earns 4, the
/// second 3, the third 2, above all three 1.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactorRule {
    pub weight: f64,
    pub better: Better,
    pub thresholds: [f64; 3],
    /// A critical factor's band (its points: 4 Green, 3 Yellow, 2 Orange, 1 Red) caps the
    /// account's band, whatever the blend says.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub critical: bool,
    /// Data older than this many days is marked stale (it still counts) and is a triage reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_after_days: Option<i64>,
    /// The factor reads tend's own bookkeeping (planned milestones, goals): it counts in a
    /// score but is no evidence of health, so it cannot make one alone. Set from the source.
    #[serde(skip)]
    pub bookkeeping: bool,
    /// Optional evidence (`FactorDef::optional`): missing, it is not counted against the
    /// evidence a score needs. Set from the definition.
    #[serde(skip)]
    pub optional: bool,
}

impl FactorRule {
    /// The band a critical factor's points cap the account at.
    pub fn band_of_points(points: u8) -> super::band::HealthBand {
        use super::band::HealthBand;
        match points {
            4.. => HealthBand::Green,
            3 => HealthBand::Yellow,
            2 => HealthBand::Orange,
            _ => HealthBand::Red,
        }
    }

    pub fn points(&self, value: f64) -> u8 {
        let [a, b, c] = self.thresholds;
        match self.better {
            Better::Higher => {
                if value >= c {
                    4
                } else if value >= b {
                    3
                } else if value >= a {
                    2
                } else {
                    1
                }
            }
            Better::Lower => {
                if value <= a {
                    4
                } else if value <= b {
                    3
                } else if value <= c {
                    2
                } else {
                    1
                }
            }
        }
    }

    /// The raw value this factor must reach to earn `points` (2-4), or None for 1 point.
    pub fn value_for_points(&self, points: u8) -> Option<f64> {
        let [a, b, c] = self.thresholds;
        match (self.better, points) {
            (Better::Higher, 2) => Some(a),
            (Better::Higher, 3) => Some(b),
            (Better::Higher, 4) => Some(c),
            (Better::Lower, 4) => Some(a),
            (Better::Lower, 3) => Some(b),
            (Better::Lower, 2) => Some(c),
            _ => None,
        }
    }

    /// The values for 2, 3 and 4 points, in that order (the thresholds as a person reads them).
    pub fn values_for_points(&self) -> [f64; 3] {
        let [a, b, c] = self.thresholds;
        match self.better {
            Better::Higher => [a, b, c],
            Better::Lower => [c, b, a],
        }
    }

    pub fn problem(&self) -> Option<String> {
        // Bounded, so that a sum of weights can never overflow into NaN.
        if !(0.0..=MAX_WEIGHT).contains(&self.weight) {
            return Some(format!("weight must be 0-{MAX_WEIGHT}, not {}", self.weight));
        }
        let [a, b, c] = self.thresholds;
        if !([a, b, c].iter().all(|t| t.is_finite()) && a < b && b < c) {
            return Some(format!("thresholds must rise strictly, got [{a}, {b}, {c}]"));
        }
        if let Some(days) = self.stale_after_days.filter(|d| !(1..=3650).contains(d)) {
            return Some(format!("stale_after_days must be 1-3650, not {days}"));
        }
        None
    }
}

/// Raw values of every factor for one account on one day; missing is never zero. Kept as NaN
/// in a fixed array so a whole book of them copies without allocating.
///
/// A value can be a lower bound (`at_least`): days since the last touch of an account no touch
/// has been logged on counts from when tend began tracking it, and the last touch, made before
/// then, may be older. Such a value earns points only where any larger value would earn the same
/// (a Red "over 60 days" is certain; a Green "0 days" is not), else it is left out of the blend.
///
/// A change in percent can be one between two windows of no use at all (`no_use`): its value is
/// 0%, but no use then and no use now is no steady use, and where more is better it earns the
/// fewest points (a probe's accounts sending 0 users every week read "Active users change +0%"
/// at 4 points and drifted up to Yellow).
#[derive(Clone, Copy, Debug)]
pub struct FactorValues {
    values: [f64; MAX_FACTORS],
    at_least: u32,
    no_use: u32,
}

impl Default for FactorValues {
    fn default() -> Self {
        FactorValues { values: [f64::NAN; MAX_FACTORS], at_least: 0, no_use: 0 }
    }
}

impl PartialEq for FactorValues {
    fn eq(&self, other: &Self) -> bool {
        self.at_least == other.at_least
            && self.no_use == other.no_use
            && self.values.iter().zip(&other.values).all(|(a, b)| a == b || (a.is_nan() && b.is_nan()))
    }
}

impl FactorValues {
    pub fn get(&self, id: FactorId) -> Option<f64> {
        self.values.get(id.index()).copied().filter(|v| !v.is_nan())
    }

    /// The value when it is known, not a lower bound: for what fits or tests thresholds on
    /// values (the back-test, suggestions), where "at least 3 days" is not 3 days.
    pub fn known(&self, id: FactorId) -> Option<f64> {
        self.get(id).filter(|_| !self.is_at_least(id))
    }

    /// Set a known value (or none).
    pub fn set(&mut self, id: FactorId, value: Option<f64>) {
        if let Some(slot) = self.values.get_mut(id.index()) {
            *slot = value.filter(|v| v.is_finite()).unwrap_or(f64::NAN);
            self.at_least &= !(1 << id.index());
            self.no_use &= !(1 << id.index());
        }
    }

    /// Set a change in percent between two windows of no use at all: 0%, marked (see the type).
    pub fn set_no_use(&mut self, id: FactorId) {
        self.set(id, Some(0.0));
        if self.get(id).is_some() {
            self.no_use |= 1 << id.index();
        }
    }

    /// Whether the factor's value is a change between two windows of no use at all.
    pub fn is_no_use(&self, id: FactorId) -> bool {
        id.index() < MAX_FACTORS && self.no_use & (1 << id.index()) != 0
    }

    /// The factors whose values are changes between two windows of no use (bit i: factor i).
    pub fn no_use_mask(&self) -> u32 {
        self.no_use
    }

    /// Set a value the true one is at least (see the type).
    pub fn set_at_least(&mut self, id: FactorId, value: f64) {
        self.set(id, Some(value));
        if self.get(id).is_some() {
            self.at_least |= 1 << id.index();
        }
    }

    /// Whether the factor's value is a lower bound.
    pub fn is_at_least(&self, id: FactorId) -> bool {
        id.index() < MAX_FACTORS && self.at_least & (1 << id.index()) != 0
    }

    /// The factors whose values are lower bounds (bit i: factor i).
    pub fn at_least_mask(&self) -> u32 {
        self.at_least
    }

    /// The points the factor's value earns under `rule`: None without a value, or for a lower
    /// bound whose true value could earn other points.
    pub fn points(&self, id: FactorId, rule: &FactorRule) -> Option<u8> {
        let value = self.get(id)?;
        // No use then and none now, where more is better: the fewest points, not "flat".
        if self.is_no_use(id) && rule.better == Better::Higher {
            return Some(1);
        }
        let points = rule.points(value);
        (!self.is_at_least(id) || points == rule.points(f64::MAX)).then_some(points)
    }

    pub fn is_empty(&self) -> bool {
        self.values.iter().all(|v| v.is_nan())
    }

    /// From values by factor, e.g. in tests and back-test fixtures.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (FactorId, f64)>) -> Self {
        let mut v = FactorValues::default();
        for (id, value) in pairs {
            v.set(id, Some(value));
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_never_reads_as_the_threshold_beside_it() {
        assert_eq!(Unit::SignedPercent.format_beside(4.6, 5.0), "+4.6%");
        assert_eq!(Unit::SignedPercent.format_beside(5.0, 5.0), "+5%");
        assert_eq!(Unit::Days.format_apart([5.5, 6.0, 14.0]), ["5.5d", "6.0d", "14d"]);
        assert_eq!(Unit::Days.format_apart([3.0, 6.0, 14.0]), ["3d", "6d", "14d"]);
        assert_eq!(Unit::SignedPercent.format_beside(3.2, 5.0), "+3%");
        assert_eq!(Unit::Percent.format_beside(49.7, 50.0), "49.7%");
        assert_eq!(Unit::Days.format_beside(6.6, 7.0), "6.6d");
        assert_eq!(Unit::SignedPercent.format(-0.3), "-0.3%");
        assert_eq!(Unit::SignedPercent.format(0.0), "+0%");
    }

    fn higher() -> FactorRule {
        FactorRule {
            weight: 1.0,
            better: Better::Higher,
            thresholds: [4.0, 6.0, 8.0],
            critical: false,
            stale_after_days: None,
            bookkeeping: false,
            optional: false,
        }
    }
    fn lower() -> FactorRule {
        FactorRule {
            weight: 1.0,
            better: Better::Lower,
            thresholds: [7.0, 14.0, 30.0],
            critical: false,
            stale_after_days: None,
            bookkeeping: false,
            optional: false,
        }
    }

    #[test]
    fn higher_is_better_thresholds_are_inclusive() {
        let r = higher();
        assert_eq!(r.points(3.99), 1);
        assert_eq!(r.points(4.0), 2);
        assert_eq!(r.points(5.99), 2);
        assert_eq!(r.points(6.0), 3);
        assert_eq!(r.points(8.0), 4);
        assert_eq!(r.points(10.0), 4);
    }

    #[test]
    fn lower_is_better_thresholds_are_inclusive() {
        let r = lower();
        assert_eq!(r.points(0.0), 4);
        assert_eq!(r.points(7.0), 4);
        assert_eq!(r.points(7.5), 3);
        assert_eq!(r.points(14.0), 3);
        assert_eq!(r.points(30.0), 2);
        assert_eq!(r.points(30.1), 1);
    }

    #[test]
    fn value_for_points_is_the_threshold_that_earns_them() {
        for rule in [higher(), lower()] {
            for p in 2..=4u8 {
                let v = rule.value_for_points(p).unwrap();
                assert_eq!(rule.points(v), p, "{rule:?} at {v}");
            }
            assert_eq!(rule.value_for_points(1), None);
        }
    }

    #[test]
    fn bad_rules_are_named() {
        let mut r = higher();
        r.thresholds = [5.0, 5.0, 8.0];
        assert!(r.problem().unwrap().contains("rise strictly"));
        r = higher();
        r.weight = -1.0;
        assert!(r.problem().unwrap().contains("weight"));
        assert!(higher().problem().is_none());
    }

    #[test]
    fn values_read_as_people_say_them() {
        assert_eq!(Unit::OutOfTen.format(7.0), "7/10");
        assert_eq!(Unit::SignedPercent.format(-12.4), "-12%");
        assert_eq!(Unit::Percent.format(112.0), "112%");
        assert_eq!(Unit::Days.format(9.0), "9d");
        assert_eq!(Unit::Number.format(0.4166), "0.42");
        assert_eq!(Unit::Number.format(2.0), "2");
        assert_eq!(Unit::Number.format(1234.6), "1235");
    }

    #[test]
    fn non_finite_values_count_as_missing() {
        let mut v = FactorValues::default();
        v.set(FactorId(2), Some(f64::INFINITY));
        assert!(v.is_empty());
        v.set(FactorId(2), Some(0.0));
        assert_eq!(v.get(FactorId(2)), Some(0.0), "zero is a value");
        assert_eq!(v.get(FactorId(40)), None, "beyond the catalog: nothing");
    }
}
