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
pub struct KeysConfig(pub BTreeMap<String, ViewKeys>);

/// One view's keys; or, when `[keys]` holds a key directly (`log_touch = "T"` with no view), that
/// value, kept so the mistake is named with the fix rather than as a type error.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ViewKeys {
    Actions(BTreeMap<String, KeyList>),
    Misplaced(toml::Value),
}

impl ViewKeys {
    /// The actions given keys (none when misplaced).
    pub fn actions(&self) -> impl Iterator<Item = (&String, &KeyList)> {
        let map = match self {
            ViewKeys::Actions(map) => Some(map),
            ViewKeys::Misplaced(_) => None,
        };
        map.into_iter().flatten()
    }

    pub fn contains_key(&self, action: &str) -> bool {
        matches!(self, ViewKeys::Actions(map) if map.contains_key(action))
    }
}

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
    /// Whether the config gives `action` keys of its own in the view called `view`.
    pub fn sets(&self, view: &str, action: &str) -> bool {
        self.0.get(view).is_some_and(|a| a.contains_key(action))
    }

    /// Every problem, as (key under `[keys]`, reason); see `tui::keymap::Keymap::with`.
    pub fn problems(&self) -> Vec<(String, String)> {
        crate::tui::keymap::Keymap::with(self).err().unwrap_or_default()
    }
}
