//! Day one on a book tend did not generate: a CRM export with customers from ten years ago to
//! last week, renewals past and future, missing and odd values, imported with the default config
//! through the real binary. What it must not do: plan overdue milestones, band accounts it has no
//! data for, score days before an account was a customer, or call first data a fall.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use chrono::Duration;
use common::{TODAY, crm_file, imported_crm, temp_db, tend_on, today};
use tend::store::Store;

fn ok(db: &Path, args: &[&str]) -> String {
    let (ok, out, err) = tend_on(db, args);
    assert!(ok, "tend {args:?}: {err}");
    out
}

fn csv_rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| headers.iter().zip(r.unwrap().iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect())
        .collect()
}

#[test]
fn the_first_import_of_a_real_book_tells_the_truth() {
    let (dir, db) = temp_db();
    let file = crm_file(dir.path(), 300);
    let file = file.to_str().unwrap();

    // A dry run says how many milestones the import would plan.
    let dry = ok(&db, &["import", "accounts", file, "--dry-run"]);
    assert!(dry.contains("would plan") && dry.contains("journey milestone"), "{dry}");
    let out = ok(&db, &["import", "accounts", file]);
    assert!(out.contains("300 new"), "{out}");

    // No milestone the import planned is due before the import day, or overdue.
    let store = Store::open(&db).unwrap();
    let accounts = store.all_accounts().unwrap();
    assert_eq!(accounts.len(), 300);
    let mut planned = 0;
    for a in &accounts {
        for m in store.milestones_for(a.id).unwrap() {
            planned += 1;
            assert!(m.due >= today(), "{} ({:?}): {} due {}", a.name, a.customer_since, m.name, m.due);
            if let Some(since) = a.customer_since {
                assert!(m.due >= since, "{}: {} due before the customer started", a.name, m.name);
            }
        }
    }
    assert!(planned > 0, "the recent customers and future renewals still get their journeys");
    let dry_count: usize = dry.split("would plan ").nth(1).and_then(|s| s.split(' ').next()).unwrap().parse().unwrap();
    assert_eq!(dry_count, planned, "the dry run counted what the import planned");
    drop(store);

    // Nothing but planned milestones: no account has a score, a band or a place in triage.
    let exported = csv_rows(&ok(&db, &["export", "accounts"]));
    assert_eq!(exported.len(), 300);
    for row in &exported {
        assert_eq!((row["score"].as_str(), row["band"].as_str()), ("", ""), "{}: banded with no data", row["name"]);
        assert_eq!(row["coverage"], "0");
    }
    let triage: serde_json::Value = serde_json::from_str(&ok(&db, &["report", "triage", "--format", "json"])).unwrap();
    let listed = triage["rows"].as_array().unwrap();
    for r in listed {
        let reasons = r["reasons"].to_string();
        assert!(!reasons.contains("milestone"), "{}: an import-planned milestone is overdue: {reasons}", r["account"]);
        assert!(r["band"].is_null(), "{}: a band from no data", r["account"]);
    }

    // Data arrives for a few accounts: usage and logins weekly for six weeks, a sentiment and a
    // touch logged today. A customer of last week (CRM-0000) gets data from before its start too.
    let metrics = common::weekly_usage(&["CRM-0000", "CRM-0003", "CRM-0005"]);
    let metrics_file = dir.path().join("usage.csv");
    std::fs::write(&metrics_file, metrics).unwrap();
    ok(&db, &["import", "metrics", metrics_file.to_str().unwrap()]);
    for id in ["CRM-0000", "CRM-0003", "CRM-0005"] {
        ok(&db, &["log", "sentiment", id, "4"]);
        ok(&db, &["log", "touch", id, "call"]);
    }

    // History never starts before the customer did (a report brings it up to date first).
    ok(&db, &["snapshot"]);
    let store = Store::open(&db).unwrap();
    let window = (today() - Duration::days(182), today());
    for a in store.all_accounts().unwrap() {
        let history = store.account_history(a.id, window.0, window.1).unwrap();
        if let (Some(first), Some(since)) = (history.first(), a.customer_since) {
            assert!(first.0 >= since, "{}: a score on {} before its start on {since}", a.name, first.0);
        }
    }
    let newest = store.all_accounts().unwrap().into_iter().find(|a| a.external_id == "CRM-0000").unwrap();
    let history = store.account_history(newest.id, window.0, window.1).unwrap();
    assert!(!history.is_empty(), "the new account scores from its start");
    drop(store);

    // The first sentiment ever logged is first data, not a fall: no mover from none.
    let triage: serde_json::Value = serde_json::from_str(&ok(&db, &["report", "triage", "--format", "json"])).unwrap();
    for r in triage["rows"].as_array().unwrap() {
        let reasons = r["reasons"].to_string();
        assert!(!reasons.contains("none ->"), "{}: {reasons}", r["account"]);
    }
    let exported = csv_rows(&ok(&db, &["export", "accounts"]));
    for row in &exported {
        let scored = !row["score"].is_empty();
        let coverage: u32 = row["coverage"].parse().unwrap();
        assert_eq!(scored, coverage >= 50, "{}: score {:?} at {coverage}% coverage", row["name"], row["score"]);
    }
    assert!(exported.iter().filter(|r| !r["score"].is_empty()).count() >= 3, "the accounts with data score");
}

#[test]
fn journey_apply_plans_the_past_only_when_asked() {
    let (dir, db) = temp_db();
    let file = dir.path().join("a.csv");
    std::fs::write(&file, "External ID,Account,Customer since\nOLD-1,Old Co,2019-03-01\n").unwrap();
    ok(&db, &["import", "accounts", file.to_str().unwrap()]);
    let (fine, _, err) = tend_on(&db, &["journey", "apply", "OLD-1", "onboarding"]);
    assert!(!fine && err.contains("already past") && err.contains("--include-past"), "{err}");
    assert!(ok(&db, &["milestone", "list", "OLD-1"]).lines().all(|l| !l.contains("overdue")));
    let out = ok(&db, &["journey", "apply", "OLD-1", "ONBOARDING", "--include-past"]);
    assert!(out.contains("onboarding journey planned (4 milestones)"), "{out}");
    assert_eq!(ok(&db, &["milestone", "list", "OLD-1"]).matches("overdue").count(), 4);
    // A journey counted from the renewal names the account that has none.
    let (fine, _, err) = tend_on(&db, &["journey", "apply", "OLD-1", "renewal"]);
    assert!(
        !fine && err.contains("cannot plan the renewal journey for Old Co: the account has no renewal date"),
        "{err}"
    );
}

#[test]
fn a_journey_of_the_teams_own_works_and_outlives_its_template() {
    let (dir, db) = temp_db();
    let file = dir.path().join("a.csv");
    let renewal = today() + Duration::days(200);
    std::fs::write(&file, format!("External ID,Account,Renewal date\nQ-1,Quarterly Co,{renewal}\n")).unwrap();
    ok(&db, &["import", "accounts", file.to_str().unwrap()]);
    let config_dir = dir.path().join("config/tend");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(
        config_dir.join("config.toml"),
        "[journeys.templates.qbr]\nanchor = \"renewal\"\nmilestones = [\n  { name = \"Q1 review\", day = -180 },\n  { name = \"Q2 review\", day = -90 },\n]\n",
    )
    .unwrap();
    let out = ok(&db, &["journey", "apply", "Q-1", "qbr"]);
    assert!(out.contains("qbr journey planned (2 milestones)"), "{out}");
    ok(
        &db,
        &[
            "milestone",
            "add",
            "Q-1",
            "qbr",
            "Exec sponsor check-in",
            "--due",
            &(today() + Duration::days(30)).to_string(),
        ],
    );
    // The template goes; the milestones keep their journey's name.
    std::fs::write(config_dir.join("config.toml"), "").unwrap();
    let list = ok(&db, &["milestone", "list", "Q-1"]);
    assert_eq!(list.matches("qbr").count(), 3, "{list}");
    let (fine, _, err) = tend_on(&db, &["journey", "apply", "Q-1", "qbr"]);
    assert!(!fine && err.contains("not a journey of the config"), "{err}");
}

#[test]
fn a_churned_customer_who_comes_back_is_a_new_logo() {
    let (dir, db) = temp_db();
    let file = dir.path().join("a.csv");
    std::fs::write(&file, "External ID,Account,ARR,Customer since\nB-1,Boomerang,12000,2022-01-01\n").unwrap();
    ok(&db, &["import", "accounts", file.to_str().unwrap()]);
    ok(&db, &["churn", "B-1", "--reason", "budget", "--date", "2026-01-01"]);
    let (fine, _, err) = tend_on(&db, &["reactivate", "B-1", "--date", "2025-12-01"]);
    assert!(!fine && err.contains("before its churn"), "{err}");
    let out = ok(&db, &["reactivate", "B-1", "--date", "2026-06-01", "--arr", "$15,000"]);
    assert!(out.contains("back as a customer"), "{out}");
    let metrics = |from: &str, to: &str| -> serde_json::Value {
        let text = ok(&db, &["report", "metrics", "--from", from, "--to", to, "--format", "json"]);
        serde_json::from_str::<serde_json::Value>(&text).unwrap()["rows"][0].clone()
    };
    // The churn on 2026-01-01 is in the half-year that starts that day, not in the one before,
    // which is wholly before the book's first record: nothing measured there at all.
    assert!(metrics("2025-07-01", "2025-12-31").is_null());
    let h1 = metrics("2026-01-01", "2026-06-30");
    assert_eq!(h1["churned_arr"], 12000.0, "{h1}");
    assert_eq!(h1["new_logos"], 1, "back on 2026-06-01: a new logo of the period");
    // And in every later cohort.
    let h2 = metrics("2026-07-01", TODAY);
    assert_eq!(h2["arr_start"], 15000.0, "{h2}");
}

/// The TUI on an imported book: an account with one sentiment says "not enough data" and why,
/// never a band, and no move on its first day of data; the Portfolio says
/// "low data" for it and "no score" for an account without any data.
#[test]
fn the_tui_says_low_data_no_score_and_not_enough_data() {
    use ratatui::crossterm::event::KeyCode;
    let (dir, db) = temp_db();
    let file = dir.path().join("a.csv");
    let renewal = today() + Duration::days(20);
    std::fs::write(
        &file,
        format!("External ID,Account,ARR,Customer since,Renewal date\nT-1,Thin Co,50000,2018-05-01,{renewal}\nN-1,Nothing Co,40000,2018-05-01,{renewal}\n"),
    )
    .unwrap();
    ok(&db, &["import", "accounts", file.to_str().unwrap()]);
    ok(&db, &["log", "sentiment", "T-1", "4"]);
    let app = tend::tui::App::new(
        Store::open(&db).unwrap(),
        tend::config::Config::default(),
        today(),
        tend::tui::theme::Theme { color: false },
    )
    .unwrap();
    let mut app = app;
    common::press(&mut app, KeyCode::Char('2'));
    let portfolio = common::text(&app, 80, 24);
    let line = |name: &str| portfolio.lines().find(|l| l.contains(name)).unwrap_or_default().to_string();
    assert!(line("Thin Co").contains("low data"), "{portfolio}");
    assert!(line("Nothing Co").contains("no score"), "{portfolio}");
    common::press(&mut app, KeyCode::Char('/'));
    common::typ(&mut app, "Thin");
    common::press(&mut app, KeyCode::Enter);
    common::press(&mut app, KeyCode::Enter);
    let account = common::text(&app, 80, 24);
    assert!(account.contains("Health not enough data") || account.contains("Health  not enough data"), "{account}");
    assert!(account.contains("Moved: no earlier score to compare with yet."), "{account}");
    assert!(account.contains("Not enough data for a score (not Red)"), "{account}");
    // And what would give it one, by name (a probe pieced it together from each row).
    let wide = common::text(&app, 200, 60).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        wide.contains(
            "To get one: data for more of the factors without any, the heaviest first: Usage vs expected (weight 3)"
        ),
        "{wide}"
    );
    // The bookkeeping its profile has, by name (a new customer's has no goals factor).
    assert!(
        wide.contains("Goals on track and Overdue milestones count in a score but not toward that share"),
        "{wide}"
    );
    assert!(!account.contains("none ->") && !account.contains(" Red "), "{account}");
    assert!(account.lines().all(|l| l.chars().count() <= 80));
    // Where one factor's data would be enough on its own, it is named so.
    let rules =
        tend::config::Config::from_toml("[health]\nmin_coverage = 0.45\n", std::path::Path::new("c.toml")).unwrap();
    let mut app =
        tend::tui::App::new(Store::open(&db).unwrap(), rules, today(), tend::tui::theme::Theme { color: false })
            .unwrap();
    common::press(&mut app, KeyCode::Char('2'));
    common::press(&mut app, KeyCode::Char('/'));
    common::typ(&mut app, "Thin");
    common::press(&mut app, KeyCode::Enter);
    common::press(&mut app, KeyCode::Enter);
    let wide = common::text(&app, 200, 60).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        wide.contains("To get one: data for Usage growth (MoM) (weight 2) or ")
            && wide.contains("would be enough alone."),
        "{wide}"
    );
}

/// Renewals past their date stay on the Renewals view until renewed or churned: its title says
/// they are there, instead of promising only the next days.
#[test]
fn the_renewals_view_names_the_overdue_it_lists() {
    use ratatui::crossterm::event::KeyCode;
    let (dir, db) = temp_db();
    let file = dir.path().join("a.csv");
    let (late, soon) = (today() - Duration::days(40), today() + Duration::days(20));
    std::fs::write(&file, format!("External ID,Account,Renewal date\nL-1,Late Co,{late}\nS-1,Soon Co,{soon}\n"))
        .unwrap();
    ok(&db, &["import", "accounts", file.to_str().unwrap()]);
    let open = |db: &Path| {
        let config = tend::config::Config::default();
        tend::tui::App::new(Store::open(db).unwrap(), config, today(), tend::tui::theme::Theme { color: false })
            .unwrap()
    };
    let mut app = open(&db);
    common::press(&mut app, KeyCode::Char('4'));
    let screen = common::text(&app, 80, 24);
    assert!(screen.contains("Renewals overdue or in the next 90 days"), "{screen}");
    assert!(screen.contains("Late Co") && screen.contains("Soon Co"), "{screen}");
    // Renewed, nothing is overdue: the title is the plain one.
    ok(&db, &["renew", "L-1", "--until", &(today() + Duration::days(365)).to_string()]);
    let mut app = open(&db);
    common::press(&mut app, KeyCode::Char('4'));
    let screen = common::text(&app, 80, 24);
    assert!(screen.contains(" Renewals in the next 90 days"), "{screen}");
}

/// The milestones an import plans are kept compactly (account, step, due day) until something
/// changes one; every reader sees them as milestones, a change settles one under the same id,
/// undo brings the plan back, and milestones added later take ids no planned one holds.
#[test]
fn planned_milestones_read_change_and_undo_as_any_other() {
    let (_dir, db) = common::imported_crm(40);
    let count =
        |sql: &str| -> i64 { rusqlite::Connection::open(&db).unwrap().query_row(sql, [], |r| r.get(0)).unwrap() };
    let planned = count("SELECT count(*) FROM planned_milestones");
    assert!(planned > 0, "the import planned milestones");
    assert_eq!(count("SELECT count(*) FROM milestone_rows"), 0, "planned milestones take no full row");

    // Every reader sees them: the account's list, the whole book's list, the export.
    let store = Store::open(&db).unwrap();
    let account = store.all_accounts().unwrap().into_iter().find(|a| a.external_id == "CRM-0000").unwrap();
    let listed = store.milestones_for(account.id).unwrap();
    assert!(!listed.is_empty(), "a customer of last week has its onboarding ahead");
    assert!(listed.windows(2).all(|w| w[0].due <= w[1].due), "by due date");
    assert_eq!(listed[0].csm.as_deref(), account.csm.as_deref(), "planned for the account's CSM");
    let first = listed[0].clone();
    drop(store);
    let exported = csv_rows(&ok(&db, &["export", "milestones"]));
    assert_eq!(exported.len() as i64, planned);
    let list = ok(&db, &["milestone", "list", "CRM-0000"]);
    assert!(list.contains(&first.name) && list.contains(&first.due.to_string()), "{list}");

    // Done, with a note: settled under its id, found by search, one planned fewer.
    let id = first.id.to_string();
    ok(&db, &["milestone", "done", &id, "--note", "kickoff with the champion went well"]);
    assert_eq!(count("SELECT count(*) FROM planned_milestones"), planned - 1);
    let store = Store::open(&db).unwrap();
    let settled = store.milestone(first.id).unwrap().unwrap();
    assert_eq!((settled.done, settled.name.as_str(), settled.due), (Some(today()), first.name.as_str(), first.due));
    assert_eq!(settled.note, "kickoff with the champion went well");
    drop(store);
    let found = ok(&db, &["search", "champion"]);
    assert!(found.contains(&first.name), "{found}");
    // The JSON's flag is not said as a raw key in the text.
    assert!(found.contains("Matching: ") && !found.contains("capped"), "{found}");
    // Done again: on the same day there is nothing to change (no --force to offer); on another
    // day, --force moves it.
    let (again, _, err) = tend_on(&db, &["milestone", "done", &id]);
    assert!(!again && err.contains("nothing to change") && !err.contains("--force"), "{err}");
    let (again, _, err) = tend_on(&db, &["milestone", "done", &id, "--date", "yesterday"]);
    assert!(!again && err.contains("--force marks it done on"), "{err}");

    // Undo: not done again, the same id, the same due day.
    ok(&db, &["undo"]);
    let store = Store::open(&db).unwrap();
    let back = store.milestone(first.id).unwrap().unwrap();
    assert_eq!((back.done, back.due, back.note.as_str()), (None, first.due, ""));
    drop(store);

    // Deleted and brought back; a milestone added later takes an id above every planned one.
    ok(&db, &["milestone", "delete", &id]);
    assert!(!ok(&db, &["milestone", "list", "CRM-0000"]).contains(&first.name));
    ok(&db, &["undo"]);
    assert!(ok(&db, &["milestone", "list", "CRM-0000"]).contains(&first.name));
    ok(&db, &["milestone", "add", "CRM-0000", "adoption", "Second team live", "--due", "+2w"]);
    let newest = count("SELECT max(id) FROM milestone_rows");
    assert!(newest > count("SELECT max(id) FROM planned_milestones"), "a new milestone took a planned one's id");
    assert_eq!(
        count("SELECT count(*) FROM milestones") as usize,
        exported.len() + 1,
        "every planned milestone and the new one, none twice"
    );
}

/// The cache of factor values keeps one day per account: opening the book on each of a week of
/// days leaves as many rows as accounts, and the values read the same as from the facts.
#[test]
fn the_factor_cache_does_not_grow_with_the_days_opened() {
    let (_dir, db) = common::imported_crm(30);
    ok(&db, &["log", "sentiment", "CRM-0003", "7"]);
    let count =
        |sql: &str| -> i64 { rusqlite::Connection::open(&db).unwrap().query_row(sql, [], |r| r.get(0)).unwrap() };
    let mut exports = Vec::new();
    for back in (0..7).rev() {
        let day = (today() - Duration::days(back)).to_string();
        ok(&db, &["report", "triage", "--as-of", &day]);
        assert_eq!(count("SELECT count(*) FROM factor_snapshots"), 30, "as of {day}");
        let covering = format!("julianday('{day}') - 2440587.5 BETWEEN first AND last");
        assert_eq!(count(&format!("SELECT count(*) FROM factor_snapshots WHERE {covering}")), 30, "as of {day}");
        exports.push(ok(&db, &["export", "accounts", "--as-of", &day]));
    }
    // Today's values from the cache equal those worked out again after it is emptied.
    rusqlite::Connection::open(&db).unwrap().execute("DELETE FROM factor_snapshots", []).unwrap();
    assert_eq!(exports.last().unwrap(), &ok(&db, &["export", "accounts"]), "cached values differ from the facts'");
    let with_values = count("SELECT count(*) FROM factor_snapshots WHERE length(vals) > 0");
    assert!(with_values >= 1, "the account with a sentiment has values");
    assert!(count("SELECT count(*) FROM factor_snapshots WHERE length(vals) = 0") >= 1, "most have none");
}

/// A new day's first open works the next working day out in the same read of the facts, and
/// `tend snapshot` (or a large book left open) its list too; that day's first open then reads
/// none, and shows what working it out afresh shows, writes made in between included.
#[test]
fn the_next_working_day_is_worked_out_ahead_and_stays_true() {
    let (dir, db) = common::imported_crm(40);
    // Evidence for a score on a handful of accounts, up to last week.
    let (config, _) =
        common::with_sentiment(&db, 0..12, |i| [80, 40, 10].map(|back| (back + i, 2 + (i + back) % 8)).to_vec());
    let config = config.to_str().unwrap();
    let (monday, tuesday) = (TODAY, "2026-11-24");
    let on = |db: &Path, sql: &str| -> i64 {
        rusqlite::Connection::open(db).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
    };
    let covering = |day: &str| {
        on(
            &db,
            &format!(
                "SELECT count(*) FROM factor_snapshots WHERE julianday('{day}') - 2440587.5 BETWEEN first AND last"
            ),
        )
    };
    ok(&db, &["report", "triage", "--config", config, "--as-of", monday]);
    assert_eq!(covering(tuesday), 40, "every account's values for Tuesday came with Monday's read");
    // A sentiment logged on Monday drops that account's values, Tuesday's with them.
    ok(&db, &["log", "sentiment", "CRM-0003", "1", "--config", config, "--as-of", monday]);
    assert_eq!(covering(tuesday), 39);
    // Monday evening's snapshot works that account out again, and Tuesday's list.
    let said = ok(&db, &["snapshot", "--config", config, "--as-of", monday]);
    assert!(said.contains("Tuesday 2026-11-24 worked out ahead: its first open shows Triage at once"), "{said}");
    assert_eq!(covering(tuesday), 40);
    assert_eq!(on(&db, "SELECT count(*) FROM triage_heads WHERE day = '2026-11-24'"), 1, "Tuesday's list is kept");

    // The same book with every cache emptied: Tuesday worked out from the facts alone.
    let afresh = |name: &str| common::copy_without_caches(&db, &dir.path().join(name));
    let on_tuesday = |args: &[&str]| -> Vec<String> {
        let mut args = args.to_vec();
        args.extend(["--config", config, "--as-of", tuesday]);
        args.iter().map(|a| a.to_string()).collect()
    };
    let fresh = afresh("fresh.db");
    for args in [
        &["report", "triage", "--format", "json"][..],
        &["report", "triage", "--all", "--format", "json"],
        &["report", "team", "--format", "json"],
        &["export", "accounts"],
    ] {
        let args = on_tuesday(args);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let ahead = ok(&db, &args);
        assert_eq!(ahead, ok(&fresh, &args), "tend {args:?} differs from the facts'");
        // The team report sums the accounts; the others list the account written.
        assert!(args[1] == "team" || ahead.contains("Company 3"), "{args:?} lists the account written");
    }
    // A write on Tuesday before the list is read: the list kept ahead is not shown, the book's is.
    let args = on_tuesday(&["report", "triage", "--format", "json"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let before_write = ok(&db, &args);
    ok(&db, &["log", "sentiment", "CRM-0005", "1", "--config", config, "--as-of", tuesday]);
    let fresh = afresh("fresh2.db");
    let after_write = ok(&db, &args);
    assert_ne!(after_write, before_write, "the sentiment logged moves Company 5 in the list");
    assert_eq!(after_write, ok(&fresh, &args));
}

/// Retention on a fresh import reads nothing rather than 100% from no evidence; once a churn
/// is recorded it is measured from that day; a period asked before the records says so. The TUI's
/// Team view says the same.
#[test]
fn retention_is_measured_only_as_far_as_the_books_records_reach() {
    use ratatui::crossterm::event::KeyCode;
    let (_dir, db) = imported_crm(60);
    let json = |args: &[&str]| -> serde_json::Value {
        let mut args = args.to_vec();
        args.extend(["--format", "json"]);
        serde_json::from_str(&ok(&db, &args)).unwrap()
    };
    let fresh = json(&["report", "metrics"]);
    assert_eq!(fresh["rows"].as_array().unwrap().len(), 0, "{fresh}");
    assert!(fresh["empty"].as_str().unwrap().starts_with("no retention yet: the book's records start"), "{fresh}");
    // CSV, the rows alone, says why it is empty aside.
    let (fine, csv, err) = tend_on(&db, &["report", "metrics", "--format", "csv"]);
    assert!(fine && csv.trim().is_empty() && err.contains("no retention yet"), "{csv}{err}");
    let text = ok(&db, &["report", "metrics"]);
    assert!(text.contains("no retention yet: the book's records start"), "{text}");
    assert!(!text.contains("100.0%"), "{text}");
    let team_at = |db: &Path, width: u16| {
        let mut app = app_on(db);
        common::press(&mut app, KeyCode::Char('5'));
        common::text(&app, width, 24)
    };
    let team = |db: &Path| team_at(db, 80);
    let screen = team(&db);
    assert!(screen.contains("Retention: none yet; the book's records start"), "{screen}");
    // The book was begun today by the clock, after the test's day: said so, in both.
    let begun = chrono::Local::now().date_naive();
    if begun > today() {
        let words = screen.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(words.contains(&format!("records start {begun}, after {}", today())), "{screen}");
        assert!(text.contains(&format!("records start {begun}, after {}", today())), "{text}");
    }
    assert!(!screen.contains("NRR"), "{screen}");

    // A churn dated 40 days ago (told late, as CRMs are): measured from then.
    let churn_day = (today() - Duration::days(40)).to_string();
    ok(&db, &["churn", "CRM-0005", "--reason", "budget", "--date", &churn_day]);
    let since = json(&["report", "metrics"]);
    let title = since["title"].as_str().unwrap();
    assert!(title.starts_with(&format!("Retention {churn_day} to {TODAY} (where the book's records begin")), "{title}");
    assert_eq!(since["rows"][0]["churned"], 1, "{since}");
    // The renewals past their day with no outcome recorded are counted as kept, and said: the
    // live accounts of the period's cohort whose renewal date is by today.
    let accounts: Vec<serde_json::Value> =
        serde_json::from_str(&ok(&db, &["export", "accounts", "--format", "json"])).unwrap();
    let day = |a: &serde_json::Value, key: &str| a[key].as_str().and_then(|d| d.parse::<chrono::NaiveDate>().ok());
    let unresolved = accounts
        .iter()
        .filter(|a| a["status"] != "churned")
        .filter(|a| day(a, "renewal_date").is_some_and(|d| d <= today()))
        .filter(|a| day(a, "customer_since").is_none_or(|d| d <= today() - Duration::days(40)))
        .count();
    assert!(unresolved > 3, "the CRM file has renewals past: {unresolved}");
    assert_eq!(since["summary"]["renewals_unresolved"], unresolved, "{since}");
    let text = ok(&db, &["report", "metrics"]);
    assert!(
        text.contains(&format!("{unresolved} renewals due by {TODAY} with no renewal or churn recorded")),
        "{text}"
    );
    let screen = team(&db);
    assert!(screen.contains(&format!("Since {churn_day}, where the book's records begin: NRR")), "{screen}");
    let words = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains(&format!("{unresolved} renewals due by today with no outcome recorded count as kept")),
        "{screen}"
    );
    // Whole at 60 columns too, over more lines (a probe's lost "count as kept").
    let narrow = team_at(&db, 60);
    let words = narrow.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("with no outcome recorded count as kept"), "{narrow}");
    // Asked from earlier: measured as asked, and said to reach before the records.
    let from = (today() - Duration::days(200)).to_string();
    let asked = json(&["report", "metrics", "--from", &from]);
    let title = asked["title"].as_str().unwrap();
    assert!(title.contains(&format!("(the book's records start {churn_day}: before that")), "{title}");
    // A period wholly before the records has nothing measured in it: no rows, said why.
    let to = (today() - Duration::days(100)).to_string();
    let before = json(&["report", "metrics", "--from", &from, "--to", &to]);
    assert!(before["rows"].as_array().unwrap().is_empty(), "{before}");
    let why = before["empty"].as_str().unwrap();
    assert!(why.contains(&format!("no retention from {from} to {to}: the book's records start {churn_day}")), "{why}");
}

/// Renewals on a fresh import: the forecast says it is the no-score prior, at risk is unknown
/// rather than $0, and at 60 columns neither is cut.
#[test]
fn renewals_say_how_much_of_the_forecast_is_the_no_score_prior() {
    use ratatui::crossterm::event::KeyCode;
    let (dir, db) = imported_crm(60);
    let mut app = app_on(&db);
    common::press(&mut app, KeyCode::Char('4'));
    for width in [120, 80, 60] {
        let screen = common::text(&app, width, 24);
        assert!(screen.contains("unscored, at 60%"), "{width}: {screen}");
        assert!(screen.contains("at risk: unknown (none scored)"), "{width}: {screen}");
        assert!(!screen.contains("at risk $0"), "{width}: {screen}");
    }
    // The report says the same as the view.
    let doc: serde_json::Value = serde_json::from_str(&ok(&db, &["report", "renewals", "--format", "json"])).unwrap();
    assert!(doc["summary"]["arr_at_risk"].is_null() && doc["summary"]["renewals"].as_u64() > Some(0), "{doc}");
    // One renewal scored (a sentiment), the rest not: at risk is of that one, said so, not a
    // bare "$0" over a list of unscored renewals.
    let renewing = doc["rows"].as_array().unwrap().iter().find(|r| r["long_past"] == false).unwrap().clone();
    let name = renewing["account"].as_str().unwrap();
    let by = renewing["csm"].as_str().unwrap_or("Maya Patel");
    ok(&db, &["log", "sentiment", name, "9", "--by", by]);
    ok(&db, &["log", "touch", name, "call", "--by", by]);
    // (A book that logs bugs: none on this account is then a real 0.)
    ok(&db, &["log", "bug", "CRM-0001", "Export times out", "--by", "Ben Okafor"]);
    let day = (today() - Duration::days(2)).to_string();
    let usage = format!("account,metric,date,value\n\"{name}\",active_users,{day},12\n\"{name}\",logins,{day},30\n");
    let file = dir.path().join("usage.csv");
    std::fs::write(&file, usage).unwrap();
    ok(&db, &["import", "metrics", file.to_str().unwrap()]);
    let mut app = app_on(&db);
    common::press(&mut app, KeyCode::Char('4'));
    let screen = common::text(&app, 120, 24);
    assert!(screen.contains("(none of the 1 with a score)"), "{screen}");
    // Another, unscored, its CSM's sentiment at its worst: said at risk, and not counted as
    // scored; where the line is short, what the sum is of goes on a line of its own, whole.
    let other = doc["rows"].as_array().unwrap().iter().filter(|r| r["long_past"] == false).nth(1).unwrap().clone();
    let by = other["csm"].as_str().unwrap_or("Maya Patel");
    ok(&db, &["log", "sentiment", other["account"].as_str().unwrap(), "2", "--by", by]);
    let mut app = app_on(&db);
    common::press(&mut app, KeyCode::Char('4'));
    let screen = common::text(&app, 120, 24);
    assert!(screen.contains("(1 at risk without a score; the 1 with a score is not at risk)"), "{screen}");
    let narrow = common::text(&app, 50, 24);
    let scope: Vec<&str> = narrow.lines().map(str::trim).skip_while(|l| !l.starts_with("(1 at risk")).take(2).collect();
    assert_eq!(scope.join(" "), "(1 at risk without a score; the 1 with a score is not at risk)", "{narrow}");
    assert!(!narrow.lines().take(6).any(|l| l.contains('…')), "{narrow}");
}

/// `me` given as the start of a name (any case) is that CSM, as `--csm` is: the screens open on
/// their book and what they log is signed as them, not as a new CSM called "maya".
#[test]
fn me_given_as_the_start_of_a_name_is_that_csm() {
    let (dir, db) = temp_db();
    let file = crm_file(dir.path(), 40);
    ok(&db, &["import", "accounts", file.to_str().unwrap()]);
    let config_dir = dir.path().join("config/tend");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(config_dir.join("config.toml"), "me = \"maya\"\n").unwrap();
    // CRM-0000 is Maya Patel's (the file's first owner).
    ok(&db, &["log", "sentiment", "CRM-0000", "7"]);
    let listed: serde_json::Value =
        serde_json::from_str(&ok(&db, &["log", "list", "CRM-0000", "--format", "json"])).unwrap();
    assert_eq!(listed[0]["by"], "Maya Patel", "{listed}");
    let store = Store::open(&db).unwrap();
    let csms: Vec<String> = store.csms().unwrap().into_iter().map(|(_, n)| n).collect();
    assert!(!csms.iter().any(|n| n == "maya"), "no CSM made of `me`: {csms:?}");
    // The triage report is the reader's own list, as the screens open on it; `--csm all`
    // everyone's. (Ben's: Maya's accounts of this file have nothing on today's list.)
    std::fs::write(config_dir.join("config.toml"), "me = \"ben\"\n").unwrap();
    let csms_listed = |args: &[&str]| -> std::collections::BTreeSet<String> {
        let doc: serde_json::Value = serde_json::from_str(&ok(&db, args)).unwrap();
        doc["rows"].as_array().unwrap().iter().map(|r| r["csm"].as_str().unwrap_or_default().to_string()).collect()
    };
    let mine = csms_listed(&["report", "triage", "--all", "--format", "json"]);
    assert_eq!(mine.into_iter().collect::<Vec<_>>(), ["Ben Okafor"]);
    let everyone = csms_listed(&["report", "triage", "--all", "--csm", "all", "--format", "json"]);
    assert!(everyone.len() > 1 && everyone.contains("Liam Chen"), "{everyone:?}");
    // Renewals too, as the Renewals screen opens on them.
    let renewing = csms_listed(&["report", "renewals", "--days", "365", "--format", "json"]);
    assert_eq!(renewing.into_iter().collect::<Vec<_>>(), ["Ben Okafor"]);
    let all_renewing = csms_listed(&["report", "renewals", "--days", "365", "--csm", "all", "--format", "json"]);
    assert!(all_renewing.len() > 1, "{all_renewing:?}");
    // And the brief is of Ben's book (a probe's said 21 need attention beside their triage's 3).
    let customers = |args: &[&str]| -> u64 {
        let doc: serde_json::Value = serde_json::from_str(&ok(&db, args)).unwrap();
        doc["summary"]["book"]["customers"].as_u64().unwrap()
    };
    let bens = store.all_accounts().unwrap().iter().filter(|a| a.csm.as_deref() == Some("Ben Okafor")).count() as u64;
    assert_eq!(customers(&["report", "brief", "--format", "json"]), bens);
    assert_eq!(customers(&["report", "brief", "--csm", "all", "--format", "json"]), 40);
    // Named in its title, not on each of its accounts' lines.
    let brief = ok(&db, &["report", "brief"]);
    assert!(brief.lines().next().unwrap_or_default().ends_with("· CSM Ben Okafor"), "{brief}");
    assert!(brief.contains("  1. ") && !brief.contains("· Ben Okafor ·"), "{brief}");
    // A typo in `me` is said, not taken for a lead who owns no account: everyone's list follows.
    std::fs::write(config_dir.join("config.toml"), "me = \"Bne Okafor\"\n").unwrap();
    for (report, range) in [("triage", "--all"), ("renewals", "--days=365")] {
        let (done, out, err) = tend_on(&db, &["report", report, range, "--format", "json"]);
        assert!(done, "{err}");
        assert!(
            err.contains(
                "`me = \"Bne Okafor\"` in the config: no CSM is called \"Bne Okafor\" (did you mean Ben Okafor?)"
            ) && err.contains("everyone's list follows"),
            "{report}: {err}"
        );
        assert!(out.contains("Liam Chen"), "{report}: everyone's");
    }
    std::fs::write(config_dir.join("config.toml"), "me = \"maya\"\n").unwrap();
    let config = tend::config::Config { me: "MAYA".into(), ..Default::default() };
    let app = tend::tui::App::new(store, config, today(), tend::tui::theme::Theme::plain()).unwrap();
    let screen = common::text(&app, 100, 24);
    assert!(screen.contains("Maya Patel's book"), "{screen}");
    assert!(!screen.contains("owns no account"), "{screen}");
    assert!(!screen.contains("have no CSM"), "a team's unassigned accounts are the lead's: {screen}");
}

/// A founder's book, `me` its one CSM: the accounts with no CSM are said as tend opens on hers
/// (a probe's founder saw "30 accounts" of the 35 imported under her name, and lost one
/// renewing in 56 days); a key later, her book's line.
#[test]
fn a_solo_csms_book_says_the_accounts_with_no_csm_as_it_opens() {
    let (_dir, db, _) = import_into_new_book(
        "Account,CSM,ARR,Renewal date\nAcme,Dana,12000,2027-01-10\nBluebird,Dana,9000,2027-02-01\nCobalt,,4000,2027-01-18\nDelta,,,\n",
    );
    let config = tend::config::Config { me: "Dana".into(), ..Default::default() };
    let store = Store::open(&db).unwrap();
    let mut app = tend::tui::App::new(store, config, today(), tend::tui::theme::Theme::plain()).unwrap();
    let screen = common::text(&app, 100, 24);
    let words = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("2 accounts have no CSM, so they are not in Dana's book: v shows everyone's; `tend assign ACCOUNT CSM` gives them one."),
        "{screen}"
    );
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('1'));
    assert!(common::text(&app, 100, 24).contains("Dana's book"));
    drop(app);
    // Opened again on the list kept, before the rest of the book is read: said the same.
    let config = tend::config::Config { me: "Dana".into(), ..Default::default() };
    let app =
        tend::tui::App::new(Store::open(&db).unwrap(), config, today(), tend::tui::theme::Theme::plain()).unwrap();
    let words = common::text(&app, 100, 24).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("2 accounts have no CSM, so they are not in Dana's book"), "{words}");
}

#[test]
fn a_me_or_by_that_names_no_csm_signs_nothing() {
    let (dir, db) = temp_db();
    let file = crm_file(dir.path(), 40);
    ok(&db, &["import", "accounts", file.to_str().unwrap()]);
    let config_dir = dir.path().join("config/tend");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(config_dir.join("config.toml"), "me = \"nobody\"\n").unwrap();
    let entries = |db: &Path| {
        let store = Store::open(db).unwrap();
        store.account_names().unwrap().iter().map(|(id, _)| store.entries_for(*id).unwrap().len()).sum::<usize>()
    };
    // A typo in `me` is refused, naming the book's CSMs, rather than signing as a new CSM.
    let (done, _, err) = tend_on(&db, &["log", "sentiment", "CRM-0000", "7"]);
    assert!(!done);
    assert!(err.contains("me = \"nobody\" in the config: no CSM is called \"nobody\""), "{err}");
    assert!(err.contains("Ben Okafor") && err.contains("nothing was changed"), "{err}");
    // `config check` says so too.
    let checked = ok(&db, &["config", "check"]);
    assert!(checked.contains("# warning: me = \"nobody\": no CSM is called \"nobody\""), "{checked}");
    let (done, _, err) = tend_on(&db, &["log", "touch", "CRM-0000", "call", "--by", "Bne Okafor"]);
    assert!(!done);
    assert!(err.contains("no CSM is called \"Bne Okafor\"") && err.contains("did you mean Ben Okafor?"), "{err}");
    assert_eq!(entries(&db), 0);
    let csms: Vec<String> = Store::open(&db).unwrap().csms().unwrap().into_iter().map(|(_, n)| n).collect();
    assert!(!csms.iter().any(|n| n == "nobody" || n == "Bne Okafor"), "{csms:?}");
    // --by a CSM of the book signs as them.
    ok(&db, &["log", "touch", "CRM-0000", "call", "--by", "ben"]);
    let listed: serde_json::Value =
        serde_json::from_str(&ok(&db, &["log", "list", "CRM-0000", "--format", "json"])).unwrap();
    assert_eq!(listed[0]["by"], "Ben Okafor", "{listed}");
}

/// A milestone written down for the future is no evidence of health: on an imported account with
/// a sentiment, adding one neither lifts the score nor counts as "0 overdue"; the Account view
/// says the factor has none due yet, on one line at 60 columns.
#[test]
fn a_milestone_ahead_does_not_lift_health() {
    let (_dir, db) = imported_crm(40);
    ok(&db, &["log", "sentiment", "CRM-0001", "7"]);
    let before: serde_json::Value =
        serde_json::from_str(&ok(&db, &["export", "accounts", "--format", "json"])).unwrap();
    let out = ok(&db, &["milestone", "add", "CRM-0001", "adoption", "Kickoff", "--due", "+7d"]);
    assert!(!out.contains("Overdue milestones"), "no first data from a plan: {out}");
    let after: serde_json::Value = serde_json::from_str(&ok(&db, &["export", "accounts", "--format", "json"])).unwrap();
    let row = |doc: &serde_json::Value| {
        doc.as_array().unwrap().iter().find(|a| a["external_id"] == "CRM-0001").cloned().expect("CRM-0001")
    };
    // (Too little evidence for a score on a fresh import: the coverage would have risen.)
    assert!(row(&before)["coverage"].is_number() && row(&before)["points_sentiment"].is_number(), "{}", row(&before));
    assert_eq!((&row(&after)["score"], &row(&after)["coverage"]), (&row(&before)["score"], &row(&before)["coverage"]));
    assert!(row(&after)["points_overdue_milestones"].is_null(), "{}", row(&after));
    let store = Store::open(&db).unwrap();
    let config = tend::config::Config::default();
    let mut app = tend::tui::App::new(store, config, today(), tend::tui::theme::Theme::plain()).unwrap();
    open_by_name(&mut app, "Company 1");
    let screen = common::text(&app, 60, 40);
    assert!(screen.contains("Overdue milestones          —  none due yet: left out"), "{screen}");
    assert!(!screen.lines().any(|l| l.starts_with("the blend")), "{screen}");
}

/// A CRM file's blank ARR is no ARR on record: a "-" in the lists, not "$0", and in no ARR band.
#[test]
fn a_blank_arr_reads_as_none_not_zero() {
    use ratatui::crossterm::event::KeyCode;
    let (dir, db) = temp_db();
    let file = crm_file(dir.path(), 40);
    ok(&db, &["import", "accounts", file.to_str().unwrap()]);
    let mut app = app_on(&db);
    common::press(&mut app, KeyCode::Char('2'));
    let blank = app.portfolio.rows().iter().find(|r| r.arr.0 == 0).expect("a blank ARR in the file").clone();
    assert_eq!(&*blank.segment, "Unsegmented");
    let screen = common::text(&app, 160, 60);
    let line = screen.lines().find(|l| l.contains(&format!("{} ", blank.name))).expect("its row");
    assert!(!line.contains("$0") && line.contains(" - "), "{line}");
    // An ARR of 0 is none on record, as a blank: the summary counts both.
    let said =
        import_text(&db, &dir, "accounts", "External ID,Account,ARR\nZ-1,Zero Co,0\nZ-2,Blank Co,\nZ-3,Ten Co,10000\n");
    assert!(said.contains("of the new accounts, 2 have no ARR (blank, 0, or a word for none: N/A, TBD;"), "{said}");
}

/// An account with some evidence but too little for a score is "low data" in the one-on-one's
/// report, as in Triage's, not "no score".
#[test]
fn the_one_on_one_says_low_data_as_the_lists_do() {
    let (_dir, db) = imported_crm(40);
    // CRM-0001 is Ben Okafor's, renewing within the agenda's 90 days, with a sentiment alone.
    ok(&db, &["log", "sentiment", "CRM-0001", "7"]);
    let doc: serde_json::Value =
        serde_json::from_str(&ok(&db, &["report", "triage", "--all", "--format", "json"])).unwrap();
    let triaged = doc["rows"].as_array().unwrap().iter().find(|r| r["account"] == "Company 1").cloned();
    let md = ok(&db, &["report", "one-on-one", "--csm", "ben", "--format", "md", "--all"]);
    let line = md.lines().find(|l| l.contains("| Company 1 |")).expect("Company 1 on Ben's agenda");
    assert!(line.contains("| low data |") && !line.contains("no score"), "{line}");
    if let Some(row) = triaged {
        assert!(row["band"].is_null() && row["score"].is_null(), "{row}");
    }
}

/// An account whose only values are tend's own bookkeeping (a milestone come due, not done) has
/// no score, and the Account view says which factor has a value rather than "no factor of this
/// score has data" under that factor's row.
#[test]
fn an_account_with_bookkeeping_alone_says_which_factor_has_a_value() {
    let (_dir, db) = imported_crm(40);
    ok(&db, &["milestone", "add", "CRM-0003", "adoption", "Kickoff", "--due", "-3d"]);
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 3");
    let screen = common::text(&app, 100, 50);
    assert!(screen.contains("Overdue milestones"), "{screen}");
    assert!(!screen.contains("No factor of this score has data"), "{screen}");
    assert!(screen.contains("Only Overdue milestones has a value so far, no evidence of health"), "{screen}");
}

/// Write `text` to a file beside the book and import it as `kind` (accounts, logs, metrics…).
fn import_text(db: &Path, dir: &tempfile::TempDir, kind: &str, text: &str) -> String {
    let file = dir.path().join(format!("{kind}-import.csv"));
    std::fs::write(&file, text).unwrap();
    ok(db, &["import", kind, file.to_str().unwrap()])
}

/// A weekly usage file: `header`, then for each account CRM-i of `accounts` the lines `line`
/// makes of each of its `weeks(i)` Mondays from 2026-08-03 (the sixteenth is 2026-11-16, a week
/// before today).
fn weekly_usage(
    header: &str,
    accounts: std::ops::RangeInclusive<usize>,
    weeks: impl Fn(usize) -> i64,
    line: impl Fn(usize, chrono::NaiveDate) -> String,
) -> String {
    let mut usage = format!("{header}\n");
    for i in accounts {
        for week in 0..weeks(i) {
            usage.push_str(&line(i, chrono::NaiveDate::from_ymd_opt(2026, 8, 3).unwrap() + Duration::weeks(week)));
        }
    }
    usage
}

/// A book of 20 CRM accounts with weekly usage imported for `accounts`: 40 logins and 9 active
/// users each week, `weeks(i)` weeks of it from 2026-08-03 (`weekly_usage`).
fn crm_with_steady_usage(
    accounts: std::ops::RangeInclusive<usize>,
    weeks: impl Fn(usize) -> i64,
) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, db) = imported_crm(20);
    let usage = weekly_usage("Account ID,Date,Logins,Active Users", accounts, weeks, |i, day| {
        format!("CRM-{i:04},{day},40,9\n")
    });
    import_text(&db, &dir, "metrics", &usage);
    (dir, db)
}

/// The points of account CRM-`i`'s days since a login, as the book's export gives them.
fn login_points_of(db: &Path, i: usize) -> serde_json::Value {
    let accounts: Vec<serde_json::Value> =
        serde_json::from_str(&ok(db, &["export", "accounts", "--format", "json"])).unwrap();
    accounts.iter().find(|a| a["external_id"] == format!("CRM-{i:04}")).unwrap()["points_days_since_login"].clone()
}

/// A usage file that gives only some accounts' newest week makes that week the book's data day
/// (a quarter of its samples cover it), and every other account reads a week unused: the import
/// says so, with how many samples the day has against the week before. A probe imported 50 of
/// 212 accounts' week and 162 others read "Days since login 0d -> 7d" without a word.
#[test]
fn a_newest_week_given_for_some_accounts_only_is_said_at_import() {
    let (dir, db) = crm_with_steady_usage(0..=19, |_| 16);
    let week = |accounts: std::ops::RangeInclusive<usize>| {
        let mut file = String::from("Account ID,Date,Logins,Active Users\n");
        for i in accounts {
            file.push_str(&format!("CRM-{i:04},2026-11-23,40,9\n"));
        }
        file
    };
    // A weekly export that repeats the weeks the book has, with the next one for every account:
    // nothing to say. Its dry run counted the repeated samples as new ("40 samples against 80")
    // and warned of a thin week.
    let whole = dir.path().join("whole.csv");
    let next_week = weekly_usage(
        "Account ID,Date,Logins,Active Users",
        0..=19,
        |_| 17,
        |i, day| format!("CRM-{i:04},{day},40,9\n"),
    );
    std::fs::write(&whole, next_week).unwrap();
    let said = ok(&db, &["import", "metrics", "--dry-run", whole.to_str().unwrap()]);
    assert!(said.contains("40 new") && !said.contains("newest day"), "{said}");
    let part = dir.path().join("part.csv");
    std::fs::write(&part, week(0..=5)).unwrap();
    let said = ok(&db, &["import", "metrics", "--dry-run", part.to_str().unwrap()]);
    assert!(
        said.contains(
            "2026-11-23 would be the newest day of the book's usage data, though the file gives only 6 accounts a \
             sample on it, against 20 on 2026-11-16 (12 samples against 40): the book's other accounts would read \
             as unused since 2026-11-16 (7 days). If the file is only part of that week's data, import the rest \
             of it"
        ),
        "{said}"
    );
    let said = ok(&db, &["import", "metrics", part.to_str().unwrap()]);
    assert!(
        said.contains("2026-11-23 is now the newest day of the book's usage data, though the file gives only 6"),
        "{said}"
    );
    // It is so: an account the file left out counts its days since a login to that day.
    let login_points = |i: usize| login_points_of(&db, i);
    assert_eq!(login_points(3), 4);
    assert_eq!(login_points(10), 3);
    // The status line says so too, wide and narrow, while the week is thin.
    let status = |width: u16| common::text(&app_on(&db), width, 24).lines().last().unwrap_or("").to_string();
    assert!(status(120).contains("data current, thin"), "{}", status(120));
    assert!(status(60).contains("thin"), "{}", status(60));
    // The rest of the week: the day holds as many as the one before, and nothing is said.
    let said = import_text(&db, &dir, "metrics", &week(6..=19));
    assert!(!said.contains("newest day"), "{said}");
    assert_eq!(login_points(10), 4);
    assert!(!status(120).contains("thin"), "{}", status(120));
    // The whole usage again: no day moves.
    let said = import_text(&db, &dir, "metrics", &week(0..=19));
    assert!(!said.contains("newest day"), "{said}");
}

/// A week imported in parts (a file per region, each a fifth of the accounts) counts every part:
/// the book's count of the day is the sum of the samples new to it, so the week covers its day
/// once its parts do. Counted by the largest part alone, it never did, and every account's days
/// since a login went on counting to the week before.
#[test]
fn a_week_imported_in_parts_counts_every_part() {
    let (dir, db) = crm_with_steady_usage(0..=19, |_| 16);
    let login_points = |i: usize| login_points_of(&db, i);
    let mut said = Vec::new();
    for part in [0..=3, 4..=7, 8..=11, 12..=15, 16..=18] {
        let mut file = String::from("Account ID,Date,Logins,Active Users\n");
        for i in part {
            file.push_str(&format!("CRM-{i:04},2026-11-23,40,9\n"));
        }
        said.push(import_text(&db, &dir, "metrics", &file));
    }
    // The second part makes the day the newest (two fifths), thin; the others say nothing.
    assert!(!said[0].contains("newest day") && said[1].contains("newest day"), "{said:#?}");
    assert!(said[2..].iter().all(|s| !s.contains("newest day")), "{said:#?}");
    // The account no part gave a sample counts its days since a login to the new week.
    assert_eq!(login_points(19), 3);
    assert_eq!(login_points(0), 4);
    // Each part imported again adds nothing: the week counts as it did.
    let again = import_text(&db, &dir, "metrics", "Account ID,Date,Logins,Active Users\nCRM-0000,2026-11-23,40,9\n");
    assert!(!again.contains("newest day"), "{again}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let counts: String =
        conn.query_row("SELECT value FROM book_meta WHERE key = 'metric_days'", [], |r| r.get(0)).unwrap();
    assert!(counts.ends_with("2026-11-23=38"), "{counts}");
}

/// Two accounts of one name (a CRM's subsidiaries, a region's own entity) are told apart in every
/// list by their external id, "Acme Corp (CRM-0021)", and that spelling names the account on the
/// command line; the book keeps the name as the file gave it. A probe's two "Acme Corp" looked
/// alike in Triage, the Portfolio and the reports.
#[test]
fn accounts_sharing_a_name_are_told_apart_in_lists() {
    let (dir, db) = imported_crm(20);
    import_text(
        &db,
        &dir,
        "accounts",
        "External ID,Account,ARR,Renewal date\nCRM-0021,Acme Corporation,150000,2026-11-30\nCRM-0022,ACME CORPORATION ,9000,2026-12-01\n",
    );
    // The book's own account of that name, a rename of CRM-0001.
    import_text(&db, &dir, "accounts", "External ID,Account\nCRM-0001,Acme Corporation\n");
    let triage: serde_json::Value =
        serde_json::from_str(&ok(&db, &["report", "triage", "--all", "--format", "json"])).unwrap();
    let names: Vec<String> =
        triage["rows"].as_array().unwrap().iter().map(|r| r["account"].as_str().unwrap().to_string()).collect();
    assert!(names.contains(&"Acme Corporation (CRM-0021)".to_string()), "{names:?}");
    assert!(names.contains(&"ACME CORPORATION (CRM-0022)".to_string()), "{names:?}");
    assert!(!names.iter().any(|n| n == "Acme Corporation"), "{names:?}");
    let renewals = ok(&db, &["report", "renewals", "--days", "30"]);
    assert!(renewals.contains("Acme Corporation (CRM-0021)"), "{renewals}");
    // The spelling a list shows names the account; the name alone is refused as two.
    let said = ok(&db, &["log", "sentiment", "Acme Corporation (CRM-0021)", "3"]);
    assert!(said.contains("sentiment 3/10 logged"), "{said}");
    let said = ok(&db, &["log", "sentiment", "acme corporation (crm-0022)", "4"]);
    assert!(said.contains("sentiment 4/10 logged"), "{said}");
    let (ok_alone, _, err) = tend_on(&db, &["log", "sentiment", "Acme Corporation", "3"]);
    assert!(!ok_alone && err.contains("they share the name: give the external id"), "{err}");
    // The command line's lists too (a probe's `tend milestone list` showed "Acme Labs" for three
    // accounts): goals, tasks, people and milestones, of the book and of one account.
    ok(&db, &["goal", "add", "CRM-0021", "Roll out SSO"]);
    ok(&db, &["task", "add", "CRM-0022", "Send the deck", "--due", "2026-11-30"]);
    ok(&db, &["contact", "add", "CRM-0021", "Dana Whitfield"]);
    ok(&db, &["milestone", "add", "CRM-0022", "onboarding", "Kickoff", "--due", "2026-11-30"]);
    for (list, shown) in [
        (vec!["goal", "list"], "Acme Corporation (CRM-0021)"),
        (vec!["goal", "list", "CRM-0021"], "Acme Corporation (CRM-0021)"),
        (vec!["task", "list"], "ACME CORPORATION (CRM-0022)"),
        (vec!["contact", "list"], "Acme Corporation (CRM-0021)"),
        (vec!["milestone", "list"], "ACME CORPORATION (CRM-0022)"),
    ] {
        let out = ok(&db, &list);
        assert!(out.contains(shown), "{list:?}: {out}");
    }
    // The book and its export keep the name as the file gave it.
    let accounts: Vec<serde_json::Value> =
        serde_json::from_str(&ok(&db, &["export", "accounts", "--format", "json"])).unwrap();
    let named = |id: &str| accounts.iter().find(|a| a["external_id"] == id).unwrap()["name"].clone();
    assert_eq!(named("CRM-0021"), "Acme Corporation");
    assert_eq!(named("CRM-0001"), "Acme Corporation");
    // The screens: the Portfolio, and the row again after a sentiment logged on it.
    let mut app = app_on(&db);
    open_by_name(&mut app, "CRM-0021");
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('s'));
    common::typ(&mut app, "9");
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Enter);
    assert!(app.form.is_none());
    let said = app.message.clone().unwrap_or_default();
    assert!(said.starts_with("Acme Corporation (CRM-0021): "), "{said}");
    let row = app.portfolio.rows().iter().find(|r| r.name.contains("CRM-0021")).map(|r| r.name.clone());
    assert_eq!(row.as_deref(), Some("Acme Corporation (CRM-0021)"));
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Esc);
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('2'));
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('/'));
    common::typ(&mut app, "acme");
    let screen = common::text(&app, 80, 24);
    for shown in ["Acme Corporation (CRM-0021)", "ACME CORPORATION (CRM-0022)", "Acme Corporation (CRM-0001)"] {
        assert!(screen.contains(shown), "{screen}");
    }
    // At 60 columns too: names told apart by their ids keep the ids' ends where the CSM column
    // takes their room.
    let screen = common::text(&app, 60, 24);
    for shown in ["Acme Corporation (…0021)", "ACME CORPORATION (…0022)", "Acme Corporation (…0001)"] {
        assert!(screen.contains(shown), "{screen}");
    }
    // A name no other account has is shown as it is.
    assert!(!text_of_triage(&db).contains("Company 3 ("));
}

/// `report triage --all` as a table.
fn text_of_triage(db: &Path) -> String {
    ok(db, &["report", "triage", "--all"])
}

/// Every Triage item's reasons (`report triage --all`), and a reader of one account's by its
/// name (empty when it is not listed).
fn triage_reasons(db: &Path) -> (serde_json::Value, impl Fn(&str) -> String) {
    let triage: serde_json::Value =
        serde_json::from_str(&ok(db, &["report", "triage", "--all", "--format", "json"])).unwrap();
    let rows = triage["rows"].as_array().cloned().unwrap_or_default();
    let reasons = move |name: &str| -> String {
        rows.iter().find(|r| r["account"] == name).map_or(String::new(), |r| r["reasons"].to_string())
    };
    (triage, reasons)
}

/// A book made afresh by importing `text` as an accounts file: its folder, path and what the
/// import said.
fn import_into_new_book(text: &str) -> (tempfile::TempDir, std::path::PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    let said = import_text(&db, &dir, "accounts", text);
    (dir, db, said)
}

/// Open an account's view from the Portfolio's filter, by its name.
fn open_by_name(app: &mut tend::tui::App, name: &str) {
    use ratatui::crossterm::event::KeyCode;
    common::press(app, KeyCode::Char('2'));
    common::press(app, KeyCode::Char('/'));
    common::typ(app, name);
    common::press(app, KeyCode::Enter);
    common::press(app, KeyCode::Enter);
}

/// A one-on-one lists the week's renewals (with the ARR they renewed at), churns (with their
/// reason, an import's churn too) and returns, newest first, the CSM's only; older ones are not
/// (a probe's churn and two renewals, one with an uplift, were on no line of the agenda).
#[test]
fn a_one_on_one_lists_the_weeks_renewals_churns_and_returns() {
    let (dir, db) = imported_crm(40);
    let ben = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--by", "Ben Okafor"]);
        ok(&db, &all)
    };
    // Ben's accounts are every fourth from CRM-0001.
    ben(&["renew", "CRM-0001", "--arr", "60000", "--date", "-2d"]);
    ben(&["renew", "CRM-0005", "--date", "-9d"]);
    ok(&db, &["task", "add", "CRM-0009", "Send the renewal paperwork", "--due", "-3d", "--owner", "Ben Okafor"]);
    ben(&["churn", "CRM-0009", "--reason", "budget cut", "--date", "-1d"]);
    ben(&["churn", "CRM-0013", "--reason", "moved to a rival", "--date", "-20d"]);
    ben(&["reactivate", "CRM-0013", "--date", "today"]);
    ok(&db, &["churn", "CRM-0002", "--reason", "not Ben's", "--date", "-1d"]);
    // A CRM file marks one churned, dated by its column.
    let file = dir.path().join("churn.csv");
    std::fs::write(&file, "External ID,Status,Churn date\nCRM-0017,Churned,2026-11-20\n").unwrap();
    ok(&db, &["import", "accounts", file.to_str().unwrap()]);
    let report = ok(&db, &["report", "one-on-one", "--csm", "Ben", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&report).unwrap();
    let closed: Vec<String> = doc["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["section"] == "Renewed, churned or back in the last 7 days")
        .map(|r| format!("{}: {}", r["account"].as_str().unwrap(), r["what"].as_str().unwrap()))
        .collect();
    assert_eq!(closed.len(), 4, "{closed:#?}");
    assert!(
        closed[0].starts_with("Company 13") && closed[0].contains("back as a customer on 2026-11-23"),
        "{closed:#?}"
    );
    assert!(
        closed[1].starts_with("Company 9") && closed[1].contains("churned on 2026-11-22 (budget cut)"),
        "{closed:#?}"
    );
    assert!(closed[2].starts_with("Company 1:") || closed[2].starts_with("Company 1 "), "{closed:#?}");
    assert!(closed[2].contains("renewed on 2026-11-21") && closed[2].contains("-> $60,000"), "{closed:#?}");
    assert!(closed[3].starts_with("Company 17") && closed[3].contains("churned on 2026-11-20"), "{closed:#?}");
    assert!(!report.contains("not Ben's") && !report.contains("moved to a rival"), "{report}");
    // A churned account's late task is no longer due: on no line of the agenda, in no count.
    assert!(!report.contains("renewal paperwork"), "{report}");
    // What Ben did in the week, in a line (nothing he logged yet: renewals and churns are no log).
    assert_eq!(doc["summary"]["last_7_days"], "nothing logged yet", "{doc}");
    // A week with nothing logged says since when.
    ben(&["log", "touch", "CRM-0033", "call", "--date", "2026-10-30"]);
    let doc: serde_json::Value =
        serde_json::from_str(&ok(&db, &["report", "one-on-one", "--csm", "Ben", "--format", "json"])).unwrap();
    assert_eq!(doc["summary"]["last_7_days"], "nothing logged (the last entry 24 days ago, 2026-10-30)", "{doc}");
    ben(&["log", "touch", "CRM-0021", "call"]);
    ben(&["log", "touch", "CRM-0021", "email"]);
    ben(&["log", "touch", "CRM-0025", "call", "--date", "-3d"]);
    ben(&["log", "touch", "CRM-0029", "call", "--date", "-9d"]);
    ben(&["log", "sentiment", "CRM-0025", "7"]);
    ok(&db, &["task", "add", "CRM-0021", "Send the QBR deck", "--due", "fri", "--owner", "Ben Okafor"]);
    ok(&db, &["task", "done", "send the qbr"]);
    let doc: serde_json::Value =
        serde_json::from_str(&ok(&db, &["report", "one-on-one", "--csm", "Ben", "--format", "json"])).unwrap();
    assert_eq!(
        doc["summary"]["last_7_days"], "3 touches on 2 accounts, 1 sentiment, 1 task done",
        "the touch 9 days ago is not the week's: {doc}"
    );
    // Ben's book in a line, the lead's headline numbers: his live accounts and their ARR, the
    // renewals of the agenda's window with their forecast and ARR at risk.
    let export: Vec<serde_json::Value> =
        serde_json::from_str(&ok(&db, &["export", "accounts", "--format", "json"])).unwrap();
    let live = export.iter().filter(|a| a["csm"] == "Ben Okafor" && a["status"] != "churned").count();
    let whole = doc["summary"]["book"].as_str().unwrap_or_default();
    // Without a score, none of them is on a line for it: said beside the count.
    assert!(whole.starts_with(&format!("{live} accounts (none with a score yet), $")), "{whole}");
    assert!(whole.contains("renewals due in 90 days or overdue: $") && whole.contains("forecast $"), "{whole}");
    let team: serde_json::Value = serde_json::from_str(&ok(&db, &["report", "team", "--format", "json"])).unwrap();
    let ben_line = team["rows"].as_array().unwrap().iter().find(|r| r["csm"] == "Ben Okafor").unwrap().clone();
    assert_eq!(ben_line["tasks_late"], 0, "{ben_line}");
    // Nor in the task list: there it says the account churned, not "3 days late".
    let list = ok(&db, &["task", "list", "CRM-0009"]);
    assert!(list.contains("account churned: drop it") && !list.contains("late"), "{list}");
    // The Team view's one-on-one shows the section too.
    let mut app = app_on(&db);
    open_one_on_one(&mut app, "Ben Okafor");
    let screen = common::text(&app, 100, 60);
    assert!(screen.contains("Renewed, churned or back in the last 7 days"), "{screen}");
    assert!(screen.contains("Done in the last 7 days: 3 touches on 2 accounts, 1 sentiment, 1 task done"), "{screen}");
    assert!(screen.contains(&format!(" {live} accounts (none with a score yet), $")), "{screen}");
    // The status line is of the one-on-one's accounts, not of the viewer's book.
    let status = screen.lines().last().unwrap_or_default();
    assert!(status.contains(&format!("Ben Okafor's one-on-one · {live} accounts")), "{screen}");
}

/// Open `csm`'s one-on-one from the Team view: down the CSMs to their line, then Enter.
fn open_one_on_one(app: &mut tend::tui::App, csm: &str) {
    use ratatui::crossterm::event::KeyCode;
    common::press(app, KeyCode::Char('5'));
    for _ in 0..6 {
        common::press(app, KeyCode::Enter);
        if common::text(app, 100, 30).contains(&format!("One-on-one with {csm}")) {
            return;
        }
        common::press(app, KeyCode::Esc);
        common::press(app, KeyCode::Down);
    }
    panic!("no one-on-one with {csm}: {}", common::text(app, 100, 30));
}

/// The screens on a book, with the default config, as of the test day.
fn app_on(db: &Path) -> tend::tui::App {
    tend::tui::App::new(
        Store::open(db).unwrap(),
        tend::config::Config::default(),
        today(),
        tend::tui::theme::Theme::plain(),
    )
    .unwrap()
}

/// A sentiment logged on an account no touch was ever logged on starts tend's tracking, not the
/// touch clock: "0 days since a touch" would be top points for a touch that never happened.
/// Until the tracked days reach the threshold of the lowest points, the days are at least that
/// many, left out of the score; past it, they count (1 point whatever the true count).
#[test]
fn days_since_a_touch_never_logged_are_at_least_and_count_only_when_certain() {
    let (_dir, db) = imported_crm(40);
    let json = |args: &[&str]| -> serde_json::Value { serde_json::from_str(&ok(&db, args)).unwrap() };
    let coverage = |json: serde_json::Value| -> Vec<serde_json::Value> {
        json["rows"].as_array().unwrap().iter().map(|r| r["touch_coverage"].clone()).collect()
    };
    let before = coverage(json(&["report", "team", "--format", "json"]));
    let said = ok(&db, &["log", "sentiment", "CRM-0001", "8"]);
    // Tracking begun is no change to the score: not said (a probe read "Days since touch: none
    // logged yet (left out)" as one). "At least 0 days" is true of any account either way.
    assert!(!said.contains("Days since touch"), "{said}");
    assert!(!said.contains("≥0d"), "{said}");
    // Taken back, the touch clock is no change to speak of (two probes read "Days since touch
    // — -> —").
    let undone = ok(&db, &["undo"]);
    assert!(undone.starts_with("Undone: Company 1") && !undone.contains("Days since touch"), "{undone}");
    ok(&db, &["log", "sentiment", "CRM-0001", "8"]);
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 1");
    let screen = common::text(&app, 100, 50);
    let touch = screen.lines().find(|l| l.starts_with("Days since touch")).unwrap_or_default();
    assert!(touch.contains(" —  ") && touch.contains("none logged in tend yet"), "{screen}");
    assert!(!touch.contains("≥0d") && !touch.contains(" 0d"), "{screen}");
    assert!(!touch.contains("■"), "no points for a touch not logged: {touch}");
    // No score, so no blend: the sentiment's points are shown, its share and what it adds are not.
    let sentiment = screen.lines().find(|l| l.starts_with("CSM sentiment")).unwrap_or_default();
    assert!(sentiment.contains("■") && sentiment.split_whitespace().filter(|w| *w == "-").count() == 2, "{screen}");
    assert!(!sentiment.contains('%') && !sentiment.contains(".0 "), "{sentiment}");
    // At 80 and 60 columns the line is whole, never wrapped under the factor's name.
    let screen = common::text(&app, 80, 24);
    let touch = screen.lines().find(|l| l.starts_with("Days since touch")).unwrap_or_default();
    assert!(touch.contains(" —  left out: none logged in tend yet"), "{screen}");
    assert!(!screen.lines().any(|l| l.starts_with("blend")), "{screen}");
    let screen = common::text(&app, 60, 24);
    let touch = screen.lines().find(|l| l.starts_with("Days since touch")).unwrap_or_default();
    assert!(touch.ends_with(" —  none logged yet: left out"), "{screen}");
    // The sentiment alone is too little of the weight for a score (2 of jumpstart's 12, NPS being
    // optional: it was 20% before days since login and NPS joined jumpstart, 40% with the touch).
    assert!(screen.contains("Health not enough data  16% of the weight has data"), "{screen}");
    // The Team view's touch coverage does not count it as touched, nor as tracked.
    let after = coverage(json(&["report", "team", "--format", "json"]));
    assert_eq!(after, before);

    // Tracked since its start 60 days ago (a sentiment 70 days ago, before it), no touch logged:
    // at the lowest points whatever the truth, so they count; said from its start, not from the
    // entry before it.
    let long_ago = (today() - Duration::days(70)).to_string();
    ok(&db, &["log", "sentiment", "CRM-0002", "8", "--date", &long_ago]);
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 2");
    let screen = common::text(&app, 100, 50);
    let touch = screen.lines().find(|l| l.starts_with("Days since touch")).unwrap_or_default();
    assert!(touch.contains("≥60d") && touch.contains("■□□□ 1"), "{screen}");
    let triage = ok(&db, &["report", "triage", "--csm", "all", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&triage).unwrap();
    let company2 = doc["rows"].as_array().unwrap().iter().find(|r| r["account"] == "Company 2").expect("listed");
    assert!(
        company2["reasons"].as_array().unwrap().iter().any(|r| r
            .as_str()
            .unwrap()
            .starts_with("no touch logged since it became a customer 60 days ago (cadence")),
        "{triage}"
    );

    // A touch logged today: known, 0 days, top points.
    ok(&db, &["log", "touch", "CRM-0001", "call"]);
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 1");
    let screen = common::text(&app, 100, 50);
    let touch = screen.lines().find(|l| l.starts_with("Days since touch")).unwrap_or_default();
    assert!(touch.contains(" 0d") && !touch.contains('≥') && touch.contains("■■■■ 4"), "{screen}");
}

/// The Account header's plan is never cut ("Enterp…"): where the line has no room for it, it goes
/// to the line below.
#[test]
fn the_plan_moves_below_rather_than_be_cut() {
    let (dir, db) = temp_db();
    import_text(
        &db,
        &dir,
        "accounts",
        "External ID,Account,CSM,ARR,Renewal date,Plan,Customer since\nSF-1,Wayne Enterprises,Maximiliana Okonkwo-Smith,\"$1,250,000\",2027-03-01,Enterprise Premium,\nSF-2,Stark Industries,Tony Stark,22000,2026-07-09,Enterprise Premium Annual Multi-Year with Premier Support Add-on,2019-04-01\nSF-3,Hooli,Gavin Belson,99000,,Team,\n",
    );
    for width in [120, 80, 60] {
        let mut app = app_on(&db);
        open_by_name(&mut app, "Wayne");
        let screen = common::text(&app, width, 24);
        assert!(screen.contains("Enterprise Premium"), "{width}: {screen}");
        assert!(!screen.contains('…'), "{width}: {screen}");
        let at = |needle: &str| screen.lines().position(|l| l.contains(needle)).unwrap();
        match width {
            120 => assert_eq!(at("Enterprise Premium"), at("CSM Maximiliana"), "{screen}"),
            80 => assert_eq!(at("plan Enterprise Premium"), at("CSM Maximiliana") + 1, "{width}: {screen}"),
            // Narrower, the facts wrap whole, and the plan is below them.
            _ => {
                assert_eq!(at("$1.25M ARR · Elephant"), at("CSM Maximiliana") + 1, "{screen}");
                assert_eq!(at("plan Enterprise Premium"), at("CSM Maximiliana") + 2, "{screen}");
            }
        }
    }
    // A plan longer than the line wraps at its words; the dates, stage and status stay whole.
    for width in [80, 60] {
        let mut app = app_on(&db);
        open_by_name(&mut app, "Stark");
        let screen = common::text(&app, width, 24);
        let header: Vec<&str> = screen.lines().skip(1).take_while(|l| !l.starts_with("Health")).collect();
        let header = header.join("\n");
        assert!(!header.contains('…'), "{width}: {screen}");
        for words in ["plan Enterprise", "Add-on", "since 2019-04-01", "stage adoption", "active"] {
            assert!(header.contains(words), "{width}: {words}: {screen}");
        }
    }
    // A short plan that fits beside the segment is said to be the plan.
    let mut app = app_on(&db);
    open_by_name(&mut app, "Hooli");
    let screen = common::text(&app, 80, 24);
    assert!(screen.contains("· plan Team"), "{screen}");
}

/// A score from thin evidence is "~67" in the one-on-one too (screen and report), as in Triage and
/// the Portfolio.
#[test]
fn the_one_on_one_marks_thin_scores_as_the_lists_do() {
    let (dir, db) = imported_crm(40);
    let logs = dir.path().join("thin.csv");
    std::fs::write(
        &logs,
        format!(
            "account,kind,date,score,channel,title\nCRM-0005,sentiment,{TODAY},8,,\nCRM-0005,nps,{TODAY},9,,\nCRM-0005,touch,{TODAY},,call,\n\
             CRM-0006,bug,{TODAY},,,Export times out\n"
        ),
    )
    .unwrap();
    ok(&db, &["import", "logs", logs.to_str().unwrap()]);
    let usage = dir.path().join("users.csv");
    std::fs::write(&usage, format!("account,metric,date,value\nCRM-0005,active_users,{TODAY},10\n")).unwrap();
    ok(&db, &["import", "metrics", usage.to_str().unwrap()]);
    let report = ok(&db, &["report", "one-on-one", "--csm", "ben", "--all"]);
    let line = report.lines().find(|l| l.contains("Company 5")).unwrap_or_default();
    assert!(line.contains('~'), "{report}");
    let mut app = app_on(&db);
    open_one_on_one(&mut app, "Ben Okafor");
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('A'));
    let screen = common::text(&app, 100, 60);
    assert!(screen.contains("One-on-one with Ben Okafor"), "{screen}");
    let line = screen.lines().find(|l| l.contains("Company 5 ")).unwrap_or_default();
    assert!(line.contains('~'), "{screen}");
}

/// A one-on-one on a CRM book whose renewal dates were not kept up: the renewals walked through
/// are those up to 90 days past and in the next 90 days, soonest first; the older ones are
/// counted in a line (screen and report), not listed. What is overdue is one line per account,
/// the account that needs the CSM most first.
#[test]
fn the_one_on_one_counts_renewals_long_past_and_puts_the_neediest_overdue_first() {
    let (_dir, db) = imported_crm(200);
    // Ben's accounts (every fourth from CRM-0001) have renewal dates 30 to 226 days past.
    for (account, title, due) in [
        ("CRM-0005", "Chase the signature", "-3d"),
        ("CRM-0005", "Book the QBR", "today"),
        ("CRM-0009", "Send the deck", "-1d"),
        ("CRM-0101", "Call the sponsor", "-2d"),
        ("CRM-0121", "Renewal quote", "-9d"),
    ] {
        ok(&db, &["task", "add", account, title, "--due", due, "--owner", "Ben Okafor"]);
    }
    ok(&db, &["log", "risk", "CRM-0101", "Budget cut", "--by", "Ben Okafor"]);
    let app = app_on(&db);
    let rows = app.portfolio.rows();
    let config = tend::config::Config::default();
    let store = tend::store::Store::open(&db).unwrap();
    let agenda = tend::book::team::one_on_one(&store, &config, rows, &app.triage_book, "Ben Okafor", today()).unwrap();
    let renewals: Vec<i64> = agenda
        .iter()
        .filter(|a| a.section == tend::book::team::AgendaSection::Renewals)
        .map(|a| rows.iter().find(|r| r.id == a.account_id).unwrap().days_to_renewal(today()).unwrap())
        .collect();
    assert!(!renewals.is_empty() && renewals.iter().all(|d| (-90..=90).contains(d)), "{renewals:?}");
    assert!(renewals.is_sorted(), "soonest first: {renewals:?}");
    let long_past =
        rows.iter().filter(|r| &*r.csm == "Ben Okafor" && r.days_to_renewal(today()).is_some_and(|d| d < -90)).count();
    assert!(long_past > 10, "{long_past}");
    let (counted, oldest) = tend::book::team::long_past_renewals(rows, "Ben Okafor", today()).unwrap();
    assert_eq!(counted, long_past);
    // Overdue: an account once, with its tasks; the neediest first.
    let list = app.triage_book.list(&config, rows);
    let need = |id: i64| list.items.iter().chain(&list.hidden).find(|i| i.id == id).map_or(0.0, |i| i.need);
    let overdue: Vec<&tend::book::team::AgendaItem> =
        agenda.iter().filter(|a| a.section == tend::book::team::AgendaSection::Overdue).collect();
    let ids: Vec<i64> = overdue.iter().map(|a| a.account_id).collect();
    assert_eq!(ids.len(), ids.iter().collect::<std::collections::HashSet<_>>().len(), "{overdue:?}");
    let risk = overdue.iter().find(|a| a.account.starts_with("Company 101")).expect("CRM-0101 overdue");
    assert!(risk.what.contains("risk") && risk.what.contains("Call the sponsor"), "{}", risk.what);
    assert!(overdue.len() >= 3, "{overdue:?}");
    assert!(overdue.windows(2).all(|w| need(w[0].account_id) >= need(w[1].account_id)), "{overdue:?}");
    drop(app);

    // The report says the count, and where they are listed.
    let report = ok(&db, &["report", "one-on-one", "--csm", "Ben"]);
    let line =
        format!("Long past renewals: {long_past} renewal dates more than 90 days past when imported (oldest {oldest})");
    assert!(report.contains(&line), "{report}");
    assert!(report.contains("tend report renewals --csm \"Ben Okafor\""), "{report}");
    // Read as an agenda: each section a heading over its rows, not a column repeated on each
    // (Markdown, for notes, too); JSON keeps the section on every row.
    for text in [&report, &ok(&db, &["report", "one-on-one", "--csm", "Ben", "--format", "md"])] {
        let headings: Vec<&str> = text.lines().filter(|l| l.contains("Overdue, off track or gone quiet")).collect();
        assert_eq!(headings.len(), 1, "{text}");
        assert!(!text.to_lowercase().contains("section"), "{text}");
    }
    let md = ok(&db, &["report", "one-on-one", "--csm", "Ben", "--format", "md"]);
    assert!(md.contains("### Overdue, off track or gone quiet\n\n| account | arr | band | score | what |"), "{md}");
    let doc: serde_json::Value =
        serde_json::from_str(&ok(&db, &["report", "one-on-one", "--csm", "Ben", "--format", "json"])).unwrap();
    assert!(doc["rows"].as_array().unwrap().iter().all(|r| r["section"].is_string()), "{doc}");
    // The screen, at its end.
    let mut app = app_on(&db);
    open_one_on_one(&mut app, "Ben Okafor");
    // At 80x24 the line comes into view on the last item, wrapped whole.
    common::press(&mut app, ratatui::crossterm::event::KeyCode::End);
    let screen = common::text(&app, 80, 24);
    let words = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains(&format!("Also {long_past} renewal dates more than 90 days past")), "{screen}");
    assert!(words.contains("the Renewals screen lists them."), "{screen}");
    // At 60 columns what is due goes under the name where it does not fit beside it, whole: a
    // renewal's date is never cut; the keys beside the title are whole ones.
    let mut app = app_on(&db);
    open_one_on_one(&mut app, "Ben Okafor");
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('A'));
    let screen = common::text(&app, 60, 400);
    let words = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    for item in &agenda {
        assert!(words.contains(&item.what), "{} whole: {screen}", item.what);
    }
    let title = screen.lines().nth(1).unwrap();
    assert!(title.contains("One-on-one with Ben Okafor") && !title.replace("s t f…", "").contains('…'), "{screen}");
    assert!(title.contains("s t f… log on the line"), "how to log from a line, at 60 columns too: {screen}");

    // The accounts without a CSM have their agenda too (their renewals), not an empty one.
    let mut app = app_on(&db);
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('5'));
    common::press(&mut app, ratatui::crossterm::event::KeyCode::End);
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Enter);
    let screen = common::text(&app, 100, 30);
    assert!(screen.contains("The accounts without a CSM"), "{screen}");
    assert!(screen.contains("Renewals overdue or in the next 90 days"), "{screen}");
    assert!(!screen.contains("Nothing to walk through"), "{screen}");
}

/// A CRM name too long for the screen: the Account view keeps its external id whole (commands
/// take it) and cuts the name with "…"; the header's breadcrumb cuts it with "…" too, at 80 and
/// 60 columns.
#[test]
fn a_long_account_name_is_cut_with_an_ellipsis_and_its_id_kept_whole() {
    let (dir, db) = imported_crm(10);
    import_text(
        &db,
        &dir,
        "accounts",
        "External ID,Account,CSM,ARR\nC-LONG-000123,Zeta Quantum Logistics & Supply Chain Solutions International GmbH,Maya Patel,\"$120,000\"\n",
    );
    let mut app = app_on(&db);
    open_by_name(&mut app, "Zeta Quantum");
    for width in [80, 60] {
        let screen = common::text(&app, width, 24);
        let mut lines = screen.lines();
        let bar = lines.next().unwrap();
        assert!(bar.contains("› Zeta Quantum") && bar.contains('…'), "{screen}");
        let name = lines.next().unwrap();
        assert!(name.starts_with("Zeta Quantum") && name.trim_end().ends_with("…  C-LONG-000123"), "{screen}");
    }
    let wide = common::text(&app, 140, 24);
    assert!(
        wide.contains("Zeta Quantum Logistics & Supply Chain Solutions International GmbH  C-LONG-000123"),
        "{wide}"
    );
}

/// A CRM file without a stage: its customers of days (within the jumpstart window) are
/// onboarding, as their onboarding journey says, the older ones in adoption; a stage the file
/// gives is kept either way, and a re-import does not move a stage set since.
#[test]
fn new_customers_without_a_stage_in_the_file_are_onboarding() {
    let (dir, db) = imported_crm(20);
    let stage_of = |id: &str| -> String {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.query_row("SELECT stage FROM accounts WHERE external_id = ?1", [id], |r| r.get(0)).unwrap()
    };
    // Customers since 3, 20 and 60 days (CRM-0000, -0001, -0002), then years.
    assert_eq!(stage_of("CRM-0000"), "onboarding");
    assert_eq!(stage_of("CRM-0001"), "onboarding");
    assert_eq!(stage_of("CRM-0002"), "onboarding");
    assert_eq!(stage_of("CRM-0003"), "adoption");
    let staged = dir.path().join("staged.csv");
    let since = (today() - Duration::days(5)).to_string();
    std::fs::write(&staged, format!("External ID,Account,Customer since,Stage\nCRM-9001,Fresh Co,{since},expansion\n"))
        .unwrap();
    ok(&db, &["import", "accounts", staged.to_str().unwrap()]);
    assert_eq!(stage_of("CRM-9001"), "expansion");
    // Re-imported, the file's rows change nothing of an account's stage.
    let file = crm_file(dir.path(), 20);
    ok(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert_eq!(stage_of("CRM-0000"), "onboarding");
}

/// A metrics file with samples dated after today (a billing period's end, or a typo): kept, each
/// counting from its day, and the import says so, where a log entry in the future is refused.
#[test]
fn metric_samples_dated_after_today_are_said() {
    let (dir, db) = imported_crm(10);
    let file = dir.path().join("usage.csv");
    let later = (today() + Duration::days(22)).to_string();
    std::fs::write(
        &file,
        format!("account,metric,date,value\nCRM-0001,active_users,{TODAY},10\nCRM-0001,active_users,{later},12\n"),
    )
    .unwrap();
    let (fine, out, err) = tend_on(&db, &["import", "metrics", file.to_str().unwrap()]);
    assert!(fine, "{err}");
    let said = format!("{out}{err}");
    assert!(
        said.contains(&format!("1 sample is dated after {TODAY}, kept as written: each counts from its day on (the first on line 3: {later})")),
        "{said}"
    );
    // Today's samples alone say nothing of it.
    std::fs::write(&file, format!("account,metric,date,value\nCRM-0002,active_users,{TODAY},10\n")).unwrap();
    let (fine, out, err) = tend_on(&db, &["import", "metrics", file.to_str().unwrap()]);
    assert!(fine && !format!("{out}{err}").contains("dated after"), "{out}{err}");
}

/// Renewal dates long past on a CRM book (not marked renewed or churned): listed last, the latest
/// first, and in none of the sums, counted and said (report and screen); the sums are those of
/// the renewals to chase.
#[test]
fn renewals_long_past_are_listed_last_and_left_out_of_the_sums() {
    let (_dir, db) = imported_crm(80);
    let report: serde_json::Value =
        serde_json::from_str(&ok(&db, &["report", "renewals", "--csm", "all", "--format", "json"])).unwrap();
    let rows = report["rows"].as_array().unwrap();
    let days: Vec<i64> = rows.iter().map(|r| r["days"].as_i64().unwrap()).collect();
    let long_past = days.iter().filter(|d| **d < -90).count();
    assert!(long_past > 3 && long_past < days.len(), "{days:?}");
    // The ones to chase first, soonest first; then the long past, the latest first.
    let (chase, past) = days.split_at(days.len() - long_past);
    assert!(chase.iter().all(|d| *d >= -90) && chase.is_sorted(), "{days:?}");
    assert!(past.iter().all(|d| *d < -90) && past.iter().rev().is_sorted(), "{days:?}");
    // Marked, and with no likelihood: they are in no sum.
    for (row, d) in rows.iter().zip(&days) {
        assert_eq!(row["long_past"], *d < -90, "{row}");
        assert_eq!(row["likelihood"].is_null(), *d < -90, "{row}");
    }
    // Nor a reason on Triage: the morning's list is not filled with a CRM's stale dates.
    let triage: serde_json::Value =
        serde_json::from_str(&ok(&db, &["report", "triage", "--all", "--format", "json"])).unwrap();
    let reasons: Vec<String> = triage["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["reasons"].as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()))
        .collect();
    let overdue_days =
        |reason: &str| -> Option<i64> { reason.strip_prefix("renewal ")?.split(' ').next()?.parse().ok() };
    let overdue: Vec<i64> = reasons.iter().filter_map(|r| overdue_days(r)).collect();
    assert!(!overdue.is_empty() && overdue.iter().all(|d| *d <= 90), "{reasons:?}");
    let summary = &report["summary"];
    assert_eq!(summary["long_past"], long_past);
    assert_eq!(summary["renewals"], chase.len());
    let due: f64 = rows[..chase.len()].iter().filter_map(|r| r["arr"].as_f64()).sum();
    assert_eq!(summary["arr_due"].as_f64().unwrap(), due);
    // The screen says it under the sums.
    let mut app = app_on(&db);
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('v'));
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('4'));
    let screen = common::text(&app, 120, 30);
    assert!(
        screen.contains(&format!(
            "{long_past} renewal dates more than 90 days past when imported: listed last, in none of these sums"
        )),
        "{screen}"
    );
    // In fewer words at 60 columns, where the list needs the rows.
    let screen = common::text(&app, 60, 24);
    assert!(screen.contains(&format!("{long_past} dates long past on import: listed last, in no sum")), "{screen}");
    // One selected says why it is apart (it said only "no Triage reason today").
    common::press(&mut app, ratatui::crossterm::event::KeyCode::End);
    let screen = common::text(&app, 160, 40);
    assert!(
        screen.contains("more than 90 days past when imported (most often a CRM's date not kept up): in no sum"),
        "{screen}"
    );
}

/// A fresh CRM import has no health history: Triage leaves out its 30-day change column rather
/// than show it empty on every line.
#[test]
fn triage_on_a_book_without_history_has_no_empty_change_column() {
    let (_dir, db) = imported_crm(40);
    let app = app_on(&db);
    let screen = common::text(&app, 80, 24);
    let header = screen.lines().find(|l| l.starts_with("Health")).unwrap_or_else(|| panic!("{screen}"));
    assert!(!header.contains("30d") && header.contains("Why"), "{screen}");
}

/// What was just added from the account is selected after: `x` marks the milestone added done,
/// not the line that happened to be selected (a new user's probe marked its "30-day review" done
/// so); a goal likewise.
#[test]
fn what_was_just_added_is_selected() {
    use ratatui::crossterm::event::KeyCode;
    let (_dir, db) = imported_crm(40);
    let mut app = app_on(&db);
    // A customer of three days: its onboarding milestones are planned.
    open_by_name(&mut app, "Company 10");
    for _ in 0..3 {
        common::press(&mut app, KeyCode::Char(']'));
    }
    let view = app.account.as_ref().unwrap();
    assert_eq!(view.tab, tend::tui::views::account::AccountTab::Journey);
    let planned: Vec<i64> = view.detail.milestones.iter().map(|m| m.id).collect();
    assert!(planned.len() >= 2, "{planned:?}");
    common::press(&mut app, KeyCode::Char('m'));
    common::press(&mut app, KeyCode::Tab);
    common::typ(&mut app, "Kick-off call");
    common::press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.form.error.clone()));
    let view = app.account.as_ref().unwrap();
    let added = view.detail.milestones.iter().find(|m| m.name == "Kick-off call").expect("added").id;
    assert_eq!(view.selected_target(), Some((tend::store::Entity::Milestone, added)));
    common::press(&mut app, KeyCode::Char('x'));
    let store = Store::open(&db).unwrap();
    assert_eq!(store.milestone(added).unwrap().unwrap().done, Some(today()));
    for id in &planned {
        assert_eq!(store.milestone(*id).unwrap().unwrap().done, None, "milestone {id} left as it was");
    }
    drop(store);

    // A goal added from the Goals tab is the one selected.
    common::press(&mut app, KeyCode::Char('['));
    common::press(&mut app, KeyCode::Char('a'));
    common::typ(&mut app, "Go live in Spain");
    common::press(&mut app, KeyCode::Enter);
    let view = app.account.as_ref().unwrap();
    assert_eq!(view.tab, tend::tui::views::account::AccountTab::Goals);
    let goal = view.detail.goals.iter().find(|g| g.words == "Go live in Spain").expect("added").id;
    assert_eq!(view.selected_target(), Some((tend::store::Entity::Goal, goal)));
    // Its status is changed in three keys and the letters of the status: an edit opens on it.
    common::press(&mut app, KeyCode::Char('e'));
    common::typ(&mut app, "at");
    common::press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.form.error.clone()));
    let view = app.account.as_ref().unwrap();
    let now = view.detail.goals.iter().find(|g| g.id == goal).expect("kept");
    assert_eq!(now.status, tend::domain::goal::GoalStatus::AtRisk);
    assert_eq!(now.words, "Go live in Spain");
}

/// A band set by hand on an account with no score yet (a CSM knows before the data does) is in
/// force and said on the Account view (who, until when, why) and on the one-on-one, as the lists
/// mark it ("R*"), not hidden behind "not enough data".
#[test]
fn an_override_on_an_account_without_a_score_is_said() {
    let (_dir, db) = imported_crm(40);
    ok(&db, &["override", "CRM-0005", "red", "--reason", "Sponsor will not renew", "--by", "Ben Okafor"]);
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 5");
    let screen = common::text(&app, 100, 30);
    let words = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("Health R* Red overridden until"), "{screen}");
    assert!(
        words.contains("Overridden to R Red by Ben Okafor on") && words.contains("Sponsor will not renew"),
        "{screen}"
    );
    // Its line in the timeline, shown whole, offers no `e` (B changes an override), and `e` there
    // does nothing.
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char(']'));
    let view = app.account.as_ref().unwrap();
    assert_eq!(view.detail.timeline[0].kind, "override");
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Enter);
    let shown = common::text(&app, 100, 30);
    assert!(shown.contains("band set to Red") && shown.contains("Esc closes") && !shown.contains("e edits"), "{shown}");
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('e'));
    assert!(app.viewer.is_some() && app.form.is_none());
    let mut app = app_on(&db);
    open_one_on_one(&mut app, "Ben Okafor");
    let screen = common::text(&app, 100, 200);
    assert!(screen.lines().any(|l| l.trim_start().starts_with("R*") && l.contains("Company 5 ")), "{screen}");
}

/// Renewals on a book whose ARR came in dollars and euros: the sums are in the currency most
/// renewals are in, and the screen says the amounts are added unconverted (it showed a sum of
/// mostly dollars as euros, without a word, when the first renewal was in euros).
#[test]
fn renewals_in_several_currencies_say_so() {
    use ratatui::crossterm::event::KeyCode;
    let (_dir, db) = imported_crm(40);
    let mut app = app_on(&db);
    common::press(&mut app, KeyCode::Char('4'));
    common::press(&mut app, KeyCode::Char('w'));
    common::press(&mut app, KeyCode::Char('w'));
    let screen = common::text(&app, 100, 40);
    let words = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    let store = Store::open(&db).unwrap();
    let accounts = store.all_accounts().unwrap();
    assert!(accounts.iter().any(|a| a.currency == "EUR") && accounts.iter().any(|a| a.currency == "USD"));
    assert!(
        words.contains("ARR in 2 currencies (") && words.contains("in EUR") && words.contains("added unconverted"),
        "{screen}"
    );
    assert!(screen.lines().any(|l| l.contains(" due · $")), "sums in dollars, as most are: {screen}");
    // The counts are of the renewals in the sums: the due ones with an ARR on record, none of
    // those long past.
    let number_before = |text: &str, what: &str| -> usize {
        let at = text.find(what).unwrap_or_else(|| panic!("{what}: {text}"));
        text[..at].split(|c: char| !c.is_ascii_digit()).rev().find(|w| !w.is_empty()).unwrap().parse().unwrap()
    };
    let due = number_before(&words, " due ·");
    let without = if words.contains(" with no ARR)") { number_before(&words, " with no ARR)") } else { 0 };
    let counted = number_before(&words, " in EUR") + number_before(&words, " in USD");
    assert_eq!(counted, due - without, "{screen}");
    // The Grid too: its sums in dollars, as most are, and the mix said under it.
    common::press(&mut app, KeyCode::Char('3'));
    let screen = common::text(&app, 120, 30);
    assert!(screen.contains("ARR in 2 currencies, added unconverted"), "{screen}");
    let total = screen.lines().find(|l| l.starts_with("Total")).unwrap();
    assert!(total.contains('$') && !total.contains('€'), "{total}");
}

/// A goal's changes read newest first on one day too ("now off track" above "set on track"),
/// and the same status again with nothing to add is refused rather than written twice.
#[test]
fn a_goals_status_reads_newest_first_and_is_not_written_twice() {
    let (_dir, db) = imported_crm(20);
    ok(&db, &["goal", "add", "CRM-0005", "Go live in Spain", "--by", "Ben Okafor"]);
    ok(&db, &["goal", "status", "Go live in Spain", "off_track", "--account", "CRM-0005", "--by", "Ben Okafor"]);
    let (done, _, err) = tend_on(
        &db,
        &["goal", "status", "Go live in Spain", "off_track", "--account", "CRM-0005", "--by", "Ben Okafor"],
    );
    assert!(!done && err.contains("nothing to change: goal \"Go live in Spain\" is already off track"), "{err}");
    let list = ok(&db, &["log", "list", "CRM-0005"]);
    let lines: Vec<&str> = list.lines().filter(|l| l.contains("Go live in Spain")).collect();
    assert_eq!(lines.len(), 2, "{list}");
    assert!(lines[0].contains("now off track") && lines[1].contains("set on track"), "{list}");
    // With a note it is a note on the status, kept.
    ok(
        &db,
        &[
            "goal",
            "status",
            "Go live in Spain",
            "off_track",
            "--account",
            "CRM-0005",
            "--note",
            "still blocked",
            "--by",
            "Ben Okafor",
        ],
    );
    let list = ok(&db, &["log", "list", "CRM-0005"]);
    assert!(list.lines().next().is_some() && list.contains("still blocked"), "{list}");
}

/// Misspellings are met with the name meant: an account typed without its accents and with a
/// slip ("Cafe Olle") is offered "Café Olé S.A."; a CSM new to the book in an import is said
/// beside the one it looks like.
#[test]
fn a_misspelt_name_is_met_with_the_one_meant() {
    let (dir, db) = imported_crm(20);
    import_text(&db, &dir, "accounts", "External ID,Account,CSM,ARR\nEU-1,Café Olé S.A.,Maya Patel,1000\n");
    let (logged, _, err) = tend_on(&db, &["log", "sentiment", "Cafe Olle", "6", "--by", "Maya Patel"]);
    assert!(!logged && err.contains("did you mean Café Olé S.A.?"), "{err}");
    let said = import_text(&db, &dir, "accounts", "External ID,Account,CSM,ARR\nEU-2,Zürich AG,Maya Patell,1000\n");
    assert!(
        said.contains(
            "\"Maya Patell\" (Maya Patel misspelt?) (not in the book before; a file of the accounts' external ids \
             and their CSM as it should be (or this one corrected), imported, moves them)"
        ),
        "{said}"
    );
    // So it does: the CSM is named as meant, and the misspelt one owns nothing.
    let said = import_text(&db, &dir, "accounts", "External ID,CSM\nEU-2,Maya Patel\n");
    assert!(said.contains("moved 1 account to another CSM"), "{said}");
    let team = ok(&db, &["report", "team"]);
    assert!(!team.contains("Maya Patell"), "{team}");
    // A file of logs names accounts as people type them: without accents or strokes, in any
    // case; a slip is refused with the name meant, and the refused file logs nothing.
    let file = dir.path().join("slip.csv");
    std::fs::write(
        &file,
        "Account,Kind,Date,Score\ncafe ole s.a.,sentiment,2026-11-20,7\nZurch AG,sentiment,2026-11-20,5\n",
    )
    .unwrap();
    let (imported, _, err) = tend_on(&db, &["import", "logs", file.to_str().unwrap()]);
    assert!(
        !imported && err.contains("unknown account (did you mean Zürich AG? or one the accounts import left out)"),
        "{err}"
    );
    assert!(!err.contains("cafe ole"), "the name without accents is found: {err}");
    assert!(!ok(&db, &["log", "list", "EU-1"]).contains("sentiment"), "a refused file logs nothing");
    let said = import_text(&db, &dir, "logs", "Account,Kind,Date,Score\ncafe ole s.a.,sentiment,2026-11-20,7\n");
    assert!(said.contains("1 new"), "{said}");
    // A CRM's words for a touch's channel: "Phone" is a call, "Zoom" a meeting.
    let said = import_text(
        &db,
        &dir,
        "logs",
        "Account,Kind,Date,Channel\nEU-1,touch,2026-11-21,Phone\nEU-1,touch,2026-11-22,Zoom\n",
    );
    assert!(said.contains("2 new"), "{said}");
    let list = ok(&db, &["log", "list", "EU-1"]);
    assert!(list.contains("call") && list.contains("meeting"), "{list}");
    // An Intercom export's conversations are touches by chat, by channel or by type alone.
    let said = import_text(
        &db,
        &dir,
        "logs",
        "Account,Kind,Date,Channel\nEU-1,touch,2026-11-21,Live chat\nEU-1,Conversation,2026-11-22,\n",
    );
    assert!(said.contains("2 new") && said.contains("chat 2"), "{said}");
    assert!(ok(&db, &["log", "touch", "EU-1", "chat", "--note", "asked about SSO"]).contains("chat"));
    assert!(ok(&db, &["log", "list", "EU-1"]).contains("sentiment"));
}

/// A HubSpot-like export as a lead's first import: ARR written the European way ("EUR 46.000"
/// is 46,000 euros, not 46), no customer-since column (said, with the way to map one), usage
/// headed "Week Starting" and survey answers "Created At"; the currencies counted are those of
/// amounts on record.
#[test]
fn a_european_crm_export_reads_as_written() {
    let (dir, db, said) = import_into_new_book(
        "Company ID,Company name,Account Owner,Annual Recurring Revenue,Close Date\n\
         H-1,Kramerica Media,Maya Patel,EUR 46.000,2025-03-01\n\
         H-2,Vandelay GmbH,Maya Patel,\"9.500 €\",2024-01-10\n\
         H-3,Pendant Inc,Ben Okafor,\"$12,000.00\",2023-05-05\n\
         H-4,Blank Co,Ben Okafor,,2022-02-02\n",
    );
    assert!(said.contains("ARR in 2 currencies (2 in EUR, 1 in USD)"), "the blank ARR is in none: {said}");
    assert!(
        said.contains("no column gives the day each became a customer")
            && said.contains("\"Close Date\" = \"customer_since\""),
        "{said}"
    );
    let accounts = csv_rows(&ok(&db, &["export", "accounts"]));
    let arr = |id: &str| accounts.iter().find(|a| a["external_id"] == id).map(|a| a["arr"].clone()).unwrap();
    assert_eq!((arr("H-1").as_str(), arr("H-2").as_str(), arr("H-3").as_str()), ("46000", "9500", "12000"));
    let usage = import_text(
        &db,
        &dir,
        "metrics",
        &format!("Company ID,Week Starting,logins\nH-1,{},12\n", today() - Duration::days(7)),
    );
    assert!(usage.contains("imported 1 metric sample"), "{usage}");
    // ChurnZero's weekly export heads the date with the week's last day (a probe's was refused).
    let usage = import_text(
        &db,
        &dir,
        "metrics",
        &format!("Company ID,Week Ending,logins\nH-2,{},7\n", today() - Duration::days(1)),
    );
    assert!(usage.contains("imported 1 metric sample"), "{usage}");
    let nps = import_text(
        &db,
        &dir,
        "logs",
        &format!("account,kind,Created At,score\nH-1,nps,{},9\n", today() - Duration::days(2)),
    );
    assert!(nps.contains("imported 1 log entr"), "{nps}");
}

/// Renewals a CRM file records as outcomes ("Renewed" on a day) move the renewal date a term on,
/// as marking one renewed does: they left the account on the Renewals list as overdue, "renewed
/// until" a date already past. Importing the file again changes nothing.
#[test]
fn an_imported_renewal_moves_the_renewal_date_a_term_on() {
    let (dir, db) = imported_crm(40);
    // CRM-0001's renewal date is 31 days past (the CRM file's rule: 30 + i days); CRM-0005's
    // 35 days past.
    let before = csv_rows(&ok(&db, &["export", "accounts"]));
    let date = |rows: &[std::collections::HashMap<String, String>], id: &str| {
        let text = rows.iter().find(|a| a["external_id"] == id).unwrap()["renewal_date"].clone();
        chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").unwrap()
    };
    let old = date(&before, "CRM-0001");
    assert!(old < today(), "{old}");
    let renewed_on = today() - Duration::days(3);
    let outcomes = format!("External ID,Outcome,Outcome date\nCRM-0001,Renewed,{renewed_on}\n");
    let next = old.checked_add_months(chrono::Months::new(12)).unwrap();
    // Said, before and when it is done: a date moved by a file is never a surprise.
    let file = dir.path().join("outcomes.csv");
    std::fs::write(&file, &outcomes).unwrap();
    let dry = ok(&db, &["import", "accounts", file.to_str().unwrap(), "--dry-run"]);
    assert!(
        dry.contains(&format!(
            "1 renewal the file records would move its renewal date a term on (Company 1 {old} -> {next}"
        )),
        "{dry}"
    );
    let said = import_text(&db, &dir, "accounts", &outcomes);
    assert!(said.contains(&format!("moved its renewal date a term on (Company 1 {old} -> {next}")), "{said}");
    let after = csv_rows(&ok(&db, &["export", "accounts"]));
    let moved = date(&after, "CRM-0001");
    assert_eq!(moved, next);
    let list = ok(&db, &["log", "list", "CRM-0001"]);
    assert!(list.contains(&format!("renewed until {moved}")), "{list}");
    let renewals: serde_json::Value =
        serde_json::from_str(&ok(&db, &["report", "renewals", "--csm", "all", "--format", "json"])).unwrap();
    assert!(!renewals["rows"].as_array().unwrap().iter().any(|r| r["account"] == "Company 1"), "{renewals}");
    // Again: nothing changes, and nothing is said to.
    assert!(!import_text(&db, &dir, "accounts", &outcomes).contains("a term on"));
    assert_eq!(date(&csv_rows(&ok(&db, &["export", "accounts"])), "CRM-0001"), moved);
    assert_eq!(ok(&db, &["log", "list", "CRM-0001"]).matches("renewed until").count(), 1);
}

/// Use that stopped and stayed stopped (usage 0, then 0 a month on) is no growth, 0%, not no
/// data: its growth left the factor missing, and the account under the evidence a score needs.
/// And no use then and none now is no steady use: the fewest points, not a flat one's 3 (a
/// probe's accounts sending 0 every week drifted up to Yellow on "flat" growth).
#[test]
fn usage_flat_at_zero_is_no_growth_not_no_data() {
    let (dir, db) = imported_crm(20);
    let mut usage = String::from("account,metric,date,value\n");
    for weeks in 0..8 {
        writeln!(usage, "CRM-0004,usage,{},0", today() - Duration::days(weeks * 7)).unwrap();
        writeln!(usage, "CRM-0004,active_users,{},0", today() - Duration::days(weeks * 7)).unwrap();
    }
    import_text(&db, &dir, "metrics", &usage);
    let accounts = csv_rows(&ok(&db, &["export", "accounts"]));
    let row = accounts.iter().find(|a| a["external_id"] == "CRM-0004").unwrap();
    // So are active users 0 then and 0 now: not "+0%" at 4 points; and the week's 0 after a
    // week of 0 is no collapse for Triage to name.
    assert_eq!((row["value_active_users_change"].as_str(), row["points_active_users_change"].as_str()), ("0", "1"));
    assert_eq!(row["points_active_users_week"], "1", "{row:?}");
    assert!(!ok(&db, &["report", "triage", "--all"]).contains("Active users w/w"));
    // 0% against thresholds -20, -10, 10 (higher better) would be flat, 3 points: between two
    // windows of no use it is 1.
    assert_eq!(row["points_usage_growth"], "1", "{row:?}");
    // The value itself is beside its points, for a spreadsheet.
    assert_eq!(row["value_usage_growth"], "0", "{row:?}");
    // No touch logged, and tend has known the account for no days yet: no value, not "0 days".
    assert_eq!(row["value_days_since_touch"], "", "{row:?}");
}

/// The Scoring view, once shown, is worked out again after a write in the same session: a churn
/// logged from Renewals is one more outcome for its back-test and moves its counts (it showed the
/// book as it was when first opened).
#[test]
fn the_scoring_view_follows_the_sessions_writes() {
    use ratatui::crossterm::event::KeyCode;
    let (_dir, db) = imported_crm(40);
    let mut app = app_on(&db);
    common::press(&mut app, KeyCode::Char('6'));
    let before = common::text(&app, 120, 40);
    common::press(&mut app, KeyCode::Char('4'));
    common::press(&mut app, KeyCode::Char('C'));
    common::typ(&mut app, "Budget cut");
    common::press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.form.error.clone()));
    common::press(&mut app, KeyCode::Char('6'));
    let after = common::text(&app, 120, 40);
    assert_ne!(before, after, "{after}");
    assert!(after.contains("over 1 renewal or churn (0 scored: too few to judge)"), "{before}\n{after}");
}

/// Marking an overdue renewal renewed offers its anniversary a year on as the new date (the
/// term that renewed), not a year from today.
#[test]
fn renewing_late_offers_the_anniversary() {
    use ratatui::crossterm::event::KeyCode;
    let (_dir, db) = imported_crm(40);
    let doc: serde_json::Value =
        serde_json::from_str(&ok(&db, &["report", "renewals", "--csm", "all", "--format", "json"])).unwrap();
    let first = &doc["rows"][0];
    let date = chrono::NaiveDate::parse_from_str(first["renewal_date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    assert!(date < today(), "the first is overdue: {first}");
    let mut app = app_on(&db);
    common::press(&mut app, KeyCode::Char('4'));
    common::press(&mut app, KeyCode::Char('R'));
    let form = &app.form.as_ref().expect("the renew form").form;
    assert!(form.title.contains(first["account"].as_str().unwrap()), "{}", form.title);
    assert_eq!(form.date("until").unwrap(), date.checked_add_months(chrono::Months::new(12)));
    // The field being typed in is marked, the labels aligned in their column.
    let screen = common::text(&app, 80, 24);
    assert!(
        screen.contains("  ▸ Until 20") && screen.contains("  New ARR") && screen.contains("  Renewed 20"),
        "{screen}"
    );
    common::press(&mut app, KeyCode::Tab);
    let screen = common::text(&app, 80, 24);
    assert!(!screen.contains("▸ Until") && screen.contains("▸ New ARR"), "{screen}");
}

/// The renew form offers today as the day it renewed, but for a renewal date more than 90 days
/// past (a book being caught up on): that date (or its latest anniversary), when the contract
/// renewed, and a year on from it as the new date. (It offered today for a renewal of months
/// ago, which would have counted it in this month's figures.)
#[test]
fn renewing_a_long_past_renewal_offers_the_day_it_renewed() {
    use ratatui::crossterm::event::KeyCode;
    let (_dir, db) = imported_crm(300);
    let doc: serde_json::Value =
        serde_json::from_str(&ok(&db, &["report", "renewals", "--csm", "all", "--format", "json"])).unwrap();
    let rows = doc["rows"].as_array().unwrap();
    let day = |r: &serde_json::Value| {
        chrono::NaiveDate::parse_from_str(r["renewal_date"].as_str().unwrap_or_default(), "%Y-%m-%d").ok()
    };
    let past = |r: &serde_json::Value| day(r).filter(|d| *d < today()).map(|d| (today() - d).num_days());
    let long_past = rows.iter().position(|r| past(r).is_some_and(|n| n > 200)).expect("a renewal long past");
    let recent = rows.iter().position(|r| past(r).is_some_and(|n| n <= 90)).expect("a renewal a few days past");
    for (at, offered) in [(long_past, day(&rows[long_past]).unwrap()), (recent, today())] {
        let mut app = app_on(&db);
        common::press(&mut app, KeyCode::Char('4'));
        for _ in 0..at {
            common::press(&mut app, KeyCode::Char('j'));
        }
        common::press(&mut app, KeyCode::Char('R'));
        let form = &app.form.as_ref().expect("the renew form").form;
        assert!(form.title.contains(rows[at]["account"].as_str().unwrap()), "{}", form.title);
        assert_eq!(form.date("date").unwrap(), Some(offered), "{}", rows[at]);
        let renewal = day(&rows[at]).unwrap();
        // The date on record is named, so that the day offered reads as chosen.
        assert!(form.title.ends_with(&format!(" · was due {renewal}")), "{}", form.title);
        assert_eq!(form.date("until").unwrap(), renewal.checked_add_months(chrono::Months::new(12)));
    }
}

/// A first import, into an empty book, of a CRM file whose owner column has a slip on one row
/// ("Sofia Rosi" once, "Sofia Rossi" on the rest): said, as no CSM of the book can show it up.
#[test]
fn a_first_import_says_a_csm_named_once_like_another_named_often() {
    let mut file = String::from("External ID,Account,CSM\n");
    for i in 0..12 {
        writeln!(file, "S-{i},Shop {i},Sofia Rossi").unwrap();
        writeln!(file, "M-{i},Mill {i},Maya Patel").unwrap();
    }
    file.push_str("S-99,Shop 99,Sofia Rosi\n");
    let (_dir, _db, said) = import_into_new_book(&file);
    assert!(
        said.contains("CSM \"Sofia Rosi\" (1 row) is much like \"Sofia Rossi\" (12 rows): a misspelling?"),
        "{said}"
    );
    assert!(!said.contains("\"Maya Patel\" ("), "{said}");
    // Four rows beside forty-six, a tenth as many, is a slip too ("Benn Cole" passed without a
    // word); four beside twelve is two people.
    let mut file = String::from("External ID,Account,CSM\n");
    for i in 0..46 {
        writeln!(file, "B-{i},Bank {i},Ben Cole").unwrap();
    }
    for i in 0..4 {
        writeln!(file, "X-{i},Box {i},Benn Cole").unwrap();
    }
    let (_dir, _db, said) = import_into_new_book(&file);
    assert!(said.contains("CSM \"Benn Cole\" (4 rows) is much like \"Ben Cole\" (46 rows): a misspelling?"), "{said}");
    let mut file = String::from("External ID,Account,CSM\n");
    for i in 0..12 {
        writeln!(file, "B-{i},Bank {i},Ben Cole").unwrap();
    }
    for i in 0..4 {
        writeln!(file, "X-{i},Box {i},Benn Cole").unwrap();
    }
    let (_dir, _db, said) = import_into_new_book(&file);
    assert!(!said.contains("much like"), "{said}");
}

/// A Pipedrive-style export names the account an organization: its id, name and owner are read
/// as such ("Organization - ID" was an attribute, and the accounts keyed on their names without a
/// word); a file with no id column at all says its accounts are keyed on their names.
#[test]
fn an_organization_export_is_keyed_on_its_ids() {
    let (dir, db, said) = import_into_new_book(
        "Organization - ID,Organization - Name,Organization - Owner,Value\n\
         17,Acme Robotics,Priya Shah,12000\n\
         18,Beta Foods,Priya Shah,8000\n",
    );
    assert!(!said.contains("keyed on their names"), "{said}");
    let accounts = csv_rows(&ok(&db, &["export", "accounts"]));
    let acme = accounts.iter().find(|a| a["name"] == "Acme Robotics").unwrap();
    assert_eq!((acme["external_id"].as_str(), acme["csm"].as_str()), ("17", "Priya Shah"), "{acme:?}");
    let names_only = import_text(&db, &dir, "accounts", "Account,CSM\nGamma Labs,Priya Shah\n");
    assert!(
        names_only.contains("no column gives an external id") && names_only.contains("keyed on their names"),
        "{names_only}"
    );
    // The name is not said twice as its own id (a probe's "new: Acme Analytics (Acme Analytics)").
    let file = dir.path().join("names.csv");
    std::fs::write(&file, "Account,CSM\nDelta Co,Priya Shah\n").unwrap();
    let dry = ok(&db, &["import", "accounts", file.to_str().unwrap(), "--dry-run"]);
    assert!(dry.contains("new: Delta Co") && !dry.contains("Delta Co (Delta Co)"), "{dry}");
    let mut app = app_on(&db);
    open_by_name(&mut app, "Gamma Labs");
    let screen = common::text(&app, 80, 24);
    assert!(!screen.contains("Gamma Labs  Gamma Labs"), "{screen}");
    assert!(screen.contains("Gamma Labs"), "{screen}");
    // Nor on Ctrl-K, where an account's id is said beside its name.
    app.handle_key(ratatui::crossterm::event::KeyEvent::new(
        ratatui::crossterm::event::KeyCode::Char('k'),
        ratatui::crossterm::event::KeyModifiers::CONTROL,
    ))
    .unwrap();
    common::typ(&mut app, "gamma");
    let screen = common::text(&app, 80, 24);
    assert!(screen.contains("Gamma Labs") && !screen.contains("Gamma Labs · Gamma Labs"), "{screen}");
}

/// `me` misspelt is the first thing `tend config check` warns of, above the factors' findings a
/// new book has a dozen of (it came fourteenth).
#[test]
fn a_misspelt_me_is_the_first_warning_of_config_check() {
    let (dir, db) = imported_crm(20);
    let config = dir.path().join("tend.toml");
    std::fs::write(&config, "me = \"mya\"\n").unwrap();
    let (_, out, err) = tend_on(&db, &["--config", config.to_str().unwrap(), "config", "check"]);
    let first = out.lines().find(|l| l.starts_with("# warning") || l.starts_with("# refused")).unwrap_or_default();
    assert!(first.starts_with("# warning: me = \"mya\""), "{out}{err}");
    assert!(out.lines().filter(|l| l.starts_with("# warning")).count() > 1, "the factors' findings follow: {out}");
    // The verdict is the last line too, under the effective configuration, with how many of the
    // warnings are about built-in factors (a probe's own file's result was lost under fourteen).
    let last = out.trim_end().lines().last().unwrap_or_default();
    assert!(last.contains("tend.toml: valid (") && last.contains("above about built-in factors"), "{out}");
    // The example file copied whole, as its head invites: its factors are the built-ins', counted so.
    std::fs::write(&config, tend::config::EXAMPLE_TOML).unwrap();
    let (_, out, err) = tend_on(&db, &["--config", config.to_str().unwrap(), "config", "check"]);
    let last = out.trim_end().lines().last().unwrap_or_default();
    assert!(last.contains("tend.toml: valid (") && last.contains("above about built-in factors"), "{out}{err}");
}

/// A first import with sentiment logged for a few accounts and nothing else: no account can
/// score, and the Scoring view says why (how much of the weight has data, what a score needs,
/// what the book lacks most) and, per factor, how many accounts have a value.
#[test]
fn the_scoring_view_says_why_accounts_have_no_score() {
    let book = common::CrmBook::new(40);
    let mut logs = String::from("Account,Kind,Date,Score\n");
    for i in 0..10 {
        logs.push_str(&format!("CRM-{i:04},sentiment,2026-11-1{i},7\n"));
    }
    import_text(&book.path, &book.dir, "logs", &logs);
    let mut app = app_on(&book.path);
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('6'));
    let screen = common::text(&app, 120, 40);
    // Sentiment alone, 3 of 11 (a touch never logged is no value; NPS, usage vs expected and
    // bugs are optional, and not counted without a value).
    let line = screen.lines().find(|l| l.contains("No score")).unwrap_or_else(|| panic!("{screen}"));
    // The 30 without any data are said apart (a probe read "most lack CSM sentiment" of 65 of
    // which 60 had no data at all).
    assert!(
        line.contains("No score 40 (30 with no data yet): at most 27% of the weight has data, 50% needed"),
        "{line}"
    );
    // What those with some data lack most, by weight: optional evidence is never named, as it is
    // not lacking, and the sentiment they have is not.
    assert!(line.contains("most lack Days since login"), "{line}");
    assert!(!line.contains("lack CSM sentiment"), "{line}");
    let sentiment = screen.lines().find(|l| l.contains("CSM sentiment")).unwrap();
    assert!(sentiment.trim_end().ends_with("25%"), "10 of 40 accounts: {sentiment}");
    let usage = screen.lines().find(|l| l.contains("Usage vs expected")).unwrap();
    assert!(usage.trim_end().ends_with('-'), "{usage}");
    // At 80 columns the line is whole, with fewer words (what they lack gives way).
    let screen = common::text(&app, 80, 24);
    let line = screen.lines().find(|l| l.contains("No score")).unwrap_or_else(|| panic!("{screen}"));
    assert!(line.contains("No score 40 (30 with no data yet): ≤27% of the weight has data, 50% needed"), "{line}");
}

/// Without `me` in the config, what a CSM logs is signed as the account's CSM: the first entry
/// of a session says so, and how to sign as oneself; the next ones do not repeat it.
#[test]
fn logging_without_me_says_whom_it_is_signed_as() {
    use ratatui::crossterm::event::KeyCode;
    let (_dir, db) = imported_crm(40);
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 1");
    let log_sentiment = |app: &mut tend::tui::App, score: &str| {
        common::press(app, KeyCode::Char('s'));
        common::typ(app, score);
        common::press(app, KeyCode::Enter);
        assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.form.error.clone()));
        app.message.clone().unwrap_or_default()
    };
    let said = log_sentiment(&mut app, "7");
    assert!(said.contains("signed as Ben Okafor, its CSM; me in the config signs as you"), "{said}");
    // Whole on screen at 80 columns, however many lines it wraps to.
    let screen = common::text(&app, 80, 24).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(screen.contains("me in the config signs as you)"), "{screen}");
    assert!(said.chars().count() > 160, "three lines at 80 columns: {}", said.chars().count());
    let said = log_sentiment(&mut app, "6");
    assert!(!said.contains("signed as"), "{said}");
    drop(app);
    let logs = ok(&db, &["export", "logs", "--format", "csv"]);
    let signed: Vec<&str> = logs.lines().filter(|l| l.starts_with("CRM-0001,sentiment")).collect();
    assert!(signed.len() == 2 && signed.iter().all(|l| l.contains("Ben Okafor")), "{logs}");
}

/// A note too long for its timeline line is cut there, and shown whole under the list while
/// its line is selected: the end of what was written is on screen at 80 and 60 columns.
#[test]
fn a_selected_timeline_note_is_shown_whole() {
    use ratatui::crossterm::event::KeyCode;
    let (_dir, db) = imported_crm(40);
    let note = "Renewal call, asked about the new pricing tiers and SSO; they want a quote by Friday";
    ok(&db, &["log", "touch", "CRM-0001", "call", "--note", note]);
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 1");
    common::press(&mut app, KeyCode::Tab);
    for width in [80, 60] {
        let screen = common::text(&app, width, 24);
        let line = screen.lines().find(|l| l.contains("Renewal call")).unwrap();
        assert!(line.contains('…'), "cut on its line at {width}: {line}");
        assert!(screen.contains("quote by Friday"), "{screen}");
    }
}

/// On a first import there is no change to show over any window: `w` says so rather than seem
/// to do nothing.
#[test]
fn the_change_window_on_a_new_book_says_there_is_no_history() {
    use ratatui::crossterm::event::KeyCode;
    let (_dir, db) = imported_crm(40);
    let mut app = app_on(&db);
    common::press(&mut app, KeyCode::Char('2'));
    let _ = common::text(&app, 80, 24);
    common::press(&mut app, KeyCode::Char('w'));
    let said = app.message.clone().unwrap_or_default();
    assert!(said.contains("Δ90d: no account has a score from 90 days back yet"), "{said}");
}

/// A touch with someone the book does not know yet: the first Enter says so, the second adds
/// them to the account's People and logs the touch with them; a name like someone there is met
/// with that name instead, never added.
#[test]
fn a_touch_with_someone_new_adds_them_on_a_second_enter() {
    use ratatui::crossterm::event::KeyCode;
    let (_dir, db) = imported_crm(40);
    ok(&db, &["contact", "add", "CRM-0001", "Dana Whitfield"]);
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 1");
    let focus_with = |app: &mut tend::tui::App| {
        for _ in 0..10 {
            let open = app.form.as_ref().expect("the touch form");
            if open.form.fields[open.form.focus].key == "with" {
                return;
            }
            common::press(app, KeyCode::Tab);
        }
        panic!("no With field");
    };
    // A typo of someone there: named, not added.
    common::press(&mut app, KeyCode::Char('t'));
    focus_with(&mut app);
    common::typ(&mut app, "Dana Whitfeld");
    common::press(&mut app, KeyCode::Enter);
    common::press(&mut app, KeyCode::Enter);
    let error = app.form.as_ref().and_then(|f| f.form.error.clone()).expect("refused");
    assert!(error.contains("Dana Whitfield"), "{error}");
    common::press(&mut app, KeyCode::Esc);
    common::press(&mut app, KeyCode::Esc);
    assert!(app.form.is_none());

    common::press(&mut app, KeyCode::Char('t'));
    focus_with(&mut app);
    common::typ(&mut app, "Jane Doe, dana");
    common::press(&mut app, KeyCode::Enter);
    let error = app.form.as_ref().and_then(|f| f.form.error.clone()).expect("said first");
    assert!(error.contains("\"Jane Doe\" is no one at this account yet: Enter again adds them to People"), "{error}");
    common::press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.form.error.clone()));
    let said = app.message.clone().unwrap_or_default();
    assert!(said.contains("Jane Doe added to People"), "{said}");
    drop(app);
    let people = ok(&db, &["contact", "list", "CRM-0001"]);
    assert!(people.contains("Jane Doe") && !people.contains("Whitfeld"), "{people}");
    let logs = ok(&db, &["export", "logs", "--format", "csv"]);
    let touch = logs.lines().find(|l| l.starts_with("CRM-0001,touch")).expect("the touch");
    assert!(touch.contains("Jane Doe") && touch.contains("Dana Whitfield"), "{touch}");
}

/// Weekly usage headed by the week's start, read days after the last week: an account that
/// logged in every week has "days since login" 0 as of its newest data, not the days since the
/// export (which made every account fall a little each day and filled Triage with drops); the
/// data's age is said on its own, from the last day of its newest week (the day its value is
/// dated: known whole).
#[test]
fn weekly_logins_are_counted_to_the_newest_week_not_to_today() {
    let (dir, db) = imported_crm(20);
    let mut usage = String::from("Account,Metric,Week Starting,Value\n");
    for i in 3..=6 {
        // Mondays from 2026-08-03 to 2026-11-16; today is Monday 2026-11-23, a week on.
        for week in 0..16 {
            let day = chrono::NaiveDate::from_ymd_opt(2026, 8, 3).unwrap() + chrono::Duration::weeks(week);
            usage.push_str(&format!("CRM-{i:04},logins,{day},5\n"));
        }
    }
    import_text(&db, &dir, "metrics", &usage);
    let accounts: Vec<serde_json::Value> =
        serde_json::from_str(&ok(&db, &["export", "accounts", "--format", "json"])).unwrap();
    for i in 3..=6 {
        let a = accounts.iter().find(|a| a["external_id"] == format!("CRM-{i:04}")).unwrap();
        assert_eq!(a["points_days_since_login"], 4, "logged in the newest week: {a}");
    }
    let triage = ok(&db, &["report", "triage", "--all", "--format", "json"]);
    assert!(!triage.contains("Days since login"), "{triage}");
    // The data's age is said where it is shown: the account view's "data 1d old" (the week of
    // 2026-11-16 is whole on 2026-11-22).
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 3");
    let screen = common::text(&app, 100, 30);
    assert!(screen.contains("1d old") || screen.contains("1 day old"), "{screen}");
    // Said with the data's rhythm: a week's age is the newest week of a weekly export.
    assert!(screen.contains("weekly data"), "{screen}");
}

/// An account whose usage data stopped while the others' goes on has gone quiet: its days since a
/// login count up to the newest day of the book's usage data, not to its own last row (it read
/// "0d", full points, to a CSM whose customer had not logged in for a month).
#[test]
fn an_account_whose_usage_stopped_counts_its_days_to_the_books_newest_data() {
    let (dir, db) = imported_crm(20);
    // CRM-0006's data stops on 2026-10-19, four weeks before the others' last week (2026-11-16),
    // CRM-0007's on 2026-09-07, ten weeks before.
    let weeks = |i| match i {
        6 => 12,
        7 => 6,
        _ => 16,
    };
    let usage = weekly_usage("Account,Metric,Date,Value", 3..=7, weeks, |i, day| {
        format!("CRM-{i:04},logins,{day},5\nCRM-{i:04},usage,{day},50\n")
    });
    import_text(&db, &dir, "metrics", &usage);
    // A feed that stopped is a Triage reason of its own, counted from the book's data (the
    // others' last week is no staler for being a week before today), and reads as stopped, not as
    // data never imported, once its samples are too old to count.
    let (triage, reasons) = triage_reasons(&db);
    // Said with how long ago the feed stopped, the factors that stopped together named together.
    assert!(reasons("Company 6").contains("stale: Usage growth (MoM) — 28 days behind the rest"), "{triage}");
    assert!(reasons("Acme 7, Inc.").contains("stale: Usage growth (MoM) — 70 days behind the rest"), "{triage}");
    assert!(!reasons("Company 3").contains("stale"), "{triage}");
    let mut app = app_on(&db);
    open_by_name(&mut app, "Acme 7");
    let screen = common::text(&app, 100, 30);
    let growth = screen.lines().find(|l| l.contains("Usage growth")).unwrap_or("");
    assert!(growth.contains("last data 70d before the rest: left out"), "{screen}");
    let accounts: Vec<serde_json::Value> =
        serde_json::from_str(&ok(&db, &["export", "accounts", "--format", "json"])).unwrap();
    let account = |i: usize| accounts.iter().find(|a| a["external_id"] == format!("CRM-{i:04}")).unwrap();
    assert_eq!(account(3)["points_days_since_login"], 4, "{}", account(3));
    assert_ne!(account(6)["points_days_since_login"], 4, "{}", account(6));
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 6");
    let login_line = |screen: &str| screen.lines().find(|l| l.contains("Days since login")).unwrap_or("").to_string();
    let screen = common::text(&app, 100, 30);
    assert!(login_line(&screen).contains(" 28d "), "{screen}");
    // A week's data for the others only: CRM-0006 a week quieter, the others still 0 days, and
    // every account's cached value worked out again (not only those in the file).
    let mut week = String::from("Account,Metric,Date,Value\n");
    for i in 3..=5 {
        week.push_str(&format!("CRM-{i:04},logins,2026-11-23,5\n"));
    }
    import_text(&db, &dir, "metrics", &week);
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 6");
    let screen = common::text(&app, 100, 30);
    assert!(login_line(&screen).contains(" 35d "), "{screen}");
    let accounts: Vec<serde_json::Value> =
        serde_json::from_str(&ok(&db, &["export", "accounts", "--format", "json"])).unwrap();
    let login_points = |i: usize| {
        accounts.iter().find(|a| a["external_id"] == format!("CRM-{i:04}")).unwrap()["points_days_since_login"].clone()
    };
    assert_eq!(login_points(3), 4);
    // Over the 30 days of the default thresholds: one point, in the values every list reads.
    assert_eq!(login_points(6), 1);
}

/// One account's row of a later day (a correction, a feed that runs ahead) moves no other
/// account: their days since a login count to the newest day the book's data covers, which an
/// export's day is and one row is not (a probe's one-row file took 146 accounts off full login
/// points). On a past day they count to the export before it, as today's do.
#[test]
fn one_accounts_later_row_moves_no_other_account() {
    let (dir, db) = imported_crm(20);
    // A login every four weeks, exported so: 2026-06-01 to 2026-10-19, a Monday each.
    let mut usage = String::from("Account,Metric,Month,Value\n");
    for i in 1..=12 {
        for month in 0..6 {
            let day = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap() + chrono::Duration::weeks(4 * month);
            usage.push_str(&format!("CRM-{i:04},logins,{day},5\n"));
        }
    }
    import_text(&db, &dir, "metrics", &usage);
    let points = |db: &Path, as_of: &str| -> Vec<(String, serde_json::Value)> {
        let args = ["export", "accounts", "--format", "json", "--as-of", as_of];
        let accounts: Vec<serde_json::Value> = serde_json::from_str(&ok(db, &args)).unwrap();
        let points = |a: &serde_json::Value| a["points_days_since_login"].clone();
        accounts.iter().map(|a| (a["external_id"].as_str().unwrap().to_string(), points(a))).collect()
    };
    let of = |all: &[(String, serde_json::Value)], key: &str| all.iter().find(|(k, _)| k == key).unwrap().1.clone();
    let before = points(&db, "2026-11-23");
    assert_eq!(of(&before, "CRM-0005"), 4, "0 days to the export of 2026-10-19: {before:?}");
    // 2026-10-15 counts to the export of 2026-09-21, not to itself (24 days, 2 points).
    assert_eq!(of(&points(&db, "2026-10-15"), "CRM-0005"), 4);
    import_text(&db, &dir, "metrics", "Account,Metric,Month,Value\nCRM-0003,logins,2026-11-20,0\n");
    import_text(&db, &dir, "metrics", "Account,Metric,Month,Value\nCRM-0004,logins,2026-11-30,5\n");
    let after = points(&db, "2026-11-23");
    for (key, was) in &before {
        match key.as_str() {
            // Its own later row, of no logins, counts to its day: 32 days since its login.
            "CRM-0003" => assert_eq!(of(&after, key), 1, "{after:?}"),
            _ => assert_eq!(&of(&after, key), was, "{key}: {after:?}"),
        }
    }
}

/// A CRM export made before a renewal, a churn or a return recorded in tend does not undo it on
/// the next import (a probe's weekly re-import put a renewed account back "86d late" at its old
/// ARR, saying "1 updated"): tend's stays, and the summary says so; once the CRM has it, the
/// file's values count again, and a churn the file dates after a return is a new churn.
#[test]
fn a_crm_export_older_than_a_renewal_or_churn_recorded_in_tend_does_not_undo_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    let crm = |renewal: &str, arr: &str, other: &str| {
        format!(
            "Account ID,Account Name,Account Owner,ARR,Renewal Date,Status,Churn Date\n\
             SF-1,Duff Networks,Dev Sharma,{arr},{renewal},Active,\n\
             SF-2,Other Co,Dev Sharma,1000,2027-10-08,{other}\n"
        )
    };
    import_text(&db, &dir, "accounts", &crm("2026-09-08", "176000", "Active,"));
    ok(&db, &["renew", "Duff Networks", "--until", "2027-09-08", "--arr", "190000", "--date", "2026-09-08"]);
    ok(&db, &["churn", "Other Co", "--reason", "budget", "--date", "2026-11-10"]);
    let account = |key: &str| -> serde_json::Value {
        let all: Vec<serde_json::Value> =
            serde_json::from_str(&ok(&db, &["export", "accounts", "--format", "json"])).unwrap();
        all.into_iter().find(|a| a["external_id"] == key).unwrap()
    };
    let said = import_text(&db, &dir, "accounts", &crm("2026-09-08", "176000", "Active,"));
    assert!(
        said.contains("0 updated")
            && said.contains("2 renewals, churns and returns recorded in tend are newer than the file, kept"),
        "{said}"
    );
    assert!(said.contains("Duff Networks renewed on 2026-09-08: renewal date 2027-09-08, not the file's 2026-09-08, ARR $190,000, not $176,000"), "{said}");
    let duff = account("SF-1");
    assert_eq!(
        (duff["renewal_date"].as_str(), duff["arr"].as_f64(), duff["status"].as_str()),
        (Some("2027-09-08"), Some(190000.0), Some("renewed"))
    );
    assert_eq!(account("SF-2")["status"], "churned");
    // The CRM has the renewal now, at another ARR: the file's ARR counts.
    let said = import_text(&db, &dir, "accounts", &crm("2027-09-08", "185000", "Active,"));
    assert!(said.contains("1 renewal, churn or return recorded in tend is newer"), "the churn still: {said}");
    assert_eq!(account("SF-1")["arr"].as_f64(), Some(185000.0));
    // Still renewed, though the CRM calls it Active: the back-test's outcome stays.
    assert_eq!(account("SF-1")["status"], "renewed");
    assert!(ok(&db, &["backtest"]).contains("1 renewed"), "{}", ok(&db, &["backtest"]));
    // The file's own day for the churn recorded in tend: tend's stays, and is said.
    let said = import_text(&db, &dir, "accounts", &crm("2027-09-08", "185000", "Churned,2026-11-08"));
    assert!(said.contains("Other Co churned on 2026-11-10: that day, not the file's 2026-11-08"), "{said}");
    assert_eq!(account("SF-2")["churned_on"], "2026-11-10");
    // Back as a customer in tend: a file with the churn before it leaves it a customer; a churn
    // after it is a new churn.
    ok(&db, &["reactivate", "Other Co", "--date", "2026-11-15"]);
    let said = import_text(&db, &dir, "accounts", &crm("2027-09-08", "185000", "Churned,2026-11-10"));
    assert!(said.contains("Other Co came back on 2026-11-15: a customer, not churned as in the file"), "{said}");
    assert_eq!(account("SF-2")["status"], "active");
    import_text(&db, &dir, "accounts", &crm("2027-09-08", "185000", "Churned,2026-11-20"));
    assert_eq!(account("SF-2")["status"], "churned");
}

/// A value below zero of a metric the default score reads as a count (usage, logins, active
/// users, tickets) is a bad row, named by line, column and value, and nothing is imported (a
/// probe's "-5" read as "Usage growth -107%", and then, said but imported, its -3 active users
/// ranked first in Triage as "Active users w/w -400%"). A metric of one's own may go below zero:
/// imported as written, and said.
#[test]
fn a_count_below_zero_is_a_bad_row() {
    let (dir, db) = imported_crm(5);
    let samples = || {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.query_row("SELECT count(*) FROM metric_samples", [], |r| r.get::<_, i64>(0)).unwrap()
    };
    let file = dir.path().join("usage.csv");
    std::fs::write(&file, "Account,Metric,Date,Value\nCRM-0001,usage,2026-11-16,40\nCRM-0001,usage,2026-11-20,-5\n")
        .unwrap();
    let (done, _, err) = tend_on(&db, &["import", "metrics", file.to_str().unwrap()]);
    assert!(!done);
    assert!(
        err.contains("usage.csv:3: column \"Value\": value \"-5\": below zero: usage is a count, never below zero"),
        "{err}"
    );
    assert_eq!(samples(), 0, "a refused file imports nothing");
    // A wide file names the metric's own column; the good rows go in with --skip-bad-rows.
    let wide = dir.path().join("wide.csv");
    std::fs::write(&wide, "Account,Week,Logins,Active users\nCRM-0003,2026-11-16,4,-3\nCRM-0003,2026-11-09,4,3\n")
        .unwrap();
    let (done, _, err) = tend_on(&db, &["import", "metrics", wide.to_str().unwrap()]);
    assert!(!done && err.contains("wide.csv:2: column \"Active users\": value \"-3\""), "{err}");
    let said = ok(&db, &["import", "metrics", wide.to_str().unwrap(), "--skip-bad-rows"]);
    assert!(said.contains("1 row rejected") && !said.contains("below zero"), "{said}");
    assert!(!said.contains("more rows were rejected"), "{said}");
    assert_eq!(samples(), 2);
    // Most of a file rejected (another team's accounts) is said to be, beside the count.
    let other = dir.path().join("other.csv");
    std::fs::write(
        &other,
        "Account,Metric,Date,Value\nXYZ-1,logins,2026-11-16,4\nXYZ-2,logins,2026-11-16,4\nCRM-0004,logins,2026-11-16,2\n",
    )
    .unwrap();
    let said = ok(&db, &["import", "metrics", other.to_str().unwrap(), "--skip-bad-rows"]);
    assert!(
        said.contains("2 rows rejected")
            && said.contains(
                "more rows were rejected than imported: is it the right file, and are its accounts in the book?"
            ),
        "{said}"
    );
    assert_eq!(samples(), 3);
    // A metric no factor of the default score reads is imported as written, and said.
    let said = import_text(&db, &dir, "metrics", "Account,Metric,Date,Value\nCRM-0002,net_seats,2026-11-16,-4\n");
    assert!(said.contains("1 value is below zero (the first net_seats -4, on line 2): imported as written"), "{said}");
    assert_eq!(samples(), 4);
    // A long file without its Metric column is refused, not read as a wide file of a metric
    // named "value"; a row without its metric names the file's own header.
    let long = dir.path().join("long.csv");
    std::fs::write(&long, "Account,Day,Value\nCRM-0002,2026-11-16,4\n").unwrap();
    let (done, _, err) = tend_on(&db, &["import", "metrics", long.to_str().unwrap()]);
    assert!(!done && err.contains("long.csv: no column for the metric each row's value is of"), "{err}");
    std::fs::write(&long, "Account,METRIC,Day,Value\nCRM-0002,,2026-11-16,4\n").unwrap();
    let (done, _, err) = tend_on(&db, &["import", "metrics", long.to_str().unwrap()]);
    assert!(!done && err.contains("long.csv:2: column \"METRIC\": value \"\": a metric name is needed"), "{err}");
    assert_eq!(samples(), 4);
}

/// Days written with their month's name, as CRM exports write them, import as the days they
/// are, whatever the file's order (a probe rewrote 110 rows of "Jul 03, 2023" by hand).
#[test]
fn a_crm_exports_month_names_import_as_days() {
    let (_dir, db, said) = import_into_new_book(
        "External ID,Account,CSM,ARR,Customer Since,Renewal Date\n\
         A-1,Acme,Maya Patel,1000,\"Jul 03, 2023\",03-Jul-27\n\
         A-2,Bolt,Maya Patel,1000,\"Mon, Aug 4, 2025\",2027-Aug-04\n",
    );
    assert!(said.contains("2 new"), "{said}");
    let accounts: Vec<serde_json::Value> =
        serde_json::from_str(&ok(&db, &["export", "accounts", "--format", "json"])).unwrap();
    let days: Vec<(String, String)> = accounts
        .iter()
        .map(|a| (a["customer_since"].as_str().unwrap().to_string(), a["renewal_date"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(days, [("2023-07-03".into(), "2027-07-03".into()), ("2025-08-04".into(), "2027-08-04".into())]);
}

/// A CRM export without an expected-usage column leaves "Usage vs expected" without a value on
/// every account: the import says so and how to map one (a probe found half its book unscored,
/// said only on the Scoring view); a config that gives the factor no weight hears nothing of it,
/// nor from `config check`.
#[test]
fn an_import_without_expected_usage_says_what_it_leaves_out() {
    let file = "External ID,Account,CSM,ARR\nA-1,Acme,Maya Patel,1000\n";
    let (dir, db, said) = import_into_new_book(file);
    assert!(
        said.contains("no column gives each account's expected usage, in the unit of the usage metric")
            && said.contains("Usage vs expected (weight 3 of")
            && !said.contains("Seats\" = \"expected_usage"),
        "{said}"
    );
    let (with_dir, with_db, said) =
        import_into_new_book("External ID,Account,CSM,ARR,Expected Usage\nA-1,Acme,Maya Patel,1000,40\n");
    assert!(!said.contains("expected usage"), "{said}");
    // A few more accounts without the column, into a book that has it: no news.
    let more = "External ID,Account,CSM,ARR\nA-2,Bolt,Maya Patel,1000\n";
    let said = import_text(&with_db, &with_dir, "accounts", more);
    assert!(said.contains("1 new") && !said.contains("expected usage"), "{said}");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[health.factors.usage_vs_expected]\nweight = 0\n").unwrap();
    let config = config.to_str().unwrap();
    let csv = dir.path().join("more.csv");
    std::fs::write(&csv, "External ID,Account,CSM,ARR\nA-2,Bolt,Maya Patel,1000\n").unwrap();
    let said = ok(&db, &["import", "accounts", csv.to_str().unwrap(), "--config", config]);
    assert!(said.contains("1 new") && !said.contains("expected usage"), "{said}");
    let checked = ok(&db, &["config", "check", "--config", config]);
    assert!(!checked.contains("factor \"usage_vs_expected\""), "{checked}");
    assert!(ok(&db, &["config", "check"]).contains("factor \"usage_vs_expected\""));
}

/// `tend db backup` copies a book whole while tend has it open and writing: what the write-ahead
/// log holds is in the copy (a probe's `cp` of an open book was ten minutes behind). It writes
/// only a new file, and sends a team book to PostgreSQL's own tools.
#[test]
fn a_book_open_in_tend_backs_up_whole() {
    let (dir, db) = imported_crm(20);
    // A tend open on the book, its last write still in the write-ahead log.
    let mut open = tend::store::Store::open(&db).unwrap();
    let entry = tend::store::NewEntry {
        account_id: 2,
        csm_id: None,
        kind: tend::domain::entry::EntryKind::Sentiment,
        day: common::today(),
        score: Some(9),
        channel: None,
        title: None,
        closed_on: None,
        note: "after the QBR".into(),
        role: None,
    };
    open.write(|w| w.insert_entry(&entry)).unwrap();
    let wal = db.with_extension("db-wal");
    assert!(wal.metadata().is_ok_and(|m| m.len() > 0), "the write waits in the log");
    let copy = dir.path().join("backup.db");
    let said = ok(&db, &["db", "backup", copy.to_str().unwrap()]);
    assert!(said.contains("20 accounts"), "{said}");
    drop(open);
    assert!(ok(&copy, &["log", "list", "CRM-0001"]).contains("after the QBR"));
    #[cfg(unix)]
    assert_eq!(std::os::unix::fs::PermissionsExt::mode(&copy.metadata().unwrap().permissions()) & 0o777, 0o600);
    // Never over a file, nor of a team book.
    let (again, _, err) = tend_on(&db, &["db", "backup", copy.to_str().unwrap()]);
    assert!(!again && err.contains("exists already"), "{err}");
    let (team, _, err) = tend_on(Path::new("postgres://someone@localhost/tend"), &["db", "backup", "x.db"]);
    assert!(!team && err.contains("pg_dump"), "{err}");
}

/// A one-row fix file whose only date reads either way round takes its order from the command
/// line (`--date-order`), without a config written for it.
#[test]
fn a_files_date_order_can_be_given_on_the_command_line() {
    let (dir, db) = imported_crm(5);
    let file = dir.path().join("fix.csv");
    std::fs::write(&file, "Account,Metric,Date,Value\nCRM-0001,logins,06/08/2026,3\n").unwrap();
    let (imported, _, err) = tend_on(&db, &["import", "metrics", file.to_str().unwrap()]);
    assert!(!imported && err.contains("pass --date-order dmy or mdy"), "{err}");
    ok(&db, &["import", "metrics", file.to_str().unwrap(), "--date-order", "mdy"]);
    assert!(ok(&db, &["export", "metrics"]).contains("CRM-0001,logins,2026-06-08,3"));
}

/// A HubSpot export's one day-first renewal among month-first dates: told the order, the file is
/// read in it and that row alone is bad (named by line, column and value; `--skip-bad-rows`
/// leaves it out). A probe's import refused the whole file, `--date-order mdy` and
/// `--skip-bad-rows` given, and no option got past it.
#[test]
fn a_date_in_the_other_order_is_a_bad_row_once_the_order_is_given() {
    let (dir, db) = temp_db();
    let file = dir.path().join("companies.csv");
    std::fs::write(
        &file,
        "Record ID,Company name,Company owner,ARR,Customer since,Renewal Date\n\
         9100000,Acme Labs,Maya Patel,12000,09/30/2016,12/02/2026\n\
         9100481,Nimbus Logistics,Priya Rao,96000,08/03/2024,31/01/2027\n\
         9100518,Orbit Bank,Maya Patel,48000,03/30/2017,03/16/2027\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let (imported, _, err) = tend_on(&db, &["import", "accounts", path]);
    assert!(!imported && err.contains("pass --date-order dmy or mdy"), "{err}");
    let (imported, _, err) = tend_on(&db, &["import", "accounts", path, "--date-order", "mdy"]);
    assert!(!imported, "a bad row refuses the file: {err}");
    assert!(
        err.contains("companies.csv:3: column \"Renewal Date\": value \"31/01/2027\"")
            && err.contains("a day-first date"),
        "{err}"
    );
    let out = ok(&db, &["import", "accounts", path, "--date-order", "mdy", "--skip-bad-rows"]);
    assert!(out.contains("2 new"), "{out}");
    let accounts = csv_rows(&ok(&db, &["export", "accounts"]));
    let renewals: Vec<(&str, &str)> =
        accounts.iter().map(|a| (a["name"].as_str(), a["renewal_date"].as_str())).collect();
    assert_eq!(renewals, [("Acme Labs", "2026-12-02"), ("Orbit Bank", "2027-03-16")]);
    // Told day-first, a file of month-first dates bears nothing out: refused whole, as before.
    let (imported, _, err) = tend_on(&db, &["import", "accounts", path, "--date-order", "dmy", "--dry-run"]);
    assert!(!imported && err.contains("a month-first date"), "{err}");
}

/// Two accounts named alike but for accents are both named when the name is typed without them,
/// never one picked (a probe's "cafe zurich gmbh" went to Cafe Zurich GmbH beside Café Zürich
/// GmbH); a name typed just so is that account.
#[test]
fn names_alike_but_for_accents_are_both_named() {
    let (_dir, db, _) = import_into_new_book(
        "External ID,Account,CSM,ARR\nSF-1,Café Zürich GmbH,Maya Patel,1000\nSF-2,Cafe Zurich GmbH,Maya Patel,1000\n",
    );
    let (logged, _, err) = tend_on(&db, &["log", "sentiment", "cafe zurich gmbh", "7"]);
    assert!(
        !logged
            && err
                .contains("Cafe Zurich GmbH (SF-2, Maya Patel, $1k ARR), Café Zürich GmbH (SF-1, Maya Patel, $1k ARR)"),
        "{err}"
    );
    assert!(ok(&db, &["log", "sentiment", "Cafe Zurich GmbH", "7"]).starts_with("Cafe Zurich GmbH:"));
    assert!(ok(&db, &["log", "sentiment", "Café Zürich GmbH", "8"]).starts_with("Café Zürich GmbH:"));
}

/// An account too thin on data to score, nobody having logged anything on it, is in Triage when
/// the data it has is at its worst (a probe's €150k account at 25% of its expected usage never
/// showed); one whose data is fine is not.
#[test]
fn an_unscored_account_at_its_worst_is_in_triage() {
    let (dir, db, _) = import_into_new_book(
        "External ID,Account,CSM,ARR,Expected Usage\nM-1,Monarch Logistics,Maya Patel,150000,200\nM-2,Fine Co,Maya Patel,150000,200\n",
    );
    import_text(&db, &dir, "metrics", "Account,Metric,Date,Value\nM-1,usage,2026-11-16,50\nM-2,usage,2026-11-16,220\n");
    let triage: serde_json::Value =
        serde_json::from_str(&ok(&db, &["report", "triage", "--all", "--format", "json"])).unwrap();
    let rows = triage["rows"].as_array().unwrap();
    let monarch = rows.iter().find(|r| r["account"] == "Monarch Logistics").unwrap_or_else(|| panic!("{triage}"));
    assert!(monarch["score"].is_null(), "{monarch}");
    assert!(
        monarch["reasons"].to_string().contains("no score, and Usage vs expected 25% at 1 point of 4"),
        "{monarch}"
    );
    assert!(rows.iter().all(|r| r["account"] != "Fine Co"), "{triage}");
    // A goal off track is said as such, not again as "Goals on track at its worst": tend's own
    // bookkeeping is no evidence.
    import_text(&db, &dir, "goals", "Account,Goal,Status,Date\nM-2,Roll out to EMEA,off track,2026-11-10\n");
    let triage: serde_json::Value =
        serde_json::from_str(&ok(&db, &["report", "triage", "--all", "--format", "json"])).unwrap();
    let rows = triage["rows"].as_array().unwrap();
    let fine = rows.iter().find(|r| r["account"] == "Fine Co").unwrap_or_else(|| panic!("{triage}"));
    let reasons = fine["reasons"].to_string();
    assert!(reasons.contains("1 goal off track") && !reasons.contains("at 1 point of 4"), "{fine}");
}

/// A month and a day typed without a year: for something that happened, the last such day up to
/// today; for a target, the nearest (a probe's "31/1" on a call was refused as 2027-01-31, "in the
/// future").
#[test]
fn a_day_without_a_year_is_the_past_ones_for_what_happened() {
    let (_dir, db) = imported_crm(10);
    let out = ok(&db, &["log", "sentiment", "CRM-0003", "7", "--date", "31/1"]);
    assert!(out.contains("2026-01-31"), "{out}");
    let out = ok(&db, &["log", "touch", "CRM-0003", "call", "--date", "mar 31"]);
    assert!(out.contains("2026-03-31"), "{out}");
    let out = ok(&db, &["goal", "add", "CRM-0003", "Roll out to the EU team", "--target", "mar 31"]);
    assert!(out.contains("goal set (on track, by Wed 2027-03-31)"), "{out}");
    let goals = ok(&db, &["goal", "list", "CRM-0003"]);
    assert!(goals.contains("2027-03-31"), "{goals}");
    // The form's date of a sentiment says the day before Enter, and saves it.
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 4");
    common::press(&mut app, crossterm::event::KeyCode::Char('s'));
    common::typ(&mut app, "8");
    // Past the note to the date, whose "2026-11-23" is typed over.
    common::press(&mut app, crossterm::event::KeyCode::Tab);
    common::press(&mut app, crossterm::event::KeyCode::Tab);
    for _ in 0.."2026-11-23".len() {
        common::press(&mut app, crossterm::event::KeyCode::Backspace);
    }
    common::typ(&mut app, "31/1");
    let screen = common::text(&app, 100, 30);
    assert!(screen.contains("= Sat 2026-01-31") && !screen.contains("in the future"), "{screen}");
}

/// A CRM's Segment column is the CRM's: kept on the accounts as an attribute and said, not
/// dropped without a word as the Segment column of tend's own export is (it is worked out again).
#[test]
fn a_crms_segment_column_is_kept_and_said() {
    let (_dir, db, said) = import_into_new_book(
        "External ID,Name,CSM,ARR,Segment,Region\nX1,Alpha,Maya Patel,\"$5,000\",SMB,EMEA\nX2,Beta,Ben Okafor,\"$90,000\",Enterprise,APAC\n",
    );
    assert!(
        said.contains(
            "\"Segment\" is kept on the accounts as the attribute \"CRM Segment\": tend's segments are its own"
        ),
        "{said}"
    );
    let accounts: Vec<serde_json::Value> =
        serde_json::from_str(&ok(&db, &["export", "accounts", "--format", "json"])).unwrap();
    let alpha = accounts.iter().find(|a| a["external_id"] == "X1").unwrap();
    assert!(alpha.to_string().contains("\"CRM Segment\":\"SMB\""), "{alpha}");
    // tend's own export imported again: its derived Segment is skipped, as before, and not said.
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.csv");
    std::fs::write(&export, ok(&db, &["export", "accounts"])).unwrap();
    let again = dir.path().join("again.db");
    let said = ok(&again, &["import", "accounts", export.to_str().unwrap()]);
    assert!(!said.contains("kept on the accounts as the attribute"), "{said}");
    let accounts: Vec<serde_json::Value> =
        serde_json::from_str(&ok(&again, &["export", "accounts", "--format", "json"])).unwrap();
    let alpha = accounts.iter().find(|a| a["external_id"] == "X1").unwrap();
    assert!(alpha.to_string().contains("\"CRM Segment\":\"SMB\""), "the CRM's, carried in the attributes: {alpha}");
}

/// Two accounts of one name look alike in every list: an import that gives a name to more than
/// one account says so (they were found only later, when a log named one).
#[test]
fn names_given_to_more_than_one_account_are_said_at_import() {
    let (_dir, db, said) = import_into_new_book(
        "External ID,Name,CSM,ARR\nX1,Café Zürich,Maya Patel,5000\nX2,Beta,Ben Okafor,9000\nX3,café zürich,Ben Okafor,7000\n\
         X4,Gamma,Maya Patel,100\nX5,Gamma,Maya Patel,200\nX6,Gamma,Maya Patel,300\n",
    );
    assert!(
        said.contains("\n  - 2 names are each given to more than one account (the first: \"café zürich\", 2 accounts)"),
        "{said}"
    );
    let (_dir, _, one) = import_into_new_book("External ID,Name\nX4,Gamma\nX5,Gamma\n");
    assert!(
        one.contains(
            "1 name is given to more than one account (\"Gamma\", 2 accounts): the lists name each with its \
             external id beside it (\"Gamma (ID)\")"
        ),
        "{one}"
    );
    // A file whose names are each one account's says nothing of them.
    let dir = tempfile::tempdir().unwrap();
    let again = import_text(&db, &dir, "accounts", "External ID,Name\nX1,Café Zürich\nX2,Beta\n");
    assert!(!again.contains("more than one account"), "{again}");
}

/// A count of bugs is evidence only once the book logs bugs: in a book whose bugs live in another
/// tool, a touch made "Bugs escalated 0" full points for the account (a probe's book moved 38
/// accounts a band on it). The book's first bug makes every account with entries tracked from
/// that day, not only the account it was logged on; but none is no good news: the 0 is left out
/// where it would lift a score, and no other account's score moves (a probe's first bug moved
/// nine other accounts' bands).
#[test]
fn bugs_count_only_once_the_book_logs_bugs() {
    let (_dir, db) = imported_crm(20);
    ok(&db, &["log", "touch", "CRM-0003", "call", "--date", "2026-11-10"]);
    let bugs_points = |db: &std::path::Path, id: &str| {
        let accounts: Vec<serde_json::Value> =
            serde_json::from_str(&ok(db, &["export", "accounts", "--format", "json"])).unwrap();
        accounts.iter().find(|a| a["external_id"] == id).unwrap()["points_bugs_escalated"].clone()
    };
    assert_eq!(bugs_points(&db, "CRM-0003"), serde_json::Value::Null, "no bug logged in the book");
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 3");
    let screen = common::text(&app, 100, 30);
    let line = screen.lines().find(|l| l.contains("Bugs escalated")).unwrap_or_default().to_string();
    assert!(line.contains("none logged yet: optional, left out"), "{screen}");
    // Rules that score thin data, so that a bug count coming to count would show in scores.
    let low = db.with_file_name("low.toml");
    std::fs::write(&low, "[health]\nmin_coverage = 0.1\n").unwrap();
    let scores = |db: &std::path::Path| {
        let args = ["export", "accounts", "--format", "json", "--config", low.to_str().unwrap()];
        let accounts: Vec<serde_json::Value> = serde_json::from_str(&ok(db, &args)).unwrap();
        accounts
            .iter()
            .filter(|a| a["external_id"] != "CRM-0005")
            .map(|a| (a["external_id"].to_string(), a["score"].clone(), a["band"].clone()))
            .collect::<Vec<_>>()
    };
    // Accounts with a score to keep: a sentiment and a touch each.
    for (id, sentiment) in [("CRM-0007", "4"), ("CRM-0008", "9")] {
        ok(&db, &["log", "sentiment", id, sentiment, "--date", "2026-11-18"]);
        ok(&db, &["log", "touch", id, "call", "--date", "2026-11-18"]);
    }
    let before = scores(&db);
    assert!(before.iter().filter(|(_, score, _)| !score.is_null()).count() >= 2, "{before:?}");
    // A bug logged on another account: bugs are logged here, and CRM-0003's none is a real 0.
    // The write says so, as it changes more than its own account; a second bug does not.
    let said = ok(&db, &["log", "bug", "CRM-0005", "Export times out", "--date", "2026-11-20"]);
    assert!(
        said.contains(
            "; the book's first bug: from now on no bug on an account with entries reads 0 in its Bugs escalated, \
             which lifts no score"
        ),
        "{said}"
    );
    assert_eq!(scores(&db), before, "no other account's score or band moves with the book's first bug");
    let said = ok(&db, &["log", "bug", "CRM-0006", "Slow reports", "--date", "2026-11-21"]);
    assert!(!said.contains("first bug"), "{said}");
    ok(&db, &["undo"]);
    assert_eq!(bugs_points(&db, "CRM-0003"), 4);
    // Taken back: no bug in the book again.
    ok(&db, &["undo"]);
    assert_eq!(bugs_points(&db, "CRM-0003"), serde_json::Value::Null);
}

/// A survey answer imported without a CSM column is the customer's, and signed by no one; a
/// sentiment of the same file is its account's CSM's, as before (the timeline named the CSM
/// beside an imported NPS, as if they had given it).
#[test]
fn imported_survey_answers_are_signed_by_no_one() {
    let (dir, db) = imported_crm(10);
    import_text(
        &db,
        &dir,
        "logs",
        "Account,Kind,Date,Score\nCRM-0001,nps,2026-11-01,6\nCRM-0001,sentiment,2026-11-01,7\n",
    );
    let logs: Vec<serde_json::Value> = serde_json::from_str(&ok(&db, &["export", "logs", "--format", "json"])).unwrap();
    let by = |kind: &str| logs.iter().find(|l| l["kind"] == kind).unwrap_or_else(|| panic!("{logs:?}")).clone();
    assert!(by("nps")["csm"].is_null(), "{:?}", by("nps"));
    assert_eq!(by("sentiment")["csm"], "Ben Okafor", "{:?}", by("sentiment"));
    // The same file again adds nothing.
    let again = import_text(&db, &dir, "logs", "Account,Kind,Date,Score\nCRM-0001,nps,2026-11-01,6\n");
    assert!(again.contains("0 new"), "{again}");
}

/// A sort shows the top of the new order, the first row selected: kept on the account selected,
/// a sort by Δ30d opened somewhere in the middle ("+3, +3, +3") and read as unsorted.
#[test]
fn a_sort_shows_the_top_of_its_order() {
    use ratatui::crossterm::event::KeyCode;
    let (_dir, db) = imported_crm(60);
    let mut app = app_on(&db);
    common::press(&mut app, KeyCode::Char('2'));
    for _ in 0..30 {
        common::press(&mut app, KeyCode::Char('j'));
    }
    for key in [KeyCode::Char('o'), KeyCode::Char('r')] {
        common::press(&mut app, key);
        let screen = common::text(&app, 120, 40);
        // The first row under the header is the one Enter opens.
        let header = screen.lines().position(|l| l.contains("Account") && l.contains("ARR")).unwrap();
        let first = screen.lines().nth(header + 1).unwrap().to_string();
        common::press(&mut app, KeyCode::Enter);
        let opened = common::text(&app, 120, 40);
        let name = opened.lines().nth(1).unwrap().split("  ").next().unwrap().trim().to_string();
        assert!(first.contains(&name), "{key:?}: opened {name:?}, the top row is {first:?}");
        common::press(&mut app, KeyCode::Esc);
    }
}

/// The book's first bug, logged from the screens, gives every tracked account a bug count of 0,
/// which lifts no score: the other accounts' rows stay as they were, as a tend opened afresh shows
/// them (before bugs were bookkeeping, a probe's first bug moved nine other accounts' bands).
#[test]
fn the_books_first_bug_logged_on_screen_moves_no_other_account() {
    use ratatui::crossterm::event::KeyCode;
    let (dir, db) = imported_crm(20);
    let mut logs = String::from("Account,Kind,Date,Score,Channel\n");
    for i in 3..=8 {
        logs.push_str(&format!("CRM-{i:04},sentiment,2026-11-10,3,\nCRM-{i:04},touch,2026-11-10,,call\n"));
    }
    import_text(&db, &dir, "logs", &logs);
    let row_of = |screen: &str, name: &str| {
        screen.lines().find(|l| l.contains(&format!("{name} "))).unwrap_or_default().to_string()
    };
    // Rules that score thin data, so a bug count that comes to count shows in the score.
    let config = tend::config::Config::from_toml("[health]\nmin_coverage = 0.1\n", Path::new("low.toml")).unwrap();
    let open = || {
        tend::tui::App::new(Store::open(&db).unwrap(), config.clone(), today(), tend::tui::theme::Theme::plain())
            .unwrap()
    };
    let mut app = open();
    common::press(&mut app, KeyCode::Char('2'));
    let before = row_of(&common::text(&app, 140, 40), "Company 4");
    open_by_name(&mut app, "Company 5");
    common::press(&mut app, KeyCode::Char('b'));
    common::typ(&mut app, "Export times out");
    common::press(&mut app, KeyCode::Enter);
    let said = common::text(&app, 140, 40);
    assert!(said.contains("the book's first bug"), "{said}");
    common::press(&mut app, KeyCode::Esc);
    common::press(&mut app, KeyCode::Char('2'));
    // (The filter that found Company 5, cleared.)
    common::press(&mut app, KeyCode::Char('/'));
    common::press(&mut app, KeyCode::Esc);
    let after = row_of(&common::text(&app, 140, 40), "Company 4");
    assert!(before.contains("O ~25"), "{before}");
    assert_eq!(after, before, "Company 4's 0 bugs lift nothing");
    // As a tend opened afresh shows it.
    let mut fresh = open();
    common::press(&mut fresh, KeyCode::Char('2'));
    assert_eq!(row_of(&common::text(&fresh, 140, 40), "Company 4"), after);
}

/// A CRM export that changes an account's ARR (an upsell, a downgrade) puts the change on the
/// account's timeline, as a renewal's new ARR is (a probe's weekly sync moved ARR without a word
/// anywhere a CSM looks); a renewal's change is its own line, not two.
#[test]
fn an_arr_changed_by_an_import_is_on_the_accounts_timeline() {
    let (dir, db) = imported_crm(20);
    let retention = |db: &Path| -> (f64, f64) {
        let doc: serde_json::Value =
            serde_json::from_str(&ok(db, &["report", "metrics", "--from", "-6m", "--format", "json"])).unwrap();
        let row = &doc["rows"][0];
        (row["arr_start"].as_f64().unwrap_or(-1.0), row["expansion"].as_f64().unwrap_or(-1.0))
    };
    let said = import_text(&db, &dir, "accounts", "External ID,Account,ARR\nCRM-0002,Company 2,7500\n");
    // Said, not only counted as "1 updated".
    assert!(said.contains("changed the ARR of 1 account (Company 2 $5,026 -> $7,500; on its timeline)"), "{said}");
    let timeline: serde_json::Value =
        serde_json::from_str(&ok(&db, &["log", "list", "CRM-0002", "--format", "json"])).unwrap();
    let lines = timeline.as_array().unwrap();
    let arr: Vec<&serde_json::Value> = lines.iter().filter(|l| l["kind"] == "arr").collect();
    assert_eq!(arr.len(), 1, "{timeline}");
    assert_eq!(arr[0]["what"], "ARR $5,026 -> $7,500 (accounts import)", "{timeline}");
    assert_eq!(arr[0]["day"], common::today().to_string());
    // The same file again changes nothing, and says nothing more.
    import_text(&db, &dir, "accounts", "External ID,Account,ARR\nCRM-0002,Company 2,7500\n");
    let again = ok(&db, &["log", "list", "CRM-0002", "--format", "json"]);
    assert_eq!(again.matches("\"arr\"").count(), 1, "{again}");
    // A renewal's new ARR is the renewal's line.
    ok(&db, &["renew", "CRM-0002", "--until", "+1y", "--arr", "9000"]);
    let renewed: serde_json::Value =
        serde_json::from_str(&ok(&db, &["log", "list", "CRM-0002", "--format", "json"])).unwrap();
    let kinds: Vec<&str> = renewed.as_array().unwrap().iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "arr").count(), 1, "{renewed}");
    assert_eq!(kinds.iter().filter(|k| **k == "contract").count(), 1, "{renewed}");
    // An ARR given where the book had none (CRM-0005's was blank) is learnt, not an expansion:
    // no line, nothing said, and the account had that ARR at the period's start (a probe that
    // mapped its ARR column after a first import read an ARR at the start of $0 for every
    // account, and all of it as expansion). (The period's figures start with the book's first
    // record of a renewal: the one above.)
    let (start, expansion) = retention(&db);
    assert!(start > 0.0, "{start}");
    let said = import_text(&db, &dir, "accounts", "External ID,Account,ARR\nCRM-0005,Company 5,60000\n");
    assert!(!said.contains("changed the ARR"), "{said}");
    assert!(
        said.contains("gave 1 account an ARR where the book had none (Company 5 $60,000; as theirs from the start"),
        "{said}"
    );
    let learnt = ok(&db, &["log", "list", "CRM-0005", "--format", "json"]);
    assert!(!learnt.contains("\"arr\""), "{learnt}");
    assert_eq!(retention(&db), (start + 60_000.0, expansion));
    // An ARR written in another currency is the same contract restated, said apart: no line and
    // no expansion (a probe's "$250,000 -> €275,000" was $25,000 of expansion in the NRR).
    let said = import_text(&db, &dir, "accounts", "External ID,Account,ARR\nCRM-0007,Company 7,\"€275.000\"\n");
    assert!(!said.contains("changed the ARR"), "{said}");
    assert!(said.contains("gave the ARR of 1 account in another currency (Company 7 $"), "{said}");
    assert!(said.contains(" -> €275,000; no expansion or contraction counted)"), "{said}");
    let restated = ok(&db, &["log", "list", "CRM-0007", "--format", "json"]);
    assert!(!restated.contains("\"arr\""), "{restated}");
    assert_eq!(retention(&db).1, expansion, "a currency is no expansion");
    // On the account's screen too.
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 2");
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Tab);
    let screen = common::text(&app, 100, 40);
    assert!(screen.contains("ARR $5,026 -> $7,500 (accounts import)"), "{screen}");
}

/// A CSM's name typed with two spaces in the CRM is the same CSM (a probe's "Maya  Patel" became a
/// CSM of her own with one account, warned about once, then listed on Team for good).
#[test]
fn a_csm_typed_with_two_spaces_is_the_same_csm() {
    let (_dir, db, said) = import_into_new_book(
        "External ID,Account,CSM,ARR\nA-1,Alpha,Maya Patel,1000\nA-2,Beta,Maya  Patel,2000\nA-3,Gamma, Maya Patel ,3000\n",
    );
    assert!(!said.contains("much like"), "{said}");
    let team: serde_json::Value = serde_json::from_str(&ok(&db, &["report", "team", "--format", "json"])).unwrap();
    let csms: Vec<&str> = team["rows"].as_array().unwrap().iter().filter_map(|r| r["csm"].as_str()).collect();
    assert_eq!(csms, ["Maya Patel"], "{team}");
}

/// Active users from a feed that stopped weeks before the others' is stale, in Triage and on the
/// account, whether its last value still counts (under 45 days old) or not (a probe's ten stopped
/// accounts read only "Days since login at its worst", and one showed a six-week-old "Active
/// users 9" with no mark).
#[test]
fn active_users_from_a_feed_that_stopped_are_stale() {
    let (dir, db) = imported_crm(20);
    // CRM-0003's data stops six weeks before the others' last week, CRM-0004's eight.
    let weeks = |i| match i {
        3 => 10,
        4 => 8,
        _ => 16,
    };
    let usage = weekly_usage("Account ID,Week Starting,Logins,Active Users", 1..=9, weeks, |i, day| {
        format!("CRM-{i:04},{day},40,9\n")
    });
    import_text(&db, &dir, "metrics", &usage);
    let (triage, reasons) = triage_reasons(&db);
    assert!(
        reasons("Company 3").contains(
            "stale: Active users, Active users change — 42 days behind the rest (usage stopped, or its feed did)"
        ),
        "{triage}"
    );
    assert!(
        reasons("Company 4").contains("stale: Active users, Active users change — 56 days behind the rest"),
        "{triage}"
    );
    assert!(!reasons("Company 5").contains("stale"), "{triage}");
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 3");
    let screen = common::text(&app, 100, 60);
    assert!(screen.contains("Stale, still counted: Active users last data 42 days before the rest"), "{screen}");
    // And on the factor's own line, where its value is read, at any width.
    for width in [100, 80, 60] {
        let screen = common::text(&app, width, 40);
        let users = screen.lines().find(|l| l.starts_with("Active users")).unwrap_or("");
        assert!(users.contains("stale 42d"), "{width}: {screen}");
    }
}

/// A band set by hand is said so on the one-on-one, as the brief and the lists say it (a probe's
/// agenda read "Green 15" for an account set Green by hand over a Red score).
#[test]
fn the_one_on_one_says_a_band_set_by_hand() {
    let (_dir, db) = crm_with_steady_usage(1..=6, |_| 15);
    let csm = |id: &str| {
        let rows = csv_rows(&ok(&db, &["export", "accounts", "--format", "csv"]));
        rows.iter().find(|r| r["external_id"] == id).map(|r| r["csm"].clone()).unwrap_or_default()
    };
    let owner = csm("CRM-0004");
    assert!(!owner.is_empty());
    ok(&db, &["log", "sentiment", "CRM-0004", "8", "--date", "2026-11-18"]);
    ok(&db, &["log", "touch", "CRM-0004", "call", "--date", "2026-11-18"]);
    ok(&db, &["override", "CRM-0004", "red", "--reason", "exec sponsor left", "--by", &owner]);
    let agenda = ok(&db, &["report", "one-on-one", "--csm", &owner]);
    let line = agenda.lines().find(|l| l.starts_with("Company 4 ")).unwrap_or_else(|| panic!("{agenda}"));
    assert!(line.contains("Red (by hand)"), "{line}");
}

/// An account without a score and without usage data, where the book's usage feed brings the
/// other accounts', is on Triage for it (a probe's 15 accounts without a row in 12 weeks of usage
/// never appeared there); in a book with no usage feed at all, no account is.
#[test]
fn an_account_without_usage_data_where_the_feed_is_live_is_on_triage() {
    let (_dir, db) = imported_crm(20);
    let (triage, reasons) = triage_reasons(&db);
    assert!(!triage.to_string().contains("no usage data"), "no feed, no reason: {triage}");
    drop(reasons);
    let (_dir, db) = crm_with_steady_usage(1..=6, |_| 15);
    let (triage, reasons) = triage_reasons(&db);
    assert!(reasons("Company 8").contains("no usage data in the feed (not exported for it, or not used)"), "{triage}");
    assert!(!reasons("Company 3").contains("no usage data"), "{triage}");
}

/// A help desk's ticket counts are no usage data: their weekly 0s for every account without a
/// ticket gave accounts no usage file named a value of a usage factor (Triage stopped saying they
/// had no usage data), made the next usage week read "thin" against the day the 0s were dated
/// on, and the tickets import itself was told to sum its days by week (a probe's, all three).
#[test]
fn ticket_counts_are_no_usage_data() {
    let (dir, db) = crm_with_steady_usage(1..=6, |_| 15);
    let tickets = import_text(
        &db,
        &dir,
        "tickets",
        "Ticket ID,Organization,Created at\n5001,Company 1,2026-11-11T10:00:00Z\n5002,Company 2,2026-11-04T09:00:00Z\n",
    );
    assert!(tickets.contains("count 0"), "every live account counted: {tickets}");
    assert!(!tickets.contains("another weekday"), "{tickets}");
    let (triage, reasons) = triage_reasons(&db);
    assert!(reasons("Company 8").contains("no usage data in the feed"), "{triage}");
    assert!(!reasons("Company 3").contains("no usage data"), "{triage}");
    // The next usage week, as many accounts as the week before: not thin.
    let week =
        weekly_usage("Account ID,Date,Logins,Active Users", 1..=6, |_| 16, |i, day| format!("CRM-{i:04},{day},40,9\n"));
    let said = import_text(&db, &dir, "metrics", &week);
    assert!(said.contains("imported"), "{said}");
    assert!(!said.contains("though the file gives only"), "{said}");
}

/// An import of facts says which accounts' band today it moved, the largest first (a probe's
/// week in which an account's active users fell 122 -> 1 came in without a word of it); one that
/// moves none says nothing of bands.
#[test]
fn an_import_says_which_bands_it_moved() {
    let (dir, db) = crm_with_steady_usage(1..=6, |_| 15);
    // A sentiment and a touch each: evidence enough for a score.
    for id in ["CRM-0003", "CRM-0004"] {
        ok(&db, &["log", "sentiment", id, "8", "--date", "2026-11-18"]);
        ok(&db, &["log", "touch", id, "call", "--date", "2026-11-18"]);
    }
    ok(&db, &["report", "triage"]);
    let steady = import_text(&db, &dir, "metrics", "Account ID,Date,Logins,Active Users\nCRM-0004,2026-11-16,40,9\n");
    assert!(!steady.contains("changed band"), "{steady}");
    let crash = import_text(
        &db,
        &dir,
        "metrics",
        "Account ID,Date,Logins,Active Users\nCRM-0003,2026-11-16,0,0\nCRM-0003,2026-11-20,0,0\n",
    );
    let line = crash.lines().find(|l| l.contains("Health today after the import")).unwrap_or_else(|| panic!("{crash}"));
    assert!(line.contains("1 account changed band: 1 for the worse (Company 3 Green"), "{line}");
    // The next day's first command an import: the day is worked out before it, and the line said
    // (a probe's Wednesday import said nothing of the 34 bands it moved).
    let file = dir.path().join("crash4.csv");
    std::fs::write(&file, "Account ID,Date,Logins,Active Users\nCRM-0004,2026-11-23,0,0\nCRM-0004,2026-11-24,0,0\n")
        .unwrap();
    let (ok, said, err) = common::tend_on_day(&db, "2026-11-24", &["import", "metrics", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(said.contains("changed band: 1 for the worse (Company 4 Green"), "{said}");
}

/// A week's collapse the month's averages hide is a Triage reason of its own: 23 active users down
/// to 5 in a week read "Active users change -31%" and ranked 19th; a weekly count's noise is not.
#[test]
fn a_weeks_collapse_in_active_users_is_a_triage_reason() {
    let (dir, db) = imported_crm(20);
    // Sixteen Mondays to 2026-11-16. CRM-0003 falls to 5 in the last week; CRM-0005 wobbles by
    // a fifth week to week, as weekly counts do.
    let usage = weekly_usage(
        "Account ID,Week Starting,Logins,Active Users",
        3..=5,
        |_| 16,
        |i, day| {
            let last = day == chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
            let users = match i {
                3 if last => 5,
                5 if chrono::Datelike::iso_week(&day).week() % 2 == 0 => 19,
                _ => 23,
            };
            format!("CRM-{i:04},{day},60,{users}\n")
        },
    );
    import_text(&db, &dir, "metrics", &usage);
    let (triage, reasons) = triage_reasons(&db);
    assert!(reasons("Company 3").contains("Active users w/w -78%"), "{triage}");
    assert!(!reasons("Company 5").contains("w/w"), "{triage}");
    assert!(!reasons("Company 4").contains("w/w"), "{triage}");
    // The Account screen's line for it says it is in no score and that Triage names it.
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 3");
    let screen = common::text(&app, 120, 60);
    let line = screen.lines().find(|l| l.starts_with("Active users w/w")).unwrap_or_default();
    assert!(line.contains("weight 0, not scored; Triage names it"), "{screen}");
    let other = screen.lines().find(|l| l.contains("candidate") && !l.starts_with("Active users w/w"));
    assert!(other.is_none_or(|l| !l.contains("Triage names")), "{screen}");
    // At 60 columns the line stays one line, within the table (it wrapped to the line's start).
    let narrow = common::text(&app, 60, 60);
    let line = narrow.lines().find(|l| l.starts_with("Active users w/w")).unwrap_or_default();
    assert!(line.trim_end().ends_with("weight 0; in Triage"), "{narrow}");
    assert!(!narrow.lines().any(|l| l.starts_with("scored;")), "{narrow}");
    // A misspelt factor there is refused by name.
    let config = dir.path().join("bad.toml");
    std::fs::write(&config, "[triage]\ncollapse_factors = [\"active_users_wek\"]\n").unwrap();
    let (ok, _, err) = tend_on(&db, &["--config", config.to_str().unwrap(), "config", "check"]);
    assert!(!ok && err.contains("no factor is called \"active_users_wek\" (did you mean active_users_week?)"), "{err}");
}

/// A band's share of the ARR that rounds to 0 but is there reads "<1%" beside the bar's cell for
/// it (a probe read "R 0%" beside an R).
#[test]
fn a_share_under_half_a_percent_reads_under_one() {
    use ratatui::crossterm::event::KeyCode;
    let (dir, db) = imported_crm(200);
    let usage = weekly_usage(
        "Account ID,Week Starting,Logins,Active Users",
        2..=2,
        |_| 16,
        |i, day| format!("CRM-{i:04},{day},40,9\n"),
    );
    import_text(&db, &dir, "metrics", &usage);
    let mut app = app_on(&db);
    common::press(&mut app, KeyCode::Char('5'));
    common::press(&mut app, KeyCode::Char('w'));
    let screen = common::text(&app, 100, 30);
    let week = screen.lines().find(|l| l.contains(&today().to_string())).unwrap_or_default();
    assert!(week.contains("<1% Y  0% O  0% R  0%"), "{screen}");
}

/// A daily feed's weekend is not the account's level: active users read the week's average up to
/// the newest sample, the same on a Friday as on the Sunday after (a probe's steady account read
/// "Active users 10 -> 2" and fell a band every weekend).
#[test]
fn active_users_from_a_daily_feed_read_the_week_not_the_weekend() {
    let (dir, db) = imported_crm(20);
    let mut usage = String::from("Account ID,Day,Logins,Active Users\n");
    let start = chrono::NaiveDate::from_ymd_opt(2026, 9, 21).unwrap(); // a Monday
    for i in 4..=6 {
        for d in 0..63 {
            let day = start + Duration::days(d);
            let weekend = d % 7 >= 5;
            usage.push_str(&format!(
                "CRM-{i:04},{day},{},{}\n",
                if weekend { 1 } else { 30 },
                if weekend { 2 } else { 12 }
            ));
        }
    }
    import_text(&db, &dir, "metrics", &usage);
    let users = |day: &str| -> f64 {
        let accounts = csv_rows(&ok(&db, &["--as-of", day, "export", "accounts"]));
        let row = accounts.iter().find(|a| a["external_id"] == "CRM-0005").unwrap();
        row["value_active_users"].parse().unwrap_or(f64::NAN)
    };
    let week = (5.0 * 12.0 + 2.0 * 2.0) / 7.0;
    // The feed's last day is Sunday 2026-11-22; Friday 2026-11-20 read a week of the same shape.
    for day in ["2026-11-20", "2026-11-22", "2026-11-23"] {
        assert!((users(day) - week).abs() < 0.01, "{day}: {}", users(day));
    }
}

/// A change column where one row in twenty has a change gives way first on a narrow screen,
/// rather than stand nearly empty where the CSM and the segment were dropped (a probe's
/// Portfolio at 60 columns); where there is room it stays.
#[test]
fn a_nearly_empty_change_column_gives_way_first() {
    let (_dir, db) = crm_with_steady_usage(2..=2, |_| 16);
    let mut app = app_on(&db);
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('2'));
    let header = |width| {
        let screen = common::text(&app, width, 24);
        screen.lines().find(|l| l.contains("Account")).unwrap_or("").to_string()
    };
    let narrow = header(54);
    assert!(!narrow.contains("Δ30d") && narrow.contains("CSM"), "{narrow}");
    let wide = header(120);
    assert!(wide.contains("Δ30d"), "{wide}");
    // The columns are the book's, not the query's: a filter matching only an account with a
    // change, or only one without, shows the same ones (a probe's 60 columns showed 7d, Δ30d
    // or neither by what a query matched).
    let name_with = |change: bool| {
        let r = app.portfolio.rows().iter().find(|r| r.deltas.iter().any(Option::is_some) == change).unwrap();
        r.name.clone()
    };
    for name in [name_with(true), name_with(false)] {
        common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('/'));
        common::typ(&mut app, &name);
        let screen = common::text(&app, 120, 24);
        let filtered = screen.lines().find(|l| l.contains("Account")).unwrap_or("").to_string();
        // (Ranked by the match, the sort's arrow goes.)
        let columns = |h: &str| h.split_whitespace().filter(|w| !["▲", "▼"].contains(w)).collect::<Vec<_>>().join(" ");
        assert_eq!(columns(&filtered), columns(&wide), "{name}: {screen}");
        common::press(&mut app, ratatui::crossterm::event::KeyCode::Esc);
    }
}

/// An ARR cut to under a tenth is said apart from the others (a probe's "$2,49" read $2.49
/// against $2,988 before, an ordinary change in the dry run), and "$2,49" itself is refused as
/// the slip it is in dollars.
#[test]
fn an_arr_cut_tenfold_is_said_and_a_dollar_comma_before_cents_refused() {
    let (dir, db, _) = import_into_new_book("External ID,Account,ARR\nA-1,Alpha,\"$2,988\"\nA-2,Beta,\"$1,250\"\n");
    let file = dir.path().join("slip.csv");
    std::fs::write(&file, "External ID,Account,ARR\nA-1,Alpha,\"$2,49\"\nA-2,Beta,\"$1,250\"\n").unwrap();
    let (ok, _, err) = tend_on(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(!ok && err.contains("slip.csv:2") && err.contains("(write $2.49 or $249)"), "{err}");
    let said = ok_dry(&db, &dir, "External ID,Account,ARR\nA-1,Alpha,29.88\nA-2,Beta,1100\n");
    assert!(said.contains("of them, 1 ARR falls to under a tenth of its last (Alpha $2,988 -> $29.88)"), "{said}");
    let said = ok_dry(&db, &dir, "External ID,Account,ARR\nA-1,Alpha,2500\nA-2,Beta,1100\n");
    assert!(!said.contains("under a tenth"), "{said}");
}

fn ok_dry(db: &Path, dir: &tempfile::TempDir, text: &str) -> String {
    let file = dir.path().join("dry.csv");
    std::fs::write(&file, text).unwrap();
    ok(db, &["import", "accounts", file.to_str().unwrap(), "--dry-run"])
}

/// The columns a file gives that no field reads are said when it adds accounts: kept as
/// attributes (a probe learnt only from an export that "Next invoice" had not been read as the
/// renewal date); the same file again, adding none, says nothing of them.
#[test]
fn columns_no_field_reads_are_said_when_a_file_adds_accounts() {
    let text = "External ID,Account,ARR,CSM,Next invoice,Country,Segment\nK-1,Kay,5000,Ann Lee,2027-01-01,US,SMB\n";
    let (dir, db, said) = import_into_new_book(text);
    assert!(
        said.contains("columns kept as attributes, not read as any field: \"Next invoice\", \"Country\" (to read one"),
        "{said}"
    );
    let again = import_text(&db, &dir, "accounts", text);
    assert!(!again.contains("kept as attributes"), "{again}");
}

/// A first CRM file without renewal dates says so, and a later file that gives them plans the
/// renewal journey still ahead, as for a new account, once, and not where the account holds
/// milestones of it already (a probe's accounts renewing in 29 days had no renewal call).
#[test]
fn a_renewal_date_learnt_later_plans_the_renewal_journey_still_ahead() {
    let (dir, db, said) = import_into_new_book(
        "External ID,Account,ARR,Customer since\nR-1,Renews Soon,5000,2020-01-01\nR-2,Renews Later,5000,2020-01-01\nR-3,Held,5000,2020-01-01\n",
    );
    assert!(said.contains("no column gives each account's renewal date"), "{said}");
    ok(&db, &["milestone", "add", "R-3", "renewal", "Renewal call", "--due", "+30d"]);
    let dated = "External ID,Account,ARR,Customer since,Renewal date\nR-1,Renews Soon,5000,2020-01-01,2027-01-22\nR-2,Renews Later,5000,2020-01-01,2027-06-01\nR-3,Held,5000,2020-01-01,2027-01-22\n";
    let said = import_text(&db, &dir, "accounts", dated);
    assert!(said.contains("planned 3 journey milestones, all still ahead"), "{said}");
    assert!(!said.contains("no column gives each account's renewal date"), "{said}");
    let names = |key: &str| -> Vec<String> {
        let list: serde_json::Value =
            serde_json::from_str(&ok(&db, &["milestone", "list", key, "--format", "json"])).unwrap();
        list.as_array().unwrap().iter().map(|m| format!("{} {}", m["milestone"], m["due"])).collect()
    };
    // Renewing 2027-01-22: the call 90 days before is past on 2026-11-23, the decision is not.
    assert_eq!(names("R-1"), ["\"Renewal decision\" \"2026-12-23\""]);
    assert_eq!(names("R-2"), ["\"Renewal call\" \"2027-03-03\"", "\"Renewal decision\" \"2027-05-02\""]);
    assert_eq!(names("R-3"), ["\"Renewal call\" \"2026-12-23\""], "the journey it held is not planned again");
    // The same file again plans nothing more.
    let said = import_text(&db, &dir, "accounts", dated);
    assert!(!said.contains("planned"), "{said}");
    assert_eq!(names("R-2").len(), 2);
}

/// A renewal starts the next term's renewal journey: `tend renew` plans its milestones still
/// ahead (undone with it, never twice for one date) and names the renewed term's still open; a
/// CRM file that moves a renewal date on by a term plans them too, a date corrected by days does
/// not (a renewed account had no renewal call planned ever again).
#[test]
fn a_renewal_plans_the_renewal_journey_for_the_next_term() {
    let (dir, db, _) = import_into_new_book(
        "External ID,Account,ARR,Customer since,Renewal date\nR-1,Renews Soon,5000,2020-01-01,2026-12-20\nR-2,Decides Soon,5000,2020-01-01,2027-01-22\nR-3,Renews Later,5000,2020-01-01,2027-06-01\n",
    );
    let names = |key: &str| -> Vec<String> {
        let list: serde_json::Value =
            serde_json::from_str(&ok(&db, &["milestone", "list", key, "--format", "json"])).unwrap();
        list.as_array().unwrap().iter().map(|m| format!("{} {}", m["milestone"], m["due"])).collect()
    };
    // Both of R-1's milestones were past on the import's day.
    assert!(names("R-1").is_empty());
    let said = ok(&db, &["renew", "R-1"]);
    assert!(said.contains("until 2027-12-20"), "{said}");
    assert!(
        said.contains("next term's renewal milestones planned (2, the first Renewal call on 2027-09-21)"),
        "{said}"
    );
    assert!(!said.contains("still open"), "{said}");
    assert_eq!(names("R-1"), ["\"Renewal call\" \"2027-09-21\"", "\"Renewal decision\" \"2027-11-20\""]);
    // Renewed again without a date: refused, the renewal date being a term ahead (it moved it
    // another year without a word).
    let (renewed, _, err) = tend_on(&db, &["renew", "R-1"]);
    assert!(!renewed, "{err}");
    assert!(
        err.contains("Renews Soon renews on 2027-12-20, 392 days ahead (renewed on 2026-11-23): renewed already?"),
        "{err}"
    );
    assert_eq!(names("R-1").len(), 2, "nothing changed");
    // So does `R` on its screen, which offered a year on and marked the next term's milestones
    // done (a probe renewed a contract the day's CRM sync had renewed).
    {
        use ratatui::crossterm::event::KeyCode;
        let mut app = app_on(&db);
        open_by_name(&mut app, "Renews Soon");
        common::press(&mut app, KeyCode::Char('R'));
        assert!(app.form.is_none(), "no renewal form");
        // Whole at 60 columns (its end was cut off the message's three lines).
        let screen = common::text(&app, 60, 24);
        assert!(screen.contains("another date."), "{screen}");
        assert!(
            app.message.as_deref().is_some_and(
                |m| m.contains("renews on 2027-12-20, 392 days ahead (renewed on 2026-11-23): renewed already?")
            ),
            "{:?}",
            app.message
        );
    }
    ok(&db, &["undo"]);
    assert!(names("R-1").is_empty(), "undone with the renewal");
    // Renewed early: the renewed term's decision, still open, is done with it, and said.
    let said = ok(&db, &["renew", "R-2"]);
    assert!(said.contains("until 2028-01-22"), "{said}");
    assert!(
        said.contains(
            "the renewed term's renewal milestones left open marked done with it: Renewal decision (due 2026-12-23)"
        ),
        "{said}"
    );
    assert_eq!(names("R-2").len(), 3);
    let list: serde_json::Value =
        serde_json::from_str(&ok(&db, &["milestone", "list", "R-2", "--format", "json"])).unwrap();
    let decided = list.as_array().unwrap().iter().find(|m| m["due"] == "2026-12-23").unwrap().clone();
    assert_eq!((decided["state"].as_str(), decided["done"].as_str()), (Some("done"), Some("2026-11-23")), "{list}");
    // The same date renewed again plans nothing twice.
    let said = ok(&db, &["renew", "R-2", "--until", "2028-01-22"]);
    assert!(!said.contains("planned"), "{said}");
    assert_eq!(names("R-2").len(), 3);
    // A CRM file: R-3 renewed (a year on), R-1's date corrected by ten days.
    let file = "External ID,Account,ARR,Customer since,Renewal date\nR-1,Renews Soon,5000,2020-01-01,2026-12-30\nR-3,Renews Later,5000,2020-01-01,2028-06-01\n";
    let said = import_text(&db, &dir, "accounts", file);
    assert!(
        said.contains(
            "1 renewal date moved a term on (Renews Later 2027-06-01 -> 2028-06-01): recorded as renewed on the \
             import's day, its renewal journey planned again for the new term and the renewed term's renewal \
             milestones left open done with it"
        ),
        "{said}"
    );
    assert!(said.contains("planned 2 journey milestones"), "{said}");
    assert_eq!(
        names("R-3"),
        [
            "\"Renewal call\" \"2027-03-03\"",
            "\"Renewal decision\" \"2027-05-02\"",
            "\"Renewal call\" \"2028-03-03\"",
            "\"Renewal decision\" \"2028-05-02\""
        ]
    );
    assert!(names("R-1").is_empty(), "a date corrected by days is no new term");
    // The renewed term's milestones are done, and the renewal is the one-on-one's (and the
    // retention figures') as one recorded by hand is.
    let list: serde_json::Value =
        serde_json::from_str(&ok(&db, &["milestone", "list", "R-3", "--format", "json"])).unwrap();
    let done: Vec<&str> = list.as_array().unwrap().iter().filter_map(|m| m["done"].as_str()).collect();
    assert_eq!(done, ["2026-11-23", "2026-11-23"], "{list}");
    let events: Vec<String> = {
        let store = tend::store::Store::open(&db).unwrap();
        let id = store.account_names().unwrap().into_iter().find(|(_, n)| n == "Renews Later").unwrap().0;
        store
            .contract_events(id)
            .unwrap()
            .iter()
            .map(|e| format!("{:?} {} {:?}", e.kind, e.day, e.renewal_after))
            .collect()
    };
    assert_eq!(events, ["Renewed 2026-11-23 Some(2028-06-01)"]);
    let said = import_text(&db, &dir, "accounts", file);
    assert!(!said.contains("term on") && !said.contains("planned"), "{said}");
    assert_eq!(names("R-3").len(), 4);
    // A new account whose row records its renewal: planned from the date the import moves it to.
    let (_dir, db, said) = import_into_new_book(
        "External ID,Account,ARR,Customer since,Renewal date,Status,Outcome date\nN-1,New Renewed,5000,2020-01-01,2026-11-15,Renewed,2026-11-10\n",
    );
    assert!(said.contains("New Renewed 2026-11-15 -> 2027-11-15"), "{said}");
    let list: serde_json::Value =
        serde_json::from_str(&ok(&db, &["milestone", "list", "N-1", "--format", "json"])).unwrap();
    let dues: Vec<&str> = list.as_array().unwrap().iter().filter_map(|m| m["due"].as_str()).collect();
    assert_eq!(dues, ["2027-08-17", "2027-10-16"], "{list}");
}

/// A long file's metric written as a header would be ("Active Users") is the metric a factor
/// reads, as a wide file's header is (a probe's long file read "metric "Active Users" feeds no
/// health factor yet", and had to be renamed by hand); a name a factor reads as written stays.
#[test]
fn a_long_files_metric_written_as_a_header_is_read_as_the_factors_metric() {
    let (dir, db) = imported_crm(20);
    let usage = weekly_usage(
        "account,week,metric,value",
        1..=2,
        |_| 16,
        |i, day| {
            format!("CRM-{i:04},{day},Active Users,9\nCRM-{i:04},{day},Weekly Logins,40\nCRM-{i:04},{day},logins,41\n")
        },
    );
    let said = import_text(&db, &dir, "metrics", &usage);
    assert!(said.contains("read the metric \"Active Users\" as active_users"), "{said}");
    assert!(said.contains("\"Weekly Logins\" feeds no health factor yet"), "{said}");
    let samples: serde_json::Value =
        serde_json::from_str(&ok(&db, &["export", "metrics", "--format", "json"])).unwrap();
    let metrics: std::collections::BTreeSet<&str> =
        samples.as_array().unwrap().iter().filter_map(|s| s["metric"].as_str()).collect();
    assert_eq!(metrics.into_iter().collect::<Vec<_>>(), ["Weekly Logins", "active_users", "logins"], "{samples}");
}

/// A feed that began a month before it stopped has nothing a month back to compare with, but
/// what the account's screen says is that it stopped, as Triage does (a probe's Glacier Water
/// read "stale: Usage growth (MoM)" in Triage and "too new to compare" on its screen).
#[test]
fn a_change_over_a_feed_that_stopped_says_it_stopped_not_that_it_is_new() {
    let (dir, db) = imported_crm(20);
    // CRM-0003's feed runs four weeks from 2026-09-21 and stops five weeks before the others'.
    let usage = weekly_usage(
        "Account ID,Week Starting,Usage",
        1..=9,
        |_| 16,
        |i, day| {
            let late = chrono::NaiveDate::from_ymd_opt(2026, 9, 21).unwrap();
            match i != 3 || (late..=late + Duration::weeks(3)).contains(&day) {
                true => format!("CRM-{i:04},{day},{}\n", 100 + i),
                false => String::new(),
            }
        },
    );
    import_text(&db, &dir, "metrics", &usage);
    let (triage, reasons) = triage_reasons(&db);
    assert!(reasons("Company 3").contains("stale: Usage growth (MoM)"), "{triage}");
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 3");
    for width in [100, 80, 60] {
        let screen = common::text(&app, width, 40);
        let growth = screen.lines().find(|l| l.starts_with("Usage growth")).unwrap_or("");
        assert!(growth.contains("35d behind the rest") || growth.contains("35d before the rest"), "{width}: {screen}");
        assert!(!screen.contains("too new") && !screen.contains("days before to compare with"), "{width}: {screen}");
    }
    // A feed that is only new still says so.
    open_by_name(&mut app, "Company 5");
    let screen = common::text(&app, 100, 40);
    assert!(!screen.contains("behind the rest"), "{screen}");
}

/// A renewal date before the customer-since is imported as written and said (a probe's account
/// read "-364d" on the Portfolio without a word at the import).
#[test]
fn a_renewal_before_the_customer_since_is_said() {
    let (_dir, _db, said) = import_into_new_book(
        "External ID,Account,ARR,Customer since,Renewal date\nU-1,Umber Health,5000,2026-10-29,2025-12-04\nU-2,Ok Ltd,5000,2025-10-29,2026-12-04\n",
    );
    assert!(
        said.contains(
            "1 account renews before becoming a customer, or that same day (Umber Health: customer since 2026-10-29, renewal 2025-12-04)"
        ),
        "{said}"
    );
    // The start date copied into the renewal column (a probe's three sat in Triage all week as a
    // renewal 50 days overdue): said too.
    let (_dir, _db, said) = import_into_new_book(
        "External ID,Account,ARR,Customer since,Renewal date\nI-1,Iris Health,5000,2026-10-15,2026-10-15\n",
    );
    assert!(said.contains("(Iris Health: customer since 2026-10-15, renewal 2026-10-15)"), "{said}");
    let (_dir, _db, said) = import_into_new_book(
        "External ID,Account,ARR,Customer since,Renewal date\nU-2,Ok Ltd,5000,2025-10-29,2026-12-04\n",
    );
    assert!(!said.contains("before becoming a customer"), "{said}");
}

/// A churned account's journey goes no further: its milestones not done read as no longer due,
/// not as a renewal decision still ahead (a probe's churned account kept "Renewal decision due
/// 2027-01-05").
#[test]
fn a_churned_accounts_journey_is_no_longer_due() {
    let (_dir, db) = imported_crm(20);
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 11");
    let journey = |app: &mut tend::tui::App| {
        while app.account.as_ref().is_some_and(|v| v.tab != tend::tui::views::account::AccountTab::Journey) {
            common::press(app, ratatui::crossterm::event::KeyCode::Tab);
        }
        common::text(app, 100, 30)
    };
    let before = journey(&mut app);
    assert!(before.contains("Renewal decision"), "{before}");
    assert!(!before.contains("no longer"), "{before}");
    ok(&db, &["churn", "CRM-0011", "--reason", "budget"]);
    let mut app = app_on(&db);
    // The Portfolio hides churned accounts until `c` shows them.
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('2'));
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('c'));
    open_by_name(&mut app, "Company 11");
    let after = journey(&mut app);
    let line = after.lines().find(|l| l.contains("Renewal decision")).unwrap_or("");
    assert!(line.starts_with("churned") && line.contains("no longer due (2027-"), "{after}");
    // Whole at 80 columns.
    let narrow = common::text(&app, 80, 30);
    assert!(narrow.lines().any(|l| l.contains("Renewal decision") && l.trim_end().ends_with(')')), "{narrow}");
}

/// A column an earlier file had unmapped was kept as an attribute; mapped to a field in a later
/// import (as the first import's summary advised), it is read as the field and its stale copy
/// goes (a probe's export read "arr 45000" beside "Annual Revenue $60,000").
#[test]
fn a_column_mapped_after_a_first_import_leaves_no_stale_copy() {
    let file = "External ID,Company name,Annual Revenue,Region\nZ-1,Zephyr Logistics,\"$60,000\",EU\n";
    let (dir, db, said) = import_into_new_book(file);
    // The advice maps the column that reads like the ARR to the ARR, not to the CSM.
    assert!(said.contains("\"Annual Revenue\" = \"arr\"") && !said.contains("= \"csm\""), "{said}");
    // With the caution the help gives: a CRM's "Annual Revenue" is most often the company's own.
    assert!(said.contains("if it is what they pay you, not their own turnover"), "{said}");
    // No column reading like the CSM: the example names none of the file's ("Customer Email"
    // = "csm" had been offered).
    let (_other, _, said) = import_into_new_book("External ID,Company name,ARR,Customer Email\nZ-2,Zed,100,a@b.io\n");
    assert!(said.contains("\"THE HEADER\" = \"csm\"") && !said.contains("\"Customer Email\" ="), "{said}");
    let exported = |db: &Path| -> serde_json::Value {
        let all: serde_json::Value =
            serde_json::from_str(&ok(db, &["export", "accounts", "--format", "json"])).unwrap();
        all[0].clone()
    };
    assert_eq!(exported(&db)["Annual Revenue"], "$60,000", "{}", exported(&db));
    std::fs::create_dir_all(dir.path().join("config/tend")).unwrap();
    std::fs::write(dir.path().join("config/tend/config.toml"), "[import.columns]\n\"Annual Revenue\" = \"arr\"\n")
        .unwrap();
    import_text(
        &db,
        &dir,
        "accounts",
        "External ID,Company name,Annual Revenue,Region\nZ-1,Zephyr Logistics,\"$45,000\",EU\n",
    );
    let account = exported(&db);
    assert_eq!(account["arr"], 45000.0, "{account}");
    assert!(account.get("Annual Revenue").is_none_or(|v| v.is_null() || v == ""), "{account}");
    // The other columns kept as they were.
    assert_eq!(account["Region"], "EU", "{account}");
}

/// A book's first usage file without the logins the new customers' (jumpstart) score reads says
/// so: a probe's customers of 80 days, with weeks of usage and touches, read "low data", then
/// Green on day 90, without a word of why.
#[test]
fn a_first_usage_file_without_logins_says_the_new_customers_score_lacks_them() {
    let (dir, db) = imported_crm(10);
    let file = "Account ID,Week Starting,Usage\nCRM-0001,2026-11-16,50\nCRM-0002,2026-11-16,40\n";
    let said = import_text(&db, &dir, "metrics", file);
    assert!(
        said.contains(
            "the new customers' score (their first 90 days) reads \"logins\" (Days since login, Days to first login, \
             Early logins), which the file has none of: without it accounts that young stay \"not enough data\""
        ),
        "{said}"
    );
}

/// A book's first usage file says which weighed factors read metrics it lacks, with their
/// weight: a probe's first morning had 141 of 149 accounts unscored, "usage" never imported, and
/// not a word of it. Said once: the next file into a book that has usage data is no news.
#[test]
fn a_books_first_usage_file_says_what_the_factors_read_that_it_lacks() {
    let (dir, db) = imported_crm(10);
    let file = "Account ID,Week Starting,Logins,Active Users\nCRM-0001,2026-11-16,5,3\nCRM-0002,2026-11-16,5,3\n";
    let said = import_text(&db, &dir, "metrics", file);
    assert!(
        said.contains(
            "the file has no metrics \"usage\", \"support_tickets\": Usage vs expected, Usage growth (MoM), Support \
             tickets (weight 6 of 22) have no value until a file gives them"
        ),
        "{said}"
    );
    // It gives the logins the new customers' score reads: nothing said of it.
    assert!(!said.contains("the new customers' score"), "{said}");
    // The book's accounts the file has no sample for: 8 of 10.
    assert!(
        said.contains(
            "8 of the book's 10 accounts have no sample in the file (the first 3: Acme 0, Inc. (CRM-0000), Company 3 \
             (CRM-0003), Company 4 (CRM-0004))"
        ),
        "{said}"
    );
    // What the file gives is short of what a score needs: said, with what would make it up, at
    // the share an account past its first days with every factor the file feeds scores at, by
    // the rules a score is worked out by (optional evidence the file gives counted: an estimate of
    // its own read "45%" of a probe's accounts that scored at 53%, and said they would not score).
    assert!(
        said.contains(
            "the file's metrics feed 46% of the health weight and a score needs 50% (health.min_coverage): accounts \
             past their first 90 days score once sentiments or touches are logged for them too"
        ),
        "{said}"
    );
    // Into a book whose touches are logged already: those accounts score, said so (a lead's
    // probe, 1,500 touches in, was told the accounts would score once touches were logged).
    let (dir3, db3) = imported_crm(10);
    import_text(&db3, &dir3, "logs", "Account ID,Kind,Date,Channel\nCRM-0001,touch,2026-11-20,call\n");
    let said3 = import_text(&db3, &dir3, "metrics", file);
    assert!(
        said3.contains(
            "a score needs 50% (health.min_coverage): past their first 90 days, the accounts with entries logged \
             that the score reads (a sentiment, a touch, an NPS answer) score, the others read \"not enough data\" \
             until some are"
        ),
        "{said3}"
    );
    // A file with support tickets too feeds enough: nothing said.
    let (dir2, db2) = imported_crm(10);
    let said2 = import_text(
        &db2,
        &dir2,
        "metrics",
        "Account ID,Week Starting,Logins,Active Users,Support Tickets\nCRM-0003,2026-11-16,5,3,1\n",
    );
    assert!(!said2.contains("a score needs"), "{said2}");
    let said = import_text(&db, &dir, "metrics", "Account ID,Week Starting,Logins\nCRM-0003,2026-11-16,5\n");
    assert!(
        !said.contains("the file has no") && !said.contains("a score needs") && !said.contains("no sample in"),
        "{said}"
    );
    // An account whose name another shares is named by it too, not by its id twice.
    let (dir, db) = imported_crm(3);
    import_text(&db, &dir, "accounts", "External ID,Account\nCRM-0009,\"Acme 0, Inc.\"\n");
    let said = import_text(&db, &dir, "metrics", "Account ID,Week Starting,Logins\nCRM-0001,2026-11-16,5\n");
    assert!(said.contains("no sample in the file (Acme 0, Inc. (CRM-0000), "), "{said}");
}

/// Two accounts of one name, one of them churned (a customer lost and won back as a new CRM
/// record): where tend asks for the external id, it says which one is churned, on the command
/// line and in a file.
#[test]
fn a_shared_name_says_which_account_is_churned() {
    let (dir, db, _) = import_into_new_book(
        "External ID,Account,ARR\nACC-1001,Cafe Zurich GmbH,5000\nACC-9001,Cafe Zurich GmbH,4000\n",
    );
    ok(&db, &["churn", "ACC-9001", "--reason", "budget"]);
    let (ok_log, _, err) = tend_on(&db, &["log", "sentiment", "Cafe Zurich GmbH", "7"]);
    assert!(!ok_log && err.contains("(ACC-1001, $5k ARR)") && err.contains("(ACC-9001, $4k ARR, churned)"), "{err}");
    let file = dir.path().join("logs.csv");
    std::fs::write(&file, "Account,Kind,Date,Score\nCafe Zurich GmbH,sentiment,2026-11-20,7\n").unwrap();
    let (ok_import, _, err) = tend_on(&db, &["import", "logs", file.to_str().unwrap()]);
    assert!(!ok_import && err.contains("2 accounts have this name (ACC-1001; ACC-9001, churned)"), "{err}");
}

/// Without `me` in the config and without `--by`, what a command logs is signed as the account's
/// CSM, and the command says so, as the screens do (a lead churning a CSM's account found the
/// CSM's name on the timeline without a word of why).
#[test]
fn the_command_line_says_an_entry_is_signed_as_the_accounts_csm() {
    let (_dir, db) = imported_crm(10);
    let said = ok(&db, &["log", "sentiment", "CRM-0001", "7"]);
    assert!(said.contains("(signed as Ben Okafor, its CSM; --by or me in the config signs as you)"), "{said}");
    let said = ok(&db, &["churn", "CRM-0002", "--reason", "budget"]);
    assert!(said.contains("(signed as Liam Chen, its CSM;"), "{said}");
    let said = ok(&db, &["log", "sentiment", "CRM-0001", "8", "--by", "Maya Patel"]);
    assert!(!said.contains("signed as"), "{said}");
    // An account with no CSM: signed as no one, said too.
    let said = ok(&db, &["log", "touch", "CRM-0003", "call"]);
    assert!(said.contains("(signed as no one: the account has no CSM; --by signs as you)"), "{said}");
}

/// A customer in its first 90 days whose logins stopped weeks before the rest of the book's is a
/// Triage reason (a probe's onboarding customer with no data for 39 days read "renews in 65
/// days, Yellow" alone: the usage factors that say a feed stopped are not weighed in jumpstart).
#[test]
fn an_onboarding_customer_whose_logins_stopped_is_in_triage() {
    // CRM-0002 became a customer 60 days ago (jumpstart); its logins stop five weeks before the
    // others' last week.
    let (dir, db) = imported_crm(10);
    let weeks = |i| if i == 2 { 11 } else { 16 };
    let usage =
        weekly_usage("Account ID,Week Starting,Logins", 1..=9, weeks, |i, day| format!("CRM-{i:04},{day},40\n"));
    import_text(&db, &dir, "metrics", &usage);
    let (triage, reasons) = triage_reasons(&db);
    assert!(reasons("Company 2").contains("stale: Days since login — 35 days behind the rest"), "{triage}");
    assert!(!reasons("Company 1").contains("stale"), "{triage}");
}

/// An account's header at 80 columns keeps a jumpstart score's kind whole and lets the day go
/// (the status line says it), rather than cut it ("day 83 of 90, thin data · as of 2026-12…").
#[test]
fn a_jumpstart_header_is_never_cut_at_80_columns() {
    let (dir, db) = imported_crm(10);
    let usage =
        weekly_usage("Account ID,Week Starting,Logins", 2..=2, |_| 16, |i, day| format!("CRM-{i:04},{day},40\n"));
    import_text(&db, &dir, "metrics", &usage);
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 2");
    for width in [80, 60] {
        let screen = common::text(&app, width, 24);
        let head = screen.lines().find(|l| l.starts_with("Health ")).unwrap_or("");
        assert!(head.contains("jumpstart score, day") && !head.contains('…'), "{width}: {screen}");
    }
}

/// Month-over-month usage growth compares the average of the last 30 days with the 30 days
/// before, not one week's sample with another's: a weekly export of flat usage whose weeks go up
/// and down by a fifth read +25% one Monday and -20% the next (full points, then none: a fall in
/// Triage that came and went by the week, while an account whose use halved fell no further).
#[test]
fn a_weekly_exports_noise_is_no_months_growth_or_fall() {
    let (dir, db) = imported_crm(20);
    // CRM-0003: flat, every other week a fifth lower; CRM-0004: steady, then half from the
    // twelfth week (2026-10-19) on.
    let usage = weekly_usage(
        "Account,Metric,Week Starting,Value",
        3..=4,
        |_| 16,
        |i, day| {
            let week = (day - chrono::NaiveDate::from_ymd_opt(2026, 8, 3).unwrap()).num_weeks();
            let value = match i {
                3 if week % 2 == 1 => 80,
                3 => 100,
                _ if week >= 11 => 50,
                _ => 100,
            };
            format!("CRM-{i:04},usage,{day},{value}\nCRM-{i:04},logins,{day},5\n")
        },
    );
    import_text(&db, &dir, "metrics", &usage);
    let store = tend::store::Store::open(&db).unwrap();
    let config = tend::config::Config::default();
    let catalog = &config.health.catalog;
    let names = store.account_names().unwrap();
    let growth = |as_of: &str, name: &str| -> Option<f64> {
        let id = names.iter().find(|(_, n)| n == name).unwrap().0;
        let facts = store.account_facts(id, catalog).unwrap();
        tend::domain::signals::derive_values(&facts, as_of.parse().unwrap(), catalog).get(common::id("usage_growth"))
    };
    // The Monday of a high week and the next, of a low one: the same flat usage within a few
    // percent either way (single samples read +25% and -20%).
    for as_of in ["2026-11-09", "2026-11-16", "2026-11-23"] {
        let noisy = growth(as_of, "Company 3").unwrap();
        assert!(noisy.abs() < 5.0, "{as_of}: {noisy}");
    }
    // The halved account: all of the fall once the last 30 days are all at half.
    assert_eq!(growth("2026-11-23", "Company 4"), Some(-50.0));
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 3");
    let screen = common::text(&app, 100, 30);
    let line = screen.lines().find(|l| l.starts_with("Usage growth")).unwrap_or("");
    assert!(line.contains(" -2% "), "{screen}");
    // The file gives no expected usage: what the account lacks is said, not a stopped feed ("last
    // data 0d before the rest" it read).
    let vs_expected = screen.lines().find(|l| l.starts_with("Usage vs expected")).unwrap_or("");
    assert!(vs_expected.contains("no expected usage: optional, left out"), "{screen}");
    // Flat is within 10% either way: full three points of four, as the month before.
    assert!(line.contains("■■■□ 3"), "{screen}");
    // Its fall is in Triage, named by the factor; the flat account's is not.
    let (triage, reasons) = triage_reasons(&db);
    assert!(!reasons("Company 3").contains("Usage growth"), "{triage}");
}

/// A renewal dated before the account became a customer is refused as a churn so dated is (it
/// was taken, and read as the contract's day), and a negative ARR on the command line is refused
/// for being negative, not taken for an option ("unexpected argument '-5'"). Nothing is written.
#[test]
fn a_renewal_before_the_customer_began_or_below_zero_is_refused() {
    let (_dir, db) = imported_crm(10);
    let before = ok(&db, &["undo", "--list"]);
    let refused = |args: &[&str], says: &str| {
        let (ok, _, err) = tend_on(&db, args);
        assert!(!ok && err.contains(says), "{args:?}: {err}");
    };
    // CRM-0001 became a customer 20 days before today: a renewal in 2015 is before it.
    let since = csv_rows(&ok(&db, &["export", "accounts"]))
        .into_iter()
        .find(|a| a["external_id"] == "CRM-0001")
        .map(|a| a["customer_since"].clone())
        .unwrap();
    refused(
        &["renew", "CRM-0001", "--date", "2015-01-01", "--until", "2027-01-01"],
        &format!("date: 2015-01-01 is before Company 1 became a customer on {since}"),
    );
    refused(&["renew", "CRM-0001", "--until", "2027-01-01", "--arr", "-5000"], "arr: \"-5000\": a negative amount");
    refused(&["renew", "CRM-0001", "--until", "2020-01-01"], "until: the next renewal (2020-01-01) must be after");
    assert_eq!(ok(&db, &["undo", "--list"]), before);
    // Without --until, a year on from the date that renews, as the R form offers: a renewal a
    // few days late keeps its anniversary (from today, "+1y" drifted by the days late).
    let renewal = csv_rows(&ok(&db, &["export", "accounts"]))
        .into_iter()
        .find(|a| a["external_id"] == "CRM-0001")
        .map(|a| a["renewal_date"].parse::<chrono::NaiveDate>().unwrap())
        .unwrap();
    let said = ok(&db, &["renew", "CRM-0001"]);
    let next = tend::book::contracts::next_renewal(Some(renewal), today()).unwrap();
    assert!(next > today() && next.format("%m-%d").to_string() == renewal.format("%m-%d").to_string());
    assert!(said.contains(&format!("until {next}")), "{said}");
}

/// The back-test counts an account that churned and came back as the churn it was (it dropped
/// such churns without a word), counts only the outcomes known by the day it is run as of, and
/// does not say "Warnings: none" of a score it had no scored outcome to test.
#[test]
fn the_backtest_keeps_a_returned_churn_and_no_outcome_after_its_day() {
    let (_dir, db) = imported_crm(20);
    ok(&db, &["churn", "CRM-0005", "--date", "2026-10-01", "--reason", "Budget cut"]);
    ok(&db, &["reactivate", "CRM-0005", "--date", "2026-11-01"]);
    ok(&db, &["renew", "CRM-0006", "--date", "2026-11-10", "--until", "2027-11-10"]);
    let summary = |as_of: &str| -> serde_json::Value {
        let (ok, out, err) = common::tend_on_day(&db, as_of, &["backtest", "--format", "json"]);
        assert!(ok, "{err}");
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["summary"].clone()
    };
    let today = summary("2026-11-23");
    assert_eq!((today["accounts"].as_u64(), today["renewed"].as_u64()), (Some(2), Some(1)), "{today}");
    // On 2026-10-15 the churn had happened, the renewal not yet.
    let then = summary("2026-10-15");
    assert_eq!((then["accounts"].as_u64(), then["renewed"].as_u64()), (Some(1), Some(0)), "{then}");
    // Churns alone: no factor can be judged, and no "best" threshold is offered for any.
    let (_, text, _) = common::tend_on_day(&db, "2026-10-15", &["backtest"]);
    assert!(
        text.contains("(1 churned and none renewed: a factor is judged by how it tells renewals from churns"),
        "{text}"
    );
    assert!(!text.contains("BEST_THRESHOLD") && !text.contains("renew vs"), "{text}");
    let text = ok(&db, &["backtest"]);
    assert!(text.contains("Warnings: none can be told yet: 0 of 2 outcomes had a score before them"), "{text}");
    // The missing scores told apart: some data under the minimum, or none at all.
    assert!(text.contains("Score missing: 2") && text.contains("; the other 2 had no data yet)"), "{text}");
}

/// A CRM file imported again after tend moved its renewal a term on changes nothing and says so
/// (it read "2 updated: renewal_date 2027-05-16 -> 2026-05-16", then moved the date back), and a
/// churned row in a file older than the account's return in tend leaves the ARR it came back at
/// (the file's, from before the churn, was recorded as an expansion).
#[test]
fn a_crm_file_again_changes_no_renewal_moved_on_nor_a_returns_arr() {
    let file = "Account ID,Account Name,ARR,Customer Since,Contract End Date,Status,Churn Date,Renewed On\n\
                SF-1,Kestrel Air,\"$10,000\",2020-01-06,2026-05-16,Renewed,,2026-05-10\n\
                SF-2,Marlin Marine,\"$9,000\",2017-08-23,2027-08-23,Churned,2026-01-15,\n\
                SF-3,Orchid Spa,\"$5,000\",2021-03-01,2027-03-01,Active,,\n";
    let (dir, db, said) = import_into_new_book(file);
    assert!(said.contains("moved its renewal date a term on (Kestrel Air 2026-05-16 -> 2027-05-16"), "{said}");
    // The imported churn is on the account's timeline (it read "nothing logged yet"), and stays
    // one line once the return writes it down as an event.
    let churn_line = "2026-01-15  contract  churned, as an accounts import said ($9,000 ARR)";
    assert!(ok(&db, &["log", "list", "SF-2"]).contains(churn_line));
    ok(&db, &["reactivate", "SF-2", "--date", "2026-11-02", "--arr", "7000"]);
    assert_eq!(ok(&db, &["log", "list", "SF-2"]).matches(churn_line).count(), 1);
    let again = import_text(&db, &dir, "accounts", file);
    assert!(again.contains("0 new, 0 updated, 3 unchanged"), "{again}");
    assert!(
        again.contains(
            "Marlin Marine came back on 2026-11-02: a customer, not churned as in the file, ARR $7,000, not $9,000"
        ),
        "{again}"
    );
    let accounts = csv_rows(&ok(&db, &["export", "accounts"]));
    let marlin = accounts.iter().find(|a| a["external_id"] == "SF-2").unwrap();
    assert_eq!((marlin["arr"].as_str(), marlin["status"].as_str()), ("7000", "active"), "{marlin:?}");
    let kestrel = accounts.iter().find(|a| a["external_id"] == "SF-1").unwrap();
    assert_eq!(kestrel["renewal_date"], "2027-05-16");
}

/// A churned account the CRM gives no churn day is in no period's retention (it counted as a
/// customer kept in every one, its $30,000 in the starting ARR and the NRR), and the report says
/// it left it out.
#[test]
fn a_churn_without_a_day_is_left_out_of_retention_and_said() {
    let (_dir, db, said) = import_into_new_book(
        "Account ID,Account Name,ARR,Customer Since,Contract End Date,Status,Churn Date\n\
         SF-1,Alpha,\"$10,000\",2020-01-06,2027-05-16,Active,\n\
         SF-2,Elm Street Dental,\"$30,000\",2019-01-01,2027-01-01,Churned,\n\
         SF-3,Falcon Foods,\"$21,000\",2026-08-09,2027-08-09,Churned,2026-05-21\n",
    );
    // The churn without a day is said by the column it is blank in (the hint asked for a column
    // the file had).
    assert!(
        said.contains("1 account marked churned has no churn date (Elm Street Dental; blank in column \"Churn Date\")"),
        "{said}"
    );
    // A churn before the start is said at the import, as a renewal so dated is.
    assert!(
        said.contains(
            "1 account churned before becoming a customer (Falcon Foods: customer since 2026-08-09, churned 2026-05-21)"
        ),
        "{said}"
    );
    // The book's records start the day it was written (the clock's, not TEND_AS_OF's): measured
    // from the day after, two months on.
    let began = chrono::Utc::now().date_naive();
    let (from, as_of) = ((began + Duration::days(1)).to_string(), (began + Duration::days(60)).to_string());
    let (ok, out, err) = common::tend_on_day(&db, &as_of, &["report", "metrics", "--from", &from, "--format", "json"]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let all = &report["rows"][0];
    assert_eq!((all["accounts_start"].as_u64(), all["arr_start"].as_f64()), (Some(1), Some(10_000.0)), "{report}");
    assert_eq!(report["summary"]["undated_churns"], 1, "{report}");
    let (_, text, _) = common::tend_on_day(&db, &as_of, &["report", "metrics", "--from", &from]);
    assert!(
        text.contains("1 churned account without a churn day left out (the first: Elm Street Dental, $30,000)"),
        "{text}"
    );
}

/// The reports count the currencies of the accounts with an ARR on record, as the import does
/// (an account without one was counted in the book's currency: "68 in USD" beside "66 in USD").
#[test]
fn the_reports_count_currencies_as_the_import_does() {
    let (_dir, db, said) = import_into_new_book(
        "Account ID,Account Name,ARR,Currency,Customer Since,Account Owner\n\
         SF-1,Alpha,10000,USD,2020-01-06,Maya Patel\n\
         SF-2,Beta,5000,EUR,2020-01-06,Maya Patel\n\
         SF-3,Gamma,,,2020-01-06,Maya Patel\n",
    );
    assert!(said.contains("(1 in EUR, 1 in USD)"), "{said}");
    let (ok, _, err) = tend_on(&db, &["report", "metrics"]);
    assert!(ok && err.contains("several currencies (1 in EUR, 1 in USD)"), "{err}");
    // A one-on-one's book line adds them too: said alike (a lead's read "$6.58M ARR" of euros
    // and dollars without a word).
    let (ok, _, err) = tend_on(&db, &["report", "one-on-one", "--csm", "Maya Patel"]);
    assert!(ok && err.contains("several currencies (1 in EUR, 1 in USD)"), "{err}");
}

/// An entry dated before the customer's start counts like any other, and is said to be so dated
/// (a probe's typo of a month went by without a word); today's and later ones say nothing of it.
#[test]
fn an_entry_dated_before_the_customers_start_is_said_so() {
    let (_dir, db) = imported_crm(10);
    // CRM-0000 became a customer three days ago.
    let said = ok(&db, &["log", "sentiment", "CRM-0000", "5", "--date", "-10d"]);
    let since = (today() - chrono::Duration::days(3)).format("%Y-%m-%d").to_string();
    assert!(said.contains(&format!("dated before it became a customer ({since}): counted all the same")), "{said}");
    let said = ok(&db, &["log", "sentiment", "CRM-0000", "6", "--date", "-1d"]);
    assert!(!said.contains("before it became a customer"), "{said}");
}

/// A CSM's sentiment at its worst on a scored account is a Triage reason of its own, whatever
/// the band: a probe's Green account went Yellow on its first sentiment, 3/10, with a goal off
/// track, and sat 44th under renewals nobody had data for.
#[test]
fn a_low_sentiment_logged_on_a_scored_account_puts_it_on_the_list() {
    let (dir, db) = imported_crm(40);
    let metrics = common::weekly_usage(&["CRM-0010"]);
    let file = dir.path().join("usage.csv");
    std::fs::write(&file, metrics).unwrap();
    ok(&db, &["import", "metrics", file.to_str().unwrap()]);
    ok(&db, &["log", "touch", "CRM-0010", "call"]);
    let reasons_of = |db: &Path| -> Option<String> {
        let json: serde_json::Value =
            serde_json::from_str(&ok(db, &["report", "triage", "--all", "--format", "json"])).unwrap();
        json["rows"].as_array().unwrap().iter().find(|r| r["account"] == "Company 10").map(|r| r["reasons"].to_string())
    };
    let before = reasons_of(&db);
    assert!(!before.as_deref().unwrap_or_default().contains("sentiment"), "{before:?}");
    let said = ok(&db, &["log", "sentiment", "CRM-0010", "3"]);
    assert!(said.contains("Company 10: "), "{said}");
    let after = reasons_of(&db).expect("on the list");
    assert!(after.contains("CSM sentiment 3/10"), "{after}");
    // Its renewal is no more likely than an Orange one's, and counted at risk, whatever its band.
    let renewals: serde_json::Value =
        serde_json::from_str(&ok(&db, &["report", "renewals", "--days", "180", "--format", "json"])).unwrap();
    let row = renewals["rows"].as_array().unwrap().iter().find(|r| r["account"] == "Company 10").unwrap().clone();
    assert_eq!(
        (row["band"].as_str(), row["likelihood"].as_f64()),
        (Some("yellow"), Some(50.0)),
        "Orange's, not 80%: {row}"
    );
    assert_eq!(row["csm_says_at_risk"], true, "said why: {row}");
    assert!(renewals.to_string().contains("at_risk"), "{renewals}");
    // On the Renewals screen the 50% is marked as the CSM's word, and said why: beside an
    // unscored renewal's 60% it read as if scoring it had made it less likely.
    let mut app = app_on(&db);
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('4'));
    // The window of 180 days, which its renewal is in.
    for _ in 0..4 {
        if common::text(&app, 120, 30).contains("next 180 days") {
            break;
        }
        common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('w'));
    }
    for width in [120, 80, 60] {
        let screen = common::text(&app, width, 30);
        let line = screen.lines().find(|l| l.contains("Company 10")).unwrap_or_else(|| panic!("{screen}"));
        assert!(line.contains("≤50%"), "{width}: {line}");
        let said = match width {
            60 => "≤50%: CSM says trouble, or no score and data at worst",
            _ => "≤50% where its CSM says it is in trouble",
        };
        assert!(screen.contains(said), "{width}:\n{screen}");
    }
    // A better word takes it off again.
    ok(&db, &["log", "sentiment", "CRM-0010", "8"]);
    assert!(!reasons_of(&db).unwrap_or_default().contains("CSM sentiment"));
    let likelihood = |db: &Path| -> (String, f64) {
        let renewals: serde_json::Value =
            serde_json::from_str(&ok(db, &["report", "renewals", "--days", "180", "--format", "json"])).unwrap();
        let row = renewals["rows"].as_array().unwrap().iter().find(|r| r["account"] == "Company 10").unwrap().clone();
        (row["band"].as_str().unwrap_or_default().to_string(), row["likelihood"].as_f64().unwrap())
    };
    let (band, before) = likelihood(&db);
    assert!(before > 50.0, "{band}: {before}");
    // A risk flag is the CSM's word too: the renewal is at Orange's likelihood, whatever the band.
    ok(&db, &["log", "risk", "CRM-0010", "Evaluating a competitor"]);
    assert_eq!(likelihood(&db), (band, 50.0));
}

/// The columns a CRM file brings beyond tend's own (here "Region") are on the account's screen,
/// not only in `tend export accounts`: a probe could not find the region it imported.
#[test]
fn the_account_view_shows_the_columns_the_file_brought() {
    let (_dir, db) = imported_crm(12);
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 5");
    for (width, height) in [(120, 40), (80, 24), (60, 24)] {
        let screen = common::text(&app, width, height);
        assert!(screen.lines().any(|l| l.trim() == "Region EMEA"), "{width}x{height}:\n{screen}");
    }
}

/// A book whose product data is imported (weekly usage, logins, active users, support tickets)
/// and nothing else scores those accounts, thin: a probe's 157 accounts with three months of
/// usage read "not enough data" under the default rules, 41% of the weight, because NPS, usage vs
/// expected and bugs, which many books never have, counted as evidence lacking. Optional evidence
/// counts only where it has a value.
#[test]
fn product_data_alone_scores_thin_and_optional_evidence_counts_where_given() {
    let (dir, db) = imported_crm(20);
    let mut usage = String::from("account,metric,date,value\n");
    for i in 3..10 {
        for week in 0..10 {
            let day = today() - Duration::days(7 * week);
            for (metric, value) in
                [("usage", 900 - week * 10), ("logins", 5), ("active_users", 12), ("support_tickets", 1)]
            {
                writeln!(usage, "CRM-{i:04},{metric},{day},{value}").unwrap();
            }
        }
    }
    let said = import_text(&db, &dir, "metrics", &usage);
    // Enough for a score: the import does not say it falls short.
    assert!(!said.contains("a score needs"), "{said}");
    let account =
        |id: &str| csv_rows(&ok(&db, &["export", "accounts"])).into_iter().find(|a| a["external_id"] == id).unwrap();
    for i in 3..10 {
        let a = account(&format!("CRM-{i:04}"));
        // 7 of the 11 weight that is not optional (usage growth 2, active users 2, logins 2,
        // tickets 1), and active users change, optional, where it has a value: 9 of 13.
        assert!(!a["score"].is_empty() && a["coverage"] == "69", "{a:?}");
        // The export's values are of the account's own score: a new customer's factor (days to
        // a first login, years after a start long ago) is none of a regular account's.
        assert_eq!((a["value_days_to_first_login"].as_str(), a["value_days_since_login"].as_str()), ("", "0"), "{a:?}");
    }
    // No data, no score, whatever is optional.
    assert_eq!(account("CRM-0013")["score"], "", "{:?}", account("CRM-0013"));
    // An NPS answer, where there is one, is evidence like any other: 11 of 15.
    ok(&db, &["log", "nps", "CRM-0003", "9"]);
    assert_eq!(account("CRM-0003")["coverage"], "73", "{:?}", account("CRM-0003"));
    // Thin, and said so where the score is shown.
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 4");
    let screen = common::text(&app, 80, 24);
    assert!(screen.contains("~"), "{screen}");
    let nps = screen.lines().find(|l| l.starts_with("NPS")).unwrap_or_default();
    assert!(nps.contains("optional, left out"), "{screen}");
    // At 60 columns, on one line.
    let screen = common::text(&app, 60, 24);
    let nps = screen.lines().find(|l| l.starts_with("NPS")).unwrap_or_default();
    assert!(nps.ends_with("(optional)"), "{screen}");
    assert!(!screen.lines().any(|l| l.starts_with("left out")), "{screen}");
}

/// A one-on-one names what Triage does and keeps up with what is logged from it. A probe's lead
/// found a sentiment fall from 9 to 2 this week (Triage's first item, "-30 in 7 days") missing
/// from the movers, whose 30-day change was -3 beside the first sentiment; accounts Red from
/// their first data nowhere; and a sentiment logged from the agenda left its line at "low data"
/// until the agenda was opened again, Ctrl-R or not.
#[test]
fn a_one_on_one_names_triages_falls_and_red_accounts_and_keeps_up_with_writes() {
    use ratatui::crossterm::event::KeyCode;
    let (dir, db) = imported_crm(20);
    let mut usage = String::from("account,metric,date,value\n");
    for week in 0..10 {
        let day = today() - Duration::days(7 * week);
        // CRM-0005 (Ben's): flat usage, one active user, no login in nine weeks, many tickets: Red
        // all along, never a fall.
        for (metric, value) in [("usage", 300), ("active_users", 1), ("support_tickets", 20)] {
            writeln!(usage, "CRM-0005,{metric},{day},{value}").unwrap();
        }
        // CRM-0009 (Ben's) and CRM-0013 (Ben's): healthy use.
        for id in ["CRM-0009", "CRM-0013"] {
            for (metric, value) in [("usage", 900), ("active_users", 12), ("logins", 5), ("support_tickets", 1)] {
                writeln!(usage, "{id},{metric},{day},{value}").unwrap();
            }
        }
    }
    writeln!(usage, "CRM-0005,logins,{},3", today() - Duration::days(70)).unwrap();
    import_text(&db, &dir, "metrics", &usage);
    // CRM-0009's CSM read it at 9 three weeks ago and at 2 two days ago: a fall of this week.
    ok(&db, &["log", "sentiment", "CRM-0009", "9", "--date", &(today() - Duration::days(20)).to_string()]);
    ok(&db, &["log", "sentiment", "CRM-0009", "2", "--date", &(today() - Duration::days(2)).to_string()]);
    let mut app = app_on(&db);
    open_one_on_one(&mut app, "Ben Okafor");
    let items = || app.team.as_ref().unwrap().agenda.clone().expect("the agenda is open").1;
    let line = |items: &[tend::book::team::AgendaItem], name: &str, section| {
        items.iter().find(|i| i.account == name && i.section == section).map(|i| i.what.clone())
    };
    use tend::book::team::AgendaSection::{Movers, Trouble};
    let now = items();
    let fall = line(&now, "Company 9", Movers).unwrap_or_else(|| panic!("{now:#?}"));
    assert!(fall.contains("in 7 days") && fall.contains("CSM sentiment 9/10 -> 2/10"), "{fall}");
    let red = line(&now, "Company 5", Trouble).unwrap_or_else(|| panic!("{now:#?}"));
    assert!(
        (red.starts_with("Red health") || red.starts_with("Orange health")) && red.contains("Active users"),
        "{red}"
    );
    // Healthy and steady: not on the agenda's first sections.
    assert!(line(&now, "Company 13", Movers).is_none() && line(&now, "Company 13", Trouble).is_none(), "{now:#?}");
    let screen = common::text(&app, 80, 24);
    assert!(screen.contains("Red and Orange, or no score and data at 1 point"), "{screen}");
    // A sentiment logged on the Red account from its agenda line shows there at once.
    let at = now.iter().position(|i| i.account == "Company 5").unwrap();
    for _ in 0..at {
        common::press(&mut app, KeyCode::Down);
    }
    let before = app.team.as_ref().unwrap().selected_agenda_item().map(|i| (i.account.clone(), i.score));
    assert_eq!(before.as_ref().map(|b| b.0.as_str()), Some("Company 5"));
    common::press(&mut app, KeyCode::Char('s'));
    common::typ(&mut app, "10");
    common::press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().and_then(|f| f.form.error.clone()));
    let after = app.team.as_ref().unwrap().selected_agenda_item().map(|i| (i.account.clone(), i.score));
    assert_eq!(after.as_ref().map(|a| a.0.as_str()), Some("Company 5"), "the same line stays selected");
    let row = app.portfolio.rows().iter().find(|r| r.name == "Company 5").unwrap().score;
    let (after, before) = (after.unwrap().1, before.unwrap().1);
    assert_ne!(after, before, "the agenda's score moved with the sentiment");
    assert_eq!(after, row, "as the Portfolio has it");
}

/// Writing a goal or a milestone down is bookkeeping, not news of health: a probe's Orange
/// account rose 39 -> 49 for a goal just set ("Goals on track 100%, first data") and 33 -> 38
/// for a milestone due that day ("Overdue milestones 0"). A goal counts once reviewed (or a
/// month on track), a milestone once its day has passed or it is done.
#[test]
fn a_goal_or_milestone_written_down_does_not_lift_health() {
    let (dir, db) = imported_crm(10);
    let usage = common::weekly_usage(&["CRM-0004"]);
    import_text(&db, &dir, "metrics", &usage);
    ok(&db, &["log", "sentiment", "CRM-0004", "5"]);
    let score = |db: &Path| {
        csv_rows(&ok(db, &["export", "accounts"])).into_iter().find(|a| a["external_id"] == "CRM-0004").unwrap()
            ["score"]
            .clone()
    };
    let before = score(&db);
    assert!(!before.is_empty());
    let said = ok(&db, &["goal", "add", "CRM-0004", "Roll out to the EU team", "--target", "+60d"]);
    assert!(!said.contains("Goals on track 100%"), "{said}");
    let said = ok(&db, &["milestone", "add", "CRM-0004", "onboarding", "Kickoff call", "--due", "today"]);
    assert!(!said.contains("Overdue milestones 0"), "{said}");
    assert_eq!(score(&db), before, "nothing but bookkeeping was written");
    // The next day the milestone not done is late, and counts.
    let (ok_next, next, err) = common::tend_on_day(
        &db,
        &(today() + Duration::days(1)).to_string(),
        &["export", "accounts", "--format", "json"],
    );
    assert!(ok_next, "{err}");
    let accounts: Vec<serde_json::Value> = serde_json::from_str(&next).unwrap();
    let a = accounts.iter().find(|a| a["external_id"] == "CRM-0004").unwrap();
    assert_eq!(a["value_overdue_milestones"], 1, "{a}");
    // A goal reviewed is news: off track, it counts at once.
    let goals = ok(&db, &["goal", "list", "CRM-0004"]);
    let id = goals.lines().nth(1).unwrap().split_whitespace().next().unwrap().to_string();
    let said = ok(&db, &["goal", "status", &id, "off-track"]);
    assert!(said.contains("Goals on track 0% (first data)"), "{said}");
}

/// An accounts file into a book that holds other accounts says so: a probe's first import went
/// into a book of 200 accounts from an earlier try, and read as if the book were the file.
#[test]
fn an_import_says_the_accounts_the_book_holds_beyond_the_file() {
    let (dir, db) = imported_crm(20);
    let said = import_text(
        &db,
        &dir,
        "accounts",
        "External ID,Account,CSM\nNEW-1,Fresh Co,Maya Patel\nCRM-0001,Company 1,Ben Okafor\n",
    );
    assert!(
        said.contains(
            "the book also holds 19 accounts no row of this file matched, the first: Acme 0, Inc., Company 2, Company 3 ("
        ),
        "{said}"
    );
    // The first file again: the one account it does not name is the one just added.
    let crm = std::fs::read_to_string(common::crm_file(dir.path(), 20)).unwrap();
    let said = import_text(&db, &dir, "accounts", &crm);
    assert!(said.contains("the book also holds 1 account no row of this file matched: Fresh Co ("), "{said}");
    // A file naming every account has nothing to say of it.
    let said = import_text(&db, &dir, "accounts", &format!("{crm}NEW-1,Fresh Co,Maya Patel,,,,,,,EMEA\n"));
    assert!(!said.contains("the book also holds"), "{said}");
}

/// On everyone's list (no `me`, several CSMs) the line under Triage says whose each account is,
/// and that an account has no CSM: an unassigned one read like anyone's.
#[test]
fn everyones_triage_says_whose_each_account_is() {
    use ratatui::crossterm::event::KeyCode;
    let (_dir, db) = imported_crm(40);
    let mut app = app_on(&db);
    let screen = common::text(&app, 80, 24);
    assert!(screen.contains("need attention today"), "{screen}");
    let (mut named, mut unassigned) = (0, 0);
    for _ in 0..20 {
        let Some(item) = app.triage.selected_item().cloned() else { break };
        let row = app.portfolio.rows().iter().find(|r| r.id == item.id).unwrap().clone();
        let screen = common::text(&app, 80, 24);
        // An account nobody owns says so among its reasons ("no CSM"), not twice.
        let said = match row.csm.is_empty() {
            true => format!("{}: ", row.name),
            false => format!("{}'s {}", row.csm, row.name),
        };
        assert!(screen.contains(&said), "{said}\n{screen}");
        if row.csm.is_empty() {
            let under = screen.split(&said).nth(1).unwrap_or_default().replace('\n', " ");
            assert!(under.contains("no CSM") && !screen.contains("(no CSM)"), "{screen}");
        }
        if row.csm.is_empty() {
            unassigned += 1;
        } else {
            named += 1;
        }
        common::press(&mut app, KeyCode::Down);
    }
    assert!(named > 0 && unassigned > 0, "{named} {unassigned}");
}

/// A file without expected usage says so, and, usage vs expected being optional evidence, that
/// it is left out until a file gives it: "give it weight 0" asked for a change nothing needed.
#[test]
fn an_accounts_file_without_expected_usage_asks_for_no_config_change() {
    let (_dir, _db, said) = import_into_new_book("External ID,Name,CSM,ARR\nX1,Acme,Maya Patel,5000\n");
    assert!(said.contains("Usage vs expected (weight 3 of 22) has no value for them: optional evidence"), "{said}");
    assert!(!said.contains("weight 0 in the config"), "{said}");
}

/// Usage data that began seven weeks ago: a change over 30 and 7 days, and over 90 from each
/// account's first score (90 days back none had one). Cycling `w` through Δ90d to Δ7d shows the
/// column at 80 columns and says nothing of a wider terminal (it had judged by the last frame,
/// drawn while the column stood hidden for want of a change).
#[test]
fn the_change_window_with_changes_shows_its_column_without_a_wrong_message() {
    use ratatui::crossterm::event::KeyCode;
    let (dir, db) = common::imported_crm(40);
    let weeks = |i: usize| if i.is_multiple_of(2) { 7 } else { 0 };
    let usage = weekly_usage("Account ID,Week Starting,Logins,Active Users", 1..=20, weeks, |i, day| {
        let day = day + Duration::weeks(9);
        format!("CRM-{i:04},{day},{},9\n", 40 - i)
    });
    import_text(&db, &dir, "metrics", &usage);
    let mut app = app_on(&db);
    common::press(&mut app, KeyCode::Char('2'));
    let first = common::text(&app, 80, 24);
    assert!(first.contains("Δ30d"), "a change over 30 days: {first}");
    common::press(&mut app, KeyCode::Char('w'));
    let said = app.message.take().unwrap_or_default();
    assert!(!said.contains("no account has a score from 90 days back"), "{said}");
    let ninety = common::text(&app, 80, 24);
    assert!(ninety.contains("Δ90d"), "a change from each first score: {ninety}");
    common::press(&mut app, KeyCode::Char('w'));
    let screen = common::text(&app, 80, 24);
    assert!(screen.contains("Δ7d"), "{screen}");
    assert!(app.message.as_deref().is_none_or(|m| !m.contains("wider terminal")), "{:?}", app.message);
}

/// A factor without a value says why in one wording, by what would bring it: an old customer
/// with no journey planned reads "no milestones: left out", never "missing: no data, left out
/// of the blend" beside its neighbours' "none logged yet: left out".
#[test]
fn a_factor_without_a_value_says_why_in_one_wording() {
    let (_dir, db) = crm_with_steady_usage(3..=5, |_| 16);
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 4");
    for width in [100, 80, 60] {
        let screen = common::text(&app, width, 40);
        assert!(!screen.contains("left out of the blend"), "{width}: {screen}");
        let line = screen.lines().find(|l| l.starts_with("Overdue milestones")).unwrap_or_default();
        assert!(line.contains("no milestones: left out"), "{width}: {screen}");
    }
}

/// A day asked for (`--as-of`) keeps the data's age beside it where the line has room: weekly
/// data two weeks old stays said at 80 columns (it gave way to the day alone below 130) and, in
/// fewer words, at 60.
#[test]
fn a_day_asked_for_keeps_the_datas_age_at_80_columns() {
    let (_dir, db) = crm_with_steady_usage(1..=9, |_| 15);
    let mut app = app_on(&db);
    app.as_of_asked = true;
    let last =
        |app: &tend::tui::App, width| common::text(app, width, 24).lines().last().unwrap_or_default().to_string();
    let line = last(&app, 80);
    assert!(line.contains("as of 2026-11-23, weekly data 14d old"), "{line}");
    // At 60 in fewer words, and the day alone where even they do not fit.
    let line = last(&app, 60);
    assert!(line.contains(" 2026-11-23, data 14d old"), "{line}");
    let line = last(&app, 44);
    assert!(line.contains("as of 2026-11-23"), "{line}");
    // One CSM's Portfolio at 60: the sort gives way before the data's age does (a probe read
    // "as of 2026-12-18 · Maya Patel's book · 20/120 shown").
    let config = tend::config::Config { me: "Maya Patel".into(), ..Default::default() };
    let mut app =
        tend::tui::App::new(Store::open(&db).unwrap(), config, today(), tend::tui::theme::Theme::plain()).unwrap();
    app.as_of_asked = true;
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('2'));
    let line = last(&app, 60);
    assert!(line.contains(" 2026-11-23, data 14d old · Maya Patel's book · "), "{line}");
    assert!(line.contains(" shown"), "{line}");
    // An account open: the count of accounts gives way before the data's age does (at 56
    // columns here; a probe's longer name read the day alone at 60).
    open_by_name(&mut app, "Company 4");
    let line = last(&app, 56);
    assert!(line.contains(" 2026-11-23, data 14d old · Maya Patel's book"), "{line}");
}

/// A cliff in active users (15 to 3 in the last week: the two weeks' average down 40% on a month
/// before) is a fall Triage names: "Active users" alone read it as one point lost (3 users still
/// earn 3), "-8" and no reason, on a probe's $213k account; a steady account is not listed for
/// it.
#[test]
fn a_cliff_in_active_users_is_a_triage_fall() {
    let (dir, db) = imported_crm(20);
    let usage = weekly_usage(
        "Account ID,Week Starting,Logins,Active Users",
        3..=5,
        |_| 16,
        |i, day| {
            let last = day == chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
            let users = if i == 4 && last { 3 } else { 15 };
            format!("CRM-{i:04},{day},40,{users}\n")
        },
    );
    import_text(&db, &dir, "metrics", &usage);
    // Scored a month back too (a sentiment and touches logged since September), so that the
    // change is a fall, not first data.
    for id in ["CRM-0003", "CRM-0004", "CRM-0005"] {
        for back in [60, 30, 3] {
            let day = (today() - Duration::days(back)).to_string();
            ok(&db, &["log", "sentiment", id, "8", "--date", &day]);
            ok(&db, &["log", "touch", id, "call", "--date", &day]);
        }
    }
    let (triage, reasons) = triage_reasons(&db);
    let fell = reasons("Company 4");
    assert!(fell.contains("in 30 days: Active users change -40%"), "{triage}");
    assert!(!reasons("Company 3").contains("Active users change"), "{triage}");
    assert!(!reasons("Company 5").contains("Active users change"), "{triage}");
}

/// A one-on-one says what Triage says a lead asks about: a touch past the segment's cadence and
/// usage data that stopped coming, each on the account's line (a probe's $215k Elephant untouched
/// for 22 days, cadence 14, and an account whose feed stopped seven weeks before, were on none).
#[test]
fn a_one_on_one_names_a_missed_touch_and_data_gone_quiet() {
    let weeks = |i| if i == 5 { 10 } else { 16 };
    let (_dir, db) = crm_with_steady_usage(1..=9, weeks);
    ok(&db, &["log", "touch", "CRM-0001", "call", "--date", &(today() - Duration::days(60)).to_string()]);
    let mut app = app_on(&db);
    open_one_on_one(&mut app, "Ben Okafor");
    let items = app.team.as_ref().unwrap().agenda.clone().expect("the agenda is open").1;
    let line = |name: &str| {
        items
            .iter()
            .find(|i| i.account == name && i.section == tend::book::team::AgendaSection::Overdue)
            .map(|i| i.what.clone())
            .unwrap_or_else(|| panic!("{name}: {items:#?}"))
    };
    assert!(line("Company 1").contains("no touch in 60 days (cadence 30)"), "{items:#?}");
    assert!(
        line("Company 5").contains("stale: Active users, Active users change — 42 days behind the rest"),
        "{items:#?}"
    );
}

/// A feed that stopped makes its factors stale, but not one that has no value for want of what
/// it compares with: Triage said "stale: Usage vs expected" where the Account view said "no
/// expected usage: optional, left out".
#[test]
fn a_factor_without_expected_usage_is_not_called_stale() {
    let (dir, db) = imported_crm(20);
    let weeks = |i| if i == 3 { 10 } else { 16 };
    let usage = weekly_usage("Account ID,Week Starting,Logins,Active Users,Usage", 1..=9, weeks, |i, day| {
        format!("CRM-{i:04},{day},40,9,500\n")
    });
    import_text(&db, &dir, "metrics", &usage);
    let (triage, reasons) = triage_reasons(&db);
    let stale = reasons("Company 3");
    assert!(
        stale.contains("stale: Usage growth (MoM), Active users, Active users change — 42 days behind"),
        "{triage}"
    );
    assert!(!stale.contains("Usage vs expected"), "{triage}");
}

/// The Team view's line of accounts without a CSM is "unassigned": `--csm unassigned` names them
/// in the reports (it was "no CSM is called unassigned").
#[test]
fn the_unassigned_accounts_are_named_by_the_team_views_word() {
    let (_dir, db) = imported_crm(20);
    let triage: serde_json::Value =
        serde_json::from_str(&ok(&db, &["report", "triage", "--all", "--csm", "unassigned", "--format", "json"]))
            .unwrap();
    assert_eq!(triage["title"], "Triage as of 2026-11-23 · the unassigned accounts", "{triage}");
    let rows = triage["rows"].as_array().unwrap();
    // Nobody's: null, as every missing value is in JSON (it was "").
    assert!(!rows.is_empty() && rows.iter().all(|r| r["csm"].is_null()), "{triage}");
    let agenda = ok(&db, &["report", "one-on-one", "--csm", "Unassigned"]);
    assert!(agenda.starts_with("The accounts without a CSM, 2026-11-23"), "{agenda}");
}

/// At 60 columns the Timeline signs each line by initials, leaving its text room to say
/// something: a probe read notes cut to twenty characters beside "(Maya Patel)" on every line.
#[test]
fn the_timeline_at_60_columns_signs_by_initials() {
    let (_dir, db) = imported_crm(12);
    ok(
        &db,
        &[
            "log",
            "sentiment",
            "CRM-0001",
            "3",
            "--note",
            "Champion went quiet after the pricing call",
            "--by",
            "Maya Patel",
        ],
    );
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 1");
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Tab);
    let line = |width| {
        common::text(&app, width, 30).lines().find(|l| l.contains("sentiment ")).unwrap_or_default().to_string()
    };
    let narrow = line(60);
    assert!(narrow.contains("3/10 · Champion went quiet") && narrow.trim_end().ends_with("(MP)"), "{narrow}");
    assert!(line(100).trim_end().ends_with("(Maya Patel)"), "{}", line(100));
}

/// A tend with other health rules (another config, or a nightly `tend snapshot` run by cron
/// without the user's) that scores the book while a window is open: the window scores it by its
/// own config again, and says so, rather than showing the other rules' scores where it reads them
/// (a probe's Scoring view read another config's bands).
#[test]
fn a_window_open_scores_the_book_by_its_own_config_after_another_tend_with_other_rules() {
    let (dir, db) = crm_with_steady_usage(1..=12, |_| 12);
    let mine = tend::config::Config::from_toml(
        "[health.factors.usage_growth]\nsource = \"metric:logins\"\n",
        Path::new("mine.toml"),
    )
    .unwrap();
    let mut app =
        tend::tui::App::new(Store::open(&db).unwrap(), mine.clone(), today(), tend::tui::theme::Theme::plain())
            .unwrap();
    let foreign = || tend::book::history::caches_foreign(&Store::open(&db).unwrap(), &mine).unwrap();
    assert!(!foreign(), "the window's own rules are the caches'");
    // The other tend: the default config, as cron runs it.
    let (ok, _, err) = common::tend_in(dir.path(), &["--db", db.to_str().unwrap(), "snapshot"]);
    assert!(ok, "{err}");
    assert!(foreign(), "the snapshot scored the book by the default rules");
    app.on_idle().unwrap();
    assert!(!foreign(), "scored again by the window's rules");
    let said = app.message.clone().unwrap_or_default();
    assert!(said.contains("scored again by your config"), "{said}");
    // Two tends taking turns: the second time within a minute is said, not done.
    let (ok, _, err) = common::tend_in(dir.path(), &["--db", db.to_str().unwrap(), "snapshot"]);
    assert!(ok, "{err}");
    app.on_idle().unwrap();
    let said = app.message.clone().unwrap_or_default();
    assert!(said.contains("Another tend with other health rules is scoring this book too"), "{said}");
}

/// An account whose usage feed stopped while the book's went on weighs as Orange-grade in
/// Triage's ranking (its usage is not known; its score may read Green from before), where stale
/// data weighed 1: two probes found $250k and $1.2M accounts ranked 54th of 70.
#[test]
fn a_stopped_feed_weighs_as_much_as_orange_health_in_the_ranking() {
    let (dir, db) = crm_with_steady_usage(1..=12, |i| if i == 6 { 12 } else { 16 });
    let (triage, reasons) = triage_reasons(&db);
    assert!(reasons("Company 6").contains("stale: Active users"), "{}", reasons("Company 6"));
    let need_of = |triage: &serde_json::Value| {
        let row = triage["rows"].as_array().unwrap().iter().find(|r| r["account"] == "Company 6").unwrap().clone();
        (row["need"].as_f64().unwrap(), row["arr"].as_f64().unwrap())
    };
    let (need, arr) = need_of(&triage);
    // The same book ranked with stale usage weighing as any stale data (1): 2 less per ARR weight.
    let flat = dir.path().join("flat.toml");
    std::fs::write(&flat, "[triage.weights]\nstale_usage = 0\n").unwrap();
    let out = ok(&db, &["--config", flat.to_str().unwrap(), "report", "triage", "--all", "--format", "json"]);
    let (flat_need, _) = need_of(&serde_json::from_str(&out).unwrap());
    let arr_weight = 1.0 + (1.0 + arr / 1000.0).log10();
    assert!((need - flat_need - 2.0 * arr_weight).abs() < 0.1, "{need} against {flat_need} at ARR {arr}");
}

/// An account with no score yet whose data is at its worst (no one active, no login) is ranked
/// as Orange in Triage, and the renewals forecast reads it the same: at Orange's likelihood at
/// most and in the ARR at risk, where it read "low data 60%" and was left out of "at risk".
#[test]
fn renewals_read_an_unscored_account_at_its_worst_as_triage_does() {
    let (dir, db) = imported_crm(20);
    let usage = weekly_usage(
        "Account ID,Week Starting,Logins,Active Users",
        1..=12,
        |_| 16,
        |i, day| {
            let (logins, users) = if i == 3 { (0, 0) } else { (40, 9) };
            format!("CRM-{i:04},{day},{logins},{users}\n")
        },
    );
    import_text(&db, &dir, "metrics", &usage);
    let (_, reasons) = triage_reasons(&db);
    assert!(reasons("Company 3").contains("at 1 point of 4"), "{}", reasons("Company 3"));
    let renewals: serde_json::Value =
        serde_json::from_str(&ok(&db, &["report", "renewals", "--days", "3650", "--format", "json"])).unwrap();
    let rows = renewals["rows"].as_array().unwrap();
    let row = rows.iter().find(|r| r["account"] == "Company 3").expect("Company 3 renews").clone();
    let orange = tend::config::Config::default().renewals.likelihood.orange;
    assert_eq!(row["score"], serde_json::Value::Null, "{row}");
    assert!(row["likelihood"].as_f64().unwrap() <= orange * 100.0 + 1e-9, "{row}");
    assert_eq!(row["at_worst_unscored"], true, "{row}");
    // A steady account with no score yet is at the no-score prior, not lowered.
    let steady = rows.iter().find(|r| r["account"] == "Company 2" || r["account"] == "Company 5").unwrap();
    assert_eq!(steady["at_worst_unscored"], false, "{steady}");
}

/// A one-on-one walks through the first few items of each section (each is in order of need) and
/// counts the rest, on the screen and in the report; `A` and `--all` list every item. A probe's
/// lead had an agenda of 75 items, two screens of them overdue.
#[test]
fn the_one_on_one_lists_the_first_of_each_section_and_counts_the_rest() {
    use ratatui::crossterm::event::KeyCode;
    use tend::book::team::{AGENDA_PER_SECTION, AgendaSection};
    // Liam's accounts (every fourth from CRM-0002) all renew ahead, a fifth of them within 90 days.
    let (_dir, db) = imported_crm(400);
    let mut app = app_on(&db);
    let store = tend::store::Store::open(&db).unwrap();
    let config = tend::config::Config::default();
    let agenda =
        tend::book::team::one_on_one(&store, &config, app.portfolio.rows(), &app.triage_book, "Liam Chen", today())
            .unwrap();
    let renewals: Vec<&str> =
        agenda.iter().filter(|a| a.section == AgendaSection::Renewals).map(|a| a.account.as_str()).collect();
    assert!(renewals.len() > AGENDA_PER_SECTION + 2, "{renewals:?}");
    let more = renewals.len() - AGENDA_PER_SECTION;
    // The renewals listed: those putting the most ARR at stake soonest, in the order of their days.
    let (walked, _) = tend::book::team::agenda_walked(&agenda, false);
    let listed: Vec<&str> =
        walked.iter().filter(|a| a.section == AgendaSection::Renewals).map(|a| a.account.as_str()).collect();
    assert_eq!(listed.len(), AGENDA_PER_SECTION);
    let at: Vec<usize> = listed.iter().map(|n| renewals.iter().position(|r| r == n).unwrap()).collect();
    assert!(at.is_sorted(), "by day: {listed:?}");
    let biggest_soon = agenda
        .iter()
        .filter(|a| a.section == AgendaSection::Renewals && a.what.contains("renews in") && !a.what.contains("in 3"))
        .max_by_key(|a| a.arr)
        .unwrap();
    assert!(listed.contains(&biggest_soon.account.as_str()), "{biggest_soon:?} not in {listed:?}");
    assert!(at.iter().any(|&i| i >= AGENDA_PER_SECTION), "not merely the first by day: {listed:?}");
    let left_out: Vec<&&str> = renewals.iter().filter(|r| !listed.contains(r)).collect();

    // The report lists them and says how many it leaves out.
    let report = ok(&db, &["report", "one-on-one", "--csm", "Liam"]);
    assert!(listed.iter().all(|name| report.contains(&format!("\n{name} "))), "{report}");
    assert!(left_out.iter().all(|name| !report.contains(&format!("\n{name} "))), "{report}");
    assert!(report.contains(&format!("{more} more renewals: --all lists them")), "{report}");
    let doc: serde_json::Value =
        serde_json::from_str(&ok(&db, &["report", "one-on-one", "--csm", "Liam", "--format", "json"])).unwrap();
    let rows = doc["rows"].as_array().unwrap().len();
    assert_eq!(doc["summary"]["items"], agenda.len());
    assert_eq!(doc["summary"]["listed"], rows);
    assert!(rows < agenda.len(), "{doc}");
    let every: serde_json::Value =
        serde_json::from_str(&ok(&db, &["report", "one-on-one", "--csm", "Liam", "--all", "--format", "json"]))
            .unwrap();
    assert_eq!(every["rows"].as_array().unwrap().len(), agenda.len());
    let all = ok(&db, &["report", "one-on-one", "--csm", "Liam", "--all"]);
    assert!(renewals.iter().all(|name| all.contains(name)) && !all.contains("more renewals"), "{all}");
    // --all is still refused where it means nothing.
    let (refused, _, err) = tend_on(&db, &["report", "renewals", "--all"]);
    assert!(!refused && err.contains("--all is for report triage or one-on-one, not renewals"), "{err}");

    // The screen: the first of the section, a line counting the rest; `A` lists them, and again
    // cuts the agenda, the line selected kept.
    open_one_on_one(&mut app, "Liam Chen");
    common::press(&mut app, KeyCode::End);
    let screen = common::text(&app, 80, 24);
    assert!(screen.contains(&format!("… {more} more renewals · A lists every item")), "{screen}");
    // At 40 columns, whole: what the section is gives way (its heading is above).
    let narrow = common::text(&app, 40, 24);
    assert!(narrow.contains(&format!("… {more} more · A lists every item")), "{narrow}");
    let last = app.team.as_ref().unwrap().selected_agenda_item().unwrap().account.clone();
    assert_eq!(last, *listed.last().unwrap());
    common::press(&mut app, KeyCode::Char('A'));
    assert_eq!(app.team.as_ref().unwrap().selected_agenda_item().unwrap().account, last, "kept");
    common::press(&mut app, KeyCode::End);
    assert_eq!(app.team.as_ref().unwrap().selected_agenda_item().unwrap().account, *renewals.last().unwrap());
    let screen = common::text(&app, 80, 24);
    assert!(
        screen.contains(&format!("A lists only the {AGENDA_PER_SECTION} under each heading that need a lead most")),
        "{screen}"
    );
    common::press(&mut app, KeyCode::Char('A'));
    assert_eq!(app.team.as_ref().unwrap().selected_agenda_item().unwrap().account, last, "the last listed");
}

/// Retention over a book's first few days of records says how few they are: a probe's Team view
/// read "NRR 100.1%" over two days as a figure like any other.
#[test]
fn retention_over_a_few_days_of_records_says_how_few() {
    use ratatui::crossterm::event::KeyCode;
    let (_dir, db) = imported_crm(20);
    let day = (today() - Duration::days(5)).to_string();
    ok(&db, &["churn", "CRM-0005", "--reason", "budget", "--date", &day]);
    let mut app = app_on(&db);
    common::press(&mut app, KeyCode::Char('5'));
    let screen = common::text(&app, 100, 24);
    let words = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains(&format!("Since {day}, where the book's records begin, only 6 days: NRR")), "{screen}");
    // The command line says it too (it read "NRR 100.0%" over three days without a word).
    let report = ok(&db, &["report", "metrics"]);
    assert!(report.contains("(where the book's records begin, only 6 days)"), "{report}");
}

/// Triage filtered to more matches than fit says how many are in view, rather than running the
/// list into the reasons under it.
#[test]
fn a_filtered_triage_says_how_many_matches_are_in_view() {
    use ratatui::crossterm::event::KeyCode;
    let (_dir, db) = imported_crm(200);
    let mut app = app_on(&db);
    common::press(&mut app, KeyCode::Char('/'));
    common::typ(&mut app, "company");
    let matching = app.triage.len();
    assert!(matching > 20, "{matching}");
    let screen = common::text(&app, 80, 24);
    let line = screen.lines().find(|l| l.contains("matching in view")).unwrap_or_default();
    assert!(line.trim().starts_with(&format!("16 of the {matching} matching in view (↓)")), "{screen}");
}

/// An import plans only journey steps still ahead, and says which steps of journeys still under
/// way it left out (a renewal call due before the import for a renewal still to come), with the
/// command that plans them. A probe's account renewing in 69 days had no renewal call, without
/// a word.
#[test]
fn an_import_says_the_steps_of_journeys_under_way_it_left_out() {
    let (dir, db) = temp_db();
    let file = dir.path().join("crm.csv");
    let renews = |days: i64| (today() + Duration::days(days)).to_string();
    std::fs::write(
        &file,
        format!(
            "External ID,Account,CSM,ARR,Customer since,Renewal date\n\
             A-1,Möller KG,Lena Vogel,1000,2020-01-01,{}\nA-2,Fuchs KG,Lena Vogel,1000,2020-01-01,{}\n\
             A-3,Wolf KG,Lena Vogel,1000,2020-01-01,{}\nA-4,Berg KG,Lena Vogel,1000,2020-01-01,{}\n\
             A-5,Neu GmbH,Lena Vogel,1000,{},\n",
            renews(69),
            renews(20),
            renews(120),
            renews(-10),
            renews(-35)
        ),
    )
    .unwrap();
    // With --include-past, a dry run plans them, overdue, and says how many.
    let dry = ok(&db, &["import", "accounts", file.to_str().unwrap(), "--dry-run", "--include-past"]);
    assert!(
        dry.contains("of them steps of journeys under way already past their day (--include-past): overdue"),
        "{dry}"
    );
    assert!(!dry.contains("not planned"), "{dry}");
    let out = ok(&db, &["import", "accounts", file.to_str().unwrap()]);
    // Möller: the call (-90) passed; Fuchs: the call and the decision (-30); Wolf: nothing
    // passed; Berg: renewal gone, its journey is not under way; Neu, a customer of five weeks:
    // its kickoff, admin training and 30-day review passed, its 90-day review ahead (a probe's
    // import of recent customers said 1 step left out of 72).
    assert!(
        out.contains(&format!(
            "6 steps of journeys still under way (renewal 3, onboarding 3) were already past their day and not \
             planned, on 3 accounts (the first: Möller KG's renewal \"Renewal call\", due {})",
            today() + Duration::days(69 - 90)
        )),
        "{out}"
    );
    assert!(
        out.contains(
            "`tend undo --import`, then this import with --include-past, plans them, overdue (one account: \
             `tend journey apply ACCOUNT JOURNEY --include-past`)"
        ),
        "{out}"
    );
    // Taken back and imported again with it, the five weeks' steps are planned, overdue.
    ok(&db, &["undo", "--import"]);
    let out = ok(&db, &["import", "accounts", file.to_str().unwrap(), "--include-past"]);
    assert!(out.contains("6 of them steps of journeys under way already past their day"), "{out}");
    let neu = ok(&db, &["milestone", "list", "A-5"]);
    assert!(neu.contains("Kickoff call") && neu.contains("overdue") && neu.contains("90-day review"), "{neu}");
    ok(&db, &["undo", "--import"]);
    ok(&db, &["import", "accounts", file.to_str().unwrap()]);
    // The command it names plans them.
    ok(&db, &["journey", "apply", "A-1", "renewal", "--include-past"]);
    let milestones = ok(&db, &["milestone", "list", "A-1"]);
    assert!(milestones.contains("Renewal call") && milestones.contains("Renewal decision"), "{milestones}");
    // A file of accounts whose journeys have nothing passed says nothing of it.
    let later = dir.path().join("later.csv");
    std::fs::write(&later, format!("External ID,Account,CSM,Renewal date\nA-9,Neu AG,Lena Vogel,{}\n", renews(200)))
        .unwrap();
    let out = ok(&db, &["import", "accounts", later.to_str().unwrap()]);
    assert!(!out.contains("under way"), "{out}");
}

/// `report team`'s average score of fewer than half a CSM's accounts says of how many, as the
/// Team view marks it; a blank ARR's default currency is no second currency. A probe read 94.5
/// over 2 of 74 accounts as a healthy book, and "ARR in 2 currencies" in a book all in euros.
#[test]
fn report_team_says_an_average_of_few_and_counts_no_currency_without_arr() {
    let (dir, db) = temp_db();
    let file = dir.path().join("crm.csv");
    std::fs::write(
        &file,
        "External ID,Account,CSM,ARR (EUR),Customer since\nA-1,Müller GmbH,Lena Vogel,12000,2020-01-01\n\
         A-2,Weiß SE,Lena Vogel,,2020-01-01\nA-3,Groß KG,Lena Vogel,5000,2020-01-01\n",
    )
    .unwrap();
    let out = ok(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(!out.contains("currencies"), "{out}");
    let mut usage = String::from("Account,Date,Active Users,Logins,Support Tickets\n");
    for back in 0..70 {
        writeln!(usage, "A-1,{},12,40,0", today() - Duration::days(back)).unwrap();
    }
    let usage_file = dir.path().join("usage.csv");
    std::fs::write(&usage_file, usage).unwrap();
    ok(&db, &["import", "metrics", usage_file.to_str().unwrap()]);
    ok(&db, &["log", "sentiment", "A-1", "9"]);
    ok(&db, &["log", "touch", "A-1", "call"]);
    let (ok_, team, err) = tend_on(&db, &["report", "team"]);
    assert!(ok_ && !err.contains("currencies"), "{err}");
    let line = team.lines().find(|l| l.starts_with("Lena Vogel")).unwrap_or_default();
    assert!(line.contains(" (of 1)"), "{team}");
    let doc: serde_json::Value = serde_json::from_str(&ok(&db, &["report", "team", "--format", "json"])).unwrap();
    assert!(doc["rows"][0]["average_score"].is_number(), "{doc}");
}

/// A report's row without a score says "low data" once, in its band, the score "-".
#[test]
fn a_report_row_without_a_score_says_low_data_once() {
    let (_dir, db) = imported_crm(40);
    ok(&db, &["log", "sentiment", "CRM-0001", "7"]);
    let triage = ok(&db, &["report", "triage", "--all"]);
    let line = triage.lines().find(|l| l.contains("Company 1 ")).unwrap_or_default();
    assert_eq!(line.matches("low data").count(), 1, "{triage}");
    // The computed band is the band's, said so, not "-" (read as no band computed).
    assert!(line.contains(" low data  same "), "{line}");
    let doc: serde_json::Value =
        serde_json::from_str(&ok(&db, &["report", "triage", "--all", "--format", "json"])).unwrap();
    let row = doc["rows"].as_array().unwrap().iter().find(|r| r["account"] == "Company 1").unwrap().clone();
    assert!(row["score"].is_null() && row["band"].is_null(), "{row}");
}

/// A lead who owns no account and is no CSM of the book yet is told how to be added once; after
/// that `me` signs as them. A probe's head of CS had every log refused, with no way out named.
#[test]
fn a_lead_new_to_the_book_is_told_how_to_sign_as_themselves() {
    let (dir, db) = imported_crm(20);
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "me = \"Dana Whitfield\"\n").unwrap();
    let with_config = |args: &[&str]| {
        let mut all = vec!["--config", config.to_str().unwrap()];
        all.extend_from_slice(args);
        tend_on(&db, &all)
    };
    let (done, _, err) = with_config(&["log", "touch", "CRM-0001", "call"]);
    assert!(!done && err.contains("--by \"Dana Whitfield\" --new-csm"), "{err}");
    let (done, _, err) = with_config(&["log", "touch", "CRM-0001", "call", "--by", "Dana Whitfield", "--new-csm"]);
    assert!(done, "{err}");
    let (done, out, err) = with_config(&["log", "sentiment", "CRM-0001", "6"]);
    assert!(done, "{err}");
    assert!(out.contains("sentiment 6/10 logged"), "{out}");
    let listed: serde_json::Value =
        serde_json::from_str(&ok(&db, &["log", "list", "CRM-0001", "--format", "json"])).unwrap();
    assert_eq!(listed[0]["by"], "Dana Whitfield", "{listed}");
}

/// Former customers a CRM gives no churn day are in no retention figure: the Team view says so
/// beside "logos kept 100%". A probe's 24 former customers were left unexplained there.
#[test]
fn the_team_view_says_churned_accounts_without_a_day_are_in_no_figure() {
    use ratatui::crossterm::event::KeyCode;
    let (dir, db) = temp_db();
    let file = dir.path().join("sf.csv");
    std::fs::write(
        &file,
        "Account ID,Account Name,Account Owner,ARR,Customer Since,Type\n\
         A-1,Acme,Jordan Lee,1000,2020-01-01,Customer - Direct\nA-2,Beta,Jordan Lee,2000,2020-01-01,Former Customer\n\
         A-3,Gamma,Jordan Lee,3000,2020-01-01,Former Customer\nA-4,Delta,Jordan Lee,4000,2020-01-01,Customer - Direct\n",
    )
    .unwrap();
    ok(&db, &["import", "accounts", file.to_str().unwrap(), "--preset", "salesforce"]);
    let day = (today() - Duration::days(40)).to_string();
    ok(&db, &["churn", "A-4", "--reason", "budget", "--date", &day]);
    let mut app = app_on(&db);
    common::press(&mut app, KeyCode::Char('5'));
    // Whole at any width (at 60 columns the line had been cut after its third row).
    for width in [100, 80, 60] {
        let screen = common::text(&app, width, 24);
        let words = screen.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(words.contains("NRR") && words.contains("2 churned with no churn day: in none of these"), "{screen}");
    }
}

/// A former customer imported churned gets no journey planned; a customer beside it does. A
/// probe's former customers each had a renewal call planned.
#[test]
fn an_account_imported_churned_gets_no_journey() {
    let (dir, db) = temp_db();
    let file = dir.path().join("sf.csv");
    let ahead = (today() + Duration::days(150)).to_string();
    std::fs::write(
        &file,
        format!(
            "Account ID,Account Name,Account Owner,ARR,Customer Since,Contract End Date,Type\n\
             A-1,Acme,Jordan Lee,1000,2020-01-01,{ahead},Customer - Direct\n\
             A-2,Beta,Jordan Lee,2000,2020-01-01,{ahead},Former Customer\n"
        ),
    )
    .unwrap();
    let out = ok(&db, &["import", "accounts", file.to_str().unwrap(), "--preset", "salesforce"]);
    assert!(out.contains("planned 2 journey milestones"), "{out}");
    assert!(ok(&db, &["milestone", "list", "A-1"]).contains("Renewal call"));
    let (_, churned, err) = tend_on(&db, &["milestone", "list", "A-2", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&churned).unwrap_or_else(|_| panic!("{churned}{err}"));
    assert_eq!(rows.as_array().map(Vec::len), Some(0), "{rows}");
}

/// A Red account that fell is under "Red and Orange" as well as under the movers: a lead reading
/// that heading finds every Red account. A probe's two Red accounts were under the movers alone.
#[test]
fn a_fallen_red_account_is_under_red_and_orange_too() {
    let (dir, db) = imported_crm(20);
    let mut usage = String::from("account,metric,date,value\n");
    for week in 0..10 {
        let day = today() - Duration::days(7 * week);
        for (metric, value) in [("usage", 300), ("active_users", 1), ("support_tickets", 20)] {
            writeln!(usage, "CRM-0005,{metric},{day},{value}").unwrap();
        }
    }
    writeln!(usage, "CRM-0005,logins,{},3", today() - Duration::days(70)).unwrap();
    import_text(&db, &dir, "metrics", &usage);
    ok(&db, &["log", "sentiment", "CRM-0005", "9", "--date", &(today() - Duration::days(20)).to_string()]);
    ok(&db, &["log", "sentiment", "CRM-0005", "1", "--date", &(today() - Duration::days(2)).to_string()]);
    let app = app_on(&db);
    let row = app.portfolio.rows().iter().find(|r| r.name == "Company 5").unwrap().clone();
    assert!(matches!(row.band, Some(tend::domain::HealthBand::Red | tend::domain::HealthBand::Orange)), "{row:?}");
    let store = Store::open(&db).unwrap();
    let config = tend::config::Config::default();
    let agenda =
        tend::book::team::one_on_one(&store, &config, app.portfolio.rows(), &app.triage_book, "Ben Okafor", today())
            .unwrap();
    let sections: Vec<tend::book::team::AgendaSection> =
        agenda.iter().filter(|a| a.account == "Company 5").map(|a| a.section).collect();
    use tend::book::team::AgendaSection::{Movers, Trouble};
    assert!(sections.contains(&Movers) && sections.contains(&Trouble), "{agenda:#?}");
}

/// A one-on-one's "Red and Orange, or at their worst" lists the accounts with a Red or Orange
/// score before those with no score and a factor at its worst: a probe's one Orange account was
/// ninth, after eight "no score yet" lines, and the agenda's eight left it out.
#[test]
fn a_one_on_one_lists_red_and_orange_before_accounts_with_no_score() {
    let (dir, db) = imported_crm(80);
    let mut usage = String::from("account,metric,date,value\n");
    // Ben Okafor's accounts (every fourth from CRM-0001): active users down 90% these three weeks,
    // with too little data for a score.
    for i in (1..80).step_by(4) {
        for week in 0..6 {
            let day = today() - Duration::days(7 * week);
            let users = if week < 3 { 2 } else { 20 };
            writeln!(usage, "CRM-{i:04},active_users,{day},{users}").unwrap();
            writeln!(usage, "CRM-{i:04},logins,{day},40").unwrap();
        }
    }
    // One of them scored, low, with no ARR on record: less at stake than the others.
    for week in 0..6 {
        let day = today() - Duration::days(7 * week);
        writeln!(usage, "CRM-0005,usage,{day},100").unwrap();
        writeln!(usage, "CRM-0005,expected_usage,{day},1000").unwrap();
        writeln!(usage, "CRM-0005,support_tickets,{day},20").unwrap();
    }
    import_text(&db, &dir, "metrics", &usage);
    ok(&db, &["log", "sentiment", "CRM-0005", "2"]);
    let app = app_on(&db);
    let row = app.portfolio.rows().iter().find(|r| r.name == "Company 5").unwrap().clone();
    assert!(matches!(row.band, Some(tend::domain::HealthBand::Red | tend::domain::HealthBand::Orange)), "{row:?}");
    let store = Store::open(&db).unwrap();
    let config = tend::config::Config::default();
    let agenda =
        tend::book::team::one_on_one(&store, &config, app.portfolio.rows(), &app.triage_book, "Ben Okafor", today())
            .unwrap();
    use tend::book::team::AgendaSection::Trouble;
    let trouble: Vec<&tend::book::team::AgendaItem> = agenda.iter().filter(|a| a.section == Trouble).collect();
    assert!(
        trouble.len() > tend::book::team::AGENDA_PER_SECTION,
        "{}",
        ok(&db, &["report", "triage", "--all", "--csm", "Ben Okafor"])
    );
    assert_eq!(trouble[0].account, "Company 5", "{trouble:#?}");
    let (walked, _) = tend::book::team::agenda_walked(&agenda, false);
    assert!(walked.iter().any(|a| a.section == Trouble && a.account == "Company 5"));
}

/// The same entry logged twice on a day is logged, and said, with how to take it back; another
/// entry that day is not said to be the same. A probe's double touch passed without a word.
#[test]
fn the_same_entry_logged_twice_on_a_day_is_said() {
    let (_dir, db) = imported_crm(20);
    let first = ok(&db, &["log", "touch", "CRM-0001", "call", "--note", "Roadmap"]);
    assert!(!first.contains("already logged"), "{first}");
    let again = ok(&db, &["log", "touch", "CRM-0001", "call", "--note", "Roadmap"]);
    assert!(again.contains("the same as an entry already logged that day (undo takes this one back)"), "{again}");
    let other = ok(&db, &["log", "touch", "CRM-0001", "email", "--note", "Roadmap"]);
    assert!(!other.contains("already logged"), "{other}");
    ok(&db, &["undo"]);
    ok(&db, &["undo"]);
    let listed: serde_json::Value =
        serde_json::from_str(&ok(&db, &["log", "list", "CRM-0001", "--format", "json"])).unwrap();
    assert_eq!(listed.as_array().map(|a| a.iter().filter(|e| e["kind"] == "touch").count()), Some(1), "{listed}");
}

/// `x` on a risk or a bug in the Timeline clears or closes it (it answered "x marks the selected
/// milestone or task done", and the only way was `e` and a day typed in Cleared); on one already
/// cleared it says when, and `u` opens it again.
#[test]
fn x_on_a_risk_in_the_timeline_clears_it() {
    use ratatui::crossterm::event::KeyCode;
    let (_dir, db) = imported_crm(20);
    ok(&db, &["log", "risk", "CRM-0003", "Evaluating a competitor", "--date", "-5d"]);
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 3");
    common::press(&mut app, KeyCode::Char(']'));
    assert_eq!(app.account.as_ref().unwrap().tab, tend::tui::views::account::AccountTab::Timeline);
    common::press(&mut app, KeyCode::Char('x'));
    assert!(
        app.message.as_deref().is_some_and(|m| m.contains("risk: Evaluating a competitor cleared on 2026-11-23")),
        "{:?}",
        app.message
    );
    let store = tend::store::Store::open(&db).unwrap();
    let id = store.account_names().unwrap().into_iter().find(|(_, n)| n == "Company 3").unwrap().0;
    let closed = || tend::store::Store::open(&db).unwrap().entries_for(id).unwrap()[0].closed_on;
    assert_eq!(closed(), Some(today()));
    common::press(&mut app, KeyCode::Char('x'));
    assert!(app.message.as_deref().is_some_and(|m| m.contains("already cleared on 2026-11-23")), "{:?}", app.message);
    common::press(&mut app, KeyCode::Char('u'));
    assert_eq!(closed(), None);
}

/// A renewal of an account with no ARR on record (a blank in the CRM) says so, in its message,
/// the timeline and the one-on-one, and `R` offers the ARR blank, kept none when left so: it read
/// "ARR $0 unchanged" and offered "New ARR 0".
#[test]
fn a_renewal_without_arr_on_record_says_none_not_zero() {
    use ratatui::crossterm::event::KeyCode;
    let (_dir, db, _) = import_into_new_book(
        "External ID,Account,CSM,ARR,Customer since,Renewal date\nZ-1,Zero Arr Co,Ben Okafor,,2020-01-01,2026-12-20\nZ-2,Blank Arr Co,Ben Okafor,,2020-01-01,2026-12-20\n",
    );
    let said = ok(&db, &["renew", "Z-1"]);
    assert!(said.contains("until 2027-12-20, no ARR on record"), "{said}");
    let timeline = ok(&db, &["log", "list", "Z-1"]);
    assert!(timeline.contains("renewed until 2027-12-20, no ARR on record") && !timeline.contains("$0"), "{timeline}");
    let agenda = ok(&db, &["report", "one-on-one", "--csm", "Ben"]);
    assert!(agenda.contains("no ARR on record") && !agenda.contains("$0"), "{agenda}");
    let mut app = app_on(&db);
    open_by_name(&mut app, "Blank Arr Co");
    common::press(&mut app, KeyCode::Char('R'));
    assert_eq!(app.form.as_ref().expect("the renew form").form.text("arr"), "");
    common::press(&mut app, KeyCode::Enter);
    assert!(app.message.as_deref().is_some_and(|m| m.contains("no ARR on record")), "{:?}", app.message);
}

/// An account with no ARR on record is ranked as the book's median customer, not as one paying
/// nothing: a probe's Orange account 33 days past its renewal, with a risk and a late task,
/// ranked 30th below $12k accounts with less wrong.
#[test]
fn an_account_without_arr_ranks_as_the_median_customer_not_as_nothing() {
    let (dir, db) = temp_db();
    let file = dir.path().join("crm.csv");
    std::fs::write(
        &file,
        "External ID,Account,CSM,ARR,Customer since\n\
         A1,Blank Arr Co,Ana,,2020-01-01\nA2,Small Co,Ana,\"1,000\",2020-01-01\n\
         A3,Mid Co,Ana,50000,2020-01-01\nA4,Big Co,Ana,200000,2020-01-01\nA5,Large Co,Ana,90000,2020-01-01\n",
    )
    .unwrap();
    ok(&db, &["import", "accounts", file.to_str().unwrap()]);
    // The same reason on the account without ARR and on the $1,000 one.
    for account in ["A1", "A2"] {
        ok(&db, &["log", "risk", account, "Budget review", "--by", "Ana"]);
    }
    let report = ok(&db, &["report", "triage", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&report).unwrap();
    let order: Vec<&str> = doc["rows"].as_array().unwrap().iter().map(|r| r["account"].as_str().unwrap()).collect();
    let at = |name: &str| order.iter().position(|a| *a == name).unwrap_or_else(|| panic!("{name}: {report}"));
    assert!(at("Blank Arr Co") < at("Small Co"), "{order:?}");
    // Ranked as the median ($50,000 of 1,000, 50,000, 90,000 and 200,000), not above it.
    let need = |name: &str| doc["rows"][at(name)]["need"].as_f64().unwrap();
    assert!(need("Blank Arr Co") > need("Small Co"), "{report}");
}

/// A sheet's Notes column is on the Account view (it was imported, and on no screen).
#[test]
fn an_accounts_notes_are_on_its_view() {
    let (dir, db) = temp_db();
    let file = dir.path().join("sheet.csv");
    std::fs::write(
        &file,
        "Customer,Owner,ARR,Notes\nAcme Analytics,Sam Carter,12000,\"Moving off Gainsight, renewal \"\"tricky\"\"\"\nBeta Co,Sam Carter,5000,\n",
    )
    .unwrap();
    ok(&db, &["import", "accounts", file.to_str().unwrap()]);
    let mut app = app_on(&db);
    open_by_name(&mut app, "Acme Analytics");
    let screen = common::text(&app, 80, 24);
    assert!(screen.contains("Notes: Moving off Gainsight, renewal \"tricky\""), "{screen}");
    let narrow = common::text(&app, 40, 24);
    let line = narrow.lines().find(|l| l.starts_with("Notes (Enter): Moving off")).unwrap_or_default();
    assert!(line.ends_with('…'), "cut on one line, saying where they are read whole: {narrow}");
    let mut app = app_on(&db);
    open_by_name(&mut app, "Beta Co");
    assert!(!common::text(&app, 80, 24).contains("Notes:"));
}

/// `tend undo --list` lists the screens' changes too, saying where each was made, and `tend undo
/// N` takes one back (a probe's sentiment, touch and goal logged on the screens were not listed);
/// `tend undo` alone still takes back the command line's last.
#[test]
fn undo_lists_the_screens_changes_too() {
    let (_dir, db) = imported_crm(10);
    ok(&db, &["log", "touch", "CRM-0002", "call", "--by", "Ben Okafor"]);
    let mut app = app_on(&db);
    open_by_name(&mut app, "CRM-0001");
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('s'));
    common::typ(&mut app, "4");
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Enter);
    drop(app);
    let list: Vec<serde_json::Value> = serde_json::from_str(&ok(&db, &["undo", "--list", "--format", "json"])).unwrap();
    assert_eq!(list[0]["from"], "screens", "{list:?}");
    assert!(list[0]["change"].as_str().unwrap().contains("sentiment 4/10"), "{list:?}");
    assert_eq!(list[1]["from"], "command line", "{list:?}");
    let number = list[0]["number"].as_i64().unwrap().to_string();
    let out = ok(&db, &["undo", &number]);
    assert!(out.starts_with("Undone: ") && out.contains("sentiment"), "{out}");
    let out = ok(&db, &["undo"]);
    assert!(out.contains("touch") || out.contains("call"), "{out}");
}

/// A week's usage headed by its start ("Week Starting") is dated on the week's last day, when it
/// is known whole: imported a week later it changes no score of a day before it was known (a
/// probe's account read as falling 80 -> 55 in Triage, its history rewritten by a recovered week
/// dated on its Monday, when it had risen 17 -> 55). Said at import, with the first such date.
#[test]
fn a_week_headed_by_its_start_is_dated_on_its_last_day() {
    let (dir, db) = imported_crm(20);
    let usage = weekly_usage(
        "Account ID,Week Starting,Logins,Active Users",
        3..=3,
        |_| 14,
        |i, day| format!("CRM-{i:04},{day},40,9\n"),
    );
    let said = import_text(&db, &dir, "metrics", &usage);
    assert!(
        said.contains("\"Week Starting\" dates the start of each period: its values are dated on its last day, when the period is whole (2026-08-03 is read as 2026-08-09)"),
        "{said}"
    );
    let row_on = |day: &str| -> serde_json::Value {
        let all: Vec<serde_json::Value> =
            serde_json::from_str(&ok(&db, &["--as-of", day, "export", "accounts", "--format", "json"])).unwrap();
        all.into_iter().find(|a| a["external_id"] == "CRM-0003").unwrap()
    };
    let before = row_on("2026-11-16");
    // The week of 2026-11-16, collapsed, imported on the 23rd.
    import_text(&db, &dir, "metrics", "Account ID,Week Starting,Logins,Active Users\nCRM-0003,2026-11-16,0,0\n");
    let samples = ok(&db, &["export", "metrics"]);
    assert!(samples.contains("CRM-0003,active_users,2026-11-22,0"), "{samples}");
    assert_eq!(row_on("2026-11-16"), before, "the 16th as it was known on the 16th");
    assert_ne!(row_on("2026-11-22")["value_active_users"], before["value_active_users"], "known on the 22nd");
}

/// A book whose weeks an earlier tend dated on their first day (as "Date" dates them here) keeps
/// them there when the same weekly file comes again: nothing counts twice (a probe's re-import
/// wrote 3,080 samples beside the ones it had, a week apart by six days); a week new to the book
/// is dated on its last day.
#[test]
fn weeks_the_book_has_on_their_first_day_are_not_imported_twice() {
    let (dir, db) = imported_crm(20);
    let rows =
        |header: &str, weeks: i64| weekly_usage(header, 3..=4, |_| weeks, |i, day| format!("CRM-{i:04},{day},40,9\n"));
    import_text(&db, &dir, "metrics", &rows("Account ID,Date,Logins,Active Users", 14));
    let count = || ok(&db, &["export", "metrics"]).lines().count();
    let before = count();
    let said = import_text(&db, &dir, "metrics", &rows("Account ID,Week Starting,Logins,Active Users", 15));
    assert!(said.contains("imported 60 metric samples: 4 new, 0 updated, 56 unchanged"), "{said}");
    assert!(said.contains("56 values of periods the book already had on their first day"), "{said}");
    assert_eq!(count(), before + 4, "only the new week");
    let samples = ok(&db, &["export", "metrics"]);
    assert!(samples.contains("CRM-0003,logins,2026-11-15,40"), "the new week on its last day: {samples}");
}

/// A config edited by hand: the first read of the book under the new rules says which settings
/// changed and which accounts' bands they moved, today's values scored both ways (a lead who
/// doubled a weight and moved the cut-offs found what moved only by diffing two exports); once,
/// and again when the rules change back.
#[test]
fn new_health_rules_say_what_they_moved_once() {
    let (dir, db) = imported_crm(12);
    let ids = ["CRM-0001", "CRM-0002", "CRM-0004", "CRM-0005"];
    let metrics_file = dir.path().join("usage.csv");
    std::fs::write(&metrics_file, common::weekly_usage(&ids)).unwrap();
    ok(&db, &["import", "metrics", metrics_file.to_str().unwrap()]);
    let mut said = Vec::new();
    for id in ids {
        said.push((id, ok(&db, &["log", "sentiment", id, "7"])));
    }
    // A score from thin data is said so on the command line, as the screens mark it "~".
    let (_, json, _) = tend_on(&db, &["export", "accounts", "--format", "json"]);
    let exported: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    for (id, out) in &said {
        let row = exported.iter().find(|r| r["external_id"] == *id).unwrap();
        let (Some(score), Some(coverage)) = (row["score"].as_u64(), row["coverage"].as_u64()) else { continue };
        let thin = coverage < 75;
        assert_eq!(out.contains(&format!("-> ~{score} (")) && out.contains(", thin data)"), thin, "{row} {out}");
    }
    assert!(said.iter().any(|(_, out)| out.contains("thin data")), "the test scores some from thin data: {said:?}");
    let (_, _, err) = tend_on(&db, &["report", "triage"]);
    assert!(!err.contains("health rules"), "the first read has nothing to compare with: {err}");
    let bands = |args: &[&str]| -> Vec<(String, String)> {
        let mut all = vec!["export", "accounts", "--format", "json"];
        all.splice(0..0, args.iter().copied());
        let (ok, out, err) = tend_on(&db, &all);
        assert!(ok, "{err}");
        let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
        rows.iter().map(|r| (r["name"].as_str().unwrap().to_string(), r["band"].to_string())).collect()
    };
    let before = bands(&[]);
    let strict = dir.path().join("strict.toml");
    std::fs::write(&strict, "[health.bands]\ngreen = 99\nyellow = 98\norange = 97\n").unwrap();
    let strict = strict.to_str().unwrap();
    let (ok_, _, err) = tend_on(&db, &["--config", strict, "report", "triage"]);
    assert!(ok_, "{err}");
    assert!(err.contains("tend: New health rules since this book was last read (bands.green 75 -> 99, bands.orange 25 -> 97, bands.yellow 50 -> 98)"), "{err}");
    let after = bands(&["--config", strict]);
    let moved: Vec<&(String, String)> = after.iter().filter(|a| !before.contains(a)).collect();
    assert!(!moved.is_empty(), "{before:?} {after:?}");
    assert!(
        err.contains(&format!(": {} account", moved.len())) && err.contains(" of the book change"),
        "{moved:?} {err}"
    );
    assert!(
        moved.iter().any(|(name, _)| err.contains(&format!("{name} "))) && err.contains(" -> Red"),
        "{moved:?} {err}"
    );
    // Once: the same rules again say nothing; back to the defaults says so.
    let (_, _, err) = tend_on(&db, &["--config", strict, "report", "triage"]);
    assert!(!err.contains("health rules"), "{err}");
    let (_, _, err) = tend_on(&db, &["export", "accounts"]);
    assert!(err.contains("(bands.green 99 -> 75,") && err.contains("Red -> "), "{err}");
}

/// Renewals list soonest first, then (`o`) the largest ARR first, then the most ARR at risk first
/// (ARR x the chance it does not renew), each from its top: at the start of a heavy quarter a
/// probe's CSM wanted the money first and found no key for it.
#[test]
fn renewals_are_ordered_by_date_arr_or_arr_at_risk() {
    use ratatui::crossterm::event::KeyCode;
    let (dir, db) = imported_crm(60);
    let ids: Vec<String> = (0..60).step_by(3).map(|i| format!("CRM-{i:04}")).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let metrics_file = dir.path().join("usage.csv");
    std::fs::write(&metrics_file, common::weekly_usage(&ids)).unwrap();
    ok(&db, &["import", "metrics", metrics_file.to_str().unwrap()]);
    for (k, id) in ids.iter().enumerate() {
        ok(&db, &["log", "sentiment", id, if k % 2 == 0 { "2" } else { "9" }]);
    }
    let mut app = app_on(&db);
    common::press(&mut app, KeyCode::Char('4'));
    let config = tend::config::Config::default();
    let listed = |app: &tend::tui::App| -> Vec<(Option<chrono::NaiveDate>, i64, f64)> {
        let view = app.renewals.as_ref().unwrap();
        let rows = app.portfolio.rows();
        let mut out = Vec::new();
        for n in 0..view.len() {
            let i = view.row_at(n).unwrap();
            let r = &rows[i];
            let long_past = tend::book::renewals::is_long_past(r, today());
            let at_risk = match long_past {
                true => -1.0,
                false => r.arr.0.max(0) as f64 * (1.0 - r.renewal_likelihood(&config.renewals.likelihood, today())),
            };
            out.push((r.renewal_date, r.arr.0, at_risk));
        }
        out
    };
    let soonest = listed(&app);
    assert!(soonest.len() > 5, "{soonest:?}");
    // A list longer than the screen says how many more there are below.
    let short = common::text(&app, 80, 14);
    let shown = short.lines().filter(|l| l.contains("d late") || l.trim_start().starts_with("20")).count();
    assert!(shown < soonest.len(), "the test overflows the screen: {short}");
    let hint = format!("↓ {} more below (j, End)", soonest.len() - shown);
    assert!(short.contains(&hint), "{hint}: {short}");
    assert!(soonest.windows(2).all(|w| w[0].0 <= w[1].0), "{soonest:?}");
    common::press(&mut app, KeyCode::Down);
    common::press(&mut app, KeyCode::Char('o'));
    assert!(app.message.clone().unwrap_or_default().contains("largest ARR first"), "{:?}", app.message);
    let largest = listed(&app);
    assert!(largest.windows(2).all(|w| w[0].1 >= w[1].1), "{largest:?}");
    let view = app.renewals.as_ref().unwrap();
    assert_eq!(view.selected_row(), view.row_at(0), "from the top of the new order");
    common::press(&mut app, KeyCode::Char('o'));
    assert!(app.message.clone().unwrap_or_default().contains("chance it does not renew"), "{:?}", app.message);
    let at_risk = listed(&app);
    assert!(at_risk.windows(2).all(|w| w[0].2 >= w[1].2), "{at_risk:?}");
    assert_ne!(at_risk, largest, "the test tells the two orders apart");
    let screen = common::text(&app, 100, 30);
    assert!(screen.lines().nth(1).is_some_and(|l| l.contains("days, most ARR at risk first")), "{screen}");
    common::press(&mut app, KeyCode::Char('o'));
    assert_eq!(listed(&app), soonest);
}

/// An account whose new customers' (jumpstart) score ends at day 90 with too little data for the
/// standard one says so in Triage, with the score it had (a probe's two Green accounts went "low
/// data" with nothing said, one listed only for an overdue milestone, one not at all).
#[test]
fn a_jumpstart_score_that_ends_without_a_standard_one_is_said() {
    let (dir, db) = temp_db();
    let accounts = dir.path().join("a.csv");
    std::fs::write(
        &accounts,
        "External ID,Account,CSM,ARR,Customer since,Renewal date\nA-1,Neu GmbH,Lena Vogel,24000,2026-09-01,2027-09-01\n",
    )
    .unwrap();
    ok(&db, &["import", "accounts", accounts.to_str().unwrap(), "--no-journeys"]);
    let mut samples = String::from("Account,Metric,Date,Value\n");
    let mut day: chrono::NaiveDate = "2026-09-06".parse().unwrap();
    while day <= "2026-11-22".parse().unwrap() {
        samples.push_str(&format!("A-1,logins,{day},30\n"));
        day += Duration::days(7);
    }
    let metrics = dir.path().join("m.csv");
    std::fs::write(&metrics, samples).unwrap();
    ok(&db, &["import", "metrics", metrics.to_str().unwrap()]);
    let reasons = |day: &str| -> Vec<String> {
        let doc: serde_json::Value =
            serde_json::from_str(&ok(&db, &["report", "triage", "--all", "--format", "json", "--as-of", day])).unwrap();
        doc["rows"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["reasons"].as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()))
            .collect()
    };
    assert!(!reasons("2026-11-25").iter().any(|r| r.contains("score ended")), "still in its first 90 days");
    let after = reasons("2026-12-02");
    assert!(
        after.iter().any(|r| r.starts_with("the new customers' (jumpstart) score ended (it was ")
            && r.ends_with(", 7 days ago): too little data for the standard score")),
        "{after:?}"
    );
    // Its page says the score it had, not that it had none to compare with.
    let day: chrono::NaiveDate = "2026-12-02".parse().unwrap();
    let mut app = tend::tui::App::new(
        Store::open(&db).unwrap(),
        tend::config::Config::default(),
        day,
        tend::tui::theme::Theme::plain(),
    )
    .unwrap();
    open_by_name(&mut app, "Neu GmbH");
    let screen = common::text(&app, 100, 50);
    assert!(
        screen.contains("Moved: no score now to compare (it was ") && screen.contains(", 7 days ago)."),
        "{screen}"
    );
}

/// A goal still open past its target day says how far past on the account's Goals tab (a
/// probe's "on track  by 2026-12-09" read a week later as nothing wrong), and in `goal list`.
#[test]
fn a_goal_past_its_day_says_so_on_the_account() {
    let (_dir, db) = imported_crm(5);
    ok(&db, &["goal", "add", "CRM-0001", "Go live", "--date", "2026-11-01", "--target", "2026-11-15"]);
    ok(&db, &["goal", "add", "CRM-0001", "Second team", "--target", "2026-12-20"]);
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 1");
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Tab);
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Tab);
    let screen = common::text(&app, 80, 24);
    assert!(screen.contains("by 2026-11-15 (8d past)  \"Go live\""), "{screen}");
    assert!(screen.contains("by 2026-12-20  \"Second team\""), "{screen}");
    let listed = ok(&db, &["goal", "list", "CRM-0001"]);
    let line = listed.lines().find(|l| l.contains("Go live")).unwrap_or_default();
    assert!(line.contains("8d past"), "{listed}");
}

/// Triage's band reason names what puts the account there, as its Account view does: a new
/// customer who never logged in read "Red health · 1 milestone overdue" (a probe's), nothing in
/// Triage saying why. A band an override sets is said bare: the score's factors are not its why.
#[test]
fn a_band_reason_names_the_factors_that_put_the_account_there() {
    let (dir, db) = temp_db();
    let accounts = "External ID,Account,CSM,ARR,Customer since,Renewal date\n\
                    A-1,Neu GmbH,Lena Vogel,24000,2026-10-19,2027-10-19\n\
                    A-2,Alt GmbH,Lena Vogel,24000,2026-10-19,2027-10-19\n\
                    A-3,Leer GmbH,Lena Vogel,24000,2026-10-19,2027-10-19\n";
    import_text(&db, &dir, "accounts", accounts);
    let mut usage = String::from("Account,Date,Logins\n");
    let mut day: chrono::NaiveDate = "2026-10-26".parse().unwrap();
    while day <= today() - Duration::days(7) {
        usage.push_str(&format!("A-1,{day},0\nA-2,{day},30\n"));
        day += Duration::days(7);
    }
    import_text(&db, &dir, "metrics", &usage);
    let (_, reasons) = triage_reasons(&db);
    let said = reasons("Neu GmbH");
    assert!(said.contains("\"Red health: Days to first login ≥35d, Early logins 0 each at 1 point of 4\""), "{said}");
    assert!(!reasons("Alt GmbH").contains("health"), "{}", reasons("Alt GmbH"));
    // The one-on-one says it as Triage does.
    let agenda = ok(&db, &["report", "one-on-one", "--csm", "Lena Vogel"]);
    let line = agenda.lines().find(|l| l.starts_with("Neu GmbH")).unwrap_or_default();
    assert!(line.ends_with("Red health: Days to first login ≥35d, Early logins 0 each at 1 point of 4"), "{agenda}");
    // An account with no data is on no line of it: its book's line names it.
    assert!(agenda.contains("3 accounts (1 without a score: Leer GmbH), $72k ARR"), "{agenda}");
    ok(&db, &["override", "A-1", "orange", "--reason", "Kickoff moved to December"]);
    let (_, reasons) = triage_reasons(&db);
    let said = reasons("Neu GmbH");
    assert!(said.contains("\"Orange health\""), "{said}");
}

/// A monthly usage export dated by each month's first day, beside a help desk's ticket counts:
/// the newest month is current, not "30 days behind the rest" (a probe's Triage said stale on 36
/// of 40 accounts days after its export); an account whose months stopped is stale, and says
/// so. The factor's own `max_age_days` (45) still holds: July's sample has no value.
#[test]
fn a_monthly_export_beside_daily_tickets_is_stale_only_past_its_own_rhythm() {
    let (dir, db) = imported_crm(10);
    let day = "2026-12-02";
    let on_day = |args: &[&str]| {
        let (fine, out, err) = common::tend_on_day(&db, day, args);
        assert!(fine, "tend {args:?}: {err}");
        out
    };
    let mut usage = String::from("Account ID,Date,Active Users\n");
    for i in [3, 4, 5, 6, 8, 9] {
        // Company 9's months stopped in July; the others' newest is November's, dated 2026-11-01.
        let last = if i == 9 { 7 } else { 11 };
        for month in 5..=last {
            writeln!(usage, "CRM-{i:04},2026-{month:02}-01,9").unwrap();
        }
    }
    let file = dir.path().join("usage.csv");
    std::fs::write(&file, usage).unwrap();
    on_day(&["import", "metrics", file.to_str().unwrap()]);
    let mut tickets = String::from("Ticket ID,Organization,Created at\n");
    for (n, day) in ["2026-08-03", "2026-09-14", "2026-10-20", "2026-12-01"].iter().enumerate() {
        writeln!(tickets, "T-{n},CRM-0004,{day} 10:00:00").unwrap();
    }
    let file = dir.path().join("tickets.csv");
    std::fs::write(&file, tickets).unwrap();
    on_day(&["import", "tickets", file.to_str().unwrap()]);
    let triage: serde_json::Value =
        serde_json::from_str(&on_day(&["report", "triage", "--all", "--format", "json"])).unwrap();
    let reasons = |name: &str| -> String {
        let rows = triage["rows"].as_array().cloned().unwrap_or_default();
        rows.iter().find(|r| r["account"] == name).map_or(String::new(), |r| r["reasons"].to_string())
    };
    for name in ["Company 3", "Company 4", "Company 5", "Company 6", "Company 8"] {
        assert!(!reasons(name).contains("stale"), "{name}: {}", reasons(name));
    }
    assert!(reasons("Company 9").contains("stale: Active users"), "{}", reasons("Company 9"));
    let accounts: Vec<serde_json::Value> =
        serde_json::from_str(&on_day(&["export", "accounts", "--format", "json"])).unwrap();
    let users = |id: &str| accounts.iter().find(|a| a["external_id"] == id).unwrap()["value_active_users"].clone();
    assert_eq!(users("CRM-0003"), 9.0, "November's month, 30 days behind the tickets, counts");
    assert!(users("CRM-0009").is_null(), "July's is past the factor's 45 days: {}", users("CRM-0009"));
}

/// A new customer with no data yet says which score it will have, as a scored one does: a
/// probe's new customer listed other factors than the rest (days to first login, early logins)
/// and "no score", with no word of its jumpstart score. At 80 columns the day gives way first.
#[test]
fn a_new_customer_without_a_score_says_it_is_on_the_jumpstart_score() {
    let since = today() - Duration::days(10);
    let (_dir, db, _) = import_into_new_book(&format!(
        "External ID,Account,ARR,Customer since\nNEW-1,Nimbus Cloud,30000,{since}\nOLD-1,Old Co,9000,2019-01-01\n"
    ));
    let mut app = app_on(&db);
    open_by_name(&mut app, "Nimbus Cloud");
    let screen = common::text(&app, 120, 24);
    let head = screen.lines().find(|l| l.starts_with("Health")).unwrap_or_default();
    assert!(head.contains("no data for any factor yet · jumpstart score, day 11 of 90 · as of"), "{screen}");
    let narrow = common::text(&app, 80, 24);
    let head = narrow.lines().find(|l| l.starts_with("Health")).unwrap_or_default();
    assert!(head.contains("no data for any factor yet · jumpstart score, day 11 of 90"), "{narrow}");
    assert!(!head.contains("as of") && !head.contains('…'), "{narrow}");
    // Data it has that the jumpstart score does not read is said: support tickets. Its weekly
    // active users it reads (a new customer's usage falling away is news in its first weeks).
    let dir = db.parent().unwrap();
    let usage = dir.join("usage.csv");
    let weeks = [today() - Duration::days(8), today() - Duration::days(1)];
    std::fs::write(
        &usage,
        format!("Account ID,Date,Active Users,Support Tickets\nNEW-1,{},12,1\nNEW-1,{},14,2\n", weeks[0], weeks[1]),
    )
    .unwrap();
    ok(&db, &["import", "metrics", usage.to_str().unwrap()]);
    let mut app = app_on(&db);
    open_by_name(&mut app, "Nimbus Cloud");
    let tall = common::text(&app, 120, 60).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        tall.contains("Not in this score: Support tickets 3 (the regular score reads them from day 91)."),
        "{tall}"
    );
    assert!(tall.contains("Active users 14 ■■■■ 4"), "{tall}");
    // The regular score is not named.
    let mut app = app_on(&db);
    open_by_name(&mut app, "Old Co");
    let screen = common::text(&app, 80, 24);
    let head = screen.lines().find(|l| l.starts_with("Health")).unwrap_or_default();
    assert!(head.contains("no data for any factor yet · as of"), "{screen}");
    assert!(!screen.contains("Not in this score"), "{screen}");
}

/// A metric's days count to its own feed's newest day: a weekly usage export dated Mondays
/// beside a help desk's counts imported to the Friday after reads "Days since login 0d" for an
/// account that logged in that Monday, not the 4 days to the tickets' Friday (a probe's ticket
/// import made its usage read days behind, and a monthly export stale). The book's own days
/// (the status line's "data to") are all the feeds' still.
#[test]
fn a_metrics_days_count_to_its_own_feed_not_another() {
    let (dir, db) = crm_with_steady_usage(3..=9, |_| 16);
    let login_days = |db: &Path| -> serde_json::Value {
        let accounts: Vec<serde_json::Value> =
            serde_json::from_str(&ok(db, &["export", "accounts", "--format", "json"])).unwrap();
        accounts.iter().find(|a| a["external_id"] == "CRM-0003").unwrap()["value_days_since_login"].clone()
    };
    assert_eq!(login_days(&db), 0.0, "logged in on the week's Monday, 2026-11-16");
    let mut tickets = String::from("Ticket ID,Organization,Created at\n");
    for (n, day) in ["2026-10-02", "2026-10-30", "2026-11-20"].iter().enumerate() {
        writeln!(tickets, "T-{n},CRM-0004,{day} 10:00:00").unwrap();
    }
    import_text(&db, &dir, "tickets", &tickets);
    assert_eq!(login_days(&db), 0.0, "counted to the logins' own Monday, not the tickets' Friday");
    let store = Store::open(&db).unwrap();
    let book = store.book_days().unwrap();
    assert_eq!(book.metrics_through(today()), Some("2026-11-20".parse().unwrap()), "the book's days are every feed's");
    let logins = book.by_metric.iter().find(|(m, _)| m == "logins").map(|(_, d)| d.through(today()));
    assert_eq!(logins, Some(Some("2026-11-16".parse().unwrap())));
}

/// One CSM's Portfolio counts its rows against that CSM's book: "9/10 shown · 1 churned hidden"
/// adds up, where the whole book's count beside one CSM's rows did not (a probe read "31/35
/// shown · 2 churned hidden" and looked for the other two).
#[test]
fn one_csms_portfolio_counts_against_their_book() {
    let (_dir, db) = imported_crm(40);
    ok(&db, &["churn", "CRM-0004", "--reason", "budget"]);
    let config = tend::config::Config { me: "Maya Patel".into(), ..Default::default() };
    let mut app =
        tend::tui::App::new(Store::open(&db).unwrap(), config, today(), tend::tui::theme::Theme::plain()).unwrap();
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('2'));
    let line = common::text(&app, 200, 24).lines().last().unwrap_or_default().to_string();
    // Maya owns every fourth of the 40: 10, one of them churned.
    assert!(line.contains("Maya Patel's book (v: everyone) · 9/10 shown · 1 churned hidden"), "{line}");
    // The Team view is the whole team's, whoever's book the lists show.
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('5'));
    let line = common::text(&app, 200, 24).lines().last().unwrap_or_default().to_string();
    assert!(line.contains("the whole team · 39 accounts") && !line.contains("Maya Patel's book"), "{line}");
}

/// Renewals past their day with nothing recorded are in the forecast at their band's likelihood
/// as if still to come: said beside it, with how many and their ARR (a probe's "90d late" Green
/// renewal read 95% in a forecast for a CFO), on the command line and on the screen.
#[test]
fn renewals_past_their_day_are_said_beside_the_forecast() {
    let (_dir, db) = imported_crm(40);
    let report: serde_json::Value =
        serde_json::from_str(&ok(&db, &["report", "renewals", "--csm", "all", "--format", "json"])).unwrap();
    let rows = report["rows"].as_array().unwrap();
    let past = rows.iter().filter(|r| r["days"].as_i64().unwrap_or(0) < 0 && r["long_past"] == false).count();
    assert!(past > 1, "the CRM file has renewals past: {report}");
    assert_eq!(report["summary"]["past_due"], past, "{report}");
    let text = ok(&db, &["report", "renewals", "--csm", "all"]);
    assert!(text.contains(&format!("{past} renewals past their day with nothing recorded (")), "{text}");
    // The screen says it in fewer words beside the forecast: its head holds the list.
    let mut app = app_on(&db);
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('4'));
    let screen = common::text(&app, 120, 40).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(screen.contains(&format!("{past} late, ≤60%)")), "{screen}");
    // Each late one is at the no-score likelihood at most, whatever its band, in the list and the
    // forecast alike.
    for row in rows.iter().filter(|r| r["days"].as_i64().unwrap_or(0) < 0 && r["long_past"] == false) {
        assert!(row["likelihood"].as_f64().is_some_and(|l| l <= 60.0), "{row}");
    }
}

/// A Green renewal past its day with nothing recorded is no 95%: at the no-score likelihood at
/// most, marked and said on the screen (two probes' leads would not defend a Green renewal 70
/// days late at 95% to a CFO); one still to come keeps its band's.
#[test]
fn a_green_renewal_past_its_day_is_at_the_no_score_likelihood_at_most() {
    let (dir, db, _) = import_into_new_book(&format!(
        "External ID,Account,ARR,Customer since,Renewal date\nCRM-0001,Late Green,100000,2022-01-10,{}\nCRM-0002,Soon Green,50000,2022-01-10,{}\n",
        today() - Duration::days(20),
        today() + Duration::days(20)
    ));
    let usage = weekly_usage(
        "Account ID,Date,Logins,Active Users",
        1..=2,
        |_| 16,
        |i, day| format!("CRM-{i:04},{day},40,12\n"),
    );
    import_text(&db, &dir, "metrics", &usage);
    for id in ["CRM-0001", "CRM-0002"] {
        ok(&db, &["log", "sentiment", id, "9"]);
        ok(&db, &["log", "touch", id, "call"]);
    }
    let report: serde_json::Value =
        serde_json::from_str(&ok(&db, &["report", "renewals", "--format", "json"])).unwrap();
    let row = |name: &str| report["rows"].as_array().unwrap().iter().find(|r| r["account"] == name).cloned().unwrap();
    assert_eq!(row("Soon Green")["band"], "green", "{report}");
    assert_eq!(row("Late Green")["band"], "green", "{report}");
    assert_eq!(row("Soon Green")["likelihood"], 95.0);
    assert_eq!(row("Late Green")["likelihood"], 60.0);
    assert_eq!(report["summary"]["forecast"], 100_000.0 * 0.6 + 50_000.0 * 0.95, "{report}");
    let mut app = app_on(&db);
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('4'));
    for width in [120, 80, 60] {
        let screen = common::text(&app, width, 24);
        let line = screen.lines().find(|l| l.contains("Late Green")).unwrap_or_else(|| panic!("{screen}"));
        assert!(line.contains("≤60%"), "{width}: {line}");
        let flat = screen.split_whitespace().collect::<Vec<_>>().join(" ");
        let said = match width {
            60 => "≤60%: past its day, nothing recorded",
            _ => "≤60% where it is past its day with nothing recorded",
        };
        assert!(flat.contains(said), "{width}: {screen}");
    }
}

/// A feed the scores read gone quiet while another comes is named where the data's age is: a
/// weekly usage export stopped four weeks ago beside a help desk's counts to three days ago read
/// "data to 2026-11-20 (3d old)", as if current (a probe back from two weeks off took the scores
/// for current). The report says it on stderr; a feed with its next export not yet due is not
/// named.
#[test]
fn a_quiet_usage_feed_beside_current_tickets_is_named() {
    let (dir, db) = crm_with_steady_usage(3..=9, |_| 13);
    let mut tickets = String::from("Ticket ID,Organization,Created at\n");
    for (n, day) in ["2026-10-02", "2026-10-30", "2026-11-13", "2026-11-20"].iter().enumerate() {
        writeln!(tickets, "T-{n},CRM-0004,{day} 10:00:00").unwrap();
    }
    import_text(&db, &dir, "tickets", &tickets);
    let app = app_on(&db);
    // (The accounts with ticket counts alone are listed for want of usage data: 17 of them.)
    let wide = common::text(&app, 170, 24);
    let status = wide.lines().last().unwrap_or_default();
    assert!(
        status.contains("data to 2026-11-20 (3d old); active_users, logins to 2026-10-26 (28d old, overdue)"),
        "{wide}"
    );
    for width in [120, 80, 60] {
        let narrow = common::text(&app, width, 24);
        assert!(narrow.contains("data 3d old; active_users, logins 28d old"), "{narrow}");
    }
    // A day asked for (`--as-of`) keeps the quiet feed to the last, where the line is short.
    let mut asked = app_on(&db);
    asked.as_of_asked = true;
    let narrow = common::text(&asked, 60, 24);
    let status = narrow.lines().rev().take(2).collect::<Vec<_>>().join(" ");
    assert!(status.contains("2026-11-23, active_users overdue"), "{narrow}");
    // Each account's factors that stand on it say so.
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 3");
    let tall = common::text(&app, 120, 60).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        tall.contains("Feed overdue for its next import, still counted: Active users, Active users change, Days since login (data to 2026-10-26, 28 days ago)."),
        "{tall}"
    );
    let (fine, _, err) = tend_on(&db, &["report", "triage"]);
    assert!(fine, "{err}");
    assert!(
        err.contains(
            "the logins data ends on 2026-10-26, 28 days before 2026-11-23, while the rest comes to 2026-11-20"
        ),
        "{err}"
    );
    // The usage a week old, its next export not yet due: nothing said.
    let (dir, db) = crm_with_steady_usage(3..=9, |_| 15);
    import_text(&db, &dir, "tickets", &tickets);
    let wide = common::text(&app_on(&db), 150, 24);
    let status = wide.lines().last().unwrap_or_default();
    assert!(status.contains("data to 2026-11-20 (3d old) · "), "{wide}");
}

/// A week begun but not over on the import's day is left out, and said: its value so far,
/// dated on its last day, would stand on a day to come and read as a fall (a probe's export of
/// a Monday put that day's logins on the Sunday after, "kept as written"). A week of the past
/// is dated on its last day as before.
#[test]
fn a_week_not_over_yet_is_left_out_and_said() {
    let (dir, db) = imported_crm(3);
    let file = format!(
        "Account ID,Week Starting,Logins\nCRM-0001,2026-11-09,5\nCRM-0001,2026-11-16,6\nCRM-0001,{TODAY},1\nCRM-0002,{TODAY},2\n"
    );
    let said = import_text(&db, &dir, "metrics", &file);
    assert!(
        said.contains(&format!(
            "2 values of a period not over yet left out (the first on line 4: {TODAY} to 2026-11-29): a part period's \
             count would read as a fall, and an import after it ends brings it whole"
        )),
        "{said}"
    );
    assert!(!said.contains("dated after"), "nothing dated to come: {said}");
    let samples = csv_rows(&ok(&db, &["export", "metrics", "--format", "csv"]));
    let days: Vec<&str> = samples.iter().map(|r| r["date"].as_str()).collect();
    assert_eq!(days, ["2026-11-15", "2026-11-22"], "{samples:?}");
    // A file of that week alone is not said to hold no rows.
    let said = import_text(&db, &dir, "metrics", &format!("Account ID,Week Starting,Logins\nCRM-0001,{TODAY},1\n"));
    assert!(said.contains("(every value in it is of a period not over yet)"), "{said}");
    assert!(!said.contains("no rows under its header"), "{said}");
}

/// A daily export imported into a book of weekly usage is said: its days' counts beside whole
/// weeks read as a fall (a probe's Wednesday file put 26 accounts on Triage, said by nothing but
/// the status line's "weekly" gone). Another week of the same export says nothing.
#[test]
fn a_daily_file_into_weekly_data_is_said() {
    let (dir, db) = imported_crm(3);
    let mut weeks = String::from("Account ID,Week Starting,Logins\n");
    for account in ["CRM-0001", "CRM-0002"] {
        for week in ["2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09"] {
            weeks.push_str(&format!("{account},{week},40\n"));
        }
    }
    let said = import_text(&db, &dir, "metrics", &weeks);
    assert!(!said.contains("another weekday"), "{said}");
    let said = import_text(
        &db,
        &dir,
        "metrics",
        "Account ID,Week Starting,Logins\nCRM-0001,2026-11-16,41\nCRM-0002,2026-11-16,39\n",
    );
    assert!(!said.contains("another weekday"), "a week more, dated on its Sunday: {said}");
    let daily = "Account ID,Date,Logins\nCRM-0001,2026-11-17,6\nCRM-0002,2026-11-17,5\nCRM-0001,2026-11-18,7\n";
    let said = import_text(&db, &dir, "metrics", daily);
    assert!(
        said.contains(
            "3 values are dated on another weekday than the book's weekly usage data (its weeks are dated on a Sunday, \
             the newest 2026-11-22), the first on 2026-11-17 (a Tuesday): a day's count, or a week not over, beside \
             whole weeks reads as a fall in the usage factors"
        ),
        "{said}"
    );
    assert!(
        said.contains("and take this import back with `tend undo --import` before anything else is written"),
        "{said}"
    );
}

/// A spreadsheet kept by hand: a customer-since written as a month ("Jan 2025") is the month's
/// first day, said; a renewal written so is refused (no day to renew on); ARR read from an MRR
/// column is said to be 12 times it (a probe's founder saw "$15k ARR" for her "$1,250").
#[test]
fn a_customer_since_month_is_its_first_day_and_arr_from_mrr_is_said() {
    let (dir, db, said) = import_into_new_book(
        "Customer,MRR,Customer since,Renewal date\nAcme,\"$1,250\",Jan 2025,2027-01-15\nBluebird,990,2024-03-05,2027-03-05\nCobalt,500,2023-11,2026-12-20\n",
    );
    assert!(
        said.contains(
            "2 customer-sinces are a month without a day (the first on line 2: \"Jan 2025\"): read as its first day"
        ),
        "{said}"
    );
    assert!(said.contains("ARR is 12 times \"MRR\", a monthly figure"), "{said}");
    let rows = csv_rows(&ok(&db, &["export", "accounts", "--format", "csv"]));
    let of = |name: &str| rows.iter().find(|r| r["name"] == name).unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(of("Acme")["customer_since"], "2025-01-01");
    assert_eq!(of("Cobalt")["customer_since"], "2023-11-01");
    assert_eq!(of("Acme")["arr"], "15000");
    let file = dir.path().join("renews.csv");
    std::fs::write(&file, "Customer,Renewal date\nAcme,Jan 2027\n").unwrap();
    let (ok, _, err) = tend_on(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(!ok && err.contains("column \"Renewal date\": value \"Jan 2027\": not a date"), "{err}");
}

/// A file with both an ARR and an MRR column keeps the ARR where a row has one, says where 12 times
/// the MRR is not it, and makes ARR from the MRR where the ARR is blank (the column order decided
/// before: a probe's 12,000 beside an MRR of 5,000 was kept as 60,000). An amount past any contract
/// is refused, by line and column, and changes nothing (a probe's was kept as the largest number
/// tend could hold, and the CSM's ARR sum wrapped round to -$92 quadrillion).
#[test]
fn arr_beside_mrr_is_kept_and_an_amount_past_any_contract_is_refused() {
    let (dir, db, said) = import_into_new_book(
        "External ID,Name,CSM,ARR,MRR\nM1,Agree,Dev Patel,12000,1000\nM2,Conflict,Dev Patel,12000,5000\nM3,Monthly only,Dev Patel,,300\nM4,Zero ARR,Dev Patel,0,700\n",
    );
    assert!(
        said.contains(
            "1 row has an ARR that is not 12 times its MRR (the first on line 3: Conflict: ARR $12,000, MRR $5,000): \
             the ARR is kept"
        ),
        "{said}"
    );
    let export = || ok(&db, &["export", "accounts", "--format", "csv"]);
    let rows = csv_rows(&export());
    let arr = |name: &str| rows.iter().find(|r| r["name"] == name).map(|r| r["arr"].clone());
    assert_eq!(
        (arr("Agree"), arr("Conflict"), arr("Monthly only"), arr("Zero ARR")),
        (Some("12000".into()), Some("12000".into()), Some("3600".into()), Some("8400".into()))
    );
    let before = export();
    for (file, text) in [
        ("big.csv", "External ID,Name,CSM,ARR\nM4,Big,Dev Patel,99999999999999999999999\n"),
        ("trillion.csv", "External ID,Name,CSM,ARR\nM5,Typo,Dev Patel,\"$1,000,000,000,000\"\n"),
        ("monthly.csv", "External ID,Name,CSM,MRR\nM6,Monthly typo,Dev Patel,90000000000\n"),
    ] {
        let path = dir.path().join(file);
        std::fs::write(&path, text).unwrap();
        let (ok, _, err) = tend_on(&db, &["import", "accounts", path.to_str().unwrap()]);
        assert!(
            !ok && err.contains(":2: column") && err.contains("more than tend takes for one amount"),
            "{file}: {err}"
        );
    }
    assert_eq!(export(), before, "the refused files changed nothing");
    let (ok, _, err) = tend_on(&db, &["renew", "Agree", "--until", "2027-12-01", "--arr", "99999999999999999999"]);
    assert!(!ok && err.contains("more than tend takes for one amount"), "{err}");
}

/// A churn dated after today (notice given, the contract running to next year) is no churn yet:
/// the account stays a customer until then, said, as `tend churn` refuses a day to come (a probe's
/// churn dated next March left Triage and the forecast at once); a past one churns as before.
#[test]
fn a_churn_still_to_come_keeps_the_account_a_customer_until_then() {
    let (_dir, db, said) = import_into_new_book(
        "External ID,Name,CSM,ARR,Status,Churn Date\n\
         F1,Future Co,Dev Patel,1000,churned,2027-03-01\n\
         F2,Past Co,Dev Patel,1000,churned,2026-10-01\n\
         F3,Steady Co,Dev Patel,1000,active,\n",
    );
    assert!(
        said.contains(
            "1 churn date is still to come (the first on line 2: Future Co, 2027-03-01): kept a customer until then"
        ),
        "{said}"
    );
    let rows = csv_rows(&ok(&db, &["export", "accounts", "--format", "csv"]));
    let status = |name: &str| rows.iter().find(|r| r["name"] == name).map(|r| r["status"].clone());
    assert_eq!(
        (status("Future Co"), status("Past Co"), status("Steady Co")),
        (Some("active".into()), Some("churned".into()), Some("active".into()))
    );
    // The day is kept, beside the account's fields.
    let to_come = rows.iter().find(|r| r["name"] == "Future Co").and_then(|r| r.get("Churn to come").cloned());
    assert_eq!(to_come.as_deref(), Some("2027-03-01"), "{rows:?}");
}

/// A spreadsheet's own file given for its CSV is said to be one, with what to do (a probe's .xlsx
/// read "no column for the account name").
#[test]
fn a_workbook_given_for_a_csv_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    for (file, bytes) in [
        ("accounts.xlsx", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00".to_vec()),
        ("accounts.xls", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00".to_vec()),
    ] {
        let path = dir.path().join(file);
        std::fs::write(&path, bytes).unwrap();
        let (ok, _, err) = tend_on(&db, &["import", "accounts", path.to_str().unwrap()]);
        assert!(!ok && err.contains("Excel workbook") && err.contains("save or download it as CSV"), "{err}");
    }
}

/// An account with no data at all is told what would give it a score, and a book without
/// usage data the two ways out (a probe's founder, with nothing logged yet, read only that
/// there was no score).
#[test]
fn an_account_with_no_data_is_told_what_would_give_it_a_score() {
    let (_dir, db, _) = import_into_new_book(
        "Account,CSM,ARR,Customer since\nAcme,Dana,12000,2021-03-01\nBluebird,Dana,9000,2022-05-01\n",
    );
    let mut app = app_on(&db);
    open_by_name(&mut app, "Acme");
    let screen = common::text(&app, 120, 60);
    let words = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("No factor of this score has data, so there is no score (not Red). To get one:"),
        "{screen}"
    );
    assert!(
        words.contains(
            "The book has no usage data yet: `tend import metrics FILE` brings it, or weigh the usage factors 0"
        ),
        "{screen}"
    );
}

/// A hand-over made in tend stays when the CRM file imported again still gives the CSM it was
/// handed from (a CRM not yet told), and is said: a lead's nightly import undid every hand-over,
/// said only as "moved 30 accounts to another CSM". A file giving anyone else moves the account,
/// and a hand-over taken back is no hand-over.
#[test]
fn a_hand_over_stays_while_the_file_still_gives_the_csm_before_it() {
    let crm = "External ID,Account,CSM,ARR\nC-1,Acme,Tom Okafor,10000\nC-2,Birch,Tom Okafor,20000\nC-3,Cedar,Ana Diaz,30000\n";
    let (dir, db, _) = import_into_new_book(crm);
    ok(&db, &["handover", "Tom Okafor", "Ana Diaz"]);
    let owner = |name: &str| -> String {
        let rows = csv_rows(&ok(&db, &["export", "accounts", "--format", "csv"]));
        rows.iter().find(|r| r["name"] == name).map(|r| r["csm"].clone()).unwrap_or_default()
    };
    let said = import_text(&db, &dir, "accounts", crm);
    assert!(
        said.contains(
            "2 hand-overs made in tend kept where the file still gives the CSM they were handed from (the first: \
             Acme: Ana Diaz, not the file's Tom Okafor)"
        ),
        "{said}"
    );
    assert!(!said.contains("to another CSM"), "{said}");
    assert_eq!((owner("Acme"), owner("Birch")), ("Ana Diaz".to_string(), "Ana Diaz".to_string()));
    // The CRM moved one on: the file's owner it is.
    let moved = crm.replace("C-2,Birch,Tom Okafor", "C-2,Birch,Raj Mehta");
    let said = import_text(&db, &dir, "accounts", &moved);
    assert!(said.contains("moved 1 account to another CSM"), "{said}");
    assert_eq!((owner("Acme"), owner("Birch")), ("Ana Diaz".to_string(), "Raj Mehta".to_string()));
    // Its undo (change 1, the hand-over's) would hand Birch back over the CRM's move: refused,
    // and nothing changes.
    let (undone, _, err) = tend_on(&db, &["undo", "1"]);
    assert!(!undone && err.contains("Birch is Raj Mehta's now (an import moved it since)"), "{err}");
    assert_eq!((owner("Acme"), owner("Birch")), ("Ana Diaz".to_string(), "Raj Mehta".to_string()));
    // A hand-over taken back is none: the earlier one stands.
    ok(&db, &["assign", "Acme", "Raj Mehta"]);
    ok(&db, &["undo"]);
    let said = import_text(&db, &dir, "accounts", &moved);
    assert!(said.contains("1 hand-over made in tend kept"), "the earlier hand-over still stands: {said}");
    assert_eq!(owner("Acme"), "Ana Diaz");
    // An account an import moved after its hand-over is the CRM's: a file giving the CSM it was
    // handed from moves it, not "a hand-over kept" (a probe's CRM move was said as one).
    ok(&db, &["assign", "Acme", "Raj Mehta"]);
    import_text(&db, &dir, "accounts", &moved.replace("C-1,Acme,Tom Okafor", "C-1,Acme,Zoe Park"));
    assert_eq!(owner("Acme"), "Zoe Park");
    let said = import_text(&db, &dir, "accounts", &moved.replace("C-1,Acme,Tom Okafor", "C-1,Acme,Ana Diaz"));
    assert!(said.contains("moved 1 account to another CSM") && !said.contains("hand-over made in tend kept"), "{said}");
    assert_eq!(owner("Acme"), "Ana Diaz");
}

/// An old customer whose usage feed began four weeks ago and crashed in its third week: 30 days
/// back it had no score, and the fall is read from its first score since, on Triage, the report
/// and the Account view alike, said as such. It read no fall at all (ranked by its band alone)
/// until the window's start reached its first score, when "-92 in 30 days" came overnight with no
/// new data (two probes).
#[test]
fn a_fall_since_the_first_score_in_the_window_is_a_fall() {
    let (dir, db, _) = import_into_new_book(
        "External ID,Account,CSM,ARR,Customer since,Renewal date\n\
         A-1,Crashing Co,Dana,$50000,2019-03-01,2027-06-30\n\
         A-2,Steady Co,Dana,$50000,2019-03-01,2027-06-30\n",
    );
    let mut usage = String::from("Account ID,Date,Logins,Active Users\n");
    let crash = [(40, 9), (38, 9), (5, 1), (2, 1)];
    for (week, (logins, users)) in crash.iter().enumerate() {
        let day = today() - Duration::days(28) + Duration::weeks(week as i64);
        usage.push_str(&format!("A-1,{day},{logins},{users}\nA-2,{day},40,9\n"));
    }
    import_text(&db, &dir, "metrics", &usage);
    // A sentiment of 8 on each, the feed's first day: enough of the weight for a score.
    let first = (today() - Duration::days(28)).to_string();
    for name in ["Crashing Co", "Steady Co"] {
        ok(&db, &["log", "sentiment", name, "8", "--date", &first]);
    }
    let (_, reasons) = triage_reasons(&db);
    let fell = reasons("Crashing Co");
    let said = fell.split("since its first score ").nth(1).unwrap_or_else(|| panic!("no fall said: {fell}"));
    let days: i64 = said.split(' ').next().unwrap().parse().unwrap();
    assert!((8..30).contains(&days), "the first score is within the window, before its last week: {fell}");
    assert!(!reasons("Steady Co").contains("since its first score"), "{}", reasons("Steady Co"));
    let head = fell.split(" since its first score").next().unwrap();
    let fall: i64 = head.rsplit(['"', ' ', '[']).next().unwrap().parse().unwrap_or_else(|_| panic!("{fell}"));
    assert!(fall <= -10, "{fell}");
    // The Account view reads the same change, from the same day.
    let mut app = app_on(&db);
    open_by_name(&mut app, "Crashing Co");
    let screen = common::text(&app, 100, 40);
    // Once, though the 30- and the 90-day windows both begin before the first score.
    let said = format!("{fall:+} since its first score {days} days ago");
    assert_eq!(screen.matches(&said).count(), 1, "{screen}");
    // Its chart begins with its data, not months before it.
    let tall = common::text(&app, 100, 80);
    assert!(tall.contains(&format!("Score {first} to {TODAY}")), "{tall}");
    // The next days, worked out ahead or not, keep the first score, a day further back each,
    // until the window's start reaches it: the same fall, over the window, with no jump.
    for later in [1, 3] {
        let day = (today() + Duration::days(later)).to_string();
        let (fine, out, err) = common::tend_on_day(&db, &day, &["report", "triage", "--all", "--format", "json"]);
        assert!(fine, "{err}");
        let said = match days + later {
            back if back < 30 => format!("{fall:+} since its first score {back} days ago"),
            _ => format!("{fall:+} in 30 days"),
        };
        assert!(out.contains(&said), "{day}: {said}: {out}");
    }
}

/// A sheet in euros whose money column says so in its header ("MRR (€)"): a row with the cell
/// blank is an account in euros too, and an ARR given later in another currency is refused, not
/// stored as that many of the account's (a probe's "6.000 €" was recorded and said as $6,000).
#[test]
fn a_blank_amount_is_in_its_headers_currency_and_an_arr_in_another_is_refused() {
    let (_dir, db, _) = import_into_new_book(
        "Company,Owner,MRR (€),Start date\n\
         Saar GmbH,Jana,,2024-03-01\n\
         Ostsee Optik,Jana,\"1.250,00 €\",2024-03-01\n",
    );
    let accounts = csv_rows(&ok(&db, &["export", "accounts"]));
    let currency = |name: &str| accounts.iter().find(|a| a["name"] == name).unwrap()["currency"].clone();
    assert_eq!(currency("Saar GmbH"), "EUR");
    assert_eq!(currency("Ostsee Optik"), "EUR");
    let before = std::fs::read(&db).unwrap();
    let (fine, _, err) = tend_on(&db, &["renew", "Saar GmbH", "--arr", "$6,000"]);
    assert!(!fine && err.contains("\"$6,000\" is in USD, and Saar GmbH's ARR is kept in EUR"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before, "nothing was changed");
    // The screens' form refuses it as the command line does.
    {
        use ratatui::crossterm::event::KeyCode;
        let mut app = app_on(&db);
        open_by_name(&mut app, "Saar GmbH");
        common::press(&mut app, KeyCode::Char('R'));
        common::typ(&mut app, "2027-12-01");
        common::press(&mut app, KeyCode::Tab);
        common::typ(&mut app, "$6,000");
        common::press(&mut app, KeyCode::Enter);
        let screen = common::text(&app, 100, 30).split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(screen.contains("! New ARR: \"$6,000\" is in USD, and Saar GmbH's ARR is kept in"), "{screen}");
    }
    let accounts = csv_rows(&ok(&db, &["export", "accounts"]));
    let saar = accounts.iter().find(|a| a["name"] == "Saar GmbH").unwrap();
    assert_eq!((saar["arr"].as_str(), saar["renewal_date"].as_str()), ("", ""), "nothing was changed");
    let said = ok(&db, &["renew", "Saar GmbH", "--arr", "6.000 €"]);
    assert!(said.contains("€6,000"), "{said}");
    // An ARR of 0 is none on record: refused, not "€15,000 -> €0".
    let (fine, _, err) = tend_on(&db, &["renew", "Ostsee Optik", "--arr", "0"]);
    assert!(!fine && err.contains("an ARR of 0 is none on record") && err.contains("(€15,000)"), "{err}");
}

/// A brief's forecast on renewals with no score says how much of it is the no-score prior, as
/// the Renewals screen does: a founder's brief forecast "€176k" on renewals none of which had a
/// score.
#[test]
fn the_briefs_forecast_says_the_renewals_on_the_no_score_prior() {
    let (_dir, db) = imported_crm(40);
    let brief = ok(&db, &["report", "brief", "--csm", "all"]);
    let line = brief.lines().find(|l| l.contains("forecast")).unwrap_or_else(|| panic!("{brief}"));
    assert!(line.contains("(each renewal's ARR by its chance, all ") && line.contains(" unscored, at 60%)"), "{line}");
}

/// A sheet kept by hand heads its notes its own way ("Notes, comments"): they are the account's
/// notes, found by search, not an attribute search never reads.
#[test]
fn notes_under_a_header_of_the_sheets_own_are_searched() {
    let (_dir, db, said) =
        import_into_new_book("Company,\"Notes, comments\"\nSaar GmbH,\"wants a discount, asked twice\"\n");
    assert!(!said.contains("Notes, comments"), "not kept as an attribute: {said}");
    let found = ok(&db, &["search", "discount"]);
    assert!(found.contains("Saar GmbH"), "{found}");
}

/// A CRM file moving an account to another CSM moves the open tasks the CSM before owned there
/// with it, as a hand-over does, and says so; a task someone else owns stays theirs. A lead's
/// CRM move left a late task with the CSM who had left.
#[test]
fn an_import_moving_an_account_moves_its_csms_open_tasks() {
    let (dir, db, _) = import_into_new_book(
        "External ID,Account,CSM,ARR\nA-1,Maple Labs,Tom Okafor,10000\nA-2,Birch Co,Dana Whitfield,20000\n",
    );
    ok(&db, &["task", "add", "Maple Labs", "Send the QBR deck", "--due", "2026-11-20"]);
    ok(&db, &["task", "add", "Maple Labs", "Security review", "--due", "2026-11-30", "--owner", "Dana"]);
    let said = import_text(&db, &dir, "accounts", "External ID,Account,CSM,ARR\nA-1,Maple Labs,Marcus Webb,10000\n");
    assert!(
        said.contains("moved 1 account to another CSM (Maple Labs: Tom Okafor -> Marcus Webb), with 1 open task the CSM before owned there"),
        "{said}"
    );
    let tasks = csv_rows(&ok(&db, &["task", "list", "--format", "csv"]));
    let owner = |title: &str| tasks.iter().find(|t| t["task"] == title).unwrap()["owner"].clone();
    assert_eq!(owner("Send the QBR deck"), "Marcus Webb", "{tasks:?}");
    assert_eq!(owner("Security review"), "Dana Whitfield", "{tasks:?}");
}

/// A refused undo names the change standing on it by the number `tend undo --list` gives it (its
/// batch's first change), not the number of the one row of it that stands: a probe's refusal
/// named "change 67" of a hand-over listed as 66.
#[test]
fn a_refused_undo_names_the_later_change_as_the_list_numbers_it() {
    let (_dir, db, _) =
        import_into_new_book("External ID,Account,CSM\nA-1,One Co,Tom\nA-2,Two Co,Tom\nA-3,Three Co,Tom\n");
    ok(&db, &["handover", "Tom", "Dana", "--new-csm"]);
    ok(&db, &["handover", "Dana", "Eve", "--new-csm"]);
    let list = ok(&db, &["undo", "--list"]);
    let numbers: Vec<&str> =
        list.lines().skip(1).filter_map(|l| l.split_whitespace().next()).filter(|n| n.parse::<i64>().is_ok()).collect();
    let [second, first] = numbers[..] else { panic!("{list}") };
    let (fine, _, err) = tend_on(&db, &["undo", first]);
    assert!(
        !fine
            && err.contains(&format!("change {first} (handed 3 accounts from Tom to Dana"))
            && err.contains(&format!("change {second} (handed 3 accounts from Dana to Eve")),
        "{list}\n{err}"
    );
}

/// A one-on-one lists the CSM's open tasks due within the week, by account, soonest first: a
/// lead's task for Wednesday, given on Monday, was on no line of Monday's agenda (a late one is
/// overdue, said there; one due later, or another's, is not listed).
#[test]
fn a_one_on_one_lists_the_tasks_due_this_week() {
    let (_dir, db, _) = import_into_new_book(
        "External ID,Account,CSM,ARR\nA-1,Maple Labs,Elena Sokolova,10000\nA-2,Birch Co,Elena Sokolova,20000\n\
         A-3,Cedar Co,Marcus Webb,5000\n",
    );
    let day = |n: i64| (today() + Duration::days(n)).to_string();
    ok(&db, &["task", "add", "Maple Labs", "Renewal prep call", "--due", &day(2)]);
    ok(&db, &["task", "add", "Maple Labs", "Send the deck", "--due", &day(5)]);
    ok(&db, &["task", "add", "Birch Co", "Quarterly review", "--due", &day(10)]);
    ok(&db, &["task", "add", "Birch Co", "Chase the invoice", "--due", &day(-2)]);
    ok(&db, &["task", "add", "Cedar Co", "Kickoff", "--due", &day(1)]);
    let report: serde_json::Value =
        serde_json::from_str(&ok(&db, &["report", "one-on-one", "--csm", "Elena", "--format", "json"])).unwrap();
    let rows = report["rows"].as_array().unwrap();
    let due: Vec<(String, String)> = rows
        .iter()
        .filter(|r| r["section"] == "Tasks due in the next 7 days")
        .map(|r| (r["account"].as_str().unwrap().to_string(), r["what"].as_str().unwrap().to_string()))
        .collect();
    let wed = (today() + Duration::days(2)).format("%a %m-%d").to_string();
    assert_eq!(
        due,
        vec![("Maple Labs".to_string(), format!("\"Renewal prep call\" due {wed} and 1 more"))],
        "{report}"
    );
    let late = rows.iter().find(|r| r["account"] == "Birch Co").map(|r| r["what"].to_string()).unwrap_or_default();
    assert!(late.contains("Chase the invoice") && !late.contains("Quarterly review"), "{report}");
}

/// A usage feed begun weeks after the customers' start: an account in use from its first sample
/// logged in first on that day or any before it, not known which (a probe's customer of 66 days
/// read "Days to first login 72d", Orange, for 48 logins in the feed's first week); one whose
/// first sample is no use logged in first later, counted as before.
#[test]
fn the_first_use_of_a_customer_from_before_the_data_is_not_known() {
    let (dir, db, _) = import_into_new_book(
        "External ID,Account,Customer since\nA-1,Granite Robotics SA,2026-09-25\nA-2,Delta Software Ltd,2026-09-25\n\
         A-3,Old Co,2025-01-01\n",
    );
    import_text(
        &db,
        &dir,
        "metrics",
        "account,metric,date,value\nA-1,logins,2026-11-16,48\nA-2,logins,2026-11-16,0\nA-3,logins,2026-11-16,9\n\
         A-1,logins,2026-11-23,30\nA-2,logins,2026-11-23,5\nA-3,logins,2026-11-23,9\n",
    );
    let rows = csv_rows(&ok(&db, &["export", "accounts"]));
    let first_login = |id: &str| {
        let row = rows.iter().find(|r| r["external_id"] == id).unwrap();
        (row["value_days_to_first_login"].clone(), row["points_days_to_first_login"].clone())
    };
    assert_eq!(first_login("A-1"), (String::new(), String::new()), "in use from the data's first week");
    assert_eq!(first_login("A-2"), ("59".to_string(), "1".to_string()), "no use the first week: a first login since");
    // Its page says why, and asks for no data that cannot come.
    let mut app = app_on(&db);
    open_by_name(&mut app, "Granite Robotics");
    let screen = common::text(&app, 100, 50);
    let line = screen.lines().find(|l| l.starts_with("Days to first login")).unwrap_or_default();
    assert!(line.contains("data begins later"), "{screen}");
    let words = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("To get one:") && !words.contains("data for Days to first login"), "{screen}");
}

/// Days since a login its usage data holds none of are said as such, not as something to log in
/// tend (a probe read "none logged in tend yet" of logins its usage feed counts).
#[test]
fn days_since_a_use_never_made_say_the_data_holds_none() {
    let (dir, db) = imported_crm(20);
    let usage = weekly_usage(
        "Account ID,Date,Logins,Active Users",
        0..=19,
        |_| 16,
        |i, day| {
            let logins = if i == 1 { 0 } else { 40 };
            format!("CRM-{i:04},{day},{logins},9\n")
        },
    );
    import_text(&db, &dir, "metrics", &usage);
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 1");
    for (width, said) in [(100, "no use in its data yet"), (60, "no use yet")] {
        let screen = common::text(&app, width, 40);
        let login = screen.lines().find(|l| l.starts_with("Days since login")).unwrap_or_default();
        assert!(login.contains(said) && !login.contains("logged"), "{width}: {screen}");
    }
}

/// A one-on-one's currency warning counts the accounts its book line sums, the CSM's live ones,
/// and names the currency it shows (a lead's read "shown as USD", counting churned accounts, over
/// a line in euros).
#[test]
fn a_one_on_ones_currency_warning_counts_what_it_sums() {
    let (_dir, db, _) = import_into_new_book(
        "Account ID,Account Name,ARR,Currency,Customer Since,Account Owner,Status\n\
         E-1,Erste,20000,EUR,2020-01-06,Maya Patel,Active\n\
         E-2,Zweite,30000,EUR,2020-01-06,Maya Patel,Active\n\
         U-1,First,10000,USD,2020-01-06,Maya Patel,Active\n\
         U-2,Second,10000,USD,2020-01-06,Maya Patel,Churned\n\
         U-3,Third,10000,USD,2020-01-06,Maya Patel,Churned\n",
    );
    let (ok, out, err) = tend_on(&db, &["report", "one-on-one", "--csm", "Maya Patel"]);
    assert!(ok && err.contains("(2 in EUR, 1 in USD)") && err.contains("shown as EUR"), "{err}");
    assert!(out.contains("€60k ARR"), "{out}");
}

/// A change factor whose data is too new to compare says the data is new, not the customer (a
/// probe's customer since 2023 read "too new to compare").
#[test]
fn a_change_over_new_data_says_the_data_is_new() {
    let (dir, db) = imported_crm(20);
    let usage = weekly_usage(
        "Account ID,Date,Logins,Active Users",
        0..=19,
        |_| 2,
        |i, day| {
            let day = day + Duration::weeks(14);
            format!("CRM-{i:04},{day},40,9\n")
        },
    );
    import_text(&db, &dir, "metrics", &usage);
    // Company 3: a customer of years.
    let mut app = app_on(&db);
    open_by_name(&mut app, "Company 3");
    let screen = common::text(&app, 80, 40);
    let line = screen.lines().find(|l| l.starts_with("Active users change")).unwrap_or_default();
    assert!(line.contains("data too new") && !line.contains("too new to compare"), "{screen}");
}

/// Plain amounts beside amounts in euros are taken as dollars, and said so where the file has
/// several currencies (a lead's HubSpot export: "48000" beside "€48.000,00", read as 194 in USD
/// and 130 in EUR without a word of why); a file of plain amounts alone says nothing of it.
#[test]
fn amounts_that_name_no_currency_beside_others_are_said_to_be_dollars() {
    let (_dir, _db, said) = import_into_new_book(
        "Record ID,Company name,ARR\nH-1,Kramerica,\"€48.000,00\"\nH-2,Vandelay,48000\nH-3,Pendant,12000\n",
    );
    assert!(said.contains("ARR in 2 currencies (2 in USD, 1 in EUR)"), "{said}");
    assert!(said.contains("2 new accounts' ARRs name no currency, taken as USD"), "{said}");
    let (_dir, _db, plain) = import_into_new_book("Record ID,Company name,ARR\nH-1,Kramerica,48000\n");
    assert!(!plain.contains("taken as USD"), "{plain}");
}
