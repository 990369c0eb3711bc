//! The command line: `tend` opens the TUI; subcommands do everything scriptable.

mod backtest;
mod brief;
mod commands;
mod complete;
mod contact;
mod db;
mod log;
mod render;
mod report;
mod task;
mod team_demo;
mod team_snapshot;

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{CommandFactory, Parser, Subcommand};
use clap_complete::ArgValueCompleter;

pub use commands::run;

/// The command-line grammar, for completion and the man page.
pub fn command() -> clap::Command {
    Cli::command()
}

/// The command line parsed, or tend ended with clap's message: a report's name typed as a
/// command (`tend triage`, as a new user would) is told the command it is (`tend report
/// triage`), which clap's own suggestions do not offer.
pub fn parse(args: Vec<std::ffi::OsString>) -> Cli {
    let typed_report = |e: &clap::Error| -> Option<String> {
        use clap::ValueEnum;
        use clap::error::{ContextKind, ContextValue, ErrorKind};
        if e.kind() != ErrorKind::InvalidSubcommand {
            return None;
        }
        let Some(ContextValue::String(typed)) = e.get(ContextKind::InvalidSubcommand) else { return None };
        let typed = typed.to_lowercase();
        let kind = ReportKind::value_variants().iter().find(|k| {
            k.to_possible_value()
                .is_some_and(|v| v.matches(&typed, true) || strsim::jaro_winkler(v.get_name(), &typed) > 0.85)
        })?;
        Some(kind.to_possible_value()?.get_name().to_string())
    };
    // `export TEND_AS_OF=` (to clear it) made every command fail with "\"\" is not a date": a
    // variable set to nothing is no setting.
    for name in ["TEND_AS_OF", "TEND_DB", "TEND_CONFIG"] {
        if std::env::var_os(name).is_some_and(|v| v.to_string_lossy().trim().is_empty()) {
            // SAFETY: parsing the command line comes first in `main`, before tend starts a thread.
            unsafe { std::env::remove_var(name) };
        }
    }
    // The help says where the book and the config are on this machine, not only "in the platform
    // config directory" (a probe looked for the config's path in `tend config --help`).
    let at = |what: &str, path: PathBuf| format!("{what} [default: {}]", path.display());
    let command = Cli::command()
        .mut_arg("db", |a| {
            a.help(at(
                "The book (a SQLite file) to use, or a team book's postgres:// URL (every command)",
                crate::config::paths::default_db(),
            ))
        })
        .mut_arg("config", |a| a.help(at("The config file", crate::config::paths::default_config())));
    let parsed = command.try_get_matches_from(args).and_then(|mut matches| {
        use clap::FromArgMatches;
        Cli::from_arg_matches_mut(&mut matches)
    });
    match parsed {
        Ok(cli) => cli,
        Err(e) => {
            if let Some(report) = typed_report(&e) {
                let _ = e.print();
                eprintln!("\n  tip: reports are a command of their own: tend report {report}");
                std::process::exit(e.exit_code());
            }
            e.exit()
        }
    }
}

/// Print a line to standard output, each of its lines cleaned of control characters and escape
/// sequences (a note or a title from the book never reaches the terminal raw). A closed pipe
/// (`tend ... | head`) ends tend quietly, as command-line tools do, instead of failing.
pub(crate) fn emit(line: impl std::fmt::Display) {
    use std::io::Write;
    if let Err(e) = writeln!(std::io::stdout().lock(), "{}", crate::text::clean_lines(&line.to_string()))
        && e.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(0);
    }
}

/// `emit` for words people read (an import's report): on a terminal each line is wrapped whole
/// at its width, under its own indent, rather than cut mid-word by the terminal.
pub(crate) fn emit_text(text: &str) {
    let lines: Vec<String> = text.lines().flat_map(crate::rows::text_lines).collect();
    emit(lines.join("\n"));
}

/// Write bytes to standard output as they are (a script, a man page); a closed pipe ends quietly.
pub(crate) fn emit_bytes(bytes: &[u8]) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(bytes).and_then(|()| out.flush())
        && e.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(0);
    }
}

/// A score as typed: a whole number (the scales are points, 1-10 or 0-10), said so rather than
/// as the parser's "invalid digit" for 5.5; the range is checked with the kind of score.
fn whole_score(text: &str) -> Result<i64, String> {
    text.trim().parse().map_err(|_| {
        format!(
            "\"{text}\" is not a whole number: scores are whole points (sentiment 1-10, NPS 0-10, CSAT 1-5, CES 1-7)"
        )
    })
}

/// `--as-of` as people type days, relative to the real today.
fn as_of_day(text: &str) -> Result<NaiveDate, String> {
    crate::domain::input::parse_day("as-of", text, chrono::Local::now().date_naive())
        .map_err(|e| e.to_string().trim_start_matches("as-of: ").to_string())
}

#[derive(Debug, Parser)]
#[command(name = "tend", version, about = "A terminal cockpit for customer-success managers")]
pub struct Cli {
    /// The book (a SQLite file) to use, or a team book's postgres:// URL (every command) [default: tend.db in the platform data directory]
    #[arg(long, global = true, env = "TEND_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// The config file [default: config.toml in the platform config directory]
    #[arg(long, global = true, env = "TEND_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Score the book as of this day instead of today (YYYY-MM-DD, yesterday, -7d, last fri…); a day still to come previews the book, and nothing is written on it
    #[arg(long, global = true, env = "TEND_AS_OF", value_name = "DATE", allow_hyphen_values = true, value_parser = as_of_day)]
    pub as_of: Option<NaiveDate>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build a realistic demo book (its own file, never your real book) and open it
    Demo {
        /// How many accounts (up to 1,000,000)
        #[arg(long, default_value_t = crate::demo::DEFAULT_ACCOUNTS as u64, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
        accounts: u64,
        /// Seed: the same seed and day give the same book
        #[arg(long, default_value_t = crate::demo::DEFAULT_SEED)]
        seed: u64,
        /// Build it afresh even if it exists
        #[arg(long)]
        rebuild: bool,
        /// Only write the book; do not open the TUI
        #[arg(long)]
        no_open: bool,
    },
    /// Check the configuration
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Log what you learned about an account: sentiment, a touch, an NPS response, a bug, a risk
    Log {
        #[command(subcommand)]
        entry: LogCommand,
    },
    /// The customer's goals: add, change status, list
    Goal {
        #[command(subcommand)]
        action: GoalCommand,
    },
    /// Journey milestones: add, mark done, list
    Milestone {
        #[command(subcommand)]
        action: MilestoneCommand,
    },
    /// Next steps: add a task with a due day and an owner, mark it done or dropped, list them
    Task {
        #[command(subcommand)]
        action: TaskCommand,
    },
    /// The people at an account: add them with a role, mark them left, list them
    Contact {
        #[command(subcommand)]
        action: ContactCommand,
    },
    /// Import a CSV export: accounts (with outcomes), metric samples (long or wide), log entries, goals, milestones, tasks, contacts or a help desk's tickets (HubSpot and Salesforce contact exports read as they are). `-` reads stdin
    #[command(after_long_help = crate::import::help::columns())]
    Import {
        /// accounts, metrics, logs, goals, milestones, tasks, contacts or tickets
        #[arg(value_enum)]
        what: ImportWhat,
        /// The CSV file, or - for standard input
        file: PathBuf,
        /// Read the columns of a known export
        #[arg(long, value_enum)]
        preset: Option<crate::import::Preset>,
        /// Say what would change; write nothing
        #[arg(long)]
        dry_run: bool,
        /// Import the good rows and write the bad ones, with a reason, to a rejects CSV
        #[arg(long)]
        skip_bad_rows: bool,
        /// Where rejected rows go [default: beside FILE, accounts.csv -> accounts.rejects.csv, or
        /// the next free name, accounts.rejects-2.csv, so an earlier run's is kept]; a file named
        /// here is replaced, a SQLite database only with --force
        #[arg(long, value_name = "PATH")]
        rejects: Option<PathBuf>,
        /// Let --rejects replace a SQLite database (never the book or the input)
        #[arg(long)]
        force: bool,
        /// Do not plan the config's journeys for new accounts (e.g. when restoring an export)
        #[arg(long)]
        no_journeys: bool,
        /// Do not run the config's playbooks after the import (e.g. when restoring an export: its
        /// tasks come in their own file)
        #[arg(long)]
        no_playbooks: bool,
        /// Keep no copy of the book to take the import back with (`tend undo --import`): for a
        /// book too large to copy (the copy is the book's size, beside it)
        #[arg(long)]
        no_undo: bool,
        /// How a date like 03/04/2026 reads in this file, where nothing in it says (a day above
        /// 12 does): mdy (March 4) or dmy (3 April); import.date_order in the config otherwise.
        /// In a file that mixes both, a date only the other order reads is then a bad row
        #[arg(long, value_enum, value_name = "ORDER")]
        date_order: Option<crate::import::values::DateOrder>,
        /// The scale of a logs file's sentiments given as numbers: 10 (tend's 1-10, as written)
        /// or 5 (1-5, read onto 1-10: 1 -> 1, 2 -> 3, 3 -> 5, 4 -> 8, 5 -> 10). Without it, 1-10,
        /// and the summary says when the file's look like 1-5
        #[arg(long, value_enum, value_name = "5|10")]
        sentiment_scale: Option<crate::import::values::SentimentScale>,
        /// Accounts only: match rows to the book's accounts by name, not by the file's external
        /// id column, which is kept as a column of its own (another system's ids: a billing
        /// export beside the CRM's accounts)
        #[arg(long)]
        by_name: bool,
        /// Accounts only: accounts the book has churned stay churned whatever the file's status
        /// says (a CRM whose stage still says customer, beside a billing export's cancellations);
        /// `tend reactivate` brings one back
        #[arg(long)]
        keep_churned: bool,
        /// Accounts only: new accounts' journeys still under way get their steps already past
        /// too, overdue (a customer of five weeks: its kickoff and admin training); without it only
        /// the steps ahead are planned, and those left out are said
        #[arg(long)]
        include_past: bool,
    },
    /// Export accounts (with score, band, segment, and each factor's value and points), metric samples, log entries, goals, milestones, tasks or contacts
    Export {
        #[arg(value_enum)]
        what: ExportWhat,
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        /// Write to this file instead of standard output (whole or not at all; an existing file
        /// is replaced, a SQLite database only with --force; never the book)
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Let -o replace a SQLite database (never the book or the config in use)
        #[arg(long)]
        force: bool,
    },
    /// Bring today's scores and health history up to date, and work the next working day out
    /// ahead (its scores, history and Triage list) so that its first open is at once; run it
    /// nightly from cron. On a team book: each member's Triage list of the day, kept in the team
    /// book (their first open shows it at once, until their accounts are written to, or a lead or
    /// an importer writes)
    Snapshot,
    /// Find accounts and CSMs whose name (or external id) contains every word, accounts whose
    /// notes contain every word, and log notes, risks, goals, milestone notes, tasks and people
    /// (name, title, email, role) in which every word starts a word
    Search {
        /// What to look for, e.g. "acme" or "security review"
        #[arg(required = true, num_args = 1..)]
        words: Vec<String>,
        /// At most this many hits (1 or more)
        #[arg(long, default_value_t = 20, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
        limit: usize,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Reports: triage, team, renewals, metrics (retention), a one-on-one agenda, or a brief for chat
    Report {
        #[arg(value_enum)]
        kind: ReportKind,
        #[command(flatten)]
        options: ReportOptions,
    },
    /// Undo the last change made from the command line (a log entry, goal, milestone, task,
    /// contact, renewal, churn, override or delete), as `u` does in the TUI; or list them
    /// (--list), or undo one by its number there; or take the last import back whole (--import). On a team book: your own
    /// changes, made on it from the command line or the screens; a change with a later one to the
    /// same row (yours or a teammate's) is refused
    Undo {
        /// The change to undo, by its number in `--list` [default: the last one]
        #[arg(value_parser = change_number)]
        number: Option<i64>,
        /// List the changes that can be undone, newest first, with their numbers and where each
        /// was made (the command line, the screens, a playbook; on a team book: yours)
        #[arg(long, conflicts_with = "number")]
        list: bool,
        /// How many --list shows (1 or more)
        #[arg(long, default_value_t = 20, requires = "list", value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
        limit: usize,
        #[arg(long, value_enum, default_value = "table", requires = "list")]
        format: Format,
        /// Put the book back as it was before its last import (with the tasks its playbooks
        /// opened), from the copy the import kept beside it; refused once anything has been
        /// written to the book since
        #[arg(long, conflicts_with_all = ["number", "list"])]
        import: bool,
    },
    /// Test each factor and the blended score against the accounts that renewed and churned
    Backtest {
        /// Read the factors this many days before each outcome
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(i64).range(0..=730))]
        days_before: i64,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        /// Also suggest each factor's direction, thresholds and weight from the outcomes, judged
        /// by cross-validation against the config and a logistic regression, and print them as
        /// a TOML snippet for the config
        #[arg(long)]
        suggest: bool,
        /// Folds of the cross-validation behind --suggest
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(2..=10))]
        folds: u64,
    },
    /// Mark an account renewed: its next renewal date and (optionally) its new ARR
    Renew {
        /// External id or the start of the account's name
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: String,
        /// The next renewal date (YYYY-MM-DD, or +1y, next month… from today) [default: a year on from its
        /// renewal date, as the R form offers]
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        until: Option<String>,
        /// The new ARR, e.g. 48000 or "$48,000" [default: unchanged]
        // A negative amount is read as one, and refused with its reason (it was taken for an
        // option: "unexpected argument '-5'").
        #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
        arr: Option<String>,
        /// When it renewed [default: today]
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
        /// Sign it as this CSM
        #[arg(long, value_name = "NAME")]
        #[arg(add = ArgValueCompleter::new(complete::csms))]
        by: Option<String>,
    },
    /// Override an account's band (green, yellow, orange or red) with a reason until a day, or clear it
    Override {
        /// External id or the start of the account's name
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: String,
        /// green, yellow, orange, red, or clear
        band: String,
        /// Why the computed band is wrong (required to set one)
        #[arg(long, default_value = "")]
        reason: String,
        /// The first day it no longer applies (YYYY-MM-DD, +2w, fri…) [default: in 30 days]
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        until: Option<String>,
        /// Sign it as this CSM (any case, or the start of a name) [default: `me` from the config,
        /// else the account's owner; on a team book, the CSM you sign in as, always]
        #[arg(long, value_name = "NAME")]
        #[arg(add = ArgValueCompleter::new(complete::csms))]
        by: Option<String>,
    },
    /// Mark an account churned, with the reason
    Churn {
        /// External id or the start of the account's name
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: String,
        /// Why they left
        #[arg(long)]
        reason: String,
        /// When it churned [default: today]
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
        /// Sign it as this CSM (any case, or the start of a name) [default: `me` from the config,
        /// else the account's owner; on a team book, the CSM you sign in as, always]
        #[arg(long, value_name = "NAME")]
        #[arg(add = ArgValueCompleter::new(complete::csms))]
        by: Option<String>,
    },
    /// A churned account is a customer again: active from --date, a new logo from that day
    Reactivate {
        /// External id or the start of the account's name
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: String,
        /// When it came back [default: today]
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
        /// Its ARR now [default: its ARR before the churn]
        // A negative amount is read as one, and refused with its reason (it was taken for an
        // option: "unexpected argument '-5'").
        #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
        arr: Option<String>,
        /// Sign it as this CSM (any case, or the start of a name) [default: `me` from the config,
        /// else the account's owner; on a team book, the CSM you sign in as, always]
        #[arg(long, value_name = "NAME")]
        #[arg(add = ArgValueCompleter::new(complete::csms))]
        by: Option<String>,
    },
    /// Hand an account to another CSM (a lead's move when someone leaves or joins); `tend undo`
    /// hands it back; every account of a CSM at once: `tend handover`. On a team book, only a
    /// lead may
    Assign {
        /// External id or the start of the account's name
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: String,
        /// The CSM it goes to (their name, or the start of it)
        #[arg(add = ArgValueCompleter::new(complete::csms))]
        csm: String,
        /// Someone new to the book: added as a CSM by that name
        #[arg(long)]
        new_csm: bool,
    },
    /// Hand every live account of one CSM to another (someone leaving, or a patch redrawn), with
    /// the open tasks they own on them, in one change; `tend undo` hands them all back. Their
    /// churned accounts stay theirs. On a team book, only a lead may
    Handover {
        /// The CSM whose accounts go (their name, or the start of it)
        #[arg(add = ArgValueCompleter::new(complete::csms))]
        from: String,
        /// The CSM they go to (their name, or the start of it)
        #[arg(add = ArgValueCompleter::new(complete::csms))]
        to: String,
        /// Someone new to the book: added as a CSM by that name
        #[arg(long)]
        new_csm: bool,
    },
    /// Plan a journey's milestones for an account from its template in the config
    Journey {
        #[command(subcommand)]
        action: JourneyCommand,
    },
    /// Print the shell script that completes tend's commands, options, and the accounts, CSMs,
    /// segments and journeys of your book and config: e.g. `source <(tend completions bash)`
    Completions {
        /// bash, zsh, fish, elvish or powershell
        shell: String,
    },
    /// Back up a book file; team books on PostgreSQL: create one, move a book into it and back, let
    /// people in
    Db {
        #[command(subcommand)]
        action: db::DbCommand,
    },
    /// Print tend's man page (roff), or write one page per command into a folder
    Man {
        /// Write tend.1, tend-log.1, tend-log-sentiment.1, … into this folder instead
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportKind {
    Triage,
    Team,
    Renewals,
    Metrics,
    OneOnOne,
    /// Week by week over the history window: the share of accounts and of ARR in each band
    HealthTrend,
    /// The book in a few lines for a chat post: size, health by band, renewals, falls, and the
    /// accounts that need attention first
    Brief,
}

pub use crate::rows::Format;

#[derive(Debug, Clone, clap::Args)]
pub struct ReportOptions {
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Only this CSM's accounts (one-on-one: whose agenda); `me` is yours, `all` every CSM's (a
    /// CSM's triage on a team book is their own unless `--csm` says otherwise)
    #[arg(long, value_name = "NAME")]
    #[arg(add = ArgValueCompleter::new(complete::csms))]
    pub csm: Option<String>,
    /// Only this segment's accounts
    #[arg(long, value_name = "NAME")]
    #[arg(add = ArgValueCompleter::new(complete::segments))]
    pub segment: Option<String>,
    /// Renewals: how many days ahead [default: 90]
    #[arg(long)]
    pub days: Option<i64>,
    /// Metrics: first day of the period (YYYY-MM-DD, -6m…) [default: a year before --to]
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub from: Option<String>,
    /// Metrics: last day of the period [default: the as-of day]
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub to: Option<String>,
    /// Metrics: book, csm, segment, cohort (the quarter they became customers) or field:NAME (an
    /// account column such as plan, or an imported column such as sales_rep) [default: book]
    #[arg(long, value_name = "GROUP", add = ArgValueCompleter::new(complete::groups))]
    pub by: Option<String>,
    /// Metrics: only this table (retention, satisfaction or cohorts), e.g. for CSV
    #[arg(long, value_name = "TABLE")]
    pub section: Option<String>,
    /// Triage: every item, not only the first `triage.daily_limit`; one-on-one: every item, not only the 8 under each heading that need a lead most
    #[arg(long)]
    pub all: bool,
    /// Write to this file instead of standard output (whole or not at all; an existing file is
    /// replaced, a SQLite database only with --force; never the book)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Let -o replace a SQLite database (never the book or the config in use)
    #[arg(long)]
    pub force: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportWhat {
    Accounts,
    Metrics,
    Logs,
    Goals,
    Milestones,
    Tasks,
    Contacts,
    /// A help desk's export, a row a ticket: counted a day as the support_tickets metric
    Tickets,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportWhat {
    Accounts,
    Metrics,
    Logs,
    Goals,
    Milestones,
    Tasks,
    Contacts,
}

/// What the goal and milestone lists take: whose, and in which format.
#[derive(Debug, clap::Args)]
pub struct Listed {
    /// Only this account's [default: every account's]
    #[arg(add = ArgValueCompleter::new(complete::accounts))]
    pub account: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

/// Who a change is signed by: every logging command's, and alone for commands that plan rather
/// than log what happened (no --date, no --note: they would be taken and ignored).
#[derive(Debug, clap::Args)]
pub struct Signed {
    /// Sign it as this CSM (any case, or the start of a name) [default: `me` from the config,
    /// else the account's owner; on a team book, the CSM you sign in as, always]
    #[arg(long, value_name = "NAME")]
    #[arg(add = ArgValueCompleter::new(complete::csms))]
    pub by: Option<String>,
    /// With --by: a CSM not in the book yet, added under that name
    #[arg(long, requires = "by")]
    pub new_csm: bool,
}

/// Options every logging command shares.
#[derive(Debug, clap::Args)]
pub struct Logged {
    /// When it happened (YYYY-MM-DD, yesterday, -3d, last fri…) [default: today]
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub date: Option<String>,
    /// A note
    #[arg(long, default_value = "", hide_default_value = true)]
    pub note: String,
    #[command(flatten)]
    pub signed: Signed,
}

/// A survey response: its account, score, and who answered.
#[derive(Debug, clap::Args)]
pub struct Survey {
    /// External id or the start of the account's name
    #[arg(add = ArgValueCompleter::new(complete::accounts))]
    pub account: String,
    /// The answer, a whole number on the survey's scale (NPS 0-10, CSAT 1-5, CES 1-7)
    #[arg(allow_negative_numbers = true, value_parser = whole_score)]
    pub score: i64,
    /// The respondent's role: decision maker, executive sponsor, champion, user, detractor
    /// [default: the role of the contact given by --from]
    #[arg(long, value_name = "ROLE")]
    pub role: Option<String>,
    /// Who answered: a contact of the account by name (any case, or the start of it)
    #[arg(long = "from", value_name = "NAME")]
    pub from: Option<String>,
    #[command(flatten)]
    pub logged: Logged,
}

#[derive(Debug, Subcommand)]
pub enum LogCommand {
    /// CSM sentiment, 1-10: how happy do you think the customer is?
    Sentiment {
        /// External id or the start of the account's name
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: String,
        /// How happy you think the customer is, 1 (about to leave) to 10 (delighted)
        #[arg(allow_negative_numbers = true, value_parser = whole_score)]
        score: i64,
        #[command(flatten)]
        logged: Logged,
    },
    /// A touch: call, email, meeting, qbr, onsite or chat
    Touch {
        /// External id or the start of the account's name
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: String,
        /// call, email, meeting, qbr, onsite or chat
        kind: String,
        /// Who it was with: a contact of the account by name (any case, or the start of it); again
        /// for each person
        #[arg(long = "with", value_name = "NAME")]
        with: Vec<String>,
        #[command(flatten)]
        logged: Logged,
    },
    /// An NPS response, 0-10 (9-10 promoters, 0-6 detractors)
    Nps(Survey),
    /// A CSAT response, 1-5 (4-5 satisfied)
    Csat(Survey),
    /// A CES response, 1-7 (1 the least effort)
    Ces(Survey),
    /// A bug escalated to engineering (--date is when it was opened)
    Bug {
        /// External id or the start of the account's name
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: String,
        /// What is broken, in a few words
        title: String,
        /// When it was closed
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        closed: Option<String>,
        #[command(flatten)]
        logged: Logged,
    },
    /// A risk flag (--date is when it was raised)
    Risk {
        /// External id or the start of the account's name
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: String,
        /// What puts the account at risk, in a few words
        reason: String,
        /// When it was cleared
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        cleared: Option<String>,
        #[command(flatten)]
        logged: Logged,
    },
    /// A note on the account: what you want kept, found by search (no touch, no score)
    Note {
        /// External id or the start of the account's name
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: String,
        /// The note's words
        words: String,
        /// When it was written (YYYY-MM-DD, yesterday, -3d, last fri…) [default: today]
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
        #[command(flatten)]
        signed: Signed,
    },
    /// An account's timeline: everything logged, newest first
    List {
        /// External id or the start of the account's name
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: String,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Close a bug or clear a risk flag: the account's only one open, or the one whose id (as
    /// `log list` shows it) or words are given; `tend undo` opens it again
    Close {
        /// External id or the start of the account's name
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: String,
        /// The bug's or risk's id, or words of its title
        what: Option<String>,
        /// When it was closed or cleared
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
    },
    /// Delete a log entry by its id (as `log list` shows it); `tend undo` brings it back
    Delete { entry_id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum GoalCommand {
    /// Add a goal, in the customer's own words
    Add {
        /// External id or the start of the account's name
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: String,
        /// The goal, in the customer's own words
        words: String,
        /// How it is measured
        #[arg(long, default_value = "")]
        measure: String,
        /// Target date (YYYY-MM-DD, +3m, next month…)
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        target: Option<String>,
        /// Who owns it: customer or vendor
        #[arg(long, default_value = "customer")]
        owner: String,
        /// on_track, at_risk, off_track, achieved or dropped
        #[arg(long, default_value = "on_track")]
        status: String,
        #[command(flatten)]
        logged: Logged,
    },
    /// Record a goal's new status (the history keeps every one)
    Status {
        /// The goal's id (as `goal list` shows it), or its words or their start
        goal: String,
        /// Look for the goal's words among this account's goals only
        #[arg(long, value_name = "ACCOUNT")]
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: Option<String>,
        /// on_track, at_risk, off_track, achieved or dropped
        status: String,
        #[command(flatten)]
        logged: Logged,
    },
    /// List goals, of one account or of all
    List(Listed),
    /// Delete a goal (its id, or its words); `tend undo` brings it back
    Delete {
        /// The goal's id, or its words or their start
        goal: String,
        /// Look for the goal's words among this account's goals only
        #[arg(long, value_name = "ACCOUNT")]
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum MilestoneCommand {
    /// Add a milestone to a journey of the config (onboarding, adoption, renewal, expansion,
    /// advocacy by default, or your own)
    Add {
        /// External id or the start of the account's name
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: String,
        /// The journey it is a step of (onboarding, renewal… or one of the config's own)
        #[arg(add = ArgValueCompleter::new(complete::journeys))]
        journey: String,
        /// The milestone's name
        name: String,
        /// Due date (YYYY-MM-DD, fri, +2w…)
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        due: String,
        /// A note
        #[arg(long, default_value = "", hide_default_value = true)]
        note: String,
        #[command(flatten)]
        signed: Signed,
    },
    /// Mark a milestone done (--date: when)
    Done {
        /// The milestone's id (as `milestone list` shows it), or its name or the start of it; or
        /// the account, the milestone's name after it (as `milestone add` takes them)
        milestone: String,
        /// With the account before it: the milestone's name or the start of it
        #[arg(value_name = "NAME")]
        name: Option<String>,
        /// Look for the milestone's name among this account's milestones only
        #[arg(long, value_name = "ACCOUNT", conflicts_with = "name")]
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: Option<String>,
        /// Move the done day of a milestone already done
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        logged: Logged,
    },
    /// List milestones with done / due / overdue, of one account or of all
    List(Listed),
    /// Delete a milestone (its id, or its name); `tend undo` brings it back
    Delete {
        /// The milestone's id, or its name or the start of it; or the account, the milestone's
        /// name after it
        milestone: String,
        /// With the account before it: the milestone's name or the start of it
        #[arg(value_name = "NAME")]
        name: Option<String>,
        /// Look for the milestone's name among this account's milestones only
        #[arg(long, value_name = "ACCOUNT", conflicts_with = "name")]
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: Option<String>,
    },
}

/// A task argument: its id, or its title or the start of it.
#[derive(Debug, clap::Args)]
pub struct TaskNamed {
    /// The task's id (as `task list` shows it), or its title or the start of it
    pub task: String,
    /// Look for the title among this account's tasks only
    #[arg(long, value_name = "ACCOUNT")]
    #[arg(add = ArgValueCompleter::new(complete::accounts))]
    pub account: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum TaskCommand {
    /// Add a task to an account: what, by when, and for whom [default: the account's CSM]
    Add {
        /// External id or the start of the account's name
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: String,
        /// What is to be done, e.g. "Send the QBR deck"
        title: String,
        /// When it is due (YYYY-MM-DD, fri, +2w, tomorrow…)
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        due: String,
        /// The CSM it is for (any case, or the start of a name) [default: the account's CSM]
        #[arg(long, value_name = "NAME")]
        #[arg(add = ArgValueCompleter::new(complete::csms))]
        owner: Option<String>,
        /// A note
        #[arg(long, default_value = "", hide_default_value = true)]
        note: String,
        /// Sign it as this CSM (any case, or the start of a name) [default: `me` from the config,
        /// else the account's owner; on a team book, the CSM you sign in as, always]
        #[arg(long, value_name = "NAME")]
        #[arg(add = ArgValueCompleter::new(complete::csms))]
        by: Option<String>,
    },
    /// Mark a task done (--date: when)
    Done {
        #[command(flatten)]
        named: TaskNamed,
        #[command(flatten)]
        logged: Logged,
    },
    /// Drop a task: it will not be done (--date: when; --note: why)
    Drop {
        #[command(flatten)]
        named: TaskNamed,
        #[command(flatten)]
        logged: Logged,
    },
    /// Open a done or dropped task again
    Reopen {
        #[command(flatten)]
        named: TaskNamed,
    },
    /// List open tasks by due day, of one account or of all
    List {
        /// Only this account's [default: every account's]
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: Option<String>,
        /// Only mine (`me` in the config): those I own, and those nobody owns on my accounts
        #[arg(long, conflicts_with = "owner")]
        mine: bool,
        /// Only this CSM's: those they own, and those nobody owns on their accounts
        #[arg(long, value_name = "NAME", visible_alias = "csm")]
        #[arg(add = ArgValueCompleter::new(complete::csms))]
        owner: Option<String>,
        /// Only those due within this many days (7, 7d, 2w), late ones included
        #[arg(long, value_name = "DAYS")]
        due_within: Option<String>,
        /// Done and dropped ones too
        #[arg(long)]
        all: bool,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Delete a task (its id, or its title); `tend undo` brings it back
    Delete {
        #[command(flatten)]
        named: TaskNamed,
    },
}

/// A contact argument: their id, or their name or the start of it.
#[derive(Debug, clap::Args)]
pub struct ContactNamed {
    /// The contact's id (as `contact list` shows it), or their name or the start of it
    pub contact: String,
    /// Look for the name among this account's contacts only
    #[arg(long, value_name = "ACCOUNT")]
    #[arg(add = ArgValueCompleter::new(complete::accounts))]
    pub account: Option<String>,
}

/// What a contact is: the fields `contact add` and `contact set` take.
#[derive(Debug, clap::Args)]
pub struct ContactFields {
    /// Their job title
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    /// champion, executive_sponsor, decision_maker, user or detractor ("none" clears it)
    #[arg(long)]
    pub role: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ContactCommand {
    /// Add a person at an account, with their role
    Add {
        /// External id or the start of the account's name
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: String,
        /// Their name, e.g. "Ana Ruiz"
        name: String,
        #[command(flatten)]
        fields: ContactFields,
    },
    /// Change a contact's title, email, role or note
    Set {
        #[command(flatten)]
        named: ContactNamed,
        #[command(flatten)]
        fields: ContactFields,
    },
    /// Mark a contact left the account (--date: when); a champion leaving is a triage reason
    Left {
        #[command(flatten)]
        named: ContactNamed,
        /// When they left (YYYY-MM-DD, -2w, last fri…) [default: today]
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
    },
    /// List the people of one account, or of all
    List(Listed),
    /// Delete a contact (a mistake; someone who left is `contact left`); `tend undo` brings it back
    Delete {
        #[command(flatten)]
        named: ContactNamed,
    },
}

#[derive(Debug, Subcommand)]
pub enum JourneyCommand {
    /// Add a journey's milestones from its template: only those still ahead, unless
    /// --include-past (existing ones by the same name are kept)
    Apply {
        /// External id or the start of the account's name
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: String,
        #[arg(add = ArgValueCompleter::new(complete::journeys))]
        journey: String,
        /// Also plan the milestones whose due day has already passed (they start overdue)
        #[arg(long)]
        include_past: bool,
        #[command(flatten)]
        signed: Signed,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Validate the config file and print the effective configuration
    Check,
    /// Write the commented example config (every setting at its default) to start from
    Init {
        /// Where to write it [default: --config, else the default config path]
        path: Option<std::path::PathBuf>,
    },
}

/// A change's number for `tend undo`; a word where the number goes says what it meant: `list`
/// (as other commands have it) is `--list` here.
fn change_number(text: &str) -> Result<i64, String> {
    match text.trim().parse::<i64>() {
        Ok(n) => Ok(n),
        Err(_) if text.trim().eq_ignore_ascii_case("list") => {
            Err("the changes are listed with `tend undo --list`".to_string())
        }
        Err(_) => Err(format!("{text} is no change's number (`tend undo --list` numbers them)")),
    }
}

/// `me` given for a CSM (`--csm me`, `--owner me`): the reader (on a team book the CSM they sign
/// in as, on a file `me` in the config), or why there is none, said the same by every option;
/// `or_else` offers the option's other way ("--csm all").
pub(crate) fn me_as(option: &str, me: Option<&str>, or_else: &str) -> color_eyre::Result<String> {
    match me {
        Some(me) => Ok(me.to_string()),
        // On a team book `me` is the CSM the member signs in as: an importer signs as none.
        None => color_eyre::eyre::bail!(
            "{option} me: no CSM is you here (on a book file, set `me = \"Your Name\"` in the config; on a team book, \
             you are the CSM you sign in as, and an importer signs as none): name the CSM ({option} \"Full Name\"){or_else}"
        ),
    }
}
