//! Health bands: the four colours of the 4-point scale, and the cut-offs that map a score to one.

use serde::{Deserialize, Serialize};

/// A health colour. Ordered worst first, so `min()` of two bands is the worse one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthBand {
    Red,
    Orange,
    Yellow,
    Green,
}

impl HealthBand {
    pub const ALL: [HealthBand; 4] = [HealthBand::Green, HealthBand::Yellow, HealthBand::Orange, HealthBand::Red];

    pub fn label(self) -> &'static str {
        match self {
            HealthBand::Green => "Green",
            HealthBand::Yellow => "Yellow",
            HealthBand::Orange => "Orange",
            HealthBand::Red => "Red",
        }
    }

    /// One letter, so that colour is never the only carrier of the band.
    pub fn letter(self) -> char {
        match self {
            HealthBand::Green => 'G',
            HealthBand::Yellow => 'Y',
            HealthBand::Orange => 'O',
            HealthBand::Red => 'R',
        }
    }
}

/// Lowest score (0-100, inclusive) of each band; below `orange` is Red.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandCutoffs {
    pub green: u8,
    pub yellow: u8,
    pub orange: u8,
}

impl BandCutoffs {
    pub fn band_for(&self, score: u8) -> HealthBand {
        if score >= self.green {
            HealthBand::Green
        } else if score >= self.yellow {
            HealthBand::Yellow
        } else if score >= self.orange {
            HealthBand::Orange
        } else {
            HealthBand::Red
        }
    }

    /// The score range a band covers, for explaining a colour ("Yellow is 50-74").
    pub fn range_of(&self, band: HealthBand) -> (u8, u8) {
        match band {
            HealthBand::Green => (self.green, 100),
            HealthBand::Yellow => (self.yellow, self.green.saturating_sub(1)),
            HealthBand::Orange => (self.orange, self.yellow.saturating_sub(1)),
            HealthBand::Red => (0, self.orange.saturating_sub(1)),
        }
    }

    /// Cut-offs must rise strictly from Orange to Green and stay within 0-100.
    pub fn problem(&self) -> Option<String> {
        if !(self.orange < self.yellow && self.yellow < self.green) {
            // Said as what is wrong: "orange (25) < yellow (60) < green (40)" read as a true
            // statement to a probe.
            return Some(format!(
                "cut-offs must rise strictly from orange to yellow to green, and here they do not: orange {}, \
                 yellow {}, green {}",
                self.orange, self.yellow, self.green
            ));
        }
        if self.green > 100 {
            return Some(format!("green ({}) is above the top score of 100", self.green));
        }
        if self.orange == 0 {
            return Some("orange must be above 0, or no account could ever be Red".into());
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CUTS: BandCutoffs = BandCutoffs { green: 75, yellow: 50, orange: 25 };

    #[test]
    fn boundaries_belong_to_the_higher_band() {
        assert_eq!(CUTS.band_for(75), HealthBand::Green);
        assert_eq!(CUTS.band_for(74), HealthBand::Yellow);
        assert_eq!(CUTS.band_for(50), HealthBand::Yellow);
        assert_eq!(CUTS.band_for(49), HealthBand::Orange);
        assert_eq!(CUTS.band_for(25), HealthBand::Orange);
        assert_eq!(CUTS.band_for(24), HealthBand::Red);
        assert_eq!(CUTS.band_for(0), HealthBand::Red);
        assert_eq!(CUTS.band_for(100), HealthBand::Green);
    }

    #[test]
    fn ranges_tile_zero_to_hundred() {
        assert_eq!(CUTS.range_of(HealthBand::Red), (0, 24));
        assert_eq!(CUTS.range_of(HealthBand::Orange), (25, 49));
        assert_eq!(CUTS.range_of(HealthBand::Yellow), (50, 74));
        assert_eq!(CUTS.range_of(HealthBand::Green), (75, 100));
    }

    #[test]
    fn unordered_cutoffs_are_refused() {
        let bad = BandCutoffs { green: 50, yellow: 60, orange: 25 };
        // Said as what is wrong, not as an inequality that reads true.
        let said = bad.problem().unwrap();
        assert!(
            said.contains("rise strictly") && said.ends_with("here they do not: orange 25, yellow 60, green 50"),
            "{said}"
        );
        assert!(CUTS.problem().is_none());
    }

    #[test]
    fn worse_band_orders_first() {
        assert!(HealthBand::Red < HealthBand::Green);
        assert_eq!(HealthBand::Yellow.min(HealthBand::Orange), HealthBand::Orange);
    }
}
