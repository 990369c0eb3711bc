//! Playbook episodes: while a playbook's trigger holds for an account, one open episode, so its
//! tasks open once.

use std::collections::HashSet;

use chrono::NaiveDate;
use rusqlite::params;

use super::writer::Writer;
use super::{Result, Store};

impl Store {
    /// Every open episode, as (playbook, account id).
    pub fn open_episodes(&self) -> Result<HashSet<(String, i64)>> {
        let rows: Vec<(String, i64)> =
            self.query_list("SELECT playbook, account_id FROM playbook_episodes WHERE ended_on IS NULL", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        Ok(rows.into_iter().collect())
    }

    /// One account's open episodes, by playbook.
    pub fn account_open_episodes(&self, account_id: i64) -> Result<HashSet<(String, i64)>> {
        let rows: Vec<(String, i64)> = self.query_list(
            "SELECT playbook, account_id FROM playbook_episodes WHERE ended_on IS NULL AND account_id = ?1",
            [account_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(rows.into_iter().collect())
    }
}

impl Writer<'_> {
    /// A new episode, or with `resume` the one that ended on `day` resumed (true): a write undone
    /// brings back the trigger it had ended, and that is the same episode, its tasks not opened
    /// twice.
    pub fn start_episode(&mut self, playbook: &str, account_id: i64, day: NaiveDate, resume: bool) -> Result<bool> {
        let resumed = if !resume {
            0
        } else {
            self.tx()
                .execute(
                    "UPDATE playbook_episodes SET ended_on = NULL WHERE id = (SELECT max(id) FROM playbook_episodes
                     WHERE playbook = ?1 AND account_id = ?2 AND ended_on = ?3)",
                    params![playbook, account_id, day],
                )
                .map_err(|e| self.store_err(e))?
        };
        if resumed > 0 {
            return Ok(true);
        }
        self.exec(
            "INSERT INTO playbook_episodes (playbook, account_id, started_on) VALUES (?1, ?2, ?3)",
            params![playbook, account_id, day],
        )?;
        Ok(false)
    }

    pub fn end_episode(&mut self, playbook: &str, account_id: i64, day: NaiveDate) -> Result<()> {
        self.exec(
            "UPDATE playbook_episodes SET ended_on = ?3 WHERE playbook = ?1 AND account_id = ?2 AND ended_on IS NULL",
            params![playbook, account_id, day],
        )
    }
}
