//! The order of day and month a book's files showed, kept to read a later file whose dates could
//! be read either way (`import::values::DatesRead`).

use super::{Result, Store};
use crate::import::values::{DateOrder, KeptDateOrder};

/// The key of `book_meta` for the order any file showed last; `KEY:kind` for a kind's own.
const KEY: &str = "date_order";

impl Store {
    /// The order the book's earlier files of `kind` ("metrics", "logs", ...) showed, or else the
    /// one its latest file of any kind showed: a weekly usage file follows the usage files
    /// before it, where a CRM's and a product's exports may differ.
    pub fn kept_date_order(&self, kind: &str) -> Result<Option<KeptDateOrder>> {
        for key in [format!("{KEY}:{kind}"), KEY.to_string()] {
            if let Some(kept) = self.meta(&key)?.as_deref().and_then(KeptDateOrder::from_text) {
                return Ok(Some(kept));
            }
        }
        Ok(None)
    }

    /// Keep the order a file of `kind` showed (`DatesRead::shown`), for its kind and the book.
    pub fn keep_date_order(&mut self, kind: &str, order: DateOrder, file: &str) -> Result<()> {
        if order == DateOrder::Auto {
            return Ok(());
        }
        let text = KeptDateOrder { order, file: file.to_string() }.to_text();
        self.set_book_meta(&format!("{KEY}:{kind}"), &text)?;
        self.set_book_meta(KEY, &text)
    }
}
