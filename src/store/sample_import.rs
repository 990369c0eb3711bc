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
    upsert: rusqlite::Statement<'t>,
    path: &'t std::path::Path,
    /// How many samples of the file fell on each day, written or found as written: a file
    /// imported again counts as it did.
    days: crate::domain::data_days::DayTally,
}

impl Writer<'_> {
    /// Start a metrics import in this transaction; `f` writes its samples through the import.
    /// Returns what `f` returns and the samples the import changed.
    pub fn import_samples<T, E: From<super::StoreError>>(
        &mut self,
        f: impl FnOnce(&mut SampleImport<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<(T, SampleUpdates), E> {
        self.tx()
            .execute_batch(
                "DROP TRIGGER IF EXISTS temp.import_sample_updates;
                 DROP TABLE IF EXISTS temp.import_sample_updates;
                 CREATE TEMP TABLE import_sample_updates (account_id INTEGER, metric TEXT, day TEXT, old REAL, new REAL);
                 CREATE TEMP TRIGGER import_sample_updates AFTER UPDATE ON main.metric_samples BEGIN
                     INSERT INTO import_sample_updates VALUES (old.account_id, old.metric, old.day, old.value, new.value);
                 END;",
            )
            .map_err(|e| self.store_err(e))?;
        let path = self.path().to_path_buf();
        let tx = self.tx();
        let prepare = |sql: &str| tx.prepare(sql).map_err(|e| super::classify(&path, e));
        let mut import = SampleImport {
            upsert: prepare(
                "INSERT INTO metric_samples (account_id, metric, day, value) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (account_id, metric, day) DO UPDATE SET value = excluded.value
                 WHERE value IS NOT excluded.value",
            )?,
            path: &path,
            days: Default::default(),
        };
        let out = f(&mut import)?;
        let days = std::mem::take(&mut import.days);
        drop(import);
        for (day, samples) in days.counts() {
            self.saw_samples(day, samples);
        }
        Ok((out, self.end_sample_import()?))
    }
    /// End the import's bookkeeping: how many written samples replaced a value, with examples.
    fn end_sample_import(&mut self) -> Result<SampleUpdates> {
        let tx = self.tx();
        let run = || -> rusqlite::Result<SampleUpdates> {
            let count: i64 = tx.query_row("SELECT count(*) FROM temp.import_sample_updates", [], |r| r.get(0))?;
            let mut stmt = tx.prepare(
                "SELECT a.external_id, u.metric, u.day, u.old, u.new FROM temp.import_sample_updates u
                 JOIN main.accounts a ON a.id = u.account_id ORDER BY u.rowid LIMIT 10",
            )?;
            let examples = stmt
                .query_map([], |r| {
                    Ok(format!(
                        "{} {} on {}: {} -> {}",
                        crate::text::clean(&r.get::<_, String>(0)?),
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, f64>(3)?,
                        r.get::<_, f64>(4)?
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            drop(stmt);
            tx.execute_batch(
                "DROP TRIGGER temp.import_sample_updates;
                 DROP TABLE temp.import_sample_updates;",
            )?;
            Ok(SampleUpdates { count: count as usize, examples })
        };
        run().map_err(|e| self.store_err(e))
    }
}

impl SampleImport<'_> {
    fn err(&self, e: rusqlite::Error) -> super::StoreError {
        super::classify(self.path, e)
    }

    /// Write a sample unless the book has it with this value already.
    pub fn upsert(&mut self, account_id: i64, metric: &str, day: NaiveDate, value: f64) -> Result<SampleOutcome> {
        let changed =
            self.upsert.execute(params![account_id, metric, DayText::new(day), value]).map_err(|e| self.err(e))?;
        self.days.add(day);
        Ok(if changed == 0 { SampleOutcome::Unchanged } else { SampleOutcome::Written })
    }
}
