//! The team book's side of `book::storage::BookRead`: the same answers as the SQLite book's,
//! in PostgreSQL's dialect (text ordered by bytes, `COLLATE "C"`, as SQLite orders it; empty
//! values placed where SQLite places them).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{TeamBook, TeamError, detail};
use crate::book::storage::{BookError, BookRead};
use crate::domain::contact::{ContactRole, ContactStatus};
use crate::domain::goal::{GoalStatus, OwnerSide};
use crate::domain::task::TaskStatus;
use crate::domain::{AccountFacts, Catalog};
use crate::store::contacts::ContactRecord;
use crate::store::log::{ChangeAction, ChangeRecord, Entity, GoalStatusRecord, Named, UndoableBatch};
use crate::store::{GoalRecord, MilestoneRecord, TaskFilter, TaskRecord};

impl TeamBook {
    pub(crate) fn rows(
        &self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>, BookError> {
        self.client.borrow_mut().query(sql, params).map_err(|e| self.book_error(&e))
    }

    fn book_error(&self, e: &postgres::Error) -> BookError {
        BookError::Team(TeamError::Database { url: self.url.clone(), detail: detail(e) })
    }

    pub(crate) fn bad_value(&self, what: String) -> BookError {
        BookError::Team(TeamError::Database { url: self.url.clone(), detail: what })
    }

    /// Contacts, as the SQLite book's `CONTACT_SELECT` reads them, narrowed and ordered by `rest`.
    fn contacts(
        &self,
        rest: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<ContactRecord>, BookError> {
        let rows = self.rows(
            &format!(
                "SELECT c.id, c.account_id, a.external_id, c.name, c.title, c.email, c.role, c.status,
                        c.left_on, c.note, c.created_on, a.name
                 FROM contacts c JOIN accounts a ON a.id = c.account_id WHERE c.deleted_at IS NULL {rest}"
            ),
            params,
        )?;
        rows.iter()
            .map(|r| {
                let (role, status): (&str, &str) = (r.get(6), r.get(7));
                Ok(ContactRecord {
                    id: r.get(0),
                    account_id: r.get(1),
                    external_id: r.get(2),
                    name: r.get(3),
                    title: r.get(4),
                    email: r.get(5),
                    role: ContactRole::from_key(role),
                    status: ContactStatus::from_key(status).unwrap_or(ContactStatus::Active),
                    left_on: self.day_or_none(r.get(8))?,
                    note: r.get(9),
                    created_on: self.day(r.get(10))?,
                    account: r.get(11),
                })
            })
            .collect()
    }

    /// Tasks not deleted, as the SQLite book's `TASK_SELECT` reads them, narrowed and ordered by
    /// `rest`.
    fn task_rows(
        &self,
        rest: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<TaskRecord>, BookError> {
        let rows = self.rows(
            &format!(
                "SELECT t.id, t.account_id, a.name, t.title, t.due, t.status, t.closed_on, t.note,
                        o.name, t.playbook, t.created_on, a.external_id, a.status = 'churned'
                 FROM tasks t JOIN accounts a ON a.id = t.account_id LEFT JOIN csms o ON o.id = t.owner_id
                 WHERE t.deleted_at IS NULL {rest}"
            ),
            params,
        )?;
        rows.iter()
            .map(|r| {
                let status: String = r.get(5);
                Ok(TaskRecord {
                    id: r.get(0),
                    account_id: r.get(1),
                    account: r.get(2),
                    title: r.get(3),
                    due: self.day(r.get(4))?,
                    status: TaskStatus::from_key(&status)
                        .ok_or_else(|| self.bad_value(format!("unknown task status \"{status}\"")))?,
                    closed_on: r.get::<_, Option<&str>>(6).map(|d| self.day(d)).transpose()?,
                    note: r.get(7),
                    owner: r.get(8),
                    playbook: r.get(9),
                    created_on: self.day(r.get(10))?,
                    external_id: r.get(11),
                    account_churned: r.get(12),
                })
            })
            .collect()
    }

    pub(crate) fn day_or_none(&self, text: Option<&str>) -> Result<Option<NaiveDate>, BookError> {
        text.map(|t| self.day(t)).transpose()
    }

    /// The milestones (written, and planned by a journey: the `milestones` view) `clause` (which
    /// reads `params`) picks, in its order, unless deleted.
    fn milestones(
        &self,
        clause: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<MilestoneRecord>, BookError> {
        let rows = self.rows(
            &format!(
                "SELECT m.id, m.account_id, m.journey, m.name, m.due, m.done, m.note, c.name
                 FROM milestones m LEFT JOIN csms c ON c.id = m.csm_id WHERE m.deleted_at IS NULL {clause}"
            ),
            params,
        )?;
        rows.iter()
            .map(|r| {
                Ok(MilestoneRecord {
                    id: r.get(0),
                    account_id: r.get(1),
                    journey: r.get(2),
                    name: r.get(3),
                    due: self.day(r.get(4))?,
                    done: self.day_or_none(r.get(5))?,
                    note: r.get(6),
                    csm: r.get(7),
                })
            })
            .collect()
    }

    /// The goals `clause` picks (and orders), each with its changes of status: two reads
    /// whatever their number.
    fn goals(
        &self,
        clause: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<GoalRecord>, BookError> {
        let rows = self.rows(
            &format!(
                "SELECT g.id, g.account_id, g.words, g.measure, g.target_date, g.owner_side, g.status, g.created_on, c.name
                 FROM goals g LEFT JOIN csms c ON c.id = g.csm_id WHERE g.deleted_at IS NULL {clause}"
            ),
            params,
        )?;
        let ids: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
        let mut histories: HashMap<i64, Vec<GoalStatusRecord>> = HashMap::new();
        let changes = self.rows(
            "SELECT s.goal_id, s.day, s.status, s.note, c.name FROM goal_status_changes s
             LEFT JOIN csms c ON c.id = s.csm_id WHERE s.goal_id = ANY($1) ORDER BY s.goal_id, s.day COLLATE \"C\", s.id",
            &[&ids],
        )?;
        for h in &changes {
            let status: &str = h.get(2);
            histories.entry(h.get(0)).or_default().push(GoalStatusRecord {
                day: self.day(h.get(1))?,
                status: GoalStatus::from_key(status)
                    .ok_or_else(|| self.bad_value(format!("unknown goal status \"{status}\"")))?,
                note: h.get(3),
                csm: h.get(4),
            });
        }
        let mut goals = Vec::with_capacity(rows.len());
        for r in &rows {
            let (owner, status): (&str, &str) = (r.get(5), r.get(6));
            let id: i64 = r.get(0);
            goals.push(GoalRecord {
                id,
                account_id: r.get(1),
                words: r.get(2),
                measure: r.get(3),
                target_date: self.day_or_none(r.get(4))?,
                owner: OwnerSide::from_key(owner)
                    .ok_or_else(|| self.bad_value(format!("unknown owner side \"{owner}\"")))?,
                status: GoalStatus::from_key(status)
                    .ok_or_else(|| self.bad_value(format!("unknown goal status \"{status}\"")))?,
                created_on: self.day(r.get(7))?,
                csm: r.get(8),
                history: histories.remove(&id).unwrap_or_default(),
            });
        }
        Ok(goals)
    }

    pub(crate) fn day(&self, text: &str) -> Result<NaiveDate, BookError> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| self.bad_value(format!("\"{text}\" is not a day")))
    }
}

/// Records grouped by the account each is about, each account's in the order read.
/// An account's contacts in the order the book file lists them: active first, by role, by name.
const CONTACTS_ORDER: &str = "c.status <> 'active', CASE c.role WHEN 'champion' THEN 0 WHEN 'executive_sponsor' THEN 1
    WHEN 'decision_maker' THEN 2 WHEN 'user' THEN 3 WHEN 'detractor' THEN 4 ELSE 5 END, c.name COLLATE \"C\", c.id";

/// Tasks in the order the book file lists them: open ones by due day, then the closed, newest first.
const TASKS_ORDER: &str = "t.status <> 'open', CASE WHEN t.status = 'open' THEN t.due END COLLATE \"C\" NULLS FIRST,
    t.closed_on COLLATE \"C\" DESC NULLS LAST, t.id";

fn by_account<T>(records: Vec<T>, account: impl Fn(&T) -> i64) -> HashMap<i64, Vec<T>> {
    let mut all: HashMap<i64, Vec<T>> = HashMap::new();
    for record in records {
        all.entry(account(&record)).or_default().push(record);
    }
    all
}

/// A segment input (1-4) as the SQLite book reads it; anything else is no input.
pub(super) fn segment_input(value: Option<i64>) -> Option<u8> {
    value.and_then(|v| u8::try_from(v).ok())
}

/// `column` with its ASCII letters in lower case, and no other (as SQLite folds case).
pub(super) fn ascii_lower(column: &str) -> String {
    format!("translate({column}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')")
}

impl BookRead for TeamBook {
    fn find_accounts(&self, query: &str, limit: usize) -> Result<Vec<(i64, String, String)>, BookError> {
        let read = |rows: Vec<postgres::Row>| rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect::<Vec<_>>();
        let exact = read(self.rows("SELECT id, external_id, name FROM accounts WHERE external_id = $1", &[&query])?);
        if !exact.is_empty() {
            return Ok(exact);
        }
        // An external id in another case, then a name's start in any case: as SQLite's NOCASE and
        // LIKE, which fold ASCII letters only.
        let folded = query.to_ascii_lowercase();
        let any_case = read(self.rows(
            &format!("SELECT id, external_id, name FROM accounts WHERE {} = $1 LIMIT 2", ascii_lower("external_id")),
            &[&folded],
        )?);
        if let [hit] = any_case.as_slice() {
            return Ok(vec![hit.clone()]);
        }
        let pattern = crate::store::like_prefix(&folded);
        Ok(read(self.rows(
            &format!(
                "SELECT id, external_id, name FROM accounts WHERE {} LIKE $1 ESCAPE '\\'
                 ORDER BY name COLLATE \"C\" LIMIT $2",
                ascii_lower("name")
            ),
            &[&pattern, &(limit as i64)],
        )?))
    }

    fn account_count(&self) -> Result<usize, BookError> {
        let n: i64 = self.rows("SELECT count(*) FROM accounts", &[])?[0].get(0);
        Ok(n as usize)
    }

    fn account_names(&self) -> Result<Vec<(i64, String)>, BookError> {
        let rows = self.rows("SELECT id, name FROM accounts ORDER BY name COLLATE \"C\", id", &[])?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn csms(&self) -> Result<Vec<(i64, String)>, BookError> {
        let rows = self.rows("SELECT id, name FROM csms ORDER BY id", &[])?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn accounts_owned_by(&self, csm_id: i64) -> Result<Vec<i64>, BookError> {
        let rows = self.rows("SELECT id FROM accounts WHERE csm_id = $1 ORDER BY id", &[&csm_id])?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn account_name(&self, id: i64) -> Result<String, BookError> {
        let rows = self.rows("SELECT name FROM accounts WHERE id = $1", &[&id])?;
        rows.first().map(|r| r.get(0)).ok_or_else(|| self.bad_value(format!("no account {id}")))
    }

    fn member_kind(&self) -> Result<Option<String>, BookError> {
        let rows = self.rows("SELECT kind FROM team_members WHERE role_name = current_user", &[])?;
        Ok(rows.first().map(|r| r.get(0)))
    }

    fn accounts_not_mine(&self) -> Result<Vec<(i64, String, Option<String>)>, BookError> {
        // The database's own rule (`tend_owns`), asked of a CSM only: a lead and an importer
        // write everywhere.
        let rows = self.rows(
            "SELECT a.id, a.name, c.name FROM accounts a LEFT JOIN csms c ON c.id = a.csm_id
             WHERE (SELECT kind FROM team_members WHERE role_name = current_user) = 'csm' AND NOT tend_owns(a.id)
             ORDER BY a.id",
            &[],
        )?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
    }

    fn signed_in_csm(&self) -> Result<Option<String>, BookError> {
        let rows = self.rows(
            "SELECT c.name FROM team_members m JOIN csms c ON c.id = m.csm_id WHERE m.role_name = current_user",
            &[],
        )?;
        Ok(rows.first().map(|r| r.get(0)))
    }

    fn external_ids(&self) -> Result<Vec<(i64, String)>, BookError> {
        let rows = self.rows("SELECT id, external_id FROM accounts ORDER BY id", &[])?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn churned_ids(&self) -> Result<Vec<(i64, Option<chrono::NaiveDate>)>, BookError> {
        let rows = self.rows(crate::store::accounts::CHURNED_IDS, &[])?;
        Ok(rows.iter().map(|r| (r.get(0), r.get::<_, Option<String>>(1).and_then(|d| d.parse().ok()))).collect())
    }

    fn goals_for(&self, account_id: i64) -> Result<Vec<GoalRecord>, BookError> {
        self.goals("AND g.account_id = $1 ORDER BY g.created_on COLLATE \"C\", g.id", &[&account_id])
    }

    fn milestones_for(&self, account_id: i64) -> Result<Vec<MilestoneRecord>, BookError> {
        self.milestones("AND m.account_id = $1 ORDER BY m.due COLLATE \"C\", m.id", &[&account_id])
    }

    fn goals_of(&self, account_ids: &[i64]) -> Result<HashMap<i64, Vec<GoalRecord>>, BookError> {
        let all = self.goals(
            "AND g.account_id = ANY($1) ORDER BY g.account_id, g.created_on COLLATE \"C\", g.id",
            &[&account_ids],
        )?;
        Ok(by_account(all, |g| g.account_id))
    }

    fn milestones_of(&self, account_ids: &[i64]) -> Result<HashMap<i64, Vec<MilestoneRecord>>, BookError> {
        let all = self.milestones(
            "AND m.account_id = ANY($1) ORDER BY m.account_id, m.due COLLATE \"C\", m.id",
            &[&account_ids],
        )?;
        Ok(by_account(all, |m| m.account_id))
    }

    fn contacts_of(&self, account_ids: &[i64]) -> Result<HashMap<i64, Vec<ContactRecord>>, BookError> {
        let all = self.contacts(
            &format!("AND c.account_id = ANY($1) ORDER BY c.account_id, {CONTACTS_ORDER}"),
            &[&account_ids],
        )?;
        Ok(by_account(all, |c| c.account_id))
    }

    fn tasks_of(&self, account_ids: &[i64]) -> Result<HashMap<i64, Vec<TaskRecord>>, BookError> {
        let all = self
            .task_rows(&format!("AND t.account_id = ANY($1) ORDER BY t.account_id, {TASKS_ORDER}"), &[&account_ids])?;
        Ok(by_account(all, |t| t.account_id))
    }

    fn milestones_by_account(&self) -> Result<HashMap<i64, Vec<MilestoneRecord>>, BookError> {
        let all = self.milestones("ORDER BY m.account_id, m.due COLLATE \"C\", m.id", &[])?;
        Ok(by_account(all, |m| m.account_id))
    }

    fn goals_by_account(&self) -> Result<HashMap<i64, Vec<GoalRecord>>, BookError> {
        let all = self.goals("ORDER BY g.account_id, g.created_on COLLATE \"C\", g.id", &[])?;
        Ok(by_account(all, |g| g.account_id))
    }

    fn milestone(&self, id: i64) -> Result<Option<MilestoneRecord>, BookError> {
        Ok(self.milestones("AND m.id = $1", &[&id])?.into_iter().next())
    }

    fn entry(&self, id: i64) -> Result<Option<crate::store::EntryRecord>, BookError> {
        self.team_entry(id)
    }

    fn contacts_for(&self, account_id: i64) -> Result<Vec<ContactRecord>, BookError> {
        self.contacts(&format!("AND c.account_id = $1 ORDER BY {CONTACTS_ORDER}"), &[&account_id])
    }

    fn all_contacts(&self) -> Result<Vec<ContactRecord>, BookError> {
        self.contacts("ORDER BY a.external_id COLLATE \"C\", c.name COLLATE \"C\", c.id", &[])
    }

    fn tasks(&self, f: &TaskFilter) -> Result<Vec<TaskRecord>, BookError> {
        let due_by = f.due_by.map(|d| d.to_string());
        self.task_rows(
            &format!(
                "AND ($1::bigint IS NULL OR t.account_id = $1) AND ($2::text IS NULL OR o.name = $2
                        OR (t.owner_id IS NULL AND (SELECT name FROM csms WHERE id = a.csm_id) = $2))
                   AND ($3::text IS NULL OR (t.status = 'open' AND t.due <= $3)) AND ($4 OR t.status = 'open')
                 ORDER BY {TASKS_ORDER}"
            ),
            &[&f.account_id, &f.owner, &due_by, &f.all],
        )
    }

    fn task(&self, id: i64) -> Result<Option<TaskRecord>, BookError> {
        Ok(self.task_rows("AND t.id = $1", &[&id])?.pop())
    }

    fn account_csm_name(&self, account_id: i64) -> Result<Option<String>, BookError> {
        let rows = self.rows(
            "SELECT c.name FROM accounts a LEFT JOIN csms c ON c.id = a.csm_id WHERE a.id = $1",
            &[&account_id],
        )?;
        rows.first().map(|r| r.get(0)).ok_or_else(|| self.bad_value(format!("no account {account_id}")))
    }

    fn account_of(&self, entity: Entity, id: i64) -> Result<Option<i64>, BookError> {
        let rows =
            self.rows(&format!("SELECT {} FROM {} t WHERE id = $1", entity.account_column(), entity.table()), &[&id])?;
        Ok(rows.first().map(|r| r.get(0)))
    }

    fn find_named(
        &self,
        what: Named,
        start: &str,
        account_id: Option<i64>,
        limit: usize,
    ) -> Result<Vec<(i64, String, String)>, BookError> {
        let column = what.words_column();
        // As SQLite's LIKE: ASCII letters in either case, `\` escaping `%` and `_`.
        let pattern = crate::store::like_prefix(&start.to_ascii_lowercase());
        let rows = self.rows(
            &format!(
                "SELECT t.id, t.{column}, a.name FROM {} t JOIN accounts a ON a.id = t.account_id
                 WHERE t.deleted_at IS NULL AND {} LIKE $1 ESCAPE '\\' AND ($2::bigint IS NULL OR t.account_id = $2)
                 ORDER BY t.id LIMIT $3",
                what.entity().table(),
                ascii_lower(&format!("t.{column}"))
            ),
            &[&pattern, &account_id, &(limit as i64)],
        )?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
    }

    fn session_prefix(&self) -> Result<String, BookError> {
        let rows = self.rows("SELECT current_user::text", &[])?;
        let role: String = rows.first().map(|r| r.get(0)).unwrap_or_default();
        Ok(format!("cli-{role}-"))
    }

    fn last_session_like(&self, prefix: &str) -> Result<Option<String>, BookError> {
        let rows = self.rows(
            "SELECT session FROM changes WHERE starts_with(session, $1) AND undone_at IS NULL ORDER BY id DESC LIMIT 1",
            &[&prefix],
        )?;
        Ok(rows.first().map(|r| r.get(0)))
    }

    fn last_batch(&self, session: &str) -> Result<Option<String>, BookError> {
        let rows = self.rows(
            "SELECT batch FROM changes WHERE session = $1 AND undone_at IS NULL ORDER BY id DESC LIMIT 1",
            &[&session],
        )?;
        Ok(rows.first().map(|r| r.get(0)))
    }

    fn batch_changes(&self, batch: &str) -> Result<Vec<ChangeRecord>, BookError> {
        let rows = self.rows(
            "SELECT id, entity, entity_id, action, batch, detail_id, summary, before FROM changes
             WHERE batch = $1 AND undone_at IS NULL ORDER BY id DESC",
            &[&batch],
        )?;
        rows.iter()
            .map(|r| {
                let (entity, action): (&str, &str) = (r.get(1), r.get(3));
                Ok(ChangeRecord {
                    id: r.get(0),
                    entity: Entity::from_key(entity)
                        .ok_or_else(|| self.bad_value(format!("unknown entity \"{entity}\" in the undo log")))?,
                    entity_id: r.get(2),
                    action: ChangeAction::from_key(action)
                        .ok_or_else(|| self.bad_value(format!("unknown action \"{action}\" in the undo log")))?,
                    batch: r.get(4),
                    detail_id: r.get(5),
                    summary: r.get(6),
                    before: r.get(7),
                })
            })
            .collect()
    }

    fn batch_of(&self, change_id: i64) -> Result<Option<String>, BookError> {
        let rows = self.rows("SELECT batch FROM changes WHERE id = $1 AND undone_at IS NULL", &[&change_id])?;
        Ok(rows.first().map(|r| r.get(0)))
    }

    fn session_of(&self, change_id: i64) -> Result<Option<String>, BookError> {
        let rows = self.rows("SELECT session FROM changes WHERE id = $1", &[&change_id])?;
        Ok(rows.first().map(|r| r.get(0)))
    }

    fn later_change_to(&self, entity: Entity, entity_id: i64, after: i64) -> Result<Option<(i64, String)>, BookError> {
        // Its batch's number and summary, as `tend undo --list` lists it (`Store::later_change_to`).
        let rows = self.rows(
            "SELECT f.id, f.summary FROM changes c JOIN changes f ON f.batch = c.batch AND f.undone_at IS NULL
             WHERE c.entity = $1 AND c.entity_id = $2 AND c.id > $3 AND c.undone_at IS NULL
             ORDER BY c.id DESC, f.id LIMIT 1",
            &[&entity.key(), &entity_id, &after],
        )?;
        Ok(rows.first().map(|r| (r.get(0), r.get(1))))
    }

    fn undoable_batches(&self, prefix: &str, limit: usize) -> Result<Vec<UndoableBatch>, BookError> {
        // Each batch by its first change, as the SQLite book's GROUP BY reads it.
        let rows = self.rows(
            "SELECT b.id, b.at, b.summary, b.entity, b.entity_id, b.session,
                    (SELECT count(DISTINCT c.entity_id) FROM changes c
                     WHERE c.batch = b.batch AND c.entity = 'account' AND c.undone_at IS NULL) FROM (
                 SELECT DISTINCT ON (batch) id, at, summary, entity, entity_id, session, batch FROM changes
                 WHERE starts_with(session, $1) AND undone_at IS NULL ORDER BY batch, id
             ) b ORDER BY b.id DESC LIMIT $2",
            &[&prefix, &(limit as i64)],
        )?;
        rows.iter()
            .map(|r| {
                let (entity, entity_id): (&str, i64) = (r.get(3), r.get(4));
                let account_id = match Entity::from_key(entity) {
                    Some(e) => self.account_of(e, entity_id)?,
                    None => None,
                };
                let account = account_id.map(|id| self.account_name(id)).transpose()?;
                Ok(UndoableBatch {
                    number: r.get(0),
                    at: r.get(1),
                    summary: r.get(2),
                    account,
                    account_id,
                    accounts: r.get(6),
                    session: r.get(5),
                })
            })
            .collect()
    }

    fn account_facts(&self, account_id: i64, catalog: &Catalog) -> Result<AccountFacts, BookError> {
        self.team_account_facts(account_id, catalog)
    }

    fn book_days(&self) -> Result<crate::store::facts::BookDays, BookError> {
        self.team_book_days()
    }

    fn accounts_sampled_on(&self, day: chrono::NaiveDate) -> Result<u64, BookError> {
        let rows = self.rows(
            "SELECT count(DISTINCT account_id)::bigint FROM metric_samples WHERE day = $1 AND metric <> $2",
            &[&day.to_string(), &crate::domain::data_days::TICKETS_METRIC],
        )?;
        Ok(rows.first().map_or(0, |r| r.get::<_, i64>(0)).max(0) as u64)
    }

    fn account(&self, id: i64) -> Result<crate::domain::account::Account, BookError> {
        self.team_account(id)
    }

    fn account_attributes(&self, id: i64) -> Result<Vec<(String, String)>, BookError> {
        self.team_account_attributes(id)
    }

    fn entries_for(&self, account_id: i64) -> Result<Vec<crate::store::EntryRecord>, BookError> {
        self.team_entries_for(account_id)
    }

    fn overrides_for(&self, account_id: i64) -> Result<Vec<crate::store::overrides::BandOverride>, BookError> {
        self.team_overrides_for(account_id)
    }

    fn contract_events(&self, account_id: i64) -> Result<Vec<crate::store::contracts::ContractEvent>, BookError> {
        self.team_contract_events(account_id)
    }

    fn other_arr_changes(&self, account_id: i64) -> Result<Vec<crate::store::contracts::ArrChangeRecord>, BookError> {
        let rows = self.rows(&crate::store::contracts::other_arr_changes_sql("$1"), &[&account_id])?;
        rows.iter()
            .map(|r| {
                Ok(crate::store::contracts::ArrChangeRecord {
                    day: self.day(r.get(0))?,
                    old: crate::domain::Cents(r.get(1)),
                    new: crate::domain::Cents(r.get(2)),
                    source: r.get(3),
                })
            })
            .collect()
    }

    fn goal(&self, id: i64) -> Result<Option<GoalRecord>, BookError> {
        let Some(account_id) = self.account_of(Entity::Goal, id)? else { return Ok(None) };
        Ok(self.goals_for(account_id)?.into_iter().find(|g| g.id == id))
    }

    fn contact(&self, id: i64) -> Result<Option<ContactRecord>, BookError> {
        Ok(self.contacts("AND c.id = $1", &[&id])?.pop())
    }
}
