//! Files tend writes for the user: exports (`-o`), rejected rows (`--rejects`) and config saves.
//!
//! Three promises, whatever path the user types:
//! - an output never lands on the book, its `-wal`/`-shm`/`-journal`, or a file the same command
//!   reads (its input, the config in use), whether named directly, relatively, through a symlink
//!   or a hard link; not even with `--force`;
//! - an output is written whole or not at all: into a temporary file in the destination's folder,
//!   synced, then renamed over the destination, so a failure leaves the old file as it was;
//! - an output carries the book's permissions (0600 by default), not the umask's.
//!
//! Replacing an existing file: a file the user names (`-o FILE`, `--rejects FILE`) is replaced, as
//! the shell's `>` would, unless it is a SQLite database (another book, say), which takes
//! `--force`. A name tend picks itself (`FILE.rejects.csv`) never replaces anything: it takes the
//! next free name.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why an output path was refused.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{flag} {path}: that is {what}; tend never writes over it. Name another file")]
    Protected { flag: String, path: String, what: String },
    #[error("{flag} {path}: that file is a SQLite database (a book?); tend does not replace it unless you add --force")]
    Database { flag: String, path: String },
    #[error("{flag} {path}: it is a symlink to {target}, which does not exist; name the file itself")]
    DanglingLink { flag: String, path: String, target: String },
    #[error("{flag} {path}: it is a folder; name a file")]
    Folder { flag: String, path: String },
    #[error("{flag} {path}: {reason}")]
    Unusable { flag: String, path: String, reason: String },
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: io::Error },
}

/// The files an output must not land on, each with what it is (for the message).
#[derive(Debug, Default)]
pub struct Protected {
    files: Vec<(PathBuf, Option<FileId>, String)>,
}

/// A file's identity on disk, so a hard link to the book is the book.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FileId {
    dev: u64,
    ino: u64,
}

fn file_id(path: &Path) -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(path).ok().map(|m| FileId { dev: m.dev(), ino: m.ino() })
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

impl Protected {
    pub fn new() -> Protected {
        Protected::default()
    }

    /// The book and the files SQLite keeps beside it, under the name given and the name it
    /// resolves to (SQLite names its side files after either, depending on the platform).
    pub fn book(mut self, db: &Path) -> Protected {
        let mut names = vec![absolute(db)];
        if let Ok(resolved) = resolve(db) {
            names.push(resolved);
        }
        for name in names {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let mut p = name.clone().into_os_string();
                p.push(suffix);
                let what = if suffix.is_empty() { "the book".to_string() } else { format!("the book's {suffix} file") };
                self.add(PathBuf::from(p), what);
            }
        }
        self
    }

    /// A file the command reads.
    pub fn input(mut self, path: &Path, what: &str) -> Protected {
        self.add(path.to_path_buf(), what.to_string());
        self
    }

    fn add(&mut self, path: PathBuf, what: String) {
        let resolved = resolve(&path).unwrap_or_else(|_| absolute(&path));
        let id = file_id(&resolved);
        self.files.push((resolved, id, what));
    }

    fn hit(&self, resolved: &Path) -> Option<&str> {
        let id = file_id(resolved);
        self.files
            .iter()
            .find(|(p, pid, _)| p == resolved || (id.is_some() && *pid == id))
            .map(|(_, _, what)| what.as_str())
    }
}

/// How an output may treat a file already at its path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replace {
    /// The user named the file: replace it, unless it is a SQLite database.
    Named,
    /// `--force`: replace it, even a database (never a protected file).
    Forced,
}

/// A checked place to write an output to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Where the bytes go, symlinks followed.
    pub path: PathBuf,
    /// What the user typed, for messages.
    pub shown: PathBuf,
    /// A device or pipe (`/dev/stdout`, a FIFO): written in place, never renamed over.
    special: bool,
    /// Permission bits of the written file.
    mode: u32,
}

impl Target {
    /// Check `path` (given as `flag`) against what must not be written over; `mode` is the
    /// permission the file gets (the book's).
    pub fn check(
        flag: &str,
        path: &Path,
        protected: &Protected,
        replace: Replace,
        mode: u32,
    ) -> Result<Target, OutputError> {
        let shown = path.display().to_string();
        let unusable = |reason: String| OutputError::Unusable { flag: flag.into(), path: shown.clone(), reason };
        // A device or a pipe (`/dev/stdout`, `/dev/null`, a FIFO) is written in place, as named:
        // it is never renamed over, and it is never the book.
        if let Ok(meta) = fs::metadata(path)
            && !meta.is_file()
            && !meta.is_dir()
        {
            if let Some(what) = protected.hit(path) {
                return Err(OutputError::Protected { flag: flag.into(), path: shown, what: what.into() });
            }
            return Ok(Target { path: path.to_path_buf(), shown: path.to_path_buf(), special: true, mode });
        }
        if let Ok(meta) = fs::symlink_metadata(path)
            && meta.file_type().is_symlink()
            && fs::metadata(path).is_err()
        {
            let target = fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_else(|_| "?".into());
            return Err(OutputError::DanglingLink { flag: flag.into(), path: shown, target });
        }
        let resolved = resolve(path).map_err(|e| unusable(e.to_string()))?;
        if let Some(what) = protected.hit(&resolved) {
            return Err(OutputError::Protected { flag: flag.into(), path: shown, what: what.into() });
        }
        match fs::metadata(&resolved) {
            Ok(meta) if meta.is_dir() => return Err(OutputError::Folder { flag: flag.into(), path: shown }),
            Ok(meta) if meta.is_file() => {
                if replace == Replace::Named && is_sqlite(&resolved) {
                    return Err(OutputError::Database { flag: flag.into(), path: shown });
                }
            }
            Ok(_) => return Err(unusable("not a file, a device or a pipe".into())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let parent = resolved.parent().unwrap_or(Path::new("/"));
                if !parent.is_dir() {
                    return Err(unusable(format!("the folder {} does not exist", parent.display())));
                }
            }
            Err(e) => return Err(unusable(e.to_string())),
        }
        Ok(Target { path: resolved, shown: path.to_path_buf(), special: false, mode })
    }

    /// A file tend names itself: `base` if free, else `stem-2.ext`, `stem-3.ext`, ...; never an
    /// existing file.
    pub fn free(base: &Path, mode: u32) -> Target {
        let mut candidate = base.to_path_buf();
        let stem = base.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let ext = base.extension().map(|s| format!(".{}", s.to_string_lossy())).unwrap_or_default();
        let mut n = 2;
        while fs::symlink_metadata(&candidate).is_ok() {
            candidate = base.with_file_name(format!("{stem}-{n}{ext}"));
            n += 1;
        }
        Target { path: absolute(&candidate), shown: candidate, special: false, mode }
    }

    /// Open the output for writing: bytes go to a temporary file until `commit`.
    /// A device or pipe (`-o /dev/stdout`), written in place.
    pub fn is_special(&self) -> bool {
        self.special
    }

    pub fn create(&self) -> Result<Output, OutputError> {
        let err = |source| OutputError::Write { path: self.shown.display().to_string(), source };
        if self.special {
            let file = fs::OpenOptions::new().write(true).open(&self.path).map_err(err)?;
            return Ok(Output { target: self.clone(), inner: Sink::Special(io::BufWriter::new(file)) });
        }
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let name = self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = tempfile::Builder::new().prefix(&format!(".{name}.")).suffix(".tmp").tempfile_in(dir).map_err(err)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(tmp.path(), fs::Permissions::from_mode(self.mode)).map_err(err)?;
        }
        Ok(Output { target: self.clone(), inner: Sink::Temp(io::BufWriter::new(tmp)) })
    }

    /// Write `bytes` as the whole file.
    pub fn write_all(&self, bytes: &[u8]) -> Result<(), OutputError> {
        let mut out = self.create()?;
        out.write_all(bytes).map_err(|source| OutputError::Write { path: self.shown.display().to_string(), source })?;
        out.commit()
    }
}

/// An output being written. Dropped without `commit`, it leaves the destination as it was.
pub struct Output {
    target: Target,
    inner: Sink,
}

enum Sink {
    Temp(io::BufWriter<tempfile::NamedTempFile>),
    Special(io::BufWriter<File>),
}

impl Output {
    /// Put the written bytes in place: synced, then renamed over the destination.
    pub fn commit(self) -> Result<(), OutputError> {
        let err = |source| OutputError::Write { path: self.target.shown.display().to_string(), source };
        match self.inner {
            Sink::Special(mut w) => w.flush().map_err(err),
            Sink::Temp(w) => {
                let tmp = w.into_inner().map_err(|e| err(e.into_error()))?;
                tmp.as_file().sync_all().map_err(err)?;
                tmp.persist(&self.target.path).map_err(|e| err(e.error))?;
                Ok(())
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.inner {
            Sink::Temp(w) => w.write(buf),
            Sink::Special(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.inner {
            Sink::Temp(w) => w.flush(),
            Sink::Special(w) => w.flush(),
        }
    }
}

/// The permission bits outputs of this book get: the book's own, 0600 when it has none yet.
pub fn mode_of(book: &Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(book).map(|m| m.permissions().mode() & 0o777).unwrap_or(0o600)
    }
    #[cfg(not(unix))]
    {
        let _ = book;
        0o600
    }
}

/// `path` made absolute against the working folder, without touching the disk.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Where `path` really is: symlinks followed (dangling ones included), `.` and `..` gone. A path
/// that does not exist yet resolves through its folder.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut current = absolute(path);
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            Ok(_) => return fs::canonicalize(&current),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let name = current
                    .file_name()
                    .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
                let dir = current.parent().unwrap_or(Path::new("/"));
                return Ok(fs::canonicalize(dir)?.join(name));
            }
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(io::ErrorKind::InvalidInput, "too many levels of symbolic links"))
}

/// Whether the file starts with SQLite's header.
fn is_sqlite(path: &Path) -> bool {
    let mut head = [0u8; 16];
    File::open(path).and_then(|mut f| io::Read::read_exact(&mut f, &mut head)).is_ok() && &head == b"SQLite format 3\0"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(dir: &Path) -> PathBuf {
        let db = dir.join("b.db");
        fs::write(&db, b"SQLite format 3\0 and the rest").unwrap();
        db
    }

    #[test]
    fn the_book_is_refused_by_any_name() {
        let dir = tempfile::tempdir().unwrap();
        let db = book(dir.path());
        let guard = Protected::new().book(&db);
        #[cfg(unix)]
        std::os::unix::fs::symlink(&db, dir.path().join("link.db")).unwrap();
        fs::hard_link(&db, dir.path().join("hard.db")).unwrap();
        let names = [
            db.clone(),
            dir.path().join("./b.db"),
            dir.path().join("sub/../b.db"),
            dir.path().join("link.db"),
            dir.path().join("hard.db"),
            dir.path().join("b.db-wal"),
            dir.path().join("b.db-shm"),
        ];
        fs::create_dir(dir.path().join("sub")).unwrap();
        for name in names {
            let got = Target::check("-o", &name, &guard, Replace::Forced, 0o600);
            assert!(matches!(got, Err(OutputError::Protected { .. })), "{}: {got:?}", name.display());
        }
        assert_eq!(fs::read(&db).unwrap(), b"SQLite format 3\0 and the rest");
    }

    #[test]
    fn another_database_needs_force_and_a_plain_file_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let other = book(dir.path());
        let guard = Protected::new();
        assert!(matches!(
            Target::check("-o", &other, &guard, Replace::Named, 0o600),
            Err(OutputError::Database { .. })
        ));
        assert!(Target::check("-o", &other, &guard, Replace::Forced, 0o600).is_ok());
        let csv = dir.path().join("old.csv");
        fs::write(&csv, "old").unwrap();
        let target = Target::check("-o", &csv, &guard, Replace::Named, 0o600).unwrap();
        target.write_all(b"new").unwrap();
        assert_eq!(fs::read_to_string(&csv).unwrap(), "new");
    }

    #[test]
    fn a_dangling_link_or_a_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("dangling")).unwrap();
            let got = Target::check("-o", &dir.path().join("dangling"), &Protected::new(), Replace::Forced, 0o600);
            assert!(matches!(got, Err(OutputError::DanglingLink { .. })), "{got:?}");
            assert!(!dir.path().join("nowhere").exists());
        }
        let got = Target::check("-o", dir.path(), &Protected::new(), Replace::Forced, 0o600);
        assert!(matches!(got, Err(OutputError::Folder { .. })), "{got:?}");
        let got = Target::check("-o", &dir.path().join("no/such/x.csv"), &Protected::new(), Replace::Named, 0o600);
        assert!(matches!(got, Err(OutputError::Unusable { .. })), "{got:?}");
    }

    #[test]
    fn an_unfinished_output_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        fs::write(&path, "old").unwrap();
        let target = Target::check("-o", &path, &Protected::new(), Replace::Named, 0o600).unwrap();
        let mut out = target.create().unwrap();
        out.write_all(b"half of the new").unwrap();
        drop(out);
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "the temporary file is gone");
    }

    #[cfg(unix)]
    #[test]
    fn outputs_get_the_mode_asked_for_not_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        Target::check("-o", &path, &Protected::new(), Replace::Named, 0o600).unwrap().write_all(b"x").unwrap();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_written_in_place() {
        let target = Target::check("-o", Path::new("/dev/null"), &Protected::new(), Replace::Named, 0o600).unwrap();
        assert!(target.special);
        target.write_all(b"gone").unwrap();
        use std::os::unix::fs::FileTypeExt;
        assert!(fs::metadata("/dev/null").unwrap().file_type().is_char_device());
    }

    #[test]
    fn a_name_tend_picks_never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("a.rejects.csv");
        assert_eq!(Target::free(&base, 0o600).path, base);
        fs::write(&base, "keep").unwrap();
        let next = Target::free(&base, 0o600);
        assert_eq!(next.path, dir.path().join("a.rejects-2.csv"));
    }
}
