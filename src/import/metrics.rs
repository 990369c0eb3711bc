//! `tend import metrics`: metric samples, long (account, metric, date, value) or wide (account,
//! date, one column per metric). Idempotent: a sample is keyed on account, metric and day.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::columns::normalise;
use super::table::{Source, read_table};
use super::values::{DateSurvey, parse_date, parse_percent};
use super::{AccountIndex, ImportError, ImportOptions, ImportReport, Problem, checked, progress, reject, save_rejects};
use crate::store::Store;

const ACCOUNT_HEADERS: [&str; 9] = [
    "account",
    "account id",
    "external id",
    "external_id",
    "customer id",
    "company id",
    "id",
    "account name",
    "company",
];
const DATE_HEADERS: [&str; 5] = ["date", "day", "as of", "period end", "timestamp"];

pub fn import_metrics(
    store: &mut Store,
    source: &Source,
    opts: &ImportOptions,
    configured_order: super::DateOrder,
) -> Result<ImportReport, ImportError> {
    let table = read_table(source)?;
    let name = table.source.clone();
    let account_col = table.require("the account", &ACCOUNT_HEADERS)?;
    let date_col = table.require("the date", &DATE_HEADERS)?;
    let metric_col = table.column(&["metric", "metric name"]);
    let value_col = table.column(&["value"]);
    // Long: a metric column and a value column. Wide: every other column is a metric.
    let metric_columns: Vec<(usize, String)> = match (metric_col, value_col) {
        (Some(_), Some(v)) => vec![(v, String::new())],
        (Some(_), None) => return Err(table.missing("the value", &["value"])),
        _ => table
            .headers
            .iter()
            .enumerate()
            .filter(|(i, h)| *i != account_col && *i != date_col && !h.trim().is_empty())
            .map(|(i, h)| (i, normalise(h).replace(' ', "_")))
            .collect(),
    };
    if metric_columns.is_empty() {
        return Err(table.missing("any metric", &["metric", "value"]));
    }

    let mut survey = DateSurvey::default();
    let rows = table.rows()?;
    for (_, row) in &rows {
        survey.see(table.cell(row, date_col));
    }
    let order = survey.decide(configured_order).map_err(|reason| ImportError::Dates { file: name.clone(), reason })?;

    // Accounts by external id, then by name.
    let accounts = AccountIndex::load(store)?;

    let bar = progress(opts.progress, rows.len(), "checking");
    let mut problems = Vec::new();
    let mut samples: Vec<(i64, String, NaiveDate, f64)> = Vec::new();
    let mut rejected = Vec::new();
    let mut seen: HashMap<(i64, String, NaiveDate), u64> = HashMap::new();
    for (line, row) in &rows {
        bar.inc(1);
        let before = problems.len();
        let mut bad = |column: &str, value: &str, reason: String| {
            problems.push(Problem { line: *line, column: column.into(), value: value.into(), reason })
        };
        let account_text = table.cell(row, account_col);
        let account = accounts.find(account_text);
        if account.is_none() {
            bad(&table.headers[account_col], account_text, "unknown account (import the accounts first)".into());
        }
        let date_text = table.cell(row, date_col);
        let day = parse_date(date_text, order).map_err(|r| bad(&table.headers[date_col], date_text, r)).ok();
        let mut row_samples = Vec::new();
        for (col, metric) in &metric_columns {
            let metric = match metric_col {
                Some(m) => table.cell(row, m).to_string(),
                None => metric.clone(),
            };
            let text = table.cell(row, *col);
            if text.is_empty() && metric_col.is_none() {
                continue; // a wide file may leave a metric blank on a day
            }
            if metric.is_empty() {
                bad("metric", "", "a metric name is needed".into());
                continue;
            }
            match parse_percent(text) {
                Some(v) => row_samples.push((metric, v)),
                None => bad(&table.headers[*col], text, "not a number".into()),
            }
        }
        if let (Some(account), Some(day)) = (account, day) {
            for (metric, value) in row_samples {
                if let Some(first) = seen.insert((account, metric.clone(), day), *line) {
                    bad(
                        &metric,
                        &value.to_string(),
                        format!("a second value for this account and day (first on line {first})"),
                    );
                    continue;
                }
                samples.push((account, metric, day, value));
            }
        }
        if problems.len() > before {
            rejected.push(reject(row, &problems[before..]));
        }
    }
    bar.finish_and_clear();
    let mut report = checked("metric samples", &name, &problems, rejected.len(), opts)?;
    // Only what is new or different is written: a file imported twice changes nothing, and no
    // account's cached values are dropped for samples it already had.
    let mut changed = Vec::with_capacity(samples.len());
    for sample in samples {
        let (account, metric, day, value) = &sample;
        match store.sample(*account, metric, *day)? {
            None => report.new += 1,
            Some(v) if v == *value => {
                report.unchanged += 1;
                continue;
            }
            Some(v) => {
                report.updated += 1;
                if report.samples.len() < 10 {
                    report.samples.push(format!("account {account} {metric} on {day}: {v} -> {value}"));
                }
            }
        }
        changed.push(sample);
    }
    let samples = changed;
    if opts.dry_run || samples.is_empty() {
        if !opts.dry_run {
            save_rejects(&mut report, source, &table.headers, &rejected, opts)?;
        }
        return Ok(report);
    }
    let touched: HashSet<i64> = samples.iter().map(|s| s.0).collect();
    let bar = progress(opts.progress, samples.len(), "writing");
    store.write(|w| {
        for (account, metric, day, value) in &samples {
            bar.inc(1);
            w.insert_sample(*account, metric, *day, *value)?;
        }
        for id in &touched {
            w.invalidate_snapshots(*id)?;
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    save_rejects(&mut report, source, &table.headers, &rejected, opts)?;
    Ok(report)
}
