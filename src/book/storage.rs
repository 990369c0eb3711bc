//! The storage seam of issue 21: what the use cases read from a book and the one transactional
//! writer they write through, whichever engine holds it: a SQLite file (`Store`) or a team book
//! on PostgreSQL (`team::TeamBook`). So far the reads that find an account, a CSM or a task by
//! what a person typed, the task, goal, milestone and contact lists, and the task writes. Only
//! the backends speak SQL; the use cases above (resolving names, listing, adding and closing
//! tasks) are written once, and a conformance test holds both backends to the same answers on
//! the same book.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::account::Account;
use crate::domain::goal::GoalStatus;
use crate::domain::task::TaskStatus;
use crate::domain::{AccountFacts, Catalog, HealthBand};
use crate::store::contacts::ContactRecord;
use crate::store::contracts::ContractEvent;
use crate::store::log::{ChangeAction, ChangeRecord, Entity, Named, UndoableBatch};
use crate::store::overrides::BandOverride;
use crate::store::{
    EntryPeople, EntryRecord, GoalRecord, MilestoneRecord, NewContact, NewEntry, NewGoal, NewTask, Store, StoreError,
    TaskFilter, TaskRecord, Writer,
};
use crate::team::TeamError;

#[derive(Debug, thiserror::Error)]
pub enum BookError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Team(#[from] TeamError),
    /// A write the book's own rules refused (a team book's row-level security: another CSM's
    /// account), with what the engine said; the use case says it in its own words.
    #[error("{0}")]
    NotPermitted(String),
}

pub trait BookRead {
    /// Accounts a typed reference may mean: the one with that external id (in any case when
    /// only one has it so), else those whose name starts with it (any case), by name, at most
    /// `limit`; as (id, external id, name).
    fn find_accounts(&self, query: &str, limit: usize) -> Result<Vec<(i64, String, String)>, BookError>;
    fn account_count(&self) -> Result<usize, BookError>;
    /// (id, name) of every account, by name.
    fn account_names(&self) -> Result<Vec<(i64, String)>, BookError>;
    /// (id, name) of every CSM, by id.
    fn csms(&self) -> Result<Vec<(i64, String)>, BookError>;
    /// The ids of the accounts a CSM owns (churned ones too), by id.
    fn accounts_owned_by(&self, csm_id: i64) -> Result<Vec<i64>, BookError>;
    /// An account's name.
    fn account_name(&self, id: i64) -> Result<String, BookError>;
    /// (id, external id) of every account, by id: the order exports list accounts in.
    fn external_ids(&self) -> Result<Vec<(i64, String)>, BookError>;
    /// The ids of the churned accounts, by id.
    fn churned_ids(&self) -> Result<Vec<(i64, Option<chrono::NaiveDate>)>, BookError>;
    /// An account's goals, oldest first, each with its changes of status.
    fn goals_for(&self, account_id: i64) -> Result<Vec<GoalRecord>, BookError>;
    /// An account's milestones, written or planned by a journey, by due day.
    fn milestones_for(&self, account_id: i64) -> Result<Vec<MilestoneRecord>, BookError>;
    /// Every account's goals, by account id, each account's as `goals_for` gives them (a team
    /// book reads them at once rather than an account at a time: one round trip, not 100,000).
    fn goals_by_account(&self) -> Result<std::collections::HashMap<i64, Vec<GoalRecord>>, BookError> {
        self.external_ids()?.into_iter().map(|(id, _)| Ok((id, self.goals_for(id)?))).collect()
    }
    /// Every account's milestones, by account id, each account's as `milestones_for` gives them.
    fn milestones_by_account(&self) -> Result<std::collections::HashMap<i64, Vec<MilestoneRecord>>, BookError> {
        self.external_ids()?.into_iter().map(|(id, _)| Ok((id, self.milestones_for(id)?))).collect()
    }
    /// `goals_for` each of these accounts (an import's), by account: a team book reads them in
    /// one round trip rather than one an account.
    fn goals_of(&self, account_ids: &[i64]) -> Result<HashMap<i64, Vec<GoalRecord>>, BookError> {
        each_of(account_ids, |id| self.goals_for(id))
    }
    /// `milestones_for` each of these accounts, as `goals_of`.
    fn milestones_of(&self, account_ids: &[i64]) -> Result<HashMap<i64, Vec<MilestoneRecord>>, BookError> {
        each_of(account_ids, |id| self.milestones_for(id))
    }
    /// `contacts_for` each of these accounts, as `goals_of`.
    fn contacts_of(&self, account_ids: &[i64]) -> Result<HashMap<i64, Vec<ContactRecord>>, BookError> {
        each_of(account_ids, |id| self.contacts_for(id))
    }
    /// Every task, open or closed, of each of these accounts, as `tasks` lists an account's; as
    /// `goals_of`.
    fn tasks_of(&self, account_ids: &[i64]) -> Result<HashMap<i64, Vec<TaskRecord>>, BookError> {
        each_of(account_ids, |id| self.tasks(&TaskFilter { account_id: Some(id), all: true, ..Default::default() }))
    }
    /// One milestone (written, or planned by a journey) by its id, unless deleted.
    fn milestone(&self, id: i64) -> Result<Option<MilestoneRecord>, BookError>;
    /// One log entry by its id, unless deleted.
    fn entry(&self, id: i64) -> Result<Option<crate::store::EntryRecord>, BookError>;
    /// An account's people: those there first (champions and sponsors ahead), then those who left.
    fn contacts_for(&self, account_id: i64) -> Result<Vec<ContactRecord>, BookError>;
    /// Everyone's people, by account's external id and name.
    fn all_contacts(&self) -> Result<Vec<ContactRecord>, BookError>;
    /// The order of day and month the book's earlier files of `kind` showed (`Store::kept_date_order`);
    /// None on a team book, which does not keep it yet.
    fn kept_date_order(&self, _kind: &str) -> Result<Option<crate::import::values::KeptDateOrder>, BookError> {
        Ok(None)
    }
    /// The kinds of entries factors read that the book has logged (`Store::logged_kinds`); none on
    /// a team book, which does not say yet.
    fn logged_kinds(&self) -> Result<Vec<crate::domain::catalog::LogKind>, BookError> {
        Ok(Vec::new())
    }
    /// What the connection is signed in as on a team book ("csm", "lead", "importer"); None for
    /// a book file.
    fn member_kind(&self) -> Result<Option<String>, BookError> {
        Ok(None)
    }
    /// The accounts whose facts the connection may not write, as (id, name, CSM): a team
    /// book's CSM writes on their own accounts only; none for a book file, a lead or an
    /// importer.
    fn accounts_not_mine(&self) -> Result<Vec<(i64, String, Option<String>)>, BookError> {
        Ok(Vec::new())
    }
    /// The CSM the connection is signed in as (a team book's member); None for a book file, whose
    /// reader is whoever `me` in the config says.
    fn signed_in_csm(&self) -> Result<Option<String>, BookError> {
        Ok(None)
    }
    /// The tasks a filter picks: open ones by due day, then (with `all`) the closed ones, the
    /// latest closed first.
    fn tasks(&self, filter: &TaskFilter) -> Result<Vec<TaskRecord>, BookError>;
    /// A task not deleted, by id.
    fn task(&self, id: i64) -> Result<Option<TaskRecord>, BookError>;
    /// The name of an account's CSM, if it has one.
    fn account_csm_name(&self, account_id: i64) -> Result<Option<String>, BookError>;
    /// The account a task, goal, milestone or other entity belongs to (deleted or not), if the
    /// entity exists.
    fn account_of(&self, entity: Entity, id: i64) -> Result<Option<i64>, BookError>;
    /// Tasks, goals, milestones or contacts whose words start with `start` (any ASCII case), on
    /// one account or all, by id: as (id, words, account name).
    fn find_named(
        &self,
        what: Named,
        start: &str,
        account_id: Option<i64>,
        limit: usize,
    ) -> Result<Vec<(i64, String, String)>, BookError>;
    /// Every fact about one account that the catalog's factors read, each series oldest first.
    fn account_facts(&self, account_id: i64, catalog: &Catalog) -> Result<AccountFacts, BookError>;
    /// The days of the whole book every account's facts carry (`store::facts::BookDays`).
    fn book_days(&self) -> Result<crate::store::facts::BookDays, BookError>;
    /// How many accounts have a usage sample on `day` (not a ticket count): a scan of the samples,
    /// asked only when an import makes a thin newest week (`data_days::ThinDay`).
    fn accounts_sampled_on(&self, day: chrono::NaiveDate) -> Result<u64, BookError>;
    /// A contact not deleted, by id.
    fn contact(&self, id: i64) -> Result<Option<ContactRecord>, BookError>;
    /// A goal not deleted, by id, with its changes of status.
    fn goal(&self, id: i64) -> Result<Option<GoalRecord>, BookError>;
    /// An account in full.
    fn account(&self, id: i64) -> Result<Account, BookError>;
    /// The columns an import kept on the account beyond tend's own ("Region", "Industry"), by name.
    fn account_attributes(&self, id: i64) -> Result<Vec<(String, String)>, BookError>;
    /// An account's log entries, newest first.
    fn entries_for(&self, account_id: i64) -> Result<Vec<EntryRecord>, BookError>;
    /// Every band override an account has had, newest first.
    fn overrides_for(&self, account_id: i64) -> Result<Vec<BandOverride>, BookError>;
    /// An account's renewals, churns and returns, newest first.
    fn contract_events(&self, account_id: i64) -> Result<Vec<ContractEvent>, BookError>;
    /// The account's ARR changes that are no renewal's or return's (an import's), newest first.
    fn other_arr_changes(&self, account_id: i64) -> Result<Vec<crate::store::contracts::ArrChangeRecord>, BookError>;
    /// How the command line's sessions start on this book: `cli-` on a file; on a team book
    /// `cli-ROLE-`, each member's own, so that undo finds the member's changes and no one else's.
    fn session_prefix(&self) -> Result<String, BookError> {
        Ok("cli-".to_string())
    }
    /// The session of the newest change not undone whose session starts with `prefix`.
    fn last_session_like(&self, prefix: &str) -> Result<Option<String>, BookError>;
    /// The batch of the newest change of `session` not undone.
    fn last_batch(&self, session: &str) -> Result<Option<String>, BookError>;
    /// The changes of one batch not undone yet, newest first (the order they are undone in).
    fn batch_changes(&self, batch: &str) -> Result<Vec<ChangeRecord>, BookError>;
    /// The batch a change number (as `undoable_batches` gives it) belongs to, if not undone.
    fn batch_of(&self, change_id: i64) -> Result<Option<String>, BookError>;
    /// The session a change was made in.
    fn session_of(&self, change_id: i64) -> Result<Option<String>, BookError>;
    /// A change after `after` to the same row, not undone: undoing an older change under it would
    /// throw it away.
    fn later_change_to(&self, entity: Entity, entity_id: i64, after: i64) -> Result<Option<(i64, String)>, BookError>;
    /// The batches of sessions starting with `prefix` not undone yet, newest first.
    fn undoable_batches(&self, prefix: &str, limit: usize) -> Result<Vec<UndoableBatch>, BookError>;
}

/// A book that can be written: one transaction at a time, all of it or none of it.
pub trait Book: BookRead {
    /// Run `write` in one transaction, committed when it returns Ok and rolled back otherwise.
    /// (A `dyn FnMut` so that the trait stays object-safe: callers hold a `&mut dyn Book`.)
    fn transact(&mut self, write: &mut dyn FnMut(&mut dyn BookTxn) -> Result<(), BookError>) -> Result<(), BookError>;
}

/// A goal's status as of a day, with what was said of it.
pub type GoalEvent = (NaiveDate, GoalStatus, String);

/// What `read` gives for each of these accounts, each read once.
fn each_of<T>(
    account_ids: &[i64],
    mut read: impl FnMut(i64) -> Result<Vec<T>, BookError>,
) -> Result<HashMap<i64, Vec<T>>, BookError> {
    let ids: std::collections::BTreeSet<i64> = account_ids.iter().copied().collect();
    ids.into_iter().map(|id| Ok((id, read(id)?))).collect()
}

/// The writes of one transaction, whichever engine holds the book: the one transactional
/// writer of the storage seam. Each backend says a write it may not make (a row another CSM
/// owns, on a team book) as an error, never as a write that silently changed nothing.
pub trait BookTxn {
    /// The id of the CSM of that name (any ASCII case), added to the book when it has none.
    fn csm_id(&mut self, name: &str) -> Result<i64, BookError>;
    /// The highest entry id (0 for none), seen from this transaction.
    fn last_entry_id(&mut self) -> Result<i64, BookError>;
    /// The live entries with ids up to `before` that say just what `e` says, by id.
    fn entries_like(&mut self, e: &NewEntry, before: i64) -> Result<Vec<i64>, BookError>;
    /// `entries_like` whatever their note: an activity whose comment was edited in the CRM, or
    /// a file without a note column.
    fn entries_like_but_note(&mut self, e: &NewEntry, before: i64) -> Result<Vec<i64>, BookError>;
    /// `entries_like` is about to be asked of entries on these accounts, with this `before`: a
    /// book across a network reads their entries at once rather than one question a row.
    fn ready_entries_like(&mut self, _account_ids: &[i64], _before: i64) -> Result<(), BookError> {
        Ok(())
    }
    /// The account's live contact of that name, else of that email (any case), seen from this
    /// transaction.
    fn contact_named(&mut self, account_id: i64, name: &str) -> Result<Option<i64>, BookError>;
    /// A contact's role, seen from this transaction.
    fn contact_role(&mut self, id: i64) -> Result<Option<crate::domain::contact::ContactRole>, BookError>;
    /// The id of an account's CSM.
    fn account_csm(&mut self, account_id: i64) -> Result<Option<i64>, BookError>;
    /// `account_csm` of many accounts (an import's), each once.
    fn account_csms(&mut self, account_ids: &[i64]) -> Result<HashMap<i64, Option<i64>>, BookError> {
        let ids: std::collections::BTreeSet<i64> = account_ids.iter().copied().collect();
        ids.into_iter().map(|id| Ok((id, self.account_csm(id)?))).collect()
    }
    /// Sign this transaction's entries with a CSM (a team book signs them with the member's own
    /// CSM whatever is asked).
    fn set_signer(&mut self, csm_id: Option<i64>);
    fn insert_task(&mut self, task: &NewTask) -> Result<i64, BookError>;
    /// Many tasks (an import's) whose ids nobody needs: a book across a network takes them in
    /// one statement rather than one a row.
    fn insert_tasks(&mut self, tasks: &[NewTask]) -> Result<(), BookError> {
        tasks.iter().try_for_each(|t| self.insert_task(t).map(|_| ()))
    }
    /// Many tasks changed (an import's), by id, as `insert_tasks`.
    fn update_tasks(&mut self, tasks: &[(i64, NewTask)]) -> Result<(), BookError> {
        tasks.iter().try_for_each(|(id, t)| self.update_task(*id, t))
    }
    /// Change a task's title, due day, owner, status and note (where it came from stays).
    fn update_task(&mut self, id: i64, task: &NewTask) -> Result<(), BookError>;
    fn set_task_status(&mut self, id: i64, status: TaskStatus, closed_on: Option<NaiveDate>) -> Result<(), BookError>;
    /// Mark a row deleted (kept for undo).
    fn soft_delete(&mut self, entity: Entity, id: i64) -> Result<(), BookError>;
    /// A row as JSON of its columns, for undo to put back.
    fn row_json(&mut self, entity: Entity, id: i64) -> Result<String, BookError>;
    /// Record a change for undo.
    fn record_change(&mut self, change: &ChangeNote<'_>) -> Result<(), BookError>;
    /// A log entry (signed as `entry.csm_id`, where the book does not sign it itself).
    fn insert_entry(&mut self, entry: &NewEntry) -> Result<i64, BookError>;
    /// The people an entry was with (contacts of its account, by id).
    fn set_entry_contacts(&mut self, entry_id: i64, contact_ids: &[i64]) -> Result<(), BookError>;
    /// Who signed an entry and the people it was with, seen from this transaction (an import
    /// matching a row to it tells a changed By or With from an unchanged row).
    fn entry_people(&mut self, entry_id: i64) -> Result<EntryPeople, BookError>;
    /// An entry's note, seen from this transaction (a row of a file without a note column keeps
    /// the entry's).
    fn entry_note(&mut self, entry_id: i64) -> Result<String, BookError>;
    /// Sign an entry by another CSM, and name the people it was with.
    fn set_entry_people(&mut self, entry_id: i64, people: &EntryPeople) -> Result<(), BookError>;
    /// Many log entries (an import's), each with the people it was with, whose ids nobody needs:
    /// a book across a network takes them in one statement rather than one a row.
    fn insert_entries(&mut self, entries: &[(NewEntry, Vec<i64>)]) -> Result<(), BookError> {
        for (entry, contact_ids) in entries {
            let id = self.insert_entry(entry)?;
            if !contact_ids.is_empty() {
                self.set_entry_contacts(id, contact_ids)?;
            }
        }
        Ok(())
    }
    /// An account's facts changed: what was worked out from the old ones (factor snapshots,
    /// history) is stale.
    fn invalidate_snapshots(&mut self, account_id: i64) -> Result<(), BookError>;
    /// `invalidate_snapshots` of many accounts (an import's), each once.
    fn invalidate_snapshots_of(&mut self, account_ids: &[i64]) -> Result<(), BookError> {
        let ids: std::collections::BTreeSet<i64> = account_ids.iter().copied().collect();
        ids.into_iter().try_for_each(|id| self.invalidate_snapshots(id))
    }
    /// The CSM this transaction signs with.
    fn signer(&self) -> Option<i64>;
    /// A goal and its first status (signed as `goal.csm_id`).
    fn insert_goal(&mut self, goal: &NewGoal) -> Result<i64, BookError>;
    /// Many goals (an import's), each with its first status and the statuses it had after, in
    /// order (signed as its `csm_id`): a book across a network takes them in two statements
    /// rather than two or more a goal.
    fn insert_goals(&mut self, goals: &[(NewGoal, Vec<GoalEvent>)]) -> Result<(), BookError> {
        for (goal, later) in goals {
            let id = self.insert_goal(goal)?;
            for (day, status, note) in later {
                self.set_goal_status(id, *status, *day, note, goal.csm_id)?;
            }
        }
        Ok(())
    }
    /// Change what a goal says (not its status: `set_goal_status` keeps its history).
    fn update_goal(&mut self, id: i64, goal: &NewGoal) -> Result<(), BookError>;
    /// A goal's new status, as of `day`; the id of the history row.
    fn set_goal_status(
        &mut self,
        goal_id: i64,
        status: GoalStatus,
        day: NaiveDate,
        note: &str,
        csm_id: Option<i64>,
    ) -> Result<i64, BookError>;
    /// Take back a row of a goal's history (undoing a change of status).
    fn delete_goal_status_change(&mut self, id: i64) -> Result<(), BookError>;
    /// Override an account's band from `day` until `expires_on`, ending any in force (signed as
    /// the transaction's signer); the new override's id.
    fn set_band_override(
        &mut self,
        account_id: i64,
        band: HealthBand,
        reason: &str,
        day: NaiveDate,
        expires_on: NaiveDate,
    ) -> Result<i64, BookError>;
    /// The ids of an account's overrides still in force on `day`.
    fn band_overrides_in_force(&mut self, account_id: i64, day: NaiveDate) -> Result<Vec<i64>, BookError>;
    /// End the account's overrides still in force on `day`.
    fn clear_band_override(&mut self, account_id: i64, day: NaiveDate) -> Result<(), BookError>;
    /// A person at an account (signed as the transaction's signer).
    fn insert_contact(&mut self, contact: &NewContact) -> Result<i64, BookError>;
    /// Many contacts (an import's) whose ids nobody needs, as `insert_tasks`.
    fn insert_contacts(&mut self, contacts: &[NewContact]) -> Result<(), BookError> {
        contacts.iter().try_for_each(|c| self.insert_contact(c).map(|_| ()))
    }
    /// Many contacts changed (an import's), by id, as `insert_tasks`.
    fn update_contacts(&mut self, contacts: &[(i64, NewContact)]) -> Result<(), BookError> {
        contacts.iter().try_for_each(|(id, c)| self.update_contact(*id, c))
    }
    /// Change a person (when tend first knew them stays).
    fn update_contact(&mut self, id: i64, contact: &NewContact) -> Result<(), BookError>;
    /// Put a row back as `row_json` saw it.
    fn restore_row(&mut self, entity: Entity, id: i64, json: &str) -> Result<(), BookError>;
    /// Remove a CSM no row of the book names any more (an undone hand-over to someone new);
    /// whether they were. A team book keeps its CSMs: each may be a member's role.
    fn forget_csm_if_unused(&mut self, _csm_id: i64) -> Result<bool, BookError> {
        Ok(false)
    }
    /// Mark a change undone.
    fn mark_undone(&mut self, change_id: i64) -> Result<(), BookError>;
    /// Mark an account renewed on `day` until `renewal` at `arr`: its contract event's id, and
    /// its ARR change's when the ARR moved.
    fn renew_account(
        &mut self,
        id: i64,
        day: NaiveDate,
        renewal: NaiveDate,
        arr: crate::domain::Cents,
    ) -> Result<(i64, Option<i64>), BookError>;
    /// A churned account back as a customer from `day` at `arr`: as `renew_account`.
    fn reactivate_account(
        &mut self,
        id: i64,
        day: NaiveDate,
        arr: crate::domain::Cents,
    ) -> Result<(i64, Option<i64>), BookError>;
    /// Mark an account churned on `day`: its contract event's id.
    fn churn_account(&mut self, id: i64, day: NaiveDate, reason: &str) -> Result<i64, BookError>;
    /// Hand an account to another CSM (None: to no one).
    fn set_account_csm(&mut self, id: i64, csm_id: Option<i64>) -> Result<(), BookError>;
    /// A playbook's trigger began holding for an account on `day` (its tasks open once while it
    /// lasts). With `resume` (after an undo), an episode that ended that very day is resumed
    /// instead, and true said: the write undone had ended it, and its tasks were opened.
    fn start_episode(
        &mut self,
        playbook: &str,
        account_id: i64,
        day: NaiveDate,
        resume: bool,
    ) -> Result<bool, BookError>;
    /// A playbook's trigger stopped holding for an account on `day`.
    fn end_episode(&mut self, playbook: &str, account_id: i64, day: NaiveDate) -> Result<(), BookError>;
    /// A milestone (signed as the transaction's signer); its id.
    fn insert_milestone(&mut self, m: &crate::store::NewMilestone) -> Result<i64, BookError>;
    /// Many milestones (an import's) whose ids nobody needs, as `insert_tasks`.
    fn insert_milestones(&mut self, milestones: &[crate::store::NewMilestone]) -> Result<(), BookError> {
        milestones.iter().try_for_each(|m| self.insert_milestone(m).map(|_| ()))
    }
    /// Change a milestone (one a journey planned is settled first).
    fn update_milestone(&mut self, id: i64, m: &crate::store::NewMilestone) -> Result<(), BookError>;
    /// Change a log entry's kind, day, score and words (its people: `set_entry_contacts`).
    fn update_entry(&mut self, id: i64, e: &NewEntry) -> Result<(), BookError>;
    /// Mark an account handled or snoozed on Triage, or clear its mark (None).
    fn set_triage_mark(&mut self, account_id: i64, mark: Option<&crate::domain::triage::Mark>)
    -> Result<(), BookError>;
}

/// A change as recorded for undo: which row, what was done, and the row as it was before.
pub struct ChangeNote<'a> {
    pub session: &'a str,
    pub batch: &'a str,
    pub entity: Entity,
    pub entity_id: i64,
    pub action: ChangeAction,
    pub detail_id: Option<i64>,
    pub summary: &'a str,
    pub before: Option<&'a str>,
}

impl BookRead for Store {
    fn logged_kinds(&self) -> Result<Vec<crate::domain::catalog::LogKind>, BookError> {
        Ok(Store::logged_kinds(self)?)
    }

    fn kept_date_order(&self, kind: &str) -> Result<Option<crate::import::values::KeptDateOrder>, BookError> {
        Ok(Store::kept_date_order(self, kind)?)
    }

    fn find_accounts(&self, query: &str, limit: usize) -> Result<Vec<(i64, String, String)>, BookError> {
        Ok(Store::find_accounts(self, query, limit)?)
    }

    fn account_count(&self) -> Result<usize, BookError> {
        Ok(Store::account_count(self)?)
    }

    fn account_names(&self) -> Result<Vec<(i64, String)>, BookError> {
        Ok(Store::account_names(self)?)
    }

    fn csms(&self) -> Result<Vec<(i64, String)>, BookError> {
        Ok(Store::csms(self)?)
    }

    fn accounts_owned_by(&self, csm_id: i64) -> Result<Vec<i64>, BookError> {
        Ok(self.query_list("SELECT id FROM accounts WHERE csm_id = ?1 ORDER BY id", [csm_id], |r| r.get(0))?)
    }

    fn tasks(&self, filter: &TaskFilter) -> Result<Vec<TaskRecord>, BookError> {
        Ok(Store::tasks(self, filter)?)
    }

    fn account_name(&self, id: i64) -> Result<String, BookError> {
        Ok(Store::account(self, id)?.name)
    }

    fn external_ids(&self) -> Result<Vec<(i64, String)>, BookError> {
        Ok(Store::external_ids(self)?)
    }

    fn churned_ids(&self) -> Result<Vec<(i64, Option<chrono::NaiveDate>)>, BookError> {
        Ok(self.query_list(crate::store::accounts::CHURNED_IDS, [], |r| {
            Ok((r.get(0)?, r.get::<_, Option<String>>(1)?.and_then(|d| d.parse().ok())))
        })?)
    }

    fn goals_for(&self, account_id: i64) -> Result<Vec<GoalRecord>, BookError> {
        Ok(Store::goals_for(self, account_id)?)
    }

    fn milestones_for(&self, account_id: i64) -> Result<Vec<MilestoneRecord>, BookError> {
        Ok(Store::milestones_for(self, account_id)?)
    }

    fn milestone(&self, id: i64) -> Result<Option<MilestoneRecord>, BookError> {
        Ok(Store::milestone(self, id)?)
    }

    fn entry(&self, id: i64) -> Result<Option<crate::store::EntryRecord>, BookError> {
        Ok(Store::entry(self, id)?)
    }

    fn contacts_for(&self, account_id: i64) -> Result<Vec<ContactRecord>, BookError> {
        Ok(Store::contacts_for(self, account_id)?)
    }

    fn all_contacts(&self) -> Result<Vec<ContactRecord>, BookError> {
        Ok(Store::all_contacts(self)?)
    }

    fn task(&self, id: i64) -> Result<Option<TaskRecord>, BookError> {
        Ok(Store::task(self, id)?)
    }

    fn account_csm_name(&self, account_id: i64) -> Result<Option<String>, BookError> {
        Ok(Store::account(self, account_id)?.csm)
    }

    fn account_of(&self, entity: Entity, id: i64) -> Result<Option<i64>, BookError> {
        Ok(Store::account_of(self, entity, id)?)
    }

    fn find_named(
        &self,
        what: Named,
        start: &str,
        account_id: Option<i64>,
        limit: usize,
    ) -> Result<Vec<(i64, String, String)>, BookError> {
        Ok(Store::find_named(self, what, start, account_id, limit)?)
    }

    fn account_facts(&self, account_id: i64, catalog: &Catalog) -> Result<AccountFacts, BookError> {
        Ok(Store::account_facts(self, account_id, catalog)?)
    }

    fn book_days(&self) -> Result<crate::store::facts::BookDays, BookError> {
        Ok(Store::book_days(self)?)
    }

    fn accounts_sampled_on(&self, day: chrono::NaiveDate) -> Result<u64, BookError> {
        Ok(Store::accounts_sampled_on(self, day)?)
    }

    fn contact(&self, id: i64) -> Result<Option<ContactRecord>, BookError> {
        Ok(Store::contact(self, id)?)
    }

    fn goal(&self, id: i64) -> Result<Option<GoalRecord>, BookError> {
        Ok(Store::goal(self, id)?)
    }

    fn account(&self, id: i64) -> Result<Account, BookError> {
        Ok(Store::account(self, id)?)
    }

    fn account_attributes(&self, id: i64) -> Result<Vec<(String, String)>, BookError> {
        Ok(Store::attributes_of(self, &[id])?.remove(&id).unwrap_or_default())
    }

    fn entries_for(&self, account_id: i64) -> Result<Vec<EntryRecord>, BookError> {
        Ok(Store::entries_for(self, account_id)?)
    }

    fn overrides_for(&self, account_id: i64) -> Result<Vec<BandOverride>, BookError> {
        Ok(Store::overrides_for(self, account_id)?)
    }

    fn contract_events(&self, account_id: i64) -> Result<Vec<ContractEvent>, BookError> {
        Ok(Store::contract_events(self, account_id)?)
    }

    fn other_arr_changes(&self, account_id: i64) -> Result<Vec<crate::store::contracts::ArrChangeRecord>, BookError> {
        Ok(Store::other_arr_changes(self, account_id)?)
    }

    fn last_session_like(&self, prefix: &str) -> Result<Option<String>, BookError> {
        Ok(Store::last_session_like(self, prefix)?)
    }

    fn last_batch(&self, session: &str) -> Result<Option<String>, BookError> {
        Ok(Store::last_batch(self, session)?)
    }

    fn batch_changes(&self, batch: &str) -> Result<Vec<ChangeRecord>, BookError> {
        Ok(Store::batch_changes(self, batch)?)
    }

    fn batch_of(&self, change_id: i64) -> Result<Option<String>, BookError> {
        Ok(Store::batch_of(self, change_id)?)
    }

    fn session_of(&self, change_id: i64) -> Result<Option<String>, BookError> {
        Ok(Store::session_of(self, change_id)?)
    }

    fn later_change_to(&self, entity: Entity, entity_id: i64, after: i64) -> Result<Option<(i64, String)>, BookError> {
        Ok(Store::later_change_to(self, entity, entity_id, after)?)
    }

    fn undoable_batches(&self, prefix: &str, limit: usize) -> Result<Vec<UndoableBatch>, BookError> {
        Ok(Store::undoable_batches(self, prefix, limit)?)
    }
}

impl Book for Store {
    fn transact(&mut self, write: &mut dyn FnMut(&mut dyn BookTxn) -> Result<(), BookError>) -> Result<(), BookError> {
        self.write_or_abandon(|w| write(w))
    }
}

impl BookTxn for Writer<'_> {
    fn csm_id(&mut self, name: &str) -> Result<i64, BookError> {
        Ok(Writer::csm_id(self, name)?)
    }

    fn last_entry_id(&mut self) -> Result<i64, BookError> {
        Ok(Writer::last_entry_id(self)?)
    }

    fn entries_like(&mut self, e: &NewEntry, before: i64) -> Result<Vec<i64>, BookError> {
        Ok(Writer::entries_like(self, e, before)?)
    }

    fn entries_like_but_note(&mut self, e: &NewEntry, before: i64) -> Result<Vec<i64>, BookError> {
        Ok(Writer::entries_like_but_note(self, e, before)?)
    }

    fn contact_named(&mut self, account_id: i64, name: &str) -> Result<Option<i64>, BookError> {
        Ok(Writer::contact_named(self, account_id, name)?)
    }

    fn contact_role(&mut self, id: i64) -> Result<Option<crate::domain::contact::ContactRole>, BookError> {
        Ok(Writer::contact_role(self, id)?)
    }

    fn account_csm(&mut self, account_id: i64) -> Result<Option<i64>, BookError> {
        Ok(Writer::account_csm(self, account_id)?)
    }

    fn set_signer(&mut self, csm_id: Option<i64>) {
        Writer::set_signer(self, csm_id)
    }

    fn insert_task(&mut self, task: &NewTask) -> Result<i64, BookError> {
        Ok(Writer::insert_task(self, task)?)
    }

    fn update_task(&mut self, id: i64, task: &NewTask) -> Result<(), BookError> {
        Ok(Writer::update_task(self, id, task)?)
    }

    fn set_task_status(&mut self, id: i64, status: TaskStatus, closed_on: Option<NaiveDate>) -> Result<(), BookError> {
        Ok(Writer::set_task_status(self, id, status, closed_on)?)
    }

    fn soft_delete(&mut self, entity: Entity, id: i64) -> Result<(), BookError> {
        Ok(Writer::soft_delete(self, entity, id)?)
    }

    fn row_json(&mut self, entity: Entity, id: i64) -> Result<String, BookError> {
        Ok(Writer::row_json(self, entity, id)?)
    }

    fn record_change(&mut self, c: &ChangeNote<'_>) -> Result<(), BookError> {
        let ChangeNote { session, batch, entity, entity_id, action, detail_id, summary, before } = *c;
        Ok(Writer::record_change(self, session, batch, entity, entity_id, action, detail_id, summary, before)?)
    }

    fn insert_entry(&mut self, entry: &NewEntry) -> Result<i64, BookError> {
        Ok(Writer::insert_entry(self, entry)?)
    }

    fn set_entry_contacts(&mut self, entry_id: i64, contact_ids: &[i64]) -> Result<(), BookError> {
        Ok(Writer::set_entry_contacts(self, entry_id, contact_ids)?)
    }

    fn entry_people(&mut self, entry_id: i64) -> Result<EntryPeople, BookError> {
        Ok(Writer::entry_people(self, entry_id)?)
    }

    fn entry_note(&mut self, entry_id: i64) -> Result<String, BookError> {
        Ok(Writer::entry_note(self, entry_id)?)
    }

    fn set_entry_people(&mut self, entry_id: i64, people: &EntryPeople) -> Result<(), BookError> {
        Ok(Writer::set_entry_people(self, entry_id, people)?)
    }

    fn insert_entries(&mut self, entries: &[(NewEntry, Vec<i64>)]) -> Result<(), BookError> {
        Ok(Writer::insert_entries(self, entries)?)
    }

    fn insert_milestones(&mut self, milestones: &[crate::store::NewMilestone]) -> Result<(), BookError> {
        Ok(Writer::insert_milestones(self, milestones)?)
    }

    fn invalidate_snapshots(&mut self, account_id: i64) -> Result<(), BookError> {
        Ok(Writer::invalidate_snapshots(self, account_id)?)
    }

    fn signer(&self) -> Option<i64> {
        Writer::signer(self)
    }

    fn insert_goal(&mut self, goal: &NewGoal) -> Result<i64, BookError> {
        Ok(Writer::insert_goal(self, goal)?)
    }

    fn update_goal(&mut self, id: i64, goal: &NewGoal) -> Result<(), BookError> {
        Ok(Writer::update_goal(self, id, goal)?)
    }

    fn set_goal_status(
        &mut self,
        goal_id: i64,
        status: GoalStatus,
        day: NaiveDate,
        note: &str,
        csm_id: Option<i64>,
    ) -> Result<i64, BookError> {
        Ok(Writer::set_goal_status(self, goal_id, status, day, note, csm_id)?)
    }

    fn delete_goal_status_change(&mut self, id: i64) -> Result<(), BookError> {
        Ok(Writer::delete_goal_status_change(self, id)?)
    }

    fn set_band_override(
        &mut self,
        account_id: i64,
        band: HealthBand,
        reason: &str,
        day: NaiveDate,
        expires_on: NaiveDate,
    ) -> Result<i64, BookError> {
        Ok(Writer::set_band_override(self, account_id, band, reason, day, expires_on)?)
    }

    fn band_overrides_in_force(&mut self, account_id: i64, day: NaiveDate) -> Result<Vec<i64>, BookError> {
        Ok(Writer::band_overrides_in_force(self, account_id, day)?)
    }

    fn clear_band_override(&mut self, account_id: i64, day: NaiveDate) -> Result<(), BookError> {
        Ok(Writer::clear_band_override(self, account_id, day)?)
    }

    fn insert_contact(&mut self, contact: &NewContact) -> Result<i64, BookError> {
        Ok(Writer::insert_contact(self, contact)?)
    }

    fn insert_milestone(&mut self, m: &crate::store::NewMilestone) -> Result<i64, BookError> {
        Ok(Writer::insert_milestone(self, m)?)
    }

    fn start_episode(
        &mut self,
        playbook: &str,
        account_id: i64,
        day: NaiveDate,
        resume: bool,
    ) -> Result<bool, BookError> {
        Ok(Writer::start_episode(self, playbook, account_id, day, resume)?)
    }

    fn end_episode(&mut self, playbook: &str, account_id: i64, day: NaiveDate) -> Result<(), BookError> {
        Ok(Writer::end_episode(self, playbook, account_id, day)?)
    }

    fn renew_account(
        &mut self,
        id: i64,
        day: NaiveDate,
        renewal: NaiveDate,
        arr: crate::domain::Cents,
    ) -> Result<(i64, Option<i64>), BookError> {
        Ok(Writer::renew_account(self, id, day, renewal, arr)?)
    }

    fn reactivate_account(
        &mut self,
        id: i64,
        day: NaiveDate,
        arr: crate::domain::Cents,
    ) -> Result<(i64, Option<i64>), BookError> {
        Ok(Writer::reactivate_account(self, id, day, arr)?)
    }

    fn churn_account(&mut self, id: i64, day: NaiveDate, reason: &str) -> Result<i64, BookError> {
        Ok(Writer::churn_account(self, id, day, reason)?)
    }

    fn set_account_csm(&mut self, id: i64, csm_id: Option<i64>) -> Result<(), BookError> {
        Ok(Writer::set_account_csm(self, id, csm_id)?)
    }

    fn update_milestone(&mut self, id: i64, m: &crate::store::NewMilestone) -> Result<(), BookError> {
        Ok(Writer::update_milestone(self, id, m)?)
    }

    fn update_entry(&mut self, id: i64, e: &NewEntry) -> Result<(), BookError> {
        Ok(Writer::update_entry(self, id, e)?)
    }

    fn set_triage_mark(
        &mut self,
        account_id: i64,
        mark: Option<&crate::domain::triage::Mark>,
    ) -> Result<(), BookError> {
        Ok(Writer::set_triage_mark(self, account_id, mark)?)
    }

    fn update_contact(&mut self, id: i64, contact: &NewContact) -> Result<(), BookError> {
        Ok(Writer::update_contact(self, id, contact)?)
    }

    fn restore_row(&mut self, entity: Entity, id: i64, json: &str) -> Result<(), BookError> {
        Ok(Writer::restore_row(self, entity, id, json)?)
    }

    fn forget_csm_if_unused(&mut self, csm_id: i64) -> Result<bool, BookError> {
        Ok(Writer::forget_csm_if_unused(self, csm_id)?)
    }

    fn mark_undone(&mut self, change_id: i64) -> Result<(), BookError> {
        Ok(Writer::mark_undone(self, change_id)?)
    }
}
