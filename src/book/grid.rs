//! The segment x health grid: where the risk and the revenue are (the Passbase resource chart).

use std::sync::Arc;

use super::PortfolioRow;
use crate::domain::{AccountStatus, Cents, HealthBand};

/// Columns of the grid: the four bands, best first, then "no score".
pub const COLUMNS: [Option<HealthBand>; 5] =
    [Some(HealthBand::Green), Some(HealthBand::Yellow), Some(HealthBand::Orange), Some(HealthBand::Red), None];

/// The column of a band in `COLUMNS` (and in every per-band count): no score is the last.
pub fn column_of(band: Option<HealthBand>) -> usize {
    COLUMNS.iter().position(|c| *c == band).unwrap_or(COLUMNS.len() - 1)
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GridCell {
    pub accounts: usize,
    pub arr: Cents,
}

impl GridCell {
    fn add(&mut self, arr: Cents) {
        self.accounts += 1;
        self.arr = Cents(self.arr.0 + arr.0);
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct GridRow {
    pub segment: Arc<str>,
    pub cells: [GridCell; 5],
    pub total: GridCell,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    /// One row per segment of the active scheme, largest first, then "Unsegmented".
    pub rows: Vec<GridRow>,
    pub totals: [GridCell; 5],
    pub grand: GridCell,
    /// The currency sums are shown in: the one most accounts with an ARR are in.
    pub currency: String,
    /// How many currencies the ARR summed is in: more than one are added unconverted, said.
    pub currencies: usize,
}

/// Count and sum the live accounts (churned ones are left out, as in the Portfolio) per segment
/// and band. `segments` gives the rows and their order; a segment outside it gets a row at the end.
pub fn build<'r>(rows: impl IntoIterator<Item = &'r PortfolioRow>, segments: &[&str]) -> Grid {
    let mut grid_rows: Vec<GridRow> = segments
        .iter()
        .map(|s| GridRow { segment: Arc::from(*s), cells: Default::default(), total: GridCell::default() })
        .collect();
    let mut totals: [GridCell; 5] = Default::default();
    let mut grand = GridCell::default();
    let mut currencies: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for r in rows.into_iter().filter(|r| r.status != AccountStatus::Churned) {
        let col = column_of(r.band);
        let row = match grid_rows.iter().position(|g| g.segment == r.segment) {
            Some(i) => i,
            None => {
                grid_rows.push(GridRow {
                    segment: r.segment.clone(),
                    cells: Default::default(),
                    total: GridCell::default(),
                });
                grid_rows.len() - 1
            }
        };
        grid_rows[row].cells[col].add(r.arr);
        grid_rows[row].total.add(r.arr);
        totals[col].add(r.arr);
        grand.add(r.arr);
        // An account with no ARR on record is in no currency's sum.
        if r.arr.on_record().is_some() {
            *currencies.entry(&r.currency).or_default() += 1;
        }
    }
    let currency = super::main_currency(&currencies).to_string();
    Grid { rows: grid_rows, totals, grand, currency, currencies: currencies.len() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, segment: &str, band: Option<HealthBand>, arr: f64, status: AccountStatus) -> PortfolioRow {
        PortfolioRow::sample(id, segment, band, arr, status)
    }

    #[test]
    fn counts_and_arr_add_up_by_segment_and_band() {
        let rows = vec![
            row(1, "Deer", Some(HealthBand::Red), 20_000.0, AccountStatus::Active),
            row(2, "Deer", Some(HealthBand::Red), 30_000.0, AccountStatus::Renewed),
            row(3, "Elephant", Some(HealthBand::Green), 200_000.0, AccountStatus::Active),
            row(4, "Rabbit", None, 2_000.0, AccountStatus::Active),
            row(5, "Rabbit", Some(HealthBand::Green), 9_000.0, AccountStatus::Churned),
        ];
        let g = build(&rows, &["Elephant", "Deer", "Rabbit", "Unsegmented"]);
        let names: Vec<&str> = g.rows.iter().map(|r| &*r.segment).collect();
        assert_eq!(names, vec!["Elephant", "Deer", "Rabbit", "Unsegmented"]);
        assert_eq!(g.rows[1].cells[3], GridCell { accounts: 2, arr: Cents::from_units(50_000.0) });
        assert_eq!(g.rows[2].cells[4].accounts, 1, "no score has its own column");
        assert_eq!(g.rows[2].cells[0].accounts, 0, "churned accounts are left out");
        assert_eq!(g.grand, GridCell { accounts: 4, arr: Cents::from_units(252_000.0) });
        let column_sum: usize = g.totals.iter().map(|c| c.accounts).sum();
        let row_sum: usize = g.rows.iter().map(|r| r.total.accounts).sum();
        assert_eq!((column_sum, row_sum), (4, 4));
    }
}
