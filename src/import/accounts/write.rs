//! Writing planned rows, a batch at a time, inside the import's one transaction.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::plan::Planned;
use crate::domain::journey::{self, JourneysConfig};
use crate::store::{NewAccountRow, NewMilestone, Result, Writer};

/// Writes batches of planned rows; learns the ids of CSMs it adds on the way.
pub(super) struct Applier<'a> {
    pub(super) csm_ids: HashMap<String, i64>,
    /// The journeys to plan for new accounts (none when restoring an export).
    pub(super) journeys: Option<&'a JourneysConfig>,
    /// The day ARR changes are recorded on.
    pub(super) today: NaiveDate,
}

impl Applier<'_> {
    pub(super) fn apply(&mut self, w: &mut Writer<'_>, batch: Vec<Planned>) -> Result<()> {
        let mut new_rows = Vec::new();
        let mut new_extras = Vec::new();
        for planned in batch {
            match planned {
                Planned::New { mut row, csm, renewed_on } => {
                    if let Some(name) = csm {
                        row.account.csm_id = Some(self.csm_id(w, name)?);
                    }
                    new_extras.push(renewed_on);
                    new_rows.push(row);
                }
                Planned::Update { id, mut account, csm, old_arr, attributes, renewed_on } => {
                    if let Some(name) = csm {
                        account.csm_id = Some(self.csm_id(w, name)?);
                    }
                    w.update_account(id, &account)?;
                    if let Some(day) = renewed_on {
                        w.record_renewal_outcome(id, day)?;
                    }
                    if account.arr != old_arr {
                        w.record_arr_change(id, self.today, old_arr, account.arr, "import")?;
                    }
                    for (k, v) in &attributes {
                        w.set_attribute(id, k, v)?;
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

    fn csm_id(&mut self, w: &mut Writer<'_>, name: String) -> Result<i64> {
        if let Some(id) = self.csm_ids.get(&name) {
            return Ok(*id);
        }
        let id = w.csm_id(&name)?;
        self.csm_ids.insert(name, id);
        Ok(id)
    }

    /// New accounts get the journeys the config plans for them.
    fn plan_journeys(&self, w: &mut Writer<'_>, id: i64, row: &NewAccountRow) -> Result<()> {
        let Some(journeys) = self.journeys else { return Ok(()) };
        let account = &row.account;
        for j in &journeys.apply_to_new {
            let Some(t) = journeys.templates.get(j) else { continue };
            let Ok(planned) = journey::plan(t, account.customer_since, account.renewal_date) else { continue };
            for (name, due) in planned {
                let m = NewMilestone {
                    account_id: id,
                    csm_id: account.csm_id,
                    journey: *j,
                    name,
                    due,
                    done: None,
                    note: String::new(),
                };
                w.insert_milestone(&m)?;
            }
        }
        Ok(())
    }
}
