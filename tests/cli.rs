//! The real binary against temp files: demo, config check, and every refusal.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;
use tend::store::NewAccount;

/// The binary with a private home, so defaults never touch the real user's files.
fn tend(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tend"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("TEND_AS_OF", TODAY);
    cmd
}

fn run(cmd: &mut Command) -> (bool, String, String) {
    let Output { status, stdout, stderr } = cmd.output().unwrap();
    (status.success(), String::from_utf8_lossy(&stdout).into_owned(), String::from_utf8_lossy(&stderr).into_owned())
}

#[test]
fn demo_writes_its_own_private_book() {
    let (dir, path) = temp_db();
    let (ok, _, err) = run(tend(dir.path()).args(["demo", "--no-open", "--db"]).arg(&path));
    assert!(ok, "{err}");
    assert!(err.contains("60 accounts, 3 CSMs"), "{err}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // A second run leaves it be; --rebuild makes it afresh with another size.
    let (ok, _, err) = run(tend(dir.path()).args(["demo", "--no-open", "--db"]).arg(&path));
    assert!(ok && err.contains("already exists"), "{err}");
    let (ok, _, err) =
        run(tend(dir.path()).args(["demo", "--no-open", "--rebuild", "--accounts", "15", "--db"]).arg(&path));
    assert!(ok && err.contains("15 accounts"), "{err}");
    let store = tend::store::Store::open(&path).unwrap();
    assert_eq!(store.account_count().unwrap(), 15);
}

/// The help says where this machine's config and book are (a probe looked for the config's
/// path in `tend config --help`, which said "in the platform config directory").
#[test]
fn help_names_the_config_and_the_book_where_they_are() {
    let (dir, _) = temp_db();
    let (ok, out, err) = run(tend(dir.path()).args(["config", "--help"]));
    assert!(ok, "{err}");
    let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
    let config = dir.path().join("config/tend/config.toml");
    let book = dir.path().join("data/tend/tend.db");
    assert!(words.contains(&format!("The config file [default: {}]", config.display())), "{out}");
    assert!(words.contains(&format!("[default: {}]", book.display())), "{out}");
}

#[test]
fn demo_defaults_to_its_own_file_in_the_data_dir() {
    let (dir, _) = temp_db();
    let (ok, _, err) = run(tend(dir.path()).args(["demo", "--no-open", "--accounts", "5"]));
    assert!(ok, "{err}");
    let demo = dir.path().join("data/tend/demo.db");
    assert!(demo.exists(), "{err}");
    assert!(!dir.path().join("data/tend/tend.db").exists(), "the demo must not be the real book");
}

#[test]
fn demo_never_overwrites_a_real_book() {
    let (dir, path) = temp_db();
    let mut store = tend::store::Store::open(&path).unwrap();
    store
        .write(|w| {
            w.insert_account(&NewAccount {
                csm_id: None,
                arr: tend::domain::Cents::from_units(12_000.0),
                ..NewAccount::new("REAL-1", "Real Customer")
            })
        })
        .unwrap();
    drop(store);
    let (ok, _, err) = run(tend(dir.path()).args(["demo", "--no-open", "--rebuild", "--db"]).arg(&path));
    assert!(!ok);
    assert!(err.contains("real book") && err.contains(path.to_str().unwrap()), "{err}");
    let store = tend::store::Store::open(&path).unwrap();
    assert_eq!(store.account_count().unwrap(), 1);
}

#[test]
fn a_db_path_in_a_missing_folder_is_refused() {
    let (dir, _) = temp_db();
    let bad = dir.path().join("nowhere/book.db");
    let (ok, _, err) = run(tend(dir.path()).arg("--db").arg(&bad));
    assert!(!ok);
    assert!(err.contains("nowhere") && err.contains("does not exist"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn a_corrupt_db_is_refused_and_left_alone() {
    let (dir, path) = temp_db();
    let junk = vec![0x42u8; 8192];
    std::fs::write(&path, &junk).unwrap();
    let (ok, _, err) = run(tend(dir.path()).args(["demo", "--no-open", "--rebuild", "--db"]).arg(&path));
    assert!(!ok);
    assert!(err.contains("not a tend database") && err.contains(path.to_str().unwrap()), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), junk);
}

/// Another program's SQLite database is refused, even by a command that only reads: tend had
/// created its own tables beside the program's (and switched its journal) on `export accounts`.
#[test]
fn another_programs_database_is_refused_and_left_alone() {
    let (dir, path) = temp_db();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);",
    )
    .unwrap();
    drop(conn);
    let before = std::fs::read(&path).unwrap();
    for args in [&["export", "accounts"][..], &["report", "triage"], &["import", "accounts", "-"]] {
        let (ok, _, err) = run(tend(dir.path()).args(args).arg("--db").arg(&path));
        assert!(!ok, "{args:?}");
        assert!(err.contains("another program's SQLite database (tables invoices), not a tend book"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "{args:?}");
    }
    assert!(!std::path::Path::new(&format!("{}-wal", path.display())).exists());
}

#[test]
fn tend_db_variable_chooses_the_book() {
    let (dir, path) = temp_db();
    let (ok, _, err) = run(tend(dir.path()).env("TEND_DB", &path).args(["demo", "--no-open", "--accounts", "4"]));
    assert!(ok, "{err}");
    assert_eq!(tend::store::Store::open(&path).unwrap().account_count().unwrap(), 4);
}

#[test]
fn config_check_without_a_file_prints_the_defaults() {
    let (dir, _) = temp_db();
    let (ok, out, err) = run(tend(dir.path()).args(["config", "check"]));
    assert!(ok, "{err}");
    assert!(out.contains("not found, built-in defaults apply"), "{out}");
    let body: String = out.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join("\n");
    let printed = tend::config::Config::from_toml(&body, std::path::Path::new("printed.toml")).unwrap();
    assert_eq!(printed, tend::config::Config::default());
}

#[test]
fn config_check_applies_a_partial_file() {
    let (dir, _) = temp_db();
    let file = dir.path().join("mine.toml");
    std::fs::write(&file, "[health.bands]\ngreen = 80\n").unwrap();
    let (ok, out, err) = run(tend(dir.path()).args(["config", "check", "--config"]).arg(&file));
    assert!(ok, "{err}");
    assert!(out.contains("valid") && out.contains("green = 80") && out.contains("yellow = 50"), "{out}");
}

#[test]
fn config_check_warns_when_a_view_key_hides_a_global_one() {
    let (dir, _) = temp_db();
    let file = dir.path().join("keys.toml");
    std::fs::write(&file, "[keys.portfolio]\nreverse_sort = \"t\"\n").unwrap();
    let (ok, out, err) = run(tend(dir.path()).args(["config", "check", "--config"]).arg(&file));
    assert!(ok, "a hidden key is allowed: {err}");
    assert!(out.contains("# warning: keys.portfolio.reverse_sort: t is log_touch's key"), "{out}");
}

#[test]
fn a_bad_config_names_file_line_and_key_and_changes_nothing() {
    let (dir, path) = temp_db();
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, "[health]\njumpstart_days = 90\n\n[health.factors.nps]\nweight = \"heavy\"\n").unwrap();
    for args in [vec!["config", "check"], vec!["demo", "--no-open"]] {
        let (ok, _, err) = run(tend(dir.path()).args(&args).arg("--config").arg(&file).arg("--db").arg(&path));
        assert!(!ok, "{args:?}");
        assert!(err.contains("bad.toml:5") && err.contains("health.factors.nps.weight"), "{err}");
    }
    assert!(!path.exists(), "a refused config must not create a book");
}

#[test]
fn a_missing_explicit_config_is_refused() {
    let (dir, _) = temp_db();
    let (ok, _, err) = run(tend(dir.path()).args(["config", "check", "--config", "/no/such/tend.toml"]));
    assert!(!ok);
    assert!(err.contains("/no/such/tend.toml"), "{err}");
}

/// A command on the book with a `--config` that is not there (a typo in a nightly snapshot)
/// is refused, and the book is left as it was: on the built-in defaults in the file's place it
/// would be scored and kept by rules nobody chose.
#[test]
fn a_book_command_with_a_config_not_there_is_refused_and_changes_nothing() {
    let (dir, path) = temp_db();
    let (ok, _, err) = run(tend(dir.path()).args(["demo", "--no-open", "--accounts", "40", "--db"]).arg(&path));
    assert!(ok, "{err}");
    let before = std::fs::read(&path).unwrap();
    let typo = dir.path().join("tend-confg.toml");
    for args in [vec!["snapshot"], vec!["report", "brief"], vec!["report", "triage", "--format", "json"]] {
        let (ok, out, err) = run(tend(dir.path()).args(&args).arg("--config").arg(&typo).arg("--db").arg(&path));
        assert!(!ok, "{args:?}: {out}");
        assert!(
            err.contains("no config at") && err.contains("tend-confg.toml") && err.contains("nothing was run"),
            "{err}"
        );
        assert!(out.is_empty(), "{out}");
    }
    assert_eq!(std::fs::read(&path).unwrap(), before, "the book is as it was");
    assert!(!typo.exists());
}

#[test]
fn out_of_range_demo_size_is_refused() {
    let (dir, path) = temp_db();
    let (ok, _, err) = run(tend(dir.path()).args(["demo", "--no-open", "--accounts", "2000000", "--db"]).arg(&path));
    assert!(!ok);
    assert!(err.contains("--accounts"), "{err}");
    assert!(!path.exists());
}

#[test]
fn demo_back_fills_history_and_snapshot_is_idempotent() {
    let (dir, path) = temp_db();
    let (ok, _, err) = run(tend(dir.path()).args(["demo", "--no-open", "--db"]).arg(&path));
    assert!(ok, "{err}");
    assert!(err.contains("daily scores of history"), "{err}");
    let store = tend::store::Store::open(&path).unwrap();
    // Today and 7, 30 and 90 days back, the days the screens compare, and the same of the next
    // working day, worked out in the same read of the facts.
    assert_eq!(store.history_days().unwrap().len(), 8, "the anchor days of today and tomorrow");
    assert_eq!(store.accounts_missing_snapshot("2026-11-24".parse().unwrap()).unwrap(), 0);
    drop(store);
    // Nothing new to do the same day.
    let (ok, out, err) = run(tend(dir.path()).args(["snapshot", "--db"]).arg(&path));
    assert!(ok, "{err}");
    assert!(out.contains("book.db: history to 2026-11-23, 0 daily scores written"), "{out}");
    assert!(out.contains("Tuesday 2026-11-24 worked out ahead: its first open shows Triage at once."), "{out}");
    // The next day was worked out ahead: nothing to do for it, and its own next day is worked
    // out now; a day no open prepared moves every anchor.
    let (ok, out, err) = run(tend(dir.path()).args(["snapshot", "--as-of", "2026-11-24", "--db"]).arg(&path));
    assert!(ok, "{err}");
    assert!(out.contains("history to 2026-11-24, ") && !out.contains("recomputed"), "{out}");
    assert!(out.contains("Wednesday 2026-11-25 worked out ahead"), "{out}");
    let (ok, out, err) = run(tend(dir.path()).args(["snapshot", "--as-of", "2026-12-04", "--db"]).arg(&path));
    assert!(ok, "{err}");
    assert!(out.contains("history to 2026-12-04, ") && out.contains("Monday 2026-12-07 worked out ahead"), "{out}");
    assert!(out.lines().all(|l| l.chars().count() <= 80), "lines fit a terminal: {out}");
}

#[test]
fn snapshot_without_a_book_is_refused() {
    let (dir, path) = temp_db();
    let (ok, _, err) = run(tend(dir.path()).args(["snapshot", "--db"]).arg(&path));
    assert!(!ok);
    assert!(err.contains("no book at"), "{err}");
    assert!(!path.exists(), "nothing was created");
    // In a folder that is not there, the import offered would fail: the folder is said instead.
    let missing = dir.path().join("no/such/folder/book.db");
    let (ok, _, err) = run(tend(dir.path()).args(["report", "triage", "--db"]).arg(&missing));
    assert!(!ok && err.contains("does not exist either") && !err.contains("import accounts FILE"), "{err}");
}

#[test]
fn an_import_brings_the_history_up_to_date() {
    let (dir, path) = temp_db();
    let accounts = dir.path().join("accounts.csv");
    std::fs::write(&accounts, "external_id,name,customer_since\nA1,Acme,2025-01-01\n").unwrap();
    let (ok, _, err) = run(tend(dir.path()).args(["import", "accounts", "--db"]).arg(&path).arg(&accounts));
    assert!(ok, "{err}");
    let logs = dir.path().join("logs.csv");
    std::fs::write(&logs, "account,kind,date,score\nA1,sentiment,2026-11-01,9\nA1,sentiment,2026-11-20,3\n").unwrap();
    // Sentiment alone is 15% of the default weight: not enough data for a score, so no history.
    let (ok, _, err) = run(tend(dir.path()).args(["import", "logs", "--db"]).arg(&path).arg(&logs));
    assert!(ok, "{err}");
    let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    let store = tend::store::Store::open(&path).unwrap();
    assert!(store.account_history(1, day("2026-10-31"), day("2026-11-23")).unwrap().is_empty());
    drop(store);
    // With a minimum it reaches, the history is back-filled on the anchor days from the first
    // sentiment: 7 days back (Nov 16, after the 9) and today (after the 3); and, worked out
    // ahead, those of tomorrow (7 days before it, Nov 17, and Nov 24 itself).
    let config = dir.path().join("low.toml");
    std::fs::write(&config, "[health]\nmin_coverage = 0.1\n").unwrap();
    let (ok, _, err) = run(tend(dir.path()).args(["snapshot", "--db"]).arg(&path).arg("--config").arg(&config));
    assert!(ok, "{err}");
    let store = tend::store::Store::open(&path).unwrap();
    let history = store.account_history(1, day("2026-10-31"), day("2026-11-24")).unwrap();
    let days: Vec<_> = history.iter().map(|h| h.0).collect();
    assert_eq!(days, vec![day("2026-11-16"), day("2026-11-17"), day("2026-11-23"), day("2026-11-24")]);
    let on = |d: &str| history.iter().find(|h| h.0 == day(d)).and_then(|h| h.1.score);
    assert!(on("2026-11-16") > on("2026-11-23"), "the fall after the low sentiment is in the history");
}

#[test]
fn an_as_of_day_out_of_any_sensible_range_is_refused() {
    let (dir, path) = temp_db();
    let (ok, _, err) = run(tend(dir.path()).args(["demo", "--no-open", "--as-of", "0001-01-05", "--db"]).arg(&path));
    assert!(!ok);
    assert!(err.contains("--as-of 0001-01-05"), "{err}");
    assert!(!path.exists(), "nothing was created");
}

/// A config named before it exists: the defaults apply, said once; `tend config init` writes the
/// commented example there, and will not overwrite it.
#[test]
fn a_config_not_written_yet_uses_the_defaults_and_config_init_writes_it() {
    let (dir, db) = temp_db();
    let file = dir.path().join("mine.toml");
    let (ok, out, err) = run(tend(dir.path()).args(["config", "check", "--config"]).arg(&file));
    assert!(ok, "{err}");
    assert!(err.contains("no config at") && err.contains("tend config init"), "{err}");
    assert!(out.contains("not found, built-in defaults apply"), "{out}");
    assert_eq!(err.matches("no config at").count(), 1, "said once: {err}");
    let (ok, written, err) = run(tend(dir.path()).args(["config", "init"]).arg(&file));
    assert!(ok, "{err}");
    assert!(written.contains(&format!("`tend config check --config {}`", file.display())), "{written}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("[health.factors.sentiment]") && text.contains("# "), "the commented example");
    let (ok, out, err) = run(tend(dir.path()).args(["config", "check", "--config"]).arg(&file).arg("--db").arg(&db));
    assert!(ok && out.contains("valid"), "{err}");
    let (ok, _, err) = run(tend(dir.path()).args(["config", "init"]).arg(&file));
    assert!(!ok && err.contains("exists already"), "{err}");
    // The default file: `tend config check` reads it without --config (a probe was told to pass
    // the default path).
    let (ok, out, err) = run(tend(dir.path()).args(["config", "init"]));
    assert!(ok && out.contains("config.toml: written") && out.contains("then `tend config check`"), "{out}{err}");
}

/// An empty file where the book should be (a copy cut short) is not taken for a new book.
#[test]
fn an_empty_file_is_not_a_book() {
    let (dir, path) = temp_db();
    std::fs::write(&path, b"").unwrap();
    for args in
        [&[][..], &["snapshot"], &["report", "triage"], &["export", "accounts"], &["log", "sentiment", "A1", "5"]]
    {
        let (ok, _, err) = run(tend(dir.path()).args(args).arg("--db").arg(&path));
        assert!(!ok, "{args:?}");
        assert!(err.contains("is an empty file, not a tend book"), "{args:?}: {err}");
        assert!(err.contains("`tend import accounts FILE --db "), "the hint names the book: {err}");
    }
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0, "nothing was written");
}

/// Only an accounts import starts a book: another import on a mistyped path is refused and creates
/// nothing; the screens with no terminal leave a book as it was.
#[test]
fn a_mistyped_book_is_not_made_and_no_terminal_changes_nothing() {
    let (dir, path) = temp_db();
    let logs = dir.path().join("logs.csv");
    std::fs::write(&logs, "account,kind,date,score\nA1,sentiment,2026-11-01,9\n").unwrap();
    let (ok, _, err) = run(tend(dir.path()).args(["import", "logs", "--db"]).arg(&path).arg(&logs));
    assert!(!ok && err.contains("no book at"), "{err}");
    assert!(!path.exists(), "nothing was created");
    let accounts = dir.path().join("accounts.csv");
    std::fs::write(&accounts, "external_id,name,customer_since\nA1,Acme,2025-01-01\n").unwrap();
    let (ok, _, err) = run(tend(dir.path()).args(["import", "accounts", "--db"]).arg(&path).arg(&accounts));
    assert!(ok, "{err}");
    let before = std::fs::read(&path).unwrap();
    let (ok, _, err) = run(tend(dir.path()).args(["--as-of", "2027-01-04", "--db"]).arg(&path));
    assert!(!ok && err.contains("the screens need a terminal"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "a new day's caches were not worked out and stored");
}

/// A report's name typed as a command (as a new user does) is told the command it is.
#[test]
fn a_reports_name_typed_as_a_command_is_told_the_command() {
    let dir = tempfile::tempdir().unwrap();
    for typed in ["triage", "trige", "renewals"] {
        let (ok, _, err) = run(tend(dir.path()).arg(typed));
        assert!(!ok, "{typed}");
        let report = if typed == "renewals" { "renewals" } else { "triage" };
        assert!(err.contains(&format!("tip: reports are a command of their own: tend report {report}")), "{err}");
    }
    // Anything else is clap's own message alone.
    let (ok, _, err) = run(tend(dir.path()).arg("frobnicate"));
    assert!(!ok && err.contains("unrecognized subcommand") && !err.contains("tend report"), "{err}");
}

/// `export TEND_AS_OF=` (to clear it) made every command fail with "\"\" is not a date" (a
/// probe's): a variable set to nothing is no setting, for the book and the config too.
#[test]
fn a_blank_environment_variable_is_no_setting() {
    let (_dir, db) = imported_crm(5);
    let (ok, out, err) = tend_on_day(&db, "", &["report", "triage", "--format", "json"]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["as_of"], chrono::Local::now().date_naive().to_string(), "today, as when unset");
    let (ok, _, err) = tend_on_day(&db, " ", &["report", "triage"]);
    assert!(ok, "{err}");
}
