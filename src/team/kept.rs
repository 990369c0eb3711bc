//! The member's snapshot of a team book kept between runs, in their own cache folder (readable by
//! them alone): the next run brings it up to the team book by pulling only the tables written
//! since (`TeamBook::refresh`), and what it worked out there (factor values, the history of
//! earlier days) stays but for the accounts written. Without it every run pulled the whole book
//! and scored every account afresh: seconds at 100,000 accounts, for a report, a search or an open
//! after any write.
//!
//! One folder per team book and role: `<cache>/team/<cluster id>-<database oid>-<role, hex>`, so
//! that a book made again under the same name, another cluster on the same port, or another
//! member on the same machine never reads another's rows. Each whole pull draws a token of its
//! own and writes it into the book, in the pull's transaction; `pulled.json` beside the book
//! names it, and is written only once the pull is on disk and removed before a whole pull
//! begins. A book whose token is not the note's (half pulled by a killed tend, emptied, put back
//! from elsewhere, another build's) is pulled whole again, never read. What the book was pulled
//! at (each table's count of writes) is kept in the book itself, written in the very transaction
//! that pulls the rows: a book and its counts cannot disagree. One tend at a time uses it (a
//! lock); another tend of the member's meanwhile reads a throwaway copy of it as of one moment
//! (`copy_in_use`), brought up to the team book the same way.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::TeamBook;

/// What `pulled.json` holds.
#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Pulled {
    /// The tend and the two schemas it was pulled with: another tend pulls it whole again.
    format: String,
    /// The token of the whole pull the book holds (`TOKEN_KEY` in it).
    token: String,
}

/// The book's own fact (`book_meta`) naming the whole pull it holds.
pub(super) const TOKEN_KEY: &str = "team_pull";
/// The book's own fact holding the team book's count of writes, table by table, when it was
/// last pulled (JSON).
pub(super) const TABLES_KEY: &str = "team_tables";

/// A token for a new whole pull: no other pull on this machine draws the same.
pub(super) fn new_token() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    format!("{}.{:09}-{}", now.as_secs(), now.subsec_nanos(), std::process::id())
}

/// The counts as the book keeps them.
pub(super) fn tables_text(tables: &super::replica::Tables) -> String {
    serde_json::to_string(tables).unwrap_or_default()
}

/// The counts the book `store` keeps, if it is the whole pull `token` names.
pub(super) fn tables_of(store: &crate::store::Store, token: &str) -> Option<super::replica::Tables> {
    (store.meta(TOKEN_KEY).ok()?.as_deref() == Some(token)).then_some(())?;
    serde_json::from_str(&store.meta(TABLES_KEY).ok()??).ok()
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

/// The member's kept snapshot of a team book, as this tend finds it.
pub(super) enum Kept {
    /// Locked by this tend, to pull into and read.
    Ours(KeptFolder),
    /// Another tend of the member's holds it (the screens left open): its folder.
    InUse(PathBuf),
}

impl KeptFolder {
    /// The folder of the team book `book` is signed in to, under `home`, locked when no other
    /// tend holds it: None when the book cannot say which it is, or the folder cannot be made
    /// (then a throwaway snapshot does).
    pub fn lock(book: &mut TeamBook, home: &Path) -> Option<Kept> {
        let (name, cluster, live) = identity(book)?;
        sweep_gone(home, &cluster, &live);
        let path = home.join(name);
        private_folder(&path).ok()?;
        let lock = std::fs::File::create(path.join(LOCK)).ok()?;
        match lock.try_lock() {
            Ok(()) => Some(Kept::Ours(KeptFolder { path, lock })),
            Err(std::fs::TryLockError::WouldBlock) => Some(Kept::InUse(path)),
            Err(std::fs::TryLockError::Error(_)) => None,
        }
    }

    /// The token of the whole pull the note names, if this tend's and its book is there.
    pub fn pulled(&self) -> Option<String> {
        note_token(&self.path)
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

/// The token of the whole pull the note in `folder` names, if this tend's and its book is there.
pub(super) fn note_token(folder: &Path) -> Option<String> {
    let text = std::fs::read_to_string(folder.join(PULLED)).ok()?;
    let pulled: Pulled = serde_json::from_str(&text).ok()?;
    let book = super::replica::book_in(folder);
    (pulled.format == format() && book.is_file()).then_some(pulled.token)
}

/// A copy of the kept book in `folder` (another tend of the member's holds it) into the new file
/// `to`, as of one moment (one read transaction, waiting out that tend's write), with the counts
/// it was pulled at, if it is the pull the note names. None when it is not there, or is not that
/// pull (then the whole book is pulled).
pub(super) fn copy_in_use(folder: &Path, to: &Path) -> Option<(crate::store::Store, super::replica::Tables)> {
    let token = note_token(folder)?;
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let source = rusqlite::Connection::open_with_flags(super::replica::book_in(folder), flags).ok()?;
    source.busy_timeout(std::time::Duration::from_secs(10)).ok()?;
    source.execute("VACUUM INTO ?1", [to.to_string_lossy()]).ok()?;
    drop(source);
    let copy = crate::store::Store::open(to).ok()?;
    let tables = tables_of(&copy, &token)?;
    Some((copy, tables))
}

/// After a run that failed reading a kept snapshot under `home` (damaged on disk), with `error`
/// saying so (the file's path in it): it is let go (its note goes), so the next run pulls the team
/// book whole rather than failing again. What to say, if it was one. (By the words said, not the
/// error's type: the exports, the screens and the reports wrap what SQLite said each in their own.)
pub fn let_go_if_unreadable(error: &str, home: &Path) -> Option<String> {
    const UNREADABLE: &[&str] = &[
        "not a tend database",
        "is damaged",
        "malformed",
        "not a database",
        "corrupt",
        "unable to open database file",
    ];
    let lower = error.to_ascii_lowercase();
    if !UNREADABLE.iter().any(|u| lower.contains(u)) {
        return None;
    }
    let home_text = home.to_string_lossy();
    let at = error.find(home_text.as_ref())? + home_text.len();
    let name = error[at..].trim_start_matches(std::path::MAIN_SEPARATOR).split(std::path::MAIN_SEPARATOR).next()?;
    let folder = home.join(name);
    if name.is_empty() || !folder.join(PULLED).is_file() {
        return None;
    }
    remove_if_there(&folder.join(PULLED)).ok()?;
    Some(format!(
        "your copy of the team book in {} could not be read: the next run pulls the team book whole",
        folder.display()
    ))
}

/// After a whole pull: the book's pages on disk first, then the note naming its token, in one
/// rename.
pub(super) fn note_pulled(folder: &Path, token: &str) -> std::io::Result<()> {
    let book = super::replica::book_in(folder);
    std::fs::File::open(&book)?.sync_all()?;
    // A book in WAL mode holds its last transactions in its log until a checkpoint.
    let mut log = book.into_os_string();
    log.push("-wal");
    if let Ok(log) = std::fs::File::open(&log) {
        log.sync_all()?;
    }
    let pulled = Pulled { format: format(), token: token.to_string() };
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
/// under the same name) and the role (hex: any text a role may be named). With the cluster's
/// identifier and the oids of its databases now.
fn identity(book: &mut TeamBook) -> Option<(String, String, Vec<String>)> {
    let row = book
        .client
        .get_mut()
        .query_one(
            "SELECT (SELECT system_identifier FROM pg_control_system())::text,
                    (SELECT oid FROM pg_database WHERE datname = current_database())::text,
                    current_user::text,
                    (SELECT array_agg(oid::text) FROM pg_database)",
            &[],
        )
        .ok()?;
    let (cluster, database, role, live): (Option<String>, Option<String>, String, Option<Vec<String>>) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    let (cluster, database) = (cluster?, database?);
    let hex: String = role.bytes().map(|b| format!("{b:02x}")).collect();
    Some((format!("{cluster}-{database}-{hex}"), cluster, live.unwrap_or_default()))
}

/// Remove the kept snapshots under `home` of databases of `cluster` that are no more (`live`
/// holds the oids there are): copies of a team book no one can reach, left by a book dropped or
/// made again. Not one a running tend holds.
fn sweep_gone(home: &Path, cluster: &str, live: &[String]) {
    let Ok(entries) = std::fs::read_dir(home) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let mut parts = name.splitn(3, '-');
        let (Some(theirs), Some(oid)) = (parts.next(), parts.next()) else { continue };
        if theirs != cluster || live.iter().any(|l| l == oid) {
            continue;
        }
        let unused = std::fs::File::open(entry.path().join(LOCK)).map_or(true, |lock| lock.try_lock().is_ok());
        if unused {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
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
    use std::collections::HashMap;

    #[test]
    fn a_note_of_another_format_or_without_its_book_is_not_trusted() {
        let temp = tempfile::tempdir().unwrap();
        let folder = KeptFolder { path: temp.path().to_path_buf(), lock: tempfile::tempfile().unwrap() };
        assert_eq!(folder.pulled(), None, "nothing pulled yet");
        std::fs::write(super::super::replica::book_in(temp.path()), b"").unwrap();
        note_pulled(temp.path(), "t1").unwrap();
        assert_eq!(folder.pulled().as_deref(), Some("t1"));
        // Another build's note: pulled whole again.
        let other = Pulled { format: "tend 0.0.1 / team schema 1 / book schema 1".into(), token: "t1".into() };
        std::fs::write(temp.path().join(PULLED), serde_json::to_string(&other).unwrap()).unwrap();
        assert_eq!(folder.pulled(), None);
        // A whole pull begins: the note and the book go.
        note_pulled(temp.path(), "t2").unwrap();
        assert!(folder.pulled().is_some());
        folder.clear().unwrap();
        assert_eq!(folder.pulled(), None);
        assert!(!super::super::replica::book_in(temp.path()).exists());
        // A note cut short (a full disk): not trusted.
        std::fs::write(super::super::replica::book_in(temp.path()), b"").unwrap();
        std::fs::write(temp.path().join(PULLED), "{\"format\":").unwrap();
        assert_eq!(folder.pulled(), None);
    }

    #[test]
    fn a_kept_book_that_cannot_be_read_is_let_go_and_no_other() {
        let home = tempfile::tempdir().unwrap();
        let folder = home.path().join("1-2-6d617961");
        std::fs::create_dir(&folder).unwrap();
        let book = super::super::replica::book_in(&folder);
        std::fs::write(&book, b"").unwrap();
        note_pulled(&folder, "t1").unwrap();
        let kept = KeptFolder { path: folder.clone(), lock: tempfile::tempfile().unwrap() };
        // A full disk is no damage: the copy stays.
        let full = crate::store::StoreError::Full { path: book.clone() }.to_string();
        assert_eq!(let_go_if_unreadable(&full, home.path()), None);
        // Elsewhere: not a kept copy.
        let elsewhere = crate::store::StoreError::NotADatabase { path: "/tmp/x/team-book.db".into() }.to_string();
        assert_eq!(let_go_if_unreadable(&elsewhere, home.path()), None);
        assert!(kept.pulled().is_some());
        // However the message wraps it (an export's, the screens').
        let damaged = crate::store::StoreError::NotADatabase { path: book }.to_string();
        let said = let_go_if_unreadable(&format!("export logs: {damaged}"), home.path()).unwrap();
        assert!(said.contains("the next run pulls the team book whole"), "{said}");
        assert_eq!(kept.pulled(), None, "let go");
    }

    #[test]
    fn the_copies_of_databases_that_are_no_more_go_unless_in_use() {
        let home = tempfile::tempdir().unwrap();
        let make = |name: &str| {
            std::fs::create_dir(home.path().join(name)).unwrap();
            std::fs::File::create(home.path().join(name).join(LOCK)).unwrap()
        };
        make("77-5-6d617961");
        make("77-9-6d617961");
        make("88-9-6d617961");
        let held = make("77-11-6d617961");
        held.lock().unwrap();
        std::fs::create_dir(home.path().join("not-ours")).unwrap();
        sweep_gone(home.path(), "77", &["5".to_string(), "6".to_string()]);
        let left = |n: &str| home.path().join(n).exists();
        assert!(left("77-5-6d617961"), "a database there is");
        assert!(!left("77-9-6d617961"), "a database dropped");
        assert!(left("88-9-6d617961"), "another cluster's");
        assert!(left("77-11-6d617961"), "one a running tend holds");
        assert!(left("not-ours"));
    }

    #[test]
    fn a_book_is_read_only_under_the_token_of_its_own_pull() {
        let mut store = crate::store::Store::open_in_memory().unwrap();
        assert_eq!(tables_of(&store, "t1"), None, "an empty book");
        let entries = super::super::replica::TableWrites { writes: 7, latest: "2026-12-04 06:00:00.1+00".into() };
        let tables = HashMap::from([("entries".to_string(), entries)]);
        store.set_book_meta(TOKEN_KEY, "t1").unwrap();
        store.set_book_meta(TABLES_KEY, &tables_text(&tables)).unwrap();
        assert_eq!(tables_of(&store, "t1"), Some(tables));
        assert_eq!(tables_of(&store, "t2"), None, "another pull's book");
        store.set_book_meta(TABLES_KEY, "{").unwrap();
        assert_eq!(tables_of(&store, "t1"), None, "counts it cannot read");
    }
}
