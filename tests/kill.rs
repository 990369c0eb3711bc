//! Killing an import half way (SIGKILL, no chance to clean up) leaves the book exactly as before:
//! either all of the file is in, or none of it.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;
use tend::store::Store;

const ROWS: usize = 150_000;

#[test]
fn a_killed_import_leaves_all_or_nothing() {
    let (dir, seed_db) = temp_db();
    let mut store = Store::open(&seed_db).unwrap();
    store.write(|w| w.insert_account(&tend::store::NewAccount::new("KEEP-1", "Keeper Ltd")).map(|_| ())).unwrap();
    drop(store);
    let file = dir.path().join("big.csv");
    let mut text = String::with_capacity(ROWS * 60);
    text.push_str("external id,name,arr,renewal date,owner\n");
    for i in 0..ROWS {
        text.push_str(&format!(
            "BIG-{i},Big Customer {i},\"${},000\",2027-0{}-15,CSM {}\n",
            i % 900 + 1,
            i % 9 + 1,
            i % 40
        ));
    }
    std::fs::write(&file, text).unwrap();

    let mut outcomes = Vec::new();
    for delay_ms in [150u64, 600, 1500, 2300, 3000] {
        let db = dir.path().join(format!("kill-{delay_ms}.db"));
        std::fs::copy(&seed_db, &db).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_tend"))
            .args(["import", "accounts"])
            .arg(&file)
            .arg("--db")
            .arg(&db)
            .env("TEND_AS_OF", TODAY)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok(); // SIGKILL
        child.wait().unwrap();

        let store = Store::open(&db).unwrap();
        let count = store.account_count().unwrap();
        assert!(count == 1 || count == ROWS + 1, "after a kill at {delay_ms} ms the book holds {count} accounts");
        assert!(store.all_accounts().unwrap().iter().any(|a| a.external_id == "KEEP-1"));
        let conn = rusqlite::Connection::open(&db).unwrap();
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(check, "ok");
        outcomes.push((delay_ms, finished, count));
    }
    // At least one kill must have landed before the import finished, or the test proved nothing.
    assert!(outcomes.iter().any(|(_, finished, count)| !finished && *count == 1), "{outcomes:?}");
}
