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
    /// Customer satisfaction, 1-5 ("how satisfied were you?").
    Csat,
    /// Customer effort, 1-7 ("how easy was it?"; lower is less effort).
    Ces,
    /// A note on the account: what a CSM wants kept (a CRM's notes), no touch and no score. It
    /// feeds no factor and starts no clock: a CRM's notes of years back make no account tracked.
    Note,
}

impl EntryKind {
    pub const ALL: [EntryKind; 8] = [
        EntryKind::Sentiment,
        EntryKind::Touch,
        EntryKind::Nps,
        EntryKind::Bug,
        EntryKind::Risk,
        EntryKind::Csat,
        EntryKind::Ces,
        EntryKind::Note,
    ];
    /// The survey responses: a customer's own answer, with a respondent who may have a role.
    pub const SURVEYS: [EntryKind; 3] = [EntryKind::Nps, EntryKind::Csat, EntryKind::Ces];
    pub fn key(self) -> &'static str {
        match self {
            EntryKind::Sentiment => "sentiment",
            EntryKind::Touch => "touch",
            EntryKind::Nps => "nps",
            EntryKind::Bug => "bug",
            EntryKind::Risk => "risk",
            EntryKind::Csat => "csat",
            EntryKind::Ces => "ces",
            EntryKind::Note => "note",
        }
    }

    /// How reports and forms name it: "NPS", "CSAT", "CES", else the key.
    pub fn label(self) -> &'static str {
        match self {
            EntryKind::Nps => "NPS",
            EntryKind::Csat => "CSAT",
            EntryKind::Ces => "CES",
            other => other.key(),
        }
    }

    pub fn is_survey(self) -> bool {
        Self::SURVEYS.contains(&self)
    }

    /// The scale of a scored kind: sentiment 1-10, NPS 0-10, CSAT 1-5, CES 1-7.
    pub fn score_range(self) -> Option<std::ops::RangeInclusive<i64>> {
        match self {
            EntryKind::Sentiment => Some(SENTIMENT_RANGE),
            EntryKind::Nps => Some(NPS_RANGE),
            EntryKind::Csat => Some(CSAT_RANGE),
            EntryKind::Ces => Some(CES_RANGE),
            EntryKind::Touch | EntryKind::Bug | EntryKind::Risk | EntryKind::Note => None,
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
    /// A conversation in a chat or in-app messenger (Intercom, Zendesk messaging, Slack).
    Chat,
}

impl TouchChannel {
    pub const ALL: [TouchChannel; 6] = [
        TouchChannel::Call,
        TouchChannel::Email,
        TouchChannel::Meeting,
        TouchChannel::Qbr,
        TouchChannel::Onsite,
        TouchChannel::Chat,
    ];
    /// The channels' keys, for help and refusals: "call, email, meeting, qbr, onsite or chat".
    pub fn keys_text() -> String {
        let keys: Vec<&str> = Self::ALL.iter().map(|c| c.key()).collect();
        let (last, rest) = keys.split_last().unwrap_or((&"", &[]));
        format!("{} or {last}", rest.join(", "))
    }
    pub fn from_key(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == s)
    }
    /// A channel as a CRM's activity export names it ("Phone", "Phone call", "E-mail", "Zoom",
    /// "On-site", "EBR"), or by its key; in any case.
    pub fn from_words(s: &str) -> Option<Self> {
        let s = s.trim().to_lowercase();
        Self::from_key(&s).or(match s.as_str() {
            "phone" | "phone call" | "call logged" | "calls" => Some(TouchChannel::Call),
            "e-mail" | "mail" | "emails" | "email sent" => Some(TouchChannel::Email),
            "video" | "video call" | "zoom" | "teams" | "google meet" | "meetings" => Some(TouchChannel::Meeting),
            "on-site" | "on site" | "visit" | "in person" | "site visit" | "face to face" | "face-to-face" | "f2f" => {
                Some(TouchChannel::Onsite)
            }
            "ebr" | "business review" | "quarterly business review" => Some(TouchChannel::Qbr),
            "chats" | "live chat" | "in-app chat" | "conversation" | "conversations" | "messenger" | "intercom"
            | "slack" | "whatsapp" => Some(TouchChannel::Chat),
            // A CRM's type that names one channel among other words ("In-Person Meeting",
            // "Outbound Call", "Email Sent", "Zoom Meeting"): that channel, in person before any
            // other (a probe's in-person meetings came in as notes, and its biggest account read
            // no touch in 69 days).
            _ => Self::named_in(&s),
        })
    }

    /// The one channel a type's words name, if they name one (and not two).
    fn named_in(s: &str) -> Option<Self> {
        if s.contains("in-person") || s.contains("in person") || s.contains("on-site") || s.contains("onsite") {
            return Some(TouchChannel::Onsite);
        }
        let mut named = s.split(|c: char| !c.is_alphanumeric()).filter_map(|word| match word {
            "call" | "calls" | "phone" => Some(TouchChannel::Call),
            "email" | "emails" | "mail" => Some(TouchChannel::Email),
            "meeting" | "meetings" | "zoom" | "video" => Some(TouchChannel::Meeting),
            "qbr" | "ebr" => Some(TouchChannel::Qbr),
            "visit" => Some(TouchChannel::Onsite),
            "chat" | "chats" | "conversation" | "messenger" => Some(TouchChannel::Chat),
            _ => None,
        });
        let first = named.next()?;
        named.all(|other| other == first).then_some(first)
    }
    pub fn key(self) -> &'static str {
        match self {
            TouchChannel::Call => "call",
            TouchChannel::Email => "email",
            TouchChannel::Meeting => "meeting",
            TouchChannel::Qbr => "qbr",
            TouchChannel::Onsite => "onsite",
            TouchChannel::Chat => "chat",
        }
    }
}

/// Sentiment is a CSM's 1-10 rating.
pub const SENTIMENT_RANGE: std::ops::RangeInclusive<i64> = 1..=10;
/// NPS responses are 0-10.
pub const NPS_RANGE: std::ops::RangeInclusive<i64> = 0..=10;
/// CSAT responses are 1-5; 4 and 5 count as satisfied.
pub const CSAT_RANGE: std::ops::RangeInclusive<i64> = 1..=5;
/// CES responses are 1-7, 1 the least effort.
pub const CES_RANGE: std::ops::RangeInclusive<i64> = 1..=7;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crms_words_for_a_channel_are_read() {
        assert_eq!(TouchChannel::from_words("Phone"), Some(TouchChannel::Call));
        assert_eq!(TouchChannel::from_words(" E-mail "), Some(TouchChannel::Email));
        assert_eq!(TouchChannel::from_words("Zoom"), Some(TouchChannel::Meeting));
        assert_eq!(TouchChannel::from_words("On-site"), Some(TouchChannel::Onsite));
        assert_eq!(TouchChannel::from_words("QBR"), Some(TouchChannel::Qbr));
        assert_eq!(TouchChannel::from_words("carrier pigeon"), None);
        assert_eq!(TouchChannel::from_words("Live Chat"), Some(TouchChannel::Chat));
        assert_eq!(TouchChannel::from_words("Intercom conversation"), Some(TouchChannel::Chat));
        assert_eq!(TouchChannel::from_words("chat"), Some(TouchChannel::Chat));
        assert_eq!(TouchChannel::keys_text(), "call, email, meeting, qbr, onsite or chat");
        // A CRM's activity types that name one channel among other words.
        assert_eq!(TouchChannel::from_words("In-Person Meeting"), Some(TouchChannel::Onsite));
        assert_eq!(TouchChannel::from_words("in-person"), Some(TouchChannel::Onsite));
        assert_eq!(TouchChannel::from_words("Outbound Call"), Some(TouchChannel::Call));
        assert_eq!(TouchChannel::from_words("Email Sent to Champion"), Some(TouchChannel::Email));
        assert_eq!(TouchChannel::from_words("Zoom Meeting"), Some(TouchChannel::Meeting));
        assert_eq!(TouchChannel::from_words("Call to book a meeting"), None, "two channels are none");
        assert_eq!(TouchChannel::from_words("LinkedIn Message"), None);
        assert_eq!(TouchChannel::from_words("Recall notice"), None, "a word, not part of one");
    }

    #[test]
    fn every_kind_and_channel_round_trips_its_key() {
        let mut keys: Vec<&str> = EntryKind::ALL.iter().map(|k| k.key()).collect();
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::from_key(k.key()), Some(k));
        }
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), EntryKind::ALL.len(), "every kind has a key of its own");
        for c in TouchChannel::ALL {
            assert_eq!(TouchChannel::from_key(c.key()), Some(c));
        }
    }
}
