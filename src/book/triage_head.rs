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
use super::names::NameHashes;
use super::triage::{TriageBook, TriageItem, TriageList, need_order};
use crate::config::Config;
use crate::domain::triage::MarkState;
use crate::store::triage::StoredHead;
use crate::store::{Result, Store, StoreError};

/// The first items of today's list, as the Triage view and `tend report triage` show them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
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

/// The page cache of each connection `work_out` reads a half of the book on.
const STREAM_CACHE_KIB: u32 = 4 * 1024;

/// The oldest list a day nothing prepared shows while today's is worked out, in days before
/// today: a week covers a weekend and a few days off.
pub const EARLIER_LIST_DAYS: i64 = 7;

/// The heads `work_out` gives.
pub struct WorkedOut {
    pub everyone: TriageHead,
    /// The list of the CSM asked for, when they own an account in the book.
    pub named: Option<TriageHead>,
}

/// Work out the head of the day's list (everyone's, and `csm`'s when asked: the name compares
/// without case, and is spelled as the book spells it for its first account) without keeping the
/// whole list: each account's row is read, given its reasons and dropped unless it is among the
/// best so far. The same head as `TriageHead::of` over the whole list, in a fraction of its memory
/// (a million-account book's rows are most of a gigabyte) and time (nothing is sorted but the
/// head); the accounts are read in two halves at once on a file book. The caches must be current
/// (`book::prepare`). Needs a daily limit: a list shown in full has no head.
pub fn work_out(store: &Store, config: &Config, day: NaiveDate, csm: Option<&str>) -> Result<WorkedOut> {
    let (everyone, mut named) = work_out_lists(store, config, day, csm.as_slice())?;
    Ok(WorkedOut { everyone, named: named.pop().flatten() })
}

/// `work_out`, with the next working day's list for the book `me` opens on worked out in the same
/// read of the book and kept (as `keep_ahead_for` keeps it): a new day's first pass works both days'
/// values and history out, and its report then reads the book once for the two lists, not twice.
/// `generation`: the book's write count read before the caches were made current.
pub fn work_out_keeping_ahead(
    store: &mut Store,
    config: &Config,
    today: NaiveDate,
    csm: Option<&str>,
    generation: i64,
) -> Result<WorkedOut> {
    let me = config.me();
    let asked: Vec<&str> = csm.into_iter().chain(me).collect();
    let ahead = super::history::worked_ahead_to(today);
    let mut days = work_out_lists_on(store, config, &[today, ahead], &asked)?.into_iter();
    let (everyone, mut named) = days.next().unwrap_or_default();
    let (everyone_ahead, named_ahead) = days.next().unwrap_or_default();
    // The next day's lists from `me`'s on (asked after `csm`).
    let from_me = named_ahead.into_iter().skip(usize::from(csm.is_some()));
    keep_ahead_lists(store, config, (ahead, generation), &[], everyone_ahead, from_me)?;
    named.truncate(usize::from(csm.is_some()));
    Ok(WorkedOut { everyone, named: named.pop().flatten() })
}

/// `work_out` for the lists of several CSMs at once, in one read of the book: everyone's head,
/// and each CSM's (None for a CSM who owns no account in it), in the order asked.
pub fn work_out_lists(
    store: &Store,
    config: &Config,
    day: NaiveDate,
    csms: &[&str],
) -> Result<(TriageHead, Vec<Option<TriageHead>>)> {
    let mut lists = work_out_lists_on(store, config, &[day], csms)?;
    Ok(lists.pop().unwrap_or_default())
}

/// `work_out_lists` on each of `days` (today's and the next working day's, whose values and
/// history a new day's pass worked out together), from one read of the book.
pub fn work_out_lists_on(
    store: &Store,
    config: &Config,
    days: &[NaiveDate],
    csms: &[&str],
) -> Result<Vec<(TriageHead, Vec<Option<TriageHead>>)>> {
    let overrides = days.iter().map(|day| store.overrides_on(*day)).collect::<Result<Vec<_>>>()?;
    // The book's counts, read once a day (they read the whole book whatever the half); each half
    // adds its accounts' history. They spell the heads' reasons out too.
    let counted = days.iter().map(|day| TriageBook::without_history(store, *day)).collect::<Result<Vec<_>>>()?;
    let on: Vec<(NaiveDate, &std::collections::HashMap<i64, _>)> = days.iter().copied().zip(&overrides).collect();
    // Each half reads its own accounts' history: the anchor days are read in halves at once too.
    // With every account's name counted: the head's accounts whose name others share are told
    // apart (`names`).
    let gather = |store: &Store, ids: std::ops::RangeInclusive<i64>| -> Result<(Vec<Vec<Gathered>>, NameHashes)> {
        let triages = counted
            .iter()
            .map(|book| book.clone().with_history_between(store, config, ids.clone()))
            .collect::<Result<Vec<_>>>()?;
        // By day, then everyone's first, then each CSM's.
        let mut out: Vec<Vec<Gathered>> =
            days.iter().map(|_| (0..=csms.len()).map(|_| Gathered::default()).collect()).collect();
        let mut names = NameHashes::default();
        let limit = config.triage.daily_limit;
        super::each_row_on(store, config, &on, ids, |k, mut row| {
            if k == 0 {
                names.add(&row.name);
            }
            triages[k].annotate_row(config, &mut row);
            let item = triages[k].item(config, &row, 0);
            let lists = &mut out[k];
            for (i, csm) in csms.iter().enumerate() {
                if row.csm.eq_ignore_ascii_case(csm) {
                    lists[i + 1].add(item.clone(), &row, limit);
                }
            }
            lists[0].add(item, &row, limit);
        })?;
        Ok((out, names))
    };
    let halfway = store.max_account_id()? / 2;
    // Each half on a connection of its own with a small page cache: the pages are read once, and
    // a large cache would only be memory the system clears for them (most of the time on a
    // million-account book).
    let streaming = || -> Result<Option<Store>> {
        let Some(mut reader) = store.reader()? else { return Ok(None) };
        reader.limit_cache(STREAM_CACHE_KIB)?;
        Ok(Some(reader))
    };
    let gathered = match (streaming()?, streaming()?) {
        (Some(first), Some(second)) => std::thread::scope(|scope| {
            let upper = scope.spawn(move || gather(&second, halfway + 1..=i64::MAX));
            let lower = gather(&first, i64::MIN..=halfway);
            let upper = upper.join().unwrap_or_else(|_| panic!("the reader of the upper half panicked"));
            let ((lower, mut names), (upper, upper_names)) = (lower?, upper?);
            names.merge(upper_names);
            let days = lower
                .into_iter()
                .zip(upper)
                .map(|(a, b)| a.into_iter().zip(b).map(|(a, b)| a.merge(b)).collect::<Vec<_>>())
                .collect::<Vec<_>>();
            Ok::<_, crate::store::StoreError>((days, names))
        })?,
        _ => gather(store, i64::MIN..=i64::MAX)?,
    };
    let (gathered, names) = gathered;
    let shared = names.shared();
    let mut out = Vec::with_capacity(days.len());
    for (triage, lists) in counted.iter().zip(gathered) {
        // Spelling the head's reasons out reads no history: the book's counts and tasks are enough.
        let mut lists = lists.into_iter();
        let mut everyone = lists.next().unwrap_or_default().head(store, config, triage, None)?;
        super::names::tell_apart(store, &shared, &mut everyone.rows)?;
        let named = lists
            .map(|named| match named.accounts {
                0 => Ok(None),
                _ => {
                    let spelled = named.first_csm();
                    let mut head = named.head(store, config, triage, spelled)?;
                    super::names::tell_apart(store, &shared, &mut head.rows)?;
                    Ok(Some(head))
                }
            })
            .collect::<Result<Vec<_>>>()?;
        out.push((everyone, named));
    }
    Ok(out)
}

/// One list's head gathered from rows as they are read: the best open items so far with their
/// rows, and the counts.
#[derive(Default)]
struct Gathered {
    best: Vec<(TriageItem, PortfolioRow)>,
    /// Whether `best` held the limit, in order, at the last trim: its item at `limit - 1` is the
    /// one to beat.
    full: bool,
    open: usize,
    handled: usize,
    snoozed: usize,
    accounts: usize,
    /// The first account's CSM (the lowest id), as the book spells the name.
    first: Option<(i64, std::sync::Arc<str>)>,
}

impl Gathered {
    fn add(&mut self, item: Option<(TriageItem, bool)>, row: &PortfolioRow, limit: usize) {
        self.accounts += 1;
        if self.first.as_ref().is_none_or(|(id, _)| row.id < *id) {
            self.first = Some((row.id, row.csm.clone()));
        }
        match item {
            None => {}
            Some((item, true)) => match item.mark.as_ref().map(|m| m.state) {
                Some(MarkState::Handled) => self.handled += 1,
                Some(MarkState::Snoozed) => self.snoozed += 1,
                None => {}
            },
            Some((item, false)) => {
                self.open += 1;
                // Most items are not among the best: their rows are never copied.
                // The one to beat is the last of the best at the last trim (later items come after
                // it, and can only raise the bar).
                let beaten = |(i, r): &(TriageItem, PortfolioRow)| need_order((&item, row), (i, r)).is_ge();
                if limit == 0 || self.full && self.best.get(limit - 1).is_some_and(beaten) {
                    return;
                }
                self.best.push((item, row.clone()));
                if self.best.len() >= 2 * limit.max(8) {
                    self.trim(limit);
                }
            }
        }
    }

    /// Keep the best `limit`, in order.
    fn trim(&mut self, limit: usize) {
        let order =
            |a: &(TriageItem, PortfolioRow), b: &(TriageItem, PortfolioRow)| need_order((&a.0, &a.1), (&b.0, &b.1));
        if self.best.len() > limit && limit > 0 {
            self.best.select_nth_unstable_by(limit - 1, order);
            self.best.truncate(limit);
        }
        self.best.sort_unstable_by(order);
        self.full = limit > 0 && self.best.len() == limit;
    }

    fn merge(mut self, other: Gathered) -> Gathered {
        self.best.extend(other.best);
        self.full = false;
        self.open += other.open;
        self.handled += other.handled;
        self.snoozed += other.snoozed;
        self.accounts += other.accounts;
        if let Some((id, csm)) = other.first
            && self.first.as_ref().is_none_or(|(mine, _)| id < *mine)
        {
            self.first = Some((id, csm));
        }
        self
    }

    fn first_csm(&self) -> Option<String> {
        self.first.as_ref().map(|(_, csm)| csm.to_string())
    }

    /// The head: the best items in order, each reason spelled out.
    fn head(mut self, store: &Store, config: &Config, triage: &TriageBook, csm: Option<String>) -> Result<TriageHead> {
        let limit = config.triage.daily_limit;
        self.trim(limit);
        let mut head = TriageHead {
            csm,
            items: Vec::new(),
            rows: Vec::new(),
            details: Vec::new(),
            open: self.open,
            handled: self.handled,
            snoozed: self.snoozed,
            accounts: self.accounts,
        };
        for (item, row) in self.best.into_iter().take(limit) {
            head.details.push(triage.explain(store, config, &item)?);
            head.items.push(TriageItem { row: head.rows.len(), ..item });
            head.rows.push(row);
        }
        Ok(head)
    }
}

fn count(list: &TriageList, state: MarkState) -> usize {
    list.hidden.iter().filter(|i| i.mark.as_ref().is_some_and(|m| m.state == state)).count()
}

/// Where a list is kept: everyone's, or one CSM's (names compare without case).
fn scope(csm: Option<&str>) -> String {
    csm.map_or_else(String::new, |c| format!("csm:{}", c.to_lowercase()))
}

/// How a list's items and reasons are worked out from the values and the history, by tend
/// itself: raised when that changes while the values' derivation does not (as on 2026-12-05, when
/// a change across the end of the jumpstart score became the two scores' own difference), so that
/// a list kept by an earlier tend is worked out again rather than shown; 2 on 2026-12-06, when a
/// goal open past its target day and a score gone since a drop window back became reasons, and a
/// touch never logged came to be counted in words from the customer's start where that is later;
/// 3 on 2026-12-06, when a band's reason came to name the factors that put the account there;
/// 4 on 2026-12-07, when a factor on its fewest points came to be said so ("at 1 point of 4");
/// 5 the same day, when a renewal on a Green of thin data became a reason; 6 later the same day,
/// when the factors at their fewest points of an account without a score came to be said with
/// their values ("no score, and CSM sentiment 3/10 at 1 point of 4"); 7 the same day, when a
/// renewal within a week or gone by came to be an item's first reason; 8 on 2026-12-07 (the
/// twenty-second session), when a renewal's last week came to be a reason of its own, which a
/// mark made before it does not hide; 9 (the twenty-fourth session), when an account without a
/// score or usage data, where the book's feed is live, became a reason (`Reason::NoUsage`), and a
/// factor today's score leaves out stopped being named as a fall's first data; 10 (the
/// twenty-fifth), when a renewal that went by while the book had the account stayed a reason past
/// 90 days (`book::renewals::is_long_past`); 11 (the twenty-seventh), when a Yellow or Green on
/// thin data with factors at their worst came to be a reason (`Reason::ThinAtWorst`).
const LIST_RULES: u32 = 11;

/// Every setting, in a stable order (the rules, the bands, the limit and `me` all shape the list),
/// and the derivation of factor values and the list rules of the tend that worked the list out.
fn config_text(config: &Config) -> String {
    let settings = serde_json::to_value(config).map(|v| v.to_string()).unwrap_or_default();
    format!("{settings}#derivation {}#lists {LIST_RULES}", super::history::DERIVATION)
}

/// Where the next working day's head is kept, beside today's (see `refresh_ahead`).
fn ahead_scope(csm: Option<&str>) -> String {
    format!("{}@next", scope(csm))
}

/// The head stored for `csm`'s list (everyone's when None), if it was worked out for today (on
/// the day, or ahead the working day before), under this config, from the book as it is now,
/// and holds the whole morning's list; and the cached values and history the rest of the book
/// is read from are this config's too (`cached_for`).
pub fn load(store: &Store, config: &Config, today: NaiveDate, csm: Option<&str>) -> Result<Option<TriageHead>> {
    if !cached_for(store, config)? {
        return Ok(None);
    }
    let generation = store.generation()?;
    pick(config, today, csm, |_| generation, |key| store.triage_head(key))
}

/// Whether the book's cached values and history were worked out under `config`'s rules. A run
/// under another config (`--config` tried once) leaves its own in the book while a head kept
/// under this one still holds: opened on that head, a probe's screens read the rest of the book
/// from the other config's values (Triage said 136 accounts, the account itself Green 75 where
/// its row read Yellow 60). Such a head is not used: the book is made current first.
fn cached_for(store: &Store, config: &Config) -> Result<bool> {
    Ok(!super::history::caches_foreign(store, config)?)
}

/// The newest head stored for `csm`'s list of a day before `today`, with its day: worked out
/// under this config from the book as it is now (nothing written since), and holding the whole
/// morning's list. A day nothing prepared shows it, said to be that day's, while today's list is
/// worked out behind it (on a large book, seconds). Not one older than `EARLIER_LIST_DAYS`: after
/// a holiday the reasons of weeks ago would be read as this morning's.
pub fn load_earlier(
    store: &Store,
    config: &Config,
    today: NaiveDate,
    csm: Option<&str>,
) -> Result<Option<(NaiveDate, TriageHead)>> {
    if !cached_for(store, config)? {
        return Ok(None);
    }
    let generation = store.generation()?;
    let rules = config_text(config);
    let mut newest: Option<(NaiveDate, TriageHead)> = None;
    for key in keys(csm) {
        let Some(stored) = store.triage_head(&key)? else { continue };
        let too_old = (today - stored.day).num_days() > EARLIER_LIST_DAYS;
        if stored.day >= today || too_old || stored.config != rules || stored.generation != generation {
            continue;
        }
        if newest.as_ref().is_some_and(|(day, _)| *day >= stored.day) {
            continue;
        }
        if let Some(head) = serde_json::from_str::<TriageHead>(&stored.body).ok().filter(|h| h.is_whole(config)) {
            newest = Some((stored.day, head));
        }
    }
    Ok(newest)
}

/// The keys `csm`'s list's heads are kept under (everyone's when None): the day's, and the one
/// worked out ahead the working day before.
pub fn keys(csm: Option<&str>) -> [String; 2] {
    [scope(csm), ahead_scope(csm)]
}

/// `load`'s choice among the heads `stored` gives for each key, on a book whose write count for
/// the list of a CSM (everyone's when None) is `generation` of it: a book file counts every write
/// to every list, a team book by the accounts each write touched (`team::heads`).
pub fn pick<E>(
    config: &Config,
    today: NaiveDate,
    csm: Option<&str>,
    generation: impl Fn(Option<&str>) -> i64,
    mut stored: impl FnMut(&str) -> std::result::Result<Option<StoredHead>, E>,
) -> std::result::Result<Option<TriageHead>, E> {
    let rules = config_text(config);
    for key in keys(csm) {
        let Some(stored) = stored(&key)? else { continue };
        if stored.day != today || stored.config != rules {
            continue;
        }
        // A head this tend cannot read (written by another version) is worked out again.
        let Some(head) = serde_json::from_str::<TriageHead>(&stored.body).ok().filter(|h| h.is_whole(config)) else {
            continue;
        };
        if stored.generation == generation(head.csm.as_deref()) {
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

/// `head` as it is kept (in a book file, or a team book: `team::heads`): None for a head that
/// is not the whole morning's list.
pub fn stored(config: &Config, day: NaiveDate, generation: i64, head: &TriageHead) -> Option<StoredHead> {
    if !head.is_whole(config) {
        return None;
    }
    let body = serde_json::to_string(head).unwrap_or_default();
    Some(StoredHead { day, config: config_text(config), generation, body })
}

fn save_as(
    store: &mut Store,
    config: &Config,
    day: NaiveDate,
    generation: i64,
    key: &str,
    head: &TriageHead,
) -> Result<bool> {
    let Some(stored) = stored(config, day, generation, head) else { return Ok(false) };
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
    let head = head_of_me(store, config, today)?;
    save(store, config, today, generation, config.me(), &head)
}

/// The head of the list the book opens on: `me`'s (from the config) when they own an account in
/// it, else everyone's.
pub fn head_of_me(store: &Store, config: &Config, day: NaiveDate) -> Result<TriageHead> {
    let worked = work_out(store, config, day, config.me())?;
    Ok(worked.named.unwrap_or(worked.everyone))
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
    refresh_ahead_for(store, config, today, &[])
}

/// `refresh_ahead`, keeping beside it the next working day's list of each of `others` (CSMs, by
/// name) as their own tend opens on it (their `me`): a lead's tend left open on a team book readies
/// each member's morning, their accounts written to by the lead included.
pub fn refresh_ahead_for(store: &mut Store, config: &Config, today: NaiveDate, others: &[String]) -> Result<AheadDone> {
    // Read before the caches are worked out: a write meanwhile leaves the head stored below
    // invalid rather than stamped with a count it did not see.
    let generation = store.generation()?;
    let history = super::history::work_ahead(store, config, today)?;
    let day = super::history::worked_ahead_to(today);
    if store.stopped() {
        return Ok(AheadDone { history, day, list_kept: false });
    }
    let list_kept = keep_ahead_for(store, config, today, generation, others)?;
    Ok(AheadDone { history, day, list_kept })
}

/// Work out and keep the head of the next working day's list of the book `me` opens on, whose
/// factor values and history are worked out already (`history::work_ahead`), with the lists of
/// `others` beside (see `refresh_ahead_for`), all in one read of the book; whether `me`'s list
/// was kept. `generation`: the book's write count read before those were worked out.
fn keep_ahead_for(
    store: &mut Store,
    config: &Config,
    today: NaiveDate,
    generation: i64,
    others: &[String],
) -> Result<bool> {
    let day = super::history::worked_ahead_to(today);
    let me = config.me();
    let others: Vec<&str> =
        others.iter().map(String::as_str).filter(|o| !me.is_some_and(|me| me.eq_ignore_ascii_case(o))).collect();
    let asked: Vec<&str> = me.into_iter().chain(others.iter().copied()).collect();
    let (everyone, named) = work_out_lists(store, config, day, &asked)?;
    keep_ahead_lists(store, config, (day, generation), &others, everyone, named)
}

/// Keep the next working day's lists worked out for `day` from the book at `generation`: the
/// one the book `me` opens on (as `head_of_me`: `me`'s when they own an account, else
/// `everyone`'s), and each of `others`' beside it. `named`: `me`'s list first when there is a
/// `me`, then each of `others`' in order. Whether `me`'s was kept.
fn keep_ahead_lists(
    store: &mut Store,
    config: &Config,
    (day, generation): (NaiveDate, i64),
    others: &[&str],
    everyone: TriageHead,
    named: impl IntoIterator<Item = Option<TriageHead>>,
) -> Result<bool> {
    let me = config.me();
    let mut named = named.into_iter();
    let mine = match me {
        Some(_) => named.next().flatten().unwrap_or(everyone),
        None => everyone,
    };
    let kept = save_as(store, config, day, generation, &ahead_scope(me), &mine)?;
    for (csm, head) in others.iter().zip(named) {
        let Some(head) = head else { continue };
        save_as(store, &config.as_member(csm), day, generation, &ahead_scope(Some(csm)), &head)?;
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::AccountStatus;

    #[test]
    fn the_best_kept_as_rows_stream_by_are_the_best_of_all() {
        // Needs in a scrambled order, with ties (ordered by ARR, then name, then id).
        let items: Vec<(TriageItem, PortfolioRow)> = (0..1_000_i64)
            .map(|id| {
                let need = ((id * 7_919) % 613) as f64 / 10.0;
                let row = PortfolioRow::sample(id, "", None, ((id * 31) % 17) as f64, AccountStatus::Active);
                (TriageItem { id, row: 0, reasons: Vec::new(), need, mark: None, back: None }, row)
            })
            .collect();
        let mut sorted = items.clone();
        sorted.sort_by(|a, b| need_order((&a.0, &a.1), (&b.0, &b.1)));
        for limit in [1, 5, 15, 40] {
            let mut gathered = Gathered::default();
            for (item, row) in &items {
                gathered.add(Some((item.clone(), false)), row, limit);
            }
            gathered.trim(limit);
            let ids = |list: &[(TriageItem, PortfolioRow)]| list.iter().map(|(i, _)| i.id).collect::<Vec<_>>();
            assert_eq!(ids(&gathered.best), ids(&sorted[..limit]), "limit {limit}");
            assert_eq!((gathered.open, gathered.accounts), (1_000, 1_000));
        }
    }
}
