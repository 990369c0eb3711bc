//! Log entries: what a CSM learns about an account, each on a day.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Sentiment,
    Touch,
    Nps,
    Bug,
    Risk,
}

impl EntryKind {
    pub const ALL: [EntryKind; 5] =
        [EntryKind::Sentiment, EntryKind::Touch, EntryKind::Nps, EntryKind::Bug, EntryKind::Risk];
    pub fn key(self) -> &'static str {
        match self {
            EntryKind::Sentiment => "sentiment",
            EntryKind::Touch => "touch",
            EntryKind::Nps => "nps",
            EntryKind::Bug => "bug",
            EntryKind::Risk => "risk",
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
    pub const ALL: [TouchChannel; 5] =
        [TouchChannel::Call, TouchChannel::Email, TouchChannel::Meeting, TouchChannel::Qbr, TouchChannel::Onsite];
    pub fn from_key(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == s)
    }
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

/// Sentiment is a CSM's 1-10 rating.
pub const SENTIMENT_RANGE: std::ops::RangeInclusive<i64> = 1..=10;
/// NPS responses are 0-10.
pub const NPS_RANGE: std::ops::RangeInclusive<i64> = 0..=10;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_and_channel_round_trips_its_key() {
        let kinds = [EntryKind::Sentiment, EntryKind::Touch, EntryKind::Nps, EntryKind::Bug, EntryKind::Risk];
        assert_eq!(EntryKind::ALL.len(), kinds.len());
        for k in kinds {
            assert_eq!(EntryKind::from_key(k.key()), Some(k));
        }
        for c in TouchChannel::ALL {
            assert_eq!(TouchChannel::from_key(c.key()), Some(c));
        }
    }
}
