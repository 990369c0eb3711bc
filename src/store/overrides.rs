//! Band overrides: kept in their own table, so no recompute or import ever touches them.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::params;

use super::writer::Writer;
use super::{Result, Store};
use crate::domain::HealthBand;

/// A CSM's band for an account, over the computed one, until it expires.
#[derive(Clone, Debug, PartialEq)]
pub struct BandOverride {
    pub id: i64,
    pub account_id: i64,
    pub band: HealthBand,
    pub reason: String,
    pub set_on: NaiveDate,
    /// The first day it no longer applies.
    pub expires_on: NaiveDate,
    pub cleared_on: Option<NaiveDate>,
    pub csm: Option<String>,
}

impl BandOverride {
    /// Whether it applies on `day`: set by then, not cleared by then, not yet expired.
    pub fn applies_on(&self, day: NaiveDate) -> bool {
        self.set_on <= day && day < self.expires_on && self.cleared_on.is_none_or(|c| c > day)
    }
}

pub(crate) fn band_key(b: HealthBand) -> &'static str {
    match b {
        HealthBand::Green => "green",
        HealthBand::Yellow => "yellow",
        HealthBand::Orange => "orange",
        HealthBand::Red => "red",
    }
}

pub fn band_from_key(s: &str) -> Option<HealthBand> {
    HealthBand::ALL.into_iter().find(|b| band_key(*b) == s)
}

const SELECT: &str = "SELECT o.id, o.account_id, o.band, o.reason, o.set_on, o.expires_on, o.cleared_on, c.name
     FROM band_overrides o LEFT JOIN csms c ON c.id = o.csm_id";

fn read(r: &rusqlite::Row) -> rusqlite::Result<BandOverride> {
    let band: String = r.get(2)?;
    Ok(BandOverride {
        id: r.get(0)?,
        account_id: r.get(1)?,
        band: band_from_key(&band).unwrap_or(HealthBand::Yellow),
        reason: r.get(3)?,
        set_on: r.get(4)?,
        expires_on: r.get(5)?,
        cleared_on: r.get(6)?,
        csm: r.get(7)?,
    })
}

impl Writer<'_> {
    /// Override an account's band from `day` until `expires_on`; an override already in force is
    /// cleared that day (the newest one wins, the old one stays on the timeline). Returns the new
    /// override's id.
    pub fn set_band_override(
        &mut self,
        account_id: i64,
        band: HealthBand,
        reason: &str,
        day: NaiveDate,
        expires_on: NaiveDate,
    ) -> Result<i64> {
        self.clear_band_override(account_id, day)?;
        let csm = self.signer();
        self.exec(
            "INSERT INTO band_overrides (account_id, csm_id, band, reason, set_on, expires_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![account_id, csm, band_key(band), reason, day, expires_on],
        )?;
        Ok(self.tx().last_insert_rowid())
    }

    /// The ids of an account's overrides still in force on `day` (what clearing would touch).
    pub fn band_overrides_in_force(&self, account_id: i64, day: NaiveDate) -> Result<Vec<i64>> {
        let mut stmt = self
            .tx()
            .prepare_cached(
                "SELECT id FROM band_overrides
                 WHERE account_id = ?1 AND cleared_on IS NULL AND expires_on > ?2 AND deleted_at IS NULL",
            )
            .map_err(|e| self.store_err(e))?;
        let ids = stmt.query_map(params![account_id, day], |r| r.get(0)).map_err(|e| self.store_err(e))?;
        ids.collect::<rusqlite::Result<Vec<i64>>>().map_err(|e| self.store_err(e))
    }

    /// End the account's overrides still in force on `day`.
    pub fn clear_band_override(&mut self, account_id: i64, day: NaiveDate) -> Result<()> {
        self.exec(
            "UPDATE band_overrides SET cleared_on = ?2
             WHERE account_id = ?1 AND cleared_on IS NULL AND expires_on > ?2 AND deleted_at IS NULL",
            params![account_id, day],
        )
    }
}

impl Store {
    /// Record a change of the score's rules saved into a config file.
    pub fn record_scoring_change(&mut self, config_path: &str, summary: &str) -> Result<()> {
        self.write(|w| {
            w.exec("INSERT INTO scoring_changes (config_path, summary) VALUES (?1, ?2)", params![config_path, summary])
        })
    }

    /// The latest changes of the score's rules, newest first: (when, file, what).
    pub fn scoring_changes(&self, limit: usize) -> Result<Vec<(String, String, String)>> {
        self.query_list(
            "SELECT at, config_path, summary FROM scoring_changes ORDER BY id DESC LIMIT ?1",
            [limit as i64],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
    }

    /// The override in force on `day` for each account that has one.
    pub fn overrides_on(&self, day: NaiveDate) -> Result<HashMap<i64, BandOverride>> {
        let all = self.query_list(
            &format!(
                "{SELECT} WHERE o.set_on <= ?1 AND o.expires_on > ?1 AND (o.cleared_on IS NULL OR o.cleared_on > ?1)
                 AND o.deleted_at IS NULL ORDER BY o.id"
            ),
            [day],
            read,
        )?;
        Ok(all.into_iter().map(|o| (o.account_id, o)).collect())
    }

    /// Every override an account has had, newest first.
    pub fn overrides_for(&self, account_id: i64) -> Result<Vec<BandOverride>> {
        self.query_list(
            &format!("{SELECT} WHERE o.account_id = ?1 AND o.deleted_at IS NULL ORDER BY o.id DESC"),
            [account_id],
            read,
        )
    }
}
