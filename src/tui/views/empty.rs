//! What an empty book shows: how to get accounts into it, never a blank table.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

use crate::tui::theme::Theme;

pub fn render(area: Rect, buf: &mut Buffer, theme: &Theme, book: &str) {
    let lines = vec![
        Line::styled("This book has no accounts yet.", theme.title()),
        Line::default(),
        Line::from("See tend with a realistic book of 60 accounts:"),
        Line::styled("    tend demo", theme.title()),
        Line::default(),
        Line::from("Bring in your own accounts from a CSV export:"),
        Line::styled("    tend import accounts accounts.csv", theme.title()),
        Line::default(),
        Line::styled(format!("Book: {book}"), theme.dim()),
        Line::styled("q quits · ? shows every key", theme.dim()),
    ];
    let [row] = Layout::vertical([Constraint::Length(lines.len() as u16 + 2)]).flex(Flex::Center).areas(area);
    let [boxed] = Layout::horizontal([Constraint::Length(56.min(area.width))]).flex(Flex::Center).areas(row);
    Paragraph::new(lines).wrap(Wrap { trim: false }).block(Block::bordered()).render(boxed, buf);
}
