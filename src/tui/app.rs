//! The application: state, the `update(action)` step, the pure `render` step, and the event loop.

use std::time::Duration;

use chrono::NaiveDate;
use color_eyre::Result;
use ratatui::DefaultTerminal;
use ratatui::Frame;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::backend::crossterm::EventHandler;

use super::action::Action;
use super::form::FormEvent;
use super::forms::{self, FormPurpose, OpenForm};
use super::keymap::{self, Scope};
use super::theme::Theme;
use super::views::account::{AccountTab, AccountView};
use super::views::grid::GridView;
use super::views::portfolio::PortfolioView;
use super::views::renewals::RenewalsView;
use super::views::scoring::ScoringView;
use super::views::team::TeamView;
use super::views::triage::TriageView;
use super::views::{empty, help};
use crate::book;
use crate::config::Config;
use crate::domain::entry::EntryKind;
use crate::store::log::Entity;
use crate::store::{EntryRecord, Store};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Triage,
    Portfolio,
    Grid,
    Renewals,
    Team,
    Scoring,
    Account,
}

impl Screen {
    /// The views in the header, in number-key order.
    pub const VIEWS: [Screen; 6] =
        [Screen::Triage, Screen::Portfolio, Screen::Grid, Screen::Renewals, Screen::Team, Screen::Scoring];

    fn label(self) -> &'static str {
        match self {
            Screen::Triage => "1 Triage",
            Screen::Portfolio => "2 Portfolio",
            Screen::Grid => "3 Grid",
            Screen::Renewals => "4 Renewals",
            Screen::Team => "5 Team",
            Screen::Scoring => "6 Scoring",
            Screen::Account => "",
        }
    }
}

pub struct App {
    pub store: Store,
    pub config: Config,
    pub today: NaiveDate,
    pub theme: Theme,
    pub screen: Screen,
    pub triage: TriageView,
    /// What triage knows beyond the rows: recent history, counts, marks.
    pub triage_book: book::triage::TriageBook,
    pub portfolio: PortfolioView,
    /// The view an open account returns to.
    account_from: Screen,
    pub account: Option<AccountView>,
    /// Built when first shown, refreshed after writes.
    pub grid: Option<GridView>,
    pub renewals: Option<RenewalsView>,
    pub team: Option<TeamView>,
    pub scoring: Option<ScoringView>,
    /// The config file the Scoring view saves into (the default location when None).
    pub config_path: Option<std::path::PathBuf>,
    /// Whose book Triage, the Portfolio, the Grid and Renewals show: a CSM's, or everyone's (None).
    pub book_of: Option<String>,
    pub help: bool,
    /// Scroll of the help popup, and how far the last frame let it go.
    help_scroll: u16,
    help_max: std::cell::Cell<u16>,
    /// A one-off message for the status line (an error, a confirmation); cleared by the next key.
    pub message: Option<String>,
    /// Whether `message` reports a problem (drawn as an error) or a confirmation.
    pub message_is_error: bool,
    /// The logging form on screen, if any.
    pub form: Option<OpenForm>,
    pub quit: bool,
    /// This run's changes, for undo.
    pub session: String,
    book_name: String,
    /// The latest metric sample day in the book.
    metrics_through: Option<NaiveDate>,
}

impl App {
    /// Open the app on a book, scored as of `today`.
    pub fn new(mut store: Store, config: Config, today: NaiveDate, theme: Theme) -> crate::store::Result<App> {
        book::prepare(&mut store, &config, today)?;
        let (rows, triage_book) = book::load_book(&store, &config, today)?;
        // Ordering the Portfolio and listing Triage each take tens of milliseconds on a large
        // book: do them at once.
        // `me` from the config opens on my own book, when I own accounts in it.
        let book_of =
            config.me().and_then(|me| rows.iter().find(|r| r.csm.eq_ignore_ascii_case(me)).map(|r| r.csm.clone()));
        let mut portfolio = PortfolioView::unordered(rows);
        portfolio.csm = book_of.clone();
        let (list, order) = std::thread::scope(|scope| {
            let rows = portfolio.rows();
            let list = scope.spawn(|| triage_book.list_for(&config, rows, book_of.as_deref()));
            let order = portfolio.order();
            (list.join(), order)
        });
        let list = list.unwrap_or_else(|_| panic!("building the triage list panicked"));
        portfolio.show_order(order);
        let triage = TriageView::new(list);
        let metrics_through = store.metrics_through()?;
        let book_name = store
            .path()
            .file_name()
            .map_or_else(|| store.path().display().to_string(), |n| n.to_string_lossy().into_owned());
        let mut app = App {
            store,
            config,
            today,
            theme,
            screen: Screen::Triage,
            triage,
            triage_book,
            portfolio,
            account_from: Screen::Triage,
            account: None,
            grid: None,
            renewals: None,
            team: None,
            scoring: None,
            config_path: None,
            book_of,
            help: false,
            help_scroll: 0,
            help_max: std::cell::Cell::new(u16::MAX),
            message: None,
            message_is_error: false,
            form: None,
            quit: false,
            session: book::log::new_session("tui"),
            book_name: crate::text::clean(&book_name),
            metrics_through,
        };
        app.explain_selected();
        Ok(app)
    }

    pub fn scope(&self) -> Scope {
        match self.screen {
            Screen::Triage => Scope::Triage,
            Screen::Portfolio => Scope::Portfolio,
            Screen::Grid => Scope::Grid,
            Screen::Renewals => Scope::Renewals,
            Screen::Team => Scope::Team,
            Screen::Scoring => Scope::Scoring,
            Screen::Account => Scope::Account,
        }
    }

    /// Route a key: the help popup first, then the filter input, then the key table.
    pub fn handle_key(&mut self, key: KeyEvent) -> Result<()> {
        self.route_key(key)?;
        self.explain_selected();
        Ok(())
    }

    /// Spell out the reasons of the triage items on screen (raw values need each account's facts:
    /// read them here, in the update step, never while drawing).
    fn explain_selected(&mut self) {
        if self.screen != Screen::Triage {
            return;
        }
        for item in self.triage.needing_details() {
            match self.triage_book.explain(&self.store, &self.config, &item) {
                Ok(phrases) => self.triage.set_detail(item.id, phrases),
                Err(e) => {
                    self.fail(e.to_string());
                    return;
                }
            }
        }
    }

    fn route_key(&mut self, key: KeyEvent) -> Result<()> {
        if key.kind == KeyEventKind::Release {
            return Ok(());
        }
        self.message = None;
        if let Some(open) = &mut self.form {
            match open.form.handle_key(key) {
                FormEvent::Cancel => self.form = None,
                FormEvent::Submit => self.submit_form()?,
                FormEvent::Nothing => {}
            }
            return Ok(());
        }
        if self.help {
            match key.code {
                KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') => self.help = false,
                KeyCode::Down | KeyCode::Char('j') | KeyCode::PageDown | KeyCode::Char(' ') => {
                    self.help_scroll = (self.help_scroll + 1).min(self.help_max.get())
                }
                KeyCode::Up | KeyCode::Char('k') | KeyCode::PageUp => {
                    self.help_scroll = self.help_scroll.saturating_sub(1)
                }
                _ => {}
            }
            return Ok(());
        }
        if self.screen == Screen::Portfolio && self.portfolio.filtering {
            match key.code {
                KeyCode::Enter => self.portfolio.filtering = false,
                KeyCode::Esc => self.portfolio.clear_filter(),
                KeyCode::Up => self.portfolio.move_by(-1),
                KeyCode::Down => self.portfolio.move_by(1),
                KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => self.quit = true,
                _ => {
                    let before = self.portfolio.filter.value().to_string();
                    self.portfolio.filter.handle_event(&Event::Key(key));
                    if self.portfolio.filter.value() != before {
                        self.portfolio.refilter();
                    }
                }
            }
            return Ok(());
        }
        let mut next = keymap::action_for(self.scope(), key);
        while let Some(action) = next {
            next = self.update(action)?;
        }
        Ok(())
    }

    /// Apply one action. Returns a follow-up action, if any. Never touches the terminal.
    pub fn update(&mut self, action: Action) -> Result<Option<Action>> {
        match action {
            Action::Quit => self.quit = true,
            Action::ToggleHelp => {
                self.help = !self.help;
                self.help_scroll = 0;
            }
            Action::Back => match self.screen {
                Screen::Account => {
                    self.screen = self.account_from;
                    self.account = None;
                }
                Screen::Triage => {}
                Screen::Portfolio if !self.portfolio.filter.value().is_empty() || self.portfolio.cell.is_some() => {
                    self.portfolio.clear_filter()
                }
                Screen::Portfolio => {}
                Screen::Grid => self.screen = Screen::Portfolio,
                Screen::Team if self.team.as_ref().is_some_and(|t| t.agenda.is_some()) => {
                    if let Some(t) = &mut self.team {
                        t.agenda = None;
                    }
                }
                Screen::Renewals | Screen::Team | Screen::Scoring => {}
            },
            Action::Open if self.screen == Screen::Grid => {
                let cell = self.grid.as_ref().map(|g| g.selected());
                self.portfolio.set_cell(cell);
                self.screen = Screen::Portfolio;
            }
            Action::Open if self.screen == Screen::Team => self.open_agenda()?,
            Action::Open => self.open_selected()?,
            Action::ShowRenewals => {
                self.refresh_renewals();
                self.screen = Screen::Renewals;
            }
            Action::ShowTeam => {
                self.refresh_team();
                self.screen = Screen::Team;
            }
            Action::Renew | Action::Churn => {
                if let Some((id, name)) = self.current_account() {
                    let (form, purpose) = if action == Action::Renew {
                        let row = self.portfolio.rows().iter().find(|r| r.id == id);
                        let next = row
                            .and_then(|r| r.renewal_date)
                            .filter(|d| *d > self.today)
                            .unwrap_or(self.today)
                            .checked_add_months(chrono::Months::new(12));
                        let arr = row.map(|r| r.arr.units()).unwrap_or_default();
                        (forms::renew_form(&name, next, arr, self.today), FormPurpose::Renew { account_id: id })
                    } else {
                        (forms::churn_form(&name, self.today), FormPurpose::Churn { account_id: id })
                    };
                    self.form = Some(OpenForm { purpose, form });
                }
            }
            Action::ToggleBookOf => {
                match (&self.book_of, self.config.me()) {
                    (Some(_), _) => self.book_of = None,
                    (None, Some(me)) => {
                        let mine = self
                            .portfolio
                            .rows()
                            .iter()
                            .find(|r| r.csm.eq_ignore_ascii_case(me))
                            .map(|r| r.csm.clone());
                        if mine.is_none() {
                            self.fail(format!(
                                "No account in this book belongs to {me} (`me` in the config). V picks a CSM."
                            ));
                        }
                        self.book_of = mine;
                    }
                    (None, None) => self.fail(
                        "Set me = \"Your Name\" in the config to switch to your own book; V picks any CSM.".into(),
                    ),
                }
                self.apply_book_of();
            }
            Action::OverrideBand => {
                if let Some((id, name)) = self.current_account() {
                    let current = self.portfolio.rows().iter().find(|r| r.id == id).and_then(|r| r.band);
                    let form = forms::override_form(&name, current, self.today);
                    self.form = Some(OpenForm { purpose: FormPurpose::OverrideBand { account_id: id }, form });
                }
            }
            Action::PickBookOf => {
                let form = forms::book_of_form(self.book_of.as_deref().unwrap_or(""));
                self.form = Some(OpenForm { purpose: FormPurpose::BookOf, form });
            }
            Action::ShowTriage => self.screen = Screen::Triage,
            Action::ShowPortfolio => self.screen = Screen::Portfolio,
            Action::ShowGrid => {
                self.refresh_grid();
                self.screen = Screen::Grid;
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
            Action::MarkHandled => self.mark_selected(None)?,
            Action::Snooze => {
                if let Some((item, name)) = self.triage_selection() {
                    let form = forms::snooze_form(&name, self.config.triage.snooze_days);
                    self.form = Some(OpenForm { purpose: FormPurpose::Snooze { account_id: item.id }, form });
                }
            }
            Action::ToggleMarked => self.triage.toggle_hidden(),
            Action::CycleWindow if self.screen == Screen::Renewals => {
                let windows = &self.config.renewals.windows;
                let now = self.renewals.as_ref().map_or(90, |r| r.days);
                let at = windows.iter().position(|w| *w == now).map_or(0, |i| (i + 1) % windows.len());
                let days = windows.get(at).copied().unwrap_or(90);
                self.refresh_renewals_for(days);
            }
            Action::CycleWindow => self.portfolio.cycle_window(),
            Action::Left | Action::Right if self.screen == Screen::Scoring => {
                if let Some(view) = &mut self.scoring {
                    view.move_field(if action == Action::Left { -1 } else { 1 });
                }
            }
            Action::ShowScoring => {
                if self.scoring.is_none() {
                    let values = book::scoring::values(&self.store, self.today)?;
                    let path = self.config_file().display().to_string();
                    // The back-test reads the factors 30 days before each renewal or churn.
                    let samples = book::backtest::samples(&self.store, &self.config, 30)?;
                    let rules: Vec<_> = self.config.health.factors.iter().map(|(id, r)| (*id, *r)).collect();
                    let test = crate::domain::backtest::run(&samples, &rules);
                    let model = self.config.health.factors.clone();
                    self.scoring = Some(ScoringView::new(model, values, path, samples, &test));
                    self.repreview();
                }
                self.screen = Screen::Scoring;
            }
            Action::Increase | Action::Decrease => {
                if let Some(view) = &mut self.scoring {
                    view.adjust(action == Action::Increase);
                }
                self.repreview();
            }
            Action::RevertScoring => {
                if let Some(view) = &mut self.scoring {
                    view.revert();
                }
                self.repreview();
            }
            Action::SaveScoring => self.save_scoring()?,
            Action::Left | Action::Right => {
                if let Some(g) = &mut self.grid {
                    g.move_by(0, if action == Action::Left { -1 } else { 1 });
                }
            }
            Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::Top | Action::Bottom => {
                self.navigate(action)
            }
            Action::StartFilter => self.portfolio.filtering = true,
            Action::ClearFilter => self.portfolio.clear_filter(),
            Action::SortNext => self.portfolio.sort_step(1),
            Action::SortPrev => self.portfolio.sort_step(-1),
            Action::ReverseSort => self.portfolio.reverse(),
            Action::ToggleChurned => self.portfolio.toggle_churned(),
            Action::LogSentiment => self.open_entry_form(EntryKind::Sentiment)?,
            Action::LogTouch => self.open_entry_form(EntryKind::Touch)?,
            Action::LogNps => self.open_entry_form(EntryKind::Nps)?,
            Action::LogBug => self.open_entry_form(EntryKind::Bug)?,
            Action::LogRisk => self.open_entry_form(EntryKind::Risk)?,
            Action::AddGoal => {
                if let Some((id, name)) = self.current_account() {
                    let form = forms::goal_form(&name, None, self.today);
                    self.form = Some(OpenForm { purpose: FormPurpose::NewGoal { account_id: id }, form });
                }
            }
            Action::AddMilestone => {
                if let Some((id, name)) = self.current_account() {
                    let form = forms::milestone_form(&name, None, self.today);
                    self.form = Some(OpenForm { purpose: FormPurpose::NewMilestone { account_id: id }, form });
                }
            }
            Action::Undo => {
                let mut ctx = self.ctx_parts();
                match book::log::undo(&mut ctx.ctx()) {
                    Ok(Some(outcome)) => self.after_write(outcome)?,
                    Ok(None) => self.say("Nothing to undo in this session."),
                    Err(e) => self.fail(e.to_string()),
                }
            }
            Action::NextTab | Action::PrevTab => {
                if let Some(view) = &mut self.account {
                    view.next_tab(if action == Action::NextTab { 1 } else { -1 });
                }
            }
            Action::Edit => self.edit_selected()?,
            Action::Delete => {
                if let Some((entity, id)) = self.account.as_ref().and_then(|v| v.selected_target()) {
                    let mut ctx = self.ctx_parts();
                    let result = book::log::delete(&mut ctx.ctx(), entity, id);
                    self.finish(result)?;
                }
            }
            Action::MarkDone => {
                if let Some((Entity::Milestone, id)) = self.account.as_ref().and_then(|v| v.selected_target()) {
                    let today = self.today;
                    let mut ctx = self.ctx_parts();
                    let result = book::log::milestone_done(&mut ctx.ctx(), id, today);
                    self.finish(result)?;
                }
            }
        }
        Ok(None)
    }

    /// Mark the selected triage item handled (or snoozed for `days`); a marked one is unmarked.
    fn mark_selected(&mut self, snooze_days: Option<i64>) -> Result<()> {
        let Some((item, _)) = self.triage_selection() else { return Ok(()) };
        self.mark_item(&item, snooze_days)
    }

    /// The selected triage item and its account's name.
    pub fn triage_selection(&self) -> Option<(book::triage::TriageItem, String)> {
        let item = self.triage.selected_item()?.clone();
        let name = self.portfolio.rows().get(item.row)?.name.clone();
        Some((item, name))
    }

    fn mark_item(&mut self, item: &book::triage::TriageItem, snooze_days: Option<i64>) -> Result<()> {
        let name = self.portfolio.rows().get(item.row).map(|r| r.name.clone()).unwrap_or_default();
        let result = if item.mark.is_some() && snooze_days.is_none() {
            self.triage_book.unmark(&mut self.store, item.id).map(|()| format!("{name}: back on today's list."))
        } else {
            self.triage_book.mark(&mut self.store, item, snooze_days).map(|m| match m.until {
                Some(until) => format!("{name}: snoozed until {until}; a new reason brings it back sooner."),
                None => format!("{name}: handled; it comes back if a new reason appears."),
            })
        };
        match result {
            Ok(message) => {
                self.say(&message);
                self.relist();
            }
            Err(e) => self.fail(e.to_string()),
        }
        Ok(())
    }

    /// Rebuild today's triage list from the Portfolio's rows, for the book shown.
    fn relist(&mut self) {
        let list = self.triage_book.list_for(&self.config, self.portfolio.rows(), self.book_of.as_deref());
        self.triage.replace(list);
    }

    /// Show the chosen book everywhere it applies.
    fn apply_book_of(&mut self) {
        self.portfolio.set_csm(self.book_of.clone());
        self.relist();
        if self.grid.is_some() {
            self.refresh_grid();
        }
        if self.renewals.is_some() {
            self.refresh_renewals();
        }
    }

    /// The config file in use: the one named on the command line, else the default location.
    fn config_file(&self) -> std::path::PathBuf {
        self.config_path.clone().unwrap_or_else(crate::config::paths::default_config)
    }

    /// Recompute the Scoring view's preview after an edit.
    fn repreview(&mut self) {
        if let Some(view) = &mut self.scoring {
            let rows = self.portfolio.rows();
            view.preview = Some(book::scoring::preview(&self.config, &view.model, rows, &view.values, self.today));
            view.auc_edited = crate::domain::backtest::score_auc(&view.samples, &view.model, &self.config.health.bands);
        }
    }

    /// Check the edited weights and thresholds, write them into the config file, record the
    /// change in the book, and rescore everything with them.
    fn save_scoring(&mut self) -> Result<()> {
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
        let said = match book::scoring::save(&path, &view.original, &view.model) {
            Ok(said) => said,
            Err(e) => {
                self.fail(format!("Not saved: {e}"));
                return Ok(());
            }
        };
        let summary = said.join("; ");
        self.store.record_scoring_change(&path.display().to_string(), &summary)?;
        self.config.health = health;
        self.reload()?;
        self.scoring = None;
        self.screen = Screen::Scoring;
        self.update(Action::ShowScoring)?;
        self.say(&format!("Saved to {}: {summary}. The book is rescored.", path.display()));
        Ok(())
    }

    /// Read the whole book again (after the rules changed): rows, triage, and every view built.
    fn reload(&mut self) -> Result<()> {
        book::prepare(&mut self.store, &self.config, self.today)?;
        let (rows, triage_book) = book::load_book(&self.store, &self.config, self.today)?;
        self.triage_book = triage_book;
        self.portfolio.set_rows(rows);
        self.apply_book_of();
        if self.team.is_some() {
            self.refresh_team();
        }
        Ok(())
    }

    fn refresh_renewals(&mut self) {
        let days = self.renewals.as_ref().map_or(90, |r| r.days);
        self.refresh_renewals_for(days);
    }

    fn refresh_renewals_for(&mut self, days: i64) {
        let rows = self.portfolio.rows();
        let (mut due, _) = book::renewals::due(&self.config, rows, self.today, days);
        if let Some(csm) = &self.book_of {
            due.retain(|&i| rows[i].csm == *csm);
        }
        let mut forecast = crate::domain::renewal::Forecast::default();
        for &i in &due {
            forecast.add(&self.config.renewals.likelihood, rows[i].arr, rows[i].band);
        }
        match &mut self.renewals {
            Some(view) => view.replace(due, forecast, days),
            None => self.renewals = Some(RenewalsView::new(due, forecast, days)),
        }
    }

    fn refresh_team(&mut self) {
        let rows = self.portfolio.rows();
        let lines = book::team::team(&self.config, rows, &self.triage_book);
        let (from, to) = (self.today - chrono::Duration::days(364), self.today);
        let retention = |by| book::metrics::retention(&self.store, rows, from, to, by);
        let (all, by_csm) = match (retention(book::metrics::GroupBy::Book), retention(book::metrics::GroupBy::Csm)) {
            (Ok(all), Ok(by_csm)) => (all.into_iter().next().map(|(_, r)| r).unwrap_or_default(), by_csm),
            (Err(e), _) | (_, Err(e)) => {
                self.fail(e.to_string());
                (Default::default(), Vec::new())
            }
        };
        match &mut self.team {
            Some(view) => view.replace(lines, all, by_csm),
            None => self.team = Some(TeamView::new(lines, all, by_csm)),
        }
    }

    fn open_agenda(&mut self) -> Result<()> {
        let Some(csm) = self.team.as_ref().and_then(|t| t.selected_csm()).map(str::to_owned) else { return Ok(()) };
        let rows = self.portfolio.rows();
        match book::team::one_on_one(&self.store, &self.config, rows, &self.triage_book, &csm, self.today) {
            Ok(items) => {
                if let Some(t) = &mut self.team {
                    t.agenda = Some((csm, items));
                    t.agenda_scroll = 0;
                }
            }
            Err(e) => self.fail(e.to_string()),
        }
        Ok(())
    }

    /// The account a logging key applies to: the one open, else the Triage or Portfolio selection.
    fn current_account(&mut self) -> Option<(i64, String)> {
        let found = match (&self.screen, &self.account) {
            (Screen::Account, Some(view)) => Some((view.detail.account.id, view.detail.account.name.clone())),
            (Screen::Triage, _) => self.triage_selection().map(|(i, name)| (i.id, name)),
            (Screen::Renewals, _) => self
                .renewals
                .as_ref()
                .and_then(|r| r.selected_row())
                .and_then(|i| self.portfolio.rows().get(i))
                .map(|r| (r.id, r.name.clone())),
            _ => self.portfolio.selected_row().map(|r| (r.id, r.name.clone())),
        };
        if found.is_none() {
            self.fail("No account selected.".into());
        }
        found
    }

    fn open_entry_form(&mut self, kind: EntryKind) -> Result<()> {
        if let Some((id, name)) = self.current_account() {
            let form = forms::entry_form(kind, &name, None, self.today);
            self.form = Some(OpenForm { purpose: FormPurpose::NewEntry { account_id: id, kind }, form });
        }
        Ok(())
    }

    fn edit_selected(&mut self) -> Result<()> {
        let Some(view) = &self.account else { return Ok(()) };
        let name = view.detail.account.name.clone();
        let Some((entity, id)) = view.selected_target() else {
            if view.tab != AccountTab::Health {
                self.say("Goal and milestone lines are edited in their own tabs.");
            }
            return Ok(());
        };
        let open = match entity {
            Entity::Entry => self.store.entry(id)?.map(|e| OpenForm {
                purpose: FormPurpose::EditEntry { entry_id: id, kind: e.kind },
                form: forms::entry_form(e.kind, &name, Some(&clean_entry(e.clone())), self.today),
            }),
            Entity::Goal => view.detail.goals.iter().find(|g| g.id == id).map(|g| OpenForm {
                purpose: FormPurpose::EditGoal { goal_id: id },
                form: forms::goal_form(&name, Some(g), self.today),
            }),
            Entity::Milestone => view.detail.milestones.iter().find(|m| m.id == id).map(|m| OpenForm {
                purpose: FormPurpose::EditMilestone { milestone_id: id },
                form: forms::milestone_form(&name, Some(m), self.today),
            }),
        };
        self.form = open;
        Ok(())
    }

    /// Save the open form: check it, write it, and close it; or keep it open with the problem.
    fn submit_form(&mut self) -> Result<()> {
        let Some(open) = self.form.clone() else { return Ok(()) };
        match open.purpose {
            FormPurpose::Snooze { account_id } => return self.submit_snooze(&open, account_id),
            FormPurpose::BookOf => return self.submit_book_of(&open),
            _ => {}
        }
        let today = self.today;
        let mut parts = self.ctx_parts();
        let mut ctx = parts.ctx();
        let result = match open.purpose {
            FormPurpose::NewEntry { account_id, kind } => forms::entry_input(&open.form, kind, today)
                .map_err(Into::into)
                .and_then(|input| book::log::log_entry(&mut ctx, account_id, &input)),
            FormPurpose::EditEntry { entry_id, kind } => forms::entry_input(&open.form, kind, today)
                .map_err(Into::into)
                .and_then(|input| book::log::edit_entry(&mut ctx, entry_id, &input)),
            FormPurpose::NewGoal { account_id } => forms::goal_input(&open.form, today)
                .map_err(Into::into)
                .and_then(|input| book::log::add_goal(&mut ctx, account_id, &input)),
            FormPurpose::EditGoal { goal_id } => forms::goal_input(&open.form, today)
                .map_err(Into::into)
                .and_then(|input| book::log::edit_goal(&mut ctx, goal_id, &input)),
            FormPurpose::NewMilestone { account_id } => forms::milestone_input(&open.form, today)
                .map_err(Into::into)
                .and_then(|input| book::log::add_milestone(&mut ctx, account_id, &input)),
            FormPurpose::EditMilestone { milestone_id } => forms::milestone_input(&open.form, today)
                .map_err(Into::into)
                .and_then(|input| book::log::edit_milestone(&mut ctx, milestone_id, &input)),
            FormPurpose::Renew { account_id } => forms::renew_input(&open.form)
                .map_err(Into::into)
                .and_then(|(day, until, arr)| book::contracts::renew(&mut ctx, account_id, day, until, Some(arr))),
            FormPurpose::Churn { account_id } => forms::churn_input(&open.form)
                .map_err(Into::into)
                .and_then(|(day, reason)| book::contracts::churn(&mut ctx, account_id, day, &reason)),
            FormPurpose::OverrideBand { account_id } => match open.form.choice("band") {
                "clear" => book::overrides::clear(&mut ctx, account_id),
                key => match crate::store::overrides::band_from_key(key) {
                    Some(band) => open.form.date("until").map_err(Into::into).and_then(|until| {
                        let until = until.unwrap_or(today + chrono::Duration::days(30));
                        book::overrides::set(&mut ctx, account_id, band, &open.form.text("reason"), until)
                    }),
                    None => return Ok(()),
                },
            },
            FormPurpose::Snooze { .. } | FormPurpose::BookOf => return Ok(()),
        };
        match result {
            Ok(outcome) => {
                self.form = None;
                self.after_write(outcome)
            }
            // Keep what was typed; say what is wrong.
            Err(e) => {
                if let Some(open) = &mut self.form {
                    open.form.error = Some(e.to_string());
                }
                Ok(())
            }
        }
    }

    fn submit_snooze(&mut self, open: &OpenForm, account_id: i64) -> Result<()> {
        match open.form.number("days") {
            Ok(days) => {
                self.form = None;
                let item = self.triage.shown().find(|i| i.id == account_id).cloned();
                if let Some(item) = item {
                    self.mark_item(&item, Some(days))?;
                }
            }
            Err(e) => {
                if let Some(open) = &mut self.form {
                    open.form.error = Some(e.to_string());
                }
            }
        }
        Ok(())
    }

    /// Show the book of the CSM typed (a case-insensitive start of a name), or everyone's.
    fn submit_book_of(&mut self, open: &OpenForm) -> Result<()> {
        let typed = open.form.text("csm");
        let typed = typed.trim();
        if typed.is_empty() {
            self.form = None;
            self.book_of = None;
            self.apply_book_of();
            return Ok(());
        }
        let mut names: Vec<&str> = self
            .portfolio
            .rows()
            .iter()
            .map(|r| r.csm.as_str())
            .filter(|c| c.to_lowercase().starts_with(&typed.to_lowercase()))
            .collect();
        names.sort_unstable();
        names.dedup();
        let exact = names.iter().find(|n| n.eq_ignore_ascii_case(typed)).copied();
        let chosen = match (exact, names.as_slice()) {
            (Some(name), _) | (None, &[name]) => Ok(name.to_string()),
            (None, []) => Err(format!("no CSM's name starts with \"{typed}\"")),
            (None, many) => Err(format!(
                "{} CSMs match: {}{}",
                many.len(),
                many.iter().take(4).copied().collect::<Vec<_>>().join(", "),
                if many.len() > 4 { ", …" } else { "" }
            )),
        };
        match chosen {
            Ok(name) => {
                self.book_of = Some(name);
                self.form = None;
                self.apply_book_of();
            }
            Err(message) => self.form_error(message),
        }
        Ok(())
    }

    fn form_error(&mut self, message: String) {
        if let Some(open) = &mut self.form {
            open.form.error = Some(message);
        }
    }

    fn finish(&mut self, result: book::log::Result<book::log::Outcome>) -> Result<()> {
        match result {
            Ok(outcome) => self.after_write(outcome),
            Err(e) => {
                self.fail(e.to_string());
                Ok(())
            }
        }
    }

    /// Show what a write did, and redraw the account's score and breakdown at once.
    fn after_write(&mut self, outcome: book::log::Outcome) -> Result<()> {
        self.say(&outcome.message);
        let id = outcome.account_id;
        if let Some(mut row) = book::refresh_row(&mut self.store, &self.config, id, self.today)? {
            self.triage_book.refresh_account(&self.store, &self.config, id)?;
            self.triage_book.annotate_row(&mut row);
            self.portfolio.replace_row(row);
            self.relist();
        }
        if self.grid.is_some() {
            self.refresh_grid();
        }
        if self.renewals.is_some() {
            self.refresh_renewals();
        }
        if self.team.is_some() {
            self.refresh_team();
        }
        if let Some(view) = &mut self.account
            && view.detail.account.id == id
        {
            view.replace(book::account_detail(&self.store, &self.config, id, self.today)?);
        }
        Ok(())
    }

    fn say(&mut self, message: &str) {
        self.message = Some(message.to_string());
        self.message_is_error = false;
    }

    fn fail(&mut self, message: String) {
        self.message = Some(message);
        self.message_is_error = true;
    }

    fn ctx_parts(&mut self) -> CtxParts<'_> {
        CtxParts { store: &mut self.store, config: &self.config, session: &self.session, today: self.today }
    }

    /// Rebuild the Grid's numbers from the Portfolio's rows (they are current after every write).
    fn refresh_grid(&mut self) {
        let book_of = self.book_of.as_deref();
        let rows = self.portfolio.rows().iter().filter(|r| book_of.is_none_or(|c| r.csm == c));
        let grid = crate::book::grid::build(rows, &self.config.segments.names());
        match &mut self.grid {
            Some(view) => view.replace(grid),
            None => self.grid = Some(GridView::new(grid)),
        }
    }

    fn navigate(&mut self, action: Action) {
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

    fn open_selected(&mut self) -> Result<()> {
        let selected = match self.screen {
            Screen::Triage => self.triage.selected_item().map(|i| i.id),
            Screen::Renewals => self
                .renewals
                .as_ref()
                .and_then(|r| r.selected_row())
                .and_then(|i| self.portfolio.rows().get(i))
                .map(|r| r.id),
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

    /// Draw the whole screen from state. Reads only.
    pub fn render(&self, frame: &mut Frame) {
        let area = frame.area();
        let filter_line =
            self.screen == Screen::Portfolio && (self.portfolio.filtering || !self.portfolio.filter.value().is_empty());
        // A confirmation longer than the screen is wide gets a second line rather than being cut.
        // A status longer than the screen is wide gets a second line rather than being cut.
        let status_line = self.status_line();
        let status_height = if status_line.width() > area.width as usize { 2 } else { 1 };
        let [top, body, filter, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(u16::from(filter_line)),
            Constraint::Length(status_height),
        ])
        .areas(area);

        self.render_header(top, frame);
        let buf = frame.buffer_mut();
        match self.screen {
            Screen::Triage | Screen::Portfolio if self.portfolio.total() == 0 => {
                empty::render(body, buf, &self.theme, &self.store.path().display().to_string())
            }
            Screen::Triage => self.triage.render(body, buf, &self.theme, self.portfolio.rows()),
            Screen::Portfolio if self.portfolio.total() == 0 => {
                empty::render(body, buf, &self.theme, &self.store.path().display().to_string())
            }
            Screen::Portfolio => self.portfolio.render(body, buf, &self.theme, self.today),
            Screen::Grid => {
                if let Some(view) = &self.grid {
                    view.render(body, buf, &self.theme)
                }
            }
            Screen::Account => {
                if let Some(view) = &self.account {
                    view.render(body, buf, &self.theme)
                }
            }
            Screen::Renewals => {
                if let Some(view) = &self.renewals {
                    let likelihood = &self.config.renewals.likelihood;
                    view.render(body, buf, &self.theme, self.portfolio.rows(), self.today, likelihood)
                }
            }
            Screen::Team => {
                if let Some(view) = &self.team {
                    view.render(body, buf, &self.theme)
                }
            }
            Screen::Scoring => {
                if let Some(view) = &self.scoring {
                    view.render(body, buf, &self.theme)
                }
            }
        }
        if filter_line {
            self.render_filter(filter, frame);
        }
        self.render_status(status_line, status, frame);
        if self.help {
            let max = help::render(self.scope(), self.help_scroll, body, frame.buffer_mut(), &self.theme);
            self.help_max.set(max);
        }
        if let Some(open) = &self.form
            && let Some(cursor) = open.form.render(body, frame.buffer_mut(), &self.theme)
        {
            frame.set_cursor_position(cursor);
        }
    }

    fn render_header(&self, area: Rect, frame: &mut Frame) {
        let tab = |label: String, on: bool| {
            if on { Span::styled(format!(" {label} "), self.theme.selected()) } else { Span::raw(format!(" {label} ")) }
        };
        let header = |short: bool| {
            let mut spans = vec![Span::styled(" tend ", self.theme.title()), Span::raw("│")];
            for view in Screen::VIEWS {
                // Short: only the views' numbers, so an open account's name keeps its room.
                let label = if short { view.label()[..1].to_string() } else { view.label().to_string() };
                spans.push(tab(label, self.screen == view));
            }
            if let Some(view) = &self.account {
                spans.push(Span::raw("›"));
                spans.push(tab(view.detail.account.name.clone(), self.screen == Screen::Account));
            }
            Line::from(spans)
        };
        let full = header(false);
        let line = if full.width() > area.width as usize && self.account.is_some() { header(true) } else { full };
        // The hint shortens, then gives way, when the views and an open account's name need the room.
        let room = (area.width as usize).saturating_sub(line.width());
        let hint = [" ? keys  q quit ", " ? keys "].into_iter().find(|h| h.len() <= room);
        frame.render_widget(Paragraph::new(line).style(self.theme.bar()), area);
        if let Some(hint) = hint {
            frame.render_widget(Paragraph::new(Line::from(hint).right_aligned()).style(self.theme.bar()), area);
        }
    }

    fn render_filter(&self, area: Rect, frame: &mut Frame) {
        let input = &self.portfolio.filter;
        let prefix = "Filter: ";
        let hint = if self.portfolio.filtering { "  Enter keeps · Esc clears" } else { "  / edits · x clears" };
        let line = Line::from(vec![
            Span::styled(prefix, self.theme.title()),
            Span::raw(input.value().to_string()),
            Span::styled(format!("  {} match", self.portfolio.in_view()), self.theme.dim()),
            Span::styled(hint, self.theme.dim()),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        if self.portfolio.filtering {
            let x = area.x + prefix.len() as u16 + input.visual_cursor() as u16;
            frame.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
        }
    }

    fn render_status(&self, line: Line<'static>, area: Rect, frame: &mut Frame) {
        frame.render_widget(Paragraph::new(line).wrap(ratatui::widgets::Wrap { trim: false }), area);
    }

    /// The status line: a message if there is one, else where you are and what is shown.
    fn status_line(&self) -> Line<'static> {
        if let Some(message) = &self.message {
            let style = if self.message_is_error { self.theme.error() } else { self.theme.title() };
            Line::styled(format!(" {message}"), style)
        } else {
            let p = &self.portfolio;
            let data = match self.metrics_through {
                None => format!("as of {}, no usage data", self.today),
                Some(d) if d >= self.today => format!("as of {}, data current", self.today),
                Some(d) => format!("as of {}, data to {d} ({}d old)", self.today, (self.today - d).num_days()),
            };
            let in_view = match self.screen {
                Screen::Triage => format!("{} listed of {} accounts", self.triage.len(), p.total()),
                Screen::Portfolio | Screen::Grid => format!("{}/{} shown", p.in_view(), p.total()),
                _ => format!("{} accounts", p.total()),
            };
            let whose = match &self.book_of {
                Some(csm) => format!("{csm}'s book (v: everyone)"),
                None => "all CSMs".to_string(),
            };
            let mut parts = vec![self.book_name.clone(), data, whose, in_view];
            if let Some(cell) = &p.cell {
                parts.push(format!("cell {} (x clears)", cell.describe()));
            }
            if p.churned_hidden() > 0 && matches!(self.screen, Screen::Portfolio | Screen::Grid) {
                parts.push(format!("{} churned hidden", p.churned_hidden()));
            }
            if self.screen == Screen::Portfolio && p.ranked_by_match() {
                parts.push("best match first".to_string());
            } else if self.screen == Screen::Portfolio {
                parts.push(format!("sort {} {}", p.sort.label(), if p.descending { "▼" } else { "▲" }));
            }
            Line::styled(format!(" {}", parts.join(" · ")), self.theme.dim())
        }
    }

    /// The only I/O loop: read an event, update, draw.
    pub fn run(mut self, terminal: &mut DefaultTerminal) -> Result<()> {
        while !self.quit {
            terminal.draw(|f| self.render(f))?;
            if !event::poll(Duration::from_millis(250))? {
                continue;
            }
            // Resizes redraw on the next pass; keys are the only events that change state.
            if let Event::Key(key) = event::read()? {
                self.handle_key(key)?;
            }
        }
        Ok(())
    }
}

/// Borrowed pieces of the app that a write needs, split so the borrow checker sees them apart.
struct CtxParts<'a> {
    store: &'a mut Store,
    config: &'a Config,
    session: &'a str,
    today: NaiveDate,
}

impl CtxParts<'_> {
    fn ctx(&mut self) -> book::log::Ctx<'_> {
        book::log::Ctx { store: self.store, config: self.config, session: self.session, today: self.today, by: None }
    }
}

/// An entry's text cleaned for the form, like everything else drawn.
fn clean_entry(mut e: EntryRecord) -> EntryRecord {
    e.note = crate::text::clean(&e.note);
    e.title = e.title.as_deref().map(crate::text::clean);
    e
}
