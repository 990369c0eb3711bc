//! Every user intent the TUI knows, as data: keys map to these, and `App::update` applies them.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    /// Read the book again now (Ctrl-R, F5); it also happens by itself when another process
    /// writes to it.
    Reload,
    ToggleHelp,
    /// Show the selected line whole (Enter in the Account view's lists).
    ViewWhole,
    /// Search the whole book (Ctrl-K, `:`).
    Search,
    /// Leave the current view or popup (Esc).
    Back,
    /// Drill into the selection (Enter).
    Open,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    StartFilter,
    ClearFilter,
    SortNext,
    SortPrev,
    ReverseSort,
    ToggleChurned,
    LogSentiment,
    LogTouch,
    LogNps,
    LogCsat,
    LogCes,
    LogBug,
    LogRisk,
    /// A note on the account (no touch, no score).
    LogNote,
    AddGoal,
    AddMilestone,
    /// A next step for the account: a task with a due day and an owner.
    AddTask,
    /// A person at the account: name, title, email, role.
    AddContact,
    Undo,
    NextTab,
    PrevTab,
    Edit,
    Delete,
    MarkDone,
    ShowTriage,
    ShowPortfolio,
    ShowGrid,
    ShowRenewals,
    ShowTeam,
    /// Mark the current account renewed (a form: when, until, ARR).
    Renew,
    /// Mark the current account churned (a form: when, why).
    Churn,
    ShowScoring,
    /// Scoring: raise or lower the selected weight or threshold.
    Increase,
    Decrease,
    /// Scoring: write the edited weights and thresholds into the config file.
    SaveScoring,
    /// Scoring: back to the config's weights and thresholds.
    RevertScoring,
    /// Override the current account's band (or clear the override).
    OverrideBand,
    /// Hand the current account to another CSM (a lead's move).
    Assign,
    /// Switch between my book (`me` in the config) and everyone's.
    ToggleBookOf,
    /// Show the book of a CSM typed by name.
    PickBookOf,
    /// The next or previous view in the header.
    NextView,
    PrevView,
    /// Triage: mark the selected item handled (or take the mark back).
    MarkHandled,
    /// Triage: snooze the selected item for some days.
    Snooze,
    /// Triage: also list the handled and snoozed items.
    ToggleMarked,
    /// Triage: list every item, or only the morning's first `daily_limit`.
    ToggleAll,
    /// Portfolio: the change column's window, 7 / 30 / 90 days.
    CycleWindow,
    /// Team: the book's health week by week.
    HealthTrend,
    Left,
    Right,
}

impl Action {
    /// Whether the action shows one of the header's views.
    pub fn shows_a_view(self) -> bool {
        matches!(
            self,
            Action::ShowTriage
                | Action::ShowPortfolio
                | Action::ShowGrid
                | Action::ShowRenewals
                | Action::ShowTeam
                | Action::ShowScoring
        )
    }

    /// Whether the action writes to the selected account (a log entry, a goal, a renewal…): it
    /// needs a view that shows one.
    pub fn writes_to_an_account(self) -> bool {
        matches!(
            self,
            Action::LogSentiment
                | Action::LogTouch
                | Action::LogNps
                | Action::LogCsat
                | Action::LogCes
                | Action::LogBug
                | Action::LogRisk
                | Action::LogNote
                | Action::AddGoal
                | Action::AddMilestone
                | Action::AddTask
                | Action::AddContact
                | Action::Renew
                | Action::Churn
                | Action::OverrideBand
                | Action::Assign
        )
    }
}
