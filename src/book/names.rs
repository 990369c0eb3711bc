//! Accounts that share a name, told apart in lists. A CRM holds two "Acme Corp" (a subsidiary, a
//! region's own entity) often enough, and a probe's two looked alike in every list: Triage,
//! the Portfolio, Renewals and the reports showed the same name twice with nothing to choose
//! between them. Each such row is named with its external id beside the name, "Acme Corp
//! (SF-0012)", as the Account view's header names it; `resolve` takes that spelling back.

use std::hash::{BuildHasher, Hasher};

use super::PortfolioRow;
use crate::store::{Result, Store};

/// The hash every count of names uses: the same in every thread, so halves of a book counted
/// apart add up.
const HASH: foldhash::fast::FixedState = foldhash::fast::FixedState::with_seed(0x7465_6e64);

/// How many accounts have each name, in any case and without its outer spaces (as the accounts
/// import counts a file's), by a hash of it: the rows' names are not copied.
#[derive(Default)]
pub(crate) struct NameCounts(std::collections::HashMap<u64, u32, foldhash::fast::RandomState>);

impl NameCounts {
    pub(crate) fn with_capacity(accounts: usize) -> Self {
        NameCounts(std::collections::HashMap::with_capacity_and_hasher(accounts, Default::default()))
    }

    fn key(name: &str) -> u64 {
        let mut hasher = HASH.build_hasher();
        for b in name.trim().bytes() {
            hasher.write_u8(b.to_ascii_lowercase());
        }
        hasher.finish()
    }

    pub(crate) fn add(&mut self, name: &str) {
        *self.0.entry(Self::key(name)).or_insert(0) += 1;
    }

    pub(crate) fn merge(&mut self, other: NameCounts) {
        for (key, n) in other.0 {
            *self.0.entry(key).or_insert(0) += n;
        }
    }

    /// Whether another account has this name too.
    pub(crate) fn shared(&self, name: &str) -> bool {
        self.0.get(&Self::key(name)).is_some_and(|n| *n > 1)
    }
}

/// Name each of `rows` whose name another account of the book has (`counts`, of every account)
/// with its external id as well: "Acme Corp (SF-0012)".
pub(crate) fn tell_apart(store: &Store, counts: &NameCounts, rows: &mut [PortfolioRow]) -> Result<()> {
    for row in rows.iter_mut().filter(|r| counts.shared(&r.name)) {
        if let Some(id) = store.external_id(row.id)? {
            row.name = told_apart(&row.name, &id);
        }
    }
    Ok(())
}

/// Every row of a whole book (`load_portfolio_cached`) told apart by the book's own names.
pub(crate) fn tell_apart_all(store: &Store, rows: &mut [PortfolioRow]) -> Result<()> {
    let mut counts = NameCounts::with_capacity(rows.len());
    for row in rows.iter() {
        counts.add(&row.name);
    }
    tell_apart(store, &counts, rows)
}

/// A shared name as lists show it.
pub fn told_apart(name: &str, external_id: &str) -> String {
    format!("{name} ({})", crate::text::clean(external_id))
}

/// The name and external id of a name as `told_apart` spells it ("Acme Corp (SF-0012)" is
/// "Acme Corp" and "SF-0012"), None for a name not so spelled.
pub fn split_told_apart(text: &str) -> Option<(&str, &str)> {
    let inner = text.trim().strip_suffix(')')?;
    let open = inner.rfind(" (")?;
    let (name, id) = (&inner[..open], &inner[open + 2..]);
    (!name.trim().is_empty() && !id.is_empty()).then_some((name, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_counted_in_any_case_and_halves_add_up() {
        let mut a = NameCounts::default();
        a.add("Acme Corp");
        a.add("Globex");
        let mut b = NameCounts::default();
        b.add(" ACME corp ");
        assert!(!a.shared("Acme Corp"));
        a.merge(b);
        assert!(a.shared("acme CORP") && !a.shared("Globex") && !a.shared("Initech"));
    }

    #[test]
    fn a_told_apart_name_reads_back() {
        let shown = told_apart("Acme (Europe) Corp", "SF-0012");
        assert_eq!(shown, "Acme (Europe) Corp (SF-0012)");
        assert_eq!(split_told_apart(&shown), Some(("Acme (Europe) Corp", "SF-0012")));
        assert_eq!(split_told_apart("Acme Corp"), None);
        assert_eq!(split_told_apart("(SF-1)"), None);
    }
}
