//! `tend task`: next steps from the command line, the same writes as `T` and `x` in the TUI.

use chrono::NaiveDate;
use color_eyre::Result;
use color_eyre::eyre::{bail, eyre};

use super::log::{day_or, known_signer, named, seam_ctx, signer};
use super::{Format, TaskCommand};
use crate::book::log::Outcome;
use crate::book::resolve::{resolve_account, resolve_name};
use crate::book::storage::{Book, BookRead};
use crate::book::tasks;
use crate::config::Config;
use crate::domain::input::parse_day;
use crate::domain::task::{TaskInput, TaskStatus, due_in};
use crate::rows;
use crate::store::TaskFilter;
use crate::store::log::Named;
use crate::text::clean;

/// Run a task command, on a book file or a team book; a list prints itself and returns None.
pub fn run(
    action: TaskCommand,
    store: &mut dyn Book,
    config: &Config,
    session: &str,
    today: NaiveDate,
) -> Result<Option<Outcome>> {
    let outcome = match action {
        TaskCommand::Add { account, title, due, owner, note, by } => {
            let owner = owner.map(|o| csm(&*store, config, "--owner", &o)).transpose()?;
            let input = TaskInput {
                title,
                due: parse_day("due", &due, today)?,
                owner,
                note,
                status: TaskStatus::Open,
                closed_on: None,
            };
            input.validate(today)?;
            let account_id = resolve_account(&*store, &account)?;
            let by = known_signer(&*store, &by)?;
            tasks::add_task(&mut seam_ctx(store, config, session, today, by.as_deref())?, account_id, &input)?
        }
        TaskCommand::Done { named: n, logged } => close(store, config, session, today, &n, &logged, TaskStatus::Done)?,
        TaskCommand::Drop { named: n, logged } => {
            close(store, config, session, today, &n, &logged, TaskStatus::Dropped)?
        }
        TaskCommand::Reopen { named: n } => {
            let id = task_named(&*store, config, &n, Some(false))?;
            tasks::set_task_status(&mut seam_ctx(store, config, session, today, None)?, id, TaskStatus::Open, today)?
        }
        TaskCommand::Delete { named: n } => {
            let id = task_named(&*store, config, &n, None)?;
            tasks::delete_task(&mut seam_ctx(store, config, session, today, None)?, id)?
        }
        TaskCommand::List { account, mine, owner, due_within, all, format } => {
            list(
                &*store,
                config,
                account.as_deref(),
                mine,
                owner.as_deref(),
                due_within.as_deref(),
                all,
                format,
                today,
            )?;
            return Ok(None);
        }
    };
    Ok(Some(outcome))
}

/// The task an argument names; where its words fit several, the one of them the command can act
/// on (`open`: Some(true) an open task to close, Some(false) a closed one to reopen, None any
/// to delete), or of those exactly one yours (`me`): "Send the renewal quote" is a playbook's
/// task on many accounts, and the one for you is the one you mean (a probe's `task done` took the one it had closed the day before, not one of
/// the two still open).
fn task_named(store: &dyn Book, config: &Config, n: &super::TaskNamed, open: Option<bool>) -> Result<i64> {
    let fits = |t: &crate::store::TaskRecord| open.is_none_or(|o| (t.status == TaskStatus::Open) == o);
    let err = match named(store, Named::Task, &n.task, n.account.as_deref()) {
        Ok(id) => return Ok(id),
        Err(e) => e,
    };
    let account_id = n.account.as_deref().map(|a| resolve_account(store, a)).transpose()?;
    let mut candidates = Vec::new();
    for id in crate::book::resolve::named_candidates(store, Named::Task, &n.task, account_id)? {
        candidates.extend(store.task(id)?);
    }
    let fitting: Vec<&crate::store::TaskRecord> = candidates.iter().filter(|t| fits(t)).collect();
    if let [one] = fitting.as_slice() {
        return Ok(one.id);
    }
    if let Some(me) = config.me()
        && let Ok(me) = crate::book::resolve::signing_csm(&store.csms()?, me)
        && let [one] = fitting.iter().filter(|t| t.owner.as_deref() == Some(me.as_str())).collect::<Vec<_>>().as_slice()
    {
        return Ok(one.id);
    }
    // Several the words fit: those the command can act on, named (a probe's list mixed the one
    // done in with the open ones, unmarked); none it can act on: said so.
    let words = clean(&n.task);
    let listed = |tasks: &[&crate::store::TaskRecord]| -> String {
        let shown: Vec<String> = tasks
            .iter()
            .take(8)
            .map(|t| format!("{} \"{}\" ({}, {})", t.id, clean(&t.title), clean(&t.account), t.status.key()))
            .collect();
        crate::text::listed(&shown, tasks.len())
    };
    let state = match open {
        Some(true) => "open",
        Some(false) => "closed",
        None => return Err(err),
    };
    match (candidates.len(), fitting.len()) {
        (0 | 1, _) => Err(err),
        (_, 0) => bail!(
            "no {state} task is called \"{words}\": {}; nothing was changed",
            listed(&candidates.iter().collect::<Vec<_>>())
        ),
        _ => {
            let accounts: std::collections::HashSet<i64> = fitting.iter().map(|t| t.account_id).collect();
            let how = if accounts.len() > 1 && n.account.is_none() { "its id, or --account ACCOUNT" } else { "its id" };
            bail!(
                "\"{words}\" could be {} {state} tasks: {}; give {how}: nothing was changed",
                fitting.len(),
                listed(&fitting)
            )
        }
    }
}

/// Mark a task done or dropped on `--date`; a note is added to the task's own.
fn close(
    store: &mut dyn Book,
    config: &Config,
    session: &str,
    today: NaiveDate,
    n: &super::TaskNamed,
    logged: &super::Logged,
    status: TaskStatus,
) -> Result<Outcome> {
    let id = task_named(&*store, config, n, Some(true))?;
    let day = day_or(today, "date", logged.date.as_deref())?;
    let by = signer(&*store, &logged.signed.by, logged.signed.new_csm)?;
    let mut ctx = seam_ctx(store, config, session, today, by.as_deref())?;
    if logged.note.trim().is_empty() {
        return Ok(tasks::set_task_status(&mut ctx, id, status, day)?);
    }
    Ok(tasks::close_with_note(&mut ctx, id, status, day, &logged.note)?)
}

/// A CSM of the book by the one rule for names.
fn csm(store: &(impl BookRead + ?Sized), config: &Config, option: &str, name: &str) -> Result<String> {
    // `me` is the reader, as `--csm me` of the reports is (a probe's `--owner me` was "no CSM is
    // called me").
    let name = match name.trim().eq_ignore_ascii_case("me") {
        true => super::me_as(option, store.signed_in_csm()?.as_deref().or(config.me()), "")?,
        false => name.to_string(),
    };
    let csms = store.csms()?;
    resolve_name("CSM", &name, csms.iter().map(|(_, n)| n.as_str())).map_err(|e| eyre!("{option}: {e}"))
}

/// "7", "7d", "2w": a number of days.
fn days_within(text: &str) -> Result<i64> {
    let t = text.trim().to_lowercase();
    let (number, unit) = match t.strip_suffix('w') {
        Some(n) => (n, 7),
        None => (t.strip_suffix('d').unwrap_or(&t), 1),
    };
    match number.trim().parse::<i64>() {
        Ok(n) if (0..=3650).contains(&n) => Ok(n * unit),
        _ => bail!("--due-within: \"{}\" is not a number of days: write 7, 7d or 2w (0 is today)", clean(text)),
    }
}

/// `tend task list`, on a book file or a team book.
#[allow(clippy::too_many_arguments)]
pub fn list(
    store: &(impl BookRead + ?Sized),
    config: &Config,
    account: Option<&str>,
    mine: bool,
    owner: Option<&str>,
    due_within: Option<&str>,
    all: bool,
    format: Format,
    today: NaiveDate,
) -> Result<()> {
    let owner = match (mine, owner) {
        // On a team book, the CSM the member signed in as.
        (true, _) if let Some(me) = store.signed_in_csm()? => Some(me),
        // `me` by the one rule for names, as --owner: a name the book does not have is said.
        (true, _) => Some(csm(
            store,
            config,
            "--mine (`me` in the config)",
            config.me().ok_or_else(|| eyre!("--mine needs `me = \"Your Name\"` in the config; or --owner NAME"))?,
        )?),
        (false, Some(name)) => Some(csm(store, config, "--owner", name)?),
        (false, None) => None,
    };
    let filter = TaskFilter {
        account_id: account.map(|a| resolve_account(store, a)).transpose()?,
        owner,
        due_by: due_within.map(days_within).transpose()?.map(|d| today + chrono::Duration::days(d)),
        all,
    };
    let apart = crate::book::names::told_apart_names(store)?;
    let list: Vec<Vec<_>> = store
        .tasks(&filter)?
        .into_iter()
        .map(|t| {
            let when = match t.status {
                // A churned account's task is no longer due: "3 days late" sent CSMs after it.
                TaskStatus::Open if t.account_churned => "account churned: drop it".to_string(),
                TaskStatus::Open => due_in(t.due, today),
                closed => format!("{} {}", closed.key(), t.closed_on.map(|d| d.to_string()).unwrap_or_default()),
            };
            vec![
                rows::number("id", Some(t.id)),
                rows::text("account", Some(apart.get(&t.account_id).unwrap_or(&t.account))),
                rows::text("due", Some(t.due)),
                rows::text("status", Some(t.status.key())),
                rows::text("when", Some(when)),
                rows::text("owner", t.owner.as_ref()),
                rows::text("task", Some(&t.title)),
                rows::text("playbook", (!t.playbook.is_empty()).then_some(&t.playbook)),
            ]
        })
        .collect();
    Ok(rows::print_list(
        format,
        &["id", "account", "due", "status", "when", "owner", "task", "playbook"],
        &list,
        if all { "no tasks" } else { "no open tasks" },
    )?)
}
