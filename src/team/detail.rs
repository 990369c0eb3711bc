//! What an account's page reads from a team book beyond its facts and lists: the account in
//! full, its log entries, its band overrides and its contract events, as the SQLite book reads
//! them (the same order; text by bytes, as SQLite orders it).

use super::TeamBook;
use super::read::segment_input;
use crate::book::storage::BookError;
use crate::domain::account::{Account, AccountStatus, LifecycleStage};
use crate::domain::contact::ContactRole;
use crate::domain::entry::{EntryKind, TouchChannel};
use crate::domain::{Cents, HealthBand, SegmentInputs};
use crate::store::EntryRecord;
use crate::store::contracts::{ContractEvent, ContractKind};
use crate::store::overrides::{BandOverride, band_from_key};

impl TeamBook {
    pub(crate) fn team_account(&self, id: i64) -> Result<Account, BookError> {
        self.team_accounts("WHERE a.id = $1", &[&id])?.pop().ok_or_else(|| self.bad_value(format!("no account {id}")))
    }

    /// The columns an import kept on the account, by name (as `Store::attributes_of` reads them).
    pub(crate) fn team_account_attributes(&self, id: i64) -> Result<Vec<(String, String)>, BookError> {
        let rows = self.rows(
            "SELECT j.key, j.value FROM accounts a, jsonb_each_text(a.attributes::jsonb) j
             WHERE a.id = $1 AND a.attributes IS NOT NULL ORDER BY j.key COLLATE \"C\"",
            &[&id],
        )?;
        // A JSON null is no value, as SQLite's json_each reads it.
        Ok(rows.iter().filter_map(|r| Some((r.get(0), r.get::<_, Option<String>>(1)?))).collect())
    }

    /// The accounts `clause` (a WHERE and an ORDER BY, or nothing) picks, in full.
    pub(crate) fn team_accounts(
        &self,
        clause: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Account>, BookError> {
        let rows = self.rows(
            &format!(
                "SELECT a.id, a.external_id, a.name, c.name, a.arr_cents, a.currency, a.plan,
                        a.customer_since, a.renewal_date, a.stage, a.status, a.churned_on,
                        a.volume_score, a.advocacy_score, a.brand_score, a.expected_usage, a.tags, a.notes
                 FROM accounts a LEFT JOIN csms c ON c.id = a.csm_id {clause}"
            ),
            params,
        )?;
        rows.iter().map(|r| self.account_of_row(r)).collect()
    }

    fn account_of_row(&self, r: &postgres::Row) -> Result<Account, BookError> {
        Ok(Account {
            id: r.get(0),
            external_id: r.get(1),
            name: r.get(2),
            csm: r.get(3),
            arr: Cents(r.get(4)),
            currency: r.get(5),
            plan: r.get(6),
            customer_since: self.day_or_none(r.get(7))?,
            renewal_date: self.day_or_none(r.get(8))?,
            stage: LifecycleStage::from_key(r.get(9)).unwrap_or(LifecycleStage::Adoption),
            status: AccountStatus::from_key(r.get(10)).unwrap_or(AccountStatus::Active),
            churned_on: self.day_or_none(r.get(11))?,
            segment_inputs: SegmentInputs {
                volume: segment_input(r.get(12)),
                advocacy: segment_input(r.get(13)),
                brand: segment_input(r.get(14)),
            },
            expected_usage: r.get(15),
            tags: r.get(16),
            notes: r.get(17),
        })
    }

    pub(crate) fn team_entries_for(&self, account_id: i64) -> Result<Vec<EntryRecord>, BookError> {
        self.team_entries("AND e.account_id = $1 ORDER BY e.day COLLATE \"C\" DESC, e.id DESC", account_id)
    }

    /// One entry by its id, unless deleted.
    pub(crate) fn team_entry(&self, id: i64) -> Result<Option<EntryRecord>, BookError> {
        Ok(self.team_entries("AND e.id = $1", id)?.into_iter().next())
    }

    /// The entries `clause` (which reads `$1`) picks, in its order.
    fn team_entries(&self, clause: &str, key: i64) -> Result<Vec<EntryRecord>, BookError> {
        let rows = self.rows(
            &format!(
                "SELECT e.id, e.account_id, e.kind, e.day, e.score, e.channel, e.title, e.closed_on,
                        e.note, c.name, e.contact_ids, e.role FROM entries e LEFT JOIN csms c ON c.id = e.csm_id
                 WHERE e.deleted_at IS NULL {clause}"
            ),
            &[&key],
        )?;
        rows.iter()
            .map(|r| {
                let kind: &str = r.get(2);
                Ok(EntryRecord {
                    id: r.get(0),
                    account_id: r.get(1),
                    kind: EntryKind::from_key(kind)
                        .ok_or_else(|| self.bad_value(format!("unknown entry kind \"{kind}\"")))?,
                    day: self.day(r.get(3))?,
                    score: r.get(4),
                    channel: r.get::<_, Option<&str>>(5).and_then(TouchChannel::from_key),
                    title: r.get(6),
                    closed_on: self.day_or_none(r.get(7))?,
                    note: r.get(8),
                    csm: r.get(9),
                    with: crate::store::log::contact_ids(r.get(10)),
                    role: ContactRole::from_key(r.get(11)),
                })
            })
            .collect()
    }

    pub(crate) fn team_overrides_for(&self, account_id: i64) -> Result<Vec<BandOverride>, BookError> {
        let rows = self.rows(
            "SELECT o.id, o.account_id, o.band, o.reason, o.set_on, o.expires_on, o.cleared_on, c.name
             FROM band_overrides o LEFT JOIN csms c ON c.id = o.csm_id
             WHERE o.account_id = $1 AND o.deleted_at IS NULL ORDER BY o.id DESC",
            &[&account_id],
        )?;
        rows.iter()
            .map(|r| {
                Ok(BandOverride {
                    id: r.get(0),
                    account_id: r.get(1),
                    band: band_from_key(r.get(2)).unwrap_or(HealthBand::Yellow),
                    reason: r.get(3),
                    set_on: self.day(r.get(4))?,
                    expires_on: self.day(r.get(5))?,
                    cleared_on: self.day_or_none(r.get(6))?,
                    csm: r.get(7),
                })
            })
            .collect()
    }

    pub(crate) fn team_contract_events(&self, account_id: i64) -> Result<Vec<ContractEvent>, BookError> {
        self.contract_events_where("e.account_id = $1 ORDER BY e.day COLLATE \"C\" DESC, e.id DESC", &[&account_id])
    }

    /// Every renewal and churn recorded by hand, and every return, as `Store::recorded_by_hand`
    /// reads a book file's.
    pub(crate) fn team_recorded_by_hand(&self) -> Result<Vec<ContractEvent>, BookError> {
        self.contract_events_where(
            &format!("{} ORDER BY e.account_id, e.day COLLATE \"C\", e.id", crate::store::contracts::RECORDED_BY_HAND),
            &[],
        )
    }

    /// The contract events `clause` (with its order) picks, unless deleted.
    fn contract_events_where(
        &self,
        clause: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<ContractEvent>, BookError> {
        let rows = self.rows(&format!("{} AND {clause}", crate::store::contracts::CONTRACT_EVENTS), params)?;
        rows.iter()
            .map(|r| {
                Ok(ContractEvent {
                    id: r.get(0),
                    account_id: r.get(1),
                    kind: ContractKind::from_key(r.get(2)),
                    day: self.day(r.get(3))?,
                    renewal_before: self.day_or_none(r.get(4))?,
                    renewal_after: self.day_or_none(r.get(5))?,
                    arr_before: Cents(r.get(6)),
                    arr_after: Cents(r.get(7)),
                    reason: r.get(8),
                    csm: r.get(9),
                })
            })
            .collect()
    }
}
