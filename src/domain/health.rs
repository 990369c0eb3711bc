//! Health configuration as one piece: which model scores an account, and the score it gets.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::band::{BandCutoffs, HealthBand};
use super::factor::FactorValues;
use super::scoring::{self, HealthScore, ScoreKind, ScoreModel};
use super::signals::{self, SignalWindows};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JumpstartModel {
    pub factors: ScoreModel,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthConfig {
    /// Accounts younger than this many days are scored by the jumpstart model.
    pub jumpstart_days: i64,
    pub bands: BandCutoffs,
    pub windows: SignalWindows,
    pub factors: ScoreModel,
    pub jumpstart: JumpstartModel,
}

impl HealthConfig {
    pub fn kind_for(&self, customer_since: Option<NaiveDate>, as_of: NaiveDate) -> ScoreKind {
        if signals::in_jumpstart(customer_since, as_of, self.jumpstart_days) {
            ScoreKind::Jumpstart
        } else {
            ScoreKind::Regular
        }
    }

    pub fn model(&self, kind: ScoreKind) -> &ScoreModel {
        match kind {
            ScoreKind::Regular => &self.factors,
            ScoreKind::Jumpstart => &self.jumpstart.factors,
        }
    }

    /// The full, explainable score of one account.
    pub fn assess(&self, values: &FactorValues, customer_since: Option<NaiveDate>, as_of: NaiveDate) -> HealthScore {
        let kind = self.kind_for(customer_since, as_of);
        scoring::score(values, self.model(kind), &self.bands, kind)
    }

    /// Score and band only, for whole portfolios.
    pub fn quick(
        &self,
        values: &FactorValues,
        customer_since: Option<NaiveDate>,
        as_of: NaiveDate,
    ) -> (ScoreKind, Option<(u8, HealthBand)>) {
        let kind = self.kind_for(customer_since, as_of);
        (kind, scoring::score_only(values, self.model(kind), &self.bands))
    }

    /// Which factors of the score in force are stale on `as_of`: a bit per factor
    /// (`FactorId::index`) whose data is older than its `stale_after_days`.
    pub fn stale_mask(
        &self,
        values: &FactorValues,
        ages: &[Option<i64>; crate::domain::FactorId::COUNT],
        customer_since: Option<NaiveDate>,
        as_of: NaiveDate,
    ) -> u16 {
        let model = self.model(self.kind_for(customer_since, as_of));
        model
            .iter()
            .filter(|(id, rule)| {
                values.get(**id).is_some()
                    && rule.stale_after_days.zip(ages[id.index()]).is_some_and(|(limit, age)| age > limit)
            })
            .fold(0u16, |mask, (id, _)| mask | 1 << id.index())
    }

    /// What is wrong with this configuration, as (key below `health`, reason).
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if !(1..=3650).contains(&self.jumpstart_days) {
            out.push(("jumpstart_days".into(), format!("must be 1-3650 days, not {}", self.jumpstart_days)));
        }
        if let Some(p) = self.bands.problem() {
            out.push(("bands".into(), p));
        }
        out.extend(self.windows.problems().into_iter().map(|(k, r)| (format!("windows.{k}"), r)));
        for (prefix, model) in [("factors", &self.factors), ("jumpstart.factors", &self.jumpstart.factors)] {
            for (id, rule) in model {
                if let Some(p) = rule.problem() {
                    out.push((format!("{prefix}.{}", id.key()), p));
                }
            }
            if !model.values().any(|r| r.weight > 0.0) {
                out.push((prefix.to_string(), "at least one factor needs a weight above 0".into()));
            }
        }
        out
    }
}
