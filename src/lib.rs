//! tend: a terminal cockpit for customer-success managers.
//!
//! The domain (pure scoring), the store (SQLite), the demo generator, the TUI and the CLI are kept
//! apart so each can be tested without the others.

pub mod book;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod export;
pub mod import;
pub mod output;
pub mod rows;
pub mod store;
pub mod team;
pub mod text;
pub mod tui;

/// How many threads work split across cores takes (parsing an import, the history, the filter):
/// the machine's cores, at most 8.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from).clamp(1, 8)
}
