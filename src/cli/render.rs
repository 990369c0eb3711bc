//! Rendering a report: its rows in any of the four formats, JSON in an envelope that carries the
//! report's name, title, day and summary.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::Format;
use crate::domain::{Cents, HealthBand};
use crate::rows::{self, Field};

pub(super) fn field(key: &'static str, json: Value, text: impl Into<String>) -> Field {
    rows::shown(key, json, text)
}

pub(super) fn money(key: &'static str, c: Cents, currency: &str) -> Field {
    field(key, rows::money_json(c), c.full(currency))
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
    /// CSV is the rows alone (a header and one line per row), for a spreadsheet; the summary is
    /// in the other formats.
    pub fn render(&self, format: Format, as_of: NaiveDate) -> String {
        match format {
            Format::Json => {
                let doc = json!({
                    "report": self.name,
                    "title": self.title,
                    "as_of": as_of.to_string(),
                    "rows": self.rows.iter().map(|r| rows::json_object(r)).collect::<Vec<_>>(),
                    "summary": rows::json_object(&self.summary),
                });
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            }
            Format::Csv => {
                let mut out = Vec::new();
                // Writing into memory cannot fail.
                let _ = rows::write_list(&mut out, Format::Csv, &rows::keys_of(&self.rows), &self.rows, &self.empty);
                String::from_utf8_lossy(&out).trim_end().to_string()
            }
            Format::Md => {
                let mut out = format!("## {}\n\n", self.title);
                for line in rows::md_lines(&self.rows, &self.empty) {
                    out.push_str(&line);
                    out.push('\n');
                }
                for f in &self.summary {
                    out.push_str(&format!("\n- {}: {}", f.key, f.text));
                }
                out.trim_end().to_string()
            }
            Format::Table => {
                let mut out = format!("{}\n", self.title);
                for line in rows::table_lines(&self.rows, &self.empty) {
                    out.push_str(&line);
                    out.push('\n');
                }
                for f in &self.summary {
                    out.push_str(&format!("{}: {}\n", f.key, f.text));
                }
                out.trim_end().to_string()
            }
        }
    }
}
