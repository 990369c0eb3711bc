//! Renewing and churning accounts: contract events, written with the same checks from the TUI
//! and the CLI.

use chrono::NaiveDate;

use super::log::{LogError, Outcome, Result, SeamCtx, said_not_yours};
use super::storage::{BookError, BookRead, BookTxn};
use crate::domain::input::FieldError;
use crate::domain::{AccountStatus, Cents};
use crate::store::log::{ChangeAction, Entity};
use crate::store::writer::NewMilestone;
use crate::text::clean;

/// Milestones a contract change plans (journey, name, due) and closes (id, the milestone done).
type MilestoneChanges<'a> = (&'a [(&'a str, &'a str, NaiveDate)], &'a [(i64, NewMilestone)]);

/// One undoable contract change in one transaction: `change` writes the account and returns
/// the contract event and the ARR change it added; the account as it was is kept for `u`.
/// `milestones` (journey, name, due) are planned with it and `closing` (id, the milestone done)
/// written, both undone with it.
fn contract_change(
    ctx: &mut SeamCtx,
    account_id: i64,
    summary: &str,
    does: &str,
    (milestones, closing): MilestoneChanges<'_>,
    change: impl FnOnce(&mut dyn BookTxn) -> std::result::Result<(i64, Option<i64>), BookError>,
) -> Result<()> {
    let result = ctx.record(account_id, summary, |t, rec| {
        let before = t.row_json(Entity::Account, account_id)?;
        let (event, arr_change) = change(t)?;
        rec.record_in(t, Entity::Account, account_id, ChangeAction::Edit, None, Some(&before))?;
        rec.record_in(t, Entity::ContractEvent, event, ChangeAction::Add, None, None)?;
        if let Some(arr_change) = arr_change {
            rec.record_in(t, Entity::ArrChange, arr_change, ChangeAction::Add, None, None)?;
        }
        for (journey, name, due) in milestones {
            let m = NewMilestone {
                account_id,
                csm_id: t.signer(),
                journey: journey.to_string(),
                name: name.to_string(),
                due: *due,
                done: None,
                note: String::new(),
            };
            let id = t.insert_milestone(&m)?;
            rec.record_in(t, Entity::Milestone, id, ChangeAction::Add, None, None)?;
        }
        for (id, m) in closing {
            let before = t.row_json(Entity::Milestone, *id)?;
            t.update_milestone(*id, m)?;
            rec.record_in(t, Entity::Milestone, *id, ChangeAction::Edit, None, Some(&before))?;
        }
        t.invalidate_snapshots(account_id)
    });
    said_not_yours(ctx, result, account_id, does).map(|_| ())
}

/// The next renewal date a renewal on `day` runs to unless one is given: a year on from the
/// date that renews (an overdue renewal keeps its anniversary: 2025-11-12 renewed today runs to
/// 2026-11-12 or later, as an imported renewal moves it); with no date, a year from `day`. The
/// `R` form offers it and `tend renew` takes it without `--until` (from today, `+1y` let the
/// terms drift by the days a renewal came late).
pub fn next_renewal(renewal: Option<NaiveDate>, day: NaiveDate) -> Option<NaiveDate> {
    let year = chrono::Months::new(12);
    match renewal {
        Some(d) => match crate::domain::renewal::next_term(Some(d), day) {
            Some(t) if t != d => Some(t),
            _ => d.checked_add_months(year),
        },
        None => day.checked_add_months(year),
    }
}

/// A renewal's ARR as said after it: "ARR $48,000 unchanged", "ARR $48,000 -> $52,000", and an
/// ARR not on record (a blank in the CRM, kept as 0) as none, not "$0" (a probe's renewal of an
/// account without ARR read "ARR $0 unchanged").
pub(crate) fn arr_change_text(before: Cents, after: Cents, currency: &str) -> String {
    match (before.on_record(), after.on_record()) {
        (None, None) => "no ARR on record".to_string(),
        (None, Some(after)) => format!("ARR {} (none on record before)", after.full(currency)),
        _ if before == after => format!("ARR {} unchanged", after.full(currency)),
        _ => format!("ARR {} -> {}", before.full(currency), after.full(currency)),
    }
}

/// Why a renewal without a date given (`tend renew`, `R`) would renew the account again: its
/// renewal date a term ahead of `day` (renewed already, days before or by a CRM file), said with
/// its last renewal; None otherwise. A second renewal moved the date another year, and marked the
/// next term's milestones done, without a word.
pub fn renewed_already(
    book: &(impl BookRead + ?Sized),
    account: &crate::domain::Account,
    day: NaiveDate,
) -> std::result::Result<Option<String>, BookError> {
    let Some(date) = account.renewal_date.filter(|d| (*d - day).num_days() >= crate::domain::journey::NEW_TERM_DAYS)
    else {
        return Ok(None);
    };
    let events = book.contract_events(account.id)?;
    let last = events.iter().find(|e| e.kind == crate::store::contracts::ContractKind::Renewed);
    let last = last.map_or(String::new(), |e| format!(" (renewed on {})", e.day));
    let ahead = (date - day).num_days();
    Ok(Some(format!("{} renews on {date}, {ahead} days ahead{last}: renewed already?", clean(&account.name))))
}

/// The day the `R` form offers as the renewal's: today, or, for a renewal date more than 90 days
/// past (`LONG_PAST_DAYS`: a renewal being caught up on, such as an import's stale dates), the
/// latest anniversary of that date on or before today, when the contract renewed (a probe marking
/// a renewal of last May was offered today, which would count it in this month's figures). `tend
/// renew` without `--date` keeps today, as it says.
pub fn renewed_on_offered(renewal: Option<NaiveDate>, today: NaiveDate) -> NaiveDate {
    let long_past = |d: &NaiveDate| (today - *d).num_days() > crate::domain::renewal::LONG_PAST_DAYS;
    let Some(mut at) = renewal.filter(long_past) else { return today };
    while let Some(next) = at.checked_add_months(chrono::Months::new(12)).filter(|n| *n <= today) {
        at = next;
    }
    at
}

/// A renewal or a churn before the account was a customer would count in no period's figures
/// (a renewal so dated was taken, and read as the contract's day).
fn not_before_customer(account: &crate::domain::Account, day: NaiveDate) -> Result<()> {
    match account.customer_since.filter(|since| day < *since) {
        Some(since) => Err(FieldError::new(
            "date",
            format!("{day} is before {} became a customer on {since}", clean(&account.name)),
        )
        .into()),
        None => Ok(()),
    }
}

/// An account's new ARR as people write it ("$48,000", "12.000,50 EUR"), in the currency the
/// account's ARR is kept in: one naming another is refused, where it was stored as that
/// currency's amount (a probe's "6.000 €" was recorded, and said, as $6,000; on the screens'
/// form as on the command line).
pub fn arr_for(account: &crate::domain::Account, text: &str) -> std::result::Result<Cents, FieldError> {
    let (cents, named) = crate::import::values::parse_money(text)
        .map_err(|reason| FieldError::new("arr", format!("\"{}\": {reason}", clean(text))))?;
    match named.filter(|code| *code != account.currency) {
        Some(code) => Err(FieldError::new(
            "arr",
            format!(
                "\"{}\" is in {code}, and {}'s ARR is kept in {}: give the amount in {} (or with no currency); an \
                 accounts import with a Currency column changes the currency",
                clean(text),
                clean(&account.name),
                account.currency,
                account.currency
            ),
        )),
        // None on record, as a blank cell in an import is: "€10,800 -> €0" took the account out
        // of every ARR sum without a word (a probe's slip).
        None if cents.0 == 0 => Err(FieldError::new(
            "arr",
            format!(
                "an ARR of 0 is none on record, and would take {} out of every ARR sum: leave it out to keep \
                 its ARR ({}), or `tend churn` if the customer left",
                clean(&account.name),
                match account.arr.on_record() {
                    Some(_) => account.arr.full(&account.currency),
                    None => "none on record".to_string(),
                }
            ),
        )),
        None => Ok(cents),
    }
}

/// Mark an account renewed on `day`: its next renewal date, and its new ARR (unchanged if None).
pub fn renew(
    ctx: &mut SeamCtx,
    account_id: i64,
    day: NaiveDate,
    renewal: NaiveDate,
    arr: Option<Cents>,
) -> Result<Outcome> {
    let account = ctx.book.account(account_id)?;
    if day > ctx.today {
        return Err(FieldError::new("date", format!("{day} is in the future")).into());
    }
    not_before_customer(&account, day)?;
    if renewal <= day {
        return Err(FieldError::new("until", format!("the next renewal ({renewal}) must be after {day}")).into());
    }
    if arr.is_some_and(|a| a.0 < 0) {
        return Err(FieldError::new("arr", "must be 0 or more").into());
    }
    if account.status == AccountStatus::Churned {
        return Err(LogError::Refused(format!(
            "{} churned; it cannot be renewed (`tend reactivate` makes it a customer again)",
            clean(&account.name)
        )));
    }
    let new_arr = arr.unwrap_or(account.arr);
    let held = ctx.book.milestones_for(account_id)?;
    let journeys: Vec<&str> = held.iter().map(|m| m.journey.as_str()).collect();
    let journeys_config = &ctx.config.journeys;
    let mut plan = journeys_config.next_term_plan(&journeys, account.customer_since, renewal, ctx.today);
    // A renewal recorded twice (a date corrected by a second `R`) plans nothing twice.
    plan.retain(|(j, n, due)| !held.iter().any(|m| m.journey == *j && m.name == *n && m.due == *due));
    // The renewed term's renewal milestones left open are done with it, the renewal being what
    // they led to: left open, each read overdue on the renewed account (a probe's "Renewal
    // decision" listed it in Triage two days after the renewal).
    let term_end = account.renewal_date.unwrap_or(day).max(day);
    let renewal_journeys: Vec<&str> = journeys_config.renewal_journeys(&journeys).map(|(j, _)| j).collect();
    let closing: Vec<(i64, NewMilestone)> = held
        .iter()
        .filter(|m| m.done.is_none() && m.due <= term_end && renewal_journeys.contains(&m.journey.as_str()))
        .map(|m| {
            let with = crate::domain::journey::done_with_renewal(day);
            let note = if m.note.trim().is_empty() { with } else { format!("{} · {with}", m.note.trim_end()) };
            let done = NewMilestone {
                account_id,
                csm_id: None,
                journey: m.journey.clone(),
                name: m.name.clone(),
                due: m.due,
                done: Some(day),
                note,
            };
            (m.id, done)
        })
        .collect();
    let open_before: Vec<String> = closing.iter().map(|(_, m)| format!("{} (due {})", clean(&m.name), m.due)).collect();
    let changes = (plan.as_slice(), closing.as_slice());
    contract_change(ctx, account_id, &format!("renewed until {renewal}"), "marks renewals", changes, |t| {
        t.renew_account(account_id, day, renewal, new_arr)
    })?;
    let arr_text = arr_change_text(account.arr, new_arr, &account.currency);
    let mut message = format!("{}: renewed on {day} until {renewal}, {arr_text}", clean(&account.name));
    if let Some((_, first, due)) = plan.first() {
        let s = if plan.len() == 1 { "" } else { "s" };
        message.push_str(&format!(
            "; next term's renewal milestone{s} planned ({}, the first {first} on {due})",
            plan.len()
        ));
    }
    if !open_before.is_empty() {
        message.push_str(&format!(
            "; the renewed term's renewal milestones left open marked done with it: {}",
            open_before.join(", ")
        ));
    }
    Ok(Outcome { undone: false, account_id, message })
}

/// A churned account back as a customer from `day` (a new logo from that day in the retention
/// figures), at `arr` (its ARR before the churn if None).
pub fn reactivate(ctx: &mut SeamCtx, account_id: i64, day: NaiveDate, arr: Option<Cents>) -> Result<Outcome> {
    let account = ctx.book.account(account_id)?;
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
    contract_change(
        ctx,
        account_id,
        &format!("back as a customer on {day}"),
        "reactivates accounts",
        (&[], &[]),
        |t| t.reactivate_account(account_id, day, new_arr),
    )?;
    Ok(Outcome {
        undone: false,
        account_id,
        message: format!(
            "{}: back as a customer on {day}, {} ARR; a new logo from that day",
            clean(&account.name),
            new_arr.full(&account.currency)
        ),
    })
}

/// Mark an account churned on `day`, with the reason.
pub fn churn(ctx: &mut SeamCtx, account_id: i64, day: NaiveDate, reason: &str) -> Result<Outcome> {
    let account = ctx.book.account(account_id)?;
    if day > ctx.today {
        return Err(FieldError::new("date", format!("{day} is in the future")).into());
    }
    not_before_customer(&account, day)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(FieldError::new("reason", "required: why did they leave?").into());
    }
    if account.status == AccountStatus::Churned {
        return Err(LogError::Refused(format!("{} already churned", clean(&account.name))));
    }
    let result = ctx.record(account_id, &format!("churned on {day}"), |t, rec| {
        let before = t.row_json(Entity::Account, account_id)?;
        let event = t.churn_account(account_id, day, reason)?;
        rec.record_in(t, Entity::Account, account_id, ChangeAction::Edit, None, Some(&before))?;
        rec.record_in(t, Entity::ContractEvent, event, ChangeAction::Add, None, None)?;
        t.invalidate_snapshots(account_id)
    });
    said_not_yours(ctx, result, account_id, "marks churns")?;
    Ok(Outcome {
        undone: false,
        account_id,
        message: format!(
            "{}: churned on {day} ({}), {} ARR lost",
            clean(&account.name),
            clean(reason),
            account.arr.full(&account.currency)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_long_past_renewal_is_offered_as_renewed_on_its_latest_anniversary() {
        let today = d("2026-12-05");
        // Ahead, a few weeks past, or none: today.
        for renewal in [Some(d("2027-01-10")), Some(d("2026-10-01")), None] {
            assert_eq!(renewed_on_offered(renewal, today), today, "{renewal:?}");
        }
        // More than 90 days past: the date, or its latest anniversary not after today.
        assert_eq!(renewed_on_offered(Some(d("2026-05-23")), today), d("2026-05-23"));
        assert_eq!(renewed_on_offered(Some(d("2024-05-23")), today), d("2026-05-23"));
        assert_eq!(renewed_on_offered(Some(d("2023-12-05")), today), d("2026-12-05"));
        assert_eq!(renewed_on_offered(Some(d("2024-02-29")), today), d("2026-02-28"));
    }
}
