//! Morning triage: which accounts need their CSM today, why, and in what order.
//!
//! Each rule gives a reason with a weight; an account's need is the sum of its reasons' weights
//! times an ARR weight, `1 + log10(1 + ARR / 1,000)` (1 at $0, 2 at about $10k, 3 at $100k,
//! 4 at $1M), so a large account with one reason ranks near a small one with several.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::band::HealthBand;
use super::catalog::Catalog;
use super::history::Mover;

/// How much each kind of reason weighs in the ranking.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonWeights {
    pub red: f64,
    pub orange: f64,
    pub drop: f64,
    pub renewal: f64,
    pub overdue_milestone: f64,
    pub goal_off_track: f64,
    pub no_touch: f64,
    pub risk_open: f64,
    pub stale: f64,
    /// Stale usage data: an account's feed stopped while the book's went on. What its usage
    /// says is not known, on an account whose score may still read Green from before.
    pub stale_usage: f64,
    pub task_due: f64,
    pub champion_left: f64,
    /// The CSM's own sentiment at its worst points on a scored account.
    pub low_sentiment: f64,
    /// A factor of `collapse_factors` at its worst points (a week's active users fallen by most).
    #[serde(default = "default_collapse_weight")]
    pub collapse: f64,
    /// An active account nobody owns: no one will call it until a lead hands it to a CSM.
    #[serde(default = "default_no_csm_weight")]
    pub no_csm: f64,
}

fn default_collapse_weight() -> f64 {
    4.0
}

fn default_no_csm_weight() -> f64 {
    1.0
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriageConfig {
    /// Bands that are a reason on their own.
    pub bands: Vec<HealthBand>,
    /// A fall of at least this many points within one of `drop_windows` days is a reason.
    pub drop_points: i32,
    pub drop_windows: Vec<i64>,
    /// A renewal within this many days while not Green (or Green on thin data) is a reason.
    pub renewal_days: i64,
    /// Days without a touch after which an account is due one, by segment name.
    pub touch_cadence_days: BTreeMap<String, i64>,
    /// The cadence of segments not listed above.
    pub default_touch_cadence_days: i64,
    /// Days a snooze lasts unless the CSM says otherwise.
    pub snooze_days: i64,
    /// How many items a morning's list shows, most need first (0: all of them); the rest are
    /// counted below it, one key away.
    pub daily_limit: usize,
    /// Factors (by key) at their worst points that are a reason on their own, whether or not they
    /// weigh in the score: a collapse the month's averages hide (265 active users to 5 in four
    /// days read "+30%" and stayed Green).
    #[serde(default)]
    pub collapse_factors: Vec<String>,
    pub weights: ReasonWeights,
}

impl TriageConfig {
    pub fn cadence_for(&self, segment: &str) -> i64 {
        self.touch_cadence_days.get(segment).copied().unwrap_or(self.default_touch_cadence_days)
    }

    /// Touch cadences of segments no scheme has: a misspelt "Elephnat = 14" left Elephants on
    /// the default cadence without a word.
    pub fn unknown_segments(&self, names: &[&str]) -> Vec<(String, String)> {
        self.touch_cadence_days
            .keys()
            .filter(|s| !names.contains(&s.as_str()))
            .map(|s| {
                let near = crate::text::closest(s, names.iter().copied(), 0.8);
                let hint = near.first().map_or(String::new(), |n| format!("did you mean {n}? "));
                (
                    format!("touch_cadence_days.{s}"),
                    format!("no segment \"{}\" ({hint}segments: {})", crate::text::clean(s), names.join(", ")),
                )
            })
            .collect()
    }

    /// Keys of `collapse_factors` no factor of the catalog has, with the one each is near.
    pub fn unknown_factors(&self, catalog: &Catalog) -> Vec<(String, String)> {
        self.collapse_factors
            .iter()
            .filter(|k| catalog.id(k).is_none())
            .map(|k| {
                let near = crate::text::closest(k, catalog.defs.iter().map(|d| d.key.as_str()), 0.8);
                let hint = near.first().map_or(String::new(), |n| format!(" (did you mean {n}?)"));
                ("collapse_factors".to_string(), format!("no factor is called \"{}\"{hint}", crate::text::clean(k)))
            })
            .collect()
    }

    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let days = |key: &str, v: i64, out: &mut Vec<(String, String)>| {
            if !(1..=3650).contains(&v) {
                out.push((key.to_string(), format!("must be 1-3650 days, not {v}")));
            }
        };
        if !(1..=100).contains(&self.drop_points) {
            out.push(("drop_points".into(), format!("must be 1-100 points, not {}", self.drop_points)));
        }
        for w in &self.drop_windows {
            days("drop_windows", *w, &mut out);
        }
        days("renewal_days", self.renewal_days, &mut out);
        days("default_touch_cadence_days", self.default_touch_cadence_days, &mut out);
        days("snooze_days", self.snooze_days, &mut out);
        if self.daily_limit > 10_000 {
            out.push(("daily_limit".into(), format!("must be 0 (all) to 10000 items, not {}", self.daily_limit)));
        }
        for (segment, v) in &self.touch_cadence_days {
            days(&format!("touch_cadence_days.{segment}"), *v, &mut out);
        }
        let w = &self.weights;
        for (key, v) in [
            ("red", w.red),
            ("orange", w.orange),
            ("drop", w.drop),
            ("renewal", w.renewal),
            ("overdue_milestone", w.overdue_milestone),
            ("goal_off_track", w.goal_off_track),
            ("no_touch", w.no_touch),
            ("risk_open", w.risk_open),
            ("stale", w.stale),
            ("stale_usage", w.stale_usage),
            ("task_due", w.task_due),
            ("champion_left", w.champion_left),
            ("low_sentiment", w.low_sentiment),
            ("collapse", w.collapse),
            ("no_csm", w.no_csm),
        ] {
            if !v.is_finite() || v < 0.0 {
                out.push((format!("weights.{key}"), format!("must be 0 or more, not {v}")));
            }
        }
        out
    }
}

/// Why an account needs attention.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Reason {
    Band(HealthBand),
    /// A fall over a window, with the factor that moved ("-18 in 30 days: ...").
    Drop(Mover),
    Renewal {
        days: i64,
        band: Option<HealthBand>,
        /// No band for too little data (rather than none at all).
        low_data: bool,
        /// The band is a reason of its own on the same item ("Orange health"): not said twice.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        band_said: bool,
        /// The band stands on thin data (`Coverage::is_thin`): a Green renewal is a reason then.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        thin: bool,
    },
    OverdueMilestones(u32),
    GoalsOffTrack(u32),
    /// Goals still open (on track or at risk) whose target day has passed.
    GoalsPastTarget(u32),
    /// No score today, where it had one this many days ago (the smallest drop window that had):
    /// its data went stale, or the new customers' (jumpstart) score ended and the standard one has
    /// too little data. A probe's two Green accounts went "low data" at day 90 with nothing said.
    ScoreLost {
        score: u8,
        days: i64,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        jumpstart_ended: bool,
    },
    /// Days since the last touch (or since the start, when tracked but never touched) against the
    /// segment's cadence.
    NoTouch {
        days: i64,
        cadence: i64,
        /// A fall of its own on the same item already names the touch factor's days ("Days since
        /// touch 7d -> 37d"): only the cadence is said.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        days_said: bool,
        /// No touch has been logged: the days are those tend has tracked the account (since its
        /// first entry), and the last touch, before, may be older.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        never_logged: bool,
        /// Counted from the day it became a customer, where its first entry is older (an entry
        /// from before the sale): "since its first entry 72 days ago" read wrong of an account whose
        /// one entry was 166 days old.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        from_start: bool,
    },
    RiskOpen(u32),
    /// Factors whose data is older than their `stale_after_days`.
    Stale(Vec<String>),
    /// No score for too little data, and factors with data at their worst (labels): an account
    /// nobody has logged anything on was invisible however bad its usage.
    AtWorst(Vec<String>),
    /// A Yellow or Green score on thin data, and factors with data at their worst (labels): a
    /// probe's unscored account, its active users at the worst, fell from first to fifteenth on
    /// its list when the CSM logged an unhappy sentiment that made a thin Yellow of it.
    ThinAtWorst {
        band: HealthBand,
        factors: Vec<String>,
    },
    /// No score, and no usage data for the account where the book's feed has the others'.
    NoUsage,
    /// Open tasks late, and due today.
    TasksDue {
        overdue: u32,
        today: u32,
    },
    /// A champion left (their names) and nobody has taken the role since.
    ChampionLeft(String),
    /// The CSM's latest sentiment is at its worst points ("3/10") on an account with a score: the
    /// CSM's own word that it is in trouble, which the score may hide (a Yellow account whose
    /// first sentiment moved it no "fall": new data is not a change).
    LowSentiment(String),
    /// A factor of `collapse_factors` at its worst points, as it reads ("Active users w/w
    /// -88%"): a collapse the score's averages hide.
    Collapse(String),
    /// Nobody owns the account (a CRM's blank owner): a probe's $77k account renewing in 20 days
    /// had no CSM, and Triage said only that its sentiment was stale.
    NoCsm,
}

impl Reason {
    /// A stable key: an item marked handled comes back when a reason with a new key appears.
    pub fn key(&self) -> String {
        match self {
            Reason::Band(b) => format!("band:{}", b.label().to_lowercase()),
            Reason::Drop(m) => format!("drop:{}", m.window_days),
            // Gone by with none recorded, a renewal is a reason of its own: an item snoozed or
            // handled on its near renewal comes back (a probe's snooze past the day hid it lapsed).
            Reason::Renewal { days, .. } if *days < 0 => "renewal:lapsed".into(),
            // So is its last week: an item handled weeks before its renewal comes back for it (a
            // probe's, handled 8 days out, stayed hidden until a day overdue).
            Reason::Renewal { days, .. } if *days <= RENEWAL_FIRST_DAYS => "renewal:week".into(),
            Reason::Renewal { .. } => "renewal".into(),
            Reason::OverdueMilestones(_) => "milestone".into(),
            Reason::GoalsOffTrack(_) | Reason::GoalsPastTarget(_) => "goal".into(),
            Reason::NoTouch { .. } => "touch".into(),
            Reason::RiskOpen(_) => "risk".into(),
            Reason::Stale(_) => "stale".into(),
            Reason::ScoreLost { .. } => "score".into(),
            Reason::AtWorst(_) | Reason::ThinAtWorst { .. } => "worst".into(),
            Reason::NoUsage => "usage".into(),
            Reason::TasksDue { .. } => "task".into(),
            Reason::ChampionLeft(_) => "champion".into(),
            Reason::LowSentiment(_) => "sentiment".into(),
            Reason::Collapse(_) => "collapse".into(),
            Reason::NoCsm => "csm".into(),
        }
    }

    /// A short phrase for the triage list.
    pub fn phrase(&self, catalog: &Catalog) -> String {
        let plural = |n: u32, one: &str, many: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {many}") };
        match self {
            Reason::Band(b) => format!("{} health", b.label()),
            Reason::Drop(m) => m.describe(catalog),
            Reason::Renewal { days, band, low_data, band_said, thin } => {
                let none = if *low_data { "not enough data" } else { "no score" };
                let band = match (band_said, thin) {
                    (true, _) => String::new(),
                    (false, true) => format!(", {} on thin data", band.map_or(none, |b| b.label())),
                    (false, false) => format!(", {}", band.map_or(none, |b| b.label())),
                };
                match days {
                    0 => format!("renews today{band}"),
                    d if *d < 0 => format!("renewal {} overdue{band}", crate::text::days(-d)),
                    d => format!("renews in {}{band}", crate::text::days(*d)),
                }
            }
            Reason::OverdueMilestones(n) => plural(*n, "milestone overdue", "milestones overdue"),
            Reason::GoalsOffTrack(n) => plural(*n, "goal off track", "goals off track"),
            Reason::GoalsPastTarget(n) => {
                plural(*n, "goal open past its target day", "goals open past their target day")
            }
            Reason::ScoreLost { score, days, jumpstart_ended: true } => format!(
                "the new customers' (jumpstart) score ended (it was {score}, {days} days ago): too little data for \
                 the standard score"
            ),
            Reason::ScoreLost { score, days, .. } => {
                format!("no score now (it was {score}, {days} days ago): too little of its data is current")
            }
            Reason::NoTouch { cadence, days_said: true, .. } => format!("past the {cadence}-day touch cadence"),
            Reason::NoTouch { days, cadence, never_logged: true, from_start, .. } => {
                // Said as what is known: tend has entries for the account since that day, and no touch
                // among them ("no touch logged yet, 45 days tracked" read as a riddle).
                let since = if *from_start { "it became a customer" } else { "its first entry" };
                format!("no touch logged since {since} {} ago (cadence {cadence})", crate::text::days(*days))
            }
            Reason::NoTouch { days, cadence, .. } => {
                format!("no touch in {} (cadence {cadence})", crate::text::days(*days))
            }
            Reason::RiskOpen(n) => plural(*n, "risk flag open", "risk flags open"),
            Reason::Stale(factors) => {
                format!("stale: {}", factors.join(", "))
            }
            Reason::AtWorst(factors) => {
                format!(
                    "no score, and {} {}",
                    factors.join(", "),
                    crate::domain::scoring::at_fewest_points(factors.len())
                )
            }
            Reason::ThinAtWorst { band, factors } => {
                format!(
                    "{} on thin data, and {} {}",
                    band.label(),
                    factors.join(", "),
                    crate::domain::scoring::at_fewest_points(factors.len())
                )
            }
            Reason::NoUsage => "no usage data in the feed (not exported for it, or not used)".to_string(),
            Reason::TasksDue { overdue, today } => match (overdue, today) {
                (0, t) => plural(*t, "task due today", "tasks due today"),
                (o, 0) => plural(*o, "task late", "tasks late"),
                (o, t) => format!("{} late, {t} due today", plural(*o, "task", "tasks")),
            },
            Reason::ChampionLeft(names) => format!("champion left: {names}"),
            Reason::LowSentiment(value) => format!("CSM sentiment {value}"),
            Reason::Collapse(what) => what.clone(),
            Reason::NoCsm => "no CSM".to_string(),
        }
    }

    /// The reason's weight in the ranking. A missed touch weighs more the longer it is overdue:
    /// its weight for each cadence gone by, up to three (52 days against a 14-day cadence
    /// weighs 3, a day past it about 1), so a large account nobody has called for two months
    /// is not ranked below a small one that is only Orange. A fall weighs more the deeper it is:
    /// `weights.drop` for a fall of `drop_points`, up to twice that for four times as deep (its
    /// square root; a week's fall of 42 points on a $15k account ranked 19th, under renewals of
    /// accounts with no data at all).
    pub fn weight(&self, cfg: &TriageConfig) -> f64 {
        let w = &cfg.weights;
        match self {
            Reason::NoTouch { days, cadence, .. } => {
                w.no_touch * (*days as f64 / (*cadence).max(1) as f64).clamp(1.0, MAX_TOUCH_CADENCES)
            }
            Reason::Band(HealthBand::Red) => w.red,
            Reason::Band(_) => w.orange,
            Reason::Drop(m) => w.drop * drop_depth(m.delta(), cfg.drop_points),
            // A renewal weighs in full from 30 days out, less the farther it is: of two like
            // accounts, the one renewing in 5 days comes before the one in 90. Nearer than 30
            // days it weighs more as its day comes, up to `IMMINENT_RENEWAL` times on the day (a
            // probe's $152k Yellow account renewing in 4 days ranked 27th, off the morning's
            // list). Once its day has passed with no renewal or churn recorded, half again: the
            // contract has lapsed, or the book does not know (a probe's Green account 37 days
            // past its renewal ranked 22nd).
            Reason::Renewal { days, .. } if *days < 0 => w.renewal * LAPSED_RENEWAL,
            Reason::Renewal { days, .. } if *days < 30 => {
                w.renewal * (1.0 + (IMMINENT_RENEWAL - 1.0) * (30 - *days) as f64 / 30.0)
            }
            Reason::Renewal { days, .. } => w.renewal * (1.0 - (*days - 30) as f64 / 180.0).clamp(0.5, 1.0),
            Reason::OverdueMilestones(_) => w.overdue_milestone,
            // A goal past its day, still open, is one off track by the calendar.
            Reason::GoalsOffTrack(_) | Reason::GoalsPastTarget(_) => w.goal_off_track,
            Reason::RiskOpen(_) => w.risk_open,
            Reason::Stale(_) | Reason::ScoreLost { .. } | Reason::NoUsage => w.stale,
            // What the data there says is Orange-grade, or worse.
            Reason::AtWorst(_) | Reason::ThinAtWorst { .. } => w.orange,
            // A task due today weighs as a late one: the account's need ranks it. Put first
            // whatever the need, or weighing twice, a morning of routine tasks due today ("Send
            // newsletter") pushed Orange and renewing accounts with a risk open off the list.
            Reason::TasksDue { .. } => w.task_due,
            Reason::ChampionLeft(_) => w.champion_left,
            Reason::LowSentiment(_) => w.low_sentiment,
            Reason::Collapse(_) => w.collapse,
            Reason::NoCsm => w.no_csm,
        }
    }
}

/// A renewal past its day, none recorded, weighs this many times `weights.renewal`.
pub const LAPSED_RENEWAL: f64 = 1.5;

/// A renewal due today weighs this many times `weights.renewal`: more than a lapsed one from 10
/// days out. A lapsed renewal is most often one the book was not told of (renewed in the CRM),
/// a near one still to be won: a probe's $480k Yellow account renewing in 3 days ranked under
/// Green ones whose renewals had passed weeks before.
pub const IMMINENT_RENEWAL: f64 = 1.75;

/// A missed touch weighs at most this many times `weights.no_touch` (see `Reason::weight`).
pub const MAX_TOUCH_CADENCES: f64 = 3.0;

/// What triage knows about one account today.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TriageFacts {
    pub band: Option<HealthBand>,
    pub days_to_renewal: Option<i64>,
    /// A renewal more than `LONG_PAST_DAYS` past is still one to chase: it went by while the book
    /// had the account (`book::renewals::is_long_past`), not a CRM's date long past on import.
    pub renewal_seen_lapse: bool,
    /// The account's movers over the drop windows.
    pub movers: Vec<Mover>,
    pub overdue_milestones: u32,
    pub goals_off_track: u32,
    /// Goals still open past their target day.
    pub goals_past_target: u32,
    /// No score today, and the score it had on the nearest drop window back that had one, with
    /// that window and whether its jumpstart score is what ended.
    pub score_lost: Option<(u8, i64, bool)>,
    /// Days since the last touch, as the touch factor reads it: None while tend tracks no touches
    /// for the account (nothing logged yet), which is not a reason: it is not known.
    pub days_since_touch: Option<i64>,
    /// `days_since_touch` counts from when tend began tracking the account: no touch logged yet.
    pub touch_never_logged: bool,
    /// And from the day it became a customer, its first entry being older.
    pub touch_from_start: bool,
    /// The factor that reads days since the last touch, if the config has one.
    pub touch_factor: Option<crate::domain::FactorId>,
    pub open_risks: u32,
    /// Labels of the score's factors whose data is stale.
    pub stale: Vec<String>,
    /// No score for too little data.
    pub low_data: bool,
    /// A score on thin data (marked `~`).
    pub thin: bool,
    /// The factors with data at 1 point, their worst, on an account with no score or a Yellow or
    /// Green one on thin data, with their labels.
    pub at_worst: Vec<(crate::domain::FactorId, String)>,
    /// Open tasks late, and due today.
    pub tasks_overdue: u32,
    pub tasks_today: u32,
    /// Champions who left, with no champion there since.
    pub champion_left: Option<String>,
    /// The latest CSM sentiment ("3/10") where it is at its worst points.
    pub low_sentiment: Option<String>,
    /// A factor of `collapse_factors` at its worst points, as it reads ("Active users w/w
    /// -88%").
    pub collapse: Option<String>,
    /// No CSM owns the account.
    pub no_csm: bool,
    /// No usage data for the account today, where the book's feed is live.
    pub no_usage: bool,
}

/// A renewal this many days away or nearer, or gone by at most `RENEWAL_FIRST_LATE_DAYS`, is the
/// first of an item's reasons.
const RENEWAL_FIRST_DAYS: i64 = 7;
const RENEWAL_FIRST_LATE_DAYS: i64 = 30;

/// Every reason an account needs attention today, most important kind first.
pub fn reasons(cfg: &TriageConfig, segment: &str, f: &TriageFacts) -> Vec<Reason> {
    let mut out = Vec::new();
    if let Some(b) = f.band.filter(|b| cfg.bands.contains(b)) {
        out.push(Reason::Band(b));
    }
    // The worst fall across the windows, once: a 30-day fall usually contains the 7-day one.
    let worst = f
        .movers
        .iter()
        .filter(|m| cfg.drop_windows.contains(&m.window_days) && m.delta().is_some_and(|d| d <= -cfg.drop_points))
        .min_by_key(|m| (m.delta(), m.window_days));
    if let Some(m) = worst {
        out.push(Reason::Drop(*m));
    }
    // A renewal date long past when the book got it (a CRM's date not kept up, most often) is no
    // reason today: the Renewals screen counts those apart. One the book saw go by stays one.
    let renewal = f
        .days_to_renewal
        .filter(|d| *d <= cfg.renewal_days && (*d >= -super::renewal::LONG_PAST_DAYS || f.renewal_seen_lapse));
    // A renewal ahead is a reason unless the account is Green; one gone by with nothing recorded
    // is one whatever the band: renewed or lost, the book does not know until the CSM says. One
    // nobody owns is one whatever the band too: no one will see it through (a probe's unowned
    // Green account renewing in 20 days ranked 74th on "no CSM" alone). A Green on thin data is
    // no all-clear: a probe's $120k account renewing in 34 days left the list on one sentiment
    // of 8, its score ~94 from that and a usage count.
    // Factors at their worst, said last; without the touch factor where a missed touch is said.
    let cadence = cfg.cadence_for(segment);
    let touch_due = f.days_since_touch.is_some_and(|days| days > cadence);
    let at_worst: Vec<String> = f
        .at_worst
        .iter()
        .filter(|(id, _)| !(touch_due && f.touch_factor == Some(*id)))
        .map(|(_, label)| label.clone())
        .collect();
    let thin_at_worst = f.band.filter(|b| f.thin && *b > HealthBand::Orange && !at_worst.is_empty());
    if let Some(days) = renewal
        && (f.band != Some(HealthBand::Green) || f.thin || days < 0 || f.no_csm)
    {
        let band_said = out.iter().any(|r| matches!(r, Reason::Band(_))) || thin_at_worst.is_some();
        let reason = Reason::Renewal { days, band: f.band, low_data: f.low_data, band_said, thin: f.thin };
        // Due within a week, or gone by within a month: said first. At 60 columns a probe's first
        // item showed its fall in the Why column, and the line under it ran out before "renews in
        // 3 days". Later past its day it is more likely a date not kept up: said where it was.
        match (-RENEWAL_FIRST_LATE_DAYS..=RENEWAL_FIRST_DAYS).contains(&days) {
            true => out.insert(0, reason),
            false => out.push(reason),
        }
    }
    if f.no_csm {
        out.push(Reason::NoCsm);
    }
    if let Some(names) = &f.champion_left {
        out.push(Reason::ChampionLeft(names.clone()));
    }
    if f.open_risks > 0 {
        out.push(Reason::RiskOpen(f.open_risks));
    }
    // An account without a score names its factors at their worst below (sentiment among them).
    if let Some(value) = f.low_sentiment.as_ref().filter(|_| f.band.is_some()) {
        out.push(Reason::LowSentiment(value.clone()));
    }
    if let Some(what) = &f.collapse {
        out.push(Reason::Collapse(what.clone()));
    }
    if f.tasks_overdue + f.tasks_today > 0 {
        out.push(Reason::TasksDue { overdue: f.tasks_overdue, today: f.tasks_today });
    }
    if f.overdue_milestones > 0 {
        out.push(Reason::OverdueMilestones(f.overdue_milestones));
    }
    if f.goals_off_track > 0 {
        out.push(Reason::GoalsOffTrack(f.goals_off_track));
    }
    if f.goals_past_target > 0 {
        out.push(Reason::GoalsPastTarget(f.goals_past_target));
    }
    if let Some((score, days, jumpstart_ended)) = f.score_lost {
        out.push(Reason::ScoreLost { score, days, jumpstart_ended });
    }
    if !f.stale.is_empty() {
        out.push(Reason::Stale(f.stale.clone()));
    }
    match f.days_since_touch {
        Some(days) if days > cadence => {
            // The worst fall named the touch factor: its days are said there.
            let days_said = f.touch_factor.is_some()
                && out.iter().any(|r| matches!(r, Reason::Drop(m) if m.shift.map(|s| s.id) == f.touch_factor));
            out.push(Reason::NoTouch {
                days,
                cadence,
                days_said,
                never_logged: f.touch_never_logged,
                from_start: f.touch_from_start,
            })
        }
        _ => {}
    }
    match (f.band, thin_at_worst) {
        _ if at_worst.is_empty() => {}
        (None, _) => out.push(Reason::AtWorst(at_worst)),
        (_, Some(band)) => out.push(Reason::ThinAtWorst { band, factors: at_worst }),
        _ => {}
    }
    // An account without a score and without usage data, where the book's feed brings the other
    // accounts': no factor would ever put it on the list (a probe's 15 accounts without a row in
    // 12 weeks of usage never appeared on it; the import had said so once).
    if f.band.is_none() && f.no_usage {
        out.push(Reason::NoUsage);
    }
    out
}

/// The ARR weight of the ranking: 1 + log10(1 + ARR in thousands).
pub fn arr_weight(arr_units: f64) -> f64 {
    1.0 + (1.0 + arr_units.max(0.0) / 1000.0).log10()
}

/// How much an account needs attention: its reasons' weights times its ARR weight.
pub fn need(cfg: &TriageConfig, reasons: &[Reason], arr_units: f64) -> f64 {
    need_with(cfg, reasons, arr_units, false)
}

/// `need`, with stale data weighing as stale usage where `usage_stale` (a metric factor among
/// the stale ones): a $250k account whose feed stopped three weeks before ranked below $12k
/// Orange ones, 54th of 70, on two probes' books.
pub fn need_with(cfg: &TriageConfig, reasons: &[Reason], arr_units: f64, usage_stale: bool) -> f64 {
    let w = &cfg.weights;
    let weight = |r: &Reason| match r {
        Reason::Stale(_) if usage_stale => w.stale_usage.max(w.stale),
        r => r.weight(cfg),
    };
    reasons.iter().map(weight).sum::<f64>() * arr_weight(arr_units)
}

/// How many times `weights.drop` a fall weighs: 1 for a fall of `drop_points`, the square root
/// of how many times deeper it is, at most 2.
fn drop_depth(change: Option<i32>, drop_points: i32) -> f64 {
    let fall = f64::from(change.unwrap_or(0).saturating_neg());
    (fall / f64::from(drop_points.max(1))).sqrt().clamp(1.0, MAX_DROP_DEPTH)
}

/// A fall weighs at most this many times `weights.drop` (see `Reason::weight`).
pub const MAX_DROP_DEPTH: f64 = 2.0;

/// A CSM's decision about an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MarkState {
    Handled,
    Snoozed,
}

impl MarkState {
    pub fn key(self) -> &'static str {
        match self {
            MarkState::Handled => "handled",
            MarkState::Snoozed => "snoozed",
        }
    }
    pub fn from_key(s: &str) -> Option<Self> {
        [MarkState::Handled, MarkState::Snoozed].into_iter().find(|m| m.key() == s)
    }
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Mark {
    pub state: MarkState,
    pub marked_on: NaiveDate,
    /// For a snooze: the first day the item shows again.
    pub until: Option<NaiveDate>,
    /// The reason keys the account had when marked.
    pub reasons: Vec<String>,
    /// The CSM who marked it (a lead's mark on a CSM's account says so); None when the book
    /// knows no one by that name, or the mark is older than the column.
    #[serde(default)]
    pub by: Option<String>,
}

/// Who made a mark, as its reader sees it.
enum Author {
    /// The reader (or no one can tell: neither the mark nor the reader has a name).
    Reader,
    Other(String),
    /// Made where no `me` was set, read by someone with a name.
    Unsigned,
}

impl Mark {
    /// The mark as the list shows it: "handled", "snoozed to 2026-12-05", with who made it when
    /// that is not the reader ("handled by Liam Chen"): a lead's decision on a CSM's list.
    /// A mark with no author read by someone who has a name is "unsigned": it was made by a
    /// tend where no `me` was set, and must not read as the reader's own.
    pub fn label(&self, reader: Option<&str>) -> String {
        let until = self.until.map_or(String::new(), |u| format!(" to {u}"));
        match self.author(reader) {
            Author::Reader => format!("{}{until}", self.state.key()),
            Author::Other(by) => format!("{} by {by}{until}", self.state.key()),
            Author::Unsigned => format!("{}{until} (unsigned)", self.state.key()),
        }
    }

    /// The mark as a row of the list shows it, short enough to leave the reasons room at 80
    /// columns: "snoozed to 11-30 · Liam" (the year only when it is not the mark's own, the
    /// author by first name); the line under the list says it whole (`label`).
    pub fn tag(&self, reader: Option<&str>) -> String {
        let until = self.until.map_or(String::new(), |u| {
            if u.year() == self.marked_on.year() { format!(" to {}", u.format("%m-%d")) } else { format!(" to {u}") }
        });
        let by = match self.author(reader) {
            Author::Reader => String::new(),
            Author::Other(by) => format!(" · {}", by.split_whitespace().next().unwrap_or(&by)),
            Author::Unsigned => " · unsigned".to_string(),
        };
        format!("{}{until}{by}", self.state.key())
    }

    fn author(&self, reader: Option<&str>) -> Author {
        match (&self.by, reader) {
            (Some(by), Some(me)) if by.eq_ignore_ascii_case(me) => Author::Reader,
            (Some(by), _) => Author::Other(crate::text::clean(by)),
            (None, Some(_)) => Author::Unsigned,
            (None, None) => Author::Reader,
        }
    }

    /// The reasons of `reasons` the account did not have when it was marked.
    pub fn new_reasons<'a>(&'a self, reasons: &'a [Reason]) -> impl Iterator<Item = &'a Reason> + 'a {
        reasons.iter().filter(|r| !self.reasons.contains(&r.key()))
    }

    /// Whether a reason new since brought the item back before the mark would have let it go: a
    /// handled item, or a snooze before its day (one past its day is simply over).
    pub fn brought_back(&self, reasons: &[Reason], today: NaiveDate) -> bool {
        self.new_reasons(reasons).next().is_some()
            && match self.state {
                MarkState::Handled => true,
                MarkState::Snoozed => self.until.is_some_and(|u| today < u),
            }
    }

    /// Whether the mark still hides an account with these reasons today. A reason that was not
    /// there when it was marked always brings it back; a snooze also ends on its day.
    pub fn hides(&self, reasons: &[Reason], today: NaiveDate) -> bool {
        let nothing_new = reasons.iter().all(|r| self.reasons.contains(&r.key()));
        nothing_new
            && match self.state {
                MarkState::Handled => true,
                MarkState::Snoozed => self.until.is_some_and(|u| today < u),
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::domain::history::PackedPoints;

    fn cfg() -> TriageConfig {
        Config::default().triage
    }

    /// A new reason brings an item back through its mark: said as back when it came before the
    /// snooze's day (or through a handled mark), not when the snooze was over anyway.
    #[test]
    fn an_item_is_brought_back_by_a_new_reason_before_its_day() {
        let mark = |state, until: Option<&str>| Mark {
            state,
            marked_on: d("2026-12-07"),
            until: until.map(d),
            reasons: vec![Reason::RiskOpen(1).key()],
            by: None,
        };
        let risk_only = [Reason::RiskOpen(1)];
        let late = Reason::TasksDue { overdue: 1, today: 0 };
        let more = [Reason::RiskOpen(1), late.clone()];
        let snoozed = mark(MarkState::Snoozed, Some("2026-12-16"));
        assert!(!snoozed.brought_back(&risk_only, d("2026-12-09")), "nothing new");
        assert!(snoozed.brought_back(&more, d("2026-12-09")), "a new reason before its day");
        assert!(!snoozed.brought_back(&more, d("2026-12-16")), "over on its day anyway");
        let new: Vec<String> = snoozed.new_reasons(&more).map(Reason::key).collect();
        assert_eq!(new, vec![late.key()]);
        assert!(mark(MarkState::Handled, None).brought_back(&more, d("2027-01-09")));
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// A like-for-like change from `from` to `to` (no factor named).
    fn fall(window: i64, from: u8, to: u8) -> Mover {
        Mover {
            window_days: window,
            first_score_days: None,
            weighed_moved: 0,
            before: Some(from),
            after: Some(to),
            change: Some(i32::from(to) - i32::from(from)),
            shift: None,
            first_data: 0,
            before_points: PackedPoints::default(),
            after_points: PackedPoints::default(),
        }
    }

    /// "-11 in 30 days: Days since touch 7d -> 37d · no touch in 37 days (cadence 14)" said the
    /// days twice: with a fall of the touch factor, the missed touch says only its cadence.
    #[test]
    fn a_fall_of_the_touch_factor_is_not_said_twice() {
        let catalog = crate::config::Config::default().health.catalog;
        let touch =
            catalog.find(&crate::domain::Source::Log(crate::domain::catalog::LogKind::Touch), "days_since_last");
        let touch = touch.expect("the default config reads days since the last touch");
        let other = catalog.ids().find(|id| *id != touch).unwrap();
        // The reasons said when the 30-day fall was the factor `moved`'s (raw days 7 -> 37).
        let said = |moved: crate::domain::FactorId| -> Vec<String> {
            let mut fell = fall(30, 70, 59);
            fell.shift = Some(crate::domain::history::FactorShift {
                id: moved,
                before: 4.0,
                after: 2.0,
                raw_before: Some(7.0),
                raw_after: Some(37.0),
            });
            let f = TriageFacts {
                movers: vec![fell],
                days_since_touch: Some(37),
                touch_factor: Some(touch),
                ..Default::default()
            };
            reasons(&cfg(), "Deer", &f).iter().map(|r| r.phrase(&catalog)).collect()
        };
        let by_touch = said(touch);
        assert_eq!(by_touch.len(), 2, "{by_touch:?}");
        assert!(by_touch[0].contains("7d -> 37d"), "{by_touch:?}");
        assert_eq!(by_touch[1], "past the 30-day touch cadence");
        // Another factor's fall leaves the missed touch as it was.
        let said = said(other);
        assert_eq!(said[1], "no touch in 37 days (cadence 30)");
        // Kept lists written before keep their wording.
        let old: Reason = serde_json::from_str(r#"{"NoTouch":{"days":37,"cadence":14}}"#).unwrap();
        assert_eq!(old.phrase(&catalog), "no touch in 37 days (cadence 14)");
    }

    fn keys(f: &TriageFacts) -> Vec<String> {
        reasons(&cfg(), "Deer", f).iter().map(Reason::key).collect()
    }

    #[test]
    fn a_quiet_healthy_account_has_no_reasons() {
        let f = TriageFacts { band: Some(HealthBand::Green), days_since_touch: Some(3), ..Default::default() };
        assert!(keys(&f).is_empty());
    }

    /// The CSM's own sentiment at its worst is a reason whatever the band (a Yellow account whose
    /// first sentiment, 3/10, moved it from Green had none), and outranks a renewal of the same
    /// ARR with no score when a goal is off track too; without a score it is among the factors
    /// at their worst instead, not said twice.
    #[test]
    fn a_low_sentiment_on_a_scored_account_is_a_reason() {
        let low =
            |band| TriageFacts { band, low_sentiment: Some("3/10".into()), goals_off_track: 1, ..Default::default() };
        let r = reasons(&cfg(), "Deer", &low(Some(HealthBand::Yellow)));
        assert_eq!(r[0], Reason::LowSentiment("3/10".into()));
        assert_eq!(r[0].phrase(&Catalog::default()), "CSM sentiment 3/10");
        // An account nobody owns is a reason of its own, said beside its renewal.
        let unowned = TriageFacts {
            band: Some(HealthBand::Green),
            days_to_renewal: Some(20),
            no_csm: true,
            ..Default::default()
        };
        let r = reasons(&cfg(), "Deer", &unowned);
        assert!(r.contains(&Reason::NoCsm) && r.iter().any(|r| matches!(r, Reason::Renewal { .. })), "{r:?}");
        assert_eq!(Reason::NoCsm.phrase(&Config::default().health.catalog), "no CSM");
        assert_eq!(Reason::NoCsm.weight(&cfg()), cfg().weights.no_csm);
        assert!(!reasons(&cfg(), "Deer", &TriageFacts::default()).contains(&Reason::NoCsm));
        // Long past: a reason only where the book saw it go by.
        let long_past = TriageFacts { days_to_renewal: Some(-120), ..Default::default() };
        assert!(reasons(&cfg(), "Deer", &long_past).is_empty());
        let seen = TriageFacts { renewal_seen_lapse: true, ..long_past };
        assert!(matches!(reasons(&cfg(), "Deer", &seen)[..], [Reason::Renewal { days: -120, .. }]));
        let renewal = TriageFacts { days_to_renewal: Some(25), ..Default::default() };
        let need_of = |f: &TriageFacts| need(&cfg(), &reasons(&cfg(), "Deer", f), 320_000.0);
        assert!(need_of(&low(Some(HealthBand::Yellow))) > need_of(&renewal));
        assert!(!keys(&low(None)).contains(&"sentiment".to_string()), "{:?}", keys(&low(None)));
    }

    /// A Green renewal is no reason, unless the Green stands on thin data; said so.
    #[test]
    fn a_renewal_on_a_thin_green_is_a_reason() {
        let green = TriageFacts { band: Some(HealthBand::Green), days_to_renewal: Some(34), ..Default::default() };
        assert!(keys(&green).is_empty(), "{:?}", keys(&green));
        let thin = TriageFacts { thin: true, ..green };
        let r = reasons(&cfg(), "Deer", &thin);
        assert_eq!(keys(&thin), ["renewal"]);
        assert_eq!(r[0].phrase(&Config::default().health.catalog), "renews in 34 days, Green on thin data");
    }

    /// A Yellow or Green on thin data with factors at their worst ranks as Orange, said once with
    /// its band: logging an unhappy sentiment that scores an account at its worst does not take it
    /// down the list. A full Yellow's factors at their worst are its score's business.
    #[test]
    fn a_thin_yellow_with_factors_at_their_worst_is_a_reason() {
        let catalog = &Config::default().health.catalog;
        let worst = vec![(crate::domain::FactorId(0), "Active users".to_string())];
        let unscored =
            TriageFacts { days_to_renewal: Some(34), low_data: true, at_worst: worst.clone(), ..Default::default() };
        let thin = TriageFacts { band: Some(HealthBand::Yellow), thin: true, low_data: false, ..unscored.clone() };
        let r = reasons(&cfg(), "Deer", &thin);
        let phrases: Vec<String> = r.iter().map(|r| r.phrase(catalog)).collect();
        assert_eq!(phrases, ["renews in 34 days", "Yellow on thin data, and Active users at 1 point of 4"]);
        let need = |f: &TriageFacts| reasons(&cfg(), "Deer", f).iter().map(|r| r.weight(&cfg())).sum::<f64>();
        assert!(need(&thin) >= need(&unscored), "{} against {}", need(&thin), need(&unscored));
        let full = TriageFacts { thin: false, ..thin.clone() };
        assert_eq!(keys(&full), ["renewal"]);
        let orange = TriageFacts { band: Some(HealthBand::Orange), ..thin };
        assert!(!keys(&orange).contains(&"worst".to_string()), "the band's reason names them: {:?}", keys(&orange));
    }

    #[test]
    fn red_and_orange_are_reasons_yellow_is_not() {
        for (band, want) in [(HealthBand::Red, 1), (HealthBand::Orange, 1), (HealthBand::Yellow, 0)] {
            let f = TriageFacts { band: Some(band), ..Default::default() };
            assert_eq!(keys(&f).len(), want, "{band:?}");
        }
    }

    #[test]
    fn a_drop_counts_at_the_threshold_and_names_the_worst_window() {
        let f = TriageFacts { movers: vec![fall(7, 80, 71), fall(30, 80, 70)], ..Default::default() };
        let r = reasons(&cfg(), "Deer", &f);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].key(), "drop:30");
        assert!(r[0].phrase(&Catalog::default()).starts_with("-10 in 30 days"), "{}", r[0].phrase(&Catalog::default()));
        let f = TriageFacts { movers: vec![fall(30, 80, 71)], ..Default::default() };
        assert!(keys(&f).is_empty());
    }

    #[test]
    fn renewal_soon_counts_unless_green_and_one_gone_by_always() {
        let f = TriageFacts { band: Some(HealthBand::Yellow), days_to_renewal: Some(45), ..Default::default() };
        assert_eq!(keys(&f), ["renewal"]);
        // Its last week is a reason of its own, as its day gone by is: a mark made before it
        // does not hide it.
        for (days, key) in [(8, "renewal"), (7, "renewal:week"), (0, "renewal:week"), (-1, "renewal:lapsed")] {
            let near = TriageFacts { days_to_renewal: Some(days), ..f.clone() };
            assert_eq!(keys(&near), [key], "{days}");
        }
        assert_eq!(reasons(&cfg(), "Deer", &f)[0].phrase(&Catalog::default()), "renews in 45 days, Yellow");
        let green = TriageFacts { band: Some(HealthBand::Green), ..f.clone() };
        assert!(keys(&green).is_empty());
        // Gone by with nothing recorded: a reason, Green or not.
        let green_overdue = TriageFacts { days_to_renewal: Some(-51), ..green.clone() };
        assert_eq!(keys(&green_overdue), ["renewal:lapsed"]);
        assert_eq!(
            reasons(&cfg(), "Deer", &green_overdue)[0].phrase(&Catalog::default()),
            "renewal 51 days overdue, Green"
        );
        // Past its date up to 90 days: a reason; further past (a CRM's date not kept up): none.
        let overdue = TriageFacts { days_to_renewal: Some(-90), ..f.clone() };
        assert!(!keys(&overdue).is_empty());
        let long_past = TriageFacts { days_to_renewal: Some(-91), ..f.clone() };
        assert!(keys(&long_past).is_empty());
        let far = TriageFacts { days_to_renewal: Some(91), ..f };
        assert!(keys(&far).is_empty());
    }

    /// Of two like accounts with a renewal as their reason, the nearer renewal ranks first; an
    /// overdue one (lapsed, none recorded) after one due within 10 days, before one due in 30.
    #[test]
    fn a_nearer_renewal_ranks_first() {
        let cfg = cfg();
        let at = |days: i64| {
            let f = TriageFacts { days_to_renewal: Some(days), low_data: true, ..Default::default() };
            need(&cfg, &reasons(&cfg, "Deer", &f), 400_000.0)
        };
        assert!(at(5) > at(60) && at(60) > at(90), "{} {} {}", at(5), at(60), at(90));
        assert!(at(0) > at(5) && at(5) > at(-20) && at(-20) > at(30));
    }

    /// "Orange health · renewal 82 days overdue, Orange" said the band twice.
    #[test]
    fn a_renewal_does_not_repeat_a_band_said_as_a_reason() {
        let f = TriageFacts { band: Some(HealthBand::Orange), days_to_renewal: Some(-82), ..Default::default() };
        let phrases: Vec<String> = reasons(&cfg(), "Deer", &f).iter().map(|r| r.phrase(&Catalog::default())).collect();
        assert_eq!(phrases, ["Orange health", "renewal 82 days overdue"]);
        let today = TriageFacts { days_to_renewal: Some(0), ..f };
        let phrases: Vec<String> =
            reasons(&cfg(), "Deer", &today).iter().map(|r| r.phrase(&Catalog::default())).collect();
        assert_eq!(phrases, ["renews today", "Orange health"], "due now: said first");
        let later = TriageFacts { days_to_renewal: Some(20), ..today };
        let phrases: Vec<String> =
            reasons(&cfg(), "Deer", &later).iter().map(|r| r.phrase(&Catalog::default())).collect();
        assert_eq!(phrases, ["Orange health", "renews in 20 days"]);
        // A list kept before the change reads as it did.
        let kept: Reason = serde_json::from_str(r#"{"Renewal":{"days":3,"band":"orange","low_data":false}}"#).unwrap();
        assert_eq!(kept.phrase(&Catalog::default()), "renews in 3 days, Orange");
    }

    /// No touch logged: the days count from the first entry, or from the start where an entry
    /// is older than it, and say which.
    #[test]
    fn a_touch_never_logged_says_where_its_days_count_from() {
        let phrase = |from_start| {
            let f = TriageFacts {
                days_since_touch: Some(72),
                touch_never_logged: true,
                touch_from_start: from_start,
                ..Default::default()
            };
            let r = reasons(&cfg(), "Deer", &f);
            r.iter().map(|r| r.phrase(&Catalog::default())).find(|p| p.contains("touch")).unwrap_or_default()
        };
        assert!(phrase(false).starts_with("no touch logged since its first entry 72 days ago (cadence"));
        assert!(phrase(true).starts_with("no touch logged since it became a customer 72 days ago (cadence"));
        // A list kept before reads as it did.
        let kept: Reason = serde_json::from_str(r#"{"NoTouch":{"days":50,"cadence":30,"never_logged":true}}"#).unwrap();
        assert!(kept.phrase(&Catalog::default()).starts_with("no touch logged since its first entry 50 days"));
    }

    /// A score gone since a drop window back is a reason, said by why it went.
    #[test]
    fn a_score_lost_says_what_it_was_and_why() {
        let phrase = |jumpstart_ended| {
            let f = TriageFacts { score_lost: Some((88, 7, jumpstart_ended)), ..Default::default() };
            let r = reasons(&cfg(), "Deer", &f);
            r.iter().map(|r| r.phrase(&Catalog::default())).collect::<Vec<_>>().join(" · ")
        };
        assert_eq!(
            phrase(true),
            "the new customers' (jumpstart) score ended (it was 88, 7 days ago): too little data for the standard score"
        );
        assert_eq!(phrase(false), "no score now (it was 88, 7 days ago): too little of its data is current");
    }

    #[test]
    fn milestones_goals_and_risks() {
        let f = TriageFacts { overdue_milestones: 2, goals_off_track: 1, open_risks: 1, ..Default::default() };
        assert_eq!(keys(&f), ["risk", "milestone", "goal"]);
        let phrases: Vec<String> = reasons(&cfg(), "Deer", &f).iter().map(|r| r.phrase(&Catalog::default())).collect();
        assert_eq!(phrases, ["1 risk flag open", "2 milestones overdue", "1 goal off track"]);
    }

    #[test]
    fn touch_cadence_follows_the_segment() {
        let c = cfg();
        let elephant = c.cadence_for("Elephant");
        let fly = c.cadence_for("Fly");
        assert!(elephant < fly, "{elephant} {fly}");
        let f = TriageFacts { days_since_touch: Some(elephant + 1), ..Default::default() };
        assert_eq!(reasons(&c, "Elephant", &f).len(), 1);
        assert!(reasons(&c, "Fly", &f).is_empty());
        // No touches tracked (nothing logged yet, e.g. a fresh import): not known, so no reason.
        let untracked = TriageFacts { days_since_touch: None, ..Default::default() };
        assert!(reasons(&c, "Fly", &untracked).is_empty());
    }

    #[test]
    fn tasks_late_or_due_today_are_one_reason() {
        let f = TriageFacts { tasks_overdue: 2, tasks_today: 1, ..Default::default() };
        let r = reasons(&cfg(), "Deer", &f);
        assert_eq!(r.iter().map(Reason::key).collect::<Vec<_>>(), ["task"]);
        assert_eq!(r[0].phrase(&Catalog::default()), "2 tasks late, 1 due today");
        let today = TriageFacts { tasks_today: 1, ..Default::default() };
        assert_eq!(reasons(&cfg(), "Deer", &today)[0].phrase(&Catalog::default()), "1 task due today");
        let late = TriageFacts { tasks_overdue: 1, ..Default::default() };
        assert_eq!(reasons(&cfg(), "Deer", &late)[0].phrase(&Catalog::default()), "1 task late");
        assert_eq!(r[0].weight(&cfg()), cfg().weights.task_due);
    }

    /// A feed stopped on a large account outranks a small Orange one: what its usage says is
    /// not known (two probes found $250k and $1.2M accounts 54th of 70, under $12k Orange ones).
    #[test]
    fn stale_usage_on_a_large_account_outranks_a_small_orange_one() {
        let c = cfg();
        let stale = reasons(&c, "Elephant", &TriageFacts { stale: vec!["Active users".into()], ..Default::default() });
        let orange = reasons(&c, "Rabbit", &TriageFacts { band: Some(HealthBand::Orange), ..Default::default() });
        assert!(need_with(&c, &stale, 250_000.0, true) > need(&c, &orange, 12_000.0));
        // A CSM's read gone stale (sentiment) weighs as before: many accounts have one.
        assert!(need_with(&c, &stale, 250_000.0, false) < need(&c, &orange, 12_000.0));
        assert_eq!(need_with(&c, &stale, 250_000.0, false), need(&c, &stale, 250_000.0));
    }

    #[test]
    fn stale_data_is_a_reason() {
        let f = TriageFacts { stale: vec!["CSM sentiment".to_string()], ..Default::default() };
        let r = reasons(&cfg(), "Deer", &f);
        assert_eq!(r.iter().map(Reason::key).collect::<Vec<_>>(), ["stale"]);
        assert_eq!(r[0].phrase(&Catalog::default()), "stale: CSM sentiment");
    }

    /// A renewal past its day with none recorded weighs half again a renewal due in 30 days; one
    /// nearer weighs more as its day comes, more than a lapsed one from 10 days out.
    #[test]
    fn a_lapsed_renewal_weighs_half_again() {
        let c = cfg();
        let renewal = |days| Reason::Renewal { days, band: None, low_data: false, band_said: false, thin: false };
        assert_eq!(renewal(30).weight(&c), c.weights.renewal);
        assert!(renewal(31).weight(&c) < renewal(30).weight(&c));
        assert!(renewal(4).weight(&c) > renewal(10).weight(&c) && renewal(10).weight(&c) > renewal(30).weight(&c));
        assert_eq!(renewal(10).weight(&c), c.weights.renewal * LAPSED_RENEWAL);
        assert!(renewal(3).weight(&c) > renewal(-1).weight(&c), "a near renewal before a lapsed one");
        assert_eq!(renewal(0).weight(&c), c.weights.renewal * IMMINENT_RENEWAL);
        assert_eq!(renewal(-1).weight(&c), c.weights.renewal * LAPSED_RENEWAL);
        assert!(renewal(-37).weight(&c) > Reason::Band(HealthBand::Red).weight(&c));
    }

    #[test]
    fn need_weighs_arr() {
        let c = cfg();
        let red = [Reason::Band(HealthBand::Red)];
        assert!(need(&c, &red, 1_000_000.0) > need(&c, &red, 1_000.0));
        assert!((arr_weight(0.0) - 1.0).abs() < 1e-9);
        assert!((arr_weight(999_000.0) - 4.0).abs() < 1e-9);
        assert_eq!(need(&c, &[], 1e6), 0.0);
    }

    /// A renewal that passes its day with none recorded is a new reason: an item snoozed past the
    /// day on its near renewal shows again once it has lapsed.
    #[test]
    fn a_renewal_gone_by_brings_a_snoozed_item_back() {
        let renewal = |days| Reason::Renewal {
            days,
            band: Some(HealthBand::Yellow),
            low_data: false,
            band_said: false,
            thin: false,
        };
        let snoozed = Mark {
            state: MarkState::Snoozed,
            marked_on: d("2026-12-06"),
            until: Some(d("2026-12-14")),
            reasons: vec![renewal(3).key()],
            by: None,
        };
        assert!(snoozed.hides(&[renewal(1)], d("2026-12-08")));
        assert!(!snoozed.hides(&[renewal(-1)], d("2026-12-10")), "lapsed, it shows again");
        assert!(snoozed.brought_back(&[renewal(-1)], d("2026-12-10")));
        // Handled weeks before its day, an item comes back for its last week.
        let handled =
            Mark { state: MarkState::Handled, until: None, reasons: vec![renewal(8).key()], ..snoozed.clone() };
        assert!(handled.hides(&[renewal(8)], d("2026-12-06")));
        assert!(!handled.hides(&[renewal(7)], d("2026-12-07")), "its last week is a reason of its own");
        let late = Mark { reasons: vec![renewal(7).key()], ..handled };
        assert!(late.hides(&[renewal(3)], d("2026-12-10")), "handled within it, it stays so");
    }

    #[test]
    fn a_handled_item_returns_with_a_new_reason_a_snooze_on_its_day() {
        let red = vec![Reason::Band(HealthBand::Red)];
        let handled = Mark {
            state: MarkState::Handled,
            marked_on: d("2026-11-23"),
            until: None,
            reasons: vec!["band:red".into()],
            by: None,
        };
        assert!(handled.hides(&red, d("2026-12-30")));
        let more = vec![Reason::Band(HealthBand::Red), Reason::RiskOpen(1)];
        assert!(!handled.hides(&more, d("2026-11-24")));
        let snoozed = Mark { state: MarkState::Snoozed, until: Some(d("2026-11-30")), ..handled.clone() };
        assert!(snoozed.hides(&red, d("2026-11-29")));
        assert!(!snoozed.hides(&red, d("2026-11-30")));
        // Who made the mark is said when it is not the reader; a mark without an author does
        // not read as the reader's own.
        assert_eq!(handled.label(None), "handled");
        assert_eq!(handled.label(Some("Maya Patel")), "handled (unsigned)");
        assert_eq!(handled.tag(Some("Maya Patel")), "handled · unsigned");
        let own = Mark { by: Some("Maya Patel".into()), ..handled.clone() };
        assert_eq!(own.label(Some("Maya Patel")), "handled");
        assert_eq!(own.tag(Some("maya patel")), "handled");
        let by_lead = Mark { by: Some("Liam Chen".into()), ..snoozed };
        assert_eq!(by_lead.label(Some("Maya Patel")), "snoozed by Liam Chen to 2026-11-30");
        assert_eq!(by_lead.label(Some("liam chen")), "snoozed to 2026-11-30");
        assert_eq!(by_lead.label(None), "snoozed by Liam Chen to 2026-11-30");
        // A row of the list says it short: the day without its year, the author's first name.
        assert_eq!(by_lead.tag(Some("Maya Patel")), "snoozed to 11-30 · Liam");
        let into_next_year = Mark { until: Some(d("2027-01-04")), ..by_lead };
        assert_eq!(into_next_year.tag(Some("Liam Chen")), "snoozed to 2027-01-04");
    }

    /// A factor of `collapse_factors` at its worst is a reason of its own, with its weight, on a
    /// scored account or not.
    #[test]
    fn a_collapse_is_a_reason_with_its_weight() {
        let cfg = cfg();
        let facts = TriageFacts { collapse: Some("Active users w/w -88%".into()), ..Default::default() };
        let r = reasons(&cfg, "Deer", &facts);
        assert_eq!(r, [Reason::Collapse("Active users w/w -88%".into())]);
        assert_eq!(r[0].key(), "collapse");
        assert_eq!(need(&cfg, &r, 0.0), cfg.weights.collapse);
        assert_eq!(r[0].phrase(&Catalog::default()), "Active users w/w -88%");
    }

    /// A probe's $15k account fell 42 points in a week and ranked 19th, under renewals of
    /// accounts with no data at all: a deeper fall weighs more, up to twice a shallow one.
    #[test]
    fn a_deep_fall_outranks_a_no_data_renewal_a_shallow_one_does_not() {
        let cfg = cfg();
        let rank = |f: TriageFacts, arr: f64| need(&cfg, &reasons(&cfg, "Deer", &f), arr);
        let fell = |from, to| TriageFacts {
            band: Some(HealthBand::Yellow),
            movers: vec![fall(7, from, to)],
            ..Default::default()
        };
        let no_data_renewal = rank(TriageFacts { days_to_renewal: Some(-36), ..Default::default() }, 5_988.0);
        assert!(rank(fell(92, 50), 15_000.0) > no_data_renewal, "a 42-point fall");
        assert!(rank(fell(62, 50), 15_000.0) < no_data_renewal, "a 12-point fall");
        let w = cfg.weights.drop;
        let weight = |from, to| rank(fell(from, to), 0.0);
        assert_eq!(weight(60, 50), w);
        assert_eq!(weight(90, 50), w * 2.0);
        assert_eq!(weight(100, 10), w * MAX_DROP_DEPTH);
        assert!(weight(80, 50) > w && weight(80, 50) < weight(90, 50));
    }

    /// What a lead expects on a constructed book: a $207k Elephant nobody has touched for 52
    /// days (cadence 14) comes before a $1.1k account that is only Orange, and before a
    /// mid-size one just past its cadence.
    #[test]
    fn a_large_untouched_account_outranks_a_small_mildly_unhealthy_one() {
        let cfg = cfg();
        let rank = |segment: &str, f: TriageFacts, arr: f64| need(&cfg, &reasons(&cfg, segment, &f), arr);
        let granite = rank("Elephant", TriageFacts { days_since_touch: Some(52), ..Default::default() }, 207_000.0);
        let small_orange = rank("Fly", TriageFacts { band: Some(HealthBand::Orange), ..Default::default() }, 1_100.0);
        let just_late = rank("Deer", TriageFacts { days_since_touch: Some(31), ..Default::default() }, 40_000.0);
        assert!(granite > small_orange, "{granite} vs {small_orange}");
        assert!(granite > just_late, "{granite} vs {just_late}");
        // The weight of a missed touch grows with the cadences gone by, up to three.
        let w = &cfg.weights;
        let late = |days| {
            Reason::NoTouch { days, cadence: 14, days_said: false, never_logged: false, from_start: false }.weight(&cfg)
        };
        assert_eq!(late(15), w.no_touch * 15.0 / 14.0);
        assert_eq!(late(28), w.no_touch * 2.0);
        assert_eq!(late(400), w.no_touch * MAX_TOUCH_CADENCES);
    }
}
