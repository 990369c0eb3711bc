//! The factor-value cache: raw values per account per day, derived from the facts.

use chrono::NaiveDate;

use super::accounts::AccountSummary;
use super::{Result, Store};
use crate::domain::factor::MAX_FACTORS;
use crate::domain::health::HealthConfig;
use crate::domain::signals;
use crate::domain::{FactorId, FactorValues};

/// Read the values blob at column `first` of a row (NULL from a LEFT JOIN without a snapshot).
pub(crate) fn values_from_row(row: &rusqlite::Row, first: usize) -> rusqlite::Result<Option<FactorValues>> {
    let Some(blob) = row.get_ref(first)?.as_blob_or_null()? else { return Ok(None) };
    Ok(Some(decode(blob)))
}

/// `s.vals, s.stale_mask` for a snapshot joined as `s`.
pub(crate) fn joined_columns() -> &'static str {
    "s.vals, coalesce(s.stale_mask, 0)"
}

/// The stale mask after the values blob at `first`.
pub(crate) fn stale_mask_from_row(row: &rusqlite::Row, first: usize) -> rusqlite::Result<u32> {
    row.get::<_, i64>(first + 1).map(|m| m as u32)
}

/// The factors that have a value, as a 4-byte little-endian mask (bit i: factor i), then each of
/// their values as 8 little-endian bytes; nothing at all for an account without any value. Most
/// accounts of a big book have a few values or none: 12 bytes or 0 rather than 8 per factor.
fn encode(values: &FactorValues, factors: usize) -> Vec<u8> {
    let present: Vec<(usize, f64)> =
        (0..factors.min(MAX_FACTORS)).filter_map(|i| Some((i, values.get(FactorId(i as u8))?))).collect();
    if present.is_empty() {
        return Vec::new();
    }
    let mask = present.iter().fold(0u32, |m, (i, _)| m | (1 << i));
    let mut out = Vec::with_capacity(4 + 8 * present.len());
    out.extend(mask.to_le_bytes());
    for (_, value) in present {
        out.extend(value.to_le_bytes());
    }
    out
}

fn decode(blob: &[u8]) -> FactorValues {
    let mut v = FactorValues::default();
    let Some((mask, rest)) = blob.split_first_chunk::<4>() else { return v };
    let mask = u32::from_le_bytes(*mask);
    let present = (0..MAX_FACTORS).filter(|i| mask & (1 << i) != 0);
    for (i, chunk) in present.zip(rest.chunks_exact(8)) {
        let value = f64::from_le_bytes(chunk.try_into().expect("chunks of 8"));
        v.set(FactorId(i as u8), Some(value));
    }
    v
}

/// Values and stale mask of one account on `day`.
fn derive(facts: &crate::domain::AccountFacts, day: NaiveDate, health: &HealthConfig) -> (FactorValues, u32) {
    let values = signals::derive_values(facts, day, &health.catalog);
    let ages = signals::factor_ages(facts, day, &health.catalog);
    (values, health.stale_mask(&values, &ages, &facts.subject(), day))
}

/// One account's factor values and stale mask, with the facts version they were computed from.
pub type ComputedSnapshot = (i64, i64, (FactorValues, u32));

/// The accounts a day's factor-value cache lacks (see `Store::snapshot_gap`).
pub struct SnapshotGap {
    pub day: NaiveDate,
    have: std::collections::HashSet<i64>,
    versions: std::collections::HashMap<i64, i64>,
}

impl SnapshotGap {
    /// The account's values for the gap's day, if the cache lacks them (and the account existed
    /// when the gap was read).
    pub fn derive(
        &self,
        id: i64,
        facts: &crate::domain::AccountFacts,
        health: &HealthConfig,
    ) -> Option<ComputedSnapshot> {
        if self.have.contains(&id) {
            return None;
        }
        let version = *self.versions.get(&id)?;
        Some((id, version, derive(facts, self.day, health)))
    }

    /// Whether the account's values for the day are still to be computed.
    pub fn lacks(&self, id: i64) -> bool {
        !self.have.contains(&id) && self.versions.contains_key(&id)
    }
}

impl Store {
    /// How many accounts have no snapshot for `day`.
    pub fn accounts_missing_snapshot(&self, day: NaiveDate) -> Result<usize> {
        // Snapshots are one per account and belong to existing accounts, so two counts tell
        // without looking up every account.
        let count = |sql: &str| self.conn().query_row(sql, [day], |r| r.get::<_, i64>(0)).map_err(|e| self.err(e));
        let have = count("SELECT count(*) FROM factor_snapshots WHERE day = ?1")?;
        let accounts = count("SELECT count(*) FROM accounts WHERE ?1 IS NOT NULL")?;
        Ok((accounts - have).max(0) as usize)
    }

    /// Which accounts lack a snapshot for `day`, with every account's facts version, read before
    /// any facts: a write committed after this bumps a version, and what was computed from older
    /// facts is not stored. None when nothing is missing or nothing can be stored.
    pub fn snapshot_gap(&self, day: NaiveDate) -> Result<Option<SnapshotGap>> {
        // A read-only book keeps its cache as it is; readers compute what it lacks from facts.
        if self.read_only().is_some() || self.accounts_missing_snapshot(day)? == 0 {
            return Ok(None);
        }
        let have = self
            .query_list("SELECT account_id FROM factor_snapshots WHERE day = ?1", [day], |r| r.get::<_, i64>(0))?
            .into_iter()
            .collect();
        Ok(Some(SnapshotGap { day, have, versions: self.facts_versions(None)? }))
    }

    /// Derive and store the factor values of every account lacking a snapshot for `day`.
    /// Returns how many were written. One transaction: all of them or none.
    pub fn refresh_snapshots(&mut self, day: NaiveDate, health: &HealthConfig) -> Result<usize> {
        let Some(gap) = self.snapshot_gap(day)? else { return Ok(0) };
        let mut computed = Vec::new();
        self.for_each_account_facts(&health.catalog, |id, facts| {
            if let Some(computed_one) = gap.derive(id, facts, health) {
                computed.push(computed_one);
            }
        })?;
        self.store_snapshots(&gap, health, &computed)
    }

    /// Derive and store one account's factor values for `day` (after its facts changed).
    pub fn refresh_account_snapshot(&mut self, account_id: i64, day: NaiveDate, health: &HealthConfig) -> Result<()> {
        let Some(version) = self.facts_versions(Some(account_id))?.get(&account_id).copied() else { return Ok(()) };
        let facts = self.account_facts(account_id, &health.catalog)?;
        self.write_snapshots(day, health.catalog.len(), &[(account_id, version, derive(&facts, day, health))])?;
        Ok(())
    }

    /// Each account's facts version (one account's, or all of them).
    fn facts_versions(&self, only: Option<i64>) -> Result<std::collections::HashMap<i64, i64>> {
        Ok(self
            .query_list("SELECT id, facts_version FROM accounts WHERE ?1 IS NULL OR id = ?1", [only], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
            })?
            .into_iter()
            .collect())
    }

    /// Store what `gap.derive` computed, each only if its account's facts are still at the
    /// version the gap read. Returns how many were stored.
    pub fn store_snapshots(
        &mut self,
        gap: &SnapshotGap,
        health: &HealthConfig,
        computed: &[ComputedSnapshot],
    ) -> Result<usize> {
        self.write_snapshots(gap.day, health.catalog.len(), computed)
    }

    /// Store values computed from facts of the given versions, each only if its account's facts
    /// are still at that version. Returns how many were stored.
    fn write_snapshots(&mut self, day: NaiveDate, factors: usize, computed: &[ComputedSnapshot]) -> Result<usize> {
        self.write_derived(|w| {
            let mut stmt = w
                .tx()
                .prepare_cached(
                    "INSERT OR REPLACE INTO factor_snapshots (account_id, day, vals, stale_mask)
                     SELECT ?1, ?2, ?3, ?4 WHERE (SELECT facts_version FROM accounts WHERE id = ?1) = ?5",
                )
                .map_err(|e| w.store_err(e))?;
            let mut stored = 0;
            for (id, version, (values, mask)) in computed {
                stored += stmt
                    .execute(rusqlite::params![id, day, encode(values, factors), i64::from(*mask), version])
                    .map_err(|e| w.store_err(e))?;
            }
            Ok(stored)
        })
    }

    /// Every account's summary on `day` with its factor values: from the cache, or, for an
    /// account whose cached values a concurrent write has just dropped, from its facts (so a
    /// reader never shows "no score" for an account whose cache is being rebuilt).
    pub fn account_summaries_complete(&self, day: NaiveDate, health: &HealthConfig) -> Result<Vec<AccountSummary>> {
        let mut summaries = self.account_summaries(day)?;
        let trusted = self.caches_trusted();
        for s in summaries.iter_mut().filter(|s| s.values.is_none() || !trusted) {
            let facts = self.account_facts(s.id, &health.catalog)?;
            let (values, mask) = derive(&facts, day, health);
            s.values = Some(values);
            s.stale_mask = mask;
        }
        Ok(summaries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_with_only_what_is_there() {
        let mut values = FactorValues::default();
        assert!(encode(&values, 13).is_empty(), "no value, no bytes");
        assert_eq!(decode(&[]), values);
        values.set(FactorId(0), Some(0.0));
        values.set(FactorId(5), Some(-2.5));
        values.set(FactorId(31), Some(1e9));
        let blob = encode(&values, MAX_FACTORS);
        assert_eq!(blob.len(), 4 + 3 * 8);
        assert_eq!(decode(&blob), values);
        // Factors past the catalog's count are not kept.
        let mut expected = values;
        expected.set(FactorId(31), None);
        assert_eq!(decode(&encode(&values, 13)), expected);
    }
}
