//! Writing what a CSM learns: entries, goals, milestones, journeys, edits, deletes and undo.
//!
//! Every call is one transaction that also records the change for undo and drops the account's
//! cached factor values; it returns what changed in words ("Acme: 71 (Y) -> 64 (O), CSM sentiment
//! 8/10 -> 4/10"), for the TUI's status line and the CLI alike.

use chrono::NaiveDate;

// BookTxn named by its path alone: in scope, its methods would be picked over Writer's own.
use crate::book::storage::{Book, BookError, BookRead, ChangeNote};
use crate::config::Config;
use crate::domain::contact::ContactRole;
use crate::domain::entry::EntryKind;
use crate::domain::health::HealthConfig;
use crate::domain::input::{EntryInput, FieldError, GoalInput, MilestoneInput};
use crate::domain::journey;
use crate::domain::{FactorId, HealthScore, signals};
use crate::store::log::{ChangeAction, Entity, EntryRecord};
use crate::store::{NewEntry, NewGoal, NewMilestone, Store, StoreError};
use crate::text::clean;

#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("{0}")]
    Invalid(#[from] FieldError),
    #[error("no {entity} with id {id}")]
    NotFound { entity: &'static str, id: i64 },
    #[error("{0}")]
    Refused(String),
    /// Marking done a milestone already done: its day is not moved silently.
    #[error("milestone {id} (\"{name}\") was already done on {done}")]
    AlreadyDone { id: i64, name: String, done: NaiveDate },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Team(#[from] crate::team::TeamError),
    /// Refused by the book's own rules (another CSM's account, on a team book).
    #[error("{0}")]
    NotPermitted(String),
}

impl From<BookError> for LogError {
    fn from(e: BookError) -> Self {
        match e {
            BookError::Store(e) => LogError::Store(e),
            BookError::Team(e) => LogError::Team(e),
            BookError::NotPermitted(detail) => LogError::NotPermitted(detail),
        }
    }
}

pub type Result<T> = std::result::Result<T, LogError>;

/// What a write did, in words, and to which account.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub account_id: i64,
    pub message: String,
    /// The write took back an earlier one (`undo`): a playbook episode that write ended today is
    /// resumed rather than a new one begun, so its tasks are not opened a second time.
    pub undone: bool,
}

/// Everything a write needs: the book, the rules, who is writing, and what day it is.
pub struct Ctx<'a> {
    pub store: &'a mut Store,
    pub config: &'a Config,
    /// Groups this front end's changes for undo ("u" undoes the session's last one).
    pub session: &'a str,
    pub today: NaiveDate,
    /// Sign entries as this CSM; else `me` from config; else the account's owner.
    pub by: Option<&'a str>,
}

/// A fresh session id: one per TUI run or CLI command.
pub fn new_session(front_end: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("{front_end}-{}-{nanos}", std::process::id())
}

impl Ctx<'_> {
    /// This context's book behind the storage seam, for the writes that go through it.
    pub fn seam(&mut self) -> SeamCtx<'_> {
        SeamCtx::new(self.store, self.config, self.session, self.today, self.by)
    }
}

/// What a write through the storage seam needs: the book (a file or a team book), who signs, the
/// session its changes are undone with, and the day.
pub struct SeamCtx<'a> {
    pub book: &'a mut dyn Book,
    pub config: &'a Config,
    /// Sign as this CSM; else the account's owner. (A team book signs with the member's own CSM.)
    pub signer: Option<String>,
    /// Why the name given to sign with cannot be used (it names no CSM of the book): every
    /// write is refused with it, rather than signed by a CSM the typo would create.
    pub signer_refused: Option<String>,
    pub session: &'a str,
    pub today: NaiveDate,
}

impl<'a> SeamCtx<'a> {
    /// Signed as `by`, else as `me` in the config, else (in `record`) as the account's owner.
    pub fn new(
        book: &'a mut dyn Book,
        config: &'a Config,
        session: &'a str,
        today: NaiveDate,
        by: Option<&str>,
    ) -> SeamCtx<'a> {
        // `--by` comes checked by the command line (which may add a CSM with `--new-csm`).
        let (signer, signer_refused) = match (by, config.me()) {
            (Some(by), _) => (Some(super::resolve::as_book_spells(&*book, by)), None),
            (None, None) => (None, None),
            (None, Some(me)) => match book.csms() {
                Ok(csms) => match super::resolve::signing_csm(&csms, me) {
                    Ok(name) => (Some(name), None),
                    Err(e) => {
                        (None, Some(format!("me = \"{}\" in the config: {e}; {}", clean(me), signer_hint(&csms, me))))
                    }
                },
                // The CSMs unread, whom `me` names is unknown: no write is signed by a guess.
                Err(e) => (None, Some(format!("me = \"{}\" in the config: {e}", clean(me)))),
            },
        };
        SeamCtx { book, config, signer, signer_refused, session, today }
    }

    pub(crate) fn account_for(&self, entity: Entity, id: i64) -> Result<i64> {
        self.book.account_of(entity, id)?.ok_or(LogError::NotFound { entity: entity.key(), id })
    }

    pub(crate) fn score(&self, account_id: i64) -> Result<HealthScore> {
        let facts = self.book.account_facts(account_id, &self.config.health.catalog)?;
        let values = signals::derive_values(&facts, self.today, &self.config.health.catalog);
        Ok(self.config.health.assess(&values, &facts.subject(), self.today))
    }

    /// Run `write` for an account in one transaction that also records the change and marks
    /// what was worked out from its facts stale, then say what it did to the score.
    pub(crate) fn change(
        &mut self,
        account_id: i64,
        what: &str,
        write: impl FnOnce(&mut dyn crate::book::storage::BookTxn, &Recorder) -> std::result::Result<(), BookError>,
    ) -> Result<Outcome> {
        let before = self.score(account_id)?;
        let mut outcome = self.record(account_id, what, |t, rec| {
            write(t, rec)?;
            t.invalidate_snapshots(account_id)
        })?;
        let after = self.score(account_id)?;
        let name = super::names::spoken_name(&*self.book, account_id)?;
        outcome.message = describe(&self.config.health, &name, &before, &after, what);
        Ok(outcome)
    }

    /// Run `write` for an account in one transaction that also records the change, for what is
    /// not a fact of its health (a task): "Acme: task … added".
    pub(crate) fn record(
        &mut self,
        account_id: i64,
        what: &str,
        write: impl FnOnce(&mut dyn crate::book::storage::BookTxn, &Recorder) -> std::result::Result<(), BookError>,
    ) -> Result<Outcome> {
        if let Some(why) = &self.signer_refused {
            return Err(LogError::Refused(why.clone()));
        }
        if let Some(why) = super::preview_refusal(self.today) {
            return Err(LogError::Refused(why));
        }
        let recorder = Recorder::new(self.session, what);
        let signer = self.signer.as_deref();
        let mut write = Some(write);
        self.book.transact(&mut |t| {
            let csm = match signer {
                Some(name) => Some(t.csm_id(name)?),
                None => t.account_csm(account_id)?,
            };
            t.set_signer(csm);
            // Called once: `transact` runs its closure once.
            write.take().map_or(Ok(()), |write| write(t, &recorder))
        })?;
        Ok(Outcome {
            account_id,
            message: format!("{}: {what}", super::names::spoken_name(&*self.book, account_id)?),
            undone: false,
        })
    }
}

/// What to do about a `me` that signs as none of `csms`: the book's CSMs, how to sign as one,
/// and how someone new to the book (a lead who owns no account) is added once, after which `me`
/// signs as them (a probe's head of CS had no way from the screens to log as herself).
fn signer_hint(csms: &[(i64, String)], me: &str) -> String {
    let names: Vec<String> = csms.iter().take(8).map(|(_, n)| clean(n)).collect();
    let more = if csms.len() > 8 { ", ..." } else { "" };
    format!(
        "this book's CSMs are {}{more} (set me in the config to one of them; on the command line --by NAME signs as \
         one); someone new to the book, a lead who owns no account, is added once by logging with `--by \"{}\" \
         --new-csm`, and me signs as them after; nothing was changed",
        names.join(", "),
        clean(me)
    )
}

/// Records changes of one call under one batch.
pub(crate) struct Recorder {
    session: String,
    batch: String,
    summary: String,
}

impl Recorder {
    /// A recorder for one change of `session`, its own batch.
    pub(crate) fn new(session: &str, summary: &str) -> Self {
        Recorder { session: session.to_owned(), batch: new_session("batch"), summary: summary.to_owned() }
    }

    /// A recorder adding to an earlier batch of `session`: undone with it, as one change.
    pub(crate) fn in_batch(session: &str, batch: &str, summary: &str) -> Self {
        Recorder { session: session.to_owned(), batch: batch.to_owned(), summary: summary.to_owned() }
    }

    /// `record`, through the storage seam.
    pub(crate) fn record_in(
        &self,
        t: &mut dyn crate::book::storage::BookTxn,
        entity: Entity,
        entity_id: i64,
        action: ChangeAction,
        detail_id: Option<i64>,
        before: Option<&str>,
    ) -> std::result::Result<(), BookError> {
        t.record_change(&ChangeNote {
            session: &self.session,
            batch: &self.batch,
            entity,
            entity_id,
            action,
            detail_id,
            summary: &self.summary,
            before,
        })
    }
}

/// "Acme: 71 (Y) -> 64 (O), CSM sentiment 8/10 -> 4/10; sentiment 4/10 logged", or
/// "Acme: touch: call logged, score 71 (Y) unchanged", or "Acme: goal set (on track); Goals on
/// track 100% (first data); still no score".
pub fn describe(health: &HealthConfig, name: &str, before: &HealthScore, after: &HealthScore, what: &str) -> String {
    let catalog = &health.catalog;
    let show = |h: &HealthScore| match (h.score, h.band) {
        // From thin data, as the screens mark it "~": the command line had said "100 (G)" where
        // the Portfolio read "G~100".
        (Some(s), Some(b)) if h.coverage.is_thin(health.min_coverage) => format!("~{s} ({}, thin data)", b.letter()),
        (Some(s), Some(b)) => format!("{s} ({})", b.letter()),
        _ if h.not_enough_data() => format!("not enough data ({}%)", h.coverage.percent()),
        _ => "no score".to_string(),
    };
    // A value as the Account view shows it: "≥12d" where it is a lower bound (no touch logged
    // yet), and whether it counts in the score.
    let value = |h: &HealthScore, id: FactorId| {
        let f = h.factors.iter().find(|f| f.id == id)?;
        let shown = f.raw.map(|v| catalog.def(id).format_shown(v, f.at_least));
        shown.map(|v| (v, f.points.is_some()))
    };
    let moved: Vec<String> = catalog
        .ids()
        .filter_map(|id| {
            let (b, a) = (value(before, id), value(after, id));
            let label = &catalog.def(id).label;
            let fmt = |v: &Option<(String, bool)>| v.as_ref().map_or("—".to_string(), |(v, _)| v.clone());
            // A factor's first value is news, not a change from nothing; a lower bound that
            // could earn other points is left out of the score, and said so.
            // Nothing known on either side ("—", none logged, or no value) is no change: an undo
            // said "Days since touch — -> —".
            // Nor is a factor that goes from no data to none logged yet: a sentiment logged
            // starts tracking touches, and a probe read "Days since touch: none logged yet (left
            // out)" beside it as a change.
            let unknown = |v: &Option<(String, bool)>| v.as_ref().is_none_or(|(v, _)| v == "—");
            (b != a && (!unknown(&b) || !unknown(&a))).then(|| match (&b, &a) {
                (None, Some((v, true))) => format!("{label} {v} (first data)"),
                (None, Some((v, false))) => format!("{label} {v} (none logged yet: left out)"),
                _ => format!("{label} {} -> {}", fmt(&b), fmt(&a)),
            })
        })
        .collect();
    if show(before) == show(after) {
        let still = match after.score {
            Some(_) => format!("score {} unchanged", show(after)),
            None => format!("still {}", show(after)),
        };
        return match moved.is_empty() {
            true => format!("{name}: {what}, {still}"),
            false => format!("{name}: {what}; {}; {still}", moved.join(", ")),
        };
    }
    let mut out = format!("{name}: {} -> {}", show(before), show(after));
    if !moved.is_empty() {
        out.push_str(&format!(", {}", moved.join(", ")));
    }
    out.push_str(&format!("; {what}"));
    out
}

/// The entry to write; a survey without a role said takes `role` (the answering contact's).
fn new_entry(account_id: i64, input: &EntryInput, role: Option<ContactRole>) -> NewEntry {
    NewEntry {
        account_id,
        csm_id: None,
        kind: input.kind,
        day: input.day,
        score: input.score,
        channel: input.channel,
        title: input.title.as_ref().map(|t| t.trim().to_string()),
        closed_on: input.closed_on,
        note: input.note.trim().to_string(),
        role: input.role.or(role),
    }
}

/// Log an entry for an account.
pub fn log_entry(ctx: &mut Ctx, account_id: i64, input: &EntryInput) -> Result<Outcome> {
    log_entry_with(&mut ctx.seam(), account_id, input, &[])
}

/// Log an entry naming the people it was with (contacts of the account, by id).
/// Written through the storage seam: the same on a book file and a team book.
pub fn log_entry_with(ctx: &mut SeamCtx, account_id: i64, input: &EntryInput, with: &[i64]) -> Result<Outcome> {
    input.validate(ctx.today)?;
    // The same person named twice is one person.
    let mut with = with.to_vec();
    with.sort_unstable();
    with.dedup();
    let with = with.as_slice();
    let (names, role) = people(&*ctx.book, account_id, with, input)?;
    let entry = new_entry(account_id, input, role);
    // A day other than today is said, so a typed "-3d" or "last fri" is echoed as the day it named.
    let when = if input.day == ctx.today { String::new() } else { format!(" for {}", input.day.format("%a %Y-%m-%d")) };
    // The book's first bug changes what every account's bug count says: said, not only this one's.
    let first_bug = input.kind == crate::domain::entry::EntryKind::Bug && ctx.book.book_days()?.bugs_since.is_none();
    // An entry dated before the customer's start (from the sales cycle, or a typo) counts like
    // any other: said, so that a wrong day is seen.
    let before_start = match input.day == ctx.today {
        true => None,
        false => ctx.book.account(account_id)?.customer_since.filter(|s| input.day < *s),
    };
    // The same entry already logged that day (a form sent twice, a call logged from two
    // screens) is logged all the same, and said: a probe's double touch passed without a word.
    let twin = ctx.book.entries_for(account_id)?.iter().any(|e| {
        e.kind == input.kind
            && e.day == input.day
            && e.score == input.score
            && e.channel == input.channel
            && e.title.as_deref().unwrap_or("") == input.title.as_deref().unwrap_or("")
            && e.note == input.note
    });
    let result = ctx.change(account_id, &format!("{}{names} logged{when}", input.describe()), |t, rec| {
        let mut entry = entry;
        entry.csm_id = t.signer();
        let id = t.insert_entry(&entry)?;
        if !with.is_empty() {
            t.set_entry_contacts(id, with)?;
        }
        rec.record_in(t, Entity::Entry, id, ChangeAction::Add, None, None)
    });
    let result = result.map(|mut outcome| {
        if first_bug {
            outcome.message.push_str(
                "; the book's first bug: from now on no bug on an account with entries reads 0 in its \
                 Bugs escalated, which lifts no score (bugs only pull one down)",
            );
        }
        if twin {
            outcome.message.push_str("; the same as an entry already logged that day (undo takes this one back)");
        }
        if let Some(since) = before_start {
            // A note counts in no score: only its day is worth a word.
            let counted = if input.kind == EntryKind::Note { "" } else { ": counted all the same" };
            outcome
                .message
                .push_str(&format!("; dated before it became a customer ({}){counted}", since.format("%Y-%m-%d")));
        }
        outcome
    });
    said_not_yours(ctx, result, account_id, "logs")
}

/// A write the book's rules refused (another CSM's account, on a team book), in words: "Globex is
/// Ben Okafor's account: a CSM logs only on their own accounts (a lead on every one)".
pub(crate) fn said_not_yours(ctx: &SeamCtx, result: Result<Outcome>, account_id: i64, does: &str) -> Result<Outcome> {
    match result {
        Err(LogError::NotPermitted(_)) => Err(LogError::Refused(format!(
            "{}: a CSM {does} only on their own accounts (a lead on every one); nothing was changed",
            whose_account(&*ctx.book, account_id)?
        ))),
        other => other,
    }
}

/// "Globex is Ben Okafor's account", or "Wayne Enterprises has no CSM": for a write the book's
/// rules refused.
pub(crate) fn whose_account(book: &(impl BookRead + ?Sized), account_id: i64) -> Result<String> {
    Ok(whose(&book.account_name(account_id)?, book.account_csm_name(account_id)?.as_deref()))
}

/// "Acme is Maya's account", or "Acme has no CSM".
pub(crate) fn whose(account: &str, csm: Option<&str>) -> String {
    match csm {
        Some(csm) => format!("{} is {}'s account", clean(account), clean(csm)),
        None => format!("{} has no CSM", clean(account)),
    }
}

/// " with Ana Ruiz, Bo Lee" for contacts of the account, and for a survey the role of the first
/// who has one (a response from the sponsor is the sponsor's); one of another account, or someone
/// who had left by the entry's day, is refused.
fn people(
    book: &(impl BookRead + ?Sized),
    account_id: i64,
    with: &[i64],
    input: &EntryInput,
) -> Result<(String, Option<ContactRole>)> {
    let (mut names, mut role) = (Vec::new(), None);
    for id in with {
        match book.contact(*id)? {
            Some(c) if c.account_id == account_id => {
                if let Some(left) = c.left_on.filter(|l| *l <= input.day) {
                    let what = if input.kind.is_survey() { "response" } else { input.kind.key() };
                    return Err(LogError::Refused(format!(
                        "{} left on {}: a {what} on {} was with someone else",
                        clean(&c.name),
                        left.format("%a %Y-%m-%d"),
                        input.day.format("%a %Y-%m-%d")
                    )));
                }
                if input.kind.is_survey() {
                    role = role.or(c.role);
                }
                names.push(clean(&c.name))
            }
            _ => return Err(LogError::Refused(format!("contact {id} is not one of this account's people"))),
        }
    }
    let with = match (names.is_empty(), input.kind.is_survey()) {
        (true, _) => String::new(),
        (false, true) => format!(" from {}", names.join(", ")),
        (false, false) => format!(" with {}", names.join(", ")),
    };
    Ok((with, role))
}

/// Change an entry and the people it was with.
pub fn edit_entry_with(ctx: &mut SeamCtx, entry_id: i64, input: &EntryInput, with: &[i64]) -> Result<Outcome> {
    change_entry(ctx, entry_id, input, with, &format!("{} edited", input.describe()))
}

/// `edit_entry_with`, said as `what`.
fn change_entry(ctx: &mut SeamCtx, entry_id: i64, input: &EntryInput, with: &[i64], what: &str) -> Result<Outcome> {
    input.validate(ctx.today)?;
    let account_id = ctx.account_for(Entity::Entry, entry_id)?;
    let (_, role) = people(&*ctx.book, account_id, with, input)?;
    let entry = new_entry(account_id, input, role);
    let result = ctx.change(account_id, what, |t, rec| {
        let before = t.row_json(Entity::Entry, entry_id)?;
        t.update_entry(entry_id, &entry)?;
        t.set_entry_contacts(entry_id, with)?;
        rec.record_in(t, Entity::Entry, entry_id, ChangeAction::Edit, None, Some(&before))
    });
    said_not_yours(ctx, result, account_id, "changes entries")
}

/// Change an entry (its kind stays what it was).
pub fn edit_entry(ctx: &mut SeamCtx, entry_id: i64, input: &EntryInput) -> Result<Outcome> {
    input.validate(ctx.today)?;
    let account_id = ctx.account_for(Entity::Entry, entry_id)?;
    let entry = new_entry(account_id, input, None);
    let result = ctx.change(account_id, &format!("{} edited", input.describe()), |t, rec| {
        let before = t.row_json(Entity::Entry, entry_id)?;
        t.update_entry(entry_id, &entry)?;
        rec.record_in(t, Entity::Entry, entry_id, ChangeAction::Edit, None, Some(&before))
    });
    said_not_yours(ctx, result, account_id, "changes entries")
}

/// Close a bug or clear a risk flag of an account on `day`: its only one open, or the one `what`
/// names (its id, or words of its title). Refused, naming them, when several are open and none is
/// named; one already closed says when. A probe found no way but the screens to clear a risk.
pub fn close_entry(ctx: &mut SeamCtx, account_id: i64, what: Option<&str>, day: NaiveDate) -> Result<Outcome> {
    let name = clean(&ctx.book.account(account_id)?.name);
    let flags: Vec<EntryRecord> = ctx
        .book
        .entries_for(account_id)?
        .into_iter()
        .filter(|e| matches!(e.kind, EntryKind::Bug | EntryKind::Risk))
        .collect();
    let said = |e: &EntryRecord| {
        format!("{} {} \"{}\" (opened {})", e.kind.key(), e.id, clean(e.title.as_deref().unwrap_or_default()), e.day)
    };
    let words: Vec<String> = what.map(|w| w.split_whitespace().map(str::to_lowercase).collect()).unwrap_or_default();
    let by_id = what.and_then(|w| w.trim().parse::<i64>().ok()).filter(|id| flags.iter().any(|e| e.id == *id));
    let named: Vec<&EntryRecord> = flags
        .iter()
        .filter(|e| match by_id {
            Some(id) => e.id == id,
            None => {
                let title = e.title.as_deref().unwrap_or_default().to_lowercase();
                words.iter().all(|w| title.contains(w.as_str()))
            }
        })
        .collect();
    let open: Vec<&&EntryRecord> = named.iter().filter(|e| e.closed_on.is_none()).collect();
    let entry = match (open.as_slice(), named.as_slice()) {
        ([one], _) => **one,
        ([], []) if what.is_some() => {
            return Err(LogError::Refused(format!(
                "no bug or risk of {name} is \"{}\" ({}); `tend log list {name}` lists its entries",
                clean(what.unwrap_or_default()),
                match flags.iter().filter(|e| e.closed_on.is_none()).map(said).collect::<Vec<_>>() {
                    open if open.is_empty() => "none is open".to_string(),
                    open => format!("open: {}", open.join(", ")),
                }
            )));
        }
        ([], []) => return Err(LogError::Refused(format!("{name} has no bug or risk open"))),
        ([], closed) => {
            let closed: Vec<String> = closed
                .iter()
                .map(|e| {
                    let closed = e.closed_on.map(|d| d.to_string()).unwrap_or_default();
                    format!("{}, {} {closed}", said(e), closed_verb(e.kind))
                })
                .collect();
            return Err(LogError::Refused(format!("nothing to close: {}", closed.join("; "))));
        }
        (several, _) => {
            let several: Vec<String> = several.iter().map(|e| said(e)).collect();
            return Err(LogError::Refused(format!(
                "{} are open on {name}: {}; name one by its id or words",
                several.len(),
                several.join(", ")
            )));
        }
    };
    close_one(ctx, entry, day)
}

/// Close the bug or clear the risk `entry_id` on `day` (`x` on the Timeline); any other entry, or
/// one already closed, is refused with what `x` does.
pub fn close_entry_by_id(ctx: &mut SeamCtx, entry_id: i64, day: NaiveDate) -> Result<Outcome> {
    let entry = ctx.book.entry(entry_id)?.ok_or(LogError::NotFound { entity: "entry", id: entry_id })?;
    match (entry.kind, entry.closed_on) {
        (EntryKind::Bug | EntryKind::Risk, None) => close_one(ctx, &entry, day),
        (EntryKind::Bug | EntryKind::Risk, Some(closed)) => {
            Err(LogError::Refused(format!("already {} on {closed}", closed_verb(entry.kind))))
        }
        _ => Err(LogError::Refused(
            "x closes a bug or clears a risk; a touch, a sentiment, a survey or a note is not closed".into(),
        )),
    }
}

/// What closing does to a bug (closed) or a risk (cleared).
fn closed_verb(kind: EntryKind) -> &'static str {
    if kind == EntryKind::Bug { "closed" } else { "cleared" }
}

/// Close one open bug or risk on `day`.
fn close_one(ctx: &mut SeamCtx, entry: &EntryRecord, day: NaiveDate) -> Result<Outcome> {
    if day < entry.day {
        return Err(FieldError::new("date", format!("{day} is before it was opened, on {}", entry.day)).into());
    }
    let mut input = EntryInput::new(entry.kind, entry.day);
    input.title = entry.title.clone();
    input.note = entry.note.clone();
    input.role = entry.role;
    input.closed_on = Some(day);
    let title = clean(entry.title.as_deref().unwrap_or_default());
    let what = format!("{}: {title} {} on {day}", entry.kind.key(), closed_verb(entry.kind));
    change_entry(ctx, entry.id, &input, &entry.with, &what)
}

/// Delete an entry, goal or milestone. It stays in the book, marked deleted, so undo brings it back.
pub fn delete(ctx: &mut SeamCtx, entity: Entity, id: i64) -> Result<Outcome> {
    // A task is no fact of health (no score to report).
    if entity == Entity::Task {
        return super::tasks::delete_task(ctx, id);
    }
    if entity == Entity::Contact {
        return super::contacts::delete_contact(ctx, id);
    }
    // What is deleted, in words (and a row already deleted is not found: deleting it again would
    // record a change that changed nothing).
    let gone = || LogError::NotFound { entity: entity.key(), id };
    let what = match entity {
        Entity::Entry => {
            let e = ctx.book.entry(id)?.ok_or_else(gone)?;
            let input = EntryInput {
                score: e.score,
                channel: e.channel,
                title: e.title,
                closed_on: e.closed_on,
                // A note is named by its words (it read `note ""` without them).
                note: e.note,
                ..EntryInput::new(e.kind, e.day)
            };
            format!("{} of {}", input.describe(), e.day.format("%a %Y-%m-%d"))
        }
        Entity::Goal => format!("goal \"{}\"", ctx.book.goal(id)?.ok_or_else(gone)?.words),
        Entity::Milestone => format!("milestone \"{}\"", ctx.book.milestone(id)?.ok_or_else(gone)?.name),
        other => other.key().replace('_', " "),
    };
    let account_id = ctx.account_for(entity, id)?;
    let result = ctx.change(account_id, &format!("{what} deleted"), |t, rec| {
        let before = t.row_json(entity, id)?;
        t.soft_delete(entity, id)?;
        rec.record_in(t, entity, id, ChangeAction::Delete, None, Some(&before))
    });
    let does = match entity {
        Entity::Entry => "deletes entries".to_string(),
        other => format!("deletes {}s", other.key().replace('_', " ")),
    };
    said_not_yours(ctx, result, account_id, &does)
}

fn new_goal(account_id: i64, input: &GoalInput) -> NewGoal {
    NewGoal {
        account_id,
        csm_id: None,
        words: input.words.trim().to_string(),
        measure: input.measure.trim().to_string(),
        target_date: input.target_date,
        owner: input.owner,
        status: input.status,
        created_on: input.day,
        note: String::new(),
    }
}

pub fn add_goal(ctx: &mut SeamCtx, account_id: i64, input: &GoalInput) -> Result<Outcome> {
    input.validate(ctx.today)?;
    let is_open = |s: crate::domain::goal::GoalStatus| {
        !matches!(s, crate::domain::goal::GoalStatus::Achieved | crate::domain::goal::GoalStatus::Dropped)
    };
    // An open goal set with its target already behind it is late the day it is set: a probe's
    // "q1 2026" typed in December (meaning the coming Q1) was taken without a word. Editing a goal
    // whose target has since passed stays allowed.
    if let Some(target) = input.target_date.filter(|t| *t < input.day && is_open(input.status)) {
        return Err(FieldError::new(
            "target",
            format!(
                "{} is before the goal is set ({}): an open goal aims at a day ahead; set it achieved or dropped if it is over",
                target.format("%a %Y-%m-%d"),
                input.day
            ),
        )
        .into());
    }
    let goal = new_goal(account_id, input);
    // The same goal twice (a command run again) is two goals no name could tell apart: `goal
    // status "roll out"` was then refused as "could be more than one goal" for good.
    let open = |g: &&crate::store::GoalRecord| is_open(g.status);
    let goals = ctx.book.goals_for(account_id)?;
    if let Some(twin) = goals.iter().filter(open).find(|g| super::tasks::same_title(&g.words, &goal.words)) {
        return Err(LogError::Refused(format!(
            "goal {} (\"{}\") is already set on this account, {}: change its status or words, rather than set it again",
            twin.id,
            clean(&twin.words),
            twin.status.label()
        )));
    }
    // The day a typed "mar 31" named, said as a task's due day is.
    let by = input.target_date.map_or(String::new(), |d| format!(", by {}", d.format("%a %Y-%m-%d")));
    let result = ctx.change(account_id, &format!("goal set ({}{by})", input.status.label()), |t, rec| {
        let mut goal = goal;
        goal.csm_id = t.signer();
        let id = t.insert_goal(&goal)?;
        rec.record_in(t, Entity::Goal, id, ChangeAction::Add, None, None)
    });
    said_not_yours(ctx, result, account_id, "sets goals")
}

/// Change a goal's words, measure, target or owner, and its status if that differs (kept in its
/// history as of `input.day`).
pub fn edit_goal(ctx: &mut SeamCtx, goal_id: i64, input: &GoalInput) -> Result<Outcome> {
    input.validate(ctx.today)?;
    let account_id = ctx.account_for(Entity::Goal, goal_id)?;
    let current = ctx.book.goal(goal_id)?.ok_or(LogError::NotFound { entity: "goal", id: goal_id })?;
    let goal = new_goal(account_id, input);
    let status_changed = current.status != input.status;
    let what = if status_changed { format!("goal now {}", input.status.label()) } else { "goal edited".into() };
    let today = ctx.today;
    let result = ctx.change(account_id, &what, |t, rec| {
        let before = t.row_json(Entity::Goal, goal_id)?;
        t.update_goal(goal_id, &goal)?;
        rec.record_in(t, Entity::Goal, goal_id, ChangeAction::Edit, None, Some(&before))?;
        if status_changed {
            let before = t.row_json(Entity::Goal, goal_id)?;
            let signer = t.signer();
            let detail = t.set_goal_status(goal_id, goal.status, today, "", signer)?;
            rec.record_in(t, Entity::Goal, goal_id, ChangeAction::Status, Some(detail), Some(&before))?;
        }
        Ok(())
    });
    said_not_yours(ctx, result, account_id, "changes goals")
}

/// Record a goal's new status on `day`, with an optional note.
pub fn set_goal_status(
    ctx: &mut SeamCtx,
    goal_id: i64,
    status: crate::domain::goal::GoalStatus,
    day: NaiveDate,
    note: &str,
) -> Result<Outcome> {
    if day > ctx.today {
        return Err(FieldError::new("date", format!("{day} is in the future (today is {})", ctx.today)).into());
    }
    let account_id = ctx.account_for(Entity::Goal, goal_id)?;
    let goal = ctx.book.goal(goal_id)?.ok_or(LogError::NotFound { entity: "goal", id: goal_id })?;
    // A goal's history starts the day it was set: a status before it would rewrite that.
    if day < goal.created_on {
        return Err(FieldError::new(
            "date",
            format!("{day} is before the goal was set ({}); a status starts on or after it", goal.created_on),
        )
        .into());
    }
    let note = note.trim().to_string();
    // The same status again, with nothing to add, would be a second "now off track" in the
    // timeline for one change: refused, as any other change to nothing.
    if goal.status == status && note.is_empty() {
        return Err(LogError::Refused(format!(
            "nothing to change: goal \"{}\" is already {} (--note adds a note to it)",
            clean(&goal.words),
            status.label()
        )));
    }
    let result = ctx.change(account_id, &format!("goal now {}", status.label()), |t, rec| {
        let before = t.row_json(Entity::Goal, goal_id)?;
        let signer = t.signer();
        let detail = t.set_goal_status(goal_id, status, day, &note, signer)?;
        rec.record_in(t, Entity::Goal, goal_id, ChangeAction::Status, Some(detail), Some(&before))
    });
    said_not_yours(ctx, result, account_id, "changes goals")
}

fn new_milestone(account_id: i64, input: &MilestoneInput) -> NewMilestone {
    NewMilestone {
        account_id,
        csm_id: None,
        journey: input.journey.clone(),
        name: input.name.trim().to_string(),
        due: input.due,
        done: input.done,
        note: input.note.trim().to_string(),
    }
}

pub fn add_milestone(ctx: &mut SeamCtx, account_id: i64, input: &MilestoneInput) -> Result<Outcome> {
    input.validate(ctx.today)?;
    let milestone = new_milestone(account_id, input);
    // The same milestone twice (a form saved again, a command run twice) is one on the journey.
    if let Some(same) = ctx.book.milestones_for(account_id)?.into_iter().find(|m| {
        m.journey == milestone.journey && m.due == milestone.due && m.name.eq_ignore_ascii_case(&milestone.name)
    }) {
        return Err(LogError::Refused(format!(
            "milestone {} \"{}\" is already planned for {}: nothing was added (edit it to change it)",
            same.id,
            clean(&same.name),
            same.due.format("%a %Y-%m-%d")
        )));
    }
    let result = ctx.change(
        account_id,
        &format!("milestone \"{}\" added, due {}", milestone.name, milestone.due.format("%a %Y-%m-%d")),
        |t, rec| {
            let mut m = milestone;
            m.csm_id = t.signer();
            let id = t.insert_milestone(&m)?;
            rec.record_in(t, Entity::Milestone, id, ChangeAction::Add, None, None)
        },
    );
    said_not_yours(ctx, result, account_id, "writes milestones")
}

pub fn edit_milestone(ctx: &mut SeamCtx, milestone_id: i64, input: &MilestoneInput) -> Result<Outcome> {
    let summary = format!("milestone \"{}\" edited", input.name.trim());
    change_milestone(ctx, milestone_id, input, &summary)
}

fn change_milestone(ctx: &mut SeamCtx, milestone_id: i64, input: &MilestoneInput, summary: &str) -> Result<Outcome> {
    input.validate(ctx.today)?;
    let account_id = ctx.account_for(Entity::Milestone, milestone_id)?;
    let milestone = new_milestone(account_id, input);
    let result = ctx.change(account_id, summary, |t, rec| {
        let before = t.row_json(Entity::Milestone, milestone_id)?;
        t.update_milestone(milestone_id, &milestone)?;
        rec.record_in(t, Entity::Milestone, milestone_id, ChangeAction::Edit, None, Some(&before))
    });
    said_not_yours(ctx, result, account_id, "writes milestones")
}

/// Mark a milestone done on `day`.
///
/// A milestone already done keeps its day unless `force`: marking it done again is refused with
/// the day it was done, never a silent move of the date. A note given is added after the
/// milestone's own (which is kept).
pub fn milestone_done(
    ctx: &mut SeamCtx,
    milestone_id: i64,
    day: NaiveDate,
    force: bool,
    note: Option<&str>,
) -> Result<Outcome> {
    let m = ctx.book.milestone(milestone_id)?.ok_or(LogError::NotFound { entity: "milestone", id: milestone_id })?;
    if let Some(done) = m.done.filter(|_| !force) {
        return Err(LogError::AlreadyDone { id: milestone_id, name: crate::text::clean(&m.name), done });
    }
    let summary = format!("milestone \"{}\" done {}", m.name, day.format("%a %Y-%m-%d"));
    let note = match note.map(str::trim).filter(|n| !n.is_empty()) {
        Some(new) if m.note.trim().is_empty() => new.to_string(),
        Some(new) if !m.note.contains(new) => format!("{} · {new}", m.note.trim_end()),
        _ => m.note,
    };
    let input = MilestoneInput { journey: m.journey, name: m.name, due: m.due, done: Some(day), note };
    change_milestone(ctx, milestone_id, &input, &summary)
}

/// Plan a journey's milestones for an account from its template; milestones of that journey the
/// account already has (by name) are left as they are. Milestones whose due day has passed are
/// planned only with `include_past`; otherwise they are refused by name when nothing is ahead,
/// and named in the outcome when some are.
pub fn apply_journey(ctx: &mut SeamCtx, account_id: i64, journey: &str, include_past: bool) -> Result<Outcome> {
    let template = ctx.config.journeys.templates.get(journey).ok_or_else(|| {
        LogError::Refused(format!(
            "no template for the {journey} journey in the config ([journeys.templates.{journey}])"
        ))
    })?;
    let account = ctx.book.account(account_id)?;
    // A churned customer has no journey ahead: its milestones would read overdue in the lists
    // while its Journey tab says they are no longer due.
    if account.status == crate::domain::AccountStatus::Churned {
        return Err(LogError::Refused(format!(
            "{} churned{}: no journey is planned for a churned account (`tend reactivate` makes it a customer again)",
            clean(&account.name),
            account.churned_on.map_or(String::new(), |d| format!(" on {d}"))
        )));
    }
    let planned = journey::plan(template, account.customer_since, account.renewal_date).map_err(|reason| {
        // Named: "the account has no renewal date" left a probe to find which.
        let fix = match template.anchor {
            journey::Anchor::Renewal => " (an accounts file with its renewal date gives it one)",
            journey::Anchor::Start => "",
        };
        LogError::Refused(format!("cannot plan the {journey} journey for {}: {reason}{fix}", clean(&account.name)))
    })?;
    let existing: Vec<String> =
        ctx.book.milestones_for(account_id)?.into_iter().filter(|m| m.journey == journey).map(|m| m.name).collect();
    let planned = planned.into_iter().filter(|(name, _)| !existing.contains(name)).collect();
    let split = journey::split_plan(planned, ctx.today, account.customer_since);
    let past: Vec<String> = split.past.iter().map(|(name, due)| format!("{name} (due {due})")).collect();
    let mut new = split.ahead;
    if include_past {
        new.extend(split.past);
        new.sort_by_key(|(_, due)| *due);
    } else if new.is_empty() && !past.is_empty() {
        return Err(LogError::Refused(format!(
            "every milestone of the {journey} journey left for {} is already past: {}; --include-past plans them as overdue",
            clean(&account.name),
            past.join(", ")
        )));
    }
    if new.is_empty() {
        return Err(LogError::Refused(format!(
            "{} already has every milestone of the {journey} journey",
            clean(&account.name)
        )));
    }
    let s = if new.len() == 1 { "" } else { "s" };
    let mut what = format!("{journey} journey planned ({} milestone{s})", new.len());
    if !include_past && !past.is_empty() {
        what.push_str(&format!("; already past, not planned: {} (--include-past plans them)", past.join(", ")));
    }
    let journey = journey.to_string();
    let result = ctx.change(account_id, &what, |t, rec| {
        for (name, due) in new {
            let m = NewMilestone {
                account_id,
                csm_id: t.signer(),
                journey: journey.clone(),
                name,
                due,
                done: None,
                note: String::new(),
            };
            let id = t.insert_milestone(&m)?;
            rec.record_in(t, Entity::Milestone, id, ChangeAction::Add, None, None)?;
        }
        Ok(())
    });
    said_not_yours(ctx, result, account_id, "plans journeys")
}

/// Undo the session's last change (all of it, if it was several at once). None: nothing to undo.
pub fn undo(ctx: &mut Ctx) -> Result<Option<Outcome>> {
    let changes = ctx.store.last_undoable(ctx.session)?;
    if changes.is_empty() {
        return Ok(None);
    }
    super::undo_seam::undo_changes(&mut ctx.seam(), changes).map(Some)
}

/// Undo one earlier change, by its number (as `tend undo --list` shows it). Refused when a later
/// change to the same row stands: undoing this one under it would throw that one away.
pub fn undo_numbered(ctx: &mut Ctx, number: i64) -> Result<Outcome> {
    let gone =
        || LogError::Refused(format!("no change numbered {number} is left to undo (`tend undo --list` lists them)"));
    let batch = ctx.store.batch_of(number)?.ok_or_else(gone)?;
    let changes = ctx.store.batch_changes(&batch)?;
    super::undo_seam::undo_changes(&mut ctx.seam(), changes)
}
