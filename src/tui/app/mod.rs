//! The application: state, the `update(action)` step, the pure `render` step, and the event loop.

mod lists;
mod navigate;
mod open_form;
mod reading;
mod render;
mod scoring;
mod search;
mod show;
mod submit;
mod team_book;
mod writes;

use std::time::Duration;

use chrono::NaiveDate;
use color_eyre::Result;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind};

use super::action::Action;
use super::form::FormEvent;
use super::forms::OpenForm;
use super::keymap::{Keymap, Scope};
use super::theme::Theme;
use super::view::{Handled, View};
use super::views::account::AccountView;
use super::views::grid::GridView;
use super::views::portfolio::PortfolioView;
use super::views::renewals::RenewalsView;
use super::views::scoring::ScoringView;
use super::views::team::TeamView;
use super::views::triage::TriageView;
use crate::book;
use crate::config::Config;
use crate::store::Store;
pub use reading::HEAD_FIRST_FROM;
use reading::{PendingBook, read_book};
pub use team_book::TeamLink;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Triage,
    Portfolio,
    Grid,
    Renewals,
    Team,
    Scoring,
    Account,
}

impl Screen {
    /// The views in the header, in number-key order.
    pub const VIEWS: [Screen; 6] =
        [Screen::Triage, Screen::Portfolio, Screen::Grid, Screen::Renewals, Screen::Team, Screen::Scoring];

    fn label(self) -> &'static str {
        match self {
            Screen::Triage => "1 Triage",
            Screen::Portfolio => "2 Portfolio",
            Screen::Grid => "3 Grid",
            Screen::Renewals => "4 Renewals",
            Screen::Team => "5 Team",
            Screen::Scoring => "6 Scoring",
            Screen::Account => "",
        }
    }
}

pub struct App {
    pub store: Store,
    pub config: Config,
    pub today: NaiveDate,
    pub theme: Theme,
    pub screen: Screen,
    pub triage: TriageView,
    /// What triage knows beyond the rows: recent history, counts, marks.
    pub triage_book: book::triage::TriageBook,
    pub portfolio: PortfolioView,
    /// The view an open account returns to.
    account_from: Screen,
    pub account: Option<AccountView>,
    /// Built when first shown, refreshed after writes.
    pub grid: Option<GridView>,
    pub renewals: Option<RenewalsView>,
    pub team: Option<TeamView>,
    pub scoring: Option<ScoringView>,
    /// The config file the Scoring view saves into (the default location when None).
    pub config_path: Option<std::path::PathBuf>,
    /// Whose book Triage, the Portfolio, the Grid and Renewals show: a CSM's, or everyone's (None).
    pub book_of: Option<String>,
    pub help: bool,
    /// Scroll of the help popup, and how far the last frame let it go.
    help_scroll: u16,
    help_max: std::cell::Cell<u16>,
    /// The screen's width at the last frame: the status line fits itself to it.
    status_width: std::cell::Cell<usize>,
    /// A one-off message for the status line (an error, a confirmation); cleared by the next key.
    pub message: Option<String>,
    /// Whether `message` reports a problem (drawn as an error) or a confirmation.
    pub message_is_error: bool,
    /// The logging form on screen, if any.
    pub form: Option<OpenForm>,
    /// The keys in force: the built-in ones with the config's `[keys]` over them.
    pub keymap: Keymap,
    /// A line shown whole (Enter in the Account view's lists), when open.
    pub viewer: Option<super::views::viewer::Viewer>,
    /// The search box (`Ctrl-K`, `:`), when open.
    pub search: Option<super::views::search::SearchBox>,
    pub quit: bool,
    /// Why the session ended on its own: the rest of the book could not be read behind the head
    /// shown (every view but the head would show those few rows as the whole book).
    pub ended: Option<String>,
    /// The day shown was asked for (`--as-of`), not today's: the status line always says it.
    pub as_of_asked: bool,
    /// The quit key was pressed once over unsaved Scoring edits.
    quit_armed: bool,
    /// The changes this session's `u` took back, and the newest change of the session taken back
    /// elsewhere that `u` has said (see `writes::warn_undone_elsewhere`).
    undone_here: std::collections::HashSet<i64>,
    undone_elsewhere_said: Option<i64>,
    /// What tend said on opening (`opening_note`), so that `set_config_path` knows it on screen
    /// without working it out again (a misspelt field's note reads every account's attributes).
    opening_said: Option<String>,
    /// This run's changes, for undo.
    pub session: String,
    book_name: String,
    /// Triage marks set in this session, newest last, for `u`: marks live outside the change
    /// log, so each remembers the log's newest change when it was set, to undo in order.
    mark_undo: Vec<MarkUndo>,
    /// Whether this session has said whom entries are signed as when `me` is not set.
    said_who_signs: bool,
    /// The account whose external id the list's filter holds, where it matched no name: what
    /// was typed, the account's name and its id.
    filter_names_id: Option<(String, String, i64)>,
    /// A Portfolio filter that matches nothing in the book shown (`me`'s): how many accounts of
    /// other CSMs' books it names (a probe's "0 matches" hid the account one `v` away).
    filter_elsewhere: usize,
    /// People typed in the open form's "With" who are no one at the account, already said: a
    /// second Enter with the same names adds them to People.
    people_to_add: (i64, Vec<String>),
    /// The book's `data_version` when last read: another process's write moves it.
    seen_version: i64,
    /// When the book was last scored again here because another tend had cached its scores by
    /// other health rules: a second time soon after is two tends taking turns, said, not done.
    rescored_for_foreign_rules: Option<std::time::Instant>,
    /// When the scores were last worked out again over another day's stored by another tend:
    /// two open as of different days would take turns without end (`on_idle`).
    reworked_for_other_day: Option<std::time::Instant>,
    /// The rest of the book, being read behind a stored triage head.
    pending: Option<PendingBook>,
    /// Whether a key that needs the rest of the book waits for it in line (the event loop, which
    /// keeps drawing meanwhile) rather than blocking (tests, which feed keys one by one).
    pub defer_keys: bool,
    /// Keys waiting for the rest of the book, in the order they came.
    deferred: Vec<KeyEvent>,
    /// The book's write count when last read: another program's write that leaves it as it was
    /// (a stored triage head) changes nothing shown.
    seen_generation: i64,
    /// This window's own counted writes when the book was last read (`Store::own_writes`).
    seen_own_writes: i64,
    /// The days of the whole book every account's values read when it was last read: a write
    /// that moves them (the book's first bug) changes every account, not only the one written;
    /// the status line says how current the usage data is from them.
    seen_book_days: crate::store::facts::BookDays,
    /// The config file's modification time and length when last read (`config_path`), None
    /// inside while there was no file: an edit made while the window is open (or the file made)
    /// is read as Ctrl-R reads it (`on_idle`). None before the path is known.
    seen_config: Option<Option<(std::time::SystemTime, u64)>>,
    /// The next working day being (or last) worked out behind the screen.
    ahead: Option<reading::AheadWork>,
    /// On a team book: where writes go, and the snapshot `store` reads (see `team_book`).
    pub team_book: Option<TeamLink>,
}

/// A triage mark as it was before `h`, `z` or taking a mark back changed it.
#[derive(Clone, Debug)]
struct MarkUndo {
    account_id: i64,
    before: Option<crate::domain::triage::Mark>,
    /// The newest undoable change of the session when the mark was set.
    after_change: Option<i64>,
}

impl App {
    /// Open the app on a book, scored as of `today`. When the book holds today's triage head
    /// (see `book::triage_head`), Triage shows it at once and the rest of the book is read on a
    /// second connection behind it.
    pub fn new(mut store: Store, config: Config, today: NaiveDate, theme: Theme) -> crate::store::Result<App> {
        let config = config.with_me_in(&store);
        let me = config.me().map(str::to_owned);
        if let Some(head) = book::triage_head::load(&store, &config, today, me.as_deref())?
            && let Some(reader) = store.reader()?
        {
            return App::on_head(store, reader, config, today, theme, head);
        }
        // The write count before the caches are made current: a write meanwhile leaves the head
        // stored below invalid rather than stamped with a count it did not see.
        let generation = store.generation()?;
        crate::book::prepare_today(&mut store, &config, today, &indicatif::ProgressBar::hidden())?;
        App::prepared(store, config, today, theme, generation)
    }

    /// `new` on a book whose caches were just made current (`book::prepare`), `generation` its
    /// write count read before that.
    pub fn prepared(
        store: Store,
        config: Config,
        today: NaiveDate,
        theme: Theme,
        generation: i64,
    ) -> crate::store::Result<App> {
        App::prepared_on(store, None, config, today, theme, generation)
    }

    /// `prepared`, on a team book's snapshot when `team` is given (joined before anything is
    /// written: the playbooks do not run into a snapshot).
    pub fn prepared_on(
        store: Store,
        team: Option<TeamLink>,
        config: Config,
        today: NaiveDate,
        theme: Theme,
        generation: i64,
    ) -> crate::store::Result<App> {
        let mut store = store;
        let me = config.me().map(str::to_owned);
        // A large book: the head of the list alone is a fraction of reading the whole book. It is
        // shown, and kept, and the rest is read behind it as behind a stored head.
        if store.expected_accounts()? >= reading::HEAD_FIRST_FROM
            && config.triage.daily_limit > 0
            && let Some(reader) = store.reader()?
        {
            let head = book::triage_head::head_of_me(&store, &config, today)?;
            book::triage_head::save(&mut store, &config, today, generation, me.as_deref(), &head)?;
            let mut app = App::on_head(store, reader, config, today, theme, head)?;
            if let Some(link) = team {
                app.join_team(link);
                app.keep_team_head();
            }
            return Ok(app);
        }
        let mut loaded = read_book(&store, &config, today)?;
        loaded.generation = generation;
        let head = book::triage_head::TriageHead::of(
            &store,
            &config,
            &loaded.triage_book,
            &loaded.list,
            loaded.portfolio.rows(),
            loaded.book_of.as_deref(),
        )?;
        book::triage_head::save(&mut store, &config, today, loaded.generation, me.as_deref(), &head)?;
        let triage = TriageView::new(loaded.list, config.triage.daily_limit);
        let mut app = App::assemble(store, config, today, theme, triage, loaded.portfolio, loaded.book_of)?;
        app.triage_book = loaded.triage_book;
        if let Some(link) = team {
            app.join_team(link);
            app.keep_team_head();
        }
        app.explain_selected();
        app.say_if_me_unknown();
        if let Err(e) = app.open_playbooks() {
            app.fail(format!("The playbooks could not run: {e}"));
        }
        app.work_ahead_behind();
        Ok(app)
    }

    fn assemble(
        store: Store,
        config: Config,
        today: NaiveDate,
        theme: Theme,
        triage: TriageView,
        portfolio: PortfolioView,
        book_of: Option<String>,
    ) -> crate::store::Result<App> {
        let book_name = store.file_name();
        let seen_version = store.data_version()?;
        let seen_generation = store.generation()?;
        let seen_own_writes = store.own_writes();
        let seen_book_days = store.book_days()?;
        // A config with bad keys is refused when it is read: the built-in keys are a fallback.
        let keymap = Keymap::with(&config.keys).unwrap_or_default();
        let mut triage = triage;
        triage.reader = config.me().map(str::to_owned);
        triage.whose = lists::needed_by(book_of.as_deref(), config.me(), store.csms()?.len() > 1);
        let key = |action| keymap.first_key(Scope::Triage, action).unwrap_or_else(|| "-".into());
        triage.keys = (key(Action::MarkHandled), key(Action::Snooze), key(Action::Open));
        Ok(App {
            store,
            config,
            today,
            theme,
            screen: Screen::Triage,
            triage,
            triage_book: Default::default(),
            portfolio,
            account_from: Screen::Triage,
            account: None,
            grid: None,
            renewals: None,
            team: None,
            scoring: None,
            config_path: None,
            book_of,
            help: false,
            help_scroll: 0,
            help_max: std::cell::Cell::new(u16::MAX),
            status_width: std::cell::Cell::new(usize::MAX),
            message: None,
            message_is_error: false,
            form: None,
            search: None,
            viewer: None,
            keymap,
            quit: false,
            ended: None,
            as_of_asked: false,
            quit_armed: false,
            undone_here: Default::default(),
            undone_elsewhere_said: None,
            opening_said: None,
            session: book::log::new_session("tui"),
            book_name: crate::text::clean(&book_name),
            mark_undo: Vec::new(),
            said_who_signs: false,
            filter_names_id: None,
            filter_elsewhere: 0,
            people_to_add: (0, Vec::new()),
            seen_version,
            rescored_for_foreign_rules: None,
            reworked_for_other_day: None,
            pending: None,
            defer_keys: false,
            deferred: Vec::new(),
            seen_generation,
            seen_own_writes,
            seen_book_days,
            seen_config: None,
            ahead: None,
            team_book: None,
        })
    }

    /// `me` from the config names nobody who owns an account here: say so, rather than
    /// silently showing everyone's book.
    fn say_if_me_unknown(&mut self) {
        self.opening_said = self.opening_note();
        if let Some(note) = self.opening_said.clone() {
            self.say(&note);
        }
    }

    /// What tend says as it opens about the config: a `me` that owns no account here, and a
    /// factor reading a field no account has or a metric the book has none of (a typo in the
    /// config).
    fn opening_note(&self) -> Option<String> {
        let check = crate::config::paths::check_command(self.config_path.as_deref());
        let lacking = book::sources_the_book_lacks(&self.store, &self.config, &check).unwrap_or_default();
        let lacking = lacking.first().map(|first| match lacking.len() {
            1 => format!("Config: {first}."),
            n => format!("Config: {first}, and {} more.", n - 1),
        });
        let notes: Vec<String> =
            self.me_unknown_note().into_iter().chain(self.unassigned_note()).chain(lacking).collect();
        (!notes.is_empty()).then(|| notes.join(" "))
    }

    /// The config file the app reads again on Ctrl-R. What it said on opening names the file's
    /// `tend config check` once it is known.
    pub fn set_config_path(&mut self, path: std::path::PathBuf) {
        self.seen_config = Some(config_stamp(&path));
        self.config_path = Some(path);
        if self.message.is_some() && self.message == self.opening_said {
            self.opening_said = self.opening_note();
            self.message = self.opening_said.clone();
        }
    }

    /// Where tend opens on `me`'s book and `me` is the book's one CSM: the customers with no
    /// CSM, which are in no one's book (a probe's founder imported 35 accounts, saw "30 accounts"
    /// under her own name, and lost one renewing in 56 days). Where others are CSMs too (a team,
    /// a team book) those are the lead's to hand out, not news at every open. Asked of the book,
    /// not the rows: opened on a kept list, the rows are not read yet.
    fn unassigned_note(&self) -> Option<String> {
        let mine = self.book_of.as_deref().filter(|csm| !csm.is_empty() && self.team_book.is_none())?;
        let csms = self.store.csms().ok()?;
        if csms.iter().any(|(_, name)| !name.eq_ignore_ascii_case(mine)) {
            return None;
        }
        let n = self.store.unassigned_customers().ok()?;
        let (have, them) = if n == 1 { ("has", "it") } else { ("have", "them") };
        (n > 0).then(|| {
            format!(
                "{} {have} no CSM, so {} not in {}'s book: v shows everyone's; `tend assign ACCOUNT CSM` gives \
                 {them} one.",
                crate::text::counted(n, "account", "accounts"),
                if n == 1 { "it is" } else { "they are" },
                crate::text::clean(mine)
            )
        })
    }

    /// What `say_if_me_unknown` says, when `me` owns no account here.
    fn me_unknown_note(&self) -> Option<String> {
        let me = self.config.me().filter(|_| self.book_of.is_none())?;
        // A name near a CSM's is most likely a typo of it: said, as `tend config check` says it.
        let owners: Vec<&str> = self.portfolio.rows().iter().map(|r| &*r.csm).filter(|c| !c.is_empty()).collect();
        let near = crate::text::closest(me, owners.iter().copied(), 0.85);
        let near = near.first().map_or(String::new(), |n| format!(" (did you mean {n}?)"));
        let me = crate::text::clean(me);
        // On a team book `me` is who signed in (no config set it); a lead often owns none.
        Some(match &self.team_book {
            Some(_) => format!("{me} (signed in) owns no account here: all CSMs' accounts shown."),
            None => format!("me = \"{me}\" owns no account here{near}: all CSMs' accounts shown."),
        })
    }

    pub fn scope(&self) -> Scope {
        self.view().map_or(Scope::Global, |v| v.scope())
    }

    /// The view on screen (None while a view that is built on first showing is not).
    pub fn view(&self) -> Option<&dyn View> {
        match self.screen {
            Screen::Triage => Some(&self.triage),
            Screen::Portfolio => Some(&self.portfolio),
            Screen::Grid => self.grid.as_ref().map(|v| v as &dyn View),
            Screen::Renewals => self.renewals.as_ref().map(|v| v as &dyn View),
            Screen::Team => self.team.as_ref().map(|v| v as &dyn View),
            Screen::Scoring => self.scoring.as_ref().map(|v| v as &dyn View),
            Screen::Account => self.account.as_ref().map(|v| v as &dyn View),
        }
    }

    fn view_mut(&mut self) -> Option<&mut dyn View> {
        match self.screen {
            Screen::Triage => Some(&mut self.triage),
            Screen::Portfolio => Some(&mut self.portfolio),
            Screen::Grid => self.grid.as_mut().map(|v| v as &mut dyn View),
            Screen::Renewals => self.renewals.as_mut().map(|v| v as &mut dyn View),
            Screen::Team => self.team.as_mut().map(|v| v as &mut dyn View),
            Screen::Scoring => self.scoring.as_mut().map(|v| v as &mut dyn View),
            Screen::Account => self.account.as_mut().map(|v| v as &mut dyn View),
        }
    }

    /// Route a key: the help popup first, then the filter input, then the key table.
    pub fn handle_key(&mut self, key: KeyEvent) -> Result<()> {
        // Quitting over unsaved Scoring edits takes the quit key twice in a row.
        if self.keymap.action_for(self.scope(), key) != Some(Action::Quit) {
            self.quit_armed = false;
        }
        self.route_key(key)?;
        self.explain_selected();
        Ok(())
    }

    /// Text pasted in the terminal (bracketed paste): into the form, the search box or the filter
    /// being typed, whole; anywhere else it is not read as keys (a pasted "d" deleted a note).
    pub fn handle_paste(&mut self, text: &str) {
        self.message = None;
        if let Some(open) = &mut self.form {
            open.form.paste(text);
        } else if self.search.is_some() {
            self.search_paste(text);
        } else if self.list_filter().is_some_and(|f| f.editing) {
            self.filter_paste(text);
        } else {
            self.say("Pasted text goes into a form, the search (Ctrl-K) or a filter (/): nothing here takes it.");
        }
    }

    /// Whether the key may write to the book: a form's Enter, or a key that writes at once.
    fn may_write(&self, key: KeyEvent) -> bool {
        if self.form.is_some() {
            return key.code == KeyCode::Enter;
        }
        matches!(
            self.keymap.action_for(self.scope(), key),
            Some(Action::Undo | Action::Delete | Action::MarkDone | Action::MarkHandled | Action::SaveScoring)
        )
    }

    fn route_key(&mut self, key: KeyEvent) -> Result<()> {
        if key.kind == KeyEventKind::Release {
            return Ok(());
        }
        self.message = None;
        // Behind a stored head, moving in it, the help and quitting need nothing more; any other
        // key waits for the rest of the book (a moment on most books).
        if self.pending.is_some()
            && !self.help
            && (!self.deferred.is_empty()
                || !matches!(
                    self.keymap.action_for(self.scope(), key),
                    Some(
                        Action::Up
                            | Action::Down
                            | Action::PageUp
                            | Action::PageDown
                            | Action::Top
                            | Action::Bottom
                            | Action::ToggleHelp
                            | Action::Quit
                    )
                ))
        {
            if !self.defer_keys {
                self.finish_reading()?;
            } else if self.keymap.action_for(self.scope(), key) == Some(Action::Quit) {
                self.quit = true;
                return Ok(());
            } else {
                if self.deferred.is_empty() && self.screen == Screen::Triage {
                    let selected = self.selected_named();
                    if let Some(pending) = self.pending.as_mut().filter(|p| p.earlier.is_some()) {
                        pending.waited_on = selected;
                    }
                }
                self.deferred.push(key);
                let accounts = self.pending.as_ref().map_or(0, |p| p.accounts);
                let doing = match self.pending.as_ref().and_then(|p| p.earlier) {
                    Some(_) => "Working out today's list",
                    None => "Reading the rest of the book",
                };
                self.say(&format!("{doing} ({} accounts)…", crate::domain::account::thousands(accounts as u64)));
                return Ok(());
            }
        }
        if let Some(open) = &mut self.form {
            match open.form.handle_key(key) {
                FormEvent::Cancel => self.form = None,
                FormEvent::Submit => self.submit_form()?,
                FormEvent::Nothing => {}
            }
            return Ok(());
        }
        if self.search.is_some() {
            return self.search_key(key);
        }
        if let Some(viewer) = &mut self.viewer {
            match key.code {
                KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') | KeyCode::Left => self.viewer = None,
                KeyCode::Down | KeyCode::Char('j') => viewer.scroll_by(1),
                KeyCode::Up | KeyCode::Char('k') => viewer.scroll_by(-1),
                KeyCode::PageDown | KeyCode::Char(' ') => viewer.scroll_by(10),
                KeyCode::PageUp => viewer.scroll_by(-10),
                KeyCode::End | KeyCode::Char('G') => viewer.to_end(),
                KeyCode::Home | KeyCode::Char('g') => viewer.scroll = 0,
                KeyCode::Char('e') if viewer.editable => {
                    self.viewer = None;
                    let mut next = Some(Action::Edit);
                    while let Some(action) = next {
                        next = self.update(action)?;
                    }
                }
                _ => {}
            }
            return Ok(());
        }
        if self.help {
            match key.code {
                KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') => self.help = false,
                KeyCode::Down | KeyCode::Char('j') => {
                    self.help_scroll = (self.help_scroll + 1).min(self.help_max.get())
                }
                KeyCode::Up | KeyCode::Char('k') => self.help_scroll = self.help_scroll.saturating_sub(1),
                KeyCode::PageDown | KeyCode::Char(' ') => {
                    self.help_scroll = (self.help_scroll + 10).min(self.help_max.get())
                }
                KeyCode::PageUp => self.help_scroll = self.help_scroll.saturating_sub(10),
                KeyCode::Home | KeyCode::Char('g') => self.help_scroll = 0,
                KeyCode::End | KeyCode::Char('G') => self.help_scroll = self.help_max.get(),
                _ => {}
            }
            return Ok(());
        }
        if self.list_filter().is_some_and(|f| f.editing) {
            self.filter_key(key);
            return Ok(());
        }
        let mut next = self.keymap.action_for(self.scope(), key);
        while let Some(action) = next {
            next = self.update(action)?;
        }
        Ok(())
    }

    /// Apply one action. Returns a follow-up action, if any. Never touches the terminal.
    pub fn update(&mut self, action: Action) -> Result<Option<Action>> {
        if action.shows_a_view() {
            // Going to a view closes the account open: its name would stay in the header as a
            // tab no key goes back to.
            self.account = None;
        }
        if action == Action::Back && self.list_filter().is_some_and(|f| f.is_shown()) {
            return Ok(Some(Action::ClearFilter));
        }
        // The view on screen first: what changes only its own state is its to do.
        if let Some(view) = self.view_mut() {
            match view.handle(action) {
                Handled::Done => return Ok(None),
                Handled::Say(message) => {
                    self.say(&message);
                    return Ok(None);
                }
                Handled::Then(next) => return Ok(Some(next)),
                Handled::Pass => {}
            }
        }
        if action.shows_a_view() || matches!(action, Action::NextView | Action::PrevView) {
            return self.show(action);
        }
        if action.writes_to_an_account() || matches!(action, Action::PickBookOf | Action::Snooze) {
            self.open_form(action)?;
            return Ok(None);
        }
        match action {
            Action::MarkHandled | Action::Undo | Action::Edit | Action::Delete | Action::MarkDone => {
                return self.write(action);
            }
            Action::Quit if self.scoring.as_ref().is_some_and(|s| s.is_edited()) && !self.quit_armed => {
                self.quit_armed = true;
                self.fail("Scoring has edits not saved: S saves them, x reverts; q again quits without them.".into());
            }
            Action::Quit => self.quit = true,
            Action::Reload => {
                // The config too: a probe edited `me` and the weights and pressed Ctrl-R in vain.
                let health_before = self.config.health.clone();
                let config = match self.reread_config() {
                    Ok(true) => " and the config",
                    Ok(false) => "",
                    Err(problem) => {
                        self.fail(format!("Config not read again, the one in use kept: {problem}"));
                        return Ok(None);
                    }
                };
                // The bands before, to say how many new health rules moved (a probe's scores
                // changed after Ctrl-R and nothing said why).
                let bands_before: Option<std::collections::HashMap<i64, Option<crate::domain::HealthBand>>> =
                    (self.config.health != health_before)
                        .then(|| self.portfolio.rows().iter().map(|r| (r.id, r.band)).collect());
                let (book, change) = match self.on_team_book() {
                    true => {
                        self.pull_team()?;
                        ("the team book", None)
                    }
                    false => {
                        self.reload()?;
                        // Which settings changed, and the accounts they moved, like for like.
                        ("the book", crate::book::rules_change::since_last(&mut self.store, &self.config, self.today)?)
                    }
                };
                // A `me` the config now gives that owns nothing here is said, not taken silently
                // for everyone's list (a probe's misspelt name switched to it without a word).
                let me_note = self.me_unknown_note().filter(|_| !config.is_empty());
                let me_note = me_note.map_or(String::new(), |note| format!(" {note}"));
                // The playbooks run as when tend opens: a probe's new playbooks opened nothing
                // until `tend snapshot`, Ctrl-R saying "Up to date".
                let before = self.message.clone();
                self.open_playbooks()?;
                let fired = match self.message != before {
                    true => self.message.clone().map(|m| format!(" {m}")).unwrap_or_default(),
                    false => String::new(),
                };
                let moved = change.map(|change| format!(" {}", change.short_text()));
                let moved = moved.unwrap_or_else(|| {
                    bands_before.map_or(String::new(), |before| {
                        let moved = self
                            .portfolio
                            .rows()
                            .iter()
                            .filter(|r| before.get(&r.id).is_some_and(|b| *b != r.band))
                            .count();
                        match moved {
                            0 => " New health rules: no account's band moved.".to_string(),
                            1 => " New health rules: 1 account's band moved.".to_string(),
                            n => format!(" New health rules: {n} accounts' bands moved."),
                        }
                    })
                });
                self.say(&format!("Up to date: {book}{config} read again.{moved}{me_note}{fired}"));
            }
            Action::ToggleHelp => {
                self.help = !self.help;
                self.help_scroll = 0;
            }
            Action::Search => self.search = Some(Default::default()),
            Action::ViewWhole => match self.account.as_ref().and_then(|v| v.selected_whole()) {
                Some((title, text)) => {
                    let editable = self.account.as_ref().is_some_and(|v| v.selected_target().is_some());
                    self.viewer = Some(super::views::viewer::Viewer::new(title, text, editable))
                }
                None if self.account.as_ref().is_some_and(|v| v.tab == super::views::account::AccountTab::Health) => {
                    self.say("Tab to the timeline, goals or journey, then Enter shows the selected line whole.")
                }
                None => self.say("Nothing selected."),
            },
            Action::Back if self.screen == Screen::Account => {
                self.screen = self.account_from;
                self.account = None;
            }
            Action::Open if self.screen == Screen::Grid => {
                let cell = self.grid.as_ref().map(|g| g.selected());
                // A cell lists the accounts the Grid counted in it: a filter left on would hide
                // some, so it goes, and is said to have gone.
                let query = self.portfolio.filter.query().trim().to_string();
                self.portfolio.set_cell(cell);
                self.screen = Screen::Portfolio;
                if !query.is_empty() {
                    self.say(&format!(
                        "The filter \"{query}\" is cleared: the cell lists every account the Grid counted in it"
                    ));
                }
            }
            // The health trend is a chart: nothing on it to open.
            Action::Open if self.screen == Screen::Team && self.team.as_ref().is_some_and(|t| t.trend.is_some()) => {}
            Action::Open if self.screen == Screen::Team && self.team.as_ref().is_some_and(|t| t.agenda.is_some()) => {
                self.open_selected()?
            }
            Action::Open if self.screen == Screen::Team => self.open_agenda()?,
            Action::HealthTrend if self.screen == Screen::Team => self.open_health_trend(),
            Action::Open => self.open_selected()?,
            Action::ToggleBookOf => self.toggle_book_of(),
            Action::SortNext if self.screen == Screen::Renewals => {
                if let Some(view) = &mut self.renewals {
                    view.next_order(self.portfolio.rows(), &self.config.renewals.likelihood, self.today);
                    let order = view.order.label();
                    // What the order reads, where no column shows it.
                    let by = match view.order {
                        crate::tui::views::renewals::RenewalOrder::MostAtRisk => {
                            ": ARR x the chance it does not renew (100% less Likely)"
                        }
                        _ => "",
                    };
                    self.say(&format!("Renewals listed {order}{by} (o: the next order)."));
                }
            }
            Action::CycleWindow if self.screen == Screen::Renewals => {
                let windows = &self.config.renewals.windows;
                let now = self.renewals.as_ref().map_or(90, |r| r.days);
                let at = windows.iter().position(|w| *w == now).map_or(0, |i| (i + 1) % windows.len());
                let days = windows.get(at).copied().unwrap_or(90);
                self.refresh_renewals_for(days);
            }
            Action::Increase | Action::Decrease => {
                if let Some(view) = &mut self.scoring
                    && let Some(why) = view.adjust(action == Action::Increase, &self.config.health.catalog)
                {
                    self.message = Some(why);
                }
                self.repreview();
            }
            Action::RevertScoring => {
                if let Some(view) = &mut self.scoring {
                    view.revert();
                }
                self.repreview();
            }
            Action::SaveScoring => self.save_scoring()?,
            Action::StartFilter => {
                if let Some(f) = self.list_filter_mut() {
                    f.start();
                }
                if self.screen == Screen::Portfolio {
                    self.portfolio.prepare_filter();
                }
            }
            Action::ClearFilter => self.clear_filter(),
            // Those above, and a view's own actions on a view that does not have them (or is not
            // built yet).
            _ => {}
        }
        Ok(None)
    }

    /// "Updated 14:02:31: …": what another writer changed, with the time it was heard, so that
    /// two alike (the same nightly import run twice) read as two.
    /// The day was asked for (`--as-of`): a day still to come is said as the list's day, a
    /// preview (a past day's list is said as of it on the status line).
    pub fn set_as_of_asked(&mut self, asked: bool) {
        self.as_of_asked = asked;
        self.triage.day_asked = (asked && crate::book::is_preview(self.today)).then_some(self.today);
    }

    /// A message for the status line, as the app's own are said: what opening found (the health
    /// rules changed since the book was last read).
    pub fn tell(&mut self, message: &str) {
        self.say(message);
    }

    /// `tell`, after what tend said as it opened (a factor over a metric the book lacks, a `me`
    /// it cannot find), which stays first: a probe's typo was said only at the next open, the
    /// new rules' notice in its place.
    pub fn tell_after_opening_note(&mut self, message: &str) {
        match self.opening_said.clone().filter(|note| self.message.as_ref() == Some(note)) {
            Some(note) => self.say(&format!("{note} {message}")),
            None => self.say(message),
        }
    }

    fn say_updated(&mut self, what: &str) {
        let at = chrono::Local::now().format("%H:%M:%S");
        self.say(&format!("Updated {at}: {what}"));
    }

    fn say(&mut self, message: &str) {
        self.message = Some(message.to_string());
        self.message_is_error = false;
    }

    /// A read of the book failed (`what`): said; on a team book, a kept copy that could not be
    /// read is let go, so that the next open pulls the team book whole (said so), not fail again.
    fn fail_reading(&mut self, what: &str, e: &color_eyre::Report) {
        let text = chain_text(e);
        match self.let_go_damaged_copy(&text) {
            true => self.fail(format!(
                "{what}: your copy of the team book is damaged; quit and open tend again to pull it whole."
            )),
            false => self.fail(format!("{what}: {text}")),
        }
    }

    /// On a team book, whether `error` says the member's kept copy is damaged on disk: it is let
    /// go, so that the next run pulls the team book whole.
    fn let_go_damaged_copy(&self, error: &str) -> bool {
        match (&self.team_book, crate::config::paths::team_snapshots()) {
            (Some(_), Some(home)) => crate::team::kept::let_go_if_unreadable(error, &home).is_some(),
            _ => false,
        }
    }

    /// A key's work that failed. On a team book, a copy found damaged as it is read again after
    /// a write (or an undo, or Ctrl-R) is said as such: the write itself is in the team book (the
    /// copy's own error says "nothing was changed", which a CSM would take for the write).
    fn fail_key(&mut self, e: &color_eyre::Report) {
        if self.let_go_damaged_copy(&chain_text(e)) {
            self.fail(
                "Your copy of the team book is damaged (what you saved is in the team book): quit and open tend again to pull it whole."
                    .into(),
            );
            return;
        }
        self.fail(e.to_string());
    }

    fn fail(&mut self, message: String) {
        // A write refused because the team book cannot be reached: said as not saved, short (the
        // status line says the book is unreachable meanwhile), not as the driver's error.
        let message = match &self.team_book {
            Some(link) if !link.connected() && !message.starts_with("Team book unreachable") => {
                format!(
                    "Not saved: the team book is unreachable ({}); tend keeps trying.",
                    team_book::short_cause(&message)
                )
            }
            _ => message,
        };
        self.message = Some(message);
        self.message_is_error = true;
    }

    fn ctx_parts(&mut self) -> CtxParts<'_> {
        let (team, signer) = match &mut self.team_book {
            Some(link) => (Some(&mut link.book), link.signer.clone()),
            None => (None, None),
        };
        CtxParts {
            store: &mut self.store,
            team,
            signer,
            config: &self.config,
            session: &self.session,
            today: self.today,
        }
    }

    /// The only I/O loop: read an event, update, draw.
    pub fn run(mut self, terminal: &mut DefaultTerminal) -> Result<()> {
        self.defer_keys = true;
        let mut idle = std::time::Instant::now();
        while !self.quit {
            terminal.draw(|f| self.render(f))?;
            self.begin_reading();
            if !event::poll(Duration::from_millis(250))? {
                if let Err(e) = self.poll_reading() {
                    self.fail_reading("Could not read the book", &e);
                }
                if self.ended.is_some() {
                    break;
                }
                if idle.elapsed() >= Duration::from_secs(1) {
                    idle = std::time::Instant::now();
                    if let Err(e) = self.on_idle() {
                        self.fail_reading("Could not read the book again", &e);
                    }
                }
                continue;
            }
            // Resizes redraw on the next pass; keys and pastes are the only events that change
            // state. A failed read or write is said on the status line; only a lost terminal ends
            // the run.
            let key = match event::read()? {
                Event::Key(key) => Some(key),
                Event::Paste(text) => {
                    self.handle_paste(&text);
                    None
                }
                _ => None,
            };
            if let Some(key) = key {
                // A write waits for the book while another program writes it (up to the busy
                // timeout): said before it begins, as the screen cannot move meanwhile (a probe's
                // froze for 5 s without a word). A write that does not wait is drawn over at once.
                if self.may_write(key) {
                    self.message = Some("Saving… (waiting while another program writes the book)".into());
                    self.message_is_error = false;
                    terminal.draw(|f| self.render(f))?;
                }
                if let Err(e) = self.handle_key(key) {
                    self.fail_key(&e);
                }
            }
        }
        self.stop_work_ahead();
        match self.ended.take() {
            Some(why) => color_eyre::eyre::bail!(why),
            None => Ok(()),
        }
    }
}

/// Borrowed pieces of the app that a write needs, split so the borrow checker sees them apart.
struct CtxParts<'a> {
    store: &'a mut Store,
    /// On a team book, where the writes through the seam go (`store` is its snapshot).
    team: Option<&'a mut crate::team::TeamBook>,
    signer: Option<String>,
    config: &'a Config,
    session: &'a str,
    today: NaiveDate,
}

impl CtxParts<'_> {
    /// A write through the storage seam: to the team book when the app shows one, else the file.
    fn seam(&mut self) -> book::log::SeamCtx<'_> {
        match &mut self.team {
            Some(team) => {
                book::log::SeamCtx::new(&mut **team, self.config, self.session, self.today, self.signer.as_deref())
            }
            None => book::log::SeamCtx::new(self.store, self.config, self.session, self.today, None),
        }
    }

    /// A write the team book does not take yet: to the file only (the app refuses it on a team book).
    fn ctx(&mut self) -> book::log::Ctx<'_> {
        book::log::Ctx { store: self.store, config: self.config, session: self.session, today: self.today, by: None }
    }
}

/// A file's modification time and length, None where it cannot be read: what tells an edit.
pub(super) fn config_stamp(path: &std::path::Path) -> Option<(std::time::SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// An error with every cause it wraps, joined (what names the file a read failed on).
fn chain_text(e: &color_eyre::Report) -> String {
    e.chain().map(|c| c.to_string()).collect::<Vec<_>>().join(": ")
}
