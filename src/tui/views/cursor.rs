//! One list's cursor, shared by every list view: the line selected, the first line drawn and the
//! lines a page holds. The view says how long its list is; the cursor keeps the selection inside
//! it and the selected line on screen.

use std::cell::Cell;
use std::ops::Range;

use crate::tui::action::Action;

#[derive(Debug)]
pub struct ListCursor {
    selected: usize,
    /// First line drawn and lines per page, as the last frame laid them out (drawing reads state
    /// only, but it is the frame that knows how tall the list is).
    offset: Cell<usize>,
    page: Cell<usize>,
}

impl Default for ListCursor {
    fn default() -> Self {
        ListCursor { selected: 0, offset: Cell::new(0), page: Cell::new(20) }
    }
}

impl ListCursor {
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// Select line `at` of a list of `len` lines (the last one when past the end).
    pub fn select(&mut self, at: usize, len: usize) {
        self.selected = at.min(len.saturating_sub(1));
    }

    /// Back to the top, as after the list changed under a new filter.
    pub fn reset(&mut self) {
        self.selected = 0;
        self.offset.set(0);
    }

    /// Keep the selection inside a list that is now `len` long.
    pub fn clamp(&mut self, len: usize) {
        self.select(self.selected, len);
    }

    pub fn move_by(&mut self, delta: isize, len: usize) {
        let last = len.saturating_sub(1) as isize;
        self.selected = (self.selected as isize).saturating_add(delta).clamp(0, last.max(0)) as usize;
    }

    /// Apply a moving action (up, down, a page, top, bottom) to a list of `len` lines; false for
    /// any other action, which is left to the view.
    pub fn step(&mut self, action: Action, len: usize) -> bool {
        let page = self.page.get().max(1) as isize;
        let delta = match action {
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp => -page,
            Action::PageDown => page,
            Action::Top => isize::MIN / 2,
            Action::Bottom => isize::MAX / 2,
            _ => return false,
        };
        self.move_by(delta, len);
        true
    }

    /// The lines to draw of a list of `len` in `height` lines: the selected one in view, moving as
    /// little as possible from the last frame, and no empty space below the end when scrolled.
    pub fn window(&self, len: usize, height: usize) -> Range<usize> {
        self.page.set(height.max(1));
        let offset = super::scroll_offset(self.selected, self.offset.get(), height).min(len.saturating_sub(height));
        self.offset.set(offset);
        offset..(offset + height).min(len)
    }

    /// The first line the last frame drew.
    pub fn offset(&self) -> usize {
        self.offset.get()
    }

    /// Lines per page, as the last frame laid them out.
    pub fn page(&self) -> usize {
        self.page.get().max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_stay_inside_the_list_and_pages_follow_the_last_frame() {
        let mut c = ListCursor::default();
        assert!(c.step(Action::Up, 10));
        assert_eq!(c.selected(), 0);
        assert!(c.step(Action::Bottom, 10));
        assert_eq!(c.selected(), 9);
        assert_eq!(c.window(10, 4), 6..10, "the end of the list fills the window");
        assert!(c.step(Action::PageUp, 10));
        assert_eq!(c.selected(), 5, "a page is the 4 lines the last frame drew");
        assert_eq!(c.window(10, 4), 5..9);
        assert!(!c.step(Action::Open, 10), "not a move");
        c.clamp(3);
        assert_eq!(c.selected(), 2);
        c.move_by(5, 0);
        assert_eq!(c.selected(), 0, "an empty list selects its (absent) first line");
        assert_eq!(c.window(0, 4), 0..0);
    }
}
