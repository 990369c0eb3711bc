//! Tasks and playbooks through the real binary, on a book imported from a CRM-shaped file (old
//! and new customers, renewals past and future, missing values): add, close, list, undo, export
//! and import; triage's reason; each playbook trigger opening its tasks once per episode.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// 40 accounts imported from a CRM export with the default config.
fn book() -> CrmBook {
    CrmBook::new(40)
}

trait Tasks {
    fn tasks(&self) -> Vec<Value>;
    fn with_config(&self, toml: &str) -> PathBuf;
    fn run_with(&self, config: &Path, args: &[&str]) -> String;
}

impl Tasks for CrmBook {
    fn tasks(&self) -> Vec<Value> {
        self.json(&["task", "list", "--all"])
    }
    /// The book with this config, as `--config` names it.
    fn with_config(&self, toml: &str) -> PathBuf {
        PathBuf::from(self.file("tend.toml", toml))
    }
    fn run_with(&self, config: &Path, args: &[&str]) -> String {
        let mut all = vec!["--config", config.to_str().unwrap()];
        all.extend(args);
        self.run(&all)
    }
}

fn titles(tasks: &[Value]) -> Vec<String> {
    tasks.iter().map(|t| format!("{} {}", t["task"].as_str().unwrap(), t["status"].as_str().unwrap())).collect()
}

#[test]
fn a_task_is_added_closed_listed_and_undone() {
    let b = book();
    let out = b.run(&["task", "add", "CRM-0001", "Send the QBR deck", "--due", "fri"]);
    assert_eq!(out.trim(), "Company 1: task \"Send the QBR deck\" added, due Fri 2026-11-27");
    let out = b.run(&["task", "add", "company 2", "Call about the renewal", "--due", "-2d", "--owner", "maya"]);
    assert!(out.contains("2 days late, for Maya Patel"), "{out}");
    let list = b.json(&["task", "list"]);
    assert_eq!(list.len(), 2);
    // Late first; the owner defaults to the account's CSM.
    assert_eq!(list[0]["task"], "Call about the renewal");
    assert_eq!(list[0]["when"], "2 days late");
    assert_eq!(list[1]["owner"], "Ben Okafor");
    assert_eq!(list[1]["due"], "2026-11-27");
    assert_eq!(list[1]["playbook"], Value::Null);
    assert_eq!(b.json(&["task", "list", "--owner", "maya patel"]).len(), 1);
    // `me` is the reader, as the reports' --csm me; without `me` in the config, said how.
    let err = b.refused(&["task", "list", "--owner", "me"]);
    // Said as the reports say `--csm me` without one.
    assert!(
        err.contains("--owner me: no CSM is you here (on a book file, set `me = \"Your Name\"` in the config"),
        "{err}"
    );
    assert!(err.contains("(--owner \"Full Name\")") && !err.contains("--csm"), "{err}");
    let config = b.with_config("me = \"Maya Patel\"\n");
    assert_eq!(
        serde_json::from_str::<Vec<Value>>(
            &b.run_with(&config, &["task", "list", "--owner", "me", "--format", "json"])
        )
        .unwrap()
        .len(),
        1
    );
    assert_eq!(b.json(&["task", "list", "--due-within", "0"]).len(), 1, "only the late one is due by today");
    assert_eq!(b.json(&["task", "list", "--due-within", "1w"]).len(), 2);

    let out = b.run(&["task", "done", "send the"]);
    assert_eq!(out.trim(), "Company 1: task \"Send the QBR deck\" done Mon 2026-11-23");
    let err = b.refused(&["task", "done", "send the"]);
    assert!(err.contains("is already done on Mon 2026-11-23"), "{err}");
    b.run(&["task", "drop", "call about", "--note", "they renewed early"]);
    assert!(b.json(&["task", "list"]).is_empty(), "no open tasks left");
    assert_eq!(titles(&b.tasks()), ["Send the QBR deck done", "Call about the renewal dropped"]);

    // Undo takes back the drop, then the done, newest first.
    assert!(b.run(&["undo"]).contains("Undone: Company 2: task \"Call about the renewal\" dropped"));
    assert!(b.run(&["undo"]).contains("Undone: Company 1: task \"Send the QBR deck\" done"));
    assert_eq!(titles(&b.tasks()), ["Call about the renewal open", "Send the QBR deck open"]);
    b.run(&["task", "delete", "1"]);
    assert_eq!(titles(&b.tasks()), ["Call about the renewal open"]);
    assert!(b.run(&["undo"]).contains("task \"Send the QBR deck\" deleted"));
    assert_eq!(b.tasks().len(), 2);
}

/// A playbook's task on several accounts, one closed already: `done` by its words acts on the
/// open ones, and names them where it cannot tell which (a probe's took the closed one, "already
/// done", though two were open); where one open one is left, it is that one.
#[test]
fn done_by_words_acts_on_an_open_task_not_one_closed_already() {
    let b = book();
    // Maya's is the one she closed; the open ones are Liam's and Ben's.
    for (account, owner) in [("CRM-0001", "Maya Patel"), ("CRM-0002", "Liam Chen"), ("CRM-0003", "Ben Okafor")] {
        b.run(&["task", "add", account, "Send renewal quote", "--due", "fri", "--owner", owner]);
    }
    b.run(&["task", "done", "send renewal quote", "--account", "CRM-0001"]);
    let mine = b.with_config("me = \"Maya Patel\"\n");
    let (ok, _, err) = tend_on(&b.path, &["--config", mine.to_str().unwrap(), "task", "done", "send renewal quote"]);
    assert!(!ok && !err.contains("already done"), "{err}");
    // The open ones are named, each with its account and state; not the one closed.
    assert!(
        err.contains("\"send renewal quote\" could be 2 open tasks:") && err.contains("(Company 2, open)"),
        "{err}"
    );
    assert!(!err.contains("Company 1,") && err.contains("--account ACCOUNT"), "{err}");
    assert_eq!(b.json(&["task", "list"]).len(), 2, "nothing closed");
    b.run(&["task", "drop", "send renewal quote", "--account", "CRM-0002"]);
    let out = b.run_with(&mine, &["task", "done", "send renewal quote"]);
    assert!(out.contains("Company 3: task \"Send renewal quote\" done"), "{out}");
    // `reopen` by the same words: three closed, none told apart: refused, naming them.
    let err = b.refused(&["task", "reopen", "send renewal quote"]);
    assert!(!err.contains("is already open") && err.contains("could be 3 closed tasks"), "{err}");
    // None open: said so, with the states.
    let err = b.refused(&["task", "done", "send renewal quote"]);
    assert!(err.contains("no open task is called \"send renewal quote\"") && err.contains("dropped"), "{err}");
}

#[test]
fn bad_task_input_is_refused_and_changes_nothing() {
    let b = book();
    b.run(&["task", "add", "CRM-0001", "Send the deck", "--due", "fri"]);
    let err = b.refused(&["task", "add", "CRM-0001", "  ", "--due", "fri"]);
    assert!(err.contains("title: say what is to be done"), "{err}");
    let err = b.refused(&["task", "add", "CRM-0001", "x", "--due", "2026-02-30"]);
    assert!(err.contains("February 2026 has no day 30 (it has 28)"), "{err}");
    // Day and month in numbers are read either way round only where one reading alone is a day.
    let err = b.refused(&["task", "add", "CRM-0001", "x", "--due", "3/4"]);
    assert!(err.contains("\"3/4\" is not a date: 3/4 is apr 3 or mar 4: write one of them"), "{err}");
    let out = b.run(&["task", "add", "CRM-0001", "Book the QBR", "--due", "dec 11"]);
    assert!(out.contains("Fri 2026-12-11"), "{out}");
    let out = b.run(&["task", "add", "CRM-0001", "Quote the renewal", "--due", "31/1"]);
    assert!(out.contains("2027-01-31"), "{out}");
    let err = b.refused(&["task", "add", "CRM-0001", "x", "--due", "2046-01-01"]);
    assert!(err.contains("more than 5 years"), "{err}");
    // The same step again while it is open (any case and spacing) is refused, naming the open one:
    // two tasks no title tells apart could not be closed by their words.
    let err = b.refused(&["task", "add", "CRM-0001", "send  THE deck", "--due", "mon"]);
    assert!(err.contains("task 1 (\"Send the deck\") is already open on this account, due Fri"), "{err}");
    let err = b.refused(&["task", "add", "nobody", "x", "--due", "fri"]);
    assert!(err.contains("no account matches \"nobody\""), "{err}");
    let err = b.refused(&["task", "add", "CRM-0001", "x", "--due", "fri", "--owner", "Zed"]);
    assert!(err.contains("--owner: no CSM is called \"Zed\""), "{err}");
    let err = b.refused(&["task", "done", "no such task"]);
    assert!(err.contains("no task is called \"no such task\""), "{err}");
    let err = b.refused(&["task", "done", "send", "--date", "tomorrow"]);
    assert!(err.contains("in the future"), "{err}");
    let err = b.refused(&["task", "list", "--due-within", "soon"]);
    assert!(err.contains("not a number of days"), "{err}");
    let err = b.refused(&["task", "list", "--mine"]);
    assert!(err.contains("--mine needs `me"), "{err}");
    // `me` follows the rule for names as --owner does: a start will do, a stranger is said.
    b.run(&["task", "add", "CRM-0001", "Send the slides", "--due", "fri", "--owner", "Maya Patel"]);
    let mine = b.with_config("me = \"maya\"\n");
    assert!(b.run_with(&mine, &["task", "list", "--mine"]).contains("Send the slides"));
    let stranger = b.with_config("me = \"Nobody\"\n");
    let (ok, _, err) = tend_on(&b.path, &["--config", stranger.to_str().unwrap(), "task", "list", "--mine"]);
    assert!(!ok && err.contains("no CSM is called \"Nobody\""), "{err}");
}

#[test]
fn late_and_due_tasks_are_a_triage_reason_and_on_the_one_on_one() {
    let b = book();
    b.run(&["task", "add", "CRM-0005", "Chase the signature", "--due", "-3d"]);
    b.run(&["task", "add", "CRM-0005", "Book the QBR", "--due", "today"]);
    let report: Value = serde_json::from_str(&b.run(&["report", "triage", "--all", "--format", "json"])).unwrap();
    let row = report["rows"].as_array().unwrap().iter().find(|r| r["account"] == "Company 5").unwrap().clone();
    let reasons: Vec<&str> = row["reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
    assert!(reasons.contains(&"1 task late, 1 due today: \"Chase the signature\" and 1 more"), "{reasons:?}");
    let csm = row["csm"].as_str().unwrap().to_string();
    let agenda = b.run(&["report", "one-on-one", "--csm", &csm]);
    assert!(agenda.contains("1 task late, 1 due today"), "{agenda}");
    // Someone else's task on the account is on their agenda, not the account's CSM's.
    b.run(&["task", "add", "CRM-0005", "Pull the usage report", "--due", "-1d", "--owner", "Liam"]);
    let liam = b.run(&["report", "one-on-one", "--csm", "Liam Chen"]);
    assert!(liam.contains("1 task late: \"Pull the usage report\""), "{liam}");
    let own = b.run(&["report", "one-on-one", "--csm", &csm]);
    assert!(!own.contains("Pull the usage report"), "{own}");
    b.run(&["task", "delete", "pull the"]);
    // A late task counts in the Team view for whoever owns it, whoever's account it is on.
    b.run(&["task", "add", "CRM-0005", "Check the numbers", "--due", "-1d", "--owner", "Liam"]);
    let team: Value = serde_json::from_str(&b.run(&["report", "team", "--format", "json"])).unwrap();
    let late =
        |csm: &str| team["rows"].as_array().unwrap().iter().find(|r| r["csm"] == csm).unwrap()["tasks_late"].clone();
    assert_eq!(late(&csm), 1, "{csm}'s own late task");
    assert_eq!(late("Liam Chen"), 1, "Liam's on another's account");
    b.run(&["task", "delete", "check the"]);
    // A late task nobody owns on an account without a CSM counts on the unassigned line (it was
    // counted nowhere: Triage said "1 task late", the Team view 0).
    b.run(&["task", "add", "CRM-0003", "Find an owner", "--due", "-2d"]);
    let team: Value = serde_json::from_str(&b.run(&["report", "team", "--format", "json"])).unwrap();
    let late =
        |csm: &str| team["rows"].as_array().unwrap().iter().find(|r| r["csm"] == csm).unwrap()["tasks_late"].clone();
    assert_eq!(late("unassigned"), 1, "{team}");
    b.run(&["task", "delete", "find an owner"]);
    // Done, the reason goes.
    b.run(&["task", "done", "chase"]);
    b.run(&["task", "done", "book the"]);
    let report = b.run(&["report", "triage", "--all", "--format", "json"]);
    assert!(!report.contains("task late"), "{report}");
}

/// A task due today lifts its account up the list by `task_due`, as a late one does, but a
/// morning of routine tasks does not push the neediest accounts off it: put first, or weighing
/// twice, 16 "Send newsletter" tasks hid Orange and renewing accounts with a risk open.
#[test]
fn a_task_due_today_lifts_its_account_without_pushing_the_neediest_off() {
    let b = book();
    let ranked = |b: &CrmBook| -> Vec<(String, f64)> {
        let report: Value = serde_json::from_str(&b.run(&["report", "triage", "--all", "--format", "json"])).unwrap();
        report["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["account"].as_str().unwrap().to_string(), r["need"].as_f64().unwrap()))
            .collect()
    };
    let before = ranked(&b);
    assert!(before.len() > 3, "{before:?}");
    let (last, need_before) = before.last().unwrap().clone();
    b.run(&["task", "add", &last, "Send the order form", "--due", "today"]);
    let after = ranked(&b);
    let at = after.iter().position(|(n, _)| *n == last).unwrap();
    assert!(after[at].1 > need_before, "{after:?}");
    // A routine task due today on each of the others leaves the first five in the morning's
    // list, the neediest first. Routine tasks are a CSM's: an account nobody owns has none (it
    // has a reason of its own, "no CSM").
    let first: Vec<String> = before.iter().take(5).map(|(n, _)| n.clone()).collect();
    let report: Value = serde_json::from_str(&b.run(&["report", "triage", "--all", "--format", "json"])).unwrap();
    let unowned: Vec<&str> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["csm"].as_str().is_none_or(str::is_empty))
        .map(|r| r["account"].as_str().unwrap())
        .collect();
    assert!(!unowned.is_empty(), "the CRM file leaves some accounts without a CSM");
    for (name, _) in &before[5..] {
        if *name != last && !unowned.contains(&name.as_str()) {
            b.run(&["task", "add", name, "Send newsletter", "--due", "today"]);
        }
    }
    let now: Vec<String> = ranked(&b).into_iter().take(15).map(|(n, _)| n).collect();
    assert_eq!(now[0], first[0], "{now:?}");
    assert!(first.iter().all(|n| now.contains(n)), "{first:?} {now:?}");
}

#[test]
fn tasks_export_and_import_into_a_fresh_book_and_again_add_nothing() {
    let b = book();
    b.run(&["task", "add", "CRM-0001", "Send the deck, then call", "--due", "fri", "--note", "two lines\nof note"]);
    b.run(&["task", "add", "CRM-0002", "Renewal quote", "--due", "-1d"]);
    b.run(&["task", "done", "renewal quote"]);
    let file = b.dir.path().join("tasks.csv");
    b.run(&["export", "tasks", "--format", "csv", "-o", file.to_str().unwrap()]);

    let (dir2, fresh) = temp_db();
    let crm = crm_file(dir2.path(), 40);
    assert!(tend_on(&fresh, &["import", "accounts", crm.to_str().unwrap()]).0);
    let (ok, out, err) = tend_on(&fresh, &["import", "tasks", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("imported 2 tasks: 2 new"), "{out}");
    let (_, out, _) = tend_on(&fresh, &["import", "tasks", file.to_str().unwrap()]);
    assert!(out.contains("0 new, 0 updated, 2 unchanged"), "{out}");
    let again = CrmBook { dir: dir2, path: fresh };

    let strip = |mut v: Vec<Value>| {
        for t in &mut v {
            t.as_object_mut().unwrap().remove("id");
        }
        v
    };
    assert_eq!(strip(again.tasks()), strip(b.tasks()));

    // Two tasks with the same title and due day (a playbook's second episode makes them), one
    // done and one open: a re-import of their export changes nothing.
    again.run(&["task", "add", "CRM-0004", "Write the plan", "--due", "fri"]);
    again.run(&["task", "done", "write the plan"]);
    again.run(&["task", "add", "CRM-0004", "Write the plan", "--due", "fri"]);
    let twins = again.file("twins.csv", "");
    again.run(&["export", "tasks", "-o", &twins]);
    let before = std::fs::read(&again.path).unwrap();
    let out = again.run(&["import", "tasks", &twins]);
    assert!(out.contains("0 new, 0 updated"), "{out}");
    assert_eq!(std::fs::read(&again.path).unwrap(), before);
    // A row without an owner keeps the task's: importing it again changes nothing.
    let no_owner = again.dir.path().join("no_owner.csv");
    std::fs::write(&no_owner, "account,task,due\nCRM-0003,Plan the QBR,2026-12-01\n").unwrap();
    assert!(again.run(&["import", "tasks", no_owner.to_str().unwrap()]).contains("1 new"));
    let before = std::fs::read(&again.path).unwrap();
    assert!(again.run(&["import", "tasks", no_owner.to_str().unwrap()]).contains("1 unchanged"));
    assert_eq!(std::fs::read(&again.path).unwrap(), before);

    // A bad row refuses the whole file, naming the line and the column.
    let bad = again.dir.path().join("bad.csv");
    std::fs::write(&bad, "account,task,due,status\nCRM-0003,Fine,2026-11-30,\nCRM-0003,Odd,2026-11-30,maybe\n")
        .unwrap();
    let err = again.refused(&["import", "tasks", bad.to_str().unwrap()]);
    assert!(err.contains("bad.csv:3: column \"status\": value \"maybe\""), "{err}");
    // An owner who is no CSM of the book, a due day years away: refused as `task add` refuses them.
    std::fs::write(&bad, "account,task,due,owner\nCRM-0003,Fine,2026-11-30,Casper\nCRM-0003,Far,2045-01-01,\n")
        .unwrap();
    let err = again.refused(&["import", "tasks", bad.to_str().unwrap()]);
    assert!(err.contains("bad.csv:2: column \"owner\": value \"Casper\": no CSM is called \"Casper\""), "{err}");
    assert!(err.contains("bad.csv:3: column \"due\": value \"2045-01-01\""), "{err}");
}

const PLAYBOOKS: &str = r#"
[[playbooks]]
name = "Risk review"
trigger = "risk"
tasks = [{ title = "Review the risk with the lead", due_days = 2 }]

[[playbooks]]
name = "Red rescue"
trigger = "band"
bands = ["red"]
tasks = [{ title = "Call the sponsor", due_days = 1 }, { title = "Agree a rescue plan", due_days = 7 }]

[[playbooks]]
name = "Sentiment floor"
trigger = "factor"
factor = "sentiment"
tasks = [{ title = "Ask what went wrong", due_days = 0 }]

[[playbooks]]
name = "Renewal prep"
trigger = "renewal"
days = 30
tasks = [{ title = "Send the renewal quote", due_days = 0 }]

[[playbooks]]
name = "Reach out"
trigger = "no_touch"
tasks = [{ title = "Check in", due_days = 3 }]
"#;

/// On a day still to come (`--as-of` ahead of the machine's clock) nothing is written (a probe's
/// `--as-of` churn and sentiment were dated a month ahead, which `--date` refuses), nothing is
/// imported but by a dry run, and the playbooks open nothing, which a snapshot says (a probe saw
/// nothing fire and nothing said why).
#[test]
fn playbooks_on_a_day_to_come_open_nothing_and_say_so() {
    let b = book();
    let config = b.with_config(PLAYBOOKS);
    let config_arg = config.to_str().unwrap();
    let ahead = (chrono::Local::now().date_naive() + chrono::Duration::days(30)).to_string();
    let previews = format!(
        "as of {ahead}, a day still to come on this machine's clock, tend previews the book and writes nothing"
    );
    for write in [
        vec!["log", "risk", "CRM-0001", "Budget cut"],
        vec!["churn", "CRM-0001", "--reason", "budget"],
        vec!["task", "add", "CRM-0001", "Call the CFO", "--due", "+3d"],
        vec!["override", "CRM-0001", "red", "--reason", "champion left", "--until", "+60d"],
    ] {
        let err = b.refused(&[&["--config", config_arg, "--as-of", &ahead][..], &write].concat());
        assert!(err.contains(&previews), "{write:?}: {err}");
    }
    let logs = b.file("risks.csv", "account,kind,date,title\nCRM-0001,risk,2026-11-20,Budget cut\n");
    let err = b.refused(&["--as-of", &ahead, "import", "logs", &logs]);
    assert!(err.contains(&previews) && err.contains("nothing was imported"), "{err}");
    let said = b.run(&["--as-of", &ahead, "import", "logs", &logs, "--dry-run"]);
    assert!(said.contains("1 new"), "a dry run reads: {said}");
    assert!(b.tasks().is_empty(), "{:?}", b.tasks());
    // Nor is anything stored for it: not a snapshot, nor what a report or the screens work out
    // (a probe's preview added its day's history to the book).
    let before = std::fs::read(&b.path).unwrap();
    let err = b.refused(&["--config", config_arg, "--as-of", &ahead, "snapshot"]);
    assert!(err.contains(&previews) && err.contains("nothing was run"), "{err}");
    let report = b.run(&["--as-of", &ahead, "report", "triage", "--format", "json"]);
    assert!(report.contains("\"rank\": 1"), "the preview's list is read: {report}");
    b.run(&["--as-of", &ahead, "export", "accounts", "--format", "csv"]);
    b.run(&["--as-of", &ahead, "search", "CRM"]);
    assert!(std::fs::read(&b.path).unwrap() == before, "the book is byte for byte as it was");
    // On the day itself (the tests' today, long past on the clock) they open as ever.
    let said = b.run_with(&config, &["log", "risk", "CRM-0002", "Budget cut"]);
    assert!(said.contains("opened") && !said.contains("a preview"), "{said}");
    // Nor is anything taken back on a day to come (a probe's `--as-of` undo took a hand-over back).
    let before = std::fs::read(&b.path).unwrap();
    for undo in [vec!["undo"], vec!["undo", "--import"], vec!["undo", "1"]] {
        let err = b.refused(&[&["--as-of", &ahead][..], &undo].concat());
        assert!(err.contains(&previews), "{undo:?}: {err}");
    }
    assert!(std::fs::read(&b.path).unwrap() == before, "the book is byte for byte as it was");
}

/// The screens refuse a write on such a day too, and say why.
#[test]
fn the_screens_say_the_playbooks_open_nothing_on_a_day_to_come() {
    use ratatui::crossterm::event::KeyCode;
    let b = book();
    let config = tend::config::Config::from_toml(PLAYBOOKS, Path::new("tend.toml")).unwrap();
    let ahead = chrono::Local::now().date_naive() + chrono::Duration::days(30);
    let before = std::fs::read(&b.path).unwrap();
    // As `tend --as-of` opens it: a preview, which writes nothing.
    let mut store = tend::store::Store::open(&b.path).unwrap();
    store.preview(format!("as of {ahead}, a day still to come on this machine's clock: a preview")).unwrap();
    let mut app = tend::tui::App::new(store, config, ahead, tend::tui::theme::Theme::plain()).unwrap();
    app.set_as_of_asked(true);
    // The list is said to be that day's, a preview (it read "need you today"), and the status
    // line says why nothing can be written.
    let head = common::text(&app, 80, 24);
    let day = ahead.format("%a %Y-%m-%d").to_string();
    assert!(head.contains(&format!("on {day} (a preview)")) && !head.contains(" today"), "{head}");
    assert!(head.lines().last().is_some_and(|l| l.trim_start().starts_with("preview · ")), "{head}");
    // A mark on the list is a write too.
    press(&mut app, KeyCode::Char('h'));
    let said = app.message.clone().unwrap_or_default();
    assert!(said.contains("tend previews the book and writes nothing"), "{said}");
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('/'));
    typ(&mut app, "CRM-0001");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('s'));
    let said = app.message.clone().unwrap_or_default();
    assert!(app.form.is_none(), "no form is opened to be filled in for nothing");
    assert!(
        said.contains(&format!(
            "as of {ahead}, a day still to come on this machine's clock, tend previews the book and writes nothing"
        )),
        "{said}"
    );
    assert!(b.tasks().is_empty(), "{:?}", b.tasks());
    assert!(b.json(&["log", "list", "CRM-0001"]).iter().all(|e| e["kind"] != "sentiment"), "nothing logged");
    drop(app);
    assert!(std::fs::read(&b.path).unwrap() == before, "the book is byte for byte as it was");
}

fn of_playbook<'a>(tasks: &'a [Value], playbook: &str) -> Vec<&'a Value> {
    tasks.iter().filter(|t| t["playbook"] == playbook).collect()
}

#[test]
fn a_playbook_opens_its_tasks_once_per_episode_and_undo_takes_them_back_with_the_write() {
    let b = book();
    let config = b.with_config(PLAYBOOKS);
    let out = b.run_with(&config, &["log", "risk", "CRM-0004", "Budget cut"]);
    assert!(out.contains("playbook \"Risk review\" opened 1 task (a risk flag open)"), "{out}");
    let tasks = b.tasks();
    let risk = of_playbook(&tasks, "Risk review");
    assert_eq!(risk.len(), 1);
    assert_eq!(risk[0]["account"], "Company 4");
    assert_eq!(risk[0]["due"], "2026-11-25");
    // While the flag is open, a second one opens nothing more.
    let out = b.run_with(&config, &["log", "risk", "CRM-0004", "Champion on leave"]);
    assert!(!out.contains("playbook"), "{out}");
    assert_eq!(of_playbook(&b.tasks(), "Risk review").len(), 1);

    // Both flags gone: the episode ends. A new flag is a new episode, but its task is still open
    // from the last one: not opened twice.
    let entries = b.json(&["log", "list", "CRM-0004"]);
    for e in entries.iter().filter(|e| e["kind"] == "risk") {
        b.run_with(&config, &["log", "delete", &e["id"].to_string()]);
    }
    let out = b.run_with(&config, &["log", "risk", "CRM-0004", "Reorg"]);
    assert!(!out.contains("playbook"), "{out}");
    assert_eq!(of_playbook(&b.tasks(), "Risk review").len(), 1);
    // Done with it, the next episode opens it again.
    b.run(&["task", "done", "review the risk"]);
    let entries = b.json(&["log", "list", "CRM-0004"]);
    for e in entries.iter().filter(|e| e["kind"] == "risk") {
        b.run_with(&config, &["log", "delete", &e["id"].to_string()]);
    }
    let out = b.run_with(&config, &["log", "risk", "CRM-0004", "New VP"]);
    assert!(out.contains("opened 1 task"), "{out}");
    assert_eq!(of_playbook(&b.tasks(), "Risk review").len(), 2);

    // Undo of the write takes its playbook's task with it, and names the write.
    let out = b.run_with(&config, &["undo"]);
    assert!(out.contains("Undone: Company 4") && out.contains("risk"), "{out}");
    assert_eq!(of_playbook(&b.tasks(), "Risk review").len(), 1);
    // The trigger no longer holds (the flag is gone): a new flag fires again.
    let out = b.run_with(&config, &["log", "risk", "CRM-0004", "New VP"]);
    assert!(out.contains("opened 1 task"), "{out}");
}

#[test]
fn band_factor_renewal_and_touch_triggers_fire_on_their_own_facts() {
    let b = book();
    let config = b.with_config(PLAYBOOKS);
    // A band override to Red is the band in force.
    let out = b.run_with(&config, &["override", "CRM-0006", "red", "--reason", "exec sponsor left"]);
    assert!(out.contains("playbook \"Red rescue\" opened 2 tasks"), "{out}");
    // Sentiment 1/10 puts the sentiment factor at 1 point, score or not.
    let out = b.run_with(&config, &["log", "sentiment", "CRM-0007", "1"]);
    assert!(out.contains("playbook \"Sentiment floor\" opened 1 task"), "{out}");
    let out = b.run_with(&config, &["log", "sentiment", "CRM-0008", "6"]);
    assert!(!out.contains("playbook"), "{out}");
    // A touch long ago: past the cadence.
    let out = b.run_with(&config, &["log", "touch", "CRM-0009", "call", "--date", "-120d"]);
    assert!(out.contains("playbook \"Reach out\" opened 1 task"), "{out}");

    // A day still to come is a preview: nothing opens for it.
    let before = b.tasks().len();
    let (ok, out, err) = tend_on_day(&b.path, "2031-01-01", &["--config", config.to_str().unwrap(), "snapshot"]);
    assert!(
        !ok && !out.contains("opened") && err.contains("writes nothing") && err.contains("nothing was run"),
        "{out}{err}"
    );
    assert_eq!(b.tasks().len(), before);

    // Renewals come within 30 days as days pass: `tend snapshot` opens them, once.
    let tasks = b.tasks();
    let renewal_before = of_playbook(&tasks, "Renewal prep").len();
    let (ok, out, err) = tend_on_day(&b.path, "2026-11-30", &["--config", config.to_str().unwrap(), "snapshot"]);
    assert!(ok, "{err}");
    let tasks = b.tasks();
    let renewal_after = of_playbook(&tasks, "Renewal prep").len();
    assert!(renewal_after > renewal_before, "{out}");
    let (_, again, _) = tend_on_day(&b.path, "2026-11-30", &["--config", config.to_str().unwrap(), "snapshot"]);
    assert!(!again.contains("playbook"), "{again}");
    assert_eq!(of_playbook(&b.tasks(), "Renewal prep").len(), renewal_after);
    // Each renewal task belongs to an account renewing within 30 days of that day, not past.
    let accounts: Value = serde_json::from_str(&b.run(&["export", "accounts", "--format", "json"])).unwrap();
    let exported: Value = serde_json::from_str(&b.run(&["export", "tasks", "--format", "json"])).unwrap();
    let exported = exported.as_array().unwrap().clone();
    assert_eq!(of_playbook(&exported, "Renewal prep").len(), renewal_after);
    for t in of_playbook(&exported, "Renewal prep") {
        let name = t["account"].as_str().unwrap();
        let a = accounts.as_array().unwrap().iter().find(|a| a["external_id"] == name).unwrap();
        let renews: chrono::NaiveDate = a["renewal_date"].as_str().unwrap().parse().unwrap();
        let created: chrono::NaiveDate = t["created"].as_str().unwrap().parse().unwrap();
        let days = (renews - created).num_days();
        assert!((0..=30).contains(&days), "{name} renews {renews}, task of {created}");
    }
}

#[test]
fn a_broken_playbook_is_refused_with_its_line() {
    let b = book();
    let config = b.with_config(
        "[[playbooks]]\nname = \"Drop\"\ntrigger = \"drop\"\npoints = 10\ntasks = [{ title = \"Call\" }]\n",
    );
    let (ok, _, err) = tend_on(&b.path, &["--config", config.to_str().unwrap(), "config", "check"]);
    assert!(!ok);
    assert!(err.contains(":1: key `playbooks[0].days`") && err.contains("the drop trigger needs days"), "{err}");
    let config = b.with_config("[[playbooks]]\nname = \"X\"\ntrigger = \"sometimes\"\ntasks = []\n");
    let (ok, _, err) = tend_on(&b.path, &["--config", config.to_str().unwrap(), "config", "check"]);
    assert!(!ok);
    assert!(err.contains("sometimes"), "{err}");
}

/// Each trigger, through the writes that start and end it: it opens its tasks when it begins to
/// hold, not again while it holds, and again once it has stopped and holds anew.
#[test]
fn every_trigger_opens_once_per_episode() {
    let b = book();
    let config = b.with_config(PLAYBOOKS);
    let c = config.to_str().unwrap();
    // Red rescue opens two tasks a time, the others one.
    let count = |playbook: &str| {
        let account = match playbook {
            "Red rescue" => "Company 11",
            "Sentiment floor" => "Company 12",
            "Reach out" => "Company 13",
            _ => "Acme 14, Inc.",
        };
        let tasks = b.tasks();
        let mine = of_playbook(&tasks, playbook).into_iter().filter(|t| t["account"] == account).count();
        mine / if playbook == "Red rescue" { 2 } else { 1 }
    };
    // (playbook, writes that start it, a write while it holds, a write that ends it)
    type Writes<'a> = &'a [&'a [&'a str]];
    let episodes: [(&str, Writes, Writes, Writes); 4] = [
        (
            "Red rescue",
            &[&["override", "CRM-0011", "red", "--reason", "sponsor gone"]],
            &[&["override", "CRM-0011", "red", "--reason", "still bad"]],
            &[&["override", "CRM-0011", "clear"]],
        ),
        (
            "Sentiment floor",
            &[&["log", "sentiment", "CRM-0012", "1"]],
            &[&["log", "sentiment", "CRM-0012", "2", "--date", "-1d"]],
            &[&["log", "sentiment", "CRM-0012", "9"]],
        ),
        (
            "Reach out",
            &[&["log", "touch", "CRM-0013", "call", "--date", "-200d"]],
            &[&["log", "touch", "CRM-0013", "email", "--date", "-150d"]],
            &[&["log", "touch", "CRM-0013", "call"]],
        ),
        ("Risk review", &[&["log", "risk", "CRM-0014", "Budget"]], &[&["log", "risk", "CRM-0014", "New VP"]], &[]),
    ];
    for (playbook, start, during, end) in episodes {
        let run_all = |writes: Writes| {
            for w in writes {
                let mut args = vec!["--config", c];
                args.extend(*w);
                b.run(&args);
            }
        };
        run_all(start);
        assert_eq!(count(playbook), 1, "{playbook} opened on its trigger");
        run_all(during);
        assert_eq!(count(playbook), 1, "{playbook} not again while it holds");
        if playbook == "Risk review" {
            // No flag left open: the episode ends.
            let entries: Vec<Value> =
                serde_json::from_str(&b.run(&["log", "list", "CRM-0014", "--format", "json"])).unwrap();
            for e in entries.iter().filter(|e| e["kind"] == "risk") {
                b.run(&["--config", c, "log", "delete", &e["id"].to_string()]);
            }
        }
        run_all(end);
        // Its task done, so that the next episode opens it again.
        for t in of_playbook(&b.tasks(), playbook).iter().filter(|t| t["status"] == "open") {
            b.run(&["task", "done", &t["id"].to_string()]);
        }
        if playbook == "Reach out" {
            // The touch that ended it deleted: long untouched again.
            let entries = b.json(&["log", "list", "CRM-0013"]);
            let today = entries.iter().find(|e| e["kind"] == "touch" && e["day"] == TODAY).unwrap();
            let out = b.run(&["--config", c, "log", "delete", &today["id"].to_string()]);
            assert!(out.contains("playbook \"Reach out\" opened"), "{out}");
        } else {
            run_all(start);
        }
        assert_eq!(count(playbook), 2, "{playbook} again once it had stopped and holds anew");
    }
}

/// The drop trigger reads the score's fall over its window from the history: with sentiment the
/// only weighted factor, a 9 a month ago and a 2 today is a fall; its episode ends when the score
/// comes back, and a new fall opens the task again (the last one done).
#[test]
fn a_fall_opens_once_per_episode() {
    let b = book();
    let mut toml = String::from(
        "[[playbooks]]\nname = \"Fall\"\ntrigger = \"drop\"\npoints = 10\ndays = 30\n\
         tasks = [{ title = \"Ask what changed\", due_days = 1 }]\n",
    );
    toml.push_str(&weights_zero_but(&["sentiment"], false));
    let config = b.with_config(&toml);
    // Company 4 has been a customer for years: the regular score, sentiment alone.
    b.run_with(&config, &["log", "sentiment", "CRM-0004", "9", "--date", "-40d"]);
    let out = b.run_with(&config, &["log", "sentiment", "CRM-0004", "2"]);
    assert!(out.contains("playbook \"Fall\" opened 1 task (a fall of 10 points in 30 days)"), "{out}");
    let out = b.run_with(&config, &["log", "sentiment", "CRM-0004", "3"]);
    assert!(!out.contains("playbook"), "still falling, the same episode: {out}");
    b.run_with(&config, &["log", "sentiment", "CRM-0004", "9"]);
    b.run(&["task", "done", "ask what"]);
    let out = b.run_with(&config, &["log", "sentiment", "CRM-0004", "2"]);
    assert!(out.contains("playbook \"Fall\" opened 1 task"), "a new fall: {out}");
    assert_eq!(of_playbook(&b.tasks(), "Fall").len(), 2);
}

/// A renewal undone brings its trigger back the same day: that is the episode it ended, resumed,
/// not a new one opening the playbook's task again (a probe's done "Send the renewal quote" came
/// back open beside it after `u`).
#[test]
fn a_write_undone_does_not_open_a_playbooks_tasks_again() {
    let b = book();
    let config = b.with_config(
        "[[playbooks]]\nname = \"Renewal prep\"\ntrigger = \"renewal\"\ndays = 30\n\
         tasks = [{ title = \"Send the renewal quote\", due_days = 0 }]\n",
    );
    // CRM-0002 renews in 24 days: the snapshot opens its task.
    b.run_with(&config, &["snapshot"]);
    let quote = |all: bool| -> Vec<Value> {
        let mut args = vec!["task", "list", "CRM-0002", "--format", "json"];
        if all {
            args.push("--all");
        }
        serde_json::from_str::<Vec<Value>>(&b.run_with(&config, &args)).unwrap()
    };
    assert_eq!(quote(false).len(), 1, "{:?}", quote(true));
    b.run_with(&config, &["task", "done", "Send the renewal quote", "--account", "CRM-0002"]);
    b.run_with(&config, &["renew", "CRM-0002", "--until", "+1y"]);
    let undone = b.run_with(&config, &["undo"]);
    assert!(!undone.contains("opened 1 task"), "{undone}");
    assert!(quote(false).is_empty(), "no task opened again: {:?}", quote(true));
    assert_eq!(quote(true).len(), 1, "the done one alone: {:?}", quote(true));
}

/// A task named by words that fit several is the one that is yours, where exactly one is (`me`
/// set): a playbook's "Send the renewal quote" on many accounts was refused as ambiguous.
#[test]
fn a_task_named_by_words_several_share_is_yours() {
    let b = book();
    b.run(&["task", "add", "CRM-0001", "Send the deck", "--due", "fri"]);
    b.run(&["task", "add", "CRM-0002", "Send the deck", "--due", "fri"]);
    let err = b.refused(&["task", "done", "send the deck"]);
    assert!(err.contains("could be 2 open tasks"), "{err}");
    let ben = b.with_config("me = \"ben\"\n");
    let out = b.run_with(&ben, &["task", "done", "send the deck"]);
    assert!(out.contains("Company 1: task \"Send the deck\" done"), "{out}");
    let open: Vec<String> =
        b.json(&["task", "list"]).iter().map(|t| t["account"].as_str().unwrap().to_string()).collect();
    assert_eq!(open, ["Company 2"], "Liam's is left open");
}

/// A CRM's task moved to another day is that task, due then (it was added as a second, the first
/// left open and late); where the account has two open tasks of that title, or none open, a row
/// of another day is a task of its own.
#[test]
fn a_task_moved_to_another_day_is_that_task_rescheduled() {
    let b = book();
    let first = b.file("crm_tasks.csv", "Account,Task,Due\nCRM-0001,Follow up on adoption,2026-11-24\n");
    assert!(b.run(&["import", "tasks", &first]).contains("1 new"));
    let moved = b.file("crm_tasks_moved.csv", "Account,Task,Due\nCRM-0001,Follow up on adoption,2026-12-20\n");
    let out = b.run(&["import", "tasks", &moved]);
    assert!(out.contains("0 new, 1 updated, 0 unchanged"), "{out}");
    let tasks: Vec<Value> = b.tasks().into_iter().filter(|t| t["task"] == "Follow up on adoption").collect();
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    assert_eq!(tasks[0]["due"], "2026-12-20", "{tasks:?}");
    assert!(b.run(&["import", "tasks", &moved]).contains("0 new, 0 updated, 1 unchanged"));
    // A file with it and another of that title: the other is one of its own. Then two are open:
    // which moved is not known; a third of its own.
    let both = b.file(
        "both.csv",
        "Account,Task,Due\nCRM-0001,Follow up on adoption,2026-12-20\nCRM-0001,Follow up on adoption,2026-12-22\n",
    );
    assert!(b.run(&["import", "tasks", &both]).contains("1 new, 0 updated, 1 unchanged"));
    let third = b.file("third.csv", "Account,Task,Due\nCRM-0001,Follow up on adoption,2026-12-30\n");
    assert!(b.run(&["import", "tasks", &third]).contains("1 new"));
    // None open (done): a new one.
    let other = b.file("other.csv", "Account,Task,Due\nCRM-0002,Send the QBR deck,2026-11-20\n");
    b.run(&["import", "tasks", &other]);
    b.run(&["task", "done", "send the qbr deck"]);
    let next = b.file("next.csv", "Account,Task,Due\nCRM-0002,Send the QBR deck,2027-02-20\n");
    assert!(b.run(&["import", "tasks", &next]).contains("1 new"));
}

/// A playbook scoped to lifecycle stages and segments opens tasks on those accounts only, and a
/// no_touch playbook may give its own days ("onboarding accounts with no touch in 14 days" could
/// not be said: no stage or segment filter, and no_touch refused days).
#[test]
fn a_playbook_scoped_to_a_stage_opens_tasks_on_those_accounts_only() {
    let b = book();
    let accounts = b.json(&["export", "accounts"]);
    let at = |stage: &str| {
        accounts
            .iter()
            .find(|a| a["stage"] == stage && a["status"] == "active")
            .unwrap_or_else(|| panic!("an account at {stage}: {accounts:?}"))["external_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (onboarding, adoption) = (at("onboarding"), at("adoption"));
    let config = b.with_config(
        "[[playbooks]]\nname = \"Onboarding risk\"\ntrigger = \"risk\"\nstages = [\"onboarding\"]\n\
         tasks = [{ title = \"Call the sponsor\", due_days = 1 }]\n\n\
         [[playbooks]]\nname = \"Quiet onboarding\"\ntrigger = \"no_touch\"\ndays = 14\nstages = [\"onboarding\"]\n\
         tasks = [{ title = \"Check in\", due_days = 1 }]\n",
    );
    let said = b.run_with(&config, &["log", "risk", &onboarding, "Budget cut"]);
    assert!(said.contains("playbook \"Onboarding risk\""), "{said}");
    let said = b.run_with(&config, &["log", "risk", &adoption, "Budget cut"]);
    assert!(!said.contains("playbook"), "{said}");
    let tasks = b.tasks();
    assert_eq!(of_playbook(&tasks, "Onboarding risk").len(), 1, "{tasks:?}");
    // A segment the config does not have is refused, with the one it is like.
    let bad = b.with_config(
        "[[playbooks]]\nname = \"Big\"\ntrigger = \"risk\"\nsegments = [\"Elefant\"]\ntasks = [{ title = \"x\" }]\n",
    );
    let (ok, _, err) = tend_on(&b.path, &["--config", bad.to_str().unwrap(), "config", "check"]);
    assert!(!ok && err.contains("no segment \"Elefant\"") && err.contains("did you mean Elephant?"), "{err}");
}

/// A task nobody owns is its account's CSM's to see to: `--owner` (or `--csm`) lists it, as the
/// Team view counts it late for them (a probe's lead saw a count the list did not show).
#[test]
fn a_task_nobody_owns_is_listed_for_its_accounts_csm() {
    let b = book();
    let accounts = b.json(&["export", "accounts"]);
    let unassigned = accounts.iter().find(|a| a["csm"].is_null()).expect("the CRM file has accounts without a CSM");
    let key = unassigned["external_id"].as_str().unwrap().to_string();
    b.run(&["task", "add", &key, "Find the new champion", "--due", "-1d"]);
    let of = |name: &str| b.json(&["task", "list", "--csm", name]);
    assert!(of("Maya Patel").iter().all(|t| t["task"] != "Find the new champion"), "not Maya's yet");
    let file = b.file("owners.csv", &format!("External ID,CSM\n{key},Maya Patel\n"));
    b.run(&["import", "accounts", &file]);
    let mine = of("Maya Patel");
    let task = mine.iter().find(|t| t["task"] == "Find the new champion");
    assert!(task.is_some_and(|t| t["owner"].is_null()), "{mine:?}");
    assert_eq!(of("maya patel"), b.json(&["task", "list", "--owner", "Maya Patel"]), "--csm is --owner");
    assert!(of("Ben Okafor").iter().all(|t| t["task"] != "Find the new champion"), "not another CSM's");
}

/// A lead hands an account to another CSM by name (the one rule for names), someone new only
/// with --new-csm; handing it to its own CSM, or to a name the book lacks, changes nothing; undo
/// hands it back. The Team view counts it on its new CSM's line.
#[test]
fn an_account_is_handed_to_another_csm_and_back() {
    let b = book();
    let accounts = b.json(&["export", "accounts"]);
    let maya = accounts.iter().find(|a| a["csm"] == "Maya Patel").unwrap()["external_id"].as_str().unwrap().to_string();
    let owner = |key: &str| {
        b.json(&["export", "accounts"]).into_iter().find(|a| a["external_id"] == key).unwrap()["csm"].clone()
    };
    let team = |csm: &str| -> i64 {
        let doc: Value = serde_json::from_str(&b.run(&["report", "team", "--format", "json"])).unwrap();
        doc["rows"].as_array().unwrap().iter().find(|r| r["csm"] == csm).map_or(0, |r| r["accounts"].as_i64().unwrap())
    };
    let (maya_had, ben_had) = (team("Maya Patel"), team("Ben Okafor"));
    let said = b.run(&["assign", &maya, "ben"]);
    assert!(said.contains("handed from Maya Patel to Ben Okafor"), "{said}");
    assert_eq!(owner(&maya), "Ben Okafor");
    assert_eq!((team("Maya Patel"), team("Ben Okafor")), (maya_had - 1, ben_had + 1));
    let err = b.refused(&["assign", &maya, "Ben Okafor"]);
    assert!(err.contains("is Ben Okafor's already; nothing was changed"), "{err}");
    let err = b.refused(&["assign", &maya, "Priya Shah"]);
    assert!(err.contains("no CSM is called \"Priya Shah\"") && err.contains("--new-csm"), "{err}");
    let said = b.run(&["assign", &maya, "Priya  Shah", "--new-csm"]);
    assert!(said.contains("handed from Ben Okafor to Priya Shah"), "{said}");
    assert!(b.run(&["undo"]).contains("Undone: "));
    assert!(b.run(&["undo"]).contains("Undone: "));
    assert_eq!(owner(&maya), "Maya Patel", "handed back");
    // Undone, Priya, new with the hand-over, is gone with it.
    assert!(b.refused(&["assign", &maya, "Priya"]).contains("no CSM is called \"Priya\""));
    // Someone new is taken by the name as written: the start of another's is not them.
    let said = b.run(&["assign", &maya, "Li", "--new-csm"]);
    assert!(said.contains("to Li (new to the book)"), "{said}");
    assert!(b.run(&["undo"]).contains("Undone: "));
    // One the book had before a hand-over stays when it is undone, owning nothing or not.
    let other = accounts.iter().find(|a| a["csm"] == "Maya Patel" && a["external_id"] != maya.as_str()).unwrap();
    let other = other["external_id"].as_str().unwrap().to_string();
    b.run(&["assign", &maya, "Dana Whit", "--new-csm"]);
    b.run(&["assign", &maya, "Maya Patel"]);
    let said = b.run(&["assign", &other, "dana"]);
    assert!(said.contains("to Dana Whit") && !said.contains("new to the book"), "{said}");
    assert!(b.run(&["undo"]).contains("Undone: "));
    assert!(b.run(&["assign", &other, "dana"]).contains("to Dana Whit"), "Dana stays in the book");
    b.run(&["undo"]);

    // Her open tasks there go with the account; a task another owns there, and a closed one, stay.
    b.run(&["task", "add", &maya, "Chase the renewal", "--due", "-3d"]);
    b.run(&["task", "add", &maya, "Send the deck", "--due", "fri", "--owner", "Liam Chen"]);
    b.run(&["task", "add", &maya, "Kick-off", "--due", "-5d"]);
    b.run(&["task", "done", "Kick-off"]);
    let owners = || -> Vec<(String, String)> {
        let tasks = b.json(&["task", "list", &maya, "--all"]);
        tasks
            .iter()
            .map(|t| (t["task"].as_str().unwrap().to_string(), t["owner"].as_str().unwrap().to_string()))
            .collect()
    };
    let had = owners();
    let said = b.run(&["assign", &maya, "ben"]);
    assert!(said.contains("handed from Maya Patel to Ben Okafor, with its open task"), "{said}");
    assert!(said.contains("; an open task of Liam Chen's there stays theirs"), "{said}");
    let now = owners();
    let of = |list: &[(String, String)], title: &str| list.iter().find(|(t, _)| t == title).unwrap().1.clone();
    assert_eq!(of(&now, "Chase the renewal"), "Ben Okafor");
    assert_eq!((of(&now, "Send the deck"), of(&now, "Kick-off")), ("Liam Chen".into(), "Maya Patel".into()));
    assert!(b.run(&["undo"]).contains("Undone: "));
    assert_eq!(owners(), had, "the tasks handed back with the account");
}

/// Someone leaving: every live account of theirs goes to another CSM in one change, with the open
/// tasks they own there; their churned accounts and their tasks on others' accounts stay theirs,
/// said; a new name like one of the book's is said as a likely typo; one undo hands them all back.
#[test]
fn a_csm_s_whole_book_is_handed_over_and_back() {
    let b = book();
    let accounts = b.json(&["export", "accounts"]);
    let mayas: Vec<String> = accounts
        .iter()
        .filter(|a| a["csm"] == "Maya Patel")
        .map(|a| a["external_id"].as_str().unwrap().to_string())
        .collect();
    assert!(mayas.len() >= 3, "{mayas:?}");
    let bens = accounts.iter().find(|a| a["csm"] == "Ben Okafor").unwrap()["external_id"].as_str().unwrap().to_string();
    b.run(&["churn", &mayas[0], "--reason", "Budget cut"]);
    b.run(&["task", "add", &mayas[1], "Chase the renewal", "--due", "-3d", "--owner", "Maya Patel"]);
    b.run(&["task", "add", &bens, "Shadow the QBR", "--due", "fri", "--owner", "Maya Patel"]);
    let owners = || -> Vec<(String, Option<String>)> {
        let accounts = b.json(&["export", "accounts"]);
        accounts
            .iter()
            .map(|a| (a["external_id"].as_str().unwrap().to_string(), a["csm"].as_str().map(str::to_string)))
            .collect()
    };
    let before = owners();
    let said = b.run(&["handover", "maya", "Ben Okafor"]);
    let live = mayas.len() - 1;
    // The accounts it moved, the first three by name.
    let name_of = |key: &str| -> String {
        accounts.iter().find(|a| a["external_id"] == key).unwrap()["name"].as_str().unwrap().to_string()
    };
    let named: Vec<String> = mayas[1..].iter().take(3).map(|k| name_of(k)).collect();
    let more = if live > 3 { format!(" and {} more", live - 3) } else { String::new() };
    assert!(
        said.starts_with(&format!(
            "handed {live} accounts ({}{more}) from Maya Patel to Ben Okafor, with 1 open task",
            named.join(", ")
        )),
        "{said}"
    );
    assert!(said.contains("; 1 churned account stays Maya Patel's"), "{said}");
    assert!(said.contains("; 1 open task on others' accounts stays Maya Patel's"), "{said}");
    let after = owners();
    let csm_of = |list: &[(String, Option<String>)], key: &str| list.iter().find(|(k, _)| k == key).unwrap().1.clone();
    assert_eq!(csm_of(&after, &mayas[0]).as_deref(), Some("Maya Patel"), "a churned account stays hers");
    for key in &mayas[1..] {
        assert_eq!(csm_of(&after, key).as_deref(), Some("Ben Okafor"), "{key}");
    }
    let task_owner = |title: &str| {
        let tasks = b.json(&["task", "list", "--all"]);
        tasks.iter().find(|t| t["task"] == title).unwrap()["owner"].as_str().unwrap().to_string()
    };
    assert_eq!(task_owner("Chase the renewal"), "Ben Okafor");
    assert_eq!(task_owner("Shadow the QBR"), "Maya Patel");
    // Listed for undo as the accounts it changed, not under its first account's name.
    let undo = b.json(&["undo", "--list"]);
    assert_eq!(undo[0]["account"], format!("{live} accounts"), "{undo:?}");
    // Nothing left to hand over, and the same CSM, change nothing.
    assert!(
        b.refused(&["handover", "Maya Patel", "Ben"]).contains("Maya Patel owns no live account; nothing was changed")
    );
    assert!(b.refused(&["handover", "Ben", "ben okafor"]).contains("the same CSM; nothing was changed"));
    // One undo hands them all back, said as the whole change.
    let undone = b.run(&["undo"]);
    assert!(undone.starts_with(&format!("Undone: handed {live} accounts from Maya Patel to Ben Okafor")), "{undone}");
    assert_eq!(owners(), before);
    assert_eq!(task_owner("Chase the renewal"), "Maya Patel");
    // A new name like one the book has is said as a likely typo, on one account or a whole book.
    let said = b.run(&["handover", "Maya Patel", "Ben Okafur", "--new-csm"]);
    assert!(said.contains("to Ben Okafur (new to the book: the book has Ben Okafor, misspelt?)"), "{said}");
    assert!(said.trim_end().ends_with("; `tend undo` takes it back"), "{said}");
    // The way back is said when it is made, not again in what its undo says.
    let undone = b.run(&["undo"]);
    assert!(
        undone.contains("misspelt?)") && undone.ends_with(": taken back\n") && !undone.contains("`tend undo`"),
        "{undone}"
    );
    let said = b.run(&["assign", &bens, "Maya Patell", "--new-csm"]);
    assert!(said.contains("(new to the book: the book has Maya Patel, misspelt?"), "{said}");
}

/// A preview leaves the book's file as it was even where another tend left its write-ahead log
/// unmerged (killed mid-session): it reads the log and leaves it for the next tend to merge (a
/// preview after a killed tend changed the file's bytes, the book the same).
#[test]
fn a_preview_leaves_a_write_ahead_log_as_it_found_it() {
    let b = book();
    let ahead = (chrono::Local::now().date_naive() + chrono::Duration::days(7)).to_string();
    // sqlite3 (which `.ci/run` installs) told not to merge its log on closing, as a tend killed
    // mid-session leaves it: its write stays in the log, and no other program has the book open.
    let sqlite3 = std::process::Command::new("sqlite3")
        .arg(&b.path)
        .args([".dbconfig no_ckpt_on_close on", "UPDATE accounts SET notes = 'left in the log' WHERE id = 1;"])
        .output()
        .expect("sqlite3 runs");
    assert!(sqlite3.status.success(), "{}", String::from_utf8_lossy(&sqlite3.stderr));
    let mut wal = b.path.as_os_str().to_owned();
    wal.push("-wal");
    assert!(std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0), "the write is in the log");
    let before = std::fs::read(&b.path).unwrap();
    let report = b.run(&["--as-of", &ahead, "report", "triage", "--format", "json"]);
    assert!(report.contains("\"rank\": 1"), "{report}");
    let found = b.run(&["--as-of", &ahead, "search", "left in the log"]);
    assert!(
        found.contains("account notes") && found.contains("left in the log"),
        "the write in the log is read: {found}"
    );
    assert!(std::fs::read(&b.path).unwrap() == before, "the book's file is byte for byte as it was");
}
