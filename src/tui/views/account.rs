//! The Account view: every factor behind the colour, and how they add up to the score.

use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::book::AccountDetail;
use crate::domain::factor::{Better, trim_number};
use crate::domain::{AccountStatus, FactorScore, HealthScore, ScoreKind};
use crate::tui::theme::Theme;

pub struct AccountView {
    pub detail: AccountDetail,
    pub scroll: u16,
    /// How far the last frame could scroll; keeps `scroll` within the content.
    max_scroll: Cell<u16>,
}

impl AccountView {
    pub fn new(detail: AccountDetail) -> Self {
        AccountView {
            detail,
            scroll: 0,
            max_scroll: Cell::new(u16::MAX),
        }
    }

    pub fn scroll_by(&mut self, delta: i32) {
        let max = i32::from(self.max_scroll.get());
        self.scroll = (i32::from(self.scroll) + delta).clamp(0, max) as u16;
    }

    pub fn scroll_to_end(&mut self) {
        self.scroll = self.max_scroll.get();
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let lines = self.lines(area.width, theme);
        let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
        let max_scroll = (paragraph.line_count(area.width) as u16).saturating_sub(area.height);
        self.max_scroll.set(max_scroll);
        let scroll = self.scroll.min(max_scroll);
        paragraph.scroll((scroll, 0)).render(area, buf);
        // Say so when there is more below, since the view has no scrollbar.
        if scroll < max_scroll && area.height > 0 && area.width > 12 {
            let hint = " ↓ more (j) ";
            let x = area.right() - hint.chars().count() as u16;
            buf.set_string(x, area.bottom() - 1, hint, theme.selected());
        }
    }

    fn lines(&self, width: u16, theme: &Theme) -> Vec<Line<'static>> {
        let d = &self.detail;
        let a = &d.account;
        let h = &d.health;
        let mut out = Vec::new();

        out.push(Line::from(vec![
            Span::styled(a.name.clone(), theme.title()),
            Span::styled(format!("  {}", a.external_id), theme.dim()),
        ]));
        let mut facts = vec![
            format!("CSM {}", a.csm.as_deref().unwrap_or("unassigned")),
            d.segment.clone(),
            format!("{} ARR", a.arr.full(&a.currency)),
        ];
        facts.extend(a.plan.clone());
        match (a.status, a.renewal_date) {
            (AccountStatus::Churned, _) => facts.push(match a.churned_on {
                Some(day) => format!("churned {day}"),
                None => "churned".into(),
            }),
            (_, Some(r)) => facts.push(format!("renews {r} ({}d)", (r - d.as_of).num_days())),
            (_, None) => facts.push("no renewal date".into()),
        }
        out.push(Line::from(facts.join(" · ")));
        let mut more = Vec::new();
        if let Some(since) = a.customer_since {
            more.push(format!("customer since {since}"));
        }
        more.push(format!("stage {}", a.stage.key()));
        more.push(a.status.key().to_string());
        out.push(Line::styled(more.join(" · "), theme.dim()));
        out.push(Line::default());

        out.push(self.headline(h, theme));
        out.push(Line::default());

        let wide = width >= 100;
        let mut header = format!(
            "{:<20} {:>8}  {:<8} {:>6} {:>6} {:>6}  {:<10}",
            "Factor", "Value", "Points", "Weight", "Share", "Adds", "Next point"
        );
        if wide {
            header.push_str(" Thresholds (1→2, 2→3, 3→4 points)");
        }
        out.push(Line::styled(header, theme.header()));
        for f in &h.factors {
            out.push(factor_line(f, theme, wide));
        }
        out.push(Line::default());
        out.extend(summary(d, h, theme));
        out.push(Line::default());
        out.extend(recent(d, theme));
        out
    }

    fn headline(&self, h: &HealthScore, theme: &Theme) -> Line<'static> {
        let d = &self.detail;
        let which = match h.kind {
            ScoreKind::Regular => "regular score".to_string(),
            ScoreKind::Jumpstart => format!(
                "jumpstart score, day {} of {}",
                d.age_days.unwrap_or(0) + 1,
                d.jumpstart_days
            ),
        };
        match (h.score, h.band) {
            (Some(score), Some(band)) => Line::from(vec![
                Span::raw("Health "),
                Span::styled(
                    format!(" {} {score} {} ", band.letter(), band.label()),
                    theme.band(Some(band)).patch(theme.selected()),
                ),
                Span::styled(format!("  {which} · as of {}", d.as_of), theme.dim()),
            ]),
            _ => Line::from(vec![
                Span::raw("Health "),
                Span::styled("no score", theme.dim().patch(theme.selected())),
                Span::styled(
                    format!(
                        "  no data yet for any factor of the {which} · as of {}",
                        d.as_of
                    ),
                    theme.dim(),
                ),
            ]),
        }
    }
}

fn points_bar(points: u8) -> String {
    format!(
        "{}{} {points}",
        "■".repeat(points as usize),
        "□".repeat(4 - points as usize)
    )
}

fn factor_line(f: &FactorScore, theme: &Theme, wide: bool) -> Line<'static> {
    let id = f.id;
    let rule = f.rule;
    let thresholds = {
        let sign = if rule.better == Better::Higher {
            "≥"
        } else {
            "≤"
        };
        let [a, b, c] = rule.thresholds;
        let t = |v| id.format_value(v);
        match rule.better {
            Better::Higher => format!(" {sign}{}  {sign}{}  {sign}{}", t(a), t(b), t(c)),
            Better::Lower => format!(" >{}  {sign}{}  {sign}{}", t(c), t(b), t(a)),
        }
    };
    if rule.weight <= 0.0 {
        return Line::styled(
            format!("{:<20} {:>8}  switched off (weight 0)", id.label(), "—"),
            theme.dim(),
        );
    }
    let Some((raw, points)) = f.raw.zip(f.points) else {
        let mut s = format!(
            "{:<20} {:>8}  missing: no data, left out of the blend",
            id.label(),
            "—"
        );
        if wide {
            s = format!("{s:<76}{thresholds}");
        }
        return Line::styled(s, theme.dim());
    };
    let next = match rule.value_for_points(points + 1) {
        Some(v) if points < 4 => {
            let sign = if rule.better == Better::Higher {
                "≥"
            } else {
                "≤"
            };
            format!("{sign}{}", id.format_value(v))
        }
        _ => "top".to_string(),
    };
    let band_style = match points {
        4 => theme.band(Some(crate::domain::HealthBand::Green)),
        3 => theme.band(Some(crate::domain::HealthBand::Yellow)),
        2 => theme.band(Some(crate::domain::HealthBand::Orange)),
        _ => theme.band(Some(crate::domain::HealthBand::Red)),
    };
    let mut spans = vec![
        Span::raw(format!("{:<20} {:>8}  ", id.label(), id.format_value(raw))),
        Span::styled(format!("{:<8}", points_bar(points)), band_style),
        Span::raw(format!(
            " {:>6} {:>5.0}% {:>6.1}  {:<10}",
            trim_number(rule.weight),
            f.share * 100.0,
            f.contribution,
            next
        )),
    ];
    if wide {
        spans.push(Span::styled(thresholds, theme.dim()));
    }
    Line::from(spans)
}

fn summary(d: &AccountDetail, h: &HealthScore, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let (Some(score), Some(band)) = (h.score, h.band) else {
        out.push(Line::from(
            "No factor of this score has data, so there is no score (not Red).",
        ));
        return out;
    };
    let cutoffs = &d.cutoffs;
    let (lo, hi) = cutoffs.range_of(band);
    out.push(Line::from(vec![
        Span::raw(format!("Adds up to {:.1} of 100 → {score} → ", h.exact)),
        Span::styled(
            format!("{} {}", band.letter(), band.label()),
            theme.band(Some(band)),
        ),
        Span::raw(format!(" ({lo}-{hi})")),
    ]));
    if let Some(drag) = h.biggest_drag() {
        out.push(Line::from(format!(
            "Biggest drag: {} ({}), {:.1} points short of its best.",
            drag.id.label(),
            drag.raw
                .map(|v| drag.id.format_value(v))
                .unwrap_or_default(),
            drag.shortfall
        )));
    }
    let missing: Vec<&str> = h
        .missing()
        .filter(|f| f.rule.weight > 0.0)
        .map(|f| f.id.label())
        .collect();
    if missing.is_empty() {
        out.push(Line::styled("Every factor has data.", theme.dim()));
    } else {
        out.push(Line::styled(
            format!(
                "Missing, left out (weights renormalised): {}.",
                missing.join(", ")
            ),
            theme.dim(),
        ));
    }
    out.push(Line::styled(
        "Points: each factor's raw value scores 1-4; Adds = share x (points-1)/3 x 100."
            .to_string(),
        Style::default().patch(theme.dim()),
    ));
    out
}

fn recent(d: &AccountDetail, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = vec![Line::styled("Recent entries", theme.header())];
    if d.recent.is_empty() {
        out.push(Line::styled("Nothing logged yet.", theme.dim()));
    }
    for e in &d.recent {
        let what = match (e.kind.as_str(), e.score, &e.channel, &e.title) {
            ("sentiment", Some(s), _, _) => format!("sentiment {s}/10"),
            ("nps", Some(s), _, _) => format!("NPS {s}"),
            ("touch", _, Some(c), _) => format!("touch: {c}"),
            ("bug", _, _, Some(t)) => format!("bug: {t}"),
            (kind, _, _, _) => kind.to_string(),
        };
        let mut spans = vec![
            Span::styled(format!("{}  ", e.day), theme.dim()),
            Span::raw(format!("{what:<18}")),
        ];
        if !e.note.is_empty() {
            spans.push(Span::raw(format!(" {}", e.note)));
        }
        if let Some(csm) = &e.csm {
            spans.push(Span::styled(format!("  ({csm})"), theme.dim()));
        }
        out.push(Line::from(spans));
    }
    out
}
