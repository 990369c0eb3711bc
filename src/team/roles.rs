//! `tend db grant`, `revoke`, `members`: a person signed in to the team book as their own
//! PostgreSQL role, as a CSM (who writes on the accounts they own), a lead (who writes
//! everywhere) or an importer (who imports). The database keeps to it (see the policies in the
//! schema), whatever program connects; what they are is this book's alone (`team_members`).

use super::{Result, TeamBook, TeamError, detail};
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
    /// What they were in the book before, when it was something else.
    pub was: Option<String>,
    /// The other members who sign as the same CSM: the book cannot tell their writes apart.
    pub same_csm: Vec<String>,
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
    // As PostgreSQL folds a name typed without quotes: "Maya" would be another role than the
    // maya that psql's `\password Maya` names.
    let plain = role.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && role.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !plain || role.len() > 63 || role.starts_with("pg_") {
        return Err(TeamError::Refused(format!(
            "\"{role}\" cannot be a person's role here: lower-case letters, digits and _ (as PostgreSQL \
             reads a name typed without quotes), at most 63, not starting pg_"
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
        (MemberKind::Importer, _) if csm.is_some() || new_csm => {
            return Err(TeamError::Refused(
                "an importer signs nothing (the rows they import keep the CSMs their files name): drop --csm".into(),
            ));
        }
        _ => {}
    }
    let url = book.url.clone();
    let err = |e: postgres::Error| TeamError::Database { url: url.clone(), detail: said(&e) };
    let mut tx = book.checked_transaction()?;
    let found = tx
        .query_opt(
            "SELECT r.rolsuper OR r.rolbypassrls OR r.rolcreaterole OR r.rolreplication, r.rolcanlogin, r.oid = d.datdba,
                    (SELECT string_agg(g.rolname, ', ' ORDER BY g.rolname) FROM pg_auth_members m
                     JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid),
                    (SELECT string_agg(g.rolname, ', ' ORDER BY g.rolname) FROM pg_auth_members m
                     JOIN pg_roles g ON g.oid = m.member WHERE m.roleid = r.oid)
             FROM pg_roles r, pg_database d WHERE r.rolname = $1 AND d.datname = current_database()",
            &[&role],
        )
        .map_err(err)?;
    if let Some(row) = &found {
        let (unbound, login, owner, groups, members): (bool, bool, bool, Option<String>, Option<String>) =
            (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4));
        if unbound || owner {
            return Err(TeamError::Refused(format!(
                "{role} is {}: the database does not hold it to a member's rules; let each person in with a role of their own",
                if owner {
                    "the book's owner"
                } else {
                    "a superuser, or may create roles, replicate or bypass row-level security"
                }
            )));
        }
        // A member of another role may act as it (the owner's, or one with powers on the server).
        if let Some(groups) = groups {
            return Err(TeamError::Refused(format!(
                "{role} is a member of {groups}, and may act as them: the database could not hold it to a \
                 member's rules; let each person in with a plain role of their own"
            )));
        }
        // Roles that are members of it could act as it, unseen.
        if let Some(members) = members {
            return Err(TeamError::Refused(format!(
                "{members} may act as {role}: the team would not know who wrote what; let each person in \
                 with a plain role of their own"
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
            // Spaces as a person means them: "  zoë van  der berg " is "Zoë van der Berg".
            let query = &crate::text::single_spaced(query);
            let spaced = |name: &str| crate::text::single_spaced(name).to_lowercase();
            let csms: Vec<(i64, String)> = tx
                .query("SELECT id, name FROM csms ORDER BY id", &[])
                .map_err(err)?
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect();
            // With --new-csm the name is taken as written: a start of another's is not them.
            let found = match new_csm {
                true => {
                    csms.iter().find(|(_, n)| spaced(n) == query.to_lowercase()).map(|(_, n)| n.clone()).ok_or_else(
                        || crate::book::resolve::NameError::Unknown {
                            what: "CSM",
                            query: query.to_string(),
                            suggestions: Vec::new(),
                        },
                    )
                }
                false => resolve_name("CSM", query, csms.iter().map(|(_, n)| n.as_str())),
            };
            match found {
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
    let was: Option<String> =
        tx.query_opt("SELECT kind FROM team_members WHERE role_name = $1", &[&role]).map_err(err)?.map(|r| r.get(0));
    tx.execute(
        "INSERT INTO team_members (role_name, kind, csm_id) VALUES ($1, $2, $3)
         ON CONFLICT (role_name) DO UPDATE SET kind = excluded.kind, csm_id = excluded.csm_id",
        &[&role, &kind.name(), &csm_id],
    )
    .map_err(err)?;
    let same_csm: Vec<String> = tx
        .query(
            "SELECT role_name FROM team_members WHERE csm_id = $1 AND role_name <> $2 ORDER BY role_name",
            &[&csm_id, &role],
        )
        .map_err(err)?
        .iter()
        .map(|r| r.get(0))
        .collect();
    tx.commit().map_err(err)?;
    Ok(Granted { role_created: found.is_none(), csm: signs_as, was: was.filter(|w| w != kind.name()), same_csm })
}

/// Take `role` off the team: it no longer connects to the book (the role itself stays, as other
/// books on the cluster may have it). False when it was not on the team.
pub fn revoke(book: &mut TeamBook, role: &str) -> Result<Revoked> {
    let url = book.url.clone();
    let err = |e: postgres::Error| TeamError::Database { url: url.clone(), detail: said(&e) };
    let mut tx = book.checked_transaction()?;
    let was = tx.execute("DELETE FROM team_members WHERE role_name = $1", &[&role]).map_err(err)? > 0;
    if !was {
        // Not a member: nothing to take away (the owner's own right to connect least of all).
        return Ok(Revoked { was: false, sessions_left: 0 });
    }
    tx.batch_execute(&format!(
        "DO $$ BEGIN EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM %I', current_database(), {}); END $$",
        literal(role)
    ))
    .map_err(err)?;
    tx.commit().map_err(err)?;
    // Sessions they have open end now where the owner may end them (it takes pg_signal_backend);
    // those left are said.
    let sessions = |client: &mut postgres::Client| -> Vec<i32> {
        client
            .query("SELECT pid FROM pg_stat_activity WHERE usename = $1 AND datname = current_database()", &[&role])
            .map(|rows| rows.iter().map(|r| r.get(0)).collect())
            .unwrap_or_default()
    };
    let client = book.client.get_mut();
    for pid in sessions(client) {
        let _ = client.execute("SELECT pg_terminate_backend($1)", &[&pid]);
    }
    Ok(Revoked { was: true, sessions_left: sessions(client).len() })
}

/// What `revoke` did.
#[derive(Debug, PartialEq)]
pub struct Revoked {
    /// They were on the team.
    pub was: bool,
    /// Their sessions still open (the owner could not end them).
    pub sessions_left: usize,
}

/// The team, by role.
pub fn members(book: &mut TeamBook) -> Result<Vec<Member>> {
    let url = book.url.clone();
    let err = |e: postgres::Error| TeamError::Database { url: url.clone(), detail: said(&e) };
    let mut tx = book.checked_transaction()?;
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
