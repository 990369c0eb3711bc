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

/// `tend report triage` typed in an 80-column terminal, on an imported CRM book with usage: each
/// line fits, the reasons are read whole under their row, and a column that gave way is named.
/// It had been eleven columns the terminal wrapped over four lines a row.
#[test]
fn report_triage_reads_in_an_80_column_terminal() {
    let (dir, path) = imported_crm(60);
    let usage = dir.path().join("usage.csv");
    let mut text = String::from("Account ID,Date,Active Users,Logins\n");
    for i in 1..40 {
        // Some accounts' usage stopped a month before the rest's.
        let last = if i % 5 == 0 { 30 } else { 0 };
        for back in last..last + 40 {
            let day = today() - chrono::Duration::days(back);
            text.push_str(&format!("CRM-{i:04},{day},{},{}\n", 5 + i % 7, 20 + i % 11));
        }
    }
    std::fs::write(&usage, text).unwrap();
    let (ok, _, err) = tend_on(&path, &["import", "metrics", usage.to_str().unwrap()]);
    assert!(ok, "{err}");
    // Piped, a row a line: the longest reasons, and their rank.
    let (_, piped, _) = tend_on(&path, &["report", "triage"]);
    let (rank, reasons) = piped
        .lines()
        .skip(2)
        .take_while(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .filter_map(|l| Some((l.split_whitespace().next()?.to_string(), l.rsplit("  ").next()?.to_string())))
        .max_by_key(|(_, r)| r.len())
        .unwrap();
    assert!(reasons.len() > 80, "{piped}");
    let bin = env!("CARGO_BIN_EXE_tend");
    let tmux = Tmux { socket: format!("tend-e2e-report-{}", std::process::id()) };
    tmux.start(80, 60, &format!("{bin} --db {} --as-of {TODAY} report triage; sleep 30", path.display()), dir.path());
    let screen = tmux.wait_for("the report", |s| s.contains("Need attention"));
    let lines: Vec<&str> = screen.lines().collect();
    assert!(lines.iter().all(|l| l.chars().count() <= 80), "{screen}");
    assert!(lines[1].starts_with("RANK") && lines[2].trim() == "REASONS", "{screen}");
    assert!(lines[3].starts_with("1 "), "{screen}");
    let at = lines.iter().position(|l| l.starts_with(&format!("{rank} "))).unwrap();
    let under: String =
        lines[at + 1..].iter().take_while(|l| l.starts_with("    ")).map(|l| l.trim()).collect::<Vec<_>>().join(" ");
    assert_eq!(under, reasons, "{screen}");
    // The columns beside the reasons fit closed up, one space apart: none left out.
    assert!(lines[1].ends_with(" COVERAGE NEED") && !screen.contains("left out at this width"), "{screen}");

    // The team report at 80 columns keeps its worst bands: columns give way from the right, and
    // a lead's had kept GREEN and left RED out.
    let (ok, _, err) = tend_on(&path, &["override", "CRM-0001", "red", "--reason", "Champion left"]);
    assert!(ok, "{err}");
    let team = Tmux { socket: format!("tend-e2e-team-{}", std::process::id()) };
    team.start(80, 30, &format!("{bin} --db {} --as-of {TODAY} report team; sleep 30", path.display()), dir.path());
    let screen = team.wait_for("the team report", |s| s.contains("CSMs:"));
    let header = screen.lines().find(|l| l.starts_with("CSM ")).unwrap_or_default();
    let (_, json, _) = tend_on(&path, &["report", "team", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let reds: Vec<i64> = doc["rows"].as_array().unwrap().iter().map(|r| r["red"].as_i64().unwrap()).collect();
    // RED is kept, and before GREEN.
    assert!(reds.iter().any(|r| *r != reds[0]), "{reds:?}");
    assert!(header.contains("RED"), "{screen}");
    if let (Some(red), Some(green)) = (header.find("RED"), header.find("GREEN")) {
        assert!(red < green, "{screen}");
    }
    assert!(screen.lines().all(|l| l.chars().count() <= 80), "{screen}");
}

/// Text pasted into the note form of the real binary (tmux's bracketed paste) goes in whole: its
/// line break is kept in the note, not read as Enter, and its last line is not run as keys (a
/// probe's pasted "recap⏎d" saved "recap" and deleted it). On an imported CRM book, at 80x24.
#[test]
fn text_pasted_into_a_note_goes_in_whole_and_runs_no_keys() {
    let (dir, path) = imported_crm(30);
    let bin = env!("CARGO_BIN_EXE_tend");
    let tmux = Tmux { socket: format!("tend-e2e-paste-{}", std::process::id()) };
    tmux.start(80, 24, &format!("{bin} --db {} --as-of {TODAY}; sleep 30", path.display()), dir.path());
    tmux.wait_for("triage", |s| s.contains("1 Triage"));
    tmux.send(&["2"]);
    tmux.wait_for("the portfolio", |s| s.contains("Health") && s.contains("shown"));
    tmux.send(&["Enter"]);
    let account = tmux.wait_for("the account", |s| s.contains("Factor"));
    let name = account.lines().next().unwrap_or_default().to_string();
    tmux.send(&["N"]);
    tmux.wait_for("the note form", |s| s.contains("Log a note"));
    let buffer = tmux.cmd().args(["set-buffer", "-b", "pasted", "meeting recap\nd"]).status().unwrap();
    assert!(buffer.success());
    let pasted = tmux.cmd().args(["paste-buffer", "-p", "-b", "pasted", "-t", "e2e"]).status().unwrap();
    assert!(pasted.success());
    let form = tmux.wait_for("the pasted note", |s| s.contains("meeting recap⏎d"));
    assert!(form.contains("Log a note"), "the form is still open: {form}");
    tmux.send(&["Enter"]);
    let after = tmux.wait_for("the confirmation", |s| s.contains("\" logged"));
    assert!(after.contains("note \"meeting recap ⏎ d\" logged") && !after.contains("deleted"), "{after}");
    tmux.send(&["q"]);
    tmux.wait_for("the TUI to end", |s| !s.contains("Factor"));
    let _ = tmux.cmd().arg("kill-server").status();

    // The note holds both lines; nothing was deleted.
    let (ok, out, err) = tend_on(&path, &["log", "list", "--format", "json", first_account_id(&path).as_str()]);
    assert!(ok, "{err}\n{name}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(rows.len(), 1, "{out}");
    assert_eq!(rows[0]["kind"], "note");
    assert!(rows[0]["what"].as_str().is_some_and(|w| w.contains("meeting recap") && w.contains('d')), "{out}");
}

/// The external id of the account that has entries (the one the note went on).
fn first_account_id(path: &std::path::Path) -> String {
    let store = tend::store::Store::open(path).unwrap();
    let names = store.account_names().unwrap();
    let id =
        names.iter().find(|(id, _)| !store.entries_for(*id).unwrap().is_empty()).expect("an account with the note").0;
    store.account(id).unwrap().external_id
}
