//! Segments: which kind of customer an account is, by one of two configured schemes.
//!
//! * `scores`: three 1-4 inputs (expected volume, advocacy, brand value) combined by a weighted sum
//!   and cut into named segments (the Passbase scheme).
//! * `arr_bands`: ARR bands with configured lower bounds (Janz's flies to elephants, or tiers).

use serde::{Deserialize, Serialize};

/// The segment every account without enough inputs falls into.
pub const UNSEGMENTED: &str = "Unsegmented";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SegmentScheme {
    Scores,
    ArrBands,
}

/// The three 1-4 segmentation inputs of one account; any may be unknown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SegmentInputs {
    pub volume: Option<u8>,
    pub advocacy: Option<u8>,
    pub brand: Option<u8>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArrBand {
    pub name: String,
    /// Lowest ARR (in whole currency units) in this band.
    pub min_arr: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoredSegment {
    pub name: String,
    /// Lowest weighted sum of the three inputs in this segment.
    pub min: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreSegmentation {
    pub volume_weight: f64,
    pub advocacy_weight: f64,
    pub brand_weight: f64,
    pub segments: Vec<ScoredSegment>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentConfig {
    pub scheme: SegmentScheme,
    pub arr_bands: Vec<ArrBand>,
    pub scores: ScoreSegmentation,
}

impl SegmentConfig {
    /// Sort bands and segments highest first, so the first one an account reaches is its own.
    pub fn normalise(&mut self) {
        self.arr_bands.sort_by(|a, b| b.min_arr.total_cmp(&a.min_arr));
        self.scores.segments.sort_by(|a, b| b.min.total_cmp(&a.min));
    }

    /// Segment names of the active scheme, largest first, then the catch-all.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = match self.scheme {
            SegmentScheme::ArrBands => self.arr_bands.iter().map(|b| b.name.as_str()).collect(),
            SegmentScheme::Scores => self.scores.segments.iter().map(|s| s.name.as_str()).collect(),
        };
        names.push(UNSEGMENTED);
        names
    }

    /// Segment names of both schemes, then the catch-all: what a setting by segment may name
    /// (the default touch cadences list both schemes').
    pub fn all_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.arr_bands.iter().map(|b| b.name.as_str()).collect();
        names.extend(self.scores.segments.iter().map(|s| s.name.as_str()));
        names.push(UNSEGMENTED);
        names
    }

    /// The segment of an account. Expects `normalise` to have run (config loading does it).
    pub fn segment_of(&self, arr: f64, inputs: SegmentInputs) -> &str {
        match self.scheme {
            // No ARR on record (a CRM file's blank, kept as 0) places an account in no ARR band:
            // it reads as "no revenue known", not as the smallest customers.
            SegmentScheme::ArrBands if arr <= 0.0 => UNSEGMENTED,
            SegmentScheme::ArrBands => {
                self.arr_bands.iter().find(|b| arr >= b.min_arr).map_or(UNSEGMENTED, |b| b.name.as_str())
            }
            SegmentScheme::Scores => {
                let (Some(v), Some(a), Some(b)) = (inputs.volume, inputs.advocacy, inputs.brand) else {
                    return UNSEGMENTED;
                };
                let s = &self.scores;
                let sum =
                    s.volume_weight * f64::from(v) + s.advocacy_weight * f64::from(a) + s.brand_weight * f64::from(b);
                s.segments.iter().find(|seg| sum >= seg.min).map_or(UNSEGMENTED, |seg| seg.name.as_str())
            }
        }
    }

    /// What is wrong with this configuration, as (key below `segments`, reason).
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if self.arr_bands.is_empty() {
            out.push(("arr_bands".into(), "at least one band is needed".into()));
        }
        if self.scores.segments.is_empty() {
            out.push(("scores.segments".into(), "at least one segment is needed".into()));
        }
        for (i, b) in self.arr_bands.iter().enumerate() {
            if b.name.trim().is_empty() {
                out.push((format!("arr_bands[{i}].name"), "a band needs a name".into()));
            }
            if !b.min_arr.is_finite() || b.min_arr < 0.0 {
                out.push((format!("arr_bands[{i}].min_arr"), "must be 0 or more".into()));
            }
        }
        for (i, s) in self.scores.segments.iter().enumerate() {
            if s.name.trim().is_empty() {
                out.push((format!("scores.segments[{i}].name"), "a segment needs a name".into()));
            }
        }
        for (key, w) in [
            ("scores.volume_weight", self.scores.volume_weight),
            ("scores.advocacy_weight", self.scores.advocacy_weight),
            ("scores.brand_weight", self.scores.brand_weight),
        ] {
            if !w.is_finite() || w < 0.0 {
                out.push((key.into(), format!("must be 0 or more, not {w}")));
            }
        }
        let mut names: Vec<&str> = self.arr_bands.iter().map(|b| b.name.as_str()).collect();
        names.sort();
        if names.windows(2).any(|w| w[0] == w[1]) {
            out.push(("arr_bands".into(), "band names must be unique".into()));
        }
        let mut names: Vec<&str> = self.scores.segments.iter().map(|s| s.name.as_str()).collect();
        names.sort();
        if names.windows(2).any(|w| w[0] == w[1]) {
            out.push(("scores.segments".into(), "segment names must be unique".into()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(scheme: SegmentScheme) -> SegmentConfig {
        let mut c = SegmentConfig {
            scheme,
            arr_bands: vec![
                ArrBand { name: "Rabbit".into(), min_arr: 1_000.0 },
                ArrBand { name: "Elephant".into(), min_arr: 100_000.0 },
                ArrBand { name: "Mouse".into(), min_arr: 0.0 },
                ArrBand { name: "Deer".into(), min_arr: 10_000.0 },
            ],
            scores: ScoreSegmentation {
                volume_weight: 2.0,
                advocacy_weight: 1.0,
                brand_weight: 1.0,
                segments: vec![
                    ScoredSegment { name: "Scale".into(), min: 0.0 },
                    ScoredSegment { name: "Strategic".into(), min: 13.0 },
                    ScoredSegment { name: "Core".into(), min: 9.0 },
                ],
            },
        };
        c.normalise();
        c
    }

    #[test]
    fn arr_bands_include_their_lower_bound() {
        let c = config(SegmentScheme::ArrBands);
        let none = SegmentInputs::default();
        assert_eq!(c.segment_of(100_000.0, none), "Elephant");
        assert_eq!(c.segment_of(99_999.99, none), "Deer");
        assert_eq!(c.segment_of(1_000.0, none), "Rabbit");
        assert_eq!(c.segment_of(0.5, none), "Mouse");
        // No ARR on record is no band, even one from 0.
        assert_eq!(c.segment_of(0.0, none), UNSEGMENTED);
        assert_eq!(c.names(), vec!["Elephant", "Deer", "Rabbit", "Mouse", UNSEGMENTED]);
    }

    #[test]
    fn score_scheme_uses_the_weighted_sum() {
        let c = config(SegmentScheme::Scores);
        let s = |v, a, b| SegmentInputs { volume: Some(v), advocacy: Some(a), brand: Some(b) };
        // 2*4 + 3 + 2 = 13 -> Strategic; 2*3 + 2 + 1 = 9 -> Core; 2*1+1+1 = 4 -> Scale
        assert_eq!(c.segment_of(0.0, s(4, 3, 2)), "Strategic");
        assert_eq!(c.segment_of(0.0, s(3, 2, 1)), "Core");
        assert_eq!(c.segment_of(0.0, s(3, 1, 1)), "Scale");
        assert_eq!(c.segment_of(0.0, s(1, 1, 1)), "Scale");
        let partial = SegmentInputs { volume: Some(4), advocacy: None, brand: Some(4) };
        assert_eq!(c.segment_of(0.0, partial), UNSEGMENTED);
    }

    #[test]
    fn arr_below_every_band_is_unsegmented() {
        let mut c = config(SegmentScheme::ArrBands);
        c.arr_bands.retain(|b| b.min_arr > 0.0);
        assert_eq!(c.segment_of(500.0, SegmentInputs::default()), UNSEGMENTED);
    }

    #[test]
    fn duplicate_names_are_problems() {
        let mut c = config(SegmentScheme::ArrBands);
        c.arr_bands[0].name = "Deer".into();
        assert!(c.problems().iter().any(|(k, r)| k == "arr_bands" && r.contains("unique")));
        assert!(config(SegmentScheme::Scores).problems().is_empty());
    }
}
