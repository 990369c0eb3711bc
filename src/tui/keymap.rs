//! The key table: which key does what, where. The built-in keys are below; `[keys]` in the config
//! gives an action keys of the user's own, per view. The help screen is generated from the same
//! table, so it always lists the keys in force.

use std::collections::HashMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use crate::config::keys::KeysConfig;

/// Where a binding applies. Global bindings apply everywhere unless a view binds the key itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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

impl Scope {
    pub const ALL: [Scope; 8] = [
        Scope::Global,
        Scope::Triage,
        Scope::Portfolio,
        Scope::Grid,
        Scope::Renewals,
        Scope::Team,
        Scope::Scoring,
        Scope::Account,
    ];

    /// The name of its table in the config's `[keys]`.
    pub fn key(self) -> &'static str {
        match self {
            Scope::Global => "global",
            Scope::Triage => "triage",
            Scope::Portfolio => "portfolio",
            Scope::Grid => "grid",
            Scope::Renewals => "renewals",
            Scope::Team => "team",
            Scope::Scoring => "scoring",
            Scope::Account => "account",
        }
    }
}

/// One key: a code, with Ctrl or without (Shift is in the character: `S`, not `shift-s`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl Key {
    /// A key as the config writes it: a character (`s`, `S`, `:`), `space`, `enter`, `esc`, `tab`,
    /// `shift-tab`, `up`, `down`, `left`, `right`, `pgup`, `pgdn`, `home`, `end`, `del`, `f1`-`f12`,
    /// or `ctrl-` and a letter.
    pub fn parse(text: &str) -> Result<Key, String> {
        let plain = |code| Ok(Key { code, ctrl: false });
        let lower = text.to_lowercase();
        if let Some(rest) = lower.strip_prefix("ctrl-")
            && let [c] = rest.chars().collect::<Vec<_>>()[..]
            && c.is_ascii_alphabetic()
        {
            return Ok(Key { code: KeyCode::Char(c), ctrl: true });
        }
        if let [c] = text.chars().collect::<Vec<_>>()[..]
            && !c.is_whitespace()
            && !c.is_control()
        {
            return plain(KeyCode::Char(c));
        }
        match lower.as_str() {
            "space" => plain(KeyCode::Char(' ')),
            "enter" | "return" => plain(KeyCode::Enter),
            "esc" | "escape" => plain(KeyCode::Esc),
            "tab" => plain(KeyCode::Tab),
            "shift-tab" | "backtab" => plain(KeyCode::BackTab),
            "up" => plain(KeyCode::Up),
            "down" => plain(KeyCode::Down),
            "left" => plain(KeyCode::Left),
            "right" => plain(KeyCode::Right),
            "pgup" | "pageup" => plain(KeyCode::PageUp),
            "pgdn" | "pagedown" => plain(KeyCode::PageDown),
            "home" => plain(KeyCode::Home),
            "end" => plain(KeyCode::End),
            "del" | "delete" => plain(KeyCode::Delete),
            f if f.starts_with('f') && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) => {
                plain(KeyCode::F(f[1..].parse().unwrap_or(1)))
            }
            _ => Err(format!(
                "\"{text}\" is not a key: write a character (s, S, :), space, enter, esc, tab, shift-tab, up, down, left, right, pgup, pgdn, home, end, del, f1-f12 or ctrl-LETTER"
            )),
        }
    }

    /// The key as the help screen writes it.
    pub fn label(self) -> String {
        let name = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) if self.ctrl => c.to_ascii_uppercase().to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.ctrl { format!("Ctrl-{name}") } else { name }
    }

    fn matches(self, event: KeyEvent) -> bool {
        self.code == event.code && self.ctrl == event.modifiers.contains(KeyModifiers::CONTROL)
    }
}

/// A built-in binding: its keys as the config would write them.
pub struct Default {
    pub scope: Scope,
    /// The action's name in the config's `[keys.SCOPE]`.
    pub name: &'static str,
    pub keys: &'static [&'static str],
    pub action: Action,
    pub description: &'static str,
}

const fn def(
    scope: Scope,
    name: &'static str,
    keys: &'static [&'static str],
    action: Action,
    description: &'static str,
) -> Default {
    Default { scope, name, keys, action, description }
}

/// A binding in force.
#[derive(Clone, Debug)]
pub struct Binding {
    pub scope: Scope,
    pub name: &'static str,
    pub keys: Vec<Key>,
    pub action: Action,
    pub description: &'static str,
}

impl Binding {
    /// Its keys as the help screen lists them ("↑, k", "Ctrl-K, :").
    pub fn label(&self) -> String {
        self.keys.iter().map(|k| k.label()).collect::<Vec<_>>().join(", ")
    }
}

pub static DEFAULTS: &[Default] = &[
    def(Scope::Global, "log_sentiment", &["s"], Action::LogSentiment, "log sentiment, 1-10, with a note"),
    def(Scope::Global, "log_touch", &["t"], Action::LogTouch, "log a touch (call, email, meeting, QBR…)"),
    def(Scope::Global, "log_nps", &["n"], Action::LogNps, "log an NPS response (0-10)"),
    def(Scope::Global, "log_csat", &["y"], Action::LogCsat, "log a CSAT response (1-5)"),
    def(Scope::Global, "log_ces", &["E"], Action::LogCes, "log a CES response (1-7, 1 the least effort)"),
    def(Scope::Global, "log_bug", &["b"], Action::LogBug, "log a bug escalation"),
    def(Scope::Global, "log_risk", &["f"], Action::LogRisk, "flag a risk"),
    def(Scope::Global, "log_note", &["N"], Action::LogNote, "write a note on the account (no touch, no score)"),
    def(Scope::Global, "add_goal", &["a"], Action::AddGoal, "add a goal, in the customer's words"),
    def(Scope::Global, "add_milestone", &["m"], Action::AddMilestone, "add a journey milestone"),
    def(Scope::Global, "add_task", &["T"], Action::AddTask, "add a task: a next step with a due day and an owner"),
    def(Scope::Global, "add_contact", &["P"], Action::AddContact, "add a person at the account, with their role"),
    def(Scope::Global, "undo", &["u"], Action::Undo, "undo the last change of this session"),
    def(Scope::Global, "show_triage", &["1"], Action::ShowTriage, "Triage: who needs you today, and why"),
    def(Scope::Global, "show_portfolio", &["2"], Action::ShowPortfolio, "the Portfolio"),
    def(Scope::Global, "show_grid", &["3"], Action::ShowGrid, "the Grid: segment x health, accounts and ARR"),
    def(
        Scope::Global,
        "show_renewals",
        &["4"],
        Action::ShowRenewals,
        "Renewals: overdue and due in the next 30, 60, 90 or 180 days (w), forecast, ARR at risk",
    ),
    def(Scope::Global, "show_team", &["5"], Action::ShowTeam, "Team: one line per CSM; Enter for a one-on-one"),
    def(Scope::Global, "show_scoring", &["6"], Action::ShowScoring, "Scoring: try weights and thresholds, then save"),
    def(Scope::Global, "next_view", &["tab"], Action::NextView, "the next view"),
    def(Scope::Global, "prev_view", &["shift-tab"], Action::PrevView, "the previous view"),
    def(
        Scope::Global,
        "toggle_book_of",
        &["v"],
        Action::ToggleBookOf,
        "my book (me in the config; on a team book, the CSM you sign in as) or everyone's",
    ),
    def(Scope::Global, "pick_book_of", &["V"], Action::PickBookOf, "show one CSM's book"),
    def(Scope::Global, "renew", &["R"], Action::Renew, "mark the account renewed: until when, new ARR"),
    def(Scope::Global, "churn", &["C"], Action::Churn, "mark the account churned, with the reason"),
    def(Scope::Global, "override_band", &["B"], Action::OverrideBand, "override the band, with a reason and an expiry"),
    def(Scope::Global, "assign", &["M"], Action::Assign, "move the account to another CSM (a lead's hand-over)"),
    def(Scope::Global, "up", &["up", "k"], Action::Up, "move up"),
    def(Scope::Global, "down", &["down", "j"], Action::Down, "move down"),
    def(Scope::Global, "page_up", &["pgup"], Action::PageUp, "page up"),
    def(Scope::Global, "page_down", &["pgdn", "space"], Action::PageDown, "page down"),
    def(Scope::Global, "top", &["home", "g"], Action::Top, "go to the top"),
    def(Scope::Global, "bottom", &["end", "G"], Action::Bottom, "go to the bottom"),
    def(Scope::Global, "toggle_help", &["?"], Action::ToggleHelp, "show or hide this help"),
    def(
        Scope::Global,
        "search",
        &["ctrl-k", ":"],
        Action::Search,
        "search accounts, ids, CSMs, notes, risks, goals, milestone notes, tasks, people",
    ),
    def(Scope::Global, "back", &["esc", "left"], Action::Back, "back out"),
    def(Scope::Global, "quit", &["q", "ctrl-c"], Action::Quit, "quit"),
    def(
        Scope::Global,
        "reload",
        &["ctrl-r", "f5"],
        Action::Reload,
        "read the book and the config again (each also by itself when it changes)",
    ),
    def(Scope::Triage, "open", &["enter", "right", "l"], Action::Open, "open the account: factors, chart, movers"),
    def(
        Scope::Triage,
        "mark_handled",
        &["h"],
        Action::MarkHandled,
        "handled: off the list until a new reason comes (not only today)",
    ),
    def(Scope::Triage, "snooze", &["z"], Action::Snooze, "snooze for some days"),
    def(Scope::Triage, "toggle_marked", &["H"], Action::ToggleMarked, "show or hide handled and snoozed items"),
    def(Scope::Triage, "toggle_all", &["A"], Action::ToggleAll, "list every item, or only the first (daily_limit)"),
    def(Scope::Triage, "start_filter", &["/"], Action::StartFilter, "filter by account, CSM or segment"),
    def(Scope::Triage, "clear_filter", &["x"], Action::ClearFilter, "clear the filter"),
    def(Scope::Portfolio, "open", &["enter", "right", "l"], Action::Open, "open the account: factor breakdown"),
    def(Scope::Portfolio, "cycle_window", &["w"], Action::CycleWindow, "change column: 7, 30 or 90 days"),
    def(Scope::Portfolio, "start_filter", &["/"], Action::StartFilter, "filter (fuzzy, as you type)"),
    def(Scope::Portfolio, "clear_filter", &["x"], Action::ClearFilter, "clear the filter"),
    def(Scope::Portfolio, "sort_next", &["o", ">"], Action::SortNext, "sort by the next column"),
    def(Scope::Portfolio, "sort_prev", &["O", "<"], Action::SortPrev, "sort by the previous column"),
    def(Scope::Portfolio, "reverse_sort", &["r"], Action::ReverseSort, "reverse the sort order"),
    def(Scope::Portfolio, "toggle_churned", &["c"], Action::ToggleChurned, "show or hide churned accounts"),
    def(Scope::Renewals, "open", &["enter", "right", "l"], Action::Open, "open the account"),
    def(Scope::Renewals, "cycle_window", &["w"], Action::CycleWindow, "window: 30, 60, 90 or 180 days"),
    def(
        Scope::Renewals,
        "sort_next",
        &["o"],
        Action::SortNext,
        "order: soonest first, largest ARR first, most ARR at risk first",
    ),
    def(Scope::Renewals, "start_filter", &["/"], Action::StartFilter, "filter by account, CSM or segment"),
    def(Scope::Renewals, "clear_filter", &["x"], Action::ClearFilter, "clear the filter"),
    def(
        Scope::Team,
        "open",
        &["enter", "right", "l"],
        Action::Open,
        "the CSM's one-on-one agenda; on an agenda line, its account (Esc back)",
    ),
    def(
        Scope::Team,
        "toggle_all",
        &["A"],
        Action::ToggleAll,
        "one-on-one: every item, or only the 8 under each heading that need a lead most",
    ),
    def(Scope::Team, "health_trend", &["w"], Action::HealthTrend, "health week by week: the share of ARR in each band"),
    def(Scope::Scoring, "left", &["left", "h"], Action::Left, "the column to the left: weight, 2, 3, 4 points"),
    def(Scope::Scoring, "right", &["right", "l"], Action::Right, "the column to the right"),
    def(Scope::Scoring, "increase", &["+", "="], Action::Increase, "raise it (weights by 0.5)"),
    def(Scope::Scoring, "decrease", &["-"], Action::Decrease, "lower it"),
    def(Scope::Scoring, "save_scoring", &["S"], Action::SaveScoring, "save into the config file (comments kept)"),
    def(Scope::Scoring, "revert_scoring", &["x"], Action::RevertScoring, "back to the config's values"),
    def(Scope::Grid, "left", &["left", "h"], Action::Left, "cell to the left"),
    def(Scope::Grid, "right", &["right", "l"], Action::Right, "cell to the right"),
    def(Scope::Grid, "open", &["enter"], Action::Open, "the cell's accounts in the Portfolio"),
    def(
        Scope::Account,
        "next_tab",
        &["tab", "]"],
        Action::NextTab,
        "next tab: health, timeline, goals, journey, tasks, people",
    ),
    def(Scope::Account, "prev_tab", &["shift-tab", "["], Action::PrevTab, "previous tab"),
    def(
        Scope::Account,
        "view_whole",
        &["enter"],
        Action::ViewWhole,
        "show the selected line whole (on Health: the account's notes)",
    ),
    def(Scope::Account, "edit", &["e"], Action::Edit, "edit the selected entry, goal, milestone, task or person"),
    def(Scope::Account, "delete", &["d", "del"], Action::Delete, "delete it (u brings it back)"),
    def(
        Scope::Account,
        "mark_done",
        &["x"],
        Action::MarkDone,
        "the selected milestone or task done today; a bug closed, a risk cleared; a person left",
    ),
];

/// The keys in force: the built-in ones with the config's `[keys]` over them.
#[derive(Clone, Debug)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl std::default::Default for Keymap {
    fn default() -> Self {
        Keymap::with(&KeysConfig::default()).expect("the built-in keys are valid")
    }
}

impl Keymap {
    /// The built-in keys with `custom` over them. Every problem, as (the `[keys]` key, reason):
    /// an unknown view or action, a key that is no key, or one key given two actions in a view.
    pub fn with(custom: &KeysConfig) -> Result<Keymap, Vec<(String, String)>> {
        let mut problems = Vec::new();
        let parse = |keys: &[&str]| keys.iter().map(|k| Key::parse(k)).collect::<Result<Vec<_>, _>>();
        let mut bindings: Vec<Binding> = DEFAULTS
            .iter()
            .map(|d| Binding {
                scope: d.scope,
                name: d.name,
                keys: parse(d.keys).expect("the built-in keys parse"),
                action: d.action,
                description: d.description,
            })
            .collect();
        for (scope_name, actions) in &custom.0 {
            if let crate::config::keys::ViewKeys::Misplaced(value) = actions {
                let views: Vec<&str> = Scope::ALL.iter().map(|s| s.key()).collect();
                let reason = if value.is_table() {
                    "each action takes a key or a list of keys, as text: log_touch = \"T\" or [\"T\", \"ctrl-t\"]"
                        .to_string()
                } else {
                    format!(
                        "keys go under a view: [keys.global] {scope_name} = ... (or [keys.VIEW], VIEW one of {})",
                        views.join(", ")
                    )
                };
                problems.push((scope_name.clone(), reason));
                continue;
            }
            let Some(scope) = Scope::ALL.into_iter().find(|s| s.key() == scope_name) else {
                let views: Vec<&str> = Scope::ALL.iter().map(|s| s.key()).collect();
                problems.push((scope_name.clone(), format!("no view is called that: use one of {}", views.join(", "))));
                continue;
            };
            for (action, keys) in actions.actions() {
                let key = format!("{scope_name}.{action}");
                let Some(binding) = bindings.iter_mut().find(|b| b.scope == scope && b.name == action) else {
                    let known: Vec<&str> = DEFAULTS.iter().filter(|d| d.scope == scope).map(|d| d.name).collect();
                    problems.push((
                        key,
                        format!("the {scope_name} keys have no action \"{action}\": {}", known.join(", ")),
                    ));
                    continue;
                };
                match parse(&keys.keys()) {
                    Ok(parsed) if parsed.is_empty() => problems.push((key, "give at least one key".into())),
                    Ok(mut parsed) => {
                        // A key given twice is one key.
                        let mut seen = std::collections::HashSet::new();
                        parsed.retain(|k| seen.insert(*k));
                        binding.keys = parsed;
                    }
                    Err(reason) => problems.push((key, reason)),
                }
            }
        }
        // One key, one action in each view.
        let mut seen: HashMap<(Scope, Key), &'static str> = HashMap::new();
        for b in &bindings {
            for k in &b.keys {
                if let Some(other) = seen.insert((b.scope, *k), b.name)
                    && other != b.name
                {
                    // Said at the action the config changed.
                    let changed = custom.sets(b.scope.key(), b.name);
                    let at = if changed { b.name } else { other };
                    problems.push((
                        format!("{}.{at}", b.scope.key()),
                        format!("{} is both {other}'s and {}'s key in the {} keys", k.label(), b.name, b.scope.key()),
                    ));
                }
            }
        }
        if problems.is_empty() { Ok(Keymap { bindings }) } else { Err(problems) }
    }

    /// Keys the config gives a view that hide a global action there, as (the `[keys]` key,
    /// what it hides): allowed (a view's key wins), but worth a word, as the global key then does
    /// something else in that view only.
    pub fn hidden_globals(&self, custom: &KeysConfig) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for b in self.bindings.iter().filter(|b| b.scope != Scope::Global) {
            if !custom.sets(b.scope.key(), b.name) {
                continue;
            }
            for k in &b.keys {
                let Some(global) = self.bindings.iter().find(|g| g.scope == Scope::Global && g.keys.contains(k)) else {
                    continue;
                };
                let others: Vec<String> = global.keys.iter().filter(|g| *g != k).map(|g| g.label()).collect();
                let left = if others.is_empty() {
                    format!("no key does {} there", global.name)
                } else {
                    format!("{} still does", others.join(", "))
                };
                out.push((
                    format!("{}.{}", b.scope.key(), b.name),
                    format!(
                        "{} is {}'s key everywhere else; in the {} view it is {} ({left})",
                        k.label(),
                        global.name,
                        b.scope.key(),
                        b.name
                    ),
                ));
            }
        }
        out
    }

    /// The action a key means in a scope: the scope's own binding first, then the global one.
    pub fn action_for(&self, scope: Scope, key: KeyEvent) -> Option<Action> {
        let find = |s: Scope| self.bindings.iter().find(|b| b.scope == s && b.keys.iter().any(|k| k.matches(key)));
        find(scope).or_else(|| find(Scope::Global)).map(|b| b.action)
    }

    /// The first key of an action in a scope (the scope's own binding, else the global one), as
    /// hints write it.
    pub fn first_key(&self, scope: Scope, action: Action) -> Option<String> {
        let find = |s: Scope| self.bindings.iter().find(|b| b.scope == s && b.action == action);
        find(scope).or_else(|| find(Scope::Global)).and_then(|b| b.keys.first()).map(|k| k.label())
    }

    /// The bindings the help screen lists for a scope: its own, then the global ones with the
    /// keys the scope leaves them (the Account view's Tab is its next tab, not the next view).
    pub fn help_for(&self, scope: Scope) -> Vec<Binding> {
        let own: Vec<&Binding> = self.bindings.iter().filter(|b| b.scope == scope).collect();
        let taken = |k: &Key| own.iter().any(|b| b.keys.contains(k));
        let global =
            self.bindings.iter().filter(|b| b.scope == Scope::Global && scope != Scope::Global).filter_map(|b| {
                let keys: Vec<Key> = b.keys.iter().copied().filter(|k| !taken(k)).collect();
                (!keys.is_empty()).then(|| Binding { keys, ..b.clone() })
            });
        let global: Vec<Binding> = global.collect();
        own.into_iter().cloned().chain(global).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use KeyCode::{Char, Left};

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn keys(toml: &str) -> KeysConfig {
        toml::from_str(toml).unwrap()
    }

    #[test]
    fn view_bindings_win_over_global_ones() {
        let map = Keymap::default();
        // ← is back wherever it does not move between cells.
        assert_eq!(map.action_for(Scope::Account, key(Left)), Some(Action::Back));
        assert_eq!(map.action_for(Scope::Grid, key(Left)), Some(Action::Left));
        assert_eq!(map.action_for(Scope::Account, key(Char('['))), Some(Action::PrevTab));
        assert_eq!(map.action_for(Scope::Account, key(Char('x'))), Some(Action::MarkDone));
        assert_eq!(map.action_for(Scope::Portfolio, key(Char('x'))), Some(Action::ClearFilter));
        assert_eq!(map.action_for(Scope::Account, key(Char('s'))), Some(Action::LogSentiment));
        assert_eq!(map.action_for(Scope::Portfolio, key(Left)), Some(Action::Back));
        assert_eq!(map.action_for(Scope::Portfolio, key(Char('<'))), Some(Action::SortPrev));
        assert_eq!(map.action_for(Scope::Portfolio, key(Char('j'))), Some(Action::Down));
        assert_eq!(map.action_for(Scope::Account, key(Char('/'))), None);
    }

    #[test]
    fn ctrl_keys_are_their_own() {
        let map = Keymap::default();
        let ctrl = |c| KeyEvent::new(Char(c), KeyModifiers::CONTROL);
        assert_eq!(map.action_for(Scope::Portfolio, ctrl('c')), Some(Action::Quit));
        assert_eq!(map.action_for(Scope::Triage, ctrl('k')), Some(Action::Search));
        assert_eq!(map.action_for(Scope::Triage, ctrl('r')), Some(Action::Reload));
        // Ctrl-S is not s: no sentiment form from a slip of the finger.
        assert_eq!(map.action_for(Scope::Triage, ctrl('s')), None);
    }

    #[test]
    fn no_key_is_bound_twice_in_one_scope() {
        assert!(Keymap::with(&KeysConfig::default()).is_ok());
    }

    #[test]
    fn the_config_gives_actions_keys_of_ones_own() {
        let map = Keymap::with(&keys("[global]\nlog_sentiment = \"S\"\nsearch = [\"ctrl-f\", \"/\"]\n")).unwrap();
        assert_eq!(map.action_for(Scope::Triage, key(Char('S'))), Some(Action::LogSentiment));
        assert_eq!(map.action_for(Scope::Portfolio, key(Char('s'))), None, "s is free now");
        let ctrl_f = KeyEvent::new(Char('f'), KeyModifiers::CONTROL);
        assert_eq!(map.action_for(Scope::Grid, ctrl_f), Some(Action::Search));
        // The view's own `/` (filter) still wins where it has one.
        assert_eq!(map.action_for(Scope::Portfolio, key(Char('/'))), Some(Action::StartFilter));
        assert_eq!(map.action_for(Scope::Grid, key(Char('/'))), Some(Action::Search));
        let help: Vec<String> =
            map.help_for(Scope::Grid).iter().filter(|b| b.action == Action::Search).map(|b| b.label()).collect();
        assert_eq!(help, ["Ctrl-F, /"]);
    }

    #[test]
    fn a_view_key_that_hides_a_global_one_is_named() {
        let custom = keys("[portfolio]\nreverse_sort = [\"s\", \"s\"]\n");
        let map = Keymap::with(&custom).unwrap();
        let help: Vec<String> = map
            .help_for(Scope::Portfolio)
            .iter()
            .filter(|b| b.action == Action::ReverseSort)
            .map(|b| b.label())
            .collect();
        assert_eq!(help, ["s"], "a key given twice is listed once");
        let hidden = map.hidden_globals(&custom);
        assert_eq!(hidden.len(), 1, "{hidden:?}");
        assert_eq!(hidden[0].0, "portfolio.reverse_sort");
        assert!(hidden[0].1.contains("log_sentiment") && hidden[0].1.contains("no key does"), "{hidden:?}");
        assert!(
            Keymap::default().hidden_globals(&KeysConfig::default()).is_empty(),
            "the built-in keys warn of nothing"
        );
    }

    #[test]
    fn a_key_outside_a_view_or_of_the_wrong_type_says_how_to_write_it() {
        let problems = |toml: &str| Keymap::with(&keys(toml)).err().unwrap();
        let misplaced = &problems("log_touch = \"ctrl-\"\n")[0];
        assert_eq!(misplaced.0, "log_touch");
        assert!(misplaced.1.contains("[keys.global] log_touch"), "{misplaced:?}");
        let wrong_type = &problems("[portfolio]\nreverse_sort = 5\n")[0];
        assert!(wrong_type.1.contains("a key or a list of keys"), "{wrong_type:?}");
    }

    #[test]
    fn bad_keys_are_refused_with_the_reason() {
        let problems = |toml: &str| Keymap::with(&keys(toml)).err().unwrap();
        let clash = &problems("[global]\nlog_sentiment = \"t\"\n")[0];
        assert_eq!(clash.0, "global.log_sentiment");
        assert_eq!(clash.1, "t is both log_sentiment's and log_touch's key in the global keys");
        assert!(problems("[global]\nlog_sentiment = \"shift-s\"\n")[0].1.contains("is not a key"));
        assert!(problems("[triage]\nfly = \"x\"\n")[0].1.contains("no action \"fly\""));
        assert_eq!(problems("[sidebar]\nopen = \"x\"\n")[0].0, "sidebar");
        assert_eq!(problems("[global]\nquit = []\n")[0].1, "give at least one key");
    }

    #[test]
    fn keys_parse_and_label_back() {
        for (text, label) in [
            ("s", "s"),
            ("S", "S"),
            (":", ":"),
            ("space", "Space"),
            ("ctrl-k", "Ctrl-K"),
            ("F5", "F5"),
            ("shift-tab", "S-Tab"),
            ("up", "↑"),
        ] {
            assert_eq!(Key::parse(text).unwrap().label(), label, "{text}");
        }
        assert!(Key::parse("ctrl-1").is_err() && Key::parse("f13").is_err() && Key::parse("").is_err());
    }
}
