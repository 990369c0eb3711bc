//! The head of today's triage list (the morning's items, their rows and reasons, the counts),
//! kept in the book so that the next open shows it before the rest of the book is read: on a
//! large book, reading and scoring every account is most of the time to the first frame.
//!
//! A head is only ever shown for the day, the config and the book it was worked out from: the
//! book counts its write transactions (`Store::generation`), and a head stored at another count,
//! on another day or under other rules is not read. It is stored whenever the full list is worked
//! out (opening tend, `tend report triage`, `tend snapshot`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::PortfolioRow;
use super::triage::{TriageBook, TriageItem, TriageList};
use crate::config::Config;
use crate::domain::triage::MarkState;
use crate::store::triage::StoredHead;
use crate::store::{Result, Store, StoreError};

/// The first items of today's list, as the Triage view and `tend report triage` show them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TriageHead {
    /// Whose list: a CSM's (as the book spells the name), or everyone's.
    pub csm: Option<String>,
    /// The morning's items, most need first; each `row` indexes `rows`.
    pub items: Vec<TriageItem>,
    pub rows: Vec<PortfolioRow>,
    /// Each item's reasons spelled out, as `TriageBook::explain` gives them.
    pub details: Vec<Vec<String>>,
    /// Items needing the CSM today: all of them, not only the head's.
    pub open: usize,
    pub handled: usize,
    pub snoozed: usize,
    /// Accounts in the list's book (one CSM's, or everyone's).
    pub accounts: usize,
}

impl TriageHead {
    /// The head of `list` (built over `rows` for `csm`): its first `limit` open items.
    pub fn of(
        store: &Store,
        config: &Config,
        triage: &TriageBook,
        list: &TriageList,
        rows: &[PortfolioRow],
        csm: Option<&str>,
    ) -> Result<TriageHead> {
        let limit = config.triage.daily_limit;
        let mut head = TriageHead {
            csm: csm.map(str::to_owned),
            items: Vec::new(),
            rows: Vec::new(),
            details: Vec::new(),
            open: list.items.len(),
            handled: count(list, MarkState::Handled),
            snoozed: count(list, MarkState::Snoozed),
            accounts: rows.iter().filter(|r| csm.is_none_or(|c| *r.csm == *c)).count(),
        };
        for item in list.items.iter().take(limit) {
            let Some(row) = rows.get(item.row) else { continue };
            head.details.push(triage.explain(store, config, item)?);
            head.items.push(TriageItem { row: head.rows.len(), ..item.clone() });
            head.rows.push(row.clone());
        }
        Ok(head)
    }

    /// Whether the head holds the whole morning's list (a list shown in full has no head).
    fn is_whole(&self, config: &Config) -> bool {
        let limit = config.triage.daily_limit;
        limit > 0 && self.items.len() == self.open.min(limit)
    }
}

fn count(list: &TriageList, state: MarkState) -> usize {
    list.hidden.iter().filter(|i| i.mark.as_ref().is_some_and(|m| m.state == state)).count()
}

/// Where a list is kept: everyone's, or one CSM's (names compare without case).
fn scope(csm: Option<&str>) -> String {
    csm.map_or_else(String::new, |c| format!("csm:{}", c.to_lowercase()))
}

/// Every setting, in a stable order (the rules, the bands, the limit and `me` all shape the list).
fn config_text(config: &Config) -> String {
    serde_json::to_value(config).map(|v| v.to_string()).unwrap_or_default()
}

/// Where the next working day's head is kept, beside today's (see `refresh_ahead`).
fn ahead_scope(csm: Option<&str>) -> String {
    format!("{}@next", scope(csm))
}

/// The head stored for `csm`'s list (everyone's when None), if it was worked out for today (on
/// the day, or ahead the working day before), under this config, from the book as it is now,
/// and holds the whole morning's list.
pub fn load(store: &Store, config: &Config, today: NaiveDate, csm: Option<&str>) -> Result<Option<TriageHead>> {
    let (generation, rules) = (store.generation()?, config_text(config));
    for key in [scope(csm), ahead_scope(csm)] {
        let Some(stored) = store.triage_head(&key)? else { continue };
        if stored.day != today || stored.generation != generation || stored.config != rules {
            continue;
        }
        // A head this tend cannot read (written by another version) is worked out again.
        if let Some(head) = serde_json::from_str::<TriageHead>(&stored.body).ok().filter(|h| h.is_whole(config)) {
            return Ok(Some(head));
        }
    }
    Ok(None)
}

/// Keep `head` for `csm`'s list, worked out from the book at `generation` (read before the book
/// was). Never waits for or fails on the book: a head is a shortcut, and a book another program
/// is writing, a full disk or a read-only file just go without one.
pub fn save(
    store: &mut Store,
    config: &Config,
    today: NaiveDate,
    generation: i64,
    csm: Option<&str>,
    head: &TriageHead,
) -> Result<()> {
    save_as(store, config, today, generation, &scope(csm), head).map(|_| ())
}

fn save_as(
    store: &mut Store,
    config: &Config,
    day: NaiveDate,
    generation: i64,
    key: &str,
    head: &TriageHead,
) -> Result<bool> {
    if !head.is_whole(config) {
        return Ok(false);
    }
    let body = serde_json::to_string(head).unwrap_or_default();
    let stored = StoredHead { day, config: config_text(config), generation, body };
    match store.save_triage_head(key, &stored) {
        Ok(saved) => Ok(saved),
        Err(StoreError::Locked { .. } | StoreError::Full { .. } | StoreError::ReadOnly { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Work out today's list for the book `me` (from the config) opens on, and keep its head: what
/// `tend snapshot` does, so that the morning's first open shows Triage at once. The caches must
/// be current (`book::prepare`).
/// `generation` is the book's write count read before the caches were made current.
pub fn refresh(store: &mut Store, config: &Config, today: NaiveDate, generation: i64) -> Result<()> {
    let (rows, triage) = super::load_book(store, config, today)?;
    let book_of = super::book_of_me(config, &rows);
    let list = triage.list_for(config, &rows, book_of.as_deref());
    let head = TriageHead::of(store, config, &triage, &list, &rows, book_of.as_deref())?;
    save(store, config, today, generation, config.me(), &head)
}

/// What `refresh_ahead` did.
pub struct AheadDone {
    pub history: super::history::HistoryWork,
    /// The day worked out.
    pub day: NaiveDate,
    /// Whether the head of its list is kept for its first open (not when the book was written
    /// while it was worked out, or the work was stopped).
    pub list_kept: bool,
}

/// Work the next working day out ahead (`history::work_ahead`: its factor values and history)
/// and keep the head of its list, for the book `me` opens on: that day's first open shows
/// Triage at once, as long as nothing is written to the book before it (after a write the head
/// is not shown; the values and history worked out ahead still hold but for the accounts
/// written).
pub fn refresh_ahead(store: &mut Store, config: &Config, today: NaiveDate) -> Result<AheadDone> {
    // Read before the caches are worked out: a write meanwhile leaves the head stored below
    // invalid rather than stamped with a count it did not see.
    let generation = store.generation()?;
    let history = super::history::work_ahead(store, config, today)?;
    let day = super::history::worked_ahead_to(today);
    if store.stopped() {
        return Ok(AheadDone { history, day, list_kept: false });
    }
    let (rows, triage) = super::load_book(store, config, day)?;
    let book_of = super::book_of_me(config, &rows);
    let list = triage.list_for(config, &rows, book_of.as_deref());
    let head = TriageHead::of(store, config, &triage, &list, &rows, book_of.as_deref())?;
    let list_kept = save_as(store, config, day, generation, &ahead_scope(config.me()), &head)?;
    Ok(AheadDone { history, day, list_kept })
}
