//! The store against real SQLite files: migrations, pragmas, permissions, bad files, consistency.

mod common;

use common::*;
use rusqlite::{Connection, OptionalExtension};
use tend::book;
use tend::config::Config;
use tend::domain::signals;
use tend::store::migrations::{MIGRATIONS, STEPS};
use tend::store::{Store, StoreError};

#[test]
fn migrations_validate() {
    MIGRATIONS.validate().unwrap();
}

#[test]
fn fresh_file_is_migrated_private_and_in_wal_mode() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    drop(store);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "book must be private to its owner, got {mode:o}");
    }
    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version as usize, STEPS.len());
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    for table in ["accounts", "csms", "metric_samples", "entries", "factor_snapshots", "book_meta"] {
        let n: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1", [table], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1, "table {table}");
    }
}

#[test]
fn reopening_keeps_the_book_and_reapplies_nothing() {
    let (_dir, store) = demo_store(20);
    let path = store.path().to_path_buf();
    let before = store.account_count().unwrap();
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.account_count().unwrap(), before);
    assert_eq!(before, 20);
}

#[test]
fn foreign_keys_are_enforced() {
    let (_dir, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let err = store.write(|w| w.insert_sample(999, "usage", today(), 1.0)).unwrap_err();
    assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
}

#[test]
fn a_failed_write_leaves_nothing_behind() {
    let (_dir, mut store) = demo_store(5);
    let before = store.account_count().unwrap();
    let result = store.write(|w| {
        w.clear_book()?;
        w.insert_sample(424242, "usage", today(), 1.0) // fails: no such account
    });
    assert!(result.is_err());
    assert_eq!(store.account_count().unwrap(), before);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let (_dir, path) = temp_db();
    let junk = b"name,arr\nAcme,1000\n".repeat(200);
    std::fs::write(&path, &junk).unwrap();
    let err = Store::open(&path).err().expect("must refuse");
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
    assert!(err.to_string().contains(path.to_str().unwrap()));
    assert_eq!(std::fs::read(&path).unwrap(), junk);
}

#[test]
fn a_missing_folder_is_named() {
    let (dir, _) = temp_db();
    let path = dir.path().join("no/such/folder/book.db");
    let err = Store::open(&path).err().expect("must refuse");
    assert!(matches!(err, StoreError::NoSuchFolder { .. }));
    assert!(err.to_string().contains("no/such/folder"), "{err}");
    assert!(!path.exists());
}

#[test]
fn a_book_from_a_newer_tend_is_refused() {
    let (_dir, path) = temp_db();
    drop(Store::open(&path).unwrap());
    Connection::open(&path).unwrap().execute_batch("PRAGMA user_version = 99").unwrap();
    let err = Store::open(&path).err().expect("must refuse");
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
}

#[test]
fn a_locked_book_is_reported_as_locked() {
    let (_dir, mut store) = demo_store(3);
    let path = store.path().to_path_buf();
    let holder = Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let err = store.write(|w| w.csm_id("Someone New")).unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    assert!(err.to_string().contains("locked"));
    holder.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn cached_portfolio_scores_match_fresh_account_scores() {
    let (_dir, mut store) = demo_store(60);
    let config = Config::default();
    let rows = book::load_portfolio(&mut store, &config, today()).unwrap();
    assert_eq!(rows.len(), 60);
    for row in &rows {
        let detail = book::account_detail(&store, &config, row.id, today()).unwrap();
        assert_eq!(
            (row.score, row.band, row.kind),
            (detail.health.score, detail.health.band, detail.health.kind),
            "{}",
            row.name
        );
    }
}

#[test]
fn streamed_facts_equal_per_account_facts() {
    let (_dir, store) = demo_store(25);
    let catalog = Config::default().health.catalog;
    let mut seen = 0;
    store
        .for_each_account_facts(&catalog, |id, facts| {
            assert_eq!(*facts, store.account_facts(id, &catalog).unwrap(), "account {id}");
            seen += 1;
        })
        .unwrap();
    assert_eq!(seen, 25);
}

#[test]
fn scores_are_computed_as_of_a_day() {
    let (_dir, mut store) = demo_store(60);
    let config = Config::default();
    let now = book::load_portfolio(&mut store, &config, today()).unwrap();
    let earlier_day = today() - chrono::Duration::days(120);
    let earlier = book::load_portfolio(&mut store, &config, earlier_day).unwrap();
    let changed = now.iter().zip(&earlier).filter(|(a, b)| a.score != b.score).count();
    assert!(changed > 20, "only {changed} of 60 scores differ 120 days apart");
    // The earlier snapshot equals a fresh derivation for that day.
    let facts = store.account_facts(now[0].id, &config.health.catalog).unwrap();
    let values = signals::derive_values(&facts, earlier_day, &config.health.catalog);
    let expected = config.health.assess(&values, &facts.subject(), earlier_day);
    assert_eq!(earlier[0].score, expected.score);
}

#[test]
fn demo_is_deterministic_for_a_seed_and_day() {
    let (_d1, mut a) = demo_store(40);
    let (_d2, mut b) = demo_store(40);
    let config = Config::default();
    let ra = book::load_portfolio(&mut a, &config, today()).unwrap();
    let rb = book::load_portfolio(&mut b, &config, today()).unwrap();
    assert_eq!(ra, rb);
}

#[test]
fn demo_book_is_realistic() {
    let (_dir, mut store) = demo_store(60);
    let rows = book::load_portfolio(&mut store, &Config::default(), today()).unwrap();
    let arr: Vec<f64> = rows.iter().map(|r| r.arr.units()).collect();
    assert!(arr.iter().all(|a| (1_000.0..=300_000.0).contains(a)));
    let csms: std::collections::HashSet<&str> = rows.iter().map(|r| &*r.csm).collect();
    assert_eq!(csms.len(), 3);
    use tend::domain::{AccountStatus, HealthBand, ScoreKind};
    for band in HealthBand::ALL {
        assert!(rows.iter().any(|r| r.band == Some(band)), "no {band:?} account");
    }
    assert!(rows.iter().any(|r| r.score.is_none()), "no unscored account");
    assert!(rows.iter().any(|r| r.kind == ScoreKind::Jumpstart), "no onboarding account");
    assert!(rows.iter().any(|r| r.status == AccountStatus::Churned));
    assert!(rows.iter().any(|r| r.status == AccountStatus::Renewed));
}

#[test]
fn rebuilding_the_accounts_table_keeps_accounts_ids_and_everything_that_refers_to_them() {
    // A book at step 10, with an account that has a sample, an entry, an attribute and an ARR
    // change: step 11 rebuilds the accounts table, which must keep all of them, and moves the
    // attributes into it.
    let (_dir, path) = book_at_step(
        10,
        "INSERT INTO csms (id, name) VALUES (3, 'Dana');
         INSERT INTO accounts (id, external_id, name, csm_id, arr_cents, stage, status)
             VALUES (7, 'ACC-7', 'Acme', 3, 1200000, 'renewal', 'active');
         INSERT INTO metric_samples (account_id, metric, day, value) VALUES (7, 'usage', '2026-11-01', 42);
         INSERT INTO entries (account_id, kind, day, score, note) VALUES (7, 'sentiment', '2026-11-02', 8, '');
         INSERT INTO account_attributes (account_id, key, value) VALUES (7, 'Region', 'EMEA');
         INSERT INTO account_attributes (account_id, key, value) VALUES (7, 'Tier \"A\"', '2,5');
         INSERT INTO accounts (id, external_id, name) VALUES (8, 'ACC-8', 'Bare');
         INSERT INTO arr_changes (account_id, day, old_cents, new_cents, source)
             VALUES (7, '2026-11-03', 1000000, 1200000, 'import');",
    );
    let store = Store::open(&path).unwrap();
    let conn = Connection::open(&path).unwrap();
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(count("PRAGMA user_version"), STEPS.len() as i64);
    assert_eq!(count("SELECT id FROM accounts WHERE external_id = 'ACC-7' AND csm_id = 3"), 7);
    assert_eq!(count("SELECT count(*) FROM metric_samples WHERE account_id = 7"), 1);
    assert_eq!(count("SELECT count(*) FROM entries WHERE account_id = 7"), 1);
    // Attributes moved into the account, and their table is gone.
    let attributes = store.all_attributes().unwrap();
    let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
    assert_eq!(attributes[&7], vec![pair("Region", "EMEA"), pair("Tier \"A\"", "2,5")]);
    assert!(!attributes.contains_key(&8));
    assert_eq!(count("SELECT count(*) FROM sqlite_master WHERE name = 'account_attributes'"), 0);
    assert_eq!(count("SELECT count(*) FROM arr_changes WHERE account_id = 7"), 1);
    // Step 11 rebuilt the index of accounts by CSM; step 12 drops it (nothing reads by it).
    let index: i64 = count("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'accounts_csm'");
    assert_eq!(index, 0);
    let unique: i64 = count("SELECT count(*) FROM pragma_index_list('accounts') WHERE \"unique\" = 1");
    assert_eq!(unique, 1, "external ids stay unique");
    // The rebuilt table still refuses what the old one did, and foreign keys are back on.
    let bad_stage = conn.execute("UPDATE accounts SET stage = 'dormant' WHERE id = 7", []);
    assert!(bad_stage.unwrap_err().to_string().contains("CHECK"));
    let bad_status = conn.execute("UPDATE accounts SET status = 'paused' WHERE id = 7", []);
    assert!(bad_status.unwrap_err().to_string().contains("CHECK"));
    drop(conn);
    let mut store = store;
    let err = store.write(|w| w.insert_sample(999, "usage", today(), 1.0)).unwrap_err();
    assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
}

#[test]
fn a_bulk_write_uses_a_rollback_journal_only_when_alone_and_leaves_the_book_in_wal() {
    let (_dir, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let mode = |conn: &Connection| -> String { conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap() };
    // Alone: the write runs under a rollback journal.
    let during = store
        .bulk_write(|w| -> Result<_, StoreError> {
            w.insert_account(&tend::store::NewAccount::new("B-1", "Bulk One"))?;
            Ok(std::fs::read(&path).map(|b| b[18..20].to_vec()).unwrap())
        })
        .unwrap();
    // File format bytes 18-19 are 1 for a rollback journal, 2 for WAL.
    assert_eq!(during, [1, 1]);
    let other = Connection::open(&path).unwrap();
    assert_eq!(mode(&other), "wal");
    // With another connection open, it stays in WAL and still writes.
    store.bulk_write(|w| w.insert_account(&tend::store::NewAccount::new("B-2", "Bulk Two")).map(|_| ())).unwrap();
    assert_eq!(mode(&other), "wal");
    drop(other);
    // Abandoned: nothing lands, and the book is back in WAL.
    let err = store
        .bulk_write(|w| {
            w.insert_account(&tend::store::NewAccount::new("B-3", "Bulk Three"))?;
            Err::<(), _>(StoreError::Locked { path: path.clone() })
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }));
    assert_eq!(store.account_count().unwrap(), 2);
    drop(store);
    assert_eq!(mode(&Connection::open(&path).unwrap()), "wal");
}

#[test]
fn accounts_keyed_reads_exactly_the_accounts_named() {
    let (_dir, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let keys = ["ACC-1", "o'Brien \"Co\"", "Zoë-7", "ACC-10", "00123"];
    store
        .write(|w| {
            for (i, key) in keys.iter().enumerate() {
                let id = w.insert_account(&tend::store::NewAccount::new(*key, format!("Name {i}")))?;
                w.set_attribute(id, "Region", &format!("R{i}"))?;
            }
            Ok(())
        })
        .unwrap();
    let all = store.all_accounts().unwrap();
    let wanted: Vec<String> = ["Zoë-7", "o'Brien \"Co\"", "00123", "nobody", "ACC-"].map(String::from).to_vec();
    let got = store.accounts_keyed(&wanted, false).unwrap();
    let expected: Vec<_> = all.iter().filter(|a| wanted.contains(&a.external_id)).cloned().collect();
    assert_eq!(got, expected);
    assert_eq!(got.len(), 3, "unknown keys and prefixes match nothing");
    let by_name = store.accounts_keyed(&["Name 3".to_string(), "name 0".to_string()], true).unwrap();
    assert_eq!(by_name.iter().map(|a| a.external_id.as_str()).collect::<Vec<_>>(), ["ACC-10"], "names match exactly");
    let ids: Vec<i64> = got.iter().map(|a| a.id).collect();
    let mut attributes = store.all_attributes().unwrap();
    attributes.retain(|id, _| ids.contains(id));
    assert_eq!(store.attributes_of(&ids).unwrap(), attributes);
    assert_eq!(attributes.len(), 3);
    assert!(store.accounts_keyed(&[], false).unwrap().is_empty());
}

#[test]
fn step_20_keeps_stamps_as_seconds_and_every_milestone_with_its_id() {
    // A book at step 19: an account stamped as text, a milestone planned and one done with a
    // note. Step 20 rebuilds accounts (stamps in Unix seconds) and puts milestones behind a view.
    let (_dir, path) = book_at_step(
        19,
        "INSERT INTO csms (id, name) VALUES (3, 'Dana');
         INSERT INTO accounts (id, external_id, name, csm_id, created_at, updated_at, attributes, facts_version)
             VALUES (7, 'ACC-7', 'Acme', 3, '2026-01-02T03:04:05Z', '2026-02-03T04:05:06Z', '{\"Region\":\"EMEA\"}', 4);
         INSERT INTO milestones (id, account_id, csm_id, journey, name, due)
             VALUES (11, 7, 3, 'renewal', 'Renewal call', '2026-12-01');
         INSERT INTO milestones (id, account_id, csm_id, journey, name, due, done, note)
             VALUES (12, 7, 3, 'onboarding', 'Kickoff', '2026-01-10', '2026-01-09', 'met the sponsor');",
    );
    let store = Store::open(&path).unwrap();
    let conn = Connection::open(&path).unwrap();
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(count("PRAGMA user_version"), STEPS.len() as i64);
    assert_eq!(count("SELECT created_at FROM accounts WHERE id = 7"), 1_767_323_045);
    assert_eq!(count("SELECT updated_at FROM accounts WHERE id = 7"), 1_770_091_506);
    assert_eq!(count("SELECT facts_version FROM accounts WHERE id = 7 AND csm_id = 3"), 4);
    assert_eq!(store.all_attributes().unwrap()[&7], vec![("Region".to_string(), "EMEA".to_string())]);
    let milestones = store.milestones_for(7).unwrap();
    let seen: Vec<(i64, &str, Option<String>, &str)> =
        milestones.iter().map(|m| (m.id, m.name.as_str(), m.done.map(|d| d.to_string()), m.note.as_str())).collect();
    assert_eq!(seen, [(12, "Kickoff", Some("2026-01-09".into()), "met the sponsor"), (11, "Renewal call", None, "")]);
    // The note is still found, and the next milestone takes the next id.
    assert_eq!(store.search_text(&["sponsor".into()], 5).unwrap().len(), 1);
    drop(conn);
    let mut store = store;
    let id = store
        .write(|w| {
            w.insert_milestone(&tend::store::NewMilestone {
                account_id: 7,
                csm_id: Some(3),
                journey: "adoption".into(),
                name: "Second team".into(),
                due: today(),
                done: None,
                note: String::new(),
            })
        })
        .unwrap();
    assert_eq!(id, 13);
}

#[test]
fn step_25_counts_the_books_samples_by_day() {
    // A book at step 24: two accounts' weekly samples and one account's later row, with the
    // newest sample day the older tend kept.
    let (_dir, path) = book_at_step(
        24,
        "INSERT INTO csms (id, name) VALUES (3, 'Dana');
         INSERT INTO accounts (id, external_id, name, csm_id, attributes) VALUES (7, 'ACC-7', 'Acme', 3, '{}');
         INSERT INTO accounts (id, external_id, name, csm_id, attributes) VALUES (8, 'ACC-8', 'Bolt', 3, '{}');
         INSERT INTO metric_samples (account_id, metric, day, value) VALUES
             (7, 'logins', '2026-11-09', 1), (8, 'logins', '2026-11-09', 1), (8, 'usage', '2026-11-09', 5),
             (7, 'usage', '2026-11-09', 4), (7, 'seats', '2026-11-09', 9),
             (7, 'logins', '2026-11-16', 1), (8, 'logins', '2026-11-16', 1), (8, 'usage', '2026-11-16', 5),
             (7, 'usage', '2026-11-16', 4), (7, 'seats', '2026-11-16', 9),
             (7, 'logins', '2026-11-20', 0);
         INSERT OR REPLACE INTO book_meta (key, value) VALUES ('metrics_through', '2026-11-20');",
    );
    let store = Store::open(&path).unwrap();
    let conn = Connection::open(&path).unwrap();
    let meta = |key: &str| -> Option<String> {
        conn.query_row("SELECT value FROM book_meta WHERE key = ?1", [key], |r| r.get(0)).optional().unwrap()
    };
    assert_eq!(meta("metric_days").as_deref(), Some("2026-11-09=5;2026-11-16=5;2026-11-20=1"));
    assert_eq!(meta("metrics_through"), None);
    let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    assert_eq!(store.book_days().unwrap().metrics_through(day("2026-11-23")), Some(day("2026-11-16")));
    // An empty book has no counts.
    let (_dir, empty) = book_at_step(24, "");
    drop(Store::open(&empty).unwrap());
    let conn = Connection::open(&empty).unwrap();
    let rows: i64 =
        conn.query_row("SELECT count(*) FROM book_meta WHERE key = 'metric_days'", [], |r| r.get(0)).unwrap();
    assert_eq!(rows, 0);
}

/// A book migrated up to `step` only, with foreign keys on and `sql` run on it: what an older tend
/// left, for the steps after it to take up.
fn book_at_step(step: usize, sql: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, path) = temp_db();
    let mut conn = Connection::open(&path).unwrap();
    MIGRATIONS.to_version(&mut conn, step).unwrap();
    conn.execute_batch(&format!("PRAGMA foreign_keys = ON; {sql}")).unwrap();
    (dir, path)
}

/// An import's entries written in one statement are the rows the same entries written one at a
/// time make: each value (a missing score, channel, title or day, a note with quotes and
/// letters beyond ASCII, a role), the people each was with, the order of their ids, the search
/// index; and `entries_like` finds them.
#[test]
fn entries_written_in_one_statement_are_those_written_one_at_a_time() {
    use tend::domain::contact::ContactRole;
    use tend::domain::entry::{EntryKind, TouchChannel};
    use tend::store::NewEntry;
    let entry = |account_id: i64, kind: EntryKind, score: Option<i64>, note: &str| NewEntry {
        account_id,
        csm_id: None,
        kind,
        day: today(),
        score,
        channel: None,
        title: None,
        closed_on: None,
        note: note.into(),
        role: None,
    };
    let entries = vec![
        (
            NewEntry {
                channel: Some(TouchChannel::Call),
                title: Some("Renewal \"call\", Zürich".into()),
                ..entry(1, EntryKind::Touch, None, "talked, at length")
            },
            vec![],
        ),
        (NewEntry { csm_id: Some(1), ..entry(2, EntryKind::Sentiment, Some(3), "") }, vec![]),
        (NewEntry { role: Some(ContactRole::Champion), ..entry(2, EntryKind::Nps, Some(0), "") }, vec![]),
        (
            NewEntry {
                title: Some("Budget cut".into()),
                closed_on: Some(today()),
                ..entry(1, EntryKind::Risk, None, "CFO left; \\ and ' too")
            },
            vec![],
        ),
    ];
    let book = || {
        let (dir, path) = temp_db();
        let mut store = Store::open(&path).unwrap();
        store
            .write(|w| {
                w.csm_id("Maya Patel")?;
                let a = w.insert_account(&tend::store::NewAccount::new("A-1", "One"))?;
                let b = w.insert_account(&tend::store::NewAccount::new("A-2", "Two"))?;
                assert_eq!((a, b), (1, 2));
                Ok(())
            })
            .unwrap();
        (dir, store)
    };
    let mut entries = entries;
    entries[2].1 = vec![1, 2];
    let (_one_dir, mut one) = book();
    one.write(|w| {
        for (e, with) in &entries {
            let id = w.insert_entry(e)?;
            if !with.is_empty() {
                w.set_entry_contacts(id, with)?;
            }
        }
        Ok(())
    })
    .unwrap();
    let (_all_dir, mut all) = book();
    all.write(|w| w.insert_entries(&entries)).unwrap();
    for account in [1, 2] {
        let (a, b) = (one.entries_for(account).unwrap(), all.entries_for(account).unwrap());
        assert_eq!(a, b, "account {account}");
        assert_eq!(a.len(), 2);
    }
    assert_eq!(all.entries_for(2).unwrap().iter().find(|e| e.kind == EntryKind::Nps).unwrap().with, vec![1, 2]);
    for word in ["talked", "zürich", "cfo", "renewal"] {
        let found = |store: &Store| store.search_text(&[word.to_string()], 10).unwrap().len();
        assert_eq!((found(&all), found(&one)), (1, 1), "{word}");
    }
    all.write(|w| {
        for (e, _) in &entries {
            assert_eq!(w.entries_like(e, 4)?.len(), 1, "{e:?}");
            assert_eq!(w.entries_like(e, 0)?, Vec::<i64>::new(), "only entries up to the id asked");
        }
        let other = NewEntry { score: Some(4), ..entries[1].0.clone() };
        assert!(w.entries_like(&other, 4)?.is_empty());
        assert_eq!(w.entries_like(&entries[3].0, 4)?, [4], "the risk, by its id");
        Ok(())
    })
    .unwrap();
}

/// Milestones written in one statement take the ids and say what the same written one at a time
/// do, after the milestones a journey planned.
#[test]
fn milestones_written_in_one_statement_are_those_written_one_at_a_time() {
    use tend::store::NewMilestone;
    let milestone = |name: &str, done: Option<chrono::NaiveDate>, note: &str| NewMilestone {
        account_id: 1,
        csm_id: Some(1),
        journey: "adoption".into(),
        name: name.into(),
        due: today(),
        done,
        note: note.into(),
    };
    let written = [
        milestone("Kickoff", Some(today()), ""),
        milestone("QBR \"one\", Zürich", None, "ask the CFO; \\ and ' too"),
        milestone("Exec check-in", None, "123"),
    ];
    let book = |write: &dyn Fn(&mut tend::store::Writer<'_>) -> Result<(), StoreError>| {
        let (dir, path) = temp_db();
        let mut store = Store::open(&path).unwrap();
        store
            .write(|w| {
                w.csm_id("Maya Patel")?;
                w.insert_account(&tend::store::NewAccount::new("A-1", "One"))?;
                w.insert_planned_milestones(&[(1, "onboarding", "Welcome call", today())])?;
                write(w)
            })
            .unwrap();
        (dir, store)
    };
    let (_one_dir, one) = book(&|w| written.iter().try_for_each(|m| w.insert_milestone(m).map(|_| ())));
    let (_all_dir, all) = book(&|w| w.insert_milestones(&written));
    let (a, b) = (one.milestones_for(1).unwrap(), all.milestones_for(1).unwrap());
    assert_eq!(a, b);
    assert_eq!(a.len(), 4);
    let mut ids: Vec<i64> = b.iter().map(|m| m.id).collect();
    ids.sort();
    assert_eq!(ids, [1, 2, 3, 4], "the planned one's id first, then the written ones'");
    let found = all.search_text(&["zürich".to_string()], 10).unwrap().len();
    assert_eq!(found, 1);
}
