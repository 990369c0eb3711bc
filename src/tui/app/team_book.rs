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
}

impl TeamLink {
    /// Sign in to the team book at `url` and pull its first snapshot.
    pub fn open(url: &str, bar: &indicatif::ProgressBar) -> crate::team::Result<(TeamLink, Store)> {
        let mut book = TeamBook::open(url)?;
        let signer = crate::book::storage::BookRead::signed_in_csm(&book)
            .map_err(|e| crate::team::TeamError::Refused(e.to_string()))?;
        let own = book.server_process()?;
        let prefix = crate::book::storage::BookRead::session_prefix(&book)
            .map_err(|e| crate::team::TeamError::Refused(e.to_string()))?;
        let session = crate::book::log::new_session(&format!("{prefix}tui"));
        let snapshot = book.snapshot(bar)?;
        let store = Store::open(&snapshot.path())?;
        let listener = Listener::start(url, own)?;
        Ok((TeamLink { book, url: url.to_string(), snapshot, listener: Some(listener), signer, session }, store))
    }

    /// The team book as shown (password hidden).
    pub fn shown(&self) -> &str {
        &self.book.url
    }
}

impl App {
    /// This app shows a team book: its writes go there, under the member's session.
    pub fn join_team(&mut self, link: TeamLink) {
        self.session = link.session.clone();
        self.book_name = crate::text::clean(&short_name(link.shown()));
        self.team_book = Some(link);
    }

    /// Whether this app shows a team book.
    pub fn on_team_book(&self) -> bool {
        self.team_book.is_some()
    }

    /// Said instead of a write the team book does not take from the TUI yet; true when said.
    pub(super) fn refused_on_team(&mut self, what: &str) -> bool {
        if !self.on_team_book() {
            return false;
        }
        self.fail(format!(
            "{what} does not work on a team book yet; here you log, mark Triage, and add or change goals, tasks, people and band overrides."
        ));
        true
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

    /// While no key comes: when another member wrote to the team book, pull it again and say who.
    /// A form being filled in is left alone until closed (as for a book file).
    pub(super) fn hear_team(&mut self) -> Result<()> {
        if self.form.is_some() || self.pending.is_some() {
            return Ok(());
        }
        let Some(link) = &mut self.team_book else { return Ok(()) };
        let Some(listener) = &link.listener else { return Ok(()) };
        let mut writers: Vec<String> = Vec::new();
        let mut lost = None;
        while let Ok(heard) = listener.heard.try_recv() {
            match heard {
                Heard::Wrote(role) if !writers.contains(&role) => writers.push(role),
                Heard::Wrote(_) => {}
                Heard::Lost(why) => lost = Some(why),
            }
        }
        if let Some(why) = lost {
            link.listener = None;
            let url = link.url.clone();
            self.fail(format!(
                "No longer hearing others' writes to the team book ({why}); reopen tend to see them. ({})",
                crate::team::shown(&url)
            ));
            return Ok(());
        }
        if writers.is_empty() {
            return Ok(());
        }
        self.pull_team()?;
        self.say(&format!("Updated: {} wrote to the team book.", writers.join(", ")));
        Ok(())
    }
}

/// The team book as the status line names it: who is signed in to which database
/// ("maya on team book tend"), the whole URL being too long for a status line.
fn short_name(shown: &str) -> String {
    let rest = shown.split_once("://").map_or(shown, |(_, r)| r);
    let (user, place) = match rest.rsplit_once('@') {
        Some((user, place)) => (user.split(':').next().unwrap_or(user), place),
        None => ("", rest),
    };
    let database = place.split('?').next().unwrap_or(place).rsplit_once('/').map_or("", |(_, d)| d);
    match (user.is_empty(), database.is_empty()) {
        (false, false) => format!("{user} on team book {database}"),
        (false, true) => format!("{user} on a team book"),
        (true, false) => format!("team book {database}"),
        (true, true) => "a team book".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::short_name;

    #[test]
    fn the_status_line_names_who_is_signed_in_to_which_team_book() {
        assert_eq!(short_name("postgres://maya@db.example:5432/tend"), "maya on team book tend");
        assert_eq!(short_name("postgres://maya:***@db/tend?sslmode=require"), "maya on team book tend");
        assert_eq!(short_name("postgresql://db/tend"), "team book tend");
        assert_eq!(short_name("postgres://maya@db"), "maya on a team book");
    }
}
