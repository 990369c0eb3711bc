//! `tend db`: team books on PostgreSQL: create one, move a book into it and back, sign people in.

use std::path::Path;

use clap::Subcommand;
use color_eyre::Result;
use color_eyre::eyre::bail;

use crate::team::roles::{self, MemberKind};
use crate::team::{TeamBook, copy, is_team_url, schema, shown};

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Create the schema of a team book in an empty PostgreSQL database (or bring an older one up
    /// to date): `tend db init postgres://owner@host/tend`
    Init {
        /// The database, as a URL: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE
        url: String,
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
    /// Let a person in: their own PostgreSQL role (created without a password if it does not
    /// exist), as a csm (writes on the accounts they own), a lead (writes everywhere) or an
    /// importer (imports). Run it as the book's owner, on the team book --db (or TEND_DB) names
    Grant {
        /// Their PostgreSQL role, e.g. alice
        role: String,
        /// csm, lead or importer
        #[arg(value_parser = ["csm", "lead", "importer"])]
        kind: String,
        /// The CSM of the book they sign as (required for a csm; a lead may own accounts too)
        #[arg(long, value_name = "NAME")]
        csm: Option<String>,
    },
}

pub fn run(action: DbCommand, db: Option<&Path>) -> Result<()> {
    match action {
        DbCommand::Init { url } => {
            let url = team_url(&url)?;
            let mut book = TeamBook::connect(url)?;
            let done = schema::init(&mut book)?;
            super::emit(match done.from {
                0 => format!("created the team book at {} (schema step {})", book.url, done.to),
                from if from == done.to => format!("the team book at {} is up to date (schema step {from})", book.url),
                from => format!("brought the team book at {} from schema step {from} to {}", book.url, done.to),
            });
        }
        DbCommand::Copy { from, to } => {
            // A line that moves while a big book is copied (on a terminal only).
            let bar = indicatif::ProgressBar::new_spinner().with_style(
                indicatif::ProgressStyle::with_template("copying {msg}: {human_pos} rows so far")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            let copied = match (is_team_url(&from), is_team_url(&to)) {
                (false, true) => copy::file_to_team(Path::new(&from), &mut TeamBook::connect(&to)?, &bar),
                (true, false) => copy::team_to_file(&mut TeamBook::connect(&from)?, Path::new(&to), &bar),
                (true, true) => bail!("both are team books: copy one into a file first, then the file into the other"),
                (false, false) => {
                    bail!("neither is a team book (postgres://…): copy a book file with `cp` while tend is closed")
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
        DbCommand::Grant { role, kind, csm } => {
            let Some(url) = db.map(|p| p.to_string_lossy().into_owned()) else {
                bail!(
                    "name the team book: `tend --db postgres://owner@host/tend db grant {role} {kind}` (or set TEND_DB)"
                );
            };
            let url = team_url(&url)?;
            let kind = MemberKind::parse(&kind).expect("clap keeps to the three kinds");
            let mut book = TeamBook::connect(url)?;
            let done = roles::grant(&mut book, &role, kind, csm.as_deref())?;
            let made = if done.role_created {
                " (a new role, without a password: give it one, or let your server's authentication in)"
            } else {
                ""
            };
            let signs = match &done.csm {
                Some((name, true)) => format!(", signing as {name} (a CSM new to the book)"),
                Some((name, false)) => format!(", signing as {name}"),
                None => String::new(),
            };
            let article = if kind == MemberKind::Importer { "an" } else { "a" };
            super::emit(format!("{role} is {article} {} of the team book at {}{signs}{made}", kind.name(), book.url));
        }
    }
    Ok(())
}

fn team_url(text: &str) -> Result<&str> {
    if !is_team_url(text) {
        bail!("{text} is not a team book: name one by its URL, postgres://USER@HOST/DATABASE");
    }
    Ok(text)
}
