//! Taking an import back: a copy of the book as it was before the last import that changed it,
//! kept beside the book (`<book>.before-import`), put back by `tend undo --import` while nothing
//! has been written since.
//!
//! An import writes thousands of rows in one transaction (accounts, their planned journeys,
//! samples, entries, the tasks its playbooks open), and none of it goes through the undo log of
//! single changes: a wrong file (a probe's accounts file without names, a metrics file of
//! another team) could only be taken back from a backup the user had thought of making. The
//! copy is the book as one moment saw it (SQLite's backup, page by page), made
//! under a name of its own and moved into place only once the import has changed the book: a
//! refused file, a dry run or a file that changes nothing leaves the previous one as it was.

use std::path::{Path, PathBuf};

use super::{Result, Store, StoreError};

/// What the book notes of its last import: which copy takes it back, and the book's write count
/// the import left (a write since is taken back by nothing else; the copy would lose it).
const META_KEY: &str = "import_undo";
/// What the copy notes of itself: the token the book's note names.
const COPY_KEY: &str = "before_import_of";

/// A copy of the book made before an import, not yet kept (`Store::keep_import_copy`).
pub struct ImportCopy {
    made: PathBuf,
    token: String,
    generation: i64,
}

/// The last import, as `tend undo --import` takes it back.
#[derive(Debug, PartialEq)]
pub struct LastImport {
    /// What was imported ("accounts from crm.csv").
    pub what: String,
    /// When, as the clock read it (RFC 3339, UTC).
    pub at: String,
}

/// Where the copy of `book` is kept.
pub fn copy_path(book: &Path) -> PathBuf {
    let mut name = book.as_os_str().to_owned();
    name.push(".before-import");
    PathBuf::from(name)
}

impl Store {
    /// Copy the book as it is now, before an import writes to it; None for a book that is not a
    /// file tend may write (in memory, read-only). A copy that cannot be made (a full disk) is
    /// an error, which the caller says before it imports without one.
    pub fn copy_before_import(&self) -> Result<Option<ImportCopy>> {
        if self.read_only().is_some() || self.path == Path::new(":memory:") {
            return Ok(None);
        }
        let kept = copy_path(&self.path);
        let mut made = kept.clone().into_os_string();
        made.push(".new");
        let made = PathBuf::from(made);
        // A copy left by an import that was stopped before keeping it.
        let _ = std::fs::remove_file(&made);
        let generation = self.generation()?;
        let token = format!("{:x}-{generation}", chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default());
        // Page by page, in one step (one read of the book, as of one moment), into a new file of
        // its owner's: a fraction of the time and memory of `VACUUM INTO`, which rebuilds every
        // table and index (5.1 s and 400 MB against 0.9 s for a one-row import into the
        // 100,000-account demo book).
        super::new_private_file(&made).map_err(|source| StoreError::Create { path: made.clone(), source })?;
        let copied = rusqlite::Connection::open(&made).and_then(|mut copy| {
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut copy)?;
            // Every page in one step (-1): Done, or the copy is not whole.
            if backup.step(-1)? != rusqlite::backup::StepResult::Done {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                    Some("the book was busy while it was copied".into()),
                ));
            }
            drop(backup);
            // A file alone, with no write-ahead log: reading it (the undo's check) leaves no
            // side files beside it (a probe found -shm and -wal after a refused undo).
            copy.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
            copy.execute("INSERT OR REPLACE INTO book_meta (key, value) VALUES (?1, ?2)", [COPY_KEY, &token])
        });
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&made);
            return Err(self.err(e));
        }
        Ok(Some(ImportCopy { made, token, generation }))
    }

    /// After the import: keep `copy` as the way back from it when the import changed the book
    /// (`what` says what it was), and drop it otherwise, leaving the previous import's. Whether it
    /// was kept.
    pub fn keep_import_copy(&mut self, copy: ImportCopy, what: &str) -> Result<bool> {
        if self.generation()? == copy.generation {
            let _ = std::fs::remove_file(&copy.made);
            return Ok(false);
        }
        let kept = copy_path(&self.path);
        std::fs::rename(&copy.made, &kept).map_err(|source| StoreError::Create { path: kept.clone(), source })?;
        let note = serde_json::json!({
            "token": copy.token,
            "generation": self.generation()?,
            "what": what,
            "at": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        });
        self.set_book_meta(META_KEY, &note.to_string())?;
        Ok(true)
    }

    /// Drop a copy made for an import that was refused.
    pub fn drop_import_copy(copy: ImportCopy) {
        let _ = std::fs::remove_file(&copy.made);
    }

    /// Whether the book's last write was an import that can be taken back: nothing written
    /// since, and its copy kept.
    pub fn import_is_last_write(&self) -> Result<bool> {
        let Some(note) = self.meta(META_KEY)? else { return Ok(false) };
        let note: serde_json::Value = serde_json::from_str(&note).unwrap_or_default();
        let generation = note.get("generation").and_then(|v| v.as_i64());
        Ok(generation == Some(self.generation()?) && copy_path(&self.path).is_file())
    }

    /// The import `tend undo --import` would take back now (`import_is_last_write`).
    pub fn undoable_import(&self) -> Result<Option<LastImport>> {
        if !self.import_is_last_write()? {
            return Ok(None);
        }
        let note: serde_json::Value =
            serde_json::from_str(&self.meta(META_KEY)?.unwrap_or_default()).unwrap_or_default();
        let text = |key: &str| note.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        Ok(Some(LastImport { what: text("what"), at: text("at") }))
    }

    /// Put the book back as it was before its last import, when nothing has been written to it
    /// since; the copy is used up. Refused, changing nothing, otherwise.
    pub fn undo_import(&mut self) -> std::result::Result<LastImport, String> {
        let db = self.path.display().to_string();
        if let Some(why) = self.read_only() {
            return Err(format!("{db} cannot be written ({why}): nothing was changed"));
        }
        let none = || {
            format!(
                "no import into {db} is left to undo (the way back from its last import is kept until it \
                 is used or another import's takes its place): nothing was changed"
            )
        };
        let note = self.meta(META_KEY).map_err(|e| e.to_string())?.ok_or_else(none)?;
        let note: serde_json::Value = serde_json::from_str(&note).map_err(|_| none())?;
        let text = |key: &str| note.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let last = LastImport { what: text("what"), at: text("at") };
        let copy = copy_path(&self.path);
        let copy_token = rusqlite::Connection::open_with_flags(&copy, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .and_then(|c| {
                c.query_row("SELECT value FROM book_meta WHERE key = ?1", [COPY_KEY], |r| r.get::<_, String>(0))
            })
            .ok();
        if copy_token.as_deref() != Some(text("token").as_str()) {
            return Err(format!(
                "the copy of {db} from before the import of {} ({}) is gone or is another book's: \
                 nothing was changed",
                last.what,
                copy.display()
            ));
        }
        let generation = self.generation().map_err(|e| e.to_string())?;
        if Some(generation) != note.get("generation").and_then(|v| v.as_i64()) {
            // What is left to whoever wants the book as it was, writes since and all: the copy.
            return Err(format!(
                "{db} has been written to since the import of {} ({}; a change taken back since counts \
                 too): putting it back as it was before would take those changes back as well; nothing \
                 was changed. The book as it was before the import is kept in {}",
                last.what,
                last.at,
                copy.display()
            ));
        }
        // The copy's pages replace the book's in one write, as other connections see it; the
        // write count goes on from where it was, so that every open tend reads the book again.
        self.conn.restore(rusqlite::MAIN_DB, &copy, None::<fn(rusqlite::backup::Progress)>).map_err(|e| {
            format!("{db} could not be put back as it was before the import of {}: {e}; nothing was changed", last.what)
        })?;
        let after = [
            "DELETE FROM book_meta WHERE key IN ('import_undo', 'before_import_of')".to_string(),
            format!(
                "INSERT INTO book_meta (key, value) VALUES ('generation', {next})
                 ON CONFLICT (key) DO UPDATE SET value = {next}",
                next = generation + 1
            ),
        ];
        for sql in after {
            self.conn.execute(&sql, []).map_err(|e| e.to_string())?;
        }
        let _ = std::fs::remove_file(&copy);
        Ok(last)
    }
}
