//! Triage: the accounts that need their CSM today, most need first, each with its reasons.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell as TableCell, Paragraph, Row, Table, Widget};

use crate::book::PortfolioRow;
use crate::book::triage::{TriageItem, TriageList, band_phrase_parts};
use crate::domain::Catalog;
use crate::domain::account::thousands;
use crate::domain::triage::{MarkState, Reason};
use crate::tui::theme::Theme;
use crate::tui::views::cursor::ListCursor;
use crate::tui::views::filter::{Filtered, ListFilter, contains_words, words};

pub struct TriageView {
    list: TriageList,
    /// Also list the handled and snoozed items (greyed), to take a mark back.
    pub show_hidden: bool,
    /// How many open items a morning's list shows (`triage.daily_limit`; 0 = all).
    limit: usize,
    /// List every open item, not just the first `limit`.
    pub show_all: bool,
    /// `/`: only the items whose account matches (all of them, past the morning's limit).
    pub filter: ListFilter,
    matched: Option<std::collections::HashSet<i64>>,
    pub cursor: ListCursor,
    /// Reasons spelled out in full (a fall with its raw values), for the items worked out so far:
    /// those on screen. Read from each account's facts in the update step.
    details: std::collections::HashMap<i64, Vec<String>>,
    /// While only the head of the list is read (`book::triage_head`): the whole list's counts.
    head_counts: Option<HeadCounts>,
    /// The head line's key hints, from the keys in force: (handled, snooze, open).
    pub keys: (String, String, String),
    /// Whom the list is of, when it is another CSM's book (a lead in a one-on-one): they are the
    /// one the accounts need, not the reader.
    pub whose: Option<String>,
    /// Who reads the list (`me`): a mark they made is not signed on screen, another's is.
    pub reader: Option<String>,
    /// The list shown is an earlier day's (a head kept from it), while today's is worked out.
    pub earlier: Option<chrono::NaiveDate>,
    /// The day `--as-of` asked for where it is still to come (a preview): the head says the list
    /// is that day's (a probe's preview read "62 accounts need you today").
    pub day_asked: Option<chrono::NaiveDate>,
    /// The CSM whose list it is owns no account (one who left, their book handed over): said so,
    /// not "no account matches a triage rule", which read as all well.
    pub owns_none: bool,
}

/// The counts of a whole list whose head alone is held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeadCounts {
    pub open: usize,
    pub handled: usize,
    pub snoozed: usize,
}

impl Filtered for TriageView {
    fn filter_mut(&mut self) -> &mut ListFilter {
        &mut self.filter
    }
    fn refilter(&mut self, rows: &[PortfolioRow]) {
        TriageView::refilter(self, rows)
    }
    fn clear_filter(&mut self, rows: &[PortfolioRow]) {
        TriageView::clear_filter(self, rows)
    }
    fn move_by(&mut self, delta: isize) {
        TriageView::move_by(self, delta)
    }
}

impl TriageView {
    pub fn new(list: TriageList, limit: usize) -> Self {
        TriageView {
            list,
            show_hidden: false,
            limit,
            show_all: false,
            filter: ListFilter::default(),
            matched: None,
            cursor: ListCursor::default(),
            details: Default::default(),
            head_counts: None,
            keys: ("h".into(), "z".into(), "Enter".into()),
            whose: None,
            reader: None,
            earlier: None,
            day_asked: None,
            owns_none: false,
        }
    }

    /// The head of today's list, before the rest is read: its items with their reasons spelled
    /// out, and the whole list's counts.
    pub fn from_head(list: TriageList, details: Vec<(i64, Vec<String>)>, counts: HeadCounts, limit: usize) -> Self {
        let mut view = TriageView::new(list, limit);
        view.details = details.into_iter().collect();
        view.head_counts = Some(counts);
        view
    }

    /// Replace the list (after a write or a mark), keeping the selected account if it is still
    /// listed, else the same position.
    /// Whether `id` is an open item of the whole list, shown or below the daily limit.
    pub fn lists(&self, id: i64) -> bool {
        self.list.items.iter().any(|i| i.id == id)
    }

    /// Whether the list holds `id`, shown or not (below the daily limit, or marked).
    pub fn holds(&self, id: i64) -> bool {
        self.list.items.iter().chain(&self.list.hidden).any(|i| i.id == id)
    }

    pub fn replace(&mut self, list: TriageList, rows: &[PortfolioRow]) {
        let keep = self.selected_item().map(|i| i.id);
        self.list = list;
        self.head_counts = None;
        self.earlier = None;
        self.details.clear();
        self.apply_filter(rows);
        self.reselect(keep);
    }

    /// Work out which items the filter's query matches (after it or the list changed); the
    /// selection goes to the first match.
    pub fn refilter(&mut self, rows: &[PortfolioRow]) {
        self.apply_filter(rows);
        self.cursor.reset();
    }

    fn apply_filter(&mut self, rows: &[PortfolioRow]) {
        let words = words(self.filter.query());
        self.matched = (!words.is_empty()).then(|| {
            let items = self.list.items.iter().chain(&self.list.hidden);
            items.filter(|i| rows.get(i.row).is_some_and(|r| contains_words(&words, r))).map(|i| i.id).collect()
        });
    }

    pub fn clear_filter(&mut self, rows: &[PortfolioRow]) {
        let keep = self.selected_item().map(|i| i.id);
        self.filter.clear();
        self.apply_filter(rows);
        self.reselect(keep);
    }

    /// The items on screen (and the selected one) whose reasons are not spelled out yet. Before
    /// the first frame, a screenful of 50 is assumed.
    pub fn needing_details(&self) -> Vec<TriageItem> {
        // Where the next frame will start, as `render_table` works it out.
        let page = self.cursor.page();
        let offset = super::scroll_offset(self.cursor.selected(), self.cursor.offset(), page);
        self.shown().skip(offset).take(page.max(50)).filter(|i| !self.details.contains_key(&i.id)).cloned().collect()
    }

    pub fn set_detail(&mut self, id: i64, phrases: Vec<String>) {
        self.details.insert(id, phrases);
    }

    /// An item's reasons as shown: spelled out when worked out, else the short phrases.
    fn phrases(&self, item: &TriageItem, catalog: &Catalog) -> Vec<String> {
        match self.details.get(&item.id) {
            Some(phrases) => phrases.clone(),
            None => item.reasons.iter().map(|r| r.phrase(catalog)).collect(),
        }
    }

    /// The list's day as its lines say it: "today", or "on Tue 2026-12-15" for a day asked ahead.
    fn day_said(&self) -> String {
        self.day_asked.map_or("today".to_string(), |d| format!("on {}", d.format("%a %Y-%m-%d")))
    }

    /// Select the item of account `keep` where it is shown, else keep the cursor's place.
    pub fn reselect(&mut self, keep: Option<i64>) {
        let at = keep.and_then(|id| self.shown().position(|i| i.id == id));
        let len = self.len();
        self.cursor.select(at.unwrap_or(self.cursor.selected()), len);
    }

    pub fn toggle_hidden(&mut self) {
        let keep = self.selected_item().map(|i| i.id);
        self.show_hidden = !self.show_hidden;
        self.reselect(keep);
    }

    pub fn toggle_all(&mut self) {
        let keep = self.selected_item().map(|i| i.id);
        self.show_all = !self.show_all;
        self.reselect(keep);
    }

    /// Open items listed: the first `limit` unless all are asked for (or filtered).
    fn open_listed(&self) -> usize {
        let n = self.list.items.len();
        if self.show_all || self.limit == 0 || self.matched.is_some() { n } else { n.min(self.limit) }
    }

    /// Open items below the morning's limit, not listed.
    pub fn more(&self) -> usize {
        self.open_count().saturating_sub(self.open_listed())
    }

    /// The items listed, in order: the open ones, then (when shown) the handled and snoozed.
    pub fn shown(&self) -> impl Iterator<Item = &TriageItem> {
        let hidden: &[TriageItem] = if self.show_hidden { &self.list.hidden } else { &[] };
        let matched = self.matched.as_ref();
        self.list.items[..self.open_listed()]
            .iter()
            .chain(hidden)
            .filter(move |i| matched.is_none_or(|m| m.contains(&i.id)))
    }

    pub fn len(&self) -> usize {
        match &self.matched {
            Some(_) => self.shown().count(),
            None => self.open_listed() + if self.show_hidden { self.list.hidden.len() } else { 0 },
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The handled and snoozed items listed beside the open ones (with `H`), counted apart.
    pub fn marked_listed(&self) -> usize {
        if self.show_hidden { self.shown().filter(|i| i.mark.is_some()).count() } else { 0 }
    }

    pub fn open_count(&self) -> usize {
        self.head_counts.map_or(self.list.items.len(), |c| c.open)
    }

    pub fn hidden_count(&self, state: MarkState) -> usize {
        if let Some(c) = self.head_counts {
            return if state == MarkState::Handled { c.handled } else { c.snoozed };
        }
        self.list.hidden.iter().filter(|i| i.mark.as_ref().is_some_and(|m| m.state == state)).count()
    }

    pub fn selected_item(&self) -> Option<&TriageItem> {
        self.shown().nth(self.cursor.selected())
    }

    pub fn move_by(&mut self, delta: isize) {
        let len = self.len();
        self.cursor.move_by(delta, len);
    }

    /// Draw the list; `rows` are the portfolio rows the items point into.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, rows: &[PortfolioRow], catalog: &Catalog) {
        // The count of the rest stands right under the list, as a lead would write it by hand.
        let table_height = u16::try_from(self.len() + 1).unwrap_or(u16::MAX);
        // Filtered, every match is listed: a line says how many are out of view where they do
        // not all fit (the list had run into the reasons under it).
        let more_height = match self.matched {
            None => u16::from(self.limit > 0 && self.open_count() > self.limit),
            Some(_) => u16::from(table_height + 4 > area.height),
        };
        // The selected item's reasons in full under the list: two lines, or as many more as it
        // needs where the list leaves room (at 60 columns they run to four).
        // (Wrapped here rather than by the paragraph, so a text cut short ends in "…".)
        // Where the width leaves no ARR column, the line under the list says the selected one's
        // (a lead's list at 60 columns dropped it without a word).
        let table_area = Rect { height: table_height.min(area.height), ..area };
        let arr_hidden = !self.table_columns(table_area, rows).iter().any(|(label, ..)| *label == "ARR");
        let why_text = self
            .selected_item()
            .and_then(|item| Some((rows.get(item.row)?, self.phrases(item, catalog))))
            .map(|(row, mut reasons)| {
                // A marked item says whose mark hides it and since when, before its reasons.
                let mark = self.selected_item().and_then(|i| match (&i.mark, &i.back) {
                    (Some(m), _) => Some(format!("{} on {} · ", m.label(self.reader.as_deref()), m.marked_on)),
                    // Brought back: by what is new since the mark, each marked "new" where the
                    // reasons are said one to one, else named after the mark.
                    (None, Some(m)) => {
                        let label = format!("{} on {}, back", m.label(self.reader.as_deref()), m.marked_on);
                        let new: Vec<&crate::domain::triage::Reason> = m.new_reasons(&i.reasons).collect();
                        if reasons.len() == i.reasons.len() {
                            for (phrase, reason) in reasons.iter_mut().zip(&i.reasons) {
                                if new.contains(&reason) {
                                    *phrase = format!("new: {phrase}");
                                }
                            }
                            Some(format!("{label} · "))
                        } else {
                            let said: Vec<String> = new.iter().map(|r| r.phrase(catalog)).collect();
                            Some(format!("{label} for what is new since: {} · ", said.join(", ")))
                        }
                    }
                    (None, None) => None,
                });
                // Everyone's list says whose account it is (no CSM column below 120 columns); an
                // earlier day's list that its reasons are that day's.
                // An account nobody owns is named alone: its reasons say "no CSM" (it read
                // "(no CSM): no CSM").
                let name = match (self.whose.as_deref(), row.csm.is_empty()) {
                    (Some("attention"), false) => format!("{}'s {}", row.csm, row.name),
                    _ => row.name.to_string(),
                };
                let name = match self.earlier {
                    Some(day) => format!("{name} (on {day})"),
                    None => name,
                };
                let name = match row.arr.on_record() {
                    Some(_) if arr_hidden => format!("{name} ({})", row.arr.compact_or(&row.currency, "-")),
                    _ => name,
                };
                let text = format!("{name}: {}{}", mark.unwrap_or_default(), reasons.join(" · "));
                (name, crate::text::wrap_all(&text, area.width.into()))
            });
        let room = area.height.saturating_sub(1 + table_height + more_height);
        let needed = why_text.as_ref().map_or(0, |(_, lines)| lines.len());
        let why_height = u16::try_from(needed).unwrap_or(u16::MAX).min(room).max(2);
        let [head, table, more, _, why] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Max(table_height),
            Constraint::Length(more_height),
            Constraint::Fill(1),
            Constraint::Length(why_height),
        ])
        .areas(area);
        self.render_head(head, buf, theme);
        if self.is_empty() {
            let text = if self.matched.is_some() {
                "Nothing on today's list matches. Esc or x clears the filter.".to_string()
            } else if self.owns_none
                && let Some(whose) = &self.whose
            {
                format!("{whose} owns no account of this book: nothing to list (v lists everyone's).")
            } else if self.hidden_count(MarkState::Handled) + self.hidden_count(MarkState::Snoozed) == 0 {
                format!("Nothing needs {} {}: no account matches a triage rule.", self.needed(), self.day_said())
            } else {
                "Everything on today's list is handled or snoozed. H shows them.".to_string()
            };
            Paragraph::new(Line::styled(text, theme.dim())).render(table, buf);
            return;
        }
        self.render_table(table, buf, theme, rows, catalog);
        if more_height > 0 {
            // The table's rows less its header.
            let in_view = usize::from(table.height.saturating_sub(1));
            // Where rows are out of view, the way to them (the table just drawn set where the
            // view starts).
            let offset = self.cursor.offset();
            let way = match (offset > 0, offset + in_view < self.len()) {
                (true, true) => "↑↓",
                (true, false) => "↑",
                _ => "↓",
            };
            let text = if self.matched.is_some() {
                format!(" {in_view} of the {} matching in view ({way})", self.len())
            } else if self.show_all {
                // With `H` the marked rows are listed too, counted apart as the status line does.
                let marked = match self.marked_listed() {
                    0 => String::new(),
                    n => format!(" + {n} marked"),
                };
                let in_view = if in_view < self.len() { format!(", {in_view} in view ({way})") } else { String::new() };
                format!(
                    " All {} listed{marked}{in_view} · A shows the first {}",
                    thousands(self.open_count() as u64),
                    self.limit
                )
            } else if in_view < self.len() {
                // The first ones do not all fit: said, so that the count is not read as below the
                // rows in view.
                format!(
                    " {in_view} of these {} in view ({way}) · {} more · A lists all",
                    self.len(),
                    thousands(self.more() as u64)
                )
            } else {
                format!(" {} more below the first {} · A lists them all", thousands(self.more() as u64), self.limit)
            };
            Paragraph::new(Line::styled(text, theme.dim())).render(more, buf);
        }
        if let Some((name, lines)) = why_text {
            let lines = crate::text::fit_lines(lines, why.width.into(), why.height.into());
            let name = format!("{name}:");
            let lines: Vec<Line> = lines
                .into_iter()
                .enumerate()
                .map(|(n, line)| match line.strip_prefix(name.as_str()) {
                    Some(rest) if n == 0 => {
                        Line::from(vec![Span::styled(name.clone(), theme.title()), Span::raw(rest.to_string())])
                    }
                    _ => Line::raw(line),
                })
                .collect();
            Paragraph::new(lines).render(why, buf);
        }
    }

    /// Who the accounts on the list need: the reader, the CSM whose book is shown, or attention
    /// (everyone's book, shown to a reader who has one of their own).
    fn needed(&self) -> &str {
        self.whose.as_deref().unwrap_or("you")
    }

    fn render_head(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let n = self.open_count();
        if let Some(day) = self.earlier {
            // Said as that day's list, never as today's: the reasons' days and the falls are
            // those of that day until today's list comes.
            let title = format!(
                " {} {} needed {} on {day}",
                thousands(n as u64),
                if n == 1 { "account" } else { "accounts" },
                self.needed()
            );
            let note = " · working out today's list…";
            let room = usize::from(area.width).saturating_sub(crate::text::width(&title));
            let mut parts = vec![Span::styled(title, theme.title())];
            if crate::text::width(note) <= room {
                parts.push(Span::styled(note, theme.dim()));
            }
            Paragraph::new(Line::from(parts)).render(area, buf);
            return;
        }
        let when = match self.day_asked {
            Some(_) => format!("{} (a preview)", self.day_said()),
            None => self.day_said(),
        };
        let mut parts = vec![Span::styled(
            format!(
                " {} {} need{} {} {when}",
                thousands(n as u64),
                if n == 1 { "account" } else { "accounts" },
                if n == 1 { "s" } else { "" },
                self.needed()
            ),
            theme.title(),
        )];
        let (handled, snoozed) = (self.hidden_count(MarkState::Handled), self.hidden_count(MarkState::Snoozed));
        if handled + snoozed > 0 {
            // The counts whole, or without the key that shows them where the line is narrow
            // (never a word cut in half: "(H show").
            let verb = if self.show_hidden { "H hides" } else { "H shows" };
            // Only the counts there are ("0 snoozed" took the room of the keys' hints).
            let counts: String = [(handled, "handled"), (snoozed, "snoozed")]
                .iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, what)| format!(" · {n} {what}"))
                .collect();
            let with_key = format!("{counts} ({verb})");
            let room = (area.width as usize).saturating_sub(parts[0].width());
            parts.push(Span::styled(if with_key.chars().count() <= room { with_key } else { counts }, theme.dim()));
        }
        // The key hints only where they fit whole: the counts come first.
        let used: usize = parts.iter().map(|p| p.width()).sum();
        let (handled, snooze, open) = &self.keys;
        let short = format!(" · {handled} handled · {snooze} snooze");
        let long = format!("{short} · {open} open");
        if let Some(hint) = [long, short].into_iter().find(|h| used + h.chars().count() <= area.width as usize) {
            parts.push(Span::styled(hint, theme.dim()));
        }
        Paragraph::new(Line::from(parts)).render(area, buf);
    }

    /// The table's columns at `area` (the reasons' column, Why, not among them): the names as
    /// wide as the longest in view needs, and what the width leaves room for.
    fn table_columns(&self, area: Rect, rows: &[PortfolioRow]) -> Vec<(&'static str, u16, u8)> {
        let height = area.height.saturating_sub(1) as usize;
        let window = self.cursor.window(self.len(), height);
        let wide = area.width >= 110;
        // (header, width, priority): the reasons keep at least 20 columns, and the 30-day change
        // goes first when they would not (the line under the list spells the reasons out).
        // As wide as the longest name in view needs, up to 26 columns (22 at 80, less narrower), so that short
        // names leave the reasons their room and long ones are cut less ("Cobalt Analytics…").
        let longest = self
            .shown()
            .skip(window.start)
            .take(window.len())
            .filter_map(|item| rows.get(item.row))
            .map(|r| crate::text::width(&r.name))
            .max()
            .unwrap_or(0);
        let cap = if wide { 26 } else { (area.width * 45 / 100).clamp(10, 22) };
        let name_width = u16::try_from(longest).unwrap_or(u16::MAX).clamp(10, cap);
        let mut specs: Vec<(&str, u16, u8)> =
            vec![("Health", 9, super::ALWAYS), ("Δ30d", 4, 2), ("Account", name_width, super::ALWAYS), ("ARR", 7, 4)];

        if wide {
            specs.push(("CSM", 16, 1));
        }
        // Below 80 columns the reasons keep more room (the 30-day change gives way first: the
        // reasons name it); a 60-column Triage cut them at 26 ("stale: CSM sentimen…").
        let reasons_room = if area.width < 80 { 26 } else { 20 };
        let mut keep =
            super::fit_columns(&specs.iter().map(|s| (s.1, s.2)).collect::<Vec<_>>(), area.width, reasons_room);
        // No item with a 30-day change (a book without history yet): no column standing empty,
        // as the Portfolio leaves its change out; the reasons take its room.
        if !self.shown().any(|item| rows.get(item.row).is_some_and(|r| r.deltas[1].is_some())) {
            keep[1] = false;
        }
        super::kept(specs, &keep)
    }

    fn render_table(&self, area: Rect, buf: &mut Buffer, theme: &Theme, rows: &[PortfolioRow], catalog: &Catalog) {
        let height = area.height.saturating_sub(1) as usize;
        let window = self.cursor.window(self.len(), height);
        let wide = area.width >= 110;
        let mut kept = self.table_columns(area, rows);
        kept.push(("Why", 0, super::ALWAYS));
        let shown: Vec<(&str, u16)> = kept.iter().map(|(label, width, _)| (*label, *width)).collect();
        let change_shown = shown.iter().any(|(label, _)| *label == "Δ30d");
        let why_width = super::fill_width(&kept.iter().map(|c| c.1).collect::<Vec<_>>(), area.width);
        let columns: Vec<(&str, Constraint)> =
            kept.into_iter().map(|(label, w, _)| (label, super::column_width(w))).collect();
        let header = Row::new(columns.iter().map(|(label, _)| {
            if matches!(*label, "ARR" | "Δ30d") {
                TableCell::from(Line::from(*label).right_aligned())
            } else {
                TableCell::from(*label)
            }
        }))
        .style(theme.header());

        // The names in view cut so that two never read alike.
        let account_width = shown.iter().find(|(label, _)| *label == "Account").map_or(0, |(_, w)| usize::from(*w));
        let in_view: Vec<&str> = self
            .shown()
            .skip(window.start)
            .take(window.len())
            .map(|item| rows.get(item.row).map_or("", |r| &*r.name))
            .collect();
        let names = crate::book::names::fit_apart(&in_view, account_width);
        let lines = self.shown().enumerate().skip(window.start).take(window.len()).filter_map(|(n, item)| {
            let r = rows.get(item.row)?;
            let name = names.get(n - window.start).cloned().unwrap_or_default();
            let health = super::cells::health(r, theme, false);
            let delta = super::change_text(r, 1);
            let mut phrases = self.phrases(item, catalog);
            // Below 110 columns the band's reason ("Red health") gives its room to the others:
            // the Health column shows the band, and the line under the list spells all of them.
            // Spelled out, it names what puts the account there ("Red health: Early logins 0 at
            // its worst"): on the list's line, where the account fell, the fall says it (the
            // factors pushed the fall, most often the reason to call, out of sight); where it did
            // not, they are the why, and below 110 columns they are said without the band.
            let fell = item.reasons.iter().any(|r| matches!(r, Reason::Drop(_)));
            for phrase in &mut phrases {
                let Some((band, Some(named))) = band_phrase_parts(phrase, catalog) else { continue };
                match (fell, wide) {
                    (true, _) => *phrase = Reason::Band(band).phrase(catalog),
                    (false, true) => {}
                    (false, false) => *phrase = named.to_string(),
                }
            }
            if !wide && phrases.len() > 1 {
                phrases.retain(|p| !matches!(band_phrase_parts(p, catalog), Some((_, None))));
            }
            // And a renewal's band or want of data ("renews in 11 days, no score") the Health
            // column shows too: at 80 columns it cut off the reasons after it.
            if !wide && phrases.len() == item.reasons.len() {
                for (phrase, reason) in phrases.iter_mut().zip(&item.reasons) {
                    if matches!(reason, Reason::Renewal { band_said: false, .. }) {
                        // The same reason, its band said elsewhere.
                        let mut bare = reason.clone();
                        if let Reason::Renewal { band_said, .. } = &mut bare {
                            *band_said = true;
                        }
                        *phrase = bare.phrase(catalog);
                    }
                }
            }
            // And a 30-day fall's change the 30d column shows beside it: the factor that moved
            // is what the column cannot say ("-53 in 30 days: Active users 13 ->…" cut the
            // numbers off at 80 columns).
            // (Spelled or not: a head kept from the morning holds its phrases alone.)
            // Where the column gives way too (below 80), the change is said in fewer words: at
            // 60 columns every row read "-19 in 30 days: Active use…", the factor cut off.
            if !wide && let Some(d) = r.deltas[1] {
                // "like for like" where the first data made the scores differ by more: the
                // column is that change, so it goes with the head.
                let heads = [format!("{d:+} in 30 days: "), format!("{d:+} in 30 days like for like: ")];
                let short = if change_shown { String::new() } else { format!("{d:+} 30d: ") };
                for phrase in &mut phrases {
                    if let Some(factor) = heads.iter().find_map(|head| phrase.strip_prefix(head.as_str())) {
                        *phrase = format!("{short}{factor}");
                    }
                }
            }
            let mut why = phrases.join(" · ");
            if let Some(m) = &item.mark {
                why = format!("[{}] {why}", m.tag(self.reader.as_deref()));
            }
            // Back through a mark before its time: said, the line under the list says why.
            if let Some(m) = &item.back {
                let back = if m.state == crate::domain::triage::MarkState::Snoozed { "back early" } else { "back" };
                why = format!("[{back}] {why}");
            }
            let cells = shown.iter().map(|(label, _)| match *label {
                "Health" => TableCell::from(health.clone()),
                "Δ30d" => TableCell::from(Line::from(delta.clone()).right_aligned()),
                "Account" => TableCell::from(name.clone()),
                "ARR" => TableCell::from(Line::from(r.arr.compact_or(&r.currency, "-")).right_aligned()),
                "CSM" => TableCell::from(crate::text::fit(&r.csm, 16)),
                // The line under the list spells the selected one's reasons out whole.
                _ => TableCell::from(crate::text::fit(&why, why_width).into_owned()),
            });
            let line = Row::new(cells.collect::<Vec<_>>());
            Some(if n == self.cursor.selected() {
                line.style(theme.selected())
            } else if item.mark.is_some() {
                line.style(theme.dim())
            } else {
                line
            })
        });
        Table::new(lines, columns.iter().map(|(_, c)| *c)).header(header).column_spacing(1).render(area, buf);
    }
}

impl crate::tui::view::View for TriageView {
    fn scope(&self) -> crate::tui::keymap::Scope {
        crate::tui::keymap::Scope::Triage
    }

    fn handle(&mut self, action: crate::tui::action::Action) -> crate::tui::view::Handled {
        use crate::tui::action::Action;
        use crate::tui::view::Handled;
        let len = self.len();
        if self.cursor.step(action, len) {
            return Handled::Done;
        }
        match action {
            Action::ToggleMarked
                if self.hidden_count(MarkState::Handled) + self.hidden_count(MarkState::Snoozed) == 0 =>
            {
                Handled::Say("Nothing on today's list is handled or snoozed.".into())
            }
            Action::ToggleMarked => {
                self.toggle_hidden();
                Handled::Done
            }
            Action::ToggleAll => {
                self.toggle_all();
                Handled::Done
            }
            _ => Handled::Pass,
        }
    }

    fn selected(&self, rows: &[PortfolioRow]) -> crate::tui::view::Selected {
        crate::tui::view::row_at(rows, self.selected_item().map(|i| i.row))
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ctx: &crate::tui::view::DrawCtx) {
        self.render(area, buf, ctx.theme, ctx.rows, &ctx.config.health.catalog)
    }

    fn filtered(&mut self) -> Option<&mut dyn Filtered> {
        Some(self)
    }

    fn filter(&self) -> Option<&ListFilter> {
        Some(&self.filter)
    }
}
