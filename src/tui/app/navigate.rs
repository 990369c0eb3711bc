//! Moving around: the selection in each view, opening the selected account, and which account
//! a logging key applies to.

use color_eyre::Result;

use super::{App, Screen};
use crate::book;
use crate::tui::action::Action;
use crate::tui::views::account::AccountView;

impl App {
    pub(super) fn navigate(&mut self, action: Action) {
        match self.screen {
            Screen::Triage => {
                let page = self.triage.page_rows();
                match action {
                    Action::Up => self.triage.move_by(-1),
                    Action::Down => self.triage.move_by(1),
                    Action::PageUp => self.triage.move_by(-page),
                    Action::PageDown => self.triage.move_by(page),
                    Action::Top => self.triage.top(),
                    Action::Bottom => self.triage.bottom(),
                    _ => {}
                }
            }
            Screen::Renewals => {
                if let Some(r) = &mut self.renewals {
                    let page = r.page_rows();
                    match action {
                        Action::Up => r.move_by(-1),
                        Action::Down => r.move_by(1),
                        Action::PageUp => r.move_by(-page),
                        Action::PageDown => r.move_by(page),
                        Action::Top => r.move_by(isize::MIN / 2),
                        Action::Bottom => r.move_by(isize::MAX / 2),
                        _ => {}
                    }
                }
            }
            Screen::Scoring => {
                if let Some(view) = &mut self.scoring {
                    match action {
                        Action::Up => view.move_by(-1),
                        Action::Down => view.move_by(1),
                        Action::Top | Action::PageUp => view.move_by(-100),
                        Action::Bottom | Action::PageDown => view.move_by(100),
                        _ => {}
                    }
                }
            }
            Screen::Team => {
                if let Some(t) = &mut self.team {
                    match action {
                        Action::Up => t.move_by(-1),
                        Action::Down => t.move_by(1),
                        Action::PageUp => t.move_by(-10),
                        Action::PageDown => t.move_by(10),
                        Action::Top => t.move_by(-10_000),
                        Action::Bottom => t.move_by(10_000),
                        _ => {}
                    }
                }
            }
            Screen::Grid => {
                if let Some(g) = &mut self.grid {
                    match action {
                        Action::Up => g.move_by(-1, 0),
                        Action::Down => g.move_by(1, 0),
                        Action::Top | Action::PageUp => g.move_by(-100, 0),
                        Action::Bottom | Action::PageDown => g.move_by(100, 0),
                        _ => {}
                    }
                }
            }
            Screen::Portfolio => {
                let page = self.portfolio.page_rows();
                match action {
                    Action::Up => self.portfolio.move_by(-1),
                    Action::Down => self.portfolio.move_by(1),
                    Action::PageUp => self.portfolio.move_by(-page),
                    Action::PageDown => self.portfolio.move_by(page),
                    Action::Top => self.portfolio.top(),
                    Action::Bottom => self.portfolio.bottom(),
                    _ => {}
                }
            }
            Screen::Account => {
                if let Some(view) = &mut self.account {
                    match action {
                        Action::Up => view.move_by(-1),
                        Action::Down => view.move_by(1),
                        Action::PageUp => view.move_by(-10),
                        Action::PageDown => view.move_by(10),
                        Action::Top => view.to_top(),
                        Action::Bottom => view.to_end(),
                        _ => {}
                    }
                }
            }
        }
    }

    pub(super) fn open_selected(&mut self) -> Result<()> {
        let selected = match self.screen {
            Screen::Triage => self.triage.selected_item().map(|i| i.id),
            Screen::Renewals => self
                .renewals
                .as_ref()
                .and_then(|r| r.selected_row())
                .and_then(|i| self.portfolio.rows().get(i))
                .map(|r| r.id),
            Screen::Team => self.team.as_ref().and_then(|t| t.selected_agenda_item()).map(|i| i.account_id),
            _ => self.portfolio.selected_row().map(|r| r.id),
        };
        let Some(id) = selected else {
            return Ok(());
        };
        match book::account_detail(&self.store, &self.config, id, self.today) {
            Ok(detail) => {
                self.account = Some(AccountView::new(detail));
                self.account_from = self.screen;
                self.screen = Screen::Account;
            }
            // A store error here (a lock, a vanished row) is not fatal: say so and stay.
            Err(e) => self.fail(e.to_string()),
        }
        Ok(())
    }

    /// The account a writing key applies to: the one open, or the row selected on the screen
    /// shown (Triage, the Portfolio, Renewals). Never an account the screen does not show: on the
    /// Grid, Team and Scoring views the key says where to go instead.
    pub(super) fn current_account(&mut self) -> Option<(i64, String)> {
        let found = match (&self.screen, &self.account) {
            (Screen::Account, Some(view)) => Some((view.detail.account.id, view.detail.account.name.clone())),
            (Screen::Triage, _) => self.triage_selection().map(|(i, name)| (i.id, name)),
            (Screen::Renewals, _) => self
                .renewals
                .as_ref()
                .and_then(|r| r.selected_row())
                .and_then(|i| self.portfolio.rows().get(i))
                .map(|r| (r.id, r.name.clone())),
            (Screen::Portfolio, _) => self.portfolio.selected_row().map(|r| (r.id, r.name.clone())),
            (Screen::Team, _) if self.team.as_ref().is_some_and(|t| t.agenda.is_some()) => self
                .team
                .as_ref()
                .and_then(|t| t.selected_agenda_item())
                .map(|i| (i.account_id, crate::text::clean(&i.account))),
            (Screen::Grid | Screen::Team | Screen::Scoring | Screen::Account, _) => {
                self.fail(
                    "No account here: pick one on 1 Triage, 2 Portfolio, 4 Renewals or a one-on-one agenda.".into(),
                );
                return None;
            }
        };
        if found.is_none() {
            self.fail("No account selected.".into());
        }
        found
    }
}
