//! The store: the only module that speaks SQL. Everything it returns is a plain struct.

pub mod accounts;
pub mod bulk;
pub mod contacts;
pub mod contracts;
pub mod date_order;
pub mod fact_digest;
pub mod facts;
pub mod history;
pub mod import_copy;
pub mod key_claims;
pub mod log;
pub mod migrations;
pub mod overrides;
pub mod playbooks;
pub mod reporting;
pub mod sample_import;
pub mod search;
pub mod snapshots;
mod static_insert;
pub mod tasks;
pub mod triage;
pub mod writer;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

pub use bulk::NewAccountRow;
pub use contacts::{ContactRecord, NewContact};
pub use log::{ChangeAction, ChangeRecord, Entity, EntryRecord, GoalRecord, MilestoneRecord};
pub use tasks::{NewTask, TaskFilter, TaskRecord, TasksDue};
pub use writer::{EntryPeople, NewAccount, NewEntry, NewGoal, NewMilestone, Writer};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open database {path}: folder {} does not exist", .path.parent().map_or(String::new(), |p| p.display().to_string()))]
    NoSuchFolder { path: PathBuf },
    #[error("cannot open database {path}: it is a folder, not a file")]
    IsFolder { path: PathBuf },
    #[error("no book at {path}")]
    NoBook { path: PathBuf },
    #[error("cannot open database {path}: {source}")]
    Create { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a tend database (the file is corrupt or of another kind); nothing was changed")]
    NotADatabase { path: PathBuf },
    #[error(
        "{path} is another program's SQLite database (tables {tables}), not a tend book; give tend a new file or its own book; nothing was changed"
    )]
    OtherProgram { path: PathBuf, tables: String },
    #[error(
        "{path} is damaged ({detail}); tend refuses to read or write it. Restore it from a backup, or rebuild it from your exports; nothing was changed"
    )]
    Damaged { path: PathBuf, detail: String },
    #[error("the disk holding {path} is full: free some space; nothing was changed by this write")]
    Full { path: PathBuf },
    #[error("{path} is open read-only ({reason}): reports work, but nothing can be written to it")]
    ReadOnly { path: PathBuf, reason: String },
    #[error(
        "{path} was written by an older tend and must be upgraded to this tend's schema, which writes it, but {reason}: make it writable once (or work on a copy); nothing was changed"
    )]
    NeedsUpgrade { path: PathBuf, reason: String },
    #[error("database {path} is locked by another program; try again once it has finished")]
    Locked { path: PathBuf },
    #[error(
        "database {path} was written by a newer tend (schema version {found}, this tend knows {known}); upgrade tend"
    )]
    TooNew { path: PathBuf, found: usize, known: usize },
    #[error("database {path}: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    #[error("database {path}: schema migration failed: {source}")]
    Migration { path: PathBuf, source: rusqlite_migration::Error },
}

/// The page cache of a connection opened to read beside another (`Store::reader`).
const READER_CACHE_KIB: u32 = 8 * 1024;

/// How long a write waits for another program's write to finish before saying the book is locked.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An open book of business.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Why the book is open read-only (its file or its folder cannot be written), if it is.
    read_only: Option<String>,
    /// Whether the caches in the file were computed with the health rules in use. Only a
    /// read-only book can hold caches it could not reset: they are then not read.
    caches_trusted: bool,
    /// Write transactions of this connection that counted in the book's write count: a window
    /// tells its own writes from another program's by it.
    own_writes: i64,
    /// Set when work on this connection is to stop (see `stoppable`).
    stop: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    /// History worked out in memory for a book that cannot store it (see `history::HistoryOverlay`).
    history_overlay: Option<std::sync::Arc<history::HistoryOverlay>>,
    /// The page cache this connection keeps to, when limited (`limit_cache`).
    cache_kib: Option<u32>,
    /// Opened to preview a day still to come (`preview`): read-only by SQLite's `query_only`
    /// on a connection that could write, so another tend's writes meanwhile are read as ever.
    previewing: bool,
}

/// Stops the work of a connection from another thread (see `Store::stoppable`).
pub struct StopHandle {
    flag: std::sync::Arc<std::sync::atomic::AtomicBool>,
    interrupt: rusqlite::InterruptHandle,
}

impl StopHandle {
    /// Stop: a statement running is interrupted (its transaction rolled back), and the work
    /// checks `Store::stopped` between steps.
    pub fn stop(&self) {
        self.flag.store(true, std::sync::atomic::Ordering::Relaxed);
        self.interrupt.interrupt();
    }
}

/// The seconds (UTC) of a day's created and updated stamps: from its start to the next day's.
pub(crate) fn day_seconds(day: chrono::NaiveDate) -> (i64, i64) {
    let start = day.and_time(chrono::NaiveTime::MIN).and_utc().timestamp();
    (start, start + 86_400)
}

/// A LIKE pattern for text starting with `start`: LIKE is case-insensitive for ASCII; the user's
/// text has its wildcards escaped (with `ESCAPE '\'` in the query).
pub(crate) fn like_prefix(start: &str) -> String {
    format!("{}%", start.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

impl Store {
    /// Open (or create) a book at `path`: WAL, a busy timeout, foreign keys, migrated to the
    /// latest schema. A new file is created readable by its owner only (0600).
    pub fn open(path: &Path) -> Result<Store> {
        if path.is_dir() {
            return Err(StoreError::IsFolder { path: path.into() });
        }
        folder_of(path)?;
        if !path.exists() {
            create_private(path).map_err(|source| StoreError::Create { path: path.into(), source })?;
        }
        if let Some(reason) = read_only_reason(path) {
            return Store::open_read_only(path, reason, false);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
        // A file shorter than its header says was cut: check it whole before anything reads or
        // writes it, so a write never lands in a damaged book (reads of the damaged part would
        // refuse it only later, and writes elsewhere would not notice at all).
        if looks_cut(path)
            && let Some(detail) = damage(&conn)
        {
            return Err(StoreError::Damaged { path: path.into(), detail });
        }
        Store::setup(conn, path.to_path_buf())
    }

    /// A book whose file or folder cannot be written: opened read-only, without creating side
    /// files (no `-shm` left behind with the file's permissions), for reports. Every write is
    /// refused with the reason.
    fn open_read_only(path: &Path, reason: String, older_schema_too: bool) -> Result<Store> {
        let wal = {
            let mut p = path.as_os_str().to_owned();
            p.push("-wal");
            PathBuf::from(p)
        };
        // With no write-ahead log to read, the file is all there is: read it as immutable, which
        // needs no lock files. A log with content needs SQLite's shared memory to be read.
        let immutable = std::fs::metadata(&wal).map_or(true, |m| m.len() == 0);
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let uri = format!(
            "file:{}?mode=ro{}",
            absolute.display().to_string().replace('%', "%25").replace('?', "%3f").replace('#', "%23"),
            if immutable { "&immutable=1" } else { "" }
        );
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&uri, flags).map_err(|e| classify(path, e))?;
        let err = |e| classify(path, e);
        conn.busy_timeout(BUSY_TIMEOUT).map_err(err)?;
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(err)?;
        let known = migrations::STEPS.len();
        if found.max(0) as usize > known {
            return Err(StoreError::TooNew { path: path.into(), found: found as usize, known });
        }
        if (found.max(0) as usize) < known && !older_schema_too {
            return Err(StoreError::NeedsUpgrade { path: path.into(), reason });
        }
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;").map_err(err)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            read_only: Some(reason),
            caches_trusted: true,
            own_writes: 0,
            stop: None,
            history_overlay: None,
            cache_kib: None,
            previewing: false,
        })
    }

    /// An existing book opened only to read (shell completion): nothing is created, migrated or
    /// written, not even SQLite's side files when the write-ahead log is empty.
    pub fn open_to_read(path: &Path) -> Result<Store> {
        if !path.is_file() {
            return Err(StoreError::NoBook { path: path.into() });
        }
        // Completion reads names only, which every schema has: an older book (not opened by this
        // tend yet, so not migrated) is read as it is.
        Store::open_read_only(path, "opened only to read".to_string(), true)
    }

    /// Hold every write from here on, for `reason`: a preview of a day still to come reads the
    /// book and works what its caches lack out in memory, and writes nothing, not even the
    /// caches (a probe's preview grew the book's history by the day it previewed). SQLite's
    /// `query_only` refuses a write that would get past the checks of `read_only`.
    pub fn preview(&mut self, reason: String) -> Result<()> {
        self.conn.execute_batch("PRAGMA query_only = ON;").map_err(|e| self.err(e))?;
        // Nor is the write-ahead log another tend left moved into the file on close (the same
        // book, but other bytes: a preview after a tend killed mid-session changed the file).
        self.conn
            .set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
            .map_err(|e| self.err(e))?;
        self.read_only = Some(reason);
        self.previewing = true;
        Ok(())
    }

    /// Whether the book is open to preview a day still to come (`preview`).
    pub fn previewing(&self) -> bool {
        self.previewing
    }

    /// Why the book is read-only, if it is.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// Whether cached values and history in the file may be read (see `caches_trusted`).
    pub fn caches_trusted(&self) -> bool {
        self.caches_trusted
    }

    /// The caches were computed with other health rules and cannot be reset (read-only).
    pub(crate) fn distrust_caches(&mut self) {
        self.caches_trusted = false;
    }

    /// A throwaway in-memory book, for unit tests.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory().map_err(|e| classify(Path::new(":memory:"), e))?;
        Store::setup(conn, PathBuf::from(":memory:"))
    }

    fn setup(mut conn: Connection, path: PathBuf) -> Result<Store> {
        let err = |e| classify(&path, e);
        conn.busy_timeout(BUSY_TIMEOUT).map_err(err)?;
        // The first read of the file happens here: a corrupt file or a lock shows up now. A
        // database with tables and no tend schema is another program's: tend's tables were
        // created beside them (and its journal switched) by a read-only command.
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(err)?;
        if found == 0 {
            let tables: Vec<String> = conn
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name LIMIT 4")
                .and_then(|mut stmt| stmt.query_map([], |r| r.get(0))?.collect())
                .map_err(err)?;
            if !tables.is_empty() {
                return Err(StoreError::OtherProgram { path, tables: tables.join(", ") });
            }
        }
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(())).map_err(err)?;
        // Foreign keys stay off while migrating (the bundled SQLite turns them on by default).
        // No memory map: every page of a large book it touched counted in the process's memory
        // (2.8 GB at the peak of a million-account book's first report, 1.1 GB without), and
        // since the book opens on a stored triage head it no longer made reading faster (a new
        // day's first report: 3.4 -> 2.9 s at 100,000 accounts, 35 -> 32 s at a million).
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -131072;
             PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 0;",
        )
        .map_err(err)?;
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(err)?;
        let (found, known) = (found.max(0) as usize, migrations::STEPS.len());
        if found > known {
            return Err(StoreError::TooNew { path, found, known });
        }
        match migrations::MIGRATIONS.to_latest(&mut conn) {
            Ok(()) => {}
            Err(rusqlite_migration::Error::RusqliteError { err, .. }) => {
                return Err(classify(&path, err));
            }
            Err(source) => return Err(StoreError::Migration { path, source }),
        }
        // Only now: a migration that rebuilds a table drops the old one, which with foreign keys
        // on would delete every row that refers to it (and PRAGMA foreign_keys is ignored inside
        // the transaction a migration runs in).
        conn.execute_batch("PRAGMA foreign_keys = ON;").map_err(err)?;
        Ok(Store {
            conn,
            path,
            read_only: None,
            caches_trusted: true,
            own_writes: 0,
            stop: None,
            history_overlay: None,
            cache_kib: None,
            previewing: false,
        })
    }

    /// A second connection to the same book, for reading on another thread; None for an
    /// in-memory book.
    pub fn reader(&self) -> Result<Option<Store>> {
        if self.path.as_os_str() == ":memory:" {
            return Ok(None);
        }
        // Not through `open`: its checks of the file (its header, whether it can be written) open
        // and close it, and on POSIX closing any descriptor of a file drops every lock the process
        // holds on it, this connection's among them. Another program could then take the book
        // for unused and delete its write-ahead log. This connection made the checks already.
        let mut reader = match &self.read_only {
            Some(reason) if !self.previewing => Store::open_read_only(&self.path, reason.clone(), false)?,
            _ => {
                let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                let conn = Connection::open_with_flags(&self.path, flags).map_err(|e| classify(&self.path, e))?;
                let mut reader = Store::setup(conn, self.path.clone())?;
                if let (Some(reason), true) = (&self.read_only, self.previewing) {
                    reader.preview(reason.clone())?;
                }
                reader
            }
        };
        // It reads the same history, what this connection worked out in memory included.
        reader.history_overlay = self.history_overlay.clone();
        reader.caches_trusted = self.caches_trusted;
        // Readers read most pages once (the whole book, a range of facts): a small cache, not the
        // 128 MiB a writer's spills need, which would be memory the system clears for each page.
        reader.limit_cache(self.cache_kib.unwrap_or(READER_CACHE_KIB))?;
        Ok(Some(reader))
    }

    /// Keep at most `kib` KiB of the book's pages in this connection's cache (128 MiB by
    /// default): for work behind a screen, whose pages would otherwise sit beside the open book's.
    /// The connections it opens to read beside it (`reader`) keep to the same.
    pub fn limit_cache(&mut self, kib: u32) -> Result<()> {
        self.conn.execute_batch(&format!("PRAGMA cache_size = -{kib};")).map_err(|e| self.err(e))?;
        self.cache_kib = Some(kib);
        Ok(())
    }

    /// A handle to stop what this connection is working out from another thread: for work
    /// behind a screen that the screen's quit must not wait for.
    pub fn stoppable(&mut self) -> StopHandle {
        let flag = self.stop.get_or_insert_with(Default::default).clone();
        StopHandle { flag, interrupt: self.conn.get_interrupt_handle() }
    }

    /// Whether the work on this connection was asked to stop (its caches are left for later).
    pub fn stopped(&self) -> bool {
        self.stop.as_ref().is_some_and(|f| f.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// How many of the book's counted writes (`generation`) this connection made.
    pub fn own_writes(&self) -> i64 {
        self.own_writes
    }

    /// The book's file name, as messages and the status line name it.
    pub fn file_name(&self) -> String {
        self.path.file_name().map_or_else(|| self.path.display().to_string(), |n| n.to_string_lossy().into_owned())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// SQLite's count of commits by other connections (`PRAGMA data_version`): when it moves,
    /// another process (a `tend log` from a shell, an import, a second tend) changed the book.
    pub fn data_version(&self) -> Result<i64> {
        self.conn.query_row("PRAGMA data_version", [], |r| r.get(0)).map_err(|e| self.err(e))
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// For a transaction of raw rows (`tend db copy` writing a whole book).
    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    pub(crate) fn err(&self, e: rusqlite::Error) -> StoreError {
        // A row every book has (a count, a setting) found missing: most likely a damaged file
        // whose index no longer finds it. Say so, as for a damage SQLite notices itself.
        if matches!(e, rusqlite::Error::QueryReturnedNoRows)
            && let Some(detail) = damage(&self.conn)
        {
            return StoreError::Damaged { path: self.path.clone(), detail };
        }
        classify(&self.path, e)
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row("SELECT value FROM book_meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Every row a query returns, read by `read`.
    pub(crate) fn query_list<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        read: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in stmt.query_map(params, read).map_err(|e| self.err(e))? {
            out.push(row.map_err(|e| self.err(e))?);
        }
        Ok(out)
    }

    /// Run `f` in one transaction: everything it writes lands, or nothing does.
    pub fn write<T>(&mut self, f: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        self.write_or_abandon(f)
    }

    /// `write` for what is worked out from the book as it stands (history, factor snapshots, a
    /// triage head): not a change of the book, so its write count stays and other windows need
    /// not read it again.
    pub(crate) fn write_derived<T>(&mut self, f: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        self.write(|w| {
            w.only_derived();
            f(w)
        })
    }

    /// `write` for work that may turn out to be refused after it has begun writing (an import
    /// that meets a bad row late in its file): its own error abandons the transaction too.
    pub fn write_or_abandon<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let path = self.path.clone();
        if let Some(reason) = &self.read_only {
            return Err(StoreError::ReadOnly { path, reason: reason.clone() }.into());
        }
        // IMMEDIATE takes the write lock up front, so a busy book waits out the busy timeout
        // instead of failing halfway through.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| classify(&path, e))?;
        let mut writer = Writer::new(tx, path.clone());
        let out = f(&mut writer)?;
        if writer.commit()? {
            self.own_writes += 1;
        }
        Ok(out)
    }

    /// `write` for a bulk load, such as a big import. When no other connection has the book
    /// open, the transaction uses a rollback journal instead of the write-ahead log, so the new
    /// pages are written once rather than to the log and then again into the book (a third of a
    /// million-row import). It syncs fully meanwhile, and the book is back in WAL mode afterwards
    /// (and is put back by any later open if this process dies first). With another connection
    /// open, the write stays in WAL.
    ///
    /// Foreign keys are not checked meanwhile (a lookup of the account for each of a million
    /// planned milestones, of the CSM for each account): every id such an import writes was read
    /// from, or created in, the same transaction, and it deletes no row.
    pub fn bulk_write<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let journal = |conn: &Connection, mode: &str| {
            conn.query_row(&format!("PRAGMA journal_mode = {mode}"), [], |r| r.get::<_, String>(0))
        };
        self.without_foreign_keys(|store| {
            store.with_temp_on_disk(|store| {
                let rollback_journal = journal(&store.conn, "DELETE").is_ok_and(|m| m.eq_ignore_ascii_case("delete"));
                if !rollback_journal {
                    return store.write_or_abandon(f);
                }
                let out = store.conn.execute_batch("PRAGMA synchronous = FULL").map_err(|e| E::from(store.err(e)));
                let out = out.and_then(|()| store.write_or_abandon(f));
                // Failing to go back is not the write's failure: every open sets WAL again.
                let _ = journal(&store.conn, "WAL");
                let _ = store.conn.execute_batch("PRAGMA synchronous = NORMAL");
                out
            })
        })
    }

    /// `write_or_abandon` for an import that writes as it reads its file and may be refused late
    /// in it. It stays in the write-ahead log (switching journals would rewrite the book's file
    /// even when the import is then refused), with temporary tables on disk.
    ///
    /// Foreign keys are not checked meanwhile (a lookup of the account for every row): every
    /// account and CSM id such an import writes was read from, or created in, the same
    /// transaction.
    pub fn streamed_write<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.without_foreign_keys(|store| store.with_temp_on_disk(|store| store.write_or_abandon(f)))
    }

    /// Run `f` (a write whose ids are all known good) without foreign-key lookups.
    pub(crate) fn without_foreign_keys<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<T, E> {
        self.conn.execute_batch("PRAGMA foreign_keys = OFF").map_err(|e| E::from(self.err(e)))?;
        let out = f(self);
        let on = self.conn.execute_batch("PRAGMA foreign_keys = ON").map_err(|e| E::from(self.err(e)));
        out.and_then(|t| on.map(|()| t))
    }

    /// Run `f` with temporary tables and sorts in a temporary file rather than memory: they grow
    /// with an import's input, and memory must not.
    fn with_temp_on_disk<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<T, E> {
        self.conn.execute_batch("PRAGMA temp_store = FILE").map_err(|e| E::from(self.err(e)))?;
        let out = f(self);
        let _ = self.conn.execute_batch("PRAGMA temp_store = MEMORY");
        out
    }
}

/// Whether a SQLite file is shorter than its header says, or not a whole number of pages: the
/// marks of a file cut short (a full disk, a copy interrupted). Cheap: the header and the size.
fn looks_cut(path: &Path) -> bool {
    use std::io::Read;
    let Ok(mut file) = std::fs::File::open(path) else { return false };
    let Ok(size) = file.metadata().map(|m| m.len()) else { return false };
    let mut header = [0u8; 100];
    if size < 100 || file.read_exact(&mut header).is_err() || &header[..16] != b"SQLite format 3\0" {
        return false; // empty (new) or not SQLite: SQLite itself says so
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    let word = |at: usize| u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]]);
    // The page count in the header is trusted only when written by the same change as the rest.
    let pages = if word(24) == word(92) { u64::from(word(28)) } else { 0 };
    page_size == 0 || !size.is_multiple_of(page_size) || size < pages * page_size
}

/// Why an existing book cannot be written, if it cannot: its file is read-only, or its folder is
/// (SQLite writes its journal files beside the book). None for a book that does not exist yet.
fn read_only_reason(path: &Path) -> Option<String> {
    if !path.exists() {
        return None;
    }
    let denied = |e: &std::io::Error| {
        e.kind() == std::io::ErrorKind::PermissionDenied || e.raw_os_error() == Some(30) // EROFS
    };
    if let Err(e) = std::fs::OpenOptions::new().write(true).open(path)
        && denied(&e)
    {
        return Some("the file is read-only".into());
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    match tempfile::Builder::new().prefix(".tend-probe").tempfile_in(dir) {
        Err(e) if denied(&e) => Some(format!("its folder {} is read-only", dir.display())),
        _ => None,
    }
}

impl Store {
    /// A copy of the whole book in `to`, a file that does not exist yet, consistent as of one
    /// moment however many write meanwhile (`VACUUM INTO`, in one read transaction: a `cp` of a
    /// book open in tend leaves behind what its write-ahead log holds). Readable by its owner
    /// only, as the book is. Removed again if the copy fails.
    pub fn back_up_to(&self, to: &Path) -> Result<()> {
        folder_of(to)?;
        new_private_file(to).map_err(|source| StoreError::Create { path: to.into(), source })?;
        let target = to.to_string_lossy().to_string();
        self.conn.execute("VACUUM INTO ?1", [&target]).map(|_| ()).map_err(|e| {
            let _ = std::fs::remove_file(to);
            self.err(e)
        })
    }
}

/// Refused when the folder `path` is to be in does not exist.
fn folder_of(path: &Path) -> Result<()> {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
    match parent.is_some_and(|p| !p.is_dir()) {
        true => Err(StoreError::NoSuchFolder { path: path.into() }),
        false => Ok(()),
    }
}

/// Create an empty file readable and writable by its owner only, unless one is there.
fn create_private(path: &Path) -> std::io::Result<()> {
    match new_private_file(path) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other,
    }
}

/// Create an empty file readable and writable by its owner only; refused if one is there.
pub(super) fn new_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(|_| ())
}

/// Turn SQLite's codes into errors a person can act on.
/// What SQLite's quick check finds wrong with the book, on one line; None when nothing.
fn damage(conn: &Connection) -> Option<String> {
    let verdict: String = conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0)).unwrap_or_else(|e| e.to_string());
    (verdict != "ok").then(|| verdict.split_whitespace().collect::<Vec<_>>().join(" "))
}

pub(crate) fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
    let path = path.to_path_buf();
    // Text tend wrote is UTF-8: a value that is not was damaged on disk (a probe's book with
    // bytes overwritten said only "invalid utf-8 sequence of 1 bytes from index 11211").
    // (Only text that is not UTF-8: another value read as the wrong type is tend's own mistake,
    // not the file's, and is not called damage.)
    let not_utf8 = match &e {
        rusqlite::Error::Utf8Error(..) => true,
        rusqlite::Error::FromSqlConversionFailure(_, _, inner) => inner.to_string().contains("utf-8"),
        _ => false,
    };
    if not_utf8 {
        return StoreError::Damaged { path, detail: format!("text tend wrote reads back as not UTF-8: {e}") };
    }
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotADatabase { path },
        // A tend book whose pages SQLite finds broken: damaged, not "of another kind" (a probe's
        // book with a page zeroed was "not a tend database" to `tend search`).
        Some(ErrorCode::DatabaseCorrupt) => {
            StoreError::Damaged { path, detail: "SQLite found a page of it malformed".to_string() }
        }
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Locked { path },
        Some(ErrorCode::DiskFull) => StoreError::Full { path },
        _ => StoreError::Sqlite { path, source: e },
    }
}
