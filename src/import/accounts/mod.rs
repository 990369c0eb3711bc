//! `tend import accounts`: upsert accounts keyed on external id (or name), all or nothing.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use plan::{Batch, Book, Parsed, Planner};
use row::RowParser;
use write::Applier;

use super::columns::{AccountField as F, aliases_of, map_headers};
use super::table::{RowSpan, Source, Table, read_table};
use super::values::DateSurvey;
use super::{ImportError, ImportOptions, ImportReport, progress, rows_error, save_rejects};
use crate::config::Config;
use crate::store::{Store, StoreError, Writer};

mod plan;
mod row;
mod write;

/// Files of this many rows are written as a bulk load (see `Store::bulk_write`).
const BULK_ROWS: usize = 50_000;
/// Rows per span read on one thread, and per batch written.
const SPAN_ROWS: usize = 8_192;

/// Parse every span of the table on all cores; the spans come back in file order (kept apart, so
/// each one's memory is freed as soon as it has been planned).
fn parse_spans(
    table: &Table,
    parser: &RowParser<'_>,
    spans: &[RowSpan],
    bar: &indicatif::ProgressBar,
) -> Result<Vec<Vec<Parsed>>, ImportError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8).min(spans.len().max(1));
    let next = AtomicUsize::new(0);
    let parse_span = |span: &RowSpan| {
        let mut rows = Vec::with_capacity(SPAN_ROWS);
        table.for_each_row_in(span, |line, byte, record| {
            let mut problems = Vec::new();
            let patch = parser.parse(line, record, &mut problems);
            rows.push(Parsed { line, byte, patch, problems });
        })?;
        bar.inc(rows.len() as u64);
        Ok::<_, ImportError>(rows)
    };
    let mut done: Vec<(usize, Result<Vec<Parsed>, ImportError>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(span) = spans.get(i) else { return out };
                        out.push((i, parse_span(span)));
                    }
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, rows)| rows).collect()
}

/// Plan the good rows on one thread and write them on this one as they come, in one
/// transaction (a bulk load for a big file).
fn write_all(
    store: &mut Store,
    mut planner: Planner<'_>,
    mut applier: Applier<'_>,
    parsed: Vec<Vec<Parsed>>,
    good: &[bool],
    bulk: bool,
    bar: &indicatif::ProgressBar,
) -> Result<ImportReport, StoreError> {
    let write = |w: &mut Writer<'_>| {
        if bulk {
            w.begin_bulk_accounts()?;
        }
        let report = std::thread::scope(|scope| {
            let (send, receive) = std::sync::mpsc::sync_channel::<Batch>(4);
            let planning = scope.spawn(|| {
                planner.plan_all(parsed, good, SPAN_ROWS, move |batch| send.send(batch).is_ok());
                planner.report
            });
            let written = receive.iter().try_for_each(|batch| {
                bar.inc(batch.rows.len() as u64);
                applier.apply(w, batch)
            });
            // A failed write drops the receiver, which stops the planning; wait for it.
            drop(receive);
            let report = planning.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            written.map(|()| report)
        })?;
        if bulk {
            w.end_bulk_accounts()?;
        }
        Ok(report)
    };
    if bulk { store.bulk_write(write) } else { store.write(write) }
}

pub fn import_accounts(
    store: &mut Store,
    config: &Config,
    source: &Source,
    opts: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    let table = read_table(source)?;
    let name = table.source.clone();
    let map = map_headers(&table.headers, opts.preset, &config.import.columns);
    let has = |f: F| map.contains(&Some(f));
    if !has(F::Name) && !has(F::ExternalId) {
        let mut aliases: Vec<String> = aliases_of(F::Name).into_iter().map(|a| format!("\"{a}\"")).collect();
        aliases.truncate(5);
        return Err(ImportError::MissingColumn { file: name, what: "the account name".into(), aliases });
    }

    // Read the file once through: decide the date order for the whole file, and split the rows
    // into spans that are then parsed on every core.
    let date_columns: Vec<usize> = map
        .iter()
        .enumerate()
        .filter(|(_, f)| matches!(f, Some(F::CustomerSince | F::RenewalDate | F::ChurnedOn)))
        .map(|(i, _)| i)
        .collect();
    let mut survey = DateSurvey::default();
    let mut row_count = 0usize;
    let spans = table.for_each_row_marking(SPAN_ROWS, |_, _, row| {
        row_count += 1;
        for &i in &date_columns {
            survey.see(table.cell(row, i));
        }
    })?;
    let order =
        survey.decide(config.import.date_order).map_err(|reason| ImportError::Dates { file: name.clone(), reason })?;
    let bar = progress(opts.progress, row_count, "checking");
    let parsed = parse_spans(&table, &RowParser::new(&table, &map, order), &spans, &bar)?;
    bar.finish_and_clear();

    // What the book holds, to match rows against.
    let key_on_id = has(F::ExternalId);
    let existing = store.all_accounts()?;
    let csm_ids: HashMap<String, i64> = store.csms()?.into_iter().map(|(id, csm)| (csm, id)).collect();
    let book = Book {
        by_key: existing
            .iter()
            .map(|a| (if key_on_id { a.external_id.as_str() } else { a.name.as_str() }, a))
            .collect(),
        csm_names: csm_ids.iter().map(|(n, i)| (*i, n.clone())).collect(),
        csm_ids,
        attributes: store.all_attributes()?,
    };
    let mut planner = Planner {
        book: &book,
        key_on_id,
        has_name: has(F::Name),
        report: ImportReport { what: "accounts", source: name.clone(), dry_run: opts.dry_run, ..Default::default() },
        new_csms: Vec::new(),
        new_csm_ids: HashMap::new(),
    };
    // Every row is checked before anything is written: a refused file never touches the book.
    let checked = planner.check(&table, &parsed);
    if !checked.problems.is_empty() && !opts.skip_bad_rows {
        return Err(rows_error(&name, &checked.problems));
    }
    if opts.dry_run {
        planner.plan_all(parsed, &checked.good, SPAN_ROWS, |_| true);
        return Ok(ImportReport { rejected: checked.rejected.len(), ..planner.report });
    }

    let bar = progress(opts.progress, row_count, "writing");
    let applier =
        Applier { added_csms: Vec::new(), journeys: opts.plan_journeys.then_some(&config.journeys), today: opts.today };
    let mut report = write_all(store, planner, applier, parsed, &checked.good, row_count >= BULK_ROWS, &bar)?;
    bar.finish_and_clear();
    report.rejected = checked.rejected.len();
    save_rejects(&mut report, source, &table.headers, &checked.rejected, opts)?;
    Ok(report)
}
