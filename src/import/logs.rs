//! `tend import logs`: sentiment, touch, NPS, bug and risk history from a CSV, with the same checks
//! as logging by hand. Idempotent: an entry identical to one in the book is left alone.

use std::collections::HashSet;

use super::table::{Source, read_table};
use super::values::{DateOrder, DateSurvey, parse_date};
use super::{AccountIndex, ImportError, ImportOptions, ImportReport, Problem, checked, progress, reject, save_rejects};
use crate::domain::entry::{EntryKind, TouchChannel};
use crate::domain::input::EntryInput;
use crate::store::{NewEntry, Store};

const ACCOUNT: [&str; 7] =
    ["account", "account id", "external id", "external_id", "customer id", "account name", "company"];

pub fn import_logs(
    store: &mut Store,
    source: &Source,
    opts: &ImportOptions,
    configured_order: DateOrder,
) -> Result<ImportReport, ImportError> {
    let table = read_table(source)?;
    let name = table.source.clone();
    let account_col = table.require("the account", &ACCOUNT)?;
    let kind_col = table.require("the kind of entry", &["kind", "type", "entry"])?;
    let date_col = table.require("the date", &["date", "day", "opened", "raised"])?;
    let score_col = table.column(&["score", "rating", "nps"]);
    let channel_col = table.column(&["channel", "touch", "medium"]);
    let title_col = table.column(&["title", "reason", "subject"]);
    let closed_col = table.column(&["closed", "closed on", "cleared", "cleared on"]);
    let note_col = table.column(&["note", "notes", "comment"]);
    let csm_col = table.column(&["csm", "by", "logged by", "owner"]);

    let mut survey = DateSurvey::default();
    let rows = table.rows()?;
    for (_, row) in &rows {
        survey.see(table.cell(row, date_col));
        if let Some(c) = closed_col {
            survey.see(table.cell(row, c));
        }
    }
    let order = survey.decide(configured_order).map_err(|reason| ImportError::Dates { file: name.clone(), reason })?;

    let accounts = AccountIndex::load(store)?;
    let bar = progress(opts.progress, rows.len(), "checking");
    let mut problems = Vec::new();
    let mut rejected = Vec::new();
    let mut entries: Vec<(NewEntry, Option<String>)> = Vec::new();
    for (line, row) in &rows {
        bar.inc(1);
        let before = problems.len();
        let mut bad = |col: usize, reason: String| {
            problems.push(Problem {
                line: *line,
                column: table.headers[col].clone(),
                value: table.cell(row, col).to_string(),
                reason,
            })
        };
        let cell = |c: Option<usize>| c.map(|c| table.cell(row, c)).filter(|v| !v.is_empty());
        let account_text = table.cell(row, account_col);
        let account = accounts.find(account_text);
        if account.is_none() {
            bad(account_col, "unknown account (import the accounts first)".into());
        }
        let kind = EntryKind::from_key(&table.cell(row, kind_col).to_lowercase());
        if kind.is_none() {
            bad(kind_col, "not a kind of entry (sentiment, touch, nps, bug, risk)".into());
        }
        let day = parse_date(table.cell(row, date_col), order).map_err(|r| bad(date_col, r)).ok();
        let score = match (score_col, cell(score_col)) {
            (Some(c), Some(v)) => v.parse::<i64>().map_err(|_| bad(c, "not a whole number".into())).ok(),
            _ => None,
        };
        let channel = match (channel_col, cell(channel_col)) {
            (Some(c), Some(v)) => TouchChannel::from_key(&v.to_lowercase())
                .ok_or_else(|| bad(c, "not a touch (call, email, meeting, qbr, onsite)".into()))
                .ok(),
            _ => None,
        };
        let closed = match (closed_col, cell(closed_col)) {
            (Some(c), Some(v)) => parse_date(v, order).map_err(|r| bad(c, r)).ok(),
            _ => None,
        };
        if let (Some(account), Some(kind), Some(day)) = (account, kind, day) {
            let input = EntryInput {
                kind,
                day,
                score,
                channel,
                title: cell(title_col).map(str::to_string),
                closed_on: closed,
                note: cell(note_col).unwrap_or("").to_string(),
            };
            match input.validate(opts.today) {
                Ok(()) => entries.push((
                    NewEntry {
                        account_id: account,
                        csm_id: None,
                        kind,
                        day,
                        score: input.score,
                        channel: input.channel,
                        title: input.title.clone(),
                        closed_on: input.closed_on,
                        note: input.note.clone(),
                    },
                    cell(csm_col).map(str::to_string),
                )),
                Err(e) => problems.push(Problem {
                    line: *line,
                    column: e.field.into(),
                    value: String::new(),
                    reason: e.reason,
                }),
            }
        }
        if problems.len() > before {
            rejected.push(reject(row, &problems[before..]));
        }
    }
    bar.finish_and_clear();
    let mut report = checked("log entries", &name, &problems, rejected.len(), opts)?;
    let mut fresh = Vec::new();
    for (e, csm) in entries {
        if store.entry_exists(&e)? {
            report.unchanged += 1;
        } else {
            report.new += 1;
            fresh.push((e, csm));
        }
    }
    if opts.dry_run {
        return Ok(report);
    }
    let touched: HashSet<i64> = fresh.iter().map(|(e, _)| e.account_id).collect();
    store.write(|w| {
        for (mut e, csm) in fresh {
            e.csm_id = match csm {
                Some(name) => Some(w.csm_id(&name)?),
                None => w.account_csm(e.account_id)?,
            };
            w.insert_entry(&e)?;
        }
        for id in touched {
            w.invalidate_snapshots(id)?;
        }
        Ok(())
    })?;
    save_rejects(&mut report, source, &table.headers, &rejected, opts)?;
    Ok(report)
}
