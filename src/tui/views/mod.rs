//! One file per screen. Each holds its state and draws it; none touches the database.

pub mod account;
pub mod cells;
pub mod empty;
pub mod filter;
pub mod grid;
pub mod help;
pub mod portfolio;
pub mod renewals;
pub mod scoring;
pub mod team;
pub mod trend;
pub mod triage;

/// The first line to draw so the `selected` line stays in a window of `height` lines, moving as
/// little as possible from `offset` (where the last frame started).
pub fn scroll_offset(selected: usize, offset: usize, height: usize) -> usize {
    if selected < offset {
        selected
    } else if height > 0 && selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}
