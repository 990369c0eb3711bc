//! Log entries, goals and milestones: reading them back, and the undo log of changes.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::writer::Writer;
use super::{Result, Store};
use crate::domain::contact::ContactRole;
use crate::domain::entry::{EntryKind, TouchChannel};
use crate::domain::goal::{GoalStatus, OwnerSide};
use crate::domain::journey::Journey;

/// The things a user names by their words: goals and milestones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Named {
    Goal,
    Milestone,
    Task,
    Contact,
}

impl Named {
    /// What it is in the book (its table, its key: "goal", "milestone", ...).
    pub fn entity(self) -> Entity {
        match self {
            Named::Goal => Entity::Goal,
            Named::Milestone => Entity::Milestone,
            Named::Task => Entity::Task,
            Named::Contact => Entity::Contact,
        }
    }

    /// The column holding its words.
    pub(crate) fn words_column(self) -> &'static str {
        match self {
            Named::Goal => "words",
            Named::Task => "title",
            Named::Milestone | Named::Contact => "name",
        }
    }
}

/// What a change was made to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entity {
    Entry,
    Goal,
    Milestone,
    /// An account's contract fields (renewal date, ARR, status), changed by a renewal or a churn.
    Account,
    ContractEvent,
    BandOverride,
    ArrChange,
    Task,
    Contact,
}

impl Entity {
    const ALL: [Entity; 9] = [
        Entity::Entry,
        Entity::Goal,
        Entity::Milestone,
        Entity::Account,
        Entity::ContractEvent,
        Entity::BandOverride,
        Entity::ArrChange,
        Entity::Task,
        Entity::Contact,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Entity::Entry => "entry",
            Entity::Goal => "goal",
            Entity::Milestone => "milestone",
            Entity::Account => "account",
            Entity::ContractEvent => "contract_event",
            Entity::BandOverride => "band_override",
            Entity::ArrChange => "arr_change",
            Entity::Task => "task",
            Entity::Contact => "contact",
        }
    }
    pub fn from_key(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.key() == s)
    }
    /// The table it lives in. Only ever one of these constants reaches SQL text.
    pub(crate) fn table(self) -> &'static str {
        match self {
            Entity::Entry => "entries",
            Entity::Goal => "goals",
            Entity::Milestone => "milestones",
            Entity::Account => "accounts",
            Entity::ContractEvent => "contract_events",
            Entity::BandOverride => "band_overrides",
            Entity::ArrChange => "arr_changes",
            Entity::Task => "tasks",
            Entity::Contact => "contacts",
        }
    }

    /// The column naming the account a row belongs to.
    pub(crate) fn account_column(self) -> &'static str {
        if self == Entity::Account { "id" } else { "account_id" }
    }
}

/// What a change did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeAction {
    Add,
    Edit,
    Delete,
    Status,
}

impl ChangeAction {
    pub fn key(self) -> &'static str {
        match self {
            ChangeAction::Add => "add",
            ChangeAction::Edit => "edit",
            ChangeAction::Delete => "delete",
            ChangeAction::Status => "status",
        }
    }
    pub fn from_key(s: &str) -> Option<Self> {
        [ChangeAction::Add, ChangeAction::Edit, ChangeAction::Delete, ChangeAction::Status]
            .into_iter()
            .find(|a| a.key() == s)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct EntryRecord {
    pub id: i64,
    pub account_id: i64,
    pub kind: EntryKind,
    pub day: NaiveDate,
    pub score: Option<i64>,
    pub channel: Option<TouchChannel>,
    pub title: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub note: String,
    pub csm: Option<String>,
    /// The contacts it was with (a touch) or who answered (a survey), by id.
    pub with: Vec<i64>,
    /// A survey respondent's role.
    pub role: Option<ContactRole>,
}

/// ",3,7," as ids.
pub(crate) fn contact_ids(text: &str) -> Vec<i64> {
    text.split(',').filter_map(|i| i.trim().parse().ok()).collect()
}

/// Ids as the book keeps the people an entry was with: ",3,7,", or empty for none.
pub(crate) fn contact_ids_text(ids: &[i64]) -> String {
    match ids {
        [] => String::new(),
        ids => format!(",{},", ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")),
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct GoalStatusRecord {
    pub day: NaiveDate,
    pub status: GoalStatus,
    pub note: String,
    pub csm: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GoalRecord {
    pub id: i64,
    pub account_id: i64,
    pub words: String,
    pub measure: String,
    pub target_date: Option<NaiveDate>,
    pub owner: OwnerSide,
    pub status: GoalStatus,
    pub created_on: NaiveDate,
    pub csm: Option<String>,
    /// Oldest first.
    pub history: Vec<GoalStatusRecord>,
}

impl GoalRecord {
    /// How many days past its target day the goal is, still open (on track or at risk): what
    /// Triage reads as a reason (`store::triage`'s count says the same in SQL).
    pub fn days_past_target(&self, today: NaiveDate) -> Option<i64> {
        let open = matches!(self.status, GoalStatus::OnTrack | GoalStatus::AtRisk);
        self.target_date.filter(|t| open && *t < today).map(|t| (today - t).num_days())
    }

    /// What the "goals on track" factor reads of the goal (`GoalFact`).
    pub fn fact(&self) -> crate::domain::goal::GoalFact {
        crate::domain::goal::GoalFact {
            created: Some(self.created_on),
            statuses: self.history.iter().map(|h| (h.day, h.status)).collect(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct MilestoneRecord {
    pub id: i64,
    pub account_id: i64,
    pub journey: Journey,
    pub name: String,
    pub due: NaiveDate,
    pub done: Option<NaiveDate>,
    pub note: String,
    pub csm: Option<String>,
}

/// A change that can be undone, as `tend undo --list` shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct UndoableBatch {
    /// The number `tend undo N` takes: the batch's first change.
    pub number: i64,
    /// When, in UTC (`YYYY-MM-DDTHH:MM:SSZ`).
    pub at: String,
    pub summary: String,
    pub account: Option<String>,
    /// The account's id, to tell apart a name another account has too.
    pub account_id: Option<i64>,
    /// How many accounts' own rows the batch changed: a hand-over of 44 accounts was listed under
    /// its first account's name.
    pub accounts: i64,
    /// The session it was made in: where it came from ("cli-…", "tui-…", "playbook-…").
    pub session: String,
}

impl UndoableBatch {
    /// Where the change was made, in words: "command line", "screens", a playbook, an import.
    pub fn made_from(&self) -> &'static str {
        match self.session.split('-').next().unwrap_or_default() {
            "cli" => "command line",
            "tui" => "screens",
            "playbook" => "playbook",
            "import" => "import",
            "snapshot" => "snapshot",
            // A team book's sessions are its member's own.
            _ => "you",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ChangeRecord {
    pub id: i64,
    pub entity: Entity,
    pub entity_id: i64,
    pub action: ChangeAction,
    pub batch: String,
    pub detail_id: Option<i64>,
    pub summary: String,
    pub before: Option<String>,
}

fn bad_value(col: usize, what: &str, value: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        col,
        rusqlite::types::Type::Text,
        format!("unknown {what} \"{value}\"").into(),
    )
}

fn entry_record(r: &rusqlite::Row) -> rusqlite::Result<EntryRecord> {
    entry_record_from(r, 0)
}

/// An entry read from `ENTRY_SELECT`'s columns, starting at column `at`.
fn entry_record_from(r: &rusqlite::Row, at: usize) -> rusqlite::Result<EntryRecord> {
    let kind: String = r.get(at + 2)?;
    let channel: Option<String> = r.get(at + 5)?;
    let role: String = r.get(at + 11)?;
    Ok(EntryRecord {
        id: r.get(at)?,
        account_id: r.get(at + 1)?,
        kind: EntryKind::from_key(&kind).ok_or_else(|| bad_value(at + 2, "entry kind", kind))?,
        day: r.get(at + 3)?,
        score: r.get(at + 4)?,
        channel: channel.as_deref().and_then(TouchChannel::from_key),
        title: r.get(at + 6)?,
        closed_on: r.get(at + 7)?,
        note: r.get(at + 8)?,
        csm: r.get(at + 9)?,
        with: contact_ids(&r.get::<_, String>(at + 10)?),
        role: ContactRole::from_key(&role),
    })
}

const ENTRY_SELECT: &str = "SELECT e.id, e.account_id, e.kind, e.day, e.score, e.channel, e.title, e.closed_on,
        e.note, c.name, e.contact_ids, e.role FROM entries e LEFT JOIN csms c ON c.id = e.csm_id
        WHERE e.deleted_at IS NULL";

fn goal_record(r: &rusqlite::Row) -> rusqlite::Result<GoalRecord> {
    let owner: String = r.get(5)?;
    let status: String = r.get(6)?;
    Ok(GoalRecord {
        id: r.get(0)?,
        account_id: r.get(1)?,
        words: r.get(2)?,
        measure: r.get(3)?,
        target_date: r.get(4)?,
        owner: OwnerSide::from_key(&owner).ok_or_else(|| bad_value(5, "owner side", owner))?,
        status: GoalStatus::from_key(&status).ok_or_else(|| bad_value(6, "goal status", status))?,
        created_on: r.get(7)?,
        csm: r.get(8)?,
        history: Vec::new(),
    })
}

const GOAL_SELECT: &str = "SELECT g.id, g.account_id, g.words, g.measure, g.target_date, g.owner_side, g.status,
        g.created_on, c.name FROM goals g LEFT JOIN csms c ON c.id = g.csm_id WHERE g.deleted_at IS NULL";

fn milestone_record(r: &rusqlite::Row) -> rusqlite::Result<MilestoneRecord> {
    let journey: String = r.get(2)?;
    Ok(MilestoneRecord {
        id: r.get(0)?,
        account_id: r.get(1)?,
        journey,
        name: r.get(3)?,
        due: r.get(4)?,
        done: r.get(5)?,
        note: r.get(6)?,
        csm: r.get(7)?,
    })
}

const MILESTONE_SELECT: &str = "SELECT m.id, m.account_id, m.journey, m.name, m.due, m.done, m.note, c.name
        FROM milestones m LEFT JOIN csms c ON c.id = m.csm_id WHERE m.deleted_at IS NULL";

impl Store {
    /// An account's log entries, newest first.
    pub fn entries_for(&self, account_id: i64) -> Result<Vec<EntryRecord>> {
        self.query_list(
            &format!("{ENTRY_SELECT} AND e.account_id = ?1 ORDER BY e.day DESC, e.id DESC"),
            [account_id],
            entry_record,
        )
    }

    pub fn entry(&self, id: i64) -> Result<Option<EntryRecord>> {
        self.query_one(&format!("{ENTRY_SELECT} AND e.id = ?1"), id, entry_record)
    }

    /// Every log entry as (account external id, entry, CSM), oldest first.
    pub fn all_entries(&self) -> Result<Vec<(String, EntryRecord)>> {
        let mut stmt = self
            .conn()
            .prepare(&format!(
                "SELECT a.external_id, x.* FROM ({ENTRY_SELECT}) x JOIN accounts a ON a.id = x.account_id
                 ORDER BY a.external_id, x.day, x.id"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, entry_record_from(r, 1)?))).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.err(e))
    }

    /// An account's goals with their status history, in the order they were set.
    pub fn goals_for(&self, account_id: i64) -> Result<Vec<GoalRecord>> {
        let mut goals = self.query_list(
            &format!("{GOAL_SELECT} AND g.account_id = ?1 ORDER BY g.created_on, g.id"),
            [account_id],
            goal_record,
        )?;
        for g in &mut goals {
            g.history = self.goal_history(g.id)?;
        }
        Ok(goals)
    }

    pub fn goal(&self, id: i64) -> Result<Option<GoalRecord>> {
        let mut goal = self.query_one(&format!("{GOAL_SELECT} AND g.id = ?1"), id, goal_record)?;
        if let Some(g) = &mut goal {
            g.history = self.goal_history(g.id)?;
        }
        Ok(goal)
    }

    fn goal_history(&self, goal_id: i64) -> Result<Vec<GoalStatusRecord>> {
        self.query_list(
            "SELECT s.day, s.status, s.note, c.name FROM goal_status_changes s
             LEFT JOIN csms c ON c.id = s.csm_id WHERE s.goal_id = ?1 ORDER BY s.day, s.id",
            [goal_id],
            |r| {
                let status: String = r.get(1)?;
                Ok(GoalStatusRecord {
                    day: r.get(0)?,
                    status: GoalStatus::from_key(&status).ok_or_else(|| bad_value(1, "goal status", status))?,
                    note: r.get(2)?,
                    csm: r.get(3)?,
                })
            },
        )
    }

    /// An account's milestones by due date.
    pub fn milestones_for(&self, account_id: i64) -> Result<Vec<MilestoneRecord>> {
        self.query_list(
            &format!("{MILESTONE_SELECT} AND m.account_id = ?1 ORDER BY m.due, m.id"),
            [account_id],
            milestone_record,
        )
    }

    pub fn milestone(&self, id: i64) -> Result<Option<MilestoneRecord>> {
        self.query_one(&format!("{MILESTONE_SELECT} AND m.id = ?1"), id, milestone_record)
    }

    /// Goals (or milestones) whose words (name) start with `start` in any case, of one account or
    /// of the whole book: (id, words or name, account name), at most `limit`.
    pub fn find_named(
        &self,
        what: Named,
        start: &str,
        account_id: Option<i64>,
        limit: usize,
    ) -> Result<Vec<(i64, String, String)>> {
        let (table, column) = (what.entity().table(), what.words_column());
        let pattern = super::like_prefix(start);
        let sql = format!(
            "SELECT t.id, t.{column}, a.name FROM {table} t JOIN accounts a ON a.id = t.account_id
             WHERE t.deleted_at IS NULL AND t.{column} LIKE ?1 ESCAPE '\\' AND (?2 IS NULL OR t.account_id = ?2)
             ORDER BY t.id LIMIT ?3"
        );
        self.query_list(&sql, rusqlite::params![pattern, account_id, limit as i64], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
    }

    /// The account an entity belongs to (deleted or not), if the entity exists.
    pub fn account_of(&self, entity: Entity, id: i64) -> Result<Option<i64>> {
        let sql = format!("SELECT {} FROM {} WHERE id = ?1", entity.account_column(), entity.table());
        self.conn().query_row(&sql, [id], |r| r.get(0)).optional().map_err(|e| self.err(e))
    }

    /// The newest change of `session` not yet undone, with every other change of its batch.
    /// The session of the newest change not undone whose session starts with `prefix` (`cli-`:
    /// the command line's, one session per command).
    pub fn last_session_like(&self, prefix: &str) -> Result<Option<String>> {
        self.conn()
            .query_row(
                "SELECT session FROM changes WHERE substr(session, 1, length(?1)) = ?1 AND undone_at IS NULL
                 ORDER BY id DESC LIMIT 1",
                [prefix],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// The newest change of `session`, undone or not: its id, its summary, and whether it was
    /// undone.
    pub fn newest_change_of(&self, session: &str) -> Result<Option<(i64, String, bool)>> {
        self.conn()
            .query_row(
                "SELECT id, summary, undone_at IS NOT NULL FROM changes WHERE session = ?1 ORDER BY id DESC LIMIT 1",
                [session],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// The batch of the newest change of `session` not undone.
    pub fn last_batch(&self, session: &str) -> Result<Option<String>> {
        self.conn()
            .query_row(
                "SELECT batch FROM changes WHERE session = ?1 AND undone_at IS NULL ORDER BY id DESC LIMIT 1",
                [session],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    pub fn last_undoable(&self, session: &str) -> Result<Vec<ChangeRecord>> {
        match self.last_batch(session)? {
            Some(batch) => self.batch_changes(&batch),
            None => Ok(Vec::new()),
        }
    }

    /// The changes of one batch not undone yet, newest first (the order they are undone in).
    pub fn batch_changes(&self, batch: &str) -> Result<Vec<ChangeRecord>> {
        self.query_list(
            "SELECT id, entity, entity_id, action, batch, detail_id, summary, before FROM changes
             WHERE batch = ?1 AND undone_at IS NULL ORDER BY id DESC",
            [batch],
            |r| {
                let entity: String = r.get(1)?;
                let action: String = r.get(3)?;
                Ok(ChangeRecord {
                    id: r.get(0)?,
                    entity: Entity::from_key(&entity).ok_or_else(|| bad_value(1, "entity", entity))?,
                    entity_id: r.get(2)?,
                    action: ChangeAction::from_key(&action).ok_or_else(|| bad_value(3, "action", action))?,
                    batch: r.get(4)?,
                    detail_id: r.get(5)?,
                    summary: r.get(6)?,
                    before: r.get(7)?,
                })
            },
        )
    }

    /// The batches of sessions starting with `prefix` not undone yet, newest first.
    pub fn undoable_batches(&self, prefix: &str, limit: usize) -> Result<Vec<UndoableBatch>> {
        // SQLite takes the bare columns of a min() group from the row holding the minimum.
        let batches: Vec<(i64, String, String, String, i64, String, i64)> = self.query_list(
            "SELECT min(id), at, summary, entity, entity_id, session,
                    count(DISTINCT iif(entity = 'account', entity_id, NULL)) FROM changes
             WHERE substr(session, 1, length(?1)) = ?1 AND undone_at IS NULL
             GROUP BY batch ORDER BY min(id) DESC LIMIT ?2",
            params![prefix, limit as i64],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )?;
        batches
            .into_iter()
            .map(|(number, at, summary, entity, entity_id, session, accounts)| {
                let account_id = match Entity::from_key(&entity) {
                    Some(e) => self.account_of(e, entity_id)?,
                    None => None,
                };
                let account = account_id.map(|id| self.account(id).map(|a| a.name)).transpose()?;
                Ok(UndoableBatch { number, at, summary, account, account_id, accounts, session })
            })
            .collect()
    }

    /// The session a change was made in.
    pub fn session_of(&self, change_id: i64) -> Result<Option<String>> {
        self.query_one("SELECT session FROM changes WHERE id = ?1", change_id, |r| r.get(0))
    }

    /// The batch a change number (as `undoable_batches` gives it) belongs to.
    pub fn batch_of(&self, change_id: i64) -> Result<Option<String>> {
        self.query_one("SELECT batch FROM changes WHERE id = ?1 AND undone_at IS NULL", change_id, |r| r.get(0))
    }

    /// A change after `after` to the same row, not undone: undoing an older change under it would
    /// throw it away. Said as `tend undo --list` lists it: its batch's number (its first change)
    /// and what that did (a probe's refusal named "change 67", listed as 66).
    pub fn later_change_to(&self, entity: Entity, entity_id: i64, after: i64) -> Result<Option<(i64, String)>> {
        self.conn()
            .query_row(
                "SELECT f.id, f.summary FROM changes c JOIN changes f ON f.batch = c.batch AND f.undone_at IS NULL
                 WHERE c.entity = ?1 AND c.entity_id = ?2 AND c.id > ?3 AND c.undone_at IS NULL
                 ORDER BY c.id DESC, f.id LIMIT 1",
                params![entity.key(), entity_id, after],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    fn query_one<T>(&self, sql: &str, id: i64, read: fn(&rusqlite::Row) -> rusqlite::Result<T>) -> Result<Option<T>> {
        self.conn().query_row(sql, [id], read).optional().map_err(|e| self.err(e))
    }
}

impl Writer<'_> {
    /// The row as JSON (column -> value), to restore it on undo.
    pub fn row_json(&self, entity: Entity, id: i64) -> Result<String> {
        let sql = format!("SELECT * FROM {} WHERE id = ?1", entity.table());
        let mut stmt = self.tx().prepare(&sql).map_err(|e| self.store_err(e))?;
        let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
        let map = stmt
            .query_row([id], |r| {
                let mut map = serde_json::Map::new();
                for (i, name) in names.iter().enumerate() {
                    let v = match r.get_ref(i)? {
                        rusqlite::types::ValueRef::Null => serde_json::Value::Null,
                        rusqlite::types::ValueRef::Integer(n) => n.into(),
                        rusqlite::types::ValueRef::Real(x) => x.into(),
                        rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
                        rusqlite::types::ValueRef::Blob(_) => serde_json::Value::Null,
                    };
                    map.insert(name.clone(), v);
                }
                Ok(map)
            })
            .map_err(|e| self.store_err(e))?;
        Ok(serde_json::Value::Object(map).to_string())
    }

    /// Put a row back as `row_json` saw it. Only the table's own column names are used in SQL.
    pub fn restore_row(&mut self, entity: Entity, id: i64, json: &str) -> Result<()> {
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json).unwrap_or_default();
        let columns: Vec<String> = {
            let stmt = self
                .tx()
                .prepare(&format!("SELECT * FROM {} WHERE 0", entity.table()))
                .map_err(|e| self.store_err(e))?;
            stmt.column_names().iter().map(|s| s.to_string()).collect()
        };
        let sets: Vec<&String> = columns.iter().filter(|c| *c != "id" && map.contains_key(*c)).collect();
        if sets.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "UPDATE {} SET {} WHERE id = ?1",
            entity.table(),
            sets.iter().enumerate().map(|(i, c)| format!("{c} = ?{}", i + 2)).collect::<Vec<_>>().join(", ")
        );
        let mut values: Vec<rusqlite::types::Value> = vec![id.into()];
        for c in &sets {
            values.push(match &map[*c] {
                serde_json::Value::Null => rusqlite::types::Value::Null,
                serde_json::Value::Number(n) if n.is_i64() => n.as_i64().unwrap_or_default().into(),
                serde_json::Value::Number(n) => n.as_f64().unwrap_or_default().into(),
                serde_json::Value::String(s) => s.clone().into(),
                other => other.to_string().into(),
            });
        }
        self.tx().execute(&sql, rusqlite::params_from_iter(values)).map_err(|e| self.store_err(e))?;
        Ok(())
    }

    /// Mark a row deleted (it stays in the book, so undo can bring it back).
    pub fn soft_delete(&mut self, entity: Entity, id: i64) -> Result<()> {
        let sql =
            format!("UPDATE {} SET deleted_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1", entity.table());
        self.exec(&sql, [id])
    }

    #[allow(clippy::too_many_arguments)]
    pub fn record_change(
        &mut self,
        session: &str,
        batch: &str,
        entity: Entity,
        entity_id: i64,
        action: ChangeAction,
        detail_id: Option<i64>,
        summary: &str,
        before: Option<&str>,
    ) -> Result<()> {
        self.exec(
            "INSERT INTO changes (session, batch, entity, entity_id, action, detail_id, summary, before)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![session, batch, entity.key(), entity_id, action.key(), detail_id, summary, before],
        )
    }

    pub fn mark_undone(&mut self, change_id: i64) -> Result<()> {
        self.exec("UPDATE changes SET undone_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1", [change_id])
    }

    pub fn delete_goal_status_change(&mut self, id: i64) -> Result<()> {
        self.exec("DELETE FROM goal_status_changes WHERE id = ?1", [id])
    }

    /// Drop an account's cached factor values and mark its history stale: its facts changed.
    pub fn invalidate_snapshots(&mut self, account_id: i64) -> Result<()> {
        // A new version of the account's facts: whatever a reader computed from the old ones is
        // refused when it tries to store it (see `Store::refresh_snapshots`, `finish_history`).
        self.exec("UPDATE accounts SET facts_version = facts_version + 1 WHERE id = ?1", [account_id])?;
        self.exec("DELETE FROM factor_snapshots WHERE account_id = ?1", [account_id])?;
        self.exec(
            "INSERT OR REPLACE INTO history_stale (account_id, facts_version)
             SELECT id, facts_version FROM accounts WHERE id = ?1",
            [account_id],
        )
    }
}

impl Writer<'_> {
    /// The highest entry id now: entries above it were written after this point.
    pub fn last_entry_id(&self) -> Result<i64> {
        self.tx().query_row("SELECT coalesce(max(id), 0) FROM entries", [], |r| r.get(0)).map_err(|e| self.store_err(e))
    }

    /// The live entries with ids up to `before` that are just like `e`, by id.
    pub fn entries_like(&self, e: &crate::store::NewEntry, before: i64) -> Result<Vec<i64>> {
        self.entries_saying(e, before, true)
    }

    /// `entries_like` whatever their note.
    pub fn entries_like_but_note(&self, e: &crate::store::NewEntry, before: i64) -> Result<Vec<i64>> {
        self.entries_saying(e, before, false)
    }

    /// `entries_like`, the note compared or not.
    fn entries_saying(&self, e: &crate::store::NewEntry, before: i64, note: bool) -> Result<Vec<i64>> {
        // What the entry says, its note (the seventh of `said`) where it is compared.
        let said = e.said().into_iter().enumerate().filter(|(i, _)| note || *i != 6).map(|(_, v)| v);
        let values = std::iter::once(rusqlite::types::Value::from(e.account_id))
            .chain(said)
            .chain(std::iter::once(rusqlite::types::Value::from(before)));
        // `kind` is matched to a cast of its value, not to the bound value itself: a bound value
        // compared where a partial index's condition names a kind (`entries_risks`) makes SQLite
        // prepare the statement again at every new value (a seventh of a logs import's time).
        let sql = match note {
            true => {
                "SELECT id FROM entries
                 WHERE deleted_at IS NULL AND account_id = ?1 AND kind = CAST(?2 AS TEXT) AND day = ?3 AND score IS ?4
                   AND channel IS ?5 AND title IS ?6 AND closed_on IS ?7 AND note = ?8 AND role = ?9 AND id <= ?10
                 ORDER BY id"
            }
            false => {
                "SELECT id FROM entries
                 WHERE deleted_at IS NULL AND account_id = ?1 AND kind = CAST(?2 AS TEXT) AND day = ?3 AND score IS ?4
                   AND channel IS ?5 AND title IS ?6 AND closed_on IS ?7 AND role = ?8 AND id <= ?9
                 ORDER BY id"
            }
        };
        self.tx()
            .prepare_cached(sql)
            .and_then(|mut s| s.query_map(rusqlite::params_from_iter(values), |r| r.get(0))?.collect())
            .map_err(|err| self.store_err(err))
    }
}
