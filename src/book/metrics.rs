//! Retention, lifetime value, satisfaction and cohort figures over a period, for the whole book
//! or split by CSM, segment, any account field, or the quarter accounts became customers.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::PortfolioRow;
use crate::domain::contact::ContactRole;
use crate::domain::retention::{Cohort, Quarter, Retention, RevenueHistory};
use crate::domain::satisfaction::Satisfaction;
use crate::store::{Result, Store};

/// How to split the figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupBy {
    Book,
    Csm,
    Segment,
    /// An account column or imported attribute (`field:sales_rep`).
    Field(String),
    /// The quarter an account became a customer.
    Cohort,
}

impl GroupBy {
    /// `book`, `csm`, `segment`, `cohort` or `field:NAME`, in any case.
    pub fn parse(text: &str) -> std::result::Result<GroupBy, String> {
        let t = text.trim();
        match t.to_lowercase().as_str() {
            "" | "book" => Ok(GroupBy::Book),
            "csm" => Ok(GroupBy::Csm),
            "segment" => Ok(GroupBy::Segment),
            "cohort" => Ok(GroupBy::Cohort),
            lower if lower.starts_with("field:") && t.len() > 6 => Ok(GroupBy::Field(t[6..].trim().to_string())),
            _ => Err(format!(
                "--by {}: must be book, csm, segment, cohort or field:NAME (an account column or imported column)",
                crate::text::clean(t)
            )),
        }
    }
}

/// Names each account's group.
pub struct Grouping {
    by: GroupBy,
    /// For `GroupBy::Field`: each account's value.
    values: HashMap<i64, String>,
}

impl Grouping {
    /// Reads what the grouping needs; a field no account has is refused with the fields there are.
    pub fn new(store: &Store, by: GroupBy) -> Result<std::result::Result<Grouping, String>> {
        let values = match &by {
            GroupBy::Field(name) => match store.field_values(name)? {
                Ok(values) => values,
                Err(known) => {
                    return Ok(Err(format!(
                        "--by field:{}: no account has that field; fields: {}",
                        crate::text::clean(name),
                        known.join(", ")
                    )));
                }
            },
            _ => HashMap::new(),
        };
        Ok(Ok(Grouping { by, values }))
    }

    /// A grouping that reads nothing: the book, CSMs, segments or cohorts.
    pub fn plain(by: GroupBy) -> Grouping {
        Grouping { by, values: HashMap::new() }
    }

    pub fn name(&self, row: &PortfolioRow) -> String {
        match &self.by {
            GroupBy::Book => "all".to_string(),
            GroupBy::Csm if row.csm.is_empty() => "unassigned".to_string(),
            GroupBy::Csm => row.csm.to_string(),
            GroupBy::Segment => row.segment.to_string(),
            GroupBy::Field(_) => self.values.get(&row.id).cloned().unwrap_or_else(|| "(none)".to_string()),
            GroupBy::Cohort => row.customer_since.map_or("no start date".to_string(), |d| Quarter::of(d).to_string()),
        }
    }
}

/// A period retention is asked over, measured from the book's records: `from` is where they
/// start within it (the asked start when they are older), None when they start on its last day
/// or after (a book imported today: retention would read 100% from no evidence).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeasuredPeriod {
    pub asked_from: NaiveDate,
    pub to: NaiveDate,
    pub from: Option<NaiveDate>,
    /// The book's first record of revenue (see `retention::records_from`).
    pub records_from: Option<NaiveDate>,
    /// The book's first record of an ARR change (`retention::arr_changes_from`).
    pub arr_changes_from: Option<NaiveDate>,
}

impl MeasuredPeriod {
    pub fn of(
        histories: &[(i64, RevenueHistory)],
        began: Option<NaiveDate>,
        asked_from: NaiveDate,
        to: NaiveDate,
    ) -> Self {
        let records_from = crate::domain::retention::records_from(histories, began);
        let from = crate::domain::retention::measured_from(asked_from, to, records_from);
        let arr_changes_from = crate::domain::retention::arr_changes_from(histories, began);
        MeasuredPeriod { asked_from, to, from, records_from, arr_changes_from }
    }

    /// The day ARR changes are recorded from, where that is within the period measured: before
    /// it, no expansion or contraction can show, and NRR and GRR count churn alone.
    pub fn arr_changes_late(&self) -> Option<NaiveDate> {
        self.arr_changes_from.filter(|d| self.from.is_some_and(|from| *d > from))
    }

    /// Measured from later than asked: the records start within the period.
    pub fn clipped(&self) -> bool {
        self.from.is_some_and(|f| f > self.asked_from)
    }

    /// Its length in days, as measured (0 when nothing is).
    pub fn days(&self) -> i64 {
        self.from.map_or(0, |f| (self.to - f).num_days() + 1)
    }
}

/// Retention over `from..=to` for each group (by name; "all" for the whole book), from each
/// account's dated ARR changes and churn (`Store::revenue_histories`, read once by the caller). Only the accounts among `rows` count, so a filtered set
/// of rows gives that set's figures.
pub fn retention(
    histories: &[(i64, RevenueHistory)],
    rows: &[PortfolioRow],
    from: NaiveDate,
    to: NaiveDate,
    groups: &Grouping,
) -> Vec<(String, Retention)> {
    let rows: HashMap<i64, &PortfolioRow> = rows.iter().map(|r| (r.id, r)).collect();
    let mut out: BTreeMap<String, Retention> = BTreeMap::new();
    for (id, history) in histories {
        let Some(row) = rows.get(id) else { continue };
        out.entry(groups.name(row)).or_default().add(history, from, to);
    }
    out.into_iter().collect()
}

/// The one currency each group's accounts are in, by group, where they share one: its sums are
/// said in it (a report by currency said the EUR group's in dollars).
pub fn group_currencies(rows: &[PortfolioRow], groups: &Grouping) -> HashMap<String, String> {
    let mut seen: HashMap<String, Option<String>> = HashMap::new();
    for row in rows {
        let currency = row.currency.to_string();
        seen.entry(groups.name(row))
            .and_modify(|c| {
                if c.as_deref() != Some(currency.as_str()) {
                    *c = None;
                }
            })
            .or_insert(Some(currency));
    }
    seen.into_iter().filter_map(|(group, c)| Some((group, c?))).collect()
}

/// The accounts of the period's starting cohort whose renewal date is by `to` with no renewal or
/// churn recorded (a renewal recorded moves the date a term on), the soonest first: customers
/// still, they count as kept, which the report and the Team view say (a probe's GRR of 100% for
/// a board held 15 such renewals no one had confirmed).
pub fn renewals_unresolved(rows: &[PortfolioRow], from: NaiveDate, to: NaiveDate) -> Vec<&PortfolioRow> {
    let mut out: Vec<&PortfolioRow> = rows
        .iter()
        .filter(|r| r.status != crate::domain::AccountStatus::Churned)
        .filter(|r| r.renewal_date.is_some_and(|d| d <= to))
        .filter(|r| r.customer_since.is_none_or(|since| since <= from))
        .collect();
    out.sort_by_key(|r| r.renewal_date);
    out
}

/// Satisfaction of one group from one kind of respondent: `role` None is every response.
pub struct SatisfactionRow {
    pub group: String,
    /// "all", a role's label, or "no role".
    pub role: String,
    pub figures: Satisfaction,
}

/// NPS, CSAT and CES from the responses dated `from..=to`, per group: first every response, then
/// per respondent role (those with responses), then those without a role.
pub fn satisfaction(
    store: &Store,
    rows: &[PortfolioRow],
    from: NaiveDate,
    to: NaiveDate,
    groups: &Grouping,
) -> Result<Vec<SatisfactionRow>> {
    let rows: HashMap<i64, &PortfolioRow> = rows.iter().map(|r| (r.id, r)).collect();
    // (group, role order) -> figures; role order 0 is all, then the roles, then no role.
    let mut out: BTreeMap<(String, usize), Satisfaction> = BTreeMap::new();
    for r in store.survey_responses(from, to)? {
        let Some(row) = rows.get(&r.account_id) else { continue };
        let group = groups.name(row);
        out.entry((group.clone(), 0)).or_default().add(r.kind, r.score);
        let role = r.role.map_or(ContactRole::ALL.len() + 1, |role| role.index() + 1);
        out.entry((group, role)).or_default().add(r.kind, r.score);
    }
    // A group whose responses are all of one kind of respondent (or none has a role) has no
    // breakdown to show: its one role's row is its "all" row again ("all" then "no role" with
    // the same figures, on every row of a probe's report).
    let mut roles: HashMap<String, usize> = HashMap::new();
    for (group, role) in out.keys() {
        if *role != 0 {
            *roles.entry(group.clone()).or_default() += 1;
        }
    }
    out.retain(|(group, role), _| *role == 0 || roles.get(group).copied().unwrap_or(0) > 1);
    Ok(out
        .into_iter()
        .map(|((group, role), figures)| SatisfactionRow {
            group,
            role: match role {
                0 => "all".to_string(),
                i if i <= ContactRole::ALL.len() => ContactRole::ALL[i - 1].label().to_string(),
                _ => "no role".to_string(),
            },
            figures,
        })
        .collect())
}

/// One cohort per quarter accounts became customers (among `rows`), oldest first, seen up to `to`,
/// its steps before the book's records marked (`Cohort::mark_records`).
pub fn cohorts(
    histories: &[(i64, RevenueHistory)],
    rows: &[PortfolioRow],
    to: NaiveDate,
    period: &MeasuredPeriod,
) -> Vec<(Quarter, Cohort)> {
    let rows: HashMap<i64, &PortfolioRow> = rows.iter().map(|r| (r.id, r)).collect();
    let mut out: BTreeMap<Quarter, Cohort> = BTreeMap::new();
    for (id, history) in histories {
        if !rows.contains_key(id) {
            continue;
        }
        let Some(since) = history.customer_since.filter(|d| *d <= to) else { continue };
        let quarter = Quarter::of(since);
        out.entry(quarter).or_default().add(history, quarter, to);
    }
    for (quarter, cohort) in &mut out {
        cohort.mark_records(*quarter, period.records_from, period.arr_changes_from);
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AccountStatus, HealthBand};
    use std::sync::Arc;

    /// A group whose accounts share a currency is said in it; a mixed one in the book's.
    #[test]
    fn each_group_has_the_currency_its_accounts_share() {
        let row = |id: i64, csm: &str, currency: &str| PortfolioRow {
            csm: Arc::from(csm),
            currency: Arc::from(currency),
            ..PortfolioRow::sample(id, "Deer", Some(HealthBand::Green), 1.0, AccountStatus::Active)
        };
        let rows = [row(1, "Maya", "EUR"), row(2, "Maya", "EUR"), row(3, "Ben", "EUR"), row(4, "Ben", "USD")];
        let by_csm = Grouping { by: GroupBy::Csm, values: HashMap::new() };
        let currencies = group_currencies(&rows, &by_csm);
        assert_eq!(currencies.get("Maya").map(String::as_str), Some("EUR"));
        assert_eq!(currencies.get("Ben"), None, "mixed: the book's");
    }
}
