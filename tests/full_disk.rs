//! A disk that fills up after an import has committed: the import is done and said so, and the
//! book can still be read on the full disk. The disk is a small tmpfs, mounted in a user and
//! mount namespace of its own (`unshare`, from util-linux), filled all but a little; the real
//! binary runs on it.

#![cfg(target_os = "linux")]

mod common;

use common::{temp_db, tend_on};

/// Run `steps` (shell commands, `$TEND` the binary, the book at `$DISK/book.db`) on a 32 MB
/// tmpfs holding a copy of `db`, with all but `free` bytes of it taken. Each step's output is
/// returned, with its exit status, in order.
fn on_a_full_disk(db: &std::path::Path, config: &std::path::Path, free: u64, steps: &[&str]) -> Vec<(bool, String)> {
    let dir = db.parent().unwrap();
    let disk = dir.join("disk");
    std::fs::create_dir_all(&disk).unwrap();
    let mut script = format!(
        "set -u\nmount -t tmpfs -o size=32m tmpfs \"$DISK\" || exit 97\ncp \"$BOOK\" \"$DISK/book.db\"\n\
         dd if=/dev/zero of=\"$DISK/filler\" bs=64k 2>/dev/null\ntruncate -s -{free} \"$DISK/filler\"\n"
    );
    for (n, step) in steps.iter().enumerate() {
        script.push_str(&format!("{step} > \"$OUT/{n}\" 2>&1; echo $? > \"$OUT/{n}.rc\"\n"));
    }
    let out = std::process::Command::new("unshare")
        .args(["-Urm", "sh", "-c", &script])
        .env("DISK", &disk)
        .env("BOOK", db)
        .env("OUT", dir)
        .env("TEND", env!("CARGO_BIN_EXE_tend"))
        .env("TEND_CONFIG", config)
        .env("TEND_AS_OF", common::TODAY)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .output()
        .expect("unshare (util-linux) runs");
    assert_ne!(
        out.status.code(),
        Some(97),
        "cannot mount a tmpfs in a user namespace: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (0..steps.len())
        .map(|n| {
            let rc = std::fs::read_to_string(dir.join(format!("{n}.rc"))).unwrap_or_default();
            (rc.trim() == "0", std::fs::read_to_string(dir.join(n.to_string())).unwrap_or_default())
        })
        .collect()
}

#[test]
fn a_full_disk_after_the_commit_is_not_a_failed_import() {
    let (dir, db) = temp_db();
    let accounts = dir.path().join("a.csv");
    let logs = dir.path().join("l.csv");
    let (mut a, mut l) = (String::from("External ID,Account\n"), String::from("account,kind,date,score\n"));
    for i in 0..6000 {
        a.push_str(&format!("F-{i},Full {i}\n"));
        l.push_str(&format!("F-{i},sentiment,{},{}\n", common::today() - chrono::Duration::days(i % 120), 1 + i % 10));
    }
    std::fs::write(&accounts, a).unwrap();
    std::fs::write(&logs, l).unwrap();
    // With the default rules sentiment alone is not enough data: no account scores, no history.
    assert!(tend_on(&db, &["import", "accounts", accounts.to_str().unwrap()]).0);
    assert!(tend_on(&db, &["import", "logs", logs.to_str().unwrap()]).0);
    // With these rules every account scores: the history after the next import has 6,000
    // accounts on four days to write, where the import itself writes one entry.
    let config = dir.path().join("tend.toml");
    std::fs::write(&config, "[health]\nmin_coverage = 0.0\n").unwrap();
    let one = dir.path().join("one.csv");
    std::fs::write(&one, format!("account,kind,date,score\nF-1,sentiment,{},8\n", common::today())).unwrap();
    let book = "--db \"$DISK/book.db\" --config \"$TEND_CONFIG\"";
    let steps = [
        format!("\"$TEND\" import logs '{}' {book}", one.display()),
        format!("\"$TEND\" log list F-7 {book}"),
        format!("\"$TEND\" report triage {book}"),
        format!("rm \"$DISK/filler\" && \"$TEND\" snapshot {book}"),
    ];
    let steps: Vec<&str> = steps.iter().map(String::as_str).collect();
    let results = on_a_full_disk(&db, &config, 100_000, &steps);
    let (ok, out) = &results[0];
    assert!(*ok, "the import committed, so it succeeded: {out}");
    assert!(out.contains("imported 1 log entry: 1 new"), "{out}");
    // No copy of the book fits beside it: the import goes on without a way back, and says so.
    assert!(out.contains("no copy of the book could be kept to take this import back"), "{out}");
    assert!(!out.contains("undo --import"), "{out}");
    assert!(out.contains("the import is complete, but the health history could not be brought up to date"), "{out}");
    // Still full: the book is read and says what it holds.
    let (ok, out) = &results[1];
    assert!(*ok && out.contains("sentiment"), "a read on a full disk: {out}");
    let (ok, out) = &results[2];
    assert!(*ok, "a report on a full disk: {out}");
    // With room again, the history is brought up to date.
    let (ok, out) = &results[3];
    assert!(*ok && !out.contains(" 0 daily scores written"), "{out}");
}
