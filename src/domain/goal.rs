//! Customer goals: in the customer's own words, with a measure, a target date, an owner side and a
//! status whose every change is kept.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalStatus {
    OnTrack,
    AtRisk,
    OffTrack,
    Achieved,
    Dropped,
}

impl GoalStatus {
    pub const ALL: [GoalStatus; 5] =
        [GoalStatus::OnTrack, GoalStatus::AtRisk, GoalStatus::OffTrack, GoalStatus::Achieved, GoalStatus::Dropped];

    pub fn key(self) -> &'static str {
        match self {
            GoalStatus::OnTrack => "on_track",
            GoalStatus::AtRisk => "at_risk",
            GoalStatus::OffTrack => "off_track",
            GoalStatus::Achieved => "achieved",
            GoalStatus::Dropped => "dropped",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GoalStatus::OnTrack => "on track",
            GoalStatus::AtRisk => "at risk",
            GoalStatus::OffTrack => "off track",
            GoalStatus::Achieved => "achieved",
            GoalStatus::Dropped => "dropped",
        }
    }

    /// Accepts "on_track", "on-track" and "on track".
    pub fn from_key(s: &str) -> Option<Self> {
        let norm = s.trim().to_lowercase().replace(['-', ' '], "_");
        Self::ALL.into_iter().find(|g| g.key() == norm)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerSide {
    Customer,
    Vendor,
}

impl OwnerSide {
    pub const ALL: [OwnerSide; 2] = [OwnerSide::Customer, OwnerSide::Vendor];
    pub fn key(self) -> &'static str {
        match self {
            OwnerSide::Customer => "customer",
            OwnerSide::Vendor => "vendor",
        }
    }
    pub fn from_key(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.key() == s.trim().to_lowercase())
    }
}

/// What the "goals on track" factor needs of one goal: when it was set and its status history.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GoalFact {
    pub created: Option<NaiveDate>,
    /// (day, status), oldest first; the first is the status it was set with.
    pub statuses: Vec<(NaiveDate, GoalStatus)>,
}

impl GoalFact {
    /// The goal's status on `as_of`, or None if it did not exist yet.
    pub fn status_on(&self, as_of: NaiveDate) -> Option<GoalStatus> {
        if self.created.is_some_and(|c| c > as_of) {
            return None;
        }
        self.statuses.iter().rev().find(|(d, _)| *d <= as_of).map(|(_, s)| *s)
    }
}

/// Percentage of live goals (not dropped) that are on track or achieved on `as_of`.
pub fn goals_on_track(goals: &[GoalFact], as_of: NaiveDate) -> Option<f64> {
    let statuses: Vec<GoalStatus> =
        goals.iter().filter_map(|g| g.status_on(as_of)).filter(|s| *s != GoalStatus::Dropped).collect();
    if statuses.is_empty() {
        return None;
    }
    let good = statuses.iter().filter(|s| matches!(s, GoalStatus::OnTrack | GoalStatus::Achieved)).count();
    Some(good as f64 / statuses.len() as f64 * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn status_keys_accept_spaces_and_dashes() {
        assert_eq!(GoalStatus::from_key("off track"), Some(GoalStatus::OffTrack));
        assert_eq!(GoalStatus::from_key("At-Risk"), Some(GoalStatus::AtRisk));
        assert_eq!(GoalStatus::from_key("late"), None);
        for s in GoalStatus::ALL {
            assert_eq!(GoalStatus::from_key(s.key()), Some(s));
        }
    }

    #[test]
    fn goals_on_track_follows_the_history() {
        let goal = GoalFact {
            created: Some(d("2026-01-01")),
            statuses: vec![(d("2026-01-01"), GoalStatus::OnTrack), (d("2026-03-01"), GoalStatus::OffTrack)],
        };
        let other =
            GoalFact { created: Some(d("2026-02-01")), statuses: vec![(d("2026-02-01"), GoalStatus::Achieved)] };
        let dropped =
            GoalFact { created: Some(d("2026-01-01")), statuses: vec![(d("2026-01-01"), GoalStatus::Dropped)] };
        let goals = vec![goal, other, dropped];
        assert_eq!(goals_on_track(&goals, d("2025-12-31")), None);
        assert_eq!(goals_on_track(&goals, d("2026-01-15")), Some(100.0));
        assert_eq!(goals_on_track(&goals, d("2026-03-01")), Some(50.0));
    }
}
