//! `tend db`: a book file backed up; team books on PostgreSQL: create one, move a book into it
//! and back, sign people in.

use std::path::Path;

use clap::Subcommand;
use color_eyre::Result;
use color_eyre::eyre::{bail, eyre};

use crate::team::roles::{self, MemberKind};
use crate::team::{TeamBook, copy, is_team_url, schema, shown};

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Create the schema of a team book in an empty PostgreSQL database (or bring an older one up
    /// to date): `tend db init postgres://owner@host/tend`
    Init {
        /// The database, as a URL: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE [default: --db]
        url: Option<String>,
    },
    /// Move a whole book from a SQLite file into an empty team book, or from a team book into a
    /// new SQLite file; every table is checked (rows counted and hashed) before anything is kept
    Copy {
        /// A book file, or a postgres:// URL
        #[arg(long, value_name = "FILE|URL")]
        from: String,
        /// A postgres:// URL (an empty team book), or a file that does not exist yet
        #[arg(long, value_name = "FILE|URL")]
        to: String,
    },
    /// Back up a book file (--db) into a new file, whole and consistent even while tend is open
    /// on it and writing (a `cp` of an open book misses what its write-ahead log holds)
    Backup {
        /// The copy: a file that does not exist yet
        to: std::path::PathBuf,
    },
    /// Let a person in: their own PostgreSQL role (created without a password if it does not
    /// exist), as a csm (writes on the accounts they own), a lead (writes everywhere) or an
    /// importer (imports). Run it as the book's owner, on the team book --db (or TEND_DB) names
    Grant {
        /// Their PostgreSQL role, e.g. alice
        role: String,
        /// csm, lead or importer
        #[arg(value_parser = ["csm", "lead", "importer"])]
        kind: String,
        /// Which of the book's CSMs they are: what they write is signed with that name (for a
        /// csm or a lead)
        #[arg(long, value_name = "NAME")]
        csm: Option<String>,
        /// --csm names a CSM the book does not have yet: add them
        #[arg(long)]
        new_csm: bool,
    },
    /// Take a person off the team: their role no longer connects to the team book (--db)
    Revoke { role: String },
    /// Who is on the team of the team book (--db): each role, what they are, the CSM they sign as
    Members,
}

pub fn run(action: DbCommand, db: Option<&Path>) -> Result<()> {
    match action {
        DbCommand::Init { url } => {
            // Named after `init`, or by --db (TEND_DB) as every other command names its book.
            let url = match &url {
                Some(url) => team_url(url)?,
                None => named_book(db, "init")?,
            };
            let mut book = TeamBook::connect(url)?;
            let done = schema::init(&mut book)?;
            super::emit(match done.from {
                0 => format!("created the team book at {} (schema version {})", book.url, done.to),
                from if from == done.to => {
                    format!("the team book at {} is up to date (schema version {from})", book.url)
                }
                from => format!("brought the team book at {} from schema version {from} to {}", book.url, done.to),
            });
        }
        DbCommand::Copy { from, to } => {
            // A line that moves while a big book is copied (on a terminal only).
            let bar = indicatif::ProgressBar::new_spinner().with_style(
                indicatif::ProgressStyle::with_template("copying {msg}: {human_pos} rows so far")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            for end in [&from, &to] {
                if is_team_url(end) {
                    team_url(end)?;
                }
            }
            let copied = match (is_team_url(&from), is_team_url(&to)) {
                (false, true) => copy::file_to_team(Path::new(&from), &mut TeamBook::connect(&to)?, &bar),
                (true, false) => copy::team_to_file(&mut TeamBook::connect(&from)?, Path::new(&to), &bar),
                (true, true) => bail!("both are team books: copy one into a file first, then the file into the other"),
                (false, false) => {
                    bail!(
                        "neither is a team book (postgres://…): `tend db backup FILE` copies a book file, open or not"
                    )
                }
            };
            bar.finish_and_clear();
            let copied = copied?;
            let (from, to) = (shown(&from), shown(&to));
            super::emit(format!(
                "copied {from} to {to}: {} accounts, {} rows in {} tables, each counted and hashed as read back from {to} (book hash {:032x})",
                crate::domain::account::thousands(copied.count("accounts")),
                crate::domain::account::thousands(copied.rows()),
                copied.tables.len(),
                copied.hash()
            ));
        }
        DbCommand::Backup { to } => {
            if let Some(url) = db.and_then(Path::to_str).filter(|d| is_team_url(d)) {
                bail!(
                    "{} is a team book: PostgreSQL backs it up (pg_dump), or `tend db copy --from URL --to FILE` makes a book file of it",
                    shown(url)
                );
            }
            let from = super::commands::existing_book(db)?;
            if to.exists() {
                bail!("{} exists already: tend writes a backup only into a new file", to.display());
            }
            let store = crate::store::Store::open(&from)?;
            store.back_up_to(&to)?;
            // Read back: the copy opens as a book, and holds every account.
            let copy = crate::store::Store::open(&to)?;
            let (accounts, copied) = (store.account_count()?, copy.account_count()?);
            if accounts != copied {
                bail!("{}: the copy holds {copied} accounts, the book {accounts}", to.display());
            }
            let size = std::fs::metadata(&to).map_or(0, |m| m.len());
            super::emit(format!(
                "backed up {} to {}: {} accounts, {:.1} MB, as the book stood at one moment (open it with --db {})",
                from.display(),
                to.display(),
                crate::domain::account::thousands(copied as u64),
                size as f64 / 1e6,
                to.display()
            ));
        }
        DbCommand::Grant { role, kind, csm, new_csm } => {
            let mut book = TeamBook::connect(named_book(db, &format!("grant {role} {kind}"))?)?;
            let kind = MemberKind::parse(&kind).ok_or_else(|| eyre!("{kind}: csm, lead or importer"))?;
            let done = roles::grant(&mut book, &role, kind, csm.as_deref(), new_csm)?;
            let mut said = format!("{role} is {} of the team book at {}", with_article(kind.name()), book.url);
            if let Some(was) = &done.was {
                said.push_str(&format!(" (was {})", with_article(was)));
            }
            match &done.csm {
                Some((name, true)) => said.push_str(&format!(", signing as {name}, a CSM new to the book.")),
                Some((name, false)) => said.push_str(&format!(", signing as {name}.")),
                None => said.push('.'),
            }
            said.push_str(&format!(" They connect with {}.", as_member(&book.url, &role)));
            if let (Some((name, _)), false) = (&done.csm, done.same_csm.is_empty()) {
                // Two people signing as one CSM write the same name on everything: said, in case
                // the name was meant for someone else (a second role of one person is fine).
                said.push_str(&format!(
                    " Note: {} already sign{} as {name}; what either writes is signed {name}, and the book cannot tell them apart \
                     (`tend db revoke ROLE` takes a role off the team).",
                    done.same_csm.join(", "),
                    if done.same_csm.len() == 1 { "s" } else { "" }
                ));
            }
            if done.role_created {
                said.push_str(&format!(
                    " {role} is a new PostgreSQL role without a password: set one in psql \
                     (`\\password {role}`), or let them in through your server's own sign-in (pg_hba.conf)."
                ));
            }
            super::emit(said);
        }
        DbCommand::Revoke { role } => {
            let mut book = TeamBook::connect(named_book(db, &format!("revoke {role}"))?)?;
            let done = roles::revoke(&mut book, &role)?;
            super::emit(match (done.was, done.sessions_left) {
                (false, _) => format!("{role} was not on the team of the team book at {}; nothing changed", book.url),
                (true, 0) => {
                    format!("{role} is off the team of the team book at {} and no longer connects to it", book.url)
                }
                (true, n) => format!(
                    "{role} is off the team of the team book at {} and cannot connect again, but {n} session{} \
                     they have open stays until it ends (ending it takes a superuser: \
                     SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}')",
                    book.url,
                    if n == 1 { "" } else { "s" }
                ),
            });
        }
        DbCommand::Members => {
            let mut book = TeamBook::connect(named_book(db, "members")?)?;
            let members = roles::members(&mut book)?;
            if members.is_empty() {
                super::emit(format!("no one is on the team of {} yet: `tend db grant ROLE csm --csm NAME`", book.url));
            }
            for m in members {
                let signs = m.csm.map(|c| format!(", signs as {c}")).unwrap_or_default();
                super::emit(format!("{}: {}{signs}", m.role, m.kind));
            }
        }
    }
    Ok(())
}

/// "a csm", "a lead", "an importer".
fn with_article(kind: &str) -> String {
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    // A kind of member as people write it: "a CSM", "a lead".
    let kind = if kind == "csm" { "CSM" } else { kind };
    format!("{article} {kind}")
}

/// The book's URL as a member writes it: their role in place of the owner's, no password.
fn as_member(url: &str, role: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let host = rest.rfind('@').map_or(rest, |at| &rest[at + 1..]);
    // The owner's password is not theirs to pass on, even hidden.
    let host = match host.split_once('?') {
        Some((path, query)) => {
            let kept: Vec<&str> =
                query.split('&').filter(|p| !p.to_ascii_lowercase().starts_with("password=")).collect();
            if kept.is_empty() { path.to_string() } else { format!("{path}?{}", kept.join("&")) }
        }
        None => host.to_string(),
    };
    format!("{scheme}://{role}@{host}")
}

/// The team book `--db` (or TEND_DB) names, for a command that needs one.
fn named_book<'a>(db: Option<&'a Path>, command: &str) -> Result<&'a str> {
    let Some(url) = db.and_then(Path::to_str) else {
        bail!("name the team book: `tend --db postgres://owner@host/tend db {command}` (or set TEND_DB)");
    };
    team_url(url)
}

/// A team book's URL, refused before connecting where it could only mislead: not a URL, no
/// database named (the driver would take the user's name for it), or an `@` in the password
/// (the host would be read from the middle of it).
fn team_url(text: &str) -> Result<&str> {
    if !is_team_url(text) {
        bail!("\"{}\" is not a team book: name one by its URL, postgres://USER@HOST/DATABASE", shown(text));
    }
    crate::team::connect::config_of(text).map_err(|e| eyre!(e))?;
    Ok(text)
}
