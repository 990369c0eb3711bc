//! Showing a view: building it from the book's rows the first time, refreshing it after.

use color_eyre::Result;

use super::{App, Screen};
use crate::book;
use crate::tui::action::Action;
use crate::tui::views::scoring::ScoringView;

impl App {
    /// Show a view (building it on first showing).
    pub(super) fn show(&mut self, action: Action) -> Result<Option<Action>> {
        match action {
            Action::ShowRenewals => {
                self.refresh_renewals();
                self.screen = Screen::Renewals;
            }
            Action::ShowTeam => {
                self.refresh_team();
                self.screen = Screen::Team;
            }
            Action::ShowTriage => self.screen = Screen::Triage,
            Action::ShowPortfolio => self.screen = Screen::Portfolio,
            Action::ShowGrid => {
                self.refresh_grid();
                self.screen = Screen::Grid;
                // The Grid counts the book shown, whatever the Portfolio's filter: said, rather
                // than have its totals read as the filter's.
                let query = self.portfolio.filter.query().trim().to_string();
                if !query.is_empty() {
                    self.say(&format!("The Grid counts every account, not the Portfolio's filter \"{query}\""));
                }
            }
            Action::NextView | Action::PrevView => {
                let at = Screen::VIEWS.iter().position(|s| *s == self.screen).unwrap_or(0) as isize;
                let by = if action == Action::NextView { 1 } else { -1 };
                let next = Screen::VIEWS[(at + by).rem_euclid(Screen::VIEWS.len() as isize) as usize];
                return Ok(Some(match next {
                    Screen::Portfolio => Action::ShowPortfolio,
                    Screen::Grid => Action::ShowGrid,
                    Screen::Renewals => Action::ShowRenewals,
                    Screen::Team => Action::ShowTeam,
                    Screen::Scoring => Action::ShowScoring,
                    _ => Action::ShowTriage,
                }));
            }
            Action::ShowScoring => {
                if self.scoring.is_none() {
                    let values = book::scoring::values(&self.store, self.today)?;
                    let path = self.config_file().display().to_string();
                    // The back-test reads the factors 30 days before each renewal or churn.
                    let samples = book::backtest::samples(&self.store, &self.config, 30, self.today)?;
                    let rules: Vec<_> = self.config.health.factors.iter().map(|(id, r)| (*id, *r)).collect();
                    let test = crate::domain::backtest::run(&samples, &rules);
                    let model = self.config.health.factors.clone();
                    self.scoring = Some(ScoringView::new(model, values, path, samples, &test));
                    self.repreview();
                }
                self.screen = Screen::Scoring;
            }
            _ => {}
        }
        Ok(None)
    }
}
