//! `tend snapshot` on a team book: the morning's Triage list of each member worked out from the
//! team book as of the day and kept in it (`team::heads`), so that each member's first open shows
//! Triage at once (until their accounts are written to, or a lead or an importer writes). What a
//! book file's snapshot keeps beside (the health history) is worked out afresh in each member's
//! snapshot of a team book, and not kept.

use std::io::IsTerminal;

use chrono::NaiveDate;
use color_eyre::Result;

use crate::book::storage::BookRead;
use crate::config::Config;
use crate::store::Store;
use crate::team::TeamBook;
use crate::team::heads::WriteCounts;

pub fn run(url: &str, config: &Config, today: NaiveDate) -> Result<String> {
    let started = std::time::Instant::now();
    let mut book = TeamBook::open(url)?;
    let kind = book.member_kind()?;
    // Whose lists: each member's, as their own tend opens on them (`me`, their CSM); a CSM keeps
    // only their own (the database's rule).
    let members: Vec<String> = match (kind.as_deref(), book.signed_in_csm()?) {
        (Some("csm"), me) => me.into_iter().collect(),
        _ => book.member_csms()?,
    };
    let bar = match std::io::stderr().is_terminal() {
        true => crate::team::reading_spinner(url),
        false => indicatif::ProgressBar::hidden(),
    };
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let snapshot = book.member_snapshot(&bar)?;
    bar.finish_and_clear();
    let mut store = Store::open(&snapshot.path())?;
    let counts = WriteCounts::of_snapshot(&store)?.unwrap_or_default();
    // Each member's list of `day`, kept under their key `slot` (0: the day's, 1: worked out
    // ahead): the members whose list holds there now (kept now, or by their own tend already).
    let mut keep_lists = |store: &mut Store, day: NaiveDate, slot: usize| -> Result<Vec<String>> {
        crate::book::prepare(store, config, day)?;
        let mut kept = Vec::new();
        for csm in &members {
            let theirs = config.as_member(csm);
            let head = crate::book::triage_head::head_of_me(store, &theirs, day)?;
            let generation = counts.of_list(head.csm.as_deref());
            let Some(stored) = crate::book::triage_head::stored(&theirs, day, generation, &head) else {
                continue;
            };
            let keys = crate::book::triage_head::keys(theirs.me());
            book.keep_head(&keys[slot], &stored);
            if book.kept_heads(theirs.me())?.get(&keys[slot]).as_ref() == Some(&stored) {
                kept.push(crate::text::clean(csm));
            }
        }
        Ok(kept)
    };
    let kept = keep_lists(&mut store, today, 0)?;
    // And the next working day's, kept beside (a snapshot run in the evening readies the
    // morning).
    let ahead = crate::book::history::worked_ahead_to(today);
    let ahead_kept = if ahead != today { keep_lists(&mut store, ahead, 1)?.len() } else { 0 };
    // Counting the team's writes stays quick however long it writes.
    book.fold_writes()?;
    let now = book.write_counts()?.total();
    let seconds = started.elapsed().as_secs_f64();
    let whose = match kept.len() {
        0 => "no member's list (no member of the book signs as one of its CSMs)".to_string(),
        1 => format!("{}'s list", kept[0]),
        n => format!("the lists of {n} members ({})", kept.join(", ")),
    };
    let ahead_said = match ahead_kept {
        0 => String::new(),
        _ => format!(", and {}'s beside it", ahead.format("%A %Y-%m-%d")),
    };
    let mut said = format!(
        "{}: Triage as of {today} worked out and {whose} kept in the team book{ahead_said} ({seconds:.1}s).",
        crate::team::shown(url)
    );
    if now != snapshot.generation {
        said.push_str(
            "\nThe book was written meanwhile: a list whose accounts were written since is worked out afresh at its next open (`tend snapshot` again keeps it).",
        );
    } else if kind.as_deref() == Some("csm") && !kept.is_empty() {
        said.push_str("\nYour next open shows Triage at once, until your accounts are written to, or a lead or an importer writes.");
    } else if !kept.is_empty() {
        said.push_str(
            "\nEach member's next open shows Triage at once, until their accounts are written to, or a lead or an importer writes (for those whose config is the same as the one used here).",
        );
    }
    Ok(said)
}
