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

pub struct Table {
    pub source: String,
    pub headers: Vec<String>,
    /// (line the row starts on, its fields)
    pub rows: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    /// Rows as strings, for a column index.
    pub fn cell<'a>(&self, row: &'a csv::StringRecord, column: usize) -> &'a str {
        row.get(column).unwrap_or("").trim()
    }
}

pub fn read_table(source: &Source) -> Result<Table, ImportError> {
    let name = source.name();
    let mut bytes = Vec::new();
    match source {
        Source::File(path) => std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)),
        Source::Stdin => std::io::stdin().read_to_end(&mut bytes),
    }
    .map_err(|e| ImportError::Read { file: name.clone(), reason: e.to_string() })?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1;
            return Err(ImportError::File {
                file: name,
                line: line as u64,
                reason: "is not UTF-8 text (save the file as UTF-8 CSV)".into(),
            });
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = detect_delimiter(text);
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| ImportError::File { file: name.clone(), line: 1, reason: e.to_string() })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if headers.iter().all(|h| h.is_empty()) {
        return Err(ImportError::File { file: name, line: 1, reason: "has no header row".into() });
    }
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(0, |p| p.line());
                // Blank lines in spreadsheets' exports carry no data.
                if record.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                if record.len() != headers.len() {
                    return Err(ImportError::File {
                        file: name,
                        line,
                        reason: format!("has {} fields where the header has {}", record.len(), headers.len()),
                    });
                }
                rows.push((line, record.clone()));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(ImportError::File { file: name, line, reason: e.to_string() });
            }
        }
    }
    Ok(Table { source: name, headers, rows })
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
    fn delimiters_are_detected_outside_quotes() {
        assert_eq!(detect_delimiter("a,b,c\n"), b',');
        assert_eq!(detect_delimiter("a;b;\"c,d,e\"\n"), b';');
        assert_eq!(detect_delimiter("a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter("name"), b',');
    }
}
