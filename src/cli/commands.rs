//! What each command does: the same library calls the TUI makes.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use color_eyre::Result;
use color_eyre::eyre::{bail, eyre};

use super::{Cli, Command, ConfigAction};
use crate::config::{Config, paths};
use crate::demo::{self, DemoSpec};
use crate::domain::account::thousands;
use crate::store::Store;
use crate::tui::{self, App, theme::Theme};
use crate::{export, import, output};

/// "`tend report`", "`tend log list`", or "The TUI" when no command is given: for a refusal that
/// names it. Read from the command's variants (as clap names them: `ArrChange` is `arr-change`).
fn command_name(command: Option<&Command>) -> String {
    let Some(command) = command else { return "The TUI".to_string() };
    let kebab = |name: &str| {
        let mut words = String::new();
        for (i, ch) in name.chars().enumerate() {
            if ch.is_uppercase() && i > 0 {
                words.push('-');
            }
            words.push(ch.to_ascii_lowercase());
        }
        words
    };
    let debug = format!("{command:?}");
    let ident = |text: &str| text.chars().take_while(|c| c.is_alphanumeric()).collect::<String>();
    let first = ident(&debug);
    // "Log { entry: List { … } }": the subcommand is the first field's variant, where it is one.
    let second = debug[first.len()..]
        .strip_prefix(" { ")
        .and_then(|rest| rest.split_once(": "))
        .map(|(_, value)| ident(value))
        .filter(|v| v.starts_with(|c: char| c.is_ascii_uppercase()) && !["Some", "None"].contains(&v.as_str()));
    match second {
        Some(sub) => format!("`tend {} {}`", kebab(&first), kebab(&sub)),
        None => format!("`tend {}`", kebab(&first)),
    }
}

/// One command's write on a team book, in a session named after the member, said on the way out
/// (a list prints itself and gives no outcome), the playbooks run after it.
fn team_write(
    url: &str,
    config: Option<&Path>,
    today: NaiveDate,
    write: impl FnOnce(&mut crate::team::TeamBook, &Config, &str) -> Result<Option<crate::book::log::Outcome>>,
) -> Result<ExitCode> {
    let config = load_config(config)?;
    let mut book = crate::team::TeamBook::open(url)?;
    let session = team_session(&book)?;
    if let Some(outcome) = write(&mut book, &config, &session)? {
        said_after_team_write(&mut book, &config, &session, today, &outcome)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Say what a write to a team book did, after running the playbooks when the config has any:
/// they decide on a snapshot of the book as written, and write what fires to the team book,
/// joining the write's batch (one undo takes both), as after a write to a file.
fn said_after_team_write(
    book: &mut crate::team::TeamBook,
    config: &Config,
    session: &str,
    today: NaiveDate,
    outcome: &crate::book::log::Outcome,
) -> Result<()> {
    if config.playbooks.is_empty() {
        super::emit(&outcome.message);
        return Ok(());
    }
    let snapshot = book.member_snapshot(&indicatif::ProgressBar::hidden())?;
    let mut store = Store::open(&snapshot.path())?;
    let run = crate::book::playbooks::after_write_to(&mut store, Some(book), config, session, today, outcome)?;
    match run.after_write_note(config, today) {
        Some(fired) => super::emit(format!("{}; {fired}", outcome.message)),
        None => super::emit(&outcome.message),
    }
    Ok(())
}

/// A command-line session on a team book, named after the member's role: their undo finds it.
fn team_session(book: &crate::team::TeamBook) -> Result<String> {
    let prefix = crate::book::storage::BookRead::session_prefix(book)?;
    Ok(crate::book::log::new_session(prefix.trim_end_matches('-')))
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    let on_team_book = cli.db.as_deref().and_then(Path::to_str).is_some_and(crate::team::is_team_url);
    let ran = run_command(cli);
    // A member's kept snapshot that could not be read is let go: the next run pulls it whole.
    if let (Err(e), true, Some(home)) = (&ran, on_team_book, crate::config::paths::team_snapshots()) {
        let text = e.chain().map(|c| c.to_string()).collect::<Vec<_>>().join(": ");
        if let Some(said) = crate::team::kept::let_go_if_unreadable(&text, &home) {
            return Err(color_eyre::eyre::eyre!("{said} ({text})"));
        }
    }
    ran
}

fn run_command(mut cli: Cli) -> Result<ExitCode> {
    let today = cli.as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
    // Histories and windows reach years back and ahead of the day: keep it to sensible years.
    if !(1900..=2200).contains(&chrono::Datelike::year(&today)) {
        bail!("--as-of {today}: pick a day between the years 1900 and 2200");
    }
    // A `--config` that is not there: the screens take it as a file still to write (their `S`
    // writes it), but a command run on the built-in defaults in its place would score and keep
    // the book by them, and a typo in a nightly `tend snapshot` would do so every night (a probe
    // ran a report on a path with a typo: exit 0, and the book's rules changed).
    if let Some(path) = cli.config.as_deref().filter(|p| !p.exists())
        && !matches!(
            cli.command,
            None | Some(
                Command::Config { .. } | Command::Demo { .. } | Command::Completions { .. } | Command::Man { .. }
            )
        )
    {
        bail!(
            "no config at {}: nothing was run (a command run on the built-in defaults in its place would score the book by them); \
             name the file that is there, leave --config out for {}, or write one with `tend config init {}`",
            path.display(),
            paths::default_config().display(),
            path.display()
        );
    }
    if let Some(text) = cli.db.as_deref().and_then(Path::to_str).filter(|db| crate::team::is_conninfo(db)) {
        bail!(
            "\"{}\": name a team book by its URL, postgres://USER@HOST/DATABASE (a book file by its path)",
            crate::team::shown(text)
        );
    }
    // The reports, the back-test, search and the exports the seam does not read yet read a
    // snapshot of the team book (`team::replica`), as the TUI does: the code that reads a book
    // file, on one consistent view of the team book. Kept until the command is done.
    let mut _snapshot = None;
    // Who is signed in to the team book the snapshot is of: `me` for the reports.
    let mut team_me = None;
    // The team book the snapshot was pulled from: what a report works out in the snapshot (the
    // head of a triage list) is kept there for the next member's open.
    let mut team_book = None;
    // The config a report on a team book read already (it is read once: its notes said once).
    let mut report_config = None;
    if let Some(url) = cli.db.as_deref().and_then(Path::to_str).filter(|db| crate::team::is_team_url(db))
        && matches!(
            cli.command,
            Some(
                Command::Report { .. }
                    | Command::Backtest { .. }
                    | Command::Search { .. }
                    | Command::Export {
                        what: super::ExportWhat::Accounts | super::ExportWhat::Metrics | super::ExportWhat::Logs,
                        ..
                    }
            )
        )
    {
        let mut book = crate::team::TeamBook::open(url)?;
        team_me = crate::book::storage::BookRead::signed_in_csm(&book)?;
        // A CSM's triage report is their own list unless they ask for another's (or `--csm all`):
        // they write to their own accounts only, as the screens open on it.
        if let Some(Command::Report { kind: super::ReportKind::Triage, options }) = &mut cli.command
            && options.csm.is_none()
            && crate::book::storage::BookRead::member_kind(&book)?.as_deref() == Some("csm")
        {
            options.csm = Some("me".to_string());
        }
        // The morning's triage list kept in the team book: nothing to pull.
        if let Some(Command::Report { kind, options }) = &cli.command {
            let config = report_config.insert(load_config(cli.config.as_deref())?);
            if let Some(me) = &team_me {
                config.me = me.clone();
            }
            if let Some(text) = super::report::kept_triage(*kind, options, &mut book, config, today)? {
                let protected =
                    output::Protected::new().input(&config_file(cli.config.as_deref()), "the config in use");
                let target = output_target(options.output.clone(), protected, options.force, 0o600)?;
                write_output(target, |out| Ok(writeln!(out, "{}", crate::text::clean_lines(&text))?))?;
                return Ok(ExitCode::SUCCESS);
            }
        }
        let bar = crate::team::reading_spinner(url);
        let snapshot = book.member_snapshot(&bar)?;
        bar.finish_and_clear();
        cli.db = Some(snapshot.path());
        _snapshot = Some(snapshot);
        team_book = Some(book);
    }
    if let Some(url) = cli.db.as_deref().and_then(Path::to_str).filter(|db| crate::team::is_team_url(db)) {
        match cli.command {
            None => {
                let config = load_config(cli.config.as_deref())?;
                return open_team_tui(url, config, &config_file(cli.config.as_deref()), today, cli.as_of.is_some())
                    .map(|()| ExitCode::SUCCESS);
            }
            Some(Command::Db { .. } | Command::Completions { .. } | Command::Man { .. } | Command::Config { .. }) => {}
            // What reads a team book so far (see book::storage).
            Some(Command::Task { action }) => {
                return team_write(url, cli.config.as_deref(), today, |book, config, session| {
                    super::task::run(action, book, config, session, today)
                });
            }
            Some(Command::Log { entry: super::LogCommand::List { account, format } }) => {
                let config = load_config(cli.config.as_deref())?;
                super::log::list_timeline(&crate::team::TeamBook::open(url)?, &config, &account, format, today)?;
                return Ok(ExitCode::SUCCESS);
            }
            Some(Command::Log { entry })
                if !matches!(entry, super::LogCommand::List { .. } | super::LogCommand::Delete { .. }) =>
            {
                return team_write(url, cli.config.as_deref(), today, |book, config, session| {
                    super::log::log_command(entry, book, config, session, today).map(Some)
                });
            }
            Some(Command::Goal {
                action: action @ (super::GoalCommand::Add { .. } | super::GoalCommand::Status { .. }),
            }) => {
                return team_write(url, cli.config.as_deref(), today, |book, config, session| {
                    super::log::goal_command(action, book, config, session, today).map(Some)
                });
            }
            Some(
                command @ (Command::Log { entry: super::LogCommand::Delete { .. } }
                | Command::Goal { action: super::GoalCommand::Delete { .. } }
                | Command::Milestone {
                    action:
                        super::MilestoneCommand::Add { .. }
                        | super::MilestoneCommand::Done { .. }
                        | super::MilestoneCommand::Delete { .. },
                }
                | Command::Journey { .. }
                | Command::Renew { .. }
                | Command::Churn { .. }
                | Command::Reactivate { .. }
                | Command::Assign { .. }
                | Command::Handover { .. }),
            ) => {
                return team_write(url, cli.config.as_deref(), today, |book, config, session| {
                    super::log::seam_command(command, book, config, session, today).map(Some)
                });
            }
            Some(Command::Import {
                what,
                file,
                preset,
                dry_run,
                skip_bad_rows,
                rejects,
                force,
                no_journeys,
                no_playbooks: _,
                no_undo: _,
                date_order,
                sentiment_scale,
                by_name,
                keep_churned,
                include_past,
            }) => {
                refuse_preview_import(today, dry_run)?;
                refuse_accounts_options_elsewhere(what, by_name, keep_churned, include_past)?;
                let mut config = load_config(cli.config.as_deref())?;
                config.import.date_order = date_order.unwrap_or(config.import.date_order);
                let source = import::Source::from_arg(&file);
                let guard = output::Protected::new().input(&config_file(cli.config.as_deref()), "the config in use");
                let rejects = rejects_target(rejects.as_deref(), guard, &source, force, 0o600)?;
                let mut book = crate::team::TeamBook::open(url)?;
                // Accounts and samples come from the CRM and product data, not from a CSM: said
                // before the file is read (a dry run too), as the database would refuse the writes.
                // A CSM imports the rest onto their own accounts.
                let of_the_team = matches!(
                    what,
                    super::ImportWhat::Accounts | super::ImportWhat::Metrics | super::ImportWhat::Tickets
                );
                let refused = |why: Option<&str>| match why {
                    None => eyre!(
                        "{}: importing {} into the team book takes an importer or a lead: the book's owner lets you in as one (`tend db grant NAME importer`); nothing was imported",
                        source.name(),
                        match what {
                            super::ImportWhat::Accounts => "accounts",
                            super::ImportWhat::Tickets => "tickets",
                            _ => "metric samples",
                        }
                    ),
                    Some(why) => eyre!("{}: {why}; nothing was imported", source.name()),
                };
                let member = crate::book::storage::BookRead::member_kind(&book)?;
                if of_the_team && member.as_deref() == Some("csm") {
                    return Err(refused(None));
                }
                let opts = import::ImportOptions {
                    preset,
                    dry_run,
                    skip_bad_rows,
                    rejects,
                    output_mode: 0o600,
                    today,
                    progress: std::io::stderr().is_terminal(),
                    plan_journeys: !no_journeys,
                    sentiment_scale,
                    by_name,
                    keep_churned,
                    include_past,
                };
                let report = match import_file(&mut book, what, &config, &source, &opts) {
                    Err(import::ImportError::Book(crate::book::storage::BookError::NotPermitted(why))) => {
                        return Err(refused((!of_the_team).then_some(why.as_str())));
                    }
                    // A lost connection or the server's refusal: the transaction is gone with it.
                    Err(import::ImportError::Book(e)) => bail!("{}: {e}; nothing was imported", source.name()),
                    other => other?,
                };
                match dry_run {
                    true => report.sample_lines().into_iter().for_each(super::emit),
                    false => report.changed_lines().into_iter().for_each(super::emit),
                }
                super::emit_text(&report.in_lines());
                // The database signs what a CSM or a lead writes as them, whatever the file's
                // CSM column says: said of log entries, whose timeline shows who logged them.
                if what == super::ImportWhat::Logs
                    && !dry_run
                    && report.new + report.updated > 0
                    && matches!(member.as_deref(), Some("csm" | "lead"))
                    && let Some(me) = crate::book::storage::BookRead::signed_in_csm(&book)?
                {
                    super::emit(format!(
                        "Signed as {}, who imported them: on a team book what a member writes is theirs (an importer's import keeps the CSM a file names).",
                        crate::text::clean(&me)
                    ));
                }
                return Ok(ExitCode::SUCCESS);
            }
            Some(Command::Undo { import: true, .. }) => {
                bail!(
                    "a team book's imports are not taken back by tend (it keeps no copy of a team book): \
                     a lead puts it back from the database's own backups; nothing was changed"
                )
            }
            Some(Command::Undo { list, number, limit, format, .. }) => {
                let config = load_config(cli.config.as_deref())?;
                let mut book = crate::team::TeamBook::open(url)?;
                let prefix = crate::book::storage::BookRead::session_prefix(&book)?;
                if list {
                    super::log::list_undoable(&book, (&prefix, &prefix), None, limit, format)?;
                    return Ok(ExitCode::SUCCESS);
                }
                let session = team_session(&book)?;
                let mut ctx = crate::book::log::SeamCtx::new(&mut book, &config, &session, today, None);
                let outcome = match number {
                    Some(number) => crate::book::undo_seam::undo_numbered(&mut ctx, number)?,
                    None => crate::book::undo_seam::undo_last(&mut ctx)?.ok_or_else(|| {
                        eyre!("nothing to undo: no change you made from the command line is left to undo")
                    })?,
                };
                said_after_team_write(&mut book, &config, &session, today, &outcome)?;
                return Ok(ExitCode::SUCCESS);
            }
            Some(Command::Goal { action: super::GoalCommand::List(super::Listed { account, format }) }) => {
                super::log::list_goals(&crate::team::TeamBook::open(url)?, account.as_deref(), format, today)?;
                return Ok(ExitCode::SUCCESS);
            }
            Some(Command::Export {
                what:
                    what @ (super::ExportWhat::Tasks
                    | super::ExportWhat::Contacts
                    | super::ExportWhat::Goals
                    | super::ExportWhat::Milestones),
                format,
                output: to,
                force,
            }) => {
                let protected =
                    output::Protected::new().input(&config_file(cli.config.as_deref()), "the config in use");
                let target = output_target(to, protected, force, 0o600)?;
                let book = crate::team::TeamBook::open(url)?;
                write_output(target, |mut out| match what {
                    super::ExportWhat::Goals => export::export_goals(&book, format, &mut out),
                    super::ExportWhat::Contacts => export::export_contacts(&book, format, &mut out),
                    super::ExportWhat::Milestones => export::export_milestones(&book, format, &mut out),
                    _ => export::export_tasks(&book, format, &mut out),
                })?;
                return Ok(ExitCode::SUCCESS);
            }
            Some(command @ Command::Override { .. }) => {
                return team_write(url, cli.config.as_deref(), today, |book, config, session| {
                    super::log::override_command(command, book, config, session, today).map(Some)
                });
            }
            Some(Command::Contact { action }) => {
                return team_write(url, cli.config.as_deref(), today, |book, config, session| {
                    super::contact::run(action, book, config, session, today)
                });
            }
            Some(Command::Milestone { action: super::MilestoneCommand::List(super::Listed { account, format }) }) => {
                super::log::list_milestones(&crate::team::TeamBook::open(url)?, account.as_deref(), format, today)?;
                return Ok(ExitCode::SUCCESS);
            }
            Some(Command::Snapshot) => {
                let config = load_config(cli.config.as_deref())?;
                super::emit(super::team_snapshot::run(url, &config, today)?);
                return Ok(ExitCode::SUCCESS);
            }
            Some(Command::Demo { accounts, seed, rebuild, no_open }) => {
                let config = load_config(cli.config.as_deref())?;
                let spec = DemoSpec { accounts: accounts as usize, seed, today, journeys: &config.journeys };
                super::emit(super::team_demo::run(url, &config, spec, rebuild)?);
                if !no_open {
                    open_team_tui(
                        url,
                        config.clone(),
                        &config_file(cli.config.as_deref()),
                        today,
                        cli.as_of.is_some(),
                    )?;
                }
                return Ok(ExitCode::SUCCESS);
            }
            // Said plainly rather than tried as a file name ("folder postgres: does not exist").
            other => bail!(
                "{} does not work on a team book yet ({}). On a team book: the screens (`tend` alone), `tend log KIND` (logging), `log list|delete`, `task`, \
                 `goal`, `milestone`, `journey`, `renew`, `churn`, `reactivate`, `undo`, `contact`, `override`, `report`, `backtest`, `search`, `export`, `import`, `snapshot`, `demo` and `db`.",
                command_name(other.as_ref()),
                crate::team::shown(url)
            ),
        }
    }
    match cli.command {
        None => {
            let config = load_config(cli.config.as_deref())?;
            let db = cli.db.clone().unwrap_or_else(paths::default_db);
            if cli.db.is_none() {
                ensure_parent(&db)?;
            }
            refuse_empty_file(cli.db.as_deref(), &db)?;
            open_tui(&db, config, &config_file(cli.config.as_deref()), today, cli.as_of.is_some())?;
        }
        Some(Command::Demo { accounts, seed, rebuild, no_open }) => {
            let config = load_config(cli.config.as_deref())?;
            let db = cli.db.clone().unwrap_or_else(paths::default_demo_db);
            if cli.db.is_none() {
                ensure_parent(&db)?;
            }
            let spec = DemoSpec { accounts: accounts as usize, seed, today, journeys: &config.journeys };
            build_demo(&db, &format!("in {}", db.display()), &config, spec, rebuild)?;
            if !no_open {
                open_tui(&db, config, &config_file(cli.config.as_deref()), today, cli.as_of.is_some())?;
            }
        }
        Some(Command::Backtest { days_before, format, suggest, folds }) => {
            if suggest && format == super::Format::Csv {
                bail!(
                    "--suggest has no CSV form (it adds a second table and a TOML snippet): use --format table, md or json"
                );
            }
            let config = load_config(cli.config.as_deref())?;
            let store = open_existing(cli.db.as_deref(), today)?;
            let folds = suggest.then_some(folds as usize);
            super::backtest::run(&store, &config, days_before, format, folds, today)?;
        }
        Some(Command::Search { words, limit, format }) => {
            let mut store = open_existing(cli.db.as_deref(), today)?;
            super::report::search(&words.join(" "), limit, format, &mut store, today)?;
        }
        Some(Command::Report { kind, options }) => {
            let mut config = match report_config.take() {
                Some(config) => config,
                None => load_config(cli.config.as_deref())?,
            };
            if let Some(me) = team_me.take() {
                config.me = me;
            }
            let db = existing_book(cli.db.as_deref())?;
            // As for an export: checked before the book is opened, written aside, renamed into place.
            let target = output_target(
                options.output.clone(),
                protected(&db, cli.config.as_deref()),
                options.force,
                output::mode_of(&db),
            )?;
            let mut store = open_as_of(&db, today)?;
            let config = config.with_me_in(&store);
            // On a book file with `me` set, the triage and renewals reports are your own lists,
            // as the screens open on them (`--csm all` for everyone's), and the brief is of your
            // book (a probe's brief said 21 need attention beside their own triage's 3); a `me`
            // who owns no account (a lead) gets everyone's, and a `me` that names no CSM of the
            // book (a typo) is said, not taken silently for a lead.
            let mut options = options;
            if matches!(kind, super::ReportKind::Triage | super::ReportKind::Renewals | super::ReportKind::Brief)
                && options.csm.is_none()
                && team_book.is_none()
                && let Some(me) = config.me()
            {
                if store.csm_owns_accounts(me)? {
                    options.csm = Some("me".to_string());
                } else if let Err(why) = crate::book::resolve::signing_csm(&store.csms()?, me) {
                    eprintln!(
                        "tend: `me = \"{}\"` in the config: {why}; everyone's list follows (`tend config check` says more)",
                        crate::text::clean(me)
                    );
                }
            }
            if team_book.is_none() {
                say_sources_lacking(&store, &config, cli.config.as_deref())?;
            }
            let text = super::report::run(kind, &options, &mut store, &config, today)?;
            if let Some(book) = &mut team_book {
                for csm in [None, options.csm.as_deref(), config.me()] {
                    book.keep_heads(&store, csm);
                }
            }
            write_output(target, |out| Ok(writeln!(out, "{}", crate::text::clean_lines(&text))?))?;
        }
        // The last import, asked for, or the book's last write: a plain `tend undo` after an
        // import took back the change before it (a probe's sentiment logged that morning), and
        // the import could then not be taken back at all.
        Some(Command::Undo { import, number: None, list: false, limit, format }) => {
            let db = existing_book(cli.db.as_deref())?;
            // A preview writes nothing: an undo neither (a probe's took a hand-over back).
            if let Some(why) = crate::book::preview_refusal(today) {
                bail!("{why}; nothing was taken back");
            }
            let mut store = Store::open(&db)?;
            if import || store.import_is_last_write()? {
                let undone = store.undo_import().map_err(|why| eyre!(why))?;
                super::emit(format!(
                    "Undone: the import of {} ({}): {} is as it was before it",
                    undone.what,
                    undone.at,
                    db.display()
                ));
            } else {
                let config = load_config(cli.config.as_deref())?;
                let command = Command::Undo { import, number: None, list: false, limit, format };
                super::log::run(command, &mut store, &config, today)?;
            }
        }
        Some(
            command @ (Command::Log { .. }
            | Command::Undo { .. }
            | Command::Goal { .. }
            | Command::Milestone { .. }
            | Command::Task { .. }
            | Command::Contact { .. }
            | Command::Journey { .. }
            | Command::Renew { .. }
            | Command::Churn { .. }
            | Command::Reactivate { .. }
            | Command::Assign { .. }
            | Command::Handover { .. }
            | Command::Override { .. }),
        ) => {
            let config = load_config(cli.config.as_deref())?;
            let db = existing_book(cli.db.as_deref())?;
            let mut store = Store::open(&db)?;
            super::log::run(command, &mut store, &config, today)?;
        }
        Some(Command::Import {
            what,
            file,
            preset,
            dry_run,
            skip_bad_rows,
            rejects,
            force,
            no_journeys,
            no_playbooks,
            no_undo,
            date_order,
            sentiment_scale,
            by_name,
            keep_churned,
            include_past,
        }) => {
            refuse_preview_import(today, dry_run)?;
            refuse_accounts_options_elsewhere(what, by_name, keep_churned, include_past)?;
            let mut config = load_config(cli.config.as_deref())?;
            config.import.date_order = date_order.unwrap_or(config.import.date_order);
            let db = cli.db.clone().unwrap_or_else(paths::default_db);
            if cli.db.is_none() {
                ensure_parent(&db)?;
            }
            // Only accounts start a book: anything else names accounts a new book does not have
            // (a mistyped --db would otherwise be made an empty book).
            if !matches!(what, super::ImportWhat::Accounts) && !dry_run {
                existing_book(cli.db.as_deref())?;
            }
            let source = import::Source::from_arg(&file);
            // Checked before the book is opened: a refused path changes nothing.
            let guard = protected(&db, cli.config.as_deref());
            let rejects = rejects_target(rejects.as_deref(), guard, &source, force, output::mode_of(&db))?;
            // A dry run into a book that does not exist yet reads an empty one: it creates nothing.
            let created = !db.exists();
            let mut store = if dry_run && created { Store::open_in_memory()? } else { Store::open(&db)? };
            let opts = import::ImportOptions {
                preset,
                dry_run,
                skip_bad_rows,
                rejects,
                output_mode: output::mode_of(&db),
                today,
                progress: std::io::stderr().is_terminal(),
                plan_journeys: !no_journeys,
                sentiment_scale,
                by_name,
                keep_churned,
                include_past,
            };
            // The book as it was, kept to take the import back with (`tend undo --import`).
            // One that cannot be made (a full disk) leaves the import all or nothing, as ever,
            // without a way back: said, and the import goes on.
            let copy = match dry_run || no_undo {
                true => None,
                false => store.copy_before_import().unwrap_or_else(|e| {
                    eprintln!(
                        "tend: no copy of the book could be kept to take this import back ({e}): importing without one"
                    );
                    None
                }),
            };
            let what_from = format!("{} from {}", format!("{what:?}").to_lowercase(), file.display());
            // The import before, while it could still be taken back: this one's copy replaces its.
            let replaced = match copy.is_some() {
                true => store.undoable_import().ok().flatten(),
                false => None,
            };
            // Today's scores before the facts come in, to say what the import moved (not for an
            // accounts file, whose fields move little health and whose size the import is bound by).
            let before = match what != super::ImportWhat::Accounts && !dry_run {
                true => crate::book::import_moves::scores_before_import(&mut store, &config, today)?,
                false => None,
            };
            let report = match import_file(&mut store, what, &config, &source, &opts) {
                Ok(report) => report,
                Err(e) => {
                    if let Some(copy) = copy {
                        Store::drop_import_copy(copy);
                    }
                    // A refused file changes nothing: not even an empty book is left where there
                    // was none.
                    if created && !dry_run {
                        drop(store);
                        remove_new_book(&db);
                    }
                    return Err(e.into());
                }
            };
            if dry_run {
                report.sample_lines().into_iter().for_each(super::emit);
            } else {
                // The order its dates showed, for a later file whose dates cannot tell.
                if let Some(order) = report.dates.shown {
                    store.keep_date_order(&date_kind(what), order, &report.source)?;
                }
                report.changed_lines().into_iter().for_each(super::emit);
                // Imported facts change past scores: bring the history up to date with them. The
                // import is committed by now: a cache that cannot be written (a full disk) is said,
                // not reported as a failed import.
                match backfill(&mut store, &config, today) {
                    Ok(_) => {}
                    Err(e)
                        if e.downcast_ref::<crate::store::StoreError>()
                            .is_some_and(|e| matches!(e, crate::store::StoreError::Full { .. })) =>
                    {
                        super::emit_text(&report.in_lines());
                        eprintln!(
                            "tend: the import is complete, but the health history could not be brought up to date: {e}. It is recomputed the next time tend opens the book."
                        );
                        if let Some(copy) = copy {
                            let _ = store.keep_import_copy(copy, &what_from);
                        }
                        return Ok(ExitCode::SUCCESS);
                    }
                    Err(e) => return Err(e),
                }
            }
            super::emit_text(&report.in_lines());
            if let Some(before) = &before
                && let Some(after) = crate::book::import_moves::today_scores(&store, today)?
            {
                let moves = crate::book::import_moves::band_moves(&store, &config, before, &after)?;
                if let Some(line) = crate::book::import_moves::moves_line(&moves) {
                    super::emit_text(&line);
                }
            }
            if !dry_run && !no_playbooks {
                let run = crate::book::playbooks::over_book(
                    &mut store,
                    &config,
                    today,
                    &crate::book::log::new_session("import"),
                )?;
                if let Some(fired) = run.describe_in_book() {
                    super::emit(fired);
                }
            }
            // Kept once the import and what its playbooks opened are in: undone together.
            if let Some(copy) = copy
                && store.keep_import_copy(copy, &what_from)?
            {
                super::emit(format!(
                    "`tend undo --import` takes this import back (the book as it was before it is kept in {})",
                    crate::store::import_copy::copy_path(&db).display()
                ));
                // Only the last import can be taken back: said when this one ends the way back
                // from the one before (a probe's goals import was silently no longer undoable).
                if let Some(before) = replaced {
                    super::emit(format!(
                        "  the import before ({}, {}) can no longer be taken back by `tend undo --import`: only the last one is",
                        before.what,
                        super::log::local_time(&before.at)
                    ));
                }
            }
        }
        Some(Command::Export { what, format, output: to, force }) => {
            let config = load_config(cli.config.as_deref())?;
            let db = existing_book(cli.db.as_deref())?;
            // Checked before the book is opened, written aside and renamed into place at the end.
            let target = output_target(to, protected(&db, cli.config.as_deref()), force, output::mode_of(&db))?;
            let mut store = open_as_of(&db, today)?;
            write_output(target, |mut out| match what {
                super::ExportWhat::Accounts => export::export_accounts(&mut store, &config, today, format, &mut out),
                super::ExportWhat::Metrics => export::export_metrics(&store, format, &mut out),
                super::ExportWhat::Logs => export::export_logs(&store, format, &mut out),
                super::ExportWhat::Goals => export::export_goals(&store, format, &mut out),
                super::ExportWhat::Tasks => export::export_tasks(&store, format, &mut out),
                super::ExportWhat::Contacts => export::export_contacts(&store, format, &mut out),
                super::ExportWhat::Milestones => export::export_milestones(&store, format, &mut out),
            })?;
            if what == super::ExportWhat::Accounts {
                say_rules_changed(&mut store, &config, today)?;
            }
        }
        Some(Command::Db { action }) => super::db::run(action, cli.db.as_deref())?,
        Some(Command::Completions { shell }) => {
            let script = super::complete::registration(&shell).map_err(|e| eyre!(e))?;
            super::emit_bytes(&script);
        }
        Some(Command::Man { dir }) => {
            let man = clap_mangen::Man::new(super::command());
            match dir {
                Some(dir) => {
                    std::fs::create_dir_all(&dir).map_err(|e| eyre!("cannot create {}: {e}", dir.display()))?;
                    clap_mangen::generate_to(super::command(), &dir)
                        .map_err(|e| eyre!("cannot write the man pages into {}: {e}", dir.display()))?;
                    super::emit(format!("man pages written to {} (`man -l {}/tend.1`)", dir.display(), dir.display()));
                }
                None => {
                    let mut page = Vec::new();
                    man.render(&mut page)?;
                    super::emit_bytes(&page);
                }
            }
        }
        Some(Command::Snapshot) => {
            let config = load_config(cli.config.as_deref())?;
            let db = existing_book(cli.db.as_deref())?;
            // Its work is what it stores: on a day still to come there is none.
            let instead = format!(
                "`tend snapshot` stores a day's scores, so it runs as of today (`tend report triage --as-of {today}` previews \
                 that day's list); nothing was run"
            );
            if let Some(why) = crate::book::preview_refusal_to(today, &instead) {
                bail!("{why}");
            }
            let mut store = Store::open(&db)?;
            if let Some(reason) = store.read_only() {
                return Err(crate::store::StoreError::ReadOnly { path: db.clone(), reason: reason.to_string() }.into());
            }
            let started = std::time::Instant::now();
            // Read before the caches are brought up to date: a write meanwhile leaves the head
            // stored below invalid rather than stamped with a count it did not see.
            let generation = store.generation()?;
            let (_, work) = prepare(&mut store, &config, today)?;
            say_rules_changed(&mut store, &config, today)?;
            // A nightly run from cron on a config with a typo says it where its log keeps it.
            say_sources_lacking(&store, &config, cli.config.as_deref())?;
            let run = crate::book::playbooks::over_book(
                &mut store,
                &config,
                today,
                &crate::book::log::new_session("snapshot"),
            )?;
            if let Some(fired) = run.describe_in_book() {
                super::emit(fired);
            }
            // The playbooks' tasks are writes: the head below is of the book with them.
            let generation = if run.fired.is_empty() && run.ended == 0 { generation } else { store.generation()? };
            // The morning's list, ready for the first open of the day.
            crate::book::triage_head::refresh(&mut store, &config, today, generation)?;
            // And the next working day's values, history and list, ready for its first open.
            let ahead = crate::book::triage_head::refresh_ahead(&mut store, &config, today)?;
            let name = store.file_name();
            let many = |n: usize, one: &str| {
                let n_text = crate::domain::account::thousands(n as u64);
                if n == 1 { format!("1 {one}") } else { format!("{n_text} {one}s") }
            };
            let recomputed = work.accounts_refreshed + ahead.history.accounts_refreshed;
            super::emit(format!(
                "{name}: history to {today}, {} written{} ({:.1}s).",
                many(work.rows_written + ahead.history.rows_written, "daily score"),
                if recomputed > 0 { format!(", {} recomputed", many(recomputed, "account")) } else { String::new() },
                started.elapsed().as_secs_f64()
            ));
            let day = ahead.day.format("%A %Y-%m-%d");
            super::emit(if ahead.list_kept {
                format!("{day} worked out ahead: its first open shows Triage at once.")
            } else if config.triage.daily_limit == 0 {
                format!("{day} worked out ahead (Triage is listed in full: no list to keep).")
            } else {
                format!(
                    "{day} worked out ahead, but the book was written meanwhile:\n\
                     its Triage list was not kept (`tend snapshot` again keeps it)."
                )
            });
        }
        Some(Command::Config { action: ConfigAction::Init { path } }) => {
            let path = path.or_else(|| cli.config.clone()).unwrap_or_else(paths::default_config);
            // The default file is the one `tend config check` reads: no --config to copy (a probe
            // was told to pass the default path).
            let check = paths::check_command(Some(&path));
            if path.exists() {
                bail!("{} exists already: tend leaves it as it is (`{check}` shows what it sets)", path.display());
            }
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| eyre!("cannot create {}: {e}", parent.display()))?;
            }
            std::fs::write(&path, crate::config::EXAMPLE_TOML)
                .map_err(|e| eyre!("cannot write {}: {e}", path.display()))?;
            super::emit(format!(
                "{}: written, every setting at its default with what it means; edit it, then `{check}`",
                path.display()
            ));
        }
        Some(Command::Config { action: ConfigAction::Check }) => {
            let path = cli.config.clone().unwrap_or_else(paths::default_config);
            let config = load_config(cli.config.as_deref())?;
            if path.exists() {
                // Well-formed is not yet valid: its factors are checked against the book below,
                // which may refuse one ("valid" read above a refusal).
                super::emit(format!("# {}: well-formed", path.display()));
            } else {
                super::emit(format!(
                    "# {}: not found, built-in defaults apply (= config.example.toml)",
                    path.display()
                ));
            }
            let keymap = crate::tui::keymap::Keymap::with(&config.keys).unwrap_or_default();
            for (key, what) in keymap.hidden_globals(&config.keys) {
                super::emit(format!("# warning: keys.{key}: {what}"));
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for twin in config.twin_factors() {
                let place = crate::config::locate::line_of_key(&text, &twin.key)
                    .map_or_else(String::new, |line| format!(" ({}:{line})", path.display()));
                super::emit(format!("# warning: {}{place}: {}", twin.key, twin.why));
            }
            if let Some(why) = config.cadence_warning() {
                let place = crate::config::locate::line_of_key(&text, "touch_cadence_days")
                    .map_or_else(String::new, |line| format!(" ({}:{line})", path.display()));
                super::emit(format!("# warning: triage.touch_cadence_days{place}: {why}"));
            }
            let db = cli.db.clone().unwrap_or_else(paths::default_db);
            let check = check_factors_against(&db, &path, &config)?;
            if path.exists() && check.refused.is_empty() {
                super::emit(format!("# {}: valid", path.display()));
            }
            super::emit("# effective configuration:\n");
            super::emit(config.to_toml().trim_end());
            // The verdict again at the end, where a terminal leaves the eye (the effective
            // configuration is a hundred lines and more).
            let warned = match check.built_in_warnings {
                0 => String::new(),
                n => format!(
                    " ({} above about built-in factors whose data the book lacks: they stay out of scores until it has some)",
                    crate::text::counted(n, "warning", "warnings")
                ),
            };
            match (path.exists(), check.refused.as_slice()) {
                // The refusals themselves, not "see above": above is the whole configuration,
                // three hundred lines and more (a probe scrolled back for its one line).
                (_, [_, ..]) => {
                    for message in &check.refused {
                        eprintln!("tend: {message}");
                    }
                    return Ok(ExitCode::FAILURE);
                }
                (true, []) => super::emit(format!("\n# {}: valid{warned}", path.display())),
                (false, []) => super::emit(format!("\n# built-in defaults: valid{warned}")),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Check every factor's sources against the book, if there is one. Prints each finding with the
/// factor, its config line and whether it is refused; returns whether any was. A factor the
/// user's file defines is refused for a source the book lacks; one taken unchanged from the
/// built-in defaults is only warned about (a book need not have every kind of data).
fn check_factors_against(db: &Path, config_path: &Path, config: &Config) -> Result<FactorCheck> {
    if let Some(url) = db.to_str().filter(|d| crate::team::is_team_url(d)) {
        super::emit(format!(
            "# {}: a team book; factors are checked against book files only so far",
            crate::team::shown(url)
        ));
        return Ok(FactorCheck::default());
    }
    if !db.exists() {
        super::emit(format!("# {}: no book, so factors were not checked against data", db.display()));
        return Ok(FactorCheck::default());
    }
    let store = Store::open(db)?;
    // `me` that names none of the book's CSMs: every write would be refused (see `SeamCtx`).
    // Said first, above the factors' findings (a new book has a dozen of those).
    if let Some(me) = config.me()
        && let Err(e) = crate::book::resolve::signing_csm(&store.csms()?, me)
    {
        super::emit(format!(
            "# warning: me = \"{}\": {e} in {}: what you log is refused until it names one of its CSMs",
            crate::text::clean(me),
            db.display()
        ));
    }
    let inventory = store.data_inventory(&config.health.catalog.attributes)?;
    let text = std::fs::read_to_string(config_path).unwrap_or_default();
    let mut refused = Vec::new();
    // A factor written out as the built-in default has it (config.example.toml copied whole, as
    // its head invites) is the default's, not a choice of yours: warned about, not refused.
    let defaults = Config::default();
    let as_default = |key: &str| {
        let mine = config.health.catalog.id(key).map(|id| config.health.catalog.def(id));
        mine.is_some_and(|mine| crate::domain::catalog::Catalog::defines_as(&defaults.health.catalog, mine))
    };
    // A factor no profile gives weight is a candidate only: its missing data is no warning (a
    // probe set usage vs expected to 0 for want of the column, and was still warned).
    let weighs = |key: &str| {
        let id = config.health.catalog.id(key);
        config
            .health
            .profile_models()
            .iter()
            .any(|(_, model)| id.is_some_and(|id| model.get(&id).is_some_and(|r| r.weight > 0.0)))
    };
    // Findings on your own file first, those on built-in defaults after: a new book has a dozen
    // of those, and a probe's own file's result was lost under fourteen.
    let mut built_in = Vec::new();
    for finding in config.health.catalog.check(&inventory) {
        // A built-in factor weighed 0 is one taken out of the score on purpose: what its data
        // lacks is no warning either (a probe's weight-0 usage vs expected was still warned of as
        // a built-in's unknown metric).
        if !weighs(&finding.key) && (!finding.error || as_default(&finding.key)) {
            continue;
        }
        let (key, line) = crate::config::factor_location(&text, &finding.key, finding.setting);
        let yours = line.is_some() && !as_default(&finding.key);
        let error = finding.error && yours;
        let place = match line {
            Some(l) => format!("{}:{l}", config_path.display()),
            None => "built-in default".to_string(),
        };
        let label = if error { "refused" } else { "warning" };
        let message = format!("{label}: {place}: factor \"{}\" (`{key}`): {}", finding.key, finding.reason);
        // A built-in factor written out as the default has it (the example file copied whole)
        // is a built-in's finding too: counted with them.
        match (error, yours) {
            (true, _) => {
                eprintln!("{message}");
                refused.push(message);
            }
            (false, true) => super::emit(format!("# {message}")),
            (false, false) => built_in.push(message),
        }
    }
    for message in &built_in {
        super::emit(format!("# {message}"));
    }
    if !refused.is_empty() {
        // Only this check reads the book's data for the config (on a large book, a pass over
        // every sample): the other commands run with the file, said here (a probe read
        // "refused", then saw the scores move without a word).
        eprintln!(
            "tend: {}: factors do not match the data in {}; the other commands run with the file all the same, \
             the factors refused above left out of every score until that is put right",
            config_path.display(),
            db.display()
        );
    } else {
        super::emit(format!("# factors checked against {}", db.display()));
    }
    Ok(FactorCheck { refused, built_in_warnings: built_in.len() })
}

/// What `check_factors_against` found: what it refused of the file, and how many of its
/// warnings were about built-in factors (said again under the effective configuration).
#[derive(Default)]
struct FactorCheck {
    refused: Vec<String>,
    built_in_warnings: usize,
}

/// The book named (or the default one), which must exist, open to read as of `today`.
fn open_existing(db: Option<&Path>, today: NaiveDate) -> Result<Store> {
    open_as_of(&existing_book(db)?, today)
}

/// A book open to read as of `today`: on a day still to come, a preview, which writes nothing,
/// not even the caches it works out (a probe's preview added its day's history to the book).
fn open_as_of(db: &Path, today: NaiveDate) -> Result<Store> {
    let mut store = Store::open(db)?;
    if crate::book::is_preview(today) {
        store.preview(format!("as of {today}, a day still to come on this machine's clock: a preview"))?;
    }
    Ok(store)
}

/// Remove a book this run created (with SQLite's files beside it), after its first write failed.
fn remove_new_book(db: &std::path::Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut path = db.as_os_str().to_owned();
        path.push(suffix);
        let _ = std::fs::remove_file(std::path::PathBuf::from(path));
    }
}

/// The path of the book named (or the default one), refused when there is no book there: an
/// empty file (a copy cut short) is not taken for a new book.
pub(super) fn existing_book(db: Option<&Path>) -> Result<PathBuf> {
    let path = db.map(Path::to_path_buf).unwrap_or_else(paths::default_db);
    if !path.exists() {
        bail!("no book at {}: {}", path.display(), how_to_start(db, &path));
    }
    refuse_empty_file(db, &path)?;
    Ok(path)
}

/// An empty file (a copy cut short) is not taken for a new book.
fn refuse_empty_file(db: Option<&Path>, path: &Path) -> Result<()> {
    if path.metadata().is_ok_and(|m| m.is_file() && m.len() == 0) {
        bail!("{} is an empty file, not a tend book (a copy cut short?): {}", path.display(), how_to_start(db, path));
    }
    Ok(())
}

/// How to start a book where none is, for a message.
fn how_to_start(db: Option<&Path>, path: &Path) -> String {
    // A folder given that is not there is said instead: the import offered would fail on it (a
    // probe's). tend makes the default book's folder itself.
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty() && !p.exists());
    match (db, folder) {
        (Some(_), Some(folder)) => {
            format!("its folder {} does not exist either (a path mistyped?)", folder.display())
        }
        (Some(_), None) => format!("`tend import accounts FILE --db {}` starts one there", path.display()),
        (None, _) => "`tend demo` builds a demo book, or pass --db PATH".to_string(),
    }
}

/// What no output of a command may land on: the book and its side files, and the config in use.
/// Where `--rejects` goes, checked before the book is opened (a refused path changes nothing):
/// never over what `guard` protects nor over the file being imported.
fn rejects_target(
    path: Option<&Path>,
    guard: output::Protected,
    source: &import::Source,
    force: bool,
    mode: u32,
) -> Result<Option<output::Target>> {
    let Some(path) = path else { return Ok(None) };
    let guard = match source {
        import::Source::File(input) => guard.input(input, "the file being imported"),
        import::Source::Stdin => guard,
    };
    Ok(Some(output::Target::check("--rejects", path, &guard, replace(force), mode)?))
}

fn protected(db: &Path, config: Option<&Path>) -> output::Protected {
    output::Protected::new().book(db).input(&config_file(config), "the config in use")
}

/// Where an export or a report goes: `-o FILE`, checked before the book is read (`-o -`, or
/// none, is standard output, as for other tools).
fn output_target(
    to: Option<PathBuf>,
    protected: output::Protected,
    force: bool,
    mode: u32,
) -> Result<Option<output::Target>> {
    Ok(match to.filter(|p| p.as_os_str() != "-") {
        Some(path) => Some(output::Target::check("-o", &path, &protected, replace(force), mode)?),
        None => None,
    })
}

/// Write an export or a report to its target, whole (renamed into place once written), or to
/// standard output (a reader that goes away, `| head`, is no failure).
fn write_output(
    target: Option<output::Target>,
    write: impl FnOnce(&mut dyn std::io::Write) -> Result<(), export::ExportError>,
) -> Result<()> {
    let mut file = target.as_ref().map(output::Target::create).transpose()?;
    let mut stdout;
    let out: &mut dyn std::io::Write = match &mut file {
        Some(f) => f,
        None => {
            stdout = std::io::BufWriter::new(std::io::stdout().lock());
            &mut stdout
        }
    };
    match write(out).and_then(|()| out.flush().map_err(export::ExportError::from)) {
        Ok(()) => {}
        Err(e) if e.is_broken_pipe() => {}
        Err(e) => return Err(e.into()),
    }
    if let Some(file) = file {
        file.commit()?;
    }
    // Said where it went (on standard error, so a script's output stays the file's alone): a
    // silent success looked like nothing happened.
    if let Some(target) = target.filter(|t| !t.is_special()) {
        eprintln!("tend: wrote {}", target.shown.display());
    }
    Ok(())
}

/// `--force` lets an output replace a SQLite database; without it, only plain files.
fn replace(force: bool) -> output::Replace {
    if force { output::Replace::Forced } else { output::Replace::Named }
}

/// The config file in use: the one named, else the default location (which may not exist yet).
fn config_file(explicit: Option<&Path>) -> std::path::PathBuf {
    explicit.map(Path::to_path_buf).unwrap_or_else(paths::default_config)
}

/// An import on a day still to come writes nothing (its rows would be checked against that day,
/// not today's): a dry run only reads, and is let through.
fn refuse_preview_import(today: NaiveDate, dry_run: bool) -> Result<()> {
    match crate::book::preview_refusal(today).filter(|_| !dry_run) {
        Some(why) => bail!("{why}; nothing was imported"),
        None => Ok(()),
    }
}
/// `--by-name` and `--keep-churned` say how an accounts file's rows meet the book's accounts; the
/// other imports find each row's account by its external id or name, and change no status.
fn refuse_accounts_options_elsewhere(
    what: super::ImportWhat,
    by_name: bool,
    keep_churned: bool,
    include_past: bool,
) -> Result<()> {
    if what == super::ImportWhat::Accounts {
        return Ok(());
    }
    let how_rows_meet = "the other imports find each row's account by its external id or its name already, and change \
                         no account's status";
    let given = [
        ("--by-name", by_name, how_rows_meet),
        ("--keep-churned", keep_churned, how_rows_meet),
        ("--include-past", include_past, "it plans the journeys of the accounts it adds"),
    ];
    let Some((option, _, why)) = given.into_iter().find(|(_, on, _)| *on) else { return Ok(()) };
    bail!("{option} is for `tend import accounts`: {why}; nothing was imported")
}

/// An explicit `--config` must exist; the default location may be absent (defaults apply).
fn load_config(explicit: Option<&Path>) -> Result<Config> {
    Ok(match explicit {
        // A file named in a folder that exists is one not written yet (the Scoring view's `S` and
        // `tend config init` write it): the defaults apply, said once. A folder that does not
        // exist is more likely a typo, and refused.
        Some(path) if !path.exists() && path.parent().is_none_or(|p| p.as_os_str().is_empty() || p.is_dir()) => {
            eprintln!(
                "tend: no config at {} yet: the built-in defaults apply; `tend config init {}` (or S in the Scoring view) writes it",
                path.display(),
                path.display()
            );
            Config::default()
        }
        Some(path) => Config::load(path, true)?,
        None => Config::load(&paths::default_config(), false)?,
    })
}

/// The default data directory is ours to create; a folder the user named is not.
fn ensure_parent(db: &Path) -> Result<()> {
    if let Some(parent) = db.parent() {
        std::fs::create_dir_all(parent).map_err(|e| eyre!("cannot create {}: {e}", parent.display()))?;
    }
    Ok(())
}

/// Build the demo book in the file `db`, said to be `place` ("in PATH", or "for the team book").
pub(super) fn build_demo(db: &Path, place: &str, config: &Config, spec: DemoSpec, rebuild: bool) -> Result<()> {
    let existed = db.exists();
    let mut store = Store::open(db)?;
    if existed && !rebuild && store.account_count()? > 0 && demo::may_build_into(&store)? {
        eprintln!("Demo book {place} already exists (--rebuild makes it afresh).");
        return Ok(());
    }
    if !demo::may_build_into(&store)? {
        bail!("{} holds a real book, not a demo: `tend demo` never overwrites one. Pick another --db.", db.display());
    }
    let started = std::time::Instant::now();
    if std::io::stderr().is_terminal() {
        eprintln!("Building a demo book of {} accounts {place}…", spec.accounts);
    }
    let summary = demo::build(&mut store, spec)?;
    let (scored, history) = prepare(&mut store, config, spec.today)?;
    eprintln!(
        "Demo book {}: {} accounts, {} CSMs, {} metric samples, {} log entries, {} goals, {} milestones, factor values of {} accounts as of {}, {} daily scores of history ({:.1}s).",
        place.strip_prefix("in ").unwrap_or(place),
        thousands(summary.accounts as u64),
        summary.csms,
        thousands(summary.samples as u64),
        thousands(summary.entries as u64),
        thousands(summary.goals as u64),
        thousands(summary.milestones as u64),
        thousands(scored as u64),
        spec.today,
        thousands(history.rows_written as u64),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// What the config's factors read that the book lacks (`book::sources_the_book_lacks`), on
/// stderr beside what a command prints.
fn say_sources_lacking(store: &Store, config: &Config, config_path: Option<&Path>) -> Result<()> {
    let check = paths::check_command(config_path);
    for said in crate::book::sources_the_book_lacks(store, config, &check)? {
        eprintln!("tend: config: {said}");
    }
    Ok(())
}

/// Said on standard error (the output is what a script reads): the health rules changed since
/// the book was last read, and what that moved (`book::rules_change`). The caches must be current.
pub(super) fn say_rules_changed(store: &mut Store, config: &Config, today: NaiveDate) -> Result<()> {
    if let Some(change) = crate::book::rules_change::since_last(store, config, today)? {
        eprintln!("tend: {}", change.text());
    }
    Ok(())
}

/// Bring the caches up to date (today's factor values, the history on the days the screens
/// compare), with a progress bar on a terminal. Returns how many accounts' values were computed.
fn prepare(store: &mut Store, config: &Config, today: NaiveDate) -> Result<(usize, crate::book::history::HistoryWork)> {
    let bar = progress_bar(store)?;
    let done = crate::book::prepare_with(store, config, today, &bar)?;
    bar.finish_and_clear();
    Ok(done)
}

/// Bring the history up to date after an import (and today's factor values with it, when every
/// account is read anyway), with a progress bar on a terminal.
fn backfill(store: &mut Store, config: &Config, today: NaiveDate) -> Result<crate::book::history::HistoryWork> {
    let bar = progress_bar(store)?;
    let work = crate::book::history::backfill_with(store, config, today, false, &bar)?;
    bar.finish_and_clear();
    Ok(work)
}

/// A bar counting accounts, shown on a terminal for a book large enough to wait for.
fn progress_bar(store: &Store) -> Result<indicatif::ProgressBar> {
    let accounts = store.account_count()?;
    if !std::io::stderr().is_terminal() || accounts < 5_000 {
        return Ok(indicatif::ProgressBar::hidden());
    }
    let bar = indicatif::ProgressBar::new(accounts as u64);
    // The words are in the template, not a message: setting one draws the bar at once, and a
    // book with nothing to work out would flash it. No time left is said: accounts come in
    // ranges, and the estimate read "0s" a third of the way.
    bar.set_style(
        indicatif::ProgressStyle::with_template("Health history {wide_bar} {human_pos}/{human_len} accounts")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Ok(bar)
}

/// A usage file whose dates read either way, read as the book's earlier files showed theirs, that
/// would only replace values the book has where read the other way every value is new, is
/// refused: a probe's US file of March 1 ("03/01/2027"), read day-first as January 3, rewrote a
/// week two months old without a word. Both readings are dry runs: nothing is written.
fn refuse_old_weeks_read_as_kept<B>(
    book: &mut B,
    run: &impl Fn(&mut B, &Config, &import::ImportOptions) -> Result<import::ImportReport, import::ImportError>,
    (config, as_kept): (&Config, &Config),
    opts: &import::ImportOptions,
    kept: &import::values::KeptDateOrder,
    file: &str,
) -> Result<(), import::ImportError> {
    let dry = import::ImportOptions { dry_run: true, rejects: None, progress: false, ..opts.clone() };
    let other = kept.order.other();
    let mut as_other = config.clone();
    as_other.import.date_order = other;
    let (Ok(kept_way), Ok(other_way)) = (run(book, as_kept, &dry), run(book, &as_other, &dry)) else { return Ok(()) };
    if !(kept_way.new == 0 && kept_way.updated > 0 && other_way.new > 0 && other_way.updated == 0) {
        return Ok(());
    }
    let Some(example) = &kept_way.dates.ambiguous else { return Ok(()) };
    let day = |order| import::values::parse_date(&example.text, order).map(|d| d.to_string()).unwrap_or_default();
    Err(import::ImportError::Dates {
        file: file.to_string(),
        reason: format!(
            "dates like {example} could be day-first or month-first: read {} ({}), as this book's earlier file {} \
             showed, every value would replace one the book has, and read {} ({}) every value is new: pass \
             --date-order {} or {} to say which; nothing was imported",
            kept.order.words(),
            day(kept.order),
            crate::text::clean(&kept.file),
            other.words(),
            day(other),
            other.flag(),
            kept.order.flag(),
        ),
        undecided: false,
    })
}

/// The kind of file a book keeps the order of its dates for (`Store::kept_date_order`).
fn date_kind(what: super::ImportWhat) -> String {
    format!("{what:?}").to_lowercase()
}

/// Import a file of `what` into a book, a file or a team book: one choice of importer for both.
/// A file refused for dates that read either way is checked through besides (month-first, as a
/// dry run: nothing written), so that the refusal names its rows' other problems too.
fn import_file<B>(
    book: &mut B,
    what: super::ImportWhat,
    config: &Config,
    source: &import::Source,
    opts: &import::ImportOptions,
) -> Result<import::ImportReport, import::ImportError>
where
    B: import::accounts::AccountsBook
        + import::metrics::SamplesBook
        + import::stream::StreamedBook
        + crate::book::storage::BookRead,
{
    // One choice of importer, run as asked and, for a refusal of its dates, as a check.
    let run = |book: &mut B, config: &Config, opts: &import::ImportOptions| {
        let order = config.import.date_order;
        // A usage or log file names its accounts as the accounts file did, mapped or not.
        let named_by = config.import.account_headers();
        match what {
            super::ImportWhat::Accounts => import::accounts::import_accounts(book, config, source, opts),
            super::ImportWhat::Metrics => {
                // A book's first usage data: what the factors read that it lacks is said once.
                // The usage data's counts: a help desk's ticket counts are no week of usage.
                let before = book.book_days()?;
                let kept = before.usage_counts.to_vec();
                let first = before.usage_days.is_empty();
                let read = &config.health.catalog.metrics;
                import::metrics::import_metrics_into(book, source, opts, order, read, &named_by).and_then(|mut r| {
                    r.check_metrics_read(&config.health.catalog.metrics);
                    // The book's counts as the import left them; a dry run's as they would
                    // be, with the samples it found new to the book.
                    let after = match opts.dry_run {
                        true => crate::domain::data_days::counts_after(
                            &kept,
                            &r.sample_days.counts(),
                            &r.new_sample_days.counts(),
                        ),
                        false => book.book_days()?.usage_counts.to_vec(),
                    };
                    r.thin_day = crate::domain::data_days::thin_newest_day(&kept, &after, opts.today);
                    if let Some(thin) = r.thin_day {
                        r.thin_before_accounts = book.accounts_sampled_on(thin.before)?;
                    }
                    match first {
                        true => r.check_metrics_given(config, &book.logged_kinds()?),
                        false => r.without_samples = None,
                    }
                    Ok(r)
                })
            }
            super::ImportWhat::Logs => import::logs::import_logs_into(book, source, opts, order, &named_by),
            super::ImportWhat::Tickets => {
                import::tickets::import_tickets(book, source, opts, order, &config.health.catalog.metrics, &named_by)
            }
            super::ImportWhat::Goals => import::plans::import_goals(book, source, opts, order),
            super::ImportWhat::Milestones => {
                let templates: Vec<&str> = config.journeys.names().collect();
                import::plans::import_milestones(book, source, opts, order, &templates)
            }
            super::ImportWhat::Tasks => import::tasks::import_tasks(book, source, opts, order, &named_by),
            super::ImportWhat::Contacts => import::contacts::import_contacts(book, source, opts, order),
        }
    };
    // Dates that read either way are read as the book's earlier files showed theirs, said.
    let kept = match config.import.date_order {
        import::values::DateOrder::Auto => book.kept_date_order(&date_kind(what))?,
        _ => None,
    };
    let (file, reason) = match (run(book, config, opts), kept) {
        (Err(import::ImportError::Dates { file, undecided: true, .. }), Some(kept)) => {
            let mut as_kept = config.clone();
            as_kept.import.date_order = kept.order;
            if what == super::ImportWhat::Metrics {
                refuse_old_weeks_read_as_kept(book, &run, (config, &as_kept), opts, &kept, &file)?;
            }
            return run(book, &as_kept, opts).map(|mut report| {
                report.dates_as_kept = Some(kept);
                report
            });
        }
        (Err(import::ImportError::Dates { file, reason, undecided: true }), None)
            if matches!(source, import::Source::File(_)) && !opts.skip_bad_rows =>
        {
            (file, reason)
        }
        (other, _) => return other,
    };
    let mut either = config.clone();
    either.import.date_order = import::values::DateOrder::Mdy;
    let check = import::ImportOptions { dry_run: true, rejects: None, progress: false, ..opts.clone() };
    Err(match run(book, &either, &check) {
        Err(import::ImportError::Rows { problems, total, .. }) => {
            import::ImportError::DatesAndRows { file, reason, problems, total }
        }
        _ => import::ImportError::Dates { file, reason, undecided: true },
    })
}

/// The TUI on a team book: its snapshot read as a book file is, the writes sent to the team book.
fn open_team_tui(url: &str, mut config: Config, config_path: &Path, today: NaiveDate, as_of_asked: bool) -> Result<()> {
    if !std::io::stdout().is_terminal() {
        bail!("the screens need a terminal; for scripts use the commands (tend --help)");
    }
    let mut link = tui::TeamLink::sign_in(url)?;
    // Signed in, you are your CSM: the screens open on your book as `me` would.
    if let Some(csm) = &link.signer {
        config.me = csm.clone();
    }
    // The head of my list kept in the team book, when nothing was written since: shown at once,
    // the team book pulled behind it.
    if let Some((head, data_days)) = link.kept_head(&config, today)? {
        let mut app = App::on_team_head(link, config, today, Theme::from_env(), head, data_days)?;
        app.set_config_path(config_path.to_path_buf());
        app.set_as_of_asked(as_of_asked);
        return tui::run(app);
    }
    let bar = crate::team::reading_spinner(url);
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let mut store = link.pull(&bar)?;
    bar.finish_and_clear();
    let generation = store.generation()?;
    let bar = progress_bar(&store)?;
    crate::book::prepare_showing(&mut store, &config, today, &bar)?;
    bar.finish_and_clear();
    let mut app = App::prepared_on(store, Some(link), config, today, Theme::from_env(), generation)?;
    app.set_config_path(config_path.to_path_buf());
    app.set_as_of_asked(as_of_asked);
    tui::run(app)
}

fn open_tui(db: &Path, config: Config, config_path: &Path, today: NaiveDate, as_of_asked: bool) -> Result<()> {
    let mut store = open_as_of(db, today)?;
    let config = config.with_me_in(&store);
    // Checked before anything is worked out and stored: with no terminal (a pipe, a cron job)
    // the book is left as it was.
    if !std::io::stdout().is_terminal() {
        bail!("the screens need a terminal; for scripts use the commands (tend --help)");
    }
    // A new day's first open scores every account: on a large book, with a bar saying how far it
    // is (drawn only once there is work), before the screen is taken. Not when today's triage
    // head holds (nothing has changed since the caches were complete): the app opens on it.
    let head = crate::book::triage_head::load(&store, &config, today, config.me())?;
    // A day nothing prepared, on a large book: the newest list kept from an earlier day is shown
    // at once, said to be that day's, while today's is worked out behind it.
    let earlier = match head {
        None if store.expected_accounts()? >= tui::HEAD_FIRST_FROM && store.read_only().is_none() => {
            crate::book::triage_head::load_earlier(&store, &config, today, config.me())?
        }
        _ => None,
    };
    let writer = match earlier {
        Some(_) => store.reader()?,
        None => None,
    };
    let (mut app, change) = match (head, earlier, writer) {
        (None, Some(earlier), Some(writer)) => {
            (App::on_earlier_head(store, writer, config, today, Theme::from_env(), earlier)?, None)
        }
        (Some(_), _, _) => (App::new(store, config, today, Theme::from_env())?, None),
        (None, _, _) => {
            // Read before the caches are made current (see `App::prepared`).
            let generation = store.generation()?;
            let bar = progress_bar(&store)?;
            crate::book::prepare_today(&mut store, &config, today, &bar)?;
            bar.finish_and_clear();
            let change = crate::book::rules_change::since_last(&mut store, &config, today)?;
            (App::prepared(store, config, today, Theme::from_env(), generation)?, change)
        }
    };
    app.set_config_path(config_path.to_path_buf());
    if let Some(change) = change {
        app.tell_after_opening_note(&change.short_text());
    }
    app.set_as_of_asked(as_of_asked);
    tui::run(app)
}
