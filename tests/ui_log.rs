//! Logging from the keyboard: forms, validation as you type, cancel, undo, the Account tabs.

mod common;

use common::*;
use ratatui::crossterm::event::KeyCode;
use tend::domain::journey::MilestoneState;
use tend::tui::App;
use tend::tui::app::Screen;
use tend::tui::views::account::AccountTab;

fn entry_count(app: &App, id: i64) -> usize {
    app.store.entries_for(id).unwrap().len()
}

fn selected_id(app: &App) -> i64 {
    app.portfolio.selected_row().unwrap().id
}

/// The app on the Portfolio of a book of `n` accounts imported from a CRM-shaped file.
fn portfolio_of_imported(n: usize) -> (tempfile::TempDir, App) {
    let (dir, path) = imported_crm(n);
    let store = tend::store::Store::open(&path).unwrap();
    let mut app = App::new(store, tend::config::Config::default(), today(), tend::tui::theme::Theme::plain()).unwrap();
    press(&mut app, KeyCode::Char('2'));
    (dir, app)
}

/// Open the first account (in Portfolio order) that has goals and milestones.
fn open_rich_account(app: &mut App) {
    let pos = app
        .portfolio
        .visible_rows()
        .position(|r| {
            !app.store.goals_for(r.id).unwrap().is_empty() && app.store.milestones_for(r.id).unwrap().len() >= 2
        })
        .expect("the demo has accounts with goals and milestones");
    for _ in 0..pos {
        press(app, KeyCode::Down);
    }
    press(app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Account);
}

#[test]
fn sentiment_takes_two_keys_and_enter_and_updates_at_once() {
    let (_dir, mut app) = demo_app();
    let id = selected_id(&app);
    let before = entry_count(&app, id);
    press(&mut app, KeyCode::Char('s'));
    assert!(app.form.is_some());
    press(&mut app, KeyCode::Char('9'));
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "saved and closed");
    assert_eq!(entry_count(&app, id), before + 1);
    let message = app.message.clone().unwrap();
    assert!(message.contains("->") && message.contains("sentiment 9/10 logged"), "{message}");
    // The portfolio row shows the new score straight away.
    let row = app.portfolio.visible_rows().find(|r| r.id == id).unwrap();
    let detail = tend::book::account_detail(&app.store, &app.config, id, today()).unwrap();
    assert_eq!(row.score, detail.health.score);
    assert!(text(&app, 80, 24).contains(&message[..40.min(message.len())]));
}

#[test]
fn ten_is_three_keys_and_enter() {
    let (_dir, mut app) = demo_app();
    let id = selected_id(&app);
    let before = entry_count(&app, id);
    press(&mut app, KeyCode::Char('s'));
    typ(&mut app, "10");
    press(&mut app, KeyCode::Enter);
    assert_eq!(entry_count(&app, id), before + 1);
    assert_eq!(app.store.entries_for(id).unwrap()[0].score, Some(10));
}

#[test]
fn out_of_range_is_shown_inline_and_nothing_is_saved() {
    let (_dir, mut app) = demo_app();
    let id = selected_id(&app);
    let before = entry_count(&app, id);
    press(&mut app, KeyCode::Char('s'));
    typ(&mut app, "11");
    let screen = text(&app, 80, 24);
    assert!(screen.contains("11 is out of range 1-10"), "{screen}");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_some(), "an invalid form stays open");
    assert_eq!(entry_count(&app, id), before);
    insta::assert_snapshot!("sentiment_form_invalid", text(&app, 80, 24));
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Enter);
    assert_eq!(entry_count(&app, id), before + 1);
}

#[test]
fn esc_cancels_every_form_and_changes_nothing() {
    let (_dir, mut app) = demo_app();
    let id = selected_id(&app);
    let entries = entry_count(&app, id);
    let goals = app.store.goals_for(id).unwrap().len();
    let milestones = app.store.milestones_for(id).unwrap().len();
    for key in ['s', 't', 'n', 'b', 'f', 'a', 'm'] {
        press(&mut app, KeyCode::Char(key));
        assert!(app.form.is_some(), "{key} opens a form");
        typ(&mut app, "7");
        press(&mut app, KeyCode::Esc);
        // Words typed into a note, a reason or a goal are asked about first; a second Esc goes.
        if let Some(open) = &app.form {
            assert!(open.form.error.as_deref().unwrap_or("").contains("Esc again discards"), "{key}");
            press(&mut app, KeyCode::Esc);
        }
        assert!(app.form.is_none());
    }
    assert_eq!(entry_count(&app, id), entries);
    assert_eq!(app.store.goals_for(id).unwrap().len(), goals);
    assert_eq!(app.store.milestones_for(id).unwrap().len(), milestones);
    assert!(app.store.last_undoable(&app.session).unwrap().is_empty());
}

#[test]
fn a_future_date_is_refused_by_the_form() {
    let (_dir, mut app) = demo_app();
    let id = selected_id(&app);
    let before = entry_count(&app, id);
    press(&mut app, KeyCode::Char('t'));
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    for _ in 0..10 {
        press(&mut app, KeyCode::Backspace);
    }
    typ(&mut app, "2030-01-01");
    press(&mut app, KeyCode::Enter);
    let form = &app.form.as_ref().unwrap().form;
    assert!(form.error.as_deref().unwrap().contains("in the future"), "{:?}", form.error);
    assert_eq!(entry_count(&app, id), before);
}

#[test]
fn undo_takes_back_the_last_change() {
    let (_dir, mut app) = demo_app();
    let id = selected_id(&app);
    let score = app.portfolio.selected_row().unwrap().score;
    let before = entry_count(&app, id);
    press(&mut app, KeyCode::Char('s'));
    typ(&mut app, "1");
    press(&mut app, KeyCode::Enter);
    assert_eq!(entry_count(&app, id), before + 1);
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(entry_count(&app, id), before);
    assert!(app.message.as_deref().unwrap().starts_with("Undone:"));
    assert_eq!(app.portfolio.visible_rows().find(|r| r.id == id).unwrap().score, score);
    press(&mut app, KeyCode::Char('u'));
    assert!(
        app.message.as_deref().is_some_and(|m| m.starts_with("Nothing to undo in this session (`tend undo --list`")),
        "{:?}",
        app.message
    );
}

#[test]
fn edit_and_delete_from_the_timeline_then_undo() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Enter);
    let id = app.account.as_ref().unwrap().detail.account.id;
    press(&mut app, KeyCode::Char('s'));
    typ(&mut app, "5");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.account.as_ref().unwrap().tab, AccountTab::Timeline);
    // The newest line is the sentiment just logged; edit it to 8.
    press(&mut app, KeyCode::Char('e'));
    let form = &app.form.as_ref().expect("edit opens the form").form;
    assert_eq!(form.text("score"), "5");
    press(&mut app, KeyCode::Backspace);
    typ(&mut app, "8");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.store.entries_for(id).unwrap()[0].score, Some(8));
    let entries = entry_count(&app, id);
    press(&mut app, KeyCode::Char('d'));
    assert_eq!(entry_count(&app, id), entries - 1);
    assert!(
        app.message.as_deref().unwrap().contains("sentiment 8/10 of ")
            && app.message.as_deref().unwrap().contains(" deleted")
            && app.message.as_deref().unwrap().contains("u brings it back"),
        "{:?}",
        app.message
    );
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(entry_count(&app, id), entries);
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.store.entries_for(id).unwrap()[0].score, Some(5));
}

#[test]
fn a_milestone_is_marked_done_from_the_journey_tab() {
    let (_dir, mut app) = demo_app();
    open_rich_account(&mut app);
    for _ in 0..3 {
        press(&mut app, KeyCode::Char(']')); // Health -> Journey
    }
    let view = app.account.as_ref().unwrap();
    assert_eq!(view.tab, AccountTab::Journey);
    let pos = view.detail.milestones.iter().position(|m| m.done.is_none()).expect("the account has an open milestone");
    for _ in 0..pos {
        press(&mut app, KeyCode::Down);
    }
    let milestone_id = app.account.as_ref().unwrap().detail.milestones[pos].id;
    press(&mut app, KeyCode::Char('x'));
    let m = app.store.milestone(milestone_id).unwrap().unwrap();
    assert_eq!(m.done, Some(today()));
    assert_eq!(m.state_on(today()), MilestoneState::Done);
    // x again on it is refused with its day: a done day is never moved by a stray key.
    let pos = app.account.as_ref().unwrap().detail.milestones.iter().position(|m| m.id == milestone_id).unwrap();
    press(&mut app, KeyCode::Home);
    for _ in 0..pos {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Char('x'));
    assert!(app.message.as_deref().is_some_and(|m| m.contains("already done on")), "{:?}", app.message);
}

#[test]
fn goal_form_saves_a_goal_in_the_customers_words() {
    let (_dir, mut app) = demo_app();
    let id = selected_id(&app);
    let goals = app.store.goals_for(id).unwrap().len();
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Enter);
    assert!(app.form.as_ref().unwrap().form.error.as_deref().unwrap().contains("required"));
    typ(&mut app, "Launch in Spain by March");
    press(&mut app, KeyCode::Enter);
    let saved = app.store.goals_for(id).unwrap();
    assert_eq!(saved.len(), goals + 1);
    assert!(saved.iter().any(|g| g.words == "Launch in Spain by March"));
}

fn form_snapshot(key: char) -> String {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char(key));
    text(&app, 80, 24)
}

#[test]
fn snapshot_forms_80x24() {
    for (key, name) in [
        ('s', "form_sentiment"),
        ('t', "form_touch"),
        ('n', "form_nps"),
        ('b', "form_bug"),
        ('f', "form_risk"),
        ('a', "form_goal"),
        ('m', "form_milestone"),
    ] {
        insta::assert_snapshot!(name, form_snapshot(key));
    }
}

#[test]
fn snapshot_account_tabs() {
    let (_dir, mut app) = demo_app();
    open_rich_account(&mut app);
    for (name, size) in [("timeline", (80, 24)), ("goals", (80, 24)), ("journey", (80, 24))] {
        press(&mut app, KeyCode::Tab);
        insta::assert_snapshot!(format!("account_{name}_80x24"), text(&app, size.0, size.1));
        // A goal's day is said before its words, which 60 columns cut (a probe's "by 2027-03-3…").
        if name == "goals" {
            let narrow = text(&app, 60, 24);
            assert!(narrow.contains("by 2027-01-30  \"Onboard"), "{narrow}");
        }
    }
    press(&mut app, KeyCode::Tab); // back to Health
    for name in ["timeline", "goals", "journey"] {
        press(&mut app, KeyCode::Tab);
        insta::assert_snapshot!(format!("account_{name}_120x40"), text(&app, 120, 40));
    }
}

#[test]
fn a_long_confirmation_wraps_instead_of_being_cut() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('s'));
    typ(&mut app, "9");
    press(&mut app, KeyCode::Enter);
    let message = app.message.clone().unwrap();
    assert!(message.chars().count() > 80, "{message}");
    let screen = text(&app, 80, 24);
    let last_word = message.split_whitespace().last().unwrap();
    let start: String = message.chars().take(40).collect();
    assert!(screen.contains(&start), "{screen}");
    assert!(
        screen.lines().any(|l| l.trim_end().ends_with(last_word)),
        "the end of the message is on screen:\n{screen}"
    );
}

/// Writing keys act only on an account the screen shows: on the Grid, Team and Scoring views no
/// form opens (it once opened for the Portfolio's hidden selection) and the status says where to
/// go; on the Portfolio the form names the selected row.
#[test]
fn writing_keys_never_act_on_an_account_off_screen() {
    let (_dir, mut app) = demo_app();
    for view in ['3', '5', '6'] {
        for key in ['s', 't', 'n', 'b', 'f', 'a', 'm', 'R', 'C', 'B', 'M'] {
            press(&mut app, KeyCode::Char(view));
            let before = app.screen;
            press(&mut app, KeyCode::Char(key));
            assert!(app.form.is_none(), "view {view}, key {key}: a form opened");
            assert_eq!(app.screen, before, "view {view}, key {key}");
            let shown = text(&app, 120, 40);
            assert!(shown.contains("No account here: pick one on 1 Triage"), "view {view}, key {key}:\n{shown}");
        }
    }
    press(&mut app, KeyCode::Char('2'));
    let name = app.portfolio.selected_row().unwrap().name.clone();
    press(&mut app, KeyCode::Char('s'));
    assert!(app.form.is_some());
    assert!(text(&app, 120, 40).contains(&name), "the form names the selected row");
}

#[test]
fn the_one_on_one_agenda_is_a_list_to_open_and_log_on() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('5'));
    press(&mut app, KeyCode::Enter);
    let items = app.team.as_ref().unwrap().agenda.clone().expect("the agenda is open").1;
    assert!(items.len() >= 2, "{}", items.len());
    press(&mut app, KeyCode::Down);
    let second = items[1].clone();
    assert_eq!(app.team.as_ref().unwrap().selected_agenda_item().unwrap().account_id, second.account_id);
    // A logging key writes to the selected line's account, named in the form's title.
    press(&mut app, KeyCode::Char('s'));
    let open = app.form.as_ref().expect("the sentiment form opens on the agenda line");
    assert!(open.form.title.contains(&second.account), "{}", open.form.title);
    typ(&mut app, "6");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none());
    let before = app.store.entries_for(second.account_id).unwrap();
    assert_eq!(before[0].score, Some(6), "logged on the line's account");
    // Enter opens the account; Esc comes back to the agenda, still on the same line.
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Account);
    assert_eq!(app.account.as_ref().unwrap().detail.account.id, second.account_id);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.screen, Screen::Team);
    assert_eq!(app.team.as_ref().unwrap().selected_agenda_item().unwrap().account_id, second.account_id);
}

#[test]
fn edit_delete_and_done_on_the_health_tab_say_where_to_go() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.account.as_ref().unwrap().tab, AccountTab::Health);
    for (key, says) in [('e', "e edits"), ('d', "d deletes"), ('x', "x marks")] {
        press(&mut app, KeyCode::Char(key));
        assert!(app.form.is_none());
        let message = app.message.clone().unwrap_or_default();
        assert!(message.starts_with(says) && message.contains("Tab to the"), "{key}: {message:?}");
    }
}

/// A long note is cut on its timeline line; Enter shows it whole, `e` from there edits it, Esc
/// closes without a change.
/// A call logged today on account `id`, with `note`, as the book's own code logs it.
fn log_touch_note(app: &mut App, id: i64, note: &str) {
    let mut input = tend::domain::input::EntryInput::new(tend::domain::entry::EntryKind::Touch, today());
    input.channel = Some(tend::domain::entry::TouchChannel::Call);
    input.note = note.to_string();
    let mut ctx =
        tend::book::log::Ctx { store: &mut app.store, config: &app.config, session: "t", today: today(), by: None };
    tend::book::log::log_entry(&mut ctx, id, &input).unwrap();
}

#[test]
fn enter_shows_a_long_note_whole() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('2'));
    let id = selected_id(&app);
    let note = "Called the VP of operations about the renewal: budget moves to the platform team in \
                January, procurement wants a three-year term, and the champion asked for a security \
                review before the end of the quarter, with the SOC 2 report and the pen test summary";
    log_touch_note(&mut app, id, note);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Account);
    press(&mut app, KeyCode::Enter);
    assert!(app.viewer.is_none(), "the Health tab has no line to show");
    assert!(app.message.as_deref().is_some_and(|m| m.contains("Tab to the timeline")));
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.account.as_ref().unwrap().tab, AccountTab::Timeline);
    let line = text(&app, 80, 24);
    assert!(!line.contains("pen test summary"), "the line is cut at 80 columns");
    press(&mut app, KeyCode::Enter);
    assert!(app.viewer.is_some());
    let whole = text(&app, 80, 24);
    assert!(whole.contains("pen test summary") && whole.contains("touch"), "{whole}");
    press(&mut app, KeyCode::Esc);
    assert!(app.viewer.is_none() && app.screen == Screen::Account, "Esc closes the viewer only");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('e'));
    assert!(app.viewer.is_none());
    let form = app.form.as_ref().expect("e edits the entry shown");
    assert_eq!(form.form.text("note"), note);
}

/// A note written on several lines keeps its line breaks: saved unchanged through the edit
/// form, shown whole with them, and Alt-Enter adds one while typing.
#[test]
fn a_note_on_several_lines_keeps_its_breaks() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('2'));
    let id = selected_id(&app);
    let note = "Line one.\r\nLine two\n\n- bullet a\n\t- bullet b";
    log_touch_note(&mut app, id, note);
    let stored =
        |app: &App| app.store.entries_for(id).unwrap().into_iter().find(|e| e.note.starts_with("Line one")).unwrap();
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab);
    assert!(text(&app, 100, 24).contains("Line one. ⏎ Line two"), "breaks shown on the one line");
    press(&mut app, KeyCode::Enter);
    let whole = text(&app, 100, 24);
    assert!(whole.lines().any(|l| l.contains("- bullet a") && !l.contains("bullet b")), "{whole}");
    press(&mut app, KeyCode::Esc);
    // Edit and save unchanged: the note is as it was.
    press(&mut app, KeyCode::Char('e'));
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none());
    assert_eq!(app.message.as_deref(), Some("Nothing changed."));
    assert_eq!(stored(&app).note, note, "tabs and line ends as they were");
    // Alt-Enter in the note adds a line break.
    press(&mut app, KeyCode::Char('e'));
    let form = &mut app.form.as_mut().unwrap().form;
    form.focus = form.fields.iter().position(|f| f.key == "note").expect("a touch has a note");
    form.handle_key(ratatui::crossterm::event::KeyEvent::from(KeyCode::End));
    form.handle_key(ratatui::crossterm::event::KeyEvent::new(
        KeyCode::Enter,
        ratatui::crossterm::event::KeyModifiers::ALT,
    ));
    for c in "- bullet c".chars() {
        form.handle_key(ratatui::crossterm::event::KeyEvent::from(KeyCode::Char(c)));
    }
    press(&mut app, KeyCode::Enter);
    // Edited, the note is written as the form shows it: line ends as \n, a tab as a space.
    assert_eq!(stored(&app).note, "Line one.\nLine two\n\n- bullet a\n - bullet b\n- bullet c");
}

/// A book open read-only refuses a log form before it is filled in, saying why.
#[test]
fn a_read_only_book_refuses_a_form_at_once() {
    let (_dir, app) = triage_app();
    let path = app.store.path().to_path_buf();
    drop(app);
    let store = tend::store::Store::open_to_read(&path).unwrap();
    let mut app = App::new(store, tend::config::Config::default(), today(), tend::tui::theme::Theme::plain()).unwrap();
    press(&mut app, KeyCode::Char('s'));
    assert!(app.form.is_none(), "no form to fill in");
    assert!(app.message.as_deref().is_some_and(|m| m.contains("read-only")), "{:?}", app.message);
}

/// Every status of a goal is in sight at 60 columns: "dropped" was hidden behind a › there.
#[test]
fn goal_form_shows_every_status_at_60_columns() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('a'));
    for width in [80, 60] {
        let screen = text(&app, width, 24);
        // In words, as the command line says them.
        let line = screen.lines().find(|l| l.contains("on track")).unwrap_or_else(|| panic!("{screen}"));
        for status in ["on track", "at risk", "off track", "achieved", "dropped"] {
            assert!(line.contains(status), "{width}: {line}");
        }
        // Each option told from the next, not "on track at risk off track" run together.
        assert!(line.contains("on track  at risk") || line.contains("on track/at risk"), "{width}: {line}");
        assert!(!line.contains('›'), "{width}: {line}");
    }
}

/// `/` over a kept filter starts a new one at the first letter (a probe's "harbor", kept, then
/// "/iris ana" read "harboriris ana", 0 matches); an arrow first edits the kept one.
#[test]
fn slash_over_a_kept_filter_types_a_new_one() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('/'));
    typ(&mut app, "zz");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.portfolio.filter.query(), "zz");
    press(&mut app, KeyCode::Char('/'));
    assert!(text(&app, 80, 24).contains("typing replaces it"), "{}", text(&app, 80, 24));
    typ(&mut app, "in");
    assert_eq!(app.portfolio.filter.query(), "in");
    press(&mut app, KeyCode::Enter);
    // An arrow, then letters: the kept query edited, not replaced.
    press(&mut app, KeyCode::Char('/'));
    press(&mut app, KeyCode::Right);
    typ(&mut app, "d");
    assert_eq!(app.portfolio.filter.query(), "ind");
}

/// `M` hands the selected account to another CSM, as `tend assign` does, on an imported CRM book:
/// the form names whose it is; a name the book lacks is refused in the form's words until "New to
/// the book" says yes; `u` hands it back.
#[test]
fn m_hands_the_account_to_another_csm_and_u_hands_it_back() {
    let (_dir, db) = imported_crm(30);
    let store = tend::store::Store::open(&db).unwrap();
    let mut app =
        App::new(store, tend::config::Config::default(), today(), tend::tui::theme::Theme { color: false }).unwrap();
    press(&mut app, KeyCode::Char('2'));
    let row = app.portfolio.selected_row().unwrap().clone();
    let other = ["Maya Patel", "Ben Okafor", "Liam Chen"].into_iter().find(|c| *c != &*row.csm).unwrap();
    press(&mut app, KeyCode::Char('M'));
    let form = text(&app, 80, 24);
    let from = if row.csm.is_empty() { "no CSM".to_string() } else { row.csm.to_string() };
    assert!(form.contains(&format!("Move {} from {from} to", row.name)), "{form}");
    // Someone the book does not have: refused, in the form's words.
    typ(&mut app, "Zed Newcomer");
    press(&mut app, KeyCode::Enter);
    let error = app.form.as_ref().and_then(|f| f.form.error.clone()).expect("refused");
    assert!(error.contains("New CSM: yes hands it to someone new to the book"), "{error}");
    assert_eq!(app.portfolio.rows().iter().find(|r| r.id == row.id).unwrap().csm, row.csm, "nothing changed");
    press(&mut app, KeyCode::Esc);
    // A CSM of the book, by the start of their first name.
    press(&mut app, KeyCode::Char('M'));
    typ(&mut app, &other[..3].to_lowercase());
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.form.error.clone()));
    assert_eq!(&*app.portfolio.rows().iter().find(|r| r.id == row.id).unwrap().csm, other);
    assert!(text(&app, 80, 24).contains(&format!("to {other}")), "the status says it");
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.portfolio.rows().iter().find(|r| r.id == row.id).unwrap().csm, row.csm, "undone");
    // Someone new, said so.
    press(&mut app, KeyCode::Char('M'));
    typ(&mut app, "Zed Newcomer");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "y");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.form.error.clone()));
    assert_eq!(&*app.portfolio.rows().iter().find(|r| r.id == row.id).unwrap().csm, "Zed Newcomer");
    // Undone, someone new to the book goes with it: no longer offered as a near name, nor found
    // by the start of theirs (a probe's "Sam" was handed accounts after the undo).
    let csms = |app: &App| app.store.csms().unwrap().into_iter().map(|(_, n)| n).collect::<Vec<_>>();
    assert!(csms(&app).contains(&"Zed Newcomer".to_string()));
    press(&mut app, KeyCode::Char('u'));
    assert!(!csms(&app).contains(&"Zed Newcomer".to_string()), "{:?}", csms(&app));
    assert!(csms(&app).contains(&other.to_string()), "a CSM with accounts stays");
}

/// `N` writes a note on the selected account of an imported book: kept on its timeline, found by
/// search, its score as it was (a note is no touch and no score), and `u` takes it back.
#[test]
fn a_note_is_written_from_the_keyboard_and_changes_no_score() {
    let (_dir, mut app) = portfolio_of_imported(30);
    let id = selected_id(&app);
    let row = |app: &App| app.portfolio.visible_rows().find(|r| r.id == id).unwrap().clone();
    let before = row(&app);
    press(&mut app, KeyCode::Char('N'));
    assert!(text(&app, 80, 24).contains("Log a note"), "{}", text(&app, 80, 24));
    // Without words it is refused in the form's own words.
    press(&mut app, KeyCode::Enter);
    let error = app.form.as_ref().and_then(|f| f.form.error.clone()).unwrap_or_default();
    assert!(error.contains("a note needs its words"), "{error}");
    typ(&mut app, "Wants SSO before the renewal");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.form.error.clone()));
    let entries = app.store.entries_for(id).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].kind, tend::domain::entry::EntryKind::Note);
    assert_eq!(entries[0].note, "Wants SSO before the renewal");
    let message = app.message.clone().unwrap_or_default();
    assert!(message.contains("note \"Wants SSO before the renewal\" logged"), "{message}");
    let after = row(&app);
    assert_eq!((after.score, after.band), (before.score, before.band), "a note changes no score");
    let found = app.store.search_text(&["sso".to_string()], 10).unwrap();
    assert!(found.iter().any(|m| m.kind == "note" && m.account_id == id), "{found:?}");
    press(&mut app, KeyCode::Char('u'));
    assert!(app.store.entries_for(id).unwrap().is_empty(), "undone");
}

/// Text pasted (the terminal's bracketed paste) goes into the form, the filter or the search box
/// whole, and is never read as keys: its line break does not save the form, nor its letters run
/// as commands. Where nothing takes it, it is said, and nothing changes.
#[test]
fn pasted_text_goes_in_whole_and_runs_no_keys() {
    let (_dir, mut app) = portfolio_of_imported(30);
    let id = selected_id(&app);
    // Nothing takes it on a list: said, not run ("d" would delete, "q" quit).
    app.handle_paste("dq");
    assert!(!app.quit && app.form.is_none());
    assert!(app.message.as_deref().is_some_and(|m| m.contains("nothing here takes it")), "{:?}", app.message);
    press(&mut app, KeyCode::Char('N'));
    typ(&mut app, "Call:");
    // Its leading space is the paste's own: kept.
    app.handle_paste(" budget approved\r\nnext\tstep: \u{1b}[31mSSO\u{1b}[0m\n");
    let form = &app.form.as_ref().expect("the form stays open").form;
    assert_eq!(form.text("note"), "Call: budget approved\nnext step: SSO");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.form.error.clone()));
    let entries = app.store.entries_for(id).unwrap();
    assert_eq!(entries.iter().map(|e| e.note.as_str()).collect::<Vec<_>>(), ["Call: budget approved\nnext step: SSO"]);
    // Into a filter: on one line, and the filter is still being typed.
    press(&mut app, KeyCode::Char('/'));
    app.handle_paste("CRM-0003\n");
    let filter = app.list_filter().expect("a filter");
    assert!(filter.editing, "a pasted line break does not end the filter");
    assert_eq!(filter.input.value(), "CRM-0003");
    press(&mut app, KeyCode::Esc);
    // Into the search box: found at once.
    press(&mut app, KeyCode::Char(':'));
    app.handle_paste("budget\n");
    let search = app.search.as_ref().expect("the search box stays open");
    assert_eq!(search.input.value(), "budget");
    assert!(search.hits.iter().any(|h| h.text.contains("budget approved")), "found at once: {:?}", search.hits);
}

/// The note field says how to go on to a new line (Enter saves), and a note longer than its field
/// ends in "…" once the cursor leaves it, not cut without a sign; at 80 and 60 columns.
#[test]
fn a_long_note_says_it_goes_on_and_how_to_break_a_line() {
    let (_dir, mut app) = portfolio_of_imported(10);
    press(&mut app, KeyCode::Char('N'));
    assert!(text(&app, 80, 24).contains("Alt-Enter or Ctrl-J: a new line"), "{}", text(&app, 80, 24));
    let long = "Renewal call with the CFO: wants a three-year deal, a price cap and SSO before signing";
    typ(&mut app, long);
    press(&mut app, KeyCode::Tab);
    for width in [80, 60] {
        let screen = text(&app, width, 24);
        let line = screen.lines().find(|l| l.contains("Note ")).unwrap_or_default().to_string();
        assert!(line.contains("Renewal call with") && line.contains('…') && !line.contains("signing"), "{screen}");
        assert!(!screen.contains("Alt-Enter"), "said only where the note is being written: {screen}");
    }
}

/// The session's last change taken back elsewhere (`tend undo N`): `u` says so once, then takes
/// back the one before it. A probe's `u` took back an earlier change without a word.
#[test]
fn u_says_when_the_sessions_last_change_was_taken_back_elsewhere() {
    let (_dir, mut app) = portfolio_of_imported(10);
    let path = app.store.path().to_path_buf();
    let id = selected_id(&app);
    for words in ["first note", "second note"] {
        press(&mut app, KeyCode::Char('N'));
        typ(&mut app, words);
        press(&mut app, KeyCode::Enter);
    }
    assert_eq!(entry_count(&app, id), 2);
    let (ok, out, err) = tend_on(&path, &["undo", "--list", "--format", "json"]);
    assert!(ok, "{err}");
    let list: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let second = list.iter().find(|c| c["change"] == "note \"second note\" logged").unwrap()["number"].to_string();
    let (ok, _, err) = tend_on(&path, &["undo", &second]);
    assert!(ok, "{err}");
    press(&mut app, KeyCode::Char('u'));
    let said = app.message.clone().unwrap_or_default();
    assert!(said.contains("(note \"second note\" logged) was already taken back elsewhere"), "{said}");
    assert!(said.contains("u again takes back the change before it"), "{said}");
    assert_eq!(entry_count(&app, id), 1, "nothing taken back yet");
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(entry_count(&app, id), 0, "the first note, on the second u");
    // What `u` itself took back is not said again.
    press(&mut app, KeyCode::Char('u'));
    assert!(
        app.message.as_deref().is_some_and(|m| m.starts_with("Nothing to undo in this session")),
        "{:?}",
        app.message
    );
}
