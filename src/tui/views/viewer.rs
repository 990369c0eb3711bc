//! A line shown whole (Enter on a timeline entry, a goal or a milestone): a long note is cut on
//! its line in the list, and wrapped here in full, its own line breaks kept.

use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use crate::tui::theme::Theme;

#[derive(Debug, Default)]
pub struct Viewer {
    pub title: String,
    pub text: String,
    pub scroll: u16,
    /// The line is an entry, goal, milestone, task or person `e` edits; a timeline line of
    /// another kind (an override, a goal's status change) is not offered `e`.
    pub editable: bool,
    /// How far the last frame let it scroll.
    max_scroll: Cell<u16>,
}

impl Viewer {
    pub fn new(title: String, text: String, editable: bool) -> Self {
        Viewer {
            title: crate::text::clean(&title),
            text: crate::text::clean_lines(&text),
            editable,
            ..Default::default()
        }
    }

    pub fn scroll_by(&mut self, delta: i32) {
        self.scroll = (i32::from(self.scroll) + delta).clamp(0, i32::from(self.max_scroll.get())) as u16;
    }

    pub fn to_end(&mut self) {
        self.scroll = self.max_scroll.get();
    }

    /// The text wrapped at `width` columns, its own line breaks and indents kept (an indented
    /// line wraps under its own start, as a nested bullet would).
    fn lines(&self, width: usize) -> Vec<String> {
        self.text
            .split('\n')
            .flat_map(|l| {
                let rest = l.trim_start_matches(' ');
                let pad = " ".repeat((l.len() - rest.len()).min(width / 2));
                super::help::wrap(rest, width - pad.len()).into_iter().map(move |w| format!("{pad}{w}"))
            })
            .collect()
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let width = area.width.min(90);
        let lines = self.lines(usize::from(width.saturating_sub(2)).max(1));
        let height = (lines.len() as u16).saturating_add(2).min(area.height);
        let max = (lines.len() as u16).saturating_sub(height.saturating_sub(2));
        self.max_scroll.set(max);
        let scroll = self.scroll.min(max);
        let [row] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
        let [popup] = Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center).areas(row);
        Clear.render(popup, buf);
        let edits = if self.editable { "e edits · " } else { "" };
        let foot = match (scroll > 0, scroll < max) {
            (_, true) => format!(" more below: j/↓ · {edits}Esc closes "),
            (true, false) => format!(" k/↑ back up · {edits}Esc closes "),
            (false, false) => format!(" {edits}Esc closes "),
        };
        let text: Vec<Line> = lines.into_iter().map(Line::raw).collect();
        Paragraph::new(text)
            .scroll((scroll, 0))
            .block(Block::bordered().title(format!(" {} ", self.title)).title_bottom(foot).title_style(theme.title()))
            .render(popup, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indented_lines_keep_their_indent_when_wrapped() {
        let viewer = Viewer::new("t".into(), "Plan:\n  - call the sponsor about the budget\nend".into(), true);
        assert_eq!(viewer.lines(20), ["Plan:", "  - call the sponsor", "  about the budget", "end"]);
    }
}
