//! Customer journeys as milestones, and the templates that plan them.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Journey {
    Onboarding,
    Adoption,
    Renewal,
    Expansion,
    Advocacy,
}

impl Journey {
    pub const ALL: [Journey; 5] =
        [Journey::Onboarding, Journey::Adoption, Journey::Renewal, Journey::Expansion, Journey::Advocacy];
    pub fn key(self) -> &'static str {
        match self {
            Journey::Onboarding => "onboarding",
            Journey::Adoption => "adoption",
            Journey::Renewal => "renewal",
            Journey::Expansion => "expansion",
            Journey::Advocacy => "advocacy",
        }
    }
    pub fn from_key(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|j| j.key() == s.trim().to_lowercase())
    }
}

/// Where a milestone stands on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MilestoneState {
    Done,
    Due,
    Overdue,
}

impl MilestoneState {
    pub fn label(self) -> &'static str {
        match self {
            MilestoneState::Done => "done",
            MilestoneState::Due => "due",
            MilestoneState::Overdue => "overdue",
        }
    }
}

/// A milestone's dates, which is all the "overdue milestones" factor needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MilestoneFact {
    pub due: NaiveDate,
    pub done: Option<NaiveDate>,
}

impl MilestoneFact {
    /// Done once its done date has come; overdue from the day after its due date until then.
    pub fn state_on(&self, as_of: NaiveDate) -> MilestoneState {
        match self.done {
            Some(done) if done <= as_of => MilestoneState::Done,
            _ if self.due < as_of => MilestoneState::Overdue,
            _ => MilestoneState::Due,
        }
    }
}

/// How many milestones are overdue on `as_of`; None for an account without milestones.
pub fn overdue_milestones(milestones: &[MilestoneFact], as_of: NaiveDate) -> Option<f64> {
    if milestones.is_empty() {
        return None;
    }
    Some(milestones.iter().filter(|m| m.state_on(as_of) == MilestoneState::Overdue).count() as f64)
}

/// Which date a template's days count from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Anchor {
    /// The account's customer-since date.
    Start,
    /// The account's renewal date (days are usually negative: before it).
    Renewal,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateMilestone {
    pub name: String,
    pub day: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JourneyTemplate {
    pub anchor: Anchor,
    pub milestones: Vec<TemplateMilestone>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JourneysConfig {
    /// Journeys planned for every account tend creates.
    pub apply_to_new: Vec<Journey>,
    pub templates: BTreeMap<Journey, JourneyTemplate>,
}

impl JourneysConfig {
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for j in &self.apply_to_new {
            if !self.templates.contains_key(j) {
                out.push(("apply_to_new".into(), format!("no template for journey \"{}\"", j.key())));
            }
        }
        for (j, t) in &self.templates {
            let mut names: Vec<&str> = t.milestones.iter().map(|m| m.name.trim()).collect();
            if names.iter().any(|n| n.is_empty()) {
                out.push((format!("templates.{}.milestones", j.key()), "every milestone needs a name".into()));
            }
            names.sort();
            if names.windows(2).any(|w| w[0] == w[1]) {
                out.push((format!("templates.{}.milestones", j.key()), "milestone names must be unique".into()));
            }
        }
        out
    }
}

/// The milestones a template plans for an account: (name, due date).
pub fn plan(
    template: &JourneyTemplate,
    start: Option<NaiveDate>,
    renewal: Option<NaiveDate>,
) -> Result<Vec<(String, NaiveDate)>, String> {
    let anchor = match template.anchor {
        Anchor::Start => start.ok_or("the account has no customer-since date to count from")?,
        Anchor::Renewal => renewal.ok_or("the account has no renewal date to count from")?,
    };
    Ok(template.milestones.iter().map(|m| (m.name.clone(), anchor + Duration::days(m.day))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn milestone_states() {
        let m = MilestoneFact { due: d("2026-02-01"), done: None };
        assert_eq!(m.state_on(d("2026-02-01")), MilestoneState::Due);
        assert_eq!(m.state_on(d("2026-02-02")), MilestoneState::Overdue);
        let m = MilestoneFact { due: d("2026-02-01"), done: Some(d("2026-02-10")) };
        assert_eq!(m.state_on(d("2026-02-05")), MilestoneState::Overdue);
        assert_eq!(m.state_on(d("2026-02-10")), MilestoneState::Done);
        assert_eq!(overdue_milestones(&[], d("2026-02-10")), None);
        assert_eq!(
            overdue_milestones(&[m, MilestoneFact { due: d("2026-01-01"), done: None }], d("2026-02-05")),
            Some(2.0)
        );
    }

    #[test]
    fn templates_plan_from_their_anchor() {
        let t = JourneyTemplate {
            anchor: Anchor::Renewal,
            milestones: vec![TemplateMilestone { name: "Renewal call".into(), day: -90 }],
        };
        assert_eq!(plan(&t, None, Some(d("2027-03-31"))).unwrap(), vec![("Renewal call".to_string(), d("2026-12-31"))]);
        assert!(plan(&t, Some(d("2026-01-01")), None).unwrap_err().contains("renewal date"));
    }
}
