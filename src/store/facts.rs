//! Reading the raw facts factors are derived from: one account's, or every account's in a stream.
//! Deleted entries, goals and milestones are never facts.

use std::iter::Peekable;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

use super::fact_digest::{self, FactDigest};
use super::{Result, Store};
use crate::domain::catalog::{DataInventory, LogKind};
use crate::domain::contact::{ContactFact, ContactRole};
use crate::domain::data_days::DataDays;
use crate::domain::entry::EntryKind;
use crate::domain::goal::{GoalFact, GoalStatus};
use crate::domain::input::parse_number;
use crate::domain::journey::MilestoneFact;
use crate::domain::{AccountFacts, Catalog, Cents, SegmentInputs};

/// One row of any of the fact queries: the account it belongs to and what it says.
struct FactRow {
    account_id: i64,
    fact: Fact,
}

/// One fact of an account, as any backend reads it.
pub(crate) enum Fact {
    /// A sample, its metric looked up in the catalog as it is read (`Catalog::metric_slot`: a
    /// whole book's read is millions of samples, no name is copied); None for a metric no factor
    /// reads.
    Sample {
        slot: Option<usize>,
        day: NaiveDate,
        value: f64,
    },
    /// `kind` None for a kind tend does not know (such an entry feeds no factor).
    Entry {
        kind: Option<EntryKind>,
        day: NaiveDate,
        score: Option<f64>,
        role: String,
    },
    GoalStatus {
        goal_id: i64,
        created: NaiveDate,
        day: NaiveDate,
        status: String,
    },
    Attribute {
        key: String,
        value: String,
    },
    Milestone {
        due: NaiveDate,
        done: Option<NaiveDate>,
    },
    Contact {
        role: String,
        since: NaiveDate,
        left: Option<NaiveDate>,
    },
    RoleTouch {
        role: String,
        day: NaiveDate,
    },
}

/// Each query selects the account id first, and is completed with a WHERE/ORDER suffix.
const SAMPLES_SQL: &str = "SELECT account_id, metric, day, value FROM metric_samples WHERE 1";
const ENTRIES_SQL: &str = "SELECT account_id, kind, day, score, role FROM entries WHERE deleted_at IS NULL";
const GOALS_SQL: &str = "SELECT g.account_id, g.id, g.created_on, c.day, c.status
     FROM goals g JOIN goal_status_changes c ON c.goal_id = g.id WHERE g.deleted_at IS NULL";
/// Milestones written or settled; those a journey planned and nothing changed yet are read apart
/// (their due day is a count of days), straight from their tables rather than the view.
const MILESTONES_SQL: &str = "SELECT account_id, due, done FROM milestone_rows WHERE deleted_at IS NULL";
const PLANNED_SQL: &str = "SELECT account_id, due FROM planned_milestones WHERE 1";
const CONTACTS_SQL: &str = "SELECT account_id, role, created_on, left_on FROM contacts WHERE deleted_at IS NULL";
/// Each touch once per role of the people it names (`contact_ids` is ",ID,ID,").
const ROLE_TOUCHES_SQL: &str = "SELECT DISTINCT e.account_id, c.role, e.day, e.id FROM entries e
     JOIN contacts c ON c.account_id = e.account_id AND instr(e.contact_ids, ',' || c.id || ',') > 0
     WHERE e.deleted_at IS NULL AND e.kind = 'touch' AND e.contact_ids <> '' AND c.deleted_at IS NULL AND c.role <> ''";
const ATTRIBUTES_SQL: &str =
    "SELECT a.id, j.key, j.value FROM accounts a, json_each(a.attributes) j WHERE a.attributes IS NOT NULL";

/// A day column, read without chrono's general parser when it is plain ISO (as tend writes every
/// day): reading a big book's facts is millions of them.
fn day(r: &rusqlite::Row, i: usize) -> rusqlite::Result<NaiveDate> {
    if let rusqlite::types::ValueRef::Text(text) = r.get_ref(i)?
        && let Some(day) = crate::domain::input::iso_day(text)
    {
        return Ok(day);
    }
    r.get(i)
}

/// A text column read in place, without copying it.
fn text<'r>(r: &'r rusqlite::Row, i: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(i)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into()))
}

/// (query, per-account order, whole-book order, row reader) for each kind of fact.
type Reader = fn(&rusqlite::Row, &Catalog) -> rusqlite::Result<FactRow>;
const QUERIES: [(&str, &str, &str, Reader); 8] = [
    (SAMPLES_SQL, "metric, day", "account_id, metric, day", |r, catalog| {
        let slot = catalog.metric_slot(text(r, 1)?);
        // A metric no factor reads is skipped without reading its day.
        let day = match slot {
            Some(_) => day(r, 2)?,
            None => NaiveDate::MIN,
        };
        Ok(FactRow { account_id: r.get(0)?, fact: Fact::Sample { slot, day, value: r.get(3)? } })
    }),
    (ENTRIES_SQL, "kind, day, id", "account_id, kind, day, id", |r, _| {
        Ok(FactRow {
            account_id: r.get(0)?,
            fact: Fact::Entry {
                kind: EntryKind::from_key(text(r, 1)?),
                day: day(r, 2)?,
                score: r.get(3)?,
                role: r.get(4)?,
            },
        })
    }),
    (GOALS_SQL, "g.id, c.day, c.id", "g.account_id, g.id, c.day, c.id", |r, _| {
        Ok(FactRow {
            account_id: r.get(0)?,
            fact: Fact::GoalStatus { goal_id: r.get(1)?, created: day(r, 2)?, day: day(r, 3)?, status: r.get(4)? },
        })
    }),
    (MILESTONES_SQL, "due, id", "account_id, due, id", |r, _| {
        Ok(FactRow { account_id: r.get(0)?, fact: Fact::Milestone { due: day(r, 1)?, done: r.get(2)? } })
    }),
    (PLANNED_SQL, "due, id", "account_id, due, id", |r, _| {
        let due = super::bulk::from_epoch_day(r.get(1)?);
        Ok(FactRow { account_id: r.get(0)?, fact: Fact::Milestone { due, done: None } })
    }),
    (ATTRIBUTES_SQL, "j.key", "a.id, j.key", |r, _| {
        Ok(FactRow { account_id: r.get(0)?, fact: Fact::Attribute { key: r.get(1)?, value: r.get(2)? } })
    }),
    (CONTACTS_SQL, "created_on, id", "account_id, created_on, id", |r, _| {
        Ok(FactRow {
            account_id: r.get(0)?,
            fact: Fact::Contact { role: r.get(1)?, since: day(r, 2)?, left: r.get(3)? },
        })
    }),
    (ROLE_TOUCHES_SQL, "c.role, e.day, e.id", "e.account_id, c.role, e.day, e.id", |r, _| {
        Ok(FactRow { account_id: r.get(0)?, fact: Fact::RoleTouch { role: r.get(1)?, day: day(r, 2)? } })
    }),
];

/// Whether a catalog's factors read what `sql` selects: attributes, contacts and touches by role
/// are read only when a factor uses them (most books have many attributes and need none).
fn needed(sql: &str, catalog: &Catalog) -> bool {
    let needs = FactNeeds::of(catalog);
    match sql {
        ATTRIBUTES_SQL => needs.attributes,
        CONTACTS_SQL => needs.contacts,
        ROLE_TOUCHES_SQL => needs.role_touches,
        _ => true,
    }
}

/// Which of the facts read only when a factor uses them a catalog reads.
pub(crate) struct FactNeeds {
    pub attributes: bool,
    pub contacts: bool,
    pub role_touches: bool,
}

impl FactNeeds {
    pub(crate) fn of(catalog: &Catalog) -> FactNeeds {
        use crate::domain::catalog::Source;
        let reads = |f: fn(&Source) -> bool| {
            catalog.defs.iter().any(|d| f(&d.source) || d.transform.other_source().is_some_and(f))
        };
        FactNeeds {
            attributes: !catalog.attributes.is_empty(),
            contacts: reads(|s| matches!(s, Source::Contacts | Source::TouchWith(_))),
            role_touches: reads(|s| matches!(s, Source::TouchWith(_))),
        }
    }
}

/// An account's own fields that facts start from, as any backend reads them.
pub(crate) struct AccountFields {
    /// The days the book's usage data covers, the same for every account.
    pub data_days: DataDays,
    /// Each metric's own days by catalog slot (`BookDays::for_catalog`).
    pub metric_days: std::sync::Arc<[DataDays]>,
    /// Whether each metric's feed is broad, by the same slots (`BookDays::broad`).
    pub broad_metrics: std::sync::Arc<[bool]>,
    /// The book's first bug logged, the same for every account.
    pub bugs_since: Option<NaiveDate>,
    pub customer_since: Option<NaiveDate>,
    pub expected_usage: Option<f64>,
    pub arr_cents: i64,
    pub inputs: SegmentInputs,
}

/// The account columns every fact set starts from, and the version of its facts (the digest
/// made from them is stored at it).
const ACCOUNT_SQL: &str = "SELECT id, customer_since, expected_usage, arr_cents, volume_score, advocacy_score,
     brand_score, facts_version FROM accounts";

/// The same columns of each account in a range, with its digest where one stands for its facts
/// as they are (`fact_digest`): made at its facts version, for the catalog asked (?3).
const DIGESTS_SQL: &str = "SELECT a.id, a.customer_since, a.expected_usage, a.arr_cents, a.volume_score,
     a.advocacy_score, a.brand_score, a.facts_version, d.body
     FROM accounts a LEFT JOIN fact_digests d ON d.account_id = a.id AND d.facts_version = a.facts_version
         AND (SELECT value FROM book_meta WHERE key = 'fact_digests') = ?3
     WHERE a.id BETWEEN ?1 AND ?2 ORDER BY a.id";

/// Adds facts to an account's `AccountFacts`, remembering which goal the last status row was for.
pub(crate) struct Collector<'c> {
    catalog: &'c Catalog,
    facts: AccountFacts,
    goal_ids: Vec<i64>,
}

impl<'c> Collector<'c> {
    /// An account's fields, from a row of `ACCOUNT_SQL` (or `DIGESTS_SQL`).
    fn new(catalog: &'c Catalog, book: &BookDays, r: &rusqlite::Row) -> rusqlite::Result<(i64, Collector<'c>)> {
        let fields = AccountFields {
            data_days: book.data_days.clone(),
            metric_days: book.slots.clone(),
            broad_metrics: book.broad_slots.clone(),
            bugs_since: book.bugs_since,
            customer_since: r.get(1)?,
            expected_usage: r.get(2)?,
            arr_cents: r.get(3)?,
            inputs: SegmentInputs { volume: r.get(4)?, advocacy: r.get(5)?, brand: r.get(6)? },
        };
        Ok((r.get(0)?, Collector::of(catalog, fields)))
    }

    /// An account's facts so far: its own fields.
    pub(crate) fn of(catalog: &'c Catalog, a: AccountFields) -> Collector<'c> {
        let facts = AccountFacts {
            data_days: a.data_days,
            metric_days: a.metric_days,
            broad_metrics: a.broad_metrics,
            bugs_since: a.bugs_since,
            customer_since: a.customer_since,
            expected_usage: a.expected_usage,
            arr: Some(Cents(a.arr_cents).units()),
            inputs: a.inputs,
            attributes: vec![None; catalog.attributes.len()],
            metrics: vec![Vec::new(); catalog.metrics.len()],
            responses: vec![Vec::new(); catalog.responses.len()],
            ..Default::default()
        };
        Collector { catalog, facts, goal_ids: Vec::new() }
    }

    /// The facts collected.
    pub(crate) fn finish(self) -> AccountFacts {
        self.facts
    }

    pub(crate) fn add(&mut self, fact: Fact) {
        let facts = &mut self.facts;
        match fact {
            Fact::Sample { slot, day, value } => {
                // Only metrics a factor reads are kept.
                if let Some(slot) = slot {
                    facts.metric_mut(slot).push((day, value));
                }
            }
            Fact::Attribute { key, value } => {
                // Every attribute of every account passes here: compared in place, not rebuilt.
                if let Some(slot) = self.catalog.attributes.iter().position(|a| crate::text::same_key(a, &key)) {
                    facts.attributes[slot] = parse_number(&value);
                }
            }
            Fact::Entry { kind, day, score, role } => match kind {
                Some(EntryKind::Sentiment) => facts.sentiments.extend(score.map(|s| (day, s))),
                Some(kind @ (EntryKind::Nps | EntryKind::Csat | EntryKind::Ces)) => {
                    let Some(score) = score else { return };
                    let series = match kind {
                        EntryKind::Nps => &mut facts.nps,
                        EntryKind::Csat => &mut facts.csat,
                        _ => &mut facts.ces,
                    };
                    series.push((day, score));
                    let log = LogKind::of(kind);
                    // Role-filtered sources take the responses of their roles.
                    if !self.catalog.responses.is_empty() {
                        let role = ContactRole::from_key(&role);
                        for (slot, (k, roles)) in self.catalog.responses.iter().enumerate() {
                            if Some(*k) == log && role.is_some_and(|r| roles.contains(&r)) {
                                facts.responses[slot].push((day, score));
                            }
                        }
                    }
                }
                Some(EntryKind::Touch) => facts.touches.push((day, 1.0)),
                Some(EntryKind::Bug) => facts.bugs.push((day, 1.0)),
                // Risk flags feed no factor (triage reads them), nor do notes.
                Some(EntryKind::Risk | EntryKind::Note) | None => {}
            },
            Fact::GoalStatus { goal_id, created, day, status } => {
                if self.goal_ids.last() != Some(&goal_id) {
                    self.goal_ids.push(goal_id);
                    facts.goals.push(GoalFact { created: Some(created), statuses: Vec::new() });
                }
                if let (Some(goal), Some(status)) = (facts.goals.last_mut(), GoalStatus::from_key(&status)) {
                    goal.statuses.push((day, status));
                }
            }
            Fact::Milestone { due, done } => facts.milestones.push(MilestoneFact { due, done }),
            Fact::Contact { role, since, left } => {
                facts.contacts.push(ContactFact { role: ContactRole::from_key(&role), since, left })
            }
            Fact::RoleTouch { role, day } => {
                if let Some(role) = ContactRole::from_key(&role) {
                    facts.role_touches[role.index()].push((day, 1.0));
                }
            }
        }
    }
}

impl Store {
    /// Every fact about one account that the catalog's factors read, each series sorted oldest
    /// first.
    pub fn account_facts(&self, account_id: i64, catalog: &Catalog) -> Result<AccountFacts> {
        let conn = self.conn();
        let err = |e| self.err(e);
        let mut stmt = conn.prepare_cached(&format!("{ACCOUNT_SQL} WHERE id = ?1")).map_err(err)?;
        let book = book_days(conn).map_err(err)?.for_catalog(catalog);
        let (_, mut c) = stmt.query_row([account_id], |r| Collector::new(catalog, &book, r)).map_err(err)?;
        add_rows_of(conn, account_id, &mut c).map_err(err)?;
        Ok(c.facts)
    }

    /// The kinds of entries factors read that the book has logged (not deleted).
    pub fn logged_kinds(&self) -> Result<Vec<LogKind>> {
        let kinds: Vec<String> =
            self.query_list("SELECT DISTINCT kind FROM entries WHERE deleted_at IS NULL", [], |r| r.get(0))?;
        Ok(kinds.iter().filter_map(|k| LogKind::of(EntryKind::from_key(k)?)).collect())
    }

    /// What the book holds that factors can read, for `tend config check`: metric names, log
    /// kinds, and for each of `attributes` how many accounts have it and how many as a number.
    pub fn data_inventory(&self, attributes: &[String]) -> Result<DataInventory> {
        let conn = self.conn();
        let err = |e| self.err(e);
        let strings = |sql: &str| -> Result<Vec<String>> {
            let mut stmt = conn.prepare(sql).map_err(err)?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0)).map_err(err)?;
            rows.collect::<rusqlite::Result<Vec<_>>>().map_err(err)
        };
        let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).map_err(err).map(|n| n as usize);
        let mut inventory = DataInventory {
            metrics: strings("SELECT DISTINCT metric FROM metric_samples ORDER BY metric")?,
            logs: self.logged_kinds()?,
            goals: count("SELECT EXISTS (SELECT 1 FROM goals WHERE deleted_at IS NULL)")? > 0,
            milestones: count(
                "SELECT EXISTS (SELECT 1 FROM milestone_rows WHERE deleted_at IS NULL)
                     OR EXISTS (SELECT 1 FROM planned_milestones)",
            )? > 0,
            contacts: count("SELECT EXISTS (SELECT 1 FROM contacts WHERE deleted_at IS NULL)")? > 0,
            accounts: count("SELECT count(*) FROM accounts")?,
            with_expected_usage: count("SELECT count(*) FROM accounts WHERE expected_usage IS NOT NULL")?,
            with_customer_since: count("SELECT count(*) FROM accounts WHERE customer_since IS NOT NULL")?,
            attributes: Vec::new(),
        };
        let mut stmt =
            conn.prepare("SELECT j.value FROM accounts a, json_each(a.attributes) j WHERE replace(replace(lower(trim(j.key)), ' ', '_'), '-', '_') = ?1").map_err(err)?;
        for name in attributes {
            let (mut with, mut numeric, mut sample) = (0, 0, None);
            for value in stmt.query_map([crate::text::key_form(name)], |r| r.get::<_, String>(0)).map_err(err)? {
                let value = value.map_err(err)?;
                with += 1;
                match parse_number(&value) {
                    Some(_) => numeric += 1,
                    None => sample = sample.or(Some(value)),
                }
            }
            if with > 0 {
                inventory.attributes.push((name.clone(), with, numeric, sample));
            }
        }
        Ok(inventory)
    }

    /// Whether some account may have the field `name` (an imported column kept as an attribute),
    /// as a factor's `field:` names it: false only where no account's attributes hold it in any
    /// spelling `text::key_form` reads alike. One pass over the accounts' attribute text where
    /// none has it; a name not of plain letters, digits and spaces is taken to be there.
    pub fn some_account_may_have_field(&self, name: &str) -> Result<bool> {
        let key = crate::text::key_form(name);
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Ok(true);
        }
        // LIKE reads "_" as any one character: "number_of_employees" matches the key "Number
        // of Employees" and "number-of-employees", without regard to case.
        self.conn()
            .query_row("SELECT EXISTS (SELECT 1 FROM accounts WHERE attributes LIKE ?1)", [format!("%{key}%")], |r| {
                r.get(0)
            })
            .map_err(|e| self.err(e))
    }

    /// Whether the book holds any evidence: a metric sample or a log entry.
    pub fn has_facts(&self) -> Result<bool> {
        // Evidence only: planned milestones and goals never make a score alone, so a book of
        // freshly imported accounts with their journeys has nothing to score on any day.
        self.conn()
            .query_row("SELECT EXISTS (SELECT 1 FROM metric_samples) OR EXISTS (SELECT 1 FROM entries)", [], |r| {
                r.get(0)
            })
            .map_err(|e| self.err(e))
    }

    /// Call `f` with every account's facts, in account id order, reading each table once (or an
    /// account's digest where it stands for its facts).
    pub fn for_each_account_facts(&self, catalog: &Catalog, mut f: impl FnMut(i64, &AccountFacts)) -> Result<()> {
        self.for_each_account_facts_between(catalog, i64::MIN, i64::MAX, &mut f)
    }

    /// The same, for the accounts with ids from `lo` to `hi` inclusive.
    pub fn for_each_account_facts_between(
        &self,
        catalog: &Catalog,
        lo: i64,
        hi: i64,
        mut f: impl FnMut(i64, &AccountFacts),
    ) -> Result<()> {
        stream_facts(self.conn(), catalog, (lo, hi), &mut f, None).map_err(|e| self.err(e))
    }

    /// `for_each_account_facts_between`, adding to `made` a digest of the facts of each account
    /// read from its rows, for `store_fact_digests` to keep (the pass over the whole book that a
    /// new day's first open makes: the next reads the digests).
    pub fn for_each_account_facts_digesting(
        &self,
        catalog: &Catalog,
        lo: i64,
        hi: i64,
        made: &mut Vec<FactDigest>,
        mut f: impl FnMut(i64, &AccountFacts),
    ) -> Result<()> {
        stream_facts(self.conn(), catalog, (lo, hi), &mut f, Some(made)).map_err(|e| self.err(e))
    }

    /// Keep the digests `made` by `for_each_account_facts_digesting`, each only while its account's
    /// facts are still at the version it was made from; digests made for another catalog are
    /// dropped first. Returns how many were stored.
    pub fn store_fact_digests(&mut self, catalog: &Catalog, made: &[FactDigest]) -> Result<usize> {
        if made.is_empty() || self.read_only().is_some() {
            return Ok(0);
        }
        self.write_derived(|w| w.store_fact_digests(catalog, made))
    }
}

impl super::writer::Writer<'_> {
    /// `Store::store_fact_digests` in this transaction.
    pub(crate) fn store_fact_digests(&mut self, catalog: &Catalog, made: &[FactDigest]) -> Result<usize> {
        let Some(key) = fact_digest::key(catalog) else { return Ok(0) };
        if made.is_empty() {
            return Ok(0);
        }
        let kept: Option<String> = self
            .tx()
            .query_row("SELECT value FROM book_meta WHERE key = ?1", [fact_digest::CATALOG_KEY], |r| r.get(0))
            .optional()
            .map_err(|e| self.store_err(e))?;
        if kept.as_deref() != Some(key.as_str()) {
            self.tx().execute("DELETE FROM fact_digests", []).map_err(|e| self.store_err(e))?;
            self.set_meta(fact_digest::CATALOG_KEY, &key)?;
        }
        use rusqlite::types::ToSqlOutput;
        let rows: Vec<Vec<ToSqlOutput>> = made
            .iter()
            .map(|d| {
                let [id, version] = [d.account_id, d.facts_version].map(ToSqlOutput::from);
                vec![id, version.clone(), version, ToSqlOutput::from(d.body.as_slice())]
            })
            .collect();
        self.insert_at_versions("fact_digests", &["facts_version", "body"], &rows)
    }
}

/// Add the facts of account `id` from its rows, one query per kind of fact.
fn add_rows_of(conn: &Connection, id: i64, c: &mut Collector) -> rusqlite::Result<()> {
    let catalog = c.catalog;
    for (sql, order, _, read) in QUERIES.into_iter().filter(|q| needed(q.0, catalog)) {
        let sql = format!("{sql} AND {} = ?1 ORDER BY {order}", account_column(sql));
        let mut stmt = conn.prepare_cached(&sql)?;
        for row in stmt.query_map([id], |r| read(r, catalog))? {
            c.add(row?.fact);
        }
    }
    Ok(())
}

fn account_column(sql: &str) -> &'static str {
    match sql {
        GOALS_SQL => "g.account_id",
        ROLE_TOUCHES_SQL => "e.account_id",
        ATTRIBUTES_SQL => "a.id",
        _ => "account_id",
    }
}

/// Hand `f` the facts of each account from `lo` to `hi` in id order: from their digests where
/// the range has them (`from_digests`), else from the rows, read table by table in id order,
/// adding a digest of each account to `made` when asked.
fn stream_facts(
    conn: &Connection,
    catalog: &Catalog,
    (lo, hi): (i64, i64),
    f: &mut dyn FnMut(i64, &AccountFacts),
    mut made: Option<&mut Vec<FactDigest>>,
) -> rusqlite::Result<()> {
    // The book's days, read once: every account's facts carry them.
    let book = book_days(conn)?.for_catalog(catalog);
    let Some(key) = fact_digest::key(catalog) else { return stream_rows(conn, catalog, &book, (lo, hi), f, None) };
    // A window of accounts at a time, each read from digests or from rows as it has them: a pass
    // stopped partway (a tend closed while it worked the next day out ahead) leaves digests for
    // the first accounts only.
    let mut start = lo;
    loop {
        let end: i64 = conn
            .prepare_cached("SELECT id FROM accounts WHERE id BETWEEN ?1 AND ?2 ORDER BY id LIMIT 1 OFFSET ?3")?
            .query_row([start, hi, DIGEST_WINDOW - 1], |r| r.get(0))
            .optional()?
            .unwrap_or(hi);
        if !from_digests(conn, catalog, &book, &key, (start, end), f, made.as_deref_mut())? {
            stream_rows(conn, catalog, &book, (start, end), f, made.as_deref_mut())?;
        }
        if end >= hi {
            return Ok(());
        }
        start = end + 1;
    }
}

/// Accounts read from digests, or from rows, at a time.
const DIGEST_WINDOW: i64 = 2_000;

/// `stream_facts` from the rows alone, table by table in account id order.
fn stream_rows(
    conn: &Connection,
    catalog: &Catalog,
    book: &BookDays,
    (lo, hi): (i64, i64),
    f: &mut dyn FnMut(i64, &AccountFacts),
    mut made: Option<&mut Vec<FactDigest>>,
) -> rusqlite::Result<()> {
    let mut accounts = conn.prepare_cached(&format!("{ACCOUNT_SQL} WHERE id BETWEEN ?1 AND ?2 ORDER BY id"))?;
    let mut statements = QUERIES
        .iter()
        .filter(|(sql, ..)| needed(sql, catalog))
        .map(|(sql, _, order, read)| {
            let sql = format!("{sql} AND {} BETWEEN ?1 AND ?2 ORDER BY {order}", account_column(sql));
            Ok((conn.prepare_cached(&sql)?, *read))
        })
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut cursors = statements
        .iter_mut()
        .map(|(stmt, read)| {
            let read = *read;
            Ok(stmt.query_map([lo, hi], move |r| read(r, catalog))?.peekable())
        })
        .collect::<rusqlite::Result<Vec<_>>>()?;

    let rows = accounts.query_map([lo, hi], |r| Ok((Collector::new(catalog, book, r)?, r.get::<_, i64>(7)?)))?;
    for row in rows {
        let ((id, mut c), version) = row?;
        for cursor in &mut cursors {
            take(cursor, id, &mut c)?;
        }
        f(id, &c.facts);
        if let Some(made) = made.as_deref_mut() {
            made.push(FactDigest::of(id, version, &c.facts));
        }
    }
    Ok(())
}

/// Read the accounts from `lo` to `hi` from their digests (an account without one from its own
/// rows, its digest added to `made`), if at most a quarter of them lack one; false, having handed
/// `f` nothing, if more do (the range is read from the rows, table by table, which beats a query
/// per account for many).
fn from_digests(
    conn: &Connection,
    catalog: &Catalog,
    book: &BookDays,
    key: &str,
    (lo, hi): (i64, i64),
    f: &mut dyn FnMut(i64, &AccountFacts),
    mut made: Option<&mut Vec<FactDigest>>,
) -> rusqlite::Result<bool> {
    let mut stmt = conn.prepare_cached(DIGESTS_SQL)?;
    let mut accounts = Vec::new();
    let mut lacking = 0;
    let rows = stmt.query_map(rusqlite::params![lo, hi, key], |r| {
        let (id, mut c) = Collector::new(catalog, book, r)?;
        // Read in place: a new day's pass reads a hundred thousand of them.
        let digested = match r.get_ref(8)? {
            rusqlite::types::ValueRef::Blob(body) => fact_digest::decode(body, id, &mut c.facts).is_some(),
            _ => false,
        };
        Ok((id, c, r.get::<_, i64>(7)?, digested))
    })?;
    for row in rows {
        let account = row?;
        lacking += usize::from(!account.3);
        accounts.push(account);
    }
    if lacking * 4 > accounts.len() {
        return Ok(false);
    }
    for (id, mut c, version, digested) in accounts {
        if !digested {
            // Its facts version was read before its rows: should a write change them in between,
            // the digest is made from facts newer than the version and is not stored.
            add_rows_of(conn, id, &mut c)?;
            if let Some(made) = made.as_deref_mut() {
                made.push(FactDigest::of(id, version, &c.facts));
            }
        }
        f(id, &c.facts);
    }
    Ok(true)
}

/// The days of the whole book that every account's facts carry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BookDays {
    /// The days the book's usage data covers.
    pub data_days: DataDays,
    /// The book's sample counts by day but the help desk's ticket counts
    /// (`data_days::TICKETS_METRIC`): its usage data's, which a new week of it is compared with.
    pub usage_counts: std::sync::Arc<[(NaiveDate, u64)]>,
    /// The days `usage_counts` cover: what the screens call a thin newest week, and whether the
    /// book has a live usage feed.
    pub usage_days: DataDays,
    /// The days each metric's own samples cover, by metric name (`AccountFacts::metric_days`).
    pub by_metric: std::sync::Arc<[(String, DataDays)]>,
    /// `by_metric` by a catalog's metric slots (`for_catalog`), as the facts carry them.
    pub slots: std::sync::Arc<[DataDays]>,
    /// The first bug logged in the book.
    pub bugs_since: Option<NaiveDate>,
    /// About how many accounts the book has (its highest account id): what a broad feed is
    /// measured against (`broad`).
    pub accounts: u64,
    /// `broad` by a catalog's metric slots (`for_catalog`).
    pub broad_slots: std::sync::Arc<[bool]>,
}

impl BookDays {
    /// The newest day the book's usage data covers up to `today`: "data current to".
    pub fn metrics_through(&self, today: NaiveDate) -> Option<NaiveDate> {
        self.data_days.through(today)
    }

    /// How the book's newest data comes ("weekly", "monthly": `DataDays::rhythm`): the rhythm of
    /// the feeds that end on its newest day, when they share one. Daily ticket counts beside a
    /// weekly usage export are not "weekly data 1d old" (a probe read that of its tickets); a book
    /// whose metrics' own days are unknown reads its own.
    pub fn rhythm(&self, today: NaiveDate) -> Option<&'static str> {
        let through = self.metrics_through(today)?;
        let mut newest = self.by_metric.iter().filter(|(_, days)| days.through(today) == Some(through));
        let Some((_, first)) = newest.next() else { return self.data_days.rhythm(today) };
        let rhythm = first.rhythm(today)?;
        newest.all(|(_, days)| days.rhythm(today) == Some(rhythm)).then_some(rhythm)
    }

    /// The metrics among `read` (the ones the config's factors read) whose own feed is overdue
    /// (`DataDays::overdue`) and behind the book's other data on `today`, with the day each ends
    /// on, oldest first. A weekly usage export gone quiet beside a daily help desk's: the book's
    /// data reads current, while every score that reads usage stands on weeks-old samples (a
    /// probe back from two weeks off read "data current").
    pub fn quiet_feeds(&self, today: NaiveDate, read: &[String]) -> Vec<(String, NaiveDate)> {
        let mut quiet: Vec<(String, NaiveDate)> = self
            .by_metric
            .iter()
            .filter(|(name, _)| read.contains(name))
            .filter_map(|(name, days)| Some((name.clone(), days.quiet_beside(&self.data_days, today)?)))
            .collect();
        quiet.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        quiet
    }

    /// The book's days from their counts: the book's, and each metric's (`metric_key`, value).
    pub(crate) fn from_counts(
        book: Option<&str>,
        metrics: impl IntoIterator<Item = (String, String)>,
        bugs_since: Option<NaiveDate>,
        accounts: u64,
    ) -> BookDays {
        let mut tickets = None;
        let mut by_metric: Vec<(String, DataDays)> = metrics
            .into_iter()
            .filter_map(|(key, text)| {
                let metric = key.strip_prefix(METRIC_DAYS_OF)?.to_string();
                let days = DataDays::from_text(Some(&text));
                if metric == crate::domain::data_days::TICKETS_METRIC {
                    tickets = Some(text);
                }
                Some((metric, days))
            })
            .collect();
        by_metric.sort_by(|a, b| a.0.cmp(&b.0));
        // The book's counts read once: its days, and its usage's (the same without ticket counts).
        let counts = crate::domain::data_days::parse_counts(book.unwrap_or(""));
        let data_days = DataDays::from_counts(&counts);
        let (usage_counts, usage_days) = match tickets {
            Some(text) => {
                let usage =
                    crate::domain::data_days::less_counts(&counts, &crate::domain::data_days::parse_counts(&text));
                let days = DataDays::from_counts(&usage);
                (usage, days)
            }
            None => (counts, data_days.clone()),
        };
        BookDays {
            data_days,
            usage_days,
            usage_counts: usage_counts.into(),
            by_metric: by_metric.into(),
            slots: Default::default(),
            bugs_since,
            accounts,
            broad_slots: Default::default(),
        }
    }

    /// The days with each metric's put in `catalog`'s metric slots, once for a pass.
    pub fn for_catalog(mut self, catalog: &crate::domain::catalog::Catalog) -> BookDays {
        self.slots = catalog
            .metrics
            .iter()
            .map(|m| self.by_metric.iter().find(|(name, _)| name == m).map(|(_, d)| d.clone()).unwrap_or_default())
            .collect();
        self.broad_slots = self.slots.iter().map(|days| self.broad(days)).collect();
        self
    }

    /// Whether a metric's feed is an export of the book's accounts rather than of a few: its
    /// busiest covered day holds samples of at least a quarter of them. A usage file of one
    /// account says nothing of the accounts it does not name (`AccountFacts::broad_metrics`).
    pub fn broad(&self, days: &DataDays) -> bool {
        self.accounts > 0 && days.most_samples().saturating_mul(4) >= self.accounts
    }
}

/// The key of `book_meta` that holds the book's sample counts by day (`data_days::counts_text`).
pub const METRIC_DAYS: &str = "metric_days";

/// The prefix of the keys that hold each metric's own counts ("metric_days:logins").
pub const METRIC_DAYS_OF: &str = "metric_days:";

/// The key of `book_meta` that holds a metric's own sample counts by day.
pub fn metric_key(metric: &str) -> String {
    format!("{METRIC_DAYS_OF}{metric}")
}

/// The book's `BookDays`, read on `conn` (the book's connection or a reader beside it).
pub(crate) fn book_days(conn: &Connection) -> rusqlite::Result<BookDays> {
    let counts = counts_text(conn)?;
    let mut stmt =
        conn.prepare_cached("SELECT key, value FROM book_meta WHERE key LIKE 'metric\\_days:%' ESCAPE '\\'")?;
    let metrics = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // From the partial index of bugs: one step, however many entries.
    let bugs: Option<String> =
        conn.query_row("SELECT min(day) FROM entries WHERE kind = 'bug' AND deleted_at IS NULL", [], |r| r.get(0))?;
    // The highest id, one step down the table's b-tree: a count would read every row.
    let accounts: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM accounts", [], |r| r.get(0))?;
    Ok(BookDays::from_counts(counts.as_deref(), metrics, bugs.and_then(|d| d.parse().ok()), accounts.max(0) as u64))
}

/// The book's sample counts by day as it keeps them (`data_days::counts_text`), if any.
pub(super) fn counts_text(conn: &Connection) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM book_meta WHERE key = ?1", [METRIC_DAYS], |r| r.get(0)).optional()
}

impl Store {
    /// The days of the whole book every account's facts carry (see `BookDays`).
    pub fn book_days(&self) -> Result<BookDays> {
        book_days(self.conn()).map_err(|e| self.err(e))
    }

    /// How many accounts have a usage sample on `day`, not a ticket count (a scan of the samples:
    /// asked rarely).
    pub fn accounts_sampled_on(&self, day: NaiveDate) -> Result<u64> {
        self.conn()
            .query_row(
                "SELECT count(DISTINCT account_id) FROM metric_samples WHERE day = ?1 AND metric <> ?2",
                [day.to_string(), crate::domain::data_days::TICKETS_METRIC.to_string()],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n.max(0) as u64)
            .map_err(|e| self.err(e))
    }
}

/// Move the rows of account `id` from a cursor into the collector. Rows of lower ids belong to no
/// account (foreign keys prevent it) and are skipped.
fn take(
    rows: &mut Peekable<impl Iterator<Item = rusqlite::Result<FactRow>>>,
    id: i64,
    c: &mut Collector,
) -> rusqlite::Result<()> {
    while let Some(next) = rows.peek() {
        match next {
            Ok(row) if row.account_id < id => {
                rows.next();
            }
            Ok(row) if row.account_id == id => c.add(rows.next().expect("peeked")?.fact),
            Ok(_) => break,
            Err(_) => return rows.next().expect("peeked").map(|_| ()),
        }
    }
    Ok(())
}
