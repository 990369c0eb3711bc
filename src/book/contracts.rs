//! Renewing and churning accounts: contract events, written with the same checks from the TUI
//! and the CLI.

use chrono::NaiveDate;

use super::log::{Ctx, LogError, Outcome, Recorder, Result, sign};
use crate::domain::input::FieldError;
use crate::domain::{AccountStatus, Cents};
use crate::store::log::{ChangeAction, Entity};
use crate::text::clean;

/// One undoable contract change in one transaction: `change` writes the account and returns
/// the contract event and the ARR change it added; the account as it was is kept for `u`.
fn contract_change(
    ctx: &mut Ctx,
    account_id: i64,
    summary: &str,
    change: impl FnOnce(&mut crate::store::Writer<'_>) -> crate::store::Result<(i64, Option<i64>)>,
) -> Result<()> {
    let signer = ctx.signer_name();
    let rec = Recorder::new(ctx.session, summary);
    ctx.store.write(|w| {
        sign(w, signer.as_deref(), account_id)?;
        let before = w.row_json(Entity::Account, account_id)?;
        let (event, arr_change) = change(w)?;
        rec.record(w, Entity::Account, account_id, ChangeAction::Edit, None, Some(&before))?;
        rec.record(w, Entity::ContractEvent, event, ChangeAction::Add, None, None)?;
        if let Some(arr_change) = arr_change {
            rec.record(w, Entity::ArrChange, arr_change, ChangeAction::Add, None, None)?;
        }
        w.invalidate_snapshots(account_id)
    })?;
    Ok(())
}

/// Mark an account renewed on `day`: its next renewal date, and its new ARR (unchanged if None).
pub fn renew(
    ctx: &mut Ctx,
    account_id: i64,
    day: NaiveDate,
    renewal: NaiveDate,
    arr: Option<Cents>,
) -> Result<Outcome> {
    let account = ctx.store.account(account_id)?;
    if day > ctx.today {
        return Err(FieldError::new("date", format!("{day} is in the future")).into());
    }
    if renewal <= day {
        return Err(FieldError::new("renewal", format!("the next renewal ({renewal}) must be after {day}")).into());
    }
    if arr.is_some_and(|a| a.0 < 0) {
        return Err(FieldError::new("arr", "must be 0 or more").into());
    }
    if account.status == AccountStatus::Churned {
        return Err(LogError::Refused(format!("{} churned; it cannot be renewed", clean(&account.name))));
    }
    let new_arr = arr.unwrap_or(account.arr);
    contract_change(ctx, account_id, &format!("renewed until {renewal}"), |w| {
        w.renew_account(account_id, day, renewal, new_arr)
    })?;
    let arr_text = if new_arr == account.arr {
        format!("ARR {} unchanged", new_arr.full(&account.currency))
    } else {
        format!("ARR {} -> {}", account.arr.full(&account.currency), new_arr.full(&account.currency))
    };
    Ok(Outcome {
        account_id,
        message: format!("{}: renewed on {day} until {renewal}, {arr_text}", clean(&account.name)),
    })
}

/// A churned account back as a customer from `day` (a new logo from that day in the retention
/// figures), at `arr` (its ARR before the churn if None).
pub fn reactivate(ctx: &mut Ctx, account_id: i64, day: NaiveDate, arr: Option<Cents>) -> Result<Outcome> {
    let account = ctx.store.account(account_id)?;
    if day > ctx.today {
        return Err(FieldError::new("date", format!("{day} is in the future")).into());
    }
    if account.status != AccountStatus::Churned {
        return Err(LogError::Refused(format!("{} has not churned; nothing to reactivate", clean(&account.name))));
    }
    if let Some(churned) = account.churned_on.filter(|c| day < *c) {
        return Err(FieldError::new("date", format!("{day} is before its churn on {churned}")).into());
    }
    if arr.is_some_and(|a| a.0 < 0) {
        return Err(FieldError::new("arr", "must be 0 or more").into());
    }
    let new_arr = arr.unwrap_or(account.arr);
    contract_change(ctx, account_id, &format!("back as a customer on {day}"), |w| {
        w.reactivate_account(account_id, day, new_arr)
    })?;
    Ok(Outcome {
        account_id,
        message: format!(
            "{}: back as a customer on {day}, {} ARR; a new logo from that day",
            clean(&account.name),
            new_arr.full(&account.currency)
        ),
    })
}

/// Mark an account churned on `day`, with the reason.
pub fn churn(ctx: &mut Ctx, account_id: i64, day: NaiveDate, reason: &str) -> Result<Outcome> {
    let account = ctx.store.account(account_id)?;
    if day > ctx.today {
        return Err(FieldError::new("date", format!("{day} is in the future")).into());
    }
    // A churn before the account was a customer would count in no period's figures.
    if let Some(since) = account.customer_since.filter(|since| day < *since) {
        return Err(FieldError::new(
            "date",
            format!("{day} is before {} became a customer on {since}", clean(&account.name)),
        )
        .into());
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(FieldError::new("reason", "required: why did they leave?").into());
    }
    if account.status == AccountStatus::Churned {
        return Err(LogError::Refused(format!("{} already churned", clean(&account.name))));
    }
    let signer = ctx.signer_name();
    let rec = Recorder::new(ctx.session, &format!("churned on {day}"));
    ctx.store.write(|w| {
        sign(w, signer.as_deref(), account_id)?;
        let before = w.row_json(Entity::Account, account_id)?;
        let event = w.churn_account(account_id, day, reason)?;
        rec.record(w, Entity::Account, account_id, ChangeAction::Edit, None, Some(&before))?;
        rec.record(w, Entity::ContractEvent, event, ChangeAction::Add, None, None)?;
        w.invalidate_snapshots(account_id)
    })?;
    Ok(Outcome {
        account_id,
        message: format!(
            "{}: churned on {day} ({}), {} ARR lost",
            clean(&account.name),
            clean(reason),
            account.arr.full(&account.currency)
        ),
    })
}
