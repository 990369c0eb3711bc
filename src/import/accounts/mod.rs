//! `tend import accounts`: upsert accounts keyed on external id (or name), all or nothing.

use std::sync::atomic::{AtomicUsize, Ordering};

use plan::{Batch, Book, FastMap, Parsed, Planned, Planner};
use row::{Patch, RowParser};
use write::Applier;

use super::columns::{AccountField as F, FileKind, aliases_of, map_headers};
use super::table::{RowSpan, Source, Table, open_table};
use super::values::DateSurvey;
use super::{ImportError, ImportOptions, ImportReport, RepeatedKeys, progress, rows_error, save_rejects};
use crate::book::storage::BookError;
use crate::config::Config;
use crate::domain::account::Account;
use crate::store::Store;
use chrono::NaiveDate;
pub use write::AccountsTxn;

type Attributes = std::collections::HashMap<i64, Vec<(String, String)>>;

/// The book an accounts import goes into: a book file, or a team book.
pub trait AccountsBook {
    fn account_count(&self) -> Result<usize, BookError>;
    /// The accounts whose external id (or, `by_name`, whose name) is one of `keys`, by id.
    fn accounts_keyed(&self, keys: &[String], by_name: bool) -> Result<Vec<Account>, BookError>;
    fn all_accounts(&self) -> Result<Vec<Account>, BookError>;
    fn all_attributes(&self) -> Result<Attributes, BookError>;
    fn attributes_of(&self, ids: &[i64]) -> Result<Attributes, BookError>;
    /// Every CSM, by id.
    fn csms(&self) -> Result<Vec<(i64, String)>, BookError>;
    /// Every renewal and churn recorded by hand, and every return, by account, oldest first.
    fn recorded_by_hand(&self) -> Result<Vec<crate::store::contracts::ContractEvent>, BookError>;
    /// The hand-overs made in tend (`tend assign`, `tend handover`, `M`) and not taken back,
    /// oldest first: each account's id, the CSM it had before (None: none), and the change's
    /// summary, which names the CSM it went to (`book::owners::handed_to`).
    fn hand_overs(&self) -> Result<Vec<(i64, Option<i64>, String)>, BookError>;
    /// The accounts the book got on `day` (their created stamp, UTC): an ARR a file changes
    /// on that day corrects the import, no change of the customer's (`Planner::entered_today`).
    fn entered_on(&self, day: NaiveDate) -> Result<std::collections::HashSet<i64>, BookError>;
    /// Whether any account of the book has an expected usage.
    fn any_expected_usage(&self) -> Result<bool, BookError>;
    /// Run `write` in the import's one transaction, kept only if it returns Ok (`bulk`: a large
    /// file, which a book file writes under a rollback journal).
    fn import_transaction(
        &mut self,
        bulk: bool,
        write: &mut dyn FnMut(&mut dyn AccountsTxn) -> Result<(), ImportError>,
    ) -> Result<(), ImportError>;
}

impl AccountsBook for Store {
    fn account_count(&self) -> Result<usize, BookError> {
        Ok(Store::account_count(self)?)
    }

    fn accounts_keyed(&self, keys: &[String], by_name: bool) -> Result<Vec<Account>, BookError> {
        Ok(Store::accounts_keyed(self, keys, by_name)?)
    }

    fn all_accounts(&self) -> Result<Vec<Account>, BookError> {
        Ok(Store::all_accounts(self)?)
    }

    fn all_attributes(&self) -> Result<Attributes, BookError> {
        Ok(Store::all_attributes(self)?)
    }

    fn attributes_of(&self, ids: &[i64]) -> Result<Attributes, BookError> {
        Ok(Store::attributes_of(self, ids)?)
    }

    fn csms(&self) -> Result<Vec<(i64, String)>, BookError> {
        Ok(Store::csms(self)?)
    }

    fn recorded_by_hand(&self) -> Result<Vec<crate::store::contracts::ContractEvent>, BookError> {
        Ok(Store::recorded_by_hand(self)?)
    }

    fn any_expected_usage(&self) -> Result<bool, BookError> {
        Ok(Store::any_expected_usage(self)?)
    }

    fn hand_overs(&self) -> Result<Vec<(i64, Option<i64>, String)>, BookError> {
        Ok(Store::hand_overs(self)?)
    }

    fn entered_on(&self, day: NaiveDate) -> Result<std::collections::HashSet<i64>, BookError> {
        let (from, to) = crate::store::day_seconds(day);
        Ok(self
            .query_list("SELECT id FROM accounts WHERE created_at >= ?1 AND created_at < ?2", [from, to], |r| r.get(0))?
            .into_iter()
            .collect())
    }

    fn import_transaction(
        &mut self,
        bulk: bool,
        write: &mut dyn FnMut(&mut dyn AccountsTxn) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        match bulk {
            true => self.bulk_write(|w| write(w)),
            false => self.write_or_abandon(|w| write(w)),
        }
    }
}

mod plan;
mod row;
mod write;

/// Files of this many rows are written as a bulk load (see `Store::bulk_write`).
const BULK_ROWS: usize = 50_000;
/// A book of this many accounts or more, and eight times the file's rows, is not read whole:
/// only the accounts the file names are.
const NARROW_BOOK: usize = 10_000;
/// Rows per span read on one thread, and per batch written.
const SPAN_ROWS: usize = 8_192;

/// Parse the spans of the table on every core and hand them to `take` on this thread in file
/// order, until it says stop (false). Parsing stays a few spans ahead of `take`, so a slow
/// consumer holds back the parsing rather than the file piling up in memory.
fn parse_in_order(
    table: &Table,
    parser: &RowParser<'_>,
    spans: &[RowSpan],
    mut take: impl FnMut(Vec<Parsed>) -> bool,
) -> Result<(), ImportError> {
    let threads = crate::cores().min(spans.len().max(1));
    let next = AtomicUsize::new(0);
    let parse_span = |span: &RowSpan| {
        let mut rows = Vec::with_capacity(SPAN_ROWS);
        table.for_each_row_in(span, |line, byte, record| {
            let mut problems = Vec::new();
            let patch = match table.misshapen(line, record) {
                // A row of the header's width with a bad cell (a quote closed early, rows taken
                // into a note): its key is read, or it read "every row needs one" beside it.
                Some(shape) if !shape.column.is_empty() => {
                    problems.push(shape);
                    parser.parse(line, record, &mut problems)
                }
                Some(shape) => {
                    problems.push(shape);
                    Patch::default()
                }
                None => parser.parse(line, record, &mut problems),
            };
            rows.push(Parsed { line, byte, patch, problems });
        })?;
        Ok::<_, ImportError>(rows)
    };
    std::thread::scope(|scope| {
        let (send, parsed) = std::sync::mpsc::sync_channel(threads * 2);
        for _ in 0..threads {
            let send = send.clone();
            let (next, parse_span) = (&next, &parse_span);
            scope.spawn(move || {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(span) = spans.get(index) else { return };
                    // The taker has stopped: so do we.
                    if send.send((index, parse_span(span))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(send);
        // Spans come back in the order they were finished; they are taken in file order.
        let mut waiting = std::collections::BTreeMap::new();
        let mut wanted = 0;
        for (index, rows) in parsed {
            waiting.insert(index, rows);
            while let Some(rows) = waiting.remove(&wanted) {
                wanted += 1;
                if !take(rows?) {
                    return Ok(());
                }
            }
        }
        Ok(())
    })
}

/// Check every row in file order and plan the good ones, handing the planned rows to `emit` a
/// batch at a time (it says false once nobody takes them). Once a row is bad, and bad rows are
/// not to be skipped, the file will be refused: the rest is only checked, to name every problem.
fn check_and_plan<'a>(
    table: &Table,
    parser: &RowParser<'_>,
    spans: &[RowSpan],
    planner: &mut Planner<'a>,
    skip_bad_rows: bool,
    bar: &indicatif::ProgressBar,
    mut emit: impl FnMut(Batch<'a>) -> bool,
) -> Result<(), ImportError> {
    let mut rows = Vec::with_capacity(SPAN_ROWS);
    let mut emitting = true;
    parse_in_order(table, parser, spans, |span| {
        bar.inc(span.len() as u64);
        for row in span {
            let Some(patch) = planner.check(table, row) else { continue };
            if !planner.problems.is_empty() && !skip_bad_rows {
                continue;
            }
            rows.extend(planner.plan(patch));
            if rows.len() == SPAN_ROWS && emitting {
                let batch = planner.batch(std::mem::replace(&mut rows, Vec::with_capacity(SPAN_ROWS)));
                emitting = emit(batch);
            }
        }
        // A write that failed needs no more rows (its error is the one reported); a refused
        // file is still read to the end.
        emitting
    })?;
    if !rows.is_empty() && emitting && (planner.problems.is_empty() || skip_bad_rows) {
        emit(planner.batch(rows));
    }
    Ok(())
}

/// Check, plan and write the rows in one transaction (a bulk load for a big file): the parsing
/// and planning run on other threads while this one writes. A file with a bad row (unless bad
/// rows are skipped) is refused, and its transaction abandoned. The transaction only begins with
/// the first rows to write: a file that changes nothing, or is refused before then, never opens
/// one, and leaves the book exactly as it was.
fn write_all<'a>(
    store: &mut dyn AccountsBook,
    read: (&Table, &RowParser<'_>, &[RowSpan]),
    mut planner: Planner<'a>,
    applier: &mut Applier,
    skip_bad_rows: bool,
    bulk: bool,
    bar: &indicatif::ProgressBar,
) -> Result<Planner<'a>, ImportError> {
    let (table, parser, spans) = read;
    let refused = |planner: Planner<'a>| match planner.problems.is_empty() || skip_bad_rows {
        true => Ok(planner),
        false => Err(with_hint(rows_error(&table.source, &planner.problems), &planner.report)),
    };
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<Batch<'a>>(4);
        let planning = scope.spawn(|| {
            let read = check_and_plan(table, parser, spans, &mut planner, skip_bad_rows, bar, move |batch| {
                send.send(batch).is_ok()
            });
            read.map(|()| planner)
        });
        let planned = |planning: std::thread::ScopedJoinHandle<'_, _>| {
            planning.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        };
        let Ok(first) = receive.recv() else { return planned(planning).and_then(refused) };
        // Run once (`import_transaction` calls it once): what it takes is taken out of these.
        let (mut first, mut receive, mut planning) = (Some(first), Some(receive), Some(planning));
        let mut done = None;
        let mut write = |w: &mut dyn AccountsTxn| -> Result<(), ImportError> {
            let (Some(first), Some(receive), Some(planning)) = (first.take(), receive.take(), planning.take()) else {
                return Ok(());
            };
            let written = std::iter::once(first).chain(receive.iter()).try_for_each(|batch| applier.apply(w, batch));
            // A failed write drops the receiver, which stops the planning; wait for it.
            drop(receive);
            let planner = planned(planning)?;
            written?;
            for (k, best, _) in planner.respelled_csms() {
                if let Some(&id) = applier.added_csms.get(k) {
                    w.rename_csm(id, &best)?;
                }
            }
            // Refused: the error abandons what was written.
            done = Some(refused(planner)?);
            Ok(())
        };
        store.import_transaction(bulk, &mut write)?;
        done.ok_or_else(|| ImportError::Read { file: table.source.clone(), reason: "nothing was written".into() })
    })
}

pub fn import_accounts(
    store: &mut dyn AccountsBook,
    config: &Config,
    source: &Source,
    opts: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    let table = open_table(source)?;
    let name = table.source.clone();
    let mut map = map_headers(&table.headers, opts.preset, &config.import.columns);
    if opts.by_name {
        if !map.contains(&Some(F::Name)) {
            return Err(ImportError::MissingColumn {
                file: name,
                what: "the account name (--by-name matches the rows by it)".into(),
                aliases: aliases_of(F::Name).into_iter().take(5).map(|a| format!("\"{a}\"")).collect(),
                hint: "; or map yours under [import.columns] in the config".into(),
            });
        }
        // Another system's ids are kept as a column of their own, under the file's header.
        for field in map.iter_mut().filter(|f| **f == Some(F::ExternalId)) {
            *field = None;
        }
    }
    let has = |f: F| map.contains(&Some(f));
    if !has(F::Name) && !has(F::ExternalId) {
        let mut aliases: Vec<String> = aliases_of(F::Name).into_iter().map(|a| format!("\"{a}\"")).collect();
        aliases.truncate(5);
        // A file's own headers (a German CRM's "Firma") are mapped in the config: said (a
        // probe found the mapping only in the help).
        return Err(ImportError::MissingColumn {
            file: name,
            what: "the account name".into(),
            aliases,
            hint: "; or map yours under [import.columns] in the config, e.g. \"Kundenname\" = \"name\" (`tend help \
                   import` lists the fields)"
                .into(),
        });
    }

    // A contacts export or an activity history given as accounts (no ARR, renewal or start of
    // their own) made every person or every call an account: refused, with the import it is for.
    if let Some(kind @ (FileKind::Contacts | FileKind::Activities)) = FileKind::of(&table.headers)
        && !has(F::Arr)
        && !has(F::Mrr)
        && !has(F::RenewalDate)
        && !has(F::CustomerSince)
    {
        return Err(kind.refused(&name));
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
    let spans = table.for_each_row_marking(SPAN_ROWS, |line, _, row| {
        row_count += 1;
        // A row of another width has no values to tell apart (the checking pass names it).
        if table.misshapen(line, row).is_some() {
            return;
        }
        for &i in &date_columns {
            survey.see(table.cell(row, i), line, &table.headers[i]);
        }
    })?;
    let order = survey.decide_for(&name, config.import.date_order)?;
    let dates = survey.read();
    // What the book holds, to match rows against: all of it, or for a small file into a big
    // book, only the accounts the file names (read again for their keys, which is quick).
    let key_on_id = has(F::ExternalId);
    let parser = RowParser::new(&table, &map, order);
    let in_book = store.account_count()?;
    let narrow = in_book >= NARROW_BOOK && row_count.saturating_mul(8) < in_book;
    // A file keyed by ids read against part of the book: the accounts of its names too, read in
    // the same pass over the file, to tell a name the book has under another id.
    let mut names = Vec::new();
    let (existing, attributes) = if narrow {
        let mut keys = Vec::with_capacity(row_count);
        parse_in_order(&table, &parser, &spans, |rows| {
            for row in rows {
                let Patch { external_id, name, .. } = row.patch;
                match key_on_id {
                    true => {
                        keys.extend(external_id);
                        names.extend(name);
                    }
                    false => keys.extend(name),
                }
            }
            true
        })?;
        let existing = store.accounts_keyed(&keys, !key_on_id)?;
        let attributes = store.attributes_of(&existing.iter().map(|a| a.id).collect::<Vec<_>>())?;
        (existing, attributes)
    } else {
        (store.all_accounts()?, store.all_attributes()?)
    };
    let named = match narrow && key_on_id {
        true => store.accounts_keyed(&names, true)?,
        false => Vec::new(),
    };
    let mut by_name: FastMap<&str, Vec<&Account>> = FastMap::default();
    for account in if narrow && key_on_id { &named } else { &existing } {
        by_name.entry(account.name.as_str()).or_default().push(account);
    }
    let csms = store.csms()?;
    // New CSMs are said when the book had some: a typo of one it has is a new CSM.
    let book_had_csms = !csms.is_empty();
    // Owners are one person however a file capitalises them ("GRACE KIM" is Grace Kim): by
    // their name without case, the first the book has (`csms` is by id; a book may hold both).
    let mut csm_ids: FastMap<String, i64> = FastMap::default();
    for (id, csm) in &csms {
        csm_ids.entry(csm.to_ascii_lowercase()).or_insert(*id);
    }
    // Each account's latest renewal, churn or return recorded in tend: what an export made
    // before it keeps.
    let recorded = store.recorded_by_hand()?.into_iter().map(|e| (e.account_id, e)).collect();
    // Each account's latest hand-over in tend: the CSM it was handed from, and to.
    let mut handed = std::collections::HashMap::new();
    for (account, from, summary) in store.hand_overs()? {
        match crate::book::owners::handed_to(&summary, from, &csms) {
            Some(to) => handed.insert(account, (from, to)),
            None => handed.remove(&account),
        };
    }
    let book = Book {
        recorded,
        handed,
        by_key: existing
            .iter()
            .map(|a| (if key_on_id { a.external_id.as_str() } else { a.name.as_str() }, a))
            .collect(),
        by_name,
        csm_names: csms.into_iter().collect(),
        csm_ids,
        attributes,
        read_as_fields: map
            .iter()
            .zip(&table.headers)
            .filter(|(field, header)| field.is_some() && !header.is_empty())
            .map(|(_, header)| crate::import::columns::attribute_key(header))
            .collect(),
    };
    let report = ImportReport { what: "accounts", source: name.clone(), dry_run: opts.dry_run, ..Default::default() };
    let mut planner = Planner::new(&book, key_on_id, has(F::Name), row_count, report, opts.today);
    planner.entered_today = store.entered_on(opts.today)?;
    planner.onboarding_days = config.health.jumpstart_days;
    planner.keep_churned = opts.keep_churned;
    planner.report.repeated_keys.rows_in_file = row_count;
    planner.report.repeated_keys.subscriptions = opts.preset == Some(crate::import::columns::Preset::Stripe);
    planner.include_past = opts.include_past;
    // Unless a column no field reads might be the churn's day ("Closed Date", "Cancelled On"): a
    // record's own dates ("Create Date", "Last Activity Date") are not, and a HubSpot sync's
    // "Former customer" had gone undated, its $120k churn in no retention figure.
    planner.churn_dated_today = !table.headers.iter().zip(&map).any(|(header, field)| {
        let words = super::columns::normalise(header);
        field.is_none()
            && words.split(' ').any(|w| {
                matches!(
                    w,
                    "closed"
                        | "close"
                        | "churn"
                        | "churned"
                        | "cancelled"
                        | "canceled"
                        | "cancellation"
                        | "lost"
                        | "ended"
                        | "terminated"
                        | "termination"
                        | "outcome"
                )
            })
    });
    // Problems of the key or the name are said under the file's own headers ("External ID").
    let header_of = |f: F, fallback: &str| {
        map.iter().position(|m| *m == Some(f)).map_or_else(|| fallback.to_string(), |i| table.headers[i].clone())
    };
    planner.columns = (header_of(F::ExternalId, "external id"), header_of(F::Name, "name"));
    if !has(F::Interval) {
        planner.report.renewals_bunched.column = Some(header_of(F::RenewalDate, "renewal date"));
    }
    let bar = progress(opts.progress, row_count, if opts.dry_run { "checking" } else { "importing" });
    planner.journeys = opts.plan_journeys.then_some(&config.journeys);
    let mut milestones = 0;
    let planner = if opts.dry_run {
        check_and_plan(&table, &parser, &spans, &mut planner, opts.skip_bad_rows, &bar, |batch| {
            for planned in &batch.rows {
                milestones += match planned {
                    Planned::New { milestones, .. } => milestones.len(),
                    Planned::Update { milestones, next_term, .. } => milestones.len() + next_term.len(),
                };
            }
            true
        })?;
        if !planner.problems.is_empty() && !opts.skip_bad_rows {
            return Err(with_hint(rows_error(&name, &planner.problems), &planner.report));
        }
        planner
    } else {
        let mut applier = Applier { added_csms: Vec::new(), today: opts.today, milestones: 0, tasks_moved: 0 };
        let read = (&table, &parser, spans.as_slice());
        let mut planner =
            write_all(store, read, planner, &mut applier, opts.skip_bad_rows, row_count >= BULK_ROWS, &bar)?;
        milestones = applier.milestones;
        planner.report.csm_changed_tasks = applier.tasks_moved;
        planner
    };
    bar.finish_and_clear();
    let respelled = planner.respelled_csms().into_iter().map(|(_, best, others)| (best, others)).collect();
    let new_csms = if book_had_csms { planner.new_csm_names() } else { Vec::new() };
    // Each new CSM beside the one the book had that it most looks like (read only where some
    // are new).
    let had: Vec<String> = match new_csms.is_empty() {
        true => Vec::new(),
        false => store.csms()?.into_iter().map(|(_, n)| n).collect(),
    };
    let first_problems = planner.problems.iter().take(crate::import::DRY_RUN_PROBLEMS).cloned().collect();
    // The file's columns no field reads, kept on the accounts as attributes.
    let unmapped: Vec<String> = map
        .iter()
        .zip(&table.headers)
        .filter(|(field, header)| field.is_none() && !header.trim().is_empty())
        .map(|(_, header)| header.clone())
        .collect();
    let is_segment = |header: &String| crate::import::columns::normalise(header) == "segment";
    let has_arr = has(F::Arr) || has(F::Mrr) || has(F::Amount);
    let mut report = ImportReport {
        rejected: planner.rejected.len(),
        milestones,
        respelled,
        first_problems,
        new_csms,
        since_missing: !has(F::CustomerSince),
        // Said, as no screen shows MRR: a founder's "$1,250" reads "$15k ARR" there.
        arr_from_mrr: match has(F::Arr) {
            true => None,
            false => map.iter().zip(&table.headers).find(|(field, _)| **field == Some(F::Mrr)).map(|(_, h)| h.clone()),
        },
        renewal_missing: !has(F::RenewalDate),
        // Said while no account has one: a file of a few more accounts into a book that has them
        // is no news.
        expected_missing: match has(F::ExpectedUsage) || store.any_expected_usage()? {
            true => None,
            false => needs_expected_usage(config),
        },
        // Asked for (`--by-name`): no news.
        keyed_on_name: !key_on_id && !opts.by_name,
        named_by_id: !has(F::Name),
        // Said where a file gives no CSM or no ARR: the columns no field reads, one of which is
        // most likely it under a header tend does not know ("CSM Owner").
        unread_columns: match has(F::Csm) && has_arr {
            true => Vec::new(),
            false => unmapped.clone(),
        },
        // A column a factor of the config reads (`field:Number of Employees`) is read: not one
        // to map (a probe was told to map the column its own factor scored).
        kept_columns: unmapped
            .iter()
            .filter(|h| !is_segment(h))
            .filter(|h| !config.health.catalog.attributes.iter().any(|a| crate::text::same_key(a, h)))
            .cloned()
            .collect(),
        segment_column: unmapped.iter().find(|h| is_segment(h)).cloned(),
        csm_missing: !has(F::Csm),
        arr_missing: !has_arr,
        preset_hint: match opts.preset {
            Some(_) => None,
            None => crate::import::columns::preset_that_reads_more(&table.headers, &config.import.columns),
        },
        // Where churned rows lack a day, the column that had it blank is named: the hint asked
        // for a column the file had.
        churn_date_column: map
            .iter()
            .zip(&table.headers)
            .find(|(field, _)| matches!(field, Some(F::ChurnedOn | F::OutcomeDate)))
            .map(|(_, header)| header.clone()),
        lookalike_csms: planner.lookalike_csms(),
        shared_names: planner.shared_names(),
        // The accounts the book held that the file does not name: an import into a book that
        // already had 200 accounts read as if the book were the file.
        others_in_book: in_book.saturating_sub(planner.report.updated + planner.report.unchanged),
        // Named when the planner was given the whole book (a few of them: a sync that drops a
        // customer should say which).
        others_named: if narrow { Vec::new() } else { planner.unnamed(3) },
        dates,
        ..planner.report
    };
    report.name_csms_like(&had);
    if !opts.dry_run {
        save_rejects(&mut report, source, &table, &planner.rejected, opts);
    }
    Ok(report)
}

/// A refusal of bad rows, with what the good rows said that changes how the file should be read:
/// a billing export's names of the book's accounts under other ids, said only in a summary the
/// refusal never reached (a probe's dry run showed the 30 nameless rows alone).
fn with_hint(error: ImportError, report: &ImportReport) -> ImportError {
    let ImportError::Rows { file, problems, total, rows, mut hint } = error else { return error };
    let RepeatedKeys { repeated, rows_in_file, subscriptions } = report.repeated_keys;
    // Most rows repeat an account: a row per conversation, call or ticket (a probe's Intercom
    // export was refused as 277 accounts "appearing twice").
    if repeated * 2 > rows_in_file {
        hint.push_str(&format!(
            "\n{} of the {} rows repeat an account a row before gave: an accounts file has a row per account, \
             and one with a row per conversation, call or ticket is activity (`tend import logs`, `tend import \
             tickets`)",
            crate::domain::account::thousands(repeated as u64),
            crate::domain::account::thousands(rows_in_file as u64),
        ));
    } else if repeated > 0 && subscriptions {
        // A customer with several subscriptions (an upgrade, an add-on): `--skip-bad-rows` would
        // keep the first alone, a canceled one as churned (a probe's paying customer).
        hint.push_str(&format!(
            "\n{} a customer a row before gave: a customer with several subscriptions (an upgrade, an add-on) is \
             one account to tend, so merge its rows into one before importing (its live subscriptions' amounts \
             added, one canceled by an upgrade left out); --skip-bad-rows would keep its first row alone",
            crate::text::counted(repeated, "row names", "rows name"),
        ));
    }
    if let (count, Some(first)) = &report.named_otherwise {
        hint.push_str(&format!(
            "\n{} of the good rows {} the name of an account of the book under another external id ({}{first}): \
             `--by-name` matches the rows by name instead",
            crate::domain::account::thousands(*count as u64),
            if *count == 1 { "has" } else { "have" },
            if *count == 1 { "" } else { "the first: " },
        ));
    }
    ImportError::Rows { file, problems, total, rows, hint }
}

/// The factors of the score that read each account's expected usage and weigh in it, with their
/// weight and the score's whole: what an accounts file without the column leaves without a value.
fn needs_expected_usage(config: &crate::config::Config) -> Option<(Vec<String>, f64, f64, bool)> {
    use crate::domain::catalog::{Field, Source};
    let reads = |source: &Source| *source == Source::Field(Field::ExpectedUsage);
    let (labels, weight, total) = crate::import::factors_reading(config, reads)?;
    // Optional evidence (as by default) is left out without a value, and asks for no change.
    let optional = crate::import::weighed_reading(config, reads).all(|(_, rule)| rule.optional);
    Some((labels, weight, total, optional))
}
