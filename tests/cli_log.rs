//! `tend log`, `goal`, `milestone` and `journey` through the real binary against a temp book.

mod common;

use std::path::Path;

use common::*;
use tend::store::{NewAccount, Store};

struct Book {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

/// Two accounts sharing a name prefix, one started 200 days ago with a renewal in 100 days.
fn book() -> Book {
    let (dir, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    store
        .write(|w| {
            let csm = w.csm_id("Ana Okafor")?;
            w.insert_account(&NewAccount {
                csm_id: Some(csm),
                customer_since: Some(today() - chrono::Duration::days(200)),
                renewal_date: Some(today() + chrono::Duration::days(100)),
                ..NewAccount::new("ACME-1", "Acme Analytics")
            })?;
            w.insert_account(&NewAccount::new("ACME-2", "Acme Foods"))?;
            Ok(())
        })
        .unwrap();
    Book { _dir: dir, path }
}

fn counts(path: &Path) -> (usize, usize, usize) {
    let store = Store::open(path).unwrap();
    let mut n = (0, 0, 0);
    for (id, _) in store.account_names().unwrap() {
        n.0 += store.entries_for(id).unwrap().len();
        n.1 += store.goals_for(id).unwrap().len();
        n.2 += store.milestones_for(id).unwrap().len();
    }
    n
}

#[test]
fn each_entry_kind_logs_and_reports_the_change() {
    let b = book();
    let (ok, out, err) = tend_on(&b.path, &["log", "sentiment", "ACME-1", "7", "--note", "happy with support"]);
    assert!(ok, "{err}");
    assert!(out.contains("Acme Analytics: no score -> ") && out.contains("CSM sentiment 7/10 (first data)"), "{out}");
    for args in [
        vec!["log", "touch", "Acme An", "call", "--note", "renewal chat"],
        vec!["log", "nps", "ACME-1", "9"],
        vec!["log", "bug", "ACME-1", "Export fails", "--date", "2026-11-01", "--closed", "2026-11-10"],
        vec!["log", "risk", "ACME-1", "Champion leaving"],
    ] {
        let (ok, out, err) = tend_on(&b.path, &args);
        assert!(ok, "{args:?}: {err}");
        assert!(out.starts_with("Acme Analytics: "), "{out}");
    }
    assert_eq!(counts(&b.path).0, 5);
    let (ok, out, _) = tend_on(&b.path, &["log", "list", "ACME-1"]);
    assert!(ok);
    assert!(out.contains("7/10 · happy with support") && out.contains("Export fails (closed 2026-11-10)"), "{out}");
}

#[test]
fn backdating_with_date_is_kept() {
    let b = book();
    let (ok, _, err) = tend_on(&b.path, &["log", "sentiment", "ACME-1", "3", "--date", "2026-10-01"]);
    assert!(ok, "{err}");
    let store = Store::open(&b.path).unwrap();
    let e = &store.entries_for(1).unwrap()[0];
    assert_eq!(e.day.to_string(), "2026-10-01");
}

#[test]
fn every_refusal_names_the_problem_and_writes_nothing() {
    let b = book();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["log", "sentiment", "ACME-1", "11"], "sentiment score: 11 is out of range 1-10; nothing was logged"),
        (vec!["log", "sentiment", "ACME-1", "0"], "out of range 1-10"),
        (vec!["log", "nps", "ACME-1", "-1"], "score: -1 is out of range 0-10"),
        (vec!["log", "sentiment", "ACME-1", "5.5"], "\"5.5\" is not a whole number: scores are whole points"),
        (vec!["log", "csat", "ACME-1", "4.5"], "\"4.5\" is not a whole number"),
        (vec!["log", "sentiment", "ACME-1", "5", "--date", "2026-02-30"], "date: \"2026-02-30\" is not a date"),
        (vec!["log", "sentiment", "ACME-1", "5", "--date", "a while ago"], "is not a date"),
        (vec!["log", "sentiment", "ACME-1", "5", "--date", "2026-12-24"], "in the future"),
        (vec!["log", "sentiment", "Globex", "5"], "no account matches \"Globex\""),
        (
            vec!["log", "sentiment", "Acme", "5"],
            "matches more than one account: Acme Analytics (ACME-1), Acme Foods (ACME-2)",
        ),
        (vec!["log", "touch", "ACME-1", "fax"], "kind: \"fax\" is not one of call, email, meeting, qbr, onsite"),
        (vec!["log", "bug", "ACME-1", "  "], "a bug needs a title"),
        (
            vec!["log", "bug", "ACME-1", "Crash", "--date", "2026-11-10", "--closed", "2026-11-01"],
            "closed: 2026-11-01 is before",
        ),
        (vec!["goal", "add", "ACME-1", "Grow", "--status", "late"], "status: \"late\" is not one of"),
        (vec!["goal", "add", "ACME-1", "Grow", "--owner", "partner"], "owner: \"partner\""),
        (vec!["goal", "add", "ACME-1", "Grow", "--target", "soon"], "target: \"soon\" is not a date"),
        (
            vec!["goal", "add", "ACME-1", "Grow", "--target", "q1 2026"],
            "target: Tue 2026-03-31 is before the goal is set",
        ),
        (vec!["goal", "status", "999", "achieved"], "no goal with id 999"),
        (
            vec!["milestone", "add", "ACME-1", "rollout", "Go live", "--due", "2026-12-01"],
            "journey: \"rollout\" is not a journey",
        ),
        (
            vec!["milestone", "add", "ACME-1", "adoption", "Go live", "--due", "1/2"],
            "due: \"1/2\" is not a date: 1/2 is feb 1 or jan 2",
        ),
        (vec!["milestone", "add", "ACME-1", "adoption", "Go live", "--due", "Dec 41"], "due: \"Dec 41\" is not a date"),
        (vec!["milestone", "done", "999"], "no milestone with id 999"),
        (vec!["journey", "apply", "ACME-2", "onboarding"], "no customer-since date"),
        (vec!["journey", "apply", "ACME-1", "nowhere"], "journey: \"nowhere\""),
    ];
    for (args, expected) in cases {
        let (ok, _, err) = tend_on(&b.path, &args);
        assert!(!ok, "{args:?} should be refused");
        assert!(err.contains(expected), "{args:?}: expected {expected:?} in {err:?}");
        assert!(!err.contains("panicked"), "{err}");
    }
    assert_eq!(counts(&b.path), (0, 0, 0));
    // A goal over and done is written with its target behind it.
    let (ok, out, err) =
        tend_on(&b.path, &["goal", "add", "ACME-1", "Grow", "--target", "q1 2026", "--status", "achieved"]);
    assert!(ok && out.contains("2026-03-31"), "{out}{err}");
}

#[test]
fn goals_and_milestones_round_trip() {
    let b = book();
    let (ok, out, err) = tend_on(
        &b.path,
        &["goal", "add", "ACME-1", "Cut onboarding to a week", "--measure", "days", "--target", "2027-03-01"],
    );
    assert!(ok, "{err}");
    assert!(out.contains("goal set (on track, by Mon 2027-03-01)"), "{out}");
    let (ok, out, _) = tend_on(&b.path, &["goal", "list", "ACME-1"]);
    assert!(ok && out.contains("on_track") && out.contains("Cut onboarding to a week"), "{out}");
    let id = out.lines().nth(1).unwrap().split_whitespace().next().unwrap().to_string();
    let (ok, out, err) = tend_on(&b.path, &["goal", "status", &id, "off-track", "--note", "slipped"]);
    assert!(ok, "{err}");
    // The "on track" a goal is set with was no news (writing a goal down lifted health): its
    // first review is the factor's first data.
    assert!(out.contains("Goals on track 0% (first data)"), "{out}");

    let (ok, out, err) = tend_on(&b.path, &["journey", "apply", "ACME-1", "renewal"]);
    assert!(ok, "{err}");
    assert!(out.contains("renewal journey planned (2 milestones)"), "{out}");
    let (ok, out, _) = tend_on(&b.path, &["milestone", "list", "ACME-1"]);
    assert!(ok && out.contains("Renewal call") && out.contains("due"), "{out}");
    let (ok, _, err) =
        tend_on(&b.path, &["milestone", "add", "ACME-1", "adoption", "Second team live", "--due", "2026-11-01"]);
    assert!(ok, "{err}");
    let (_, out, _) = tend_on(&b.path, &["milestone", "list", "ACME-1"]);
    let overdue = out.lines().find(|l| l.contains("Second team live")).unwrap().to_string();
    assert!(overdue.contains("overdue"), "{out}");
    let id = overdue.split_whitespace().next().unwrap().to_string();
    let (ok, _, err) = tend_on(&b.path, &["milestone", "done", &id, "--date", "2026-11-20"]);
    assert!(ok, "{err}");
    let (_, out, _) = tend_on(&b.path, &["milestone", "list"]);
    let done = out.lines().find(|l| l.contains("Second team live")).unwrap();
    assert!(done.contains("done") && done.contains("2026-11-20"), "{out}");
    // Done again: refused with the day it was done, and the day stays; --force moves it.
    let (ok, _, err) = tend_on(&b.path, &["milestone", "done", &id]);
    assert!(!ok && err.contains("was already done on 2026-11-20") && err.contains("--force"), "{err}");
    let (_, out, _) = tend_on(&b.path, &["milestone", "list"]);
    assert!(out.lines().find(|l| l.contains("Second team live")).unwrap().contains("2026-11-20"), "{out}");
    let (ok, _, err) = tend_on(&b.path, &["milestone", "done", &id, "--force", "--date", "2026-11-21"]);
    assert!(ok, "{err}");
    let (_, out, _) = tend_on(&b.path, &["milestone", "list"]);
    assert!(out.lines().find(|l| l.contains("Second team live")).unwrap().contains("2026-11-21"), "{out}");
}

#[test]
fn logging_needs_an_existing_book() {
    let (dir, _) = temp_db();
    let missing = dir.path().join("nothing-here.db");
    let (ok, _, err) = tend_on(&missing, &["log", "sentiment", "X", "5"]);
    assert!(!ok && err.contains("no book at"), "{err}");
    assert!(!missing.exists());
}

#[test]
fn empty_lists_say_so() {
    let b = book();
    let (ok, out, _) = tend_on(&b.path, &["goal", "list"]);
    assert!(ok);
    assert_eq!(out.trim(), "(no goals)");
}

#[test]
fn an_error_says_its_reason_once() {
    let b = book();
    for args in [
        vec!["churn", "ACME-1", "--reason", "x", "--date", "2099-01-01"],
        vec!["renew", "ACME-1", "--until", "2099-06-01", "--date", "2099-01-01"],
    ] {
        let (ok, _, err) = tend_on(&b.path, &args);
        assert!(!ok, "{args:?}");
        assert_eq!(err.matches("is in the future").count(), 1, "{args:?}: {err}");
    }
}

/// Days as people type them, echoed back as the day they named.
#[test]
fn relative_days_are_understood_and_echoed() {
    let (_dir, path) = temp_db();
    let mut store = tend::store::Store::open(&path).unwrap();
    store.write(|w| w.insert_account(&tend::store::NewAccount::new("ACME-1", "Acme Corp")).map(|_| ())).unwrap();
    drop(store);
    // TODAY is a Monday.
    let (ok, out, err) = tend_on(&path, &["log", "sentiment", "ACME-1", "6", "--date", "-3d"]);
    assert!(ok, "{err}");
    let three_ago = (today() - chrono::Duration::days(3)).format("%a %Y-%m-%d").to_string();
    assert!(out.contains(&format!("logged for {three_ago}")), "{out}");
    let (ok, out, err) = tend_on(&path, &["milestone", "add", "ACME-1", "onboarding", "Kickoff", "--due", "+2w"]);
    assert!(ok, "{err}");
    let due = (today() + chrono::Duration::days(14)).format("%a %Y-%m-%d").to_string();
    assert!(out.contains(&format!("due {due}")), "{out}");
    let (ok, _, err) = tend_on(&path, &["log", "touch", "ACME-1", "call", "--date", "tomorrow"]);
    assert!(!ok && err.contains("in the future"), "a typed day is checked like any other: {err}");
}

/// Delete and undo from the shell: each command is its own session, and `tend undo` takes back
/// the command line's last change, a delete included.
#[test]
fn delete_and_undo_from_the_shell() {
    let (_dir, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    store.write(|w| w.insert_account(&NewAccount::new("ACME-1", "Acme Corp")).map(|_| ())).unwrap();
    drop(store);
    let (ok, _, err) = tend_on(&path, &["undo"]);
    assert!(!ok && err.contains("nothing to undo"), "{err}");
    // `list` where the number goes, as other commands say it, is pointed to `--list`.
    let (ok, _, err) = tend_on(&path, &["undo", "list"]);
    assert!(!ok && err.contains("the changes are listed with `tend undo --list`"), "{err}");
    assert!(tend_on(&path, &["log", "touch", "ACME-1", "call", "--note", "first call"]).0);
    // As a file's activity type reads: "Zoom" is a meeting.
    let (ok, out, err) = tend_on(&path, &["log", "touch", "ACME-1", "Zoom", "--note", "demo"]);
    assert!(ok && out.contains("meeting"), "{out}{err}");
    assert!(tend_on(&path, &["log", "sentiment", "ACME-1", "4"]).0);
    let (_, out, _) = tend_on(&path, &["log", "list", "ACME-1"]);
    let line = out.lines().find(|l| l.contains("first call")).unwrap().to_string();
    let id = line.split_whitespace().next().unwrap().to_string();
    assert!(id.parse::<i64>().is_ok(), "log list shows the entry's id first: {out}");
    let (ok, out, err) = tend_on(&path, &["log", "delete", &id]);
    assert!(ok && out.contains("deleted"), "{err}");
    assert!(!tend_on(&path, &["log", "list", "ACME-1"]).1.contains("first call"));
    // Undo brings the deleted touch back, then the sentiment goes.
    let (ok, out, err) = tend_on(&path, &["undo"]);
    assert!(ok && out.starts_with("Undone"), "{err}");
    assert!(tend_on(&path, &["log", "list", "ACME-1"]).1.contains("first call"));
    assert!(tend_on(&path, &["undo"]).0);
    assert!(!tend_on(&path, &["log", "list", "ACME-1"]).1.contains("4/10"), "the sentiment is undone");
    let (ok, _, err) = tend_on(&path, &["goal", "delete", "999"]);
    assert!(!ok && err.contains("no goal with id 999"), "{err}");
}

#[test]
fn goals_and_milestones_are_named_by_their_words() {
    let b = book();
    for account in ["ACME-1", "ACME-2"] {
        let (ok, _, err) = tend_on(&b.path, &["goal", "add", account, "Cut onboarding to a week"]);
        assert!(ok, "{err}");
    }
    let (ok, _, err) = tend_on(&b.path, &["milestone", "add", "ACME-1", "ADOPT", "Second team live", "--due", "+2w"]);
    assert!(ok, "journeys by the name rule, any case and a start: {err}");
    // The same goal set again on one account (a command run twice) is refused, nothing written:
    // two goals of one name could not be told apart by it.
    let before = std::fs::read(&b.path).unwrap();
    let (ok, _, err) = tend_on(&b.path, &["goal", "add", "ACME-1", "cut  onboarding to a WEEK"]);
    assert!(!ok && err.contains("(\"Cut onboarding to a week\") is already set on this account, on track"), "{err}");
    assert_eq!(std::fs::read(&b.path).unwrap(), before);

    // The same words on two accounts: refused with each one's id and account, nothing written.
    let before = std::fs::read(&b.path).unwrap();
    let (ok, _, err) = tend_on(&b.path, &["goal", "status", "cut onb", "at_risk"]);
    assert!(!ok);
    assert!(err.contains("Acme Analytics") && err.contains("Acme Foods") && err.contains("--account"), "{err}");
    assert_eq!(std::fs::read(&b.path).unwrap(), before);

    // --account settles it; the words in any case, or their start.
    let (ok, out, err) = tend_on(&b.path, &["goal", "status", "CUT ONBOARDING", "at_risk", "--account", "acme-2"]);
    assert!(ok && out.starts_with("Acme Foods: ") && out.contains("at risk"), "{out}{err}");
    // The account first, as `milestone add` takes it (a probe's `milestone done ACCOUNT NAME`
    // was refused as an unexpected argument); not beside --account.
    let (ok, _, err) = tend_on(&b.path, &["milestone", "done", "ACME-1", "second", "--account", "ACME-1"]);
    assert!(!ok && err.contains("--account"), "{err}");
    let (ok, out, err) = tend_on(&b.path, &["milestone", "done", "acme-1", "second"]);
    assert!(ok && out.contains("Second team live"), "{out}{err}");

    // Unknown words are refused by name; a typo among one account's gets the closest.
    let (ok, _, err) = tend_on(&b.path, &["milestone", "delete", "Kickoff"]);
    assert!(!ok && err.contains("no milestone is called \"Kickoff\""), "{err}");
    let (ok, _, err) = tend_on(&b.path, &["goal", "delete", "Cut onbaording to a week", "--account", "ACME-1"]);
    assert!(!ok && err.contains("did you mean Cut onboarding to a week?"), "{err}");
    let (ok, _, err) = tend_on(&b.path, &["milestone", "add", "ACME-1", "pilot", "X", "--due", "+2w"]);
    assert!(!ok && err.contains("\"pilot\" is not a journey of the config (onboarding"), "{err}");

    // A status cannot come before the goal was set; nothing is written.
    let before = std::fs::read(&b.path).unwrap();
    let (ok, _, err) =
        tend_on(&b.path, &["goal", "status", "cut", "achieved", "--account", "ACME-1", "--date", "-30d"]);
    assert!(!ok && err.contains("before the goal was set"), "{err}");
    assert_eq!(std::fs::read(&b.path).unwrap(), before);

    // An id still works, and the goal is gone.
    let goals: Vec<serde_json::Value> =
        serde_json::from_str(&tend_on(&b.path, &["goal", "list", "ACME-1", "--format", "json"]).1).unwrap();
    let id = goals[0]["id"].as_i64().unwrap().to_string();
    let (ok, _, err) = tend_on(&b.path, &["goal", "delete", &id]);
    assert!(ok, "{err}");
    assert_eq!(counts(&b.path).1, 1);

    // Deleting it again finds nothing, and records nothing to undo.
    let (ok, _, err) = tend_on(&b.path, &["goal", "delete", &id]);
    assert!(!ok && err.contains(&format!("no goal with id {id}")), "{err}");
    let (_, list, _) = tend_on(&b.path, &["undo", "--list", "--format", "json"]);
    let changes: Vec<serde_json::Value> = serde_json::from_str(&list).unwrap();
    assert_eq!(changes[0]["change"], "goal \"Cut onboarding to a week\" deleted");
    // Done says done, and the day.
    let (ok, out, _) = tend_on(&b.path, &["milestone", "add", "ACME-2", "renewal", "Renewal call", "--due", "+1w"]);
    assert!(ok, "{out}");
    let (ok, out, err) = tend_on(&b.path, &["milestone", "done", "renewal call", "--date", "yesterday"]);
    assert!(
        ok && out.contains("milestone \"Renewal call\" done ")
            && out.contains(&(common::today() - chrono::Duration::days(1)).format("%a %Y-%m-%d").to_string()),
        "{out}{err}"
    );
}

#[test]
fn undo_lists_the_changes_and_takes_one_back_by_number() {
    let b = book();
    let (ok, _, err) = tend_on(&b.path, &["goal", "add", "ACME-1", "Launch in Spain"]);
    assert!(ok, "{err}");
    let (ok, _, err) = tend_on(&b.path, &["log", "sentiment", "ACME-2", "6"]);
    assert!(ok, "{err}");
    let (ok, _, err) = tend_on(&b.path, &["goal", "status", "launch", "at_risk"]);
    assert!(ok, "{err}");

    let (ok, out, err) = tend_on(&b.path, &["undo", "--list", "--format", "json"]);
    assert!(ok, "{err}");
    let list: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let changes: Vec<&str> = list.iter().map(|c| c["change"].as_str().unwrap()).collect();
    assert_eq!(changes, ["goal now at risk", "sentiment 6/10 logged", "goal set (on track)"], "newest first");
    assert_eq!(list[1]["account"], "Acme Foods");
    let number = |i: usize| list[i]["number"].as_i64().unwrap().to_string();

    // The goal's first change has a later one standing on it: refused, nothing written.
    let before = std::fs::read(&b.path).unwrap();
    let (ok, _, err) = tend_on(&b.path, &["undo", &number(2)]);
    assert!(!ok && err.contains("goal now at risk") && err.contains("undo that one first"), "{err}");
    assert_eq!(std::fs::read(&b.path).unwrap(), before);

    // The sentiment in the middle goes back alone; the list no longer shows it.
    let (ok, out, err) = tend_on(&b.path, &["undo", &number(1)]);
    assert!(ok && out.starts_with("Undone: Acme Foods"), "{out}{err}");
    // Said as taken back, not as if just logged.
    assert!(out.contains("logged: taken back"), "{out}");
    assert_eq!(counts(&b.path).0, 0);
    let (_, table, _) = tend_on(&b.path, &["undo", "--list"]);
    assert!(table.starts_with("NUMBER") && !table.contains("sentiment") && table.contains("Acme Analytics"), "{table}");
    assert!(table.contains("command line"), "where each was made: {table}");
    let (ok, _, err) = tend_on(&b.path, &["undo", &number(1)]);
    assert!(!ok && err.contains("left to undo"), "{err}");
}

/// What a new user tried on milestones: an id with the wrong --account, a done note on a
/// milestone that had one, options that plan nothing, two milestones of one name round-tripped.
#[test]
fn milestones_are_changed_only_as_asked() {
    let b = book();
    let run = |args: &[&str]| {
        let (ok, out, err) = tend_on(&b.path, args);
        assert!(ok, "{args:?}: {err}");
        out
    };
    run(&["milestone", "add", "ACME-1", "adoption", "QBR", "--due", "+2w", "--note", "Ask CFO"]);
    run(&["milestone", "add", "ACME-1", "adoption", "QBR", "--due", "+8w"]);
    let ids: Vec<String> = run(&["milestone", "list", "ACME-1", "--format", "csv"])
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 2);

    // An id that is another account's: refused, naming both, and nothing changes.
    let before = run(&["milestone", "list"]);
    let (ok, _, err) = tend_on(&b.path, &["milestone", "done", &ids[0], "--account", "ACME-2"]);
    assert!(!ok && err.contains("Acme Analytics") && err.contains("Acme Foods"), "{err}");
    assert_eq!(run(&["milestone", "list"]), before);

    // A done note is added to the milestone's own.
    run(&["milestone", "done", &ids[0], "--note", "sponsor is Jane", "--account", "ACME-1"]);
    let store = Store::open(&b.path).unwrap();
    let note = store.milestone(ids[0].parse().unwrap()).unwrap().unwrap().note;
    assert_eq!(note, "Ask CFO · sponsor is Jane");
    drop(store);

    // Planning takes no --date or --note (they were taken and ignored).
    for args in [
        vec!["journey", "apply", "ACME-1", "renewal", "--note", "from QBR"],
        vec!["milestone", "add", "ACME-1", "adoption", "Pilot", "--due", "+1w", "--date", "2026-11-01"],
    ] {
        let (ok, _, err) = tend_on(&b.path, &args);
        assert!(!ok && err.contains("unexpected argument"), "{args:?}: {err}");
    }

    // The book's own export imported back changes nothing, though two milestones share a name.
    let export = run(&["export", "milestones"]);
    let file = b._dir.path().join("milestones.csv");
    std::fs::write(&file, &export).unwrap();
    let out = run(&["import", "milestones", file.to_str().unwrap()]);
    assert!(out.contains("2 unchanged"), "{out}");
    assert_eq!(run(&["export", "milestones"]), export);
    // One of them moved in the file: that one moves, the other stays.
    let later = (today() + chrono::Duration::weeks(8)).to_string();
    let moved = (today() + chrono::Duration::weeks(9)).to_string();
    std::fs::write(&file, export.replace(&later, &moved)).unwrap();
    let out = run(&["import", "milestones", file.to_str().unwrap()]);
    assert!(out.contains("1 updated") && out.contains("1 unchanged"), "{out}");
    let dues: Vec<String> =
        run(&["export", "milestones"]).lines().skip(1).map(|l| l.split(',').nth(3).unwrap().to_string()).collect();
    assert_eq!(dues, [(today() + chrono::Duration::weeks(2)).to_string(), moved]);
}

/// A CRM file with two accounts of one name (a CRM tells them apart by id) and a name with
/// accents, imported as a user would.
#[test]
fn a_name_two_accounts_share_is_refused_and_accents_are_optional() {
    let (dir, db) = temp_db();
    let file = dir.path().join("crm.csv");
    std::fs::write(
        &file,
        "External ID,Account,CSM,ARR\n\
         CRM-1,Rivet Foods,Ana Okafor,\"$12,000\"\n\
         CRM-2,Rivet Foods,Ana Okafor,\"$48,000\"\n\
         CRM-3,\"Müller, Schmidt & Söhne GmbH\",Ana Okafor,9000\n",
    )
    .unwrap();
    let (ok, _, err) = tend_on(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    // The exact name of two accounts picks neither: it names both, with their ids.
    for query in ["Rivet Foods", "rivet foods", "Rivet"] {
        let (ok, _, err) = tend_on(&db, &["log", "sentiment", query, "6"]);
        assert!(!ok, "{query}: should be refused");
        // With their owner and ARR: an id alone had to be looked up to pick one.
        assert!(
            err.contains("Rivet Foods (CRM-1, Ana Okafor, $12k ARR), Rivet Foods (CRM-2, Ana Okafor, $48k ARR)"),
            "{query}: {err}"
        );
        // The start of the name both have whole ("Rivet") is theirs alike too: more of it
        // would not tell them apart.
        assert!(err.contains("they share the name: give the external id"), "{query}: {err}");
    }
    assert_eq!(counts(&db), (0, 0, 0));
    let (ok, out, err) = tend_on(&db, &["log", "sentiment", "CRM-2", "6"]);
    assert!(ok, "{err}");
    // The confirmation says which of the two it was logged on, as the lists name it.
    assert!(out.starts_with("Rivet Foods (CRM-2): "), "{out}");
    let (ok, out, err) = tend_on(&db, &["undo", "--list"]);
    assert!(ok && out.contains("Rivet Foods (CRM-2)"), "{out}{err}");
    let (ok, out, err) = tend_on(&db, &["log", "list", "CRM-2"]);
    assert!(ok && out.starts_with("Rivet Foods (CRM-2)\n"), "{out}{err}");
    let (ok, out, err) = tend_on(&db, &["undo"]);
    assert!(ok && out.starts_with("Undone: Rivet Foods (CRM-2): "), "{out}{err}");
    let (ok, _, err) = tend_on(&db, &["log", "sentiment", "CRM-2", "6"]);
    assert!(ok, "{err}");
    // A name typed without its accents is still the name.
    let (ok, out, err) = tend_on(&db, &["log", "sentiment", "muller", "7"]);
    assert!(ok, "{err}");
    // A name no other account has is said alone.
    assert!(out.starts_with("Müller, Schmidt & Söhne GmbH: "), "{out}");
    let store = Store::open(&db).unwrap();
    let ids: std::collections::HashMap<String, i64> =
        store.external_ids().unwrap().into_iter().map(|(id, ext)| (ext, id)).collect();
    assert_eq!(store.entries_for(ids["CRM-1"]).unwrap().len(), 0);
    assert_eq!(store.entries_for(ids["CRM-2"]).unwrap().len(), 1);
    assert_eq!(store.entries_for(ids["CRM-3"]).unwrap().len(), 1);
}

/// The same milestone added twice (a command run again) is one on the journey: the second is
/// refused, naming the first.
#[test]
fn a_milestone_added_twice_is_one() {
    let b = book();
    let add = ["milestone", "add", "ACME-1", "adoption", "Kickoff", "--due", "+7d"];
    let (ok, _, err) = tend_on(&b.path, &add);
    assert!(ok, "{err}");
    let (ok, _, err) = tend_on(&b.path, &add);
    assert!(!ok);
    assert!(err.contains("\"Kickoff\" is already planned for") && err.contains("nothing was added"), "{err}");
    // Another day, or another name, is another milestone.
    let (ok, _, err) = tend_on(&b.path, &["milestone", "add", "ACME-1", "adoption", "Kickoff", "--due", "+14d"]);
    assert!(ok, "{err}");
    assert_eq!(counts(&b.path), (0, 0, 2));
}

/// A risk is cleared and a bug closed from the shell (a probe found only the screens could):
/// the only one open, or the one named by id or words; several open and none named, one already
/// closed, a day before it was opened and words naming none are refused and change nothing;
/// `tend undo` opens it again.
#[test]
fn a_risk_is_cleared_and_a_bug_closed_from_the_shell() {
    let b = CrmBook::new(6);
    let refused = |args: &[&str]| b.refused(args);
    assert!(refused(&["log", "close", "CRM-0002"]).contains("Company 2 has no bug or risk open"));
    b.run(&["log", "risk", "CRM-0002", "Budget cut", "--date", "-10d"]);
    let said = b.run(&["log", "close", "CRM-0002"]);
    assert!(said.contains("risk: Budget cut cleared on 2026-11-23"), "{said}");
    let entries = || b.json(&["log", "list", "CRM-0002"]);
    assert_eq!(entries()[0]["what"], "Budget cut (cleared 2026-11-23)");
    b.run(&["undo"]);
    assert_eq!(entries()[0]["what"], "Budget cut (open)");
    b.run(&["log", "bug", "CRM-0002", "CSV export times out", "--date", "-2d"]);
    let err = refused(&["log", "close", "CRM-0002"]);
    assert!(
        err.contains(
            "2 are open on Company 2: bug 2 \"CSV export times out\" (opened 2026-11-21), risk 1 \"Budget cut\""
        ) && err.contains("name one by its id or words"),
        "{err}"
    );
    let err = refused(&["log", "close", "CRM-0002", "export", "--date", "-5d"]);
    assert!(err.contains("date: 2026-11-18 is before it was opened, on 2026-11-21"), "{err}");
    let err = refused(&["log", "close", "CRM-0002", "pricing"]);
    assert!(err.contains("no bug or risk of Company 2 is \"pricing\""), "{err}");
    let said = b.run(&["log", "close", "CRM-0002", "csv EXPORT", "--date", "yesterday"]);
    assert!(said.contains("bug: CSV export times out closed on 2026-11-22"), "{said}");
    let err = refused(&["log", "close", "CRM-0002", "2"]);
    assert!(
        err.contains("nothing to close: bug 2 \"CSV export times out\" (opened 2026-11-21), closed 2026-11-22"),
        "{err}"
    );
    b.run(&["log", "close", "CRM-0002", "1"]);
    let open = entries().iter().filter(|e| e["what"].as_str().unwrap().ends_with("(open)")).count();
    assert_eq!(open, 0, "{:?}", entries());
}

/// The undo list says which change a plain `tend undo` takes: the newest made from the command
/// line, not a newer one made on the screens (a probe's list did not say why the sentiment just
/// logged on the screens stayed after `tend undo`).
#[test]
fn the_undo_list_says_which_change_plain_undo_takes() {
    let b = book();
    let (ok, _, err) = tend_on(&b.path, &["log", "touch", "ACME-1", "call"]);
    assert!(ok, "{err}");
    // A sentiment on the screens, after it.
    let store = Store::open(&b.path).unwrap();
    let mut app =
        tend::tui::App::new(store, tend::config::Config::default(), today(), tend::tui::theme::Theme::plain()).unwrap();
    press(&mut app, ratatui::crossterm::event::KeyCode::Char('2'));
    press(&mut app, ratatui::crossterm::event::KeyCode::Char('s'));
    typ(&mut app, "4");
    press(&mut app, ratatui::crossterm::event::KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.form.error.clone()));
    drop(app);
    let (ok, out, err) = tend_on(&b.path, &["undo", "--list", "--format", "json"]);
    assert!(ok, "{err}");
    let list: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!((list[0]["from"].as_str(), list[1]["from"].as_str()), (Some("screens"), Some("command line")), "{out}");
    let touch = list[1]["number"].as_i64().unwrap();
    let (_, table, _) = tend_on(&b.path, &["undo", "--list"]);
    let said = format!("`tend undo` takes {touch} (the newest from the command line); `tend undo N` takes any.");
    assert!(table.trim_end().ends_with(&said), "{table}");
    let (ok, out, err) = tend_on(&b.path, &["undo"]);
    assert!(ok && out.contains("touch: call logged: taken back"), "{out}{err}");
    // The screens' sentiment stays; nothing of the command line is left, and the list says so.
    assert_eq!(counts(&b.path).0, 1);
    let (_, table, _) = tend_on(&b.path, &["undo", "--list"]);
    assert!(table.contains("`tend undo` takes none of these: none was made from the command line"), "{table}");
    // And `tend undo` names the screens' change to take back by number (it said "nothing to
    // undo" beside it).
    let sentiment = list[0]["number"].as_i64().unwrap();
    let (ok, _, err) = tend_on(&b.path, &["undo"]);
    assert!(!ok && err.contains(&format!("made from the screens, is {sentiment}: `tend undo {sentiment}`")), "{err}");
}

/// Where a later change made on the screens stands on the newest command-line change (an edit
/// of the same entry), the undo list says `tend undo` takes it only once that one is undone, as
/// `tend undo` refuses it (a probe was told "takes 10" and refused).
#[test]
fn the_undo_list_says_when_a_later_change_stands_on_plain_undos() {
    let b = book();
    let (ok, _, err) = tend_on(&b.path, &["log", "note", "ACME-1", "Winter lull"]);
    assert!(ok, "{err}");
    let mut store = Store::open(&b.path).unwrap();
    let entry = store.entries_for(store.account_names().unwrap()[0].0).unwrap();
    let id = entry.iter().find(|e| e.note == "Winter lull").map(|e| e.id).expect("the note");
    let config = tend::config::Config::default();
    let session = tend::book::log::new_session("tui");
    let mut edited = tend::domain::input::EntryInput::new(tend::domain::entry::EntryKind::Note, today());
    edited.note = "Winter lull; check back in March".into();
    let mut ctx = tend::book::log::SeamCtx::new(&mut store, &config, &session, today(), None);
    tend::book::log::edit_entry(&mut ctx, id, &edited).unwrap();
    drop(store);
    let (_, out, _) = tend_on(&b.path, &["undo", "--list", "--format", "json"]);
    let list: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let (edit, note) = (list[0]["number"].as_i64().unwrap(), list[1]["number"].as_i64().unwrap());
    let (_, table, _) = tend_on(&b.path, &["undo", "--list"]);
    let said = format!(
        "`tend undo` takes {note} (the newest from the command line) once {edit}, a later change to the same entry, \
         is undone (`tend undo {edit}`)."
    );
    assert!(table.trim_end().ends_with(&said), "{table}");
    let (ok, _, err) = tend_on(&b.path, &["undo"]);
    assert!(
        !ok && err.contains(&format!("change {edit} (note \"Winter lull; check back in March\" edited) came after it")),
        "{err}"
    );
    // The change refused is named first.
    assert!(
        err.contains(&format!("change {note} (note \"Winter lull\" logged) is not taken back: change {edit}")),
        "{err}"
    );
    let (ok, _, err) = tend_on(&b.path, &["undo", &edit.to_string()]);
    assert!(ok, "{err}");
    let (ok, out, err) = tend_on(&b.path, &["undo"]);
    assert!(ok && out.contains("note \"Winter lull\" logged: taken back"), "{out}{err}");
}
