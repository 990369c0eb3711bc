//! Renewals, Team and one-on-one views, "my book", and renew / churn through the app state.

mod common;

use common::{CrmBook, demo_store, press, text, today, triage_app, typ, weekly_usage};
use ratatui::crossterm::event::KeyCode;
use tend::config::Config;
use tend::domain::AccountStatus;
use tend::tui::App;
use tend::tui::app::Screen;
use tend::tui::theme::Theme;

fn renewals_app() -> (tempfile::TempDir, App) {
    let (dir, mut app) = triage_app();
    press(&mut app, KeyCode::Char('4'));
    (dir, app)
}

#[test]
fn renewals_list_the_window_soonest_first_with_the_forecast() {
    let (_dir, mut app) = renewals_app();
    assert_eq!(app.screen, Screen::Renewals);
    let view = app.renewals.as_ref().unwrap();
    assert_eq!(view.days, 90);
    assert!(!view.is_empty());
    let f = view.forecast;
    assert_eq!(f.renewals, view.len());
    assert!(f.expected <= f.due && f.at_risk <= f.due);
    assert!(text(&app, 80, 24).contains("forecast"));
    // w widens the window: never fewer renewals.
    let before = view.len();
    press(&mut app, KeyCode::Char('w'));
    let view = app.renewals.as_ref().unwrap();
    assert_eq!(view.days, 180);
    assert!(view.len() >= before);
}

/// The selected renewal says why it needs attention, as Triage does, under the list: a CSM
/// working a renewal quarter had to leave for Triage to learn it.
#[test]
fn the_selected_renewal_says_why_under_the_list() {
    let (_dir, mut app) = renewals_app();
    for _ in 0..2 {
        let row = app.renewals.as_ref().unwrap().selected_row().unwrap();
        let name = app.portfolio.rows()[row].name.to_string();
        let screen = text(&app, 80, 24);
        let at = screen.find(&format!(" {name}: ")).unwrap_or_else(|| panic!("{screen}"));
        let why = screen[at..].lines().take(2).collect::<Vec<_>>().join(" ");
        assert!(!why.contains(" pts"), "spelled out with raw values: {why}");
        press(&mut app, KeyCode::Char('j'));
    }
    // A write on the selected renewal's account is read into its why (it had kept the line
    // worked out before the write).
    press(&mut app, KeyCode::Char('k'));
    press(&mut app, KeyCode::Char('s'));
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "saved and closed");
    let row = app.renewals.as_ref().unwrap().selected_row().unwrap();
    let name = app.portfolio.rows()[row].name.to_string();
    let screen = text(&app, 120, 40);
    let why = screen.lines().find(|l| l.starts_with(&format!(" {name}: "))).unwrap_or_else(|| panic!("{screen}"));
    assert!(why.contains("CSM sentiment") && why.contains("-> 2/10"), "{why}");
}

#[test]
fn snapshot_renewals_80x24() {
    let (_dir, app) = renewals_app();
    insta::assert_snapshot!(text(&app, 80, 24));
}

#[test]
fn snapshot_renewals_120x40() {
    let (_dir, app) = renewals_app();
    insta::assert_snapshot!(text(&app, 120, 40));
}

#[test]
fn renew_from_the_renewals_view_moves_the_date_and_arr() {
    let (_dir, mut app) = renewals_app();
    let i = app.renewals.as_ref().unwrap().selected_row().unwrap();
    let before = app.portfolio.rows()[i].clone();
    press(&mut app, KeyCode::Char('R'));
    let form = &app.form.as_ref().expect("the renew form").form;
    assert!(form.title.contains(&before.name), "{}", form.title);
    // Replace the ARR with 99000 (Tab to the second field, clear, type).
    press(&mut app, KeyCode::Tab);
    for _ in 0..12 {
        press(&mut app, KeyCode::Backspace);
    }
    typ(&mut app, "99000");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.form.error.clone()));
    assert!(app.message.as_deref().unwrap().contains("renewed"), "{:?}", app.message);
    let after = app.portfolio.rows().iter().find(|r| r.id == before.id).unwrap();
    assert_eq!(after.arr, tend::domain::Cents::from_units(99_000.0));
    assert_eq!(after.status, AccountStatus::Renewed);
    assert!(after.renewal_date > before.renewal_date);
    assert!(app.renewals.as_ref().unwrap().len() < 1000);
}

#[test]
fn churn_needs_a_reason_and_takes_the_account_off_triage() {
    let (_dir, mut app) = triage_app();
    let (item, name) = app.triage_selection().unwrap();
    press(&mut app, KeyCode::Char('C'));
    press(&mut app, KeyCode::Enter);
    let error = app.form.as_ref().and_then(|f| f.form.error.clone()).unwrap_or_default();
    assert!(app.form.is_some(), "an empty reason is refused");
    assert!(error.contains("reason") || text(&app, 80, 24).contains("required"), "{error}");
    typ(&mut app, "moved to a competitor");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none());
    assert!(app.message.as_deref().unwrap().contains(&format!("{name}: churned")), "{:?}", app.message);
    assert!(app.triage.shown().all(|i| i.id != item.id), "churned accounts leave triage");
    let events = app.store.contract_events(item.id).unwrap();
    assert_eq!(events[0].reason, "moved to a competitor");
}

#[test]
fn team_has_a_line_per_csm_adding_up_to_the_book() {
    let (_dir, mut app) = triage_app();
    press(&mut app, KeyCode::Char('5'));
    let team = app.team.as_ref().unwrap();
    assert_eq!(team.lines.len(), 3);
    let active = app.portfolio.rows().iter().filter(|r| r.status != AccountStatus::Churned).count();
    assert_eq!(team.lines.iter().map(|l| l.accounts).sum::<usize>(), active);
    for l in &team.lines {
        assert_eq!(l.bands.iter().sum::<usize>(), l.accounts);
    }
}

#[test]
fn snapshot_team_80x24_and_120x40() {
    let (_dir, mut app) = triage_app();
    press(&mut app, KeyCode::Char('5'));
    insta::assert_snapshot!("team_80x24", text(&app, 80, 24));
    insta::assert_snapshot!("team_120x40", text(&app, 120, 40));
}

#[test]
fn one_on_one_walks_movers_then_overdue_then_renewals() {
    let (_dir, mut app) = triage_app();
    press(&mut app, KeyCode::Char('5'));
    press(&mut app, KeyCode::Enter);
    let (csm, items) = app.team.as_ref().unwrap().agenda.clone().expect("the agenda is open");
    assert!(!items.is_empty());
    assert!(items.windows(2).all(|w| w[0].section <= w[1].section), "sections in a lead's order");
    let rows = app.portfolio.rows();
    assert!(items.iter().all(|i| rows.iter().any(|r| r.id == i.account_id && *r.csm == *csm)));
    insta::assert_snapshot!("one_on_one_80x24", text(&app, 80, 24));
    insta::assert_snapshot!("one_on_one_120x40", text(&app, 120, 40));
    press(&mut app, KeyCode::Esc);
    assert!(app.team.as_ref().unwrap().agenda.is_none());
    assert_eq!(app.screen, Screen::Team);
}

#[test]
fn me_opens_on_my_book_and_v_switches_to_everyone() {
    let (dir, store) = demo_store(tend::demo::DEFAULT_ACCOUNTS);
    let mut config = Config::default();
    let csm = {
        let rows = tend::book::load_portfolio_cached(&store, &config, today()).unwrap();
        rows.iter().find(|r| !r.csm.is_empty()).unwrap().csm.to_string()
    };
    config.me = csm.to_uppercase();
    let mut app = App::new(store, config, today(), Theme::plain()).unwrap();
    assert_eq!(app.book_of.as_deref(), Some(csm.as_str()));
    let rows = app.portfolio.rows();
    assert!(app.triage.shown().all(|i| *rows[i.row].csm == *csm), "triage shows my accounts only");
    press(&mut app, KeyCode::Char('2'));
    assert!(app.portfolio.visible_rows().all(|r| *r.csm == *csm));
    // The status line names whose book it is, with how to see everyone's where it fits; at 60
    // columns on one line, without the hint, rather than broken across two.
    let status = |width: u16, height: u16| text(&app, width, height).lines().last().unwrap().to_string();
    assert!(status(120, 30).contains(&format!("{csm}'s book (v: everyone)")), "{}", status(120, 30));
    let narrow = status(60, 20);
    assert!(narrow.contains(&format!("{csm}'s book")) && !narrow.contains("(v:"), "{narrow}");
    assert!(!text(&app, 60, 20).contains("everyone)"), "not wrapped onto another line");
    let mine = app.portfolio.in_view();
    press(&mut app, KeyCode::Char('v'));
    assert_eq!(app.book_of, None);
    assert!(app.portfolio.in_view() > mine);
    // V picks another CSM by the start of the name.
    let other = app.portfolio.rows().iter().find(|r| !r.csm.is_empty() && *r.csm != *csm).unwrap().csm.to_string();
    press(&mut app, KeyCode::Char('V'));
    typ(&mut app, &other[..4]);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.book_of.as_deref(), Some(other.as_str()));
    assert!(app.portfolio.visible_rows().all(|r| *r.csm == *other));
    // Another CSM's list is what their accounts need of them (a lead in a one-on-one), and every
    // view counts the accounts of the book it names.
    let theirs = app.portfolio.rows().iter().filter(|r| *r.csm == *other).count();
    press(&mut app, KeyCode::Char('1'));
    let screen = text(&app, 120, 30);
    assert!(
        screen.contains(&format!("need {other} today")) || screen.contains(&format!("Nothing needs {other} today")),
        "{screen}"
    );
    assert!(!screen.contains("you today"), "{screen}");
    for view in ['1', '4'] {
        press(&mut app, KeyCode::Char(view));
        let status = text(&app, 120, 30).lines().last().unwrap().to_string();
        assert!(
            status.contains(&format!("{other}'s book")) && status.contains(&format!(" · {theirs} accounts")),
            "{view}: {status}"
        );
    }
    // The Team view is the whole team's, whoever's book the lists show: said so (a probe took
    // the team's NRR under "Priya Shah's book" for hers).
    press(&mut app, KeyCode::Char('5'));
    let status = text(&app, 120, 30).lines().last().unwrap().to_string();
    assert!(status.contains("the whole team") && !status.contains(&format!("{other}'s book")), "{status}");
    drop(dir);
}

#[test]
fn a_large_team_scrolls_to_keep_the_selection_in_view() {
    let (dir, store) = demo_store(400);
    let mut app = App::new(store, Config::default(), today(), Theme::plain()).unwrap();
    press(&mut app, KeyCode::Char('5'));
    let csms = app.team.as_ref().unwrap().lines.len();
    assert!(csms > 15, "{csms} CSMs");
    press(&mut app, KeyCode::End);
    let last = app.team.as_ref().unwrap().selected_csm().unwrap().to_string();
    assert!(text(&app, 80, 24).contains(&last), "the last CSM is drawn once selected");
    drop(dir);
}

#[test]
fn b_overrides_the_band_shown_beside_the_computed_one_everywhere() {
    let (_dir, mut app) = triage_app();
    press(&mut app, KeyCode::Char('2'));
    let row = app.portfolio.selected_row().unwrap().clone();
    assert_ne!(row.band, Some(tend::domain::HealthBand::Green), "the worst account first");
    press(&mut app, KeyCode::Char('B'));
    // Band: the current one is selected; pick green by its first letter, then a reason.
    typ(&mut app, "g");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "exec sponsor re-engaged");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.form.error.clone()));
    let now = app.portfolio.rows().iter().find(|r| r.id == row.id).unwrap().clone();
    assert_eq!(now.band, Some(tend::domain::HealthBand::Green));
    assert_eq!(now.computed_band, row.band);
    assert!(now.overridden);
    let screen = text(&app, 80, 24);
    let letter = row.band.unwrap().letter();
    assert!(screen.contains(&format!("G* {:>2} ({letter})", now.score.unwrap())), "{screen}");
    // The Account view shows both, and the timeline has it.
    press(&mut app, KeyCode::Char('/'));
    typ(&mut app, &now.name);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let detail = &app.account.as_ref().unwrap().detail;
    assert_eq!(detail.band_override.as_ref().map(|o| o.band), Some(tend::domain::HealthBand::Green));
    assert_eq!(detail.health.band, row.band, "the computed band is kept");
    assert!(detail.timeline.iter().any(|t| t.kind == "override" && t.text.contains("exec sponsor")));
    assert!(text(&app, 120, 40).contains("overridden until"));
}

#[test]
fn u_undoes_a_churn_a_renewal_and_an_override() {
    let (_dir, mut app) = renewals_app();
    let i = app.renewals.as_ref().unwrap().selected_row().unwrap();
    let before = app.portfolio.rows()[i].clone();
    let events = |app: &App| app.store.contract_events(before.id).unwrap().len();
    let row = |app: &App| app.portfolio.rows().iter().find(|r| r.id == before.id).unwrap().clone();

    // Renew at a new price, then undo: date, ARR, status and the event are as before.
    press(&mut app, KeyCode::Char('R'));
    press(&mut app, KeyCode::Tab);
    for _ in 0..12 {
        press(&mut app, KeyCode::Backspace);
    }
    typ(&mut app, "77000");
    press(&mut app, KeyCode::Enter);
    assert_eq!(row(&app).arr, tend::domain::Cents::from_units(77_000.0));
    assert_eq!(events(&app), 1);
    press(&mut app, KeyCode::Char('u'));
    assert!(app.message.as_deref().unwrap().starts_with("Undone"), "{:?}", app.message);
    let back = row(&app);
    assert_eq!((back.arr, back.renewal_date, back.status), (before.arr, before.renewal_date, before.status));
    assert_eq!(events(&app), 0, "the renewal is gone from the record");

    // Churn, then undo: active again and back on the renewals list.
    press(&mut app, KeyCode::Char('C'));
    typ(&mut app, "mistake");
    press(&mut app, KeyCode::Enter);
    assert_eq!(row(&app).status, AccountStatus::Churned);
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(row(&app).status, before.status);
    assert_eq!(row(&app).renewal_date, before.renewal_date);
    assert_eq!(events(&app), 0);

    // Override, override again, then undo twice: each undo peels one off.
    for (key, reason) in [('g', "first"), ('r', "second")] {
        press(&mut app, KeyCode::Char('B'));
        typ(&mut app, &key.to_string());
        press(&mut app, KeyCode::Tab);
        typ(&mut app, reason);
        press(&mut app, KeyCode::Enter);
        assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.form.error.clone()));
    }
    assert_eq!(row(&app).band, Some(tend::domain::HealthBand::Red));
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(row(&app).band, Some(tend::domain::HealthBand::Green), "the first override is back in force");
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(row(&app).band, before.band);
    assert!(!row(&app).overridden);
}

/// Accounts without a CSM have a line of their own on Team, which is no CSM: the title counts
/// the CSMs and says the unassigned apart.
#[test]
fn the_team_counts_its_csms_not_the_line_of_unassigned_accounts() {
    let book = CrmBook::new(20);
    let mut app = team_of(&book);
    let lines = app.team.as_ref().unwrap().lines.clone();
    let unassigned = lines.iter().find(|l| l.csm == "unassigned").expect("the CRM file leaves some without a CSM");
    assert_eq!(lines.len(), 4);
    // Its agenda's status counts its accounts, as its head does (it said "0 accounts" under 2).
    press(&mut app, KeyCode::End);
    press(&mut app, KeyCode::Enter);
    let agenda = text(&app, 120, 30);
    let said = format!("the unassigned accounts · {} accounts", unassigned.accounts);
    assert!(agenda.contains(&said) && agenda.contains(&format!(" {} accounts (", unassigned.accounts)), "{agenda}");
    press(&mut app, KeyCode::Esc);
    let screen = text(&app, 120, 30);
    assert!(screen.contains("Team: 3 CSMs and the unassigned accounts"), "{screen}");
    // The report counts the CSMs as the view does: the unassigned line is no CSM.
    let doc: serde_json::Value = serde_json::from_str(&book.run(&["report", "team", "--format", "json"])).unwrap();
    assert_eq!(doc["summary"]["csms"], 3, "{doc}");
    assert_eq!(doc["rows"].as_array().unwrap().len(), 4, "{doc}");
}

/// An imported CRM book whose ARR comes in dollars and euros ("€1.2k"): the Team view shows its
/// sums in the currency the reports show them in, and says they add the amounts unconverted.
#[test]
fn team_says_when_its_sums_mix_currencies() {
    let book = CrmBook::new(40);
    let app = team_of(&book);
    assert_eq!(app.screen, Screen::Team);
    let screen = text(&app, 120, 30);
    assert!(
        screen.contains("Team: 3 CSMs and the unassigned accounts · ARR in 2 currencies, added unconverted"),
        "{screen}"
    );
    // At 80 columns it would be cut: it takes a line of its own, whole.
    let narrow = text(&app, 80, 24);
    assert!(narrow.lines().any(|l| l.trim() == "ARR in 2 currencies, added unconverted"), "{narrow}");
    assert!(!narrow.contains("unconver…"), "{narrow}");
    // Each CSM's ARR in the symbol the report gives it (the first account's currency).
    let report = book.run(&["report", "team"]);
    let symbol = |line: &str| ['€', '$'].into_iter().find(|c| line.contains(*c));
    let in_report = report.lines().find(|l| l.starts_with("Ben Okafor")).and_then(symbol);
    let in_view = screen.lines().find(|l| l.contains("Ben Okafor")).and_then(symbol);
    assert!(in_report.is_some() && in_view == in_report, "{report}\n{screen}");
}

/// The app on an imported book, on the Team view.
/// A CSM with one account scored of five: their average is of that one, and marked so ("94"
/// over 2 of 43 accounts read as a healthy book to a probe's lead).
#[test]
fn an_average_of_few_of_the_accounts_is_marked() {
    let book = CrmBook::new(20);
    let metrics = weekly_usage(&["CRM-0000"]);
    let file = book.file("usage.csv", &metrics);
    book.run(&["import", "metrics", &file]);
    book.run(&["log", "sentiment", "CRM-0000", "8"]);
    book.run(&["log", "touch", "CRM-0000", "call"]);
    let app = team_of(&book);
    let maya = app.team.as_ref().unwrap().lines.iter().find(|l| l.csm == "Maya Patel").unwrap().clone();
    assert_eq!((maya.accounts, maya.bands[4]), (5, 4), "{maya:?}");
    assert!(maya.average_is_of_few());
    let screen = text(&app, 120, 30);
    let line = screen.lines().find(|l| l.contains("Maya Patel")).unwrap();
    let avg = round(maya.average_score.unwrap());
    assert!(line.contains(&format!(" {avg}* ")), "{screen}");
    assert!(screen.contains("Avg*: of fewer than half the accounts (the rest have no score)"), "{screen}");
    // Without a score, no average and no mark.
    let ben = screen.lines().find(|l| l.contains("Ben Okafor")).unwrap();
    assert!(!ben.contains('*'), "{screen}");
}

/// The Team view's "unassigned" line can be opened as a book of its own: `V unassigned` lists
/// the accounts without a CSM in every view (a probe found 66 of them and no way to list them).
#[test]
fn v_unassigned_shows_the_accounts_without_a_csm() {
    let book = CrmBook::new(20);
    let mut app = team_of(&book);
    let without = app.portfolio.rows().iter().filter(|r| r.csm.is_empty()).count();
    assert!(without > 0);
    press(&mut app, KeyCode::Char('V'));
    typ(&mut app, "Unassigned");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.book_of.as_deref(), Some(""));
    press(&mut app, KeyCode::Char('2'));
    assert_eq!(app.portfolio.in_view(), without);
    assert!(app.portfolio.visible_rows().all(|r| r.csm.is_empty()));
    let screen = text(&app, 120, 30);
    assert!(screen.lines().last().unwrap().contains("the unassigned accounts (v: everyone)"), "{screen}");
    press(&mut app, KeyCode::Char('1'));
    let screen = text(&app, 120, 30);
    assert!(screen.contains("need attention today") || screen.contains("Nothing needs attention"), "{screen}");
    // A CSM's name that is no CSM's is still refused.
    press(&mut app, KeyCode::Char('V'));
    typ(&mut app, "Nobody Such");
    press(&mut app, KeyCode::Enter);
    assert!(text(&app, 120, 30).contains("no CSM is called \"Nobody Such\""), "{}", text(&app, 120, 30));
}

/// The churned accounts the status line says are hidden are those of the book shown: another
/// CSM's book said "1 churned hidden" of an account of yours, and `c` showed no row.
#[test]
fn the_churned_hidden_are_counted_on_the_book_shown() {
    let book = CrmBook::new(20);
    book.run(&["churn", "CRM-0001", "--reason", "budget", "--by", "Ben Okafor"]);
    let mut app = team_of(&book);
    let owner = app.portfolio.rows().iter().find(|r| r.name == "Company 1").unwrap().csm.to_string();
    let other = app.portfolio.rows().iter().find(|r| !r.csm.is_empty() && *r.csm != *owner).unwrap().csm.to_string();
    for (csm, said) in [(owner.as_str(), true), (other.as_str(), false)] {
        press(&mut app, KeyCode::Char('V'));
        typ(&mut app, csm);
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('2'));
        let status = text(&app, 120, 30).lines().last().unwrap().to_string();
        assert_eq!(status.contains("1 churned hidden"), said, "{csm}: {status}");
    }
}

/// One CSM's book shows no CSM column (their name on every row took the room of the accounts'
/// names at 80 columns); everyone's does.
#[test]
fn one_csms_portfolio_shows_no_csm_column() {
    let book = CrmBook::new(20);
    let mut app = team_of(&book);
    let header = |app: &App| text(app, 100, 30).lines().nth(1).unwrap_or_default().to_string();
    press(&mut app, KeyCode::Char('2'));
    assert!(header(&app).contains("CSM"), "{}", header(&app));
    press(&mut app, KeyCode::Char('V'));
    typ(&mut app, "Ben Okafor");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('2'));
    assert!(!header(&app).contains("CSM"), "{}", header(&app));
    assert!(text(&app, 100, 30).lines().last().unwrap().contains("Ben Okafor's book"));
    // Nor his renewals.
    press(&mut app, KeyCode::Char('4'));
    let screen = text(&app, 100, 30);
    let head = screen.lines().find(|l| l.contains("Account") && l.contains("ARR")).unwrap_or_default();
    assert!(!head.contains("CSM") && head.contains("Health"), "{screen}");
}

fn round(a: f64) -> u8 {
    tend::domain::scoring::round_score(a)
}

fn team_of(book: &CrmBook) -> App {
    let store = tend::store::Store::open(&book.path).unwrap();
    let mut app = App::new(store, Config::default(), today(), Theme::plain()).unwrap();
    press(&mut app, KeyCode::Char('5'));
    app
}

/// A CSM's name longer than its column ends in "…" at 60 columns, never cut as if whole.
#[test]
fn a_long_csm_name_is_cut_with_an_ellipsis() {
    let book = CrmBook::new(20);
    let more = book.dir.path().join("more.csv");
    std::fs::write(&more, "External ID,Account,CSM\nCRM-9000,Longname Co,Alexandra Konstantinopoulou-Vanderbilt\n")
        .unwrap();
    book.run(&["import", "accounts", more.to_str().unwrap()]);
    let app = team_of(&book);
    let narrow = text(&app, 60, 24);
    let line = narrow.lines().find(|l| l.starts_with("Alexandra")).unwrap_or_else(|| panic!("{narrow}"));
    assert!(line.starts_with("Alexandra Konstant") && line.contains('…'), "{line}");
    // Its one account has no ARR on record: no sum, not "$0".
    assert!(!line.contains("$0"), "{line}");
    let wide = text(&app, 160, 24);
    assert!(wide.contains("Alexandra Konstantinopoulou-Vanderbilt"), "{wide}");
}

/// `?` on Team says what its columns are ("Bands", "↓30d", "Touch" had nothing to say them).
#[test]
fn help_on_team_says_what_its_columns_are() {
    let (_dir, mut app) = triage_app();
    press(&mut app, KeyCode::Char('5'));
    press(&mut app, KeyCode::Char('?'));
    let screen = text(&app, 100, 70).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(screen.contains("↓30d = accounts whose score fell by triage.drop_points"), "{screen}");
    assert!(screen.contains("Touch = the share of their accounts touched"), "{screen}");
}

/// A one-on-one's head follows what is done from it: a hand-over from its line takes the account
/// out of the CSM's book line, and a sentiment logged from it is in the week's work, at once (a
/// probe's head said "36 accounts" and "1 touch" until the agenda was opened again).
#[test]
fn a_one_on_ones_head_follows_what_is_done_from_it() {
    let book = CrmBook::new(30);
    // Usage for every account: the sentiment logged below gives its account a score.
    let ids: Vec<String> = (0..30).map(|i| format!("CRM-{i:04}")).collect();
    let usage = book.file("usage.csv", &common::weekly_usage(&ids.iter().map(String::as_str).collect::<Vec<_>>()));
    book.run(&["import", "metrics", &usage]);
    let mut app = team_of(&book);
    press(&mut app, KeyCode::Enter);
    let team = app.team.as_ref().unwrap();
    let (csm, _) = team.agenda.clone().expect("an agenda open");
    assert!(!team.lines.iter().any(|l| l.unassigned && l.csm == csm), "the first line is a CSM's");
    let accounts = |app: &App| app.portfolio.rows().iter().filter(|r| *r.csm == *csm).count();
    let head = |app: &App| app.team.as_ref().unwrap().agenda_book.clone().unwrap();
    let before = accounts(&app);
    assert!(head(&app).starts_with(&format!("{before} accounts")), "{}", head(&app));
    let other = ["Maya Patel", "Ben Okafor", "Liam Chen"].into_iter().find(|c| *c != csm).unwrap();
    press(&mut app, KeyCode::Char('M'));
    assert!(app.form.is_some(), "the hand-over form opens on the agenda's line");
    typ(&mut app, other);
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.form.error.clone()));
    assert_eq!(accounts(&app), before - 1);
    assert!(head(&app).starts_with(&format!("{} account", before - 1)), "{}", head(&app));
    press(&mut app, KeyCode::Char('s'));
    typ(&mut app, "4");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.form.error.clone()));
    let done = app.team.as_ref().unwrap().agenda_done.clone().unwrap_or_default();
    assert!(done.contains("1 sentiment"), "{done}");
    // Its health line over the weeks too, as the report says it (a probe's lead read "G 0->12"
    // beside the report's 13 after a sentiment and a hand-over).
    let trend = app.team.as_ref().unwrap().agenda_trend.clone().expect("a health line");
    let report = book.run(&["report", "one-on-one", "--csm", &csm]);
    assert!(report.contains(&format!("Health: {trend}")), "{trend}\n{report}");
}

/// A CSM whose accounts were all handed over, who still owns a late task on another's account,
/// keeps a line on the Team view and in the team report (0 accounts, the late task): the task
/// was late on no line. One with nothing left to discuss has none.
#[test]
fn a_csm_without_accounts_but_with_late_tasks_keeps_a_line() {
    let book = CrmBook::new(24);
    let maya_account = "CRM-0000";
    book.run(&[
        "--as-of",
        "2026-11-02",
        "task",
        "add",
        maya_account,
        "Send the SSO plan",
        "--due",
        "2026-11-09",
        "--owner",
        "Ben Okafor",
    ]);
    let bens: Vec<String> = book
        .json(&["export", "accounts"])
        .into_iter()
        .filter(|a| a["csm"] == "Ben Okafor")
        .map(|a| a["external_id"].as_str().unwrap().to_string())
        .collect();
    assert!(!bens.is_empty());
    for id in &bens {
        book.run(&["assign", id, "Liam Chen"]);
    }
    let team = |book: &CrmBook| -> Vec<serde_json::Value> {
        let doc: serde_json::Value = serde_json::from_str(&book.run(&["report", "team", "--format", "json"])).unwrap();
        doc["rows"].as_array().unwrap().clone()
    };
    let lines = team(&book);
    let ben = lines.iter().find(|l| l["csm"] == "Ben Okafor").unwrap_or_else(|| panic!("Ben keeps a line: {lines:?}"));
    assert_eq!((ben["accounts"].as_i64(), ben["tasks_late"].as_i64()), (Some(0), Some(1)), "{ben}");
    // No ARR under management: "-" in the table, as the Team view says, not "$0".
    let table = book.run(&["report", "team"]);
    let line = table.lines().find(|l| l.contains("Ben Okafor")).unwrap_or_default().to_string();
    assert!(!line.contains("$0") && line.split_whitespace().nth(3) == Some("-"), "{line}");
    let app = App::new(tend::store::Store::open(&book.path).unwrap(), Config::default(), today(), Theme::plain());
    let mut app = app.unwrap();
    press(&mut app, KeyCode::Char('5'));
    let screen = text(&app, 80, 24);
    assert!(screen.lines().any(|l| l.contains("Ben Okafor")), "{screen}");
    // Enter on his line: his one-on-one walks the late task.
    for _ in 0..10 {
        if app.team.as_ref().and_then(|t| t.selected_csm()) == Some("Ben Okafor") {
            break;
        }
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    let screen = text(&app, 80, 24);
    assert!(screen.contains("Send the SSO plan"), "{screen}");
    drop(app);
    let agenda = book.run(&["report", "one-on-one", "--csm", "Ben Okafor"]);
    assert!(agenda.contains("1 task late: \"Send the SSO plan\" (due Mon 11-09)"), "{agenda}");
    // The task done, Ben has nothing left on the view.
    book.run(&["task", "done", "Send the SSO plan"]);
    assert!(team(&book).iter().all(|l| l["csm"] != "Ben Okafor"));
}
