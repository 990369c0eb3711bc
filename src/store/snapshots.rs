//! The factor-value cache: each account's raw values, derived from the facts, on today and the
//! days up to the next working day (one row per account).

use chrono::NaiveDate;

use super::accounts::AccountSummary;
// A day as the cache keys it: the history's day number.
use super::history::day_number;
use super::{Result, Store};
use crate::domain::factor::MAX_FACTORS;
use crate::domain::health::HealthConfig;
use crate::domain::signals;
use crate::domain::{FactorId, FactorValues};

/// Each day's values and stale mask, one day after the other: a 4-byte little-endian mask of the
/// factors that have a value (bit i: factor i), the stale mask in 4 more, the mask of values that
/// are lower bounds in 4 more, the mask of changes between windows of no use in 4 more
/// (`FactorValues::is_no_use`), then each value as 8 little-endian bytes. Nothing at all when no day has a value or a stale factor: most accounts
/// of a big book have a few values or none.
fn encode(days: &[(FactorValues, u32)], factors: usize) -> Vec<u8> {
    let factors = factors.min(MAX_FACTORS);
    let present = |values: &FactorValues| -> Vec<(usize, f64)> {
        (0..factors).filter_map(|i| Some((i, values.get(FactorId(i as u8))?))).collect()
    };
    if days.iter().all(|(values, stale)| *stale == 0 && present(values).is_empty()) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (values, stale) in days {
        let present = present(values);
        let mask = present.iter().fold(0u32, |m, (i, _)| m | (1 << i));
        out.extend(mask.to_le_bytes());
        out.extend(stale.to_le_bytes());
        out.extend(values.at_least_mask().to_le_bytes());
        out.extend(values.no_use_mask().to_le_bytes());
        for (_, value) in present {
            out.extend(value.to_le_bytes());
        }
    }
    out
}

/// Bytes before a day's values: its four masks.
const HEADER: usize = 16;

/// The values and stale mask of the `index`th day of an encoded row (None past its days).
pub(crate) fn decode(blob: &[u8], index: i64) -> Option<(FactorValues, u32)> {
    if index < 0 {
        return None;
    }
    if blob.is_empty() {
        return Some((FactorValues::default(), 0));
    }
    let mut rest = blob;
    for _ in 0..index {
        let (mask, _) = rest.split_first_chunk::<4>()?;
        rest = rest.get(HEADER + 8 * u32::from_le_bytes(*mask).count_ones() as usize..)?;
    }
    let (mask, tail) = rest.split_first_chunk::<4>()?;
    let (stale, tail) = tail.split_first_chunk::<4>()?;
    let (at_least, tail) = tail.split_first_chunk::<4>()?;
    let (no_use, tail) = tail.split_first_chunk::<4>()?;
    let (mask, at_least, no_use) =
        (u32::from_le_bytes(*mask), u32::from_le_bytes(*at_least), u32::from_le_bytes(*no_use));
    let mut values = FactorValues::default();
    let present = (0..MAX_FACTORS).filter(|i| mask & (1 << i) != 0);
    for (i, chunk) in present.zip(tail.chunks_exact(8)) {
        let value = f64::from_le_bytes(chunk.try_into().expect("chunks of 8"));
        let id = FactorId(i as u8);
        match (at_least & (1 << i) != 0, no_use & (1 << i) != 0) {
            (_, true) => values.set_no_use(id),
            (true, false) => values.set_at_least(id, value),
            (false, false) => values.set(id, Some(value)),
        }
    }
    Some((values, u32::from_le_bytes(*stale)))
}

/// Values and stale mask of one account on each day from `first` to `last`.
fn derive(
    facts: &crate::domain::AccountFacts,
    first: NaiveDate,
    last: NaiveDate,
    health: &HealthConfig,
) -> Vec<(FactorValues, u32)> {
    derive_reusing(facts, first, last, health, &[])
}

/// `derive`, taking the values of the days in `known` as they are (worked out from the same
/// facts for the history) rather than deriving them again.
fn derive_reusing(
    facts: &crate::domain::AccountFacts,
    first: NaiveDate,
    last: NaiveDate,
    health: &HealthConfig,
    known: &[(NaiveDate, FactorValues)],
) -> Vec<(FactorValues, u32)> {
    let subject = facts.subject();
    first
        .iter_days()
        .take_while(|day| *day <= last)
        .map(|day| {
            let values = match known.iter().find(|(d, _)| *d == day) {
                Some((_, values)) => *values,
                None => signals::derive_values(facts, day, &health.catalog),
            };
            let ages = signals::factor_ages(facts, day, &health.catalog);
            let slack = |id| signals::slack_of(facts, id, day, &health.catalog);
            (values, health.stale_mask(&ages, &slack, &subject, day))
        })
        .collect()
}

/// One account's factor values and stale masks on each day of a gap, encoded (a million accounts'
/// values are held until written: bytes, not a full set of slots per day), with the facts
/// version they were computed from.
pub type ComputedSnapshot = (i64, i64, Vec<u8>);

/// Up to this many accounts lacking values are read one by one; more are read with the whole book.
const ONE_BY_ONE: usize = 500;
/// Accounts read and written at a time when the whole book is read.
const RANGE: i64 = 20_000;

/// The accounts whose cached values do not cover a day (see `Store::snapshot_gap`): their values
/// are worked out for that day and the days after it up to `last`, so that the next working day's
/// first open finds them already there.
pub struct SnapshotGap {
    pub day: NaiveDate,
    pub last: NaiveDate,
    /// Each lacking account's facts version, read before any facts; by account id (a sorted
    /// list: at a million accounts, half the memory of a map).
    lacking: Vec<(i64, i64)>,
}

impl SnapshotGap {
    /// The account's values for the gap's days, if the cache lacks them (and the account existed
    /// when the gap was read).
    pub fn derive(
        &self,
        id: i64,
        facts: &crate::domain::AccountFacts,
        health: &HealthConfig,
    ) -> Option<ComputedSnapshot> {
        self.derive_reusing(id, facts, health, &[])
    }

    /// `derive`, with the values of the days in `known` already worked out from the same facts
    /// (a new day's pass derives today's for the history too).
    pub fn derive_reusing(
        &self,
        id: i64,
        facts: &crate::domain::AccountFacts,
        health: &HealthConfig,
        known: &[(NaiveDate, FactorValues)],
    ) -> Option<ComputedSnapshot> {
        let version = self.version(id)?;
        let days = derive_reusing(facts, self.day, self.last, health, known);
        Some((id, version, encode(&days, health.catalog.len())))
    }

    /// Whether the gap's days include `day`.
    pub fn covers(&self, day: NaiveDate) -> bool {
        (self.day..=self.last).contains(&day)
    }

    /// Whether the account's values for the day are still to be computed.
    pub fn lacks(&self, id: i64) -> bool {
        self.version(id).is_some()
    }

    fn version(&self, id: i64) -> Option<i64> {
        self.lacking.binary_search_by_key(&id, |(lacking, _)| *lacking).ok().map(|at| self.lacking[at].1)
    }
}

impl Store {
    /// How many accounts have no cached values for `day`.
    pub fn accounts_missing_snapshot(&self, day: NaiveDate) -> Result<usize> {
        let (have, accounts) = self.snapshots_covering(day)?;
        Ok(accounts.saturating_sub(have))
    }

    /// How many accounts have cached values for `day`, and how many accounts there are.
    fn snapshots_covering(&self, day: NaiveDate) -> Result<(usize, usize)> {
        // Snapshots are one per account and belong to existing accounts, so two counts tell
        // without looking up every account.
        let count = |sql: &str, arg: i64| {
            self.conn()
                .query_row(sql, [arg], |r| r.get::<_, i64>(0))
                .map_err(|e| self.err(e))
                .map(|n| n.max(0) as usize)
        };
        let have = count("SELECT count(*) FROM factor_snapshots WHERE ?1 BETWEEN first AND last", day_number(day))?;
        let accounts = count("SELECT count(*) FROM accounts WHERE ?1 IS NOT NULL", 0)?;
        Ok((have, accounts))
    }

    /// Which accounts have no cached values for `cover`, with their facts versions, read before
    /// any facts: a write committed after this bumps a version, and what was computed from older
    /// facts is not stored. Their values are to be worked out from `first` to `last` (`cover` among
    /// them). None when nothing is missing or nothing can be stored.
    pub fn snapshot_gap(&self, first: NaiveDate, last: NaiveDate, cover: NaiveDate) -> Result<Option<SnapshotGap>> {
        // A read-only book keeps its cache as it is; readers compute what it lacks from facts.
        if self.read_only().is_some() {
            return Ok(None);
        }
        let (have, accounts) = self.snapshots_covering(cover)?;
        let version = |r: &rusqlite::Row| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?));
        let lacking = match have {
            _ if have >= accounts => return Ok(None),
            // A new day: every account lacks it, and looking each one's cache row up (a third of
            // the cache's pages read at 100,000 accounts, 40 ms) tells nothing.
            0 => self.query_list("SELECT id, facts_version FROM accounts ORDER BY id", [], version)?,
            _ => self.query_list(
                "SELECT a.id, a.facts_version FROM accounts a
                 LEFT JOIN factor_snapshots s ON s.account_id = a.id AND ?1 BETWEEN s.first AND s.last
                 WHERE s.account_id IS NULL ORDER BY a.id",
                [day_number(cover)],
                version,
            )?,
        };
        Ok(Some(SnapshotGap { day: first, last: last.max(first).max(cover), lacking }))
    }

    /// Derive and store the factor values of every account lacking them on `cover`, for the days
    /// from `first` to `last`. Returns how many accounts were written. A large book is read and
    /// written a range of accounts at a time, so memory stays bounded at any size (a cache: what
    /// one range stored stands should a later one fail).
    pub fn refresh_snapshots(
        &mut self,
        first: NaiveDate,
        last: NaiveDate,
        cover: NaiveDate,
        health: &HealthConfig,
    ) -> Result<usize> {
        let Some(gap) = self.snapshot_gap(first, last, cover)? else { return Ok(0) };
        if gap.lacking.len() <= ONE_BY_ONE {
            let ids: Vec<i64> = gap.lacking.iter().map(|(id, _)| *id).collect();
            let mut computed = Vec::with_capacity(ids.len());
            for id in ids {
                let facts = self.account_facts(id, &health.catalog)?;
                computed.extend(gap.derive(id, &facts, health));
            }
            return self.store_snapshots(&gap, &computed);
        }
        let (mut stored, mut lo, max) = (0, 1, self.max_account_id()?);
        while lo <= max && !self.stopped() {
            let hi = lo.saturating_add(RANGE - 1);
            let mut computed = Vec::with_capacity(RANGE as usize);
            self.for_each_account_facts_between(&health.catalog, lo, hi, |id, facts| {
                computed.extend(gap.derive(id, facts, health));
            })?;
            stored += self.store_snapshots(&gap, &computed)?;
            lo = hi.saturating_add(1);
        }
        Ok(stored)
    }

    /// Derive and store one account's factor values from `day` to `last` (after its facts changed).
    pub fn refresh_account_snapshot(
        &mut self,
        account_id: i64,
        day: NaiveDate,
        last: NaiveDate,
        health: &HealthConfig,
    ) -> Result<()> {
        let version =
            self.query_list("SELECT facts_version FROM accounts WHERE id = ?1", [account_id], |r| r.get::<_, i64>(0))?;
        let Some(version) = version.first().copied() else { return Ok(()) };
        let facts = self.account_facts(account_id, &health.catalog)?;
        let last = last.max(day);
        let computed = [(account_id, version, encode(&derive(&facts, day, last, health), health.catalog.len()))];
        self.write_snapshots(day, last, &computed)?;
        Ok(())
    }

    /// Store what `gap.derive` computed, each only if its account's facts are still at the
    /// version the gap read. Returns how many were stored.
    pub fn store_snapshots(&mut self, gap: &SnapshotGap, computed: &[ComputedSnapshot]) -> Result<usize> {
        self.write_snapshots(gap.day, gap.last, computed)
    }

    /// Store values computed from facts of the given versions, each only if its account's facts
    /// are still at that version; each row holds the days from `first` to `last`. Returns how
    /// many were stored.
    fn write_snapshots(&mut self, first: NaiveDate, last: NaiveDate, computed: &[ComputedSnapshot]) -> Result<usize> {
        self.write_derived(|w| w.write_snapshots(first, last, computed))
    }

    /// Every account's summary on `day` with its factor values: from the cache, or, for an
    /// account whose cached values a concurrent write has just dropped, from its facts (so a
    /// reader never shows "no score" for an account whose cache is being rebuilt).
    pub fn account_summaries_complete(&self, day: NaiveDate, health: &HealthConfig) -> Result<Vec<AccountSummary>> {
        let mut out = Vec::with_capacity(self.expected_accounts()?);
        self.each_account_summary_complete(day, i64::MIN..=i64::MAX, health, |s| out.push(s))?;
        Ok(out)
    }

    /// `account_summaries_complete` of the accounts whose id is in `ids`, each summary handed to
    /// `each` as it is read and completed.
    pub fn each_account_summary_complete(
        &self,
        day: NaiveDate,
        ids: std::ops::RangeInclusive<i64>,
        health: &HealthConfig,
        mut each: impl FnMut(AccountSummary),
    ) -> Result<()> {
        self.each_account_summary_complete_on(&[day], ids, health, |_, s| each(s))
    }

    /// `each_account_summary_complete` on each of `days`, from one read of the book: each
    /// account's summaries one day after the other, with the index of their day.
    pub fn each_account_summary_complete_on(
        &self,
        days: &[NaiveDate],
        ids: std::ops::RangeInclusive<i64>,
        health: &HealthConfig,
        mut each: impl FnMut(usize, AccountSummary),
    ) -> Result<()> {
        let trusted = self.caches_trusted();
        if self.read_only().is_none() {
            // What a write just dropped: a few accounts, each read on its own.
            return self.each_summary_on(days, ids, |k, mut s| {
                if s.values.is_none() || !trusted {
                    let facts = self.account_facts(s.id, &health.catalog)?;
                    let (values, mask) = derive(&facts, days[k], days[k], health).pop().unwrap_or_default();
                    s.values = Some(values);
                    s.stale_mask = mask;
                }
                each(k, s);
                Ok(())
            });
        }
        // A book that cannot store its caches (read-only, or a preview of a day to come) lacks a
        // new day's values on every account: they are derived from one read of a range of
        // accounts' facts at a time, not account by account (a preview of the 100,000-account
        // demo book took 13.7 s, most of it reading the book's days again for each account).
        let first: i64 = self
            .conn()
            .query_row("SELECT coalesce(min(id), 1) FROM accounts", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        let (mut lo, hi) = ((*ids.start()).max(first), (*ids.end()).min(self.max_account_id()?));
        while lo <= hi {
            let end = lo.saturating_add(RANGE - 1).min(hi);
            let mut range = Vec::new();
            self.each_summary_on(days, lo..=end, |k, s| {
                range.push((k, s));
                Ok(())
            })?;
            let lacking: std::collections::HashSet<i64> =
                range.iter().filter(|(_, s)| s.values.is_none() || !trusted).map(|(_, s)| s.id).collect();
            let mut derived = std::collections::HashMap::new();
            if !lacking.is_empty() {
                self.for_each_account_facts_between(&health.catalog, lo, end, |id, facts| {
                    if lacking.contains(&id) {
                        for (k, day) in days.iter().enumerate() {
                            derived.insert((id, k), derive(facts, *day, *day, health).pop().unwrap_or_default());
                        }
                    }
                })?;
            }
            for (k, mut s) in range {
                if let Some((values, mask)) = derived.remove(&(s.id, k)) {
                    s.values = Some(values);
                    s.stale_mask = mask;
                }
                each(k, s);
            }
            lo = end.saturating_add(1);
        }
        Ok(())
    }
}

impl super::writer::Writer<'_> {
    /// `Store::store_snapshots` in this transaction.
    pub(crate) fn store_snapshots(&mut self, gap: &SnapshotGap, computed: &[ComputedSnapshot]) -> Result<usize> {
        self.write_snapshots(gap.day, gap.last, computed)
    }

    fn write_snapshots(&mut self, first: NaiveDate, last: NaiveDate, computed: &[ComputedSnapshot]) -> Result<usize> {
        use rusqlite::types::ToSqlOutput;
        let [first, last] = [first, last].map(|d| ToSqlOutput::from(day_number(d)));
        let rows: Vec<Vec<ToSqlOutput>> = computed
            .iter()
            .map(|(id, version, blob)| {
                vec![
                    ToSqlOutput::from(*id),
                    ToSqlOutput::from(*version),
                    first.clone(),
                    last.clone(),
                    ToSqlOutput::from(blob.as_slice()),
                ]
            })
            .collect();
        self.insert_at_versions("factor_snapshots", &["first", "last", "vals"], &rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_with_only_what_is_there() {
        let none = (FactorValues::default(), 0);
        assert!(encode(&[none, none], 13).is_empty(), "no value and nothing stale on any day, no bytes");
        assert_eq!(decode(&[], 0), Some(none));
        assert_eq!(decode(&[], -1), None, "a day before the row's first");
        let mut values = FactorValues::default();
        values.set(FactorId(0), Some(0.0));
        values.set(FactorId(5), Some(-2.5));
        values.set(FactorId(31), Some(1e9));
        let mut at_least = values;
        at_least.set_at_least(FactorId(5), 16.0);
        let days = [(values, 0b10), none, (at_least, 0)];
        let blob = encode(&days, MAX_FACTORS);
        assert_eq!(blob.len(), (HEADER + 3 * 8) + HEADER + (HEADER + 3 * 8));
        for (i, day) in days.iter().enumerate() {
            assert_eq!(decode(&blob, i as i64).as_ref(), Some(day), "day {i}");
        }
        assert_eq!(decode(&blob, 3), None, "a day past the row's last");
        // Factors past the catalog's count are not kept.
        let mut expected = values;
        expected.set(FactorId(31), None);
        assert_eq!(decode(&encode(&[(values, 1)], 13), 0), Some((expected, 1)));
    }
}
