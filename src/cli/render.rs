//! Rendering a report: an aligned table, JSON with stable field names, or a Markdown table.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::ReportFormat;
use crate::domain::{Cents, HealthBand};

/// One value of a report: typed for JSON, written out for the table and Markdown.
pub(super) struct Field {
    key: &'static str,
    json: Value,
    text: String,
}

pub(super) fn field(key: &'static str, json: Value, text: impl Into<String>) -> Field {
    Field { key, json, text: text.into() }
}

pub(super) fn money(key: &'static str, c: Cents, currency: &str) -> Field {
    field(key, json!(c.units()), c.full(currency))
}

pub(super) fn percent(key: &'static str, v: Option<f64>) -> Field {
    field(
        key,
        v.map_or(Value::Null, |v| json!((v * 10.0).round() / 10.0)),
        v.map_or("-".into(), |v| format!("{v:.1}%")),
    )
}

pub(super) fn band(b: Option<HealthBand>) -> Field {
    field("band", b.map_or(Value::Null, |b| json!(b.label().to_lowercase())), b.map_or("no score", |b| b.label()))
}

pub(super) fn score(s: Option<u8>) -> Field {
    field("score", s.map_or(Value::Null, |s| json!(s)), s.map_or("-".into(), |s| s.to_string()))
}

/// A report: a title, its rows, a summary, and what to say when there are no rows.
pub(super) struct Report {
    pub name: &'static str,
    pub title: String,
    pub rows: Vec<Vec<Field>>,
    pub summary: Vec<Field>,
    pub empty: String,
}

impl Report {
    pub fn render(&self, format: ReportFormat, as_of: NaiveDate) -> String {
        match format {
            ReportFormat::Json => {
                let row =
                    |r: &Vec<Field>| Value::Object(r.iter().map(|f| (f.key.to_string(), f.json.clone())).collect());
                let doc = json!({
                    "report": self.name,
                    "title": self.title,
                    "as_of": as_of.to_string(),
                    "rows": self.rows.iter().map(row).collect::<Vec<_>>(),
                    "summary": row(&self.summary),
                });
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            }
            ReportFormat::Md => {
                let mut out = format!("## {}\n\n", self.title);
                if self.rows.is_empty() {
                    out.push_str(&format!("_{}_\n", self.empty));
                } else {
                    let escape = |s: &str| s.replace('|', "\\|").replace('\n', " ");
                    let keys: Vec<&str> = self.rows[0].iter().map(|f| f.key).collect();
                    out.push_str(&format!("| {} |\n", keys.join(" | ")));
                    out.push_str(&format!("|{}\n", keys.iter().map(|_| " --- |").collect::<String>()));
                    for r in &self.rows {
                        let cells: Vec<String> = r.iter().map(|f| escape(&f.text)).collect();
                        out.push_str(&format!("| {} |\n", cells.join(" | ")));
                    }
                }
                for f in &self.summary {
                    out.push_str(&format!("\n- {}: {}", f.key, f.text));
                }
                out.trim_end().to_string()
            }
            ReportFormat::Table => {
                let mut out = format!("{}\n", self.title);
                if self.rows.is_empty() {
                    out.push_str(&format!("({})\n", self.empty));
                } else {
                    let header: Vec<String> = self.rows[0].iter().map(|f| f.key.to_uppercase()).collect();
                    let lines: Vec<Vec<String>> = std::iter::once(header)
                        .chain(self.rows.iter().map(|r| r.iter().map(|f| f.text.clone()).collect()))
                        .collect();
                    for line in crate::text::align(&lines) {
                        out.push_str(&line);
                        out.push('\n');
                    }
                }
                for f in &self.summary {
                    out.push_str(&format!("{}: {}\n", f.key, f.text));
                }
                out.trim_end().to_string()
            }
        }
    }
}
