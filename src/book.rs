//! Use cases over the store and the domain: what the TUI and the CLI both show. Text that leaves
//! here is already cleaned for the terminal.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::config::Config;
use crate::domain::signals;
use crate::domain::{
    Account, AccountStatus, BandCutoffs, Cents, FactorValues, HealthBand, HealthScore, ScoreKind,
};
use crate::store::facts::EntrySummary;
use crate::store::{Result, Store};
use crate::text::clean;

/// One line of the portfolio.
#[derive(Clone, Debug, PartialEq)]
pub struct PortfolioRow {
    pub id: i64,
    pub name: String,
    pub csm: String,
    pub segment: Arc<str>,
    pub arr: Cents,
    pub currency: String,
    pub renewal_date: Option<NaiveDate>,
    pub status: AccountStatus,
    pub kind: ScoreKind,
    pub score: Option<u8>,
    pub band: Option<HealthBand>,
}

impl PortfolioRow {
    pub fn days_to_renewal(&self, as_of: NaiveDate) -> Option<i64> {
        self.renewal_date.map(|d| (d - as_of).num_days())
    }
}

/// Make sure every account has factor values cached for `as_of`; returns how many were computed.
pub fn refresh(store: &mut Store, config: &Config, as_of: NaiveDate) -> Result<usize> {
    store.refresh_snapshots(as_of, &config.health.windows)
}

/// The whole portfolio, scored as of a day. Refreshes the cache first if it is stale.
pub fn load_portfolio(
    store: &mut Store,
    config: &Config,
    as_of: NaiveDate,
) -> Result<Vec<PortfolioRow>> {
    refresh(store, config, as_of)?;
    load_portfolio_cached(store, config, as_of)
}

/// The portfolio from the cache as it stands (accounts without a snapshot have no score).
pub fn load_portfolio_cached(
    store: &Store,
    config: &Config,
    as_of: NaiveDate,
) -> Result<Vec<PortfolioRow>> {
    let names: Vec<Arc<str>> = config.segments.names().into_iter().map(Arc::from).collect();
    let summaries = store.account_summaries(as_of)?;
    Ok(summaries
        .into_iter()
        .map(|a| {
            let segment_name = config.segments.segment_of(a.arr.units(), a.segment_inputs);
            let segment = names
                .iter()
                .find(|n| ***n == *segment_name)
                .cloned()
                .unwrap_or_else(|| segment_name.into());
            let values = a.values.unwrap_or_default();
            let (kind, scored) = config.health.quick(&values, a.customer_since, as_of);
            PortfolioRow {
                id: a.id,
                name: clean(&a.name),
                csm: a.csm.as_deref().map(clean).unwrap_or_default(),
                segment,
                arr: a.arr,
                currency: clean(&a.currency),
                renewal_date: a.renewal_date,
                status: a.status,
                kind,
                score: scored.map(|s| s.0),
                band: scored.map(|s| s.1),
            }
        })
        .collect())
}

/// Everything the Account view shows about one account.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountDetail {
    pub account: Account,
    pub segment: String,
    pub values: FactorValues,
    pub health: HealthScore,
    pub as_of: NaiveDate,
    /// Day of account life (from customer-since), for the jumpstart header.
    pub age_days: Option<i64>,
    pub cutoffs: BandCutoffs,
    pub jumpstart_days: i64,
    /// The latest log entries, newest first, text cleaned.
    pub recent: Vec<EntrySummary>,
}

/// How many recent entries the Account view lists.
pub const RECENT_ENTRIES: usize = 12;

/// One account, its factors derived fresh from its facts as of a day.
pub fn account_detail(
    store: &Store,
    config: &Config,
    id: i64,
    as_of: NaiveDate,
) -> Result<AccountDetail> {
    let mut account = store.account(id)?;
    for text in [
        &mut account.name,
        &mut account.external_id,
        &mut account.currency,
        &mut account.tags,
        &mut account.notes,
    ] {
        *text = clean(text);
    }
    account.csm = account.csm.as_deref().map(clean);
    account.plan = account.plan.as_deref().map(clean);
    let facts = store.account_facts(id)?;
    let mut recent = store.recent_entries(id, RECENT_ENTRIES)?;
    for e in &mut recent {
        e.note = clean(&e.note);
        e.kind = clean(&e.kind);
        e.title = e.title.as_deref().map(clean);
        e.channel = e.channel.as_deref().map(clean);
        e.csm = e.csm.as_deref().map(clean);
    }
    let values = signals::derive_values(&facts, as_of, &config.health.windows);
    let health = config.health.assess(&values, account.customer_since, as_of);
    Ok(AccountDetail {
        segment: config
            .segments
            .segment_of(account.arr.units(), account.segment_inputs)
            .to_string(),
        age_days: account.customer_since.map(|d| (as_of - d).num_days()),
        account,
        values,
        health,
        as_of,
        cutoffs: config.health.bands,
        jumpstart_days: config.health.jumpstart_days,
        recent,
    })
}
