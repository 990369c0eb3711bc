//! The forms for each kind of thing a CSM logs, and turning a filled form into a checked input.

use chrono::NaiveDate;

use super::form::{Field, Form};
use crate::domain::entry::{EntryKind, SENTIMENT_RANGE, TouchChannel};
use crate::domain::goal::{GoalStatus, OwnerSide};
use crate::domain::input::{EntryInput, FieldError, GoalInput, MilestoneInput};
use crate::domain::task::{TaskInput, TaskStatus};
use crate::store::{EntryRecord, GoalRecord, MilestoneRecord, TaskRecord};

/// What a form, once saved, does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormPurpose {
    NewEntry {
        account_id: i64,
        kind: EntryKind,
    },
    EditEntry {
        entry_id: i64,
        kind: EntryKind,
    },
    NewGoal {
        account_id: i64,
    },
    EditGoal {
        goal_id: i64,
    },
    NewMilestone {
        account_id: i64,
    },
    EditMilestone {
        milestone_id: i64,
    },
    NewTask {
        account_id: i64,
    },
    NewContact {
        account_id: i64,
    },
    EditContact {
        contact_id: i64,
    },
    EditTask {
        task_id: i64,
    },
    /// Snooze a triage item for some days.
    Snooze {
        account_id: i64,
    },
    Renew {
        account_id: i64,
    },
    Churn {
        account_id: i64,
    },
    /// Whose book to show.
    BookOf,
    OverrideBand {
        account_id: i64,
    },
    /// Hand the account to another CSM.
    Assign {
        account_id: i64,
    },
}

/// A form on screen and what it is for.
#[derive(Clone, Debug)]
pub struct OpenForm {
    pub purpose: FormPurpose,
    pub form: Form,
}

fn title_of(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Sentiment => "sentiment",
        EntryKind::Touch => "a touch",
        EntryKind::Nps => "an NPS response",
        EntryKind::Csat => "a CSAT response",
        EntryKind::Ces => "a CES response (1 = least effort)",
        EntryKind::Bug => "a bug escalation",
        EntryKind::Risk => "a risk flag",
        EntryKind::Note => "a note",
    }
}

/// `with`: for a touch, the people it was with, as the form shows them ("Ana Ruiz, Bo Lee").
pub fn entry_form(
    kind: EntryKind,
    account: &str,
    existing: Option<&EntryRecord>,
    with: &str,
    today: NaiveDate,
) -> Form {
    let day = Some(existing.map_or(today, |e| e.day));
    let note = existing.map_or("", |e| e.note.as_str());
    let score = existing.and_then(|e| e.score);
    let title = existing.and_then(|e| e.title.clone()).unwrap_or_default();
    let closed = existing.and_then(|e| e.closed_on);
    let fields = match kind {
        EntryKind::Sentiment => vec![
            Field::number("score", "Score", *SENTIMENT_RANGE.start(), *SENTIMENT_RANGE.end(), score),
            Field::text("note", "Note", false, note),
            Field::date("date", "Date", true, day, today).happened(),
        ],
        EntryKind::Nps | EntryKind::Csat | EntryKind::Ces => {
            let range = kind.score_range().unwrap_or(0..=0);
            // The note follows the score, as in the sentiment form: a probe's CSM typed the note
            // after Tab into the role that stood there, whose letters picked "detractor" for a 9
            // and left no note.
            vec![
                Field::number("score", "Score", *range.start(), *range.end(), score),
                Field::text("note", "Note", false, note),
                Field::text("with", "From", false, with),
                Field::choice(
                    "role",
                    "Their role",
                    role_choices(),
                    existing.and_then(|e| e.role).map_or("none", role_choice),
                ),
                Field::date("date", "Date", true, day, today).happened(),
            ]
        }
        EntryKind::Touch => vec![
            Field::choice(
                "kind",
                "Kind",
                TouchChannel::ALL.iter().map(|c| c.key()).collect(),
                existing.and_then(|e| e.channel).map_or("call", |c| c.key()),
            ),
            Field::text("note", "Note", false, note),
            Field::date("date", "Date", true, day, today).happened(),
            Field::text("with", "With", false, with),
        ],
        // The note second, as in every log form: a probe's note typed after Tab went into the
        // Opened date that stood there.
        EntryKind::Bug => vec![
            Field::text("title", "Title", true, &title),
            Field::text("note", "Note", false, note),
            Field::date("date", "Opened", true, day, today).happened(),
            Field::date("closed", "Closed", false, closed, today).happened(),
        ],
        // A CRM note's subject is kept where it has one.
        EntryKind::Note => vec![
            Field::text("note", "Note", false, note),
            Field::date("date", "Date", true, day, today).happened(),
            Field::text("title", "Subject", false, &title),
        ],
        EntryKind::Risk => vec![
            Field::text("title", "Reason", true, &title),
            Field::text("note", "Note", false, note),
            Field::date("date", "Raised", true, day, today).happened(),
            Field::date("closed", "Cleared", false, closed, today).happened(),
        ],
    };
    let verb = if existing.is_some() { "Edit" } else { "Log" };
    Form::new(format!("{verb} {} · {account}", title_of(kind)), fields)
}

/// The filled form as an entry, with the same checks the CLI applies.
pub fn entry_input(form: &Form, kind: EntryKind, today: NaiveDate) -> Result<EntryInput, FieldError> {
    let day = form.date("date")?.ok_or_else(|| FieldError::new("date", "required"))?;
    let mut input = EntryInput::new(kind, day);
    input.note = form.text("note");
    match kind {
        EntryKind::Sentiment => input.score = Some(form.number("score")?),
        EntryKind::Nps | EntryKind::Csat | EntryKind::Ces => {
            input.score = Some(form.number("score")?);
            input.role = crate::domain::contact::ContactRole::from_key(form.choice("role"));
        }
        EntryKind::Touch => input.channel = TouchChannel::from_key(form.choice("kind")),
        EntryKind::Bug | EntryKind::Risk => {
            input.title = Some(form.text("title"));
            input.closed_on = form.date("closed")?;
        }
        EntryKind::Note => input.title = Some(form.text("title")).filter(|t| !t.trim().is_empty()),
    }
    input.validate(today)?;
    Ok(input)
}

pub fn goal_form(account: &str, existing: Option<&GoalRecord>, today: NaiveDate) -> Form {
    let fields = vec![
        Field::text("words", "Goal", true, existing.map_or("", |g| g.words.as_str())),
        Field::text("measure", "Measure", false, existing.map_or("", |g| g.measure.as_str())),
        Field::date("target", "By", false, existing.and_then(|g| g.target_date), today),
        Field::choice(
            "owner",
            "Owner",
            OwnerSide::ALL.iter().map(|o| o.key()).collect(),
            existing.map_or("customer", |g| g.owner.key()),
        ),
        Field::choice(
            "status",
            "Status",
            GoalStatus::ALL.iter().map(|s| s.key()).collect(),
            existing.map_or("on_track", |g| g.status.key()),
        ),
        Field::date("date", "As of", true, Some(today), today).happened(),
    ];
    let verb = if existing.is_some() { "Edit goal" } else { "New goal, in the customer's words" };
    let mut form = Form::new(format!("{verb} · {account}"), fields);
    // A goal's words stay; its status is what changes over its life: an edit opens on it, so
    // "at risk" is `e`, `at`, Enter (a probe's took `e` and Tab four times before it).
    if existing.is_some() {
        form.focus = GOAL_STATUS_FIELD;
    }
    form
}

/// The place of the status among the goal form's fields.
const GOAL_STATUS_FIELD: usize = 4;

pub fn goal_input(form: &Form, today: NaiveDate) -> Result<GoalInput, FieldError> {
    let input = GoalInput {
        words: form.text("words"),
        measure: form.text("measure"),
        target_date: form.date("target")?,
        owner: OwnerSide::from_key(form.choice("owner")).unwrap_or(OwnerSide::Customer),
        status: GoalStatus::from_key(form.choice("status")).unwrap_or(GoalStatus::OnTrack),
        day: form.date("date")?.unwrap_or(today),
    };
    input.validate(today)?;
    Ok(input)
}

/// `journeys`: the config's journeys; an existing milestone's own journey is offered too, even
/// if its template is gone.
pub fn milestone_form(account: &str, existing: Option<&MilestoneRecord>, journeys: &[&str], today: NaiveDate) -> Form {
    let mut options: Vec<String> = journeys.iter().map(|j| j.to_string()).collect();
    if let Some(m) = existing.filter(|m| !options.contains(&m.journey)) {
        options.push(m.journey.clone());
    }
    if options.is_empty() {
        options.push("onboarding".into());
    }
    let selected = existing.map_or_else(|| options[0].clone(), |m| m.journey.clone());
    let fields = vec![
        Field::choice("journey", "Journey", options, &selected),
        Field::text("name", "Name", true, existing.map_or("", |m| m.name.as_str())),
        Field::date("due", "Due", true, Some(existing.map_or(today, |m| m.due)), today),
        Field::date("done", "Done", false, existing.and_then(|m| m.done), today).happened(),
        Field::text("note", "Note", false, existing.map_or("", |m| m.note.as_str())),
    ];
    let verb = if existing.is_some() { "Edit milestone" } else { "New milestone" };
    Form::new(format!("{verb} · {account}"), fields)
}

pub fn milestone_input(form: &Form, today: NaiveDate) -> Result<MilestoneInput, FieldError> {
    let input = MilestoneInput {
        journey: form.choice("journey").to_string(),
        name: form.text("name"),
        due: form.date("due")?.ok_or_else(|| FieldError::new("due", "required"))?,
        done: form.date("done")?,
        note: form.text("note"),
    };
    input.validate(today)?;
    Ok(input)
}

/// A task: what, by when, for whom (the account's CSM unless another is typed); editing one
/// also sets its status.
pub fn task_form(account: &str, existing: Option<&TaskRecord>, owner: &str, today: NaiveDate) -> Form {
    let mut fields = vec![
        Field::text("title", "Task", true, existing.map_or("", |t| t.title.as_str())),
        Field::date("due", "Due", true, Some(existing.map_or(today, |t| t.due)), today),
        Field::text("owner", "Owner", false, existing.and_then(|t| t.owner.as_deref()).unwrap_or(owner)),
        Field::text("note", "Note", false, existing.map_or("", |t| t.note.as_str())),
    ];
    if let Some(t) = existing {
        fields.push(Field::choice(
            "status",
            "Status",
            TaskStatus::ALL.iter().map(|s| s.key()).collect(),
            t.status.key(),
        ));
    }
    let verb = if existing.is_some() { "Edit task" } else { "New task" };
    Form::new(format!("{verb} · {account}"), fields)
}

/// The filled form as a task. `owner` turns the typed owner into a CSM of the book (one rule for
/// names), or says why not; a task closed in the form closes on its old day, else today.
pub fn task_input(
    form: &Form,
    existing: Option<&TaskRecord>,
    today: NaiveDate,
    owner: impl Fn(&str) -> Result<String, String>,
) -> Result<TaskInput, FieldError> {
    let typed = form.text("owner");
    let owner = match typed.trim() {
        "" => None,
        name => Some(owner(name).map_err(|reason| FieldError::new("owner", reason))?),
    };
    let status = match existing {
        Some(_) => TaskStatus::from_key(form.choice("status")).unwrap_or(TaskStatus::Open),
        None => TaskStatus::Open,
    };
    let closed_on = match status {
        TaskStatus::Open => None,
        _ => Some(existing.filter(|t| t.status == status).and_then(|t| t.closed_on).unwrap_or(today)),
    };
    let input = TaskInput {
        title: form.text("title"),
        due: form.date("due")?.ok_or_else(|| FieldError::new("due", "required"))?,
        owner,
        note: form.text("note"),
        status,
        closed_on,
    };
    input.validate(today)?;
    Ok(input)
}

/// The names typed in a touch's "With" (comma-separated) as contact ids of the account, by the
/// one rule for names; None for a form without the field.
pub fn with_people(form: &Form, people: &[crate::store::ContactRecord]) -> Result<Vec<i64>, FieldError> {
    typed_people(form)
        .iter()
        .map(|typed| {
            // Named as the form labels the field: "With" for a touch, "From" for a survey.
            let label = form.fields.iter().find(|f| f.key == "with").map_or("with", |f| f.label);
            let name = crate::book::resolve::resolve_name("contact", typed, people.iter().map(|c| c.name.as_str()))
                .map_err(|e| FieldError::new(label, format!("{e} (P adds a person)")))?;
            Ok(people.iter().find(|c| c.name == name).map_or(0, |c| c.id))
        })
        .collect()
}

/// The names typed in a touch's "With" (or a survey's "From") that are no person at the account
/// and not like one either (a typo of someone there is met with their name instead): people
/// the CSM has just met, whom a second Enter adds.
pub fn new_people(form: &Form, people: &[crate::store::ContactRecord]) -> Vec<String> {
    let mut typed = typed_people(form);
    typed.retain(|typed| {
        matches!(
            crate::book::resolve::resolve_name("contact", typed, people.iter().map(|c| c.name.as_str())),
            Err(crate::book::resolve::NameError::Unknown { ref suggestions, .. }) if suggestions.is_empty()
        )
    });
    typed
}

/// The names typed in a form's "With" (or "From"), comma- or semicolon-separated; none where the
/// form has no such field.
fn typed_people(form: &Form) -> Vec<String> {
    if !form.fields.iter().any(|f| f.key == "with") {
        return Vec::new();
    }
    form.text("with").split([',', ';']).map(str::trim).filter(|n| !n.is_empty()).map(str::to_string).collect()
}

/// A role as a form's choice shows it: short enough for every role on one line at 80 columns;
/// `ContactRole::from_key` reads each back.
fn role_choice(r: crate::domain::contact::ContactRole) -> &'static str {
    use crate::domain::contact::ContactRole;
    match r {
        ContactRole::ExecutiveSponsor => "sponsor",
        // The economic buyer, as CS teams call the decision maker.
        ContactRole::DecisionMaker => "buyer",
        other => other.key(),
    }
}

/// "none" and every role, for a role field.
fn role_choices() -> Vec<&'static str> {
    let mut roles = vec!["none"];
    roles.extend(crate::domain::contact::ContactRole::ALL.iter().map(|r| role_choice(*r)));
    roles
}

/// A person at the account: name, title, email, role; editing one also says whether they left.
pub fn contact_form(account: &str, existing: Option<&crate::store::ContactRecord>, today: NaiveDate) -> Form {
    use crate::domain::contact::ContactStatus;
    let short = role_choice;
    let roles = role_choices();
    let mut fields = vec![
        Field::text("name", "Name", true, existing.map_or("", |c| c.name.as_str())),
        Field::text("title", "Title", false, existing.map_or("", |c| c.title.as_str())),
        Field::text("email", "Email", false, existing.map_or("", |c| c.email.as_str())),
        Field::choice("role", "Role", roles, existing.and_then(|c| c.role).map_or("none", short)),
        Field::text("note", "Note", false, existing.map_or("", |c| c.note.as_str())),
    ];
    if let Some(c) = existing {
        fields.push(Field::choice("status", "Status", vec!["active", "left"], c.status.key()));
        let left = c.left_on.or((c.status == ContactStatus::Active).then_some(today));
        fields.push(Field::date("left", "Left on", false, left.filter(|_| c.status == ContactStatus::Left), today));
    }
    let verb = if existing.is_some() { "Edit contact" } else { "New contact" };
    Form::new(format!("{verb} · {account}"), fields)
}

pub fn contact_input(form: &Form, today: NaiveDate) -> Result<crate::domain::contact::ContactInput, FieldError> {
    use crate::domain::contact::{ContactInput, ContactRole, ContactStatus};
    let has = |key: &str| form.fields.iter().any(|f| f.key == key);
    let status =
        if has("status") && form.choice("status") == "left" { ContactStatus::Left } else { ContactStatus::Active };
    let left_on = match status {
        ContactStatus::Left => Some(form.date("left")?.unwrap_or(today)),
        ContactStatus::Active => None,
    };
    let input = ContactInput {
        name: form.text("name"),
        title: form.text("title"),
        email: form.text("email"),
        role: ContactRole::from_key(form.choice("role")),
        status,
        left_on,
        note: form.text("note"),
    };
    input.validate(today)?;
    Ok(input)
}

/// The `R` form; `due`, the renewal date on record, is named in its title when it has passed, so
/// that the day offered as the renewal's (its anniversary, for one long past) reads as chosen.
pub fn renew_form(
    account: &str,
    (due, until): (Option<NaiveDate>, Option<NaiveDate>),
    arr: f64,
    renewed_on: NaiveDate,
    today: NaiveDate,
) -> Form {
    let fields = vec![
        // Labels within the label column, aligned as every form's are ("Renews until" and
        // "Renewed on" ran over it, the form's labels three ways at once).
        Field::date("until", "Until", true, until, today),
        // No ARR on record (a blank in the CRM) is offered blank, not "0"; left blank, it stays.
        Field::text(
            "arr",
            "New ARR",
            arr != 0.0,
            &if arr == 0.0 { String::new() } else { crate::domain::factor::trim_number(arr) },
        ),
        Field::date("date", "Renewed", true, Some(renewed_on), today).happened(),
    ];
    let title = match due.filter(|d| *d < today) {
        Some(due) => format!("Renewed · {account} · was due {due}"),
        None => format!("Renewed · {account}"),
    };
    Form::new(title, fields)
}

/// (renewed on, until, ARR) from the filled form, the ARR in the account's currency
/// (`contracts::arr_for`); the ARR None when left blank (unchanged).
pub fn renew_input(
    form: &Form,
    account: &crate::domain::Account,
) -> Result<(NaiveDate, NaiveDate, Option<crate::domain::Cents>), FieldError> {
    let until = form.date("until")?.ok_or_else(|| FieldError::new("until", "required"))?;
    let day = form.date("date")?.ok_or_else(|| FieldError::new("date", "required"))?;
    let text = form.text("arr");
    if text.trim().is_empty() {
        return Ok((day, until, None));
    }
    Ok((day, until, Some(crate::book::contracts::arr_for(account, &text)?)))
}

pub fn churn_form(account: &str, today: NaiveDate) -> Form {
    let fields = vec![
        Field::text("reason", "Why left", true, ""),
        Field::date("date", "Churned", true, Some(today), today).happened(),
    ];
    Form::new(format!("Churned · {account}"), fields)
}

/// (churned on, reason) from the filled form.
pub fn churn_input(form: &Form) -> Result<(NaiveDate, String), FieldError> {
    let day = form.date("date")?.ok_or_else(|| FieldError::new("date", "required"))?;
    Ok((day, form.text("reason")))
}

pub fn override_form(account: &str, current: Option<crate::domain::HealthBand>, today: NaiveDate) -> Form {
    let band = current.map_or("yellow", |b| match b {
        crate::domain::HealthBand::Green => "green",
        crate::domain::HealthBand::Yellow => "yellow",
        crate::domain::HealthBand::Orange => "orange",
        crate::domain::HealthBand::Red => "red",
    });
    let fields = vec![
        Field::choice("band", "Band", vec!["green", "yellow", "orange", "red", "clear"], band),
        Field::text("reason", "Why", false, ""),
        Field::date("until", "Until", true, Some(today + chrono::Duration::days(30)), today),
    ];
    Form::new(format!("Override the band · {account}"), fields)
}

/// To whom: a CSM of the book by the one rule for names ("aisha" is Aisha Khan), or someone new.
pub fn assign_form(account: &str, csm: &str) -> Form {
    let fields = vec![Field::text("csm", "To CSM", true, ""), Field::choice("new", "New CSM", vec!["no", "yes"], "no")];
    let from = match csm {
        "" => "no CSM".to_string(),
        csm => crate::text::clean(csm),
    };
    Form::new(format!("Move {account} from {from} to"), fields)
}

pub fn book_of_form(current: &str) -> Form {
    // It writes nothing: Enter shows the book.
    let mut form = Form::new(
        "Show the book of (a CSM's name; empty for everyone)",
        vec![Field::text("csm", "CSM", false, current)],
    );
    form.enter_does = "show";
    form
}

/// Days, or the day it comes back (`next fri`, `+2w`), up to a year.
pub fn snooze_form(account: &str, default_days: i64, today: NaiveDate) -> Form {
    Form::new(format!("Snooze · {account}"), vec![Field::days_ahead("days", "Days", default_days, 365, today)])
}
