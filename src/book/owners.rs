//! Handing an account to another CSM: a lead's way to move a book when someone leaves or joins,
//! without a CRM export to import (a probe's lead found none but a two-column import).

use super::log::{LogError, Outcome, Result, SeamCtx};
use crate::domain::task::TaskStatus;
use crate::store::TaskRecord;
use crate::store::log::{ChangeAction, Entity};
use crate::text::clean;

/// Hand `account_id` to the CSM `name` typed (by the one rule for names: "aisha" is Aisha Khan);
/// a name the book does not have is refused unless `new_csm`, which adds them (`how_new` says
/// how to ask for that where the name is refused). Undoable; on a team book only a lead may (the
/// database refuses a CSM).
pub fn assign(ctx: &mut SeamCtx, account_id: i64, name: &str, new_csm: bool, how_new: &str) -> Result<Outcome> {
    let csms = ctx.book.csms()?;
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
    let new_one = if added { " (new to the book)" } else { "" };
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
    match result {
        Err(LogError::NotPermitted(_)) => Err(LogError::Refused(format!(
            "{}: a lead hands accounts over (a CSM's stay theirs); nothing was changed",
            super::log::whose_account(&*ctx.book, account_id)?
        ))),
        other => other,
    }
}
