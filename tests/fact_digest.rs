//! The fact digests (`store::fact_digest`) on an imported CRM-shaped book: the first pass over
//! the book makes one for every account, the next day's pass reads them instead of the rows, and
//! what it works out is what the rows give, byte for byte. A write, another catalog or a broken
//! digest sends the account back to its rows.

mod common;

use std::collections::HashMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use chrono::Duration;
use common::today;
use tend::book::{self, history};
use tend::config::Config;
use tend::domain::AccountFacts;
use tend::store::Store;

/// The default rules, but a score from as little as these accounts have.
fn config() -> Config {
    Config::from_toml("[health]\nmin_coverage = 0.1\n", Path::new("low.toml")).unwrap()
}

/// An imported CRM book of `n` accounts with usage for two in three (a metric no factor reads
/// among it, odd values, a gap), sentiment, touches, NPS and bugs for some, goals for a few, and
/// the journeys the import planned.
fn book(n: usize) -> (tempfile::TempDir, PathBuf) {
    let (dir, db) = common::imported_crm(n);
    let mut metrics = String::from("account,metric,date,value\n");
    let mut logs = String::from("account,kind,date,score,channel,title\n");
    let mut goals = String::from("account,goal,status,date\n");
    for i in 0..n {
        if i % 3 != 2 {
            for week in 0..10 {
                if (i + week) % 9 == 4 {
                    continue;
                }
                let day = today() - Duration::days(7 * week as i64 + i as i64 % 4);
                let users = match (i + week) % 11 {
                    0 => "0".to_string(),
                    1 => "12.75".to_string(),
                    2 => "10000000".to_string(),
                    k => (k * 3 + i % 40).to_string(),
                };
                writeln!(metrics, "CRM-{i:04},active_users,{day},{users}").unwrap();
                writeln!(metrics, "CRM-{i:04},logins,{day},{}", (i * 7 + week) % 90).unwrap();
                writeln!(metrics, "CRM-{i:04},page_views,{day},{}", i * 11).unwrap();
            }
        }
        if i % 2 == 0 {
            let back = today() - Duration::days(i as i64 % 60);
            writeln!(logs, "CRM-{i:04},sentiment,{back},{},,", 1 + i % 10).unwrap();
            writeln!(logs, "CRM-{i:04},touch,{back},,call,").unwrap();
            writeln!(logs, "CRM-{i:04},touch,{},,email,", back - Duration::days(40)).unwrap();
        }
        if i % 5 == 0 {
            writeln!(logs, "CRM-{i:04},nps,{},{},,", today() - Duration::days(i as i64 % 200), i % 11).unwrap();
            writeln!(logs, "CRM-{i:04},bug,{},,,Export fails", today() - Duration::days(i as i64 % 30)).unwrap();
        }
        if i % 7 == 0 {
            let set = today() - Duration::days(90);
            writeln!(goals, "CRM-{i:04},Roll out to team {i},on track,{set}").unwrap();
            writeln!(goals, "CRM-{i:04},Roll out to team {i},at risk,{}", set + Duration::days(30)).unwrap();
        }
    }
    for (name, text, kind) in
        [("usage.csv", metrics, "metrics"), ("logs.csv", logs, "logs"), ("goals.csv", goals, "goals")]
    {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        let (ok, _, err) = common::tend_on(&db, &["import", kind, file.to_str().unwrap()]);
        assert!(ok, "{kind}: {err}");
    }
    common::empty_caches(&db);
    (dir, db)
}

/// Every account's facts as a whole-book read hands them over (from digests where it has them).
fn streamed(store: &Store, config: &Config) -> HashMap<i64, AccountFacts> {
    let mut out = HashMap::new();
    store.for_each_account_facts(&config.health.catalog, |id, f| drop(out.insert(id, f.clone()))).unwrap();
    out
}

/// Each account's facts read from its own rows, one query per kind.
fn from_rows(store: &Store, config: &Config) -> HashMap<i64, AccountFacts> {
    let ids: Vec<i64> = store.account_summaries(today()).unwrap().iter().map(|s| s.id).collect();
    ids.into_iter().map(|id| (id, store.account_facts(id, &config.health.catalog).unwrap())).collect()
}

fn digests(db: &Path) -> i64 {
    rusqlite::Connection::open(db).unwrap().query_row("SELECT count(*) FROM fact_digests", [], |r| r.get(0)).unwrap()
}

fn sql(db: &Path, statement: &str) {
    rusqlite::Connection::open(db).unwrap().execute_batch(statement).unwrap();
}

#[test]
fn a_pass_digests_every_account_and_the_digests_give_what_the_rows_give() {
    let (dir, db) = book(2_500);
    let config = config();
    let hidden = indicatif::ProgressBar::hidden();
    let mut store = Store::open(&db).unwrap();
    history::backfill(&mut store, &config, today(), &hidden).unwrap();
    assert_eq!(digests(&db), 2_500, "a new day's pass digests every account");
    let rows = from_rows(&store, &config);
    assert_eq!(streamed(&store, &config), rows, "the digests hold every fact the rows do");
    let with_facts = rows.values().filter(|f| !f.has_no_evidence()).count();
    assert!(with_facts > 1_500, "most accounts have evidence: {with_facts}");
    assert!(rows.values().any(|f| !f.goals.is_empty()) && rows.values().any(|f| !f.milestones.is_empty()));
    drop(store);

    // They are read: account 3's facts put in account 1's digest (as tend packs them, at account
    // 1's version) are what the whole-book read hands over for account 1.
    let broken = dir.path().join("swapped.db");
    std::fs::copy(&db, &broken).unwrap();
    let as_if_1 = tend::store::fact_digest::FactDigest::of(1, 0, &rows[&3]);
    let conn = rusqlite::Connection::open(&broken).unwrap();
    conn.execute("UPDATE fact_digests SET body = ?1 WHERE account_id = 1", [&as_if_1.body]).unwrap();
    drop(conn);
    let store = Store::open(&broken).unwrap();
    let read = streamed(&store, &config);
    assert_eq!(read[&1].metrics, rows[&3].metrics);
    assert_ne!(rows[&1].metrics, rows[&3].metrics);
    drop(store);

    // A digest that cannot be read, one of another version, or another account's is not: the
    // account is read from its rows.
    sql(
        &broken,
        "UPDATE fact_digests SET body = X'01FF' WHERE account_id = 1;
         UPDATE fact_digests SET facts_version = facts_version + 7 WHERE account_id = 4;
         UPDATE fact_digests SET body = (SELECT body FROM fact_digests WHERE account_id = 3) WHERE account_id = 5;",
    );
    let store = Store::open(&broken).unwrap();
    assert_eq!(streamed(&store, &config), rows);
}

#[test]
fn a_write_or_another_catalog_sends_the_account_back_to_its_rows() {
    let (_dir, db) = book(2_100);
    let config = config();
    let hidden = indicatif::ProgressBar::hidden();
    let mut store = Store::open(&db).unwrap();
    history::backfill(&mut store, &config, today(), &hidden).unwrap();
    assert_eq!(digests(&db), 2_100);

    // A sentiment logged on one account: its digest no longer stands for its facts.
    let id = book::resolve::resolve_account(&store, "CRM-0004").unwrap();
    let mut input = tend::domain::input::EntryInput::new(tend::domain::entry::EntryKind::Sentiment, today());
    input.score = Some(2);
    let mut ctx = book::log::Ctx { store: &mut store, config: &config, session: "t", today: today(), by: None };
    book::log::log_entry(&mut ctx, id, &input).unwrap();
    let read = streamed(&store, &config);
    assert_eq!(read[&id].sentiments.last(), Some(&(today(), 2.0)));
    assert_eq!(read, from_rows(&store, &config));

    // Another catalog (a factor on a metric the default reads none of): the digests, packed by
    // the default's slots, are not read, and the next pass makes its own.
    let custom = Config::from_toml(
        "[health]\nmin_coverage = 0.1\n[health.factors.page_views]\nsource = \"metric:page_views\"\n\
         transform = \"latest\"\nweight = 1\nbetter = \"higher\"\nthresholds = [10, 100, 1000]\n",
        Path::new("custom.toml"),
    )
    .unwrap();
    let custom_rows = from_rows(&store, &custom);
    assert!(custom_rows.values().any(|f| f.metrics.iter().flatten().any(|(_, v)| *v > 1_000.0)));
    assert_eq!(streamed(&store, &custom), custom_rows);
    history::backfill(&mut store, &custom, today() + Duration::days(7), &hidden).unwrap();
    assert_eq!(digests(&db), 2_100, "the custom catalog's digests replace the default's");
    assert_eq!(streamed(&store, &custom), custom_rows);
    assert_eq!(streamed(&store, &config), from_rows(&store, &config));
}

/// What a day nothing prepared works out from digests (the history, the cached values, the
/// list) is what it works out from the rows: the same book twice, one with its digests dropped.
#[test]
fn a_day_worked_out_from_digests_is_the_day_worked_out_from_rows() {
    let (dir, db) = book(3_000);
    let config = config();
    let hidden = indicatif::ProgressBar::hidden();
    let first = today();
    {
        let mut store = Store::open(&db).unwrap();
        book::prepare(&mut store, &config, first).unwrap();
    }
    let rows_only = dir.path().join("rows_only.db");
    std::fs::copy(&db, &rows_only).unwrap();
    sql(&rows_only, "DELETE FROM fact_digests");
    assert_eq!(digests(&db), 3_000);

    // A week on: nothing of that day is kept.
    let later = first + Duration::days(7);
    let mut worked = Vec::new();
    for path in [&db, &rows_only] {
        let mut store = Store::open(path).unwrap();
        let work = history::backfill(&mut store, &config, later, &hidden).unwrap();
        assert!(work.days_added > 0, "{work:?}");
        book::prepare(&mut store, &config, later).unwrap();
        let head = book::triage_head::work_out(&store, &config, later, None).unwrap().everyone;
        worked.push((head, store.account_summaries(later).unwrap()));
    }
    assert_eq!(worked[0], worked[1]);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("ATTACH ?1 AS other", [rows_only.to_str().unwrap()]).unwrap();
    for table in ["health_history", "factor_snapshots", "history_days"] {
        let differ: i64 = conn
            .query_row(
                &format!(
                    "SELECT (SELECT count(*) FROM (SELECT * FROM main.{table} EXCEPT SELECT * FROM other.{table}))
                          + (SELECT count(*) FROM (SELECT * FROM other.{table} EXCEPT SELECT * FROM main.{table}))"
                ),
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(differ, 0, "{table} differs");
    }
    // Each account's row packs 13 bytes a day (`store::history`).
    let kept: i64 = conn.query_row("SELECT sum(length(days)) / 13 FROM health_history", [], |r| r.get(0)).unwrap();
    assert!(kept > 5_000, "the history has scores to compare: {kept}");
    assert!(!worked[0].0.items.is_empty(), "the list has items to compare");
}

/// A digest made from facts a write has changed since is not kept: it is stored only at the facts
/// version it was read at, and only for an account the book has.
#[test]
fn a_digest_of_facts_changed_since_is_not_kept() {
    let (_dir, db) = book(30);
    let config = config();
    let mut store = Store::open(&db).unwrap();
    let mut made = Vec::new();
    store.for_each_account_facts_digesting(&config.health.catalog, 1, 3, &mut made, |_, _| {}).unwrap();
    assert_eq!(made.len(), 3);
    sql(&db, "UPDATE accounts SET facts_version = facts_version + 1 WHERE id = 2");
    let mut gone = made[0].clone();
    gone.account_id = 999;
    made.push(gone);
    assert_eq!(store.store_fact_digests(&config.health.catalog, &made).unwrap(), 2);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let kept: Vec<i64> = conn
        .prepare("SELECT account_id FROM fact_digests ORDER BY 1")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(kept, [1, 3]);
}

/// On a book of 5,000 accounts or more, a screen or a report on a day nothing prepared works out
/// today's values and history alone (`book::prepare_today`): the screen works the next working
/// day out behind it once today's list is shown, from the digests the first pass made, and the
/// report not at all (its reader is waiting). A smaller book has both at once.
#[test]
fn a_large_books_screen_works_today_out_first_and_the_next_working_day_behind_it() {
    let hidden = indicatif::ProgressBar::hidden();
    let config = config();
    let next = history::worked_ahead_to(today());
    let (dir, db) = book(5_000);
    let reported = dir.path().join("reported.db");
    std::fs::copy(&db, &reported).unwrap();
    let (ok, out, err) = common::tend_on(&reported, &["report", "triage", "--format", "json"]);
    assert!(ok && out.contains("\"rank\": 1"), "{err}");
    let store = Store::open(&reported).unwrap();
    assert_eq!(store.accounts_missing_snapshot(today()).unwrap(), 0);
    assert_eq!(store.accounts_missing_snapshot(next).unwrap(), 5_000, "nothing worked out ahead");
    assert!(store.triage_head("@next").unwrap().is_none(), "no list of the next day kept");
    let kept = book::triage_head::load(&store, &Config::default(), today(), None).unwrap();
    assert!(kept.is_some(), "today's list is kept");
    drop(store);
    let mut store = Store::open(&db).unwrap();
    let work = tend::book::prepare_today(&mut store, &config, today(), &hidden).unwrap();
    assert!(work.days_added > 0 && work.days_ahead == 0, "{work:?}");
    assert_eq!(store.accounts_missing_snapshot(today()).unwrap(), 0);
    assert_eq!(store.accounts_missing_snapshot(next).unwrap(), 5_000);
    assert_eq!(digests(&db), 5_000);
    let behind = book::triage_head::refresh_ahead(&mut store, &config, today()).unwrap();
    assert!(behind.history.days_added > 0 && behind.list_kept, "{:?}", behind.history);
    assert_eq!(store.accounts_missing_snapshot(next).unwrap(), 0);
    assert!(book::triage_head::load(&store, &config, next, None).unwrap().is_some(), "the next day's list is kept");

    let (_small_dir, small) = book(300);
    let mut store = Store::open(&small).unwrap();
    let work = tend::book::prepare_today(&mut store, &config, today(), &hidden).unwrap();
    assert!(work.days_ahead > 0, "{work:?}");
    assert_eq!(store.accounts_missing_snapshot(next).unwrap(), 0);
}
