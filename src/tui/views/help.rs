//! The `?` screen: every key of the current view, generated from the key table.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use crate::tui::keymap::{Scope, help_for};
use crate::tui::theme::Theme;

/// Draws the help popup scrolled by `scroll` lines; returns how far it can scroll at this size.
pub fn render(scope: Scope, scroll: u16, area: Rect, buf: &mut Buffer, theme: &Theme) -> u16 {
    let mut lines: Vec<Line> = help_for(scope)
        .map(|b| Line::from(vec![Span::styled(format!("{:>12}  ", b.label), theme.title()), Span::raw(b.description)]))
        .collect();
    if scope == Scope::Portfolio {
        lines.push(Line::default());
        lines.push(Line::styled("Health: band letter G Y O R and score 0-100;", theme.dim()));
        lines.push(Line::styled("\"js\" = jumpstart score (first days of an account).", theme.dim()));
        lines.push(Line::styled(
            "\"~\" = a score from thin data; \"low data\" = too little data for a score.",
            theme.dim(),
        ));
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let max_scroll = (lines.len() as u16 + 2).saturating_sub(height);
    let width = 60.min(area.width);
    let [row] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center).areas(row);
    Clear.render(popup, buf);
    let more = if scroll < max_scroll { " j/↓ more " } else { "" };
    Paragraph::new(lines)
        .scroll((scroll.min(max_scroll), 0))
        .block(Block::bordered().title(" Keys · ? or Esc closes ").title_bottom(more))
        .render(popup, buf);
    max_scroll
}
