//! The command line: `tend` opens the TUI; subcommands do everything scriptable.

mod commands;

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

pub use commands::run;

#[derive(Debug, Parser)]
#[command(name = "tend", version, about = "A terminal cockpit for customer-success managers")]
pub struct Cli {
    /// The book (SQLite file) to use [default: tend.db in the platform data directory]
    #[arg(long, global = true, env = "TEND_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// The config file [default: config.toml in the platform config directory]
    #[arg(long, global = true, env = "TEND_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Score the book as of this day (YYYY-MM-DD) instead of today
    #[arg(long, global = true, env = "TEND_AS_OF", value_name = "DATE")]
    pub as_of: Option<NaiveDate>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build a realistic demo book (its own file, never your real book) and open it
    Demo {
        /// How many accounts (up to 1,000,000)
        #[arg(long, default_value_t = crate::demo::DEFAULT_ACCOUNTS as u64, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
        accounts: u64,
        /// Seed: the same seed and day give the same book
        #[arg(long, default_value_t = crate::demo::DEFAULT_SEED)]
        seed: u64,
        /// Build it afresh even if it exists
        #[arg(long)]
        rebuild: bool,
        /// Only write the book; do not open the TUI
        #[arg(long)]
        no_open: bool,
    },
    /// Check the configuration
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Validate the config file and print the effective configuration
    Check,
}
