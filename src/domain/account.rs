//! Accounts: the customers in a CSM's book.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::segment::SegmentInputs;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Active,
    Churned,
    Renewed,
}

impl AccountStatus {
    pub fn key(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::Churned => "churned",
            AccountStatus::Renewed => "renewed",
        }
    }
    pub fn from_key(s: &str) -> Option<Self> {
        [AccountStatus::Active, AccountStatus::Churned, AccountStatus::Renewed].into_iter().find(|x| x.key() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LifecycleStage {
    Onboarding,
    Adoption,
    Renewal,
    Expansion,
    Advocacy,
}

impl LifecycleStage {
    pub const ALL: [LifecycleStage; 5] = [
        LifecycleStage::Onboarding,
        LifecycleStage::Adoption,
        LifecycleStage::Renewal,
        LifecycleStage::Expansion,
        LifecycleStage::Advocacy,
    ];
    pub fn key(self) -> &'static str {
        match self {
            LifecycleStage::Onboarding => "onboarding",
            LifecycleStage::Adoption => "adoption",
            LifecycleStage::Renewal => "renewal",
            LifecycleStage::Expansion => "expansion",
            LifecycleStage::Advocacy => "advocacy",
        }
    }
    pub fn from_key(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.key() == s)
    }
}

/// Money in minor units (cents), so sums are exact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Cents(pub i64);

impl Cents {
    pub fn from_units(units: f64) -> Cents {
        Cents((units * 100.0).round() as i64)
    }
    pub fn units(self) -> f64 {
        self.0 as f64 / 100.0
    }
    /// Compact, for tables: "$1.2k", "$300k", "$1.25M", "€950".
    pub fn compact(self, currency: &str) -> String {
        let sym = currency_symbol(currency);
        let v = self.units();
        let (num, suffix) = if v >= 1_000_000_000.0 {
            (v / 1_000_000_000.0, "B")
        } else if v >= 1_000_000.0 {
            (v / 1_000_000.0, "M")
        } else if v >= 10_000.0 {
            return format!("{sym}{:.0}k", v / 1_000.0);
        } else if v >= 1_000.0 {
            (v / 1_000.0, "k")
        } else {
            return format!("{sym}{:.0}", v);
        };
        // Short enough for a table cell: "$1.25M", "$13M", "$120B" (the Account view has it in full).
        let s = if num >= 10.0 { format!("{num:.0}") } else { format!("{num:.2}") };
        let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { &s };
        format!("{sym}{s}{suffix}")
    }
    /// In full with thousands separators: "$12,000".
    pub fn full(self, currency: &str) -> String {
        let sym = currency_symbol(currency);
        let whole = self.0 / 100;
        let out = thousands(whole.unsigned_abs());
        let sign = if whole < 0 { "-" } else { "" };
        if sym.is_empty() { format!("{sign}{out} {currency}") } else { format!("{sign}{sym}{out}") }
    }
}

/// A count with thousands separators: "142,857".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn currency_symbol(code: &str) -> &'static str {
    match code {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        _ => "",
    }
}

/// One account as the store holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct Account {
    pub id: i64,
    pub external_id: String,
    pub name: String,
    pub csm: Option<String>,
    pub arr: Cents,
    pub currency: String,
    pub plan: Option<String>,
    pub customer_since: Option<NaiveDate>,
    pub renewal_date: Option<NaiveDate>,
    pub stage: LifecycleStage,
    pub status: AccountStatus,
    pub churned_on: Option<NaiveDate>,
    pub segment_inputs: SegmentInputs,
    /// Expected monthly usage volume, the yardstick of "usage vs expected".
    pub expected_usage: Option<f64>,
    pub tags: String,
    pub notes: String,
}

impl Account {
    /// What decides the account's score profile.
    pub fn subject(&self) -> super::signals::Subject {
        super::signals::Subject {
            customer_since: self.customer_since,
            arr: self.arr.units(),
            inputs: self.segment_inputs,
        }
    }

    /// Days from `as_of` to the renewal date (negative once it has passed).
    pub fn days_to_renewal(&self, as_of: NaiveDate) -> Option<i64> {
        self.renewal_date.map(|d| (d - as_of).num_days())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_compactly() {
        assert_eq!(Cents::from_units(1_000.0).compact("USD"), "$1k");
        assert_eq!(Cents::from_units(1_250.0).compact("USD"), "$1.25k");
        assert_eq!(Cents::from_units(300_000.0).compact("USD"), "$300k");
        assert_eq!(Cents::from_units(1_250_000.0).compact("EUR"), "€1.25M");
        assert_eq!(Cents::from_units(950.0).compact("USD"), "$950");
        assert_eq!(Cents::from_units(120_000_800_000.0).compact("USD"), "$120B");
        assert_eq!(Cents::from_units(1_500_000_000.0).compact("USD"), "$1.5B");
        assert_eq!(Cents::from_units(12_000.5).full("USD"), "$12,000");
        assert_eq!(Cents::from_units(1_234_567.0).full("CHF"), "1,234,567 CHF");
    }

    #[test]
    fn status_and_stage_keys_round_trip() {
        for s in LifecycleStage::ALL {
            assert_eq!(LifecycleStage::from_key(s.key()), Some(s));
        }
        assert_eq!(AccountStatus::from_key("churned"), Some(AccountStatus::Churned));
        assert_eq!(AccountStatus::from_key("gone"), None);
    }

    #[test]
    fn counts_get_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(142_857), "142,857");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
