//! Reading a CSV file as it comes: UTF-8 with or without a BOM, comma, semicolon or tab, quoted
//! fields with line breaks. Every row keeps the line it starts on, for error messages.
//!
//! A table is read from its file on each pass, a row at a time, so memory is bounded by the
//! longest row however big the file (standard input is first copied to a temporary file, so it
//! can be read more than once). Spans of rows can be read on several threads at once.

use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::{ImportError, Problem};

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

/// Where a table's rows are read from: a file, from `start` (after any byte-order mark), on each
/// pass. `_spool` keeps a copy of standard input alive while the table is.
struct Body {
    path: PathBuf,
    start: u64,
    len: u64,
    _spool: Option<tempfile::NamedTempFile>,
}

/// The index of the first field of a raw row whose quoted value is closed by a quote that text
/// other than the delimiter or the row's end follows (`"Broken "Quote" Co"`), which CSV readers
/// take in as text; None for a row quoted as CSV writes it (`""` inside a quoted value, quotes
/// inside an unquoted one).
pub fn stray_quote(raw: &[u8], delimiter: u8) -> Option<usize> {
    scan_quotes(raw, delimiter).0
}

/// `stray_quote`, and whether the row's end is still to come: `raw` ends inside a quoted value,
/// or without the line feed that ends a row.
fn scan_quotes(raw: &[u8], delimiter: u8) -> (Option<usize>, bool) {
    let (mut field, mut at_start, mut quoted, mut closed) = (0, true, false, false);
    let mut bytes = raw.iter().copied().peekable();
    while let Some(b) = bytes.next() {
        if quoted {
            if b == b'"' {
                match bytes.peek() {
                    Some(b'"') => {
                        bytes.next();
                    }
                    _ => (quoted, closed) = (false, true),
                }
            }
        } else if b == delimiter {
            (field, at_start, closed) = (field + 1, true, false);
        } else if b == b'\n' {
            return (None, false);
        } else if closed {
            // Spaces after the closing quote are a writer's padding, not text.
            if !matches!(b, b' ' | b'\t' | b'\r') {
                return (Some(field), false);
            }
        } else if at_start && b == b'"' {
            (quoted, at_start) = (true, false);
        } else {
            at_start = false;
        }
    }
    (None, true)
}

/// A CSV file, its header read and its delimiter known. Rows are read on demand, so a big file
/// is never held as both text and records.
pub struct Table {
    pub source: String,
    pub headers: Vec<String>,
    body: Body,
    delimiter: u8,
    /// Rows (by line) with a quote left in a value, read again (`stray_quote`): the field whose
    /// quoted value a quote closes early, or None; found as they are first read (an import reads a
    /// file in several passes), said by `misshapen`.
    stray_quotes: std::sync::Mutex<std::collections::HashMap<u64, Option<usize>>>,
    /// Whether any row of them has one: `misshapen`, asked of every row, looks in the map only
    /// then.
    any_stray: std::sync::atomic::AtomicBool,
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

    /// The headers of the columns not among `read` (blank headers left out, and a rejects
    /// file's reasons).
    pub fn unread(&self, read: &[Option<usize>]) -> Vec<String> {
        let read: Vec<usize> = read.iter().flatten().copied().collect();
        let unread = self
            .headers
            .iter()
            .enumerate()
            .filter(|(i, h)| !read.contains(i) && !h.trim().is_empty() && !is_rejects_reason(h));
        unread.map(|(_, h)| h.clone()).collect()
    }

    /// The field delimiter the file was read with.
    pub(crate) fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Like `column`, but a file without it is refused, naming `what` and a few of the headers.
    pub fn require(&self, what: &str, names: &[&str]) -> Result<usize, ImportError> {
        self.column(names).ok_or_else(|| self.missing(what, names))
    }

    /// The refusal of a file that lacks a column.
    pub fn missing(&self, what: &str, names: &[&str]) -> ImportError {
        self.missing_with(what, names, "")
    }

    /// `missing`, with `hint` said after the headers it names.
    pub(crate) fn missing_with(&self, what: &str, names: &[&str], hint: &str) -> ImportError {
        ImportError::MissingColumn {
            file: self.source.clone(),
            what: what.into(),
            aliases: names.iter().take(4).map(|a| format!("\"{a}\"")).collect(),
            hint: hint.into(),
        }
    }

    /// The column naming each row's account in a file about accounts (usage, logs): one of
    /// `columns::account_headers`; a file without one is refused, saying how to map its own.
    pub fn account_column(&self, configured: &[String], built_in: &[&str]) -> Result<usize, ImportError> {
        self.account_column_but(configured, built_in, &[])
    }

    /// `account_column`, where the headers `theirs` name something else in this kind of file
    /// unless the config maps them to the account: a help desk's bare "Id" is the ticket's.
    pub fn account_column_but(
        &self,
        configured: &[String],
        built_in: &[&str],
        theirs: &[&str],
    ) -> Result<usize, ImportError> {
        let names = super::columns::account_headers(configured, built_in);
        let names: Vec<&str> = names
            .iter()
            .map(String::as_str)
            .filter(|n| !theirs.contains(n) || configured.iter().any(|c| c == n))
            .collect();
        self.column(&names).ok_or_else(|| {
            let hint = "; or map yours under [import.columns] in the config, to the external id (e.g. \
                        \"Record ID\" = \"external_id\") or to the name (e.g. \"Org\" = \"name\")";
            self.missing_with("the account", &names, hint)
        })
    }

    /// How many bytes the rows take (after any byte-order mark).
    fn len(&self) -> usize {
        self.body.len as usize
    }

    /// The bytes from `from` to `to` (counted after any byte-order mark), read by the CSV reader.
    fn bytes(&self, from: usize, to: usize) -> Result<impl Read + use<>, ImportError> {
        let to = to.max(from);
        let file = std::fs::File::open(&self.body.path)
            .and_then(|mut f| f.seek(SeekFrom::Start(self.body.start + from as u64)).map(|_| f))
            .map_err(|e| ImportError::Read { file: self.source.clone(), reason: e.to_string() })?;
        Ok(BufReader::with_capacity(1 << 16, file).take((to - from) as u64))
    }

    /// The raw bytes of the row starting at `byte` (counted after any byte-order mark), to its
    /// first line feed outside quotes or its first stray quote, at most 1 MiB; None where the file
    /// cannot be read again.
    /// `file`: the file opened once for a read's rows, and where it stands: the rows come in
    /// order, so the next is most often in its buffer (a file whose every row quotes a quote was
    /// opened again for each, and took 2.4 times as long to import).
    fn raw_row(&self, file: &mut Option<(BufReader<std::fs::File>, u64)>, byte: u64, raw: &mut Vec<u8>) -> Option<()> {
        let at = self.body.start + byte;
        if file.is_none() {
            let mut opened = std::fs::File::open(&self.body.path).ok()?;
            opened.seek(SeekFrom::Start(at)).ok()?;
            *file = Some((BufReader::with_capacity(1 << 16, opened), at));
        }
        let (reader, pos) = file.as_mut()?;
        match at.checked_sub(*pos) {
            Some(ahead) => reader.seek_relative(i64::try_from(ahead).ok()?).ok()?,
            None => {
                reader.seek(SeekFrom::Start(at)).ok()?;
            }
        }
        raw.clear();
        // Line by line, while a quoted value runs on over them.
        let mut limited = reader.by_ref().take(1 << 20);
        while limited.read_until(b'\n', raw).ok()? > 0 && scan_quotes(raw, self.delimiter).1 {}
        *pos = at + raw.len() as u64;
        Some(())
    }

    fn reader<R: Read>(&self, bytes: R, header: bool) -> csv::Reader<R> {
        // Rows end at a line feed. With CR LF as the terminator the reader places each row at the
        // LF before it, one line early (Excel's and Python's files); the CR is left at the end of
        // the last field, and cells are trimmed.
        csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .terminator(csv::Terminator::Any(b'\n'))
            .flexible(true)
            .has_headers(header)
            .from_reader(bytes)
    }

    /// Call `f` with every data row and the line it starts on. Blank rows are skipped; a row with
    /// the wrong number of fields, or broken quoting, stops the read with the line named.
    pub fn for_each_row(&self, mut f: impl FnMut(u64, &csv::StringRecord)) -> Result<(), ImportError> {
        self.for_each_row_marking(usize::MAX, |line, _, row| f(line, row)).map(|_| ())
    }

    /// Like `for_each_row`, for work that can fail: the first error stops the read and is returned.
    pub fn try_for_each_row<E: From<ImportError>>(
        &self,
        mut f: impl FnMut(u64, &csv::StringRecord) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut reader = self.reader(self.bytes(0, self.len())?, true);
        reader.headers().map_err(|e| ImportError::File {
            file: self.source.clone(),
            line: 1,
            reason: e.to_string(),
        })?;
        self.read(reader, RowSpan { start: 0, end: self.len(), first_line: 1 }, |line, _, row| f(line, row))
    }

    /// Like `for_each_row`, also handing `f` where each row starts (for `record_at`), and
    /// splitting the rows into spans of `per_span` rows that `for_each_row_in` can read on
    /// other threads.
    pub fn for_each_row_marking(
        &self,
        per_span: usize,
        mut f: impl FnMut(u64, u64, &csv::StringRecord),
    ) -> Result<Vec<RowSpan>, ImportError> {
        let len = self.len();
        let mut reader = self.reader(self.bytes(0, len)?, true);
        // The header was read when the table was made; read it again to start at the data.
        reader.headers().map_err(|e| ImportError::File {
            file: self.source.clone(),
            line: 1,
            reason: e.to_string(),
        })?;
        let mut spans: Vec<RowSpan> = Vec::new();
        let mut rows = 0usize;
        self.read(reader, RowSpan { start: 0, end: len, first_line: 1 }, |line, byte, row| {
            if rows.is_multiple_of(per_span.max(1)) {
                if let Some(last) = spans.last_mut() {
                    last.end = byte as usize;
                }
                spans.push(RowSpan { start: byte as usize, end: len, first_line: line });
            }
            rows += 1;
            f(line, byte, row);
            Ok::<_, ImportError>(())
        })?;
        Ok(spans)
    }

    /// Every data row of one span, with its line and where it starts.
    pub fn for_each_row_in(
        &self,
        span: &RowSpan,
        mut f: impl FnMut(u64, u64, &csv::StringRecord),
    ) -> Result<(), ImportError> {
        let reader = self.reader(self.bytes(span.start, span.end)?, false);
        self.read(reader, *span, |line, byte, row| {
            f(line, byte, row);
            Ok::<_, ImportError>(())
        })
    }

    /// The row that starts at `byte` (as handed out by the readers above).
    pub fn record_at(&self, byte: u64) -> csv::StringRecord {
        let mut record = csv::StringRecord::new();
        // The row was read once already, so reading it again succeeds.
        if let Ok(bytes) = self.bytes(byte as usize, self.len()) {
            let _ = self.reader(bytes, false).read_record(&mut record);
        }
        record
    }

    /// Read rows from `reader`, which starts at `span` (its lines and bytes count from there).
    fn read<R: Read, E: From<ImportError>>(
        &self,
        mut reader: csv::Reader<R>,
        span: RowSpan,
        mut f: impl FnMut(u64, u64, &csv::StringRecord) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut record = csv::StringRecord::new();
        // For rows read again (`raw_row`).
        let (mut file, mut raw) = (None, Vec::new());
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
                    // A quote in a value may be a quoted value closed early ("Broken "Quote" Co"),
                    // which the reader takes in as text: its raw bytes tell (rare: only such rows
                    // are read again).
                    if record.as_slice().contains('"')
                        && !self.stray_quotes.lock().unwrap_or_else(|e| e.into_inner()).contains_key(&line)
                        && self.raw_row(&mut file, byte, &mut raw).is_some()
                    {
                        let field = stray_quote(&raw, self.delimiter);
                        if field.is_some() {
                            self.any_stray.store(true, std::sync::atomic::Ordering::Relaxed);
                        }
                        self.stray_quotes.lock().unwrap_or_else(|e| e.into_inner()).insert(line, field);
                    }
                    // A row of another width is handed on too: each importer checks it first
                    // (`misshapen`), a bad row like any other.
                    f(line, byte, &record)?;
                }
                Err(e) => {
                    let (line, _) = place(e.position());
                    let reason = match e.kind() {
                        csv::ErrorKind::Utf8 { .. } => NOT_UTF8.to_string(),
                        csv::ErrorKind::Io(io) => io.to_string(),
                        _ => e.to_string(),
                    };
                    return Err(ImportError::File { file: self.source.clone(), line, reason }.into());
                }
            }
        }
    }

    /// The problem of a row with more or fewer fields than the header (its values cannot be
    /// told apart by column): a bad row, refused with the rest or skipped by `--skip-bad-rows`.
    /// Every importer checks it before the row's values; a first pass over the file skips such
    /// rows (the checking pass names them).
    /// Whether `;` separates the file's cells, as a spreadsheet in a language that writes a
    /// decimal comma saves CSV.
    pub fn semicolons(&self) -> bool {
        self.delimiter == b';'
    }

    pub fn misshapen(&self, line: u64, record: &csv::StringRecord) -> Option<Problem> {
        let width = self.headers.len();
        // A quoted value closed early and run on: its text is not what the file meant (a probe's
        // "Broken "Quote" Co" was imported as `Broken Quote" Co"` without a word).
        let stray = || self.stray_quotes.lock().unwrap_or_else(|e| e.into_inner()).get(&line).copied().flatten();
        if self.any_stray.load(std::sync::atomic::Ordering::Relaxed)
            && let Some(field) = stray()
        {
            return Some(Problem {
                line,
                column: self.headers.get(field).cloned().unwrap_or_default(),
                value: record.get(field).unwrap_or_default().to_string(),
                reason: "a quote (\") ends the quoted value and more text follows it: a quote inside a quoted value \
                         is written twice (\"\")"
                    .to_string(),
            });
        }
        // A spreadsheet's trailing empty column (a comma at the end of some rows) holds nothing
        // to read: the row is as wide as its header.
        if record.len() == width || (record.len() > width && record.iter().skip(width).all(|f| f.trim().is_empty())) {
            return self.row_swallowed(line, record);
        }
        // An unclosed quote swallows the rest of the line and the lines after it into one
        // field: the count alone would not say why.
        // Said with the lines it took, whose rows are not read as rows (a probe's summary counted
        // one rejected row where three were lost).
        // (The file's last line break, taken in by a quote open to its end, starts no line.)
        let swallowed: usize = record.iter().map(|f| f.trim_end_matches(['\n', '\r']).matches('\n').count()).sum();
        let hint = match swallowed {
            0 => String::new(),
            n => format!(
                "; a quoted field runs on over the next {} (to line {}, whose rows are read as part of it): is a \
                 quote (\") not closed?",
                if n == 1 { "line".to_string() } else { format!("{n} lines") },
                line + n as u64
            ),
        };
        Some(Problem {
            line,
            column: String::new(),
            value: String::new(),
            reason: format!("has {} fields where the header has {width}{hint}", record.len()),
        })
    }

    /// A row of the header's width whose quoted field runs on over lines that read as rows of
    /// their own (as many cells as the header): a quote not closed in the last column took the
    /// rows after it into the note, the right width, and they were lost without a word. A note
    /// of several lines keeps its lines: they are not rows of the file's width.
    fn row_swallowed(&self, line: u64, record: &csv::StringRecord) -> Option<Problem> {
        let width = self.headers.len();
        if width < 3 || !record.as_slice().contains('\n') {
            return None;
        }
        let delimiter = char::from(self.delimiter);
        // A line reads as a row of its own when it has the header's width, or starts as the
        // row does (at least three cells, the first one shaped as this row's first: an account
        // id): a row cut short after it was taken in too (a probe's last line, with the file's
        // end inside the quote, was lost under another error of the row).
        let first = record.get(0).unwrap_or_default().trim();
        let starts_a_row = |l: &str| {
            let cells = l.matches(delimiter).count() + 1;
            let head = l.split(delimiter).next().unwrap_or_default().trim();
            cells >= width || (cells >= 3 && !first.is_empty() && same_shape(head, first))
        };
        // Only the last column's: a quote left open anywhere else shifts the cells after it, and
        // the row is not the header's width (a note of several lines in the middle of tend's own
        // export, one of them "JX;1,U", was read as swallowing a row).
        let (column, field, row) = record.iter().enumerate().skip(width - 1).take(1).find_map(|(i, f)| {
            let row = f.trim_end_matches(['\n', '\r']).split('\n').skip(1).find(|l| starts_a_row(l))?;
            Some((i, f, row))
        })?;
        let lines = field.trim_end_matches(['\n', '\r']).matches('\n').count();
        Some(Problem {
            line,
            column: self.headers[column].clone(),
            value: crate::text::truncate(&crate::text::clean(field.lines().next().unwrap_or_default()), 40),
            reason: format!(
                "a quoted field runs on over the next {} (to line {}), taking in what reads as a row of its own (\"{}\"): is a quote (\") not closed?",
                if lines == 1 { "line".to_string() } else { format!("{lines} lines") },
                line + lines as u64,
                crate::text::truncate(&crate::text::clean(row.trim_end_matches('\r')), 60)
            ),
        })
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

/// Whether two cells are alike in shape: as long, with a letter, a digit or another character
/// at each place ("001A00000001078QbX" and "001A00000002191ZzY"; "CRM-0001" and "CRM-0417").
fn same_shape(a: &str, b: &str) -> bool {
    let class = |c: char| match c {
        c if c.is_ascii_digit() => 0,
        c if c.is_alphabetic() => 1,
        _ => 2,
    };
    a.chars().count() == b.chars().count() && a.chars().zip(b.chars()).all(|(x, y)| class(x) == class(y))
}

const NOT_UTF8: &str = "is not UTF-8 text (save the file as UTF-8 CSV)";

/// A run of consecutive rows of a table: where it starts and ends in the text, and its first
/// line.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RowSpan {
    start: usize,
    end: usize,
    first_line: u64,
}

/// The table read from its file on each pass: memory bounded by a row, not the file. Standard
/// input is copied to a temporary file first.
pub fn open_table(source: &Source) -> Result<Table, ImportError> {
    let name = source.name();
    let read_err = |e: std::io::Error| ImportError::Read { file: name.clone(), reason: e.to_string() };
    let (path, spool) = match source {
        Source::File(path) => (path.clone(), None),
        Source::Stdin => {
            let mut spool = tempfile::NamedTempFile::new().map_err(read_err)?;
            std::io::copy(&mut std::io::stdin().lock(), &mut spool).map_err(read_err)?;
            (spool.path().to_path_buf(), Some(spool))
        }
    };
    let file = std::fs::File::open(&path).map_err(read_err)?;
    let size = file.metadata().map_err(read_err)?.len();
    // The header line: for the byte-order mark and the delimiter.
    let mut first = Vec::new();
    BufReader::new(file).read_until(b'\n', &mut first).map_err(read_err)?;
    // A spreadsheet's own file, not its CSV: said so (a probe's .xlsx read "no column for the
    // account name").
    let workbook = match first.as_slice() {
        [b'P', b'K', 3, 4, ..] => Some("an Excel workbook (.xlsx) or another zip file"),
        [0xD0, 0xCF, 0x11, 0xE0, ..] => Some("an old Excel workbook (.xls)"),
        _ => None,
    };
    if let Some(what) = workbook {
        return Err(ImportError::File {
            file: name,
            line: 1,
            reason: format!("is {what}, not a CSV: in Excel or Google Sheets, save or download it as CSV (UTF-8)"),
        });
    }
    let start: u64 = if first.starts_with("\u{feff}".as_bytes()) { 3 } else { 0 };
    let delimiter = detect_delimiter(&String::from_utf8_lossy(&first[start as usize..]));
    let body = Body { path, start, len: size.saturating_sub(start), _spool: spool };
    with_headers(Table {
        source: name,
        headers: Vec::new(),
        body,
        delimiter,
        stray_quotes: Default::default(),
        any_stray: Default::default(),
    })
}

/// Read the header row of a new table.
/// Whether a header is a rejects file's reason column (`REJECTED_BECAUSE`), which no import reads.
pub(crate) fn is_rejects_reason(header: &str) -> bool {
    header.trim().eq_ignore_ascii_case(super::REJECTED_BECAUSE)
}

fn with_headers(mut table: Table) -> Result<Table, ImportError> {
    let header_err = |reason: String| ImportError::File { file: table.source.clone(), line: 1, reason };
    let mut reader = table.reader(table.bytes(0, table.len())?, true);
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_string()).collect(),
        Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => return Err(header_err(NOT_UTF8.into())),
        Err(e) => return Err(header_err(e.to_string())),
    };
    drop(reader);
    if headers.iter().all(|h| h.is_empty()) {
        // An empty file is said to be one ("has no header row" read as a file whose header was lost).
        let reason = match table.len() {
            0 => "is empty: nothing to import".to_string(),
            _ => "has no header row".to_string(),
        };
        return Err(header_err(reason));
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
    #[test]
    fn a_quoted_value_closed_early_is_a_stray_quote() {
        use super::stray_quote;
        assert_eq!(stray_quote(b"1,\"Broken \"Quote\" Co\",3\n", b','), Some(1));
        assert_eq!(stray_quote(b"\"a\"b,2\n", b','), Some(0));
        for fine in [
            &b"1,\"Say \"\"hi\"\"\",3\n"[..],
            b"1,5\" screen,3\n",
            b"1,\"Acme, Inc.\" ,3\r\n",
            b"1,\"two\nlines\",3\n",
            b"plain,row\n",
        ] {
            assert_eq!(stray_quote(fine, b','), None, "{}", String::from_utf8_lossy(fine));
        }
        assert_eq!(stray_quote(b"1;\"x\"y;3\n", b';'), Some(1));
    }

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
        let table = open_table(&Source::File(path)).unwrap();
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
    fn rows_of_a_crlf_file_are_on_their_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, "name,note\r\nA,one\r\nB,\"two\r\nlines\"\r\n\r\nC,\"quoted\"\r\n").unwrap();
        let table = open_table(&Source::File(path)).unwrap();
        assert_eq!(table.headers, vec!["name", "note"]);
        let mut rows = Vec::new();
        table
            .for_each_row(|line, row| rows.push((line, table.cell(row, 0).to_string(), table.cell(row, 1).to_string())))
            .unwrap();
        assert_eq!(
            rows,
            vec![
                (2, "A".into(), "one".into()),
                (3, "B".into(), "two\r\nlines".into()),
                (6, "C".into(), "quoted".into())
            ]
        );
    }

    #[test]
    fn delimiters_are_detected_outside_quotes() {
        assert_eq!(detect_delimiter("a,b,c\n"), b',');
        assert_eq!(detect_delimiter("a;b;\"c,d,e\"\n"), b';');
        assert_eq!(detect_delimiter("a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter("name"), b',');
    }
}
