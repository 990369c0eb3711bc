//! Customer satisfaction from survey responses, as CS leaders report it:
//! - **NPS** = % promoters (9-10) - % detractors (0-6) of the NPS responses, -100 to 100;
//! - **CSAT** = % of CSAT responses that are satisfied (4 or 5 on 1-5);
//! - **CES** = the average CES response (1-7, lower is less effort).
//!
//! Every response counts once, whoever gave it: an account that answered twice weighs twice.

use super::entry::EntryKind;

/// The responses of one kind: how many, and the parts the figure is made of.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tally {
    pub responses: usize,
    /// NPS promoters (9-10); CSAT satisfied (4-5).
    pub positive: usize,
    /// NPS detractors (0-6).
    pub negative: usize,
    pub sum: i64,
}

/// The three surveys of one group (a book, a CSM, a segment…) over one period.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Satisfaction {
    pub nps: Tally,
    pub csat: Tally,
    pub ces: Tally,
}

impl Satisfaction {
    /// Count one response; other kinds of entry are no survey and are ignored.
    pub fn add(&mut self, kind: EntryKind, score: i64) {
        let (tally, positive, negative) = match kind {
            EntryKind::Nps => (&mut self.nps, score >= 9, score <= 6),
            EntryKind::Csat => (&mut self.csat, score >= 4, false),
            EntryKind::Ces => (&mut self.ces, false, false),
            _ => return,
        };
        tally.responses += 1;
        tally.positive += usize::from(positive);
        tally.negative += usize::from(negative);
        tally.sum += score;
    }

    pub fn responses(&self) -> usize {
        self.nps.responses + self.csat.responses + self.ces.responses
    }

    /// Promoters minus detractors, in points of percent; None without a response.
    pub fn nps(&self) -> Option<f64> {
        let t = self.nps;
        (t.responses > 0).then(|| (t.positive as f64 - t.negative as f64) / t.responses as f64 * 100.0)
    }

    /// The share of satisfied CSAT responses, in %.
    pub fn csat(&self) -> Option<f64> {
        let t = self.csat;
        (t.responses > 0).then(|| t.positive as f64 / t.responses as f64 * 100.0)
    }

    /// The average CES response.
    pub fn ces(&self) -> Option<f64> {
        let t = self.ces;
        (t.responses > 0).then(|| t.sum as f64 / t.responses as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_figures() {
        let mut s = Satisfaction::default();
        // NPS: 10, 9 promoters; 8, 7 passives; 6, 0 detractors: (2 - 2) / 6 = 0. Add a 9: 3-2 of 7.
        for score in [10, 9, 8, 7, 6, 0, 9] {
            s.add(EntryKind::Nps, score);
        }
        assert_eq!(s.nps.responses, 7);
        assert!((s.nps().unwrap() - 100.0 / 7.0).abs() < 1e-9);
        // CSAT: 5, 4 satisfied; 3, 1 not: 50%.
        for score in [5, 4, 3, 1] {
            s.add(EntryKind::Csat, score);
        }
        assert_eq!(s.csat(), Some(50.0));
        // CES: 1, 2, 6 average 3.
        for score in [1, 2, 6] {
            s.add(EntryKind::Ces, score);
        }
        assert_eq!(s.ces(), Some(3.0));
        s.add(EntryKind::Sentiment, 9);
        assert_eq!(s.responses(), 14, "a sentiment is no survey response");
    }

    #[test]
    fn no_responses_is_no_figure_not_zero() {
        let s = Satisfaction::default();
        assert_eq!((s.nps(), s.csat(), s.ces()), (None, None, None));
        let mut all_detractors = Satisfaction::default();
        all_detractors.add(EntryKind::Nps, 3);
        assert_eq!(all_detractors.nps(), Some(-100.0));
    }
}
