//! What the TUI and the reports read on a team book: a snapshot of it, pulled whole into a
//! private SQLite file (one consistent view of the team book, as `tend db copy` takes) and read
//! by the very code that reads a book file. Nothing is ever written back from it: every write
//! goes to the team book through the storage seam, and the snapshot is pulled again after it
//! (and when another member writes: see `Listener`). What tend works out from the facts (factor
//! values, history, Triage's kept list) is worked out in the snapshot: dropped with a throwaway
//! one, kept with the member's kept one (`kept`), which the next run pulls only the written
//! tables into.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use postgres::fallible_iterator::FallibleIterator;

use super::copy::{Checked, Pull, pull_tables};
use super::kept::{Kept, KeptFolder};
use super::{Result, TeamBook, TeamError};
use crate::store::Store;

/// The channel every change to the team book's facts is announced on (schema step 3).
pub const CHANNEL: &str = "tend_book";

/// A snapshot of a team book in a folder of its own (readable by this user only): removed with
/// it, or the member's kept one (see `kept`).
pub struct Snapshot {
    folder: Folder,
    /// Held locked while the snapshot lives: a throwaway folder whose lock no one holds was left
    /// by a tend that was killed (a closed terminal), and the next snapshot removes it; a kept one
    /// is this tend's alone meanwhile.
    _alive: std::fs::File,
    /// The rows pulled.
    pub rows: u64,
    /// The team book's write count as the snapshot saw it: the snapshot's own (what is worked
    /// out in it is stamped with it, and kept in the team book with it: see `heads`).
    pub generation: i64,
    /// The same, table by table: a pull again pulls only the tables written since.
    tables: Tables,
    /// The accounts whose facts the last pull again found written (empty after a first pull, or
    /// one that worked everything out afresh): what others' writes touched, to say so.
    pub changed_accounts: Vec<i64>,
}

/// Where a snapshot is.
enum Folder {
    /// Made for this tend, removed with the snapshot.
    Throwaway(tempfile::TempDir),
    /// The member's kept snapshot's (`kept`), left for the next run.
    Kept(PathBuf),
}

impl Folder {
    fn path(&self) -> &Path {
        match self {
            Folder::Throwaway(dir) => dir.path(),
            Folder::Kept(path) => path,
        }
    }
}

/// The tables of facts whose writes touch the book as a whole (not one account's facts): what a
/// snapshot worked out is worked out afresh after them.
const BOOK_WIDE: &[&str] = &["csms", "scoring_changes", "journey_steps"];

/// Whether the team book counts writes to `table` (schema steps 3 and 4): the other tables
/// (what tend works out, the book's facts about itself) are pulled every time.
fn counted(table: &str) -> bool {
    PER_ACCOUNT.contains(&table) || BOOK_WIDE.contains(&table)
}

/// Tables of facts each write to which marks the accounts it touched (their facts version goes
/// up, as in a book file): what a snapshot worked out stays when only these changed, but for
/// those accounts.
const PER_ACCOUNT: &[&str] = &[
    "accounts",
    "metric_samples",
    "entries",
    "goals",
    "goal_status_changes",
    "arr_changes",
    "triage_marks",
    "band_overrides",
    "milestone_rows",
    "planned_milestones",
    "contract_events",
    "tasks",
    "playbook_episodes",
    "contacts",
    "changes",
];

/// Tables of facts whose rows keep the transaction that last wrote them, and whose deletions are
/// noted (schema step 10): written since a pull, only their rows written since are pulled again.
const ROW_STAMPED: &[&str] = PER_ACCOUNT;

/// Where a pull notes the view of the team book it read (`pg_current_snapshot()`): the next
/// pulls the rows written by the transactions it did not see.
const VIEW_KEY: &str = "team_view";

/// What tend works out from the facts: in the team book only as `tend db copy` put it there.
const WORKED_OUT: &[&str] = &["factor_snapshots", "health_history", "history_days", "history_stale", "triage_heads"];

/// Writes by the list they may change (see `heads::WriteCounts`).
type ByList = Vec<(i64, i64)>;

/// Whether the latest write a snapshot saw (`seen`) to any table written since (`now`) is no
/// longer in the team book: it was put back from a backup taken before it. (A fold keeps a
/// week's writes as they are, schema step 9: a snapshot older than that is taken for one of a
/// book put back, and worked out afresh.)
fn lost_seen_writes(tx: &mut postgres::Transaction, url: &str, seen: &Tables, now: &Tables) -> Result<bool> {
    let (tables, latest): (Vec<&str>, Vec<&str>) = seen
        .iter()
        .filter(|(t, s)| now.get(*t).is_some_and(|n| n.latest != s.latest))
        .map(|(t, s)| (t.as_str(), s.latest.as_str()))
        .unzip();
    if tables.is_empty() {
        return Ok(false);
    }
    let lost: i64 = tx
        .query_one(
            "SELECT count(*) FROM unnest($1::text[], $2::text[]) AS seen(tbl, latest)
             WHERE NOT EXISTS (SELECT 1 FROM book_writes b WHERE b.tbl = seen.tbl
                 AND to_char(b.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') = seen.latest)",
            &[&tables, &latest],
        )
        .map_err(super::db_error(url))?
        .get(0);
    Ok(lost > 0)
}

/// What a pull again brought over: the tables pulled whole, and those of which only the rows
/// written since were (`ROW_STAMPED`).
#[derive(Debug, Default)]
pub struct Pulled {
    pub whole: Vec<&'static str>,
    pub since: Vec<&'static str>,
}

/// What the team book says of the writes to one table (schema steps 4 and 9): two views that say
/// the same of a table saw the same writes to it.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub(super) struct TableWrites {
    /// How many.
    pub writes: i64,
    /// When the latest was made (the server's clock, as text): a book put back from a backup
    /// and written again as many times counts the same, but not at the same moment.
    pub latest: String,
}

/// The writes to each table of facts, by its name.
pub(super) type Tables = HashMap<String, TableWrites>;

/// The book's count of writes: their sum.
fn generation_of(tables: &Tables) -> i64 {
    tables.values().map(|t| t.writes).sum()
}

/// The view `tx` reads, as text (`pg_current_snapshot()`: the transactions it sees).
fn view_of(tx: &mut postgres::Transaction, url: &str) -> Result<String> {
    let row = tx.query_one("SELECT pg_current_snapshot()::text", &[]).map_err(super::db_error(url))?;
    Ok(row.get(0))
}

/// Whether the view `now` is of a team book before the one the view `then` saw: its next
/// transaction id is lower (the cluster put back from a copy of its files taken before): the
/// transactions `then` saw are no longer told apart from those it did not.
fn view_went_back(tx: &mut postgres::Transaction, url: &str, then: &str) -> Result<bool> {
    let row = tx
        .query_one("SELECT pg_snapshot_xmax(pg_current_snapshot()) < pg_snapshot_xmax($1::text::pg_snapshot)", &[&then])
        .map_err(super::db_error(url))?;
    Ok(row.get(0))
}

/// The team book's write counts in the view `tx` reads: table by table, and by the list each
/// write may change (see `heads::WriteCounts`).
fn table_counts(tx: &mut postgres::Transaction, url: &str) -> Result<(Tables, ByList)> {
    let rows = tx.query(super::heads::TABLE_WRITE_COUNTS, &[]).map_err(super::db_error(url))?;
    let mut tables = Tables::new();
    let mut lists = super::heads::WriteCounts::default();
    for row in &rows {
        let (table, list, writes, latest): (String, i64, i64, String) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        let seen = tables.entry(table).or_default();
        seen.writes += writes;
        // Of one zone and width (`TABLE_WRITE_COUNTS`): the greatest is the latest.
        if latest > seen.latest {
            seen.latest = latest;
        }
        lists.add(&[(list, writes)]);
    }
    Ok((tables, lists.by_list))
}

impl Snapshot {
    /// The SQLite book holding the snapshot.
    pub fn path(&self) -> PathBuf {
        book_in(self.folder.path())
    }

    /// Whether this is the member's kept snapshot (left for the next run), not a throwaway one.
    pub fn is_kept(&self) -> bool {
        matches!(self.folder, Folder::Kept(_))
    }

    /// Whether its folder is gone (the member deleted their cache while a tend had it open): it
    /// cannot be pulled into again, only replaced.
    pub fn is_gone(&self) -> bool {
        !self.folder.path().is_dir()
    }
}

const PREFIX: &str = "tend-team-";
const LOCK: &str = "alive.lock";
/// The lock file's name while it is made: it takes `LOCK`'s name only once locked, so that no
/// other tend ever finds `LOCK` unlocked in a folder being set up and takes it for abandoned.
const LOCK_MAKING: &str = "alive.lock.new";

/// Remove the snapshots in `temp` that no running tend holds (their tend was killed before it
/// could remove them): each is a copy of a team book, not to be left lying about.
fn remove_abandoned(temp: &Path) {
    let Ok(entries) = std::fs::read_dir(temp) else { return };
    for entry in entries.flatten() {
        let folder = entry.path();
        let ours = entry.file_name().to_str().is_some_and(|n| n.starts_with(PREFIX));
        if !ours {
            continue;
        }
        let Ok(lock) = std::fs::File::open(folder.join(LOCK)) else {
            // A tend killed before it locked its folder left it empty (or with the lock it was
            // making): gone once a minute old (a tend making one just now has not locked it yet).
            let empty = std::fs::read_dir(&folder)
                .is_ok_and(|d| d.flatten().all(|e| e.file_name().to_str() == Some(LOCK_MAKING)));
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > std::time::Duration::from_secs(60)));
            if empty && old {
                let _ = std::fs::remove_file(folder.join(LOCK_MAKING));
                let _ = std::fs::remove_dir(&folder);
            }
            continue;
        };
        // Locked by its tend: in use.
        if lock.try_lock().is_ok() {
            let _ = std::fs::remove_dir_all(&folder);
        }
    }
}

/// A new throwaway folder for a snapshot (readable by this user only), locked by this tend.
fn throwaway_folder() -> Result<(tempfile::TempDir, std::fs::File)> {
    remove_abandoned(&std::env::temp_dir());
    let refused =
        |e: std::io::Error| TeamError::Refused(format!("cannot make a folder for the team book's snapshot: {e}"));
    let folder = tempfile::Builder::new().prefix(PREFIX).tempdir().map_err(refused)?;
    // The team's accounts, readable by this user alone.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(folder.path(), std::fs::Permissions::from_mode(0o700)).map_err(refused)?;
    }
    let alive = std::fs::File::create(folder.path().join(LOCK_MAKING)).map_err(refused)?;
    alive.lock().map_err(refused)?;
    // Locked first, then named: a lock held on the file moves with it.
    std::fs::rename(folder.path().join(LOCK_MAKING), folder.path().join(LOCK)).map_err(refused)?;
    Ok((folder, alive))
}

pub(super) fn book_in(folder: &Path) -> PathBuf {
    folder.join("team-book.db")
}

impl TeamBook {
    /// Pull the whole team book into a new snapshot, in one read-only transaction that sees the
    /// book as it was when it began, whatever others write meanwhile.
    pub fn snapshot(&mut self, bar: &indicatif::ProgressBar) -> Result<Snapshot> {
        let (folder, alive) = throwaway_folder()?;
        self.pull_whole(Folder::Throwaway(folder), alive, bar, None)
    }

    /// Another tend of the member's holds their kept snapshot in `kept`: a throwaway copy of it,
    /// brought up to the team book as the kept one would be (a fraction of pulling it whole).
    /// None when it cannot be copied as the pull its note names.
    fn copy_of_kept(&mut self, kept: &Path) -> Result<Option<Snapshot>> {
        let (folder, alive) = throwaway_folder()?;
        let path = book_in(folder.path());
        let Some((store, tables)) = super::kept::copy_in_use(kept, &path) else { return Ok(None) };
        Ok(self.bring_up(Folder::Throwaway(folder), alive, tables, store)?.ok())
    }

    /// The snapshot `store` reads (in `folder`, locked by `alive`, pulled at `tables`) brought up
    /// to the team book as it is now (`refresh`). When the file could not be (damaged, a full
    /// disk), its lock is handed back; when the team book could not be read, that is the error.
    fn bring_up(
        &mut self,
        folder: Folder,
        alive: std::fs::File,
        tables: Tables,
        mut store: Store,
    ) -> Result<std::result::Result<Snapshot, std::fs::File>> {
        let generation = generation_of(&tables);
        let mut snapshot =
            Snapshot { folder, _alive: alive, rows: 0, generation, tables, changed_accounts: Vec::new() };
        let refreshed = self.refresh(&mut snapshot, &mut store);
        drop(store);
        match refreshed {
            Ok(_) => {
                // Others' writes are told as they are heard, not those from before this run.
                snapshot.changed_accounts.clear();
                Ok(Ok(snapshot))
            }
            Err(e @ (TeamError::Connect { .. } | TeamError::Database { .. })) => Err(e),
            Err(_) => Ok(Err(snapshot._alive)),
        }
    }

    /// The snapshot a member's run reads: their kept one, in their cache folder (a throwaway one
    /// where the platform has none).
    pub fn member_snapshot(&mut self, bar: &indicatif::ProgressBar) -> Result<Snapshot> {
        match crate::config::paths::team_snapshots() {
            Some(home) => self.kept_snapshot(&home, bar),
            None => self.snapshot(bar),
        }
    }

    /// The member's kept snapshot of the team book under `home` (see `kept`), brought up to the
    /// book as it is now: only the tables written since its last pull are pulled, and what was
    /// worked out in it stays but for the accounts written. Pulled whole when there is none yet
    /// (or it was left half pulled, or by another build of tend); a throwaway snapshot, as
    /// `snapshot`, when another tend is using it or the book cannot say which it is.
    pub fn kept_snapshot(&mut self, home: &Path, bar: &indicatif::ProgressBar) -> Result<Snapshot> {
        let folder = match KeptFolder::lock(self, home) {
            Some(Kept::Ours(folder)) => folder,
            Some(Kept::InUse(kept)) => match self.copy_of_kept(&kept)? {
                Some(copy) => return Ok(copy),
                None => return self.snapshot(bar),
            },
            None => return self.snapshot(bar),
        };
        let Some(token) = folder.pulled() else { return self.pull_kept_whole(folder, bar) };
        let path = book_in(&folder.path);
        // The book the note names, with the counts it was pulled at; any other is pulled whole.
        let opened = Store::open(&path).ok().and_then(|store| Some((super::kept::tables_of(&store, &token)?, store)));
        let Some((tables, store)) = opened else { return self.pull_kept_whole(folder, bar) };
        let KeptFolder { path, lock } = folder;
        match self.bring_up(Folder::Kept(path.clone()), lock, tables, store)? {
            Ok(snapshot) => Ok(snapshot),
            // The kept file could not be read or written (damaged, a full disk): pulled whole.
            Err(lock) => self.pull_kept_whole(KeptFolder { path, lock }, bar),
        }
    }

    /// Pull the whole team book into the kept folder, over whatever was there.
    fn pull_kept_whole(&mut self, folder: KeptFolder, bar: &indicatif::ProgressBar) -> Result<Snapshot> {
        let refused = |e: std::io::Error| {
            TeamError::Refused(format!("cannot write the team book's snapshot in {}: {e}", folder.path.display()))
        };
        folder.clear().map_err(refused)?;
        let path = folder.path.clone();
        let token = super::kept::new_token();
        let snapshot = self.pull_whole(Folder::Kept(path.clone()), folder.lock, bar, Some(&token))?;
        super::kept::note_pulled(&path, &token).map_err(refused)?;
        Ok(snapshot)
    }

    /// Pull the whole team book into a new book file in `folder` (locked by `alive`), marked with
    /// `token` when it is to be kept.
    fn pull_whole(
        &mut self,
        folder: Folder,
        alive: std::fs::File,
        bar: &indicatif::ProgressBar,
        token: Option<&str>,
    ) -> Result<Snapshot> {
        let path = book_in(folder.path());
        let url = self.url.clone();
        let err = super::db_error(&url);
        self.forget_own_writes();
        let mut tx = self.one_view()?;
        let mut target = Store::open(&path)?;
        // A throwaway file: nothing is lost if the machine stops before it reaches the disk (or
        // tend stops mid-pull: the folder goes). The team book holds its own keys: a pulled row
        // is not checked against its parent again.
        target
            .conn_mut()
            .execute_batch("PRAGMA synchronous = OFF; PRAGMA journal_mode = OFF; PRAGMA foreign_keys = OFF; PRAGMA cache_size = -65536")
            .map_err(|e| TeamError::Refused(format!("cannot write {}: {e}", path.display())))?;
        let (tables, lists) = table_counts(&mut tx, &url)?;
        let view = view_of(&mut tx, &url)?;
        let generation = generation_of(&tables);
        let mut finish =
            |conn: &rusqlite::Connection, _: Option<&_>| noted(conn, generation, &tables, &lists, &view, token);
        let copied =
            pull_tables(&mut tx, &url, &mut target, &path, bar, Checked::Counted, &|_| Pull::Whole, &mut finish)?;
        tx.commit().map_err(err)?;
        Ok(Snapshot { folder, _alive: alive, rows: copied.rows(), generation, tables, changed_accounts: Vec::new() })
    }

    /// Bring `snapshot` (read by `store`) up to the team book as it is now, in place: the tables
    /// of facts no one has written since it was pulled are left as they are (a table whose count
    /// of writes is the same holds the same rows: no transaction that wrote it has committed
    /// since), every other table is pulled again, in one read-only transaction and one SQLite
    /// transaction (all or nothing): the same facts as a new snapshot, in a fraction of the time
    /// when the large tables (the usage samples) are unchanged. What the snapshot worked out
    /// stays when only facts of accounts were written, but for the accounts written (see
    /// `PER_ACCOUNT`); of the tables whose rows say which transaction wrote them, only the rows
    /// written since (`ROW_STAMPED`). What was pulled.
    pub fn refresh(&mut self, snapshot: &mut Snapshot, store: &mut Store) -> Result<Pulled> {
        let url = self.url.clone();
        let err = super::db_error(&url);
        let path = snapshot.path();
        self.forget_own_writes();
        let mut tx = self.one_view()?;
        let (tables, lists) = table_counts(&mut tx, &url)?;
        let view = view_of(&mut tx, &url)?;
        // The view the snapshot was last pulled in (none from a tend before schema step 10).
        let seen_view = store.meta(VIEW_KEY)?;
        let generation = generation_of(&tables);
        // A count that went back, or a latest write seen that is no longer there (the book put
        // back from a backup, then written), or transaction ids that went back: no table can be
        // told unchanged (an account's facts version may be back where it was, its facts not),
        // and nothing worked out is kept.
        let went_back = snapshot.tables.iter().any(|(t, n)| tables.get(t).is_none_or(|now| now.writes < n.writes))
            || lost_seen_writes(&mut tx, &url, &snapshot.tables, &tables)?
            || match &seen_view {
                Some(then) => view_went_back(&mut tx, &url, then)?,
                None => false,
            };
        let written = |table: &str| counted(table) && (went_back || tables.get(table) != snapshot.tables.get(table));
        // What the snapshot worked out stays when only facts of accounts were written: those
        // accounts' values are worked out again (the rest would come out the same).
        let keep = !went_back && !BOOK_WIDE.iter().any(|t| written(t));
        let how = |table: &str| match (counted(table), WORKED_OUT.contains(&table)) {
            (true, _) if !written(table) => Pull::Skip,
            (true, _) => match &seen_view {
                Some(then) if !went_back && ROW_STAMPED.contains(&table) => Pull::Since(then.clone()),
                _ => Pull::Whole,
            },
            (false, true) if keep => Pull::Skip,
            (false, _) => Pull::Whole,
        };
        let mut pulled = Pulled::default();
        for (table, _) in super::copy::BOOK_TABLES {
            match how(table) {
                Pull::Skip => {}
                Pull::Whole => pulled.whole.push(table),
                Pull::Since(_) => pulled.since.push(table),
            }
        }
        let before = match keep {
            true => Some((store.facts_versions()?, store.worked_out_meta()?)),
            false => None,
        };
        let mut changed_accounts = Vec::new();
        // The book's own facts are pulled again: a kept book's token is put back.
        let token = store.meta(super::kept::TOKEN_KEY)?;
        // In the transaction that pulls the rows: what was worked out is kept, and the counts
        // noted, with them or not at all.
        // Rows written by SQL of a member's own move no account's facts version: the accounts the
        // rows pulled are about are worked out again too, and every account when a table of
        // accounts' facts was pulled whole (which it touched is not known).
        let facts_whole = PER_ACCOUNT.iter().any(|t| pulled.whole.contains(t));
        let mut finish = |conn: &rusqlite::Connection, touched: Option<&std::collections::BTreeSet<i64>>| {
            if let Some((versions, meta)) = &before {
                let touched = if facts_whole { None } else { touched };
                changed_accounts = Store::keep_worked_out(conn, meta, versions, touched)?;
            }
            noted(conn, generation, &tables, &lists, &view, token.as_deref())
        };
        // Rows of a parent table are deleted and pulled again beneath rows of its children left
        // as they are: the keys are the team book's, not checked again (nor cascaded).
        let copied = store.without_foreign_keys(|store| {
            let hidden = indicatif::ProgressBar::hidden();
            pull_tables(&mut tx, &url, store, &path, &hidden, Checked::Counted, &how, &mut finish)
        })?;
        pulled.since.retain(|t| !copied.whole_instead.contains(t));
        pulled.whole.extend(copied.whole_instead);
        tx.commit().map_err(err)?;
        snapshot.changed_accounts = changed_accounts;
        snapshot.generation = generation;
        snapshot.tables = tables;
        Ok(pulled)
    }

    /// This connection's server process: what it writes is announced as coming from it.
    pub fn server_process(&self) -> Result<i32> {
        let row = self.client.borrow_mut().query_one("SELECT pg_backend_pid()", &[]).map_err(|e| self.error(e))?;
        Ok(row.get(0))
    }
}

/// What a pull notes in the snapshot, in its transaction: the team book's count of writes (the
/// snapshot counts as the team book does: the heads kept there, pulled with the rest, hold in it
/// exactly when they hold in the team book), by table and by list, and a kept snapshot's token.
fn noted(
    conn: &rusqlite::Connection,
    generation: i64,
    tables: &Tables,
    lists: &[(i64, i64)],
    view: &str,
    token: Option<&str>,
) -> rusqlite::Result<()> {
    Store::set_meta_on(conn, "generation", &generation.to_string())?;
    Store::set_meta_on(conn, VIEW_KEY, view)?;
    super::heads::WriteCounts::keep_in(lists, conn)?;
    Store::set_meta_on(conn, super::kept::TABLES_KEY, &super::kept::tables_text(tables))?;
    if let Some(token) = token {
        Store::set_meta_on(conn, super::kept::TOKEN_KEY, token)?;
    }
    Ok(())
}

/// Another member's write, heard on the team book's channel: the role that wrote.
#[derive(Debug, PartialEq)]
pub enum Heard {
    Wrote(String),
    /// The listening connection was lost: others' writes are no longer heard.
    Lost(String),
}

/// Listens for writes to the team book on a connection of its own, on a thread, and hands on
/// those not made through `own` (this tend's writing connection).
pub struct Listener {
    pub heard: mpsc::Receiver<Heard>,
}

impl Listener {
    pub fn start(url: &str, own: i32) -> Result<Listener> {
        let book = TeamBook::connect(url)?;
        let mut client = book.client.into_inner();
        client
            .batch_execute(&format!("LISTEN {CHANNEL}"))
            .map_err(|e| TeamError::Database { url: book.url.clone(), detail: super::detail(&e) })?;
        let (tx, heard) = mpsc::channel();
        std::thread::spawn(move || {
            let mut notes = client.notifications();
            let mut notes = notes.blocking_iter();
            loop {
                let next = match notes.next() {
                    Ok(Some(note)) if note.process_id() == own => continue,
                    Ok(Some(note)) => Heard::Wrote(note.payload().to_string()),
                    Ok(None) => Heard::Lost("the connection closed".into()),
                    Err(e) => Heard::Lost(super::detail(&e)),
                };
                let lost = matches!(next, Heard::Lost(_));
                // Nobody to tell once the app is gone.
                if tx.send(next).is_err() || lost {
                    break;
                }
            }
        });
        Ok(Listener { heard })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_abandoned_snapshot_is_removed_and_one_in_use_is_kept() {
        let temp = tempfile::tempdir().unwrap();
        let make = |name: &str| {
            let folder = temp.path().join(name);
            std::fs::create_dir(&folder).unwrap();
            std::fs::write(folder.join("team-book.db"), "rows").unwrap();
            std::fs::File::create(folder.join(LOCK)).unwrap()
        };
        let in_use = make("tend-team-inuse");
        in_use.lock().unwrap();
        drop(make("tend-team-killed"));
        std::fs::create_dir(temp.path().join("tend-team-nolock")).unwrap();
        std::fs::write(temp.path().join("tend-team-nolock").join("team-book.db"), "rows").unwrap();
        // Empty and just made: a tend about to lock it. Empty and old: a tend killed before.
        std::fs::create_dir(temp.path().join("tend-team-new")).unwrap();
        std::fs::create_dir(temp.path().join("tend-team-old")).unwrap();
        let then = std::time::SystemTime::now() - std::time::Duration::from_secs(120);
        std::fs::File::open(temp.path().join("tend-team-old")).unwrap().set_modified(then).unwrap();
        drop(make("someone-else"));
        // Its lock being made (locked, not yet named): stays while young, goes once old.
        for (name, age) in [("tend-team-making", 0), ("tend-team-made-long-ago", 120)] {
            std::fs::create_dir(temp.path().join(name)).unwrap();
            std::fs::File::create(temp.path().join(name).join(LOCK_MAKING)).unwrap();
            let then = std::time::SystemTime::now() - std::time::Duration::from_secs(age);
            std::fs::File::open(temp.path().join(name)).unwrap().set_modified(then).unwrap();
        }
        remove_abandoned(temp.path());
        let left = |n: &str| temp.path().join(n).exists();
        assert!(left("tend-team-inuse"), "a snapshot in use stays");
        assert!(!left("tend-team-killed"), "an abandoned snapshot goes");
        assert!(left("tend-team-nolock") && left("someone-else"), "what is not a snapshot of tend's stays");
        assert!(left("tend-team-new"), "an empty folder made a moment ago stays");
        assert!(!left("tend-team-old"), "an empty folder a killed tend left goes");
        assert!(left("tend-team-making"), "a lock being made, a moment ago");
        assert!(!left("tend-team-made-long-ago"), "a lock a killed tend was making");
    }
}
