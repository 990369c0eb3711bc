//! The TUI on a team book: the views read a snapshot of it (`team::replica`) with the code that
//! reads a book file; writes go to the team book through the storage seam; the snapshot is
//! pulled again after each write, this window's or (heard on the team book's channel) another
//! member's.

use color_eyre::Result;

use super::App;
use crate::store::Store;
use crate::team::TeamBook;
use crate::team::replica::{Heard, Listener, Snapshot};

/// What the app keeps of the team book it shows.
pub struct TeamLink {
    /// The connection writes and pulls go through.
    pub book: TeamBook,
    /// The URL as given (the listener connects with it too).
    url: String,
    /// The snapshot the store reads; dropped (its folder removed) when the next replaces it.
    snapshot: Snapshot,
    /// Others' writes, as heard; None once the listening connection was lost (said once).
    listener: Option<Listener>,
    /// Who signs what this window writes: the member's CSM (the database signs it so anyway).
    pub signer: Option<String>,
    /// This window's session, named after the member's role (their `tend undo` and `u` find it;
    /// the database lets a CSM write only changes of sessions named so).
    session: String,
    /// How the member's sessions start (`cli-maya-`): the database takes their changes only so.
    pub prefix: String,
    /// Whether the member is a CSM (who writes only on their own accounts), not a lead or an importer.
    pub is_csm: bool,
    /// Whether the member is an importer, who imports and writes nothing from the screens.
    pub is_importer: bool,
    /// "maya@tend": who is signed in to which database, for the status line.
    pub name: String,
    /// When to try again to reach a team book the connection to which was lost.
    retry_at: Option<std::time::Instant>,
}

impl TeamLink {
    /// Sign in to the team book at `url` and pull its first snapshot.
    pub fn open(url: &str, bar: &indicatif::ProgressBar) -> crate::team::Result<(TeamLink, Store)> {
        let mut book = TeamBook::open(url)?;
        let signer = crate::book::storage::BookRead::signed_in_csm(&book)
            .map_err(|e| crate::team::TeamError::Refused(e.to_string()))?;
        let own = book.server_process()?;
        let (role, database, kind): (String, String, Option<String>) = {
            let row = book
                .client
                .get_mut()
                .query_one(
                    "SELECT current_user::text, current_database()::text,
                            (SELECT kind FROM team_members WHERE role_name = current_user)",
                    &[],
                )
                .map_err(|e| book.error(e))?;
            (row.get(0), row.get(1), row.get(2))
        };
        let prefix = crate::book::storage::BookRead::session_prefix(&book)
            .map_err(|e| crate::team::TeamError::Refused(e.to_string()))?;
        let session = crate::book::log::new_session(&format!("{prefix}tui"));
        let prefix_kept = prefix.clone();
        let snapshot = book.snapshot(bar)?;
        let store = Store::open(&snapshot.path())?;
        let listener = Listener::start(url, own)?;
        Ok((
            TeamLink {
                book,
                url: url.to_string(),
                snapshot,
                listener: Some(listener),
                signer,
                session,
                prefix: prefix_kept,
                is_csm: kind.as_deref() == Some("csm"),
                is_importer: kind.as_deref() == Some("importer"),
                name: crate::text::clean(&format!("{role}@{database}")),
                retry_at: None,
            },
            store,
        ))
    }
}

impl TeamLink {
    /// Connect again after the connection was lost (a restarted server, a dropped network, an
    /// idle timeout): the writing connection where it is closed, and the listener.
    fn reconnect(&mut self) -> crate::team::Result<()> {
        // A connection the server ended is seen closed only once used: asked something first.
        let own = match self.book.server_process() {
            Ok(own) => own,
            Err(_) => {
                self.book = TeamBook::open(&self.url)?;
                self.book.server_process()?
            }
        };
        self.listener = Some(Listener::start(&self.url, own)?);
        Ok(())
    }

    /// Whether both connections stand.
    fn connected(&self) -> bool {
        self.listener.is_some() && !self.book.client.borrow().is_closed()
    }
}

/// How long after a failed attempt to reach the team book again tend tries once more.
const RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(5);

impl App {
    /// This app shows a team book: its writes go there, under the member's session.
    pub fn join_team(&mut self, link: TeamLink) {
        self.session = link.session.clone();
        self.book_name = link.name.clone();
        self.team_book = Some(link);
    }

    /// Whether this app shows a team book.
    pub fn on_team_book(&self) -> bool {
        self.team_book.is_some()
    }

    /// An importer signed in to a team book reads the screens and writes nothing from them (what
    /// they would write would be signed by no one): said instead of a write; true when said.
    pub(super) fn refused_importer(&mut self) -> bool {
        if !self.team_book.as_ref().is_some_and(|l| l.is_importer) {
            return false;
        }
        self.fail(
            "You are signed in as an importer: you import (tend import accounts); logging and the rest are written by a CSM or a lead.".into(),
        );
        true
    }

    /// A CSM signed in to a team book writes only on their own accounts: said before a form is
    /// filled in, rather than after (the database would refuse it); true when said. A task is
    /// let through (a CSM may add one for themselves on any account).
    pub(super) fn refused_not_mine(&mut self, account_id: i64, writes: &str) -> bool {
        let Some(link) = &self.team_book else { return false };
        let Some(me) = link.signer.clone().filter(|_| link.is_csm) else { return false };
        let Some(row) = self.portfolio.rows().iter().find(|r| r.id == account_id) else { return false };
        if row.csm.eq_ignore_ascii_case(&me) {
            return false;
        }
        // Said as the command line says it; a book that cannot be read here leaves it to the
        // database, which refuses the write.
        let Ok(whose) = crate::book::log::whose_account(&self.store, account_id) else { return false };
        self.fail(format!("{whose}: as a CSM you {writes} only on your own accounts (a lead on every one)."));
        true
    }

    /// Before a write: the connection to the team book connected again if it was lost, so that
    /// the write is not refused for a connection the server ended while the member typed.
    pub(super) fn reconnect_if_lost(&mut self) -> Result<()> {
        let Some(link) = &mut self.team_book else { return Ok(()) };
        if link.book.server_process().is_err() {
            link.reconnect()?;
        }
        Ok(())
    }

    /// Pull the team book again and show it: after this window's write, or another member's.
    pub(super) fn pull_team(&mut self) -> Result<()> {
        if !self.on_team_book() {
            return Ok(());
        }
        self.stop_work_ahead();
        let Some(link) = &mut self.team_book else { return Ok(()) };
        let snapshot = link.book.snapshot(&indicatif::ProgressBar::hidden())?;
        let store = Store::open(&snapshot.path())?;
        // The old store closes before its snapshot's folder goes.
        self.store = store;
        link.snapshot = snapshot;
        self.reload()
    }

    /// While no key comes: when another member wrote to the team book, pull it again and say who;
    /// when the connection was lost, connect again (every few seconds until it works) and pull.
    /// A form being filled in is left alone until closed (as for a book file).
    pub(super) fn hear_team(&mut self) -> Result<()> {
        if self.form.is_some() || self.pending.is_some() {
            return Ok(());
        }
        let Some(link) = &mut self.team_book else { return Ok(()) };
        let mut writers: Vec<String> = Vec::new();
        let mut lost = false;
        if let Some(listener) = &link.listener {
            while let Ok(heard) = listener.heard.try_recv() {
                match heard {
                    Heard::Wrote(role) if !writers.contains(&role) => writers.push(role),
                    Heard::Wrote(_) => {}
                    Heard::Lost(_) => lost = true,
                }
            }
        }
        if lost {
            link.listener = None;
        }
        if !link.connected() {
            if link.retry_at.is_some_and(|at| std::time::Instant::now() < at) {
                return Ok(());
            }
            return match link.reconnect() {
                Ok(()) => {
                    link.retry_at = None;
                    self.pull_team()?;
                    self.say("Reconnected to the team book, and read it again.");
                    Ok(())
                }
                Err(e) => {
                    link.retry_at = Some(std::time::Instant::now() + RETRY_AFTER);
                    self.fail(format!(
                        "The team book cannot be reached; trying again every few seconds. {}",
                        sentence(&e.to_string())
                    ));
                    Ok(())
                }
            };
        }
        if writers.is_empty() {
            return Ok(());
        }
        self.pull_team()?;
        let updated = format!("Updated: {} wrote to the team book.", writers.join(", "));
        // What this window's own write said stays in view beside it until the next key.
        match self.message.take().filter(|m| !self.message_is_error && !m.contains("Updated:")) {
            Some(own) => self.say(&format!("{updated} Yours before it: {own}")),
            None => self.say(&updated),
        }
        Ok(())
    }
}

/// An error's text as a sentence: its first letter capitalised, ending in a full stop.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}
