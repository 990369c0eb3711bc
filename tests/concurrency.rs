//! Writers and readers on one book at once, as separate processes: the cached scores and history
//! never go stale, and no reader shows "no score" for an account whose cache is being rebuilt.
//! Every score is compared with a from-scratch recomputation at the end.

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::{temp_db, tend_on, today};

const ACCOUNTS: usize = 24;

/// A book of imported accounts, each with enough data for a score: weekly usage, logins and
/// active users, and a sentiment.
fn book() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, db) = temp_db();
    let mut accounts = String::from("External ID,Account,ARR,Customer since\n");
    let mut metrics = String::from("account,metric,date,value\n");
    let mut logs = String::from("account,kind,date,score\n");
    for i in 0..ACCOUNTS {
        writeln!(accounts, "C-{i:02},Company {i},{},2024-01-01", 10_000 + i * 1_000).unwrap();
        for week in 0..10 {
            let day = today() - chrono::Duration::days(7 * week);
            for (metric, value) in
                [("usage", 500 + i * 20), ("expected_usage", 800), ("logins", 3), ("active_users", 1 + i % 5)]
            {
                writeln!(metrics, "C-{i:02},{metric},{day},{value}").unwrap();
            }
        }
        writeln!(logs, "C-{i:02},sentiment,{},{}", today() - chrono::Duration::days(20), 1 + i % 10).unwrap();
    }
    for (kind, text) in [("accounts", accounts), ("metrics", metrics), ("logs", logs)] {
        let file = dir.path().join(format!("{kind}.csv"));
        std::fs::write(&file, text).unwrap();
        let (ok, _, err) = tend_on(&db, &["import", kind, file.to_str().unwrap()]);
        assert!(ok, "{err}");
    }
    (dir, db)
}

/// (external id, score) of every account, as `export accounts` gives them.
fn scores(db: &Path) -> Vec<(String, String)> {
    let (ok, out, err) = tend_on(db, &["export", "accounts"]);
    assert!(ok, "{err}");
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, score) = (at("external_id"), at("score"));
    reader.records().map(|r| r.unwrap()).map(|r| (r[id].to_string(), r[score].to_string())).collect()
}

#[test]
fn writers_and_readers_together_leave_no_stale_score() {
    let (_dir, db) = book();
    let before = scores(&db);
    assert!(before.iter().all(|(_, s)| !s.is_empty()), "every account scores: {before:?}");

    let stop = AtomicBool::new(false);
    let deadline = Instant::now() + Duration::from_secs(8);
    let unscored = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for writer in 0..2 {
            let (db, stop) = (&db, &stop);
            scope.spawn(move || {
                let mut n = writer;
                while !stop.load(Ordering::Relaxed) {
                    let account = format!("C-{:02}", (n * 7) % ACCOUNTS);
                    let rating = (1 + n % 10).to_string();
                    let (ok, _, err) = tend_on(db, &["log", "sentiment", &account, &rating]);
                    assert!(ok, "writer: {err}");
                    n += 2;
                }
            });
        }
        for reader in 0..2 {
            let (db, stop, unscored) = (&db, &stop, &unscored);
            scope.spawn(move || {
                let mut n = reader;
                while !stop.load(Ordering::Relaxed) {
                    match n % 3 {
                        0 => {
                            let blank: Vec<String> =
                                scores(db).into_iter().filter(|(_, s)| s.is_empty()).map(|(id, _)| id).collect();
                            unscored.lock().unwrap().extend(blank);
                        }
                        1 => assert!(tend_on(db, &["report", "triage", "--format", "json"]).0, "report"),
                        _ => assert!(tend_on(db, &["snapshot"]).0, "snapshot"),
                    }
                    n += 1;
                }
            });
        }
        while Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        stop.store(true, Ordering::Relaxed);
    });
    assert!(unscored.lock().unwrap().is_empty(), "readers saw no score for {:?}", unscored.lock().unwrap());

    // What the cache says now, against a recomputation from the facts alone.
    let cached = scores(&db);
    let (ok, cached_triage, err) = tend_on(&db, &["report", "triage", "--format", "json"]);
    assert!(ok, "{err}");
    common::empty_caches(&db);
    let fresh = scores(&db);
    let differences: Vec<_> = cached.iter().zip(&fresh).filter(|(c, f)| c != f).collect();
    assert!(differences.is_empty(), "cached vs recomputed: {differences:?}");
    let (ok, fresh_triage, err) = tend_on(&db, &["report", "triage", "--format", "json"]);
    assert!(ok, "{err}");
    assert_eq!(cached_triage, fresh_triage, "the history behind triage was stale");
    assert_ne!(before, fresh, "the writers changed scores (the test exercised something)");
}

/// A second connection of the same process (the TUI reads the book behind its first frame on
/// one) must not drop the first one's lock on the file: another program closing the book would
/// then take it for unused and delete the write-ahead log under the open app.
#[test]
fn a_second_connection_keeps_the_books_lock_and_its_write_ahead_log() {
    let (_dir, db) = book();
    let mut wal = db.clone().into_os_string();
    wal.push("-wal");
    let wal = std::path::PathBuf::from(wal);
    let mut first = tend::store::Store::open(&db).unwrap();
    // Something in the log, not yet in the book's file.
    first.write(|w| w.set_meta("probe", "1")).unwrap();
    assert!(wal.exists());
    let second = first.reader().unwrap().expect("a book in a file has a second connection");
    drop(second);
    // Another program (SQLite's own shell, installed by .ci/run) opens and closes the book.
    let out = std::process::Command::new("sqlite3").arg(&db).arg("SELECT count(*) FROM accounts").output().unwrap();
    assert!(out.status.success());
    assert!(wal.exists(), "the write-ahead log was deleted while the book was open");
    // The first connection still sees and writes the book as the other program does.
    first.write(|w| w.set_meta("probe", "2")).unwrap();
    let other = tend::store::Store::open(&db).unwrap();
    assert_eq!(other.meta("probe").unwrap().as_deref(), Some("2"));
}
