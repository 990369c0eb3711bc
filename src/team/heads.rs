//! The heads of the morning's triage lists kept in the team book (schema step 4), so that a
//! member's next open shows Triage at once instead of pulling and scoring the whole book first.
//!
//! A head is worked out in a member's snapshot of the team book (`replica`), whose write count is
//! the team book's as the snapshot saw it (`book_writes`); it is kept in the team book with that
//! count and shown by the next tend only while the team book's count is the same: nothing has been
//! written since. The rules of a file book's heads (`book::triage_head`) hold unchanged.

use chrono::NaiveDate;

use super::{Result, TeamBook};
use crate::store::Store;
use crate::store::triage::StoredHead;

/// How many write transactions the team book has seen, in the view `client` reads (a
/// transaction's, or the moment's).
pub(crate) const WRITE_COUNT: &str = "SELECT coalesce(sum(writes), 0)::bigint FROM book_writes";

/// The same, table by table (a table of facts no one has written since the book was made has
/// no row); their sum is the count.
pub(crate) const TABLE_WRITE_COUNTS: &str = "SELECT tbl, sum(writes)::bigint FROM book_writes GROUP BY tbl";

/// What opening on a kept head reads of the team book: its write count, the usage data's last
/// day, and the heads kept under the keys asked for.
pub struct KeptHeads {
    pub generation: i64,
    pub metrics_through: Option<NaiveDate>,
    heads: Vec<(String, StoredHead)>,
}

impl KeptHeads {
    /// The head kept under `key`, if any.
    pub fn get(&self, key: &str) -> Option<StoredHead> {
        self.heads.iter().find(|(k, _)| k == key).map(|(_, h)| h.clone())
    }
}

impl TeamBook {
    /// The team book's write count, its usage data's last day and the heads kept under `keys`,
    /// read in one view of the book.
    pub fn kept_heads(&mut self, keys: &[String]) -> Result<KeptHeads> {
        let url = self.url.clone();
        let err = super::db_error(&url);
        let mut tx = self.one_view()?;
        let generation: i64 = tx.query_one(WRITE_COUNT, &[]).map_err(err)?.get(0);
        let through: Option<String> = tx
            .query_opt("SELECT value FROM book_meta WHERE key = 'metrics_through'", &[])
            .map_err(err)?
            .map(|r| r.get(0));
        let rows = tx
            .query("SELECT scope, day, config, generation, body FROM triage_heads WHERE scope = ANY($1)", &[&keys])
            .map_err(err)?;
        tx.commit().map_err(err)?;
        // A row whose day does not read is no head (a tend of another version wrote it).
        let heads = rows
            .iter()
            .filter_map(|r| {
                let day: String = r.get(1);
                let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok()?;
                Some((r.get(0), StoredHead { day, config: r.get(2), generation: r.get(3), body: r.get(4) }))
            })
            .collect();
        let metrics_through = through.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
        Ok(KeptHeads { generation, metrics_through, heads })
    }

    /// Keep in the team book the heads `snapshot` (a snapshot of it) worked out under `keys` at
    /// the snapshot's write count, replacing what is kept there unless it is the same. Never
    /// fails: a head is a shortcut, and one the member may not keep (a CSM keeps only their own
    /// list's) or a lost connection just goes without. How many were kept.
    pub fn keep_heads(&mut self, snapshot: &Store, keys: &[String]) -> usize {
        let Ok(generation) = snapshot.generation() else { return 0 };
        let mut kept = 0;
        for key in keys {
            let Ok(Some(head)) = snapshot.triage_head(key) else { continue };
            if head.generation != generation {
                continue;
            }
            kept += usize::from(self.keep_head(key, &head));
        }
        kept
    }

    /// The team book's write count now (outside any view a snapshot took).
    pub fn write_count(&mut self) -> Result<i64> {
        let url = self.url.clone();
        Ok(self.client.get_mut().query_one(WRITE_COUNT, &[]).map_err(super::db_error(&url))?.get(0))
    }

    /// Keep `head` under `key` (as `keep_heads`, never failing); whether it was written. A list
    /// kept for the day it is on this machine, or a later one, is replaced only by one of a day
    /// from today up to its own (not by a list worked out `--as-of` a past day, nor by one of a
    /// later day than it): the next opens want today's, and the nearest working day's.
    pub fn keep_head(&mut self, key: &str, head: &StoredHead) -> bool {
        let day = head.day.format("%Y-%m-%d").to_string();
        let today = chrono::Local::now().date_naive().format("%Y-%m-%d").to_string();
        self.client
            .get_mut()
            .execute(
                "INSERT INTO triage_heads (scope, day, config, generation, body) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (scope) DO UPDATE SET day = excluded.day, config = excluded.config,
                     generation = excluded.generation, body = excluded.body
                 WHERE (triage_heads.day, triage_heads.config, triage_heads.generation, triage_heads.body)
                       IS DISTINCT FROM (excluded.day, excluded.config, excluded.generation, excluded.body)
                   AND NOT (triage_heads.day >= $6 AND (excluded.day < $6 OR excluded.day > triage_heads.day))",
                &[&key, &day, &head.config, &head.generation, &head.body, &today],
            )
            .is_ok_and(|n| n > 0)
    }

    /// The members whose roles are `roles`, as the team knows them: the CSM each signs as
    /// ("Liam Chen"), else the role (an importer, or a role no longer on the team); the roles
    /// themselves when the book cannot be asked.
    pub fn members_named(&mut self, roles: &[String]) -> Vec<String> {
        let named = self.client.get_mut().query(
            "SELECT m.role_name, c.name FROM team_members m JOIN csms c ON c.id = m.csm_id WHERE m.role_name = ANY($1)",
            &[&roles],
        );
        let named: Vec<(String, String)> =
            named.map(|rows| rows.iter().map(|r| (r.get(0), r.get(1))).collect()).unwrap_or_default();
        roles
            .iter()
            .map(|role| {
                named.iter().find(|(r, _)| r == role).map_or_else(|| role.clone(), |(_, name)| crate::text::clean(name))
            })
            .collect()
    }

    /// The CSMs the book's members sign as (leads and CSMs), each once.
    pub fn member_csms(&mut self) -> Result<Vec<String>> {
        let url = self.url.clone();
        let rows = self
            .client
            .get_mut()
            .query("SELECT DISTINCT c.name FROM team_members m JOIN csms c ON c.id = m.csm_id ORDER BY c.name", &[])
            .map_err(super::db_error(&url))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// Fold the team book's count of writes into one row (the count stays the same): what `tend
    /// snapshot` does, so that counting stays quick however long the team writes.
    pub fn fold_writes(&mut self) -> Result<()> {
        let url = self.url.clone();
        self.client.get_mut().execute("SELECT tend_fold_writes()", &[]).map_err(super::db_error(&url))?;
        Ok(())
    }
}
