//! Overriding an account's band: a CSM's judgement, with a reason and an expiry, that no
//! recompute or import removes.

use chrono::NaiveDate;

use super::log::{Ctx, LogError, Outcome, Recorder, Result, sign};
use crate::domain::HealthBand;
use crate::domain::input::FieldError;
use crate::store::Writer;
use crate::store::log::{ChangeAction, Entity};
use crate::text::clean;

/// The longest an override may last: judgement goes stale too.
pub const MAX_DAYS: i64 = 366;

/// Override an account's band from today until `expires_on` (the first day it no longer applies).
pub fn set(ctx: &mut Ctx, account_id: i64, band: HealthBand, reason: &str, expires_on: NaiveDate) -> Result<Outcome> {
    let account = ctx.store.account(account_id)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(FieldError::new("reason", "required: why does the score not tell the truth?").into());
    }
    let today = ctx.today;
    if expires_on <= today {
        return Err(FieldError::new("until", format!("must be after today ({today})")).into());
    }
    if (expires_on - today).num_days() > MAX_DAYS {
        return Err(FieldError::new("until", format!("at most {MAX_DAYS} days ahead")).into());
    }
    let signer = ctx.signer_name();
    let rec = Recorder::new(ctx.session, &format!("band set to {}", band.label()));
    ctx.store.write(|w| {
        sign(w, signer.as_deref(), account_id)?;
        record_clearing(w, &rec, account_id, today)?;
        let id = w.set_band_override(account_id, band, reason, today, expires_on)?;
        rec.record(w, Entity::BandOverride, id, ChangeAction::Add, None, None)
    })?;
    Ok(Outcome {
        account_id,
        message: format!(
            "{}: band set to {} until {expires_on} ({})",
            clean(&account.name),
            band.label(),
            clean(reason)
        ),
    })
}

/// End an account's override today.
pub fn clear(ctx: &mut Ctx, account_id: i64) -> Result<Outcome> {
    let account = ctx.store.account(account_id)?;
    let today = ctx.today;
    if !ctx.store.overrides_for(account_id)?.iter().any(|o| o.applies_on(today)) {
        return Err(LogError::Refused(format!("{} has no band override in force", clean(&account.name))));
    }
    let rec = Recorder::new(ctx.session, "band override cleared");
    ctx.store.write(|w| {
        record_clearing(w, &rec, account_id, today)?;
        w.clear_band_override(account_id, today)
    })?;
    Ok(Outcome {
        account_id,
        message: format!("{}: band override cleared; the computed band applies", clean(&account.name)),
    })
}

/// Record the overrides in force that clearing (or a new override) is about to end, as they are,
/// so `u` can put them back.
fn record_clearing(w: &mut Writer, rec: &Recorder, account_id: i64, day: NaiveDate) -> crate::store::Result<()> {
    for id in w.band_overrides_in_force(account_id, day)? {
        let before = w.row_json(Entity::BandOverride, id)?;
        rec.record(w, Entity::BandOverride, id, ChangeAction::Edit, None, Some(&before))?;
    }
    Ok(())
}
