//! The `?` screen: every key of the current view, generated from the key table.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use crate::tui::keymap::{Scope, help_for};
use crate::tui::theme::Theme;

pub fn render(scope: Scope, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let mut lines: Vec<Line> = help_for(scope)
        .map(|b| {
            Line::from(vec![
                Span::styled(format!("{:>12}  ", b.label), theme.title()),
                Span::raw(b.description),
            ])
        })
        .collect();
    if scope == Scope::Portfolio {
        lines.push(Line::default());
        lines.push(Line::styled(
            "Health: band letter G Y O R and score 0-100;",
            theme.dim(),
        ));
        lines.push(Line::styled(
            "\"js\" = jumpstart score (first days of an account).",
            theme.dim(),
        ));
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let width = 60.min(area.width);
    let [row] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(row);
    Clear.render(popup, buf);
    Paragraph::new(lines)
        .block(Block::bordered().title(" Keys · ? or Esc closes "))
        .render(popup, buf);
}
