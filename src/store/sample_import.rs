//! Writing a metrics import as it is read: each sample is upserted at once, and the import's own
//! bookkeeping (which samples it changed) lives in a temporary table, on disk rather than in
//! memory however long the file. Everything is inside the import's one transaction, so a refused
//! file leaves nothing behind.

use chrono::NaiveDate;
use rusqlite::params;

use super::Result;
use super::bulk::DayText;
use super::writer::Writer;

/// What became of one sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SampleOutcome {
    /// Written: new, or a new value for a sample the book had.
    Written,
    /// The book already had it with this value.
    Unchanged,
}

/// The changes an import made to samples the book already had.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SampleUpdates {
    pub count: usize,
    /// The first few, as `ACC-7 usage on 2026-01-05: 10 -> 12`.
    pub examples: Vec<String>,
}

/// A metrics import under way in a writer's transaction: its statements prepared once.
pub struct SampleImport<'t> {
    /// A new sample goes in; one the book has is left for `value` and `update`.
    insert: rusqlite::Statement<'t>,
    value: rusqlite::Statement<'t>,
    update: rusqlite::Statement<'t>,
    path: &'t std::path::Path,
    /// How many samples of the file fell on each day, written or found as written: a file
    /// imported again counts as it did.
    days: crate::domain::data_days::MetricTallies,
    /// Of those, the samples new to the book.
    new_days: crate::domain::data_days::MetricTallies,
    /// Samples the book had that took another value: how many, and the first few as (account,
    /// metric, day, old, new).
    updated: usize,
    examples: Vec<(i64, String, NaiveDate, f64, f64)>,
    /// Whether the last sample was new to the book (see `upsert`).
    expect_new: bool,
}

/// How many of the samples an import changed are given as examples.
const EXAMPLES: usize = 10;

impl Writer<'_> {
    /// Start a metrics import in this transaction; `f` writes its samples through the import.
    /// Returns what `f` returns and the samples the import changed.
    ///
    /// A new sample is one `INSERT OR IGNORE`, a sample the book has one read (and, when its
    /// value differs, an update, counted). A trigger on the samples' updates counted them before,
    /// and its being there made every insert keep a statement journal: a fifth of an import.
    pub fn import_samples<T, E: From<super::StoreError>>(
        &mut self,
        f: impl FnOnce(&mut SampleImport<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<(T, SampleUpdates), E> {
        let path = self.path().to_path_buf();
        let tx = self.tx();
        let prepare = |sql: &str| tx.prepare(sql).map_err(|e| super::classify(&path, e));
        let mut import = SampleImport {
            insert: prepare(
                "INSERT OR IGNORE INTO metric_samples (account_id, metric, day, value) VALUES (?1, ?2, ?3, ?4)",
            )?,
            value: prepare("SELECT value FROM metric_samples WHERE account_id = ?1 AND metric = ?2 AND day = ?3")?,
            update: prepare("UPDATE metric_samples SET value = ?4 WHERE account_id = ?1 AND metric = ?2 AND day = ?3")?,
            path: &path,
            days: Default::default(),
            new_days: Default::default(),
            updated: 0,
            examples: Vec::new(),
            expect_new: true,
        };
        let out = f(&mut import)?;
        let (days, new_days) = (std::mem::take(&mut import.days), std::mem::take(&mut import.new_days));
        let (updated, examples) = (import.updated, std::mem::take(&mut import.examples));
        drop(import);
        for (metric, tally) in days.iter() {
            for (day, samples) in tally.counts() {
                self.saw_samples(metric, day, samples);
            }
        }
        for (metric, tally) in new_days.iter() {
            for (day, samples) in tally.counts() {
                self.saw_new_samples(metric, day, samples);
            }
        }
        Ok((out, self.sample_updates(updated, examples)?))
    }

    /// The samples an import changed, its examples named by their accounts' names and external ids.
    fn sample_updates(
        &mut self,
        count: usize,
        examples: Vec<(i64, String, NaiveDate, f64, f64)>,
    ) -> Result<SampleUpdates> {
        let tx = self.tx();
        let mut named = Vec::with_capacity(examples.len());
        for (account_id, metric, day, old, new) in examples {
            let (name, key): (String, String) = tx
                .query_row("SELECT name, external_id FROM main.accounts WHERE id = ?1", [account_id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .map_err(|e| self.store_err(e))?;
            named.push(sample_change(&name, &key, &metric, &day.to_string(), old, new));
        }
        Ok(SampleUpdates { count, examples: named })
    }
}

/// A sample an import changed, as its report names it: the account by name and id (a CRM's
/// record ids alone, "9000003014 usage …", named no one), the metric, the day, old and new.
pub(crate) fn sample_change(name: &str, key: &str, metric: &str, day: &str, old: f64, new: f64) -> String {
    let who = match name == key {
        true => crate::text::clean(key),
        false => format!("{} ({})", crate::text::clean(name), crate::text::clean(key)),
    };
    format!("{who} {metric} on {day}: {old} -> {new}")
}

impl SampleImport<'_> {
    fn err(&self, e: rusqlite::Error) -> super::StoreError {
        super::classify(self.path, e)
    }

    /// Write a sample unless the book has it with this value already.
    ///
    /// Asked in the order the last sample answered: a file new to the book inserts first (one
    /// statement a sample), one imported again looks first (a daily export of the last month is
    /// mostly samples the book has); runs of either are long, as files go by account.
    pub fn upsert(&mut self, account_id: i64, metric: &str, day: NaiveDate, value: f64) -> Result<SampleOutcome> {
        self.upsert_known(account_id, metric, day, value, None)
    }

    /// `upsert`, with the value the book has on the day already looked up (`known`: Some(None)
    /// for none), so that it is not looked up twice.
    pub(crate) fn upsert_known(
        &mut self,
        account_id: i64,
        metric: &str,
        day: NaiveDate,
        value: f64,
        known: Option<Option<f64>>,
    ) -> Result<SampleOutcome> {
        self.days.add(metric, day);
        let old = match (known, self.expect_new) {
            (Some(old), _) => old,
            (None, true) => match self.insert(account_id, metric, day, value)? {
                true => {
                    self.new_days.add(metric, day);
                    return Ok(SampleOutcome::Written);
                }
                false => self.value_of(account_id, metric, day)?,
            },
            (None, false) => self.value_of(account_id, metric, day)?,
        };
        self.expect_new = old.is_none();
        let Some(old) = old else {
            // Not there when looked for: inserted now (nobody can between: the import holds the
            // write lock). Ignored twice is a constraint other than the key's, said as such
            // rather than counted as written.
            if !self.insert(account_id, metric, day, value)? {
                let refused = rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT),
                    Some(format!("the sample of {metric} on {day} was not taken")),
                );
                return Err(self.err(refused));
            }
            self.new_days.add(metric, day);
            return Ok(SampleOutcome::Written);
        };
        // As `IS NOT` compared them: the same value is no change.
        if old == value {
            return Ok(SampleOutcome::Unchanged);
        }
        self.update.execute(params![account_id, metric, DayText::new(day), value]).map_err(|e| self.err(e))?;
        self.updated += 1;
        if self.examples.len() < EXAMPLES {
            self.examples.push((account_id, metric.to_string(), day, old, value));
        }
        Ok(SampleOutcome::Written)
    }

    /// Insert a sample the book has not got; false when it has one for that account, metric
    /// and day.
    fn insert(&mut self, account_id: i64, metric: &str, day: NaiveDate, value: f64) -> Result<bool> {
        let n = self.insert.execute(params![account_id, metric, DayText::new(day), value]).map_err(|e| self.err(e))?;
        Ok(n == 1)
    }

    /// The value the book has for an account's metric on a day, if any.
    pub(crate) fn value_of(&mut self, account_id: i64, metric: &str, day: NaiveDate) -> Result<Option<f64>> {
        use rusqlite::OptionalExtension;
        let key = params![account_id, metric, DayText::new(day)];
        self.value.query_row(key, |r| r.get(0)).optional().map_err(|e| self.err(e))
    }
}
