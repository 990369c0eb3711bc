//! The shape every screen shares. The App keeps the book, the forms, the popups and the writes;
//! a view keeps what only it shows (its list, its selection, its sort) and answers four
//! questions: which keys apply here, what an action does to it, which account is selected, and
//! how it looks. The App dispatches to the view on screen and handles only what the view leaves.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::action::Action;
use super::keymap::Scope;
use super::theme::Theme;
use super::views::filter::Filtered;
use crate::book::PortfolioRow;
use crate::config::Config;

/// What a view did with an action.
#[derive(Debug, PartialEq, Eq)]
pub enum Handled {
    /// Done: its own state changed (or there was nothing to do).
    Done,
    /// Done, with a line for the status bar.
    Say(String),
    /// Done, and this action follows (e.g. Back from the Grid shows the Portfolio).
    Then(Action),
    /// Not the view's to do: the App handles it (writes, forms, other views).
    Pass,
}

/// The account the logging keys act on, as the view on screen sees it.
#[derive(Debug, PartialEq, Eq)]
pub enum Selected {
    Account {
        id: i64,
        name: String,
    },
    /// The view lists accounts, but none is selected (an empty list).
    Nothing,
    /// The view shows no single account (the Grid, Team's CSM lines, Scoring): a logging key
    /// here must not guess one.
    NoAccounts,
}

/// What drawing needs beyond the view's own state. Read-only.
pub struct DrawCtx<'a> {
    pub theme: &'a Theme,
    /// The book's rows (the Portfolio's), which Triage and Renewals point into.
    pub rows: &'a [PortfolioRow],
    pub today: NaiveDate,
    pub config: &'a Config,
}

pub trait View {
    /// The key table's section that applies on this view (over the global keys).
    fn scope(&self) -> Scope;
    /// Apply an action to the view's own state; `Pass` leaves it to the App.
    fn handle(&mut self, action: Action) -> Handled;
    /// The account the logging keys would act on.
    fn selected(&self, rows: &[PortfolioRow]) -> Selected;
    /// Draw into `area`. Reads state only.
    fn draw(&self, area: Rect, buf: &mut Buffer, ctx: &DrawCtx);
    /// The `/` filter, for the views that have one.
    fn filtered(&mut self) -> Option<&mut dyn Filtered> {
        None
    }
    fn filter(&self) -> Option<&super::views::filter::ListFilter> {
        None
    }
}

impl Selected {
    /// The selection of a list of rows: `row`, if any.
    pub fn of(row: Option<&PortfolioRow>) -> Selected {
        match row {
            Some(r) => Selected::Account { id: r.id, name: r.name.clone() },
            None => Selected::Nothing,
        }
    }
}

/// The selection of a list pointing into the book's rows: the row at `index`, if any.
pub fn row_at(rows: &[PortfolioRow], index: Option<usize>) -> Selected {
    Selected::of(index.and_then(|i| rows.get(i)))
}
