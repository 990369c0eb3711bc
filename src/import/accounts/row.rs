//! One row of an accounts file read into what it says about an account: only the fields the
//! file has, each checked, with every problem named by line, column and value.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::domain::{AccountStatus, Cents, LifecycleStage};
use crate::import::Problem;
use crate::import::columns::AccountField as F;
use crate::import::table::Table;
use crate::import::values::{DateOrder, parse_date, parse_money, parse_number};

/// What one row says about an account: only the fields the file has.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Patch {
    pub(super) external_id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) csm: Option<String>,
    pub(super) arr: Option<Cents>,
    pub(super) currency: Option<String>,
    /// The currency the header of a money cell left empty names ("MRR (€)"): the account's where
    /// it has no ARR on record, rather than the dollars of no currency at all (a probe's all-euro
    /// sheet had its blank rows' ARR set later in dollars).
    pub(super) blank_money_currency: Option<String>,
    pub(super) plan: Option<String>,
    pub(super) customer_since: Option<NaiveDate>,
    pub(super) renewal_date: Option<NaiveDate>,
    pub(super) stage: Option<LifecycleStage>,
    pub(super) status: Option<AccountStatus>,
    pub(super) churned_on: Option<NaiveDate>,
    pub(super) outcome_date: Option<NaiveDate>,
    pub(super) volume: Option<u8>,
    pub(super) advocacy: Option<u8>,
    pub(super) brand: Option<u8>,
    pub(super) expected_usage: Option<f64>,
    pub(super) tags: Option<String>,
    pub(super) notes: Option<String>,
    /// The status value of a row that is no customer (a prospect, a partner): left out.
    pub(super) not_customer: Option<String>,
    /// A subscription still in its trial (Stripe's "trialing"): a customer, not yet paying.
    pub(super) trial: bool,
    /// A subscription whose payment failed (Stripe's "past_due", "unpaid"): a customer, said.
    pub(super) unpaid: bool,
    /// The day an active subscription was canceled on, running to its period's end: churned
    /// then (`churned_on`, a churn to come), else a customer as its status says; said.
    pub(super) cancel_pending: Option<NaiveDate>,
    /// A period's end read as the renewal date of a subscription billed more often than yearly:
    /// not kept (counted in the report).
    pub(super) renews_each_period: bool,
    /// The customer-since as written where it names a month without a day ("Jan 2025"): read as
    /// the month's first day, and said.
    pub(super) since_month: Option<String>,
    /// The row's ARR and its MRR where both are given and 12 times the MRR is not the ARR (to the
    /// nearest whole unit a month): the ARR is kept, and the summary says so.
    pub(super) arr_not_mrr: Option<(Cents, Cents)>,
    /// Values of columns tend has no field for, by header (shared by every row).
    pub(super) attributes: Vec<(Arc<str>, String)>,
}

impl Patch {
    /// The row's account as a summary names it: by its name, else its external id.
    pub(super) fn named(&self) -> &str {
        self.name.as_deref().or(self.external_id.as_deref()).unwrap_or_default()
    }
}

/// What a status column says: a customer's status, or that the row is not a customer at all.
#[derive(Clone, Copy, Debug, PartialEq)]
enum StatusValue {
    Customer(AccountStatus),
    /// A CRM's prospect, lead or partner: not an account a CSM looks after.
    NotCustomer,
}

fn parse_status(text: &str) -> Option<StatusValue> {
    let text = text.trim().to_lowercase();
    // A CRM's account type ("Customer - Direct", "Customer - Churned", "Former Customer").
    if text.contains("churn") || text.starts_with("former") || text.starts_with("ex-customer") {
        return Some(StatusValue::Customer(AccountStatus::Churned));
    }
    if text.starts_with("customer -") || text.starts_with("customer –") {
        return Some(StatusValue::Customer(AccountStatus::Active));
    }
    let not_customer = [
        "prospect",
        "lead",
        "partner",
        "reseller",
        "vendor",
        "competitor",
        "investor",
        "press",
        "other",
        "subscriber",
        "opportunity",
        "marketing qualified lead",
        "sales qualified lead",
        "marketingqualifiedlead",
        "salesqualifiedlead",
    ];
    if not_customer.contains(&text.as_str()) || text.ends_with(" partner") || text.contains("partner /") {
        return Some(StatusValue::NotCustomer);
    }
    customer_status(&text).map(StatusValue::Customer)
}

fn customer_status(text: &str) -> Option<AccountStatus> {
    match text {
        "active" | "trialing" | "past_due" | "past due" | "unpaid" | "incomplete" | "customer" => {
            Some(AccountStatus::Active)
        }
        "churned" | "canceled" | "cancelled" | "incomplete_expired" | "lost" => Some(AccountStatus::Churned),
        "renewed" | "retained" => Some(AccountStatus::Renewed),
        // Churn datasets: an attrition flag, or a yes/no, 1/0 churn column.
        "attrited customer" | "attrited" | "exited" | "yes" | "y" | "true" | "1" => Some(AccountStatus::Churned),
        "existing customer" | "existing" | "no" | "n" | "false" | "0" | "evangelist" => Some(AccountStatus::Active),
        _ => None,
    }
}

/// Per-year factor of a billing interval.
fn per_year(interval: &str) -> Option<f64> {
    match interval.trim().to_lowercase().as_str() {
        "month" | "monthly" | "mo" => Some(12.0),
        "year" | "yearly" | "annual" | "annually" | "yr" => Some(1.0),
        "quarter" | "quarterly" => Some(4.0),
        "week" | "weekly" => Some(52.0),
        "day" | "daily" => Some(365.0),
        _ => None,
    }
}

/// Turns a row into a patch, with its problems.
pub(super) struct RowParser<'a> {
    table: &'a Table,
    map: &'a [Option<F>],
    order: DateOrder,
    /// The headers of the columns kept as attributes, shared rather than copied per row.
    attribute_names: Vec<Option<Arc<str>>>,
    /// Two attribute columns share a header: only then is a row's list searched for the key.
    duplicate_names: bool,
    /// The currency a column's header names ("ARR (EUR)"): its amounts' where they name none.
    header_currency: Vec<Option<&'static str>>,
}

impl<'a> RowParser<'a> {
    pub(super) fn new(table: &'a Table, map: &'a [Option<F>], order: DateOrder) -> Self {
        let attribute_names = map
            .iter()
            .zip(&table.headers)
            .map(|(field, header)| {
                (field.is_none() && !header.is_empty())
                    .then(|| Arc::from(crate::import::columns::attribute_key(header).as_str()))
            })
            .collect::<Vec<Option<Arc<str>>>>();
        let mut seen = std::collections::HashSet::new();
        let duplicate_names = !attribute_names.iter().flatten().all(|name| seen.insert(name.clone()));
        let header_currency = table.headers.iter().map(|h| crate::import::values::currency_named_in(h)).collect();
        RowParser { table, map, order, attribute_names, duplicate_names, header_currency }
    }

    pub(super) fn parse(&self, line: u64, row: &csv::StringRecord, problems: &mut Vec<Problem>) -> Patch {
        let mut p = Patch::default();
        let mut bad = |column: &str, value: &str, reason: String| {
            problems.push(Problem { line, column: column.to_string(), value: value.to_string(), reason })
        };
        let (mut amount, mut interval, mut quantity, mut mrr) = (None, None, None, None);
        for (i, field) in self.map.iter().enumerate() {
            let header = &self.table.headers[i];
            let value = self.table.cell(row, i);
            let Some(field) = field else {
                if let Some(key) = self.attribute_names[i].as_ref().filter(|_| !value.is_empty()) {
                    // Two columns with one header: the later one's value is kept.
                    let earlier =
                        if self.duplicate_names { p.attributes.iter_mut().find(|(k, _)| k == key) } else { None };
                    match earlier {
                        Some(kv) => kv.1 = value.to_string(),
                        None => p.attributes.push((key.clone(), value.to_string())),
                    }
                }
                continue;
            };
            // "N/A", "TBD", "-": what a spreadsheet puts where it has no amount, day, score or
            // owner, as a blank cell (an owner "N/A" was a CSM of that name). Text is kept as it
            // is written: a name, an id or a plan of "-" exports and imports back as itself.
            let valued = matches!(
                field,
                F::Csm
                    | F::Currency
                    | F::Arr
                    | F::Mrr
                    | F::Amount
                    | F::Quantity
                    | F::CustomerSince
                    | F::RenewalDate
                    | F::ChurnedOn
                    | F::OutcomeDate
                    | F::VolumeScore
                    | F::AdvocacyScore
                    | F::BrandScore
                    | F::ExpectedUsage
            );
            if value.is_empty() || (valued && crate::import::values::says_no_value(value)) {
                if matches!(field, F::Arr | F::Mrr | F::Amount) {
                    p.blank_money_currency = self.header_currency[i].map(str::to_string);
                }
                continue;
            }
            let date = |bad: &mut dyn FnMut(&str, &str, String)| match parse_date(value, self.order) {
                Ok(d) => Some(d),
                Err(reason) => {
                    bad(header, value, reason);
                    None
                }
            };
            let score = |bad: &mut dyn FnMut(&str, &str, String)| match value.parse::<u8>() {
                Ok(n) if (1..=4).contains(&n) => Some(n),
                _ => {
                    bad(header, value, "a score 1-4 is needed".into());
                    None
                }
            };
            match field {
                F::ExternalId => p.external_id = Some(value.to_string()),
                F::Name => p.name = Some(value.to_string()),
                // "Maya  Patel" (two spaces) is Maya Patel, not a CSM of her own.
                F::Csm => p.csm = Some(crate::text::single_spaced(value)),
                F::Arr | F::Mrr | F::Amount => match parse_money(value) {
                    Ok((cents, currency)) => {
                        match field {
                            F::Arr => p.arr = Some(cents),
                            // Twelve months of it may pass the most one amount may be.
                            F::Mrr => match crate::import::values::within_money_bound(Cents(cents.0.saturating_mul(12))) {
                                Ok(()) => mrr = Some(cents),
                                Err(reason) => bad(header, value, format!("12 times it, the ARR, is {reason}")),
                            },
                            _ => amount = Some(cents),
                        }
                        // An amount that names no currency is in the one its header names: a
                        // probe's "ARR (EUR)" column's "10.057,00" was read as dollars.
                        if p.currency.is_none() {
                            p.currency = currency.or(self.header_currency[i]).map(str::to_string);
                        }
                    }
                    // "n/a", "TBD": a cell left empty is the way to say there is none.
                    Err(reason) => bad(header, value, format!("{reason} (an empty cell is none on record)")),
                },
                F::Interval => match per_year(value) {
                    Some(f) => interval = Some(f),
                    None => bad(header, value, "not a billing interval (month, year, quarter, week, day)".into()),
                },
                F::Quantity => match parse_number(value) {
                    Some(q) if q >= 0.0 => quantity = Some(q),
                    _ => bad(header, value, "not a quantity".into()),
                },
                F::Currency => {
                    let code = value.to_uppercase();
                    if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) {
                        p.currency = Some(code);
                    } else {
                        bad(header, value, "not a three-letter currency code".into());
                    }
                }
                F::Plan => p.plan = Some(value.to_string()),
                // A month without a day ("Jan 2025", "2025-01"), as spreadsheets kept by hand
                // write when a customer started (a probe's founder had three refused): its first
                // day, said in the summary. Renewal and churn days stay days: a month is no date
                // to renew on.
                F::CustomerSince => match parse_date(value, self.order) {
                    Ok(d) => p.customer_since = Some(d),
                    Err(reason) => match crate::domain::day_text::month_start(value) {
                        Some(first) => {
                            p.customer_since = Some(first);
                            p.since_month = Some(value.to_string());
                        }
                        None => bad(header, value, format!("{reason}; or a month, as Jan 2025")),
                    },
                },
                F::RenewalDate => p.renewal_date = date(&mut bad),
                F::ChurnedOn => p.churned_on = date(&mut bad),
                F::OutcomeDate => p.outcome_date = date(&mut bad),
                F::Stage => match LifecycleStage::from_key(&value.to_lowercase()) {
                    Some(s) => p.stage = Some(s),
                    None => {
                        bad(header, value, "not a stage (onboarding, adoption, renewal, expansion, advocacy)".into())
                    }
                },
                F::Status => match parse_status(value) {
                    Some(StatusValue::Customer(s)) => {
                        p.status = Some(s);
                        p.trial = value.trim().eq_ignore_ascii_case("trialing");
                        p.unpaid = ["past_due", "past due", "unpaid"].iter().any(|s| value.trim().eq_ignore_ascii_case(s));
                    }
                    Some(StatusValue::NotCustomer) => p.not_customer = Some(value.to_string()),
                    None => bad(
                        header,
                        value,
                        "not a status or outcome (active, churned, renewed; a CRM's type, such as Customer or Prospect; yes/no or 1/0 for a churn flag)".into(),
                    ),
                },
                F::VolumeScore => p.volume = score(&mut bad),
                F::AdvocacyScore => p.advocacy = score(&mut bad),
                F::BrandScore => p.brand = score(&mut bad),
                F::ExpectedUsage => match parse_number(value) {
                    Some(u) if u >= 0.0 => p.expected_usage = Some(u),
                    _ => bad(header, value, "not a number of 0 or more".into()),
                },
                F::Tags => p.tags = Some(value.to_string()),
                F::Notes => p.notes = Some(value.to_string()),
                F::Ignore => {}
            }
        }
        // A file with both an ARR and an MRR column: the ARR where the row has one (the order of
        // the columns decided before, and a probe's ARR of 12,000 beside an MRR of 5,000 was
        // kept as 60,000 without a word), 12 times the MRR where it has none.
        if let Some(mrr) = mrr {
            let yearly = Cents(mrr.0.saturating_mul(12));
            // An ARR of 0 is none on record (a CRM's blank): the MRR says what there is.
            match p.arr.filter(|arr| arr.0 != 0) {
                Some(arr) if (arr.0 - yearly.0).abs() > 1200 => p.arr_not_mrr = Some((arr, mrr)),
                Some(_) => {}
                None => p.arr = Some(yearly),
            }
        }
        if let Some(amount) = amount {
            match interval {
                Some(f) => p.arr = Some(Cents::from_units(amount.units() * quantity.unwrap_or(1.0) * f)),
                None => bad("interval", "", "an amount needs its billing interval to make ARR".into()),
            }
        }
        // An amount times its quantity and interval may pass the most one amount may be where
        // the amount itself did not.
        if let (Some(arr), Some(amount)) = (p.arr.filter(|_| amount.is_some()), amount)
            && let Err(reason) = crate::import::values::within_money_bound(arr)
        {
            let said = crate::domain::account::thousands(amount.units().max(0.0) as u64);
            bad(
                "amount",
                &said,
                format!("the ARR it makes, {}, is {reason}", arr.full(p.currency.as_deref().unwrap_or("USD"))),
            );
        }
        // A subscription still active with a cancellation dated (Stripe's "cancel at period end":
        // canceled on one day, running to its period's end) churns when its period ends, a
        // customer until then; with no period's end, a customer as its status says. Kept as
        // churned on the day it was canceled, it counted in retention while every list had it
        // live (a probe's). Its period's end is no renewal: kept as one, it stood in the forecast
        // at 60% and on Triage as "renews in 3 days" (the probe's re-check).
        if let Some(canceled) = p.churned_on.filter(|_| p.status.is_some_and(|s| s != AccountStatus::Churned)) {
            p.churned_on = p.renewal_date.take().filter(|end| *end >= canceled);
            p.cancel_pending = Some(canceled);
        }
        // A subscription billed monthly (or more often) renews itself each period: its period's
        // end is the next charge, not a renewal to prepare for, and would put every monthly
        // customer on the Renewals list each month.
        if interval.is_some_and(|per_year| per_year > 1.0) && p.renewal_date.take().is_some() {
            p.renews_each_period = true;
        }
        // A churned status with a cancel date, or a cancel date alone, means churned.
        if p.churned_on.is_some() && p.status.is_none() {
            p.status = Some(AccountStatus::Churned);
        }
        // An outcome date is the churn day of a churned account.
        if p.status == Some(AccountStatus::Churned) && p.churned_on.is_none() {
            p.churned_on = p.outcome_date;
        }
        p
    }
}
