//! Importing the exports people have, through the real binary: every format and preset, every
//! refusal leaving the book byte for byte as it was, idempotent re-imports, export round trips.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use tend::domain::{AccountStatus, Cents};
use tend::store::Store;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn tend(db: &Path, args: &[&str]) -> (bool, String, String) {
    tend_with(db, args, None)
}

fn tend_with(db: &Path, args: &[&str], config: Option<&Path>) -> (bool, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tend"));
    cmd.args(args).arg("--db").arg(db).env("TEND_AS_OF", TODAY).env("HOME", db.parent().unwrap());
    cmd.env("XDG_CONFIG_HOME", db.parent().unwrap().join("no-config"));
    if let Some(c) = config {
        cmd.arg("--config").arg(c);
    }
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A book holding the basic accounts, closed so its file is settled.
fn basic_book() -> (tempfile::TempDir, PathBuf) {
    let (dir, db) = temp_db();
    let (ok, _, err) = tend(&db, &["import", "accounts", fixture("accounts_basic.csv").to_str().unwrap()]);
    assert!(ok, "{err}");
    (dir, db)
}

fn account_by_name(db: &Path, name: &str) -> tend::domain::Account {
    let store = Store::open(db).unwrap();
    store.all_accounts().unwrap().into_iter().find(|a| a.name == name).unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn basic_accounts_import_with_aliases_money_and_attributes() {
    let (_dir, db) = basic_book();
    let acme = account_by_name(&db, "Acme Analytics");
    assert_eq!(acme.external_id, "ACME-1");
    assert_eq!(acme.arr, Cents(1_200_050));
    assert_eq!(acme.csm.as_deref(), Some("Maya Patel"));
    assert_eq!(acme.renewal_date, Some("2027-03-31".parse().unwrap()));
    assert_eq!(acme.plan.as_deref(), Some("Growth"));
    let store = Store::open(&db).unwrap();
    let attrs = store.all_attributes().unwrap();
    assert_eq!(attrs[&acme.id], vec![("Region".to_string(), "EMEA".to_string())], "unknown columns are kept");
    // New accounts get the configured journeys planned.
    assert!(!store.milestones_for(acme.id).unwrap().is_empty());
}

#[test]
fn the_same_file_twice_changes_nothing() {
    let (_dir, db) = basic_book();
    let before = std::fs::read(&db).unwrap();
    let (ok, out, _) = tend(&db, &["import", "accounts", fixture("accounts_basic.csv").to_str().unwrap()]);
    assert!(ok);
    assert!(out.contains("0 new, 0 updated, 3 unchanged"), "{out}");
    assert_eq!(std::fs::read(&db).unwrap(), before, "an import with nothing new leaves the file as it was");
}

#[test]
fn updates_are_reported_and_arr_changes_dated() {
    let (_dir, db) = basic_book();
    let changed = fixture("accounts_changed.csv");
    let (ok, out, _) = tend(&db, &["import", "accounts", changed.to_str().unwrap(), "--dry-run"]);
    assert!(ok);
    // The counts on a line, each note on a line of its own under them.
    assert!(out.contains("would import 3 accounts: 0 new, 2 updated, 1 unchanged\n  - would change the ARR"), "{out}");
    assert!(out.contains("would change the ARR of 1 account (Acme Analytics $12,000.50 -> $15,000"), "{out}");
    assert!(out.trim_end().ends_with("nothing was written"), "{out}");
    assert!(out.contains("Acme Analytics (ACME-1): arr $12,000.50 -> $15,000"), "the cents said: {out}");
    assert!(out.contains("Globex Corporation (GLOB-2): attributes"), "{out}");
    assert_eq!(account_by_name(&db, "Acme Analytics").arr, Cents(1_200_050), "dry run wrote nothing");
    let (ok, out, err) = tend(&db, &["import", "accounts", changed.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("0 new, 2 updated, 1 unchanged"), "{out}");
    assert_eq!(account_by_name(&db, "Acme Analytics").arr, Cents(1_500_000));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (day, old, new): (String, i64, i64) = conn
        .query_row("SELECT day, old_cents, new_cents FROM arr_changes", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap();
    assert_eq!((day.as_str(), old, new), (TODAY, 1_200_050, 1_500_000));
}

#[test]
fn semicolons_bom_european_money_and_day_first_dates() {
    let (_dir, db) = temp_db();
    let (ok, out, err) = tend(&db, &["import", "accounts", fixture("accounts_semicolon_eu.csv").to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("2 new"), "{out}");
    let m = account_by_name(&db, "Müller & Söhne GmbH");
    assert_eq!((m.arr, m.currency.as_str()), (Cents(1_200_050), "EUR"));
    assert_eq!(m.renewal_date, Some("2026-12-31".parse().unwrap()));
    assert_eq!(m.notes, "Zahlt immer pünktlich");
    assert_eq!(m.external_id, "Müller & Söhne GmbH", "keyed on name when the file has no id");
}

#[test]
fn tabs_quoted_line_breaks_and_mrr() {
    let (_dir, db) = temp_db();
    let (ok, _, err) = tend(&db, &["import", "accounts", fixture("accounts_tab.tsv").to_str().unwrap()]);
    assert!(ok, "{err}");
    let t = account_by_name(&db, "Tabby Cats Ltd");
    assert_eq!((t.arr, t.currency.as_str()), (Cents(1_440_000), "EUR"), "MRR €1.2k is ARR €14,400");
    assert_eq!(t.notes, "Line one\nline two, with a comma");
    assert_eq!(account_by_name(&db, "Quote \"Co\"").arr, Cents(600_000));
}

#[test]
fn month_first_dates_are_recognised() {
    let (_dir, db) = temp_db();
    let (ok, _, err) = tend(&db, &["import", "accounts", fixture("accounts_us_dates.csv").to_str().unwrap()]);
    assert!(ok, "{err}");
    let l = account_by_name(&db, "Liberty Bell Co");
    assert_eq!(l.renewal_date, Some("2027-03-04".parse().unwrap()));
    assert_eq!(l.customer_since, Some("2025-07-04".parse().unwrap()));
}

#[test]
fn ambiguous_dates_are_refused_unless_the_config_decides() {
    let (dir, db) = temp_db();
    let file = fixture("accounts_ambiguous_dates.csv");
    let (ok, _, err) = tend(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        err.contains("03/04/2027 on line 2, column \"renewal date\" could be day-first or month-first")
            && err.contains("import.date_order"),
        "{err}"
    );
    let config = dir.path().join("dmy.toml");
    std::fs::write(&config, "[import]\ndate_order = \"dmy\"\n").unwrap();
    let (ok, _, err) = tend_with(&db, &["import", "accounts", file.to_str().unwrap()], Some(&config));
    assert!(ok, "{err}");
    assert_eq!(account_by_name(&db, "Either Way Ltd").renewal_date, Some("2027-04-03".parse().unwrap()));
}

/// A file whose dates read either way is refused with its rows' other problems named too, so
/// that it is not mended one refusal at a time; the book stays as it was.
#[test]
fn undecided_dates_are_refused_with_the_rows_other_problems() {
    let (dir, db) = basic_book();
    let accounts = dir.path().join("crm.csv");
    std::fs::write(
        &accounts,
        "External ID,Account,CSM,ARR,Customer since,Renewal date\n\
         N1,Northwind,Maya,1000,2016-01-05,2027-01-01\n\
         N2,\"Brix, Inc\",Maya,abc,2020-01-05,2027-01-01\n\
         N3,Gamma,,2000,03/04/2021,\n\
         N4,Delta,Maya,2000,2021-13-45,2027-01-01\n",
    )
    .unwrap();
    let logs = dir.path().join("logs.csv");
    std::fs::write(&logs, "Account,Kind,Day,Score\nACME-1,sentiment,03/04/2026,5\nACME-1,sentiment,2026-04-05,14\n")
        .unwrap();
    let before = std::fs::read(&db).unwrap();
    let (ok, _, err) = tend(&db, &["import", "accounts", accounts.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("03/04/2021 on line 4, column \"Customer since\" could be day-first"), "{err}");
    assert!(err.contains("Its rows have 2 problems besides (nothing was imported)"), "{err}");
    assert!(err.contains("crm.csv:3: column \"ARR\": value \"abc\""), "{err}");
    assert!(err.contains("crm.csv:5: column \"Customer since\": value \"2021-13-45\""), "{err}");
    let (ok, _, err) = tend(&db, &["import", "logs", logs.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("could be day-first") && err.contains("logs.csv:3: column \"Score\": value \"14\""), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before, "a refused file changed the book");
    // Nothing else wrong: the refusal is the dates' alone, as before.
    std::fs::write(&logs, "Account,Kind,Day,Score\nACME-1,sentiment,03/04/2026,5\n").unwrap();
    let (ok, _, err) = tend(&db, &["import", "logs", logs.to_str().unwrap()]);
    assert!(!ok && err.contains("could be day-first") && !err.contains("besides"), "{err}");
}

#[test]
fn config_maps_unknown_headers() {
    let (dir, db) = temp_db();
    let config = dir.path().join("cols.toml");
    std::fs::write(&config, "[import.columns]\n\"Kundennummer\" = \"external_id\"\n").unwrap();
    let (ok, _, err) =
        tend_with(&db, &["import", "accounts", fixture("accounts_semicolon_eu.csv").to_str().unwrap()], Some(&config));
    assert!(ok, "{err}");
    assert_eq!(account_by_name(&db, "Bäckerei Sonnenschein").external_id, "DE-101");
    std::fs::write(&config, "[import.columns]\n\"Kundennummer\" = \"customer_number\"\n").unwrap();
    let (ok, _, err) = tend_with(&db, &["config", "check"], Some(&config));
    assert!(!ok && err.contains("cols.toml:2") && err.contains("\"customer_number\" is not a field"), "{err}");
}

#[test]
fn hubspot_preset() {
    let (_dir, db) = temp_db();
    let (ok, _, err) =
        tend(&db, &["import", "accounts", fixture("hubspot_companies.csv").to_str().unwrap(), "--preset", "hubspot"]);
    assert!(ok, "{err}");
    let h = account_by_name(&db, "Hooli");
    assert_eq!((h.external_id.as_str(), h.arr, h.csm.as_deref()), ("5012345", Cents(18_000_000), Some("Gavin Belson")));
    assert_eq!(h.customer_since, Some("2022-05-01".parse().unwrap()));
    // The company's own revenue is not its ARR with us: kept as an attribute.
    let store = Store::open(&db).unwrap();
    let attrs = &store.all_attributes().unwrap()[&h.id];
    assert!(attrs.contains(&("Annual Revenue".to_string(), "$9,000,000,000".to_string())), "{attrs:?}");
}

#[test]
fn salesforce_preset() {
    let (_dir, db) = temp_db();
    let (ok, _, err) = tend(
        &db,
        &["import", "accounts", fixture("salesforce_accounts.csv").to_str().unwrap(), "--preset", "salesforce"],
    );
    assert!(ok, "{err}");
    let u = account_by_name(&db, "Umbrella Corp");
    assert_eq!((u.external_id.as_str(), u.arr, u.currency.as_str()), ("0015g00000AbCdE", Cents(9_600_000), "USD"));
    assert_eq!(u.renewal_date, Some("2027-01-31".parse().unwrap()));
}

#[test]
fn stripe_preset_turns_subscriptions_into_arr_renewals_and_churn() {
    let (_dir, db) = temp_db();
    let (ok, said, err) =
        tend(&db, &["import", "accounts", fixture("stripe_subscriptions.csv").to_str().unwrap(), "--preset", "stripe"]);
    assert!(ok, "{err}");
    let w = account_by_name(&db, "Wayne Enterprises");
    assert_eq!((w.external_id.as_str(), w.arr), ("cus_A", Cents(294_000)), "49 x 5 seats x 12 months");
    // Billed monthly: the period's end is next month's charge, not a renewal to prepare for.
    assert_eq!(w.renewal_date, None);
    assert!(
        said.contains("2 subscriptions bill more often than yearly: the period's end is the next charge, not kept as a renewal date"),
        "{said}"
    );
    assert_eq!(account_by_name(&db, "Stark Industries").renewal_date, Some("2026-03-01".parse().unwrap()), "yearly");
    assert_eq!(w.status, AccountStatus::Active);
    let s = account_by_name(&db, "Stark Industries");
    assert_eq!((s.arr, s.status), (Cents(120_000), AccountStatus::Churned));
    assert_eq!(s.churned_on, Some("2026-10-01".parse().unwrap()));
    assert_eq!(account_by_name(&db, "Oscorp").status, AccountStatus::Active, "trialing counts as active");
}

/// An active subscription canceled to end with its period (Stripe's "cancel at period end")
/// churns when the period ends: a customer until then, its churn to come said; one whose period
/// ended before today is churned on that day. Kept active with the cancel day as its churn, it
/// counted in retention and was live everywhere else (a probe's).
#[test]
fn a_subscription_canceled_to_end_with_its_period_churns_then() {
    let (dir, db) = temp_db();
    let file = dir.path().join("stripe.csv");
    std::fs::write(
        &file,
        "id,Customer ID,Customer Description,Plan,Quantity,Interval,Amount,Currency,Created (UTC),Status,Canceled At (UTC),Current Period End (UTC)\n\
         sub_1,cus_M,Meridian Data,growth,1,year,1200.00,usd,2024-09-15 11:02,active,2026-11-18 16:02,2026-12-15 11:02\n\
         sub_2,cus_N,Nimbus Ltd,growth,1,year,1200.00,usd,2024-09-15 11:02,active,2026-10-18 16:02,2026-11-15 11:02\n\
         sub_3,cus_O,Orbit Co,growth,1,year,1200.00,usd,2024-09-15 11:02,active,,2027-09-15 11:02\n\
         sub_4,cus_P,Pastel AB,growth,1,year,2400.00,usd,2024-09-15 11:02,past_due,,2027-09-15 11:02\n",
    )
    .unwrap();
    let (ok, said, err) = tend(&db, &["import", "accounts", file.to_str().unwrap(), "--preset", "stripe"]);
    assert!(ok, "{err}");
    assert!(
        said.contains("2 active subscriptions were canceled to end with their period (the first on line 2: Meridian Data, canceled 2026-11-18, ends 2026-12-15)"),
        "{said}"
    );
    let m = account_by_name(&db, "Meridian Data");
    assert_eq!((m.status, m.churned_on), (AccountStatus::Active, None), "a customer until 2026-12-15");
    assert_eq!(m.renewal_date, None, "its period's end is no renewal");
    let n = account_by_name(&db, "Nimbus Ltd");
    assert_eq!((n.status, n.churned_on), (AccountStatus::Churned, Some("2026-11-15".parse().unwrap())));
    assert_eq!(account_by_name(&db, "Orbit Co").status, AccountStatus::Active);
    // A customer with two subscriptions: refused, told to merge them (not to skip the second).
    let two = dir.path().join("two.csv");
    std::fs::write(
        &two,
        "id,Customer ID,Customer Description,Plan,Quantity,Interval,Amount,Currency,Created (UTC),Status\n\
         sub_8,cus_V,Vellum Labs,base,1,year,1200.00,usd,2024-09-15 11:02,active\n\
         sub_9,cus_V,Vellum Labs,addon,1,year,300.00,usd,2025-01-15 11:02,active\n",
    )
    .unwrap();
    let (ok, _, err) = tend(&db, &["import", "accounts", two.to_str().unwrap(), "--preset", "stripe"]);
    assert!(
        !ok && err.contains("1 row names a customer a row before gave") && err.contains("merge its rows into one"),
        "{err}"
    );
    // An activity export given as accounts: most rows repeat an account.
    let chats = dir.path().join("chats.csv");
    std::fs::write(
        &chats,
        "Company,Created at,Assignee\nAcme,2026-11-01,Maya\nAcme,2026-11-02,Maya\nAcme,2026-11-03,Ben\nBeta,2026-11-03,Ben\nBeta,2026-11-04,Ben\n",
    )
    .unwrap();
    let (ok, _, err) = tend(&db, &["import", "accounts", chats.to_str().unwrap()]);
    assert!(
        !ok && err.contains("3 of the 5 rows repeat an account a row before gave")
            && err.contains("`tend import logs`"),
        "{err}"
    );
    // A failed payment is said, the customer kept.
    assert!(said.contains("1 subscription is past due or unpaid (the first on line 5: Pastel AB, $2,400)"), "{said}");
    assert_eq!(account_by_name(&db, "Pastel AB").status, AccountStatus::Active);
}

/// A billing export without its Interval column: renewal dates all within the next month are a
/// monthly plan's next charge, which the summary questions (and a file of yearly renewals spread
/// over the year does not).
#[test]
fn renewal_dates_bunched_in_the_next_month_are_questioned_without_an_interval() {
    let (dir, db) = temp_db();
    let file = dir.path().join("billing.csv");
    let mut csv = String::from("Customer ID,Customer Name,MRR,Current Period End (UTC)\n");
    for (i, day) in ["2026-11-25", "2026-11-28", "2026-12-01", "2026-12-05", "2026-12-12", "2026-12-20", "2027-06-01"]
        .iter()
        .enumerate()
    {
        csv.push_str(&format!("cus_{i},Shop {i},99,{day}\n"));
    }
    std::fs::write(&file, csv).unwrap();
    let (ok, said, err) = tend(&db, &["import", "accounts", file.to_str().unwrap(), "--preset", "stripe", "--dry-run"]);
    assert!(ok, "{err}");
    assert!(
        said.contains(
            "6 of the 7 renewal dates fall within the next 35 days, as a monthly subscription's next charge does: \
             if \"Current Period End (UTC)\" is the end of a billing period rather than of a contract"
        ),
        "{said}"
    );
    // Yearly renewals over the year: nothing to question.
    let spread = dir.path().join("spread.csv");
    let mut csv = String::from("Customer ID,Customer Name,ARR,Renewal Date\n");
    for month in 1..=12 {
        csv.push_str(&format!("c{month},Firm {month},12000,2027-{month:02}-15\n"));
    }
    std::fs::write(&spread, csv).unwrap();
    let (ok, said, err) = tend(&db, &["import", "accounts", spread.to_str().unwrap(), "--dry-run"]);
    assert!(ok, "{err}");
    assert!(!said.contains("subscription's next charge does"), "{said}");
    // Nor a file that gives its interval (its monthly period ends are left out, and said).
    let (ok, said, err) =
        tend(&db, &["import", "accounts", fixture("stripe_subscriptions.csv").to_str().unwrap(), "--preset", "stripe"]);
    assert!(ok, "{err}");
    assert!(!said.contains("subscription's next charge does"), "{said}");
}

#[test]
fn metrics_long_and_wide() {
    let (_dir, db) = basic_book();
    let (ok, out, err) = tend(&db, &["import", "metrics", fixture("metrics_long.csv").to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("4 new"), "{out}");
    let (ok, out, err) = tend(&db, &["import", "metrics", fixture("metrics_wide.csv").to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("imported 5 metric samples: 5 new"), "{out}");
    let store = Store::open(&db).unwrap();
    let acme = account_by_name(&db, "Acme Analytics").id;
    assert_eq!(store.sample(acme, "usage", "2026-11-01".parse().unwrap()).unwrap(), Some(1200.0));
    assert_eq!(store.sample(acme, "logins", "2026-11-08".parse().unwrap()).unwrap(), Some(25.0));
    let (_, out, _) = tend(&db, &["import", "metrics", fixture("metrics_wide.csv").to_str().unwrap()]);
    assert!(out.contains("0 new, 0 updated, 5 unchanged"), "{out}");
    // New, unchanged and changed samples in turn, each told apart, the changes with their values.
    let mixed = _dir.path().join("mixed.csv");
    std::fs::write(
        &mixed,
        "Account,Date,usage,logins\nACME-1,2026-11-15,1300,26\nACME-1,2026-11-08,1100,27\nACME-1,2026-11-22,1400,\nGlobex Corporation,2026-11-08,5000,41\n",
    )
    .unwrap();
    let (ok, out, err) = tend(&db, &["import", "metrics", mixed.to_str().unwrap(), "--dry-run"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("Acme Analytics (ACME-1) logins on 2026-11-08: 25 -> 27")
            && out.contains("logins on 2026-11-08: 40 -> 41"),
        "{out}"
    );
    let (ok, out, err) = tend(&db, &["import", "metrics", mixed.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("imported 7 metric samples: 3 new, 2 updated, 2 unchanged"), "{out}");
    assert_eq!(store.sample(acme, "logins", "2026-11-08".parse().unwrap()).unwrap(), Some(27.0));
    assert_eq!(store.sample(acme, "usage", "2026-11-22".parse().unwrap()).unwrap(), Some(1400.0));
}

/// A usage export names customers as the product knows them: under "Organization", with another
/// company form or none ("Globex" for Globex Corporation). Each is read as the one account whose
/// name has the same words, and said (a probe's 116 rows a week were refused); "Company 3" is
/// never read as an account "3" would name.
#[test]
fn a_usage_file_names_accounts_without_their_company_form() {
    let (dir, db) = basic_book();
    let file = dir.path().join("usage.csv");
    std::fs::write(
        &file,
        "Organization,Date,logins\nGlobex,2026-11-15,7\nAcme Analytics B.V.,2026-11-15,8\nInitech S.L.,2026-11-15,9\n",
    )
    .unwrap();
    let (ok, out, err) = tend(&db, &["import", "metrics", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("imported 3 metric samples: 3 new"), "{out}");
    assert!(
        out.contains("3 account names in the file are read as the one account whose name has the same words but for its company form")
            && out.contains("\"Globex\" as Globex Corporation")
            && out.contains("\"Initech S.L.\" as Initech"),
        "{out}"
    );
    let store = Store::open(&db).unwrap();
    let globex = account_by_name(&db, "Globex Corporation").id;
    assert_eq!(store.sample(globex, "logins", "2026-11-15".parse().unwrap()).unwrap(), Some(7.0));
    // A name of a company form and a number alone names no account by its words.
    std::fs::write(&file, "Organization,Date,logins\nCompany 3,2026-11-15,1\n").unwrap();
    let (ok, _, err) = tend(&db, &["import", "metrics", file.to_str().unwrap()]);
    assert!(!ok && err.contains("unknown account"), "{err}");
    // Two accounts of the same words: the form written with its dots tells them apart, the
    // words alone do not.
    let accounts = dir.path().join("more.csv");
    std::fs::write(&accounts, "External ID,Account Name\nNR-1,Nordic Robotics BV\nNR-2,Nordic Robotics AG\n").unwrap();
    let (ok, _, err) = tend(&db, &["import", "accounts", accounts.to_str().unwrap()]);
    assert!(ok, "{err}");
    std::fs::write(&file, "Organization,Date,logins\nNordic Robotics B.V.,2026-11-15,3\n").unwrap();
    let (ok, out, err) = tend(&db, &["import", "metrics", file.to_str().unwrap()]);
    assert!(ok && out.contains("\"Nordic Robotics B.V.\" as Nordic Robotics BV"), "{out}{err}");
    // The words alone name both: said so on every row, with the two (the sixth such name on
    // was told "no account in the book has this id or name").
    let rows: String = (0..7).map(|week| format!("Nordic Robotics,2026-{:02}-15,3\n", 4 + week)).collect();
    std::fs::write(&file, format!("Organization,Date,logins\n{rows}")).unwrap();
    let (ok, _, err) = tend(&db, &["import", "metrics", file.to_str().unwrap()]);
    let both = "2 accounts have this name but for their company form (NR-1 Nordic Robotics BV, NR-2 Nordic \
                Robotics AG): give the external id";
    assert!(!ok && err.contains(&format!("{both}; also on lines 3, 4, 5 and 3 more")), "every row alike: {err}");
    assert!(!err.contains("unknown account"), "{err}");
}

/// A file that changes the ARR of accounts the book got that same day corrects the import that
/// brought them (a monthly amount read as yearly): no expansion or contraction is recorded, and
/// said so. A probe's correction read as $38.9 million of contraction and an NRR of 1%. On a day
/// after, a change is a change.
#[test]
fn an_arr_corrected_the_day_the_book_got_the_account_is_no_contraction() {
    let (dir, db) = temp_db();
    let today = chrono::Utc::now().date_naive();
    let file = dir.path().join("crm.csv");
    let import = |text: &str, day: chrono::NaiveDate| {
        std::fs::write(&file, text).unwrap();
        let (ok, out, err) =
            common::tend_on_day(&db, &day.to_string(), &["import", "accounts", file.to_str().unwrap()]);
        assert!(ok, "{err}");
        out
    };
    import("External ID,Name,CSM,ARR\nT1,Tundra Energy,Maya,49000\nT2,Other Co,Maya,1000\n", today);
    let out = import("External ID,Name,CSM,ARR\nT1,Tundra Energy,Maya,490\nT2,Other Co,Maya,1000\n", today);
    assert!(
        out.contains("corrected the ARR of 1 account the book got today (Tundra Energy $49,000 -> $490)")
            && !out.contains("changed the ARR"),
        "{out}"
    );
    let changes = || -> i64 {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.query_row("SELECT count(*) FROM arr_changes", [], |r| r.get(0)).unwrap()
    };
    assert_eq!(changes(), 0);
    let yesterday = today.pred_opt().unwrap();
    let out = import("External ID,Name,CSM,ARR\nT1,Tundra Energy,Maya,490\nT2,Other Co,Maya,1200\n", yesterday);
    assert!(out.contains("changed the ARR of 1 account (Other Co $1,000 -> $1,200"), "{out}");
    assert_eq!(changes(), 1);
}

/// Use dated after an account churned is said (the churn wrong, or the customer back), and kept.
#[test]
fn usage_after_a_churn_is_said() {
    let (dir, db) = basic_book();
    let (ok, _, err) = tend(&db, &["churn", "ACME-1", "--reason", "budget", "--date", "2026-10-01"]);
    assert!(ok, "{err}");
    let file = dir.path().join("usage.csv");
    std::fs::write(
        &file,
        "Account,Date,logins\nACME-1,2026-09-20,5\nACME-1,2026-11-15,12\nACME-1,2026-11-16,0\nGLOB-2,2026-11-15,3\n",
    )
    .unwrap();
    let (ok, out, err) = tend(&db, &["import", "metrics", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(
        out.contains(
            "1 sample of use is dated after its account churned (line 3: Acme Analytics, churned 2026-10-01, logins 12 on 2026-11-15)"
        ) && out.contains("`tend reactivate`"),
        "{out}"
    );
    assert!(out.contains("imported 4 metric samples: 4 new"), "{out}");
}

#[test]
fn logs_import_once() {
    let (_dir, db) = basic_book();
    let (ok, out, err) = tend(&db, &["import", "logs", fixture("logs.csv").to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("5 new"), "{out}");
    let (_, out, _) = tend(&db, &["import", "logs", fixture("logs.csv").to_str().unwrap()]);
    assert!(out.contains("0 new, 0 updated, 5 unchanged"), "{out}");
    let (_, out, _) = tend(&db, &["log", "list", "ACME-1"]);
    assert!(out.contains("8/10 · Happy, renewing") && out.contains("qbr · Quarterly review"), "{out}");
}

#[test]
fn stdin_is_a_source() {
    let (_dir, db) = temp_db();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tend"))
        .args(["import", "accounts", "-", "--db"])
        .arg(&db)
        .env("TEND_AS_OF", TODAY)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"name,arr\nPiped Inc,4200\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("<stdin>: imported 1 account"));
    assert_eq!(account_by_name(&db, "Piped Inc").arr, Cents(420_000));
}

/// Each refusal names file, line, column and value, and leaves the book byte for byte as it was.
#[test]
fn refusals_change_nothing() {
    let cases = [
        (
            "accounts",
            "bad_date.csv",
            "bad_date.csv:2: column \"renewal date\": value \"2027-02-30\": February 2027 has no day 30 (it has 28)",
        ),
        (
            "accounts",
            "bad_number.csv",
            "bad_number.csv:2: column \"arr\": value \"twelve thousand\": not an amount of money (an empty cell is none on record)",
        ),
        (
            "accounts",
            "missing_column.csv",
            "missing_column.csv: no column for the account name (a header such as \"name\", \"account\", \"account name\", \"company\", \"company name\": rename the file's column to one of these; or map yours under [import.columns] in the config",
        ),
        (
            "accounts",
            "duplicate_key.csv",
            "duplicate_key.csv:3: column \"external id\": value \"ACME-1\": appears twice in the file (first on line 2)",
        ),
        (
            "metrics",
            "metrics_unknown_account.csv",
            "metrics_unknown_account.csv:3: column \"account\": value \"NOPE-9\": unknown account",
        ),
    ];
    for (what, file, expected) in cases {
        let (_dir, db) = basic_book();
        let before = std::fs::read(&db).unwrap();
        let (ok, _, err) = tend(&db, &["import", what, fixture(file).to_str().unwrap()]);
        assert!(!ok, "{file} must be refused");
        assert!(err.contains(expected), "{file}: expected {expected:?} in {err}");
        assert_eq!(std::fs::read(&db).unwrap(), before, "{file} changed the book");
        assert!(
            !db.with_extension("db-wal").exists() || std::fs::metadata(db.with_extension("db-wal")).unwrap().len() == 0
        );
    }
    // A refused first import leaves no book where there was none (not even an empty one).
    for file in ["bad_date.csv", "missing_column.csv", "duplicate_key.csv"] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("new.db");
        let (ok, _, err) = tend(&db, &["import", "accounts", fixture(file).to_str().unwrap()]);
        assert!(!ok, "{file} must be refused: {err}");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(left.is_empty(), "{file} left {left:?}");
    }
}

#[test]
fn skip_bad_rows_imports_the_rest_and_writes_rejects() {
    let (dir, db) = basic_book();
    let file = dir.path().join("mixed.csv");
    std::fs::write(&file, "external id,name,arr\nNEW-1,Newco,1000\nNEW-2,Badco,lots\n").unwrap();
    let (ok, out, err) = tend(&db, &["import", "accounts", file.to_str().unwrap(), "--skip-bad-rows"]);
    assert!(ok, "{err}");
    assert!(out.contains("1 new") && out.contains("1 row rejected"), "{out}");
    let rejects = std::fs::read_to_string(dir.path().join("mixed.rejects.csv")).unwrap();
    assert_eq!(rejects.lines().next().unwrap(), "external id,name,arr,rejected by tend because");
    assert!(
        rejects.contains("NEW-2,Badco,lots,arr: not an amount of money (an empty cell is none on record) (line 3)"),
        "{rejects}"
    );
    account_by_name(&db, "Newco");
    // Put right and imported again, its reasons are no attribute of the account (a probe's
    // "reason" was kept as one).
    let fixed = dir.path().join("fixed.csv");
    std::fs::write(&fixed, rejects.replace("lots", "2000")).unwrap();
    let (ok, out, err) = tend(&db, &["import", "accounts", fixed.to_str().unwrap()]);
    assert!(ok && out.contains("1 new"), "{out}{err}");
    assert!(!out.contains("rejected by tend") && !out.contains("attribute"), "{out}");
    // A semicolon file's rejects are written with semicolons, as the file was.
    let semi = dir.path().join("semi.csv");
    std::fs::write(&semi, "external id;name;arr\nNEW-3;Semico;1000\nNEW-4;Badsemi;lots\n").unwrap();
    let (ok, out, err) = tend(&db, &["import", "accounts", semi.to_str().unwrap(), "--skip-bad-rows"]);
    assert!(ok && out.contains("1 row rejected"), "{out}{err}");
    let rejects = std::fs::read_to_string(dir.path().join("semi.rejects.csv")).unwrap();
    assert!(rejects.starts_with("external id;name;arr;rejected by tend because\nNEW-4;Badsemi;lots;"), "{rejects}");
}

#[test]
fn many_problems_are_capped_at_twenty_with_the_total() {
    let (dir, db) = temp_db();
    let file = dir.path().join("many.csv");
    let mut text = String::from("name,arr\n");
    for i in 0..30 {
        text.push_str(&format!("Co {i},bad {i}\n"));
    }
    std::fs::write(&file, text).unwrap();
    let (ok, _, err) = tend(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(!ok);
    // At most eight kinds of one column, the rest counted (a column's twenty left no room for
    // another's).
    assert!(err.contains("30 problems in its rows") && err.contains("... and 22 more"), "{err}");
    assert_eq!(err.matches("column \"arr\"").count(), 8);
    let mixed: String = (0..20).map(|i| format!("Co {i},bad {i},\n")).chain(["Co 20,5,x\n".to_string()]).collect();
    std::fs::write(&file, format!("name,arr,customer_since\n{mixed}")).unwrap();
    let (ok, _, err) = tend(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(!ok && err.contains("many.csv:22: column \"customer_since\""), "another column's problem named: {err}");
    // The same value refused on many rows is said once, with the other lines it is on.
    let same: String = (0..30).map(|i| format!("Co {i},bad\n")).collect();
    std::fs::write(&file, format!("name,arr\n{same}")).unwrap();
    let (ok, _, err) = tend(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(!ok);
    assert_eq!(err.matches("column \"arr\"").count(), 1, "{err}");
    assert!(err.contains("many.csv:2: column \"arr\": value \"bad\": "), "{err}");
    // All 30 of them, not the first 20 and "... and 10 more" as if they were others.
    assert!(err.contains("; also on lines 3, 4, 5 and 26 more") && !err.contains("... and"), "{err}");
    // Twenty-five of one kind first leave room for the others after them: each kind is named
    // (a CRM export's 259 "Note" rows hid its unknown companies and bad dates in "... and 16 more").
    let kinds: String = (0..25).map(|i| format!("Co {i},bad\n")).chain(["Co 25,twelve\n".to_string()]).collect();
    std::fs::write(&file, format!("name,arr\n{kinds}Co 26,,x\n")).unwrap();
    let (ok, _, err) = tend(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("27 problems in its rows") && err.contains("and 21 more"), "{err}");
    assert!(err.contains("many.csv:27: column \"arr\": value \"twelve\""), "the second kind named: {err}");
    assert!(err.contains("many.csv:28:"), "the third kind named: {err}");
    assert!(!err.contains("... and"), "{err}");
}

#[test]
fn export_then_import_reproduces_the_book() {
    let (dir, source) = temp_db();
    let mut store = Store::open(&source).unwrap();
    tend::demo::build(
        &mut store,
        tend::demo::DemoSpec {
            accounts: 40,
            seed: 3,
            today: today(),
            journeys: &tend::config::Config::default().journeys,
        },
    )
    .unwrap();
    drop(store);
    let target = dir.path().join("copy.db");
    for what in ["accounts", "metrics", "logs", "goals", "milestones"] {
        let file = dir.path().join(format!("{what}.csv"));
        let (ok, _, err) = tend(&source, &["export", what, "-o", file.to_str().unwrap()]);
        assert!(ok, "{err}");
        let mut args = vec!["import", what, file.to_str().unwrap()];
        if what == "accounts" {
            args.push("--no-journeys");
        }
        let (ok, _, err) = tend(&target, &args);
        assert!(ok, "{what}: {err}");
    }
    let a = Store::open(&source).unwrap();
    let b = Store::open(&target).unwrap();
    let strip = |s: &Store| {
        s.all_accounts()
            .unwrap()
            .into_iter()
            .map(|mut a| {
                a.id = 0;
                a
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&a), strip(&b));
    assert_eq!(a.all_samples().unwrap(), b.all_samples().unwrap());
    let entries = |s: &Store| {
        s.all_entries()
            .unwrap()
            .into_iter()
            .map(|(ext, mut e)| {
                e.id = 0;
                e.account_id = 0;
                (ext, e)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(entries(&a), entries(&b));
    let plans = |s: &Store| {
        s.all_accounts()
            .unwrap()
            .into_iter()
            .map(|acc| {
                let goals: Vec<_> = s
                    .goals_for(acc.id)
                    .unwrap()
                    .into_iter()
                    .map(|g| {
                        let history: Vec<_> = g.history.iter().map(|h| (h.day, h.status, h.note.clone())).collect();
                        (g.words, g.measure, g.target_date, g.owner, g.status, g.created_on, history)
                    })
                    .collect();
                let milestones: Vec<_> = s
                    .milestones_for(acc.id)
                    .unwrap()
                    .into_iter()
                    .map(|m| (m.journey, m.name, m.due, m.done, m.note))
                    .collect();
                (acc.external_id, goals, milestones)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(plans(&a), plans(&b));
    // The same scores follow from the same facts.
    let (_, from_a, _) = tend(&source, &["export", "accounts"]);
    let (_, from_b, _) = tend(&target, &["export", "accounts"]);
    assert_eq!(from_a, from_b, "the copy scores every account the same");
    // Importing the same export again changes nothing.
    for what in ["goals", "milestones"] {
        let file = dir.path().join(format!("{what}.csv"));
        let (ok, out, _) = tend(&target, &["import", what, file.to_str().unwrap()]);
        assert!(ok && out.contains(" 0 new, 0 updated"), "{what}: {out}");
    }
    // JSON carries the same accounts.
    let (ok, out, _) = tend(&target, &["export", "accounts", "--format", "json"]);
    assert!(ok);
    let parsed: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(parsed.len(), 40);
    assert!(parsed[0].get("points_sentiment").is_some() && parsed[0].get("band").is_some());
}

/// A CSM the book did not have is said when it had some: a misspelt owner is a new CSM, and
/// would otherwise pass unseen. The book's first import, where every CSM is new, says nothing.
#[test]
fn a_new_csm_is_said_once_the_book_has_csms() {
    let (dir, db) = temp_db();
    let first = dir.path().join("first.csv");
    std::fs::write(&first, "external id,name,owner\nA-1,Acme,Alice Chen\nB-2,Beta,Bob Ray\n").unwrap();
    let (ok, out, err) = tend(&db, &["import", "accounts", first.to_str().unwrap()]);
    assert!(ok && !out.contains("new CSM"), "{out}{err}");
    let second = dir.path().join("second.csv");
    std::fs::write(&second, "external id,name,owner\nA-1,Acme,Alcie Chen\nB-2,Beta,Bob Ray\nC-3,Gamma,Dan Brown\n")
        .unwrap();
    let (ok, out, err) = tend(&db, &["import", "accounts", second.to_str().unwrap(), "--dry-run"]);
    assert!(
        ok && out.contains("new CSMs would be added: \"Alcie Chen\" (Alice Chen misspelt?), \"Dan Brown\""),
        "{out}{err}"
    );
    let (ok, out, err) = tend(&db, &["import", "accounts", second.to_str().unwrap()]);
    assert!(
        ok && out
            .contains("new CSMs added: \"Alcie Chen\" (Alice Chen misspelt?), \"Dan Brown\" (not in the book before;"),
        "{out}{err}"
    );
    // A logs file that signs entries by a CSM the book has not got says so too, with the one it
    // is like ("Chidi Ezee" beside Chidi Eze was added without a word); one it has, in any case,
    // is not new.
    let logs = dir.path().join("logs.csv");
    std::fs::write(
        &logs,
        "account,kind,date,score,channel,csm\nA-1,sentiment,2026-11-01,7,,Bob Rey\nB-2,sentiment,2026-11-02,6,,BOB RAY\nB-2,touch,2026-11-03,,call,Bob Rey\n",
    )
    .unwrap();
    let (ok, out, err) = tend(&db, &["import", "logs", logs.to_str().unwrap(), "--dry-run"]);
    assert!(ok && out.contains("new CSM would be added: \"Bob Rey\" (Bob Ray misspelt?)"), "{out}{err}");
}

/// A file with a header and no rows imports nothing, and says so rather than looking done.
#[test]
fn a_header_alone_says_the_file_holds_nothing() {
    let (dir, db) = basic_book();
    let file = dir.path().join("contacts.csv");
    std::fs::write(&file, "account,name,email\n\n").unwrap();
    let (ok, out, err) = tend(&db, &["import", "contacts", file.to_str().unwrap()]);
    assert!(ok && out.contains("imported 0 contacts") && out.contains("holds nothing to import"), "{out}{err}");
}

/// A goal's first row may say something: its note is kept with the first status, and the same
/// file imported again changes nothing (the note once went missing, and the second import added
/// the first status again with it).
#[test]
fn a_goals_first_note_is_kept_and_a_second_import_changes_nothing() {
    let (dir, db) = basic_book();
    let file = dir.path().join("goals.csv");
    std::fs::write(
        &file,
        "account,goal,status,date,note\nACME-1,Roll out to EU,at_risk,2026-10-01,Legal review pending\n\
         ACME-1,Roll out to EU,on_track,2026-11-01,cleared\n",
    )
    .unwrap();
    let (ok, out, err) = tend(&db, &["import", "goals", file.to_str().unwrap()]);
    assert!(ok && out.contains("1 new"), "{out}{err}");
    let (_, exported, _) = tend(&db, &["export", "goals"]);
    assert!(exported.contains("2026-10-01,at_risk,Legal review pending"), "{exported}");
    assert!(exported.contains("2026-11-01,on_track,cleared"), "{exported}");
    let (ok, out, err) = tend(&db, &["import", "goals", file.to_str().unwrap()]);
    assert!(ok && out.contains("0 new, 0 updated, 1 unchanged"), "{out}{err}");
    let (_, again, _) = tend(&db, &["export", "goals"]);
    assert_eq!(again, exported, "the second import wrote nothing");
}

/// A milestone done, a goal's status set or a task closed on a day after today is refused, line
/// and column named, as `tend milestone done --date` refuses it, and the book is left as it was
/// (a milestone done next month was counted done a month early).
#[test]
fn a_day_done_after_today_is_refused_in_every_plan_import() {
    let (dir, db) = basic_book();
    let future = "2026-12-24";
    let files = [
        (
            "milestones",
            format!(
                "account,journey,milestone,due,done\nACME-1,adoption,Kickoff,2026-11-01,2026-11-02\nACME-1,adoption,Go live,2027-01-15,{future}\n"
            ),
            3,
            "done",
        ),
        (
            "goals",
            format!(
                "account,goal,status,date\nACME-1,Roll out to EU,on_track,2026-11-01\nACME-1,Roll out to EU,achieved,{future}\n"
            ),
            3,
            "date",
        ),
        (
            "tasks",
            format!(
                "account,task,due,status,closed\nACME-1,Send QBR deck,2026-11-20,done,2026-11-21\nACME-1,Call CFO,2026-11-20,done,{future}\n"
            ),
            3,
            "closed",
        ),
    ];
    for (what, text, line, column) in files {
        let (_, before, _) = tend(&db, &["export", what]);
        let file = dir.path().join(format!("{what}.csv"));
        std::fs::write(&file, text).unwrap();
        let (ok, out, err) = tend(&db, &["import", what, file.to_str().unwrap()]);
        assert!(!ok, "{what}: {out}");
        let said = format!("{what}.csv:{line}: column \"{column}\"");
        assert!(
            err.contains(&said) && err.contains(&format!("{future} is in the future (today is {TODAY})")),
            "{what}: {err}"
        );
        let (_, after, _) = tend(&db, &["export", what]);
        assert_eq!(after, before, "{what}: a refused file changes nothing");
    }
}

/// A US export's short dates (month, day and a two-digit year, "7/5/25") are read in the file's
/// order as this century's: they were read as the year 7 ("renewal 0007-05-25 passed 737621d
/// ago") wherever the file also had a date month-first could only read ("8/14/24").
#[test]
fn short_us_dates_are_this_centurys() {
    let (dir, db) = temp_db();
    let file = dir.path().join("short.csv");
    std::fs::write(
        &file,
        "external id,name,customer since,renewal date\nS-1,Short One,7/5/25,8/7/26\nS-2,Short Two,8/14/24,12/2/27\n",
    )
    .unwrap();
    let (ok, out, err) = tend(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(ok && !out.contains("wrong way round"), "{out}{err}");
    let one = account_by_name(&db, "Short One");
    assert_eq!(one.customer_since.map(|d| d.to_string()).as_deref(), Some("2025-07-05"));
    assert_eq!(one.renewal_date.map(|d| d.to_string()).as_deref(), Some("2026-08-07"));
    let two = account_by_name(&db, "Short Two");
    assert_eq!(two.renewal_date.map(|d| d.to_string()).as_deref(), Some("2027-12-02"));
}

#[test]
fn skip_bad_rows_writes_rejects_for_milestones_too() {
    let (dir, db) = basic_book();
    let file = dir.path().join("plans.csv");
    std::fs::write(
        &file,
        "account,journey,milestone,due\nACME-1,adoption,Go live,2027-01-15\nACME-1,rollout,Bad one,2027-13-20\n",
    )
    .unwrap();
    let (ok, out, err) = tend(&db, &["import", "milestones", file.to_str().unwrap(), "--skip-bad-rows"]);
    assert!(ok, "{err}");
    assert!(out.contains("1 new") && out.contains("1 row rejected"), "{out}");
    let rejects = std::fs::read_to_string(dir.path().join("plans.rejects.csv")).unwrap();
    assert!(rejects.contains("Bad one") && rejects.contains("due"), "{rejects}");
}

/// A file big enough to be written as a bulk load, whose only bad row is its last: the rows
/// before it were already written when it was found, and still nothing lands. Every byte of the
/// book is as it was but SQLite's change counter in the file header: the import put the book
/// under a rollback journal for the load, and each change of journal mode counts as a change.
#[test]
fn a_bad_last_row_of_a_bulk_file_writes_nothing_and_the_book_stays_in_wal_mode() {
    let (dir, db) = basic_book();
    let rows = 60_000;
    let mut text = String::from("external id,name,arr,owner,region\n");
    for i in 0..rows {
        text.push_str(&format!("BULK-{i},Bulk Customer {i},\"${},500\",CSM {},EMEA\n", i % 90 + 1, i % 7));
    }
    let good = dir.path().join("bulk.csv");
    std::fs::write(&good, &text).unwrap();
    let bad = dir.path().join("bulk_bad.csv");
    std::fs::write(&bad, format!("{text}BULK-LAST,Last Co,not money,CSM 1,EMEA\n")).unwrap();

    let before = std::fs::read(&db).unwrap();
    let (ok, _, err) = tend(&db, &["import", "accounts", bad.to_str().unwrap()]);
    assert!(!ok, "the file must be refused");
    let last_line = rows + 2;
    assert!(err.contains(&format!("bulk_bad.csv:{last_line}: column \"arr\": value \"not money\"")), "{err}");
    let after = std::fs::read(&db).unwrap();
    // Bytes 24-27 (the file change counter) and 92-95 (the version it is valid for).
    let counters = |i: usize| (24..28).contains(&i) || (92..96).contains(&i);
    let first_change = before.iter().zip(&after).enumerate().position(|(i, (a, b))| a != b && !counters(i));
    assert!(
        after.len() == before.len() && first_change.is_none(),
        "a refused bulk file changed the book at byte {first_change:?} (length {} -> {})",
        before.len(),
        after.len()
    );
    assert!(!db.with_extension("db-journal").exists(), "a rollback journal was left behind");
    let mode = |db: &Path| -> String {
        rusqlite::Connection::open(db).unwrap().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap()
    };
    assert_eq!(mode(&db), "wal");

    // A bad row early, before any row was written: not even the change counter moves.
    let early = dir.path().join("bulk_early.csv");
    std::fs::write(&early, text.replacen("\"$1,500\"", "lots", 1)).unwrap();
    let (ok, _, err) = tend(&db, &["import", "accounts", early.to_str().unwrap()]);
    assert!(!ok && err.contains("bulk_early.csv:2: column \"arr\": value \"lots\""), "{err}");
    assert!(std::fs::read(&db).unwrap() == after, "a file refused at its first row changed the book");

    let (ok, out, err) = tend(&db, &["import", "accounts", good.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("60,000 new"), "{out}");
    assert_eq!(mode(&db), "wal");
    // The same file again changes nothing, and writes nothing.
    let imported = std::fs::read(&db).unwrap();
    let (ok, out, err) = tend(&db, &["import", "accounts", good.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("0 new, 0 updated, 60,000 unchanged"), "{out}");
    assert!(std::fs::read(&db).unwrap() == imported, "a re-import of a bulk file changed the book");
    let store = Store::open(&db).unwrap();
    let last = store.all_accounts().unwrap().into_iter().find(|a| a.external_id == "BULK-59999").unwrap();
    assert_eq!(last.arr, Cents(((59_999 % 90 + 1) * 1_000 + 500) * 100));
    assert_eq!(last.csm.as_deref(), Some("CSM 2"));
    let attributes = store.all_attributes().unwrap();
    assert_eq!(attributes[&last.id], vec![("region".to_string(), "EMEA".to_string())]);
}

#[test]
fn a_new_account_without_a_name_is_refused_but_a_known_one_may_leave_it_out() {
    let (dir, db) = basic_book();
    let before = std::fs::read(&db).unwrap();
    let file = dir.path().join("no_name.csv");
    std::fs::write(&file, "external id,name,arr\nACME-1,,5000\nNEW-9,,1000\n").unwrap();
    let (ok, _, err) = tend(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("no_name.csv:3: column \"name\": value \"\": a new account needs a name"), "{err}");
    assert!(!err.contains("no_name.csv:2:"), "the known account needs no name: {err}");
    assert!(std::fs::read(&db).unwrap() == before, "a refused file changed the book");

    let (ok, out, err) = tend(&db, &["import", "accounts", file.to_str().unwrap(), "--skip-bad-rows"]);
    assert!(ok, "{err}");
    assert!(out.contains("1 updated") && out.contains("1 row rejected"), "{out}");
    let acme = Store::open(&db).unwrap().all_accounts().unwrap().into_iter().find(|a| a.external_id == "ACME-1");
    let acme = acme.unwrap();
    assert!(!acme.name.is_empty());
    assert_eq!(acme.arr, Cents(500_000));
}

#[test]
fn owners_new_to_the_book_are_added_once_and_named_in_the_samples() {
    let (dir, db) = basic_book();
    let file = dir.path().join("owners.csv");
    std::fs::write(
        &file,
        "external id,name,csm\nACME-1,Acme Analytics,Zoe Newhire\nNEW-1,Newco,Zoe Newhire\nNEW-2,Twoco,Maya Patel\n",
    )
    .unwrap();
    let (ok, out, err) = tend(&db, &["import", "accounts", file.to_str().unwrap(), "--dry-run"]);
    assert!(ok, "{err}");
    assert!(out.contains("Acme Analytics (ACME-1): csm Maya Patel -> Zoe Newhire"), "{out}");
    let (ok, _, err) = tend(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    let store = Store::open(&db).unwrap();
    let csms: Vec<String> = store.csms().unwrap().into_iter().map(|(_, n)| n).collect();
    assert_eq!(csms.iter().filter(|n| *n == "Zoe Newhire").count(), 1, "{csms:?}");
    let owner = |id: &str| store.all_accounts().unwrap().into_iter().find(|a| a.external_id == id).unwrap().csm;
    assert_eq!(owner("ACME-1").as_deref(), Some("Zoe Newhire"));
    assert_eq!(owner("NEW-1").as_deref(), Some("Zoe Newhire"));
    assert_eq!(owner("NEW-2").as_deref(), Some("Maya Patel"));
}

/// A small file into a big book reads only the accounts the file names; it must match, update
/// and refuse exactly as when the whole book is read.
#[test]
fn a_small_file_into_a_big_book_matches_as_a_whole_book_read_would() {
    let (dir, db) = temp_db();
    let rows = 12_000;
    let mut text = String::from("external id,name,arr,owner,region\n");
    for i in 0..rows {
        text.push_str(&format!("BIG-{i},Big Customer {i},{},CSM {},EMEA\n", 1_000 + i, i % 5));
    }
    let big = dir.path().join("big.csv");
    std::fs::write(&big, &text).unwrap();
    let (ok, _, err) = tend(&db, &["import", "accounts", big.to_str().unwrap()]);
    assert!(ok, "{err}");

    // By external id: one unchanged, one updated (ARR and an attribute), one new.
    let small = dir.path().join("small.csv");
    std::fs::write(
        &small,
        "external id,name,arr,owner,region\nBIG-5,Big Customer 5,1005,CSM 0,EMEA\nBIG-7,Big Customer 7,9000,CSM 2,APAC\nNEW-1,New Co,10,CSM 1,EMEA\n",
    )
    .unwrap();
    let (ok, out, err) = tend(&db, &["import", "accounts", small.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("1 new, 1 updated, 1 unchanged"), "{out}");
    let store = Store::open(&db).unwrap();
    let seven = store.all_accounts().unwrap().into_iter().find(|a| a.external_id == "BIG-7").unwrap();
    assert_eq!(seven.arr, Cents(900_000));
    assert_eq!(store.all_attributes().unwrap()[&seven.id], vec![("region".to_string(), "APAC".to_string())]);
    assert_eq!(store.account_count().unwrap(), rows + 1);
    drop(store);

    // A known account may leave its name out; a new one may not.
    let names = dir.path().join("names.csv");
    std::fs::write(&names, "external id,name,arr\nBIG-9,,2000\nNEW-2,,10\n").unwrap();
    let (ok, _, err) = tend(&db, &["import", "accounts", names.to_str().unwrap()]);
    assert!(!ok && err.contains("names.csv:3: column \"name\"") && err.contains("a new account needs a name"), "{err}");

    // By name, in a file without ids: the same account is found by its name.
    let by_name = dir.path().join("by_name.csv");
    std::fs::write(&by_name, "company name,arr\nBig Customer 11,7777\n").unwrap();
    let (ok, out, err) = tend(&db, &["import", "accounts", by_name.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("0 new, 1 updated, 0 unchanged"), "{out}");
    let eleven = account_by_name(&db, "Big Customer 11");
    assert_eq!((eleven.external_id.as_str(), eleven.arr), ("BIG-11", Cents(777_700)));

    // Another system's ids naming the book's accounts are said, as when the whole book is read.
    let billing = dir.path().join("billing.csv");
    std::fs::write(&billing, "customer id,name,arr\ncus_1,Big Customer 12,100\n").unwrap();
    let (ok, out, err) = tend(&db, &["import", "accounts", billing.to_str().unwrap(), "--dry-run"]);
    assert!(ok, "{err}");
    assert!(
        out.contains(
            "1 new account has the name of an account of the book under another external id (Big Customer 12: \
             BIG-12 in the book, cus_1 in the file)"
        ),
        "{out}"
    );
}

/// What a new user's probe of the streamed importers found: CR LF files, numbers with stray
/// marks, log problems named by their own column, and a rejects file that cannot be written.
#[test]
fn crlf_lines_bad_marks_log_columns_and_unwritable_rejects() {
    let (dir, db) = basic_book();
    let before = std::fs::read(&db).unwrap();
    // Excel's and Python's CR LF line ends: the unknown account is on line 3.
    let crlf = dir.path().join("crlf.csv");
    std::fs::write(&crlf, "account,metric,date,value\r\nACME-1,usage,2026-10-01,5\r\nNOPE-9,usage,2026-10-08,5\r\n")
        .unwrap();
    let (ok, _, err) = tend(&db, &["import", "metrics", crlf.to_str().unwrap()]);
    assert!(!ok && err.contains("crlf.csv:3: column \"account\": value \"NOPE-9\""), "{err}");
    // Marks that group badly are no number; a single point is a decimal point.
    let marks = dir.path().join("marks.csv");
    std::fs::write(
        &marks,
        "account,metric,date,value\nACME-1,usage,2026-10-01,12.5.3\nACME-1,usage,2026-10-02,1.234\n",
    )
    .unwrap();
    let (ok, _, err) = tend(&db, &["import", "metrics", marks.to_str().unwrap()]);
    assert!(!ok && err.contains("marks.csv:2: column \"value\": value \"12.5.3\": not a number"), "{err}");
    assert!(!err.contains("1.234"), "{err}");
    // A log problem names its own column and value, once.
    let logs = dir.path().join("bad_logs.csv");
    std::fs::write(
        &logs,
        "account,kind,date,score,channel\nACME-1,sentiment,2026-10-01,11,\nACME-1,touch,2026-10-02,,\nACME-1,nps,2026-10-03,7.5,\n",
    )
    .unwrap();
    let (ok, _, err) = tend(&db, &["import", "logs", logs.to_str().unwrap()]);
    assert!(!ok, "{err}");
    assert!(err.contains("bad_logs.csv:2: column \"score\": value \"11\""), "{err}");
    assert!(err.contains("bad_logs.csv:3: column \"channel\": value \"\": say how"), "{err}");
    assert!(err.contains("bad_logs.csv:4: column \"score\": value \"7.5\": not a whole number"), "{err}");
    assert!(err.contains("3 problems in its rows"), "one problem a row: {err}");
    assert_eq!(std::fs::read(&db).unwrap(), before, "refused files change nothing");
    // A score the file has no column for (its `value` is not read as one): said with its columns.
    let valued = dir.path().join("valued_logs.csv");
    std::fs::write(&valued, "account,kind,date,value\nACME-1,sentiment,2026-10-01,4\n").unwrap();
    let (ok, _, err) = tend(&db, &["import", "logs", valued.to_str().unwrap()]);
    assert!(
        !ok && err
            .contains("a score 1-10 is needed; the file has no score column (its columns: account, kind, date, value)"),
        "{err}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), before, "refused files change nothing");
    // A risk's reason without a column for it: named as `tend help import` names it.
    let risky = dir.path().join("risky_logs.csv");
    std::fs::write(&risky, "Account,Kind,Date,Note\nACME-1,risk,2026-10-01,Champion leaving\n").unwrap();
    let (ok, _, err) = tend(&db, &["import", "logs", risky.to_str().unwrap()]);
    assert!(
        !ok && err.contains(
            "column \"Title\": value \"\": a risk needs a reason; the file has no Title (or Reason, Subject) column"
        ),
        "{err}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), before, "refused files change nothing");
    // Rejects that cannot be written refuse a streamed import before it lands.
    let (ok, _, err) =
        tend(&db, &["import", "metrics", crlf.to_str().unwrap(), "--skip-bad-rows", "--rejects", "/dev/full"]);
    assert!(!ok && err.contains("cannot write /dev/full"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before, "nothing landed");
}

/// A sample given twice is found whether the file is grouped by account (kept in memory) or
/// ordered by date (the pass runs again with every key claimed in the book), with the line it
/// first came on; and both orders import the same samples.
#[test]
fn repeated_samples_are_found_in_any_row_order() {
    let (dir, db) = basic_book();
    let days = ["2026-10-05", "2026-10-12", "2026-10-19"];
    let mut by_account = String::from("account,metric,date,value\n");
    let mut by_date = by_account.clone();
    for account in ["ACME-1", "GLOB-2"] {
        for (i, day) in days.iter().enumerate() {
            by_account.push_str(&format!("{account},usage,{day},{}\n", 10 + i));
        }
    }
    for (i, day) in days.iter().enumerate() {
        for account in ["ACME-1", "GLOB-2"] {
            by_date.push_str(&format!("{account},usage,{day},{}\n", 10 + i));
        }
    }
    for (name, text, first) in [("grouped.csv", &by_account, 2), ("dated.csv", &by_date, 2)] {
        let file = dir.path().join(name);
        std::fs::write(&file, format!("{text}ACME-1,usage,2026-10-05,99\n")).unwrap();
        let (ok, _, err) = tend(&db, &["import", "metrics", file.to_str().unwrap()]);
        assert!(!ok, "{name}");
        assert!(err.contains(&format!("{name}:8: column \"value\": value \"99\": a second usage value for this account and day (first on line {first})")), "{name}: {err}");
        let clean = dir.path().join(format!("clean-{name}"));
        std::fs::write(&clean, text).unwrap();
        let (ok, out, err) = tend(&db, &["import", "metrics", clean.to_str().unwrap(), "--dry-run"]);
        assert!(ok && out.contains("would import 6 metric samples: 6 new"), "{name}: {out}{err}");
    }
}

/// One person however a file capitalises their name: "GRACE KIM" and "grace kim" are the Grace Kim
/// the book met first, on import, on a later import and when logging by that name; reports list
/// one CSM with every account.
#[test]
fn an_owner_is_one_csm_whatever_the_case() {
    let (dir, db) = temp_db();
    let file = dir.path().join("a.csv");
    std::fs::write(&file, "External ID,Account,CSM\nA-1,Alpha,Grace Kim\nA-2,Beta,GRACE KIM\nA-3,Gamma,grace kim\n")
        .unwrap();
    let (ok, _, err) = tend(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    let store = Store::open(&db).unwrap();
    assert_eq!(store.csms().unwrap().iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>(), ["Grace Kim"]);
    drop(store);
    for name in ["Alpha", "Beta", "Gamma"] {
        assert_eq!(account_by_name(&db, name).csm.as_deref(), Some("Grace Kim"), "{name}");
    }
    // A later file in another case changes no owner, and a new account joins the same CSM.
    std::fs::write(&file, "External ID,Account,CSM\nA-1,Alpha,GRACE KIM\nA-4,Delta,Grace KIM\n").unwrap();
    let (ok, out, err) = tend(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("1 new") && out.contains("0 updated"), "{out}");
    let (ok, _, err) = tend(&db, &["task", "add", "Alpha", "call back", "--due", "fri", "--owner", "GRACE kim"]);
    assert!(ok, "{err}");
    let store = Store::open(&db).unwrap();
    assert_eq!(store.csms().unwrap().len(), 1, "{:?}", store.csms().unwrap());
    drop(store);
    let (ok, out, err) = tend(&db, &["report", "triage", "--csm", "grace KIM", "--all", "--format", "json"]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(doc["title"].as_str().unwrap().contains("Grace Kim"), "{out}");
}

/// A customer-since after the import's day is most likely a typo: the import keeps it as
/// written and says so, naming how many and the first one's line.
#[test]
fn a_customer_since_in_the_future_is_imported_and_said() {
    let (dir, db) = temp_db();
    let file = dir.path().join("a.csv");
    std::fs::write(
        &file,
        "External ID,Account,CSM,Customer since\nA-1,Alpha,Grace Kim,2019-04-02\nA-2,Beta,Grace Kim,2031-05-04\n\
         A-3,Gamma,Grace Kim,2026-11-23\nA-4,Delta,Grace Kim,2027-01-09\n",
    )
    .unwrap();
    let args = ["--as-of", "2026-11-23", "import", "accounts", file.to_str().unwrap()];
    let (ok, out, err) = tend(&db, &args);
    assert!(ok, "{err}");
    assert!(out.contains("4 new"), "{out}");
    assert!(
        out.contains(
            "2 accounts have a customer-since after 2026-11-23, kept as written (the first on line 3: 2031-05-04)"
        ),
        "{out}"
    );
    assert_eq!(account_by_name(&db, "Beta").customer_since, chrono::NaiveDate::from_ymd_opt(2031, 5, 4));
    // A file without one says nothing of it.
    std::fs::write(&file, "External ID,Account,CSM,Customer since\nA-5,Epsilon,Grace Kim,2020-01-01\n").unwrap();
    let (ok, out, err) = tend(&db, &args);
    assert!(ok, "{err}");
    assert!(!out.contains("customer-since"), "{out}");
}

/// A row of the wrong width names its line; one swallowed by a quote never closed says so,
/// since its count of fields alone ("2 where the header has 4") would puzzle. Nothing is written.
#[test]
fn a_quote_never_closed_is_named_as_the_likely_cause() {
    let (dir, db) = temp_db();
    let file = dir.path().join("q.csv");
    std::fs::write(&file, "External ID,Account,CSM,ARR\nA-1,\"Broken Co,Ana,1000\nA-2,Fine Co,Bob,2000\n").unwrap();
    let (ok, _, err) = tend(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        err.contains(
            "q.csv:2: has 2 fields where the header has 4; a quoted field runs on over the next line (to line 3, \
             whose rows are read as part of it)"
        ),
        "{err}"
    );
    std::fs::write(&file, "External ID,Account,CSM,ARR\nA-1,Alpha,Ana,1000,extra\n").unwrap();
    let (ok, _, err) = tend(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("q.csv:2: has 5 fields where the header has 4") && !err.contains("quote"), "{err}");
    // Refused, the first import leaves no book at all.
    assert!(!db.exists(), "no book made by a refused import");
}

/// A CSM new to the book is named as the file most often writes them, not as its first row
/// happens to ("dev patel"), and the summary says which spellings were taken as one.
#[test]
fn a_new_csm_is_named_as_the_file_most_often_writes_them() {
    let (dir, db) = temp_db();
    let file = dir.path().join("a.csv");
    let mut text = String::from("External ID,Account,CSM\nA-0,Alpha,dev patel\n");
    for (i, csm) in ["Dev Patel", "DEV PATEL", "Dev Patel", "Ana Cruz", "Dev Patel"].iter().enumerate() {
        text.push_str(&format!("A-{},Account {i},{csm}\n", i + 1));
    }
    std::fs::write(&file, &text).unwrap();
    let args = ["import", "accounts", file.to_str().unwrap()];
    let (ok, out, err) = tend(&db, &["import", "accounts", file.to_str().unwrap(), "--dry-run"]);
    assert!(ok, "{err}");
    assert!(out.contains("CSM \"Dev Patel\" also written \"dev patel\", \"DEV PATEL\""), "{out}");
    let (ok, out, err) = tend(&db, &args);
    assert!(ok, "{err}");
    assert!(
        out.contains("CSM \"Dev Patel\" also written \"dev patel\", \"DEV PATEL\", kept as a name is written"),
        "{out}"
    );
    let store = Store::open(&db).unwrap();
    let mut names: Vec<String> = store.csms().unwrap().into_iter().map(|(_, n)| n).collect();
    names.sort();
    assert_eq!(names, ["Ana Cruz", "Dev Patel"]);
    drop(store);
    assert_eq!(account_by_name(&db, "Alpha").csm.as_deref(), Some("Dev Patel"));
    // Once in the book, the book's spelling stays whatever a later file writes.
    std::fs::write(&file, "External ID,Account,CSM\nA-9,Omega,DEV PATEL\nA-10,Psi,DEV PATEL\n").unwrap();
    let (ok, out, err) = tend(&db, &args);
    assert!(ok, "{err}");
    assert!(!out.contains("also written"), "{out}");
    assert_eq!(account_by_name(&db, "Omega").csm.as_deref(), Some("Dev Patel"));
    // The spelling written as a name is, though fewer rows use it ("sam rivera" on every screen).
    std::fs::write(
        &file,
        "External ID,Account,CSM\nA-11,Rho,SAM LEE\nA-12,Tau,sam lee\nA-13,Chi,Sam Lee\nA-14,Phi,sam lee\n",
    )
    .unwrap();
    let (ok, out, err) = tend(&db, &args);
    assert!(ok, "{err}");
    assert_eq!(account_by_name(&db, "Rho").csm.as_deref(), Some("Sam Lee"), "{out}");
}

/// A row with more or fewer fields than the header is a bad row like any other, in every kind
/// of file: named with the rest (the file refused, nothing written), or with `--skip-bad-rows`
/// left out and written to the rejects file while the good rows go in.
#[test]
fn a_row_of_another_width_is_a_bad_row_that_skip_bad_rows_leaves_out() {
    let book = CrmBook::new(20);
    let files = [
        (
            "accounts",
            "External ID,Account,CSM,ARR\nNEW-1,New One,Ana Lima,1000\nNEW-2,Short\nNEW-3,Long,Ana Lima,1,extra\nNEW-4,New Four,Ana Lima,2000\n",
        ),
        (
            "metrics",
            "Account,Date,Metric,Value\nCRM-0001,2026-11-01,logins,5\nCRM-0002,2026-11-01\nCRM-0003,2026-11-01,logins,5,9\nCRM-0004,2026-11-01,logins,7\n",
        ),
        (
            "logs",
            "Account,Kind,Date,Score\nCRM-0004,sentiment,2026-11-02,3\nCRM-0005,sentiment\nCRM-0006,sentiment,2026-11-02,4,x\nCRM-0007,sentiment,2026-11-03,6\n",
        ),
        (
            "goals",
            "Account,Goal,Status,Date\nCRM-0004,Cut onboarding,on_track,2026-10-01\nCRM-0005,Short\nCRM-0006,Long,on_track,2026-10-01,x\nCRM-0007,Grow seats,at_risk,2026-10-02\n",
        ),
        (
            "milestones",
            "Account,Journey,Milestone,Due\nCRM-0004,adoption,QBR,2026-12-10\nCRM-0005,adoption\nCRM-0006,adoption,QBR,2026-12-10,x\nCRM-0007,adoption,Kickoff,2026-12-11\n",
        ),
        (
            "tasks",
            "Account,Task,Due,Note\nCRM-0004,Send the deck,2026-12-01,\nCRM-0005,Short\nCRM-0006,Long,2026-12-01,x,y\nCRM-0007,Call the VP,2026-12-02,\n",
        ),
        (
            "contacts",
            "Account,Name,Email,Title\nCRM-0004,Ana Ruiz,ana@c4.com,VP\nCRM-0005,Bo\nCRM-0006,Cy Long,cy@c6.com,CTO,x\nCRM-0007,Di Lane,di@c7.com,CFO\n",
        ),
    ];
    for (what, text) in files {
        let path = book.file(&format!("{what}.csv"), text);
        // Named with the rest, the file refused, nothing written.
        let err = book.refused(&["import", what, &path]);
        assert!(err.contains(&format!("{what}.csv:3: has 2 fields where the header has 4")), "{what}: {err}");
        assert!(err.contains(&format!("{what}.csv:4: has 5 fields where the header has 4")), "{what}: {err}");
        assert!(!err.contains("column \"\""), "{what}: a whole row's problem names no column: {err}");
        // Left out: the good rows go in, the others to the rejects file with why.
        let out = book.run(&["import", what, &path, "--skip-bad-rows"]);
        assert!(out.contains("rejects"), "{what}: {out}");
        let rejects = std::fs::read_to_string(book.dir.path().join(format!("{what}.rejects.csv"))).unwrap();
        assert_eq!(rejects.lines().count(), 3, "{what}: the header and the two rows: {rejects}");
        assert!(rejects.contains("has 2 fields where the header has 4 (line 3)"), "{what}: {rejects}");
        assert!(
            rejects.contains("has 5 fields where the header has 4 (line 4); the fields past the header's: "),
            "{what}: {rejects}"
        );
        let widths: Vec<usize> =
            csv::Reader::from_reader(rejects.as_bytes()).records().map(|r| r.unwrap().len()).collect();
        assert_eq!(widths, [5, 5], "{what}: every row the header's width and its reason: {rejects}");
    }
    let accounts = book.json(&["export", "accounts"]);
    let ids: Vec<&str> =
        accounts.iter().filter_map(|a| a["external_id"].as_str()).filter(|i| i.starts_with("NEW")).collect();
    assert_eq!(ids, ["NEW-1", "NEW-4"]);
    assert_eq!(book.json(&["task", "list"]).len(), 2, "the two good tasks");
}

/// A name two accounts share (a CRM with two "Company 3"s) names neither in a logs, metrics or
/// tasks file: the row is refused, naming both external ids, in any case it is written, and the
/// book is left as it was; the external id imports as ever.
#[test]
fn a_name_two_accounts_share_is_refused_in_files_naming_both() {
    let book = CrmBook::new(20);
    let second = book.file("more.csv", "External ID,Account,CSM\nCRM-9003,Company 3,Ben Okafor\n");
    book.run(&["import", "accounts", &second]);
    let day = common::today();
    for (name, text) in [
        ("logs.csv", format!("account,kind,date,score\nCompany 3,sentiment,{day},7\n")),
        ("usage.csv", format!("account,metric,date,value\ncompany 3,active_users,{day},12\n")),
        ("tasks.csv", format!("account,task,due\nCOMPANY 3,Call about the renewal,{day}\n")),
    ] {
        let kind = name.split('.').next().unwrap().replace("usage", "metrics");
        let file = book.file(name, &text);
        let err = book.refused(&["import", &kind, &file]);
        assert!(err.contains("2 accounts have this name (CRM-0003, CRM-9003): give the external id"), "{kind}: {err}");
    }
    let logs = book.file("by_id.csv", &format!("account,kind,date,score\nCRM-9003,sentiment,{day},7\n"));
    assert!(book.run(&["import", "logs", &logs]).contains("1 new"));
    let timeline = book.json(&["log", "list", "CRM-9003"]);
    assert!(timeline.iter().any(|t| t["kind"] == "sentiment"), "{timeline:?}");
    assert!(!book.json(&["log", "list", "CRM-0003"]).iter().any(|t| t["kind"] == "sentiment"));
}

/// A CRM file with ARR in dollars and in euros ("€1.2k") says so in its summary: the sums of
/// ARR tend shows add the amounts as they are.
#[test]
fn an_import_of_several_currencies_says_so() {
    let (dir, db) = common::temp_db();
    let file = common::crm_file(dir.path(), 40);
    let (ok, out, err) = tend(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(
        out.contains("\n  - ARR in 2 currencies (24 in USD, 8 in EUR): sums of ARR add the amounts unconverted"),
        "{out}"
    );
    // The same file again changes nothing, and says nothing of currencies.
    let (_, again, _) = tend(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(!again.contains("currencies"), "{again}");
}

/// An amount that names no currency is in the one its column's header names ("ARR (EUR)"); one
/// that names its own keeps it. A probe's German export had "10.057,00" under "ARR (EUR)" read as
/// dollars, its book then summing euros and dollars.
#[test]
fn a_headers_currency_is_its_bare_amounts() {
    let (dir, db) = common::temp_db();
    let file = dir.path().join("companies.csv");
    std::fs::write(
        &file,
        "Record ID;Company name;Company owner;ARR (EUR)\n\
         1;Müller GmbH;Lena Vogel;10.057,00\n2;Öko-Tech AG;Lena Vogel;84.505 EUR\n\
         3;Weiß SE;Lena Vogel;$12,000\n4;Groß KG;Lena Vogel;€ 1.250\n",
    )
    .unwrap();
    let (ok, out, err) = tend(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("ARR in 2 currencies (3 in EUR, 1 in USD)"), "{out}");
    let (_, json, _) = tend(&db, &["export", "accounts", "--format", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    let of = |id: &str| rows.iter().find(|r| r["external_id"] == id).map(|r| (r["arr"].clone(), r["currency"].clone()));
    assert_eq!(of("1"), Some((serde_json::json!(10057), serde_json::json!("EUR"))));
    assert_eq!(of("2"), Some((serde_json::json!(84505), serde_json::json!("EUR"))));
    assert_eq!(of("3"), Some((serde_json::json!(12000), serde_json::json!("USD"))), "its own kept");
    assert_eq!(of("4"), Some((serde_json::json!(1250), serde_json::json!("EUR"))));
}

/// A metric no health factor reads changes no score: the import says which, and which metrics the
/// factors do read, rather than leave a new user wondering why usage imported moved nothing.
#[test]
fn metrics_no_factor_reads_are_named_with_those_read() {
    let book = CrmBook::new(20);
    let file = book.file(
        "usage.csv",
        "account,metric,date,value\nCRM-0001,seats_used,2026-11-01,12\nCRM-0001,usage,2026-11-01,40\nCRM-0002,seats_used,2026-11-02,3\nCRM-0002,Logins,2026-11-02,7\n",
    );
    let out = book.run(&["import", "metrics", &file]);
    assert!(out.contains("imported 4 metric samples"), "{out}");
    assert!(out.contains("metric \"seats_used\" feeds no health factor yet"), "{out}");
    assert!(out.contains("the health factors read \"usage\""), "{out}");
    // Read ones are not named as unread; "Logins" is read as the logins a factor reads, as a
    // wide file's header is, and said.
    assert!(!out.contains("\"usage\", \"seats_used\""), "{out}");
    assert!(out.contains("read the metric \"Logins\" as logins"), "{out}");
    // A file of metrics the factors read says nothing of it.
    let read = book.file("read.csv", "account,metric,date,value\nCRM-0003,usage,2026-11-01,40\n");
    let out = book.run(&["import", "metrics", &read]);
    assert!(!out.contains("no health factor"), "{out}");
    let one = book.file("one.csv", "account,metric,date,value\nCRM-0003,seats_used,2026-11-03,4\n");
    let out = book.run(&["import", "metrics", &one]);
    assert!(out.contains("metric \"seats_used\" feeds no health factor yet"), "{out}");
}

/// A key or a name a row lacks or repeats is named under the file's own header, as every other
/// column's problem is ("External ID", "Account"), not tend's field name.
#[test]
fn problems_of_the_key_and_the_name_name_the_files_headers() {
    let book = CrmBook::new(5);
    let file = book.file(
        "crm.csv",
        "External ID,Account,CSM,ARR\nNEW-1,Initech,Maya Patel,1000\nNEW-1,Initech Two,Maya Patel,2000\nNEW-3,,Ben Okafor,300\n",
    );
    let err = book.refused(&["import", "accounts", &file]);
    assert!(err.contains("crm.csv:3: column \"External ID\": value \"NEW-1\": appears twice"), "{err}");
    assert!(err.contains("crm.csv:4: column \"Account\": value \"\": a new account needs a name"), "{err}");
}

/// The help names the headers each preset reads; a HubSpot file headed just so imports every one
/// of them (a probe could not tell why `--preset hubspot` read no ARR from "Annual Revenue").
#[test]
fn a_hubspot_file_headed_as_the_help_says_imports_with_the_preset() {
    let book = CrmBook::new(2);
    let help = book.run(&["help", "import", "accounts"]);
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    let said = help.rsplit("hubspot: ").next().and_then(|rest| rest.split(" salesforce: ").next()).expect(&help);
    let headers: Vec<&str> = said.split("), ").map(|h| h.split(" (").next().unwrap()).collect();
    assert_eq!(
        headers,
        [
            "Record ID",
            "Company Name",
            "Company Owner",
            "Annual Recurring Revenue",
            "Became a Customer Date",
            "Renewal Date",
            "Lifecycle Stage"
        ]
    );
    assert!(help.contains("\"Annual Revenue\" is the company's own turnover"), "{help}");
    let file = book.file(
        "hubspot.csv",
        &format!(
            "{},Annual Revenue\n77,Hub Co,Maya Patel,24000,2025-03-01,2027-03-01,customer,90000000\n",
            headers.join(",")
        ),
    );
    book.run(&["import", "accounts", &file, "--preset", "hubspot"]);
    let exported = book.run(&["export", "accounts", "--format", "csv"]);
    let row = exported.lines().find(|l| l.starts_with("77,")).expect(&exported);
    assert!(row.starts_with("77,Hub Co,Maya Patel,24000") && row.contains("2025-03-01,2027-03-01"), "{row}");
}

/// A new user asks what each kind of file needs, writes a file with just the columns the help
/// says are needed, and it imports into a book tend did not generate.
#[test]
fn a_file_with_the_columns_the_help_names_imports() {
    let book = CrmBook::new(20);
    let (ok, help, err) = tend_on(&book.path, &["help", "import", "accounts"]);
    assert!(ok, "{err}");
    assert!(help.contains("Usage: tend import"), "{help}");
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    let files = [
        (
            "accounts",
            "Name (or Account, Account Name): needed, or an External ID to name it by",
            "CSM,Name\nMaya Patel,New Customer Ltd\n",
        ),
        (
            "metrics",
            "metrics Long: Account, Metric, Date, Value",
            "Account,Metric,Date,Value\nCRM-0001,usage,2026-11-16,40\n",
        ),
        ("logs", "logs Account, Kind, Date; Score", "Account,Kind,Date,Score\nCRM-0001,sentiment,2026-11-20,7\n"),
        (
            "goals",
            "goals Account, Goal, Status, Date;",
            "Account,Goal,Status,Date\nCRM-0002,Roll out reports,on track,2026-11-01\n",
        ),
        (
            "milestones",
            "milestones Account, Journey, Milestone, Due;",
            "Account,Journey,Milestone,Due\nCRM-0003,Onboarding,Kickoff,2026-12-10\n",
        ),
        ("tasks", "tasks Account, Task, Due;", "Account,Task,Due\nCRM-0004,Send the QBR deck,2026-12-04\n"),
        (
            "contacts",
            "contacts Account, Name (or First Name and Last Name);",
            "Account,Name\nCRM-0005,Dana Whitfield\n",
        ),
    ];
    for (kind, named, text) in files {
        assert!(help.contains(named), "the help does not say {kind} needs {named}: {help}");
        let file = book.file(&format!("{kind}.csv"), text);
        book.run(&["import", kind, &file]);
        // The row's last value is in the book now, as the export of that kind says.
        let last = text.lines().nth(1).unwrap().rsplit(',').next().unwrap();
        let exported = book.run(&["export", kind, "--format", "csv"]);
        assert!(exported.contains(last), "{kind}: {last} not in {exported}");
    }
}

/// A survey tool's export names respondents the book mostly does not have as contacts: their
/// answers count all the same, linked to the contact where one has that name or email, and the
/// rest said; a touch with someone unknown is still refused.
#[test]
fn survey_answers_from_people_who_are_not_contacts_are_imported_and_said() {
    let book = CrmBook::new(20);
    let contacts = book.file("contacts.csv", "Account,Name,Email\nCRM-0001,Dana Whitfield,dana@acme.example\n");
    book.run(&["import", "contacts", &contacts]);
    let survey = book.file(
        "nps.csv",
        "Account,Survey,Submitted At,Rating,Respondent,Email\n\
         CRM-0001,NPS,2026-11-20,9,D. Whitfield,dana@acme.example\n\
         CRM-0002,NPS,2026-11-21,3,Joe Bloggs,joe@company2.example\n\
         CRM-0003,NPS,2026-11-21,6,,pat@company3.example\n",
    );
    let said = book.run(&["import", "logs", &survey]);
    assert!(said.contains("3 new"), "{said}");
    assert!(
        said.contains("2 survey answers name respondents who are not a contact of the account (the first on line 3: \"Joe Bloggs\")"),
        "{said}"
    );
    let logs = book.run(&["export", "logs", "--format", "csv"]);
    assert!(logs.lines().any(|l| l.starts_with("CRM-0001,nps,2026-11-20,9") && l.contains("Dana Whitfield")), "{logs}");
    assert!(logs.lines().any(|l| l.starts_with("CRM-0002,nps,2026-11-21,3")), "{logs}");
    // Again: nothing new.
    assert!(book.run(&["import", "logs", &survey]).contains("0 new, 0 updated, 3 unchanged"));
    // Again once the respondent is a contact with a role: the answer imported without them is
    // the same answer, not a second one.
    let joe = book.file("joe.csv", "Account,Name,Email,Role\nCRM-0002,Joe Bloggs,joe@company2.example,champion\n");
    book.run(&["import", "contacts", &joe]);
    let again = book.run(&["import", "logs", &survey]);
    assert!(again.contains("0 new, 0 updated, 3 unchanged"), "{again}");
    // A touch is the CSM's own record: someone it names must be a contact.
    let touch = book.file("touch.csv", "Account,Kind,Date,Channel,With\nCRM-0002,touch,2026-11-21,call,Ann Other\n");
    let err = book.refused(&["import", "logs", &touch]);
    assert!(err.contains("no contact of the account is called \"Ann Other\""), "{err}");
}

/// A survey tool's export without an account column (respondent email, score, survey, day, as
/// a probe's had it): each row's account is the one whose contact has that email, linked to
/// that contact; an email no contact has is a bad value of its row, and one that contacts of
/// two accounts have says which.
#[test]
fn a_survey_export_finds_each_answers_account_by_its_respondents_email() {
    let book = CrmBook::new(10);
    let survey = book.file(
        "survey.csv",
        "Respondent Email,Score,Survey,Submitted At,Comment
         dana@acme.example,9,NPS,2026-11-20,Great support
         JOE@Company2.example,2,CSAT,2026-11-21,Slow
",
    );
    // Without contacts the account column is asked for, as ever.
    let err = book.refused(&["import", "logs", &survey]);
    assert!(err.contains("no column for the account"), "{err}");
    let contacts = book.file(
        "contacts.csv",
        "Account,Name,Email
CRM-0001,Dana Whitfield,dana@acme.example
CRM-0002,Joe Bloggs,joe@company2.example
         CRM-0003,Sam Shared,sam@shared.example
CRM-0004,Sam Shared,sam@shared.example
",
    );
    book.run(&["import", "contacts", &contacts]);
    let said = book.run(&["import", "logs", &survey]);
    assert!(said.contains("2 new"), "{said}");
    let logs = book.run(&["export", "logs", "--format", "csv"]);
    assert!(logs.lines().any(|l| l.starts_with("CRM-0001,nps,2026-11-20,9") && l.contains("Dana Whitfield")), "{logs}");
    assert!(logs.lines().any(|l| l.starts_with("CRM-0002,csat,2026-11-21,2") && l.contains("Joe Bloggs")), "{logs}");
    let bad = book.file(
        "bad.csv",
        "Respondent Email,Score,Survey,Submitted At
nobody@else.example,7,NPS,2026-11-22
sam@shared.example,8,NPS,2026-11-22
",
    );
    let err = book.refused(&["import", "logs", &bad]);
    assert!(
        err.contains("bad.csv:2: column \"Respondent Email\": value \"nobody@else.example\": no contact in the book has this email"),
        "{err}"
    );
    assert!(err.contains("contacts of several accounts have this email (CRM-0003, CRM-0004)"), "{err}");
}

/// A help desk's export, a row a ticket (a probe's was refused by `import metrics`, "Ticket ID:
/// not a number"), is counted a day as the support_tickets metric: a ticket listed twice once,
/// a timestamp read as its day, an unknown account a bad row; every live account without a
/// ticket in the file's days counts 0, so its support tickets factor reads 0, not "no data".
#[test]
fn a_ticket_export_is_counted_a_day_as_support_tickets() {
    let book = CrmBook::new(10);
    let tickets = book.file(
        "tickets.csv",
        "Ticket ID,Organization,Created at,Priority\n\
         T-1,CRM-0004,2026-11-20 09:15:00,high\n\
         T-2,CRM-0004,2026-11-20T10:00:00Z,low\n\
         T-3,CRM-0006,2026-11-02 14:00:00,normal\n\
         T-3,CRM-0006,2026-11-02 14:00:00,normal\n\
         T-4,Unknown Co,2026-11-10,low\n",
    );
    let err = book.refused(&["import", "tickets", &tickets]);
    assert!(err.contains("tickets.csv:6: column \"Organization\": value \"Unknown Co\": unknown account"), "{err}");
    assert!(book.json(&["export", "metrics"]).is_empty(), "a refused file writes nothing");
    let said = book.run(&["import", "tickets", &tickets, "--skip-bad-rows"]);
    assert!(said.contains("1 row rejected"), "{said}");
    assert!(
        said.contains("3 tickets opened from 2026-11-02 to 2026-11-20, counted a day as the support_tickets metric"),
        "{said}"
    );
    assert!(said.contains("1 row repeats a ticket listed before (by its id): counted once"), "{said}");
    let samples = book.json(&["export", "metrics"]);
    let on = |account: &str, day: &str| -> Option<f64> {
        samples
            .iter()
            .find(|s| s["account"] == account && s["metric"] == "support_tickets" && s["date"] == day)
            .and_then(|s| s["value"].as_f64())
    };
    assert_eq!(on("CRM-0004", "2026-11-20"), Some(2.0));
    assert_eq!(on("CRM-0006", "2026-11-02"), Some(1.0));
    // No ticket: 0 once a week back from the last day.
    for day in ["2026-11-20", "2026-11-13", "2026-11-06"] {
        assert_eq!(on("CRM-0005", day), Some(0.0), "{day}");
    }
    assert_eq!(on("CRM-0005", "2026-11-19"), None);
    // The factor reads the counts: 2 tickets, and 0 where there were none.
    let accounts = book.json(&["export", "accounts"]);
    let value = |id: &str| accounts.iter().find(|a| a["external_id"] == id).unwrap()["value_support_tickets"].clone();
    assert_eq!(value("CRM-0004").as_f64(), Some(2.0), "{accounts:?}");
    assert_eq!(value("CRM-0005").as_f64(), Some(0.0), "{accounts:?}");
    // The same file again adds nothing.
    let again = book.run(&["import", "tickets", &tickets, "--skip-bad-rows"]);
    assert!(again.contains(" 0 new, 0 updated"), "{again}");
}

/// Zendesk heads its ticket numbers "Id": the account is its Organization, and "Id" counts a
/// ticket once (a probe's export was refused whole, "1001: unknown account"). A file whose only
/// account-like column is a bare "Id" is refused for want of an account column.
#[test]
fn a_zendesk_export_reads_its_id_as_the_tickets() {
    let book = CrmBook::new(10);
    let tickets = book.file(
        "zendesk.csv",
        "Id,Organization,Created at,Status,Priority,Subject\n\
         1001,Company 4,2026-11-20T09:15:00Z,open,high,Login fails\n\
         1002,Company 4,2026-11-21T10:00:00Z,solved,low,Export\n\
         1002,Company 4,2026-11-21T10:00:00Z,solved,low,Export\n",
    );
    let said = book.run(&["import", "tickets", &tickets]);
    assert!(said.contains("2 tickets opened from 2026-11-20 to 2026-11-21"), "{said}");
    assert!(said.contains("support_tickets samples (an account's tickets of a day, 0s included)"), "{said}");
    assert!(said.contains("1 row repeats a ticket listed before (by its id)"), "{said}");
    // A ticket with no organization is no account's: left out and said, not a bad row.
    let blank = book.file(
        "blank.csv",
        "Id,Organization,Created at\n1003,,2026-11-20T09:15:00Z\n1004,Company 5,2026-11-20T09:15:00Z\n",
    );
    let said = book.run(&["import", "tickets", &blank]);
    assert!(said.contains("1 ticket names no account (a blank \"Organization\"): left out"), "{said}");
    assert!(said.contains("1 ticket opened from 2026-11-20 to 2026-11-20"), "{said}");
    let ids_only = book.file("ids.csv", "Id,Created at\n1001,2026-11-20\n");
    let err = book.refused(&["import", "tickets", &ids_only]);
    assert!(err.contains("no column for the account"), "{err}");
}

/// A Salesforce accounts report lists prospects, partners and former customers beside the
/// customers, told apart by `Type`: churned ones come in churned, and those that are no customer
/// are left out and said, so that no sum of ARR counts them. HubSpot's `Lifecycle Stage` too.
#[test]
fn a_crms_account_type_says_who_is_a_customer() {
    let book = CrmBook::new(8);
    let report = book.file(
        "salesforce.csv",
        "Account ID,Account Name,Account Owner,Annual Contract Value,Customer Since,Contract End Date,Type\n\
         0015g00000AbCdEAAV,Alpha Direct,Maya Patel,\"$12,000\",2020-01-01,06/30/2027,Customer - Direct\n\
         0015g00000AbCdFAAV,Beta Gone,Maya Patel,5000,2019-01-01,01/31/2026,Customer - Churned\n\
         0015g00000AbCdGAAV,Gamma Maybe,Ben Okafor,40000,,,Prospect\n\
         0015g00000AbCdHAAV,Delta Resells,Ben Okafor,7000,2021-05-05,12/31/2026,Channel Partner / Reseller\n\
         0015g00000AbCdIAAV,Epsilon Channel,Ben Okafor,9000,2022-05-05,12/31/2026,Customer - Channel\n",
    );
    let said = book.run(&["import", "accounts", &report, "--preset", "salesforce"]);
    assert!(said.contains("imported 3 accounts: 3 new"), "{said}");
    assert!(said.contains("2 rows are not customers (the first on line 4: \"Prospect\"): left out"), "{said}");
    assert!(
        said.contains(
            "of the new accounts, 1 is churned already: counted in retention and the back-test, in no Triage list or \
             renewal forecast"
        ),
        "{said}"
    );
    let accounts = book.json(&["export", "accounts"]);
    let status = |name: &str| accounts.iter().find(|a| a["name"] == name).map(|a| a["status"].clone());
    assert_eq!(status("Alpha Direct"), Some("active".into()));
    assert_eq!(status("Beta Gone"), Some("churned".into()));
    assert_eq!(status("Epsilon Channel"), Some("active".into()));
    assert_eq!(status("Gamma Maybe"), None);
    assert_eq!(status("Delta Resells"), None);

    let hubspot = book.file(
        "hubspot.csv",
        "Record ID,Company name,Company owner,Annual recurring revenue,Lifecycle Stage\n\
         9001,Hub Customer,Maya Patel,3000,Customer\n9002,Hub Lead,Maya Patel,,Lead\n9003,Hub Fan,Maya Patel,4000,Evangelist\n",
    );
    let said = book.run(&["import", "accounts", &hubspot, "--preset", "hubspot"]);
    assert!(said.contains("imported 2 accounts") && said.contains("1 row is not a customer"), "{said}");
}

/// A usage export says "N/A" where a metric was not measured: that cell is no sample, the row's
/// other metrics are kept (a whole month was refused for one N/A), and the summary says so.
#[test]
fn a_metric_cell_saying_n_a_is_no_sample() {
    let book = CrmBook::new(10);
    let wide = book.file(
        "usage.csv",
        "Account ID,Month,Active Users,Logins,Reports Created\n\
         CRM-0001,2026-09-01,27,432,N/A\nCRM-0001,2026-10-01,30,450,12\nCRM-0002,2026-10-01,#N/A,-,3\n",
    );
    let said = book.run(&["import", "metrics", &wide]);
    assert!(said.contains("imported 6 metric samples: 6 new"), "{said}");
    assert!(said.contains("3 cells say there is no value (the first \"N/A\", on line 2): no sample"), "{said}");
    let samples = book.run(&["export", "metrics", "--format", "csv"]);
    // A month's values dated on its last day, when the month is whole.
    assert!(samples.lines().any(|l| l == "CRM-0001,active_users,2026-09-30,27"), "a count as given: {samples}");
    assert!(!samples.contains("reports_created,2026-09-30"), "{samples}");
    let long = book
        .file("long.csv", "Account,Metric,Date,Value\nCRM-0003,logins,2026-11-02,n/a\nCRM-0003,logins,2026-11-09,5\n");
    let said = book.run(&["import", "metrics", &long]);
    assert!(said.contains("1 new") && said.contains("1 cell says there is no value"), "{said}");
    // A file whose only value says there is none has a row: it is not said to have none.
    let none = book.file("none.csv", "Account,Metric,Date,Value\nCRM-0003,logins,2026-11-02,NaN\n");
    let said = book.run(&["import", "metrics", &none]);
    assert!(said.contains("imported 0 metric samples") && said.contains("none of its rows gives a value"), "{said}");
    assert!(!said.contains("no rows under its header") && said.contains("1 cell says there is no value"), "{said}");
    // A long file's blank value is the same (it was refused as "not a number" beside "n/a").
    let blank = book.file(
        "blank.csv",
        "Account,Metric,Date,Value
CRM-0004,logins,2026-11-02,
CRM-0004,logins,2026-11-09,n/a
",
    );
    let said = book.run(&["import", "metrics", &blank]);
    assert!(said.contains("2 cells say there is no value (the first blank, on line 2): no sample"), "{said}");
}

/// A monthly export dates its rows by the month alone ("2025-12", "Dec 2025"): each row is the
/// month's value, dated on its last day as a "Month" column's first days are (a probe's file
/// was refused row by row, "not a date"). A problem list cut short says what it counts.
#[test]
fn a_month_without_a_day_is_the_months_value() {
    let book = CrmBook::new(10);
    let file = book.file(
        "monthly.csv",
        "Account ID,Month,Seats Used\nCRM-0001,2026-09,12\nCRM-0001,2026-10,14\nCRM-0002,Oct 2026,5\n",
    );
    let said = book.run(&["import", "metrics", &file]);
    assert!(said.contains("imported 3 metric samples: 3 new"), "{said}");
    let samples = book.run(&["export", "metrics", "--format", "csv"]);
    for line in
        ["CRM-0001,seats_used,2026-09-30,12", "CRM-0001,seats_used,2026-10-31,14", "CRM-0002,seats_used,2026-10-31,5"]
    {
        assert!(samples.lines().any(|l| l == line), "{line}: {samples}");
    }
    let mut bad = String::from("Account ID,Date,Logins\n");
    for i in 0..22 {
        bad.push_str(&format!("CRM-0001,someday {i},3\n"));
    }
    let err = book.refused(&["import", "metrics", &book.file("bad.csv", &bad)]);
    assert!(err.contains("... and 14 more problems"), "{err}");
}

/// An analytics export with a column per week (its headers are the dates) is refused saying so,
/// and how to write it: it was told to rename a date column it did not have.
#[test]
fn a_usage_file_with_a_column_per_week_is_refused_saying_its_headers_are_dates() {
    let book = CrmBook::new(3);
    let file = book.file("weekly.csv", "Account,2026-11-02,2026-11-09,2026-11-16\nCRM-0001,4,5,6\nCRM-0002,1,,3\n");
    let err = book.refused(&["import", "metrics", &file]);
    assert!(
        err.contains(
            "its headers are dates (3 of them, the first \"2026-11-02\"): a column per day or week is not read"
        ),
        "{err}"
    );
    // A file with one date header among metrics is still asked for its date column.
    let one = book.file("one.csv", "Account,Logins,2026-11-02\nCRM-0001,4,5\n");
    let err = book.refused(&["import", "metrics", &one]);
    assert!(err.contains("no column for the date") && !err.contains("its headers are dates"), "{err}");
}

/// A quote never closed in a value reads the lines after it into it, the row keeping its width:
/// the refusal says so, not only
/// "not a number" of a value that is most of the file.
#[test]
fn a_value_run_on_by_a_quote_never_closed_is_said() {
    let book = CrmBook::new(3);
    let file = book.file(
        "quoted.csv",
        "Account,Metric,Date,Value\nCRM-0001,logins,2026-11-02,\"12\nCRM-0001,logins,2026-11-03,5\nCRM-0002,logins,2026-11-03,6\n",
    );
    let err = book.refused(&["import", "metrics", &file]);
    assert!(
        err.contains(
            "quoted.csv:2: column \"Value\": value \"12\": a quoted field runs on over the next 2 lines (to line 4), \
             taking in what reads as a row of its own (\"CRM-0001,logins,2026-11-03,5\"): is a quote (\") not closed?"
        ),
        "{err}"
    );
}

/// A quote never closed in a log's last column took the rows after it into the note, the row
/// keeping its width: a probe's next call was lost without a word. It is a bad row, said with the
/// row it took in; a note of several lines (none of them a row of the file's width) still reads.
#[test]
fn a_note_run_on_over_the_next_rows_by_a_quote_never_closed_is_a_bad_row() {
    let book = CrmBook::new(3);
    let file = book.file(
        "calls.csv",
        "Account,Date,Type,Note\nCRM-0001,2026-11-02,call,\"went well\nCRM-0002,2026-11-03,call,all good\n",
    );
    let err = book.refused(&["import", "logs", &file]);
    assert!(
        err.contains(
            "calls.csv:2: column \"Note\": value \"went well\": a quoted field runs on over the next line (to line 3), \
             taking in what reads as a row of its own (\"CRM-0002,2026-11-03,call,all good\"): is a quote (\") not closed?"
        ),
        "{err}"
    );
    let notes = book.file(
        "notes.csv",
        "Account,Date,Type,Note\nCRM-0001,2026-11-02,call,\"Agenda:\n- pricing, seats\n- next steps\"\nCRM-0002,2026-11-03,call,ok\n",
    );
    let said = book.run(&["import", "logs", &notes]);
    assert!(said.contains("2 new"), "{said}");
    // A row cut short taken in, with the file's end inside the quote: it starts as a row does
    // (three cells and more, the first an account id like the row's), and is said (a probe's
    // was lost under the row's other error, a touch without its channel).
    let cut = book
        .file("cut.csv", "Account,Date,Type,Note\nCRM-0001,2026-11-02,call,\"went well\nCRM-0002,2026-11-03,call\n");
    let err = book.refused(&["import", "logs", &cut]);
    assert!(err.contains("taking in what reads as a row of its own (\"CRM-0002,2026-11-03,call\")"), "{err}");
    // A note of several lines before the last column, one of them shaped as a row starts, is a
    // note: a quote left open there would have shifted the cells after it (tend's own export of
    // a note "ü\nJX;1,U öß-'ß6,J8A\nf" was refused on its way back).
    let middle = book.file(
        "middle.csv",
        "Account,Date,Note,Type\nCRM-0001,2026-11-02,\"Agenda:\nCRM-0009,pricing,seats\nend\",call\n",
    );
    let said = book.run(&["import", "logs", &middle]);
    assert!(said.contains("imported 1 log entry"), "{said}");
}

/// A CRM export's odd cells: a trailing empty column on some rows, "TBD" for an ARR and "n/a"
/// for a date are read as blanks (each refused its whole row), while a real mistake still is.
#[test]
fn blanks_as_spreadsheets_write_them_are_blanks() {
    let book = CrmBook::new(4);
    let file = book.file(
        "odd.csv",
        "External ID,Account,ARR,Customer since,Renewal date\n\
         N-1,New One,TBD,n/a,2027-03-01,\n\
         N-2,New Two,5000,2024-01-01,-\n\
         N-3,New Three,N/A,2024-01-01,2027-05-01,,\n",
    );
    let said = book.run(&["import", "accounts", &file]);
    assert!(said.contains("imported 3 accounts: 3 new"), "{said}");
    assert!(said.contains("2 have no ARR (blank, 0, or a word for none: N/A, TBD;"), "{said}");
    let bad = book.file("bad.csv", "External ID,Account,ARR\nN-4,New Four,lots\n");
    let err = book.refused(&["import", "accounts", &bad]);
    assert!(err.contains("not an amount of money"), "{err}");
    // An owner of "N/A" is none, not a CSM of that name; a plan is text, kept as written (it
    // exports and imports back as itself, as a name does).
    let owners =
        book.file("owners.csv", "External ID,Account,CSM,Plan\nN-5,New Five,N/A,-\nN-6,New Six,Maya Patel,TBD\n");
    let said = book.run(&["import", "accounts", &owners]);
    assert!(said.contains("2 new") && !said.contains("new CSM"), "{said}");
    let accounts = book.json(&["export", "accounts"]);
    let five = accounts.iter().find(|a| a["external_id"] == "N-5").unwrap();
    assert!(five["csm"].is_null() || five["csm"] == "", "{five}");
    assert_eq!(five["plan"], "-", "{five}");
    let six = accounts.iter().find(|a| a["external_id"] == "N-6").unwrap();
    assert_eq!(six["csm"], "Maya Patel");
    assert_eq!(six["plan"], "TBD", "{six}");
}

/// A CRM export whose owner and ARR come under headers tend does not know: a unit in brackets
/// is read past ("ARR (USD)"), "CSM Owner" is the CSM, and where a file still gives no CSM or
/// ARR the summary names the columns no field reads, with how to map one.
#[test]
fn the_columns_a_file_gives_the_csm_and_arr_under_are_found_or_named() {
    let book = CrmBook::new(4);
    let found = book.file(
        "found.csv",
        "Company ID,Company,CSM Owner,ARR (USD),Contract Start (UTC),Tier\nU-1,Umbra Ltd,Maya Patel,5000,2020-01-01,Gold\n",
    );
    let said = book.run(&["import", "accounts", &found]);
    // Every column it needs found (the book has no expected usage: said apart).
    let gaps = ["no column gives the", "no column gives an external id", "no column gives the day"];
    assert!(gaps.iter().all(|gap| !said.contains(gap)), "{said}");
    let accounts = book.json(&["export", "accounts"]);
    let umbra = accounts.iter().find(|a| a["name"] == "Umbra Ltd").unwrap();
    assert_eq!((umbra["csm"].as_str(), umbra["arr"].as_f64()), (Some("Maya Patel"), Some(5000.0)), "{umbra}");
    assert_eq!(umbra["customer_since"], "2020-01-01");
    let unknown = book.file("unknown.csv", "Company ID,Company,Account Manager,Revenue\nV-1,Vela Co,Ben Okafor,7000\n");
    let said = book.run(&["import", "accounts", &unknown]);
    assert!(
        said.contains(
            "no column gives the CSM or the ARR: the columns no field reads, kept on the accounts, are \"Account Manager\", \"Revenue\""
        ) && said.contains("e.g. \"Account Manager\" = \"csm\""),
        "{said}"
    );
}

/// A churn file whose dates come under a header tend does not read: the churns are recorded,
/// and the summary says that without a day the back-test and retention cannot place them.
#[test]
fn churns_without_a_day_are_said() {
    let book = CrmBook::new(8);
    let file = book.file(
        "churns.csv",
        "External ID,Status,Closed Date\nCRM-0001,Churned,2026-09-30\nCRM-0002,Churned,2026-10-31\n",
    );
    let said = book.run(&["import", "accounts", &file]);
    assert!(said.contains("2 accounts marked churned have no churn date"), "{said}");
    assert!(said.contains("\"Closed Date\" = \"outcome_date\""), "{said}");
    // Mapped, the days are read, and nothing more is said.
    let config = book.file("tend.toml", "[import.columns]\n\"Closed Date\" = \"outcome_date\"\n");
    let again = book.file("again.csv", "External ID,Status,Closed Date\nCRM-0003,Churned,2026-09-30\n");
    let said = book.run(&["--config", &config, "import", "accounts", &again]);
    assert!(!said.contains("no churn date"), "{said}");
}

/// A file that looks like an export a preset reads, imported without it, is told the preset
/// where it would read columns otherwise kept as attributes ("Lifecycle Stage" let a HubSpot
/// file's leads in as active customers without a word).
#[test]
fn a_file_a_preset_reads_better_is_told_the_preset() {
    let (dir, db) = temp_db();
    let file = dir.path().join("hubspot.csv");
    std::fs::write(
        &file,
        "Record ID,Company name,Company owner,Lifecycle Stage\n1,Alpha,Maya Patel,customer\n2,Beta,Maya Patel,lead\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let (ok, out, err) = tend(&db, &["import", "accounts", path, "--dry-run"]);
    assert!(ok, "{err}");
    assert!(out.contains("\"Lifecycle Stage\" kept as a column no field reads: `--preset hubspot` reads it"), "{out}");
    let (ok, out, err) = tend(&db, &["import", "accounts", path, "--dry-run", "--preset", "hubspot"]);
    assert!(ok, "{err}");
    assert!(!out.contains("--preset"), "{out}");
}

/// A file that gives accounts to another CSM says so in its summary, with the first ("a
/// reassignment passed silently": only the count of updated accounts was said).
#[test]
fn an_import_that_moves_accounts_to_another_csm_says_so() {
    let book = CrmBook::new(8);
    let file = book.file(
        "moved.csv",
        "External ID,Account,CSM\nCRM-0001,Company 1,Maya Patel\nCRM-0002,Company 2,Liam Chen\nCRM-0005,Company 5,Maya Patel\n",
    );
    let dry = book.run(&["import", "accounts", &file, "--dry-run"]);
    assert!(
        dry.contains("would move 2 accounts to another CSM (the first: Company 1: Ben Okafor -> Maya Patel)"),
        "{dry}"
    );
    let said = book.run(&["import", "accounts", &file]);
    assert!(
        said.contains("moved 2 accounts to another CSM (the first: Company 1: Ben Okafor -> Maya Patel)"),
        "{said}"
    );
    // The same file again moves nobody.
    let again = book.run(&["import", "accounts", &file]);
    assert!(!again.contains("another CSM"), "{again}");
}

/// Renewal dates long past (a CRM's dates not kept up) are said at import, where they can be
/// mended: Triage has no reason for them and Renewals lists them last, which a probe found only
/// by sorting the Portfolio.
#[test]
fn renewal_dates_long_past_are_said_at_import() {
    let (dir, db) = common::temp_db();
    let file = dir.path().join("crm.csv");
    let day = |days: i64| (common::today() + chrono::Duration::days(days)).to_string();
    std::fs::write(
        &file,
        format!(
            "External ID,Account,CSM,Renewal date,Status\nA1,Old Date,Maya Patel,{},active\nA2,Recent,Maya Patel,{},active\n\
             A3,Ahead,Maya Patel,{},active\nA4,Older Date,Maya Patel,{},active\nA5,Gone,Maya Patel,{},churned\n",
            day(-200),
            day(-30),
            day(40),
            day(-400),
            day(-300)
        ),
    )
    .unwrap();
    let (ok, out, err) = tend(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(
        out.contains(&format!(
            "  - 2 renewal dates are more than 90 days past (the first: Old Date, {}): no Triage reason",
            day(-200)
        )),
        "{out}"
    );
    // One note, one line: no half-sentence of it on a line of its own.
    assert!(out.lines().all(|l| !l.starts_with("  - import the dates")), "{out}");
    assert!(
        out.contains("until a file gives the dates they renewed to or they are marked renewed or churned"),
        "{out}"
    );
    // The same file again: nothing changed, nothing said of them.
    let (_, again, _) = tend(&db, &["import", "accounts", file.to_str().unwrap()]);
    assert!(!again.contains("days past"), "{again}");
}

/// A usage file's numbers are read with the decimal mark the file shows: a German spreadsheet's
/// export (`;`, "1.500" logins, "12,5" hours) reads 1,500 logins, said where only its delimiter
/// told; a file showing both marks and a number either could read is refused, the book unchanged.
/// A probe's German export read 1,500 logins as 1.5 without a word.
#[test]
fn metric_numbers_follow_the_files_decimal_mark() {
    let book = CrmBook::new(10);
    let german = book.file(
        "usage_de.csv",
        "\u{feff}Week Starting;Company ID;Active Users;Logins\r\n\
         05.10.2026;CRM-0001;21;1.500\r\n12.10.2026;CRM-0001;23;980\r\n12.10.2026;CRM-0002;7;4.520\r\n",
    );
    let said = book.run(&["import", "metrics", &german]);
    assert!(said.contains("imported 6 metric samples"), "{said}");
    assert!(said.contains("read \"1.500\" (line 2, column \"Logins\") as 1500, a point grouping thousands"), "{said}");
    let samples = book.run(&["export", "metrics", "--format", "csv"]);
    // Each week's values dated on its last day.
    assert!(samples.lines().any(|l| l == "CRM-0001,logins,2026-10-11,1500"), "{samples}");
    assert!(samples.lines().any(|l| l == "CRM-0002,logins,2026-10-18,4520"), "{samples}");
    // A decimal comma elsewhere in the file decides it, whatever separates the cells: nothing guessed.
    let hours = book.file(
        "hours.csv",
        "Account,Metric,Date,Value\nCRM-0003,hours,2026-11-02,\"12,5\"\nCRM-0003,logins,2026-11-02,2.250\n",
    );
    let said = book.run(&["import", "metrics", &hours]);
    assert!(!said.contains("read \"2.250\""), "{said}");
    let samples = book.run(&["export", "metrics", "--format", "csv"]);
    assert!(samples.lines().any(|l| l == "CRM-0003,logins,2026-11-02,2250"), "{samples}");
    assert!(samples.lines().any(|l| l == "CRM-0003,hours,2026-11-02,12.5"), "{samples}");
    // Separated by commas with nothing else to tell: a decimal point, said.
    let plain = book.file("plain.csv", "Account,Metric,Date,Value\nCRM-0004,nps,2026-11-02,8.250\n");
    let said = book.run(&["import", "metrics", &plain]);
    assert!(said.contains("read \"8.250\" (line 2, column \"Value\") as 8.25 (if it means 8250"), "{said}");
    // Both marks, and a number either reads: refused, nothing written.
    let mixed = book.file(
        "mixed.csv",
        "Account,Metric,Date,Value\nCRM-0005,hours,2026-11-02,\"12,5\"\nCRM-0005,hours,2026-11-09,3.14\n\
         CRM-0005,logins,2026-11-09,1.500\n",
    );
    let err = book.refused(&["import", "metrics", &mixed]);
    assert!(err.contains("with a comma (12,5 on line 2") && err.contains("1.500 on line 4"), "{err}");
}

/// A wide usage export's column of names beside the id ("Company Name", as Amplitude writes it)
/// is no metric: not read, and said; its values are not bad cells. A probe's file was refused for
/// 5,110 of them. A row naming an account the book lacks says it may have been left out of the
/// accounts imported, not to import the accounts first.
#[test]
fn a_wide_usage_files_name_column_is_no_metric() {
    let book = CrmBook::new(10);
    let wide = book.file(
        "usage.csv",
        "Date,Company ID,Company Name,Active Users,Logins\n\
         2026-11-02,CRM-0001,Company 1,21,33\n2026-11-02,CRM-0002,Company 2,7,9\n",
    );
    let said = book.run(&["import", "metrics", &wide]);
    assert!(said.contains("imported 4 metric samples: 4 new"), "{said}");
    assert!(said.contains("column \"Company Name\" holds no number: not read as metrics"), "{said}");
    // A column with a number and a word is a metric with a bad cell, as before.
    let bad = book.file(
        "bad.csv",
        "Date,Company ID,Active Users,Logins\n2026-11-09,CRM-0001,21,lots\n2026-11-09,CRM-0002,7,9\n\
         2026-11-09,LEAD-9,1,1\n",
    );
    let err = book.refused(&["import", "metrics", &bad]);
    assert!(err.contains("bad.csv:2: column \"Logins\": value \"lots\": not a number"), "{err}");
    assert!(err.contains("value \"LEAD-9\": unknown account (no account in the book has this id or name"), "{err}");
    // An id of digits alone, on more rows than names are looked for on: every row says the same,
    // with no "names like it" (a probe's one id read two ways).
    let mut rows = String::from("Date,Company ID,Active Users\n");
    for week in 1..=8 {
        rows.push_str(&format!("2026-11-{:02},9100481,{week}\n", week + 1));
    }
    let err = book.refused(&["import", "metrics", &book.file("ids.csv", &rows)]);
    let said: Vec<&str> = err.lines().filter(|l| l.contains("9100481")).collect();
    assert_eq!(said.len(), 1, "one reason, said once for every row: {err}");
    assert!(
        said[0].ends_with(
            "unknown account (no account in the book has this id or name: not in the accounts imported, or left out \
             of them); also on lines 3, 4, 5 and 4 more"
        ),
        "{err}"
    );
}

/// An accounts file with no name column (or its name column mapped to `ignore`) names its new
/// accounts by their id, and says so; a later file with the names renames them.
#[test]
fn accounts_without_a_name_column_are_named_by_id_and_told() {
    let (dir, db) = common::temp_db();
    let ids = dir.path().join("ids.csv");
    std::fs::write(&ids, "Record ID,Company owner,ARR\n5000099999,Lena Vogel,100\n").unwrap();
    let (ok, out, err) = tend(&db, &["import", "accounts", ids.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("no column gives the accounts' names") && out.contains("named by their external id"), "{out}");
    let named = dir.path().join("named.csv");
    std::fs::write(&named, "Record ID,Company name\n5000099999,Müller GmbH\n").unwrap();
    let (ok, out, err) = tend(&db, &["import", "accounts", named.to_str().unwrap()]);
    assert!(ok && out.contains("1 updated") && !out.contains("no column gives the accounts' names"), "{out}{err}");
    let (_, list, _) = tend(&db, &["export", "accounts"]);
    assert!(list.contains("5000099999,Müller GmbH"), "{list}");
}

/// A logs file's kind as a CRM's activity type or a survey tool writes it: "QBR" and "Call" are
/// touches on that channel, "NPS Q4" an NPS answer; a kind that is none is refused naming both
/// lists. A probe's "QBR", "Call" and "NPS Q4" rows were refused as no kind of entry.
#[test]
fn a_logs_files_activity_types_read_as_touches_and_surveys() {
    let book = CrmBook::new(10);
    let logs = book.file(
        "activities.csv",
        "Account,Kind,Date,Score,Note\nCRM-0001,QBR,2026-11-02,,Quarterly review\nCRM-0001,Call,2026-11-03,,\n\
         CRM-0002,NPS Q4,2026-11-04,9,\nCRM-0002,Phone call,2026-11-05,,\n",
    );
    let said = book.run(&["import", "logs", &logs]);
    assert!(said.contains("imported 4 log entries"), "{said}");
    let entries = book.run(&["export", "logs"]);
    assert!(entries.lines().any(|l| l.starts_with("CRM-0001,touch,2026-11-02,,qbr,")), "{entries}");
    assert!(entries.lines().any(|l| l.starts_with("CRM-0001,touch,2026-11-03,,call,")), "{entries}");
    assert!(entries.lines().any(|l| l.starts_with("CRM-0002,nps,2026-11-04,9,")), "{entries}");
    assert!(entries.lines().any(|l| l.starts_with("CRM-0002,touch,2026-11-05,,call,")), "{entries}");
    // A type tend does not know is a note titled with it, said by type; one a letter from a kind
    // it knows is that kind misspelt, refused naming both lists and the kind.
    let lunch = book.file(
        "lunch.csv",
        "Account,Kind,Date,Subject\nCRM-0003,Lunch,2026-11-06,\nCRM-0003,Webinar,2026-11-07,Q4 roadmap\n\
         CRM-0004,webinar,2026-11-08,\n",
    );
    let said = book.run(&["import", "logs", &lunch]);
    assert!(
        said.contains("3 new")
            && said.contains(
                "3 rows of a type tend does not know came in as notes titled with their type (Lunch 1, Webinar 2)"
            ),
        "{said}"
    );
    let timeline = book.run(&["log", "list", "CRM-0003"]);
    assert!(timeline.contains("Webinar: Q4 roadmap") && timeline.contains("Lunch"), "{timeline}");
    assert!(book.run(&["import", "logs", &lunch]).contains("0 new"), "imported again, nothing new");
    let typo = book.file("cal.csv", "Account,Kind,Date\nCRM-0003,Cal,2026-11-06\n");
    let err = book.refused(&["import", "logs", &typo]);
    assert!(
        err.contains("not a kind of entry (sentiment, touch")
            && err.contains("a touch's channel: call")
            && err.contains("\"call\" misspelt?"),
        "{err}"
    );
}

/// A product-analytics tool's daily or weekly count of active users feeds the factor that reads
/// active users: "Weekly Active Users" (long or wide) and "WAU" are active_users, said; other
/// counts ("Daily Logins", a sum over another span) are kept as written. A probe's Mixpanel file fed no factor until
/// its names were edited.
#[test]
fn weekly_and_daily_active_users_feed_the_active_users_factor() {
    let book = CrmBook::new(10);
    let long = book.file(
        "mixpanel.csv",
        "Account,Metric,Date,Value\nCRM-0001,Weekly Active Users,2026-11-02,12\nCRM-0001,Daily Logins,2026-11-02,30\n\
         CRM-0001,Weekly Reports Run,2026-11-02,4\n",
    );
    let said = book.run(&["import", "metrics", &long]);
    assert!(
        said.contains("\"Weekly Active Users\" as active_users") && !said.contains("\"Daily Logins\" as"),
        "{said}"
    );
    let wide = book.file("wide.csv", "Account,Week Starting,WAU\nCRM-0002,2026-11-02,7\n");
    let said = book.run(&["import", "metrics", &wide]);
    assert!(said.contains("\"WAU\" as active_users"), "{said}");
    let samples = book.run(&["export", "metrics", "--format", "csv"]);
    for line in [
        "CRM-0001,active_users,2026-11-02,12",
        "CRM-0001,Daily Logins,2026-11-02,30",
        "CRM-0001,Weekly Reports Run,2026-11-02,4",
        // Its week's last day.
        "CRM-0002,active_users,2026-11-08,7",
    ] {
        assert!(samples.lines().any(|l| l == line), "{line}: {samples}");
    }
}

/// A row refused for one cell claims none of its samples: a later row of the same account and
/// day imports whole (a probe's good row was refused as "a second logins value, first on line
/// 122" after line 122 was refused for "twelve" active users, and the week had no sample).
#[test]
fn a_refused_row_does_not_make_a_later_one_a_second_value() {
    let book = CrmBook::new(8);
    let file = book.file(
        "usage.csv",
        "Account,Week,Active users,Logins\nCRM-0001,2026-11-16,twelve,20\nCRM-0002,2026-11-16,4,8\n\
         CRM-0001,2026-11-16,11,22\n",
    );
    let out = book.run(&["import", "metrics", &file, "--skip-bad-rows"]);
    let rejects = std::fs::read_to_string(book.dir.path().join("usage.rejects.csv")).unwrap();
    assert_eq!(rejects.lines().count(), 2, "the header and line 2 only: {rejects}\n{out}");
    assert!(rejects.contains("not a number (line 2)") && !rejects.contains("a second"), "{rejects}");
    let conn = rusqlite::Connection::open(&book.path).unwrap();
    let mut samples: Vec<(String, f64)> = conn
        .prepare(
            "SELECT metric, value FROM metric_samples JOIN accounts a ON a.id = account_id
             WHERE a.external_id = 'CRM-0001' ORDER BY metric",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    samples.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(samples, vec![("active_users".to_string(), 11.0), ("logins".to_string(), 22.0)]);
}

/// A usage or log file names its accounts as an accounts file may: by a HubSpot export's
/// "Record ID", or by a header `[import.columns]` maps to the external id. A file with none says
/// how to map its own (a probe's usage file was refused for "Record ID", and the mapping it then
/// wrote was not read).
#[test]
fn usage_and_logs_name_their_accounts_as_an_accounts_file_may() {
    let book = CrmBook::new(8);
    let usage = book.file("usage.csv", "Record ID,Week,Logins\nCRM-0001,2026-11-16,12\n");
    let out = book.run(&["import", "metrics", &usage]);
    assert!(out.contains("1 new"), "{out}");
    let logs = book.file("logs.csv", "Record ID,kind,date,score\nCRM-0002,sentiment,2026-11-20,7\n");
    book.run(&["import", "logs", &logs]);
    // A header of the team's own, refused and then mapped.
    let own = book.file("own.csv", "Acct #,Week,Logins\nCRM-0003,2026-11-16,9\n");
    let err = book.refused(&["import", "metrics", &own]);
    assert!(err.contains("no column for the account") && err.contains("[import.columns]"), "{err}");
    let config = book.file("config.toml", "[import.columns]\n\"Acct #\" = \"external_id\"\n");
    let (ok, out, err) = tend_with(&book.path, &["import", "metrics", &own], Some(Path::new(&config)));
    assert!(ok && out.contains("1 new"), "{out}{err}");
    let conn = rusqlite::Connection::open(&book.path).unwrap();
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(count("SELECT count(*) FROM metric_samples WHERE metric = 'logins'"), 2);
    assert_eq!(count("SELECT count(*) FROM entries WHERE kind = 'sentiment'"), 1);
}

/// An account's start first given by a later import stages it as a new account's would be: a
/// customer of weeks is onboarding, not in adoption as the default said when its start was not
/// known; one of years stays in adoption, and a stage the file gives is kept.
#[test]
fn a_start_learnt_later_stages_a_new_customer_as_onboarding() {
    let (dir, db) = temp_db();
    let first = dir.path().join("first.csv");
    std::fs::write(&first, "External ID,Account,CSM\nA-1,Fresh Co,Ana\nA-2,Old Co,Ana\nA-3,Staged Co,Ana\n").unwrap();
    let (ok, _, err) = tend(&db, &["import", "accounts", "--no-journeys", first.to_str().unwrap()]);
    assert!(ok, "{err}");
    let second = dir.path().join("second.csv");
    let weeks_ago = today() - chrono::Duration::days(20);
    std::fs::write(
        &second,
        format!("External ID,Customer since,Stage\nA-1,{weeks_ago},\nA-2,2019-03-01,\nA-3,{weeks_ago},renewal\n"),
    )
    .unwrap();
    let (ok, out, err) = tend(&db, &["import", "accounts", "--no-journeys", second.to_str().unwrap()]);
    assert!(ok, "{err}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let stage = |id: &str| -> String {
        conn.query_row("SELECT stage FROM accounts WHERE external_id = ?1", [id], |r| r.get(0)).unwrap()
    };
    assert_eq!(stage("A-1"), "onboarding", "{out}");
    assert_eq!(stage("A-2"), "adoption");
    assert_eq!(stage("A-3"), "renewal");
}

/// A dry run lists the first accounts it would add or change, and says how many more.
#[test]
fn a_dry_run_says_how_many_more_it_would_import_than_it_lists() {
    let (dir, db) = temp_db();
    let file = crm_file(dir.path(), 25);
    let (ok, out, err) = tend(&db, &["import", "accounts", "--dry-run", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert_eq!(out.lines().filter(|l| l.starts_with("  new: ")).count(), 10, "{out}");
    assert!(out.contains("  … and 15 more new or changed"), "{out}");
}

/// A contacts export with Name, First Name and Last Name reads a blank Name as the two others (a
/// probe's 307 rows were refused as nameless); the people a log row was with are found in any
/// case, accented letters too, as a team book finds them.
#[test]
fn a_blank_name_is_first_and_last_and_a_contact_is_found_in_any_case() {
    let book = CrmBook::new(5);
    let contacts = book.file(
        "contacts.csv",
        "Account,Name,First Name,Last Name,Email\nCRM-0001,,Ümit,Dvořák,umit@acme.example\n\
         CRM-0002,Sean Park,,,sean@two.example\n",
    );
    let said = book.run(&["import", "contacts", &contacts]);
    assert!(said.contains("imported 2 contacts: 2 new"), "{said}");
    let exported = book.run(&["export", "contacts", "--format", "csv"]);
    assert!(exported.contains("Ümit Dvořák") && exported.contains("Sean Park"), "{exported}");
    let logs = book.file(
        "logs.csv",
        "Account,Kind,Date,Channel,With\nCRM-0001,touch,2026-11-20,call,ümit dvořák\n\
         CRM-0002,touch,2026-11-20,call,SEAN PARK\n",
    );
    let said = book.run(&["import", "logs", &logs]);
    assert!(said.contains("2 new"), "{said}");
    let logs = book.run(&["export", "logs", "--format", "csv"]);
    assert!(logs.lines().any(|l| l.starts_with("CRM-0001,touch") && l.contains("Ümit Dvořák")), "{logs}");
}

/// A CRM's activity and task exports read as they are exported (HubSpot's headers and values):
/// the notes of a "Comments" column and the CSM of "Activity assigned to" were dropped without a
/// word, and every task export was refused for its headers. A column nothing reads is said; a
/// CRM note is a note on the timeline, and a task repeated open in a file is no second open task.
#[test]
fn crm_activity_and_task_exports_read_as_they_are() {
    let book = CrmBook::new(5);
    let activities = book.file(
        "activities.csv",
        "Activity date,Activity type,Associated Company,Activity assigned to,Subject,Comments,Priority\n\
         2026-11-02,Call,Company 1,Ben Okafor,Renewal,Budget approved for next year,High\n\
         2026-11-03,Meeting,Company 2,maya  patel,QBR,Walked through adoption,Low\n\
         2026-11-04,Note,Company 2,Maya Patel,,Internal: check invoices,\n",
    );
    // The note is a note on the timeline, found by search (a probe's whole export was refused
    // for it, and then it was left out).
    let said = book.run(&["import", "logs", &activities]);
    assert!(said.contains("3 new") && said.contains("columns not read: \"Priority\""), "{said}");
    assert!(!said.contains("rejected") && !said.contains("new CSM") && !said.contains("left out"), "{said}");
    let timeline = book.run(&["log", "list", "CRM-0002"]);
    assert!(timeline.lines().any(|l| l.contains("note") && l.contains("Internal: check invoices")), "{timeline}");
    let found = book.run(&["search", "invoices"]);
    assert!(found.contains("Company 2") && found.contains("Internal: check invoices"), "{found}");
    // A note that says how the customer felt is that sentiment, its words the sentiment's note; a
    // task row is left out; a misspelt kind is still refused.
    let felt = book.file(
        "felt.csv",
        "Activity date,Activity type,Associated Company,Subject,Comments,Sentiment\n\
         2026-11-05,Note,Company 3,SSO escalation,Champion frustrated by the SSO delay,negative\n\
         2026-11-05,Task,Company 3,,Send the SSO timeline,negative\n",
    );
    let said = book.run(&["import", "logs", &felt]);
    assert!(
        said.contains("1 new")
            && said.contains("1 task (the first on line 3: \"Task\"): a CRM's tasks are no log entries, left out"),
        "{said}"
    );
    assert!(said.contains("1 note says how the customer felt in the Sentiment column, each imported as that sentiment (the first on line 2)"), "{said}");
    assert!(said.contains("1 sentiment given in the Sentiment column is left out with its task"), "{said}");
    assert!(!said.contains("of them"), "{said}");
    let timeline = book.run(&["log", "list", "CRM-0003"]);
    assert!(timeline.contains("3/10: SSO escalation · Champion frustrated by the SSO delay"), "{timeline}");
    assert!(book.run(&["import", "logs", &felt]).contains("0 new"), "imported again, nothing new");
    let typo = book.file("typo.csv", "Activity date,Activity type,Associated Company\n2026-11-05,Nte,Company 3\n");
    assert!(book.refused(&["import", "logs", &typo]).contains("not a kind of entry"));
    let empty = book.file("empty.csv", "");
    assert!(book.refused(&["import", "logs", &empty]).contains("empty.csv:1: is empty: nothing to import"));
    let logs = book.run(&["export", "logs", "--format", "csv"]);
    assert!(
        logs.lines().any(|l| l.contains("2026-11-02") && l.contains("Budget approved") && l.contains("Ben Okafor")),
        "{logs}"
    );
    assert!(logs.lines().any(|l| l.contains("2026-11-03") && l.contains("Maya Patel")), "{logs}");
    // The activity's subject is on the timeline beside its channel and comment.
    let timeline = book.run(&["log", "list", "CRM-0001"]);
    assert!(timeline.contains("call: Renewal · Budget approved for next year"), "{timeline}");
    let tasks = book.file(
        "tasks.csv",
        "Task Title,Due Date,Status,Assigned to,Associated Company,Comments\n\
         Send renewal quote,2026-12-01,Not Started,Ben Okafor,Company 1,Before the QBR\n\
         Book the QBR,2026-11-10,Completed,Maya Patel,Company 2,\n\
         Send renewal quote,2026-12-01,Not Started,Ben Okafor,Company 1,Before the QBR\n",
    );
    let err = book.refused(&["import", "tasks", &tasks]);
    assert!(
        err.contains("tasks.csv:4: column \"Task Title\"") && err.contains("the open task of line 2 again"),
        "{err}"
    );
    let said = book.run(&["import", "tasks", &tasks, "--skip-bad-rows"]);
    assert!(said.contains("2 new") && said.contains("1 row rejected"), "{said}");
    let listed = book.run(&["export", "tasks", "--format", "csv"]);
    assert!(
        listed.contains("Send renewal quote,2026-12-01,open") && listed.contains("Book the QBR,2026-11-10,done"),
        "{listed}"
    );
    assert_eq!(listed.matches("Send renewal quote").count(), 1, "{listed}");
}

/// A CRM's notes are kept and found, and change no score: notes from years back on an account
/// with nothing else logged make it no "tracked" account (its days since a touch stay missing, not
/// seven years), nor does one written today. (On day one a probe's CRM export held notes back to
/// 2019 for accounts the book had no touch of.)
#[test]
fn a_crms_notes_are_kept_and_found_and_change_no_score() {
    let book = CrmBook::new(5);
    // The book logs touches: an account touched has its days since a touch.
    book.run(&["log", "touch", "CRM-0001", "call"]);
    let row = |id: &str| {
        let rows = book.json(&["export", "accounts"]);
        rows.into_iter().find(|r| r["external_id"] == id).unwrap()
    };
    let before = row("CRM-0004");
    assert!(row("CRM-0001")["value_days_since_touch"].is_number(), "{}", row("CRM-0001"));
    let notes = book.file(
        "notes.csv",
        "Activity date,Activity type,Associated Company,Subject,Comments\n\
         2019-05-01,Notes,Company 4,Kickoff,Signed after a long pilot\n\
         2021-02-10,Note,Company 4,,Asked about SSO\n",
    );
    let said = book.run(&["import", "logs", &notes]);
    assert!(said.contains("2 new") && !said.contains("left out"), "{said}");
    assert!(
        said.contains("2 of them are notes (on the timeline and found by search; no touch and no score)"),
        "{said}"
    );
    book.run(&["log", "note", "CRM-0004", "Wants SSO before the renewal"]);
    assert_eq!(row("CRM-0004"), before, "notes change no score, no factor and no band");
    let timeline = book.run(&["log", "list", "CRM-0004"]);
    for words in ["Wants SSO before the renewal", "Kickoff: Signed after a long pilot", "Asked about SSO"] {
        assert!(timeline.lines().any(|l| l.contains("note") && l.contains(words)), "{words}: {timeline}");
    }
    let found = book.run(&["search", "sso"]);
    assert!(found.contains("Wants SSO before the renewal") && found.contains("Asked about SSO"), "{found}");
    // A note without words is refused, and says what it is.
    let err = book.refused(&["log", "note", "CRM-0004", "  "]);
    assert!(err.contains("note: a note needs its words; nothing was logged"), "{err}");
    let blank = book.file("blank.csv", "Date,Kind,Account,Note\n2026-11-02,note,CRM-0004,\n");
    let err = book.refused(&["import", "logs", &blank]);
    assert!(err.contains("blank.csv:2: column \"Note\": value \"\": a note needs its words"), "{err}");
    // A score or a channel on a note would be kept and never shown: refused, by its column.
    let scored = book.file(
        "scored.csv",
        "Date,Kind,Account,Score,Channel,Note\n2026-11-02,note,CRM-0004,7,,hi\n2026-11-02,note,CRM-0004,,call,hi\n",
    );
    let err = book.refused(&["import", "logs", &scored]);
    assert!(
        err.contains("scored.csv:2: column \"Score\": value \"7\": a note has no score (a sentiment has)"),
        "{err}"
    );
    assert!(
        err.contains("scored.csv:3: column \"Channel\": value \"call\": a note has no channel (a touch has)"),
        "{err}"
    );
    // Deleted, it is named by its words.
    let list = book.json(&["log", "list", "CRM-0004"]);
    let id = list.iter().find(|e| e["what"] == "Wants SSO before the renewal").unwrap()["id"].to_string();
    assert!(book.run(&["log", "delete", &id]).contains("note \"Wants SSO before the renewal\" of "));
}

/// A milestone row repeated in a file is refused as a task's is (it planned the milestone twice,
/// where `tend milestone add` refuses a second); the same file with `--skip-bad-rows` plans it
/// once, and again changes nothing.
#[test]
fn a_milestone_row_repeated_in_a_file_is_a_bad_row() {
    let book = CrmBook::new(3);
    let file = book.file(
        "milestones.csv",
        "Account,Journey,Milestone,Due\nCRM-0001,onboarding,Kickoff,2026-12-20\nCRM-0002,onboarding,Kickoff,2026-12-20\nCRM-0001,onboarding,Kickoff,2026-12-20\n",
    );
    let err = book.refused(&["import", "milestones", &file]);
    assert!(
        err.contains("milestones.csv:4: column \"Milestone\": value \"Kickoff\": the milestone of line 2 again"),
        "{err}"
    );
    let said = book.run(&["import", "milestones", &file, "--skip-bad-rows"]);
    assert!(said.contains("2 new") && said.contains("1 row rejected"), "{said}");
    let listed = book.json(&["milestone", "list", "CRM-0001"]);
    assert_eq!(listed.iter().filter(|m| m["milestone"] == "Kickoff").count(), 1, "{listed:?}");
}

/// A contacts export given as accounts is refused, with the import it is for: it made an account
/// of every person (a probe's 198 contacts, 198 new accounts).
#[test]
fn a_file_of_another_kind_is_refused_with_the_import_it_is_for() {
    let book = CrmBook::new(3);
    let people = book.file(
        "people.csv",
        "Record ID,First Name,Last Name,Email,Job Title,Associated Company\n50010,Bo,Berg,bo@acme.com,VP Ops,Company 1\n",
    );
    let err = book.refused(&["import", "accounts", &people, "--preset", "hubspot"]);
    assert!(
        err.contains("people.csv: this looks like a list of people, not of accounts: `tend import contacts` imports the people at each account; nothing was imported"),
        "{err}"
    );
    // An accounts file naming each account's contact beside its ARR is an accounts file.
    let accounts = book.file(
        "accounts.csv",
        "External ID,Account,ARR,First Name,Last Name,Email\nCRM-0001,Company 1,1200,Bo,Berg,bo@acme.com\n",
    );
    assert!(book.run(&["import", "accounts", &accounts]).contains("1 updated"));
    // A Salesforce activity history (Type, Due Date, no Status) given as tasks opened every past
    // call as a task; as accounts, it wrote call notes over the accounts'. Tasks given as log
    // entries or as people were asked to rename a column.
    let activities = book.file(
        "activities.csv",
        "Subject,Type,Due Date,Assigned,Account Name,Comments\nQBR,Meeting,11/17/26,Maya Patel,Company 1,Renewal looks safe\n",
    );
    let tasks = book.file(
        "tasks.csv",
        "Subject,Due Date,Status,Priority,Assigned,Account Name\nSend deck,12/20/26,Not Started,High,maya  patel,Company 1\n",
    );
    for (what, file, said) in [
        (
            "tasks",
            &activities,
            "this looks like an activity history (a type of activity and its day, no status): `tend import logs`",
        ),
        ("accounts", &activities, "this looks like an activity history"),
        ("logs", &tasks, "this looks like a list of tasks (a status, a due day): `tend import tasks`"),
        ("contacts", &tasks, "this looks like a list of tasks"),
    ] {
        let err = book.refused(&["import", what, file]);
        assert!(err.contains(said) && err.contains("nothing was imported"), "{what}: {err}");
    }
    // An accounts report with a Type and a Date (and nothing said or done) is accounts.
    let report = book.file("report.csv", "Account ID,Account Name,Type,Date\nX-1,X One,Customer,2024-01-01\n");
    assert!(book.run(&["import", "accounts", &report]).contains("1 new"));
    // The tasks file as tasks: its owner spaced otherwise is the CSM; a task report with a Type
    // beside its Status is tasks.
    let said = book.run(&["import", "tasks", &tasks]);
    assert!(said.contains("1 new") && said.contains("columns not read: \"Priority\""), "{said}");
    let typed = book.file(
        "typed.csv",
        "Subject,Type,Due Date,Status,Account Name\nCall CFO,Call,12/22/26,In Progress,Company 2\nBook QBR,Meeting,N/A,Not Started,Company 2\n",
    );
    let err = book.refused(&["import", "tasks", &typed]);
    assert!(err.contains("typed.csv:3: column \"Due Date\": value \"N/A\": a task needs a due day"), "{err}");
    assert!(book.run(&["import", "tasks", &typed, "--skip-bad-rows"]).contains("1 new"));
    // A contact's email of "N/A" is none, as an amount's is (it refused the row as no address).
    let people = book.file("people-na.csv", "Full Name,Title,Email,Account Name\nGus Ho,N/A,N/A,Company 2\n");
    assert!(book.run(&["import", "contacts", &people]).contains("1 new"));
    let listed = book.json(&["contact", "list", "CRM-0002"]);
    let gus = listed.iter().find(|c| c["name"] == "Gus Ho").unwrap();
    assert!(gus["email"].is_null() || gus["email"] == "", "{gus}");
    // Other text is kept as written: a title of "N/A" exports and imports back as itself.
    assert_eq!(gus["title"], "N/A", "{gus}");
}

/// A row the book has whose By or With the file changed (an activity reassigned in the CRM, a
/// person added to a meeting) changes that entry's signer and people, counted updated: it was
/// counted unchanged and the book kept the old owner. A By spaced otherwise ("maya  patel") is
/// the CSM the book has, not a new one. An import undone puts them back.
#[test]
fn a_log_row_whose_by_or_with_changed_updates_its_entry() {
    let book = CrmBook::new(5);
    let contacts = book.file("contacts.csv", "Account,Name,Role\nCRM-0001,Ana Ruiz,champion\nCRM-0001,Bo Lee,\n");
    book.run(&["import", "contacts", &contacts]);
    let header = "Account,Kind,Date,Channel,Note,By,With\n";
    let first = book.file(
        "first.csv",
        &format!("{header}CRM-0001,touch,2026-11-02,call,QBR prep,Ben Okafor,Ana Ruiz\nCRM-0001,touch,2026-11-03,email,Recap,Ben Okafor,\n"),
    );
    assert!(book.run(&["import", "logs", &first]).contains("2 new"));
    let logs = |book: &CrmBook| book.run(&["export", "logs", "--format", "csv"]);
    let before = logs(&book);
    let second = book.file(
        "second.csv",
        &format!("{header}CRM-0001,touch,2026-11-02,call,QBR prep,maya  patel,Ana Ruiz; Bo Lee\nCRM-0001,touch,2026-11-03,email,Recap,,\n"),
    );
    let said = book.run(&["import", "logs", &second]);
    assert!(said.contains("0 new, 1 updated, 1 unchanged") && !said.contains("new CSM"), "{said}");
    let after = logs(&book);
    let row = after.lines().find(|l| l.contains("QBR prep")).unwrap();
    assert!(row.contains("Maya Patel") && row.contains("Ana Ruiz") && row.contains("Bo Lee"), "{row}");
    assert!(
        after.lines().any(|l| l.contains("Recap") && l.contains("Ben Okafor")),
        "a blank By keeps the signer: {after}"
    );
    assert!(book.run(&["import", "logs", &second]).contains("0 new, 0 updated, 2 unchanged"));
    book.run(&["undo", "--import"]);
    assert_eq!(logs(&book), before, "the import undone puts the signer and the people back");
}

/// A CRM's activity whose comment was edited is that entry with its new note, counted updated
/// (it was added as a second activity beside the first); a second call that day with a comment
/// of its own is a new entry, as the first call's row still takes the first; a file without a
/// note column matches the entries whatever their note, and keeps it.
#[test]
fn an_activity_whose_comment_was_edited_is_that_entry() {
    let book = CrmBook::new(5);
    let header = "Account,Kind,Date,Channel,Note\n";
    let first = book.file(
        "first.csv",
        &format!("{header}CRM-0001,meeting,2026-11-17,,Renewal looks safe\nCRM-0001,call,2026-11-18,,Intro\nCRM-0002,email,2026-11-18,,Sent deck\n"),
    );
    assert!(book.run(&["import", "logs", &first]).contains("3 new"));
    let logs = |book: &CrmBook| book.run(&["export", "logs", "--format", "csv"]);
    let before = logs(&book);
    let next = book.file(
        "next.csv",
        &format!(
            "{header}CRM-0001,meeting,2026-11-17,,Renewal looks safe; wants SSO by Q1\nCRM-0001,call,2026-11-18,,Intro\n\
             CRM-0001,call,2026-11-18,,Follow-up on pricing\nCRM-0002,email,2026-11-18,,Sent deck\n"
        ),
    );
    let said = book.run(&["import", "logs", &next]);
    assert!(said.contains("imported 4 log entries: 1 new, 1 updated, 2 unchanged"), "{said}");
    let after = logs(&book);
    assert!(
        after.contains("wants SSO by Q1")
            && !after.contains("Renewal looks safe\n")
            && !after.contains("Renewal looks safe,"),
        "{after}"
    );
    assert_eq!(after.matches("2026-11-18").count(), 3, "{after}");
    assert!(book.run(&["import", "logs", &next]).contains("0 new, 0 updated, 4 unchanged"));
    // Without its note column: the same entries, their notes kept.
    let bare = book.file("bare.csv", "Account,Kind,Date\nCRM-0001,meeting,2026-11-17\nCRM-0002,email,2026-11-18\n");
    assert!(book.run(&["import", "logs", &bare]).contains("0 new, 0 updated, 2 unchanged"));
    assert_eq!(logs(&book), after);
    // Taken back whole: the edited note as it was.
    book.run(&["undo", "--import"]);
    assert_eq!(logs(&book), before);
    // A note of "-" is text: tend's own export of it imports back as the same entries.
    let dash = book.file("dash.csv", &format!("{header}CRM-0003,call,2026-11-19,,-\n"));
    assert!(book.run(&["import", "logs", &dash]).contains("1 new"));
    let exported = book.file("exported.csv", &logs(&book));
    let said = book.run(&["import", "logs", &exported]);
    assert!(said.contains(" 0 new, 0 updated"), "{said}");
}

/// A customer a later file marks churned with no churn date (a Salesforce report's Type now
/// "Former Customer") is churned as of the import's day, the day the book learns of it: undated,
/// it fell in no retention period ("Undated churns: left out").
#[test]
fn a_customer_a_later_file_marks_churned_is_dated_the_import_day() {
    let book = CrmBook::new(5);
    let file = book.file("churned.csv", "External ID,Account,Status\nCRM-0001,Company 1,churned\n");
    let said = book.run(&["import", "accounts", &file]);
    assert!(
        said.contains("1 customer of the book marked churned with no churn date (Company 1): dated today"),
        "{said}"
    );
    // A sync's changes are listed once imported too, as its dry run lists them.
    assert!(said.contains("  Company 1 (CRM-0001): status active -> churned"), "{said}");
    let accounts = book.json(&["export", "accounts"]);
    let one = accounts.iter().find(|a| a["external_id"] == "CRM-0001").unwrap();
    assert_eq!(one["status"], "churned");
    assert_eq!(one["churned_on"], common::TODAY, "{one}");
    // Again: nothing to date, nothing said.
    let said = book.run(&["import", "accounts", &file]);
    assert!(!said.contains("dated today") && said.contains("1 unchanged"), "{said}");
    // A file with a record's own dates beside (a HubSpot export's Create Date) dates it too; one
    // with a column that may be the churn's day does not guess.
    for (header, dated) in [("Create Date", true), ("Last Activity Date", true), ("Closed Date", false)] {
        let file = book.file(
            "churned2.csv",
            &format!("External ID,Account,Status,{header}\nCRM-0002,Company 2,churned,2026-01-05\n"),
        );
        let said = book.run(&["import", "accounts", &file, "--dry-run"]);
        assert_eq!(said.contains("dated today"), dated, "{header}: {said}");
    }
}

/// A second system's export (billing beside the CRM) keyed by its own ids: its rows that name the
/// book's accounts are said to, before a second account of each is made; `--by-name` matches them
/// by name, the ids kept as a column. A name two accounts share matches neither, a bad row (the
/// first found had been updated without a word). An account a file brings back from a churn is
/// said (a CRM's stale "customer" undid a billing export's cancellations without a word).
#[test]
fn a_second_systems_ids_names_shared_and_churns_undone_are_said() {
    let book = CrmBook::new(5);
    let billing = book.file("billing.csv", "Customer ID,Account,ARR\ncus_A1,Company 1,1200\ncus_A2,Company 2,2400\n");
    let said = book.run(&["import", "accounts", &billing, "--dry-run"]);
    assert!(
        said.contains(
            "2 new accounts have the name of an account of the book under another external id (the first: Company \
             1: CRM-0001 in the book, cus_A1 in the file)"
        ) && said.contains("`--by-name` matches its rows by name instead"),
        "{said}"
    );
    // With a bad row besides, the refusal says so too: it is what the good rows need.
    let with_bad = book.file(
        "billing_bad.csv",
        "Customer ID,Account,ARR\ncus_A1,Company 1,1200\ncus_A2,Company 2,2400\ncus_A3,,100\n",
    );
    let err = book.refused(&["import", "accounts", &with_bad, "--dry-run"]);
    assert!(
        err.contains("2 of the good rows have the name of an account of the book under another external id (the first: Company 1: CRM-0001 in the book, cus_A1 in the file): `--by-name` matches the rows by name instead"),
        "{err}"
    );
    let said = book.run(&["import", "accounts", &billing, "--by-name"]);
    assert!(said.contains("0 new, 2 updated"), "{said}");
    assert!(!said.contains("under another external id"), "{said}");
    // Asked for: the file's ids are not said to be missing.
    assert!(!said.contains("no column gives an external id"), "{said}");
    let accounts = book.json(&["export", "accounts"]);
    assert_eq!(accounts.len(), 5, "no second account of any: {accounts:?}");
    let one = accounts.iter().find(|a| a["external_id"] == "CRM-0001").unwrap();
    assert_eq!((one["arr"].as_f64(), one["Customer ID"].as_str()), (Some(1200.0), Some("cus_A1")), "{one}");
    // --by-name is for accounts, and needs names.
    let err = book.refused(&["import", "metrics", &billing, "--by-name"]);
    assert!(err.contains("--by-name is for `tend import accounts`"), "{err}");
    let ids = book.file("ids.csv", "External ID,ARR\nCRM-0001,1300\n");
    let err = book.refused(&["import", "accounts", &ids, "--by-name"]);
    assert!(err.contains("--by-name matches the rows by it"), "{err}");

    // A name two accounts share, matched by name: neither is updated.
    let twin = book.file("twin.csv", "External ID,Account\nCRM-0009,Company 2\n");
    book.run(&["import", "accounts", &twin]);
    let by_name = book.file("by_name.csv", "Account,ARR\nCompany 2,9999\nCompany 3,3300\n");
    let err = book.refused(&["import", "accounts", &by_name]);
    assert!(
        err.contains("2 accounts of the book have this name (CRM-0002, CRM-0009): a file with their external ids tells them apart"),
        "{err}"
    );

    // A churned account the file has as a customer comes back, said (a churn recorded in tend
    // stays, as before: this one came from a billing file).
    let cancelled =
        book.file("cancelled.csv", "External ID,Account,Status,Churn date\nCRM-0003,Company 3,churned,2026-10-01\n");
    book.run(&["import", "accounts", &cancelled]);
    let crm = book.file("crm_again.csv", "External ID,Account,Status\nCRM-0003,Company 3,active\n");
    let said = book.run(&["import", "accounts", &crm, "--dry-run"]);
    assert!(
        said.contains(
            "1 account the book had churned is a customer again, as the file has it (Company 3, churned 2026-10-01)"
        ) && said.contains("`--keep-churned` leaves the book's churns be"),
        "{said}"
    );
    // --keep-churned: the churn stays, said; nothing else in the file is held back.
    let crm = book.file("crm_sync.csv", "External ID,Account,Status,ARR\nCRM-0003,Company 3,active,777\n");
    let said = book.run(&["import", "accounts", &crm, "--keep-churned"]);
    assert!(
        said.contains("1 account the book had churned the file has as a customer kept churned (--keep-churned"),
        "{said}"
    );
    let accounts = book.json(&["export", "accounts"]);
    let three = accounts.iter().find(|a| a["external_id"] == "CRM-0003").unwrap();
    assert_eq!(
        (three["status"].as_str(), three["churned_on"].as_str(), three["arr"].as_f64()),
        (Some("churned"), Some("2026-10-01"), Some(777.0)),
        "{three}"
    );
    let err = book.refused(&["import", "logs", &crm, "--keep-churned"]);
    assert!(err.contains("--keep-churned is for `tend import accounts`"), "{err}");

    // A subscription in its trial is a customer not yet paying: said.
    let trials = book
        .file("trials.csv", "External ID,Account,ARR,Status\nT-1,Trial Co,3000,trialing\nT-2,Paying Co,4000,active\n");
    let said = book.run(&["import", "accounts", &trials, "--dry-run"]);
    assert!(said.contains("1 subscription is in a trial (status trialing; the first: Trial Co, line 2)"), "{said}");
}

/// A churned account's milestones not done are no longer due in `tend milestone list`, as its
/// Journey tab says (they read "overdue"); no journey is planned for it.
#[test]
fn a_churned_accounts_journey_is_no_longer_due() {
    let book = CrmBook::new(5);
    let before = book.run(&["milestone", "list", "CRM-0000"]);
    assert!(before.contains(" due ") || before.contains("overdue"), "planned by the import: {before}");
    book.run(&["churn", "CRM-0000", "--reason", "budget"]);
    let after = book.run(&["milestone", "list", "CRM-0000"]);
    assert!(after.contains("no longer due") && !after.contains("overdue"), "{after}");
    let err = book.refused(&["journey", "apply", "CRM-0000", "renewal", "--include-past"]);
    assert!(err.contains("churned") && err.contains("no journey is planned for a churned account"), "{err}");
    // A milestone named by a number its name holds, which is no milestone's id: that one.
    book.run(&["milestone", "add", "CRM-0001", "adoption", "2027 kickoff", "--due", "2026-11-20"]);
    let said = book.run(&["milestone", "done", "2027", "--account", "CRM-0001", "--date", "2026-11-21"]);
    assert!(said.contains("2027 kickoff"), "{said}");
    let said = book.run(&["milestone", "done", "30", "--account", "CRM-0001"]);
    assert!(said.contains("\"30-day review\" done"), "{said}");
}

/// Names near an unknown one are offered for the file's first few unknown names, counted by
/// name: a name missed on many rows is one (a probe's third misspelt account was told "names like
/// it are looked for on the first 5 such rows only").
#[test]
fn names_near_an_unknown_one_are_offered_by_name_not_by_row() {
    let book = CrmBook::new(5);
    let mut rows = String::from("Account,Kind,Date,Channel\n");
    for _ in 0..6 {
        rows.push_str("Compani 1,touch,2026-11-20,call\n");
    }
    rows.push_str("Compani 2,touch,2026-11-20,call\n");
    let file = book.file("typos.csv", &rows);
    let err = book.refused(&["import", "logs", &file]);
    assert!(
        err.contains(
            "typos.csv:8: column \"Account\": value \"Compani 2\": unknown account (did you mean Company 2 or"
        ),
        "{err}"
    );
}

/// A timeline export's Author signs its rows, as a By column does (a probe renamed it by hand).
#[test]
fn a_logs_file_s_author_signs_its_rows() {
    let book = CrmBook::new(5);
    let file =
        book.file("timeline.csv", "Account,Kind,Date,Channel,Author\nCRM-0001,touch,2026-11-20,call,Ben Okafor\n");
    let said = book.run(&["import", "logs", &file]);
    assert!(said.contains("1 new") && !said.contains("Author"), "{said}");
    let logs = book.run(&["export", "logs", "--format", "csv"]);
    let row = logs.lines().find(|l| l.contains("2026-11-20")).unwrap_or_default();
    assert!(row.contains("Ben Okafor"), "{logs}");
}

/// A risk the book has open, which a file says was cleared, is that risk cleared (a sheet
/// re-imported once a risk closed kept it open beside a cleared copy, and the open one kept
/// counting against the account); a file that has it open too keeps the open one and adds the
/// cleared one.
#[test]
fn a_risk_a_file_says_was_cleared_is_cleared_not_copied() {
    let book = CrmBook::new(5);
    let open = book.file("open.csv", "Account,Kind,Date,Title,Closed\nCRM-0001,risk,2026-11-02,Sponsor leaving,\n");
    let said = book.run(&["import", "logs", &open]);
    assert!(said.contains("1 new"), "{said}");
    // A risk that comes in open is said so, with how it clears (a timeline's past risks all
    // ranked Triage as open, with nothing said); imported again, it is no news.
    assert!(
        said.contains("1 new risk flag is open (its Closed column blank; the oldest raised 2026-11-02): each counts in Triage until cleared"),
        "{said}"
    );
    assert!(!book.run(&["import", "logs", &open]).contains("risk flag"));
    let timeline = book.file(
        "timeline.csv",
        "Account,Type,Date,Subject\nCRM-0002,Risk,2026-03-27,Budget cut\nCRM-0003,Risk,2026-08-08,Competitor\n",
    );
    let said = book.run(&["import", "logs", &timeline]);
    assert!(
        said.contains("2 new risk flags are open (the file has no Closed column; the oldest raised 2026-03-27)"),
        "{said}"
    );
    let cleared = book
        .file("cleared.csv", "Account,Kind,Date,Title,Closed\nCRM-0001,risk,2026-11-02,Sponsor leaving,2026-11-20\n");
    let said = book.run(&["import", "logs", &cleared]);
    assert!(said.contains("imported 1 log entry: 0 new, 1 updated, 0 unchanged"), "{said}");
    let risks = |book: &CrmBook| -> Vec<String> {
        let logs = book.run(&["export", "logs", "--format", "csv"]);
        logs.lines().filter(|l| l.contains("Sponsor leaving")).map(str::to_string).collect()
    };
    let after = risks(&book);
    assert_eq!(after.len(), 1, "{after:?}");
    assert!(after[0].contains("2026-11-20"), "{after:?}");
    assert!(book.run(&["import", "logs", &cleared]).contains("0 new, 0 updated, 1 unchanged"));
    // Both rows in one file, the book with it open: the open one stays, the cleared one is new.
    let other = CrmBook::new(5);
    other.run(&["import", "logs", &open]);
    let both = other.file(
        "both.csv",
        "Account,Kind,Date,Title,Closed\nCRM-0001,risk,2026-11-02,Sponsor leaving,\n\
         CRM-0001,risk,2026-11-02,Sponsor leaving,2026-11-20\n",
    );
    let said = other.run(&["import", "logs", &both]);
    assert!(said.contains("1 new, 0 updated, 1 unchanged"), "{said}");
    assert_eq!(risks(&other).len(), 2);
    assert!(other.run(&["import", "logs", &both]).contains("0 new, 0 updated, 2 unchanged"));
    // Only a bug or a risk closes: a closing day on a touch or a sentiment said nothing and was
    // kept as if it did. The row is refused, line and column named, and nothing lands.
    let touch = other.file(
        "touch.csv",
        "Account,Kind,Date,Channel,Score,Closed\nCRM-0002,touch,2026-11-02,call,,\nCRM-0002,sentiment,2026-11-03,,7,2026-11-04\n",
    );
    let err = other.refused(&["import", "logs", &touch]);
    assert!(
        err.contains("touch.csv:3: column \"Closed\"")
            && err.contains("a sentiment is not closed: only a bug is closed"),
        "{err}"
    );
}

/// A milestone of a journey no template of the config has, that the book has none of, is said
/// with the template it is like (a probe's "onboardng / Kickoff call" sat overdue in Triage all
/// week without a word); one of a journey the config has, or the book has already, is not.
#[test]
fn a_milestone_of_a_journey_nobody_knows_is_said() {
    let book = CrmBook::new(3);
    let file = book.file(
        "milestones.csv",
        "Account,Journey,Milestone,Due\nCRM-0001,onboarding,Kickoff,2026-12-20\nCRM-0002,onboardng,Kickoff call,2026-12-20\n\
         CRM-0002,onboardng,Training,2026-12-27\nCRM-0001,Renewl,Renewal call,2027-01-20\n",
    );
    let said = book.run(&["import", "milestones", &file]);
    assert!(said.contains("4 new"), "{said}");
    // Each journey named once, the second misspelt one too.
    assert!(
        said.contains(
            "3 new milestones are of journeys no template of the config has (\"onboardng\": did you mean onboarding?; \
             \"Renewl\": did you mean renewal?)"
        ),
        "{said}"
    );
    // A journey the account has already (the file's own, kept as written): nothing said.
    let again = book.file("again.csv", "Account,Journey,Milestone,Due\nCRM-0002,onboardng,Handover,2026-12-21\n");
    let said = book.run(&["import", "milestones", &again]);
    assert!(said.contains("1 new") && !said.contains("no template"), "{said}");
}

/// A CRM activity export's Sentiment column logs a sentiment of the row's day beside its touch
/// (numbers on tend's 1-10, words read on it and said), gives a sentiment row its score, names
/// a value it cannot read, and imports nothing twice; a scale that looks 1-5 is said.
#[test]
fn an_activity_exports_sentiment_column_logs_a_sentiment_beside_its_touch() {
    let book = CrmBook::new(5);
    let activities = book.file(
        "activities.csv",
        "Associated Company,Activity Type,Activity Date,Comments,Sentiment\n\
         Company 1,Call,2026-11-02,Budget approved,8\n\
         Company 2,Meeting,2026-11-03,Unhappy about bugs,Negative\n\
         Company 2,Email,2026-11-04,Sent the notes,\n\
         Company 3,Sentiment,2026-11-05,,very positive\n",
    );
    let said = book.run(&["import", "logs", &activities]);
    assert!(said.contains("imported 6 log entries: 6 new"), "{said}");
    assert!(said.contains("3 sentiments read from the Sentiment column") && said.contains("negative 3"), "{said}");
    assert!(!said.contains("columns not read"), "{said}");
    let logs = book.json(&["export", "logs"]);
    let of = |account: &str, kind: &str| -> Vec<(String, Option<i64>, String)> {
        logs.iter()
            .filter(|e| e["account"] == account && e["kind"] == kind)
            .map(|e| {
                (
                    e["date"].as_str().unwrap().to_string(),
                    e["score"].as_i64(),
                    e["note"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    assert_eq!(of("CRM-0001", "sentiment"), [("2026-11-02".to_string(), Some(8), String::new())]);
    assert_eq!(of("CRM-0001", "touch"), [("2026-11-02".to_string(), None, "Budget approved".to_string())]);
    assert_eq!(of("CRM-0002", "sentiment"), [("2026-11-03".to_string(), Some(3), String::new())]);
    assert_eq!(of("CRM-0002", "touch").len(), 2, "the email without a sentiment is a touch alone");
    assert_eq!(of("CRM-0003", "sentiment"), [("2026-11-05".to_string(), Some(9), String::new())]);
    let again = book.run(&["import", "logs", &activities]);
    assert!(again.contains("0 new, 0 updated, 6 unchanged"), "{again}");
    // A value it cannot read, or out of range, is refused by its column.
    let bad = book.file(
        "bad.csv",
        "Account,Activity Type,Date,Sentiment\nCRM-0001,Call,2026-11-06,meh\nCRM-0002,Call,2026-11-06,14\n",
    );
    let err = book.refused(&["import", "logs", &bad]);
    assert!(err.contains("bad.csv:2: column \"Sentiment\": value \"meh\": not a sentiment"), "{err}");
    assert!(err.contains("bad.csv:3: column \"Sentiment\": value \"14\": 14 is out of range 1-10"), "{err}");
    // Skipped, such a row is skipped whole: neither its touch nor its sentiment is written.
    let said = book.run(&["import", "logs", &bad, "--skip-bad-rows"]);
    assert!(said.contains("imported 0 log entries") && said.contains("2 rows rejected"), "{said}");
    assert_eq!(book.json(&["export", "logs"]).len(), logs.len(), "nothing of the bad rows");
    // Numbers all 5 or under read as a 1-5 scale would: said, with the way back.
    let low = book.file(
        "low.csv",
        "Account,Activity Type,Date,Sentiment\nCRM-0001,Call,2026-11-07,4\nCRM-0002,Call,2026-11-07,2\nCRM-0003,Call,2026-11-07,5\n",
    );
    let said = book.run(&["import", "logs", &low]);
    assert!(
        said.contains("every one of the file's 3 sentiments given as numbers is 5 or under")
            && said.contains("tend undo --import`) and import it again with --sentiment-scale 5"),
        "{said}"
    );
}

/// A team's sentiments on 1-5 (a probe's 290, one 7 among them, scored "5, very happy" as an
/// unhappy 5 of 10 without a word): nearly all 5 or under is said to look 1-5, with the option
/// to pass; `--sentiment-scale 5` reads them onto tend's 1-10 (5 -> 10, 3 -> 5, 1 -> 1), a
/// sentiment row's score as its Sentiment column, and refuses a 7 by its column and line.
#[test]
fn a_files_one_to_five_sentiments_are_read_on_their_scale() {
    let book = CrmBook::new(5);
    let mut text = String::from("Account,Activity Type,Date,Sentiment,Score\n");
    for day in 1..=24 {
        text.push_str(&format!("CRM-000{},Call,2026-10-{day:02},{},\n", 1 + day % 4, 1 + day % 5));
    }
    text.push_str("CRM-0001,Call,2026-10-25,7,\nCRM-0004,Sentiment,2026-10-26,,5\n");
    let file = book.file("activities.csv", &text);
    let dry = book.run(&["import", "logs", &file, "--dry-run"]);
    assert!(
        dry.contains("25 of the file's 26 sentiments given as numbers are 5 or under (the highest 7)")
            && dry.contains("import it with --sentiment-scale 5"),
        "{dry}"
    );
    let said = book.run(&["import", "logs", &file, "--dry-run", "--sentiment-scale", "10"]);
    assert!(!said.contains("--sentiment-scale 5") && !said.contains("or under"), "{said}");
    let err = book.refused(&["import", "logs", &file, "--sentiment-scale", "5"]);
    assert!(
        err.contains("activities.csv:26: column \"Sentiment\": value \"7\": 7 is out of range 1-5 (the file's scale, --sentiment-scale 5)"),
        "{err}"
    );
    assert!(book.json(&["export", "logs"]).is_empty(), "a refused file writes nothing");
    let said = book.run(&["import", "logs", &file, "--sentiment-scale", "5", "--skip-bad-rows"]);
    assert!(said.contains("1 row rejected"), "{said}");
    assert!(said.contains("its sentiments are on 1-5, so import it with --sentiment-scale 5 too"), "{said}");
    assert!(
        said.contains("sentiments read on a 1-5 scale onto tend's 1-10 (1 -> 1, 2 -> 3, 3 -> 5, 4 -> 8, 5 -> 10)"),
        "{said}"
    );
    assert!(!said.contains("or under"), "{said}");
    let logs = book.json(&["export", "logs"]);
    let sentiment_on = |day: &str| -> Vec<i64> {
        logs.iter()
            .filter(|e| e["kind"] == "sentiment" && e["date"] == day)
            .filter_map(|e| e["score"].as_i64())
            .collect()
    };
    // Day 4 wrote 5, day 2 wrote 3, day 5 wrote 1; the sentiment row's Score 5.
    assert_eq!(sentiment_on("2026-10-04"), [10]);
    assert_eq!(sentiment_on("2026-10-02"), [5]);
    assert_eq!(sentiment_on("2026-10-05"), [1]);
    assert_eq!(sentiment_on("2026-10-26"), [10]);
    assert!(sentiment_on("2026-10-25").is_empty(), "the 7 was left out");
}

/// A quoted value closed early ("Broken "Quote" Co", a quote inside it not written twice) is a bad
/// value named with its line and column, not a name taken in as `Broken Quote" Co"` without a
/// word (a probe's import, dry run and all); a quote written twice, and an inch mark in an
/// unquoted value, are read as they are meant. (Only rows with a quote left in a value are read
/// again: `"Acme"x`, whose quotes the reader drops, reads as `Acmex`.)
#[test]
fn a_quoted_value_closed_early_is_refused_naming_its_cell() {
    let book = CrmBook::new(3);
    let file = book.file(
        "accounts.csv",
        "External ID,Account,ARR\nQ-1,\"Broken \"Quote\" Co\",1000\nQ-2,\"Say \"\"Hi\"\" Inc\",2000\nQ-3,27\" Displays,3000\n",
    );
    let err = book.refused(&["import", "accounts", &file]);
    assert!(
        err.contains(":2: column \"Account\"")
            && err.contains("a quote (\") ends the quoted value and more text follows it")
            && err.contains("written twice"),
        "{err}"
    );
    assert!(!err.contains(":3:") && !err.contains(":4:") && !err.contains("every row needs one"), "{err}");
    let fine =
        book.file("fine.csv", "External ID,Account,ARR\nQ-2,\"Say \"\"Hi\"\" Inc\",2000\nQ-3,27\" Displays,3000\n");
    book.run(&["import", "accounts", &fine]);
    let names = book.run(&["export", "accounts", "--format", "csv"]);
    assert!(names.contains("\"Say \"\"Hi\"\" Inc\"") && names.contains("\"27\"\" Displays\""), "{names}");
    let notes = book.file("notes.csv", "External ID,Account,ARR\nQ-4,\"Acme \"Cloud\" Ltd\",1000\n");
    let err = book.refused(&["import", "accounts", "--dry-run", &notes]);
    assert!(err.contains(":2: column \"Account\"") && err.contains("ends the quoted value"), "{err}");
}

/// A weekly file whose dates read either way (11/06/2026) is read in the order the book's
/// earlier files showed, and said; its kind's own order comes first; a dry run keeps nothing;
/// with no order kept it is refused as before.
#[test]
fn dates_that_read_either_way_follow_the_books_earlier_files() {
    let (dir, db) = temp_db();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    };
    let usage_days = |db: &std::path::Path| -> Vec<String> {
        let conn = rusqlite::Connection::open(db).unwrap();
        let mut stmt = conn.prepare("SELECT DISTINCT day FROM metric_samples ORDER BY day").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    let ambiguous = write("week.csv", "Account,Metric,Week Ending,Value\nA1,logins,11/06/2026,5\n");
    // A book whose files showed no order refuses it, as ever.
    let accounts_iso = write("iso.csv", "External ID,Account,CSM,Customer since\nA1,Acme,Maya,2020-01-05\n");
    let (ok, _, err) = tend(&db, &["import", "accounts", &accounts_iso]);
    assert!(ok, "{err}");
    let (ok, _, err) = tend(&db, &["import", "metrics", &ambiguous]);
    assert!(!ok && err.contains("could be day-first or month-first"), "{err}");
    // An accounts file of month-first dates: the metrics file follows it.
    let accounts_us = write("crm.csv", "External ID,Account,CSM,Customer since\nA1,Acme,Maya,07/14/2020\n");
    let (ok, _, err) = tend(&db, &["import", "accounts", &accounts_us, "--dry-run"]);
    assert!(ok, "{err}");
    let (ok, _, _) = tend(&db, &["import", "metrics", &ambiguous, "--dry-run"]);
    assert!(!ok, "a dry run keeps no order");
    let (ok, _, err) = tend(&db, &["import", "accounts", &accounts_us]);
    assert!(ok, "{err}");
    let (ok, out, err) = tend(&db, &["import", "metrics", &ambiguous]);
    assert!(ok, "{err}");
    assert!(
        out.contains("read month-first (2026-11-06), as this book's earlier file")
            && out.contains("crm.csv showed (pass --date-order dmy if they are not)"),
        "{out}"
    );
    assert_eq!(usage_days(&db), ["2026-11-06"]);
    // A usage file of day-first dates: the next usage file follows it, not the accounts file.
    let european = write("eu.csv", "Account,Metric,Week Ending,Value\nA1,logins,13/10/2026,4\n");
    let (ok, _, err) = tend(&db, &["import", "metrics", &european]);
    assert!(ok, "{err}");
    let next = write("next.csv", "Account,Metric,Week Ending,Value\nA1,logins,05/11/2026,6\n");
    let (ok, out, err) = tend(&db, &["import", "metrics", &next]);
    assert!(ok, "{err}");
    assert!(out.contains("read day-first (2026-11-05)") && out.contains("eu.csv showed"), "{out}");
    assert_eq!(usage_days(&db), ["2026-10-13", "2026-11-05", "2026-11-06"]);
    // Told the order, the file is read as told, without the note.
    let told = write("told.csv", "Account,Metric,Week Ending,Value\nA1,logins,09/11/2026,7\n");
    let (ok, out, err) = tend(&db, &["import", "metrics", &told, "--date-order", "mdy"]);
    assert!(ok && !out.contains("earlier file"), "{out}{err}");
    assert!(usage_days(&db).contains(&"2026-09-11".to_string()));
    // Read the book's way it would only replace a week the book has, read the other way every
    // value is new (a US file of May 11 after day-first ones): refused, the book unchanged.
    let replaces = write("may.csv", "Account,Metric,Week Ending,Value\nA1,logins,05/11/2026,8\n");
    let before = std::fs::read(&db).unwrap();
    let (ok, _, err) = tend(&db, &["import", "metrics", &replaces]);
    assert!(!ok, "{err}");
    assert!(
        err.contains("read day-first (2026-11-05), as this book's earlier file")
            && err.contains("every value would replace one the book has, and read month-first (2026-05-11) every value is new: pass --date-order mdy or dmy"),
        "{err}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

/// A survey tool's export of one survey (Delighted's NPS: a score, no column saying which
/// survey) is refused saying how to name it, and changes nothing.
#[test]
fn a_survey_export_without_its_kind_is_told_to_name_the_survey() {
    let (dir, db) = temp_db();
    let accounts = dir.path().join("a.csv");
    std::fs::write(&accounts, "External ID,Account,CSM\nA1,Acme,Maya\n").unwrap();
    let (ok, _, err) = tend(&db, &["import", "accounts", accounts.to_str().unwrap()]);
    assert!(ok, "{err}");
    let nps = dir.path().join("delighted.csv");
    std::fs::write(&nps, "Email,Score,Comment,Created At,Company\nann@acme.com,9,great,2026-11-20,Acme\n").unwrap();
    let before = std::fs::read(&db).unwrap();
    let (ok, _, err) = tend(&db, &["import", "logs", nps.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        err.contains("a survey's answers (a \"Score\" column) need one saying which survey they answer: add a column Survey with NPS, CSAT or CES on every row"),
        "{err}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
}
