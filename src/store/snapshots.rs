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

/// Each factor's value as 8 little-endian bytes, NaN for missing, in catalog order.
fn encode(values: &FactorValues, factors: usize) -> Vec<u8> {
    (0..factors.min(MAX_FACTORS))
        .flat_map(|i| values.get(FactorId(i as u8)).unwrap_or(f64::NAN).to_le_bytes())
        .collect()
}

fn decode(blob: &[u8]) -> FactorValues {
    let mut v = FactorValues::default();
    for (i, chunk) in blob.chunks_exact(8).take(MAX_FACTORS).enumerate() {
        let value = f64::from_le_bytes(chunk.try_into().expect("chunks of 8"));
        v.set(FactorId(i as u8), (!value.is_nan()).then_some(value));
    }
    v
}

/// Values and stale mask of one account on `day`.
fn derive(facts: &crate::domain::AccountFacts, day: NaiveDate, health: &HealthConfig) -> (FactorValues, u32) {
    let values = signals::derive_values(facts, day, &health.catalog);
    let ages = signals::factor_ages(facts, day, &health.catalog);
    (values, health.stale_mask(&values, &ages, &facts.subject(), day))
}

impl Store {
    /// How many accounts have no snapshot for `day`.
    pub fn accounts_missing_snapshot(&self, day: NaiveDate) -> Result<usize> {
        // Snapshots are unique per (account, day) and belong to existing accounts, so two counts
        // (one an index range) tell without looking up every account.
        let count = |sql: &str| self.conn().query_row(sql, [day], |r| r.get::<_, i64>(0)).map_err(|e| self.err(e));
        let have = count("SELECT count(*) FROM factor_snapshots WHERE day = ?1")?;
        let accounts = count("SELECT count(*) FROM accounts WHERE ?1 IS NOT NULL")?;
        Ok((accounts - have).max(0) as usize)
    }

    /// Derive and store the factor values of every account lacking a snapshot for `day`.
    /// Returns how many were written. One transaction: all of them or none.
    pub fn refresh_snapshots(&mut self, day: NaiveDate, health: &HealthConfig) -> Result<usize> {
        // A read-only book keeps its cache as it is; readers compute what it lacks from facts.
        if self.read_only().is_some() || self.accounts_missing_snapshot(day)? == 0 {
            return Ok(0);
        }
        let mut have = std::collections::HashSet::new();
        {
            let mut stmt = self
                .conn()
                .prepare("SELECT account_id FROM factor_snapshots WHERE day = ?1")
                .map_err(|e| self.err(e))?;
            for id in stmt.query_map([day], |r| r.get::<_, i64>(0)).map_err(|e| self.err(e))? {
                have.insert(id.map_err(|e| self.err(e))?);
            }
        }
        // The versions first, then the facts: a write committed in between bumps a version, and
        // what was computed from older facts is not stored.
        let versions = self.facts_versions(None)?;
        let mut computed = Vec::new();
        self.for_each_account_facts(&health.catalog, |id, facts| {
            if !have.contains(&id)
                && let Some(version) = versions.get(&id)
            {
                computed.push((id, *version, derive(facts, day, health)));
            }
        })?;
        self.write_snapshots(day, health.catalog.len(), &computed)
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

    /// Store values computed from facts of the given versions, each only if its account's facts
    /// are still at that version. Returns how many were stored.
    fn write_snapshots(
        &mut self,
        day: NaiveDate,
        factors: usize,
        computed: &[(i64, i64, (FactorValues, u32))],
    ) -> Result<usize> {
        self.write(|w| {
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
