//! Reading a CSV file as it comes: UTF-8 with or without a BOM, comma, semicolon or tab, quoted
//! fields with line breaks. Every row keeps the line it starts on, for error messages.

use std::io::Read;
use std::path::Path;

use super::ImportError;

/// Where rows come from: a file, or standard input (`-`).
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    File(std::path::PathBuf),
    Stdin,
}

impl Source {
    pub fn from_arg(arg: &Path) -> Source {
        if arg.as_os_str() == "-" { Source::Stdin } else { Source::File(arg.to_path_buf()) }
    }

    /// How messages name it.
    pub fn name(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Stdin => "<stdin>".into(),
        }
    }
}

/// A CSV file in memory, its header read and its delimiter known. Rows are read on demand, so a
/// big file is never held as both text and records.
pub struct Table {
    pub source: String,
    pub headers: Vec<String>,
    text: String,
    /// Where the text starts after a byte-order mark.
    start: usize,
    delimiter: u8,
}

impl Table {
    /// A cell of a row, trimmed; empty if the row is short.
    pub fn cell<'a>(&self, row: &'a csv::StringRecord, column: usize) -> &'a str {
        row.get(column).unwrap_or("").trim()
    }

    /// The first column whose header, normalised, is one of `names`.
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.headers.iter().position(|h| names.contains(&super::columns::normalise(h).as_str()))
    }

    /// Like `column`, but a file without it is refused, naming `what` and a few of the headers.
    pub fn require(&self, what: &str, names: &[&str]) -> Result<usize, ImportError> {
        self.column(names).ok_or_else(|| self.missing(what, names))
    }

    /// The refusal of a file that lacks a column.
    pub fn missing(&self, what: &str, names: &[&str]) -> ImportError {
        ImportError::MissingColumn {
            file: self.source.clone(),
            what: what.into(),
            aliases: names.iter().take(4).map(|a| format!("\"{a}\"")).collect(),
        }
    }

    /// The text after any byte-order mark: what the CSV reader reads.
    fn body(&self) -> &[u8] {
        &self.text.as_bytes()[self.start..]
    }

    fn reader<'a>(&self, bytes: &'a [u8], header: bool) -> csv::Reader<&'a [u8]> {
        csv::ReaderBuilder::new().delimiter(self.delimiter).flexible(true).has_headers(header).from_reader(bytes)
    }

    /// Call `f` with every data row and the line it starts on. Blank rows are skipped; a row with
    /// the wrong number of fields, or broken quoting, stops the read with the line named.
    pub fn for_each_row(&self, mut f: impl FnMut(u64, &csv::StringRecord)) -> Result<(), ImportError> {
        self.for_each_row_marking(usize::MAX, |line, _, row| f(line, row)).map(|_| ())
    }

    /// Like `for_each_row`, also handing `f` where each row starts (for `record_at`), and
    /// splitting the rows into spans of `per_span` rows that `for_each_row_in` can read on
    /// other threads.
    pub fn for_each_row_marking(
        &self,
        per_span: usize,
        mut f: impl FnMut(u64, u64, &csv::StringRecord),
    ) -> Result<Vec<RowSpan>, ImportError> {
        let body = self.body();
        let mut reader = self.reader(body, true);
        // The header was read when the table was made; read it again to start at the data.
        reader.headers().map_err(|e| ImportError::File {
            file: self.source.clone(),
            line: 1,
            reason: e.to_string(),
        })?;
        let mut spans: Vec<RowSpan> = Vec::new();
        let mut rows = 0usize;
        self.read(reader, RowSpan { start: 0, end: body.len(), first_line: 1 }, |line, byte, row| {
            if rows.is_multiple_of(per_span.max(1)) {
                if let Some(last) = spans.last_mut() {
                    last.end = byte as usize;
                }
                spans.push(RowSpan { start: byte as usize, end: body.len(), first_line: line });
            }
            rows += 1;
            f(line, byte, row)
        })?;
        Ok(spans)
    }

    /// Every data row of one span, with its line and where it starts.
    pub fn for_each_row_in(
        &self,
        span: &RowSpan,
        f: impl FnMut(u64, u64, &csv::StringRecord),
    ) -> Result<(), ImportError> {
        self.read(self.reader(&self.body()[span.start..span.end], false), *span, f)
    }

    /// The row that starts at `byte` (as handed out by the readers above).
    pub fn record_at(&self, byte: u64) -> csv::StringRecord {
        let mut record = csv::StringRecord::new();
        let from = (byte as usize).min(self.body().len());
        // The row was read once already, so reading it again succeeds.
        let _ = self.reader(&self.body()[from..], false).read_record(&mut record);
        record
    }

    /// Read rows from `reader`, which starts at `span` (its lines and bytes count from there).
    fn read(
        &self,
        mut reader: csv::Reader<&[u8]>,
        span: RowSpan,
        mut f: impl FnMut(u64, u64, &csv::StringRecord),
    ) -> Result<(), ImportError> {
        let width = self.headers.len();
        let mut record = csv::StringRecord::new();
        let place = |p: Option<&csv::Position>| {
            p.map_or((0, 0), |p| (span.first_line + p.line() - 1, span.start as u64 + p.byte()))
        };
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => return Ok(()),
                Ok(true) => {
                    let (line, byte) = place(record.position());
                    // Blank lines in spreadsheets' exports carry no data.
                    if record.iter().all(|f| f.trim().is_empty()) {
                        continue;
                    }
                    if record.len() != width {
                        return Err(ImportError::File {
                            file: self.source.clone(),
                            line,
                            reason: format!("has {} fields where the header has {width}", record.len()),
                        });
                    }
                    f(line, byte, &record);
                }
                Err(e) => {
                    let (line, _) = place(e.position());
                    return Err(ImportError::File { file: self.source.clone(), line, reason: e.to_string() });
                }
            }
        }
    }

    /// Every data row, for files small enough to hold.
    pub fn rows(&self) -> Result<Vec<(u64, csv::StringRecord)>, ImportError> {
        let mut rows = Vec::new();
        // A copy sized to the row: cloning the reader's record would copy its whole buffer, as
        // big as the longest row so far, for every row after it.
        self.for_each_row(|line, row| rows.push((line, row.iter().collect())))?;
        Ok(rows)
    }
}

/// A run of consecutive rows of a table: where it starts and ends in the text, and its first
/// line.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RowSpan {
    start: usize,
    end: usize,
    first_line: u64,
}

pub fn read_table(source: &Source) -> Result<Table, ImportError> {
    let name = source.name();
    let mut bytes = Vec::new();
    match source {
        Source::File(path) => std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)),
        Source::Stdin => std::io::stdin().read_to_end(&mut bytes),
    }
    .map_err(|e| ImportError::Read { file: name.clone(), reason: e.to_string() })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..valid].iter().filter(|b| **b == b'\n').count() + 1;
        ImportError::File {
            file: name.clone(),
            line: line as u64,
            reason: "is not UTF-8 text (save the file as UTF-8 CSV)".into(),
        }
    })?;
    let start = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let delimiter = detect_delimiter(&text[start..]);
    let mut table = Table { source: name.clone(), headers: Vec::new(), text, start, delimiter };
    let headers: Vec<String> = table
        .reader(table.body(), true)
        .headers()
        .map_err(|e| ImportError::File { file: name.clone(), line: 1, reason: e.to_string() })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if headers.iter().all(|h| h.is_empty()) {
        return Err(ImportError::File { file: name, line: 1, reason: "has no header row".into() });
    }
    table.headers = headers;
    Ok(table)
}

/// The delimiter the header line uses most: comma, semicolon or tab.
fn detect_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let mut best = (b',', 0);
    for d in [b',', b';', b'\t'] {
        let mut n = 0;
        let mut quoted = false;
        for c in first.bytes() {
            if c == b'"' {
                quoted = !quoted;
            } else if c == d && !quoted {
                n += 1;
            }
        }
        if n > best.1 {
            best = (d, n);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_on_their_own_give_the_rows_lines_and_places_of_one_pass() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        let mut text = String::from("\u{feff}name;note\n");
        for i in 0..23 {
            match i % 5 {
                0 => text.push_str(&format!("Co {i};\"two\nlines\"\n")),
                1 => text.push_str("\n;\n"),
                _ => text.push_str(&format!("Co {i};plain\n")),
            }
        }
        std::fs::write(&path, &text).unwrap();
        let table = read_table(&Source::File(path)).unwrap();
        let mut whole = Vec::new();
        let spans = table.for_each_row_marking(4, |line, byte, row| whole.push((line, byte, row.clone()))).unwrap();
        assert_eq!(spans.len(), whole.len().div_ceil(4));
        let mut parts = Vec::new();
        for span in &spans {
            table.for_each_row_in(span, |line, byte, row| parts.push((line, byte, row.clone()))).unwrap();
        }
        assert_eq!(parts, whole);
        // Lines count the quoted line breaks and the blank rows skipped.
        assert_eq!((whole[0].0, whole[1].0, whole[2].0), (2, 6, 7));
        for (_, byte, row) in &whole {
            assert_eq!(&table.record_at(*byte), row);
        }
    }

    #[test]
    fn delimiters_are_detected_outside_quotes() {
        assert_eq!(detect_delimiter("a,b,c\n"), b',');
        assert_eq!(detect_delimiter("a;b;\"c,d,e\"\n"), b';');
        assert_eq!(detect_delimiter("a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter("name"), b',');
    }
}
