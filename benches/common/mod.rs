//! The 100,000-account demo book the benches share, built once under `target/`.

use std::path::PathBuf;

use chrono::NaiveDate;
use tend::book;
use tend::config::Config;
use tend::demo::{self, DemoSpec};
use tend::store::Store;

pub const ACCOUNTS: usize = 100_000;

pub fn today() -> NaiveDate {
    "2026-11-23".parse().unwrap()
}

pub fn book_path() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("target"));
    target.join(format!("bench-book-{ACCOUNTS}.db"))
}

/// The 100k demo book, built on first use, with today's values and the triage history cached.
pub fn open_book(config: &Config) -> Store {
    let path = book_path();
    let mut store = Store::open(&path).expect("bench book opens");
    if store.account_count().unwrap() != ACCOUNTS {
        eprintln!("building a {ACCOUNTS}-account demo book at {} ...", path.display());
        demo::build(
            &mut store,
            DemoSpec {
                accounts: ACCOUNTS,
                seed: demo::DEFAULT_SEED,
                today: today(),
                journeys: &Config::default().journeys,
            },
        )
        .unwrap();
    }
    book::prepare(&mut store, config, today()).unwrap();
    store
}
