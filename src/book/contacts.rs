//! The people at an account: adding, changing and marking them left. Contacts are facts (a
//! factor may read them, triage reads a champion leaving), so each write reports the score.

use chrono::NaiveDate;

use super::log::{Ctx, LogError, Outcome, Result};
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
fn refuse_twin(ctx: &Ctx, account_id: i64, input: &ContactInput, other_than: Option<i64>) -> Result<()> {
    let (email, name) = (input.email.trim(), input.name.trim());
    let twin =
        ctx.store.contacts_for(account_id)?.into_iter().filter(|c| Some(c.id) != other_than).find(|c| {
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

pub fn add_contact(ctx: &mut Ctx, account_id: i64, input: &ContactInput) -> Result<Outcome> {
    input.validate(ctx.today)?;
    refuse_twin(ctx, account_id, input, None)?;
    let contact = new_contact(account_id, input, ctx.today, ctx.today);
    let what = format!("contact {} added", who(&contact));
    ctx.change(account_id, &what, |w, rec| {
        let id = w.insert_contact(&contact)?;
        rec.record(w, Entity::Contact, id, ChangeAction::Add, None, None)
    })
}

pub fn edit_contact(ctx: &mut Ctx, contact_id: i64, input: &ContactInput) -> Result<Outcome> {
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
    ctx.change(current.account_id, &what, |w, rec| {
        let before = w.row_json(Entity::Contact, contact_id)?;
        w.update_contact(contact_id, &contact)?;
        rec.record(w, Entity::Contact, contact_id, ChangeAction::Edit, None, Some(&before))
    })
}

/// Mark a contact left on `day`. Marking someone left twice is refused with the day they left.
pub fn contact_left(ctx: &mut Ctx, contact_id: i64, day: NaiveDate) -> Result<Outcome> {
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

pub(crate) fn find(ctx: &Ctx, contact_id: i64) -> Result<ContactRecord> {
    ctx.store.contact(contact_id)?.ok_or(LogError::NotFound { entity: "contact", id: contact_id })
}
