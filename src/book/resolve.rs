//! Finding the account an ACCOUNT argument means: an external id, or an unambiguous name prefix.

use crate::book::storage::{BookError, BookRead};
use crate::store::StoreError;
use crate::store::log::Named;
use crate::text::{clean, closest};

/// How many candidates an ambiguous reference lists.
const SHOWN: usize = 8;

#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error("no account matches \"{query}\" (by external id or the start of its name){}", suggest(.suggestions))]
    Unknown { query: String, suggestions: Vec<String> },
    #[error("\"{query}\" matches more than one account: {}{}; {}",
        .candidates.join(", "), if *.more { ", ..." } else { "" },
        if *.same_name { "they share the name: give the external id" } else { "give more of the name or the external id" })]
    Ambiguous { query: String, candidates: Vec<String>, more: bool, same_name: bool },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Read(#[from] BookError),
}

/// The account `query` names. An exact name among several prefix matches wins: written just so,
/// else in another case when only one is (two accounts named alike but for case are both named).
pub fn resolve_account(store: &(impl BookRead + ?Sized), query: &str) -> Result<i64, ResolveError> {
    let query = query.trim();
    if query.is_empty() {
        return Err(ResolveError::Unknown { query: String::new(), suggestions: Vec::new() });
    }
    let mut hits = store.find_accounts(query, SHOWN + 1)?;
    // A name as lists show one that others share: "Acme Corp (SF-0012)".
    if hits.is_empty()
        && let Some((name, ext)) = super::names::split_told_apart(query)
        && let Some((id, _, _)) = store.find_accounts(ext, SHOWN + 1)?.iter().find(|(_, e, n)| {
            e.eq_ignore_ascii_case(ext) && crate::text::fold(n.trim()) == crate::text::fold(name.trim())
        })
    {
        return Ok(*id);
    }
    // Every name, read once at most, where nothing matched and the book is small enough to scan.
    let mut names = None;
    if hits.is_empty() {
        let scanned = names.insert(scannable_names(store)?);
        hits = folded_prefix(store, query, scanned.as_deref())?;
    } else if let [(_, _, name)] = hits.as_slice()
        && name != query
    {
        // One account named so in another case, maybe another without the accents typed
        // ("cafe zurich" beside "Café Zürich"): both are named, never one of them picked.
        let scanned = names.insert(scannable_names(store)?);
        let folded = folded_prefix(store, query, scanned.as_deref())?;
        if folded.len() > hits.len() {
            hits = folded;
        }
    }
    match hits.as_slice() {
        [] => {
            let names = match names {
                Some(names) => names,
                None => scannable_names(store)?,
            };
            let suggestions = names.map_or_else(Vec::new, |n| closest(query, n.iter().map(|(_, n)| n.as_str()), 0.85));
            Err(ResolveError::Unknown { query: clean(query), suggestions })
        }
        [(id, _, _)] => Ok(*id),
        _ => {
            // Only one account may be named so: two accounts of the same name (a CRM keeps
            // them apart by id) are both named, never one of them picked.
            let exact: Vec<_> = hits.iter().filter(|(_, _, name)| name == query).collect();
            if let [(id, _, _)] = exact.as_slice() {
                return Ok(*id);
            }
            let lower = query.to_lowercase();
            let any_case: Vec<_> = hits.iter().filter(|(_, _, name)| name.to_lowercase() == lower).collect();
            let folded = crate::text::fold(query);
            let alike: Vec<_> = hits.iter().filter(|(_, _, name)| crate::text::fold(name) == folded).collect();
            if let ([(id, _, _)], [], ..=1) = (any_case.as_slice(), exact.as_slice(), alike.len()) {
                return Ok(*id);
            }
            // Two named alike but for accents are the same name to whoever types it.
            // So are the start of a name every account it matches has whole ("Rivet" for two
            // "Rivet Foods"): more of the name tells them apart no better.
            let one_name = hits.iter().all(|(_, _, name)| crate::text::fold(name) == crate::text::fold(&hits[0].2));
            let same_name = exact.len() > 1 || (exact.is_empty() && alike.len() > 1) || one_name;
            let named = match (exact.len() > 1, same_name) {
                (true, _) => exact,
                (false, true) if !alike.is_empty() => alike,
                _ => hits.iter().collect(),
            };
            Err(ResolveError::Ambiguous {
                same_name,
                query: clean(query),
                more: named.len() > SHOWN,
                // A churned one is said to be (a customer lost and won back is often a new
                // record of the same name): the live one is the one meant, most days.
                candidates: named
                    .iter()
                    .take(SHOWN)
                    // Accounts of one name are told apart by their owner and ARR too: an id
                    // alone (a CRM's 18 characters) had to be looked up to pick one.
                    .map(|(id, ext, name)| {
                        let account = store.account(*id)?;
                        let churned = account.status == crate::domain::AccountStatus::Churned;
                        let mut said = vec![clean(ext)];
                        if same_name {
                            said.extend(account.csm.as_deref().filter(|c| !c.is_empty()).map(clean));
                            said.extend(
                                account.arr.on_record().map(|a| format!("{} ARR", a.compact(&account.currency))),
                            );
                        }
                        if churned {
                            said.push("churned".to_string());
                        }
                        Ok(format!("{} ({})", clean(name), said.join(", ")))
                    })
                    .collect::<Result<Vec<String>, BookError>>()?,
            })
        }
    }
}

/// Accounts whose name starts with `query` in any case of any script ("ZÜRICH", "москва") and
/// with or without its accents ("muller" for "Müller GmbH"), among `names`: the books' own
/// matching folds ASCII letters only.
fn folded_prefix(
    store: &(impl BookRead + ?Sized),
    query: &str,
    names: Option<&[(i64, String)]>,
) -> Result<Vec<(i64, String, String)>, BookError> {
    let fold = crate::text::fold;
    let folded = fold(query);
    let found: Vec<&(i64, String)> =
        names.unwrap_or_default().iter().filter(|(_, name)| fold(name).starts_with(&folded)).take(SHOWN + 1).collect();
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let ids: std::collections::HashMap<i64, String> = store.external_ids()?.into_iter().collect();
    Ok(found.into_iter().map(|(id, name)| (*id, ids.get(id).cloned().unwrap_or_default(), name.clone())).collect())
}

/// Books up to this size are scanned name by name for what their own matching misses: "did you
/// mean" for an unknown account, a name in another case of a script other than ASCII's.
const SUGGEST_UP_TO: usize = 200_000;

/// Every account's (id, name), on a book small enough to scan; None on a bigger one.
fn scannable_names(store: &(impl BookRead + ?Sized)) -> Result<Option<Vec<(i64, String)>>, BookError> {
    if store.account_count()? > SUGGEST_UP_TO {
        return Ok(None);
    }
    Ok(Some(store.account_names()?))
}

/// A name that resolves to none, or to several.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("no {what} is called \"{query}\"{}", suggest(.suggestions))]
    Unknown { what: &'static str, query: String, suggestions: Vec<String> },
    #[error("\"{query}\" could be more than one {what}: {}; give more of the name", .candidates.join(", "))]
    Ambiguous { what: &'static str, query: String, candidates: Vec<String> },
}

fn suggest(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => format!(" (did you mean {one}?)"),
        many => format!(" (did you mean one of {}?)", many.join(", ")),
    }
}

/// A CSM name a person gave for themselves (`me` in the config, `--by`) as the book spells it:
/// the CSM it names by the one rule for names (`resolve_name`: any case, or the unique start of
/// a name), else as given (a CSM the book does not know yet). `me = "maya"` is Maya Patel: her
/// book on the screens, her entries signed as her, not a new CSM called "maya".
pub fn as_book_spells(book: &(impl BookRead + ?Sized), name: &str) -> String {
    let csms = book.csms().unwrap_or_default();
    resolve_name("CSM", name, csms.iter().map(|(_, n)| n.as_str())).unwrap_or_else(|_| name.trim().to_string())
}

/// The CSM `me` signs as, among the book's `csms`: the one it names by the rule for names
/// (`me = "maya"` is Maya Patel), or, on a book that has no CSM yet, the name itself (its first
/// CSM). A name that names none of them is refused: a typo in `me` must not sign entries as a new
/// CSM. (The writes refuse it; `tend config check` warns of it.)
pub fn signing_csm(csms: &[(i64, String)], me: &str) -> Result<String, NameError> {
    if csms.is_empty() {
        return Ok(me.trim().to_string());
    }
    resolve_name("CSM", me, csms.iter().map(|(_, n)| n.as_str()))
}

/// The one rule for a name typed for a CSM, a segment or any other named thing: the name itself
/// in any case, else the one name it is the start of (in any case, with or without accents).
/// Ambiguous starts are refused with the candidates; unknown names with the closest ones.
pub fn resolve_name<'a>(
    what: &'static str,
    query: &str,
    names: impl IntoIterator<Item = &'a str>,
) -> Result<String, NameError> {
    // Spaces typed twice are one, as the imports read names ("Maya  Patel" was no CSM).
    let query = crate::text::single_spaced(query);
    let query = query.as_str();
    let names: Vec<&str> = names.into_iter().collect();
    let lower = query.to_lowercase();
    if let Some(exact) = names.iter().find(|n| n.to_lowercase() == lower) {
        return Ok((*exact).to_string());
    }
    // With or without the accents typed ("Sofia" for Sofía Ramírez): the same name to whoever
    // types it, and "sofi" could be Sofía or Sofia.
    let folded = crate::text::fold(query);
    let alike: Vec<&str> = names.iter().copied().filter(|n| crate::text::fold(n) == folded).collect();
    if let [one] = alike.as_slice() {
        return Ok((*one).to_string());
    }
    let starts: Vec<&str> =
        names.iter().copied().filter(|n| !folded.is_empty() && crate::text::fold(n).starts_with(&folded)).collect();
    // Else a later word of one ("Okafor" for Tom Okafor): a lead says a CSM's surname.
    let words = || {
        names.iter().copied().filter(|n| {
            !folded.is_empty() && crate::text::fold(n).split_whitespace().skip(1).any(|w| w.starts_with(&folded))
        })
    };
    let starts = if starts.is_empty() { words().collect() } else { starts };
    match starts.as_slice() {
        [one] => Ok((*one).to_string()),
        [] => {
            let mut suggestions = closest(query, names.iter().copied(), 0.8);
            // A book has a handful of segments, tend's own ("Enterprise" is a CRM's word), and of
            // CSMs: named ("no CSM is called "Nobody Here"" left whoever typed it to guess).
            if suggestions.is_empty() && (what == "segment" || (what == "CSM" && names.len() <= SHOWN)) {
                suggestions = names.iter().take(SHOWN).map(|n| clean(n)).collect();
            }
            Err(NameError::Unknown { what, query: clean(query), suggestions })
        }
        many => Err(NameError::Ambiguous {
            what,
            query: clean(query),
            candidates: many.iter().take(SHOWN).map(|n| clean(n)).collect(),
        }),
    }
}

/// A goal or a milestone an argument names: its id (as `goal list` and `milestone list` show it),
/// or its words in any case, else the start of them, among one account's (`--account`) or the
/// whole book's. Several with the same words are refused with each one's id and account.
pub fn resolve_named(
    store: &(impl BookRead + ?Sized),
    what: Named,
    query: &str,
    account_id: Option<i64>,
) -> Result<i64, ResolveNamedError> {
    let query = query.trim();
    let label = what.entity().key();
    if let Ok(id) = query.parse::<i64>() {
        // A number that is no id of one (of the account's, with --account) but that names hold
        // ("90" of "90-day review"): read as the names say ("no milestone with id 90" before).
        let owner = store.account_of(what.entity(), id)?;
        if owner.is_none() || account_id.is_some_and(|wanted| owner != Some(wanted)) {
            let hits = store.find_named(what, query, account_id, 200)?;
            if !hits.is_empty() {
                return by_name(store, what, query, account_id, &hits);
            }
        }
        // An id with --account must be one of that account's: a typo in either changes nothing.
        if let Some(wanted) = account_id
            && let Some(owner) = owner
            && owner != wanted
        {
            let owner = store.account_name(owner).map_or_else(|_| owner.to_string(), |name| clean(&name));
            let account = store.account_name(wanted).map_or_else(|_| wanted.to_string(), |name| clean(&name));
            return Err(ResolveNamedError::OtherAccount { what: label, id, owner, account });
        }
        return Ok(id);
    }
    let hits = store.find_named(what, query, account_id, 200)?;
    by_name(store, what, query, account_id, &hits)
}

/// `resolve_named` by the names `hits` found for `query`: the one it names, or why not.
fn by_name(
    store: &(impl BookRead + ?Sized),
    what: Named,
    query: &str,
    account_id: Option<i64>,
    hits: &[(i64, String, String)],
) -> Result<i64, ResolveNamedError> {
    let label = what.entity().key();
    match picked(hits, query).as_slice() {
        [(id, _, _)] => Ok(*id),
        [] => {
            // An account's few goals or milestones are worth scanning for a typo.
            let suggestions = match account_id {
                Some(id) => {
                    let names = store.find_named(what, "", Some(id), 500)?;
                    closest(query, names.iter().map(|(_, n, _)| n.as_str()), 0.8)
                }
                None => Vec::new(),
            };
            Err(ResolveNamedError::Name {
                error: NameError::Unknown { what: label, query: clean(query), suggestions },
                scoped: account_id.is_some(),
            })
        }
        many => Err(ResolveNamedError::Name {
            error: NameError::Ambiguous {
                what: label,
                query: clean(query),
                candidates: many
                    .iter()
                    .take(SHOWN)
                    .map(|(id, n, account)| format!("{id} \"{}\" ({})", clean(n), clean(account)))
                    .chain((many.len() > SHOWN).then(|| "...".to_string()))
                    .collect(),
            },
            scoped: account_id.is_some(),
        }),
    }
}

/// Of `hits` for `query`, those it names: the ones whose words are the query's in any case, else
/// every one it starts.
fn picked<'a>(hits: &'a [(i64, String, String)], query: &str) -> Vec<&'a (i64, String, String)> {
    let lower = query.to_lowercase();
    let exact: Vec<&(i64, String, String)> = hits.iter().filter(|(_, n, _)| n.to_lowercase() == lower).collect();
    if exact.is_empty() { hits.iter().collect() } else { exact }
}

/// The ids of the goals, milestones or tasks `query` names by its words, as `resolve_named`
/// chooses among them: for a caller that can narrow several down (a task of one's own).
pub fn named_candidates(
    store: &(impl BookRead + ?Sized),
    what: Named,
    query: &str,
    account_id: Option<i64>,
) -> Result<Vec<i64>, BookError> {
    let query = query.trim();
    let hits = store.find_named(what, query, account_id, 200)?;
    Ok(picked(&hits, query).into_iter().map(|(id, _, _)| *id).collect())
}

#[derive(Debug, thiserror::Error)]
pub enum ResolveNamedError {
    #[error("{error}{}", named_hint(.error, *.scoped))]
    Name { error: NameError, scoped: bool },
    #[error("{what} {id} is {owner}'s, not {account}'s: nothing was changed")]
    OtherAccount { what: &'static str, id: i64, owner: String, account: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Read(#[from] BookError),
}

fn named_hint(e: &NameError, scoped: bool) -> &'static str {
    match e {
        NameError::Ambiguous { .. } if scoped => ", or its id",
        NameError::Ambiguous { .. } => ", its id, or --account ACCOUNT",
        NameError::Unknown { .. } => " (the list commands show each one's id)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rule_for_names() {
        let csms = ["Liam Patel", "Lena Schmidt", "Maya Nakamura"];
        assert_eq!(resolve_name("CSM", "liam patel", csms).unwrap(), "Liam Patel");
        assert_eq!(resolve_name("CSM", "liam", csms).unwrap(), "Liam Patel");
        assert_eq!(resolve_name("CSM", " Liam  Patel ", csms).unwrap(), "Liam Patel", "spaces typed twice");
        // A surname, or its start, where no name starts so: a lead's "--csm Okafor".
        assert_eq!(resolve_name("CSM", "okafor", ["Tom Okafor", "Ana Ruiz"]).unwrap(), "Tom Okafor");
        assert_eq!(resolve_name("CSM", "Ruiz", ["Tom Okafor", "Ana Ruiz", "Ruizo Banks"]).unwrap(), "Ruizo Banks");
        assert!(resolve_name("CSM", "patel", ["Liam Patel", "Raj Patel"]).is_err(), "two Patels: ambiguous");
        let ambiguous = resolve_name("CSM", "l", csms).unwrap_err();
        assert!(ambiguous.to_string().contains("Liam Patel, Lena Schmidt"), "{ambiguous}");
        // Without the accents typed: a probe's "Sofia" was refused with "did you mean Sofía Ramírez?".
        let accented = ["Sofía Ramírez", "Søren Berg", "Sofia Lind"];
        assert_eq!(resolve_name("CSM", "sofia ramirez", accented).unwrap(), "Sofía Ramírez");
        assert_eq!(resolve_name("CSM", "soren", accented).unwrap(), "Søren Berg");
        let both = resolve_name("CSM", "sofi", accented).unwrap_err();
        assert!(both.to_string().contains("Sofía Ramírez, Sofia Lind"), "{both}");
        assert_eq!(resolve_name("CSM", "Sofia", ["Sofía Ramírez"]).unwrap(), "Sofía Ramírez");
        let typo = resolve_name("CSM", "Liam Patle", csms).unwrap_err();
        assert_eq!(typo.to_string(), "no CSM is called \"Liam Patle\" (did you mean Liam Patel?)");
        let stranger = resolve_name("CSM", "Nobody Here", ["Maya Patel", "Liam Patel"]).unwrap_err();
        assert_eq!(
            stranger.to_string(),
            "no CSM is called \"Nobody Here\" (did you mean one of Maya Patel, Liam Patel?)"
        );
        let unknown = resolve_name("segment", "Whale", ["Elephant", "Deer"]).unwrap_err();
        assert_eq!(unknown.to_string(), "no segment is called \"Whale\" (did you mean one of Elephant, Deer?)");
    }
}
