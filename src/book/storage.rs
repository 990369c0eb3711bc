//! What the use cases read from a book, whichever engine holds it: a SQLite file (`Store`) or a
//! team book on PostgreSQL (`team::TeamBook`). The first piece of the storage seam of issue 21:
//! the reads that find an account or a CSM by what a person typed, and the task list. Only the
//! backends speak SQL; the use cases above (resolving names, listing) are written once, and a
//! conformance test holds both backends to the same answers on the same book.

use crate::store::{Store, StoreError, TaskFilter, TaskRecord};
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
}
