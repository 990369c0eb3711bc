//! Writes, always inside one transaction (see `Store::write`).

use std::path::PathBuf;

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Transaction, params};

use super::bulk::DayText;
use super::{Result, classify};
use crate::domain::contact::ContactRole;
use crate::domain::entry::{EntryKind, TouchChannel};
use crate::domain::goal::{GoalStatus, OwnerSide};
use crate::domain::journey::Journey;
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

impl NewAccount {
    /// Bind the accounts table's columns, in the order insert and update list them, starting at
    /// parameter `first`. Borrowed, not copied: imports bind a million of these.
    pub(super) fn bind(&self, stmt: &mut rusqlite::Statement, first: usize) -> rusqlite::Result<()> {
        let day = |d: Option<NaiveDate>| d.map(DayText::new);
        let (since, renewal, churned) = (day(self.customer_since), day(self.renewal_date), day(self.churned_on));
        let p: [&dyn rusqlite::ToSql; 17] = [
            &self.external_id,
            &self.name,
            &self.csm_id,
            &self.arr.0,
            &self.currency,
            &self.plan,
            &since,
            &renewal,
            &self.stage.key(),
            &self.status.key(),
            &churned,
            &self.segment_inputs.volume,
            &self.segment_inputs.advocacy,
            &self.segment_inputs.brand,
            &self.expected_usage,
            &self.tags,
            &self.notes,
        ];
        for (i, v) in p.iter().enumerate() {
            stmt.raw_bind_parameter(first + i, v)?;
        }
        Ok(())
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
    /// A survey respondent's role.
    pub role: Option<ContactRole>,
}

/// Who signed a log entry and the people it was with (contacts of its account, by id).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EntryPeople {
    pub csm_id: Option<i64>,
    pub contact_ids: Vec<i64>,
}

impl NewEntry {
    /// What the entry says (kind, day, score, channel, title, closed, note, role) as SQL values
    /// in that order: one list for inserting, updating and matching entries.
    pub(crate) fn said(&self) -> [Value; 8] {
        let text = |t: Option<&str>| t.map_or(Value::Null, |t| Value::Text(t.to_string()));
        let day = |d: Option<NaiveDate>| text(d.map(|d| d.to_string()).as_deref());
        [
            Value::Text(self.kind.key().to_string()),
            day(Some(self.day)),
            Value::from(self.score),
            text(self.channel.map(|c| c.key())),
            text(self.title.as_deref()),
            day(self.closed_on),
            Value::Text(self.note.clone()),
            Value::Text(self.role.map_or("", |r| r.key()).to_string()),
        ]
    }
}

/// A goal to insert.
#[derive(Clone, Debug, PartialEq)]
pub struct NewGoal {
    pub account_id: i64,
    pub csm_id: Option<i64>,
    pub words: String,
    pub measure: String,
    pub target_date: Option<NaiveDate>,
    pub owner: OwnerSide,
    pub status: GoalStatus,
    pub created_on: NaiveDate,
    /// What was said with its first status (an imported goal's first row's note).
    pub note: String,
}

/// A milestone to insert.
#[derive(Clone, Debug, PartialEq)]
pub struct NewMilestone {
    pub account_id: i64,
    pub csm_id: Option<i64>,
    pub journey: Journey,
    pub name: String,
    pub due: NaiveDate,
    pub done: Option<NaiveDate>,
    pub note: String,
}

/// A new account: its columns as `NewAccount::bind` binds them from ?1, the created/updated
/// stamp ?18 and the attributes ?19.
pub(super) const INSERT_ACCOUNT: &str = "INSERT INTO accounts (external_id, name, csm_id, arr_cents, currency,
       plan, customer_since, renewal_date, stage, status, churned_on, volume_score, advocacy_score, brand_score,
       expected_usage, tags, notes, created_at, updated_at, attributes)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?18, ?19)";

/// Rows written by one statement where a pass writes a row per account: a statement each cost
/// more than the row.
pub(super) const BATCH: usize = 64;

pub struct Writer<'c> {
    tx: Transaction<'c>,
    path: PathBuf,
    /// The CSM this transaction's entries are signed with.
    signer: Option<i64>,
    /// How many samples of each metric this transaction wrote (or found as written) on each day,
    /// for the metric's sample counts by day (`facts::metric_key`) and, all together, the book's
    /// (`data_days`).
    metric_days: crate::domain::data_days::MetricTallies,
    /// Of those, the samples new to the book (see `data_days::merge_counts`).
    metric_new_days: crate::domain::data_days::MetricTallies,
    /// When this transaction started, in Unix seconds, for the accounts' created/updated stamps:
    /// one clock read, not one per row.
    now_secs: i64,
    /// The id the next milestone written takes (planned or not: one sequence), once known.
    next_milestone: Option<i64>,
    /// The journey steps (journey, name, id) this transaction planned milestones of: a handful.
    journey_steps: Vec<(String, String, i64)>,
    /// The connection's count of changed rows when the transaction began: a transaction that
    /// changes nothing leaves the book as it was, byte for byte.
    changes_before: u64,
    /// Whether this write leaves the book's write count as it is (it stores only what was worked
    /// out from the book as it stands).
    derived_only: bool,
}

impl<'c> Writer<'c> {
    pub(super) fn new(tx: Transaction<'c>, path: PathBuf) -> Self {
        let changes_before = tx.total_changes();
        Writer {
            tx,
            path,
            signer: None,
            metric_days: Default::default(),
            metric_new_days: Default::default(),
            now_secs: chrono::Utc::now().timestamp(),
            next_milestone: None,
            journey_steps: Default::default(),
            changes_before,
            derived_only: false,
        }
    }

    /// Commit; whether the write counted in the book's write count (it changed more than what
    /// is worked out from the book).
    pub(super) fn commit(self) -> Result<bool> {
        let changed = self.tx.total_changes() != self.changes_before && !self.derived_only;
        let written = self.metric_days.total().counts();
        if !written.is_empty() {
            let kept = super::facts::counts_text(&self.tx).map_err(|e| self.store_err(e))?;
            let new = self.metric_new_days.total().counts();
            if let Some(text) = crate::domain::data_days::merged_text(kept.as_deref(), &written, &new) {
                self.exec(
                    "INSERT OR REPLACE INTO book_meta (key, value) VALUES (?1, ?2)",
                    [super::facts::METRIC_DAYS, &text],
                )?;
            }
            for (metric, tally) in self.metric_days.iter() {
                let key = super::facts::metric_key(metric);
                let kept: Option<String> = self
                    .tx
                    .query_row("SELECT value FROM book_meta WHERE key = ?1", [&key], |r| r.get(0))
                    .optional()
                    .map_err(|e| self.store_err(e))?;
                let new = self.metric_new_days.counts_of(metric);
                if let Some(text) = crate::domain::data_days::merged_text(kept.as_deref(), &tally.counts(), &new) {
                    self.exec("INSERT OR REPLACE INTO book_meta (key, value) VALUES (?1, ?2)", [key.as_str(), &text])?;
                }
            }
        }
        // Whatever was worked out from the book before this write is from an older book.
        if changed {
            self.exec(
                "INSERT INTO book_meta (key, value) VALUES ('generation', 1)
                 ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
                [],
            )?;
        }
        self.tx.commit().map_err(|e| classify(&self.path, e))?;
        Ok(changed)
    }

    /// `INSERT OR REPLACE` into `table` of what was worked out from accounts' facts: each row is
    /// the account's id, the facts version it was worked out from, then a value for each of
    /// `columns`; a row is stored only while its account's facts are still at that version (a
    /// write since bumped it: the row would be stale). Rows go `BATCH` to a statement: one
    /// statement each cost more than the row (a new day's pass writes one per account).
    /// Returns how many were stored.
    pub(super) fn insert_at_versions(
        &self,
        table: &str,
        columns: &[&str],
        rows: &[Vec<rusqlite::types::ToSqlOutput<'_>>],
    ) -> Result<usize> {
        let statement = |n: usize| {
            let values = vec![format!("({})", vec!["?"; columns.len() + 2].join(", ")); n].join(", ");
            let picked: Vec<String> = (3..columns.len() + 3).map(|i| format!("d.column{i}")).collect();
            format!(
                "INSERT OR REPLACE INTO {table} (account_id, {}) SELECT a.id, {} FROM (VALUES {values}) d
                 JOIN accounts a ON a.id = d.column1 AND a.facts_version = d.column2",
                columns.join(", "),
                picked.join(", ")
            )
        };
        let mut stored = 0;
        for batch in rows.chunks(BATCH) {
            let mut stmt = self.tx.prepare_cached(&statement(batch.len())).map_err(|e| self.store_err(e))?;
            stored +=
                stmt.execute(rusqlite::params_from_iter(batch.iter().flatten())).map_err(|e| self.store_err(e))?;
        }
        Ok(stored)
    }

    /// Run one statement, mapping its error to the book's.
    pub(super) fn exec(&self, sql: &str, params: impl rusqlite::Params) -> Result<()> {
        // Cached: imports run the same few statements once per account.
        self.tx.prepare_cached(sql).and_then(|mut s| s.execute(params)).map(|_| ()).map_err(|e| self.store_err(e))
    }

    pub(super) fn store_err(&self, e: rusqlite::Error) -> super::StoreError {
        classify(&self.path, e)
    }

    /// Empty the book (for rebuilding the demo).
    pub fn clear_book(&mut self) -> Result<()> {
        self.tx
            .execute_batch(
                "DELETE FROM factor_snapshots; DELETE FROM fact_digests; DELETE FROM changes; DELETE FROM goal_status_changes;
                 DELETE FROM goals; DELETE FROM milestone_rows; DELETE FROM planned_milestones; DELETE FROM entries; DELETE FROM metric_samples;
                 DELETE FROM arr_changes; DELETE FROM contract_events; DELETE FROM band_overrides;
                 DELETE FROM health_history; DELETE FROM history_days; DELETE FROM history_stale;
                 DELETE FROM triage_marks; DELETE FROM triage_heads; DELETE FROM accounts; DELETE FROM csms; DELETE FROM book_meta;",
            )
            .map_err(|e| self.store_err(e))
    }

    /// Leave the book's write count as it is: this write stores only what was worked out from
    /// the book as it stands (a triage head), so other windows need not read the book again.
    pub(super) fn only_derived(&mut self) {
        self.derived_only = true;
    }

    /// Stamp what this transaction creates as made on `day` (midnight UTC) instead of now: the
    /// demo book is built as a book kept for a year, and the day a book began is where its
    /// records of revenue start (`Store::book_began`).
    pub fn stamp_as_made_on(&mut self, day: NaiveDate) {
        self.now_secs = super::day_seconds(day).0;
    }

    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        self.exec("INSERT OR REPLACE INTO book_meta (key, value) VALUES (?1, ?2)", [key, value])
    }

    /// Remove the CSM `id` if no row of the book names them (no account, entry, task, mark…:
    /// every table with a key to them is asked, whatever tables come later); whether they were.
    /// An undone hand-over to someone new left them in the book, offered as a near name and
    /// found by the start of theirs, with nothing of theirs in it.
    pub fn forget_csm_if_unused(&mut self, id: i64) -> Result<bool> {
        let keys: Vec<(String, String)> = self
            .tx
            .prepare_cached(
                "SELECT m.name, k.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) k
                 WHERE m.type = 'table' AND k.\"table\" = 'csms'",
            )
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .map_err(|e| self.store_err(e))?;
        let named = keys
            .iter()
            .map(|(table, column)| format!("EXISTS (SELECT 1 FROM \"{table}\" WHERE \"{column}\" = ?1)"))
            .collect::<Vec<_>>()
            .join(" OR ");
        let used: bool = match named.is_empty() {
            true => false,
            false => {
                self.tx.query_row(&format!("SELECT {named}"), [id], |r| r.get(0)).map_err(|e| self.store_err(e))?
            }
        };
        if used {
            return Ok(false);
        }
        self.exec("DELETE FROM csms WHERE id = ?1", [id])?;
        Ok(true)
    }

    /// The id of the CSM with this name (without case: the first the book has), added if new.
    pub fn csm_id(&mut self, name: &str) -> Result<i64> {
        let found: Option<i64> = self
            .tx
            .prepare_cached("SELECT id FROM csms WHERE name = ?1 COLLATE NOCASE ORDER BY id LIMIT 1")
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

    /// Spell a CSM's name another way (the same name in another case).
    pub fn rename_csm(&mut self, id: i64, name: &str) -> Result<()> {
        self.exec("UPDATE csms SET name = ?1 WHERE id = ?2", rusqlite::params![name, id]).map(|_| ())
    }

    pub fn insert_account(&mut self, a: &NewAccount) -> Result<i64> {
        self.tx
            .prepare_cached(INSERT_ACCOUNT)
            .and_then(|mut s| {
                a.bind(&mut s, 1)?;
                s.raw_bind_parameter(18, self.now_secs)?;
                s.raw_bind_parameter(19, None::<&str>)?;
                s.raw_execute()
            })
            .map_err(|e| self.store_err(e))?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Overwrite an account's fields (an import's update).
    pub fn update_account(&mut self, id: i64, a: &NewAccount) -> Result<()> {
        self.tx
            .prepare_cached(
                "UPDATE accounts SET external_id = ?2, name = ?3, csm_id = ?4, arr_cents = ?5, currency = ?6, plan = ?7,
                   customer_since = ?8, renewal_date = ?9, stage = ?10, status = ?11, churned_on = ?12,
                   volume_score = ?13, advocacy_score = ?14, brand_score = ?15, expected_usage = ?16, tags = ?17,
                   notes = ?18, updated_at = unixepoch()
                 WHERE id = ?1",
            )
            .and_then(|mut s| {
                s.raw_bind_parameter(1, id)?;
                a.bind(&mut s, 2)?;
                s.raw_execute()
            })
            .map(|_| ())
            .map_err(|e| self.store_err(e))
    }

    /// Keep a value from a column tend has no field for.
    /// Replace an account's imported columns with `json`, one JSON object already merged (see
    /// the import planner): merging thousands of columns in SQL is quadratic.
    pub fn replace_attributes(&mut self, account_id: i64, json: &str) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE accounts SET attributes = ?2 WHERE id = ?1")
            .and_then(|mut s| s.execute(params![account_id, json]))
            .map(|_| ())
            .map_err(|e| self.store_err(e))
    }

    pub fn set_attribute(&mut self, account_id: i64, key: &str, value: &str) -> Result<()> {
        self.tx
            .prepare_cached(
                "UPDATE accounts SET attributes = json_patch(coalesce(attributes, '{}'), json_object(?2, ?3))
                 WHERE id = ?1",
            )
            .and_then(|mut s| s.execute(params![account_id, key, value]))
            .map(|_| ())
            .map_err(|e| self.store_err(e))
    }

    /// A dated ARR change, for retention figures.
    pub fn record_arr_change(
        &mut self,
        account_id: i64,
        day: NaiveDate,
        old: Cents,
        new: Cents,
        source: &str,
    ) -> Result<()> {
        self.exec(
            "INSERT INTO arr_changes (account_id, day, old_cents, new_cents, source) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![account_id, day, old.0, new.0, source],
        )
    }

    pub fn insert_sample(&mut self, account_id: i64, metric: &str, day: NaiveDate, value: f64) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO metric_samples (account_id, metric, day, value) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (account_id, metric, day) DO UPDATE SET value = excluded.value",
            )
            .and_then(|mut s| s.execute(params![account_id, metric, day, value]))
            .map_err(|e| self.store_err(e))?;
        self.saw_samples(metric, day, 1);
        Ok(())
    }

    /// Note samples of a metric written on a day (or found there already), for the book's sample
    /// counts and the metric's.
    pub(super) fn saw_samples(&mut self, metric: &str, day: NaiveDate, samples: u64) {
        self.metric_days.add_many(metric, day, samples);
    }

    /// The samples new to the book so far, by day (`saw_new_samples`).
    pub(crate) fn new_sample_days(&self) -> crate::domain::data_days::DayTally {
        self.metric_new_days.total()
    }

    /// Note samples of a metric new to the book on a day (of those `saw_samples` notes).
    pub(super) fn saw_new_samples(&mut self, metric: &str, day: NaiveDate, samples: u64) {
        self.metric_new_days.add_many(metric, day, samples);
    }

    pub fn insert_entry(&mut self, e: &NewEntry) -> Result<i64> {
        let values = [Value::from(e.account_id), Value::from(e.csm_id)].into_iter().chain(e.said());
        self.tx
            .prepare_cached(
                "INSERT INTO entries (account_id, csm_id, kind, day, score, channel, title, closed_on, note, role)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )
            .and_then(|mut s| s.execute(rusqlite::params_from_iter(values)))
            .map_err(|err| self.store_err(err))?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Rows into `table`'s `columns` in one statement, each row the values of those columns in
    /// their order: each statement that writes a row the search index holds also makes the index
    /// write out what it has (a quarter of an import's time when each row was a statement).
    pub(super) fn insert_rows(&self, table: &str, columns: &[&str], rows: Vec<serde_json::Value>) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let values: Vec<String> = (0..columns.len()).map(|i| format!("e->>{i}")).collect();
        let sql = format!(
            "INSERT INTO {table} ({}) SELECT {} FROM (SELECT value AS e FROM json_each(?1) ORDER BY key)",
            columns.join(", "),
            values.join(", ")
        );
        self.exec(&sql, [serde_json::Value::Array(rows).to_string()])
    }

    /// Many entries, each with the people it was with, in one statement (`insert_rows`).
    pub fn insert_entries(&mut self, entries: &[(NewEntry, Vec<i64>)]) -> Result<()> {
        let rows = entries
            .iter()
            .map(|(e, with)| {
                let said = e.said().map(|v| match v {
                    Value::Integer(i) => serde_json::Value::from(i),
                    Value::Text(t) => serde_json::Value::from(t),
                    _ => serde_json::Value::Null,
                });
                let head = [serde_json::Value::from(e.account_id), serde_json::Value::from(e.csm_id)];
                let tail = [serde_json::Value::from(super::log::contact_ids_text(with))];
                serde_json::Value::Array(head.into_iter().chain(said).chain(tail).collect())
            })
            .collect();
        let columns = [
            "account_id",
            "csm_id",
            "kind",
            "day",
            "score",
            "channel",
            "title",
            "closed_on",
            "note",
            "role",
            "contact_ids",
        ];
        self.insert_rows("entries", &columns, rows)
    }

    /// Many milestones in one statement (`insert_rows`), with the ids `insert_milestone` gives.
    pub fn insert_milestones(&mut self, milestones: &[NewMilestone]) -> Result<()> {
        let mut rows = Vec::with_capacity(milestones.len());
        for m in milestones {
            let day = |d: Option<NaiveDate>| d.map(|d| d.to_string());
            rows.push(serde_json::json!([
                self.next_milestone_id()?,
                m.account_id,
                m.csm_id,
                m.journey,
                m.name,
                m.due.to_string(),
                day(m.done),
                m.note
            ]));
        }
        let columns = ["id", "account_id", "csm_id", "journey", "name", "due", "done", "note"];
        self.insert_rows("milestone_rows", &columns, rows)
    }

    pub fn set_signer(&mut self, csm_id: Option<i64>) {
        self.signer = csm_id;
    }

    pub fn signer(&self) -> Option<i64> {
        self.signer
    }

    /// The owner CSM of an account.
    pub fn account_csm(&self, account_id: i64) -> Result<Option<i64>> {
        self.tx
            .query_row("SELECT csm_id FROM accounts WHERE id = ?1", [account_id], |r| r.get(0))
            .map_err(|e| self.store_err(e))
    }

    pub fn update_entry(&mut self, id: i64, e: &NewEntry) -> Result<()> {
        let values = std::iter::once(Value::from(id)).chain(e.said());
        self.tx
            .execute(
                "UPDATE entries SET kind = ?2, day = ?3, score = ?4, channel = ?5, title = ?6, closed_on = ?7,
                   note = ?8, role = ?9 WHERE id = ?1",
                rusqlite::params_from_iter(values),
            )
            .map(|_| ())
            .map_err(|err| self.store_err(err))
    }

    /// Insert a goal and its first status. Returns the goal's id.
    pub fn insert_goal(&mut self, g: &NewGoal) -> Result<i64> {
        self.tx
            .execute(
                "INSERT INTO goals (account_id, csm_id, words, measure, target_date, owner_side, status, created_on)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    g.account_id,
                    g.csm_id,
                    g.words,
                    g.measure,
                    g.target_date,
                    g.owner.key(),
                    g.status.key(),
                    g.created_on
                ],
            )
            .map_err(|e| self.store_err(e))?;
        let id = self.tx.last_insert_rowid();
        self.set_goal_status(id, g.status, g.created_on, &g.note, g.csm_id)?;
        Ok(id)
    }

    /// Change what a goal says (not its status: that is `set_goal_status`, which keeps history).
    pub fn update_goal(&mut self, id: i64, g: &NewGoal) -> Result<()> {
        self.exec(
            "UPDATE goals SET words = ?2, measure = ?3, target_date = ?4, owner_side = ?5 WHERE id = ?1",
            params![id, g.words, g.measure, g.target_date, g.owner.key()],
        )
    }

    /// Record a goal's new status. Returns the id of the history row.
    pub fn set_goal_status(
        &mut self,
        goal_id: i64,
        status: GoalStatus,
        day: NaiveDate,
        note: &str,
        csm_id: Option<i64>,
    ) -> Result<i64> {
        self.exec("UPDATE goals SET status = ?2 WHERE id = ?1", params![goal_id, status.key()])?;
        self.exec(
            "INSERT INTO goal_status_changes (goal_id, csm_id, day, status, note) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![goal_id, csm_id, day, status.key(), note],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn insert_milestone(&mut self, m: &NewMilestone) -> Result<i64> {
        let id = self.next_milestone_id()?;
        self.exec(
            "INSERT INTO milestone_rows (id, account_id, csm_id, journey, name, due, done, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![id, m.account_id, m.csm_id, m.journey, m.name, m.due, m.done, m.note],
        )?;
        Ok(id)
    }

    /// Milestones journeys plan for new accounts, as (account id, journey, milestone, due), as an
    /// import plans a million of them: kept as account, step and due day until something changes
    /// them (see migration 20). Written many rows to a statement: one statement a row was a
    /// fifth of a million-account import.
    pub fn insert_planned_milestones(&mut self, rows: &[(i64, &str, &str, NaiveDate)]) -> Result<()> {
        const CHUNK: usize = 100;
        static MANY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            let values = vec!["(?, ?, ?, ?)"; CHUNK].join(", ");
            format!("INSERT INTO planned_milestones (id, account_id, step, due) VALUES {values}")
        });
        let mut values = Vec::with_capacity(rows.len());
        for &(account_id, journey, name, due) in rows {
            let step = self.journey_step(journey, name)?;
            values.push([self.next_milestone_id()?, account_id, step, super::bulk::epoch_day(due)]);
        }
        let mut chunks = values.chunks_exact(CHUNK);
        let run = |sql: &str, chunk: &[[i64; 4]]| -> rusqlite::Result<()> {
            let mut statement = self.tx.prepare_cached(sql)?;
            for (i, value) in chunk.iter().flatten().enumerate() {
                statement.raw_bind_parameter(i + 1, value)?;
            }
            statement.raw_execute().map(|_| ())
        };
        for chunk in chunks.by_ref() {
            run(&MANY, chunk).map_err(|e| self.store_err(e))?;
        }
        for row in chunks.remainder() {
            run(
                "INSERT INTO planned_milestones (id, account_id, step, due) VALUES (?, ?, ?, ?)",
                std::slice::from_ref(row),
            )
            .map_err(|e| self.store_err(e))?;
        }
        Ok(())
    }

    /// The journeys an account holds milestones of (`accounts::JOURNEYS_HELD`).
    pub fn journeys_held(&self, account_id: i64) -> Result<Vec<String>> {
        let mut statement = self.tx.prepare_cached(super::accounts::JOURNEYS_HELD).map_err(|e| self.store_err(e))?;
        let rows = statement.query_map([account_id], |r| r.get(0)).map_err(|e| self.store_err(e))?;
        rows.collect::<rusqlite::Result<Vec<String>>>().map_err(|e| self.store_err(e))
    }

    /// The id of a journey's step (a milestone's journey and name), added if new.
    fn journey_step(&mut self, journey: &str, name: &str) -> Result<i64> {
        // Looked up by borrowed names: a million planned milestones share a handful of steps.
        if let Some((_, _, id)) = self.journey_steps.iter().find(|(j, n, _)| j == journey && n == name) {
            return Ok(*id);
        }
        self.exec("INSERT INTO journey_steps (journey, name) VALUES (?1, ?2) ON CONFLICT DO NOTHING", [journey, name])?;
        let id = self
            .tx
            .query_row("SELECT id FROM journey_steps WHERE journey = ?1 AND name = ?2", [journey, name], |r| r.get(0))
            .map_err(|e| self.store_err(e))?;
        self.journey_steps.push((journey.to_string(), name.to_string(), id));
        Ok(id)
    }

    /// The next milestone id: milestones written and planned share one sequence, so a planned
    /// milestone keeps its id when a change settles it into `milestone_rows`.
    fn next_milestone_id(&mut self) -> Result<i64> {
        let id = match self.next_milestone {
            Some(id) => id,
            None => self
                .tx
                .query_row(
                    "SELECT max(coalesce((SELECT max(id) FROM milestone_rows), 0),
                                coalesce((SELECT max(id) FROM planned_milestones), 0)) + 1",
                    [],
                    |r| r.get(0),
                )
                .map_err(|e| self.store_err(e))?,
        };
        self.next_milestone = Some(id + 1);
        Ok(id)
    }

    pub fn update_milestone(&mut self, id: i64, m: &NewMilestone) -> Result<()> {
        self.exec(
            "UPDATE milestones SET journey = ?2, name = ?3, due = ?4, done = ?5, note = ?6 WHERE id = ?1",
            params![id, m.journey, m.name, m.due, m.done, m.note],
        )
    }

    /// When this transaction started, in Unix seconds, as accounts' stamps are stored.
    pub(super) fn now_secs(&self) -> i64 {
        self.now_secs
    }

    pub(super) fn path(&self) -> &std::path::Path {
        &self.path
    }

    pub(super) fn tx(&self) -> &Transaction<'c> {
        &self.tx
    }
}
