//! The health history cache: every account's score on the days the screens read (today and each
//! window back), which days are complete, and which accounts changed since. What goes in is computed by `book::history`.

use chrono::NaiveDate;
use rusqlite::OptionalExtension;

use super::{Result, Store};
use crate::domain::history::{DayHealth, PackedPoints};

const FINGERPRINT_KEY: &str = "history_fingerprint";
const MAX_ACCOUNT_KEY: &str = "history_max_account";

/// A day as the history table keys it: days since 1970 (one count for every table that keeps
/// days as numbers).
pub fn day_number(day: NaiveDate) -> i64 {
    super::bulk::epoch_day(day)
}

fn day_of(number: i64) -> NaiveDate {
    super::bulk::from_epoch_day(number)
}

/// History worked out in memory for a book that cannot store it (read-only): read in place of
/// the stored rows on the days it holds whole, and over them for the accounts it holds on others.
#[derive(Default)]
pub struct HistoryOverlay {
    whole_days: std::collections::HashSet<i64>,
    days: std::collections::HashMap<i64, std::collections::HashMap<i64, Option<DayHealth>>>,
}

impl HistoryOverlay {
    /// Worked out for every account on `days` (the rest from `set` alone).
    pub fn new(whole: &[NaiveDate]) -> HistoryOverlay {
        HistoryOverlay { whole_days: whole.iter().map(|d| day_number(*d)).collect(), days: Default::default() }
    }

    /// The account's health on the day (no score: None).
    pub fn set(&mut self, account_id: i64, day: NaiveDate, health: Option<DayHealth>) {
        self.days.entry(day_number(day)).or_default().insert(account_id, health.filter(|h| h.score.is_some()));
    }

    /// What it holds for the account on the day: Some(None) for "no score", None when the
    /// stored rows say.
    fn get(&self, day: i64, account_id: i64) -> Option<Option<DayHealth>> {
        match self.days.get(&day).and_then(|d| d.get(&account_id)) {
            Some(h) => Some(*h),
            None if self.whole_days.contains(&day) => Some(None),
            None => None,
        }
    }
}

/// One account's health on the days of one write.
pub struct HistoryRows {
    pub account_id: i64,
    /// The account had history already: days it now has no score on must be cleared.
    pub replace: bool,
    pub days: Vec<(NaiveDate, DayHealth)>,
}

/// Rows of history written by one statement.
pub(super) const BATCH: usize = 64;

impl Store {
    /// The health rules (and book days) the caches were worked out with (`history::fingerprint`).
    pub fn caches_fingerprint(&self) -> Result<Option<String>> {
        self.meta(FINGERPRINT_KEY)
    }

    /// Clear every cache derived with other health rules than `fingerprint` (a config change),
    /// and remember the new rules. Returns whether anything was cleared.
    pub fn reset_caches_unless(&mut self, fingerprint: &str) -> Result<bool> {
        if self.caches_fingerprint()?.as_deref() == Some(fingerprint) {
            return Ok(false);
        }
        if self.read_only().is_some() {
            // Cannot reset them: do not read them either (values come from the facts).
            self.distrust_caches();
            return Ok(false);
        }
        self.write_derived(|w| {
            w.tx()
                .execute_batch(
                    "DELETE FROM factor_snapshots; DELETE FROM health_history; DELETE FROM history_days;
                     DELETE FROM history_stale; DELETE FROM history_accounts;
                     DELETE FROM book_meta WHERE key = 'history_max_account';",
                )
                .map_err(|e| w.store_err(e))?;
            w.set_meta(FINGERPRINT_KEY, fingerprint)
        })?;
        Ok(true)
    }

    /// The days whose history is complete, oldest first.
    pub fn history_days(&self) -> Result<Vec<NaiveDate>> {
        self.query_list("SELECT day FROM history_days ORDER BY day", [], |r| Ok(day_of(r.get(0)?)))
    }

    /// Accounts whose history must be recomputed on the complete days: those whose facts changed
    /// (`changed`, from `history_changed_accounts`), and those added since history was last
    /// written. Sorted by id.
    pub fn history_stale_accounts(&self, changed: &[i64]) -> Result<Vec<i64>> {
        let mut all = changed.to_vec();
        all.extend(self.history_new_accounts()?);
        all.sort_unstable();
        all.dedup();
        Ok(all)
    }

    /// Accounts whose facts changed since their history was computed, with the facts version
    /// each was marked at. Sorted by id.
    pub fn history_changed_accounts(&self) -> Result<Vec<(i64, i64)>> {
        self.query_list("SELECT account_id, facts_version FROM history_stale ORDER BY 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
    }

    /// Accounts added since history was last written. Sorted by id.
    pub fn history_new_accounts(&self) -> Result<Vec<i64>> {
        let max = self.history_max_account()?;
        self.query_list("SELECT id FROM accounts WHERE id > ?1 ORDER BY 1", [max], |r| r.get(0))
    }

    /// The highest account id when history was last written: accounts above it are new to it.
    pub fn history_max_account(&self) -> Result<i64> {
        Ok(self.meta(MAX_ACCOUNT_KEY)?.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    /// Which of `ids` (sorted) have any history rows.
    pub fn accounts_with_history(&self, ids: &[i64]) -> Result<std::collections::HashSet<i64>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT 1 FROM history_accounts WHERE account_id = ?1")
            .map_err(|e| self.err(e))?;
        let mut out = std::collections::HashSet::new();
        for id in ids {
            if stmt.exists([id]).map_err(|e| self.err(e))? {
                out.insert(*id);
            }
        }
        Ok(out)
    }

    /// Write computed history, in one transaction per call. Callers write a book in chunks.
    pub fn write_history(&mut self, rows: &[HistoryRows]) -> Result<()> {
        self.write_derived(|w| w.write_history(rows))
    }

    /// Record that `days` are complete, that `fresh` accounts (with the facts version their
    /// history was recomputed for) are current, and the highest account id the history has seen.
    /// A mark a write has renewed since (a newer version) stays: that history is recomputed next.
    pub fn finish_history(&mut self, days: &[NaiveDate], fresh: &[(i64, i64)], max_account: i64) -> Result<()> {
        self.write_derived(|w| {
            for day in days {
                w.exec("INSERT OR IGNORE INTO history_days (day) VALUES (?1)", [day_number(*day)])?;
            }
            let mut clear = w
                .tx()
                .prepare_cached("DELETE FROM history_stale WHERE account_id = ?1 AND facts_version = ?2")
                .map_err(|e| w.store_err(e))?;
            for (id, version) in fresh {
                clear.execute([id, version]).map_err(|e| w.store_err(e))?;
            }
            drop(clear);
            w.set_meta(MAX_ACCOUNT_KEY, &max_account.to_string())
        })
    }

    /// Drop the history of every day not in `keep` (days no screen reads any more, as today moves
    /// on). Returns how many days were dropped. Nothing is written when there is nothing to drop.
    pub fn keep_history_days(&mut self, keep: &[NaiveDate]) -> Result<usize> {
        let Some(oldest) = keep.iter().min().map(|d| day_number(*d)) else { return Ok(0) };
        if self.read_only().is_some() {
            return Ok(0);
        }
        let keep: std::collections::HashSet<i64> = keep.iter().map(|d| day_number(*d)).collect();
        let drop: Vec<i64> = self
            .query_list("SELECT day FROM history_days ORDER BY day", [], |r| r.get::<_, i64>(0))?
            .into_iter()
            .filter(|d| !keep.contains(d))
            .collect();
        // Rows of days never marked complete (a back-fill cut short) older than every kept day.
        let older: bool = self
            .conn()
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM health_history WHERE day < ?1)")
            .and_then(|mut s| s.query_row([oldest], |r| r.get(0)))
            .map_err(|e| self.err(e))?;
        if drop.is_empty() && !older {
            return Ok(0);
        }
        self.write_derived(|w| {
            for day in &drop {
                w.exec("DELETE FROM health_history WHERE day = ?1", [day])?;
                w.exec("DELETE FROM history_days WHERE day = ?1", [day])?;
            }
            w.exec("DELETE FROM health_history WHERE day < ?1", [oldest])
        })?;
        Ok(drop.len())
    }

    pub fn max_account_id(&self) -> Result<i64> {
        self.conn().query_row("SELECT coalesce(max(id), 0) FROM accounts", [], |r| r.get(0)).map_err(|e| self.err(e))
    }

    /// Keep history worked out in memory (a read-only book) for this connection and its readers.
    pub fn set_history_overlay(&mut self, overlay: HistoryOverlay) {
        self.history_overlay = Some(std::sync::Arc::new(overlay));
    }

    /// The health on one day of every account whose id is in `ids`, by account id. Accounts
    /// without a score are absent.
    pub fn history_on(&self, day: NaiveDate, ids: std::ops::RangeInclusive<i64>) -> Result<Vec<(i64, DayHealth)>> {
        let n = day_number(day);
        let overlay = self.history_overlay.as_deref();
        let mut out = match overlay {
            Some(o) if o.whole_days.contains(&n) => Vec::new(),
            _ if !self.caches_trusted() => Vec::new(),
            _ => self.query_list(
                "SELECT account_id, score, points FROM health_history
                 WHERE day = ?1 AND account_id BETWEEN ?2 AND ?3 ORDER BY account_id",
                rusqlite::params![n, ids.start(), ids.end()],
                |r| Ok((r.get(0)?, DayHealth { score: Some(r.get(1)?), points: PackedPoints(r.get(2)?) })),
            )?,
        };
        if let Some(worked) = overlay.and_then(|o| o.days.get(&n)) {
            out.retain(|(id, _)| !worked.contains_key(id));
            out.extend(worked.iter().filter(|(id, _)| ids.contains(*id)).filter_map(|(id, h)| Some((*id, (*h)?))));
            out.sort_unstable_by_key(|(id, _)| *id);
        }
        Ok(out)
    }

    /// One account's stored health on each day from `from` to `to` that has a row.
    pub fn account_history(
        &self,
        account_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(NaiveDate, DayHealth)>> {
        let overlay = self.history_overlay.as_deref();
        if !self.caches_trusted() && overlay.is_none() {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT score, points FROM health_history WHERE day = ?1 AND account_id = ?2")
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        // One lookup per day: the key leads with the day, so this is a point read each.
        for n in day_number(from)..=day_number(to) {
            let row = match overlay.and_then(|o| o.get(n, account_id)) {
                Some(worked) => worked,
                None if !self.caches_trusted() => None,
                None => stmt
                    .query_row(rusqlite::params![n, account_id], |r| {
                        Ok(DayHealth { score: Some(r.get(0)?), points: PackedPoints(r.get(1)?) })
                    })
                    .optional()
                    .map_err(|e| self.err(e))?,
            };
            if let Some(h) = row {
                out.push((day_of(n), h));
            }
        }
        Ok(out)
    }
}

/// What a team book's snapshot keeps of what it worked out when it is pulled again in place
/// (`team::replica`): the facts' rows are replaced, and these are put back as they were.
pub struct WorkedOutMeta(Vec<(&'static str, Option<String>)>);

impl Store {
    /// Each account's facts version (see `invalidate_snapshots`).
    pub fn facts_versions(&self) -> Result<std::collections::HashMap<i64, i64>> {
        facts_versions_on(self.conn()).map_err(|e| self.err(e))
    }

    /// The book's facts about what it worked out (the rules it was worked out under, the highest
    /// account its history covers).
    pub fn worked_out_meta(&self) -> Result<WorkedOutMeta> {
        let mut kept = Vec::new();
        for key in [FINGERPRINT_KEY, MAX_ACCOUNT_KEY] {
            kept.push((key, self.meta(key)?));
        }
        Ok(WorkedOutMeta(kept))
    }

    /// Put back what `worked_out_meta` read, and drop what was worked out from the facts of
    /// accounts whose facts version is no longer the one in `versions` (`facts_versions` before
    /// their rows were pulled again), or whose rows were (`touched`; None: every account's): their
    /// factor values, and their history marked stale at their
    /// version, as a write to them does; and everything of accounts gone. On `conn`, in the
    /// transaction that pulled the rows (a tend stopped between the two would leave a book whose
    /// worked-out values no one knows to be stale). The accounts whose facts changed.
    pub fn keep_worked_out(
        conn: &rusqlite::Connection,
        meta: &WorkedOutMeta,
        versions: &std::collections::HashMap<i64, i64>,
        touched: Option<&std::collections::BTreeSet<i64>>,
    ) -> rusqlite::Result<Vec<i64>> {
        let now = facts_versions_on(conn)?;
        let changed: Vec<(i64, i64)> = now
            .iter()
            .filter(|(id, v)| versions.get(id).is_some_and(|old| old != *v || touched.is_none_or(|t| t.contains(id))))
            .map(|(id, v)| (*id, *v))
            .collect();
        let gone: Vec<i64> = versions.keys().filter(|id| !now.contains_key(id)).copied().collect();
        for (key, value) in &meta.0 {
            match value {
                Some(value) => Store::set_meta_on(conn, key, value)?,
                None => {
                    conn.execute("DELETE FROM book_meta WHERE key = ?1", [key])?;
                }
            }
        }
        for (id, version) in &changed {
            // Rows pulled again may change the facts at the same version: the digest goes too.
            conn.execute("DELETE FROM factor_snapshots WHERE account_id = ?1", [id])?;
            conn.execute("DELETE FROM fact_digests WHERE account_id = ?1", [id])?;
            conn.execute(
                "INSERT OR REPLACE INTO history_stale (account_id, facts_version) VALUES (?1, ?2)",
                [id, version],
            )?;
        }
        for id in &gone {
            for table in ["factor_snapshots", "fact_digests", "health_history", "history_stale", "history_accounts"] {
                conn.execute(&format!("DELETE FROM {table} WHERE account_id = ?1"), [id])?;
            }
        }
        Ok(changed.into_iter().map(|(id, _)| id).collect())
    }
}

impl super::writer::Writer<'_> {
    /// `Store::write_history` in this transaction.
    pub(crate) fn write_history(&mut self, rows: &[HistoryRows]) -> Result<()> {
        let w = self;
        // Day-major order keeps the inserts close together in the (day, account) key.
        let mut ordered: Vec<(i64, i64, bool, Option<DayHealth>)> = Vec::new();
        for r in rows {
            for (day, health) in &r.days {
                ordered.push((day_number(*day), r.account_id, r.replace, Some(*health)));
            }
        }
        ordered.sort_unstable_by_key(|(day, id, _, _)| (*day, *id));
        let tx = w.tx();
        let mut upsert = tx
            .prepare_cached(
                "INSERT OR REPLACE INTO health_history (day, account_id, score, points) VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(|e| w.store_err(e))?;
        let mut delete = tx
            .prepare_cached("DELETE FROM health_history WHERE day = ?1 AND account_id = ?2")
            .map_err(|e| w.store_err(e))?;
        let mut has_rows = tx
            .prepare_cached("INSERT OR IGNORE INTO history_accounts (account_id) VALUES (?1)")
            .map_err(|e| w.store_err(e))?;
        for r in rows.iter().filter(|r| r.days.iter().any(|(_, h)| h.score.is_some())) {
            has_rows.execute([r.account_id]).map_err(|e| w.store_err(e))?;
        }
        // Scores go in BATCH rows to a statement: a statement per row cost more than the row
        // (a new day's pass writes about ten rows for each account of the book).
        let mut batch = tx
            .prepare_cached(&format!(
                "INSERT OR REPLACE INTO health_history (day, account_id, score, points) VALUES {}",
                vec!["(?, ?, ?, ?)"; BATCH].join(", ")
            ))
            .map_err(|e| w.store_err(e))?;
        let mut pending: Vec<[i64; 4]> = Vec::with_capacity(BATCH);
        for (day, id, replace, health) in &ordered {
            match health.and_then(|h| h.score.map(|s| (s, h.points))) {
                Some((score, points)) => {
                    pending.push([*day, *id, i64::from(score), points.0]);
                    if pending.len() == BATCH {
                        batch
                            .execute(rusqlite::params_from_iter(pending.drain(..).flatten()))
                            .map_err(|e| w.store_err(e))?;
                    }
                    Ok(0)
                }
                None if *replace => delete.execute(rusqlite::params![day, id]),
                None => Ok(0),
            }
            .map_err(|e| w.store_err(e))?;
        }
        for [day, id, score, points] in pending {
            upsert.execute(rusqlite::params![day, id, score, points]).map_err(|e| w.store_err(e))?;
        }
        Ok(())
    }
}

/// Each account's facts version, read on `conn`.
fn facts_versions_on(conn: &rusqlite::Connection) -> rusqlite::Result<std::collections::HashMap<i64, i64>> {
    let mut stmt = conn.prepare("SELECT id, facts_version FROM accounts")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}
