//! `tend import metrics`: metric samples, long (account, metric, date, value) or wide (account,
//! date, one column per metric). Idempotent: a sample is keyed on account, metric and day.

use std::collections::HashSet;

use super::columns::normalise;
use super::stream::{self, Ending, Pass};
use super::table::{Source, open_table};
use super::values::{DateSurvey, parse_date, parse_percent};
use super::{AccountIndex, ImportError, ImportOptions, ImportReport, progress};
use crate::store::Store;
use crate::store::sample_import::SampleOutcome;

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
    let table = open_table(source)?;
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

    // First pass: the order of the dates, and how many rows there are (for the progress bar).
    let mut survey = DateSurvey::default();
    let mut rows = 0;
    table.for_each_row(|_, row| {
        survey.see(table.cell(row, date_col));
        rows += 1;
    })?;
    let order = survey.decide(configured_order).map_err(|reason| ImportError::Dates { file: name.clone(), reason })?;

    // Accounts by external id, then by name.
    let accounts = AccountIndex::load(store)?;
    let bar = progress(opts.progress, rows, "importing");
    // Second pass: each row checked and written as it is read, in one transaction.
    let report = stream::run(store, |w| {
        let mut pass = Pass::new("metric samples", source, &table.headers, opts);
        // Accounts whose samples changed: their cached values and history are stale.
        let mut touched: HashSet<i64> = HashSet::new();
        let mut row_samples: Vec<(String, f64)> = Vec::new();
        let ((), updates) = w.import_samples(|import| {
            table.try_for_each_row(|line, row| -> Result<(), Ending> {
                bar.inc(1);
                let account_text = table.cell(row, account_col);
                let account = accounts.find(account_text);
                if account.is_none() {
                    pass.bad(
                        line,
                        &table.headers[account_col],
                        account_text,
                        "unknown account (import the accounts first)",
                    );
                }
                let date_text = table.cell(row, date_col);
                let day = parse_date(date_text, order)
                    .map_err(|r| pass.bad(line, &table.headers[date_col], date_text, r))
                    .ok();
                row_samples.clear();
                for (col, metric) in &metric_columns {
                    let metric = match metric_col {
                        Some(m) => table.cell(row, m),
                        None => metric.as_str(),
                    };
                    let text = table.cell(row, *col);
                    if text.is_empty() && metric_col.is_none() {
                        continue; // a wide file may leave a metric blank on a day
                    }
                    if metric.is_empty() {
                        pass.bad(line, "metric", "", "a metric name is needed");
                        continue;
                    }
                    match parse_percent(text) {
                        Some(v) => row_samples.push((metric.to_string(), v)),
                        None => pass.bad(line, &table.headers[*col], text, "not a number"),
                    }
                }
                if let (Some(account), Some(day)) = (account, day) {
                    for (metric, value) in &row_samples {
                        if let Some(first) = import.claim(account, metric, day, line)? {
                            let reason = format!("a second value for this account and day (first on line {first})");
                            pass.bad(line, metric, &value.to_string(), reason);
                        }
                    }
                    // A row is written whole or not at all.
                    if pass.row_ok() {
                        for (metric, value) in &row_samples {
                            match import.upsert(account, metric, day, *value)? {
                                SampleOutcome::Written => {
                                    pass.report.new += 1;
                                    touched.insert(account);
                                }
                                SampleOutcome::Unchanged => pass.report.unchanged += 1,
                            }
                        }
                    }
                }
                pass.end_row(row)?;
                Ok(())
            })
        })?;
        bar.finish_and_clear();
        // Written samples that replaced a value are updates, not new ones.
        pass.report.new -= updates.count;
        pass.report.updated = updates.count;
        pass.report.samples = updates.examples;
        // Only accounts whose samples changed lose their cached values: a file imported twice
        // changes nothing.
        for id in &touched {
            w.invalidate_snapshots(*id)?;
        }
        pass.finish()
    })?;
    Ok(report)
}
