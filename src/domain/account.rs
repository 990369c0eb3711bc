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

    /// The status as it stands on `today`: renewed holds until the renewal it renewed to comes
    /// due, when the account is active again with its renewal due or passed (a probe's account
    /// renewed to March read "renewed" all year beside "renewal passed 270d ago").
    pub fn on(self, renewal_date: Option<NaiveDate>, today: NaiveDate) -> AccountStatus {
        match (self, renewal_date) {
            (AccountStatus::Renewed, Some(due)) if due <= today => AccountStatus::Active,
            (status, _) => status,
        }
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

/// The middle value (the lower of the two middle ones for an even count); None for none.
pub fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    let middle = (values.len() - 1) / 2;
    Some(*values.select_nth_unstable(middle).1)
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
    /// Compact, for tables: "$1.25k", "$300k", "$1.25M", "$26.4M", "€950". Three significant
    /// figures at every size, so sums side by side read alike ("$26.4M" beside "$8.17M", not
    /// "$26M"); the Account view has the amount in full.
    pub fn compact(self, currency: &str) -> String {
        self.compact_to(3, currency)
    }

    /// One account's ARR as recorded: None for 0, which is how a CRM's blank is kept (no ARR on
    /// record), not an account worth nothing. Screens, reports and exports say it as unknown.
    pub fn on_record(self) -> Option<Cents> {
        (self.0 != 0).then_some(self)
    }

    /// `compact` for one account's ARR (`on_record`): `none` ("-" in a table) rather than "$0".
    pub fn compact_or(self, currency: &str, none: &str) -> String {
        self.on_record().map_or_else(|| none.to_string(), |c| c.compact(currency))
    }

    /// Compact to `figures` significant figures (whole units are never cut: "$120B" at two):
    /// two where a cell holds a count beside the sum ("400k $20B").
    pub fn compact_to(self, figures: i32, currency: &str) -> String {
        let sym = currency_symbol(currency);
        let v = self.units();
        if v.abs() < 1_000.0 {
            return format!("{sym}{v:.0}");
        }
        let round = |x: f64| {
            let whole_digits = if x >= 100.0 {
                3
            } else if x >= 10.0 {
                2
            } else {
                1
            };
            let decimals = (figures - whole_digits).max(0);
            let step = 10f64.powi(-decimals);
            ((x / step).round() * step, decimals as usize)
        };
        let mut scaled = v.abs();
        let mut unit = 0;
        // Rounded as shown: 999,600 is "$1M", not "$1000k".
        while unit < 3 && round(scaled).0 >= 1_000.0 {
            scaled /= 1_000.0;
            unit += 1;
        }
        let (rounded, decimals) = round(scaled);
        let s = format!("{rounded:.decimals$}");
        let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { &s };
        let sign = if v < 0.0 { "-" } else { "" };
        format!("{sign}{sym}{s}{}", ["", "k", "M", "B"][unit])
    }
    /// In full with thousands separators: "$12,000", and the cents where there are some
    /// ("$12,000.50": cut, an ARR of 12,000.50 read as 12,000).
    pub fn full(self, currency: &str) -> String {
        let sym = currency_symbol(currency);
        let (whole, cents) = (self.0.unsigned_abs() / 100, self.0.unsigned_abs() % 100);
        let mut out = thousands(whole);
        if cents > 0 {
            out.push_str(&format!(".{cents:02}"));
        }
        let sign = if self.0 < 0 { "-" } else { "" };
        if sym.is_empty() { format!("{sign}{out} {currency}") } else { format!("{sign}{sym}{out}") }
    }

    /// To whole units, half away from zero: a figure worked out (a forecast weighs each ARR by a
    /// likelihood) has no cents worth showing.
    pub fn rounded(self) -> Cents {
        Cents((self.0 + 50 * self.0.signum()) / 100 * 100)
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
    fn renewed_holds_until_the_renewal_it_renewed_to_comes_due() {
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        let today = day("2026-12-06");
        let renewed = AccountStatus::Renewed;
        assert_eq!(renewed.on(Some(day("2027-03-01")), today), AccountStatus::Renewed);
        assert_eq!(renewed.on(Some(today), today), AccountStatus::Active);
        assert_eq!(renewed.on(Some(day("2026-03-01")), today), AccountStatus::Active);
        assert_eq!(renewed.on(None, today), AccountStatus::Renewed);
        assert_eq!(AccountStatus::Churned.on(Some(day("2026-03-01")), today), AccountStatus::Churned);
    }

    #[test]
    fn money_reads_compactly() {
        assert_eq!(Cents::from_units(1_000.0).compact("USD"), "$1k");
        assert_eq!(Cents::from_units(1_250.0).compact("USD"), "$1.25k");
        assert_eq!(Cents::from_units(300_000.0).compact("USD"), "$300k");
        assert_eq!(Cents::from_units(1_250_000.0).compact("EUR"), "€1.25M");
        assert_eq!(Cents::from_units(950.0).compact("USD"), "$950");
        assert_eq!(Cents::from_units(120_000_800_000.0).compact("USD"), "$120B");
        assert_eq!(Cents::from_units(1_500_000_000.0).compact("USD"), "$1.5B");
        // Three significant figures at every size: totals side by side read alike.
        assert_eq!(Cents::from_units(26_400_000.0).compact("USD"), "$26.4M");
        assert_eq!(Cents::from_units(8_170_000.0).compact("USD"), "$8.17M");
        assert_eq!(Cents::from_units(26_000_000.0).compact("USD"), "$26M");
        assert_eq!(Cents::from_units(45_250.0).compact("USD"), "$45.3k");
        assert_eq!(Cents::from_units(999_600.0).compact("USD"), "$1M");
        assert_eq!(Cents::from_units(9_996.0).compact("USD"), "$10k");
        assert_eq!(Cents::from_units(99_960.0).compact("USD"), "$100k");
        assert_eq!(Cents::from_units(-12_500.0).compact("USD"), "-$12.5k");
        assert_eq!(Cents::from_units(19_799_820_000.0).compact_to(2, "USD"), "$20B");
        assert_eq!(Cents::from_units(8_170_000.0).compact_to(2, "USD"), "$8.2M");
        assert_eq!(Cents::from_units(120_400_000.0).compact_to(2, "USD"), "$120M");
        assert_eq!(Cents::from_units(12_000.5).full("USD"), "$12,000.50");
        assert_eq!(Cents::from_units(3_074_616.5).rounded().full("USD"), "$3,074,617");
        assert_eq!(Cents::from_units(-2.5).rounded(), Cents(-300));
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
