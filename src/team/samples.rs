//! `tend import metrics` into a team book: the same reading and checking as into a book file
//! (`import::metrics`), written in one PostgreSQL transaction, the samples a batch at a time as
//! one upsert of arrays (`unnest`), which tells back what it changed. Samples come from product
//! data, not from a CSM: an importer or a lead imports them (the database refuses a CSM).

use std::collections::HashSet;

use chrono::NaiveDate;

use super::TeamBook;
use super::write::TeamTxn;
use crate::book::storage::BookError;
use crate::import::metrics::{SampleSink, SamplesBook, counted};
use crate::import::stream::{Ending, Pass};
use crate::import::{ImportError, ImportReport};
use crate::store::sample_import::SampleUpdates;

/// Samples are sent once this many wait (and at the end).
const SAMPLE_BATCH: usize = 50_000;

/// How many replaced values the report shows.
const SHOWN_UPDATES: usize = 10;

impl SamplesBook for TeamBook {
    fn samples_pass<'p>(
        &mut self,
        rows: &mut dyn FnMut(&mut dyn SampleSink) -> Result<Pass<'p>, Ending>,
    ) -> Result<Option<ImportReport>, ImportError> {
        self.import_pass(|txn| {
            // Whether the book had samples before: a first import has no week dated otherwise.
            let had = txn.rows("SELECT EXISTS (SELECT 1 FROM metric_samples)", &[])?.first().is_some_and(|r| r.get(0));
            let mut sink = TeamSamples {
                had,
                known: None,
                txn,
                batch: SampleColumns::default(),
                written: 0,
                updates: SampleUpdates::default(),
                touched: HashSet::new(),
                days: Default::default(),
                new_days: Default::default(),
            };
            let pass = rows(&mut sink)?;
            let written = sink.finish()?;
            counted(pass, written, std::mem::take(&mut sink.updates), sink.new_days.total())
        })
    }
}

/// Samples waiting to be sent, one array per column.
#[derive(Default)]
struct SampleColumns {
    account_id: Vec<i64>,
    metric: Vec<String>,
    day: Vec<String>,
    value: Vec<f64>,
}

/// A team book's metrics import under way.
struct TeamSamples<'t, 'c> {
    txn: &'t mut TeamTxn<'c>,
    batch: SampleColumns,
    /// Samples written so far (new, or a new value).
    written: usize,
    updates: SampleUpdates,
    /// Accounts whose samples changed: what was worked out from their facts is stale.
    touched: HashSet<i64>,
    /// How many samples of each metric the file has on each day, written or found as written:
    /// the metric's counts (`store::facts::metric_key`) and, all together, the book's.
    days: crate::domain::data_days::MetricTallies,
    /// Of those, the samples new to the book.
    new_days: crate::domain::data_days::MetricTallies,
    /// The book had samples before this import.
    had: bool,
    /// The (metric, day) of one account's samples as the book had them, read once for the
    /// account `had_only_first` is asked about (a file goes by account): not a round trip a
    /// sample.
    known: Option<(i64, HashSet<(String, String)>)>,
}

impl TeamSamples<'_, '_> {
    /// Send the samples waiting: one upsert that leaves a sample with the same value alone, and
    /// tells how many it wrote, which accounts, how many replaced a value and
    /// the first few of those (their old value read as the statement began).
    fn send(&mut self) -> Result<(), BookError> {
        if self.batch.account_id.is_empty() {
            return Ok(());
        }
        let c = std::mem::take(&mut self.batch);
        let room = SHOWN_UPDATES.saturating_sub(self.updates.examples.len()) as i64;
        let rows = self.txn.rows(
            "WITH written AS (
                 INSERT INTO metric_samples (account_id, metric, day, value)
                 SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::float8[])
                 ON CONFLICT (account_id, metric, day) DO UPDATE SET value = excluded.value
                     WHERE metric_samples.value IS DISTINCT FROM excluded.value
                 RETURNING account_id, metric, day, value, xmax <> 0 AS replaced),
             examples AS (
                 SELECT a.external_id, w.metric, w.day, b.value AS old, w.value AS new, a.name
                 FROM written w JOIN metric_samples b USING (account_id, metric, day)
                     JOIN accounts a ON a.id = w.account_id
                 WHERE w.replaced LIMIT $5)
             SELECT count(*)::bigint, coalesce(array_agg(DISTINCT account_id), '{}'),
                    (count(*) FILTER (WHERE replaced))::bigint,
                    (SELECT array_agg(external_id) FROM examples), (SELECT array_agg(metric) FROM examples),
                    (SELECT array_agg(day) FROM examples), (SELECT array_agg(old) FROM examples),
                    (SELECT array_agg(new) FROM examples),
                    coalesce(array_agg(day) FILTER (WHERE NOT replaced), '{}'),
                    (SELECT array_agg(name) FROM examples),
                    coalesce(array_agg(metric) FILTER (WHERE NOT replaced), '{}')
             FROM written",
            &[&c.account_id, &c.metric, &c.day, &c.value, &room],
        )?;
        let Some(r) = rows.first() else { return Ok(()) };
        self.written += r.get::<_, i64>(0) as usize;
        self.touched.extend(r.get::<_, Vec<i64>>(1));
        self.updates.count += r.get::<_, i64>(2) as usize;
        for (day, metric) in r.get::<_, Vec<String>>(8).iter().zip(r.get::<_, Vec<String>>(10)) {
            if let Ok(day) = day.parse() {
                self.new_days.add(&metric, day);
            }
        }
        // The examples' arrays, one per column, read in the same order (one scan of `examples`).
        let Some(accounts) = r.get::<_, Option<Vec<String>>>(3) else { return Ok(()) };
        let (metrics, days): (Vec<String>, Vec<String>) = (r.get(4), r.get(5));
        let (olds, news): (Vec<f64>, Vec<f64>) = (r.get(6), r.get(7));
        let names: Vec<String> = r.get(9);
        for (((((key, name), metric), day), old), new) in
            accounts.iter().zip(&names).zip(&metrics).zip(&days).zip(&olds).zip(&news)
        {
            let change = crate::store::sample_import::sample_change(name, key, metric, day, *old, *new);
            self.updates.examples.push(change);
        }
        Ok(())
    }

    /// Every sample sent: the accounts whose samples changed get a new version of their facts,
    /// the book's last day of samples moves on. How many samples were written.
    fn finish(&mut self) -> Result<usize, BookError> {
        self.send()?;
        let touched: Vec<i64> = self.touched.iter().copied().collect();
        crate::book::storage::BookTxn::invalidate_snapshots_of(self.txn, &touched)?;
        let written = self.days.total().counts();
        if !written.is_empty() {
            let key = crate::store::facts::METRIC_DAYS;
            // Read to be written in this transaction: another import's counts wait for it.
            let kept = self.txn.rows("SELECT value FROM book_meta WHERE key = $1 FOR UPDATE", &[&key])?;
            let kept = kept.first().map(|r| r.get::<_, String>(0));
            let new = self.new_days.total().counts();
            if let Some(text) = crate::domain::data_days::merged_text(kept.as_deref(), &written, &new) {
                self.txn.rows(
                    "INSERT INTO book_meta (key, value) VALUES ($1, $2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    &[&key, &text],
                )?;
            }
            // Each metric's own, as a book file keeps them.
            for (metric, tally) in self.days.iter() {
                let key = crate::store::facts::metric_key(metric);
                let kept = self.txn.rows("SELECT value FROM book_meta WHERE key = $1 FOR UPDATE", &[&key])?;
                let kept = kept.first().map(|r| r.get::<_, String>(0));
                let new = self.new_days.counts_of(metric);
                if let Some(text) = crate::domain::data_days::merged_text(kept.as_deref(), &tally.counts(), &new) {
                    self.txn.rows(
                        "INSERT INTO book_meta (key, value) VALUES ($1, $2)
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        &[&key, &text],
                    )?;
                }
            }
        }
        Ok(self.written)
    }

    /// Whether the book had the account's metric on the period's first day but not its last
    /// (imported before periods were dated on their last). Its samples are read once an account
    /// (a file goes by account), not a round trip a sample; what this import sent of the account
    /// is not asked about.
    fn had_only_first(
        &mut self,
        account_id: i64,
        metric: &str,
        (first, last): (NaiveDate, NaiveDate),
    ) -> Result<bool, ImportError> {
        if !self.had {
            return Ok(false);
        }
        if self.known.as_ref().is_none_or(|(id, _)| *id != account_id) {
            let rows = self.txn.rows("SELECT metric, day FROM metric_samples WHERE account_id = $1", &[&account_id])?;
            self.known = Some((account_id, rows.iter().map(|r| (r.get(0), r.get(1))).collect()));
        }
        let Some((_, known)) = self.known.as_ref() else { return Ok(false) };
        let has = |day: NaiveDate| known.contains(&(metric.to_string(), day.to_string()));
        Ok(has(first) && !has(last))
    }
}

impl SampleSink for TeamSamples<'_, '_> {
    fn upsert_period(
        &mut self,
        account_id: i64,
        metric: &str,
        (first, last): (NaiveDate, NaiveDate),
        value: f64,
    ) -> Result<NaiveDate, ImportError> {
        let day = match self.had_only_first(account_id, metric, (first, last))? {
            true => first,
            false => last,
        };
        self.upsert(account_id, metric, day, value)?;
        Ok(day)
    }

    fn upsert(&mut self, account_id: i64, metric: &str, day: NaiveDate, value: f64) -> Result<(), ImportError> {
        self.batch.account_id.push(account_id);
        self.batch.metric.push(metric.to_string());
        self.batch.day.push(day.to_string());
        self.days.add(metric, day);
        self.batch.value.push(value);
        if self.batch.account_id.len() >= SAMPLE_BATCH {
            self.send()?;
        }
        Ok(())
    }
}
