//! `tend export`: accounts (with score, band, segment, and each factor's value and points) and
//! metric samples, as CSV or JSON. An export imports back into an empty book as the same book.

use std::io::Write;

use crate::book::storage::BookRead;

use chrono::NaiveDate;

use crate::book;
use crate::config::Config;
use crate::domain::FactorValues;
use crate::store::{Store, StoreError};

pub use crate::rows::Format;
use crate::rows::{self, Field, ListWriter, WriteError};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Read(#[from] crate::book::storage::BookError),
    #[error("writing the export: {0}")]
    Write(#[from] WriteError),
}

impl ExportError {
    /// The reader went away (`tend export ... | head`): not a failure of the export.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, ExportError::Write(e) if e.is_broken_pipe())
    }
}

impl From<std::io::Error> for ExportError {
    fn from(e: std::io::Error) -> Self {
        ExportError::Write(e.into())
    }
}

fn day(key: &str, d: Option<NaiveDate>) -> Field {
    rows::text(key, d)
}

/// Text that may be empty: an empty one is missing (null in JSON).
fn words(key: &str, s: &str) -> Field {
    rows::text(key, Some(s).filter(|s| !s.is_empty()))
}

fn float(key: &str, v: Option<f64>) -> Field {
    rows::value(key, v.map_or(serde_json::Value::Null, serde_json::Value::from))
}

/// A number as it was given: a whole count without ".0" (a probe's export read "15.0"
/// users), a fraction as it is.
fn whole_or_fraction(key: &str, v: f64) -> Field {
    match v.fract() == 0.0 && v.abs() < 1e15 {
        true => rows::number(key, Some(v as i64)),
        false => float(key, Some(v)),
    }
}

/// A factor's value as the score read it, to two decimals: what a spreadsheet sorts and charts
/// (the points beside it are the band it earned). A lower bound says so (">=40": no touch logged
/// in the 40 days tend has known the account), and a lower bound of nothing is no value.
fn factor_value(key: String, value: Option<f64>, at_least: bool) -> Field {
    let rounded = value.map(|v| (v * 100.0).round() / 100.0);
    match rounded {
        Some(v) if at_least && v > 0.0 => rows::text(key, Some(format!(">={}", crate::domain::factor::trim_number(v)))),
        Some(_) if at_least => rows::text(key, None::<String>),
        Some(v) => whole_or_fraction(&key, v),
        None => float(&key, None),
    }
}

/// The fields of an exported account before its factors' points and attributes.
const ACCOUNT_KEYS: [&str; 23] = [
    "external_id",
    "name",
    "csm",
    "arr",
    "currency",
    "plan",
    "customer_since",
    "renewal_date",
    "stage",
    "status",
    "churned_on",
    "volume_score",
    "advocacy_score",
    "brand_score",
    "expected_usage",
    "tags",
    "notes",
    "segment",
    "score",
    "band",
    "computed_band",
    "score_kind",
    "coverage",
];

/// Accounts with score, band, segment and factor points. The fields, in order, are the import's
/// canonical column names, then `value_<factor>` and `points_<factor>` for each factor and one
/// column per imported attribute (documented in the README).
pub fn export_accounts<W: Write>(
    store: &mut Store,
    config: &Config,
    as_of: NaiveDate,
    format: Format,
    out: &mut W,
) -> Result<(), ExportError> {
    book::refresh(store, config, as_of)?;
    let values: std::collections::HashMap<i64, FactorValues> = store
        .account_summaries_complete(as_of, &config.health)?
        .into_iter()
        .map(|s| (s.id, s.values.unwrap_or_default()))
        .collect();
    // A band set by hand is the band in force, as every screen and report shows it; the score's
    // own beside it (a probe's export said Orange where the screens said Red).
    let overrides = store.overrides_on(as_of)?;
    let attributes = store.all_attributes()?;
    let mut attribute_keys: Vec<String> = attributes
        .values()
        .flatten()
        .map(|(k, _)| k.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    attribute_keys.retain(|k| !k.is_empty());
    let catalog = &config.health.catalog;
    let mut keys: Vec<String> = ACCOUNT_KEYS.iter().map(|k| k.to_string()).collect();
    for f in catalog.ids() {
        keys.extend([format!("value_{}", catalog.key(f)), format!("points_{}", catalog.key(f))]);
    }
    keys.extend(attribute_keys.iter().cloned());
    let mut list = ListWriter::new(out, format, "no accounts").keys(&keys);
    for a in store.all_accounts()? {
        let v = values.get(&a.id).copied().unwrap_or_default();
        let health = config.health.assess(&v, &a.subject(), as_of);
        let mut row = vec![
            rows::text("external_id", Some(&a.external_id)),
            rows::text("name", Some(&a.name)),
            rows::text("csm", a.csm.as_ref()),
            // A CRM's blank (kept as 0) goes out blank, as it came in.
            rows::value("arr", a.arr.on_record().map_or(serde_json::Value::Null, rows::money_json)),
            rows::text("currency", Some(&a.currency)),
            rows::text("plan", a.plan.as_ref()),
            day("customer_since", a.customer_since),
            day("renewal_date", a.renewal_date),
            rows::text("stage", Some(a.stage.key())),
            rows::text("status", Some(a.status.on(a.renewal_date, as_of).key())),
            day("churned_on", a.churned_on),
            rows::number("volume_score", a.segment_inputs.volume),
            rows::number("advocacy_score", a.segment_inputs.advocacy),
            rows::number("brand_score", a.segment_inputs.brand),
            float("expected_usage", a.expected_usage),
            words("tags", &a.tags),
            words("notes", &a.notes),
            rows::text("segment", Some(config.segments.segment_of(a.arr.units(), a.segment_inputs))),
            rows::number("score", health.score),
            rows::text("band", overrides.get(&a.id).map(|o| o.band).or(health.band).map(|b| b.label())),
            rows::text("computed_band", health.band.map(|b| b.label())),
            rows::text("score_kind", Some(config.health.kind_name(health.kind))),
            // The share of the profile's weight with data behind it, in whole percent: a score
            // needs `health.min_coverage` of it.
            rows::number("coverage", Some(health.coverage.percent())),
        ];
        for f in catalog.ids() {
            let key = catalog.key(f);
            // Only the factors of the account's own score: a regular account's "days to first
            // login" (years from a start long ago) is no factor of it.
            let scored = health.factors.iter().find(|x| x.id == f);
            row.push(factor_value(format!("value_{key}"), v.get(f).filter(|_| scored.is_some()), v.is_at_least(f)));
            let points = scored.and_then(|x| x.points);
            row.push(rows::number(format!("points_{key}"), points));
        }
        let attrs = attributes.get(&a.id);
        for k in &attribute_keys {
            let v = attrs.and_then(|list| list.iter().find(|(key, _)| key == k)).map(|(_, v)| v.as_str());
            row.push(rows::text(k.clone(), v.filter(|v| !v.is_empty())));
        }
        list.row(&row)?;
    }
    Ok(list.finish()?)
}

/// Metric samples, long format: account (external id), metric, date, value.
pub fn export_metrics<W: Write>(store: &Store, format: Format, out: &mut W) -> Result<(), ExportError> {
    let mut list = ListWriter::new(out, format, "no metric samples").keys(&["account", "metric", "date", "value"]);
    for (account, metric, d, value) in store.all_samples()? {
        list.row(&[
            rows::text("account", Some(account)),
            rows::text("metric", Some(metric)),
            day("date", Some(d)),
            whole_or_fraction("value", value),
        ])?;
    }
    Ok(list.finish()?)
}

/// Log entries: account, kind, date, score, channel, title, closed, note, csm, with, role.
pub fn export_logs<W: Write>(store: &Store, format: Format, out: &mut W) -> Result<(), ExportError> {
    let keys = ["account", "kind", "date", "score", "channel", "title", "closed", "note", "csm", "with", "role"];
    let mut list = ListWriter::new(out, format, "no log entries").keys(&keys);
    // The people a touch was with, by name ("Ana Ruiz; Bo Lee"): what `import logs` reads back.
    let names: std::collections::HashMap<i64, String> =
        store.all_contacts()?.into_iter().map(|c| (c.id, c.name)).collect();
    for (account, e) in store.all_entries()? {
        let with: Vec<&str> = e.with.iter().filter_map(|id| names.get(id)).map(String::as_str).collect();
        list.row(&[
            rows::text("account", Some(account)),
            rows::text("kind", Some(e.kind.key())),
            day("date", Some(e.day)),
            rows::number("score", e.score),
            rows::text("channel", e.channel.map(|c| c.key())),
            rows::text("title", e.title.as_ref()),
            day("closed", e.closed_on),
            words("note", &e.note),
            rows::text("csm", e.csm.as_ref()),
            words("with", &with.join("; ")),
            rows::text("role", e.role.map(|r| r.key())),
        ])?;
    }
    Ok(list.finish()?)
}

/// One row per status each goal has had, oldest first; the first row of a goal sets it.
pub fn export_goals<W: Write>(
    store: &(impl BookRead + ?Sized),
    format: Format,
    out: &mut W,
) -> Result<(), ExportError> {
    let keys = ["account", "goal", "measure", "target", "owner", "date", "status", "note"];
    let mut list = ListWriter::new(out, format, "no goals").keys(&keys);
    let mut goals = store.goals_by_account()?;
    for (id, external_id) in store.external_ids()? {
        for g in goals.remove(&id).unwrap_or_default() {
            for h in &g.history {
                list.row(&[
                    rows::text("account", Some(&external_id)),
                    rows::text("goal", Some(&g.words)),
                    words("measure", &g.measure),
                    day("target", g.target_date),
                    rows::text("owner", Some(g.owner.key())),
                    day("date", Some(h.day)),
                    rows::text("status", Some(h.status.key())),
                    words("note", &h.note),
                ])?;
            }
        }
    }
    Ok(list.finish()?)
}

/// Tasks, open ones by due day, then the closed ones: what `tend import tasks` reads back.
pub fn export_tasks<W: Write>(
    store: &(impl BookRead + ?Sized),
    format: Format,
    out: &mut W,
) -> Result<(), ExportError> {
    let mut list = ListWriter::new(out, format, "no tasks").keys(&TASK_KEYS);
    for t in store.tasks(&crate::store::TaskFilter { all: true, ..Default::default() })? {
        list.row(&[
            rows::text("account", Some(&t.external_id)),
            rows::text("task", Some(&t.title)),
            day("due", Some(t.due)),
            rows::text("status", Some(t.status.key())),
            day("closed", t.closed_on),
            rows::text("owner", t.owner.as_ref()),
            words("playbook", &t.playbook),
            day("created", Some(t.created_on)),
            words("note", &t.note),
        ])?;
    }
    Ok(list.finish()?)
}

/// The people at each account: what `tend import contacts` reads back.
pub fn export_contacts<W: Write>(
    store: &(impl BookRead + ?Sized),
    format: Format,
    out: &mut W,
) -> Result<(), ExportError> {
    let keys = ["account", "name", "title", "email", "role", "status", "left", "created", "note"];
    let mut list = ListWriter::new(out, format, "no contacts").keys(&keys);
    for c in store.all_contacts()? {
        list.row(&[
            rows::text("account", Some(&c.external_id)),
            rows::text("name", Some(&c.name)),
            words("title", &c.title),
            words("email", &c.email),
            rows::text("role", c.role.map(|r| r.key())),
            rows::text("status", Some(c.status.key())),
            day("left", c.left_on),
            day("created", Some(c.created_on)),
            words("note", &c.note),
        ])?;
    }
    Ok(list.finish()?)
}

/// The fields of a tasks export, in order.
pub const TASK_KEYS: [&str; 9] = ["account", "task", "due", "status", "closed", "owner", "playbook", "created", "note"];

/// Milestones: account, journey, milestone, due, done, note.
pub fn export_milestones<W: Write>(
    store: &(impl BookRead + ?Sized),
    format: Format,
    out: &mut W,
) -> Result<(), ExportError> {
    let keys = ["account", "journey", "milestone", "due", "done", "note"];
    let mut list = ListWriter::new(out, format, "no milestones").keys(&keys);
    let mut milestones = store.milestones_by_account()?;
    for (id, external_id) in store.external_ids()? {
        for m in milestones.remove(&id).unwrap_or_default() {
            list.row(&[
                rows::text("account", Some(&external_id)),
                rows::text("journey", Some(&m.journey)),
                rows::text("milestone", Some(&m.name)),
                day("due", Some(m.due)),
                day("done", m.done),
                words("note", &m.note),
            ])?;
        }
    }
    Ok(list.finish()?)
}

#[cfg(test)]
mod tests {
    use super::factor_value;

    fn csv(value: Option<f64>, at_least: bool) -> String {
        factor_value("value_x".into(), value, at_least).text
    }

    #[test]
    fn a_factor_value_is_exported_as_the_score_read_it() {
        assert_eq!(csv(Some(-12.345), false), "-12.35");
        assert_eq!(csv(Some(40.0), false), "40");
        assert_eq!(csv(None, false), "-");
        // A lower bound says so; a lower bound of nothing is no value.
        assert_eq!(csv(Some(40.0), true), ">=40");
        assert_eq!(csv(Some(0.0), true), "-");
        assert_eq!(factor_value("v".into(), Some(7.0), false).json, serde_json::json!(7));
    }
}
