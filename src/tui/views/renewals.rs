//! Renewals: what renews in the next 30 / 60 / 90 / 180 days, with the forecast and ARR at risk.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell as TableCell, Paragraph, Row, Table, Widget};

use crate::book::PortfolioRow;
use crate::domain::account::thousands;
use crate::domain::renewal::{Forecast, Likelihood};
use crate::tui::theme::Theme;
use crate::tui::views::cursor::ListCursor;
use crate::tui::views::filter::{Filtered, ListFilter, contains_words, words};

/// How the renewals are listed (`o` steps through them): soonest first, the largest ARR first, or
/// the most ARR at risk first (ARR x the chance it does not renew): at the start of a heavy quarter
/// a CSM works from the money, not the calendar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RenewalOrder {
    #[default]
    Soonest,
    Largest,
    MostAtRisk,
}

impl RenewalOrder {
    fn next(self) -> RenewalOrder {
        match self {
            RenewalOrder::Soonest => RenewalOrder::Largest,
            RenewalOrder::Largest => RenewalOrder::MostAtRisk,
            RenewalOrder::MostAtRisk => RenewalOrder::Soonest,
        }
    }

    /// As the status line says it.
    pub fn label(self) -> &'static str {
        match self {
            RenewalOrder::Soonest => "soonest first",
            RenewalOrder::Largest => "largest ARR first",
            RenewalOrder::MostAtRisk => "most ARR at risk first",
        }
    }
}

pub struct RenewalsView {
    /// Row indices into the portfolio rows, soonest first: those the filter lets through.
    due: Vec<usize>,
    /// Every renewal in the window, before the filter.
    all_due: Vec<usize>,
    /// `/`: only the renewals whose account matches.
    pub filter: ListFilter,
    pub forecast: Forecast,
    /// Days ahead shown.
    pub days: i64,
    pub cursor: ListCursor,
    pub order: RenewalOrder,
    /// Each listed renewal's sort keys under `order` (ARR, ARR at risk), by row index.
    keys: std::collections::HashMap<usize, (i64, f64)>,
    /// Why the selected renewal needs attention today, as Triage says it, by its row index: set
    /// in the update step (a probe working a renewal quarter had to leave for Triage to learn
    /// why a renewal was at risk).
    why: Option<(usize, String)>,
}

impl Filtered for RenewalsView {
    fn filter_mut(&mut self) -> &mut ListFilter {
        &mut self.filter
    }
    fn refilter(&mut self, rows: &[PortfolioRow]) {
        RenewalsView::refilter(self, rows)
    }
    fn clear_filter(&mut self, rows: &[PortfolioRow]) {
        RenewalsView::clear_filter(self, rows)
    }
    fn move_by(&mut self, delta: isize) {
        RenewalsView::move_by(self, delta)
    }
}

impl RenewalsView {
    pub fn new(due: Vec<usize>, forecast: Forecast, days: i64) -> Self {
        RenewalsView {
            all_due: due.clone(),
            due,
            filter: ListFilter::default(),
            forecast,
            days,
            cursor: ListCursor::default(),
            order: RenewalOrder::default(),
            keys: Default::default(),
            why: None,
        }
    }

    /// Set why the renewal of row `row` needs attention (`why`).
    pub fn set_why(&mut self, row: usize, why: String) {
        self.why = Some((row, why));
    }

    /// Whether the selected renewal's why is still to be worked out.
    pub fn needs_why(&self) -> Option<usize> {
        let row = self.selected_row()?;
        (self.why.as_ref().map(|(r, _)| *r) != Some(row)).then_some(row)
    }

    /// List by the next order (`o`), from its top: the selection kept on its renewal had scrolled
    /// the new order's first renewals out of view.
    pub fn next_order(&mut self, rows: &[PortfolioRow], likelihood: &Likelihood, today: NaiveDate) {
        self.order = self.order.next();
        self.key_rows(rows, likelihood, today);
        self.apply_filter(rows);
        self.cursor.reset();
    }

    /// Each renewal's sort keys, for an order other than the list's own.
    fn key_rows(&mut self, rows: &[PortfolioRow], likelihood: &Likelihood, today: NaiveDate) {
        if self.order == RenewalOrder::Soonest {
            self.keys.clear();
            return;
        }
        self.keys = self
            .all_due
            .iter()
            .filter_map(|&i| {
                let r = rows.get(i)?;
                // A renewal long past is in no sum: no ARR at risk either, listed last.
                let at_risk = match crate::book::renewals::is_long_past(r, today) {
                    true => -1.0,
                    false => r.arr.0.max(0) as f64 * (1.0 - r.renewal_likelihood(likelihood, today)),
                };
                Some((i, (r.arr.0, at_risk)))
            })
            .collect();
    }

    /// New numbers (after a write or another window), keeping the selection's place and the
    /// filter.
    /// `likelihood` and `today` order the renewals as they were.
    pub fn replace(
        &mut self,
        (due, forecast, days): (Vec<usize>, Forecast, i64),
        rows: &[PortfolioRow],
        likelihood: &Likelihood,
        today: NaiveDate,
    ) {
        self.all_due = due;
        self.forecast = forecast;
        self.days = days;
        // Made afresh after a write: the selected renewal's why is worked out again.
        self.why = None;
        self.key_rows(rows, likelihood, today);
        self.apply_filter(rows);
        self.cursor.clamp(self.due.len());
    }

    /// Apply the filter's query after it changed; the selection goes to the first match.
    pub fn refilter(&mut self, rows: &[PortfolioRow]) {
        self.apply_filter(rows);
        self.cursor.reset();
    }

    fn apply_filter(&mut self, rows: &[PortfolioRow]) {
        let words = words(self.filter.query());
        self.due =
            self.all_due.iter().copied().filter(|&i| rows.get(i).is_some_and(|r| contains_words(&words, r))).collect();
        // Soonest first is the order the list comes in; the others keep it among equals.
        let key = |i: &usize| self.keys.get(i).copied().unwrap_or((i64::MIN, -1.0));
        match self.order {
            RenewalOrder::Soonest => {}
            RenewalOrder::Largest => self.due.sort_by_key(|i| std::cmp::Reverse(key(i).0)),
            RenewalOrder::MostAtRisk => self.due.sort_by(|a, b| key(b).1.total_cmp(&key(a).1)),
        }
    }

    pub fn clear_filter(&mut self, rows: &[PortfolioRow]) {
        let keep = self.selected_row();
        self.filter.clear();
        self.apply_filter(rows);
        let at = keep.and_then(|k| self.due.iter().position(|&i| i == k));
        self.cursor.select(at.unwrap_or(0), self.due.len());
    }

    /// The portfolio row of the `n`th renewal listed.
    pub fn row_at(&self, n: usize) -> Option<usize> {
        self.due.get(n).copied()
    }

    pub fn selected_row(&self) -> Option<usize> {
        self.due.get(self.cursor.selected()).copied()
    }

    pub fn len(&self) -> usize {
        self.due.len()
    }

    pub fn is_empty(&self) -> bool {
        self.due.is_empty()
    }

    pub fn move_by(&mut self, delta: isize) {
        self.cursor.move_by(delta, self.due.len());
    }

    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        rows: &[PortfolioRow],
        today: NaiveDate,
        likelihood: &Likelihood,
    ) {
        // The sums are in the currency most of the renewals are in; amounts in others are added
        // unconverted, which is said under them (as the Team view and the reports say it).
        // Of the renewals in the sums: those long past are in none, and amounts not on record
        // in no currency's.
        let currencies = crate::book::currency_counts(
            self.due.iter().filter_map(|&i| rows.get(i)).filter(|r| !crate::book::renewals::is_long_past(r, today)),
        );
        let currency = crate::book::main_currency(&currencies);
        // Filtered, the sums are the listed renewals' (they read as the whole window's while
        // the list showed 9 of its 19).
        let filtered = (self.due.len() != self.all_due.len())
            .then(|| crate::book::renewals::forecast(likelihood, rows, &self.due, today));
        let f = filtered.as_ref().unwrap_or(&self.forecast);
        let of_all = match filtered {
            Some(_) => format!(" of {}", thousands(self.forecast.renewals as u64)),
            None => String::new(),
        };
        let due = Span::raw(format!(
            " {}{of_all} due · {} ARR{} · ",
            thousands(f.renewals as u64),
            // Whole units, as the forecast and the ARR at risk beside it.
            f.due.rounded().full(currency),
            f.due_unpriced()
        ));
        // The share of the forecast that is the no-score prior is said beside it, and the
        // renewals in it past their day, at the prior at most (a probe's "90d late" Green renewal
        // read 95% in a forecast for a CFO); in a few words: the head of a narrow screen holds
        // the list.
        let past_due = (f.past_due > 0)
            .then(|| format!("{} late, ≤{:.0}%", thousands(f.past_due as u64), likelihood.no_score * 100.0));
        let notes: Vec<String> = f.prior_note(likelihood).into_iter().chain(past_due).collect();
        let prior = match notes.is_empty() {
            true => String::new(),
            false => format!(" ({})", notes.join("; ")),
        };
        let forecast = Span::raw(format!("forecast {}{prior} · ", f.expected.rounded().full(currency)));
        let risk = Span::styled(f.at_risk_text(currency), theme.band(Some(crate::domain::HealthBand::Red)));
        // Renewals already past their date stay on the list until renewed or churned: the title
        // says so when there are any.
        let overdue = self.all_due.iter().filter_map(|&i| rows.get(i)).any(|r| r.renewal_late(today));
        let mut title = match overdue {
            true => format!(" Renewals overdue or in the next {} days", self.days),
            false => format!(" Renewals in the next {} days", self.days),
        };
        // An order other than the list's own stays said (`o`).
        if self.order != RenewalOrder::Soonest {
            title.push_str(&format!(", {}", self.order.label()));
        }
        // The keys as many whole as fit beside the title ("· C churn ·…" read as a cut line);
        // `?` lists them all.
        let keys = ["w 30/60/90/180", "R renew", "C churn", "Enter open"];
        let keys = super::hints_that_fit(&keys, crate::text::width(&title), area.width);
        let mut head_lines =
            vec![Line::from(vec![Span::styled(title, theme.title()), Span::styled(keys, theme.dim())])];
        // A cut figure reads as a wrong one: on a narrow screen the sums take two lines, or
        // three. Each line ends on a figure, not on a separator left dangling.
        let width = area.width as usize;
        let ended =
            |s: Span<'static>| Span::styled(s.content.trim_end().trim_end_matches('·').trim_end().to_string(), s.style);
        if due.width() + forecast.width() + risk.width() <= width {
            head_lines.push(Line::from(vec![due, forecast, risk]));
        } else if 1 + forecast.width() + risk.width() <= width {
            head_lines.push(Line::from(ended(due)));
            head_lines.push(Line::from(vec![Span::raw(" "), forecast, risk]));
        } else {
            head_lines.push(Line::from(ended(due)));
            // Wrapped whole where its notes make it longer than the line.
            let forecast = ended(forecast);
            head_lines.extend(super::wrapped_note(&forecast.content, width.saturating_sub(1).max(20), forecast.style));
            // The sum, and what it is of on a line of its own where both do not fit (a probe's
            // 60 columns cut "… of the 50 scored and…").
            match risk.content.split_once(" (").filter(|_| 1 + risk.width() > width) {
                Some((sum, scope)) => {
                    head_lines.push(Line::from(vec![Span::raw(" "), Span::styled(sum.to_string(), risk.style)]));
                    // Wrapped whole where even a line of its own is short of it.
                    head_lines.extend(super::wrapped_note(
                        &format!("({scope}"),
                        width.saturating_sub(1).max(20),
                        risk.style,
                    ));
                }
                None => head_lines.push(Line::from(vec![Span::raw(" "), risk])),
            }
        }
        if currencies.len() > 1 {
            let each: Vec<String> =
                currencies.iter().map(|(c, n)| format!("{} in {c}", thousands(*n as u64))).collect();
            let note = format!("ARR in {} currencies ({}), added unconverted", currencies.len(), each.join(", "));
            head_lines.extend(super::wrapped_note(&note, width.saturating_sub(1).max(20), theme.dim()));
        }
        // Below 80 columns the notes are said in fewer words: at 60x24 they took half the screen
        // and left the list 8 rows (a probe's founder). `?` and 80 columns say them in full.
        let narrow = width < 80;
        if let Some(note) = f.long_past_note(narrow) {
            head_lines.extend(super::wrapped_note(&note, width.saturating_sub(1).max(20), theme.dim()));
        }
        // A likelihood the CSM's word or a late renewal lowered is marked, and said why: a Yellow
        // renewal read "50%" beside an unscored one's "60%", as if scoring it had made it less
        // likely. Each reason is said where a renewal listed has it.
        let listed = || self.due.iter().filter_map(|&i| rows.get(i));
        let mut why = Vec::new();
        if listed().any(|r| likelihood.lowered(r.band, r.says_at_risk(), false)) {
            let at_most = likelihood.orange * 100.0;
            why.push(match narrow {
                true => format!("≤{at_most:.0}%: CSM says trouble, or no score and data at worst"),
                false => format!(
                    "≤{at_most:.0}% where its CSM says it is in trouble (lowest sentiment, a risk open), or it has no score and its data scores lowest"
                ),
            });
        }
        if listed().any(|r| r.renewal_likelihood(likelihood, today) < likelihood.of_account(r.band, r.says_at_risk())) {
            let at_most = likelihood.no_score * 100.0;
            why.push(match narrow {
                true => format!("≤{at_most:.0}%: past its day, nothing recorded"),
                false => format!("≤{at_most:.0}% where it is past its day with nothing recorded"),
            });
        }
        if !why.is_empty() {
            let note = why.join("; ");
            head_lines.extend(super::wrapped_note(&note, width.saturating_sub(1).max(20), theme.dim()));
        }
        let [head, table] =
            Layout::vertical([Constraint::Length(head_lines.len() as u16), Constraint::Fill(1)]).areas(area);
        Paragraph::new(super::fit_lines(head_lines, head.width)).render(head, buf);
        if self.due.is_empty() {
            let text = if self.all_due.is_empty() {
                format!(" No renewals in the next {} days. w shows a longer window.", self.days)
            } else {
                format!(
                    " No renewal in the next {} days matches the filter (w: a longer window; Esc or x clears it).",
                    self.days
                )
            };
            // Wrapped whole, never cut at the keys that get out of it.
            let room = usize::from(table.width.saturating_sub(1)).max(20);
            Paragraph::new(super::wrapped_note(text.trim_start(), room, theme.dim())).render(table, buf);
            return;
        }

        let wide = table.width >= 110;
        // (header, width, priority): below 80 columns the date goes before the days to it, and
        // the name keeps its room.
        // Wide, as the longest CSM listed needs (up to 24); else 13.
        let longest_csm = self.due.iter().filter_map(|&i| rows.get(i)).map(|r| crate::text::width(&r.csm)).max();
        let csm_width = if wide { longest_csm.unwrap_or(0).clamp(10, 24) as u16 } else { 13 };
        // As wide as the longest of the list (the latest or the farthest), so a renewal long
        // past is never cut to "88d late" and a list of near ones leaves the name its room.
        let each = || self.due.iter().filter_map(|&i| rows.get(i)?.days_to_renewal(today));
        let in_width = [each().min(), each().max()].into_iter().flatten().map(|d| days_to(d).len()).max();
        let in_width = in_width.unwrap_or(0).max(2) as u16;
        let mut specs: Vec<(&str, u16, u8)> = vec![
            ("Renews", 10, 2),
            ("In", in_width, 8),
            ("Account", 0, super::ALWAYS),
            ("ARR", 8, 7),
            ("Health", 9, super::ALWAYS),
            ("Likely", 6, 5),
            ("CSM", csm_width, 4),
        ];
        // As wide as the longest segment listed ("Unsegmented" whole), within reason.
        let segment_width = self
            .due
            .iter()
            .filter_map(|&i| rows.get(i))
            .map(|r| crate::text::width(&r.segment))
            .max()
            .unwrap_or(0)
            .clamp(7, 14);
        if wide {
            specs.insert(6, ("Segment", segment_width as u16, 3));
        }
        // One CSM's renewals (their book): their name on every row takes the accounts' room.
        // Of the whole list, not the filter's: one account matched is not one CSM's book (a
        // probe's filtered line lost whose renewal it was).
        let mut listed_csms = self.all_due.iter().filter_map(|&i| rows.get(i)).map(|r| &*r.csm);
        let one_csm = listed_csms.next().is_some_and(|first| listed_csms.all(|c| c == first));
        if one_csm {
            specs.retain(|s| s.0 != "CSM");
        }
        let keep = super::fit_columns(&specs.iter().map(|s| (s.1, s.2)).collect::<Vec<_>>(), table.width, 16);
        let kept = super::kept(specs, &keep);
        // The selected renewal's why, under the list, as Triage puts its reasons: two lines at
        // most, where the list keeps five rows.
        let why = self.why.as_ref().filter(|(row, _)| Some(*row) == self.selected_row()).map(|(_, why)| why);
        // Whose renewal it is, where no CSM column says (a lead's probe at 60 columns), as
        // Triage's line does.
        let owner = self
            .selected_row()
            .and_then(|i| rows.get(i))
            .filter(|r| !one_csm && !r.csm.is_empty() && !kept.iter().any(|c| c.0 == "CSM"));
        let why = why.map(|why| match owner {
            Some(r) if why.starts_with(&*r.name) => format!("{}'s {why}", r.csm),
            Some(r) => format!("{}: {why}", r.csm),
            None => why.clone(),
        });
        let why_lines: Vec<Line> = match why {
            Some(why) if table.height >= 12 => {
                let room = usize::from(table.width.saturating_sub(1)).max(20);
                let mut lines = super::wrapped_note(&why, room, theme.dim());
                // Cut after two lines, said so.
                if lines.len() > 2 {
                    lines.truncate(2);
                    let last: String = lines[1].spans.iter().map(|s| s.content.as_ref()).collect();
                    let cut = crate::text::truncate(&format!("{}…", last.trim_end()), room + 1);
                    lines[1] = Line::styled(cut, theme.dim());
                }
                lines
            }
            _ => Vec::new(),
        };
        let table = match why_lines.len() as u16 {
            0 => table,
            n => {
                let under = Rect { y: table.bottom() - n, height: n, ..table };
                Paragraph::new(why_lines).render(under, buf);
                Rect { height: table.height - n - 1, ..table }
            }
        };
        // A list longer than the screen keeps its last line to say how many more there are (a
        // probe read the 15 shown of 29 due as the list).
        let more_line = self.due.len() > table.height.saturating_sub(1) as usize && table.height > 3;
        let (table, more_at) = match more_line {
            true => (Rect { height: table.height - 1, ..table }, Some(table.bottom() - 1)),
            false => (table, None),
        };
        let height = table.height.saturating_sub(1) as usize;
        let window = self.cursor.window(self.due.len(), height);
        if let Some(y) = more_at {
            let (above, below) = (window.start, self.due.len().saturating_sub(window.end));
            let text = match (above, below) {
                (0, n) => format!(" ↓ {} more below (j, End)", thousands(n as u64)),
                (n, 0) => format!(" ↑ {} more above (k, Home)", thousands(n as u64)),
                (a, b) => format!(" ↑ {} above · ↓ {} below", thousands(a as u64), thousands(b as u64)),
            };
            buf.set_string(table.x, y, crate::text::truncate(&text, usize::from(table.width)), theme.dim());
        }
        let name_width = super::fill_width(&kept.iter().map(|c| c.1).collect::<Vec<_>>(), table.width);
        let columns: Vec<(&str, Constraint)> =
            kept.into_iter().map(|(label, w, _)| (label, super::column_width(w))).collect();
        let header = Row::new(columns.iter().map(|(label, _)| match *label {
            "In" | "ARR" | "Likely" => TableCell::from(Line::from(*label).right_aligned()),
            _ => TableCell::from(*label),
        }))
        .style(theme.header());
        // The names in view cut so that two never read alike.
        let in_view: Vec<&str> = self
            .due
            .iter()
            .skip(window.start)
            .take(window.len())
            .map(|&i| rows.get(i).map_or("", |r| &*r.name))
            .collect();
        let names = crate::book::names::fit_apart(&in_view, name_width);
        let lines = self.due.iter().enumerate().skip(window.start).take(window.len()).filter_map(|(n, &i)| {
            let r = rows.get(i)?;
            let name = names.get(n - window.start).cloned().unwrap_or_default();
            let days = r.days_to_renewal(today).unwrap_or_default();
            let health = super::cells::health(r, theme, false);
            let mut cells = vec![
                TableCell::from(r.renewal_date.map(|d| d.to_string()).unwrap_or_default()),
                TableCell::from(Line::from(days_to(days)).right_aligned()),
                TableCell::from(name),
                TableCell::from(Line::from(r.arr.compact_or(&r.currency, "-")).right_aligned()),
                TableCell::from(health),
                // A renewal long past is in no sum: no likelihood either.
                TableCell::from(
                    Line::from(match crate::book::renewals::is_long_past(r, today) {
                        true => "-".to_string(),
                        // Held down to a cap: "≤50%", the cap it is at ("*" marked three things: a
                        // band set by hand, first data in a change, and this).
                        false => format!(
                            "{}{:.0}%",
                            if r.renewal_lowered(likelihood, today) { "≤" } else { "" },
                            r.renewal_likelihood(likelihood, today) * 100.0
                        ),
                    })
                    .right_aligned(),
                ),
                TableCell::from(crate::text::fit(&r.csm, usize::from(csm_width))),
            ];
            if wide {
                cells.insert(6, TableCell::from(crate::text::fit(&r.segment, segment_width)));
            }
            if one_csm {
                cells.pop();
            }
            let row = Row::new(super::kept(cells, &keep));
            Some(if n == self.cursor.selected() { row.style(theme.selected()) } else { row })
        });
        Table::new(lines, columns.iter().map(|(_, c)| *c)).header(header).column_spacing(1).render(table, buf);
    }
}

/// The days to a renewal as the In column says them: "12d", "288d late".
fn days_to(days: i64) -> String {
    if days < 0 { format!("{}d late", -days) } else { format!("{days}d") }
}

impl crate::tui::view::View for RenewalsView {
    fn scope(&self) -> crate::tui::keymap::Scope {
        crate::tui::keymap::Scope::Renewals
    }

    fn handle(&mut self, action: crate::tui::action::Action) -> crate::tui::view::Handled {
        if self.cursor.step(action, self.due.len()) {
            return crate::tui::view::Handled::Done;
        }
        // The window's length comes from the config: the App changes it.
        crate::tui::view::Handled::Pass
    }

    fn selected(&self, rows: &[PortfolioRow]) -> crate::tui::view::Selected {
        crate::tui::view::row_at(rows, self.selected_row())
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ctx: &crate::tui::view::DrawCtx) {
        self.render(area, buf, ctx.theme, ctx.rows, ctx.today, &ctx.config.renewals.likelihood)
    }

    fn filtered(&mut self) -> Option<&mut dyn Filtered> {
        Some(self)
    }

    fn filter(&self) -> Option<&ListFilter> {
        Some(&self.filter)
    }
}
