//! The Grid: segment x health, its totals, and Enter narrowing the Portfolio to a cell.

mod common;

use common::*;
use ratatui::crossterm::event::KeyCode;
use tend::config::Config;
use tend::domain::{AccountStatus, SegmentScheme};
use tend::tui::App;
use tend::tui::app::Screen;
use tend::tui::theme::Theme;

#[test]
fn grid_totals_equal_the_portfolio() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('3'));
    assert_eq!(app.screen, Screen::Grid);
    let grid = &app.grid.as_ref().unwrap().grid;
    let live: Vec<_> = app.portfolio.rows().iter().filter(|r| r.status != AccountStatus::Churned).collect();
    assert_eq!(grid.grand.accounts, live.len());
    assert_eq!(grid.grand.accounts, app.portfolio.in_view());
    assert_eq!(grid.grand.arr.0, live.iter().map(|r| r.arr.0).sum::<i64>());
    let by_rows: usize = grid.rows.iter().map(|r| r.total.accounts).sum();
    let by_cols: usize = grid.totals.iter().map(|c| c.accounts).sum();
    assert_eq!((by_rows, by_cols), (live.len(), live.len()));
}

#[test]
fn enter_on_a_cell_opens_its_accounts() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('3'));
    // Find a cell with accounts in it.
    let (row, col, count) = {
        let grid = &app.grid.as_ref().unwrap().grid;
        grid.rows
            .iter()
            .enumerate()
            .find_map(|(r, gr)| {
                gr.cells.iter().enumerate().find(|(_, c)| c.accounts > 0).map(|(c, cell)| (r, c, cell.accounts))
            })
            .unwrap()
    };
    for _ in 0..row {
        press(&mut app, KeyCode::Down);
    }
    for _ in 0..col {
        press(&mut app, KeyCode::Right);
    }
    let cell = app.grid.as_ref().unwrap().selected();
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Portfolio);
    assert_eq!(app.portfolio.in_view(), count);
    assert!(
        app.portfolio.visible_rows().all(|r| Some(&r.segment) == cell.segment.as_ref() && Some(r.band) == cell.band)
    );
    // The status line may wrap onto a second line at 80 columns.
    let words = text(&app, 80, 24).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains(&format!("cell {}", cell.describe())), "{words}");
    press(&mut app, KeyCode::Esc);
    assert!(app.portfolio.cell.is_none());
    assert!(app.portfolio.in_view() > count);
}

#[test]
fn the_total_cell_means_everything() {
    let (_dir, mut app) = demo_app();
    let all = app.portfolio.in_view();
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::End);
    for _ in 0..6 {
        press(&mut app, KeyCode::Right);
    }
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.portfolio.in_view(), all);
}

#[test]
fn switching_the_segment_scheme_changes_the_rows() {
    let (dir, store) = demo_store(60);
    let mut config = Config::default();
    config.segments.scheme = SegmentScheme::Scores;
    let mut app = App::new(store, config, today(), Theme::plain()).unwrap();
    press(&mut app, KeyCode::Char('3'));
    let names: Vec<String> = app.grid.as_ref().unwrap().grid.rows.iter().map(|r| r.segment.to_string()).collect();
    assert_eq!(names, vec!["Strategic", "Core", "Scale", "Unsegmented"]);
    drop(dir);
}

#[test]
fn snapshot_grid_80x24() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('3'));
    insta::assert_snapshot!(text(&app, 80, 24));
}

#[test]
fn snapshot_grid_120x40() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('3'));
    insta::assert_snapshot!(text(&app, 120, 40));
}

/// On an imported CRM book, the accounts with no ARR on record are Unsegmented, and their cells
/// say they sum to no amount ("-"), not "$0"; cells of accounts with an ARR keep their sums.
#[test]
fn cells_of_accounts_without_arr_show_no_amount() {
    let (_dir, db) = imported_crm(40);
    let store = tend::store::Store::open(&db).unwrap();
    let mut app = App::new(store, Config::default(), today(), Theme::plain()).unwrap();
    press(&mut app, KeyCode::Char('3'));
    let screen = text(&app, 80, 24);
    let unsegmented = screen.lines().find(|l| l.starts_with("Unsegmented")).unwrap_or_else(|| panic!("{screen}"));
    assert!(unsegmented.ends_with("8 -        8 -"), "{unsegmented}");
    // The total counts them, and its sum is of the ARR recorded.
    let total = screen.lines().find(|l| l.starts_with("Total")).unwrap();
    // In dollars, as most are (the euros among them added unconverted, said under the grid).
    assert!(total.ends_with("40 $287k   40 $287k"), "{total}");
    assert!(screen.contains("ARR in 2 currencies, added unconverted"), "{screen}");
}

/// The Grid counts the book, not what a Portfolio filter left showing: its status line says how
/// many it counts, showing it says the filter is not applied, and opening a cell says the filter
/// went (the cell lists every account the Grid counted in it).
#[test]
fn the_grid_counts_its_own_accounts_whatever_the_portfolio_filter_and_says_so() {
    let (_dir, db) = imported_crm(40);
    let store = tend::store::Store::open(&db).unwrap();
    let mut app = App::new(store, Config::default(), today(), Theme::plain()).unwrap();
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('/'));
    typ(&mut app, "Company 1");
    press(&mut app, KeyCode::Enter);
    assert!(app.portfolio.in_view() < 15, "{}", app.portfolio.in_view());
    press(&mut app, KeyCode::Char('3'));
    let said = text(&app, 120, 40).lines().last().unwrap_or_default().to_string();
    assert!(said.contains("The Grid counts every account, not the Portfolio's filter \"Company 1\""), "{said}");
    press(&mut app, KeyCode::Down);
    let grand = app.grid.as_ref().unwrap().grid.grand.accounts;
    assert_eq!(grand, 40);
    let status = text(&app, 120, 40).lines().last().unwrap_or_default().to_string();
    assert!(status.contains(&format!("{grand} in the Grid")) && !status.contains("shown"), "{status}");
    // The segment's total: a cell with accounts in it.
    for _ in 0..6 {
        press(&mut app, KeyCode::Right);
    }
    let in_cell = app.grid.as_ref().unwrap().selected_cell().accounts;
    assert!(in_cell > 0);
    press(&mut app, KeyCode::Enter);
    let said = text(&app, 120, 40).lines().last().unwrap_or_default().to_string();
    assert!(said.contains("The filter \"Company 1\" is cleared"), "{said}");
    assert_eq!(app.portfolio.filter.query(), "");
    assert_eq!(app.portfolio.in_view(), in_cell);
    // The cell narrowing the Portfolio is said at 60 columns too, beside the count it explains.
    press(&mut app, KeyCode::Down);
    let screen = text(&app, 60, 24);
    let status = screen.lines().last().unwrap_or_default().to_string();
    assert!(status.contains(&format!("{in_cell}/40 shown · cell ")), "{screen}");
}
