//! Health history on a real book file: back-fill, staleness after a write, config changes, movers.

mod common;

use std::path::Path;

use chrono::NaiveDate;
use common::{temp_db, today, weights_zero_but};
use tend::book::{self, history};
use tend::config::Config;
use tend::domain::entry::EntryKind;
use tend::domain::input::EntryInput;
use tend::store::{NewAccount, Store};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Only CSM sentiment counts, so each day's score is known by hand: 9 -> 100, 5 -> 33, 3 -> 0.
fn sentiment_only(history_days: i64) -> Config {
    let text = format!("[history]\ndays = {history_days}\n{}", weights_zero_but(&["sentiment"], false));
    Config::from_toml(&text, Path::new("test.toml")).unwrap()
}

fn log_sentiment(store: &mut Store, config: &Config, account: i64, day: &str, score: i64) {
    let mut input = EntryInput::new(EntryKind::Sentiment, d(day));
    input.score = Some(score);
    let mut ctx = book::log::Ctx { store, config, session: "test", today: today(), by: Some("Ana") };
    book::log::log_entry(&mut ctx, account, &input).unwrap();
}

/// A book with one hand-made account: sentiment 9 on Oct 1, 5 on Oct 15, 3 on Nov 1.
fn hand_made(config: &Config) -> (tempfile::TempDir, Store, i64) {
    let (dir, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let mut a = NewAccount::new("acme", "Acme");
    a.customer_since = Some(d("2025-01-01"));
    let id = store.write(|w| w.insert_account(&a)).unwrap();
    for (day, score) in [("2026-10-01", 9), ("2026-10-15", 5), ("2026-11-01", 3)] {
        log_sentiment(&mut store, config, id, day, score);
    }
    (dir, store, id)
}

fn scores(store: &Store, id: i64, from: &str, to: &str) -> Vec<(NaiveDate, Option<u8>)> {
    store.account_history(id, d(from), d(to)).unwrap().into_iter().map(|(day, h)| (day, h.score)).collect()
}

#[test]
fn backfill_stores_the_anchor_days_as_the_daily_series_has_them() {
    let config = sentiment_only(183);
    let (_dir, mut store, id) = hand_made(&config);
    let hidden = indicatif::ProgressBar::hidden();
    let work = history::backfill(&mut store, &config, today(), &hidden).unwrap();
    // Today and 7, 30 and 90 days back: the days triage and the movers compare.
    let anchors = history::anchor_days(&config, today());
    assert_eq!(anchors, vec![d("2026-11-23"), d("2026-11-16"), d("2026-10-24"), d("2026-08-25")]);
    assert_eq!(work.days_added, 4);
    // In the same read, the anchors of the next working day (Tuesday's): Nov 24, 17, Oct 25, Aug 26.
    assert_eq!(work.days_ahead, 4);
    // Aug 25 and 26 are before the first sentiment: no score, no row.
    assert_eq!(work.rows_written, 6);
    let stored = scores(&store, id, "2026-08-25", "2026-11-23");
    let anchored: Vec<_> = stored.iter().filter(|(day, _)| anchors.contains(day)).copied().collect();
    assert_eq!(anchored, vec![(d("2026-10-24"), Some(33)), (d("2026-11-16"), Some(0)), (d("2026-11-23"), Some(0))]);
    // The chart's daily series comes from the facts and agrees on every stored day, those worked
    // out ahead among them.
    let facts = store.account_facts(id, &config.health.catalog).unwrap();
    let tomorrow = today().succ_opt().unwrap();
    let series = history::account_series(&config, &facts, tomorrow);
    let stored = scores(&store, id, "2026-08-25", "2026-11-24");
    assert_eq!(stored.len(), 6);
    for (day, score) in &stored {
        assert_eq!(series.iter().find(|(d, _, _)| d == day).map(|(_, _, h)| h.score), Some(*score), "{day}");
    }
    assert_eq!(series.iter().find(|(day, _, _)| *day == d("2026-10-14")).map(|(_, _, h)| h.score), Some(Some(100)));
    // Idempotent: a second run has nothing to do.
    assert_eq!(history::backfill(&mut store, &config, today(), &hidden).unwrap().rows_written, 0);
    // The next day was worked out ahead: nothing to read or write for it.
    let work = history::backfill(&mut store, &config, tomorrow, &hidden).unwrap();
    assert_eq!((work.days_added, work.days_ahead, work.rows_written), (0, 0, 0));
    // A day no open prepared (Thursday) moves every anchor: the new ones are computed with
    // Friday's, the old ones dropped.
    let thursday = d("2026-11-26");
    let work = history::backfill(&mut store, &config, thursday, &hidden).unwrap();
    assert_eq!((work.days_added, work.days_ahead), (4, 4));
    assert_eq!(store.history_days().unwrap(), history::kept_days(&config, thursday));
    assert!(scores(&store, id, "2026-11-23", "2026-11-24").is_empty(), "Nov 23 and 24 are no anchors any more");
}

/// A tend as of an earlier day (left open since the day before, or `--as-of` a day gone) that
/// works its day out again takes nothing from the newest day's history: the rows keep that day's
/// anchors, which stay complete, and its own anchors are in the rows as the daily series has them.
/// A probe's window open as of a Sunday had taken the next week's days out of every account's row
/// while they stayed marked complete: the next week's Triage lost its change column until Ctrl-R.
#[test]
fn a_pass_as_of_an_earlier_day_takes_nothing_from_the_newest() {
    let config = sentiment_only(183);
    let (_dir, mut store, id) = hand_made(&config);
    let hidden = indicatif::ProgressBar::hidden();
    let newest = today();
    history::backfill(&mut store, &config, newest, &hidden).unwrap();
    let complete = store.history_days().unwrap();
    let newest_scores = scores(&store, id, "2026-08-01", "2026-11-30");
    assert!(!newest_scores.is_empty());
    let earlier = d("2026-11-16");
    history::backfill(&mut store, &config, earlier, &hidden).unwrap();
    assert_eq!(store.history_days().unwrap(), complete, "the newest day's days stay, and the earlier pass marks none");
    let after = scores(&store, id, "2026-08-01", "2026-11-30");
    for kept in &newest_scores {
        assert!(after.contains(kept), "{kept:?} taken out: {after:?}");
    }
    let facts = store.account_facts(id, &config.health.catalog).unwrap();
    let series = history::account_series(&config, &facts, earlier);
    for day in history::anchor_days(&config, earlier) {
        let stored = after.iter().find(|(d, _)| *d == day).and_then(|(_, s)| *s);
        let computed = series.iter().find(|(d, _, _)| *d == day).and_then(|(_, _, h)| h.score);
        assert_eq!(stored, computed, "{day}");
    }
    // The newest day again: nothing to work out.
    let work = history::backfill(&mut store, &config, newest, &hidden).unwrap();
    assert_eq!((work.days_added, work.rows_written), (0, 0));
}

/// The next working day is the next day, or the Monday after a Friday, Saturday or Sunday.
#[test]
fn the_next_working_day_skips_the_weekend() {
    for (today, next) in [
        ("2026-11-23", "2026-11-24"),
        ("2026-11-26", "2026-11-27"),
        ("2026-11-27", "2026-11-30"),
        ("2026-11-28", "2026-11-30"),
        ("2026-11-29", "2026-11-30"),
    ] {
        assert_eq!(history::worked_ahead_to(d(today)), d(next), "after {today}");
    }
}

/// The stored history, on every anchor day and for every account of the demo book, is what the
/// daily computation from the account's facts gives: the same score and the same points.
#[test]
fn stored_history_equals_the_daily_computation_on_the_demo_book() {
    let (_dir, mut store) = common::demo_store(300);
    let config = Config::default();
    let hidden = indicatif::ProgressBar::hidden();
    history::backfill(&mut store, &config, today(), &hidden).unwrap();
    let days = history::anchor_days(&config, today());
    let stored: Vec<std::collections::HashMap<i64, tend::domain::history::DayHealth>> =
        days.iter().map(|day| store.history_on(*day, i64::MIN..=i64::MAX).unwrap().into_iter().collect()).collect();
    let mut scored = 0;
    for account in store.all_accounts().unwrap() {
        let facts = store.account_facts(account.id, &config.health.catalog).unwrap();
        let series = history::account_series(&config, &facts, today());
        for (day, on_day) in days.iter().zip(&stored) {
            let computed = series.iter().find(|(d, _, h)| d == day && h.score.is_some()).map(|(_, _, h)| *h);
            assert_eq!(on_day.get(&account.id).copied(), computed, "{} on {day}", account.name);
            scored += usize::from(computed.is_some());
        }
    }
    assert!(scored > 300, "most accounts score on most anchor days: {scored}");
}

/// The accounts whose history is to be recomputed, as `history::ensure` finds them.
fn stale(store: &Store) -> Vec<i64> {
    let changed: Vec<i64> = store.history_changed_accounts().unwrap().into_iter().map(|(id, _)| id).collect();
    store.history_stale_accounts(&changed).unwrap()
}

#[test]
fn a_backdated_entry_makes_the_history_stale_until_recomputed() {
    let config = sentiment_only(90);
    let (_dir, mut store, id) = hand_made(&config);
    let hidden = indicatif::ProgressBar::hidden();
    history::backfill(&mut store, &config, today(), &hidden).unwrap();
    log_sentiment(&mut store, &config, id, "2026-10-20", 7);
    assert_eq!(stale(&store), vec![id]);
    let work = history::ensure(&mut store, &config, &[today()], &hidden).unwrap();
    assert_eq!(work.accounts_refreshed, 1);
    assert_eq!(scores(&store, id, "2026-10-24", "2026-10-24"), vec![(d("2026-10-24"), Some(67))]);
    assert!(stale(&store).is_empty());
}

#[test]
fn new_accounts_are_scored_on_the_complete_days() {
    let config = sentiment_only(60);
    let (_dir, mut store, _) = hand_made(&config);
    let hidden = indicatif::ProgressBar::hidden();
    history::backfill(&mut store, &config, today(), &hidden).unwrap();
    let b = store.write(|w| w.insert_account(&NewAccount::new("beta", "Beta"))).unwrap();
    log_sentiment(&mut store, &config, b, "2026-11-10", 9);
    assert_eq!(stale(&store), vec![b]);
    history::ensure(&mut store, &config, &[today()], &hidden).unwrap();
    assert_eq!(scores(&store, b, "2026-11-09", "2026-11-16"), vec![(d("2026-11-16"), Some(100))]);
}

#[test]
fn changing_the_health_rules_clears_the_cache() {
    let config = sentiment_only(60);
    let (_dir, mut store, id) = hand_made(&config);
    let hidden = indicatif::ProgressBar::hidden();
    history::backfill(&mut store, &config, today(), &hidden).unwrap();
    let mut changed = config.clone();
    changed.health.factors.get_mut(&changed.health.catalog.id("sentiment").unwrap()).unwrap().thresholds =
        [2.0, 4.0, 6.0];
    let work = history::ensure(&mut store, &changed, &[today()], &hidden).unwrap();
    assert_eq!(work.days_added, 1, "the old days were dropped with the old rules");
    assert_eq!(store.history_days().unwrap(), vec![today()]);
    // Sentiment 3 is now 2 points: 33, not 0.
    assert_eq!(scores(&store, id, "2026-11-23", "2026-11-23"), vec![(today(), Some(33))]);
    // Band cut-offs are read at display time and do not invalidate anything.
    let mut bands = changed.clone();
    bands.health.bands.green = 80;
    assert_eq!(history::ensure(&mut store, &bands, &[today()], &hidden).unwrap().days_added, 0);
}

/// Values and history cached by an earlier tend, whose derivation of factor values differed, are
/// worked out again under the same config, not read as today's.
#[test]
fn a_cache_from_an_earlier_derivation_is_worked_out_again() {
    let config = sentiment_only(60);
    let (dir, mut store, _) = hand_made(&config);
    let hidden = indicatif::ProgressBar::hidden();
    history::backfill(&mut store, &config, today(), &hidden).unwrap();
    assert_eq!(history::ensure(&mut store, &config, &[today()], &hidden).unwrap().days_added, 0);
    drop(store);
    // The fingerprint as the tend before derivations were counted wrote it: the rules alone.
    let path = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "db"))
        .unwrap();
    let fingerprint = history::fingerprint(&config, &store_through(&path));
    let mut rules: serde_json::Value = serde_json::from_str(&fingerprint).unwrap();
    assert!(rules.as_object_mut().unwrap().remove("derivation").is_some(), "{fingerprint}");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let changed =
        conn.execute("UPDATE book_meta SET value = ?1 WHERE key = 'history_fingerprint'", [rules.to_string()]).unwrap();
    assert_eq!(changed, 1);
    drop(conn);
    let mut store = Store::open(&path).unwrap();
    let work = history::ensure(&mut store, &config, &[today()], &hidden).unwrap();
    assert_eq!(work.days_added, 1, "the earlier derivation's days were dropped");
}

/// The book's days, as the fingerprint carries them.
fn store_through(path: &std::path::Path) -> tend::store::facts::BookDays {
    Store::open(path).unwrap().book_days().unwrap()
}

#[test]
fn movers_name_the_factor_with_raw_values() {
    let config = sentiment_only(90);
    let (_dir, store, id) = hand_made(&config);
    let facts = store.account_facts(id, &config.health.catalog).unwrap();
    let series = history::account_series(&config, &facts, today());
    let movers = history::account_movers(&config, &series, today(), &[7, 30, 90]);
    // 90 days back there was no score yet: the 90-day window compares from the first score.
    assert_eq!(movers.len(), 3);
    assert_eq!(movers[0].delta(), Some(0));
    assert_eq!(movers[1].describe(&config.health.catalog), "-33 in 30 days: CSM sentiment 5/10 -> 3/10");
    let first = movers[2].first_score_days.expect("from the first score");
    assert!(first > 30 && first < 90, "{first}");
    assert!(movers[2].describe(&config.health.catalog).contains(&format!(" since its first score {first} days ago")));
}

/// A new day's first open reads every account once: the history's pass also stores today's
/// factor values, and they are the values derived from each account's facts for that day.
#[test]
fn a_new_day_stores_todays_factor_values_in_the_history_pass() {
    let (_dir, mut store) = common::demo_store(300);
    let config = Config::default();
    let hidden = indicatif::ProgressBar::hidden();
    let next_week = today() + chrono::Duration::days(7);
    assert_eq!(store.accounts_missing_snapshot(next_week).unwrap(), 300);
    // The history alone, as after an import: every account read, and today's values with it.
    let work = history::backfill(&mut store, &config, next_week, &hidden).unwrap();
    assert_eq!(work.days_added, history::anchor_days(&config, next_week).len());
    assert_eq!(store.accounts_missing_snapshot(next_week).unwrap(), 0);
    let mut compared = 0;
    for summary in store.account_summaries(next_week).unwrap() {
        let facts = store.account_facts(summary.id, &config.health.catalog).unwrap();
        let derived = tend::domain::signals::derive_values(&facts, next_week, &config.health.catalog);
        let stored = summary.values.expect("every account has today's values");
        for f in config.health.catalog.ids() {
            let (a, b) = (stored.get(f), derived.get(f));
            assert!(
                a == b || a.zip(b).is_some_and(|(a, b)| (a - b).abs() < 1e-9),
                "account {} factor {f:?}",
                summary.id
            );
        }
        compared += 1;
    }
    assert_eq!(compared, 300);
    // Nothing is left to do on a second open that day.
    let (scored, work) = book::prepare_with(&mut store, &config, next_week, &hidden).unwrap();
    assert_eq!((scored, work.rows_written, work.days_added), (0, 0, 0));
}

/// A book that cannot be written (opened read-only) cannot store the history a day lacks: it is
/// worked out in memory, so the triage list's falls and the change columns read as from a book
/// that could, on a day never prepared and for accounts changed since the history was stored.
#[test]
fn a_read_only_book_works_out_the_history_it_lacks_in_memory() {
    let (dir, db) = temp_db();
    let file = common::crm_file(dir.path(), 60);
    let run = |args: &[&str]| {
        let (ok, _, err) = common::tend_on(&db, args);
        assert!(ok, "{args:?}: {err}");
    };
    run(&["import", "accounts", file.to_str().unwrap()]);
    let (config_file, config) =
        common::with_sentiment(&db, 0..20, |i| vec![(70 + i, 9), (35 + i, 8), (5 + i, 2 + i % 3)]);
    let listed = |store: &mut Store, day: NaiveDate| {
        book::prepare(store, &config, day).unwrap();
        let (rows, triage) = book::load_book(store, &config, day).unwrap();
        let list = triage.list(&config, &rows);
        let items: Vec<_> = list.items.iter().map(|i| (rows[i.row].name.clone(), i.need, i.reasons.clone())).collect();
        let deltas: Vec<_> = rows.iter().map(|r| (r.id, r.deltas)).collect();
        (items, deltas)
    };
    let copy = |name: &str| {
        let path = dir.path().join(name);
        std::fs::copy(&db, &path).unwrap();
        path
    };
    // A day never prepared (the import brought today's history, not next week's); then one after
    // a write marked an account's stored history stale.
    let next_week = today() + chrono::Duration::days(7);
    for (step, day) in [("unprepared", next_week), ("stale", today())] {
        if step == "stale" {
            run(&["report", "triage", "--config", config_file.to_str().unwrap()]);
            run(&["log", "sentiment", "CRM-0004", "1", "--config", config_file.to_str().unwrap()]);
        }
        let writable = copy(&format!("{step}-w.db"));
        let read_only = copy(&format!("{step}-r.db"));
        let mut store = Store::open_to_read(&read_only).unwrap();
        assert!(store.read_only().is_some());
        let from_read_only = listed(&mut store, day);
        let from_writable = listed(&mut Store::open(&writable).unwrap(), day);
        assert!(
            from_writable
                .0
                .iter()
                .any(|(_, _, reasons)| reasons.iter().any(|r| matches!(r, tend::domain::triage::Reason::Drop(_)))),
            "{step}: the book has falls to list"
        );
        assert_eq!(from_read_only, from_writable, "{step}: the read-only book lists what a writable one does");
    }
}

/// A book big enough to be read in several ranges of accounts, by more than one connection at
/// once (an imported CRM file of 5,000 accounts, usage for every third account and a metric no
/// factor reads, sentiment and touches for some): every account's stored history on each anchor
/// day and its cached values are what its own facts give, read alone. A range read twice, missed,
/// or handed to the wrong account would show.
#[test]
fn a_book_read_in_ranges_at_once_stores_what_each_accounts_facts_give() {
    use std::fmt::Write;
    let (dir, db) = common::imported_crm(5_000);
    let mut metrics = String::from("account,metric,date,value\n");
    let mut logs = String::from("account,kind,date,score,channel\n");
    for i in (0..5_000).step_by(3) {
        for week in 0..8 {
            let day = today() - chrono::Duration::days(7 * week + i as i64 % 5);
            let users = 3 + (i * 7 + week as usize * 3) % 40;
            writeln!(metrics, "CRM-{i:04},active_users,{day},{users}").unwrap();
            writeln!(metrics, "CRM-{i:04},page_views,{day},{}", users * 11).unwrap();
        }
        if i % 2 == 0 {
            let back = today() - chrono::Duration::days(i as i64 % 60);
            writeln!(logs, "CRM-{i:04},sentiment,{back},{},", 1 + i % 10).unwrap();
            writeln!(logs, "CRM-{i:04},touch,{back},,call").unwrap();
        }
    }
    for (name, text, kind) in [("usage.csv", metrics, "metrics"), ("logs.csv", logs, "logs")] {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        let (ok, _, err) = common::tend_on(&db, &["import", kind, file.to_str().unwrap()]);
        assert!(ok, "{err}");
    }
    common::empty_caches(&db);

    // The default rules, but a score from as little as these accounts have.
    let config = Config::from_toml("[health]\nmin_coverage = 0.1\n", Path::new("low.toml")).unwrap();
    let mut store = Store::open(&db).unwrap();
    let hidden = indicatif::ProgressBar::hidden();
    let work = history::backfill(&mut store, &config, today(), &hidden).unwrap();
    assert!(work.days_added > 0 && work.days_ahead > 0, "{work:?}");
    let catalog = &config.health.catalog;
    let mut days = history::anchor_days(&config, today());
    days.extend(history::anchor_days(&config, history::worked_ahead_to(today())));
    let stored: Vec<std::collections::HashMap<i64, tend::domain::history::DayHealth>> =
        days.iter().map(|day| store.history_on(*day, i64::MIN..=i64::MAX).unwrap().into_iter().collect()).collect();
    let (mut scored, mut valued) = (0, 0);
    for summary in store.account_summaries(today()).unwrap() {
        let facts = store.account_facts(summary.id, catalog).unwrap();
        for (day, on_day) in days.iter().zip(&stored) {
            let computed = tend::domain::history::daily(&config.health, &facts, *day, *day)
                .into_iter()
                .find_map(|(_, _, h)| h.score.is_some().then_some(h));
            assert_eq!(on_day.get(&summary.id).copied(), computed, "account {} on {day}", summary.id);
            scored += usize::from(computed.is_some());
        }
        let derived = tend::domain::signals::derive_values(&facts, today(), catalog);
        let cached = summary.values.expect("every account has today's values");
        for f in catalog.ids() {
            let (a, b) = (cached.get(f), derived.get(f));
            assert!(a == b || a.zip(b).is_some_and(|(a, b)| (a - b).abs() < 1e-9), "account {} {f:?}", summary.id);
            valued += usize::from(a.is_some());
        }
    }
    assert!(scored > 1_000, "accounts with data score on the anchor days: {scored}");
    assert!(valued > 3_000, "usage and sentiment give values: {valued}");
}
