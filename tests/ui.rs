//! The TUI without a terminal: key handling through the app state, and screens as snapshots.

mod common;

use common::*;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;
use tend::config::Config;
use tend::domain::HealthBand;
use tend::store::{NewAccount, Store};
use tend::tui::App;
use tend::tui::app::Screen;
use tend::tui::theme::Theme;
use tend::tui::views::portfolio::SortColumn;

#[test]
fn portfolio_opens_sorted_worst_health_first() {
    let (_dir, app) = demo_app();
    let scores: Vec<Option<u8>> = app.portfolio.visible_rows().map(|r| r.score).collect();
    let scored: Vec<u8> = scores.iter().flatten().copied().collect();
    assert!(scored.windows(2).all(|w| w[0] <= w[1]), "{scored:?}");
    // Accounts with no score come last, never mixed in with the Reds.
    let first_none = scores.iter().position(Option::is_none).unwrap_or(scores.len());
    assert!(scores[first_none..].iter().all(Option::is_none));
    assert!(first_none < scores.len(), "the demo has accounts with no data yet");
}

#[test]
fn churned_accounts_are_hidden_until_asked_for() {
    let (_dir, mut app) = demo_app();
    let shown = app.portfolio.in_view();
    let hidden = app.portfolio.churned_hidden();
    assert!(hidden > 0);
    assert_eq!(shown + hidden, app.portfolio.total());
    press(&mut app, KeyCode::Char('c'));
    assert_eq!(app.portfolio.in_view(), app.portfolio.total());
    let churned = app.portfolio.visible_rows().find(|r| r.status == tend::domain::AccountStatus::Churned).unwrap();
    let name = churned.name.clone();
    press(&mut app, KeyCode::Char('/'));
    typ(&mut app, &name);
    let screen = text(&app, 80, 24);
    let prefix: String = name.chars().take(15).collect();
    let line = screen.lines().find(|l| l.contains(&prefix)).unwrap();
    assert!(line.contains("churned"), "{screen}");
}

#[test]
fn sort_keys_cycle_columns_and_reverse() {
    let (_dir, mut app) = demo_app();
    // Left to right as the columns stand: Health, 7d, the change, then the account's name.
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(app.portfolio.sort, SortColumn::Trend);
    let trend: Vec<i32> = app.portfolio.visible_rows().filter_map(|r| r.deltas[0]).collect();
    assert!(trend.len() > 10 && trend.windows(2).all(|w| w[0] <= w[1]), "{trend:?}");
    press(&mut app, KeyCode::Char('o'));
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(app.portfolio.sort, SortColumn::Name);
    let names: Vec<String> = app.portfolio.visible_rows().map(|r| r.name.to_lowercase()).collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]));
    press(&mut app, KeyCode::Char('r'));
    let names: Vec<String> = app.portfolio.visible_rows().map(|r| r.name.to_lowercase()).collect();
    assert!(names.windows(2).all(|w| w[0] >= w[1]));
    // ARR sorts largest first by default.
    press(&mut app, KeyCode::Char('>'));
    assert_eq!(app.portfolio.sort, SortColumn::Status);
    press(&mut app, KeyCode::Char('>'));
    press(&mut app, KeyCode::Char('>'));
    press(&mut app, KeyCode::Char('>'));
    assert_eq!(app.portfolio.sort, SortColumn::Arr);
    let arr: Vec<i64> = app.portfolio.visible_rows().map(|r| r.arr.0).collect();
    assert!(arr.windows(2).all(|w| w[0] >= w[1]));
    press(&mut app, KeyCode::Char('O'));
    assert_eq!(app.portfolio.sort, SortColumn::Segment);
    // Segments by size, biggest first (the config's order), not A-Z.
    let order = tend::config::Config::default().segments.names().into_iter().map(String::from).collect::<Vec<_>>();
    let ranks: Vec<usize> =
        app.portfolio.visible_rows().map(|r| order.iter().position(|n| **n == *r.segment).unwrap()).collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]) && ranks.first() < ranks.last(), "{ranks:?}");
    // Every column is a stop, the last being the biggest drag, then round to Health.
    for _ in 0..3 {
        press(&mut app, KeyCode::Char('o'));
    }
    assert_eq!(app.portfolio.sort, SortColumn::Drag);
    let drags: Vec<u8> = app.portfolio.visible_rows().filter_map(|r| r.drag.map(|f| f.0)).collect();
    assert!(drags.windows(2).all(|w| w[0] <= w[1]), "rows grouped by their biggest drag: {drags:?}");
    assert!(text(&app, 120, 40).contains("Biggest drag ▲"));
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(app.portfolio.sort, SortColumn::Health);
}

#[test]
fn filter_narrows_as_you_type_and_esc_restores() {
    let (_dir, mut app) = demo_app();
    let all = app.portfolio.in_view();
    let target = app.portfolio.visible_rows().nth(5).unwrap().name.clone();
    press(&mut app, KeyCode::Char('/'));
    assert!(app.portfolio.filter.editing);
    typ(&mut app, &target[..5]);
    let narrowed = app.portfolio.in_view();
    assert!(narrowed < all && narrowed > 0, "{narrowed} of {all}");
    typ(&mut app, &target[5..]);
    assert!(app.portfolio.visible_rows().any(|r| r.name == target));
    // Keys typed into the filter are text, not commands: 'q' did not quit.
    assert!(!app.quit);
    press(&mut app, KeyCode::Enter);
    assert!(!app.portfolio.filter.editing);
    assert_eq!(app.portfolio.filter.input.value(), target);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.portfolio.in_view(), all);
    assert_eq!(app.portfolio.filter.input.value(), "");
}

/// A sort chosen while a filter stands orders the matches by it, says so (the heading's arrow,
/// the status line's sort) and stays until the filter is cleared: a probe's `o` under a filter
/// moved rows with no sign of by what ("best match first" still said).
#[test]
fn a_sort_chosen_under_a_filter_orders_the_matches_by_it() {
    let book = CrmBook::new(30);
    let mut app = App::new(Store::open(&book.path).unwrap(), Config::default(), today(), Theme::plain()).unwrap();
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('/'));
    typ(&mut app, "company");
    press(&mut app, KeyCode::Enter);
    let matched = app.portfolio.in_view();
    assert!(matched > 10, "{matched}");
    assert!(text(&app, 120, 40).contains("best match first"));
    while app.portfolio.sort != SortColumn::Arr {
        press(&mut app, KeyCode::Char('o'));
    }
    let arr: Vec<i64> = app.portfolio.visible_rows().map(|r| r.arr.0).collect();
    assert_eq!(arr.len(), matched, "the same matches");
    assert!(arr.windows(2).all(|w| w[0] >= w[1]) || arr.windows(2).all(|w| w[0] <= w[1]), "{arr:?}");
    let screen = text(&app, 120, 40);
    assert!(!screen.contains("best match first") && screen.contains("sort ARR"), "{screen}");
    // Reversed, it holds; the filter cleared, the next one ranks by match again.
    press(&mut app, KeyCode::Char('r'));
    let reversed: Vec<i64> = app.portfolio.visible_rows().map(|r| r.arr.0).collect();
    assert_eq!(reversed, arr.iter().rev().copied().collect::<Vec<_>>());
    let screen = text(&app, 120, 40);
    assert!(screen.contains("sort ARR"), "{screen}");
    press(&mut app, KeyCode::Char('x'));
    press(&mut app, KeyCode::Char('/'));
    typ(&mut app, "company");
    assert!(text(&app, 120, 40).contains("best match first"));
}

/// Sorted by CSM, the accounts without one come last, either way (a probe's came first, above
/// every CSM's).
#[test]
fn sorted_by_csm_the_accounts_without_one_come_last() {
    let book = CrmBook::new(20);
    let mut app = App::new(Store::open(&book.path).unwrap(), Config::default(), today(), Theme::plain()).unwrap();
    press(&mut app, KeyCode::Char('2'));
    while app.portfolio.sort != SortColumn::Csm {
        press(&mut app, KeyCode::Char('o'));
    }
    for _ in 0..2 {
        let csms: Vec<String> = app.portfolio.visible_rows().map(|r| r.csm.to_string()).collect();
        let first_blank = csms.iter().position(String::is_empty).expect("the file has accounts without a CSM");
        assert!(csms[first_blank..].iter().all(String::is_empty), "{csms:?}");
        assert!(first_blank > 0, "{csms:?}");
        press(&mut app, KeyCode::Char('r'));
    }
}

#[test]
fn filter_that_matches_nothing_says_so() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('/'));
    typ(&mut app, "zzzqqq");
    assert_eq!(app.portfolio.in_view(), 0);
    assert!(text(&app, 80, 24).contains("0 match"));
    press(&mut app, KeyCode::Enter); // nothing selected: Enter does nothing harmful
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Portfolio);
}

/// An external id pasted from the CRM (in any case) matches no name: the Portfolio shows the
/// account whose id it is, said to be there by its id; Triage, which lists what needs doing,
/// says whose id it is, so the CSM is not left thinking the account is missing.
#[test]
fn a_filter_holding_an_external_id_shows_the_account_or_says_whose_it_is() {
    let (dir, mut app) = demo_app();
    let (id, name): (String, String) = rusqlite::Connection::open(dir.path().join("book.db"))
        .unwrap()
        .query_row("SELECT external_id, name FROM accounts ORDER BY id LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('/'));
    typ(&mut app, &id.to_lowercase());
    assert_eq!(app.portfolio.in_view(), 1, "{id}");
    assert_eq!(app.portfolio.selected_row().map(|r| r.name.clone()), Some(name.clone()));
    let screen = text(&app, 120, 40);
    assert!(screen.contains("1 match (by its id)") && screen.contains(&name), "{screen}");
    // At 60 columns the word is whole.
    assert!(text(&app, 60, 24).contains("1 match (by its id)"), "{}", text(&app, 60, 24));
    // Enter keeps the filter, Enter again opens the account.
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Account, "{}", text(&app, 120, 40));
    assert!(text(&app, 120, 40).contains(&name));
    press(&mut app, KeyCode::Esc);
    // Another query, no id: nothing said of one, nothing shown.
    press(&mut app, KeyCode::Char('/'));
    typ(&mut app, "zz");
    let screen = text(&app, 120, 40);
    assert_eq!(app.portfolio.in_view(), 0, "{screen}");
    assert!(screen.contains("0 matches") && !screen.contains("by its id"), "{screen}");
    press(&mut app, KeyCode::Esc);
    // Triage says whose id it is.
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Char('/'));
    typ(&mut app, &id.to_lowercase());
    let screen = text(&app, 120, 40);
    assert!(screen.contains(&format!("0 matches (the id of {name})")), "{screen}");
}

#[test]
fn enter_drills_into_the_selected_account_and_esc_backs_out() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    let picked = app.portfolio.selected_row().unwrap().clone();
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Account);
    let view = app.account.as_ref().unwrap();
    assert_eq!(view.detail.account.id, picked.id);
    // The Account view and the Portfolio agree on the score.
    assert_eq!(view.detail.health.score, picked.score);
    assert_eq!(view.detail.health.band, picked.band);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.screen, Screen::Portfolio);
    assert_eq!(app.portfolio.selected_row().unwrap().id, picked.id);
}

#[test]
fn help_lists_every_key_of_the_view_and_closes() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('?'));
    assert!(app.help);
    // The list scrolls at 80x24: read it page by page.
    let mut screen = text(&app, 80, 24);
    for _ in 0..40 {
        press(&mut app, KeyCode::Char('j'));
        screen.push_str(&text(&app, 80, 24));
    }
    for key in ["Enter", "/", "q, Ctrl-C  quit", "Ctrl-K, :", "Esc"] {
        assert!(screen.contains(key), "{key} missing from help:\n{screen}");
    }
    assert!(app.help, "j scrolls the help, it does not close it");
    // At 60 columns no line runs into the right border ("until a new reason│").
    for _ in 0..40 {
        press(&mut app, KeyCode::Char('k'));
    }
    let narrow = text(&app, 60, 24);
    for line in narrow.lines().filter(|l| l.starts_with('│')) {
        assert!(line.trim_end().ends_with(" │"), "{line}\n{narrow}");
    }
    press(&mut app, KeyCode::Char('q')); // closes help, does not quit
    assert!(!app.help && !app.quit);
    press(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
}

#[test]
fn navigation_is_clamped_to_the_table() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Up);
    assert_eq!(app.portfolio.selected_index(), 0);
    press(&mut app, KeyCode::End);
    assert_eq!(app.portfolio.selected_index(), app.portfolio.in_view() - 1);
    press(&mut app, KeyCode::PageDown);
    assert_eq!(app.portfolio.selected_index(), app.portfolio.in_view() - 1);
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(app.portfolio.selected_index(), 0);
    // The selection stays on screen after paging down.
    press(&mut app, KeyCode::PageDown);
    press(&mut app, KeyCode::PageDown);
    let name: String = app.portfolio.selected_row().unwrap().name.chars().take(15).collect();
    assert!(text(&app, 80, 24).contains(&name));
}

#[test]
fn bands_are_coloured_and_lettered() {
    let (_dir, app) = demo_app();
    let t = screen(&app, 80, 24);
    let buf = t.backend().buffer();
    // Row 2 is the first account (row 0 the header bar, row 1 the table header): the worst one.
    let first = app.portfolio.visible_rows().next().unwrap();
    let band = first.band.unwrap();
    assert_eq!(buf[(0, 2)].symbol(), band.letter().to_string());
    let expected = match band {
        HealthBand::Red => Color::Red,
        HealthBand::Orange => Color::Indexed(208),
        HealthBand::Yellow => Color::Yellow,
        HealthBand::Green => Color::Green,
    };
    assert_eq!(buf[(0, 2)].style().fg, Some(expected));
}

#[test]
fn no_color_draws_without_any_colour() {
    let (_dir, mut app) = demo_app();
    app.theme = Theme::plain();
    for keys in [vec![], vec![KeyCode::Enter]] {
        for k in keys {
            press(&mut app, k);
        }
        let t = screen(&app, 120, 40);
        let buf = t.backend().buffer();
        for cell in buf.content() {
            assert!(matches!(cell.style().fg, None | Some(Color::Reset)), "{cell:?}");
            assert!(matches!(cell.style().bg, None | Some(Color::Reset)), "{cell:?}");
        }
    }
    // The band letter still carries the colour's meaning.
    assert!(text(&app, 120, 40).contains("Health "));
}

#[test]
fn text_from_the_database_never_reaches_the_terminal_raw() {
    let (_dir, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    store
        .write(|w| {
            let csm = w.csm_id("Eve\u{1b}]0;owned\u{7}")?;
            w.insert_account(&NewAccount {
                csm_id: Some(csm),
                arr: tend::domain::Cents::from_units(5000.0),
                ..NewAccount::new("X1", "Evil\u{1b}[2J\u{1b}[31mCorp\nLine")
            })
        })
        .unwrap();
    let mut app = App::new(store, Config::default(), today(), Theme::plain()).unwrap();
    for screen_keys in [vec![], vec![KeyCode::Char('2')], vec![KeyCode::Enter]] {
        for k in screen_keys {
            press(&mut app, k);
        }
        let t = screen(&app, 80, 24);
        for cell in t.backend().buffer().content() {
            assert!(!cell.symbol().chars().any(char::is_control), "control char drawn: {cell:?}");
        }
        let s = text(&app, 80, 24);
        if app.screen != Screen::Triage {
            assert!(s.contains("EvilCorp Line"), "{s}");
        }
    }
    assert!(text(&app, 80, 24).contains("no score"));
}

#[test]
fn snapshot_portfolio_80x24() {
    let (_dir, app) = demo_app();
    insta::assert_snapshot!(text(&app, 80, 24));
}

#[test]
fn snapshot_portfolio_120x40() {
    let (_dir, app) = demo_app();
    insta::assert_snapshot!(text(&app, 120, 40));
}

#[test]
fn snapshot_portfolio_filtered_80x24() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('/'));
    typ(&mut app, "nim");
    insta::assert_snapshot!(text(&app, 80, 24));
}

#[test]
fn snapshot_account_80x24() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!(text(&app, 80, 24));
}

#[test]
fn snapshot_account_120x40() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!(text(&app, 120, 40));
}

#[test]
fn snapshot_account_jumpstart_80x24() {
    let (_dir, mut app) = demo_app();
    let idx = app
        .portfolio
        .visible_rows()
        .position(|r| r.kind == tend::domain::ScoreKind::Jumpstart)
        .expect("the demo has onboarding accounts");
    for _ in 0..idx {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("jumpstart score, day"), "{s}");
    insta::assert_snapshot!(s);
    // Its milestones, none overdue at 4 points beside evidence at less, would lift the score:
    // they are left out, and the page says why.
    let tall = text(&app, 120, 60);
    let row = tall.lines().find(|l| l.starts_with("Overdue milestones")).unwrap_or_else(|| panic!("{tall}"));
    assert!(row.contains("left out") && row.contains("■■■■ 4"), "{row}");
    assert!(
        tall.contains(
            "Left out: Overdue milestones (4 points), which would lift the score; tend's own records (milestones, goals, bugs logged)"
        ),
        "{tall}"
    );
}

#[test]
fn snapshot_help_80x24() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('?'));
    insta::assert_snapshot!(text(&app, 80, 24));
}

#[test]
fn snapshot_empty_book_80x24() {
    let (_dir, path) = temp_db();
    let app = App::new(Store::open(&path).unwrap(), Config::default(), today(), Theme::plain()).unwrap();
    let s = text(&app, 80, 24);
    assert!(s.contains("tend demo"));
    insta::assert_snapshot!(s.replace(path.to_str().unwrap(), "[book]"));
}

#[test]
fn account_view_scrolls_to_what_is_below_and_back() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    let top = text(&app, 80, 20);
    assert!(top.contains("↓ more") && !top.contains("Points: each factor"), "{top}");
    press(&mut app, KeyCode::End);
    let bottom = text(&app, 80, 20);
    assert!(bottom.contains("Points: each factor") && !bottom.contains("↓ more"), "{bottom}");
    // Scrolling past the end does not pile up: one step up moves the view at once.
    for _ in 0..50 {
        press(&mut app, KeyCode::Char('j'));
    }
    press(&mut app, KeyCode::Char('k'));
    assert!(text(&app, 80, 20).contains("↓ more"));
    press(&mut app, KeyCode::Home);
    assert_eq!(text(&app, 80, 20), top);
}

#[test]
fn snapshot_account_chart_80x24() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    // The chart is at the end of the Health tab.
    press(&mut app, KeyCode::Char('G'));
    let s = text(&app, 80, 24);
    assert!(s.contains("(dotted: where Green, Yellow and Orange begin)"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn the_change_column_sorts_movers_and_switches_window() {
    let (_dir, mut app) = demo_app();
    // Two columns right of Health (past 7d) is Change: the biggest falls first.
    press(&mut app, KeyCode::Char('o'));
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(app.portfolio.sort, SortColumn::Change);
    let deltas: Vec<Option<i32>> = app.portfolio.visible_rows().map(|r| r.deltas[1]).collect();
    let known: Vec<i32> = deltas.iter().flatten().copied().collect();
    assert!(known.len() > 10);
    assert!(known.windows(2).all(|w| w[0] <= w[1]), "{known:?}");
    assert!(deltas.iter().skip_while(|d| d.is_some()).all(Option::is_none), "rows without a change go last");
    assert!(text(&app, 80, 24).contains("Δ30d"));
    press(&mut app, KeyCode::Char('w'));
    assert_eq!(app.portfolio.window_days(), 90);
    assert!(text(&app, 80, 24).contains("Δ90d"));
    let deltas: Vec<i32> = app.portfolio.visible_rows().filter_map(|r| r.deltas[2]).collect();
    assert!(deltas.windows(2).all(|w| w[0] <= w[1]));
    press(&mut app, KeyCode::Char('w'));
    assert_eq!(app.portfolio.window_days(), 7);
}

#[test]
fn a_critical_factor_caps_the_band_everywhere_and_says_so() {
    let (dir, store) = common::demo_store(tend::demo::DEFAULT_ACCOUNTS);
    let mut config = Config::default();
    config.health.factors.get_mut(&id("usage_vs_expected")).unwrap().critical = true;
    let mut app = App::new(store, config.clone(), today(), Theme::plain()).unwrap();
    press(&mut app, KeyCode::Char('2'));
    // Some account's band is below what its score gives.
    let capped = app
        .portfolio
        .rows()
        .iter()
        .find(|r| r.score.zip(r.band).is_some_and(|(s, b)| config.health.bands.band_for(s) > b))
        .expect("an account capped by usage")
        .clone();
    press(&mut app, KeyCode::Char('/'));
    typ(&mut app, &capped.name);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let detail = &app.account.as_ref().unwrap().detail;
    assert_eq!(detail.health.band, capped.band, "the Account view and the Portfolio agree");
    assert_eq!(detail.health.capped_by, Some(id("usage_vs_expected")));
    press(&mut app, KeyCode::Char('G'));
    let words = text(&app, 120, 40).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("Usage vs expected is critical and at"), "{words}");
    drop(dir);
}

#[test]
fn a_weight_0_factor_shows_as_a_candidate_with_its_value() {
    let (dir, store) = common::demo_store(tend::demo::DEFAULT_ACCOUNTS);
    let mut config = Config::default();
    config.health.factors.get_mut(&id("nps")).unwrap().weight = 0.0;
    let mut app = App::new(store, config, today(), Theme::plain()).unwrap();
    press(&mut app, KeyCode::Char('2'));
    // Nova Payments has an NPS response in the demo book.
    press(&mut app, KeyCode::Char('/'));
    typ(&mut app, "Nova Payments");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let detail = &app.account.as_ref().unwrap().detail;
    let nps = detail.health.factors.iter().find(|f| f.id == id("nps")).unwrap();
    assert_eq!(nps.share, 0.0);
    let screen = text(&app, 120, 40);
    let line = screen.lines().find(|l| l.starts_with("NPS")).unwrap();
    assert!(line.contains("weight 0, not scored"), "{line}");
    assert!(nps.raw.is_some(), "Nova Payments has an NPS");
    assert!(line.contains("/10"), "its value is shown: {line}");
    drop(dir);
}

/// Below a view's width the columns drop in priority order: the account's name stays, at 40
/// columns too. (Names are cut only to the room left, never to a few letters.)
#[test]
fn narrow_terminals_keep_the_account_names() {
    let (_dir, mut app) = triage_app();
    for (key, view) in [('1', "triage"), ('2', "portfolio"), ('4', "renewals"), ('5', "team")] {
        press(&mut app, KeyCode::Char(key));
        for width in [40u16, 60, 80, 120, 200] {
            let screen = text(&app, width, 24);
            let rows = app.portfolio.rows();
            let first = match key {
                '1' => rows[app.triage.selected_item().unwrap().row].name.clone(),
                '2' => app.portfolio.selected_row().unwrap().name.clone(),
                '5' => app.team.as_ref().unwrap().selected_csm().unwrap().to_string(),
                _ => rows[app.renewals.as_ref().unwrap().selected_row().unwrap()].name.clone(),
            };
            let start: String = first.chars().take(12).collect();
            assert!(screen.contains(&start), "{view} at {width} columns lost {first:?}:\n{screen}");
        }
        if key != '1' {
            insta::assert_snapshot!(format!("{view}_60x20"), text(&app, 60, 20));
        }
        if key == '4' {
            // The sums are never cut to a figure that reads as another one.
            let f = &app.renewals.as_ref().unwrap().forecast;
            let at_risk = format!("at risk {}", f.at_risk.full("USD"));
            for width in [40u16, 60] {
                assert!(text(&app, width, 20).contains(&at_risk), "{width}: {at_risk}");
            }
        }
    }
}

#[test]
fn help_pages_and_jumps_to_either_end() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('?'));
    let top = text(&app, 80, 24);
    assert!(top.contains("more below"), "{top}");
    press(&mut app, KeyCode::Char('G'));
    let bottom = text(&app, 80, 24);
    assert!(bottom.contains("more above") && !bottom.contains("more below"), "{bottom}");
    // Its end says what the lists put where a score would be (Triage opens first).
    let words = bottom.replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ");
    for said in ["\"low data\" = some data", "\"no score\" = no data for any factor yet", "\"~67\""] {
        assert!(words.contains(said), "{said}: {bottom}");
    }
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(text(&app, 80, 24), top);
    press(&mut app, KeyCode::PageDown);
    assert_ne!(text(&app, 80, 24), top);
}

/// `[keys]` in the config: the key given works, the one it replaced is free, and `?` lists it.
#[test]
fn keys_of_ones_own_work_and_show_in_the_help() {
    let (_dir, store) = demo_store(tend::demo::DEFAULT_ACCOUNTS);
    let text_config = "[keys.global]\nlog_sentiment = \"S\"\n[keys.triage]\nmark_handled = \"d\"\n";
    let config = tend::config::Config::from_toml(text_config, std::path::Path::new("k.toml")).unwrap();
    let mut app = App::new(store, config, today(), tend::tui::theme::Theme { color: false }).unwrap();
    assert!(text(&app, 120, 30).contains("d handled · z snooze"), "the head line's hints follow the keys");
    press(&mut app, KeyCode::Char('s'));
    assert!(app.form.is_none(), "s is no longer sentiment");
    press(&mut app, KeyCode::Char('S'));
    assert!(text(&app, 80, 24).contains("Log sentiment"), "{}", text(&app, 80, 24));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('?'));
    let mut help = text(&app, 100, 60);
    for _ in 0..40 {
        press(&mut app, KeyCode::Char('j'));
        help.push_str(&text(&app, 100, 60));
    }
    assert!(help.contains("S  log sentiment"), "{help}");
}

/// One way out everywhere: ← closes an account, a one-on-one agenda and a Grid cell's accounts,
/// as Esc does, and → opens what is selected as Enter does.
#[test]
fn left_goes_back_and_right_opens() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('2'));
    let first = app.portfolio.selected_row().map(|r| r.id);
    press(&mut app, KeyCode::Right);
    assert_eq!(app.screen, Screen::Account);
    assert_eq!(app.account.as_ref().map(|a| a.detail.account.id), first);
    // ] and [ switch tabs now that ← is back.
    press(&mut app, KeyCode::Char(']'));
    assert_eq!(app.account.as_ref().map(|a| a.tab), Some(tend::tui::views::account::AccountTab::Timeline));
    press(&mut app, KeyCode::Left);
    assert_eq!(app.screen, Screen::Portfolio);
    assert!(app.account.is_none());

    // A Grid cell's accounts: ← shows the whole book again.
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Portfolio);
    assert!(app.portfolio.cell.is_some());
    press(&mut app, KeyCode::Left);
    assert!(app.portfolio.cell.is_none(), "← clears the cell");
    assert_eq!(app.screen, Screen::Grid, "and goes back to the Grid it came from");
    // Help on the Grid lists no key that writes to an account: they refuse there.
    press(&mut app, KeyCode::Char('?'));
    let help = text(&app, 100, 40);
    assert!(!help.contains("log sentiment") && help.contains("cell to the left"), "{help}");
    press(&mut app, KeyCode::Esc);

    // Team: → opens the agenda, ← closes it.
    press(&mut app, KeyCode::Char('5'));
    press(&mut app, KeyCode::Right);
    assert!(app.team.as_ref().is_some_and(|t| t.agenda.is_some()));
    press(&mut app, KeyCode::Left);
    assert!(app.team.as_ref().is_some_and(|t| t.agenda.is_none()));
    assert_eq!(app.screen, Screen::Team);
}

/// The logging keys act on the account the view shows selected, and never guess on views that
/// show none.
#[test]
fn logging_keys_name_the_selected_account_or_say_where_to_go() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('4'));
    press(&mut app, KeyCode::Down);
    let renewing = app.renewals.as_ref().and_then(|r| r.selected_row()).map(|i| app.portfolio.rows()[i].name.clone());
    press(&mut app, KeyCode::Char('s'));
    let form = app.form.as_ref().map(|f| f.form.title.clone()).unwrap_or_default();
    assert!(renewing.is_some_and(|n| form.contains(&n)), "{form}");
    press(&mut app, KeyCode::Esc);
    for view in ['3', '5', '6'] {
        press(&mut app, KeyCode::Char(view));
        press(&mut app, KeyCode::Char('s'));
        assert!(app.form.is_none(), "view {view}");
        assert!(app.message.as_deref().is_some_and(|m| m.starts_with("No account here")), "{:?}", app.message);
    }
}

/// A book of `n` accounts imported from a CRM file (no journeys, no history yet), open on Triage.
fn crm_app(n: usize) -> (tempfile::TempDir, App) {
    let (dir, path) = temp_db();
    let file = crm_file(dir.path(), n);
    let (ok, _, err) = tend_on(&path, &["import", "accounts", "--no-journeys", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    let store = Store::open(&path).unwrap();
    (dir, App::new(store, Config::default(), today(), Theme::plain()).unwrap())
}

/// An imported book with no history yet: the Portfolio does not stand empty trend and change
/// columns, and the sort keys skip them.
#[test]
fn a_book_without_history_gives_the_trend_columns_room_to_the_name() {
    let (_dir, mut app) = crm_app(40);
    press(&mut app, KeyCode::Char('2'));
    let screen = text(&app, 80, 24);
    let header = screen.lines().nth(1).unwrap();
    assert!(header.starts_with("Health") && !header.contains("7d") && !header.contains("Δ"), "{screen}");
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(app.portfolio.sort, SortColumn::Name, "o skips the columns not shown");
}

/// A score from thin evidence reads the same on the account as in the lists: marked `~` beside
/// its number and said thin, with both limits (a score's minimum, and where thin ends) spelled out.
#[test]
fn a_thin_score_is_marked_and_said_on_the_account_as_in_the_lists() {
    // A score needs a quarter of the weight here: the demo's new customer not yet logged in
    // (its wait for a first login a lower bound, left out) scores, thin.
    let (_dir, store) = demo_store(tend::demo::DEFAULT_ACCOUNTS);
    let mut config = Config::default();
    config.health.min_coverage = 0.25;
    let mut app = App::new(store, config, today(), Theme { color: true }).unwrap();
    press(&mut app, KeyCode::Char('2'));
    let pos = app.portfolio.visible_rows().position(|r| r.thin).expect("the demo book has a thin score");
    let row = app.portfolio.visible_rows().nth(pos).unwrap().clone();
    for _ in 0..pos {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Account);
    let screen = text(&app, 120, 40);
    let score = row.score.unwrap();
    assert!(screen.contains(&format!("~{score}")) && screen.contains(", thin data · as of"), "{screen}");
    assert!(
        screen.contains("evidence factors") && screen.contains(": thin (~); a score needs 25%, 63% for more than thin"),
        "{screen}"
    );
}

/// Rows sorted by a column the terminal's width hides say so on the status line, at 60 columns
/// too, where it goes before the count (a probe read "sort Segment ▲" over rows with no segment in
/// sight).
#[test]
fn a_sort_by_a_hidden_column_is_said() {
    let (_dir, mut app) = crm_app(40);
    press(&mut app, KeyCode::Char('2'));
    let status = |app: &App, width: u16| text(app, width, 20).lines().last().unwrap_or_default().to_string();
    // Chosen at 120 columns, where the Segment column shows.
    text(&app, 120, 20);
    for _ in 0..SortColumn::ALL.len() {
        if app.portfolio.sort == SortColumn::Segment {
            break;
        }
        press(&mut app, KeyCode::Char('o'));
    }
    assert_eq!(app.portfolio.sort, SortColumn::Segment);
    let wide = status(&app, 120);
    assert!(wide.contains("sort Segment ▲") && !wide.contains("hidden"), "{wide}");
    let narrow = status(&app, 60);
    assert!(narrow.contains("sort Segment ▲ (column hidden)"), "{narrow}");
    assert!(!text(&app, 60, 20).lines().nth(1).unwrap_or_default().contains("Segment"));
}

/// A form on an account whose name another has too says which one in its title, as the lists and
/// the status line do (a probe's "Log sentiment · Northwind Traders" did not).
#[test]
fn a_form_on_a_shared_name_says_which_account() {
    let (dir, path) = temp_db();
    let file = dir.path().join("crm.csv");
    std::fs::write(&file, "External ID,Account,CSM,ARR\nCRM-1,Rivet Foods,Ana,12000\nCRM-2,Rivet Foods,Ana,48000\n")
        .unwrap();
    let (ok, _, err) = tend_on(&path, &["import", "accounts", "--no-journeys", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    let store = Store::open(&path).unwrap();
    let mut app = App::new(store, Config::default(), today(), Theme::plain()).unwrap();
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('s'));
    let title = app.form.as_ref().map(|f| f.form.title.clone()).unwrap_or_default();
    assert!(title.contains("Rivet Foods (CRM-1)") || title.contains("Rivet Foods (CRM-2)"), "{title}");
    // On the Account view too, whose own header names the account.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Account);
    press(&mut app, KeyCode::Char('s'));
    let title = app.form.as_ref().map(|f| f.form.title.clone()).unwrap_or_default();
    assert!(title.contains("Rivet Foods (CRM-1)") || title.contains("Rivet Foods (CRM-2)"), "{title}");
}

/// A book of 12 CRM accounts (no journeys) with six weeks of usage up to `today()` for `ids`.
fn crm_with_usage(ids: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, path) = temp_db();
    let file = crm_file(dir.path(), 12);
    let (ok, _, err) = tend_on(&path, &["import", "accounts", "--no-journeys", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    let usage = dir.path().join("usage.csv");
    std::fs::write(&usage, weekly_usage(ids)).unwrap();
    let (ok, _, err) = tend_on(&path, &["import", "metrics", usage.to_str().unwrap()]);
    assert!(ok, "{err}");
    (dir, path)
}

/// Usage data two of its exports behind is said overdue on the status line, drawn louder than the
/// dim line it is part of (two probes missed "data 22d old" beside "Days since login 0d").
#[test]
fn usage_data_two_exports_behind_is_said_overdue() {
    let (_dir, path) = crm_with_usage(&["CRM-0001", "CRM-0002", "CRM-0003", "CRM-0004"]);
    let status = |days: i64| {
        let store = Store::open(&path).unwrap();
        let app =
            App::new(store, Config::default(), today() + chrono::Duration::days(days), Theme::from_env()).unwrap();
        let terminal = screen(&app, 120, 30);
        let buffer = terminal.backend().buffer().clone();
        let line: String = (0..120).map(|x| buffer[(x, 29)].symbol().to_string()).collect();
        (line, buffer[(2, 29)].fg)
    };
    let (line, colour) = status(7);
    assert!(line.contains("weekly data to") && line.contains("(7d old)") && !line.contains("overdue"), "{line}");
    assert_ne!(colour, Color::Yellow);
    let (line, colour) = status(15);
    assert!(line.contains("(15d old, overdue)"), "{line}");
    assert_eq!(colour, Color::Yellow);
    // At 60 columns, on a day asked for, it is said to the last.
    let store = Store::open(&path).unwrap();
    let mut app = App::new(store, Config::default(), today() + chrono::Duration::days(15), Theme::plain()).unwrap();
    app.as_of_asked = true;
    let narrow = text(&app, 60, 20);
    let last = narrow.lines().last().unwrap_or_default();
    assert!(last.contains("overdue"), "{narrow}");
}

/// The Account view's factor table says the day usage factors count to when the data ends before
/// today: two probes read "Days since login 0d" on data three weeks old as a login today.
#[test]
fn the_factor_table_says_the_day_usage_data_counts_to() {
    let (_dir, path) = crm_with_usage(&["CRM-0004"]);
    let header = |days: i64, width: u16| {
        let store = Store::open(&path).unwrap();
        let mut app =
            App::new(store, Config::default(), today() + chrono::Duration::days(days), Theme::plain()).unwrap();
        press(&mut app, KeyCode::Char('2'));
        let pos = app.portfolio.visible_rows().position(|r| &*r.name == "Company 4").expect("the account");
        for _ in 0..pos {
            press(&mut app, KeyCode::Down);
        }
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.screen, Screen::Account);
        let screen = text(&app, width, 40);
        screen.lines().find(|l| l.starts_with("Factor")).unwrap_or_else(|| panic!("{screen}")).to_string()
    };
    // On the data's own day, nothing to say.
    assert!(header(0, 100).starts_with("Factor   "), "{}", header(0, 100));
    for width in [60, 80, 120] {
        let later = header(21, width);
        assert!(later.starts_with("Factor, data to 11-23"), "{later}");
        // The Value column stays where the rows put their values.
        assert_eq!(later.find("Value"), header(0, width).find("Value"), "{later}");
    }
}

/// A band capped below its score by a critical factor is marked "cap" in the lists ("R 63" read
/// as a contradiction): a customer of weeks who logged in early and then stopped.
#[test]
fn a_capped_band_is_marked_in_the_lists() {
    let (dir, path) = temp_db();
    let file = crm_file(dir.path(), 12);
    let (ok, _, err) = tend_on(&path, &["import", "accounts", "--no-journeys", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    // Company 2 became a customer 60 days ago: 30 logins a week for its first three weeks, none
    // since (its data from its first week: a feed begun later would not know its first login).
    let mut usage = String::from("account,metric,date,value\n");
    for week in 0..9 {
        let day = today() - chrono::Duration::days(7 * week);
        let logins = if week >= 6 { 30 } else { 0 };
        usage.push_str(&format!("CRM-0002,logins,{day},{logins}\n"));
    }
    let usage_file = dir.path().join("usage.csv");
    std::fs::write(&usage_file, usage).unwrap();
    let (ok, _, err) = tend_on(&path, &["import", "metrics", usage_file.to_str().unwrap()]);
    assert!(ok, "{err}");
    let mut app = App::new(Store::open(&path).unwrap(), Config::default(), today(), Theme::plain()).unwrap();
    press(&mut app, KeyCode::Char('2'));
    let row = app.portfolio.visible_rows().find(|r| &*r.name == "Company 2").cloned().expect("the account");
    assert_eq!(row.band, Some(tend::domain::HealthBand::Red), "{row:?}");
    assert!(row.capped && row.score.is_some_and(|s| s >= 25), "{row:?}");
    let screen = text(&app, 80, 24);
    let line = screen.lines().find(|l| l.contains("Company 2")).unwrap_or_else(|| panic!("{screen}"));
    assert!(line.starts_with("R") && line.contains(" cap "), "{line}");
    // The reports' tables mark it too; their JSON keeps the band's key.
    let (ok, table, err) = tend_on(&path, &["report", "triage", "--all"]);
    assert!(ok, "{err}");
    let line = table.lines().find(|l| l.contains("Company 2")).unwrap_or_else(|| panic!("{table}"));
    assert!(line.contains("Red (capped)"), "{line}");
    let (ok, json, err) = tend_on(&path, &["report", "triage", "--all", "--format", "json"]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let row = doc["rows"].as_array().unwrap().iter().find(|r| r["account"] == "Company 2").cloned().unwrap();
    assert_eq!(row["band"], "red", "{row}");
}
