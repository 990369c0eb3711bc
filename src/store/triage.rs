//! What triage reads beyond the portfolio (open risks, goals off track) and the marks it keeps.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{Result, Store};
use crate::domain::triage::{Mark, MarkState};

const OPEN_RISKS: &str = "SELECT account_id, count(*) FROM entries
     WHERE kind = 'risk' AND deleted_at IS NULL AND day <= ?1 AND (closed_on IS NULL OR closed_on > ?1)";
const GOALS_OFF_TRACK: &str =
    "SELECT account_id, count(*) FROM goals WHERE deleted_at IS NULL AND status = 'off_track' AND created_on <= ?1";

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
        },
    ))
}

impl Store {
    /// Open risk flags per account on `as_of` (raised by then, not yet cleared).
    pub fn open_risks(&self, as_of: NaiveDate) -> Result<HashMap<i64, u32>> {
        self.counts(&format!("{OPEN_RISKS} GROUP BY account_id"), as_of)
    }

    /// Goals whose current status is off track, per account.
    pub fn goals_off_track(&self, as_of: NaiveDate) -> Result<HashMap<i64, u32>> {
        self.counts(&format!("{GOALS_OFF_TRACK} GROUP BY account_id"), as_of)
    }

    /// The same two counts for one account (after a write).
    pub fn account_triage_counts(&self, account_id: i64, as_of: NaiveDate) -> Result<(u32, u32)> {
        let one = |sql: &str| -> Result<u32> {
            let sql = format!("{sql} AND account_id = ?2 GROUP BY account_id");
            let mut stmt = self.conn().prepare_cached(&sql).map_err(|e| self.err(e))?;
            let mut rows = stmt.query(rusqlite::params![as_of, account_id]).map_err(|e| self.err(e))?;
            Ok(match rows.next().map_err(|e| self.err(e))? {
                Some(r) => r.get(1).map_err(|e| self.err(e))?,
                None => 0,
            })
        };
        Ok((one(OPEN_RISKS)?, one(GOALS_OFF_TRACK)?))
    }

    fn counts(&self, sql: &str, as_of: NaiveDate) -> Result<HashMap<i64, u32>> {
        Ok(self.query_list(sql, [as_of], |r| Ok((r.get(0)?, r.get(1)?)))?.into_iter().collect())
    }

    pub fn triage_marks(&self) -> Result<HashMap<i64, Mark>> {
        Ok(self
            .query_list("SELECT account_id, state, marked_on, until, reasons FROM triage_marks", [], read_mark)?
            .into_iter()
            .collect())
    }

    /// Mark an account handled or snoozed, or clear its mark.
    pub fn set_triage_mark(&mut self, account_id: i64, mark: Option<&Mark>) -> Result<()> {
        self.write(|w| match mark {
            Some(m) => w.exec(
                "INSERT OR REPLACE INTO triage_marks (account_id, state, marked_on, until, reasons)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![account_id, m.state.key(), m.marked_on, m.until, m.reasons.join(",")],
            ),
            None => w.exec("DELETE FROM triage_marks WHERE account_id = ?1", [account_id]),
        })
    }
}
