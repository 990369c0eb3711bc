//! Which sample keys (account, metric, day) an import's file has given, and on which line, for a
//! file whose rows are not grouped by account. Kept in a private temporary database of its own
//! (SQLite's on-disk temporary file, removed when closed), not in the book: it grows with the
//! file, and memory must not; a team book's members may not make tables.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::history::day_number;
use super::{Result, StoreError};

pub struct KeyClaims {
    conn: Connection,
}

impl KeyClaims {
    pub fn new() -> Result<KeyClaims> {
        // "" opens a private database in a temporary file, deleted when the connection closes.
        let conn = Connection::open("").map_err(Self::err)?;
        conn.execute_batch(
            "PRAGMA journal_mode = OFF;
             PRAGMA synchronous = OFF;
             CREATE TABLE keys (account_id INTEGER, metric TEXT, day INTEGER, line INTEGER,
                 PRIMARY KEY (account_id, metric, day)) WITHOUT ROWID;",
        )
        .map_err(Self::err)?;
        Ok(KeyClaims { conn })
    }

    fn err(e: rusqlite::Error) -> StoreError {
        super::classify(std::path::Path::new("(temporary file)"), e)
    }

    /// Claim a sample's key for the file's `line`: None if it is the first, else the line that
    /// gave it first.
    pub fn claim(&mut self, account_id: i64, metric: &str, day: NaiveDate, line: u64) -> Result<Option<u64>> {
        let day = day_number(day);
        let claimed = self
            .conn
            .prepare_cached(
                "INSERT INTO keys (account_id, metric, day, line) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
            )
            .and_then(|mut s| s.execute(params![account_id, metric, day, line as i64]))
            .map_err(Self::err)?;
        if claimed == 1 {
            return Ok(None);
        }
        self.conn
            .prepare_cached("SELECT line FROM keys WHERE account_id = ?1 AND metric = ?2 AND day = ?3")
            .and_then(|mut s| s.query_row(params![account_id, metric, day], |r| r.get::<_, i64>(0)).optional())
            .map(|l| l.map(|l| l as u64))
            .map_err(Self::err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_given_twice_names_the_line_that_gave_it_first() {
        let mut claims = KeyClaims::new().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        assert_eq!(claims.claim(7, "logins", day, 2).unwrap(), None);
        assert_eq!(claims.claim(7, "seats", day, 3).unwrap(), None);
        assert_eq!(claims.claim(8, "logins", day, 4).unwrap(), None);
        assert_eq!(claims.claim(7, "logins", day.succ_opt().unwrap(), 5).unwrap(), None);
        assert_eq!(claims.claim(7, "logins", day, 9).unwrap(), Some(2));
    }
}
