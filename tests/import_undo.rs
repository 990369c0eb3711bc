//! Taking an import back whole (`tend undo --import`), on a CRM-shaped book imported as a user
//! would: a wrong file (an accounts file without names, a metrics file) is put back to the book
//! as it was, rows, caches and all; what was written since is never taken back with it.

mod common;

use common::{CrmBook, weekly_usage};

/// Every row of every table, but the book's write count and its notes of the last import: what
/// the book holds, in an order of its own.
fn contents(db: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut out = Vec::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
        let columns = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let cells: Vec<String> =
                    (0..columns).map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap())).collect();
                Ok(format!("{table}: {}", cells.join(" | ")))
            })
            .unwrap()
            .map(Result::unwrap)
            .filter(|row| {
                !["generation", "import_undo"].iter().any(|k| row.starts_with(&format!("book_meta: Text({k:?})")))
            })
            .collect();
        rows.sort();
        out.extend(rows);
    }
    out
}

fn copy_of(book: &CrmBook) -> std::path::PathBuf {
    tend::store::import_copy::copy_path(&book.path)
}

/// The names of the files in the book's folder whose name holds `part`.
fn files_beside(book: &CrmBook, part: &str) -> Vec<String> {
    std::fs::read_dir(book.path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains(part))
        .collect()
}

#[test]
fn a_wrong_import_is_taken_back_whole_and_only_once() {
    let book = CrmBook::new(40);
    let usage = book.file("usage.csv", &weekly_usage(&["CRM-0001", "CRM-0002", "CRM-0003"]));
    book.run(&["import", "metrics", &usage]);
    // Worked out as a morning would: history, values and the kept list are in the book too.
    book.run(&["report", "triage"]);
    let before = contents(&book.path);
    assert!(before.iter().any(|r| r.starts_with("metric_samples:")), "the samples are in");

    // An accounts file without names: a new account, and the names of none changed.
    let wrong = book.file("noname.csv", "External ID,CSM,ARR\nX-1,Ana Ruiz,100\nCRM-0002,Maya Patel,\n");
    let said = book.run(&["import", "accounts", &wrong]);
    assert!(said.contains("`tend undo --import` takes this import back"), "{said}");
    assert!(copy_of(&book).exists());
    assert_ne!(contents(&book.path), before);

    // The list of changes has the import first, without a number (the list read "nothing to
    // undo", and `tend undo` then took a whole import back).
    let (ok, listed, _) = common::tend_on(&book.path, &["undo", "--list"]);
    assert!(ok && !listed.contains("nothing to undo"), "{listed}");
    let row = listed.lines().nth(1).unwrap_or_default();
    assert!(row.starts_with("import") && row.contains("the import of accounts from"), "{listed}");
    assert!(row.contains("`tend undo --import` takes it back whole"), "{listed}");
    let (_, json, _) = common::tend_on(&book.path, &["undo", "--list", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(json[0]["number"].is_null() && json[0]["from"] == "an import", "{json}");
    let said = book.run(&["undo", "--import"]);
    assert!(said.starts_with("Undone: the import of accounts from ") && said.contains("noname.csv"), "{said}");
    let listed = book.run(&["undo", "--list"]);
    assert!(!listed.contains("undo --import"), "used up, no longer said: {listed}");
    assert_eq!(contents(&book.path), before, "the book is as it was before the import, caches and all");
    assert!(!copy_of(&book).exists(), "the copy is used up");
    // The book reads as it did: no account X-1, and its list as before.
    let err = book.refused(&["log", "sentiment", "X-1", "5"]);
    assert!(err.contains("X-1"), "{err}");
    // Once only: the copy was used, and the import before it has none.
    let err = book.refused(&["undo", "--import"]);
    assert!(err.contains("no import into") && err.contains("nothing was changed"), "{err}");
}

#[test]
fn a_write_since_the_import_is_never_taken_back() {
    let book = CrmBook::new(20);
    let usage = book.file("usage.csv", &weekly_usage(&["CRM-0001"]));
    // A plain undo right after an import takes the import back, not the change before it.
    book.run(&["log", "sentiment", "CRM-0002", "6"]);
    book.run(&["import", "metrics", &usage]);
    let said = book.run(&["undo"]);
    assert!(said.starts_with("Undone: the import of metrics from "), "{said}");
    assert!(book.run(&["log", "list", "CRM-0002"]).contains("6/10"), "the sentiment before it stays");
    book.run(&["import", "metrics", &usage]);
    book.run(&["log", "sentiment", "CRM-0001", "4"]);
    let err = book.refused(&["undo", "--import"]);
    assert!(
        err.contains("has been written to since the import of metrics from")
            && err.contains("would take those changes back as well; nothing was changed")
            && err.contains(&format!("kept in {}", copy_of(&book).display())),
        "{err}"
    );
    // With a write since, a plain undo is that write's.
    let said = book.run(&["undo"]);
    assert!(said.contains("sentiment 4/10 logged: taken back"), "{said}");
    // A change taken back is a write too: the import stays.
    let err = book.refused(&["undo", "--import"]);
    assert!(err.contains("a change taken back since counts too"), "{err}");
    // Refused, it leaves nothing beside the book but the copy (reading the copy made no -wal).
    let beside = files_beside(&book, ".before-import");
    assert_eq!(beside.len(), 1, "{beside:?}");
}

#[test]
fn a_refused_or_idle_import_keeps_the_last_ones_way_back() {
    let book = CrmBook::new(20);
    let usage = book.file("usage.csv", &weekly_usage(&["CRM-0001"]));
    let before = contents(&book.path);
    book.run(&["import", "metrics", &usage]);
    let copy = std::fs::read(copy_of(&book)).unwrap();
    // A file refused for a bad row, a dry run, --no-undo and the same file again change nothing:
    // the copy that takes the metrics import back is the one kept.
    let bad = book.file("bad.csv", "Account,Metric,Date,Value\nCRM-0002,logins,2026-11-02,-1\n");
    book.refused(&["import", "metrics", &bad]);
    book.run(&["import", "metrics", &usage, "--dry-run"]);
    let said = book.run(&["import", "metrics", &usage]);
    assert!(!said.contains("undo --import"), "nothing changed, nothing to take back: {said}");
    assert_eq!(std::fs::read(copy_of(&book)).unwrap(), copy);
    let strays = files_beside(&book, ".new");
    assert!(strays.is_empty(), "{strays:?}");
    let said = book.run(&["undo", "--import"]);
    assert!(said.contains("the import of metrics from"), "{said}");
    assert_eq!(contents(&book.path), before);

    // With --no-undo no copy is made, and the import is not said to be undoable.
    let said = book.run(&["import", "metrics", &usage, "--no-undo"]);
    assert!(!said.contains("undo --import") && !copy_of(&book).exists(), "{said}");
    let err = book.refused(&["undo", "--import"]);
    assert!(err.contains("left to undo"), "{err}");
}

/// An import that replaces the way back from the one before (still undoable: nothing written
/// since) says so (a probe's goals import was silently no longer undoable after a milestones one).
#[test]
fn an_import_says_when_the_one_before_can_no_longer_be_taken_back() {
    let book = CrmBook::new(5);
    let first = book.file("first.csv", "Account,Journey,Milestone,Due\nCRM-0001,onboarding,Kickoff,2027-01-19\n");
    let said = book.run(&["import", "milestones", &first]);
    // The way back from the accounts import (nothing written since) is replaced, and said.
    assert!(
        said.contains("`tend undo --import` takes this import back")
            && said.contains("the import before (accounts from"),
        "{said}"
    );
    let milestones =
        book.file("milestones.csv", "Account,Journey,Milestone,Due\nCRM-0002,onboarding,Kickoff,2027-01-20\n");
    let said = book.run(&["import", "milestones", &milestones]);
    assert!(
        said.contains("the import before (milestones from ") && said.contains("can no longer be taken back"),
        "{said}"
    );
    // A write in between ends the way back anyway: nothing more is said then.
    book.run(&["log", "sentiment", "CRM-0003", "6", "--by", "Ben Okafor"]);
    let again = book.file("again.csv", "Account,Journey,Milestone,Due\nCRM-0004,onboarding,Kickoff,2027-01-21\n");
    let said = book.run(&["import", "milestones", &again]);
    assert!(!said.contains("the import before"), "{said}");
}
