//! Customer journeys as milestones, and the templates that plan them.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// A journey is named by the team's config (`[journeys.templates.NAME]`): onboarding, adoption,
/// renewal, expansion and advocacy by default, or any name of their own ("qbr", "pilot"). A
/// milestone keeps its journey's name even after the template is gone.
pub type Journey = String;

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

/// How many milestones are overdue on `as_of`; None for an account none of whose milestones has
/// passed its day or been done by then. A plan of milestones all ahead says nothing of how the
/// account keeps them yet: writing one down must not lift its health ("0 overdue" as first data),
/// nor one due today, which is not late until the day is over.
pub fn overdue_milestones(milestones: &[MilestoneFact], as_of: NaiveDate) -> Option<f64> {
    if !milestones.iter().any(|m| m.due < as_of || m.done.is_some_and(|d| d <= as_of)) {
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
    /// In the config's order (the lifecycle order of the defaults), as forms offer them.
    pub templates: indexmap::IndexMap<Journey, JourneyTemplate>,
}

impl JourneysConfig {
    /// The journeys the config defines, by name.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.templates.keys().map(String::as_str)
    }

    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for j in &self.apply_to_new {
            if !self.templates.contains_key(j) {
                out.push(("apply_to_new".into(), format!("no template for journey \"{j}\"")));
            }
        }
        for (j, t) in &self.templates {
            if j.trim().is_empty() || j.trim() != j || j.chars().any(char::is_control) {
                out.push((format!("templates.{j}"), "a journey needs a name without outer spaces".into()));
            }
            let mut names: Vec<&str> = t.milestones.iter().map(|m| m.name.trim()).collect();
            if names.iter().any(|n| n.is_empty()) {
                out.push((format!("templates.{j}.milestones"), "every milestone needs a name".into()));
            }
            if let Some(m) = t.milestones.iter().find(|m| m.day.abs() > MAX_TEMPLATE_DAY) {
                out.push((
                    format!("templates.{j}.milestones"),
                    format!("\"{}\": day {} is more than {MAX_TEMPLATE_DAY} days from its anchor", m.name, m.day),
                ));
            }
            names.sort();
            if names.windows(2).any(|w| w[0] == w[1]) {
                out.push((format!("templates.{j}.milestones"), "milestone names must be unique".into()));
            }
        }
        out
    }
}

/// A template milestone lies at most this many days (ten years) from its anchor.
pub const MAX_TEMPLATE_DAY: i64 = 3650;

/// A renewal date moved on by at least this many days is the next term's (the contract renewed),
/// not a date corrected by a few weeks.
pub const NEW_TERM_DAYS: i64 = 180;

/// The note a renewal on `day` adds to the renewed term's milestones it marks done (by hand or
/// by an import, on either book).
pub fn done_with_renewal(day: NaiveDate) -> String {
    format!("done with the renewal of {day}")
}

/// Whether a renewal date going from `before` to `after` starts a new term.
pub fn new_term(before: Option<NaiveDate>, after: Option<NaiveDate>) -> bool {
    matches!((before, after), (Some(b), Some(a)) if (a - b).num_days() >= NEW_TERM_DAYS)
}

impl JourneysConfig {
    /// The journeys a renewal plans again for its next term: those anchored on the renewal date
    /// that new accounts get, and those of them `held` names (an account's own journeys), in the
    /// config's order. A renewal journey planned for one term only left every renewed account
    /// without a renewal call for the next.
    pub fn renewal_journeys<'a>(
        &'a self,
        held: &'a [&str],
    ) -> impl Iterator<Item = (&'a str, &'a JourneyTemplate)> + 'a {
        self.templates
            .iter()
            .filter(move |(j, t)| {
                t.anchor == Anchor::Renewal && (self.apply_to_new.contains(j) || held.contains(&j.as_str()))
            })
            .map(|(j, t)| (j.as_str(), t))
    }

    /// The milestones still ahead of the next term's renewal journeys (`renewal_journeys`) for a
    /// renewal date of `renewal`, as (journey, milestone, due).
    pub fn next_term_plan<'a>(
        &'a self,
        held: &'a [&str],
        start: Option<NaiveDate>,
        renewal: NaiveDate,
        today: NaiveDate,
    ) -> Vec<(&'a str, &'a str, NaiveDate)> {
        let mut out = Vec::new();
        for (j, t) in self.renewal_journeys(held) {
            out.extend(plan_ahead(t, start, Some(renewal), today).into_iter().map(|(n, d)| (j, n, d)));
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
    template
        .milestones
        .iter()
        .map(|m| {
            let due = Duration::try_days(m.day).and_then(|d| anchor.checked_add_signed(d));
            due.map(|due| (m.name.clone(), due)).ok_or_else(|| format!("\"{}\" falls outside the calendar", m.name))
        })
        .collect()
}

/// The milestones of `plan` due on or after the first day they may be (today, or the start when
/// later), with their names borrowed from the template: what an import plans for each of a
/// million new accounts. Nothing when the template cannot be planned for the account.
pub fn plan_ahead(
    template: &JourneyTemplate,
    start: Option<NaiveDate>,
    renewal: Option<NaiveDate>,
    today: NaiveDate,
) -> Vec<(&str, NaiveDate)> {
    let Some(anchor) = anchor_of(template, start, renewal) else { return Vec::new() };
    let first = start.map_or(today, |s| s.max(today));
    let mut ahead = Vec::with_capacity(template.milestones.len());
    for due in dues(template, anchor) {
        // As `plan`: a milestone outside the calendar leaves the whole journey unplanned.
        let Some((name, due)) = due else { return Vec::new() };
        if due >= first {
            ahead.push((name, due));
        }
    }
    ahead
}

/// The milestones of `plan` an import leaves out though their journey is still under way: due
/// before today (or the start) while the day it is anchored on is to come ("Renewal call" 90
/// days before a renewal in 69 days), or while a later milestone of it is (a customer of five
/// weeks, whose "Kickoff call" and "Admin training" are past and "90-day review" ahead: a probe's
/// import said 1 step of 30 accounts' left out). Said by the import, not planned overdue: how
/// many, and the first. Worked out for each of a million new accounts, so nothing is allocated.
pub fn passed_under_way(
    template: &JourneyTemplate,
    start: Option<NaiveDate>,
    renewal: Option<NaiveDate>,
    today: NaiveDate,
) -> (usize, Option<(&str, NaiveDate)>) {
    let Some(anchor) = anchor_of(template, start, renewal) else { return (0, None) };
    let first = start.map_or(today, |s| s.max(today));
    let mut passed = (0, None);
    let mut ahead = anchor >= today;
    for due in dues(template, anchor) {
        let Some((name, due)) = due else { return (0, None) };
        if due < first {
            passed.0 += 1;
            passed.1 = passed.1.or(Some((name, due)));
        } else {
            ahead = true;
        }
    }
    if ahead { passed } else { (0, None) }
}

/// `plan_ahead`, or every milestone of a journey still under way (`passed_under_way`), those
/// already past overdue: an import's `--include-past`. With how many are past.
pub fn plan_under_way(
    template: &JourneyTemplate,
    start: Option<NaiveDate>,
    renewal: Option<NaiveDate>,
    today: NaiveDate,
) -> (Vec<(&str, NaiveDate)>, usize) {
    let (past, _) = passed_under_way(template, start, renewal, today);
    let Some(anchor) = anchor_of(template, start, renewal).filter(|_| past > 0) else {
        return (plan_ahead(template, start, renewal, today), 0);
    };
    (dues(template, anchor).flatten().collect(), past)
}

/// The day a template is anchored on for an account: its start or its renewal.
fn anchor_of(template: &JourneyTemplate, start: Option<NaiveDate>, renewal: Option<NaiveDate>) -> Option<NaiveDate> {
    match template.anchor {
        Anchor::Start => start,
        Anchor::Renewal => renewal,
    }
}

/// Each milestone of a template with its due day from `anchor`; None for one outside the
/// calendar.
fn dues(template: &JourneyTemplate, anchor: NaiveDate) -> impl Iterator<Item = Option<(&str, NaiveDate)>> {
    template
        .milestones
        .iter()
        .map(move |m| Some((m.name.as_str(), Duration::try_days(m.day).and_then(|d| anchor.checked_add_signed(d))?)))
}

/// A plan split at the first day it may be due on: what is still ahead, and what would already
/// be overdue. Nothing an import or an apply plans is overdue on the day it is planned, unless
/// asked for (`--include-past`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SplitPlan {
    pub ahead: Vec<(String, NaiveDate)>,
    pub past: Vec<(String, NaiveDate)>,
}

/// Split planned milestones: due on or after `today` (or the customer's start, if later) is ahead.
pub fn split_plan(planned: Vec<(String, NaiveDate)>, today: NaiveDate, start: Option<NaiveDate>) -> SplitPlan {
    let first = start.map_or(today, |s| s.max(today));
    let (ahead, past) = planned.into_iter().partition(|(_, due)| *due >= first);
    SplitPlan { ahead, past }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// A renewal date a term on is a new term, one corrected by weeks is not; the next term plans
    /// the renewal journeys new accounts get and those the account holds, and no other.
    #[test]
    fn the_next_term_plans_the_renewal_journeys_new_accounts_get_or_the_account_holds() {
        assert!(new_term(Some(d("2026-12-20")), Some(d("2027-12-20"))));
        assert!(new_term(Some(d("2026-12-20")), Some(d("2027-06-18"))));
        assert!(!new_term(Some(d("2026-12-20")), Some(d("2027-01-20"))));
        assert!(!new_term(Some(d("2027-12-20")), Some(d("2026-12-20"))));
        assert!(!new_term(None, Some(d("2027-12-20"))));
        let milestone = |name: &str, day: i64| TemplateMilestone { name: name.into(), day };
        let template = |anchor, milestones| JourneyTemplate { anchor, milestones };
        let mut templates = indexmap::IndexMap::new();
        templates.insert("onboarding".to_string(), template(Anchor::Start, vec![milestone("Kickoff", 0)]));
        templates.insert("renewal".to_string(), template(Anchor::Renewal, vec![milestone("Call", -90)]));
        templates.insert("qbr".to_string(), template(Anchor::Renewal, vec![milestone("Exec QBR", -120)]));
        let config = JourneysConfig { apply_to_new: vec!["onboarding".into(), "renewal".into()], templates };
        let today = d("2026-12-05");
        let start = Some(d("2020-01-01"));
        assert_eq!(config.next_term_plan(&[], start, d("2027-12-20"), today), [("renewal", "Call", d("2027-09-21"))]);
        assert_eq!(
            config.next_term_plan(&["qbr", "onboarding"], start, d("2027-12-20"), today),
            [("renewal", "Call", d("2027-09-21")), ("qbr", "Exec QBR", d("2027-08-22"))]
        );
        // Only what is still ahead: a renewal in 60 days has its call behind it.
        assert!(config.next_term_plan(&[], start, d("2027-02-03"), today).is_empty());
    }

    /// What an import plans (`plan_ahead`) is what `plan` then `split_plan` give, for starts long
    /// ago, today and ahead, renewals past and future, a missing anchor and a day off the calendar.
    #[test]
    fn plan_ahead_is_the_plan_split_at_its_first_day() {
        let milestone = |name: &str, day: i64| TemplateMilestone { name: name.into(), day };
        let start_anchored = JourneyTemplate {
            anchor: Anchor::Start,
            milestones: vec![milestone("Kickoff", 0), milestone("Live", 30), milestone("QBR", 120)],
        };
        let renewal_anchored = JourneyTemplate {
            anchor: Anchor::Renewal,
            milestones: vec![milestone("Prep", -90), milestone("Call", -30)],
        };
        let off_calendar =
            JourneyTemplate { anchor: Anchor::Start, milestones: vec![milestone("Never", i64::MAX / 2)] };
        let today = d("2026-11-23");
        let days = [None, Some(d("2016-03-01")), Some(d("2026-10-30")), Some(today), Some(d("2027-02-01"))];
        let mut compared = 0;
        for t in [&start_anchored, &renewal_anchored, &off_calendar] {
            for start in days {
                for renewal in days {
                    let expected: Vec<(String, NaiveDate)> = match plan(t, start, renewal) {
                        Ok(planned) => split_plan(planned, today, start).ahead,
                        Err(_) => Vec::new(),
                    };
                    let got: Vec<(String, NaiveDate)> =
                        plan_ahead(t, start, renewal, today).into_iter().map(|(n, d)| (n.to_string(), d)).collect();
                    assert_eq!(got, expected, "start {start:?} renewal {renewal:?}");
                    compared += usize::from(!expected.is_empty());
                }
            }
        }
        assert!(compared > 10, "some plans have milestones ahead");
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
        // A plan all ahead is no evidence yet, nor one due today (not late until the day is
        // over); one overdue, or done (early or on its day), is.
        let ahead = MilestoneFact { due: d("2026-03-01"), done: None };
        assert_eq!(overdue_milestones(&[ahead], d("2026-02-05")), None);
        let today = MilestoneFact { due: d("2026-02-05"), done: None };
        assert_eq!(overdue_milestones(&[ahead, today], d("2026-02-05")), None);
        assert_eq!(overdue_milestones(&[ahead, today], d("2026-02-06")), Some(1.0));
        let kept = MilestoneFact { due: d("2026-02-05"), done: Some(d("2026-02-05")) };
        assert_eq!(overdue_milestones(&[ahead, kept], d("2026-02-05")), Some(0.0));
        let early = MilestoneFact { due: d("2026-03-01"), done: Some(d("2026-02-03")) };
        assert_eq!(overdue_milestones(&[ahead, early], d("2026-02-05")), Some(0.0));
        assert_eq!(overdue_milestones(&[ahead], d("2026-03-02")), Some(1.0));
    }

    #[test]
    fn only_what_is_still_ahead_is_planned() {
        let t = JourneyTemplate {
            anchor: Anchor::Start,
            milestones: vec![
                TemplateMilestone { name: "Kickoff".into(), day: 0 },
                TemplateMilestone { name: "90-day review".into(), day: 90 },
            ],
        };
        // A customer since 2019: both milestones lie in the past.
        let old = split_plan(plan(&t, Some(d("2019-03-01")), None).unwrap(), d("2026-11-30"), Some(d("2019-03-01")));
        assert!(old.ahead.is_empty());
        assert_eq!(old.past.len(), 2);
        // Since last week: the kickoff was last week (past), the review is ahead.
        let new = split_plan(plan(&t, Some(d("2026-11-23")), None).unwrap(), d("2026-11-30"), Some(d("2026-11-23")));
        assert_eq!(new.ahead, vec![("90-day review".to_string(), d("2027-02-21"))]);
        // Starting next month: everything is ahead, the kickoff on its day.
        let future = split_plan(plan(&t, Some(d("2026-12-15")), None).unwrap(), d("2026-11-30"), Some(d("2026-12-15")));
        assert_eq!(future.ahead.len(), 2);
        // A day beyond the calendar is refused, not a panic.
        let far = JourneyTemplate {
            anchor: Anchor::Start,
            milestones: vec![TemplateMilestone { name: "Far".into(), day: i64::from(i32::MAX) }],
        };
        assert!(plan(&far, Some(d("2026-01-01")), None).is_err());
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
