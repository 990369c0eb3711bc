//! Configuration: TOML, merged over the built-in defaults, which are `config.example.toml` itself.

pub mod keys;
pub(crate) mod locate;
pub mod paths;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::domain::health::HealthConfig;
use crate::domain::journey::JourneysConfig;
use crate::domain::renewal::RenewalsConfig;
use crate::domain::segment::SegmentConfig;
use crate::domain::triage::TriageConfig;
use crate::import::ImportConfig;

/// The documented example file is the source of the defaults, so the two can never disagree.
pub const EXAMPLE_TOML: &str = include_str!("../../config.example.toml");

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The CSM this user is; empty when unset.
    pub me: String,
    pub health: HealthConfig,
    pub segments: SegmentConfig,
    pub journeys: JourneysConfig,
    pub history: HistoryConfig,
    /// What the leaders' figures assume (`[metrics]`).
    pub metrics: MetricsConfig,
    pub triage: TriageConfig,
    pub renewals: RenewalsConfig,
    pub import: ImportConfig,
    /// Keys of the user's own for the TUI (`[keys.VIEW]`); none by default.
    #[serde(default)]
    pub keys: keys::KeysConfig,
    /// Tasks opened when a trigger fires (`[[playbooks]]`); none by default.
    #[serde(default)]
    pub playbooks: Vec<crate::domain::playbook::Playbook>,
}

/// How far back health history reaches.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryConfig {
    pub days: i64,
}

/// What the leaders' figures assume.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsConfig {
    /// The share of revenue kept after the cost of serving it, for lifetime value (1.0: the
    /// lifetime value of revenue).
    pub gross_margin: f64,
}

/// One thing wrong with a config file.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub key: String,
    pub line: Option<usize>,
    pub reason: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("config file {path} is not valid TOML, line {line}, column {column}: {reason}")]
    Syntax { path: PathBuf, line: usize, column: usize, reason: String },
    #[error("config file {path} is invalid:{}", list(path, problems))]
    Invalid { path: PathBuf, problems: Vec<Problem> },
}

fn list(path: &Path, problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| match p.line {
            Some(line) => format!("\n  {}:{line}: key `{}`: {}", path.display(), p.key, p.reason),
            None => format!("\n  {}: key `{}`: {}", path.display(), p.key, p.reason),
        })
        .collect()
}

impl Default for Config {
    fn default() -> Self {
        let mut config: Config = toml::from_str(EXAMPLE_TOML).expect("config.example.toml is a valid config");
        config.settle();
        config
    }
}

impl Config {
    /// Load a config file. A missing file at the default location means the defaults; a missing
    /// file the user named explicitly is an error.
    pub fn load(path: &Path, must_exist: bool) -> Result<Config, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Config::from_toml(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => Ok(Config::default()),
            Err(source) => Err(ConfigError::Read { path: path.to_path_buf(), source }),
        }
    }

    /// Parse a user's TOML text, merged over the defaults, then validate it.
    pub fn from_toml(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let user: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let (line, column) = e.span().map_or((1, 1), |s| locate::line_col(text, s.start));
            let mut reason = e.message().trim().to_string();
            // A bare word starting with t or f is read as a boolean gone wrong: "weight = three"
            // said "invalid boolean, expected `true`" to a probe who meant a number.
            if reason.starts_with("invalid boolean") {
                reason.push_str(" (a number is written in digits, weight = 3; words in quotes, me = \"Dana\")");
            }
            ConfigError::Syntax { path: path.to_path_buf(), line, column, reason }
        })?;
        let mut merged: toml::Table = EXAMPLE_TOML.parse().expect("config.example.toml parses");
        let invalid = |problems: Vec<Problem>| ConfigError::Invalid { path: path.to_path_buf(), problems };
        let misspelt = misspelt_factors(&user, &merged);
        if !misspelt.is_empty() {
            let problems = misspelt.into_iter().map(|(key, reason)| Problem {
                line: locate::line_of_key(text, &key),
                key,
                reason,
            });
            return Err(invalid(problems.collect()));
        }
        merge(&mut merged, user);
        inherit_profile_rules(&mut merged);

        let mut config: Config = Config::deserialize(toml::Value::Table(merged)).map_err(|e| {
            let (mut reason, key) = split_key(&e.to_string());
            // A factor of one's own that lacks a setting may be a built-in one's key misspelt
            // (`usage_grwoth` read "missing field `weight`" alone).
            let defaults = Config::default();
            let built_in = defaults.health.catalog.ids().map(|id| defaults.health.catalog.def(id).key.as_str());
            if let Some(factor) = key.strip_prefix("health.factors.").filter(|_| reason.starts_with("missing field"))
                && let Some(near) = crate::text::closest(factor, built_in, 0.85).first()
                && near != factor
            {
                reason = format!(
                    "{reason} (did you mean {near}? a factor of your own needs weight, better and thresholds too)"
                );
            }
            invalid(vec![Problem { line: locate::line_of_key_found(text, &key, &reason), key, reason }])
        })?;
        config.settle();
        // A built-in factor's block under a slip of its key is a second factor deriving the same:
        // every score changes, which a warning in `tend config check` alone left unsaid.
        let misspelt_twins = config.twin_factors().into_iter().filter(|t| t.misspelt).map(|t| (t.key, t.why));
        let problems: Vec<Problem> = config
            .problems()
            .into_iter()
            .chain(misspelt_twins)
            .map(|(key, reason)| Problem { line: locate::line_of_key(text, &key), key, reason })
            .collect();
        if problems.is_empty() { Ok(config) } else { Err(invalid(problems)) }
    }

    /// Put loaded parts in order: segments highest first, and the health model told the segment
    /// scheme its profiles are chosen by.
    fn settle(&mut self) {
        self.segments.normalise();
        self.health.segments = Some(std::sync::Arc::new(self.segments.clone()));
    }

    /// Everything wrong with this configuration, as (full key, reason).
    pub fn problems(&self) -> Vec<(String, String)> {
        let prefixed = |prefix: &'static str, problems: Vec<(String, String)>| {
            problems.into_iter().map(move |(k, r)| (format!("{prefix}.{k}"), r))
        };
        let names = self.segments.names();
        prefixed("health", self.health.problems())
            .chain(prefixed("health", self.health.unknown_segments(&names)))
            .chain(prefixed("segments", self.segments.problems()))
            .chain(prefixed("journeys", self.journeys.problems()))
            .chain(prefixed("history", self.history_problems()))
            .chain(prefixed("metrics", self.metrics_problems()))
            .chain(prefixed("triage", self.triage.problems()))
            .chain(prefixed("triage", self.triage.unknown_segments(&self.cadence_segments())))
            .chain(prefixed("triage", self.triage.unknown_factors(&self.health.catalog)))
            .chain(
                crate::domain::playbook::problems(&self.playbooks, &self.health.catalog, &self.segments.names())
                    .into_iter()
                    .map(|(k, r)| (format!("playbooks{k}"), r)),
            )
            .chain(prefixed("renewals", self.renewals.problems()))
            .chain(prefixed("import", self.import.problems()))
            .chain(prefixed("keys", self.keys.problems()))
            .collect()
    }

    /// The segments a touch cadence may be set for: those of either scheme, and those the
    /// built-in cadences list (kept when a config renames its segments, and no typo). The
    /// built-in ones are read from the example only where a cadence names neither scheme's, not
    /// on every load.
    fn cadence_segments(&self) -> Vec<&str> {
        let mut names = self.segments.all_names();
        if self.triage.touch_cadence_days.keys().all(|k| names.contains(&k.as_str())) {
            return names;
        }
        static BUILT_IN: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
            let table: toml::Table = toml::from_str(EXAMPLE_TOML).unwrap_or_default();
            let cadences = table.get("triage").and_then(|t| t.get("touch_cadence_days")).and_then(|c| c.as_table());
            cadences.map(|c| c.keys().cloned().collect()).unwrap_or_default()
        });
        for name in BUILT_IN.iter() {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        names
    }

    fn history_problems(&self) -> Vec<(String, String)> {
        let d = self.history.days;
        if (31..=1830).contains(&d) {
            Vec::new()
        } else {
            vec![("days".into(), format!("must be 31-1830 days, not {d}"))]
        }
    }

    fn metrics_problems(&self) -> Vec<(String, String)> {
        let m = self.metrics.gross_margin;
        if m > 0.0 && m <= 1.0 {
            Vec::new()
        } else {
            vec![("gross_margin".into(), format!("must be above 0 and at most 1 (0.8 is an 80% margin), not {m}"))]
        }
    }

    /// This config as a member's own tend has it on a team book: `me` is the CSM they sign in as
    /// (their list's key and the rules' text a kept list is checked against both read it).
    pub fn as_member(&self, csm: &str) -> Config {
        Config { me: csm.to_string(), ..self.clone() }
    }

    /// The config with `me` as the book spells it (see `book::resolve::as_book_spells`).
    pub fn with_me_in(mut self, book: &(impl crate::book::storage::BookRead + ?Sized)) -> Config {
        if let Some(me) = self.me() {
            self.me = crate::book::resolve::as_book_spells(book, me);
        }
        self
    }

    /// The CSM name to sign entries with, if the user set one.
    pub fn me(&self) -> Option<&str> {
        Some(self.me.trim()).filter(|m| !m.is_empty())
    }

    /// The effective configuration as TOML, for `tend config check`.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a config always serialises")
    }
}

/// Where a factor's setting is in a user's config text: the full key and its line, looked for in
/// the default profile, the jumpstart profile and each segment profile. No line: the user's file
/// does not define that factor (it comes from the defaults).
pub fn factor_location(text: &str, factor: &str, setting: &str) -> (String, Option<usize>) {
    let fallback = format!("health.factors.{factor}.{setting}");
    let Ok(user) = text.parse::<toml::Table>() else { return (fallback, None) };
    let mut prefixes = vec!["health.factors".to_string(), "health.jumpstart.factors".to_string()];
    if let Some(profiles) = user.get("health").and_then(|h| h.get("profiles")).and_then(|p| p.as_table()) {
        prefixes.extend(profiles.keys().map(|name| format!("health.profiles.{name}.factors")));
    }
    let root = toml::Value::Table(user);
    for prefix in prefixes {
        let key = format!("{prefix}.{factor}.{setting}");
        if key.split('.').try_fold(&root, |v, part| v.get(part)).is_some() {
            let line = locate::line_of_key(text, &key);
            return (key, line);
        }
    }
    (fallback, None)
}

/// The id of a factor of the default configuration, for tests.
#[cfg(test)]
pub(crate) fn builtin(key: &str) -> crate::domain::FactorId {
    static DEFAULT: std::sync::LazyLock<Config> = std::sync::LazyLock::new(Config::default);
    DEFAULT.health.catalog.id(key).unwrap_or_else(|| panic!("no factor {key} in the default config"))
}

/// Factors the user names (under `[health.factors]`, jumpstart or a profile) that are no
/// built-in factor and say no source: most likely a built-in one misspelt ("sentimnet" met
/// "missing field `better`"). Under jumpstart or a profile, only those near a known key.
fn misspelt_factors(user: &toml::Table, defaults: &toml::Table) -> Vec<(String, String)> {
    // The factor tables of the main score, jumpstart and each profile, by their key prefix.
    let tables = |t: &toml::Table| -> Vec<(String, toml::Table)> {
        let Some(health) = t.get("health").and_then(toml::Value::as_table) else { return Vec::new() };
        let factors = |v: Option<&toml::Value>| v?.as_table()?.get("factors")?.as_table().cloned();
        let mut out: Vec<(String, toml::Table)> = Vec::new();
        out.extend(factors(Some(&toml::Value::Table(health.clone()))).map(|f| ("health.factors".to_string(), f)));
        out.extend(factors(health.get("jumpstart")).map(|f| ("health.jumpstart.factors".to_string(), f)));
        for (name, profile) in health.get("profiles").and_then(toml::Value::as_table).into_iter().flatten() {
            out.extend(factors(Some(profile)).map(|f| (format!("health.profiles.{name}.factors"), f)));
        }
        out
    };
    // A factor any table of the defaults defines is known: a profile may weigh the main ones.
    let known: std::collections::BTreeSet<String> =
        tables(defaults).into_iter().flat_map(|(_, t)| t.into_iter().map(|(k, _)| k)).collect();
    let defined: std::collections::BTreeSet<String> = tables(user)
        .into_iter()
        .flat_map(|(_, t)| t.into_iter().filter(|(_, v)| v.as_table().is_some_and(|t| t.contains_key("source"))))
        .map(|(k, _)| k)
        .collect();
    tables(user)
        .into_iter()
        .flat_map(|(prefix, given)| given.into_iter().map(move |(key, value)| (prefix.clone(), key, value)))
        .filter(|(_, key, value)| {
            !known.contains(key)
                && !defined.contains(key)
                && value.as_table().is_some_and(|t| !t.contains_key("source"))
        })
        .filter_map(|(prefix, key, _)| {
            let near = crate::text::closest(&key, known.iter().map(String::as_str), 0.85).into_iter().next();
            // Under jumpstart or a profile, only a slip of a known key: any other is an unknown
            // factor, said with the config's other problems.
            if near.is_none() && prefix != "health.factors" {
                return None;
            }
            let near = near.map_or(String::new(), |k| format!(" (did you mean {k}?)"));
            Some((
                format!("{prefix}.{key}"),
                format!(
                    "no built-in factor is called \"{key}\"{near}; a factor of your own needs a source, a transform, \
                     better and thresholds (see config.example.toml)"
                ),
            ))
        })
        .collect()
}

impl Config {
    /// Segments of the scheme in use without a touch cadence, where the cadences set name
    /// segments no scheme has any more (a probe renamed its ARR bands to Enterprise and SMB, and
    /// every account fell to the default cadence of 45 days without a word; Elephants had 14).
    /// None when every segment has one, or the cadences name none that is gone.
    pub fn cadence_warning(&self) -> Option<String> {
        let cadences = &self.triage.touch_cadence_days;
        let all = self.segments.all_names();
        let gone: Vec<&str> = cadences.keys().map(String::as_str).filter(|k| !all.contains(k)).collect();
        let uncovered: Vec<&str> = self
            .segments
            .names()
            .into_iter()
            .filter(|n| *n != crate::domain::segment::UNSEGMENTED && !cadences.contains_key(*n))
            .collect();
        if gone.is_empty() || uncovered.is_empty() {
            return None;
        }
        Some(format!(
            "no touch cadence is set for {}: their accounts are due a touch every {} days (default_touch_cadence_days); \
                 the cadences set are for {}, which no segment is called now",
            uncovered.join(", "),
            self.triage.default_touch_cadence_days,
            gone.join(", ")
        ))
    }

    /// Factors of your own that derive just what a built-in factor derives (the same source and
    /// transform, its window too), with why to look: a block copied from config.example.toml
    /// under a misspelt key ("bugs_escalted") is a factor of its own beside the built-in one, so
    /// the same data counts twice. Refused where the key is a slip of the built-in one's; the
    /// others are warned about in `tend config check`.
    pub fn twin_factors(&self) -> Vec<TwinFactor> {
        let defaults = Config::default();
        let (builtin, mine) = (&defaults.health.catalog, &self.health.catalog);
        mine.ids()
            .map(|id| mine.def(id))
            .filter(|def| builtin.id(&def.key).is_none())
            .filter_map(|def| {
                let weighed = || builtin.ids().map(|b| builtin.def(b)).filter(|b| mine.id(&b.key).is_some());
                // A typo of a built-in key (a letter or two off) reading its source the same way
                // is a copy of its block whatever its windows (a probe's copy had left out
                // `average_days`, and read valid).
                let slip = weighed().find(|b| {
                    b.source == def.source
                        && b.transform.key() == def.transform.key()
                        && strsim::damerau_levenshtein(&def.key, &b.key) <= 2
                });
                let (twin, misspelt) = match slip {
                    Some(twin) => (twin, true),
                    None => {
                        let twin = weighed().find(|b| b.source == def.source && b.transform == def.transform)?;
                        (twin, !crate::text::closest(&def.key, [twin.key.as_str()], 0.85).is_empty())
                    }
                };
                let then = match misspelt {
                    true => format!(
                        ", a misspelling of it?: the same data would count twice; name it {} to change the \
                         built-in one",
                        twin.key
                    ),
                    false => ": where both weigh, the same data counts twice".to_string(),
                };
                let why = format!(
                    "derives what the built-in factor {} derives (source {}, transform {}){then}",
                    twin.key,
                    def.source.spec(),
                    def.transform.key()
                );
                Some(TwinFactor { key: format!("health.factors.{}", def.key), why, misspelt })
            })
            .collect()
    }
}

/// A factor of one's own that derives just what a built-in one derives (`Config::twin_factors`).
#[derive(Clone, Debug, PartialEq)]
pub struct TwinFactor {
    /// Its full key ("health.factors.bugs_escalted").
    pub key: String,
    pub why: String,
    /// Its key is a slip of the built-in one's: refused, not warned about.
    pub misspelt: bool,
}

/// Merge `over` into `base`: tables merge key by key, anything else (arrays too) is replaced. A
/// factor given a transform takes none of the example's settings of its old one (its days,
/// windows, unit), so they do not linger and a setting can be left out; given another source,
/// none of its respondent roles. The rest of its definition holds: a factor pointed at another
/// metric alone keeps its transform, windows and label (a probe's `source = "metric:logins"`
/// was refused for want of a transform, and once given one lost its label without a word).
fn merge(base: &mut toml::Table, over: toml::Table) {
    const TRANSFORM_SETTINGS: [&str; 6] = ["days", "max_age_days", "average_days", "expected", "denominator", "unit"];
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => {
                if o.contains_key("transform") {
                    b.retain(|k, _| !TRANSFORM_SETTINGS.contains(&k));
                }
                if o.get("source").is_some_and(|v| b.get("source") != Some(v)) {
                    b.remove("roles");
                }
                merge(b, o)
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// A factor named under jumpstart or a profile without its weight, better or thresholds takes
/// those of the default profile (`[health.factors]`): naming it is enough, and a setting given
/// changes that one alone (a probe's `weight = 4` under a profile was refused for want of
/// `better`, then of `thresholds`, one at a time).
fn inherit_profile_rules(merged: &mut toml::Table) {
    const RULE: [&str; 3] = ["weight", "better", "thresholds"];
    let Some(toml::Value::Table(health)) = merged.get_mut("health") else { return };
    let defaults: toml::Table = match health.get("factors") {
        Some(toml::Value::Table(factors)) => factors.clone(),
        _ => return,
    };
    let mut profiles: Vec<&mut toml::Table> = Vec::new();
    for (key, value) in health.iter_mut() {
        match (key.as_str(), value) {
            ("jumpstart", toml::Value::Table(t)) => profiles.push(t),
            ("profiles", toml::Value::Table(named)) => profiles.extend(named.iter_mut().filter_map(|(_, p)| match p {
                toml::Value::Table(t) => Some(t),
                _ => None,
            })),
            _ => {}
        }
    }
    for profile in profiles {
        let Some(toml::Value::Table(factors)) = profile.get_mut("factors") else { continue };
        for (key, entry) in factors.iter_mut() {
            let (toml::Value::Table(entry), Some(toml::Value::Table(default))) = (entry, defaults.get(key)) else {
                continue;
            };
            for setting in RULE {
                if !entry.contains_key(setting)
                    && let Some(value) = default.get(setting)
                {
                    entry.insert(setting.to_string(), value.clone());
                }
            }
        }
    }
}

/// A deserialisation error reads "reason\nin `a.b.c`"; split it into the reason and the key.
fn split_key(message: &str) -> (String, String) {
    let (reason, key) = match message.rsplit_once("\nin `") {
        Some((reason, key)) => (reason.trim().to_string(), key.trim().trim_end_matches('`').to_string()),
        None => (message.trim().to_string(), String::new()),
    };
    // An unknown key is named in full ("healt", "health.jumpstart_dys"), so its line is found.
    let key = match reason.strip_prefix("unknown field `").and_then(|r| r.split_once('`')) {
        Some((field, _)) if key.is_empty() => field.to_string(),
        Some((field, _)) => format!("{key}.{field}"),
        None => key,
    };
    (plain_reason(&offer_field(&reason)), key)
}

/// An unknown field's reason with the expected field nearest its name offered first ("unknown
/// field `wieght` (did you mean `weight`?), expected one of …"): the list alone is sixteen names
/// long for a factor, and a probe looked through it for the slip.
fn offer_field(reason: &str) -> String {
    let Some((field, rest)) = reason.strip_prefix("unknown field `").and_then(|r| r.split_once('`')) else {
        return reason.to_string();
    };
    let Some(expected) = rest.strip_prefix(", expected one of ").or_else(|| rest.strip_prefix(", expected ")) else {
        return reason.to_string();
    };
    let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    match crate::text::closest(field, names, 0.8).first() {
        Some(near) => format!("unknown field `{field}` (did you mean `{near}`?){rest}"),
        None => reason.to_string(),
    }
}

/// The deserializer's words as a person reads them: "invalid type: string "ninety", expected
/// i64" is "expected a whole number, found the text "ninety"".
fn plain_reason(reason: &str) -> String {
    let what = |expected: &str| match expected.trim() {
        // A count: "expected a whole number, found the number -3" read as a riddle.
        "u64" | "u32" | "u16" | "u8" | "usize" => "a whole number, 0 or more".to_string(),
        "i64" | "i32" | "i16" | "i8" | "isize" => "a whole number".to_string(),
        "f64" | "f32" => "a number".to_string(),
        "a boolean" | "bool" => "true or false".to_string(),
        "a sequence" => "a list ([...])".to_string(),
        "a map" | "struct" => "a table".to_string(),
        other => other.to_string(),
    };
    let found = |found: &str| {
        let found = found.trim();
        if let Some(text) = found.strip_prefix("string ") {
            format!("the text {text}")
        } else if let Some(n) = found.strip_prefix("integer ").or_else(|| found.strip_prefix("floating point ")) {
            format!("the number {}", n.trim_matches('`'))
        } else if let Some(b) = found.strip_prefix("boolean ") {
            b.trim_matches('`').to_string()
        } else {
            match found {
                "sequence" => "a list".to_string(),
                "map" => "a table".to_string(),
                other => other.to_string(),
            }
        }
    };
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some((got, expected)) = reason.strip_prefix(prefix).and_then(|r| r.rsplit_once(", expected ")) {
            return format!("expected {}, found {}", what(expected), found(got));
        }
    }
    reason.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SegmentScheme;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::from_toml(text, Path::new("my.toml"))
    }

    /// A touch cadence for a segment no scheme has is refused, with the one it is near (a
    /// probe's "Elephnat = 14" left Elephants on the default 45 days, and config check said
    /// "valid"); a config's own segments, and the built-in cadences beside them, are not.
    #[test]
    fn a_touch_cadence_of_a_misspelt_segment_is_refused() {
        let err = parse("[triage]\ntouch_cadence_days = { Elephnat = 14 }\n").unwrap_err().to_string();
        assert!(err.contains("my.toml:2") && err.contains("`triage.touch_cadence_days.Elephnat`"), "{err}");
        assert!(err.contains("no segment \"Elephnat\" (did you mean Elephant? segments: Elephant,"), "{err}");
        let own = "[[segments.arr_bands]]\nname = \"Enterprise\"\nmin_arr = 50000\n\
                   [triage]\ntouch_cadence_days = { Enterprise = 14, Deer = 30 }\n";
        assert!(parse(own).is_ok(), "{:?}", parse(own).err());
    }

    /// Segments renamed with the cadences left as built in: warned about, naming both.
    #[test]
    fn renamed_segments_without_cadences_are_warned_about() {
        assert_eq!(Config::default().cadence_warning(), None);
        let renamed = "[[segments.arr_bands]]\nname = \"Enterprise\"\nmin_arr = 50000\n\
                       [[segments.arr_bands]]\nname = \"SMB\"\nmin_arr = 0\n";
        let said = parse(renamed).unwrap().cadence_warning().unwrap_or_default();
        assert!(
            said.starts_with(
                "no touch cadence is set for Enterprise, SMB: their accounts are due a touch every 45 days"
            ),
            "{said}"
        );
        assert!(said.contains("the cadences set are for ") && said.contains("Elephant"), "{said}");
        let with_cadences = format!("{renamed}[triage]\ntouch_cadence_days = {{ Enterprise = 14, SMB = 60 }}\n");
        assert_eq!(parse(&with_cadences).unwrap().cadence_warning(), None);
    }

    #[test]
    fn a_misspelt_factor_is_named_with_the_built_in_one_it_is_near() {
        let err =
            parse("[health]\nmin_coverage = 0.4\n\n[health.factors.sentimnet]\nweight = 5\n").unwrap_err().to_string();
        assert!(err.contains("my.toml:4"), "{err}");
        assert!(
            err.contains("no built-in factor is called \"sentimnet\" (did you mean sentiment?); a factor of your own needs a source"),
            "{err}"
        );
        // A factor of one's own, with its source, is no misspelling.
        let own = "[health.factors.seats]\nsource = \"metric:seats\"\ntransform = \"latest\"\nbetter = \"higher\"\nthresholds = [1, 2, 3]\nweight = 1\n";
        assert!(parse(own).is_ok(), "{:?}", parse(own).err());
        assert!(parse(own).unwrap().twin_factors().is_empty());
    }

    #[test]
    fn a_misspelt_jumpstart_or_profile_factor_is_named_too() {
        let err = parse("[health.jumpstart.factors.sentimnet]\nweight = 2\n").unwrap_err().to_string();
        assert!(err.contains("\"sentimnet\" (did you mean sentiment?)") && err.contains("my.toml:1"), "{err}");
        // A profile weighing a factor of one's own, defined under [health.factors], is no slip.
        let own = "[health.factors.seats]\nsource = \"metric:seats\"\ntransform = \"latest\"\nbetter = \"higher\"\nthresholds = [1, 2, 3]\nweight = 1\n\
                   [health.jumpstart.factors.seats]\nweight = 1\nbetter = \"higher\"\nthresholds = [1, 2, 3]\n";
        assert!(!parse(own).is_err_and(|e| e.to_string().contains("no built-in factor")), "{:?}", parse(own).err());
    }

    /// The example's block copied whole under a slip of its key is refused, with the line (a
    /// probe's "active_user_change" was a second factor beside the built-in one, every score
    /// changed, and only `tend config check` warned); under a key of its own it is warned about.
    #[test]
    fn a_built_in_factor_copied_under_a_misspelt_key_is_refused() {
        let block = "label = \"Bugs escalated\"\nsource = \"log:bug\"\ntransform = \"count\"\ndays = 90\n\
                     weight = 2\nbetter = \"lower\"\nthresholds = [0, 2, 4]\n";
        let err = parse(&format!("[health]\nmin_coverage = 0.5\n[health.factors.bugs_escalted]\n{block}"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("my.toml:3"), "{err}");
        assert!(err.contains("built-in factor bugs_escalated") && err.contains("a misspelling of it?"), "{err}");
        let config = parse(&format!("[health.factors.my_bugs]\n{block}")).unwrap();
        let twins = config.twin_factors();
        assert_eq!(twins.len(), 1, "{twins:?}");
        assert_eq!(twins[0].key, "health.factors.my_bugs");
        assert!(twins[0].why.contains("built-in factor bugs_escalated") && !twins[0].misspelt, "{twins:?}");
        // Another window of the same data is a factor of its own, not a twin.
        let config =
            parse(&format!("[health.factors.bugs_year]\n{}", block.replace("days = 90", "days = 365"))).unwrap();
        assert!(config.twin_factors().is_empty());
        // A slip of the key with another window is a copy all the same: refused (a probe's copy
        // of active users change had left out `average_days`, and read valid).
        let err = parse(&format!("[health.factors.bugs_escalted]\n{}", block.replace("days = 90", "days = 30")))
            .unwrap_err()
            .to_string();
        assert!(err.contains("built-in factor bugs_escalated") && err.contains("a misspelling of it?"), "{err}");
    }

    #[test]
    fn no_file_means_the_example() {
        let c = Config::load(Path::new("/nonexistent/tend/config.toml"), false).unwrap();
        assert_eq!(c, Config::default());
        assert_eq!(c.health.bands.green, 75);
        assert_eq!(c.health.factors.len(), 13);
        assert_eq!(c.health.jumpstart.factors.len(), 8);
        assert_eq!(c.journeys.templates.len(), 5);
        assert_eq!(c.me(), None);
    }

    #[test]
    fn a_wrong_value_or_unknown_key_is_said_in_words_with_its_line() {
        let e = parse("me = \"maya\"\n[health]\njumpstart_days = \"ninety\"\n").unwrap_err().to_string();
        assert!(
            e.contains("my.toml:3: key `health.jumpstart_days`: expected a whole number, found the text \"ninety\""),
            "{e}"
        );
        let e = parse("\n[healt]\nx = 1\n").unwrap_err().to_string();
        assert!(
            e.contains(
                "my.toml:2: key `healt`: unknown field `healt` (did you mean `health`?), expected one of `me`, `health`"
            ),
            "{e}"
        );
        // A factor's setting out of range names the setting's line, not its table's.
        let e = parse("[health.factors.nps]\n# why\nlabel = \"NPS\"\n\nweight = -1\n").unwrap_err().to_string();
        assert!(e.contains("my.toml:5: key `health.factors.nps.weight`: must be 0-1000, not -1"), "{e}");
        let e = parse("[health]\njumpstart_dys = 9\n").unwrap_err().to_string();
        assert!(e.contains("my.toml:2: key `health.jumpstart_dys`: unknown field"), "{e}");
        assert!(e.contains("unknown field `jumpstart_dys` (did you mean `jumpstart_days`?), expected one of"), "{e}");
        let e = parse("[triage]\ndaily_limit = -3\n").unwrap_err().to_string();
        assert!(
            e.contains("my.toml:2: key `triage.daily_limit`: expected a whole number, 0 or more, found the number -3"),
            "{e}"
        );
        let e = parse("[metrics]\ngross_margin = \"high\"\n").unwrap_err().to_string();
        assert!(e.contains("key `metrics.gross_margin`: expected a number, found the text \"high\""), "{e}");
    }

    #[test]
    fn keys_of_ones_own_are_checked_with_the_line() {
        let ok = parse("[keys.global]\nlog_sentiment = \"S\"\n").unwrap();
        assert!(ok.keys.0["global"].actions().any(|(a, k)| a == "log_sentiment" && k.keys() == ["S"]));
        let e =
            parse("me = \"Ana\"\n[keys.global]\nlog_sentiment = \"t\"\n[keys.sidebar]\nopen = \"x\"\n").unwrap_err();
        let text = e.to_string();
        assert!(text.contains("my.toml:3: key `keys.global.log_sentiment`: t is both"), "{text}");
        assert!(text.contains("my.toml:4: key `keys.sidebar`: no view is called that"), "{text}");
    }

    #[test]
    fn a_named_file_must_exist() {
        let e = Config::load(Path::new("/nonexistent/tend/config.toml"), true).unwrap_err();
        assert!(e.to_string().contains("/nonexistent/tend/config.toml"), "{e}");
    }

    #[test]
    fn empty_file_is_the_defaults() {
        assert_eq!(parse("").unwrap(), Config::default());
    }

    #[test]
    fn partial_file_overrides_only_its_keys() {
        let c = parse("[health.factors.sentiment]\nweight = 5\n[segments]\nscheme = \"scores\"\n").unwrap();
        let s = c.health.factors[&c.health.catalog.id("sentiment").unwrap()];
        assert_eq!(s.weight, 5.0);
        assert_eq!(s.thresholds, [4.0, 6.0, 8.0]);
        assert_eq!(c.health.factors[&c.health.catalog.id("nps").unwrap()].weight, 2.0);
        assert_eq!(c.segments.scheme, SegmentScheme::Scores);
    }

    #[test]
    fn syntax_error_names_line_and_column() {
        let e = parse("[health]\njumpstart_days = = 3\n").unwrap_err();
        let ConfigError::Syntax { line, .. } = &e else { panic!("{e}") };
        assert_eq!(*line, 2);
        assert!(e.to_string().contains("my.toml"));
    }

    /// A word where a number goes is said as such, not as a boolean gone wrong alone.
    #[test]
    fn a_word_for_a_number_says_how_to_write_one() {
        let e = parse("[health.factors.nps]\nweight = three\n").unwrap_err();
        let said = e.to_string();
        assert!(said.contains("line 2") && said.contains("a number is written in digits, weight = 3"), "{said}");
    }

    #[test]
    fn wrong_type_names_key_and_line() {
        let e = parse("# mine\n[health.bands]\ngreen = \"high\"\n").unwrap_err();
        let ConfigError::Invalid { problems, .. } = &e else { panic!("{e}") };
        assert_eq!(problems[0].key, "health.bands.green");
        assert_eq!(problems[0].line, Some(3));
        assert!(e.to_string().contains("my.toml:3: key `health.bands.green`"), "{e}");
    }

    #[test]
    fn a_playbooks_unknown_field_names_its_own_line() {
        // serde's path names no playbook ("playbooks.when"): the line is the one with the key, in
        // whichever playbook has it, not the first `[[playbooks]]` header.
        let text = "[[playbooks]]\nname = \"Red\"\ntrigger = \"band\"\ntasks = []\n\n\
                    [[playbooks]]\nname = \"Quiet\"\nwhen = \"no_touch\"\ntasks = []\n";
        let e = parse(text).unwrap_err();
        let ConfigError::Invalid { problems, .. } = &e else { panic!("{e}") };
        assert_eq!(problems[0].line, Some(8), "{e}");
        // A value of the wrong kind in the second playbook, the first one's right: the second's.
        let text = "[[playbooks]]\nname = \"Drop\"\ntrigger = \"drop\"\npoints = 10\ndays = 30\ntasks = []\n\n\
                    [[playbooks]]\nname = \"Renewal\"\ntrigger = \"renewal\"\ndays = \"30\"\ntasks = []\n";
        let e = parse(text).unwrap_err();
        let ConfigError::Invalid { problems, .. } = &e else { panic!("{e}") };
        assert_eq!(problems[0].line, Some(11), "{e}");
        // A task's key in the second playbook: its line, not the first playbook's tasks.
        let text = "[[playbooks]]\nname = \"Drop\"\ntrigger = \"risk\"\ntasks = [\n  { title = \"Call\" },\n]\n\n\
                    [[playbooks]]\nname = \"Renewal\"\ntrigger = \"risk\"\ntasks = [\n  { title = \"Quote\" },\n  \
                    { title = \"Send\", due_dys = 2 },\n]\n";
        let e = parse(text).unwrap_err();
        let ConfigError::Invalid { problems, .. } = &e else { panic!("{e}") };
        assert_eq!(problems[0].line, Some(13), "{e}");
    }

    #[test]
    fn unknown_key_is_refused() {
        let e = parse("[health]\njumpstart_dayz = 30\n").unwrap_err();
        assert!(e.to_string().contains("jumpstart_dayz"), "{e}");
    }

    #[test]
    fn unknown_factor_is_refused() {
        let e =
            parse("[health.factors.happiness]\nweight = 1\nbetter = \"higher\"\nthresholds = [1,2,3]\n").unwrap_err();
        assert!(e.to_string().contains("happiness"), "{e}");
    }

    #[test]
    fn a_factor_of_ones_own_lacking_a_setting_is_offered_the_built_in_key_near_it() {
        let e =
            parse("[health.factors.usage_grwoth]\nsource = \"metric:logins\"\ntransform = \"change_pct\"\ndays = 30\n")
                .unwrap_err()
                .to_string();
        assert!(e.contains("my.toml:1") && e.contains("missing field `weight` (did you mean usage_growth?"), "{e}");
    }

    #[test]
    fn a_built_in_factor_given_another_source_keeps_the_rest_of_its_definition() {
        let growth = |config: &Config| {
            let def = config.health.catalog.def(config.health.catalog.id("usage_growth").unwrap()).clone();
            (def.label.clone(), def.source.spec(), def.transform)
        };
        let defaults = growth(&Config::default());
        let (label, source, transform) =
            growth(&parse("[health.factors.usage_growth]\nsource = \"metric:logins\"\n").unwrap());
        assert_eq!((label, source.as_str(), transform), (defaults.0.clone(), "metric:logins", defaults.2.clone()));
        // A transform written out takes none of the old one's settings: `days` is asked for, and
        // a setting left out is left out (a change of single samples has no `average_days`).
        let written = "[health.factors.usage_growth]\ntransform = \"change_pct\"\ndays = 30\n";
        assert!(matches!(
            growth(&parse(written).unwrap()).2,
            crate::domain::catalog::Transform::Change { days: 30, average_days: None, max_age_days: None, .. }
        ));
        let other = parse("[health.factors.usage_growth]\ntransform = \"average\"\n").unwrap_err().to_string();
        assert!(other.contains("transform \"average\" needs `days`"), "{other}");
        let other = parse("[health.factors.usage_growth]\ntransform = \"latest\"\n").unwrap();
        assert_eq!(growth(&other).0, defaults.0, "the label holds");
        assert!(matches!(
            growth(&other).2,
            crate::domain::catalog::Transform::Latest { max_age_days: None, average_days: None }
        ));
    }

    #[test]
    fn an_undefined_factor_is_named_even_beside_a_similarly_named_broken_one() {
        let e = parse(
            "[health.factors.mood_score]\nsource = \"metric:mood\"\ntransform = \"median\"\nweight = 0\n\
             better = \"higher\"\nthresholds = [1, 2, 3]\n\
             [health.jumpstart.factors.mood]\nweight = 1\nbetter = \"higher\"\nthresholds = [1, 2, 3]\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("key `health.factors.mood_score.transform`: unknown transform"), "{e}");
        assert!(e.contains("key `health.jumpstart.factors.mood`: unknown factor"), "{e}");
    }

    #[test]
    fn numbers_the_code_relies_on_are_bounded() {
        for (text, key) in [
            ("[health.factors.nps]\nweight = 1e308\n", "health.factors.nps.weight"),
            ("[health.factors.bugs_escalated]\ndays = 2147483647\n", "health.factors.bugs_escalated.days"),
            (
                "[journeys.templates.onboarding]\nanchor = \"start\"\nmilestones = [{ name = \"Far\", day = 2147483647 }]\n",
                "journeys.templates.onboarding.milestones",
            ),
            ("[health]\nmin_coverage = 1.5\n", "health.min_coverage"),
            ("[health]\nmin_coverage = nan\n", "health.min_coverage"),
        ] {
            let e = parse(text).unwrap_err();
            let ConfigError::Invalid { problems, .. } = &e else { panic!("{text}: {e}") };
            assert!(problems.iter().any(|p| p.key == key), "{text}: {e}");
        }
    }

    proptest::proptest! {
        /// Any config `config check` accepts scores any values without a panic or a NaN.
        #[test]
        fn an_accepted_config_never_yields_nan(
            weights in proptest::collection::vec(proptest::prop_oneof![0.0f64..1000.0, proptest::num::f64::ANY], 3),
            t in proptest::collection::vec(-1e12f64..1e12, 3),
            days in proptest::prop_oneof![1i64..3650, proptest::num::i64::ANY],
            min in proptest::prop_oneof![0.0f64..1.0, proptest::num::f64::ANY],
            raw in proptest::collection::vec(proptest::option::of(proptest::num::f64::NORMAL), 4),
        ) {
            let mut sorted = t.clone();
            sorted.sort_by(f64::total_cmp);
            let text = format!(
                "[health]\nmin_coverage = {min:?}\n\
                 [health.factors.sentiment]\nweight = {:?}\nthresholds = [{:?}, {:?}, {:?}]\n\
                 [health.factors.nps]\nweight = {:?}\n\
                 [health.factors.bugs_escalated]\nweight = {:?}\ndays = {days}\n",
                weights[0], sorted[0], sorted[1], sorted[2], weights[1], weights[2]
            )
            .replace("inf", "1e999")
            .replace("NaN", "nan");
            let Ok(config) = Config::from_toml(&text, Path::new("fuzz.toml")) else { return Ok(()) };
            let health = &config.health;
            let mut values = crate::domain::FactorValues::default();
            for (key, v) in ["sentiment", "nps", "bugs_escalated", "usage_vs_expected"].iter().zip(&raw) {
                values.set(health.catalog.id(key).unwrap(), *v);
            }
            let day = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
            let scored = health.assess(&values, &crate::domain::Subject::default(), day);
            proptest::prop_assert!(scored.exact.is_finite());
            proptest::prop_assert!(scored.coverage.share.is_finite());
            proptest::prop_assert_eq!(health.quick(&values, &crate::domain::Subject::default(), day).1, scored.score.zip(scored.band));
        }
    }

    #[test]
    fn semantic_problems_name_key_and_line() {
        let e = parse("[health.bands]\ngreen = 40\n\n[health.factors.nps]\nthresholds = [9, 7, 5]\n").unwrap_err();
        let ConfigError::Invalid { problems, .. } = &e else { panic!("{e}") };
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!((problems[0].key.as_str(), problems[0].line), ("health.bands", Some(1)));
        assert_eq!(problems[1].key, "health.factors.nps.thresholds");
        assert_eq!(problems[1].line, Some(5));
        assert!(problems[1].reason.contains("rise strictly"));
    }

    #[test]
    fn triage_renewals_history_and_staleness_are_checked_with_their_lines() {
        let e = parse(
            "[triage]\ndrop_points = 0\n[renewals.likelihood]\nred = 2\n[health.factors.sentiment]\nstale_after_days = 0\n[history]\ndays = 5\n",
        )
        .unwrap_err();
        let ConfigError::Invalid { problems, .. } = &e else { panic!("{e}") };
        let keys: Vec<(&str, Option<usize>)> = problems.iter().map(|p| (p.key.as_str(), p.line)).collect();
        assert!(keys.contains(&("triage.drop_points", Some(2))), "{keys:?}");
        assert!(keys.contains(&("renewals.likelihood.red", Some(4))), "{keys:?}");
        assert!(keys.contains(&("health.factors.sentiment.stale_after_days", Some(6))), "{keys:?}");
        assert!(keys.contains(&("history.days", Some(8))), "{keys:?}");
    }

    #[test]
    fn effective_config_round_trips() {
        let c = Config::default();
        assert_eq!(parse(&c.to_toml()).unwrap(), c);
    }
}
