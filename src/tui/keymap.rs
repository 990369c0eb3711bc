//! The key table: which key does what, where. The help screen is generated from the same table.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

/// Where a binding applies. Global bindings apply everywhere unless a view binds the key itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Global,
    Triage,
    Portfolio,
    Grid,
    Renewals,
    Team,
    Scoring,
    Account,
}

pub struct Binding {
    pub scope: Scope,
    pub keys: &'static [KeyCode],
    /// The keys as the help screen shows them.
    pub label: &'static str,
    pub action: Action,
    pub description: &'static str,
}

const fn bind(
    scope: Scope,
    keys: &'static [KeyCode],
    label: &'static str,
    action: Action,
    description: &'static str,
) -> Binding {
    Binding { scope, keys, label, action, description }
}

use KeyCode::{BackTab, Char, Delete, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up};

pub static BINDINGS: &[Binding] = &[
    bind(Scope::Global, &[Char('s')], "s", Action::LogSentiment, "log sentiment (s 7 Enter)"),
    bind(Scope::Global, &[Char('t')], "t", Action::LogTouch, "log a touch (call, email, meeting, QBR…)"),
    bind(Scope::Global, &[Char('n')], "n", Action::LogNps, "log an NPS response"),
    bind(Scope::Global, &[Char('b')], "b", Action::LogBug, "log a bug escalation"),
    bind(Scope::Global, &[Char('f')], "f", Action::LogRisk, "flag a risk"),
    bind(Scope::Global, &[Char('a')], "a", Action::AddGoal, "add a goal, in the customer's words"),
    bind(Scope::Global, &[Char('m')], "m", Action::AddMilestone, "add a journey milestone"),
    bind(Scope::Global, &[Char('u')], "u", Action::Undo, "undo the last change of this session"),
    bind(Scope::Global, &[Char('1')], "1", Action::ShowTriage, "Triage: who needs you today, and why"),
    bind(Scope::Global, &[Char('2')], "2", Action::ShowPortfolio, "the Portfolio"),
    bind(Scope::Global, &[Char('3')], "3", Action::ShowGrid, "the Grid: segment x health, accounts and ARR"),
    bind(Scope::Global, &[Char('4')], "4", Action::ShowRenewals, "Renewals: due in 30-180 days, forecast, ARR at risk"),
    bind(Scope::Global, &[Char('5')], "5", Action::ShowTeam, "Team: one line per CSM; Enter for a one-on-one"),
    bind(Scope::Global, &[Char('6')], "6", Action::ShowScoring, "Scoring: try weights and thresholds, then save"),
    bind(Scope::Global, &[Tab], "Tab", Action::NextView, "the next view"),
    bind(Scope::Global, &[Char('v')], "v", Action::ToggleBookOf, "my book (me in the config) or everyone's"),
    bind(Scope::Global, &[Char('V')], "V", Action::PickBookOf, "show one CSM's book"),
    bind(Scope::Global, &[Char('R')], "R", Action::Renew, "mark the account renewed: until when, new ARR"),
    bind(Scope::Global, &[Char('C')], "C", Action::Churn, "mark the account churned, with the reason"),
    bind(Scope::Global, &[Char('B')], "B", Action::OverrideBand, "override the band, with a reason and an expiry"),
    bind(Scope::Global, &[BackTab], "S-Tab", Action::PrevView, "the previous view"),
    bind(Scope::Global, &[Up, Char('k')], "↑ k", Action::Up, "move up"),
    bind(Scope::Global, &[Down, Char('j')], "↓ j", Action::Down, "move down"),
    bind(Scope::Global, &[PageUp], "PgUp", Action::PageUp, "page up"),
    bind(Scope::Global, &[PageDown, Char(' ')], "PgDn Space", Action::PageDown, "page down"),
    bind(Scope::Global, &[Home, Char('g')], "Home g", Action::Top, "go to the top"),
    bind(Scope::Global, &[End, Char('G')], "End G", Action::Bottom, "go to the bottom"),
    bind(Scope::Global, &[Char('?')], "?", Action::ToggleHelp, "show or hide this help"),
    bind(
        Scope::Global,
        &[Char(':')],
        "Ctrl-K :",
        Action::Search,
        "search accounts, ids, CSMs, notes, risks, goals, milestone notes",
    ),
    bind(Scope::Global, &[Esc], "Esc", Action::Back, "back out"),
    bind(Scope::Global, &[Char('q')], "q", Action::Quit, "quit"),
    bind(
        Scope::Global,
        &[KeyCode::F(5)],
        "Ctrl-R F5",
        Action::Reload,
        "read the book again (also by itself when it changes)",
    ),
    bind(Scope::Triage, &[Enter, Char('l')], "Enter l", Action::Open, "open the account: factors, chart, movers"),
    bind(Scope::Triage, &[Char('h')], "h", Action::MarkHandled, "handled: off today's list until a new reason"),
    bind(Scope::Triage, &[Char('z')], "z", Action::Snooze, "snooze for some days"),
    bind(Scope::Triage, &[Char('H')], "H", Action::ToggleMarked, "show or hide handled and snoozed items"),
    bind(Scope::Triage, &[Char('A')], "A", Action::ToggleAll, "list every item, or only the first (daily_limit)"),
    bind(Scope::Triage, &[Char('/')], "/", Action::StartFilter, "filter by account, CSM or segment"),
    bind(Scope::Triage, &[Char('x')], "x", Action::ClearFilter, "clear the filter"),
    bind(Scope::Portfolio, &[Enter, Char('l')], "Enter l", Action::Open, "open the account: factor breakdown"),
    bind(Scope::Portfolio, &[Char('w')], "w", Action::CycleWindow, "change column: 7, 30 or 90 days"),
    bind(Scope::Portfolio, &[Char('/')], "/", Action::StartFilter, "filter (fuzzy, as you type)"),
    bind(Scope::Portfolio, &[Char('x')], "x", Action::ClearFilter, "clear the filter"),
    bind(Scope::Portfolio, &[Char('o'), Right], "o →", Action::SortNext, "sort by the next column"),
    bind(Scope::Portfolio, &[Char('O'), Left], "O ←", Action::SortPrev, "sort by the previous column"),
    bind(Scope::Portfolio, &[Char('r')], "r", Action::ReverseSort, "reverse the sort order"),
    bind(Scope::Portfolio, &[Char('c')], "c", Action::ToggleChurned, "show or hide churned accounts"),
    bind(Scope::Renewals, &[Enter, Char('l')], "Enter l", Action::Open, "open the account"),
    bind(Scope::Renewals, &[Char('w')], "w", Action::CycleWindow, "window: 30, 60, 90 or 180 days"),
    bind(Scope::Renewals, &[Char('/')], "/", Action::StartFilter, "filter by account, CSM or segment"),
    bind(Scope::Renewals, &[Char('x')], "x", Action::ClearFilter, "clear the filter"),
    bind(Scope::Team, &[Enter, Char('l')], "Enter l", Action::Open, "the CSM's one-on-one agenda (Esc back)"),
    bind(Scope::Scoring, &[Left, Char('h')], "← h", Action::Left, "weight, or the value for 2, 3 or 4 points"),
    bind(Scope::Scoring, &[Right, Char('l')], "→ l", Action::Right, "the next column"),
    bind(Scope::Scoring, &[Char('+'), Char('=')], "+", Action::Increase, "raise it (weights by 0.5)"),
    bind(Scope::Scoring, &[Char('-')], "-", Action::Decrease, "lower it"),
    bind(Scope::Scoring, &[Char('S')], "S", Action::SaveScoring, "save into the config file (comments kept)"),
    bind(Scope::Scoring, &[Char('x')], "x", Action::RevertScoring, "back to the config's values"),
    bind(Scope::Grid, &[Left, Char('h')], "← h", Action::Left, "cell to the left"),
    bind(Scope::Grid, &[Right, Char('l')], "→ l", Action::Right, "cell to the right"),
    bind(Scope::Grid, &[Enter], "Enter", Action::Open, "the cell's accounts in the Portfolio"),
    bind(Scope::Account, &[Tab, Right], "Tab →", Action::NextTab, "next tab: health, timeline, goals, journey"),
    bind(Scope::Account, &[BackTab, Left], "S-Tab ←", Action::PrevTab, "previous tab"),
    bind(Scope::Account, &[Enter], "Enter", Action::ViewWhole, "show the selected entry, goal or milestone whole"),
    bind(Scope::Account, &[Char('e')], "e", Action::Edit, "edit the selected entry, goal or milestone"),
    bind(Scope::Account, &[Char('d'), Delete], "d Del", Action::Delete, "delete it (u brings it back)"),
    bind(Scope::Account, &[Char('x')], "x", Action::MarkDone, "mark the selected milestone done today"),
];

/// The action a key means in a scope: the scope's own binding first, then the global one.
pub fn action_for(scope: Scope, key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return match key.code {
            Char('c') => Some(Action::Quit),
            Char('r') => Some(Action::Reload),
            Char('k') => Some(Action::Search),
            _ => None,
        };
    }
    let find = |s: Scope| BINDINGS.iter().find(|b| b.scope == s && b.keys.contains(&key.code));
    find(scope).or_else(|| find(Scope::Global)).map(|b| b.action)
}

/// The bindings the help screen lists for a scope: its own, then the global ones.
pub fn help_for(scope: Scope) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.scope == scope).chain(BINDINGS.iter().filter(|b| b.scope == Scope::Global))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn view_bindings_win_over_global_ones() {
        assert_eq!(action_for(Scope::Account, key(Left)), Some(Action::PrevTab));
        assert_eq!(action_for(Scope::Account, key(Char('x'))), Some(Action::MarkDone));
        assert_eq!(action_for(Scope::Portfolio, key(Char('x'))), Some(Action::ClearFilter));
        assert_eq!(action_for(Scope::Account, key(Char('s'))), Some(Action::LogSentiment));
        assert_eq!(action_for(Scope::Portfolio, key(Left)), Some(Action::SortPrev));
        assert_eq!(action_for(Scope::Portfolio, key(Char('j'))), Some(Action::Down));
        assert_eq!(action_for(Scope::Account, key(Char('/'))), None);
    }

    #[test]
    fn ctrl_c_quits_anywhere() {
        let k = KeyEvent::new(Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for(Scope::Portfolio, k), Some(Action::Quit));
    }

    #[test]
    fn no_key_is_bound_twice_in_one_scope() {
        for scope in [
            Scope::Global,
            Scope::Triage,
            Scope::Portfolio,
            Scope::Grid,
            Scope::Renewals,
            Scope::Team,
            Scope::Scoring,
            Scope::Account,
        ] {
            let mut keys: Vec<String> = BINDINGS
                .iter()
                .filter(|b| b.scope == scope)
                .flat_map(|b| b.keys.iter().map(|k| format!("{k:?}")))
                .collect();
            let n = keys.len();
            keys.sort();
            keys.dedup();
            assert_eq!(keys.len(), n, "{scope:?}");
        }
    }
}
