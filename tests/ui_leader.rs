//! The leader's numbers and the surveys from the keyboard, on an imported CRM book: `y` and `E`
//! log CSAT and CES with the respondent's role, the Team view's `w` shows health week by week, and
//! a one-on-one opens with the CSM's health line.

mod common;

use common::*;
use ratatui::crossterm::event::KeyCode;
use tend::config::Config;
use tend::domain::contact::ContactRole;
use tend::domain::entry::EntryKind;
use tend::store::Store;
use tend::tui::App;
use tend::tui::theme::Theme;

fn crm_app() -> (CrmBook, App) {
    let book = CrmBook::new(40);
    let app = App::new(Store::open(&book.path).unwrap(), Config::default(), today(), Theme { color: false }).unwrap();
    (book, app)
}

#[test]
fn y_and_e_log_csat_and_ces_with_a_role_and_refuse_a_score_off_the_scale() {
    let (_book, mut app) = crm_app();
    press(&mut app, KeyCode::Char('2'));
    let id = app.portfolio.visible_rows().next().unwrap().id;
    press(&mut app, KeyCode::Char('y'));
    let form = app.form.as_ref().expect("y opens the CSAT form");
    assert!(form.form.title.starts_with("Log a CSAT response"), "{}", form.form.title);
    typ(&mut app, "6");
    press(&mut app, KeyCode::Enter);
    let error = app.form.as_ref().and_then(|f| f.form.error.clone()).expect("6 is off the 1-5 scale");
    assert!(error.contains("1-5"), "{error}");
    press(&mut app, KeyCode::Backspace);
    typ(&mut app, "4");
    // Tab past the note and who it is from to the role: the buyer (decision maker), picked by
    // its first letter.
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    typ(&mut app, "b");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "saved: {:?}", app.form.as_ref().and_then(|f| f.form.error.clone()));
    press(&mut app, KeyCode::Char('E'));
    assert!(app.form.as_ref().unwrap().form.title.starts_with("Log a CES response"));
    typ(&mut app, "2");
    press(&mut app, KeyCode::Enter);
    // The note follows the score, as in the sentiment form: typed after one Tab it is the note,
    // not letters picking a role (a probe's promoter was saved as "9 (detractor)", its note lost).
    press(&mut app, KeyCode::Char('n'));
    typ(&mut app, "9");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "loves the new dashboard");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "saved: {:?}", app.form.as_ref().and_then(|f| f.form.error.clone()));
    let entries = app.store.entries_for(id).unwrap();
    let nps = entries.iter().find(|e| e.kind == EntryKind::Nps).expect("an NPS entry");
    assert_eq!((nps.score, nps.role, nps.note.as_str()), (Some(9), None, "loves the new dashboard"));
    let csat = entries.iter().find(|e| e.kind == EntryKind::Csat).expect("a CSAT entry");
    assert_eq!((csat.score, csat.role), (Some(4), Some(ContactRole::DecisionMaker)));
    let ces = entries.iter().find(|e| e.kind == EntryKind::Ces).expect("a CES entry");
    assert_eq!((ces.score, ces.role), (Some(2), None));
}

#[test]
fn team_w_shows_health_week_by_week_and_the_agenda_opens_with_the_csms_line() {
    let (_book, mut app) = crm_app();
    press(&mut app, KeyCode::Char('5'));
    press(&mut app, KeyCode::Char('w'));
    let screen = text(&app, 80, 24);
    assert!(screen.contains("Health week by week · all CSMs"), "{screen}");
    // The last week is today's; a book without data has no score in any week.
    assert!(screen.contains(&today().to_string()), "{screen}");
    assert!(screen.contains("none 100%"), "{screen}");
    // At 60 columns the shares are whole, "none" the last of them (the bar gives way).
    let narrow = text(&app, 60, 24);
    assert!(narrow.contains("none 100%") && !narrow.contains('…'), "{narrow}");
    // It opens on the latest week; the first of the 27 is above, reached with ↑.
    assert!(!screen.contains("2026-05-25") && screen.contains("↑ earlier weeks"), "{screen}");
    for _ in 0..30 {
        press(&mut app, KeyCode::Up);
    }
    let screen = text(&app, 80, 24);
    assert!(screen.contains("2026-05-25") && screen.contains("↓ later weeks"), "{screen}");
    press(&mut app, KeyCode::Esc);
    // Narrower, the title gives way before the keys (a CSM's name at 60 columns read "↑ earlier
    // wee…").
    press(&mut app, KeyCode::Char('w'));
    let narrow = text(&app, 56, 24);
    let head = narrow.lines().nth(1).unwrap_or_default().trim_end();
    assert_eq!(head, " Health by week · all CSMs  Esc back  ↑ earlier weeks", "{narrow}");
    press(&mut app, KeyCode::Esc);
    let screen = text(&app, 80, 24);
    // Back on the team: an import with nothing dated has no retention to show yet.
    assert!(screen.contains("Retention: none yet"), "{screen}");
    press(&mut app, KeyCode::Enter);
    let screen = text(&app, 80, 24);
    // No score in any week: said so, not "G 0->0 … no score 100->100".
    assert!(
        screen.contains("One-on-one with") && screen.contains("Health over 26 weeks: no account has had a score yet"),
        "{screen}"
    );
    // `w` inside a one-on-one is that CSM's health, not the team's.
    let csm = app.team.as_ref().and_then(|t| t.agenda.as_ref()).map(|(c, _)| c.clone()).unwrap();
    press(&mut app, KeyCode::Char('w'));
    let screen = text(&app, 120, 40);
    assert!(screen.contains(&format!("Health week by week · {csm}")), "{screen}");
}

/// With `me` set, the lists open on the lead's own book, while the Team view is the whole team's,
/// and so is its health week by week (a lead read their own book's trend under the status line's
/// "the whole team").
#[test]
fn team_w_is_the_whole_teams_with_me_set() {
    let book = CrmBook::new(40);
    let config = Config { me: "Maya Patel".into(), ..Config::default() };
    let mut app = App::new(Store::open(&book.path).unwrap(), config, today(), Theme { color: false }).unwrap();
    assert_eq!(app.book_of.as_deref(), Some("Maya Patel"));
    press(&mut app, KeyCode::Char('5'));
    press(&mut app, KeyCode::Char('w'));
    let screen = text(&app, 80, 24);
    assert!(screen.contains("Health week by week · all CSMs"), "{screen}");
}
