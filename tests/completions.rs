//! `tend completions` and `tend man`: the scripts and pages they print, and completion answered by
//! the real binary from a book it only reads.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// Ask the binary for completions as bash's script does: the words after `--`, the index of the
/// word being completed, and the separator.
fn complete_bash(home: &Path, db: Option<&Path>, words: &[&str]) -> (bool, Vec<String>, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tend"));
    cmd.arg("--").args(words);
    cmd.env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
        .env("_CLAP_COMPLETE_COMP_TYPE", "9")
        .env("_CLAP_COMPLETE_SPACE", "true")
        .env("_CLAP_IFS", "\n")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("TEND_CONFIG");
    match db {
        Some(db) => cmd.env("TEND_DB", db),
        None => cmd.env_remove("TEND_DB"),
    };
    let out = cmd.output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    (
        out.status.success(),
        text.lines().map(str::to_string).collect(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn completion_offers_the_books_names_and_writes_nothing() {
    let (dir, db) = common::imported_crm(30);
    let before = std::fs::read(&db).unwrap();
    let side_files = |p: &Path| ["-wal", "-shm"].map(|s| Path::new(&format!("{}{s}", p.display())).exists());
    let sides = side_files(&db);

    // Names with spaces come escaped for bash, so each stays one word.
    let (ok, names, err) = complete_bash(dir.path(), Some(&db), &["tend", "log", "sentiment", "comp"]);
    assert!(ok, "{err}");
    assert!(
        names.contains(&"Company\\ 1".to_string()) && names.iter().all(|n| n.starts_with("Company\\ ")),
        "{names:?}"
    );
    // External ids in any case; --db on the line wins over TEND_DB.
    let db_arg = db.to_str().unwrap();
    let (_, ids, _) = complete_bash(dir.path(), None, &["tend", "--db", db_arg, "renew", "crm-000"]);
    assert_eq!(ids.len(), 10, "{ids:?}");
    assert!(ids.iter().all(|i| i.starts_with("CRM-000")), "{ids:?}");
    // CSMs, segments and journeys.
    let (_, csms, _) = complete_bash(dir.path(), Some(&db), &["tend", "report", "triage", "--csm", "m"]);
    assert_eq!(csms, ["Maya\\ Patel"]);
    let (_, segments, _) = complete_bash(dir.path(), Some(&db), &["tend", "report", "triage", "--segment", "E"]);
    assert_eq!(segments, ["Elephant"]);
    let (_, journeys, _) = complete_bash(dir.path(), Some(&db), &["tend", "journey", "apply", "CRM-0001", "on"]);
    assert_eq!(journeys, ["onboarding"]);

    assert_eq!(std::fs::read(&db).unwrap(), before, "completion only reads the book");
    assert_eq!(side_files(&db), sides);

    // No book: nothing offered, nothing created, no error in the prompt.
    let missing = dir.path().join("none.db");
    let (ok, names, err) = complete_bash(dir.path(), Some(&missing), &["tend", "log", "sentiment", "a"]);
    assert!(ok && names.is_empty() && err.is_empty(), "{names:?} {err}");
    assert!(!missing.exists());
}

#[test]
fn completions_print_a_script_for_each_shell() {
    let (dir, _) = temp_db();
    for (shell, marker) in [
        ("bash", "complete -o"),
        ("zsh", "compdef"),
        ("fish", "complete"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let (ok, out, err) = tend_in(dir.path(), &["completions", shell]);
        assert!(ok && out.contains(marker) && out.contains("COMPLETE"), "{shell}: {out}{err}");
    }
    let (ok, _, err) = tend_in(dir.path(), &["completions", "tcsh"]);
    assert!(!ok && err.contains("pick one of bash"), "{err}");
}

#[test]
fn man_prints_a_page_and_writes_one_per_command() {
    let (dir, _) = temp_db();
    let (ok, page, err) = tend_in(dir.path(), &["man"]);
    assert!(ok, "{err}");
    assert!(page.starts_with(".ie") || page.contains(".TH tend"), "{}", &page[..200.min(page.len())]);
    assert!(page.contains("completions") && page.contains("undo"), "the commands are listed");
    let folder = dir.path().join("man");
    let (ok, _, err) = tend_in(dir.path(), &["man", "--dir", folder.to_str().unwrap()]);
    assert!(ok, "{err}");
    for page in ["tend.1", "tend-log.1", "tend-log-sentiment.1", "tend-report.1"] {
        assert!(folder.join(page).exists(), "{page}");
    }
}
