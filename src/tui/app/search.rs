//! The search box's keys: typing searches the book at once, Enter goes to the hit.

use color_eyre::Result;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::backend::crossterm::EventHandler;

use super::{App, Screen};
use crate::book::search::{self, HitKind};
use crate::tui::views::account::AccountView;
use crate::tui::views::search::LIMIT;

impl App {
    pub(super) fn search_key(&mut self, key: KeyEvent) -> Result<()> {
        let Some(open) = &mut self.search else { return Ok(()) };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => self.search = None,
            KeyCode::Enter => return self.go_to_hit(),
            KeyCode::Up => open.move_by(-1),
            KeyCode::Down => open.move_by(1),
            KeyCode::Char('p') if ctrl => open.move_by(-1),
            KeyCode::Char('n') if ctrl => open.move_by(1),
            KeyCode::PageUp => open.move_by(-10),
            KeyCode::PageDown => open.move_by(10),
            _ => {
                let before = open.input.value().to_string();
                open.input.handle_event(&Event::Key(key));
                self.search_again_if_changed(&before);
            }
        }
        Ok(())
    }

    /// Text pasted into the search box: added to the query whole, on one line (a pasted line
    /// break does not go to the first hit).
    pub(super) fn search_paste(&mut self, text: &str) {
        let Some(open) = &mut self.search else { return };
        let before = open.input.value().to_string();
        crate::tui::form::insert_pasted(&mut open.input, &crate::tui::form::pasted_text(text, " "));
        self.search_again_if_changed(&before);
    }

    /// The search worked out again when its query is no longer `before`.
    fn search_again_if_changed(&mut self, before: &str) {
        let Some(open) = &self.search else { return };
        if open.input.value() == before {
            return;
        }
        let query = open.query().to_string();
        let mut found = search::search(&self.store, &query, LIMIT).map_err(|e| e.to_string());
        // What was written on an account whose name another shares is named with its external
        // id, as the lists name it (a probe's two "Echo Bank" notes could not be told apart).
        if let Ok(found) = &mut found {
            for hit in found.hits.iter_mut().filter(|h| !matches!(h.kind, HitKind::Account | HitKind::Csm)) {
                if let Some(told) = hit.account_id.and_then(|id| crate::book::names::spoken_name(&self.store, id).ok())
                {
                    hit.name = told;
                }
            }
        }
        if let Some(open) = &mut self.search {
            open.show(found);
        }
    }

    /// Go to the selected hit: its account (at the entry, goal or milestone found), or a CSM's
    /// book on Triage.
    fn go_to_hit(&mut self) -> Result<()> {
        let Some(hit) = self.search.as_ref().and_then(|s| s.selected_hit()).cloned() else { return Ok(()) };
        self.search = None;
        if hit.kind == HitKind::Csm {
            self.account = None;
            self.book_of = Some(hit.name.clone());
            self.apply_book_of();
            self.screen = Screen::Triage;
            self.say(&format!("{}'s book (v: everyone).", crate::text::clean(&hit.name)));
            return Ok(());
        }
        let Some(id) = hit.account_id else { return Ok(()) };
        match crate::book::account_detail(&self.store, &self.config, id, self.today) {
            Ok(detail) => {
                let mut view = AccountView::new(detail);
                if let Some(target) = hit.target {
                    view.show(target);
                }
                self.account = Some(view);
                if self.screen != Screen::Account {
                    self.account_from = self.screen;
                }
                self.screen = Screen::Account;
            }
            Err(e) => self.fail(e.to_string()),
        }
        Ok(())
    }
}
