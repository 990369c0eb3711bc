//! Shared test helpers: a demo book in a temp file, an app over it, keys and screens.
#![allow(dead_code)]

pub mod tmux;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::Duration;

use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tempfile::TempDir;

use tend::config::Config;
use tend::demo::{self, DemoSpec};
use tend::store::Store;
use tend::tui::App;
use tend::tui::theme::Theme;

pub const TODAY: &str = "2026-11-23";

pub fn today() -> NaiveDate {
    TODAY.parse().unwrap()
}

/// A temp folder holding `book.db`; the folder lives as long as the returned guard.
pub fn temp_db() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.db");
    (dir, path)
}

pub fn demo_store(accounts: usize) -> (TempDir, Store) {
    let (dir, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    demo::build(
        &mut store,
        DemoSpec { accounts, seed: demo::DEFAULT_SEED, today: today(), journeys: &Config::default().journeys },
    )
    .unwrap();
    (dir, store)
}

/// The app on the demo book, as it opens: on Triage.
pub fn triage_app() -> (TempDir, App) {
    let (dir, store) = demo_store(demo::DEFAULT_ACCOUNTS);
    let app = App::new(store, Config::default(), today(), Theme { color: true }).unwrap();
    (dir, app)
}

/// The app on the demo book, switched to the Portfolio.
pub fn demo_app() -> (TempDir, App) {
    let (dir, mut app) = triage_app();
    press(&mut app, KeyCode::Char('2'));
    (dir, app)
}

pub fn press(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE)).unwrap();
}

pub fn typ(app: &mut App, text: &str) {
    text.chars().for_each(|c| press(app, KeyCode::Char(c)));
}

pub fn screen(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(width, height)).unwrap();
    t.draw(|f| app.render(f)).unwrap();
    t
}

/// The screen as plain text, one line per row, trailing spaces trimmed.
pub fn text(app: &App, width: u16, height: u16) -> String {
    let t = screen(app, width, height);
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
            line.trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The real binary as of TODAY with a private home in `home` (so no real config or book is
/// touched): (succeeded, stdout, stderr).
fn run_tend(
    home: &std::path::Path,
    cwd: Option<&std::path::Path>,
    args: &[&str],
    db: Option<&std::path::Path>,
) -> (bool, String, String) {
    run_tend_as_of(home, cwd, args, db, TODAY)
}

fn run_tend_as_of(
    home: &std::path::Path,
    cwd: Option<&std::path::Path>,
    args: &[&str],
    db: Option<&std::path::Path>,
    as_of: &str,
) -> (bool, String, String) {
    run_tend_with(home, cwd, args, db, as_of, &[])
}

/// `tend_in` with more of the environment set (set after the rest: it wins).
pub fn tend_in_with(
    dir: &std::path::Path,
    args: &[&str],
    env: &[(&str, std::ffi::OsString)],
) -> (bool, String, String) {
    run_tend_with(dir, Some(dir), args, None, TODAY, env)
}

fn run_tend_with(
    home: &std::path::Path,
    cwd: Option<&std::path::Path>,
    args: &[&str],
    db: Option<&std::path::Path>,
    as_of: &str,
    env: &[(&str, std::ffi::OsString)],
) -> (bool, String, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_tend"));
    cmd.args(args);
    if let Some(db) = db {
        cmd.arg("--db").arg(db);
    }
    if let Some(cwd) = cwd {
        cmd.current_dir(cwd);
    }
    let out = cmd
        .env("TEND_AS_OF", as_of)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("TEND_CONFIG")
        .env_remove("TEND_DB")
        // The team tests' cluster offers TLS with a certificate of its own authority: trusted.
        .envs(std::env::var_os("TEND_TEST_POSTGRES_CA").map(|ca| ("SSL_CERT_FILE", ca)))
        .envs(env.iter().map(|(k, v)| (*k, v)))
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Run the real binary on the book at `path` as of TODAY, with a private home beside it.
pub fn tend_on(path: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    run_tend(path.parent().unwrap(), None, args, Some(path))
}

/// `tend_on` as of another day.
pub fn tend_on_day(path: &std::path::Path, as_of: &str, args: &[&str]) -> (bool, String, String) {
    run_tend_as_of(path.parent().unwrap(), None, args, Some(path), as_of)
}

/// Run the real binary in `dir` (relative paths resolve there), with a private home there.
pub fn tend_in(dir: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    run_tend(dir, Some(dir), args, None)
}

/// The id of a factor of the default configuration.
pub fn id(key: &str) -> tend::domain::FactorId {
    static DEFAULT: std::sync::LazyLock<Config> = std::sync::LazyLock::new(Config::default);
    DEFAULT.health.catalog.id(key).unwrap_or_else(|| panic!("no factor {key} in the default config"))
}

/// A CRM-shaped export of `n` accounts: ids, names (some quoted with commas), owners, ARR in
/// several spellings (some missing), customer-since spread over ten years with a few in the last
/// weeks, renewal dates past and future (some missing), segment inputs and a column tend does not
/// know. Deterministic.
pub fn crm_file(dir: &Path, n: usize) -> PathBuf {
    let mut text = String::from(
        "External ID,Account,CSM,ARR,Customer since,Renewal date,Expected volume,Advocacy,Brand value,Region\n",
    );
    let owners = ["Maya Patel", "Ben Okafor", "Liam Chen", ""];
    for i in 0..n {
        let since = today()
            - Duration::days(match i % 10 {
                0 => 3,                                 // last week
                1 => 20,                                // this month
                2 => 60,                                // in jumpstart
                k => 200 + (k as i64) * 400 + i as i64, // one to ten years ago
            });
        let renewal = match i % 4 {
            0 => String::new(),
            1 => (today() - Duration::days(30 + i as i64 % 300)).to_string(), // past
            _ => (today() + Duration::days(10 + (i as i64 * 7) % 400)).to_string(),
        };
        let arr = match i % 5 {
            0 => String::new(),
            1 => format!("\"${},{:03}\"", 10 + i % 990, i % 1000),
            2 => format!("{}", 5_000 + i * 13),
            3 => "€1.2k".into(),
            _ => format!("{}.50", 900 + i),
        };
        let name = if i % 7 == 0 { format!("\"Acme {i}, Inc.\"") } else { format!("Company {i}") };
        let inputs = if i % 3 == 0 { ",,".to_string() } else { format!("{},{},{}", 1 + i % 4, 1 + (i / 2) % 4, 2) };
        writeln!(text, "CRM-{i:04},{name},{},{arr},{since},{renewal},{inputs},EMEA", owners[i % owners.len()]).unwrap();
    }
    let path = dir.join("crm.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// A book of `n` accounts imported from `crm_file` with the default config, and its folder.
pub fn imported_crm(n: usize) -> (TempDir, PathBuf) {
    let (dir, db) = temp_db();
    let file = crm_file(dir.path(), n);
    let (ok, _, err) = tend_on(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    (dir, db)
}

/// A book of `n` accounts imported from `crm_file` with the default config, and the real binary
/// run on it.
pub struct CrmBook {
    pub dir: TempDir,
    pub path: PathBuf,
}

impl CrmBook {
    pub fn new(n: usize) -> CrmBook {
        let (dir, path) = temp_db();
        let file = crm_file(dir.path(), n);
        let (ok, _, err) = tend_on(&path, &["import", "accounts", file.to_str().unwrap()]);
        assert!(ok, "{err}");
        CrmBook { dir, path }
    }

    /// Run tend on the book; it must succeed. Its standard output.
    pub fn run(&self, args: &[&str]) -> String {
        let (ok, out, err) = tend_on(&self.path, args);
        assert!(ok, "tend {args:?} failed: {err}");
        out
    }

    /// Run tend on the book; it must refuse, and leave the book byte for byte as it was. Its
    /// standard error.
    pub fn refused(&self, args: &[&str]) -> String {
        let before = std::fs::read(&self.path).unwrap();
        let (ok, out, err) = tend_on(&self.path, args);
        assert!(!ok, "tend {args:?} was accepted: {out}");
        assert_eq!(std::fs::read(&self.path).unwrap(), before, "tend {args:?} changed the book");
        err
    }

    /// A list command's rows, as JSON.
    pub fn json(&self, args: &[&str]) -> Vec<serde_json::Value> {
        let mut args = args.to_vec();
        args.extend(["--format", "json"]);
        serde_json::from_str::<serde_json::Value>(&self.run(&args)).unwrap().as_array().unwrap().clone()
    }

    /// Write a file beside the book; its path.
    pub fn file(&self, name: &str, text: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    }
}

/// Config text giving every built-in factor but `kept` a weight of 0 (the jumpstart ones too,
/// when `jumpstart`): a score made of the kept factors alone, known by hand.
#[allow(dead_code)]
pub fn weights_zero_but(kept: &[&str], jumpstart: bool) -> String {
    let defaults = Config::default();
    let mut text = String::new();
    for f in defaults.health.factors.keys() {
        let key = defaults.health.catalog.key(*f);
        if !kept.contains(&key) {
            text.push_str(&format!("[health.factors.{key}]\nweight = 0\n"));
        }
    }
    if jumpstart {
        for f in defaults.health.jumpstart.factors.keys() {
            let key = defaults.health.catalog.key(*f);
            if !kept.contains(&key) {
                text.push_str(&format!("[health.jumpstart.factors.{key}]\nweight = 0\n"));
            }
        }
    }
    text
}

/// Empty every cache tend keeps in a book (factor values, history and its marks, triage heads):
/// what is read from it afterwards is worked out from the facts alone.
#[allow(dead_code)]
pub fn empty_caches(db: &Path) {
    rusqlite::Connection::open(db)
        .unwrap()
        .execute_batch(
            "DELETE FROM factor_snapshots; DELETE FROM health_history; DELETE FROM history_days;
             DELETE FROM history_stale; DELETE FROM triage_heads;
             DELETE FROM fact_digests;",
        )
        .unwrap();
}

/// A copy of the book at `to`, every cache emptied.
#[allow(dead_code)]
pub fn copy_without_caches(db: &Path, to: &Path) -> PathBuf {
    std::fs::copy(db, to).unwrap();
    empty_caches(to);
    to.to_path_buf()
}

/// Sentiment logged on `accounts` of a `crm_file` book (`readings` gives each one's days back and
/// scores) through `tend import logs`, and a config whose minimum coverage sentiment alone
/// reaches, written beside the book: its path, and the config.
#[allow(dead_code)]
pub fn with_sentiment(
    db: &Path,
    accounts: impl IntoIterator<Item = i64>,
    readings: impl Fn(i64) -> Vec<(i64, i64)>,
) -> (PathBuf, Config) {
    let dir = db.parent().unwrap();
    let mut logs = String::from("account,kind,date,score\n");
    for i in accounts {
        for (back, score) in readings(i) {
            writeln!(logs, "CRM-{i:04},sentiment,{},{score}", today() - Duration::days(back)).unwrap();
        }
    }
    let logs_file = dir.join("logs.csv");
    std::fs::write(&logs_file, logs).unwrap();
    let (ok, _, err) = tend_on(db, &["import", "logs", logs_file.to_str().unwrap()]);
    assert!(ok, "{err}");
    let rules = "[health]\nmin_coverage = 0.1\n";
    let config_file = dir.join("low.toml");
    std::fs::write(&config_file, rules).unwrap();
    (config_file, Config::from_toml(rules, Path::new("low.toml")).unwrap())
}

/// Six weeks of weekly usage, expected usage, logins and active users for each of `ids` (long
/// format, up to `today()`): enough for a score with a sentiment and a touch.
pub fn weekly_usage(ids: &[&str]) -> String {
    let mut metrics = String::from("account,metric,date,value\n");
    for id in ids {
        for week in 0..6 {
            let day = today() - chrono::Duration::days(7 * week);
            for (metric, value) in
                [("usage", 900 - week * 10), ("expected_usage", 1000), ("logins", 5), ("active_users", 4)]
            {
                metrics.push_str(&format!("{id},{metric},{day},{value}\n"));
            }
        }
    }
    metrics
}
