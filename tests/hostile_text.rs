//! Hostile or huge text from a file or the command line never crashes a command or reaches the
//! terminal raw. The real binary.

mod common;

use common::{temp_db, tend_on};

#[test]
fn a_huge_name_is_cut_in_tables_not_a_crash() {
    let (dir, db) = temp_db();
    let file = dir.path().join("a.csv");
    let renewal = (common::today() + chrono::Duration::days(20)).to_string();
    std::fs::write(&file, format!("External ID,Account,ARR,Renewal date\nH-1,{},5000,{renewal}\n", "N".repeat(70_000)))
        .unwrap();
    assert!(tend_on(&db, &["import", "accounts", file.to_str().unwrap()]).0);
    for kind in ["triage", "renewals"] {
        let (ok, out, err) = tend_on(&db, &["report", kind]);
        assert!(ok, "report {kind}: {err}");
        assert!(out.contains('…') && out.lines().all(|l| l.chars().count() < 400), "report {kind}:\n{}", &out[..300]);
    }
}

#[test]
fn escape_sequences_never_reach_the_terminal() {
    let (dir, db) = temp_db();
    let file = dir.path().join("a.csv");
    std::fs::write(&file, "External ID,Account\nE-1,Evil Co\n").unwrap();
    assert!(tend_on(&db, &["import", "accounts", file.to_str().unwrap()]).0);
    let hostile = "Champion \u{1b}]52;c;cHduZWQ=\u{7}leaving\u{1b}[2J\u{8}";
    for args in [
        vec!["log", "risk", "E-1", hostile],
        vec!["log", "bug", "E-1", hostile],
        vec!["milestone", "add", "E-1", "adoption", hostile, "--due", "2027-01-01"],
        vec!["log", "list", "E-1"],
        vec!["report", "triage", "--segment", "\u{1b}]0;title\u{7}Fly"],
    ] {
        let (_, out, err) = tend_on(&db, &args);
        for text in [&out, &err] {
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{8}'),
                "{args:?}: {text:?}"
            );
        }
    }
    // A bad value in an import is quoted, cut and cleaned.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, format!("External ID,Account,ARR\nB-1,Bad,\u{1b}[31m{}\n", "9x".repeat(50_000))).unwrap();
    let (ok, _, err) = tend_on(&db, &["import", "accounts", bad.to_str().unwrap()]);
    assert!(
        !ok && err.len() < 2_000 && !err.contains('\u{1b}'),
        "{} bytes: {:?}",
        err.len(),
        &err[..200.min(err.len())]
    );
}
