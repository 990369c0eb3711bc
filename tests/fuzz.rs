//! A fuzz harness that runs with the tests: byte mutations of the test fixtures fed to every CSV
//! importer, of the shipped config to the config parser, and random text to the date, money and
//! number parsers. None may panic; an accepted config never scores NaN. The budget is small by
//! default; run it longer with `PROPTEST_CASES=20000 cargo test --release --test fuzz`.

use std::path::Path;

use proptest::prelude::*;
use tend::config::Config;
use tend::import::values::{DateOrder, parse_date, parse_money, parse_percent};
use tend::import::{ImportOptions, Source};
use tend::store::Store;

const FIXTURES: &[&str] = &[
    "accounts_basic.csv",
    "accounts_semicolon_eu.csv",
    "accounts_tab.tsv",
    "accounts_us_dates.csv",
    "hubspot_companies.csv",
    "stripe_subscriptions.csv",
    "churn_dataset.csv",
    "logs.csv",
    "metrics_long.csv",
    "metrics_wide.csv",
];

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

/// One mutation of a byte string: flip, insert, delete, or repeat a slice.
#[derive(Clone, Debug)]
enum Mutation {
    Set(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Repeat(usize, usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let interesting = prop_oneof![
        any::<u8>(),
        Just(b','),
        Just(b'"'),
        Just(b'\n'),
        Just(b'\r'),
        Just(b';'),
        Just(0u8),
        Just(0xFFu8),
        Just(0x1Bu8)
    ];
    prop_oneof![
        (any::<usize>(), interesting).prop_map(|(at, b)| Mutation::Set(at, b)),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..40)).prop_map(|(at, v)| Mutation::Insert(at, v)),
        (any::<usize>(), 1usize..200).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (any::<usize>(), 1usize..200, 1usize..50).prop_map(|(at, n, times)| Mutation::Repeat(at, n, times)),
    ]
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len().max(1);
        match m {
            Mutation::Set(at, b) if !bytes.is_empty() => bytes[at % len] = *b,
            Mutation::Insert(at, v) => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, v.iter().copied());
            }
            Mutation::Delete(at, n) if !bytes.is_empty() => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                bytes.drain(at..end);
            }
            Mutation::Repeat(at, n, times) if !bytes.is_empty() => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                let piece = bytes[at..end].to_vec();
                for _ in 0..*times {
                    bytes.splice(end..end, piece.iter().copied());
                }
            }
            _ => {}
        }
    }
    bytes
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(48),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Every importer takes any mutation of any fixture without panicking: it imports or it
    /// refuses, and a refusal leaves the book as it was.
    #[test]
    fn importers_never_panic(which in 0..FIXTURES.len(), mutations in proptest::collection::vec(mutation(), 1..6)) {
        let bytes = mutate(fixture(FIXTURES[which]), &mutations);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("fuzz.csv");
        std::fs::write(&file, &bytes).unwrap();
        let config = Config::default();
        let opts = ImportOptions {
            preset: None, dry_run: false, skip_bad_rows: false, rejects: None, output_mode: 0o600,
            today: "2026-11-23".parse().unwrap(), progress: false, plan_journeys: true, sentiment_scale: None, by_name: false, keep_churned: false, include_past: false,
        };
        let mut store = Store::open_in_memory().unwrap();
        let source = Source::File(file);
        let _ = tend::import::accounts::import_accounts(&mut store, &config, &source, &opts);
        let before = store.account_count().unwrap();
        let order = DateOrder::Auto;
        let _ = tend::import::metrics::import_metrics(&mut store, &source, &opts, order);
        let _ = tend::import::logs::import_logs(&mut store, &source, &opts, order);
        let _ = tend::import::plans::import_goals(&mut store, &source, &opts, order);
        let _ = tend::import::plans::import_milestones(&mut store, &source, &opts, order, &["onboarding"]);
        prop_assert_eq!(store.account_count().unwrap(), before, "only the accounts importer adds accounts");
        // Whatever landed scores without a panic.
        tend::book::load_portfolio(&mut store, &config, "2026-11-23".parse().unwrap()).unwrap();
    }

    /// Any mutation of the shipped config is accepted or refused with a message; an accepted
    /// one scores without a panic or a NaN.
    #[test]
    fn the_config_parser_never_panics(mutations in proptest::collection::vec(mutation(), 1..8)) {
        let text = include_str!("../config.example.toml").as_bytes().to_vec();
        let bytes = mutate(text, &mutations);
        let Ok(text) = String::from_utf8(bytes) else { return Ok(()) };
        match Config::from_toml(&text, Path::new("fuzz.toml")) {
            Err(e) => prop_assert!(!e.to_string().is_empty()),
            Ok(config) => {
                let mut store = Store::open_in_memory().unwrap();
                let day = "2026-06-01".parse().unwrap();
                let spec = tend::demo::DemoSpec { accounts: 5, seed: 1, today: day, journeys: &config.journeys };
                tend::demo::build(&mut store, spec).unwrap();
                for row in tend::book::load_portfolio(&mut store, &config, day).unwrap() {
                    prop_assert!(row.score.is_none_or(|s| s <= 100));
                }
            }
        }
    }

    /// The value parsers take any text.
    #[test]
    fn value_parsers_never_panic(text in "\\PC{0,40}", digits in "[0-9.,$€ kKmM%-]{0,20}") {
        for t in [&text, &digits] {
            let _ = parse_money(t);
            let _ = parse_percent(t);
            for order in [DateOrder::Auto, DateOrder::Dmy, DateOrder::Mdy] {
                let _ = parse_date(t, order);
            }
        }
    }
}
