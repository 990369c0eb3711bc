//! `tend import metrics`: metric samples, long (account, metric, date, value) or wide (account,
//! date, one column per metric). Idempotent: a sample is keyed on account, metric and day.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::columns::normalise;
use super::stream::{self, Ending, Pass, RejectsFile};
use super::table::{Source, Table, open_table};
use super::values::{DateOrder, DateSurvey, DecimalMark, NumberSurvey, parse_date, parse_percent_as};
use super::{AccountIndex, ImportError, ImportOptions, ImportReport, progress};
use crate::store::Store;

/// The metrics the default health score reads, each a count: a value below zero is a bad row,
/// not a sample. Imported as written, a probe's -3 active users ranked the accounts with them
/// first in Triage ("Active users w/w -400%"). A metric of one's own may go below zero: it is
/// imported as written, and said.
pub(crate) const COUNTS_OF_USE: [&str; 4] = ["usage", "logins", "active_users", "support_tickets"];
use crate::store::key_claims::KeyClaims;
use crate::store::sample_import::{SampleImport, SampleOutcome, SampleUpdates};

/// Where a metrics import writes: a book file (`Store`) or a team book.
pub(crate) trait SamplesBook: crate::book::storage::BookRead {
    /// One checking-and-writing pass over the file in one transaction: `rows` reads it and sends
    /// its good samples through the sink, counting each as new in its report; the book then
    /// counts what it wrote (`counted`), drops what it worked out from the accounts whose samples
    /// changed, and commits if the pass lands (abandoning it otherwise). None when the pass asked
    /// to be run again.
    fn samples_pass<'p>(
        &mut self,
        rows: &mut dyn FnMut(&mut dyn SampleSink) -> Result<Pass<'p>, Ending>,
    ) -> Result<Option<ImportReport>, ImportError>;
}

/// Samples on their way into a book.
pub(crate) trait SampleSink {
    /// Write a sample unless the book has it with this value already (a team book may send
    /// them a batch at a time; the pass counts them once all are sent).
    fn upsert(&mut self, account_id: i64, metric: &str, day: NaiveDate, value: f64) -> Result<(), ImportError>;
    /// A value of the period from `first` to `last`: written on its last day, unless the book
    /// has the period on its first day only (imported before periods were dated on their last),
    /// where it stays, so that it does not count twice. The day it went to.
    fn upsert_period(
        &mut self,
        account_id: i64,
        metric: &str,
        period: (NaiveDate, NaiveDate),
        value: f64,
    ) -> Result<NaiveDate, ImportError>;
}

/// The pass's report, told what the book wrote of the samples it was sent (all counted as new):
/// the rest were in the book with those values; of those written, `updates` replaced a value.
pub(crate) fn counted(
    mut pass: Pass<'_>,
    written: usize,
    updates: SampleUpdates,
    new_days: crate::domain::data_days::DayTally,
) -> Result<(ImportReport, Option<RejectsFile>), Ending> {
    let sent = pass.report.new;
    pass.report.new_sample_days = new_days;
    pass.report.unchanged = sent - written;
    pass.report.new = written - updates.count;
    pass.report.updated = updates.count;
    pass.report.samples = updates.examples;
    pass.finish()
}

impl SamplesBook for Store {
    fn samples_pass<'p>(
        &mut self,
        rows: &mut dyn FnMut(&mut dyn SampleSink) -> Result<Pass<'p>, Ending>,
    ) -> Result<Option<ImportReport>, ImportError> {
        // Whether the book had samples before: a first import has no week dated otherwise.
        let had = self
            .conn()
            .query_row("SELECT EXISTS (SELECT 1 FROM metric_samples)", [], |r| r.get::<_, bool>(0))
            .map_err(|e| ImportError::Store(self.err(e)))?;
        stream::run(self, |w| {
            let ((pass, written, touched), updates) = w.import_samples(|import| {
                let mut sink = FileSamples { import, written: 0, touched: HashSet::new(), had };
                rows(&mut sink).map(|pass| (pass, sink.written, sink.touched))
            })?;
            // Only accounts whose samples changed lose their cached values: a file imported
            // twice changes nothing.
            crate::book::storage::BookTxn::invalidate_snapshots_of(w, &touched.into_iter().collect::<Vec<_>>())?;
            let new_days = w.new_sample_days();
            counted(pass, written, updates, new_days)
        })
    }
}

/// A book file's metrics import, each sample upserted as it comes.
struct FileSamples<'i, 't> {
    import: &'i mut SampleImport<'t>,
    written: usize,
    /// Accounts whose samples changed: their cached values and history are stale.
    touched: HashSet<i64>,
    /// The book had samples before this import.
    had: bool,
}

impl SampleSink for FileSamples<'_, '_> {
    fn upsert(&mut self, account_id: i64, metric: &str, day: NaiveDate, value: f64) -> Result<(), ImportError> {
        if self.import.upsert(account_id, metric, day, value)? == SampleOutcome::Written {
            self.written += 1;
            self.touched.insert(account_id);
        }
        Ok(())
    }

    fn upsert_period(
        &mut self,
        account_id: i64,
        metric: &str,
        (first, last): (NaiveDate, NaiveDate),
        value: f64,
    ) -> Result<NaiveDate, ImportError> {
        // A first import has nothing dated otherwise; else the last day is looked up once, for
        // the upsert too (a weekly file imported again looked each sample up twice).
        let (day, known) = match self.had {
            false => (last, None),
            true => match self.import.value_of(account_id, metric, last)? {
                Some(old) => (last, Some(Some(old))),
                None if self.import.value_of(account_id, metric, first)?.is_some() => (first, None),
                None => (last, Some(None)),
            },
        };
        if self.import.upsert_known(account_id, metric, day, value, known)? == SampleOutcome::Written {
            self.written += 1;
            self.touched.insert(account_id);
        }
        Ok(day)
    }
}

/// How a usage export heads the account: by id, or by name as a CRM calls its accounts
/// (Pipedrive's and Close's "Organization": a probe's usage file was refused beside an accounts
/// file whose "Organization - Name" was read).
const ACCOUNT_HEADERS: [&str; 15] = [
    "account",
    "account id",
    "external id",
    "external_id",
    "customer id",
    "company id",
    "id",
    "account name",
    "company",
    "company name",
    "organization",
    "organization name",
    "organisation",
    "organisation name",
    "customer name",
];
/// The date of a sample: what exports head it (weekly usage "Week Starting", a billing
/// period's end, an event's "Created At"; a week's last day, "Week Ending", as ChurnZero's and
/// many BI tools' weekly exports head it: a probe's was refused).
const DATE_HEADERS: [&str; 24] = [
    "date",
    "day",
    "as of",
    "period end",
    "period ending",
    "week ending",
    "week ended",
    "week end",
    "week end date",
    "timestamp",
    "week",
    "week start",
    "week starting",
    "week commencing",
    "week beginning",
    "w c",
    "wc",
    "week of",
    "month",
    "period start",
    "created at",
    "created",
    "date created",
    "sample date",
];

/// What a sample's date column dates: a day, or the start of a week or a month the value is of.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Period {
    Day,
    WeekStart,
    Month,
}

impl Period {
    /// By the column's header: "Week Starting", "Week of", "Week" head a week's first day; "Month"
    /// a month's.
    fn of(header: &str) -> Period {
        match crate::text::key_form(header).as_str() {
            // "Week Commencing" and "W/C", as a UK export heads a week by its first day.
            "week" | "week_start" | "week_starting" | "week_of" | "week_commencing" | "week_beginning" | "w/c"
            | "wc" => Period::WeekStart,
            "month" => Period::Month,
            _ => Period::Day,
        }
    }

    /// The day a value of the period is known whole: a week's value on its last day, a month's
    /// on its last. A week's dated its Monday was read on Monday with the week's usage in it, and
    /// imported a week later it rewrote the scores of days before it was known (a probe's account
    /// read as falling 80 -> 55 when it had risen 17 -> 55). A month given by another day than its
    /// first is taken as dated already.
    fn end(self, day: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => day,
            Period::WeekStart => day + chrono::Duration::days(6),
            Period::Month if chrono::Datelike::day(&day) == 1 => {
                day.checked_add_months(chrono::Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(day)
            }
            Period::Month => day,
        }
    }
}

pub fn import_metrics(
    store: &mut Store,
    source: &Source,
    opts: &ImportOptions,
    configured_order: super::DateOrder,
) -> Result<ImportReport, ImportError> {
    import_metrics_into(store, source, opts, configured_order, &[], &[])
}

/// `import_metrics` into any book. `read`: the metrics the config's factors read; a long file's
/// metric name that is none of them but is one once written as a wide file's header is ("Active
/// Users" is active_users) is read as it.
pub(crate) fn import_metrics_into(
    book: &mut impl SamplesBook,
    source: &Source,
    opts: &ImportOptions,
    configured_order: super::DateOrder,
    read: &[String],
    named_by: &[String],
) -> Result<ImportReport, ImportError> {
    let table = open_table(source)?;
    let name = table.source.clone();
    let account_col = table.account_column(named_by, &ACCOUNT_HEADERS)?;
    // The book's days before the file: a weekly book's values are checked against its weeks.
    let days_before = book.book_days()?.data_days;
    // An analytics export's one column per week (the dates are its headers) has no column to
    // rename: said as what it is (a probe was told to rename a date column it did not have).
    // (Read only where no header names the date: a wide file's headers are not parsed otherwise.)
    let dated = || -> Vec<&String> {
        table.headers.iter().filter(|h| super::values::parse_date(h.trim(), configured_order).is_ok()).collect()
    };
    let date_col = match table.column(&DATE_HEADERS).ok_or_else(dated) {
        Ok(col) => col,
        Err(dated) if dated.len() >= 2 => {
            return Err(table.missing_with(
                "the date",
                &DATE_HEADERS,
                &format!(
                    "; its headers are dates ({} of them, the first \"{}\"): a column per day or week is not read; write a \
                     row per account and day instead, the day in a column such as \"Week starting\" and each metric \
                     in a column of its own (or the columns account, date, metric, value)",
                    dated.len(),
                    crate::text::clean(dated[0])
                ),
            ));
        }
        Err(_) => table.require("the date", &DATE_HEADERS)?,
    };
    let metric_col = table.column(&["metric", "metric name"]);
    let value_col = table.column(&["value"]);
    // Long: a metric column and a value column. Wide: every other column is a metric.
    // A wide file's headers read as another metric than their own words ("Weekly Active Users"
    // as active_users): said, as a long file's names are.
    let mut wide_read_as: Vec<(String, String)> = Vec::new();
    let mut metric_columns: Vec<(usize, String)> = match (metric_col, value_col) {
        (Some(_), Some(v)) => vec![(v, String::new())],
        (Some(_), None) => return Err(table.missing("the value", &["value"])),
        // A long file without its metric column: read as wide, its "Value" was a metric named
        // "value", and a probe's file imported as one sample of it, without a word.
        (None, Some(_)) => return Err(table.missing("the metric each row's value is of", &["metric", "metric name"])),
        _ => table
            .headers
            .iter()
            .enumerate()
            .filter(|(i, h)| *i != account_col && *i != date_col && !h.trim().is_empty())
            .map(|(i, h)| match factor_name(h, read) {
                Some(name) if name != metric_key(h) => {
                    wide_read_as.push((h.clone(), name.clone()));
                    (i, name)
                }
                Some(name) => (i, name),
                None => (i, metric_key(h)),
            })
            .collect(),
    };
    if metric_columns.is_empty() {
        return Err(table.missing("any metric", &["metric", "value"]));
    }

    // First pass: the order of the dates, the numbers' decimal mark, and how many rows there
    // are (for the progress bar).
    let mut survey = DateSurvey::default();
    let mut numbers = NumberSurvey::default();
    // A wide file's columns that hold a number somewhere: one that holds none ("Company Name"
    // beside the id) is no metric, not a column of bad values (a probe's file was refused for
    // 5,110 of them).
    let mut has_number = vec![metric_col.is_some(); metric_columns.len()];
    let mut rows = 0;
    table.for_each_row(|line, row| {
        rows += 1;
        // A row of another width has no values to tell apart (the checking pass names it).
        if table.misshapen(line, row).is_none() {
            survey.see(table.cell(row, date_col), line, &table.headers[date_col]);
            for ((col, _), number) in metric_columns.iter().zip(has_number.iter_mut()) {
                let text = table.cell(row, *col);
                numbers.see(text, line, &table.headers[*col]);
                *number = *number || crate::import::values::parse_percent(text).is_some();
            }
        }
    })?;
    let not_metrics: Vec<String> = match has_number.iter().any(|n| *n) {
        // A file with no number at all is refused below for its cells, as it was.
        false => Vec::new(),
        true => {
            let (metrics, text): (Vec<_>, Vec<_>) =
                std::mem::take(&mut metric_columns).into_iter().zip(has_number).partition(|(_, has)| *has);
            metric_columns = metrics.into_iter().map(|(column, _)| column).collect();
            text.into_iter().map(|((col, _), _)| table.headers[col].clone()).collect()
        }
    };
    let order = survey.decide_for(&name, configured_order)?;
    let reading =
        numbers.decide(table.semicolons()).map_err(|reason| ImportError::Read { file: name.clone(), reason })?;

    // Accounts by external id, then by name.
    let accounts = AccountIndex::from_book(book)?;
    let bar = progress(opts.progress, rows, "importing");
    // Second pass: each row checked and written as it is read, in one transaction. Run again,
    // with every key claimed in the book, if the file turns out not grouped by account.
    for grouped in [true, false] {
        let mut repeats = Repeats::new(grouped);
        let layout = Layout {
            table: &table,
            accounts: &accounts,
            account_col,
            date_col,
            metric_col,
            metric_columns: &metric_columns,
            order,
            period: Period::of(&table.headers[date_col]),
            mark: reading.mark,
            read,
        };
        // The newest day the file gives each account a sample on (its `num_days_from_ce`, 0 for
        // none), by id: a book's first usage file says which have none (see
        // `ImportReport::without_samples`), and a thin newest week how many it covers.
        let mut newest: Vec<i32> = Vec::new();
        if let Some(mut report) = samples_pass(book, &layout, source, opts, &bar, &mut repeats, &mut newest)? {
            report.numbers_read_as = reading.guessed.clone().map(|example| (reading.mark, example));
            report.dates = survey.read();
            report.not_metrics = not_metrics;
            report.metrics_read_as.extend(wide_read_as);
            let has = |id: i64| usize::try_from(id).is_ok_and(|i| newest.get(i).is_some_and(|day| *day != 0));
            for &day in newest.iter().filter(|day| **day != 0) {
                if let Some(day) = NaiveDate::from_num_days_from_ce_opt(day) {
                    report.accounts_by_newest_day.add(day);
                }
            }
            report.without_samples = accounts.live_without(has);
            report.named_loosely = accounts.named_loosely();
            report.off_the_week =
                crate::domain::data_days::OffTheWeek::of(&days_before, &report.sample_days, opts.today);
            return Ok(report);
        }
        bar.reset();
    }
    Err(ImportError::Read { file: name, reason: "changed while it was read".into() })
}

/// A long file's metric name as read: as written, unless no factor reads it and one reads it
/// as `factor_name` does; said in the report once.
fn long_name<'n>(
    names: &'n mut HashMap<String, String>,
    report: &mut ImportReport,
    read: &[String],
    given: &str,
) -> &'n str {
    if !names.contains_key(given) {
        let name = match factor_name(given, read) {
            Some(name) => {
                report.metrics_read_as.push((given.to_string(), name.clone()));
                name
            }
            None => given.to_string(),
        };
        names.insert(given.to_string(), name);
    }
    &names[given]
}

/// The metric a factor reads that `written` names, where no factor reads it as written: as a
/// wide file's header is read (`normalise`, spaces as underscores: "Active Users" is
/// active_users), and a daily or weekly count of active users as product-analytics tools name
/// it ("Weekly Active Users", "WAU", "DAU": a probe's Mixpanel file fed no factor until renamed).
/// Not other counts: a week's logins are a sum of days', another metric than a day's. None when
/// it names none of them.
fn factor_name(written: &str, read: &[String]) -> Option<String> {
    if read.iter().any(|r| r == written) {
        return None;
    }
    let header = metric_key(written);
    let counted = match crate::domain::catalog::ACTIVE_USERS_NAMES.contains(&header.as_str()) {
        true => "active_users",
        false => header.as_str(),
    };
    [header.as_str(), counted].into_iter().find(|name| read.iter().any(|r| r == name)).map(str::to_string)
}

/// A wide file's header as the metric it names: its words in lower case, joined by underscores
/// ("Active Users" is active_users).
fn metric_key(header: &str) -> String {
    normalise(header).replace(' ', "_")
}

/// Where a metrics file keeps what: the columns and the date order, and the accounts it names.
struct Layout<'a> {
    table: &'a Table,
    accounts: &'a AccountIndex,
    account_col: usize,
    date_col: usize,
    /// Long format: the metric's column (values in the one value column).
    metric_col: Option<usize>,
    /// The value columns, with the metric each holds in a wide file.
    metric_columns: &'a [(usize, String)],
    order: DateOrder,
    /// What the date column dates (a week's or a month's values are dated on its last day).
    period: Period,
    /// The decimal mark the file's numbers are read with.
    mark: DecimalMark,
    /// The metrics the config's factors read.
    read: &'a [String],
}

/// One checking-and-writing pass over the file; None when `repeats` found the file not grouped
/// by account (its transaction abandoned).
fn samples_pass(
    book: &mut impl SamplesBook,
    layout: &Layout,
    source: &Source,
    opts: &ImportOptions,
    bar: &indicatif::ProgressBar,
    repeats: &mut Repeats,
    newest: &mut Vec<i32>,
) -> Result<Option<ImportReport>, ImportError> {
    let Layout { table, accounts, account_col, date_col, metric_col, metric_columns, order, period, mark, read } =
        *layout;
    book.samples_pass(&mut |sink| {
        let mut pass = Pass::new("metric samples", source, table, opts);
        // A long file's metric names as read, each worked out once.
        let mut names: HashMap<String, String> = HashMap::new();
        // (value column, metric, value) of the row being read.
        let mut row_samples: Vec<(usize, String, f64)> = Vec::new();
        table.try_for_each_row(|line, row| -> Result<(), Ending> {
            bar.inc(1);
            if pass.misshapen(table, line, row)? {
                return Ok(());
            }
            let account_text = table.cell(row, account_col);
            let account = accounts
                .known(account_text)
                .map_err(|why| pass.bad(line, &table.headers[account_col], account_text, why))
                .ok();
            let date_text = table.cell(row, date_col);
            // A month written without a day ("2025-12", a monthly export's) is the month's value,
            // whatever the header: a probe's "Month" column of them was refused row by row.
            let day = match crate::domain::day_text::month_start(date_text) {
                Some(first) => Some((first, Period::Month)),
                None => parse_date(date_text, order)
                    .map_err(|r| match period {
                        Period::Month => format!("{r}; or a month, as 2025-12 or Dec 2025"),
                        _ => r,
                    })
                    .map_err(|r| pass.bad(line, &table.headers[date_col], date_text, r))
                    .ok()
                    .map(|d| (d, period)),
            };
            // The day its value is dated on, and the period's first day where that is another.
            let (start, day) = match day {
                Some((first, period)) => {
                    let end = period.end(first);
                    ((end != first).then_some(first), Some(end))
                }
                None => (None, None),
            };
            row_samples.clear();
            for (col, metric) in metric_columns {
                let metric = match metric_col {
                    Some(m) => long_name(&mut names, &mut pass.report, read, table.cell(row, m)),
                    None => metric.as_str(),
                };
                let text = table.cell(row, *col);
                if text.is_empty() && metric_col.is_none() {
                    continue; // a wide file may leave a metric blank on a day
                }
                // "N/A" is a sample not taken: no sample, said in the summary, and the row's
                // other samples kept; so is a long file's blank value (it was refused as "not a
                // number" where "n/a" beside it was taken as a blank).
                if text.trim().is_empty() || crate::import::values::says_no_value(text) {
                    pass.report.no_value_cells.see(line, text);
                    continue;
                }
                if metric.is_empty() {
                    // Named as the file heads it ("Metric", not "metric").
                    let header = metric_col.map_or("metric", |m| table.headers[m].as_str());
                    pass.bad(line, header, "", "a metric name is needed");
                    continue;
                }
                match parse_percent_as(text, mark) {
                    Some(v) if v < 0.0 && COUNTS_OF_USE.contains(&metric) => pass.bad(
                        line,
                        &table.headers[*col],
                        text,
                        format!("below zero: {metric} is a count, never below zero"),
                    ),
                    Some(v) => row_samples.push((*col, metric.to_string(), v)),
                    None => pass.bad(line, &table.headers[*col], text, "not a number"),
                }
            }
            if let (Some(account), Some(day)) = (account, day) {
                // A row already refused claims no key: its samples are not imported, so a later
                // row of the same account and day is the first (a probe's good row was refused as
                // "a second logins value" after a row refused for "twelve" active users).
                let claiming = if pass.row_ok() { row_samples.as_slice() } else { &[] };
                for (col, metric, _) in claiming {
                    let first = match repeats.check(account, metric, day, line)? {
                        Seen::First => continue,
                        Seen::Again(first) => first,
                        Seen::Ungrouped => return Err(Ending::Again),
                    };
                    let metric = crate::text::clean(metric);
                    let reason = format!("a second {metric} value for this account and day (first on line {first})");
                    pass.bad(line, &table.headers[*col], table.cell(row, *col), reason);
                }
                // A week or a month begun but not over on the import's day is left out: its
                // value so far would be dated on a day to come and read as a fall (a probe's
                // "Week Starting" export of a Monday put this week's first day's logins on
                // Sunday, 538 samples "kept as written").
                let not_over = start.filter(|first| *first <= opts.today && day > opts.today);
                if let Some(first) = not_over
                    && pass.row_ok()
                    && !row_samples.is_empty()
                {
                    let left = pass.report.periods_not_over.get_or_insert((0, line, first, day));
                    left.0 += row_samples.len();
                }
                // A row is written whole or not at all.
                if pass.row_ok() && not_over.is_none() {
                    if !row_samples.is_empty()
                        && let Ok(i) = usize::try_from(account)
                    {
                        if newest.len() <= i {
                            newest.resize(i + 1, 0);
                        }
                        newest[i] = newest[i].max(chrono::Datelike::num_days_from_ce(&day));
                    }
                    // Use after a churn: the churn wrong, or a customer come back (looked up once a row).
                    let churned = accounts.churned_on(account).filter(|c| day > *c);
                    for (col, metric, value) in &row_samples {
                        // Said of the values imported only: a row rejected for another cell is not.
                        if *value < 0.0 {
                            pass.report.negative_values.see(line, &format!("{metric} {}", table.cell(row, *col)));
                        }
                        if let Some(churned) =
                            churned.filter(|_| *value > 0.0 && metric != crate::domain::data_days::TICKETS_METRIC)
                        {
                            crate::import::count_with_first(&mut pass.report.used_after_churn, || {
                                format!(
                                    "line {line}: {}, churned {churned}, {metric} {} on {day}",
                                    accounts.named(account),
                                    table.cell(row, *col).trim()
                                )
                            });
                        }
                        // A week the book has on its first day (imported before weeks were dated
                        // on their last) stays there: moved, it would count twice.
                        match start {
                            Some(first) => match sink.upsert_period(account, metric, (first, day), *value)? {
                                went if went == first => pass.report.period_kept_at_start += 1,
                                _ if pass.report.period_ends.is_none() => {
                                    pass.report.period_ends = Some((table.headers[date_col].clone(), first, day));
                                }
                                _ => {}
                            },
                            None => sink.upsert(account, metric, day, *value)?,
                        }
                        pass.report.new += 1;
                        pass.report.saw_metric(metric);
                    }
                    pass.report.sample_days.add_many(day, row_samples.len() as u64);
                    if day > opts.today && !row_samples.is_empty() {
                        let today = opts.today;
                        let future = pass.report.future_samples.get_or_insert(crate::import::FutureSince {
                            count: 0,
                            first_line: line,
                            first: day,
                            today,
                        });
                        future.count += row_samples.len();
                    }
                }
            }
            pass.end_row(row)?;
            Ok(())
        })?;
        bar.finish_and_clear();
        Ok(pass)
    })
}

/// More metric names than this in one file and it is checked with every key claimed in the book:
/// the names are kept in memory.
const MAX_METRICS_IN_MEMORY: usize = 10_000;

/// Finds a sample (account, metric, day) the file gives twice. Exports group their rows by
/// account: the keys of the account being read are kept in memory, and of the accounts read
/// before only their ids (as many as the book has accounts, whatever the file's length). An
/// account that comes back after its rows ended means the file is not grouped; the pass is then
/// run again with every key claimed in a temporary database (on disk), which any order of rows
/// can use.
struct Repeats {
    grouped: bool,
    /// Every key of the file so far, when it is not grouped.
    claims: Option<KeyClaims>,
    metrics: std::collections::HashMap<String, u32>,
    /// Accounts whose rows have ended.
    done: HashSet<i64>,
    current: Option<i64>,
    /// The current account's keys, with the line each came on.
    keys: std::collections::HashMap<(u32, NaiveDate), u64>,
}

/// Whether a sample's key is new to the file.
enum Seen {
    First,
    Again(u64),
    Ungrouped,
}

impl Repeats {
    fn new(grouped: bool) -> Self {
        Repeats {
            grouped,
            claims: None,
            metrics: Default::default(),
            done: HashSet::new(),
            current: None,
            keys: Default::default(),
        }
    }

    fn check(
        &mut self,
        account: i64,
        metric: &str,
        day: NaiveDate,
        line: u64,
    ) -> Result<Seen, crate::store::StoreError> {
        if !self.grouped {
            let claims = match &mut self.claims {
                Some(claims) => claims,
                None => self.claims.insert(KeyClaims::new()?),
            };
            return Ok(claims.claim(account, metric, day, line)?.map_or(Seen::First, Seen::Again));
        }
        let metric = match self.metrics.get(metric) {
            Some(m) => *m,
            None if self.metrics.len() >= MAX_METRICS_IN_MEMORY => return Ok(Seen::Ungrouped),
            None => {
                let m = self.metrics.len() as u32;
                self.metrics.insert(metric.to_string(), m);
                m
            }
        };
        if self.current != Some(account) {
            if let Some(previous) = self.current.replace(account) {
                self.done.insert(previous);
            }
            if self.done.contains(&account) {
                return Ok(Seen::Ungrouped);
            }
            self.keys.clear();
        }
        Ok(match self.keys.entry((metric, day)) {
            std::collections::hash_map::Entry::Occupied(e) => Seen::Again(*e.get()),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(line);
                Seen::First
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A UK export heads its weeks by their first day: "Week Commencing", "W/C".
    #[test]
    fn a_week_commencing_is_a_weeks_first_day() {
        for header in ["Week Commencing", "W/C", "week beginning", "Week Starting"] {
            assert_eq!(Period::of(header), Period::WeekStart, "{header}");
            assert!(DATE_HEADERS.contains(&normalise(header).as_str()), "{header}");
        }
        assert_eq!(Period::of("Week Ending"), Period::Day);
    }
}
