//! What the use cases read from a book, whichever engine holds it: a SQLite file (`Store`) or a
//! team book on PostgreSQL (`team::TeamBook`). The first piece of the storage seam of issue 21:
//! the reads that find an account or a CSM by what a person typed, and the task, goal,
//! milestone and contact lists. Only the
//! backends speak SQL; the use cases above (resolving names, listing) are written once, and a
//! conformance test holds both backends to the same answers on the same book.

use crate::store::contacts::ContactRecord;
use crate::store::{GoalRecord, MilestoneRecord, Store, StoreError, TaskFilter, TaskRecord};
use crate::team::TeamError;

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Team(#[from] TeamError),
}

pub trait BookRead {
    /// Accounts a typed reference may mean: the one with that external id (in any case when
    /// only one has it so), else those whose name starts with it (any case), by name, at most
    /// `limit`; as (id, external id, name).
    fn find_accounts(&self, query: &str, limit: usize) -> Result<Vec<(i64, String, String)>, ReadError>;
    fn account_count(&self) -> Result<usize, ReadError>;
    /// (id, name) of every account, by name.
    fn account_names(&self) -> Result<Vec<(i64, String)>, ReadError>;
    /// (id, name) of every CSM, by id.
    fn csms(&self) -> Result<Vec<(i64, String)>, ReadError>;
    /// An account's name.
    fn account_name(&self, id: i64) -> Result<String, ReadError>;
    /// (id, external id) of every account, by id: the order exports list accounts in.
    fn external_ids(&self) -> Result<Vec<(i64, String)>, ReadError>;
    /// An account's goals, oldest first, each with its changes of status.
    fn goals_for(&self, account_id: i64) -> Result<Vec<GoalRecord>, ReadError>;
    /// An account's milestones, written or planned by a journey, by due day.
    fn milestones_for(&self, account_id: i64) -> Result<Vec<MilestoneRecord>, ReadError>;
    /// An account's people: those there first (champions and sponsors ahead), then those who left.
    fn contacts_for(&self, account_id: i64) -> Result<Vec<ContactRecord>, ReadError>;
    /// Everyone's people, by account's external id and name.
    fn all_contacts(&self) -> Result<Vec<ContactRecord>, ReadError>;
    /// The CSM the connection is signed in as (a team book's member); None for a book file, whose
    /// reader is whoever `me` in the config says.
    fn signed_in_csm(&self) -> Result<Option<String>, ReadError> {
        Ok(None)
    }
    /// The tasks a filter picks: open ones by due day, then (with `all`) the closed ones, the
    /// latest closed first.
    fn tasks(&self, filter: &TaskFilter) -> Result<Vec<TaskRecord>, ReadError>;
}

impl BookRead for Store {
    fn find_accounts(&self, query: &str, limit: usize) -> Result<Vec<(i64, String, String)>, ReadError> {
        Ok(Store::find_accounts(self, query, limit)?)
    }

    fn account_count(&self) -> Result<usize, ReadError> {
        Ok(Store::account_count(self)?)
    }

    fn account_names(&self) -> Result<Vec<(i64, String)>, ReadError> {
        Ok(Store::account_names(self)?)
    }

    fn csms(&self) -> Result<Vec<(i64, String)>, ReadError> {
        Ok(Store::csms(self)?)
    }

    fn tasks(&self, filter: &TaskFilter) -> Result<Vec<TaskRecord>, ReadError> {
        Ok(Store::tasks(self, filter)?)
    }

    fn account_name(&self, id: i64) -> Result<String, ReadError> {
        Ok(Store::account(self, id)?.name)
    }

    fn external_ids(&self) -> Result<Vec<(i64, String)>, ReadError> {
        Ok(Store::external_ids(self)?)
    }

    fn goals_for(&self, account_id: i64) -> Result<Vec<GoalRecord>, ReadError> {
        Ok(Store::goals_for(self, account_id)?)
    }

    fn milestones_for(&self, account_id: i64) -> Result<Vec<MilestoneRecord>, ReadError> {
        Ok(Store::milestones_for(self, account_id)?)
    }

    fn contacts_for(&self, account_id: i64) -> Result<Vec<ContactRecord>, ReadError> {
        Ok(Store::contacts_for(self, account_id)?)
    }

    fn all_contacts(&self) -> Result<Vec<ContactRecord>, ReadError> {
        Ok(Store::all_contacts(self)?)
    }
}
