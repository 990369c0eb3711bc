//! Property: any book of accounts exported to CSV imports into an empty book as the same accounts.

mod common;

use chrono::NaiveDate;
use common::*;
use proptest::prelude::*;
use tend::config::Config;
use tend::domain::{AccountStatus, Cents, LifecycleStage, SegmentInputs};
use tend::export::{Format, export_accounts};
use tend::import::{ImportOptions, Source, accounts::import_accounts};
use tend::store::{NewAccount, Store};

/// Text as people type it: letters, digits, punctuation CSV must quote, accents, line breaks;
/// never blank and never with spaces at the ends (imports trim cells).
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9äöüéß&,;\"' \n-]{1,24}".prop_filter("trimmed and not blank", |s| !s.trim().is_empty() && s.trim() == s)
}

fn day() -> impl Strategy<Value = NaiveDate> {
    (0i64..4000).prop_map(|d| NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Duration::days(d))
}

/// A day a churn was recorded on: on or before the import's day (tend records none to come, and
/// an import keeps a churn dated later a customer until then).
fn past_day() -> impl Strategy<Value = NaiveDate> {
    (0i64..=2518).prop_map(|d| NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Duration::days(d))
}

fn score() -> impl Strategy<Value = Option<u8>> {
    prop::option::of(1u8..=4)
}

prop_compose! {
    fn account()(
        name in text(),
        csm in prop::option::of(prop::sample::select(vec!["Ana Okafor", "Ben Lindqvist", "Chloé Moreau"])),
        arr in 0i64..10_000_000_000,
        currency in prop::sample::select(vec!["USD", "EUR", "GBP", "CHF"]),
        plan in prop::option::of(text()),
        since in prop::option::of(day()),
        renewal in prop::option::of(day()),
        stage in prop::sample::select(LifecycleStage::ALL.to_vec()),
        churned in prop::option::of(past_day()),
        scores in (score(), score(), score()),
        usage in prop::option::of(0u32..1_000_000),
        tags in prop::option::of(text()),
        notes in prop::option::of(text()),
    ) -> (NewAccount, Option<&'static str>) {
        let mut a = NewAccount::new("", name);
        a.arr = Cents(arr);
        a.currency = currency.to_string();
        a.plan = plan;
        a.customer_since = since;
        a.renewal_date = renewal;
        a.stage = stage;
        a.status = if churned.is_some() { AccountStatus::Churned } else { AccountStatus::Active };
        a.churned_on = churned;
        a.segment_inputs = SegmentInputs { volume: scores.0, advocacy: scores.1, brand: scores.2 };
        a.expected_usage = usage.map(|u| f64::from(u) / 2.0);
        a.tags = tags.unwrap_or_default();
        a.notes = notes.unwrap_or_default();
        (a, csm)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn export_then_import_gives_the_same_accounts(accounts in prop::collection::vec(account(), 1..12)) {
        let (dir, path) = temp_db();
        let mut source = Store::open(&path).unwrap();
        source.write(|w| {
            for (i, (a, csm)) in accounts.iter().enumerate() {
                let mut a = a.clone();
                a.external_id = format!("ID-{i}");
                a.csm_id = match csm { Some(name) => Some(w.csm_id(name)?), None => None };
                w.insert_account(&a)?;
            }
            Ok(())
        }).unwrap();
        let config = Config::default();
        let mut csv = Vec::new();
        export_accounts(&mut source, &config, today(), Format::Csv, &mut csv).unwrap();
        let file = dir.path().join("accounts.csv");
        std::fs::write(&file, &csv).unwrap();

        let mut target = Store::open(&dir.path().join("copy.db")).unwrap();
        let opts = ImportOptions {
            preset: None, dry_run: false, skip_bad_rows: false, rejects: None, output_mode: 0o600,
            today: today(), progress: false, plan_journeys: false, sentiment_scale: None, by_name: false, keep_churned: false, include_past: false,
        };
        let report = import_accounts(&mut target, &config, &Source::File(file), &opts).unwrap();
        prop_assert_eq!(report.new, accounts.len());
        let strip = |s: &Store| s.all_accounts().unwrap().into_iter().map(|mut a| { a.id = 0; a }).collect::<Vec<_>>();
        prop_assert_eq!(strip(&source), strip(&target));
    }
}
