//! Health history back-fill at 100,000 accounts: every account scored on each of 183 days.
//!
//! One timed run (it takes seconds, not microseconds): `cargo bench --bench history`. The cache
//! is emptied first by changing the rules' fingerprint, so the back-fill starts from nothing.

#[allow(dead_code)]
mod common;

use std::time::Instant;

use common::{open_book, today};
use tend::book::history;
use tend::config::Config;

fn main() {
    // `cargo test --benches` runs bench binaries too; only a real `cargo bench` does the work.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let config = Config::default();
    let mut store = open_book(&config);
    store.reset_caches_unless("emptied by the back-fill bench").unwrap();
    tend::book::refresh(&mut store, &config, today()).unwrap();
    let hidden = indicatif::ProgressBar::hidden();
    let started = Instant::now();
    let work = history::backfill(&mut store, &config, today(), &hidden).unwrap();
    let took = started.elapsed();
    println!(
        "back-fill {} days x {} accounts: {} daily scores written in {:.1} s",
        work.days_added,
        store.account_count().unwrap(),
        work.rows_written,
        took.as_secs_f64()
    );
    // A second run finds everything current.
    let started = Instant::now();
    let again = history::backfill(&mut store, &config, today(), &hidden).unwrap();
    println!("second run (nothing to do): {} rows in {:.3} s", again.rows_written, started.elapsed().as_secs_f64());
}
