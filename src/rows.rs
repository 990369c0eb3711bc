//! Typed rows and the four ways tend writes them: an aligned table, JSON, CSV and Markdown.
//!
//! Every list tend prints (exports, `log list`, `goal list`, `milestone list`, reports, search)
//! is a list of rows of fields. A field carries its JSON value (numbers as numbers, a missing
//! value as null, days as ISO dates) and, where a person reads it better another way ("$48,000",
//! "12.5%", "in 3 days"), the text the table and Markdown show. CSV writes the JSON value as text
//! (a missing value as an empty cell), so a script reading CSV gets what one reading JSON gets.

use std::io::{self, Write};

use serde_json::Value;

use crate::domain::Cents;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An aligned table, for people
    Table,
    /// JSON: numbers as numbers, missing values as null, days as YYYY-MM-DD
    Json,
    /// CSV with a header row (an export's CSV imports back; the dated ARR changes behind retention figures are kept in the book file only)
    Csv,
    /// A Markdown table, for chat and notes
    Md,
}

/// One value of a row.
#[derive(Clone, Debug)]
pub struct Field {
    pub key: String,
    pub json: Value,
    /// What the table and Markdown show.
    pub text: String,
    /// Whether the table and Markdown show it: a key for scripts (the book's internal id of an
    /// account) is in JSON and CSV alone, where people read the external id beside it.
    pub shown: bool,
}

/// A field shown as its value ("-" when missing).
pub fn value(key: impl Into<String>, json: Value) -> Field {
    let text = match &json {
        Value::Null => "-".to_string(),
        other => csv_text(other),
    };
    Field { key: key.into(), json, text, shown: true }
}

/// A field whose table text differs from its value.
pub fn shown(key: impl Into<String>, json: Value, text: impl Into<String>) -> Field {
    Field { key: key.into(), json, text: text.into(), shown: true }
}

/// A field for scripts: in JSON and CSV, not in the table or Markdown people read.
pub fn for_scripts(key: impl Into<String>, json: Value) -> Field {
    Field { shown: false, ..value(key, json) }
}

/// A text field; `None` is null.
pub fn text(key: impl Into<String>, v: Option<impl ToString>) -> Field {
    value(key, v.map_or(Value::Null, |v| Value::String(v.to_string())))
}

/// A number field; `None` is null.
pub fn number(key: impl Into<String>, v: Option<impl Into<serde_json::Number>>) -> Field {
    value(key, v.map_or(Value::Null, |v| Value::Number(v.into())))
}

/// An amount of money as a JSON number: whole units when there are no cents, so 48000 and not
/// 48000.0.
pub fn money_json(c: Cents) -> Value {
    if c.0 % 100 == 0 { Value::from(c.0 / 100) } else { Value::from(c.units()) }
}

/// A field's value as CSV writes it: a list of words (a Triage item's reasons) as the table
/// says it, joined by " · ", not as a JSON array inside a cell of a spreadsheet.
pub fn csv_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(Value::is_string) => {
            items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" · ")
        }
        other => other.to_string(),
    }
}

/// A row as a JSON object, its fields in order.
pub fn json_object(row: &[Field]) -> Value {
    Value::Object(row.iter().map(|f| (f.key.clone(), f.json.clone())).collect())
}

/// The rows as an aligned table under an upper-case header; `(empty)` when there are none.
pub fn table_lines(rows: &[Vec<Field>], empty: &str) -> Vec<String> {
    let Some(first) = rows.first() else { return vec![format!("({empty})")] };
    let header: Vec<String> = first.iter().filter(|f| f.shown).map(|f| f.key.to_uppercase()).collect();
    let cells = |r: &Vec<Field>| r.iter().filter(|f| f.shown).map(|f| f.text.clone()).collect();
    let lines: Vec<Vec<String>> = std::iter::once(header).chain(rows.iter().map(cells)).collect();
    crate::text::align_within(&lines, terminal_width())
}

/// The terminal's width when standard output is one: tables are fitted to it.
pub(crate) fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size().ok().map(|(w, _)| usize::from(w)).filter(|&w| w > 0)
}

/// A line of text for people (a title, a summary's line): on a terminal, wrapped whole at its
/// width, the lines after the first indented two columns (the terminal had cut words in two:
/// "at their wors" / "t").
pub fn text_lines(line: &str) -> Vec<String> {
    match terminal_width() {
        Some(room) if crate::text::width(line) > room => wrapped_within(line, room),
        _ => vec![line.to_string()],
    }
}

/// `line` wrapped whole within `room` columns: its own indent kept on the first line, two more
/// on the lines after ("  - a note" goes on under "a").
fn wrapped_within(line: &str, room: usize) -> Vec<String> {
    let text = line.trim_start();
    let lead = &line[..line.len() - text.len()];
    let hang = " ".repeat(lead.len() + 2);
    crate::text::wrap_all(text, room.saturating_sub(hang.len()).max(20))
        .into_iter()
        .enumerate()
        .map(|(i, l)| if i == 0 { format!("{lead}{l}") } else { format!("{hang}{l}") })
        .collect()
}

/// The rows as a Markdown table; `_empty_` when there are none.
pub fn md_lines(rows: &[Vec<Field>], empty: &str) -> Vec<String> {
    let Some(first) = rows.first() else { return vec![format!("_{empty}_")] };
    let escape = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let keys: Vec<&str> = first.iter().filter(|f| f.shown).map(|f| f.key.as_str()).collect();
    let mut out =
        vec![format!("| {} |", keys.join(" | ")), format!("|{}", keys.iter().map(|_| " --- |").collect::<String>())];
    for r in rows {
        let cells: Vec<String> = r.iter().filter(|f| f.shown).map(|f| escape(&f.text)).collect();
        out.push(format!("| {} |", cells.join(" | ")));
    }
    out
}

/// A list of rows with these `keys` in the chosen format: JSON is an array of objects (`[]` when
/// empty); the table and Markdown say `empty` when there is nothing; CSV then writes the header
/// of `keys` alone (nothing when there are none).
pub fn write_list<W: Write>(
    out: &mut W,
    format: Format,
    keys: &[&str],
    rows: &[Vec<Field>],
    empty: &str,
) -> Result<(), WriteError> {
    let mut list = ListWriter::new(out, format, empty).keys(keys);
    for r in rows {
        list.row(r)?;
    }
    list.finish()
}

/// The fields of the first row, for lists whose fields are whatever their rows have.
pub fn keys_of(rows: &[Vec<Field>]) -> Vec<&str> {
    rows.first().map(|r| r.iter().map(|f| f.key.as_str()).collect()).unwrap_or_default()
}

/// Writes a list row by row, so an export of a million accounts never holds them all: CSV, JSON
/// and Markdown go out as they come; only the table waits for every row, to align its columns.
pub struct ListWriter<'a, W: Write> {
    out: Out<'a, W>,
    format: Format,
    empty: &'a str,
    rows: usize,
    table: Vec<Vec<Field>>,
    /// The fields every row has, in order: the header of a CSV with no rows (an empty export
    /// still imports).
    keys: Vec<String>,
}

/// CSV goes through the csv crate's writer (quoting, its own buffer); the rest straight out.
enum Out<'a, W: Write> {
    Raw(&'a mut W),
    Csv(Box<csv::Writer<&'a mut W>>),
}

impl<'a, W: Write> ListWriter<'a, W> {
    pub fn new(out: &'a mut W, format: Format, empty: &'a str) -> Self {
        let out = match format {
            Format::Csv => Out::Csv(Box::new(csv::WriterBuilder::new().has_headers(false).from_writer(out))),
            _ => Out::Raw(out),
        };
        ListWriter { out, format, empty, rows: 0, table: Vec::new(), keys: Vec::new() }
    }

    /// The fields each row will have, in order.
    pub fn keys(mut self, keys: &[impl AsRef<str>]) -> Self {
        self.keys = keys.iter().map(|k| k.as_ref().to_string()).collect();
        self
    }

    pub fn row(&mut self, row: &[Field]) -> Result<(), WriteError> {
        debug_assert!(
            self.keys.is_empty() || self.keys.iter().eq(row.iter().map(|f| &f.key)),
            "a row's fields differ from the list's keys"
        );
        let first = self.rows == 0;
        self.rows += 1;
        match &mut self.out {
            Out::Csv(w) => {
                if first {
                    w.write_record(row.iter().map(|f| f.key.as_str()))?;
                }
                w.write_record(row.iter().map(|f| csv_text(&f.json)))?;
            }
            Out::Raw(out) => match self.format {
                Format::Json => {
                    out.write_all(if first { b"[\n  " } else { b",\n  " })?;
                    // Indented as the pretty printer would indent it inside the array.
                    let text = serde_json::to_string_pretty(&json_object(row))?;
                    out.write_all(text.replace('\n', "\n  ").as_bytes())?;
                }
                Format::Md => {
                    let lines = md_lines(&[row.to_vec()], self.empty);
                    for line in lines.into_iter().skip(if first { 0 } else { 2 }) {
                        writeln!(out, "{}", crate::text::clean_lines(&line))?;
                    }
                }
                Format::Table | Format::Csv => self.table.push(row.to_vec()),
            },
        }
        Ok(())
    }

    pub fn finish(self) -> Result<(), WriteError> {
        match self.out {
            Out::Csv(mut w) => {
                if self.rows == 0 && !self.keys.is_empty() {
                    w.write_record(&self.keys)?;
                }
                w.flush()?
            }
            Out::Raw(out) => {
                match self.format {
                    Format::Json => out.write_all(if self.rows == 0 { b"[]\n" } else { b"\n]\n" })?,
                    Format::Md if self.rows == 0 => writeln!(out, "_{}_", self.empty)?,
                    Format::Md => {}
                    Format::Table | Format::Csv => {
                        for line in table_lines(&self.table, self.empty) {
                            writeln!(out, "{}", crate::text::clean_lines(&line))?;
                        }
                    }
                }
                out.flush()?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("{0}")]
    Csv(#[from] csv::Error),
    #[error("{0}")]
    Json(#[from] serde_json::Error),
}

impl WriteError {
    /// The reader went away (`tend ... | head`): not a failure of the command.
    pub fn is_broken_pipe(&self) -> bool {
        let kind = match self {
            WriteError::Io(e) => Some(e.kind()),
            WriteError::Csv(e) => match e.kind() {
                csv::ErrorKind::Io(e) => Some(e.kind()),
                _ => None,
            },
            WriteError::Json(e) => e.io_error_kind(),
        };
        kind == Some(io::ErrorKind::BrokenPipe)
    }
}

/// Print a list of rows with these `keys` to standard output; a closed pipe ends tend quietly
/// with status 0.
pub fn print_list(format: Format, keys: &[&str], rows: &[Vec<Field>], empty: &str) -> Result<(), WriteError> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match write_list(&mut out, format, keys, rows, empty).and_then(|()| out.flush().map_err(WriteError::from)) {
        Err(e) if e.is_broken_pipe() => std::process::exit(0),
        other => other,
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_long_line_wraps_whole_under_its_own_indent() {
        let note = "  - 24 steps of journeys still under way were already past their day and not planned";
        let lines = super::wrapped_within(note, 40);
        assert!(lines.iter().all(|l| crate::text::width(l) <= 40), "{lines:#?}");
        assert!(lines[0].starts_with("  - 24 steps") && lines[1].starts_with("    ") && !lines[1].starts_with("     "));
        let words: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
        assert_eq!(words.join(" "), note.trim());
    }
    use serde_json::json;

    use super::*;

    fn rows() -> Vec<Vec<Field>> {
        vec![
            vec![
                number("id", Some(7)),
                text("name", Some("Acme, Inc")),
                shown("arr", money_json(Cents(4_800_000)), "$48,000"),
            ],
            vec![
                number("id", None::<i64>),
                text("name", None::<&str>),
                shown("arr", money_json(Cents(1050)), "$10.50"),
            ],
        ]
    }

    fn written(format: Format, rows: &[Vec<Field>]) -> String {
        let mut out = Vec::new();
        write_list(&mut out, format, &keys_of(rows), rows, "nothing").unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn json_has_numbers_and_nulls() {
        let v: Value = serde_json::from_str(&written(Format::Json, &rows())).unwrap();
        assert_eq!(v, json!([{"id": 7, "name": "Acme, Inc", "arr": 48000}, {"id": null, "name": null, "arr": 10.5}]));
        assert_eq!(written(Format::Json, &[]).trim(), "[]");
    }

    #[test]
    fn csv_writes_values_and_quotes_commas() {
        assert_eq!(written(Format::Csv, &rows()), "id,name,arr\n7,\"Acme, Inc\",48000\n,,10.5\n");
        assert_eq!(written(Format::Csv, &[]), "");
        let reasons = serde_json::json!(["Orange health", "renews in 10 days"]);
        assert_eq!(csv_text(&reasons), "Orange health · renews in 10 days");
        assert_eq!(csv_text(&serde_json::json!([1, 2])), "[1,2]", "numbers stay as JSON says them");
        let mut out = Vec::new();
        ListWriter::new(&mut out, Format::Csv, "nothing").keys(&["id", "name"]).finish().unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "id,name\n", "an empty CSV still has its header");
    }

    #[test]
    fn table_and_md_show_the_text() {
        let table = written(Format::Table, &rows());
        assert_eq!(table.lines().next().unwrap(), "ID  NAME       ARR");
        assert!(table.contains("-   -          $10.50"), "{table}");
        assert_eq!(written(Format::Table, &[]), "(nothing)\n");
        let md = written(Format::Md, &rows());
        assert!(md.starts_with("| id | name | arr |\n| --- | --- | --- |\n| 7 | Acme, Inc | $48,000 |"), "{md}");
    }
}
