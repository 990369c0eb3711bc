//! The INSERT of a bulk import of new accounts, with its values bound in place.
//!
//! rusqlite binds every text with `SQLITE_TRANSIENT`, so SQLite copies each value before
//! copying it again into the row it builds. A million-row import binds a dozen texts a row; this
//! statement binds them with `SQLITE_STATIC` instead. That is sound only while the values outlive
//! the step that reads them: `insert` binds, steps, then resets and clears every binding before
//! it returns, so no pointer into a row is left behind once the row is out of its hands.

use std::ffi::c_int;

use rusqlite::{Connection, ffi};

use super::bulk::{DayText, NewAccountRow};
use super::writer::INSERT_ACCOUNT;

/// A prepared `INSERT_ACCOUNT`, finalized when dropped. It borrows the connection, so it cannot
/// outlive it.
pub(super) struct StaticInsert<'c> {
    db: *mut ffi::sqlite3,
    stmt: *mut ffi::sqlite3_stmt,
    _conn: std::marker::PhantomData<&'c Connection>,
}

impl<'c> StaticInsert<'c> {
    pub(super) fn prepare(conn: &'c Connection) -> rusqlite::Result<Self> {
        // SAFETY: the handle is the live connection's, used on this thread only while `conn` is
        // borrowed; the SQL is a valid, NUL-free string of the length given.
        unsafe {
            let db = conn.handle();
            let mut stmt = std::ptr::null_mut();
            let sql = INSERT_ACCOUNT.as_bytes();
            let rc =
                ffi::sqlite3_prepare_v2(db, sql.as_ptr().cast(), sql.len() as c_int, &mut stmt, std::ptr::null_mut());
            if rc != ffi::SQLITE_OK {
                return Err(error(db, rc));
            }
            Ok(StaticInsert { db, stmt, _conn: std::marker::PhantomData })
        }
    }

    /// Insert one account, stamped `now` (Unix seconds); returns its id.
    pub(super) fn insert(&mut self, row: &NewAccountRow, now: i64) -> rusqlite::Result<i64> {
        let a = &row.account;
        let day = |d: Option<chrono::NaiveDate>| d.map(DayText::new);
        let (since, renewal, churned) = (day(a.customer_since), day(a.renewal_date), day(a.churned_on));
        let texts: [(c_int, Option<&[u8]>); 11] = [
            (1, Some(a.external_id.as_bytes())),
            (2, Some(a.name.as_bytes())),
            (5, Some(a.currency.as_bytes())),
            (6, a.plan.as_deref().map(str::as_bytes)),
            (7, since.as_ref().map(DayText::as_bytes)),
            (8, renewal.as_ref().map(DayText::as_bytes)),
            (9, Some(a.stage.key().as_bytes())),
            (10, Some(a.status.key().as_bytes())),
            (11, churned.as_ref().map(DayText::as_bytes)),
            (16, Some(a.tags.as_bytes())),
            (17, Some(a.notes.as_bytes())),
        ];
        let scores = [(12, a.segment_inputs.volume), (13, a.segment_inputs.advocacy), (14, a.segment_inputs.brand)];
        // SAFETY: every pointer bound below points into `row` or the locals above, all of
        // which outlive the step; the bindings are cleared before returning (see `finish`).
        unsafe {
            let s = self.stmt;
            let mut rc = ffi::SQLITE_OK;
            for (i, text) in texts {
                rc |= match text {
                    Some(t) => ffi::sqlite3_bind_text64(
                        s,
                        i,
                        t.as_ptr().cast(),
                        t.len() as u64,
                        ffi::SQLITE_STATIC(),
                        ffi::SQLITE_UTF8 as u8,
                    ),
                    None => ffi::sqlite3_bind_null(s, i),
                };
            }
            rc |= match a.csm_id {
                Some(id) => ffi::sqlite3_bind_int64(s, 3, id),
                None => ffi::sqlite3_bind_null(s, 3),
            };
            rc |= ffi::sqlite3_bind_int64(s, 4, a.arr.0);
            rc |= ffi::sqlite3_bind_int64(s, 18, now);
            for (i, score) in scores {
                rc |= match score {
                    Some(n) => ffi::sqlite3_bind_int64(s, i, n.into()),
                    None => ffi::sqlite3_bind_null(s, i),
                };
            }
            rc |= match a.expected_usage {
                Some(u) => ffi::sqlite3_bind_double(s, 15, u),
                None => ffi::sqlite3_bind_null(s, 15),
            };
            rc |= match &row.attributes {
                Some(json) => ffi::sqlite3_bind_text64(
                    s,
                    19,
                    json.as_ptr().cast(),
                    json.len() as u64,
                    ffi::SQLITE_STATIC(),
                    ffi::SQLITE_UTF8 as u8,
                ),
                None => ffi::sqlite3_bind_null(s, 19),
            };
            if rc != ffi::SQLITE_OK {
                // Some binding failed (a text too long for SQLite): report its own error.
                let code = ffi::sqlite3_errcode(self.db);
                self.finish();
                return Err(error(self.db, code));
            }
            let rc = ffi::sqlite3_step(s);
            let out = match rc {
                ffi::SQLITE_DONE => Ok(ffi::sqlite3_last_insert_rowid(self.db)),
                // The statement's own error (a constraint, a full disk) is the one reported.
                _ => Err(error(self.db, ffi::sqlite3_reset(s))),
            };
            self.finish();
            out
        }
    }

    /// Reset the statement and let go of every value bound to it.
    fn finish(&mut self) {
        // SAFETY: `stmt` is live until `drop`.
        unsafe {
            ffi::sqlite3_reset(self.stmt);
            ffi::sqlite3_clear_bindings(self.stmt);
        }
    }
}

impl Drop for StaticInsert<'_> {
    fn drop(&mut self) {
        // SAFETY: `stmt` was prepared by `prepare` and is finalized once, here.
        unsafe {
            ffi::sqlite3_finalize(self.stmt);
        }
    }
}

/// SQLite's error for a result code, with its message.
fn error(db: *mut ffi::sqlite3, code: c_int) -> rusqlite::Error {
    // SAFETY: `db` is a live connection handle; its message is a NUL-terminated string owned by
    // SQLite, copied before any other call can replace it.
    let message = unsafe {
        let text = ffi::sqlite3_errmsg(db);
        (!text.is_null()).then(|| std::ffi::CStr::from_ptr(text).to_string_lossy().into_owned())
    };
    rusqlite::Error::SqliteFailure(ffi::Error::new(code), message)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use crate::domain::{AccountStatus, Cents, LifecycleStage, SegmentInputs};
    use crate::store::{NewAccount, NewAccountRow, Store, StoreError};

    fn full() -> NewAccount {
        let day = |s: &str| Some(s.parse::<NaiveDate>().unwrap());
        NewAccount {
            external_id: "FULL-1".into(),
            name: "Zoë \"Quoted\" Ltd\nsecond line".into(),
            csm_id: None,
            arr: Cents(1_234_567),
            currency: "EUR".into(),
            plan: Some("Enterprise".into()),
            customer_since: day("2019-03-04"),
            renewal_date: day("2027-01-31"),
            stage: LifecycleStage::Renewal,
            status: AccountStatus::Churned,
            churned_on: day("2026-10-01"),
            segment_inputs: SegmentInputs { volume: Some(4), advocacy: Some(1), brand: Some(2) },
            expected_usage: Some(0.75),
            tags: "strategic,emea".into(),
            notes: "".into(),
        }
    }

    /// Every column of an account as text, the id and key aside.
    fn columns(store: &Store, key: &str) -> Vec<String> {
        store
            .query_list("SELECT * FROM accounts WHERE external_id = ?1", [key], |r| {
                (2..r.as_ref().column_count())
                    .map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}")))
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .unwrap()
            .remove(0)
    }

    #[test]
    fn writes_exactly_what_the_ordinary_insert_writes() {
        let mut store = Store::open_in_memory().unwrap();
        let csm = store.write(|w| w.csm_id("Maya Patel")).unwrap();
        for (i, mut account) in [full(), NewAccount::new("x", "Bare")].into_iter().enumerate() {
            account.csm_id = (i == 0).then_some(csm);
            let mut twin = account.clone();
            twin.external_id = format!("TWIN-{i}");
            account.external_id = format!("BULK-{i}");
            let attributes = (i == 0).then(|| r#"{"Region":"EMEA","Tier \"A\"":"2,5"}"#.to_string());
            let ids = store
                .write(|w| {
                    let ids = w.insert_accounts(&[NewAccountRow { account, attributes: attributes.clone() }])?;
                    let twin_id = w.insert_account(&twin)?;
                    if let Some(json) = &attributes {
                        for (k, v) in serde_json::from_str::<std::collections::BTreeMap<String, String>>(json).unwrap()
                        {
                            w.set_attribute(twin_id, &k, &v)?;
                        }
                    }
                    Ok(ids)
                })
                .unwrap();
            assert_eq!(ids.len(), 1);
            assert_eq!(columns(&store, &format!("BULK-{i}")), columns(&store, &format!("TWIN-{i}")));
        }
        let bulk = store.all_accounts().unwrap().into_iter().find(|a| a.external_id == "BULK-0").unwrap();
        assert_eq!(bulk.name, full().name);
        assert_eq!(bulk.csm.as_deref(), Some("Maya Patel"));
        assert_eq!(bulk.renewal_date, full().renewal_date);
    }

    #[test]
    fn reports_what_sqlite_refuses_and_leaves_no_row() {
        let mut store = Store::open_in_memory().unwrap();
        let row = |key: &str| NewAccountRow { account: NewAccount::new(key, "Some Co"), attributes: None };
        let err = store.write(|w| w.insert_accounts(&[row("DUP"), row("DUP")])).unwrap_err();
        assert!(err.to_string().contains("UNIQUE") || err.to_string().contains("unique"), "{err}");
        let mut bad_json = row("JSON");
        bad_json.attributes = Some("[1, 2]".into());
        let err = store.write(|w| w.insert_accounts(&[bad_json])).unwrap_err();
        assert!(err.to_string().contains("CHECK"), "{err}");
        let mut no_such_csm = row("CSM");
        no_such_csm.account.csm_id = Some(999);
        let err = store.write(|w| w.insert_accounts(&[no_such_csm])).unwrap_err();
        assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
        assert!(!matches!(err, StoreError::Locked { .. }));
        assert_eq!(store.account_count().unwrap(), 0);
        // The statement is still good after a failure.
        let ids = store.write(|w| w.insert_accounts(&[row("A"), row("B")])).unwrap();
        assert_eq!(ids.len(), 2);
        assert_ne!(ids[0], ids[1]);
    }
}
