//! `tend db copy`: a book moved whole between a SQLite file and a team book, table by table,
//! checked by each table's row count and a hash of its rows read back from the target before
//! anything is kept. A refused copy changes nothing: into PostgreSQL it is one transaction (the
//! schema too, when the database had none), into SQLite a new file written beside the target
//! and renamed into place only once checked.

use std::io::Write;
use std::path::Path;

use postgres::Transaction;
use postgres::types::Type;
use rusqlite::OptionalExtension;
use rusqlite::types::ValueRef;

use super::{Result, TeamBook, TeamError, detail, schema};
use crate::store::Store;

/// The tables of a book, parents before children (so foreign keys hold at each row), and the
/// columns that identify a row. The SQLite book's full-text index is not copied: it is built
/// from the entries, goals and milestones as they are written.
pub const BOOK_TABLES: &[(&str, &str)] = &[
    ("book_meta", "key"),
    ("csms", "id"),
    ("accounts", "id"),
    ("metric_samples", "account_id, metric, day"),
    ("entries", "id"),
    ("goals", "id"),
    ("goal_status_changes", "id"),
    ("arr_changes", "id"),
    ("health_history", "account_id"),
    ("history_days", "day"),
    ("history_stale", "account_id"),
    ("triage_marks", "account_id"),
    ("band_overrides", "id"),
    ("scoring_changes", "id"),
    ("milestone_rows", "id"),
    ("journey_steps", "id"),
    ("planned_milestones", "id"),
    ("contract_events", "id"),
    ("triage_heads", "scope"),
    ("tasks", "id"),
    ("playbook_episodes", "id"),
    ("contacts", "id"),
    ("changes", "id"),
    ("factor_snapshots", "account_id"),
];

/// The columns of a table's key, as `BOOK_TABLES` lists them.
fn key_columns(key: &str) -> Vec<&str> {
    key.split(", ").collect()
}

/// A column's kind, as the team book declares it (the SQLite book holds the same values).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Integer,
    Real,
    Text,
    Bytes,
}

/// One value, as both books hold it.
#[derive(Debug, PartialEq)]
pub(crate) enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Bytes(Vec<u8>),
}

/// A table's rows counted and hashed. The hash of a table is the sum of its rows' hashes, so it
/// does not depend on the order the rows are read in (the two databases order text differently).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Digest {
    pub rows: u64,
    pub hash: u128,
}

impl Digest {
    fn add(&mut self, row: &[Value]) {
        use std::hash::{BuildHasher, Hash, Hasher};
        let mut halves = [0u64; 2];
        for (half, seed) in halves.iter_mut().zip([0x9e37_79b9_7f4a_7c15, 0xc2b2_ae3d_27d4_eb4f]) {
            let mut h = foldhash::quality::FixedState::with_seed(seed).build_hasher();
            for value in row {
                match value {
                    Value::Null => 0u8.hash(&mut h),
                    Value::Integer(i) => (1u8, i).hash(&mut h),
                    Value::Real(r) => (2u8, r.to_bits()).hash(&mut h),
                    Value::Text(t) => (3u8, t).hash(&mut h),
                    Value::Bytes(b) => (4u8, b).hash(&mut h),
                }
            }
            *half = h.finish();
        }
        self.rows += 1;
        self.hash = self.hash.wrapping_add(u128::from(halves[0]) << 64 | u128::from(halves[1]));
    }
}

/// What a copy moved: each table's digest, as read back from the target.
#[derive(Debug, Default)]
pub struct Copied {
    pub tables: Vec<(&'static str, Digest)>,
    /// Tables asked for since a view but pulled whole: emptied at once, or their deletions
    /// folded away, since it.
    pub whole_instead: Vec<&'static str>,
    /// The accounts the rows pulled since a view, and the rows deleted since it, are about
    /// (written by tend or by SQL of a member's own, which moves no account's facts version).
    pub touched: std::collections::BTreeSet<i64>,
}

impl Copied {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, d)| d.rows).sum()
    }

    pub fn count(&self, table: &str) -> u64 {
        self.tables.iter().find(|(t, _)| *t == table).map_or(0, |(_, d)| d.rows)
    }

    /// The whole book's hash, for the summary: the tables' hashes combined in their order.
    pub fn hash(&self) -> u128 {
        self.tables.iter().fold(0u128, |acc, (_, d)| acc.rotate_left(7) ^ d.hash)
    }
}

/// Copy the SQLite book at `from` into the team book `to`, which must be empty (its schema is
/// created if it has none).
pub fn file_to_team(from: &Path, to: &mut TeamBook, bar: &indicatif::ProgressBar) -> Result<Copied> {
    let source = tend_book(from)?;
    let url = to.url.clone();
    let err = super::db_error(&url);
    let mut tx = to.client.get_mut().transaction().map_err(err)?;
    schema::migrate(&mut tx, &url)?;
    refuse_unless_empty(&mut tx, &url)?;
    let mut copied = Copied::default();
    for &(table, key) in BOOK_TABLES {
        let columns = team_columns(&mut tx, &url, table)?;
        let names = sqlite_columns(&source, table)?;
        if !same_columns(&columns, &names) {
            return Err(TeamError::Refused(format!(
                "{}: table {table} has columns ({}) where the team book has ({}); nothing was copied",
                from.display(),
                names.join(", "),
                column_list(&columns)
            )));
        }
        let list = column_list(&columns);
        let mut sent = Digest::default();
        bar.set_message(table);
        {
            let mut writer = tx.copy_in(&format!("COPY {table} ({list}) FROM STDIN")).map_err(err)?;
            let mut line = Vec::new();
            read_sqlite_rows(source.conn(), from, table, key, &columns, |row| {
                line.clear();
                copy_text_line(row, &mut line);
                sent.add(row);
                tick(bar, sent.rows);
                writer.write_all(&line).map_err(|e| TeamError::Database { url: url.clone(), detail: e.to_string() })
            })?;
            writer.finish().map_err(|e| refused_row(&url, table, &e))?;
        }
        if columns.iter().any(|(n, _)| n == "id") && key == "id" {
            tx.execute(
                &format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}"),
                &[],
            )
            .map_err(err)?;
        }
        let read_back = team_digest(&mut tx, &url, table, &columns)?;
        check_same(table, sent, read_back)?;
        copied.tables.push((table, read_back));
    }
    tx.commit().map_err(err)?;
    Ok(copied)
}

/// The SQLite book at `path`, opened only to read (the copy changes nothing in it, not even its
/// schema), refused unless it is a tend book of this tend's schema.
fn tend_book(path: &Path) -> Result<Store> {
    let refuse = |why: String| Err(TeamError::Refused(format!("{}: {why}; nothing was copied", path.display())));
    match std::fs::metadata(path) {
        Err(_) => return refuse("no book there".into()),
        Ok(m) if !m.is_file() => return refuse("not a file".into()),
        Ok(m) if m.len() == 0 => return refuse("an empty file, not a tend book (a copy cut short?)".into()),
        Ok(_) => {}
    }
    let store = Store::open_to_read(path)?;
    let (version, has_accounts): (i64, bool) = store
        .conn()
        .query_row(
            "SELECT (SELECT user_version FROM pragma_user_version),
                    EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'accounts')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| TeamError::Refused(format!("{}: {e}; nothing was copied", path.display())))?;
    let known = crate::store::migrations::STEPS.len() as i64;
    if version == 0 || !has_accounts {
        return refuse("not a tend book (it has no accounts table)".into());
    }
    if version < known {
        return refuse(format!(
            "a book of an older tend (schema version {version} of {known}): open it once with this tend \
             (`tend --db {} report triage`) to bring it up to date, then copy it",
            path.display()
        ));
    }
    Ok(store)
}

/// Copy the team book `from` into a new SQLite book at `to` (refused if a file is there).
pub fn team_to_file(from: &mut TeamBook, to: &Path, bar: &indicatif::ProgressBar) -> Result<Copied> {
    if to.exists() {
        return Err(TeamError::Refused(format!(
            "{} already exists: tend db copy writes a new book; move that one away or name another file",
            to.display()
        )));
    }
    let folder = to.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let url = from.url.clone();
    let err = super::db_error(&url);
    let mut tx = from.one_view()?;
    let file = tempfile::Builder::new()
        .prefix(".tend-copy-")
        .tempfile_in(folder)
        .map_err(|e| TeamError::Refused(format!("cannot write in {}: {e}", folder.display())))?;
    let copied = {
        let mut target = Store::open(file.path())?;
        pull_tables(&mut tx, &url, &mut target, to, bar, Checked::ReadBack, &|_| Pull::Whole, &mut |_, _| Ok(()))?
    };
    tx.commit().map_err(err)?;
    file.persist_noclobber(to).map_err(|e| {
        TeamError::Refused(format!("cannot put the copy at {}: {} (nothing was written there)", to.display(), e.error))
    })?;
    Ok(copied)
}

/// Whether a pull reads each table back to check it against what was sent: a copy that is kept
/// does; the TUI's snapshot of a team book, pulled again after every write, counts the rows only.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Checked {
    ReadBack,
    Counted,
}

/// What `pull_tables` runs in its SQLite transaction once the rows are in, before it commits.
/// It is given the accounts the rows pulled since a view are about (`Copied::touched`), or None
/// when a table asked for since a view was pulled whole (which accounts it touched is not known).
pub(crate) type Finish<'a> =
    &'a mut dyn FnMut(&rusqlite::Connection, Option<&std::collections::BTreeSet<i64>>) -> rusqlite::Result<()>;

/// How `pull_tables` brings one table of the team book over.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Pull {
    /// Left as it is.
    Skip,
    /// Every row again.
    Whole,
    /// Only the rows written, and the deletions made, by the transactions the view `since` (a
    /// `pg_current_snapshot()`, as text) did not see (schema step 10: a table whose rows keep the
    /// transaction that last wrote them); the table whole when one of them emptied it.
    Since(String),
}

/// The transactions a view (`$1`, text) did not see: its xmin bounds them, so an index serves.
const UNSEEN_BY: &str =
    "xact >= pg_snapshot_xmin($1::text::pg_snapshot) AND NOT pg_visible_in_snapshot(xact, $1::text::pg_snapshot)";

/// The tables of the team book, each as `how` says (every one whole: `&|_| Pull::Whole`), as
/// `tx` sees them, into the SQLite book `target` (shown as `to`), in one SQLite transaction with
/// what `finish` then writes; the others are left as they are.
#[allow(clippy::too_many_arguments)]
pub(crate) fn pull_tables(
    tx: &mut Transaction,
    url: &str,
    target: &mut Store,
    to: &Path,
    bar: &indicatif::ProgressBar,
    checked: Checked,
    how: &dyn Fn(&str) -> Pull,
    finish: Finish,
) -> Result<Copied> {
    let err = super::db_error(url);
    let mut copied = Copied::default();
    let conn = target.conn_mut();
    let write = |e: rusqlite::Error| TeamError::Refused(format!("cannot write {}: {e}", to.display()));
    let sqlite = conn.transaction().map_err(write)?;
    let mut tables: Vec<TablePull> = Vec::new();
    for &(table, key) in BOOK_TABLES {
        let pull = how(table);
        if pull != Pull::Skip {
            let columns = team_columns(tx, url, table)?;
            tables.push(TablePull { table, key, pull, deleted: Vec::new(), columns });
        }
    }
    for TablePull { table, key, pull, deleted, columns } in &mut tables {
        let Pull::Since(view) = pull else {
            // A new book may start with rows of its own (its facts about itself): the copy's replace them.
            sqlite.execute(&format!("DELETE FROM {table}"), []).map_err(write)?;
            continue;
        };
        // Deletions folded away that the view may not have seen count as a table emptied.
        let sql = format!(
            "SELECT row_id FROM book_deletes WHERE tbl = $2 AND {UNSEEN_BY}
             UNION ALL SELECT NULL FROM book_deletes_folded
             WHERE tbl = $2 AND upto >= pg_snapshot_xmin($1::text::pg_snapshot)"
        );
        let gone: Vec<Option<i64>> =
            tx.query(&sql, &[&view.as_str(), table]).map_err(err)?.iter().map(|r| r.get(0)).collect();
        if gone.iter().any(Option::is_none) {
            // Emptied at once (TRUNCATE), or deletions folded: no key says what went.
            *pull = Pull::Whole;
            copied.whole_instead.push(table);
            sqlite.execute(&format!("DELETE FROM {table}"), []).map_err(write)?;
            continue;
        }
        let first = key_columns(key)[0];
        let mut delete = sqlite.prepare(&format!("DELETE FROM {table} WHERE {first} = ?1")).map_err(write)?;
        // The account each row deleted was about, read before it goes (a key that is the
        // account's id is that account: a sample's).
        let link = account_link(table, columns);
        let first_is_account = matches!(link, AccountLink::Column { name, .. } if name == first);
        let account_sql = match link {
            AccountLink::Column { name, .. } if !first_is_account => {
                Some(format!("SELECT {name} FROM {table} WHERE {first} = ?1"))
            }
            AccountLink::Goal { name, .. } => {
                Some(format!("SELECT g.account_id FROM {table} t JOIN goals g ON g.id = t.{name} WHERE t.{first} = ?1"))
            }
            _ => None,
        };
        let mut account_of = account_sql.map(|sql| sqlite.prepare(&sql)).transpose().map_err(write)?;
        for id in gone.into_iter().flatten() {
            if first_is_account {
                copied.touched.insert(id);
            } else if let Some(account_of) = &mut account_of {
                // The key is the row's own: one row at most.
                let account: Option<Option<i64>> =
                    account_of.query_row([id], |r| r.get(0)).optional().map_err(write)?;
                copied.touched.extend(account.flatten());
            }
            delete.execute([id]).map_err(write)?;
            deleted.push(id);
        }
    }
    let mut goals_touched: Vec<i64> = Vec::new();
    for TablePull { table, key, pull, deleted, columns } in &tables {
        let (table, key) = (*table, *key);
        let list = column_list(columns);
        let marks = (1..=columns.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
        let mut insert = sqlite.prepare(&format!("INSERT INTO {table} ({list}) VALUES ({marks})")).map_err(write)?;
        let mut sent = Digest::default();
        // A copy names each table as it goes; a snapshot's spinner keeps saying what it reads.
        if checked == Checked::ReadBack {
            bar.set_message(table);
        }
        // In the order of each table's key: SQLite then adds every row at the end of its tree
        // (the team book reads them in that order from its own key's index).
        let whole = format!("SELECT {list} FROM {table} ORDER BY {key}");
        let keys = key_columns(key);
        let mut rows = match pull {
            Pull::Since(view) => {
                let unseen = UNSEEN_BY.replace("xact", "row_xact");
                let view: &(dyn postgres::types::ToSql + Sync) = view;
                if keys.len() > 1 && !deleted.is_empty() {
                    // Where some of a first key's rows went, the rest of them are pulled again.
                    let sql = format!(
                        "SELECT {list} FROM {table} WHERE ({unseen}) OR {} = ANY($2::bigint[]) ORDER BY {key}",
                        keys[0]
                    );
                    let deleted: &(dyn postgres::types::ToSql + Sync) = deleted;
                    tx.query_raw(&sql, [view, deleted])
                } else {
                    let sql = format!("SELECT {list} FROM {table} WHERE {unseen} ORDER BY {key}");
                    tx.query_raw(&sql, [view])
                }
            }
            _ => tx.query_raw(&whole, std::iter::empty::<&str>()),
        }
        .map_err(err)?;
        // A row pulled again replaces the one the snapshot holds (deleted first, so that the
        // search index's triggers see it go).
        let mut replaced = match pull {
            Pull::Since(_) => {
                let at = keys
                    .iter()
                    .map(|k| columns.iter().position(|(name, _)| name == k).map(|at| (at, columns[at].1)))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| {
                        TeamError::Refused(format!("table {table}: its key {key} is not among its columns"))
                    })?;
                let matched =
                    keys.iter().enumerate().map(|(i, k)| format!("{k} = ?{}", i + 1)).collect::<Vec<_>>().join(" AND ");
                Some((at, sqlite.prepare(&format!("DELETE FROM {table} WHERE {matched}")).map_err(write)?))
            }
            _ => None,
        };
        use postgres::fallible_iterator::FallibleIterator;
        let refused = |e: rusqlite::Error| {
            TeamError::Refused(format!("table {table}: a row the SQLite book refuses ({e}); nothing was copied"))
        };
        // Where a row pulled since names its account (or its goal), to tell which accounts to
        // work out again.
        let link = match (pull, account_link(table, columns)) {
            (Pull::Since(_), AccountLink::Column { at, .. }) => Some((at, false)),
            (Pull::Since(_), AccountLink::Goal { at, .. }) => Some((at, true)),
            _ => None,
        };
        while let Some(row) = rows.next().map_err(err)? {
            if let Some((at, delete)) = &mut replaced {
                for (param, &(i, kind)) in at.iter().enumerate() {
                    bind_team_value(delete, &row, i, param + 1, kind).map_err(write)?;
                }
                delete.raw_execute().map_err(write)?;
            }
            if let Some((at, goal)) = link {
                let id: Option<i64> = row.try_get(at).map_err(err)?;
                match goal {
                    true => goals_touched.extend(id),
                    false => copied.touched.extend(id),
                }
            }
            if checked == Checked::Counted {
                // Each value bound as the driver reads it, without a copy: a snapshot pulls
                // millions of rows on every open of a large team book.
                for (i, (_, kind)) in columns.iter().enumerate() {
                    bind_team_value(&mut insert, &row, i, i + 1, *kind).map_err(refused)?;
                }
                insert.raw_execute().map_err(refused)?;
                sent.rows += 1;
                tick(bar, sent.rows);
                continue;
            }
            let values: Vec<Value> =
                columns.iter().enumerate().map(|(i, (_, kind))| team_value(&row, i, *kind)).collect();
            if checked == Checked::ReadBack {
                sent.add(&values);
            } else {
                sent.rows += 1;
            }
            tick(bar, sent.rows);
            let params: Vec<rusqlite::types::Value> = values.iter().map(sqlite_value).collect();
            insert.execute(rusqlite::params_from_iter(params)).map_err(refused)?;
        }
        drop(insert);
        if checked == Checked::Counted {
            copied.tables.push((table, sent));
            continue;
        }
        let mut read_back = Digest::default();
        read_sqlite_rows(&sqlite, to, table, key, columns, |row| {
            read_back.add(row);
            Ok(())
        })?;
        check_same(table, sent, read_back)?;
        copied.tables.push((table, read_back));
    }
    if !goals_touched.is_empty() {
        let mut account_of = sqlite.prepare("SELECT account_id FROM goals WHERE id = ?1").map_err(write)?;
        for goal in goals_touched {
            let account: Option<i64> = account_of.query_row([goal], |r| r.get(0)).optional().map_err(write)?;
            copied.touched.extend(account);
        }
    }
    let known = copied.whole_instead.is_empty().then_some(&copied.touched);
    finish(&sqlite, known).map_err(write)?;
    sqlite.commit().map_err(write)?;
    Ok(copied)
}

/// One table `pull_tables` brings over: how, the keys of its rows deleted since the view (of a
/// key of several columns, its first), and its columns.
struct TablePull {
    table: &'static str,
    key: &'static str,
    pull: Pull,
    deleted: Vec<i64>,
    columns: Vec<(String, Kind)>,
}

/// How a row of a table of the book names the account it is about: the column, by name and
/// by its place among the table's columns.
#[derive(Clone, Copy)]
enum AccountLink<'a> {
    /// A column of the account's id (the accounts table: its own id).
    Column { name: &'a str, at: usize },
    /// A column of the goal's id, whose account it is about.
    Goal { name: &'a str, at: usize },
    /// Not about one account (the change log).
    None,
}

fn account_link<'a>(table: &str, columns: &'a [(String, Kind)]) -> AccountLink<'a> {
    let named = |wanted: &str| columns.iter().position(|(name, _)| name == wanted).map(|at| (&*columns[at].0, at));
    let account = if table == "accounts" { "id" } else { "account_id" };
    if let Some((name, at)) = named(account) {
        return AccountLink::Column { name, at };
    }
    if let Some((name, at)) = named("goal_id") {
        return AccountLink::Goal { name, at };
    }
    AccountLink::None
}

/// The rows moved so far, on the progress line now and then (not on every row of millions).
fn tick(bar: &indicatif::ProgressBar, rows: u64) {
    if rows.is_multiple_of(4096) {
        bar.inc(4096);
    }
}

/// Refuse a team book that holds a book already (one without tend's schema yet is empty), before
/// anything is made to copy into it.
pub fn refuse_unless_empty_now(book: &mut TeamBook) -> Result<()> {
    let url = book.url.clone();
    let mut tx = book.client.get_mut().transaction().map_err(super::db_error(&url))?;
    let made: bool =
        tx.query_one("SELECT to_regclass('public.accounts') IS NOT NULL", &[]).map_err(super::db_error(&url))?.get(0);
    if made {
        refuse_unless_empty(&mut tx, &url)?;
    }
    Ok(())
}

/// Every table of the book holds no row (a copy goes into an empty book only).
fn refuse_unless_empty(tx: &mut Transaction, url: &str) -> Result<()> {
    for &(table, _) in BOOK_TABLES {
        let any: bool =
            tx.query_one(&format!("SELECT EXISTS (SELECT 1 FROM {table})"), &[]).map_err(super::db_error(url))?.get(0);
        if any {
            let accounts: i64 =
                tx.query_one("SELECT count(*) FROM accounts", &[]).map_err(super::db_error(url))?.get(0);
            let holds = match accounts {
                0 => format!("rows in {table}"),
                n => format!("{} accounts", crate::domain::account::thousands(n as u64)),
            };
            return Err(TeamError::Refused(format!(
                "the team book at {url} is not empty ({holds}): a book is copied (or a demo built) into an empty one only; nothing was changed"
            )));
        }
    }
    Ok(())
}

/// A table's columns in the team book, in their order, with their kinds: but for the transaction
/// that last wrote each row (`row_xact`, schema step 10), the team book's own, not a fact.
fn team_columns(tx: &mut Transaction, url: &str, table: &str) -> Result<Vec<(String, Kind)>> {
    let rows = tx
        .query(
            "SELECT column_name::text, data_type::text FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name = $1 AND column_name <> 'row_xact' ORDER BY ordinal_position",
            &[&table],
        )
        .map_err(super::db_error(url))?;
    rows.iter()
        .map(|r| {
            let (name, ty): (String, String) = (r.get(0), r.get(1));
            let kind = match ty.as_str() {
                "bigint" | "integer" | "smallint" => Kind::Integer,
                "double precision" | "real" => Kind::Real,
                "text" => Kind::Text,
                "bytea" => Kind::Bytes,
                other => {
                    return Err(TeamError::NotTend {
                        url: url.to_string(),
                        detail: format!("its column {table}.{name} is of type {other}, which tend does not write"),
                    });
                }
            };
            Ok((name, kind))
        })
        .collect()
}

fn sqlite_columns(store: &Store, table: &str) -> Result<Vec<String>> {
    let conn = store.conn();
    let mut stmt =
        conn.prepare(&format!("SELECT name FROM pragma_table_info('{table}')")).map_err(sqlite_error(store))?;
    let names = stmt.query_map([], |r| r.get(0)).map_err(sqlite_error(store))?;
    names.collect::<Result<Vec<String>, _>>().map_err(sqlite_error(store))
}

fn sqlite_error(store: &Store) -> impl Fn(rusqlite::Error) -> TeamError + '_ {
    move |e| TeamError::Refused(format!("{}: {e}", store.path().display()))
}

fn same_columns(team: &[(String, Kind)], sqlite: &[String]) -> bool {
    let mut a: Vec<&str> = team.iter().map(|(n, _)| n.as_str()).collect();
    let mut b: Vec<&str> = sqlite.iter().map(String::as_str).collect();
    a.sort_unstable();
    b.sort_unstable();
    a == b
}

/// Each row of a SQLite table, its values as the team book's columns take them. A value of
/// another kind than its column's (SQLite keeps what it is given) refuses the copy, named.
fn read_sqlite_rows(
    conn: &rusqlite::Connection,
    path: &Path,
    table: &str,
    key: &str,
    columns: &[(String, Kind)],
    mut each: impl FnMut(&[Value]) -> Result<()>,
) -> Result<()> {
    let fail = |e: rusqlite::Error| {
        TeamError::Refused(format!("{}: reading table {table}: {e}; nothing was copied", path.display()))
    };
    let mut stmt =
        conn.prepare(&format!("SELECT {} FROM {table} ORDER BY {key}", column_list(columns))).map_err(fail)?;
    let mut rows = stmt.query([]).map_err(fail)?;
    let mut values = Vec::with_capacity(columns.len());
    while let Some(row) = rows.next().map_err(fail)? {
        values.clear();
        for (i, (name, kind)) in columns.iter().enumerate() {
            let refuse = |why: String| {
                let first = row.get_ref(0).map(plain).unwrap_or_default();
                Err(TeamError::Refused(format!(
                    "{}: table {table}, the row whose {} is {first}, column {name}: {why}; nothing was copied",
                    path.display(),
                    columns[0].0
                )))
            };
            let value = match (row.get_ref(i).map_err(fail)?, kind) {
                (ValueRef::Null, _) => Value::Null,
                (ValueRef::Integer(n), Kind::Integer) => Value::Integer(n),
                (ValueRef::Integer(n), Kind::Real) => Value::Real(n as f64),
                (ValueRef::Real(r), Kind::Real) if !r.is_finite() => {
                    return refuse(format!("{r}, which is not a number tend keeps"));
                }
                (ValueRef::Real(r), Kind::Real) => Value::Real(r),
                (ValueRef::Text(t), Kind::Text) => match std::str::from_utf8(t) {
                    Ok(text) if text.contains('\0') => {
                        return refuse("text with a NUL character, which PostgreSQL cannot hold".into());
                    }
                    Ok(text) => Value::Text(text.to_string()),
                    Err(_) => return refuse("text that is not UTF-8".into()),
                },
                (ValueRef::Blob(b), Kind::Bytes) => Value::Bytes(b.to_vec()),
                (other, _) => {
                    let (found, wanted) = (kind_of(other), kind_name(*kind));
                    return refuse(format!("{found} ({}) where the team book keeps {wanted}", plain(other)));
                }
            };
            values.push(value);
        }
        each(&values)?;
    }
    Ok(())
}

/// A table's columns as a SELECT or a COPY lists them.
fn column_list(columns: &[(String, Kind)]) -> String {
    columns.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ")
}

/// A SQLite value as a person would write it.
fn plain(value: ValueRef) -> String {
    match value {
        ValueRef::Null => "empty".into(),
        ValueRef::Integer(n) => n.to_string(),
        ValueRef::Real(r) => r.to_string(),
        ValueRef::Text(t) => format!("\"{}\"", crate::text::clean(&String::from_utf8_lossy(t))),
        ValueRef::Blob(b) => format!("{} bytes", b.len()),
    }
}

fn kind_of(value: ValueRef) -> &'static str {
    match value {
        ValueRef::Null => "nothing",
        ValueRef::Integer(_) => "a whole number",
        ValueRef::Real(_) => "a number with a fraction",
        ValueRef::Text(_) => "text",
        ValueRef::Blob(_) => "bytes",
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Integer => "whole numbers",
        Kind::Real => "numbers",
        Kind::Text => "text",
        Kind::Bytes => "bytes",
    }
}

/// A row as a line of PostgreSQL's COPY text format: tab between values, `\N` for none,
/// backslash escapes for a backslash, tab, newline and carriage return.
pub(crate) fn copy_text_line(row: &[Value], out: &mut Vec<u8>) {
    for (i, value) in row.iter().enumerate() {
        if i > 0 {
            out.push(b'\t');
        }
        match value {
            Value::Null => out.extend_from_slice(b"\\N"),
            Value::Integer(n) => out.extend_from_slice(n.to_string().as_bytes()),
            // Rust writes the shortest text that reads back as the same number.
            Value::Real(r) => out.extend_from_slice(r.to_string().as_bytes()),
            Value::Text(t) => {
                for &b in t.as_bytes() {
                    match b {
                        b'\\' => out.extend_from_slice(b"\\\\"),
                        b'\t' => out.extend_from_slice(b"\\t"),
                        b'\n' => out.extend_from_slice(b"\\n"),
                        b'\r' => out.extend_from_slice(b"\\r"),
                        _ => out.push(b),
                    }
                }
            }
            Value::Bytes(bytes) => {
                out.extend_from_slice(b"\\\\x");
                for b in bytes {
                    out.extend_from_slice(format!("{b:02x}").as_bytes());
                }
            }
        }
    }
    out.push(b'\n');
}

fn team_value(row: &postgres::Row, i: usize, kind: Kind) -> Value {
    let column_type = row.columns()[i].type_();
    let value = match kind {
        Kind::Integer if *column_type == Type::INT4 => row.get::<_, Option<i32>>(i).map(|n| Value::Integer(n.into())),
        Kind::Integer => row.get::<_, Option<i64>>(i).map(Value::Integer),
        Kind::Real => row.get::<_, Option<f64>>(i).map(Value::Real),
        Kind::Text => row.get::<_, Option<String>>(i).map(Value::Text),
        Kind::Bytes => row.get::<_, Option<Vec<u8>>>(i).map(Value::Bytes),
    };
    value.unwrap_or(Value::Null)
}

/// Bind column `i` of a team book's row to parameter `at` of `insert`, as `team_value` reads it.
fn bind_team_value(
    insert: &mut rusqlite::Statement,
    row: &postgres::Row,
    i: usize,
    at: usize,
    kind: Kind,
) -> rusqlite::Result<()> {
    match kind {
        Kind::Integer if *row.columns()[i].type_() == Type::INT4 => {
            insert.raw_bind_parameter(at, row.get::<_, Option<i32>>(i))
        }
        Kind::Integer => insert.raw_bind_parameter(at, row.get::<_, Option<i64>>(i)),
        Kind::Real => insert.raw_bind_parameter(at, row.get::<_, Option<f64>>(i)),
        Kind::Text => insert.raw_bind_parameter(at, row.get::<_, Option<&str>>(i)),
        Kind::Bytes => insert.raw_bind_parameter(at, row.get::<_, Option<&[u8]>>(i)),
    }
}

fn sqlite_value(value: &Value) -> rusqlite::types::Value {
    use rusqlite::types::Value as V;
    match value {
        Value::Null => V::Null,
        Value::Integer(n) => V::Integer(*n),
        Value::Real(r) => V::Real(*r),
        Value::Text(t) => V::Text(t.clone()),
        Value::Bytes(b) => V::Blob(b.clone()),
    }
}

/// Every row of a team book's table, counted and hashed.
fn team_digest(tx: &mut Transaction, url: &str, table: &str, columns: &[(String, Kind)]) -> Result<Digest> {
    use postgres::fallible_iterator::FallibleIterator;
    let err = super::db_error(url);
    let list = column_list(columns);
    let mut rows = tx.query_raw(&format!("SELECT {list} FROM {table}"), std::iter::empty::<i32>()).map_err(err)?;
    let mut digest = Digest::default();
    let mut values = Vec::with_capacity(columns.len());
    while let Some(row) = rows.next().map_err(err)? {
        values.clear();
        values.extend(columns.iter().enumerate().map(|(i, (_, kind))| team_value(&row, i, *kind)));
        digest.add(&values);
    }
    Ok(digest)
}

fn check_same(table: &str, sent: Digest, read_back: Digest) -> Result<()> {
    if sent != read_back {
        return Err(TeamError::Refused(format!(
            "table {table}: {} rows sent, {} read back{}; nothing was copied",
            sent.rows,
            read_back.rows,
            if sent.rows == read_back.rows { " with other values" } else { "" }
        )));
    }
    Ok(())
}

/// A row the team book refused (a check, a key): which table, and why.
fn refused_row(url: &str, table: &str, e: &postgres::Error) -> TeamError {
    TeamError::Refused(format!("the team book at {url} refused a row of {table}: {}; nothing was copied", detail(e)))
}
