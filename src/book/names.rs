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

/// The names of a book's accounts, in any case and without their outer spaces (as the accounts
/// import counts a file's), as a hash of each: the rows' names are not copied, and a million
/// accounts take 8 MB while they are read.
#[derive(Default)]
pub(crate) struct NameHashes(Vec<u64>);

impl NameHashes {
    pub(crate) fn with_capacity(accounts: usize) -> Self {
        NameHashes(Vec::with_capacity(accounts))
    }

    fn key(name: &str) -> u64 {
        let mut hasher = HASH.build_hasher();
        for b in name.trim().bytes() {
            hasher.write_u8(b.to_ascii_lowercase());
        }
        hasher.finish()
    }

    pub(crate) fn add(&mut self, name: &str) {
        self.0.push(Self::key(name));
    }

    pub(crate) fn merge(&mut self, other: NameHashes) {
        self.0.extend(other.0);
    }

    /// The names more than one account has.
    pub(crate) fn shared(mut self) -> SharedNames {
        self.0.sort_unstable();
        SharedNames(self.0.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]).collect())
    }
}

/// The names (their hashes, see `NameHashes`) more than one account of a book has: most books
/// have none, or a few.
#[derive(Default)]
pub(crate) struct SharedNames(std::collections::HashSet<u64, foldhash::fast::RandomState>);

impl SharedNames {
    /// Whether another account has this name too.
    pub(crate) fn has(&self, name: &str) -> bool {
        !self.0.is_empty() && self.0.contains(&NameHashes::key(name))
    }
}

/// The accounts of a book whose name another has too, each with its name told apart by its
/// external id ("Acme Labs (C-1027)"), for the lists of the command line (a probe's `tend
/// milestone list` showed "Acme Labs" for three accounts). Most books have none.
pub(crate) fn told_apart_names(
    book: &(impl super::storage::BookRead + ?Sized),
) -> std::result::Result<std::collections::HashMap<i64, String>, super::storage::BookError> {
    let names = book.account_names()?;
    let mut counts = NameHashes::with_capacity(names.len());
    names.iter().for_each(|(_, name)| counts.add(name));
    let shared = counts.shared();
    if shared.0.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let keys: std::collections::HashMap<i64, String> = book.external_ids()?.into_iter().collect();
    Ok(names
        .into_iter()
        .filter(|(_, name)| shared.has(name))
        .filter_map(|(id, name)| Some((id, told_apart(&crate::text::clean(&name), keys.get(&id)?))))
        .collect())
}

/// Name each of `rows` whose name another account of the book has (`shared`, of every account)
/// with its external id as well: "Acme Corp (SF-0012)".
pub(crate) fn tell_apart(store: &Store, shared: &SharedNames, rows: &mut [PortfolioRow]) -> Result<()> {
    for row in rows.iter_mut().filter(|r| shared.has(&r.name)) {
        if let Some(id) = store.external_id(row.id)? {
            row.name = told_apart(&row.name, &id);
        }
    }
    Ok(())
}

/// Every row of a whole book (`load_portfolio_cached`) told apart by the book's own names.
pub(crate) fn tell_apart_all(store: &Store, rows: &mut [PortfolioRow]) -> Result<()> {
    let mut counts = NameHashes::with_capacity(rows.len());
    for row in rows.iter() {
        counts.add(&row.name);
    }
    tell_apart(store, &counts.shared(), rows)
}

/// An account's name as a message about it says it: with its external id beside it when another
/// account of the book has the name too, as the lists name it ("Acme (A-2): sentiment 7/10
/// logged" rather than "Acme: ..." of which of the two). Cleaned of control characters.
pub(crate) fn spoken_name(
    book: &(impl super::storage::BookRead + ?Sized),
    id: i64,
) -> std::result::Result<String, super::storage::BookError> {
    let name = book.account_name(id)?;
    // Those whose name starts with it include every account of the same name (any case).
    let same = book.find_accounts(name.trim(), 64)?;
    let key = NameHashes::key(&name);
    let shared = same.iter().any(|(other, _, n)| *other != id && NameHashes::key(n) == key);
    let clean = crate::text::clean(&name);
    match (shared, same.iter().find(|(other, _, _)| *other == id)) {
        (true, Some((_, external_id, _))) => Ok(told_apart(&clean, external_id)),
        (true, None) => Ok(told_apart(&clean, &book.account(id)?.external_id)),
        (false, _) => Ok(clean),
    }
}

/// A shared name as lists show it.
pub fn told_apart(name: &str, external_id: &str) -> String {
    format!("{name} ({})", crate::text::clean(external_id))
}

/// A name cut to `max` columns as `text::fit` cuts any text, but for a told-apart name, whose
/// external id is what tells it apart: the name is kept as whole as it can be, and the id is cut
/// from the left, keeping at least its last four characters ("Cedar Foods (…00822)"). Cut from
/// the right, two such names read alike ("Acme Corp (001A010…" twice); kept whole, a long id
/// left "Cedar Fo… (9000000822)" beside "Cedar Ro…", "Cedar He…" at 80 columns.
pub fn fit(name: &str, max: usize) -> std::borrow::Cow<'_, str> {
    use crate::text::width;
    if width(name) <= max {
        return std::borrow::Cow::Borrowed(name);
    }
    let Some((base, id)) = split_told_apart(name) else { return crate::text::fit(name, max) };
    let chars: Vec<char> = id.chars().collect();
    // " (" and ")" around the id, and "…" before a tail of it.
    let room = max.saturating_sub(width(base) + 4);
    let tail = room.max(4).min(chars.len());
    let suffix = match tail == chars.len() {
        true => format!(" ({id})"),
        false => format!(" (…{})", chars[chars.len() - tail..].iter().collect::<String>()),
    };
    // At least two columns of the name beside it, else cut as any text.
    if max < width(&suffix) + 2 {
        return crate::text::fit(name, max);
    }
    std::borrow::Cow::Owned(format!("{}{suffix}", crate::text::fit(base, max - width(&suffix))))
}

/// `fit` for the names of a list's rows in view, so that two names cut alike are told apart:
/// those whose cut reads as another's keep the end where they differ ("Black Mesa Log… Inc" and
/// "Black Mesa Log… Corp", where both read "Black Mesa Logistic…" at 80 columns).
pub fn fit_apart<'n>(names: &[&'n str], max: usize) -> Vec<std::borrow::Cow<'n, str>> {
    use crate::text::width;
    let plain: Vec<std::borrow::Cow<'n, str>> = names.iter().map(|n| fit(n, max)).collect();
    let mut fitted = plain.clone();
    for i in 0..names.len() {
        let alike: Vec<usize> = (0..names.len()).filter(|&j| plain[j] == plain[i] && names[j] != names[i]).collect();
        if alike.is_empty() || !plain[i].ends_with('…') {
            continue;
        }
        // The word where the name first differs from those it reads like, to its end.
        let chars: Vec<char> = names[i].chars().collect();
        let same =
            alike.iter().map(|&j| names[j].chars().zip(&chars).take_while(|(a, b)| a == *b).count()).max().unwrap_or(0);
        let Some(word) = chars[..same].iter().rposition(|c| *c == ' ').filter(|at| *at > 0) else { continue };
        let tail: String = chars[word..].iter().collect();
        let tail = crate::text::fit(&tail, max / 2).into_owned();
        let room = max.saturating_sub(width(&tail));
        if room < 4 {
            continue;
        }
        let head = crate::text::cut(&chars[..word].iter().collect::<String>(), room);
        fitted[i] = std::borrow::Cow::Owned(format!("{head}{tail}"));
    }
    fitted
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
        let mut a = NameHashes::default();
        a.add("Acme Corp");
        a.add("Globex");
        let mut b = NameHashes::default();
        b.add(" ACME corp ");
        let mut before = NameHashes::default();
        before.merge(NameHashes(a.0.clone()));
        assert!(!before.shared().has("Acme Corp"));
        a.merge(b);
        let shared = a.shared();
        assert!(shared.has("acme CORP") && !shared.has("Globex") && !shared.has("Initech"));
    }

    #[test]
    fn a_told_apart_name_reads_back() {
        let shown = told_apart("Acme (Europe) Corp", "SF-0012");
        assert_eq!(shown, "Acme (Europe) Corp (SF-0012)");
        assert_eq!(split_told_apart(&shown), Some(("Acme (Europe) Corp", "SF-0012")));
        assert_eq!(split_told_apart("Acme Corp"), None);
        assert_eq!(split_told_apart("(SF-1)"), None);
        // Cut, a told-apart name keeps as much of its name as it can and the end of its id;
        // any other name is cut as any text.
        assert_eq!(fit("Acme Corp (001A01084)", 17), "Acme Corp (…1084)");
        assert_eq!(fit("Cedar Foods (9000000822)", 20), "Cedar Foods (…00822)");
        assert_eq!(fit("Cedar Foods International (9000000822)", 20), "Cedar Foods… (…0822)");
        assert_eq!(fit("Acme Corporation (SF-1)", 14), "Acme C… (SF-1)");
        assert_eq!(fit("Acme Corp (001A01084)", 40), "Acme Corp (001A01084)");
        assert_eq!(fit("Acme Corp (001A01084)", 12), "Acm… (…1084)");
        assert_eq!(fit("Acme Corp (001A01084)", 8), "Acme Co…");
        assert_eq!(fit("Juniper Partners Ltd", 10), "Juniper P…");
    }

    #[test]
    fn names_cut_alike_in_a_list_keep_where_they_differ() {
        let names = ["Black Mesa Logistics Inc", "Black Mesa Logistics Corp", "Black Mesa Labs", "Aperture"];
        let fitted = fit_apart(&names, 20);
        assert_eq!(fitted[0], "Black Mesa Logi… Inc");
        assert_eq!(fitted[1], "Black Mesa Log… Corp");
        assert_eq!(fitted[2], "Black Mesa Labs");
        assert_eq!(fitted[3], "Aperture");
        for f in &fitted {
            assert!(crate::text::width(f) <= 20, "{f}");
        }
        // Names that differ in their cut are cut as `fit` cuts them.
        assert_eq!(fit_apart(&["Sterling Analytics Ltd", "Sterling Media Ltd"], 19)[0], "Sterling Analytics…");
    }
}
