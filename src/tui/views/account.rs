//! The Account view: the header and health headline, then five tabs: the factors behind the colour
//! and how they add up; the timeline of everything logged; the customer's goals; the journey; the
//! tasks, the next steps.

use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::book::AccountDetail;
use crate::domain::factor::trim_number;
use crate::domain::goal::GoalStatus;
use crate::domain::journey::MilestoneState;
use crate::domain::task::{TaskDue, TaskStatus};
use crate::domain::{AccountStatus, FactorDef, FactorId, FactorScore, HealthBand, HealthScore, ScoreKind};
use crate::store::log::Entity;
use crate::tui::action::Action;
use crate::tui::theme::Theme;
use crate::tui::views::cursor::ListCursor;
use crate::tui::views::trend;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountTab {
    Health,
    Timeline,
    Goals,
    Journey,
    Tasks,
    People,
}

impl AccountTab {
    pub const ALL: [AccountTab; 6] = [
        AccountTab::Health,
        AccountTab::Timeline,
        AccountTab::Goals,
        AccountTab::Journey,
        AccountTab::Tasks,
        AccountTab::People,
    ];
    fn index(self) -> usize {
        self as usize
    }
    fn label(self) -> &'static str {
        match self {
            AccountTab::Health => "Health",
            AccountTab::Timeline => "Timeline",
            AccountTab::Goals => "Goals",
            AccountTab::Journey => "Journey",
            AccountTab::Tasks => "Tasks",
            AccountTab::People => "People",
        }
    }
}

pub struct AccountView {
    pub detail: AccountDetail,
    pub tab: AccountTab,
    /// Scroll of the Health tab.
    pub scroll: u16,
    /// Selected line and scroll of each list tab (the Health tab's is unused).
    cursors: [ListCursor; 6],
    /// How far the last frame could scroll; keeps `scroll` within the content.
    max_scroll: Cell<u16>,
}

impl AccountView {
    pub fn new(detail: AccountDetail) -> Self {
        AccountView {
            detail,
            tab: AccountTab::Health,
            scroll: 0,
            cursors: Default::default(),
            max_scroll: Cell::new(u16::MAX),
        }
    }

    /// Show fresh data (after a write), keeping the tab and selections: the selected line stays
    /// on what it was on, wherever the fresh list puts it (a person who left moves down).
    pub fn replace(&mut self, detail: AccountDetail) {
        let keep = self.selected_target();
        self.detail = detail;
        for tab in AccountTab::ALL {
            let len = self.len(tab);
            self.cursors[tab.index()].clamp(len);
        }
        if let Some(target) = keep {
            self.show(target);
        }
    }

    /// What each list tab holds, by id (a timeline line that is no entry has none).
    pub fn ids(&self) -> [Vec<Option<i64>>; 6] {
        AccountTab::ALL.map(|tab| match tab {
            AccountTab::Health => Vec::new(),
            AccountTab::Timeline => self.detail.timeline.iter().map(|l| l.entry_id).collect(),
            AccountTab::Goals => self.detail.goals.iter().map(|g| Some(g.id)).collect(),
            AccountTab::Journey => self.detail.milestones.iter().map(|m| Some(m.id)).collect(),
            AccountTab::Tasks => self.detail.tasks.iter().map(|t| Some(t.id)).collect(),
            AccountTab::People => self.detail.contacts.iter().map(|c| Some(c.id)).collect(),
        })
    }

    /// After one's own write: an item that was not there `before` (the milestone, goal, task,
    /// person or entry just added) is selected in its tab, so the next key (`x`, `e`, `d`) acts
    /// on it and not on the line that happened to be selected.
    pub fn select_new(&mut self, before: &[Vec<Option<i64>>; 6]) {
        let now = self.ids();
        for tab in AccountTab::ALL {
            let old = &before[tab.index()];
            let mut new = now[tab.index()].iter().enumerate().filter(|(_, id)| id.is_some() && !old.contains(id));
            if let (Some((at, _)), None) = (new.next(), new.next()) {
                let len = self.len(tab);
                self.cursors[tab.index()].select(at, len);
            }
        }
    }

    pub fn next_tab(&mut self, by: isize) {
        let i = (self.tab.index() as isize + by).rem_euclid(AccountTab::ALL.len() as isize) as usize;
        self.tab = AccountTab::ALL[i];
    }

    fn len(&self, tab: AccountTab) -> usize {
        match tab {
            AccountTab::Health => 0,
            AccountTab::Timeline => self.detail.timeline.len(),
            AccountTab::Goals => self.detail.goals.len(),
            AccountTab::Journey => self.detail.milestones.len(),
            AccountTab::Tasks => self.detail.tasks.len(),
            AccountTab::People => self.detail.contacts.len(),
        }
    }

    /// Move within the tab: scroll the Health tab, or the selection of a list.
    pub fn step(&mut self, action: Action) -> bool {
        if self.tab != AccountTab::Health {
            let len = self.len(self.tab);
            return self.cursors[self.tab.index()].step(action, len);
        }
        let delta = match action {
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp => -10,
            Action::PageDown => 10,
            Action::Top => -i32::from(u16::MAX),
            Action::Bottom => i32::from(u16::MAX),
            _ => return false,
        };
        let max = i32::from(self.max_scroll.get());
        self.scroll = (i32::from(self.scroll) + delta).clamp(0, max) as u16;
        true
    }

    /// Show an entry, goal or milestone: its tab, with it selected (when the account has it).
    pub fn show(&mut self, (entity, id): (Entity, i64)) {
        let found = match entity {
            Entity::Entry => {
                self.detail.timeline.iter().position(|l| l.entry_id == Some(id)).map(|i| (AccountTab::Timeline, i))
            }
            Entity::Goal => self.detail.goals.iter().position(|g| g.id == id).map(|i| (AccountTab::Goals, i)),
            Entity::Milestone => {
                self.detail.milestones.iter().position(|m| m.id == id).map(|i| (AccountTab::Journey, i))
            }
            Entity::Task => self.detail.tasks.iter().position(|t| t.id == id).map(|i| (AccountTab::Tasks, i)),
            Entity::Contact => self.detail.contacts.iter().position(|c| c.id == id).map(|i| (AccountTab::People, i)),
            _ => None,
        };
        if let Some((tab, at)) = found {
            self.tab = tab;
            let len = self.len(tab);
            self.cursors[tab.index()].select(at, len);
        }
    }

    /// The selected line of a list tab in full, as a title and its text: a long note is cut on
    /// the line, and shown whole here. None on the Health tab or an empty list.
    pub fn selected_whole(&self) -> Option<(String, String)> {
        let sel = self.cursors[self.tab.index()].selected();
        match self.tab {
            // The account's own notes, cut at the head of the view (a probe found an account by
            // words of its notes and could read them nowhere).
            AccountTab::Health => {
                let notes = self.detail.account.notes.trim();
                (!notes.is_empty()).then(|| ("the account's notes".to_string(), notes.to_string()))
            }
            AccountTab::Timeline => {
                let t = self.detail.timeline.get(sel)?;
                let by = t.csm.as_deref().map(|c| format!(" · {c}")).unwrap_or_default();
                Some((format!("{} · {}{by}", t.kind, t.day), t.text.clone()))
            }
            AccountTab::Goals => {
                let g = self.detail.goals.get(sel)?;
                let mut text = format!("\"{}\"", g.words);
                if !g.measure.is_empty() {
                    text.push_str(&format!("\nMeasured by: {}", g.measure));
                }
                if let Some(d) = g.target_date {
                    text.push_str(&format!("\nBy: {d}"));
                }
                text.push_str(&format!(
                    "\nOwned by the {} side · {} since {}",
                    g.owner.key(),
                    g.status.label(),
                    g.created_on
                ));
                for h in &g.history {
                    let note = if h.note.is_empty() { String::new() } else { format!(": {}", h.note) };
                    text.push_str(&format!("\n{} {}{note}", h.day, h.status.label()));
                }
                Some((format!("goal · {}", g.created_on), text))
            }
            AccountTab::Journey => {
                let m = self.detail.milestones.get(sel)?;
                let done = m.done.map_or_else(|| "not done".to_string(), |d| format!("done {d}"));
                let note = if m.note.is_empty() { String::new() } else { format!("\n{}", m.note) };
                Some((format!("milestone · {}", m.journey), format!("{}\nDue {} · {done}{note}", m.name, m.due)))
            }
            AccountTab::Tasks => {
                let t = self.detail.tasks.get(sel)?;
                let mut text = format!("{}\n{}", t.title, task_state(t, self.detail.as_of));
                text.push_str(&format!(" · for {}", t.owner.as_deref().unwrap_or("nobody")));
                text.push_str(&match t.playbook.as_str() {
                    "" => format!("\nWritten down {}", t.created_on),
                    playbook => format!("\nOpened {} by playbook {playbook}", t.created_on),
                });
                if !t.note.is_empty() {
                    text.push_str(&format!("\n{}", t.note));
                }
                Some((format!("task · due {}", t.due), text))
            }
            AccountTab::People => {
                let c = self.detail.contacts.get(sel)?;
                let mut text = c.name.clone();
                for part in [&c.title, &c.email].into_iter().filter(|p| !p.is_empty()) {
                    text.push_str(&format!("\n{part}"));
                }
                text.push_str(&format!("\n{} · known since {}", c.role.map_or("no role", |r| r.label()), c.created_on));
                if let Some(left) = c.left_on {
                    text.push_str(&format!("\nLeft {left}"));
                }
                if !c.note.is_empty() {
                    text.push_str(&format!("\n{}", c.note));
                }
                Some(("contact".to_string(), text))
            }
        }
    }

    /// The thing the selection is on, if it can be edited here.
    pub fn selected_target(&self) -> Option<(Entity, i64)> {
        let sel = self.cursors[self.tab.index()].selected();
        match self.tab {
            AccountTab::Health => None,
            AccountTab::Timeline => self.detail.timeline.get(sel)?.entry_id.map(|id| (Entity::Entry, id)),
            AccountTab::Goals => self.detail.goals.get(sel).map(|g| (Entity::Goal, g.id)),
            AccountTab::Journey => self.detail.milestones.get(sel).map(|m| (Entity::Milestone, m.id)),
            AccountTab::Tasks => self.detail.tasks.get(sel).map(|t| (Entity::Task, t.id)),
            AccountTab::People => self.detail.contacts.get(sel).map(|c| (Entity::Contact, c.id)),
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        // Four lines, or five where the facts wrap (narrow, a long name or plan).
        let header: Vec<Line> =
            self.header(theme, area.width).into_iter().map(|l| super::fit_line(l, area.width as usize)).collect();
        let [top, tabs, body] =
            Layout::vertical([Constraint::Length(header.len() as u16), Constraint::Length(1), Constraint::Fill(1)])
                .areas(area);
        Paragraph::new(header).render(top, buf);
        self.render_tabs(tabs, buf, theme);
        match self.tab {
            AccountTab::Health => self.render_health(body, buf, theme),
            AccountTab::Timeline => self.render_timeline(body, buf, theme),
            AccountTab::Goals => self.render_goals(body, buf, theme),
            AccountTab::Journey => self.render_list(body, buf, theme, self.journey_lines(theme)),
            AccountTab::Tasks => self.render_list(body, buf, theme, self.task_lines(theme, body.width)),
            AccountTab::People => self.render_list(body, buf, theme, self.people_lines(theme)),
        }
    }

    fn render_tabs(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        // Padded, with the hint, when there is room; else tight, so every tab keeps its name.
        let roomy = area.width >= 80;
        let mut spans = Vec::new();
        for tab in AccountTab::ALL {
            let count = match tab {
                AccountTab::Health => String::new(),
                t => format!(" {}", self.len(t)),
            };
            let text = if roomy { format!(" {}{count} ", tab.label()) } else { format!("{}{count}", tab.label()) };
            spans.push(if tab == self.tab { Span::styled(text, theme.selected()) } else { Span::raw(text) });
            spans.push(Span::raw("│"));
        }
        if roomy {
            spans.push(Span::styled(" Tab switches", theme.dim()));
        }
        Paragraph::new(Line::from(spans)).render(area, buf);
    }

    fn render_health(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let paragraph = Paragraph::new(self.health_lines(area.width, theme)).wrap(Wrap { trim: false });
        let view = below_is_hint(paragraph.line_count(area.width), area);
        let max_scroll = (paragraph.line_count(area.width) as u16).saturating_sub(view.height);
        self.max_scroll.set(max_scroll);
        let scroll = self.scroll.min(max_scroll);
        paragraph.scroll((scroll, 0)).render(view, buf);
        more_hint(scroll < max_scroll, area, buf, theme);
    }

    /// A list tab: lines with the selection highlighted, scrolled to keep it in view.
    fn render_list(&self, area: Rect, buf: &mut Buffer, theme: &Theme, lines: Vec<Line<'static>>) {
        if lines.is_empty() {
            let empty = match self.tab {
                AccountTab::Timeline => "Nothing logged yet. s sentiment · t touch · n NPS · b bug · f risk flag",
                AccountTab::Goals => "No goals yet. a adds one, in the customer's own words.",
                AccountTab::Tasks => "No tasks yet. T adds a next step, with a due day and an owner.",
                AccountTab::People => {
                    "Nobody yet. P adds a person and their role; `tend import contacts` reads a CRM export."
                }
                // An import plans no step already past its day: said how to have them (a probe's
                // account 43 days past its renewal had no renewal steps, and nothing said why).
                _ => {
                    "No milestones yet. m adds one; `tend journey apply ACCOUNT JOURNEY` plans a whole journey, \
                     and with --include-past its steps already past their day (an import leaves them out)."
                }
            };
            Paragraph::new(Line::styled(empty, theme.dim())).wrap(Wrap { trim: true }).render(area, buf);
            return;
        }
        let (full, area) = (area, below_is_hint(lines.len(), area));
        let height = area.height as usize;
        let cursor = &self.cursors[self.tab.index()];
        let sel = cursor.selected();
        let window = cursor.window(lines.len(), height);
        let more = window.end < lines.len();
        let shown: Vec<Line> = lines
            .into_iter()
            .enumerate()
            .skip(window.start)
            .take(window.len())
            .map(|(i, l)| {
                let l = super::fit_line(l, area.width as usize);
                if i == sel { l.patch_style(theme.selected()) } else { l }
            })
            .collect();
        Paragraph::new(shown).render(area, buf);
        more_hint(more, full, buf, theme);
    }

    fn render_goals(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let goals = &self.detail.goals;
        let Some(goal) = goals.get(self.cursors[AccountTab::Goals.index()].selected()) else {
            return self.render_list(area, buf, theme, Vec::new());
        };
        // The list above, the selected goal's history below.
        let history_height = (goal.history.len() as u16 + 2).min(area.height / 2);
        let [list, detail] = Layout::vertical([Constraint::Fill(1), Constraint::Length(history_height)]).areas(area);
        self.render_list(list, buf, theme, self.goal_lines(theme));
        let mut lines = vec![Line::styled(
            format!("Measure: {} · history:", if goal.measure.is_empty() { "—" } else { &goal.measure }),
            theme.header(),
        )];
        for h in goal.history.iter().rev() {
            let note = if h.note.is_empty() { String::new() } else { format!(" · {}", h.note) };
            let by = h.csm.as_deref().map(|c| format!("  ({c})")).unwrap_or_default();
            lines.push(Line::from(vec![
                Span::styled(format!("{}  ", h.day), theme.dim()),
                Span::styled(h.status.label().to_string(), goal_style(h.status, theme)),
                Span::raw(note),
                Span::styled(by, theme.dim()),
            ]));
        }
        Paragraph::new(lines).render(detail, buf);
    }

    /// The timeline; a selected line whose text is cut is shown whole under the list, wrapped,
    /// in the room the list leaves (Enter shows it in a window of its own too).
    fn render_timeline(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let lines = self.timeline_lines(theme, area.width);
        let selected = self.detail.timeline.get(self.cursors[AccountTab::Timeline.index()].selected());
        let whole = selected
            .map(|t| (crate::text::one_line(&t.text), Self::timeline_room(t, area.width)))
            .filter(|(text, room)| crate::text::width(text) > *room)
            .map(|(text, _)| text);
        let room_below = area.height.saturating_sub(lines.len() as u16 + 1);
        let wrapped = whole.map(|text| crate::text::wrap_all(&text, usize::from(area.width.saturating_sub(2)).max(8)));
        match wrapped.filter(|w| room_below >= 3 && !w.is_empty()) {
            Some(wrapped) => {
                // Right under the list, where the eye is.
                let height = (wrapped.len() as u16 + 1).min(room_below);
                let list_height = area.height.saturating_sub(height).min(lines.len() as u16);
                let [list, detail, _] = Layout::vertical([
                    Constraint::Length(list_height),
                    Constraint::Length(height),
                    Constraint::Fill(1),
                ])
                .areas(area);
                self.render_list(list, buf, theme, lines);
                let mut text = vec![Line::default()];
                text.extend(wrapped.into_iter().map(|l| Line::styled(format!(" {l}"), theme.dim())));
                Paragraph::new(text).render(detail, buf);
            }
            None => self.render_list(area, buf, theme, lines),
        }
    }

    /// The columns a timeline line leaves its text at `width`.
    fn timeline_room(t: &crate::book::TimelineItem, width: u16) -> usize {
        let (day, kind, by) = Self::timeline_parts(t, width);
        (width as usize)
            .saturating_sub(crate::text::width(&day) + crate::text::width(&kind) + crate::text::width(&by))
            .max(12)
    }

    /// A timeline line's day, kind and signer, as shown around its text: below 80 columns the
    /// signer by their initials, which leaves the text room to say something (a probe at 60
    /// columns read notes cut to twenty characters beside "(Maya Patel)" on every line).
    fn timeline_parts(t: &crate::book::TimelineItem, width: u16) -> (String, String, String) {
        let by = t
            .csm
            .as_deref()
            .map(|c| match width < 80 {
                true => format!(" ({})", initials(c)),
                false => format!("  ({c})"),
            })
            .unwrap_or_default();
        (format!("{}  ", t.day), format!("{:<10} ", t.kind), by)
    }

    /// One line per entry; a text too long for `width` is cut before who wrote it rather than
    /// after (on a team book, the signature is what tells the members' entries apart).
    fn timeline_lines(&self, theme: &Theme, width: u16) -> Vec<Line<'static>> {
        self.detail
            .timeline
            .iter()
            .map(|t| {
                let (day, kind, by) = Self::timeline_parts(t, width);
                let text = crate::text::truncate(&crate::text::one_line(&t.text), Self::timeline_room(t, width));
                Line::from(vec![
                    Span::styled(day, theme.dim()),
                    Span::raw(kind),
                    Span::raw(text),
                    Span::styled(by, theme.dim()),
                ])
            })
            .collect()
    }

    fn goal_lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        self.detail
            .goals
            .iter()
            .map(|g| {
                // The day it is due by before the words, which a narrow screen cuts (a probe's
                // read "by 2027-03-3…" at 60 columns).
                // Still open past its day, said in the colour of a goal off track: a probe's
                // "on track  by 2026-12-09" read a week after it as nothing wrong.
                let past = g.days_past_target(self.detail.as_of);
                let target = match (g.target_date, past) {
                    (Some(d), Some(days)) => format!("by {d} ({days}d past)  "),
                    (Some(d), None) => format!("by {d}  "),
                    (None, _) => String::new(),
                };
                let target_style = match past {
                    Some(_) => goal_style(crate::domain::goal::GoalStatus::OffTrack, theme),
                    None => theme.dim(),
                };
                Line::from(vec![
                    Span::styled(format!("{:<10}", g.status.label()), goal_style(g.status, theme)),
                    Span::styled(target, target_style),
                    Span::raw(format!("\"{}\"", g.words)),
                    Span::styled(format!(" · {} owns it", g.owner.key()), theme.dim()),
                ])
            })
            .collect()
    }

    fn journey_lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        let as_of = self.detail.as_of;
        // A lost customer's journey goes no further: what is not done is no longer due (and
        // counts nowhere: Triage and the lists leave churned accounts out).
        let churned = self.detail.account.status == crate::domain::AccountStatus::Churned;
        self.detail
            .milestones
            .iter()
            .map(|m| {
                let state = m.state_on(as_of);
                if churned && state != MilestoneState::Done {
                    return Line::styled(
                        format!(
                            "{:<8} {:<11}{:<22} no longer due ({})",
                            "churned",
                            crate::text::clean(&m.journey),
                            m.name,
                            m.due
                        ),
                        theme.dim(),
                    );
                }
                let when = match (state, m.done) {
                    (MilestoneState::Done, Some(done)) => format!("done {done}"),
                    (MilestoneState::Overdue, _) => format!("due {} ({}d late)", m.due, (as_of - m.due).num_days()),
                    _ => format!("due {}", m.due),
                };
                let style = match state {
                    MilestoneState::Done => theme.band(Some(HealthBand::Green)),
                    MilestoneState::Due => Style::default(),
                    MilestoneState::Overdue => theme.band(Some(HealthBand::Red)),
                };
                Line::from(vec![
                    Span::styled(format!("{:<8} ", state.label()), style),
                    Span::raw(format!("{:<11}", crate::text::clean(&m.journey))),
                    Span::raw(format!("{:<22} ", m.name)),
                    Span::styled(when, theme.dim()),
                ])
            })
            .collect()
    }

    /// Open tasks first (late in red, due today in orange), then the closed ones, dimmed. A
    /// title takes the room the state and the owner leave (at least 20 columns, the titles
    /// aligned), not a fixed 32 on a wide screen.
    fn task_lines(&self, theme: &Theme, width: u16) -> Vec<Line<'static>> {
        let as_of = self.detail.as_of;
        let tail = |t: &crate::store::tasks::TaskRecord| {
            let owner = t.owner.as_deref().map(|o| format!("  {o}")).unwrap_or_default();
            let from = if t.playbook.is_empty() { String::new() } else { format!("  ({})", t.playbook) };
            format!("{owner}{from}")
        };
        let tails = self.detail.tasks.iter().map(|t| crate::text::width(&tail(t))).max().unwrap_or(0);
        let longest = self.detail.tasks.iter().map(|t| crate::text::width(&crate::text::one_line(&t.title))).max();
        let room = usize::from(width).saturating_sub(17 + tails);
        let column = longest.unwrap_or(0).min(room).max(20);
        self.detail
            .tasks
            .iter()
            .map(|t| {
                let style = match (t.status, TaskDue::of(t.due, as_of)) {
                    (TaskStatus::Open, _) if t.account_churned => theme.dim(),
                    (TaskStatus::Open, TaskDue::Overdue) => theme.band(Some(HealthBand::Red)),
                    (TaskStatus::Open, TaskDue::Today) => theme.band(Some(HealthBand::Orange)),
                    (TaskStatus::Open, TaskDue::Later) => Style::default(),
                    _ => theme.dim(),
                };
                let title = crate::text::one_line(&t.title);
                Line::from(vec![
                    Span::styled(format!("{:<16} ", task_state(t, as_of)), style),
                    Span::raw(crate::text::pad(&title, column)),
                    Span::styled(tail(t), theme.dim()),
                ])
            })
            .collect()
    }

    /// The people there first, by role; who left, dimmed. A champion or sponsor who left is red.
    fn people_lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        use crate::domain::contact::{ContactRole, ContactStatus};
        let state = |c: &crate::store::contacts::ContactRecord| match (c.status, c.left_on) {
            (ContactStatus::Left, d) => format!("left {}", d.map(|d| d.to_string()).unwrap_or_default()),
            _ => String::new(),
        };
        // Columns as wide as this account's people need (at most a name's 24), so that a title
        // and an email still show at 60 columns.
        let widest = |f: &dyn Fn(&crate::store::contacts::ContactRecord) -> usize| {
            self.detail.contacts.iter().map(f).max().unwrap_or(0)
        };
        let role_width = widest(&|c| c.role.map_or(0, |r| r.label().len()));
        let name_width = widest(&|c| crate::text::width(&c.name)).min(24);
        let state_width = widest(&|c| state(c).len());
        let column = |text: String, width: usize| match width {
            0 => String::new(),
            w => format!("{} ", crate::text::pad(&text, w)),
        };
        self.detail
            .contacts
            .iter()
            .map(|c| {
                let key = matches!(c.role, Some(ContactRole::Champion | ContactRole::ExecutiveSponsor));
                let style = match c.status {
                    ContactStatus::Left if key => theme.band(Some(HealthBand::Red)),
                    ContactStatus::Left => theme.dim(),
                    _ => Style::default(),
                };
                let role = c.role.map_or("", |r| r.label()).to_string();
                let extra =
                    [c.title.as_str(), c.email.as_str()].into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>();
                Line::from(vec![
                    Span::styled(column(role, role_width), if key { theme.title() } else { Style::default() }),
                    Span::raw(column(c.name.clone(), name_width)),
                    Span::styled(column(state(c), state_width), style),
                    Span::styled(extra.join(" · "), theme.dim()),
                ])
            })
            .collect()
    }

    fn header(&self, theme: &Theme, width: u16) -> Vec<Line<'static>> {
        let d = &self.detail;
        let a = &d.account;
        let mut out = Vec::new();
        // The external id whole (commands take it): a name too long for both ends in "…".
        // Not when it is the name (a file without an id column): "Acme Analytics  Acme Analytics".
        let id = match a.external_id == a.name {
            true => String::new(),
            false => format!("  {}", a.external_id),
        };
        let name_room = usize::from(width).saturating_sub(crate::text::width(&id)).max(12);
        out.push(Line::from(vec![
            Span::styled(crate::text::fit(&a.name, name_room).into_owned(), theme.title()),
            Span::styled(id, theme.dim()),
        ]));
        // The renewal right after the CSM: on a narrow screen the line is cut at its end, and a
        // renewal passed must not be what is cut.
        let renewal = match (a.status, a.renewal_date) {
            (AccountStatus::Churned, _) => match a.churned_on {
                Some(day) => format!("churned {day}"),
                None => "churned".into(),
            },
            (_, Some(r)) if r < d.as_of => format!("renewal {r} passed ({}d ago)", (d.as_of - r).num_days()),
            (_, Some(r)) => format!("renews {r} ({}d)", (r - d.as_of).num_days()),
            (_, None) => "no renewal date".into(),
        };
        let arr = |full: bool| match (a.arr.on_record(), full) {
            // A blank in the CRM is kept as 0: said as what it is, not as a customer paying $0.
            (None, _) => "no ARR".to_string(),
            (Some(arr), true) => format!("{} ARR", arr.full(&a.currency)),
            (Some(arr), false) => format!("{} ARR", arr.compact(&a.currency)),
        };
        let plan = a.plan.as_ref().map(|p| format!("plan {p}"));
        let facts = |full: bool| {
            vec![
                format!("CSM {}", a.csm.as_deref().unwrap_or("unassigned")),
                renewal.clone(),
                // The ARR and the segment go together: a segment alone on a line says nothing.
                format!("{} · {}", arr(full), d.segment),
            ]
        };
        let room = usize::from(width);
        let fits = |facts: &[String]| crate::text::width(&facts.join(" · ")) <= room;
        // Each fact whole on a line, the lines as many as it takes (a plan of many words wraps
        // at its spaces, "plan" kept with its first word).
        let wrapped = |facts: &[String], glue_all: bool| -> Vec<String> {
            let glued: Vec<String> = facts
                .iter()
                .map(|f| match f.strip_prefix("plan ") {
                    Some(name) if !glue_all => format!("plan\u{a0}{name}"),
                    _ => f.replace(' ', "\u{a0}"),
                })
                .collect();
            crate::text::wrap_glued(&glued.join(" · "), room)
        };
        // One line if it fits, with the ARR in full, else in short; else the plan goes below
        // and the facts wrap whole.
        let with_plan = |mut facts: Vec<String>| {
            facts.extend(plan.clone());
            facts
        };
        let (lines, plan_below) = match [with_plan(facts(true)), with_plan(facts(false))].into_iter().find(|f| fits(f))
        {
            Some(line) => (vec![line.join(" · ")], false),
            None => (wrapped(&facts(false), true), plan.is_some()),
        };
        out.extend(lines.into_iter().map(Line::from));
        let mut more: Vec<String> = plan.clone().filter(|_| plan_below).into_iter().collect();
        if let Some(since) = a.customer_since {
            more.push(format!("customer since {since}"));
        }
        more.push(format!("stage {}", a.stage.key()));
        more.push(a.status.on(a.renewal_date, d.as_of).key().to_string());
        if !fits(&more) {
            // Narrow: "since" says it.
            if let Some(since) = more.iter_mut().find(|m| m.starts_with("customer since ")) {
                *since = since.replacen("customer since ", "since ", 1);
            }
        }
        let more = if fits(&more) { vec![more.join(" · ")] } else { wrapped(&more, false) };
        out.extend(more.into_iter().map(|l| Line::styled(l, theme.dim())));
        // The file's own columns ("Region EMEA · Industry Retail"): one line, cut with "…" where
        // they do not all fit (`tend export accounts` has them whole).
        if !d.attributes.is_empty() {
            let kept: Vec<String> = d.attributes.iter().map(|(k, v)| format!("{k} {v}")).collect();
            out.push(Line::styled(crate::text::fit(&kept.join(" · "), room).into_owned(), theme.dim()));
        }
        // The account's notes (a sheet's Notes column), on one line, cut with "…" (`tend export
        // accounts` has them whole): imported, they were on no screen.
        let notes = crate::text::one_line(a.notes.trim());
        if !notes.is_empty() {
            let whole = format!("Notes: {notes}");
            // Cut, they say where they are read whole: Enter on the Health tab.
            let line = match crate::text::width(&whole) > room && self.tab == AccountTab::Health {
                true => format!("Notes (Enter): {notes}"),
                false => whole,
            };
            out.push(Line::styled(crate::text::fit(&line, room).into_owned(), theme.dim()));
        }
        out.push(self.headline(&d.health, theme, width));
        out
    }

    fn health_lines(&self, width: u16, theme: &Theme) -> Vec<Line<'static>> {
        let d = &self.detail;
        let h = &d.health;
        let mut out = Vec::new();
        // Thresholds need 120 columns; between 100 and 120 the trend gets the room instead.
        let wide = width >= 120;
        out.extend(self.mover_lines(width, theme));
        // Above the table whose heading names the book's newest day: a probe read "Factor, data
        // to 12-06" over a usage feed that ended 11-22, the line saying so two screens down.
        out.extend(quiet_line(d, h, theme));
        let spark = match width {
            120.. => 16,
            100..120 => 24,
            _ => 7,
        };
        // Below 80 columns the weight, share and trend give way (the chart below has the trend),
        // so each factor keeps one line.
        let narrow = width < 80;
        // Usage factors count to the data's last day, not today: two probes read "Days since
        // login 0d" on data three weeks old as a login today. The heading says the day, in the
        // room of the Factor column and the Value column's padding.
        let factor = match d.data_through.filter(|day| *day < d.as_of) {
            Some(day)
                if h.factors
                    .iter()
                    .any(|f| matches!(d.catalog.def(f.id).source, crate::domain::catalog::Source::Metric { .. })) =>
            {
                format!("{:<21}", format!("Factor, data to {}", day.format("%m-%d")))
            }
            _ => format!("{:<20} ", "Factor"),
        };
        let mut header = if narrow {
            format!("{factor}{:>8}  {:<8} {:>6}  {:<10}", "Value", "Points", "Adds", "Next point")
        } else {
            format!(
                "{factor}{:>8}  {:<8} {:>6} {:>6} {:>6}  {:<10} {:<spark$}",
                "Value",
                "Points",
                "Weight",
                "Share",
                "Adds",
                "Next point",
                // Every trend is drawn with up as better (`trend::sparkline`).
                if spark >= 14 { "Trend ↑ better" } else { "Trend" }
            )
        };
        if wide {
            header.push_str(" Thresholds for 2, 3, 4 points");
        }
        out.push(Line::styled(header, theme.header()));
        // A candidate without data says nothing (and pushed "not enough data for a score" below
        // the fold at 80x24).
        for f in h.factors.iter().filter(|f| f.rule.weight > 0.0 || f.raw.is_some()) {
            let def = d.catalog.def(f.id);
            if f.rule.weight <= 0.0 {
                out.push(candidate_line(f, def, theme, d.collapse.contains(&f.id), narrow));
                continue;
            }
            let (line, _) =
                trend::sparkline(&d.series, f.id, d.history_from, d.as_of, spark, (f.rule.better, f.rule.thresholds));
            let spark = if narrow { None } else { Some(line.as_str()) };
            let data = DataState::of(d, f, def);
            out.push(factor_line(f, def, theme, wide, spark, &data, h.score.is_some()));
        }
        out.push(Line::default());
        out.extend(summary(d, h, theme, narrow));
        out.push(Line::default());
        // The chart's window, from and to ("since" read as when the score began); the legend only
        // over a chart.
        if d.series.iter().any(|(_, _, h)| h.score.is_some()) {
            out.push(Line::styled(
                format!("Score {} to {} (dotted: where Green, Yellow and Orange begin)", d.history_from, d.as_of),
                theme.header(),
            ));
            out.extend(trend::score_chart(&d.series, d.history_from, d.as_of, &d.cutoffs, width.min(120), 9, theme));
        } else {
            out.push(Line::styled(format!("Score {} to {}", d.history_from, d.as_of), theme.header()));
            out.push(Line::styled("No score on any day of the window yet.", theme.dim()));
        }
        out
    }

    /// "Moved" lines: the change over each window and the factor behind it.
    fn mover_lines(&self, width: u16, theme: &Theme) -> Vec<Line<'static>> {
        let d = &self.detail;
        // Windows whose start had no score compare from the same first score: said once, and not
        // at all where the shorter window before says the same change.
        let mut comparable: Vec<_> = d.movers.iter().filter(|m| m.delta().is_some()).collect();
        comparable.dedup_by(|m, before| {
            m.first_score_days.is_some()
                && (m.first_score_days == before.first_score_days || m.delta() == before.delta())
        });
        // A long change (a profile's end beside the factor that moved) wraps under itself, not
        // under "Moved".
        let room = usize::from(width).saturating_sub(9).max(20);
        let mut out: Vec<Line<'static>> = Vec::new();
        for (i, m) in comparable.iter().enumerate() {
            let style = match m.delta() {
                Some(x) if x <= -5 => theme.band(Some(HealthBand::Red)),
                Some(x) if x >= 5 => theme.band(Some(HealthBand::Green)),
                _ => Style::default(),
            };
            let said = m.describe_with_first_data(&d.catalog);
            for (j, text) in crate::text::wrap_all(&said, room).into_iter().enumerate() {
                let lead = match (i, j) {
                    (0, 0) => "Moved  ",
                    (_, 0) => "       ",
                    _ => "         ",
                };
                out.push(Line::from(vec![Span::styled(lead, theme.header()), Span::styled(text, style)]));
            }
        }
        if out.is_empty() {
            // A score then and none now is no "no earlier score" (a probe's account, its new
            // customers' score ended, read that under a chart drawn at 57).
            let lost = d.movers.iter().filter(|m| m.after.is_none()).find_map(|m| Some((m.before?, m.window_days)));
            let said = match lost {
                Some((score, days)) => format!("Moved: no score now to compare (it was {score}, {days} days ago)."),
                None => "Moved: no earlier score to compare with yet.".to_string(),
            };
            out.push(Line::styled(said, theme.dim()));
        }
        // New data is news, not movement: said once, apart, never counted in a change. Each
        // factor under the shortest window it is new in.
        let mut named: Vec<FactorId> = Vec::new();
        let mut parts = Vec::new();
        let mut no_score_then = Vec::new();
        for m in &d.movers {
            let new: Vec<FactorId> = m.first_data_ids().filter(|id| !named.contains(id)).collect();
            if !new.is_empty() {
                let labels: Vec<&str> = new.iter().map(|id| d.catalog.label(*id)).collect();
                // A window with no score at its start has no change at all: its new data is why,
                // not a note beside a move (a probe read "Moved -9 in 7 days: Usage growth (MoM)
                // -41%" over "First data, not read as a move: Usage growth (MoM) (in the last
                // 30 days)" as the screen contradicting itself).
                match m.before {
                    None if m.delta().is_none() => no_score_then.push(format!(
                        "No score {} days ago: the data of {} began since, so there is no {}-day change.",
                        m.window_days,
                        labels.join(", "),
                        m.window_days
                    )),
                    _ => parts.push(format!("{} (in the last {} days)", labels.join(", "), m.window_days)),
                }
                named.extend(new);
            }
        }
        if !parts.is_empty() {
            // Said as what it is: "First data: Support tickets (last 90 days)" was a riddle to
            // a probe.
            out.push(Line::styled(format!("First data, not read as a move: {}", parts.join("; ")), theme.dim()));
        }
        out.extend(no_score_then.into_iter().map(|said| Line::styled(said, theme.dim())));
        out
    }

    fn headline(&self, h: &HealthScore, theme: &Theme, width: u16) -> Line<'static> {
        let d = &self.detail;
        let which = match h.kind {
            ScoreKind::Regular => "regular score".to_string(),
            ScoreKind::Jumpstart => {
                format!("jumpstart score, day {} of {}", d.age_days.unwrap_or(0) + 1, d.jumpstart_days)
            }
            ScoreKind::Profile(_) => format!("{} profile ({})", d.profile, d.segment),
        };
        match (h.score, h.band) {
            (Some(score), Some(band)) => {
                let mut spans = health_head(d, theme);
                // A thin score is marked as the lists mark it (`~`), and said.
                let thin = h.coverage.is_thin(d.min_coverage);
                spans.push(Span::styled(
                    format!(" {} {}{score} {} ", band.letter(), if thin { "~" } else { "" }, band.label()),
                    theme.band(Some(band)).patch(theme.selected()),
                ));
                let thin_said = if thin { ", thin data" } else { "" };
                let said = format!("  {which}{thin_said} · as of {}", d.as_of);
                let used: usize = spans.iter().map(|s| crate::text::width(&s.content)).sum();
                // Narrow, a regular score need not say so: the day it is as of is kept. Another
                // score's kind is kept, and the day gives way (the status line says it).
                // Narrower still, "thin data" goes too: the badge's `~` says it.
                let fits = |s: &str| used + crate::text::width(s) <= usize::from(width);
                let said = match h.kind {
                    _ if fits(&said) => said,
                    ScoreKind::Regular => format!("  {}as of {}", if thin { "thin data · " } else { "" }, d.as_of),
                    _ if fits(&format!("  {which}{thin_said}")) => format!("  {which}{thin_said}"),
                    _ => format!("  {which}"),
                };
                spans.push(Span::styled(said, theme.dim()));
                Line::from(spans)
            }
            _ => {
                let (label, why) = if h.not_enough_data() {
                    // The minimum it falls short of is spelled out under the factors.
                    ("not enough data", format!("{}% of the weight has data", h.coverage.percent()))
                } else if h.not_yet_customer {
                    ("no score", "not a customer yet on this day".to_string())
                } else if h.factors.iter().any(|f| f.raw.is_some()) {
                    // Only tend's own bookkeeping (planned milestones, goals) has values: no
                    // evidence of health, so no score, though the table lists their points.
                    ("no score", "only milestones or goals so far, no evidence of health".to_string())
                } else {
                    ("no score", "no data for any factor yet".to_string())
                };
                // Which score it will have, where not the regular one: a probe's new customer
                // listed other factors than the rest with no word of why (its jumpstart score).
                let which = match h.kind {
                    ScoreKind::Regular => String::new(),
                    _ => format!(" · {which}"),
                };
                // Narrow, the day gives way (the status line says it) rather than be cut, then
                // the score's kind (its factors say it).
                let fits = |s: &str| crate::text::width(s) + label.len() + "Health ".len() <= usize::from(width);
                let said = [format!("  {why}{which} · as of {}", d.as_of), format!("  {why}{which}")]
                    .into_iter()
                    .find(|s| fits(s))
                    .unwrap_or_else(|| format!("  {why}"));
                let mut spans = health_head(d, theme);
                spans.push(Span::styled(label, theme.dim().patch(theme.selected())));
                spans.push(Span::styled(said, theme.dim()));
                Line::from(spans)
            }
        }
    }
}

/// Why an account has no score, in a sentence.
fn no_score_reason(d: &AccountDetail, h: &HealthScore) -> String {
    if h.not_yet_customer {
        let since = d.account.customer_since.map_or_else(String::new, |s| format!(" (customer since {s})"));
        return format!("Not a customer yet on {}{since}: nothing to score.", d.as_of);
    }
    if h.not_enough_data() {
        // The bookkeeping factors of this account's profile, by name: a new customer's profile
        // has no goals factor, and "goals count in a score" was said of it (a probe's goal at
        // risk then moved nothing).
        let bookkeeping: Vec<&str> = h
            .factors
            .iter()
            .filter(|f| f.rule.bookkeeping && f.rule.weight > 0.0)
            .map(|f| d.catalog.label(f.id))
            .collect();
        let counted = match bookkeeping.as_slice() {
            [] => String::new(),
            [one] => format!(" {one} counts in a score but not toward that share (tend's bookkeeping, not evidence)."),
            [many @ .., last] => format!(
                " {} and {last} count in a score but not toward that share (tend's bookkeeping, not evidence).",
                many.join(", ")
            ),
        };
        return format!(
            "Not enough data for a score (not Red): {}; {:.0}% is needed (health.min_coverage).{counted}{}",
            h.coverage.describe(),
            d.min_coverage * 100.0,
            to_get_a_score(d, h)
        );
    }
    // Only tend's own bookkeeping (milestones, goals) has values, listed with their points above:
    // said by name, not as "no factor has data" under a factor that has.
    let kept: Vec<&str> = h.factors.iter().filter(|f| f.raw.is_some()).map(|f| d.catalog.label(f.id)).collect();
    match kept.as_slice() {
        // With what would give it one: a probe's account with nothing at all was told no more.
        [] => format!("No factor of this score has data, so there is no score (not Red).{}", to_get_a_score(d, h)),
        kept => format!(
            "Only {} {} so far, no evidence of health (usage, sentiment, touches): no score yet (not Red).",
            kept.join(" and "),
            if kept.len() == 1 { "has a value" } else { "have values" }
        ),
    }
}

/// What would give an account too thin for a score one: the evidence factors without data that
/// would each be enough alone, else the heaviest of them (a probe had to piece it together from
/// each row's "no … samples for it"). Empty where no factor lacks data.
fn to_get_a_score(d: &AccountDetail, h: &HealthScore) -> String {
    // Not a factor over days gone by that the data does not reach: no file to come brings those
    // (a probe was told data for Days to first login would be enough, under "data begins later:
    // left out").
    let gone_by =
        |f: &crate::domain::scoring::FactorScore| d.missing[f.id.index()].as_ref().is_some_and(|m| m.before_the_data());
    let evidence = |f: &&crate::domain::scoring::FactorScore| !f.rule.bookkeeping && f.rule.weight > 0.0 && !gone_by(f);
    let mut lacking: Vec<&crate::domain::scoring::FactorScore> = h.missing().filter(evidence).collect();
    lacking.sort_by(|a, b| b.rule.weight.total_cmp(&a.rule.weight));
    let enough = |f: &&crate::domain::scoring::FactorScore| h.enough_with_data_for(f.id, d.min_coverage);
    let named = |fs: &[&crate::domain::scoring::FactorScore]| {
        fs.iter().map(|f| format!("{} (weight {})", d.catalog.label(f.id), f.rule.weight)).collect::<Vec<_>>()
    };
    let alone: Vec<&crate::domain::scoring::FactorScore> = lacking.iter().copied().filter(enough).take(3).collect();
    // A book with no usage data at all: what it names is data the book has never had. The two
    // ways out are said (a probe's founder, with only what she logged, could never reach a score,
    // and was pointed at usage factors alone).
    let usage = |f: &&crate::domain::scoring::FactorScore| {
        matches!(d.catalog.def(f.id).source, crate::domain::catalog::Source::Metric { .. })
    };
    let no_usage = match d.data_through.is_none() && lacking.iter().take(3).any(usage) {
        true => " The book has no usage data yet: `tend import metrics FILE` brings it, or weigh the usage factors 0 \
                 (Scoring, 6) to score on what is logged."
            .to_string(),
        false => String::new(),
    };
    match (alone.as_slice(), lacking.as_slice()) {
        (_, []) => String::new(),
        ([], heaviest) => format!(
            " To get one: data for more of the factors without any, the heaviest first: {}.{no_usage}",
            named(&heaviest[..heaviest.len().min(3)]).join(", ")
        ),
        (one, _) => format!(" To get one: data for {} would be enough alone.{no_usage}", named(one).join(" or ")),
    }
}

/// Where `lines` lines are shown in `area`: all of it when they fit, else all but its last row,
/// which says there is more (rather than the hint hiding the end of a line).
fn below_is_hint(lines: usize, area: Rect) -> Rect {
    match lines > area.height as usize && area.height > 2 {
        true => Rect { height: area.height - 1, ..area },
        false => area,
    }
}

/// Say so when there is more below, since the view has no scrollbar.
fn more_hint(more: bool, area: Rect, buf: &mut Buffer, theme: &Theme) {
    if more && area.height > 0 && area.width > 12 {
        let hint = " ↓ more (j) ";
        let x = area.right() - hint.chars().count() as u16;
        buf.set_string(x, area.bottom() - 1, hint, theme.selected());
    }
}

/// "3 days late", "due today", "due Fri 12-04", "done 11-28", "dropped 11-28".
fn task_state(t: &crate::store::TaskRecord, as_of: chrono::NaiveDate) -> String {
    match (t.status, t.closed_on) {
        (TaskStatus::Open, _) if t.account_churned => "churned: not due".to_string(),
        (TaskStatus::Open, _) => match TaskDue::of(t.due, as_of) {
            TaskDue::Later => format!("due {}", t.due.format("%a %m-%d")),
            _ => crate::domain::task::due_phrase(t.due, as_of),
        },
        (status, Some(day)) => format!("{} {}", status.key(), day.format("%m-%d")),
        (status, None) => status.key().to_string(),
    }
}

fn goal_style(status: GoalStatus, theme: &Theme) -> Style {
    match status {
        GoalStatus::OnTrack | GoalStatus::Achieved => theme.band(Some(HealthBand::Green)),
        GoalStatus::AtRisk => theme.band(Some(HealthBand::Yellow)),
        GoalStatus::OffTrack => theme.band(Some(HealthBand::Red)),
        GoalStatus::Dropped => theme.dim(),
    }
}

fn points_bar(points: u8) -> String {
    format!("{}{} {points}", "■".repeat(points as usize), "□".repeat(4 - points as usize))
}

/// What a factor's line says of its data: how stale it is, and why it has no points (in full and
/// in the fewer words of a line below 80 columns) when it has none.
struct DataState {
    /// How old the data is where that is past `stale_after_days` (`stale_age`), with a value or
    /// without.
    stale: Option<i64>,
    full: String,
    short: String,
    /// Data that stopped coming, rather than none: said without "missing".
    stopped: bool,
}

impl DataState {
    fn of(d: &AccountDetail, f: &FactorScore, def: &FactorDef) -> DataState {
        let stale = stale_age(d, f);
        use crate::domain::catalog::{Source, Transform};
        let said = |full: &str, short: &str| DataState {
            stale,
            full: full.to_string(),
            short: short.to_string(),
            stopped: false,
        };
        use crate::domain::signals::Missing;
        match (&def.source, &def.transform) {
            // A factor over milestones with a plan all ahead has no value yet.
            (Source::Milestones, _) if !d.milestones.is_empty() => said("none due yet", "none due yet"),
            // Goals all at the "on track" they were set with, for less than a month: no news yet.
            (Source::Goals, _) if d.goals.iter().any(|g| !g.fact().reviewed_on(d.as_of)) => {
                said("set on track under a month ago", "set lately")
            }
            // The days to a first use not made yet: at least this many, maybe more.
            (_, Transform::DaysToFirst) if f.at_least && f.raw.is_some() => said("none yet", "none yet"),
            // Days since a use its data holds none of: at least this many, maybe more (a probe read
            // "none logged in tend yet" of logins its usage feed counts, as if to log them).
            (Source::Metric { .. }, _) if f.at_least && f.raw.is_some() => said("no use in its data yet", "no use yet"),
            // Days since a touch none has been logged of: at least this many, maybe more.
            _ if f.at_least && f.raw.is_some() => said("none logged in tend yet", "none logged yet"),
            _ => match &d.missing[f.id.index()] {
                // A feed that stopped: its samples too old to count, not data never imported.
                Some(Missing::Stopped(age)) => DataState {
                    stale,
                    full: format!("last data {age}d before the rest"),
                    short: format!("{age}d behind the rest"),
                    stopped: true,
                },
                // The data is there; what it is compared with is not (an account with usage and
                // no expected usage read "last data 0d before the rest").
                Some(Missing::NoValueOf(other)) => {
                    let name = match other {
                        Source::Field(field) => field.key().replace('_', " "),
                        other => other.spec(),
                    };
                    said(&format!("no {name} on the account"), &format!("no {name}"))
                }
                // A feed that stopped before it had a month to compare: what matters is that it
                // stopped (Triage says "stale"), not that it is new.
                Some(Missing::NothingBefore(days)) if let Some(age) = stale => DataState {
                    stale,
                    full: format!("last data {age}d before the rest, none {days} days before it"),
                    short: format!("{age}d behind the rest"),
                    stopped: true,
                },
                Some(Missing::NothingBefore(days)) => {
                    // The data is new, not the customer (a probe's customer since 2023 read "too new").
                    said(&format!("no data {days} days before to compare with"), "data too new")
                }
                // "+∞%" says nothing: the rise is there to see on the trend.
                Some(Missing::RiseFromNothing) => said("up from 0, which has no percent", "up from 0"),
                Some(Missing::OnlyBeforeStart) => {
                    said("its samples are all from before it became a customer", "samples predate its start")
                }
                Some(Missing::UsedBeforeData) => {
                    said("in use from the first data, which begins after its start", "data begins later")
                }
                // The feed began after those days: how they went is not known, not none.
                Some(Missing::NothingInFirstDays(days)) => {
                    said(&format!("the data begins after its first {days} days"), "data begins later")
                }
                // No data at all, said by what would bring it.
                None => match &def.source {
                    Source::Log(_) | Source::Responses { .. } | Source::TouchWith(_) => {
                        said("none logged yet", "none logged yet")
                    }
                    Source::Goals => said("no goals set", "no goals set"),
                    // No journey planned for it (a customer from before the book's journeys).
                    Source::Milestones => said("no milestones", "no milestones"),
                    Source::Contacts => said("no people added", "no people"),
                    Source::Metric { name, .. } => {
                        said(&format!("no \"{}\" samples for it", crate::text::clean(name)), "no samples")
                    }
                    _ => said("no data", "no data"),
                },
            },
        }
    }
}

/// A candidate factor's line: computed and shown, tested by the back-test, but not in the score.
/// One Triage names at its worst (`triage_names_it`) says so: a probe's Triage led with "Active
/// users w/w -100%", which this line said was in no score.
fn candidate_line(
    f: &FactorScore,
    def: &FactorDef,
    theme: &Theme,
    triage_names_it: bool,
    narrow: bool,
) -> Line<'static> {
    let text = match f.raw.zip(f.points) {
        // Within 80 columns ("...; Triage names it at its worst" wrapped to an orphan line).
        // No use last week and none this week is no collapse: Triage does not name it.
        Some((raw, points)) => format!(
            "{:<20} {:>8}  {:<8} {}",
            def.label,
            def.format_scored(raw, f.at_least, f.no_use),
            points_bar(points),
            // Below 80 columns in the room the Adds and Next point columns have: "weight 0, not
            // scored" wrapped to the line's start at 60 (a probe's table broke there).
            // Only where it is at its worst, as Triage then names it: a probe read "Triage names it"
            // on a flat "+0%" as the reason the account was listed.
            match (triage_names_it && !f.no_use && points <= 1, narrow) {
                (true, false) => "weight 0, not scored; Triage names it",
                (true, true) => "weight 0; in Triage",
                // Said as the line Triage names is, less what Triage does (a probe read the two
                // ways of saying it as two kinds of factor).
                (false, false) => "weight 0, not scored",
                (false, true) => "weight 0, no score",
            }
        ),
        None => format!("{:<20} {:>8}  weight 0, not scored; no data", def.label, "—"),
    };
    Line::styled(text, theme.dim())
}

/// One factor's line; `spark` is its trend, left out (with the weight and share) when narrow.
fn factor_line(
    f: &FactorScore,
    def: &FactorDef,
    theme: &Theme,
    wide: bool,
    spark: Option<&str>,
    data: &DataState,
    scored: bool,
) -> Line<'static> {
    let rule = f.rule;
    let thresholds = {
        let sign = rule.better.sign();
        let [two, three, four] = rule.values_for_points().map(|v| def.format_value(v));
        format!(" {sign}{two}  {sign}{three}  {sign}{four}")
    };
    let shown = |raw: f64| def.format_shown(raw, f.at_least);
    let Some((raw, points)) = f.raw.zip(f.points) else {
        // A lower bound that could earn other points is shown, and why it is left out.
        let value = f.raw.filter(|_| f.at_least).map_or_else(|| "—".to_string(), shown);
        // Narrow (no trend), the words fit the line rather than wrap under the factor's name.
        let at_least = f.at_least && f.raw.is_some();
        let mut s = match (spark, at_least) {
            // Optional evidence missing takes nothing from the evidence a score needs: said so,
            // as that is what sets it apart from the missing factors that do.
            (Some(_), false) if def.optional => {
                format!("{:<20} {:>8}  {}: optional, left out", def.label, value, data.short)
            }
            // Narrow, in words that fit one line at 60 columns.
            (None, false) if def.optional => format!("{:<20} {:>8}  {} (optional)", def.label, value, data.short),
            // A lower bound is not missing data: said in fewer words, so that the line never wraps.
            (Some(_), true) => format!("{:<20} {:>8}  left out: {}", def.label, value, data.full),
            (None, true) => format!("{:<20} {:>8}  {}: left out", def.label, value, data.short),
            (Some(_), false) if data.stopped => {
                format!("{:<20} {:>8}  {}: left out", def.label, value, data.full)
            }
            // One wording for every factor without a value ("missing: no data, left out of the
            // blend" stood beside "none logged yet: left out" for the same thing).
            (Some(_), false) => format!("{:<20} {:>8}  {}: left out", def.label, value, data.full),
            (None, false) => format!("{:<20} {:>8}  {}: left out", def.label, value, data.short),
        };
        // Narrow, a line past 60 columns wrapped its "(optional)" under the factor's name (a
        // probe's "49d behind the rest (optional)"): the longest words give way to the fact.
        if spark.is_none() && def.optional && !at_least && crate::text::width(&s) > 60 {
            s = format!("{:<20} {:>8}  {}", def.label, value, data.short);
        }
        // The trend starts at column 73: words that would run into it (and wrap the line at 80
        // columns) give way to fewer.
        for fewer in [&data.full, &data.short] {
            if spark.is_some() && crate::text::width(&s) > 72 {
                s = format!("{:<20} {:>8}  {}: left out", def.label, value, fewer);
            }
        }
        if let Some(spark) = spark {
            s = format!("{s:<72} {spark}");
        }
        if wide {
            s.push_str(&thresholds);
        }
        return Line::styled(s, theme.dim());
    };
    let next_value = rule.value_for_points(points + 1).filter(|_| points < 4);
    // Stale data is said where the value is read, in place of the next point (what fresh data
    // would say matters more): "stale 115d".
    let next = match (data.stale, next_value) {
        // Out of the blend, which it would lift: the summary says why.
        _ if f.above_evidence && scored => "left out".to_string(),
        (Some(age), _) => format!("stale {age}d"),
        (None, Some(v)) => format!("{}{}", rule.better.sign(), def.format_value(v)),
        (None, None) => "top".to_string(),
    };
    // The value never reads the same as the next point's threshold beside it; a change between
    // two windows of no use reads as that, not as a flat "+0%".
    let value = match (next_value, f.at_least) {
        _ if f.no_use => "0 -> 0".to_string(),
        (_, true) => shown(raw),
        (Some(v), false) => def.unit.format_beside(raw, v),
        (None, false) => def.format_value(raw),
    };
    let band_style = match points {
        4 => theme.band(Some(HealthBand::Green)),
        3 => theme.band(Some(HealthBand::Yellow)),
        2 => theme.band(Some(HealthBand::Orange)),
        _ => theme.band(Some(HealthBand::Red)),
    };
    let mut spans = vec![
        Span::raw(format!("{:<20} {:>8}  ", def.label, value)),
        Span::styled(format!("{:<8}", points_bar(points)), band_style),
    ];
    // With no score there is no blend: a share and what it adds would be parts of a sum never
    // made ("Adds 33.3" beside "not enough data").
    let (share, adds) = match scored && !f.above_evidence {
        true => (format!("{:>5.0}%", f.share * 100.0), format!("{:>6.1}", f.contribution)),
        false => (format!("{:>6}", "-"), format!("{:>6}", "-")),
    };
    match spark {
        Some(spark) => {
            spans.push(Span::raw(format!(" {:>6} {share} {adds}  {:<10}", trim_number(rule.weight), next)));
            spans.push(Span::styled(format!(" {spark}"), theme.title()));
        }
        None => spans.push(Span::raw(format!(" {adds}  {next}"))),
    }
    if wide {
        spans.push(Span::styled(thresholds, theme.dim()));
    }
    Line::from(spans)
}

/// How many days old a factor's data is where that is past its `stale_after_days` (and its own
/// rhythm, `AccountDetail::slack`): for a metric, counted to the newest day of the book's usage
/// data (`AccountDetail::ages`).
fn stale_age(d: &AccountDetail, f: &FactorScore) -> Option<i64> {
    let (limit, age) = f.rule.stale_after_days.zip(d.ages[f.id.index()])?;
    (age > limit + d.slack[f.id.index()]).then_some(age)
}

/// "Stale, still counted: …" for the factors with a value whose data is stale, if any.
fn stale_line(d: &AccountDetail, h: &HealthScore, theme: &Theme) -> Option<Line<'static>> {
    let stale: Vec<String> = h
        .factors
        .iter()
        .filter(|f| f.raw.is_some())
        .filter_map(|f| {
            let age = stale_age(d, f)?;
            let def = d.catalog.def(f.id);
            let when = match def.source {
                crate::domain::catalog::Source::Metric { .. } => format!("last data {age} days before the rest"),
                _ => format!("last {age} days ago"),
            };
            let limit = f.rule.stale_after_days.unwrap_or_default();
            let after = match d.slack[f.id.index()] {
                0 => format!("stale after {limit}"),
                // Its samples come further apart than the rest's: said, or "51 days (stale after
                // 21)" reads as a rule broken.
                slack => format!("stale after {}, as its samples come further apart", limit + slack),
            };
            Some(format!("{} {when} ({after})", def.label))
        })
        .collect();
    (!stale.is_empty()).then(|| {
        Line::styled(format!("Stale, still counted: {}.", stale.join("; ")), theme.band(Some(HealthBand::Orange)))
    })
}

/// Factors whose feed has gone quiet beside the book's other data, with the day it ends on: their
/// values are as current as their feed, which the next export should have replaced (a probe back
/// from two weeks off read "Days since login 0d" on a usage export three weeks old, beside daily
/// tickets that kept the book's data current).
fn quiet_line(d: &AccountDetail, h: &HealthScore, theme: &Theme) -> Option<Line<'static>> {
    let mut by_day: Vec<(chrono::NaiveDate, Vec<String>)> = Vec::new();
    for f in h.factors.iter().filter(|f| f.raw.is_some() && f.rule.weight > 0.0) {
        let Some(day) = d.quiet[f.id.index()] else { continue };
        let label = d.catalog.def(f.id).label.clone();
        match by_day.iter_mut().find(|(d, _)| *d == day) {
            Some((_, labels)) => labels.push(label),
            None => by_day.push((day, vec![label])),
        }
    }
    by_day.sort_by_key(|(day, _)| *day);
    let said: Vec<String> = by_day
        .into_iter()
        .map(|(day, labels)| format!("{} (data to {day}, {} days ago)", labels.join(", "), (d.as_of - day).num_days()))
        .collect();
    (!said.is_empty()).then(|| {
        Line::styled(
            format!("Feed overdue for its next import, still counted: {}.", said.join("; ")),
            theme.band(Some(HealthBand::Orange)),
        )
    })
}

/// "Health ", and the band a CSM set by hand in force before the computed one, where there is one.
fn health_head(d: &AccountDetail, theme: &Theme) -> Vec<Span<'static>> {
    let mut spans = vec![Span::raw("Health ")];
    if let Some(o) = &d.band_override {
        spans.push(Span::styled(
            format!(" {}* {} ", o.band.letter(), o.band.label()),
            theme.band(Some(o.band)).patch(theme.selected()),
        ));
        spans.push(Span::raw(format!(" overridden until {}, computed ", o.expires_on)));
    }
    spans
}

/// Who overrode the band, when, until when and why.
fn override_line(d: &AccountDetail, theme: &Theme) -> Option<Line<'static>> {
    let o = d.band_override.as_ref()?;
    let by = o.csm.as_deref().map(|c| format!(" by {c}")).unwrap_or_default();
    Some(Line::from(vec![
        Span::raw("Overridden to "),
        Span::styled(format!("{} {}", o.band.letter(), o.band.label()), theme.band(Some(o.band))),
        Span::raw(format!("{by} on {} until {}: {}", o.set_on, o.expires_on, o.reason)),
    ]))
}

/// Data the account has that its score does not read, where that score is not the regular one
/// (a new customer's): a probe's $120k onboarding account had weekly active users, read "no data
/// for any factor yet", and nothing said the jumpstart score reads logins, not active users.
fn unread_line(d: &AccountDetail, h: &HealthScore, theme: &Theme) -> Option<Line<'static>> {
    if h.kind == ScoreKind::Regular {
        return None;
    }
    let read = |id: FactorId| h.factors.iter().any(|f| f.id == id && f.rule.weight > 0.0);
    let unread: Vec<String> = d
        .regular_weighed
        .iter()
        .copied()
        .filter(|id| !read(*id))
        .filter_map(|id| Some(format!("{} {}", d.catalog.label(id), d.catalog.format_value(id, d.values.get(id)?))))
        .take(3)
        .collect();
    if unread.is_empty() {
        return None;
    }
    let when = match h.kind {
        ScoreKind::Jumpstart => format!("the regular score reads them from day {}", d.jumpstart_days + 1),
        _ => "the regular score reads them".to_string(),
    };
    Some(Line::styled(format!("Not in this score: {} ({when}).", unread.join(", ")), theme.dim()))
}

fn summary(d: &AccountDetail, h: &HealthScore, theme: &Theme, narrow: bool) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let (Some(score), Some(band)) = (h.score, h.band) else {
        out.push(Line::from(no_score_reason(d, h)));
        out.extend(unread_line(d, h, theme));
        out.extend(stale_line(d, h, theme));
        // A CSM may know the band before the data does: the override is in force, and said.
        out.extend(override_line(d, theme));
        return out;
    };
    let cutoffs = &d.cutoffs;
    let by_score = cutoffs.band_for(score);
    let (lo, hi) = cutoffs.range_of(by_score);
    // To one decimal, unless that reads as rounding the other way: 31.48 shown "31.5 → 31" read
    // as a mistake (a probe's), so a sum near a half keeps two.
    let exact = match format!("{:.1}", h.exact) {
        // Cut, not rounded, at two: 31.496 reads 31.49, never 31.50.
        one if one.ends_with(".5") => format!("{:.2}", (h.exact * 100.0).floor() / 100.0),
        one => one,
    };
    out.push(Line::from(vec![
        Span::raw(format!("Adds up to {exact} of 100 → {score} → ")),
        Span::styled(format!("{} {}", by_score.letter(), by_score.label()), theme.band(Some(by_score))),
        Span::raw(format!(" ({lo}-{hi})")),
    ]));
    // Milestones and goals count in the score but are tend's own bookkeeping, not evidence. Both
    // limits are said: a share above the minimum can still be thin.
    let needed = format!("a score needs {:.0}%", d.min_coverage * 100.0);
    let thin_below = crate::domain::scoring::Coverage::thin_below(d.min_coverage);
    let verdict = match (h.coverage.is_thin(d.min_coverage), h.coverage.percent()) {
        (true, _) => format!(": thin (~); {needed}, {thin_below}% for more than thin"),
        (false, 100) => String::new(),
        (false, _) => format!(" ({needed}, {thin_below}% for more than thin)"),
    };
    out.push(Line::from(format!("Evidence: {}{verdict}", h.coverage.describe())));
    out.extend(override_line(d, theme));
    if let Some(id) = h.capped_by {
        let points = h.factors.iter().find(|f| f.id == id).and_then(|f| f.points).unwrap_or(1);
        out.push(Line::from(vec![
            Span::raw("Capped at "),
            Span::styled(format!("{} {}", band.letter(), band.label()), theme.band(Some(band))),
            Span::raw(format!(
                ": {} is critical and at {points} point{}.",
                d.catalog.label(id),
                if points == 1 { "" } else { "s" }
            )),
        ]));
    }
    let drag_settled = h.biggest_drag().is_some_and(|drag| d.settled.contains(&drag.id));
    if let Some(drag) = h.biggest_drag() {
        out.push(Line::from(format!(
            "Biggest drag: {} ({}), {:.1} points short of its best{}.",
            d.catalog.label(drag.id),
            drag.raw.map(|v| d.catalog.format_value(drag.id, v)).unwrap_or_default(),
            drag.shortfall,
            if drag_settled { ", settled in its first days: nothing to change now" } else { "" }
        )));
    }
    match (&d.lift, band) {
        (Some(lift), _) => out.push(Line::from(vec![
            Span::raw("To lift it: "),
            Span::styled(lift.describe(&d.catalog), theme.band(Some(lift.band))),
            Span::raw("."),
        ])),
        (None, HealthBand::Green) => {}
        (None, _) => out.push(Line::styled(
            if drag_settled {
                "No single factor lifts it a band: it takes several of the others."
            } else {
                "No single factor lifts it a band: it takes several; start with the biggest drag."
            },
            theme.dim(),
        )),
    }
    out.extend(stale_line(d, h, theme));
    // Said in the kinds the Evidence line counts by: its "5 of 7" are the factors that count
    // (a probe read 7 names under "data for 5 of 7" and could not make them add up).
    let missing = |kind: fn(&crate::domain::FactorRule) -> bool| -> Vec<&str> {
        h.missing().filter(|f| f.rule.weight > 0.0 && kind(&f.rule)).map(|f| d.catalog.label(f.id)).collect()
    };
    let kinds = [
        ("", missing(|r| !r.bookkeeping && !r.optional)),
        ("optional: ", missing(|r| !r.bookkeeping && r.optional)),
        ("tend's bookkeeping, scored but not evidence: ", missing(|r| r.bookkeeping)),
    ];
    let said: Vec<String> = kinds
        .iter()
        .filter(|(_, names)| !names.is_empty())
        .map(|(what, names)| format!("{what}{}", names.join(", ")))
        .collect();
    // Bookkeeping the blend leaves out, which would have lifted the score, is said with the
    // rule: a probe read a milestone come due lift a failing account and took it for a bug.
    let above: Vec<String> = h
        .factors
        .iter()
        .filter(|f| f.above_evidence)
        .filter_map(|f| Some(format!("{} ({} points)", d.catalog.label(f.id), f.points?)))
        .collect();
    if !above.is_empty() && h.score.is_some() {
        out.push(Line::styled(
            format!(
                "Left out: {}, which would lift the score; tend's own records (milestones, goals, bugs logged) \
                 can pull a score down, never lift it.",
                above.join(", ")
            ),
            theme.dim(),
        ));
    }
    match said.is_empty() {
        true => out.push(Line::styled("Every factor has data.", theme.dim())),
        false => out
            .push(Line::styled(format!("Missing, left out (weights renormalised): {}.", said.join("; ")), theme.dim())),
    }
    // After what the score is made of: the drag and the evidence come first.
    out.extend(unread_line(d, h, theme));
    // Below 80 columns the table has no Share column to point at (a probe read "share" and
    // looked for it at 60): the share is said as what it is.
    let share = if narrow { "its weight's share of the total" } else { "share" };
    out.push(Line::styled(
        format!("Points: each factor's raw value scores 1-4; Adds = {share} x (points-1)/3 x 100."),
        Style::default().patch(theme.dim()),
    ));
    out
}

impl crate::tui::view::View for AccountView {
    fn scope(&self) -> crate::tui::keymap::Scope {
        crate::tui::keymap::Scope::Account
    }

    fn handle(&mut self, action: Action) -> crate::tui::view::Handled {
        use crate::tui::view::Handled;
        match action {
            Action::NextTab => self.next_tab(1),
            Action::PrevTab => self.next_tab(-1),
            _ if self.step(action) => {}
            // Closing, editing and deleting are the App's: they read or write the book.
            _ => return Handled::Pass,
        }
        Handled::Done
    }

    fn selected(&self, _rows: &[crate::book::PortfolioRow]) -> crate::tui::view::Selected {
        crate::tui::view::Selected::Account { id: self.detail.account.id, name: self.detail.account.name.clone() }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ctx: &crate::tui::view::DrawCtx) {
        self.render(area, buf, ctx.theme)
    }
}

/// "MP" for Maya Patel: the first letter of each word of a name, up to a word in brackets ("LF"
/// for "Lena Fischer (Support)", which a probe's 60 columns showed as "(LF()").
fn initials(name: &str) -> String {
    let letters: String = name
        .split_whitespace()
        .take_while(|w| !w.starts_with(['(', '[']))
        .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
        .collect();
    if letters.is_empty() { crate::text::clean(name) } else { crate::text::clean(&letters) }
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_are_the_name_s_words_not_a_bracketed_team() {
        assert_eq!(initials("Maya Patel"), "MP");
        assert_eq!(initials("Lena Fischer (Support)"), "LF");
        assert_eq!(initials("\"Dana\" O'Neil"), "DO");
        assert_eq!(initials("(bot)"), "(bot)");
    }
}
