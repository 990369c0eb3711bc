//! Handing an account to another CSM: a lead's way to move a book when someone leaves or joins,
//! without a CRM export to import (a probe's lead found none but a two-column import).

use super::log::{LogError, Outcome, Result, SeamCtx};
use crate::domain::task::TaskStatus;
use crate::store::TaskRecord;
use crate::store::log::{ChangeAction, Entity};
use crate::text::{clean, counted};

/// The CSM `name` typed is, by the one rule for names ("aisha" is Aisha Khan); a name the book
/// does not have is refused unless `new_csm`, which takes it as written (`how_new` says how to ask
/// for that where the name is refused). With whether they are new to the book, and then how they
/// are said: "(new to the book)", and the CSM of the book the name looks like, a likely typo (a
/// probe's "Sam Okafur --new-csm" beside Sam Okafor went without a word).
fn receiver(csms: &[(i64, String)], name: &str, new_csm: bool, how_new: &str) -> Result<(String, bool, String, bool)> {
    let spaced = crate::text::single_spaced(name.trim());
    let same_name = csms.iter().find(|(_, n)| n.eq_ignore_ascii_case(&spaced)).map(|(_, n)| n.clone());
    let to = match super::resolve::resolve_name("CSM", name, csms.iter().map(|(_, n)| n.as_str())) {
        // Someone new is taken by the name as written: the start of another's is not them (a
        // probe's "Jor --new-csm" went to Jordan Patel without a word).
        _ if new_csm && !spaced.is_empty() => same_name.clone().unwrap_or(spaced),
        Ok(found) => found,
        Err(e) => {
            return Err(LogError::Refused(format!("{e}; {how_new}")));
        }
    };
    let added = !csms.iter().any(|(_, n)| n.eq_ignore_ascii_case(&to));
    let like = match added {
        false => None,
        true => crate::text::closest(&to, csms.iter().map(|(_, n)| n.as_str()), 0.85).into_iter().next(),
    };
    let said = match (added, &like) {
        (false, _) => String::new(),
        (true, Some(like)) => format!(" (new to the book: the book has {}, misspelt?)", clean(like)),
        (true, None) => " (new to the book)".to_string(),
    };
    Ok((to, added, said, like.is_some()))
}

/// The outcome of a hand-over to a name like one of the book's, with the way back (said when it
/// is made, not kept in what its undo says).
fn with_way_back(outcome: Outcome, typo: bool) -> Outcome {
    match typo {
        true => Outcome { message: format!("{}; `tend undo` takes it back", outcome.message), ..outcome },
        false => outcome,
    }
}

/// Hand `account_id` to the CSM `name` typed (`receiver`). Undoable; on a team book only a lead
/// may (the database refuses a CSM).
pub fn assign(ctx: &mut SeamCtx, account_id: i64, name: &str, new_csm: bool, how_new: &str) -> Result<Outcome> {
    let csms = ctx.book.csms()?;
    let (to, added, new_one, typo) = receiver(&csms, name, new_csm, how_new)?;
    let from = ctx.book.account_csm_name(account_id)?;
    let account = super::names::spoken_name(&*ctx.book, account_id)?;
    if from.as_deref().is_some_and(|f| f.eq_ignore_ascii_case(&to)) {
        return Err(LogError::Refused(format!("{account} is {}'s already; nothing was changed", clean(&to))));
    }
    // The open tasks the CSM handing it over owns there go with it: the late one a probe's lead
    // moved stayed on the old CSM's agenda, and the new one's never showed it. Others' stay.
    let filter = crate::store::TaskFilter { account_id: Some(account_id), ..Default::default() };
    let open = ctx.book.tasks(&filter)?.into_iter().filter(|t| t.status == TaskStatus::Open);
    let (moving, others): (Vec<TaskRecord>, Vec<TaskRecord>) = open.partition(|t| {
        from.as_deref().is_some_and(|from| t.owner.as_deref().is_some_and(|o| o.eq_ignore_ascii_case(from)))
    });
    let with_tasks = match moving.len() {
        0 => String::new(),
        1 => ", with its open task".to_string(),
        n => format!(", with its {n} open tasks"),
    };
    // Open tasks others own there stay theirs, said (a probe's lead found them left behind).
    let staying: Vec<String> = others.into_iter().filter_map(|t| t.owner).collect();
    let stay = match staying.as_slice() {
        [] => String::new(),
        [one] => format!("; an open task of {}'s there stays theirs", clean(one)),
        many => format!("; {} open tasks others own there stay theirs", many.len()),
    };
    let what = match &from {
        Some(from) => format!("handed from {} to {}{new_one}{with_tasks}{stay}", clean(from), clean(&to)),
        None => format!("handed to {}{new_one} (it had no CSM){stay}", clean(&to)),
    };
    let result = ctx.record(account_id, &what, |t, rec| {
        let before = t.row_json(Entity::Account, account_id)?;
        let csm_id = t.csm_id(&to)?;
        t.set_account_csm(account_id, Some(csm_id))?;
        // A CSM this hand-over adds is noted with it: its undo takes them out again when nothing
        // else names them (one the book had stays, whatever they own).
        let added = added.then_some(csm_id);
        rec.record_in(t, Entity::Account, account_id, ChangeAction::Edit, added, Some(&before))?;
        for task in &moving {
            let before = t.row_json(Entity::Task, task.id)?;
            t.update_task(task.id, &task.as_new(Some(csm_id)))?;
            rec.record_in(t, Entity::Task, task.id, ChangeAction::Edit, None, Some(&before))?;
        }
        Ok(())
    });
    Ok(with_way_back(lead_only(ctx, account_id, result)?, typo))
}

/// A CSM's hand-over refused by a team book: said as what a lead does.
fn lead_only(ctx: &SeamCtx, account_id: i64, result: Result<Outcome>) -> Result<Outcome> {
    match result {
        Err(LogError::NotPermitted(_)) => Err(LogError::Refused(format!(
            "{}: a lead hands accounts over (a CSM's stay theirs); nothing was changed",
            super::log::whose_account(&*ctx.book, account_id)?
        ))),
        other => other,
    }
}

/// The CSM a hand-over's summary says the account went to ("handed from Tom Okafor to Ana
/// Diaz, with its open task", "handed 28 accounts from Tom Okafor to Marcus Webb; …", "handed to
/// Ana Diaz (it had no CSM)"), `from` being the id of the CSM it had (None: none): the longest
/// of `csms` the words after "to" start with. The change keeps the row as it was before; this
/// says where it went, which an import may have moved it from since.
pub fn handed_to(summary: &str, from: Option<i64>, csms: &[(i64, String)]) -> Option<i64> {
    let rest = match from {
        Some(from) => {
            let (_, name) = csms.iter().find(|(id, _)| *id == from)?;
            summary.split_once(&format!("from {} to ", clean(name)))?.1
        }
        None => summary.strip_prefix("handed to ")?,
    };
    csms.iter()
        .filter(|(_, name)| {
            let name = clean(name);
            rest.strip_prefix(name.as_str()).is_some_and(|after| after.is_empty() || after.starts_with([',', ';', ' ']))
        })
        .max_by_key(|(_, name)| name.len())
        .map(|(id, _)| *id)
}

/// Whether a change's summary is a hand-over's (`assign`, `hand_over`).
pub fn is_hand_over(summary: &str) -> bool {
    summary.starts_with("handed ")
}

/// The CSM id a change's row had before it (its `before` JSON's `csm_id`).
pub fn csm_before(before: Option<&str>) -> Option<i64> {
    let row: serde_json::Value = serde_json::from_str(before?).ok()?;
    row.get("csm_id")?.as_i64()
}

/// Hand every live account of the CSM `from` names to the one `to` names (`receiver`), with the
/// open tasks `from` owns on them, in one change: someone leaving, whose book a probe's new CSM
/// could only move an account at a time, or by importing the accounts file again with its owner
/// column edited. Their churned accounts stay theirs (the history of who lost them), and so do
/// the open tasks they own on others' accounts; both are said. `tend undo` hands them all back.
pub fn hand_over(ctx: &mut SeamCtx, from: &str, to: &str, new_csm: bool, how_new: &str) -> Result<Outcome> {
    let csms = ctx.book.csms()?;
    let from = super::resolve::resolve_name("CSM", from, csms.iter().map(|(_, n)| n.as_str()))
        .map_err(|e| LogError::Refused(e.to_string()))?;
    let from_id = csms.iter().find(|(_, n)| *n == from).map(|(id, _)| *id).unwrap_or_default();
    let (to, added, new_one, typo) = receiver(&csms, to, new_csm, how_new)?;
    if from.eq_ignore_ascii_case(&to) {
        return Err(LogError::Refused(format!("{} is the same CSM; nothing was changed", clean(&to))));
    }
    let churned: std::collections::HashSet<i64> = ctx.book.churned_ids()?.into_iter().map(|(id, _)| id).collect();
    let (live, lost): (Vec<i64>, Vec<i64>) =
        ctx.book.accounts_owned_by(from_id)?.into_iter().partition(|id| !churned.contains(id));
    let Some(&first) = live.first() else {
        return Err(LogError::Refused(format!("{} owns no live account; nothing was changed", clean(&from))));
    };
    let theirs = |t: &TaskRecord| t.owner.as_deref().is_some_and(|o| o.eq_ignore_ascii_case(&from));
    let filter = crate::store::TaskFilter { owner: Some(from.clone()), ..Default::default() };
    let owned: Vec<TaskRecord> =
        ctx.book.tasks(&filter)?.into_iter().filter(|t| t.status == TaskStatus::Open && theirs(t)).collect();
    let on_live: std::collections::HashSet<i64> = live.iter().copied().collect();
    let (moving, staying): (Vec<TaskRecord>, Vec<TaskRecord>) =
        owned.into_iter().partition(|t| on_live.contains(&t.account_id));
    let mut what = format!(
        "handed {} from {} to {}{new_one}",
        counted(live.len(), "account", "accounts"),
        clean(&from),
        clean(&to)
    );
    if !moving.is_empty() {
        what.push_str(&format!(", with {}", counted(moving.len(), "open task", "open tasks")));
    }
    if !lost.is_empty() {
        let churned = counted(lost.len(), "churned account stays", "churned accounts stay");
        what.push_str(&format!("; {churned} {}'s", clean(&from)));
    }
    if !staying.is_empty() {
        let tasks =
            counted(staying.len(), "open task on others' accounts stays", "open tasks on others' accounts stay");
        what.push_str(&format!("; {tasks} {}'s", clean(&from)));
    }
    let result = ctx.record(first, &what, |t, rec| {
        let csm_id = t.csm_id(&to)?;
        // A CSM this hand-over adds is noted once, with the first account: the undo takes them
        // out again when nothing else names them.
        let mut added = added.then_some(csm_id);
        for id in &live {
            let before = t.row_json(Entity::Account, *id)?;
            t.set_account_csm(*id, Some(csm_id))?;
            rec.record_in(t, Entity::Account, *id, ChangeAction::Edit, added.take(), Some(&before))?;
        }
        for task in &moving {
            let before = t.row_json(Entity::Task, task.id)?;
            t.update_task(task.id, &task.as_new(Some(csm_id)))?;
            rec.record_in(t, Entity::Task, task.id, ChangeAction::Edit, None, Some(&before))?;
        }
        Ok(())
    });
    let outcome = lead_only(ctx, first, result)?;
    // The accounts it moved, the first few by name (a lead read "handed 10 accounts" and had to
    // find which); the change's summary, kept for undo, counts them.
    let mut named = Vec::new();
    for id in live.iter().take(HANDED_NAMED) {
        named.push(clean(&ctx.book.account_name(*id)?));
    }
    let count = counted(live.len(), "account", "accounts");
    let message = what.replacen(&count, &format!("{count} ({})", crate::text::listed(&named, live.len())), 1);
    Ok(with_way_back(Outcome { message, ..outcome }, typo))
}

/// How many of the accounts a hand-over moved it names.
const HANDED_NAMED: usize = 3;
