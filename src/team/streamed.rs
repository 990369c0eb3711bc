//! The importers that stream their file (`tend import logs`, `tend import metrics`) into a team
//! book: their one pass in one PostgreSQL transaction, committed only when the pass lands (a
//! refused file or a dry run rolls it all back), written through the seam's `BookTxn`.

use super::TeamBook;
use super::write::{TeamTxn, write_error};
use crate::book::storage::BookError;
use crate::import::stream::{self, Ending, RejectsFile, StreamedBook, StreamedPass};
use crate::import::{ImportError, ImportReport};

impl TeamBook {
    /// Run an import's pass in one transaction: committed when it returns a report, rolled back
    /// otherwise; what the pass came to (`stream::ended`).
    pub(crate) fn import_pass(
        &mut self,
        pass: impl FnOnce(&mut TeamTxn<'_>) -> Result<(ImportReport, Option<RejectsFile>), Ending>,
    ) -> Result<Option<ImportReport>, ImportError> {
        let url = self.url.clone();
        let tx = self.checked_transaction().map_err(BookError::from)?;
        let mut txn = TeamTxn::new(tx, url.clone());
        let landed = match pass(&mut txn) {
            Ok(done) => {
                let commit = txn.tx.commit().map_err(|e| ImportError::Book(write_error(&url, &e)));
                commit.map(|()| done).map_err(Ending::Refused)
            }
            // Dropping the transaction rolls it back: nothing of it is kept.
            other => other,
        };
        stream::ended(landed)
    }
}

impl StreamedBook for TeamBook {
    fn streamed(&mut self, pass: &mut StreamedPass<'_>) -> Result<Option<ImportReport>, ImportError> {
        self.import_pass(|txn| pass(txn))
    }
}
