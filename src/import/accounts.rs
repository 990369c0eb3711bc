//! `tend import accounts`: upsert accounts keyed on external id (or name), all or nothing.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::columns::{AccountField as F, aliases_of, map_headers};
use super::table::{Source, Table, read_table};
use super::values::{DateOrder, DateSurvey, parse_date, parse_money, parse_number};
use super::{ImportError, ImportOptions, ImportReport, Problem, progress, reject, rows_error, save_rejects};
use crate::config::Config;
use crate::domain::journey;
use crate::domain::{Account, AccountStatus, Cents, LifecycleStage};
use crate::store::{NewAccount, NewMilestone, Store};

/// What one row says about an account: only the fields the file has.
#[derive(Clone, Debug, Default, PartialEq)]
struct Patch {
    line: u64,
    external_id: Option<String>,
    name: Option<String>,
    csm: Option<String>,
    arr: Option<Cents>,
    currency: Option<String>,
    plan: Option<String>,
    customer_since: Option<NaiveDate>,
    renewal_date: Option<NaiveDate>,
    stage: Option<LifecycleStage>,
    status: Option<AccountStatus>,
    churned_on: Option<NaiveDate>,
    outcome_date: Option<NaiveDate>,
    volume: Option<u8>,
    advocacy: Option<u8>,
    brand: Option<u8>,
    expected_usage: Option<f64>,
    tags: Option<String>,
    notes: Option<String>,
    attributes: Vec<(String, String)>,
}

fn parse_status(text: &str) -> Option<AccountStatus> {
    match text.trim().to_lowercase().as_str() {
        "active" | "trialing" | "past_due" | "past due" | "unpaid" | "incomplete" | "customer" => {
            Some(AccountStatus::Active)
        }
        "churned" | "canceled" | "cancelled" | "incomplete_expired" | "lost" => Some(AccountStatus::Churned),
        "renewed" | "retained" => Some(AccountStatus::Renewed),
        // Churn datasets: an attrition flag, or a yes/no, 1/0 churn column.
        "attrited customer" | "attrited" | "exited" | "yes" | "y" | "true" | "1" => Some(AccountStatus::Churned),
        "existing customer" | "existing" | "no" | "n" | "false" | "0" => Some(AccountStatus::Active),
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

struct RowParser<'a> {
    table: &'a Table,
    map: &'a [Option<F>],
    order: DateOrder,
}

impl RowParser<'_> {
    fn parse(&self, line: u64, row: &csv::StringRecord, problems: &mut Vec<Problem>) -> Patch {
        let mut p = Patch { line, ..Default::default() };
        let mut bad = |column: &str, value: &str, reason: String| {
            problems.push(Problem { line, column: column.to_string(), value: value.to_string(), reason })
        };
        let (mut amount, mut interval, mut quantity) = (None, None, None);
        for (i, field) in self.map.iter().enumerate() {
            let header = &self.table.headers[i];
            let value = self.table.cell(row, i);
            let Some(field) = field else {
                if !value.is_empty() && !header.is_empty() {
                    p.attributes.push((header.clone(), value.to_string()));
                }
                continue;
            };
            if value.is_empty() {
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
                F::Csm => p.csm = Some(value.to_string()),
                F::Arr | F::Mrr | F::Amount => match parse_money(value) {
                    Ok((cents, currency)) => {
                        match field {
                            F::Arr => p.arr = Some(cents),
                            F::Mrr => p.arr = Some(Cents(cents.0 * 12)),
                            _ => amount = Some(cents),
                        }
                        if p.currency.is_none() {
                            p.currency = currency.map(str::to_string);
                        }
                    }
                    Err(reason) => bad(header, value, reason),
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
                F::CustomerSince => p.customer_since = date(&mut bad),
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
                    Some(s) => p.status = Some(s),
                    None => bad(
                        header,
                        value,
                        "not a status or outcome (active, churned, renewed; yes/no or 1/0 for a churn flag)".into(),
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
        if let Some(amount) = amount {
            match interval {
                Some(f) => p.arr = Some(Cents::from_units(amount.units() * quantity.unwrap_or(1.0) * f)),
                None => bad("interval", "", "an amount needs its billing interval to make ARR".into()),
            }
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

/// The account as the store would hold it after the patch.
fn merged(base: &NewAccount, p: &Patch, csm_id: Option<i64>) -> NewAccount {
    let mut a = base.clone();
    let take = |v: &Option<String>, old: &String| v.clone().unwrap_or_else(|| old.clone());
    a.external_id = take(&p.external_id, &a.external_id);
    a.name = take(&p.name, &a.name);
    if p.csm.is_some() {
        a.csm_id = csm_id;
    }
    a.arr = p.arr.unwrap_or(a.arr);
    a.currency = take(&p.currency, &a.currency);
    a.plan = p.plan.clone().or(a.plan);
    a.customer_since = p.customer_since.or(a.customer_since);
    a.renewal_date = p.renewal_date.or(a.renewal_date);
    a.stage = p.stage.unwrap_or(a.stage);
    a.status = p.status.unwrap_or(a.status);
    a.churned_on = p.churned_on.or(a.churned_on);
    a.segment_inputs.volume = p.volume.or(a.segment_inputs.volume);
    a.segment_inputs.advocacy = p.advocacy.or(a.segment_inputs.advocacy);
    a.segment_inputs.brand = p.brand.or(a.segment_inputs.brand);
    a.expected_usage = p.expected_usage.or(a.expected_usage);
    a.tags = take(&p.tags, &a.tags);
    a.notes = take(&p.notes, &a.notes);
    a
}

fn as_new(a: &Account, csm_ids: &HashMap<String, i64>) -> NewAccount {
    NewAccount {
        external_id: a.external_id.clone(),
        name: a.name.clone(),
        csm_id: a.csm.as_ref().and_then(|c| csm_ids.get(c).copied()),
        arr: a.arr,
        currency: a.currency.clone(),
        plan: a.plan.clone(),
        customer_since: a.customer_since,
        renewal_date: a.renewal_date,
        stage: a.stage,
        status: a.status,
        churned_on: a.churned_on,
        segment_inputs: a.segment_inputs,
        expected_usage: a.expected_usage,
        tags: a.tags.clone(),
        notes: a.notes.clone(),
    }
}

/// The fields that differ, as "field old -> new" (for the dry-run sample).
fn differences(old: &NewAccount, new: &NewAccount, csm_names: &HashMap<i64, String>) -> Vec<String> {
    let opt = |d: Option<String>| d.unwrap_or_else(|| "—".into());
    let csm = |id: Option<i64>| opt(id.and_then(|i| csm_names.get(&i).cloned()));
    let mut out = Vec::new();
    let mut diff = |field: &str, a: String, b: String| {
        if a != b {
            out.push(format!("{field} {a} -> {b}"));
        }
    };
    diff("name", old.name.clone(), new.name.clone());
    diff("csm", csm(old.csm_id), csm(new.csm_id));
    diff("arr", old.arr.full(&old.currency), new.arr.full(&new.currency));
    diff("currency", old.currency.clone(), new.currency.clone());
    diff("plan", opt(old.plan.clone()), opt(new.plan.clone()));
    diff(
        "customer_since",
        opt(old.customer_since.map(|d| d.to_string())),
        opt(new.customer_since.map(|d| d.to_string())),
    );
    diff("renewal_date", opt(old.renewal_date.map(|d| d.to_string())), opt(new.renewal_date.map(|d| d.to_string())));
    diff("stage", old.stage.key().into(), new.stage.key().into());
    diff("status", old.status.key().into(), new.status.key().into());
    diff("churned_on", opt(old.churned_on.map(|d| d.to_string())), opt(new.churned_on.map(|d| d.to_string())));
    diff("segment inputs", format!("{:?}", old.segment_inputs), format!("{:?}", new.segment_inputs));
    diff("expected_usage", format!("{:?}", old.expected_usage), format!("{:?}", new.expected_usage));
    diff("tags", old.tags.clone(), new.tags.clone());
    diff("notes", old.notes.clone(), new.notes.clone());
    out
}

/// New accounts from which an import rebuilds the CSM index once instead of keeping it up.
const BULK_ROWS: usize = 50_000;

enum Action {
    New(NewAccount, Vec<(String, String)>, Option<NaiveDate>),
    Update {
        id: i64,
        account: NewAccount,
        old_arr: Cents,
        attributes: Vec<(String, String)>,
        renewed_on: Option<NaiveDate>,
    },
}

/// The day a row says the account renewed (a renewed outcome with an outcome date).
fn renewed_on(p: &Patch) -> Option<NaiveDate> {
    p.outcome_date.filter(|_| p.status == Some(AccountStatus::Renewed))
}

pub fn import_accounts(
    store: &mut Store,
    config: &Config,
    source: &Source,
    opts: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    let table = read_table(source)?;
    let name = table.source.clone();
    let map = map_headers(&table.headers, opts.preset, &config.import.columns);
    let has = |f: F| map.contains(&Some(f));
    if !has(F::Name) && !has(F::ExternalId) {
        let mut aliases: Vec<String> = aliases_of(F::Name).into_iter().map(|a| format!("\"{a}\"")).collect();
        aliases.truncate(5);
        return Err(ImportError::MissingColumn { file: name, what: "the account name".into(), aliases });
    }

    // Decide the date order once, for the whole file.
    let date_columns: Vec<usize> = map
        .iter()
        .enumerate()
        .filter(|(_, f)| matches!(f, Some(F::CustomerSince | F::RenewalDate | F::ChurnedOn)))
        .map(|(i, _)| i)
        .collect();
    let mut survey = DateSurvey::default();
    let mut row_count = 0usize;
    table.for_each_row(|_, row| {
        row_count += 1;
        for &i in &date_columns {
            survey.see(table.cell(row, i));
        }
    })?;
    let order =
        survey.decide(config.import.date_order).map_err(|reason| ImportError::Dates { file: name.clone(), reason })?;

    // What the book holds, to match rows against.
    let key_on_id = has(F::ExternalId);
    let existing = store.all_accounts()?;
    let mut csm_ids: HashMap<String, i64> = HashMap::new();
    for (id, csm) in store.csms()? {
        csm_ids.insert(csm, id);
    }
    let csm_names: HashMap<i64, String> = csm_ids.iter().map(|(n, i)| (*i, n.clone())).collect();
    let by_key: HashMap<&str, &Account> =
        existing.iter().map(|a| (if key_on_id { a.external_id.as_str() } else { a.name.as_str() }, a)).collect();
    let attributes = store.all_attributes()?;

    // One pass: each row is checked, matched and turned into what to write.
    let bar = progress(opts.progress, row_count, "checking");
    let parser = RowParser { table: &table, map: &map, order };
    let mut problems = Vec::new();
    let mut rejected_rows: Vec<(Vec<String>, String)> = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::with_capacity(row_count);
    let mut report =
        ImportReport { what: "accounts", source: name.clone(), dry_run: opts.dry_run, ..Default::default() };
    let mut actions = Vec::with_capacity(row_count);
    let key_column = if key_on_id { "external id" } else { "name" };
    table.for_each_row(|line, row| {
        bar.inc(1);
        let before = problems.len();
        let mut p = parser.parse(line, row, &mut problems);
        let key = if key_on_id { p.external_id.clone() } else { p.name.clone() };
        match &key {
            None => problems.push(Problem {
                line,
                column: key_column.into(),
                value: String::new(),
                reason: "every row needs one: it is how re-imports find the account".into(),
            }),
            Some(k) => {
                if let Some(first) = seen.insert(k.clone(), line) {
                    problems.push(Problem {
                        line,
                        column: key_column.into(),
                        value: k.clone(),
                        reason: format!("appears twice in the file (first on line {first})"),
                    });
                }
            }
        }
        let key = key.unwrap_or_default();
        if problems.len() == before {
            // A CSM not in the book yet gets an id at write time; until then it counts as a change.
            let csm_id = p.csm.as_ref().map(|c| csm_ids.get(c).copied().unwrap_or(-1));
            let attrs = std::mem::take(&mut p.attributes);
            match by_key.get(key.as_str()) {
                Some(old) => {
                    let base = as_new(old, &csm_ids);
                    let new = merged(&base, &p, csm_id);
                    let old_attrs = attributes.get(&old.id).map(Vec::as_slice).unwrap_or(&[]);
                    let attrs_changed = attrs.iter().any(|kv| !old_attrs.contains(kv));
                    let diffs = differences(&base, &new, &csm_names);
                    if diffs.is_empty() && !attrs_changed && csm_id != Some(-1) {
                        report.unchanged += 1;
                    } else {
                        report.updated += 1;
                        if report.samples.len() < 10 {
                            let what = if diffs.is_empty() { "attributes".to_string() } else { diffs.join(", ") };
                            report.samples.push(format!(
                                "{} ({}): {what}",
                                crate::text::clean(&old.name),
                                crate::text::clean(&old.external_id)
                            ));
                        }
                        actions.push((
                            p.csm.take(),
                            Action::Update {
                                id: old.id,
                                account: new,
                                old_arr: old.arr,
                                attributes: attrs,
                                renewed_on: renewed_on(&p),
                            },
                        ));
                    }
                }
                // A file of ids without names (a churn dataset) names new accounts by their id.
                None => match p.name.clone().or_else(|| p.external_id.clone().filter(|_| !has(F::Name))) {
                    None => problems.push(Problem {
                        line,
                        column: "name".into(),
                        value: String::new(),
                        reason: "a new account needs a name".into(),
                    }),
                    Some(account_name) => {
                        let base = NewAccount::new(
                            p.external_id.clone().unwrap_or_else(|| account_name.clone()),
                            account_name,
                        );
                        report.new += 1;
                        if report.samples.len() < 10 {
                            report.samples.push(format!(
                                "new: {} ({})",
                                crate::text::clean(&base.name),
                                crate::text::clean(&base.external_id)
                            ));
                        }
                        let renewed = renewed_on(&p);
                        actions.push((p.csm.take(), Action::New(merged(&base, &p, csm_id), attrs, renewed)));
                    }
                },
            }
        }
        if problems.len() > before {
            rejected_rows.push(reject(row, &problems[before..]));
        }
    })?;
    bar.finish_and_clear();
    if !problems.is_empty() && !opts.skip_bad_rows {
        return Err(rows_error(&name, &problems));
    }
    report.rejected = rejected_rows.len();
    if opts.dry_run {
        return Ok(report);
    }
    // The file's text is no longer needed: free it before the write grows the page cache.
    let headers = table.headers.clone();
    drop(table);

    let bar = progress(opts.progress, actions.len(), "writing");
    let journeys = &config.journeys;
    let plan_journeys = opts.plan_journeys;
    let today = opts.today;
    // Many new accounts: rebuild the CSM index once at the end instead of row by row.
    let bulk = actions.iter().filter(|(_, a)| matches!(a, Action::New(..))).count() >= BULK_ROWS;
    store.write(|w| {
        if bulk {
            w.begin_bulk_accounts()?;
        }
        let mut ids = csm_ids.clone();
        for (csm, action) in actions {
            bar.inc(1);
            let csm_id = match csm {
                Some(c) => Some(match ids.get(&c) {
                    Some(id) => *id,
                    None => {
                        let id = w.csm_id(&c)?;
                        ids.insert(c, id);
                        id
                    }
                }),
                None => None,
            };
            match action {
                Action::New(mut account, attrs, renewed) => {
                    if csm_id.is_some() {
                        account.csm_id = csm_id;
                    }
                    let id = w.insert_account(&account)?;
                    if let Some(day) = renewed {
                        w.record_renewal_outcome(id, day)?;
                    }
                    for (k, v) in &attrs {
                        w.set_attribute(id, k, v)?;
                    }
                    // New accounts get the journeys the config plans for them.
                    for j in journeys.apply_to_new.iter().filter(|_| plan_journeys) {
                        let Some(t) = journeys.templates.get(j) else { continue };
                        if let Ok(planned) = journey::plan(t, account.customer_since, account.renewal_date) {
                            for (name, due) in planned {
                                let m = NewMilestone {
                                    account_id: id,
                                    csm_id,
                                    journey: *j,
                                    name,
                                    due,
                                    done: None,
                                    note: String::new(),
                                };
                                w.insert_milestone(&m)?;
                            }
                        }
                    }
                }
                Action::Update { id, mut account, old_arr, attributes, renewed_on } => {
                    if csm_id.is_some() {
                        account.csm_id = csm_id;
                    }
                    w.update_account(id, &account)?;
                    if let Some(day) = renewed_on {
                        w.record_renewal_outcome(id, day)?;
                    }
                    if account.arr != old_arr {
                        w.record_arr_change(id, today, old_arr, account.arr, "import")?;
                    }
                    for (k, v) in &attributes {
                        w.set_attribute(id, k, v)?;
                    }
                    w.invalidate_snapshots(id)?;
                }
            }
        }
        if bulk {
            w.end_bulk_accounts()?;
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    save_rejects(&mut report, source, &headers, &rejected_rows, opts)?;
    Ok(report)
}
