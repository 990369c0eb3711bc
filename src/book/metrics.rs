//! Retention figures over a period, for the whole book and by CSM or by segment.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::PortfolioRow;
use crate::domain::retention::Retention;
use crate::store::{Result, Store};

/// How to split the figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupBy {
    Book,
    Csm,
    Segment,
}

/// Retention over `from..=to` for each group (by name; "all" for the whole book), reading each
/// account's dated ARR changes and churn. Only the accounts among `rows` count, so a filtered set
/// of rows gives that set's figures.
pub fn retention(
    store: &Store,
    rows: &[PortfolioRow],
    from: NaiveDate,
    to: NaiveDate,
    by: GroupBy,
) -> Result<Vec<(String, Retention)>> {
    let rows: HashMap<i64, &PortfolioRow> = rows.iter().map(|r| (r.id, r)).collect();
    let mut groups: BTreeMap<String, Retention> = BTreeMap::new();
    for (id, history) in store.revenue_histories()? {
        let Some(row) = rows.get(&id) else { continue };
        let name = match by {
            GroupBy::Book => "all".to_string(),
            GroupBy::Csm if row.csm.is_empty() => "unassigned".to_string(),
            GroupBy::Csm => row.csm.to_string(),
            GroupBy::Segment => row.segment.to_string(),
        };
        groups.entry(name).or_default().add(&history, from, to);
    }
    Ok(groups.into_iter().collect())
}
