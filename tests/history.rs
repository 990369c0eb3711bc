//! Health history on a real book file: back-fill, staleness after a write, config changes, movers.

mod common;

use std::path::Path;

use chrono::NaiveDate;
use common::{id, temp_db, today};
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
    let mut text = format!("[history]\ndays = {history_days}\n");
    let defaults = Config::default();
    for f in defaults.health.factors.keys() {
        if *f != id("sentiment") {
            text.push_str(&format!("[health.factors.{}]\nweight = 0\n", defaults.health.catalog.key(*f)));
        }
    }
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
fn backfill_scores_every_day_from_the_first_data() {
    let config = sentiment_only(90);
    let (_dir, mut store, id) = hand_made(&config);
    let hidden = indicatif::ProgressBar::hidden();
    let work = history::backfill(&mut store, &config, today(), &hidden).unwrap();
    assert_eq!(work.days_added, 90);
    // Oct 1 .. Nov 23 inclusive: 54 days with a score; nothing before the first sentiment.
    assert_eq!(work.rows_written, 54);
    let days = scores(&store, id, "2026-08-26", "2026-11-23");
    assert_eq!(days.first(), Some(&(d("2026-10-01"), Some(100))));
    assert_eq!(days.iter().find(|x| x.0 == d("2026-10-14")).unwrap().1, Some(100));
    assert_eq!(days.iter().find(|x| x.0 == d("2026-10-15")).unwrap().1, Some(33));
    assert_eq!(days.iter().find(|x| x.0 == d("2026-10-31")).unwrap().1, Some(33));
    assert_eq!(days.iter().find(|x| x.0 == d("2026-11-01")).unwrap().1, Some(0));
    assert_eq!(days.last(), Some(&(d("2026-11-23"), Some(0))));

    // The chart's series comes from the facts and equals what the cache holds.
    let facts = store.account_facts(id, &config.health.catalog).unwrap();
    let series = history::account_series(&config, &facts, today());
    let from_facts: Vec<(NaiveDate, Option<u8>)> = series.iter().map(|(day, _, h)| (*day, h.score)).collect();
    assert_eq!(from_facts, days);

    // Idempotent: a second run has nothing to do.
    assert_eq!(history::backfill(&mut store, &config, today(), &hidden).unwrap().rows_written, 0);
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
    assert_eq!(scores(&store, id, "2026-10-25", "2026-10-25"), vec![(d("2026-10-25"), Some(67))]);
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
    assert_eq!(scores(&store, b, "2026-11-09", "2026-11-10"), vec![(d("2026-11-10"), Some(100))]);
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

#[test]
fn movers_name_the_factor_with_raw_values() {
    let config = sentiment_only(90);
    let (_dir, store, id) = hand_made(&config);
    let facts = store.account_facts(id, &config.health.catalog).unwrap();
    let series = history::account_series(&config, &facts, today());
    let movers = history::account_movers(&config, &series, today(), &[7, 30, 90]);
    // 90 days back there was no score yet: only the 7- and 30-day windows compare.
    assert_eq!(movers.len(), 2);
    assert_eq!(movers[0].delta(), Some(0));
    assert_eq!(movers[1].describe(&config.health.catalog), "-33 in 30 days: CSM sentiment 5/10 -> 3/10");
}
