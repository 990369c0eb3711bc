//! The one pass of an importer that streams its file: rows are checked and written as they are
//! read, inside one transaction that is abandoned if the file turns out bad (or the run is dry).
//! Memory is bounded by a row: only the first problems, and rows that repeat one of them up to a
//! bound, are kept for the error (the rest are counted), and rejected rows go straight to the
//! rejects file.

use super::{ImportError, ImportOptions, ImportReport, Problem, Source, reject, rejects_target};
use crate::output::Target;
use crate::store::StoreError;

/// How a pass ends without committing: the file is refused, or the run is dry (its report is
/// what would have been imported).
pub(crate) enum Ending {
    Refused(ImportError),
    Dry(Box<ImportReport>),
    /// The pass found the file not laid out as it assumed: run it again another way.
    Again,
}

impl From<StoreError> for Ending {
    fn from(e: StoreError) -> Self {
        Ending::Refused(e.into())
    }
}

impl From<crate::book::storage::BookError> for Ending {
    fn from(e: crate::book::storage::BookError) -> Self {
        Ending::Refused(e.into())
    }
}

impl From<ImportError> for Ending {
    fn from(e: ImportError) -> Self {
        Ending::Refused(e)
    }
}

/// The problems and rejects of one streamed pass.
pub(crate) struct Pass<'a> {
    pub report: ImportReport,
    shown: super::KeptProblems,
    total: usize,
    /// The problems of the row being read.
    row: Vec<Problem>,
    rejects: Option<RejectsFile>,
    opts: &'a ImportOptions,
    source: &'a Source,
    table: &'a super::table::Table,
}

/// Rejected rows, written as they come to a file renamed into place only when the import lands.
pub(crate) struct RejectsFile {
    writer: csv::Writer<crate::output::Output>,
    target: Target,
    /// The header's fields (the reason column not counted).
    width: usize,
}

impl<'a> Pass<'a> {
    pub(crate) fn new(
        what: &'static str,
        source: &'a Source,
        table: &'a super::table::Table,
        opts: &'a ImportOptions,
    ) -> Self {
        let report = ImportReport { what, source: source.name(), dry_run: opts.dry_run, ..Default::default() };
        Pass { report, shown: Default::default(), total: 0, row: Vec::new(), rejects: None, opts, source, table }
    }

    /// Note a problem with the row being read.
    pub(crate) fn bad(&mut self, line: u64, column: &str, value: &str, reason: impl Into<String>) {
        self.row.push(Problem { line, column: column.into(), value: value.into(), reason: reason.into() });
    }

    /// A row of another width than the header (`Table::misshapen`): noted and ended as a bad
    /// row, nothing more read of it; whether it was one.
    pub(crate) fn misshapen(
        &mut self,
        table: &super::table::Table,
        line: u64,
        row: &csv::StringRecord,
    ) -> Result<bool, ImportError> {
        let Some(shape) = table.misshapen(line, row) else { return Ok(false) };
        self.row.push(shape);
        self.end_row(row)?;
        Ok(true)
    }

    /// Whether the row being read has no problem so far.
    pub(crate) fn row_ok(&self) -> bool {
        self.row.is_empty()
    }

    /// The row is read: count its problems, keep the first few for the error and, with
    /// `--skip-bad-rows`, write it to the rejects file.
    pub(crate) fn end_row(&mut self, row: &csv::StringRecord) -> Result<(), ImportError> {
        if self.row.is_empty() {
            return Ok(());
        }
        self.total += self.row.len();
        self.report.rejected += 1;
        if self.opts.skip_bad_rows && !self.opts.dry_run {
            let (fields, reason) = reject(row, &self.row);
            self.rejects_file()?.write(&fields, &reason)?;
        }
        for p in self.row.drain(..) {
            self.shown.keep(&p);
        }
        Ok(())
    }

    fn rejects_file(&mut self) -> Result<&mut RejectsFile, ImportError> {
        if self.rejects.is_none() {
            let target = rejects_target(self.source, self.report.what, self.opts);
            self.rejects = Some(RejectsFile::create(target, self.table)?);
        }
        Ok(self.rejects.as_mut().expect("just made"))
    }

    /// The file is read: refuse it if any row was bad (unless told to skip bad rows); a dry run
    /// ends here too. Otherwise the report, and the rejects to keep once the write commits.
    pub(crate) fn finish(self) -> Result<(ImportReport, Option<RejectsFile>), Ending> {
        if self.total > 0 && !self.opts.skip_bad_rows {
            return Err(Ending::Refused(ImportError::Rows {
                file: self.report.source.clone(),
                problems: self.shown.list,
                total: self.total,
                rows: self.report.rejected,
                hint: String::new(),
            }));
        }
        if self.opts.dry_run {
            let mut report = self.report;
            report.first_problems = self.shown.list;
            return Err(Ending::Dry(Box::new(report)));
        }
        let mut rejects = self.rejects;
        if let Some(file) = &mut rejects {
            // Written out before the import commits: a rejects file that cannot be written (a
            // full disk) refuses the import rather than failing after it landed.
            file.flush()?;
        }
        Ok((self.report, rejects))
    }
}

impl RejectsFile {
    /// A rejects file of `table`'s rows: its columns and its delimiter (a semicolon file's
    /// rejects came back comma-separated), and the reason in a column every import leaves
    /// alone (`REJECTED_BECAUSE`), so the file reads back once its values are put right.
    pub(crate) fn create(target: Target, table: &super::table::Table) -> Result<Self, ImportError> {
        let file = target.create().map_err(|e| rejects_error(&target, &e))?;
        let mut writer = csv::WriterBuilder::new().delimiter(table.delimiter()).from_writer(file);
        let mut header: Vec<&str> = table.headers.iter().map(String::as_str).collect();
        header.push(super::REJECTED_BECAUSE);
        writer.write_record(&header).map_err(|e| rejects_error(&target, &e))?;
        Ok(RejectsFile { writer, target, width: table.headers.len() })
    }

    pub(crate) fn write(&mut self, fields: &[String], reason: &str) -> Result<(), ImportError> {
        // A row of fewer fields than the header is filled out with empty ones, and one of more
        // has those past the header said in its reason: the reason stands in the reason column,
        // and the row reads back once its values are put right.
        let missing = self.width.saturating_sub(fields.len());
        let (kept, past) = fields.split_at(fields.len().min(self.width));
        let reason = match past {
            [] => reason.to_string(),
            past => format!("{reason}; the fields past the header's: {}", past.join(", ")),
        };
        let record = kept.iter().map(String::as_str).chain(std::iter::repeat_n("", missing)).chain([reason.as_str()]);
        self.writer.write_record(record).map_err(|e| rejects_error(&self.target, &e))
    }

    fn flush(&mut self) -> Result<(), ImportError> {
        self.writer.flush().map_err(|e| rejects_error(&self.target, &e))
    }

    /// Put the file in place; the report names it.
    pub(crate) fn keep(self, report: &mut ImportReport) -> Result<(), ImportError> {
        let target = self.target;
        let file = self.writer.into_inner().map_err(|e| rejects_error(&target, e.error()))?;
        file.commit().map_err(|e| rejects_error(&target, &e))?;
        report.rejects_file = Some(target.shown);
        Ok(())
    }
}

fn rejects_error(target: &Target, e: &dyn std::fmt::Display) -> ImportError {
    ImportError::Rejects { path: target.shown.display().to_string(), reason: e.to_string() }
}

/// A streamed importer's pass over its file, writing through the seam: its report and rejects,
/// or how it ended without landing.
pub(crate) type StreamedPass<'p> =
    dyn FnMut(&mut dyn crate::book::storage::BookTxn) -> Result<(ImportReport, Option<RejectsFile>), Ending> + 'p;

/// A book a streamed importer writes to, through the seam: a book file or a team book.
pub(crate) trait StreamedBook: crate::book::storage::Book {
    /// Run a streamed pass in one write, as `run` does.
    fn streamed(&mut self, pass: &mut StreamedPass<'_>) -> Result<Option<ImportReport>, ImportError>;
}

impl StreamedBook for crate::store::Store {
    fn streamed(&mut self, pass: &mut StreamedPass<'_>) -> Result<Option<ImportReport>, ImportError> {
        run(self, |w| pass(w))
    }
}

/// Run a streamed pass in one write: committed if `pass` returns a report, abandoned if it
/// refuses the file or the run is dry. Rejects are put in place only after the commit.
/// Returns None when the pass asked to be run again (`Ending::Again`), its transaction abandoned.
pub(crate) fn run(
    store: &mut crate::store::Store,
    pass: impl FnOnce(&mut crate::store::Writer<'_>) -> Result<(ImportReport, Option<RejectsFile>), Ending>,
) -> Result<Option<ImportReport>, ImportError> {
    ended(store.streamed_write(pass))
}

/// What a streamed pass came to, its write committed if it returned a report (and abandoned
/// otherwise): the report, with the rejects put in place; None when it asked to be run again.
pub(crate) fn ended(
    pass: Result<(ImportReport, Option<RejectsFile>), Ending>,
) -> Result<Option<ImportReport>, ImportError> {
    match pass {
        Ok((mut report, rejects)) => {
            if let Some(rejects) = rejects {
                rejects.keep(&mut report)?;
            }
            Ok(Some(report))
        }
        Err(Ending::Dry(report)) => Ok(Some(*report)),
        Err(Ending::Refused(e)) => Err(e),
        Err(Ending::Again) => Ok(None),
    }
}
