//! Importing the CSV exports users already have: accounts, metric samples, log entries.
//! All or nothing: a file with any bad row writes nothing unless `--skip-bad-rows` says otherwise.

pub mod accounts;
pub mod columns;
pub mod contacts;
pub mod help;
pub mod logs;
pub mod metrics;
pub mod plans;
pub(crate) mod stream;
pub mod table;
pub mod tasks;
pub mod tickets;
pub mod values;

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::store::StoreError;
use crate::text::counted;
pub use columns::Preset;
pub use table::Source;
pub use values::DateOrder;

/// `[import]` in the config.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportConfig {
    pub date_order: DateOrder,
    /// Header -> field, for columns the built-in aliases do not know.
    pub columns: BTreeMap<String, String>,
}

impl ImportConfig {
    /// The headers `columns` maps to the account's external id or name, normalised: a file of
    /// usage or logs names its accounts by them too (`columns::account_headers`).
    pub fn account_headers(&self) -> Vec<String> {
        self.columns
            .iter()
            .filter(|(_, f)| {
                matches!(
                    columns::AccountField::from_key(f),
                    Some(columns::AccountField::ExternalId | columns::AccountField::Name)
                )
            })
            .map(|(h, _)| columns::normalise(h))
            .collect()
    }

    pub fn problems(&self) -> Vec<(String, String)> {
        self.columns
            .iter()
            .filter(|(_, f)| columns::AccountField::from_key(f).is_none())
            .map(|(h, f)| {
                let known: Vec<&str> = columns::AccountField::ALL.iter().map(|f| f.key()).collect();
                (format!("columns.{h}"), format!("\"{f}\" is not a field; use one of {}", known.join(", ")))
            })
            .collect()
    }
}

/// The book's accounts as a file may name them: by external id, else by name; exactly, else in
/// any case and without accents or strokes ("cafe zurich" is "Café Zürich", as the command line
/// takes them), when that names one account. A name several
/// accounts share names none of them: the row is refused, naming them, as `tend log` refuses
/// it (a CSM's data on the wrong customer, without a word, is worse than a refused row).
pub(crate) struct AccountIndex {
    by_id: std::collections::HashMap<String, i64>,
    /// Names only one account has.
    by_name: std::collections::HashMap<String, i64>,
    /// Names several accounts have, with their ids.
    shared: std::collections::HashMap<String, Vec<i64>>,
    /// Ids and names folded (`text::fold`), built on the first miss (most files name accounts exactly):
    /// the accounts each names.
    folded: std::sync::OnceLock<std::collections::HashMap<String, Named>>,
    /// External ids by account, built the first time a shared name must be explained.
    keys: std::sync::OnceLock<std::collections::HashMap<i64, String>>,
    /// Accounts the reader may not write on (a team book's CSM: everyone else's), with whose
    /// they are.
    not_mine: std::collections::HashMap<i64, String>,
    /// The churned accounts, with the day each churned: named so where a name several accounts
    /// share is explained, and usage after it said (`ImportReport::used_after_churn`).
    churned: std::collections::HashMap<i64, Option<NaiveDate>>,
    /// The unknown names offered the names near them: only the first few, as each reads every
    /// name of the book (a file for another book is all misses).
    suggested: std::sync::Mutex<Vec<String>>,
    /// Names by their own words (`text::own_words`), built on the first miss of `folded`: the
    /// accounts each names.
    own: std::sync::OnceLock<[std::collections::HashMap<String, Named>; 2]>,
    /// The cells read as an account by their own words alone, with the account: said in the
    /// import's summary (`ImportReport::named_loosely`).
    loosely: std::sync::Mutex<std::collections::BTreeMap<String, i64>>,
}

/// How many unknown names in a file are offered the book's names near them.
const SUGGESTED_MISSES: usize = 5;

impl AccountIndex {
    /// The accounts of any book, by their external ids and names.
    pub(crate) fn from_book(book: &dyn crate::book::storage::BookRead) -> Result<AccountIndex, ImportError> {
        let not_mine = book.accounts_not_mine()?;
        let mut by_name = std::collections::HashMap::new();
        let mut shared: std::collections::HashMap<String, Vec<i64>> = std::collections::HashMap::new();
        for (id, name) in book.account_names()? {
            if let Some(ids) = shared.get_mut(&name) {
                ids.push(id);
            } else if let Some(first) = by_name.remove(&name) {
                shared.insert(name, vec![first, id]);
            } else {
                by_name.insert(name, id);
            }
        }
        Ok(AccountIndex {
            by_id: book.external_ids()?.into_iter().map(|(id, key)| (key, id)).collect(),
            by_name,
            shared,
            folded: std::sync::OnceLock::new(),
            keys: std::sync::OnceLock::new(),
            churned: book.churned_ids()?.into_iter().collect(),
            suggested: std::sync::Mutex::new(Vec::new()),
            own: std::sync::OnceLock::new(),
            loosely: std::sync::Mutex::new(std::collections::BTreeMap::new()),
            not_mine: not_mine
                .into_iter()
                .map(|(id, name, csm)| (id, crate::book::log::whose(&name, csm.as_deref())))
                .collect(),
        })
    }

    /// An account's external id.
    pub(crate) fn key_of(&self, id: i64) -> Option<&str> {
        let keys = self.keys.get_or_init(|| self.by_id.iter().map(|(key, id)| (*id, key.clone())).collect());
        keys.get(&id).map(String::as_str)
    }

    /// The accounts that are not churned, by external id.
    pub(crate) fn live(&self) -> impl Iterator<Item = (&String, &i64)> {
        self.by_id.iter().filter(|(_, id)| !self.churned.contains_key(id))
    }

    /// The live accounts `has` says no: how many, of how many live ones, and the first by id
    /// ("Zephyr Logistics (ACC-1102)").
    pub(crate) fn live_without(&self, has: impl Fn(i64) -> bool) -> Option<(usize, usize, String)> {
        // The first few by id are named (a probe's summary named one of three, and the others
        // had to be found by hand).
        let (mut missing, mut total, mut first) = (0, 0, Vec::<(i64, &str)>::new());
        for (key, id) in self.live() {
            total += 1;
            if !has(*id) {
                missing += 1;
                first.push((*id, key.as_str()));
                first.sort_unstable();
                first.truncate(WITHOUT_SAMPLES_NAMED);
            }
        }
        if first.is_empty() {
            return None;
        }
        let named: Vec<String> = first
            .iter()
            .map(|(id, key)| {
                let name = self.name_of(*id).unwrap_or(key);
                // A book keyed on names: the name once ("Cedar Travel GmbH (Cedar Travel GmbH)").
                match name == *key {
                    true => crate::text::clean(name),
                    false => format!("{} ({})", crate::text::clean(name), crate::text::clean(key)),
                }
            })
            .collect();
        Some((missing, total, named.join(", ")))
    }

    /// The day a churned account churned, where the book has it.
    pub(crate) fn churned_on(&self, id: i64) -> Option<NaiveDate> {
        self.churned.get(&id).copied().flatten()
    }

    /// An account's name, else its external id, for a summary (a scan: a few accounts only).
    pub(crate) fn named(&self, id: i64) -> String {
        crate::text::clean(self.name_of(id).or_else(|| self.key_of(id)).unwrap_or(""))
    }

    /// An account's name (a scan: asked for a few accounts only). A name several accounts share
    /// is in `shared`, not `by_name` ("9012056 (9012056)" read where the account is Cyberdyne Ltd).
    fn name_of(&self, id: i64) -> Option<&str> {
        self.names().find(|(_, i)| **i == id).map(|(n, _)| n.as_str())
    }

    /// Every account's name, those several accounts share too: (name, id).
    fn names(&self) -> impl Iterator<Item = (&String, &i64)> {
        self.by_name.iter().chain(self.shared.iter().flat_map(|(n, ids)| ids.iter().map(move |id| (n, id))))
    }

    /// The cells read as an account by its name's own words alone ("Pioneer Foods" as Pioneer
    /// Foods AG), as (cell, account name), in the cells' order.
    pub(crate) fn named_loosely(&self) -> Vec<(String, String)> {
        let loosely = self.loosely.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        loosely.iter().map(|(cell, id)| (cell.clone(), self.named(*id))).collect()
    }

    /// The account a file's cell names, whoever's it is; else why not: unknown, or a name
    /// several accounts share (their external ids named).
    pub(crate) fn known(&self, text: &str) -> Result<i64, String> {
        // A blank cell names no account: "unknown account" for it sent a probe looking for an
        // account called "" (a help desk's ticket with no organization).
        if text.trim().is_empty() {
            return Err("blank: the row names no account".to_string());
        }
        match self.lookup(text) {
            Ok(id) => Ok(id),
            // Several accounts by its words but for their company forms ("Bluebird Health" beside
            // Bluebird Health AG and Bluebird Health SA): named, as a name they share is (a
            // lead's sixth such row read "no account in the book has this id or name").
            Err(ids) if ids.is_empty() => {
                let ids = self.loosely_several(text);
                if ids.len() < 2 {
                    return Err(self.unknown(text));
                }
                let mut named: Vec<String> = ids
                    .iter()
                    .map(|id| format!("{} {}", crate::text::clean(self.key_of(*id).unwrap_or("")), self.named(*id)))
                    .collect();
                named.sort_unstable();
                Err(format!(
                    "{} accounts have this name but for their company form ({}): give the external id",
                    ids.len(),
                    named.join(", ")
                ))
            }
            Err(ids) => {
                let mut named: Vec<String> = ids
                    .iter()
                    .filter_map(|id| {
                        let key = self.key_of(*id)?;
                        Some(if self.churned.contains_key(id) { format!("{key}, churned") } else { key.to_string() })
                    })
                    .collect();
                named.sort_unstable();
                // "; " between them where one says it is churned, so that its comma reads as its own.
                let between = if ids.iter().any(|id| self.churned.contains_key(id)) { "; " } else { ", " };
                Err(format!("{} accounts have this name ({}): give the external id", ids.len(), named.join(between)))
            }
        }
    }

    /// Why a cell names no account: the book's names near it (a slip: "Acme Corp" for "Acme
    /// Corp."), for the file's first few such cells; else to import the accounts first.
    fn unknown(&self, text: &str) -> String {
        // Counted by name, not by call: each row is read twice (checked, then written), and a
        // name missed on several rows is one miss (a probe's third unknown name was told "names
        // like it are looked for on the first 5 such rows only").
        let looked = {
            let mut names = self.suggested.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let known = names.iter().any(|n| n == text);
            if !known && names.len() < SUGGESTED_MISSES {
                names.push(text.to_string());
            }
            known || names.last().is_some_and(|n| n == text)
        };
        if looked {
            let names = self.by_name.keys().chain(self.shared.keys()).map(String::as_str);
            let near = crate::text::closest(text, names, 0.85);
            // Or a row the accounts file left out (a partner a CRM preset passed over): a near
            // name alone read as a typo to a probe whose "Meridian Systems" was a partner.
            if !near.is_empty() {
                return format!(
                    "unknown account (did you mean {}? or one the accounts import left out)",
                    near.join(" or ")
                );
            }
        }
        // A book with accounts lacks this one: most likely a row the accounts file left out (a
        // lead a CRM preset passed over), which "import the accounts first" misread. Past the
        // rows names like it are looked for on, said (a probe read "no account has this name"
        // beside a typo the first rows were told the right name of).
        // An id (no letters: "9100481") has no names like it to look for: said alike on every row
        // (a probe's one id read two ways, and "names like it" meant nothing for a number).
        let an_id = !text.chars().any(char::is_alphabetic);
        match (self.by_id.is_empty() && self.by_name.is_empty() && self.shared.is_empty(), looked || an_id) {
            (true, _) => "unknown account (import the accounts first)".to_string(),
            (false, true) => "unknown account (no account in the book has this id or name: not in the accounts \
                              imported, or left out of them)"
                .to_string(),
            (false, false) => format!(
                "unknown account (no account in the book has this id or name; names like it are looked for on \
                 the first {SUGGESTED_MISSES} unknown names only)"
            ),
        }
    }

    /// The accounts a name reads as by its own words but for their company forms, where it is
    /// more than one (`lookup` reads it as the one where it is one).
    fn loosely_several(&self, text: &str) -> Vec<i64> {
        // The second of `lookup`'s ways: a name's own words, without any company form.
        match self.own.get().and_then(|[_, own]| own.get(&crate::text::own_words(text))) {
            Some(Named::Several(ids)) => ids.clone(),
            _ => Vec::new(),
        }
    }

    /// Why the reader may not write on this account (a team book's CSM on another's), if so.
    pub(crate) fn not_yours(&self, id: i64) -> Option<String> {
        self.not_mine.get(&id).map(|whose| format!("{whose}: a CSM imports onto their own accounts only"))
    }

    /// The one account a cell names; else the accounts it names (none, or several).
    fn lookup(&self, text: &str) -> Result<i64, Vec<i64>> {
        if let Some(id) = self.by_id.get(text).or_else(|| self.by_name.get(text)) {
            return Ok(*id);
        }
        if let Some(ids) = self.shared.get(text) {
            return Err(ids.clone());
        }
        let folded = self.folded.get_or_init(|| Named::index(self.by_id.iter().chain(self.names()), crate::text::fold));
        match folded.get(&crate::text::fold(text)) {
            Some(Named::One(id)) => return Ok(*id),
            Some(Named::Several(ids)) => return Err(ids.clone()),
            None => {}
        }
        // A name written with another company form, or none ("Pioneer Foods" for Pioneer Foods
        // AG, "Lumen Analytics Ltd" for Lumen Analytics): a product's export names a customer
        // as the product knows it, and a probe's 116 rows a week were refused. Read where its
        // own words name one account, and said; where they name several, none (the row is
        // refused with the names near it).
        // Its words with the form's dots left out first ("Nordic Robotics B.V." is Nordic
        // Robotics BV beside Nordic Robotics AG), then its own words alone.
        const WAYS: [fn(&str) -> String; 2] = [crate::text::all_words, crate::text::own_words];
        let own = self.own.get_or_init(|| WAYS.map(|words_of| Named::index(self.names(), words_of)));
        let found = WAYS.iter().zip(own).find_map(|(words_of, map)| match map.get(&words_of(text)) {
            Some(Named::One(id)) => Some(*id),
            _ => None,
        });
        match found {
            Some(id) => {
                let mut loosely = self.loosely.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                loosely.insert(text.to_string(), id);
                Ok(id)
            }
            None => Err(Vec::new()),
        }
    }
}

/// The accounts a form of a key or name names: one (most), or several (no one row of a map
/// holds a list of its own for them).
enum Named {
    One(i64),
    Several(Vec<i64>),
}

impl Named {
    /// The accounts each form (`form_of` a key or name) names; a form that is empty (a name of
    /// company forms alone, read by its own words) names none.
    fn index<'k>(
        keys: impl Iterator<Item = (&'k String, &'k i64)>,
        form_of: impl Fn(&str) -> String,
    ) -> std::collections::HashMap<String, Named> {
        let mut map: std::collections::HashMap<String, Named> = std::collections::HashMap::new();
        for (key, id) in keys {
            let form = form_of(key);
            if form.is_empty() {
                continue;
            }
            match map.entry(form) {
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(Named::One(*id));
                }
                std::collections::hash_map::Entry::Occupied(mut o) => match o.get_mut() {
                    Named::One(first) if *first != *id => {
                        let first = *first;
                        o.insert(Named::Several(vec![first, *id]));
                    }
                    Named::Several(ids) if !ids.contains(id) => ids.push(*id),
                    _ => {}
                },
            }
        }
        map
    }
}

/// An accounts file's rows refused for a key a row before gave ("appears twice"): how many, of
/// how many rows, and whether the file is read as subscriptions (`--preset stripe`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RepeatedKeys {
    pub repeated: usize,
    pub rows_in_file: usize,
    pub subscriptions: bool,
}

/// How many problems an error lists before it counts the rest.
pub const SHOWN_PROBLEMS: usize = 20;

/// How many of the rows it would reject a dry run's summary names.
pub(crate) const DRY_RUN_PROBLEMS: usize = 3;

/// One bad value: where it is and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub line: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
}

impl Problem {
    /// The same problem on another row: the same column, value and reason.
    fn same_as(&self, other: &Problem) -> bool {
        self.column == other.column && self.value == other.value && self.reason == other.reason
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {file}: {reason}")]
    Read { file: String, reason: String },
    #[error("{file}:{line}: {reason}")]
    File { file: String, line: u64, reason: String },
    #[error("{file}: no column for {what} (a header such as {}: rename the file's column to one of these{hint})", .aliases.join(", "))]
    MissingColumn { file: String, what: String, aliases: Vec<String>, hint: String },
    /// `undecided`: the file's dates read either way and no order was given, the one refusal of
    /// the file's dates that leaves its rows worth checking (`cli::commands::import_file` checks
    /// them, as `DatesAndRows`).
    #[error("{file}: {reason}")]
    Dates { file: String, reason: String, undecided: bool },
    /// A file of another kind than the import's (a contacts export given as accounts).
    #[error("{file}: {reason}; nothing was imported")]
    WrongKind { file: String, reason: String },
    /// The order of the file's dates to be given, and the problems its rows have besides: all
    /// said at once, so that a file is not mended one refusal at a time.
    #[error("{file}: {reason}. Its rows have {total} problem{} besides (nothing was imported):{}",
        if *.total == 1 { "" } else { "s" }, list(.file, .problems, *.total))]
    DatesAndRows { file: String, reason: String, problems: Vec<Problem>, total: usize },
    #[error("{file}: {total} problem{} in {} (nothing was imported; --skip-bad-rows imports the good rows):{}{hint}",
        if *.total == 1 { "" } else { "s" }, rows_text(*.total, *.rows), list(.file, .problems, *.total))]
    Rows { file: String, problems: Vec<Problem>, total: usize, rows: usize, hint: String },
    #[error("cannot write {path}: {reason}")]
    Rejects { path: String, reason: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A team book's refusal or failure (an import into PostgreSQL).
    #[error(transparent)]
    Book(crate::book::storage::BookError),
}

/// A book file's error stays a store error (said and told apart as before the seam).
impl From<crate::book::storage::BookError> for ImportError {
    fn from(e: crate::book::storage::BookError) -> Self {
        match e {
            crate::book::storage::BookError::Store(e) => ImportError::Store(e),
            other => ImportError::Book(other),
        }
    }
}

/// The problems, one line each, the same problem on several rows (an unknown account on every
/// row of its samples) said once with the other lines it is on.
fn list(source: &str, problems: &[Problem], total: usize) -> String {
    let mut groups: Vec<(&Problem, Vec<u64>)> = Vec::new();
    for p in problems {
        match groups.iter_mut().find(|(q, _)| q.same_as(p)) {
            Some((_, lines)) => lines.push(p.line),
            None => groups.push((p, Vec::new())),
        }
    }
    let mut out: String = groups
        .iter()
        .map(|(p, also)| {
            let said = match p.column.is_empty() {
                // A problem of the whole row (its shape), not of one value.
                true => format!("\n  {source}:{}: {}", p.line, crate::text::clean(&p.reason)),
                // A value over several lines is most often a quote never closed: the lines after
                // it were read into it (a probe read "value "12 9999999,logins,…": not a number").
                false if p.value.contains('\n') => format!(
                    "\n  {source}:{}: column \"{}\": value \"{}…\" runs over {} lines of the file from a quote (\") \
                     opened on line {}: is its closing quote missing? ({})",
                    p.line,
                    crate::text::quote(&p.column),
                    crate::text::quote(p.value.lines().next().unwrap_or_default()),
                    p.value.matches('\n').count() + 1,
                    p.line,
                    crate::text::clean(&p.reason)
                ),
                false => format!(
                    "\n  {source}:{}: column \"{}\": value \"{}\": {}",
                    p.line,
                    crate::text::quote(&p.column),
                    crate::text::quote(&p.value),
                    crate::text::clean(&p.reason)
                ),
            };
            match also.as_slice() {
                [] => said,
                [one] => format!("{said}; also on line {one}"),
                many if many.len() <= 4 => {
                    let (last, rest) = many.split_last().unwrap_or((&0, &[]));
                    let rest: Vec<String> = rest.iter().map(u64::to_string).collect();
                    format!("{said}; also on lines {} and {last}", rest.join(", "))
                }
                many => {
                    let first: Vec<String> = many[..3].iter().map(u64::to_string).collect();
                    format!("{said}; also on lines {} and {} more", first.join(", "), many.len() - 3)
                }
            }
        })
        .collect();
    if total > problems.len() {
        let more = total - problems.len();
        out.push_str(&format!("\n  ... and {more} more {}", if more == 1 { "problem" } else { "problems" }));
    }
    out
}

/// One more of something an import says with its first: the count, and the first one's words.
pub(crate) fn count_with_first(noted: &mut (usize, Option<String>), first: impl FnOnce() -> String) {
    noted.0 += 1;
    noted.1.get_or_insert_with(first);
}

#[derive(Clone, Debug)]
pub struct ImportOptions {
    pub preset: Option<Preset>,
    pub dry_run: bool,
    pub skip_bad_rows: bool,
    /// Where rejected rows go with `--skip-bad-rows`, already checked against the book and the
    /// input [default: next to the file, under a name no file has].
    pub rejects: Option<crate::output::Target>,
    /// The permission bits written files get (the book's).
    pub output_mode: u32,
    /// The day changes are recorded on (ARR changes).
    pub today: NaiveDate,
    /// Show a progress bar (only on a terminal).
    pub progress: bool,
    /// Plan `journeys.apply_to_new` for new accounts (off when restoring an export).
    pub plan_journeys: bool,
    /// The scale of a logs file's sentiments given as numbers, where the user said it; None
    /// reads tend's 1-10 and says when the file looks like 1-5.
    pub sentiment_scale: Option<values::SentimentScale>,
    /// An accounts file's rows matched to the book's accounts by name, its external id column
    /// kept as an attribute (another system's ids: billing beside a CRM).
    pub by_name: bool,
    /// Accounts the book has churned stay churned whatever an accounts file's status says.
    pub keep_churned: bool,
    /// New accounts' journeys still under way get their steps already past too, overdue.
    pub include_past: bool,
}

/// The rows of an import whose customer-since is after its day: how many, and the first one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FutureSince {
    pub count: usize,
    pub first_line: u64,
    pub first: chrono::NaiveDate,
    /// The import's day.
    pub today: chrono::NaiveDate,
}

/// A logs file's sentiments given as numbers, as the file writes them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SentimentNumbers {
    pub count: usize,
    pub at_most_five: usize,
    pub highest: i64,
}

impl SentimentNumbers {
    pub fn see(&mut self, n: i64) {
        self.count += 1;
        self.at_most_five += usize::from(n <= 5);
        self.highest = self.highest.max(n);
    }

    /// Whether they look like a 1-5 scale: all 5 or under, or with ten or more, all but one in
    /// twenty (a probe's one 7 among 290 sentiments of 1-5 hid the scale).
    pub fn look_one_to_five(&self) -> bool {
        let n = self.count;
        n >= 3 && (self.at_most_five == n || (n >= 10 && self.at_most_five * 20 >= n * 19))
    }
}

/// The header of a rejects file's reason column: a name no import reads (a logs file's
/// "reason" is a risk's title, and an accounts file kept it as an attribute), left alone when
/// the file is imported again once its values are put right.
pub const REJECTED_BECAUSE: &str = "rejected by tend because";

/// What an import did (or, dry, would do).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportReport {
    pub what: &'static str,
    pub source: String,
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: usize,
    pub rejects_file: Option<PathBuf>,
    /// Journey milestones planned for new accounts, and for accounts given a date a journey is
    /// anchored on for the first time (all still ahead on the import day).
    pub milestones: usize,
    /// Of those, the steps already past of journeys under way (`--include-past`): overdue.
    pub milestones_past: usize,
    /// A sample of the changes, e.g. `Acme (ACC-1): arr $10,000 -> $12,000`.
    pub samples: Vec<String>,
    /// Why the rejected rows could not be written, after the import landed.
    pub rejects_failed: Option<String>,
    /// Rows whose customer-since is after the import's day: kept as written, but most likely a
    /// typo.
    pub future_since: Option<FutureSince>,
    /// Metric samples dated after the import's day (a billing period's end, or a typo): kept,
    /// each counting from its day, and said.
    pub future_samples: Option<FutureSince>,
    /// The first problems of the rows rejected: a dry run, which writes no rejects file, names
    /// them.
    pub first_problems: Vec<Problem>,
    /// New accounts the file gives no ARR (0 until one does) and no CSM. Said only when some new
    /// accounts have one: a file without the column at all says so by itself.
    pub new_without_arr: usize,
    /// New accounts the file gives no customer-since day, and (active ones) no renewal date.
    /// Said as the ARR and CSM are, only when others have one (a probe's blank "Became a Customer
    /// Date" and two blank renewal dates went unsaid beside "1 has no ARR").
    pub new_without_since: usize,
    pub new_without_renewal: usize,
    /// New accounts the file has as churned already: said, as they go to the retention figures
    /// and the back-test and to no list (a probe's 15 churned rows went unsaid).
    pub new_churned: usize,
    /// An accounts file with no column the customer-since day is read from: said when it adds
    /// accounts, as their jumpstart, cohort and first journey need it.
    pub since_missing: bool,
    /// An accounts file with no column the renewal date is read from: said when it adds
    /// accounts, as the renewal forecast and the renewal journey need it.
    pub renewal_missing: bool,
    /// An accounts file with no column the expected usage is read from while factors of the
    /// score need it: their labels, with the weight they carry of the whole. Said when it adds
    /// accounts (a usual CRM export has no such column, and half a probe's book went unscored).
    pub expected_missing: Option<(Vec<String>, f64, f64, bool)>,
    /// An accounts file with no column an external id is read from: accounts are keyed on their
    /// names (a rename in the CRM is a new account), said.
    pub keyed_on_name: bool,
    /// An accounts file with no column a name is read from: new accounts are named by their
    /// external id, said (a probe's mapping of "Company name" to `ignore` named four accounts
    /// "5000099999" without a word).
    pub named_by_id: bool,
    /// Journey steps an import did not plan though their journey is under way (due before
    /// the import day, the renewal still ahead): how many, on how many accounts, and the first
    /// as (account, journey, milestone, due). A probe's account renewing in 69 days had no
    /// renewal call, without a word.
    pub steps_passed: Option<StepsPassed>,
    /// An accounts file with no column the CSM, or the ARR, is read from: said, with the
    /// columns no field reads (`unread_columns`), as one is most likely it.
    pub csm_missing: bool,
    pub arr_missing: bool,
    pub unread_columns: Vec<String>,
    /// The file's columns no field reads, kept on the accounts as attributes: said when the file
    /// adds accounts (a probe learnt only from an export that "Next invoice" had been kept, not
    /// read as the renewal date).
    pub kept_columns: Vec<String>,
    /// A logs or tasks file's columns nothing reads: said, so that a column of notes or owners
    /// headed otherwise is not dropped without a word (a probe's "Comments" and "Assigned").
    pub columns_not_read: Vec<String>,
    /// Of a contacts file: the active contacts of the accounts it names that none of its rows
    /// is, and the first ("Lena Novak at Vandelay Analytics"): kept as they are, and said.
    pub contacts_unlisted: Option<(usize, String)>,
    /// People a contacts file says left without saying when: dated the import's day (the news
    /// of a champion gone is that day's), how many, and the first ("Carla Patel at Acme").
    pub contacts_left_undated: Option<(usize, String, NaiveDate)>,
    /// People the file adds to an account who are still active contacts of another (moved, or
    /// at both): how many, and the first ("Ann Lee (ann@acme.com): Acme Corp -> Beta LLC").
    pub contacts_elsewhere: Option<(usize, String)>,
    /// A column headed as a segment, kept as an attribute: a CRM's segments are not tend's.
    pub segment_column: Option<String>,
    /// Names the file gives more than one account, and the first such with how many.
    pub shared_names: (usize, Option<(String, u32)>),
    pub new_without_csm: usize,
    /// New CSMs the file spells in more than one case: the spelling kept (the most used), and
    /// the others.
    pub respelled: Vec<(String, Vec<String>)>,
    /// Cells read as an account by its name's own words, its company form aside ("Pioneer Foods"
    /// as Pioneer Foods AG: `AccountIndex::named_loosely`), with the account's name: said.
    pub named_loosely: Vec<(String, String)>,
    /// CSMs the file names that a book which had some did not have (a typo of one it has is a
    /// new CSM): said, so that the misspelt one is found.
    pub new_csms: Vec<String>,
    /// For each of `new_csms`, the CSM the book had whose name is closest, if one is close: the
    /// likely misspelt one, named.
    pub new_csms_like: Vec<Option<String>>,
    /// New CSMs named on a row or two, much like one named on many: (name, rows, like, rows).
    pub lookalike_csms: Vec<(String, usize, String, usize)>,
    /// The currencies of the accounts the file adds or changes, with how many of each: said
    /// when there are several, as sums of ARR add the amounts unconverted.
    pub currencies: Vec<(String, usize)>,
    /// New accounts whose ARR named no currency (no Currency column, none in the amount or its
    /// header), taken as USD: said where the file has several currencies.
    pub currency_assumed: usize,
    /// The metrics a metrics file wrote samples of, each once, in the order first seen.
    pub metrics: Vec<String>,
    /// Those of `metrics` no health factor of the config reads (set by the caller, who has the
    /// config), with the metrics the factors do read: said, as the samples change no score.
    pub unread_metrics: Option<(Vec<String>, Vec<String>)>,
    /// A long file's metric names read as the name a health factor reads ("Active Users" as
    /// active_users, as a wide file's header is), each once: (as written, as read).
    pub metrics_read_as: Vec<(String, String)>,
    /// A metrics file whose numbers could be read with either decimal mark, nothing in it saying
    /// which: the mark chosen (from its delimiter) and its first such number.
    pub numbers_read_as: Option<(values::DecimalMark, values::CellExample)>,
    /// A wide metrics file's columns that hold no number: not read as metrics.
    pub not_metrics: Vec<String>,
    /// A book's first usage data: the metrics weighed factors read that the file gives none of,
    /// with those factors, their weight and all the factors' (set by the caller, who knows it is
    /// the first): most of a new book is otherwise unscored without a word of why.
    pub metrics_not_given: Option<(Vec<String>, Vec<String>, f64, f64)>,
    /// Of a book's first usage data: the metrics the new customers' (jumpstart) score reads that
    /// the file has none of, the labels of its factors that read them, and the jumpstart's days,
    /// where the rest of that score is short of a score's coverage: accounts that young stay "not
    /// enough data" until a file gives them (a probe's customers of 80 days, with weeks of usage
    /// and touches, read "low data", then Green on day 90).
    pub jumpstart_unfed: Option<(Vec<String>, Vec<String>, i64)>,
    /// A book's first usage data: the share of the evidence weight the file's metrics feed, and
    /// the share a score needs, where it is less; the jumpstart's days; and whether the kinds of
    /// entries the book has logged already make up the rest (a lead's probe, 1,500 touches in,
    /// was told accounts would score "once sentiments or touches are logged").
    pub evidence_short: Option<(f64, f64, i64, bool)>,
    /// Of a metrics file: the book's live accounts it gives no sample for, of how many, and the
    /// first; said of a book's first usage file only (the caller keeps it then), as later files
    /// may well cover some accounts only.
    pub without_samples: Option<(usize, usize, String)>,
    /// Of a metrics file: the samples it gives on each day (what the book's counts of its days
    /// take in, see `domain::data_days`).
    pub sample_days: crate::domain::data_days::DayTally,
    /// Of a metrics file: of `sample_days`, those new to the book (a dry run's counts of the
    /// book's days take in these, not the samples it has already).
    pub new_sample_days: crate::domain::data_days::DayTally,
    /// Of a metrics file: its accounts counted by the newest day it gives each a sample on.
    pub accounts_by_newest_day: crate::domain::data_days::DayTally,
    /// Of a metrics file: the newest day of usage data it makes the book's, when that day holds
    /// far fewer samples than the one before (set by the caller, who has the book's counts).
    pub thin_day: Option<crate::domain::data_days::ThinDay>,
    /// Of a thin newest week: how many accounts the book has a sample for on the day before.
    pub thin_before_accounts: u64,
    /// Survey answers whose respondent is not a contact of their account: imported without
    /// the person, and said.
    pub not_contacts: NotedRows,
    /// A metrics file's dates that head a week or a month ("Week Starting"): each value dated on
    /// the period's last day, said with the first (header, as written, as dated).
    pub period_ends: Option<(String, NaiveDate, NaiveDate)>,
    /// Of those, values of weeks the book had on their first day (imported before weeks were
    /// dated on their last): kept there, so that no week counts twice.
    pub period_kept_at_start: usize,
    /// Values of a week or a month not over on the import's day: left out, as a part period's
    /// count would read as a fall (count, the first's line, its period's first and last days).
    pub periods_not_over: Option<(usize, u64, NaiveDate, NaiveDate)>,
    /// Of a metrics file: values dated off the book's weekly grid (see `OffTheWeek`).
    pub off_the_week: Option<crate::domain::data_days::OffTheWeek>,
    /// Sentiments a logs file's Sentiment column gives (beside their rows' entries, or as a
    /// sentiment row's score), and whether any was a word read on tend's scale.
    pub sentiments_beside: NotedRows,
    pub sentiment_words: bool,
    /// A logs file's sentiments given as numbers (in its Sentiment column or a sentiment row's
    /// score): how many, how many of them 5 or under, and the highest, as the file writes them
    /// (nearly all 5 or under looks like a 1-5 scale, read on tend's 1-10 as unhappy).
    pub sentiment_numbers: SentimentNumbers,
    /// The scale they were read on, where the user said it.
    pub sentiment_scale: Option<values::SentimentScale>,
    /// A help desk's tickets counted a day (`tend import tickets`).
    pub tickets: Option<tickets::TicketsRead>,
    /// Rows of an accounts file whose status says they are no customer (a prospect, a
    /// partner): left out, and said.
    pub not_customers: NotedRows,
    /// Rows of a logs file that are a CRM's tasks: no log entries, left out, and said, counted.
    pub crm_tasks: NotedRows,
    /// Of those, the rows with a value in the file's Sentiment column: left out with them, and said.
    pub crm_task_sentiments: usize,
    /// How many notes a logs file brought (a CRM's Note rows among them): said apart, as they
    /// weigh in no score; and the notes with a Sentiment, imported as that sentiment.
    pub notes: usize,
    pub notes_felt: NotedRows,
    /// The touches a logs file brought, by channel in the order first met.
    pub touches: Vec<(&'static str, usize)>,
    /// Rows of a logs file of a type tend does not know (a CRM's "Webinar", "LinkedIn"): notes
    /// titled with their type, counted by type in the order first met. A probe's timeline was
    /// refused whole for its webinars.
    pub other_types: Vec<(String, usize)>,
    /// Risk flags a logs file added open: how many, the day the oldest was raised, and whether
    /// the file has a column to say one was cleared. A timeline export's past risks all came in
    /// open and ranked Triage, with nothing said.
    pub risks_open: (usize, Option<NaiveDate>, bool),
    /// Metric cells saying there is no value ("N/A"): no sample, and said.
    pub no_value_cells: NotedRows,
    /// Metric values below zero: imported as written, and said (a count of use never is, so
    /// one is most likely an export's mistake; a metric of one's own may be).
    pub negative_values: NotedRows,
    /// Renewals the file records that move a renewal date a term on: how many, and the first
    /// ("Tidal Energy 2027-01-06 -> 2028-01-06").
    pub renewals_moved: (usize, Option<String>),
    /// New milestones of a journey no template of the config has and the file's accounts have
    /// none of (a typo, "onboardng", stays overdue in Triage without a word): how many, and the
    /// journeys, each once, with the template each is like (a second misspelt one, "Renewl",
    /// went unnamed beside the first).
    pub unknown_journeys: (usize, Vec<String>),
    /// Accounts whose renewal date the file moves on by a term without recording the renewal:
    /// recorded as renewed on the import's day, their renewal journeys planned again and the
    /// renewed term's left open done. How many, and the first ("Acme 2026-12-20 -> 2027-12-20").
    pub next_term_planned: (usize, Option<String>),
    /// Accounts whose ARR the file changes (an upsell, a downgrade; not an ARR given where there
    /// was none): how many, and the first ("Zephyr Logistics $60,000 -> $45,000").
    pub arr_changed: (usize, Option<String>),
    /// ARRs changed of accounts the book got that same day: the import corrected, no change
    /// recorded (`Planner::entered_today`).
    pub arr_corrected: (usize, Option<String>),
    /// Of those, the ARRs cut to under a tenth: more often a slip (a separator, a monthly
    /// amount for an annual one) than a customer's choice, said apart.
    pub arr_cut_tenfold: (usize, Option<String>),
    /// Accounts the file gives another CSM (or takes from theirs): how many, and the first
    /// ("Summit Labs: Raj Mehta -> Dana Whitfield"). A reassignment passed without a word.
    pub csm_changed: (usize, Option<String>),
    /// Open tasks that went with the accounts moved to another CSM (those the CSM before owned
    /// there).
    pub csm_changed_tasks: usize,
    /// Accounts the book had no ARR for that the file gives one: how many, and the first.
    pub arr_learnt: (usize, Option<String>),
    /// Accounts whose ARR the file gives in another currency: how many, and the first
    /// ("Hooli Ltd $250,000 -> €275,000"). No change is recorded: no expansion, no contraction.
    pub arr_restated: (usize, Option<String>),
    /// Renewals, churns and returns recorded in tend that the file predates, kept: how many, and
    /// the first ("Duff Networks renewed on 2026-09-08: renewal date 2027-09-08, not the file's
    /// 2026-09-08").
    pub recorded_kept: (usize, Option<String>),
    /// Hand-overs made in tend kept where the file still gives the CSM they were handed from:
    /// how many, and the first ("Vertex Foods: Marcus Webb, not the file's Tom Okafor").
    pub handovers_kept: (usize, Option<String>),
    /// Accounts the file marks churned with no day for it: how many, and the first, named.
    pub churned_undated: (usize, Option<String>),
    /// Usage (a sample above 0) dated after its account churned: how many, and the first
    /// ("line 40: Acme Ltd, churned 2026-10-01, logins 12 on 2026-11-15"). A churned customer
    /// still using the product was imported without a word (a probe's).
    pub used_after_churn: (usize, Option<String>),
    /// Of the accounts the book had as customers, those the file marks churned with no day for
    /// it: dated the import's day, the first the book learns of it (undated, a weekly sync's
    /// churn fell in no retention period). How many, and the first: a lead reads who left.
    pub churned_dated_today: (usize, Option<String>),
    /// Accounts the book had churned that the file has as customers, brought back: how many,
    /// and the first ("Bluth Ltd, churned 2026-03-18"). A second system's export (a CRM whose
    /// stage still says customer, after a billing export's cancellation) brings them back as a
    /// return would, and a weekly sync had done so without a word.
    pub came_back: (usize, Option<String>),
    /// Churned accounts the file has as customers, kept churned (`--keep-churned`).
    pub churns_kept: usize,
    /// Rows of subscriptions in their trial ("trialing"): customers not yet paying, said.
    pub trials: NotedRows,
    /// Rows of subscriptions whose payment failed ("past_due", "unpaid"): customers, said (a
    /// probe's five, $10,245 of ARR, were said nowhere).
    pub unpaid: NotedRows,
    /// Customer-since days written as a month without a day ("Jan 2025"): read as its first day.
    pub since_months: NotedRows,
    /// Churns dated after today: the accounts kept customers until then.
    pub churns_to_come: NotedRows,
    /// Active subscriptions canceled to end with their period (Stripe's "cancel at period
    /// end"): each churns when the period ends.
    pub cancels_pending: NotedRows,
    /// Rows with an ARR and an MRR that is not a twelfth of it: the ARR kept.
    pub arr_not_mrr: NotedRows,
    /// The header of the monthly revenue column ARR was read from as 12 times it, where a file
    /// gives MRR and no ARR.
    pub arr_from_mrr: Option<String>,
    /// New accounts of a file keyed by external ids whose name an account of the book has under
    /// another id: how many, and the first ("Cogswell Labs: 5504885948 in the book, cus_YM04 in
    /// the file"). A billing export beside a CRM's made a second account of every customer.
    pub named_otherwise: (usize, Option<String>),
    /// Rows refused for a key a row before gave, for the refusal's hint (`accounts::with_hint`).
    pub repeated_keys: RepeatedKeys,
    /// The file's column of churn (or outcome) days, when it has one.
    pub churn_date_column: Option<String>,
    /// A `--preset` that would read columns kept as attributes, and those columns.
    pub preset_hint: Option<(&'static str, Vec<String>)>,
    /// Accounts whose renewal date is before their customer-since: how many, and the first
    /// ("Umber Health: customer since 2026-10-29, renewal 2025-12-04").
    pub renewal_before_since: (usize, Option<String>),
    /// Live accounts whose renewal date the file gives more than `LONG_PAST_DAYS` ago: how many,
    /// and the first ("Zoë's Bakery, 2025-12-28").
    pub renewals_long_past: (usize, Option<String>),
    /// Accounts the book held before that the file does not name (an accounts import adds and
    /// updates; it removes none).
    pub others_in_book: usize,
    /// The first few of them by name, where known.
    pub others_named: Vec<String>,
    /// Accounts churned before their customer-since, said the same way (in retention such a
    /// churn falls in no period, and the start counts as a new logo).
    pub churn_before_since: (usize, Option<String>),
    /// Subscriptions billed more often than yearly, whose period end was not kept as a renewal.
    pub period_ends_not_renewals: usize,
    /// The renewal dates of a file without a billing interval, where they bunch in the next month.
    pub renewals_bunched: RenewalsBunched,
    /// What the file's dates told of their order (`values::DatesRead`): a book keeps the order
    /// they showed.
    pub dates: values::DatesRead,
    /// The order the book kept from an earlier file, where this file's dates could be read
    /// either way and were read in it.
    pub dates_as_kept: Option<values::KeptDateOrder>,
    pub dry_run: bool,
}

/// A file's renewal dates, counted where nothing says how its subscriptions are billed (no
/// Interval column): most of them within the next month is what a monthly plan's period end looks
/// like (a Stripe export's "Current Period End"), the next charge rather than a renewal to
/// prepare for. A founder's billing export without its Interval column put every customer on
/// Renewals within 30 days, and the summary said nothing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RenewalsBunched {
    /// The file's renewal date column, set where the file has no interval column.
    pub column: Option<String>,
    /// Rows of live accounts with a renewal date.
    pub dated: usize,
    /// Of those, the dates after today and within `DAYS` of it.
    pub next_month: usize,
}

impl RenewalsBunched {
    /// A month and a few days: a monthly period's end is at most 31 days ahead.
    pub const DAYS: i64 = 35;

    pub fn see(&mut self, renewal: NaiveDate, today: NaiveDate) {
        self.dated += 1;
        let ahead = (renewal - today).num_days();
        self.next_month += usize::from(ahead > 0 && ahead <= Self::DAYS);
    }

    /// The column to question: some dates, four in five of them within the next month (annual
    /// contracts spread over the year put about one in twelve there).
    fn bunched(&self) -> Option<&str> {
        (self.next_month >= 5 && self.next_month * 5 >= self.dated * 4).then_some(self.column.as_deref()).flatten()
    }
}

/// Rows an import notes without refusing them (a respondent who is no contact, a prospect, an
/// "N/A"): how many, and the first's line and value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NotedRows {
    pub count: usize,
    pub first: Option<(u64, String)>,
}

impl NotedRows {
    pub(crate) fn see(&mut self, line: u64, who: &str) {
        self.count += 1;
        self.first.get_or_insert_with(|| (line, who.to_string()));
    }
}

/// Journey steps an import left out though their journey is under way
/// (`ImportReport::steps_passed`): how many, on how many accounts, and the first.
#[derive(Clone, Debug, PartialEq)]
pub struct StepsPassed {
    pub steps: usize,
    pub accounts: usize,
    /// Steps by journey, in the order first met ("onboarding" 69, "renewal" 3): the first alone
    /// named a 2021 customer's renewal call where most were new customers' onboarding steps.
    pub by_journey: Vec<(String, usize)>,
    pub account: String,
    pub journey: String,
    pub milestone: String,
    pub due: chrono::NaiveDate,
}

impl ImportReport {
    /// What a dry run lists of the accounts it would add or change: the first few, and how many
    /// more (a probe's dry run of 150 listed 10 and said nothing of the other 140).
    pub fn sample_lines(&self) -> Vec<String> {
        let all: Vec<&String> = self.samples.iter().collect();
        listed(&all, self.new + self.updated, "new or changed")
    }

    /// What an import lists of the accounts it changed (not those it added): the first few, and
    /// how many more. A weekly sync's rename or new owner was on no line once imported, where
    /// its dry run had listed it.
    pub fn changed_lines(&self) -> Vec<String> {
        let changed: Vec<&String> = self.samples.iter().filter(|s| !s.starts_with("new: ")).collect();
        listed(&changed, self.updated, "changed")
    }

    /// Count a new account's journey steps left out though under way (`steps_passed`).
    /// `by_journey`: the account's steps left out by journey.
    pub(crate) fn note_steps_passed(
        &mut self,
        account: &str,
        by_journey: &[(&str, usize)],
        (journey, milestone, due): (&str, &str, chrono::NaiveDate),
    ) {
        let noted = self.steps_passed.get_or_insert_with(|| StepsPassed {
            steps: 0,
            accounts: 0,
            by_journey: Vec::new(),
            account: account.to_string(),
            journey: journey.to_string(),
            milestone: milestone.to_string(),
            due,
        });
        for (name, steps) in by_journey.iter().filter(|(_, n)| *n > 0) {
            noted.steps += steps;
            tally(&mut noted.by_journey, *steps, |j| j == name, || name.to_string());
        }
        noted.accounts += 1;
    }

    /// The summary with each of its notes on a line of its own under the counts: a first import's
    /// one line of 900 characters buried its warnings in the middle.
    pub fn in_lines(&self) -> String {
        notes_on_lines(&self.to_string())
    }

    /// Note a metric the file wrote a sample of. Rows come grouped, so the last one is most often
    /// the same: one comparison a row.
    pub(crate) fn saw_metric(&mut self, metric: &str) {
        if self.metrics.last().is_some_and(|m| m == metric) || self.metrics.iter().any(|m| m == metric) {
            return;
        }
        self.metrics.push(metric.to_string());
    }

    /// Set `new_csms_like`: each new CSM beside the one the book `had` that it most looks like
    /// ("Maya Patell" beside Maya Patel), the likely misspelling named.
    pub fn name_csms_like(&mut self, had: &[String]) {
        let had: Vec<&str> = had
            .iter()
            .map(String::as_str)
            .filter(|h| !self.new_csms.iter().any(|n| n.eq_ignore_ascii_case(h)))
            .collect();
        self.new_csms_like = self
            .new_csms
            .iter()
            .map(|n| crate::text::closest(n, had.iter().copied(), 0.85).into_iter().next())
            .collect();
    }

    /// Set `unread_metrics` from the metrics the config's factors read.
    pub fn check_metrics_read(&mut self, read: &[String]) {
        let unread: Vec<String> = self.metrics.iter().filter(|m| !read.contains(m)).cloned().collect();
        self.unread_metrics = (!unread.is_empty()).then(|| (unread, read.to_vec()));
    }

    /// Set `metrics_not_given` for a book's first usage data: the metrics the weighed factors
    /// read that the file has none of.
    pub fn check_metrics_given(&mut self, config: &crate::config::Config, logged: &[crate::domain::catalog::LogKind]) {
        use crate::domain::catalog::Source;
        let missing: Vec<String> =
            config.health.catalog.metrics.iter().filter(|m| !self.metrics.contains(m)).cloned().collect();
        let factors =
            factors_reading(config, |source| matches!(source, Source::Metric { name, .. } if missing.contains(name)));
        let read: Vec<String> = missing
            .iter()
            .filter(|m| factors_reading(config, |s| matches!(s, Source::Metric { name, .. } if name == *m)).is_some())
            .cloned()
            .collect();
        self.metrics_not_given = factors.map(|(labels, weight, total)| (read, labels, weight, total));
        self.jumpstart_unfed = self.jumpstart_unfed_by(config);
        // The evidence the file's metrics give, against what a score needs: usage data alone
        // scores no account under the default rules, and a new book read as all "low data".
        let health = &config.health;
        // The share an account with every factor the file's metrics feed would score at, worked
        // out by the rules a score is (optional evidence, bookkeeping, what nothing logged leaves
        // out): an estimate of its own read "36%" and "45%" of accounts that scored at 71% and
        // 53% (a probe's), saying they would not score.
        let catalog = &health.catalog;
        let mut values = crate::domain::FactorValues::default();
        let feeds = |s: &Source| matches!(s, Source::Metric { name, .. } if self.metrics.contains(name));
        for (id, def) in catalog.ids().zip(&catalog.defs) {
            if feeds(&def.source) && def.transform.other_source().is_none_or(feeds) {
                values.set(id, Some(0.0));
            }
        }
        let subject = crate::domain::signals::Subject::default();
        let share = |values: &crate::domain::FactorValues| {
            health.quick_with_coverage(values, &subject, chrono::NaiveDate::default()).2.share
        };
        let fed = share(&values);
        for (id, def) in catalog.ids().zip(&catalog.defs) {
            if matches!(&def.source, Source::Log(kind) if logged.contains(kind)) {
                values.set(id, Some(0.0));
            }
        }
        let with_logged = share(&values);
        self.evidence_short = (fed > 0.0 && fed < health.min_coverage).then_some((
            fed,
            health.min_coverage,
            health.jumpstart_days,
            with_logged >= health.min_coverage,
        ));
    }

    /// `jumpstart_unfed` for this file's metrics.
    fn jumpstart_unfed_by(&self, config: &crate::config::Config) -> Option<(Vec<String>, Vec<String>, i64)> {
        use crate::domain::catalog::Source;
        let health = &config.health;
        let lacking = |source: &Source| match source {
            Source::Metric { name, .. } if !self.metrics.contains(name) => Some(name.clone()),
            _ => None,
        };
        // The evidence of the jumpstart's score, as `check_metrics_given` weighs the regular's.
        fn evidence<'c>(
            config: &'c crate::config::Config,
            reads: impl Fn(&Source) -> bool + 'c,
        ) -> Vec<(&'c crate::domain::FactorId, &'c crate::domain::factor::FactorRule)> {
            weighed_reading_in(config, &config.health.jumpstart.factors, reads)
                .filter(|(_, rule)| !rule.bookkeeping && !rule.optional)
                .collect()
        }
        let total: f64 = evidence(config, |_| true).iter().map(|(_, rule)| rule.weight).sum();
        let unfed = evidence(config, |s| lacking(s).is_some());
        let weight: f64 = unfed.iter().map(|(_, rule)| rule.weight).sum();
        let mut metrics: Vec<String> = Vec::new();
        let mut labels: Vec<String> = Vec::new();
        for (id, _) in &unfed {
            let def = health.catalog.def(**id);
            labels.push(def.label.clone());
            for name in std::iter::once(&def.source).chain(def.transform.other_source()).filter_map(lacking) {
                if !metrics.contains(&name) {
                    metrics.push(name);
                }
            }
        }
        let short = total > 0.0 && (total - weight) / total < health.min_coverage;
        (short && !metrics.is_empty()).then_some((metrics, labels, health.jumpstart_days))
    }

    /// Count an account the file adds or changes in its currency.
    pub(crate) fn count_currency(&mut self, code: &str) {
        tally(&mut self.currencies, 1, |c| c == code, || code.to_string());
    }
}

/// The accounts `shown` (of `total`), indented, and how many more there are, `what`.
fn listed(shown: &[&String], total: usize, what: &str) -> Vec<String> {
    let mut out: Vec<String> = shown.iter().map(|s| format!("  {s}")).collect();
    let more = total.saturating_sub(shown.len());
    if more > 0 && !shown.is_empty() {
        out.push(format!("  … and {more} more {what}"));
    }
    out
}

/// "counts; a note (with; its own); another" as the counts, then "  - a note (with; its own)"
/// and "  - another": split at each "; " outside brackets and quotes.
fn notes_on_lines(summary: &str) -> String {
    let (mut out, mut depth, mut quoted) = (String::with_capacity(summary.len() + 16), 0i32, false);
    let mut chars = summary.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '(' | '[' if !quoted => depth += 1,
            ')' | ']' if !quoted => depth -= 1,
            '"' => quoted = !quoted,
            ';' if depth <= 0 && !quoted && chars.peek() == Some(&' ') => {
                chars.next();
                out.push_str("\n  - ");
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verb = if self.dry_run { "would import" } else { "imported" };
        let total = self.new + self.updated + self.unchanged;
        let singular = match self.what.strip_suffix("ies") {
            Some(stem) => format!("{stem}y"),
            None => self.what.trim_end_matches('s').to_string(),
        };
        let what = if total == 1 { singular.as_str() } else { self.what };
        let n = |n: usize| crate::domain::account::thousands(n as u64);
        write!(
            f,
            "{}: {verb} {} {what}: {} new, {} updated, {} unchanged",
            self.source,
            n(total),
            n(self.new),
            n(self.updated),
            n(self.unchanged)
        )?;
        if total == 0 && self.rejected == 0 {
            // A header alone, or blank rows: said, so that a wrong file is not taken for a done one.
            // Rows whose every value says there is none (or that are no customer's) are said below.
            match self.no_value_cells.count + self.not_customers.count + self.crm_tasks.count {
                // Its rows are all of a period not over: said below, with the day to import again
                // (a probe read "no rows under its header" of a file of 57 rows).
                _ if self.periods_not_over.is_some() => write!(f, " (every value in it is of a period not over yet)")?,
                0 => write!(f, " (the file holds nothing to import: no rows under its header)")?,
                _ => write!(f, " (none of its rows gives a value to import)")?,
            }
        }
        if self.rejected > 0 {
            // Rows, whatever the file holds: a row of a wide metrics file is several samples.
            let rows = if self.rejected == 1 { "row" } else { "rows" };
            write!(f, ", {} {rows} rejected", n(self.rejected))?;
            if let Some(p) = &self.rejects_file {
                // Its sentiments are on the file's scale: imported again without it, they read
                // as 1-10 (a probe's fixed "5" went in as an unhappy 5 of 10).
                let again = match self.sentiment_scale {
                    Some(values::SentimentScale::Five) => {
                        ": its sentiments are on 1-5, so import it with --sentiment-scale 5 too"
                    }
                    _ => "",
                };
                write!(f, " (written to {}{again})", p.display())?;
            }
            if let Some(reason) = &self.rejects_failed {
                write!(f, " (the rejected rows could not be saved: {})", crate::text::clean(reason))?;
            }
            if self.dry_run && !self.first_problems.is_empty() {
                // The first of each kind: 259 "Note" rows are one problem, not the first three.
                let mut kinds: Vec<&Problem> = Vec::new();
                for p in &self.first_problems {
                    if kinds.len() < DRY_RUN_PROBLEMS && !kinds.iter().any(|q| q.same_as(p)) {
                        kinds.push(p);
                    }
                }
                let shown: Vec<String> = kinds
                    .into_iter()
                    .map(|p| match p.column.is_empty() {
                        // A problem of the whole row (its shape), not of one value.
                        true => format!("line {}: {}", p.line, crate::text::clean(&p.reason)),
                        false => format!("line {}, column \"{}\": {}", p.line, p.column, crate::text::clean(&p.reason)),
                    })
                    .collect();
                let more = if self.rejected > shown.len() { "; …" } else { "" };
                write!(f, " ({}{more})", shown.join("; "))?;
            }
            // Most of a file rejected is more often the wrong file (another team's accounts, an
            // older export) than a few bad rows: a probe's 199 of 220 went by as a count.
            if self.rejected > total {
                write!(
                    f,
                    "; more rows were rejected than {}: is it the right file, and are its accounts in the book?",
                    if self.dry_run { "would be imported" } else { "imported" }
                )?;
            }
        }
        if self.milestones > 0 {
            let verb = if self.dry_run { "would plan" } else { "planned" };
            let s = if self.milestones == 1 { "" } else { "s" };
            match self.milestones_past {
                0 => write!(f, "; {verb} {} journey milestone{s}, all still ahead", n(self.milestones))?,
                past => write!(
                    f,
                    "; {verb} {} journey milestone{s}, {} of them steps of journeys under way already past their day \
                     (--include-past): overdue until marked done",
                    n(self.milestones),
                    n(past)
                )?,
            }
        }
        if let Some(StepsPassed { steps, accounts, by_journey, account, journey, milestone, due }) = &self.steps_passed
        {
            // Each journey's share where there are several.
            let each = match by_journey.len() {
                0 | 1 => String::new(),
                _ => {
                    let parts: Vec<String> =
                        by_journey.iter().map(|(j, n_)| format!("{} {}", crate::text::clean(j), n(*n_))).collect();
                    format!(" ({})", parts.join(", "))
                }
            };
            let (were, on, their) = match (*steps, *accounts) {
                (1, _) => ("1 step of a journey still under way was".to_string(), String::new(), "its"),
                (s, 1) => (format!("{} steps of a journey still under way{each} were", n(s)), String::new(), "their"),
                (s, a) => (
                    format!("{} steps of journeys still under way{each} were", n(s)),
                    format!(", on {} accounts", n(a)),
                    "their",
                ),
            };
            let journey_arg = match by_journey.len() {
                0 | 1 => crate::text::clean(journey),
                _ => "JOURNEY".to_string(),
            };
            // The import's own option plans them only for accounts it adds: after the import, it
            // is taken back first.
            let again = match self.dry_run {
                true => "this import with --include-past plans them, overdue",
                false => "`tend undo --import`, then this import with --include-past, plans them, overdue",
            };
            write!(
                f,
                "; {were} already past {their} day and not planned{on} (the first: {}'s {} \"{}\", due {due}): \
                 {again} (one account: `tend journey apply ACCOUNT {journey_arg} --include-past`)",
                crate::text::clean(account),
                crate::text::clean(journey),
                crate::text::clean(milestone),
            )?;
        }
        if self.new_churned > 0 {
            write!(
                f,
                "; of the new accounts, {} churned already: counted in retention and the back-test, in no Triage list \
                 or renewal forecast",
                if self.new_churned == 1 { "1 is".to_string() } else { format!("{} are", n(self.new_churned)) }
            )?;
        }
        let lacking: Vec<String> = [
            (
                self.new_without_arr,
                "no ARR (blank, 0, or a word for none: N/A, TBD; Unsegmented until a file gives one)",
            ),
            (self.new_without_csm, "no CSM"),
            // A file without the column says so by itself.
            (
                if self.since_missing { 0 } else { self.new_without_since },
                "no customer-since day (no jumpstart score, cohort or onboarding journey until a file gives one)",
            ),
            (
                if self.renewal_missing { 0 } else { self.new_without_renewal },
                "no renewal date (in no renewal list or forecast until a file gives one)",
            ),
        ]
        .iter()
        .filter(|(count, _)| *count > 0 && *count < self.new)
        .map(|(count, what)| format!("{} {} {what}", n(*count), if *count == 1 { "has" } else { "have" }))
        .collect();
        if !lacking.is_empty() {
            write!(f, "; of the new accounts, {}", lacking.join(", "))?;
        }
        for (name, few, like, many) in &self.lookalike_csms {
            let rows = |n: usize| if n == 1 { "1 row".to_string() } else { format!("{} rows", n) };
            write!(
                f,
                "; CSM \"{}\" ({}) is much like \"{}\" ({}): a misspelling? (correct the file and import it \
                 again: an import moves accounts to the CSM their rows name)",
                crate::text::clean(name),
                rows(*few),
                crate::text::clean(like),
                rows(*many)
            )?;
        }
        if self.keyed_on_name {
            write!(
                f,
                "; no column gives an external id (a header such as \"External ID\", \"Account ID\" or \"Record \
                 ID\"; another is mapped under [import.columns]): accounts are keyed on their names, so one renamed \
                 in the CRM would come in as a new account"
            )?;
        }
        if self.named_by_id && self.new > 0 {
            write!(
                f,
                "; no column gives the accounts' names (a header such as \"Account\", \"Company name\" or \"Name\"; \
                 another is mapped under [import.columns]): the new accounts are named by their external id until \
                 a file gives their names"
            )?;
        }
        let missing: Vec<&str> = [(self.csm_missing, "the CSM"), (self.arr_missing, "the ARR")]
            .iter()
            .filter(|(missing, _)| *missing)
            .map(|(_, what)| *what)
            .collect();
        if !missing.is_empty() && self.new + self.updated > 0 {
            let listed = quoted_list(&self.unread_columns);
            // The example maps a column whose header reads like the field missing ("Annual
            // Revenue" for the ARR, "Account Owner" for the CSM), never one for the other
            // ("Annual Revenue" = "csm" was offered); any column where none reads so.
            let like = |words: &[&str]| {
                self.unread_columns.iter().find(|h| {
                    let h = h.to_lowercase();
                    words.iter().any(|w| h.split(|c: char| !c.is_alphanumeric()).any(|part| part == *w))
                })
            };
            let csm_like = like(&["owner", "csm", "manager", "rep", "am", "assigned"]);
            let arr_like = like(&["revenue", "arr", "amount", "acv", "value", "mrr", "contract"]);
            let examples: Vec<String> = [(self.csm_missing, csm_like, "csm"), (self.arr_missing, arr_like, "arr")]
                .iter()
                .filter(|(missing, _, _)| *missing)
                .filter_map(|(_, header, field)| {
                    let header = (*header)?;
                    let mapped = format!("\"{}\" = \"{field}\"", crate::text::clean(header));
                    // A CRM's "Annual Revenue" is most often the company's own turnover, not what
                    // it pays (`tend help import` says so; the example had offered it bare).
                    Some(match header.eq_ignore_ascii_case("annual revenue") {
                        true => format!("{mapped} if it is what they pay you, not their own turnover"),
                        false => mapped,
                    })
                })
                .collect();
            // Where no column reads like the field, the example names none of the file's: any
            // one offered ("Customer Email" = "csm") read as advice to map it.
            let example = match examples.is_empty() {
                false => format!(", e.g. {}", examples.join(", ")),
                true => format!(", as \"THE HEADER\" = \"{}\"", if self.csm_missing { "csm" } else { "arr" }),
            };
            match listed.is_empty() {
                true => write!(f, "; no column gives {}", missing.join(" or "))?,
                false => write!(
                    f,
                    "; no column gives {}: the columns no field reads, kept on the accounts, are {listed} (map one \
                     under [import.columns] in the config{example})",
                    missing.join(" or "),
                )?,
            }
        }
        if let Some((count, first)) = &self.contacts_unlisted {
            let (people, are) = if *count == 1 { ("contact", "is") } else { ("contacts", "are") };
            write!(
                f,
                "; {} active {people} of the file's accounts {are} not in it ({}{first}): kept as they are \
                 (`tend contact left` marks one gone)",
                n(*count),
                the_first(*count),
            )?;
        }
        if let Some((count, first, day)) = &self.contacts_left_undated {
            write!(
                f,
                "; {} without a day ({}{}): dated {day}, this import's day, which Triage reads as when they went \
                 (a Left On column gives the day)",
                counted(*count, "contact is marked left", "contacts are marked left"),
                the_first(*count),
                crate::text::clean(first),
            )?;
        }
        if let Some((count, first)) = &self.contacts_elsewhere {
            let (people, are) = if *count == 1 { ("person", "is") } else { ("people", "are") };
            write!(
                f,
                "; {} {people} new to an account {are} still an active contact of another ({}{first}): kept at \
                 both (`tend contact left` marks one gone from the account they left; a champion gone is a \
                 triage reason)",
                n(*count),
                the_first(*count),
            )?;
        }
        if !self.columns_not_read.is_empty() && total > 0 {
            write!(
                f,
                "; columns not read: {} (`tend help import` lists the headers each kind reads: name a column so to \
                 read it)",
                quoted_list(&self.columns_not_read)
            )?;
        }
        // Said once: a file without a CSM or an ARR column lists them already.
        if !self.kept_columns.is_empty() && self.new > 0 && self.unread_columns.is_empty() {
            write!(
                f,
                "; columns kept as attributes, not read as any field: {} (to read one as a field, map it under \
                 [import.columns] in the config)",
                quoted_list(&self.kept_columns)
            )?;
        }
        if let (n, Some((name, accounts))) = &self.shared_names {
            let (names, first) = match n {
                1 => ("1 name is".to_string(), ""),
                _ => (format!("{} names are each", crate::domain::account::thousands(*n as u64)), "the first: "),
            };
            write!(
                f,
                "; {names} given to more than one account ({first}\"{}\", {accounts} accounts): the lists name each \
                 with its external id beside it (\"{} (ID)\"), and logs and searches name them by external id",
                crate::text::clean(name),
                crate::text::clean(name.trim()),
            )?;
        }
        if let Some(header) = &self.segment_column {
            write!(
                f,
                "; \"{}\" is kept on the accounts as the attribute \"{}\": tend's segments are its own, from \
                 [segments] in the config (by ARR unless set otherwise)",
                crate::text::clean(header),
                crate::text::clean(&crate::import::columns::attribute_key(header))
            )?;
        }
        if self.since_missing && self.new > 0 {
            write!(
                f,
                "; no column gives the day each became a customer (a header such as \"Customer since\" or \"Start \
                 date\"; another is mapped under [import.columns] in the config, e.g. \"Close Date\" = \
                 \"customer_since\"): the new accounts have no jumpstart score, cohort or onboarding journey"
            )?;
        }
        if self.renewal_missing && self.new > 0 {
            write!(
                f,
                "; no column gives each account's renewal date (a header such as \"Renewal date\" or \"Contract \
                 end\"; another is mapped under [import.columns] in the config, e.g. \"Term end\" = \
                 \"renewal_date\"): the new accounts are in no renewal forecast and get no renewal journey until \
                 a file gives it"
            )?;
        }
        if let (Some((labels, weight, total, optional)), true) = (&self.expected_missing, self.new > 0) {
            let then = match optional {
                true => "optional evidence, it is left out of their score until a file gives it",
                false => "give it weight 0 in the config if your book has none",
            };
            write!(
                f,
                "; no column gives each account's expected usage, in the unit of the usage metric it is compared \
                 with (a header such as \"Expected usage\"; another is mapped under [import.columns], e.g. \
                 \"Contracted volume\" = \"expected_usage\"; seats only where that metric counts users): {} \
                 (weight {} of {}) has no value for them: {then}",
                labels.join(", "),
                crate::domain::suggest::number(*weight),
                crate::domain::suggest::number(*total)
            )?;
        }
        if let Some(FutureSince { count, first_line, first, today }) = self.future_since {
            let (n, has) = match count {
                1 => ("1 account".to_string(), "has"),
                many => (format!("{} accounts", n(many)), "have"),
            };
            write!(
                f,
                "; {n} {has} a customer-since after {today}, kept as written (the first on line {first_line}: {first})"
            )?;
        }
        if let NotedRows { count, first: Some((line, value)) } = &self.not_customers {
            let rows = counted(*count, "row is not a customer", "rows are not customers");
            write!(f, "; {rows} (the first on line {line}: \"{}\"): left out", crate::text::clean(value))?;
        }
        if let NotedRows { count, first: Some((line, value)) } = &self.crm_tasks {
            write!(
                f,
                "; {} (the first on line {line}: \"{}\"): a CRM's tasks are no log entries, left out (they go in \
                 with `tend import tasks`)",
                counted(*count, "task", "tasks"),
                crate::text::clean(value)
            )?;
            if self.crm_task_sentiments > 0 {
                write!(
                    f,
                    "; {} left out with {} (a sentiment goes in on a touch's or a note's row, or as a sentiment)",
                    counted(
                        self.crm_task_sentiments,
                        "sentiment given in the Sentiment column is",
                        "sentiments given in the Sentiment column are"
                    ),
                    if self.crm_task_sentiments == 1 { "its task" } else { "their tasks" }
                )?;
            }
        }
        if let NotedRows { count, first: Some((line, value)) } = &self.no_value_cells {
            let cells = counted(*count, "cell says", "cells say");
            let first = match value.trim() {
                "" => "blank".to_string(),
                marked => format!("\"{}\"", crate::text::clean(marked)),
            };
            write!(f, "; {cells} there is no value (the first {first}, on line {line}): no sample")?;
        }
        if let NotedRows { count, first: Some((line, value)) } = &self.negative_values {
            let values = counted(*count, "value is", "values are");
            write!(
                f,
                "; {values} below zero (the first {}, on line {line}): {} as written, though a count of use never is",
                crate::text::clean(value),
                if self.dry_run { "would be imported" } else { "imported" }
            )?;
        }
        if let (count, Some(first)) = &self.arr_changed {
            let verb = if self.dry_run { "would change" } else { "changed" };
            write!(
                f,
                "; {verb} the ARR of {} ({}{}; on {} timeline)",
                counted(*count, "account", "accounts"),
                the_first(*count),
                first,
                if *count == 1 { "its" } else { "each one's" }
            )?;
        }
        if let (count, Some(first)) = &self.arr_corrected {
            write!(
                f,
                "; {} the ARR of {} the book got today ({}{}): a correction of that import, taken as imported, \
                 no expansion or contraction recorded",
                if self.dry_run { "would correct" } else { "corrected" },
                counted(*count, "account", "accounts"),
                the_first(*count),
                first
            )?;
        }
        if let (count, Some(first)) = &self.arr_cut_tenfold {
            write!(
                f,
                "; of them, {} to under a tenth of {} ({}{}): a slip of a separator, or a monthly amount \
                 for an annual one? (correct the file and import it again)",
                counted(*count, "ARR falls", "ARRs fall"),
                if *count == 1 { "its last" } else { "their last" },
                the_first(*count),
                first
            )?;
        }
        if let (count, Some(first)) = &self.csm_changed {
            let verb = if self.dry_run { "would move" } else { "moved" };
            let tasks = match self.csm_changed_tasks {
                0 => String::new(),
                n => format!(", with {} the CSM before owned there", counted(n, "open task", "open tasks")),
            };
            write!(
                f,
                "; {verb} {} to another CSM ({}{first}){tasks}",
                counted(*count, "account", "accounts"),
                the_first(*count),
            )?;
        }
        if let (count, Some(first)) = &self.arr_learnt {
            let verb = if self.dry_run { "would give" } else { "gave" };
            write!(
                f,
                "; {verb} {} an ARR where the book had none ({}{first}; as theirs from the start, not an \
                 expansion)",
                counted(*count, "account", "accounts"),
                the_first(*count),
            )?;
        }
        if let (count, Some(first)) = &self.arr_restated {
            let verb = if self.dry_run { "would give" } else { "gave" };
            write!(
                f,
                "; {verb} the ARR of {} in another currency ({}{first}; no expansion or contraction counted)",
                counted(*count, "account", "accounts"),
                the_first(*count),
            )?;
        }
        if let (count, journeys) = &self.unknown_journeys
            && !journeys.is_empty()
        {
            let milestones = counted(*count, "new milestone is", "new milestones are");
            let which = if journeys.len() == 1 { "a journey" } else { "journeys" };
            write!(
                f,
                "; {milestones} of {which} no template of the config has ({}): imported as written; a misspelt \
                 one is taken back by `tend undo --import`",
                journeys.join("; ")
            )?;
        }
        if let (count, Some(first)) = &self.renewals_moved {
            let verb = if self.dry_run { "would move" } else { "moved" };
            let renewals = counted(
                *count,
                &format!("renewal the file records {verb} its renewal date"),
                &format!("renewals the file records {verb} their renewal dates"),
            );
            write!(
                f,
                "; {renewals} a term on ({}{}; a date more than 90 days after the renewal is kept as the next \
                 term's)",
                the_first(*count),
                first
            )?;
        }
        if let (count, Some(first)) = &self.next_term_planned {
            let (dates, their) = match count {
                1 => ("renewal date", "its"),
                _ => ("renewal dates", "their"),
            };
            let verb = if self.dry_run { "would be recorded" } else { "recorded" };
            write!(
                f,
                "; {} {dates} moved a term on ({}{first}): {verb} as renewed on the import's day, {their} renewal \
                 journey planned again for the new term and the renewed term's renewal milestones left open done \
                 with it",
                n(*count),
                the_first(*count),
            )?;
        }
        if let (count, Some(first)) = &self.handovers_kept {
            write!(
                f,
                "; {} made in tend kept where the file still gives the CSM {} handed from ({}{first}): record {} in the \
                 CRM too, or `tend assign` moves one back",
                counted(*count, "hand-over", "hand-overs"),
                if *count == 1 { "it was" } else { "they were" },
                the_first(*count),
                if *count == 1 { "it" } else { "them" }
            )?;
        }
        if let (count, Some(first)) = &self.recorded_kept {
            let changes = counted(
                *count,
                "renewal, churn or return recorded in tend is",
                "renewals, churns and returns recorded in tend are",
            );
            write!(
                f,
                "; {changes} newer than the file, kept ({}{}; record {} in the CRM too)",
                the_first(*count),
                first,
                if *count == 1 { "it" } else { "them" }
            )?;
        }
        if let Some((preset, headers)) = &self.preset_hint {
            let quoted: Vec<String> = headers.iter().map(|h| format!("\"{}\"", crate::text::clean(h))).collect();
            write!(
                f,
                "; {} kept as {} no field reads: `--preset {preset}` reads {} as that export means {}",
                quoted.join(", "),
                if headers.len() == 1 { "a column" } else { "columns" },
                if headers.len() == 1 { "it" } else { "them" },
                if headers.len() == 1 { "it" } else { "them" },
            )?;
        }
        if let (count, Some(first)) = &self.churned_dated_today {
            let accounts = counted(*count, "customer", "customers");
            let first = format!(" ({}{first})", the_first(*count));
            write!(
                f,
                "; {accounts} of the book marked churned with no churn date{first}: dated today, the day the \
                 book learns of it (a column such as \"Churn date\" gives the day)"
            )?;
        }
        if let (count, Some(first)) = &self.named_otherwise {
            let accounts = counted(*count, "new account has", "new accounts have");
            write!(
                f,
                "; {accounts} the name of an account of the book under another external id ({}{first}): a file \
                 of another system's ids (billing beside a CRM) makes a second account of each; `--by-name` \
                 matches its rows by name instead, its ids kept as a column",
                the_first(*count),
            )?;
        }
        if let (count, Some(first)) = &self.came_back {
            let accounts = counted(*count, "account the book had churned is", "accounts the book had churned are");
            write!(
                f,
                "; {accounts} a customer again, as the file has {} ({}{first}): if {} did not come back, the \
                 file does not know of the churn (`--keep-churned` leaves the book's churns be; `tend undo \
                 --import` takes this import back)",
                if *count == 1 { "it" } else { "them" },
                the_first(*count),
                if *count == 1 { "it" } else { "they" },
            )?;
        }
        if self.churns_kept > 0 {
            write!(
                f,
                "; {} the file has as {} kept churned (--keep-churned; `tend reactivate` brings one back)",
                counted(self.churns_kept, "account the book had churned", "accounts the book had churned"),
                if self.churns_kept == 1 { "a customer" } else { "customers" },
            )?;
        }
        if let Some(header) = &self.arr_from_mrr {
            write!(f, "; ARR is 12 times \"{}\", a monthly figure", crate::text::clean(header))?;
        }
        if let Some((line, first)) = &self.cancels_pending.first {
            write!(
                f,
                "; {} canceled to end with {} period (the first on line {line}: {}): a customer until its period \
                 ends, that day kept as its field \"Churn to come\" (`tend churn` then, or a file imported after it, \
                 records the churn), and no renewal in the forecast (one whose period has ended is churned on that \
                 day, one with no period's end stays a customer as its status says)",
                counted(self.cancels_pending.count, "active subscription was", "active subscriptions were"),
                if self.cancels_pending.count == 1 { "its" } else { "their" },
                crate::text::clean(first),
            )?;
        }
        if let Some((line, first)) = &self.churns_to_come.first {
            write!(
                f,
                "; {} still to come (the first on line {line}: {}): kept a customer until then, the day \
                 kept as its field \"Churn to come\" (tend records a churn on its day: `tend churn` then, or a \
                 file imported after it)",
                counted(self.churns_to_come.count, "churn date is", "churn dates are"),
                crate::text::clean(first),
            )?;
        }
        if let Some((line, first)) = &self.arr_not_mrr.first {
            write!(
                f,
                "; {} an ARR that is not 12 times {} MRR (the first on line {line}: {}): the ARR is kept",
                counted(self.arr_not_mrr.count, "row has", "rows have"),
                if self.arr_not_mrr.count == 1 { "its" } else { "their" },
                crate::text::clean(first),
            )?;
        }
        if let Some((line, first)) = &self.since_months.first {
            write!(
                f,
                "; {} a month without a day (the first on line {line}: \"{}\"): read as its first day",
                counted(self.since_months.count, "customer-since is", "customer-sinces are"),
                crate::text::clean(first),
            )?;
        }
        if let Some((line, first)) = &self.unpaid.first {
            write!(
                f,
                "; {} past due or unpaid (the first on line {line}: {}): imported as customers, active (a failed \
                 payment is a risk to log with `tend log risk` where it is one)",
                counted(self.unpaid.count, "subscription is", "subscriptions are"),
                crate::text::clean(first),
            )?;
        }
        if let Some((line, first)) = &self.trials.first {
            write!(
                f,
                "; {} in a trial (status trialing; the first: {}, line {line}): imported as customers, active, \
                 their ARR what they pay once the trial ends",
                counted(self.trials.count, "subscription is", "subscriptions are"),
                crate::text::clean(first),
            )?;
        }
        if let (count, Some(first)) = &self.used_after_churn {
            write!(
                f,
                "; {} dated after {} account churned ({}{first}): kept, and read by no score or list (a customer \
                 still using the product is one again with `tend reactivate`)",
                counted(*count, "sample of use is", "samples of use are"),
                if *count == 1 { "its" } else { "their" },
                the_first(*count)
            )?;
        }
        if let (count, Some(first)) = &self.churned_undated {
            let accounts = counted(*count, "account marked churned has", "accounts marked churned have");
            let named = format!("{}{first}; ", the_first(*count));
            match &self.churn_date_column {
                Some(column) => write!(
                    f,
                    "; {accounts} no churn date ({named}blank in column \"{}\"): the back-test and the \
                     retention figures cannot place them",
                    crate::text::clean(column)
                )?,
                None => write!(
                    f,
                    "; {accounts} no churn date ({named}a column such as \"Churn date\" or \"Outcome \
                     date\"; another is mapped under [import.columns], e.g. \"Closed Date\" = \"outcome_date\"): \
                     the back-test and the retention figures cannot place them"
                )?,
            }
        }
        if self.others_in_book > 0 && self.new + self.updated + self.unchanged > 0 {
            let named = match self.others_named.len() {
                0 => String::new(),
                k if k == self.others_in_book => format!(": {}", self.others_named.join(", ")),
                _ => format!(", the first: {}", self.others_named.join(", ")),
            };
            write!(
                f,
                "; the book also holds {} no row of this file matched{named} (an import adds and updates \
                 accounts; it removes none: `tend churn` marks one lost)",
                counted(self.others_in_book, "account", "accounts")
            )?;
        }
        if let (count, Some(first)) = &self.renewals_long_past {
            let dates = counted(*count, "renewal date is", "renewal dates are");
            write!(
                f,
                "; {dates} more than {} days past ({}{first}): no Triage reason, listed last in \
                 Renewals, until a file gives the dates they renewed to or they are marked renewed or churned",
                crate::domain::renewal::LONG_PAST_DAYS,
                the_first(*count)
            )?;
        }
        if let (count, Some(first)) = &self.renewal_before_since {
            let accounts = counted(*count, "account renews", "accounts renew");
            write!(
                f,
                "; {accounts} before becoming a customer, or that same day ({}{first}): a date the wrong way \
                 round, or the start date copied? (imported as written; correct the file and import it again)",
                the_first(*count)
            )?;
        }
        if let (count, Some(first)) = &self.churn_before_since {
            let accounts = counted(*count, "account churned", "accounts churned");
            write!(
                f,
                "; {accounts} before becoming a customer ({}{first}): a date the wrong way round? (imported as \
                 written: the retention figures count the start as a new logo and the churn in no period; \
                 correct the file and import it again)",
                the_first(*count)
            )?;
        }
        if let Some(column) = self.renewals_bunched.bunched() {
            let column = crate::text::clean(column);
            let RenewalsBunched { next_month, dated, .. } = self.renewals_bunched;
            let how_many = match next_month == dated {
                true => format!("all {dated} renewal dates fall"),
                false => format!("{next_month} of the {dated} renewal dates fall"),
            };
            write!(
                f,
                "; {how_many} within the next {} days, as a monthly subscription's next charge does: if \
                 \"{column}\" is the end of a billing period rather than of a contract, give the file its Interval \
                 column, or leave the column out (\"{column}\" = \"ignore\" under [import.columns] in the config) \
                 and import it again",
                RenewalsBunched::DAYS
            )?;
        }
        if self.period_ends_not_renewals > 0 {
            let subscriptions = counted(self.period_ends_not_renewals, "subscription bills", "subscriptions bill");
            write!(
                f,
                "; {subscriptions} more often than yearly: the period's end is the next charge, not kept as a \
                 renewal date"
            )?;
        }
        if let Some((header, from, to)) = &self.period_ends {
            write!(
                f,
                "; \"{}\" dates the start of each period: its values are dated on its last day, when the period is \
                 whole ({from} is read as {to}), so a period imported later changes no score of a day before it was \
                 known",
                crate::text::clean(header)
            )?;
        }
        if let Some((count, line, first, last)) = self.periods_not_over {
            write!(
                f,
                "; {} of a period not over yet left out (the first on line {line}: {first} to {last}): a part \
                 period's count would read as a fall, and an import after it ends brings it whole",
                counted(count, "value", "values")
            )?;
        }
        if let Some(off) = &self.off_the_week {
            let counted_values = counted(off.values as usize, "value is", "values are");
            // The way back, where there is one: a dry run wrote nothing; an import is taken back
            // only while it is the book's last write.
            let way = match self.dry_run {
                true => {
                    "sum it by week before importing it (a \"Week Starting\" column dates each week on its last day)"
                }
                false => {
                    "sum it by week (a \"Week Starting\" column dates each week on its last day), and take this \
                          import back with `tend undo --import` before anything else is written"
                }
            };
            write!(
                f,
                "; {counted_values} dated on another weekday than the book's weekly usage data (its weeks are dated on a {}, \
                 the newest {}), the first on {} (a {}): a day's count, or a week not over, beside whole weeks reads as a \
                 fall in the usage factors. If the file is a daily export, {way}",
                off.newest.format("%A"),
                off.newest,
                off.first,
                off.first.format("%A")
            )?;
        }
        if self.period_kept_at_start > 0 {
            write!(
                f,
                "; {} of periods the book already had on their first day (imported so before) kept on that day, so \
                 that none counts twice",
                counted(self.period_kept_at_start, "value", "values")
            )?;
        }
        if !self.touches.is_empty() {
            let total: usize = self.touches.iter().map(|(_, n)| n).sum();
            let by: Vec<String> = self.touches.iter().map(|(c, n)| format!("{c} {n}")).collect();
            let touches = match total {
                1 => "1 of them is a touch".to_string(),
                n => format!("{} of them are touches", crate::domain::account::thousands(n as u64)),
            };
            write!(f, "; {touches} ({})", by.join(", "))?;
        }
        if self.notes > 0 {
            let notes = match self.notes {
                1 => "1 of them is a note".to_string(),
                n => format!("{} of them are notes", crate::domain::account::thousands(n as u64)),
            };
            write!(f, "; {notes} (on the timeline and found by search; no touch and no score)")?;
        }
        if !self.other_types.is_empty() {
            let rows: usize = self.other_types.iter().map(|(_, n)| n).sum();
            let types: Vec<String> =
                self.other_types.iter().map(|(t, n)| format!("{} {n}", crate::text::clean(t))).collect();
            write!(
                f,
                "; {} of a type tend does not know came in as notes titled with their type ({}): no touch and no \
                 score (a touch's type names its channel: {}; such rows renamed so count as touches, imported \
                 again after `tend undo --import`)",
                counted(rows, "row", "rows"),
                types.join(", "),
                crate::domain::entry::TouchChannel::keys_text()
            )?;
        }
        if let (count @ 1.., Some(oldest), closed_column) = self.risks_open {
            let column = match closed_column {
                true => "its Closed column blank",
                false => "the file has no Closed column",
            };
            write!(
                f,
                "; {} open ({column}; the oldest raised {oldest}): each counts in Triage until cleared (`tend log \
                 close ACCOUNT`, or the day each was cleared in a Closed column, imported again)",
                counted(count, "new risk flag is", "new risk flags are")
            )?;
        }
        if let NotedRows { count, first: Some((line, _)) } = &self.notes_felt {
            let notes = counted(*count, "note says", "notes say");
            write!(
                f,
                "; {notes} how the customer felt in the Sentiment column, each imported as that sentiment (the first on line {line})"
            )?;
        }
        if let NotedRows { count, first: Some((line, said)) } = &self.sentiments_beside {
            let words = match self.sentiment_words {
                true => {
                    "; words read on tend's 1-10: very positive 9, positive 8, neutral 5, negative 3, very negative 2"
                }
                false => "",
            };
            write!(
                f,
                "; {} read from the Sentiment column, each a sentiment of its row's day (the first on line {line}: \
                 \"{}\"{words})",
                counted(*count, "sentiment", "sentiments"),
                crate::text::clean(said)
            )?;
        }
        if let Some(t) = &self.tickets {
            write!(
                f,
                "; {} opened from {} to {}, counted a day as the {} metric; the {} with no ticket in \
                 that time {} 0 (a sample of 0 a week; a file of only some accounts' tickets would count the others 0 \
                 too)",
                counted(t.tickets, "ticket", "tickets"),
                t.from,
                t.to,
                tickets::TICKETS_METRIC,
                counted(t.with_none, "live account", "live accounts"),
                if t.with_none == 1 { "counts" } else { "count" }
            )?;
            if t.repeated > 0 {
                write!(
                    f,
                    "; {} a ticket listed before (by its id): counted once",
                    counted(t.repeated, "row repeats", "rows repeat")
                )?;
            }
            if t.unowned > 0 {
                write!(
                    f,
                    "; {} no account (a blank \"{}\"): left out, as no account's",
                    counted(t.unowned, "ticket names", "tickets name"),
                    crate::text::clean(&t.account_column)
                )?;
            }
        }
        if let Some(said) = self.sentiment_scale.and_then(values::SentimentScale::said) {
            write!(f, "; {said}")?;
        }
        let numbers = self.sentiment_numbers;
        if self.sentiment_scale.is_none() && numbers.look_one_to_five() {
            let how_many = match numbers.at_most_five == numbers.count {
                true => format!("every one of the file's {} sentiments given as numbers is 5 or under", numbers.count),
                false => format!(
                    "{} of the file's {} sentiments given as numbers are 5 or under (the highest {})",
                    numbers.at_most_five, numbers.count, numbers.highest
                ),
            };
            write!(
                f,
                "; {how_many}: tend's sentiment runs 1-10, where 5 and under is unhappy: if the file's scale is 1-5, {} \
                 (--sentiment-scale 10 says it is 1-10)",
                match self.dry_run {
                    true => "import it with --sentiment-scale 5",
                    false => "take the import back (`tend undo --import`) and import it again with --sentiment-scale 5",
                }
            )?;
        }
        if let NotedRows { count, first: Some((line, who)) } = &self.not_contacts {
            let answers = counted(
                *count,
                "survey answer names a respondent who is not",
                "survey answers name respondents who are not",
            );
            write!(
                f,
                "; {answers} a contact of the account (the first on line {line}: \"{}\"): imported without the \
                 person (contacts imported before the answers link them)",
                crate::text::clean(who)
            )?;
        }
        if let (Some(kept), Some(example)) = (&self.dates_as_kept, &self.dates.ambiguous) {
            let read = values::parse_date(&example.text, kept.order).map(|d| format!(" ({d})")).unwrap_or_default();
            write!(
                f,
                "; dates like {example} could be day-first or month-first: read {}{read}, as this book's \
                 earlier file {} showed (pass --date-order {} if they are not)",
                kept.order.words(),
                crate::text::clean(&kept.file),
                kept.order.other().flag()
            )?;
        }
        if let Some(FutureSince { count, first_line, first, today }) = self.future_samples {
            let n = match count {
                1 => "1 sample is".to_string(),
                many => format!("{} samples are", n(many)),
            };
            write!(
                f,
                "; {n} dated after {today}, kept as written: each counts from its day on (the first on line {first_line}: {first})"
            )?;
        }
        if !self.named_loosely.is_empty() {
            const SHOWN: usize = 3;
            let said: Vec<String> = self
                .named_loosely
                .iter()
                .take(SHOWN)
                .map(|(cell, name)| format!("\"{}\" as {}", crate::text::clean(cell), crate::text::clean(name)))
                .collect();
            let more = match self.named_loosely.len().saturating_sub(SHOWN) {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            let (count, is) = match self.named_loosely.len() {
                1 => ("1 account name".to_string(), "is"),
                n => (format!("{} account names", n), "are"),
            };
            write!(
                f,
                "; {count} in the file {is} read as the one account whose name has the same words but \
                 for its company form ({}{more}): where one is another customer, add it or give the external id",
                said.join(", ")
            )?;
        }
        if let Some((best, others)) = self.respelled.first() {
            let quoted = |names: &[String]| names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ");
            match self.respelled.len() {
                1 => write!(
                    f,
                    "; CSM \"{best}\" also written {}, kept as a name is written (the most used such spelling)",
                    quoted(others)
                )?,
                n => write!(
                    f,
                    "; {n} CSMs written in more than one case, each kept as a name is written (the most used such spelling; such as \"{best}\", \
                     also written {})",
                    quoted(others)
                )?,
            }
        }
        if !self.new_csms.is_empty() {
            const SHOWN: usize = 5;
            let mut names: Vec<String> = self
                .new_csms
                .iter()
                .enumerate()
                .take(SHOWN)
                .map(|(i, n)| match self.new_csms_like.get(i).cloned().flatten() {
                    Some(like) => format!("\"{}\" ({like} misspelt?)", crate::text::clean(n)),
                    None => format!("\"{}\"", crate::text::clean(n)),
                })
                .collect();
            if self.new_csms.len() > SHOWN {
                names.push(format!("and {} more", n(self.new_csms.len() - SHOWN)));
            }
            let (csms, added) = match (self.new_csms.len(), self.dry_run) {
                (1, true) => ("CSM", "would be added"),
                (1, false) => ("CSM", "added"),
                (_, true) => ("CSMs", "would be added"),
                (_, false) => ("CSMs", "added"),
            };
            // Where a name looks like one the book had, that one is named beside it; else ask.
            let ask = match self.new_csms_like.iter().any(Option::is_some) {
                true if self.what == "accounts" => {
                    "not in the book before; a file of the accounts' external ids and their CSM as it should be \
                     (or this one corrected), imported, moves them"
                }
                true => "not in the book before",
                false if self.new_csms.len() == 1 => "not in the book before: is it a misspelling?",
                false => "not in the book before: is one a misspelling?",
            };
            write!(f, "; new {csms} {added}: {} ({ask})", names.join(", "))?;
        }
        if self.currencies.len() > 1 {
            let mut counts = self.currencies.clone();
            counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let listed: Vec<String> =
                counts.iter().map(|(code, count)| format!("{} in {}", n(*count), crate::text::clean(code))).collect();
            write!(
                f,
                "; ARR in {} currencies ({}): sums of ARR add the amounts unconverted",
                counts.len(),
                listed.join(", ")
            )?;
            // Plain amounts beside "€48.000,00" were dollars without a word (a lead's HubSpot
            // export).
            if self.currency_assumed > 0 {
                write!(
                    f,
                    " ({} no currency, taken as USD: a Currency column, or the currency written with the amount or \
                     in its header, says otherwise)",
                    counted(self.currency_assumed, "new account's ARR names", "new accounts' ARRs name")
                )?;
            }
        }
        if !self.not_metrics.is_empty() {
            let quoted: Vec<String> =
                self.not_metrics.iter().map(|h| format!("\"{}\"", crate::text::clean(h))).collect();
            let (columns, hold) = if quoted.len() == 1 { ("column", "holds") } else { ("columns", "hold") };
            write!(f, "; {columns} {} {hold} no number: not read as metrics", quoted.join(", "))?;
        }
        if let Some((mark, example)) = &self.numbers_read_as {
            let text = crate::text::clean(&example.text);
            let at = format!("\"{text}\" (line {}, column \"{}\")", example.line, crate::text::clean(&example.column));
            let point = values::parse_percent_as(&example.text, values::DecimalMark::Point).unwrap_or_default();
            match mark {
                values::DecimalMark::Comma => write!(
                    f,
                    "; read {at} as {}, a point grouping thousands in a file that \";\" separates (if it means {point}, write {})",
                    text.replace('.', ""),
                    point.to_string().replace('.', ",")
                )?,
                values::DecimalMark::Point => write!(
                    f,
                    "; read {at} as {point} (if it means {}, write it without the point)",
                    text.replace('.', "")
                )?,
            }
        }
        if !self.metrics_read_as.is_empty() {
            let pairs: Vec<String> = self
                .metrics_read_as
                .iter()
                .map(|(given, read)| format!("\"{}\" as {}", crate::text::clean(given), crate::text::clean(read)))
                .collect();
            write!(f, "; read the metric {} (the name a health factor reads)", pairs.join(", "))?;
        }
        if let Some((unread, read)) = &self.unread_metrics {
            let quoted = |names: &[String]| {
                names.iter().map(|n| format!("\"{}\"", crate::text::clean(n))).collect::<Vec<_>>().join(", ")
            };
            let (metric, feeds) = if unread.len() == 1 { ("metric", "feeds") } else { ("metrics", "feed") };
            let reads = match read.is_empty() {
                true => "the health factors read no metric".to_string(),
                false => format!("the health factors read {}", quoted(read)),
            };
            write!(
                f,
                "; {metric} {} {feeds} no health factor yet ({reads}: rename the metric in the file, or add a factor with source = \"metric:NAME\" to the config: `tend config init` writes one with every factor written out)",
                quoted(unread)
            )?;
        }
        if let Some((metrics, labels, weight, total)) = &self.metrics_not_given {
            let quoted: Vec<String> = metrics.iter().map(|m| format!("\"{}\"", crate::text::clean(m))).collect();
            let (metric, it) = if metrics.len() == 1 { ("metric", "it") } else { ("metrics", "them") };
            write!(
                f,
                "; the file has no {metric} {}: {} (weight {} of {}) {} no value until a file gives {it} (a \
                 column or metric of that name; or give {} weight 0 in the config)",
                quoted.join(", "),
                labels.join(", "),
                crate::domain::suggest::number(*weight),
                crate::domain::suggest::number(*total),
                if labels.len() == 1 { "has" } else { "have" },
                if labels.len() == 1 { "it" } else { "them" },
            )?;
        }
        if let Some((metrics, labels, days)) = &self.jumpstart_unfed {
            let quoted: Vec<String> = metrics.iter().map(|m| format!("\"{}\"", crate::text::clean(m))).collect();
            write!(
                f,
                "; the new customers' score (their first {days} days) reads {} ({}), which the file has none of: \
                 without {} accounts that young stay \"not enough data\", and the other factors score them from day \
                 {days} (a file with {} gives it; or health.jumpstart_days = 1 in the config scores new customers as the others)",
                quoted.join(", "),
                labels.join(", "),
                if metrics.len() == 1 { "it" } else { "them" },
                if metrics.len() == 1 {
                    "a column or metric of that name"
                } else {
                    "columns or metrics of those names"
                },
            )?;
        }
        if let Some((missing, total, first)) = &self.without_samples {
            write!(
                f,
                "; {} of the book's {} accounts {} no sample in the file ({}{first}): no usage factor has a value \
                 for {}",
                n(*missing),
                n(*total),
                if *missing == 1 { "has" } else { "have" },
                match *missing <= WITHOUT_SAMPLES_NAMED {
                    true => String::new(),
                    false => format!("the first {WITHOUT_SAMPLES_NAMED}: "),
                },
                if *missing == 1 { "it" } else { "them" },
            )?;
        }
        if let Some(thin) = &self.thin_day {
            let (is, read) = if self.dry_run { ("would be", "would read") } else { ("is now", "read") };
            let accounts = self.accounts_by_newest_day.count(thin.day);
            write!(
                f,
                "; {day} {is} the newest day of the book's usage data, though the file gives only {} {} a \
                 sample on it, against {} on {before} ({} samples against {}): the book's other accounts {read} as \
                 unused since {before} ({} days). If the file is only part of that {period}'s data, import the \
                 rest of it",
                n(accounts as usize),
                if accounts == 1 { "account" } else { "accounts" },
                n(self.thin_before_accounts as usize),
                n(thin.samples as usize),
                n(thin.before_samples as usize),
                (thin.day - thin.before).num_days(),
                day = thin.day,
                before = thin.before,
                period = if (thin.day - thin.before).num_days() > 20 { "month" } else { "week" },
            )?;
        }
        if let Some((fed, needed, jumpstart_days, logged_fills)) = self.evidence_short {
            let then = match logged_fills {
                true => format!(
                    "past their first {jumpstart_days} days, the accounts with entries logged that the score reads (a \
                     sentiment, a touch, an NPS answer) score, the others read \"not enough data\" until some are"
                ),
                false => format!(
                    "accounts past their first {jumpstart_days} days score once sentiments or touches are logged for \
                     them too (until then \"not enough data\")"
                ),
            };
            write!(
                f,
                "; the file's metrics feed {:.0}% of the health weight and a score needs {:.0}% \
                 (health.min_coverage): {then}",
                fed * 100.0,
                needed * 100.0
            )?;
        }
        if self.dry_run {
            write!(f, "; nothing was written")?;
        }
        Ok(())
    }
}

/// Count `n` more of the key `same` finds in `counts`, or a new key (`new`) counted so: counts kept
/// in the order first met, as the summaries name them.
pub(crate) fn tally<K>(counts: &mut Vec<(K, usize)>, n: usize, same: impl Fn(&K) -> bool, new: impl FnOnce() -> K) {
    match counts.iter_mut().find(|(k, _)| same(k)) {
        Some((_, count)) => *count += n,
        None => counts.push((new(), n)),
    }
}

/// How many of the accounts a metrics file has no sample for its summary names.
const WITHOUT_SAMPLES_NAMED: usize = 3;

/// Columns by their headers, the first six quoted and the rest counted: "\"A\", \"B\" and 3
/// more"; nothing for none.
fn quoted_list(headers: &[String]) -> String {
    let shown: Vec<String> = headers.iter().take(6).map(|h| format!("\"{}\"", crate::text::clean(h))).collect();
    crate::text::listed(&shown, headers.len())
}

/// "the first: " before the first of several a summary names; nothing before the only one.
fn the_first(count: usize) -> &'static str {
    if count == 1 { "" } else { "the first: " }
}

/// The weighed factors that read a source `reads` picks (as their own source, or the other one
/// of their transform): their labels, their weight, and the weight of all the factors. None when
/// no weighed factor reads one.
pub(crate) fn factors_reading(
    config: &crate::config::Config,
    reads: impl Fn(&crate::domain::catalog::Source) -> bool,
) -> Option<(Vec<String>, f64, f64)> {
    let health = &config.health;
    let total: f64 = health.factors.values().map(|r| r.weight).sum();
    let needing: Vec<(String, f64)> =
        weighed_reading(config, reads).map(|(id, rule)| (health.catalog.label(*id).to_string(), rule.weight)).collect();
    (!needing.is_empty()).then(|| {
        let weight = needing.iter().map(|(_, w)| w).sum();
        (needing.into_iter().map(|(label, _)| label).collect(), weight, total)
    })
}

/// The weighed factors that read a source `reads` picks, as their own source or the other one
/// of their transform.
pub(crate) fn weighed_reading<'c>(
    config: &'c crate::config::Config,
    reads: impl Fn(&crate::domain::catalog::Source) -> bool + 'c,
) -> impl Iterator<Item = (&'c crate::domain::FactorId, &'c crate::domain::factor::FactorRule)> + 'c {
    weighed_reading_in(config, &config.health.factors, reads)
}

/// `weighed_reading` among the factors of `model` (the jumpstart's, a profile's).
fn weighed_reading_in<'c>(
    config: &'c crate::config::Config,
    model: &'c crate::domain::scoring::ScoreModel,
    reads: impl Fn(&crate::domain::catalog::Source) -> bool + 'c,
) -> impl Iterator<Item = (&'c crate::domain::FactorId, &'c crate::domain::factor::FactorRule)> + 'c {
    let catalog = &config.health.catalog;
    model.iter().filter(move |(id, rule)| {
        let def = catalog.def(**id);
        rule.weight > 0.0 && (reads(&def.source) || def.transform.other_source().is_some_and(&reads))
    })
}

/// Keep the first SHOWN_PROBLEMS problems for the error, count them all.
pub(crate) fn rows_error(source: &str, problems: &[Problem]) -> ImportError {
    let mut shown = KeptProblems::default();
    for p in problems {
        shown.keep(p);
    }
    let rows = problems.iter().map(|p| p.line).collect::<std::collections::HashSet<_>>().len();
    ImportError::Rows {
        file: source.to_string(),
        problems: shown.list,
        total: problems.len(),
        rows,
        hint: String::new(),
    }
}

/// The rows problems are in: "its rows", or how many where a row has several (275 problems
/// beside "273 rows rejected" read as a miscount).
fn rows_text(problems: usize, rows: usize) -> String {
    match rows {
        _ if rows == problems => "its rows".to_string(),
        1 => "1 row".to_string(),
        n => format!("{} rows", crate::domain::account::thousands(n as u64)),
    }
}

/// Problems kept for the error beyond the first SHOWN_PROBLEMS: those that repeat one of them
/// (an unknown account on every row of its samples), up to this many in all, so the error says
/// on which other lines rather than "... and 12 more" of the same.
const KEPT_REPEATS: usize = 1_000;

/// The problems an error names: the first SHOWN_PROBLEMS different ones, each with the lines
/// that repeat it. Counted by kind, not by row: a CRM export's 259 "Note" rows filled the first
/// twenty places, and its unknown companies and bad dates were left in "... and 16 more".
#[derive(Default)]
pub(crate) struct KeptProblems {
    /// In the file's order.
    pub list: Vec<Problem>,
    /// Where in `list` each different problem first is.
    firsts: Vec<usize>,
}

/// Different problems of one column kept at most: twenty unknown companies left no room for the
/// negative value in another column (a re-check's file).
const KINDS_A_COLUMN: usize = 8;

impl KeptProblems {
    /// Keep `p` if it is a new kind while there is room for one (in all, and in its column), or
    /// repeats one kept.
    pub(crate) fn keep(&mut self, p: &Problem) {
        if self.list.len() >= KEPT_REPEATS {
            return;
        }
        let repeats = self.firsts.iter().any(|&i| self.list[i].same_as(p));
        if !repeats {
            let in_column = self.firsts.iter().filter(|&&i| self.list[i].column == p.column).count();
            if self.firsts.len() >= SHOWN_PROBLEMS || in_column >= KINDS_A_COLUMN {
                return;
            }
            self.firsts.push(self.list.len());
        }
        self.list.push(p.clone());
    }
}

/// After the checking pass: refuse the file if any row was bad (unless told to skip bad rows),
/// else start the report.
pub(crate) fn checked(
    what: &'static str,
    source: &str,
    problems: &[Problem],
    rejected: usize,
    opts: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    if !problems.is_empty() && !opts.skip_bad_rows {
        return Err(rows_error(source, problems));
    }
    Ok(ImportReport {
        what,
        source: source.to_string(),
        dry_run: opts.dry_run,
        rejected,
        first_problems: problems.iter().take(DRY_RUN_PROBLEMS).cloned().collect(),
        ..Default::default()
    })
}

/// After the write: put the rejected rows, with their reasons, where the user can fix them. The
/// import has landed by now: a rejects file that cannot be written is said in the report, not
/// reported as a failed import.
pub(crate) fn save_rejects(
    report: &mut ImportReport,
    source: &Source,
    table: &table::Table,
    rejected: &[(Vec<String>, String)],
    opts: &ImportOptions,
) {
    if rejected.is_empty() {
        return;
    }
    let target = rejects_target(source, report.what, opts);
    match write_rejects(&target, table, rejected) {
        Ok(()) => report.rejects_file = Some(target.shown),
        Err(e) => report.rejects_failed = Some(e.to_string()),
    }
}

/// Where rejected rows go: `--rejects`, else a free name beside the input.
pub(crate) fn rejects_target(source: &Source, what: &str, opts: &ImportOptions) -> crate::output::Target {
    opts.rejects.clone().unwrap_or_else(|| {
        crate::output::Target::free(&default_rejects(source, &what.replace(' ', "-")), opts.output_mode)
    })
}

/// A row of another width than the header (`Table::misshapen`), noted as a bad row with its
/// problem and rejected whole, by an importer that gathers its rows' problems before writing:
/// whether it was one (nothing more is read of it).
pub(crate) fn rejected_misshapen(
    table: &table::Table,
    line: u64,
    row: &csv::StringRecord,
    problems: &mut Vec<Problem>,
    rejected: &mut Vec<(Vec<String>, String)>,
) -> bool {
    let Some(shape) = table.misshapen(line, row) else { return false };
    rejected.push(reject(row, std::slice::from_ref(&shape)));
    problems.push(shape);
    true
}

/// A rejected row as the rejects file holds it: its fields, and its problems in one reason.
pub(crate) fn reject(row: &csv::StringRecord, problems: &[Problem]) -> (Vec<String>, String) {
    // Columns refused for the same reason are named together ("usage, logins: a second value
    // for this account and day (first on line 608)"), not the reason once per column; the row's
    // own line comes last, to find it in the file.
    let mut grouped: Vec<(Vec<&str>, &str)> = Vec::new();
    for p in problems {
        match grouped.iter_mut().find(|(_, reason)| *reason == p.reason) {
            Some((columns, _)) => columns.push(&p.column),
            None => grouped.push((vec![&p.column], &p.reason)),
        }
    }
    let mut reason = grouped
        .iter()
        .map(|(columns, reason)| match columns.join(", ") {
            named if named.is_empty() => reason.to_string(),
            named => format!("{named}: {reason}"),
        })
        .collect::<Vec<_>>()
        .join("; ");
    if let Some(line) = problems.first().map(|p| p.line) {
        reason.push_str(&format!(" (line {line})"));
    }
    // A CR left by a CR LF line end is no part of the value.
    (row.iter().map(|f| f.strip_suffix('\r').unwrap_or(f).to_string()).collect(), reason)
}

/// Write rejected rows, with a reason column, as CSV: whole or not at all.
pub(crate) fn write_rejects(
    target: &crate::output::Target,
    table: &table::Table,
    rows: &[(Vec<String>, String)],
) -> Result<(), ImportError> {
    let mut file = stream::RejectsFile::create(target.clone(), table)?;
    for (row, reason) in rows {
        file.write(row, reason)?;
    }
    file.keep(&mut ImportReport::default())
}

/// Where rejects go by default: `accounts.csv` -> `accounts.rejects.csv`.
pub(crate) fn default_rejects(source: &Source, what: &str) -> PathBuf {
    match source {
        Source::File(p) => p.with_extension("rejects.csv"),
        Source::Stdin => PathBuf::from(format!("{what}.rejects.csv")),
    }
}

/// A progress bar on stderr for big files, nothing otherwise.
pub(crate) fn progress(show: bool, len: usize, message: &'static str) -> indicatif::ProgressBar {
    if !show || len < 50_000 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} {wide_bar} {human_pos}/{human_len} rows ({eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message(message);
    bar
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_summarys_notes_go_on_lines_of_their_own_but_not_their_own_parts() {
        let summary = "a.csv: imported 2 accounts: 2 new; changed the ARR of 1 account (Acme $1 -> $2; on its \
                       timeline); the first \"x; y\" cell; planned 3 milestones";
        assert_eq!(
            notes_on_lines(summary),
            "a.csv: imported 2 accounts: 2 new\n  - changed the ARR of 1 account (Acme $1 -> $2; on its timeline)\n  \
             - the first \"x; y\" cell\n  - planned 3 milestones"
        );
    }

    use super::*;

    /// "planned 3640 journey milestones, all still ahead, 4 rejected" read as 4 milestones
    /// rejected: the rows refused come with the rows' counts, the milestones after.
    #[test]
    fn the_summary_says_rejected_rows_beside_the_rows() {
        let report = ImportReport {
            what: "accounts",
            source: "accounts.csv".into(),
            new: 2_996,
            rejected: 4,
            rejects_file: Some(PathBuf::from("accounts.rejects.csv")),
            milestones: 3_640,
            future_since: Some(FutureSince {
                count: 3,
                first_line: 22,
                first: chrono::NaiveDate::from_ymd_opt(2031, 5, 4).unwrap(),
                today: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            }),
            ..Default::default()
        };
        assert_eq!(
            report.to_string(),
            "accounts.csv: imported 2,996 accounts: 2,996 new, 0 updated, 0 unchanged, 4 rows rejected (written to \
             accounts.rejects.csv); planned 3,640 journey milestones, all still ahead; 3 accounts have a \
             customer-since after 2026-12-01, kept as written (the first on line 22: 2031-05-04)"
        );
        let lacking = ImportReport { new: 10, new_without_arr: 1, new_without_csm: 3, ..Default::default() };
        assert!(
            lacking.to_string().ends_with(
                "; of the new accounts, 1 has no ARR (blank, 0, or a word for none: N/A, TBD; Unsegmented until a file gives one), 3 have no CSM"
            ),
            "{lacking}"
        );
        let blanks = ImportReport { new: 10, new_without_since: 1, new_without_renewal: 2, ..Default::default() };
        assert!(
            blanks.to_string().ends_with(
                "; of the new accounts, 1 has no customer-since day (no jumpstart score, cohort or onboarding journey \
                 until a file gives one), 2 have no renewal date (in no renewal list or forecast until a file gives one)"
            ),
            "{blanks}"
        );
        let none_given = ImportReport { new: 10, new_without_arr: 10, ..Default::default() };
        assert!(!none_given.to_string().contains("ARR"), "a file without the column: {none_given}");
        // Accounts in several currencies: said, the most common first, as sums add them unconverted.
        let mut mixed = ImportReport { new: 4, ..Default::default() };
        for code in ["EUR", "USD", "USD", "USD"] {
            mixed.count_currency(code);
        }
        assert!(
            mixed
                .to_string()
                .ends_with("; ARR in 2 currencies (3 in USD, 1 in EUR): sums of ARR add the amounts unconverted"),
            "{mixed}"
        );
        let mut one = ImportReport { new: 2, ..Default::default() };
        one.count_currency("EUR");
        one.count_currency("EUR");
        assert!(!one.to_string().contains("currencies"), "{one}");
        let problem = |line: u64, reason: &str| Problem {
            line,
            column: "ARR".into(),
            value: "-500".into(),
            reason: reason.into(),
        };
        let dry = ImportReport {
            what: "accounts",
            source: "a.csv".into(),
            new: 5,
            rejected: 4,
            dry_run: true,
            first_problems: vec![
                problem(34, "a negative amount"),
                problem(57, "not a number"),
                // A row of the wrong shape names no column.
                Problem {
                    column: String::new(),
                    value: String::new(),
                    ..problem(60, "has 10 fields where the header has 8")
                },
            ],
            ..Default::default()
        };
        assert_eq!(
            dry.to_string(),
            "a.csv: would import 5 accounts: 5 new, 0 updated, 0 unchanged, 4 rows rejected (line 34, column \"ARR\": \
             a negative amount; line 57, column \"ARR\": not a number; line 60: has 10 fields where the header has 8; …); \
             nothing was written"
        );
        let spelled = |best: &str, other: &str| (best.to_string(), vec![other.to_string()]);
        let two = ImportReport { respelled: vec![spelled("Gus Lind", "GUS LIND"), spelled("Ana", "ana")], ..report };
        assert!(
            two.to_string().ends_with(
                "; 2 CSMs written in more than one case, each kept as a name is written (the most used such spelling; such as \"Gus Lind\", \
                 also written \"GUS LIND\")"
            ),
            "{two}"
        );
    }
}
