//! `tend import tickets`: a help desk's export, one row per ticket (Zendesk, Freshdesk, HubSpot
//! tickets), read as the `support_tickets` metric the health rules score: a count a day of the
//! tickets each account opened. A probe's ticket export was refused by `import metrics` ("Ticket
//! ID: not a number"), and counting its rows a day by hand was the only way in.
//!
//! The export covers the days from its first ticket to its last: an account with no ticket in
//! that time had none, so every live account is given a count of 0 once a week over those days
//! (a factor summing 30 days then reads 0, not "no data", as a usage export's rows would say).
//! The counts go in through the metrics import, so a file imported twice adds nothing, and a
//! later export changes the days it counts again.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;

use chrono::NaiveDate;

use super::metrics::SamplesBook;
use super::plans::{bad, happened};
use super::table::{Source, open_table};
use super::values::{DateOrder, DateSurvey, parse_date};
use super::{AccountIndex, ImportError, ImportOptions, ImportReport, Problem, checked, reject, rejected_misshapen};

/// The metric the counts are samples of: the one the default health rules' support tickets
/// factor sums.
pub const TICKETS_METRIC: &str = crate::domain::data_days::TICKETS_METRIC;

/// How a help desk names the account a ticket is for.
const TICKET_ACCOUNT: [&str; 12] = [
    "account",
    "account id",
    "external id",
    "account name",
    "company",
    "company name",
    "organization",
    "organization name",
    "organisation",
    "requester organization",
    "customer",
    "associated company",
];

/// How a help desk heads the day a ticket was opened.
const OPENED: [&str; 12] = [
    "opened",
    "opened at",
    "opened on",
    "created",
    "created at",
    "created date",
    "date created",
    "create date",
    "requested",
    "submitted",
    "ticket created",
    "date",
];

/// The ticket's own id, where the export has one: a ticket listed twice (an export of its
/// updates) is counted once.
const TICKET_ID: [&str; 6] = ["ticket id", "ticket", "ticket number", "ticket #", "id", "number"];

/// What a tickets file held, for the import's summary.
#[derive(Clone, Debug, PartialEq)]
pub struct TicketsRead {
    pub tickets: usize,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Live accounts with no ticket from `from` to `to`: counted 0.
    pub with_none: usize,
    /// Rows of a ticket listed before (by its id).
    pub repeated: usize,
    /// Tickets naming no account (a blank organization): left out, as no account's.
    pub unowned: usize,
    /// The file's header of the account column, for saying so.
    pub account_column: String,
}

pub(crate) fn import_tickets(
    book: &mut impl SamplesBook,
    source: &Source,
    opts: &ImportOptions,
    configured: DateOrder,
    read: &[String],
    named_by: &[String],
) -> Result<ImportReport, ImportError> {
    let table = open_table(source)?;
    // A bare "Id" or "Number" is the ticket's (Zendesk's export heads its ticket numbers "Id"):
    // read as the account, a probe's whole file was refused as "1001: unknown account" beside
    // its Organization column.
    let account_col = table.account_column_but(named_by, &TICKET_ACCOUNT, &["id", "number"])?;
    let opened_col = table.require("the day each ticket was opened", &OPENED)?;
    let id_col = table.column(&TICKET_ID);
    let accounts = AccountIndex::from_book(book)?;
    // The order of the file's dates, as every import decides it.
    let mut survey = DateSurvey::default();
    table.for_each_row(|line, row| {
        if table.misshapen(line, row).is_none() {
            survey.see(opened_day(table.cell(row, opened_col)), line, &table.headers[opened_col]);
        }
    })?;
    let order = survey.decide_for(&table.source, configured)?;

    let mut problems: Vec<Problem> = Vec::new();
    let mut rejected = Vec::new();
    // Tickets a day by account, and the ids seen (each ticket counted once).
    let mut counts: BTreeMap<(i64, NaiveDate), u32> = BTreeMap::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut repeated = 0;
    // A help desk's ticket with no organization is common (a lone requester's): no account's, so
    // left out and counted, not a bad row that stopped the file (a probe's export had seven).
    let mut unowned = 0;
    table.for_each_row(|line, row| {
        if rejected_misshapen(&table, line, row, &mut problems, &mut rejected) {
            return;
        }
        if table.cell(row, account_col).trim().is_empty() {
            unowned += 1;
            return;
        }
        let before = problems.len();
        let account = accounts
            .known(table.cell(row, account_col))
            .map_err(|why| bad(&mut problems, &table, line, account_col, row, &why))
            .ok();
        let day = parse_date(opened_day(table.cell(row, opened_col)), order)
            .map_err(|why| bad(&mut problems, &table, line, opened_col, row, &why))
            .ok()
            .and_then(|day| happened(&mut problems, (&table, line, row), opened_col, day, opts.today));
        if let Some(why) = account.and_then(|a| accounts.not_yours(a)) {
            bad(&mut problems, &table, line, account_col, row, &why);
        }
        if problems.len() > before {
            rejected.push(reject(row, &problems[before..]));
            return;
        }
        let (Some(account), Some(day)) = (account, day) else { return };
        let id = id_col.map(|c| table.cell(row, c)).filter(|id| !id.is_empty());
        if let Some(id) = id
            && !seen.insert(id.to_string())
        {
            repeated += 1;
            return;
        }
        *counts.entry((account, day)).or_default() += 1;
    })?;
    // Said as what is written: "imported 786 daily ticket counts" for a file of 77 tickets read as
    // 786 tickets to a probe (most are the weekly 0s of accounts without one).
    let checked_report = checked(
        "support_tickets samples (an account's tickets of a day, 0s included)",
        &table.source,
        &problems,
        rejected.len(),
        opts,
    )?;
    let (Some(from), Some(to)) = (counts.keys().map(|k| k.1).min(), counts.keys().map(|k| k.1).max()) else {
        return Err(ImportError::File {
            file: table.source.clone(),
            line: 1,
            reason: "no ticket to count: every row was left out".into(),
        });
    };

    // Every live account the reader may write on, counted 0 once a week from the last day back
    // to the first where it opened no ticket that day.
    let with_tickets: HashSet<i64> = counts.keys().map(|k| k.0).collect();
    let live: Vec<i64> = accounts.live().map(|(_, id)| *id).filter(|id| accounts.not_yours(*id).is_none()).collect();
    let with_none = live.iter().filter(|id| !with_tickets.contains(id)).count();
    let grid: Vec<NaiveDate> = std::iter::successors(Some(to), |d| d.checked_sub_signed(chrono::Duration::days(7)))
        .take_while(|d| *d >= from)
        .collect();
    for id in &live {
        for day in &grid {
            counts.entry((*id, *day)).or_insert(0);
        }
    }

    // The counts as a long metrics file, imported as any: the book's own checks and writes.
    let mut long = tempfile::NamedTempFile::new()
        .map_err(|e| ImportError::Read { file: table.source.clone(), reason: e.to_string() })?;
    let mut text = String::from("account,metric,date,value\n");
    for ((id, day), n) in &counts {
        let Some(key) = accounts.key_of(*id) else { continue };
        text.push_str(&format!("\"{}\",{TICKETS_METRIC},{day},{n}\n", key.replace('"', "\"\"")));
    }
    long.write_all(text.as_bytes())
        .map_err(|e| ImportError::Read { file: table.source.clone(), reason: e.to_string() })?;
    let counted_opts = ImportOptions { rejects: None, progress: false, ..opts.clone() };
    let by_external_id: Vec<String> = Vec::new();
    let mut report = super::metrics::import_metrics_into(
        book,
        &Source::File(long.path().to_path_buf()),
        &counted_opts,
        DateOrder::Auto,
        read,
        &by_external_id,
    )?;
    report.source = table.source.clone();
    report.what = checked_report.what;
    report.rejected = checked_report.rejected;
    report.dates = survey.read();
    // A ticket's day is the day it was opened: counts a day are what this import writes, and no
    // usage week (a probe was told to "sum it by week" of the export the import asked for).
    report.off_the_week = None;
    report.named_loosely = accounts.named_loosely();
    report.first_problems = checked_report.first_problems;
    report.tickets = Some(TicketsRead {
        tickets: counts.values().map(|n| *n as usize).sum(),
        from,
        to,
        with_none,
        repeated,
        unowned,
        account_column: table.headers[account_col].clone(),
    });
    super::save_rejects(&mut report, source, &table, &rejected, opts);
    Ok(report)
}

/// The day of a help desk's timestamp ("2026-11-20 14:32:05", "2026-11-20T14:32:05Z"): its
/// date part, which the dates of every import read.
fn opened_day(cell: &str) -> &str {
    let cell = cell.trim();
    match cell.split_once(['T', ' ']) {
        Some((day, time)) if time.contains(':') && day.len() >= 8 => day,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timestamp_is_read_as_its_day() {
        assert_eq!(opened_day("2026-11-20 14:32:05"), "2026-11-20");
        assert_eq!(opened_day("2026-11-20T14:32:05Z"), "2026-11-20");
        assert_eq!(opened_day(" 11/20/2026 2:32 PM "), "11/20/2026");
        assert_eq!(opened_day("Nov 20, 2026"), "Nov 20, 2026", "a day written in words is kept whole");
    }
}
