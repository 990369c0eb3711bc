//! A change of the health rules made outside tend's Scoring view (the config file edited by
//! hand, another config given with `--config`): said once, the first time the book is read under
//! the new rules, with the settings that changed and the accounts whose band they moved. A lead
//! who doubled a weight and moved the band cut-offs found what moved only by diffing two exports.
//! The Scoring view says what its own saves move, and keeps the rules it saved (`keep`).

use chrono::NaiveDate;
use serde_json::Value;

use crate::config::Config;
use crate::domain::health::HealthConfig;
use crate::domain::{AccountStatus, Cents, HealthBand};
use crate::store::{Result, Store};

/// The `book_meta` key of the health rules the book was last read under, as JSON.
const SCORED_RULES: &str = "scored_rules";
/// How many settings and accounts a change names; the rest are counted.
const LISTED: usize = 5;

/// What a change of the rules did.
#[derive(Clone, Debug, PartialEq)]
pub struct RulesChange {
    /// The settings of `[health]` that changed, as "factors.nps.weight 1 -> 2", the first `LISTED`.
    pub settings: Vec<String>,
    /// How many settings changed in all.
    pub changed: usize,
    /// The accounts whose band moved, where the factors are the same as before (a factor added
    /// or redefined reads other values: there is nothing like for like to compare).
    pub moved: Option<BandMoves>,
}

/// The live accounts whose band the new rules moved, today's values scored both ways.
#[derive(Clone, Debug, PartialEq)]
pub struct BandMoves {
    pub count: usize,
    /// Of them, those with no score before or after: a weight moved their share of data across
    /// `health.min_coverage` (a lead read "no score -> Green" as their weight making it Green).
    pub gained_score: usize,
    pub lost_score: usize,
    /// The largest by ARR first: "Globex Inc Green -> Yellow".
    pub first: Vec<String>,
}

impl RulesChange {
    /// One line for standard error: up to `LISTED` settings and accounts.
    pub fn text(&self) -> String {
        self.text_naming(LISTED, LISTED)
    }

    /// Short enough for a status line at 80 columns: the first setting and the first two
    /// accounts, the rest counted.
    pub fn short_text(&self) -> String {
        self.text_naming(1, 2)
    }

    fn text_naming(&self, settings: usize, accounts: usize) -> String {
        let shown: Vec<&str> = self.settings.iter().take(settings).map(String::as_str).collect();
        let mut settings = shown.join(", ");
        if self.changed > shown.len() {
            settings.push_str(&format!(" and {} more", self.changed - shown.len()));
        }
        let moved = match &self.moved {
            None => "the factors themselves changed, so no band is compared with before".to_string(),
            Some(m) if m.count == 0 => "no account changes band".to_string(),
            Some(m) => {
                let named: Vec<&str> = m.first.iter().take(accounts).map(String::as_str).collect();
                let more = match m.count.saturating_sub(named.len()) {
                    0 => String::new(),
                    n => format!(" and {n} more"),
                };
                // The whole book's, said as such: a CSM's own book is a part of it.
                let changes = if m.count == 1 { "account of the book changes" } else { "accounts of the book change" };
                let coverage = match (m.gained_score, m.lost_score) {
                    (0, 0) => String::new(),
                    (gained, lost) => {
                        let mut parts = Vec::new();
                        if gained > 0 {
                            parts.push(format!("{gained} now with a score"));
                        }
                        if lost > 0 {
                            parts.push(format!("{lost} now without one"));
                        }
                        format!(
                            " ({}: the share of their weight with data crossed health.min_coverage)",
                            parts.join(", ")
                        )
                    }
                };
                format!("{} {changes} band{coverage}: {}{more}", m.count, named.join(", "))
            }
        };
        format!("New health rules since this book was last read ({settings}): {moved}.")
    }
}

fn rules_json(health: &HealthConfig) -> String {
    serde_json::to_string(health).unwrap_or_default()
}

/// Keep `config`'s rules as those the book was read under: the Scoring view after its own save,
/// which says what it moved.
pub fn keep(store: &mut Store, config: &Config) -> Result<()> {
    if store.read_only().is_some() {
        return Ok(());
    }
    let rules = rules_json(&config.health);
    // A courtesy, never a failure: a book another program is writing, or a full disk, goes
    // without (the change is said again next time).
    match store.write_derived(|w| w.set_meta(SCORED_RULES, &rules)) {
        Err(crate::store::StoreError::Locked { .. } | crate::store::StoreError::Full { .. }) => Ok(()),
        other => other,
    }
}

/// What changed since the rules the book was last read under, kept as `config`'s from now on.
/// None the first time (nothing to compare with), when they are the same, and on a book that
/// cannot be written (it would say so on every read). The caches must be current for `today`
/// (`book::prepare`): today's values are scored under both rules.
pub fn since_last(store: &mut Store, config: &Config, today: NaiveDate) -> Result<Option<RulesChange>> {
    if store.read_only().is_some() {
        return Ok(None);
    }
    let now = rules_json(&config.health);
    let Some(before) = store.meta(SCORED_RULES)? else {
        // The first read: nothing to compare with.
        keep(store, config)?;
        return Ok(None);
    };
    if before == now {
        return Ok(None);
    }
    let (old, new) = (
        serde_json::from_str::<Value>(&before).unwrap_or(Value::Null),
        serde_json::from_str::<Value>(&now).unwrap_or(Value::Null),
    );
    let mut settings = Vec::new();
    differences("", &old, &new, &mut settings);
    keep(store, config)?;
    if settings.is_empty() {
        return Ok(None);
    }
    let moved = match serde_json::from_str::<HealthConfig>(&before) {
        Ok(mut old) if old.catalog == config.health.catalog => {
            old.segments = config.health.segments.clone();
            Some(band_moves(store, config, &old, today)?)
        }
        _ => None,
    };
    let changed = settings.len();
    settings.truncate(LISTED);
    Ok(Some(RulesChange { settings, changed, moved }))
}

/// Each live account's band today under `old` and under the config's rules, from the same
/// values: those that differ, the largest ARR first.
fn band_moves(store: &Store, config: &Config, old: &HealthConfig, today: NaiveDate) -> Result<BandMoves> {
    let mut moved: Vec<(Cents, String, Option<HealthBand>, Option<HealthBand>)> = Vec::new();
    store.each_account_summary_complete(today, i64::MIN..=i64::MAX, &config.health, |a| {
        let Some(values) = a.values.filter(|_| a.status != AccountStatus::Churned) else { return };
        let subject = a.subject();
        let band = |health: &HealthConfig| health.quick(&values, &subject, today).1.map(|(_, band)| band);
        let (was, now) = (band(old), band(&config.health));
        if was != now {
            moved.push((a.arr, a.name, was, now));
        }
    })?;
    moved.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let label = |b: Option<HealthBand>| b.map_or("no score", |b| b.label());
    let first = moved
        .iter()
        .take(LISTED)
        .map(|(_, name, was, now)| format!("{} {} -> {}", crate::text::clean(name), label(*was), label(*now)))
        .collect();
    let gained_score = moved.iter().filter(|m| m.2.is_none()).count();
    let lost_score = moved.iter().filter(|m| m.3.is_none()).count();
    Ok(BandMoves { count: moved.len(), gained_score, lost_score, first })
}

/// The settings that differ between two versions of the rules, as dotted keys under `at` (the
/// `[health]` table's own, "" at its top) with the value before and after ("factors.nps.weight
/// 1 -> 2"), in key order.
fn differences(at: &str, old: &Value, new: &Value, out: &mut Vec<String>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let (x, y) = (a.get(key).unwrap_or(&Value::Null), b.get(key).unwrap_or(&Value::Null));
                let at = if at.is_empty() { key.clone() } else { format!("{at}.{key}") };
                differences(&at, x, y, out);
            }
        }
        // A table added or taken away whole (a factor of its own) is said so: "none -> a table"
        // read as the config file's syntax to a probe.
        (Value::Null, Value::Object(_)) => out.push(format!("{at} added")),
        (Value::Object(_), Value::Null) => out.push(format!("{at} removed")),
        (a, b) if a != b => out.push(format!("{at} {} -> {}", shown(a), shown(b))),
        _ => {}
    }
}

/// A setting's value as the config writes it: none where it was not set.
fn shown(v: &Value) -> String {
    match v {
        Value::Null => "none".to_string(),
        Value::String(s) => format!("\"{}\"", crate::text::clean(s)),
        Value::Object(_) => "a table".to_string(),
        // A weight of 2, not 2.0, as people write it.
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0 && f.abs() < 1e15) => {
            format!("{}", n.as_f64().unwrap_or_default() as i64)
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_read_back_as_they_were_kept() {
        let config = Config::default();
        let mut back: HealthConfig = serde_json::from_str(&rules_json(&config.health)).unwrap();
        back.segments = config.health.segments.clone();
        assert_eq!(back, config.health);
    }

    #[test]
    fn a_change_says_which_accounts_gained_or_lost_a_score_and_counts_the_rest() {
        let change = RulesChange {
            settings: vec!["factors.active_users.weight 2 -> 4".into()],
            changed: 3,
            moved: Some(BandMoves {
                count: 4,
                gained_score: 2,
                lost_score: 1,
                first: vec!["A no score -> Green".into(), "B Green -> Yellow".into(), "C Red -> no score".into()],
            }),
        };
        assert_eq!(
            change.short_text(),
            "New health rules since this book was last read (factors.active_users.weight 2 -> 4 and 2 more): 4 \
             accounts of the book change band (2 now with a score, 1 now without one: the share of their weight with data \
             crossed health.min_coverage): A no score -> Green, B Green -> Yellow and 2 more."
        );
        assert!(change.text().ends_with("B Green -> Yellow, C Red -> no score and 1 more."), "{}", change.text());
    }

    #[test]
    fn settings_that_differ_are_named_by_their_keys() {
        let old = serde_json::json!({"bands": {"green": 75, "yellow": 60}, "factors": {"nps": {"weight": 1}}});
        let new = serde_json::json!({"bands": {"green": 85, "yellow": 60}, "factors": {"nps": {"weight": 2}, "x": {"weight": 1}}});
        let mut out = Vec::new();
        differences("", &old, &new, &mut out);
        assert_eq!(out, ["bands.green 75 -> 85", "factors.nps.weight 1 -> 2", "factors.x added"]);
    }
}
