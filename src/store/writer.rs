//! Writes, always inside one transaction (see `Store::write`).

use std::path::PathBuf;

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, params};

use super::{Result, classify};
use crate::domain::entry::{EntryKind, TouchChannel};
use crate::domain::{AccountStatus, Cents, LifecycleStage, SegmentInputs};

/// An account to insert.
#[derive(Clone, Debug, PartialEq)]
pub struct NewAccount {
    pub external_id: String,
    pub name: String,
    pub csm_id: Option<i64>,
    pub arr: Cents,
    pub currency: String,
    pub plan: Option<String>,
    pub customer_since: Option<NaiveDate>,
    pub renewal_date: Option<NaiveDate>,
    pub stage: LifecycleStage,
    pub status: AccountStatus,
    pub churned_on: Option<NaiveDate>,
    pub segment_inputs: SegmentInputs,
    pub expected_usage: Option<f64>,
    pub tags: String,
    pub notes: String,
}

impl NewAccount {
    /// An active account in the adoption stage with only a key and a name; set the rest as known.
    pub fn new(external_id: impl Into<String>, name: impl Into<String>) -> Self {
        NewAccount {
            external_id: external_id.into(),
            name: name.into(),
            csm_id: None,
            arr: Cents(0),
            currency: "USD".into(),
            plan: None,
            customer_since: None,
            renewal_date: None,
            stage: LifecycleStage::Adoption,
            status: AccountStatus::Active,
            churned_on: None,
            segment_inputs: SegmentInputs::default(),
            expected_usage: None,
            tags: String::new(),
            notes: String::new(),
        }
    }
}

/// A log entry to insert.
#[derive(Clone, Debug, PartialEq)]
pub struct NewEntry {
    pub account_id: i64,
    pub csm_id: Option<i64>,
    pub kind: EntryKind,
    pub day: NaiveDate,
    pub score: Option<i64>,
    pub channel: Option<TouchChannel>,
    pub title: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub note: String,
}

pub struct Writer<'c> {
    tx: Transaction<'c>,
    path: PathBuf,
}

impl<'c> Writer<'c> {
    pub(super) fn new(tx: Transaction<'c>, path: PathBuf) -> Self {
        Writer { tx, path }
    }

    pub(super) fn commit(self) -> Result<()> {
        self.tx.commit().map_err(|e| classify(&self.path, e))
    }

    pub(super) fn store_err(&self, e: rusqlite::Error) -> super::StoreError {
        classify(&self.path, e)
    }

    /// Empty the book (for rebuilding the demo).
    pub fn clear_book(&mut self) -> Result<()> {
        self.tx
            .execute_batch(
                "DELETE FROM factor_snapshots; DELETE FROM entries; DELETE FROM metric_samples;
                 DELETE FROM accounts; DELETE FROM csms; DELETE FROM book_meta;",
            )
            .map_err(|e| self.store_err(e))
    }

    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        self.tx
            .execute(
                "INSERT OR REPLACE INTO book_meta (key, value) VALUES (?1, ?2)",
                [key, value],
            )
            .map(|_| ())
            .map_err(|e| self.store_err(e))
    }

    /// The id of the CSM with this name, added if new.
    pub fn csm_id(&mut self, name: &str) -> Result<i64> {
        let found: Option<i64> = self
            .tx
            .prepare_cached("SELECT id FROM csms WHERE name = ?1")
            .and_then(|mut s| s.query_row([name], |r| r.get(0)).optional())
            .map_err(|e| self.store_err(e))?;
        if let Some(id) = found {
            return Ok(id);
        }
        self.tx
            .prepare_cached("INSERT INTO csms (name) VALUES (?1)")
            .and_then(|mut s| s.execute([name]))
            .map_err(|e| self.store_err(e))?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn insert_account(&mut self, a: &NewAccount) -> Result<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO accounts (external_id, name, csm_id, arr_cents, currency, plan,
                   customer_since, renewal_date, stage, status, churned_on,
                   volume_score, advocacy_score, brand_score, expected_usage, tags, notes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    a.external_id,
                    a.name,
                    a.csm_id,
                    a.arr.0,
                    a.currency,
                    a.plan,
                    a.customer_since,
                    a.renewal_date,
                    a.stage.key(),
                    a.status.key(),
                    a.churned_on,
                    a.segment_inputs.volume,
                    a.segment_inputs.advocacy,
                    a.segment_inputs.brand,
                    a.expected_usage,
                    a.tags,
                    a.notes,
                ])
            })
            .map_err(|e| self.store_err(e))?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn insert_sample(
        &mut self,
        account_id: i64,
        metric: &str,
        day: NaiveDate,
        value: f64,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO metric_samples (account_id, metric, day, value) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (account_id, metric, day) DO UPDATE SET value = excluded.value",
            )
            .and_then(|mut s| s.execute(params![account_id, metric, day, value]))
            .map_err(|e| self.store_err(e))?;
        Ok(())
    }

    pub fn insert_entry(&mut self, e: &NewEntry) -> Result<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO entries (account_id, csm_id, kind, day, score, channel, title, closed_on, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    e.account_id,
                    e.csm_id,
                    e.kind.key(),
                    e.day,
                    e.score,
                    e.channel.map(|c| c.key()),
                    e.title,
                    e.closed_on,
                    e.note,
                ])
            })
            .map_err(|err| self.store_err(err))?;
        Ok(self.tx.last_insert_rowid())
    }

    pub(super) fn tx(&self) -> &Transaction<'c> {
        &self.tx
    }
}
