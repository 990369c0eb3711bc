//! The terminal front end: app state and actions, the key table, and one view per screen.

pub mod action;
pub mod app;
pub mod form;
pub mod forms;
pub mod keymap;
pub mod theme;
pub mod view;
pub mod views;

pub use app::{App, HEAD_FIRST_FROM, TeamLink};

/// Run the TUI until the user quits. The terminal is restored on exit and on panic (`try_init`
/// installs the hook); with no terminal at all (a pipe, a cron job) it is a clear error, not a crash.
pub fn run(app: App) -> color_eyre::Result<()> {
    use color_eyre::eyre::WrapErr;
    let mut terminal =
        ratatui::try_init().wrap_err("the screens need a terminal; for scripts use the commands (tend --help)")?;
    // Pasted text comes as one event, not as keys (see `App::handle_paste`); the terminal is
    // given back without it, also after a panic.
    let pasting = paste_whole(true);
    if pasting {
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            paste_whole(false);
            hook(info);
        }));
    }
    let result = app.run(&mut terminal);
    if pasting {
        paste_whole(false);
    }
    ratatui::restore();
    result
}

/// Bracketed paste on or off; whether the terminal took it.
fn paste_whole(on: bool) -> bool {
    use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
    let mut out = std::io::stdout();
    match on {
        true => ratatui::crossterm::execute!(out, EnableBracketedPaste).is_ok(),
        false => ratatui::crossterm::execute!(out, DisableBracketedPaste).is_ok(),
    }
}
