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
