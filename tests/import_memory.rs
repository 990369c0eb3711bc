//! Importers hold a row at a time, not the file: the peak memory of `tend import metrics` and
//! `tend import logs` does not grow with the number of rows. The real binary; peak memory as the
//! kernel counts it for each child (its own test binary, so no other test's children count).

#![cfg(target_os = "linux")]

mod common;

use std::io::Write;
use std::os::unix::process::ExitStatusExt;

use common::{temp_db, tend_on};

/// Run the real binary and return its peak resident memory in KB.
#[allow(clippy::zombie_processes)] // reaped by the wait4 below, which also reads its usage
fn peak_kb(args: &[&str], home: &std::path::Path) -> i64 {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_tend"))
        .args(args)
        .env("TEND_AS_OF", common::TODAY)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for the child just spawned, filling the two locals.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32);
    assert!(std::process::ExitStatus::from_raw(status).success(), "tend {args:?} failed");
    usage.ru_maxrss
}

#[test]
fn import_memory_does_not_grow_with_the_file() {
    let (dir, _) = temp_db();
    let accounts = dir.path().join("a.csv");
    let mut text = String::from("External ID,Account\n");
    for i in 0..500 {
        text.push_str(&format!("A-{i},Account {i}\n"));
    }
    std::fs::write(&accounts, text).unwrap();
    // Dry runs: the same pass as an import (each row checked and written in one transaction,
    // then abandoned), without the history back-fill after it, whose memory grows with the
    // facts of a chunk of accounts, not with the file.
    // Each row carries a kilobyte in a column no importer reads: the file is big, what the
    // book gains from it is small.
    let padding = "p".repeat(1_000);
    // The files are written row by row: a child's peak as the kernel counts it starts from this
    // process's own peak (the child is spawned sharing its memory), so a 30 MB string built here
    // would be measured as the importer's.
    let write = |file: &std::path::Path, header: &str, days: usize, row: &dyn Fn(usize, &str) -> String| {
        let mut out = std::io::BufWriter::new(std::fs::File::create(file).unwrap());
        writeln!(out, "{header}").unwrap();
        for d in 0..days {
            let day = (common::today() - chrono::Duration::days(d as i64)).to_string();
            for i in 0..500 {
                writeln!(out, "A-{i},{},{padding}", row(i + d, &day)).unwrap();
            }
        }
        out.flush().unwrap();
    };
    let metrics = |file: &std::path::Path, days| {
        write(file, "account,metric,date,value,detail", days, &|n, day| format!("page_views,{day},{n}"))
    };
    let logs = |file: &std::path::Path, days| {
        write(file, "account,kind,date,channel,detail", days, &|_, day| format!("touch,{day},email"))
    };
    for (kind, make) in [("metrics", &metrics as &dyn Fn(&std::path::Path, usize)), ("logs", &logs)] {
        let mut peaks = Vec::new();
        for days in [4, 60] {
            let db = dir.path().join(format!("{kind}-{days}.db"));
            assert!(tend_on(&db, &["import", "accounts", accounts.to_str().unwrap()]).0);
            let file = dir.path().join(format!("{kind}-{days}.csv"));
            make(&file, days);
            let args = ["import", kind, file.to_str().unwrap(), "--dry-run", "--db", db.to_str().unwrap()];
            peaks.push(peak_kb(&args, dir.path()));
        }
        // 2,000 rows against 30,000 (30 MB): held whole, the larger file took 60 MB more.
        let (small, large) = (peaks[0], peaks[1]);
        assert!(large - small < 12_000, "{kind}: {small} KB for 2,000 rows, {large} KB for 30,000");
    }
}
