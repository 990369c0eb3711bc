//! One search over an imported CRM book: accounts by name and external id, CSMs, and what was
//! written (risks, touch notes, goals), through the real binary and the app's Ctrl-K; deleted
//! words leave it at once.

mod common;

use std::path::Path;

use common::{press, tend_on, text, today, typ};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tend::book;
use tend::config::Config;
use tend::store::Store;
use tend::store::log::Entity;
use tend::tui::App;
use tend::tui::theme::Theme;

fn ok(db: &Path, args: &[&str]) -> String {
    let (ok, out, err) = tend_on(db, args);
    assert!(ok, "tend {args:?}: {err}");
    out
}

fn hits(db: &Path, query: &str) -> Vec<serde_json::Value> {
    let doc: serde_json::Value = serde_json::from_str(&ok(db, &["search", query, "--format", "json"])).unwrap();
    doc["rows"].as_array().unwrap().clone()
}

/// The CRM import, with a risk, a touch with a note and a goal written on a few accounts.
fn crm_book() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, db) = common::imported_crm(120);
    ok(&db, &["log", "risk", "Company 3", "Champion leaving in March", "--by", "Maya Patel"]);
    ok(
        &db,
        &["log", "touch", "Company 5", "call", "--note", "Walked through the Zürich rollout", "--by", "Maya Patel"],
    );
    ok(&db, &["goal", "add", "Company 8", "Automate the weekly compliance report", "--by", "Maya Patel"]);
    (dir, db)
}

#[test]
fn search_finds_accounts_csms_and_what_was_written() {
    let (dir, db) = crm_book();
    // Words written, each matched as the start of a word, whatever the case and accents.
    let risk = hits(&db, "champ");
    assert_eq!(risk.len(), 1, "{risk:?}");
    assert_eq!(risk[0]["kind"], "risk");
    assert_eq!(risk[0]["name"], "Company 3");
    // A risk says whether it is still open, and once cleared, since when.
    assert_eq!(risk[0]["text"], "open: Champion leaving in March");
    assert_eq!(risk[0]["day"], today().to_string());
    ok(&db, &["log", "close", "Company 3"]);
    assert_eq!(hits(&db, "champ")[0]["text"], format!("cleared {}: Champion leaving in March", today()));
    // An entry's title and note are shown apart, as its timeline shows them.
    let logs = dir.path().join("logs.csv");
    std::fs::write(
        &logs,
        "Account,Kind,Date,Subject,Note\nCRM-0006,Meeting,2026-11-20,Renewal prep,CFO reviews every vendor\n",
    )
    .unwrap();
    ok(&db, &["import", "logs", logs.to_str().unwrap()]);
    assert_eq!(hits(&db, "cfo vendor")[0]["text"], "Renewal prep · CFO reviews every vendor");
    let touch = hits(&db, "zurich roll");
    assert_eq!(touch.len(), 1, "{touch:?}");
    assert_eq!((touch[0]["kind"].as_str(), touch[0]["name"].as_str()), (Some("touch"), Some("Company 5")));
    assert!(hits(&db, "leaving rollout").is_empty(), "every word must match one thing");
    let goal = hits(&db, "compliance");
    assert_eq!((goal[0]["kind"].as_str(), goal[0]["name"].as_str()), (Some("goal"), Some("Company 8")));
    // An exact external id first, then names that start with the words.
    let by_id = hits(&db, "crm-0012");
    assert_eq!((by_id[0]["kind"].as_str(), by_id[0]["name"].as_str()), (Some("account"), Some("Company 12")));
    let by_name = hits(&db, "company 1");
    assert_eq!(by_name[0]["name"], "Company 1");
    // Every word in the name (or id), each anywhere: "Company 31" too, after the closer ones.
    assert!(by_name.iter().all(|h| h["name"].as_str().unwrap().contains('1')), "{by_name:?}");
    assert_eq!(by_name.len(), 20, "the limit is filled when names alone match");
    // Named "Company N" (every seventh is "Acme N, Inc."), with a 1 in the name or the id.
    let expected = (0..120).filter(|i| i % 7 != 0 && i.to_string().contains('1')).count();
    let (_, table, _) = tend_on(&db, &["search", "company", "1"]);
    assert!(table.contains(&format!("Matching: {expected} (--limit shows more)")), "{table}");
    // A CSM.
    let csm = hits(&db, "maya");
    assert!(csm.iter().any(|h| h["kind"] == "CSM" && h["name"] == "Maya Patel"), "{csm:?}");
    // Wildcards and FTS syntax are words like any other.
    assert!(hits(&db, "%").is_empty());
    assert!(hits(&db, "\"champ OR").is_empty());
    let (ok_table, table, _) = tend_on(&db, &["search", "nothing-like-this"]);
    assert!(ok_table && table.contains("nothing matches"), "{table}");
}

#[test]
fn a_deleted_risk_leaves_the_search_and_undo_brings_it_back() {
    let (_dir, db) = crm_book();
    let mut store = Store::open(&db).unwrap();
    let config = Config::default();
    let account = hits(&db, "champion")[0]["account_id"].as_i64().unwrap();
    let detail = book::account_detail(&store, &config, account, today()).unwrap();
    let risk = detail.timeline.iter().find(|l| l.kind == "risk").and_then(|l| l.entry_id).unwrap();
    let mut ctx = book::log::Ctx { store: &mut store, config: &config, session: "t", today: today(), by: None };
    book::log::delete(&mut ctx.seam(), Entity::Entry, risk).unwrap();
    assert!(hits(&db, "champion").is_empty(), "a deleted risk is not found");
    book::log::undo(&mut ctx).unwrap();
    assert_eq!(hits(&db, "champion").len(), 1, "undone, it is found again");
}

#[test]
fn ctrl_k_goes_to_the_entry_found() {
    let (_dir, db) = crm_book();
    let mut app = App::new(Store::open(&db).unwrap(), Config::default(), today(), Theme { color: false }).unwrap();
    app.handle_key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL)).unwrap();
    assert!(app.search.is_some());
    assert!(text(&app, 80, 24).contains("Type a name, an external id"));
    typ(&mut app, "zurich");
    let screen = text(&app, 80, 24);
    assert!(screen.contains("touch") && screen.contains("Company 5") && screen.contains("Zürich"), "{screen}");
    press(&mut app, KeyCode::Enter);
    assert!(app.search.is_none());
    let view = app.account.as_ref().expect("the account is open");
    assert_eq!(view.detail.account.name, "Company 5");
    let (entity, id) = view.selected_target().expect("the entry found is selected");
    assert_eq!(entity, Entity::Entry);
    assert!(view.detail.timeline.iter().any(|l| l.entry_id == Some(id) && l.text.contains("Zürich")));
    // `:` opens it too; Esc closes it and types nothing into the view.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char(':'));
    typ(&mut app, "maya");
    assert!(text(&app, 80, 24).contains("Maya Patel"));
    press(&mut app, KeyCode::Esc);
    assert!(app.search.is_none() && app.form.is_none());
}

/// A churned account is said to be one wherever it is found (a probe took a churned customer found
/// by name for a live one): the command's status column, and "(churned)" beside the name on
/// Ctrl-K; a live account's hit says nothing of the kind.
#[test]
fn a_churned_account_is_said_to_be_one_where_it_is_found() {
    let (_dir, db) = crm_book();
    ok(&db, &["churn", "Company 12", "--reason", "budget"]);
    let found = hits(&db, "crm-0012");
    assert_eq!((found[0]["name"].as_str(), found[0]["status"].as_str()), (Some("Company 12"), Some("churned")));
    let live = hits(&db, "crm-0011");
    assert_eq!(live[0]["status"], "active", "{live:?}");
    // What was written on it too.
    ok(&db, &["log", "touch", "Company 12", "call", "--note", "Exit interview about the tundra project"]);
    assert_eq!(hits(&db, "tundra")[0]["status"], "churned");
    let mut app = App::new(Store::open(&db).unwrap(), Config::default(), today(), Theme { color: false }).unwrap();
    app.handle_key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL)).unwrap();
    typ(&mut app, "company 1");
    let screen = text(&app, 80, 24);
    let line = |name: &str| screen.lines().find(|l| l.contains(&format!("{name} ")) || l.ends_with(name)).unwrap_or("");
    assert!(line("Company 12").contains("Company 12 (churned)"), "{screen}");
    assert!(!line("Company 11").contains("churned"), "{screen}");
}

/// A note found far into its words is shown from a little before the match, the day kept whole
/// before it (cut with the words, a probe read "…04 Email with customer").
#[test]
fn a_hit_far_into_a_note_keeps_its_day_whole() {
    let (_dir, db) = crm_book();
    let long =
        format!("{} and then the sso rollout came up", "A long call about pricing, seats and the QBR ".repeat(3));
    ok(&db, &["log", "touch", "CRM-0008", "call", "--note", &long, "--date", "2026-11-20"]);
    let mut app = App::new(Store::open(&db).unwrap(), Config::default(), today(), Theme { color: false }).unwrap();
    app.handle_key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL)).unwrap();
    typ(&mut app, "sso");
    let screen = text(&app, 80, 24);
    let line = screen.lines().find(|l| l.contains("sso rollout")).unwrap_or_default();
    assert!(line.contains("· 2026-11-20 …") && line.contains("sso rollout"), "{screen}");
}

/// Names written with accents are found typed without them, and the other way round, as the
/// account arguments and the Portfolio's filter find them (a CRM of European customers: a new
/// user's "cafe", "zurich" and "muller schmidt" found nothing); a CSM's too.
#[test]
fn names_are_found_without_regard_to_accents() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("crm.csv");
    std::fs::write(
        &file,
        "External ID,Account,CSM,ARR\n\
         EU-1,Café Olé S.A.,José Álvarez,1000\n\
         EU-2,Zürich Versicherung AG,José Álvarez,2000\n\
         EU-3,\"Müller, Schmidt & Söhne GmbH\",Maya Patel,3000\n\
         US-1,Cafeteria Supplies Inc,Maya Patel,4000\n\
         US-2,Acme,Maya Patel,5000\n\
         PL-1,Łódź Software,Maya Patel,6000\n",
    )
    .unwrap();
    let db = dir.path().join("book.db");
    ok(&db, &["import", "accounts", file.to_str().unwrap()]);
    let names = |query: &str| -> Vec<String> {
        hits(&db, query).iter().map(|h| h["name"].as_str().unwrap_or_default().to_string()).collect()
    };
    assert_eq!(names("cafe"), ["Café Olé S.A.", "Cafeteria Supplies Inc"], "shortest first");
    assert_eq!(names("CAFÉ"), names("cafe"), "the query's accents are folded too");
    assert_eq!(names("zurich"), ["Zürich Versicherung AG"]);
    assert_eq!(names("muller schmidt"), ["Müller, Schmidt & Söhne GmbH"]);
    assert_eq!(names("ole sa"), Vec::<String>::new(), "every word is matched as written: \"sa\" is not \"s.a.\"");
    assert!(names("jose").contains(&"José Álvarez".to_string()), "{:?}", names("jose"));
    assert!(names("eu-").len() == 3, "ids as before: {:?}", names("eu-"));
    // A letter with a stroke, which is no accent to take off, read as its plain letter too.
    assert_eq!(names("lodz"), ["Łódź Software"]);
    assert_eq!(names("ŁÓDŹ"), ["Łódź Software"]);
}

/// German names are found as people type them without the letters: "mueller" and "muller" find
/// Müller, "weiss" Weiß, "strasse" Straße; the Portfolio sorts them among their letters, not
/// after Z. A probe's search for "mueller" and "weiss" found nothing, and Ärger sorted last.
#[test]
fn german_names_are_found_and_sorted_as_they_are_spelt_without_their_letters() {
    let (dir, db) = common::temp_db();
    let file = dir.path().join("de.csv");
    std::fs::write(
        &file,
        "Record ID;Company name;Company owner;ARR (EUR)\n1;Müller GmbH;Lena Vogel;100\n2;Weiß SE;Lena Vogel;100\n\
         3;Straße Technik AG;Lena Vogel;100\n4;Ärger Digital GmbH;Lena Vogel;100\n5;Zimmermann KG;Lena Vogel;100\n\
         6;Schulz KG;Lena Vogel;100\n7;Schäfer Logistik AG;Lena Vogel;100\n8;Gößler Holding;Lena Vogel;100\n",
    )
    .unwrap();
    ok(&db, &["import", "accounts", file.to_str().unwrap()]);
    for (query, name) in [
        ("mueller", "Müller GmbH"),
        ("muller", "Müller GmbH"),
        ("weiss", "Weiß SE"),
        ("strasse", "Straße Technik AG"),
        ("goss", "Gößler Holding"),
        ("schaefer", "Schäfer Logistik AG"),
        ("aerger digital", "Ärger Digital GmbH"),
    ] {
        let names: Vec<String> = hits(&db, query).iter().map(|h| h["name"].as_str().unwrap().to_string()).collect();
        assert_eq!(names, vec![name.to_string()], "{query}");
    }
    assert!(hits(&db, "muellerx").is_empty());
    // Sorted by name, A to Z.
    let mut app = App::new(Store::open(&db).unwrap(), Config::default(), today(), Theme { color: false }).unwrap();
    press(&mut app, KeyCode::Char('2'));
    app.portfolio.set_sort(tend::tui::views::portfolio::SortColumn::Name);
    if app.portfolio.descending {
        app.portfolio.reverse();
    }
    let names: Vec<String> = app.portfolio.visible_rows().map(|r| r.name.to_string()).collect();
    assert_eq!(
        names,
        [
            "Ärger Digital GmbH",
            "Gößler Holding",
            "Müller GmbH",
            "Schäfer Logistik AG",
            "Schulz KG",
            "Straße Technik AG",
            "Weiß SE",
            "Zimmermann KG"
        ]
    );
}

/// The people on accounts and the tasks are found too (a probe looked a champion up by name and
/// found nothing): by name, email, job title and role, a task by its title and note; a person
/// who left and a closed task say so; a deleted task leaves the search; Ctrl-K opens the person
/// found on the People tab. The table says the external id, not the book's internal one.
#[test]
fn search_finds_people_and_tasks() {
    let (_dir, db) = crm_book();
    ok(
        &db,
        &[
            "contact",
            "add",
            "Company 9",
            "Ingrid Solberg",
            "--title",
            "VP Operations",
            "--email",
            "ingrid@nordlys.example",
            "--role",
            "executive_sponsor",
        ],
    );
    ok(&db, &["task", "add", "Company 10", "Send the SSO rollout plan", "--due", "+7d", "--note", "ask Okta admin"]);
    let person = hits(&db, "ingrid");
    assert_eq!(person.len(), 1, "{person:?}");
    assert_eq!((person[0]["kind"].as_str(), person[0]["name"].as_str()), (Some("person"), Some("Company 9")));
    assert_eq!(person[0]["text"], "Ingrid Solberg · VP Operations · ingrid@nordlys.example · executive sponsor");
    assert_eq!(person[0]["day"], serde_json::Value::Null);
    // Its own id, as `contact list` shows it.
    let listed: serde_json::Value =
        serde_json::from_str(&ok(&db, &["contact", "list", "CRM-0009", "--format", "json"])).unwrap();
    assert_eq!(person[0]["id"], listed[0]["id"], "{listed}");
    for query in ["nordlys", "solberg vp", "executive sponsor"] {
        assert_eq!(hits(&db, query).len(), 1, "{query}");
    }
    let task = hits(&db, "okta");
    assert_eq!((task[0]["kind"].as_str(), task[0]["name"].as_str()), (Some("task"), Some("Company 10")));
    assert_eq!(task[0]["text"], "Send the SSO rollout plan · ask Okta admin");
    assert_eq!(task[0]["day"], (today() + chrono::Duration::days(7)).to_string());
    // Closed and left, said after the words; a deleted task is gone.
    // Enter on a task found: the account's Tasks tab, the task selected.
    let mut app = App::new(Store::open(&db).unwrap(), Config::default(), today(), Theme { color: false }).unwrap();
    app.handle_key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL)).unwrap();
    typ(&mut app, "okta");
    press(&mut app, KeyCode::Enter);
    let view = app.account.as_ref().expect("the account is open");
    let (entity, id) = view.selected_target().expect("the task found is selected");
    assert_eq!(entity, Entity::Task);
    assert!(view.detail.tasks.iter().any(|t| t.id == id && t.title == "Send the SSO rollout plan"));
    let screen = text(&app, 80, 24);
    assert!(screen.contains("Send the SSO rollout plan"), "{screen}");
    drop(app);
    ok(&db, &["task", "done", "Send the SSO"]);
    assert_eq!(hits(&db, "sso")[0]["text"], "Send the SSO rollout plan · ask Okta admin (done)");
    ok(&db, &["contact", "left", "Ingrid"]);
    assert!(hits(&db, "ingrid")[0]["text"].as_str().unwrap().ends_with("executive sponsor (left)"));
    ok(&db, &["task", "delete", "Send the SSO"]);
    assert!(hits(&db, "okta").is_empty(), "a deleted task is not found");
    // The table: the external id ACCOUNT arguments take, not the internal id.
    let table = ok(&db, &["search", "ingrid"]);
    assert!(table.contains("CRM-0009") && !table.contains("ACCOUNT_ID"), "{table}");
    // Ctrl-K: the person, selected on the account's People tab.
    let mut app = App::new(Store::open(&db).unwrap(), Config::default(), today(), Theme { color: false }).unwrap();
    app.handle_key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL)).unwrap();
    typ(&mut app, "solberg");
    let screen = text(&app, 80, 24);
    assert!(screen.contains("person") && screen.contains("Ingrid Solberg"), "{screen}");
    // Found by a role at 60 columns, the person's name stays before the words cut around it.
    press(&mut app, KeyCode::Esc);
    app.handle_key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL)).unwrap();
    typ(&mut app, "executive sponsor");
    let narrow = text(&app, 60, 24);
    assert!(narrow.contains("Ingrid Solberg · ") && narrow.contains("sponsor"), "{narrow}");
    press(&mut app, KeyCode::Esc);
    app.handle_key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL)).unwrap();
    typ(&mut app, "solberg");
    press(&mut app, KeyCode::Enter);
    let view = app.account.as_ref().expect("the account is open");
    assert_eq!(view.detail.account.name, "Company 9");
    let (entity, id) = view.selected_target().expect("the person found is selected");
    assert_eq!(entity, Entity::Contact);
    assert!(view.detail.contacts.iter().any(|c| c.id == id && c.name == "Ingrid Solberg"));
}

/// An account's own notes (the accounts file's Notes column, shown at the head of its view) are
/// found by their words, without regard to case or accents, and Enter opens the account; a
/// re-import's notes replace the old ones in what is found. A probe's "Champion left in Q2" was
/// on the Account view and found by no search.
#[test]
fn search_finds_an_accounts_notes() {
    let (dir, db) = common::temp_db();
    let file = dir.path().join("accounts.csv");
    std::fs::write(
        &file,
        "Record ID,Company name,Company owner,Customer since,Notes\n\
         9001,Globex LLC,Maya Patel,2019-03-01,\"Champion left in Q2; new VP, \"\"cautious\"\"\"\n\
         9002,Initech,Ben Okafor,2024-06-10,\"Expanding to Zürich next year; legal wants the DPA signed before \
         the pilot, and the CFO asks for a three-year price cap with quarterly reviews\nSecond line: legal\"\n\
         9003,Umbrella Co,Ben Okafor,2016-01-15,\n\
         9004,Hooli,Maya Patel,2021-09-30,Price sensitive: 3-year deal\n",
    )
    .unwrap();
    ok(&db, &["import", "accounts", file.to_str().unwrap()]);
    let found = hits(&db, "champion left");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0]["kind"].as_str(), found[0]["name"].as_str()), (Some("account notes"), Some("Globex LLC")));
    assert_eq!(found[0]["text"], "Champion left in Q2; new VP, \"cautious\"");
    for (query, account) in [
        ("ZURICH", "Initech"),
        ("3-year", "Hooli"),
        ("3 year", "Hooli"),
        ("price SENSITIVE", "Hooli"),
        ("q-2", "Globex LLC"),
    ] {
        let found = hits(&db, query);
        assert_eq!(found.iter().map(|h| h["name"].as_str().unwrap()).collect::<Vec<_>>(), [account], "{query}");
    }
    assert!(hits(&db, "umbrella").iter().all(|h| h["kind"] == "account"), "a name is found as the account");
    // Enter opens the account, its notes at the head of its view.
    let mut app = App::new(Store::open(&db).unwrap(), Config::default(), today(), Theme { color: false }).unwrap();
    app.handle_key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL)).unwrap();
    typ(&mut app, "cautious");
    press(&mut app, KeyCode::Enter);
    let view = app.account.as_ref().expect("the account is open");
    assert_eq!(view.detail.account.name, "Globex LLC");
    let screen = text(&app, 80, 24);
    assert!(screen.contains("Champion left in Q2"), "{screen}");
    // Notes longer than the head: cut there, and read whole with Enter.
    press(&mut app, KeyCode::Esc);
    app.handle_key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL)).unwrap();
    typ(&mut app, "zurich");
    press(&mut app, KeyCode::Enter);
    let screen = text(&app, 80, 24);
    assert!(screen.contains("Notes (Enter): Expanding to Zürich") && !screen.contains("quarterly reviews"), "{screen}");
    press(&mut app, KeyCode::Enter);
    let screen = text(&app, 80, 24);
    assert!(screen.contains("the account's notes") && screen.contains("quarterly reviews"), "{screen}");
    assert!(
        screen.lines().any(|l| l.trim_start_matches('│').starts_with("Second line: legal")),
        "its lines kept: {screen}"
    );
    drop(app);
    // Imported again with other notes: the old words are no longer found, the new ones are.
    std::fs::write(&file, "Record ID,Company name,Notes\n9001,Globex LLC,Renewal signed by the new VP\n").unwrap();
    ok(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(hits(&db, "cautious").is_empty());
    assert_eq!(hits(&db, "new vp")[0]["name"], "Globex LLC");
}

/// Where letters meet digits, either way of writing it finds the other: a probe's "SOC2" did not
/// find "SOC 2 report" (in a logged note, or an account's notes), nor "SOC 2" find "SOC2".
#[test]
fn soc2_and_soc_2_find_each_other() {
    let (dir, db) = crm_book();
    ok(&db, &["log", "note", "Company 9", "Asked for the SOC 2 report before renewal", "--by", "Maya Patel"]);
    ok(&db, &["log", "risk", "Company 11", "ISO27001 audit found gaps", "--by", "Maya Patel"]);
    let file = dir.path().join("notes.csv");
    std::fs::write(&file, "Record ID,Company name,Notes\n9001,Globex LLC,Needs net-90 terms and a Q3 review\n")
        .unwrap();
    ok(&db, &["import", "accounts", file.to_str().unwrap()]);
    let names = |query: &str| -> Vec<String> {
        hits(&db, query)
            .iter()
            .map(|h| format!("{} {}", h["kind"].as_str().unwrap(), h["name"].as_str().unwrap()))
            .collect()
    };
    for query in ["SOC2", "soc 2", "soc-2 report", "soc2 RENEWAL"] {
        assert_eq!(names(query), ["note Company 9"], "{query}");
    }
    for query in ["iso27001", "ISO 27001", "iso 27"] {
        assert_eq!(names(query), ["risk Company 11"], "{query}");
    }
    for query in ["net90", "net 90", "q3 review", "Q 3"] {
        assert_eq!(names(query), ["account notes Globex LLC"], "{query}");
    }
    // Still every word: no part alone stands for the whole.
    assert!(names("soc3").is_empty() && names("iso 9001").is_empty() && names("net30").is_empty());
    // On Ctrl-K a long note shows its words around the match, written either way.
    ok(
        &db,
        &[
            "log",
            "note",
            "Company 13",
            "Long call about pricing, seats, the rollout plan and training, then: legal needs the SOC 2 report",
            "--by",
            "Maya Patel",
        ],
    );
    let mut app = App::new(Store::open(&db).unwrap(), Config::default(), today(), Theme { color: false }).unwrap();
    app.handle_key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL)).unwrap();
    typ(&mut app, "soc2");
    let screen = text(&app, 60, 24);
    let line = screen.lines().find(|l| l.contains("Company 13")).unwrap_or_else(|| panic!("{screen}"));
    assert!(line.contains("SOC"), "{line}");
}

/// What was written on an account whose name another shares is named with its external id on
/// Ctrl-K, as the lists name it: a probe's two "Echo Bank" notes could not be told apart.
#[test]
fn ctrl_k_tells_accounts_of_one_name_apart() {
    let (dir, db) = common::temp_db();
    let file = dir.path().join("accounts.csv");
    std::fs::write(
        &file,
        "Record ID,Company name,Company owner\n9103108,Echo Bank,Maya Patel\n9102368,Echo Bank,Maya Patel\n\
         9100001,Initech,Maya Patel\n",
    )
    .unwrap();
    ok(&db, &["import", "accounts", file.to_str().unwrap()]);
    ok(&db, &["log", "note", "9103108", "Security review before the renewal"]);
    ok(&db, &["log", "note", "9102368", "Security questionnaire sent"]);
    ok(&db, &["log", "note", "9100001", "Security is fine"]);
    let mut app = App::new(Store::open(&db).unwrap(), Config::default(), today(), Theme { color: false }).unwrap();
    app.handle_key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL)).unwrap();
    typ(&mut app, "security");
    let screen = text(&app, 80, 24);
    assert!(screen.contains("Echo Bank (9103108)") && screen.contains("Echo Bank (9102368)"), "{screen}");
    assert!(screen.contains("Initech ·") && !screen.contains("Initech ("), "a name of its own stays bare: {screen}");
}

/// A query of a thousand words (a paste) is searched by its first words, not refused with a raw
/// database error ("Expression tree is too large").
#[test]
fn a_pasted_thousand_word_query_searches_its_first_words() {
    let (_dir, db) = crm_book();
    let mut query = String::from("champion leaving");
    for i in 0..1000 {
        query.push_str(&format!(" word{i}"));
    }
    let (ok, out, err) = tend_on(&db, &["search", &query]);
    assert!(ok, "{err}");
    assert!(out.contains("(nothing matches)"), "the first words are all read: {out}");
    // Words past the first `MAX_WORDS` are not read: "nomatch" last changes nothing.
    let many = format!("champion leaving {}nomatch", "march ".repeat(tend::book::search::MAX_WORDS - 2));
    assert!(hits(&db, &many).iter().any(|h| h["name"] == "Company 3"), "{many}");
    let store = Store::open(&db).unwrap();
    assert!(book::search::search(&store, &query, 10).is_ok());
}

/// What people wrote is listed newest first, whatever the length of each text (ordered by
/// relevance in steps, a probe read one note's hits dated October, then April, then November).
#[test]
fn writing_found_is_listed_newest_first() {
    let (_dir, db) = crm_book();
    // Other writing, so that the word is rare enough to weigh (bm25 gives a word in every text
    // no weight at all).
    for i in 0..12 {
        ok(
            &db,
            &["log", "touch", "CRM-0005", "call", "--note", &format!("Weekly sync number {i}"), "--date", "2026-11-10"],
        );
    }
    ok(&db, &["log", "touch", "CRM-0002", "call", "--note", "SSO broken", "--date", "2026-10-01"]);
    let long = format!("{} SSO", "Quarterly business review follow up with the whole steering group".repeat(6));
    ok(&db, &["log", "touch", "CRM-0003", "call", "--note", &long, "--date", "2026-11-20"]);
    ok(&db, &["log", "touch", "CRM-0004", "call", "--note", "SSO again", "--date", "2026-11-02"]);
    let days: Vec<String> = hits(&db, "sso")
        .iter()
        .filter(|h| h["kind"] == "touch")
        .map(|h| h["day"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(days, ["2026-11-20", "2026-11-02", "2026-10-01"]);
}

/// A CSM found with Ctrl-K who owns no account (one who left, their book handed over) opens on a
/// list that says so, not on "no account matches a triage rule", which read as all well.
#[test]
fn a_csm_who_owns_no_account_is_said_so() {
    let (_dir, db) = crm_book();
    ok(&db, &["handover", "Maya Patel", "Ben Okafor"]);
    let mut app = App::new(Store::open(&db).unwrap(), Config::default(), today(), Theme { color: false }).unwrap();
    app.handle_key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL)).unwrap();
    typ(&mut app, "Maya Patel");
    press(&mut app, KeyCode::Enter);
    let screen = text(&app, 80, 24);
    assert!(
        screen.contains("Maya Patel owns no account of this book: nothing to list (v lists everyone's)."),
        "{screen}"
    );
    assert!(!screen.contains("no account matches a triage rule"), "{screen}");
}

/// Words in a script written without spaces (Japanese, Chinese) are found inside the run of
/// letters the index keeps as one token (a probe's "会議" did not find its note "定例会議"), and
/// with a word written with spaces beside them, both must hold.
#[test]
fn words_of_a_script_without_spaces_are_found_inside_a_run() {
    let (_dir, db) = common::imported_crm(10);
    ok(&db, &["log", "touch", "Company 3", "meeting", "--note", "定例会議で移行を確認", "--by", "Maya Patel"]);
    ok(&db, &["goal", "add", "Company 4", "データ移行を完了する", "--by", "Maya Patel"]);
    let texts = |query: &str| -> Vec<String> {
        hits(&db, query).iter().map(|h| h["text"].as_str().unwrap_or_default().to_string()).collect()
    };
    let meeting = texts("会議");
    assert!(meeting.len() == 1 && meeting[0].contains("定例会議"), "{meeting:?}");
    let migration = texts("移行");
    assert_eq!(migration.len(), 2, "{migration:?}");
    assert_eq!(texts("移行 確認").len(), 1, "both in one note");
    assert!(texts("会議 rollout").is_empty(), "every word must match one thing");
}
