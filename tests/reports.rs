//! `tend report …`, `tend renew` and `tend churn` through the real binary: every format parsed
//! back, the forecast and retention arithmetic on a hand-made book, and refusals.

mod common;

use std::path::Path;

use chrono::Duration;
use common::*;
use tend::domain::Cents;
use tend::store::{NewAccount, Store};

/// Three accounts of Ana's and one of Ben's, renewing in 20, 45, 200 and 60 days, a year old.
fn book() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    store
        .write(|w| {
            let ana = w.csm_id("Ana Okafor")?;
            let ben = w.csm_id("Ben Ito")?;
            for (ext, name, csm, arr, renew) in [
                ("A1", "Acme", ana, 10_000.0, 20),
                ("A2", "Birch", ana, 20_000.0, 45),
                ("A3", "Cedar", ana, 30_000.0, 200),
                ("B1", "Delta", ben, 40_000.0, 60),
            ] {
                w.insert_account(&NewAccount {
                    csm_id: Some(csm),
                    arr: Cents::from_units(arr),
                    customer_since: Some(today() - Duration::days(400)),
                    renewal_date: Some(today() + Duration::days(renew)),
                    ..NewAccount::new(ext, name)
                })?;
            }
            Ok(())
        })
        .unwrap();
    (dir, path)
}

#[test]
fn renewals_json_parses_back_with_the_forecast() {
    let (_dir, path) = book();
    let (ok, out, err) = tend_on(&path, &["report", "renewals", "--days", "90", "--format", "json"]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["report"], "renewals");
    let names: Vec<&str> = doc["rows"].as_array().unwrap().iter().map(|r| r["account"].as_str().unwrap()).collect();
    assert_eq!(names, ["Acme", "Birch", "Delta"], "soonest first, Cedar (200 days) left out");
    // No data, so no score: each renewal weighs in at the no-score likelihood (0.6).
    assert_eq!(doc["summary"]["arr_due"], 70_000.0);
    assert_eq!(doc["summary"]["forecast"], 42_000.0);
    // None of them has a score: what is at risk is not known, not $0 (as the Renewals view says).
    assert!(doc["summary"]["arr_at_risk"].is_null(), "{doc}");
    // All three are the no-score prior, and the summary says so.
    assert_eq!(doc["summary"]["unscored"], 3);
    let (_, text, _) = tend_on(&path, &["report", "renewals", "--days", "90"]);
    assert!(text.contains("Unscored: all 3 unscored, at 60% (in the forecast at the no-score likelihood"), "{text}");
    assert!(text.contains("ARR at risk: unknown (none of them has a score)") && !text.contains("$0"), "{text}");
    assert_eq!(doc["rows"][0]["days"], 20);
    assert!(doc["rows"][0]["band"].is_null());
    // A risk logged on one: at risk without a score, and the unscored line counts it apart, so
    // that the two lines add up (a probe's "21 unscored" beside "12 at risk without a score").
    let (ok, _, err) = tend_on(&path, &["log", "risk", "Birch", "Budget cut"]);
    assert!(ok, "{err}");
    let (_, text, _) = tend_on(&path, &["report", "renewals", "--days", "90"]);
    assert!(
        text.contains("Unscored: 2 unscored at 60% (in the forecast at the no-score likelihood, not at risk); 1 more without a score is at risk"),
        "{text}"
    );
    let (_, out, _) = tend_on(&path, &["report", "renewals", "--days", "90", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["summary"]["unscored"], 3, "every renewal without a score: {doc}");
    // Every one of them said at risk: none is at the no-score likelihood, and none has a score
    // (a probe read "0 (every renewal has a score)" under two listed "low data").
    for account in ["Acme", "Delta"] {
        let (ok, _, err) = tend_on(&path, &["log", "risk", account, "Budget cut"]);
        assert!(ok, "{err}");
    }
    let (_, text, _) = tend_on(&path, &["report", "renewals", "--days", "90"]);
    assert!(
        text.contains("Unscored: 3 without a score are at risk, on a sentiment, a risk or data at 1 point of 4"),
        "{text}"
    );
    assert!(!text.contains("every renewal has a score"), "{text}");
}

#[test]
fn markdown_tables_have_their_columns() {
    let (_dir, path) = book();
    // A churn told late gives the book a record 30 days back: retention has a period to measure.
    let (ok, _, err) = tend_on(&path, &["churn", "Cedar", "--reason", "budget", "--date", "-30d"]);
    assert!(ok, "{err}");
    for (kind, first_column) in [("renewals", "account"), ("team", "csm"), ("metrics", "group"), ("triage", "rank")] {
        // Measured over a period asked for, from before the records.
        let args = match kind {
            "metrics" => vec!["report", kind, "--format", "md", "--from", "-365d"],
            _ => vec!["report", kind, "--format", "md"],
        };
        let (ok, out, err) = tend_on(&path, &args);
        assert!(ok, "{kind}: {err}");
        let lines: Vec<&str> = out.lines().filter(|l| l.starts_with('|')).collect();
        if kind == "triage" && lines.is_empty() {
            assert!(out.contains("nothing needs attention"), "{out}");
            continue;
        }
        let header: Vec<&str> = lines[0].trim_matches('|').split(" | ").map(str::trim).collect();
        assert_eq!(header[0], first_column, "{kind}: {out}");
        assert!(lines[1].contains("---"));
        for row in &lines[2..] {
            assert_eq!(row.matches(" | ").count() + 1, header.len(), "{kind}: {row}");
        }
    }
}

#[test]
fn filters_and_an_empty_result_exit_zero() {
    let (_dir, path) = book();
    let (ok, out, _) = tend_on(&path, &["report", "renewals", "--csm", "ben ito"]);
    assert!(ok);
    assert!(out.contains("Delta") && !out.contains("Acme"), "{out}");
    let (ok, out, _) = tend_on(&path, &["report", "renewals", "--days", "5"]);
    assert!(ok, "an empty result is not an error");
    assert!(out.contains("no renewals due in 5 days"), "{out}");
    let (ok, _, err) = tend_on(&path, &["report", "team", "--csm", "Nobody"]);
    assert!(!ok);
    assert!(err.contains("no CSM is called \"Nobody\""), "{err}");
    // One rule for names: the start of one in any case; a typo gets the closest; an unknown
    // segment is an error too, never an empty report.
    let (ok, out, err) = tend_on(&path, &["report", "renewals", "--csm", "ben"]);
    assert!(ok && out.contains("Delta"), "{err}");
    let (ok, _, err) = tend_on(&path, &["report", "triage", "--csm", "Ben Iot"]);
    assert!(!ok && err.contains("did you mean Ben Ito?"), "{err}");
    // Every CSM's one-on-one is the team report: said (`--csm all` read "needs --csm NAME",
    // where the advice for `--csm me` offers it).
    let (ok, _, err) = tend_on(&path, &["report", "one-on-one", "--csm", "all"]);
    assert!(!ok && err.contains("a one-on-one is one CSM's") && err.contains("tend report team"), "{err}");
    let (ok, _, err) = tend_on(&path, &["report", "triage", "--segment", "Whale"]);
    assert!(!ok && err.contains("no segment is called \"Whale\""), "{err}");
    let (ok, _, err) = tend_on(&path, &["log", "sentiment", "Acme", "7", "--by", "Ben Iot"]);
    assert!(!ok && err.contains("--by") && err.contains("did you mean Ben Ito?"), "{err}");
    let (ok, out, err) = tend_on(&path, &["log", "sentiment", "Acme", "7", "--by", "Zoe New", "--new-csm"]);
    assert!(ok, "{err}: {out}");
    let (ok, _, err) = tend_on(&path, &["report", "one-on-one"]);
    assert!(!ok && err.contains("--csm"), "{err}");
}

#[test]
fn team_report_counts_each_csm() {
    let (_dir, path) = book();
    let (ok, out, err) = tend_on(&path, &["report", "team", "--format", "json"]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = doc["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0]["csm"].as_str(), rows[0]["accounts"].as_u64()), (Some("Ana Okafor"), Some(3)));
    assert_eq!(rows[0]["arr"], 60_000.0);
    assert_eq!(rows[0]["no_score"], 3);
}

#[test]
fn renew_and_churn_feed_the_retention_figures() {
    let (_dir, path) = book();
    // Acme renews at a higher price, Birch at a lower one, Delta churns.
    let (ok, out, err) =
        tend_on(&path, &["renew", "Acme", "--until", "2027-12-01", "--arr", "$15,000", "--date", "2026-11-01"]);
    assert!(ok, "{err}");
    assert!(out.contains("Acme: renewed on 2026-11-01 until 2027-12-01, ARR $10,000 -> $15,000"), "{out}");
    assert!(tend_on(&path, &["renew", "Birch", "--until", "2027-12-01", "--arr", "16000", "--date", "2026-11-10"]).0);
    let (ok, out, err) = tend_on(&path, &["churn", "Delta", "--reason", "budget cut", "--date", "2026-11-15"]);
    assert!(ok, "{err}");
    assert!(out.contains("Delta: churned on 2026-11-15 (budget cut), $40,000 ARR lost"), "{out}");

    let (ok, out, err) =
        tend_on(&path, &["report", "metrics", "--from", "2026-01-01", "--to", "2026-11-23", "--format", "json"]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let all = &doc["rows"][0];
    // Start 100k; +5k expansion, -4k contraction, -40k churn: NRR 61%, GRR 56%, 3 of 4 logos.
    assert_eq!(all["arr_start"], 100_000.0);
    assert_eq!((all["expansion"].clone(), all["contraction"].clone()), (5_000.into(), 4_000.into()));
    assert_eq!(all["churned_arr"], 40_000.0);
    assert_eq!(all["nrr"], 61.0);
    assert_eq!(all["grr"], 56.0);
    assert_eq!(all["logo_retention"], 75.0);
    assert_eq!(all["churn_by_revenue"], 40.0);

    // Both are on the accounts' timelines.
    let (_, out, _) = tend_on(&path, &["log", "list", "Acme"]);
    assert!(out.contains("contract") && out.contains("renewed until 2027-12-01, ARR $10,000 -> $15,000"), "{out}");
    let (_, out, _) = tend_on(&path, &["log", "list", "Delta"]);
    assert!(out.contains("churned: budget cut ($40,000 ARR)"), "{out}");

    // A churned account is off the renewals list and cannot be renewed or churned again.
    let (_, out, _) = tend_on(&path, &["report", "renewals", "--days", "365"]);
    assert!(!out.contains("Delta"), "{out}");
    let (ok, _, err) = tend_on(&path, &["renew", "Delta", "--until", "2027-12-01"]);
    assert!(!ok && err.contains("churned"), "{err}");
    let store = Store::open(&path).unwrap();
    let events = store.contract_events(4).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].reason, "budget cut");
}

#[test]
fn bad_renewals_change_nothing() {
    let (_dir, path) = book();
    let before = std::fs::read(&path).unwrap();
    for (args, needle) in [
        (vec!["renew", "Acme", "--until", "2026-11-01"], "must be after"),
        (vec!["renew", "Acme", "--until", "2027-13-40"], "until"),
        (vec!["renew", "Acme", "--until", "2027-12-01", "--arr", "lots"], "arr"),
        (vec!["renew", "Nobody", "--until", "2027-12-01"], "Nobody"),
        (vec!["churn", "Acme", "--reason", "  "], "reason"),
        (vec!["churn", "Acme", "--reason", "x", "--date", "2027-01-01"], "future"),
    ] {
        let (ok, _, err) = tend_on(&path, &args);
        assert!(!ok, "{args:?} was accepted");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read(&path).unwrap(), before, "the book is byte-for-byte unchanged");
}

#[test]
fn the_default_table_is_aligned_under_its_header() {
    let (_dir, path) = book();
    let (ok, out, err) = tend_on(&path, &["report", "renewals"]);
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("Renewals overdue or in the next 90 days"), "{out}");
    let header = lines[1];
    let column = |name: &str| header.find(name).unwrap_or_else(|| panic!("no {name} in {header}"));
    let (arr_at, days_at) = (column("ARR"), column("DAYS"));
    // Every data row has its values starting under their headers.
    for row in &lines[2..5] {
        assert!(row[arr_at..].starts_with('$'), "{row}");
        assert!(row[days_at..].chars().next().unwrap().is_ascii_digit(), "{row}");
    }
    assert!(lines.iter().any(|l| l.starts_with("Forecast: $42,000")), "{out}");
}

#[test]
fn backtest_ranks_the_factor_that_told_renewals_from_churns() {
    let (dir, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    // Six accounts: the three that renewed had sentiment 8-9 a month before; the three that
    // churned had 2-3. NPS says the opposite of nothing: 7 for everyone.
    store
        .write(|w| {
            for (i, (sentiment, renewed)) in
                [(9, true), (8, true), (9, true), (2, false), (3, false), (2, false)].into_iter().enumerate()
            {
                let id = w.insert_account(&NewAccount {
                    arr: Cents::from_units(10_000.0),
                    customer_since: Some(today() - Duration::days(700)),
                    renewal_date: Some(today() + Duration::days(200)),
                    ..NewAccount::new(format!("X{i}"), format!("Account {i}"))
                })?;
                let before = today() - Duration::days(60);
                for (kind, score) in
                    [(tend::domain::entry::EntryKind::Sentiment, sentiment), (tend::domain::entry::EntryKind::Nps, 7)]
                {
                    w.insert_entry(&tend::store::NewEntry {
                        account_id: id,
                        csm_id: None,
                        kind,
                        day: before,
                        score: Some(score),
                        channel: None,
                        title: None,
                        closed_on: None,
                        note: String::new(),
                        role: None,
                    })?;
                }
                if renewed {
                    w.renew_account(
                        id,
                        today() - Duration::days(10),
                        today() + Duration::days(355),
                        Cents::from_units(10_000.0),
                    )?;
                } else {
                    w.churn_account(id, today() - Duration::days(10), "gone")?;
                }
            }
            Ok(())
        })
        .unwrap();
    drop(store);
    let (ok, out, err) = tend_on(&path, &["backtest", "--days-before", "30", "--format", "json"]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!((doc["summary"]["accounts"].as_u64(), doc["summary"]["renewed"].as_u64()), (Some(6), Some(3)));
    let rows = doc["rows"].as_array().unwrap();
    assert_eq!(rows[0]["factor"], "sentiment", "the separating factor ranks first");
    assert_eq!(rows[0]["auc"], 1.0);
    let nps = rows.iter().find(|r| r["factor"] == "nps").unwrap();
    assert_eq!(nps["auc"], 0.5);
    // Factors with no data are counted as missing, not dropped.
    let usage = rows.iter().find(|r| r["factor"] == "usage_vs_expected").unwrap();
    assert_eq!(usage["missing"], 6);
    // A handful of outcomes suggests nothing: a fit would follow noise.
    let (ok, out, err) = tend_on(&path, &["backtest", "--suggest"]);
    assert!(ok, "{err}");
    assert!(!out.contains("# Suggested by"), "{out}");
    assert!(out.contains("too few outcomes to suggest anything"), "{out}");
    drop(dir);
}

#[test]
fn an_override_shows_beside_the_computed_band_survives_reimport_and_expires() {
    let (dir, path) = book();
    let triage_band = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["report", "renewals", "--days", "365", "--format", "json"];
        all.extend_from_slice(args);
        let (ok, out, err) = tend_on(&path, &all);
        assert!(ok, "{err}");
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        doc["rows"].as_array().unwrap().iter().find(|r| r["account"] == "Acme").unwrap()["band"].clone()
    };
    assert!(triage_band(&[]).is_null(), "no data: no score, no band");
    let (ok, out, err) =
        tend_on(&path, &["override", "Acme", "red", "--reason", "champion left", "--until", "2026-12-23"]);
    assert!(ok, "{err}");
    assert!(out.contains("Acme: band set to Red until 2026-12-23 (champion left)"), "{out}");
    assert_eq!(triage_band(&[]), "red");
    let (_, out, _) = tend_on(&path, &["report", "renewals", "--days", "365", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let acme = doc["rows"].as_array().unwrap().iter().find(|r| r["account"] == "Acme").unwrap().clone();
    assert!(acme["computed_band"].is_null(), "the computed band is beside it: none, no data");
    // The export says the band in force too, the score's own beside it.
    let (_, out, _) = tend_on(&path, &["export", "accounts", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let acme = doc.as_array().unwrap().iter().find(|r| r["name"] == "Acme").unwrap().clone();
    assert_eq!((acme["band"].as_str(), acme["computed_band"].as_str()), (Some("Red"), None), "{acme}");

    // Importing the account again (a recompute of everything) leaves the override in place.
    let csv = dir.path().join("again.csv");
    std::fs::write(&csv, "external_id,name,arr\nA1,Acme,10000\n").unwrap();
    let (ok, _, err) = tend_on(&path, &["import", "accounts", "--no-journeys", csv.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert_eq!(triage_band(&[]), "red");
    // It is on the timeline, and it expires by itself on its day.
    let (_, out, _) = tend_on(&path, &["log", "list", "Acme"]);
    assert!(out.contains("override") && out.contains("band set to Red (until 2026-12-23): champion left"), "{out}");
    assert_eq!(triage_band(&["--as-of", "2026-12-22"]), "red");
    assert!(triage_band(&["--as-of", "2026-12-23"]).is_null());

    // Clearing ends it today; clearing again is refused.
    assert!(tend_on(&path, &["override", "Acme", "clear"]).0);
    assert!(triage_band(&[]).is_null());
    let (ok, _, err) = tend_on(&path, &["override", "Acme", "clear"]);
    assert!(!ok && err.contains("no band override in force"), "{err}");
}

#[test]
fn bad_overrides_change_nothing() {
    let (_dir, path) = book();
    let before = std::fs::read(&path).unwrap();
    for (args, needle) in [
        (vec!["override", "Acme", "red", "--until", "2026-12-01"], "reason"),
        (vec!["override", "Acme", "red", "--reason", "x", "--until", "2026-11-01"], "after today"),
        (vec!["override", "Acme", "red", "--reason", "x", "--until", "2030-01-01"], "366 days"),
        (vec!["override", "Acme", "purple", "--reason", "x"], "band"),
    ] {
        let (ok, _, err) = tend_on(&path, &args);
        assert!(!ok, "{args:?} was accepted");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn stale_sentiment_is_a_triage_reason_and_counts_still() {
    let (dir, path) = book();
    // Sentiment is this book's only data: let it make a score (15% of the weight).
    std::fs::create_dir_all(dir.path().join("config/tend")).unwrap();
    std::fs::write(dir.path().join("config/tend/config.toml"), "[health]\nmin_coverage = 0.1\n").unwrap();
    let (ok, _, err) = tend_on(&path, &["log", "sentiment", "Cedar", "9", "--date", "2026-09-01"]);
    assert!(ok, "{err}");
    let (ok, out, err) = tend_on(&path, &["report", "triage", "--format", "json"]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let cedar = doc["rows"].as_array().unwrap().iter().find(|r| r["account"] == "Cedar").expect("Cedar listed");
    let reasons: Vec<&str> = cedar["reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
    assert!(reasons.contains(&"stale: CSM sentiment — 83 days old"), "{reasons:?}");
    // 83 days old, but it still scores: 9/10 is Green.
    assert_eq!(cedar["band"], "green");
    // A fresh rating clears the reason.
    assert!(tend_on(&path, &["log", "sentiment", "Cedar", "8"]).0);
    let (_, out, _) = tend_on(&path, &["report", "triage", "--format", "json"]);
    assert!(!out.contains("stale: CSM sentiment"), "{out}");
}

#[test]
fn a_churn_dataset_imports_with_its_outcomes_for_backtesting() {
    let (dir, path) = temp_db();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/churn_dataset.csv");
    let (ok, out, err) = tend_on(&path, &["import", "accounts", "--no-journeys", fixture.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("3 new"), "{out}");
    let store = Store::open(&path).unwrap();
    let outcomes = store.outcomes().unwrap();
    let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    // Attrited -> churned on its outcome date; Renewed -> a renewal on its date; Existing -> none.
    assert_eq!(outcomes, vec![(2, false, day("2026-06-30")), (3, true, day("2026-03-01"))]);
    let accounts = store.all_accounts().unwrap();
    assert_eq!(accounts[0].name, "768805383", "named by its id when the file has no names");
    assert_eq!(accounts[1].status, tend::domain::AccountStatus::Churned);
    drop(store);
    // Importing it again records nothing twice.
    assert!(tend_on(&path, &["import", "accounts", "--no-journeys", fixture.to_str().unwrap()]).0);
    assert_eq!(Store::open(&path).unwrap().contract_events(3).unwrap().len(), 1);
    // The back-test runs on it (no dated facts yet: every factor is counted missing).
    let (ok, out, err) = tend_on(&path, &["backtest", "--format", "json"]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["summary"]["accounts"], 2);
    assert_eq!(doc["rows"][0]["missing"], 2);
    drop(dir);
}

/// Twenty accounts renewing within the triage window without a score: each is a reason.
#[test]
fn triage_report_lists_a_mornings_worth_and_all_on_request() {
    let (_dir, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    store
        .write(|w| {
            for n in 0..20 {
                w.insert_account(&NewAccount {
                    arr: Cents::from_units(1_000.0 * f64::from(n + 1)),
                    customer_since: Some(today() - Duration::days(400)),
                    // One day for all: their reasons weigh alike, and their ARR ranks them.
                    renewal_date: Some(today() + Duration::days(20)),
                    ..NewAccount::new(format!("R{n}"), format!("Renewing {n}"))
                })?;
            }
            Ok(())
        })
        .unwrap();
    drop(store);
    let limit = tend::config::Config::default().triage.daily_limit;
    let json = |args: &[&str]| -> serde_json::Value {
        let (ok, out, err) = tend_on(&path, &[&["report", "triage", "--format", "json"], args].concat());
        assert!(ok, "{err}");
        serde_json::from_str(&out).unwrap()
    };
    let doc = json(&[]);
    assert_eq!(doc["rows"].as_array().unwrap().len(), limit);
    assert_eq!(doc["summary"]["need_you"], 20);
    assert_eq!(doc["summary"]["listed"], limit);
    assert_eq!(doc["summary"]["not_listed"], 20 - limit);
    // Most need first: the largest ARR of equal reasons leads.
    assert_eq!(doc["rows"][0]["account"], "Renewing 19");
    let all = json(&["--all"]);
    assert_eq!(all["rows"].as_array().unwrap().len(), 20);
    assert_eq!(all["summary"]["not_listed"], 0);
    assert_eq!(all["rows"][19]["rank"], 20);
    let (_, table, _) = tend_on(&path, &["report", "triage"]);
    assert!(table.contains(&format!("Not listed: {} (--all lists them)", 20 - limit)), "{table}");
}

/// A CRM export with outcomes and one column that tells them apart, configured the wrong way:
/// the back-test warns, and `--suggest` flips it, through the real binary.
#[test]
fn suggest_flips_a_factor_configured_the_wrong_way_on_an_imported_file() {
    let (dir, path) = temp_db();
    let mut csv = String::from("External ID,Account,ARR,Customer since,Status,Outcome date,Seats used\n");
    for i in 0..240u32 {
        // Renewal grows with the seats in use, with noise: a third of each band goes the other way.
        let seats = i % 40;
        let renewed = (seats >= 20) != (i % 3 == 0);
        let status = if renewed { "Renewed" } else { "Churned" };
        csv.push_str(&format!("C{i},\"Client {i}, Inc\",{},2022-03-01,{status},2026-09-30,{seats}\n", 1000 + i * 10));
    }
    let file = dir.path().join("crm.csv");
    std::fs::write(&file, csv).unwrap();
    let config = dir.path().join("tend.toml");
    let mut toml = String::from(
        "[health.factors.seats]\nlabel = \"Seats used\"\nsource = \"field:seats_used\"\ntransform = \"latest\"\n\
         weight = 3\nbetter = \"lower\"\nthresholds = [5, 10, 20]\n",
    );
    toml.push_str(&weights_zero_but(&[], false));
    std::fs::write(&config, toml).unwrap();
    let cfg = config.to_str().unwrap();
    let (ok, _, err) =
        tend_on(&path, &["--config", cfg, "import", "accounts", "--no-journeys", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    let (ok, out, err) = tend_on(&path, &["--config", cfg, "backtest", "--suggest", "--format", "json"]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let warnings = doc["summary"]["warnings"].as_array().unwrap();
    assert!(warnings.iter().any(|w| w.as_str().unwrap().contains("Seats used points the wrong way")), "{warnings:?}");
    // Over a handful of outcomes with a value, no factor is said to point the wrong way (a
    // probe's "AUC 0.00" stood on 3 accounts).
    let few_db = dir.path().join("few.db");
    let few_file = dir.path().join("few.csv");
    // Six renewals with many seats, six churns with few: "lower" is the wrong way, AUC 0.00.
    let mut few = String::from("External ID,Account,ARR,Customer since,Status,Outcome date,Seats used\n");
    for i in 0..12u32 {
        let (status, seats) = if i % 2 == 0 { ("Renewed", 30 + i) } else { ("Churned", i) };
        few.push_str(&format!("F{i},Few {i},1000,2022-03-01,{status},2026-09-30,{seats}\n"));
    }
    std::fs::write(&few_file, few).unwrap();
    let (ok, _, err) =
        tend_on(&few_db, &["--config", cfg, "import", "accounts", "--no-journeys", few_file.to_str().unwrap()]);
    assert!(ok, "{err}");
    let (ok, out, err) = tend_on(&few_db, &["--config", cfg, "backtest", "--format", "json"]);
    assert!(ok, "{err}");
    let few_doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let few_warnings = few_doc["summary"]["warnings"].as_array().cloned().unwrap_or_default();
    assert!(!few_warnings.iter().any(|w| w.as_str().unwrap_or("").contains("wrong way")), "{few_warnings:?}");
    // The table marks an AUC over so few with "~" on its row, and says what the marks mean.
    let (ok, table, err) = tend_on(&few_db, &["--config", cfg, "backtest"]);
    assert!(ok, "{err}");
    let seats_row = table.lines().find(|l| l.starts_with("Seats")).unwrap_or_else(|| panic!("{table}"));
    assert!(seats_row.split_whitespace().any(|w| w.starts_with("~0.") || w == "~1.00"), "{seats_row}");
    assert!(
        table.contains(
            "~ before an AUC: fewer than 30 outcomes with a value, or fewer than 20 renewals or 20 churns among them \
             (1 factor), too few to tell"
        ),
        "{table}"
    );
    assert!(table.contains("POINTS: the share that renewed of the accounts at 1, 2, 3 and 4 points"), "{table}");
    let suggestion = &doc["summary"]["suggestion"];
    let seats = suggestion["factors"].as_array().unwrap().iter().find(|f| f["factor"] == "seats").unwrap();
    assert_eq!(seats["suggested"]["better"], "higher", "{seats}");
    let auc = |which: &str| suggestion["held_out_auc"][which]["mean"].as_f64().unwrap();
    assert!(auc("suggested") > auc("current") + 0.2, "{suggestion}");
    assert!(auc("logistic_ceiling") - auc("suggested") < 0.05, "{suggestion}");
    // The table says it in words, and the snippet is valid config.
    let (ok, out, _) = tend_on(&path, &["--config", cfg, "backtest", "--suggest"]);
    assert!(ok);
    assert!(out.contains("FLIP to higher"), "{out}");
    let snippet: toml::Table = out[out.find("# Suggested by").unwrap()..].parse().unwrap();
    assert_eq!(snippet["health"]["factors"]["seats"]["better"].as_str(), Some("higher"));
}

/// `-o FILE` writes the report a shell would have printed, whole; it never writes over the book.
#[test]
fn a_report_is_written_to_a_file_with_o() {
    let book = CrmBook::new(40);
    let printed = book.run(&["report", "renewals", "--format", "csv"]);
    let file = book.dir.path().join("renewals.csv");
    let said = book.run(&["report", "renewals", "--format", "csv", "-o", file.to_str().unwrap()]);
    assert!(said.is_empty(), "nothing printed: {said}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), printed);
    let triage = book.dir.path().join("triage.json");
    book.run(&["report", "triage", "--format", "json", "-o", triage.to_str().unwrap()]);
    let written: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&triage).unwrap()).unwrap();
    let printed: serde_json::Value =
        serde_json::from_str(&book.run(&["report", "triage", "--format", "json"])).unwrap();
    assert_eq!(written, printed);
    let err = book.refused(&["report", "triage", "-o", book.path.to_str().unwrap()]);
    assert!(err.contains("that is the book"), "{err}");
}

/// Renewals with no ARR on record (a CRM's blank) are counted beside the sums, and one at risk
/// is said to be, rather than "at risk $0": on an imported CRM book where the CSM holds CRM-0010
/// (no ARR, renewing within the year) Red and CRM-0002 (an ARR) Green.
#[test]
fn renewals_with_no_arr_are_counted_beside_the_sums() {
    let (_dir, db) = imported_crm(40);
    for (account, band) in [("CRM-0010", "red"), ("CRM-0002", "green")] {
        let (ok, _, err) = tend_on(&db, &["override", account, band, "--by", "Liam Chen", "--reason", "call"]);
        assert!(ok, "{err}");
    }
    let run = |format: &str| {
        let (ok, out, err) = tend_on(&db, &["report", "renewals", "--days", "365", "--format", format]);
        assert!(ok, "{err}");
        out
    };
    let doc: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let rows = doc["rows"].as_array().unwrap();
    let blank = rows.iter().find(|r| r["account"] == "Company 10").expect("CRM-0010 renews within the year");
    assert_eq!((blank["band"].as_str(), &blank["arr"]), (Some("red"), &serde_json::Value::Null), "{blank}");
    let without = rows.iter().filter(|r| r["arr"].is_null()).count();
    assert!(without >= 2, "{without}");
    assert_eq!(doc["summary"]["without_arr"], without);
    assert_eq!(doc["summary"]["at_risk_without_arr"], 1);
    let text = run("table");
    assert!(text.contains(&format!("({without} with no ARR)")), "{text}");
    assert!(text.contains("+ 1 with no ARR"), "{text}");
}

/// A report's table shows an account's ARR in whole units, whatever its cents ("$68,529.50" stood
/// out of a column of whole amounts); JSON and CSV keep the amount as it is.
#[test]
fn a_tables_arr_is_whole_and_json_keeps_the_cents() {
    let book = CrmBook::new(5);
    // Renewing within the month: on the day's list.
    let renewal = today() + Duration::days(10);
    let file =
        book.file("cents.csv", &format!("External ID,Account,ARR,Renewal date\nC-1,Cents Co,68529.50,{renewal}\n"));
    book.run(&["import", "accounts", &file]);
    let table = book.run(&["report", "triage", "--all"]);
    let line = table.lines().find(|l| l.contains("Cents Co")).unwrap_or_else(|| panic!("{table}"));
    assert!(line.contains("$68,530") && !line.contains(".50"), "{line}");
    let csv = book.run(&["report", "triage", "--all", "--format", "csv"]);
    let line = csv.lines().find(|l| l.contains("Cents Co")).unwrap_or_else(|| panic!("{csv}"));
    assert!(line.contains("68529.5"), "{line}");
}

/// A report on data two of its exports behind says so on stderr, as the screens' status line
/// does; the report itself, on stdout, is unchanged.
#[test]
fn a_report_on_overdue_data_says_so_on_stderr() {
    let book = CrmBook::new(8);
    let usage = book.file("usage.csv", &weekly_usage(&["CRM-0001", "CRM-0002", "CRM-0003"]));
    book.run(&["import", "metrics", &usage]);
    let day = |days: i64| (today() + Duration::days(days)).to_string();
    let (ok, out, err) = tend_on(&book.path, &["--as-of", &day(7), "report", "triage", "--format", "json"]);
    assert!(ok && !err.contains("overdue"), "{err}");
    serde_json::from_str::<serde_json::Value>(&out).unwrap();
    let (ok, out, err) = tend_on(&book.path, &["--as-of", &day(15), "report", "triage", "--format", "json"]);
    assert!(ok, "{err}");
    assert!(
        err.contains(&format!("the usage data ends on {}, 15 days before", today())) && err.contains("overdue"),
        "{err}"
    );
    serde_json::from_str::<serde_json::Value>(&out).unwrap();
}

/// An account nobody owns is said to be one on Triage ("no CSM"), and only such an account: a
/// probe's $77k account renewing in 20 days had no CSM, and its only reason was a stale sentiment.
#[test]
fn an_account_nobody_owns_is_a_triage_reason() {
    let book = common::CrmBook::new(20);
    let doc: serde_json::Value =
        serde_json::from_str(&book.run(&["report", "triage", "--all", "--format", "json"])).unwrap();
    let rows = doc["rows"].as_array().unwrap();
    let says = |r: &serde_json::Value| r["reasons"].as_array().unwrap().iter().any(|x| x == "no CSM");
    let unowned: Vec<&serde_json::Value> =
        rows.iter().filter(|r| r["csm"].as_str().is_none_or(str::is_empty)).collect();
    assert!(!unowned.is_empty(), "the CRM file leaves some accounts without a CSM");
    assert!(unowned.iter().all(|r| says(r)), "{unowned:?}");
    assert!(rows.iter().filter(|r| !r["csm"].as_str().is_none_or(str::is_empty)).all(|r| !says(r)));
}

/// `--csm me` without a `me` says how to name the CSM, and offers `--csm all` only where the
/// report takes it (a one-on-one refused the `--csm all` its own error had offered).
#[test]
fn csm_me_without_a_me_offers_only_what_the_report_takes() {
    let book = common::CrmBook::new(10);
    let (ok, _, err) = tend_on(&book.path, &["report", "one-on-one", "--csm", "me"]);
    assert!(!ok && err.contains("--csm me: no CSM is you here") && !err.contains("--csm all"), "{err}");
    let (ok, _, err) = tend_on(&book.path, &["report", "team", "--csm", "me"]);
    assert!(!ok && err.contains("or --csm all"), "{err}");
}

/// `tend report brief` on an imported CRM book (old and new customers, renewals past and future,
/// blanks), sentiment on half of it: its figures are the other reports' (customers, bands adding
/// up to them, renewals due, the count and first of today's Triage), and its Markdown is prose a
/// chat shows, no table. A probe's first CS hire found only 13-column tables to paste.
#[test]
fn the_brief_agrees_with_the_other_reports() {
    let (_dir, db) = imported_crm(120);
    let (config_file, _) = with_sentiment(&db, 0..30, |i| vec![(40 + i % 5, 8), (3, 2 + i % 8)]);
    let config = config_file.to_str().unwrap().to_string();
    let run = |args: &[&str]| {
        let mut args = args.to_vec();
        args.extend(["--config", &config]);
        let (ok, out, err) = tend_on(&db, &args);
        assert!(ok, "{args:?}: {err}");
        out
    };
    let json = |args: &[&str]| -> serde_json::Value { serde_json::from_str(&run(args)).unwrap() };
    let brief = json(&["report", "brief", "--format", "json"]);
    let summary = &brief["summary"];
    let accounts = run(&["export", "accounts", "--format", "csv"]);
    let customers = accounts.lines().skip(1).filter(|l| !l.contains(",churned,")).count();
    assert_eq!(summary["book"]["customers"].as_u64(), Some(customers as u64), "{summary}");
    let banded: u64 = ["green", "yellow", "orange", "red", "low_data", "no_score"]
        .iter()
        .map(|b| summary["health"][b]["accounts"].as_u64().unwrap())
        .sum();
    assert_eq!(banded, customers as u64, "{summary}");
    assert!(summary["health"]["no_score"]["accounts"].as_u64() < Some(customers as u64), "some are scored");
    let renewals = json(&["report", "renewals", "--days", "90", "--format", "json"]);
    assert_eq!(summary["renewals_90d"]["accounts"], renewals["summary"]["renewals"], "{summary}");
    // Overdue as the renewals report lists them: a date long past is in no sum, and not overdue
    // (the brief read 28 of 34 overdue where the report listed 14).
    let listed = renewals["rows"].as_array().unwrap();
    let overdue = listed.iter().filter(|r| r["days"].as_i64() < Some(0) && r["long_past"] == false).count();
    assert!(listed.iter().any(|r| r["long_past"] == true), "the book has renewals long past");
    assert_eq!(summary["renewals_90d"]["overdue"].as_u64(), Some(overdue as u64), "{summary}");
    let triage = json(&["report", "triage", "--all", "--format", "json"]);
    assert_eq!(summary["need_attention"], triage["summary"]["need_you"], "{summary}");
    let first = brief["rows"].as_array().unwrap();
    assert_eq!(first.len(), 5);
    assert_eq!(first[0]["account"], triage["rows"][0]["account"]);
    assert_eq!(first[4]["account"], triage["rows"][4]["account"]);
    let md = run(&["report", "brief", "--format", "md"]);
    assert!(md.starts_with("## Book brief as of ") && md.contains("\n- **Book:** "), "{md}");
    assert!(!md.lines().any(|l| l.starts_with('|')), "no table: {md}");
    assert!(md.contains("\n  1. **") && md.contains("\n  5. **"), "{md}");
    let table = run(&["report", "brief"]);
    assert!(table.starts_with("Book brief as of ") && table.contains("\nNeed attention today: "), "{table}");
    assert!(table.contains("\nLast 7 days: no churn, renewal or return recorded"), "{table}");
    // The forecast is weighed by each renewal's chance; the ARR at risk is of the ARR due, whole.
    let renewals = table.lines().find(|l| l.contains(" ARR") && l.contains("forecast")).unwrap_or_default();
    assert!(renewals.contains(": forecast $") && renewals.contains(" (each renewal's ARR by its chance"), "{table}");
    assert!(!renewals.contains("at risk (") || renewals.contains(" of that ARR at risk ("), "{renewals}");
    // The week's churn is the Monday's news, with its ARR (CRM-0002's $5,026).
    run(&["churn", "CRM-0002", "--reason", "Budget cut"]);
    let table = run(&["report", "brief"]);
    assert!(table.contains("\nLast 7 days: 1 account churned ($5.03k ARR)"), "{table}");
    assert_eq!(json(&["report", "brief", "--format", "json"])["summary"]["last_7_days"]["churned"]["accounts"], 1);
    // A band set by hand is said so, beside the score's own ("Yellow 47" read as a bug).
    let scored = first.iter().find(|r| r["band"].as_str().is_some_and(|b| b != "Red")).expect("a scored item");
    let name = scored["account"].as_str().unwrap();
    run(&["override", name, "red", "--reason", "Champion left"]);
    let table = run(&["report", "brief"]);
    let line = table.lines().find(|l| l.contains(name)).unwrap_or_else(|| panic!("{name}: {table}"));
    assert!(line.contains("Red by hand (") && line.contains(" by its score)"), "{line}");
    // One customer is one, and a book's ARR not on record is said so, not "$0".
    let one = run(&["report", "brief", "--csm", "Maya Patel", "--segment", "Unsegmented"]);
    assert!(!one.contains("1 customers") && !one.contains("($0)") && !one.contains("1 accounts"), "{one}");
}

/// A book imported today, a churn and a renewal recorded the same day: retention has no period
/// yet, and says what was recorded all the same (a probe's "no retention yet" said nothing of the
/// day's two churns and four renewals).
#[test]
fn retention_before_its_period_says_what_was_recorded() {
    let (_dir, db) = imported_crm(10);
    for args in [&["churn", "CRM-0002", "--reason", "Budget cut"][..], &["renew", "CRM-0006"]] {
        let (ok, _, err) = tend_on(&db, args);
        assert!(ok, "{args:?}: {err}");
    }
    let (ok, out, err) = tend_on(&db, &["report", "metrics"]);
    assert!(ok, "{err}");
    assert!(out.contains("no retention yet: the book's records start"), "{out}");
    assert!(out.contains("so far: 1 account churned ($5,026 ARR), 1 account renewed ($16,006 ARR)"), "{out}");
}

/// A goal still open past its target day is a Triage reason (a probe's back-dated "Go live" read
/// on track a week after its day, with nothing said); achieved, it is none.
#[test]
fn a_goal_open_past_its_target_day_is_a_triage_reason() {
    let b = CrmBook::new(10);
    b.run(&["goal", "add", "CRM-0004", "Go live", "--target", "2026-11-30"]);
    let reasons = |day: &str| -> Vec<String> {
        let doc: serde_json::Value =
            serde_json::from_str(&b.run(&["report", "triage", "--all", "--format", "json", "--as-of", day])).unwrap();
        doc["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["account"] == "Company 4")
            .flat_map(|r| r["reasons"].as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()))
            .collect()
    };
    assert!(!reasons("2026-11-30").iter().any(|r| r.contains("goal")), "on its day it is not past");
    let later = reasons("2026-12-02");
    assert!(later.iter().any(|r| r == "1 goal open past its target day"), "{later:?}");
    let listed = b.run(&["goal", "list", "CRM-0004", "--format", "json", "--as-of", "2026-12-02"]);
    assert!(listed.contains("\"past_target\": \"2d past\""), "{listed}");
    b.run(&["goal", "status", "Go live", "achieved", "--as-of", "2026-12-02"]);
    assert!(!reasons("2026-12-02").iter().any(|r| r.contains("goal")), "achieved");
}

/// A one-on-one says how many of the CSM's accounts have nothing logged yet: no touch is counted
/// as missed on them, so a CSM who logs little got the fewest "no touch" reasons of all, and no
/// line said so (two probes' leads). A survey answer is the customer's and tracks nothing.
#[test]
fn a_one_on_one_says_the_accounts_with_nothing_logged() {
    let (_dir, path) = book();
    let untracked = |path: &std::path::Path| {
        let (ok, out, err) = tend_on(path, &["report", "one-on-one", "--csm", "Ana Okafor", "--format", "json"]);
        assert!(ok, "{err}");
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        doc["summary"]["not_tracked"].clone()
    };
    assert_eq!(
        untracked(&path),
        "no touch, sentiment or bug logged yet on all 3 accounts ($60k ARR: Cedar $30k, Birch $20k, Acme $10k): none \
         of them counts as a missed touch until one is"
    );
    for (kind, account, value) in [("touch", "Cedar", "call"), ("nps", "Birch", "9")] {
        let (ok, _, err) = tend_on(&path, &["log", kind, account, value]);
        assert!(ok, "{err}");
    }
    assert_eq!(
        untracked(&path),
        "no touch, sentiment or bug logged yet on 2 of 3 accounts ($30k ARR: Birch $20k, Acme $10k): none of them \
         counts as a missed touch until one is"
    );
    for account in ["Acme", "Birch"] {
        let (ok, _, err) = tend_on(&path, &["log", "sentiment", account, "7"]);
        assert!(ok, "{err}");
    }
    assert_eq!(untracked(&path), serde_json::Value::Null);
}

/// The brief's falls are Triage's: a fall within the last 7 days alone is said beside the 30
/// days' (a lead's brief said "no account fell" beside a Triage whose second item was "-14 in 7
/// days").
#[test]
fn the_brief_says_the_falls_of_the_last_week_too() {
    let (_dir, db) = imported_crm(20);
    // CRM-0001 rose from 5 to 9 in the month and fell back: a fall of the last 7 days alone.
    // CRM-0002's 9 is 40 days old: a fall over 30 days.
    let (config_file, _) =
        with_sentiment(&db, 1..=2, |i| if i == 1 { vec![(40, 5), (10, 9), (1, 4)] } else { vec![(40, 9), (1, 2)] });
    let config = config_file.to_str().unwrap();
    let (ok, out, err) = tend_on(&db, &["report", "brief", "--format", "json", "--config", config]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let fell = &doc["summary"]["fell_30d"];
    assert_eq!((fell["accounts"].as_u64(), fell["in_7_days_only"].as_u64()), (Some(1), Some(1)), "{fell}");
    let (ok, table, err) = tend_on(&db, &["report", "brief", "--config", config]);
    assert!(ok, "{err}");
    let line = table.lines().find(|l| l.starts_with("Fell in 30 days: ")).unwrap_or_default();
    assert!(
        line.contains("1 account fell 10 points or more") && line.contains("; 1 more in the last 7 days ("),
        "{table}"
    );
}

/// A preview knows no outcome of the days to come: retention is measured to this machine's
/// today, said (a lead's preview read "NRR 100% · GRR 100%" of a week that had not happened).
#[test]
fn a_previews_retention_runs_to_today() {
    let (_dir, db) = imported_crm(10);
    let today = chrono::Local::now().date_naive();
    let ahead = today + Duration::days(7);
    let (ok, out, err) = tend_on(&db, &["--as-of", &ahead.to_string(), "report", "metrics"]);
    assert!(ok, "{err}");
    assert!(out.contains(&format!(" to {today} (to date: the period asked runs to {ahead})")), "{out}");
}

/// A renewal that went by while the book had the account stays overdue past 90 days, on Triage
/// and in the sums, until it is recorded; a date already long past when the book got it is listed
/// apart. (Seen on a later day, a preview: the accounts' stamps are this machine's clock.)
#[test]
fn a_renewal_the_book_saw_go_by_stays_overdue_past_90_days() {
    let (_dir, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    store
        .write(|w| {
            let ana = w.csm_id("Ana Okafor")?;
            for (ext, name, renew) in [("L1", "Lapsed Ltd", 365), ("S1", "Stale Co", -400)] {
                w.insert_account(&NewAccount {
                    csm_id: Some(ana),
                    arr: Cents::from_units(250_000.0),
                    customer_since: Some(today() - Duration::days(800)),
                    renewal_date: Some(today() + Duration::days(renew)),
                    ..NewAccount::new(ext, name)
                })?;
            }
            Ok(())
        })
        .unwrap();
    drop(store);
    let later = (today() + Duration::days(365 + 120)).to_string();
    let (ok, out, err) = tend_on_day(&path, &later, &["report", "renewals", "--format", "json"]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = doc["rows"].as_array().unwrap();
    let long_past = |name: &str| rows.iter().find(|r| r["account"] == name).map(|r| r["long_past"].clone());
    assert_eq!(long_past("Lapsed Ltd"), Some(serde_json::json!(false)), "{doc}");
    assert_eq!(long_past("Stale Co"), Some(serde_json::json!(true)), "{doc}");
    assert_eq!(doc["summary"]["arr_due"], 250_000.0, "{doc}");
    let (ok, out, err) = tend_on_day(&path, &later, &["report", "triage"]);
    assert!(ok, "{err}");
    assert!(out.contains("Lapsed Ltd") && out.contains("renewal 120 days overdue"), "{out}");
    assert!(!out.contains("Stale Co"), "{out}");
}

/// A churn recorded this week for a day weeks before is this week's news in the brief; one
/// recorded this week for a day long before is not.
#[test]
fn a_churn_recorded_this_week_for_an_earlier_day_is_the_weeks_news() {
    let (_dir, path) = book();
    let (ok, _, err) = tend_on(&path, &["churn", "Acme", "--reason", "budget", "--date", "2026-10-15"]);
    assert!(ok, "{err}");
    // Recorded on the day before today (the stamp is this machine's clock: set as it would be).
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE contract_events SET logged_at = '2026-11-22T09:00:00Z'", []).unwrap();
    drop(conn);
    let (ok, out, err) = tend_on(&path, &["report", "brief"]);
    assert!(ok, "{err}");
    assert!(out.contains("Last 7 days: 1 account churned ($10k ARR)"), "{out}");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE contract_events SET day = '2026-06-01'", []).unwrap();
    drop(conn);
    let (_, out, _) = tend_on(&path, &["report", "brief"]);
    assert!(out.contains("no churn, renewal or return recorded"), "{out}");
}
