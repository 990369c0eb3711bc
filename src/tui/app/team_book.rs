//! The TUI on a team book: the views read a snapshot of it (`team::replica`) with the code that
//! reads a book file; writes go to the team book through the storage seam; the snapshot is
//! pulled again after each write, this window's or (heard on the team book's channel) another
//! member's.

use color_eyre::Result;

use chrono::NaiveDate;

use super::App;
use super::reading::{ReadBehind, Replica, read_book};
use crate::book;
use crate::config::Config;
use crate::store::Store;
use crate::team::TeamBook;
use crate::team::heads::WriteCounts;
use crate::team::replica::{Heard, Listener, Snapshot};
use crate::tui::theme::Theme;

/// What the app keeps of the team book it shows.
pub struct TeamLink {
    /// The connection writes and pulls go through.
    pub book: TeamBook,
    /// The URL as given (the listener connects with it too).
    url: String,
    /// The snapshot the store reads; dropped (its folder removed) when the next replaces it.
    /// None while the first is pulled behind a kept triage head.
    snapshot: Option<Snapshot>,
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
    /// The role signed in (a write heard from it came from another tend of the member's).
    role: String,
    /// When to try again to reach a team book the connection to which was lost.
    retry_at: Option<std::time::Instant>,
    /// Connected again while a form was open: the book is pulled once it closes.
    pull_due: bool,
}

impl TeamLink {
    /// Sign in to the team book at `url` (nothing is pulled yet: see `pull`).
    pub fn sign_in(url: &str) -> crate::team::Result<TeamLink> {
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
        let listener = Listener::start(url, own)?;
        Ok(TeamLink {
            book,
            url: url.to_string(),
            snapshot: None,
            listener: Some(listener),
            signer,
            session,
            prefix,
            is_csm: kind.as_deref() == Some("csm"),
            is_importer: kind.as_deref() == Some("importer"),
            name: crate::text::clean(&format!("{role}@{database}")),
            role,
            retry_at: None,
            pull_due: false,
        })
    }

    /// Pull a snapshot of the team book: the store the views read, kept until the next pull.
    pub fn pull(&mut self, bar: &indicatif::ProgressBar) -> crate::team::Result<Store> {
        let snapshot = self.book.member_snapshot(bar)?;
        let store = Store::open(&snapshot.path())?;
        // The old store (if any) is the caller's to close before its snapshot's folder goes.
        self.snapshot = Some(snapshot);
        Ok(store)
    }

    /// The head of the list the member opens on, kept in the team book for today under `config`,
    /// if nothing has been written since it was worked out (see `team::heads`); with the usage
    /// data's last day.
    pub fn kept_head(
        &mut self,
        config: &crate::config::Config,
        today: chrono::NaiveDate,
    ) -> crate::team::Result<Option<(crate::book::triage_head::TriageHead, crate::domain::data_days::DataDays)>> {
        let me = config.me();
        let kept = self.book.kept_heads(me)?;
        let head = crate::book::triage_head::pick(
            config,
            today,
            me,
            |list| kept.counts.of_list(list),
            |key| Ok::<_, crate::team::TeamError>(kept.get(key)),
        )?;
        Ok(head.map(|h| (h, kept.data_days.clone())))
    }

    /// Keep in the team book the head of the member's list worked out in `store` (this link's
    /// snapshot), for the next open (theirs, or another member's of the same list).
    pub fn keep_head(&mut self, store: &Store, me: Option<&str>) {
        self.book.keep_heads(store, me);
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
    pub(super) fn connected(&self) -> bool {
        self.listener.is_some() && !self.book.client.borrow().is_closed()
    }
}

/// How long after this window's last own write the team book is pulled again (`hear_team`).
const OWN_WRITES_PULLED_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// How long after a failed attempt to reach the team book again tend tries once more.
const RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(5);

impl App {
    /// The app on the head of the member's list kept in the team book: Triage shows it at once,
    /// while a snapshot of the team book is pulled on a connection of its own and read behind
    /// it (as behind a book file's stored head).
    pub fn on_team_head(
        link: TeamLink,
        config: Config,
        today: NaiveDate,
        theme: Theme,
        head: book::triage_head::TriageHead,
        data_days: crate::domain::data_days::DataDays,
    ) -> crate::store::Result<App> {
        let url = link.url.clone();
        let read: ReadBehind = Box::new(move |config: &Config| {
            let mut book = TeamBook::open(&url)?;
            let snapshot = book.member_snapshot(&indicatif::ProgressBar::hidden())?;
            let mut store = Store::open(&snapshot.path())?;
            // Read before the caches are made current (see `App::prepared`).
            let generation = store.generation()?;
            book::prepare(&mut store, config, today)?;
            let mut loaded = read_book(&store, config, today)?;
            loaded.generation = generation;
            loaded.replica = Some(Replica { store, snapshot });
            Ok(loaded)
        });
        // Nothing is read from it: the views show the head until the snapshot comes.
        let placeholder = Store::open_in_memory()?;
        let mut app = App::on_head_with(placeholder, read, config, today, theme, head)?;
        // The snapshot's days are read with it; until then the kept head's.
        // (the head keeps the book's counts alone: ticket counts in them until the snapshot).
        app.seen_book_days.usage_days = data_days.clone();
        app.seen_book_days.data_days = data_days;
        app.join_team(link);
        // Once joined: on a team book `me` is who signed in.
        app.say_if_me_unknown();
        Ok(app)
    }

    /// The pulled snapshot in place of the store the app opened with (see `on_team_head`).
    pub(super) fn take_replica(&mut self, replica: Replica) -> crate::store::Result<()> {
        let Replica { store, snapshot } = replica;
        self.store = store;
        if let Some(link) = &mut self.team_book {
            link.snapshot = Some(snapshot);
            // Pulled on a connection of its own: this one wrote nothing since (keys that write
            // wait for the book).
            link.book.forget_own_writes();
        }
        self.mark_seen()
    }

    /// Once the next working day is worked out behind the screen in the snapshot: the head of
    /// its list kept in the team book, for the member's first open that day (until their list
    /// is written to).
    pub(super) fn share_ahead(&mut self) {
        let Some(ahead) = &mut self.ahead else { return };
        if ahead.shared || !ahead.thread.is_finished() {
            return;
        }
        ahead.shared = true;
        let me = self.config.me().map(str::to_owned);
        if let Some(link) = &mut self.team_book {
            link.book.keep_ahead_head(&self.store, me.as_deref());
            for other in &ahead.others {
                link.book.keep_ahead_head(&self.store, Some(other));
            }
        }
    }

    /// The members whose lists a lead's tend keeps in the team book beside the lead's own (the
    /// next working day's, worked out ahead; today's, after the lead writes to their accounts):
    /// a lead logging in a one-on-one would otherwise leave the member's next open to pull and
    /// score the whole book. A CSM keeps only their own list (the database's rule), an importer
    /// none; so does a lead's tend when the team book cannot say who its members are.
    pub(super) fn lists_kept_for_others(&mut self) -> Vec<String> {
        let Some(link) = self.team_book.as_mut().filter(|l| !l.is_csm && !l.is_importer) else { return Vec::new() };
        let me = self.config.me().map(str::to_lowercase);
        let members = link.book.member_csms().unwrap_or_default();
        members.into_iter().filter(|m| me.as_deref() != Some(m.to_lowercase().as_str())).collect()
    }

    /// Keep the head of the member's list, as worked out in the snapshot, in the team book.
    pub(super) fn keep_team_head(&mut self) {
        let me = self.config.me().map(str::to_owned);
        if let Some(link) = &mut self.team_book {
            link.keep_head(&self.store, me.as_deref());
        }
    }

    /// After this window's own write that it shows without pulling the book (a Triage mark): the
    /// head of the member's list as the screen now has it, kept in the team book when nothing
    /// but this window's writes came to that list since the last pull (its count says so).
    pub(super) fn keep_head_as_written(&mut self) -> Result<()> {
        let Some(link) = &mut self.team_book else { return Ok(()) };
        let (Ok(now), Some(then)) = (link.book.write_counts(), WriteCounts::of_snapshot(&self.store)?) else {
            return Ok(());
        };
        let own = WriteCounts { csms: now.csms.clone(), ..link.book.own_writes.clone() };
        let as_written = |list: Option<&str>| {
            (now.of_list(list) == then.of_list(list) + own.of_list(list)).then(|| now.of_list(list))
        };
        self.keep_head_at(as_written)?;
        let written = self.others_written(&own);
        self.keep_others_at(&written, as_written)
    }

    /// The other members whose lists this window's own writes `own` counted to, for a lead's
    /// tend (see `lists_kept_for_others`).
    fn others_written(&mut self, own: &WriteCounts) -> Vec<String> {
        let ids: Vec<i64> = own.by_list.iter().filter(|(l, n)| *l > 0 && *n > 0).map(|(l, _)| *l).collect();
        let me = self.config.me();
        let written: Vec<&String> = own
            .csms
            .iter()
            .filter(|(id, name)| ids.contains(id) && !me.is_some_and(|me| me.eq_ignore_ascii_case(name)))
            .map(|(_, name)| name)
            .collect();
        // The team book is asked who its members are only when another's list was written to.
        if written.is_empty() {
            return Vec::new();
        }
        let others = self.lists_kept_for_others();
        written.into_iter().filter(|name| others.iter().any(|o| o.eq_ignore_ascii_case(name))).cloned().collect()
    }

    /// Keep in the team book the head of each of `names`' lists (other members', each as their
    /// own tend opens on it), from the rows and marks the app holds, as of the write count
    /// `generation` gives for the list (not kept when None): their next open today shows Triage
    /// at once with this window's writes in it.
    fn keep_others_at(&mut self, names: &[String], generation: impl Fn(Option<&str>) -> Option<i64>) -> Result<()> {
        for name in names {
            let theirs = self.config.as_member(name);
            if let Some((key, stored)) = self.list_head(Some(name), &theirs, &generation)? {
                self.keep_stored_head(&key, &stored);
            }
        }
        Ok(())
    }

    /// Keep in the team book the head of the list the member opens on, from the rows and marks
    /// the app holds, as of the write count `generation` gives for its list (not kept when None).
    fn keep_head_at(&mut self, generation: impl Fn(Option<&str>) -> Option<i64>) -> Result<()> {
        let mine = book::book_of_me(&self.config, self.portfolio.rows());
        if let Some((key, stored)) = self.list_head(mine.as_deref(), &self.config, &generation)? {
            self.keep_stored_head(&key, &stored);
        }
        Ok(())
    }

    /// Keep `stored` under `key` in the team book (never failing: see `TeamBook::keep_head`).
    fn keep_stored_head(&mut self, key: &str, stored: &crate::store::triage::StoredHead) {
        if let Some(link) = &mut self.team_book {
            link.book.keep_head(key, stored);
        }
    }

    /// The head of `csm`'s list (everyone's when None) from the rows and marks the app holds, as
    /// kept in the team book: its key and stored form under `config` (the tend that opens on it),
    /// at the write count `generation` gives for the list. None when it is not to be kept (no
    /// count, no team book, no daily limit), and for a CSM who owns no account.
    fn list_head(
        &self,
        csm: Option<&str>,
        config: &Config,
        generation: &impl Fn(Option<&str>) -> Option<i64>,
    ) -> Result<Option<(String, crate::store::triage::StoredHead)>> {
        if self.config.triage.daily_limit == 0 || self.team_book.is_none() {
            return Ok(None);
        }
        let rows = self.portfolio.rows();
        let list = self.triage_book.list_for(&self.config, rows, csm);
        let head = book::triage_head::TriageHead::of(&self.store, &self.config, &self.triage_book, &list, rows, csm)?;
        if csm.is_some() && head.accounts == 0 {
            return Ok(None);
        }
        let Some(generation) = generation(head.csm.as_deref()) else { return Ok(None) };
        let stored = book::triage_head::stored(config, self.today, generation, &head);
        Ok(stored.map(|s| (book::triage_head::keys(config.me())[0].clone(), s)))
    }

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
        self.pause_work_ahead();
        let Some(link) = &mut self.team_book else { return Ok(()) };
        link.pull_due = false;
        // This window's own writes since the last pull (the pull forgets them).
        let own = link.book.own_writes.clone();
        match &mut link.snapshot {
            // Only the tables written since the last pull are pulled again (unless the folder it
            // was kept in was deleted meanwhile: then it is pulled anew).
            Some(snapshot) if !snapshot.is_gone() => {
                link.book.refresh(snapshot, &mut self.store)?;
            }
            _ => {
                let snapshot = link.book.member_snapshot(&indicatif::ProgressBar::hidden())?;
                // The old store closes before its snapshot's folder goes.
                self.store = Store::open(&snapshot.path())?;
                link.snapshot = Some(snapshot);
            }
        }
        self.reload()?;
        self.keep_pulled_head(own)
    }

    /// With a form open and the team book lost: connect again every few seconds, and once
    /// connected say that Enter saves now (the form keeps what was typed; the book is pulled
    /// when it closes).
    fn reconnect_under_form(&mut self) -> Result<()> {
        let Some(link) = &mut self.team_book else { return Ok(()) };
        if link.connected() || link.retry_at.is_some_and(|at| std::time::Instant::now() < at) {
            return Ok(());
        }
        match link.reconnect() {
            Ok(()) => {
                link.retry_at = None;
                link.pull_due = true;
                self.say("Reconnected to the team book: Enter saves what you typed.");
            }
            Err(_) => link.retry_at = Some(std::time::Instant::now() + RETRY_AFTER),
        }
        Ok(())
    }

    /// After a pull: the head of the list the member opens on, worked out from the rows just
    /// read and kept in the team book, so that their next open (or another's of the same list)
    /// is at once although the book was written.
    /// So too the lists of other members that this window's own writes (`own`) counted to (see
    /// `keep_others_at`).
    fn keep_pulled_head(&mut self, own: WriteCounts) -> Result<()> {
        let Some(counts) = WriteCounts::of_snapshot(&self.store)? else { return Ok(()) };
        self.keep_head_at(|list| Some(counts.of_list(list)))?;
        let written = self.others_written(&WriteCounts { csms: counts.csms.clone(), ..own });
        self.keep_others_at(&written, |list| Some(counts.of_list(list)))
    }

    /// While no key comes: when another member wrote to the team book, pull it again and say who;
    /// when the connection was lost, connect again (every few seconds until it works) and pull.
    /// A form being filled in is left alone until closed (as for a book file), but for
    /// connecting again: a save refused while the book was unreachable is said to work now.
    pub(super) fn hear_team(&mut self) -> Result<()> {
        if self.pending.is_some() {
            return Ok(());
        }
        if self.form.is_some() {
            return self.reconnect_under_form();
        }
        let Some(link) = &mut self.team_book else { return Ok(()) };
        if link.pull_due {
            self.pull_team()?;
            self.say("Reconnected to the team book, and read it again.");
            return Ok(());
        }
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
                    // Said once, when it is first lost: the status line keeps saying it, and a
                    // write refused meanwhile keeps its own message.
                    let first = link.retry_at.is_none();
                    link.retry_at = Some(std::time::Instant::now() + RETRY_AFTER);
                    if !first {
                        return Ok(());
                    }
                    // The cause first, without the book's address (the status line names the
                    // book): it is what a narrow terminal keeps.
                    let cause = match e {
                        crate::team::TeamError::Connect { detail, .. } => short_cause(&detail),
                        e => e.to_string(),
                    };
                    self.fail(format!("Team book unreachable ({cause}): trying again every few seconds."));
                    Ok(())
                }
            };
        }
        if writers.is_empty() {
            // This window's own writes (Triage marks) are shown without a pull: a minute after
            // the last, the snapshot is brought up to them, quietly, so that what is worked out
            // ahead behind the screen (the next working day's list) counts them too.
            if link.book.own_written_at.is_some_and(|at| at.elapsed() >= OWN_WRITES_PULLED_AFTER) {
                self.pull_team()?;
            }
            return Ok(());
        }
        self.pull_team()?;
        let (names, written) = match &mut self.team_book {
            Some(link) => (
                // The member's own writes from another tend (a window, a command) are theirs, not another
                // member's.
                writers
                    .iter()
                    .zip(link.book.members_named(&writers))
                    .map(|(role, name)| match *role == link.role {
                        true => "you (from another tend)".to_string(),
                        false => name,
                    })
                    .collect(),
                link.snapshot.as_ref().map(|s| s.changed_accounts.clone()).unwrap_or_default(),
            ),
            None => (writers, Vec::new()),
        };
        let updated = format!("{} wrote to the team book{}", names.join(", "), self.accounts_said(&written));
        // "… Globex Inc." takes no second full stop.
        let updated = match updated.ends_with('.') {
            true => updated,
            false => updated + ".",
        };
        // What this window's own write said stays in view beside it until the next key (not
        // what tend said of the team book itself).
        let own = |m: &String| !m.starts_with("Updated ") && !m.starts_with("Reconnected");
        match self.message.take().filter(|m| !self.message_is_error && own(m)) {
            Some(own) => self.say_updated(&format!("{updated} Your own: {own}")),
            None => self.say_updated(&updated),
        }
        Ok(())
    }
}

impl App {
    /// ": Hooli Inc 3", ": Hooli Inc 3, Acme and 4 more": the accounts another member's write
    /// touched, by name (empty when none is known): the member's own first (what they will look
    /// at; an import touches every CSM's), names holding a comma set apart by semicolons ("Stark
    /// Foods, Inc." is one account).
    fn accounts_said(&self, ids: &[i64]) -> String {
        const NAMED: usize = 2;
        let written: std::collections::HashSet<i64> = ids.iter().copied().collect();
        let me = self.config.me();
        let (mut own, mut others, mut own_count) = (Vec::new(), Vec::new(), 0);
        for row in self.portfolio.rows().iter().filter(|r| written.contains(&r.id)) {
            match me.is_some_and(|m| row.csm.eq_ignore_ascii_case(m)) {
                true => {
                    own_count += 1;
                    if own.len() < NAMED {
                        own.push(row);
                    }
                }
                false if others.len() < NAMED => others.push(row),
                false => {}
            }
        }
        let own_named = own.len().min(NAMED);
        let names: Vec<String> =
            own.into_iter().chain(others).take(NAMED).map(|r| crate::text::clean(&r.name)).collect();
        let separator = match names.iter().any(|n| n.contains(',')) {
            true => "; ",
            false => ", ",
        };
        match (names.len(), ids.len().saturating_sub(names.len())) {
            (0, _) => String::new(),
            (_, 0) => format!(": {}", names.join(separator)),
            (_, more) => {
                let more_text = crate::domain::account::thousands(more as u64);
                // How many of those not named are the member's own: what they look for.
                match own_count - own_named {
                    0 => format!(": {} and {more_text} more", names.join(separator)),
                    yours => format!(
                        ": {} and {more_text} more, {} of them yours",
                        names.join(separator),
                        crate::domain::account::thousands(yours as u64)
                    ),
                }
            }
        }
    }
}

/// A connection's failure as a narrow status line has room for: "Connection refused", not
/// "cannot reach the team book at …: error connecting to server: Connection refused (os error 111)".
pub(super) fn short_cause(detail: &str) -> String {
    let cause = detail.rsplit_once(": ").map_or(detail, |(_, last)| last);
    let cause = match cause.rfind(" (os error ") {
        Some(at) if cause.ends_with(')') => &cause[..at],
        _ => cause,
    };
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_members_write_names_my_own_accounts_first() {
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        let config = Config::default();
        let mut store = Store::open_in_memory().unwrap();
        let spec = crate::demo::DemoSpec { accounts: 40, seed: 7, today, journeys: &config.journeys };
        crate::demo::build(&mut store, spec).unwrap();
        let mut app = App::new(store, config, today, Theme { color: false }).unwrap();
        let rows = app.portfolio.rows();
        let me = rows[0].csm.to_string();
        let mine = rows.iter().find(|r| *r.csm == *me).map(|r| (r.id, r.name.clone())).unwrap();
        let theirs: Vec<(i64, String)> =
            rows.iter().filter(|r| *r.csm != *me).take(3).map(|r| (r.id, r.name.clone())).collect();
        app.config.me = me;
        // An import's order: theirs first, mine last.
        let ids: Vec<i64> = theirs.iter().map(|(id, _)| *id).chain([mine.0]).collect();
        let said = app.accounts_said(&ids);
        assert!(said.starts_with(&format!(": {}, ", mine.1)), "{said}");
        assert!(said.ends_with(" and 2 more"), "{said}");
        // Mine beyond those named are counted.
        let more_mine: Vec<i64> =
            app.portfolio.rows().iter().filter(|r| *r.csm == *app.config.me).take(4).map(|r| r.id).collect();
        assert_eq!(more_mine.len(), 4, "the demo gives a CSM four accounts at least");
        let said = app.accounts_said(&more_mine);
        assert!(said.ends_with(" and 2 more, 2 of them yours"), "{said}");
        assert_eq!(app.accounts_said(&[theirs[0].0]), format!(": {}", theirs[0].1));
        assert_eq!(app.accounts_said(&[]), "");
    }
}
