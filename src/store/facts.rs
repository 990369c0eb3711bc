//! Reading the raw facts factors are derived from: one account's, or every account's in a stream.

use std::iter::Peekable;

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::{Result, Store};
use crate::domain::AccountFacts;
use crate::domain::entry::EntryKind;

struct SampleRow {
    account_id: i64,
    metric: String,
    day: NaiveDate,
    value: f64,
}

struct EntryRow {
    account_id: i64,
    kind: String,
    day: NaiveDate,
    score: Option<f64>,
}

fn add_sample(facts: &mut AccountFacts, row: SampleRow) {
    if let Some(series) = facts.series_mut(&row.metric) {
        series.push((row.day, row.value));
    }
}

fn add_entry(facts: &mut AccountFacts, row: EntryRow) {
    match EntryKind::from_key(&row.kind) {
        Some(EntryKind::Sentiment) => facts.sentiments.extend(row.score.map(|s| (row.day, s))),
        Some(EntryKind::Nps) => facts.nps.extend(row.score.map(|s| (row.day, s))),
        Some(EntryKind::Touch) => facts.touches.push(row.day),
        Some(EntryKind::Bug) => facts.bugs.push(row.day),
        None => {}
    }
}

const SAMPLES_SQL: &str = "SELECT account_id, metric, day, value FROM metric_samples";
const ENTRIES_SQL: &str = "SELECT account_id, kind, day, score FROM entries";

fn sample_row(r: &rusqlite::Row) -> rusqlite::Result<SampleRow> {
    Ok(SampleRow {
        account_id: r.get(0)?,
        metric: r.get(1)?,
        day: r.get(2)?,
        value: r.get(3)?,
    })
}

fn entry_row(r: &rusqlite::Row) -> rusqlite::Result<EntryRow> {
    Ok(EntryRow {
        account_id: r.get(0)?,
        kind: r.get(1)?,
        day: r.get(2)?,
        score: r.get(3)?,
    })
}

/// A log entry as the Account view lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct EntrySummary {
    pub day: NaiveDate,
    pub kind: String,
    pub score: Option<i64>,
    pub channel: Option<String>,
    pub title: Option<String>,
    pub note: String,
    pub csm: Option<String>,
}

impl Store {
    /// The latest `limit` log entries of an account, newest first.
    pub fn recent_entries(&self, account_id: i64, limit: usize) -> Result<Vec<EntrySummary>> {
        let err = |e| self.err(e);
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT e.day, e.kind, e.score, e.channel, e.title, e.note, c.name
                 FROM entries e LEFT JOIN csms c ON c.id = e.csm_id
                 WHERE e.account_id = ?1 ORDER BY e.day DESC, e.id DESC LIMIT ?2",
            )
            .map_err(err)?;
        let rows = stmt
            .query_map(params![account_id, limit as i64], |r| {
                Ok(EntrySummary {
                    day: r.get(0)?,
                    kind: r.get(1)?,
                    score: r.get(2)?,
                    channel: r.get(3)?,
                    title: r.get(4)?,
                    note: r.get(5)?,
                    csm: r.get(6)?,
                })
            })
            .map_err(err)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(err)
    }

    /// Every fact about one account, each series sorted oldest first.
    pub fn account_facts(&self, account_id: i64) -> Result<AccountFacts> {
        let conn = self.conn();
        let err = |e| self.err(e);
        let mut facts = AccountFacts::default();
        let (since, expected) = conn
            .query_row(
                "SELECT customer_since, expected_usage FROM accounts WHERE id = ?1",
                [account_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(err)?;
        facts.customer_since = since;
        facts.expected_usage = expected;
        let mut stmt = conn
            .prepare_cached(&format!(
                "{SAMPLES_SQL} WHERE account_id = ?1 ORDER BY metric, day"
            ))
            .map_err(err)?;
        for row in stmt.query_map([account_id], sample_row).map_err(err)? {
            add_sample(&mut facts, row.map_err(err)?);
        }
        let mut stmt = conn
            .prepare_cached(&format!(
                "{ENTRIES_SQL} WHERE account_id = ?1 ORDER BY kind, day"
            ))
            .map_err(err)?;
        for row in stmt
            .query_map(params![account_id], entry_row)
            .map_err(err)?
        {
            add_entry(&mut facts, row.map_err(err)?);
        }
        Ok(facts)
    }

    /// Call `f` with every account's facts, in account id order, reading each table once.
    pub fn for_each_account_facts(&self, mut f: impl FnMut(i64, &AccountFacts)) -> Result<()> {
        stream_facts(self.conn(), &mut f).map_err(|e| self.err(e))
    }
}

fn stream_facts(conn: &Connection, f: &mut dyn FnMut(i64, &AccountFacts)) -> rusqlite::Result<()> {
    let mut accounts =
        conn.prepare("SELECT id, customer_since, expected_usage FROM accounts ORDER BY id")?;
    let mut samples = conn.prepare(&format!("{SAMPLES_SQL} ORDER BY account_id, metric, day"))?;
    let mut entries = conn.prepare(&format!("{ENTRIES_SQL} ORDER BY account_id, kind, day"))?;
    let mut samples = samples.query_map([], sample_row)?.peekable();
    let mut entries = entries.query_map([], entry_row)?.peekable();

    // Rows for ids below `id` belong to no account (cannot happen with foreign keys): skip them.
    fn take<T>(
        rows: &mut Peekable<impl Iterator<Item = rusqlite::Result<T>>>,
        id: i64,
        account_of: impl Fn(&T) -> i64,
        mut add: impl FnMut(T),
    ) -> rusqlite::Result<()> {
        while let Some(next) = rows.peek() {
            match next {
                Ok(row) if account_of(row) < id => {
                    rows.next();
                }
                Ok(row) if account_of(row) == id => add(rows.next().expect("peeked")?),
                Ok(_) => break,
                Err(_) => return rows.next().expect("peeked").map(|_| ()),
            }
        }
        Ok(())
    }

    let rows = accounts.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?)))?;
    for row in rows {
        let (id, since, expected) = row?;
        let mut facts = AccountFacts {
            customer_since: since,
            expected_usage: expected,
            ..Default::default()
        };
        take(
            &mut samples,
            id,
            |s| s.account_id,
            |s| add_sample(&mut facts, s),
        )?;
        take(
            &mut entries,
            id,
            |e| e.account_id,
            |e| add_entry(&mut facts, e),
        )?;
        f(id, &facts);
    }
    Ok(())
}
