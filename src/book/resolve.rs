//! Finding the account an ACCOUNT argument means: an external id, or an unambiguous name prefix.

use crate::store::{Store, StoreError};
use crate::text::clean;

/// How many candidates an ambiguous reference lists.
const SHOWN: usize = 8;

#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error("no account matches \"{0}\" (by external id or the start of its name)")]
    Unknown(String),
    #[error("\"{query}\" matches more than one account: {}{}; give more of the name or the external id",
        .candidates.join(", "), if *.more { ", ..." } else { "" })]
    Ambiguous { query: String, candidates: Vec<String>, more: bool },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The account `query` names. An exact name among several prefix matches wins.
pub fn resolve_account(store: &Store, query: &str) -> Result<i64, ResolveError> {
    let query = query.trim();
    if query.is_empty() {
        return Err(ResolveError::Unknown(String::new()));
    }
    let hits = store.find_accounts(query, SHOWN + 1)?;
    match hits.as_slice() {
        [] => Err(ResolveError::Unknown(clean(query))),
        [(id, _, _)] => Ok(*id),
        _ => {
            if let Some((id, _, _)) = hits.iter().find(|(_, _, name)| name.eq_ignore_ascii_case(query)) {
                return Ok(*id);
            }
            Err(ResolveError::Ambiguous {
                query: clean(query),
                more: hits.len() > SHOWN,
                candidates: hits
                    .iter()
                    .take(SHOWN)
                    .map(|(_, ext, name)| format!("{} ({})", clean(name), clean(ext)))
                    .collect(),
            })
        }
    }
}
