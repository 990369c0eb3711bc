//! Health configuration as one piece: the factor catalog, the score profiles, which profile scores
//! an account, and the score it gets.
//!
//! Profiles, in the order that decides which one an account is on:
//! 1. `jumpstart`, for accounts younger than `jumpstart_days`;
//! 2. a segment profile (`[health.profiles.NAME]`) listing the account's segment;
//! 3. the default profile, `[health.factors]`.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::band::{BandCutoffs, HealthBand};
use super::catalog::Catalog;
use super::factor::{FactorId, FactorValues, MAX_FACTORS};
use super::factor_entry;
use super::scoring::{self, HealthScore, ScoreKind, ScoreModel, ScoreRules};
use super::segment::SegmentConfig;
use super::signals::{self, Subject};

#[derive(Clone, Debug, PartialEq)]
pub struct JumpstartModel {
    pub factors: ScoreModel,
}

/// A segment profile: its own factors and weights for the accounts of some segments.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    pub name: String,
    pub segments: Vec<String>,
    pub factors: ScoreModel,
}

/// At most this many segment profiles: a day of history keeps the profile in 3 bits.
pub const MAX_SEGMENT_PROFILES: usize = 6;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "factor_entry::HealthToml", into = "factor_entry::HealthToml")]
pub struct HealthConfig {
    /// Accounts younger than this many days are scored by the jumpstart profile.
    pub jumpstart_days: i64,
    pub bands: BandCutoffs,
    /// The share of a profile's weight that needs data before an account has a score (0-1).
    pub min_coverage: f64,
    /// Every factor any profile uses, weighted ones first.
    pub catalog: Catalog,
    /// The default profile.
    pub factors: ScoreModel,
    pub jumpstart: JumpstartModel,
    pub profiles: Vec<Profile>,
    /// What could not be made sense of while reading, as (key below `health`, reason).
    pub(crate) read_problems: Vec<(String, String)>,
    /// The segment scheme, to place accounts in segment profiles. Set by `Config` on loading.
    pub(crate) segments: Option<Arc<SegmentConfig>>,
}

impl HealthConfig {
    /// Which profile scores an account on `as_of`.
    pub fn kind_for(&self, subject: &Subject, as_of: NaiveDate) -> ScoreKind {
        if signals::in_jumpstart(subject.customer_since, as_of, self.jumpstart_days) {
            return ScoreKind::Jumpstart;
        }
        if let Some(segments) = self.segments.as_ref().filter(|_| !self.profiles.is_empty()) {
            let segment = segments.segment_of(subject.arr, subject.inputs);
            if let Some(i) = self.profiles.iter().position(|p| p.segments.iter().any(|s| s == segment)) {
                return ScoreKind::Profile(i as u8);
            }
        }
        ScoreKind::Regular
    }

    pub fn model(&self, kind: ScoreKind) -> &ScoreModel {
        match kind {
            ScoreKind::Regular => &self.factors,
            ScoreKind::Jumpstart => &self.jumpstart.factors,
            ScoreKind::Profile(i) => self.profiles.get(usize::from(i)).map_or(&self.factors, |p| &p.factors),
        }
    }

    /// The profile's name as people read it: "regular", "jumpstart" or a segment profile's name.
    pub fn kind_name(&self, kind: ScoreKind) -> &str {
        match kind {
            ScoreKind::Regular => "regular",
            ScoreKind::Jumpstart => "jumpstart",
            ScoreKind::Profile(i) => self.profiles.get(usize::from(i)).map_or("regular", |p| p.name.as_str()),
        }
    }

    /// The band cut-offs and the minimum coverage, as the scoring functions take them.
    pub fn rules(&self) -> ScoreRules {
        ScoreRules { bands: self.bands, min_coverage: self.min_coverage }
    }

    /// The full, explainable score of one account. Before its customer-since day an account has
    /// nothing to score.
    pub fn assess(&self, values: &FactorValues, subject: &Subject, as_of: NaiveDate) -> HealthScore {
        let kind = self.kind_for(subject, as_of);
        let mut health = scoring::score(values, self.model(kind), &self.rules(), kind);
        if !signals::is_customer_on(subject.customer_since, as_of) {
            health.score = None;
            health.band = None;
            health.capped_by = None;
            health.not_yet_customer = true;
        }
        health
    }

    /// Score and band only, for whole portfolios.
    pub fn quick(
        &self,
        values: &FactorValues,
        subject: &Subject,
        as_of: NaiveDate,
    ) -> (ScoreKind, Option<(u8, HealthBand)>) {
        let (kind, scored, _) = self.quick_with_coverage(values, subject, as_of);
        (kind, scored)
    }

    /// `quick` with the coverage of the profile in force, from the same pass.
    pub fn quick_with_coverage(
        &self,
        values: &FactorValues,
        subject: &Subject,
        as_of: NaiveDate,
    ) -> (ScoreKind, Option<(u8, HealthBand)>, scoring::Coverage) {
        let kind = self.kind_for(subject, as_of);
        let (scored, coverage) = scoring::score_and_coverage(values, self.model(kind), &self.rules());
        let scored = scored.filter(|_| signals::is_customer_on(subject.customer_since, as_of));
        (kind, scored, coverage)
    }

    /// Which factors of the profile in force are stale on `as_of`: a bit per factor
    /// (`FactorId::index`) whose data is older than its `stale_after_days` (past its `slack`, a
    /// metric's own rhythm: `signals::factor_slack`), whether or not the
    /// factor still has a value (a feed stopped long enough ago has none, and is still stale).
    pub fn stale_mask(
        &self,
        ages: &[Option<i64>; MAX_FACTORS],
        slack: &dyn Fn(FactorId) -> i64,
        subject: &Subject,
        as_of: NaiveDate,
    ) -> u32 {
        let model = self.model(self.kind_for(subject, as_of));
        model
            .iter()
            .filter(|(id, rule)| {
                rule.weight > 0.0
                    && rule
                        .stale_after_days
                        .zip(ages[id.index()])
                        // The slack (never below 0) asked only of data past the limit: a new
                        // day's pass asks this of every account.
                        .is_some_and(|(limit, age)| age > limit && age > limit + slack(**id))
            })
            .fold(0u32, |mask, (id, _)| mask | 1 << id.index())
    }

    pub fn label(&self, id: FactorId) -> &str {
        self.catalog.label(id)
    }

    /// Every profile with its config key prefix below `health`.
    pub fn profile_models(&self) -> Vec<(String, &ScoreModel)> {
        let mut out =
            vec![("factors".to_string(), &self.factors), ("jumpstart.factors".to_string(), &self.jumpstart.factors)];
        out.extend(self.profiles.iter().map(|p| (format!("profiles.{}.factors", p.name), &p.factors)));
        out
    }

    /// A threshold off a survey's scale: the latest or the average answer stays on it (CSAT 1-5,
    /// CES 1-7, NPS 0-10, sentiment 1-10), so every answer falls on the same side of it.
    fn off_scale(&self, id: FactorId, rule: &super::factor::FactorRule) -> Option<String> {
        use super::catalog::Transform;
        let def = self.catalog.def(id);
        if !matches!(def.transform, Transform::Latest { .. } | Transform::Average { .. }) {
            return None;
        }
        // Touches and bugs have no scale.
        let kind = def.source.log_kind()?.entry_kind();
        let range = kind.score_range()?;
        let (low, high) = (*range.start() as f64, *range.end() as f64);
        let off = rule.thresholds.iter().find(|t| **t < low || **t > high)?;
        let (label, start, end) = (kind.label(), range.start(), range.end());
        Some(format!(
            "thresholds: {label} answers are {start}-{end}; a threshold of {off} is outside them and tells no answer from another"
        ))
    }

    /// What is wrong with this configuration, as (key below `health`, reason).
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = self.read_problems.clone();
        if !(1..=3650).contains(&self.jumpstart_days) {
            out.push(("jumpstart_days".into(), format!("must be 1-3650 days, not {}", self.jumpstart_days)));
        }
        if !(0.0..=1.0).contains(&self.min_coverage) {
            out.push(("min_coverage".into(), format!("must be a share from 0 to 1, not {}", self.min_coverage)));
        }
        if let Some(p) = self.bands.problem() {
            out.push(("bands".into(), p));
        }
        for (prefix, model) in self.profile_models() {
            for (id, rule) in model {
                if let Some(p) = rule.problem().or_else(|| self.off_scale(*id, rule)) {
                    // Keyed by the setting a rule's problem names first ("weight must be …"), so
                    // that the error names its line, not the factor's table's.
                    let key = format!("{prefix}.{}", self.catalog.key(*id));
                    let setting = ["weight", "thresholds", "stale_after_days"]
                        .into_iter()
                        .find(|s| p.strip_prefix(s).is_some_and(|rest| rest.starts_with(' ')));
                    out.push(match setting {
                        Some(s) => (format!("{key}.{s}"), p[s.len() + 1..].to_string()),
                        None => (key, p),
                    });
                }
            }
            if !model.values().any(|r| r.weight > 0.0) {
                out.push((prefix, "at least one factor needs a weight above 0".into()));
            }
        }
        let mut claimed: Vec<(&str, &str)> = Vec::new();
        for p in &self.profiles {
            if p.segments.is_empty() {
                out.push((format!("profiles.{}.segments", p.name), "list at least one segment".into()));
            }
            for s in &p.segments {
                match claimed.iter().find(|(seg, _)| seg == s) {
                    Some((_, other)) => out.push((
                        format!("profiles.{}.segments", p.name),
                        format!("segment \"{s}\" is already in profile \"{other}\""),
                    )),
                    None => claimed.push((s, &p.name)),
                }
            }
        }
        if self.profiles.len() > MAX_SEGMENT_PROFILES {
            out.push(("profiles".into(), format!("at most {MAX_SEGMENT_PROFILES} segment profiles")));
        }
        out
    }

    /// The segment profiles' segments that the segment scheme does not have.
    pub fn unknown_segments(&self, names: &[&str]) -> Vec<(String, String)> {
        self.profiles
            .iter()
            .flat_map(|p| p.segments.iter().map(move |s| (p, s)))
            .filter(|(_, s)| !names.contains(&s.as_str()))
            .map(|(p, s)| {
                (
                    format!("profiles.{}.segments", p.name),
                    format!("no segment \"{s}\" (segments: {})", names.join(", ")),
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Config;
    use crate::domain::SegmentInputs;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn profile_precedence_is_jumpstart_then_segment_then_default() {
        let text = "[health.profiles.small]\nsegments = [\"Fly\", \"Mouse\"]\n\
                    [health.profiles.small.factors.active_users]\nweight = 1\nbetter = \"higher\"\nthresholds = [1, 2, 5]\n\
                    [health.profiles.big]\nsegments = [\"Elephant\"]\n\
                    [health.profiles.big.factors.sentiment]\nweight = 1\nbetter = \"higher\"\nthresholds = [4, 6, 8]\n";
        let health = Config::from_toml(text, Path::new("t.toml")).unwrap().health;
        let today = d("2026-06-01");
        let who =
            |since: &str, arr: f64| Subject { customer_since: Some(d(since)), arr, inputs: SegmentInputs::default() };
        // A new Fly is young first: jumpstart wins over its segment profile.
        assert_eq!(health.kind_for(&who("2026-05-01", 50.0), today), ScoreKind::Jumpstart);
        assert_eq!(health.kind_for(&who("2024-01-01", 50.0), today), ScoreKind::Profile(0));
        assert_eq!(health.kind_for(&who("2024-01-01", 500.0), today), ScoreKind::Profile(0), "a Mouse");
        assert_eq!(health.kind_for(&who("2024-01-01", 500_000.0), today), ScoreKind::Profile(1));
        assert_eq!(health.kind_for(&who("2024-01-01", 20_000.0), today), ScoreKind::Regular, "a Deer: no profile");
        assert_eq!(health.kind_name(ScoreKind::Profile(1)), "big");
        // Each profile scores with its own factors only.
        let users = health.catalog.id("active_users").unwrap();
        let values = crate::domain::FactorValues::from_pairs([(users, 1.0)]);
        assert_eq!(health.quick(&values, &who("2024-01-01", 50.0), today).1.map(|s| s.0), Some(33), "1 user: 2 points");
        assert_eq!(health.quick(&values, &who("2024-01-01", 500_000.0), today).1, None, "no sentiment: no score");
    }

    #[test]
    fn a_profile_keeps_the_default_profiles_stale_after_days_unless_it_writes_its_own() {
        let text = "[health.profiles.big]\nsegments = [\"Elephant\"]\n\
                    [health.profiles.big.factors.active_users]\nweight = 3\nbetter = \"higher\"\nthresholds = [40, 100, 200]\n\
                    [health.profiles.big.factors.sentiment]\nweight = 1\nbetter = \"higher\"\nthresholds = [4, 6, 8]\nstale_after_days = 9\n\
                    [health.profiles.big.factors.days_since_touch]\nweight = 1\nbetter = \"lower\"\nthresholds = [7, 14, 30]\n";
        let health = Config::from_toml(text, Path::new("t.toml")).unwrap().health;
        let stale = |model: &ScoreModel, key: &str| model[&health.catalog.id(key).unwrap()].stale_after_days;
        let big = &health.profiles[0].factors;
        assert_eq!(stale(&health.factors, "active_users"), Some(21), "the built-in default");
        assert_eq!(stale(big, "active_users"), Some(21), "named without one: the default profile's");
        assert_eq!(stale(big, "sentiment"), Some(9), "its own");
        assert_eq!(stale(big, "days_since_touch"), None, "the default profile has none either");
        assert_eq!(big[&health.catalog.id("active_users").unwrap()].thresholds, [40.0, 100.0, 200.0]);
    }

    /// A factor named under a profile with only what changes (a probe's `weight = 4`, refused for
    /// want of `better`, then of `thresholds`) takes the rest of its rule from the default
    /// profile's; an empty block takes it whole. A factor no profile defines still needs its own.
    #[test]
    fn a_profile_names_a_factor_with_what_changes_only() {
        let text = "[health.factors.sentiment]\nthresholds = [3, 5, 7]\n\
                    [health.profiles.big]\nsegments = [\"Elephant\"]\n\
                    [health.profiles.big.factors.sentiment]\nweight = 4\n\
                    [health.profiles.big.factors.nps]\n\
                    [health.jumpstart.factors.nps]\nthresholds = [1, 2, 3]\n";
        let health = Config::from_toml(text, Path::new("t.toml")).unwrap().health;
        let rule = |model: &ScoreModel, key: &str| model[&health.catalog.id(key).unwrap()];
        let big = &health.profiles[0].factors;
        let (sentiment, default) = (rule(big, "sentiment"), rule(&health.factors, "sentiment"));
        assert_eq!((sentiment.weight, sentiment.thresholds), (4.0, [3.0, 5.0, 7.0]));
        assert_eq!(sentiment.better, default.better);
        let (nps, default) = (rule(big, "nps"), rule(&health.factors, "nps"));
        assert_eq!((nps.weight, nps.thresholds, nps.better), (default.weight, default.thresholds, default.better));
        // Jumpstart has its own built-in nps: the setting given changes that one alone.
        let built_in = Config::default().health;
        let built_in = &built_in.jumpstart.factors[&built_in.catalog.id("nps").unwrap()];
        let jumpstart = rule(&health.jumpstart.factors, "nps");
        assert_eq!((jumpstart.weight, jumpstart.thresholds), (built_in.weight, [1.0, 2.0, 3.0]));
        let e = Config::from_toml(
            "[health.profiles.big]\nsegments = [\"Elephant\"]\n[health.profiles.big.factors.seats]\nsource = \"field:Seats\"\ntransform = \"latest\"\nweight = 1\n",
            Path::new("t.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("missing field `better`"), "{e}");
    }

    #[test]
    fn a_segment_in_two_profiles_is_refused() {
        let text = "[health.profiles.a]\nsegments = [\"Fly\"]\n[health.profiles.a.factors.nps]\nweight = 1\nbetter = \"higher\"\nthresholds = [5, 7, 9]\n\
                    [health.profiles.b]\nsegments = [\"Fly\"]\n[health.profiles.b.factors.nps]\nweight = 1\nbetter = \"higher\"\nthresholds = [5, 7, 9]\n";
        let e = Config::from_toml(text, Path::new("t.toml")).unwrap_err().to_string();
        assert!(e.contains("segment \"Fly\" is already in profile \"a\""), "{e}");
    }
}
