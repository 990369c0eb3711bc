//! Cells several views draw the same way.

use ratatui::text::Span;

use crate::book::PortfolioRow;
use crate::domain::ScoreKind;
use crate::tui::theme::Theme;

/// An account's health: band letter and score (`js` marks the jumpstart score when asked, `~` a
/// score from thin data). An override shows the band in force with a star and the computed band
/// beside it: "Y* 23 (R)". Too little data for a score reads "low data", none at all "no score".
pub fn health(r: &PortfolioRow, theme: &Theme, mark_jumpstart: bool) -> Span<'static> {
    match (r.score, r.band) {
        (score, Some(b)) if r.overridden => {
            let computed = r.computed_band.map_or("-".to_string(), |c| c.letter().to_string());
            let score = score.map_or("  -".to_string(), |s| format!("{s:>3}"));
            Span::styled(format!("{}*{score} ({computed})", b.letter()), theme.band(Some(b)))
        }
        (Some(_), Some(b)) => {
            // A band below the score's, capped by a critical factor, says so before it says
            // jumpstart: "R  63" alone read as a contradiction.
            let mark = match (r.capped, mark_jumpstart && r.kind == ScoreKind::Jumpstart) {
                (true, _) => " cap",
                (false, true) => " js",
                (false, false) => "",
            };
            // Four columns after the letter, "~" included, so a thin 100 keeps the alignment.
            let s = r.shown_score().unwrap_or_default();
            Span::styled(format!("{}{s:>4}{mark}", b.letter()), theme.band(Some(b)))
        }
        _ if r.not_enough_data() => Span::styled("low data", theme.dim()),
        _ => Span::styled("no score", theme.dim()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AccountStatus, HealthBand};

    #[test]
    fn the_health_cell_keeps_its_width_with_marks() {
        let theme = Theme { color: false };
        let row = |score: u8, thin: bool| PortfolioRow {
            score: Some(score),
            thin,
            ..PortfolioRow::sample(1, "Deer", Some(HealthBand::Green), 1.0, AccountStatus::Active)
        };
        let cell = |r: PortfolioRow| health(&r, &theme, false).content.to_string();
        assert_eq!(cell(row(79, false)), "G  79");
        assert_eq!(cell(row(79, true)), "G ~79");
        assert_eq!(cell(row(100, true)), "G~100");
        assert_eq!(cell(row(100, false)), "G 100");
        let low = PortfolioRow { coverage: 20, ..PortfolioRow::sample(2, "Deer", None, 1.0, AccountStatus::Active) };
        assert_eq!(cell(low), "low data");
        let capped = PortfolioRow { capped: true, band: Some(HealthBand::Red), ..row(63, true) };
        assert_eq!(cell(capped), "R ~63 cap");
    }
}
