//! The stored head of today's triage list, on an imported CRM book through the real binary and
//! the app: what it shows is exactly what reading the whole book shows, and it is never shown
//! once the book, the day or the config has changed.

mod common;

use std::path::Path;

use common::{tend_on, text, today};
use tend::config::Config;
use tend::store::Store;
use tend::tui::App;
use tend::tui::theme::Theme;

fn ok(db: &Path, args: &[&str]) -> String {
    let (ok, out, err) = tend_on(db, args);
    assert!(ok, "tend {args:?}: {err}");
    out
}

/// A CRM import of 300 accounts, with sentiment and touches logged on a few.
fn crm_book() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, db) = common::imported_crm(300);
    for (account, score) in [("Company 1", "3"), ("Company 2", "9"), ("Company 3", "2"), ("Company 5", "4")] {
        ok(&db, &["log", "sentiment", account, score, "--by", "Maya Patel"]);
    }
    ok(&db, &["log", "touch", "Company 4", "call", "--by", "Maya Patel"]);
    (dir, db)
}

fn report(db: &Path, extra: &[&str]) -> String {
    ok(db, &[&["report", "triage", "--format", "json"], extra].concat())
}

/// A screen but for its status line (which says the book is still being read, and fits the rest
/// around it).
fn settled(screen: String) -> String {
    let mut lines: Vec<&str> = screen.lines().collect();
    lines.pop();
    lines.join("\n")
}

/// Let the app take the rest of the book as its event loop does while no key comes.
fn wait_for_book(app: &mut App) {
    let started = std::time::Instant::now();
    while app.is_reading() && started.elapsed() < std::time::Duration::from_secs(60) {
        app.poll_reading().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(!app.is_reading());
}

fn drop_heads(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute("DELETE FROM triage_heads", []).unwrap();
}

fn stored_generation(db: &Path) -> Option<i64> {
    let store = Store::open(db).unwrap();
    store.triage_head("").unwrap().map(|h| h.generation)
}

#[test]
fn the_report_reads_the_stored_head_until_the_book_changes() {
    let (dir, db) = crm_book();
    let full = report(&db, &[]);
    let head = stored_generation(&db).expect("the report keeps the morning's list");
    assert_eq!(head, Store::open(&db).unwrap().generation().unwrap(), "stored at the book's count");
    let again = report(&db, &[]);
    assert_eq!(full, again, "the head prints what reading the whole book printed");

    // A write from the shell: the next report reads the book again and sees it.
    let top = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap()["rows"][0].clone();
    let first = top(&full)["account"].as_str().unwrap().to_string();
    assert_eq!(top(&full)["score"], serde_json::Value::Null);
    ok(&db, &["log", "sentiment", &first, "1", "--by", "Maya Patel"]);
    assert!(stored_generation(&db).unwrap() < Store::open(&db).unwrap().generation().unwrap());
    let after = report(&db, &[]);
    let doc: serde_json::Value = serde_json::from_str(&after).unwrap();
    let logged = doc["rows"].as_array().unwrap().iter().find(|r| r["account"] == first.as_str()).cloned();
    assert!(logged.is_some_and(|r| r["coverage"] != 0), "the new sentiment counts on the list: {after}");
    // The head stored by that run is what a run without any head prints.
    let from_head = report(&db, &[]);
    drop_heads(&db);
    assert_eq!(from_head, report(&db, &[]));

    // Another config (a shorter morning): the stored head is not used.
    let config = dir.path().join("short.toml");
    std::fs::write(&config, "[triage]\ndaily_limit = 4\n").unwrap();
    let short: serde_json::Value = serde_json::from_str(&report(&db, &["--config", config.to_str().unwrap()])).unwrap();
    assert_eq!(short["rows"].as_array().unwrap().len(), 4);
    // Another day: neither.
    let next = (today() + chrono::Duration::days(1)).to_string();
    let (ok_next, next_day, err) = common::tend_on_day(&db, &next, &["report", "triage", "--format", "json"]);
    assert!(ok_next, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&next_day).unwrap();
    assert_eq!(doc["as_of"], (today() + chrono::Duration::days(1)).to_string());
    let store = Store::open(&db).unwrap();
    assert_eq!(store.triage_head("").unwrap().unwrap().day, today() + chrono::Duration::days(1));
}

#[test]
fn a_stored_head_opens_triage_as_reading_the_whole_book_does() {
    let (_dir, db) = crm_book();
    let open = || App::new(Store::open(&db).unwrap(), Config::default(), today(), Theme { color: false }).unwrap();
    // The first open reads everything and keeps the head.
    let first = open();
    assert!(!first.is_reading());
    let whole = text(&first, 80, 24);
    drop(first);
    // The next shows the head at once, the rest being read behind it.
    let mut second = open();
    assert!(second.is_reading(), "the head is shown while the book is read");
    let reading = text(&second, 80, 24);
    assert!(reading.contains("reading the book…"), "the status line says the rest is coming: {reading}");
    assert_eq!(settled(reading), settled(whole.clone()));
    let narrow = text(&second, 60, 20);
    assert!(narrow.lines().last().unwrap().contains("reading the book…"), "said at 60 columns too: {narrow}");
    assert_eq!(settled(text(&second, 60, 20)), {
        let mut third = open();
        third.finish_reading().unwrap();
        settled(text(&third, 60, 20))
    });
    // A key that needs the book waits for it: the Portfolio lists every account.
    common::press(&mut second, ratatui::crossterm::event::KeyCode::Char('2'));
    assert!(!second.is_reading());
    assert_eq!(second.portfolio.total(), 300);
    common::press(&mut second, ratatui::crossterm::event::KeyCode::Char('1'));
    assert_eq!(text(&second, 80, 24), whole, "the whole book lists what the head showed");
}

/// Keys pressed while the rest of the book is read wait in line, in order, and say so; the
/// view moves only once the book is there.
#[test]
fn keys_that_need_the_book_wait_for_it_in_order_and_say_so() {
    let (_dir, db) = crm_book();
    let open = || App::new(Store::open(&db).unwrap(), Config::default(), today(), Theme { color: false }).unwrap();
    drop(open());
    let mut app = open();
    assert!(app.is_reading());
    app.defer_keys = true;
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('2'));
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('j'));
    if app.is_reading() {
        assert!(text(&app, 100, 24).contains("Reading the rest of the book (300 accounts)"), "{}", text(&app, 100, 24));
    }
    wait_for_book(&mut app);
    // `2` then `j`: the Portfolio, its second row selected.
    assert_eq!(app.screen, tend::tui::app::Screen::Portfolio);
    assert_eq!(app.portfolio.total(), 300);
    assert_eq!(app.portfolio.selected_index(), 1);
}

/// A head stored by another program is no change to the book: an open app does not read it
/// again. A change made behind tend's back (plain SQL, which tend does not count) is caught once
/// the whole book is read, and the head stored afresh.
#[test]
fn a_stored_head_is_no_change_and_a_stale_one_heals() {
    let (_dir, db) = crm_book();
    let open = || App::new(Store::open(&db).unwrap(), Config::default(), today(), Theme { color: false }).unwrap();
    let mut app = open();
    ok(&db, &["report", "triage", "--csm", "Maya Patel"]);
    app.on_idle().unwrap();
    assert_eq!(app.message, None, "the app read the book again for a stored head");
    drop(app);
    // Behind tend's back: a small account becomes the largest by far.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("UPDATE accounts SET arr_cents = 900000000000 WHERE name = 'Company 7'", []).unwrap();
    drop(conn);
    let mut stale = open();
    assert!(stale.is_reading(), "the stored head still looks current");
    stale.finish_reading().unwrap();
    let healed = text(&stale, 100, 30);
    drop(stale);
    let again = open();
    assert!(again.is_reading());
    assert_eq!(
        settled(text(&again, 100, 30)),
        settled(healed),
        "the head stored after the whole read is the whole book's"
    );
}

/// A book of 5,000 accounts or more left open works the next working day out behind the screen:
/// its first open is on the list kept ahead, which is what working that day out afresh shows.
#[test]
fn a_large_book_left_open_works_the_next_day_out_behind() {
    let (dir, db) = common::imported_crm(5_000);
    // Sentiment on a few hundred accounts over the last months: scores, falls and stale data.
    let (_, config) = common::with_sentiment(&db, (0..5_000).step_by(13), |i| {
        [70, 35, 6].map(|back| (back + i % 5, 1 + (i + back) % 10)).to_vec()
    });
    let tuesday = today().succ_opt().unwrap();
    let open = |db: &Path, day| App::new(Store::open(db).unwrap(), config.clone(), day, Theme::plain()).unwrap();
    let wait = |app: &App| {
        let began = std::time::Instant::now();
        while app.working_ahead() {
            assert!(began.elapsed() < std::time::Duration::from_secs(120), "the work ahead never ended");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    };
    let mut app = open(&db, today());
    assert!(app.is_reading(), "a book of 5,000 accounts opens on the head of its list worked out alone");
    app.finish_reading().unwrap();
    assert!(app.working_ahead(), "a book of 5,000 accounts is worked out ahead behind the screen");
    wait(&app);
    drop(app);
    let stored = Store::open(&db).unwrap().triage_head("@next").unwrap().expect("Tuesday's list is kept");
    assert_eq!(stored.day, tuesday);

    // Tuesday opens on it, and it is what the book worked out afresh shows.
    let app = open(&db, tuesday);
    assert!(app.is_reading(), "Tuesday's first open shows the list kept ahead at once");
    let shown = text(&app, 120, 30);
    // (A thin score right-aligned: "R ~23", "R  ~0".)
    let thin_red_or_orange =
        |l: &str| (l.starts_with("R ") || l.starts_with("O ")) && l.chars().take(6).any(|c| c == '~');
    assert!(shown.lines().any(thin_red_or_orange), "scored accounts are listed: {shown}");
    drop(app);
    let fresh = common::copy_without_caches(&db, &dir.path().join("fresh.db"));
    let mut afresh = open(&fresh, tuesday);
    // Worked out afresh, the head alone first too, and the whole list once read.
    assert_eq!(shown.replace("book.db", "fresh.db"), text(&afresh, 120, 30));
    afresh.finish_reading().unwrap();
    wait(&afresh);
    assert_eq!(settled(shown), settled(text(&afresh, 120, 30)));
}

#[test]
fn the_head_worked_out_without_the_whole_list_is_the_whole_lists_head() {
    // 1,200 accounts of an import: many share an ARR ("€1.2k"), so ties are ordered by name; a
    // morning of 5 items means the best are trimmed again and again as the rows stream by.
    let (dir, db) = common::imported_crm(1_200);
    for (account, score) in [("Company 1", "3"), ("Company 2", "9"), ("Company 3", "2"), ("Company 1105", "1")] {
        ok(&db, &["log", "sentiment", account, score, "--by", "Maya Patel"]);
    }
    // One of the head's accounts shares its name with one in the other half of the book.
    let rename = dir.path().join("rename.csv");
    std::fs::write(&rename, "External ID,Account\nCRM-0010,Company 621\n").unwrap();
    ok(&db, &["import", "accounts", rename.to_str().unwrap()]);
    ok(&db, &["override", "Company 8", "red", "--reason", "exec sponsor left", "--by", "Ben Okafor"]);
    let mut config = Config::default();
    config.triage.daily_limit = 5;
    let mut store = Store::open(&db).unwrap();
    tend::book::prepare(&mut store, &config, today()).unwrap();
    let (rows, mut triage) = tend::book::load_book(&store, &config, today()).unwrap();
    // Items handled and snoozed, in both halves of the book, come off the list and are counted.
    let list = triage.list(&config, &rows);
    for (n, item) in list.items.iter().take(4).enumerate() {
        triage.mark(&mut store, item, (n % 2 == 1).then_some(7), None).unwrap();
    }
    let last = list.items.iter().max_by_key(|i| i.id).unwrap();
    triage.mark(&mut store, last, None, None).unwrap();

    let (rows, triage) = tend::book::load_book(&store, &config, today()).unwrap();
    for asked in [None, Some("maya PATEL"), Some("Ben Okafor"), Some("")] {
        let spelled =
            asked.and_then(|a| rows.iter().find(|r| r.csm.eq_ignore_ascii_case(a))).map(|r| r.csm.to_string());
        let list = triage.list_for(&config, &rows, spelled.as_deref());
        let whole = tend::book::triage_head::TriageHead::of(&store, &config, &triage, &list, &rows, spelled.as_deref())
            .unwrap();
        let worked = tend::book::triage_head::work_out(&store, &config, today(), asked).unwrap();
        let alone = match asked {
            Some(_) => worked.named.expect("the CSM owns accounts"),
            None => worked.everyone,
        };
        assert_eq!(alone, whole, "{asked:?}");
        assert_eq!(alone.items.len(), alone.open.min(5), "{asked:?}");
        if asked.is_none() {
            let names: Vec<&str> = alone.rows.iter().map(|r| r.name.as_str()).collect();
            assert!(names.contains(&"Company 621 (CRM-0621)"), "{names:?}");
            assert!(alone.open > 5, "more open items than a morning's: {}", alone.open);
            assert_eq!((alone.handled, alone.snoozed), (3, 2), "marks counted, not listed");
            assert_eq!(alone.accounts, 1_200);
        }
    }
    let nobody = tend::book::triage_head::work_out(&store, &config, today(), Some("Nobody Here")).unwrap();
    assert!(nobody.named.is_none(), "no list for a CSM who owns nothing");
}

/// The rest of the book cannot be read behind the head shown (here a table it needs is gone): the
/// session ends saying why, instead of going on with the head's rows as the whole book.
#[test]
fn a_book_that_cannot_be_read_behind_the_head_ends_the_session() {
    let (_dir, db) = crm_book();
    report(&db, &[]);
    rusqlite::Connection::open(&db).unwrap().execute_batch("DROP TABLE tasks").unwrap();
    let mut app = App::new(Store::open(&db).unwrap(), Config::default(), today(), Theme::plain()).unwrap();
    assert!(app.is_reading(), "the stored head is shown");
    let err = app.finish_reading().expect_err("the book behind it cannot be read");
    assert!(err.to_string().contains("could not read the rest of the book"), "{err}");
    assert!(app.quit, "the session ends");
    assert!(app.ended.as_deref().is_some_and(|why| why.contains("tasks")), "{:?}", app.ended);
}

/// A new day's first report reads every account's facts, and the next working day's with them:
/// it keeps that day's list too, which that day's first report prints as a book without any
/// cache would.
#[test]
fn a_new_days_first_report_keeps_the_next_days_list() {
    let (dir, db) = crm_book();
    let day = |n: i64| (today() + chrono::Duration::days(n)).to_string();
    let report_on = |db: &Path, n: i64| {
        let (ok, out, err) = common::tend_on_day(db, &day(n), &["report", "triage", "--format", "json"]);
        assert!(ok, "{err}");
        out
    };
    report_on(&db, 1);
    let kept = Store::open(&db).unwrap().triage_head("@next").unwrap().expect("the next day's list is kept");
    assert_eq!(kept.day.to_string(), day(2));
    let fresh = common::copy_without_caches(&db, &dir.path().join("fresh.db"));
    assert_eq!(report_on(&db, 2), report_on(&fresh, 2));
}

/// With `me` set, a new day's first report of another CSM's list prints that list, and keeps the
/// next working day's list of `me`'s book (worked out in the same read of the book), which that
/// day's first report prints as a book without any cache would.
#[test]
fn a_new_days_first_report_of_another_csms_list_keeps_the_next_days_list_of_me() {
    let (dir, db) = crm_book();
    let config_dir = dir.path().join("config/tend");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(config_dir.join("config.toml"), "me = \"Maya Patel\"\n").unwrap();
    let day = |n: i64| (today() + chrono::Duration::days(n)).to_string();
    let report_on = |db: &Path, n: i64, extra: &[&str]| {
        let args = [&["report", "triage", "--format", "json"], extra].concat();
        let (ok, out, err) = common::tend_on_day(db, &day(n), &args);
        assert!(ok, "{err}");
        out
    };
    let bens = report_on(&db, 1, &["--csm", "Ben Okafor"]);
    let doc: serde_json::Value = serde_json::from_str(&bens).unwrap();
    let owners: std::collections::BTreeSet<&str> =
        doc["rows"].as_array().unwrap().iter().map(|r| r["csm"].as_str().unwrap()).collect();
    assert_eq!(owners.into_iter().collect::<Vec<_>>(), ["Ben Okafor"], "{bens}");
    let store = Store::open(&db).unwrap();
    let kept = store.triage_head("csm:maya patel@next").unwrap().expect("the next day's list of me is kept");
    assert_eq!(kept.day.to_string(), day(2));
    assert!(store.triage_head("@next").unwrap().is_none(), "only the list me opens on is kept ahead");
    let fresh = common::copy_without_caches(&db, &dir.path().join("fresh.db"));
    assert_eq!(bens, report_on(&fresh, 1, &["--csm", "Ben Okafor"]));
    let mine = report_on(&db, 2, &[]);
    assert!(mine.contains("Maya Patel") && !mine.contains("Ben Okafor"), "{mine}");
    assert_eq!(mine, report_on(&fresh, 2, &[]));
}

/// A day nothing prepared: the newest list kept from an earlier day is shown at once, said to be
/// that day's (never "today"), keys that need the book wait while today's is worked out behind
/// it, and what comes is what a book opened on today shows. A write since that list was kept
/// means it is not shown at all.
#[test]
fn an_earlier_days_list_is_shown_as_that_days_while_todays_is_worked_out() {
    let (dir, db) = crm_book();
    let earlier = today() - chrono::Duration::days(3);
    let (fine, _, err) = common::tend_on_day(&db, &earlier.to_string(), &["report", "triage"]);
    assert!(fine, "{err}");
    let config = Config::default();
    let open_earlier = |db: &Path| {
        let store = Store::open(db).unwrap();
        assert!(tend::book::triage_head::load(&store, &config, today(), None).unwrap().is_none());
        let kept = tend::book::triage_head::load_earlier(&store, &config, today(), None).unwrap();
        let writer = store.reader().unwrap().unwrap();
        kept.map(|kept| {
            let day = kept.0;
            (day, App::on_earlier_head(store, writer, config.clone(), today(), Theme { color: false }, kept).unwrap())
        })
    };
    // The newest kept: that day's, or the next working day's worked out ahead with it.
    let (kept_day, mut app) = open_earlier(&db).expect("a list kept from an earlier day");
    assert!(kept_day >= earlier && kept_day < today(), "{kept_day}");
    assert!(app.is_reading());
    let screen = text(&app, 80, 24);
    assert!(screen.contains(&format!("needed attention on {kept_day}")), "{screen}");
    assert!(!screen.contains("today ·") && !screen.contains("need attention today"), "{screen}");
    assert!(screen.lines().last().unwrap().contains(&format!("list of {kept_day}")), "{screen}");
    assert!(!screen.lines().last().unwrap().contains(&today().to_string()), "{screen}");
    // The selected item's reasons are that day's, said beside its name.
    assert!(screen.contains(&format!(" (on {kept_day}):")), "{screen}");
    let narrow = text(&app, 60, 20);
    assert!(narrow.contains(&format!("needed attention on {kept_day}")), "{narrow}");
    // The status line keeps to one line at 60 columns: what is being done is still said.
    assert!(narrow.lines().last().unwrap().contains("working out today…"), "{narrow}");
    // A key that needs the book says what it waits for.
    app.defer_keys = true;
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('2'));
    if app.is_reading() {
        assert!(text(&app, 100, 24).contains("Working out today's list (300 accounts)"), "{}", text(&app, 100, 24));
    }
    wait_for_book(&mut app);
    assert_eq!(app.portfolio.total(), 300);
    common::press(&mut app, ratatui::crossterm::event::KeyCode::Char('1'));
    let todays = text(&app, 80, 24);
    assert!(todays.contains("need attention today"), "{todays}");
    drop(app);
    // Today's list is what a copy of the book without any cache shows today.
    let fresh = common::copy_without_caches(&db, &dir.path().join("fresh.db"));
    let whole = App::new(Store::open(&fresh).unwrap(), config.clone(), today(), Theme { color: false }).unwrap();
    // The same list; the selection stays on the account selected when a key waited (its
    // explanation under the list is that account's), where a fresh open selects the first.
    let list = |screen: String| -> String {
        let lines: Vec<&str> = screen.lines().collect();
        let end = lines.iter().position(|l| l.contains("more below")).unwrap_or(lines.len());
        lines[..end].join("\n")
    };
    assert_eq!(list(todays), list(text(&whole, 80, 24)));

    // A write after the earlier list was kept: it is not shown.
    let (_dir2, db2) = crm_book();
    let (fine, _, err) = common::tend_on_day(&db2, &earlier.to_string(), &["report", "triage"]);
    assert!(fine, "{err}");
    ok(&db2, &["log", "sentiment", "CRM-0007", "2", "--by", "Maya Patel"]);
    assert!(open_earlier(&db2).is_none());
}

/// An earlier day's list older than a week is not shown: its reasons would be read as today's.
#[test]
fn a_list_older_than_a_week_is_not_shown_as_an_earlier_days() {
    let (_dir, db) = crm_book();
    let config = Config::default();
    let days = tend::book::triage_head::EARLIER_LIST_DAYS;
    let kept_on = |db: &Path, ago: i64| {
        let (fine, _, err) =
            common::tend_on_day(db, &(today() - chrono::Duration::days(ago)).to_string(), &["report", "triage"]);
        assert!(fine, "{err}");
        let store = Store::open(db).unwrap();
        tend::book::triage_head::load_earlier(&store, &config, today(), None).unwrap().map(|(day, _)| day)
    };
    // Kept twelve days ago (and the next working day's worked out ahead): none is shown.
    assert_eq!(kept_on(&db, days + 5), None);
    // Kept within the week: shown.
    let day = kept_on(&db, days).expect("a list kept a week ago");
    assert!((today() - day).num_days() <= days, "{day}");
}

/// A book whose list was kept five days ago, nothing written since.
fn kept_earlier() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, db) = crm_book();
    let earlier = (today() - chrono::Duration::days(5)).to_string();
    let (fine, _, err) = common::tend_on_day(&db, &earlier, &["report", "triage"]);
    assert!(fine, "{err}");
    (dir, db)
}

/// The app opened today on the newest list kept from an earlier day, today's worked out behind.
fn on_earlier_list(db: &Path, config: &Config) -> App {
    let store = Store::open(db).unwrap();
    let kept = tend::book::triage_head::load_earlier(&store, config, today(), None).unwrap().unwrap();
    let writer = store.reader().unwrap().unwrap();
    App::on_earlier_head(store, writer, config.clone(), today(), Theme { color: false }, kept).unwrap()
}

/// Keys pressed on an earlier day's list act, once today's comes, on the account they were
/// pressed on; where today's list no longer holds it they are not applied at all, and it is said.
#[test]
fn keys_pressed_on_an_earlier_days_list_act_on_its_account_or_not_at_all() {
    use ratatui::crossterm::event::KeyCode;
    let config = Config::default();
    let open_earlier = |db: &Path| {
        let mut app = on_earlier_list(db, &config);
        app.defer_keys = true;
        app
    };
    let (dir, db) = kept_earlier();
    let fresh = common::copy_without_caches(&db, &dir.path().join("fresh.db"));
    let whole = App::new(Store::open(&fresh).unwrap(), config.clone(), today(), Theme { color: false }).unwrap();
    let todays: Vec<i64> = whole.triage.shown().map(|i| i.id).collect();
    drop(whole);
    let select = |app: &mut App, keep: &dyn Fn(i64) -> bool| -> i64 {
        let at = app.triage.shown().position(|i| keep(i.id)).expect("such an item on the earlier list");
        for _ in 0..at {
            common::press(app, KeyCode::Down);
        }
        app.triage.selected_item().unwrap().id
    };
    let handled = |app: &App| app.triage.hidden_count(tend::domain::triage::MarkState::Handled);

    // On both lists: `h` marks that account handled once today's list is in.
    let mut app = open_earlier(&db);
    let on_both = select(&mut app, &|id| todays.contains(&id));
    common::press(&mut app, KeyCode::Char('h'));
    assert!(app.is_reading(), "today's list came before the key could wait for it");
    wait_for_book(&mut app);
    assert_eq!(handled(&app), 1);
    assert!(!app.triage.shown().any(|i| i.id == on_both));
    drop(app);

    // Not on today's list (another program churned the account, which tend does not count as a
    // write of its own, so the earlier list stays): nothing is marked, and the status says why.
    let (_dir2, db2) = kept_earlier();
    let first = {
        let store = Store::open(&db2).unwrap();
        let (_, head) = tend::book::triage_head::load_earlier(&store, &config, today(), None).unwrap().unwrap();
        (head.items[0].id, head.rows[head.items[0].row].name.clone())
    };
    let conn = rusqlite::Connection::open(&db2).unwrap();
    let churned = conn
        .execute(
            "UPDATE accounts SET status = 'churned', churned_on = ?1 WHERE id = ?2",
            (today().to_string(), first.0),
        )
        .unwrap();
    assert_eq!(churned, 1);
    drop(conn);
    let mut app = open_earlier(&db2);
    assert_eq!(app.triage.selected_item().map(|i| i.id), Some(first.0));
    common::press(&mut app, KeyCode::Char('h'));
    wait_for_book(&mut app);
    assert_eq!(handled(&app), 0);
    assert!(!app.triage.shown().any(|i| i.id == first.0));
    let screen = text(&app, 140, 24);
    assert!(screen.contains(&format!("{} is not on it", first.1)), "{screen}");
}

/// Moving on an earlier day's list needs no book, so nothing waits: once today's list comes, the
/// selection stays on the account moved to where today's list shows it (not on whatever stands
/// at the same row), and where it does not, the status line says so.
#[test]
fn the_account_moved_to_on_an_earlier_days_list_stays_selected_or_is_said_not_shown() {
    use ratatui::crossterm::event::KeyCode;
    let config = Config::default();
    let open_earlier = |db: &Path| on_earlier_list(db, &config);
    let (dir, db) = kept_earlier();
    let fresh = common::copy_without_caches(&db, &dir.path().join("fresh.db"));
    let whole = App::new(Store::open(&fresh).unwrap(), config.clone(), today(), Theme { color: false }).unwrap();
    let todays: Vec<i64> = whole.triage.shown().map(|i| i.id).collect();
    drop(whole);

    // An account both lists show, at another row on today's.
    let mut app = open_earlier(&db);
    let earlier: Vec<i64> = app.triage.shown().map(|i| i.id).collect();
    let at = (1..earlier.len())
        .find(|&at| todays.iter().position(|id| *id == earlier[at]).is_some_and(|t| t != at))
        .expect("an account on both lists at different rows");
    for _ in 0..at {
        common::press(&mut app, KeyCode::Down);
    }
    assert!(app.is_reading(), "today's list came before the moves were made on the earlier one");
    wait_for_book(&mut app);
    assert_eq!(app.triage.selected_item().map(|i| i.id), Some(earlier[at]));
    drop(app);

    // The account moved to is no longer on the list (churned by another program): said.
    let (_dir2, db2) = kept_earlier();
    let mut app = open_earlier(&db2);
    common::press(&mut app, KeyCode::Down);
    let (id, name) = {
        let item = app.triage.selected_item().unwrap();
        (item.id, app.portfolio.rows()[item.row].name.to_string())
    };
    drop(app);
    let conn = rusqlite::Connection::open(&db2).unwrap();
    conn.execute("UPDATE accounts SET status = 'churned', churned_on = ?1 WHERE id = ?2", (today().to_string(), id))
        .unwrap();
    drop(conn);
    let mut app = open_earlier(&db2);
    common::press(&mut app, KeyCode::Down);
    assert_eq!(app.triage.selected_item().map(|i| i.id), Some(id));
    wait_for_book(&mut app);
    assert_ne!(app.triage.selected_item().map(|i| i.id), Some(id));
    let screen = text(&app, 140, 24);
    assert!(screen.contains(&format!("Today's list is in: {name} is not on it")), "{screen}");
}

/// A run under another config (a `--config` tried once) leaves its values and history in the
/// book while the head kept under the usual one still holds: that head is not shown, and the
/// screens opened with the usual config read its own values, not the other's (a probe's Triage
/// said 136 accounts from the other config's values, the account itself Green where its row
/// read Yellow).
#[test]
fn a_head_kept_under_this_config_is_not_shown_over_another_configs_values() {
    let (dir, db) = crm_book();
    let open = || App::new(Store::open(&db).unwrap(), Config::default(), today(), Theme { color: false }).unwrap();
    let first = open();
    let whole = text(&first, 80, 24);
    drop(first);
    assert!(open().is_reading(), "the head kept is shown at the next open");
    // Sentiment weighed ten times: other scores, another list.
    let other = dir.path().join("other.toml");
    std::fs::write(&other, "[health.factors.sentiment]\nweight = 30\nbetter = \"higher\"\nthresholds = [4, 6, 8]\n")
        .unwrap();
    let (done, _, err) = tend_on(&db, &["report", "brief", "--config", other.to_str().unwrap()]);
    assert!(done, "{err}");
    let store = Store::open(&db).unwrap();
    assert!(tend::book::triage_head::load(&store, &Config::default(), today(), None).unwrap().is_none());
    drop(store);
    let mut again = open();
    assert!(!again.is_reading(), "made current first, not opened on the head");
    assert_eq!(text(&again, 80, 24), whole, "the usual config's list, as before");
    common::press(&mut again, ratatui::crossterm::event::KeyCode::Char('2'));
    let rows = again.portfolio.rows().to_vec();
    let fresh = tend::book::load_portfolio(&mut Store::open(&db).unwrap(), &Config::default(), today()).unwrap();
    let scores = |rows: &[tend::book::PortfolioRow]| rows.iter().map(|r| (r.id, r.score)).collect::<Vec<_>>();
    let (mut shown, mut worked_out) = (scores(&rows), scores(&fresh));
    shown.sort_unstable();
    worked_out.sort_unstable();
    assert_eq!(shown, worked_out, "every row as the usual config scores it");
}
