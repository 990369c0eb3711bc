//! Team: one line per CSM for a lead; Enter opens a one-on-one agenda for the selected CSM.

use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell as TableCell, Paragraph, Row, Table, Widget};

use crate::book::health_trend::TrendWeek;
use crate::book::metrics::MeasuredPeriod;
use crate::book::team::{AgendaItem, CsmLine};
use crate::domain::retention::Retention;
use crate::tui::theme::Theme;
use crate::tui::views::cursor::ListCursor;

pub struct TeamView {
    pub lines: Vec<CsmLine>,
    /// Retention over the last 12 months (as far as the book's records reach: `period`): the
    /// whole team's, and each CSM's by name.
    pub retention: Retention,
    pub by_csm: Vec<(String, Retention)>,
    pub period: MeasuredPeriod,
    /// Churned accounts without a churn day: in no figure of the period, said beside them (a
    /// probe's 24 former customers left "logos kept 100%" unexplained).
    pub undated_churns: usize,
    /// Renewals by the period's end with no renewal or churn recorded, counted as kept
    /// (`metrics::renewals_unresolved`): said beside the figures.
    pub unresolved_renewals: usize,
    /// `metrics.gross_margin`, for lifetime value.
    pub gross_margin: f64,
    /// The CSM line selected (a large team scrolls).
    pub cursor: ListCursor,
    /// The one-on-one agenda open, and for whom.
    pub agenda: Option<(String, Vec<AgendaItem>)>,
    /// The agenda's CSM's health over the history window, in a line ("since …: Green 41% -> …").
    pub agenda_trend: Option<String>,
    /// The CSM's book in a line (`book::team::book_line`), above the health line.
    pub agenda_book: Option<String>,
    /// What the CSM did in the last days (`book::team::week_activity`), under the health line.
    pub agenda_done: Option<String>,
    /// The agenda's renewals long past their date, counted rather than listed (its last line).
    pub agenda_note: Option<String>,
    /// The book's health week by week, when shown (`w`), and whose ("all CSMs" or a name).
    pub trend: Option<(String, Vec<TrendWeek>)>,
    /// The week selected in the trend (it opens on the latest; older weeks scroll into view).
    pub trend_cursor: ListCursor,
    /// Every agenda item listed (`A`), not only those of each section that need the lead most.
    pub agenda_all: bool,
    /// The agenda line selected: Enter opens its account, the logging keys write to it.
    pub agenda_cursor: ListCursor,
    /// First agenda line drawn, as the last frame laid it out: the agenda's lines include
    /// section headings, so it scrolls by screen lines rather than by items.
    agenda_offset: Cell<usize>,
    /// The currency sums are shown in (the one most accounts are in, as the reports show them), and how
    /// many currencies the accounts are in: sums add the amounts unconverted, which the title
    /// says when there are several.
    pub currency: String,
    pub currencies: usize,
}

/// A retention figure in whole percent, but to a tenth where rounding would make it 100% or
/// 0% when it is not: a churn is never rounded away ("NRR 99.9%", "revenue churn 0.1%").
/// "-" when there is none.
fn percent(v: Option<f64>) -> String {
    let Some(v) = v else { return "-".to_string() };
    let whole = v.round();
    match (whole == 100.0 || whole == 0.0) && (v - whole).abs() >= 0.05 {
        true => format!("{v:.1}%"),
        false => format!("{whole:.0}%"),
    }
}

/// The period's lifetime value, or "n/a" (and why, when there is room).
fn cltv_text(r: &Retention, days: i64, gross_margin: f64, room: bool, currency: &str) -> String {
    match r.cltv(days, gross_margin) {
        Ok(value) => value.compact(currency),
        Err(why) if room => format!("n/a ({why})"),
        Err(_) => "n/a".to_string(),
    }
}

impl TeamView {
    pub fn new(
        lines: Vec<CsmLine>,
        retention: Retention,
        by_csm: Vec<(String, Retention)>,
        period: MeasuredPeriod,
        gross_margin: f64,
    ) -> Self {
        TeamView {
            lines,
            retention,
            by_csm,
            period,
            undated_churns: 0,
            unresolved_renewals: 0,
            gross_margin,
            cursor: ListCursor::default(),
            agenda: None,
            agenda_trend: None,
            agenda_book: None,
            agenda_done: None,
            agenda_note: None,
            agenda_all: false,
            trend: None,
            trend_cursor: ListCursor::default(),
            agenda_cursor: ListCursor::default(),
            agenda_offset: Cell::new(0),
            currency: "USD".to_string(),
            currencies: 1,
        }
    }

    /// The accounts' currencies (see `currency`).
    pub fn set_currencies(&mut self, rows: &[crate::book::PortfolioRow]) {
        let counts = crate::book::currency_counts(rows);
        self.currency = crate::book::main_currency(&counts).to_string();
        self.currencies = counts.len().max(1);
    }

    pub fn replace(
        &mut self,
        lines: Vec<CsmLine>,
        retention: Retention,
        by_csm: Vec<(String, Retention)>,
        period: MeasuredPeriod,
    ) {
        self.lines = lines;
        self.retention = retention;
        self.by_csm = by_csm;
        self.period = period;
        self.cursor.clamp(self.lines.len());
    }

    /// The CSM line selected.
    pub fn selected_line(&self) -> Option<&CsmLine> {
        self.lines.get(self.cursor.selected())
    }

    pub fn selected_csm(&self) -> Option<&str> {
        self.lines.get(self.cursor.selected()).map(|l| l.csm.as_str())
    }

    /// The agenda item selected, when the agenda is open.
    pub fn selected_agenda_item(&self) -> Option<&AgendaItem> {
        self.walked().get(self.agenda_cursor.selected()).copied()
    }

    /// The agenda's items listed: those of each section that need the lead most
    /// (`agenda_walked`), or every one (`A`).
    fn walked(&self) -> Vec<&AgendaItem> {
        self.agenda
            .as_ref()
            .map_or_else(Vec::new, |(_, items)| crate::book::team::agenda_walked(items, self.agenda_all).0)
    }

    /// The listed item of `section` on `account`, else any listed item on `account`.
    fn walked_position(&self, at: Option<(i64, crate::book::team::AgendaSection)>) -> Option<usize> {
        let (id, section) = at?;
        let walked = self.walked();
        walked
            .iter()
            .position(|i| i.account_id == id && i.section == section)
            .or_else(|| walked.iter().position(|i| i.account_id == id))
    }

    /// Every item of the agenda listed, or those of each section again; the line selected
    /// stays selected where it is still listed.
    fn toggle_agenda_all(&mut self) {
        let was = self.selected_agenda_item().map(|i| (i.account_id, i.section));
        self.agenda_all = !self.agenda_all;
        self.select_agenda(was);
    }

    fn select_agenda(&mut self, at: Option<(i64, crate::book::team::AgendaSection)>) {
        let len = self.walked().len();
        match self.walked_position(at) {
            Some(n) => self.agenda_cursor.select(n, len),
            None => self.agenda_cursor.clamp(len),
        }
    }

    /// Open the agenda of a one-on-one, at its first line.
    pub fn open_agenda(
        &mut self,
        csm: String,
        items: Vec<AgendaItem>,
        (book, trend, done): (Option<String>, Option<String>, Option<String>),
        note: Option<String>,
    ) {
        self.agenda = Some((csm, items));
        self.agenda_book = book;
        self.agenda_trend = trend;
        self.agenda_done = done;
        self.agenda_note = note;
        self.agenda_all = false;
        self.agenda_cursor.reset();
        self.agenda_offset.set(0);
    }

    /// The open agenda's items worked out again (after a write): the same line stays selected,
    /// by its account and section, where it is still on the agenda. A health line of None keeps
    /// the one shown.
    pub fn replace_agenda(
        &mut self,
        items: Vec<AgendaItem>,
        (book, trend, done): (Option<String>, Option<Option<String>>, Option<String>),
        note: Option<String>,
    ) {
        let was = self.selected_agenda_item().map(|i| (i.account_id, i.section));
        let Some((_, old)) = &mut self.agenda else { return };
        *old = items;
        self.agenda_book = book;
        if let Some(trend) = trend {
            self.agenda_trend = trend;
        }
        self.agenda_done = done;
        self.agenda_note = note;
        self.select_agenda(was);
    }

    /// Move in the agenda when it is open, else among the CSMs.
    pub fn step(&mut self, action: crate::tui::action::Action) -> bool {
        match (&self.trend, &self.agenda) {
            (Some((_, weeks)), _) => self.trend_cursor.step(action, weeks.len()),
            (None, Some(_)) => {
                let len = self.walked().len();
                self.agenda_cursor.step(action, len)
            }
            (None, None) => self.cursor.step(action, self.lines.len()),
        }
    }

    /// Show the health trend, on its latest week.
    pub fn show_trend(&mut self, whose: String, weeks: Vec<TrendWeek>) {
        self.trend_cursor.select(weeks.len().saturating_sub(1), weeks.len());
        self.trend = Some((whose, weeks));
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        match (&self.trend, &self.agenda) {
            (Some((whose, weeks)), _) => render_trend(area, buf, theme, whose, weeks, &self.trend_cursor),
            (None, Some((csm, items))) => self.render_agenda(area, buf, theme, csm, items),
            (None, None) => self.render_team(area, buf, theme),
        }
    }

    /// "Team: 5 CSMs", with the line of accounts no CSM has said apart (it is no CSM).
    fn title(&self) -> String {
        let csms = self.lines.iter().filter(|l| !l.unassigned).count();
        let unassigned = self.lines.iter().any(|l| l.unassigned);
        format!(
            " Team: {csms} CSM{}{}",
            if csms == 1 { "" } else { "s" },
            if unassigned { " and the unassigned accounts" } else { "" }
        )
    }

    /// Amounts in several currencies are added as they are: said, as the reports say it.
    fn mixed_currencies(&self) -> Option<String> {
        (self.currencies > 1).then(|| format!("ARR in {} currencies, added unconverted", self.currencies))
    }

    /// The team's retention in a line: over the last 12 months, or since the book's records
    /// start when that is later, or none yet when they start today (a fresh import would read
    /// NRR 100% and no churn from no evidence at all).
    fn retention_line(&self, room: bool) -> String {
        let p = &self.period;
        let Some(from) = p.from else {
            // A day shown before the book was begun (`--as-of`): said, not left to look like a
            // mistake.
            let start = match p.records_from {
                None => "today".to_string(),
                Some(d) if d > p.to => format!("{d}, after {}", p.to),
                Some(d) => d.to_string(),
            };
            return format!(
                " Retention: none yet; the book's records start {start} (renewals, churns and ARR changes count from then)"
            );
        };
        let r = &self.retention;
        // A few days of records read NRR 100.1% as if it meant something: their count is said.
        let since = match (p.clipped(), p.days()) {
            (true, days) if days < 30 => {
                format!("Since {from}, where the book's records begin, only {}", crate::text::days(days))
            }
            (true, _) => format!("Since {from}, where the book's records begin"),
            (false, _) => "12 months".to_string(),
        };
        let undated = match self.undated_churns {
            0 => String::new(),
            n => format!(" · {n} churned with no churn day: in none of these"),
        };
        // ARR changes recorded only from a day within the period (the import): NRR is GRR before it.
        let changes = match p.arr_changes_late() {
            Some(day) => format!(" · ARR\u{a0}changes recorded from {day}: NRR\u{a0}counts churn alone before"),
            None => String::new(),
        };
        let unresolved = match self.unresolved_renewals {
            0 => String::new(),
            // "Due by today", as `report metrics` says it: one due today is not past its day, and
            // Renewals' "past due" leaves it out (a probe read three counts for one thing).
            1 => " · 1 renewal due by today with no outcome recorded counts as kept".to_string(),
            n => format!(" · {n} renewals due by today with no outcome recorded count as kept"),
        };
        // Each figure's name and value are held together (no-break spaces, made plain once
        // wrapped): a line never ends on "logos kept" with its figure on the next.
        format!(
            " {since}: NRR\u{a0}{} · GRR\u{a0}{} · CLTV\u{a0}{} · logos\u{a0}kept\u{a0}{} · revenue\u{a0}churn\u{a0}{}{undated}",
            percent(r.nrr()),
            percent(r.grr()),
            cltv_text(r, p.days(), self.gross_margin, room, &self.currency),
            percent(r.logo_retention()),
            percent(r.churn_by_revenue())
        ) + &changes
            + &unresolved
    }

    fn render_team(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        // The retention figures whole, over two to six lines where one would cut them (at 60
        // columns a fifth was cut, and the renewals without an outcome lost "count as kept");
        // four on a short screen, the last ending in "…" where the rest is cut.
        let width = usize::from(area.width).saturating_sub(1).max(1);
        let retention = crate::text::wrap_glued(self.retention_line(area.width >= 100).trim_start(), width);
        let most = if area.height >= 20 { 6 } else { 4 };
        let cut = retention.len() > most;
        let mut retention: Vec<Line> = retention.into_iter().take(most).map(|l| Line::from(format!(" {l}"))).collect();
        if cut && let Some(last) = retention.last_mut() {
            let text: String = last.spans.iter().map(|s| s.content.as_ref()).collect();
            *last = Line::from(crate::text::truncate(&format!("{}…", text.trim_end()), width + 1));
        }
        // The currencies' note beside the title where it fits whole, else on a line of its own.
        let mut title = self.title();
        let mut mixed_line = None;
        if let Some(mixed) = self.mixed_currencies() {
            match crate::text::width(&title) + 3 + crate::text::width(&mixed) <= usize::from(area.width) {
                true => title = format!("{title} · {mixed}"),
                false => mixed_line = Some(Line::styled(format!(" {mixed}"), theme.dim())),
            }
        }
        let head_height = 1 + u16::from(mixed_line.is_some()) + retention.len() as u16;
        let [head, table] = Layout::vertical([Constraint::Length(head_height), Constraint::Fill(1)]).areas(area);
        // As many whole hints as fit beside the title, never one cut mid-word.
        let hints = [
            "Enter one-on-one",
            "w health by week",
            "Avg: of the scored accounts",
            "Steps: overdue milestones",
            "Tasks: late tasks",
        ];
        let hint = super::hints_that_fit(&hints, crate::text::width(&title), area.width);
        let mut lines = vec![Line::from(vec![Span::styled(title, theme.title()), Span::styled(hint, theme.dim())])];
        lines.extend(mixed_line);
        lines.extend(retention);
        Paragraph::new(super::fit_lines(lines, head.width)).render(head, buf);
        let wide = area.width >= 110;
        let bar_width: u16 = if wide { 20 } else { 10 };
        // (header, width, priority): below 80 columns the counts give way before the CSM's name
        // and the band bar.
        let mut specs: Vec<(&str, u16, u8)> = vec![
            ("CSM", 0, super::ALWAYS),
            ("Accts", 5, 6),
            ("ARR", 7, 5),
            ("Avg", 4, 4),
            ("Bands", bar_width, 7),
            // The Red and Orange accounts counted: the bar's shares of ten letters drew a CSM of
            // one Orange in sixty as one of five in sixty (a lead's probe at 80 columns).
            // At 60 columns the touch coverage keeps its place (a CSM gone quiet).
            ("R/O", 5, 2),
            ("↓30d", 4, 3),
            // Overdue journey milestones: "Late" beside "Tasks" read as late tasks. A count that is
            // 0 on every line gives way first, and the touch coverage, which tells a CSM gone
            // quiet, after the counts (at 60 columns a lead saw all-zero Steps and no Touch).
            ("Steps", 5, if self.lines.iter().all(|l| l.overdue_milestones == 0) { 1 } else { 2 }),
            ("Tasks", 5, if self.lines.iter().all(|l| l.tasks_late == 0) { 1 } else { 2 }),
            ("Touch", 5, 3),
        ];
        if wide {
            specs.insert(9, ("Off", 4, 1));
            specs.push(("NRR", 5, 1));
            specs.push(("GRR", 5, 1));
            specs.push(("CLTV", 7, 1));
        }
        let keep = super::fit_columns(&specs.iter().map(|s| (s.1, s.2)).collect::<Vec<_>>(), table.width, 14);
        let left_out: Vec<&str> = specs.iter().zip(&keep).filter(|(_, k)| !**k).map(|(s, _)| s.0).collect();
        let kept_specs = super::kept(specs, &keep);
        // A name longer than its column ends in "…", never cut short as if it were whole.
        let name_width = super::fill_width(&kept_specs.iter().map(|c| c.1).collect::<Vec<_>>(), table.width);
        let columns: Vec<(&str, Constraint)> =
            kept_specs.into_iter().map(|(label, w, _)| (label, super::column_width(w))).collect();
        let header = Row::new(columns.iter().map(|(label, _)| {
            if matches!(*label, "CSM" | "Bands") {
                TableCell::from(*label)
            } else {
                TableCell::from(Line::from(*label).right_aligned())
            }
        }))
        .style(theme.header());
        let height = table.height.saturating_sub(1) as usize;
        let window = self.cursor.window(self.lines.len(), height);
        let rows = self.lines.iter().enumerate().skip(window.start).take(window.len()).map(|(n, l)| {
            let right = |s: String| TableCell::from(Line::from(s).right_aligned());
            let mut cells = vec![
                TableCell::from(crate::text::fit(&l.csm, name_width).into_owned()),
                right(l.accounts.to_string()),
                // Nothing on record is no sum, as the Grid and the reports say it.
                right(l.arr.compact_or(&self.currency, "-")),
                // Rounded as scores are (half up): 78.5 reads 79, as the report's 78.5 does.
                right(l.average_score.map_or("-".into(), |a| {
                    let few = if l.average_is_of_few() { "*" } else { "" };
                    format!("{}{few}", crate::domain::scoring::round_score(a))
                })),
                TableCell::from(band_bar(&l.bands, bar_width as usize, theme)),
                right(format!("{}/{}", l.bands[3], l.bands[2])),
                right(l.movers_down.to_string()),
                right(l.overdue_milestones.to_string()),
                right(l.tasks_late.to_string()),
                right(percent(l.touch_coverage())),
            ];
            if wide {
                cells.insert(9, right(l.goals_off_track.to_string()));
                // Nothing measured (the records start today): no figure, not 100%.
                let measured = self.period.from.is_some();
                let mine = self.by_csm.iter().find(|(name, _)| measured && *name == l.csm).map(|(_, r)| r);
                cells.push(right(percent(mine.and_then(Retention::nrr))));
                cells.push(right(percent(mine.and_then(Retention::grr))));
                cells.push(right(
                    mine.and_then(|r| r.cltv(self.period.days(), self.gross_margin).ok())
                        .map_or("-".into(), |c| c.compact(&self.currency)),
                ));
            }
            let row = Row::new(super::kept(cells, &keep));
            if n == self.cursor.selected() { row.style(theme.selected()) } else { row }
        });
        let shown = window.len() as u16;
        Table::new(rows, columns.iter().map(|(_, c)| *c)).header(header).column_spacing(1).render(table, buf);
        // Under the rows, where there are lines to spare: what the band bar's letters are (a
        // probe read "GGGYYOR···" as a code), and the columns left out (at 60 columns Tasks and
        // Touch were gone without a word).
        let room = table.height.saturating_sub(shown + 2);
        let mut notes = Vec::new();
        if !left_out.is_empty() {
            notes.push(format!("Not shown at this width: {} (a wider window shows them)", left_out.join(", ")));
        }
        if !left_out.contains(&"Avg") && self.lines.iter().any(|l| l.average_is_of_few()) {
            notes.push("Avg*: of fewer than half the accounts (the rest have no score)".to_string());
        }
        if !left_out.contains(&"Bands") {
            notes.push("Bands: G Green, Y Yellow, O Orange, R Red, · no score".to_string());
        }
        // A probe's lead read Tasks 0 beside a CSM's open task: the counts are of what is late.
        // And what ↓30d and Touch count: a lead read a silent CSM's "-" under Touch as nothing
        // to see (it is nothing logged on any of their accounts).
        let late: Vec<&str> = [
            ("R/O", "R/O: Red / Orange accounts"),
            ("↓30d", "↓30d: accounts fallen in 30 days"),
            ("Steps", "Steps: overdue milestones"),
            ("Tasks", "Tasks: late tasks"),
            ("Touch", "Touch: accounts touched within their cadence (-: nothing logged)"),
        ]
        .into_iter()
        .filter(|(column, _)| !left_out.contains(column))
        .map(|(_, said)| said)
        .collect();
        if !late.is_empty() {
            notes.push(late.join(" · "));
        }
        // A book of more accounts than letters is drawn by its shares (a probe counted 10 letters
        // for 57 accounts): said last, where there is room.
        if !left_out.contains(&"Bands")
            && self.lines.iter().any(|l| l.bands.iter().sum::<usize>() > usize::from(bar_width))
        {
            notes.push(format!("Bands of more than {bar_width} accounts are drawn as shares of {bar_width} letters"));
        }
        if !notes.is_empty() && room > 0 {
            let lines = notes.iter().flat_map(|n| crate::text::wrap_all(n, usize::from(table.width.max(8))));
            let under = Rect { y: table.y + 2 + shown, height: room, ..table };
            let lines: Vec<Line> = lines.map(|l| Line::styled(l, theme.dim())).collect();
            Paragraph::new(super::fit_lines(lines, under.width)).render(under, buf);
        }
    }

    /// Whether `csm` names the line of the accounts without a CSM ("unassigned"), not a CSM.
    pub fn is_unassigned(&self, csm: &str) -> bool {
        self.lines.iter().any(|l| l.unassigned && l.csm == csm)
    }

    fn render_agenda(&self, area: Rect, buf: &mut Buffer, theme: &Theme, csm: &str, items: &[AgendaItem]) {
        // The title stays put; the agenda scrolls under it. Narrow, the health line wraps and
        // the command to copy gets a line of its own rather than being cut.
        let width = usize::from(area.width.saturating_sub(1)).max(20);
        let unassigned = self.is_unassigned(csm);
        let title =
            if unassigned { " The accounts without a CSM".to_string() } else { format!(" One-on-one with {csm}") };
        // As many whole hints as fit beside the title, never one cut mid-word; logging from the
        // line first, the keys a list always has after (at 60 columns it was the one left out).
        let hints = ["s t f… log on the line", "Enter open", "↑↓", "Esc back"];
        let hint = super::hints_that_fit(&hints, crate::text::width(&title), area.width);
        let mut head_lines =
            vec![Line::from(vec![Span::styled(title, theme.title()), Span::styled(hint, theme.dim())])];
        // On a short screen the head keeps to six lines: at 80x24 it took ten and at 60x24 twelve,
        // leaving four agenda items (a lead's probe). Each part then keeps its first lines, cut
        // with "…"; the command to copy is left to a taller screen.
        let short = area.height < 30;
        let first = |lines: Vec<String>, tall: usize, short_of: usize| -> Vec<Line<'static>> {
            let keep = if short { short_of } else { tall };
            let cut = lines.len() > keep;
            let mut kept: Vec<String> = lines.into_iter().take(keep).collect();
            if cut && let Some(last) = kept.last_mut() {
                *last = crate::text::truncate(&format!("{}…", last.trim_end()), width);
            }
            kept.into_iter().map(|l| Line::from(format!(" {l}"))).collect()
        };
        // Whole on a taller screen: at 60 columns two lines cut it at "$178k, forecast", the
        // lead's headline numbers (which come first, and keep on a short one).
        if let Some(book) = &self.agenda_book {
            head_lines.extend(first(crate::text::wrap_all(book, width), usize::MAX, 3));
        }
        let health = format!("Health {}", self.agenda_trend.as_deref().unwrap_or("over time: no weeks yet"));
        // Each band's letter stays with its figures ("R 1->1", never "R" and "1->1" apart).
        let glued = ["G ", "Y ", "O ", "R ", "no score "]
            .iter()
            .fold(health, |text, band| text.replace(&format!(" {band}"), &format!(" {}\u{a0}", band.trim_end())));
        // Narrow, the figures come on the health line's second line.
        head_lines.extend(first(crate::text::wrap_glued(&glued, width), 3, if width < 60 { 2 } else { 1 }));
        if let Some(done) = &self.agenda_done {
            let done = format!("Done in the last {} days: {done}", crate::book::team::AGENDA_ACTIVITY_DAYS);
            head_lines.extend(first(crate::text::wrap_all(&done, width), 2, 1));
        }
        let command = format!("tend report one-on-one --csm \"{csm}\" --format md");
        // The accounts without a CSM print as `--csm unassigned` (the screen said there was no
        // such report, which the command makes).
        let fits = |extra: usize| crate::text::width(&command) + extra <= usize::from(area.width);
        match (short, fits(" As Markdown: ".len()), fits(1)) {
            (true, _, _) => {}
            (false, true, _) => head_lines.push(Line::styled(format!(" As Markdown: {command}"), theme.dim())),
            // The command says what it makes (`--format md`): one line, where the list's room is
            // short (at 60 columns the head took five).
            (false, false, true) => head_lines.push(Line::styled(format!(" {command}"), theme.dim())),
            (false, false, false) => {
                head_lines.push(Line::styled(" As Markdown:", theme.dim()));
                head_lines.push(Line::styled(format!(" {command}"), theme.dim()));
            }
        }
        let head_height = u16::try_from(head_lines.len()).unwrap_or(3);
        let [head, area] = Layout::vertical([Constraint::Length(head_height), Constraint::Fill(1)]).areas(area);
        Paragraph::new(super::fit_lines(head_lines, head.width)).render(head, buf);
        let every = items;
        let (items, left_out) = crate::book::team::agenda_walked(every, self.agenda_all);
        let per_section = crate::book::team::AGENDA_PER_SECTION;
        let cuttable = self.agenda_all && every.chunk_by(|a, b| a.section == b.section).any(|s| s.len() > per_section);
        // After a section's last item listed: how many it leaves out, and the key that lists
        // them; with every item listed, the key that cuts the agenda again, once at its end.
        let more_line = |section| {
            let (_, n) = left_out.iter().find(|(s, _)| *s == section)?;
            // What the section is, where the width leaves room for it (its heading is above).
            let said = format!("  … {} · A lists every item", section.more(*n));
            let said = match crate::text::width(&said) <= usize::from(area.width) {
                true => said,
                false => format!("  … {n} more · A lists every item"),
            };
            Some(Line::styled(said, theme.dim()))
        };
        let mut lines: Vec<Line> = Vec::new();
        if items.is_empty() {
            lines.push(Line::styled(
                " Nothing to walk through: no movers, nothing overdue, no renewals in 90 days.",
                theme.dim(),
            ));
        }
        // The health column is as wide as its words where an item has no score, else "R  23 ".
        let health_width = if items.iter().any(|i| i.score.is_none() || i.band.is_none() || i.capped) { 9 } else { 6 };
        let mut section = None;
        let mut selected_line = 0;
        let mut selected_last = 0;
        for (n, item) in items.iter().enumerate() {
            if section != Some(item.section) {
                lines.extend(section.and_then(more_line));
                // The count under a section's last item listed comes into view with it.
                if n == self.agenda_cursor.selected() + 1 {
                    selected_last = lines.len() - 1;
                }
                section = Some(item.section);
                lines.push(Line::default());
                lines.push(Line::styled(format!(" {}", item.section.title()), theme.header()));
            }
            // As Triage and the Portfolio write it: "~" from thin evidence, and in words where
            // there is no score ("low data", "no score").
            let health = match (item.score, item.band) {
                (Some(s), Some(b)) => {
                    let s = if item.thin { format!("~{s}") } else { s.to_string() };
                    let mark = if item.overridden { "*" } else { "" };
                    let s = format!("{mark}{s}");
                    let cell =
                        format!("{}{s:>4}{}", b.letter(), if item.capped && !item.overridden { " cap" } else { "" });
                    Span::styled(format!("{cell:<health_width$}"), theme.band(Some(b)))
                }
                // A band with no score is a CSM's override, as the lists mark it ("R*").
                (None, Some(b)) => {
                    Span::styled(format!("{:<health_width$}", format!("{}*   -", b.letter())), theme.band(Some(b)))
                }
                _ if item.low_data => Span::styled("low data ", theme.dim()),
                _ => Span::styled("no score ", theme.dim()),
            };
            let mut item_lines = vec![Line::from(vec![
                Span::raw("  "),
                health,
                Span::raw(format!("{} ", item.account)),
                Span::styled(format!("({}) ", item.arr.compact_or(&item.currency, "no ARR")), theme.dim()),
            ])];
            // What is due goes on the line while it fits, else under the name, wrapped whole
            // (a renewal's date is never cut off at 60 columns).
            let indent = 2 + health_width;
            if item_lines[0].width() + crate::text::width(&item.what) <= usize::from(area.width) {
                item_lines[0].push_span(Span::raw(item.what.clone()));
            } else {
                let room = usize::from(area.width).saturating_sub(indent + 1).max(20);
                item_lines.extend(
                    crate::text::wrap_all(&item.what, room)
                        .into_iter()
                        .map(|l| Line::from(format!("{}{l}", " ".repeat(indent)))),
                );
            }
            let selected = n == self.agenda_cursor.selected();
            if selected {
                selected_line = lines.len();
            }
            for line in item_lines {
                lines.push(if selected { line.style(theme.selected()) } else { line });
            }
            if selected {
                selected_last = lines.len() - 1;
            }
        }
        lines.extend(section.and_then(more_line));
        if cuttable {
            lines.push(Line::default());
            lines.push(Line::styled(
                format!("  A lists only the {per_section} under each heading that need a lead most"),
                theme.dim(),
            ));
        }
        // The count of renewals long past, wrapped whole under the last item: moving to the last
        // item brings it into view, with the counts and the key above it.
        if let Some(note) = &self.agenda_note {
            lines.push(Line::default());
            lines.extend(super::wrapped_note(note, usize::from(area.width.saturating_sub(2)).max(20), theme.dim()));
        }
        if self.agenda_cursor.selected() + 1 == items.len() {
            selected_last = lines.len() - 1;
        }
        // Lines are one screen row each, so the selected item can be kept in sight, its last
        // line and its first; the section heading above it too, when there is room.
        let height = area.height as usize;
        let offset = super::scroll_offset(selected_last, self.agenda_offset.get(), height)
            .min(lines.len().saturating_sub(height))
            .min(selected_line);
        let offset = if selected_line >= offset + 2 || offset < 2 { offset } else { offset.saturating_sub(2) };
        self.agenda_offset.set(offset);
        Paragraph::new(super::fit_lines(lines, area.width)).scroll((offset as u16, 0)).render(area, buf);
    }
}

/// Accounts per band as a bar of coloured blocks, Green first, with letters so colour is not the
/// only carrier: one letter per account when they fit (a lead counts them), else a share of the
/// width.
/// The health trend: one line a week, oldest first, with a bar of the ARR in each band and the
/// shares in words (colour is never the only carrier).
fn render_trend(area: Rect, buf: &mut Buffer, theme: &Theme, whose: &str, weeks: &[TrendWeek], cursor: &ListCursor) {
    let [head, body] = Layout::vertical([Constraint::Length(2), Constraint::Fill(1)]).areas(area);
    let window = cursor.window(weeks.len(), body.height as usize);
    let more = match (window.start > 0, window.end < weeks.len()) {
        (true, true) => "  ↑↓ more weeks",
        (true, false) => "  ↑ earlier weeks",
        (false, true) => "  ↓ later weeks",
        (false, false) => "",
    };
    // The title gives way before the keys do ("↑ earlier wee…" at 60 columns).
    let keys = format!("  Esc back{more}");
    let room = usize::from(head.width).saturating_sub(crate::text::width(&keys));
    let title = [format!(" Health week by week · {whose}"), format!(" Health by week · {whose}")]
        .into_iter()
        .find(|t| crate::text::width(t) <= room)
        .unwrap_or_else(|| format!(" {whose}"));
    Paragraph::new(super::fit_lines(
        vec![
            Line::from(vec![Span::styled(title, theme.title()), Span::styled(keys, theme.dim())]),
            Line::styled(
                match head.width {
                    72.. => " Week, customers, share of ARR by band (as the score gave it that day)",
                    _ => " Week, customers, share of ARR by band",
                },
                theme.dim(),
            ),
        ],
        head.width,
    ))
    .render(head, buf);
    // The shares in words are kept whole (the largest is often "none"): narrow, the bar gives
    // way, down to nothing (a week's line is 54 columns without it).
    let bar_width = if body.width >= 100 {
        30
    } else if body.width >= 70 {
        20
    } else {
        usize::from(body.width).saturating_sub(54).min(10)
    };
    // A share that rounds to 0 but is there reads "<1", as the bar beside it draws a cell for
    // it ("R 0%" beside an R read as a contradiction).
    let share = |v: Option<f64>| match v {
        None => "  -".to_string(),
        Some(v) if v > 0.0 && v < 0.5 => " <1".to_string(),
        Some(v) => format!("{v:>3.0}"),
    };
    let lines: Vec<Line> = weeks[window.clone()]
        .iter()
        .enumerate()
        .map(|(i, w)| {
            // Per mille of the ARR, so the bar splits by money, not by accounts.
            let total = w.total_arr().0.max(1) as f64;
            let mille: [usize; 5] = std::array::from_fn(|i| ((w.arr[i].0 as f64 / total) * 1000.0).round() as usize);
            let mut spans = vec![Span::raw(format!(" {} {:>6} ", w.day, w.customers()))];
            // A bar of fewer than five cells cannot hold a cell per band: none then.
            if bar_width >= 5 {
                spans.extend(band_bar(&mille, bar_width, theme).spans);
            }
            spans.push(Span::raw(format!(
                " G{}% Y{}% O{}% R{}% none {}%",
                share(w.arr_share(0)),
                share(w.arr_share(1)),
                share(w.arr_share(2)),
                share(w.arr_share(3)),
                share(w.arr_share(4))
            )));
            let line = Line::from(spans);
            if window.start + i == cursor.selected() { line.style(theme.selected()) } else { line }
        })
        .collect();
    Paragraph::new(super::fit_lines(lines, body.width)).render(body, buf);
}

fn band_bar(bands: &[usize; 5], width: usize, theme: &Theme) -> Line<'static> {
    let total: usize = bands.iter().sum();
    if total == 0 {
        return Line::from("");
    }
    let width = if total <= width { total } else { width };
    // `bands` counts by the Grid's columns.
    let order = crate::book::grid::COLUMNS;
    // Largest remainder, with at least one cell for every band that has accounts.
    let exact: Vec<f64> = bands.iter().map(|&n| (n * width) as f64 / total as f64).collect();
    let mut cells: Vec<usize> =
        bands.iter().zip(&exact).map(|(&n, &e)| if n == 0 { 0 } else { (e.floor() as usize).max(1) }).collect();
    while cells.iter().sum::<usize>() > width {
        let Some(i) = (0..5).filter(|&i| cells[i] > 1).max_by_key(|&i| cells[i]) else { break };
        cells[i] -= 1;
    }
    while cells.iter().sum::<usize>() < width {
        let Some(i) = (0..5)
            .filter(|&i| bands[i] > 0)
            .max_by(|&a, &b| (exact[a] - cells[a] as f64).total_cmp(&(exact[b] - cells[b] as f64)))
        else {
            break;
        };
        cells[i] += 1;
    }
    let mut spans = Vec::new();
    for (i, band) in order.iter().enumerate() {
        if cells[i] > 0 {
            let letter = band.map_or('·', |b| b.letter());
            spans.push(Span::styled(letter.to_string().repeat(cells[i]), theme.band(*band)));
        }
    }
    Line::from(spans)
}

impl crate::tui::view::View for TeamView {
    fn scope(&self) -> crate::tui::keymap::Scope {
        crate::tui::keymap::Scope::Team
    }

    fn handle(&mut self, action: crate::tui::action::Action) -> crate::tui::view::Handled {
        use crate::tui::action::Action;
        use crate::tui::view::Handled;
        if self.step(action) {
            return Handled::Done;
        }
        match action {
            Action::Back if self.trend.is_some() => {
                self.trend = None;
                Handled::Done
            }
            Action::Back if self.agenda.is_some() => {
                self.agenda = None;
                Handled::Done
            }
            Action::ToggleAll if self.agenda.is_some() => {
                self.toggle_agenda_all();
                Handled::Done
            }
            // Opening an agenda or an account reads the book: the App does it.
            _ => Handled::Pass,
        }
    }

    /// An agenda line names an account; the CSM lines do not.
    fn selected(&self, _rows: &[crate::book::PortfolioRow]) -> crate::tui::view::Selected {
        use crate::tui::view::Selected;
        match (&self.agenda, self.selected_agenda_item()) {
            (None, _) => Selected::NoAccounts,
            (Some(_), Some(i)) => Selected::Account { id: i.account_id, name: crate::text::clean(&i.account) },
            (Some(_), None) => Selected::Nothing,
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ctx: &crate::tui::view::DrawCtx) {
        self.render(area, buf, ctx.theme)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_churn_is_never_rounded_away() {
        assert_eq!(percent(Some(99.9)), "99.9%");
        assert_eq!(percent(Some(100.04)), "100%");
        assert_eq!(percent(Some(0.1)), "0.1%");
        assert_eq!(percent(Some(0.0)), "0%");
        assert_eq!(percent(Some(98.6)), "99%");
        assert_eq!(percent(Some(102.3)), "102%");
        assert_eq!(percent(None), "-");
    }

    fn letters(bands: [usize; 5], width: usize) -> String {
        band_bar(&bands, width, &Theme::plain()).spans.iter().map(|s| s.content.to_string()).collect()
    }

    #[test]
    fn a_small_book_gets_one_letter_per_account() {
        // The Grid's columns: Green, Yellow, Orange, Red, no score.
        let bar = letters([9, 7, 2, 1, 0], 20);
        assert_eq!(bar.matches('Y').count(), 7, "{bar}");
        assert_eq!(bar.len(), 19);
        // More accounts than room: a share of the width, every band with accounts still shown.
        let bar = letters([90, 70, 20, 1, 0], 10);
        assert_eq!(bar.chars().count(), 10);
        assert!(bar.contains('R'), "{bar}");
    }
}
