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

/// One long field early in a metrics or logs file once cost its size again for every later row
/// (a 1 MB field and 3,000 rows: over 1.5 GB). Under a 1.5 GB address-space limit, the import
/// now runs to its answer.
#[cfg(target_os = "linux")]
#[test]
fn a_long_field_does_not_multiply_memory() {
    let (dir, db) = temp_db();
    let accounts = dir.path().join("a.csv");
    std::fs::write(&accounts, "External ID,Account\nA-1,Acme\n").unwrap();
    assert!(tend_on(&db, &["import", "accounts", accounts.to_str().unwrap()]).0);
    for (kind, header, long_row, row) in [
        (
            "metrics",
            "account,metric,date,value",
            format!("A-1,usage,2026-01-01,{}", "9".repeat(1_000_000)),
            "A-1,usage,2026-{m:02}-{d:02},5",
        ),
        (
            "logs",
            "account,kind,date,score,note",
            format!("A-1,sentiment,2026-01-01,7,{}", "n".repeat(1_000_000)),
            "A-1,touch,2026-{m:02}-{d:02},,call",
        ),
    ] {
        let mut text = format!("{header}\n{long_row}\n");
        for i in 0..3000 {
            let line =
                row.replace("{m:02}", &format!("{:02}", 1 + i % 10)).replace("{d:02}", &format!("{:02}", 1 + i % 28));
            text.push_str(&line);
            text.push('\n');
        }
        let file = dir.path().join(format!("{kind}.csv"));
        std::fs::write(&file, text).unwrap();
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "ulimit -v 1500000; exec '{}' import {kind} '{}' --db '{}'",
                env!("CARGO_BIN_EXE_tend"),
                file.display(),
                db.display()
            ))
            .env("TEND_AS_OF", common::TODAY)
            .env("HOME", dir.path())
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.code().is_some(), "{kind}: killed by a signal: {err}");
        assert!(!err.contains("memory allocation") && !err.contains("panicked"), "{kind}: {err}");
    }
}
