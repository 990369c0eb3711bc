//! Log entries: what a CSM learns about an account, each on a day.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Sentiment,
    Touch,
    Nps,
    Bug,
}

impl EntryKind {
    pub const ALL: [EntryKind; 4] = [
        EntryKind::Sentiment,
        EntryKind::Touch,
        EntryKind::Nps,
        EntryKind::Bug,
    ];
    pub fn key(self) -> &'static str {
        match self {
            EntryKind::Sentiment => "sentiment",
            EntryKind::Touch => "touch",
            EntryKind::Nps => "nps",
            EntryKind::Bug => "bug",
        }
    }
    pub fn from_key(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TouchChannel {
    Call,
    Email,
    Meeting,
    Qbr,
    Onsite,
}

impl TouchChannel {
    pub const ALL: [TouchChannel; 5] = [
        TouchChannel::Call,
        TouchChannel::Email,
        TouchChannel::Meeting,
        TouchChannel::Qbr,
        TouchChannel::Onsite,
    ];
    pub fn key(self) -> &'static str {
        match self {
            TouchChannel::Call => "call",
            TouchChannel::Email => "email",
            TouchChannel::Meeting => "meeting",
            TouchChannel::Qbr => "qbr",
            TouchChannel::Onsite => "onsite",
        }
    }
}
