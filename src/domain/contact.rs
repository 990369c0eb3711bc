//! The people at an account: a role (champion, executive sponsor, decision maker, user,
//! detractor) and whether they are still there. A champion who leaves is one of the strongest
//! churn signals CS teams name.

use chrono::NaiveDate;

use super::input::FieldError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ContactRole {
    Champion,
    ExecutiveSponsor,
    DecisionMaker,
    User,
    Detractor,
}

impl ContactRole {
    pub const ALL: [ContactRole; 5] = [
        ContactRole::Champion,
        ContactRole::ExecutiveSponsor,
        ContactRole::DecisionMaker,
        ContactRole::User,
        ContactRole::Detractor,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ContactRole::Champion => "champion",
            ContactRole::ExecutiveSponsor => "executive_sponsor",
            ContactRole::DecisionMaker => "decision_maker",
            ContactRole::User => "user",
            ContactRole::Detractor => "detractor",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ContactRole::Champion => "champion",
            ContactRole::ExecutiveSponsor => "executive sponsor",
            ContactRole::DecisionMaker => "decision maker",
            ContactRole::User => "user",
            ContactRole::Detractor => "detractor",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Accepts the key, the label, any case, hyphens, and the names CRMs give these roles
    /// ("Executive Sponsor", "Economic Buyer", "Business User", "Sponsor").
    pub fn from_key(s: &str) -> Option<Self> {
        let norm = s.trim().to_lowercase().replace(['-', ' '], "_");
        match norm.as_str() {
            "sponsor" | "exec_sponsor" | "executive" => Some(ContactRole::ExecutiveSponsor),
            "economic_buyer" | "decision_maker" | "decisionmaker" | "buyer" => Some(ContactRole::DecisionMaker),
            "end_user" | "business_user" | "technical_user" | "admin" => Some(ContactRole::User),
            _ => Self::ALL.into_iter().find(|r| r.key() == norm).or_else(|| {
                // The unique start of a role, as names are taken elsewhere ("champ", "exec").
                let starting: Vec<Self> = Self::ALL
                    .into_iter()
                    .filter(|r| norm.len() >= 3 && (r.key().starts_with(&norm) || r.label().starts_with(norm.as_str())))
                    .collect();
                match starting.as_slice() {
                    [one] => Some(*one),
                    _ => None,
                }
            }),
        }
    }

    /// Every role as people write it, for messages: "champion, executive sponsor, …".
    pub fn labels() -> String {
        Self::ALL.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ")
    }

    /// Every role key, for messages.
    pub fn keys() -> String {
        Self::ALL.iter().map(|r| r.key()).collect::<Vec<_>>().join(", ")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContactStatus {
    Active,
    Left,
}

impl ContactStatus {
    pub fn key(self) -> &'static str {
        match self {
            ContactStatus::Active => "active",
            ContactStatus::Left => "left",
        }
    }

    pub fn from_key(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "active" | "" => Some(ContactStatus::Active),
            "left" | "gone" | "inactive" => Some(ContactStatus::Left),
            _ => None,
        }
    }
}

/// What the contact factors and triage read of one person.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ContactFact {
    pub role: Option<ContactRole>,
    /// When tend first knew them.
    pub since: NaiveDate,
    pub left: Option<NaiveDate>,
}

impl ContactFact {
    /// Known and still there on `day`.
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.since <= day && self.left.is_none_or(|l| l > day)
    }
}

/// 1 when someone of `role` is at the account on `day`, else 0; missing while tend knows no one
/// there (a book without contacts says nothing about champions).
pub fn has_role(contacts: &[ContactFact], role: ContactRole, day: NaiveDate) -> Option<f64> {
    contacts
        .iter()
        .any(|c| c.since <= day)
        .then(|| if contacts.iter().any(|c| c.role == Some(role) && c.active_on(day)) { 1.0 } else { 0.0 })
}

/// How many people are at the account on `day`; missing while tend knows no one there.
pub fn count_active(contacts: &[ContactFact], day: NaiveDate) -> Option<f64> {
    contacts.iter().any(|c| c.since <= day).then(|| contacts.iter().filter(|c| c.active_on(day)).count() as f64)
}

/// Whether a champion has left and no champion is there now: a reason for triage.
pub fn champion_gone(contacts: &[ContactFact], day: NaiveDate) -> bool {
    let left = contacts.iter().any(|c| c.role == Some(ContactRole::Champion) && c.left.is_some_and(|l| l <= day));
    left && has_role(contacts, ContactRole::Champion, day) == Some(0.0)
}

/// One `@` between a name and a domain with a dot inside it, no spaces: what a person's address
/// looks like (not every address RFC 5322 allows, and not proof it exists).
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && !text.contains(char::is_whitespace)
        && domain.split('.').count() >= 2
        && domain.split('.').all(|part| !part.is_empty())
}

/// A contact as entered.
#[derive(Clone, Debug, PartialEq)]
pub struct ContactInput {
    pub name: String,
    pub title: String,
    pub email: String,
    pub role: Option<ContactRole>,
    pub status: ContactStatus,
    /// When they left (None while active; the day of marking, if not said).
    pub left_on: Option<NaiveDate>,
    pub note: String,
}

impl ContactInput {
    pub fn validate(&self, today: NaiveDate) -> Result<(), FieldError> {
        if self.name.trim().is_empty() {
            return Err(FieldError::new("name", "a contact needs a name"));
        }
        let email = self.email.trim();
        if !email.is_empty() && !is_email(email) {
            return Err(FieldError::new("email", format!("\"{email}\" is not an email address (name@example.com)")));
        }
        match (self.status, self.left_on) {
            (ContactStatus::Active, Some(_)) => Err(FieldError::new("left", "an active contact has not left")),
            (ContactStatus::Left, Some(day)) if day > today => {
                Err(FieldError::new("left", format!("{day} is in the future (today is {today})")))
            }
            _ => Ok(()),
        }
    }
}

/// Whether two names (or emails) are one person's as people write them: in any case, accented
/// letters too ("ümit dvořák" is Ümit Dvořák), with spaces around ignored. One rule for a file's
/// "With" column, a survey's respondent and a contacts file matched to the book.
pub fn same_person(a: &str, b: &str) -> bool {
    person_key(a) == person_key(b)
}

/// A name or email as `same_person` compares it: in one Unicode form (an "Ü" written as U and
/// its dots, as some systems export it, is the "Ü" typed), lower case, spaces between words one.
fn person_key(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let words: Vec<String> = s.split_whitespace().map(|w| w.nfc().flat_map(char::to_lowercase).collect()).collect();
    words.join(" ")
}

/// The contact `key` names among an account's contacts (id, name, email), oldest first: by name,
/// else by email (`same_person`); the oldest of several.
pub fn contact_named<'a>(
    contacts: impl IntoIterator<Item = (i64, &'a str, &'a str)> + Clone,
    key: &str,
) -> Option<i64> {
    let by_name = contacts.clone().into_iter().find(|(_, name, _)| same_person(name, key));
    let by_email = || contacts.into_iter().find(|(_, _, email)| !email.is_empty() && same_person(email, key));
    by_name.or_else(by_email).map(|(id, _, _)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_is_named_in_any_case_accented_letters_too_by_name_before_email() {
        let contacts =
            [(3, "Ümit Dvořák", "umit@x.com"), (5, "Sean Dvořák", "sean.dvorak@x.com"), (7, "Ana", "ana@x.com")];
        let named = |key| super::contact_named(contacts.iter().copied(), key);
        assert_eq!(named("ümit dvořák"), Some(3));
        assert_eq!(named(" SEAN DVOŘÁK "), Some(5));
        assert_eq!(named("SEAN.DVORAK@X.COM"), Some(5));
        assert_eq!(named("nobody"), None);
        // Written as U and its dots, or with two spaces: the same person.
        assert_eq!(named("U\u{308}mit  Dvor\u{30c}a\u{301}k"), Some(3));
        // A name first, whoever's email it is too; of two of one name, the oldest.
        let twins = [(2, "Bo", "ana@x.com"), (4, "ana@x.com", ""), (6, "Bo", "")];
        assert_eq!(super::contact_named(twins.iter().copied(), "ana@x.com"), Some(4));
        assert_eq!(super::contact_named(twins.iter().copied(), "bo"), Some(2));
    }

    #[test]
    fn a_role_by_the_start_of_its_name() {
        assert_eq!(ContactRole::from_key("champ"), Some(ContactRole::Champion));
        assert_eq!(ContactRole::from_key("Exec"), Some(ContactRole::ExecutiveSponsor));
        assert_eq!(ContactRole::from_key("decision"), Some(ContactRole::DecisionMaker));
        assert_eq!(ContactRole::from_key("de"), None, "too short to tell");
        assert_eq!(ContactRole::from_key("cfo"), None);
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn person(role: ContactRole, since: &str, left: Option<&str>) -> ContactFact {
        ContactFact { role: Some(role), since: d(since), left: left.map(d) }
    }

    #[test]
    fn roles_read_as_crms_write_them() {
        assert_eq!(ContactRole::from_key("Executive Sponsor"), Some(ContactRole::ExecutiveSponsor));
        assert_eq!(ContactRole::from_key("economic-buyer"), Some(ContactRole::DecisionMaker));
        assert_eq!(ContactRole::from_key("Business User"), Some(ContactRole::User));
        assert_eq!(ContactRole::from_key("champion"), Some(ContactRole::Champion));
        assert_eq!(ContactRole::from_key("mascot"), None);
    }

    #[test]
    fn a_role_is_held_between_joining_and_leaving_and_unknown_before_anyone_is_known() {
        let champion = [person(ContactRole::Champion, "2026-01-10", Some("2026-06-01"))];
        assert_eq!(has_role(&champion, ContactRole::Champion, d("2026-01-01")), None, "nobody known yet");
        assert_eq!(has_role(&champion, ContactRole::Champion, d("2026-03-01")), Some(1.0));
        assert_eq!(has_role(&champion, ContactRole::Champion, d("2026-06-01")), Some(0.0), "gone that day");
        assert_eq!(has_role(&champion, ContactRole::ExecutiveSponsor, d("2026-03-01")), Some(0.0));
        assert_eq!(count_active(&champion, d("2026-03-01")), Some(1.0));
        assert_eq!(count_active(&champion, d("2026-07-01")), Some(0.0));
        assert!(champion_gone(&champion, d("2026-07-01")));
        assert!(!champion_gone(&champion, d("2026-03-01")));
        // A new champion ends it.
        let replaced = [champion[0], person(ContactRole::Champion, "2026-06-20", None)];
        assert!(champion_gone(&replaced, d("2026-06-10")));
        assert!(!champion_gone(&replaced, d("2026-07-01")));
    }

    #[test]
    fn a_contact_needs_a_name_and_a_real_email() {
        let ok = ContactInput {
            name: "Ana Ruiz".into(),
            title: "VP Ops".into(),
            email: "ana@acme.com".into(),
            role: Some(ContactRole::Champion),
            status: ContactStatus::Active,
            left_on: None,
            note: String::new(),
        };
        let today = d("2026-12-01");
        assert!(ok.validate(today).is_ok());
        assert_eq!(ContactInput { name: " ".into(), ..ok.clone() }.validate(today).unwrap_err().field, "name");
        assert_eq!(
            ContactInput { email: "ana at acme".into(), ..ok.clone() }.validate(today).unwrap_err().field,
            "email"
        );
        let future = ContactInput { status: ContactStatus::Left, left_on: Some(d("2026-12-05")), ..ok };
        assert_eq!(future.validate(today).unwrap_err().field, "left");
    }
}
