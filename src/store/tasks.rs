//! Tasks: reading an account's or the book's, the counts triage reads, and writing them.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::params;

use super::writer::Writer;
use super::{Result, Store};
use crate::domain::task::TaskStatus;

#[derive(Clone, Debug, PartialEq)]
pub struct TaskRecord {
    pub id: i64,
    pub account_id: i64,
    pub account: String,
    /// The account's external id (what exports and imports name it by).
    pub external_id: String,
    pub title: String,
    pub due: NaiveDate,
    pub status: TaskStatus,
    pub closed_on: Option<NaiveDate>,
    pub note: String,
    /// The CSM it is for (None: nobody; the account had no CSM).
    pub owner: Option<String>,
    /// The playbook that opened it; empty when typed.
    pub playbook: String,
    pub created_on: NaiveDate,
    /// The account has churned: an open task there is no longer due (not "late").
    pub account_churned: bool,
}

impl TaskRecord {
    /// The task as it is, to write back with `owner_id` its owner.
    pub fn as_new(&self, owner_id: Option<i64>) -> NewTask {
        NewTask {
            account_id: self.account_id,
            owner_id,
            title: self.title.clone(),
            due: self.due,
            status: self.status,
            closed_on: self.closed_on,
            note: self.note.clone(),
            playbook: self.playbook.clone(),
            created_on: self.created_on,
        }
    }
}

/// A task to insert or to change to.
#[derive(Clone, Debug, PartialEq)]
pub struct NewTask {
    pub account_id: i64,
    pub owner_id: Option<i64>,
    pub title: String,
    pub due: NaiveDate,
    pub status: TaskStatus,
    pub closed_on: Option<NaiveDate>,
    pub note: String,
    pub playbook: String,
    pub created_on: NaiveDate,
}

/// Which tasks a list shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskFilter {
    pub account_id: Option<i64>,
    /// Only this CSM's: those they own, and those nobody owns on their accounts (theirs to see
    /// to, as the Team view counts them late).
    pub owner: Option<String>,
    /// Only open tasks due on or before this day (overdue ones included).
    pub due_by: Option<NaiveDate>,
    /// Done and dropped ones too.
    pub all: bool,
}

/// Open tasks of one account on a day: how many are late, and how many are due that day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TasksDue {
    pub overdue: u32,
    pub today: u32,
}

impl TasksDue {
    pub fn any(self) -> bool {
        self.overdue + self.today > 0
    }
}

const TASK_SELECT: &str = "SELECT t.id, t.account_id, a.name, t.title, t.due, t.status, t.closed_on, t.note,
        o.name, t.playbook, t.created_on, a.external_id, a.status = 'churned'
     FROM tasks t JOIN accounts a ON a.id = t.account_id LEFT JOIN csms o ON o.id = t.owner_id
     WHERE t.deleted_at IS NULL";

fn task_record(r: &rusqlite::Row) -> rusqlite::Result<TaskRecord> {
    let status: String = r.get(5)?;
    Ok(TaskRecord {
        id: r.get(0)?,
        account_id: r.get(1)?,
        account: r.get(2)?,
        title: r.get(3)?,
        due: r.get(4)?,
        status: TaskStatus::from_key(&status).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                5,
                rusqlite::types::Type::Text,
                format!("unknown task status \"{status}\"").into(),
            )
        })?,
        closed_on: r.get(6)?,
        note: r.get(7)?,
        owner: r.get(8)?,
        playbook: r.get(9)?,
        created_on: r.get(10)?,
        external_id: r.get(11)?,
        account_churned: r.get(12)?,
    })
}

const DUE_COUNTS: &str = "SELECT account_id, sum(due < ?1), sum(due = ?1) FROM tasks
     WHERE status = 'open' AND deleted_at IS NULL AND due <= ?1";

impl Store {
    /// An account's tasks: open ones by due day first, then the closed ones, newest first.
    pub fn tasks_for(&self, account_id: i64) -> Result<Vec<TaskRecord>> {
        self.tasks(&TaskFilter { account_id: Some(account_id), all: true, ..Default::default() })
    }

    pub fn task(&self, id: i64) -> Result<Option<TaskRecord>> {
        Ok(self.query_list(&format!("{TASK_SELECT} AND t.id = ?1"), [id], task_record)?.pop())
    }

    /// The tasks a filter picks: open ones by due day, then (with `all`) the closed ones.
    pub fn tasks(&self, f: &TaskFilter) -> Result<Vec<TaskRecord>> {
        // An account's tasks through its index: "?1 IS NULL OR …" read every task of the book
        // for each account (an import of 20,000 changed tasks took 16 s).
        let account = if f.account_id.is_some() { "t.account_id = ?1" } else { "?1 IS NULL" };
        let sql = format!(
            "{TASK_SELECT} AND {account}
               AND (?2 IS NULL OR o.name = ?2 OR (t.owner_id IS NULL AND (SELECT name FROM csms WHERE id = a.csm_id) = ?2))
               AND (?3 IS NULL OR (t.status = 'open' AND t.due <= ?3)) AND (?4 OR t.status = 'open')
             ORDER BY t.status <> 'open', CASE WHEN t.status = 'open' THEN t.due END, t.closed_on DESC, t.id"
        );
        self.query_list(&sql, params![f.account_id, f.owner, f.due_by, f.all], task_record)
    }

    /// Open tasks due by `today`, per account: late, and due that day.
    pub fn tasks_due(&self, today: NaiveDate) -> Result<HashMap<i64, TasksDue>> {
        let rows: Vec<(i64, u32, u32)> =
            self.query_list(&format!("{DUE_COUNTS} GROUP BY account_id"), [today], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        Ok(rows.into_iter().map(|(id, overdue, today)| (id, TasksDue { overdue, today })).collect())
    }

    /// Open tasks late on `today`, per owner (by name; accounts' CSMs or not). A task nobody owns
    /// is the account's CSM's to see to, and one on an account without a CSM is under "" (the
    /// unassigned accounts'): a late task is counted somewhere. Not a churned account's: it is
    /// no longer due (a probe's renewal paperwork on two accounts churned since counted late).
    pub fn late_tasks_by_owner(&self, today: NaiveDate) -> Result<HashMap<String, u32>> {
        let rows: Vec<(String, u32)> = self.query_list(
            "SELECT coalesce(o.name, c.name, ''), count(*) FROM tasks t
             JOIN accounts a ON a.id = t.account_id AND a.status <> 'churned'
             LEFT JOIN csms o ON o.id = t.owner_id
             LEFT JOIN csms c ON c.id = a.csm_id AND t.owner_id IS NULL
             WHERE t.status = 'open' AND t.deleted_at IS NULL AND t.due < ?1 GROUP BY 1",
            [today],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(rows.into_iter().collect())
    }

    /// The same counts for one account (after a write).
    pub fn account_tasks_due(&self, account_id: i64, today: NaiveDate) -> Result<TasksDue> {
        let rows: Vec<(u32, u32)> = self.query_list(
            &format!("{DUE_COUNTS} AND account_id = ?2 GROUP BY account_id"),
            params![today, account_id],
            |r| Ok((r.get(1)?, r.get(2)?)),
        )?;
        Ok(rows
            .first()
            .map_or_else(TasksDue::default, |(overdue, today)| TasksDue { overdue: *overdue, today: *today }))
    }
}

impl Writer<'_> {
    /// An account moved from one CSM to another (an import's): the open tasks the CSM it moved
    /// from owned there go to the other, as a hand-over's do. How many.
    pub fn move_open_tasks(&mut self, account_id: i64, from: i64, to: i64) -> Result<usize> {
        self.tx()
            .prepare_cached(
                "UPDATE tasks SET owner_id = ?3 WHERE account_id = ?1 AND owner_id = ?2 AND status = 'open' \
                 AND deleted_at IS NULL",
            )
            .and_then(|mut s| s.execute(params![account_id, from, to]))
            .map_err(|e| self.store_err(e))
    }

    pub fn insert_task(&mut self, t: &NewTask) -> Result<i64> {
        self.exec(
            "INSERT INTO tasks (account_id, csm_id, owner_id, title, due, status, closed_on, note, playbook, created_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                t.account_id,
                self.signer(),
                t.owner_id,
                t.title,
                t.due,
                t.status.key(),
                t.closed_on,
                t.note,
                t.playbook,
                t.created_on
            ],
        )?;
        Ok(self.tx().last_insert_rowid())
    }

    /// Change a task's title, due day, owner, status and note (where it came from stays).
    pub fn update_task(&mut self, id: i64, t: &NewTask) -> Result<()> {
        self.exec(
            "UPDATE tasks SET owner_id = ?2, title = ?3, due = ?4, status = ?5, closed_on = ?6, note = ?7 WHERE id = ?1",
            params![id, t.owner_id, t.title, t.due, t.status.key(), t.closed_on, t.note],
        )
    }

    pub fn set_task_status(&mut self, id: i64, status: TaskStatus, closed_on: Option<NaiveDate>) -> Result<()> {
        self.exec("UPDATE tasks SET status = ?2, closed_on = ?3 WHERE id = ?1", params![id, status.key(), closed_on])
    }
}
