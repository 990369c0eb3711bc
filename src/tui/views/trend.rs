//! Drawing history: the score chart with the band cut-offs, and factor sparklines. Both come out
//! as text lines, so they scroll with the rest of the Account view's Health tab.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Widget};

use crate::domain::history::DayHealth;
use crate::domain::{BandCutoffs, Better, FactorId, FactorValues, HealthBand};
use crate::tui::theme::Theme;

/// The score over the window as a chart `height` rows tall, with a dotted line at each band's
/// lowest score. Days without a score are gaps.
pub fn score_chart(
    series: &[(NaiveDate, FactorValues, DayHealth)],
    from: NaiveDate,
    to: NaiveDate,
    cutoffs: &BandCutoffs,
    width: u16,
    height: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let span = (to - from).num_days().max(1) as f64;
    let x = |d: NaiveDate| (d - from).num_days() as f64;
    // One dataset per run of scored days, so a gap is not drawn across.
    let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for (day, _, h) in series {
        match h.score {
            Some(s) => runs.last_mut().expect("one run").push((x(*day), f64::from(s))),
            None if !runs.last().expect("one run").is_empty() => runs.push(Vec::new()),
            None => {}
        }
    }
    let lines: Vec<(HealthBand, [(f64, f64); 2])> = [
        (HealthBand::Green, cutoffs.green),
        (HealthBand::Yellow, cutoffs.yellow),
        (HealthBand::Orange, cutoffs.orange),
    ]
    .into_iter()
    .map(|(b, at)| (b, [(0.0, f64::from(at)), (span, f64::from(at))]))
    .collect();
    let mut datasets: Vec<Dataset> = lines
        .iter()
        .map(|(band, pts)| {
            Dataset::default().marker(Marker::Dot).graph_type(GraphType::Line).style(theme.band(Some(*band))).data(pts)
        })
        .collect();
    for run in runs.iter().filter(|r| !r.is_empty()) {
        datasets.push(
            Dataset::default().marker(Marker::Braille).graph_type(GraphType::Line).style(theme.title()).data(run),
        );
    }
    let chart = Chart::new(datasets)
        .x_axis(
            Axis::default()
                .bounds([0.0, span])
                .labels([from.format("%b %-d").to_string(), to.format("%b %-d").to_string()])
                .style(theme.dim()),
        )
        .y_axis(Axis::default().bounds([0.0, 100.0]).labels(["0", "50", "100"]).style(theme.dim()));
    let area = Rect::new(0, 0, width, height);
    let mut buf = Buffer::empty(area);
    chart.render(area, &mut buf);
    buffer_lines(&buf)
}

/// A rendered buffer as styled lines, one per row.
fn buffer_lines(buf: &Buffer) -> Vec<Line<'static>> {
    (0..buf.area.height)
        .map(|y| {
            let mut spans: Vec<Span<'static>> = Vec::new();
            let mut text = String::new();
            let mut style = Style::default();
            for x in 0..buf.area.width {
                let cell = &buf[(x, y)];
                if cell.style() != style && !text.is_empty() {
                    spans.push(Span::styled(std::mem::take(&mut text), style));
                }
                style = cell.style();
                text.push_str(cell.symbol());
            }
            spans.push(Span::styled(text, style));
            Line::from(spans)
        })
        .collect()
}

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A factor's raw values over the window in `width` characters, scaled over the values seen and
/// the factor's `thresholds` (with half their spread beside them): a bar's height says where the
/// value stands against what earns points, so flat data draws flat (a growth of -0.2% drew
/// "▁█▂" scaled between its own lowest and highest) and a single sentiment of 2 draws low, not
/// mid-height. A character with no data is blank. Returns the line and the (low, high) seen.
///
/// Up is better on every line: a factor where lower is better (days since a touch, overdue
/// milestones) is drawn upside down, or its best value drew low beside the others' best drawn
/// high. Values that are never below zero are not drawn against room below it (0 days drew a
/// step above the floor).
pub fn sparkline(
    series: &[(NaiveDate, FactorValues, DayHealth)],
    id: FactorId,
    from: NaiveDate,
    to: NaiveDate,
    width: usize,
    rule: (Better, [f64; 3]),
) -> (String, Option<(f64, f64)>) {
    let (better, thresholds) = rule;
    let days = ((to - from).num_days() + 1).max(1) as usize;
    let mut buckets: Vec<Option<f64>> = vec![None; width];
    let mut points: Vec<Option<u8>> = vec![None; width];
    for (day, values, health) in series {
        if let Some(v) = values.get(id) {
            let i = ((*day - from).num_days().max(0) as usize * width / days).min(width.saturating_sub(1));
            // The latest value in each bucket: what the factor read at the end of that stretch.
            buckets[i] = Some(v);
            points[i] = health.points.points(id);
        }
    }
    let seen: Vec<f64> = buckets.iter().flatten().copied().collect();
    let Some(low) = seen.iter().copied().reduce(f64::min) else { return (" ".repeat(width), None) };
    let high = seen.iter().copied().fold(low, f64::max);
    let (t_low, t_high) =
        (thresholds.iter().copied().fold(f64::MAX, f64::min), thresholds.iter().copied().fold(f64::MIN, f64::max));
    let pad = (t_high - t_low) / 2.0;
    let floor = if low >= 0.0 && t_low >= 0.0 { 0.0 } else { f64::MIN };
    let (bottom, top) = (low.min((t_low - pad).max(floor)), high.max(t_high + pad));
    let height = |v: f64| match better {
        Better::Higher => (v - bottom) / (top - bottom),
        Better::Lower => (top - v) / (top - bottom),
    };
    // The heights a day's points stand between: a value its points read otherwise (no use in
    // either window, "0 -> 0", at the fewest points) is drawn where its points are, not at the
    // top where "0%" stands against the thresholds (a probe read a full bar beside 1 point).
    let [a, b, c] = thresholds;
    let within = |p: u8| -> (f64, f64) {
        let edges = [f64::NEG_INFINITY, a, b, c, f64::INFINITY];
        let (lo, hi) = match better {
            Better::Higher => (edges[usize::from(p - 1)], edges[usize::from(p)]),
            Better::Lower => (edges[usize::from(4 - p)], edges[usize::from(5 - p)]),
        };
        let (h1, h2) = (height(lo.clamp(bottom, top)), height(hi.clamp(bottom, top)));
        (h1.min(h2), h1.max(h2))
    };
    let line = buckets
        .iter()
        .zip(&points)
        .map(|(b, p)| match b {
            None => ' ',
            Some(_) if top - bottom < 1e-9 => BARS[3],
            Some(v) => {
                // Read better than its points, it is drawn at the foot of their heights (a "0 -> 0"
                // at 1 point at the floor, as "Active users 0" is); read worse, at their top.
                let h = match p.filter(|p| (1..=4).contains(p)) {
                    Some(p) => {
                        let (lo, hi) = within(p);
                        match height(*v) {
                            h if h > hi => lo,
                            h if h < lo => hi,
                            h => h,
                        }
                    }
                    None => height(*v),
                };
                BARS[(h * 7.0).round().clamp(0.0, 7.0) as usize]
            }
        })
        .collect();
    (line, Some((low, high)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::builtin as id;
    use crate::domain::history::PackedPoints;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn day(s: &str, sentiment: Option<f64>) -> (NaiveDate, FactorValues, DayHealth) {
        let mut v = FactorValues::default();
        v.set(id("sentiment"), sentiment);
        (d(s), v, DayHealth { score: None, points: PackedPoints::default() })
    }

    #[test]
    fn sparkline_scales_between_low_and_high_and_leaves_gaps() {
        let series = [day("2026-01-01", Some(2.0)), day("2026-01-03", Some(10.0)), day("2026-01-04", None)];
        let (line, range) =
            sparkline(&series, id("sentiment"), d("2026-01-01"), d("2026-01-04"), 4, (Better::Higher, [4.0, 6.0, 8.0]));
        assert_eq!(line, "▁ █ ");
        assert_eq!(range, Some((2.0, 10.0)));
        let (empty, none) =
            sparkline(&series, id("nps"), d("2026-01-01"), d("2026-01-04"), 4, (Better::Higher, [5.0, 7.0, 9.0]));
        assert_eq!((empty.as_str(), none), ("    ", None));
    }

    /// Up is better on every line: days since a touch of 0 draw tall, at the top, and 40 low;
    /// 0 is the floor of a value never below it, not a step above it.
    #[test]
    fn a_factor_where_lower_is_better_draws_upside_down() {
        let touch = |v: f64, s: &str| {
            let mut values = FactorValues::default();
            values.set(id("days_since_touch"), Some(v));
            (d(s), values, DayHealth { score: None, points: PackedPoints::default() })
        };
        let series = [touch(0.0, "2026-01-01"), touch(40.0, "2026-01-02")];
        let rule = (Better::Lower, [30.0, 14.0, 7.0]);
        let (line, _) = sparkline(&series, id("days_since_touch"), d("2026-01-01"), d("2026-01-02"), 2, rule);
        assert_eq!(line, "█▁");
        let (line, _) =
            sparkline(&series, id("days_since_touch"), d("2026-01-01"), d("2026-01-02"), 2, (Better::Higher, rule.1));
        assert_eq!(line, "▁█");
    }

    /// A value its points read otherwise is drawn where its points stand: no use in either window
    /// ("0 -> 0", at the fewest points) draws low, not at the top where 0% stands.
    #[test]
    fn a_value_is_drawn_within_its_points() {
        let change = |v: f64, p: u8, s: &str| {
            let mut values = FactorValues::default();
            values.set(id("active_users_change"), Some(v));
            let points = PackedPoints::new(crate::domain::ScoreKind::Regular, [(id("active_users_change"), Some(p))]);
            (d(s), values, DayHealth { score: None, points })
        };
        let rule = (Better::Higher, [-50.0, -30.0, -20.0]);
        let series = [change(0.0, 1, "2026-01-01"), change(0.0, 4, "2026-01-02")];
        let (line, _) = sparkline(&series, id("active_users_change"), d("2026-01-01"), d("2026-01-02"), 2, rule);
        let heights: Vec<usize> = line.chars().map(|c| BARS.iter().position(|b| *b == c).unwrap()).collect();
        assert!(heights[0] == 0 && heights[1] >= 5, "{line}");
    }

    /// Against the thresholds: a value that barely moves draws flat, and one alone draws where it
    /// stands (a sentiment of 2 low, of 9 high), not at mid-height whatever it is.
    #[test]
    fn sparkline_heights_stand_against_the_thresholds() {
        let growth = |v: f64, s: &str| {
            let mut values = FactorValues::default();
            values.set(id("usage_growth"), Some(v));
            (d(s), values, DayHealth { score: None, points: PackedPoints::default() })
        };
        let series = [growth(-0.4, "2026-01-01"), growth(0.3, "2026-01-02"), growth(-0.2, "2026-01-03")];
        let (line, _) = sparkline(
            &series,
            id("usage_growth"),
            d("2026-01-01"),
            d("2026-01-03"),
            3,
            (Better::Higher, [-20.0, -10.0, 10.0]),
        );
        assert!(line.chars().all(|c| c == line.chars().next().unwrap()), "{line}");
        let low = [day("2026-01-03", Some(2.0))];
        let (line, _) =
            sparkline(&low, id("sentiment"), d("2026-01-01"), d("2026-01-03"), 3, (Better::Higher, [4.0, 6.0, 8.0]));
        assert_eq!(line, "  ▁");
        let high = [day("2026-01-03", Some(9.0))];
        let (line, _) =
            sparkline(&high, id("sentiment"), d("2026-01-01"), d("2026-01-03"), 3, (Better::Higher, [4.0, 6.0, 8.0]));
        assert!(matches!(line.chars().last(), Some('▆' | '▇' | '█')), "{line}");
    }
}
