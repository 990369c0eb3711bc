//! The member's snapshot of a team book kept between runs, in their own cache folder (readable by
//! them alone): the next run brings it up to the team book by pulling only the tables written
//! since (`TeamBook::refresh`), and what it worked out there (factor values, the history of
//! earlier days) stays but for the accounts written. Without it every run pulled the whole book
//! and scored every account afresh: seconds at 100,000 accounts, for a report, a search or an open
//! after any write.
//!
//! One folder per team book and role: `<cache>/team/<cluster id>-<database oid>-<role, hex>`, so
//! that a book made again under the same name, another cluster on the same port, or another
//! member on the same machine never reads another's rows. `pulled.json` beside the book says
//! what it was pulled at (each table's count of writes); it is written only once the pull is on
//! disk and removed before a whole pull begins, so a snapshot a killed tend left half pulled is
//! pulled whole again, never read. One tend at a time uses it (a lock); another tend meanwhile
//! pulls a throwaway snapshot of its own, as before.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::TeamBook;

/// What `pulled.json` holds.
#[derive(Serialize, Deserialize, PartialEq, Debug)]
pub(super) struct Pulled {
    /// The tend and the two schemas it was pulled with: another tend pulls it whole again.
    pub format: String,
    /// The team book's count of writes, table by table, when it was last pulled.
    pub tables: HashMap<String, i64>,
}

const PULLED: &str = "pulled.json";
const LOCK: &str = "in-use.lock";

/// What a snapshot pulled by another build of tend cannot be trusted to match.
fn format() -> String {
    format!(
        "tend {} / team schema {} / book schema {}",
        env!("CARGO_PKG_VERSION"),
        super::schema::STEPS.len(),
        crate::store::migrations::STEPS.len()
    )
}

/// A kept snapshot's folder, locked by this tend while it lives.
pub(super) struct KeptFolder {
    pub path: PathBuf,
    pub lock: std::fs::File,
}

impl KeptFolder {
    /// The folder of the team book `book` is signed in to, under `home`, locked: None when the
    /// book cannot say which it is, or another tend holds it (then a throwaway snapshot does).
    pub fn lock(book: &mut TeamBook, home: &Path) -> Option<KeptFolder> {
        let name = identity(book)?;
        let path = home.join(name);
        private_folder(&path).ok()?;
        let lock = std::fs::File::create(path.join(LOCK)).ok()?;
        lock.try_lock().ok()?;
        Some(KeptFolder { path, lock })
    }

    /// What the kept snapshot was pulled at, if it is whole and this tend's.
    pub fn pulled(&self) -> Option<Pulled> {
        let text = std::fs::read_to_string(self.path.join(PULLED)).ok()?;
        let pulled: Pulled = serde_json::from_str(&text).ok()?;
        let book = super::replica::book_in(&self.path);
        (pulled.format == format() && book.is_file()).then_some(pulled)
    }

    /// Before a whole pull: what was there goes (the book and its side files), and with it the
    /// note that it was whole.
    pub fn clear(&self) -> std::io::Result<()> {
        remove_if_there(&self.path.join(PULLED))?;
        let book = super::replica::book_in(&self.path);
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut file = book.clone().into_os_string();
            file.push(suffix);
            remove_if_there(Path::new(&file))?;
        }
        Ok(())
    }
}

/// After a pull (whole or of the tables written): the book's pages on disk first, then the note
/// of what it holds, in one rename.
pub(super) fn note_pulled(folder: &Path, tables: &HashMap<String, i64>) -> std::io::Result<()> {
    let book = super::replica::book_in(folder);
    std::fs::File::open(&book)?.sync_all()?;
    // A book in WAL mode holds its last transactions in its log until a checkpoint.
    let mut log = book.into_os_string();
    log.push("-wal");
    if let Ok(log) = std::fs::File::open(&log) {
        log.sync_all()?;
    }
    let pulled = Pulled { format: format(), tables: tables.clone() };
    let text = serde_json::to_string(&pulled).map_err(std::io::Error::other)?;
    let new = folder.join(format!("{PULLED}.new"));
    std::fs::write(&new, text)?;
    std::fs::File::open(&new)?.sync_all()?;
    std::fs::rename(new, folder.join(PULLED))
}

fn remove_if_there(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// The folder's name for the book `book` is signed in to: its cluster's system identifier (a
/// new one for every cluster made), its database's oid (a new one for a database made again
/// under the same name) and the role (hex: any text a role may be named).
fn identity(book: &mut TeamBook) -> Option<String> {
    let row = book
        .client
        .get_mut()
        .query_one(
            "SELECT (SELECT system_identifier FROM pg_control_system())::text,
                    (SELECT oid FROM pg_database WHERE datname = current_database())::text,
                    current_user::text",
            &[],
        )
        .ok()?;
    let (cluster, database, role): (Option<String>, Option<String>, String) = (row.get(0), row.get(1), row.get(2));
    let hex: String = role.bytes().map(|b| format!("{b:02x}")).collect();
    Some(format!("{}-{}-{hex}", cluster?, database?))
}

/// `path` made if missing, readable by this user alone (it holds the team's accounts).
fn private_folder(path: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_of_another_format_or_without_its_book_is_not_trusted() {
        let temp = tempfile::tempdir().unwrap();
        let folder = KeptFolder { path: temp.path().to_path_buf(), lock: tempfile::tempfile().unwrap() };
        assert_eq!(folder.pulled(), None, "nothing pulled yet");
        std::fs::write(super::super::replica::book_in(temp.path()), b"").unwrap();
        let tables = HashMap::from([("entries".to_string(), 7)]);
        note_pulled(temp.path(), &tables).unwrap();
        assert_eq!(folder.pulled(), Some(Pulled { format: format(), tables: tables.clone() }));
        // Another build's note: pulled whole again.
        let other = Pulled { format: "tend 0.0.1 / team schema 1 / book schema 1".into(), tables };
        std::fs::write(temp.path().join(PULLED), serde_json::to_string(&other).unwrap()).unwrap();
        assert_eq!(folder.pulled(), None);
        // A whole pull begins: the note and the book go.
        note_pulled(temp.path(), &HashMap::new()).unwrap();
        assert!(folder.pulled().is_some());
        folder.clear().unwrap();
        assert_eq!(folder.pulled(), None);
        assert!(!super::super::replica::book_in(temp.path()).exists());
        // A note cut short (a full disk): not trusted.
        std::fs::write(super::super::replica::book_in(temp.path()), b"").unwrap();
        std::fs::write(temp.path().join(PULLED), "{\"format\":").unwrap();
        assert_eq!(folder.pulled(), None);
    }
}
