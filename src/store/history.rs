//! The health history cache: every account's score on the days the screens read (today and each
//! window back), which days are complete, and which accounts changed since. What goes in is computed by `book::history`.
//!
//! One row per account holds its scores on every kept day, packed (`pack`): a new day's pass
//! rewrites each account's row once, with the days no screen reads any more left out, rather
//! than inserting a row per account per new day and deleting as many (at 100,000 accounts, half a
//! million of each), and Triage reads each account's anchor days from one row rather than each
//! day's rows as a range of its own.

use chrono::NaiveDate;
use rusqlite::OptionalExtension;

use super::{Result, Store};
use crate::domain::history::{DayHealth, PackedPoints};

const FINGERPRINT_KEY: &str = "history_fingerprint";
const MAX_ACCOUNT_KEY: &str = "history_max_account";
/// The newest day a pass has worked history out for (`Store::note_history_day`).
const NEWEST_KEY: &str = "history_newest_day";

/// Whether a pass as of `today` is older than the newest day a pass has worked history out for,
/// read in the transaction (or on the connection) asked. Such a pass (a tend open as of an
/// earlier day: left open overnight, or `--as-of` a day gone) neither drops another day's
/// history from the rows it writes nor marks its own days complete, nor drops days: a probe's
/// tend open as of Sunday, working that day out again, had taken the next week's days out of
/// every account's row while they stayed marked complete, and the next week's Triage lost its
/// change column until Ctrl-R. A newest day still to come on this machine's clock (a faked
/// clock's) is none.
fn older_on(conn: &rusqlite::Connection, today: NaiveDate) -> rusqlite::Result<bool> {
    Ok(newest_on(conn)?.is_some_and(|newest| newest > today))
}

/// The newest day a pass has worked history out for, unless it is still to come on this
/// machine's clock (`older_on`).
fn newest_on(conn: &rusqlite::Connection) -> rusqlite::Result<Option<NaiveDate>> {
    let newest: Option<String> =
        conn.query_row("SELECT value FROM book_meta WHERE key = ?1", [NEWEST_KEY], |r| r.get(0)).optional()?;
    let clock = chrono::Local::now().date_naive();
    Ok(newest.and_then(|d| d.parse::<NaiveDate>().ok()).filter(|newest| *newest <= clock))
}

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
    /// Each account's first score since a day without one, where worked out (`HistoryRows`).
    first_scores: std::collections::HashMap<i64, Option<(NaiveDate, DayHealth)>>,
}

impl HistoryOverlay {
    /// Worked out for every account on `days` (the rest from `set` alone).
    pub fn new(whole: &[NaiveDate]) -> HistoryOverlay {
        HistoryOverlay {
            whole_days: whole.iter().map(|d| day_number(*d)).collect(),
            days: Default::default(),
            first_scores: Default::default(),
        }
    }

    /// The account's health on the day (no score: None).
    pub fn set(&mut self, account_id: i64, day: NaiveDate, health: Option<DayHealth>) {
        self.days.entry(day_number(day)).or_default().insert(account_id, health.filter(|h| h.score.is_some()));
    }

    /// The account's first score since a day without one (`HistoryRows::first_score`), or none.
    pub fn set_first_score(&mut self, account_id: i64, first: Option<(NaiveDate, DayHealth)>) {
        self.first_scores.insert(account_id, first);
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

/// Bytes of one day in a packed row: the day number (i32), the score (u8), the points (i64).
const ENTRY: usize = 4 + 1 + 8;

/// One account's health on its days (each with a score, by day), packed for its row.
fn pack(days: &[(i64, DayHealth)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(days.len() * ENTRY);
    for (day, health) in days {
        let Some(score) = health.score else { continue };
        out.extend_from_slice(&(*day as i32).to_le_bytes());
        out.push(score);
        out.extend_from_slice(&health.points.0.to_le_bytes());
    }
    out
}

/// The days of a packed row, by day. A row cut short (another program's write) ends where it
/// stops making sense.
fn unpack(blob: &[u8]) -> impl Iterator<Item = (i64, DayHealth)> + '_ {
    blob.chunks_exact(ENTRY).map(|e| {
        let day = i32::from_le_bytes([e[0], e[1], e[2], e[3]]);
        let points = i64::from_le_bytes([e[5], e[6], e[7], e[8], e[9], e[10], e[11], e[12]]);
        (i64::from(day), DayHealth { score: Some(e[4]), points: PackedPoints(points) })
    })
}

/// The account's health on `day` in a packed row.
fn unpack_day(blob: &[u8], day: i64) -> Option<DayHealth> {
    unpack(blob).find(|(d, _)| *d == day).map(|(_, h)| h)
}

/// The first score of a packed row (`HistoryRows::first_score`): kept as an entry of its own
/// whose day number is negated, which no day asked of a row ever is (days since 1970).
fn unpack_first_score(blob: &[u8]) -> Option<(NaiveDate, DayHealth)> {
    unpack(blob).find(|(d, _)| *d < 0).map(|(d, h)| (day_of(-d), h))
}

/// A first score as a packed row's entry (`unpack_first_score`).
fn first_score_entry((day, health): (NaiveDate, DayHealth)) -> (i64, DayHealth) {
    (-day_number(day), health)
}

/// One account's health on the days of one write.
pub struct HistoryRows {
    pub account_id: i64,
    /// The account had history already: days it now has no score on must be cleared.
    pub replace: bool,
    pub days: Vec<(NaiveDate, DayHealth)>,
    /// Where worked out (Some): the account's first score since its latest anchor day without
    /// one, where a later anchor day has one (`book::history::first_score`), or none; the row's
    /// own is kept otherwise. A fall from a window's start without a score is read from it.
    pub first_score: Option<Option<(NaiveDate, DayHealth)>>,
}

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
                     DELETE FROM history_stale;
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

    /// Which of `ids` (sorted) have any history.
    pub fn accounts_with_history(&self, ids: &[i64]) -> Result<std::collections::HashSet<i64>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT 1 FROM health_history WHERE account_id = ?1")
            .map_err(|e| self.err(e))?;
        let mut out = std::collections::HashSet::new();
        for id in ids {
            if stmt.exists([id]).map_err(|e| self.err(e))? {
                out.insert(*id);
            }
        }
        Ok(out)
    }

    /// Note that a pass works history out as of `today`: the newest such day governs which days
    /// the rows keep (`older_on`).
    pub fn note_history_day(&mut self, today: NaiveDate) -> Result<()> {
        if self.read_only().is_some() || newest_on(self.conn()).map_err(|e| self.err(e))?.is_some_and(|n| n >= today) {
            return Ok(());
        }
        self.write_derived(|w| w.set_meta(NEWEST_KEY, &today.to_string()))
    }

    /// Whether a pass as of `today` is older than the newest (`older_on`).
    pub fn history_older_than_newest(&self, today: NaiveDate) -> Result<bool> {
        older_on(self.conn(), today).map_err(|e| self.err(e))
    }

    /// Record that `days` are complete, that `fresh` accounts (with the facts version their
    /// history was recomputed for) are current, and the highest account id the history has seen.
    /// A mark a write has renewed since (a newer version) stays: that history is recomputed next.
    /// Nothing, from a pass as of a day older than the newest (`older_on`): its days may have
    /// been dropped from rows written since, and the accounts it worked out again are current
    /// for its days only.
    pub fn finish_history(
        &mut self,
        today: NaiveDate,
        days: &[NaiveDate],
        fresh: &[(i64, i64)],
        max_account: i64,
    ) -> Result<()> {
        self.write_derived(|w| {
            if older_on(w.tx(), today).map_err(|e| w.store_err(e))? {
                return Ok(());
            }
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
    /// on): they are no longer complete, and each account's row leaves them out the next time it
    /// is written (a new day's pass writes every account's). Returns how many days were dropped.
    /// Nothing is written when there is nothing to drop.
    pub fn keep_history_days(&mut self, today: NaiveDate, keep: &[NaiveDate]) -> Result<usize> {
        if self.read_only().is_some() || self.history_older_than_newest(today)? {
            return Ok(0);
        }
        let keep: std::collections::HashSet<i64> = keep.iter().map(|d| day_number(*d)).collect();
        let drop: Vec<i64> = self
            .query_list("SELECT day FROM history_days ORDER BY day", [], |r| r.get::<_, i64>(0))?
            .into_iter()
            .filter(|d| !keep.contains(d))
            .collect();
        if drop.is_empty() {
            return Ok(0);
        }
        self.write_derived(|w| {
            for day in &drop {
                w.exec("DELETE FROM history_days WHERE day = ?1", [day])?;
                // The head of a list worked out as of a day dropped read its history: kept, a tend
                // opening as of that day (another's clock) showed it, and read the rest of its
                // book, with the day's history gone, as worked out (no change column, no falls).
                w.exec("DELETE FROM triage_heads WHERE day = ?1", [day_of(*day).to_string()])?;
            }
            Ok(0)
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
        let on = self.history_on_days(&[day], ids)?;
        Ok(on.into_iter().filter_map(|row| Some((row.id, row.days[0]?))).collect())
    }

    /// The health on each of `days` of every account whose id is in `ids` and that has a score on
    /// any of them, by account id, with its first score (`HistoryRows::first_score`): one read of
    /// each account's row for every day asked.
    pub fn history_on_days(&self, days: &[NaiveDate], ids: std::ops::RangeInclusive<i64>) -> Result<Vec<DaysHealth>> {
        let numbers: Vec<i64> = days.iter().map(|d| day_number(*d)).collect();
        let overlay = self.history_overlay.as_deref();
        // Days the overlay holds whole are not read from the rows.
        let read: Vec<bool> = numbers.iter().map(|n| !overlay.is_some_and(|o| o.whole_days.contains(n))).collect();
        let mut out: Vec<DaysHealth> = Vec::new();
        if self.caches_trusted() && read.iter().any(|r| *r) {
            let mut stmt = self
                .conn()
                .prepare_cached(
                    "SELECT account_id, days FROM health_history WHERE account_id BETWEEN ?1 AND ?2 ORDER BY account_id",
                )
                .map_err(|e| self.err(e))?;
            let mut rows = stmt.query([ids.start(), ids.end()]).map_err(|e| self.err(e))?;
            while let Some(row) = rows.next().map_err(|e| self.err(e))? {
                let id: i64 = row.get(0).map_err(|e| self.err(e))?;
                let blob = row.get_ref(1).map_err(|e| self.err(e))?.as_blob().unwrap_or_default();
                let mut found = vec![None; numbers.len()];
                let mut first_score = None;
                for (day, health) in unpack(blob) {
                    if day < 0 {
                        first_score = Some((day_of(-day), health));
                    } else if let Some(k) = numbers.iter().position(|n| *n == day).filter(|k| read[*k]) {
                        found[k] = Some(health);
                    }
                }
                if found.iter().any(Option::is_some) {
                    out.push(DaysHealth { id, days: found, first_score });
                }
            }
        }
        let Some(overlay) = overlay else { return Ok(out) };
        // What was worked out in memory goes over the rows.
        let mut by_id: std::collections::BTreeMap<i64, DaysHealth> = out.into_iter().map(|r| (r.id, r)).collect();
        let row = |id: i64| DaysHealth { id, days: vec![None; numbers.len()], first_score: None };
        for (k, n) in numbers.iter().enumerate() {
            let Some(worked) = overlay.days.get(n) else { continue };
            for (id, health) in worked.iter().filter(|(id, _)| ids.contains(*id)) {
                by_id.entry(*id).or_insert_with(|| row(*id)).days[k] = *health;
            }
        }
        for (id, first) in overlay.first_scores.iter().filter(|(id, _)| ids.contains(*id)) {
            by_id.entry(*id).or_insert_with(|| row(*id)).first_score = *first;
        }
        Ok(by_id.into_values().filter(|r| r.days.iter().any(Option::is_some)).collect())
    }

    /// One account's stored health on each day from `from` to `to` that has a score.
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
        let blob = self.stored_row(account_id)?;
        let mut out = Vec::new();
        for n in day_number(from)..=day_number(to) {
            let health = match overlay.and_then(|o| o.get(n, account_id)) {
                Some(worked) => worked,
                None => unpack_day(&blob, n),
            };
            if let Some(h) = health {
                out.push((day_of(n), h));
            }
        }
        Ok(out)
    }
}

impl Store {
    /// One account's first score since a day without one (`HistoryRows::first_score`).
    pub fn account_first_score(&self, account_id: i64) -> Result<Option<(NaiveDate, DayHealth)>> {
        if let Some(worked) = self.history_overlay.as_deref().and_then(|o| o.first_scores.get(&account_id)) {
            return Ok(*worked);
        }
        Ok(unpack_first_score(&self.stored_row(account_id)?))
    }

    /// One account's packed row as stored, empty where it has none or the caches are not to be
    /// trusted (`caches_trusted`).
    fn stored_row(&self, account_id: i64) -> Result<Vec<u8>> {
        if !self.caches_trusted() {
            return Ok(Vec::new());
        }
        let blob: Option<Vec<u8>> = self
            .conn()
            .prepare_cached("SELECT days FROM health_history WHERE account_id = ?1")
            .and_then(|mut s| s.query_row([account_id], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))?;
        Ok(blob.unwrap_or_default())
    }
}

/// One account's health on each day asked (`Store::history_on_days`), and its first score.
pub struct DaysHealth {
    pub id: i64,
    pub days: Vec<Option<DayHealth>>,
    pub first_score: Option<(NaiveDate, DayHealth)>,
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
            for table in ["factor_snapshots", "fact_digests", "health_history", "history_stale"] {
                conn.execute(&format!("DELETE FROM {table} WHERE account_id = ?1"), [id])?;
            }
        }
        Ok(changed.into_iter().map(|(id, _)| id).collect())
    }
}

impl super::writer::Writer<'_> {
    /// Write computed history in this transaction (a pass writes a book a range of accounts at a
    /// time): each account's row becomes the days it had
    /// that are in `kept` (the days complete once this write is), with the days written that are
    /// in it put in (a day without a score taken out). A row left with no day is deleted. From a
    /// pass as of `today` older than the newest (`older_on`), the rows keep the days of the
    /// history complete besides.
    pub(crate) fn write_history(&mut self, today: NaiveDate, rows: &[HistoryRows], kept: &[NaiveDate]) -> Result<()> {
        let w = self;
        let mut kept: Vec<i64> = kept.iter().map(|d| day_number(*d)).collect();
        if older_on(w.tx(), today).map_err(|e| w.store_err(e))? {
            let mut complete = w.tx().prepare_cached("SELECT day FROM history_days").map_err(|e| w.store_err(e))?;
            let days = complete.query_map([], |r| r.get::<_, i64>(0)).map_err(|e| w.store_err(e))?;
            for day in days {
                let day = day.map_err(|e| w.store_err(e))?;
                if !kept.contains(&day) {
                    kept.push(day);
                }
            }
        }
        let rows: Vec<&HistoryRows> = rows.iter().filter(|r| !r.days.is_empty()).collect();
        // An account worked out on every kept day, its first score too, needs none of its row:
        // only the others' rows are read, in one pass over the range of ids written.
        let whole = |r: &HistoryRows| {
            r.first_score.is_some() && kept.iter().all(|k| r.days.iter().any(|(d, _)| day_number(*d) == *k))
        };
        let partial: Vec<i64> = rows.iter().filter(|r| !whole(r)).map(|r| r.account_id).collect();
        let mut stored: std::collections::HashMap<i64, Vec<u8>> = std::collections::HashMap::new();
        if let (Some(lo), Some(hi)) = (partial.iter().min(), partial.iter().max()) {
            let mut read = w
                .tx()
                .prepare_cached("SELECT account_id, days FROM health_history WHERE account_id BETWEEN ?1 AND ?2")
                .map_err(|e| w.store_err(e))?;
            let wanted: std::collections::HashSet<i64> = partial.iter().copied().collect();
            let found = read
                .query_map([lo, hi], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
                .map_err(|e| w.store_err(e))?;
            for row in found {
                let (id, blob) = row.map_err(|e| w.store_err(e))?;
                if wanted.contains(&id) {
                    stored.insert(id, blob);
                }
            }
        }
        let tx = w.tx();
        let upsert = |n: usize| {
            let values = vec!["(?, ?)"; n].join(", ");
            tx.prepare_cached(&format!("INSERT OR REPLACE INTO health_history (account_id, days) VALUES {values}"))
        };
        let mut delete =
            tx.prepare_cached("DELETE FROM health_history WHERE account_id = ?1").map_err(|e| w.store_err(e))?;
        let mut pending: Vec<(i64, Vec<u8>)> = Vec::with_capacity(super::writer::BATCH);
        let flush = |pending: &mut Vec<(i64, Vec<u8>)>| -> rusqlite::Result<usize> {
            if pending.is_empty() {
                return Ok(0);
            }
            let params: Vec<&dyn rusqlite::ToSql> =
                pending.iter().flat_map(|(id, blob)| [id as &dyn rusqlite::ToSql, blob]).collect();
            let n = upsert(pending.len())?.execute(params.as_slice())?;
            pending.clear();
            Ok(n)
        };
        for r in rows {
            let written: Vec<(i64, DayHealth)> = r.days.iter().map(|(d, h)| (day_number(*d), *h)).collect();
            let mut days: Vec<(i64, DayHealth)> = stored
                .get(&r.account_id)
                .map(|blob| {
                    unpack(blob).filter(|(d, _)| kept.contains(d) && !written.iter().any(|(w, _)| w == d)).collect()
                })
                .unwrap_or_default();
            days.extend(written.into_iter().filter(|(d, h)| h.score.is_some() && kept.contains(d)));
            days.sort_unstable_by_key(|(d, _)| *d);
            // The first score goes with a row that has days, worked out again or kept.
            let first_score = match r.first_score {
                Some(worked) => worked,
                None => stored.get(&r.account_id).and_then(|blob| unpack_first_score(blob)),
            };
            if let Some(first) = first_score.filter(|_| !days.is_empty()) {
                days.insert(0, first_score_entry(first));
            }
            match days.is_empty() {
                // Nothing to delete for an account that had no row and has no score now.
                true if !r.replace && !stored.contains_key(&r.account_id) => Ok(0),
                true => delete.execute([r.account_id]),
                false => {
                    pending.push((r.account_id, pack(&days)));
                    match pending.len() == super::writer::BATCH {
                        true => flush(&mut pending),
                        false => Ok(0),
                    }
                }
            }
            .map_err(|e| w.store_err(e))?;
        }
        flush(&mut pending).map_err(|e| w.store_err(e))?;
        Ok(())
    }
}

/// Each account's facts version, read on `conn`.
fn facts_versions_on(conn: &rusqlite::Connection) -> rusqlite::Result<std::collections::HashMap<i64, i64>> {
    let mut stmt = conn.prepare("SELECT id, facts_version FROM accounts")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn scored(score: u8, points: i64) -> DayHealth {
        DayHealth { score: Some(score), points: PackedPoints(points) }
    }

    const NONE: DayHealth = DayHealth { score: None, points: PackedPoints(0) };

    #[test]
    fn a_packed_row_holds_its_scored_days_and_a_cut_row_what_is_whole() {
        let days = [(20_000, scored(0, -1)), (20_007, NONE), (20_030, scored(100, i64::MAX))];
        let blob = pack(&days);
        assert_eq!(blob.len(), 2 * ENTRY, "a day without a score takes no room");
        assert_eq!(unpack(&blob).collect::<Vec<_>>(), vec![days[0], days[2]]);
        assert_eq!(unpack_day(&blob, 20_030), Some(days[2].1));
        assert_eq!(unpack_day(&blob, 20_007), None);
        assert_eq!(unpack(&blob[..ENTRY + 5]).count(), 1, "a row cut short keeps its whole days");
    }

    /// Dropping a day's history drops the head of a list worked out as of it, which read it; the
    /// heads of the days kept stay.
    #[test]
    fn a_day_dropped_takes_the_head_worked_out_as_of_it() {
        let mut store = Store::open_in_memory().unwrap();
        store.finish_history(d("2026-11-23"), &[d("2026-11-16"), d("2026-11-23")], &[], 0).unwrap();
        for (scope, day) in [("", "2026-11-16"), ("@next", "2026-11-23")] {
            let head = crate::store::triage::StoredHead {
                day: d(day),
                config: "rules".into(),
                generation: store.generation().unwrap(),
                body: "{}".into(),
            };
            assert!(store.save_triage_head(scope, &head).unwrap());
        }
        assert_eq!(store.keep_history_days(d("2026-11-23"), &[d("2026-11-23")]).unwrap(), 1);
        assert!(store.triage_head("").unwrap().is_none(), "the dropped day's head is gone");
        assert!(store.triage_head("@next").unwrap().is_some(), "the kept day's stays");
    }

    fn write(store: &mut Store, id: i64, replace: bool, days: &[(&str, DayHealth)], kept: &[&str]) {
        write_first(store, id, replace, days, kept, None);
    }

    fn write_first(
        store: &mut Store,
        id: i64,
        replace: bool,
        days: &[(&str, DayHealth)],
        kept: &[&str],
        first_score: Option<Option<(NaiveDate, DayHealth)>>,
    ) {
        let days = days.iter().map(|(day, h)| (d(day), *h)).collect();
        let rows = [HistoryRows { account_id: id, replace, days, first_score }];
        let kept: Vec<NaiveDate> = kept.iter().map(|day| d(day)).collect();
        store.write_derived(|w| w.write_history(d("2026-12-31"), &rows, &kept)).unwrap();
    }

    /// A row keeps the account's first score, read apart from its days, through writes that did
    /// not work it out (a day added to some accounts), until one that did says another or none.
    #[test]
    fn a_row_keeps_its_first_score_until_one_worked_out_says_otherwise() {
        let mut store = Store::open_in_memory().unwrap();
        let kept = ["2026-11-23", "2026-11-30"];
        let first = (d("2026-11-20"), scored(70, 9));
        write_first(&mut store, 7, false, &[("2026-11-23", scored(50, 2))], &kept, Some(Some(first)));
        let read = |store: &Store| {
            let on = store.history_on_days(&[d("2026-11-23"), d("2026-11-30")], 7..=7).unwrap();
            (store.account_first_score(7).unwrap(), on.into_iter().next().and_then(|r| r.first_score))
        };
        assert_eq!(read(&store), (Some(first), Some(first)));
        assert_eq!(stored(&store, 7), vec![(d("2026-11-23"), Some(50))], "no day of its own");
        // A write of every kept day that did not work it out keeps it.
        write_first(&mut store, 7, false, &[("2026-11-23", scored(48, 2)), ("2026-11-30", scored(40, 3))], &kept, None);
        assert_eq!(read(&store), (Some(first), Some(first)));
        // One that did, and found none: gone.
        write_first(&mut store, 7, false, &[("2026-11-30", scored(41, 3))], &kept, Some(None));
        assert_eq!(read(&store), (None, None));
        assert_eq!(stored(&store, 7), vec![(d("2026-11-23"), Some(48)), (d("2026-11-30"), Some(41))]);
    }

    fn stored(store: &Store, id: i64) -> Vec<(NaiveDate, Option<u8>)> {
        store
            .account_history(id, d("2026-01-01"), d("2026-12-31"))
            .unwrap()
            .into_iter()
            .map(|(day, h)| (day, h.score))
            .collect()
    }

    /// A write puts its days into the account's row over what the row had, takes out a day worked
    /// out without a score, and leaves out the days not kept; a row left with nothing goes.
    #[test]
    fn a_write_merges_its_days_into_the_row_and_keeps_only_the_kept_days() {
        let mut store = Store::open_in_memory().unwrap();
        let kept = ["2026-11-01", "2026-11-23", "2026-11-30"];
        write(&mut store, 7, false, &[("2026-11-01", scored(40, 1)), ("2026-11-23", scored(50, 2))], &kept);
        write(&mut store, 8, false, &[("2026-11-30", scored(90, 3))], &kept);
        assert_eq!(stored(&store, 7), vec![(d("2026-11-01"), Some(40)), (d("2026-11-23"), Some(50))]);
        // A new day added; Nov 1 is no longer kept; Nov 23 worked out again without a score.
        let kept = ["2026-11-23", "2026-11-30", "2026-12-07"];
        write(&mut store, 7, false, &[("2026-11-23", NONE), ("2026-12-07", scored(60, 4))], &kept);
        assert_eq!(stored(&store, 7), vec![(d("2026-12-07"), Some(60))]);
        let on = store.history_on_days(&[d("2026-11-30"), d("2026-12-07")], 1..=10).unwrap();
        let scores: Vec<(i64, Vec<Option<u8>>)> =
            on.into_iter().map(|r| (r.id, r.days.iter().map(|h| h.and_then(|h| h.score)).collect())).collect();
        assert_eq!(scores, vec![(7, vec![None, Some(60)]), (8, vec![Some(90), None])]);
        // A day written that is not kept is left out.
        write(&mut store, 9, false, &[("2026-11-01", scored(10, 5))], &kept);
        assert!(stored(&store, 9).is_empty());
        // Worked out again with no score on any day: the row goes.
        write(&mut store, 7, true, &[("2026-12-07", NONE)], &kept);
        assert!(stored(&store, 7).is_empty());
        assert_eq!(store.accounts_with_history(&[7, 8]).unwrap(), [8].into_iter().collect());
    }
}
