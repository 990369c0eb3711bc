//! `tend import accounts` into a team book: the same reading, checking and planning as into a
//! book file (`import::accounts`), written in one PostgreSQL transaction, each batch of new
//! accounts and the milestones their journeys plan as one INSERT of arrays (`unnest`).
//! PostgreSQL refuses `COPY FROM` into a table under row-level security to every role the rules
//! bind, so the statement that takes whole columns at once is the fast way in left. An importer
//! or a lead imports; a CSM's import is refused by the database (a CSM adds no accounts).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::TeamBook;
use super::write::{TeamTxn, write_error};
use crate::book::storage::{BookError, BookRead, BookTxn};
use crate::domain::Cents;
use crate::domain::account::Account;
use crate::import::ImportError;
use crate::import::accounts::{AccountsBook, AccountsTxn};
use crate::store::{NewAccount, NewAccountRow};

type Result<T, E = BookError> = std::result::Result<T, E>;

/// The milestone ids a statement's rows take, `first.id` + 1, + 2, …: the next of written and
/// planned milestones alike (one kind of row to the undo log), writers taking turns for them, as
/// the `milestones` view's trigger gives them one at a time (schema step 3).
pub(crate) const MILESTONE_IDS: &str = "WITH lock AS (SELECT pg_advisory_xact_lock(1953392996)),
     first AS (SELECT greatest((SELECT max(id) FROM milestone_rows), (SELECT max(id) FROM planned_milestones), 0)
               AS id FROM lock)";

/// Milestones an import planned, waiting to be copied in at once: (account, journey step, due
/// day as days since 1970), and the journey steps known by (journey, name).
#[derive(Default)]
pub(crate) struct Planned {
    rows: Vec<(i64, i64, i64)>,
    steps: HashMap<(String, String), i64>,
}

/// Planned milestones are sent once this many wait (and at the end).
const PLANNED_BATCH: usize = 100_000;

impl AccountsBook for TeamBook {
    fn account_count(&self) -> Result<usize> {
        BookRead::account_count(self)
    }

    fn accounts_keyed(&self, keys: &[String], by_name: bool) -> Result<Vec<Account>> {
        let column = if by_name { "a.name" } else { "a.external_id" };
        self.team_accounts(&format!("WHERE {column} = ANY($1) ORDER BY a.id"), &[&keys])
    }

    fn all_accounts(&self) -> Result<Vec<Account>> {
        self.team_accounts("ORDER BY a.id", &[])
    }

    fn all_attributes(&self) -> Result<HashMap<i64, Vec<(String, String)>>> {
        self.attributes("", &[])
    }

    fn attributes_of(&self, ids: &[i64]) -> Result<HashMap<i64, Vec<(String, String)>>> {
        self.attributes("AND a.id = ANY($1)", &[&ids])
    }

    fn csms(&self) -> Result<Vec<(i64, String)>> {
        BookRead::csms(self)
    }

    fn recorded_by_hand(&self) -> Result<Vec<crate::store::contracts::ContractEvent>> {
        self.team_recorded_by_hand()
    }

    fn entered_on(&self, day: chrono::NaiveDate) -> Result<std::collections::HashSet<i64>> {
        let (from, to) = crate::store::day_seconds(day);
        let rows = self.rows("SELECT id FROM accounts WHERE created_at >= $1 AND created_at < $2", &[&from, &to])?;
        Ok(rows.iter().map(|r| r.get::<_, i64>(0)).collect())
    }

    fn hand_overs(&self) -> Result<Vec<(i64, Option<i64>, String)>> {
        // As the book file reads them (`Store::hand_overs`).
        let rows = self.rows(
            "SELECT entity_id, (before::jsonb ->> 'csm_id')::bigint, summary FROM changes
             WHERE entity = 'account' AND action = 'edit' AND undone_at IS NULL AND starts_with(summary, 'handed ')
             ORDER BY id",
            &[],
        )?;
        Ok(rows.iter().map(|r| (r.get::<_, i64>(0), r.get::<_, Option<i64>>(1), r.get::<_, String>(2))).collect())
    }

    fn any_expected_usage(&self) -> Result<bool> {
        Ok(self.rows(crate::store::accounts::ANY_EXPECTED_USAGE, &[])?.first().is_some_and(|r| r.get::<_, bool>(0)))
    }

    fn import_transaction(
        &mut self,
        _bulk: bool,
        write: &mut dyn FnMut(&mut dyn AccountsTxn) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let url = self.url.clone();
        let tx = self.checked_transaction().map_err(BookError::from)?;
        let mut txn = TeamTxn::new(tx, url);
        // An error drops the transaction, which rolls it back: nothing of it is kept.
        write(&mut txn)?;
        txn.send_planned()?;
        let TeamTxn { tx, url, .. } = txn;
        tx.commit().map_err(|e| ImportError::Book(write_error(&url, &e)))
    }
}

impl TeamBook {
    /// Attributes (columns an import kept) by account id, each account's by key, as a book file
    /// orders them.
    fn attributes(
        &self,
        filter: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<HashMap<i64, Vec<(String, String)>>> {
        let rows = self.rows(
            &format!(
                "SELECT a.id, j.key, j.value FROM accounts a, json_each_text(a.attributes::json) j
                 WHERE a.attributes IS NOT NULL {filter} ORDER BY a.id, j.key COLLATE \"C\""
            ),
            params,
        )?;
        let mut map: HashMap<i64, Vec<(String, String)>> = HashMap::new();
        for r in &rows {
            map.entry(r.get(0)).or_default().push((r.get(1), r.get::<_, Option<String>>(2).unwrap_or_default()));
        }
        Ok(map)
    }
}

impl TeamTxn<'_> {
    /// The planned milestones waiting, sent in one statement, each with the next id of written
    /// and planned milestones alike (one sequence, as on a book file; writers take turns for it).
    fn send_planned(&mut self) -> Result<()> {
        if self.planned.rows.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.planned.rows);
        let (mut accounts, mut steps, mut dues) = (Vec::new(), Vec::new(), Vec::new());
        for (account, step, due) in rows {
            accounts.push(account);
            steps.push(step);
            dues.push(due);
        }
        self.rows(
            &format!(
                "{MILESTONE_IDS}
                 INSERT INTO planned_milestones (id, account_id, step, due)
                 SELECT first.id + p.n, p.account_id, p.step, p.due
                 FROM first, unnest($1::bigint[], $2::bigint[], $3::bigint[]) WITH ORDINALITY AS p(account_id, step, due, n)"
            ),
            &[&accounts, &steps, &dues],
        )?;
        Ok(())
    }

    /// The id of a journey's step (a milestone's journey and name), added if new.
    fn journey_step(&mut self, journey: &str, name: &str) -> Result<i64> {
        if let Some(id) = self.planned.steps.get(&(journey.to_string(), name.to_string())) {
            return Ok(*id);
        }
        let id = self.insert(
            "WITH added AS (INSERT INTO journey_steps (journey, name) VALUES ($1, $2)
                            ON CONFLICT (journey, name) DO NOTHING RETURNING id)
             SELECT id FROM added UNION ALL SELECT id FROM journey_steps WHERE journey = $1 AND name = $2",
            &[&journey, &name],
        )?;
        self.planned.steps.insert((journey.to_string(), name.to_string()), id);
        Ok(id)
    }
}

/// New accounts as columns, one array each, for one INSERT of them all.
#[derive(Default)]
struct AccountColumns {
    external_id: Vec<String>,
    name: Vec<String>,
    csm_id: Vec<Option<i64>>,
    arr_cents: Vec<i64>,
    currency: Vec<String>,
    plan: Vec<Option<String>>,
    customer_since: Vec<Option<String>>,
    renewal_date: Vec<Option<String>>,
    stage: Vec<&'static str>,
    status: Vec<&'static str>,
    churned_on: Vec<Option<String>>,
    volume_score: Vec<Option<i64>>,
    advocacy_score: Vec<Option<i64>>,
    brand_score: Vec<Option<i64>>,
    expected_usage: Vec<Option<f64>>,
    tags: Vec<String>,
    notes: Vec<String>,
    attributes: Vec<Option<String>>,
}

impl AccountColumns {
    fn push(&mut self, row: &NewAccountRow) {
        let a = &row.account;
        let day = |d: Option<NaiveDate>| d.map(|d| d.to_string());
        self.external_id.push(a.external_id.clone());
        self.name.push(a.name.clone());
        self.csm_id.push(a.csm_id);
        self.arr_cents.push(a.arr.0);
        self.currency.push(a.currency.clone());
        self.plan.push(a.plan.clone());
        self.customer_since.push(day(a.customer_since));
        self.renewal_date.push(day(a.renewal_date));
        self.stage.push(a.stage.key());
        self.status.push(a.status.key());
        self.churned_on.push(day(a.churned_on));
        self.volume_score.push(a.segment_inputs.volume.map(i64::from));
        self.advocacy_score.push(a.segment_inputs.advocacy.map(i64::from));
        self.brand_score.push(a.segment_inputs.brand.map(i64::from));
        self.expected_usage.push(a.expected_usage);
        self.tags.push(a.tags.clone());
        self.notes.push(a.notes.clone());
        self.attributes.push(row.attributes.clone());
    }
}

/// An imported renewal of account $1 on day $2 to the renewal date $3, from the account's date
/// and at its ARR, once a day (`store::contracts`' own, in PostgreSQL's placeholders).
const IMPORTED_RENEWAL: &str = "INSERT INTO contract_events
         (account_id, kind, day, renewal_before, renewal_after, arr_before, arr_after, reason)
     SELECT a.id, 'renewed', $2, a.renewal_date, $3, a.arr_cents, a.arr_cents, 'imported outcome'
     FROM accounts a WHERE a.id = $1 AND NOT EXISTS
         (SELECT 1 FROM contract_events e
          WHERE e.account_id = $1 AND e.kind = 'renewed' AND e.day = $2 AND e.deleted_at IS NULL)";

impl AccountsTxn for TeamTxn<'_> {
    fn csm_id(&mut self, name: &str) -> Result<i64> {
        BookTxn::csm_id(self, name)
    }

    fn rename_csm(&mut self, id: i64, name: &str) -> Result<()> {
        self.update_one("csms", "CSM", id, "UPDATE csms SET name = $2 WHERE id = $1", &[&id, &name])
    }

    fn move_open_tasks(&mut self, id: i64, from: i64, to: i64) -> Result<usize> {
        let moved = self.execute(
            "UPDATE tasks SET owner_id = $3 WHERE account_id = $1 AND owner_id = $2 AND status = 'open' \
             AND deleted_at IS NULL",
            &[&id, &from, &to],
        )?;
        Ok(moved as usize)
    }

    fn update_account(&mut self, id: i64, a: &NewAccount) -> Result<()> {
        let day = |d: Option<NaiveDate>| d.map(|d| d.to_string());
        let small = |n: Option<u8>| n.map(i64::from);
        self.update_one(
            "accounts",
            "account",
            id,
            "UPDATE accounts SET external_id = $2, name = $3, csm_id = $4, arr_cents = $5, currency = $6, plan = $7,
               customer_since = $8, renewal_date = $9, stage = $10, status = $11, churned_on = $12,
               volume_score = $13, advocacy_score = $14, brand_score = $15, expected_usage = $16, tags = $17,
               notes = $18, updated_at = extract(epoch FROM now())::bigint
             WHERE id = $1",
            &[
                &id,
                &a.external_id,
                &a.name,
                &a.csm_id,
                &a.arr.0,
                &a.currency,
                &a.plan,
                &day(a.customer_since),
                &day(a.renewal_date),
                &a.stage.key(),
                &a.status.key(),
                &day(a.churned_on),
                &small(a.segment_inputs.volume),
                &small(a.segment_inputs.advocacy),
                &small(a.segment_inputs.brand),
                &a.expected_usage,
                &a.tags,
                &a.notes,
            ],
        )
    }

    fn record_return(
        &mut self,
        id: i64,
        day: NaiveDate,
        churned_on: Option<NaiveDate>,
        arr_before: Cents,
        arr_after: Cents,
    ) -> Result<()> {
        self.return_events(id, day, churned_on.map(|d| d.to_string()), arr_before.0, arr_after.0).map(|_| ())
    }

    /// As on a book file: the renewal date moves a term on (`renewal::next_term`).
    fn record_renewal_outcome(&mut self, id: i64, day: NaiveDate) -> Result<()> {
        let (stored, _) = self.renewal_and_arr(id)?;
        let before = stored.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let after = crate::domain::renewal::next_term(before, day);
        let after_text = after.map(|d| d.to_string());
        self.rows(IMPORTED_RENEWAL, &[&id, &day.to_string(), &after_text])?;
        if after != before {
            self.rows("UPDATE accounts SET renewal_date = $2 WHERE id = $1", &[&id, &after_text])?;
        }
        Ok(())
    }

    fn record_new_term(&mut self, id: i64, day: NaiveDate, after: NaiveDate, journeys: &[&str]) -> Result<()> {
        let journeys: Vec<String> = journeys.iter().map(|j| j.to_string()).collect();
        let note = crate::domain::journey::done_with_renewal(day);
        self.rows(
            "UPDATE milestones SET done = $2, note = CASE WHEN note = '' THEN $3 ELSE note || ' · ' || $3 END
             WHERE account_id = $1 AND done IS NULL AND deleted_at IS NULL
               AND due <= (SELECT renewal_date FROM accounts WHERE id = $1)
               AND journey = ANY($4)",
            &[&id, &day.to_string(), &note, &journeys],
        )?;
        self.rows(IMPORTED_RENEWAL, &[&id, &day.to_string(), &after.to_string()])?;
        Ok(())
    }

    fn record_arr_change(&mut self, id: i64, day: NaiveDate, old: Cents, new: Cents, source: &str) -> Result<()> {
        self.rows(
            "INSERT INTO arr_changes (account_id, day, old_cents, new_cents, source) VALUES ($1, $2, $3, $4, $5)",
            &[&id, &day.to_string(), &old.0, &new.0, &source],
        )?;
        Ok(())
    }

    fn replace_attributes(&mut self, id: i64, json: &str) -> Result<()> {
        self.update_one("accounts", "account", id, "UPDATE accounts SET attributes = $2 WHERE id = $1", &[&id, &json])
    }

    fn invalidate_snapshots(&mut self, id: i64) -> Result<()> {
        BookTxn::invalidate_snapshots(self, id)
    }

    fn insert_accounts(&mut self, rows: &[NewAccountRow]) -> Result<Vec<i64>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let mut c = AccountColumns::default();
        for row in rows {
            c.push(row);
        }
        let now = chrono::Utc::now().timestamp();
        // Each new account's id, from the accounts' own sequence, told back by its external id
        // (unique), in the file's order.
        let inserted = self.rows(
            "INSERT INTO accounts (external_id, name, csm_id, arr_cents, currency, plan, customer_since,
                 renewal_date, stage, status, churned_on, volume_score, advocacy_score, brand_score, expected_usage,
                 tags, notes, attributes, created_at, updated_at)
             SELECT *, $19::bigint, $19::bigint FROM unnest($1::text[], $2::text[], $3::bigint[],
                 $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                 $12::bigint[], $13::bigint[], $14::bigint[], $15::float8[], $16::text[], $17::text[], $18::text[])
             RETURNING id, external_id",
            &[
                &c.external_id,
                &c.name,
                &c.csm_id,
                &c.arr_cents,
                &c.currency,
                &c.plan,
                &c.customer_since,
                &c.renewal_date,
                &c.stage,
                &c.status,
                &c.churned_on,
                &c.volume_score,
                &c.advocacy_score,
                &c.brand_score,
                &c.expected_usage,
                &c.tags,
                &c.notes,
                &c.attributes,
                &now,
            ],
        )?;
        let by_key: HashMap<&str, i64> = inserted.iter().map(|r| (r.get::<_, &str>(1), r.get::<_, i64>(0))).collect();
        rows.iter()
            .map(|row| {
                by_key.get(row.account.external_id.as_str()).copied().ok_or_else(|| {
                    BookError::Team(super::TeamError::Database {
                        url: self.url.clone(),
                        detail: format!("account {} was not inserted", row.account.external_id),
                    })
                })
            })
            .collect()
    }

    fn journeys_held(&mut self, id: i64) -> Result<Vec<String>> {
        let rows = self.rows(crate::store::accounts::JOURNEYS_HELD, &[&id])?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn insert_planned_milestones(&mut self, rows: &[(i64, &str, &str, NaiveDate)]) -> Result<()> {
        for &(id, journey, name, due) in rows {
            let step = self.journey_step(journey, name)?;
            self.planned.rows.push((id, step, crate::store::bulk::epoch_day(due)));
            if self.planned.rows.len() >= PLANNED_BATCH {
                self.send_planned()?;
            }
        }
        Ok(())
    }
}
