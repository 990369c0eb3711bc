//! `tend contact`: the people at an account from the command line, as the People tab keeps them.

use chrono::NaiveDate;
use color_eyre::Result;
use color_eyre::eyre::eyre;

use super::log::{day_or, named, seam_ctx};
use super::{ContactCommand, ContactFields, Format};
use crate::book::contacts;
use crate::book::log::Outcome;
use crate::book::resolve::{resolve_account, resolve_name};
use crate::book::storage::{Book, BookRead};
use crate::config::Config;
use crate::domain::contact::{ContactInput, ContactRole, ContactStatus};
use crate::domain::input::FieldError;
use crate::rows;
use crate::store::log::Named;
use crate::text::clean;

/// A role as typed; "none" (or empty) clears it.
fn role(text: &str) -> Result<Option<ContactRole>, FieldError> {
    match text.trim().to_lowercase().as_str() {
        "" | "none" => Ok(None),
        _ => ContactRole::from_key(text).map(Some).ok_or_else(|| {
            FieldError::new("role", format!("\"{}\" is not a role ({}, or none)", clean(text), ContactRole::labels()))
        }),
    }
}

/// A contact of one account, by the one rule for names; `flag` is the option it came from.
pub fn of_account(store: &(impl BookRead + ?Sized), flag: &str, name: &str, account_id: i64) -> Result<i64> {
    let people = store.contacts_for(account_id)?;
    let chosen = resolve_name("contact", name, people.iter().map(|c| c.name.as_str()))
        .map_err(|e| eyre!("{flag}: {e} (`tend contact add` adds one)"))?;
    people.iter().find(|c| c.name == chosen).map(|c| c.id).ok_or_else(|| eyre!("{flag}: no contact {name}"))
}

/// Run a contact command; a list prints itself and returns None.
pub fn run(
    action: ContactCommand,
    store: &mut dyn Book,
    config: &Config,
    session: &str,
    today: NaiveDate,
) -> Result<Option<Outcome>> {
    let outcome = match action {
        ContactCommand::Add { account, name, fields } => {
            let input = ContactInput {
                name,
                title: fields.title.unwrap_or_default(),
                email: fields.email.unwrap_or_default(),
                role: role(fields.role.as_deref().unwrap_or(""))?,
                status: ContactStatus::Active,
                left_on: None,
                note: fields.note.unwrap_or_default(),
            };
            input.validate(today)?;
            let account_id = resolve_account(&*store, &account)?;
            contacts::add_contact(&mut seam_ctx(store, config, session, today, None)?, account_id, &input)?
        }
        ContactCommand::Set { named: n, fields } => {
            let id = named(&*store, Named::Contact, &n.contact, n.account.as_deref())?;
            let c = store.contact(id)?.ok_or_else(|| eyre!("no contact with id {id}"))?;
            let ContactFields { title, email, role: new_role, note } = fields;
            if title.is_none() && email.is_none() && new_role.is_none() && note.is_none() {
                return Err(eyre!("say what to change: --title, --email, --role or --note"));
            }
            let input = ContactInput {
                name: c.name,
                title: title.unwrap_or(c.title),
                email: email.unwrap_or(c.email),
                role: match new_role {
                    Some(text) => role(&text)?,
                    None => c.role,
                },
                status: c.status,
                left_on: c.left_on,
                note: note.unwrap_or(c.note),
            };
            contacts::edit_contact(&mut seam_ctx(store, config, session, today, None)?, id, &input)?
        }
        ContactCommand::Left { named: n, date } => {
            let id = named(&*store, Named::Contact, &n.contact, n.account.as_deref())?;
            let day = day_or(today, "date", date.as_deref())?;
            contacts::contact_left(&mut seam_ctx(store, config, session, today, None)?, id, day)?
        }
        ContactCommand::Delete { named: n } => {
            let id = named(&*store, Named::Contact, &n.contact, n.account.as_deref())?;
            contacts::delete_contact(&mut seam_ctx(store, config, session, today, None)?, id)?
        }
        ContactCommand::List(super::Listed { account, format }) => {
            list(&*store, account.as_deref(), format)?;
            return Ok(None);
        }
    };
    Ok(Some(outcome))
}

/// `tend contact list`, on a book file or a team book.
pub fn list(store: &(impl BookRead + ?Sized), account: Option<&str>, format: Format) -> Result<()> {
    let people = match account {
        Some(a) => store.contacts_for(resolve_account(store, a)?)?,
        None => store.all_contacts()?,
    };
    let apart = crate::book::names::told_apart_names(store)?;
    let list: Vec<Vec<_>> = people
        .into_iter()
        .map(|c| {
            vec![
                rows::number("id", Some(c.id)),
                rows::text("account", Some(apart.get(&c.account_id).unwrap_or(&c.account))),
                rows::text("name", Some(&c.name)),
                rows::text("role", c.role.map(|r| r.label())),
                rows::text("title", Some(&c.title).filter(|t| !t.is_empty())),
                rows::text("email", Some(&c.email).filter(|t| !t.is_empty())),
                rows::text("status", Some(c.status.key())),
                rows::text("left", c.left_on),
            ]
        })
        .collect();
    Ok(rows::print_list(
        format,
        &["id", "account", "name", "role", "title", "email", "status", "left"],
        &list,
        "no contacts",
    )?)
}
