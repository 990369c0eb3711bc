//! The Portfolio: every account in one sortable, filterable table.

use std::cmp::Ordering;

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell as TableCell, Row, Table, Widget};

use crate::book::PortfolioRow;
use crate::book::history::MOVER_WINDOWS;
use crate::domain::{AccountStatus, Catalog, HealthBand};
use crate::text::fit;

/// The account's name keeps at least this many columns at any width.
const NAME_WIDTH: u16 = 16;

/// The same, in a book where names are told apart by their external id ("Iris Partners
/// (…1036)"): the id's tail takes 8 of them (a probe's six "Iris Partn… (…1036)" at 80 columns,
/// beside the 7-day arrows).
const TOLD_APART_NAME_WIDTH: u16 = 22;

/// A 7-day change of at least this many points shows as an up or down arrow.
const TREND_POINTS: i32 = 3;
use crate::tui::theme::Theme;
use crate::tui::views::cursor::ListCursor;
use crate::tui::views::filter::{Filtered, ListFilter};
use crate::tui::views::grid::CellFilter;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortColumn {
    Health,
    /// The 7-day trend (the arrow column).
    Trend,
    /// The score change over the chosen window: the movers.
    Change,
    Name,
    Status,
    Csm,
    Segment,
    Arr,
    Renewal,
    /// The factor costing the most points, grouped.
    Drag,
}

impl SortColumn {
    /// In the order of the columns on screen: `o` steps right, `O` left.
    pub const ALL: [SortColumn; 10] = [
        SortColumn::Health,
        SortColumn::Trend,
        SortColumn::Change,
        SortColumn::Name,
        SortColumn::Status,
        SortColumn::Csm,
        SortColumn::Segment,
        SortColumn::Arr,
        SortColumn::Renewal,
        SortColumn::Drag,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SortColumn::Health => "Health",
            SortColumn::Trend => "7d",
            SortColumn::Change => "Change",
            SortColumn::Name => "Account",
            SortColumn::Status => "Status",
            SortColumn::Drag => "Biggest drag",
            SortColumn::Csm => "CSM",
            SortColumn::Segment => "Segment",
            SortColumn::Arr => "ARR",
            SortColumn::Renewal => "Renews",
        }
    }

    /// The order a person expects first: worst health, biggest ARR, soonest renewal, A-Z.
    fn natural_descending(self) -> bool {
        matches!(self, SortColumn::Arr)
    }

    fn step(self, by: isize) -> SortColumn {
        let i = Self::ALL.iter().position(|c| *c == self).unwrap_or(0) as isize;
        Self::ALL[(i + by).rem_euclid(Self::ALL.len() as isize) as usize]
    }
}

pub struct PortfolioView {
    /// Shared with the thread that works out the sort orders behind the screen.
    rows: std::sync::Arc<Vec<PortfolioRow>>,
    /// The whole book's order by each column, kept (see `sort_orders`).
    orders: std::cell::RefCell<super::sort_orders::SortOrders>,
    /// Bumped whenever a row changes, so what is kept about the rows is known to be current.
    rows_version: u64,
    /// Which rows pass the filters other than the text query, for the filters and rows it was
    /// worked out for: a sort or a reverse does not read every row again.
    kept_filter: std::cell::RefCell<Option<(FilterKey, std::sync::Arc<Vec<bool>>)>>,
    /// A sort chosen while a filter stands: the matches in the sort's order, not best match
    /// first (a probe's `o` under "/zurich" moved rows with no ▲ to say by what). Dropped with
    /// the filter.
    sorted_under_filter: std::cell::Cell<bool>,
    /// The last query's scores of every row, for the filters and rows they were worked out for:
    /// a query typed on from it only scores the rows that matched it.
    last_scores: std::cell::RefCell<Option<LastScores>>,
    /// The sort's order of the kept rows, for the order and filters it was worked out for: each
    /// letter typed into the filter ranks the matches in it, and it stays the same from one
    /// letter to the next (see `order_into`).
    scratch: std::cell::RefCell<Option<SortedKept>>,
    /// The rows laid out for the `/` filter (see `search_index`).
    search: std::cell::RefCell<super::search_index::KeptIndex>,
    /// Churned rows, for the rows' version they were counted at.
    churned_count: std::cell::Cell<Option<(u64, usize)>>,
    /// Churned rows of the CSM's book and the Grid cell shown, for the rows' version and the
    /// filters they were counted under.
    churned_in_scope: std::cell::RefCell<Option<ChurnedInScope>>,
    /// For each of `MOVER_WINDOWS`, whether any row of the book has a change over it.
    book_has_deltas: [bool; MOVER_WINDOWS.len()],
    /// The widths the rows' own values need (`ContentWidths::of`).
    widths: ContentWidths,
    /// Indices into `rows` of the rows in view, in display order.
    visible: Vec<usize>,
    pub sort: SortColumn,
    pub descending: bool,
    /// `/`: rows matching it, best match first.
    pub filter: ListFilter,
    /// The account whose external id the query is (the query, the account's id): shown when the
    /// query matches no name, as a CSM pastes an id from the CRM (see `show_id_match`).
    id_match: Option<(String, i64)>,
    pub show_churned: bool,
    /// A Grid cell the Portfolio is narrowed to.
    pub cell: Option<CellFilter>,
    /// Only this CSM's accounts (their book), or everyone's.
    pub csm: Option<String>,
    /// Which of `MOVER_WINDOWS` the change column shows.
    window: usize,
    pub cursor: ListCursor,
    /// The sortable columns the last frame had room for.
    shown_sorts: std::cell::RefCell<Vec<SortColumn>>,
    /// The width the list was last drawn at.
    last_width: std::cell::Cell<u16>,
    /// For each of `MOVER_WINDOWS`, whether a row in view has a change over it: worked out when
    /// the rows in view change, not on every frame (a million rows without history would be
    /// scanned on every key).
    has_deltas: [bool; MOVER_WINDOWS.len()],
    /// For each window, whether under a tenth of the rows in view have a change over it (the
    /// first weeks of a book's history): the column then gives way with the segment, before
    /// the CSM, rather than stand nearly empty where the CSM was dropped (a probe's 60 columns).
    sparse_deltas: [bool; MOVER_WINDOWS.len()],
    /// The filters `has_deltas` and `sparse_deltas` were worked out for.
    deltas_of: Option<FilterKey>,
}

/// A query, the filters it ran under, and every row's score for it.
type LastScores = (String, FilterKey, Vec<super::search_index::Score>);

/// The kept rows in a sort's order, with the order and the filters they were put in it for.
type SortedKept = ((super::sort_orders::OrderKey, bool, FilterKey), Vec<usize>);

/// The filters a row is kept by (besides the text query), and the rows' version.
#[derive(Clone, Debug, PartialEq)]
struct FilterKey {
    show_churned: bool,
    csm: Option<String>,
    cell: Option<CellFilter>,
    rows_version: u64,
}

fn book_has_deltas(rows: &[PortfolioRow]) -> [bool; MOVER_WINDOWS.len()] {
    std::array::from_fn(|w| rows.iter().any(|r| r.deltas[w].is_some()))
}

/// Churned rows counted under the filters they were counted for: (rows' version, CSM, Grid cell,
/// count).
/// (rows version, CSM, cell, churned rows of the book and cell shown, rows of the book shown).
type ChurnedInScope = (u64, Option<String>, Option<CellFilter>, usize, usize);

/// The widths of the columns whose values the book decides, so that the name has the rest.
#[derive(Clone, Copy, Debug, PartialEq)]
struct ContentWidths {
    /// The book's longest segment whole ("Unsegmented" read "Unsegmen…" at 60 columns), from the
    /// header's 7 up to 11.
    segment: u16,
    /// The widest compact ARR the book can show ("$150k", "€1.25M"), from "ARR ▲"'s 5 up to 8:
    /// a fixed 8 stood beside names cut at 80 columns (a probe's "Meridian Fo… (…2664)").
    arr: u16,
    /// Some name is told apart by its external id (`book::names`): names need more room.
    told_apart: bool,
    /// The book's longest CSM name, up to 16: a book of short names ("Tom Becker") keeps its CSM
    /// column at 60 columns, where a fixed 12 gave way (a probe's lead lost whose each account is).
    csm: u16,
    /// Whether the rows have more than one CSM: then whose each account is stays before the
    /// change over the window; one CSM's name on every row gives way first.
    several_csms: bool,
}

impl ContentWidths {
    fn of(rows: &[PortfolioRow]) -> ContentWidths {
        let segment = rows.iter().map(|r| r.segment.chars().count()).max().unwrap_or(0).clamp(7, 11) as u16;
        // One pass: the largest amount and whether any is below zero, per currency (few).
        let mut by_currency: Vec<(&str, i64, bool)> = Vec::new();
        for r in rows {
            match by_currency.iter_mut().find(|(c, _, _)| *c == &*r.currency) {
                Some((_, max, negative)) => {
                    *max = (*max).max(r.arr.0.abs());
                    *negative |= r.arr.0 < 0;
                }
                None => by_currency.push((&r.currency, r.arr.0.abs(), r.arr.0 < 0)),
            }
        }
        let arr = by_currency
            .iter()
            .map(|(currency, max, negative)| {
                // From a thousand on, three figures and a suffix ("$1.25k", "$12.5M") at most.
                let widest = match *max >= 100_000 {
                    true => crate::domain::Cents(125_000).compact(currency).chars().count(),
                    false => crate::domain::Cents(*max).compact(currency).chars().count(),
                };
                widest + usize::from(*negative)
            })
            .max()
            .unwrap_or(0)
            .clamp(5, 8) as u16;
        let told_apart = rows.iter().any(|r| crate::book::names::split_told_apart(&r.name).is_some());
        let csm = rows.iter().map(|r| r.csm.chars().count()).max().unwrap_or(0).clamp(5, 16) as u16;
        let several_csms = rows.first().is_some_and(|first| rows.iter().any(|r| r.csm != first.csm));
        ContentWidths { segment, arr, told_apart, csm, several_csms }
    }
}

/// The Portfolio filters its own rows: the `rows` the shared key handling passes are not needed.
impl Filtered for PortfolioView {
    fn filter_mut(&mut self) -> &mut ListFilter {
        &mut self.filter
    }
    fn refilter(&mut self, _rows: &[PortfolioRow]) {
        PortfolioView::refilter(self)
    }
    fn clear_filter(&mut self, _rows: &[PortfolioRow]) {
        PortfolioView::clear_filter(self)
    }
    fn move_by(&mut self, delta: isize) {
        PortfolioView::move_by(self, delta)
    }
}

impl PortfolioView {
    pub fn new(rows: Vec<PortfolioRow>) -> Self {
        let mut view = Self::unordered(rows);
        view.refresh_view(None);
        view
    }

    /// The view over `rows` with nothing in view yet: `order` and `show_order` finish it, so a
    /// caller can order a large book on one thread while it reads the rows on another.
    pub fn unordered(rows: Vec<PortfolioRow>) -> Self {
        PortfolioView {
            visible: Vec::new(),
            sort: SortColumn::Health,
            descending: false,
            filter: ListFilter::default(),
            id_match: None,
            show_churned: false,
            cell: None,
            csm: None,
            window: 1,
            cursor: ListCursor::default(),
            shown_sorts: Default::default(),
            last_width: Default::default(),
            has_deltas: [false; MOVER_WINDOWS.len()],
            sparse_deltas: [false; MOVER_WINDOWS.len()],
            deltas_of: None,
            book_has_deltas: book_has_deltas(&rows),
            widths: ContentWidths::of(&rows),
            rows: std::sync::Arc::new(rows),
            orders: Default::default(),
            rows_version: 0,
            kept_filter: Default::default(),
            sorted_under_filter: Default::default(),
            last_scores: Default::default(),
            churned_count: Default::default(),
            churned_in_scope: Default::default(),
            scratch: Default::default(),
            search: Default::default(),
        }
    }

    /// Work out the whole book's order by every column on another thread, so that sorting by
    /// any of them later is one pass over the rows.
    pub fn start_sorting(&self) {
        self.orders.borrow_mut().start(self.rows.clone());
        self.search.borrow_mut().start(self.rows.clone());
    }

    /// Put rows in view in `order` (from `order()`), selecting the first.
    pub fn show_order(&mut self, order: Vec<usize>) {
        self.visible = order;
        (self.has_deltas, self.sparse_deltas) = self.deltas_in_view();
        self.cursor.reset();
    }

    /// Replace the rows (after a reload), keeping filter, sort and the selected account.
    pub fn set_rows(&mut self, rows: Vec<PortfolioRow>) {
        let keep = self.selected_row().map(|r| r.id);
        self.book_has_deltas = book_has_deltas(&rows);
        self.widths = ContentWidths::of(&rows);
        self.rows = std::sync::Arc::new(rows);
        self.rows_version += 1;
        self.orders.borrow_mut().clear();
        self.search.borrow_mut().clear();
        self.refresh_view(keep);
        self.start_sorting();
    }

    /// Put an updated row in place of the old one (after a write), keeping the selection. A name
    /// others share keeps the external id the whole book's read gave it (`book::names`): one row
    /// read alone cannot tell whether another shares its name, and a write changes no name.
    pub fn replace_row(&mut self, mut row: PortfolioRow) {
        let keep = self.selected_row().map(|r| r.id);
        let rows = std::sync::Arc::make_mut(&mut self.rows);
        let index = match rows.iter().position(|r| r.id == row.id) {
            Some(at) => {
                if crate::book::names::split_told_apart(&rows[at].name).is_some_and(|(name, _)| name == row.name) {
                    row.name = std::mem::take(&mut rows[at].name);
                }
                rows[at] = row;
                at
            }
            None => {
                rows.push(row);
                rows.len() - 1
            }
        };
        self.orders.borrow_mut().reposition(&self.rows, index);
        self.search.borrow_mut().set(&self.rows, index);
        self.rows_version += 1;
        self.book_has_deltas = book_has_deltas(&self.rows);
        self.widths = ContentWidths::of(&self.rows);
        self.refresh_view(keep);
    }

    pub fn total(&self) -> usize {
        self.rows.len()
    }

    pub fn in_view(&self) -> usize {
        self.visible.len()
    }

    /// The churned rows the churned filter hides from the book and cell shown (another CSM's
    /// book said "1 churned hidden" of an account of yours, and `c` showed no row).
    pub fn churned_hidden(&self) -> usize {
        if self.show_churned {
            return 0;
        }
        if self.csm.is_none() && self.cell.is_none() {
            return self.churned();
        }
        self.scope_counts().0
    }

    /// The rows of the book shown (one CSM's, or everyone's), whatever the filter typed, the
    /// cell and churned or not: what "31/33 shown" counts against (the whole book's 35 beside
    /// one CSM's 31 and "2 churned hidden" did not add up to a probe). A cell's rows are counted
    /// against the book they are of, the cell named beside them.
    pub fn scope_total(&self) -> usize {
        match self.csm.is_none() {
            true => self.rows.len(),
            false => self.scope_counts().1,
        }
    }

    /// The churned rows of the book and cell shown, and all rows of the book shown, counted once
    /// per version.
    fn scope_counts(&self) -> (usize, usize) {
        if let Some((version, csm, cell, churned, all)) = &*self.churned_in_scope.borrow()
            && *version == self.rows_version
            && *csm == self.csm
            && *cell == self.cell
        {
            return (*churned, *all);
        }
        let (mut churned, mut all) = (0, 0);
        for (i, r) in self.rows.iter().enumerate() {
            if self.csm.as_ref().is_none_or(|c| **c == *r.csm) {
                all += 1;
            }
            churned += usize::from(r.status == AccountStatus::Churned && self.in_scope(i));
        }
        *self.churned_in_scope.borrow_mut() =
            Some((self.rows_version, self.csm.clone(), self.cell.clone(), churned, all));
        (churned, all)
    }

    /// Churned rows, hidden or not: counted once per version of the rows (the status line asks
    /// on every frame, and a million rows are a million cache misses).
    pub fn churned(&self) -> usize {
        if let Some((version, n)) = self.churned_count.get()
            && version == self.rows_version
        {
            return n;
        }
        let n = self.rows.iter().filter(|r| r.status == AccountStatus::Churned).count();
        self.churned_count.set(Some((self.rows_version, n)));
        n
    }

    pub fn selected_row(&self) -> Option<&PortfolioRow> {
        self.visible.get(self.cursor.selected()).map(|&i| &self.rows[i])
    }

    pub fn selected_index(&self) -> usize {
        self.cursor.selected()
    }

    /// The rows in view, in order.
    pub fn visible_rows(&self) -> impl Iterator<Item = &PortfolioRow> {
        self.visible.iter().map(|&i| &self.rows[i])
    }

    pub fn move_by(&mut self, delta: isize) {
        self.cursor.move_by(delta, self.visible.len());
    }

    /// Whether rows are ranked by how well they match the filter rather than by the sort.
    pub fn ranked_by_match(&self) -> bool {
        !self.filter.query().is_empty() && !self.sorted_under_filter.get()
    }

    /// Sort by `column`, showing the top of the new order: kept on the account selected, a sort
    /// by Δ30d opened on "+3, +3, +3" somewhere in the middle and read as unsorted.
    pub fn set_sort(&mut self, column: SortColumn) {
        self.sort = column;
        self.descending = column.natural_descending();
        self.sorted_under_filter.set(!self.filter.query().is_empty());
        self.refresh_view(None);
    }

    /// Whether the column the rows are sorted by is among those shown at `width` (a sort chosen
    /// wider stays when the terminal narrows).
    pub fn sort_is_shown(&self, width: u16) -> bool {
        self.columns(width).iter().any(|c| c.1 == self.sort)
    }

    /// The next (or previous) column to sort by among those on screen: a column the width
    /// hides is skipped, so a sort never changes the order by something you cannot see.
    pub fn sort_step(&mut self, by: isize) {
        let shown = self.shown_sorts.borrow().clone();
        let mut next = self.sort.step(by);
        for _ in 0..SortColumn::ALL.len() {
            if shown.is_empty() || shown.contains(&next) {
                break;
            }
            next = next.step(by);
        }
        self.set_sort(next);
    }

    /// The sort column as its heading reads ("Δ30d" for the change).
    pub fn sort_label(&self) -> String {
        match self.sort {
            SortColumn::Change => format!("Δ{}d", self.window_days()),
            other => other.label().to_string(),
        }
    }

    /// The order reversed, from its new top (see `set_sort`).
    pub fn reverse(&mut self) {
        self.descending = !self.descending;
        self.sorted_under_filter.set(!self.filter.query().is_empty());
        self.refresh_view(None);
    }

    pub fn toggle_churned(&mut self) {
        self.show_churned = !self.show_churned;
        self.refresh_view(self.selected_row().map(|r| r.id));
    }

    /// Re-apply the filter after the query changed; the selection goes to the best row.
    pub fn refilter(&mut self) {
        self.refresh_view(None);
    }

    /// Show only the accounts of a Grid cell (and drop any text filter).
    pub fn set_cell(&mut self, cell: Option<CellFilter>) {
        self.cell = cell;
        self.filter.clear();
        self.refresh_view(None);
    }

    /// Show only one CSM's accounts, or everyone's (None).
    pub fn set_csm(&mut self, csm: Option<String>) {
        self.csm = csm;
        self.refresh_view(self.selected_row().map(|r| r.id));
    }

    /// The change column's window in days.
    pub fn window_days(&self) -> i64 {
        MOVER_WINDOWS[self.window]
    }

    pub fn cycle_window(&mut self) {
        self.window = (self.window + 1) % MOVER_WINDOWS.len();
        self.refresh_view(self.selected_row().map(|r| r.id));
    }

    pub fn rows(&self) -> &[PortfolioRow] {
        &self.rows
    }

    pub fn clear_filter(&mut self) {
        self.cell = None;
        self.filter.clear();
        self.refresh_view(self.selected_row().map(|r| r.id));
    }

    /// Recompute which rows are in view and their order; keep `keep` selected if still in view.
    fn refresh_view(&mut self, keep: Option<i64>) {
        let mut visible = std::mem::take(&mut self.visible);
        self.order_into(&mut visible);
        self.visible = visible;
        // Of the rows the filters keep, not of those the query matches: the columns stay put as
        // a query is typed (a probe's 60 columns showed 7d, Δ30d or neither by the matches).
        let key = self.filter_key();
        if self.deltas_of.as_ref() != Some(&key) {
            (self.has_deltas, self.sparse_deltas) = self.deltas_in_view();
            self.deltas_of = Some(key);
        }
        let at = keep.and_then(|id| self.visible.iter().position(|&i| self.rows[i].id == id));
        self.cursor.reset();
        self.cursor.select(at.unwrap_or(0), self.visible.len());
    }

    /// Whether a row the filters keep (the query aside) has a change over each of
    /// `MOVER_WINDOWS`, and whether under a tenth of them do: none when the book has none (no
    /// history yet), else read in the rows' own order (fast), stopping once a tenth have one.
    fn deltas_in_view(&self) -> ([bool; MOVER_WINDOWS.len()], [bool; MOVER_WINDOWS.len()]) {
        const NONE: [bool; MOVER_WINDOWS.len()] = [false; MOVER_WINDOWS.len()];
        if !self.book_has_deltas.iter().any(|&d| d) {
            return (NONE, NONE);
        }
        let in_view = self.kept_rows();
        let enough = in_view.iter().filter(|&&k| k).count().div_ceil(10).max(1);
        let counts: [usize; MOVER_WINDOWS.len()] = std::array::from_fn(|w| match self.book_has_deltas[w] {
            false => 0,
            true => self
                .rows
                .iter()
                .zip(in_view.iter())
                .filter(|(r, shown)| **shown && r.deltas[w].is_some())
                .take(enough)
                .count(),
        });
        (counts.map(|n| n > 0), counts.map(|n| n > 0 && n < enough))
    }

    /// The filters other than the text query, and the rows' version.
    fn filter_key(&self) -> FilterKey {
        FilterKey {
            show_churned: self.show_churned,
            csm: self.csm.clone(),
            cell: self.cell.clone(),
            rows_version: self.rows_version,
        }
    }

    /// Which rows pass the filters other than the text query, worked out in the rows' own order
    /// (reading a million rows in a sort's order costs a cache miss each) and kept while the
    /// filters and rows stay as they are.
    fn kept_rows(&self) -> std::sync::Arc<Vec<bool>> {
        let key = self.filter_key();
        if let Some((k, keep)) = &*self.kept_filter.borrow()
            && *k == key
        {
            return keep.clone();
        }
        let keep = std::sync::Arc::new((0..self.rows.len()).map(|i| self.passes(i)).collect::<Vec<bool>>());
        *self.kept_filter.borrow_mut() = Some((key, keep.clone()));
        keep
    }

    /// Whether row `i` passes the filters other than the text query: churned, CSM, Grid cell.
    fn passes(&self, i: usize) -> bool {
        (self.show_churned || self.rows[i].status != AccountStatus::Churned) && self.in_scope(i)
    }

    /// Whether row `i` is of the CSM's book and the Grid cell shown.
    fn in_scope(&self, i: usize) -> bool {
        let r = &self.rows[i];
        self.csm.as_ref().is_none_or(|c| **c == *r.csm)
            && self.cell.as_ref().is_none_or(|c| {
                c.segment.as_ref().is_none_or(|s| *s == r.segment) && c.band.is_none_or(|b| b == r.band)
            })
    }

    /// Show the account `id` for the query `query`, its external id, while the query stands
    /// and matches no name (None: no account has it).
    pub fn show_id_match(&mut self, query: &str, id: Option<i64>) {
        let id_match = id.map(|id| (query.to_string(), id));
        if id_match != self.id_match {
            self.id_match = id_match;
            self.refresh_view(None);
        }
    }

    /// Whether the row in view is there by its external id, not its name.
    pub fn shown_by_id(&self) -> bool {
        self.id_match.as_ref().is_some_and(|(q, id)| {
            q == self.filter.query() && self.visible.len() == 1 && self.rows[self.visible[0]].id == *id
        })
    }

    /// Indices of the rows in view, in display order, under the current filter and sort.
    pub fn order(&self) -> Vec<usize> {
        let mut out = Vec::new();
        self.order_into(&mut out);
        out
    }

    /// `order`, written into `out`. The buffers a million rows need (the sort's order, the
    /// scores) are kept between keys rather than allocated, and zeroed by the system, on each.
    fn order_into(&self, out: &mut Vec<usize>) {
        let query = self.filter.query();
        let rows = &self.rows;
        let (sort, descending, window) = (self.sort, self.descending, self.window);
        let keep = self.kept_rows();
        let key = super::sort_orders::key(sort, window);
        if query.is_empty() {
            // The kept order of the whole book, passed through the filters: no sort.
            self.sorted_under_filter.set(false);
            self.orders.borrow_mut().ordered_into(rows, key, descending, &keep, out);
            return;
        }
        let (sorted_key, sorted) = self.sorted_kept(&keep);
        // A query typed on from the last one matches only rows the last one matched (each word
        // of a fuzzy query must match; more letters or words only narrow it), unless it negates.
        let key = self.filter_key();
        let last = self.last_scores.borrow_mut().take();
        let narrowing = matches!(&last, Some((q, k, _)) if *k == key && query.starts_with(q.as_str()) && !query.contains(['!', '\\']));
        let mut scores = last.map(|(_, _, scores)| scores).unwrap_or_default();
        self.search.borrow_mut().get(rows).score_into(query, &keep, narrowing, &mut scores);
        // Best match first, the chosen sort breaking ties; or the matches in a sort chosen since.
        match self.sorted_under_filter.get() {
            true => {
                out.clear();
                out.extend(sorted.iter().copied().filter(|&i| scores[i] != 0));
            }
            false => super::search_index::rank(&sorted, &scores, out),
        }
        // No name matches an external id typed whole: the account it is, whatever the filters.
        if out.is_empty()
            && let Some((_, id)) = self.id_match.as_ref().filter(|(q, _)| q == query)
        {
            out.extend(rows.iter().position(|r| r.id == *id));
        }
        *self.scratch.borrow_mut() = Some((sorted_key, sorted));
        *self.last_scores.borrow_mut() = Some((query.to_string(), key, scores));
    }

    /// The kept rows in the sort's order, as `scratch` holds them if it was worked out for the
    /// same order and filters.
    fn sorted_kept(&self, keep: &[bool]) -> SortedKept {
        let key = (super::sort_orders::key(self.sort, self.window), self.descending, self.filter_key());
        match self.scratch.borrow_mut().take() {
            Some((was, sorted)) if was == key => (was, sorted),
            other => {
                let mut sorted = other.map(|(_, buffer)| buffer).unwrap_or_default();
                self.orders.borrow_mut().ordered_into(&self.rows, key.0, key.1, keep, &mut sorted);
                (key, sorted)
            }
        }
    }

    /// The filter is opened: put the kept rows in the sort's order now, which the first letter
    /// typed would otherwise wait for.
    pub fn prepare_filter(&self) {
        let sorted = self.sorted_kept(&self.kept_rows());
        *self.scratch.borrow_mut() = Some(sorted);
    }

    /// The columns shown at `width`, each with the sort it shows and its width (0: the name,
    /// which takes the rest). Status and the biggest drag only where there is room, and below 80
    /// columns the least needed go first (the name stays).
    fn columns(&self, width: u16) -> Vec<(String, SortColumn, u16)> {
        let wide = width >= 110;
        let (csm_width, segment_width) = (self.widths.csm.min(if wide { 16 } else { 12 }), self.widths.segment);
        // (header, the sort column it shows, width, priority)
        let mut specs: Vec<(String, SortColumn, u16, u8)> = vec![
            ("Health".into(), SortColumn::Health, 9, super::ALWAYS),
            ("7d".into(), SortColumn::Trend, 3, 2),
            (
                format!("Δ{}d", self.window_days()),
                SortColumn::Change,
                6,
                if self.sparse_deltas[self.window] { 3 } else { 5 },
            ),
            ("Account".into(), SortColumn::Name, 0, super::ALWAYS),
            ("CSM".into(), SortColumn::Csm, csm_width, if self.widths.several_csms { 6 } else { 1 }),
            ("Segment".into(), SortColumn::Segment, segment_width, 3),
            ("ARR".into(), SortColumn::Arr, self.widths.arr, 7),
            // "churned", "-365d", "1200d": 7 holds them, the header's arrow without its space.
            ("Renews".into(), SortColumn::Renewal, 7, 6),
        ];
        if wide {
            specs.insert(4, ("Status".into(), SortColumn::Status, 8, 1));
            specs.push(("Biggest drag".into(), SortColumn::Drag, 18, 1));
        }
        // A book with no history yet has no trend or change to show: their columns give their
        // room to the name rather than stand empty.
        let (show_trend, show_change) = (self.has_deltas[0], self.has_deltas[self.window]);
        specs.retain(|s| match s.1 {
            SortColumn::Trend => show_trend,
            SortColumn::Change => show_change,
            // One CSM's book (the status line says whose): their name on every row took the
            // room of the accounts' names at 80 columns ("Dana Whitfi…" beside "Crescent Insur…").
            SortColumn::Csm => self.csm.is_none(),
            _ => true,
        });
        let reserve = if self.widths.told_apart { TOLD_APART_NAME_WIDTH } else { NAME_WIDTH };
        let keep = super::fit_columns(&specs.iter().map(|s| (s.2, s.3)).collect::<Vec<_>>(), width, reserve);
        super::kept(specs, &keep).into_iter().map(|(label, sort, w, _)| (label, sort, w)).collect()
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, as_of: NaiveDate, catalog: &Catalog) {
        let height = area.height.saturating_sub(1) as usize; // one line for the header
        let window = self.cursor.window(self.visible.len(), height);
        let offset = window.start;

        let arrow = if self.descending { "▼" } else { "▲" };
        let columns = self.columns(area.width);
        *self.shown_sorts.borrow_mut() = columns.iter().map(|c| c.1).collect();
        self.last_width.set(area.width);
        let header = Row::new(columns.iter().map(|(label, sort, width)| {
            let text = if *sort == self.sort && !self.ranked_by_match() {
                // A narrow column's arrow goes without the space, so it still shows.
                let room = if *width == 0 { u16::MAX } else { *width };
                if label.chars().count() + 2 <= room as usize {
                    format!("{label} {arrow}")
                } else {
                    format!("{label}{arrow}")
                }
            } else {
                label.clone()
            };
            // Money and day counts are right-aligned, and so are their headings.
            if matches!(sort, SortColumn::Arr | SortColumn::Renewal | SortColumn::Change) {
                TableCell::from(Line::from(text).right_aligned())
            } else {
                TableCell::from(text)
            }
        }))
        .style(theme.header());

        let name_width = super::fill_width(&columns.iter().map(|c| c.2).collect::<Vec<_>>(), area.width);
        let shown = &self.visible[window];
        // The names in view cut so that two never read alike.
        let names: Vec<&str> = shown.iter().map(|&i| &*self.rows[i].name).collect();
        let names = crate::book::names::fit_apart(&names, name_width);
        let rows = shown.iter().enumerate().map(|(n, &i)| {
            let r = &self.rows[i];
            let health = TableCell::from(super::cells::health(r, theme, true));
            let renewal = match (r.status, r.days_to_renewal(as_of)) {
                (AccountStatus::Churned, _) => "churned".to_string(),
                (_, Some(d)) => format!("{d}d"),
                (_, None) => "—".to_string(),
            };
            let trend = match r.deltas[0] {
                Some(d) if d >= TREND_POINTS => Span::styled("↑", theme.band(Some(HealthBand::Green))),
                Some(d) if d <= -TREND_POINTS => Span::styled("↓", theme.band(Some(HealthBand::Red))),
                Some(_) => Span::styled("→", theme.dim()),
                None => Span::raw(""),
            };
            let change = super::change_text(r, self.window);
            // One cell for each column shown, in its order.
            let cells = columns.iter().map(|(_, sort, width)| match sort {
                SortColumn::Health => health.clone(),
                SortColumn::Trend => TableCell::from(trend.clone()),
                SortColumn::Change => TableCell::from(Line::from(change.clone()).right_aligned()),
                // Cut names end in "…", so a cut one is never taken for a whole one.
                SortColumn::Name => TableCell::from(names[n].clone()),
                SortColumn::Csm => TableCell::from(fit(&r.csm, usize::from(*width))),
                SortColumn::Segment => TableCell::from(fit(&r.segment, usize::from(*width))),
                SortColumn::Arr => TableCell::from(Line::from(r.arr.compact_or(&r.currency, "-")).right_aligned()),
                SortColumn::Renewal => TableCell::from(Line::from(renewal.clone()).right_aligned()),
                SortColumn::Status => TableCell::from(r.status.key()),
                SortColumn::Drag => TableCell::from(Span::styled(
                    fit(r.drag.map_or("", |f| catalog.label(f)), usize::from(*width)).into_owned(),
                    theme.dim(),
                )),
            });
            let row = Row::new(cells);
            if offset + n == self.cursor.selected() { row.style(theme.selected()) } else { row }
        });
        let widths = columns.iter().map(|(_, _, w)| super::column_width(*w));
        Table::new(rows, widths).header(header).column_spacing(1).render(area, buf);
    }
}

/// Whether a row has a value in a column: rows without one (no score, no renewal date) go last
/// whichever the direction.
pub(super) fn has_value(r: &PortfolioRow, column: SortColumn, window: usize) -> bool {
    match column {
        SortColumn::Health => health_key(r).is_some(),
        SortColumn::Change => r.deltas[window].is_some(),
        SortColumn::Trend => r.deltas[0].is_some(),
        SortColumn::Drag => r.drag.is_some(),
        SortColumn::Renewal => r.renewal_date.is_some(),
        // The accounts without a CSM last, either way (they came first, above every CSM's).
        SortColumn::Csm => !r.csm.is_empty(),
        SortColumn::Name | SortColumn::Segment | SortColumn::Arr | SortColumn::Status => true,
    }
}

/// The order of the Health column: the band in force, then the score within it. A band a CSM set
/// by hand sorts with its band (a probe's account set Red sorted among the Yellows by its score of
/// 67), and an account without a score but with a band set by hand first in its band.
pub(super) fn health_key(r: &PortfolioRow) -> Option<i64> {
    r.band.map(|band| band as i64 * 1000 + r.score.map_or(-1, i64::from))
}

/// Row order for a sort column: the column's value (rows without one last), then the bigger
/// account, then the name, then the id, so the order never jitters.
pub(super) fn compare(
    a: &PortfolioRow,
    b: &PortfolioRow,
    column: SortColumn,
    descending: bool,
    window: usize,
) -> Ordering {
    // Ties: the bigger account first, then by name.
    primary(a, b, column, descending, window)
        .then_with(|| b.arr.cmp(&a.arr))
        .then_with(|| a.name.cmp(&b.name))
        .then(a.id.cmp(&b.id))
}

/// The column's own order, without the tie-breaks.
pub(super) fn primary(
    a: &PortfolioRow,
    b: &PortfolioRow,
    column: SortColumn,
    descending: bool,
    window: usize,
) -> Ordering {
    fn opt<T: Ord>(a: Option<T>, b: Option<T>, descending: bool) -> Ordering {
        match (a, b) {
            (Some(x), Some(y)) => {
                if descending {
                    y.cmp(&x)
                } else {
                    x.cmp(&y)
                }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    match column {
        SortColumn::Health => opt(health_key(a), health_key(b), descending),
        // Ascending puts the biggest falls first.
        SortColumn::Change => opt(a.deltas[window], b.deltas[window], descending),
        SortColumn::Trend => opt(a.deltas[0], b.deltas[0], descending),
        SortColumn::Status => opt(Some(a.status.key()), Some(b.status.key()), descending),
        SortColumn::Drag => opt(a.drag, b.drag, descending),
        SortColumn::Renewal => opt(a.renewal_date, b.renewal_date, descending),
        SortColumn::Name => {
            let ord = crate::text::collate(&a.name, &b.name);
            if descending { ord.reverse() } else { ord }
        }
        SortColumn::Csm => {
            opt(Some(&a.csm).filter(|c| !c.is_empty()), Some(&b.csm).filter(|c| !c.is_empty()), descending)
        }
        // By size, biggest first (the config's order), not A-Z.
        SortColumn::Segment => opt(Some(a.segment_rank), Some(b.segment_rank), descending),
        SortColumn::Arr => opt(Some(a.arr), Some(b.arr), descending),
    }
}

impl crate::tui::view::View for PortfolioView {
    fn scope(&self) -> crate::tui::keymap::Scope {
        crate::tui::keymap::Scope::Portfolio
    }

    fn handle(&mut self, action: crate::tui::action::Action) -> crate::tui::view::Handled {
        use crate::tui::action::Action;
        use crate::tui::view::Handled;
        if self.cursor.step(action, self.visible.len()) {
            return Handled::Done;
        }
        match action {
            Action::SortNext => self.sort_step(1),
            Action::SortPrev => self.sort_step(-1),
            Action::ReverseSort => self.reverse(),
            Action::ToggleChurned => self.toggle_churned(),
            Action::CycleWindow => {
                self.cycle_window();
                // Said where the column it changes is not on screen: the key did something.
                let days = self.window_days();
                if !self.has_deltas[self.window] {
                    return Handled::Say(format!("Δ{days}d: no account has a score from {days} days back yet."));
                }
                // Asked of the width last drawn at, with the new window: the column may have
                // been hidden only because the window before had no change to show.
                let width = self.last_width.get();
                if width > 0 && !self.columns(width).iter().any(|c| c.1 == SortColumn::Change) {
                    return Handled::Say(format!("The change column is now Δ{days}d: it shows on a wider terminal."));
                }
            }
            // Back from a Grid cell's accounts: the Grid they came from, and the whole book here.
            Action::Back if self.cell.is_some() => {
                self.clear_filter();
                return Handled::Then(Action::ShowGrid);
            }
            _ => return Handled::Pass,
        }
        Handled::Done
    }

    fn selected(&self, _rows: &[PortfolioRow]) -> crate::tui::view::Selected {
        crate::tui::view::Selected::of(self.selected_row())
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ctx: &crate::tui::view::DrawCtx) {
        self.render(area, buf, ctx.theme, ctx.today, &ctx.config.health.catalog)
    }

    fn filtered(&mut self) -> Option<&mut dyn Filtered> {
        Some(self)
    }

    fn filter(&self) -> Option<&ListFilter> {
        Some(&self.filter)
    }
}

/// Rows with every kind of tie and gap: equal scores and ARR, missing scores, changes,
/// renewals and drags.
#[cfg(test)]
pub(super) fn tie_rows() -> Vec<PortfolioRow> {
    use crate::domain::{FactorId, HealthBand};
    {
        (0..200)
            .map(|i: i64| {
                let mut r = PortfolioRow::sample(
                    i,
                    "Deer",
                    Some(HealthBand::Yellow),
                    (i % 7) as f64 * 1000.0,
                    AccountStatus::Active,
                );
                r.name = format!("N{}", (i * 37) % 50);
                r.score = (i % 5 != 0).then_some((i % 13) as u8 * 7);
                r.deltas =
                    [(i % 3 != 0).then_some((i % 11 - 5) as i32), (i % 4 != 0).then_some((i % 9 - 4) as i32), None];
                r.drag = (i % 6 != 0).then_some(FactorId((i % 4) as u8));
                r.renewal_date = (i % 8 != 0)
                    .then(|| chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap() + chrono::Duration::days(i % 17));
                r
            })
            .collect()
    }
}

#[cfg(test)]
mod filter_tests {
    use super::*;

    fn named_rows() -> Vec<PortfolioRow> {
        let words = ["Acme", "Cup", "Cupola", "Beta", "Cloud", "Zed", "acute", "Pucker"];
        (0..400)
            .map(|i: i64| {
                let mut r = PortfolioRow::sample(i, "Deer", None, (i % 9) as f64 * 100.0, AccountStatus::Active);
                r.name = format!("{} {} {i}", words[i as usize % 8], words[(i as usize / 8) % 8]);
                r
            })
            .collect()
    }

    fn order_for(view: &mut PortfolioView, query: &str) -> Vec<usize> {
        view.filter.input = tui_input::Input::new(query.to_string());
        view.order()
    }

    #[test]
    fn a_query_typed_on_matches_as_the_whole_query_typed_at_once() {
        for steps in [
            &["c", "cu", "cup"][..],
            &["a", "a ", "a c", "a cl"],
            &["cup", "cup!"],
            &["a", "a !cup"],
            &["z", "ze", "zed", "zed$"],
            &["cupola", "cup"],
            &["!c", "!cu"],
        ] {
            let mut typed = PortfolioView::new(named_rows());
            let mut last = Vec::new();
            for q in steps {
                last = order_for(&mut typed, q);
            }
            let mut fresh = PortfolioView::new(named_rows());
            let whole = order_for(&mut fresh, steps.last().unwrap());
            assert_eq!(last, whole, "{steps:?}");
            let none_expected = ["cup!", "zed$"].contains(steps.last().unwrap());
            assert_eq!(whole.is_empty(), none_expected, "{steps:?}");
        }
    }

    /// The ranked order is each row scored alone (by the general matcher, the account named
    /// exactly first), best first, the sort's order breaking ties; also after a write renames a
    /// row, whose old name then no longer matches.
    #[test]
    fn matches_rank_as_each_row_scored_alone() {
        fn reference(view: &mut PortfolioView, query: &str) -> Vec<usize> {
            let in_sort_order = order_for(view, "");
            let mut m = crate::tui::views::filter::RowMatcher::new(query).unwrap();
            let mut scored: Vec<(u64, usize)> = in_sort_order
                .into_iter()
                .filter_map(|i| {
                    let r = &view.rows()[i];
                    let exact = r.name.eq_ignore_ascii_case(query.trim());
                    m.score(r).map(|s| (if exact { u64::MAX } else { u64::from(s) }, i))
                })
                .collect();
            // Stable: equal scores keep the sort's order.
            scored.sort_by_key(|&(score, _)| std::cmp::Reverse(score));
            scored.into_iter().map(|(_, i)| i).collect()
        }
        let mut view = PortfolioView::new(named_rows());
        view.start_sorting();
        view.set_sort(SortColumn::Arr);
        for query in ["c", "C", "a", "cu", "cup", "acme cup 17", "zed", "7", "!cup", "Deer"] {
            assert_eq!(order_for(&mut view, query), reference(&mut view, query), "{query:?}");
        }
        let mut renamed = view.rows()[5].clone();
        renamed.name = "Quokka Labs".into();
        view.replace_row(renamed);
        for query in ["quokka", "q", "cup"] {
            assert_eq!(order_for(&mut view, query), reference(&mut view, query), "{query:?} after the rename");
        }
        assert_eq!(order_for(&mut view, "quokka").len(), 1);
    }

    #[test]
    fn the_account_named_exactly_comes_first() {
        let rows: Vec<PortfolioRow> = [("Company 296", 900.0), ("Company 292", 800.0), ("Company 29", 100.0)]
            .iter()
            .enumerate()
            .map(|(i, (name, arr))| {
                let mut r = PortfolioRow::sample(i as i64, "Deer", None, *arr, AccountStatus::Active);
                r.name = name.to_string();
                r
            })
            .collect();
        let mut view = PortfolioView::new(rows);
        let order = order_for(&mut view, "company 29");
        assert_eq!(order.len(), 3);
        assert_eq!(view.rows()[order[0]].name, "Company 29");
    }

    /// Health sorts by the band in force, then the score: an account a CSM set Red sorts with
    /// the Reds whatever its score, and an account with no band at all last either way.
    #[test]
    fn health_sorts_by_the_band_in_force_then_the_score() {
        use crate::domain::HealthBand;
        let bands = [
            ("Yellow 60", Some(HealthBand::Yellow), Some(60)),
            ("set Red, 67", Some(HealthBand::Red), Some(67)),
            ("Red 20", Some(HealthBand::Red), Some(20)),
            ("Green 90", Some(HealthBand::Green), Some(90)),
            ("no data", None, None),
        ];
        let rows: Vec<PortfolioRow> = bands
            .iter()
            .enumerate()
            .map(|(i, (name, band, score))| {
                let mut r = PortfolioRow::sample(i as i64, "Deer", *band, 1000.0, AccountStatus::Active);
                (r.name, r.band, r.score) = (name.to_string(), *band, *score);
                r
            })
            .collect();
        let sorted = |descending: bool| {
            let mut order: Vec<usize> = (0..rows.len()).collect();
            order.sort_by(|a, b| compare(&rows[*a], &rows[*b], SortColumn::Health, descending, 0));
            order.iter().map(|i| rows[*i].name.as_str()).collect::<Vec<_>>()
        };
        assert_eq!(sorted(false), ["Red 20", "set Red, 67", "Yellow 60", "Green 90", "no data"]);
        assert_eq!(sorted(true), ["Green 90", "Yellow 60", "set Red, 67", "Red 20", "no data"]);
    }
}
