//! `tend import contacts`: the people at each account, from what `tend export contacts` writes or
//! a CRM's contact export (HubSpot: First Name, Last Name, Email, Job Title, Associated Company,
//! Buying Role; Salesforce: Full Name, Title, Email, Account Name or Account ID, Role).
//!
//! A contact is keyed on its account and email (its name when it has none): importing the same
//! file twice adds nothing, and a row whose person is in the book brings its title, role, status
//! and note.

use super::plans::{Context, NotYours, bad, date_cell};
use super::table::{Source, open_table};
use super::values::DateOrder;
use super::{ImportError, ImportOptions, ImportReport, checked, reject, rejected_misshapen, save_rejects};
use crate::domain::contact::{ContactInput, ContactRole, ContactStatus};
use crate::store::NewContact;
use std::collections::HashMap;

/// A CRM's buying role as tend's role; None for the roles tend does not keep (influencer, other).
fn role_of(text: &str) -> Result<Option<ContactRole>, ()> {
    // HubSpot writes several, separated by semicolons: the first tend keeps, strongest first.
    let mut found: Vec<ContactRole> = Vec::new();
    for part in text.split([';', '|']).map(str::trim).filter(|p| !p.is_empty()) {
        let norm = part.to_lowercase().replace(['-', '_'], " ");
        let role = match norm.as_str() {
            "blocker" => Some(ContactRole::Detractor),
            "budget holder" | "economic decision maker" | "technical buyer" => Some(ContactRole::DecisionMaker),
            "evaluator" => Some(ContactRole::User),
            "influencer" | "other" | "legal & compliance" | "legal and compliance" | "none" => None,
            _ => Some(ContactRole::from_key(part).ok_or(())?),
        };
        found.extend(role);
    }
    found.sort();
    Ok(found.first().copied())
}

/// Which fields of a person a row says something about.
struct Given {
    title: bool,
    email: bool,
    role: bool,
    status: bool,
    note: bool,
    /// Left, without a day: dated the import's day where the book did not have them left.
    left_undated: bool,
}

/// A person the file marks left without a day, dated `today` (said, with the first's name).
fn note_left_undated(report: &mut crate::import::ImportReport, name: &str, today: chrono::NaiveDate) {
    let (count, _, _) = report.contacts_left_undated.get_or_insert_with(|| (0, name.to_string(), today));
    *count += 1;
}

/// Whether the book's person already says all the file does.
fn says_the_same(x: &crate::store::ContactRecord, p: &NewContact) -> bool {
    x.name == p.name
        && x.title == p.title
        && x.email == p.email
        && x.role == p.role
        && x.status == p.status
        && x.left_on == p.left_on
        && x.note == p.note
}

/// An existing person with what the file says merged in: unchanged, or one update.
fn plan_update(
    report: &mut ImportReport,
    writes: &mut Vec<(Option<i64>, NewContact)>,
    x: crate::store::ContactRecord,
    p: NewContact,
) {
    if says_the_same(&x, &p) {
        report.unchanged += 1;
    } else {
        report.updated += 1;
        writes.push((Some(x.id), p));
    }
}

pub fn import_contacts(
    book: &mut dyn crate::book::storage::Book,
    source: &Source,
    opts: &ImportOptions,
    configured: DateOrder,
) -> Result<ImportReport, ImportError> {
    let table = open_table(source)?;
    let c = Context::new(book, &table, &["left", "left on", "created", "create date", "created date"], configured)?;
    let account_ids =
        ["account", "account id", "external id", "company id", "associated company ids", "associated company id"];
    let account_names = ["account name", "company name", "associated company", "company", "organization"];
    let account = table.column(&account_ids).or_else(|| table.column(&account_names)).ok_or_else(|| {
        table.missing("the account", &["account", "account name", "associated company", "company name"])
    })?;
    let name = table.column(&["name", "full name", "contact name"]);
    let (first, last) = (table.column(&["first name"]), table.column(&["last name"]));
    if name.is_none() && first.is_none() && last.is_none() {
        // Tasks or an activity history given as people: refused with the import they are for.
        if let Some(kind @ (super::columns::FileKind::Tasks | super::columns::FileKind::Activities)) =
            super::columns::FileKind::of(&table.headers)
        {
            return Err(kind.refused(&table.source));
        }
        return Err(table.missing("the contact's name", &["name", "full name", "first name", "last name"]));
    }
    let email = table.column(&["email", "email address", "e mail"]);
    let title = table.column(&["title", "job title"]);
    // A CRM's "Persona" names the role as often (a probe's Champions were dropped without a word).
    let role = table.column(&["role", "buying role", "contact role", "contact roles", "persona"]);
    let status = table.column(&["status", "contact status"]);
    let left = table.column(&["left", "left on", "left date"]);
    let created = table.column(&["created", "create date", "created date"]);
    let note = table.column(&["note", "notes"]);
    let mut problems = Vec::new();
    let mut rejected = Vec::new();
    // Each person with which of their fields the row says something about: an empty cell, or a
    // column the file does not have, keeps what the book knows (a CRM export does not know who
    // left, nor the roles set in tend).
    let mut planned: Vec<(NewContact, Given)> = Vec::new();
    let mut not_yours = NotYours::default();
    table.for_each_row(|line, row| {
        if rejected_misshapen(&table, line, row, &mut problems, &mut rejected) {
            return;
        }
        let before = problems.len();
        let cell = |i: Option<usize>| i.map(|i| table.cell(row, i).to_string()).unwrap_or_default();
        // "N/A", "-": what a CRM writes where it has no email, as a blank cell (other text is kept
        // as written: a title of "-" exports and imports back as itself).
        let email_of = |i: usize| Some(table.cell(row, i)).filter(|t| !crate::import::values::says_no_value(t));
        let (id, theirs) = NotYours::account(&c.accounts, &mut problems, (&table, line, account, row));
        // A blank Name beside First and Last Name (an export with all three) is theirs.
        let full = match name.map(|n| table.cell(row, n).trim()).filter(|n| !n.is_empty()) {
            Some(n) => n.to_string(),
            None => format!("{} {}", cell(first), cell(last)).trim().to_string(),
        };
        let r = match role.map(|i| table.cell(row, i)).filter(|t| !t.is_empty()) {
            Some(text) => role_of(text).unwrap_or_else(|()| {
                let why = format!("not a role ({})", ContactRole::labels());
                bad(&mut problems, &table, line, role.unwrap_or(0), row, &why);
                None
            }),
            None => None,
        };
        let left_on = date_cell(&mut problems, &table, line, left, row, c.order);
        let created_on = date_cell(&mut problems, &table, line, created, row, c.order).unwrap_or(opts.today);
        let st = match status.map(|i| table.cell(row, i)) {
            Some(text) => ContactStatus::from_key(text).or_else(|| {
                bad(&mut problems, &table, line, status.unwrap_or(0), row, "not a status (active, left)");
                None
            }),
            None => Some(if left_on.is_some() { ContactStatus::Left } else { ContactStatus::Active }),
        };
        let input = ContactInput {
            name: full,
            title: cell(title),
            email: email.and_then(email_of).unwrap_or_default().to_string(),
            role: r,
            status: st.unwrap_or(ContactStatus::Active),
            left_on,
            note: cell(note),
        };
        if let Err(e) = input.validate(opts.today) {
            let col = match e.field {
                "email" => email,
                "left" => left.or(status),
                _ => name.or(first).or(last),
            };
            bad(&mut problems, &table, line, col.unwrap_or(0), row, &e.reason);
        }
        let said = |i: Option<usize>| i.is_some_and(|i| !table.cell(row, i).is_empty());
        let given = Given {
            title: said(title),
            email: email.and_then(email_of).is_some_and(|t| !t.is_empty()),
            role: r.is_some(),
            status: said(status) || said(left),
            note: said(note),
            left_undated: st == Some(ContactStatus::Left) && left_on.is_none(),
        };
        if let (Some(id), Some(st), true) = (id, st, problems.len() == before) {
            if let Some(why) = theirs {
                not_yours.note(planned.len(), why, (&table, line, account, row));
            }
            planned.push((
                NewContact {
                    account_id: id,
                    name: input.name,
                    title: input.title,
                    email: input.email,
                    role: input.role,
                    status: st,
                    left_on: if st == ContactStatus::Left { Some(left_on.unwrap_or(opts.today)) } else { None },
                    note: input.note,
                    created_on,
                },
                given,
            ));
        }
        if problems.len() > before {
            rejected.push(reject(row, &problems[before..]));
        }
    })?;
    let mut report = checked("contacts", &table.source, &problems, rejected.len(), opts)?;
    report.dates = c.dates.clone();
    report.named_loosely = c.accounts.named_loosely();
    // A column nothing reads is said, as the logs and tasks imports say it. Both account columns
    // of an export that has them are read (by id, else by name).
    let read = [table.column(&account_ids), table.column(&account_names), name, first, last, email, title, role];
    report.columns_not_read = table.unread(&[&read[..], &[status, left, created, note]].concat());
    let mut writes = Vec::new();
    let same = crate::domain::contact::same_person;
    // Each person seen, and whether the row was counted (not refused).
    let mut seen: std::collections::HashMap<(i64, String), bool> = std::collections::HashMap::new();
    let had = book.contacts_of(&planned.iter().map(|(p, _)| p.account_id).collect::<Vec<_>>())?;
    // The contacts the file's rows name by email: such a contact is that row's, not another's
    // of the same name.
    let by_email: std::collections::HashSet<i64> = planned
        .iter()
        .filter(|(p, _)| !p.email.is_empty())
        .flat_map(|(p, _)| had.get(&p.account_id).into_iter().flatten().filter(|x| same(&x.email, &p.email)))
        .map(|x| x.id)
        .collect();
    let accounts_named: std::collections::BTreeSet<i64> = planned.iter().map(|(p, _)| p.account_id).collect();
    let mut matched: std::collections::HashSet<i64> = std::collections::HashSet::new();
    for (i, (p, given)) in planned.into_iter().enumerate() {
        // The same person twice in one file: the later row is what the file says.
        let key = (p.account_id, if p.email.is_empty() { p.name.to_lowercase() } else { p.email.to_lowercase() });
        if seen.get(&key) == Some(&true) {
            let at = writes.iter().position(|(_, w): &(Option<i64>, NewContact)| {
                w.account_id == p.account_id
                    && match p.email.is_empty() {
                        true => same(&w.name, &p.name),
                        false => same(&w.email, &p.email),
                    }
            });
            match at.map(|at| writes.remove(at)) {
                Some((None, _)) => report.new -= 1,
                Some((Some(_), _)) => report.updated -= 1,
                None => report.unchanged -= 1,
            }
        }
        let on_account = || had.get(&p.account_id).into_iter().flatten();
        let existing = on_account().find(|x| match p.email.is_empty() {
            true => same(&x.name, &p.name),
            false => same(&x.email, &p.email),
        });
        // A new email for the one person of that name at the account (a domain moved): that
        // person, their email changed. It was a second contact beside the first.
        let existing = existing.or_else(|| {
            let mut named = on_account().filter(|x| same(&x.name, &p.name) && !by_email.contains(&x.id));
            let only = named.next().filter(|_| named.next().is_none())?;
            (!p.email.is_empty()).then_some(only)
        });
        matched.extend(existing.map(|x| x.id));
        let counted = match existing {
            None if not_yours.refused(i, &mut problems, &mut rejected) => false,
            None => {
                if given.left_undated {
                    note_left_undated(&mut report, &p.name, opts.today);
                }
                report.new += 1;
                writes.push((None, p));
                true
            }
            Some(x) => {
                let p = NewContact {
                    title: if given.title { p.title } else { x.title.clone() },
                    email: if given.email { p.email } else { x.email.clone() },
                    role: if given.role { p.role } else { x.role },
                    status: if given.status { p.status } else { x.status },
                    // Left without a day, of someone the book has left: the day the book has (a
                    // file imported again each week moved their departure to each import's day).
                    left_on: match given.status {
                        true if given.left_undated && x.status == ContactStatus::Left => x.left_on,
                        true => p.left_on,
                        false => x.left_on,
                    },
                    note: if given.note { p.note } else { x.note.clone() },
                    created_on: x.created_on,
                    ..p
                };
                if !says_the_same(x, &p) && not_yours.refused(i, &mut problems, &mut rejected) {
                    false
                } else {
                    if given.left_undated && x.status != ContactStatus::Left {
                        note_left_undated(&mut report, &p.name, opts.today);
                    }
                    plan_update(&mut report, &mut writes, x.clone(), p);
                    true
                }
            }
        };
        seen.insert(key, counted);
    }
    NotYours::finish(&mut problems, rejected.len(), &mut report, opts)?;
    // The people of the file's accounts it no longer lists (gone from the CRM, left, moved):
    // kept as they are, and said, as an accounts file's accounts it does not name are.
    let unlisted: Vec<&crate::store::contacts::ContactRecord> = accounts_named
        .iter()
        .flat_map(|a| had.get(a).into_iter().flatten())
        .filter(|x| x.status == ContactStatus::Active && !matched.contains(&x.id))
        .collect();
    if let Some(first) = unlisted.first() {
        let first = format!("{} at {}", crate::text::clean(&first.name), crate::text::clean(&first.account));
        report.contacts_unlisted = Some((unlisted.len(), first));
    }
    // A person new to an account who is still an active contact of another (a champion who moved
    // to another customer): kept at both, and said; the book is read whole only when the file
    // adds someone with an email.
    let added: Vec<&NewContact> =
        writes.iter().filter(|(id, c)| id.is_none() && !c.email.is_empty()).map(|(_, c)| c).collect();
    if !added.is_empty() {
        let everyone = book.all_contacts()?;
        let mut by_email: HashMap<String, Vec<&crate::store::contacts::ContactRecord>> = HashMap::new();
        for x in everyone.iter().filter(|x| x.status == ContactStatus::Active && !x.email.is_empty()) {
            by_email.entry(x.email.to_lowercase()).or_default().push(x);
        }
        let mut elsewhere = added.iter().filter_map(|c| {
            let other = by_email.get(&c.email.to_lowercase())?.iter().find(|x| x.account_id != c.account_id)?;
            Some((c, other))
        });
        if let Some((c, other)) = elsewhere.next() {
            let first = format!(
                "{} ({}): {} -> {}",
                crate::text::clean(&c.name),
                crate::text::clean(&c.email),
                crate::text::clean(&other.account),
                crate::text::clean(&book.account(c.account_id)?.name)
            );
            report.contacts_elsewhere = Some((1 + elsewhere.count(), first));
        }
    }
    if opts.dry_run {
        return Ok(report);
    }
    book.transact(&mut |w| {
        let changed: Vec<(i64, NewContact)> =
            writes.iter().filter_map(|(id, c)| id.map(|id| (id, c.clone()))).collect();
        w.update_contacts(&changed)?;
        // The new ones at once, in the file's order.
        let new: Vec<NewContact> = writes.iter().filter(|(id, _)| id.is_none()).map(|(_, c)| c.clone()).collect();
        w.insert_contacts(&new)?;
        let touched: Vec<i64> = writes.iter().map(|(_, c)| c.account_id).collect();
        w.invalidate_snapshots_of(&touched)
    })?;
    save_rejects(&mut report, source, &table, &rejected, opts);
    Ok(report)
}
