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

/// How long a goal stands at the "on track" it was set with before that counts as news: a month
/// without anyone flagging it says something; the day it is written down says nothing.
pub const ON_TRACK_SETTLES_DAYS: i64 = 30;

impl GoalFact {
    /// Whether the goal's status on `as_of` is news of how the account keeps it: a status changed
    /// since it was set, one set other than "on track" (where every goal starts), or an "on
    /// track" that has stood `ON_TRACK_SETTLES_DAYS`. A goal written down today lifted health as
    /// "100% on track", first data.
    pub fn reviewed_on(&self, as_of: NaiveDate) -> bool {
        let mut known = self.statuses.iter().filter(|(d, _)| *d <= as_of);
        match (known.next(), known.next()) {
            (Some((set, first)), None) => {
                *first != GoalStatus::OnTrack || (as_of - *set).num_days() >= ON_TRACK_SETTLES_DAYS
            }
            (Some(_), Some(_)) => true,
            (None, _) => false,
        }
    }
}

/// Percentage of live goals (not dropped) that are on track or achieved on `as_of`, of those
/// reviewed since they were set (`GoalFact::reviewed_on`); None while there are none.
pub fn goals_on_track(goals: &[GoalFact], as_of: NaiveDate) -> Option<f64> {
    let statuses: Vec<GoalStatus> = goals
        .iter()
        .filter(|g| g.reviewed_on(as_of))
        .filter_map(|g| g.status_on(as_of))
        .filter(|s| *s != GoalStatus::Dropped)
        .collect();
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
        // The first goal still stands at the "on track" it was set with: not news for a month.
        assert_eq!(goals_on_track(&goals, d("2026-01-15")), None);
        assert_eq!(goals_on_track(&goals, d("2026-01-31")), Some(100.0));
        assert_eq!(goals_on_track(&goals, d("2026-02-15")), Some(100.0));
        assert_eq!(goals_on_track(&goals, d("2026-03-01")), Some(50.0));
        // Set off track (or at risk) is the CSM's word from the start.
        let off = GoalFact { created: Some(d("2026-01-01")), statuses: vec![(d("2026-01-01"), GoalStatus::OffTrack)] };
        assert_eq!(goals_on_track(&[off], d("2026-01-01")), Some(0.0));
    }
}
