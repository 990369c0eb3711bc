//! Opening the selected account, and which account a logging key applies to.

use color_eyre::Result;

use super::{App, Screen};
use crate::book;
use crate::tui::view::Selected;
use crate::tui::views::account::AccountView;

impl App {
    pub(super) fn open_selected(&mut self) -> Result<()> {
        let Selected::Account { id, .. } = self.selected() else {
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
        match self.selected() {
            // Named as the lists name it (with its external id where another account has the
            // name), whichever view selected it: a form opened on the Account view read "Log
            // sentiment · Northwind Traders" and did not say which of two.
            Selected::Account { id, name } => {
                Some((id, self.portfolio.rows().iter().find(|r| r.id == id).map_or(name, |r| r.name.clone())))
            }
            Selected::Nothing => {
                self.fail("No account selected.".into());
                None
            }
            Selected::NoAccounts => {
                self.fail("No account here: pick one on 1 Triage, 2 Portfolio, 4 Renewals or an agenda.".into());
                None
            }
        }
    }

    /// The account selected on the view shown, as the view sees it.
    pub(super) fn selected(&self) -> Selected {
        self.view().map_or(Selected::NoAccounts, |v| v.selected(self.portfolio.rows()))
    }
}
