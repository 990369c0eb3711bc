//! A line shown whole (Enter on a timeline entry, a goal or a milestone): a long note is cut on
//! its line in the list, and wrapped here in full.

use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use crate::tui::theme::Theme;

#[derive(Debug, Default)]
pub struct Viewer {
    pub title: String,
    pub text: String,
    pub scroll: u16,
    /// How far the last frame let it scroll.
    max_scroll: Cell<u16>,
}

impl Viewer {
    pub fn new(title: String, text: String) -> Self {
        Viewer {
            title: crate::text::clean(&title),
            text: text.lines().map(crate::text::clean).collect::<Vec<_>>().join("\n"),
            ..Default::default()
        }
    }

    pub fn scroll_by(&mut self, delta: i32) {
        self.scroll = (i32::from(self.scroll) + delta).clamp(0, i32::from(self.max_scroll.get())) as u16;
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let width = area.width.min(90);
        let inner = usize::from(width.saturating_sub(2)).max(1);
        // Lines once wrapped at the box's width (words move whole, so a little more than this).
        let wrapped: usize = self.text.split('\n').map(|l| l.chars().count().div_ceil(inner).max(1)).sum::<usize>() + 1;
        let height = (wrapped as u16 + 2).min(area.height);
        self.max_scroll.set((wrapped as u16 + 2).saturating_sub(height));
        let [row] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
        let [popup] = Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center).areas(row);
        Clear.render(popup, buf);
        let lines: Vec<Line> = self.text.split('\n').map(|l| Line::raw(l.to_string())).collect();
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((self.scroll.min(self.max_scroll.get()), 0))
            .block(
                Block::bordered()
                    .title(format!(" {} ", self.title))
                    .title_bottom(" e edits · j/k scroll · Esc closes ")
                    .title_style(theme.title()),
            )
            .render(popup, buf);
    }
}
