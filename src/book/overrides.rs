//! Overriding an account's band: a CSM's judgement, with a reason and an expiry, that no
//! recompute or import removes.

use chrono::NaiveDate;

use super::log::{LogError, Outcome, Recorder, Result, SeamCtx};
use super::storage::{BookError, BookTxn};
use crate::domain::HealthBand;
use crate::domain::input::FieldError;
use crate::store::log::{ChangeAction, Entity};
use crate::text::clean;

/// The longest an override may last: judgement goes stale too.
pub const MAX_DAYS: i64 = 366;

/// Override an account's band from today until `expires_on` (the first day it no longer applies).
pub fn set(
    ctx: &mut SeamCtx,
    account_id: i64,
    band: HealthBand,
    reason: &str,
    expires_on: NaiveDate,
) -> Result<Outcome> {
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
    let result = ctx.record(account_id, &format!("band set to {}", band.label()), |t, rec| {
        record_clearing(t, rec, account_id, today)?;
        let id = t.set_band_override(account_id, band, reason, today, expires_on)?;
        rec.record_in(t, Entity::BandOverride, id, ChangeAction::Add, None, None)
    });
    let mut outcome = super::log::said_not_yours(ctx, result, account_id, "overrides bands")?;
    outcome.message = format!("{} until {expires_on} ({})", outcome.message, clean(reason));
    Ok(outcome)
}

/// End an account's override today.
pub fn clear(ctx: &mut SeamCtx, account_id: i64) -> Result<Outcome> {
    let today = ctx.today;
    if !ctx.book.overrides_for(account_id)?.iter().any(|o| o.applies_on(today)) {
        let name = super::names::spoken_name(&*ctx.book, account_id)?;
        return Err(LogError::Refused(format!("{name} has no band override in force")));
    }
    let result = ctx.record(account_id, "band override cleared", |t, rec| {
        record_clearing(t, rec, account_id, today)?;
        t.clear_band_override(account_id, today)
    });
    let mut outcome = super::log::said_not_yours(ctx, result, account_id, "overrides bands")?;
    outcome.message.push_str("; the computed band applies");
    Ok(outcome)
}

/// Record the overrides in force that clearing (or a new override) is about to end, as they are,
/// so `u` can put them back.
fn record_clearing(
    t: &mut dyn BookTxn,
    rec: &Recorder,
    account_id: i64,
    day: NaiveDate,
) -> std::result::Result<(), BookError> {
    for id in t.band_overrides_in_force(account_id, day)? {
        let before = t.row_json(Entity::BandOverride, id)?;
        rec.record_in(t, Entity::BandOverride, id, ChangeAction::Edit, None, Some(&before))?;
    }
    Ok(())
}
