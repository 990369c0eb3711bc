//! Factors of your own through the binary: a factor over an imported column, candidates that do
//! not move the score, segment profiles, and `tend config check` against the book's data.

mod common;

use std::path::{Path, PathBuf};

use common::{temp_db, tend_on};

/// A book of three accounts (Deer, Elephant, Rabbit by ARR) with a numeric "Seats" column and a
/// text "Region" column, and usage samples.
fn book() -> (tempfile::TempDir, PathBuf) {
    let (dir, db) = temp_db();
    let accounts = dir.path().join("accounts.csv");
    std::fs::write(
        &accounts,
        "External ID,Account Name,CSM,ARR,Customer Since,Seats,Region\n\
         ACME-1,Acme Analytics,Maya Patel,12000,2024-04-01,12,EMEA\n\
         GLOB-2,Globex Corporation,Ben Okafor,250000,2023-01-15,400,NA\n\
         INIT-3,Initech,Maya Patel,1200,2025-01-31,2,NA\n",
    )
    .unwrap();
    let metrics = dir.path().join("metrics.csv");
    std::fs::write(
        &metrics,
        "account,metric,date,value\nACME-1,usage,2026-11-01,900\nGLOB-2,usage,2026-11-01,5000\nINIT-3,usage,2026-11-01,40\n",
    )
    .unwrap();
    for (kind, file) in [("accounts", &accounts), ("metrics", &metrics)] {
        let (ok, _, err) = tend_on(&db, &["import", kind, file.to_str().unwrap()]);
        assert!(ok, "{err}");
    }
    (dir, db)
}

/// The screens opened on `db` with the config at `path`, as `tend --config PATH` opens them.
fn opened_with(db: &Path, path: &Path) -> tend::tui::App {
    let config = tend::config::Config::load(path, false).unwrap();
    let store = tend::store::Store::open(db).unwrap();
    let mut app =
        tend::tui::App::new(store, config, common::today(), tend::tui::theme::Theme { color: false }).unwrap();
    app.set_config_path(path.to_path_buf());
    app
}

fn write_config(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("tend.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// external id -> (score, band, score_kind, points_seats) from `export accounts`.
fn exported(db: &Path, config: Option<&Path>) -> Vec<(String, String, String, String, Option<String>)> {
    let mut args = vec!["export", "accounts", "--format", "csv"];
    if let Some(c) = config {
        args.extend(["--config", c.to_str().unwrap()]);
    }
    let (ok, out, err) = tend_on(db, &args);
    assert!(ok, "{err}");
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let get = |name: &str| col(name).map(|i| r[i].to_string());
            (
                get("external_id").unwrap(),
                get("score").unwrap(),
                get("band").unwrap(),
                get("score_kind").unwrap(),
                get("points_seats"),
            )
        })
        .collect()
}

const SEATS: &str = "[health.factors.seats]\nsource = \"field:Seats\"\ntransform = \"latest\"\nunit = \"count\"\n\
                     better = \"higher\"\nthresholds = [5, 20, 100]\n";

#[test]
fn a_candidate_over_an_imported_column_is_computed_but_leaves_scores_alone() {
    let (dir, db) = book();
    let before = exported(&db, None);
    assert!(before.iter().all(|r| r.4.is_none()), "no seats factor yet");

    let candidate = write_config(dir.path(), &format!("{SEATS}weight = 0\n"));
    let with = exported(&db, Some(&candidate));
    for (b, w) in before.iter().zip(&with) {
        assert_eq!((&b.0, &b.1, &b.2), (&w.0, &w.1, &w.2), "a candidate moves no score");
    }
    let seats: Vec<Option<&str>> = with.iter().map(|r| r.4.as_deref()).collect();
    // 12 seats: 2 points; 400: 4; 2: 1.
    assert_eq!(seats, [Some("2"), Some("4"), Some("1")]);

    // No account has data for a weighted factor (the import planned no onboarding milestones
    // for these long-standing customers, and those would not count alone): no score, not 0.
    assert_eq!(before.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(), ["", "", ""]);
    // Given a weight it counts; with a low enough minimum coverage, seats alone score: Acme
    // (2 points) 33, Globex (4 points) 100, Initech (1 point) 0.
    let counted = write_config(dir.path(), &format!("[health]\nmin_coverage = 0.1\n{SEATS}weight = 3\n"));
    let now = exported(&db, Some(&counted));
    assert_eq!(now.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(), ["33", "100", "0"]);
    // With the default minimum (half the weight), seats alone are not enough data.
    let default_min = write_config(dir.path(), &format!("{SEATS}weight = 3\n"));
    let thin = exported(&db, Some(&default_min));
    assert_eq!(thin.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(), ["", "", ""]);
}

#[test]
fn a_segment_profile_scores_its_segment_and_is_named() {
    let (dir, db) = book();
    let config = write_config(
        dir.path(),
        "[health.profiles.enterprise]\nsegments = [\"Elephant\"]\n\
         [health.profiles.enterprise.factors.usage_vs_expected]\nweight = 1\nbetter = \"higher\"\nthresholds = [50, 80, 100]\n\
         [health.profiles.enterprise.factors.seats]\nsource = \"field:Seats\"\ntransform = \"latest\"\n\
         weight = 1\nbetter = \"higher\"\nthresholds = [5, 20, 100]\n",
    );
    let rows = exported(&db, Some(&config));
    let kinds: Vec<&str> = rows.iter().map(|r| r.3.as_str()).collect();
    assert_eq!(kinds, ["regular", "enterprise", "regular"], "only the Elephant is on the enterprise profile");
    // Globex: usage has no expectation (missing), seats 400 = 4 points: 100 on its own profile.
    assert_eq!(rows[1].1, "100");
}

#[test]
fn config_check_refuses_factors_the_data_cannot_feed() {
    let (dir, db) = book();
    let config = write_config(
        dir.path(),
        "# my factors\n\
         [health.factors.api_calls]\nsource = \"metric:api_calls\"\ntransform = \"sum\"\ndays = 30\n\
         weight = 0\nbetter = \"higher\"\nthresholds = [1, 2, 3]\n\
         [health.factors.region]\nsource = \"field:Region\"\ntransform = \"latest\"\n\
         weight = 0\nbetter = \"higher\"\nthresholds = [1, 2, 3]\n\
         [health.factors.licences]\nsource = \"field:Licences\"\ntransform = \"latest\"\n\
         weight = 0\nbetter = \"higher\"\nthresholds = [1, 2, 3]\n",
    );
    let before = std::fs::read(&db).unwrap();
    let (ok, out, err) = tend_on(&db, &["config", "check", "--config", config.to_str().unwrap()]);
    assert!(!ok, "refused: {out}");
    let at = |line: usize| format!("{}:{line}", config.display());
    assert!(err.contains(&format!("refused: {}: factor \"api_calls\"", at(3))), "{err}");
    assert!(err.contains("unknown metric \"api_calls\": the book's metrics are usage"), "{err}");
    assert!(err.contains(&format!("refused: {}: factor \"region\"", at(10))), "{err}");
    assert!(err.contains("field \"Region\" is not numeric (e.g. \"EMEA\")"), "{err}");
    assert!(err.contains(&format!("refused: {}: factor \"licences\"", at(16))), "{err}");
    assert!(err.contains("no account has a field \"Licences\""), "{err}");
    // The verdict at the end names each refusal, not "see above" three hundred lines up.
    let last: Vec<&str> = err.lines().rev().take(3).collect();
    assert!(last.iter().all(|l| l.starts_with("tend: refused: ")), "{err}");
    assert!(!err.contains("see above"), "{err}");
    // A slip of a metric the book has is offered it.
    let slip = write_config(
        dir.path(),
        "[health.factors.use]\nsource = \"metric:usag\"\ntransform = \"sum\"\ndays = 30\nweight = 0\nbetter = \"higher\"\nthresholds = [1, 2, 3]\n",
    );
    let (ok, _, err) = tend_on(&db, &["config", "check", "--config", slip.to_str().unwrap()]);
    assert!(!ok && err.contains("unknown metric \"usag\"") && err.contains("(did you mean usage?)"), "{err}");
    // Built-in factors whose data this book lacks are only warned about.
    assert!(out.contains("# warning: built-in default: factor \"sentiment\""), "{out}");
    assert_eq!(std::fs::read(&db).unwrap(), before, "checking changes nothing");

    // The example file copied whole, as its head invites: its factors are the defaults, so the
    // data this book lacks for them is warned about, not refused.
    let example = write_config(dir.path(), include_str!("../config.example.toml"));
    let (ok, out, err) = tend_on(&db, &["config", "check", "--config", example.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains(&format!("# warning: {}:", example.display())) && !err.contains("refused"), "{out}{err}");

    // The example file with one built-in factor weighed 0 (silenced for want of its data): the
    // factors after it are still the defaults (a slot moved, and each was refused as one's own).
    let silenced = include_str!("../config.example.toml").replacen(
        "[health.factors.support_tickets]\nlabel = \"Support tickets\"\nsource = \"metric:support_tickets\"\ntransform = \"sum\"\ndays = 30\nunit = \"count\"\nweight = 1",
        "[health.factors.support_tickets]\nlabel = \"Support tickets\"\nsource = \"metric:support_tickets\"\ntransform = \"sum\"\ndays = 30\nunit = \"count\"\nweight = 0",
        1,
    );
    assert_ne!(silenced, include_str!("../config.example.toml"), "the example's support_tickets as written");
    let silenced = write_config(dir.path(), &silenced);
    let (ok, out, err) = tend_on(&db, &["config", "check", "--config", silenced.to_str().unwrap()]);
    assert!(ok && !err.contains("refused"), "{out}{err}");
    // Taken out of the score on purpose, the metric it would read is no warning either.
    assert!(!out.contains("factor \"support_tickets\""), "{out}");
    assert!(out.contains("factor \"active_users\""), "still weighed, still warned of: {out}");

    let fine = write_config(dir.path(), &format!("{SEATS}weight = 1\n"));
    let (ok, out, err) = tend_on(&db, &["config", "check", "--config", fine.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("factors checked against"), "{out}");
}

#[test]
fn config_check_refuses_bad_factor_definitions_with_their_lines() {
    let (dir, db) = temp_db();
    let cases = [
        ("thresholds = [3, 2, 1]", "health.factors.x.thresholds", "rise strictly"),
        ("transform = \"median\"", "health.factors.x.transform", "unknown transform \"median\""),
        ("source = \"usage\"", "health.factors.x.source", "unknown source \"usage\""),
        ("transform = \"sum\"", "health.factors.x.days", "transform \"sum\" needs `days`"),
        ("days = 7", "health.factors.x.days", "`days` does not apply to transform \"latest\""),
        ("source = \"field:arr\"\ntransform = \"average\"\ndays = 30", "health.factors.x.transform", "dated samples"),
    ];
    for (change, key, reason) in cases {
        let mut entry = vec![
            ("source", "source = \"metric:usage\""),
            ("transform", "transform = \"latest\""),
            ("weight", "weight = 1"),
            ("better", "better = \"higher\""),
            ("thresholds", "thresholds = [1, 2, 3]"),
        ];
        let first = change.split([' ', '=']).next().unwrap();
        entry.retain(|(k, _)| *k != first && !(change.contains("transform") && *k == "transform"));
        let text =
            format!("[health.factors.x]\n{change}\n{}\n", entry.iter().map(|e| e.1).collect::<Vec<_>>().join("\n"));
        let config = write_config(dir.path(), &text);
        let (ok, _, err) = tend_on(&db, &["config", "check", "--config", config.to_str().unwrap()]);
        assert!(!ok, "{text}");
        assert!(err.contains(&format!("key `{key}`")), "{key}: {err}");
        assert!(err.contains(reason), "{reason}: {err}");
        assert!(err.contains(&format!("{}:", config.display())), "names the file: {err}");
    }
    // A factor named in a profile but defined nowhere.
    let config = write_config(
        dir.path(),
        "[health.jumpstart.factors.mood]\nweight = 1\nbetter = \"higher\"\nthresholds = [1, 2, 3]\n",
    );
    let (ok, _, err) = tend_on(&db, &["config", "check", "--config", config.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("tend.toml:1: key `health.jumpstart.factors.mood`: unknown factor"), "{err}");
    // A segment the scheme does not have.
    let config = write_config(
        dir.path(),
        "[health.profiles.big]\nsegments = [\"Whale\"]\n[health.profiles.big.factors.sentiment]\nweight = 1\nbetter = \"higher\"\nthresholds = [4, 6, 8]\n",
    );
    let (ok, _, err) = tend_on(&db, &["config", "check", "--config", config.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("no segment \"Whale\""), "{err}");
}

/// A factor over a field no account has (a typo of the column's name) is said where tend opens
/// and beside a report; it was said only by `tend config check`, the factor missing everywhere.
/// The column named in another case or with dashes is the column: nothing said.
#[test]
fn a_factor_over_a_field_no_account_has_is_said_where_tend_opens() {
    let (dir, db) = book();
    let typo = write_config(dir.path(), &format!("{}weight = 3\n", SEATS.replace("field:Seats", "field:Seets")));
    let (ok, _, err) = tend_on(&db, &["report", "triage", "--config", typo.to_str().unwrap()]);
    let check = format!("(`tend config check --config {}`)", typo.display());
    assert!(ok && err.contains(&format!("reads the field \"Seets\", which no account has {check}")), "{err}");
    let app = opened_with(&db, &typo);
    let said = app.message.clone().unwrap_or_default();
    assert!(
        said.starts_with("Config: ") && said.contains(&format!("\"Seets\", which no account has {check}")),
        "{said}"
    );
    drop(app);
    // A column a factor reads is not one to map: the import does not ask for it.
    let right = write_config(dir.path(), &format!("{SEATS}weight = 3\n"));
    let more = dir.path().join("more.csv");
    std::fs::write(&more, "External ID,Account Name,CSM,ARR,Seats,Region\nHOOLI-4,Hooli,Maya Patel,9000,30,EMEA\n")
        .unwrap();
    let (ok, out, err) =
        tend_on(&db, &["import", "accounts", more.to_str().unwrap(), "--config", right.to_str().unwrap()]);
    assert!(ok && out.contains("columns kept as attributes, not read as any field: \"Region\" ("), "{out}{err}");
    for spelt in ["field:SEATS", "field:seats"] {
        let right = write_config(dir.path(), &format!("{}weight = 3\n", SEATS.replace("field:Seats", spelt)));
        let (ok, _, err) = tend_on(&db, &["report", "triage", "--config", right.to_str().unwrap()]);
        assert!(ok && !err.contains("no account has"), "{spelt}: {err}");
    }
}

/// A factor of your own over a metric the book has no sample of, while it has others (a typo,
/// `metric:usages` beside "usage"), is said where tend opens and beside a report: a probe's
/// brief put a third of its book at "low data" and exited 0 without a word. The built-in
/// factors, over metrics this book's usage export names otherwise, are left to `config check`.
#[test]
fn a_factor_over_a_metric_the_book_lacks_is_said_where_tend_opens() {
    let (dir, db) = book();
    let own = "[health.factors.usage_level]\nsource = \"metric:usages\"\ntransform = \"latest\"\nweight = 2\n\
               better = \"higher\"\nthresholds = [10, 100, 1000]\n";
    let typo = write_config(dir.path(), own);
    let check = format!("(`tend config check --config {}`)", typo.display());
    let (ok, _, err) = tend_on(&db, &["report", "brief", "--config", typo.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(
        err.contains(&format!(
            "Usage level reads the metric \"usages\", which the book has no sample of (its metrics: usage): missing on every account {check}"
        )),
        "{err}"
    );
    assert!(
        !err.contains("\"active_users\"") && !err.contains("\"logins\""),
        "built-in factors left to config check: {err}"
    );
    let mut app = opened_with(&db, &typo);
    let said = app.message.clone().unwrap_or_default();
    assert!(said.starts_with("Config: Usage level reads the metric \"usages\""), "{said}");
    // Opened under new rules too (the typo is the change): both said, the typo first.
    app.tell_after_opening_note("New health rules since this book was last read.");
    let said = app.message.clone().unwrap_or_default();
    assert!(
        said.starts_with("Config: Usage level reads")
            && said.ends_with("New health rules since this book was last read."),
        "{said}"
    );
    drop(app);
    // A nightly snapshot says it on stderr, where cron keeps it.
    let (ok, _, err) = tend_on(&db, &["snapshot", "--config", typo.to_str().unwrap()]);
    assert!(ok && err.contains("tend: config: Usage level reads the metric \"usages\""), "{err}");
    let right = write_config(dir.path(), &own.replace("metric:usages", "metric:usage"));
    let (ok, _, err) = tend_on(&db, &["report", "brief", "--config", right.to_str().unwrap()]);
    assert!(ok && !err.contains("which the book has no sample of"), "{err}");
}
