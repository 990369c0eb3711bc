//! The Scoring view: previews of other weights and thresholds, and saving them into the config.

mod common;

use common::{demo_store, id, press, text, today};
use ratatui::crossterm::event::KeyCode;
use tend::config::Config;
use tend::domain::AccountStatus;
use tend::tui::App;
use tend::tui::app::Screen;
use tend::tui::theme::Theme;

fn scoring_app() -> (tempfile::TempDir, App) {
    let (dir, store) = demo_store(tend::demo::DEFAULT_ACCOUNTS);
    let mut app = App::new(store, Config::default(), today(), Theme::plain()).unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "# my own settings\n[health.factors.nps]\n# NPS is noisy here\nweight = 2\n").unwrap();
    app.config_path = Some(config);
    press(&mut app, KeyCode::Char('6'));
    (dir, app)
}

fn counts(bands: impl Iterator<Item = Option<tend::domain::HealthBand>>) -> [usize; 5] {
    use tend::domain::HealthBand::*;
    let mut out = [0; 5];
    for b in bands {
        out[match b {
            Some(Green) => 0,
            Some(Yellow) => 1,
            Some(Orange) => 2,
            Some(Red) => 3,
            None => 4,
        }] += 1;
    }
    out
}

#[test]
fn snapshot_scoring_80x24_and_120x40() {
    let (_dir, app) = scoring_app();
    assert_eq!(app.screen, Screen::Scoring);
    let path = app.config_path.clone().unwrap().display().to_string();
    insta::assert_snapshot!("scoring_80x24", text(&app, 80, 24).replace(&path, "[config]"));
    insta::assert_snapshot!("scoring_120x40", text(&app, 120, 40).replace(&path, "[config]"));
}

#[test]
fn a_weight_change_previews_what_the_book_would_look_like() {
    let (dir, mut app) = scoring_app();
    let outcomes = app.store.outcomes().unwrap().len();
    assert_eq!(app.scoring.as_ref().unwrap().samples.len(), outcomes, "the back-test reads every outcome");
    let now = app.scoring.as_ref().unwrap().preview.clone().unwrap();
    assert_eq!(now.before, now.after, "nothing edited yet");
    assert_eq!(now.changed, 0);
    // Sentiment is the first factor: raise its weight from 3 to 6.
    for _ in 0..6 {
        press(&mut app, KeyCode::Char('+'));
    }
    let view = app.scoring.as_ref().unwrap();
    assert_eq!(view.model[&id("sentiment")].weight, 6.0);
    let preview = view.preview.clone().unwrap();
    // The same book scored the long way, with the config changed, gives the same counts.
    let mut changed = Config::default();
    changed.health.factors.get_mut(&id("sentiment")).unwrap().weight = 6.0;
    let store = tend::store::Store::open(&dir.path().join("book.db")).unwrap();
    let rows = tend::book::load_portfolio_cached(&store, &changed, today()).unwrap();
    let expected = counts(rows.iter().filter(|r| r.status != AccountStatus::Churned).map(|r| r.band));
    assert_eq!(preview.after, expected);
    assert!(preview.changed > 0, "doubling sentiment's weight moves someone");
    // Which ones, the largest ARR first, named where the screen has room (at 80x24, where the
    // Grid with them does not fit, "N accounts change band" alone could not be told apart).
    let before = tend::book::load_portfolio_cached(&store, &Config::default(), today()).unwrap();
    let band_of = |rows: &[tend::book::PortfolioRow], id: i64| rows.iter().find(|r| r.id == id).map(|r| r.band);
    let mut moved: Vec<&tend::book::PortfolioRow> =
        rows.iter().filter(|r| r.status != AccountStatus::Churned && band_of(&before, r.id) != Some(r.band)).collect();
    moved.sort_by(|a, b| b.arr.cmp(&a.arr).then_with(|| a.name.cmp(&b.name)));
    assert_eq!(preview.moved.len(), preview.changed.min(3), "{:?}", preview.moved);
    assert!(preview.moved[0].starts_with(&format!("{} ", moved[0].name)), "{:?} {}", preview.moved, moved[0].name);
    let screen = text(&app, 80, 24);
    assert!(screen.contains(&format!("{} accounts change band ({}", preview.changed, preview.moved[0])), "{screen}");
    assert_eq!(preview.grid.grand.accounts, preview.after.iter().sum::<usize>());
    // Nothing is written until S.
    let file = std::fs::read_to_string(app.config_path.as_ref().unwrap()).unwrap();
    assert!(!file.contains("sentiment"), "{file}");
    press(&mut app, KeyCode::Char('x'));
    assert!(!app.scoring.as_ref().unwrap().is_edited());
}

#[test]
fn saving_writes_the_config_keeps_comments_and_rescores_the_book() {
    let (_dir, mut app) = scoring_app();
    for _ in 0..6 {
        press(&mut app, KeyCode::Char('+'));
    }
    let after = app.scoring.as_ref().unwrap().preview.clone().unwrap().after;
    press(&mut app, KeyCode::Char('S'));
    assert!(app.message.as_deref().unwrap_or_default().starts_with("Saved to"), "{:?}", app.message);
    let path = app.config_path.clone().unwrap();
    let file = std::fs::read_to_string(&path).unwrap();
    assert!(file.contains("# my own settings") && file.contains("# NPS is noisy here"), "{file}");
    let saved = Config::load(&path, true).unwrap();
    assert_eq!(saved.health.factors[&id("sentiment")].weight, 6.0);
    assert_eq!(app.config.health.factors[&id("sentiment")].weight, 6.0);
    // The whole app now scores with it.
    let bands = app.portfolio.rows().iter().filter(|r| r.status != AccountStatus::Churned).map(|r| r.band);
    assert_eq!(counts(bands), after);
    let changes = app.store.scoring_changes(5).unwrap();
    assert!(changes[0].2.contains("CSM sentiment weight 3 -> 6"), "{changes:?}");
}

#[test]
fn thresholds_stay_rising_and_no_weights_at_all_is_refused() {
    let (_dir, mut app) = scoring_app();
    // The value for 3 points of sentiment (6) cannot reach the value for 4 points (8).
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    for _ in 0..5 {
        press(&mut app, KeyCode::Char('+'));
    }
    assert_eq!(app.scoring.as_ref().unwrap().model[&id("sentiment")].thresholds, [4.0, 7.0, 8.0]);
    assert_eq!(
        app.message.as_deref(),
        Some("3 pts must stay below the 8/10 of 4 pts"),
        "the key that did nothing says why"
    );
    // The value for 4 points goes no higher than the scale's 10/10 (a probe reached 21/10).
    press(&mut app, KeyCode::Right);
    for _ in 0..5 {
        press(&mut app, KeyCode::Char('+'));
    }
    assert_eq!(app.scoring.as_ref().unwrap().model[&id("sentiment")].thresholds, [4.0, 7.0, 10.0]);
    assert_eq!(app.message.as_deref(), Some("CSM sentiment goes no higher than 10/10"));
    press(&mut app, KeyCode::Left);
    // Every weight to 0: saving is refused and the file is untouched.
    press(&mut app, KeyCode::Char('h'));
    press(&mut app, KeyCode::Char('h'));
    let factors = app.scoring.as_ref().unwrap().model.len();
    for _ in 0..factors {
        for _ in 0..10 {
            press(&mut app, KeyCode::Char('-'));
        }
        press(&mut app, KeyCode::Down);
    }
    let before = std::fs::read_to_string(app.config_path.as_ref().unwrap()).unwrap();
    press(&mut app, KeyCode::Char('S'));
    assert!(app.message.as_deref().unwrap_or_default().contains("Not saved"), "{:?}", app.message);
    assert_eq!(std::fs::read_to_string(app.config_path.as_ref().unwrap()).unwrap(), before);
}

/// Unsaved edits are not lost to one stray `q`; at 40 columns the value being changed is on
/// screen.
#[test]
fn quitting_over_unsaved_edits_asks_once_and_narrow_screens_show_the_field() {
    let (_dir, mut app) = scoring_app();
    for _ in 0..3 {
        press(&mut app, KeyCode::Right);
    }
    press(&mut app, KeyCode::Char('+'));
    let sentiment = app.scoring.as_ref().unwrap().model[&id("sentiment")];
    let four = tend::config::Config::default().health.catalog.format_value(id("sentiment"), sentiment.thresholds[2]);
    let screen = text(&app, 40, 16);
    let line = screen.lines().find(|l| l.contains("CSM sen")).unwrap_or_default().to_string();
    assert!(line.contains(&four), "the edited 4-point value {four} shows at 40 columns: {screen}");
    press(&mut app, KeyCode::Char('q'));
    assert!(!app.quit, "one q over unsaved edits only warns");
    assert!(app.message.as_deref().is_some_and(|m| m.contains("not saved")), "{:?}", app.message);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char('q'));
    assert!(!app.quit, "another key in between: the warning again");
    press(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
}

/// At 60 columns the bands' counts are whole (the words before them give way, "· non" was all of
/// "none 12"), and the config's path is left out rather than cut.
#[test]
fn at_60_columns_the_counts_are_whole_and_the_path_never_cut() {
    let (_dir, mut app) = scoring_app();
    let screen = text(&app, 60, 24);
    let bands = screen.lines().find(|l| l.contains("Bands")).unwrap_or_default().to_string();
    assert!(bands.contains("none ") && !bands.contains('…'), "{screen}");
    // The whole book's counts, said as such (the status line names the reader's own book).
    assert!(bands.contains("Bands of all 59 accounts: G "), "{screen}");
    let foot = screen.lines().rev().nth(1).unwrap_or_default();
    assert!(foot.ends_with("S saves to the config file") || !foot.contains('…'), "{screen}");
    // An edit: the counts before and after, whole, at 60 too.
    press(&mut app, KeyCode::Char('+'));
    let screen = text(&app, 60, 24);
    let bands = screen.lines().find(|l| l.contains("Bands")).unwrap_or_default().to_string();
    assert!(bands.contains("none") && !bands.contains('…'), "{screen}");
}

/// At 80x24 the factors give way to the Grid with the edited weights (a probe was told it needed
/// 7 more rows, and never saw it): a window of them around the one picked, said as such, which
/// follows the cursor down to the last.
#[test]
fn at_80x24_the_grid_shows_beside_a_window_of_the_factors_that_follows_the_cursor() {
    let (_dir, mut app) = scoring_app();
    let screen = text(&app, 80, 24);
    assert!(screen.contains("the Grid with them:") && screen.contains("Total"), "{screen}");
    assert!(!screen.contains("more rows"), "{screen}");
    let factors = app.scoring.as_ref().unwrap().model.len();
    let window = screen.lines().find(|l| l.contains(" Factor 1-")).unwrap_or_else(|| panic!("{screen}")).to_string();
    assert!(window.contains(&format!("/{factors}")), "{window}");
    assert!(screen.contains("CSM sentiment"), "the first factor, picked, in sight: {screen}");
    for _ in 0..factors {
        press(&mut app, KeyCode::Down);
    }
    let screen = text(&app, 80, 24);
    let last = app.scoring.as_ref().unwrap().selected_factor().unwrap();
    let label = tend::config::Config::default().health.catalog.label(last).to_string();
    assert!(screen.contains(&label), "the last factor, picked, in sight: {screen}");
    assert!(screen.contains(&format!("-{factors}/{factors}")), "{screen}");
    assert!(!screen.contains("CSM sentiment"), "{screen}");
    // Tall enough, every factor and no window.
    assert!(text(&app, 120, 40).contains(" Factor  "), "every factor at 120x40");
}
