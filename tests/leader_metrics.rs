//! The numbers a CS leader reports, through the binary on a small book imported from a CRM-shaped
//! file: CLTV, satisfaction (NPS, CSAT, CES, by respondent role), retention by any field and by
//! cohort, each against figures worked out by hand.

mod common;

use common::{temp_db, tend_on};
use serde_json::Value;

/// Four customers (100k ARR a year ago); Gamma (30k) churns in June, Delta (40k) in January.
/// Alpha, Beta and Gamma started in 2024 Q1, Delta in 2025 Q2.
fn book() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, path) = temp_db();
    let file = dir.path().join("crm.csv");
    std::fs::write(
        &file,
        "External ID,Account,CSM,ARR,Customer since,Plan,Sales rep\n\
         A1,Alpha,Maya Patel,10000,2024-01-15,Pro,Rita\n\
         A2,Beta,Maya Patel,20000,2024-02-10,Pro,Sam\n\
         A3,Gamma,Ben Okafor,30000,2024-03-05,Basic,Rita\n\
         A4,Delta,Ben Okafor,40000,2025-06-01,Basic,Sam\n",
    )
    .unwrap();
    run(&path, &["import", "accounts", file.to_str().unwrap()]);
    run(&path, &["churn", "Gamma", "--reason", "budget", "--date", "2026-06-30"]);
    run(&path, &["churn", "Delta", "--reason", "merger", "--date", "2026-01-15"]);
    (dir, path)
}

fn run(path: &std::path::Path, args: &[&str]) -> String {
    let (ok, out, err) = tend_on(path, args);
    assert!(ok, "tend {args:?}: {err}");
    out
}

fn metrics(path: &std::path::Path, extra: &[&str]) -> Value {
    let mut args = vec!["report", "metrics", "--from", "2025-11-24", "--to", "2026-11-23", "--format", "json"];
    args.extend(extra);
    serde_json::from_str(&run(path, &args)).unwrap()
}

fn close(v: &Value, expected: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - expected).abs() < 0.01)
}

#[test]
fn cltv_for_the_book_and_by_any_field_with_the_reason_when_there_is_none() {
    let (dir, path) = book();
    // 365 days; 100k at the start over 4 accounts (25k each); 70k churned: 70% a year.
    // CLTV = 25,000 x 1.0 / 0.7 = 35,714.29.
    let doc = metrics(&path, &[]);
    let all = &doc["rows"][0];
    assert_eq!(all["churned_arr"], 70_000.0);
    assert!(close(&all["cltv"], 35_714.0), "{all}");
    assert!(doc["summary"]["cltv"].as_str().unwrap().contains("gross margin"), "the formula is stated");

    // By the imported Sales rep column: Rita 10k + 30k, 30k churned (75%): 20,000 / 0.75;
    // Sam 20k + 40k, 40k churned: 30,000 / (2/3) = 45,000.
    let doc = metrics(&path, &["--by", "field:Sales rep"]);
    let rows = doc["rows"].as_array().unwrap();
    let group = |name: &str| rows.iter().find(|r| r["group"] == name).unwrap_or_else(|| panic!("{name}: {rows:?}"));
    assert!(close(&group("Rita")["cltv"], 26_667.0), "{rows:?}");
    assert!(close(&group("Sam")["cltv"], 45_000.0), "{rows:?}");
    // A column of the accounts table groups too.
    let doc = metrics(&path, &["--by", "field:plan"]);
    assert_eq!(doc["rows"].as_array().unwrap().len(), 2);

    // An 80% margin scales it; a period too short or without churn has none, and says why.
    let config = dir.path().join("tend.toml");
    std::fs::write(&config, "[metrics]\ngross_margin = 0.8\n").unwrap();
    let doc = metrics(&path, &["--config", config.to_str().unwrap()]);
    assert!(close(&doc["rows"][0]["cltv"], 28_571.0), "{}", doc["rows"][0]);
    let short: Value = serde_json::from_str(&run(
        &path,
        &["report", "metrics", "--from", "2026-10-01", "--to", "2026-11-23", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(short["rows"][0]["cltv"], Value::Null);
    assert_eq!(short["rows"][0]["cltv_why"], "period under 90 days");
    let calm: Value = serde_json::from_str(&run(
        &path,
        &["report", "metrics", "--from", "2026-07-01", "--to", "2026-11-23", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(calm["rows"][0]["cltv_why"], "no churn in the period");
    let table = run(&path, &["report", "metrics", "--from", "2026-07-01", "--to", "2026-11-23"]);
    assert!(table.contains("n/a") && table.contains("no churn in the period"), "{table}");

    // A churn before the account was a customer would count nowhere: refused, nothing changes.
    let before = std::fs::read(&path).unwrap();
    let (ok, _, err) = tend_on(&path, &["churn", "Alpha", "--reason", "typo", "--date", "2023-06-01"]);
    assert!(!ok && err.contains("before Alpha became a customer on 2024-01-15"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // A broken margin is refused with its line; an unknown field names the fields there are.
    std::fs::write(&config, "me = \"\"\n\n[metrics]\ngross_margin = 80\n").unwrap();
    let (ok, _, err) = tend_on(&path, &["--config", config.to_str().unwrap(), "report", "metrics"]);
    assert!(!ok && err.contains("metrics.gross_margin") && err.contains("tend.toml:4"), "{err}");
    let (ok, _, err) = tend_on(&path, &["report", "metrics", "--by", "field:region"]);
    assert!(!ok && err.contains("no account has that field") && err.contains("Sales rep"), "{err}");
}

#[test]
fn cohorts_by_the_quarter_they_became_customers() {
    let (_dir, path) = book();
    let doc = metrics(&path, &["--by", "cohort"]);
    let cohorts = doc["cohorts"]["rows"].as_array().unwrap();
    assert_eq!(cohorts.len(), 2, "{cohorts:?}");
    // 2024 Q1: Alpha, Beta, Gamma (60k at the end of the quarter). After 8 quarters (2026-03-31)
    // all three are there; Gamma churned in June, after that.
    let q1 = &cohorts[0];
    assert_eq!((q1["cohort"].as_str(), q1["accounts"].as_i64()), (Some("2024 Q1"), Some(3)));
    assert_eq!(q1["arr_start"], 60_000.0);
    assert_eq!((q1["logos_8q"].as_f64(), q1["revenue_8q"].as_f64()), (Some(100.0), Some(100.0)));
    // 2025 Q2: Delta alone, churned 2026-01-15: gone after 4 quarters (0%, not missing), 8
    // quarters not reached by 2026-11-23. After 1 and 2 quarters (2025-09-30, 2025-12-31) is
    // before the book's first record (that churn): not known, as no churn before it shows.
    let q2 = &cohorts[1];
    assert_eq!(q2["cohort"], "2025 Q2");
    assert_eq!((q2["logos_1q"].clone(), q2["revenue_2q"].clone()), (Value::Null, Value::Null));
    assert_eq!((q2["logos_4q"].as_f64(), q2["revenue_4q"].as_f64()), (Some(0.0), Some(0.0)));
    assert_eq!((q2["logos_8q"].clone(), q2["revenue_8q"].clone()), (Value::Null, Value::Null));
    // The retention table's groups are the cohorts too, and --section picks one table for CSV.
    assert!(doc["rows"].as_array().unwrap().iter().any(|r| r["group"] == "2025 Q2"));
    let csv = run(&path, &["report", "metrics", "--by", "cohort", "--section", "cohorts", "--format", "csv"]);
    assert!(csv.starts_with("cohort,accounts,arr_start,logos_1q"), "{csv}");
    // The table says what "unknown" and "*" are: the ARR before the book began is as imported.
    let table = run(
        &path,
        &["report", "metrics", "--from", "2025-11-24", "--to", "2026-11-23", "--by", "cohort", "--section", "cohorts"],
    );
    assert!(
        table.contains(
            "\"unknown\": the quarter ended before the book's records start (2026-01-15), when no churn shows"
        ) && table.contains("*: the quarter ended before ARR changes are recorded (")
            && table.contains("so the ARR kept counts churn alone")
            && table.contains("100.0%*")
            && table.contains("$60,000*"),
        "{table}"
    );
    let (ok, _, err) = tend_on(&path, &["report", "metrics", "--section", "people"]);
    assert!(!ok && err.contains("retention, satisfaction"), "{err}");
}

#[test]
fn csat_and_ces_beside_nps_by_respondent_role() {
    let (_dir, path) = book();
    run(&path, &["contact", "add", "Beta", "Ana Ruiz", "--role", "executive sponsor"]);
    for args in [
        &["log", "nps", "Alpha", "10", "--role", "decision maker"][..],
        &["log", "nps", "Beta", "3"],
        &["log", "nps", "Alpha", "8"],
        &["log", "csat", "Alpha", "5"],
        &["log", "csat", "Beta", "2", "--from", "ana"],
        &["log", "ces", "Beta", "3"],
        &["log", "ces", "Beta", "5", "--from", "Ana Ruiz"],
    ] {
        run(&path, args);
    }
    // Out of a scale, or a role that is none, is refused and changes nothing.
    let before = std::fs::read(&path).unwrap();
    for (args, says) in [
        (&["log", "csat", "Alpha", "6"][..], "out of range 1-5"),
        (&["log", "ces", "Alpha", "0"], "out of range 1-7"),
        (&["log", "csat", "Alpha", "4", "--role", "boss"], "--role boss"),
        (&["log", "nps", "Alpha", "4", "--from", "Nobody"], "--from"),
    ] {
        let (ok, _, err) = tend_on(&path, args);
        assert!(!ok && err.contains(says), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);

    let doc = metrics(&path, &[]);
    let rows = doc["satisfaction"]["rows"].as_array().unwrap();
    let role = |name: &str| rows.iter().find(|r| r["role"] == name).unwrap_or_else(|| panic!("{name}: {rows:?}"));
    // NPS: 10 promoter, 8 passive, 3 detractor: 0. CSAT: 5 of (5, 2): 50%. CES: (3 + 5) / 2.
    let all = role("all");
    assert_eq!((all["nps_responses"].as_i64(), all["nps"].as_f64()), (Some(3), Some(0.0)));
    assert_eq!(all["csat"], 50.0);
    assert_eq!(all["ces"], 4.0);
    // The sponsor answered through the contact (its role taken from them): CSAT 2, CES 5.
    let sponsor = role("executive sponsor");
    assert_eq!((sponsor["csat"].as_f64(), sponsor["ces"].as_f64()), (Some(0.0), Some(5.0)));
    assert_eq!(
        (role("decision maker")["nps"].as_f64(), role("decision maker")["nps_responses"].as_i64()),
        (Some(100.0), Some(1))
    );
    assert_eq!(role("no role")["nps_responses"], 2);
    // A survey is no CSM touch: it does not start the clock of days since the last touch.
    let out = run(&path, &["log", "csat", "Gamma", "4", "--date", "2026-05-01"]);
    assert!(!out.contains("touch"), "{out}");
    // Options a report does not take are refused, not ignored.
    let (ok, _, err) = tend_on(&path, &["report", "health-trend", "--from", "-3m"]);
    assert!(!ok && err.contains("--from is for report metrics"), "{err}");
    // The timeline says who answered and in which role.
    let list = run(&path, &["log", "list", "Beta"]);
    assert!(list.contains("csat") && list.contains("2/5 (respondent: executive sponsor) from Ana Ruiz"), "{list}");
}

#[test]
fn survey_exports_import_and_a_factor_reads_one_roles_responses() {
    let (dir, path) = book();
    let file = dir.path().join("survey.csv");
    // A survey tool's export: a `Survey` column says which survey; a bad score names its line.
    std::fs::write(
        &file,
        "\u{feff}Account,Survey,Score,Date,Role\nA1,CSAT,2,2026-11-01,Decision maker\nA1,csat,9,2026-11-02,\n",
    )
    .unwrap();
    let before = std::fs::read(&path).unwrap();
    let (ok, _, err) = tend_on(&path, &["import", "logs", file.to_str().unwrap()]);
    assert!(
        !ok && err.contains("survey.csv:3") && err.contains("\"Score\"") && err.contains("out of range 1-5"),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before, "a refused file changes nothing");
    std::fs::write(
        &file,
        "Account,Survey,Score,Date,Role\nA1,CSAT,2,2026-11-01,Decision maker\nA1,csat,5,2026-11-02,\nA2,CES,6,2026-11-02,user\n",
    )
    .unwrap();
    let out = run(&path, &["import", "logs", file.to_str().unwrap()]);
    assert!(out.contains("3 new"), "{out}");
    // Two users giving the same answer on the same day are two responses; importing the file
    // again adds nothing.
    let twins = dir.path().join("twins.csv");
    std::fs::write(&twins, "Account,Survey,Score,Date,Respondent\nA2,NPS,9,2026-11-03,\nA2,NPS,9,2026-11-03,\n")
        .unwrap();
    let out = run(&path, &["import", "logs", twins.to_str().unwrap()]);
    assert!(out.contains("2 new"), "{out}");
    let out = run(&path, &["import", "logs", twins.to_str().unwrap()]);
    assert!(out.contains("0 new") && out.contains("2 unchanged"), "{out}");
    // Survey tools export who answered by address: a From column matches a contact's email.
    run(&path, &["contact", "add", "Beta", "Ana Ruiz", "--email", "ana@beta.example", "--role", "champion"]);
    let by_mail = dir.path().join("by_mail.csv");
    std::fs::write(&by_mail, "Account,Survey,Score,Date,From\nA2,CSAT,5,2026-11-04,ANA@beta.example\n").unwrap();
    run(&path, &["import", "logs", by_mail.to_str().unwrap()]);
    let list = run(&path, &["log", "list", "Beta"]);
    assert!(list.contains("5/5 (respondent: champion) from Ana Ruiz"), "{list}");
    let exported = run(&path, &["export", "logs", "--format", "csv"]);
    assert!(
        exported.lines().any(|l| l.starts_with("A1,csat,2026-11-01,2,") && l.ends_with(",decision_maker")),
        "{exported}"
    );

    // A factor reading only decision makers' CSAT sees the 2 (1 point), not the later 5.
    let config = dir.path().join("tend.toml");
    std::fs::write(
        &config,
        "[health.factors.buyer_csat]\nsource = \"log:csat\"\ntransform = \"latest\"\nroles = [\"decision maker\"]\n\
         weight = 1\nbetter = \"higher\"\nthresholds = [3, 4, 5]\n\n\
         [health.factors.any_csat]\nsource = \"log:csat\"\ntransform = \"latest\"\n\
         weight = 1\nbetter = \"higher\"\nthresholds = [3, 4, 5]\n",
    )
    .unwrap();
    let c = config.to_str().unwrap();
    let accounts: Value =
        serde_json::from_str(&run(&path, &["--config", c, "export", "accounts", "--format", "json"])).unwrap();
    let alpha = accounts.as_array().unwrap().iter().find(|a| a["external_id"] == "A1").unwrap().clone();
    assert_eq!((alpha["points_buyer_csat"].as_i64(), alpha["points_any_csat"].as_i64()), (Some(1), Some(4)), "{alpha}");

    // A threshold off the survey's scale is never reached: refused with its line.
    std::fs::write(&config, "[health.factors.c]\nsource = \"log:csat\"\ntransform = \"latest\"\nweight = 1\nbetter = \"higher\"\nthresholds = [6, 8, 10]\n").unwrap();
    let (ok, _, err) = tend_on(&path, &["--config", c, "config", "check"]);
    assert!(!ok && err.contains("tend.toml:1") && err.contains("CSAT answers are 1-5"), "{err}");
    // roles on a source that has no respondents is refused with its line.
    std::fs::write(&config, "[health.factors.t]\nsource = \"log:touch\"\ntransform = \"count\"\ndays = 30\nroles = [\"user\"]\nweight = 1\nbetter = \"higher\"\nthresholds = [1, 2, 3]\n").unwrap();
    let (ok, _, err) = tend_on(&path, &["--config", c, "config", "check"]);
    assert!(!ok && err.contains("roles") && err.contains("log:nps, log:csat or log:ces"), "{err}");
}

/// Every factor but the CSM's sentiment weighs nothing: a band follows the sentiment alone.
fn sentiment_only(dir: &std::path::Path) -> String {
    let path = dir.join("sentiment.toml");
    std::fs::write(&path, common::weights_zero_but(&["sentiment"], true)).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn health_trend_week_by_week_counts_the_customers_of_each_day_by_the_band_of_that_day() {
    let (dir, path) = book();
    let file = dir.path().join("new.csv");
    std::fs::write(&file, "External ID,Account,CSM,ARR,Customer since\nA5,Epsilon,Maya Patel,50000,2026-10-01\n")
        .unwrap();
    run(&path, &["import", "accounts", file.to_str().unwrap()]);
    let config = sentiment_only(dir.path());
    for (account, score, day) in
        [("Beta", "9", "2026-06-01"), ("Alpha", "2", "2026-08-01"), ("Alpha", "9", "2026-10-01")]
    {
        run(&path, &["--config", &config, "log", "sentiment", account, score, "--date", day]);
    }
    let doc: Value =
        serde_json::from_str(&run(&path, &["--config", &config, "report", "health-trend", "--format", "json"]))
            .unwrap();
    let weeks = doc["rows"].as_array().unwrap();
    // 183 days of history: 27 weeks, oldest first, ending today.
    assert_eq!(weeks.len(), 27);
    let week = |day: &str| weeks.iter().find(|w| w["week"] == day).unwrap_or_else(|| panic!("{day}: {weeks:?}"));
    assert_eq!(weeks[26]["week"], "2026-11-23");
    // 2026-05-25: Alpha, Beta, Gamma are customers (Delta churned in January), none scored yet.
    let first = week("2026-05-25");
    assert_eq!((first["customers"].as_i64(), first["no_score"].as_f64()), (Some(3), Some(100.0)));
    // 2026-06-01: Beta's sentiment 9 makes it Green: a third of the customers, 20k of 60k ARR.
    let june = week("2026-06-01");
    assert!(close(&june["green"], 33.3) && close(&june["arr_green"], 33.3), "{june}");
    // 2026-08-03: Gamma churned on 2026-06-30; Alpha Red (10k), Beta Green (20k).
    let august = week("2026-08-03");
    assert_eq!(august["customers"], 2);
    assert_eq!((august["red"].as_f64(), august["green"].as_f64()), (Some(50.0), Some(50.0)));
    assert!(close(&august["arr_red"], 33.3), "{august}");
    // Today: Alpha and Beta Green, Epsilon (a customer since October, no data) without a score.
    let today = &weeks[26];
    assert_eq!(today["customers"], 3);
    assert!(close(&today["green"], 66.7) && close(&today["no_score"], 33.3), "{today}");
    assert_eq!(today["arr_green"], 37.5, "30k of 80k");
    // The last week agrees with today's team report; one CSM's trend counts their accounts only.
    let team: Value =
        serde_json::from_str(&run(&path, &["--config", &config, "report", "team", "--format", "json"])).unwrap();
    let green: i64 = team["rows"].as_array().unwrap().iter().map(|r| r["green"].as_i64().unwrap()).sum();
    assert_eq!(green, 2);
    let maya: Value = serde_json::from_str(&run(
        &path,
        &["--config", &config, "report", "health-trend", "--csm", "maya", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(maya["rows"][26]["customers"], 3, "Alpha, Beta and Epsilon are Maya's");
    assert_eq!(maya["rows"][0]["customers"], 2);
    assert!(
        maya["summary"]["change"]
            .as_str()
            .unwrap()
            .starts_with("over 26 weeks, % of ARR: G 0->38 Y 0->0 O 0->0 R 0->0 no score 100->62")
    );
    // Its title says whose accounts it counts: everyone's unless asked, as the Team view's `w`.
    let all = run(&path, &["--config", &config, "report", "health-trend"]);
    assert!(all.starts_with("Health week by week · all CSMs:"), "{all}");
    let hers = run(&path, &["--config", &config, "report", "health-trend", "--csm", "maya"]);
    assert!(hers.starts_with("Health week by week · CSM Maya"), "{hers}");
}

#[test]
fn health_trend_scores_accounts_without_activity_when_a_factor_reads_their_fields() {
    let (dir, path) = book();
    let config = sentiment_only(dir.path());
    let mut toml = std::fs::read_to_string(&config).unwrap();
    // Tenure alone carries most of the weight: a customer of two years or more is Green.
    toml.push_str(
        "[health.factors.tenure]\nsource = \"field:age_days\"\ntransform = \"latest\"\nweight = 10\n\
         better = \"higher\"\nthresholds = [90, 365, 730]\n",
    );
    std::fs::write(&config, toml).unwrap();
    let doc: Value =
        serde_json::from_str(&run(&path, &["--config", &config, "report", "health-trend", "--format", "json"]))
            .unwrap();
    let today = &doc["rows"].as_array().unwrap()[26];
    // Alpha and Beta (since early 2024) are Green on tenure alone; nothing was logged.
    assert_eq!((today["customers"].as_i64(), today["green"].as_f64()), (Some(2), Some(100.0)), "{today}");
}

/// A group whose responses all come from one kind of respondent, or from none with a role, has
/// no breakdown: its one role's row would repeat its "all" row ("all" then "no role" with the
/// same figures on every row of a probe's report).
#[test]
fn a_group_of_one_kind_of_respondent_has_no_role_rows() {
    let (_dir, path) = book();
    run(&path, &["log", "nps", "Alpha", "3", "--by", "Maya Patel"]);
    run(&path, &["log", "nps", "Gamma", "9", "--by", "Ben Okafor"]);
    let doc = metrics(&path, &["--by", "csm"]);
    let rows = doc["satisfaction"]["rows"].as_array().unwrap();
    let roles: Vec<(&str, &str)> =
        rows.iter().map(|r| (r["group"].as_str().unwrap_or(""), r["role"].as_str().unwrap_or(""))).collect();
    assert_eq!(roles, [("Ben Okafor", "all"), ("Maya Patel", "all")], "{rows:?}");
}

/// Survey answers dated before the book's first records (a survey tool's export imported with
/// the accounts) count in the last 12 months' satisfaction; retention, whose ARR before the
/// records is only as imported, starts at them. A probe's NPS answers were not counted.
#[test]
fn survey_answers_from_before_the_books_records_count() {
    let (dir, path) = temp_db();
    let file = dir.path().join("crm.csv");
    std::fs::write(&file, "External ID,Account,CSM,ARR,Customer since\nA1,Alpha,Maya Patel,10000,2019-01-15\nA2,Beta,Maya Patel,20000,2021-02-10\n")
        .unwrap();
    run(&path, &["import", "accounts", file.to_str().unwrap()]);
    // The book's records start when its accounts were written (the clock's day: a day to come
    // is a preview, which knows nothing after it); the answers are dated two and three months
    // before.
    let now = chrono::Local::now().date_naive();
    let day = |days: i64| (now + chrono::Duration::days(days)).to_string();
    run(&path, &["log", "nps", "Alpha", "10", "--date", &day(-90)]);
    run(&path, &["log", "nps", "Beta", "2", "--date", &day(-60)]);
    let (ok, out, err) = common::tend_on_day(&path, &day(0), &["report", "metrics", "--format", "json"]);
    assert!(ok, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert!(doc["empty"].as_str().unwrap().contains("no retention yet: the book's records start"), "{doc}");
    let rows = doc["satisfaction"]["rows"].as_array().unwrap();
    let all = rows.iter().find(|r| r["role"] == "all").unwrap_or_else(|| panic!("{doc}"));
    assert_eq!((all["nps_responses"].as_i64(), all["nps"].as_f64()), (Some(2), Some(0.0)), "{doc}");
}

/// A period running on past today is measured to date and says so (a probe's "--to 2026-12-31"
/// counted renewals not yet due as kept, a quarter to date read as the whole); one starting after
/// today is refused. ARR changes recorded only from the import are said: before it no expansion
/// or contraction can show, and NRR is GRR (a probe's quarter read both at 95.9% with no word why).
#[test]
fn a_period_past_today_is_measured_to_date_and_arr_changes_from_the_import_are_said() {
    let (_dir, path) = book();
    let doc: Value = serde_json::from_str(&run(
        &path,
        &["report", "metrics", "--from", "2026-07-01", "--to", "2026-12-31", "--format", "json"],
    ))
    .unwrap();
    let title = doc["title"].as_str().unwrap_or_default();
    assert!(
        title.starts_with("Retention 2026-07-01 to 2026-11-23 (to date: the period asked runs to 2026-12-31)"),
        "{doc}"
    );
    assert!(
        doc["summary"]["arr_changes_from"].as_str().is_some_and(|d| d.parse::<chrono::NaiveDate>().is_ok()),
        "{doc}"
    );
    let text = run(&path, &["report", "metrics", "--from", "2026-07-01", "--to", "2026-12-31"]);
    assert!(text.contains("ARR changes are recorded from") && text.contains("NRR and GRR count churn alone"), "{text}");
    let all = &doc["rows"][0];
    assert_eq!(all["nrr"], all["grr"], "{all}");
    // Recorded only after the period (the book began on this machine's day, after the test's),
    // its expansion and contraction are not known: null and "unknown", not $0.
    assert!(all["expansion"].is_null() && all["contraction"].is_null(), "{all}");
    assert!(text.contains("unknown"), "{text}");
    let (ok, _, err) = tend_on(&path, &["report", "metrics", "--from", "2026-12-01", "--to", "2026-12-31"]);
    assert!(!ok && err.contains("--from 2026-12-01 is after today (2026-11-23)"), "{err}");
    // An ARR change recorded: the note moves to its day, and goes once the period starts after it.
    run(&path, &["renew", "Alpha", "--arr", "15000", "--date", "2026-08-01"]);
    let doc: Value = serde_json::from_str(&run(
        &path,
        &["report", "metrics", "--from", "2026-09-01", "--to", "2026-11-23", "--format", "json"],
    ))
    .unwrap();
    assert!(doc["summary"]["arr_changes_from"].is_null(), "{doc}");
}
