//! The factor-value cache: raw values per account per day, derived from the facts.

use chrono::NaiveDate;
use rusqlite::params_from_iter;

use super::{Result, Store};
use crate::domain::health::HealthConfig;
use crate::domain::signals;
use crate::domain::{FactorId, FactorValues};

fn columns() -> String {
    FactorId::ALL.iter().map(|f| f.key()).collect::<Vec<_>>().join(", ")
}

/// Read the factor columns starting at `first` of a row.
pub(crate) fn values_from_row(row: &rusqlite::Row, first: usize) -> rusqlite::Result<Option<FactorValues>> {
    // A LEFT JOIN without a snapshot gives NULL in the key column before the factors.
    if row.get_ref(first - 1)?.data_type() == rusqlite::types::Type::Null {
        return Ok(None);
    }
    let mut v = FactorValues::default();
    for (i, f) in FactorId::ALL.iter().enumerate() {
        v.set(*f, row.get(first + i)?);
    }
    Ok(Some(v))
}

/// `, s.day, s.sentiment, s.usage_vs_expected, ..., s.stale_mask` for a snapshot joined as `s`.
pub(crate) fn joined_columns() -> String {
    let cols: Vec<String> = FactorId::ALL.iter().map(|f| format!("s.{}", f.key())).collect();
    format!("s.day, {}, coalesce(s.stale_mask, 0)", cols.join(", "))
}

/// The stale mask after the factor columns starting at `first`.
pub(crate) fn stale_mask_from_row(row: &rusqlite::Row, first: usize) -> rusqlite::Result<u16> {
    row.get::<_, i64>(first + FactorId::COUNT).map(|m| m as u16)
}

/// Values and stale mask of one account on `day`.
fn derive(facts: &crate::domain::AccountFacts, day: NaiveDate, health: &HealthConfig) -> (FactorValues, u16) {
    let values = signals::derive_values(facts, day, &health.windows);
    let ages = signals::factor_ages(facts, day);
    (values, health.stale_mask(&values, &ages, facts.customer_since, day))
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
        if self.accounts_missing_snapshot(day)? == 0 {
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
        let mut computed = Vec::new();
        self.for_each_account_facts(|id, facts| {
            if !have.contains(&id) {
                computed.push((id, derive(facts, day, health)));
            }
        })?;
        self.write_snapshots(day, &computed)?;
        Ok(computed.len())
    }

    /// Derive and store one account's factor values for `day` (after its facts changed).
    pub fn refresh_account_snapshot(&mut self, account_id: i64, day: NaiveDate, health: &HealthConfig) -> Result<()> {
        let facts = self.account_facts(account_id)?;
        self.write_snapshots(day, &[(account_id, derive(&facts, day, health))])
    }

    fn write_snapshots(&mut self, day: NaiveDate, computed: &[(i64, (FactorValues, u16))]) -> Result<()> {
        let sql = format!(
            "INSERT OR REPLACE INTO factor_snapshots (account_id, day, {}, stale_mask) VALUES (?1, ?2, {})",
            columns(),
            (3..4 + FactorId::COUNT).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ")
        );
        self.write(|w| {
            let mut stmt = w.tx().prepare_cached(&sql).map_err(|e| w.store_err(e))?;
            for (id, (values, mask)) in computed {
                let params = [rusqlite::types::Value::Integer(*id), rusqlite::types::Value::Text(day.to_string())]
                    .into_iter()
                    .chain(
                        values.0.iter().map(|v| v.map_or(rusqlite::types::Value::Null, rusqlite::types::Value::Real)),
                    )
                    .chain([rusqlite::types::Value::Integer(i64::from(*mask))]);
                stmt.execute(params_from_iter(params)).map_err(|e| w.store_err(e))?;
            }
            Ok(())
        })
    }
}
