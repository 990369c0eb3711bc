//! The `[health]` section as config files write it, and how it becomes a `HealthConfig`: one
//! catalog of factor definitions, and per profile a weight and thresholds for each factor it uses.
//!
//! A factor's definition (source, transform and their settings, label, unit) is written once, in
//! any profile; the other profiles name the factor by its key with their own weight and thresholds.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::band::BandCutoffs;
use super::catalog::{Catalog, FactorDef, LogKind, Source, Transform};
use super::factor::{Better, FactorId, FactorRule, MAX_FACTORS, MAX_SCORED_FACTORS, Unit};
use super::health::{HealthConfig, JumpstartModel, Profile};
use super::scoring::ScoreModel;

/// One factor entry of a profile.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactorEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transform: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Unit>,
    /// For a survey source: read only the responses of these respondent roles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// Optional evidence (`FactorDef::optional`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
    pub weight: f64,
    pub better: Better,
    pub thresholds: [f64; 3],
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub critical: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_after_days: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JumpstartToml {
    #[serde(default)]
    pub factors: IndexMap<String, FactorEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileToml {
    #[serde(default)]
    pub segments: Vec<String>,
    #[serde(default)]
    pub factors: IndexMap<String, FactorEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthToml {
    pub jumpstart_days: i64,
    pub bands: BandCutoffs,
    pub min_coverage: f64,
    pub factors: IndexMap<String, FactorEntry>,
    pub jumpstart: JumpstartToml,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub profiles: IndexMap<String, ProfileToml>,
}

/// The longest window a transform may read, in days (ten years).
pub const MAX_WINDOW_DAYS: i64 = 3650;

impl FactorEntry {
    fn rule(&self) -> FactorRule {
        FactorRule {
            weight: self.weight,
            better: self.better,
            thresholds: self.thresholds,
            critical: self.critical,
            stale_after_days: self.stale_after_days,
            bookkeeping: false,
            optional: false,
        }
    }

    fn has_definition(&self) -> bool {
        self.source.is_some() || self.transform.is_some()
    }

    /// The factor this entry defines, or (key below the entry, reason) for the first thing wrong.
    fn definition(&self, key: &str) -> Result<FactorDef, (String, String)> {
        let source_text =
            self.source.as_deref().ok_or(("source".to_string(), "a factor needs a source".to_string()))?;
        let roles = self
            .roles
            .iter()
            .map(|r| {
                crate::domain::contact::ContactRole::from_key(r).ok_or_else(|| {
                    (
                        "roles".to_string(),
                        format!("unknown role \"{r}\" (one of {})", crate::domain::contact::ContactRole::labels()),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let source = Source::parse(source_text)
            .and_then(|s| s.with_roles(roles))
            .map_err(|r| if r.starts_with("`roles`") { ("roles".to_string(), r) } else { ("source".to_string(), r) })?;
        let transform_key =
            self.transform.as_deref().ok_or(("transform".to_string(), "a factor needs a transform".to_string()))?;
        let needs = |value: Option<i64>, name: &str| {
            value.ok_or((name.to_string(), format!("transform \"{transform_key}\" needs `{name}`")))
        };
        let other = |value: &Option<String>, name: &str| -> Result<Source, (String, String)> {
            let text =
                value.as_deref().ok_or((name.to_string(), format!("transform \"{transform_key}\" needs `{name}`")))?;
            Source::parse(text).map_err(|r| (name.to_string(), r))
        };
        let (transform, used): (Transform, &[&str]) = match transform_key {
            "latest" => (
                Transform::Latest { max_age_days: self.max_age_days, average_days: self.average_days },
                &["max_age_days", "average_days"],
            ),
            "average" => (Transform::Average { days: needs(self.days, "days")? }, &["days"]),
            "sum" => (Transform::Sum { days: needs(self.days, "days")? }, &["days"]),
            "count" => (Transform::Count { days: needs(self.days, "days")? }, &["days"]),
            "change" | "change_pct" => (
                Transform::Change {
                    days: needs(self.days, "days")?,
                    percent: transform_key == "change_pct",
                    max_age_days: self.max_age_days,
                    average_days: self.average_days,
                },
                &["days", "max_age_days", "average_days"],
            ),
            "days_since_last" => (Transform::DaysSinceLast, &[]),
            "days_to_first" => (Transform::DaysToFirst, &[]),
            "sum_from_start" => (Transform::SumFromStart { days: needs(self.days, "days")? }, &["days"]),
            "ratio" => (
                Transform::Ratio {
                    denominator: other(&self.denominator, "denominator")?,
                    days: self.days,
                    max_age_days: self.max_age_days,
                },
                &["denominator", "days", "max_age_days"],
            ),
            "vs_expected" => (
                Transform::VsExpected {
                    expected: other(&self.expected, "expected")?,
                    max_age_days: self.max_age_days,
                    average_days: self.average_days,
                },
                &["expected", "max_age_days", "average_days"],
            ),
            "on_track_pct" => (Transform::OnTrackPercent, &[]),
            "overdue_count" => (Transform::OverdueCount, &[]),
            "count_active" => (Transform::CountActive, &[]),
            role if role.starts_with("has_role") => {
                let name = role.trim_start_matches("has_role").trim_start_matches(':').trim();
                let role = crate::domain::contact::ContactRole::from_key(name).ok_or((
                    "transform".to_string(),
                    format!(
                        "\"{transform_key}\": write has_role:ROLE, a role of {}",
                        crate::domain::contact::ContactRole::keys()
                    ),
                ))?;
                (Transform::HasRole(role), &[])
            }
            other => {
                return Err((
                    "transform".into(),
                    format!("unknown transform \"{other}\" (one of: {})", Transform::KEYS.join(", ")),
                ));
            }
        };
        let given = [
            ("days", self.days.is_some()),
            ("max_age_days", self.max_age_days.is_some()),
            ("average_days", self.average_days.is_some()),
            ("expected", self.expected.is_some()),
            ("denominator", self.denominator.is_some()),
        ];
        if let Some((name, _)) = given.iter().find(|(name, set)| *set && !used.contains(name)) {
            return Err((name.to_string(), format!("`{name}` does not apply to transform \"{transform_key}\"")));
        }
        // Windows reach back from a day: keep them inside the calendar and a sensible history.
        for (name, value, least) in
            [("days", self.days, 1), ("max_age_days", self.max_age_days, 0), ("average_days", self.average_days, 1)]
        {
            if let Some(v) = value.filter(|v| !(least..=MAX_WINDOW_DAYS).contains(v)) {
                return Err((name.to_string(), format!("`{name}` must be {least}-{MAX_WINDOW_DAYS} days, not {v}")));
            }
        }
        let def = FactorDef {
            key: key.to_string(),
            label: self.label.clone().unwrap_or_else(|| label_of(key)),
            unit: self.unit.unwrap_or_else(|| transform.default_unit(&source)),
            source,
            transform,
            optional: self.optional,
        };
        match def.problem() {
            Some(reason) => Err(("transform".into(), reason)),
            None => Ok(def),
        }
    }

    fn from_parts(def: Option<&FactorDef>, rule: &FactorRule) -> FactorEntry {
        let mut entry = FactorEntry {
            weight: rule.weight,
            better: rule.better,
            thresholds: rule.thresholds,
            critical: rule.critical,
            stale_after_days: rule.stale_after_days,
            // A profile's own mark, kept where the definition has none.
            optional: rule.optional,
            ..Default::default()
        };
        if let Some(def) = def {
            entry.label = Some(def.label.clone());
            entry.unit = Some(def.unit);
            entry.source = Some(def.source.spec());
            entry.roles = def.source.roles().iter().map(|r| r.key().to_string()).collect();
            entry.transform = Some(def.transform.key().to_string());
            entry.optional = def.optional || rule.optional;
            match &def.transform {
                Transform::Latest { max_age_days, average_days } => {
                    entry.max_age_days = *max_age_days;
                    entry.average_days = *average_days;
                }
                Transform::Average { days }
                | Transform::Sum { days }
                | Transform::Count { days }
                | Transform::SumFromStart { days } => entry.days = Some(*days),
                Transform::Change { days, max_age_days, average_days, .. } => {
                    entry.days = Some(*days);
                    entry.max_age_days = *max_age_days;
                    entry.average_days = *average_days;
                }
                Transform::Ratio { denominator, days, max_age_days } => {
                    entry.denominator = Some(denominator.spec());
                    entry.days = *days;
                    entry.max_age_days = *max_age_days;
                }
                Transform::VsExpected { expected, max_age_days, average_days } => {
                    entry.expected = Some(expected.spec());
                    entry.max_age_days = *max_age_days;
                    entry.average_days = *average_days;
                }
                Transform::DaysSinceLast
                | Transform::DaysToFirst
                | Transform::OnTrackPercent
                | Transform::OverdueCount
                | Transform::HasRole(_)
                | Transform::CountActive => {}
            }
        }
        entry
    }
}

/// "days_since_login" reads "Days since login".
fn label_of(key: &str) -> String {
    let words = key.replace('_', " ");
    let mut chars = words.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

impl HealthToml {
    /// Every profile's entries with its key prefix below `health`, in precedence-free file order.
    fn profiles(&self) -> Vec<(String, &IndexMap<String, FactorEntry>)> {
        let mut out =
            vec![("factors".to_string(), &self.factors), ("jumpstart.factors".to_string(), &self.jumpstart.factors)];
        out.extend(self.profiles.iter().map(|(name, p)| (format!("profiles.{name}.factors"), &p.factors)));
        out
    }
}

impl From<HealthToml> for HealthConfig {
    fn from(toml: HealthToml) -> HealthConfig {
        let mut problems = Vec::new();
        // Each key once, in order of first appearance, with its definition where one is written.
        struct Seen {
            key: String,
            def: Option<FactorDef>,
            weighted: bool,
            /// Some entry writes a definition for it (even one refused above).
            defined_somewhere: bool,
        }
        let mut keys: Vec<Seen> = Vec::new();
        for (prefix, entries) in toml.profiles() {
            for (key, entry) in entries {
                let at = keys.iter().position(|s| s.key == *key).unwrap_or_else(|| {
                    keys.push(Seen { key: key.clone(), def: None, weighted: false, defined_somewhere: false });
                    keys.len() - 1
                });
                let seen = &mut keys[at];
                seen.weighted |= entry.weight > 0.0;
                if !entry.has_definition() {
                    continue;
                }
                seen.defined_somewhere = true;
                match (entry.definition(key), &seen.def) {
                    (Err((field, reason)), _) => problems.push((format!("{prefix}.{key}.{field}"), reason)),
                    (Ok(def), Some(first)) if def != *first => problems.push((
                        format!("{prefix}.{key}"),
                        "defined differently in two profiles: define a factor once and name it elsewhere".into(),
                    )),
                    (Ok(def), _) => seen.def = Some(def),
                }
            }
        }
        for (prefix, entries) in toml.profiles() {
            for key in entries.keys() {
                if keys.iter().any(|s| s.key == *key && !s.defined_somewhere) {
                    problems.push((
                        format!("{prefix}.{key}"),
                        "unknown factor: give it a source and a transform (see config.example.toml)".into(),
                    ));
                }
            }
        }
        // Weighted factors first: only they need room in a day of packed history.
        let mut defined: Vec<(FactorDef, bool)> =
            keys.into_iter().filter_map(|s| s.def.map(|d| (d, s.weighted))).collect();
        defined.sort_by_key(|(_, weighted)| !weighted);
        let scored = defined.iter().filter(|(_, w)| *w).count();
        if scored > MAX_SCORED_FACTORS {
            problems.push((
                "factors".into(),
                format!("at most {MAX_SCORED_FACTORS} factors can have a weight; {scored} do"),
            ));
        }
        if defined.len() > MAX_FACTORS {
            problems.push(("factors".into(), format!("at most {MAX_FACTORS} factors, candidates included")));
            defined.truncate(MAX_FACTORS);
        }
        let catalog = Catalog::new(defined.into_iter().map(|(d, _)| d).collect());
        // How old data may be before it is stale is the data's, not a profile's weighing of it: a
        // profile that names a factor without `stale_after_days` keeps the default profile's (a
        // probe's enterprise profile gave Active users its own weight and thresholds, and a
        // $546k account 28 days without usage read Green with no stale mark).
        let default_stale = |key: &str| toml.factors.get(key).and_then(|d| d.stale_after_days);
        let model = |entries: &IndexMap<String, FactorEntry>| -> ScoreModel {
            entries
                .iter()
                .filter_map(|(key, e)| {
                    let id = catalog.id(key)?;
                    let def = catalog.def(id);
                    // Bugs escalated count the bugs a CSM logs in tend: its own record, which may
                    // pull a score down, never lift it. As evidence, "0 bugs" at full points came
                    // with the book's first bug to every account with anything logged, and one
                    // bug logged on one account moved nine others' bands (a probe's).
                    let bookkeeping = matches!(
                        def.source,
                        Source::Goals | Source::Milestones | Source::Contacts | Source::Log(LogKind::Bug)
                    );
                    let stale_after_days = e.stale_after_days.or_else(|| default_stale(key));
                    // A profile may weigh a factor as optional evidence where the default profile
                    // needs it: the new customers' Active users, which a book without the metric
                    // must not lack.
                    let optional = def.optional || e.optional;
                    Some((id, FactorRule { bookkeeping, optional, stale_after_days, ..e.rule() }))
                })
                .collect()
        };
        let factors = model(&toml.factors);
        let jumpstart = JumpstartModel { factors: model(&toml.jumpstart.factors) };
        let profiles = toml
            .profiles
            .iter()
            .map(|(name, p)| Profile { name: name.clone(), segments: p.segments.clone(), factors: model(&p.factors) })
            .collect();
        HealthConfig {
            jumpstart_days: toml.jumpstart_days,
            bands: toml.bands,
            min_coverage: toml.min_coverage,
            factors,
            jumpstart,
            profiles,
            catalog,
            read_problems: problems,
            segments: None,
        }
    }
}

impl From<HealthConfig> for HealthToml {
    fn from(h: HealthConfig) -> HealthToml {
        let mut written: Vec<FactorId> = Vec::new();
        let mut entries = |model: &ScoreModel| -> IndexMap<String, FactorEntry> {
            model
                .iter()
                .map(|(id, rule)| {
                    let def = (!written.contains(id)).then(|| h.catalog.def(*id));
                    written.push(*id);
                    (h.catalog.key(*id).to_string(), FactorEntry::from_parts(def, rule))
                })
                .collect()
        };
        let factors = entries(&h.factors);
        let jumpstart = JumpstartToml { factors: entries(&h.jumpstart.factors) };
        let profiles = h
            .profiles
            .iter()
            .map(|p| (p.name.clone(), ProfileToml { segments: p.segments.clone(), factors: entries(&p.factors) }))
            .collect();
        HealthToml {
            jumpstart_days: h.jumpstart_days,
            bands: h.bands,
            min_coverage: h.min_coverage,
            factors,
            jumpstart,
            profiles,
        }
    }
}
