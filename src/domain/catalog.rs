//! The factor catalog: every factor a configuration defines, what it reads (its source) and how it
//! turns that into one raw value on a day (its transform). Built-in factors are entries like any
//! other, written out in `config.example.toml`.

use super::contact::ContactRole;
use super::entry::EntryKind;
use super::factor::{FactorId, Unit};

/// Which logged entries a `log:` source reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogKind {
    Sentiment,
    Nps,
    Touch,
    Bug,
    Csat,
    Ces,
}

/// A numeric account field. Fields are read as they are now, for every day of history, except the
/// account's age, which is counted to each day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Field {
    Arr,
    Mrr,
    ExpectedUsage,
    AgeDays,
    VolumeScore,
    AdvocacyScore,
    BrandScore,
    /// An imported column kept as an attribute; `slot` is its place in `AccountFields::attributes`.
    Attribute {
        name: String,
        slot: usize,
    },
}

/// Where a factor's data comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Imported metric samples of this name; `slot` is its place in `AccountFacts::metrics`.
    Metric {
        name: String,
        slot: usize,
    },
    Log(LogKind),
    Field(Field),
    Goals,
    Milestones,
    /// The people at the account (`contacts`).
    Contacts,
    /// Touches with someone of a role (`touch:executive_sponsor`), as entries of value 1.
    TouchWith(ContactRole),
    /// Survey responses (NPS, CSAT or CES) from respondents of the given roles only: a factor's
    /// `log:KIND` source with `roles = [...]`. `slot` is its place in `AccountFacts::responses`.
    Responses {
        kind: LogKind,
        roles: Vec<ContactRole>,
        slot: usize,
    },
}

impl Source {
    /// Parse `metric:NAME`, `log:sentiment|nps|touch|bug`, `field:NAME`, `goals`, `milestones`,
    /// `contacts` or `touch:ROLE`.
    /// Slots are filled in when the catalog is built.
    pub fn parse(text: &str) -> Result<Source, String> {
        let text = text.trim();
        let (kind, name) = text.split_once(':').map_or((text, ""), |(k, n)| (k.trim(), n.trim()));
        let source = match (kind, name) {
            ("goals", "") => Source::Goals,
            ("milestones", "") => Source::Milestones,
            ("contacts", "") => Source::Contacts,
            ("touch", role) => Source::TouchWith(ContactRole::from_key(role).ok_or_else(|| {
                format!("unknown role \"{role}\" in \"{text}\" (touch:ROLE, a role of {})", ContactRole::keys())
            })?),
            ("metric", name) if !name.is_empty() => Source::Metric { name: name.to_string(), slot: 0 },
            ("log", "sentiment") => Source::Log(LogKind::Sentiment),
            ("log", "nps") => Source::Log(LogKind::Nps),
            ("log", "touch") => Source::Log(LogKind::Touch),
            ("log", "bug") => Source::Log(LogKind::Bug),
            ("log", "csat") => Source::Log(LogKind::Csat),
            ("log", "ces") => Source::Log(LogKind::Ces),
            ("log", other) => {
                return Err(format!("unknown log source \"log:{other}\" (sentiment, nps, csat, ces, touch or bug)"));
            }
            ("field", name) if !name.is_empty() => Source::Field(match name {
                "arr" => Field::Arr,
                "mrr" => Field::Mrr,
                "expected_usage" => Field::ExpectedUsage,
                "age_days" => Field::AgeDays,
                "volume_score" => Field::VolumeScore,
                "advocacy_score" => Field::AdvocacyScore,
                "brand_score" => Field::BrandScore,
                other => Field::Attribute { name: other.to_string(), slot: 0 },
            }),
            _ => {
                return Err(format!(
                    "unknown source \"{text}\" (metric:NAME, log:sentiment|nps|csat|ces|touch|bug, field:NAME, goals, milestones, contacts or touch:ROLE)"
                ));
            }
        };
        Ok(source)
    }

    /// The text form, as config files write it.
    pub fn spec(&self) -> String {
        match self {
            Source::Metric { name, .. } => format!("metric:{name}"),
            Source::Log(kind) => format!("log:{}", kind.key()),
            Source::Field(field) => format!("field:{}", field.key()),
            Source::Goals => "goals".into(),
            Source::Milestones => "milestones".into(),
            Source::Contacts => "contacts".into(),
            Source::TouchWith(role) => format!("touch:{}", role.key()),
            Source::Responses { kind, .. } => format!("log:{}", kind.key()),
        }
    }

    /// Read only the responses of these roles (a survey source with `roles = [...]`).
    pub fn with_roles(self, roles: Vec<ContactRole>) -> Result<Source, String> {
        match self {
            _ if roles.is_empty() => Ok(self),
            Source::Log(kind @ (LogKind::Nps | LogKind::Csat | LogKind::Ces)) => {
                Ok(Source::Responses { kind, roles, slot: 0 })
            }
            other => Err(format!(
                "`roles` picks survey respondents: it needs source log:nps, log:csat or log:ces, not {}",
                other.spec()
            )),
        }
    }

    /// The roles a survey source reads, empty for all.
    pub fn roles(&self) -> &[ContactRole] {
        match self {
            Source::Responses { roles, .. } => roles,
            _ => &[],
        }
    }

    /// The log kind behind a log source, with or without roles.
    pub fn log_kind(&self) -> Option<LogKind> {
        match self {
            Source::Log(kind) | Source::Responses { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    /// Whether this source is a dated series (metric samples or log entries).
    pub fn is_series(&self) -> bool {
        matches!(self, Source::Metric { .. } | Source::Log(_) | Source::TouchWith(_) | Source::Responses { .. })
    }
}

impl LogKind {
    /// The kind of entry a log source reads.
    pub fn entry_kind(self) -> EntryKind {
        match self {
            LogKind::Sentiment => EntryKind::Sentiment,
            LogKind::Nps => EntryKind::Nps,
            LogKind::Touch => EntryKind::Touch,
            LogKind::Bug => EntryKind::Bug,
            LogKind::Csat => EntryKind::Csat,
            LogKind::Ces => EntryKind::Ces,
        }
    }

    /// The log source that reads a kind of entry (risk flags feed no factor).
    pub fn of(kind: EntryKind) -> Option<LogKind> {
        match kind {
            EntryKind::Sentiment => Some(LogKind::Sentiment),
            EntryKind::Nps => Some(LogKind::Nps),
            EntryKind::Touch => Some(LogKind::Touch),
            EntryKind::Bug => Some(LogKind::Bug),
            EntryKind::Csat => Some(LogKind::Csat),
            EntryKind::Ces => Some(LogKind::Ces),
            // Risk flags feed no factor (triage reads them), nor do notes.
            EntryKind::Risk | EntryKind::Note => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            LogKind::Sentiment => "sentiment",
            LogKind::Nps => "nps",
            LogKind::Touch => "touch",
            LogKind::Bug => "bug",
            LogKind::Csat => "csat",
            LogKind::Ces => "ces",
        }
    }
}

impl Field {
    pub fn key(&self) -> &str {
        match self {
            Field::Arr => "arr",
            Field::Mrr => "mrr",
            Field::ExpectedUsage => "expected_usage",
            Field::AgeDays => "age_days",
            Field::VolumeScore => "volume_score",
            Field::AdvocacyScore => "advocacy_score",
            Field::BrandScore => "brand_score",
            Field::Attribute { name, .. } => name,
        }
    }
}

/// How a source becomes one raw value on a day. Windows count back from that day: the last
/// `days` days are the ones after `day - days`, up to and including `day`.
#[derive(Clone, Debug, PartialEq)]
pub enum Transform {
    /// The newest value; with `max_age_days`, missing when the newest sample is older; with
    /// `average_days`, the average of the samples of that many days up to the newest (a daily
    /// feed's weekend no longer reads as the account's level: a week's average is).
    Latest {
        max_age_days: Option<i64>,
        average_days: Option<i64>,
    },
    Average {
        days: i64,
    },
    Sum {
        days: i64,
    },
    Count {
        days: i64,
    },
    /// Newest value minus the value `days` before it (absolute, or in percent of the earlier one).
    /// With `average_days`, the average of the samples of that many days up to the newest against
    /// the average of as many days up to `days` before it: a weekly export's noise of a week is
    /// not a month's growth or fall.
    Change {
        days: i64,
        percent: bool,
        max_age_days: Option<i64>,
        average_days: Option<i64>,
    },
    /// Days since the newest sample above zero; once the source is tracked and has none, days
    /// since the account's start.
    DaysSinceLast,
    /// Days from the account's start to its first sample above zero; the wait so far until then.
    DaysToFirst,
    /// Sum over the account's first `days` days.
    SumFromStart {
        days: i64,
    },
    /// This source divided by another: sums over the last `days` days when given, else newest values.
    Ratio {
        denominator: Source,
        days: Option<i64>,
        max_age_days: Option<i64>,
    },
    /// The newest value as a percentage of an expected value held in another source.
    VsExpected {
        expected: Source,
        max_age_days: Option<i64>,
        /// With it, the average of that many days' samples up to the newest, not the newest
        /// alone: one week of an export is no account's usage.
        average_days: Option<i64>,
    },
    /// Of the goals not dropped, the percentage on track or achieved.
    OnTrackPercent,
    /// Milestones past due and not done.
    OverdueCount,
    /// 1 when someone of the role is at the account, else 0 (`has_role:champion`).
    HasRole(ContactRole),
    /// How many people are at the account.
    CountActive,
}

impl Transform {
    pub fn key(&self) -> &'static str {
        match self {
            Transform::Latest { .. } => "latest",
            Transform::Average { .. } => "average",
            Transform::Sum { .. } => "sum",
            Transform::Count { .. } => "count",
            Transform::Change { percent: false, .. } => "change",
            Transform::Change { percent: true, .. } => "change_pct",
            Transform::DaysSinceLast => "days_since_last",
            Transform::DaysToFirst => "days_to_first",
            Transform::SumFromStart { .. } => "sum_from_start",
            Transform::Ratio { .. } => "ratio",
            Transform::VsExpected { .. } => "vs_expected",
            Transform::OnTrackPercent => "on_track_pct",
            Transform::OverdueCount => "overdue_count",
            Transform::HasRole(_) => "has_role",
            Transform::CountActive => "count_active",
        }
    }

    pub const KEYS: [&'static str; 15] = [
        "latest",
        "average",
        "sum",
        "count",
        "change",
        "change_pct",
        "days_since_last",
        "days_to_first",
        "sum_from_start",
        "ratio",
        "vs_expected",
        "on_track_pct",
        "overdue_count",
        "has_role:ROLE",
        "count_active",
    ];

    /// The unit a value of this transform reads in, unless the factor names one.
    pub fn default_unit(&self, source: &Source) -> Unit {
        match self {
            Transform::Change { percent: true, .. } => Unit::SignedPercent,
            Transform::VsExpected { .. } | Transform::OnTrackPercent => Unit::Percent,
            Transform::DaysSinceLast | Transform::DaysToFirst => Unit::Days,
            Transform::Count { .. } | Transform::OverdueCount | Transform::CountActive => Unit::Count,
            _ if matches!(source, Source::Field(Field::AgeDays)) => Unit::Days,
            _ => Unit::Number,
        }
    }

    /// The sources this transform reads besides the factor's own.
    pub fn other_source(&self) -> Option<&Source> {
        match self {
            Transform::Ratio { denominator, .. } => Some(denominator),
            Transform::VsExpected { expected, .. } => Some(expected),
            _ => None,
        }
    }

    fn other_source_mut(&mut self) -> Option<&mut Source> {
        match self {
            Transform::Ratio { denominator, .. } => Some(denominator),
            Transform::VsExpected { expected, .. } => Some(expected),
            _ => None,
        }
    }
}

/// One factor: its config key, how people read it, and how it is derived.
#[derive(Clone, Debug, PartialEq)]
pub struct FactorDef {
    pub key: String,
    pub label: String,
    pub unit: Unit,
    pub source: Source,
    pub transform: Transform,
    /// Optional evidence: counts toward the share of the weight a score needs only where the
    /// account has a value (`health.min_coverage`). Survey answers, an expected usage and bugs
    /// logged in tend are what many accounts lack for reasons that say nothing about them (no
    /// survey reached them, no expectation was set, bugs are kept in another tool).
    pub optional: bool,
}

impl FactorDef {
    /// Every source the factor reads, by its setting: "source", and a ratio's "denominator" or a
    /// comparison's "expected".
    pub fn sources(&self) -> impl Iterator<Item = (&'static str, &Source)> {
        let other = match &self.transform {
            Transform::Ratio { denominator, .. } => Some(("denominator", denominator)),
            Transform::VsExpected { expected, .. } => Some(("expected", expected)),
            _ => None,
        };
        std::iter::once(("source", &self.source)).chain(other)
    }

    /// The metrics the factor reads (`sources`).
    pub fn metric_names(&self) -> impl Iterator<Item = &str> {
        self.sources().filter_map(|(_, s)| match s {
            Source::Metric { name, .. } => Some(name.as_str()),
            _ => None,
        })
    }

    /// Whether `other` defines the same factor, whatever place its sources have in the facts of
    /// its catalog (a slot moves when a factor before it is weighed 0: `config check` then took
    /// every default factor after it for one of the user's own, and refused it).
    pub fn defines_the_same(&self, other: &FactorDef) -> bool {
        fn unslotted(source: &Source) -> Source {
            match source {
                Source::Metric { name, .. } => Source::Metric { name: name.clone(), slot: 0 },
                Source::Responses { kind, roles, .. } => {
                    Source::Responses { kind: *kind, roles: roles.clone(), slot: 0 }
                }
                other => other.clone(),
            }
        }
        fn plain(d: &FactorDef) -> FactorDef {
            let mut d = d.clone();
            d.source = unslotted(&d.source);
            match &mut d.transform {
                Transform::Ratio { denominator, .. } => *denominator = unslotted(denominator),
                Transform::VsExpected { expected, .. } => *expected = unslotted(expected),
                _ => {}
            }
            d
        }
        plain(self) == plain(other)
    }

    pub fn format_value(&self, value: f64) -> String {
        self.unit.format(value)
    }

    /// `format_shown`, a change between two windows of no use read as that ("0 -> 0"), not as a
    /// flat "+0%": a scored factor's value as the Account view and Triage say it.
    pub fn format_scored(&self, value: f64, at_least: bool, no_use: bool) -> String {
        if no_use { "0 -> 0".to_string() } else { self.format_shown(value, at_least) }
    }

    /// A value as the screens show it: "≥12d" where it is a lower bound (no touch logged yet, the
    /// days counted since tend began tracking), and "—" for a lower bound of nothing: "at least
    /// 0 days" is true of any account and reads as if a touch was logged today.
    pub fn format_shown(&self, value: f64, at_least: bool) -> String {
        match at_least {
            true if value <= 0.0 => "—".to_string(),
            true => format!("≥{}", self.format_value(value)),
            false => self.format_value(value),
        }
    }

    /// Why this source cannot feed this transform, if it cannot.
    pub fn problem(&self) -> Option<String> {
        let (s, t) = (&self.source, &self.transform);
        let needs_series = matches!(
            t,
            Transform::Average { .. }
                | Transform::Sum { .. }
                | Transform::Count { .. }
                | Transform::Change { .. }
                | Transform::DaysSinceLast
                | Transform::DaysToFirst
                | Transform::SumFromStart { .. }
        ) || matches!(t, Transform::Ratio { days: Some(_), .. });
        let reason = match t {
            Transform::OnTrackPercent if *s != Source::Goals => Some("on_track_pct reads source \"goals\""),
            Transform::OverdueCount if *s != Source::Milestones => Some("overdue_count reads source \"milestones\""),
            Transform::HasRole(_) | Transform::CountActive if *s != Source::Contacts => {
                Some("has_role and count_active read source \"contacts\"")
            }
            _ if matches!(s, Source::Contacts) && !matches!(t, Transform::HasRole(_) | Transform::CountActive) => {
                Some("source \"contacts\" takes transform \"has_role:ROLE\" or \"count_active\"")
            }
            _ if matches!(s, Source::Goals) && *t != Transform::OnTrackPercent => {
                Some("source \"goals\" takes transform \"on_track_pct\"")
            }
            _ if matches!(s, Source::Milestones) && *t != Transform::OverdueCount => {
                Some("source \"milestones\" takes transform \"overdue_count\"")
            }
            _ if needs_series && !s.is_series() => {
                Some("this transform reads dated samples: a metric:NAME or log:KIND source, not an account field")
            }
            _ => None,
        };
        if let Some(r) = reason {
            return Some(r.to_string());
        }
        let windows = match t {
            Transform::Average { days }
            | Transform::Sum { days }
            | Transform::Count { days }
            | Transform::SumFromStart { days } => vec![("days", Some(*days))],
            Transform::Change { days, average_days, .. } => {
                vec![("days", Some(*days)), ("average_days", *average_days)]
            }
            Transform::Ratio { days, max_age_days, .. } => vec![("days", *days), ("max_age_days", *max_age_days)],
            Transform::Latest { max_age_days, average_days } => {
                vec![("max_age_days", *max_age_days), ("average_days", *average_days)]
            }
            Transform::VsExpected { max_age_days, average_days, .. } => {
                vec![("max_age_days", *max_age_days), ("average_days", *average_days)]
            }
            _ => vec![],
        };
        if let Some((key, Some(d))) = windows.into_iter().find(|(_, d)| d.is_some_and(|d| !(1..=3650).contains(&d))) {
            return Some(format!("{key} must be 1-3650, not {d}"));
        }
        match t.other_source() {
            Some(Source::Goals | Source::Milestones | Source::Contacts) => {
                Some("goals, milestones and contacts cannot be a second source".into())
            }
            _ => None,
        }
    }
}

/// Every factor of a configuration, in display order, and the data they need.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalog {
    pub defs: Vec<FactorDef>,
    /// Metric names factors read, by slot.
    pub metrics: Vec<String>,
    /// Attribute names factors read, by slot.
    pub attributes: Vec<String>,
    /// Survey sources read by role (kind, roles), by slot.
    pub responses: Vec<(LogKind, Vec<ContactRole>)>,
}

impl Catalog {
    /// Build from definitions in order, giving each metric and attribute a slot.
    pub fn new(defs: Vec<FactorDef>) -> Catalog {
        let mut catalog =
            Catalog { defs: Vec::new(), metrics: Vec::new(), attributes: Vec::new(), responses: Vec::new() };
        for mut def in defs {
            catalog.assign_slot(&mut def.source);
            if let Some(other) = def.transform.other_source_mut() {
                catalog.assign_slot(other);
            }
            catalog.defs.push(def);
        }
        catalog
    }

    fn assign_slot(&mut self, source: &mut Source) {
        let (names, name, slot) = match source {
            Source::Metric { name, slot } => (&mut self.metrics, name, slot),
            Source::Field(Field::Attribute { name, slot }) => (&mut self.attributes, name, slot),
            Source::Responses { kind, roles, slot } => {
                let key = (*kind, roles.clone());
                *slot = self.responses.iter().position(|r| *r == key).unwrap_or_else(|| {
                    self.responses.push(key);
                    self.responses.len() - 1
                });
                return;
            }
            _ => return,
        };
        *slot = names.iter().position(|n| n == name).unwrap_or_else(|| {
            names.push(name.clone());
            names.len() - 1
        });
    }

    pub fn len(&self) -> usize {
        self.defs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }

    pub fn ids(&self) -> impl Iterator<Item = FactorId> + '_ {
        (0..self.defs.len()).map(|i| FactorId(i as u8))
    }

    pub fn id(&self, key: &str) -> Option<FactorId> {
        self.defs.iter().position(|d| d.key == key).map(|i| FactorId(i as u8))
    }

    /// Whether `def` is defined as `other` (the built-in defaults' catalog) defines the factor of
    /// its key (`FactorDef::defines_the_same`): a factor written out as the default has it is the
    /// default's, not a choice of the user's.
    pub fn defines_as(other: &Catalog, def: &FactorDef) -> bool {
        other.id(&def.key).is_some_and(|id| other.def(id).defines_the_same(def))
    }

    /// The definition of a factor of this catalog. Ids come from the catalog, so one beyond it is
    /// a programming error caught in tests; it reads as an unknown factor rather than panicking.
    pub fn def(&self, id: FactorId) -> &FactorDef {
        static UNKNOWN: std::sync::OnceLock<FactorDef> = std::sync::OnceLock::new();
        self.defs.get(id.index()).unwrap_or_else(|| {
            UNKNOWN.get_or_init(|| FactorDef {
                key: "unknown".into(),
                label: "Unknown factor".into(),
                unit: Unit::Number,
                source: Source::Goals,
                transform: Transform::OnTrackPercent,
                optional: false,
            })
        })
    }

    pub fn key(&self, id: FactorId) -> &str {
        &self.def(id).key
    }

    pub fn label(&self, id: FactorId) -> &str {
        &self.def(id).label
    }

    /// The slot of the metric `name` among those factors read; None for a metric none reads.
    pub fn metric_slot(&self, name: &str) -> Option<usize> {
        self.metrics.iter().position(|m| m == name)
    }

    pub fn format_value(&self, id: FactorId, value: f64) -> String {
        self.def(id).format_value(value)
    }

    /// The first factor deriving `transform` from `source`, e.g. days since the last touch.
    pub fn find(&self, source: &Source, transform: &str) -> Option<FactorId> {
        self.defs.iter().position(|d| d.source == *source && d.transform.key() == transform).map(|i| FactorId(i as u8))
    }

    /// Whether some factor can have a value from account fields alone, so that an account without
    /// a single sample or entry can still score. A field that is only the expectation or the
    /// denominator of a dated source does not count: without the dated source there is no value
    /// (the built-in usage-vs-expected reads `expected_usage` so, and a fresh import of a million
    /// accounts must not score each of them on every day of history for nothing).
    pub fn values_from_fields_alone(&self) -> bool {
        self.defs.iter().any(|d| {
            matches!(d.source, Source::Field(_))
                && d.transform.other_source().is_none_or(|other| matches!(other, Source::Field(_)))
        })
    }
}

/// What a book holds, for checking a catalog against it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DataInventory {
    pub metrics: Vec<String>,
    /// Per attribute a factor reads: (accounts with it, how many of those values are numbers),
    /// and one value that is not a number, if any.
    pub attributes: Vec<(String, usize, usize, Option<String>)>,
    pub logs: Vec<LogKind>,
    pub goals: bool,
    pub milestones: bool,
    pub contacts: bool,
    pub accounts: usize,
    pub with_expected_usage: usize,
    pub with_customer_since: usize,
}

/// One finding of `Catalog::check`: refused (`error`) or warned about.
#[derive(Clone, Debug, PartialEq)]
pub struct DataFinding {
    pub key: String,
    /// The setting the finding is about: "source", "expected" or "denominator".
    pub setting: &'static str,
    pub error: bool,
    pub reason: String,
}

impl Catalog {
    /// Check every factor's sources against what the book holds. A metric the book does not
    /// have (while it has others), an attribute no account has, or one whose values are not
    /// numbers is an error; a source with no data at all is a warning (the factor stays missing).
    pub fn check(&self, data: &DataInventory) -> Vec<DataFinding> {
        let mut out = Vec::new();
        for def in &self.defs {
            for (setting, source) in def.sources() {
                if let Some((error, reason)) = source_finding(source, data) {
                    out.push(DataFinding { key: def.key.clone(), setting, error, reason });
                }
            }
        }
        out
    }
}

/// Names analytics tools give a count of active users, which a metrics import reads as
/// `active_users`, the metric the built-in factors read, where no factor reads them as written.
pub const ACTIVE_USERS_NAMES: [&str; 4] = ["wau", "dau", "weekly_active_users", "daily_active_users"];

fn source_finding(source: &Source, data: &DataInventory) -> Option<(bool, String)> {
    let none = |what: &str| Some((false, format!("the book has no {what} yet: the factor stays missing")));
    match source {
        Source::Metric { name, .. } if data.metrics.contains(name) => None,
        Source::Metric { name, .. } if data.metrics.is_empty() => none(&format!("metric samples (\"{name}\")")),
        Source::Metric { name, .. } => {
            // A count of active users as analytics tools name it was imported under the name the
            // built-in factors read (a probe's factor on its own file's name was refused bare).
            let read_as = ACTIVE_USERS_NAMES
                .contains(&name.as_str())
                .then_some("active_users")
                .filter(|read| data.metrics.iter().any(|m| m == read))
                .map(|read| format!(" (an import reads \"{name}\" as {read}: name that)"))
                .or_else(|| {
                    // A slip of a name the book has ("login" for logins), offered.
                    let near = crate::text::closest(name, data.metrics.iter().map(String::as_str), 0.85);
                    (!near.is_empty()).then(|| format!(" (did you mean {}?)", near.join(" or ")))
                })
                .unwrap_or_default();
            Some((
                true,
                format!("unknown metric \"{name}\": the book's metrics are {}{read_as}", data.metrics.join(", ")),
            ))
        }
        Source::Log(kind) | Source::Responses { kind, .. } if data.logs.contains(kind) => None,
        // Bugs count only once the book logs bugs: until then the factor stays missing.
        Source::Log(LogKind::Bug) => Some((
            false,
            "the book has no bug entries yet: the factor stays missing until one is logged (then none on an account \
             with entries is a real 0)"
                .to_string(),
        )),
        // Touches are events: an account with other entries logged is tracked, and none there
        // is a clock from its first entry, not missing.
        Source::Log(kind @ LogKind::Touch) => Some((
            false,
            format!(
                "the book has no {} entries yet: accounts with other entries logged count none, the rest stay missing",
                kind.key()
            ),
        )),
        Source::Log(kind) | Source::Responses { kind, .. } => none(&format!("{} entries", kind.key())),
        Source::Goals if data.goals => None,
        Source::Goals => none("goals"),
        Source::Milestones if data.milestones => None,
        Source::Milestones => none("milestones"),
        Source::Contacts | Source::TouchWith(_) if data.contacts => None,
        Source::Contacts | Source::TouchWith(_) => none("contacts"),
        Source::Field(Field::Attribute { name, .. }) => {
            let Some((_, with, numeric, sample)) = data.attributes.iter().find(|a| a.0 == *name) else {
                return Some((
                    true,
                    format!(
                        "no account has a field \"{name}\" (import it as a column, or use arr, mrr, expected_usage, age_days, volume_score, advocacy_score or brand_score)"
                    ),
                ));
            };
            match (numeric, sample) {
                (0, Some(v)) => Some((true, format!("field \"{name}\" is not numeric (e.g. \"{v}\")"))),
                (n, Some(v)) => Some((
                    false,
                    format!(
                        "{} of {with} values of \"{name}\" are not numbers (e.g. \"{v}\"): those accounts stay missing",
                        with - n
                    ),
                )),
                _ => None,
            }
        }
        Source::Field(Field::ExpectedUsage) if data.accounts > 0 && data.with_expected_usage == 0 => {
            none("expected usage on any account")
        }
        Source::Field(Field::AgeDays) if data.accounts > 0 && data.with_customer_since == 0 => {
            none("customer-since date on any account")
        }
        Source::Field(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(key: &str, source: &str, transform: Transform) -> FactorDef {
        FactorDef {
            key: key.into(),
            label: key.into(),
            unit: Unit::Number,
            source: Source::parse(source).unwrap(),
            transform,
            optional: false,
        }
    }

    #[test]
    fn sources_parse_and_print_back() {
        for text in [
            "metric:usage",
            "log:sentiment",
            "log:touch",
            "field:arr",
            "field:age_days",
            "field:plan_seats",
            "goals",
            "milestones",
        ] {
            assert_eq!(Source::parse(text).unwrap().spec(), text);
        }
        assert!(Source::parse("log:mood").unwrap_err().contains("log:mood"));
        assert!(Source::parse("usage").unwrap_err().contains("metric:NAME"));
        assert!(Source::parse("metric:").is_err());
    }

    #[test]
    fn metrics_and_attributes_share_slots_by_name() {
        let catalog = Catalog::new(vec![
            def("a", "metric:usage", Transform::Latest { max_age_days: None, average_days: None }),
            def(
                "b",
                "metric:cost",
                Transform::Ratio {
                    denominator: Source::parse("metric:emails").unwrap(),
                    days: None,
                    max_age_days: None,
                },
            ),
            def("c", "metric:usage", Transform::Sum { days: 30 }),
            def("d", "field:seats", Transform::Latest { max_age_days: None, average_days: None }),
        ]);
        assert_eq!(catalog.metrics, ["usage", "cost", "emails"]);
        assert_eq!(catalog.attributes, ["seats"]);
        assert_eq!(catalog.def(FactorId(2)).source, Source::Metric { name: "usage".into(), slot: 0 });
        assert_eq!(
            catalog.def(FactorId(1)).transform.other_source(),
            Some(&Source::Metric { name: "emails".into(), slot: 2 })
        );
        assert_eq!(catalog.id("c"), Some(FactorId(2)));
        assert!(catalog.values_from_fields_alone());
        // A field as the expectation of a metric gives no value without the metric.
        let expected_only = Catalog::new(vec![def(
            "usage_vs_expected",
            "metric:usage",
            Transform::VsExpected {
                expected: Source::parse("field:expected_usage").unwrap(),
                max_age_days: None,
                average_days: None,
            },
        )]);
        assert!(!expected_only.values_from_fields_alone());
        let both_fields = Catalog::new(vec![def(
            "arr_per_seat",
            "field:arr",
            Transform::Ratio { denominator: Source::parse("field:seats").unwrap(), days: None, max_age_days: None },
        )]);
        assert!(both_fields.values_from_fields_alone());
    }

    #[test]
    fn the_catalog_is_checked_against_the_book() {
        let latest = Transform::Latest { max_age_days: None, average_days: None };
        let catalog = Catalog::new(vec![
            def("usage", "metric:usage", latest.clone()),
            def("api", "metric:api_calls", latest.clone()),
            def("seats", "field:seats", latest.clone()),
            def("tier", "field:tier", latest.clone()),
            def("plan", "field:plan_level", latest.clone()),
            def("nps", "log:nps", latest.clone()),
            def(
                "cost",
                "metric:usage",
                Transform::Ratio {
                    denominator: Source::parse("field:missing_field").unwrap(),
                    days: None,
                    max_age_days: None,
                },
            ),
        ]);
        let data = DataInventory {
            metrics: vec!["usage".into(), "logins".into()],
            attributes: vec![
                ("seats".into(), 10, 10, None),
                ("tier".into(), 10, 0, Some("gold".into())),
                ("plan_level".into(), 10, 8, Some("n/a".into())),
            ],
            accounts: 10,
            ..Default::default()
        };
        let found = catalog.check(&data);
        let of = |key: &str| found.iter().filter(|f| f.key == key).collect::<Vec<_>>();
        assert!(of("usage").is_empty());
        assert!(of("seats").is_empty());
        assert!(of("api")[0].error && of("api")[0].reason.contains("unknown metric \"api_calls\""), "{found:?}");
        assert!(of("tier")[0].error && of("tier")[0].reason.contains("not numeric"), "{found:?}");
        assert!(!of("plan")[0].error && of("plan")[0].reason.contains("2 of 10"), "{found:?}");
        assert!(!of("nps")[0].error, "no NPS logged yet: a warning");
        assert_eq!((of("cost")[0].setting, of("cost")[0].error), ("denominator", true));
        // A count of active users named as analytics tools name it: the name it was imported as.
        let wau = Catalog::new(vec![def(
            "wau_trend",
            "metric:weekly_active_users",
            Transform::Latest { max_age_days: None, average_days: None },
        )]);
        let with_active = DataInventory { metrics: vec!["active_users".into()], accounts: 10, ..Default::default() };
        let reason = &wau.check(&with_active)[0].reason;
        assert!(reason.ends_with("(an import reads \"weekly_active_users\" as active_users: name that)"), "{reason}");
        assert!(!catalog.check(&data).iter().any(|f| f.reason.contains("an import reads")), "{found:?}");
        // A book without any metric yet only warns.
        let empty = DataInventory { accounts: 10, ..Default::default() };
        assert!(catalog.check(&empty).iter().filter(|f| f.key == "api").all(|f| !f.error));
    }

    #[test]
    fn transforms_that_need_samples_refuse_fields() {
        let def = def("x", "field:arr", Transform::Sum { days: 30 });
        assert!(def.problem().unwrap().contains("dated samples"));
        let goals = FactorDef {
            source: Source::Goals,
            transform: Transform::Latest { max_age_days: None, average_days: None },
            ..def
        };
        assert!(goals.problem().unwrap().contains("on_track_pct"));
    }
}
