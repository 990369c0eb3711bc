//! Which column means which field: built-in header aliases, presets for the exports people have,
//! and `[import.columns]` in the config. Columns nothing claims are kept as account attributes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A field of an account that a column can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountField {
    ExternalId,
    Name,
    Csm,
    Arr,
    /// Monthly recurring revenue: ARR is 12 times it.
    Mrr,
    /// A subscription amount per `Interval` (times `Quantity`), as billing systems export it.
    Amount,
    Interval,
    Quantity,
    Currency,
    Plan,
    CustomerSince,
    RenewalDate,
    Stage,
    Status,
    ChurnedOn,
    /// When a known outcome (renewed or churned) happened: the churn day, or the renewal's day.
    OutcomeDate,
    VolumeScore,
    AdvocacyScore,
    BrandScore,
    ExpectedUsage,
    Tags,
    Notes,
    /// A column tend derives itself (score, band, segment, factor values and points in an export):
    /// skipped.
    Ignore,
}

impl AccountField {
    pub const ALL: [AccountField; 23] = [
        AccountField::ExternalId,
        AccountField::Name,
        AccountField::Csm,
        AccountField::Arr,
        AccountField::Mrr,
        AccountField::Amount,
        AccountField::Interval,
        AccountField::Quantity,
        AccountField::Currency,
        AccountField::Plan,
        AccountField::CustomerSince,
        AccountField::RenewalDate,
        AccountField::Stage,
        AccountField::Status,
        AccountField::ChurnedOn,
        AccountField::OutcomeDate,
        AccountField::VolumeScore,
        AccountField::AdvocacyScore,
        AccountField::BrandScore,
        AccountField::ExpectedUsage,
        AccountField::Tags,
        AccountField::Notes,
        AccountField::Ignore,
    ];

    pub fn key(self) -> &'static str {
        match self {
            AccountField::ExternalId => "external_id",
            AccountField::Name => "name",
            AccountField::Csm => "csm",
            AccountField::Arr => "arr",
            AccountField::Mrr => "mrr",
            AccountField::Amount => "amount",
            AccountField::Interval => "interval",
            AccountField::Quantity => "quantity",
            AccountField::Currency => "currency",
            AccountField::Plan => "plan",
            AccountField::CustomerSince => "customer_since",
            AccountField::RenewalDate => "renewal_date",
            AccountField::Stage => "stage",
            AccountField::Status => "status",
            AccountField::ChurnedOn => "churned_on",
            AccountField::OutcomeDate => "outcome_date",
            AccountField::VolumeScore => "volume_score",
            AccountField::AdvocacyScore => "advocacy_score",
            AccountField::BrandScore => "brand_score",
            AccountField::ExpectedUsage => "expected_usage",
            AccountField::Tags => "tags",
            AccountField::Notes => "notes",
            AccountField::Ignore => "ignore",
        }
    }

    pub fn from_key(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.key() == s)
    }
}

/// Exports tend knows the columns of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Preset {
    /// A HubSpot companies export
    Hubspot,
    /// A Salesforce accounts report
    Salesforce,
    /// A Stripe subscriptions export
    Stripe,
}

/// "Company name", "company_name" and "COMPANY-NAME" all read as "company name".
pub fn normalise(header: &str) -> String {
    let mut out = String::new();
    for word in header.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word.to_lowercase());
    }
    out
}

use AccountField as F;

/// What kind of export a file's headers say it is, as far as they tell: a file given to the
/// wrong import is refused with the one it is for, rather than read as that import reads it (an
/// activity history given as tasks opened every past call as a task; a contacts export given as
/// accounts made an account of every person).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FileKind {
    /// People: first and last name (or a full name) and an email.
    Contacts,
    /// Tasks: a status, a due day and a subject.
    Tasks,
    /// An activity history: a type of activity, its day and what it was, no status.
    Activities,
}

impl FileKind {
    /// The kind `headers` look like, if any.
    pub fn of(headers: &[String]) -> Option<FileKind> {
        let normal: Vec<String> = headers.iter().map(|h| normalise(h)).collect();
        let has = |names: &[&str]| normal.iter().any(|h| names.contains(&h.as_str()));
        let named =
            has(&["full name", "contact name"]) || has(&["first name", "firstname"]) && has(&["last name", "lastname"]);
        let status = has(&["status", "task status"]);
        let typed = has(&["type", "activity type", "task type", "engagement type", "kind"]);
        let dated = has(&["date", "activity date", "due date", "engagement date"]);
        // What was said or done: an accounts report with a Type and a Date is no activity.
        let said = has(&["subject", "comments", "full comments", "comment", "note", "notes", "body"]);
        if named && has(&["email", "email address", "e mail"]) {
            return Some(FileKind::Contacts);
        }
        if status && has(&["due", "due date"]) && has(&["subject", "task", "task title", "task name"]) {
            return Some(FileKind::Tasks);
        }
        (typed && dated && said && !status).then_some(FileKind::Activities)
    }

    /// The refusal of `file`, of this kind, by an import of another: what the file is, and the
    /// import it is for.
    pub fn refused(self, file: &str) -> super::ImportError {
        super::ImportError::WrongKind { file: file.to_string(), reason: format!("this looks like {}", self.said()) }
    }

    /// How the refusal says it: what the file is, and the import it is for.
    fn said(self) -> &'static str {
        match self {
            FileKind::Contacts => {
                "a list of people, not of accounts: `tend import contacts` imports the people at each account"
            }
            FileKind::Tasks => "a list of tasks (a status, a due day): `tend import tasks` imports them",
            FileKind::Activities => {
                "an activity history (a type of activity and its day, no status): `tend import logs` imports it"
            }
        }
    }
}

/// The headers an accounts file's external id goes by (built in and the presets'), normalised:
/// a file about accounts (usage, logs) names its accounts by them too, so that a HubSpot export's
/// "Record ID" keys its usage as it keyed its companies (a probe's usage file was refused for it).
pub fn external_id_headers() -> impl Iterator<Item = &'static str> {
    ALIASES.iter().chain(HUBSPOT).chain(SALESFORCE).chain(STRIPE).filter(|(_, f)| *f == F::ExternalId).map(|(h, _)| *h)
}

/// The headers that name an account in a file about accounts: the config's own first (those
/// `[import.columns]` maps to the external id or the name, normalised), then `built_in`, then
/// `external_id_headers`.
pub fn account_headers(configured: &[String], built_in: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = configured.to_vec();
    let mut add = |h: &str| {
        if !out.iter().any(|o| o == h) {
            out.push(h.to_string());
        }
    };
    built_in.iter().for_each(|h| add(h));
    external_id_headers().for_each(add);
    out
}

/// Headers every file may use, normalised.
const ALIASES: &[(&str, AccountField)] = &[
    ("external id", F::ExternalId),
    ("external_id", F::ExternalId),
    ("id", F::ExternalId),
    ("account id", F::ExternalId),
    ("customer id", F::ExternalId),
    ("company id", F::ExternalId),
    ("record id", F::ExternalId),
    // Pipedrive and Close name the account an organization ("Organization - ID").
    ("organization id", F::ExternalId),
    ("organisation id", F::ExternalId),
    ("org id", F::ExternalId),
    // ChurnZero's and Gainsight's exports (a probe's ChurnZero file was keyed by name, its usage
    // refused for want of an account column).
    ("account external id", F::ExternalId),
    ("external account id", F::ExternalId),
    ("name", F::Name),
    ("account", F::Name),
    ("account name", F::Name),
    ("company", F::Name),
    ("company name", F::Name),
    ("customer", F::Name),
    ("customer name", F::Name),
    ("organization name", F::Name),
    ("organisation name", F::Name),
    ("organization", F::Name),
    ("organisation", F::Name),
    ("csm", F::Csm),
    ("owner", F::Csm),
    ("account owner", F::Csm),
    ("company owner", F::Csm),
    ("customer success manager", F::Csm),
    ("csm owner", F::Csm),
    ("cs owner", F::Csm),
    ("success manager", F::Csm),
    ("organization owner", F::Csm),
    ("organisation owner", F::Csm),
    ("arr", F::Arr),
    ("annual recurring revenue", F::Arr),
    ("mrr", F::Mrr),
    ("monthly recurring revenue", F::Mrr),
    ("currency", F::Currency),
    ("plan", F::Plan),
    ("tier", F::Plan),
    ("plan tier", F::Plan),
    ("plan name", F::Plan),
    ("customer since", F::CustomerSince),
    ("start date", F::CustomerSince),
    ("contract start", F::CustomerSince),
    ("contract start date", F::CustomerSince),
    ("renewal date", F::RenewalDate),
    ("renewal", F::RenewalDate),
    ("contract end", F::RenewalDate),
    ("contract end date", F::RenewalDate),
    ("next renewal date", F::RenewalDate),
    ("next renewal", F::RenewalDate),
    ("stage", F::Stage),
    ("status", F::Status),
    // Outcome columns of churn datasets: a status, or a churn flag (yes/no, 1/0).
    ("outcome", F::Status),
    ("attrition flag", F::Status),
    ("churn", F::Status),
    ("churned", F::Status),
    ("exited", F::Status),
    ("churned on", F::ChurnedOn),
    ("churn date", F::ChurnedOn),
    ("outcome date", F::OutcomeDate),
    ("renewed on", F::OutcomeDate),
    ("volume score", F::VolumeScore),
    ("expected volume", F::VolumeScore),
    ("advocacy", F::AdvocacyScore),
    ("advocacy score", F::AdvocacyScore),
    ("brand value", F::BrandScore),
    ("brand score", F::BrandScore),
    ("expected usage", F::ExpectedUsage),
    ("tags", F::Tags),
    ("notes", F::Notes),
    // A sheet kept by hand heads its notes as it likes: a founder's "Notes, comments" was kept as
    // an attribute, and `tend search` found none of its words.
    ("note", F::Notes),
    ("comments", F::Notes),
    ("comment", F::Notes),
    ("notes comments", F::Notes),
    ("account notes", F::Notes),
    ("customer notes", F::Notes),
    ("csm notes", F::Notes),
];

/// What `tend export accounts` adds and tend derives again: skipped in a file of tend's own (one
/// with its "score kind" column). A CRM's "Segment" or "Score" is the CRM's, and is kept as an
/// attribute: it was dropped without a word.
const DERIVED: &[&str] = &["score", "band", "computed band", "segment", "score kind", "coverage"];

/// The attribute a column no field reads is kept under: its header, but "CRM Segment" for a
/// header tend's export gives its own column ("Segment"), so that an export holds both and
/// reads back as it was written.
pub fn attribute_key(header: &str) -> String {
    match DERIVED.contains(&normalise(header).as_str()) {
        true => format!("CRM {header}"),
        false => header.to_string(),
    }
}

const HUBSPOT: &[(&str, AccountField)] = &[
    ("record id", F::ExternalId),
    ("company name", F::Name),
    ("company owner", F::Csm),
    ("annual recurring revenue", F::Arr),
    ("became a customer date", F::CustomerSince),
    ("renewal date", F::RenewalDate),
    // "Lifecycle Stage" says who is a customer ("Customer", "Evangelist") and who is not yet
    // ("Lead", "Opportunity"): those are left out. "Annual Revenue" (the company's own turnover)
    // is not ARR: no alias claims it, so it stays an attribute.
    ("lifecycle stage", F::Status),
];

const SALESFORCE: &[(&str, AccountField)] = &[
    ("account id", F::ExternalId),
    ("account name", F::Name),
    ("account owner", F::Csm),
    ("annual contract value", F::Arr),
    ("arr", F::Arr),
    ("customer since", F::CustomerSince),
    ("contract end date", F::RenewalDate),
    // "Customer - Direct", "Customer - Churned", "Prospect", "Channel Partner / Reseller".
    ("type", F::Status),
];

const STRIPE: &[(&str, AccountField)] = &[
    ("customer id", F::ExternalId),
    ("customer name", F::Name),
    ("customer description", F::Name),
    ("plan", F::Plan),
    ("amount", F::Amount),
    ("interval", F::Interval),
    ("quantity", F::Quantity),
    ("currency", F::Currency),
    ("start utc", F::CustomerSince),
    ("created utc", F::CustomerSince),
    ("current period end utc", F::RenewalDate),
    ("status", F::Status),
    ("canceled at utc", F::ChurnedOn),
    ("id", F::Ignore),
];

/// The field each header fills (None: an attribute). Config overrides win, then the preset, then
/// the built-in aliases; a field claimed twice keeps its first column.
pub fn map_headers(
    headers: &[String],
    preset: Option<Preset>,
    overrides: &BTreeMap<String, String>,
) -> Vec<Option<AccountField>> {
    let overrides: BTreeMap<String, AccountField> =
        overrides.iter().filter_map(|(h, f)| AccountField::from_key(f).map(|f| (normalise(h), f))).collect();
    let preset_aliases = match preset {
        Some(Preset::Hubspot) => HUBSPOT,
        Some(Preset::Salesforce) => SALESFORCE,
        Some(Preset::Stripe) => STRIPE,
        None => &[],
    };
    let mut taken = std::collections::HashSet::new();
    // A field the config maps a header to is that header's, whichever column comes first: a
    // probe's `"Status" = "status"` lost to the HubSpot preset's "Lifecycle Stage" before it,
    // and every churn was read as a customer. Of two headers mapped to one field, the first.
    let normal: Vec<String> = headers.iter().map(|h| normalise(h)).collect();
    let mut configured: BTreeMap<AccountField, usize> = BTreeMap::new();
    for (i, n) in normal.iter().enumerate() {
        if let Some(f) = overrides.get(n).filter(|f| **f != F::Ignore) {
            configured.entry(*f).or_insert(i);
        }
    }
    let tend_export = normal.iter().any(|n| n == "score kind");
    headers
        .iter()
        .zip(normal)
        .enumerate()
        .map(|(i, (h, n))| {
            if let Some(f) = overrides.get(&n).copied() {
                return (f == F::Ignore || configured.get(&f) == Some(&i)).then_some(f);
            }
            // A rejects file's reasons, its rows imported again once put right: no attribute.
            if super::table::is_rejects_reason(h) {
                return Some(F::Ignore);
            }
            let derived =
                tend_export && (DERIVED.contains(&n.as_str()) || n.starts_with("points ") || n.starts_with("value "));
            // A unit in brackets ("ARR (USD)", "Contract Start (UTC)") does not change the field.
            let bare = h.split_once('(').map(|(before, _)| normalise(before)).filter(|b| !b.is_empty() && *b != n);
            let alias = |n: &str| {
                preset_aliases
                    .iter()
                    .find(|(a, _)| *a == n)
                    .or_else(|| ALIASES.iter().find(|(a, _)| *a == n))
                    .map(|(_, f)| *f)
            };
            let field =
                alias(&n).or_else(|| bare.as_deref().and_then(alias)).or_else(|| derived.then_some(F::Ignore))?;
            (field == F::Ignore || (!configured.contains_key(&field) && taken.insert(field))).then_some(field)
        })
        .collect()
}

/// The preset whose export the file looks like, where reading it so would read columns that are
/// otherwise kept as attributes: its `--preset` name and those headers ("Lifecycle Stage" kept
/// as an attribute let a HubSpot file's leads and churned companies in as active customers).
pub fn preset_that_reads_more(
    headers: &[String],
    overrides: &BTreeMap<String, String>,
) -> Option<(&'static str, Vec<String>)> {
    let plain = map_headers(headers, None, overrides);
    [(Preset::Hubspot, "hubspot"), (Preset::Salesforce, "salesforce"), (Preset::Stripe, "stripe")]
        .into_iter()
        .map(|(preset, name)| {
            let read = map_headers(headers, Some(preset), overrides);
            let more: Vec<String> = headers
                .iter()
                .zip(plain.iter().zip(&read))
                .filter(|(_, (without, with))| without.is_none() && with.is_some_and(|f| f != F::Ignore))
                .map(|(h, _)| h.clone())
                .collect();
            (name, more)
        })
        .filter(|(_, more)| !more.is_empty())
        .max_by_key(|(_, more)| more.len())
}

/// The headers `preset` reads beyond the built-in ones, with the field each fills, as its table
/// has them (lower case), for help.
pub fn preset_headers(preset: Preset) -> Vec<(&'static str, AccountField)> {
    let table = match preset {
        Preset::Hubspot => HUBSPOT,
        Preset::Salesforce => SALESFORCE,
        Preset::Stripe => STRIPE,
    };
    table.iter().filter(|(_, f)| *f != F::Ignore).copied().collect()
}

/// The headers a field may come under, for "missing column" messages.
pub fn aliases_of(field: AccountField) -> Vec<&'static str> {
    ALIASES.iter().filter(|(_, f)| *f == field).map(|(a, _)| *a).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn aliases_match_whatever_the_spelling() {
        let m = map_headers(
            &headers(&["Company Name", "ARR", "Contract_End", "Owner", "Favourite colour"]),
            None,
            &BTreeMap::new(),
        );
        assert_eq!(m, vec![Some(F::Name), Some(F::Arr), Some(F::RenewalDate), Some(F::Csm), None]);
        // A ChurnZero export's headers.
        let m = map_headers(
            &headers(&["Account External ID", "Account Name", "Account Owner", "Next Renewal Date", "Plan Tier"]),
            None,
            &BTreeMap::new(),
        );
        assert_eq!(m, vec![Some(F::ExternalId), Some(F::Name), Some(F::Csm), Some(F::RenewalDate), Some(F::Plan)]);
    }

    #[test]
    fn config_overrides_win_and_a_field_is_claimed_once() {
        let mut o = BTreeMap::new();
        o.insert("Kunde".to_string(), "name".to_string());
        let m = map_headers(&headers(&["Kunde", "Name", "points_nps", "score", "score_kind"]), None, &o);
        assert_eq!(m, vec![Some(F::Name), None, Some(F::Ignore), Some(F::Ignore), Some(F::Ignore)]);
        // Not tend's own export: a CRM's Segment and Score are the CRM's, kept as attributes.
        let m = map_headers(&headers(&["Name", "Segment", "Score"]), None, &BTreeMap::new());
        assert_eq!(m, vec![Some(F::Name), None, None]);
    }

    #[test]
    fn a_header_the_config_maps_takes_its_field_from_an_earlier_column_a_preset_reads() {
        let overrides: BTreeMap<String, String> = [("Status".to_string(), "status".to_string())].into();
        let m = map_headers(
            &headers(&["Record ID", "Lifecycle Stage", "Status", "Churn Date"]),
            Some(Preset::Hubspot),
            &overrides,
        );
        assert_eq!(m, vec![Some(F::ExternalId), None, Some(F::Status), Some(F::ChurnedOn)]);
        // Without the mapping, the preset's column reads it.
        let m = map_headers(&headers(&["Lifecycle Stage", "Status"]), Some(Preset::Hubspot), &BTreeMap::new());
        assert_eq!(m[0], Some(F::Status));
        // Two headers mapped to one field: the first.
        let two: BTreeMap<String, String> =
            [("Stage A".to_string(), "status".to_string()), ("Stage B".to_string(), "status".to_string())].into();
        assert_eq!(map_headers(&headers(&["Stage A", "Stage B"]), None, &two), vec![Some(F::Status), None]);
    }

    #[test]
    fn presets_know_their_exports() {
        let m = map_headers(
            &headers(&["Record ID", "Company name", "Lifecycle Stage", "Annual Revenue"]),
            Some(Preset::Hubspot),
            &BTreeMap::new(),
        );
        // The lifecycle stage says who is a customer; the company's own revenue is not ARR.
        assert_eq!(m, vec![Some(F::ExternalId), Some(F::Name), Some(F::Status), None]);
        let m = map_headers(
            &headers(&["id", "Customer ID", "Amount", "Interval", "Current Period End (UTC)"]),
            Some(Preset::Stripe),
            &BTreeMap::new(),
        );
        assert_eq!(
            m,
            vec![Some(F::Ignore), Some(F::ExternalId), Some(F::Amount), Some(F::Interval), Some(F::RenewalDate)]
        );
    }
}
