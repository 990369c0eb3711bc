//! Undo through the storage seam: the one way a batch of changes is taken back, on a book file
//! (`log::undo`, the TUI's `u`) and on a team book (`tend undo`: the newest batch of the member's
//! own command-line changes, or one by its number; log entries, goals and tasks so far, what a
//! team book is written with).

use super::log::{LogError, Outcome, Result, SeamCtx};
use super::storage::BookRead;
use crate::store::log::{ChangeAction, ChangeRecord, Entity};
use crate::text::clean;

/// Undo the newest batch of this writer's command-line changes; None when none is left.
pub fn undo_last(ctx: &mut SeamCtx) -> Result<Option<Outcome>> {
    let prefix = ctx.book.session_prefix()?;
    let Some(session) = ctx.book.last_session_like(&prefix)? else { return Ok(None) };
    let Some(batch) = ctx.book.last_batch(&session)? else { return Ok(None) };
    let changes = ctx.book.batch_changes(&batch)?;
    undo_changes(ctx, changes).map(Some)
}

/// Undo the newest batch of changes of this session (the TUI's `u`); None when none is left.
pub fn undo_session(ctx: &mut SeamCtx) -> Result<Option<Outcome>> {
    let Some(batch) = ctx.book.last_batch(ctx.session)? else { return Ok(None) };
    let changes = ctx.book.batch_changes(&batch)?;
    undo_changes(ctx, changes).map(Some)
}

/// Undo one earlier change, by its number (as `tend undo --list` shows it).
pub fn undo_numbered(ctx: &mut SeamCtx, number: i64) -> Result<Outcome> {
    let gone =
        || LogError::Refused(format!("no change numbered {number} is left to undo (`tend undo --list` lists them)"));
    let batch = ctx.book.batch_of(number)?.ok_or_else(gone)?;
    // Each member undoes their own: a lead too, whom the database would let undo anyone's.
    let prefix = ctx.book.session_prefix()?;
    if let Some(session) = ctx.book.session_of(number)?.filter(|s| !s.starts_with(&prefix)) {
        let by = match session.strip_prefix("cli-").and_then(|rest| rest.split('-').next()) {
            Some(role) if !role.is_empty() && !role.bytes().all(|b| b.is_ascii_digit()) => format!("made by {role}"),
            _ => "made before this book was a team book, or in another program".to_string(),
        };
        return Err(LogError::Refused(format!(
            "change {number} is not yours to undo ({by}): on a team book each member undoes their own changes \
             (`tend undo --list` lists yours)"
        )));
    }
    let changes = ctx.book.batch_changes(&batch)?;
    undo_changes(ctx, changes)
}

/// Refused when a later change to a row of the batch stands: undoing this one under it would
/// throw that one away.
pub(crate) fn refuse_if_changed_since(book: &(impl BookRead + ?Sized), changes: &[ChangeRecord]) -> Result<()> {
    match (standing_on(book, changes)?, changes.last()) {
        // The change refused is named (the batch's first), then the one standing on it; their
        // summaries quote names of their own: not quoted again.
        (Some(Later { number, summary, what }), Some(first)) => Err(LogError::Refused(format!(
            "change {} ({}) is not taken back: change {number} ({}) came after it to the same {what}: undo that \
             one first",
            first.id,
            clean(&first.summary),
            clean(&summary)
        ))),
        _ => Ok(()),
    }
}

/// Refused when an account a hand-over of the batch moved is no longer with the CSM it was handed
/// to: an import gave it another since (imports keep no change to stand on), and the undo would
/// hand it back over the CRM's owner (a probe's undo sent an account the CRM had moved on, with
/// its open task, back to the CSM who had left).
fn refuse_if_moved_since(book: &(impl BookRead + ?Sized), changes: &[ChangeRecord]) -> Result<()> {
    let handed: Vec<&ChangeRecord> = changes
        .iter()
        .filter(|c| {
            c.entity == Entity::Account && c.action == ChangeAction::Edit && super::owners::is_hand_over(&c.summary)
        })
        .collect();
    if handed.is_empty() {
        return Ok(());
    }
    let csms = book.csms()?;
    // Said by the batch's number and summary, as `tend undo --list` lists it (a probe's refusal
    // named "change 34" of the hand-over listed as 32).
    let Some(listed) = changes.last() else { return Ok(()) };
    for c in handed {
        let from = super::owners::csm_before(c.before.as_deref());
        let Some(to) = super::owners::handed_to(&c.summary, from, &csms) else { continue };
        let account = book.account(c.entity_id)?;
        let now = account.csm.clone().unwrap_or_default();
        if csms.iter().any(|(id, name)| *id == to && !name.eq_ignore_ascii_case(&now)) {
            let now = if now.is_empty() { "no CSM's".to_string() } else { format!("{}'s", clean(&now)) };
            return Err(LogError::Refused(format!(
                "change {} ({}) is not taken back: {} is {now} now (an import moved it since), which the undo would \
                 overwrite: `tend assign` moves it",
                listed.id,
                clean(&listed.summary),
                clean(&account.name)
            )));
        }
    }
    Ok(())
}

/// A later change standing on a batch: its number, what it did, and what it changed ("entry").
pub(crate) struct Later {
    pub number: i64,
    pub summary: String,
    pub what: String,
}

/// The later change to a row of the batch `changes`, not undone, if one stands on it.
pub(crate) fn standing_on(book: &(impl BookRead + ?Sized), changes: &[ChangeRecord]) -> Result<Option<Later>> {
    for c in changes {
        if let Some((later, summary)) = book.later_change_to(c.entity, c.entity_id, c.id)?
            && changes.iter().all(|x| x.id != later)
        {
            return Ok(Some(Later { number: later, summary, what: c.entity.key().replace('_', " ") }));
        }
    }
    Ok(None)
}

/// Take back a batch of changes (newest first) in one transaction, and say what that did: to the
/// score where a fact of health changed. The one undo of both engines (`log::undo` on a file).
pub(crate) fn undo_changes(ctx: &mut SeamCtx, changes: Vec<ChangeRecord>) -> Result<Outcome> {
    // The oldest change of the batch is what was done; later ones followed it.
    let Some(first) = changes.last() else { return Err(LogError::Refused("nothing to undo".into())) };
    // A preview writes nothing, an undo neither (a probe's `--as-of` undo took a hand-over back).
    if let Some(why) = super::preview_refusal(ctx.today) {
        return Err(LogError::Refused(why));
    }
    // Whoever made it (another window, another member of a team book): a later change to a row
    // of the batch stands, and undoing this one under it would throw that one away.
    refuse_if_changed_since(&*ctx.book, &changes)?;
    refuse_if_moved_since(&*ctx.book, &changes)?;
    let account_id = ctx
        .book
        .account_of(first.entity, first.entity_id)?
        .ok_or(LogError::NotFound { entity: first.entity.key(), id: first.entity_id })?;
    let summary = clean(&first.summary);
    // A log entry or a goal is a fact of health: its undo says what it did to the score.
    let facts_changed = changes.iter().any(|c| c.entity != Entity::Task);
    // A change of several accounts at once (a whole book handed over) is said as itself, not as
    // its first account's.
    let accounts: Vec<i64> = changes.iter().filter(|c| c.entity == Entity::Account).map(|c| c.entity_id).collect();
    let several = accounts.len() > 1;
    let before = if facts_changed && !several { Some(ctx.score(account_id)?) } else { None };
    // A CSM a hand-over added (noted as its detail) goes with its undo when nothing else of
    // the book names them; one the book had before stays (a probe's Dana, added by an earlier
    // hand-over, went with the undo of a later one).
    let handed_from: Vec<i64> = changes
        .iter()
        .filter(|c| c.entity == Entity::Account && c.action == ChangeAction::Edit)
        .filter_map(|c| c.detail_id)
        .collect();
    let result = ctx.book.transact(&mut |t| {
        for c in &changes {
            match c.action {
                ChangeAction::Add => t.soft_delete(c.entity, c.entity_id)?,
                ChangeAction::Edit | ChangeAction::Delete => {
                    t.restore_row(c.entity, c.entity_id, c.before.as_deref().unwrap_or("{}"))?
                }
                ChangeAction::Status => {
                    t.restore_row(c.entity, c.entity_id, c.before.as_deref().unwrap_or("{}"))?;
                    if let Some(detail) = c.detail_id {
                        t.delete_goal_status_change(detail)?;
                    }
                }
            }
            t.mark_undone(c.id)?;
        }
        if facts_changed {
            t.invalidate_snapshots(account_id)?;
            for id in accounts.iter().filter(|id| **id != account_id) {
                t.invalidate_snapshots(*id)?;
            }
        }
        for csm in &handed_from {
            t.forget_csm_if_unused(*csm)?;
        }
        Ok(())
    });
    match result.map_err(LogError::from) {
        Err(LogError::NotPermitted(detail)) => {
            return Err(LogError::Refused(format!(
                "\"{summary}\" was not undone: on a team book each member undoes their own changes, on rows they may \
                 still change ({detail})"
            )));
        }
        other => other?,
    }
    let name = super::names::spoken_name(&*ctx.book, account_id)?;
    // What was undone said as taken back: "sentiment 6/10 logged" alone reads as just logged.
    let taken_back = format!("{summary}: taken back");
    let message = match before {
        Some(before) => super::log::describe(&ctx.config.health, &name, &before, &ctx.score(account_id)?, &taken_back),
        None if several => taken_back,
        None => format!("{name}: {summary}: taken back"),
    };
    Ok(Outcome { account_id, message: format!("Undone: {message}"), undone: true })
}
