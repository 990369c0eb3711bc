//! Contacts: the people at an account, read for the People tab, triage and exports, and written.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::params;

use super::writer::Writer;
use super::{Result, Store};
use crate::domain::contact::{ContactRole, ContactStatus};

#[derive(Clone, Debug, PartialEq)]
pub struct ContactRecord {
    pub id: i64,
    pub account_id: i64,
    /// The account's external id (what exports and imports name it by).
    pub external_id: String,
    /// The account's name.
    pub account: String,
    pub name: String,
    pub title: String,
    pub email: String,
    pub role: Option<ContactRole>,
    pub status: ContactStatus,
    pub left_on: Option<NaiveDate>,
    pub note: String,
    pub created_on: NaiveDate,
}

/// A contact to insert or to change to.
#[derive(Clone, Debug, PartialEq)]
pub struct NewContact {
    pub account_id: i64,
    pub name: String,
    pub title: String,
    pub email: String,
    pub role: Option<ContactRole>,
    pub status: ContactStatus,
    pub left_on: Option<NaiveDate>,
    pub note: String,
    pub created_on: NaiveDate,
}

const CONTACT_SELECT: &str = "SELECT c.id, c.account_id, a.external_id, c.name, c.title, c.email, c.role, c.status,
        c.left_on, c.note, c.created_on, a.name
     FROM contacts c JOIN accounts a ON a.id = c.account_id WHERE c.deleted_at IS NULL";

fn contact_record(r: &rusqlite::Row) -> rusqlite::Result<ContactRecord> {
    let role: String = r.get(6)?;
    let status: String = r.get(7)?;
    Ok(ContactRecord {
        id: r.get(0)?,
        account_id: r.get(1)?,
        external_id: r.get(2)?,
        name: r.get(3)?,
        title: r.get(4)?,
        email: r.get(5)?,
        role: ContactRole::from_key(&role),
        status: ContactStatus::from_key(&status).unwrap_or(ContactStatus::Active),
        left_on: r.get(8)?,
        note: r.get(9)?,
        created_on: r.get(10)?,
        account: r.get(11)?,
    })
}

/// Accounts whose champion left (by `?1`) with no champion there now: the names of those who left.
const CHAMPIONS_GONE: &str = "SELECT c.account_id, group_concat(c.name, ', ') FROM contacts c
     WHERE c.deleted_at IS NULL AND c.role = 'champion' AND c.status = 'left' AND c.left_on <= ?1
       AND NOT EXISTS (SELECT 1 FROM contacts x WHERE x.account_id = c.account_id AND x.deleted_at IS NULL
           AND x.role = 'champion' AND x.created_on <= ?1 AND (x.left_on IS NULL OR x.left_on > ?1))";

impl Store {
    /// An account's people: those there first (champions and sponsors ahead), then those who left.
    pub fn contacts_for(&self, account_id: i64) -> Result<Vec<ContactRecord>> {
        self.query_list(
            &format!(
                "{CONTACT_SELECT} AND c.account_id = ?1
                 ORDER BY c.status <> 'active', CASE c.role WHEN 'champion' THEN 0 WHEN 'executive_sponsor' THEN 1
                   WHEN 'decision_maker' THEN 2 WHEN 'user' THEN 3 WHEN 'detractor' THEN 4 ELSE 5 END, c.name, c.id"
            ),
            [account_id],
            contact_record,
        )
    }

    pub fn contact(&self, id: i64) -> Result<Option<ContactRecord>> {
        Ok(self.query_list(&format!("{CONTACT_SELECT} AND c.id = ?1"), [id], contact_record)?.pop())
    }

    /// Every contact, by account and name (for export).
    pub fn all_contacts(&self) -> Result<Vec<ContactRecord>> {
        self.query_list(&format!("{CONTACT_SELECT} ORDER BY a.external_id, c.name, c.id"), [], contact_record)
    }

    /// Accounts whose champion left with none there since, and who left, as of `day`.
    pub fn champions_gone(&self, day: NaiveDate) -> Result<HashMap<i64, String>> {
        let rows: Vec<(i64, String)> =
            self.query_list(&format!("{CHAMPIONS_GONE} GROUP BY c.account_id"), [day], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.into_iter().collect())
    }

    /// The same for one account (after a write).
    pub fn account_champions_gone(&self, account_id: i64, day: NaiveDate) -> Result<Option<String>> {
        Ok(self
            .query_list(
                &format!("{CHAMPIONS_GONE} AND c.account_id = ?2 GROUP BY c.account_id"),
                params![day, account_id],
                |r| r.get::<_, String>(1),
            )?
            .pop())
    }
}

impl Writer<'_> {
    pub fn insert_contact(&mut self, c: &NewContact) -> Result<i64> {
        self.exec(
            "INSERT INTO contacts (account_id, csm_id, name, title, email, role, status, left_on, note, created_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                c.account_id,
                self.signer(),
                c.name,
                c.title,
                c.email,
                c.role.map_or("", |r| r.key()),
                c.status.key(),
                c.left_on,
                c.note,
                c.created_on
            ],
        )?;
        Ok(self.tx().last_insert_rowid())
    }

    /// Change a contact (when tend first knew them stays).
    pub fn update_contact(&mut self, id: i64, c: &NewContact) -> Result<()> {
        self.exec(
            "UPDATE contacts SET name = ?2, title = ?3, email = ?4, role = ?5, status = ?6, left_on = ?7, note = ?8
             WHERE id = ?1",
            params![id, c.name, c.title, c.email, c.role.map_or("", |r| r.key()), c.status.key(), c.left_on, c.note],
        )
    }

    /// The contact of an account with this name or email address, in any case (an import's
    /// `with` or `from` column; survey tools export the address).
    pub fn contact_named(&self, account_id: i64, name: &str) -> Result<Option<i64>> {
        // Matched here, not by SQLite's lower(), which leaves letters beyond ASCII as they are
        // (the team book's matched "ümit dvořák" to Ümit Dvořák, a book file did not).
        let contacts: Vec<(i64, String, String)> = self
            .tx()
            .prepare_cached(
                "SELECT id, name, email FROM contacts WHERE account_id = ?1 AND deleted_at IS NULL ORDER BY id",
            )
            .and_then(|mut s| s.query_map([account_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect())
            .map_err(|e| self.store_err(e))?;
        Ok(crate::domain::contact::contact_named(contacts.iter().map(|(i, n, e)| (*i, n.as_str(), e.as_str())), name))
    }

    /// A contact's role, seen from this transaction.
    pub fn contact_role(&self, id: i64) -> Result<Option<ContactRole>> {
        use rusqlite::OptionalExtension;
        self.tx()
            .prepare_cached("SELECT role FROM contacts WHERE id = ?1")
            .and_then(|mut s| s.query_row([id], |r| r.get::<_, String>(0)).optional())
            .map(|role| role.as_deref().and_then(ContactRole::from_key))
            .map_err(|e| self.store_err(e))
    }

    /// Name the people a log entry was with (",ID,ID,", or empty).
    pub fn set_entry_contacts(&mut self, entry_id: i64, ids: &[i64]) -> Result<()> {
        let text = super::log::contact_ids_text(ids);
        self.exec("UPDATE entries SET contact_ids = ?2 WHERE id = ?1", params![entry_id, text])
    }

    /// Who signed a log entry and the people it was with.
    pub fn entry_people(&self, entry_id: i64) -> Result<super::EntryPeople> {
        self.tx()
            .prepare_cached("SELECT csm_id, contact_ids FROM entries WHERE id = ?1")
            .and_then(|mut s| {
                s.query_row([entry_id], |r| {
                    Ok(super::EntryPeople {
                        csm_id: r.get(0)?,
                        contact_ids: super::log::contact_ids(&r.get::<_, String>(1)?),
                    })
                })
            })
            .map_err(|e| self.store_err(e))
    }

    /// A log entry's note.
    pub fn entry_note(&self, entry_id: i64) -> Result<String> {
        self.tx()
            .prepare_cached("SELECT note FROM entries WHERE id = ?1")
            .and_then(|mut s| s.query_row([entry_id], |r| r.get(0)))
            .map_err(|e| self.store_err(e))
    }

    /// Sign a log entry by another CSM and name the people it was with.
    pub fn set_entry_people(&mut self, entry_id: i64, people: &super::EntryPeople) -> Result<()> {
        let text = super::log::contact_ids_text(&people.contact_ids);
        self.exec(
            "UPDATE entries SET csm_id = ?2, contact_ids = ?3 WHERE id = ?1",
            params![entry_id, people.csm_id, text],
        )
    }
}
