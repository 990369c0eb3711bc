//! What a CSM enters, and the rules it must meet: one set of rules for the TUI forms and the CLI.

use chrono::NaiveDate;

/// A YYYY-MM-DD date read without chrono's general format parser (which costs more than the rest
/// of a row when a million are read); None for anything else.
pub fn iso_day(text: &[u8]) -> Option<NaiveDate> {
    let &[y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = text else { return None };
    let n = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
    };
    NaiveDate::from_ymd_opt(n(&[y1, y2, y3, y4])? as i32, n(&[m1, m2])?, n(&[d1, d2])?)
}

use super::contact::ContactRole;
use super::entry::{EntryKind, TouchChannel};
use super::goal::{GoalStatus, OwnerSide};
use super::journey::Journey;

/// A problem with one field of an input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct FieldError {
    pub field: &'static str,
    pub reason: String,
}

impl FieldError {
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        FieldError { field, reason: reason.into() }
    }
}

/// Parse a day as people type it (see `day_text`), counted from `today`.
pub fn parse_day(field: &'static str, text: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    super::day_text::parse(text, today).ok_or_else(|| not_a_day(field, text))
}

/// Parse the day something happened (see `day_text::parse_past`).
pub fn parse_past_day(field: &'static str, text: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    super::day_text::parse_past(text, today).ok_or_else(|| not_a_day(field, text))
}

/// Why `text` is no day.
fn not_a_day(field: &'static str, text: &str) -> FieldError {
    let text = text.trim();
    // A day in the right shape that does not exist is said as such, not as a wrong shape.
    let parts: Vec<Option<u32>> = text.split('-').map(|p| p.parse().ok()).collect();
    let by_slash: Vec<Option<u32>> = text.split('/').map(|p| p.trim().parse().ok()).collect();
    let reason = match (parts.as_slice(), by_slash.as_slice()) {
        // Day and month either way round: guessing would put a call a month or more off.
        (_, [Some(a), Some(b)] | [Some(a), Some(b), Some(_)]) if (1..=12).contains(a) && (1..=12).contains(b) => {
            let month =
                |m: u32| chrono::Month::try_from(m as u8).map_or(String::new(), |m| m.name()[..3].to_lowercase());
            format!("{a}/{b} is {} {a} or {} {b}: write one of them", month(*b), month(*a))
        }
        // The day is the number past 12, the month the other: "31/02/2026" is a February's 31st.
        (_, &[Some(a), Some(b), Some(y)])
            if (13..=31).contains(&a.max(b))
                && (1..=12).contains(&a.min(b))
                && y >= 1000
                && NaiveDate::from_ymd_opt(y as i32, a.min(b), a.max(b)).is_none() =>
        {
            super::day_text::no_such_day(Some(y as i32), a.min(b), a.max(b)).unwrap_or_default()
        }
        // The same without a year ("31/2"), as an import says it ("no such day in the calendar").
        (_, &[Some(a), Some(b)])
            if (13..=31).contains(&a.max(b))
                && (1..=12).contains(&a.min(b))
                && NaiveDate::from_ymd_opt(2024, a.min(b), a.max(b)).is_none() =>
        {
            super::day_text::no_such_day(None, a.min(b), a.max(b)).unwrap_or_default()
        }
        ([Some(y), Some(m), Some(d)], _) if let Some(why) = super::day_text::no_such_day(Some(*y as i32), *m, *d) => {
            why
        }
        _ => format!("write {}", super::day_text::FORMS),
    };
    FieldError::new(field, format!("\"{text}\" is not a date: {reason}"))
}

/// A day that happened, refused when after `today` (one wording wherever a day is typed or
/// imported).
pub fn not_future(field: &'static str, day: NaiveDate, today: NaiveDate) -> Result<(), FieldError> {
    if day > today {
        return Err(FieldError::new(field, format!("{day} is in the future (today is {today})")));
    }
    Ok(())
}

/// A log entry as entered.
#[derive(Clone, Debug, PartialEq)]
pub struct EntryInput {
    pub kind: EntryKind,
    /// When it happened: the touch, the rating, the opening of a bug, the raising of a risk.
    pub day: NaiveDate,
    pub score: Option<i64>,
    pub channel: Option<TouchChannel>,
    /// Bug title or risk reason.
    pub title: Option<String>,
    /// Bug closed or risk cleared.
    pub closed_on: Option<NaiveDate>,
    pub note: String,
    /// A survey respondent's role (said, or the role of the contact who answered).
    pub role: Option<ContactRole>,
}

impl EntryInput {
    pub fn new(kind: EntryKind, day: NaiveDate) -> Self {
        EntryInput {
            kind,
            day,
            score: None,
            channel: None,
            title: None,
            closed_on: None,
            note: String::new(),
            role: None,
        }
    }

    pub fn validate(&self, today: NaiveDate) -> Result<(), FieldError> {
        not_future("date", self.day, today)?;
        match self.kind {
            EntryKind::Sentiment | EntryKind::Nps | EntryKind::Csat | EntryKind::Ces => {
                check_score("score", self.score, self.kind.score_range().unwrap_or(0..=0))?
            }
            EntryKind::Touch => {
                if self.channel.is_none() {
                    return Err(FieldError::new("kind", format!("say how: {}", TouchChannel::keys_text())));
                }
            }
            EntryKind::Note => {
                let blank = |t: Option<&str>| t.is_none_or(|t| t.trim().is_empty());
                if blank(Some(&self.note)) && blank(self.title.as_deref()) {
                    return Err(FieldError::new("note", "a note needs its words"));
                }
                // Kept and never shown, a file's score or channel on a note would come back out
                // of every export: said instead.
                if self.score.is_some() {
                    return Err(FieldError::new("score", "a note has no score (a sentiment has)"));
                }
                if self.channel.is_some() {
                    return Err(FieldError::new("kind", "a note has no channel (a touch has)"));
                }
            }
            EntryKind::Bug | EntryKind::Risk => {
                let what = if self.kind == EntryKind::Bug { "title" } else { "reason" };
                if self.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
                    return Err(FieldError::new(what, format!("a {} needs a {what}", self.kind.key())));
                }
            }
        }
        if self.role.is_some() && !self.kind.is_survey() {
            return Err(FieldError::new("role", "a role is the respondent's, for NPS, CSAT and CES responses"));
        }
        if let Some(closed) = self.closed_on {
            // A closing day on a sentiment or a touch said nothing, and was kept as if it did.
            if !matches!(self.kind, EntryKind::Bug | EntryKind::Risk) {
                return Err(FieldError::new(
                    "closed",
                    format!("a {} is not closed: only a bug is closed and a risk cleared", self.kind.key()),
                ));
            }
            not_future("closed", closed, today)?;
            if closed < self.day {
                return Err(FieldError::new("closed", format!("{closed} is before {}", self.day)));
            }
        }
        Ok(())
    }

    /// A short description: "sentiment 4/10", "touch: call", "bug: Export fails".
    pub fn describe(&self) -> String {
        match self.kind {
            EntryKind::Sentiment => format!("sentiment {}/10", self.score.unwrap_or_default()),
            EntryKind::Nps => format!("NPS {}", self.score.unwrap_or_default()),
            EntryKind::Csat => format!("CSAT {}/5", self.score.unwrap_or_default()),
            EntryKind::Ces => format!("CES {}/7", self.score.unwrap_or_default()),
            EntryKind::Touch => format!("touch: {}", self.channel.map_or("?", |c| c.key())),
            EntryKind::Bug => format!("bug: {}", self.title.as_deref().unwrap_or_default()),
            EntryKind::Risk => format!("risk: {}", self.title.as_deref().unwrap_or_default()),
            // Its first words: the change's name in the undo list, not the note.
            EntryKind::Note => {
                let words = self.title.as_deref().filter(|t| !t.trim().is_empty()).unwrap_or(&self.note);
                format!("note \"{}\"", crate::text::truncate(&crate::text::one_line(words.trim()), 40))
            }
        }
    }
}

/// A score within its kind's range, or why not (said as every form and import says it).
pub(crate) fn check_score(
    field: &'static str,
    score: Option<i64>,
    range: std::ops::RangeInclusive<i64>,
) -> Result<(), FieldError> {
    match score {
        Some(s) if range.contains(&s) => Ok(()),
        Some(s) => Err(FieldError::new(field, format!("{s} is out of range {}-{}", range.start(), range.end()))),
        None => Err(FieldError::new(field, format!("a score {}-{} is needed", range.start(), range.end()))),
    }
}

/// A goal as entered.
#[derive(Clone, Debug, PartialEq)]
pub struct GoalInput {
    /// The customer's own words.
    pub words: String,
    pub measure: String,
    pub target_date: Option<NaiveDate>,
    pub owner: OwnerSide,
    pub status: GoalStatus,
    /// When it was set.
    pub day: NaiveDate,
}

impl GoalInput {
    pub fn validate(&self, today: NaiveDate) -> Result<(), FieldError> {
        if self.words.trim().is_empty() {
            return Err(FieldError::new("goal", "write the goal in the customer's own words"));
        }
        not_future("date", self.day, today)
    }
}

/// A journey milestone as entered.
#[derive(Clone, Debug, PartialEq)]
pub struct MilestoneInput {
    pub journey: Journey,
    pub name: String,
    pub due: NaiveDate,
    pub done: Option<NaiveDate>,
    pub note: String,
}

impl MilestoneInput {
    pub fn validate(&self, today: NaiveDate) -> Result<(), FieldError> {
        if self.name.trim().is_empty() {
            return Err(FieldError::new("name", "a milestone needs a name"));
        }
        if let Some(done) = self.done {
            not_future("done", done, today)?;
        }
        Ok(())
    }
}

/// A number written with thousands separators and either decimal mark: "12,000.50", "12.000,50",
/// "1 200", "1'200". Returns None if it is not one.
pub fn parse_number(text: &str) -> Option<f64> {
    let t: String = text.trim().chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '_')).collect();
    if t.is_empty() {
        return None;
    }
    let (sign, t) = match t.strip_prefix('-') {
        Some(rest) => (-1.0, rest.to_string()),
        None => (1.0, t.strip_prefix('+').unwrap_or(&t).to_string()),
    };
    if !t.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') || !t.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let last_dot = t.rfind('.');
    let last_comma = t.rfind(',');
    let normal = match (last_dot, last_comma) {
        (Some(d), Some(c)) => {
            // Both marks: the later one is the decimal mark, the other groups thousands.
            let (thousands, at) = if d > c { (',', d) } else { ('.', c) };
            let fraction = &t[at + 1..];
            if fraction.contains(['.', ',']) {
                return None;
            }
            format!("{}.{fraction}", grouped(&t[..at], thousands)?)
        }
        (None, Some(_)) => one_mark(&t, ',')?,
        (Some(_), None) => one_mark(&t, '.')?,
        (None, None) => t.clone(),
    };
    normal.parse::<f64>().ok().filter(|v| v.is_finite()).map(|v| sign * v)
}

/// One kind of mark only. Repeated, it groups thousands ("1.200.000", "12,000,000"); a single
/// comma followed by exactly three digits groups thousands too ("12,000"); any other single mark
/// is the decimal mark ("12,5", "3.14", "1.234"). Marks that group badly ("12.5.3", "1,2,3") are
/// no number at all.
fn one_mark(t: &str, mark: char) -> Option<String> {
    let count = t.matches(mark).count();
    let after = t.rsplit(mark).next().unwrap_or("");
    if count > 1 || (mark == ',' && after.len() == 3 && !t.starts_with(mark)) {
        grouped(t, mark)
    } else {
        Some(t.replace(mark, "."))
    }
}

/// Digits grouped in thousands by `mark`: one to three digits, then groups of exactly three.
fn grouped(t: &str, mark: char) -> Option<String> {
    let mut groups = t.split(mark);
    let first = groups.next()?;
    let rest: Vec<&str> = groups.collect();
    let well_formed = (1..=3).contains(&first.len()) && rest.iter().all(|g| g.len() == 3);
    (well_formed || rest.is_empty() && !first.is_empty()).then(|| std::iter::once(first).chain(rest).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_day_that_does_not_exist_is_said_so_in_any_order() {
        let today = d("2026-11-23");
        let reason = |text: &str| parse_day("date", text, today).unwrap_err().reason;
        // One wording wherever a day is typed or imported (`day_text::no_such_day`).
        assert!(reason("31/02/2026").ends_with("February 2026 has no day 31 (it has 28)"), "{}", reason("31/02/2026"));
        assert!(reason("02/30/2026").ends_with("February 2026 has no day 30 (it has 28)"));
        assert!(reason("2026-02-30").ends_with("February 2026 has no day 30 (it has 28)"));
        assert!(reason("31/04/2027").ends_with("April 2027 has no day 31 (it has 30)"));
        assert!(reason("2026-13-01").ends_with("there is no month 13"));
        // Without a year too, as an import says it (a probe met "31/2" as "is not a date: write …").
        assert!(reason("31/2").ends_with("February has no day 31"), "{}", reason("31/2"));
        assert!(reason("4/31").ends_with("April has no day 31"));
        assert!(reason("29/2").contains("write"), "a leap day is a day: said for its form");
        // A day that exists parses; a shape of no day is told the shapes.
        assert_eq!(parse_day("date", "29/02/2028", today), Ok(d("2028-02-29")));
        assert!(reason("31/13/2026").contains("write "), "{}", reason("31/13/2026"));
    }

    #[test]
    fn sentiment_must_be_1_to_10() {
        let today = d("2026-11-23");
        let mut e = EntryInput::new(EntryKind::Sentiment, today);
        assert_eq!(e.validate(today).unwrap_err().field, "score");
        e.score = Some(11);
        assert!(e.validate(today).unwrap_err().reason.contains("out of range 1-10"));
        e.score = Some(0);
        assert!(e.validate(today).is_err());
        e.score = Some(10);
        assert!(e.validate(today).is_ok());
    }

    #[test]
    fn nps_must_be_0_to_10() {
        let today = d("2026-11-23");
        let mut e = EntryInput::new(EntryKind::Nps, today);
        e.score = Some(-1);
        assert!(e.validate(today).is_err());
        e.score = Some(0);
        assert!(e.validate(today).is_ok());
    }

    #[test]
    fn csat_is_1_to_5_and_ces_1_to_7_and_only_surveys_take_a_role() {
        let today = d("2026-11-23");
        for (kind, low, high) in [(EntryKind::Csat, 1, 5), (EntryKind::Ces, 1, 7)] {
            let mut e = EntryInput::new(kind, today);
            for (score, ok) in [(low - 1, false), (low, true), (high, true), (high + 1, false)] {
                e.score = Some(score);
                assert_eq!(e.validate(today).is_ok(), ok, "{kind:?} {score}");
            }
            e.score = Some(low);
            e.role = Some(ContactRole::DecisionMaker);
            assert!(e.validate(today).is_ok());
        }
        let mut touch = EntryInput::new(EntryKind::Touch, today);
        touch.channel = Some(TouchChannel::Call);
        touch.role = Some(ContactRole::User);
        assert_eq!(touch.validate(today).unwrap_err().field, "role");
    }

    #[test]
    fn future_days_and_backwards_closing_are_refused() {
        let today = d("2026-11-23");
        let mut e = EntryInput::new(EntryKind::Bug, d("2026-11-24"));
        e.title = Some("Export fails".into());
        assert_eq!(e.validate(today).unwrap_err().field, "date");
        e.day = d("2026-11-20");
        e.closed_on = Some(d("2026-11-19"));
        assert_eq!(e.validate(today).unwrap_err().field, "closed");
        e.closed_on = Some(d("2026-11-21"));
        assert!(e.validate(today).is_ok());
        e.title = Some("  ".into());
        assert_eq!(e.validate(today).unwrap_err().field, "title");
    }

    #[test]
    fn dates_parse_strictly() {
        let today = d("2026-03-02");
        assert_eq!(parse_day("date", "2026-02-28", today).unwrap(), d("2026-02-28"));
        assert!(parse_day("date", "2026-02-30", today).unwrap_err().reason.contains("not a date"));
        assert_eq!(parse_day("date", "yesterday", today).unwrap(), d("2026-03-01"));
    }
}
