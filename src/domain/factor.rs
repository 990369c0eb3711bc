//! Health factors: what each one measures, and the rule that turns its raw value into 1-4 points.

use serde::{Deserialize, Serialize};

/// Every built-in factor. The order here is the order they are shown and stored in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactorId {
    Sentiment,
    UsageVsExpected,
    UsageGrowth,
    BugsEscalated,
    Nps,
    SupportTickets,
    ActiveUsers,
    DaysSinceLogin,
    DaysSinceTouch,
    DaysToFirstLogin,
    EarlyLogins,
    GoalsOnTrack,
    OverdueMilestones,
}

/// How a raw value reads to a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    OutOfTen,
    Percent,
    SignedPercent,
    Count,
    Days,
}

impl FactorId {
    pub const COUNT: usize = 13;
    pub const ALL: [FactorId; FactorId::COUNT] = [
        FactorId::Sentiment,
        FactorId::UsageVsExpected,
        FactorId::UsageGrowth,
        FactorId::BugsEscalated,
        FactorId::Nps,
        FactorId::SupportTickets,
        FactorId::ActiveUsers,
        FactorId::DaysSinceLogin,
        FactorId::DaysSinceTouch,
        FactorId::DaysToFirstLogin,
        FactorId::EarlyLogins,
        FactorId::GoalsOnTrack,
        FactorId::OverdueMilestones,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The snake_case key used in config files and database columns.
    pub fn key(self) -> &'static str {
        match self {
            FactorId::Sentiment => "sentiment",
            FactorId::UsageVsExpected => "usage_vs_expected",
            FactorId::UsageGrowth => "usage_growth",
            FactorId::BugsEscalated => "bugs_escalated",
            FactorId::Nps => "nps",
            FactorId::SupportTickets => "support_tickets",
            FactorId::ActiveUsers => "active_users",
            FactorId::DaysSinceLogin => "days_since_login",
            FactorId::DaysSinceTouch => "days_since_touch",
            FactorId::DaysToFirstLogin => "days_to_first_login",
            FactorId::EarlyLogins => "early_logins",
            FactorId::GoalsOnTrack => "goals_on_track",
            FactorId::OverdueMilestones => "overdue_milestones",
        }
    }

    pub fn from_key(key: &str) -> Option<FactorId> {
        FactorId::ALL.into_iter().find(|f| f.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            FactorId::Sentiment => "CSM sentiment",
            FactorId::UsageVsExpected => "Usage vs expected",
            FactorId::UsageGrowth => "Usage growth (MoM)",
            FactorId::BugsEscalated => "Bugs escalated",
            FactorId::Nps => "NPS",
            FactorId::SupportTickets => "Support tickets",
            FactorId::ActiveUsers => "Active users",
            FactorId::DaysSinceLogin => "Days since login",
            FactorId::DaysSinceTouch => "Days since touch",
            FactorId::DaysToFirstLogin => "Days to first login",
            FactorId::EarlyLogins => "Early logins",
            FactorId::GoalsOnTrack => "Goals on track",
            FactorId::OverdueMilestones => "Overdue milestones",
        }
    }

    pub fn unit(self) -> Unit {
        match self {
            FactorId::Sentiment | FactorId::Nps => Unit::OutOfTen,
            FactorId::UsageVsExpected | FactorId::GoalsOnTrack => Unit::Percent,
            FactorId::UsageGrowth => Unit::SignedPercent,
            FactorId::BugsEscalated
            | FactorId::SupportTickets
            | FactorId::ActiveUsers
            | FactorId::EarlyLogins
            | FactorId::OverdueMilestones => Unit::Count,
            FactorId::DaysSinceLogin | FactorId::DaysSinceTouch | FactorId::DaysToFirstLogin => Unit::Days,
        }
    }

    /// A raw value as a person reads it: "7/10", "112%", "+8%", "3", "12d".
    pub fn format_value(self, value: f64) -> String {
        match self.unit() {
            Unit::OutOfTen => format!("{}/10", trim_number(value)),
            Unit::Percent => format!("{:.0}%", value),
            Unit::SignedPercent => format!("{:+.0}%", value),
            Unit::Count => trim_number(value),
            Unit::Days => format!("{:.0}d", value),
        }
    }
}

/// Whole numbers without a trailing ".0"; otherwise one decimal.
pub fn trim_number(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 { format!("{:.0}", value) } else { format!("{:.1}", value) }
}

/// Which way is good for a factor's raw value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Higher,
    Lower,
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

    pub fn problem(&self) -> Option<String> {
        if !self.weight.is_finite() || self.weight < 0.0 {
            return Some(format!("weight must be 0 or more, not {}", self.weight));
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

/// Raw values of every factor for one account on one day; `None` is missing, never zero.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct FactorValues(pub [Option<f64>; FactorId::COUNT]);

impl FactorValues {
    pub fn get(&self, id: FactorId) -> Option<f64> {
        self.0[id.index()]
    }

    pub fn set(&mut self, id: FactorId, value: Option<f64>) {
        self.0[id.index()] = value.filter(|v| v.is_finite());
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Option::is_none)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn higher() -> FactorRule {
        FactorRule {
            weight: 1.0,
            better: Better::Higher,
            thresholds: [4.0, 6.0, 8.0],
            critical: false,
            stale_after_days: None,
        }
    }
    fn lower() -> FactorRule {
        FactorRule {
            weight: 1.0,
            better: Better::Lower,
            thresholds: [7.0, 14.0, 30.0],
            critical: false,
            stale_after_days: None,
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
    fn keys_round_trip() {
        for f in FactorId::ALL {
            assert_eq!(FactorId::from_key(f.key()), Some(f));
            assert_eq!(FactorId::ALL[f.index()], f);
        }
    }

    #[test]
    fn values_read_as_people_say_them() {
        assert_eq!(FactorId::Sentiment.format_value(7.0), "7/10");
        assert_eq!(FactorId::UsageGrowth.format_value(-12.4), "-12%");
        assert_eq!(FactorId::UsageVsExpected.format_value(112.0), "112%");
        assert_eq!(FactorId::DaysSinceTouch.format_value(9.0), "9d");
    }

    #[test]
    fn non_finite_values_count_as_missing() {
        let mut v = FactorValues::default();
        v.set(FactorId::UsageGrowth, Some(f64::INFINITY));
        assert!(v.is_empty());
    }
}
