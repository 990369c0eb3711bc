//! What triage reads beyond the portfolio (open risks, goals off track) and the marks it keeps.

use std::collections::HashMap;

use chrono::NaiveDate;

use rusqlite::OptionalExtension;

use super::{Result, Store};
use crate::domain::triage::{Mark, MarkState};

const OPEN_RISKS: &str = "SELECT account_id, count(*) FROM entries
     WHERE kind = 'risk' AND deleted_at IS NULL AND day <= ?1 AND (closed_on IS NULL OR closed_on > ?1)";
const GOALS_OFF_TRACK: &str =
    "SELECT account_id, count(*) FROM goals WHERE deleted_at IS NULL AND status = 'off_track' AND created_on <= ?1";
/// Goals still open (on track or at risk) whose target day has passed: a back-dated "Go live" a
/// probe's week later still read on track, with nothing in Triage.
const GOALS_PAST_TARGET: &str = "SELECT account_id, count(*) FROM goals WHERE deleted_at IS NULL \
     AND status IN ('on_track', 'at_risk') AND target_date IS NOT NULL AND target_date < ?1 AND created_on <= ?1";

fn read_mark(r: &rusqlite::Row) -> rusqlite::Result<(i64, Mark)> {
    let state: String = r.get(1)?;
    let reasons: String = r.get(4)?;
    Ok((
        r.get(0)?,
        Mark {
            state: MarkState::from_key(&state).unwrap_or(MarkState::Handled),
            marked_on: r.get(2)?,
            until: r.get(3)?,
            reasons: reasons.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            by: r.get(5)?,
        },
    ))
}

/// A stored triage head (see `book::triage_head`): the text is the book layer's.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredHead {
    pub day: NaiveDate,
    pub config: String,
    pub generation: i64,
    pub body: String,
}

impl Store {
    /// How many write transactions the book has seen (0 for a book none has written since it
    /// started counting).
    pub fn generation(&self) -> Result<i64> {
        self.conn()
            .query_row(
                "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM book_meta WHERE key = 'generation'), 0)",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Set one of the book's facts about itself, outside any change the book counts (what a
    /// team book's snapshot notes of the team book).
    pub fn set_book_meta(&mut self, key: &str, value: &str) -> Result<()> {
        Store::set_meta_on(self.conn(), key, value).map_err(|e| self.err(e))
    }

    /// `set_book_meta` on `conn`, in a transaction of the caller's (a team book's pull notes the
    /// team book's write counts in the transaction that pulls its rows: `team::replica`).
    pub(crate) fn set_meta_on(conn: &rusqlite::Connection, key: &str, value: &str) -> rusqlite::Result<()> {
        conn.execute("INSERT OR REPLACE INTO book_meta (key, value) VALUES (?1, ?2)", [key, value])?;
        Ok(())
    }

    /// The triage head stored for `scope`, if any.
    pub fn triage_head(&self, scope: &str) -> Result<Option<StoredHead>> {
        self.conn()
            .prepare_cached("SELECT day, config, generation, body FROM triage_heads WHERE scope = ?1")
            .and_then(|mut s| {
                s.query_row([scope], |r| {
                    Ok(StoredHead { day: r.get(0)?, config: r.get(1)?, generation: r.get(2)?, body: r.get(3)? })
                })
                .optional()
            })
            .map_err(|e| self.err(e))
    }

    /// Store a triage head worked out from the book at generation `head.generation`, unless a
    /// write has come in since (then it is already out of date, and nothing is stored). Storing
    /// it does not count as a write. Returns whether it was stored; a read-only book stores
    /// nothing.
    pub fn save_triage_head(&mut self, scope: &str, head: &StoredHead) -> Result<bool> {
        if self.read_only().is_some() || self.generation()? != head.generation {
            return Ok(false);
        }
        // A shortcut is not worth waiting for: a book another program is writing goes without.
        self.conn().busy_timeout(std::time::Duration::ZERO).map_err(|e| self.err(e))?;
        let saved = self.save_head_now(scope, head);
        self.conn().busy_timeout(super::BUSY_TIMEOUT).map_err(|e| self.err(e))?;
        saved
    }

    fn save_head_now(&mut self, scope: &str, head: &StoredHead) -> Result<bool> {
        self.write_derived(|w| {
            let now: i64 = w
                .tx()
                .query_row("SELECT coalesce((SELECT CAST(value AS INTEGER) FROM book_meta WHERE key = 'generation'), 0)", [], |r| r.get(0))
                .map_err(|e| w.store_err(e))?;
            if now != head.generation {
                return Ok(false);
            }
            w.exec(
                "INSERT OR REPLACE INTO triage_heads (scope, day, config, generation, body) VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![scope, head.day, head.config, now, head.body],
            )?;
            Ok(true)
        })
    }

    /// Open risk flags per account on `as_of` (raised by then, not yet cleared).
    pub fn open_risks(&self, as_of: NaiveDate) -> Result<HashMap<i64, u32>> {
        self.counts(&format!("{OPEN_RISKS} GROUP BY account_id"), as_of)
    }

    /// The middle ARR of the customers with one on record (churned ones aside): what an account
    /// without an ARR is ranked as (`TriageBook::unknown_arr`). None when no customer has one.
    pub fn median_arr(&self) -> Result<Option<crate::domain::Cents>> {
        let mut arr: Vec<i64> =
            self.query_list("SELECT arr_cents FROM accounts WHERE status <> 'churned' AND arr_cents > 0", [], |r| {
                r.get(0)
            })?;
        Ok(crate::domain::account::median(&mut arr).map(crate::domain::Cents))
    }

    /// Goals whose current status is off track, per account.
    pub fn goals_off_track(&self, as_of: NaiveDate) -> Result<HashMap<i64, u32>> {
        self.counts(&format!("{GOALS_OFF_TRACK} GROUP BY account_id"), as_of)
    }

    /// Goals still open past their target day, per account.
    pub fn goals_past_target(&self, as_of: NaiveDate) -> Result<HashMap<i64, u32>> {
        self.counts(&format!("{GOALS_PAST_TARGET} GROUP BY account_id"), as_of)
    }

    /// The same three counts for one account (after a write).
    pub fn account_triage_counts(&self, account_id: i64, as_of: NaiveDate) -> Result<(u32, u32, u32)> {
        let one = |sql: &str| -> Result<u32> {
            let sql = format!("{sql} AND account_id = ?2 GROUP BY account_id");
            let mut stmt = self.conn().prepare_cached(&sql).map_err(|e| self.err(e))?;
            let mut rows = stmt.query(rusqlite::params![as_of, account_id]).map_err(|e| self.err(e))?;
            Ok(match rows.next().map_err(|e| self.err(e))? {
                Some(r) => r.get(1).map_err(|e| self.err(e))?,
                None => 0,
            })
        };
        Ok((one(OPEN_RISKS)?, one(GOALS_OFF_TRACK)?, one(GOALS_PAST_TARGET)?))
    }

    fn counts(&self, sql: &str, as_of: NaiveDate) -> Result<HashMap<i64, u32>> {
        Ok(self.query_list(sql, [as_of], |r| Ok((r.get(0)?, r.get(1)?)))?.into_iter().collect())
    }

    pub fn triage_marks(&self) -> Result<HashMap<i64, Mark>> {
        Ok(self
            .query_list(
                "SELECT m.account_id, m.state, m.marked_on, m.until, m.reasons, c.name
                 FROM triage_marks m LEFT JOIN csms c ON c.id = m.csm_id",
                [],
                read_mark,
            )?
            .into_iter()
            .collect())
    }

    /// Mark an account handled or snoozed, or clear its mark.
    pub fn set_triage_mark(&mut self, account_id: i64, mark: Option<&Mark>) -> Result<()> {
        self.write(|w| w.set_triage_mark(account_id, mark))
    }
}

impl super::Writer<'_> {
    /// Mark an account handled or snoozed, or clear its mark.
    pub fn set_triage_mark(&mut self, account_id: i64, mark: Option<&Mark>) -> Result<()> {
        match mark {
            // Signed by a CSM the book knows: marking creates no CSM.
            Some(m) => self.exec(
                "INSERT OR REPLACE INTO triage_marks (account_id, state, marked_on, until, reasons, csm_id)
                 VALUES (?1, ?2, ?3, ?4, ?5,
                         (SELECT id FROM csms WHERE name = ?6 COLLATE NOCASE ORDER BY id LIMIT 1))",
                rusqlite::params![account_id, m.state.key(), m.marked_on, m.until, m.reasons.join(","), m.by],
            ),
            None => self.exec("DELETE FROM triage_marks WHERE account_id = ?1", [account_id]),
        }
    }
}
