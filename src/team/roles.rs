//! `tend db grant`: a person signed in to the team book as their own PostgreSQL role, as a CSM
//! (who writes on the accounts they own), a lead (who writes everywhere) or an importer (who
//! imports). The database keeps to it (see the policies in the schema), whatever program connects.

use super::{Result, TeamBook, TeamError, detail, schema};

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

    fn group(self) -> &'static str {
        match self {
            MemberKind::Csm => "tend_csm",
            MemberKind::Lead => "tend_lead",
            MemberKind::Importer => "tend_importer",
        }
    }
}

/// What `grant` did.
#[derive(Debug, PartialEq)]
pub struct Granted {
    /// The role was made (it did not exist).
    pub role_created: bool,
    /// The CSM it signs as, and whether that CSM was new to the book.
    pub csm: Option<(String, bool)>,
}

/// Make `role` (a login role, created without a password if it does not exist) a member of the
/// team of this book as `kind`, signing as the CSM named `csm` (required for a CSM; a lead who
/// also owns accounts names theirs).
pub fn grant(book: &mut TeamBook, role: &str, kind: MemberKind, csm: Option<&str>) -> Result<Granted> {
    if role.trim().is_empty() || role.len() > 63 {
        return Err(TeamError::Refused(format!("{role:?} cannot be a PostgreSQL role name (1 to 63 characters)")));
    }
    let csm = csm.map(str::trim).filter(|c| !c.is_empty());
    if kind == MemberKind::Csm && csm.is_none() {
        return Err(TeamError::Refused(format!(
            "a CSM signs as a CSM of the book: `tend db grant {role} csm --csm \"Full Name\"`"
        )));
    }
    let url = book.url.clone();
    let err = |e: postgres::Error| TeamError::Database { url: url.clone(), detail: detail(&e) };
    let mut tx = book.client.transaction().map_err(err)?;
    schema::check(&mut tx, &url)?;
    let quoted = format!("\"{}\"", role.replace('"', "\"\""));
    let exists: bool =
        tx.query_one("SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1)", &[&role]).map_err(err)?.get(0);
    if !exists {
        tx.batch_execute(&format!("CREATE ROLE {quoted} LOGIN")).map_err(err)?;
    }
    for other in [MemberKind::Csm, MemberKind::Lead, MemberKind::Importer] {
        if other != kind {
            tx.batch_execute(&format!("REVOKE {} FROM {quoted}", other.group())).map_err(err)?;
        }
    }
    tx.batch_execute(&format!("GRANT {} TO {quoted}", kind.group())).map_err(err)?;
    let mut signs_as = None;
    let csm_id: Option<i64> = match csm {
        None => None,
        Some(name) => {
            let found = tx
                .query_opt("SELECT id, name FROM csms WHERE lower(name) = lower($1) ORDER BY id LIMIT 1", &[&name])
                .map_err(err)?;
            let (id, name, new) = match found {
                Some(row) => (row.get::<_, i64>(0), row.get::<_, String>(1), false),
                None => {
                    let id: i64 =
                        tx.query_one("INSERT INTO csms (name) VALUES ($1) RETURNING id", &[&name]).map_err(err)?.get(0);
                    (id, name.to_string(), true)
                }
            };
            signs_as = Some((name, new));
            Some(id)
        }
    };
    tx.execute(
        "INSERT INTO team_members (role_name, kind, csm_id) VALUES ($1, $2, $3)
         ON CONFLICT (role_name) DO UPDATE SET kind = excluded.kind, csm_id = excluded.csm_id",
        &[&role, &kind.name(), &csm_id],
    )
    .map_err(err)?;
    tx.commit().map_err(err)?;
    Ok(Granted { role_created: !exists, csm: signs_as })
}
