//! Inserting many new accounts at once (an import of a big export): statements prepared once per
//! batch instead of looked up per row, and days bound as text without chrono's formatter.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use rusqlite::ToSql;
use rusqlite::types::{ToSqlOutput, ValueRef};

use super::Result;
use super::static_insert::StaticInsert;
use super::writer::{NewAccount, Writer};

/// A new account and the values of the columns tend has no field for (kept as its attributes).
#[derive(Clone, Debug, PartialEq)]
pub struct NewAccountRow {
    pub account: NewAccount,
    /// The account's attributes as one JSON object (`attributes_json`), or None.
    pub attributes: Option<String>,
}

impl Writer<'_> {
    /// Insert new accounts with their attributes; returns their ids in order.
    pub fn insert_accounts(&mut self, rows: &[NewAccountRow]) -> Result<Vec<i64>> {
        let now = self.now_secs();
        let run = || -> rusqlite::Result<Vec<i64>> {
            let mut insert = StaticInsert::prepare(self.tx())?;
            rows.iter().map(|row| insert.insert(row, now)).collect()
        };
        run().map_err(|e| self.store_err(e))
    }
}

/// Attributes as the accounts table keeps them: one JSON object, or None for none. Of two
/// attributes with one key, the later is kept.
pub fn attributes_json(attributes: &[(Arc<str>, String)]) -> Option<String> {
    if attributes.is_empty() {
        return None;
    }
    let object: std::collections::BTreeMap<&str, &str> = attributes.iter().map(|(k, v)| (&**k, v.as_str())).collect();
    serde_json::to_string(&object).ok()
}

/// A day as SQLite holds it, `YYYY-MM-DD`, the same text chrono writes.
pub(super) struct DayText(DayRepr);

enum DayRepr {
    Short([u8; 10]),
    /// Years outside 0-9999, which chrono writes with a sign.
    Long(String),
}

impl DayText {
    pub(super) fn new(day: NaiveDate) -> DayText {
        let (y, m, d) = (day.year(), day.month(), day.day());
        if !(0..=9999).contains(&y) {
            return DayText(DayRepr::Long(day.format("%Y-%m-%d").to_string()));
        }
        let digit = |n: u32| b'0' + n as u8;
        let y = y as u32;
        DayText(DayRepr::Short([
            digit(y / 1000),
            digit(y / 100 % 10),
            digit(y / 10 % 10),
            digit(y % 10),
            b'-',
            digit(m / 10),
            digit(m % 10),
            b'-',
            digit(d / 10),
            digit(d % 10),
        ]))
    }

    pub(super) fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            DayRepr::Short(b) => b,
            DayRepr::Long(s) => s.as_bytes(),
        }
    }
}

impl ToSql for DayText {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Text(self.as_bytes())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_written_as_chrono_writes_them() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        for day in ["2026-11-23", "0001-01-01", "0999-12-31", "9999-12-31", "2024-02-29"] {
            let d: NaiveDate = day.parse().unwrap();
            let ours: String = conn.query_row("SELECT ?1", [DayText::new(d)], |r| r.get(0)).unwrap();
            let chrono: String = conn.query_row("SELECT ?1", [d], |r| r.get(0)).unwrap();
            assert_eq!(ours, chrono);
            assert_eq!(ours, day);
        }
        let far = NaiveDate::from_ymd_opt(12345, 6, 7).unwrap();
        let ours: String = conn.query_row("SELECT ?1", [DayText::new(far)], |r| r.get(0)).unwrap();
        let chrono: String = conn.query_row("SELECT ?1", [far], |r| r.get(0)).unwrap();
        assert_eq!(ours, chrono);
    }
}
