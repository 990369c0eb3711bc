//! The Triage view: what tend opens on, its ranking, and handled / snoozed marks that persist.

mod common;

use chrono::Duration;
use common::{demo_store, press, text, today, triage_app, typ};
use ratatui::crossterm::event::KeyCode;
use tend::config::Config;
use tend::domain::triage::MarkState;
use tend::store::Store;
use tend::tui::App;
use tend::tui::app::Screen;
use tend::tui::theme::Theme;

fn reopen(path: &std::path::Path, day: chrono::NaiveDate) -> App {
    App::new(Store::open(path).unwrap(), Config::default(), day, Theme::plain()).unwrap()
}

#[test]
fn tend_opens_on_triage_ranked_by_need() {
    let (_dir, app) = triage_app();
    assert_eq!(app.screen, Screen::Triage);
    let items: Vec<_> = app.triage.shown().collect();
    assert!(items.len() >= 10, "the demo book has accounts needing attention");
    assert!(items.windows(2).all(|w| w[0].need >= w[1].need), "most need first");
    assert!(items.iter().all(|i| !i.reasons.is_empty()));
    // Churned accounts are never on the list.
    let churned: Vec<i64> = app
        .portfolio
        .rows()
        .iter()
        .filter(|r| r.status == tend::domain::AccountStatus::Churned)
        .map(|r| r.id)
        .collect();
    assert!(items.iter().all(|i| !churned.contains(&i.id)));
}

#[test]
fn snapshot_triage_80x24() {
    let (_dir, app) = triage_app();
    insta::assert_snapshot!(text(&app, 80, 24));
}

#[test]
fn snapshot_triage_120x40() {
    let (_dir, app) = triage_app();
    insta::assert_snapshot!(text(&app, 120, 40));
}

#[test]
fn handled_leaves_the_list_and_survives_a_restart_until_a_new_reason() {
    let (dir, store) = demo_store(tend::demo::DEFAULT_ACCOUNTS);
    let path = store.path().to_path_buf();
    let mut app = App::new(store, Config::default(), today(), Theme::plain()).unwrap();
    // An account without an open risk flag, so flagging one is a new reason.
    let pick = app.triage.shown().position(|i| !i.reason_keys().contains(&"risk".to_string())).unwrap();
    for _ in 0..pick {
        press(&mut app, KeyCode::Down);
    }
    let (item, name) = app.triage_selection().unwrap();
    let before = app.triage.open_count();
    press(&mut app, KeyCode::Char('h'));
    assert_eq!(app.triage.open_count(), before - 1);
    assert!(app.triage.shown().all(|i| i.id != item.id));
    assert!(app.message.as_deref().unwrap().contains("handled"), "{:?}", app.message);
    drop(app);

    let mut app = reopen(&path, today() + Duration::days(3));
    assert!(app.triage.shown().all(|i| i.id != item.id), "still handled after a restart");
    assert_eq!(app.triage.hidden_count(MarkState::Handled), 1);
    // H shows it; flagging a risk on it brings it back by itself.
    press(&mut app, KeyCode::Char('H'));
    let at = app.triage.shown().position(|i| i.id == item.id).unwrap();
    press(&mut app, KeyCode::Char('g'));
    for _ in 0..at {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Char('H'));
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('/'));
    typ(&mut app, &name);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.portfolio.selected_row().unwrap().id, item.id);
    press(&mut app, KeyCode::Char('f'));
    typ(&mut app, "Champion left");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.form.error.clone()));
    let back = app.triage.shown().find(|i| i.id == item.id).expect("a new reason brings it back");
    assert!(back.reason_keys().contains(&"risk".to_string()));
    assert!(back.mark.is_none(), "an item back with a new reason is not shown as handled");
    assert!(back.back.as_ref().is_some_and(|m| m.state == MarkState::Handled), "but as back through it");
    assert!(!text(&app, 120, 40).contains("[handled]"));
    press(&mut app, KeyCode::Char('1'));
    let screen = text(&app, 120, 40);
    assert!(screen.contains("[back] "), "the row says it came back: {screen}");
    drop(dir);
}

#[test]
fn snooze_hides_for_the_days_typed_and_persists() {
    let (dir, store) = demo_store(tend::demo::DEFAULT_ACCOUNTS);
    let path = store.path().to_path_buf();
    let mut app = App::new(store, Config::default(), today(), Theme::plain()).unwrap();
    let item = app.triage.selected_item().unwrap().clone();
    press(&mut app, KeyCode::Char('z'));
    assert!(app.form.is_some());
    press(&mut app, KeyCode::Backspace);
    typ(&mut app, "3");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none());
    assert!(app.triage.shown().all(|i| i.id != item.id));
    assert_eq!(app.triage.hidden_count(MarkState::Snoozed), 1);
    // Said as the day it comes back, not "until" (read as its last day hidden).
    let back = today() + Duration::days(3);
    assert!(
        app.message.as_deref().is_some_and(|m| m.contains(&format!("snoozed, back on {back}"))),
        "{:?}",
        app.message
    );
    drop(app);

    let app = reopen(&path, today() + Duration::days(2));
    assert!(app.triage.shown().all(|i| i.id != item.id), "still snoozed on day 2");
    drop(app);
    let app = reopen(&path, today() + Duration::days(3));
    let _ = app.triage.shown().find(|i| i.id == item.id).expect("back on the day the snooze ends");
    drop(dir);
}

/// A snooze that ends after the account's renewal says so: the account would be away on its day
/// (a probe snoozed an account renewing in 10 days for 30 without a word).
#[test]
fn a_snooze_past_the_renewal_says_so() {
    let (_dir, mut app) = triage_app();
    let at = app.triage.shown().position(|i| {
        app.portfolio.rows()[i.row].renewal_date.is_some_and(|r| r >= today() && r < today() + Duration::days(30))
    });
    let at = at.expect("an item renewing within 30 days");
    for _ in 0..at {
        press(&mut app, KeyCode::Down);
    }
    let item = app.triage.selected_item().unwrap().clone();
    let renewal = app.portfolio.rows()[item.row].renewal_date.unwrap();
    press(&mut app, KeyCode::Char('z'));
    typ(&mut app, "+5w");
    press(&mut app, KeyCode::Enter);
    let said = app.message.clone().unwrap_or_default();
    assert!(said.contains(&format!("after its renewal on {renewal}")), "{said}");
}

/// The snooze form takes the day it comes back as well as days ("next fri", "+2w"), and says
/// the day before Enter.
#[test]
fn a_snooze_takes_the_day_it_ends() {
    let (_dir, mut app) = triage_app();
    let item = app.triage.selected_item().unwrap().clone();
    press(&mut app, KeyCode::Char('z'));
    typ(&mut app, "+2w");
    let back = today() + Duration::days(14);
    let screen = text(&app, 80, 24);
    assert!(screen.contains(&format!("= back on {} (14 days)", back.format("%a %Y-%m-%d"))), "{screen}");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none());
    assert!(app.triage.shown().all(|i| i.id != item.id));
    assert!(
        app.message.as_deref().is_some_and(|m| m.contains(&format!("snoozed, back on {back}"))),
        "{:?}",
        app.message
    );
}

/// A snooze that would end on a weekend ends on the Monday after (both the default week and
/// "+2w" from a Sunday came back on a Sunday), as the form says before Enter.
#[test]
fn a_snooze_ending_on_a_weekend_ends_on_the_monday() {
    let (_dir, store) = demo_store(tend::demo::DEFAULT_ACCOUNTS);
    // The tests' today is a Monday: five days on is a Saturday.
    let mut app = App::new(store, Config::default(), today(), Theme::plain()).unwrap();
    press(&mut app, KeyCode::Char('z'));
    press(&mut app, KeyCode::Backspace);
    typ(&mut app, "5");
    let monday = today() + Duration::days(7);
    let screen = text(&app, 80, 24);
    let said = format!("= back on {} (7 days: past the weekend)", monday.format("%a %Y-%m-%d"));
    assert!(screen.contains(&said), "{screen}");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.message.as_deref().is_some_and(|m| m.contains(&format!("snoozed, back on {monday} (Mon)"))),
        "{:?}",
        app.message
    );
}

#[test]
fn a_snooze_of_zero_days_is_refused_in_the_form() {
    let (_dir, mut app) = triage_app();
    press(&mut app, KeyCode::Char('z'));
    press(&mut app, KeyCode::Backspace);
    typ(&mut app, "0");
    press(&mut app, KeyCode::Enter);
    let form = app.form.as_ref().expect("the form stays open");
    assert!(text(&app, 80, 24).contains("must be a day after today"), "{}", text(&app, 80, 24));
    assert!(form.form.error.is_some());
}

#[test]
fn tab_walks_the_views_and_esc_returns_from_an_account_to_triage() {
    let (_dir, mut app) = triage_app();
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.screen, Screen::Portfolio);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.screen, Screen::Grid);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.screen, Screen::Renewals);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.screen, Screen::Team);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.screen, Screen::Scoring);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.screen, Screen::Triage);
    press(&mut app, KeyCode::BackTab);
    assert_eq!(app.screen, Screen::Scoring);
    press(&mut app, KeyCode::Char('1'));
    let id = app.triage.selected_item().unwrap().id;
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Account);
    assert_eq!(app.account.as_ref().unwrap().detail.account.id, id);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.screen, Screen::Triage);
}

#[test]
fn logging_from_triage_applies_to_the_selected_item() {
    let (_dir, mut app) = triage_app();
    let (item, name) = app.triage_selection().unwrap();
    press(&mut app, KeyCode::Char('t'));
    let title = app.form.as_ref().unwrap().form.title.clone();
    assert!(title.contains(&name), "{title}");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none());
    assert!(app.message.as_deref().unwrap().contains(&name));
    // A touch today clears a "no touch" reason at once.
    if let Some(now) = app.triage.shown().find(|i| i.id == item.id) {
        assert!(!now.reason_keys().contains(&"touch".to_string()));
    }
}

/// A write that takes the selected item off the list says so, and which item the cursor is on
/// now: a key pressed at once acts on that one (a probe's `h` after a sentiment handled the item
/// that had moved up under the cursor).
#[test]
fn a_write_that_takes_the_item_off_the_list_says_where_the_cursor_is() {
    let (_dir, mut app) = triage_app();
    press(&mut app, KeyCode::Char('A'));
    let only_touch = app.triage.shown().position(|i| i.reason_keys() == ["touch".to_string()]);
    let at = only_touch.expect("the demo book has an item whose one reason is a missed touch");
    for _ in 0..at {
        press(&mut app, KeyCode::Down);
    }
    let (item, name) = app.triage_selection().unwrap();
    press(&mut app, KeyCode::Char('t'));
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none());
    assert!(app.triage.shown().all(|i| i.id != item.id), "a touch today clears its one reason");
    let (_, next) = app.triage_selection().unwrap();
    let said = app.message.clone().unwrap_or_default();
    assert!(said.starts_with(&format!("{name} is off the list now; the cursor is on {next}. ")), "{said}");
    // A write that leaves the item listed says nothing of the cursor.
    press(&mut app, KeyCode::Char('g'));
    press(&mut app, KeyCode::Char('s'));
    typ(&mut app, "5");
    press(&mut app, KeyCode::Enter);
    let said = app.message.clone().unwrap_or_default();
    assert!(!said.contains("off the list"), "{said}");
}

#[test]
fn a_mornings_worth_is_listed_and_a_lists_them_all() {
    let (_dir, mut app) = triage_app();
    let limit = Config::default().triage.daily_limit;
    let open = app.triage.open_count();
    assert!(open > limit, "the demo book has more than a morning's worth: {open}");
    assert_eq!(app.triage.len(), limit);
    let screen = text(&app, 80, 24);
    assert!(screen.contains(&format!("{} more below the first {limit} · A lists them all", open - limit)), "{screen}");
    assert!(screen.contains(&format!("{limit} of {open} listed")), "{screen}");
    press(&mut app, KeyCode::Char('G'));
    let last = app.triage.selected_item().unwrap().id;
    press(&mut app, KeyCode::Char('A'));
    assert_eq!(app.triage.len(), open);
    assert_eq!(app.triage.selected_item().unwrap().id, last, "the selection stays on its account");
    // Not all of them fit: how many are in view, and the way to the rest.
    let screen = text(&app, 80, 24);
    assert!(
        screen.contains(&format!("All {open} listed, ")) && screen.contains(" in view (↓) · A shows the first"),
        "{screen}"
    );
    assert!(text(&app, 80, 200).contains(&format!("All {open} listed · A shows the first {limit}")));
    // With a mark shown (`H`), it is counted apart, never as a row more in view than listed.
    press(&mut app, KeyCode::Char('h'));
    press(&mut app, KeyCode::Char('H'));
    let screen = text(&app, 80, 24);
    assert!(screen.contains(&format!("All {} listed + 1 marked, ", open - 1)), "{screen}");
    press(&mut app, KeyCode::Char('H'));
    press(&mut app, KeyCode::Char('A'));
    assert_eq!(app.triage.len(), limit);
}

#[test]
fn h_in_the_account_view_never_marks_anything_and_u_takes_a_mark_back() {
    let (_dir, mut app) = triage_app();
    let first = app.triage.selected_item().unwrap().clone();
    let open = app.triage.open_count();
    // Enter, h, h: once a way back then a mark, now nothing at all.
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Account);
    press(&mut app, KeyCode::Char('h'));
    press(&mut app, KeyCode::Char('h'));
    assert_eq!(app.screen, Screen::Account);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.screen, Screen::Triage);
    assert_eq!(app.triage.open_count(), open, "nothing was marked");

    press(&mut app, KeyCode::Char('h'));
    assert_eq!(app.triage.open_count(), open - 1);
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.triage.open_count(), open, "{:?}", app.message);
    assert!(app.message.as_deref().unwrap().contains("back on today's list"), "{:?}", app.message);
    assert!(app.triage.shown().any(|i| i.id == first.id));
    // An item below the first, marked and taken back, has the cursor again.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    let third = app.triage.selected_item().unwrap().id;
    press(&mut app, KeyCode::Char('h'));
    assert_ne!(app.triage.selected_item().unwrap().id, third);
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.triage.selected_item().unwrap().id, third, "{:?}", app.message);

    // A write after a mark is undone first, then the mark.
    press(&mut app, KeyCode::Char('g'));
    let marked = app.triage.selected_item().unwrap().id;
    press(&mut app, KeyCode::Char('h'));
    let next = app.triage.selected_item().unwrap().id;
    press(&mut app, KeyCode::Char('s'));
    typ(&mut app, "7");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none());
    press(&mut app, KeyCode::Char('u'));
    assert!(app.message.as_deref().unwrap().starts_with("Undone: "), "{:?}", app.message);
    assert!(app.triage.shown().all(|i| i.id != marked), "the mark still holds after the first u");
    press(&mut app, KeyCode::Char('u'));
    assert!(app.triage.shown().any(|i| i.id == marked), "{:?}", app.message);
    assert_ne!(marked, next);
    press(&mut app, KeyCode::Char('u'));
    assert!(app.message.as_deref().unwrap().contains("Nothing to undo"), "{:?}", app.message);
}

#[test]
fn slash_filters_triage_and_renewals_and_never_runs_the_typed_letters() {
    let (_dir, mut app) = triage_app();
    let open = app.triage.open_count();
    let top = app.triage.selected_item().unwrap().id;
    // "/hollow" once marked the top item handled (h) and opened another account (l); "u" of
    // "bluebird" would undo.
    press(&mut app, KeyCode::Char('/'));
    typ(&mut app, "bluebird");
    assert_eq!(app.screen, Screen::Triage);
    assert!(text(&app, 80, 24).contains("matches") || text(&app, 80, 24).contains("1 match"));
    assert!(app.form.is_none());
    assert_eq!(app.triage.open_count(), open, "nothing was marked");
    let rows = app.portfolio.rows();
    let names: Vec<&str> = app.triage.shown().map(|i| rows[i.row].name.as_str()).collect();
    assert!(!names.is_empty() && names.iter().all(|n| n.to_lowercase().contains("bluebird")), "{names:?}");
    let screen = text(&app, 80, 24);
    assert!(screen.contains("Filter: bluebird"), "{screen}");
    press(&mut app, KeyCode::Enter);
    // Kept: keys act again, on the matching item.
    let bluebird = app.triage.selected_item().unwrap().id;
    assert_ne!(bluebird, top);
    press(&mut app, KeyCode::Esc);
    assert!(app.triage.filter.query().is_empty());
    assert_eq!(app.triage.len(), Config::default().triage.daily_limit);
    // Words contained, not a fuzzy subsequence: "red" is not in "Grove Outdoors".
    press(&mut app, KeyCode::Char('/'));
    typ(&mut app, "red");
    let rows = app.portfolio.rows();
    for i in app.triage.shown() {
        let r = &rows[i.row];
        let fields = format!("{} {} {}", r.name, r.csm, r.segment).to_lowercase();
        assert!(fields.contains("red"), "{fields}");
    }
    press(&mut app, KeyCode::Esc);
    // The filter finds items past the morning's limit too.
    let last = app.triage.open_count();
    assert!(last > app.triage.len());

    press(&mut app, KeyCode::Char('4'));
    let due = app.renewals.as_ref().unwrap().len();
    assert!(due > 1);
    let first = app.renewals.as_ref().unwrap().selected_row().unwrap();
    let name = app.portfolio.rows()[first].name.clone();
    let sums = |app: &tend::tui::App| {
        text(app, 120, 40).lines().find(|l| l.contains(" due · ")).unwrap_or_default().trim().to_string()
    };
    let all_sums = sums(&app);
    let all_count = all_sums.split(' ').next().unwrap().to_string();
    press(&mut app, KeyCode::Char('/'));
    typ(&mut app, &name);
    assert!(app.form.is_none(), "typing a name never opens a form");
    let renewals = app.renewals.as_ref().unwrap();
    assert!(!renewals.is_empty() && renewals.len() < due, "{} of {due}", renewals.len());
    // The sums are the listed renewals' (they read as the whole window's).
    let row = &app.portfolio.rows()[renewals.selected_row().unwrap()];
    let listed = sums(&app);
    assert!(listed.starts_with(&format!("1 of {all_count} due · {} ARR", row.arr.full(&row.currency))), "{listed}");
    assert_eq!(app.portfolio.rows()[renewals.selected_row().unwrap()].name, name);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.renewals.as_ref().unwrap().len(), due);
}

/// Where the head line is narrow, the marks are counted without the key that shows them, rather
/// than cut mid-word; where it is wide, with it.
#[test]
fn the_head_line_counts_the_marks_whole_at_any_width() {
    let (_dir, mut app) = triage_app();
    press(&mut app, KeyCode::Char('h'));
    let head = |width: u16| text(&app, width, 24).lines().nth(1).unwrap().to_string();
    // Only the counts there are: no "0 snoozed" in the room of the keys' hints.
    assert!(head(120).contains("· 1 handled (H shows) · h handled · z snooze"), "{}", head(120));
    assert!(head(80).contains("· 1 handled (H shows) · h handled · z snooze"), "{}", head(80));
    let narrow = head(60);
    assert!(narrow.contains("· 1 handled") && !narrow.contains("snoozed") && !narrow.contains('…'), "{narrow}");
}

/// A lead's mark on a CSM's account says who made it, to the CSM and to anyone else but the lead;
/// on an imported CRM book.
#[test]
fn a_mark_says_who_made_it_to_everyone_but_its_maker() {
    let book = common::CrmBook::new(120);
    let open_as = |me: &str| {
        let config = Config { me: me.into(), ..Config::default() };
        App::new(Store::open(&book.path).unwrap(), config, today(), Theme::plain()).unwrap()
    };
    let select = |app: &mut App, id: i64| {
        press(app, KeyCode::Char('g'));
        while app.triage.selected_item().unwrap().id != id {
            press(app, KeyCode::Down);
        }
    };
    // Liam, on everyone's book, marks an item of Ben's handled.
    let mut app = open_as("Liam Chen");
    press(&mut app, KeyCode::Char('v'));
    // Everyone's list, shown to someone with a book of their own: not all of it needs him.
    let screen = text(&app, 120, 40);
    assert!(screen.contains("accounts need attention today") && !screen.contains("need you"), "{screen}");
    let rows = app.portfolio.rows().to_vec();
    let item = app.triage.shown().find(|i| rows[i.row].csm.as_ref() == "Ben Okafor").expect("an item of Ben's").clone();
    select(&mut app, item.id);
    press(&mut app, KeyCode::Char('h'));
    assert!(app.triage.shown().all(|i| i.id != item.id), "{:?}", app.message);
    drop(app);

    // Ben sees whose decision hid it, in the list and in the line under it.
    let mut app = open_as("Ben Okafor");
    press(&mut app, KeyCode::Char('H'));
    select(&mut app, item.id);
    let screen = text(&app, 120, 40);
    // The row says it short (first name), leaving the reasons room at 80 columns.
    assert!(screen.contains("[handled · Liam]"), "{screen}");
    // The status line counts open items against open items, the marked one apart.
    let open = app.triage.open_count();
    assert!(screen.contains(&format!(" {open} listed + 1 marked ·")), "{screen}");
    assert!(screen.contains(&format!("handled by Liam Chen on {} · ", today())), "{screen}");
    drop(app);

    // Liam's own mark is not signed to him.
    let mut app = open_as("Liam Chen");
    // (The book picker writes nothing: Enter shows.)
    press(&mut app, KeyCode::Char('V'));
    let picker = text(&app, 120, 40);
    assert!(picker.contains("Enter show · Esc cancel") && !picker.contains("Enter save"), "{picker}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Char('H'));
    select(&mut app, item.id);
    let screen = text(&app, 120, 40);
    assert!(screen.contains("[handled]") && !screen.contains("by Liam Chen"), "{screen}");
    drop(app);

    // A mark made where no `me` was set has no author: it does not read as the reader's own.
    let mut app = open_as("");
    let other = app.triage.shown().find(|i| i.id != item.id).expect("another item").clone();
    select(&mut app, other.id);
    press(&mut app, KeyCode::Char('h'));
    drop(app);
    let mut app = open_as("Ben Okafor");
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Char('H'));
    select(&mut app, other.id);
    let screen = text(&app, 120, 40);
    assert!(screen.contains("[handled · unsigned]"), "{screen}");
    assert!(screen.contains(&format!("handled (unsigned) on {} · ", today())), "{screen}");
}
