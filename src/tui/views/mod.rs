//! One file per screen. Each holds its state and draws it; none touches the database.

pub mod account;
pub mod cells;
pub mod empty;
pub mod grid;
pub mod help;
pub mod portfolio;
pub mod renewals;
pub mod scoring;
pub mod team;
pub mod trend;
pub mod triage;
