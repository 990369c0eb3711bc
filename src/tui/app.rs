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
use super::keymap::{self, Scope};
use super::theme::Theme;
use super::views::account::AccountView;
use super::views::portfolio::PortfolioView;
use super::views::{empty, help};
use crate::book;
use crate::config::Config;
use crate::store::Store;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Portfolio,
    Account,
}

pub struct App {
    pub store: Store,
    pub config: Config,
    pub today: NaiveDate,
    pub theme: Theme,
    pub screen: Screen,
    pub portfolio: PortfolioView,
    pub account: Option<AccountView>,
    pub help: bool,
    /// A one-off message for the status line (an error, a confirmation); cleared by the next key.
    pub message: Option<String>,
    pub quit: bool,
    book_name: String,
}

impl App {
    /// Open the app on a book, scored as of `today`.
    pub fn new(
        mut store: Store,
        config: Config,
        today: NaiveDate,
        theme: Theme,
    ) -> crate::store::Result<App> {
        let rows = book::load_portfolio(&mut store, &config, today)?;
        let book_name = store.path().file_name().map_or_else(
            || store.path().display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        Ok(App {
            store,
            config,
            today,
            theme,
            screen: Screen::Portfolio,
            portfolio: PortfolioView::new(rows),
            account: None,
            help: false,
            message: None,
            quit: false,
            book_name: crate::text::clean(&book_name),
        })
    }

    pub fn scope(&self) -> Scope {
        match self.screen {
            Screen::Portfolio => Scope::Portfolio,
            Screen::Account => Scope::Account,
        }
    }

    /// Route a key: the help popup first, then the filter input, then the key table.
    pub fn handle_key(&mut self, key: KeyEvent) -> Result<()> {
        if key.kind == KeyEventKind::Release {
            return Ok(());
        }
        self.message = None;
        if self.help {
            if matches!(
                key.code,
                KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q')
            ) {
                self.help = false;
            }
            return Ok(());
        }
        if self.screen == Screen::Portfolio && self.portfolio.filtering {
            match key.code {
                KeyCode::Enter => self.portfolio.filtering = false,
                KeyCode::Esc => self.portfolio.clear_filter(),
                KeyCode::Up => self.portfolio.move_by(-1),
                KeyCode::Down => self.portfolio.move_by(1),
                KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                    self.quit = true
                }
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
            Action::ToggleHelp => self.help = !self.help,
            Action::Back => match self.screen {
                Screen::Account => {
                    self.screen = Screen::Portfolio;
                    self.account = None;
                }
                Screen::Portfolio if !self.portfolio.filter.value().is_empty() => {
                    self.portfolio.clear_filter()
                }
                Screen::Portfolio => {}
            },
            Action::Open => self.open_selected()?,
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => self.navigate(action),
            Action::StartFilter => self.portfolio.filtering = true,
            Action::ClearFilter => self.portfolio.clear_filter(),
            Action::SortNext => self.portfolio.sort_step(1),
            Action::SortPrev => self.portfolio.sort_step(-1),
            Action::ReverseSort => self.portfolio.reverse(),
            Action::ToggleChurned => self.portfolio.toggle_churned(),
        }
        Ok(None)
    }

    fn navigate(&mut self, action: Action) {
        match self.screen {
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
                        Action::Up => view.scroll_by(-1),
                        Action::Down => view.scroll_by(1),
                        Action::PageUp => view.scroll_by(-10),
                        Action::PageDown => view.scroll_by(10),
                        Action::Top => view.scroll = 0,
                        Action::Bottom => view.scroll_to_end(),
                        _ => {}
                    }
                }
            }
        }
    }

    fn open_selected(&mut self) -> Result<()> {
        let Some(id) = self.portfolio.selected_row().map(|r| r.id) else {
            return Ok(());
        };
        match book::account_detail(&self.store, &self.config, id, self.today) {
            Ok(detail) => {
                self.account = Some(AccountView::new(detail));
                self.screen = Screen::Account;
            }
            // A store error here (a lock, a vanished row) is not fatal: say so and stay.
            Err(e) => self.message = Some(e.to_string()),
        }
        Ok(())
    }

    /// Draw the whole screen from state. Reads only.
    pub fn render(&self, frame: &mut Frame) {
        let area = frame.area();
        let filter_line = self.screen == Screen::Portfolio
            && (self.portfolio.filtering || !self.portfolio.filter.value().is_empty());
        let [top, body, filter, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(u16::from(filter_line)),
            Constraint::Length(1),
        ])
        .areas(area);

        self.render_header(top, frame);
        let buf = frame.buffer_mut();
        match self.screen {
            Screen::Portfolio if self.portfolio.total() == 0 => empty::render(
                body,
                buf,
                &self.theme,
                &self.store.path().display().to_string(),
            ),
            Screen::Portfolio => self.portfolio.render(body, buf, &self.theme, self.today),
            Screen::Account => {
                if let Some(view) = &self.account {
                    view.render(body, buf, &self.theme)
                }
            }
        }
        if filter_line {
            self.render_filter(filter, frame);
        }
        self.render_status(status, frame);
        if self.help {
            help::render(self.scope(), body, frame.buffer_mut(), &self.theme);
        }
    }

    fn render_header(&self, area: Rect, frame: &mut Frame) {
        let tab = |label: String, on: bool| {
            if on {
                Span::styled(format!(" {label} "), self.theme.selected())
            } else {
                Span::raw(format!(" {label} "))
            }
        };
        let mut spans = vec![Span::styled(" tend ", self.theme.title()), Span::raw("│")];
        spans.push(tab("Portfolio".into(), self.screen == Screen::Portfolio));
        if let Some(view) = &self.account {
            spans.push(Span::raw("›"));
            spans.push(tab(
                view.detail.account.name.clone(),
                self.screen == Screen::Account,
            ));
        }
        frame.render_widget(
            Paragraph::new(Line::from(spans)).style(self.theme.bar()),
            area,
        );
        let hint = Line::from(" ? keys  q quit ").right_aligned();
        frame.render_widget(Paragraph::new(hint).style(self.theme.bar()), area);
    }

    fn render_filter(&self, area: Rect, frame: &mut Frame) {
        let input = &self.portfolio.filter;
        let prefix = "Filter: ";
        let hint = if self.portfolio.filtering {
            "  Enter keeps · Esc clears"
        } else {
            "  / edits · x clears"
        };
        let line = Line::from(vec![
            Span::styled(prefix, self.theme.title()),
            Span::raw(input.value().to_string()),
            Span::styled(
                format!("  {} match", self.portfolio.in_view()),
                self.theme.dim(),
            ),
            Span::styled(hint, self.theme.dim()),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        if self.portfolio.filtering {
            let x = area.x + prefix.len() as u16 + input.visual_cursor() as u16;
            frame.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
        }
    }

    fn render_status(&self, area: Rect, frame: &mut Frame) {
        let line = if let Some(message) = &self.message {
            Line::styled(format!(" {message}"), self.theme.error())
        } else {
            let p = &self.portfolio;
            let mut parts = vec![
                self.book_name.clone(),
                format!("as of {}", self.today),
                format!("{}/{} shown", p.in_view(), p.total()),
            ];
            if p.churned_hidden() > 0 {
                parts.push(format!("{} churned hidden", p.churned_hidden()));
            }
            if self.screen == Screen::Portfolio && p.ranked_by_match() {
                parts.push("best match first".to_string());
            } else if self.screen == Screen::Portfolio {
                parts.push(format!(
                    "sort {} {}",
                    p.sort.label(),
                    if p.descending { "▼" } else { "▲" }
                ));
            }
            Line::styled(format!(" {}", parts.join(" · ")), self.theme.dim())
        };
        frame.render_widget(Paragraph::new(line), area);
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
