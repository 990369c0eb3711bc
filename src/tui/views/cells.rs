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
        (Some(s), Some(b)) => {
            let js = if mark_jumpstart && r.kind == ScoreKind::Jumpstart { " js" } else { "" };
            let s = if r.thin { format!("~{s}") } else { s.to_string() };
            Span::styled(format!("{} {s:>3}{js}", b.letter()), theme.band(Some(b)))
        }
        _ if r.not_enough_data() => Span::styled("low data", theme.dim()),
        _ => Span::styled("no score", theme.dim()),
    }
}
