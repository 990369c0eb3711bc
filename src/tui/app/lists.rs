//! Keeping the derived lists current: Triage (and its marks), Renewals, Team, the Grid, and the
//! whole book after the rules change.

use color_eyre::Result;

use super::{App, Screen};
use crate::book;
use crate::tui::views::filter::Filtered;
use crate::tui::views::grid::GridView;
use crate::tui::views::renewals::RenewalsView;
use crate::tui::views::team::TeamView;

/// A CSM's book of up to this many accounts has its one-on-one's health line worked out again
/// after a write (a tenth of a second or so); a larger one keeps the line it opened with.
const AGENDA_TREND_AFTER_WRITE_MAX: usize = 2_000;

impl App {
    /// The account selected on Triage, with its name as listed.
    pub(super) fn selected_named(&self) -> Option<(i64, String)> {
        let item = self.triage.selected_item()?;
        Some((item.id, self.portfolio.rows().get(item.row)?.name.clone()))
    }

    /// Spell out the reasons of the triage items on screen (raw values need each account's facts:
    /// read them here, in the update step, never while drawing).
    pub(super) fn explain_selected(&mut self) {
        self.explain_renewal();
        // Behind a stored head, its reasons come spelled out already.
        if self.screen != Screen::Triage || self.pending.is_some() {
            return;
        }
        for item in self.triage.needing_details() {
            match self.triage_book.explain(&self.store, &self.config, &item) {
                Ok(phrases) => self.triage.set_detail(item.id, phrases),
                Err(e) => {
                    self.fail(e.to_string());
                    return;
                }
            }
        }
    }

    /// Say why the selected renewal needs attention today, as Triage does (its reasons; none is
    /// said so), beneath the Renewals list.
    fn explain_renewal(&mut self) {
        if self.screen != Screen::Renewals || self.pending.is_some() {
            return;
        }
        let Some(view) = self.renewals.as_mut() else { return };
        let Some(at) = view.needs_why() else { return };
        let Some(row) = self.portfolio.rows().get(at) else { return };
        let reasons = self.triage_book.reasons(&self.config, row);
        // Spelled out with raw values, as Triage's line under its list ("Active users 13 -> 0").
        let item = crate::book::triage::TriageItem { id: row.id, row: at, reasons, need: 0.0, mark: None, back: None };
        let phrases = match self.triage_book.explain(&self.store, &self.config, &item) {
            Ok(phrases) => phrases,
            Err(_) => item.reasons.iter().map(|r| r.phrase(&self.config.health.catalog)).collect(),
        };
        // A renewal date long past when the book got the account says why it is apart (a probe
        // read only "no Triage reason today" beside its "-" likelihood).
        let long_past = crate::book::renewals::is_long_past(row, self.today).then(|| {
            format!(
                "renewal date {} more than {} days past when imported (most often a CRM's date not kept up): in no sum",
                row.renewal_date.map(|d| d.to_string()).unwrap_or_default(),
                crate::book::renewals::LONG_PAST_DAYS
            )
        });
        let said: Vec<String> = long_past.into_iter().chain(phrases).collect();
        let why = match said.is_empty() {
            true => format!("{}: no Triage reason today", row.name),
            false => format!("{}: {}", row.name, said.join(" · ")),
        };
        view.set_why(at, crate::text::clean(&why));
    }

    /// Rebuild today's triage list from the Portfolio's rows, for the book shown.
    pub(super) fn relist(&mut self) {
        let list = self.triage_book.list_for(&self.config, self.portfolio.rows(), self.book_of.as_deref());
        self.triage.replace(list, self.portfolio.rows());
        // (The reader, `me`, is set once: the config does not change while the app runs.)
        // From the rows in hand: no query of the book on every relist.
        let rows = self.portfolio.rows();
        let several_csms = rows
            .iter()
            .find(|r| !r.csm.is_empty())
            .is_some_and(|first| rows.iter().any(|r| !r.csm.is_empty() && r.csm != first.csm));
        self.triage.whose = needed_by(self.book_of.as_deref(), self.config.me(), several_csms);
        self.triage.owns_none =
            self.book_of.as_deref().is_some_and(|csm| !rows.iter().any(|r| r.csm.eq_ignore_ascii_case(csm)));
    }

    /// `v`: my own book (`me` in the config), or everyone's.
    pub(super) fn toggle_book_of(&mut self) {
        match (&self.book_of, self.config.me()) {
            (Some(_), _) => self.book_of = None,
            (None, Some(me)) => {
                let mine =
                    self.portfolio.rows().iter().find(|r| r.csm.eq_ignore_ascii_case(me)).map(|r| r.csm.to_string());
                if mine.is_none() {
                    self.fail(format!("No account in this book belongs to {me} (`me` in the config). V picks a CSM."));
                }
                self.book_of = mine;
            }
            (None, None) => {
                self.fail("Set me = \"Your Name\" in the config to switch to your own book; V picks any CSM.".into())
            }
        }
        self.apply_book_of();
    }

    /// The config file read again (Ctrl-R): whether it changed; a file with a problem is said
    /// (file, line and key) and the config in use kept. Only a file the app was opened with
    /// (`config_path`); the rules take effect with the reload that follows, `me` and the keys
    /// at once.
    pub(super) fn reread_config(&mut self) -> Result<bool, String> {
        let Some(path) = self.config_path.clone() else { return Ok(false) };
        // The file by its name: the message has three lines at most, and a full path took most
        // of them (a probe's reason was cut at "must be a").
        let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        // One line: "config.toml:622: key …: reason" (the command line's list of problems, its
        // line breaks and indents, read "is invalid:  config.toml:622" on the status line).
        let config = crate::config::Config::load(&path, false).map_err(|e| {
            let said = e.to_string().replace(&path.display().to_string(), &name);
            let said = said.strip_prefix(&format!("config file {name} is invalid:")).unwrap_or(&said).to_string();
            // The first of the file's problems, and how many more, with the command that says
            // them all: the status lines hold three lines (two run together, a probe read
            // "…not 1.5 config.toml:34: key…", then the second cut at "key").
            let lines = said.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "));
            let problems: Vec<String> = lines.filter(|l| !l.is_empty()).collect();
            match problems.len() {
                0 | 1 => problems.join(""),
                n => format!(
                    "{}; and {} more (`{}` says each)",
                    problems[0],
                    n - 1,
                    crate::config::paths::check_command(Some(&path))
                ),
            }
        })?;
        if config == self.config {
            return Ok(false);
        }
        let me_changed = config.me() != self.config.me();
        // `Config::load` refused keys no keymap takes (`KeysConfig::problems`).
        self.keymap = super::super::keymap::Keymap::with(&config.keys).unwrap_or_default();
        self.config = config;
        if me_changed {
            self.book_of = book::book_of_me(&self.config, self.portfolio.rows());
        }
        Ok(true)
    }

    /// The config file edited since it was read (a probe changed a weight in an editor beside the
    /// window, and the screens went on scoring by the old one, as the command line did not): read
    /// again as Ctrl-R reads it, and said. A file with a problem is said once, the config in use
    /// kept; a save of the window's own (the Scoring view's) that changes nothing says nothing.
    /// Whether it was read.
    fn config_edited(&mut self) -> bool {
        let Some(path) = self.config_path.clone() else { return false };
        let stamp = super::config_stamp(&path);
        // A path set without `set_config_path`: the file as it is now is the one read.
        let Some(seen) = self.seen_config else {
            self.seen_config = Some(stamp);
            return false;
        };
        if stamp.is_none() || stamp == seen {
            return false;
        }
        self.seen_config = Some(stamp);
        let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        match crate::config::Config::load(&path, false) {
            Ok(config) if config == self.config => false,
            Ok(_) => {
                if let Err(e) = self.update(crate::tui::action::Action::Reload) {
                    self.fail(format!("{name} changed, but the book could not be read again: {e}"));
                } else if !self.message_is_error {
                    let said = self.message.take().unwrap_or_default();
                    self.say(&format!("{name} changed. {said}"));
                }
                true
            }
            Err(_) => {
                // Said as Ctrl-R says it: its first problem, with the command that says them all.
                if let Err(problem) = self.reread_config() {
                    self.fail(format!("{name} changed and has a problem; the config in use is kept: {problem}"));
                }
                true
            }
        }
    }

    /// Show the chosen book everywhere it applies.
    pub(super) fn apply_book_of(&mut self) {
        self.portfolio.set_csm(self.book_of.clone());
        self.relist();
        if self.grid.is_some() {
            self.refresh_grid();
        }
        if self.renewals.is_some() {
            self.refresh_renewals();
        }
    }

    pub(super) fn refresh_renewals(&mut self) {
        let days = self.renewals.as_ref().map_or(90, |r| r.days);
        self.refresh_renewals_for(days);
    }

    pub(super) fn refresh_renewals_for(&mut self, days: i64) {
        let (due, forecast) =
            book::renewals::due(&self.config, self.portfolio.rows(), self.today, days, self.book_of.as_deref());
        match &mut self.renewals {
            Some(view) => {
                view.replace((due, forecast, days), self.portfolio.rows(), &self.config.renewals.likelihood, self.today)
            }
            None => self.renewals = Some(RenewalsView::new(due, forecast, days)),
        }
    }

    pub(super) fn refresh_team(&mut self) {
        let rows = self.portfolio.rows();
        let lines = book::team::team(&self.config, rows, &self.triage_book);
        // A day still to come (a preview) knows no outcome after today's: measured to today, not
        // to a day whose renewals and churns have not happened (a lead's preview read "NRR 100%"
        // of a week to come).
        let to = book::last_known_day(self.today);
        let asked = to - chrono::Duration::days(364);
        // The revenue histories are read once for the team's figures and each CSM's, over the
        // last 12 months as far as the book's records reach.
        let read = self.store.revenue_histories().and_then(|h| Ok((self.store.book_began()?, h)));
        let (period, all, by_csm) = match read {
            Ok((began, histories)) => {
                let period = book::metrics::MeasuredPeriod::of(&histories, began, asked, to);
                let from = period.from.unwrap_or(to);
                let retention =
                    |by| book::metrics::retention(&histories, rows, from, to, &book::metrics::Grouping::plain(by));
                let all = retention(book::metrics::GroupBy::Book).into_iter().next().map(|(_, r)| r);
                (period, all.unwrap_or_default(), retention(book::metrics::GroupBy::Csm))
            }
            Err(e) => {
                self.fail(e.to_string());
                let period = book::metrics::MeasuredPeriod {
                    asked_from: asked,
                    to,
                    from: None,
                    records_from: None,
                    arr_changes_from: None,
                };
                (period, Default::default(), Vec::new())
            }
        };
        let view = match &mut self.team {
            Some(view) => {
                view.replace(lines, all, by_csm, period);
                view
            }
            None => self.team.insert(TeamView::new(lines, all, by_csm, period, self.config.metrics.gross_margin)),
        };
        view.set_currencies(self.portfolio.rows());
        view.unresolved_renewals = match view.period.from {
            Some(from) => book::metrics::renewals_unresolved(self.portfolio.rows(), from, to).len(),
            None => 0,
        };
        match self.store.undated_churns() {
            Ok(undated) => view.undated_churns = undated.len(),
            Err(e) => self.fail(e.to_string()),
        }
        self.refresh_agenda();
    }

    /// The Team view's health week by week, for the CSMs shown (all, or the book `v` picked).
    pub(super) fn open_health_trend(&mut self) {
        // Inside a CSM's one-on-one, that CSM's (a lead's `w` there showed the whole team's); on
        // the Team view, the whole team's, as its figures and status line are (a lead with `me`
        // set read their own book's trend under "the whole team").
        let agenda_csm = self.team.as_ref().and_then(|t| t.agenda.as_ref()).map(|(csm, _)| csm.clone());
        let owns = |csm: &str| self.portfolio.rows().iter().any(|r| *r.csm == *csm);
        let book_of = agenda_csm.filter(|c| !c.is_empty() && owns(c));
        let shown = |r: &&book::PortfolioRow| book_of.as_deref().is_none_or(|c| *r.csm == *c);
        let started = std::time::Instant::now();
        let trend = book::health_trend::health_trend(
            &self.store,
            &self.config,
            self.portfolio.rows().iter().filter(shown),
            self.today,
        );
        match trend {
            Ok(weeks) => {
                // Worked out from every account's facts: on a large book, say what it took.
                let took = started.elapsed();
                if took.as_secs_f64() >= 1.0 {
                    let count = self.portfolio.rows().iter().filter(shown).count();
                    self.say(&format!("Worked out from the facts of {count} accounts in {:.1} s.", took.as_secs_f64()));
                }
                if let Some(t) = &mut self.team {
                    t.show_trend(book_of.clone().unwrap_or_else(|| "all CSMs".to_string()), weeks);
                }
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    pub(super) fn open_agenda(&mut self) -> Result<()> {
        let Some(csm) = self.team.as_ref().and_then(|t| t.selected_csm()).map(str::to_owned) else { return Ok(()) };
        // The unassigned line's accounts are those of no CSM.
        let unassigned = self.team.as_ref().and_then(|t| t.selected_line()).is_some_and(|l| l.unassigned);
        let whose = if unassigned { "" } else { csm.as_str() };
        // The agenda opens with the CSM's health over the history window (their accounts only).
        let trend = self.agenda_trend(whose);
        let done = book::team::week_activity(&self.store, whose, self.today).ok().flatten();
        let whole = self.agenda_book_line(whose);
        match self.agenda_of(whose) {
            Ok((items, long_past)) => {
                if let Some(t) = &mut self.team {
                    t.open_agenda(csm, items, (Some(whole), trend, done), long_past);
                }
            }
            Err(e) => self.fail(e.to_string()),
        }
        Ok(())
    }

    /// The agenda's book line, and the accounts with nothing logged yet where some are.
    fn agenda_book_line(&self, whose: &str) -> String {
        let whole = book::team::book_line(&self.config, self.portfolio.rows(), whose, self.today);
        match book::team::not_tracked_line(&self.store, self.portfolio.rows(), whose, self.today) {
            // A sentence of its own after the book's.
            Ok(Some(untracked)) => {
                let mut letters = untracked.chars();
                let first = letters.next().map(|c| c.to_uppercase().to_string()).unwrap_or_default();
                format!("{whole}. {first}{}.", letters.as_str())
            }
            _ => whole,
        }
    }

    /// The health line of `whose` accounts over the history window, as the agenda heads it.
    fn agenda_trend(&self, whose: &str) -> Option<String> {
        let theirs = self.portfolio.rows().iter().filter(|r| *r.csm == *whose);
        let weeks = book::health_trend::health_trend(&self.store, &self.config, theirs, self.today).ok()?;
        book::health_trend::headline(&weeks)
    }

    /// The one-on-one agenda of `whose` accounts ("" for those of no CSM) as the book now is,
    /// and its note of renewals long past.
    fn agenda_of(&self, whose: &str) -> crate::store::Result<(Vec<book::team::AgendaItem>, Option<String>)> {
        let rows = self.portfolio.rows();
        let items = book::team::one_on_one(&self.store, &self.config, rows, &self.triage_book, whose, self.today)?;
        let long_past = book::team::long_past_renewals(rows, whose, self.today)
            .map(|past| format!("Also {}: the Renewals screen lists them.", book::team::long_past_line(past)));
        Ok((items, long_past))
    }

    /// The open agenda after a write or a reload: its items worked out again from the rows (a
    /// sentiment logged from it showed the old "low data" until the agenda was opened again), and
    /// its head's book and week's work (a hand-over from it left "36 accounts" and the renewals'
    /// sums as they were). The health line over the history window too, for a book of up to
    /// `AGENDA_TREND_AFTER_WRITE_MAX` accounts (a probe's lead read "G 0->12" beside the report's
    /// 13 after a hand-over); a larger one's is kept, as it reads every one of its accounts' facts.
    fn refresh_agenda(&mut self) {
        let Some(team) = &self.team else { return };
        let Some((csm, _)) = &team.agenda else { return };
        let whose = if team.is_unassigned(csm) { String::new() } else { csm.clone() };
        let done = book::team::week_activity(&self.store, &whose, self.today).ok().flatten();
        let whole = self.agenda_book_line(&whose);
        let theirs = self.portfolio.rows().iter().filter(|r| *r.csm == *whose).count();
        let trend = (theirs <= AGENDA_TREND_AFTER_WRITE_MAX).then(|| self.agenda_trend(&whose));
        match self.agenda_of(&whose) {
            Ok((items, long_past)) => {
                if let Some(t) = &mut self.team {
                    t.replace_agenda(items, (Some(whole), trend, done), long_past);
                }
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Rebuild the Grid's numbers from the Portfolio's rows (they are current after every write).
    pub(super) fn refresh_grid(&mut self) {
        let book_of = self.book_of.as_deref();
        let rows = self.portfolio.rows().iter().filter(|r| book_of.is_none_or(|c| *r.csm == *c));
        let grid = crate::book::grid::build(rows, &self.config.segments.names());
        match &mut self.grid {
            Some(view) => view.replace(grid),
            None => self.grid = Some(GridView::new(grid)),
        }
    }

    /// The Scoring view after the book changed (a renewal or churn is one more outcome for its
    /// back-test, a write moves its bands): worked out again, now if it is on screen, else when
    /// next shown; one with edits not saved is left as it is, edits and all.
    pub(super) fn refresh_scoring(&mut self) -> Result<()> {
        if self.scoring.as_ref().is_none_or(|s| s.is_edited()) {
            return Ok(());
        }
        self.scoring = None;
        if self.screen == Screen::Scoring {
            self.update(crate::tui::action::Action::ShowScoring)?;
        }
        Ok(())
    }

    /// Read the whole book again (after the rules changed, or another process wrote to it):
    /// rows, triage, and every view built, each keeping its selection.
    pub(super) fn reload(&mut self) -> Result<()> {
        book::prepare(&mut self.store, &self.config, self.today)?;
        let (rows, triage_book) = book::load_book(&self.store, &self.config, self.today)?;
        self.triage_book = triage_book;
        self.portfolio.set_rows(rows);
        self.apply_book_of();
        if self.team.is_some() {
            self.refresh_team();
        }
        self.refresh_scoring()?;
        if let Some(view) = &mut self.account {
            let id = view.detail.account.id;
            view.replace(book::account_detail(&self.store, &self.config, id, self.today)?);
        }
        // The list was made afresh: its reasons on screen are spelled out again with raw values.
        self.explain_selected();
        Ok(self.mark_seen()?)
    }

    /// The book as the app now shows it is the book as it is: only later writes are news.
    pub(super) fn mark_seen(&mut self) -> crate::store::Result<()> {
        self.seen_version = self.store.data_version()?;
        self.seen_generation = self.store.generation()?;
        self.seen_own_writes = self.store.own_writes();
        self.seen_book_days = self.store.book_days()?;
        Ok(())
    }

    /// Called while no key comes (about once a second): when another process has written to the
    /// book since it was read, read it again. A form being filled in is left alone until closed.
    pub fn on_idle(&mut self) -> Result<()> {
        self.hear_team()?;
        if self.form.is_some() || self.pending.is_some() {
            return Ok(());
        }
        if self.config_edited() {
            return Ok(());
        }
        let version = self.store.data_version()?;
        let generation = self.store.generation()?;
        self.work_ahead_again(generation);
        self.share_ahead();
        let own = self.store.own_writes();
        // Counted writes since the book was read that are not this window's own.
        let others = (generation - self.seen_generation) - (own - self.seen_own_writes);
        // Another tend stored scores worked out by other health rules (its config, or a cron
        // job's without the user's): this window's screens read them lazily, so it scores the
        // book by its own again (a probe's Scoring view read another config's bands). Two
        // tends of different rules taking turns would rescore without end: the second time
        // within a minute is said instead.
        if version != self.seen_version && others <= 0 && book::history::caches_foreign(&self.store, &self.config)? {
            let recent = self.rescored_for_foreign_rules.is_some_and(|t| t.elapsed().as_secs() < 60);
            if !recent {
                self.rescored_for_foreign_rules = Some(std::time::Instant::now());
                self.reload()?;
                self.say_updated("scored again by your config: a tend with other health rules had scored the book.");
                return Ok(());
            }
            self.mark_seen()?;
            self.say("Another tend with other health rules is scoring this book too: Ctrl-R scores it by yours again.");
            return Ok(());
        }
        // Another tend worked another day out (`tend --as-of` a past day) and stored its factor
        // values over today's, which the screens read lazily: worked out again (a probe's
        // Scoring view then read every account as without data).
        if version != self.seen_version
            && others <= 0
            && self.store.read_only().is_none()
            && self.store.accounts_missing_snapshot(self.today)? > 0
        {
            // Two tends open as of different days (one left open since an earlier day) would
            // take turns without end, each working every account out again every few seconds:
            // the second time within a minute is said instead. The screens read an account's
            // values from its facts meanwhile, where the stored ones are another day's.
            let recent = self.reworked_for_other_day.is_some_and(|t| t.elapsed().as_secs() < 60);
            if recent {
                self.mark_seen()?;
                self.say(&format!(
                    "Another tend open as of another day keeps storing that day's scores: Ctrl-R works {}'s out again (a window open since an earlier day: quit it, or open tend again in it).",
                    self.today
                ));
                return Ok(());
            }
            self.reworked_for_other_day = Some(std::time::Instant::now());
            self.reload()?;
            self.say_updated(&format!(
                "scores worked out again for {}: another tend, opened as of another day, had stored that day's over them.",
                self.today
            ));
            return Ok(());
        }
        if version == self.seen_version || others <= 0 {
            // Nobody else wrote, or another connection stored only what it worked out from the
            // book (a triage head, the next working day worked out behind the screen).
            self.seen_version = version;
            self.seen_generation = generation;
            self.seen_own_writes = own;
            return Ok(());
        }
        self.reload()?;
        // Short enough for one line at 60 columns with its time.
        self.say_updated("changed by another tend or command.");
        Ok(())
    }

    /// Mark the selected triage item handled (or snoozed for `days`); a marked one is unmarked.
    pub(super) fn mark_selected(&mut self, snooze_days: Option<i64>) -> Result<()> {
        let Some((item, _)) = self.triage_selection() else { return Ok(()) };
        self.mark_item(&item, snooze_days)
    }

    /// The selected triage item and its account's name.
    pub fn triage_selection(&self) -> Option<(book::triage::TriageItem, String)> {
        let item = self.triage.selected_item()?.clone();
        let name = self.portfolio.rows().get(item.row)?.name.clone();
        Some((item, name))
    }

    pub(super) fn mark_item(&mut self, item: &book::triage::TriageItem, snooze_days: Option<i64>) -> Result<()> {
        self.reconnect_if_lost()?;
        let name = self.portfolio.rows().get(item.row).map(|r| r.name.clone()).unwrap_or_default();
        let renewal = self.portfolio.rows().get(item.row).and_then(|r| r.renewal_date).filter(|r| *r >= self.today);
        let undo = super::MarkUndo {
            account_id: item.id,
            before: self.triage_book.marks.get(&item.id).cloned(),
            after_change: self.newest_change()?,
        };
        // Marks are the team book's when the app shows one (the snapshot is not written).
        let book: &mut dyn book::storage::Book = match &mut self.team_book {
            Some(link) => &mut link.book,
            None => &mut self.store,
        };
        let result = if item.mark.is_some() && snooze_days.is_none() {
            self.triage_book.unmark(book, item.id).map(|()| format!("{name}: back on today's list."))
        } else {
            self.triage_book.mark(book, item, snooze_days, self.config.me()).map(|m| match m.until {
                // The day it comes back, said as such ("until" read as its last day hidden).
                // Past a renewal ahead, said: the account would be away on its day.
                Some(until) if renewal.is_some_and(|r| r < until) => format!(
                    "{name}: snoozed, back on {} ({}), after its renewal on {}; back the day after it if no renewal \
                     is recorded by then.",
                    until,
                    until.format("%a"),
                    renewal.map_or_else(String::new, |r| r.to_string())
                ),
                Some(until) => format!(
                    "{name}: snoozed, back on {until} ({}); a new reason brings it back sooner.",
                    until.format("%a")
                ),
                None => format!("{name}: handled; it comes back if a new reason appears."),
            })
        };
        match result {
            Ok(message) => {
                self.mark_undo.push(undo);
                self.say(&format!("{message} u undoes it."));
                self.relist();
                self.keep_head_as_written()?;
            }
            // The team book's rules: said in words, as the command line says them.
            Err(book::storage::BookError::NotPermitted(_)) => {
                let whose = book::log::whose_account(&self.store, item.id)?;
                self.fail(format!(
                    "{whose}: a CSM marks only their own accounts on Triage (a lead every one); nothing was changed."
                ));
            }
            Err(e) => self.fail(e.to_string()),
        }
        Ok(())
    }

    /// The session's newest change that `u` would undo.
    fn newest_change(&self) -> Result<Option<i64>> {
        Ok(self.store.last_undoable(&self.session)?.iter().map(|c| c.id).max())
    }

    /// Undo the last triage mark when nothing was written after it; false when the change log's
    /// newest change is the one to undo.
    pub(super) fn undo_mark(&mut self) -> Result<bool> {
        let Some(last) = self.mark_undo.last().cloned() else { return Ok(false) };
        if self.newest_change()? != last.after_change {
            return Ok(false);
        }
        self.mark_undo.pop();
        let name = self.portfolio.rows().iter().find(|r| r.id == last.account_id).map(|r| r.name.clone());
        let name = name.unwrap_or_default();
        let message = match &last.before {
            None => format!("Undone: {name} is back on today's list."),
            Some(m) => format!("Undone: {name} is {} again.", m.state.key()),
        };
        let book: &mut dyn book::storage::Book = match &mut self.team_book {
            Some(link) => &mut link.book,
            None => &mut self.store,
        };
        match self.triage_book.restore_mark(book, last.account_id, last.before) {
            Ok(()) => {
                self.say(&message);
                self.relist();
                // The cursor on the item taken back, as it was when marked (a probe's stayed on
                // the row below it).
                self.triage.reselect(Some(last.account_id));
                self.keep_head_as_written()?;
            }
            Err(e) => self.fail(e.to_string()),
        }
        Ok(true)
    }

    /// The `/` filter of the list on screen, if it has one.
    pub fn list_filter(&self) -> Option<&crate::tui::views::filter::ListFilter> {
        self.view().and_then(|v| v.filter())
    }

    pub(super) fn list_filter_mut(&mut self) -> Option<&mut crate::tui::views::filter::ListFilter> {
        self.view_mut().and_then(|v| v.filtered()).map(|f| f.filter_mut())
    }

    /// Clear the filter of the list on screen (and a Grid cell's, on the Portfolio).
    pub(super) fn clear_filter(&mut self) {
        if self.screen == Screen::Portfolio {
            return self.portfolio.clear_filter();
        }
        if let Some((view, rows)) = self.filtered_over_rows() {
            view.clear_filter(rows);
        }
    }

    /// The list on screen whose filter matches the book's rows (Triage, Renewals), with them.
    fn filtered_over_rows(&mut self) -> Option<(&mut dyn Filtered, &[crate::book::PortfolioRow])> {
        let rows = self.portfolio.rows();
        let view: &mut dyn Filtered = match self.screen {
            Screen::Triage => &mut self.triage,
            Screen::Renewals => self.renewals.as_mut()?,
            _ => return None,
        };
        Some((view, rows))
    }

    /// A key while a list's filter is being typed (see `filter::edit`).
    pub(super) fn filter_key(&mut self, key: ratatui::crossterm::event::KeyEvent) {
        use ratatui::crossterm::event::{KeyCode, KeyModifiers};
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            self.quit = true;
            return;
        }
        // The Portfolio filters its own rows; Triage and Renewals point into them.
        if self.screen == Screen::Portfolio {
            crate::tui::views::filter::edit(&mut self.portfolio, key, &[]);
        } else if let Some((view, rows)) = self.filtered_over_rows() {
            crate::tui::views::filter::edit(view, key, rows);
        }
        self.filter_edited();
    }

    /// Text pasted while a filter is typed: added to it whole (see `filter::paste`).
    pub(super) fn filter_paste(&mut self, text: &str) {
        if self.screen == Screen::Portfolio {
            crate::tui::views::filter::paste(&mut self.portfolio, text, &[]);
        } else if let Some((view, rows)) = self.filtered_over_rows() {
            crate::tui::views::filter::paste(view, text, rows);
        }
        self.filter_edited();
    }

    /// After the filter's query changed: what it names beyond the list.
    fn filter_edited(&mut self) {
        self.filter_names_id = self.account_of_typed_id();
        self.filter_elsewhere = self.matches_elsewhere();
        // The Portfolio shows the account itself (Triage and Renewals list what needs doing: the
        // account may not be among it, so they say whose id it is).
        if self.screen == Screen::Portfolio {
            let query = self.portfolio.filter.query().to_string();
            let id = self.filter_names_id.as_ref().map(|(_, _, id)| *id);
            self.portfolio.show_id_match(&query, id);
        }
    }

    /// A filter matches names: where it matched none and holds an account's external id (as a
    /// CSM pastes one from the CRM), which account that is (the text typed, its name, its id).
    fn account_of_typed_id(&self) -> Option<(String, String, i64)> {
        let typed = self.list_filter()?.input.value().trim();
        let shown_by_id = self.screen == Screen::Portfolio && self.portfolio.shown_by_id();
        if typed.is_empty() || (self.filter_matches() > 0 && !shown_by_id) {
            return None;
        }
        let (id, name) = self.store.account_by_external_id(typed).ok().flatten()?;
        Some((typed.to_string(), name, id))
    }

    /// `filter_elsewhere`: the accounts outside the book shown whose name, CSM or segment holds
    /// every word of a Portfolio filter that matches none in it (counted to 1,000): a probe's
    /// "markus", a CSM of the book, read "0 matches" in their own book without a word.
    fn matches_elsewhere(&self) -> usize {
        let query = self.portfolio.filter.query().trim();
        if self.screen != Screen::Portfolio || self.book_of.is_none() || query.is_empty() || self.filter_matches() > 0 {
            return 0;
        }
        let words = crate::tui::views::filter::words(query);
        let book_of = self.book_of.as_deref().unwrap_or_default();
        let elsewhere = self.portfolio.rows().iter().filter(|r| !r.csm.eq_ignore_ascii_case(book_of));
        elsewhere.filter(|r| crate::tui::views::filter::contains_words(&words, r)).take(1_000).count()
    }

    /// How many rows the list's filter leaves.
    pub(super) fn filter_matches(&self) -> usize {
        match self.screen {
            Screen::Triage => self.triage.len(),
            Screen::Renewals => self.renewals.as_ref().map_or(0, |r| r.len()),
            _ => self.portfolio.in_view(),
        }
    }
}

/// Whom Triage's list is said to need, when not the reader: another CSM's book (not `me`'s)
/// needs them; everyone's, shown to someone who has a book of their own (`v`, or a lead who owns
/// no account), or to someone tend does not know (no `me`) in a book of several CSMs, needs
/// attention, not all of it the reader ("108 accounts need you" to a lead reading the team's).
pub(super) fn needed_by(book_of: Option<&str>, me: Option<&str>, several_csms: bool) -> Option<String> {
    match book_of {
        // The accounts without a CSM (`V unassigned`) need someone, not a CSM by name.
        Some("") => Some("attention".to_string()),
        Some(b) if !me.is_some_and(|me| me.eq_ignore_ascii_case(b)) => Some(b.to_string()),
        None if me.is_some() || several_csms => Some("attention".to_string()),
        _ => None,
    }
}
