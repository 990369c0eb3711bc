//! The team book's schema, as numbered steps (as the SQLite book's are): never edit a released
//! step, add one. `tend_schema` holds the number of steps applied.

use postgres::Transaction;

use super::{Result, TeamBook, TeamError};

pub const STEPS: &[&str] = &[
    include_str!("schema_1.sql"),
    include_str!("schema_2.sql"),
    include_str!("schema_3.sql"),
    include_str!("schema_4.sql"),
    include_str!("schema_5.sql"),
    include_str!("schema_6.sql"),
    include_str!("schema_7.sql"),
    include_str!("schema_8.sql"),
    include_str!("schema_9.sql"),
    include_str!("schema_10.sql"),
    include_str!("schema_11.sql"),
    include_str!("schema_12.sql"),
    include_str!("schema_13.sql"),
];

/// Two processes setting up one book take turns (a lock of the database, held to the commit).
const SETUP_LOCK: i64 = 0x7465_6e64; // "tend"

/// What `init` did: the schema step found and the one it is at now.
#[derive(Debug, PartialEq)]
pub struct Migrated {
    pub from: usize,
    pub to: usize,
}

/// The schema step of the book, None when it has none; refused when the database holds tables
/// of something else.
pub fn version(tx: &mut Transaction, url: &str) -> Result<Option<usize>> {
    let err = super::db_error(url);
    let has_schema: bool =
        tx.query_one("SELECT to_regclass('public.tend_schema') IS NOT NULL", &[]).map_err(err)?.get(0);
    if !has_schema {
        let others: Vec<String> = tx
            .query(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1 LIMIT 3",
                &[],
            )
            .map_err(err)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        if !others.is_empty() {
            return Err(TeamError::NotTend {
                url: url.to_string(),
                detail: format!(
                    "it already holds other tables ({}); give tend a database of its own (`createdb tend`)",
                    others.join(", ")
                ),
            });
        }
        return Ok(None);
    }
    let found: Option<i32> = tx.query_one("SELECT max(version) FROM tend_schema", &[]).map_err(err)?.get(0);
    Ok(Some(found.unwrap_or(0).max(0) as usize))
}

/// Bring the book's schema to the latest step within `tx` (nothing is kept unless it commits).
pub fn migrate(tx: &mut Transaction, url: &str) -> Result<Migrated> {
    let err = super::db_error(url);
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SETUP_LOCK]).map_err(err)?;
    let from = version(tx, url)?.unwrap_or(0);
    if from > STEPS.len() {
        return Err(TeamError::TooNew { url: url.to_string(), found: from, known: STEPS.len() });
    }
    for (n, step) in STEPS.iter().enumerate().skip(from) {
        tx.batch_execute(step).map_err(err)?;
        tx.batch_execute(&format!("DELETE FROM tend_schema; INSERT INTO tend_schema (version) VALUES ({})", n + 1))
            .map_err(err)?;
    }
    Ok(Migrated { from, to: STEPS.len() })
}

/// `tend db init`: create the schema (or bring it up to date), all or nothing.
pub fn init(book: &mut TeamBook) -> Result<Migrated> {
    let url = book.url.clone();
    let mut tx = book.client.get_mut().transaction().map_err(super::db_error(&url))?;
    let migrated = migrate(&mut tx, &url)?;
    tx.commit().map_err(super::db_error(&url))?;
    Ok(migrated)
}

/// The book's schema checked as this tend reads it: present, and not newer.
pub fn check(tx: &mut Transaction, url: &str) -> Result<()> {
    match version(tx, url)? {
        None => Err(TeamError::NoSchema { url: url.to_string() }),
        Some(found) if found > STEPS.len() => {
            Err(TeamError::TooNew { url: url.to_string(), found, known: STEPS.len() })
        }
        Some(found) if found < STEPS.len() => Err(TeamError::Refused(format!(
            "the team book at {url} has schema version {found} of {}: its owner (the role that made it, or a \
             superuser) brings it up to date with `tend db init URL`, signed in as the owner",
            STEPS.len()
        ))),
        Some(_) => Ok(()),
    }
}
