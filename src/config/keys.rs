//! `[keys]`: keys of the user's own for the TUI's actions, per view, over the built-in ones.
//!
//! ```toml
//! [keys.global]
//! log_sentiment = "S"
//! search = ["ctrl-f", ":"]
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// View name -> action name -> keys.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct KeysConfig(pub BTreeMap<String, BTreeMap<String, KeyList>>);

/// One key or several.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum KeyList {
    One(String),
    Many(Vec<String>),
}

impl KeyList {
    pub fn keys(&self) -> Vec<&str> {
        match self {
            KeyList::One(k) => vec![k.as_str()],
            KeyList::Many(ks) => ks.iter().map(String::as_str).collect(),
        }
    }
}

impl KeysConfig {
    /// Every problem, as (key under `[keys]`, reason); see `tui::keymap::Keymap::with`.
    pub fn problems(&self) -> Vec<(String, String)> {
        crate::tui::keymap::Keymap::with(self).err().unwrap_or_default()
    }
}
