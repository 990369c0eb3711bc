//! Next steps: a task belongs to an account, has a due day, an owner and a status, and says where
//! it came from (typed, or opened by a playbook).

use chrono::NaiveDate;

use super::input::FieldError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TaskStatus {
    Open,
    Done,
    Dropped,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 3] = [TaskStatus::Open, TaskStatus::Done, TaskStatus::Dropped];

    pub fn key(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::Done => "done",
            TaskStatus::Dropped => "dropped",
        }
    }

    pub fn from_key(s: &str) -> Option<Self> {
        let s = s.trim().to_lowercase();
        Self::ALL.into_iter().find(|t| t.key() == s)
    }

    /// A status as a CRM's task export writes it (Salesforce's "Not Started", "Waiting on
    /// someone else", HubSpot's "Completed"), or tend's own key.
    pub fn from_words(s: &str) -> Option<Self> {
        let s = crate::text::single_spaced(&s.to_lowercase());
        Self::from_key(&s).or(match s.as_str() {
            "not started"
            | "in progress"
            | "waiting"
            | "waiting on someone else"
            | "deferred"
            | "to do"
            | "todo"
            | "pending" => Some(TaskStatus::Open),
            "completed" | "complete" | "closed" => Some(TaskStatus::Done),
            "cancelled" | "canceled" => Some(TaskStatus::Dropped),
            _ => None,
        })
    }
}

/// Where an open task stands on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TaskDue {
    Overdue,
    Today,
    Later,
}

impl TaskDue {
    pub fn of(due: NaiveDate, today: NaiveDate) -> TaskDue {
        match due.cmp(&today) {
            std::cmp::Ordering::Less => TaskDue::Overdue,
            std::cmp::Ordering::Equal => TaskDue::Today,
            std::cmp::Ordering::Greater => TaskDue::Later,
        }
    }
}

/// How an open task's due day reads: "due today", "2 days late", "due Fri 2026-12-04".
pub fn due_phrase(due: NaiveDate, today: NaiveDate) -> String {
    match TaskDue::of(due, today) {
        TaskDue::Overdue => format!("{} late", crate::text::days((today - due).num_days())),
        TaskDue::Today => "due today".to_string(),
        TaskDue::Later => format!("due {}", due.format("%a %Y-%m-%d")),
    }
}

/// How far an open task's due day is, for a list beside the day itself: "2 days late", "due
/// today", "in 3 days".
pub fn due_in(due: NaiveDate, today: NaiveDate) -> String {
    match TaskDue::of(due, today) {
        TaskDue::Later => format!("in {}", crate::text::days((due - today).num_days())),
        _ => due_phrase(due, today),
    }
}

/// A task as entered.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskInput {
    pub title: String,
    pub due: NaiveDate,
    /// The CSM who owns it; None: the account's CSM.
    pub owner: Option<String>,
    pub note: String,
    pub status: TaskStatus,
    /// When it was done or dropped (None while open).
    pub closed_on: Option<NaiveDate>,
}

/// A due day further than this from today is a typo (a year for a month), not a plan.
pub const MAX_DUE_YEARS: i64 = 5;

impl TaskInput {
    pub fn validate(&self, today: NaiveDate) -> Result<(), FieldError> {
        if self.title.trim().is_empty() {
            return Err(FieldError::new("title", "say what is to be done"));
        }
        let span = chrono::Duration::days(365 * MAX_DUE_YEARS);
        if self.due > today + span || self.due < today - span {
            return Err(FieldError::new(
                "due",
                format!("{} is more than {MAX_DUE_YEARS} years from today ({today})", self.due),
            ));
        }
        match (self.status, self.closed_on) {
            (TaskStatus::Open, Some(_)) => Err(FieldError::new("closed", "an open task has no closing day")),
            (_, Some(day)) if day > today => {
                Err(FieldError::new("closed", format!("{day} is in the future (today is {today})")))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn input(due: &str) -> TaskInput {
        TaskInput {
            title: "Send the QBR deck".into(),
            due: d(due),
            owner: None,
            note: String::new(),
            status: TaskStatus::Open,
            closed_on: None,
        }
    }

    #[test]
    fn a_task_needs_a_title_and_a_due_day_within_reach() {
        let today = d("2026-12-01");
        assert!(input("2026-12-04").validate(today).is_ok());
        assert!(input("2026-11-20").validate(today).is_ok(), "a late task can be written down");
        let blank = TaskInput { title: "  ".into(), ..input("2026-12-04") };
        assert_eq!(blank.validate(today).unwrap_err().field, "title");
        assert_eq!(input("2062-12-04").validate(today).unwrap_err().field, "due");
        let done_tomorrow =
            TaskInput { status: TaskStatus::Done, closed_on: Some(d("2026-12-02")), ..input("2026-12-04") };
        assert_eq!(done_tomorrow.validate(today).unwrap_err().field, "closed");
    }

    #[test]
    fn due_reads_as_late_today_or_a_day() {
        let today = d("2026-12-01");
        assert_eq!(due_phrase(d("2026-11-29"), today), "2 days late");
        assert_eq!(due_phrase(today, today), "due today");
        assert_eq!(due_phrase(d("2026-12-04"), today), "due Fri 2026-12-04");
        assert_eq!(due_in(d("2026-12-04"), today), "in 3 days");
        assert_eq!(due_in(d("2026-11-30"), today), "1 day late");
        assert_eq!(TaskStatus::from_key(" Done "), Some(TaskStatus::Done));
    }
}
