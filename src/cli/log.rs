//! `tend log`, `tend goal`, `tend milestone`, `tend journey`: the same writes the TUI makes.

use chrono::NaiveDate;
use color_eyre::Result;
use color_eyre::eyre::{bail, eyre};

use super::{Command, Format, GoalCommand, JourneyCommand, LogCommand, MilestoneCommand};
use crate::book::log::{self, Ctx, LogError, SeamCtx};
use crate::book::resolve::resolve_account;
use crate::book::storage::{Book, BookRead};
use crate::config::Config;
use crate::domain::contact::ContactRole;
use crate::domain::entry::{EntryKind, TouchChannel};
use crate::domain::goal::{GoalStatus, OwnerSide};
use crate::domain::input::{EntryInput, FieldError, GoalInput, MilestoneInput, parse_day, parse_past_day};
use crate::domain::journey::Journey;
use crate::rows;
use crate::store::Store;
use crate::store::log::{Entity, Named};
use crate::text::clean;

/// `--by` as the CSM it names (any case, or the unique start of a name): a typo is refused with
/// the closest names rather than signing the entry with somebody who does not exist; `--new-csm`
/// adds a CSM of that name.
pub(super) fn signer(store: &(impl BookRead + ?Sized), by: &Option<String>, new_csm: bool) -> Result<Option<String>> {
    signer_of(store, by, new_csm, "; --new-csm signs as a new CSM of that name")
}

/// `signer` for a command without `--new-csm`: a name the book does not have is refused.
pub(super) fn known_signer(store: &(impl BookRead + ?Sized), by: &Option<String>) -> Result<Option<String>> {
    signer_of(store, by, false, "")
}

fn signer_of(
    store: &(impl BookRead + ?Sized),
    by: &Option<String>,
    new_csm: bool,
    hint: &str,
) -> Result<Option<String>> {
    match by {
        Some(name) if !new_csm => {
            let csms = store.csms()?;
            let name = crate::book::resolve::resolve_name("CSM", name, csms.iter().map(|(_, n)| n.as_str()))
                .map_err(|e| eyre!("--by: {e}{hint}"))?;
            Ok(Some(name))
        }
        other => Ok(other.clone()),
    }
}

/// The day something happened, today unless given.
pub(super) fn day_or(today: NaiveDate, field: &'static str, text: Option<&str>) -> Result<NaiveDate, FieldError> {
    text.map_or(Ok(today), |t| parse_past_day(field, t, today))
}

/// The day something happened, if given.
fn optional_past_day(
    today: NaiveDate,
    field: &'static str,
    text: Option<&str>,
) -> Result<Option<NaiveDate>, FieldError> {
    text.map(|t| parse_past_day(field, t, today)).transpose()
}

fn one_of<T: Copy>(
    field: &'static str,
    text: &str,
    parse: fn(&str) -> Option<T>,
    keys: &[&str],
) -> Result<T, FieldError> {
    parse(text).ok_or_else(|| FieldError::new(field, format!("\"{}\" is not one of {}", clean(text), keys.join(", "))))
}

/// An account's new ARR as people write it, in its currency (`contracts::arr_for`).
fn arr_of(book: &(impl BookRead + ?Sized), account_id: i64, text: &str) -> Result<crate::domain::Cents> {
    Ok(crate::book::contracts::arr_for(&book.account(account_id)?, text)?)
}

fn goal_status(text: &str) -> Result<GoalStatus, FieldError> {
    let keys: Vec<&str> = GoalStatus::ALL.iter().map(|s| s.key()).collect();
    one_of("status", text, GoalStatus::from_key, &keys)
}

/// A journey the config defines, by the one rule for names.
fn journey(config: &Config, text: &str) -> Result<Journey, FieldError> {
    use crate::book::resolve::{NameError, resolve_name};
    resolve_name("journey", text, config.journeys.names()).map_err(|e| match e {
        NameError::Unknown { query, suggestions, .. } => {
            let known: Vec<&str> = config.journeys.names().collect();
            let hint = suggestions.first().map(|s| format!("; did you mean {s}?")).unwrap_or_default();
            FieldError::new(
                "journey",
                format!("\"{query}\" is not a journey of the config ({}){hint}", known.join(", ")),
            )
        }
        ambiguous => FieldError::new("journey", ambiguous.to_string()),
    })
}

/// A goal or milestone argument: an id, or words among `--account`'s or the book's.
pub(super) fn named(store: &(impl BookRead + ?Sized), what: Named, query: &str, account: Option<&str>) -> Result<i64> {
    let account_id = account.map(|a| resolve_account(store, a)).transpose()?;
    Ok(crate::book::resolve::resolve_named(store, what, query, account_id)?)
}

/// Whether a command that signs what it writes (an entry, a renewal, a churn, a return, a band
/// override) was given no `--by`: without `me` in the config it is signed as the account's CSM,
/// which is then said.
fn signed_by_default(command: &Command) -> bool {
    let by = match command {
        Command::Log { entry } => match entry {
            LogCommand::Sentiment { logged, .. }
            | LogCommand::Touch { logged, .. }
            | LogCommand::Bug { logged, .. }
            | LogCommand::Risk { logged, .. } => &logged.signed.by,
            LogCommand::Note { signed, .. } => &signed.by,
            LogCommand::Nps(survey) | LogCommand::Csat(survey) | LogCommand::Ces(survey) => &survey.logged.signed.by,
            LogCommand::List { .. } | LogCommand::Delete { .. } | LogCommand::Close { .. } => return false,
        },
        Command::Renew { by, .. }
        | Command::Churn { by, .. }
        | Command::Reactivate { by, .. }
        | Command::Override { by, .. } => by,
        _ => return false,
    };
    by.is_none()
}

pub fn run(command: Command, store: &mut Store, config: &Config, today: NaiveDate) -> Result<()> {
    let session = log::new_session("cli");
    let by_default = config.me().is_none() && signed_by_default(&command);
    let outcome = match command {
        Command::Log { entry: LogCommand::List { account, format } } => {
            return list_timeline(store, config, &account, format, today);
        }
        command @ (Command::Log { entry: LogCommand::Delete { .. } | LogCommand::Close { .. } }
        | Command::Goal { action: GoalCommand::Delete { .. } }
        | Command::Milestone {
            action: MilestoneCommand::Add { .. } | MilestoneCommand::Done { .. } | MilestoneCommand::Delete { .. },
        }
        | Command::Journey { .. }
        | Command::Renew { .. }
        | Command::Churn { .. }
        | Command::Reactivate { .. }
        | Command::Assign { .. }
        | Command::Handover { .. }) => seam_command(command, store, config, &session, today)?,
        Command::Undo { list: true, limit, format, .. } => {
            // Every change left to undo, the screens' too (`tend undo N` takes any back; a
            // probe's sentiment, touch and goal logged on the screens were not on the list), and
            // first the import `tend undo` takes back as the book's last write (the list read
            // "nothing to undo", and `tend undo` then took a whole import back).
            let import = store.undoable_import()?;
            return list_undoable(store, ("", "cli-"), import, limit, format);
        }
        Command::Undo { number: Some(number), .. } => {
            log::undo_numbered(&mut ctx(store, config, &session, today, &None), number)?
        }
        Command::Undo { .. } => {
            // Each command is a session of its own: the last one of the command line is undone.
            let undone = match store.last_session_like("cli-")? {
                Some(last) => log::undo(&mut ctx(store, config, &last, today, &None))?,
                None => None,
            };
            match undone {
                Some(outcome) => outcome,
                None => {
                    // Changes made on the screens are undone by number: said where there are
                    // some (a probe read "nothing to undo" beside five on `--list`).
                    match store.undoable_batches("", 1)?.first() {
                        None => bail!("nothing to undo: no change made from the command line is left to undo"),
                        Some(newest) => bail!(
                            "nothing to undo from the command line; the newest change left to undo, made from the \
                             {}, is {}: `tend undo {1}` takes it back, and `tend undo --list` lists every one",
                            newest.made_from(),
                            newest.number
                        ),
                    }
                }
            }
        }
        Command::Log { entry } => log_command(entry, store, config, &session, today)?,
        Command::Goal { action: action @ (GoalCommand::Add { .. } | GoalCommand::Status { .. }) } => {
            goal_command(action, store, config, &session, today)?
        }
        Command::Goal { action: GoalCommand::List(super::Listed { account, format }) } => {
            return list_goals(store, account.as_deref(), format, today);
        }
        Command::Milestone { action: MilestoneCommand::List(super::Listed { account, format }) } => {
            return list_milestones(store, account.as_deref(), format, today);
        }
        command @ Command::Override { .. } => override_command(command, store, config, &session, today)?,
        Command::Task { action } => match super::task::run(action, store, config, &session, today)? {
            Some(outcome) => outcome,
            None => return Ok(()),
        },
        Command::Contact { action } => match super::contact::run(action, store, config, &session, today)? {
            Some(outcome) => outcome,
            None => return Ok(()),
        },
        _ => bail!("not a logging command"),
    };
    let run = crate::book::playbooks::after_write(store, config, &session, today, &outcome)?;
    // Signed as the account's CSM, as the screens say on a session's first entry: a lead logging
    // for a CSM's account otherwise finds the CSM's name on it with no word of why.
    let signed = match by_default {
        true => match store.account(outcome.account_id)?.csm {
            Some(csm) => format!(" (signed as {}, its CSM; --by or me in the config signs as you)", clean(&csm)),
            None => " (signed as no one: the account has no CSM; --by signs as you)".to_string(),
        },
        false => String::new(),
    };
    match run.after_write_note(config, today) {
        Some(fired) => super::emit(format!("{}{signed}; {fired}", outcome.message)),
        None => super::emit(format!("{}{signed}", outcome.message)),
    }
    Ok(())
}

pub(super) fn ctx<'a>(
    store: &'a mut Store,
    config: &'a Config,
    session: &'a str,
    today: NaiveDate,
    by: &'a Option<String>,
) -> Ctx<'a> {
    Ctx { store, config, session, today, by: by.as_deref() }
}

fn accounts_for(store: &(impl BookRead + ?Sized), account: Option<&str>) -> Result<Vec<(i64, String)>> {
    match account {
        Some(query) => {
            let id = resolve_account(store, query).map_err(|e| LogError::Refused(e.to_string()))?;
            Ok(vec![(id, crate::book::names::spoken_name(store, id)?)])
        }
        None => {
            let mut apart = crate::book::names::told_apart_names(store)?;
            Ok(store
                .account_names()?
                .into_iter()
                .map(|(id, name)| (id, apart.remove(&id).unwrap_or_else(|| clean(&name))))
                .collect())
        }
    }
}

/// A change's stamp (UTC, RFC 3339) in local time as lists show it: "Mon 2026-11-23 09:15".
pub(super) fn local_time(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&chrono::Local).format("%a %Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| at.to_string())
}

/// The changes that can be undone of sessions starting with `prefix`, newest first, with where
/// each was made: the number `tend undo N` takes. The table and Markdown say under the list which
/// one a plain `tend undo` takes: the pending import, else the newest of the sessions starting
/// with `plain` (a book file's: the command line's, not the screens'; a probe's list did not say
/// why `tend undo` skipped the sentiment logged on the screens a minute after).
pub(super) fn list_undoable(
    store: &(impl BookRead + ?Sized),
    (prefix, plain): (&str, &str),
    import: Option<crate::store::import_copy::LastImport>,
    limit: usize,
    format: Format,
) -> Result<()> {
    // An import has no number: `tend undo --import` takes it back whole, `tend undo` too while
    // it is the book's last write.
    let import = import.map(|last| {
        vec![
            rows::shown("number", serde_json::Value::Null, "import"),
            rows::shown("at", serde_json::Value::String(last.at.clone()), local_time(&last.at)),
            rows::text("from", Some("an import")),
            rows::text("account", None::<String>),
            rows::text(
                "change",
                Some(format!(
                    "the import of {}: `tend undo --import` takes it back whole (`tend undo` too, as the book's last write)",
                    last.what
                )),
            ),
        ]
    });
    let batches = store.undoable_batches(prefix, limit)?;
    let plain_takes = match (&import, batches.iter().find(|b| b.session.starts_with(plain))) {
        (Some(_), _) => "`tend undo` takes the import back".to_string(),
        (None, Some(b)) => {
            let newest = if plain.starts_with("cli") { "the newest from the command line" } else { "your newest" };
            // A later change to the same row (made on the screens) stands on it: said, as the
            // undo would refuse it (a probe was told "takes 10", and `tend undo` refused).
            let batch = store.batch_of(b.number)?.unwrap_or_default();
            let standing = crate::book::undo_seam::standing_on(store, &store.batch_changes(&batch)?)?;
            match standing {
                Some(later) => format!(
                    "`tend undo` takes {} ({newest}) once {}, a later change to the same {}, is undone \
                     (`tend undo {1}`)",
                    b.number, later.number, later.what
                ),
                None => format!("`tend undo` takes {} ({newest}); `tend undo N` takes any", b.number),
            }
        }
        (None, None) if plain.starts_with("cli") => {
            "`tend undo` takes none of these: none was made from the command line (`tend undo N` takes any)".to_string()
        }
        (None, None) => "`tend undo` takes none of these (`tend undo N` takes any)".to_string(),
    };
    let list: Vec<Vec<_>> = batches
        .into_iter()
        .map(|b| {
            // Shown in local time, kept in UTC for scripts.
            let local = local_time(&b.at);
            // A name another account has too is said with the external id, as the lists say it.
            // A change of several accounts at once (a hand-over) is said as their count.
            let account = match b.account_id {
                _ if b.accounts > 1 => Some(format!("{} accounts", b.accounts)),
                Some(id) => Some(crate::book::names::spoken_name(store, id)?),
                None => b.account.clone(),
            };
            Ok(vec![
                rows::number("number", Some(b.number)),
                rows::shown("at", serde_json::Value::String(b.at.clone()), local),
                rows::text("from", Some(b.made_from())),
                rows::text("account", account),
                rows::text("change", Some(b.summary)),
            ])
        })
        .collect::<Result<_>>()?;
    let list: Vec<Vec<_>> = import.into_iter().chain(list).collect();
    rows::print_list(
        format,
        &["number", "at", "from", "account", "change"],
        &list,
        "nothing to undo: no change is left to undo",
    )?;
    if !list.is_empty() && matches!(format, Format::Table | Format::Md) {
        super::emit(format!("\n{plain_takes}."));
    }
    Ok(())
}

/// What a list shows of `accounts`, by account: one account's read alone (`one`), every
/// account's at once (`all`: one read on a team book, not one per account).
fn of_accounts<T>(
    accounts: &[(i64, String)],
    account: Option<&str>,
    one: impl Fn(i64) -> Result<Vec<T>, crate::book::storage::BookError>,
    all: impl FnOnce() -> Result<std::collections::HashMap<i64, Vec<T>>, crate::book::storage::BookError>,
) -> Result<std::collections::HashMap<i64, Vec<T>>> {
    match account {
        Some(_) => accounts.iter().map(|(id, _)| Ok((*id, one(*id)?))).collect(),
        None => Ok(all()?),
    }
}

/// `tend goal list`, on a book file or a team book. A goal still open (on track or at risk) past
/// its target day says so beside the day: a probe's "Go live" read on track a week after it.
pub fn list_goals(
    store: &(impl BookRead + ?Sized),
    account: Option<&str>,
    format: Format,
    today: NaiveDate,
) -> Result<()> {
    let mut list = Vec::new();
    let accounts = accounts_for(store, account)?;
    let mut goals = of_accounts(&accounts, account, |id| store.goals_for(id), || store.goals_by_account())?;
    for (id, name) in accounts {
        for g in goals.remove(&id).unwrap_or_default() {
            list.push(vec![
                rows::number("id", Some(g.id)),
                rows::text("account", Some(&name)),
                rows::text("status", Some(g.status.key())),
                rows::text("target", g.target_date),
                rows::text("past_target", g.days_past_target(today).map(|days| format!("{days}d past"))),
                rows::text("owner", Some(g.owner.key())),
                rows::text("goal", Some(&g.words)),
            ]);
        }
    }
    let columns = ["id", "account", "status", "target", "past_target", "owner", "goal"];
    Ok(rows::print_list(format, &columns, &list, "no goals")?)
}

/// `tend milestone list`, on a book file or a team book.
pub fn list_milestones(
    store: &(impl BookRead + ?Sized),
    account: Option<&str>,
    format: Format,
    today: NaiveDate,
) -> Result<()> {
    let mut list = Vec::new();
    let accounts = accounts_for(store, account)?;
    let mut milestones =
        of_accounts(&accounts, account, |id| store.milestones_for(id), || store.milestones_by_account())?;
    // A lost customer's journey goes no further: what is not done is no longer due, as its Journey
    // tab says (the list read "overdue").
    let churned: std::collections::HashSet<i64> = store.churned_ids()?.into_iter().map(|(id, _)| id).collect();
    for (id, name) in accounts {
        for m in milestones.remove(&id).unwrap_or_default() {
            let state = match m.state_on(today) {
                crate::domain::journey::MilestoneState::Done => "done",
                _ if churned.contains(&id) => "no longer due",
                state => state.label(),
            };
            list.push(vec![
                rows::number("id", Some(m.id)),
                rows::text("account", Some(&name)),
                rows::text("journey", Some(&m.journey)),
                rows::text("milestone", Some(&m.name)),
                rows::text("due", Some(m.due)),
                rows::text("state", Some(state)),
                rows::text("done", m.done),
            ]);
        }
    }
    Ok(rows::print_list(
        format,
        &["id", "account", "journey", "milestone", "due", "state", "done"],
        &list,
        "no milestones",
    )?)
}

/// `tend log list`, on a book file or a team book.
pub(super) fn list_timeline(
    store: &(impl BookRead + ?Sized),
    config: &Config,
    account: &str,
    format: Format,
    today: NaiveDate,
) -> Result<()> {
    let id = resolve_account(store, account)?;
    let detail = crate::book::account_detail(store, config, id, today)?;
    // The id is what `tend log delete` takes; lines that are not entries (a renewal, a churn) have none.
    let list: Vec<Vec<_>> = detail
        .timeline
        .iter()
        .map(|t| {
            vec![
                rows::number("id", t.entry_id),
                rows::text("day", Some(t.day)),
                rows::text("kind", Some(t.kind)),
                rows::text("what", Some(&t.text)),
                rows::text("by", t.csm.as_ref()),
            ]
        })
        .collect();
    // The table and Markdown say whose timeline it is; JSON and CSV are the rows alone.
    // Named as the lists name it: with its external id where another account has the name.
    let name = crate::book::names::spoken_name(store, id)?;
    match format {
        Format::Table => super::emit(&name),
        Format::Md => super::emit(format!("## {name}\n")),
        Format::Json | Format::Csv => {}
    }
    Ok(rows::print_list(format, &["id", "day", "kind", "what", "by"], &list, "nothing logged yet")?)
}

/// The context a write through the storage seam takes. On a team book what a member writes is signed by the CSM they
/// signed in as (the database signs it so whatever is sent): `--by` someone else is refused
/// rather than ignored.
pub(super) fn seam_ctx<'a>(
    store: &'a mut dyn Book,
    config: &'a Config,
    session: &'a str,
    today: NaiveDate,
    by: Option<&str>,
) -> Result<SeamCtx<'a>> {
    if store.member_kind()?.as_deref() == Some("importer") {
        bail!(
            "an importer imports (`tend import accounts`): logging, tasks, goals, milestones, renewals and the rest are \
             written by a CSM or a lead of the team book, signed as themselves; nothing was changed"
        );
    }
    let Some(me) = store.signed_in_csm()? else { return Ok(SeamCtx::new(store, config, session, today, by)) };
    if let Some(other) = by.filter(|b| !b.eq_ignore_ascii_case(&me)) {
        bail!(
            "--by {}: on a team book what you write is signed by the CSM you sign in as ({}); \
             to write as {0}, sign in as them",
            clean(other),
            clean(&me)
        );
    }
    Ok(SeamCtx::new(store, config, session, today, Some(&me)))
}

/// `tend log KIND ACCOUNT …`, on a book file or a team book: one entry, through the storage seam.
pub(super) fn log_command(
    entry: LogCommand,
    book: &mut dyn Book,
    config: &Config,
    session: &str,
    today: NaiveDate,
) -> Result<log::Outcome> {
    let mut with_names = Vec::new();
    let mut role = None;
    let survey_kind = match &entry {
        LogCommand::Csat(_) => EntryKind::Csat,
        LogCommand::Ces(_) => EntryKind::Ces,
        _ => EntryKind::Nps,
    };
    let (account, kind, logged, score, channel, title, closed) = match entry {
        LogCommand::Sentiment { account, score, logged } => {
            (account, EntryKind::Sentiment, logged, Some(score), None, None, None)
        }
        LogCommand::Nps(survey) | LogCommand::Csat(survey) | LogCommand::Ces(survey) => {
            let super::Survey { account, score, role: role_text, from, logged } = survey;
            with_names = from.into_iter().collect();
            role = match role_text {
                Some(text) => Some(ContactRole::from_key(&text).ok_or_else(|| {
                    color_eyre::eyre::eyre!("--role {}: one of {}", clean(&text), ContactRole::labels())
                })?),
                None => None,
            };
            (account, survey_kind, logged, Some(score), None, None, None)
        }
        LogCommand::Touch { account, kind, with, logged } => {
            with_names = with;
            let keys: Vec<&str> = TouchChannel::ALL.iter().map(|c| c.key()).collect();
            // As a file's activity type reads: "zoom" is a meeting, "phone" a call.
            // Anything else (a LinkedIn message, a letter) is a note, as an import reads it.
            let channel = one_of("kind", &kind.to_lowercase(), TouchChannel::from_words, &keys).map_err(|e| {
                FieldError::new(e.field, format!("{} (anything else is a note: `tend log note`)", e.reason))
            })?;
            (account, EntryKind::Touch, logged, None, Some(channel), None, None)
        }
        LogCommand::Bug { account, title, closed, logged } => (
            account,
            EntryKind::Bug,
            logged,
            None,
            None,
            Some(title),
            optional_past_day(today, "closed", closed.as_deref())?,
        ),
        LogCommand::Risk { account, reason, cleared, logged } => (
            account,
            EntryKind::Risk,
            logged,
            None,
            None,
            Some(reason),
            optional_past_day(today, "cleared", cleared.as_deref())?,
        ),
        // Its words are the note: `--note` would say them twice.
        LogCommand::Note { account, words, date, signed } => {
            (account, EntryKind::Note, super::Logged { date, note: words, signed }, None, None, None, None)
        }
        LogCommand::List { .. } | LogCommand::Delete { .. } | LogCommand::Close { .. } => {
            bail!("listing, deleting and closing are not logging")
        }
    };
    let input = EntryInput {
        kind,
        day: day_or(today, "date", logged.date.as_deref())?,
        score,
        channel,
        title,
        closed_on: closed,
        note: logged.note.clone(),
        role,
    };
    // Said of the entry it is ("sentiment score: 11 …"), and that nothing was written.
    input.validate(today).map_err(|e| {
        // "note: a note needs its words", not "note note: …".
        let what = if e.field == kind.key() { kind.key().to_string() } else { format!("{} {}", kind.key(), e.field) };
        eyre!("{what}: {}; nothing was logged", e.reason)
    })?;
    let account_id = resolve_account(&*book, &account)?;
    let with = with_names
        .iter()
        .map(|name| {
            super::contact::of_account(&*book, if kind.is_survey() { "--from" } else { "--with" }, name, account_id)
        })
        .collect::<Result<Vec<i64>>>()?;
    let by = signer(&*book, &logged.signed.by, logged.signed.new_csm)?;
    Ok(log::log_entry_with(&mut seam_ctx(book, config, session, today, by.as_deref())?, account_id, &input, &with)?)
}

/// `tend goal add|status`, on a book file or a team book, through the storage seam.
pub(super) fn goal_command(
    action: GoalCommand,
    book: &mut dyn Book,
    config: &Config,
    session: &str,
    today: NaiveDate,
) -> Result<log::Outcome> {
    Ok(match action {
        GoalCommand::Add { account, words, measure, target, owner, status, logged } => {
            let owner = one_of("owner", &owner, OwnerSide::from_key, &["customer", "vendor"])?;
            let input = GoalInput {
                words,
                measure,
                target_date: target.as_deref().map(|t| parse_day("target", t, today)).transpose()?,
                owner,
                status: goal_status(&status)?,
                day: day_or(today, "date", logged.date.as_deref())?,
            };
            input.validate(today)?;
            let account_id = resolve_account(&*book, &account)?;
            let by = signer(&*book, &logged.signed.by, logged.signed.new_csm)?;
            log::add_goal(&mut seam_ctx(book, config, session, today, by.as_deref())?, account_id, &input)
        }
        GoalCommand::Status { goal, account, status, logged } => {
            let status = goal_status(&status)?;
            let goal_id = named(&*book, Named::Goal, &goal, account.as_deref())?;
            let day = day_or(today, "date", logged.date.as_deref())?;
            let by = signer(&*book, &logged.signed.by, logged.signed.new_csm)?;
            log::set_goal_status(
                &mut seam_ctx(book, config, session, today, by.as_deref())?,
                goal_id,
                status,
                day,
                &logged.note,
            )
        }
        _ => bail!("not a goal to write"),
    }?)
}

/// `tend log delete`, `goal delete`, `milestone add|done|delete`, `journey apply`, `renew`,
/// `churn` and `reactivate`, on a book file or a team book, through the storage seam.
pub(super) fn seam_command(
    command: Command,
    book: &mut dyn Book,
    config: &Config,
    session: &str,
    today: NaiveDate,
) -> Result<log::Outcome> {
    Ok(match command {
        Command::Log { entry: LogCommand::Delete { entry_id } } => {
            log::delete(&mut seam_ctx(book, config, session, today, None)?, Entity::Entry, entry_id)
        }
        Command::Log { entry: LogCommand::Close { account, what, date } } => {
            let day = day_or(today, "date", date.as_deref())?;
            let account_id = resolve_account(&*book, &account)?;
            log::close_entry(&mut seam_ctx(book, config, session, today, None)?, account_id, what.as_deref(), day)
        }
        Command::Goal { action: GoalCommand::Delete { goal, account } } => {
            let goal_id = named(&*book, Named::Goal, &goal, account.as_deref())?;
            log::delete(&mut seam_ctx(book, config, session, today, None)?, Entity::Goal, goal_id)
        }
        Command::Milestone { action: MilestoneCommand::Delete { milestone, name, account } } => {
            let (milestone, account) = account_first(milestone, name, account);
            let milestone_id = named(&*book, Named::Milestone, &milestone, account.as_deref())?;
            log::delete(&mut seam_ctx(book, config, session, today, None)?, Entity::Milestone, milestone_id)
        }
        Command::Milestone { action: MilestoneCommand::Add { account, journey: j, name, due, note, signed } } => {
            let input = MilestoneInput {
                journey: journey(config, &j)?,
                name,
                due: parse_day("due", &due, today)?,
                done: None,
                note,
            };
            input.validate(today)?;
            let account_id = resolve_account(&*book, &account)?;
            let by = signer(&*book, &signed.by, signed.new_csm)?;
            log::add_milestone(&mut seam_ctx(book, config, session, today, by.as_deref())?, account_id, &input)
        }
        Command::Milestone { action: MilestoneCommand::Done { milestone, name, account, force, logged } } => {
            let (milestone, account) = account_first(milestone, name, account);
            let milestone_id = named(&*book, Named::Milestone, &milestone, account.as_deref())?;
            let day = day_or(today, "date", logged.date.as_deref())?;
            if day > today {
                return Err(FieldError::new("date", format!("{day} is in the future (today is {today})")).into());
            }
            let by = signer(&*book, &logged.signed.by, logged.signed.new_csm)?;
            match log::milestone_done(
                &mut seam_ctx(book, config, session, today, by.as_deref())?,
                milestone_id,
                day,
                force,
                Some(&logged.note),
            ) {
                // Done on the very day asked: nothing to change, and no --force to offer.
                Err(LogError::AlreadyDone { id, name, done }) if done == day => {
                    bail!("nothing to change: milestone {id} (\"{name}\") is already done on {done}")
                }
                Err(e @ LogError::AlreadyDone { .. }) => {
                    bail!("{e}; --force marks it done on {day} instead (--date gives another day)")
                }
                other => other,
            }
        }
        Command::Journey { action: JourneyCommand::Apply { account, journey: j, include_past, signed } } => {
            let j = journey(config, &j)?;
            let account_id = resolve_account(&*book, &account)?;
            let by = signer(&*book, &signed.by, signed.new_csm)?;
            log::apply_journey(
                &mut seam_ctx(book, config, session, today, by.as_deref())?,
                account_id,
                &j,
                include_past,
            )
        }
        Command::Renew { account, until, arr, date, by } => {
            let by = known_signer(&*book, &by)?;
            let day = day_or(today, "date", date.as_deref())?;
            let account_id = resolve_account(&*book, &account)?;
            let arr = arr.as_deref().map(|text| arr_of(&*book, account_id, text)).transpose()?;
            let renewal = match until {
                Some(text) => parse_day("until", &text, today)?,
                None => {
                    let current = book.account(account_id)?;
                    if let Some(why) = crate::book::contracts::renewed_already(&*book, &current, day)? {
                        bail!(
                            "{why} `--until DATE` records a renewal to another date; `tend undo` takes the last change \
                             back; nothing was changed"
                        );
                    }
                    crate::book::contracts::next_renewal(current.renewal_date, day)
                        .ok_or_else(|| color_eyre::eyre::eyre!("until: give the next renewal date"))?
                }
            };
            crate::book::contracts::renew(
                &mut seam_ctx(book, config, session, today, by.as_deref())?,
                account_id,
                day,
                renewal,
                arr,
            )
        }
        Command::Churn { account, reason, date, by } => {
            let by = known_signer(&*book, &by)?;
            let day = day_or(today, "date", date.as_deref())?;
            let account_id = resolve_account(&*book, &account)?;
            crate::book::contracts::churn(
                &mut seam_ctx(book, config, session, today, by.as_deref())?,
                account_id,
                day,
                &reason,
            )
        }
        Command::Reactivate { account, date, arr, by } => {
            let by = known_signer(&*book, &by)?;
            let day = day_or(today, "date", date.as_deref())?;
            let account_id = resolve_account(&*book, &account)?;
            let arr = arr.as_deref().map(|text| arr_of(&*book, account_id, text)).transpose()?;
            crate::book::contracts::reactivate(
                &mut seam_ctx(book, config, session, today, by.as_deref())?,
                account_id,
                day,
                arr,
            )
        }
        Command::Assign { account, csm, new_csm } => {
            let account_id = resolve_account(&*book, &account)?;
            crate::book::owners::assign(
                &mut seam_ctx(book, config, session, today, None)?,
                account_id,
                &csm,
                new_csm,
                "--new-csm hands it to someone new to the book by that name",
            )
        }
        Command::Handover { from, to, new_csm } => crate::book::owners::hand_over(
            &mut seam_ctx(book, config, session, today, None)?,
            &from,
            &to,
            new_csm,
            "--new-csm hands them to someone new to the book by that name",
        ),
        _ => bail!("not a milestone, journey, contract change, hand-over or delete"),
    }?)
}

/// `tend override ACCOUNT BAND|clear`, on a book file or a team book, through the storage seam.
pub(super) fn override_command(
    command: Command,
    book: &mut dyn Book,
    config: &Config,
    session: &str,
    today: NaiveDate,
) -> Result<log::Outcome> {
    let Command::Override { account, band, reason, until, by } = command else { bail!("not an override") };
    let by = known_signer(&*book, &by)?;
    let account_id = resolve_account(&*book, &account)?;
    let mut ctx = seam_ctx(book, config, session, today, by.as_deref())?;
    if band.eq_ignore_ascii_case("clear") {
        return Ok(crate::book::overrides::clear(&mut ctx, account_id)?);
    }
    let keys = ["green", "yellow", "orange", "red"];
    let band = one_of("band", &band.to_lowercase(), crate::store::overrides::band_from_key, &keys)?;
    let until = match until.as_deref() {
        Some(text) => parse_day("until", text, today)?,
        None => today + chrono::Duration::days(30),
    };
    Ok(crate::book::overrides::set(&mut ctx, account_id, band, &reason, until)?)
}

/// A milestone named as `milestone add` takes it, the account first ("Möller KG" "Renewal
/// decision"), or alone with `--account`: (the milestone, the account). A probe's `milestone
/// done ACCOUNT NAME` was refused as an unexpected argument.
fn account_first(first: String, name: Option<String>, account: Option<String>) -> (String, Option<String>) {
    match name {
        Some(name) => (name, Some(first)),
        None => (first, account),
    }
}
