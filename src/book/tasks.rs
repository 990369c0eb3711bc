//! Next steps: adding, changing, closing and deleting tasks. Each write is one transaction recorded
//! for undo, like a goal's, made through the storage seam: the same on a book file and a team book.

use chrono::NaiveDate;

use super::log::{LogError, Outcome, Result, SeamCtx};
use super::storage::{BookError, BookTxn};
use crate::domain::input::FieldError;
use crate::domain::task::{TaskInput, TaskStatus};
use crate::store::log::{ChangeAction, Entity};
use crate::store::{NewTask, TaskRecord};
use crate::text::clean;

/// The owner's CSM id: the one named, else the account's CSM.
fn owner_id(w: &mut dyn BookTxn, owner: Option<&str>, account_id: i64) -> std::result::Result<Option<i64>, BookError> {
    match owner {
        Some(name) => w.csm_id(name).map(Some),
        None => w.account_csm(account_id),
    }
}

fn new_task(account_id: i64, input: &TaskInput, created_on: NaiveDate, playbook: &str) -> NewTask {
    NewTask {
        account_id,
        owner_id: None,
        title: input.title.trim().to_string(),
        due: input.due,
        status: input.status,
        closed_on: input.closed_on,
        note: input.note.trim().to_string(),
        playbook: playbook.to_string(),
        created_on,
    }
}

/// Add a task to an account, for `input.owner` or the account's CSM.
pub fn add_task(ctx: &mut SeamCtx, account_id: i64, input: &TaskInput) -> Result<Outcome> {
    input.validate(ctx.today)?;
    let task = new_task(account_id, input, ctx.today, "");
    // The same next step twice is one step written twice (a key pressed again, a command run
    // twice): the second would be a task no title could tell apart from the first.
    let filter = crate::store::TaskFilter { account_id: Some(account_id), ..Default::default() };
    if let Some(open) = ctx.book.tasks(&filter)?.into_iter().find(|t| same_title(&t.title, &task.title)) {
        return Err(LogError::Refused(format!(
            "task {} (\"{}\") is already open on this account, {}: edit it, or mark it done, rather than add it again",
            open.id,
            clean(&open.title),
            crate::domain::task::due_phrase(open.due, ctx.today)
        )));
    }
    let owner = input.owner.clone();
    // Said only when it is not the account's own CSM.
    let own = ctx.book.account_csm_name(account_id)?;
    let for_whom = owner.as_deref().filter(|o| Some(*o) != own.as_deref()).map(|o| format!(", for {}", clean(o)));
    let what = format!(
        "task \"{}\" added, {}{}",
        clean(&task.title),
        crate::domain::task::due_phrase(task.due, ctx.today),
        for_whom.unwrap_or_default()
    );
    let result = ctx.record(account_id, &what, |w, rec| {
        let mut task = task;
        task.owner_id = owner_id(w, owner.as_deref(), account_id)?;
        let id = w.insert_task(&task)?;
        rec.record_in(w, Entity::Task, id, ChangeAction::Add, None, None)
    });
    said_refusal(ctx, result, account_id, None)
}

/// Two titles that say the same, whatever their case and spacing.
pub(super) fn same_title(a: &str, b: &str) -> bool {
    a.split_whitespace().map(str::to_lowercase).eq(b.split_whitespace().map(str::to_lowercase))
}

/// Change a task: its title, due day, owner, note, and status.
pub fn edit_task(ctx: &mut SeamCtx, task_id: i64, input: &TaskInput) -> Result<Outcome> {
    input.validate(ctx.today)?;
    let current = find(ctx, task_id)?;
    let task = new_task(current.account_id, input, current.created_on, &current.playbook);
    let unchanged = task.title == current.title
        && task.due == current.due
        && task.status == current.status
        && task.closed_on == current.closed_on
        && task.note == current.note
        && input.owner.as_ref().is_none_or(|o| current.owner.as_ref() == Some(o));
    if unchanged {
        return Err(LogError::Refused(format!("nothing to change: task \"{}\" is already so", clean(&current.title))));
    }
    let owner = input.owner.clone();
    let account_id = current.account_id;
    let what = match (input.status, input.closed_on) {
        (status, _) if status == current.status => format!("task \"{}\" edited", clean(&task.title)),
        (TaskStatus::Open, _) | (_, None) => format!("task \"{}\" {}", clean(&task.title), status_word(input.status)),
        (status, Some(day)) => {
            format!("task \"{}\" {} {}", clean(&task.title), status.key(), day.format("%a %Y-%m-%d"))
        }
    };
    let result = ctx.record(account_id, &what, |w, rec| {
        let before = w.row_json(Entity::Task, task_id)?;
        let mut task = task;
        task.owner_id = owner_id(w, owner.as_deref(), account_id)?;
        w.update_task(task_id, &task)?;
        rec.record_in(w, Entity::Task, task_id, ChangeAction::Edit, None, Some(&before))
    });
    said_refusal(ctx, result, account_id, Some(&current))
}

/// Mark a task done or dropped on `day`, or open again. Closing a closed task is refused with
/// the day it was closed, never a silent move.
pub fn set_task_status(ctx: &mut SeamCtx, task_id: i64, status: TaskStatus, day: NaiveDate) -> Result<Outcome> {
    if day > ctx.today {
        return Err(FieldError::new("date", format!("{day} is in the future (today is {})", ctx.today)).into());
    }
    let t = find(ctx, task_id)?;
    if t.status == status {
        let when = t.closed_on.map(|d| format!(" on {}", d.format("%a %Y-%m-%d"))).unwrap_or_default();
        return Err(LogError::Refused(format!(
            "task {task_id} (\"{}\") is already {}{when}",
            clean(&t.title),
            status.key()
        )));
    }
    if status != TaskStatus::Open && day < t.created_on {
        return Err(
            FieldError::new("date", format!("{day} is before the task was written down ({})", t.created_on)).into()
        );
    }
    let what = match status {
        TaskStatus::Open => format!("task \"{}\" {}", clean(&t.title), status_word(status)),
        closed => format!("task \"{}\" {} {}", clean(&t.title), closed.key(), day.format("%a %Y-%m-%d")),
    };
    let closed_on = (status != TaskStatus::Open).then_some(day);
    let result = ctx.record(t.account_id, &what, |w, rec| {
        let before = w.row_json(Entity::Task, task_id)?;
        w.set_task_status(task_id, status, closed_on)?;
        rec.record_in(w, Entity::Task, task_id, ChangeAction::Edit, None, Some(&before))
    });
    said_refusal(ctx, result, t.account_id, Some(&t))
}

/// Close a task with a note on why or how, added under its own note.
pub fn close_with_note(
    ctx: &mut SeamCtx,
    task_id: i64,
    status: TaskStatus,
    day: NaiveDate,
    note: &str,
) -> Result<Outcome> {
    let t = find(ctx, task_id)?;
    if t.status == status {
        return set_task_status(ctx, task_id, status, day);
    }
    let note = match t.note.trim() {
        "" => note.trim().to_string(),
        old => format!("{old}\n{}", note.trim()),
    };
    let input = TaskInput { title: t.title, due: t.due, owner: t.owner, note, status, closed_on: Some(day) };
    if day < t.created_on {
        return Err(
            FieldError::new("date", format!("{day} is before the task was written down ({})", t.created_on)).into()
        );
    }
    edit_task(ctx, task_id, &input)
}

fn status_word(status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::Open => "open again",
        other => other.key(),
    }
}

/// Delete a task (kept for undo).
pub fn delete_task(ctx: &mut SeamCtx, task_id: i64) -> Result<Outcome> {
    let t = find(ctx, task_id)?;
    let result = ctx.record(t.account_id, &format!("task \"{}\" deleted", clean(&t.title)), |w, rec| {
        let before = w.row_json(Entity::Task, task_id)?;
        w.soft_delete(Entity::Task, task_id)?;
        rec.record_in(w, Entity::Task, task_id, ChangeAction::Delete, None, Some(&before))
    });
    said_refusal(ctx, result, t.account_id, Some(&t))
}

/// A write the book's rules refused (another CSM's account, on a team book), said in the words of
/// the task at hand: whose account it is, whom the task is for, and what the writer may do.
fn said_refusal(ctx: &SeamCtx, result: Result<Outcome>, account_id: i64, task: Option<&TaskRecord>) -> Result<Outcome> {
    let Err(LogError::NotPermitted(_)) = &result else { return result };
    let whose = super::log::whose_account(&*ctx.book, account_id)?;
    Err(LogError::Refused(match task {
        None => {
            let instead = ctx.signer.as_deref().map(|me| format!(", or for themselves (--owner \"{}\")", clean(me)));
            format!(
                "{whose}: a CSM adds tasks only on their own accounts{}; nothing was changed",
                instead.unwrap_or_default()
            )
        }
        Some(t) => format!(
            "task {} (\"{}\") is not yours to change: {whose}, and the task is for {}; a CSM changes only the \
             tasks on their own accounts and those for themselves; nothing was changed",
            t.id,
            clean(&t.title),
            t.owner.as_deref().map_or_else(|| "no one".to_string(), clean)
        ),
    }))
}

fn find(ctx: &SeamCtx, task_id: i64) -> Result<TaskRecord> {
    ctx.book.task(task_id)?.ok_or(LogError::NotFound { entity: "task", id: task_id })
}
