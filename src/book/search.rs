//! One search over the book: accounts by name or external id, CSMs by name, and what people
//! wrote (log notes and titles, risks among them, goals, milestone notes), for the TUI's
//! `Ctrl-K` and `tend search`; tasks, the people on accounts (name, job title, email, role) and
//! accounts' own notes too.

use crate::store::log::Entity;
use crate::store::{Result, Store};

/// What a hit is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HitKind {
    Account,
    Csm,
    /// A log entry of this kind ("touch", "risk", ...).
    Entry(String),
    Goal,
    Milestone,
    Task,
    /// A contact on an account.
    Person,
    /// An account's notes (the accounts file's Notes column).
    AccountNotes,
}

impl HitKind {
    pub fn label(&self) -> &str {
        match self {
            HitKind::Account => "account",
            HitKind::Csm => "CSM",
            HitKind::Entry(kind) => kind,
            HitKind::Goal => "goal",
            HitKind::Milestone => "milestone",
            HitKind::Task => "task",
            HitKind::Person => "person",
            // Not "notes": a logged note's kind is "note", one letter away.
            HitKind::AccountNotes => "account notes",
        }
    }
}

/// One thing found.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub kind: HitKind,
    /// The account it belongs to (none for a CSM).
    pub account_id: Option<i64>,
    /// The account's name, or the CSM's.
    pub name: String,
    /// What matched beside the name: the external id, or the words written.
    pub text: String,
    /// The entry, goal, milestone, task or person to show in the account, if the hit is one.
    pub target: Option<(Entity, i64)>,
    /// The entry's day, the goal's creation, the milestone's or the task's due day.
    pub day: Option<chrono::NaiveDate>,
    /// The status of the account it belongs to (none for a CSM): a churned account is said to be
    /// one where it is found, not taken for a customer.
    pub status: Option<crate::domain::AccountStatus>,
}

/// The words of a query, as typed: the first `MAX_WORDS` of them (a probe's paste of 2,000 words
/// met SQLite's limit on an expression's depth, said as a raw database error; none is matched
/// by more than a few words).
pub fn words(query: &str) -> Vec<String> {
    query.split_whitespace().take(MAX_WORDS).map(str::to_owned).collect()
}

/// A search reads at most this many words of its query.
pub const MAX_WORDS: usize = 32;

/// What a search found: the hits shown, and how many match in all.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Found {
    pub hits: Vec<Hit>,
    pub total: usize,
    /// Accounts were counted only up to `store::search::MATCH_CAP`: `total` is at least that.
    pub capped: bool,
}

impl Found {
    /// How many match, as said to a person: "10,000+" past the count's cap.
    pub fn total_text(&self) -> String {
        let n = crate::domain::account::thousands(self.total as u64);
        if self.capped { format!("{n}+") } else { n }
    }
}

/// Everything matching every word of `query`, at most `limit` hits: names first (accounts, an
/// exact external id before names that start with the query; then CSMs), then what was written,
/// most relevant and newest first. Each side leaves the other at least half the room it can use.
pub fn search(store: &Store, query: &str, limit: usize) -> Result<Found> {
    let words = words(query);
    if words.is_empty() || limit == 0 {
        return Ok(Found::default());
    }
    let (accounts, account_count) = store.search_accounts(&words, limit)?;
    let csms = store.search_csms(&words, limit.min(5))?;
    // An account's own notes first among what was written: a line about the account itself.
    let (mut written, notes_count) = store.search_account_notes(&words, limit)?;
    written.extend(store.search_text(&words, limit)?);
    let capped = account_count >= crate::store::search::MATCH_CAP;
    let total = account_count + csms.len() + notes_count + store.count_text(&words)?;
    let names = accounts.len() + csms.len();
    let text_room = written.len().min(limit.div_ceil(2).max(limit.saturating_sub(names)));
    let name_room = limit - text_room;
    let mut hits: Vec<Hit> = accounts
        .into_iter()
        .map(|a| Hit {
            kind: HitKind::Account,
            account_id: Some(a.id),
            name: a.name,
            text: a.external_id,
            target: None,
            day: None,
            status: None,
        })
        .chain(csms.into_iter().map(|name| Hit {
            kind: HitKind::Csm,
            account_id: None,
            name,
            text: String::new(),
            target: None,
            day: None,
            status: None,
        }))
        .take(name_room)
        .collect();
    for m in written.into_iter().take(text_room) {
        let (kind, entity) = match m.kind.as_str() {
            "goal" => (HitKind::Goal, Some(Entity::Goal)),
            "milestone" => (HitKind::Milestone, Some(Entity::Milestone)),
            "task" => (HitKind::Task, Some(Entity::Task)),
            "person" => (HitKind::Person, Some(Entity::Contact)),
            // The account itself: its view's head shows the notes.
            "account notes" => (HitKind::AccountNotes, None),
            other => (HitKind::Entry(other.to_owned()), Some(Entity::Entry)),
        };
        hits.push(Hit {
            kind,
            account_id: Some(m.account_id),
            name: m.account,
            text: m.text,
            target: entity.map(|e| (e, m.id)),
            day: m.day,
            status: None,
        });
    }
    // A search shows a screenful at most: each account's status is one lookup.
    let mut statuses = std::collections::HashMap::new();
    for hit in &mut hits {
        if let Some(id) = hit.account_id {
            let status = match statuses.entry(id) {
                std::collections::hash_map::Entry::Occupied(known) => *known.get(),
                std::collections::hash_map::Entry::Vacant(new) => *new.insert(store.account(id)?.status),
            };
            hit.status = Some(status);
        }
    }
    Ok(Found { total: total.max(hits.len()), hits, capped })
}
