//! Writing planned rows, a batch at a time, inside the import's one transaction.

use chrono::NaiveDate;

use super::plan::{Batch, Milestone, Planned};
use crate::book::storage::BookError;
use crate::domain::journey::{self, JourneysConfig};
use crate::domain::{AccountStatus, Cents};
use crate::store::{NewAccount, NewAccountRow, Writer};

type Result<T, E = BookError> = std::result::Result<T, E>;

/// What an accounts import writes, inside its one transaction: into a book file (`Writer`) or a
/// team book (whose new rows go in through `COPY`).
pub trait AccountsTxn {
    /// The CSM of that name (any case), added if the book has none.
    fn csm_id(&mut self, name: &str) -> Result<i64>;
    fn rename_csm(&mut self, id: i64, name: &str) -> Result<()>;
    fn update_account(&mut self, id: i64, account: &NewAccount) -> Result<()>;
    /// The open tasks CSM `from` owns on the account go to `to` (an account the file moved from
    /// one to the other): how many.
    fn move_open_tasks(&mut self, id: i64, from: i64, to: i64) -> Result<usize>;
    /// A churned account back as a customer: its churn (once) and its return, as events.
    fn record_return(
        &mut self,
        id: i64,
        day: NaiveDate,
        churned_on: Option<NaiveDate>,
        arr_before: Cents,
        arr_after: Cents,
    ) -> Result<()>;
    /// An imported renewal, once per account and day.
    fn record_renewal_outcome(&mut self, id: i64, day: NaiveDate) -> Result<()>;
    /// A renewal date the file moves on by a term: an imported renewal on `day`, to `after`,
    /// and the renewed term's open milestones of `journeys` done (`Writer::record_new_term`).
    /// Before the account's new date is written.
    fn record_new_term(&mut self, id: i64, day: NaiveDate, after: NaiveDate, journeys: &[&str]) -> Result<()>;
    fn record_arr_change(&mut self, id: i64, day: NaiveDate, old: Cents, new: Cents, source: &str) -> Result<()>;
    fn replace_attributes(&mut self, id: i64, json: &str) -> Result<()>;
    /// What was worked out from the account's facts is stale.
    fn invalidate_snapshots(&mut self, id: i64) -> Result<()>;
    /// New accounts with their attributes; their ids, in order.
    fn insert_accounts(&mut self, rows: &[NewAccountRow]) -> Result<Vec<i64>>;
    /// The journeys an account holds milestones of, done, deleted or planned.
    fn journeys_held(&mut self, id: i64) -> Result<Vec<String>>;
    /// Milestones journeys plan for new accounts, as (account id, journey, milestone, due).
    fn insert_planned_milestones(&mut self, rows: &[(i64, &str, &str, NaiveDate)]) -> Result<()>;
}

impl AccountsTxn for Writer<'_> {
    fn csm_id(&mut self, name: &str) -> Result<i64> {
        Ok(Writer::csm_id(self, name)?)
    }

    fn rename_csm(&mut self, id: i64, name: &str) -> Result<()> {
        Ok(Writer::rename_csm(self, id, name)?)
    }

    fn update_account(&mut self, id: i64, account: &NewAccount) -> Result<()> {
        Ok(Writer::update_account(self, id, account)?)
    }

    fn move_open_tasks(&mut self, id: i64, from: i64, to: i64) -> Result<usize> {
        Ok(Writer::move_open_tasks(self, id, from, to)?)
    }

    fn record_return(
        &mut self,
        id: i64,
        day: NaiveDate,
        churned_on: Option<NaiveDate>,
        arr_before: Cents,
        arr_after: Cents,
    ) -> Result<()> {
        Ok(Writer::record_return(self, id, day, churned_on, arr_before, arr_after)?)
    }

    fn record_renewal_outcome(&mut self, id: i64, day: NaiveDate) -> Result<()> {
        Ok(Writer::record_renewal_outcome(self, id, day)?)
    }

    fn record_new_term(&mut self, id: i64, day: NaiveDate, after: NaiveDate, journeys: &[&str]) -> Result<()> {
        Ok(Writer::record_new_term(self, id, day, after, journeys)?)
    }

    fn record_arr_change(&mut self, id: i64, day: NaiveDate, old: Cents, new: Cents, source: &str) -> Result<()> {
        Ok(Writer::record_arr_change(self, id, day, old, new, source)?)
    }

    fn replace_attributes(&mut self, id: i64, json: &str) -> Result<()> {
        Ok(Writer::replace_attributes(self, id, json)?)
    }

    fn invalidate_snapshots(&mut self, id: i64) -> Result<()> {
        Ok(Writer::invalidate_snapshots(self, id)?)
    }

    fn insert_accounts(&mut self, rows: &[NewAccountRow]) -> Result<Vec<i64>> {
        Ok(Writer::insert_accounts(self, rows)?)
    }

    fn insert_planned_milestones(&mut self, rows: &[(i64, &str, &str, NaiveDate)]) -> Result<()> {
        Ok(Writer::insert_planned_milestones(self, rows)?)
    }

    fn journeys_held(&mut self, id: i64) -> Result<Vec<String>> {
        Ok(Writer::journeys_held(self, id)?)
    }
}

/// Writes batches of planned rows, adding the CSMs new to the book as they come.
pub(super) struct Applier {
    /// The ids of the CSMs added, by stand-in: stand-in `-i - 1` is `added_csms[i]`.
    pub(super) added_csms: Vec<i64>,
    /// The day ARR changes are recorded on, and the first day a planned milestone may be due.
    pub(super) today: NaiveDate,
    /// Milestones planned so far.
    pub(super) milestones: usize,
    /// Open tasks moved with the accounts the file moved to another CSM.
    pub(super) tasks_moved: usize,
}

/// Whether an import's new ARR for an account is a change of its ARR (for retention, the
/// timeline and the summary). An ARR learnt (none before: an earlier file had no ARR column, or
/// a blank) is no expansion, and a lost customer's ARR in the CRM is no revenue.
pub(super) fn arr_moved(old_arr: Cents, old_currency: &str, account: &NewAccount) -> bool {
    account.arr != old_arr
        && old_arr.on_record().is_some()
        && account.status != AccountStatus::Churned
        && !arr_restated(old_arr, old_currency, account)
}

/// Whether an import gives an account's ARR in another currency: the same contract written
/// otherwise, said apart and recorded as no change ("$250,000 -> €275,000" was counted as
/// $25,000 of expansion in the net revenue retention).
pub(super) fn arr_restated(old_arr: Cents, old_currency: &str, account: &NewAccount) -> bool {
    old_arr.on_record().is_some() && account.arr.on_record().is_some() && account.currency != old_currency
}

/// Whether an import gives an account an ARR where the book had none on record (`arr_moved`'s
/// learnt ARR): said apart, as no change.
pub(super) fn arr_learnt(old_arr: Cents, account: &NewAccount) -> bool {
    old_arr.on_record().is_none() && account.arr.on_record().is_some()
}

impl Applier {
    pub(super) fn apply(&mut self, w: &mut dyn AccountsTxn, batch: Batch<'_>) -> Result<()> {
        debug_assert_eq!(batch.first, self.added_csms.len());
        for name in &batch.new_csms {
            self.added_csms.push(w.csm_id(name)?);
        }
        let mut new_rows = Vec::new();
        let mut new_extras = Vec::new();
        let mut learnt = Vec::new();
        for planned in batch.rows {
            match planned {
                Planned::New { mut row, renewed_on, milestones } => {
                    row.account.csm_id = self.real_csm(row.account.csm_id);
                    new_extras.push((renewed_on, milestones));
                    new_rows.push(row);
                }
                Planned::Update {
                    id,
                    mut account,
                    old_arr,
                    arr_moved,
                    attributes,
                    renewed_on,
                    came_back,
                    milestones,
                    next_term,
                    new_term,
                    csm_moved_from,
                } => {
                    account.csm_id = self.real_csm(account.csm_id);
                    if let Some((after, journeys)) = &new_term {
                        w.record_new_term(id, self.today, *after, journeys)?;
                    }
                    w.update_account(id, &account)?;
                    // The open tasks of the CSM it moved from go with it, as a hand-over's do: a
                    // lead's CRM move left a late task with the CSM who had left.
                    if let (Some(from), Some(to)) = (csm_moved_from, account.csm_id) {
                        self.tasks_moved += w.move_open_tasks(id, from, to)?;
                    }
                    if let Some(churned_on) = came_back {
                        // Back as a customer from the import day: a new logo from then on.
                        w.record_return(id, self.today, churned_on, old_arr, account.arr)?;
                    }
                    if let Some(day) = renewed_on {
                        w.record_renewal_outcome(id, day)?;
                    }
                    if arr_moved {
                        w.record_arr_change(id, self.today, old_arr, account.arr, "import")?;
                    }
                    if let Some(json) = &attributes {
                        w.replace_attributes(id, json)?;
                    }
                    w.invalidate_snapshots(id)?;
                    // Rare (a file giving an account its first renewal date): asked one account at a
                    // time, rather than of every undated account on every import.
                    if !milestones.is_empty() {
                        let held = w.journeys_held(id)?;
                        let fresh = milestones.into_iter().filter(|m| !held.iter().any(|h| h == m.0));
                        learnt.extend(fresh.map(|(journey, name, due)| (id, journey, name, due)));
                    }
                    learnt.extend(next_term.into_iter().map(|(journey, name, due)| (id, journey, name, due)));
                }
            }
        }
        let ids = w.insert_accounts(&new_rows)?;
        let mut planned = learnt;
        for (id, (renewed_on, milestones)) in ids.into_iter().zip(new_extras) {
            if let Some(day) = renewed_on {
                w.record_renewal_outcome(id, day)?;
            }
            planned.extend(milestones.into_iter().map(|(journey, name, due)| (id, journey, name, due)));
        }
        // New accounts get the journeys the config plans for them: the milestones still ahead.
        self.milestones += planned.len();
        w.insert_planned_milestones(&planned)
    }

    /// A CSM id with stand-ins replaced by the ids of the CSMs added.
    fn real_csm(&self, id: Option<i64>) -> Option<i64> {
        match id {
            Some(stand_in) if stand_in < 0 => self.added_csms.get((-stand_in - 1) as usize).copied(),
            id => id,
        }
    }
}

/// The milestones an account already in the book gets when the file gives it, for the first
/// time, the date a journey of `journeys.apply_to_new` is anchored on (a CRM file without a
/// renewal column, then one with it): that journey's milestones still ahead, as a new account's
/// (written unless it holds milestones of that journey already). A renewal learnt months into
/// a contract planned no renewal call.
pub(super) fn milestones_learnt<'j>(
    journeys: &'j JourneysConfig,
    old: &NewAccount,
    new: &NewAccount,
    today: NaiveDate,
) -> Vec<Milestone<'j>> {
    let learnt = |anchor: journey::Anchor| match anchor {
        journey::Anchor::Start => old.customer_since.is_none() && new.customer_since.is_some(),
        journey::Anchor::Renewal => old.renewal_date.is_none() && new.renewal_date.is_some(),
    };
    plan_journeys(journeys, new.customer_since, new.renewal_date, today, learnt)
}

/// The milestones an account already in the book gets when the file moves its renewal date on
/// by a term (`journey::new_term`: the contract renewed in the CRM): the renewal journeys of
/// `journeys.apply_to_new` planned again for the new date, still ahead. Written whatever journeys
/// it holds: those are the last term's.
pub(super) fn milestones_next_term<'j>(
    journeys: &'j JourneysConfig,
    old: &NewAccount,
    start: Option<NaiveDate>,
    renewal: Option<NaiveDate>,
    today: NaiveDate,
) -> Vec<Milestone<'j>> {
    match renewal.filter(|_| journey::new_term(old.renewal_date, renewal)) {
        Some(renewal) => journeys.next_term_plan(&[], start, renewal, today),
        None => Vec::new(),
    }
}

/// The milestones `journeys.apply_to_new` plans for a new account on `today`: only those due on
/// or after today (or the customer's start, if later), so nothing an import plans is overdue on
/// the day it is planned. A customer since 2019 gets no 2019 kickoff.
pub(super) fn milestones_ahead(
    journeys: &JourneysConfig,
    start: Option<NaiveDate>,
    renewal: Option<NaiveDate>,
    today: NaiveDate,
) -> Vec<Milestone<'_>> {
    plan_journeys(journeys, start, renewal, today, |_| true)
}

/// `milestones_ahead`, with the steps already past of journeys still under way too (an import's
/// `--include-past`); with how many of those.
pub(super) fn milestones_under_way(
    journeys: &JourneysConfig,
    start: Option<NaiveDate>,
    renewal: Option<NaiveDate>,
    today: NaiveDate,
) -> (Vec<Milestone<'_>>, usize) {
    let (mut out, mut past) = (Vec::new(), 0);
    for j in &journeys.apply_to_new {
        let Some(t) = journeys.templates.get(j) else { continue };
        let (planned, passed) = journey::plan_under_way(t, start, renewal, today);
        out.extend(planned.into_iter().map(|(n, d)| (j.as_str(), n, d)));
        past += passed;
    }
    (out, past)
}

/// How many milestones of `journeys.apply_to_new` a new account's journeys leave out though they
/// are still under way (`journey::passed_under_way`), by journey, and the first as (journey,
/// milestone, due).
pub(super) fn milestones_passed(
    journeys: &JourneysConfig,
    start: Option<NaiveDate>,
    renewal: Option<NaiveDate>,
    today: NaiveDate,
) -> (Vec<(&str, usize)>, Option<Milestone<'_>>) {
    let mut passed = (Vec::new(), None);
    for j in &journeys.apply_to_new {
        let Some(t) = journeys.templates.get(j) else { continue };
        let (count, first) = journey::passed_under_way(t, start, renewal, today);
        if count > 0 {
            passed.0.push((j.as_str(), count));
        }
        passed.1 = passed.1.or(first.map(|(n, d)| (j.as_str(), n, d)));
    }
    passed
}

/// The milestones still ahead of the journeys of `journeys.apply_to_new` whose anchor `pick`
/// takes, as (journey, milestone, due).
fn plan_journeys(
    journeys: &JourneysConfig,
    start: Option<NaiveDate>,
    renewal: Option<NaiveDate>,
    today: NaiveDate,
    pick: impl Fn(journey::Anchor) -> bool,
) -> Vec<Milestone<'_>> {
    let mut out = Vec::new();
    for j in &journeys.apply_to_new {
        let Some(t) = journeys.templates.get(j).filter(|t| pick(t.anchor)) else { continue };
        out.extend(journey::plan_ahead(t, start, renewal, today).into_iter().map(|(n, d)| (j.as_str(), n, d)));
    }
    out
}
