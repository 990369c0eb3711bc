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

/// A figure worked out in money (a forecast): JSON keeps it as worked out, a table shows it to
/// whole units, rounded.
pub(super) fn money_rounded(key: &'static str, c: Cents, currency: &str) -> Field {
    field(key, rows::money_json(c), c.rounded().full(currency))
}

/// `money_rounded` with a note after the amount in a table ("$431,400 (1 with no ARR)"): a sum
/// beside a forecast in whole units is in whole units too (a probe's "ARR due: $4,463,457.45"
/// over "Forecast: $3,090,726").
pub(super) fn money_noted(key: &'static str, c: Cents, currency: &str, note: &str) -> Field {
    field(key, rows::money_json(c), format!("{}{note}", c.rounded().full(currency)))
}

/// One account's ARR; none on record (`Cents::on_record`) is unknown (JSON null, "-"), as the
/// screens say. A table shows whole units (a probe's column read "$68,529.50" under "$329,304");
/// JSON and CSV keep the amount as it is.
pub(super) fn account_arr(c: Cents, currency: &str) -> Field {
    match c.on_record() {
        Some(c) => money_rounded("arr", c, currency),
        None => field("arr", Value::Null, "-"),
    }
}

pub(super) fn percent(key: &'static str, v: Option<f64>) -> Field {
    figure(key, v, |v| format!("{v:.1}%"))
}

/// A figure: JSON to one decimal (null when there is none), shown by `text` (or "-").
pub(super) fn figure(key: &'static str, v: Option<f64>, text: impl Fn(f64) -> String) -> Field {
    field(key, v.map_or(Value::Null, |v| json!((v * 10.0).round() / 10.0)), v.map_or("-".into(), text))
}

pub(super) fn band(b: Option<HealthBand>) -> Field {
    field("band", b.map_or(Value::Null, |b| json!(b.label().to_lowercase())), b.map_or("no score", |b| b.label()))
}

pub(super) fn score(s: Option<u8>) -> Field {
    field("score", s.map_or(Value::Null, |s| json!(s)), s.map_or("-".into(), |s| s.to_string()))
}

/// A report: a title, its rows, a summary, and what to say when there are no rows; some reports
/// have further tables (sections) below the first.
pub(super) struct Report {
    pub name: &'static str,
    pub title: String,
    pub rows: Vec<Vec<Field>>,
    pub summary: Vec<Field>,
    pub empty: String,
    pub sections: Vec<Section>,
    /// A field whose value heads groups of rows in the table and Markdown (the one-on-one's
    /// section), rather than being repeated on every row; JSON and CSV keep it on each row.
    pub grouped_by: Option<&'static str>,
}

/// A further table of a report: JSON keys it by `name`; tables and Markdown print it under its
/// title; CSV, one table a file, prints the first table only (`--section` picks another).
pub(super) struct Section {
    pub name: &'static str,
    pub title: String,
    pub rows: Vec<Vec<Field>>,
    pub empty: String,
}

impl Report {
    /// The rows as the table and Markdown show them: one group under no heading, or, grouped by
    /// a field, each run of rows with the same value under it, the field left out of the rows.
    fn groups(&self) -> Vec<(Option<&str>, Vec<Vec<Field>>)> {
        let Some(key) = self.grouped_by.filter(|_| !self.rows.is_empty()) else {
            return vec![(None, self.rows.clone())];
        };
        let mut groups: Vec<(Option<&str>, Vec<Vec<Field>>)> = Vec::new();
        for row in &self.rows {
            let heading = row.iter().find(|f| f.key == key).map(|f| f.text.as_str());
            let rest: Vec<Field> = row.iter().filter(|f| f.key != key).cloned().collect();
            match groups.last_mut() {
                Some((h, rows)) if *h == heading => rows.push(rest),
                _ => groups.push((heading, vec![rest])),
            }
        }
        groups
    }

    /// The report with one table left: the first (`retention`, as the report names it) or a
    /// section.
    pub fn only(mut self, name: &str) -> Result<Report, String> {
        let first = match self.name {
            "metrics" => "retention",
            other => other,
        };
        if name.eq_ignore_ascii_case(first) {
            self.sections.clear();
            return Ok(self);
        }
        let Some(at) = self.sections.iter().position(|s| s.name.eq_ignore_ascii_case(name)) else {
            let names: Vec<&str> = std::iter::once(first).chain(self.sections.iter().map(|s| s.name)).collect();
            return Err(format!(
                "--section {}: this report's tables are {}",
                crate::text::clean(name),
                names.join(", ")
            ));
        };
        let s = self.sections.swap_remove(at);
        self.sections.clear();
        self.title = s.title;
        self.rows = s.rows;
        self.empty = s.empty;
        self.summary.clear();
        Ok(self)
    }

    /// CSV is the rows alone (a header and one line per row), for a spreadsheet; the summary is
    /// in the other formats.
    pub fn render(&self, format: Format, as_of: NaiveDate) -> String {
        match format {
            Format::Json => {
                let mut doc = json!({
                    "report": self.name,
                    "title": self.title,
                    "as_of": as_of.to_string(),
                    "rows": self.rows.iter().map(|r| rows::json_object(r)).collect::<Vec<_>>(),
                    "summary": rows::json_object(&self.summary),
                });
                // An empty table says why, as the other formats do.
                if self.rows.is_empty() {
                    doc["empty"] = json!(self.empty);
                }
                for s in &self.sections {
                    doc[s.name] = json!({
                        "title": s.title,
                        "rows": s.rows.iter().map(|r| rows::json_object(r)).collect::<Vec<_>>(),
                    });
                }
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            }
            Format::Csv => {
                let mut out = Vec::new();
                // Writing into memory cannot fail.
                let _ = rows::write_list(&mut out, Format::Csv, &rows::keys_of(&self.rows), &self.rows, &self.empty);
                String::from_utf8_lossy(&out).trim_end().to_string()
            }
            // A brief is read in chat: prose, not a table.
            Format::Md | Format::Table if self.name == "brief" => super::brief::text(self, format == Format::Md),
            Format::Md => {
                let mut out = format!("## {}\n\n", self.title);
                for (n, (heading, rows)) in self.groups().into_iter().enumerate() {
                    if n > 0 {
                        out.push('\n');
                    }
                    if let Some(h) = heading {
                        out.push_str(&format!("### {h}\n\n"));
                    }
                    for line in rows::md_lines(&rows, &self.empty) {
                        out.push_str(&line);
                        out.push('\n');
                    }
                }
                // A field with no words is for JSON only (a flag the text says otherwise).
                for f in self.summary.iter().filter(|f| !f.text.is_empty()) {
                    out.push_str(&format!("\n- {}: {}", summary_label(&f.key), f.text));
                }
                for s in &self.sections {
                    out.push_str(&format!("\n\n### {}\n\n", s.title));
                    out.push_str(&rows::md_lines(&s.rows, &s.empty).join("\n"));
                }
                out.trim_end().to_string()
            }
            Format::Table => {
                let mut out = String::new();
                let say = |out: &mut String, line: &str| {
                    for l in rows::text_lines(line) {
                        out.push_str(&l);
                        out.push('\n');
                    }
                };
                say(&mut out, &self.title);
                for (heading, rows) in self.groups() {
                    if let Some(h) = heading {
                        out.push('\n');
                        say(&mut out, h);
                    }
                    for line in rows::table_lines(&rows, &self.empty) {
                        out.push_str(&line);
                        out.push('\n');
                    }
                }
                if self.grouped_by.is_some() && !self.rows.is_empty() {
                    out.push('\n');
                }
                for f in self.summary.iter().filter(|f| !f.text.is_empty()) {
                    say(&mut out, &format!("{}: {}", summary_label(&f.key), f.text));
                }
                for s in &self.sections {
                    out.push('\n');
                    say(&mut out, &s.title);
                    for line in rows::table_lines(&s.rows, &s.empty) {
                        out.push_str(&line);
                        out.push('\n');
                    }
                }
                out.trim_end().to_string()
            }
        }
    }
}

/// A summary's key as people read it in a table or Markdown ("need_you" is "Need you", "csms"
/// "CSMs"); JSON keeps the key.
pub(super) fn summary_label(key: &str) -> String {
    // "Need you: 120" over three CSMs' accounts, where the TUI says "need attention today".
    if key == "need_you" {
        return "Need attention".to_string();
    }
    let words: Vec<String> = key
        .split('_')
        .map(|w| match w {
            "arr" | "auc" | "csm" | "nps" | "csat" | "ces" | "nrr" | "grr" | "cltv" => w.to_uppercase(),
            "csms" => "CSMs".to_string(),
            "30d" => "(30 days)".to_string(),
            other => other.to_string(),
        })
        .collect();
    let joined = words.join(" ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::summary_label;

    #[test]
    fn summary_keys_read_as_words() {
        assert_eq!(summary_label("need_you"), "Need attention");
        assert_eq!(summary_label("csms"), "CSMs");
        assert_eq!(summary_label("arr_at_risk"), "ARR at risk");
        assert_eq!(summary_label("cltv"), "CLTV");
        assert_eq!(summary_label("long_past_renewals"), "Long past renewals");
    }
}
