//! The renewal forecast: each renewal's ARR weighed by how likely an account of its band renews.

use serde::{Deserialize, Serialize};

use super::account::Cents;
use super::band::HealthBand;

/// Share (0-1) of renewals expected to renew, by health band.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Likelihood {
    pub green: f64,
    pub yellow: f64,
    pub orange: f64,
    pub red: f64,
    pub no_score: f64,
}

impl Likelihood {
    pub fn of(&self, band: Option<HealthBand>) -> f64 {
        match band {
            Some(HealthBand::Green) => self.green,
            Some(HealthBand::Yellow) => self.yellow,
            Some(HealthBand::Orange) => self.orange,
            Some(HealthBand::Red) => self.red,
            None => self.no_score,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenewalsConfig {
    /// The windows the Renewals view and report offer, in days ahead.
    pub windows: Vec<i64>,
    pub likelihood: Likelihood,
}

impl RenewalsConfig {
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if self.windows.is_empty() || self.windows.iter().any(|w| !(1..=3650).contains(w)) {
            out.push(("windows".into(), format!("must list 1-3650 days each, not {:?}", self.windows)));
        }
        let l = &self.likelihood;
        for (key, v) in
            [("green", l.green), ("yellow", l.yellow), ("orange", l.orange), ("red", l.red), ("no_score", l.no_score)]
        {
            if !(0.0..=1.0).contains(&v) {
                out.push((format!("likelihood.{key}"), format!("must be between 0 and 1, not {v}")));
            }
        }
        out
    }
}

/// Renewals due in a window, summed.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Forecast {
    pub renewals: usize,
    /// ARR up for renewal.
    pub due: Cents,
    /// Each renewal's ARR times its band's likelihood.
    pub expected: Cents,
    /// ARR of the Orange and Red renewals.
    pub at_risk: Cents,
}

impl Forecast {
    pub fn add(&mut self, likelihood: &Likelihood, arr: Cents, band: Option<HealthBand>) {
        self.renewals += 1;
        self.due.0 += arr.0;
        self.expected.0 += (arr.0 as f64 * likelihood.of(band)).round() as i64;
        if matches!(band, Some(HealthBand::Orange | HealthBand::Red)) {
            self.at_risk.0 += arr.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn forecast_weighs_each_renewal_by_its_band() {
        let l = Config::default().renewals.likelihood;
        let mut f = Forecast::default();
        f.add(&l, Cents::from_units(100_000.0), Some(HealthBand::Green));
        f.add(&l, Cents::from_units(50_000.0), Some(HealthBand::Orange));
        f.add(&l, Cents::from_units(10_000.0), Some(HealthBand::Red));
        f.add(&l, Cents::from_units(20_000.0), None);
        assert_eq!(f.renewals, 4);
        assert_eq!(f.due, Cents::from_units(180_000.0));
        let expected = 100_000.0 * l.green + 50_000.0 * l.orange + 10_000.0 * l.red + 20_000.0 * l.no_score;
        assert_eq!(f.expected, Cents((expected * 100.0).round() as i64));
        assert_eq!(f.at_risk, Cents::from_units(60_000.0));
    }

    #[test]
    fn likelihoods_outside_0_to_1_are_refused() {
        let mut c = Config::default().renewals;
        c.likelihood.red = 1.5;
        assert_eq!(c.problems()[0].0, "likelihood.red");
    }
}
