//! The Scoring view's edits: previews after each change, and saving into the config file.

use color_eyre::Result;

use super::{App, Screen};
use crate::book;
use crate::tui::action::Action;

impl App {
    /// The config file in use: the one named on the command line, else the default location.
    pub(super) fn config_file(&self) -> std::path::PathBuf {
        self.config_path.clone().unwrap_or_else(crate::config::paths::default_config)
    }

    /// Recompute the Scoring view's preview after an edit.
    pub(super) fn repreview(&mut self) {
        if let Some(view) = &mut self.scoring {
            let rows = self.portfolio.rows();
            view.preview = Some(book::scoring::preview(&self.config, &view.model, rows, &view.values));
            view.auc_edited =
                crate::domain::backtest::edited_score_auc(&view.samples, &view.model, &self.config.health.rules());
        }
    }

    /// Check the edited weights and thresholds, write them into the config file, record the
    /// change in the book, and rescore everything with them.
    pub(super) fn save_scoring(&mut self) -> Result<()> {
        let Some(view) = &self.scoring else { return Ok(()) };
        if !view.is_edited() {
            self.say("Nothing to save: the weights and thresholds are as in the config.");
            return Ok(());
        }
        let mut health = self.config.health.clone();
        health.factors = view.model.clone();
        if let Some((key, reason)) = health.problems().into_iter().next() {
            self.fail(format!("Not saved: health.{key}: {reason}"));
            return Ok(());
        }
        let path = self.config_file();
        let said = match book::scoring::save(
            &path,
            self.store.path(),
            &self.config.health.catalog,
            &view.original,
            &view.model,
        ) {
            Ok(said) => said,
            Err(e) => {
                self.fail(format!("Not saved: {e}"));
                return Ok(());
            }
        };
        let summary = said.join("; ");
        // On a team book the rules are this member's config file: nothing of them is the team book's.
        if !self.on_team_book() {
            self.store.record_scoring_change(&path.display().to_string(), &summary)?;
        }
        self.config.health = health;
        // The save says what it moved: the rules are kept as read, not said again on reload.
        if !self.on_team_book() {
            book::rules_change::keep(&mut self.store, &self.config)?;
        }
        self.reload()?;
        self.scoring = None;
        self.screen = Screen::Scoring;
        self.update(Action::ShowScoring)?;
        let whose = match self.on_team_book() {
            // The rules are each member's config: the team book holds none.
            true => " (your rules: the team's other members score by their own configs)",
            false => "",
        };
        self.say(&format!("Saved to {}: {summary}. The book is rescored{whose}.", path.display()));
        Ok(())
    }
}
