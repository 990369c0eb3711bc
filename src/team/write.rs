//! The team book's side of `book::storage::Book`: one transaction per write, in PostgreSQL's
//! dialect. The database decides who may write what (row-level security keyed on the member's
//! kind, see schema_1.sql) and signs entries with the member's own CSM; this side says a refusal
//! in words, including the one PostgreSQL makes silently (an UPDATE of a row another CSM owns
//! changes no row, and raises nothing).

use std::collections::HashMap;

use chrono::NaiveDate;
use postgres::Transaction;

use super::{TeamBook, TeamError, detail};
use crate::book::storage::{Book, BookError, BookTxn, ChangeNote, GoalEvent};
use crate::domain::HealthBand;
use crate::domain::goal::GoalStatus;
use crate::domain::task::TaskStatus;
use crate::store::log::{Entity, contact_ids, contact_ids_text};
use crate::store::overrides::band_key;
use crate::store::{EntryPeople, NewContact, NewEntry, NewGoal, NewTask};

type Result<T> = std::result::Result<T, BookError>;

impl Book for TeamBook {
    fn transact(&mut self, write: &mut dyn FnMut(&mut dyn BookTxn) -> Result<()>) -> Result<()> {
        let url = self.url.clone();
        let tx = self.checked_transaction()?;
        let mut txn = TeamTxn::new(tx, url);
        // An error drops the transaction, which rolls it back: nothing of it is kept.
        write(&mut txn)?;
        let own = txn.commit_counted()?;
        if !own.is_empty() {
            self.own_written_at = Some(std::time::Instant::now());
        }
        self.own_writes.add(&own);
        Ok(())
    }
}

impl TeamTxn<'_> {
    /// Commit; how many writes the transaction added to the team book's count (one for each
    /// table of facts it wrote and list it may change: schema steps 4 and 5), by list.
    fn commit_counted(self) -> Result<Vec<(i64, i64)>> {
        let TeamTxn { mut tx, url, .. } = self;
        let own = tx
            .query(
                "SELECT csm_id, count(*) FROM book_writes WHERE xact = pg_current_xact_id_if_assigned() GROUP BY csm_id",
                &[],
            )
            .map_err(|e| write_error(&url, &e))?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        tx.commit().map_err(|e| write_error(&url, &e))?;
        Ok(own)
    }
}

/// One transaction on a team book.
pub(crate) struct TeamTxn<'c> {
    pub(crate) tx: Transaction<'c>,
    pub(crate) url: String,
    /// The CSM entries are signed with, where the database does not sign them itself (for the
    /// book's owner, who is not a member).
    pub(crate) signer: Option<i64>,
    /// What an import planned: milestones waiting to go in through one `COPY` (see `team::import`).
    pub(crate) planned: super::import::Planned,
    /// Statements prepared once and run again (an import runs the same few per row): each
    /// text sent once, not parsed again with each row's values.
    statements: HashMap<String, postgres::Statement>,
    /// What `ready_entries_like` read.
    entries_readied: Option<EntriesReadied>,
}

/// What an entry says (kind, day, score, channel, title, closed, note, role) as the team book
/// stores it: one list for inserting and updating entries.
struct EntrySaid<'e> {
    kind: &'static str,
    day: String,
    score: &'e Option<i64>,
    channel: Option<&'static str>,
    title: &'e Option<String>,
    closed_on: Option<String>,
    note: &'e String,
    role: &'static str,
}

impl<'e> EntrySaid<'e> {
    fn of(e: &'e NewEntry) -> Self {
        EntrySaid {
            kind: e.kind.key(),
            day: e.day.to_string(),
            score: &e.score,
            channel: e.channel.map(|c| c.key()),
            title: &e.title,
            closed_on: e.closed_on.map(|d| d.to_string()),
            note: &e.note,
            role: e.role.map_or("", |r| r.key()),
        }
    }

    fn params(&self) -> [&(dyn postgres::types::ToSql + Sync); 8] {
        [&self.kind, &self.day, self.score, &self.channel, self.title, &self.closed_on, self.note, &self.role]
    }
}

/// What an entry says, as the team book stores it, with its account: the entries an import
/// matches its rows to, counted by it.
type EntryKey = (i64, String, String, Option<i64>, Option<String>, Option<String>, Option<String>, String, String);

impl EntrySaid<'_> {
    fn key(&self, account_id: i64) -> EntryKey {
        (
            account_id,
            self.kind.to_string(),
            self.day.clone(),
            *self.score,
            self.channel.map(str::to_string),
            self.title.clone(),
            self.closed_on.clone(),
            self.note.clone(),
            self.role.to_string(),
        )
    }
}

/// The entries on some accounts up to an entry id, by what they say (`BookTxn::ready_entries_like`).
#[derive(Default)]
pub(crate) struct EntriesReadied {
    before: i64,
    accounts: std::collections::HashSet<i64>,
    ids: HashMap<EntryKey, Vec<i64>>,
    /// What each says, for an entry changed since (`update_entry`).
    keys: HashMap<i64, EntryKey>,
    /// Who signed each and the people it was with (`entry_people`).
    people: HashMap<i64, EntryPeople>,
    /// `ids` by what they say but their note (`loose`).
    but_note: HashMap<EntryKey, Vec<i64>>,
}

/// What an entry says but its note, as `EntriesReadied::but_note` keys it.
fn loose(mut key: EntryKey) -> EntryKey {
    key.7 = String::new();
    key
}

impl EntriesReadied {
    /// Entry `id` says `key` (ids come in order).
    fn add(&mut self, id: i64, key: EntryKey) {
        self.ids.entry(key.clone()).or_default().push(id);
        self.but_note.entry(loose(key.clone())).or_default().push(id);
        self.keys.insert(id, key);
    }

    /// Entry `id` says `key` now, if it was read.
    fn changed(&mut self, id: i64, key: EntryKey) {
        let Some(was) = self.keys.remove(&id) else { return };
        for (index, was, now) in
            [(&mut self.ids, was.clone(), key.clone()), (&mut self.but_note, loose(was), loose(key.clone()))]
        {
            if let Some(ids) = index.get_mut(&was) {
                ids.retain(|i| *i != id);
            }
            let ids = index.entry(now).or_default();
            let at = ids.partition_point(|i| *i < id);
            ids.insert(at, id);
        }
        self.keys.insert(id, key);
    }
}

/// Entries as columns, one array each, for one INSERT of them all.
#[derive(Default)]
struct EntryColumns<'e> {
    account_id: Vec<i64>,
    csm_id: Vec<Option<i64>>,
    kind: Vec<&'static str>,
    day: Vec<String>,
    score: Vec<Option<i64>>,
    channel: Vec<Option<&'static str>>,
    title: Vec<Option<&'e str>>,
    closed_on: Vec<Option<String>>,
    note: Vec<&'e str>,
    role: Vec<&'static str>,
    contact_ids: Vec<String>,
}

/// A task's text columns, as the team book stores them: title, due, status, closed, note (what a
/// change writes), then playbook and created (what a new one writes too).
const TASK_TEXT: [fn(&NewTask) -> Option<String>; 7] = [
    |t| Some(t.title.clone()),
    |t| Some(t.due.to_string()),
    |t| Some(t.status.key().to_string()),
    |t| t.closed_on.map(|d| d.to_string()),
    |t| Some(t.note.clone()),
    |t| Some(t.playbook.clone()),
    |t| Some(t.created_on.to_string()),
];

/// A contact's text columns, as `TASK_TEXT`: name, title, email, role, status, left, note (what a
/// change writes), then created.
const CONTACT_TEXT: [fn(&NewContact) -> Option<String>; 8] = [
    |c| Some(c.name.clone()),
    |c| Some(c.title.clone()),
    |c| Some(c.email.clone()),
    |c| Some(c.role.map_or("", |r| r.key()).to_string()),
    |c| Some(c.status.key().to_string()),
    |c| c.left_on.map(|d| d.to_string()),
    |c| Some(c.note.clone()),
    |c| Some(c.created_on.to_string()),
];

/// Rows as columns, one array each, for one statement of them all.
fn text_columns<'r, T: 'r, const N: usize>(
    rows: impl Iterator<Item = &'r T> + Clone,
    fields: [fn(&T) -> Option<String>; N],
) -> [Vec<Option<String>>; N] {
    fields.map(|field| rows.clone().map(field).collect())
}

/// What PostgreSQL said of a write, with what it means where it is a refusal of the team's rules.
pub(crate) fn write_error(url: &str, e: &postgres::Error) -> BookError {
    let text = detail(e);
    if text.contains("row-level security") {
        return BookError::NotPermitted(format!(
            "the team book at {url} refused the write ({text}): a CSM writes only on the accounts they own; \
             a lead writes on every account; nothing was changed"
        ));
    }
    BookError::Team(TeamError::Database { url: url.to_string(), detail: text })
}

impl<'c> TeamTxn<'c> {
    pub(crate) fn new(tx: Transaction<'c>, url: String) -> Self {
        TeamTxn {
            tx,
            url,
            signer: None,
            planned: Default::default(),
            statements: Default::default(),
            entries_readied: None,
        }
    }

    /// The statement of this text, prepared on the first use.
    fn prepared(&mut self, sql: &str) -> Result<postgres::Statement> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.tx.prepare(sql).map_err(|e| write_error(&self.url, &e))?;
        self.statements.insert(sql.to_string(), statement.clone());
        Ok(statement)
    }
    /// The events of a return: the churn it came back from (once, for a churn only the account
    /// row knew of), then the return itself on `day`; the return's id. The account row is the
    /// caller's to update.
    pub(crate) fn return_events(
        &mut self,
        id: i64,
        day: NaiveDate,
        churned_on: Option<String>,
        arr_before: i64,
        arr_after: i64,
    ) -> Result<i64> {
        if let Some(churned) = churned_on {
            self.rows(
                "INSERT INTO contract_events (account_id, kind, day, arr_before, arr_after, reason)
                 SELECT $1, 'churned', $2, $3, $3, 'recorded on return' WHERE NOT EXISTS
                     (SELECT 1 FROM contract_events e
                      WHERE e.account_id = $1 AND e.kind = 'churned' AND e.day = $2 AND e.deleted_at IS NULL)",
                &[&id, &churned, &arr_before],
            )?;
        }
        let signer = self.signer;
        self.insert(
            "INSERT INTO contract_events (account_id, csm_id, kind, day, arr_before, arr_after, reason)
             VALUES ($1, $2, 'reactivated', $3, $4, $5, 'came back') RETURNING id",
            &[&id, &signer, &day.to_string(), &arr_before, &arr_after],
        )
    }

    /// An account's renewal day (as stored) and ARR in cents.
    pub(crate) fn renewal_and_arr(&mut self, id: i64) -> Result<(Option<String>, i64)> {
        let rows = self.rows("SELECT renewal_date, arr_cents FROM accounts WHERE id = $1", &[&id])?;
        let row = rows.first().ok_or_else(|| {
            BookError::Team(TeamError::Refused(format!("no account {id} on the team book at {}", self.url)))
        })?;
        Ok((row.get(0), row.get(1)))
    }

    /// A dated ARR change when the ARR moved; its id.
    pub(crate) fn arr_change_if_moved(
        &mut self,
        id: i64,
        day: NaiveDate,
        before: i64,
        after: i64,
        source: &str,
    ) -> Result<Option<i64>> {
        if before == after {
            return Ok(None);
        }
        self.insert(
            "INSERT INTO arr_changes (account_id, day, old_cents, new_cents, source) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[&id, &day.to_string(), &before, &after, &source],
        )
        .map(Some)
    }

    pub(crate) fn rows(
        &mut self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>> {
        let statement = self.prepared(sql)?;
        self.tx.query(&statement, params).map_err(|e| write_error(&self.url, &e))
    }

    /// What was worked out from these accounts' facts (their factor values, their history from
    /// the first day it may have changed) is dropped: their facts have a new version.
    pub(crate) fn forget_worked_out(&mut self, account_ids: &[i64]) -> Result<()> {
        self.rows("DELETE FROM factor_snapshots WHERE account_id = ANY($1)", &[&account_ids])?;
        self.rows(
            "INSERT INTO history_stale (account_id, facts_version) SELECT id, facts_version FROM accounts WHERE id = ANY($1)
             ON CONFLICT (account_id) DO UPDATE SET facts_version = excluded.facts_version",
            &[&account_ids],
        )?;
        Ok(())
    }

    /// Run a statement; how many rows it changed.
    pub(crate) fn execute(&mut self, sql: &str, params: &[&(dyn postgres::types::ToSql + Sync)]) -> Result<u64> {
        let statement = self.prepared(sql)?;
        self.tx.execute(&statement, params).map_err(|e| write_error(&self.url, &e))
    }

    /// Run an INSERT … RETURNING id; the id.
    pub(crate) fn insert(&mut self, sql: &str, params: &[&(dyn postgres::types::ToSql + Sync)]) -> Result<i64> {
        let rows = self.rows(sql, params)?;
        rows.first().map(|r| r.get(0)).ok_or_else(|| {
            BookError::Team(TeamError::Database { url: self.url.clone(), detail: "an insert returned no id".into() })
        })
    }

    /// Run an UPDATE of one row of `table` (a `what`, in messages); a row it did not change is
    /// said: not visible to change (another CSM's, by the team's rules) or gone.
    /// `BookTxn::entries_like`, the note compared or not (`entries_like_but_note`): from what the
    /// import read of the accounts' entries (`ready_entries_like`), else one question.
    fn entries_saying(&mut self, e: &NewEntry, before: i64, note: bool) -> Result<Vec<i64>> {
        let said = EntrySaid::of(e);
        let key = said.key(e.account_id);
        if let Some(readied) = &self.entries_readied
            && readied.before == before
            && readied.accounts.contains(&e.account_id)
        {
            let found = match note {
                true => readied.ids.get(&key),
                false => readied.but_note.get(&loose(key)),
            };
            return Ok(found.cloned().unwrap_or_default());
        }
        let [kind, day, score, channel, title, closed_on, text, role] = said.params();
        let mut params: Vec<&(dyn postgres::types::ToSql + Sync)> =
            vec![&e.account_id, kind, day, score, channel, title, closed_on, role, &before];
        if note {
            params.push(text);
        }
        let note_term = if note { "AND note = $10" } else { "" };
        let rows = self.rows(
            &format!(
                "SELECT id FROM entries
                 WHERE deleted_at IS NULL AND account_id = $1 AND kind = $2 AND day = $3
                   AND score IS NOT DISTINCT FROM $4 AND channel IS NOT DISTINCT FROM $5
                   AND title IS NOT DISTINCT FROM $6 AND closed_on IS NOT DISTINCT FROM $7 AND role = $8
                   AND id <= $9 {note_term}
                 ORDER BY id"
            ),
            &params,
        )?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    pub(crate) fn update_one(
        &mut self,
        table: &str,
        what: &str,
        id: i64,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<()> {
        let changed = self.execute(sql, params)?;
        if changed > 0 {
            return Ok(());
        }
        let exists = !self.rows(&format!("SELECT 1 FROM {table} WHERE id = $1"), &[&id])?.is_empty();
        let (key, url) = (what, &self.url);
        Err(match exists {
            true => BookError::NotPermitted(format!(
                "{key} {id} is not yours to change on the team book at {url}: a CSM changes what is on the accounts \
                 they own; a lead changes anything; nothing was changed"
            )),
            false => BookError::Team(TeamError::Refused(format!(
                "{key} {id} is gone from the team book at {url} (deleted by someone else?); nothing was changed"
            ))),
        })
    }
}

impl BookTxn for TeamTxn<'_> {
    fn last_entry_id(&mut self) -> Result<i64> {
        Ok(self.rows("SELECT coalesce(max(id), 0)::bigint FROM entries", &[])?[0].get(0))
    }

    fn entries_like(&mut self, e: &NewEntry, before: i64) -> Result<Vec<i64>> {
        self.entries_saying(e, before, true)
    }

    fn entries_like_but_note(&mut self, e: &NewEntry, before: i64) -> Result<Vec<i64>> {
        self.entries_saying(e, before, false)
    }

    fn ready_entries_like(&mut self, account_ids: &[i64], before: i64) -> Result<()> {
        // One read of the accounts' entries, counted by what they say: a question a row is a
        // round trip a row (an import of 20,000 entries spent most of its time waiting on them).
        let rows = self.rows(
            "SELECT account_id, kind, day, score, channel, title, closed_on, note, role, id, csm_id, contact_ids
             FROM entries WHERE deleted_at IS NULL AND id <= $2 AND account_id = ANY($1) ORDER BY id",
            &[&account_ids, &before],
        )?;
        let mut readied =
            EntriesReadied { before, accounts: account_ids.iter().copied().collect(), ..Default::default() };
        for r in &rows {
            let key = (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5), r.get(6), r.get(7), r.get(8));
            readied.add(r.get(9), key);
            let people = EntryPeople { csm_id: r.get(10), contact_ids: contact_ids(r.get(11)) };
            readied.people.insert(r.get(9), people);
        }
        self.entries_readied = Some(readied);
        Ok(())
    }

    fn contact_named(&mut self, account_id: i64, name: &str) -> Result<Option<i64>> {
        // Matched here, by the book file's rule, not by the server's lower() (which depends on
        // its locale).
        let rows = self.rows(
            "SELECT id, name, email FROM contacts WHERE account_id = $1 AND deleted_at IS NULL ORDER BY id",
            &[&account_id],
        )?;
        let contacts = rows.iter().map(|r| (r.get(0), r.get(1), r.get(2)));
        Ok(crate::domain::contact::contact_named(contacts.collect::<Vec<_>>(), name))
    }

    fn contact_role(&mut self, id: i64) -> Result<Option<crate::domain::contact::ContactRole>> {
        let rows = self.rows("SELECT role FROM contacts WHERE id = $1", &[&id])?;
        Ok(rows.first().and_then(|r| crate::domain::contact::ContactRole::from_key(r.get::<_, &str>(0))))
    }

    fn csm_id(&mut self, name: &str) -> Result<i64> {
        let folded = name.to_ascii_lowercase();
        // As SQLite's NOCASE: ASCII letters folded, no others.
        let found = self.rows(
            &format!("SELECT id FROM csms WHERE {} = $1 ORDER BY id LIMIT 1", super::read::ascii_lower("name")),
            &[&folded],
        )?;
        if let Some(row) = found.first() {
            return Ok(row.get(0));
        }
        self.insert("INSERT INTO csms (name) VALUES ($1) RETURNING id", &[&name])
    }

    fn account_csm(&mut self, account_id: i64) -> Result<Option<i64>> {
        let rows = self.rows("SELECT csm_id FROM accounts WHERE id = $1", &[&account_id])?;
        match rows.first() {
            Some(row) => Ok(row.get(0)),
            None => Err(BookError::Team(TeamError::Refused(format!(
                "no account {account_id} on the team book at {}",
                self.url
            )))),
        }
    }

    fn account_csms(&mut self, account_ids: &[i64]) -> Result<HashMap<i64, Option<i64>>> {
        let rows = self.rows("SELECT id, csm_id FROM accounts WHERE id = ANY($1)", &[&account_ids])?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn set_signer(&mut self, csm_id: Option<i64>) {
        self.signer = csm_id;
    }

    fn insert_task(&mut self, t: &NewTask) -> Result<i64> {
        let signer = self.signer;
        self.insert(
            "INSERT INTO tasks (account_id, csm_id, owner_id, title, due, status, closed_on, note, playbook, created_on)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            &[
                &t.account_id,
                &signer,
                &t.owner_id,
                &t.title,
                &t.due.to_string(),
                &t.status.key(),
                &t.closed_on.map(|d| d.to_string()),
                &t.note,
                &t.playbook,
                &t.created_on.to_string(),
            ],
        )
    }

    fn insert_tasks(&mut self, tasks: &[NewTask]) -> Result<()> {
        if tasks.is_empty() {
            return Ok(());
        }
        // One statement of arrays, as `insert_entries`.
        let signer = self.signer;
        let text = text_columns(tasks.iter(), TASK_TEXT);
        let account_id: Vec<i64> = tasks.iter().map(|t| t.account_id).collect();
        let owner_id: Vec<Option<i64>> = tasks.iter().map(|t| t.owner_id).collect();
        self.rows(
            "INSERT INTO tasks (account_id, csm_id, owner_id, title, due, status, closed_on, note, playbook, created_on)
             SELECT a, $2, o, t, d, s, c, n, p, cr FROM unnest($1::bigint[], $3::bigint[], $4::text[], $5::text[],
                 $6::text[], $7::text[], $8::text[], $9::text[], $10::text[]) AS u(a, o, t, d, s, c, n, p, cr)",
            &[
                &account_id,
                &signer,
                &owner_id,
                &text[0],
                &text[1],
                &text[2],
                &text[3],
                &text[4],
                &text[5],
                &text[6],
            ],
        )?;
        Ok(())
    }

    fn update_task(&mut self, id: i64, t: &NewTask) -> Result<()> {
        self.update_one(
            "tasks",
            "task",
            id,
            "UPDATE tasks SET owner_id = $2, title = $3, due = $4, status = $5, closed_on = $6, note = $7 WHERE id = $1",
            &[&id, &t.owner_id, &t.title, &t.due.to_string(), &t.status.key(), &t.closed_on.map(|d| d.to_string()), &t.note],
        )
    }

    fn update_tasks(&mut self, tasks: &[(i64, NewTask)]) -> Result<()> {
        if tasks.is_empty() {
            return Ok(());
        }
        // One statement of arrays, as `insert_entries`; a row it did not change (another CSM's,
        // gone) is said as a change of that one alone says it.
        let text = text_columns(tasks.iter().map(|(_, t)| t), TASK_TEXT);
        let ids: Vec<i64> = tasks.iter().map(|(id, _)| *id).collect();
        let owner_id: Vec<Option<i64>> = tasks.iter().map(|(_, t)| t.owner_id).collect();
        let changed = self.execute(
            "UPDATE tasks SET owner_id = u.o, title = u.t, due = u.d, status = u.s, closed_on = u.c, note = u.n
             FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
                 AS u(id, o, t, d, s, c, n)
             WHERE tasks.id = u.id",
            &[&ids, &owner_id, &text[0], &text[1], &text[2], &text[3], &text[4]],
        )?;
        if changed as usize != tasks.len() {
            return tasks.iter().try_for_each(|(id, t)| self.update_task(*id, t));
        }
        Ok(())
    }

    fn set_task_status(&mut self, id: i64, status: TaskStatus, closed_on: Option<NaiveDate>) -> Result<()> {
        self.update_one(
            "tasks",
            "task",
            id,
            "UPDATE tasks SET status = $2, closed_on = $3 WHERE id = $1",
            &[&id, &status.key(), &closed_on.map(|d| d.to_string())],
        )
    }

    fn soft_delete(&mut self, entity: Entity, id: i64) -> Result<()> {
        let sql = format!(
            "UPDATE {} SET deleted_at = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') WHERE id = $1",
            entity.table()
        );
        self.update_one(entity.table(), entity.key(), id, &sql, &[&id])
    }

    fn row_json(&mut self, entity: Entity, id: i64) -> Result<String> {
        // The columns by name, as the SQLite book's row_json writes them: undo reads either. Not
        // the transaction that last wrote the row (schema step 10): the team book's own, no fact.
        let rows = self.rows(
            &format!("SELECT (to_jsonb(t) - 'row_xact')::text FROM {} t WHERE id = $1", entity.table()),
            &[&id],
        )?;
        match rows.first() {
            Some(row) => Ok(row.get(0)),
            None => Err(BookError::Team(TeamError::Refused(format!(
                "no {} {id} on the team book at {}",
                entity.key(),
                self.url
            )))),
        }
    }

    fn record_change(&mut self, c: &ChangeNote<'_>) -> Result<()> {
        self.rows(
            "INSERT INTO changes (session, batch, entity, entity_id, action, detail_id, summary, before)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &c.session,
                &c.batch,
                &c.entity.key(),
                &c.entity_id,
                &c.action.key(),
                &c.detail_id,
                &c.summary,
                &c.before,
            ],
        )
        .map(|_| ())
    }

    fn restore_row(&mut self, entity: Entity, id: i64, json: &str) -> Result<()> {
        // The row's columns the JSON names, read back into the table's own types by PostgreSQL.
        let columns: Vec<String> = self
            .rows(
                "SELECT column_name::text FROM information_schema.columns
                 WHERE table_schema = 'public' AND table_name = $1 AND column_name <> 'id' ORDER BY ordinal_position",
                &[&entity.table()],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json).unwrap_or_default();
        let sets: Vec<&String> = columns.iter().filter(|c| map.contains_key(*c)).collect();
        if sets.is_empty() {
            return Ok(());
        }
        let list = sets.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
        let read = sets.iter().map(|c| format!("r.\"{c}\"")).collect::<Vec<_>>().join(", ");
        let table = entity.table();
        let sql = format!(
            "UPDATE {table} SET ({list}) = (SELECT {read} FROM jsonb_populate_record(NULL::{table}, $2::text::jsonb) r)
             WHERE id = $1"
        );
        self.update_one(table, entity.key(), id, &sql, &[&id, &json])
    }

    fn mark_undone(&mut self, change_id: i64) -> Result<()> {
        self.update_one(
            "changes",
            "change",
            change_id,
            "UPDATE changes SET undone_at = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') WHERE id = $1",
            &[&change_id],
        )
    }

    fn insert_entry(&mut self, e: &NewEntry) -> Result<i64> {
        let said = EntrySaid::of(e);
        let mut params: Vec<&(dyn postgres::types::ToSql + Sync)> = vec![&e.account_id, &e.csm_id];
        params.extend(said.params());
        self.insert(
            "INSERT INTO entries (account_id, csm_id, kind, day, score, channel, title, closed_on, note, role)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            &params,
        )
    }

    fn set_entry_contacts(&mut self, entry_id: i64, ids: &[i64]) -> Result<()> {
        let text = contact_ids_text(ids);
        self.update_one(
            "entries",
            "entry",
            entry_id,
            "UPDATE entries SET contact_ids = $2 WHERE id = $1",
            &[&entry_id, &text],
        )
    }

    fn entry_people(&mut self, entry_id: i64) -> Result<EntryPeople> {
        if let Some(people) = self.entries_readied.as_ref().and_then(|r| r.people.get(&entry_id)) {
            return Ok(people.clone());
        }
        let rows = self.rows("SELECT csm_id, contact_ids FROM entries WHERE id = $1", &[&entry_id])?;
        Ok(rows
            .first()
            .map(|r| EntryPeople { csm_id: r.get(0), contact_ids: contact_ids(r.get(1)) })
            .unwrap_or_default())
    }

    fn entry_note(&mut self, entry_id: i64) -> Result<String> {
        if let Some(key) = self.entries_readied.as_ref().and_then(|r| r.keys.get(&entry_id)) {
            return Ok(key.7.clone());
        }
        let rows = self.rows("SELECT note FROM entries WHERE id = $1", &[&entry_id])?;
        Ok(rows.first().map(|r| r.get(0)).unwrap_or_default())
    }

    fn set_entry_people(&mut self, entry_id: i64, people: &EntryPeople) -> Result<()> {
        let text = contact_ids_text(&people.contact_ids);
        self.update_one(
            "entries",
            "entry",
            entry_id,
            "UPDATE entries SET csm_id = $2, contact_ids = $3 WHERE id = $1",
            &[&entry_id, &people.csm_id, &text],
        )?;
        if let Some(readied) = &mut self.entries_readied
            && readied.people.contains_key(&entry_id)
        {
            readied.people.insert(entry_id, people.clone());
        }
        Ok(())
    }

    fn insert_entries(&mut self, entries: &[(NewEntry, Vec<i64>)]) -> Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        // One statement of arrays for them all: a row at a time, each insert ran the table's
        // statement triggers and a round trip of its own (a third of a millisecond a row).
        let mut c = EntryColumns::default();
        for (e, contact_ids) in entries {
            let said = EntrySaid::of(e);
            c.account_id.push(e.account_id);
            c.csm_id.push(e.csm_id);
            c.kind.push(said.kind);
            c.day.push(said.day);
            c.score.push(e.score);
            c.channel.push(said.channel);
            c.title.push(e.title.as_deref());
            c.closed_on.push(said.closed_on);
            c.note.push(&e.note);
            c.role.push(said.role);
            c.contact_ids.push(contact_ids_text(contact_ids));
        }
        self.rows(
            "INSERT INTO entries (account_id, csm_id, kind, day, score, channel, title, closed_on, note, role, contact_ids)
             SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[],
                 $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])",
            &[
                &c.account_id,
                &c.csm_id,
                &c.kind,
                &c.day,
                &c.score,
                &c.channel,
                &c.title,
                &c.closed_on,
                &c.note,
                &c.role,
                &c.contact_ids,
            ],
        )?;
        Ok(())
    }

    fn invalidate_snapshots(&mut self, account_id: i64) -> Result<()> {
        // A new version of the account's facts: what a reader worked out from the old ones is
        // refused when it is stored (the SQLite book's rule, kept by the same columns).
        self.update_one(
            "accounts",
            "account",
            account_id,
            "UPDATE accounts SET facts_version = facts_version + 1 WHERE id = $1",
            &[&account_id],
        )?;
        self.forget_worked_out(&[account_id])
    }

    fn invalidate_snapshots_of(&mut self, account_ids: &[i64]) -> Result<()> {
        // One statement for them all: an import touches thousands of accounts.
        let ids: Vec<i64> =
            account_ids.iter().copied().collect::<std::collections::BTreeSet<i64>>().into_iter().collect();
        if ids.is_empty() {
            return Ok(());
        }
        self.rows("UPDATE accounts SET facts_version = facts_version + 1 WHERE id = ANY($1)", &[&ids])?;
        self.forget_worked_out(&ids)
    }

    fn signer(&self) -> Option<i64> {
        self.signer
    }

    fn insert_goal(&mut self, g: &NewGoal) -> Result<i64> {
        let id = self.insert(
            "INSERT INTO goals (account_id, csm_id, words, measure, target_date, owner_side, status, created_on)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            &[
                &g.account_id,
                &g.csm_id,
                &g.words,
                &g.measure,
                &g.target_date.map(|d| d.to_string()),
                &g.owner.key(),
                &g.status.key(),
                &g.created_on.to_string(),
            ],
        )?;
        self.set_goal_status(id, g.status, g.created_on, &g.note, g.csm_id)?;
        Ok(id)
    }

    fn insert_goals(&mut self, goals: &[(NewGoal, Vec<GoalEvent>)]) -> Result<()> {
        if goals.is_empty() {
            return Ok(());
        }
        // Two statements of arrays, as `insert_entries`: the goals, with the status each ends on
        // (as a goal's later statuses leave it), their ids back in the file's order (an import's
        // goals are each account's by their words, one each); then every status each had.
        let text = text_columns(
            goals.iter(),
            [
                |(g, _)| Some(g.words.clone()),
                |(g, _)| Some(g.measure.clone()),
                |(g, _)| g.target_date.map(|d| d.to_string()),
                |(g, _)| Some(g.owner.key().to_string()),
                |(g, later)| Some(later.last().map_or(g.status, |e| e.1).key().to_string()),
                |(g, _)| Some(g.created_on.to_string()),
            ],
        );
        let account_id: Vec<i64> = goals.iter().map(|(g, _)| g.account_id).collect();
        let csm_id: Vec<Option<i64>> = goals.iter().map(|(g, _)| g.csm_id).collect();
        let ids: Vec<i64> = self
            .rows(
                "WITH u AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[],
                                $6::text[], $7::text[], $8::text[]) WITH ORDINALITY AS u(a, c, w, m, t, o, s, cr, n)),
                      added AS (INSERT INTO goals (account_id, csm_id, words, measure, target_date, owner_side, status, created_on)
                                SELECT a, c, w, m, t, o, s, cr FROM u ORDER BY n RETURNING id, account_id, words)
                 SELECT added.id FROM added JOIN u ON u.a = added.account_id AND u.w = added.words ORDER BY u.n",
                &[&account_id, &csm_id, &text[0], &text[1], &text[2], &text[3], &text[4], &text[5]],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        if ids.len() != goals.len() {
            return Err(BookError::Team(TeamError::Database {
                url: self.url.clone(),
                detail: format!("{} goals written, {} ids back", goals.len(), ids.len()),
            }));
        }
        let (mut goal_id, mut csm, mut day, mut status, mut note) = (vec![], vec![], vec![], vec![], vec![]);
        for ((g, later), id) in goals.iter().zip(ids) {
            let first = [(g.created_on, g.status, g.note.as_str())];
            for (d, s, n) in first.into_iter().chain(later.iter().map(|(d, s, n)| (*d, *s, n.as_str()))) {
                goal_id.push(id);
                csm.push(g.csm_id);
                day.push(d.to_string());
                status.push(s.key());
                note.push(n);
            }
        }
        self.rows(
            "INSERT INTO goal_status_changes (goal_id, csm_id, day, status, note)
             SELECT g, c, d, s, n FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[])
                 WITH ORDINALITY AS u(g, c, d, s, n, i) ORDER BY i",
            &[&goal_id, &csm, &day, &status, &note],
        )?;
        Ok(())
    }

    fn update_goal(&mut self, id: i64, g: &NewGoal) -> Result<()> {
        self.update_one(
            "goals",
            "goal",
            id,
            "UPDATE goals SET words = $2, measure = $3, target_date = $4, owner_side = $5 WHERE id = $1",
            &[&id, &g.words, &g.measure, &g.target_date.map(|d| d.to_string()), &g.owner.key()],
        )
    }

    fn set_goal_status(
        &mut self,
        goal_id: i64,
        status: GoalStatus,
        day: NaiveDate,
        note: &str,
        csm_id: Option<i64>,
    ) -> Result<i64> {
        self.update_one(
            "goals",
            "goal",
            goal_id,
            "UPDATE goals SET status = $2 WHERE id = $1",
            &[&goal_id, &status.key()],
        )?;
        self.insert(
            "INSERT INTO goal_status_changes (goal_id, csm_id, day, status, note) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[&goal_id, &csm_id, &day.to_string(), &status.key(), &note],
        )
    }

    fn delete_goal_status_change(&mut self, id: i64) -> Result<()> {
        let gone = self
            .tx
            .execute("DELETE FROM goal_status_changes WHERE id = $1", &[&id])
            .map_err(|e| write_error(&self.url, &e))?;
        match gone {
            0 => Err(BookError::NotPermitted(format!(
                "goal status change {id} is not yours to take back on the team book at {}; nothing was changed",
                self.url
            ))),
            _ => Ok(()),
        }
    }

    fn insert_contact(&mut self, c: &NewContact) -> Result<i64> {
        let signer = self.signer;
        self.insert(
            "INSERT INTO contacts (account_id, csm_id, name, title, email, role, status, left_on, note, created_on)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            &[
                &c.account_id,
                &signer,
                &c.name,
                &c.title,
                &c.email,
                &c.role.map_or("", |r| r.key()),
                &c.status.key(),
                &c.left_on.map(|d| d.to_string()),
                &c.note,
                &c.created_on.to_string(),
            ],
        )
    }

    fn insert_contacts(&mut self, contacts: &[NewContact]) -> Result<()> {
        if contacts.is_empty() {
            return Ok(());
        }
        // One statement of arrays, as `insert_entries`.
        let signer = self.signer;
        let text = text_columns(contacts.iter(), CONTACT_TEXT);
        let account_id: Vec<i64> = contacts.iter().map(|c| c.account_id).collect();
        self.rows(
            "INSERT INTO contacts (account_id, csm_id, name, title, email, role, status, left_on, note, created_on)
             SELECT a, $2, n, t, e, r, s, l, nt, cr FROM unnest($1::bigint[], $3::text[], $4::text[], $5::text[],
                 $6::text[], $7::text[], $8::text[], $9::text[], $10::text[]) AS u(a, n, t, e, r, s, l, nt, cr)",
            &[&account_id, &signer, &text[0], &text[1], &text[2], &text[3], &text[4], &text[5], &text[6], &text[7]],
        )?;
        Ok(())
    }

    fn update_contact(&mut self, id: i64, c: &NewContact) -> Result<()> {
        self.update_one(
            "contacts",
            "contact",
            id,
            "UPDATE contacts SET name = $2, title = $3, email = $4, role = $5, status = $6, left_on = $7, note = $8
             WHERE id = $1",
            &[
                &id,
                &c.name,
                &c.title,
                &c.email,
                &c.role.map_or("", |r| r.key()),
                &c.status.key(),
                &c.left_on.map(|d| d.to_string()),
                &c.note,
            ],
        )
    }

    fn update_contacts(&mut self, contacts: &[(i64, NewContact)]) -> Result<()> {
        if contacts.is_empty() {
            return Ok(());
        }
        // One statement of arrays, as `update_tasks`.
        let text = text_columns(contacts.iter().map(|(_, c)| c), CONTACT_TEXT);
        let ids: Vec<i64> = contacts.iter().map(|(id, _)| *id).collect();
        let changed = self.execute(
            "UPDATE contacts SET name = u.n, title = u.t, email = u.e, role = u.r, status = u.s, left_on = u.l, note = u.nt
             FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
                 AS u(id, n, t, e, r, s, l, nt)
             WHERE contacts.id = u.id",
            &[&ids, &text[0], &text[1], &text[2], &text[3], &text[4], &text[5], &text[6]],
        )?;
        if changed as usize != contacts.len() {
            return contacts.iter().try_for_each(|(id, c)| self.update_contact(*id, c));
        }
        Ok(())
    }

    fn set_band_override(
        &mut self,
        account_id: i64,
        band: HealthBand,
        reason: &str,
        day: NaiveDate,
        expires_on: NaiveDate,
    ) -> Result<i64> {
        self.clear_band_override(account_id, day)?;
        let signer = self.signer;
        self.insert(
            "INSERT INTO band_overrides (account_id, csm_id, band, reason, set_on, expires_on)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[&account_id, &signer, &band_key(band), &reason, &day.to_string(), &expires_on.to_string()],
        )
    }

    fn band_overrides_in_force(&mut self, account_id: i64, day: NaiveDate) -> Result<Vec<i64>> {
        let rows = self.rows(
            "SELECT id FROM band_overrides
             WHERE account_id = $1 AND cleared_on IS NULL AND expires_on > $2 AND deleted_at IS NULL ORDER BY id",
            &[&account_id, &day.to_string()],
        )?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn renew_account(
        &mut self,
        id: i64,
        day: NaiveDate,
        renewal: NaiveDate,
        arr: crate::domain::Cents,
    ) -> Result<(i64, Option<i64>)> {
        let (before_renewal, before_arr) = self.renewal_and_arr(id)?;
        self.update_one(
            "accounts",
            "account",
            id,
            "UPDATE accounts SET renewal_date = $2, arr_cents = $3, status = 'renewed',
                 updated_at = extract(epoch FROM now())::bigint WHERE id = $1",
            &[&id, &renewal.to_string(), &arr.0],
        )?;
        let arr_change = self.arr_change_if_moved(id, day, before_arr, arr.0, "renewal")?;
        let signer = self.signer;
        let event = self.insert(
            "INSERT INTO contract_events (account_id, csm_id, kind, day, renewal_before, renewal_after, arr_before, arr_after)
             VALUES ($1, $2, 'renewed', $3, $4, $5, $6, $7) RETURNING id",
            &[&id, &signer, &day.to_string(), &before_renewal, &renewal.to_string(), &before_arr, &arr.0],
        )?;
        Ok((event, arr_change))
    }

    fn reactivate_account(&mut self, id: i64, day: NaiveDate, arr: crate::domain::Cents) -> Result<(i64, Option<i64>)> {
        let (_, before_arr) = self.renewal_and_arr(id)?;
        let churned_on: Option<String> =
            self.rows("SELECT churned_on FROM accounts WHERE id = $1", &[&id])?.first().and_then(|r| r.get(0));
        let event = self.return_events(id, day, churned_on, before_arr, arr.0)?;
        self.update_one(
            "accounts",
            "account",
            id,
            "UPDATE accounts SET status = 'active', churned_on = NULL, arr_cents = $2,
                 updated_at = extract(epoch FROM now())::bigint WHERE id = $1",
            &[&id, &arr.0],
        )?;
        let arr_change = self.arr_change_if_moved(id, day, before_arr, arr.0, "reactivation")?;
        Ok((event, arr_change))
    }

    fn set_account_csm(&mut self, id: i64, csm_id: Option<i64>) -> Result<()> {
        // The database lets a lead hand an account over; a CSM's own stays theirs.
        self.update_one(
            "accounts",
            "account",
            id,
            "UPDATE accounts SET csm_id = $2, updated_at = extract(epoch FROM now())::bigint WHERE id = $1",
            &[&id, &csm_id],
        )?;
        Ok(())
    }

    fn churn_account(&mut self, id: i64, day: NaiveDate, reason: &str) -> Result<i64> {
        let (renewal, arr) = self.renewal_and_arr(id)?;
        self.update_one(
            "accounts",
            "account",
            id,
            "UPDATE accounts SET status = 'churned', churned_on = $2,
                 updated_at = extract(epoch FROM now())::bigint WHERE id = $1",
            &[&id, &day.to_string()],
        )?;
        let signer = self.signer;
        self.insert(
            "INSERT INTO contract_events (account_id, csm_id, kind, day, renewal_before, renewal_after, arr_before, arr_after, reason)
             VALUES ($1, $2, 'churned', $3, $4, $4, $5, $5, $6) RETURNING id",
            &[&id, &signer, &day.to_string(), &renewal, &arr, &reason],
        )
    }

    /// As on a book file: the episode that ended on `day` is resumed rather than a new one begun.
    fn start_episode(&mut self, playbook: &str, account_id: i64, day: NaiveDate, resume: bool) -> Result<bool> {
        if !resume {
            return self
                .rows(
                    "INSERT INTO playbook_episodes (playbook, account_id, started_on) VALUES ($1, $2, $3)",
                    &[&playbook, &account_id, &day.to_string()],
                )
                .map(|_| false);
        }
        let resumed = self.rows(
            "UPDATE playbook_episodes SET ended_on = NULL WHERE id = (SELECT max(id) FROM playbook_episodes
                 WHERE playbook = $1 AND account_id = $2 AND ended_on = $3) RETURNING id",
            &[&playbook, &account_id, &day.to_string()],
        )?;
        if !resumed.is_empty() {
            return Ok(true);
        }
        self.rows(
            "INSERT INTO playbook_episodes (playbook, account_id, started_on) VALUES ($1, $2, $3)",
            &[&playbook, &account_id, &day.to_string()],
        )
        .map(|_| false)
    }

    fn end_episode(&mut self, playbook: &str, account_id: i64, day: NaiveDate) -> Result<()> {
        self.rows(
            "UPDATE playbook_episodes SET ended_on = $3 WHERE playbook = $1 AND account_id = $2 AND ended_on IS NULL",
            &[&playbook, &account_id, &day.to_string()],
        )
        .map(|_| ())
    }

    fn insert_milestone(&mut self, m: &crate::store::NewMilestone) -> Result<i64> {
        // Into the `milestones` view, whose trigger takes the next id of written and planned
        // milestones alike (schema step 3).
        self.insert(
            "INSERT INTO milestones (account_id, csm_id, journey, name, due, done, note)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            &[
                &m.account_id,
                &m.csm_id,
                &m.journey.to_string(),
                &m.name,
                &m.due.to_string(),
                &m.done.map(|d| d.to_string()),
                &m.note,
            ],
        )
    }

    fn insert_milestones(&mut self, milestones: &[crate::store::NewMilestone]) -> Result<()> {
        if milestones.is_empty() {
            return Ok(());
        }
        // One statement of arrays, as `insert_entries`: into the written milestones' table, with
        // the ids the view's trigger gives one at a time (a third of a millisecond a row).
        let text = text_columns(
            milestones.iter(),
            [
                |m| Some(m.journey.clone()),
                |m| Some(m.name.clone()),
                |m| Some(m.due.to_string()),
                |m| m.done.map(|d| d.to_string()),
                |m| Some(m.note.clone()),
            ],
        );
        let account_id: Vec<i64> = milestones.iter().map(|m| m.account_id).collect();
        let csm_id: Vec<Option<i64>> = milestones.iter().map(|m| m.csm_id).collect();
        self.rows(
            &format!(
                "{}
                 INSERT INTO milestone_rows (id, account_id, csm_id, journey, name, due, done, note)
                 SELECT first.id + u.n, u.a, u.c, u.j, u.m, u.d, u.dn, u.nt
                 FROM first, unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
                     WITH ORDINALITY AS u(a, c, j, m, d, dn, nt, n)",
                super::import::MILESTONE_IDS
            ),
            &[&account_id, &csm_id, &text[0], &text[1], &text[2], &text[3], &text[4]],
        )?;
        Ok(())
    }

    fn update_milestone(&mut self, id: i64, m: &crate::store::NewMilestone) -> Result<()> {
        self.update_one(
            "milestones",
            "milestone",
            id,
            "UPDATE milestones SET journey = $2, name = $3, due = $4, done = $5, note = $6 WHERE id = $1",
            &[&id, &m.journey.to_string(), &m.name, &m.due.to_string(), &m.done.map(|d| d.to_string()), &m.note],
        )
    }

    fn update_entry(&mut self, id: i64, e: &NewEntry) -> Result<()> {
        self.update_one(
            "entries",
            "entry",
            id,
            "UPDATE entries SET kind = $2, day = $3, score = $4, channel = $5, title = $6, closed_on = $7, note = $8,
                    role = $9 WHERE id = $1",
            &std::iter::once(&id as &(dyn postgres::types::ToSql + Sync))
                .chain(EntrySaid::of(e).params())
                .collect::<Vec<_>>(),
        )?;
        // What an import read of the entries says it now, as the book does.
        if let Some(readied) = &mut self.entries_readied {
            readied.changed(id, EntrySaid::of(e).key(e.account_id));
        }
        Ok(())
    }

    fn set_triage_mark(&mut self, account_id: i64, mark: Option<&crate::domain::triage::Mark>) -> Result<()> {
        // A mark the rules keep a member from changing is passed over in silence by the DELETE
        // (the INSERT is refused aloud): counted first, and said.
        let marked = !self.rows("SELECT 1 FROM triage_marks WHERE account_id = $1", &[&account_id])?.is_empty();
        let changed = match mark {
            Some(m) => self
                .tx
                .execute(
                    // A member's mark is signed by the database as theirs (schema step 7).
                    "INSERT INTO triage_marks (account_id, state, marked_on, until, reasons, csm_id)
                     VALUES ($1, $2, $3, $4, $5,
                             (SELECT id FROM csms WHERE lower(name) = lower($6) ORDER BY id LIMIT 1))
                     ON CONFLICT (account_id) DO UPDATE
                     SET state = EXCLUDED.state, marked_on = EXCLUDED.marked_on, until = EXCLUDED.until,
                         reasons = EXCLUDED.reasons, csm_id = EXCLUDED.csm_id",
                    &[
                        &account_id,
                        &m.state.key(),
                        &m.marked_on.to_string(),
                        &m.until.map(|d| d.to_string()),
                        &m.reasons.join(","),
                        &m.by,
                    ],
                )
                .map_err(|e| write_error(&self.url, &e))?,
            None => self
                .tx
                .execute("DELETE FROM triage_marks WHERE account_id = $1", &[&account_id])
                .map_err(|e| write_error(&self.url, &e))?,
        };
        match changed == 0 && marked {
            true => Err(BookError::NotPermitted(format!(
                "the Triage mark of account {account_id} is not yours to change on the team book at {}",
                self.url
            ))),
            false => Ok(()),
        }
    }

    fn clear_band_override(&mut self, account_id: i64, day: NaiveDate) -> Result<()> {
        // Every member sees the overrides; one the rules keep them from changing would be passed
        // over in silence by the UPDATE: counted first, and said.
        let in_force = self.band_overrides_in_force(account_id, day)?.len() as u64;
        let day = day.to_string();
        let cleared = self
            .tx
            .execute(
                "UPDATE band_overrides SET cleared_on = $2
                 WHERE account_id = $1 AND cleared_on IS NULL AND expires_on > $2 AND deleted_at IS NULL",
                &[&account_id, &day],
            )
            .map_err(|e| write_error(&self.url, &e))?;
        match cleared < in_force {
            true => Err(BookError::NotPermitted(format!(
                "the band override of account {account_id} is not yours to clear on the team book at {}",
                self.url
            ))),
            false => Ok(()),
        }
    }
}
