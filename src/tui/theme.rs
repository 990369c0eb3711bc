//! Colours, and their absence: with `NO_COLOR` set, tend draws with no colour at all and relies on
//! the band letters and text attributes alone.

use ratatui::style::{Color, Modifier, Style};

use crate::domain::HealthBand;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless the `NO_COLOR` convention (any non-empty value) asks for none.
    pub fn from_env() -> Theme {
        Theme { color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) }
    }

    pub fn plain() -> Theme {
        Theme { color: false }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color { Style::new().fg(c) } else { Style::new() }
    }

    pub fn band(&self, band: Option<HealthBand>) -> Style {
        match band {
            Some(HealthBand::Green) => self.fg(Color::Green),
            Some(HealthBand::Yellow) => self.fg(Color::Yellow),
            Some(HealthBand::Orange) => self.fg(Color::Indexed(208)),
            Some(HealthBand::Red) => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            None => self.dim(),
        }
    }

    pub fn dim(&self) -> Style {
        if self.color { Style::new().fg(Color::DarkGray) } else { Style::new().add_modifier(Modifier::DIM) }
    }

    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn header(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn bar(&self) -> Style {
        if self.color {
            Style::new().bg(Color::Blue).fg(Color::White)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// What wants doing, not an error: data overdue for its next import.
    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
}
