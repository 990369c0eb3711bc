//! `tend export`: accounts (with score, band, segment and factor points) and metric samples, as
//! CSV or JSON. An export imports back into an empty book as the same book.

use std::io::Write;

use chrono::NaiveDate;
use serde::Serialize;

use crate::book;
use crate::config::Config;
use crate::domain::FactorValues;
use crate::store::{Store, StoreError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("writing the export: {0}")]
    Csv(#[from] csv::Error),
    #[error("writing the export: {0}")]
    Json(#[from] serde_json::Error),
}

impl ExportError {
    /// The reader went away (`tend export ... | head`): not a failure of the export.
    pub fn is_broken_pipe(&self) -> bool {
        let io = match self {
            ExportError::Io(e) => Some(e.kind()),
            ExportError::Csv(e) => match e.kind() {
                csv::ErrorKind::Io(e) => Some(e.kind()),
                _ => None,
            },
            ExportError::Json(e) => e.io_error_kind(),
            ExportError::Store(_) => None,
        };
        io == Some(std::io::ErrorKind::BrokenPipe)
    }
}

/// One exported account. Field names are the import's canonical column names.
#[derive(Debug, Serialize)]
pub struct AccountOut {
    pub external_id: String,
    pub name: String,
    pub csm: String,
    pub arr: String,
    pub currency: String,
    pub plan: String,
    pub customer_since: String,
    pub renewal_date: String,
    pub stage: String,
    pub status: String,
    pub churned_on: String,
    pub volume_score: String,
    pub advocacy_score: String,
    pub brand_score: String,
    pub expected_usage: String,
    pub tags: String,
    pub notes: String,
    pub segment: String,
    pub score: String,
    pub band: String,
    pub score_kind: String,
    /// The share of the profile's weight with data behind it, in whole percent: a score needs
    /// `health.min_coverage` of it.
    pub coverage: String,
}

fn text<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Serialise rows as CSV (header from the first row's field names, plus extra columns) or JSON.
fn write_rows<W: Write, T: Serialize>(
    out: &mut W,
    format: Format,
    rows: &[(T, Vec<(String, String)>)],
) -> Result<(), ExportError> {
    match format {
        Format::Json => {
            let values: Vec<serde_json::Value> = rows
                .iter()
                .map(|(row, extra)| {
                    let mut v = serde_json::to_value(row).unwrap_or_default();
                    if let serde_json::Value::Object(map) = &mut v {
                        for (k, x) in extra {
                            map.insert(k.clone(), serde_json::Value::String(x.clone()));
                        }
                    }
                    v
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &values)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(&mut *out);
            if let Some((first, extra)) = rows.first() {
                let v = serde_json::to_value(first)?;
                let mut header: Vec<String> = v.as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default();
                header.extend(extra.iter().map(|(k, _)| k.clone()));
                w.write_record(&header)?;
            }
            for (row, extra) in rows {
                let v = serde_json::to_value(row)?;
                let mut fields: Vec<String> = v
                    .as_object()
                    .map(|m| m.values().map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string)).collect())
                    .unwrap_or_default();
                fields.extend(extra.iter().map(|(_, x)| x.clone()));
                w.write_record(&fields)?;
            }
            w.flush()?;
        }
    }
    Ok(())
}

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
    let attributes = store.all_attributes()?;
    let mut attribute_keys: Vec<String> = attributes
        .values()
        .flatten()
        .map(|(k, _)| k.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    attribute_keys.retain(|k| !k.is_empty());
    let mut rows = Vec::new();
    for a in store.all_accounts()? {
        let v = values.get(&a.id).copied().unwrap_or_default();
        let health = config.health.assess(&v, &a.subject(), as_of);
        let catalog = &config.health.catalog;
        let mut extra: Vec<(String, String)> = catalog
            .ids()
            .map(|f| {
                let points = health.factors.iter().find(|x| x.id == f).and_then(|x| x.points);
                (format!("points_{}", catalog.key(f)), text(points))
            })
            .collect();
        let attrs = attributes.get(&a.id);
        for k in &attribute_keys {
            let v = attrs.and_then(|list| list.iter().find(|(key, _)| key == k)).map(|(_, v)| v.clone());
            extra.push((k.clone(), v.unwrap_or_default()));
        }
        rows.push((
            AccountOut {
                segment: config.segments.segment_of(a.arr.units(), a.segment_inputs).to_string(),
                score: text(health.score),
                band: text(health.band.map(|b| b.label())),
                score_kind: config.health.kind_name(health.kind).to_string(),
                coverage: health.coverage.percent().to_string(),
                external_id: a.external_id,
                name: a.name,
                csm: a.csm.unwrap_or_default(),
                arr: format!("{:.2}", a.arr.units()),
                currency: a.currency,
                plan: a.plan.unwrap_or_default(),
                customer_since: text(a.customer_since),
                renewal_date: text(a.renewal_date),
                stage: a.stage.key().into(),
                status: a.status.key().into(),
                churned_on: text(a.churned_on),
                volume_score: text(a.segment_inputs.volume),
                advocacy_score: text(a.segment_inputs.advocacy),
                brand_score: text(a.segment_inputs.brand),
                expected_usage: text(a.expected_usage),
                tags: a.tags,
                notes: a.notes,
            },
            extra,
        ));
    }
    write_rows(out, format, &rows)
}

#[derive(Debug, Serialize)]
pub struct SampleOut {
    pub account: String,
    pub metric: String,
    pub date: String,
    pub value: f64,
}

pub fn export_metrics<W: Write>(store: &Store, format: Format, out: &mut W) -> Result<(), ExportError> {
    let rows: Vec<(SampleOut, Vec<(String, String)>)> = store
        .all_samples()?
        .into_iter()
        .map(|(account, metric, day, value)| (SampleOut { account, metric, date: day.to_string(), value }, Vec::new()))
        .collect();
    write_rows(out, format, &rows)
}

#[derive(Debug, Serialize)]
pub struct EntryOut {
    pub account: String,
    pub kind: String,
    pub date: String,
    pub score: String,
    pub channel: String,
    pub title: String,
    pub closed: String,
    pub note: String,
    pub csm: String,
}

pub fn export_logs<W: Write>(store: &Store, format: Format, out: &mut W) -> Result<(), ExportError> {
    let rows: Vec<(EntryOut, Vec<(String, String)>)> = store
        .all_entries()?
        .into_iter()
        .map(|(account, e)| {
            (
                EntryOut {
                    account,
                    kind: e.kind.key().into(),
                    date: e.day.to_string(),
                    score: text(e.score),
                    channel: text(e.channel.map(|c| c.key())),
                    title: e.title.unwrap_or_default(),
                    closed: text(e.closed_on),
                    note: e.note,
                    csm: e.csm.unwrap_or_default(),
                },
                Vec::new(),
            )
        })
        .collect();
    write_rows(out, format, &rows)
}

#[derive(Debug, Serialize)]
pub struct GoalEventOut {
    pub account: String,
    pub goal: String,
    pub measure: String,
    pub target: String,
    pub owner: String,
    pub date: String,
    pub status: String,
    pub note: String,
}

/// One row per status each goal has had, oldest first; the first row of a goal sets it.
pub fn export_goals<W: Write>(store: &Store, format: Format, out: &mut W) -> Result<(), ExportError> {
    let mut rows = Vec::new();
    for a in store.all_accounts()? {
        for g in store.goals_for(a.id)? {
            for h in &g.history {
                rows.push((
                    GoalEventOut {
                        account: a.external_id.clone(),
                        goal: g.words.clone(),
                        measure: g.measure.clone(),
                        target: text(g.target_date),
                        owner: g.owner.key().into(),
                        date: h.day.to_string(),
                        status: h.status.key().into(),
                        note: h.note.clone(),
                    },
                    Vec::new(),
                ));
            }
        }
    }
    write_rows(out, format, &rows)
}

#[derive(Debug, Serialize)]
pub struct MilestoneOut {
    pub account: String,
    pub journey: String,
    pub milestone: String,
    pub due: String,
    pub done: String,
    pub note: String,
}

pub fn export_milestones<W: Write>(store: &Store, format: Format, out: &mut W) -> Result<(), ExportError> {
    let mut rows = Vec::new();
    for a in store.all_accounts()? {
        for m in store.milestones_for(a.id)? {
            rows.push((
                MilestoneOut {
                    account: a.external_id.clone(),
                    journey: m.journey.clone(),
                    milestone: m.name,
                    due: m.due.to_string(),
                    done: text(m.done),
                    note: m.note,
                },
                Vec::new(),
            ));
        }
    }
    write_rows(out, format, &rows)
}
