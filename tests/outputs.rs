//! Files tend writes (exports, rejected rows) never land on the book or an input, are written
//! whole, and carry the book's permissions. The real binary, run from the book's folder so that
//! relative names are tried too.

mod common;

use std::path::Path;

use common::tend_in;

/// A book of a few imported accounts in a fresh folder.
fn book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/accounts_basic.csv"), dir.path().join("a.csv"))
        .unwrap();
    let (ok, _, err) = tend_in(dir.path(), &["import", "accounts", "a.csv", "--db", "b.db"]);
    assert!(ok, "{err}");
    dir
}

fn still_a_book(dir: &Path, before: &[u8]) {
    assert_eq!(std::fs::read(dir.join("b.db")).unwrap(), before, "the book's bytes changed");
    let (ok, out, err) = tend_in(dir, &["export", "accounts", "--db", "b.db"]);
    assert!(ok && out.contains("Acme Analytics"), "{err}");
}

#[test]
fn no_export_lands_on_the_book_by_any_name() {
    let dir = book();
    let before = std::fs::read(dir.path().join("b.db")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("b.db"), dir.path().join("link.db")).unwrap();
    let absolute = dir.path().join("b.db").display().to_string();
    for what in ["accounts", "metrics", "logs", "goals", "milestones"] {
        for format in ["csv", "json"] {
            for name in ["b.db", "./b.db", absolute.as_str(), "link.db", "b.db-wal", "b.db-shm"] {
                let (ok, _, err) =
                    tend_in(dir.path(), &["export", what, "--format", format, "--db", "b.db", "-o", name, "--force"]);
                assert!(!ok, "export {what} -o {name} succeeded");
                assert!(err.contains(name) && err.contains("the book"), "{err}");
            }
        }
    }
    still_a_book(dir.path(), &before);
}

#[test]
fn rejects_never_land_on_the_book_or_the_input() {
    let dir = book();
    std::fs::write(dir.path().join("rej.csv"), "External ID,Account,ARR\nR-1,Good Co,100\nR-2,Bad Co,lots\n").unwrap();
    let before = std::fs::read(dir.path().join("b.db")).unwrap();
    for (name, what) in [("b.db", "the book"), ("./rej.csv", "the file being imported")] {
        let (ok, _, err) = tend_in(
            dir.path(),
            &["import", "accounts", "rej.csv", "--skip-bad-rows", "--rejects", name, "--db", "b.db", "--force"],
        );
        assert!(!ok, "--rejects {name} succeeded");
        assert!(err.contains(what), "{err}");
    }
    assert!(std::fs::read_to_string(dir.path().join("rej.csv")).unwrap().contains("R-2,Bad Co,lots"));
    still_a_book(dir.path(), &before);
    let (_, out, _) = tend_in(dir.path(), &["export", "accounts", "--db", "b.db"]);
    assert!(!out.contains("Good Co"), "a refused output must stop the import before it writes");
}

#[test]
fn another_database_is_replaced_only_with_force() {
    let dir = book();
    std::fs::copy(dir.path().join("b.db"), dir.path().join("other.db")).unwrap();
    let (ok, _, err) = tend_in(dir.path(), &["export", "accounts", "--db", "b.db", "-o", "other.db"]);
    assert!(!ok && err.contains("SQLite database") && err.contains("--force"), "{err}");
    assert!(std::fs::read(dir.path().join("other.db")).unwrap().starts_with(b"SQLite format 3\0"));
    let (ok, _, err) = tend_in(dir.path(), &["export", "accounts", "--db", "b.db", "-o", "other.db", "--force"]);
    assert!(ok, "{err}");
    assert!(std::fs::read_to_string(dir.path().join("other.db")).unwrap().contains("Acme Analytics"));
}

#[test]
fn a_named_plain_file_is_replaced_whole_with_the_books_permissions() {
    let dir = book();
    std::fs::write(dir.path().join("out.csv"), "yesterday's export\n").unwrap();
    let (ok, _, err) = tend_in(dir.path(), &["export", "accounts", "--db", "b.db", "-o", "out.csv"]);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    assert!(text.contains("Acme Analytics") && !text.contains("yesterday"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &str| std::fs::metadata(dir.path().join(p)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode("out.csv"), mode("b.db"));
        assert_eq!(mode("out.csv"), 0o600);
        let (ok, _, err) = tend_in(dir.path(), &["export", "goals", "--db", "b.db", "-o", "new.csv"]);
        assert!(ok, "{err}");
        assert_eq!(mode("new.csv"), 0o600);
    }
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[cfg(unix)]
#[test]
fn a_dangling_symlink_is_not_followed() {
    let dir = book();
    std::os::unix::fs::symlink(dir.path().join("elsewhere.csv"), dir.path().join("dangling.csv")).unwrap();
    let (ok, _, err) = tend_in(dir.path(), &["export", "accounts", "--db", "b.db", "-o", "dangling.csv"]);
    assert!(!ok && err.contains("does not exist"), "{err}");
    assert!(!dir.path().join("elsewhere.csv").exists());
}

#[test]
fn default_rejects_never_replace_a_file() {
    let dir = book();
    std::fs::write(dir.path().join("rej.csv"), "External ID,Account,ARR\nR-1,Good Co,100\nR-2,Bad Co,lots\n").unwrap();
    std::fs::write(dir.path().join("rej.rejects.csv"), "my notes on last week's rejects\n").unwrap();
    let (ok, out, err) = tend_in(dir.path(), &["import", "accounts", "rej.csv", "--skip-bad-rows", "--db", "b.db"]);
    assert!(ok, "{err}");
    assert!(out.contains("rej.rejects-2.csv"), "{out}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("rej.rejects.csv")).unwrap(),
        "my notes on last week's rejects\n"
    );
    assert!(std::fs::read_to_string(dir.path().join("rej.rejects-2.csv")).unwrap().contains("R-2,Bad Co,lots"));
}

#[cfg(unix)]
#[test]
fn standard_output_by_name_or_dash_works() {
    let dir = book();
    for name in ["-", "/dev/stdout"] {
        let (ok, out, err) = tend_in(dir.path(), &["export", "accounts", "--db", "b.db", "-o", name]);
        assert!(ok, "-o {name}: {err}");
        assert!(out.contains("Acme Analytics"), "-o {name}: {out}");
    }
    assert!(!dir.path().join("-").exists(), "`-o -` is standard output, not a file named -");
    let (ok, _, err) = tend_in(dir.path(), &["export", "accounts", "--db", "b.db", "-o", "/dev/null"]);
    assert!(ok, "{err}");
}

#[test]
fn a_dry_run_creates_no_book() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.csv"), "External ID,Account\nN-1,New Co\n").unwrap();
    let (ok, out, err) = tend_in(dir.path(), &["import", "accounts", "a.csv", "--dry-run", "--db", "new.db"]);
    assert!(ok && out.contains("would import"), "{err}");
    assert!(!dir.path().join("new.db").exists(), "a dry run left a book behind");
}

/// A metrics file imported twice changes nothing the second time: not a sample, and not the
/// cached factor values of the accounts it names (the book's file is byte for byte the same).
#[test]
fn a_no_op_metrics_import_leaves_the_book_as_it_was() {
    let dir = book();
    std::fs::write(dir.path().join("m.csv"), "account,metric,date,value\nACME-1,usage,2026-11-01,900\n").unwrap();
    let (ok, _, err) = tend_in(dir.path(), &["import", "metrics", "m.csv", "--db", "b.db"]);
    assert!(ok, "{err}");
    let (ok, _, err) = tend_in(dir.path(), &["export", "accounts", "--db", "b.db", "-o", "before.csv"]);
    assert!(ok, "{err}");
    let before = std::fs::read(dir.path().join("b.db")).unwrap();
    let (ok, out, err) = tend_in(dir.path(), &["import", "metrics", "m.csv", "--db", "b.db"]);
    assert!(ok && out.contains("0 new, 0 updated, 1 unchanged"), "{out}{err}");
    assert!(std::fs::read(dir.path().join("b.db")).unwrap() == before, "the book's file changed");
}

/// A book `b.db` of `n` accounts C-0, C-1… named by `name` ("{i}" is the number), imported.
fn book_of(name: &str, n: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let mut accounts = String::from("External ID,Account,ARR\n");
    for i in 0..n {
        accounts.push_str(&format!("C-{i},{},{}\n", name.replace("{i}", &i.to_string()), 1_000 + i));
    }
    std::fs::write(dir.path().join("a.csv"), accounts).unwrap();
    let (ok, _, err) = tend_in(dir.path(), &["import", "accounts", "a.csv", "--db", "b.db"]);
    assert!(ok, "{err}");
    let path = dir.path().join("b.db");
    (dir, path)
}

/// A book cut short (a full disk, an interrupted copy) is refused for writes as for reads, and
/// left as it is.
#[test]
fn a_cut_book_is_refused_for_writes_too() {
    let (dir, path) = book_of("Company {i} with a longer name to fill pages", 2_000);
    let size = std::fs::metadata(&path).unwrap().len();
    std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(size / 2).unwrap();
    let cut = std::fs::read(&path).unwrap();
    for args in [vec!["log", "sentiment", "C-1", "5", "--db", "b.db"], vec!["report", "triage", "--db", "b.db"]] {
        let (ok, _, err) = tend_in(dir.path(), &args);
        assert!(!ok && err.contains("damaged"), "{args:?}: {err}");
    }
    assert!(std::fs::read(&path).unwrap() == cut, "a refused book was written to");
}

/// A book file's bytes, its page size and the page its accounts table's tree starts on.
fn accounts_root(path: &std::path::Path) -> (Vec<u8>, usize, usize) {
    let root: u32 = rusqlite::Connection::open(path)
        .unwrap()
        .query_row("SELECT rootpage FROM sqlite_master WHERE name = 'accounts'", [], |r| r.get(0))
        .unwrap();
    let bytes = std::fs::read(path).unwrap();
    let page_size = u16::from_be_bytes([bytes[16], bytes[17]]) as usize;
    (bytes, page_size, root as usize)
}

/// A tend book with a page zeroed (a disk's bad block) is damaged, said so, not "not a tend
/// database (... of another kind)" as a probe's `tend search` said of one; nothing is written.
#[test]
fn a_book_with_a_page_zeroed_is_called_damaged() {
    let (dir, path) = book_of("Company {i}", 200);
    let (mut bytes, page_size, root) = accounts_root(&path);
    let start = (root - 1) * page_size;
    bytes[start..start + page_size].fill(0);
    std::fs::write(&path, &bytes).unwrap();
    for args in [vec!["search", "Company", "--db", "b.db"], vec!["report", "triage", "--db", "b.db"]] {
        let (ok, _, err) = tend_in(dir.path(), &args);
        assert!(!ok && err.contains("b.db is damaged") && !err.contains("not a tend database"), "{args:?}: {err}");
    }
    assert!(std::fs::read(&path).unwrap() == bytes, "a damaged book was written to");
}

/// Text that is not UTF-8 where tend wrote text (bytes overwritten on disk) is damage, said so:
/// a probe's book said only "invalid utf-8 sequence of 1 bytes from index 11211".
#[test]
fn text_that_is_not_utf8_is_called_damage() {
    let (dir, path) = book_of("Company {i}", 20);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("UPDATE accounts SET name = CAST(x'436fff6d70616e79' AS TEXT) WHERE external_id = 'C-3'")
        .unwrap();
    drop(conn);
    let (ok, _, err) = tend_in(dir.path(), &["export", "accounts", "--db", "b.db"]);
    assert!(!ok && err.contains("b.db is damaged") && err.contains("not UTF-8"), "{err}");
}

/// A book whose accounts table is out of order (its first leaf page's cells listed backwards, as
/// a damaged disk might leave them): an account looked up by id is not found. A command reaching
/// those accounts says the book is damaged (or corrupt, when SQLite notices it first), never
/// SQLite's "Query returned no rows", and nothing is written.
#[test]
fn a_book_whose_rows_are_out_of_order_is_called_damaged() {
    let (dir, path) = book_of("Company {i}", 200);
    let (mut bytes, page_size, root) = accounts_root(&path);
    let be16 = |b: &[u8], at: usize| u16::from_be_bytes([b[at], b[at + 1]]) as usize;
    // Down the first child of each interior page (type 5) to the first leaf (type 13).
    let mut page = root;
    while bytes[(page - 1) * page_size] == 5 {
        let start = (page - 1) * page_size;
        let cell = start + be16(&bytes, start + 12);
        page = u32::from_be_bytes(bytes[cell..cell + 4].try_into().unwrap()) as usize;
    }
    let start = (page - 1) * page_size;
    assert_eq!(bytes[start], 13, "a table leaf");
    let cells = be16(&bytes, start + 3);
    assert!(cells > 2, "a leaf of several accounts");
    let pointers = start + 8..start + 8 + 2 * cells;
    let mut reversed: Vec<[u8; 2]> = bytes[pointers.clone()].chunks(2).map(|c| [c[0], c[1]]).collect();
    reversed.reverse();
    bytes.splice(pointers, reversed.concat());
    std::fs::write(&path, &bytes).unwrap();
    for args in [vec!["report", "triage", "--db", "b.db"], vec!["log", "sentiment", "C-5", "5", "--db", "b.db"]] {
        let (ok, _, err) = tend_in(dir.path(), &args);
        let named = err.contains("is damaged") || err.contains("corrupt");
        assert!(!ok && named && !err.contains("no rows"), "{args:?}: {err}");
    }
    assert!(std::fs::read(&path).unwrap() == bytes, "a damaged book was written to");
}

/// A book in a read-only folder, itself read-only, opens read-only: reports and exports work,
/// writes are refused with the reason, and no side file is left behind. (As root, which ignores
/// permissions, the commands run as `nobody` through `setpriv`.)
#[cfg(target_os = "linux")]
#[test]
fn a_read_only_book_reports_and_refuses_writes_with_the_reason() {
    use std::os::unix::fs::PermissionsExt;
    let dir = book();
    let (ok, _, err) = tend_in(dir.path(), &["log", "sentiment", "ACME-1", "7", "--db", "b.db"]);
    assert!(ok, "{err}");
    let shelf = dir.path().join("shelf");
    std::fs::create_dir(&shelf).unwrap();
    std::fs::rename(dir.path().join("b.db"), shelf.join("b.db")).unwrap();
    let set = |p: &std::path::Path, mode| std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    set(&shelf.join("b.db"), 0o444);
    set(&shelf, 0o555);
    set(dir.path(), 0o755);
    let root = std::process::Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    // A copy of the binary `nobody` can reach, whatever folder the checkout is in.
    let binary = dir.path().join("tend");
    std::fs::copy(env!("CARGO_BIN_EXE_tend"), &binary).unwrap();
    set(&binary, 0o755);
    let run = |args: &[&str]| {
        let mut cmd = if root {
            let mut c = std::process::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(&binary);
            c
        } else {
            std::process::Command::new(env!("CARGO_BIN_EXE_tend"))
        };
        let out = cmd
            .args(args)
            .arg("--db")
            .arg(shelf.join("b.db"))
            .env("TEND_AS_OF", common::TODAY)
            .env("HOME", dir.path())
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, out, err) = run(&["report", "triage"]);
    assert!(ok, "{err}");
    assert!(out.contains("Triage as of"), "{out}");
    let (ok, out, err) = run(&["export", "accounts"]);
    assert!(ok && out.contains("Acme Analytics"), "{err}");
    for args in [vec!["log", "sentiment", "ACME-1", "3"], vec!["snapshot"]] {
        let (ok, _, err) = run(&args);
        assert!(!ok && err.contains("read-only"), "{args:?}: {err}");
    }
    let files: Vec<String> =
        std::fs::read_dir(&shelf).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(files, ["b.db"], "side files left behind");
    // A read-only book from an older tend cannot be upgraded: said as such, not as "reports work".
    set(&shelf, 0o755);
    set(&shelf.join("b.db"), 0o644);
    let conn = rusqlite::Connection::open(shelf.join("b.db")).unwrap();
    let known: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    conn.pragma_update(None, "user_version", known - 1).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(conn);
    set(&shelf.join("b.db"), 0o444);
    let before = std::fs::read(shelf.join("b.db")).unwrap();
    let (ok, out, err) = run(&["report", "triage"]);
    assert!(!ok && out.is_empty(), "{out}");
    assert!(
        err.contains("older tend") && err.contains("make it writable once") && !err.contains("reports work"),
        "{err}"
    );
    assert!(std::fs::read(shelf.join("b.db")).unwrap() == before, "the old book was changed");
}
