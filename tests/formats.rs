//! Typed output: every list command in every format, on an imported CRM-shaped book (old and new
//! customers, missing ARR and renewal dates, names with commas). The JSON field names and types are
//! held by a snapshot: a change to them is a change to what scripts read, and shows in review.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::process::{Command, Stdio};

use common::{crm_file, temp_db, tend_on};
use serde_json::Value;

/// An imported book with a little logged on it.
fn book() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, db) = common::imported_crm(40);
    for args in [
        &["log", "sentiment", "CRM-0001", "7", "--note", "Happy, mostly"][..],
        &["log", "touch", "CRM-0001", "call", "--date", "-3d"],
        &["log", "risk", "CRM-0001", "Champion leaving", "--date", "yesterday"],
        &["goal", "add", "CRM-0001", "Cut onboarding to 2 weeks", "--target", "+3m"],
        &["milestone", "add", "CRM-0001", "adoption", "Second team live", "--due", "+2w"],
        &["task", "add", "CRM-0001", "Send the deck, then call", "--due", "fri"],
        &["contact", "add", "CRM-0001", "Ana Ruiz", "--role", "champion", "--email", "ana@example.com"],
        // A churn told late: the book's retention is measured from it.
        &["churn", "CRM-0005", "--reason", "budget", "--date", "-60d"],
    ] {
        let (ok, _, err) = tend_on(&db, args);
        assert!(ok, "{args:?}: {err}");
    }
    (dir, db)
}

const LISTS: &[&[&str]] = &[
    &["export", "accounts"],
    &["export", "logs"],
    &["export", "goals"],
    &["export", "milestones"],
    &["log", "list", "CRM-0001"],
    &["goal", "list"],
    &["milestone", "list", "CRM-0001"],
    &["export", "tasks"],
    &["export", "contacts"],
    &["task", "list"],
    &["contact", "list"],
];

const REPORTS: &[&[&str]] = &[
    &["report", "triage", "--all"],
    &["report", "renewals", "--days", "365"],
    &["report", "team"],
    &["report", "metrics"],
    &["report", "one-on-one", "--csm", "Ben", "--all"],
    &["search", "company"],
];

fn run(db: &std::path::Path, args: &[&str], format: &str) -> String {
    let mut all = args.to_vec();
    all.extend(["--format", format]);
    let (ok, out, err) = tend_on(db, &all);
    assert!(ok, "{all:?}: {err}");
    out
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Each field of the rows with every type it takes ("number|null"), in the rows' field order.
fn schema(rows: &[Value]) -> String {
    let mut order: Vec<String> = Vec::new();
    let mut types: BTreeMap<String, std::collections::BTreeSet<&'static str>> = BTreeMap::new();
    for r in rows {
        for (k, v) in r.as_object().unwrap() {
            if !order.contains(k) {
                order.push(k.clone());
            }
            types.entry(k.clone()).or_default().insert(type_name(v));
        }
    }
    order
        .iter()
        .map(|k| format!("  {k}: {}", types[k].iter().copied().collect::<Vec<_>>().join("|")))
        .collect::<Vec<_>>()
        .join("\n")
}

fn csv_of(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r.records().map(|x| x.unwrap().iter().map(str::to_string).collect()).collect();
    (header, rows)
}

#[test]
fn every_list_in_every_format_carries_the_same_rows_and_fields() {
    let (_dir, db) = book();
    let mut documented = String::new();
    for args in LISTS.iter().chain(REPORTS) {
        let is_report = REPORTS.contains(args);
        let json: Value = serde_json::from_str(&run(&db, args, "json")).unwrap();
        let rows = if is_report { json["rows"].as_array().unwrap().clone() } else { json.as_array().unwrap().clone() };
        assert!(!rows.is_empty(), "{args:?} lists something on this book");
        let keys: Vec<String> = rows[0].as_object().unwrap().keys().cloned().collect();
        documented.push_str(&format!("{}\n{}\n", args.join(" "), schema(&rows)));

        // CSV: the same fields as a header, one line per row; a null is an empty cell, a number
        // the same number.
        let (header, lines) = csv_of(&run(&db, args, "csv"));
        assert_eq!(header, keys, "{args:?}");
        assert_eq!(lines.len(), rows.len(), "{args:?}");
        for (line, row) in lines.iter().zip(&rows) {
            for (cell, key) in line.iter().zip(&keys) {
                match &row[key] {
                    Value::Null => assert_eq!(cell, "", "{args:?} {key}"),
                    Value::Number(n) => assert_eq!(cell.parse::<f64>().ok(), n.as_f64(), "{args:?} {key}"),
                    Value::String(s) => assert_eq!(cell, s, "{args:?} {key}"),
                    _ => {}
                }
            }
        }

        // The table: an upper-case header of the same fields, then the rows; a one-on-one's
        // section is a heading over its rows instead (an agenda), in Markdown too.
        let table = run(&db, args, "table");
        let keys: Vec<String> = match args.contains(&"one-on-one") {
            true => {
                for row in &rows {
                    let section = row["section"].as_str().unwrap();
                    assert!(table.lines().any(|l| l == section), "{args:?} heading {section}: {table}");
                }
                keys.into_iter().filter(|k| k != "section").collect()
            }
            // The book's internal id is for scripts: people read the external id beside it.
            false if args[0] == "search" => keys.into_iter().filter(|k| k != "account_id" && k != "id").collect(),
            false => keys,
        };
        let header_line = table
            .lines()
            .find(|l| l.starts_with(&keys[0].to_uppercase()))
            .unwrap_or_else(|| panic!("{args:?}: {table}"));
        let named: Vec<&str> = header_line.split_whitespace().collect();
        assert_eq!(named, keys.iter().map(|k| k.to_uppercase()).collect::<Vec<_>>(), "{args:?}");

        // Markdown: the same fields as a table header.
        let md = run(&db, args, "md");
        assert!(md.contains(&format!("| {} |", keys.join(" | "))), "{args:?}: {md}");
    }
    insta::assert_snapshot!("json_fields", documented);
}

#[test]
fn json_numbers_are_numbers_and_missing_values_null() {
    let (_dir, db) = book();
    let accounts: Vec<Value> = serde_json::from_str(&run(&db, &["export", "accounts"], "json")).unwrap();
    assert_eq!(accounts.len(), 40);
    let by_id = |id: &str| accounts.iter().find(|a| a["external_id"] == id).unwrap().clone();
    // CRM-0000: no ARR in the file, no renewal date, no segment inputs.
    let bare = by_id("CRM-0000");
    assert_eq!(bare["renewal_date"], Value::Null);
    assert_eq!(bare["volume_score"], Value::Null);
    // No ARR on record (kept as 0) is unknown, not an account worth nothing: null, and blank in
    // CSV, as the file had it.
    assert_eq!(bare["arr"], Value::Null);
    // The same in a report: CRM-0010 renews within the year, with no ARR in the file; its row says
    // unknown, in the table too ("-", not "$0").
    let renewals: Vec<Value> =
        serde_json::from_str::<Value>(&run(&db, &["report", "renewals", "--days", "365"], "json")).unwrap()["rows"]
            .as_array()
            .unwrap()
            .clone();
    let blank = renewals.iter().find(|r| r["account"] == "Company 10").expect("CRM-0010 renews within the year");
    assert_eq!(blank["arr"], Value::Null);
    let table = run(&db, &["report", "renewals", "--days", "365"], "table");
    let line = table.lines().find(|l| l.contains("Company 10 ")).expect("its row in the table");
    assert!(!line.contains("$0") && line.contains(" - "), "{line}");
    // A name with a comma, an amount with cents, an ISO day.
    let cents = by_id("CRM-0004");
    assert_eq!(cents["arr"], serde_json::json!(904.5));
    assert!(by_id("CRM-0007")["name"].as_str().unwrap().contains(", Inc."));
    assert!(cents["customer_since"].as_str().unwrap().len() == 10);
    // Nothing logged on most accounts: no score, said as null, with the coverage as a number.
    let unscored = accounts.iter().find(|a| a["score"].is_null()).expect("an account without a score");
    assert_eq!(unscored["band"], Value::Null);
    assert!(unscored["coverage"].is_number());

    let timeline: Vec<Value> = serde_json::from_str(&run(&db, &["log", "list", "CRM-0001"], "json")).unwrap();
    let sentiment = timeline.iter().find(|t| t["kind"] == "sentiment").unwrap();
    assert!(sentiment["id"].is_i64());
    assert_eq!(sentiment["day"], common::today().to_string());
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let (dir, db) = temp_db();
    let file = crm_file(dir.path(), 3000);
    let (ok, _, err) = tend_on(&db, &["import", "accounts", file.to_str().unwrap(), "--skip-bad-rows"]);
    assert!(ok, "{err}");
    for args in [
        &["export", "accounts", "--format", "json"][..],
        &["export", "accounts", "--format", "table"],
        &["report", "triage", "--all"],
        &["milestone", "list"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tend"))
            .args(args)
            .arg("--db")
            .arg(&db)
            .env("TEND_AS_OF", common::today().to_string())
            .env("HOME", dir.path())
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read one line and hang up, as `| head -1` does.
        let mut first = [0u8; 16];
        child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {err}", out.status);
        assert!(!err.contains("Broken pipe") && !err.contains("os error"), "{args:?}: {err}");
    }
}

#[test]
fn an_empty_export_keeps_its_header_and_imports_back() {
    let (dir, db) = common::imported_crm(5);
    for (what, header) in [
        ("goals", "account,goal,measure,target,owner,date,status,note"),
        ("metrics", "account,metric,date,value"),
        ("logs", "account,kind,date,score,channel,title,closed,note,csm,with,role"),
        ("tasks", "account,task,due,status,closed,owner,playbook,created,note"),
        ("contacts", "account,name,title,email,role,status,left,created,note"),
    ] {
        let out = dir.path().join(format!("{what}.csv"));
        let (ok, stdout, err) = tend_on(&db, &["export", what, "-o", out.to_str().unwrap()]);
        assert!(ok, "{err}");
        // Where it went is said, on standard error (standard output stays empty).
        assert!(stdout.is_empty() && err.contains(&format!("tend: wrote {}", out.display())), "{err}");
        assert_eq!(std::fs::read_to_string(&out).unwrap().trim_end(), header, "{what}");
        let (ok, text, err) = tend_on(&db, &["import", what, out.to_str().unwrap()]);
        assert!(ok, "{what}: an empty export imports back: {text}{err}");
    }
    let (ok, csv, _) = tend_on(&db, &["goal", "list", "--format", "csv"]);
    assert!(ok && csv.trim_end() == "id,account,status,target,past_target,owner,goal", "{csv}");
    let (ok, json, _) = tend_on(&db, &["goal", "list", "--format", "json"]);
    assert!(ok && json.trim() == "[]", "{json}");
}
