//! Tasks from the keyboard on an imported CRM book: `T` on any account, the Tasks tab, `x` done,
//! `e` to edit and drop, `u` to undo; Triage names late tasks and the playbook behind them.

mod common;

use common::*;
use ratatui::crossterm::event::KeyCode;
use tend::config::Config;
use tend::domain::task::TaskStatus;
use tend::store::Store;
use tend::tui::App;
use tend::tui::app::Screen;
use tend::tui::theme::Theme;
use tend::tui::views::account::AccountTab;

/// The app on 40 accounts imported from a CRM export, as it opens, with this config.
fn crm_app(config: Config) -> (tempfile::TempDir, App) {
    crm_app_after(config, &[])
}

/// The same, after these commands ran on the book.
fn crm_app_after(config: Config, commands: &[&[&str]]) -> (tempfile::TempDir, App) {
    let book = CrmBook::new(40);
    for c in commands {
        book.run(c);
    }
    let app = App::new(Store::open(&book.path).unwrap(), config, today(), Theme { color: false }).unwrap();
    (book.dir, app)
}

fn open_account(app: &mut App, external_id: &str) -> i64 {
    press(app, KeyCode::Char('2'));
    let pos = app.portfolio.visible_rows().position(|r| app.store.account(r.id).unwrap().external_id == external_id);
    for _ in 0..pos.expect("the account is in the Portfolio") {
        press(app, KeyCode::Down);
    }
    press(app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Account);
    app.account.as_ref().unwrap().detail.account.id
}

#[test]
fn t_adds_a_task_the_tab_lists_it_x_closes_it_and_u_undoes() {
    let (_dir, mut app) = crm_app(Config::default());
    let id = open_account(&mut app, "CRM-0005");
    press(&mut app, KeyCode::Char('T'));
    let form = app.form.as_ref().expect("T opens the task form");
    assert!(form.form.title.starts_with("New task · Company 5"), "{}", form.form.title);
    typ(&mut app, "Send the QBR deck");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "-2d");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "saved: {:?}", app.form.as_ref().and_then(|f| f.form.error.clone()));
    let message = app.message.clone().unwrap();
    assert_eq!(message, "Company 5: task \"Send the QBR deck\" added, 2 days late");
    let tasks = app.store.tasks_for(id).unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].owner.as_deref(), Some("Ben Okafor"), "the account's CSM by default");

    for _ in 0..4 {
        press(&mut app, KeyCode::Char(']'));
    }
    assert_eq!(app.account.as_ref().unwrap().tab, AccountTab::Tasks);
    insta::assert_snapshot!("tasks_tab_80x24", text(&app, 80, 24));
    let narrow = text(&app, 60, 24);
    assert!(narrow.contains("2 days late") && narrow.contains("Send the QBR"), "{narrow}");

    // Late: a triage reason, named.
    press(&mut app, KeyCode::Char('1'));
    let triage = text(&app, 160, 30);
    assert!(triage.contains("1 task late: \"Send the QBR deck\""), "{triage}");

    // x marks it done today; u takes it back.
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.account.as_ref().unwrap().detail.account.id, id, "the Portfolio kept its selection");
    app.account.as_mut().unwrap().show((tend::store::log::Entity::Task, tasks[0].id));
    press(&mut app, KeyCode::Char('x'));
    assert_eq!(app.store.tasks_for(id).unwrap()[0].status, TaskStatus::Done);
    assert!(app.message.clone().unwrap().contains("done Mon 2026-11-23"));
    // On the account's timeline too, as a milestone done is (a probe's stayed as it was).
    let timeline = &app.account.as_ref().unwrap().detail.timeline;
    assert!(
        timeline.iter().any(|t| t.kind == "task" && t.text == "done: Send the QBR deck" && t.day == today()),
        "{timeline:?}"
    );
    press(&mut app, KeyCode::Char('x'));
    assert!(app.message.clone().unwrap().contains("already done"), "{:?}", app.message);
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.store.tasks_for(id).unwrap()[0].status, TaskStatus::Open);

    // e edits it: dropped, with a new title.
    press(&mut app, KeyCode::Char('e'));
    let form = app.form.as_ref().expect("e opens the task's form");
    assert!(form.form.title.starts_with("Edit task"), "{}", form.form.title);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Enter);
    let t = &app.store.tasks_for(id).unwrap()[0];
    assert_eq!(t.status, TaskStatus::Dropped, "{:?}", app.message);
    assert_eq!(t.closed_on, Some(today()));
}

/// `T` on the account open, a task "Call" with this owner typed, and Enter.
fn add_call_owned_by(app: &mut App, owner: &str) {
    press(app, KeyCode::Char('T'));
    typ(app, "Call");
    press(app, KeyCode::Tab);
    press(app, KeyCode::Tab);
    typ(app, owner);
    press(app, KeyCode::Enter);
}

#[test]
fn an_unknown_owner_is_said_in_the_form_and_nothing_is_written() {
    let (_dir, mut app) = crm_app(Config::default());
    let id = open_account(&mut app, "CRM-0005");
    add_call_owned_by(&mut app, "Zed");
    let error = app.form.as_ref().and_then(|f| f.form.error.clone()).expect("the form stays open");
    assert!(error.contains("Owner: no CSM is called \"Zed\""), "as the form labels the field: {error}");
    assert!(app.store.tasks_for(id).unwrap().is_empty());
}

/// "me" as the owner is the reader, as `--owner me` is: the CSM `me` names in the config; where
/// it names no one, the form says how to set it (a probe typed "Me" and read "no CSM is called").
#[test]
fn me_as_the_owner_is_the_reader() {
    let config = Config::from_toml("me = \"Maya Patel\"\n", std::path::Path::new("tend.toml")).unwrap();
    let (_dir, mut app) = crm_app(config);
    // One of Maya's: her book is the one the screens open on.
    let id = open_account(&mut app, "CRM-0004");
    add_call_owned_by(&mut app, "Me");
    assert!(app.form.is_none(), "saved: {:?}", app.form.as_ref().and_then(|f| f.form.error.clone()));
    assert_eq!(app.store.tasks_for(id).unwrap()[0].owner.as_deref(), Some("Maya Patel"));

    let (_dir, mut app) = crm_app(Config::default());
    let id = open_account(&mut app, "CRM-0005");
    add_call_owned_by(&mut app, "me");
    let error = app.form.as_ref().and_then(|f| f.form.error.clone()).expect("the form stays open");
    assert!(error.contains("set `me = \"Your Name\"` in the config"), "{error}");
    assert!(app.store.tasks_for(id).unwrap().is_empty());
}

#[test]
fn opening_runs_the_playbooks_and_triage_links_the_reason_to_their_tasks() {
    let toml = "[[playbooks]]\nname = \"Renewal prep\"\ntrigger = \"renewal\"\ndays = 30\n\
                tasks = [{ title = \"Send the renewal quote\", due_days = 3 }]\n";
    let config = Config::from_toml(toml, std::path::Path::new("tend.toml")).unwrap();
    let (_dir, app) = crm_app(config);
    let message = app.message.clone().unwrap_or_default();
    assert!(message.contains("playbooks opened") || message.contains("playbook \"Renewal prep\""), "{message}");
    let screen = text(&app, 220, 40);
    assert!(screen.contains("→ playbook \"Renewal prep\": 1 open, next \"Send the renewal quote\""), "{screen}");
    // Opening again opens nothing more: the episodes are open.
    let path = app.store.path().to_path_buf();
    let before = app.store.tasks(&Default::default()).unwrap().len();
    drop(app);
    let app = App::new(
        Store::open(&path).unwrap(),
        Config::from_toml(toml, "t".as_ref()).unwrap(),
        today(),
        Theme { color: false },
    )
    .unwrap();
    assert_eq!(app.store.tasks(&Default::default()).unwrap().len(), before);
}

/// A playbook's task due today is named once: by the tasks' reason, the playbook's link beside
/// its trigger saying only which playbook (a probe's line read "1 task due today: \"Check in\" ·
/// … playbook \"Quiet account\": 1 open, next \"Check in\" due today").
#[test]
fn a_playbooks_task_due_today_is_named_once_on_the_triage_line() {
    let toml = "[[playbooks]]\nname = \"Renewal prep\"\ntrigger = \"renewal\"\ndays = 30\n\
                tasks = [{ title = \"Send the renewal quote\", due_days = 0 }]\n";
    let config = Config::from_toml(toml, std::path::Path::new("tend.toml")).unwrap();
    let (_dir, app) = crm_app(config);
    let screen = text(&app, 250, 40);
    let line = screen.lines().find(|l| l.contains("Send the renewal quote")).unwrap_or_default();
    assert_eq!(line.matches("Send the renewal quote").count(), 1, "{screen}");
    assert!(line.contains("→ playbook \"Renewal prep\""), "{screen}");
}

#[test]
fn the_selection_stays_on_a_person_who_moves_down_the_list() {
    let (_dir, mut app) = crm_app_after(
        Config::default(),
        &[
            &["contact", "add", "CRM-0005", "Ana Ruiz", "--role", "champion"],
            &["contact", "add", "CRM-0005", "Bo Lee", "--role", "user"],
        ],
    );
    open_account(&mut app, "CRM-0005");
    press(&mut app, KeyCode::Char('['));
    let view = app.account.as_ref().unwrap();
    assert_eq!(view.tab, AccountTab::People);
    let ana = view.detail.contacts.iter().find(|c| c.name == "Ana Ruiz").unwrap().id;
    assert_eq!(view.selected_target(), Some((tend::store::log::Entity::Contact, ana)), "the champion first");
    press(&mut app, KeyCode::Char('x'));
    assert!(app.message.clone().unwrap().contains("contact Ana Ruiz (champion) left"), "{:?}", app.message);
    let view = app.account.as_ref().unwrap();
    assert_eq!(view.detail.contacts.last().unwrap().id, ana, "who left goes down");
    assert_eq!(view.selected_target(), Some((tend::store::log::Entity::Contact, ana)), "and the selection with her");
    let screen = text(&app, 80, 24);
    assert!(screen.contains("left 2026-11-23"), "{screen}");
}

/// At 60 columns a person's title and email still show: the columns are as wide as this
/// account's people need (they once took 59 columns whatever the names, cutting the rest).
#[test]
fn people_keep_their_title_and_email_at_60_columns() {
    let (_dir, mut app) = crm_app_after(
        Config::default(),
        &[
            &[
                "contact",
                "add",
                "CRM-0005",
                "Ana Ruiz",
                "--role",
                "champion",
                "--title",
                "VP Ops",
                "--email",
                "ana@c5.com",
            ],
            &["contact", "add", "CRM-0005", "Bo Lee", "--email", "bo@c5.com"],
        ],
    );
    open_account(&mut app, "CRM-0005");
    press(&mut app, KeyCode::Char('['));
    let screen = text(&app, 60, 20);
    let ana = screen.lines().find(|l| l.contains("Ana Ruiz")).unwrap_or_else(|| panic!("{screen}"));
    assert!(ana.contains("champion") && ana.contains("VP Ops · ana@c5.com"), "{screen}");
    let bo = screen.lines().find(|l| l.contains("Bo Lee")).unwrap();
    assert!(bo.contains("bo@c5.com"), "{screen}");
}

/// A long task title takes the room the row has: whole at 100 columns, cut with "…" at 60 with
/// its owner still whole.
#[test]
fn a_long_task_title_uses_the_width_there_is() {
    let title = "Send usage recovery plan to sponsor and book the executive review";
    let (_dir, mut app) = crm_app_after(
        Config::default(),
        &[&["task", "add", "CRM-0001", title, "--due", "+3d", "--owner", "Ben Okafor"]],
    );
    open_account(&mut app, "CRM-0001");
    for _ in 0..4 {
        press(&mut app, KeyCode::Tab);
    }
    let wide = text(&app, 100, 24);
    assert!(wide.lines().any(|l| l.contains(title) && l.ends_with("Ben Okafor")), "{wide}");
    let narrow = text(&app, 60, 24);
    let line = narrow.lines().find(|l| l.contains("Send usage")).unwrap_or_else(|| panic!("{narrow}"));
    assert!(line.contains('…') && line.ends_with("Ben Okafor"), "{line}");
}

/// An account with no milestone says how to plan a journey's steps already past their day,
/// which an import leaves out (a probe's account 43 days past its renewal had no renewal steps,
/// and its Journey tab said nothing of why).
#[test]
fn a_journey_tab_without_milestones_says_how_to_plan_the_steps_an_import_left_out() {
    let (_dir, mut app) = crm_app(Config::default());
    let bare = app
        .portfolio
        .rows()
        .iter()
        .map(|r| r.id)
        .find(|id| app.store.milestones_for(*id).unwrap().is_empty())
        .expect("an account without milestones");
    let external_id = app.store.account(bare).unwrap().external_id;
    open_account(&mut app, &external_id);
    while app.account.as_ref().unwrap().tab != AccountTab::Journey {
        press(&mut app, KeyCode::Char(']'));
    }
    let screen = text(&app, 100, 24).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        screen.contains("with --include-past its steps already past their day (an import leaves them out)"),
        "{screen}"
    );
}
