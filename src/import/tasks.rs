//! `tend import tasks`: what `tend export tasks` writes, or a list of next steps from elsewhere.
//!
//! A task is keyed on its account, title and due day (or, a row no task has that day, the one
//! open task of that title on the account, moved): importing the same file twice adds
//! nothing, and a row whose task is in the book brings its status, closing day, owner and note.

use super::columns::FileKind;
use super::plans::{Context, NotYours, bad, date_cell, past_date_cell, repeated};
use super::table::{Source, open_table};
use super::values::{DateOrder, parse_date};
use super::{ImportError, ImportOptions, ImportReport, checked, reject, rejected_misshapen, save_rejects};
use crate::book::storage::Book;
use crate::domain::task::TaskStatus;
use crate::store::NewTask;

/// The headers a tasks file names its account by (beside `[import.columns]`' and the external
/// id's, `Table::account_column`).
const TASK_ACCOUNT: [&str; 9] = [
    "account",
    "account id",
    "external id",
    "account name",
    "company",
    "company name",
    "associated company",
    "related to",
    "customer",
];

pub fn import_tasks(
    book: &mut dyn Book,
    source: &Source,
    opts: &ImportOptions,
    configured: DateOrder,
    named_by: &[String],
) -> Result<ImportReport, ImportError> {
    let table = open_table(source)?;
    // An activity history (calls and meetings with their day, no status) would open every past
    // call as a task; a list of people is none either.
    if let Some(kind @ (FileKind::Activities | FileKind::Contacts)) = FileKind::of(&table.headers) {
        return Err(kind.refused(&table.source));
    }
    let c = Context::new(book, &table, &["due", "closed", "created"], configured)?;
    // Headed as `tend export tasks` writes them, or as a CRM's task export does (HubSpot's "Task
    // Title", "Assigned to", "Associated Company"; Salesforce's "Subject", "Due Date").
    let account = table.account_column(named_by, &TASK_ACCOUNT)?;
    let task = table.require("the task", &["task", "task title", "title", "subject", "task subject", "task name"])?;
    let due = table.require("the due day", &["due", "due date", "due on", "due day"])?;
    let status = table.column(&["status", "task status"]);
    let closed = table.column(&[
        "closed",
        "closed on",
        "closed date",
        "completed date",
        "completed at",
        "completion date",
        "date completed",
    ]);
    let owner = table.column(&["owner", "assigned to", "task owner", "assigned", "assignee"]);
    let playbook = table.column(&["playbook"]);
    let created = table.column(&["created", "created date", "create date", "created at"]);
    let note = table.column(&["note", "notes", "comments", "full comments", "description", "body", "task notes"]);
    let report_unread =
        table.unread(&[Some(account), Some(task), Some(due), status, closed, owner, playbook, created, note]);
    let csms: Vec<(i64, String)> = book.csms()?;
    let mut problems = Vec::new();
    let mut rejected = Vec::new();
    // (task, owner name)
    let mut planned: Vec<(NewTask, Option<String>)> = Vec::new();
    let mut not_yours = NotYours::default();
    // The line of each open task's row, by account, title and due day.
    let mut open_rows: std::collections::HashMap<(i64, String, chrono::NaiveDate), u64> =
        std::collections::HashMap::new();
    table.for_each_row(|line, row| {
        if rejected_misshapen(&table, line, row, &mut problems, &mut rejected) {
            return;
        }
        let before = problems.len();
        let cell = |i: Option<usize>| i.map(|i| table.cell(row, i).trim().to_string()).unwrap_or_default();
        let (id, theirs) = NotYours::account(&c.accounts, &mut problems, (&table, line, account, row));
        let title = table.cell(row, task).trim().to_string();
        if title.is_empty() {
            bad(&mut problems, &table, line, task, row, "a task needs its title");
        }
        let due_text = table.cell(row, due);
        let d = match due_text.trim().is_empty() || crate::import::values::says_no_value(due_text) {
            // Missing, not mistyped: said so ("not a date (use YYYY-MM-DD…)" read as a bad format).
            true => {
                bad(&mut problems, &table, line, due, row, "a task needs a due day");
                None
            }
            false => parse_date(due_text, c.order).map_err(|r| bad(&mut problems, &table, line, due, row, &r)).ok(),
        };
        let st = match cell(status).as_str() {
            "" => Some(TaskStatus::Open),
            text => TaskStatus::from_words(text).or_else(|| {
                let why = "not a task status (open, done, dropped; or Not Started, In Progress, Completed)";
                bad(&mut problems, &table, line, status.unwrap_or(0), row, why);
                None
            }),
        };
        // A row repeated in a file (the same open task: account, title and due day) opened two,
        // where `tend task add` refuses a second.
        if st == Some(TaskStatus::Open)
            && let (Some(id), Some(d)) = (id, d)
            && !title.is_empty()
            && let Some(first) = repeated(&mut open_rows, (id, title.clone(), d), line)
        {
            let why = format!("the open task of line {first} again (account, title and due day)");
            bad(&mut problems, &table, line, task, row, &why);
        }
        let closed_on = past_date_cell(&mut problems, (&table, line, row), closed, c.order, opts.today);
        if st == Some(TaskStatus::Open) && closed_on.is_some() {
            bad(&mut problems, &table, line, closed.unwrap_or(0), row, "an open task has no closing day");
        }
        let created_on = date_cell(&mut problems, &table, line, created, row, c.order).unwrap_or(opts.today);
        // The owner is a CSM of the book, by the one rule for names.
        // Spaced as the accounts import spaces an owner ("maya  patel" is Maya Patel).
        let owner_name = match Some(crate::text::single_spaced(&cell(owner))).filter(|o| !o.is_empty()) {
            Some(typed) => crate::book::resolve::resolve_name("CSM", &typed, csms.iter().map(|(_, n)| n.as_str()))
                .map(Some)
                .unwrap_or_else(|e| {
                    bad(&mut problems, &table, line, owner.unwrap_or(0), row, &e.to_string());
                    None
                }),
            None => None,
        };
        // The rules `tend task add` applies: a due day within reach.
        if let Some(d) = d.filter(|_| !title.trim().is_empty()) {
            let input = crate::domain::task::TaskInput {
                title: title.clone(),
                due: d,
                owner: None,
                note: String::new(),
                status: TaskStatus::Open,
                closed_on: None,
            };
            if let Err(e) = input.validate(opts.today) {
                bad(&mut problems, &table, line, due, row, &e.reason);
            }
        }
        if let (Some(id), Some(d), Some(st), true) = (id, d, st, problems.len() == before) {
            let owner = owner_name;
            if let Some(why) = theirs {
                not_yours.note(planned.len(), why, (&table, line, account, row));
            }
            planned.push((
                NewTask {
                    account_id: id,
                    owner_id: None,
                    title,
                    due: d,
                    status: st,
                    closed_on,
                    note: table.cell(row, note.unwrap_or(usize::MAX)).to_string(),
                    playbook: cell(playbook),
                    created_on,
                },
                owner,
            ));
        }
        if problems.len() > before {
            rejected.push(reject(row, &problems[before..]));
        }
    })?;
    let mut report = checked("tasks", &table.source, &problems, rejected.len(), opts)?;
    report.dates = c.dates.clone();
    report.named_loosely = c.accounts.named_loosely();
    report.columns_not_read = report_unread;
    let mut writes = Vec::new();
    // Two tasks may share account, title and due day (a playbook's second episode): each row takes
    // one not taken by an earlier row, the one written down the same day and in the same state
    // first.
    let mut taken: std::collections::HashSet<i64> = std::collections::HashSet::new();
    let had = book.tasks_of(&planned.iter().map(|(t, _)| t.account_id).collect::<Vec<_>>())?;
    let mut found: Vec<Option<&crate::store::TaskRecord>> = planned
        .iter()
        .map(|(t, _)| {
            let mut candidates: Vec<_> =
                titled(&had, t).into_iter().filter(|x| x.due == t.due && !taken.contains(&x.id)).collect();
            candidates.sort_by_key(|x| {
                (x.created_on != t.created_on, x.status != t.status, x.closed_on != t.closed_on, x.id)
            });
            let existing = candidates.into_iter().next();
            taken.extend(existing.map(|x| x.id));
            existing
        })
        .collect();
    // A row no task has that day, whose account has one open task of that title no other row
    // took: that task, due another day now (a CRM's task moved was added as a second one, the
    // first left open and late).
    for ((t, _), existing) in planned.iter().zip(found.iter_mut()) {
        if existing.is_some() {
            continue;
        }
        let mut open = titled(&had, t).into_iter().filter(|x| x.status == TaskStatus::Open && !taken.contains(&x.id));
        if let (Some(only), None) = (open.next(), open.next()) {
            taken.insert(only.id);
            *existing = Some(only);
        }
    }
    for (i, ((t, owner), existing)) in planned.into_iter().zip(found).enumerate() {
        match existing {
            // No owner in the row: the task keeps the one it has.
            Some(x)
                if x.status == t.status
                    && x.due == t.due
                    && x.closed_on == t.closed_on
                    && x.note == t.note
                    && owner.as_ref().is_none_or(|o| x.owner.as_ref() == Some(o)) =>
            {
                report.unchanged += 1
            }
            _ if not_yours.refused(i, &mut problems, &mut rejected) => {}
            None => {
                report.new += 1;
                writes.push((None, t, owner));
            }
            // No owner in the row: the task keeps the one it has.
            Some(x) => {
                report.updated += 1;
                writes.push((Some(x.id), t, owner.or_else(|| x.owner.clone())));
            }
        }
    }
    NotYours::finish(&mut problems, rejected.len(), &mut report, opts)?;
    if opts.dry_run {
        return Ok(report);
    }
    book.transact(&mut |w| {
        // Each owner named looked up once, the accounts' own CSMs in one go, the new tasks
        // written at once in the file's order.
        let unnamed: Vec<i64> = writes.iter().filter(|(_, _, o)| o.is_none()).map(|(_, t, _)| t.account_id).collect();
        let account_csms = w.account_csms(&unnamed)?;
        let mut named: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
        let (mut new, mut changed) = (Vec::new(), Vec::new());
        for (existing, t, owner) in &writes {
            let owner_id = match owner {
                Some(name) => Some(match named.get(name) {
                    Some(id) => *id,
                    None => {
                        let id = w.csm_id(name)?;
                        named.insert(name.clone(), id);
                        id
                    }
                }),
                None => account_csms.get(&t.account_id).copied().flatten(),
            };
            let t = NewTask { owner_id, ..t.clone() };
            match existing {
                Some(id) => changed.push((*id, t)),
                None => new.push(t),
            }
        }
        w.update_tasks(&changed)?;
        w.insert_tasks(&new)
    })?;
    save_rejects(&mut report, source, &table, &rejected, opts);
    Ok(report)
}

/// The account's tasks of the task's title, in the book.
fn titled<'h>(
    had: &'h std::collections::HashMap<i64, Vec<crate::store::TaskRecord>>,
    t: &NewTask,
) -> Vec<&'h crate::store::TaskRecord> {
    had.get(&t.account_id).into_iter().flatten().filter(|x| x.title == t.title).collect()
}
