//! The people at an account: adding, changing and marking them left. Contacts are facts (a
//! factor may read them, triage reads a champion leaving), so each write reports the score.
//! Written through the storage seam: the same on a book file and a team book.

use chrono::NaiveDate;

use super::log::{LogError, Outcome, Result, SeamCtx};
use crate::domain::contact::{ContactInput, ContactStatus};
use crate::store::log::{ChangeAction, Entity};
use crate::store::{ContactRecord, NewContact};
use crate::text::clean;

fn new_contact(account_id: i64, input: &ContactInput, created_on: NaiveDate, today: NaiveDate) -> NewContact {
    let left_on = match input.status {
        ContactStatus::Left => Some(input.left_on.unwrap_or(today)),
        ContactStatus::Active => None,
    };
    NewContact {
        account_id,
        name: input.name.trim().to_string(),
        title: input.title.trim().to_string(),
        email: input.email.trim().to_string(),
        role: input.role,
        status: input.status,
        // Left without a day said: left the day it was recorded.
        left_on,
        note: input.note.trim().to_string(),
        // Someone who left before tend heard of them was there until then, at least.
        created_on: left_on.map_or(created_on, |l| l.min(created_on)),
    }
}

/// "Ana Ruiz (champion)".
fn who(c: &NewContact) -> String {
    let role = c.role.map(|r| format!(" ({})", r.label())).unwrap_or_default();
    format!("{}{role}", clean(&c.name))
}

/// Refuse a second person with the same email (or, without one, the same name) at an account:
/// imports match people so, and two would become one.
fn refuse_twin(ctx: &SeamCtx, account_id: i64, input: &ContactInput, other_than: Option<i64>) -> Result<()> {
    let (email, name) = (input.email.trim(), input.name.trim());
    let twin =
        ctx.book.contacts_for(account_id)?.into_iter().filter(|c| Some(c.id) != other_than).find(|c| {
            match email.is_empty() {
                false => c.email.eq_ignore_ascii_case(email),
                true => c.name.trim().eq_ignore_ascii_case(name),
            }
        });
    match twin {
        Some(c) => Err(LogError::Refused(match email.is_empty() {
            false => format!(
                "{email} is already the address of {} (contact {}) here: edit them instead",
                clean(&c.name),
                c.id
            ),
            true => format!(
                "{} (contact {}) is already at this account: edit them instead, or give an email",
                clean(&c.name),
                c.id
            ),
        })),
        None => Ok(()),
    }
}

pub fn add_contact(ctx: &mut SeamCtx, account_id: i64, input: &ContactInput) -> Result<Outcome> {
    input.validate(ctx.today)?;
    refuse_twin(ctx, account_id, input, None)?;
    let contact = new_contact(account_id, input, ctx.today, ctx.today);
    let what = format!("contact {} added", who(&contact));
    let result = ctx.change(account_id, &what, |t, rec| {
        let id = t.insert_contact(&contact)?;
        rec.record_in(t, Entity::Contact, id, ChangeAction::Add, None, None)
    });
    super::log::said_not_yours(ctx, result, account_id, "adds people")
}

pub fn edit_contact(ctx: &mut SeamCtx, contact_id: i64, input: &ContactInput) -> Result<Outcome> {
    input.validate(ctx.today)?;
    let current = find(ctx, contact_id)?;
    refuse_twin(ctx, current.account_id, input, Some(contact_id))?;
    let contact = new_contact(current.account_id, input, current.created_on, ctx.today);
    let unchanged = contact.name == current.name
        && contact.title == current.title
        && contact.email == current.email
        && contact.role == current.role
        && contact.status == current.status
        && contact.left_on == current.left_on
        && contact.note == current.note;
    if unchanged {
        return Err(LogError::Refused(format!("nothing to change: {} is already so", clean(&current.name))));
    }
    let what = match (current.status, contact.status) {
        (ContactStatus::Active, ContactStatus::Left) => format!(
            "contact {} left {}",
            who(&contact),
            contact.left_on.map(|d| d.format("%a %Y-%m-%d").to_string()).unwrap_or_default()
        ),
        (ContactStatus::Left, ContactStatus::Active) => format!("contact {} back", who(&contact)),
        _ => format!("contact {} edited", who(&contact)),
    };
    let result = ctx.change(current.account_id, &what, |t, rec| {
        let before = t.row_json(Entity::Contact, contact_id)?;
        t.update_contact(contact_id, &contact)?;
        rec.record_in(t, Entity::Contact, contact_id, ChangeAction::Edit, None, Some(&before))
    });
    super::log::said_not_yours(ctx, result, current.account_id, "changes people")
}

/// Mark a contact left on `day`. Marking someone left twice is refused with the day they left.
pub fn contact_left(ctx: &mut SeamCtx, contact_id: i64, day: NaiveDate) -> Result<Outcome> {
    let c = find(ctx, contact_id)?;
    if let (ContactStatus::Left, Some(left)) = (c.status, c.left_on) {
        return Err(LogError::Refused(format!("{} already left on {}", clean(&c.name), left.format("%a %Y-%m-%d"))));
    }
    let input = ContactInput {
        name: c.name,
        title: c.title,
        email: c.email,
        role: c.role,
        status: ContactStatus::Left,
        left_on: Some(day),
        note: c.note,
    };
    edit_contact(ctx, contact_id, &input)
}

/// Delete a person (kept for undo).
pub fn delete_contact(ctx: &mut SeamCtx, contact_id: i64) -> Result<Outcome> {
    let c = find(ctx, contact_id)?;
    let result = ctx.change(c.account_id, &format!("contact {} deleted", clean(&c.name)), |t, rec| {
        let before = t.row_json(Entity::Contact, contact_id)?;
        t.soft_delete(Entity::Contact, contact_id)?;
        rec.record_in(t, Entity::Contact, contact_id, ChangeAction::Delete, None, Some(&before))
    });
    super::log::said_not_yours(ctx, result, c.account_id, "changes people")
}

pub(crate) fn find(ctx: &SeamCtx, contact_id: i64) -> Result<ContactRecord> {
    ctx.book.contact(contact_id)?.ok_or(LogError::NotFound { entity: "contact", id: contact_id })
}
