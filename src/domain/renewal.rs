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

    /// An account's likelihood: its band's, but no more than Orange's where it is said to be in
    /// trouble (`PortfolioRow::says_at_risk`: its CSM's sentiment at its worst, a risk flag open,
    /// or no score and data at its worst): a Green score over a 2/10 and a cancellation notice
    /// read "80% likely" to a lead.
    pub fn of_account(&self, band: Option<HealthBand>, says_at_risk: bool) -> f64 {
        match says_at_risk {
            true => self.of(band).min(self.orange),
            false => self.of(band),
        }
    }

    /// A renewal's likelihood: its account's (`of_account`), and no more than the no-score prior
    /// once it is past its day with nothing recorded (`late`): the band says how the account is,
    /// not whether the contract was signed. Two probes' leads would not defend a Green renewal 70
    /// days late at 95% to a CFO.
    pub fn of_renewal(&self, band: Option<HealthBand>, says_at_risk: bool, late: bool) -> f64 {
        match late {
            true => self.of_account(band, says_at_risk).min(self.no_score),
            false => self.of_account(band, says_at_risk),
        }
    }

    /// Whether being said to be in trouble, or late, lowered the renewal's likelihood below its
    /// band's (said beside it: a Yellow renewal at 50% read as less likely than an unscored one
    /// at 60%).
    pub fn lowered(&self, band: Option<HealthBand>, says_at_risk: bool, late: bool) -> bool {
        self.of_renewal(band, says_at_risk, late) < self.of(band)
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

/// How far past its date a renewal not marked renewed or churned is still one to chase; further
/// past it is most often a CRM's date not kept up: listed apart, in no sum, and no triage reason.
pub const LONG_PAST_DAYS: i64 = 90;

/// The renewal date after a renewal on `renewed_on` that a file records without a new date (an
/// imported outcome): the term that renewed is the one whose date is at most 90 days after the
/// renewal (renewed early) or any time before it (renewed late), and the next date is a year on
/// from it, as many years as it takes to pass the renewal's day. A date further ahead is already
/// the next term's, and is kept; so is no date.
pub fn next_term(renewal: Option<chrono::NaiveDate>, renewed_on: chrono::NaiveDate) -> Option<chrono::NaiveDate> {
    let renewal = renewal?;
    if renewal > renewed_on + chrono::Duration::days(LONG_PAST_DAYS) {
        return Some(renewal);
    }
    // At least one term on (renewed early, the date still ahead), as many as it takes (late).
    let mut date = renewal;
    loop {
        date = date.checked_add_months(chrono::Months::new(12))?;
        if date > renewed_on {
            return Some(date);
        }
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
    /// ARR of the Orange and Red renewals, and of those the CSM says are in trouble (a sentiment
    /// at its worst, a risk flag open) whatever their band.
    pub at_risk: Cents,
    /// How many renewals `at_risk` is the ARR of (those with no ARR on record too).
    pub at_risk_count: usize,
    /// Renewals without a score: in the forecast at the no-score likelihood, a prior rather than
    /// evidence, and never counted at risk (nothing says they are or are not).
    pub unscored: usize,
    /// Renewals without a score said at risk all the same (a sentiment at its worst, a risk flag
    /// open, its data at its worst): in `at_risk`, on that word rather than a score.
    pub said_unscored: usize,
    /// Renewals with no ARR on record (a CRM's blank, kept as 0): in no sum, and said beside
    /// them, so that a sum is not read as the whole.
    pub without_arr: usize,
    /// Of those, the Orange and Red ones: at risk for an amount nobody recorded.
    pub at_risk_without_arr: usize,
    /// Renewals listed whose date is long past (`book::renewals::LONG_PAST_DAYS`), neither
    /// renewed nor churned in tend: most often a CRM's date not kept up. In none of the sums
    /// above (a renewal two years late is not 60% likely), counted here and said.
    pub long_past: usize,
    /// Renewals past their day (not long past) with nothing recorded, and their ARR: in the sums
    /// at their band's likelihood, as if still to come (a probe's "90d late" Green renewal read
    /// 95% in a forecast a CFO was to see), and said beside them.
    pub past_due: usize,
    pub past_due_arr: Cents,
}

impl Forecast {
    /// What is said of the renewals past their day in the sums: None when there are none.
    pub fn past_due_note(&self, likelihood: &Likelihood, currency: &str) -> Option<String> {
        let n = self.past_due;
        (n > 0).then(|| {
            format!(
                "{} past {their} day with nothing recorded ({} ARR): in the forecast at {:.0}% at most (as an \
                 account with no score: {their} band does not say whether the contract was signed), until renewed or \
                 churned",
                crate::text::counted(n, "renewal", "renewals"),
                self.past_due_arr.full(currency),
                likelihood.no_score * 100.0,
                their = if n == 1 { "its" } else { "their" },
            )
        })
    }

    /// What is said of the renewals long past: None when there are none.
    /// In fewer words where `short` (a narrow screen).
    pub fn long_past_note(&self, short: bool) -> Option<String> {
        let n = self.long_past;
        (n > 0).then(|| {
            let n = crate::domain::account::thousands(n as u64);
            let dates = if self.long_past == 1 { "date" } else { "dates" };
            match short {
                true => format!("{n} {dates} long past on import: listed last, in no sum"),
                false => format!(
                    "{n} renewal {dates} more than {LONG_PAST_DAYS} days past when imported: listed last, in none of \
                     these sums"
                ),
            }
        })
    }

    pub fn add(&mut self, likelihood: &Likelihood, arr: Cents, band: Option<HealthBand>) {
        self.add_account(likelihood, arr, band, false, false);
    }

    /// A renewal that may be said to be in trouble (`PortfolioRow::says_at_risk`): then at risk
    /// whatever its band, and no more likely than an Orange one; and may be past its day with
    /// nothing recorded (`late`): then no more likely than the no-score prior, and counted apart.
    pub fn add_account(
        &mut self,
        likelihood: &Likelihood,
        arr: Cents,
        band: Option<HealthBand>,
        says_at_risk: bool,
        late: bool,
    ) {
        self.renewals += 1;
        self.due.0 += arr.0;
        self.expected.0 += (arr.0 as f64 * likelihood.of_renewal(band, says_at_risk, late)).round() as i64;
        if late {
            self.past_due += 1;
            self.past_due_arr.0 += arr.0;
        }
        // A risk flag on an account without a score is evidence enough: at risk too.
        let at_risk = matches!(band, Some(HealthBand::Orange | HealthBand::Red)) || says_at_risk;
        if at_risk {
            self.at_risk.0 += arr.0;
            self.at_risk_count += 1;
        }
        if arr.on_record().is_none() {
            self.without_arr += 1;
            self.at_risk_without_arr += usize::from(at_risk);
        }
        // Without a score but said at risk, it is in the forecast on that word, not on the
        // no-score prior.
        match (band, says_at_risk) {
            (None, false) => self.unscored += 1,
            (None, true) => self.said_unscored += 1,
            _ => {}
        }
    }

    /// How much of the forecast is the no-score prior, said beside it: "all 87 unscored, at
    /// 60%", "12 unscored at 60%"; None when every renewal has a score.
    pub fn prior_note(&self, likelihood: &Likelihood) -> Option<String> {
        let pct = (likelihood.no_score * 100.0).round();
        match self.unscored {
            0 => None,
            n if n == self.renewals && n > 1 => {
                Some(format!("all {} unscored, at {pct}%", crate::domain::account::thousands(n as u64)))
            }
            n => Some(format!("{} unscored at {pct}%", crate::domain::account::thousands(n as u64))),
        }
    }

    /// ARR at risk as said: the sum (in whole units, as the forecast beside it), or that no
    /// renewal has a score to say it (not $0); renewals at risk with no ARR on record are
    /// counted beside the sum ("at risk $0" over an Orange account would say nothing is); what
    /// the sum is of, in brackets, where some renewals have no score.
    pub fn at_risk_text(&self, currency: &str) -> String {
        match self.at_risk_known() {
            None => "at risk: unknown (none scored)".to_string(),
            Some(sum) => {
                let sum = format!("at risk {}{}", sum.rounded().full(currency), self.at_risk_unpriced());
                match self.at_risk_scope() {
                    Some(scope) => format!("{sum} ({scope})"),
                    None => sum,
                }
            }
        }
    }

    /// What the ARR at risk is of, when some renewals have no score ("$0" alone would read as
    /// none): "3 of the 50 with a score", "3 of the 50 with a score and 6 at risk without a score" (those at risk
    /// without a score are not "scored": a probe's "of the 6 scored" counted two with none).
    pub fn at_risk_scope(&self) -> Option<String> {
        if self.unscored == 0 {
            return None;
        }
        let scored = self.renewals - self.unscored - self.said_unscored;
        let n = |n: usize| crate::domain::account::thousands(n as u64);
        // How many of the scored renewals the sum is of: "of the 4 scored" read as four at risk
        // to a probe, of whom one was.
        // "with a score", not "scored": "none of the 3 scored" read as none of them scored.
        let of_scored = match self.at_risk_count.saturating_sub(self.said_unscored) {
            0 => format!("none of the {} with a score", n(scored)),
            k => format!("{} of the {} with a score", n(k), n(scored)),
        };
        // "of the 0 scored and 7 said at risk" read as a count of nothing; and "said" as a
        // CSM's word where it was the data at its worst (a probe's CSM had said nothing): at risk
        // by a CSM's word, a risk flag or data at its worst, as the list marks each.
        let unscored = |said: usize| format!("{} at risk without a score", n(said));
        Some(match (scored, self.said_unscored) {
            (0, 0) => "none of them is scored".to_string(),
            // "the 1 at risk without a score; no renewal here has one" was unreadable to a founder.
            (0, said) => format!(
                "{} marked at risk; no renewal here has a score",
                crate::text::counted(said, "renewal without a score", "renewals without a score")
            ),
            (_, 0) => of_scored,
            // "none of the 4 scored and 1 at risk without a score" read as none of either.
            // "none of the 1 with one" puzzled a founder: the scored ones are said not at risk.
            (1, said) if self.at_risk_count <= said => format!("{}; the 1 with a score is not at risk", unscored(said)),
            (_, said) if self.at_risk_count <= said => {
                format!("{}; none of the {} with a score is at risk", unscored(said), n(scored))
            }
            (_, said) => format!("{of_scored} and {}", unscored(said)),
        })
    }

    /// " + 1 with no ARR" when renewals at risk have no ARR on record; else nothing.
    pub fn at_risk_unpriced(&self) -> String {
        match self.at_risk_without_arr {
            0 => String::new(),
            n => format!(" + {n} with no ARR"),
        }
    }

    /// " (8 with no ARR)" beside the ARR due when renewals have none on record; else nothing.
    pub fn due_unpriced(&self) -> String {
        match self.without_arr {
            0 => String::new(),
            n => format!(" ({n} with no ARR)"),
        }
    }

    /// The ARR at risk, unless no renewal due has a score to tell it (then unknown, not $0).
    pub fn at_risk_known(&self) -> Option<Cents> {
        (self.renewals == 0 || self.unscored < self.renewals).then_some(self.at_risk)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn the_at_risk_scope_never_counts_nothing() {
        let scope = |renewals, unscored, said_unscored, at_risk_count| {
            Forecast { renewals, unscored, said_unscored, at_risk_count, ..Default::default() }.at_risk_scope()
        };
        assert_eq!(scope(5, 0, 0, 1), None);
        assert_eq!(scope(5, 2, 0, 1).as_deref(), Some("1 of the 3 with a score"));
        assert_eq!(scope(5, 2, 0, 0).as_deref(), Some("none of the 3 with a score"));
        assert_eq!(scope(5, 1, 1, 2).as_deref(), Some("1 of the 3 with a score and 1 at risk without a score"));
        assert_eq!(
            scope(5, 1, 1, 1).as_deref(),
            Some("1 at risk without a score; none of the 3 with a score is at risk")
        );
        assert_eq!(scope(3, 1, 1, 1).as_deref(), Some("1 at risk without a score; the 1 with a score is not at risk"));
        assert_eq!(
            scope(10, 3, 7, 7).as_deref(),
            Some("7 renewals without a score marked at risk; no renewal here has a score")
        );
        assert_eq!(scope(3, 3, 0, 0).as_deref(), Some("none of them is scored"));
    }

    #[test]
    fn an_imported_renewal_moves_the_date_a_term_on() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // Renewed late: a year on from the date that renewed.
        assert_eq!(next_term(Some(d("2026-09-04")), d("2026-10-07")), Some(d("2027-09-04")));
        // Renewed on a date years stale: as many years as it takes.
        assert_eq!(next_term(Some(d("2024-05-23")), d("2026-11-19")), Some(d("2027-05-23")));
        // Renewed early, within 90 days of the date: the term ending then renewed.
        assert_eq!(next_term(Some(d("2026-08-01")), d("2026-07-12")), Some(d("2027-08-01")));
        // A date further ahead is the next term's already; no date stays none.
        assert_eq!(next_term(Some(d("2027-06-01")), d("2026-07-12")), Some(d("2027-06-01")));
        assert_eq!(next_term(None, d("2026-07-12")), None);
    }

    /// A renewal past its day with nothing recorded is no more likely than the no-score prior,
    /// whatever its band; a Red one keeps Red's; it is counted apart, with its ARR.
    #[test]
    fn a_late_renewal_is_at_the_no_score_likelihood_at_most() {
        let l = Config::default().renewals.likelihood;
        assert_eq!(l.of_renewal(Some(HealthBand::Green), false, true), l.no_score);
        assert_eq!(l.of_renewal(Some(HealthBand::Red), false, true), l.red);
        assert_eq!(l.of_renewal(Some(HealthBand::Green), false, false), l.green);
        assert!(l.lowered(Some(HealthBand::Green), false, true) && !l.lowered(Some(HealthBand::Red), false, true));
        let mut f = Forecast::default();
        f.add_account(&l, Cents::from_units(100_000.0), Some(HealthBand::Green), false, true);
        f.add_account(&l, Cents::from_units(50_000.0), Some(HealthBand::Green), false, false);
        assert_eq!(f.expected, Cents::from_units(100_000.0 * l.no_score + 50_000.0 * l.green));
        assert_eq!((f.past_due, f.past_due_arr), (1, Cents::from_units(100_000.0)));
        let note = f.past_due_note(&l, "USD").unwrap();
        assert!(note.contains("1 renewal past its day") && note.contains("at 60% at most"), "{note}");
    }

    /// A Green account its CSM says is in trouble (a sentiment at its worst, a risk flag open) is
    /// at risk, at Orange's likelihood at most; a Red one keeps Red's.
    #[test]
    fn a_sentiment_at_its_worst_puts_a_renewal_at_risk_whatever_its_band() {
        let l = Config::default().renewals.likelihood;
        let mut f = Forecast::default();
        f.add_account(&l, Cents::from_units(250_000.0), Some(HealthBand::Green), true, false);
        f.add_account(&l, Cents::from_units(10_000.0), Some(HealthBand::Red), true, false);
        f.add_account(&l, Cents::from_units(40_000.0), Some(HealthBand::Green), false, false);
        // A risk flag open on an account without a score: at risk on the CSM's word.
        f.add_account(&l, Cents::from_units(5_000.0), None, true, false);
        assert_eq!(f.at_risk, Cents::from_units(265_000.0));
        assert_eq!(f.unscored, 0);
        let expected = 250_000.0 * l.orange + 10_000.0 * l.red + 40_000.0 * l.green + 5_000.0 * l.orange;
        assert_eq!(f.expected, Cents((expected * 100.0).round() as i64));
        assert_eq!(l.of_account(Some(HealthBand::Green), true), l.orange);
        assert_eq!(l.of_account(Some(HealthBand::Red), true), l.red);
    }

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
        // The one without a score is the prior's share, said beside the forecast.
        assert_eq!(f.unscored, 1);
        assert_eq!(f.prior_note(&l).as_deref(), Some("1 unscored at 60%"));
        assert_eq!(f.at_risk_text("USD"), "at risk $60,000 (2 of the 3 with a score)");
        // One without a score but said at risk is in the sum, and not counted as scored.
        let mut said = f;
        said.add_account(&l, Cents::from_units(57_600.0), None, true, false);
        assert_eq!((said.unscored, said.said_unscored), (1, 1));
        assert_eq!(
            said.at_risk_text("USD"),
            "at risk $117,600 (2 of the 3 with a score and 1 at risk without a score)"
        );
        // None scored: at risk is unknown, not $0.
        let mut none = Forecast::default();
        none.add(&l, Cents::from_units(20_000.0), None);
        none.add(&l, Cents::from_units(30_000.0), None);
        assert_eq!(none.prior_note(&l).as_deref(), Some("all 2 unscored, at 60%"));
        assert_eq!(none.at_risk_text("USD"), "at risk: unknown (none scored)");
        assert_eq!(Forecast::default().prior_note(&l), None);
        // A renewal at risk with no ARR on record is counted beside the sum, not as $0 of it.
        f.add(&l, Cents(0), Some(HealthBand::Orange));
        f.add(&l, Cents(0), Some(HealthBand::Green));
        assert_eq!((f.without_arr, f.at_risk_without_arr), (2, 1));
        assert_eq!(f.at_risk_text("USD"), "at risk $60,000 + 1 with no ARR (3 of the 5 with a score)");
        assert_eq!(f.due_unpriced(), " (2 with no ARR)");
        assert_eq!(none.due_unpriced(), "");
    }

    #[test]
    fn likelihoods_outside_0_to_1_are_refused() {
        let mut c = Config::default().renewals;
        c.likelihood.red = 1.5;
        assert_eq!(c.problems()[0].0, "likelihood.red");
    }
}
