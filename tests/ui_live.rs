//! Live data: the TUI notices another process's write to the book and reads it again, keeping
//! what is selected; Ctrl-R reads it at once.

mod common;

use common::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tend::tui::app::Screen;

#[test]
fn a_write_from_the_shell_shows_up_without_a_restart() {
    let (_dir, mut app) = triage_app();
    let path = app.store.path().to_path_buf();
    // Nova Payments is Red and first on the list; put it right from another process.
    let nova = app.portfolio.rows().iter().find(|r| r.name == "Nova Payments").unwrap().clone();
    let need_before = app.triage.shown().find(|i| i.id == nova.id).unwrap().need;
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('1'));
    app.on_idle().unwrap();
    assert!(app.message.is_none(), "nothing changed yet: {:?}", app.message);

    for (kind, value) in [("nps", "10"), ("sentiment", "10")] {
        let (ok, _, err) = tend_on(&path, &["log", kind, "ACC-000051", value]);
        assert!(ok, "{err}");
    }
    let before = app.portfolio.rows().iter().find(|r| r.id == nova.id).unwrap().score;
    assert_eq!(before, nova.score, "not read yet");
    app.on_idle().unwrap();
    let after = app.portfolio.rows().iter().find(|r| r.id == nova.id).unwrap().score;
    assert!(after > before, "{before:?} -> {after:?}");
    let said = app.message.clone().unwrap();
    assert!(said.contains("changed by another tend or command"), "{said}");
    // With the time it was heard ("Updated 14:02:31: …"): two alike read as two.
    let time = said.strip_prefix("Updated ").and_then(|r| r.get(..8)).unwrap_or_default();
    assert!(chrono::NaiveTime::parse_from_str(time, "%H:%M:%S").is_ok(), "{said}");
    assert_eq!(app.screen, Screen::Triage);
    // The reasons on screen are spelled out with raw values, as before the reload.
    let shown = text(&app, 160, 40);
    assert!(shown.contains(" in 30 days: ") && !shown.contains(" pts"), "{shown}");
    // Triage is ranked again from the new score: Nova needs less (or nothing) now.
    let need_after = app.triage.shown().find(|i| i.id == nova.id).map_or(0.0, |i| i.need);
    assert!(need_after < need_before, "{need_before} -> {need_after}");
    // Read once: the next idle tick has nothing to do.
    app.message = None;
    app.on_idle().unwrap();
    assert!(app.message.is_none());
}

#[test]
fn ctrl_r_reads_the_book_again_now_and_keeps_the_account_open() {
    let (_dir, mut app) = triage_app();
    let path = app.store.path().to_path_buf();
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Account);
    let id = app.account.as_ref().unwrap().detail.account.id;
    let ext = app.account.as_ref().unwrap().detail.account.external_id.clone();
    let entries = app.account.as_ref().unwrap().detail.timeline.len();
    let (ok, _, err) = tend_on(&path, &["log", "touch", &ext, "call", "--note", "from the shell"]);
    assert!(ok, "{err}");
    app.handle_key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)).unwrap();
    assert_eq!(app.screen, Screen::Account);
    let view = app.account.as_ref().unwrap();
    assert_eq!(view.detail.account.id, id);
    assert_eq!(view.detail.timeline.len(), entries + 1, "the touch is on the timeline");
    press(&mut app, KeyCode::Tab);
    assert!(text(&app, 120, 40).contains("from the shell"), "{}", text(&app, 120, 40));
}

/// The window's own write, with another connection storing only what it works out from the book
/// meanwhile (the next working day worked out behind the screen): nothing to read again, and
/// nobody else is said to have written.
#[test]
fn work_behind_the_screen_beside_an_own_write_is_no_outside_change() {
    let (_dir, mut app) = triage_app();
    let path = app.store.path().to_path_buf();
    press(&mut app, KeyCode::Char('h'));
    assert!(app.message.as_deref().is_some_and(|m| m.contains("andled")), "{:?}", app.message);
    let mut behind = tend::store::Store::open(&path).unwrap();
    tend::book::triage_head::refresh_ahead(&mut behind, &app.config, app.today).unwrap();
    assert!(behind.triage_head("@next").unwrap().is_some(), "the next working day's list was stored");
    app.message = None;
    app.on_idle().unwrap();
    assert!(app.message.is_none(), "{:?}", app.message);
    // Another program's write is still read.
    let (ok, _, err) = tend_on(&path, &["log", "sentiment", "ACC-000051", "10"]);
    assert!(ok, "{err}");
    app.on_idle().unwrap();
    assert!(
        app.message.as_deref().is_some_and(|m| m.contains("changed by another tend or command")),
        "{:?}",
        app.message
    );
}

/// Another tend run as of a past day (`tend --as-of 2026-11-01 export accounts`) stores that
/// day's factor values over today's, which the screens read lazily: the window works today's out
/// again, and the Scoring view reads the book's scores, not every account without data (a
/// probe's read "none 163 -> 291" after it).
#[test]
fn another_tend_storing_a_past_days_values_is_worked_out_again() {
    let (_dir, mut app) = triage_app();
    let path = app.store.path().to_path_buf();
    assert_eq!(app.store.accounts_missing_snapshot(app.today).unwrap(), 0);
    // The Scoring view as it reads the book's scores, without its status lines.
    let scoring = |app: &mut tend::tui::App| {
        press(app, KeyCode::Char('6'));
        let shown = text(app, 120, 40);
        press(app, KeyCode::Char('1'));
        shown.lines().take(36).collect::<Vec<_>>().join("\n")
    };
    let before = scoring(&mut app);
    let (ok, _, err) = tend_on(&path, &["--as-of", "2026-11-01", "export", "accounts"]);
    assert!(ok, "{err}");
    assert!(app.store.accounts_missing_snapshot(app.today).unwrap() > 0, "the past day's values are stored");
    app.on_idle().unwrap();
    let said = app.message.clone().unwrap_or_default();
    assert!(said.contains("scores worked out again"), "{said}");
    assert_eq!(app.store.accounts_missing_snapshot(app.today).unwrap(), 0);
    assert_eq!(scoring(&mut app), before);
    // Again within the minute (two tends open as of different days would take turns without
    // end): said, not worked out again; the screens read the same scores from the facts, and
    // Ctrl-R works the day out again.
    let (ok, _, err) = tend_on(&path, &["--as-of", "2026-11-01", "export", "accounts"]);
    assert!(ok, "{err}");
    app.on_idle().unwrap();
    let said = app.message.clone().unwrap_or_default();
    assert!(said.contains("keeps storing that day's scores: Ctrl-R works"), "{said}");
    assert!(app.store.accounts_missing_snapshot(app.today).unwrap() > 0, "not worked out again");
    assert_eq!(scoring(&mut app), before);
    app.handle_key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)).unwrap();
    assert_eq!(app.store.accounts_missing_snapshot(app.today).unwrap(), 0);
}

/// In `me`'s book, a Portfolio filter that matches none of their accounts says how many of other
/// CSMs' it names, and the key that shows them (a probe's "0 matches" hid the account one `v`
/// away).
#[test]
fn a_filter_matching_only_others_accounts_says_so() {
    let (dir, db) = imported_crm(40);
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "me = \"Ben Okafor\"\n").unwrap();
    let store = tend::store::Store::open(&db).unwrap();
    let parsed = tend::config::Config::load(&config, true).unwrap();
    let mut app = tend::tui::App::new(store, parsed, today(), tend::tui::theme::Theme { color: false }).unwrap();
    assert_eq!(app.book_of.as_deref(), Some("Ben Okafor"));
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('/'));
    for c in "company 6".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    let shown = text(&app, 80, 24);
    assert!(shown.contains("0 matches (4 in other books: v shows all)"), "{shown}");
    let narrow = text(&app, 60, 24);
    assert!(narrow.contains("(4 in other books: v shows all)"), "{narrow}");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('v'));
    assert_eq!(app.portfolio.in_view(), 4, "{}", text(&app, 80, 24));
    // Another CSM's name too: their accounts are in their book (a probe's "markus" read "0
    // matches" without a word).
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Char('/'));
    press(&mut app, KeyCode::Char('x'));
    press(&mut app, KeyCode::Esc);
    let liams = app.portfolio.rows().iter().filter(|r| &*r.csm == "Liam Chen").count();
    assert!(liams > 0);
    press(&mut app, KeyCode::Char('/'));
    for c in "liam".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    let shown = text(&app, 80, 24);
    assert!(shown.contains(&format!("0 matches ({liams} in other books: v shows all)")), "{shown}");
}

/// New health rules read with Ctrl-R say which settings changed and which accounts' bands they
/// moved (a probe's scores moved after Ctrl-R and nothing said why); a change of `me` alone says
/// nothing of bands.
#[test]
fn ctrl_r_says_how_many_bands_new_health_rules_moved() {
    let (_dir, db) = imported_crm(20);
    let (config_file, config) = common::with_sentiment(&db, 1..=10, |i| vec![(3, if i <= 5 { 9 } else { 4 })]);
    // The book read once under these rules, as opening tend reads it.
    let mut store = tend::store::Store::open(&db).unwrap();
    tend::book::rules_change::keep(&mut store, &config).unwrap();
    let mut app = tend::tui::App::new(store, config, today(), tend::tui::theme::Theme { color: false }).unwrap();
    app.config_path = Some(config_file.clone());
    let bands = |app: &tend::tui::App| -> Vec<(i64, Option<tend::domain::HealthBand>)> {
        let mut b: Vec<_> = app.portfolio.rows().iter().map(|r| (r.id, r.band)).collect();
        b.sort_unstable_by_key(|x| x.0);
        b
    };
    let before = bands(&app);
    assert_eq!(before.iter().filter(|b| b.1.is_some()).count(), 10, "{before:?}");
    let rules = std::fs::read_to_string(&config_file).unwrap();
    std::fs::write(&config_file, format!("{rules}\n[health.bands]\ngreen = 99\nyellow = 98\norange = 97\n")).unwrap();
    app.handle_key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)).unwrap();
    let said = app.message.clone().unwrap_or_default();
    let moved = before.iter().zip(bands(&app)).filter(|(a, b)| a.1 != b.1).count();
    assert!(moved > 0, "the test moves some bands: {said}");
    // Which settings, and which accounts, like for like.
    assert!(
        said.contains("New health rules since this book was last read (bands.green 75 -> 99 and 2 more)")
            && said.contains(&format!("): {moved} accounts of the book change band: ")),
        "{said}"
    );
    std::fs::write(
        &config_file,
        format!("me = \"Ben Okafor\"\n{rules}\n[health.bands]\ngreen = 99\nyellow = 98\norange = 97\n"),
    )
    .unwrap();
    app.handle_key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)).unwrap();
    let said = app.message.clone().unwrap_or_default();
    assert!(
        said.starts_with("Up to date: the book and the config read again.") && !said.contains("health rules"),
        "{said}"
    );
}

/// An edit of the config file while the window is open is read as Ctrl-R reads it, and said
/// (a probe changed a weight in an editor beside tend, and the screens went on scoring by the old
/// one while the command line scored by the new); a file with a problem is said once, the config
/// in use kept; the same rules written again say nothing.
#[test]
fn an_edited_config_is_read_without_a_key() {
    let (dir, db) = imported_crm(40);
    // No file yet, as on a first open: made while the window is open, it is read.
    let config = dir.path().join("config.toml");
    let store = tend::store::Store::open(&db).unwrap();
    let mut app =
        tend::tui::App::new(store, tend::config::Config::default(), today(), tend::tui::theme::Theme { color: false })
            .unwrap();
    app.set_config_path(config.clone());
    app.message = None;
    app.on_idle().unwrap();
    assert_eq!(app.message, None, "nothing changed");
    std::fs::write(&config, "").unwrap();
    app.on_idle().unwrap();
    assert_eq!(app.message, None, "an empty file is the rules in use");
    std::fs::write(&config, "me = \"Ben Okafor\"\n").unwrap();
    app.on_idle().unwrap();
    let said = app.message.clone().unwrap_or_default();
    assert!(said.starts_with("config.toml changed. Up to date: the book and the config read again."), "{said}");
    assert_eq!(app.book_of.as_deref(), Some("Ben Okafor"));
    // Broken: said, and the config in use kept; said once.
    std::fs::write(&config, "me = \"Ben Okafor\"\n[triage]\ndaily_limt = 5\n").unwrap();
    app.on_idle().unwrap();
    let said = app.message.clone().unwrap_or_default();
    assert!(said.starts_with("config.toml changed and has a problem; the config in use is kept:"), "{said}");
    assert!(said.contains("daily_limt"), "{said}");
    assert_eq!(app.config.me(), Some("Ben Okafor"));
    app.message = None;
    app.on_idle().unwrap();
    assert_eq!(app.message, None, "said once");
    // The rules in use written again (a comment added): nothing to say.
    std::fs::write(&config, "# mine\nme = \"Ben Okafor\"\n").unwrap();
    app.on_idle().unwrap();
    assert_eq!(app.message, None);
}

/// Ctrl-R reads the config file again too: `me` set in it opens that CSM's book at once, a
/// weight changed moves the scores; a broken file is said (file, line) and the config in use
/// kept. A probe edited the config and pressed Ctrl-R in vain.
#[test]
fn ctrl_r_reads_the_config_again() {
    let (dir, db) = imported_crm(40);
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    let store = tend::store::Store::open(&db).unwrap();
    let mut app =
        tend::tui::App::new(store, tend::config::Config::default(), today(), tend::tui::theme::Theme { color: false })
            .unwrap();
    app.config_path = Some(config.clone());
    let ctrl_r = |app: &mut tend::tui::App| {
        app.handle_key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)).unwrap();
        app.message.clone().unwrap_or_default()
    };
    assert_eq!(ctrl_r(&mut app), "Up to date: the book read again.");
    assert_eq!(app.book_of, None);
    std::fs::write(&config, "me = \"Ben Okafor\"\n").unwrap();
    assert_eq!(ctrl_r(&mut app), "Up to date: the book and the config read again.");
    assert_eq!(app.config.me(), Some("Ben Okafor"));
    assert_eq!(app.book_of.as_deref(), Some("Ben Okafor"));
    assert!(app.portfolio.visible_rows().all(|r| &*r.csm == "Ben Okafor"));
    // A misspelt `me` is said with the name it is like, everyone's list shown.
    std::fs::write(&config, "me = \"Ben Okafr\"\n").unwrap();
    let said = ctrl_r(&mut app);
    assert!(said.starts_with("Up to date: the book and the config read again."), "{said}");
    assert!(said.contains("me = \"Ben Okafr\" owns no account here (did you mean Ben Okafor?)"), "{said}");
    assert_eq!(app.book_of, None);
    // The start of a name is that CSM, as on the first open (it was said to own no account).
    std::fs::write(&config, "me = \"ben\"\n").unwrap();
    let said = ctrl_r(&mut app);
    assert!(!said.contains("owns no account"), "{said}");
    assert_eq!(app.book_of.as_deref(), Some("Ben Okafor"));
    std::fs::write(&config, "me = \"Ben Okafor\"\n").unwrap();
    ctrl_r(&mut app);
    assert_eq!(app.book_of.as_deref(), Some("Ben Okafor"));
    // A broken file: said, and the config in use kept.
    std::fs::write(&config, "me = \"Ben Okafor\"\n[triage]\ndaily_limt = 5\n").unwrap();
    let said = ctrl_r(&mut app);
    assert!(said.starts_with("Config not read again, the one in use kept:"), "{said}");
    assert!(said.contains("config.toml") && said.contains("daily_limt"), "{said}");
    // One line, the problem first: no "is invalid:  config.toml:3" with the command line's indent.
    assert!(said.starts_with("Config not read again, the one in use kept: config.toml:3: "), "{said}");
    assert!(!said.contains("  "), "{said}");
    // Said whole in the status lines at 80 columns: the file by its name, not its whole path.
    std::fs::write(&config, "[health]\nmin_coverage = 7\n").unwrap();
    let said = ctrl_r(&mut app);
    assert!(!said.contains(dir.path().to_str().unwrap()) && said.contains("config.toml:2"), "{said}");
    let screen = text(&app, 80, 24);
    let words = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    let reason = said.rsplit(": ").next().unwrap();
    assert!(words.contains(reason), "{reason}: {screen}");
    assert_eq!(app.config.me(), Some("Ben Okafor"));
    // Of two problems, the first, and the command that says both.
    std::fs::write(&config, "[health]\nmin_coverage = 7\n\n[health.bands]\ngreen = 170\n").unwrap();
    let said = ctrl_r(&mut app);
    let check = format!("; and 1 more (`tend config check --config {}` says each)", config.display());
    assert!(said.contains("config.toml:2: ") && said.ends_with(&check), "{said}");
    // A playbook added runs at once, as when tend opens (a probe's opened nothing until `tend
    // snapshot`, Ctrl-R saying "Up to date").
    std::fs::write(
        &config,
        "[[playbooks]]\nname = \"Renewal prep\"\ntrigger = \"renewal\"\ndays = 30\n\
         tasks = [{ title = \"Send the renewal quote\", due_days = 0 }]\n",
    )
    .unwrap();
    let said = ctrl_r(&mut app);
    assert!(said.starts_with("Up to date: the book and the config read again. "), "{said}");
    assert!(said.contains("Renewal prep"), "{said}");
    assert!(!app.store.tasks(&Default::default()).unwrap().is_empty());
}
