//! Shell completion: `tend completions SHELL` prints a script that asks tend itself for
//! candidates as you type (clap_complete's dynamic engine), so account names, CSMs, segments and
//! journeys come from your book and config, not from a list frozen when the script was written.
//!
//! A completion never writes: the book is opened read-only (nothing created or migrated), and any
//! failure (no book yet, a locked or broken one, a bad config) completes nothing rather than
//! printing an error into the user's prompt.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

use clap_complete::engine::CompletionCandidate;

use crate::config::{Config, paths};
use crate::store::Store;

/// How many accounts a completion offers: enough to pick from, few enough to read.
const MOST: usize = 50;

/// The value of `--NAME VALUE` or `--NAME=VALUE` among the words being completed, which the
/// shell passes after `--`.
fn option_in_line(name: &str) -> Option<OsString> {
    let words: Vec<OsString> = std::env::args_os().skip_while(|a| a != "--").collect();
    let long = format!("--{name}");
    let with_eq = format!("--{name}=");
    words.iter().enumerate().find_map(|(i, w)| {
        let w = w.to_string_lossy();
        if w == long { words.get(i + 1).cloned() } else { w.strip_prefix(&with_eq).map(OsString::from) }
    })
}

/// A file the command being completed would use: its `--OPTION`, else the variable, else the
/// default, as the command itself chooses.
fn chosen(option: &str, variable: &str, default: fn() -> PathBuf) -> PathBuf {
    option_in_line(option)
        .map(PathBuf::from)
        .or_else(|| std::env::var_os(variable).filter(|v| !v.is_empty()).map(PathBuf::from))
        .unwrap_or_else(default)
}

/// The book the command being completed would use.
fn book() -> Option<Store> {
    Store::open_to_read(&chosen("db", "TEND_DB", paths::default_db)).ok()
}

/// The config the command being completed would use (the defaults when there is none).
fn config() -> Config {
    Config::load(&chosen("config", "TEND_CONFIG", paths::default_config), false).unwrap_or_default()
}

/// Whether bash is asking: its script sets this, and bash inserts a candidate as it is, so a name
/// with a space must come escaped ("Acme\ Analytics") to stay one word. zsh, fish and the others
/// quote what they insert themselves.
fn bash() -> bool {
    std::env::var_os("_CLAP_COMPLETE_COMP_TYPE").is_some()
}

/// What is typed so far, as the word it will be: bash hands it over as typed, escapes and an
/// opening quote included.
fn typed(current: &OsStr) -> String {
    let raw = current.to_string_lossy();
    if !bash() {
        return raw.into_owned();
    }
    let raw = raw.trim_start_matches(['"', '\'']);
    let mut out = String::new();
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// A candidate as the asking shell inserts it.
fn candidate(value: &str) -> CompletionCandidate {
    let value = crate::text::clean(value);
    if !bash() {
        return CompletionCandidate::new(value);
    }
    let mut escaped = String::new();
    for c in value.chars() {
        if c.is_whitespace() || "'\"\\$`&;|<>()!*?[]#~{},=".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    CompletionCandidate::new(escaped)
}

/// Names starting with what is typed, in any case.
fn starting_with<'a>(current: &OsStr, names: impl IntoIterator<Item = &'a str>) -> Vec<CompletionCandidate> {
    let typed = typed(current).to_lowercase();
    names.into_iter().filter(|n| n.to_lowercase().starts_with(&typed)).map(candidate).collect()
}

/// Accounts: names and external ids starting with what is typed (any case), each with the
/// other as its description.
pub fn accounts(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(store) = book() else { return Vec::new() };
    store
        .accounts_starting(&typed(current), MOST)
        .unwrap_or_default()
        .into_iter()
        .map(|(value, other)| candidate(&value).help(Some(crate::text::clean(&other).into())))
        .collect()
}

pub fn csms(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(store) = book() else { return Vec::new() };
    let csms = store.csms().unwrap_or_default();
    starting_with(current, csms.iter().map(|(_, n)| n.as_str()))
}

pub fn segments(current: &OsStr) -> Vec<CompletionCandidate> {
    let config = config();
    starting_with(current, config.segments.names())
}

pub fn journeys(current: &OsStr) -> Vec<CompletionCandidate> {
    let config = config();
    starting_with(current, config.journeys.names())
}

/// What `report metrics --by` groups by.
pub fn groups(current: &OsStr) -> Vec<CompletionCandidate> {
    starting_with(current, ["book", "csm", "segment", "cohort", "field:"])
}

/// The script for `shell` that registers tend's completions (bash, zsh, fish, elvish or
/// powershell).
pub fn registration(shell: &str) -> Result<Vec<u8>, String> {
    let shells = clap_complete::env::Shells::builtins();
    let Some(completer) = shells.completer(shell) else {
        let known: Vec<&str> = shells.names().collect();
        return Err(format!("no completions for the shell \"{shell}\": pick one of {}", known.join(", ")));
    };
    // The script calls this very binary back for each completion.
    let exe = std::env::current_exe().map_or_else(|_| "tend".to_string(), |p| p.display().to_string());
    let mut out = Vec::new();
    completer.write_registration("COMPLETE", "tend", "tend", &exe, &mut out).map_err(|e| e.to_string())?;
    Ok(out)
}
