//! The Grid: segments down, health bands across, each cell the accounts and ARR in it.

use std::sync::Arc;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Cell as TableCell, Row, Table, Widget};

use crate::book::grid::{COLUMNS, Grid, GridCell};
use crate::domain::HealthBand;
use crate::tui::theme::Theme;

/// What a grid cell stands for, as a Portfolio filter: None means any.
#[derive(Clone, Debug, PartialEq)]
pub struct CellFilter {
    pub segment: Option<Arc<str>>,
    /// Some(None) is "no score".
    pub band: Option<Option<HealthBand>>,
}

impl CellFilter {
    pub fn describe(&self) -> String {
        let segment = self.segment.as_deref().unwrap_or("every segment");
        let band = match self.band {
            None => "every band",
            Some(None) => "no score",
            Some(Some(b)) => b.label(),
        };
        format!("{segment} × {band}")
    }
}

pub struct GridView {
    pub grid: Grid,
    /// Selected row (rows then the total row) and column (bands, no score, then the total).
    pub row: usize,
    pub col: usize,
    /// Whether the selected cell is marked: not in a preview no key moves about (the Scoring
    /// view's, whose first cell read as a second cursor).
    marked: bool,
}

impl GridView {
    pub fn new(grid: Grid) -> Self {
        GridView { grid, row: 0, col: 0, marked: true }
    }

    /// The grid to read, not to move about in: no cell marked.
    pub fn preview(grid: Grid) -> Self {
        GridView { marked: false, ..GridView::new(grid) }
    }

    /// Fresh numbers, keeping the selection where it still exists.
    pub fn replace(&mut self, grid: Grid) {
        self.grid = grid;
        self.row = self.row.min(self.grid.rows.len());
    }

    pub fn move_by(&mut self, rows: isize, cols: isize) {
        let last_row = self.grid.rows.len() as isize; // the total row
        self.row = (self.row as isize + rows).clamp(0, last_row) as usize;
        self.col = (self.col as isize + cols).clamp(0, COLUMNS.len() as isize) as usize;
    }

    /// The numbers of the cell selected (the total row and column included).
    pub fn selected_cell(&self) -> GridCell {
        let row = self.grid.rows.get(self.row);
        match (row, self.col) {
            (Some(r), c) if c < COLUMNS.len() => r.cells[c],
            (Some(r), _) => r.total,
            (None, c) if c < COLUMNS.len() => self.grid.totals[c],
            (None, _) => self.grid.grand,
        }
    }

    pub fn selected(&self) -> CellFilter {
        CellFilter {
            segment: self.grid.rows.get(self.row).map(|r| r.segment.clone()),
            band: COLUMNS.get(self.col).copied(),
        }
    }

    fn cell_text(&self, c: &GridCell, counts_only: bool) -> String {
        if c.accounts == 0 {
            return "·".to_string();
        }
        // Counts as compact as money, so a cell fits ten columns even for a million accounts.
        let n = c.accounts;
        let count = match n {
            0..10_000 => n.to_string(),
            10_000..1_000_000 => format!("{}k", n / 1_000),
            _ => format!("{:.1}M", n as f64 / 1_000_000.0),
        };
        // The sum to two figures: a cell is ten columns at 80, count included. Accounts with no
        // ARR on record (kept as 0) alone sum to no amount, not "$0".
        match (counts_only, c.arr.on_record()) {
            (true, _) => count,
            (false, None) => format!("{count} -"),
            (false, Some(sum)) => format!("{count} {}", sum.compact_to(2, &self.grid.currency)),
        }
    }

    /// Every cell of the grid, totals included.
    fn all_cells(&self) -> impl Iterator<Item = &GridCell> {
        let rows = self.grid.rows.iter().flat_map(|r| r.cells.iter().chain(std::iter::once(&r.total)));
        rows.chain(self.grid.totals.iter()).chain(std::iter::once(&self.grid.grand))
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let wide = area.width >= 110;
        // Columns never squeeze a number (a cut "23" reads "3"): the segment's name narrows, and
        // below the room for "count ARR" the cells show counts only, said under the grid.
        let columns = COLUMNS.len() as u16 + 1;
        let cells_in = |segment_width: u16| {
            (area.width.saturating_sub(segment_width + columns) / columns).min(if wide { 16 } else { 10 })
        };
        // The longest segment name whole ("Unsegmented") where the counts still fit beside it.
        let longest = self.grid.rows.iter().map(|r| crate::text::width(&r.segment)).max().unwrap_or(8);
        let counts_fit =
            |w: u16| self.all_cells().all(|c| crate::text::width(&self.cell_text(c, true)) <= usize::from(w));
        let whole = u16::try_from(longest).unwrap_or(u16::MAX).clamp(8, 11);
        let segment_width: u16 = if wide {
            16
        } else if area.width >= 80 {
            11
        } else if counts_fit(cells_in(whole)) {
            whole
        } else {
            8
        };
        let cell_width = cells_in(segment_width);
        let fits = |counts_only| {
            self.all_cells().all(|c| crate::text::width(&self.cell_text(c, counts_only)) <= usize::from(cell_width))
        };
        let counts_only = !fits(false);
        let mut header = vec![TableCell::from("Segment")];
        for band in COLUMNS {
            let label = match (band, wide) {
                (Some(b), true) => format!("{} {}", b.letter(), b.label()),
                (Some(b), false) => b.letter().to_string(),
                (None, true) => "– no score".to_string(),
                (None, false) => "–".to_string(),
            };
            header.push(TableCell::from(Line::from(label).right_aligned()).style(theme.band(band)));
        }
        header.push(TableCell::from(Line::from(if cell_width < 5 { "All" } else { "Total" }).right_aligned()));
        let header = Row::new(header).style(theme.header());

        let cell = |r: usize, c: usize, gc: &GridCell, style: Style| {
            let mut s = if gc.accounts == 0 { theme.dim() } else { style };
            if self.marked && r == self.row && c == self.col {
                s = s.patch(theme.selected());
            }
            TableCell::from(Line::from(self.cell_text(gc, counts_only)).right_aligned()).style(s)
        };
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let mut rows: Vec<Row> = self
            .grid
            .rows
            .iter()
            .enumerate()
            .map(|(r, gr)| {
                let mut cells =
                    vec![TableCell::from(crate::text::fit(&gr.segment, usize::from(segment_width)).into_owned())];
                for (c, gc) in gr.cells.iter().enumerate() {
                    cells.push(cell(r, c, gc, theme.band(COLUMNS[c])));
                }
                cells.push(cell(r, COLUMNS.len(), &gr.total, bold));
                Row::new(cells)
            })
            .collect();
        let t = self.grid.rows.len();
        let mut totals = vec![TableCell::from("Total").style(bold)];
        for (c, gc) in self.grid.totals.iter().enumerate() {
            totals.push(cell(t, c, gc, bold));
        }
        totals.push(cell(t, COLUMNS.len(), &self.grid.grand, bold));
        rows.push(Row::new(totals).top_margin(1));

        let mut widths = vec![Constraint::Length(segment_width)];
        widths.extend(std::iter::repeat_n(Constraint::Length(cell_width), COLUMNS.len() + 1));
        // Narrow, the no-score column is headed "–" alone: said under the grid.
        let mut notes: Vec<&str> = Vec::new();
        if counts_only {
            notes.push(if fits(true) {
                "Accounts only: ARR shows at 80 columns or wider"
            } else {
                "Too narrow for the grid: widen the terminal"
            });
        }
        let mixed = format!("ARR in {} currencies, added unconverted", self.grid.currencies);
        if !counts_only && self.grid.currencies > 1 {
            notes.push(&mixed);
        }
        let legend = "– no score yet";
        // Only on a line the grid leaves free (header, rows, a gap and the totals): never in the
        // place of a segment's row.
        let free = usize::from(area.height) > self.grid.rows.len() + 3 + usize::from(counts_only);
        if !wide
            && free
            && notes.iter().map(|n| crate::text::width(n) + 3).sum::<usize>() + legend.len() < usize::from(area.width)
        {
            notes.push(legend);
        }
        let [table, foot] =
            ratatui::layout::Layout::vertical([Constraint::Fill(1), Constraint::Length(u16::from(!notes.is_empty()))])
                .areas(area);
        // Too short for every segment (the Scoring view's preview at 24 lines): the segments
        // that fit, the selected one among them, a line saying how many more, and the total
        // row always, as the sum is what a preview is read for.
        let segments = rows.len() - 1;
        let room = usize::from(table.height).saturating_sub(1 + 1); // header; total, right under
        if segments + 1 > room && room >= 2 {
            let total = rows.pop().expect("the total row");
            let keep = room - 1;
            // A window that holds the selected segment.
            let start = (self.row + 1).saturating_sub(keep).min(segments - keep);
            rows = rows.into_iter().skip(start).take(keep).collect();
            let more = format!("… {} more", segments - keep);
            rows.push(Row::new(vec![TableCell::from(more)]).style(theme.dim()));
            rows.push(total.top_margin(0));
        }
        Table::new(rows, widths).header(header).column_spacing(1).render(table, buf);
        if !notes.is_empty() {
            let text = format!(" {}", notes.join(" · "));
            ratatui::widgets::Paragraph::new(Line::styled(text, theme.dim())).render(foot, buf);
        }
    }
}

impl crate::tui::view::View for GridView {
    fn scope(&self) -> crate::tui::keymap::Scope {
        crate::tui::keymap::Scope::Grid
    }

    fn handle(&mut self, action: crate::tui::action::Action) -> crate::tui::view::Handled {
        use crate::tui::action::Action;
        use crate::tui::view::Handled;
        match action {
            Action::Up => self.move_by(-1, 0),
            Action::Down => self.move_by(1, 0),
            Action::Top | Action::PageUp => self.move_by(-100, 0),
            Action::Bottom | Action::PageDown => self.move_by(100, 0),
            Action::Left => self.move_by(0, -1),
            Action::Right => self.move_by(0, 1),
            Action::Open if self.selected_cell().accounts == 0 => {
                return Handled::Say("No accounts in this cell.".into());
            }
            _ => return Handled::Pass,
        }
        Handled::Done
    }

    fn selected(&self, _rows: &[crate::book::PortfolioRow]) -> crate::tui::view::Selected {
        crate::tui::view::Selected::NoAccounts
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ctx: &crate::tui::view::DrawCtx) {
        self.render(area, buf, ctx.theme)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::grid::GridRow;
    use crate::domain::Cents;

    #[test]
    fn a_million_accounts_fit_a_cell_at_80_columns() {
        let big = GridCell { accounts: 1_000_000, arr: Cents::from_units(120_000_000_000.0) };
        let mid = GridCell { accounts: 400_001, arr: Cents::from_units(19_799_820_000.0) };
        let row = GridRow {
            segment: Arc::from("Elephant"),
            cells: [big, mid, Default::default(), Default::default(), Default::default()],
            total: big,
        };
        let grid = Grid {
            rows: vec![row],
            totals: [big, mid, Default::default(), Default::default(), Default::default()],
            grand: big,
            currency: "USD".into(),
            currencies: 1,
        };
        let view = GridView::new(grid);
        assert_eq!(view.cell_text(&big, false), "1.0M $120B");
        assert_eq!(view.cell_text(&mid, false), "400k $20B");
        let area = Rect::new(0, 0, 80, 10);
        let mut buf = Buffer::empty(area);
        view.render(area, &mut buf, &Theme::plain());
        let line: String = (0..80).map(|x| buf[(x, 1)].symbol().to_string()).collect();
        assert!(line.contains("1.0M $120B") && line.contains("400k $20B"), "{line}");
        // At 60 columns the counts stay whole, and the screen says where the ARR went.
        let area = Rect::new(0, 0, 60, 10);
        let mut buf = Buffer::empty(area);
        view.render(area, &mut buf, &Theme::plain());
        let screen: Vec<String> =
            (0..10).map(|y| (0..60).map(|x| buf[(x, y)].symbol().to_string()).collect()).collect();
        assert!(screen[1].contains("1.0M") && screen[1].contains("400k") && !screen[1].contains('$'), "{screen:?}");
        assert!(screen[1].starts_with("Elephant"), "{screen:?}");
        assert!(screen.iter().any(|l| l.contains("ARR shows at 80 columns or wider")), "{screen:?}");
    }
}
