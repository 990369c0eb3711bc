//! Taking an import back: a copy of the book as it was before the last import that changed it,
//! kept beside the book (`<book>.before-import`), put back by `tend undo --import` while nothing
//! has been written since.
//!
//! An import writes thousands of rows in one transaction (accounts, their planned journeys,
//! samples, entries, the tasks its playbooks open), and none of it goes through the undo log of
//! single changes: a wrong file (a probe's accounts file without names, a metrics file of
//! another team) could only be taken back from a backup the user had thought of making. The
//! copy is the book as one moment saw it (`VACUUM INTO`, as `tend db backup` takes one), made
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
    /// an error: the import is then not run, rather than run with no way back.
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
        self.back_up_to(&made)?;
        let token = format!("{:x}-{generation}", chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default());
        let noted = rusqlite::Connection::open(&made).and_then(|copy| {
            copy.execute("INSERT OR REPLACE INTO book_meta (key, value) VALUES (?1, ?2)", [COPY_KEY, &token])
        });
        if let Err(e) = noted {
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

    /// Put the book back as it was before its last import, when nothing has been written to it
    /// since; the copy is used up. Refused, changing nothing, otherwise.
    pub fn undo_import(&mut self) -> std::result::Result<LastImport, String> {
        let db = self.path.display().to_string();
        if let Some(why) = self.read_only() {
            return Err(format!("{db} cannot be written ({why}): nothing was changed"));
        }
        let none = || format!("no import into {db} is left to undo: nothing was changed");
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
            return Err(format!(
                "{db} has been written to since the import of {} ({}): putting it back as it was before \
                 would take those changes back too; nothing was changed",
                last.what, last.at
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
