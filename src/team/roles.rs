//! `tend db grant`, `revoke`, `members`: a person signed in to the team book as their own
//! PostgreSQL role, as a CSM (who writes on the accounts they own), a lead (who writes
//! everywhere) or an importer (who imports). The database keeps to it (see the policies in the
//! schema), whatever program connects; what they are is this book's alone (`team_members`).

use super::{Result, TeamBook, TeamError, detail, schema};
use crate::book::resolve::resolve_name;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberKind {
    Csm,
    Lead,
    Importer,
}

impl MemberKind {
    pub fn parse(text: &str) -> Option<MemberKind> {
        match text.to_ascii_lowercase().as_str() {
            "csm" => Some(MemberKind::Csm),
            "lead" => Some(MemberKind::Lead),
            "importer" => Some(MemberKind::Importer),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            MemberKind::Csm => "csm",
            MemberKind::Lead => "lead",
            MemberKind::Importer => "importer",
        }
    }
}

/// What `grant` did.
#[derive(Debug, PartialEq)]
pub struct Granted {
    /// The role was made (it did not exist).
    pub role_created: bool,
    /// The CSM they sign as, and whether that CSM was new to the book.
    pub csm: Option<(String, bool)>,
}

/// One member of the team, as `members` lists them.
#[derive(Debug, PartialEq)]
pub struct Member {
    pub role: String,
    pub kind: String,
    pub csm: Option<String>,
}

/// Let `role` into the book as `kind` (creating the login role, without a password, if the
/// cluster has none of that name). A CSM or a lead signs as the book's CSM `csm` names (by the
/// one rule for names: a unique start will do); `new_csm` adds a CSM the book does not have yet.
pub fn grant(book: &mut TeamBook, role: &str, kind: MemberKind, csm: Option<&str>, new_csm: bool) -> Result<Granted> {
    if role.trim().is_empty() || role.len() > 63 || role.starts_with("pg_") {
        return Err(TeamError::Refused(format!(
            "\"{role}\" cannot be a person's PostgreSQL role (1 to 63 characters, not starting pg_)"
        )));
    }
    let csm = csm.map(str::trim).filter(|c| !c.is_empty());
    match (kind, csm) {
        (MemberKind::Csm | MemberKind::Lead, None) => {
            return Err(TeamError::Refused(format!(
                "which of the book's CSMs is {role}? What they write is signed with that name: \
                 `tend db grant {role} {} --csm \"Full Name\"`",
                kind.name()
            )));
        }
        (MemberKind::Importer, Some(_)) => {
            return Err(TeamError::Refused(
                "an importer signs nothing (the rows they import keep the CSMs their files name): drop --csm".into(),
            ));
        }
        _ => {}
    }
    let url = book.url.clone();
    let err = |e: postgres::Error| TeamError::Database { url: url.clone(), detail: said(&e) };
    let mut tx = book.client.get_mut().transaction().map_err(err)?;
    schema::check(&mut tx, &url)?;
    let found = tx
        .query_opt(
            "SELECT r.rolsuper OR r.rolbypassrls, r.rolcanlogin, r.oid = d.datdba
             FROM pg_roles r, pg_database d WHERE r.rolname = $1 AND d.datname = current_database()",
            &[&role],
        )
        .map_err(err)?;
    if let Some(row) = &found {
        let (unbound, login, owner): (bool, bool, bool) = (row.get(0), row.get(1), row.get(2));
        if unbound || owner {
            return Err(TeamError::Refused(format!(
                "{role} is {}: the database does not hold it to a member's rules; let each person in with a role of their own",
                if owner { "the book's owner" } else { "a superuser (or bypasses row-level security)" }
            )));
        }
        if !login {
            return Err(TeamError::Refused(format!(
                "{role} is a role that cannot sign in (a group?): let each person in with a login role of their own"
            )));
        }
    }
    let quoted = format!("\"{}\"", role.replace('"', "\"\""));
    if found.is_none() {
        tx.batch_execute(&format!("CREATE ROLE {quoted} LOGIN")).map_err(err)?;
    }
    tx.batch_execute(&format!(
        "DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), {}); END $$",
        literal(role)
    ))
    .map_err(err)?;
    let mut signs_as = None;
    let csm_id: Option<i64> = match csm {
        None => None,
        Some(query) => {
            let csms: Vec<(i64, String)> = tx
                .query("SELECT id, name FROM csms ORDER BY id", &[])
                .map_err(err)?
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect();
            match resolve_name("CSM", query, csms.iter().map(|(_, n)| n.as_str())) {
                Ok(name) => {
                    let id = csms.iter().find(|(_, n)| *n == name).map(|(id, _)| *id);
                    signs_as = Some((name, false));
                    id
                }
                Err(_) if new_csm => {
                    let id: i64 = tx
                        .query_one("INSERT INTO csms (name) VALUES ($1) RETURNING id", &[&query])
                        .map_err(err)?
                        .get(0);
                    signs_as = Some((query.to_string(), true));
                    Some(id)
                }
                Err(e) => {
                    return Err(TeamError::Refused(format!(
                        "--csm: {e}; --new-csm adds a CSM the book does not have yet"
                    )));
                }
            }
        }
    };
    tx.execute(
        "INSERT INTO team_members (role_name, kind, csm_id) VALUES ($1, $2, $3)
         ON CONFLICT (role_name) DO UPDATE SET kind = excluded.kind, csm_id = excluded.csm_id",
        &[&role, &kind.name(), &csm_id],
    )
    .map_err(err)?;
    tx.commit().map_err(err)?;
    Ok(Granted { role_created: found.is_none(), csm: signs_as })
}

/// Take `role` off the team: it no longer connects to the book (the role itself stays, as other
/// books on the cluster may have it). False when it was not on the team.
pub fn revoke(book: &mut TeamBook, role: &str) -> Result<bool> {
    let url = book.url.clone();
    let err = |e: postgres::Error| TeamError::Database { url: url.clone(), detail: said(&e) };
    let mut tx = book.client.get_mut().transaction().map_err(err)?;
    schema::check(&mut tx, &url)?;
    let was = tx.execute("DELETE FROM team_members WHERE role_name = $1", &[&role]).map_err(err)? > 0;
    let exists: bool =
        tx.query_one("SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1)", &[&role]).map_err(err)?.get(0);
    if exists {
        tx.batch_execute(&format!(
            "DO $$ BEGIN EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM %I', current_database(), {}); END $$",
            literal(role)
        ))
        .map_err(err)?;
    }
    tx.commit().map_err(err)?;
    Ok(was)
}

/// The team, by role.
pub fn members(book: &mut TeamBook) -> Result<Vec<Member>> {
    let url = book.url.clone();
    let err = |e: postgres::Error| TeamError::Database { url: url.clone(), detail: said(&e) };
    let mut tx = book.client.get_mut().transaction().map_err(err)?;
    schema::check(&mut tx, &url)?;
    let rows = tx
        .query(
            "SELECT m.role_name, m.kind, c.name FROM team_members m LEFT JOIN csms c ON c.id = m.csm_id ORDER BY m.role_name",
            &[],
        )
        .map_err(err)?;
    Ok(rows.iter().map(|r| Member { role: r.get(0), kind: r.get(1), csm: r.get(2) }).collect())
}

/// A string as an SQL literal.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// What went wrong, said for a team lead rather than a DBA where it is a matter of rights.
fn said(e: &postgres::Error) -> String {
    let text = detail(e);
    if text.contains("permission denied to create role") || text.contains("permission denied to grant") {
        return format!(
            "{text}: let people in as the book's owner (the role that ran `tend db init`), with the right to create roles (CREATEROLE)"
        );
    }
    text
}
