//! Where tend keeps its files by default: the platform's data and config directories.

use std::path::PathBuf;

use directories::ProjectDirs;

fn dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "tend")
}

/// The user's book: `<data dir>/tend.db`.
pub fn default_db() -> PathBuf {
    dirs().map_or_else(|| PathBuf::from("tend.db"), |d| d.data_dir().join("tend.db"))
}

/// The demo book, never the user's real one: `<data dir>/demo.db`.
pub fn default_demo_db() -> PathBuf {
    dirs().map_or_else(|| PathBuf::from("tend-demo.db"), |d| d.data_dir().join("demo.db"))
}

/// `<config dir>/config.toml`.
pub fn default_config() -> PathBuf {
    dirs().map_or_else(|| PathBuf::from("tend.toml"), |d| d.config_dir().join("config.toml"))
}

/// The `tend config check` that reads the config at `path`: without `--config` for the default
/// file (or none given), with it for another, so that the command said can be run as it is.
pub fn check_command(path: Option<&std::path::Path>) -> String {
    match path.filter(|p| *p != default_config()) {
        None => "tend config check".to_string(),
        Some(p) => format!("tend config check --config {}", p.display()),
    }
}

/// Where each member's snapshot of a team book is kept between runs: `<cache dir>/team`.
pub fn team_snapshots() -> Option<PathBuf> {
    dirs().map(|d| d.cache_dir().join("team"))
}
