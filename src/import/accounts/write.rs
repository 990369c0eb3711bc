//! Writing planned rows, a batch at a time, inside the import's one transaction.

use chrono::NaiveDate;

use super::plan::{Batch, Planned};
use crate::domain::journey::{self, JourneysConfig};
use crate::store::{NewAccountRow, Result, Writer};

/// Writes batches of planned rows, adding the CSMs new to the book as they come.
pub(super) struct Applier<'a> {
    /// The ids of the CSMs added, by stand-in: stand-in `-i - 1` is `added_csms[i]`.
    pub(super) added_csms: Vec<i64>,
    /// The journeys to plan for new accounts (none when restoring an export).
    pub(super) journeys: Option<&'a JourneysConfig>,
    /// The day ARR changes are recorded on, and the first day a planned milestone may be due.
    pub(super) today: NaiveDate,
    /// Milestones planned so far.
    pub(super) milestones: usize,
}

impl Applier<'_> {
    pub(super) fn apply(&mut self, w: &mut Writer<'_>, batch: Batch) -> Result<()> {
        debug_assert_eq!(batch.first, self.added_csms.len());
        for name in &batch.new_csms {
            self.added_csms.push(w.csm_id(name)?);
        }
        let mut new_rows = Vec::new();
        let mut new_extras = Vec::new();
        for planned in batch.rows {
            match planned {
                Planned::New { mut row, renewed_on } => {
                    row.account.csm_id = self.real_csm(row.account.csm_id);
                    new_extras.push(renewed_on);
                    new_rows.push(row);
                }
                Planned::Update { id, mut account, old_arr, attributes, renewed_on, came_back } => {
                    account.csm_id = self.real_csm(account.csm_id);
                    w.update_account(id, &account)?;
                    if let Some(churned_on) = came_back {
                        // Back as a customer from the import day: a new logo from then on.
                        w.record_return(id, self.today, churned_on, old_arr, account.arr)?;
                    }
                    if let Some(day) = renewed_on {
                        w.record_renewal_outcome(id, day)?;
                    }
                    if account.arr != old_arr {
                        w.record_arr_change(id, self.today, old_arr, account.arr, "import")?;
                    }
                    if let Some(json) = &attributes {
                        w.replace_attributes(id, json)?;
                    }
                    w.invalidate_snapshots(id)?;
                }
            }
        }
        let ids = w.insert_accounts(&new_rows)?;
        for ((id, row), renewed_on) in ids.into_iter().zip(&new_rows).zip(new_extras) {
            if let Some(day) = renewed_on {
                w.record_renewal_outcome(id, day)?;
            }
            self.plan_journeys(w, id, row)?;
        }
        Ok(())
    }

    /// A CSM id with stand-ins replaced by the ids of the CSMs added.
    fn real_csm(&self, id: Option<i64>) -> Option<i64> {
        match id {
            Some(stand_in) if stand_in < 0 => self.added_csms.get((-stand_in - 1) as usize).copied(),
            id => id,
        }
    }

    /// New accounts get the journeys the config plans for them: the milestones still ahead.
    fn plan_journeys(&mut self, w: &mut Writer<'_>, id: i64, row: &NewAccountRow) -> Result<()> {
        let Some(journeys) = self.journeys else { return Ok(()) };
        let account = &row.account;
        for (j, name, due) in milestones_ahead(journeys, account.customer_since, account.renewal_date, self.today) {
            w.insert_planned_milestone(id, j, name, due)?;
            self.milestones += 1;
        }
        Ok(())
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
) -> Vec<(&str, &str, NaiveDate)> {
    let mut out = Vec::new();
    for j in &journeys.apply_to_new {
        let Some(t) = journeys.templates.get(j) else { continue };
        out.extend(journey::plan_ahead(t, start, renewal, today).into_iter().map(|(n, d)| (j.as_str(), n, d)));
    }
    out
}
