//! End to end: the real binary in a real terminal (tmux): open the demo, filter, drill in, quit.

mod common;

use common::tmux::Tmux;
use common::*;

/// Where the Account column starts on a Portfolio row: after Health, the 7-day arrow and the change.
const NAME_COLUMN: usize = 20;

#[test]
fn open_demo_filter_drill_in_and_quit() {
    let (dir, path) = temp_db();
    let bin = env!("CARGO_BIN_EXE_tend");
    let tmux = Tmux { socket: format!("tend-e2e-{}", std::process::id()) };
    // `tend demo` builds the book and opens the TUI on it, as a new user would run it.
    tmux.start(100, 30, &format!("{bin} demo --db {} --as-of {TODAY}; sleep 30", path.display()), dir.path());
    // It opens on Triage: who needs the CSM today, and why.
    let triage = tmux.wait_for("triage", |s| s.contains("need attention today") && s.contains("Why"));
    assert!(triage.contains("1 Triage"), "{triage}");
    tmux.send(&["2"]);
    let first = tmux.wait_for("the portfolio", |s| s.contains("Portfolio") && s.contains("/60 shown"));
    // "N/60 shown": every account of the demo but the churned ones.
    let shown: usize = first
        .split("/60 shown")
        .next()
        .and_then(|before| before.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of shown accounts:\n{first}"));
    assert!((50..60).contains(&shown), "{first}");

    // Pick a real account name from the screen (the first data row) and filter to it.
    let name_line = first.lines().nth(2).unwrap().to_string();
    let name: String =
        name_line.chars().skip(NAME_COLUMN).collect::<String>().split("  ").next().unwrap().trim().to_string();
    tmux.send(&["/"]);
    tmux.send(&["-l", &name]);
    let filtered = tmux.wait_for("the filter", |s| s.contains(&format!("Filter: {name}")));
    let data_rows =
        filtered.lines().skip(2).take_while(|l| !l.starts_with("Filter:")).filter(|l| !l.trim().is_empty()).count();
    assert!((1..shown).contains(&data_rows), "filter kept {data_rows} rows:\n{filtered}");
    assert!(filtered.lines().nth(2).unwrap().contains(&name), "best match first:\n{filtered}");

    tmux.send(&["Enter"]); // keep the filter
    tmux.send(&["Enter"]); // drill in
    let account = tmux.wait_for("the account view", |s| s.contains("Factor") && s.contains("Adds up to"));
    assert!(account.contains(&name), "{account}");
    assert!(account.contains("CSM sentiment"), "{account}");

    tmux.send(&["Escape"]);
    tmux.wait_for("the portfolio again", |s| s.contains("Filter:") && !s.contains("Adds up to"));
    tmux.send(&["q"]);
    // After quitting, the shell's `sleep` owns the pane: the TUI is gone and the screen restored.
    let after = tmux.wait_for("the restored terminal", |s| !s.contains("Portfolio"));
    assert!(!after.contains("Health"), "{after}");
    assert!(tmux.alive());
}

#[test]
fn log_a_sentiment_in_the_tui_and_read_it_back_with_the_cli() {
    let (dir, path) = temp_db();
    let bin = env!("CARGO_BIN_EXE_tend");
    let built = std::process::Command::new(bin)
        .args(["demo", "--no-open", "--as-of", TODAY, "--db"])
        .arg(&path)
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let tmux = Tmux { socket: format!("tend-e2e-log-{}", std::process::id()) };
    tmux.start(100, 30, &format!("{bin} --db {} --as-of {TODAY}; sleep 30", path.display()), dir.path());
    tmux.wait_for("triage", |s| s.contains("need attention today"));
    tmux.send(&["2"]);
    let first = tmux.wait_for("the portfolio", |s| s.contains("Health") && s.contains("shown"));
    let name_line = first.lines().nth(2).unwrap().to_string();
    let name: String =
        name_line.chars().skip(NAME_COLUMN).collect::<String>().split("  ").next().unwrap().trim().to_string();

    tmux.send(&["Enter"]);
    tmux.wait_for("the account", |s| s.contains("Factor"));
    tmux.send(&["s"]);
    tmux.wait_for("the sentiment form", |s| s.contains("Log sentiment"));
    tmux.send(&["7"]);
    tmux.send(&["Tab"]);
    tmux.send(&["-l", "said renewal looks safe"]);
    tmux.send(&["Enter"]);
    let after = tmux.wait_for("the confirmation", |s| s.contains("sentiment 7/10 logged"));
    assert!(after.contains(&name), "{after}");
    tmux.send(&["q"]);
    tmux.wait_for("the TUI to end", |s| !s.contains("Factor"));

    // The CLI reads the same book: the entry is there, newest first, with its note.
    let out = std::process::Command::new(bin)
        .args(["log", "list", &name, "--as-of", TODAY, "--db"])
        .arg(&path)
        .env("HOME", dir.path())
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let newest = listing.lines().nth(2).unwrap_or_default();
    assert!(newest.contains("sentiment") && newest.contains("7/10 · said renewal looks safe"), "{listing}");
}
