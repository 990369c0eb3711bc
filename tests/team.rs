//! Team mode against a real PostgreSQL: `TEND_TEST_POSTGRES` names a superuser URL of a
//! throwaway cluster (`.ci/run` starts one on loopback and sets it, with `TEND_REQUIRE_POSTGRES`
//! so that CI cannot pass without them). Without it, each test says it is skipped and passes:
//! the README's test command works on a machine with only Rust. Each test works in a database of
//! its own, dropped at the end.

mod common;

use std::io::Write;
use std::path::Path;

use common::{CrmBook, tend_on};
use postgres::{Client, NoTls};

/// A database of its own on the test cluster, dropped when done.
struct TeamDb {
    admin: String,
    name: String,
    url: String,
}

impl TeamDb {
    fn new(test: &str) -> Option<TeamDb> {
        let Ok(admin) = std::env::var("TEND_TEST_POSTGRES") else {
            assert!(
                std::env::var_os("TEND_REQUIRE_POSTGRES").is_none(),
                "TEND_REQUIRE_POSTGRES is set but TEND_TEST_POSTGRES is not: no cluster to test team mode on"
            );
            // Past the harness's capture (which takes only the print macros): said on every run.
            let _ = writeln!(
                std::io::stderr(),
                "team test {test}: skipped: no PostgreSQL to test on (set TEND_TEST_POSTGRES, as .ci/run does)"
            );
            return None;
        };
        let name = format!("tend_{test}_{}", std::process::id());
        let mut client = Client::connect(&admin, NoTls).expect("the test cluster");
        client.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).unwrap();
        client.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
        Some(TeamDb { admin, name, url })
    }

    fn client(&self) -> Client {
        Client::connect(&self.url, NoTls).unwrap()
    }

    /// Signed in as `role` (trust on the test cluster's loopback: no password).
    fn client_as(&self, role: &str) -> Client {
        let url = self.url.replacen("://postgres@", &format!("://{role}@"), 1);
        Client::connect(&url, NoTls).unwrap()
    }

    fn count(&self, sql: &str) -> i64 {
        self.client().query_one(sql, &[]).unwrap().get(0)
    }
}

impl TeamDb {
    /// `tend db init` on it, run in `dir`, and an importer let in: the importer's role
    /// (`name` and this process's id).
    fn init_with_importer(&self, dir: &Path, name: &str) -> String {
        let (ok, _, err) = tend(dir, &["db", "init", &self.url]);
        assert!(ok, "{err}");
        let role = format!("{name}_{}", std::process::id());
        let (ok, _, err) = tend(dir, &["--db", &self.url, "db", "grant", &role, "importer"]);
        assert!(ok, "{err}");
        role
    }

    /// tend run in `dir` on this team book, signed in as `role`.
    fn tend_as(&self, dir: &Path, role: &str, args: &[&str]) -> (bool, String, String) {
        let url = self.url.replacen("://postgres@", &format!("://{role}@"), 1);
        let mut all = vec!["--db", url.as_str()];
        all.extend_from_slice(args);
        tend(dir, &all)
    }
}

impl TeamDb {
    /// `book` copied into it, with Maya Patel let in as a CSM and Liam Chen as a lead: their
    /// roles (named with `tag` and this process's id).
    fn copied_with_maya_and_lee(&self, book: &CrmBook, tag: &str) -> (String, String) {
        let dir = book.dir.path();
        let (ok, _, err) = tend(dir, &["db", "copy", "--from", book.path.to_str().unwrap(), "--to", &self.url]);
        assert!(ok, "{err}");
        let pid = std::process::id();
        let (maya, lee) = (format!("maya_{tag}_{pid}"), format!("lee_{tag}_{pid}"));
        for (role, kind, csm) in [(&maya, "csm", "Maya Patel"), (&lee, "lead", "Liam Chen")] {
            let (ok, _, err) = tend(dir, &["--db", &self.url, "db", "grant", role, kind, "--csm", csm]);
            assert!(ok, "{err}");
        }
        (maya, lee)
    }
}

/// tend run in `dir` on the book file at `path`.
fn tend_on_book(dir: &Path, path: &Path, args: &[&str]) -> (bool, String, String) {
    let mut all = vec!["--db", path.to_str().unwrap()];
    all.extend_from_slice(args);
    without_undo_note(tend(dir, &all))
}

/// A book file's answer without the lines its imports add (a team book keeps no copy to take an
/// import back with): the rest is what a team book says.
fn without_undo_note((ok, out, err): (bool, String, String)) -> (bool, String, String) {
    let out: String = out
        .split_inclusive('\n')
        .filter(|line| !line.starts_with("`tend undo --import` takes this import back"))
        .filter(|line| !line.starts_with("  the import before ("))
        .collect();
    (ok, out, err)
}

impl Drop for TeamDb {
    fn drop(&mut self) {
        if let Ok(mut client) = Client::connect(&self.admin, NoTls) {
            let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

/// tend run with `--db` set to a team book (or anything), in `dir`.
fn tend(dir: &Path, args: &[&str]) -> (bool, String, String) {
    common::tend_in(dir, args)
}

/// Every row of every table of a SQLite book, as text, table by table in key order.
fn dump(path: &Path) -> Vec<(String, Vec<String>)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    tend::team::copy::BOOK_TABLES
        .iter()
        .map(|(table, key)| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY {key}")).unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    Ok((0..n).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect::<Vec<_>>().join("|"))
                })
                .unwrap()
                .map(Result::unwrap)
                .collect();
            (table.to_string(), rows)
        })
        .collect()
}

/// A CRM-shaped book (old and new customers, missing ARR and CSMs, odd amounts, quoted names)
/// with what CSMs log on it: sentiment, touches, a goal, a task, a contact, an override, a
/// milestone, a renewal and a churn.
fn lived_in_book() -> CrmBook {
    let book = CrmBook::new(60);
    for args in [
        &["log", "sentiment", "CRM-0001", "3", "--note", "tabs\tand\nnew lines, a back\\slash"][..],
        &["log", "touch", "CRM-0002", "call", "--date", "-5d"],
        &["log", "touch", "CRM-0010", "chat", "--date", "-2d"],
        &["log", "risk", "CRM-0003", "Budget cut", "--note", "CFO left"],
        &["goal", "add", "CRM-0004", "Cut onboarding to 2 weeks"],
        &["task", "add", "CRM-0005", "Book the QBR", "--due", "fri"],
        &["contact", "add", "CRM-0006", "Ana Ruiz", "--role", "champion", "--email", "ana@c6.com"],
        &["override", "CRM-0007", "red", "--reason", "Exec sponsor gone"],
        &["milestone", "add", "CRM-0008", "adoption", "QBR", "--due", "+2w", "--note", "Ask CFO"],
        &["renew", "CRM-0009", "--until", "+1y", "--arr", "48000"],
        &["churn", "CRM-0011", "--reason", "Acquired"],
        &["snapshot"],
    ] {
        book.run(args);
    }
    book
}

#[test]
fn a_book_copied_to_a_team_book_and_back_is_the_same_row_for_row() {
    let Some(db) = TeamDb::new("copy_both_ways") else { return };
    let book = lived_in_book();
    let dir = book.dir.path();
    let from = book.path.to_str().unwrap();

    let (ok, out, err) = tend(dir, &["db", "copy", "--from", from, "--to", &db.url]);
    assert!(ok, "{err}");
    assert!(out.contains("60 accounts") && out.contains("counted and hashed"), "{out}");
    assert_eq!(db.count("SELECT count(*) FROM accounts"), 60);
    let odd_note = "tabs\tand\nnew lines, a back\\slash";
    let found: i64 =
        db.client().query_one("SELECT count(*) FROM entries WHERE note = $1", &[&odd_note]).unwrap().get(0);
    assert_eq!(found, 1, "a note with a tab, a new line and a backslash arrives as written");
    // New rows in the team book take ids after the copied ones.
    let next: i64 =
        db.client().query_one("INSERT INTO csms (name) VALUES ('Zoe New') RETURNING id", &[]).unwrap().get(0);
    assert!(next > db.count("SELECT max(id) FROM csms WHERE name <> 'Zoe New'"));
    db.client().batch_execute("DELETE FROM csms WHERE name = 'Zoe New'").unwrap();

    let back = dir.join("back.db");
    let (ok, out, err) = tend(dir, &["db", "copy", "--from", &db.url, "--to", back.to_str().unwrap()]);
    assert!(ok, "{err}");
    let hash = |text: &str| text.rsplit_once("book hash ").map(|(_, h)| h.trim().to_string());
    assert!(hash(&out).is_some(), "{out}");
    assert_eq!(dump(&book.path), dump(&back), "the book read back differs from the one copied");
    // The copy is a working book: the same Triage, the same search.
    let report = |path: &Path| tend_on(path, &["report", "triage", "--format", "json"]).1;
    assert_eq!(report(&book.path), report(&back));
    let search = |path: &Path| tend_on(path, &["search", "budget"]).1;
    assert!(search(&back).contains("CRM-0003"), "{}", search(&back));
    assert_eq!(search(&book.path), search(&back));
}

#[test]
fn a_refused_copy_changes_nothing() {
    let Some(db) = TeamDb::new("refused_copy") else { return };
    let book = lived_in_book();
    let dir = book.dir.path();
    let from = book.path.to_str().unwrap();

    // A value SQLite kept that the team book's column cannot hold: refused, named, and the
    // database left as it was, without even the schema the copy began with.
    let odd = dir.join("odd.db");
    std::fs::copy(&book.path, &odd).unwrap();
    rusqlite::Connection::open(&odd)
        .unwrap()
        .execute("UPDATE accounts SET arr_cents = 'lots' WHERE id = 5", [])
        .unwrap();
    let (ok, _, err) = tend(dir, &["db", "copy", "--from", odd.to_str().unwrap(), "--to", &db.url]);
    assert!(!ok);
    assert!(err.contains("table accounts") && err.contains("arr_cents") && err.contains("nothing was copied"), "{err}");
    assert_eq!(db.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"), 0);

    // Into a team book that is not empty: refused, and it keeps its rows.
    let (ok, _, err) = tend(dir, &["db", "copy", "--from", from, "--to", &db.url]);
    assert!(ok, "{err}");
    db.client().batch_execute("UPDATE accounts SET name = 'Changed in the team book' WHERE id = 1").unwrap();
    let (ok, _, err) = tend(dir, &["db", "copy", "--from", from, "--to", &db.url]);
    assert!(!ok);
    assert!(err.contains("is not empty (60 accounts") && err.contains("nothing was changed"), "{err}");
    assert_eq!(db.count("SELECT count(*) FROM accounts WHERE name = 'Changed in the team book'"), 1);

    // Onto a file that exists: refused, the file untouched, no copy left beside it.
    let before = std::fs::read(&book.path).unwrap();
    let (ok, _, err) = tend(dir, &["db", "copy", "--from", &db.url, "--to", from]);
    assert!(!ok);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read(&book.path).unwrap(), before);
    let left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".tend-copy"))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    // A file that is not a tend book, an empty one, or an older tend's: refused, and left as it was.
    let empty = dir.join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let foreign = dir.join("foreign.db");
    rusqlite::Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE foo (x)").unwrap();
    let older = dir.join("older.db");
    std::fs::copy(&book.path, &older).unwrap();
    rusqlite::Connection::open(&older).unwrap().execute_batch("PRAGMA user_version = 21").unwrap();
    let fresh = TeamDb::new("refused_copy_fresh").unwrap();
    for (file, says) in [(&empty, "an empty file"), (&foreign, "not a tend book"), (&older, "older tend")] {
        let before = std::fs::read(file).unwrap();
        let (ok, _, err) = tend(dir, &["db", "copy", "--from", file.to_str().unwrap(), "--to", &fresh.url]);
        assert!(!ok && err.contains(says) && err.contains("nothing was copied"), "{err}");
        assert_eq!(std::fs::read(file).unwrap(), before, "{} changed", file.display());
    }
    assert_eq!(fresh.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"), 0);
    // A number that is no number tend keeps (SQLite keeps 9e999 as infinity): refused, named.
    let inf = dir.join("inf.db");
    std::fs::copy(&book.path, &inf).unwrap();
    rusqlite::Connection::open(&inf)
        .unwrap()
        .execute("UPDATE accounts SET expected_usage = 9e999 WHERE id = 4", [])
        .unwrap();
    let (ok, _, err) = tend(dir, &["db", "copy", "--from", inf.to_str().unwrap(), "--to", &fresh.url]);
    assert!(!ok && err.contains("the row whose id is 4, column expected_usage: inf"), "{err}");
    // Text SQLite kept that is not UTF-8: refused, named, not replaced.
    let garbled = dir.join("garbled.db");
    std::fs::copy(&book.path, &garbled).unwrap();
    rusqlite::Connection::open(&garbled)
        .unwrap()
        .execute("UPDATE accounts SET name = CAST(x'4163ff6d65' AS TEXT) WHERE id = 3", [])
        .unwrap();
    let (ok, _, err) = tend(dir, &["db", "copy", "--from", garbled.to_str().unwrap(), "--to", &fresh.url]);
    assert!(!ok && err.contains("the row whose id is 3, column name: text that is not UTF-8"), "{err}");

    // A URL that names no database, or hides its password in a parameter.
    let no_db = db.url.rsplit_once('/').unwrap().0.to_string();
    let (ok, _, err) = tend(dir, &["db", "init", &no_db]);
    assert!(!ok && err.contains("name the database"), "{err}");
    let (ok, _, err) = tend(dir, &["db", "copy", "--from", from, "--to", &format!("{}?password=s3cret", db.url)]);
    assert!(!ok && err.contains("password=***") && !err.contains("s3cret"), "{err}");

    // `config check` says it checks factors against files only, the password hidden.
    let (ok, out, err) = tend(dir, &["--db", &format!("{}?password=s3cret", db.url), "config", "check"]);
    assert!(
        ok && out.contains("a team book; factors are checked against book files only") && !out.contains("s3cret"),
        "{out}{err}"
    );
}

#[test]
fn a_demo_built_into_an_empty_team_book_is_the_demo_a_file_gets() {
    let Some(db) = TeamDb::new("demo") else { return };
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let file = dir.join("demo.db");
    let demo = ["--as-of", common::TODAY, "demo", "--accounts", "40", "--seed", "5", "--no-open"];
    let on = |book: &str, args: &[&str]| {
        let mut all = vec!["--db", book];
        all.extend_from_slice(args);
        tend(dir, &all)
    };
    let (ok, out, err) = on(&db.url, &demo);
    assert!(ok, "{err}");
    assert!(out.contains("The demo book is in the team book") && out.contains("40 accounts of"), "{out}");
    let (ok, _, err) = on(file.to_str().unwrap(), &demo);
    assert!(ok, "{err}");
    // The same book: the same list, scores and reasons.
    let triage = ["--as-of", common::TODAY, "report", "triage", "--all", "--format", "json"];
    let (ok, team, err) = on(&db.url, &triage);
    assert!(ok, "{err}");
    let (ok, local, err) = on(file.to_str().unwrap(), &triage);
    assert!(ok, "{err}");
    assert!(team.contains("\"rank\": 1"), "{team}");
    assert_eq!(team, local);
    // Never over a book: a second demo is refused before it is built, as is --rebuild.
    let (ok, _, err) = on(&db.url, &demo);
    assert!(!ok && err.contains("is not empty (40 accounts") && err.contains("nothing was changed"), "{err}");
    let mut rebuild = demo.to_vec();
    rebuild.push("--rebuild");
    let (ok, _, err) = on(&db.url, &rebuild);
    assert!(!ok && err.contains("--rebuild makes a demo book file afresh"), "{err}");
    assert_eq!(db.count("SELECT count(*) FROM accounts"), 40);
}

#[test]
fn a_day_is_checked_by_an_inlined_expression_that_answers_as_the_former_function() {
    let Some(db) = TeamDb::new("days") else { return };
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = tend(dir.path(), &["db", "init", &db.url]);
    assert!(ok, "{err}");
    let mut client = db.client();
    // The check of schema step 2, a PL/pgSQL function whose error handler caught what
    // make_date refused.
    client
        .batch_execute(
            "CREATE FUNCTION former_is_day(d TEXT) RETURNS BOOLEAN LANGUAGE plpgsql IMMUTABLE AS $$
             BEGIN
                 IF d !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
                     RETURN false;
                 END IF;
                 RETURN make_date(substr(d, 1, 4)::int, substr(d, 6, 2)::int, substr(d, 9, 2)::int) IS NOT NULL;
             EXCEPTION WHEN others THEN
                 RETURN false;
             END $$",
        )
        .unwrap();
    // Every month and day (and 0, 13, 32) of years around each rule of the calendar.
    let years = [0, 1, 4, 99, 100, 104, 400, 1600, 1899, 1900, 1999, 2000, 2023, 2024, 2025, 2100, 2400, 9996, 9999];
    let listed = years.map(|y| y.to_string()).join(",");
    let texts = format!(
        "SELECT to_char(y, 'FM0000') || '-' || to_char(m, 'FM00') || '-' || to_char(d, 'FM00') AS s
                 FROM unnest(ARRAY[{listed}]) y, generate_series(0, 13) m, generate_series(0, 32) d
                 UNION ALL SELECT unnest(ARRAY['2020-1-01', 'x', '', '2020-02-29', '2019-02-29', '1900-02-29',
                     '2000-02-29', '0000-01-01', '9999-12-31', '2020-01-01 ', ' 2020-01-01', '2020/01/01',
                     '２０２０-01-01', '2020-01-011', '99999-01-01', '2020-00-10', '2020-13-01', '2020-04-31'])"
    );
    let differ: i64 = client
        .query_one(
            &format!("SELECT count(*) FROM ({texts}) t WHERE tend_is_day(s) IS DISTINCT FROM former_is_day(s)"),
            &[],
        )
        .unwrap()
        .get(0);
    let days: i64 = client
        .query_one(&format!("SELECT count(*) FILTER (WHERE tend_is_day(s)) FROM ({texts}) t"), &[])
        .unwrap()
        .get(0);
    assert_eq!(differ, 0, "the same answer for every text");
    let calendar: i64 = years
        .iter()
        .filter(|y| **y > 0)
        .map(|y| {
            (1..=12)
                .map(|m| (1..=31).filter(|d| chrono::NaiveDate::from_ymd_opt(*y, m, *d).is_some()).count())
                .sum::<usize>()
        })
        .sum::<usize>() as i64;
    assert_eq!(
        days,
        calendar + 3,
        "the days of the calendar, and 2020-02-29, 2000-02-29 and 9999-12-31 of the odd texts"
    );
    // Folded into each statement that checks a day: a function of SQL, with no setting of its
    // own (a SET clause keeps PostgreSQL from inlining it).
    let (language, settings): (String, Option<Vec<String>>) = client
        .query_one(
            "SELECT l.lanname, p.proconfig FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang WHERE p.proname = 'tend_is_day'",
            &[],
        )
        .map(|r| (r.get(0), r.get(1)))
        .unwrap();
    assert_eq!((language.as_str(), settings), ("sql", None));
}

#[test]
fn init_creates_the_schema_once_and_refuses_a_newer_one_or_a_foreign_database() {
    let Some(db) = TeamDb::new("init") else { return };
    let dir = tempfile::tempdir().unwrap();
    let (ok, out, err) = tend(dir.path(), &["db", "init", &db.url]);
    assert!(ok, "{err}");
    assert!(out.contains("created the team book"), "{out}");
    let (ok, out, _) = tend(dir.path(), &["db", "init", &db.url]);
    assert!(ok && out.contains("up to date"), "{out}");
    // The book named by --db, as every other command names it.
    let (ok, out, err) = tend(dir.path(), &["--db", &db.url, "db", "init"]);
    assert!(ok && out.contains("up to date"), "{out}{err}");
    let (ok, _, err) = tend(dir.path(), &["db", "init"]);
    assert!(!ok && err.contains("name the team book: `tend --db postgres://"), "{err}");

    db.client().batch_execute("UPDATE tend_schema SET version = 99").unwrap();
    let (ok, _, err) = tend(dir.path(), &["db", "init", &db.url]);
    assert!(!ok);
    assert!(err.contains("schema version 99") && err.contains("update tend"), "{err}");
    let (ok, _, err) =
        tend(dir.path(), &["db", "copy", "--from", &db.url, "--to", dir.path().join("b.db").to_str().unwrap()]);
    assert!(!ok && err.contains("schema version 99"), "{err}");
    assert!(!dir.path().join("b.db").exists());

    // A database that holds something else is not taken over.
    let other = TeamDb::new("init_other").unwrap();
    other.client().batch_execute("CREATE TABLE invoices (id int)").unwrap();
    let (ok, _, err) = tend(dir.path(), &["db", "init", &other.url]);
    assert!(!ok);
    assert!(err.contains("not a tend team book") && err.contains("invoices"), "{err}");
    assert_eq!(other.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"), 1);

    // The scheme in any case is a team book; a key=value string is asked for as a URL, its
    // password hidden.
    let (ok, _, err) = tend(dir.path(), &["db", "init", &db.url.replacen("postgres://", "POSTGRES://", 1)]);
    assert!(!ok && err.contains("schema version 99"), "reached the same book: {err}");
    let (ok, _, err) = tend(dir.path(), &["--db", "host=db password=s3cret dbname=tend", "task", "list"]);
    assert!(!ok && err.contains("by its URL") && !err.contains("s3cret"), "{err}");

    // A server that is not there, named with the password hidden.
    let (ok, _, err) = tend(dir.path(), &["db", "init", "postgres://ana:s3cret@127.0.0.1:1/tend"]);
    assert!(!ok);
    assert!(err.contains("cannot reach the team book at postgres://ana:***@127.0.0.1:1/tend"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");

    // A book of an older schema is read by no command until `db init` brings it up to date.
    let old = TeamDb::new("init_old").unwrap();
    old.client().batch_execute(tend::team::schema::STEPS[0]).unwrap();
    old.client().batch_execute("DELETE FROM tend_schema; INSERT INTO tend_schema (version) VALUES (1)").unwrap();
    let (ok, _, err) = tend(dir.path(), &["--db", &old.url, "task", "list"]);
    let latest = tend::team::schema::STEPS.len();
    assert!(!ok && err.contains(&format!("schema version 1 of {latest}")) && err.contains("tend db init"), "{err}");
    let (ok, out, err) = tend(dir.path(), &["db", "init", &old.url]);
    assert!(ok && out.contains(&format!("from schema version 1 to {latest}")), "{out}{err}");
    let (ok, out, err) = tend(dir.path(), &["--db", &old.url, "task", "list"]);
    assert!(ok && out.contains("no open tasks"), "{out}{err}");
}

#[test]
fn a_csm_writes_only_on_their_own_accounts_and_the_database_signs_it() {
    let Some(db) = TeamDb::new("roles") else { return };
    let book = CrmBook::new(20);
    let dir = book.dir.path();
    let (ok, _, err) = tend(dir, &["db", "copy", "--from", book.path.to_str().unwrap(), "--to", &db.url]);
    assert!(ok, "{err}");
    // Role names are the cluster's: unique to this test process.
    let pid = std::process::id();
    let (maya, lee, imp) = (format!("maya_{pid}"), format!("lee_{pid}"), format!("imp_{pid}"));
    let grant = |args: &[&str]| {
        let mut all = vec!["--db", db.url.as_str(), "db", "grant"];
        all.extend_from_slice(args);
        tend(dir, &all)
    };
    let (ok, out, err) = grant(&[&maya, "csm", "--csm", "maya patel"]);
    assert!(ok, "{err}");
    assert!(out.contains("signing as Maya Patel") && out.contains("a new PostgreSQL role without a password"), "{out}");
    assert!(out.contains(&format!("They connect with postgres://{maya}@")), "{out}");
    let (ok, _, err) = grant(&[&lee, "lead"]);
    assert!(!ok && err.contains("--csm"), "a lead signs as a CSM too: {err}");
    let (ok, _, err) = grant(&[&lee, "lead", "--csm", "Liam"]);
    assert!(ok, "{err}");
    let (ok, _, err) = grant(&[&imp, "importer", "--csm", "Liam Chen"]);
    assert!(!ok && err.contains("an importer signs nothing"), "{err}");
    let (ok, out, err) = grant(&[&imp, "importer"]);
    assert!(ok && out.contains("an importer"), "{out}{err}");
    let (ok, _, err) = grant(&["nobody_named", "csm"]);
    assert!(!ok && err.contains("--csm"), "{err}");
    // A typo in the CSM's name is not a new CSM.
    let (ok, _, err) = grant(&[&maya, "csm", "--csm", "Maya Patal"]);
    assert!(!ok && err.contains("Maya Patel") && err.contains("--new-csm"), "{err}");
    assert_eq!(db.count("SELECT count(*) FROM csms WHERE name LIKE 'Maya%'"), 1);
    // --new-csm takes the name as written, spaces as a person means them: not a second Maya.
    let (ok, out, err) = grant(&[&maya, "csm", "--csm", "  maya   PATEL ", "--new-csm"]);
    assert!(ok && out.contains("signing as Maya Patel.") && !out.contains("new to the book"), "{out}{err}");
    assert_eq!(db.count("SELECT count(*) FROM csms WHERE lower(name) LIKE 'maya%'"), 1);
    // Roles the rules cannot bind are not let in: one that may act as another (the owner's, or
    // one with powers on the server), one that may create roles, one psql would fold to another.
    let (boss, member, shared) = (format!("boss_{pid}"), format!("member_{pid}"), format!("shared_{pid}"));
    db.client()
        .batch_execute(&format!(
            "CREATE ROLE {boss} LOGIN CREATEROLE; CREATE ROLE {member} LOGIN; GRANT postgres TO {member};
             CREATE ROLE {shared} LOGIN; GRANT {shared} TO {member}"
        ))
        .unwrap();
    let (ok, _, err) = grant(&[&shared, "csm", "--csm", "Maya Patel"]);
    assert!(!ok && err.contains(&format!("{member} may act as {shared}")), "{err}");
    let (ok, _, err) = grant(&[&boss, "csm", "--csm", "Maya Patel"]);
    assert!(!ok && err.contains("may create roles"), "{err}");
    let (ok, _, err) = grant(&[&member, "csm", "--csm", "Maya Patel"]);
    assert!(!ok && err.contains("a member of postgres"), "{err}");
    let (ok, _, err) = grant(&["Maya", "csm", "--csm", "Maya Patel"]);
    assert!(!ok && err.contains("lower-case"), "{err}");
    db.client().batch_execute(&format!("DROP ROLE {shared}; DROP ROLE {boss}; DROP ROLE {member}")).unwrap();
    let (ok, _, err) = grant(&["postgres", "csm", "--csm", "Maya Patel"]);
    assert!(!ok && err.contains("does not hold it to a member's rules"), "{err}");

    let mine = db.count(
        "SELECT a.id FROM accounts a JOIN csms c ON c.id = a.csm_id WHERE c.name = 'Maya Patel' ORDER BY a.id LIMIT 1",
    );
    let theirs = db.count(
        "SELECT a.id FROM accounts a JOIN csms c ON c.id = a.csm_id WHERE c.name = 'Ben Okafor' ORDER BY a.id LIMIT 1",
    );
    let maya_id = db.count("SELECT id FROM csms WHERE name = 'Maya Patel'");
    let ben_id = db.count("SELECT id FROM csms WHERE name = 'Ben Okafor'");

    let mut as_maya = db.client_as(&maya);
    // On her own account, even claiming to be Ben: the row is hers.
    let signed: Option<i64> = as_maya
        .query_one(
            "INSERT INTO entries (account_id, csm_id, kind, day, score) VALUES ($1, $2, 'sentiment', '2026-12-01', 7) RETURNING csm_id",
            &[&mine, &ben_id],
        )
        .unwrap()
        .get(0);
    assert_eq!(signed, Some(maya_id));
    // On Ben's: refused by the database itself.
    let refused = as_maya
        .execute(
            "INSERT INTO entries (account_id, kind, day, score) VALUES ($1, 'sentiment', '2026-12-01', 2)",
            &[&theirs],
        )
        .unwrap_err();
    assert!(tend::team::detail(&refused).contains("row-level security"), "{refused}");
    // Changing or deleting Ben's rows reaches none of them.
    let changed = as_maya.execute("UPDATE accounts SET arr_cents = 1 WHERE id = $1", &[&theirs]).unwrap();
    assert_eq!(changed, 0);
    assert_ne!(db.count(&format!("SELECT arr_cents FROM accounts WHERE id = {theirs}")), 1);
    // Nor write what tend could not read back: a day that is none, a number that is none.
    assert!(
        as_maya
            .execute("INSERT INTO entries (account_id, kind, day) VALUES ($1, 'touch', 'yesterday')", &[&mine])
            .is_err()
    );
    // A day of the right shape but of no calendar is none either.
    for day in ["2026-31-99", "2026-02-30", "0000-00-00"] {
        let refused = as_maya
            .execute("INSERT INTO entries (account_id, kind, day) VALUES ($1, 'touch', $2)", &[&mine, &day])
            .unwrap_err();
        assert!(tend::team::detail(&refused).contains("entries_day_is_a_day"), "{day}: {refused}");
    }
    assert_eq!(
        as_maya
            .execute("INSERT INTO entries (account_id, kind, day) VALUES ($1, 'touch', '2028-02-29')", &[&mine])
            .unwrap(),
        1
    );
    assert!(as_maya.execute("UPDATE accounts SET expected_usage = 'NaN' WHERE id = $1", &[&mine]).is_err());
    // `--mine` on the team book is whoever signed in: Maya's task, not Ben's, with no `me` set.
    db.client()
        .execute(
            "INSERT INTO tasks (account_id, owner_id, title, due, created_on) VALUES
             ($1, $2, 'Maya calls the sponsor', '2026-12-04', '2026-12-01'),
             ($3, $4, 'Ben sends the quote', '2026-12-04', '2026-12-01')",
            &[&mine, &maya_id, &theirs, &ben_id],
        )
        .unwrap();
    let maya_url = db.url.replacen("://postgres@", &format!("://{maya}@"), 1);
    let (ok, out, err) = tend(dir, &["--db", &maya_url, "task", "list", "--mine"]);
    assert!(ok && out.contains("Maya calls the sponsor") && !out.contains("Ben sends"), "{out}{err}");
    // Nor hand her own account to Ben.
    assert!(as_maya.execute("UPDATE accounts SET csm_id = $1 WHERE id = $2", &[&ben_id, &mine]).is_err());
    // Nor can she re-sign her own rows as Ben.
    as_maya
        .execute("UPDATE entries SET csm_id = $1, note = 'edited' WHERE account_id = $2", &[&ben_id, &mine])
        .unwrap();
    assert_eq!(db.count(&format!("SELECT count(*) FROM entries WHERE account_id = {mine} AND csm_id = {ben_id}")), 0);
    // A table of her own named as the team's does not stand in for it (nor may she make one).
    assert!(
        as_maya.batch_execute("CREATE TEMP TABLE team_members (role_name text, kind text, csm_id bigint)").is_err()
    );
    // What tend works out, and others' undo log, are not hers to change.
    assert_eq!(as_maya.execute("DELETE FROM factor_snapshots", &[]).unwrap(), 0);
    assert_eq!(as_maya.execute("DELETE FROM changes", &[]).unwrap(), 0);
    assert_eq!(as_maya.execute("UPDATE book_meta SET value = 'x'", &[]).unwrap(), 0);
    // Nor can she make herself a lead, or import accounts.
    assert!(as_maya.execute("UPDATE team_members SET kind = 'lead'", &[]).is_err());
    assert!(as_maya.execute("INSERT INTO accounts (external_id, name) VALUES ('X-1', 'Sneaky')", &[]).is_err());
    // She reads every account (a colleague's, to cover for them).
    let seen: i64 = as_maya.query_one("SELECT count(*) FROM accounts", &[]).unwrap().get(0);
    assert_eq!(seen, 20);

    // A lead writes anywhere; an importer imports.
    let mut as_lead = db.client_as(&lee);
    as_lead
        .execute(
            "INSERT INTO entries (account_id, kind, day, score) VALUES ($1, 'sentiment', '2026-12-01', 5)",
            &[&theirs],
        )
        .unwrap();
    let mut as_importer = db.client_as(&imp);
    as_importer.execute("INSERT INTO accounts (external_id, name) VALUES ('X-2', 'Imported')", &[]).unwrap();
    assert!(as_importer.execute("INSERT INTO team_members VALUES ('x', 'lead', NULL)", &[]).is_err());

    // Granted again as a lead, Maya writes on Ben's accounts too, signed as herself.
    let (ok, _, err) = grant(&[&maya, "lead", "--csm", "Maya Patel"]);
    assert!(ok, "{err}");
    let mut as_maya = db.client_as(&maya);
    let signed: Option<i64> = as_maya
        .query_one(
            "INSERT INTO entries (account_id, csm_id, kind, day, score) VALUES ($1, $2, 'sentiment', '2026-12-01', 4) RETURNING csm_id",
            &[&theirs, &ben_id],
        )
        .unwrap()
        .get(0);
    assert_eq!(signed, Some(maya_id));
    // A Triage mark is signed as whoever made it, made or made again.
    let marked: Option<i64> = as_maya
        .query_one(
            "INSERT INTO triage_marks (account_id, state, marked_on, reasons, csm_id)
             VALUES ($1, 'handled', '2026-12-01', 'risk', $2) RETURNING csm_id",
            &[&theirs, &ben_id],
        )
        .unwrap()
        .get(0);
    assert_eq!(marked, Some(maya_id));
    let marked: Option<i64> = as_maya
        .query_one("UPDATE triage_marks SET csm_id = $2 WHERE account_id = $1 RETURNING csm_id", &[&theirs, &ben_id])
        .unwrap()
        .get(0);
    assert_eq!(marked, Some(maya_id));

    // What she is in this book is this book's alone: another book on the cluster does not let
    // her in, nor does being a lead here make her one there.
    let other = TeamDb::new("roles_other").unwrap();
    let (ok, _, err) = tend(dir, &["db", "copy", "--from", book.path.to_str().unwrap(), "--to", &other.url]);
    assert!(ok, "{err}");
    let url = other.url.replacen("://postgres@", &format!("://{maya}@"), 1);
    assert!(Client::connect(&url, NoTls).is_err(), "not a member of the other book");
    let (ok, _, err) = tend(dir, &["--db", &other.url, "db", "grant", &maya, "csm", "--csm", "Maya Patel"]);
    assert!(ok, "{err}");
    let mut there = other.client_as(&maya);
    assert!(
        there
            .execute(
                "INSERT INTO entries (account_id, kind, day, score) VALUES ($1, 'sentiment', '2026-12-01', 2)",
                &[&theirs]
            )
            .is_err(),
        "a csm in the other book"
    );
    as_maya
        .execute(
            "INSERT INTO entries (account_id, kind, day, score) VALUES ($1, 'sentiment', '2026-12-01', 4)",
            &[&theirs],
        )
        .expect("still a lead in this one");

    // Members are listed; one taken off no longer connects.
    let (ok, out, err) = tend(dir, &["--db", &db.url, "db", "members"]);
    assert!(ok, "{err}");
    assert!(
        out.contains(&format!("{maya}: lead, signs as Maya Patel")) && out.contains(&format!("{imp}: importer")),
        "{out}"
    );
    let (ok, out, err) = tend(dir, &["--db", &db.url, "db", "revoke", &lee]);
    assert!(ok && out.contains("off the team"), "{out}{err}");
    // Revoking someone not on the team, the owner included, changes nothing: the owner still
    // connects.
    let (ok, out, err) = tend(dir, &["--db", &db.url, "db", "revoke", "postgres"]);
    assert!(ok && out.contains("was not on the team") && out.contains("nothing changed"), "{out}{err}");
    let (ok, out, err) = tend(dir, &["--db", &db.url, "db", "members"]);
    assert!(ok && out.contains(&maya), "{out}{err}");
    let url = db.url.replacen("://postgres@", &format!("://{lee}@"), 1);
    assert!(Client::connect(&url, NoTls).is_err(), "revoked");
    drop(there);
    drop(other);

    let mut admin = db.client();
    for role in [&maya, &lee, &imp] {
        let _ = admin.batch_execute(&format!("DROP OWNED BY \"{role}\"; DROP ROLE IF EXISTS \"{role}\""));
    }
}

/// The storage seam's conformance: the same book, as a file and as a team book, gives the same
/// answers to what reads through `book::storage::BookRead` (finding an account or a CSM by what
/// was typed, the task, goal, milestone (written and planned by a journey) and contact lists),
/// errors included.
#[test]
fn the_lists_read_the_same_from_a_team_book_as_from_its_file() {
    let Some(db) = TeamDb::new("task_list") else { return };
    let book = lived_in_book();
    for args in [
        &["task", "add", "CRM-0001", "Send the QBR deck", "--due", "fri", "--owner", "maya"][..],
        &["task", "add", "CRM-0002", "Renewal quote", "--due", "-3d"],
        &["task", "add", "CRM-0014", "Ask about the Zürich office", "--due", "+2w", "--owner", "Ben Okafor"],
        &["task", "add", "CRM-0021", "Call the CFO", "--due", "today", "--note", "after the board"],
        &["task", "add", "CRM-0021", "Follow up", "--due", "+3d"],
        &["task", "done", "Call the CFO"],
        &["task", "drop", "Follow up"],
        &["goal", "add", "CRM-0021", "Halve the time to first report"],
        &["goal", "status", "Halve the time", "at_risk", "--note", "their admin left"],
        &["milestone", "add", "CRM-0021", "adoption", "Kick-off", "--due", "-20d"],
        &["milestone", "done", "Kick-off"],
        &["contact", "add", "CRM-0006", "Bo Lee", "--role", "user"],
        &["contact", "add", "CRM-0006", "Zoë Ångström", "--role", "executive_sponsor", "--title", "CFO"],
        &["contact", "left", "bo lee", "--date", "-2d"],
        &["contact", "add", "CRM-0021", "ana ruiz"],
    ] {
        book.run(args);
    }
    let dir = book.dir.path();
    let (ok, _, err) = tend(dir, &["db", "copy", "--from", book.path.to_str().unwrap(), "--to", &db.url]);
    assert!(ok, "{err}");
    let (mut listed, mut refused) = (0, 0);
    for args in [
        &["task", "list"][..],
        &["task", "list", "--all"],
        &["task", "list", "--all", "--format", "json"],
        &["task", "list", "CRM-0021", "--all"],
        &["task", "list", "crm-0021", "--all", "--format", "csv"],
        &["task", "list", "company 2"],
        &["task", "list", "Acme"],
        &["task", "list", "Nobody Such"],
        &["task", "list", "--owner", "ben"],
        &["task", "list", "--owner", "Mya Patel"],
        &["task", "list", "--due-within", "7d"],
        &["goal", "list"],
        &["goal", "list", "CRM-0021", "--format", "json"],
        &["goal", "list", "Nobody Such"],
        &["milestone", "list"],
        &["milestone", "list", "crm-0008", "--format", "csv"],
        &["milestone", "list", "CRM-0021", "--format", "md"],
        &["contact", "list"],
        &["contact", "list", "CRM-0006", "--format", "json"],
        &["export", "tasks"],
        &["export", "goals", "--format", "json"],
        &["export", "milestones"],
        &["export", "contacts", "--format", "md"],
    ] {
        let from_file = without_undo_note(tend_on(&book.path, args));
        let mut on_team = vec!["--db", db.url.as_str()];
        on_team.extend_from_slice(args);
        let from_team = tend(dir, &on_team);
        assert_eq!(from_file, from_team, "tend {args:?}: the file's answer, then the team book's");
        listed += usize::from(from_file.0 && ["Company", "Acme", "CRM-00"].iter().any(|w| from_file.1.contains(w)));
        refused += usize::from(!from_file.0);
    }
    assert!(listed >= 16 && refused >= 4, "lists with rows to compare, and refusals: {listed}, {refused}");
    // An export to a file, whole, as from the file.
    let (ok, _, err) = tend(dir, &["--db", &db.url, "export", "tasks", "-o", "team-tasks.csv"]);
    assert!(ok, "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("team-tasks.csv")).unwrap(),
        tend_on(&book.path, &["export", "tasks"]).1
    );
}

/// The reports, the back-test, search and the exports of accounts, logs and metrics read a
/// snapshot of the team book with the code that reads a file: the same answers as from its file.
#[test]
fn the_reports_read_the_same_from_a_team_book_as_from_its_file() {
    let Some(db) = TeamDb::new("reports") else { return };
    let book = lived_in_book();
    let dir = book.dir.path();
    let (ok, _, err) = tend(dir, &["db", "copy", "--from", book.path.to_str().unwrap(), "--to", &db.url]);
    assert!(ok, "{err}");
    let answers = same_on_both(
        &book,
        &db,
        &[
            &["report", "triage", "--format", "json"],
            &["report", "triage", "--all"],
            &["report", "team"],
            &["report", "renewals", "--format", "csv"],
            &["report", "one-on-one", "--csm", "maya"],
            &["report", "health-trend"],
            &["report", "metrics"],
            &["backtest"],
            &["search", "cfo"],
            &["search", "ana ruiz"],
            &["export", "accounts"],
            &["export", "logs", "--format", "json"],
            &["export", "metrics"],
            &["report", "one-on-one", "--csm", "Nobody Such"],
        ],
    );
    let ok = answers.iter().filter(|(ok, _)| *ok).count();
    assert!(ok >= 12, "answers to compare: {answers:?}");
    assert!(answers.iter().any(|(_, text)| text.contains("Company")), "{answers:?}");
    // The people on accounts are searched in the snapshot as in the file.
    assert!(answers[9].1.contains("person") && answers[9].1.contains("Ana Ruiz · ana@c6.com"), "{:?}", answers[9]);
    assert!(!answers.last().unwrap().0, "a CSM not in the book is refused the same on both");
}

/// Milestones (a journey's planned ones settled when first changed), journeys, renewals, churns,
/// returns and deletes through the storage seam: the same answers on a team book as on its file,
/// the same rows after, undone the same; a CSM's on another's account refused in words.
#[test]
fn milestones_contracts_and_deletes_do_the_same_on_a_team_book_as_on_its_file() {
    let Some(db) = TeamDb::new("contracts") else { return };
    let book = lived_in_book();
    let dir = book.dir.path();
    let (ok, _, err) = tend(dir, &["db", "copy", "--from", book.path.to_str().unwrap(), "--to", &db.url]);
    assert!(ok, "{err}");
    // A milestone a journey planned for a new customer (a row of three numbers until changed).
    let planned = book.json(&["milestone", "list", "CRM-0010"]);
    let planned = planned.iter().find(|m| m["done"].is_null()).expect("a journey planned for a new customer");
    let planned = planned["milestone"].as_str().unwrap().to_string();
    let said = same_on_both(
        &book,
        &db,
        &[
            &["milestone", "add", "CRM-0021", "adoption", "Kick-off", "--due", "+3d", "--note", "with IT"],
            &["milestone", "done", "Kick-off"],
            &["milestone", "done", "Kick-off"],
            &["milestone", "done", "Kick-off", "--force", "--date", "-1d"],
            &["undo"],
            &["milestone", "done", "QBR", "--note", "went well"],
            &["milestone", "done", &planned, "--account", "CRM-0010", "--note", "settled"],
            &["undo"],
            &["milestone", "done", &planned, "--account", "CRM-0010"],
            &["milestone", "add", "CRM-0021", "adoption", "  ", "--due", "+3d"],
            &["milestone", "add", "CRM-0021", "nojourney", "X", "--due", "+3d"],
            &["journey", "apply", "CRM-0021", "expansion"],
            &["journey", "apply", "CRM-0021", "expansion"],
            &["journey", "apply", "CRM-0012", "onboarding"],
            &["renew", "CRM-0021", "--until", "+1y", "--arr", "52000"],
            &["renew", "CRM-0011", "--until", "+1y"],
            &["renew", "CRM-0022", "--until", "-1d"],
            &["churn", "CRM-0022", "--reason", "Budget"],
            &["churn", "CRM-0022", "--reason", "Again"],
            &["undo"],
            &["churn", "CRM-0023", "--reason", "Acquired", "--date", "-2d"],
            &["reactivate", "CRM-0011", "--arr", "30000"],
            &["reactivate", "CRM-0021"],
            &["log", "delete", "1"],
            &["log", "delete", "1"],
            &["undo"],
            &["log", "delete", "2"],
            &["goal", "delete", "Cut onboarding"],
            &["undo"],
            &["milestone", "delete", "QBR"],
            &["milestone", "list", "CRM-0021"],
            &["milestone", "list", "CRM-0010", "--format", "json"],
            &["log", "list", "CRM-0021"],
            &["log", "list", "CRM-0011", "--format", "csv"],
            &["log", "list", "CRM-0023"],
            &["report", "renewals"],
        ],
    );
    let refused = said.iter().filter(|(ok, _)| !ok).count();
    let undone = said.iter().filter(|(_, s)| s.contains("Undone: ")).count();
    assert!(refused >= 8 && undone == 5, "{refused} {undone}: {said:#?}");
    assert!(said.iter().any(|(ok, s)| *ok && s.contains("renewed on")), "{said:#?}");
    // The rows, as the file holds them.
    let conn = rusqlite::Connection::open(&book.path).unwrap();
    for sql in [
        "SELECT id, account_id, journey, name, due, done, note, deleted_at IS NULL FROM milestone_rows ORDER BY id",
        "SELECT id, account_id, step, due FROM planned_milestones ORDER BY id",
        "SELECT account_id, kind, day, renewal_before, renewal_after, arr_before, arr_after, reason, deleted_at IS NULL FROM contract_events ORDER BY id",
        "SELECT id, status, renewal_date, churned_on, arr_cents FROM accounts ORDER BY id",
        "SELECT account_id, day, old_cents, new_cents, source, deleted_at IS NULL FROM arr_changes ORDER BY id",
        "SELECT id, deleted_at IS NULL FROM entries ORDER BY id",
        "SELECT id, deleted_at IS NULL FROM goals ORDER BY id",
    ] {
        let text = |v: rusqlite::types::Value| match v {
            rusqlite::types::Value::Null => "null".to_string(),
            rusqlite::types::Value::Integer(i) => i.to_string(),
            rusqlite::types::Value::Real(r) => r.to_string(),
            rusqlite::types::Value::Text(t) => t,
            rusqlite::types::Value::Blob(_) => "blob".to_string(),
        };
        let mut statement = conn.prepare(sql).unwrap();
        let width = statement.column_count();
        let from_file: Vec<String> = statement
            .query_map([], |r| {
                Ok((0..width)
                    .map(|i| r.get::<_, rusqlite::types::Value>(i).map(text))
                    .collect::<Result<Vec<_>, _>>()?
                    .join("|"))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let pg_sql = sql.replace("deleted_at IS NULL", "(deleted_at IS NULL)::int");
        let from_team: Vec<String> = db
            .client()
            .query(
                &format!(
                    "SELECT concat_ws('|', VARIADIC ARRAY[{}]) FROM ({pg_sql}) t({})",
                    columns_as_text(width),
                    (1..=width).map(|i| format!("c{i}")).collect::<Vec<_>>().join(", ")
                ),
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(from_file, from_team, "{sql}");
    }

    // A CSM signed in: milestones and contract changes on their own accounts only.
    let maya = format!("maya_c_{}", std::process::id());
    let (ok, _, err) = tend(dir, &["--db", &db.url, "db", "grant", &maya, "csm", "--csm", "Maya Patel"]);
    assert!(ok, "{err}");
    let as_maya = |args: &[&str]| {
        let url = db.url.replacen("://postgres@", &format!("://{maya}@"), 1);
        let mut all = vec!["--db", url.as_str()];
        all.extend_from_slice(args);
        tend(dir, &all)
    };
    let before = db.count("SELECT count(*) FROM changes");
    for args in [
        &["milestone", "add", "CRM-0001", "adoption", "Review", "--due", "+3d"][..],
        &["renew", "CRM-0001", "--until", "+1y"],
        &["churn", "CRM-0001", "--reason", "x"],
        &["journey", "apply", "CRM-0001", "expansion"],
        &["log", "delete", "3"],
    ] {
        let (ok, out, err) = as_maya(args);
        assert!(!ok && err.contains(": a CSM ") && err.contains("only on their own accounts"), "{args:?}: {out}{err}");
        assert!(err.contains("nothing was changed"), "{err}");
    }
    assert_eq!(db.count("SELECT count(*) FROM changes"), before, "nothing written");
    let (ok, out, err) = as_maya(&["milestone", "add", "CRM-0004", "adoption", "Review", "--due", "+3d"]);
    assert!(ok && out.contains("milestone \"Review\" added"), "{out}{err}");
    let (ok, out, err) = as_maya(&["renew", "CRM-0004", "--until", "+1y", "--arr", "9000"]);
    assert!(ok && out.contains("renewed on"), "{out}{err}");
    let (ok, out, err) = as_maya(&["undo"]);
    assert!(ok && out.contains("Undone: "), "{out}{err}");
    // Her one-on-one, without naming her: the CSM signed in.
    let (ok, out, err) = as_maya(&["report", "one-on-one"]);
    assert!(ok && out.contains("One-on-one with Maya Patel"), "{out}{err}");
    // A teammate's later change to the same account stands: her undo under it is refused.
    let (ok, out, err) = as_maya(&["churn", "CRM-0008", "--reason", "Budget cut"]);
    assert!(ok, "{out}{err}");
    let (ok, out, err) = tend(dir, &["--db", &db.url, "reactivate", "CRM-0008", "--arr", "30000"]);
    assert!(ok, "{out}{err}");
    let (ok, out, err) = as_maya(&["undo"]);
    assert!(!ok && err.contains("came after it to the same account: undo that one first"), "{out}{err}");
    assert_eq!(db.count("SELECT arr_cents FROM accounts WHERE external_id = 'CRM-0008'"), 3_000_000);
    // Handing an account over is a lead's: Maya's own stays hers, refused by the database and
    // said in words; the lead's hand-over lands.
    let owner = || {
        db.client()
            .query_one(
                "SELECT c.name FROM accounts a JOIN csms c ON c.id = a.csm_id WHERE a.external_id = 'CRM-0004'",
                &[],
            )
            .unwrap()
            .get::<_, String>(0)
    };
    let (ok, out, err) = as_maya(&["assign", "CRM-0004", "Ben Okafor"]);
    assert!(!ok && err.contains("a lead hands accounts over") && err.contains("nothing was changed"), "{out}{err}");
    assert_eq!(owner(), "Maya Patel");
    let (ok, out, err) = tend(dir, &["--db", &db.url, "assign", "CRM-0004", "ben"]);
    assert!(ok && out.contains("handed from Maya Patel to Ben Okafor"), "{out}{err}");
    assert_eq!(owner(), "Ben Okafor");
}

/// `n` columns of a row as text, for `concat_ws` (NULL written "null" as the file's side does).
fn columns_as_text(n: usize) -> String {
    (1..=n).map(|i| format!("coalesce(t.c{i}::text, 'null')")).collect::<Vec<_>>().join(", ")
}

/// `tend import accounts` into a team book, as its importer: the same answers as into a book file
/// (new accounts, the journeys planned for them, then an update), the same accounts and
/// milestones after; a bad file changes nothing; a CSM is refused by the database, in words.
#[test]
fn importing_accounts_into_a_team_book_does_what_it_does_into_a_file() {
    let Some(db) = TeamDb::new("import") else { return };
    let (dir, path) = common::temp_db();
    let dir = dir.path();
    let file = common::crm_file(dir, 120);
    let file = file.to_str().unwrap();
    let etl = db.init_with_importer(dir, "etl");
    let maya = format!("maya_i_{}", std::process::id());
    let as_role = |role: &str, args: &[&str]| db.tend_as(dir, role, args);
    let on_file = |args: &[&str]| tend_on_book(dir, &path, args);
    // A second file: one account renamed, one's ARR changed, one given its first renewal date
    // (its renewal journey planned), and a new one.
    let text = std::fs::read_to_string(file).unwrap();
    let first_renewal = (common::today() + chrono::Duration::days(200)).to_string();
    let changed: String = text
        .replacen("Company 5,", "Company Five,", 1)
        .replacen(",5065,", ",7000,", 1)
        .lines()
        .map(|line| {
            let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
            if line.starts_with("CRM-0004,") {
                cells[5] = first_renewal.clone();
            }
            // Renewed in the CRM: its date a year on (recorded as a renewal, its journey again).
            if line.starts_with("CRM-0002,")
                && let Ok(date) = chrono::NaiveDate::parse_from_str(&cells[5], "%Y-%m-%d")
            {
                cells[5] = (date + chrono::Months::new(12)).to_string();
            }
            format!("{}\n", cells.join(","))
        })
        .collect::<String>()
        + "CRM-9999,Brand New Co,Maya Patel,12000,2026-11-20,2027-11-20,,,,EMEA\n";
    let second = dir.join("crm2.csv");
    std::fs::write(&second, changed).unwrap();
    let second = second.to_str().unwrap();
    for args in [
        &["import", "accounts", file, "--dry-run"][..],
        &["import", "accounts", file],
        &["import", "accounts", file],
        &["import", "accounts", second],
        &["milestone", "list"],
        &["log", "list", "CRM-0002"],
        &["report", "one-on-one", "--csm", "Liam Chen"],
        &["export", "accounts", "--format", "json"],
        &["report", "triage", "--all"],
    ] {
        let from_file = on_file(args);
        assert!(from_file.0, "{args:?}: {from_file:?}");
        assert_eq!(from_file, as_role(&etl, args), "tend {args:?}: the file's answer, then the team book's");
    }
    assert_eq!(db.count("SELECT count(*) FROM accounts"), 121);
    assert_eq!(
        db.count("SELECT count(*) FROM contract_events e JOIN accounts a ON a.id = e.account_id WHERE a.external_id = 'CRM-0002' AND e.kind = 'renewed'"),
        1,
        "the renewal the CRM file's date says"
    );
    assert!(db.count("SELECT count(*) FROM planned_milestones") > 0);
    assert_eq!(
        db.count("SELECT count(*) FROM milestones m JOIN accounts a ON a.id = m.account_id WHERE a.external_id = 'CRM-0004' AND m.journey = 'renewal'"),
        2,
        "the renewal journey of the date learnt"
    );
    // Ids of the new accounts and their milestones are the file's too (undo and links use them).
    let conn = rusqlite::Connection::open(&path).unwrap();
    let file_ids: i64 =
        conn.query_row("SELECT sum(id * account_id) FROM planned_milestones", [], |r| r.get(0)).unwrap();
    assert_eq!(db.count("SELECT sum(id * account_id)::bigint FROM planned_milestones"), file_ids);

    // A file with a bad row changes nothing.
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        text.replacen("Company 6,", "Company Six,", 1) + "CRM-8888,Bad Co,,twelve,not a day,,,,,EMEA\n",
    )
    .unwrap();
    let (ok, _, err) = as_role(&etl, &["import", "accounts", bad.to_str().unwrap()]);
    assert!(!ok && err.contains("bad.csv:"), "{err}");
    assert_eq!(db.count("SELECT count(*) FROM accounts WHERE name = 'Company Six' OR external_id = 'CRM-8888'"), 0);

    // A CSM imports nothing: the database refuses, tend says who may.
    let (ok, _, err) = tend(dir, &["--db", &db.url, "db", "grant", &maya, "csm", "--csm", "Maya Patel"]);
    assert!(ok, "{err}");
    let third = dir.join("crm3.csv");
    std::fs::write(&third, text + "CRM-7777,Another Co,Maya Patel,5000,2026-11-20,,,,,EMEA\n").unwrap();
    let (ok, out, err) = as_role(&maya, &["import", "accounts", third.to_str().unwrap()]);
    assert!(!ok && err.contains("takes an importer or a lead") && err.contains("nothing was imported"), "{out}{err}");
    let (ok, out, err) = as_role(&maya, &["import", "accounts", third.to_str().unwrap(), "--dry-run"]);
    assert!(!ok && err.contains("takes an importer or a lead"), "a dry run says so too: {out}{err}");
    // An importer imports: what a CSM or a lead writes, signed as themselves, is not theirs.
    let (ok, out, err) = as_role(&etl, &["log", "sentiment", "CRM-0004", "5"]);
    assert!(!ok && err.contains("an importer imports"), "{out}{err}");
    assert_eq!(db.count("SELECT count(*) FROM entries"), 0);
    assert_eq!(db.count("SELECT count(*) FROM accounts"), 121);
}

/// `tend import metrics` into a team book, as its importer: the same answers as into a book file
/// (new samples, a file imported twice, a file that changes values and comes ungrouped, wide
/// and long), the same samples after, the same health; a bad file changes nothing; a CSM is
/// refused before the file is read.
/// A thin newest week (some accounts' samples of a new day) is said into a team book as into a
/// file: the same counts of samples and of the accounts of the day before.
#[test]
fn a_thin_newest_week_is_said_into_a_team_book_as_into_a_file() {
    let Some(db) = TeamDb::new("thin") else { return };
    let (dir, path) = common::temp_db();
    let dir = dir.path();
    let accounts = common::crm_file(dir, 20);
    let accounts = accounts.to_str().unwrap();
    let etl = db.init_with_importer(dir, "etl_t");
    let as_role = |role: &str, args: &[&str]| db.tend_as(dir, role, args);
    let on_file = |args: &[&str]| tend_on_book(dir, &path, args);
    let today = common::today();
    let mut weeks = String::from("Account,Metric,Date,Value\n");
    for i in 0..20 {
        for week in 1..8 {
            weeks += &format!("CRM-{i:04},logins,{},{}\n", today - chrono::Duration::weeks(week), 10 + i);
        }
    }
    let mut part = String::from("Account,Metric,Date,Value\n");
    for i in 0..7 {
        part += &format!("CRM-{i:04},logins,{today},{}\n", 10 + i);
    }
    let mut rest = String::from("Account,Metric,Date,Value\n");
    for i in 7..20 {
        rest += &format!("CRM-{i:04},logins,{today},{}\n", 10 + i);
    }
    let (weeks_path, part_path, rest_path) = (dir.join("weeks.csv"), dir.join("part.csv"), dir.join("rest.csv"));
    std::fs::write(&weeks_path, weeks).unwrap();
    std::fs::write(&part_path, part).unwrap();
    std::fs::write(&rest_path, rest).unwrap();
    let (weeks_path, part_path, rest_path) =
        (weeks_path.to_str().unwrap(), part_path.to_str().unwrap(), rest_path.to_str().unwrap());
    for args in [
        &["import", "accounts", accounts][..],
        &["import", "metrics", weeks_path],
        &["import", "metrics", part_path, "--dry-run"],
        &["import", "metrics", part_path],
        &["import", "metrics", rest_path],
        &["import", "metrics", part_path],
    ] {
        let mut from_file = on_file(args);
        assert!(from_file.0, "{args:?}: {from_file:?}");
        // A book file says what an import moved in today's bands; a team book does not work its
        // day out on an import, and does not (yet) say it.
        from_file.1 = from_file
            .1
            .lines()
            .filter(|l| !l.starts_with("Health today after the import"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(from_file, as_role(&etl, args), "tend {args:?}: the file's answer, then the team book's");
        if args[2] == part_path && !from_file.1.contains("0 new") {
            let thin = "though the file gives only 7 accounts a sample on it, against 20 on";
            assert!(from_file.1.contains(thin), "{}", from_file.1);
        }
    }
    // The week's two parts count as the whole week, on both (the part again adds nothing).
    let conn = rusqlite::Connection::open(&path).unwrap();
    let of_file: String =
        conn.query_row("SELECT value FROM book_meta WHERE key = 'metric_days'", [], |r| r.get(0)).unwrap();
    let of_team: String =
        db.client().query_one("SELECT value FROM book_meta WHERE key = 'metric_days'", &[]).unwrap().get(0);
    assert_eq!(of_team, of_file);
    assert!(of_file.ends_with(&format!("{today}=20")), "{of_file}");
}

#[test]
fn importing_metrics_into_a_team_book_does_what_it_does_into_a_file() {
    let Some(db) = TeamDb::new("metrics") else { return };
    let (dir, path) = common::temp_db();
    let dir = dir.path();
    let accounts = common::crm_file(dir, 60);
    let accounts = accounts.to_str().unwrap();
    let etl = db.init_with_importer(dir, "etl_m");
    let maya = format!("maya_m_{}", std::process::id());
    let as_role = |role: &str, args: &[&str]| db.tend_as(dir, role, args);
    let on_file = |args: &[&str]| tend_on_book(dir, &path, args);
    // Weekly logins and seats over twelve weeks, grouped by account; some accounts have none.
    let today = common::today();
    let mut long = String::from("Account,Metric,Date,Value\n");
    for i in (0..60).filter(|i| i % 6 != 5) {
        for week in 0..12 {
            let day = today - chrono::Duration::weeks(week);
            long += &format!("CRM-{i:04},logins,{day},{}\n", (i * 7 + week as usize * 3) % 50);
            long += &format!("CRM-{i:04},seats,{day},{}\n", 10 + i % 9);
        }
    }
    let first = dir.join("usage.csv");
    std::fs::write(&first, &long).unwrap();
    // The same samples by date (not grouped by account), a few values changed and a new week.
    let mut by_day: Vec<&str> = long.lines().skip(1).collect();
    by_day.sort_by_key(|l| l.split(',').nth(2).unwrap().to_string());
    let mut second = String::from("Account,Metric,Date,Value\n");
    for line in by_day {
        second += line;
        second += "\n";
    }
    let second = second.replace(&format!("CRM-0001,logins,{today},7"), &format!("CRM-0001,logins,{today},40"))
        + &format!("CRM-0002,logins,{},12\n", today + chrono::Duration::days(1));
    let second_path = dir.join("usage_by_day.csv");
    std::fs::write(&second_path, &second).unwrap();
    // Wide: one column per metric.
    let wide = dir.join("wide.csv");
    std::fs::write(&wide, format!("Account,Date,logins,nps_pct\nCRM-0004,{today},33,40%\nCRM-0010,{today},,12%\n"))
        .unwrap();
    // Weeks headed by their start: those the book has on their first day stay there, a week new
    // to it goes to its last day, as into a file.
    let mut weeks = String::from("Account,Week Starting,logins\n");
    for i in 0..3 {
        for week in 0..3 {
            let day = today - chrono::Duration::weeks(week);
            weeks += &format!("CRM-{i:04},{day},{}\n", (i * 7 + week as usize * 3) % 50);
        }
    }
    weeks += &format!("CRM-0003,{},9\n", today - chrono::Duration::weeks(13));
    let weeks_path = dir.join("weeks.csv");
    std::fs::write(&weeks_path, &weeks).unwrap();
    let weeks_path = weeks_path.to_str().unwrap();
    let (first, second_path, wide) = (first.to_str().unwrap(), second_path.to_str().unwrap(), wide.to_str().unwrap());
    let imported = on_file(&["import", "accounts", accounts]);
    assert!(imported.0, "{imported:?}");
    assert_eq!(imported, as_role(&etl, &["import", "accounts", accounts]));
    for args in [
        &["import", "metrics", first, "--dry-run"][..],
        &["import", "metrics", first],
        &["import", "metrics", first],
        &["import", "metrics", second_path],
        &["import", "metrics", wide],
        &["import", "metrics", weeks_path],
        &["export", "metrics", "--format", "csv"],
        &["report", "triage", "--all", "--format", "json"],
        &["report", "metrics"],
    ] {
        let from_file = on_file(args);
        assert!(from_file.0, "{args:?}: {from_file:?}");
        assert_eq!(from_file, as_role(&etl, args), "tend {args:?}: the file's answer, then the team book's");
    }
    let (_, said, _) = as_role(&etl, &["import", "metrics", weeks_path, "--dry-run"]);
    // The week begun today is not over: left out, on the team book as on a file.
    assert!(said.contains("6 values of periods the book already had on their first day"), "{said}");
    assert!(said.contains("3 values of a period not over yet left out"), "{said}");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let file_sum: f64 = conn.query_row("SELECT sum(value * account_id) FROM metric_samples", [], |r| r.get(0)).unwrap();
    let team_sum: f64 =
        db.client().query_one("SELECT sum(value * account_id) FROM metric_samples", &[]).unwrap().get(0);
    assert_eq!(file_sum, team_sum);
    let samples = db.count("SELECT count(*) FROM metric_samples");
    assert!(samples > 1000, "{samples}");
    // The book's samples by day, as the file counts them: the later day one account's row.
    let of_file: String =
        conn.query_row("SELECT value FROM book_meta WHERE key = 'metric_days'", [], |r| r.get(0)).unwrap();
    let counts: String =
        db.client().query_one("SELECT value FROM book_meta WHERE key = 'metric_days'", &[]).unwrap().get(0);
    assert_eq!(counts, of_file);
    assert!(counts.ends_with(&format!(";{}=1", today + chrono::Duration::days(1))), "{counts}");

    // A file with a bad row, or a sample given twice, changes nothing, and says where.
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        format!(
            "Account,Metric,Date,Value\nCRM-0001,logins,{today},1\nCRM-0001,logins,not a day,2\nNOPE,logins,{today},3\n"
        ),
    )
    .unwrap();
    let (ok, out, err) = as_role(&etl, &["import", "metrics", bad.to_str().unwrap()]);
    assert!(
        !ok && err.contains("bad.csv:3: column \"Date\"") && err.contains("bad.csv:4: column \"Account\""),
        "{out}{err}"
    );
    assert_eq!(on_file(&["import", "metrics", bad.to_str().unwrap()]).2, err);
    let twice = dir.join("twice.csv");
    std::fs::write(&twice, format!("Account,Metric,Date,Value\nCRM-0001,logins,{today},1\nCRM-0002,logins,{today},2\nCRM-0001,logins,{today},3\n")).unwrap();
    let (ok, out, err) = as_role(&etl, &["import", "metrics", twice.to_str().unwrap()]);
    assert!(!ok && err.contains("twice.csv:4") && err.contains("first on line 2"), "{out}{err}");
    assert_eq!(db.count("SELECT count(*) FROM metric_samples"), samples);
    assert_eq!(
        team_sum,
        db.client().query_one("SELECT sum(value * account_id) FROM metric_samples", &[]).unwrap().get::<_, f64>(0)
    );

    // A CSM imports no samples, a dry run neither: said before the file is read.
    let (ok, _, err) = tend(dir, &["--db", &db.url, "db", "grant", &maya, "csm", "--csm", "Maya Patel"]);
    assert!(ok, "{err}");
    for extra in [None, Some("--dry-run")] {
        let mut args = vec!["import", "metrics", first];
        args.extend(extra);
        let (ok, out, err) = as_role(&maya, &args);
        assert!(
            !ok && err.contains("importing metric samples into the team book takes an importer or a lead"),
            "{out}{err}"
        );
    }
    // A help desk's tickets become samples: refused the same, in the file's own words.
    let tickets = dir.join("tickets.csv");
    std::fs::write(&tickets, format!("Ticket ID,Organization,Created\n1,CRM-0001,{today} 09:12\n")).unwrap();
    let (ok, out, err) = as_role(&maya, &["import", "tickets", tickets.to_str().unwrap()]);
    assert!(!ok && err.contains("importing tickets into the team book takes an importer or a lead"), "{out}{err}");
    assert_eq!(db.count("SELECT count(*) FROM metric_samples"), samples);
}

/// `tend import logs|goals|milestones|tasks|contacts` into a team book: the same answers as into
/// its file (a dry run, new rows, a file imported twice, bad rows), the same rows after; a CSM
/// imports onto their own accounts, and a file touching another's is refused whole, in words.
#[test]
fn importing_logs_plans_tasks_and_contacts_into_a_team_book_does_what_it_does_into_a_file() {
    let Some(db) = TeamDb::new("imports") else { return };
    let book = lived_in_book();
    let dir = book.dir.path();
    let (ok, _, err) = tend(dir, &["db", "copy", "--from", book.path.to_str().unwrap(), "--to", &db.url]);
    assert!(ok, "{err}");
    let file = |name: &str, text: &str| book.file(name, text);
    let contacts = file(
        "contacts.csv",
        "Account,Name,Title,Email,Role\nCRM-0004,Ana Ruiz,VP Ops,ana@c4.com,champion\n\
         CRM-0005,Bo Lee,CTO,bo@c5.com,decision_maker\nCRM-0006,Ana Ruiz,,ana@c6.com,user\n\
         CRM-0004,Ümit Dvořák,CFO,umit@c4.com,executive_sponsor\n",
    );
    let logs = file(
        "logs.csv",
        "Account,Kind,Date,Score,Channel,Title,Note,With\nCRM-0004,sentiment,2026-11-02,4,,,worried,\n\
         CRM-0004,touch,2026-11-03,,call,,,Ana Ruiz\nCRM-0005,nps,2026-10-20,9,,,,Bo Lee\n\
         CRM-0005,risk,2026-11-10,,,Budget cut,CFO left,\nCRM-0004,sentiment,2026-11-02,4,,,worried,\n\
         CRM-0004,touch,2026-11-04,,meeting,,,ümit dvořák\n",
    );
    let goals = file(
        "goals.csv",
        "Account,Goal,Status,Date,Measure,Target,Owner,Note\nCRM-0005,Cut onboarding to 10 days,on_track,2026-10-01,days,2027-01-31,customer,\n\
         CRM-0005,Cut onboarding to 10 days,at_risk,2026-11-15,days,2027-01-31,customer,admin left\n",
    );
    let milestones = file(
        "milestones.csv",
        "Account,Journey,Milestone,Due,Done,Note\nCRM-0004,adoption,QBR,2026-12-10,,Ask CFO\nCRM-0005,adoption,Kickoff,2026-10-01,2026-10-03,\n",
    );
    let tasks = file(
        "tasks.csv",
        "Account,Task,Due,Status,Owner,Note\nCRM-0004,Send the QBR deck,2026-12-01,open,,\nCRM-0005,Call the new VP,2026-11-25,done,Ben Okafor,done early\n",
    );
    let cleared = file(
        "cleared.csv",
        "Account,Kind,Date,Score,Channel,Title,Note,Closed\nCRM-0005,risk,2026-11-10,,,Budget cut,CFO left,2026-11-20\n\
         CRM-0005,risk,2026-11-10,,,Budget cut,CFO left,2026-11-20\n",
    );
    // The touch of 2026-11-03 reassigned in the CRM, someone added to it: that entry changed.
    let reassigned = file(
        "reassigned.csv",
        "Account,Kind,Date,Channel,By,With\nCRM-0004,touch,2026-11-03,call,maya  patel,Ana Ruiz; Ümit Dvořák\n",
    );
    // Its comment edited in the CRM since: that entry, its note changed.
    let edited =
        file("edited.csv", "Account,Kind,Date,Channel,Note\nCRM-0004,touch,2026-11-03,call,Walked through renewal\n");
    let bad = file(
        "bad_logs.csv",
        "Account,Kind,Date,Score\nCRM-0004,sentiment,2026-11-02,3\nNOPE,sentiment,2026-11-02,3\nCRM-0005,sentiment,2026-13-45,4\n",
    );
    let mut commands: Vec<Vec<&str>> = Vec::new();
    for (what, path) in
        [("contacts", &contacts), ("logs", &logs), ("goals", &goals), ("milestones", &milestones), ("tasks", &tasks)]
    {
        commands.push(vec!["import", what, path, "--dry-run"]);
        commands.push(vec!["import", what, path]);
        commands.push(vec!["import", what, path]);
    }
    commands.push(vec!["import", "logs", &bad]);
    // The risk cleared since: the same one, cleared, on both books (and the row again, a second).
    commands.push(vec!["import", "logs", &cleared]);
    commands.push(vec!["import", "logs", &cleared]);
    commands.push(vec!["import", "logs", &reassigned]);
    commands.push(vec!["import", "logs", &reassigned]);
    commands.push(vec!["import", "logs", &edited]);
    commands.push(vec!["import", "logs", &edited]);
    for what in ["logs", "goals", "milestones", "tasks", "contacts"] {
        commands.push(vec!["export", what, "--format", "csv"]);
    }
    let commands: Vec<&[&str]> = commands.iter().map(Vec::as_slice).collect();
    let said = same_on_both(&book, &db, &commands);
    let said = said.iter().map(|(ok, text)| format!("{ok} {text}")).collect::<Vec<_>>().join("\n");
    for expected in [
        "imported 4 contacts: 3 new, 1 updated",
        "imported 6 log entries: 6 new",
        "imported 1 goal",
        "imported 2 milestones: 2 new",
        "imported 2 tasks: 2 new",
        "bad_logs.csv:3: column \"Account\"",
    ] {
        assert!(said.contains(expected), "{expected}: {said}");
    }
    // Imported twice, the second adds nothing.
    assert!(said.contains("imported 6 log entries: 0 new, 0 updated, 6 unchanged"), "{said}");
    // The people a row was with are found in any case, accented letters too, on both books.
    assert!(said.lines().any(|l| l.contains("2026-11-04") && l.contains("Ümit Dvořák")), "{said}");
    // The open risk cleared by the first row; the second, the same again, a second cleared one.
    assert!(said.contains("cleared.csv: imported 2 log entries: 1 new, 1 updated, 0 unchanged"), "{said}");
    assert!(said.contains("cleared.csv: imported 2 log entries: 0 new, 0 updated, 2 unchanged"), "{said}");
    assert!(said.contains("reassigned.csv: imported 1 log entry: 0 new, 1 updated, 0 unchanged"), "{said}");
    assert!(said.contains("reassigned.csv: imported 1 log entry: 0 new, 0 updated, 1 unchanged"), "{said}");
    assert!(said.contains("edited.csv: imported 1 log entry: 0 new, 1 updated, 0 unchanged"), "{said}");
    assert!(said.contains("edited.csv: imported 1 log entry: 0 new, 0 updated, 1 unchanged"), "{said}");
    assert!(said.lines().any(|l| l.contains("2026-11-03") && l.contains("Walked through renewal")), "{said}");
    assert!(
        said.lines().any(|l| l.contains("2026-11-03") && l.contains("Maya Patel") && l.contains("Ümit Dvořák")),
        "{said}"
    );
    let on_five = "account_id = (SELECT id FROM accounts WHERE external_id = 'CRM-0005') AND title = 'Budget cut'";
    assert_eq!(db.count(&format!("SELECT count(*) FROM entries WHERE {on_five} AND closed_on = '2026-11-20'")), 2);
    assert_eq!(db.count(&format!("SELECT count(*) FROM entries WHERE {on_five}")), 2);
    assert_eq!(db.count("SELECT count(*) FROM entries WHERE note = 'worried'"), 2);

    // A CSM imports onto their own accounts; a file naming another's is refused whole, in words.
    let maya = format!("maya_im_{}", std::process::id());
    let (ok, _, err) = tend(dir, &["--db", &db.url, "db", "grant", &maya, "csm", "--csm", "Maya Patel"]);
    assert!(ok, "{err}");
    let url = db.url.replacen("://postgres@", &format!("://{maya}@"), 1);
    let own = file("own.csv", "Account,Name,Email,Role\nCRM-0008,Cy Diaz,cy@c8.com,user\n");
    let (ok, out, err) = tend(dir, &["--db", &url, "import", "contacts", &own]);
    assert!(ok && out.contains("imported 1 contact") && !out.contains("Signed as"), "{out}{err}");
    let mine = file("mine.csv", "Account,Kind,Date,Score,By\nCRM-0008,sentiment,2026-11-20,6,Ben Okafor\n");
    let (ok, out, err) = tend(dir, &["--db", &url, "import", "logs", &mine]);
    assert!(ok && out.contains("Signed as Maya Patel, who imported them"), "{out}{err}");
    assert_eq!(
        db.count("SELECT count(*) FROM entries e JOIN csms c ON c.id = e.csm_id WHERE c.name = 'Maya Patel' AND e.day = '2026-11-20' AND e.score = 6"),
        1,
        "signed as the CSM who imported it, not as the file says"
    );
    let theirs = file(
        "theirs.csv",
        "Account,Name,Email,Role\nCRM-0012,Di Fox,di@c12.com,user\nCRM-0001,Ed Gray,ed@c1.com,user\n",
    );
    let before = db.count("SELECT count(*) FROM contacts");
    let (ok, out, err) = tend(dir, &["--db", &url, "import", "contacts", &theirs]);
    assert!(
        !ok && err.contains("theirs.csv:3: column \"Account\": value \"CRM-0001\": Company 1 is Ben Okafor's account: a CSM imports onto their own accounts only"),
        "{out}{err}"
    );
    assert_eq!(db.count("SELECT count(*) FROM contacts"), before);
    // A CSM's export of the whole team's timeline imports back: rows on others' accounts that
    // change nothing are fine; a new one there is refused.
    let exported = dir.join("team_logs.csv");
    let (ok, _, err) = tend(dir, &["--db", &url, "export", "logs", "--output", exported.to_str().unwrap()]);
    assert!(ok, "{err}");
    let entries = db.count("SELECT count(*) FROM entries");
    let (ok, out, err) = tend(dir, &["--db", &url, "import", "logs", exported.to_str().unwrap()]);
    assert!(ok && out.contains(" 0 new, 0 updated,") && !out.contains("Signed as"), "{out}{err}");
    let changed = file("changed_logs.csv", "account,kind,date,score\nCRM-0001,sentiment,2026-11-20,4\n");
    let (ok, out, err) = tend(dir, &["--db", &url, "import", "logs", &changed]);
    assert!(
        !ok && err.contains("changed_logs.csv:2: column \"account\"") && err.contains("Ben Okafor's account"),
        "{out}{err}"
    );
    assert_eq!(db.count("SELECT count(*) FROM entries"), entries);
    // So do the team's contacts, tasks, milestones and goals: a row on another's account that changes
    // nothing is fine; one that would change something there refuses the file, in words.
    let others: Vec<String> = db
        .client()
        .query("SELECT a.external_id FROM accounts a JOIN csms c ON c.id = a.csm_id WHERE c.name <> 'Maya Patel'", &[])
        .unwrap()
        .iter()
        .map(|r| format!("{},", r.get::<_, String>(0)))
        .collect();
    let others_row =
        |text: &str| text.lines().find(|l| others.iter().any(|o| l.starts_with(o.as_str()))).map(str::to_string);
    for what in ["contacts", "tasks", "milestones", "goals"] {
        let exported = dir.join(format!("team_{what}.csv"));
        let (ok, _, err) = tend(dir, &["--db", &url, "export", what, "--output", exported.to_str().unwrap()]);
        assert!(ok, "{err}");
        let text = std::fs::read_to_string(&exported).unwrap();
        assert!(others_row(&text).is_some(), "{what}: another's rows in the export: {text}");
        let (ok, out, err) = tend(dir, &["--db", &url, "import", what, exported.to_str().unwrap()]);
        assert!(ok && out.contains(" 0 new, 0 updated,"), "{what}: {out}{err}");
    }
    let text = std::fs::read_to_string(dir.join("team_contacts.csv")).unwrap();
    let theirs = others_row(&text).unwrap();
    let key = theirs.split(',').next().unwrap().to_string();
    let changed_row = theirs.replacen(&format!("{key},"), &format!("{key},Zed "), 1);
    let theirs_changed = file("theirs_changed.csv", &format!("{text}{changed_row}\n"));
    let contacts = db.count("SELECT count(*) FROM contacts");
    let (ok, out, err) = tend(dir, &["--db", &url, "import", "contacts", &theirs_changed]);
    assert!(
        !ok && err.contains(&format!("value \"{key}\"")) && err.contains("a CSM imports onto their own accounts only"),
        "{out}{err}"
    );
    assert_eq!(db.count("SELECT count(*) FROM contacts"), contacts);
    let (ok, out, err) = tend(dir, &["--db", &url, "import", "metrics", &own]);
    assert!(!ok && err.contains("takes an importer or a lead"), "{out}{err}");
}

/// Playbooks after a write to a team book: they decide on the book as written and open their
/// tasks on the team book, in the write's batch (one undo takes both), as on a file.
#[test]
fn playbooks_fire_after_a_write_to_a_team_book_as_on_its_file() {
    let Some(db) = TeamDb::new("playbooks") else { return };
    let book = CrmBook::new(20);
    let dir = book.dir.path();
    let (ok, _, err) = tend(dir, &["db", "copy", "--from", book.path.to_str().unwrap(), "--to", &db.url]);
    assert!(ok, "{err}");
    let config = book.file(
        "playbooks.toml",
        "[[playbooks]]\nname = \"Risk review\"\ntrigger = \"risk\"\ntasks = [{ title = \"Review the risk with the lead\", due_days = 2 }]\n",
    );
    let said = same_on_both(
        &book,
        &db,
        &[
            &["--config", &config, "log", "risk", "CRM-0004", "Budget cut"],
            &["--config", &config, "task", "list", "--all"],
            &["--config", &config, "undo"],
            &["--config", &config, "task", "list", "--all"],
            &["--config", &config, "log", "risk", "CRM-0005", "Champion left"],
        ],
    );
    assert!(said[0].1.contains("Risk review"), "{said:#?}");
    assert!(said[1].1.contains("Review the risk with the lead"), "{said:#?}");
    assert!(!said[3].1.contains("Review the risk with the lead"), "undone with its write: {said:#?}");
    assert_eq!(
        db.count("SELECT count(*) FROM tasks WHERE playbook = 'Risk review' AND deleted_at IS NULL"),
        1,
        "the second risk's task"
    );
    // The episodes the playbooks keep, as the file keeps them.
    let conn = rusqlite::Connection::open(&book.path).unwrap();
    let on_file: i64 =
        conn.query_row("SELECT count(*) FROM playbook_episodes WHERE ended_on IS NULL", [], |r| r.get(0)).unwrap();
    assert!(on_file > 0);
    assert_eq!(db.count("SELECT count(*) FROM playbook_episodes WHERE ended_on IS NULL"), on_file);
}

/// The storage seam's one transactional writer: the same task writes on a book file and on its
/// team book say the same, refuse the same, and leave the same tasks and undo log behind.
#[test]
fn task_writes_do_the_same_on_a_team_book_as_on_its_file() {
    let Some(db) = TeamDb::new("task_write") else { return };
    let book = lived_in_book();
    let dir = book.dir.path();
    let (ok, _, err) = tend(dir, &["db", "copy", "--from", book.path.to_str().unwrap(), "--to", &db.url]);
    assert!(ok, "{err}");
    let (mut done, mut refused, mut said) = (0, 0, Vec::new());
    for args in [
        &["task", "add", "CRM-0001", "Send the QBR deck", "--due", "fri", "--owner", "maya"][..],
        &["task", "add", "crm-0002", "Renewal quote", "--due", "-3d", "--note", "tabs\tand\nlines"],
        &["task", "add", "CRM-0014", "Ask about Zürich", "--due", "+2w", "--owner", "Ben Okafor", "--by", "ben"],
        &["task", "add", "Nobody Such", "Call", "--due", "fri"],
        &["task", "add", "CRM-0003", "Call", "--due", "fri", "--owner", "Mya Patel"],
        &["task", "add", "CRM-0003", "  ", "--due", "fri"],
        &["task", "done", "Send the QBR"],
        &["task", "done", "send the qbr deck"],
        &["task", "done", "Renewal quote", "--date", "+2d"],
        &["task", "drop", "Renewal quote", "--note", "they signed early"],
        &["task", "reopen", "Renewal quote"],
        &["task", "reopen", "Renewal quote"],
        &["task", "done", "Ask about", "--account", "CRM-0002"],
        &["task", "delete", "Ask about Zürich"],
        &["task", "delete", "Ask about Zürich"],
        &["task", "done", "Book the QBR", "--date", "-1d", "--by", "Maya Patel"],
        &["task", "done", "Book the QBR", "--by", "Maya Patel"],
        &["undo"],
        &["undo"],
        &["undo", "999"],
        &["task", "list", "--all", "--format", "json"],
    ] {
        let from_file = without_undo_note(tend_on(&book.path, args));
        let mut on_team = vec!["--db", db.url.as_str()];
        on_team.extend_from_slice(args);
        let from_team = tend(dir, &on_team);
        assert_eq!(from_file, from_team, "tend {args:?}: the file's answer, then the team book's");
        said.push(format!("{args:?}: {}{}", from_file.1, from_file.2));
        done += usize::from(from_file.0);
        refused += usize::from(!from_file.0);
    }
    // A change made on the file before the copy is no member's to undo: refused, saying so.
    let (ok, _, err) = tend(dir, &["--db", &db.url, "undo", "4"]);
    assert!(!ok && err.contains("is not yours to undo (made before this book was a team book"), "{err}");
    // One of this test's own changes by its number: the same answer on both (a later change
    // to the same task stands, so it is refused the same way).
    let conn = rusqlite::Connection::open(&book.path).unwrap();
    let first: i64 = conn
        .query_row("SELECT min(id) FROM changes WHERE summary LIKE 'task \"Send the QBR deck\" added%'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let (from_file, from_team) =
        (tend_on(&book.path, &["undo", &first.to_string()]), tend(dir, &["--db", &db.url, "undo", &first.to_string()]));
    assert_eq!(from_file, from_team);
    assert!(!from_file.0 && from_file.2.contains("came after it"), "{from_file:?}");
    assert!(said.iter().filter(|l| l.contains("Undone: ")).count() >= 2, "{said:#?}");
    assert!(done >= 9 && refused >= 9, "writes done and refused: {done}, {refused}: {said:#?}");
    // Every table's rows the same, the undo log's save for when each change was made.
    let file_tasks: Vec<String> = conn
        .prepare("SELECT id, account_id, csm_id, owner_id, title, due, status, closed_on, note, deleted_at IS NULL FROM tasks ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok(format!("{:?}", (r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, Option<i64>>(2)?, r.get::<_, Option<i64>>(3)?, r.get::<_, String>(4)?, r.get::<_, String>(5)?, r.get::<_, String>(6)?, r.get::<_, Option<String>>(7)?, r.get::<_, String>(8)?, r.get::<_, bool>(9)?))))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let team_tasks: Vec<String> = db
        .client()
        .query("SELECT id, account_id, csm_id, owner_id, title, due, status, closed_on, note, deleted_at IS NULL FROM tasks ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| format!("{:?}", (r.get::<_, i64>(0), r.get::<_, i64>(1), r.get::<_, Option<i64>>(2), r.get::<_, Option<i64>>(3), r.get::<_, String>(4), r.get::<_, String>(5), r.get::<_, String>(6), r.get::<_, Option<String>>(7), r.get::<_, String>(8), r.get::<_, bool>(9))))
        .collect();
    assert_eq!(file_tasks, team_tasks);
    let changes =
        "SELECT entity, entity_id, action, summary, before IS NULL OR undone_at IS NULL FROM changes ORDER BY id";
    let file_changes: Vec<String> = conn
        .prepare(changes)
        .unwrap()
        .query_map([], |r| {
            Ok(format!(
                "{:?}",
                (
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, bool>(4)?
                )
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let team_changes: Vec<String> = db
        .client()
        .query(changes, &[])
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{:?}",
                (
                    r.get::<_, String>(0),
                    r.get::<_, i64>(1),
                    r.get::<_, String>(2),
                    r.get::<_, String>(3),
                    r.get::<_, bool>(4)
                )
            )
        })
        .collect();
    assert_eq!(file_changes, team_changes);
    // The row undo would put back reads the same from either engine's JSON.
    let before = "SELECT before FROM changes WHERE entity = 'task' AND action = 'delete'";
    let file_before: String = conn.query_row(before, [], |r| r.get(0)).unwrap();
    let team_before: String = db.client().query_one(before, &[]).unwrap().get(0);
    let as_map = |json: &str| serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(json).unwrap();
    let (mut f, mut t) = (as_map(&file_before), as_map(&team_before));
    for stamp in ["logged_at", "deleted_at"] {
        assert!(f.remove(stamp).is_some() && t.remove(stamp).is_some(), "{file_before} / {team_before}");
    }
    assert_eq!(f, t);
}

/// Signed in as a CSM, tend writes tasks on the CSM's own accounts, signed as them; on another
/// CSM's account the database refuses, and tend says so and changes nothing.
#[test]
fn a_csm_signed_in_writes_tasks_on_their_own_accounts_only() {
    let Some(db) = TeamDb::new("task_rls") else { return };
    let book = CrmBook::new(20);
    let dir = book.dir.path();
    let (ok, _, err) = tend(dir, &["db", "copy", "--from", book.path.to_str().unwrap(), "--to", &db.url]);
    assert!(ok, "{err}");
    let maya = format!("maya_t_{}", std::process::id());
    let (ok, _, err) = tend(dir, &["--db", &db.url, "db", "grant", &maya, "csm", "--csm", "Maya Patel"]);
    assert!(ok, "{err}");
    let maya_url = db.url.replacen("://postgres@", &format!("://{maya}@"), 1);
    let external = |csm: &str| -> String {
        db.client()
            .query_one(
                "SELECT a.external_id FROM accounts a JOIN csms c ON c.id = a.csm_id WHERE c.name = $1 ORDER BY a.id LIMIT 1",
                &[&csm],
            )
            .unwrap()
            .get(0)
    };
    let (mine, theirs) = (external("Maya Patel"), external("Ben Okafor"));
    let as_maya = |args: &[&str]| {
        let mut all = vec!["--db", maya_url.as_str()];
        all.extend_from_slice(args);
        tend(dir, &all)
    };
    let tasks = || db.count("SELECT count(*) FROM tasks");
    let changes = || db.count("SELECT count(*) FROM changes");

    let (ok, out, err) = as_maya(&["task", "add", &mine, "Call the sponsor", "--due", "fri"]);
    assert!(ok && out.contains("task \"Call the sponsor\" added"), "{out}{err}");
    let signed = db.count("SELECT csm_id FROM tasks WHERE title = 'Call the sponsor'");
    assert_eq!(signed, db.count("SELECT id FROM csms WHERE name = 'Maya Patel'"));
    assert_eq!(changes(), 1);
    let (ok, out, err) = as_maya(&["task", "done", "Call the sponsor"]);
    assert!(ok && out.contains("done"), "{out}{err}");

    // Not on Ben's account: refused by the database, said by tend, nothing written.
    let (t, c) = (tasks(), changes());
    let (ok, _, err) = as_maya(&["task", "add", &theirs, "Poach the account", "--due", "fri"]);
    assert!(
        !ok && err.contains("is Ben Okafor's account: a CSM adds tasks only on their own accounts, or for themselves (--owner \"Maya Patel\")"),
        "{err}"
    );
    assert!(err.contains("nothing was changed"), "{err}");
    assert_eq!((tasks(), changes()), (t, c));
    // Nor closing Ben's task, which PostgreSQL would skip silently.
    let ben_task = {
        let (ok, _, err) = tend(dir, &["--db", &db.url, "task", "add", &theirs, "Ben's quote", "--due", "fri"]);
        assert!(ok, "{err}");
        db.count("SELECT id FROM tasks WHERE title = 'Ben''s quote'").to_string()
    };
    let (t, c) = (tasks(), changes());
    for args in [&["task", "done", ben_task.as_str()][..], &["task", "delete", &ben_task]] {
        let (ok, _, err) = as_maya(args);
        assert!(
            !ok && err.contains("(\"Ben's quote\") is not yours to change:")
                && err.contains("is Ben Okafor's account, and the task is for Ben Okafor"),
            "{args:?}: {err}"
        );
    }
    assert_eq!((tasks(), changes()), (t, c));
    assert_eq!(db.count(&format!("SELECT count(*) FROM tasks WHERE id = {ben_task} AND status = 'open'")), 1);
    // A task Maya is owner of on Ben's account is hers to close.
    let (ok, _, err) =
        tend(dir, &["--db", &db.url, "task", "add", &theirs, "Maya's intro", "--due", "fri", "--owner", "Maya Patel"]);
    assert!(ok, "{err}");
    let (ok, out, err) = as_maya(&["task", "done", "Maya's intro"]);
    assert!(ok && out.contains("done"), "{out}{err}");
    // Undo takes back her own changes only: the last of hers, whatever others wrote since; the
    // list shows hers alone; another's change by its number is refused and changes nothing.
    let (ok, out, err) = as_maya(&["undo", "--list", "--format", "csv"]);
    assert!(ok && out.contains("Maya's intro") && !out.contains("Ben's quote"), "{out}{err}");
    let (ok, out, err) = tend(dir, &["--db", &db.url, "task", "add", &theirs, "Owner's late task", "--due", "fri"]);
    assert!(ok, "{out}{err}");
    let (ok, out, err) = as_maya(&["undo"]);
    assert!(ok && out.contains("Undone:") && out.contains("Maya's intro"), "{out}{err}");
    assert_eq!(db.count("SELECT count(*) FROM tasks WHERE title = 'Maya''s intro' AND status = 'open'"), 1);
    assert_eq!(db.count("SELECT count(*) FROM tasks WHERE title = 'Owner''s late task' AND deleted_at IS NULL"), 1);
    let bens_change = db.count("SELECT min(id) FROM changes WHERE summary LIKE '%Ben''s quote%'").to_string();
    let (t, c) = (tasks(), db.count("SELECT count(*) FROM changes WHERE undone_at IS NULL"));
    let (ok, _, err) = as_maya(&["undo", &bens_change]);
    assert!(!ok && err.contains("each member undoes their own changes"), "{err}");
    assert_eq!((tasks(), db.count("SELECT count(*) FROM changes WHERE undone_at IS NULL")), (t, c));
    assert_eq!(db.count(&format!("SELECT count(*) FROM tasks WHERE id = {ben_task} AND deleted_at IS NULL")), 1);
    // Nor can she write a change into another's sessions, for their undo to meet.
    let spoofed = db.client_as(&maya).execute(
        "INSERT INTO changes (session, entity, entity_id, action, batch, summary) VALUES ('cli-postgres-1-1', 'task', 1, 'add', 'b', 'x')",
        &[],
    );
    assert!(spoofed.is_err());
    // Logging as Maya: on her account, signed as her, what it did to the score said, undone; on
    // Ben's, refused in words and nothing written.
    let entries = || db.count("SELECT count(*) FROM entries WHERE deleted_at IS NULL");
    let (ok, out, err) = as_maya(&["log", "sentiment", &mine, "3", "--note", "budget freeze"]);
    assert!(ok && out.contains("sentiment 3/10 logged") && out.contains("CSM sentiment"), "{out}{err}");
    assert_eq!(
        db.count("SELECT csm_id FROM entries WHERE note = 'budget freeze'"),
        db.count("SELECT id FROM csms WHERE name = 'Maya Patel'")
    );
    assert_eq!(
        db.count(&format!(
            "SELECT count(*) FROM history_stale s JOIN accounts a ON a.id = s.account_id WHERE a.external_id = '{mine}'"
        )),
        1
    );
    let (n, c) = (entries(), changes());
    let (ok, _, err) = as_maya(&["log", "touch", &theirs, "call"]);
    assert!(!ok && err.contains("is Ben Okafor's account: a CSM logs only on their own accounts"), "{err}");
    assert_eq!((entries(), changes()), (n, c));
    let (ok, out, err) = as_maya(&["undo"]);
    assert!(ok && out.contains("Undone:") && out.contains("sentiment 3/10 logged"), "{out}{err}");
    assert_eq!(entries(), n - 1);
    // Nor may a lead undo her change by its number (the database would let a lead write the log).
    let lee = format!("lee_t_{}", std::process::id());
    let (ok, _, err) = tend(dir, &["--db", &db.url, "db", "grant", &lee, "lead", "--csm", "Liam Chen"]);
    assert!(ok, "{err}");
    let (ok, _, err) = as_maya(&["log", "touch", &mine, "call"]);
    assert!(ok, "{err}");
    let hers = db.count("SELECT max(id) FROM changes").to_string();
    let lee_url = db.url.replacen("://postgres@", &format!("://{lee}@"), 1);
    let (ok, _, err) = tend(dir, &["--db", &lee_url, "undo", &hers]);
    assert!(!ok && err.contains(&format!("is not yours to undo (made by {maya})")), "{err}");
    assert_eq!(db.count(&format!("SELECT count(*) FROM changes WHERE id = {hers} AND undone_at IS NULL")), 1);
    let (ok, _, err) = as_maya(&["goal", "add", &theirs, "Win them back"]);
    assert!(!ok && err.contains("is Ben Okafor's account: a CSM sets goals only on their own accounts"), "{err}");
    let (ok, _, err) = as_maya(&["override", &theirs, "red", "--reason", "I say so"]);
    assert!(!ok && err.contains("is Ben Okafor's account: a CSM overrides bands only on their own accounts"), "{err}");
    let (ok, _, err) = tend(dir, &["--db", &db.url, "override", &theirs, "green", "--reason", "Lead knows"]);
    assert!(ok, "{err}");
    let (ok, _, err) = as_maya(&["override", &theirs, "clear"]);
    assert!(!ok && err.contains("a CSM overrides bands only on their own accounts"), "{err}");
    assert_eq!(db.count("SELECT count(*) FROM band_overrides WHERE reason = 'Lead knows' AND cleared_on IS NULL"), 1);
    let (ok, out, err) = as_maya(&["override", &mine, "orange", "--reason", "Budget freeze"]);
    assert!(ok && out.contains("band set to Orange until"), "{out}{err}");
    let (ok, _, err) = as_maya(&["contact", "add", &theirs, "Spy Vee"]);
    assert!(!ok && err.contains("is Ben Okafor's account: a CSM adds people only on their own accounts"), "{err}");
    let (ok, out, err) = as_maya(&["contact", "add", &mine, "Dee Cee", "--role", "champion"]);
    assert!(ok && out.contains("contact Dee Cee (champion) added"), "{out}{err}");
    let (ok, out, err) = as_maya(&["goal", "add", &mine, "Go live in March"]);
    assert!(ok && out.contains("goal set (on track)"), "{out}{err}");

    // One who may connect but is not on the team is told so, not shown an empty book.
    let outsider = format!("outsider_{}", std::process::id());
    db.client()
        .batch_execute(&format!("CREATE ROLE {outsider} LOGIN; GRANT CONNECT ON DATABASE {} TO {outsider}", db.name))
        .unwrap();
    let outsider_url = db.url.replacen("://postgres@", &format!("://{outsider}@"), 1);
    let (ok, out, err) = tend(dir, &["--db", &outsider_url, "task", "list"]);
    assert!(!ok && err.contains("is not on its team") && err.contains("tend db grant"), "{out}{err}");
    db.client()
        .batch_execute(&format!("REVOKE CONNECT ON DATABASE {} FROM {outsider}; DROP ROLE {outsider}", db.name))
        .unwrap();
    // Signing as someone else is refused rather than ignored.
    let (ok, _, err) = as_maya(&["task", "add", &mine, "As Ben", "--due", "fri", "--by", "Ben Okafor"]);
    assert!(!ok && err.contains("signed by the CSM you sign in as (Maya Patel)"), "{err}");
}

/// Many at once: twenty processes writing tasks on one team book (CSMs on their own accounts and
/// a lead on any), six logging sentiments, an importer bringing 2,000 accounts in, reports
/// reading the whole book and others the task list, in a bounded loop: nothing lost, nothing
/// refused as locked, every count adds up, the import lands whole, every read is whole.
#[test]
fn twenty_writers_loggers_an_import_and_readers_at_once_lose_nothing() {
    let Some(db) = TeamDb::new("many") else { return };
    let book = CrmBook::new(40);
    let dir = book.dir.path();
    let (ok, _, err) = tend(dir, &["db", "copy", "--from", book.path.to_str().unwrap(), "--to", &db.url]);
    assert!(ok, "{err}");
    let pid = std::process::id();
    let (maya, ben, lee) = (format!("maya_m_{pid}"), format!("ben_m_{pid}"), format!("lee_m_{pid}"));
    for (role, kind, csm) in [(&maya, "csm", "Maya Patel"), (&ben, "csm", "Ben Okafor"), (&lee, "lead", "Liam Chen")] {
        let (ok, _, err) = tend(dir, &["--db", &db.url, "db", "grant", role, kind, "--csm", csm]);
        assert!(ok, "{err}");
    }
    let url_of = |role: &str| db.url.replacen("://postgres@", &format!("://{role}@"), 1);
    let owned = |csm: &str| -> Vec<String> {
        db.client()
            .query(
                "SELECT a.external_id FROM accounts a JOIN csms c ON c.id = a.csm_id WHERE c.name = $1 ORDER BY a.id",
                &[&csm],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    };
    let (mayas, bens) = (owned("Maya Patel"), owned("Ben Okafor"));
    assert!(!mayas.is_empty() && !bens.is_empty());
    // An importer brings 2,000 new accounts in meanwhile.
    let etl = format!("etl_m_{pid}");
    let (ok, _, err) = tend(dir, &["--db", &db.url, "db", "grant", &etl, "importer"]);
    assert!(ok, "{err}");
    let new_accounts = dir.join("new");
    std::fs::create_dir(&new_accounts).unwrap();
    let file = common::crm_file(&new_accounts, 2000);
    std::fs::write(&file, std::fs::read_to_string(&file).unwrap().replace("CRM-", "NEW-")).unwrap();
    let (tasks_before, changes_before, entries_before) = (
        db.count("SELECT count(*) FROM tasks"),
        db.count("SELECT count(*) FROM changes"),
        db.count("SELECT count(*) FROM entries"),
    );
    let accounts_before = db.count("SELECT count(*) FROM accounts");
    let imported = std::sync::Mutex::new(String::new());
    let reports = std::sync::atomic::AtomicUsize::new(0);
    const LOGGERS: usize = 6;
    const WRITERS: usize = 20;
    const EACH: usize = 4;
    let reads = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for w in 0..WRITERS {
            let (role, accounts) = match w % 3 {
                0 => (&maya, &mayas),
                1 => (&ben, &bens),
                // The lead on Ben's accounts: a lead writes everywhere.
                _ => (&lee, &bens),
            };
            let (url, failures) = (url_of(role), &failures);
            s.spawn(move || {
                for i in 0..EACH {
                    let account = &accounts[(w + i) % accounts.len()];
                    let title = format!("w{w} t{i}");
                    let (ok, _, err) = tend(dir, &["--db", &url, "task", "add", account, &title, "--due", "fri"]);
                    if !ok {
                        failures.lock().unwrap().push(format!("{role} add {title}: {err}"));
                    }
                    // Every other one closed again at once: an update among the inserts.
                    if i % 2 == 1 {
                        let (ok, _, err) = tend(dir, &["--db", &url, "task", "done", &title]);
                        if !ok {
                            failures.lock().unwrap().push(format!("{role} done {title}: {err}"));
                        }
                    }
                }
            });
        }
        // Sentiments logged, each CSM on their own accounts.
        for l in 0..LOGGERS {
            let (role, accounts) = if l % 2 == 0 { (&maya, &mayas) } else { (&ben, &bens) };
            let (url, failures) = (url_of(role), &failures);
            s.spawn(move || {
                for i in 0..EACH {
                    let account = &accounts[(l + i) % accounts.len()];
                    let score = (1 + (l + i) % 10).to_string();
                    let (ok, _, err) = tend(dir, &["--db", &url, "log", "sentiment", account, &score]);
                    if !ok {
                        failures.lock().unwrap().push(format!("{role} log {account}: {err}"));
                    }
                }
            });
        }
        {
            let (url, failures, imported, file) = (url_of(&etl), &failures, &imported, &file);
            s.spawn(move || {
                let (ok, out, err) = tend(dir, &["--db", &url, "import", "accounts", file.to_str().unwrap()]);
                match ok {
                    true => *imported.lock().unwrap() = out,
                    false => failures.lock().unwrap().push(format!("import: {err}")),
                }
            });
        }
        // Reports read the whole book (a snapshot, one consistent view) while all that goes on.
        for _ in 0..2 {
            let (url, failures, reports) = (url_of(&maya), &failures, &reports);
            s.spawn(move || {
                for _ in 0..2 {
                    let (ok, out, err) = tend(dir, &["--db", &url, "report", "triage", "--format", "json"]);
                    match serde_json::from_str::<serde_json::Value>(&out) {
                        Ok(_) if ok => {
                            reports.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                        _ => failures.lock().unwrap().push(format!("report: {out}{err}")),
                    }
                }
            });
        }
        for _ in 0..3 {
            let (url, failures, reads) = (url_of(&maya), &failures, &reads);
            s.spawn(move || {
                for _ in 0..EACH {
                    let (ok, out, err) = tend(dir, &["--db", &url, "task", "list", "--all", "--format", "json"]);
                    match serde_json::from_str::<serde_json::Value>(&out) {
                        Ok(serde_json::Value::Array(_)) if ok => {
                            reads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                        _ => failures.lock().unwrap().push(format!("list: {out}{err}")),
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(reads.into_inner(), 3 * EACH);
    assert_eq!(reports.into_inner(), 4);
    let added = (WRITERS * EACH) as i64;
    let closed = (WRITERS * EACH / 2) as i64;
    let logged = (LOGGERS * EACH) as i64;
    assert_eq!(db.count("SELECT count(*) FROM tasks") - tasks_before, added);
    assert_eq!(db.count("SELECT count(*) FROM tasks WHERE title LIKE 'w%' AND status = 'done'"), closed);
    assert_eq!(db.count("SELECT count(*) FROM entries") - entries_before, logged);
    assert_eq!(db.count("SELECT count(*) FROM changes") - changes_before, added + closed + logged);
    // The import landed whole beside them: every account, and the milestones it said it planned.
    let imported = imported.into_inner().unwrap();
    assert!(imported.contains("2,000 new"), "{imported}");
    assert_eq!(db.count("SELECT count(*) FROM accounts") - accounts_before, 2000);
    let planned: i64 = imported
        .split("planned ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .map(|n| n.replace(',', "").parse().unwrap())
        .unwrap_or(0);
    assert!(planned > 0, "{imported}");
    assert_eq!(
        db.count(
            "SELECT count(*) FROM planned_milestones p JOIN accounts a ON a.id = p.account_id WHERE a.external_id LIKE 'NEW-%'"
        ),
        planned
    );
    // Each signed by its writer's CSM, the lead's included.
    assert_eq!(
        db.count(
            "SELECT count(*) FROM tasks t JOIN accounts a ON a.id = t.account_id
             WHERE t.title LIKE 'w%' AND t.csm_id IS DISTINCT FROM a.csm_id
               AND t.csm_id <> (SELECT id FROM csms WHERE name = 'Liam Chen')"
        ),
        0
    );
}

/// tend run on a team book with `SSL_CERT_FILE` naming the authority to trust (or one that is
/// not there: then no authority this machine has vouches for the test cluster's certificate).
fn tend_trusting(dir: &Path, ca: Option<&str>, args: &[&str]) -> (bool, String, String) {
    let ca = ca.map_or_else(|| dir.join("no-such-ca.pem"), std::path::PathBuf::from);
    common::tend_in_with(
        dir,
        args,
        &[("SSL_CERT_FILE", ca.into_os_string()), ("SSL_CERT_DIR", dir.join("no-such-certs").into_os_string())],
    )
}

/// TLS: a connection asked to use it does, checked against the authority this machine trusts;
/// a server no trusted authority vouches for is refused with what to do. (The test cluster's
/// database `tend_tls` takes TLS connections only, see .ci/postgres.sh: a connection made to it
/// used TLS.)
#[test]
fn tls_is_used_and_a_server_no_trusted_authority_vouches_for_is_refused() {
    let Some(db) = TeamDb::new("tls") else { return };
    let Ok(ca) = std::env::var("TEND_TEST_POSTGRES_CA") else {
        assert!(
            std::env::var_os("TEND_REQUIRE_POSTGRES").is_none(),
            "TEND_REQUIRE_POSTGRES is set but TEND_TEST_POSTGRES_CA is not: no authority to test TLS with"
        );
        let _ = writeln!(std::io::stderr(), "team test tls: skipped: no TEND_TEST_POSTGRES_CA (as .ci/run sets it)");
        return;
    };
    let mut admin = Client::connect(&db.admin, NoTls).unwrap();
    admin.batch_execute("DROP DATABASE IF EXISTS tend_tls WITH (FORCE)").unwrap();
    admin.batch_execute("CREATE DATABASE tend_tls").unwrap();
    let url = format!("{}/tend_tls", db.admin.rsplit_once('/').unwrap().0);
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    // Without TLS the database is closed to us: what works below, works over TLS.
    let (ok, _, err) = tend_trusting(dir, Some(&ca), &["--db", &format!("{url}?sslmode=disable"), "task", "list"]);
    assert!(!ok && err.contains("no encryption"), "{err}");
    // Trusting the authority that signed the server's certificate: the schema made, a list read.
    let required = format!("{url}?sslmode=require");
    let (ok, out, err) = tend_trusting(dir, Some(&ca), &["db", "init", &required]);
    assert!(ok, "{out}{err}");
    let (ok, out, err) = tend_trusting(dir, Some(&ca), &["--db", &url, "task", "list"]);
    assert!(ok && out.contains("no open tasks"), "{out}{err}");
    // Trusting no authority that vouches for it: refused, saying what to do, whether TLS was
    // required or only preferred (a certificate that fails is never passed over in silence).
    for url in [&required, &url] {
        let (ok, _, err) = tend_trusting(dir, None, &["--db", url, "task", "list"]);
        assert!(!ok && err.contains("not signed by an authority this machine trusts"), "{err}");
        assert!(err.contains("SSL_CERT_FILE"), "{err}");
    }
    admin.batch_execute("DROP DATABASE IF EXISTS tend_tls WITH (FORCE)").unwrap();
}

/// `said` without the note a book file's command line adds when it signs as the account's CSM.
fn without_signed_note(said: &str) -> String {
    let mut out = said.to_string();
    while let Some(start) = out.find(" (signed as ") {
        let Some(len) = out[start..].find("signs as you)") else { break };
        out.replace_range(start..start + len + "signs as you)".len(), "");
    }
    out
}

/// Run each command on the book file and on its team book: the same answer from both, refusals
/// included. What each said, for the caller to check.
fn same_on_both(book: &CrmBook, db: &TeamDb, commands: &[&[&str]]) -> Vec<(bool, String)> {
    let dir = book.dir.path();
    commands
        .iter()
        .map(|args| {
            let from_file = without_undo_note(tend_on(&book.path, args));
            let mut on_team = vec!["--db", db.url.as_str()];
            on_team.extend_from_slice(args);
            // A file's command line says when it signs as the account's CSM (no `me`, no
            // `--by`); a team book signs as the member signed in, always: that note alone differs.
            let file_said = (from_file.0, without_signed_note(&from_file.1), from_file.2.clone());
            assert_eq!(file_said, tend(dir, &on_team), "tend {args:?}: the file's answer, then the team book's");
            (from_file.0, format!("{args:?}: {}{}", from_file.1, from_file.2))
        })
        .collect()
}

/// Logging through the seam: the same entries on a book file and its team book say the same,
/// what they did to the score included (the team book's facts read as the file's), refuse the
/// same, and undo the same.
#[test]
fn logging_does_the_same_on_a_team_book_as_on_its_file() {
    let Some(db) = TeamDb::new("logging") else { return };
    let book = lived_in_book();
    let dir = book.dir.path();
    let (ok, _, err) = tend(dir, &["db", "copy", "--from", book.path.to_str().unwrap(), "--to", &db.url]);
    assert!(ok, "{err}");
    let said = same_on_both(
        &book,
        &db,
        &[
            &["log", "sentiment", "CRM-0001", "4", "--note", "worried about budget"],
            &["log", "sentiment", "CRM-0001", "9", "--date", "-3d"],
            &["log", "touch", "CRM-0006", "meeting", "--with", "ana"],
            &["log", "nps", "CRM-0006", "9", "--from", "Ana Ruiz"],
            &["log", "csat", "CRM-0007", "4", "--role", "champion"],
            &["log", "risk", "CRM-0003", "Champion left", "--note", "new VP"],
            &["log", "bug", "CRM-0004", "Export fails", "--closed", "today"],
            &["log", "note", "CRM-0001", "Wants SSO before the renewal"],
            &["log", "note", "CRM-0001", " "],
            &["log", "sentiment", "CRM-0001", "11"],
            &["log", "sentiment", "Nobody Such", "3"],
            &["log", "touch", "CRM-0001", "pigeon"],
            &["log", "touch", "CRM-0001", "call", "--with", "Zed"],
            &["log", "sentiment", "CRM-0002", "5", "--by", "Mya Patel"],
            &["log", "sentiment", "CRM-0002", "5", "--by", "Ben Okafor"],
            &["undo"],
            &["undo"],
            &["task", "add", "CRM-0001", "Call back", "--due", "fri"],
            &["undo"],
            &["goal", "add", "CRM-0021", "Halve the time to first report", "--measure", "days"],
            &["goal", "status", "Halve the time", "at_risk", "--note", "their admin left"],
            &["goal", "status", "Cut onboarding", "off_track"],
            &["goal", "status", "Halve the time", "achieved", "--date", "+1d"],
            &["goal", "add", "CRM-0021", "  "],
            &["goal", "status", "No such goal", "at_risk"],
            &["undo"],
            &["undo"],
            &["goal", "list", "CRM-0021", "--format", "json"],
            &["contact", "add", "CRM-0021", "Bo Lee", "--role", "user", "--email", "bo@c21.com"],
            &["contact", "add", "CRM-0021", "bo lee", "--email", "BO@c21.com"],
            &["contact", "set", "Bo Lee", "--title", "CTO", "--role", "champion"],
            &["contact", "left", "Bo Lee", "--date", "-1d"],
            &["contact", "left", "Bo Lee"],
            &["undo"],
            &["contact", "delete", "Bo Lee"],
            &["undo"],
            &["contact", "list", "CRM-0021", "--format", "json"],
            &["override", "CRM-0021", "red", "--reason", "Exec left", "--until", "+2w"],
            &["override", "CRM-0021", "clear"],
            &["override", "CRM-0021", "clear"],
            &["override", "CRM-0021", "purple", "--reason", "x"],
            &["override", "CRM-0021", "green", "--reason", "  "],
            &["override", "CRM-0007", "yellow", "--reason", "Sponsor back"],
            &["undo"],
            &["log", "list", "CRM-0001"],
            &["log", "list", "crm-0006", "--format", "json"],
            &["log", "list", "CRM-0007", "--format", "csv"],
            &["log", "list", "CRM-0009", "--format", "md"],
            &["log", "list", "CRM-0011"],
            &["log", "list", "CRM-0021"],
            &["log", "list", "Nobody Such"],
        ],
    );
    // Timelines with something on them: entries, an override, a renewal, a churn, a goal.
    let listed = said
        .iter()
        .filter(|(ok, s)| {
            *ok && s.starts_with("[\"log\", \"list\"")
                && ["sentiment", "touch", "renewed", "churned", "override", "goal"].iter().any(|w| s.contains(w))
        })
        .count();
    assert!(listed >= 6, "{said:#?}");
    let scored = said.iter().filter(|(ok, s)| *ok && s.contains(" -> ")).count();
    let refused = said.iter().filter(|(ok, _)| !ok).count();
    let undone = said.iter().filter(|(_, s)| s.contains("Undone: ")).count();
    assert!(scored >= 6 && refused >= 14 && undone == 8, "{scored} {refused} {undone}: {said:#?}");
    // The entries, as the file holds them.
    let entries = "SELECT account_id, csm_id, kind, day, score, channel, title, closed_on, note, role, contact_ids, deleted_at IS NULL FROM entries ORDER BY id";
    let conn = rusqlite::Connection::open(&book.path).unwrap();
    let from_file: Vec<String> = conn
        .prepare(entries)
        .unwrap()
        .query_map([], |r| {
            Ok((0..12)
                .map(|i| match r.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Text(t) => format!("Text({:?})", String::from_utf8_lossy(t)),
                    other => format!("{other:?}"),
                })
                .collect::<Vec<_>>()
                .join("|"))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let from_team: Vec<String> = db
        .client()
        .query(entries, &[])
        .unwrap()
        .iter()
        .map(|r| {
            let text = |i: usize| r.get::<_, Option<String>>(i).map_or("Null".to_string(), |t| format!("Text({t:?})"));
            let int = |i: usize| r.get::<_, Option<i64>>(i).map_or("Null".to_string(), |n| format!("Integer({n})"));
            [int(0), int(1), text(2), text(3), int(4), text(5), text(6), text(7), text(8), text(9), text(10)]
                .into_iter()
                .chain([format!("Integer({})", i64::from(r.get::<_, bool>(11)))])
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    assert_eq!(from_file, from_team);
}

/// The TUI on a team book, as a CSM signed in: it opens on their own book, a sentiment logged
/// from its form is the team book's (signed as them), another member's write is heard and shown
/// with who wrote it, `u` takes back this window's write, a renewal is the team book's, a Triage
/// mark on another's account is refused in words, logging on it is refused before a form is
/// filled in, and a connection the server ends is made again.
#[test]
fn the_tui_on_a_team_book_writes_there_and_hears_the_others() {
    let Some(db) = TeamDb::new("tui") else { return };
    let book = CrmBook::new(20);
    let dir = book.dir.path();
    let pid = std::process::id();
    let (maya, lee) = db.copied_with_maya_and_lee(&book, "u");
    let url_of = |role: &str| db.url.replacen("://postgres@", &format!("://{role}@"), 1);
    let sentiments = |score: i32| {
        db.count(&format!(
            "SELECT count(*) FROM entries e JOIN accounts a ON a.id = e.account_id
             WHERE e.kind = 'sentiment' AND e.score = {score} AND a.name = 'Company 8' AND e.deleted_at IS NULL"
        ))
    };

    let tmux = common::tmux::Tmux { socket: format!("tend-team-{pid}") };
    let bin = env!("CARGO_BIN_EXE_tend");
    tmux.start(100, 30, &format!("{bin} --db {} --as-of {}; sleep 30", url_of(&maya), common::TODAY), dir);
    let first = tmux.wait_for("Maya's book", |s| s.contains("need you today") && s.contains("Maya Patel's book"));
    assert!(first.contains("1 Triage"), "{first}");
    assert!(first.contains(&format!(" {maya}@{} · ", db.name)), "who is signed in to which book: {first}");

    // A sentiment from the account's form: on the team book, signed as Maya.
    tmux.send(&["2", "/"]);
    tmux.send(&["-l", "Company 8"]);
    tmux.send(&["Enter"]);
    tmux.send(&["Enter"]);
    tmux.wait_for("the account", |s| s.contains("CRM-0008") && s.contains("CSM Maya Patel"));
    tmux.send(&["s"]);
    tmux.wait_for("the sentiment form", |s| s.contains("Enter save"));
    tmux.send(&["7", "Tab"]);
    tmux.send(&["-l", "good call"]);
    tmux.send(&["Enter"]);
    tmux.wait_for("the write said", |s| s.contains("sentiment 7/10 logged"));
    assert_eq!(sentiments(7), 1);
    assert_eq!(
        db.count("SELECT csm_id FROM entries WHERE score = 7"),
        db.count("SELECT id FROM csms WHERE name = 'Maya Patel'"),
        "signed as the CSM signed in"
    );

    // Another member writes: heard, pulled, and said with who wrote.
    let (ok, out, err) = tend(dir, &["--db", &url_of(&lee), "log", "sentiment", "Company 8", "3"]);
    assert!(ok, "{out}{err}");
    let heard = tmux.wait_for("the lead's write", |s| updated(s, "Liam Chen wrote to the team book"));
    assert!(heard.replace('\n', " ").contains("wrote to the team book: Company 8."), "the account named: {heard}");
    assert!(heard.contains("3/10"), "the lead's sentiment shown: {heard}");
    // Her own write from the command line is hers, not another member's.
    let (ok, out, err) = tend(dir, &["--db", &url_of(&maya), "log", "touch", "Company 8", "call"]);
    assert!(ok, "{out}{err}");
    tmux.wait_for("her own write elsewhere", |s| updated(s, "you (from another tend) wrote to the team book"));
    // A lead's task on her account moves no facts version: the account is named all the same.
    let (ok, out, err) =
        tend(dir, &["--db", &url_of(&lee), "task", "add", "Company 8", "Send the deck", "--due", "fri"]);
    assert!(ok, "{out}{err}");
    let heard = tmux.wait_for("the lead's task", |s| updated(s, "Liam Chen wrote to the team book"));
    assert!(heard.replace('\n', " ").contains("wrote to the team book: Company 8."), "the account named: {heard}");

    // u takes back this window's write (Maya's 7), not the lead's.
    tmux.send(&["u"]);
    tmux.wait_for("the undo", |s| s.contains("Undone:"));
    assert_eq!((sentiments(7), sentiments(3)), (0, 1));

    // A renewal from its form: on the team book, signed as Maya.
    tmux.send(&["R"]);
    tmux.wait_for("the renewal form", |s| s.contains("Renewed · Company 8"));
    tmux.send(&["Enter"]);
    tmux.wait_for("the renewal said", |s| s.contains("renewed on"));
    assert_eq!(
        db.count(
            "SELECT count(*) FROM contract_events e JOIN accounts a ON a.id = e.account_id
             WHERE a.name = 'Company 8' AND e.kind = 'renewed' AND e.csm_id = (SELECT id FROM csms WHERE name = 'Maya Patel')"
        ),
        1
    );

    // A Triage mark on an account not hers (one that has no CSM, found by the filter): refused
    // by the database, said in words, nothing written.
    tmux.send(&["Escape", "1", "v"]);
    tmux.wait_for("everyone's triage", |s| s.contains("all CSMs"));
    tmux.send(&["/"]);
    tmux.send(&["-l", "Company 11"]);
    tmux.send(&["Enter"]);
    tmux.wait_for("the filtered list", |s| {
        s.lines().skip_while(|l| !l.trim_start().starts_with("Health")).nth(1).is_some_and(|l| l.contains("Company 11"))
    });
    tmux.send(&["h"]);
    let refused = tmux.wait_for("the mark refused", |s| s.replace('\n', " ").contains("nothing was changed"));
    let refused = refused.replace('\n', " ");
    assert!(refused.contains("Company 11 has no CSM: a CSM marks only their own accounts"), "{refused}");
    assert_eq!(db.count("SELECT count(*) FROM triage_marks"), 0);

    // Logging on it is said to be refused before a form is filled in.
    tmux.send(&["Enter"]);
    tmux.wait_for("Company 11", |s| s.contains("CSM unassigned"));
    tmux.send(&["s"]);
    let said = tmux.wait_for("the refusal", |s| s.contains("as a CSM you log only on your own accounts"));
    assert!(said.contains("Company 11 has no CSM") && !said.contains("Enter save"), "{said}");
    // A task she may add there, for herself: the form offers her as its owner.
    tmux.send(&["T"]);
    let form = tmux.wait_for("the task form", |s| s.contains("Enter save"));
    assert!(form.lines().any(|l| l.contains("Owner") && l.contains("Maya Patel")), "{form}");
    tmux.send(&["Escape"]);
    // Closed before the next key: an Esc and a key sent together read as Alt and the key.
    tmux.wait_for("the task form closed", |s| !s.contains("Enter save"));
    // Handing an account over is a lead's: said before a name is typed.
    tmux.send(&["M"]);
    let said = tmux.wait_for("the hand-over refused", |s| s.contains("A lead hands accounts over"));
    assert!(!said.contains("Enter save"), "{said}");

    // The server ends the connections (a restart, a dropped network): tend connects again.
    db.client()
        .batch_execute(&format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{maya}'"))
        .unwrap();
    tmux.wait_for("the reconnect", |s| s.contains("Reconnected to the team book"));

    // Lost while a form is open: the save is refused and said so, what was typed stays; once
    // the book can be reached again the form says Enter saves, and it does.
    tmux.send(&["T"]);
    tmux.wait_for("the task form", |s| s.contains("Enter save"));
    tmux.send(&["-l", "Call back after the outage"]);
    db.client()
        .batch_execute(&format!(
            "ALTER ROLE {maya} NOLOGIN; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{maya}'"
        ))
        .unwrap();
    tmux.send(&["Enter"]);
    let lost = tmux.wait_for("the save refused", |s| s.contains("Not saved: the team book is unreachable"));
    assert!(lost.contains("Call back after the outage") && lost.contains("Enter save"), "the form stays: {lost}");
    db.client().batch_execute(&format!("ALTER ROLE {maya} LOGIN")).unwrap();
    let back = tmux.wait_for("the form told", |s| s.contains("Enter saves what you typed"));
    assert!(back.contains("Call back after the outage"), "{back}");
    tmux.send(&["Enter"]);
    tmux.wait_for("the task saved", |s| s.contains("added"));
    assert_eq!(db.count("SELECT count(*) FROM tasks WHERE title = 'Call back after the outage'"), 1);

    // Her copy of the team book damaged on disk while the screens are open: a save still goes
    // to the team book, and tend says the copy is damaged, not "nothing was changed".
    let kept = std::fs::read_dir(dir.join(".cache/tend/team"))
        .unwrap()
        .map(|e| e.unwrap().path().join("team-book.db"))
        .find(|p| p.is_file())
        .expect("her kept copy");
    {
        use std::io::{Seek, Write};
        let mut file = std::fs::OpenOptions::new().write(true).open(&kept).unwrap();
        let len = file.metadata().unwrap().len();
        for at in (16_384..len).step_by(16_384) {
            file.seek(std::io::SeekFrom::Start(at)).unwrap();
            file.write_all(&[0xa5; 300]).unwrap();
        }
    }
    tmux.send(&["T"]);
    tmux.wait_for("the task form", |s| s.contains("Enter save"));
    tmux.send(&["-l", "After the damage"]);
    tmux.send(&["Enter"]);
    let said = tmux.wait_for("the damage said", |s| s.contains("is damaged")).replace('\n', " ");
    assert!(said.contains("what you saved is in the team book") && !said.contains("nothing was changed"), "{said}");
    assert_eq!(db.count("SELECT count(*) FROM tasks WHERE title = 'After the damage'"), 1);
    tmux.send(&["q"]);
}

/// Wait up to `seconds` for `done` (what a tend behind the screen writes to the team book).
/// Whether the screen says "Updated 14:02:31: WHAT": another writer heard, with the time it was.
fn updated(screen: &str, what: &str) -> bool {
    screen.match_indices("Updated ").any(|(at, _)| {
        let rest = &screen[at + "Updated ".len()..];
        let time = rest.get(..8).unwrap_or_default();
        time.chars().filter(|c| *c == ':').count() == 2
            && time.chars().all(|c| c == ':' || c.is_ascii_digit())
            && rest[8..].starts_with(": ")
            && rest[10..].starts_with(what)
    })
}

fn wait_until(what: &str, seconds: u64, done: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while !done() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(done(), "{what}");
}

/// How many heads are kept under `scope` at their list's write count now: everyone's list
/// counts every write, a CSM's (`csm:name`) those to their accounts and those counted to every
/// list (schema step 5).
fn kept_now(db: &TeamDb, scope: &str) -> i64 {
    let lists = match scope.trim_end_matches("@next") {
        "" => "true".to_string(),
        csm => format!("csm_id = 0 OR csm_id IN (SELECT id FROM csms WHERE 'csm:' || lower(name) = '{csm}')"),
    };
    db.count(&format!(
        "SELECT count(*) FROM triage_heads WHERE scope = '{scope}'
         AND generation = (SELECT coalesce(sum(writes), 0)::bigint FROM book_writes WHERE {lists})"
    ))
}

#[test]
fn a_tend_left_open_keeps_the_next_working_days_list_in_the_team_book() {
    let Some(db) = TeamDb::new("ahead") else { return };
    // A book large enough for tend to work the next day out behind the screen.
    let book = CrmBook::new(5_000);
    let dir = book.dir.path();
    let (maya, lee) = db.copied_with_maya_and_lee(&book, "a");
    db.client().batch_execute("DELETE FROM triage_heads").unwrap();
    let bin = env!("CARGO_BIN_EXE_tend");
    let url = db.url.replacen("://postgres@", &format!("://{maya}@"), 1);
    let pid = std::process::id();

    // Maya's tend, left open on Monday, works Tuesday out in its snapshot and keeps Tuesday's list
    // in the team book.
    let tmux = common::tmux::Tmux { socket: format!("tend-ahead-mon-{pid}") };
    tmux.start(100, 30, &format!("{bin} --db {url} --as-of {}; sleep 30", common::TODAY), dir);
    tmux.wait_for("Monday's Triage", |s| s.contains("need you today") && s.contains("Maya Patel's book"));
    wait_until("Tuesday's list kept at her list's count", 90, || kept_now(&db, "csm:maya patel@next") == 1);
    let day: String =
        db.client().query_one("SELECT day FROM triage_heads WHERE scope = 'csm:maya patel@next'", &[]).unwrap().get(0);
    assert_eq!(day, "2026-11-24");
    tmux.send(&["q"]);

    // Tuesday's first open shows it before it reads the book: with the usage samples locked away
    // (the whole book, read behind it, waits for them).
    let mut admin = db.client();
    let mut lock = admin.transaction().unwrap();
    lock.batch_execute("LOCK TABLE metric_samples IN ACCESS EXCLUSIVE MODE").unwrap();
    let tmux = common::tmux::Tmux { socket: format!("tend-ahead-tue-{pid}") };
    tmux.start(100, 30, &format!("{bin} --db {url} --as-of 2026-11-24; sleep 30"), dir);
    tmux.wait_for("Tuesday's Triage", |s| s.contains("need you today") && s.contains("Maya Patel's book"));
    lock.commit().unwrap();
    tmux.send(&["q"]);

    // A lead's tend left open keeps each member's next list beside his own: Maya's morning is
    // ready though her tend was closed.
    db.client().batch_execute("DELETE FROM triage_heads").unwrap();
    let lees = db.url.replacen("://postgres@", &format!("://{lee}@"), 1);
    let tmux = common::tmux::Tmux { socket: format!("tend-ahead-lead-{pid}") };
    tmux.start(100, 30, &format!("{bin} --db {lees} --as-of {}; sleep 30", common::TODAY), dir);
    tmux.wait_for("the lead's Triage", |s| s.contains("need you today") && s.contains("Liam Chen's book"));
    wait_until("Maya's Tuesday list kept by the lead's tend", 90, || kept_now(&db, "csm:maya patel@next") == 1);
    assert_eq!(kept_now(&db, "csm:liam chen@next"), 1, "and his own");
    tmux.send(&["q"]);
}

#[test]
fn a_csms_kept_list_holds_while_others_write_to_their_own_accounts() {
    let Some(db) = TeamDb::new("scoped") else { return };
    let book = CrmBook::new(20);
    let dir = book.dir.path();
    let (maya, lee) = db.copied_with_maya_and_lee(&book, "s");
    let ben = format!("ben_s_{}", std::process::id());
    let (ok, _, err) = tend(dir, &["--db", &db.url, "db", "grant", &ben, "csm", "--csm", "Ben Okafor"]);
    assert!(ok, "{err}");
    db.client().batch_execute("DELETE FROM triage_heads").unwrap();
    let report = |role: &str, args: &[&str]| {
        let mut all = vec!["report", "triage", "--format", "json"];
        all.extend_from_slice(args);
        let (ok, out, err) = db.tend_as(dir, role, &all);
        assert!(ok, "{err}");
        out
    };
    let run = |role: &str, args: &[&str]| {
        let (ok, out, err) = db.tend_as(dir, role, args);
        assert!(ok, "{args:?}: {err}");
        out
    };
    // Maya's list and everyone's kept, then changed behind tend's back (4242 handled, a count a
    // list of 20 accounts cannot have): a report that says so read the kept head, one that does
    // not worked the list out afresh.
    let keep_both = || {
        report(&maya, &["--csm", "maya patel"]);
        report(&lee, &[]);
        assert_eq!((kept_now(&db, "csm:maya patel"), kept_now(&db, "")), (1, 1));
        db.client()
            .batch_execute(
                r#"UPDATE triage_heads SET body = regexp_replace(body, '"handled":[0-9]+', '"handled":4242')"#,
            )
            .unwrap();
    };
    let mayas_kept = || report(&maya, &["--csm", "maya patel"]).contains("4242");
    let everyones_kept = || report(&lee, &[]).contains("4242");
    keep_both();
    assert!(mayas_kept() && everyones_kept(), "both read as kept");

    // Ben logs and adds a task on his own accounts (Company 9, Company 5): Maya's list holds,
    // everyone's is worked out again.
    run(&ben, &["log", "sentiment", "Company 9", "3", "--note", "quiet"]);
    let bens: i64 = db.count("SELECT id FROM csms WHERE name = 'Ben Okafor'");
    assert_eq!(db.count(&format!("SELECT count(*) FROM book_writes WHERE tbl = 'entries' AND csm_id = {bens}")), 1);
    assert!(mayas_kept(), "another CSM's write to his own account leaves Maya's list as it was");
    assert!(!everyones_kept(), "everyone's list sees every write");
    run(&ben, &["task", "add", "Company 5", "Send the deck", "--due", "fri"]);
    assert!(mayas_kept(), "his task on his own account too");

    // A lead's write counts to the list of the account's CSM (schema step 5): on Ben's account it
    // leaves Maya's list as it was, on hers it does not; a lead's change to the book's rules (a
    // CSM renamed) counts to every list.
    run(&lee, &["log", "touch", "Company 9", "call", "--note", "with Ben"]);
    assert!(mayas_kept(), "a lead's write to Ben's account leaves Maya's list as it was");
    run(&lee, &["log", "touch", "Company 8", "call", "--note", "with Maya"]);
    assert!(!mayas_kept(), "a lead's write to her account makes Maya's list worked out again");
    keep_both();
    db.client_as(&lee).batch_execute("UPDATE csms SET name = 'Ben O. Okafor' WHERE name = 'Ben Okafor'").unwrap();
    assert!(!mayas_kept(), "a CSM renamed counts to every list");
    db.client_as(&lee).batch_execute("UPDATE csms SET name = 'Ben Okafor' WHERE name = 'Ben O. Okafor'").unwrap();

    // A task Ben owns on Maya's account, added by the lead: when Ben closes it (his to close),
    // Maya's list is worked out again.
    run(&lee, &["task", "add", "Company 8", "Ben's follow-up", "--due", "fri", "--owner", "Ben Okafor"]);
    keep_both();
    assert!(mayas_kept());
    run(&ben, &["task", "done", "Ben's follow-up"]);
    assert!(!mayas_kept(), "Ben's task on Maya's account is a write to her list");
    // The writer's kind each row's count reads is noted afresh by every statement: one a member
    // set by hand does not hide the write.
    keep_both();
    db.client_as(&ben)
        .batch_execute("SET tend.kind = 'importer'; UPDATE tasks SET note = 'by hand' WHERE title = 'Ben''s follow-up'")
        .unwrap();
    assert!(!mayas_kept(), "counted whatever the member set");

    // Her own write, of course.
    keep_both();
    run(&maya, &["log", "sentiment", "Company 8", "7", "--note", "better"]);
    assert!(!mayas_kept(), "her own write");

    // Counts folded by table and list keep every list's count.
    keep_both();
    run(&ben, &["log", "sentiment", "Company 9", "4", "--note", "steady"]);
    // Writes of the last week are not folded (a member's snapshot finds the latest it saw).
    let rows = db.count("SELECT count(*) FROM book_writes");
    db.client_as(&lee).batch_execute("SELECT tend_fold_writes()").unwrap();
    assert_eq!(db.count("SELECT count(*) FROM book_writes"), rows, "a week's writes stay as they are");
    db.client().batch_execute("UPDATE book_writes SET at = at - interval '8 days'").unwrap();
    db.client_as(&lee).batch_execute("SELECT tend_fold_writes()").unwrap();
    assert!(
        db.count("SELECT count(*) FROM book_writes")
            == db.count("SELECT count(*) FROM (SELECT DISTINCT tbl, csm_id FROM book_writes) d")
    );
    assert!(mayas_kept(), "folding changed no list's count");

    // A CSM's triage report is their own list unless they ask for another's; `--csm all` is
    // everyone's, `--csm me` their own.
    let own = report(&maya, &[]);
    assert!(own.contains("CSM Maya Patel"), "{own}");
    assert_eq!(report(&maya, &["--csm", "me"]), own);
    let all = report(&maya, &["--csm", "all"]);
    assert!(all.contains("Triage as of") && !all.contains("CSM Maya Patel"), "{all}");
    assert!(!report(&lee, &[]).contains("CSM Liam Chen"), "a lead's is everyone's");
    // On a book file, `me` comes from the config.
    let (ok, _, err) = tend_on_book(dir, &book.path, &["report", "triage", "--csm", "me"]);
    assert!(
        !ok && err.contains("--csm me: no CSM is you here (on a book file, set `me = \"Your Name\"` in the config"),
        "{err}"
    );

    // The TUI keeps the list it opens on as its own Triage marks change it (the lead's: Liam
    // Chen's), at the list's count after the mark.
    db.client().batch_execute("DELETE FROM triage_heads").unwrap();
    let handled = || {
        db.count(r#"SELECT count(*) FROM triage_heads WHERE scope = 'csm:liam chen' AND body LIKE '%"handled":1,%'"#)
    };
    let url = db.url.replacen("://postgres@", &format!("://{lee}@"), 1);
    let tmux = common::tmux::Tmux { socket: format!("tend-scoped-{}", std::process::id()) };
    let bin = env!("CARGO_BIN_EXE_tend");
    tmux.start(100, 30, &format!("{bin} --db {url} --as-of {}; sleep 30", common::TODAY), dir);
    tmux.wait_for("Triage", |s| s.contains("need you today") && s.contains("Liam Chen's book"));
    wait_until("the open keeps the lead's list", 10, || kept_now(&db, "csm:liam chen") == 1);
    assert_eq!(handled(), 0);
    tmux.send(&["h"]);
    wait_until("kept again with the mark", 10, || handled() == 1 && kept_now(&db, "csm:liam chen") == 1);
    tmux.send(&["q"]);
}

#[test]
fn a_leads_tend_keeps_the_list_of_each_member_whose_accounts_it_writes_to() {
    let Some(db) = TeamDb::new("leadkeeps") else { return };
    let book = CrmBook::new(20);
    let dir = book.dir.path();
    let (maya, lee) = db.copied_with_maya_and_lee(&book, "k");
    db.client().batch_execute("DELETE FROM triage_heads").unwrap();
    let mayas_handled = |n: i64| {
        db.count(&format!(
            r#"SELECT count(*) FROM triage_heads WHERE scope = 'csm:maya patel' AND body LIKE '%"handled":{n},%'"#
        ))
    };
    // The lead opens on his own list, shows Maya's book in a one-on-one and marks her first item
    // handled: her list, which the mark changed, is kept at its count with the mark in it, so her
    // next open today shows Triage at once instead of pulling and scoring the whole book.
    let url = db.url.replacen("://postgres@", &format!("://{lee}@"), 1);
    let tmux = common::tmux::Tmux { socket: format!("tend-leadkeeps-{}", std::process::id()) };
    let bin = env!("CARGO_BIN_EXE_tend");
    tmux.start(100, 30, &format!("{bin} --db {url} --as-of {}; sleep 30", common::TODAY), dir);
    tmux.wait_for("Triage", |s| s.contains("need you today") && s.contains("Liam Chen's book"));
    assert_eq!(kept_now(&db, "csm:maya patel"), 0, "nobody kept her list yet");
    tmux.send(&["V"]);
    tmux.send(&["-l", "maya"]);
    tmux.send(&["Enter"]);
    tmux.wait_for("Maya's book", |s| s.contains("Maya Patel's book") && s.contains("Nothing needs Maya Patel today"));
    let mayas_open = |n: i64| {
        db.count(&format!(
            r#"SELECT count(*) FROM triage_heads WHERE scope = 'csm:maya patel' AND body LIKE '%"open":{n},%'"#
        ))
    };
    // A risk flagged on her first account (a write the window pulls the book again for): her list
    // gains the account, kept at her list's new count.
    tmux.send(&["2", "Enter"]);
    tmux.wait_for("her account", |s| s.contains("CSM Maya Patel"));
    tmux.send(&["f"]);
    tmux.wait_for("the risk form", |s| s.contains("Enter save"));
    tmux.send(&["-l", "Pricing pushback"]);
    tmux.send(&["Enter"]);
    tmux.wait_for("the write said", |s| s.contains(" logged"));
    wait_until("Maya's list kept with the lead's risk", 10, || {
        kept_now(&db, "csm:maya patel") == 1 && mayas_open(1) == 1
    });
    // A Triage mark (shown without pulling the book): kept again, with the mark in it.
    tmux.send(&["Escape", "1"]);
    tmux.wait_for("her Triage", |s| s.contains("1 account needs Maya Patel today"));
    tmux.send(&["h"]);
    tmux.wait_for("the mark", |s| s.contains("handled; it comes back"));
    wait_until("Maya's list kept with the lead's mark", 10, || {
        kept_now(&db, "csm:maya patel") == 1 && mayas_handled(1) == 1
    });
    // The mark is the lead's.
    let by = "SELECT count(*) FROM triage_marks m JOIN csms c ON c.id = m.csm_id WHERE c.name = 'Liam Chen'";
    assert_eq!(db.count(by), 1);
    // Ben Okafor signs as no member: nobody opens his list, and the lead keeps none for him.
    assert_eq!(db.count("SELECT count(*) FROM triage_heads WHERE scope LIKE 'csm:ben%'"), 0);
    tmux.send(&["q"]);

    // Maya's tend says whose decision took the item off her list.
    let url = db.url.replacen("://postgres@", &format!("://{maya}@"), 1);
    let tmux = common::tmux::Tmux { socket: format!("tend-leadkeeps-maya-{}", std::process::id()) };
    tmux.start(100, 30, &format!("{bin} --db {url} --as-of {}; sleep 30", common::TODAY), dir);
    tmux.wait_for("her Triage", |s| s.contains("Everything on today's list is handled or snoozed"));
    tmux.send(&["H"]);
    tmux.wait_for("the lead's mark", |s| s.contains("[handled · Liam]"));
    tmux.send(&["q"]);

    // A second role signing as Maya is let in, and the grant says who signs as her already.
    let second = format!("maya2_k_{}", std::process::id());
    let (ok, out, err) = tend(dir, &["--db", &db.url, "db", "grant", &second, "csm", "--csm", "maya patel"]);
    assert!(ok, "{err}");
    assert!(out.contains(&format!("Note: {maya} already signs as Maya Patel")), "{out}");
    assert!(out.contains("cannot tell them apart (`tend db revoke ROLE`"), "one sentence, no run of spaces: {out}");
    let ben = format!("ben_k_{}", std::process::id());
    let (ok, out, err) = tend(dir, &["--db", &db.url, "db", "grant", &ben, "csm", "--csm", "Ben Okafor"]);
    assert!(ok && !out.contains("Note:"), "the first to sign as Ben: {out}{err}");

    // A lead who owns no account opens on everyone's, told so as who signed in (no config of
    // theirs sets `me`).
    let head = format!("head_k_{}", std::process::id());
    let (ok, _, err) = tend(dir, &["--db", &db.url, "db", "grant", &head, "lead", "--csm", "Lee Park", "--new-csm"]);
    assert!(ok, "{err}");
    let url = db.url.replacen("://postgres@", &format!("://{head}@"), 1);
    let tmux = common::tmux::Tmux { socket: format!("tend-leadkeeps-head-{}", std::process::id()) };
    tmux.start(100, 30, &format!("{bin} --db {url} --as-of {}; sleep 30", common::TODAY), dir);
    let screen = tmux.wait_for("the head's Triage", |s| s.contains("Lee Park (signed in) owns no account"));
    assert!(screen.contains("need attention today") && !screen.contains("me = "), "{screen}");
    // Who is signed in to which book stays said beside the notice, on the status line.
    let status = screen.lines().find(|l| l.contains("owns no account")).unwrap_or_default();
    assert!(status.starts_with(&format!(" {head}@")), "{screen}");
    tmux.send(&["q"]);
}

#[test]
fn the_head_of_a_triage_list_is_kept_in_the_team_book_while_nothing_is_written() {
    let Some(db) = TeamDb::new("heads") else { return };
    let book = CrmBook::new(20);
    let dir = book.dir.path();
    let pid = std::process::id();
    let (maya, lee) = db.copied_with_maya_and_lee(&book, "h");
    db.client().batch_execute("DELETE FROM triage_heads").unwrap();
    let writes = || db.count("SELECT coalesce(sum(writes), 0)::bigint FROM book_writes");
    let kept = |scope: &str| kept_now(&db, scope);
    let report = |role: &str| {
        let (ok, out, err) = db.tend_as(dir, role, &["report", "triage", "--format", "json"]);
        assert!(ok, "{err}");
        out
    };

    // A report works the list out and keeps its head, each member's own list's.
    let first = report(&lee);
    assert!(first.contains("Company"), "{first}");
    assert_eq!(kept(""), 1, "the lead's report keeps everyone's list");
    let (ok, _, err) = db.tend_as(dir, &maya, &["report", "triage", "--csm", "maya patel"]);
    assert!(ok, "{err}");
    assert_eq!(kept("csm:maya patel"), 1, "a CSM's report keeps their own list");

    // The database's rules: a CSM keeps only their own list's head, and counts no writes.
    let mut as_maya = db.client_as(&maya);
    assert_eq!(as_maya.execute("UPDATE triage_heads SET body = 'x' WHERE scope = ''", &[]).unwrap(), 0);
    let theirs = as_maya.execute(
        "INSERT INTO triage_heads (scope, day, config, generation, body) VALUES ('csm:liam chen', '2026-01-01', '', 0, '')",
        &[],
    );
    assert!(theirs.is_err(), "a CSM may not keep another's list");
    assert!(as_maya.execute("INSERT INTO book_writes (xact) VALUES ('1')", &[]).is_err());
    assert_eq!(as_maya.execute("UPDATE triage_heads SET body = body WHERE scope = 'csm:maya patel'", &[]).unwrap(), 1);

    // What is kept is what the next report shows while nothing is written (changed here behind
    // tend's back to tell it from a list worked out afresh)...
    db.client()
        .batch_execute(
            r#"UPDATE triage_heads SET body = regexp_replace(body, '"name":"[^"]*"', '"name":"Tampered Co"') WHERE scope = ''"#,
        )
        .unwrap();
    assert!(report(&lee).contains("Tampered Co"), "the kept head is read");
    // ... and a write by anyone, however many statements, counts once and makes it another book.
    let transactions = || db.count("SELECT count(DISTINCT xact) FROM book_writes");
    let (before, transactions_before) = (writes(), transactions());
    let (ok, _, err) = db.tend_as(dir, &maya, &["log", "sentiment", "Company 8", "6", "--note", "steady"]);
    assert!(ok, "{err}");
    assert_eq!(transactions(), transactions_before + 1, "one write transaction");
    assert_eq!(
        writes() - before,
        db.count("SELECT count(*) FROM book_writes WHERE xact = (SELECT max(xact::text::bigint) FROM book_writes)::text::xid8"),
        "one more write for each table it wrote"
    );
    assert!(db.count("SELECT count(*) FROM book_writes WHERE tbl = 'entries'") > 0);
    assert_eq!(kept(""), 0);
    let fresh = report(&lee);
    assert!(!fresh.contains("Tampered Co") && fresh.contains("Company"), "worked out afresh: {fresh}");
    assert_eq!(kept(""), 1);

    // Folding the count keeps it.
    let counted = writes();
    db.client().batch_execute("UPDATE book_writes SET at = at - interval '8 days'").unwrap();
    db.client_as(&lee).batch_execute("SELECT tend_fold_writes()").unwrap();
    assert_eq!(
        (writes(), db.count("SELECT count(*) FROM book_writes")),
        (counted, db.count("SELECT count(*) FROM (SELECT DISTINCT tbl, csm_id FROM book_writes) d")),
        "one row a table and list, the same sum"
    );
    assert_eq!(kept(""), 1, "still the same book");

    // A list kept is not replaced by a report `--as-of` a day to come: a preview writes nothing.
    let on = |days: i64| (chrono::Local::now().date_naive() + chrono::Duration::days(days)).to_string();
    let kept_day =
        || -> String { db.client().query_one("SELECT day FROM triage_heads WHERE scope = ''", &[]).unwrap().get(0) };
    let before = kept_day();
    for days in [400, 410, 395] {
        let (ok, _, err) = db.tend_as(dir, &lee, &["--as-of", &on(days), "report", "triage"]);
        assert!(ok, "{err}");
        assert_eq!(kept_day(), before, "after a report as of {days} days on");
    }

    // `tend snapshot` keeps each member's list (a CSM's, their own only).
    db.client().batch_execute("DELETE FROM triage_heads").unwrap();
    let (ok, out, err) = db.tend_as(dir, &lee, &["snapshot"]);
    assert!(ok, "{err}");
    assert!(out.contains("the lists of 2 members (Liam Chen, Maya Patel) kept in the team book"), "{out}");
    assert_eq!((kept("csm:maya patel"), kept("csm:liam chen")), (1, 1));
    db.client().batch_execute("DELETE FROM triage_heads").unwrap();
    let (ok, out, err) = db.tend_as(dir, &maya, &["snapshot"]);
    assert!(ok && out.contains("Maya Patel's list kept"), "{out}{err}");
    assert_eq!((kept("csm:maya patel"), kept("csm:liam chen")), (1, 0));

    // The TUI keeps the head of the list it opens on, and the next open shows it.
    db.client().batch_execute("DELETE FROM triage_heads").unwrap();
    let bin = env!("CARGO_BIN_EXE_tend");
    let url = db.url.replacen("://postgres@", &format!("://{maya}@"), 1);
    for round in ["first", "kept"] {
        // The second open shows the kept head before it reads the book: it does so with the
        // usage samples locked away (the whole book read behind it waits for them).
        let mut admin = db.client();
        let mut lock = admin.transaction().unwrap();
        if round == "kept" {
            lock.batch_execute("LOCK TABLE metric_samples IN ACCESS EXCLUSIVE MODE").unwrap();
        }
        let tmux = common::tmux::Tmux { socket: format!("tend-heads-{round}-{pid}") };
        tmux.start(100, 30, &format!("{bin} --db {url} --as-of {}; sleep 30", common::TODAY), dir);
        tmux.wait_for(round, |s| s.contains("need you today") && s.contains("Maya Patel's book"));
        lock.commit().unwrap();
        // The whole book read behind the head: the Portfolio shows every account of hers.
        tmux.send(&["2"]);
        tmux.wait_for("the portfolio", |s| s.contains("Portfolio") && s.contains("Company 8"));
        wait_until(&format!("the {round} open keeps Maya's list"), 10, || kept("csm:maya patel") == 1);
        if round == "kept" {
            // Another member writes: the open tend pulls the book and keeps her list again.
            let (ok, _, err) = db.tend_as(dir, &lee, &["log", "touch", "Company 8", "call", "--note", "checked in"]);
            assert!(ok, "{err}");
            tmux.wait_for("the lead's write", |s| updated(s, "Liam Chen wrote to the team book"));
            wait_until("kept again after the pull", 10, || kept("csm:maya patel") == 1);
        }
        tmux.send(&["q"]);
    }
}

/// A snapshot pulled again in place (`store` reads it) holds what `fresh`, pulled whole just
/// now, holds: the same facts row for row, and the same scores, bands, changes and reasons once
/// both are worked out as of TODAY with the default config.
fn assert_same_as_fresh(
    snapshot: &tend::team::replica::Snapshot,
    store: &mut tend::store::Store,
    fresh: &tend::team::replica::Snapshot,
) {
    assert_eq!(snapshot.generation, fresh.generation);
    let facts = |path: &Path| {
        let worked_out =
            ["factor_snapshots", "health_history", "history_days", "history_stale", "triage_heads", "book_meta"];
        dump(path).into_iter().filter(|(t, _)| !worked_out.contains(&t.as_str())).collect::<Vec<_>>()
    };
    assert_eq!(facts(&snapshot.path()), facts(&fresh.path()), "the same facts as a new snapshot");
    let config = tend::config::Config::default();
    let today: chrono::NaiveDate = common::TODAY.parse().unwrap();
    let mut fresh_store = tend::store::Store::open(&fresh.path()).unwrap();
    tend::book::prepare(&mut fresh_store, &config, today).unwrap();
    tend::book::prepare(store, &config, today).unwrap();
    let rows = |store: &tend::store::Store| tend::book::load_book(store, &config, today).unwrap().0;
    let (kept_rows, fresh_rows) = (rows(store), rows(&fresh_store));
    assert_eq!(kept_rows.len(), fresh_rows.len());
    for (kept, fresh) in kept_rows.iter().zip(&fresh_rows) {
        assert_eq!(kept, fresh, "account {}: the same as worked out afresh", fresh.name);
    }
}

#[test]
fn a_snapshot_pulled_again_pulls_only_the_tables_written_and_holds_the_same_rows() {
    let Some(db) = TeamDb::new("refresh") else { return };
    let book = lived_in_book();
    let (maya, lee) = db.copied_with_maya_and_lee(&book, "r");
    let dir = book.dir.path();
    // In this process, on the test cluster's loopback.
    let url = format!("{}?sslmode=disable", db.url);
    let mut team = tend::team::TeamBook::open(&url).unwrap();
    let hidden = indicatif::ProgressBar::hidden();
    let mut snapshot = team.snapshot(&hidden).unwrap();
    let mut store = tend::store::Store::open(&snapshot.path()).unwrap();
    // Worked out as an open tend has it.
    let config = tend::config::Config::default();
    let today: chrono::NaiveDate = common::TODAY.parse().unwrap();
    tend::book::prepare(&mut store, &config, today).unwrap();

    // Nothing written since: no table of facts is pulled again.
    let pulled = team.refresh(&mut snapshot, &mut store).unwrap();
    for table in ["accounts", "metric_samples", "entries", "tasks"] {
        assert!(!pulled.whole.contains(&table) && !pulled.since.contains(&table), "{table}: {pulled:?}");
    }
    assert!(pulled.whole.contains(&"book_meta"), "what tend works out and the book's facts about itself always are");

    // A log, a task and a renewal by two members: only the rows they wrote are pulled again
    // (schema step 10), and the snapshot holds row for row what a new one does.
    for (role, args) in [
        (&maya, &["log", "sentiment", "Company 8", "4", "--note", "quieter"][..]),
        (&lee, &["task", "add", "Company 8", "Call the CFO", "--due", "fri"]),
        (&lee, &["renew", "Company 9", "--until", "+1y"]),
    ] {
        let (ok, _, err) = db.tend_as(dir, role, args);
        assert!(ok, "{args:?}: {err}");
    }
    let pulled = team.refresh(&mut snapshot, &mut store).unwrap();
    for table in ["entries", "tasks", "contract_events", "changes", "accounts"] {
        assert!(pulled.since.contains(&table) && !pulled.whole.contains(&table), "{table}: {pulled:?}");
    }
    let untouched = ["metric_samples", "goals"];
    assert!(untouched.iter().all(|t| !pulled.whole.contains(t) && !pulled.since.contains(t)), "{pulled:?}");
    assert!(
        !pulled.whole.contains(&"factor_snapshots"),
        "what it worked out stays but for the accounts written: {pulled:?}"
    );
    let fresh = team.snapshot(&hidden).unwrap();
    assert_same_as_fresh(&snapshot, &mut store, &fresh);
    drop(fresh);
    let titled: i64 = rusqlite::Connection::open(snapshot.path())
        .unwrap()
        .query_row("SELECT count(*) FROM tasks WHERE title = 'Call the CFO'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(titled, 1, "the new task is in the snapshot pulled again");

    // A transaction that began before a pull and commits after it: its rows are pulled by the
    // next, though a later transaction's were pulled before them.
    let mut in_flight = db.client();
    let mut slow = in_flight.transaction().unwrap();
    slow.execute("UPDATE accounts SET name = 'Renamed mid-pull' WHERE name = 'Company 12'", &[]).unwrap();
    let (ok, _, err) = db.tend_as(dir, &maya, &["log", "touch", "Company 8", "call", "--note", "later"]);
    assert!(ok, "{err}");
    team.refresh(&mut snapshot, &mut store).unwrap();
    slow.commit().unwrap();
    let pulled = team.refresh(&mut snapshot, &mut store).unwrap();
    assert!(pulled.since.contains(&"accounts"), "{pulled:?}");
    let renamed = |path: &Path| -> i64 {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row("SELECT count(*) FROM accounts WHERE name = 'Renamed mid-pull'", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(renamed(&snapshot.path()), 1, "the row of the transaction that committed after the pull");
    let fresh = team.snapshot(&hidden).unwrap();
    assert_same_as_fresh(&snapshot, &mut store, &fresh);
    drop(fresh);

    // Rows deleted go from the snapshot too; a table emptied at once is pulled whole.
    let mut admin = db.client();
    admin.execute("DELETE FROM tasks WHERE title = 'Call the CFO'", &[]).unwrap();
    let overrides = db.count("SELECT count(*) FROM band_overrides");
    assert!(overrides > 0, "the lived-in book has a band override");
    admin.batch_execute("TRUNCATE band_overrides").unwrap();
    let pulled = team.refresh(&mut snapshot, &mut store).unwrap();
    assert!(pulled.since.contains(&"tasks"), "{pulled:?}");
    assert!(pulled.whole.contains(&"band_overrides") && !pulled.since.contains(&"band_overrides"), "{pulled:?}");
    // Pulled again in place: the same file throughout.
    let snapshot_file = snapshot.path();
    let local = |sql: &str| -> i64 {
        rusqlite::Connection::open(&snapshot_file).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
    };
    assert_eq!(local("SELECT count(*) FROM tasks WHERE title = 'Call the CFO'"), 0, "the task deleted");
    assert_eq!(local("SELECT count(*) FROM band_overrides"), 0, "the overrides emptied");
    let fresh = team.snapshot(&hidden).unwrap();
    assert_same_as_fresh(&snapshot, &mut store, &fresh);
    drop(fresh);

    // Usage samples (a key of three columns): a lead's import, then one that changes a value and
    // adds a week, pull only the samples written; a sample deleted by SQL has its account's
    // other samples pulled again.
    let today = common::today();
    let week_ago = today - chrono::Duration::weeks(1);
    let usage = |name: &str, rows: &[(&str, chrono::NaiveDate, u32)]| {
        let mut text = String::from("Account,Metric,Date,Value\n");
        for (account, day, value) in rows {
            text += &format!("{account},logins,{day},{value}\n");
        }
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    };
    let first = usage("usage.csv", &[("CRM-0003", week_ago, 5), ("CRM-0003", today, 6), ("CRM-0004", today, 9)]);
    let second = usage("usage2.csv", &[("CRM-0003", today, 16), ("CRM-0005", today, 2)]);
    for file in [&first, &second] {
        let (ok, _, err) = db.tend_as(dir, &lee, &["import", "metrics", file]);
        assert!(ok, "{err}");
        let pulled = team.refresh(&mut snapshot, &mut store).unwrap();
        assert!(pulled.since.contains(&"metric_samples") && !pulled.whole.contains(&"metric_samples"), "{pulled:?}");
        let fresh = team.snapshot(&hidden).unwrap();
        assert_same_as_fresh(&snapshot, &mut store, &fresh);
    }
    assert_eq!(local("SELECT count(*) FROM metric_samples WHERE value = 16"), 1, "the changed value");
    admin
        .execute(
            "DELETE FROM metric_samples WHERE day = $1 AND account_id = (SELECT id FROM accounts WHERE external_id = 'CRM-0003')",
            &[&week_ago.to_string()],
        )
        .unwrap();
    let pulled = team.refresh(&mut snapshot, &mut store).unwrap();
    assert!(pulled.since.contains(&"metric_samples"), "{pulled:?}");
    assert_eq!(local("SELECT count(*) FROM metric_samples"), 3, "the sample deleted, its account's other kept");
    let fresh = team.snapshot(&hidden).unwrap();
    assert_same_as_fresh(&snapshot, &mut store, &fresh);
    drop(fresh);

    // Rows written by SQL move no account's facts version: the accounts they are about are worked
    // out again all the same (a sentiment changed, a sentiment deleted, a sample changed).
    let scores = |path: &Path| -> Vec<(String, Vec<u8>)> {
        let conn = rusqlite::Connection::open(path).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT a.name, f.vals FROM factor_snapshots f JOIN accounts a ON a.id = f.account_id ORDER BY a.name",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    admin
        .batch_execute(
            "UPDATE entries SET score = 10 WHERE kind = 'sentiment' AND account_id = (SELECT id FROM accounts WHERE name = 'Company 8');
             DELETE FROM entries WHERE kind = 'sentiment' AND account_id = (SELECT id FROM accounts WHERE external_id = 'CRM-0001');
             UPDATE metric_samples SET value = 500 WHERE account_id = (SELECT id FROM accounts WHERE external_id = 'CRM-0004')",
        )
        .unwrap();
    let pulled = team.refresh(&mut snapshot, &mut store).unwrap();
    assert!(pulled.since.contains(&"entries") && pulled.since.contains(&"metric_samples"), "{pulled:?}");
    let fresh = team.snapshot(&hidden).unwrap();
    assert_same_as_fresh(&snapshot, &mut store, &fresh);
    assert_eq!(scores(&snapshot_file), scores(&fresh.path()), "the stored values, as worked out afresh");
    drop(fresh);

    // Deletions more than a week old are folded away (`tend snapshot`): a view that may not have
    // seen them pulls the table whole; one taken after them, only the rows written since.
    let (ok, _, err) = db.tend_as(dir, &lee, &["task", "add", "Company 8", "Fold me", "--due", "fri"]);
    assert!(ok, "{err}");
    team.refresh(&mut snapshot, &mut store).unwrap();
    assert_eq!(local("SELECT count(*) FROM tasks WHERE title = 'Fold me'"), 1);
    admin.execute("DELETE FROM tasks WHERE title = 'Fold me'", &[]).unwrap();
    admin.execute("UPDATE book_deletes SET at = at - interval '8 days'", &[]).unwrap();
    db.client_as(&lee).batch_execute("SELECT tend_fold_deletes()").unwrap();
    assert_eq!(db.count("SELECT count(*) FROM book_deletes"), 0, "folded");
    assert_eq!(db.count("SELECT count(*) FROM book_deletes_folded WHERE tbl = 'tasks'"), 1);
    let pulled = team.refresh(&mut snapshot, &mut store).unwrap();
    assert!(pulled.whole.contains(&"tasks"), "the view did not see the deletion folded: {pulled:?}");
    assert_eq!(local("SELECT count(*) FROM tasks WHERE title = 'Fold me'"), 0, "the task deleted");
    let fresh = team.snapshot(&hidden).unwrap();
    assert_same_as_fresh(&snapshot, &mut store, &fresh);
    drop(fresh);
    // Transaction ids are the cluster's: a view taken while another test's transaction older than
    // the fold was still open may not have seen all it folded, and pulls whole again, rightly.
    let mut since = false;
    for i in 0..20 {
        let title = format!("After the fold {i}");
        let (ok, _, err) = db.tend_as(dir, &lee, &["task", "add", "Company 8", &title, "--due", "fri"]);
        assert!(ok, "{err}");
        let pulled = team.refresh(&mut snapshot, &mut store).unwrap();
        since = pulled.since.contains(&"tasks");
        if since {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert!(since, "a view taken after the fold saw every deletion folded");
    let fresh = team.snapshot(&hidden).unwrap();
    assert_same_as_fresh(&snapshot, &mut store, &fresh);
}

/// The member's kept snapshot under `home`, as their next run opens it once their last run is
/// gone. A child that another test's thread forks holds a copy of this process's open files until
/// it execs, the kept folder's lock among them: for that moment the folder reads as another
/// tend's, and a throwaway copy is read instead (rightly). Asked again until it is kept (bounded).
fn kept_by(
    team: &mut tend::team::TeamBook,
    home: &Path,
    bar: &indicatif::ProgressBar,
) -> tend::team::replica::Snapshot {
    for _ in 0..100 {
        let snapshot = team.kept_snapshot(home, bar).unwrap();
        if snapshot.is_kept() {
            return snapshot;
        }
        drop(snapshot);
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("the kept snapshot was still held after 2 s: by another tend, not a fork's moment");
}

#[test]
fn a_members_kept_snapshot_is_pulled_again_only_where_written_and_never_shared() {
    let Some(db) = TeamDb::new("kept") else { return };
    let book = lived_in_book();
    let (maya, lee) = db.copied_with_maya_and_lee(&book, "k");
    let dir = book.dir.path();
    let home = dir.join("cache");
    let url = format!("{}?sslmode=disable", db.url);
    let as_role = |role: &str| url.replacen("://postgres@", &format!("://{role}@"), 1);
    let hidden = indicatif::ProgressBar::hidden();
    let config = tend::config::Config::default();
    let today: chrono::NaiveDate = common::TODAY.parse().unwrap();
    let mut team = tend::team::TeamBook::open(&as_role(&maya)).unwrap();

    // The first run pulls it whole and works the day out in it.
    let snapshot = kept_by(&mut team, &home, &hidden);
    assert!(snapshot.is_kept());
    let folder = snapshot.path().parent().unwrap().to_path_buf();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&folder).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "the team's accounts, readable by the member alone");
    }
    let mut store = tend::store::Store::open(&snapshot.path()).unwrap();
    tend::book::prepare(&mut store, &config, today).unwrap();
    // A mark of this run's own in what it worked out: there as long as the snapshot is kept.
    let mark = |path: &Path, add: bool| {
        let conn = rusqlite::Connection::open(path).unwrap();
        if add {
            conn.execute("INSERT INTO history_days (day) VALUES (-100000)", []).unwrap();
        }
        conn.query_row("SELECT count(*) FROM history_days WHERE day = -100000", [], |r| r.get::<_, i64>(0)).unwrap()
            == 1
    };
    assert!(mark(&snapshot.path(), true));
    // While it is in use, another run of the same member reads a throwaway copy of it (what it
    // worked out included), brought up to the team book.
    let other = tend::team::TeamBook::open(&as_role(&maya)).unwrap().kept_snapshot(&home, &hidden).unwrap();
    assert!(!other.is_kept());
    assert!(mark(&other.path(), false), "a copy of the kept one, not a whole pull");
    let other_path = other.path();
    drop(other);
    assert!(!other_path.exists(), "a throwaway snapshot goes with its run");
    drop(store);
    drop(snapshot);

    // Nothing written since: the next run reads the same file, what it worked out kept.
    let snapshot = kept_by(&mut team, &home, &hidden);
    assert!(snapshot.is_kept() && mark(&snapshot.path(), false), "kept when nothing was written");
    drop(snapshot);

    // A lead writes to one of Maya's accounts: her next run pulls what was written, keeps the
    // rest of what it worked out, and holds what a snapshot pulled afresh holds.
    for args in
        [&["log", "sentiment", "CRM-0001", "1", "--note", "angry call"][..], &["renew", "CRM-0002", "--until", "+1y"]]
    {
        let (ok, _, err) = db.tend_as(dir, &lee, args);
        assert!(ok, "{args:?}: {err}");
    }
    let snapshot = kept_by(&mut team, &home, &hidden);
    assert!(mark(&snapshot.path(), false), "what it worked out stays when accounts' facts were written");
    let unmark = rusqlite::Connection::open(snapshot.path()).unwrap();
    unmark.execute("DELETE FROM history_days WHERE day = -100000", []).unwrap();
    drop(unmark);
    let fresh = team.snapshot(&hidden).unwrap();
    assert!(!fresh.is_kept());
    let mut kept_store = tend::store::Store::open(&snapshot.path()).unwrap();
    assert_same_as_fresh(&snapshot, &mut kept_store, &fresh);
    drop((kept_store, fresh));
    drop(snapshot);

    // A run stopped in a whole pull leaves no note: the next pulls it whole again.
    std::fs::remove_file(folder.join("pulled.json")).unwrap();
    let snapshot = kept_by(&mut team, &home, &hidden);
    assert!(snapshot.is_kept() && !mark(&snapshot.path(), false), "pulled whole");
    assert!(mark(&snapshot.path(), true));
    drop(snapshot);
    // An emptied file beside its note is pulled whole, not read as an empty book.
    std::fs::write(folder.join("team-book.db"), b"").unwrap();
    let snapshot = kept_by(&mut team, &home, &hidden);
    let accounts = |path: &Path| {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row("SELECT count(*) FROM accounts", [], |r| r.get::<_, i64>(0))
            .unwrap()
    };
    let in_team = db.count("SELECT count(*) FROM accounts");
    assert!(in_team > 0);
    assert_eq!(accounts(&snapshot.path()), in_team, "pulled whole");
    drop(snapshot);
    // An older copy of the same pull put back: it holds its own counts, so what was written since
    // is pulled again.
    std::fs::copy(folder.join("team-book.db"), dir.join("older.db")).unwrap();
    let (ok, _, err) = db.tend_as(dir, &lee, &["log", "risk", "CRM-0003", "Champion leaving"]);
    assert!(ok, "{err}");
    drop(kept_by(&mut team, &home, &hidden));
    std::fs::copy(dir.join("older.db"), folder.join("team-book.db")).unwrap();
    let snapshot = kept_by(&mut team, &home, &hidden);
    let fresh = team.snapshot(&hidden).unwrap();
    let mut kept_store = tend::store::Store::open(&snapshot.path()).unwrap();
    assert_same_as_fresh(&snapshot, &mut kept_store, &fresh);
    drop((kept_store, fresh, snapshot));
    // Another pull's file (its token not the note's) is pulled whole.
    let other =
        tend::team::TeamBook::open(&as_role(&maya)).unwrap().kept_snapshot(&dir.join("other"), &hidden).unwrap();
    std::fs::copy(other.path(), folder.join("team-book.db")).unwrap();
    drop(other);
    assert!(mark(&folder.join("team-book.db"), true));
    let snapshot = kept_by(&mut team, &home, &hidden);
    assert!(!mark(&snapshot.path(), false), "another pull's file is pulled whole");
    assert!(mark(&snapshot.path(), true));
    drop(snapshot);

    // A write to the whole book (a CSM added) has everything worked out afresh.
    db.client().batch_execute("INSERT INTO csms (name) VALUES ('Zoe New')").unwrap();
    let snapshot = kept_by(&mut team, &home, &hidden);
    assert!(snapshot.is_kept() && !mark(&snapshot.path(), false), "worked out afresh after a write to the whole book");
    drop(snapshot);

    // The team book put back from a backup taken before a write Maya's snapshot saw, then written
    // again as many times: the counts are what she saw, the rows are not. (The backup put back
    // by hand: the write's entry and its count gone, with the book's triggers off.)
    let noted = |path: &Path, note: &str| {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row("SELECT count(*) FROM entries WHERE note = ?1", [note], |r| r.get::<_, i64>(0))
            .unwrap()
    };
    let (ok, _, err) = db.tend_as(dir, &lee, &["log", "touch", "CRM-0005", "call", "--note", "before the restore"]);
    assert!(ok, "{err}");
    let snapshot = kept_by(&mut team, &home, &hidden);
    assert_eq!(noted(&snapshot.path(), "before the restore"), 1);
    drop(snapshot);
    db.client()
        .batch_execute(
            "BEGIN; SET LOCAL session_replication_role = replica;
             DELETE FROM book_writes WHERE xact = (SELECT xact FROM book_writes WHERE tbl = 'entries' ORDER BY at DESC LIMIT 1);
             DELETE FROM entries WHERE note = 'before the restore';
             COMMIT;",
        )
        .unwrap();
    let (ok, _, err) = db.tend_as(dir, &lee, &["log", "touch", "CRM-0005", "call", "--note", "after the restore"]);
    assert!(ok, "{err}");
    let snapshot = kept_by(&mut team, &home, &hidden);
    assert_eq!(
        (noted(&snapshot.path(), "before the restore"), noted(&snapshot.path(), "after the restore")),
        (0, 1),
        "the book as it is, not as the counts alone would have it"
    );
    drop(snapshot);
    // And put back again, then written more times than she saw, on the same account: its facts
    // version back where she saw it, its facts not. What her snapshot worked out from the write
    // she saw must not stay.
    let (ok, _, err) = db.tend_as(dir, &lee, &["log", "sentiment", "CRM-0005", "10", "--note", "put back later"]);
    assert!(ok, "{err}");
    let snapshot = kept_by(&mut team, &home, &hidden);
    let mut store = tend::store::Store::open(&snapshot.path()).unwrap();
    tend::book::prepare(&mut store, &config, today).unwrap();
    drop((store, snapshot));
    db.client()
        .batch_execute(
            "BEGIN; SET LOCAL session_replication_role = replica;
             DELETE FROM book_writes WHERE xact = (SELECT xact FROM book_writes WHERE tbl = 'entries' ORDER BY at DESC LIMIT 1);
             DELETE FROM entries WHERE note = 'put back later';
             UPDATE accounts SET facts_version = facts_version - 1 WHERE external_id = 'CRM-0005';
             COMMIT;",
        )
        .unwrap();
    for args in [&["log", "sentiment", "CRM-0005", "1", "--note", "angry"][..], &["log", "touch", "CRM-0006", "call"]] {
        let (ok, _, err) = db.tend_as(dir, &lee, args);
        assert!(ok, "{args:?}: {err}");
    }
    let snapshot = kept_by(&mut team, &home, &hidden);
    let fresh = team.snapshot(&hidden).unwrap();
    let mut kept_store = tend::store::Store::open(&snapshot.path()).unwrap();
    assert_same_as_fresh(&snapshot, &mut kept_store, &fresh);
    drop((kept_store, fresh, snapshot));

    // Each member has a folder of their own: the lead's run never reads Maya's.
    let lead = tend::team::TeamBook::open(&as_role(&lee)).unwrap().kept_snapshot(&home, &hidden).unwrap();
    assert!(lead.is_kept());
    assert_ne!(lead.path().parent().unwrap(), folder);
    assert_eq!(std::fs::read_dir(&home).unwrap().count(), 2, "one folder per member");

    // The binary keeps the member's snapshot in their cache folder, and answers from it.
    let (ok, out, err) = db.tend_as(dir, &maya, &["report", "triage", "--format", "json"]);
    assert!(ok, "{err}");
    assert!(out.contains("\"title\": \"Triage as of 2026-11-23 · CSM Maya Patel\""), "{out}");
    let cache = dir.join(".cache").join("tend").join("team");
    let kept: Vec<_> = std::fs::read_dir(&cache).unwrap().flatten().collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(kept[0].path().join("pulled.json").is_file());
    // A kept file damaged on disk: its header (it cannot be opened) is pulled whole at once;
    // pages in its middle (found only once read) make the run say so and let it go, and the next
    // run pulls it whole. Either way the next list is the team book's.
    let book_file = kept[0].path().join("team-book.db");
    let damage = |at: usize| {
        let mut bytes = std::fs::read(&book_file).unwrap();
        let end = (at + 40_000).min(bytes.len());
        bytes[at..end].fill(0xAB);
        std::fs::write(&book_file, &bytes).unwrap();
    };
    damage(0);
    let (ok, again, err) = db.tend_as(dir, &maya, &["report", "triage", "--format", "json"]);
    assert!(ok, "{err}");
    assert_eq!(again, out, "the same list, from the book pulled whole");
    damage(std::fs::metadata(&book_file).unwrap().len() as usize / 2);
    let (ok, _, err) = db.tend_as(dir, &maya, &["report", "triage", "--format", "json"]);
    if !ok {
        assert!(err.contains("could not be read: the next run pulls the team book whole"), "{err}");
        assert!(!kept[0].path().join("pulled.json").exists());
    }
    let (ok, again, err) = db.tend_as(dir, &maya, &["report", "triage", "--format", "json"]);
    assert!(ok, "{err}");
    assert_eq!(again, out, "the same list, from the book pulled whole");
}

/// The columns an import kept ("Region") read the same from a team book as from its file: the
/// Account view's line of them.
#[test]
fn an_accounts_own_columns_read_the_same_from_a_team_book() {
    let Some(db) = TeamDb::new("attributes") else { return };
    let book = lived_in_book();
    let dir = book.dir.path();
    let (ok, _, err) = tend(dir, &["db", "copy", "--from", book.path.to_str().unwrap(), "--to", &db.url]);
    assert!(ok, "{err}");
    let store = tend::store::Store::open(&book.path).unwrap();
    let (id, _) = store.account_by_external_id("CRM-0005").unwrap().unwrap();
    let config = tend::config::Config::default();
    let today: chrono::NaiveDate = common::TODAY.parse().unwrap();
    let from_file = tend::book::account_detail(&store, &config, id, today).unwrap().attributes;
    assert_eq!(from_file, vec![("Region".to_string(), "EMEA".to_string())]);
    let team = tend::team::TeamBook::open(&format!("{}?sslmode=disable", db.url)).unwrap();
    assert_eq!(tend::book::account_detail(&team, &config, id, today).unwrap().attributes, from_file);
}

/// A server that takes the connection and never answers (a stuck server, a half-open VPN) is
/// said within the deadline, not waited on for good (a probe's tend sat silent for 12 minutes).
#[test]
fn a_server_that_never_answers_is_said_within_the_deadline() {
    let dir = tempfile::tempdir().unwrap();
    // Listening, never accepting: the kernel completes the connection, nothing answers it.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let url = format!("postgres://maya@127.0.0.1:{port}/team?connect_timeout=2&sslmode=disable");
    let started = std::time::Instant::now();
    let (ok, _, err) = tend(dir.path(), &["--db", &url, "report", "triage"]);
    assert!(!ok);
    assert!(err.contains(&format!("no answer from 127.0.0.1:{port} in 2 s")), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "{:?}", started.elapsed());
}

/// A password is taken where psql takes it, PGPASSWORD or the password file, and a server that
/// asks for one tend lacks is told where it goes (a probe's CSM could only put it in the URL,
/// where `ps` and the shell's history show it). The test cluster asks members of
/// `tend_password_asked` for their password (.ci/postgres.sh).
#[test]
fn a_password_is_read_from_pgpassword_or_the_password_file() {
    let Some(db) = TeamDb::new("password") else { return };
    let role = format!("pw_{}", std::process::id());
    let mut admin = db.client();
    admin
        .batch_execute(&format!(
            "DO $$ BEGIN CREATE ROLE tend_password_asked NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
             DROP ROLE IF EXISTS {role};
             CREATE ROLE {role} LOGIN PASSWORD 's3cr:et' IN ROLE tend_password_asked"
        ))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = db.url.replacen("://postgres@", &format!("://{role}@"), 1);
    let pgpass = dir.path().join(".pgpass");
    let run = |password: &str| {
        common::tend_in_with(
            dir.path(),
            &["--db", &url, "report", "triage"],
            &[("PGPASSWORD", password.into()), ("PGPASSFILE", pgpass.clone().into_os_string())],
        )
    };
    // Signed in, the book has no schema yet: what a connection that got in is told.
    let signed_in = |(ok, _, err): (bool, String, String)| !ok && err.contains("has no schema yet");
    let (ok, _, err) = run("");
    assert!(!ok && err.contains("password missing") && err.contains("~/.pgpass"), "{err}");
    assert!(signed_in(run("s3cr:et")), "{:?}", run("s3cr:et"));
    let (host, port) = {
        let config = tend::team::connect::config_of(&url).unwrap();
        let port = config.get_ports()[0];
        ("127.0.0.1", port)
    };
    std::fs::write(&pgpass, format!("{host}:{port}:other:{role}:nope\n{host}:{port}:{}:{role}:s3cr\\:et\n", db.name))
        .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert!(signed_in(run("")), "{:?}", run(""));
    // A file others may read is passed over, as psql does, and said.
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (ok, _, err) = run("");
    assert!(!ok && err.contains("was not read, as others may read it (chmod 600"), "{err}");
    admin.batch_execute(&format!("DROP ROLE IF EXISTS {role}")).unwrap();
}

/// An accounts import moving an account to another CSM moves the open tasks the CSM before
/// owned there on a team book as on its file, and says the same.
#[test]
fn an_import_moving_an_account_moves_its_tasks_on_a_team_book_as_on_its_file() {
    let Some(db) = TeamDb::new("task_move") else { return };
    let book = lived_in_book();
    let dir = book.dir.path();
    let (ok, _, err) = tend(dir, &["db", "copy", "--from", book.path.to_str().unwrap(), "--to", &db.url]);
    assert!(ok, "{err}");
    let moved = dir.join("moved.csv");
    std::fs::write(&moved, "External ID,CSM\nCRM-0001,Marcus Webb\n").unwrap();
    let said = same_on_both(
        &book,
        &db,
        &[
            &["task", "add", "CRM-0001", "Send the QBR deck", "--due", "fri"],
            &["import", "accounts", moved.to_str().unwrap()],
            &["task", "list", "--all", "--format", "json"],
        ],
    );
    assert!(said[1].1.contains("with 1 open task the CSM before owned there"), "{said:?}");
    let tasks: serde_json::Value = serde_json::from_str(said[2].1.split_once(": ").unwrap().1).unwrap();
    let qbr = tasks.as_array().unwrap().iter().find(|t| t["task"] == "Send the QBR deck").unwrap();
    assert_eq!(qbr["owner"], "Marcus Webb", "{qbr}");
}
