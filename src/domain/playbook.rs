//! Playbooks: when a trigger fires for an account, a set of tasks opens, due some days after.
//! They open once per episode: not again while the trigger still holds, and again only after it
//! has stopped holding and fires anew.

use serde::{Deserialize, Serialize};

use super::account::LifecycleStage;
use super::band::HealthBand;
use super::catalog::Catalog;

/// What fires a playbook: a rule of triage, with the playbook's own thresholds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerKind {
    /// The band is one of `bands` (Orange or Red unless listed).
    Band,
    /// The score fell at least `points` over `days`.
    Drop,
    /// The renewal is `days` away or less (and not past).
    Renewal,
    /// A risk flag is open.
    Risk,
    /// No touch within `days`, or the segment's cadence (`triage.touch_cadence_days`).
    NoTouch,
    /// The score's factor `factor` is at 1 point.
    Factor,
    /// A champion left (a contact with the champion role marked left).
    ChampionLeft,
}

impl TriggerKind {
    pub const ALL: [TriggerKind; 7] = [
        TriggerKind::Band,
        TriggerKind::Drop,
        TriggerKind::Renewal,
        TriggerKind::Risk,
        TriggerKind::NoTouch,
        TriggerKind::Factor,
        TriggerKind::ChampionLeft,
    ];

    pub fn key(self) -> &'static str {
        match self {
            TriggerKind::Band => "band",
            TriggerKind::Drop => "drop",
            TriggerKind::Renewal => "renewal",
            TriggerKind::Risk => "risk",
            TriggerKind::NoTouch => "no_touch",
            TriggerKind::Factor => "factor",
            TriggerKind::ChampionLeft => "champion_left",
        }
    }
}

/// One task a playbook opens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaybookTask {
    pub title: String,
    /// Days after the trigger fired that it is due (0: that day).
    #[serde(default)]
    pub due_days: i64,
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Playbook {
    pub name: String,
    pub trigger: TriggerKind,
    /// For `band`: the bands that fire it [default: orange and red].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bands: Vec<HealthBand>,
    /// For `drop`: how many points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<i32>,
    /// For `drop`: over how many days; for `renewal`: within how many days; for `no_touch`:
    /// days without a touch [default: the segment's cadence].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
    /// For `factor`: the factor's key in `[health.factors]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<String>,
    /// Only the accounts of these segments [default: every segment].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<String>,
    /// Only the accounts at these lifecycle stages [default: every stage]: "onboarding accounts
    /// with no touch in 14 days" could not be said.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<LifecycleStage>,
    pub tasks: Vec<PlaybookTask>,
}

/// What the triggers read of one account today.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TriggerFacts {
    pub band: Option<HealthBand>,
    /// The like-for-like score change over each window back (days, points), where both days
    /// have a score.
    pub changes: Vec<(i64, i32)>,
    pub days_to_renewal: Option<i64>,
    pub open_risks: u32,
    /// Days since the last touch, None while touches are not tracked.
    pub days_since_touch: Option<i64>,
    pub cadence: i64,
    /// Keys of the score's factors at 1 point.
    pub lowest: Vec<String>,
    pub champions_left: u32,
    /// The account's segment, shared with its row (no copy per account on a run over a million).
    pub segment: std::sync::Arc<str>,
    /// Its lifecycle stage where a playbook asks about stages (None: not read, or a stage none
    /// asks about).
    pub stage: Option<LifecycleStage>,
}

impl Playbook {
    fn bands(&self) -> Vec<HealthBand> {
        match self.bands.is_empty() {
            true => vec![HealthBand::Orange, HealthBand::Red],
            false => self.bands.clone(),
        }
    }

    /// Whether the account is one this playbook is for: of its segments and stages, if it names
    /// any.
    pub fn applies_to(&self, f: &TriggerFacts) -> bool {
        (self.segments.is_empty() || self.segments.iter().any(|s| s.trim().eq_ignore_ascii_case(&f.segment[..])))
            && (self.stages.is_empty() || f.stage.is_some_and(|s| self.stages.contains(&s)))
    }

    /// Whether the trigger holds for an account with these facts (and the account is one the
    /// playbook is for).
    pub fn fires(&self, f: &TriggerFacts) -> bool {
        if !self.applies_to(f) {
            return false;
        }
        match self.trigger {
            TriggerKind::Band => f.band.is_some_and(|b| self.bands().contains(&b)),
            TriggerKind::Drop => {
                let (points, days) = (self.points.unwrap_or(10), self.days.unwrap_or(30));
                f.changes.iter().any(|(window, change)| *window == days && *change <= -points)
            }
            TriggerKind::Renewal => f.days_to_renewal.is_some_and(|d| (0..=self.days.unwrap_or(90)).contains(&d)),
            TriggerKind::Risk => f.open_risks > 0,
            TriggerKind::NoTouch => f.days_since_touch.is_some_and(|d| d > self.days.unwrap_or(f.cadence)),
            TriggerKind::Factor => self.factor.as_ref().is_some_and(|k| f.lowest.contains(k)),
            TriggerKind::ChampionLeft => f.champions_left > 0,
        }
    }

    /// The trigger in words: "band Orange or Red", "a fall of 10 points in 30 days".
    pub fn describe(&self, catalog: &Catalog) -> String {
        match self.trigger {
            TriggerKind::Band => {
                let names: Vec<&str> = self.bands().iter().map(|b| b.label()).collect();
                format!("band {}", names.join(" or "))
            }
            TriggerKind::Drop => {
                format!("a fall of {} points in {} days", self.points.unwrap_or(10), self.days.unwrap_or(30))
            }
            TriggerKind::Renewal => format!("renewal within {} days", self.days.unwrap_or(90)),
            TriggerKind::Risk => "a risk flag open".to_string(),
            TriggerKind::NoTouch => match self.days {
                Some(days) => format!("no touch in {days} days"),
                None => "no touch within the cadence".to_string(),
            },
            TriggerKind::Factor => {
                let key = self.factor.as_deref().unwrap_or("");
                let label = catalog.id(key).map_or(key, |id| catalog.label(id));
                format!("{label} at 1 point")
            }
            TriggerKind::ChampionLeft => "a champion left".to_string(),
        }
    }

    /// The windows (days back) this playbook compares scores over.
    pub fn window(&self) -> Option<i64> {
        (self.trigger == TriggerKind::Drop).then(|| self.days.unwrap_or(30))
    }
}

/// Everything wrong with the playbooks, as (key under `playbooks`, "[0].days", reason).
pub fn problems(playbooks: &[Playbook], catalog: &Catalog, segments: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, p) in playbooks.iter().enumerate() {
        let key = |field: &str| format!("[{i}].{field}");
        if p.name.trim().is_empty() {
            out.push((key("name"), "a playbook needs a name".into()));
        } else if playbooks[..i].iter().any(|q| q.name.trim().eq_ignore_ascii_case(p.name.trim())) {
            out.push((key("name"), format!("\"{}\" names two playbooks", p.name)));
        }
        let needs = |field: &str, given: bool, out: &mut Vec<(String, String)>| {
            if !given {
                out.push((key(field), format!("the {} trigger needs {field}", p.trigger.key())));
            }
        };
        let unused = |field: &str, given: bool, out: &mut Vec<(String, String)>| {
            if given {
                out.push((key(field), format!("the {} trigger does not read {field}", p.trigger.key())));
            }
        };
        match p.trigger {
            TriggerKind::Drop => {
                needs("points", p.points.is_some(), &mut out);
                needs("days", p.days.is_some(), &mut out);
            }
            TriggerKind::Renewal => needs("days", p.days.is_some(), &mut out),
            TriggerKind::Factor => needs("factor", p.factor.is_some(), &mut out),
            _ => {}
        }
        unused("bands", p.trigger != TriggerKind::Band && !p.bands.is_empty(), &mut out);
        unused("points", p.trigger != TriggerKind::Drop && p.points.is_some(), &mut out);
        let reads_days = matches!(p.trigger, TriggerKind::Drop | TriggerKind::Renewal | TriggerKind::NoTouch);
        unused("days", !reads_days && p.days.is_some(), &mut out);
        unused("factor", p.trigger != TriggerKind::Factor && p.factor.is_some(), &mut out);
        if let Some(points) = p.points.filter(|v| !(1..=100).contains(v)) {
            out.push((key("points"), format!("must be 1-100 points, not {points}")));
        }
        if let Some(days) = p.days.filter(|v| !(1..=3650).contains(v)) {
            out.push((key("days"), format!("must be 1-3650 days, not {days}")));
        }
        if let Some(factor) = &p.factor
            && catalog.id(factor).is_none()
        {
            let known: Vec<&str> = catalog.ids().map(|id| catalog.key(id)).collect();
            out.push((key("factor"), format!("no factor \"{factor}\" in [health.factors] ({})", known.join(", "))));
        }
        for (j, name) in p.segments.iter().enumerate() {
            if !segments.iter().any(|s| s.eq_ignore_ascii_case(name.trim())) {
                let near = crate::text::closest(name, segments.iter().copied(), 0.75);
                // The likely one first: a status line cut the hint off after the list.
                let hint = near.first().map(|n| format!(": did you mean {n}?")).unwrap_or_default();
                out.push((
                    format!("[{i}].segments[{j}]"),
                    format!("no segment \"{name}\"{hint} (the segments are {})", segments.join(", ")),
                ));
            }
        }
        if p.tasks.is_empty() {
            out.push((key("tasks"), "a playbook opens at least one task".into()));
        }
        for (j, t) in p.tasks.iter().enumerate() {
            if t.title.trim().is_empty() {
                out.push((format!("[{i}].tasks[{j}].title"), "a task needs a title".into()));
            }
            if !(0..=365).contains(&t.due_days) {
                out.push((format!("[{i}].tasks[{j}].due_days"), format!("must be 0-365 days, not {}", t.due_days)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn playbook(trigger: TriggerKind) -> Playbook {
        Playbook {
            name: "p".into(),
            trigger,
            bands: Vec::new(),
            points: None,
            days: None,
            factor: None,
            segments: Vec::new(),
            stages: Vec::new(),
            tasks: vec![PlaybookTask { title: "Call".into(), due_days: 2, note: String::new() }],
        }
    }

    #[test]
    fn each_trigger_reads_its_own_fact() {
        let quiet = TriggerFacts { cadence: 30, ..Default::default() };
        for kind in TriggerKind::ALL {
            assert!(!playbook(kind).fires(&quiet), "{kind:?} fires on nothing");
        }
        let band = playbook(TriggerKind::Band);
        assert!(band.fires(&TriggerFacts { band: Some(HealthBand::Orange), ..quiet.clone() }));
        assert!(!band.fires(&TriggerFacts { band: Some(HealthBand::Yellow), ..quiet.clone() }));
        let red_only = Playbook { bands: vec![HealthBand::Red], ..band };
        assert!(!red_only.fires(&TriggerFacts { band: Some(HealthBand::Orange), ..quiet.clone() }));

        let drop = Playbook { points: Some(10), days: Some(30), ..playbook(TriggerKind::Drop) };
        assert!(drop.fires(&TriggerFacts { changes: vec![(7, -3), (30, -10)], ..quiet.clone() }));
        assert!(!drop.fires(&TriggerFacts { changes: vec![(7, -12), (30, -9)], ..quiet.clone() }));

        let renewal = Playbook { days: Some(60), ..playbook(TriggerKind::Renewal) };
        assert!(renewal.fires(&TriggerFacts { days_to_renewal: Some(60), ..quiet.clone() }));
        assert!(!renewal.fires(&TriggerFacts { days_to_renewal: Some(61), ..quiet.clone() }));
        // A renewal already past is a triage reason, not the start of a renewal playbook.
        assert!(!renewal.fires(&TriggerFacts { days_to_renewal: Some(-5), ..quiet.clone() }));

        assert!(playbook(TriggerKind::Risk).fires(&TriggerFacts { open_risks: 1, ..quiet.clone() }));
        assert!(playbook(TriggerKind::NoTouch).fires(&TriggerFacts { days_since_touch: Some(31), ..quiet.clone() }));
        assert!(!playbook(TriggerKind::NoTouch).fires(&TriggerFacts { days_since_touch: Some(30), ..quiet.clone() }));
        let factor = Playbook { factor: Some("sentiment".into()), ..playbook(TriggerKind::Factor) };
        assert!(factor.fires(&TriggerFacts { lowest: vec!["sentiment".into()], ..quiet.clone() }));
        assert!(!factor.fires(&TriggerFacts { lowest: vec!["nps".into()], ..quiet.clone() }));
        assert!(playbook(TriggerKind::ChampionLeft).fires(&TriggerFacts { champions_left: 1, ..quiet.clone() }));
        // A no_touch playbook's own days over the segment's cadence.
        let two_weeks = Playbook { days: Some(14), ..playbook(TriggerKind::NoTouch) };
        assert!(two_weeks.fires(&TriggerFacts { days_since_touch: Some(15), ..quiet.clone() }));
        assert!(!playbook(TriggerKind::NoTouch).fires(&TriggerFacts { days_since_touch: Some(15), ..quiet.clone() }));
    }

    #[test]
    fn a_playbook_scoped_to_segments_and_stages_fires_on_those_accounts_only() {
        use crate::domain::LifecycleStage::{Adoption, Onboarding};
        let risk = TriggerFacts { open_risks: 1, cadence: 30, segment: "Deer".into(), ..Default::default() };
        let scoped =
            Playbook { segments: vec!["deer".into()], stages: vec![Onboarding], ..playbook(TriggerKind::Risk) };
        assert!(scoped.fires(&TriggerFacts { stage: Some(Onboarding), ..risk.clone() }), "any case of its name");
        assert!(!scoped.fires(&TriggerFacts { stage: Some(Adoption), ..risk.clone() }));
        assert!(!scoped.fires(&TriggerFacts { stage: None, ..risk.clone() }));
        let elephant = TriggerFacts { segment: "Elephant".into(), stage: Some(Onboarding), ..risk.clone() };
        assert!(!scoped.fires(&elephant));
        assert!(playbook(TriggerKind::Risk).fires(&elephant), "a playbook scoped to nothing is for every account");
    }

    #[test]
    fn a_playbook_is_checked_against_its_trigger_and_the_catalog() {
        let catalog = Catalog::default();
        let ok = Playbook { points: Some(10), days: Some(30), ..playbook(TriggerKind::Drop) };
        let segments = ["Elephant", "Deer", "Unsegmented"];
        assert!(problems(std::slice::from_ref(&ok), &catalog, &segments).is_empty());
        let keys = |p: Playbook| problems(&[p], &catalog, &segments).into_iter().map(|(k, _)| k).collect::<Vec<_>>();
        assert_eq!(keys(playbook(TriggerKind::Drop)), ["[0].points", "[0].days"]);
        assert_eq!(keys(Playbook { factor: Some("nope".into()), ..playbook(TriggerKind::Factor) }), ["[0].factor"]);
        assert_eq!(keys(Playbook { days: Some(3), ..playbook(TriggerKind::Risk) }), ["[0].days"]);
        assert_eq!(keys(Playbook { tasks: Vec::new(), ..playbook(TriggerKind::Risk) }), ["[0].tasks"]);
        // A no_touch playbook reads days (its own cadence); a segment must be one of the config's.
        assert!(keys(Playbook { days: Some(14), ..playbook(TriggerKind::NoTouch) }).is_empty());
        let elefant = Playbook { segments: vec!["Elefant".into()], ..playbook(TriggerKind::Risk) };
        let said = problems(&[elefant], &catalog, &segments);
        assert_eq!(said[0].0, "[0].segments[0]");
        assert!(
            said[0].1.contains("no segment \"Elefant\"") && said[0].1.contains("did you mean Elephant?"),
            "{said:?}"
        );
        let twice = problems(&[ok.clone(), ok], &catalog, &segments);
        assert_eq!(twice.len(), 1, "{twice:?}");
        assert!(twice[0].1.contains("names two playbooks"));
    }
}
