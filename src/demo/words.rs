//! The demo's word lists, from `assets/demo.toml`.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;

const DEMO_TOML: &str = include_str!("../../assets/demo.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoWords {
    pub company_first: Vec<String>,
    pub company_second: Vec<String>,
    pub company_suffix: Vec<String>,
    pub csm_first: Vec<String>,
    pub csm_last: Vec<String>,
    pub plans: Vec<String>,
    pub sentiment_good: Vec<String>,
    pub sentiment_mixed: Vec<String>,
    pub sentiment_bad: Vec<String>,
    pub touch_notes: Vec<String>,
    pub bug_titles: Vec<String>,
    /// (the customer's words, the measure)
    pub goals: Vec<(String, String)>,
}

impl DemoWords {
    pub fn load() -> DemoWords {
        toml::from_str(DEMO_TOML).expect("assets/demo.toml is valid (checked by a test)")
    }

    pub fn pick<'a>(&self, rng: &mut ChaCha8Rng, list: &'a [String]) -> &'a str {
        &list[rng.random_range(0..list.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_load_and_are_not_empty() {
        let w = DemoWords::load();
        for list in [&w.company_first, &w.company_second, &w.csm_first, &w.csm_last, &w.touch_notes, &w.bug_titles] {
            assert!(!list.is_empty());
        }
        assert_eq!(w.plans.len(), 4, "the demo maps ARR to four plans");
    }
}
