//! Every view at 40, 60, 80, 120 and 200 columns, snapshotted: the name and band stay, columns
//! give way in their declared order, nothing is drawn over anything else.

mod common;

use common::*;
use ratatui::crossterm::event::KeyCode;

const WIDTHS: [(u16, u16); 5] = [(40, 16), (60, 20), (80, 24), (120, 40), (200, 50)];

/// The app on the demo book, on the view the keys lead to.
fn at(keys: &[KeyCode]) -> (tempfile::TempDir, tend::tui::App) {
    let (dir, mut app) = triage_app();
    for key in keys {
        press(&mut app, *key);
    }
    (dir, app)
}

fn every_width(name: &str, keys: &[KeyCode]) {
    let (_dir, app) = at(keys);
    for (w, h) in WIDTHS {
        let screen = text(&app, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
    }
}

#[test]
fn triage_at_every_width() {
    every_width("triage", &[]);
}

#[test]
fn portfolio_at_every_width() {
    every_width("portfolio", &[KeyCode::Char('2')]);
}

#[test]
fn grid_at_every_width() {
    every_width("grid", &[KeyCode::Char('3')]);
}

#[test]
fn renewals_at_every_width() {
    every_width("renewals", &[KeyCode::Char('4')]);
}

#[test]
fn team_at_every_width() {
    every_width("team", &[KeyCode::Char('5')]);
}

#[test]
fn scoring_at_every_width() {
    every_width("scoring", &[KeyCode::Char('6')]);
}

#[test]
fn account_at_every_width() {
    every_width("account", &[KeyCode::Enter]);
}

#[test]
fn one_on_one_at_every_width() {
    every_width("one_on_one", &[KeyCode::Char('5'), KeyCode::Enter]);
}

/// A day asked for with `--as-of` stays on the status line at every width (the data's age gives
/// way to it); today's is said short when the line is narrow.
#[test]
fn a_day_asked_for_is_said_at_every_width() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('2'));
    for width in [40u16, 60, 80, 120] {
        let last = |app: &tend::tui::App| text(app, width, 20).lines().last().unwrap_or_default().to_string();
        app.as_of_asked = false;
        assert!(!last(&app).contains("as of 2026-11-23") || width >= 80, "{width}: {}", last(&app));
        app.as_of_asked = true;
        assert!(last(&app).contains("as of 2026-11-23"), "{width}: {}", last(&app));
    }
}

/// `w` changes the Portfolio's change column: where the column is not on screen, it says so,
/// rather than seem to do nothing.
#[test]
fn the_change_window_is_said_where_its_column_is_hidden() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('2'));
    let narrow = text(&app, 40, 16);
    assert!(!narrow.contains("Δ30d"), "{narrow}");
    press(&mut app, KeyCode::Char('w'));
    let said = app.message.clone().unwrap_or_default();
    assert!(said.contains("The change column is now Δ90d: it shows on a wider terminal"), "{said}");
    let wide = text(&app, 120, 40);
    assert!(wide.contains("Δ90d"), "{wide}");
    app.message = None;
    press(&mut app, KeyCode::Char('w'));
    assert!(app.message.is_none(), "shown at 120: nothing to say ({:?})", app.message);
}

/// Below 80 columns, where the change column gives way, a 30-day fall is said in fewer words, so
/// that the factor that moved shows (every row read "-53 in 30 days: Active use…" at 60).
#[test]
fn a_fall_is_said_short_where_the_change_column_gives_way() {
    let (_dir, app) = triage_app();
    let narrow = text(&app, 60, 20);
    let rows: Vec<&str> = narrow.lines().skip(3).take(13).collect();
    assert!(rows.iter().all(|l| !l.contains(" in 30 days:")), "{narrow}");
    assert!(rows.iter().any(|l| l.contains(" 30d: Active users")), "{narrow}");
}

/// At 60 columns an optional factor whose feed stopped keeps to one line: "(optional)" wrapped
/// under the factor's name ("Active users change — 49d behind the rest" then "(optional)").
#[test]
fn a_stopped_optional_factor_keeps_to_one_line_at_60_columns() {
    let (dir, path) = common::temp_db();
    let file = common::crm_file(dir.path(), 12);
    let (ok, _, err) = common::tend_on(&path, &["import", "accounts", "--no-journeys", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    // Company 4's active users stop seven weeks before the book's data ends; Company 5's go on.
    let mut usage = String::from("account,metric,date,value\n");
    for week in 0..16 {
        let day = common::today() - chrono::Duration::days(7 * week);
        usage.push_str(&format!("CRM-0005,active_users,{day},12\n"));
        if week >= 7 {
            usage.push_str(&format!("CRM-0004,active_users,{day},12\n"));
        }
    }
    let usage_file = dir.path().join("usage.csv");
    std::fs::write(&usage_file, usage).unwrap();
    let (ok, _, err) = common::tend_on(&path, &["import", "metrics", usage_file.to_str().unwrap()]);
    assert!(ok, "{err}");
    let store = tend::store::Store::open(&path).unwrap();
    let mut app =
        tend::tui::App::new(store, tend::config::Config::default(), common::today(), tend::tui::theme::Theme::plain())
            .unwrap();
    press(&mut app, KeyCode::Char('2'));
    let pos = app.portfolio.visible_rows().position(|r| &*r.name == "Company 4").expect("the account");
    for _ in 0..pos {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    let screen = text(&app, 60, 40);
    let row = screen.lines().find(|l| l.starts_with("Active users change")).unwrap_or_else(|| panic!("{screen}"));
    assert!(row.contains("behind the rest"), "{screen}");
    assert!(screen.lines().all(|l| !l.trim_start().starts_with("(optional)")), "{screen}");
}

/// Two accounts whose names differ past where a narrow column cuts them are told apart in every
/// list that shows them: the Portfolio, Renewals and Triage read "Black Mesa Logistic…" twice at
/// 80 columns; the end where they differ is kept ("… Inc", "… Corp").
#[test]
fn names_cut_alike_keep_where_they_differ() {
    let (dir, db) = imported_crm(6);
    let file = dir.path().join("twins.csv");
    std::fs::write(
        &file,
        "External ID,Account,CSM,ARR,Renewal date\nBM-1,Black Mesa Logistics Incorporated,Maya Patel,50000,2026-12-20\n\
         BM-2,Black Mesa Logistics Corporation,Maya Patel,40000,2026-12-21\n",
    )
    .unwrap();
    let (ok, _, err) = tend_on(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    let store = tend::store::Store::open(&db).unwrap();
    let mut app =
        tend::tui::App::new(store, tend::config::Config::default(), today(), tend::tui::theme::Theme { color: false })
            .unwrap();
    for (key, width) in [('2', 80), ('2', 60), ('4', 80), ('4', 60)] {
        press(&mut app, KeyCode::Char(key));
        let screen = text(&app, width, 24);
        let names: Vec<&str> = screen.lines().filter(|l| l.contains("Black Mes")).collect();
        assert_eq!(names.len(), 2, "{key} at {width}: {screen}");
        assert!(
            names.iter().any(|l| l.contains("In")) && names.iter().any(|l| l.contains("Co")),
            "{key} at {width}: {screen}"
        );
    }
}
