//! Contract events (renewals and churns) and the revenue history retention figures read.

use chrono::NaiveDate;
use rusqlite::params;

use super::writer::Writer;
use super::{Result, Store};
use crate::domain::Cents;
use crate::domain::retention::{ArrChange, RevenueHistory};

/// A renewal or a churn, as recorded.
#[derive(Clone, Debug, PartialEq)]
pub struct ContractEvent {
    pub id: i64,
    pub account_id: i64,
    pub kind: ContractKind,
    pub day: NaiveDate,
    pub renewal_before: Option<NaiveDate>,
    pub renewal_after: Option<NaiveDate>,
    pub arr_before: Cents,
    pub arr_after: Cents,
    pub reason: String,
    pub csm: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContractKind {
    Renewed,
    Churned,
    /// Back as a customer after a churn.
    Reactivated,
}

impl ContractKind {
    pub fn key(self) -> &'static str {
        match self {
            ContractKind::Renewed => "renewed",
            ContractKind::Churned => "churned",
            ContractKind::Reactivated => "reactivated",
        }
    }

    pub(crate) fn from_key(key: &str) -> ContractKind {
        match key {
            "churned" => ContractKind::Churned,
            "reactivated" => ContractKind::Reactivated,
            _ => ContractKind::Renewed,
        }
    }
}

impl Writer<'_> {
    /// Hand an account to another CSM (None: to no one).
    pub fn set_account_csm(&mut self, id: i64, csm_id: Option<i64>) -> Result<()> {
        self.exec("UPDATE accounts SET csm_id = ?2, updated_at = unixepoch() WHERE id = ?1", params![id, csm_id])?;
        Ok(())
    }

    /// Renew an account: its new renewal date and ARR, status renewed, the event, and the ARR
    /// change when the ARR moved. Returns the event's id and the ARR change's, if any.
    pub fn renew_account(
        &mut self,
        id: i64,
        day: NaiveDate,
        renewal: NaiveDate,
        arr: Cents,
    ) -> Result<(i64, Option<i64>)> {
        let (before_renewal, before_arr) = self.renewal_and_arr(id)?;
        self.exec(
            "UPDATE accounts SET renewal_date = ?2, arr_cents = ?3, status = 'renewed',
                 updated_at = unixepoch() WHERE id = ?1",
            params![id, renewal, arr.0],
        )?;
        let arr_change = self.arr_change_if_moved(id, day, before_arr, arr, "renewal")?;
        let csm = self.signer();
        self.exec(
            "INSERT INTO contract_events (account_id, csm_id, kind, day, renewal_before, renewal_after, arr_before, arr_after)
             VALUES (?1, ?2, 'renewed', ?3, ?4, ?5, ?6, ?7)",
            params![id, csm, day, before_renewal, renewal, before_arr.0, arr.0],
        )?;
        Ok((self.tx().last_insert_rowid(), arr_change))
    }

    /// Record that an account renewed on `day` (from an imported outcome), changing nothing else;
    /// once per account and day, so importing the same file twice records it once.
    /// The renewal date moves a term on (`renewal::next_term`): left where it was, the renewed
    /// account stayed on the Renewals list as overdue.
    pub fn record_renewal_outcome(&mut self, id: i64, day: NaiveDate) -> Result<()> {
        let (before, _) = self.renewal_and_arr(id)?;
        let after = crate::domain::renewal::next_term(before, day);
        self.exec(IMPORTED_RENEWAL, params![id, day, after])?;
        if after != before {
            self.exec("UPDATE accounts SET renewal_date = ?2 WHERE id = ?1", params![id, after])?;
        }
        Ok(())
    }

    /// A renewal date an import moves on by a term (the contract renewed in the CRM): recorded
    /// as an imported renewal on `day` (once a day), from the account's date to `after`, and the
    /// renewed term's open milestones of `journeys` due by its end done that day. Called before
    /// the account's new date is written.
    pub fn record_new_term(&mut self, id: i64, day: NaiveDate, after: NaiveDate, journeys: &[&str]) -> Result<()> {
        let journeys = serde_json::to_string(journeys).unwrap_or_else(|_| "[]".into());
        let note = crate::domain::journey::done_with_renewal(day);
        self.exec(
            "UPDATE milestones SET done = ?2, note = CASE WHEN note = '' THEN ?3 ELSE note || ' · ' || ?3 END
             WHERE account_id = ?1 AND done IS NULL AND deleted_at IS NULL
               AND due <= (SELECT renewal_date FROM accounts WHERE id = ?1)
               AND journey IN (SELECT value FROM json_each(?4))",
            params![id, day, note, journeys],
        )?;
        self.exec(IMPORTED_RENEWAL, params![id, day, after])
    }

    /// A churned account back as a customer from `day`, at `arr`: active again, its churn day
    /// kept as a churn event (imported churns have none yet), the return recorded as an event,
    /// and the ARR change when it moved. Returns the return event's id and the ARR change's.
    pub fn reactivate_account(&mut self, id: i64, day: NaiveDate, arr: Cents) -> Result<(i64, Option<i64>)> {
        let (_, before_arr) = self.renewal_and_arr(id)?;
        let churned_on: Option<NaiveDate> = self
            .tx()
            .query_row("SELECT churned_on FROM accounts WHERE id = ?1", [id], |r| r.get(0))
            .map_err(|e| self.store_err(e))?;
        self.record_return(id, day, churned_on, before_arr, arr)?;
        let event = self.tx().last_insert_rowid();
        self.exec(
            "UPDATE accounts SET status = 'active', churned_on = NULL, arr_cents = ?2,
                 updated_at = unixepoch() WHERE id = ?1",
            params![id, arr.0],
        )?;
        let arr_change = self.arr_change_if_moved(id, day, before_arr, arr, "reactivation")?;
        Ok((event, arr_change))
    }

    /// The events of a return: the churn it came back from (once, for a churn only the account
    /// row knew of), then the return itself on `day`. The account row is the caller's to update.
    pub fn record_return(
        &mut self,
        id: i64,
        day: NaiveDate,
        churned_on: Option<NaiveDate>,
        arr_before: Cents,
        arr_after: Cents,
    ) -> Result<()> {
        if let Some(churned) = churned_on {
            self.exec(
                "INSERT INTO contract_events (account_id, kind, day, arr_before, arr_after, reason)
                 SELECT ?1, 'churned', ?2, ?3, ?3, 'recorded on return' WHERE NOT EXISTS
                     (SELECT 1 FROM contract_events e
                      WHERE e.account_id = ?1 AND e.kind = 'churned' AND e.day = ?2 AND e.deleted_at IS NULL)",
                params![id, churned, arr_before.0],
            )?;
        }
        let csm = self.signer();
        self.exec(
            "INSERT INTO contract_events (account_id, csm_id, kind, day, arr_before, arr_after, reason)
             VALUES (?1, ?2, 'reactivated', ?3, ?4, ?5, 'came back')",
            params![id, csm, day, arr_before.0, arr_after.0],
        )
    }

    /// Churn an account on a day, with the reason. Returns the event's id.
    pub fn churn_account(&mut self, id: i64, day: NaiveDate, reason: &str) -> Result<i64> {
        let (renewal, arr) = self.renewal_and_arr(id)?;
        self.exec(
            "UPDATE accounts SET status = 'churned', churned_on = ?2,
                 updated_at = unixepoch() WHERE id = ?1",
            params![id, day],
        )?;
        let csm = self.signer();
        self.exec(
            "INSERT INTO contract_events (account_id, csm_id, kind, day, renewal_before, renewal_after, arr_before, arr_after, reason)
             VALUES (?1, ?2, 'churned', ?3, ?4, ?4, ?5, ?5, ?6)",
            params![id, csm, day, renewal, arr.0, reason],
        )?;
        Ok(self.tx().last_insert_rowid())
    }

    /// Record a dated ARR change when the ARR moved; its id, for undo.
    fn arr_change_if_moved(
        &mut self,
        id: i64,
        day: NaiveDate,
        before: Cents,
        after: Cents,
        source: &str,
    ) -> Result<Option<i64>> {
        if after == before {
            return Ok(None);
        }
        self.record_arr_change(id, day, before, after, source)?;
        Ok(Some(self.tx().last_insert_rowid()))
    }

    fn renewal_and_arr(&self, id: i64) -> Result<(Option<NaiveDate>, Cents)> {
        self.tx()
            .query_row("SELECT renewal_date, arr_cents FROM accounts WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, Cents(r.get(1)?)))
            })
            .map_err(|e| self.store_err(e))
    }
}

/// A change of an account's ARR as recorded: by an accounts import (`import`), the demo (`demo`),
/// a renewal or a return.
#[derive(Clone, Debug, PartialEq)]
pub struct ArrChangeRecord {
    pub day: NaiveDate,
    pub old: Cents,
    pub new: Cents,
    pub source: String,
}

/// The ARR changes that count: not deleted, and not an ARR an import learnt where the account had
/// none (recorded as "$0 -> $60,000" by books before imports stopped counting them: no expansion).
const COUNTED_ARR_CHANGE: &str = "deleted_at IS NULL AND NOT (source = 'import' AND old_cents = 0)";

/// The ARR changes of the account `param` names that are no renewal's or return's (those are
/// contract events, on the timeline of their own), newest first as the timeline reads; for both
/// backends.
pub(crate) fn other_arr_changes_sql(param: &str) -> String {
    format!(
        "SELECT day, old_cents, new_cents, source FROM arr_changes
         WHERE account_id = {param} AND {COUNTED_ARR_CHANGE} AND source NOT IN ('renewal', 'reactivation')
         ORDER BY day DESC, id DESC"
    )
}

/// The contract events with their CSM's name, unless deleted, as both backends read them; the
/// caller adds `AND` its clause and its order.
pub(crate) const CONTRACT_EVENTS: &str =
    "SELECT e.id, e.account_id, e.kind, e.day, e.renewal_before, e.renewal_after, e.arr_before, e.arr_after,
            e.reason, c.name
     FROM contract_events e LEFT JOIN csms c ON c.id = e.csm_id
     WHERE e.deleted_at IS NULL";

/// The hand-overs made in tend and not taken back, oldest first (a later one of an account is
/// its latest): each account's id, the CSM it had before, and the summary (`Store::hand_overs`).
const HANDED_OVER: &str = "SELECT entity_id, json_extract(before, '$.csm_id'), summary FROM changes
     WHERE entity = 'account' AND action = 'edit' AND undone_at IS NULL AND summary LIKE 'handed %' ORDER BY id";

/// The renewals and churns recorded by hand (not an imported outcome, not a churn an import
/// recorded when the account came back), and the returns, as a clause of both backends' SQL.
pub(crate) const RECORDED_BY_HAND: &str = "((e.kind = 'renewed' AND e.reason <> 'imported outcome')
     OR (e.kind = 'churned' AND e.reason <> 'recorded on return') OR e.kind = 'reactivated')";

/// The reason of a churn an import gave, written down as an event when the account came back.
pub const CHURN_RECORDED_ON_RETURN: &str = "recorded on return";

/// An imported renewal of account ?1 on day ?2 to the renewal date ?3, from the account's date
/// and at its ARR, once a day.
const IMPORTED_RENEWAL: &str = "INSERT INTO contract_events
         (account_id, kind, day, renewal_before, renewal_after, arr_before, arr_after, reason)
     SELECT a.id, 'renewed', ?2, a.renewal_date, ?3, a.arr_cents, a.arr_cents, 'imported outcome'
     FROM accounts a WHERE a.id = ?1 AND NOT EXISTS
         (SELECT 1 FROM contract_events e
          WHERE e.account_id = ?1 AND e.kind = 'renewed' AND e.day = ?2 AND e.deleted_at IS NULL)";

/// An account churned on no known day (an import's churn without a date).
const UNDATED_CHURN: &str = "status = 'churned' AND churned_on IS NULL";

impl Store {
    /// An account's contract events, newest first.
    pub fn contract_events(&self, account_id: i64) -> Result<Vec<ContractEvent>> {
        self.contract_events_where("e.account_id = ?1 ORDER BY e.day DESC, e.id DESC", [account_id])
    }

    /// Every account's contract events from `from` to `to` (both days in), and those recorded
    /// then for a day up to 90 days before (a renewal signed last month, recorded this week, is
    /// this week's news: a probe's £60k churn dated back never showed in a brief), newest first.
    pub fn contract_events_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<ContractEvent>> {
        self.contract_events_where(
            "(e.day BETWEEN ?1 AND ?2
              OR (substr(e.logged_at, 1, 10) BETWEEN ?1 AND ?2 AND e.day >= date(?1, '-90 days') AND e.day <= ?2))
             ORDER BY e.day DESC, e.id DESC",
            rusqlite::params![from, to],
        )
    }

    /// The accounts churned from `from` to `to` (both days in), with their churn day.
    pub fn churned_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<(i64, NaiveDate)>> {
        self.query_list(
            "SELECT id, churned_on FROM accounts WHERE status = 'churned' AND churned_on BETWEEN ?1 AND ?2",
            rusqlite::params![from, to],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// The account's ARR changes that are no renewal's or return's, newest first.
    pub fn other_arr_changes(&self, account_id: i64) -> Result<Vec<ArrChangeRecord>> {
        self.query_list(&other_arr_changes_sql("?1"), [account_id], |r| {
            Ok(ArrChangeRecord { day: r.get(0)?, old: Cents(r.get(1)?), new: Cents(r.get(2)?), source: r.get(3)? })
        })
    }

    /// Every renewal and churn recorded by hand (`tend renew`, `tend churn`, their keys on the
    /// screens) and every return, by account, oldest first: what an accounts import of a CRM
    /// export made before them keeps.
    /// The hand-overs made in tend and not taken back, oldest first: each account's id, the CSM
    /// it had before, and the summary (`AccountsBook::hand_overs`), read from the changes `tend
    /// undo` keeps, whose summary of a hand-over starts "handed" (`book::owners`).
    pub fn hand_overs(&self) -> Result<Vec<(i64, Option<i64>, String)>> {
        self.query_list(HANDED_OVER, [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
    }

    pub fn recorded_by_hand(&self) -> Result<Vec<ContractEvent>> {
        self.contract_events_where(&format!("{RECORDED_BY_HAND} ORDER BY e.account_id, e.day, e.id"), [])
    }

    /// The contract events `clause` (with its order) picks, unless deleted.
    fn contract_events_where(&self, clause: &str, params: impl rusqlite::Params) -> Result<Vec<ContractEvent>> {
        self.query_list(&format!("{CONTRACT_EVENTS} AND {clause}"), params, |r| {
            let kind: String = r.get(2)?;
            Ok(ContractEvent {
                id: r.get(0)?,
                account_id: r.get(1)?,
                kind: ContractKind::from_key(&kind),
                day: r.get(3)?,
                renewal_before: r.get(4)?,
                renewal_after: r.get(5)?,
                arr_before: Cents(r.get(6)?),
                arr_after: Cents(r.get(7)?),
                reason: r.get(8)?,
                csm: r.get(9)?,
            })
        })
    }

    /// Accounts with a known outcome: (id, renewed, day). Churned accounts on their churn day;
    /// others on their latest renewal or churn recorded (an account that churned and came back
    /// churned, whatever it did after, until it renews: the back-test dropped such churns without
    /// a word), else (imported or demo books) renewed a year before their next renewal date. An
    /// account a renewal was recorded for is renewed whatever its status says since (a CRM's sync
    /// calls every customer Active: a probe's back-test lost each renewal it had recorded, after
    /// a weekly import).
    pub fn outcomes(&self) -> Result<Vec<(i64, bool, NaiveDate)>> {
        self.query_list(
            "WITH latest AS (
                 SELECT a.id, a.status, a.churned_on, a.renewal_date,
                        (SELECT e.kind || ' ' || e.day FROM contract_events e
                         WHERE e.account_id = a.id AND e.kind IN ('renewed', 'churned') AND e.deleted_at IS NULL
                         ORDER BY e.day DESC, e.id DESC LIMIT 1) AS event
                 FROM accounts a)
             SELECT id,
                    CASE WHEN status = 'churned' THEN 0
                         WHEN event IS NOT NULL THEN event LIKE 'renewed %'
                         ELSE 1 END,
                    CASE WHEN status = 'churned' THEN churned_on
                         WHEN event IS NOT NULL THEN substr(event, instr(event, ' ') + 1)
                         ELSE date(renewal_date, '-1 year') END
             FROM latest
             WHERE (status = 'churned' AND churned_on IS NOT NULL)
                OR (status <> 'churned' AND event IS NOT NULL)
                OR (status = 'renewed' AND renewal_date IS NOT NULL)
             ORDER BY id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
    }

    /// The accounts churned on no known day, by id, with their name and ARR: left out of
    /// retention (`revenue_histories`).
    pub fn undated_churns(&self) -> Result<Vec<(i64, String, Cents)>> {
        self.query_list(
            &format!("SELECT id, name, arr_cents FROM accounts WHERE {UNDATED_CHURN} ORDER BY id"),
            [],
            |r| Ok((r.get(0)?, r.get(1)?, Cents(r.get(2)?))),
        )
    }

    /// The day the book began: its first account written (a stamp tend sets, in Unix seconds;
    /// text in a book that set it otherwise). None for a book without accounts.
    pub fn book_began(&self) -> Result<Option<NaiveDate>> {
        let first = self
            .conn()
            .query_row("SELECT min(created_at) FROM accounts", [], |r| {
                Ok(match r.get_ref(0)? {
                    rusqlite::types::ValueRef::Integer(secs) => {
                        chrono::DateTime::from_timestamp(secs, 0).map(|t| t.date_naive())
                    }
                    rusqlite::types::ValueRef::Text(text) => {
                        std::str::from_utf8(text).ok().and_then(|t| t.get(..10)).and_then(|t| t.parse().ok())
                    }
                    _ => None,
                })
            })
            .map_err(|e| self.err(e))?;
        Ok(first)
    }

    /// Every account's revenue history (ARR, start, churn and dated ARR changes), by id. A churned
    /// account with no churn day is left out (`undated_churns`): its churn cannot be placed in
    /// any period, and without a day it read as a customer kept in every one.
    pub fn revenue_histories(&self) -> Result<Vec<(i64, RevenueHistory)>> {
        let mut out: Vec<(i64, RevenueHistory)> = self.query_list(
            &format!(
                "SELECT id, arr_cents, customer_since, churned_on FROM accounts WHERE NOT ({UNDATED_CHURN}) ORDER BY id"
            ),
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    RevenueHistory {
                        arr: Cents(r.get(1)?),
                        customer_since: r.get(2)?,
                        churned_on: r.get(3)?,
                        changes: Vec::new(),
                        returns: Vec::new(),
                    },
                ))
            },
        )?;
        let changes = self.query_list(
            &format!(
                "SELECT account_id, day, old_cents, new_cents FROM arr_changes WHERE {COUNTED_ARR_CHANGE}
                 ORDER BY account_id, day, id"
            ),
            [],
            |r| Ok((r.get::<_, i64>(0)?, ArrChange { day: r.get(1)?, old: Cents(r.get(2)?), new: Cents(r.get(3)?) })),
        )?;
        for (id, change) in changes {
            if let Ok(at) = out.binary_search_by_key(&id, |(i, _)| *i) {
                out[at].1.changes.push(change);
            }
        }
        // Each return pairs with the churn it came back from.
        let events = self.query_list(
            "SELECT account_id, kind, day FROM contract_events
             WHERE deleted_at IS NULL AND kind IN ('churned', 'reactivated') ORDER BY account_id, day, id",
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)? == "churned", r.get::<_, NaiveDate>(2)?)),
        )?;
        let mut last_churn: Option<(i64, NaiveDate)> = None;
        for (id, churned, day) in events {
            if churned {
                last_churn = Some((id, day));
            } else if let Some((_, churned_on)) = last_churn.filter(|(i, _)| *i == id)
                && let Ok(at) = out.binary_search_by_key(&id, |(i, _)| *i)
            {
                out[at].1.returns.push((churned_on, day));
                last_churn = None;
            }
        }
        Ok(out)
    }
}
