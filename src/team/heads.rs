//! The heads of the morning's triage lists kept in the team book (schema step 4), so that a
//! member's next open shows Triage at once instead of pulling and scoring the whole book first.
//!
//! A head is worked out in a member's snapshot of the team book (`replica`), whose write count is
//! the team book's as the snapshot saw it (`book_writes`); it is kept in the team book with that
//! count and shown by the next tend only while the team book's count is the same: nothing has been
//! written since. The rules of a file book's heads (`book::triage_head`) hold unchanged. A CSM's
//! list is counted by the writes it may see (`WriteCounts`): others writing to their own accounts
//! leave it as it was.

use chrono::NaiveDate;

use super::{Result, TeamBook};
use crate::book::triage_head::TriageHead;
use crate::store::Store;
use crate::store::triage::StoredHead;

/// The team book's write counts by table and by the list each write may change (schema step 5),
/// in the view `client` reads (a transaction's, or the moment's). A table of facts no one has
/// written since the book was made has no row; their sum is the book's count. With the latest
/// write of each (schema step 9), in UTC and of one width, so that the greatest text is the latest.
pub(crate) const TABLE_WRITE_COUNTS: &str =
    "SELECT tbl, csm_id, sum(writes)::bigint, to_char(max(at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')
     FROM book_writes GROUP BY tbl, csm_id";

/// The same, by list only.
const LIST_WRITE_COUNTS: &str = "SELECT csm_id, sum(writes)::bigint FROM book_writes GROUP BY csm_id";

/// The writes counted to every list (an importer's, a lead's bulk additions, the book's rules);
/// a positive count is of writes to one CSM's accounts, counted to that CSM's list (and
/// everyone's); -1 is the undo log's, which no CSM's list reads (schema step 5).
const EVERY_LIST: i64 = 0;

/// Where a snapshot keeps the team book's counts by list as it saw them (see `WriteCounts`).
const SNAPSHOT_COUNTS: &str = "team_writes";

/// Write transactions counted by the list they may change (schema step 5): a CSM's list reads
/// only the facts of their own accounts, so a write to another CSM's account leaves it as it was.
/// A list kept in the team book holds while its own count is the same.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WriteCounts {
    /// (the CSM whose list, or `EVERY_LIST`; the writes).
    pub by_list: Vec<(i64, i64)>,
    /// The book's CSMs, by id: a list is named by its CSM's name.
    pub csms: Vec<(i64, String)>,
}

impl WriteCounts {
    /// Every write: everyone's list's count.
    pub fn total(&self) -> i64 {
        self.by_list.iter().map(|(_, n)| n).sum()
    }

    /// The count of the list of `csm` (its name, without case; everyone's when None).
    pub fn of_list(&self, csm: Option<&str>) -> i64 {
        let Some(name) = csm else { return self.total() };
        let name = name.to_lowercase();
        let ids: Vec<i64> = self.csms.iter().filter(|(_, n)| n.to_lowercase() == name).map(|(id, _)| *id).collect();
        self.by_list.iter().filter(|(id, _)| *id == EVERY_LIST || ids.contains(id)).map(|(_, n)| n).sum()
    }

    /// Add `more` writes, by list.
    pub fn add(&mut self, more: &[(i64, i64)]) {
        for &(list, n) in more {
            match self.by_list.iter_mut().find(|(l, _)| *l == list) {
                Some((_, count)) => *count += n,
                None => self.by_list.push((list, n)),
            }
        }
    }

    /// The counts a snapshot of the team book saw (kept in it with `keep_in`), its CSMs named
    /// as in it; None for a store that is no snapshot.
    pub fn of_snapshot(store: &Store) -> crate::store::Result<Option<WriteCounts>> {
        let Some(text) = store.meta(SNAPSHOT_COUNTS)? else { return Ok(None) };
        let Ok(by_list) = serde_json::from_str::<Vec<(i64, i64)>>(&text) else { return Ok(None) };
        Ok(Some(WriteCounts { by_list, csms: store.csms()? }))
    }

    /// Keep the counts by list in `snapshot`, as it saw them.
    pub(crate) fn keep_in(by_list: &[(i64, i64)], snapshot: &rusqlite::Connection) -> rusqlite::Result<()> {
        let text = serde_json::to_string(by_list).unwrap_or_default();
        Store::set_meta_on(snapshot, SNAPSHOT_COUNTS, &text)
    }

    /// The counts in the view `tx` reads.
    fn read(tx: &mut impl postgres::GenericClient, url: &str) -> Result<WriteCounts> {
        let err = super::db_error(url);
        let by_list = tx.query(LIST_WRITE_COUNTS, &[]).map_err(err)?.iter().map(|r| (r.get(0), r.get(1))).collect();
        let csms =
            tx.query("SELECT id, name FROM csms", &[]).map_err(err)?.iter().map(|r| (r.get(0), r.get(1))).collect();
        Ok(WriteCounts { by_list, csms })
    }
}

/// The CSM whose list `stored` holds (None: everyone's); None for a body this tend cannot read.
fn list_of(stored: &StoredHead) -> Option<Option<String>> {
    serde_json::from_str::<TriageHead>(&stored.body).ok().map(|h| h.csm)
}

/// What opening on a kept head reads of the team book: its write counts, the usage data's last
/// day, and the heads kept under the keys asked for.
pub struct KeptHeads {
    pub counts: WriteCounts,
    /// The days the book's usage data covers.
    pub data_days: crate::domain::data_days::DataDays,
    heads: Vec<(String, StoredHead)>,
}

impl KeptHeads {
    /// The head kept under `key`, if any.
    pub fn get(&self, key: &str) -> Option<StoredHead> {
        self.heads.iter().find(|(k, _)| k == key).map(|(_, h)| h.clone())
    }
}

impl TeamBook {
    /// The team book's write counts, its usage data's last day and the heads of `csm`'s list
    /// (everyone's when None), read in one view of the book.
    pub fn kept_heads(&mut self, csm: Option<&str>) -> Result<KeptHeads> {
        let keys = crate::book::triage_head::keys(csm);
        let url = self.url.clone();
        let err = super::db_error(&url);
        let mut tx = self.one_view()?;
        let write_counts = WriteCounts::read(&mut tx, &url)?;
        let counts: Option<String> = tx
            .query_opt("SELECT value FROM book_meta WHERE key = $1", &[&crate::store::facts::METRIC_DAYS])
            .map_err(err)?
            .map(|r| r.get(0));
        let rows = tx
            .query("SELECT scope, day, config, generation, body FROM triage_heads WHERE scope = ANY($1)", &[&&keys[..]])
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
        let data_days = crate::domain::data_days::DataDays::from_text(counts.as_deref());
        Ok(KeptHeads { counts: write_counts, data_days, heads })
    }

    /// Keep in the team book the heads of `csm`'s list (everyone's when None) that `snapshot` (a
    /// snapshot of it) worked out at its write count, each at its list's count as the snapshot
    /// saw it, replacing what is kept there unless it is the same. Never fails: a head is a
    /// shortcut, and one the member may not keep (a CSM keeps only their own list's) or a lost
    /// connection just goes without. How many were kept.
    pub fn keep_heads(&mut self, snapshot: &Store, csm: Option<&str>) -> usize {
        self.keep_from(snapshot, &crate::book::triage_head::keys(csm))
    }

    /// Keep the head of the next working day's list of `csm` (everyone's when None) that
    /// `snapshot` worked out ahead, as `keep_heads` does; whether it was kept.
    pub fn keep_ahead_head(&mut self, snapshot: &Store, csm: Option<&str>) -> bool {
        let [_, ahead] = crate::book::triage_head::keys(csm);
        self.keep_from(snapshot, &[ahead]) > 0
    }

    /// Keep the heads `snapshot` holds under `keys`, each when worked out at its write count, at
    /// its list's count as the snapshot saw it; how many were kept.
    fn keep_from(&mut self, snapshot: &Store, keys: &[String]) -> usize {
        let (Ok(generation), Ok(Some(counts))) = (snapshot.generation(), WriteCounts::of_snapshot(snapshot)) else {
            return 0;
        };
        let mut kept = 0;
        for key in keys {
            let Ok(Some(head)) = snapshot.triage_head(key) else { continue };
            let Some(list) = list_of(&head) else { continue };
            if head.generation != generation {
                continue;
            }
            let head = StoredHead { generation: counts.of_list(list.as_deref()), ..head };
            kept += usize::from(self.keep_head(key, &head));
        }
        kept
    }

    /// The team book's write counts now (outside any view a snapshot took).
    pub fn write_counts(&mut self) -> Result<WriteCounts> {
        let url = self.url.clone();
        let mut tx = self.client.get_mut().transaction().map_err(super::db_error(&url))?;
        let counts = WriteCounts::read(&mut tx, &url)?;
        tx.commit().map_err(super::db_error(&url))?;
        Ok(counts)
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

    /// Fold the team book's count of writes into one row (the count stays the same), and its
    /// deletions noted more than a week ago away (schema step 10): what `tend snapshot` does, so
    /// that counting stays quick however long the team writes.
    pub fn fold_writes(&mut self) -> Result<()> {
        let url = self.url.clone();
        let folds = "SELECT tend_fold_writes(); SELECT tend_fold_deletes()";
        self.client.get_mut().batch_execute(folds).map_err(super::db_error(&url))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csms_list_counts_the_writes_to_their_accounts_and_those_to_every_list() {
        let mut counts = WriteCounts {
            by_list: vec![(EVERY_LIST, 5), (1, 3)],
            csms: vec![(1, "Maya Patel".into()), (2, "Ben Okafor".into()), (3, "maya patel".into())],
        };
        counts.add(&[(2, 4), (3, 1), (1, 1)]);
        assert_eq!(counts.total(), 14, "everyone's list: every write");
        assert_eq!(counts.of_list(None), 14);
        assert_eq!(counts.of_list(Some("MAYA PATEL")), 5 + 4 + 1, "both CSMs of her name, without case");
        assert_eq!(counts.of_list(Some("Ben Okafor")), 5 + 4);
        assert_eq!(counts.of_list(Some("Nobody")), 5, "a name the book lacks: the writes to every list");
    }
}
