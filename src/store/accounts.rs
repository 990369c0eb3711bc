//! Reading accounts: the whole portfolio at once, or one account in full.

use chrono::NaiveDate;
use rusqlite::OptionalExtension;

use super::{Result, Store};
use crate::domain::{Account, AccountStatus, Cents, FactorValues, LifecycleStage, SegmentInputs, Subject};

/// What the portfolio needs of an account: a light row, plus its cached factor values for a day.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountSummary {
    pub id: i64,
    pub name: String,
    /// Cleaned for the screen (`text::clean`) and shared by all the CSM's accounts.
    pub csm: Option<std::sync::Arc<str>>,
    pub arr: Cents,
    /// Cleaned and shared, as `csm`.
    pub currency: std::sync::Arc<str>,
    pub customer_since: Option<NaiveDate>,
    pub renewal_date: Option<NaiveDate>,
    pub status: AccountStatus,
    pub segment_inputs: SegmentInputs,
    /// The day the book got the account (its created stamp, UTC).
    pub in_book_since: Option<NaiveDate>,
    /// None when no snapshot exists for the day asked for.
    pub values: Option<FactorValues>,
    /// Bits (`FactorId::index`) of the factors whose data is stale, from the same snapshot.
    pub stale_mask: u32,
}

impl AccountSummary {
    /// What decides the account's score profile.
    pub fn subject(&self) -> Subject {
        Subject { customer_since: self.customer_since, arr: self.arr.units(), inputs: self.segment_inputs }
    }
}

/// The ids of the churned accounts, by id; for both backends.
pub(crate) const CHURNED_IDS: &str = "SELECT id, churned_on FROM accounts WHERE status = 'churned' ORDER BY id";

const ACCOUNT_SELECT: &str = "SELECT a.id, a.external_id, a.name, c.name, a.arr_cents, a.currency, a.plan,
        a.customer_since, a.renewal_date, a.stage, a.status, a.churned_on,
        a.volume_score, a.advocacy_score, a.brand_score, a.expected_usage, a.tags, a.notes
     FROM accounts a LEFT JOIN csms c ON c.id = a.csm_id";

fn account_row(r: &rusqlite::Row) -> rusqlite::Result<Account> {
    Ok(Account {
        id: r.get(0)?,
        external_id: r.get(1)?,
        name: r.get(2)?,
        csm: r.get(3)?,
        arr: Cents(r.get(4)?),
        currency: r.get(5)?,
        plan: r.get(6)?,
        customer_since: r.get(7)?,
        renewal_date: r.get(8)?,
        stage: LifecycleStage::from_key(&r.get::<_, String>(9)?).unwrap_or(LifecycleStage::Adoption),
        status: status(r.get(10)?),
        churned_on: r.get(11)?,
        segment_inputs: SegmentInputs { volume: r.get(12)?, advocacy: r.get(13)?, brand: r.get(14)? },
        expected_usage: r.get(15)?,
        tags: r.get(16)?,
        notes: r.get(17)?,
    })
}

/// A YYYY-MM-DD column read without chrono's general format parser, which costs more than the
/// rest of a portfolio row. Anything else falls back to the general reader (and its error).
fn fast_day(r: &rusqlite::Row, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    if let rusqlite::types::ValueRef::Text(t) = r.get_ref(i)?
        && let Some(day) = crate::domain::input::iso_day(t)
    {
        return Ok(Some(day));
    }
    r.get(i)
}

/// `text` cleaned, as one of `seen` (added when new): a handful of distinct values over many rows.
fn shared(seen: &mut Vec<std::sync::Arc<str>>, text: &str) -> std::sync::Arc<str> {
    let clean = crate::text::clean(text);
    if let Some(found) = seen.iter().find(|s| ***s == *clean) {
        return found.clone();
    }
    seen.push(clean.into());
    seen.last().cloned().unwrap_or_default()
}

fn status(s: String) -> AccountStatus {
    AccountStatus::from_key(&s).unwrap_or(AccountStatus::Active)
}

/// Whether any account has an expected usage, as both backends ask it.
pub(crate) const ANY_EXPECTED_USAGE: &str = "SELECT EXISTS (SELECT 1 FROM accounts WHERE expected_usage IS NOT NULL)";

/// The journeys an account holds milestones of (done, deleted or planned), as both backends ask
/// it: from the two tables, not the `milestones` view, which reads every planned milestone.
pub(crate) const JOURNEYS_HELD: &str = "SELECT journey FROM milestone_rows WHERE account_id = $1
     UNION SELECT s.journey FROM planned_milestones p JOIN journey_steps s ON s.id = p.step WHERE p.account_id = $1";

impl Store {
    /// The accounts at one of `stages`, with their stage (a playbook scoped to stages reads
    /// these, not every account's).
    pub fn accounts_at_stages(
        &self,
        stages: &[crate::domain::LifecycleStage],
    ) -> Result<std::collections::HashMap<i64, crate::domain::LifecycleStage>> {
        let keys: Vec<&str> = stages.iter().map(|s| s.key()).collect();
        let rows: Vec<(i64, String)> = self.query_list(
            "SELECT id, stage FROM accounts WHERE stage IN (SELECT value FROM json_each(?1))",
            [serde_json::to_string(&keys).unwrap_or_default()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, key)| Some((id, crate::domain::LifecycleStage::from_key(&key)?)))
            .collect())
    }

    /// Whether any account has an expected usage (what usage vs expected needs).
    pub fn any_expected_usage(&self) -> Result<bool> {
        self.conn().query_row(ANY_EXPECTED_USAGE, [], |r| r.get(0)).map_err(|e| self.err(e))
    }

    pub fn account_count(&self) -> Result<usize> {
        self.conn()
            .query_row("SELECT count(*) FROM accounts", [], |r| r.get::<_, i64>(0))
            .map(|n| n as usize)
            .map_err(|e| self.err(e))
    }

    /// The customers (not churned) with no CSM: one pass over the accounts, asked only of a book
    /// one CSM keeps (`App::unassigned_note`).
    pub fn unassigned_customers(&self) -> Result<usize> {
        self.conn()
            .query_row("SELECT count(*) FROM accounts WHERE csm_id IS NULL AND status != 'churned'", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n.max(0) as usize)
            .map_err(|e| self.err(e))
    }

    /// Whether the CSM of this name (any case) owns an account of the book.
    pub fn csm_owns_accounts(&self, name: &str) -> Result<bool> {
        self.conn()
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM accounts a JOIN csms c ON c.id = a.csm_id
                                WHERE c.name = ?1 COLLATE NOCASE)",
                [name],
                |r| r.get::<_, bool>(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Every account with its factor values as cached for `day`.
    pub fn account_summaries(&self, day: NaiveDate) -> Result<Vec<AccountSummary>> {
        self.summaries(day, None)
    }

    /// One account's summary, as `account_summaries` gives it.
    pub fn account_summary(&self, id: i64, day: NaiveDate) -> Result<Option<AccountSummary>> {
        Ok(self.summaries(day, Some(id))?.pop())
    }

    fn summaries(&self, day: NaiveDate, only: Option<i64>) -> Result<Vec<AccountSummary>> {
        let (mut out, ids) = match only {
            Some(id) => (Vec::with_capacity(1), id..=id),
            None => (Vec::with_capacity(self.expected_accounts()?), i64::MIN..=i64::MAX),
        };
        self.each_summary(day, ids, |s| {
            out.push(s);
            Ok(())
        })?;
        Ok(out)
    }

    /// About how many accounts the book holds: ids are mostly dense, so the highest (found in the
    /// key, not by counting rows) sizes a list of every account once.
    pub(crate) fn expected_accounts(&self) -> Result<usize> {
        Ok(self.max_account_id()?.clamp(0, 10_000_000) as usize)
    }

    /// The summary on `day` of each account whose id is in `ids`, by id, handed to `each` as it
    /// is read: a caller that keeps something smaller than a summary (a portfolio row) never holds
    /// a million summaries at once.
    pub(crate) fn each_summary(
        &self,
        day: NaiveDate,
        ids: std::ops::RangeInclusive<i64>,
        mut each: impl FnMut(AccountSummary) -> Result<()>,
    ) -> Result<()> {
        self.each_summary_on(&[day], ids, |_, s| each(s))
    }

    /// `each_summary` on each of `days` (today's and the next working day's, from one read of the
    /// book): each account's summaries, one day after the other, with the index of their day.
    pub(crate) fn each_summary_on(
        &self,
        days: &[NaiveDate],
        ids: std::ops::RangeInclusive<i64>,
        mut each: impl FnMut(usize, AccountSummary) -> Result<()>,
    ) -> Result<()> {
        let numbers: Vec<i64> = days.iter().map(|d| super::history::day_number(*d)).collect();
        let (Some(earliest), Some(latest)) = (numbers.iter().min(), numbers.iter().max()) else { return Ok(()) };
        let Some((last_day, earlier)) = numbers.split_last() else { return Ok(()) };
        // CSM names are few: read them once rather than joining them to every account, and
        // share one copy of each (and of each currency) among the rows.
        let csms: std::collections::HashMap<i64, std::sync::Arc<str>> = self
            .query_list("SELECT id, name FROM csms", [], |r| Ok((r.get(0)?, r.get::<_, String>(1)?)))?
            .into_iter()
            .map(|(id, name)| (id, crate::text::clean(&name).into()))
            .collect();
        let mut currencies: Vec<std::sync::Arc<str>> = Vec::new();
        let sql = "SELECT a.id, a.name, a.csm_id, a.arr_cents, a.currency, a.customer_since,
                    a.renewal_date, a.status, a.volume_score, a.advocacy_score, a.brand_score,
                    s.first, s.last, s.vals, a.created_at
             FROM accounts a
             LEFT JOIN factor_snapshots s ON s.account_id = a.id AND s.first <= ?2 AND s.last >= ?1
             WHERE a.id BETWEEN ?3 AND ?4
             ORDER BY a.id";
        let err = |e| self.err(e);
        let mut stmt = self.conn().prepare_cached(sql).map_err(err)?;
        let mut rows = stmt.query(rusqlite::params![earliest, latest, ids.start(), ids.end()]).map_err(err)?;
        while let Some(r) = rows.next().map_err(err)? {
            let mut read = || -> rusqlite::Result<AccountSummary> {
                Ok(AccountSummary {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    csm: r.get::<_, Option<i64>>(2)?.and_then(|id| csms.get(&id).cloned()),
                    arr: Cents(r.get(3)?),
                    currency: shared(&mut currencies, r.get_ref(4)?.as_str()?),
                    customer_since: fast_day(r, 5)?,
                    renewal_date: fast_day(r, 6)?,
                    status: status(r.get(7)?),
                    segment_inputs: SegmentInputs { volume: r.get(8)?, advocacy: r.get(9)?, brand: r.get(10)? },
                    in_book_since: r
                        .get::<_, Option<i64>>(14)?
                        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
                        .map(|t| t.date_naive()),
                    values: None,
                    stale_mask: 0,
                })
            };
            let summary = read().map_err(err)?;
            let (first, last): (Option<i64>, Option<i64>) = (r.get(11).map_err(err)?, r.get(12).map_err(err)?);
            let blob = r.get_ref(13).map_err(err)?.as_blob_or_null().map_err(|e| err(e.into()))?;
            let on = |mut s: AccountSummary, n: i64| {
                let snapshot = match (first, last, blob) {
                    (Some(first), Some(last), Some(blob)) if (first..=last).contains(&n) => {
                        super::snapshots::decode(blob, n - first)
                    }
                    _ => None,
                };
                s.values = snapshot.map(|(values, _)| values);
                s.stale_mask = snapshot.map_or(0, |(_, stale)| stale);
                s
            };
            // Each day but the last gets a copy of the account's fields; the last, the read.
            for (k, n) in earlier.iter().enumerate() {
                each(k, on(summary.clone(), *n))?;
            }
            each(earlier.len(), on(summary, *last_day))?;
        }
        Ok(())
    }

    /// One account in full.
    pub fn account(&self, id: i64) -> Result<Account> {
        self.conn().query_row(&format!("{ACCOUNT_SELECT} WHERE a.id = ?1"), [id], account_row).map_err(|e| self.err(e))
    }

    /// The name and ARR of each account of `ids` that is not churned, read in one pass over the
    /// accounts (an import's band moves may name thousands: one statement each cost a prepare).
    pub fn live_names_and_arr(
        &self,
        ids: &std::collections::HashSet<i64>,
    ) -> Result<std::collections::HashMap<i64, (String, Cents)>> {
        let mut out = std::collections::HashMap::with_capacity(ids.len());
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id, name, arr_cents FROM accounts WHERE status != 'churned'")
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let id: i64 = row.get(0).map_err(|e| self.err(e))?;
            if ids.contains(&id) {
                out.insert(id, (row.get(1).map_err(|e| self.err(e))?, Cents(row.get(2).map_err(|e| self.err(e))?)));
            }
        }
        Ok(out)
    }

    /// Every account in full, by id.
    pub fn all_accounts(&self) -> Result<Vec<Account>> {
        self.query_list(&format!("{ACCOUNT_SELECT} ORDER BY a.id"), [], account_row)
    }

    /// The accounts whose external id (or, `by_name`, whose name) is one of `keys`, in full, by
    /// id: what an import of a small file into a big book needs, without reading the whole book.
    pub fn accounts_keyed(&self, keys: &[String], by_name: bool) -> Result<Vec<Account>> {
        let column = if by_name { "a.name" } else { "a.external_id" };
        let sql = format!("{ACCOUNT_SELECT} WHERE {column} IN (SELECT value FROM json_each(?1)) ORDER BY a.id");
        self.query_list(&sql, [json_list(keys)], account_row)
    }

    /// Every account's attributes (columns an import kept), by account id.
    pub fn all_attributes(&self) -> Result<std::collections::HashMap<i64, Vec<(String, String)>>> {
        self.attributes("", [])
    }

    /// The attributes of the accounts `ids`, by account id.
    pub fn attributes_of(&self, ids: &[i64]) -> Result<std::collections::HashMap<i64, Vec<(String, String)>>> {
        self.attributes("WHERE a.id IN (SELECT value FROM json_each(?1))", [json_list(ids)])
    }

    fn attributes(
        &self,
        filter: &str,
        params: impl rusqlite::Params,
    ) -> Result<std::collections::HashMap<i64, Vec<(String, String)>>> {
        let sql = format!(
            "SELECT a.id, j.key, j.value FROM accounts a, json_each(a.attributes) j {filter} ORDER BY a.id, j.key"
        );
        let mut map: std::collections::HashMap<i64, Vec<(String, String)>> = std::collections::HashMap::new();
        for (id, k, v) in self.query_list(&sql, params, |r| Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?)))? {
            map.entry(id).or_default().push((k, v));
        }
        Ok(map)
    }

    /// The account whose external id is `typed`, as typed or in capitals (by the unique index
    /// alone: quick on a million accounts, for a filter that matched no name): its id and name.
    pub fn account_by_external_id(&self, typed: &str) -> Result<Option<(i64, String)>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id, name FROM accounts WHERE external_id = ?1")
            .map_err(|e| self.err(e))?;
        for id in [typed.to_string(), typed.to_uppercase()] {
            let found = stmt.query_row([&id], |r| Ok((r.get(0)?, r.get(1)?))).optional().map_err(|e| self.err(e))?;
            if found.is_some() {
                return Ok(found);
            }
        }
        Ok(None)
    }

    /// Accounts an ACCOUNT argument may mean: the one whose external id it is, else those whose
    /// name starts with it (case-insensitive), at most `limit` of them. (id, external id, name).
    pub fn find_accounts(&self, query: &str, limit: usize) -> Result<Vec<(i64, String, String)>> {
        let read = |r: &rusqlite::Row| Ok((r.get(0)?, r.get(1)?, r.get(2)?));
        let exact: Option<(i64, String, String)> = self
            .conn()
            .query_row("SELECT id, external_id, name FROM accounts WHERE external_id = ?1", [query], read)
            .optional()
            .map_err(|e| self.err(e))?;
        if let Some(hit) = exact {
            return Ok(vec![hit]);
        }
        // An external id in another case ("acc-000052"): ids are typed, not copied, as often as not.
        let any_case: Vec<(i64, String, String)> = self.query_list(
            "SELECT id, external_id, name FROM accounts WHERE external_id = ?1 COLLATE NOCASE LIMIT 2",
            [query],
            read,
        )?;
        if let [hit] = any_case.as_slice() {
            return Ok(vec![hit.clone()]);
        }
        let pattern = super::like_prefix(query);
        self.query_list(
            "SELECT id, external_id, name FROM accounts WHERE name LIKE ?1 ESCAPE '\\' ORDER BY name LIMIT ?2",
            rusqlite::params![pattern, limit as i64],
            read,
        )
    }

    /// For completion: names starting with `start` (any case) as (name, external id), then
    /// external ids starting with it as (external id, name); at most `limit` in all.
    pub fn accounts_starting(&self, start: &str, limit: usize) -> Result<Vec<(String, String)>> {
        let pattern = super::like_prefix(start);
        let read = |r: &rusqlite::Row| Ok((r.get(0)?, r.get(1)?));
        let mut out: Vec<(String, String)> = self.query_list(
            "SELECT name, external_id FROM accounts WHERE name LIKE ?1 ESCAPE '\\' ORDER BY name LIMIT ?2",
            rusqlite::params![pattern, limit as i64],
            read,
        )?;
        let left = limit.saturating_sub(out.len());
        out.extend(self.query_list(
            "SELECT external_id, name FROM accounts WHERE external_id LIKE ?1 ESCAPE '\\' ORDER BY external_id LIMIT ?2",
            rusqlite::params![pattern, left as i64],
            read,
        )?);
        Ok(out)
    }

    /// (id, name) of every account, by name.
    pub fn account_names(&self) -> Result<Vec<(i64, String)>> {
        self.query_list("SELECT id, name FROM accounts ORDER BY name, id", [], |r| Ok((r.get(0)?, r.get(1)?)))
    }

    /// (id, external id) of every account, by id.
    pub fn external_ids(&self) -> Result<Vec<(i64, String)>> {
        self.query_list("SELECT id, external_id FROM accounts ORDER BY id", [], |r| Ok((r.get(0)?, r.get(1)?)))
    }

    /// The external id of one account, if it exists.
    pub fn external_id(&self, id: i64) -> Result<Option<String>> {
        self.conn()
            .prepare_cached("SELECT external_id FROM accounts WHERE id = ?1")
            .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))
    }

    /// (id, name) of every CSM.
    pub fn csms(&self) -> Result<Vec<(i64, String)>> {
        self.query_list("SELECT id, name FROM csms ORDER BY id", [], |r| Ok((r.get(0)?, r.get(1)?)))
    }

    /// The stored value of one sample, if any.
    pub fn sample(&self, account_id: i64, metric: &str, day: NaiveDate) -> Result<Option<f64>> {
        self.conn()
            .prepare_cached("SELECT value FROM metric_samples WHERE account_id = ?1 AND metric = ?2 AND day = ?3")
            .and_then(|mut s| s.query_row(rusqlite::params![account_id, metric, day], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))
    }

    /// Every metric sample as (account external id, metric, day, value).
    pub fn all_samples(&self) -> Result<Vec<(String, String, NaiveDate, f64)>> {
        self.query_list(
            "SELECT a.external_id, s.metric, s.day, s.value FROM metric_samples s
             JOIN accounts a ON a.id = s.account_id ORDER BY a.external_id, s.metric, s.day",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
    }
}

/// Values as one JSON array, for `IN (SELECT value FROM json_each(?))`: one parameter however many.
fn json_list<T: serde::Serialize>(values: &[T]) -> String {
    serde_json::to_string(values).unwrap_or_else(|_| "[]".into())
}
