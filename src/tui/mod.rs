//! The terminal front end: app state and actions, the key table, and one view per screen.

pub mod action;
pub mod app;
pub mod form;
pub mod forms;
pub mod keymap;
pub mod theme;
pub mod views;

pub use app::App;

/// Run the TUI until the user quits. `ratatui::run` restores the terminal on exit and on panic.
pub fn run(app: App) -> color_eyre::Result<()> {
    ratatui::run(|terminal| app.run(terminal))
}
