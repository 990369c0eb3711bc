//! Drawing the whole screen from state: the header of views, the body, the filter line and the
//! status line. Reads only.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{App, Screen};
use crate::domain::account::thousands;

fn count(n: usize) -> String {
    thousands(n as u64)
}
use crate::tui::view::DrawCtx;
use crate::tui::views::{empty, help};

/// The feeds gone quiet (`BookDays::quiet_feeds`) in words for the status line, long and short:
/// "; logins to 2026-10-26 (28d old, overdue)" and "; logins 28d old", by the oldest's day; past
/// two feeds, the first two are named and the rest counted.
fn quiet_phrases(quiet: &[(String, NaiveDate)], today: NaiveDate) -> (String, String) {
    let Some((_, through)) = quiet.first() else { return (String::new(), String::new()) };
    let age = (today - *through).num_days();
    let mut names = quiet.iter().take(2).map(|(m, _)| m.as_str()).collect::<Vec<_>>().join(", ");
    if quiet.len() > 2 {
        names.push_str(&format!(" +{} more", quiet.len() - 2));
    }
    (format!("; {names} to {through} ({age}d old, overdue)"), format!("; {names} {age}d old"))
}

impl App {
    /// Draw the whole screen from state. Reads only.
    pub fn render(&self, frame: &mut Frame) {
        let area = frame.area();
        let filter_line = self.list_filter().is_some_and(|f| f.is_shown());
        // A status longer than the screen is wide gets a second line rather than being cut.
        self.status_width.set(area.width as usize);
        let status_line = self.status_line();
        // A message takes the lines its words wrap to (up to three: a write's change, what a
        // playbook did and a note on who signed it); the plain status line at most two.
        let status_height = match status_line.width() > area.width as usize {
            false => 1,
            true if self.message.is_some() => {
                let text: String = status_line.spans.iter().map(|s| s.content.as_ref()).collect();
                let lines = Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: false }).line_count(area.width);
                u16::try_from(lines).unwrap_or(3).clamp(2, 3)
            }
            true => 2,
        };
        let [top, body, filter, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(u16::from(filter_line)),
            Constraint::Length(status_height),
        ])
        .areas(area);

        self.render_header(top, frame);
        let buf = frame.buffer_mut();
        // Behind a kept head with no items, the rows are still being read: the book is not empty.
        let no_accounts = match &self.pending {
            Some(pending) => pending.accounts == 0,
            None => self.portfolio.total() == 0,
        };
        if matches!(self.screen, Screen::Triage | Screen::Portfolio) && no_accounts {
            empty::render(body, buf, &self.theme, &self.store.path().display().to_string())
        } else if let Some(view) = self.view() {
            let ctx =
                DrawCtx { theme: &self.theme, rows: self.portfolio.rows(), today: self.today, config: &self.config };
            view.draw(body, buf, &ctx);
        }
        if filter_line {
            self.render_filter(filter, frame);
        }
        self.render_status(status_line, status, frame);
        if self.help {
            let accounts = !matches!(self.selected(), crate::tui::view::Selected::NoAccounts);
            let max = help::render(
                &self.keymap,
                self.scope(),
                accounts,
                self.help_scroll,
                body,
                frame.buffer_mut(),
                &self.theme,
            );
            self.help_max.set(max);
        }
        if let Some(open) = &self.form
            && let Some(cursor) = open.form.render(body, frame.buffer_mut(), &self.theme)
        {
            frame.set_cursor_position(cursor);
        }
        if let Some(viewer) = &self.viewer {
            viewer.render(body, frame.buffer_mut(), &self.theme);
        }
        if let Some(search) = &self.search {
            let cursor = search.render(body, frame.buffer_mut(), &self.theme);
            frame.set_cursor_position(cursor);
        }
    }

    pub(super) fn render_header(&self, area: Rect, frame: &mut Frame) {
        let tab = |label: String, on: bool| {
            if on { Span::styled(format!(" {label} "), self.theme.selected()) } else { Span::raw(format!(" {label} ")) }
        };
        // Short: only the views' numbers (all of them, or all but the one shown), so a narrow
        // screen or an open account's name keeps its room and no tab is cut.
        // An open account's name whole, or cut to `name_room` with "…" where even the views'
        // numbers alone leave too little room for it.
        let header = |short_all: bool, short_others: bool, name_room: Option<usize>| {
            let mut spans = vec![Span::styled(" tend ", self.theme.title()), Span::raw("│")];
            for view in Screen::VIEWS {
                let short = short_all || short_others && self.screen != view;
                let label = if short { view.label()[..1].to_string() } else { view.label().to_string() };
                spans.push(tab(label, self.screen == view));
            }
            if let Some(view) = &self.account {
                spans.push(Span::raw("›"));
                let name = &view.detail.account.name;
                let name = name_room.map_or(name.clone(), |room| crate::text::fit(name, room).into_owned());
                spans.push(tab(name, self.screen == Screen::Account));
            }
            Line::from(spans)
        };
        let fits = |l: &Line| l.width() <= area.width as usize;
        let line = [header(false, false, None), header(false, true, None), header(true, true, None)]
            .into_iter()
            .find(fits)
            .unwrap_or_else(|| {
                // The name before the keys hint: `?` is in the help line of every screen.
                let name = self.account.as_ref().map_or(0, |v| crate::text::width(&v.detail.account.name));
                let around = header(true, true, None).width().saturating_sub(name);
                // (The tab's closing space may go at the screen's edge.)
                header(true, true, Some((area.width as usize + 1).saturating_sub(around).max(4)))
            });
        // The hint shortens, then gives way, when the views and an open account's name need the room.
        let room = (area.width as usize).saturating_sub(line.width());
        let hint = [" ? keys  q quit ", " ? keys "].into_iter().find(|h| h.len() <= room);
        frame.render_widget(Paragraph::new(line).style(self.theme.bar()), area);
        if let Some(hint) = hint {
            frame.render_widget(Paragraph::new(Line::from(hint).right_aligned()).style(self.theme.bar()), area);
        }
    }

    pub(super) fn render_filter(&self, area: Rect, frame: &mut Frame) {
        let Some(f) = self.list_filter() else { return };
        let (input, editing) = (&f.input, f.editing);
        let matches = self.filter_matches();
        let prefix = "Filter: ";
        let hint = match (editing, f.pristine) {
            (true, true) => "  typing replaces it · → edits",
            (true, false) => "  Enter keeps · Esc clears",
            (false, _) => "  / changes · x clears",
        };
        let line = Line::from(vec![
            Span::styled(prefix, self.theme.title()),
            // A query the first letter replaces looks selected, as a form's value does.
            match f.pristine {
                true => Span::styled(input.value().to_string(), self.theme.selected()),
                false => Span::raw(input.value().to_string()),
            },
            Span::styled(
                if input.value().trim().is_empty() {
                    "  type to filter".to_string()
                } else {
                    let n = crate::domain::account::thousands(matches as u64);
                    let named = match (&self.filter_names_id, matches) {
                        // The Portfolio shows the account whose external id was typed.
                        (Some(_), 1) if self.screen == Screen::Portfolio && self.portfolio.shown_by_id() => {
                            " (by its id)".to_string()
                        }
                        // Triage and Renewals match names, not ids: said, with the name to type
                        // (short: at 60 columns the line keeps it whole for a name of 20 characters).
                        (Some((typed, name, _)), 0) if typed == input.value().trim() => {
                            format!(" (the id of {})", crate::text::clean(name))
                        }
                        // Accounts of other CSMs' books hold the words: one key away.
                        (_, 0) if self.screen == Screen::Portfolio && self.filter_elsewhere > 0 => {
                            format!(" ({} in other books: v shows all)", self.filter_elsewhere)
                        }
                        _ => String::new(),
                    };
                    format!("  {n} {}{named}", if matches == 1 { "match" } else { "matches" })
                },
                self.theme.dim(),
            ),
            Span::styled(hint, self.theme.dim()),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        if editing {
            let x = area.x + prefix.len() as u16 + input.visual_cursor() as u16;
            frame.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
        }
    }

    pub(super) fn render_status(&self, line: Line<'static>, area: Rect, frame: &mut Frame) {
        frame.render_widget(Paragraph::new(line).wrap(ratatui::widgets::Wrap { trim: false }), area);
    }

    /// The status line: a message if there is one, else where you are and what is shown.
    pub(super) fn status_line(&self) -> Line<'static> {
        if let Some(message) = &self.message {
            let style = if self.message_is_error { self.theme.error() } else { self.theme.title() };
            // A team book is named at any time, a message shown or not: who is signed in to
            // which book (a lead's first open read its notice in place of "lee@team").
            let book = if self.on_team_book() { format!("{} · ", self.book_name) } else { String::new() };
            Line::styled(format!(" {book}{message}"), style)
        } else {
            let p = &self.portfolio;
            // While the team book cannot be reached, what is shown is as last read: said in place
            // of how current the usage data is.
            let unreachable = self.team_book.as_ref().is_some_and(|l| !l.connected());
            // An earlier day's list shown while today's is worked out: its day, not today's.
            let earlier = self.pending.as_ref().and_then(|p| p.earlier);
            let through = self.seen_book_days.metrics_through(self.today);
            // How many days old the data is, where it is not current.
            let age = through.filter(|d| *d < self.today).map(|d| (self.today - d).num_days());
            // "weekly data 10d old": a week's age is the newest week of a weekly export.
            let rhythm = self.seen_book_days.rhythm(self.today).map_or_else(String::new, |r| format!("{r} "));
            // A newest week with far fewer samples than the one before (a partial export): the
            // accounts it lacks read as unused since, said where the data's age is.
            let thin = self.seen_book_days.usage_days.thin(self.today);
            let (thin_long, thin_short) = match thin {
                Some(t) => (format!("; thin: {} samples against {}", t.samples, t.before_samples), ", thin"),
                None => (String::new(), ""),
            };
            // Data older than two of its usual gaps (two weekly exports missed): the scores stand
            // on what the next export should have replaced. Said, and the line drawn louder: two
            // probes found "data 22d old" alone, dim, easy to miss beside "0d since login".
            let overdue = earlier.is_none() && !unreachable && self.seen_book_days.data_days.overdue(self.today);
            let overdue_said = if overdue { ", overdue" } else { "" };
            // A feed the scores read gone quiet while the others come (weekly usage stopped,
            // daily tickets on): the book's data reads current, so the quiet one is named.
            let quiet = match earlier.is_none() && !unreachable {
                true => self.seen_book_days.quiet_feeds(self.today, &self.config.health.catalog.metrics),
                false => Vec::new(),
            };
            let (quiet_long, quiet_short) = quiet_phrases(&quiet, self.today);
            let data = match through {
                _ if let Some(day) = earlier => format!("list of {day}"),
                _ if unreachable => format!("as of {}, team book unreachable: as last read", self.today),
                None => format!("as of {}, no usage data", self.today),
                Some(d) if d >= self.today => format!("as of {}, data current{thin_short}{quiet_long}", self.today),
                Some(d) => {
                    format!(
                        "as of {}, {rhythm}data to {d} ({}d old{overdue_said}{thin_long}){quiet_long}",
                        self.today,
                        (self.today - d).num_days()
                    )
                }
            };
            let short_data = match through {
                _ if let Some(day) = earlier => format!("list of {day}"),
                // A day asked for (`--as-of`) is never left unsaid.
                _ if unreachable && self.as_of_asked => format!("as of {}, unreachable", self.today),
                // With how old the data is, where it is not current: a week's import missed
                // is the news of the line (it gave way to the day alone below 130 columns).
                _ if self.as_of_asked => match age {
                    Some(age) => {
                        format!("as of {}, {rhythm}data {age}d old{overdue_said}{thin_short}{quiet_short}", self.today)
                    }
                    None => format!("as of {}{quiet_short}", self.today),
                },
                _ if unreachable => "unreachable: as last read".to_string(),
                None => "no usage data".to_string(),
                Some(d) if d >= self.today => format!("data current{thin_short}{quiet_short}"),
                Some(d) => {
                    format!("{rhythm}data {}d old{overdue_said}{thin_short}{quiet_short}", (self.today - d).num_days())
                }
            };
            // Triage counts the live accounts of the book shown (one CSM's, or everyone's): the
            // customers it lists from, as the Portfolio's "119/120 shown · 1 churned hidden".
            let accounts = match (&self.pending, &self.book_of) {
                (Some(pending), _) => pending.accounts,
                (None, Some(csm)) => p
                    .rows()
                    .iter()
                    .filter(|r| *r.csm == **csm && r.status != crate::domain::AccountStatus::Churned)
                    .count(),
                (None, None) => p.total() - p.churned(),
            };
            // The head of the list is on screen and the rest of the book still coming: said in
            // place of the count of accounts, which stays at every width.
            let book = match &self.pending {
                Some(p) if p.earlier.is_some() => "working out today…".to_string(),
                Some(_) => "reading the book…".to_string(),
                None => format!("{} accounts", count(accounts)),
            };
            // Open items against open items; the marked ones `H` lists too are counted apart.
            let marked = self.triage.marked_listed();
            let open_listed = self.triage.len() - marked;
            let marked = match marked {
                0 => String::new(),
                n => format!(" + {} marked", count(n)),
            };
            let in_view = match self.screen {
                Screen::Triage if open_listed == self.triage.open_count() => {
                    format!("{} listed{marked} · {book}", count(open_listed))
                }
                Screen::Triage => {
                    format!("{} of {} listed{marked} · {book}", count(open_listed), count(self.triage.open_count()))
                }
                Screen::Portfolio => format!("{}/{} shown", count(p.in_view()), count(p.scope_total())),
                // The Grid counts its book's live accounts, whatever the Portfolio's filter.
                Screen::Grid => match &self.grid {
                    Some(grid) => format!("{} in the Grid", count(grid.grid.grand.accounts)),
                    None => book,
                },
                // The accounts of the book said beside it (one CSM's, or everyone's), as on Triage.
                _ => book,
            };
            let whose = match &self.book_of {
                Some(csm) if csm.is_empty() => "the unassigned accounts (v: everyone)".to_string(),
                Some(csm) => format!("{csm}'s book (v: everyone)"),
                None => "all CSMs".to_string(),
            };
            // A one-on-one open is of its CSM's accounts, whoever's book the lists show (a probe
            // read "Dana Whitfield's book" under Marco's agenda).
            let agenda_of = self.team.as_ref().and_then(|t| t.agenda.as_ref().map(|(csm, _)| (t, csm.clone())));
            // The Team view is the whole team's, whoever's book the lists show: its figures read
            // as one CSM's under "Priya Shah's book" (a probe took the team's NRR for hers).
            let (whose, in_view) = match (self.screen == Screen::Team && agenda_of.is_none(), &self.book_of) {
                (true, Some(_)) => {
                    ("the whole team".to_string(), format!("{} accounts", count(p.total() - p.churned())))
                }
                _ => (whose, in_view),
            };
            let (whose, in_view) = match agenda_of.filter(|_| self.screen == Screen::Team) {
                Some((team, csm)) => {
                    // The line of the accounts without a CSM is named "unassigned": its accounts
                    // have none (the status said "0 accounts" under a title of 2).
                    let unassigned = team.is_unassigned(&csm);
                    let csm = if unassigned { String::new() } else { csm };
                    let theirs = p
                        .rows()
                        .iter()
                        .filter(|r| *r.csm == *csm && r.status != crate::domain::AccountStatus::Churned)
                        .count();
                    let whose = match unassigned {
                        true => "the unassigned accounts".to_string(),
                        false => format!("{csm}'s one-on-one"),
                    };
                    let accounts = if theirs == 1 { "account" } else { "accounts" };
                    (whose, format!("{} {accounts}", count(theirs)))
                }
                None => (whose, in_view),
            };
            let mut parts = vec![data, whose, in_view];
            // A Grid cell narrowing the Portfolio is said at every width (else its count of rows
            // shown would read as the book's): just after the count.
            let cell = p.cell.as_ref().filter(|_| self.screen == Screen::Portfolio);
            if let Some(cell) = cell {
                parts.push(format!("cell {} (x clears)", cell.describe()));
            }
            if p.churned_hidden() > 0 && matches!(self.screen, Screen::Portfolio | Screen::Grid) {
                parts.push(format!("{} churned hidden", p.churned_hidden()));
            }
            if self.screen == Screen::Portfolio && p.ranked_by_match() {
                parts.push("best match first".to_string());
            } else if self.screen == Screen::Portfolio {
                let sort = format!("sort {} {}", p.sort_label(), if p.descending { "▼" } else { "▲" });
                // Sorted by a column the width hides (a probe at 60 columns read "sort Segment ▲"
                // over rows with no segment in sight): said so, before the count, which goes
                // first where the line is too long.
                match p.sort_is_shown(u16::try_from(self.status_width.get()).unwrap_or(u16::MAX)) {
                    true => parts.push(sort),
                    false => parts.insert(2, format!("{sort} (column hidden)")),
                }
            }
            // One line where it fits: the book's name goes first, then the data's date is said
            // short; what is in view stays.
            // A book tend cannot write says so first: every write will be refused.
            // A team book is always named (who is signed in to which), at any width: what is
            // written here goes to the whole team.
            let read_only = match (self.store.read_only().is_some(), self.on_team_book()) {
                (true, _) if self.store.previewing() => "preview · ".to_string(),
                (true, _) => "read-only · ".to_string(),
                (false, true) => format!("{} · ", self.book_name),
                (false, false) => String::new(),
            };
            let width = self.status_width.get().saturating_sub(1 + crate::text::width(&read_only));
            let joined = |parts: &[String]| parts.join(" · ");
            let mut with_name = vec![self.book_name.clone()];
            with_name.extend(parts.iter().cloned());
            if !self.on_team_book() && crate::text::width(&joined(&with_name)) <= width {
                parts = with_name;
            } else if crate::text::width(&joined(&parts)) > width {
                parts[0] = short_data;
                // Then everyone's book goes unsaid (it is the default), then the extras.
                if crate::text::width(&joined(&parts)) > width && self.book_of.is_none() {
                    parts.remove(1);
                }
                // One CSM's book stays said, without how to see everyone's (`v`, in the help).
                if let Some(csm) = &self.book_of
                    && crate::text::width(&joined(&parts)) > width
                {
                    parts[1] = match csm.is_empty() {
                        true => "unassigned accounts".to_string(),
                        false => format!("{csm}'s book"),
                    };
                }
                // Then a day asked for with the data's age in fewer words (60 columns); the
                // extras and the count go before the age does (a probe at 60 columns read the
                // day alone beside "sort Health ▲": how old the data is matters more than how
                // many are listed), then the day alone.
                let day_asked = self.as_of_asked && earlier.is_none() && !unreachable;
                if day_asked && crate::text::width(&joined(&parts)) > width {
                    parts[0] = match age {
                        Some(age) => format!("{}, data {age}d old{overdue_said}{thin_short}{quiet_short}", self.today),
                        None => format!("as of {}{quiet_short}", self.today),
                    };
                    // A thin week is the news of the two: said before the age goes.
                    if thin.is_some() && crate::text::width(&joined(&parts)) > width {
                        parts[0] = format!("{}, thin data", self.today);
                    }
                }
                let at_cell = parts.iter().position(|part| part.starts_with("cell "));
                let keep = at_cell.map_or(2, |at| at + 1);
                while parts.len() > keep && crate::text::width(&joined(&parts)) > width {
                    parts.pop();
                }
                // Data overdue is said to the last (a 60-column line had lost it with its age).
                if day_asked && crate::text::width(&joined(&parts)) > width {
                    parts[0] = match (overdue, quiet.first()) {
                        (true, _) => format!("{}, data overdue", self.today),
                        // A feed gone quiet is the news of the line: said to the last.
                        (false, Some((metric, _))) => format!("{}, {metric} overdue", self.today),
                        (false, None) => format!("as of {}", self.today),
                    };
                }
                // Then the data's day gives way to the cell, which then loses its key.
                if at_cell.is_some() && crate::text::width(&joined(&parts)) > width {
                    parts.remove(0);
                    if crate::text::width(&joined(&parts)) > width
                        && let Some(last) = parts.last_mut()
                    {
                        *last = last.replace(" (x clears)", "");
                    }
                }
                // An earlier day's list says its day in the title at any width: not twice where
                // the line would wrap.
                if earlier.is_some() && crate::text::width(&joined(&parts)) > width {
                    parts.remove(0);
                }
                // Last, the count of the book's accounts beside what is listed ("15 of 17 listed ·
                // 20 accounts"): at 44 columns the line wrapped, its day pushed off the screen.
                if crate::text::width(&joined(&parts)) > width
                    && let Some(last) = parts.last_mut()
                    && let Some((listed, _)) = last.split_once(" · ")
                {
                    *last = listed.to_string();
                }
            }
            let style = if overdue { self.theme.warn() } else { self.theme.dim() };
            Line::styled(format!(" {read_only}{}", parts.join(" · ")), style)
        }
    }
}
