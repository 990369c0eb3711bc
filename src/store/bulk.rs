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

/// A day as a count of days since 1970-01-01, as planned milestones and the caches keep days.
pub(crate) fn epoch_day(day: NaiveDate) -> i64 {
    i64::from(day.num_days_from_ce()) - EPOCH_FROM_CE
}

/// The day `epoch_day` counted (the calendar's ends for a count past them).
pub(crate) fn from_epoch_day(days: i64) -> NaiveDate {
    let past_the_end = if days < 0 { NaiveDate::MIN } else { NaiveDate::MAX };
    let day = days.checked_add(EPOCH_FROM_CE).and_then(|n| i32::try_from(n).ok());
    day.and_then(NaiveDate::from_num_days_from_ce_opt).unwrap_or(past_the_end)
}

/// 1970-01-01 counted from 0001-01-01 as day 1.
pub(crate) const EPOCH_FROM_CE: i64 = 719_163;

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

    #[test]
    fn epoch_days_count_as_sqlite_reads_them() {
        // The milestones view reads a count with date(2440588 + count): the same day back.
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        for day in ["1970-01-01", "2026-11-23", "1969-12-31", "0001-01-01", "9999-12-31"] {
            let d: NaiveDate = day.parse().unwrap();
            assert_eq!(from_epoch_day(epoch_day(d)), d);
            let sqlite: String = conn.query_row("SELECT date(2440588 + ?1)", [epoch_day(d)], |r| r.get(0)).unwrap();
            assert_eq!(sqlite, day);
        }
        assert_eq!(epoch_day("1970-01-02".parse().unwrap()), 1);
        assert_eq!(from_epoch_day(i64::MAX), NaiveDate::MAX);
        assert_eq!(from_epoch_day(i64::MIN), NaiveDate::MIN);
    }

    #[test]
    fn planned_milestones_go_in_whole_however_many_a_statement_takes() {
        // 100 rows a statement: 237 is two full statements and a remainder, over three steps.
        let mut store = crate::store::Store::open_in_memory().unwrap();
        let accounts: Vec<_> = (0..79)
            .map(|i| NewAccountRow { account: crate::store::NewAccount::new(format!("A-{i}"), "Co"), attributes: None })
            .collect();
        let day = |n: i64| from_epoch_day(20_000 + n);
        let wanted: Vec<(i64, String, String, String)> = store
            .write(|w| {
                let ids = w.insert_accounts(&accounts)?;
                let mut rows = Vec::new();
                for (i, id) in ids.iter().enumerate() {
                    for (k, step) in ["Kickoff", "Training", "Review"].into_iter().enumerate() {
                        rows.push((*id, if k == 2 { "renewal" } else { "onboarding" }, step, day((i * 3 + k) as i64)));
                    }
                }
                w.insert_planned_milestones(&rows)?;
                Ok(rows.iter().map(|(id, j, n, d)| (*id, j.to_string(), n.to_string(), d.to_string())).collect())
            })
            .unwrap();
        assert_eq!(wanted.len(), 237);
        let stored = store
            .query_list("SELECT id, account_id, journey, name, due FROM milestones ORDER BY id", [], |r| {
                Ok((r.get::<_, i64>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            })
            .unwrap();
        assert_eq!(stored.iter().map(|(id, _)| *id).collect::<Vec<_>>(), (1..=237).collect::<Vec<_>>());
        assert_eq!(stored.into_iter().map(|(_, row)| row).collect::<Vec<_>>(), wanted);
    }
}
