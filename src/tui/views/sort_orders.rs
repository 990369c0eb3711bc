//! The Portfolio's orders of the whole book, one per sort column, kept so that a key (sort by
//! another column, reverse, show churned, clear a filter) is one pass over the rows rather than a
//! sort of a million of them.
//!
//! Each order is the rows' indices in ascending order of the column (rows without a value last,
//! ties broken by the bigger account, then the name, then the id, as `compare` does). The
//! descending order is read from the same one: the groups of equal values in reverse, each group
//! in its own order, the rows without a value still last. After the book is read, a thread works
//! out every column's order behind the screen; a key that needs one not yet there sorts at once
//! and keeps the result. A row changed by a write is moved to its new place in every kept order.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::Receiver;

use super::portfolio::{SortColumn, compare, primary};
use crate::book::PortfolioRow;
use crate::book::history::MOVER_WINDOWS;

/// A column, and for the change column its window (the others have one order whatever the window).
pub type OrderKey = (SortColumn, usize);

pub fn key(column: SortColumn, window: usize) -> OrderKey {
    (column, if column == SortColumn::Change { window } else { 0 })
}

/// Every key there is an order for.
fn all_keys() -> impl Iterator<Item = OrderKey> {
    SortColumn::ALL.iter().flat_map(|&c| match c {
        SortColumn::Change => (0..MOVER_WINDOWS.len()).map(|w| (c, w)).collect::<Vec<_>>(),
        _ => vec![(c, 0)],
    })
}

/// One ascending order, and where each group of an equal value starts in it (so the descending
/// order is read without looking at a row: at a million rows each look is a cache miss).
#[derive(Debug)]
pub struct Kept {
    order: Vec<u32>,
    starts: Vec<bool>,
    /// How many rows have a value (they come first).
    present: usize,
}

impl Kept {
    fn new(rows: &[PortfolioRow], k: OrderKey) -> Kept {
        let order = ascending(rows, k);
        let starts = (0..order.len()).map(|p| starts_group(rows, k, &order, p)).collect();
        let present = present(rows, k, &order);
        Kept { order, starts, present }
    }
}

fn starts_group(rows: &[PortfolioRow], (column, window): OrderKey, order: &[u32], p: usize) -> bool {
    p == 0 || primary(&rows[order[p - 1] as usize], &rows[order[p] as usize], column, false, window) != Ordering::Equal
}

fn present(rows: &[PortfolioRow], (column, window): OrderKey, order: &[u32]) -> usize {
    order.partition_point(|&i| super::portfolio::has_value(&rows[i as usize], column, window))
}

#[derive(Default)]
pub struct SortOrders {
    kept: HashMap<OrderKey, Kept>,
    /// Orders worked out behind the screen, for the rows as they were when the work began.
    incoming: Option<Receiver<(OrderKey, Kept)>>,
}

impl SortOrders {
    /// Forget every order (the rows were replaced) and stop taking those being worked out.
    pub fn clear(&mut self) {
        self.kept.clear();
        self.incoming = None;
    }

    /// Work out every order on another thread; each is taken as it comes.
    pub fn start(&mut self, rows: Arc<Vec<PortfolioRow>>) {
        let (tx, rx) = std::sync::mpsc::channel();
        let missing: Vec<OrderKey> = all_keys().filter(|k| !self.kept.contains_key(k)).collect();
        std::thread::spawn(move || {
            for k in missing {
                // The view may be gone, or have moved on to other rows: nobody to tell.
                if tx.send((k, Kept::new(&rows, k))).is_err() {
                    return;
                }
            }
        });
        self.incoming = Some(rx);
    }

    /// Take what the thread has finished.
    fn take_incoming(&mut self) {
        let Some(rx) = &self.incoming else { return };
        for (k, order) in rx.try_iter() {
            self.kept.entry(k).or_insert(order);
        }
    }

    /// The indices of the rows marked in `keep` (indexed by row), in the order of `k`, ascending
    /// or descending.
    pub fn ordered(&mut self, rows: &[PortfolioRow], k: OrderKey, descending: bool, keep: &[bool]) -> Vec<usize> {
        let mut out = Vec::new();
        self.ordered_into(rows, k, descending, keep, &mut out);
        out
    }

    /// `ordered`, written into `out` (a buffer kept between keys: a million indices are not
    /// allocated and zeroed again on every key).
    pub fn ordered_into(
        &mut self,
        rows: &[PortfolioRow],
        k: OrderKey,
        descending: bool,
        keep: &[bool],
        out: &mut Vec<usize>,
    ) {
        self.take_incoming();
        let kept = self.kept.entry(k).or_insert_with(|| Kept::new(rows, k));
        out.clear();
        if descending {
            return directed(kept, keep, out);
        }
        out.extend(kept.order.iter().map(|&i| i as usize).filter(|&i| keep[i]));
    }

    /// Row `index` has new values (or is new): move it to its place in every kept order.
    pub fn reposition(&mut self, rows: &[PortfolioRow], index: usize) {
        self.take_incoming();
        // Orders still being worked out may predate the change: start them again from the rows
        // as they are now, rather than trust them.
        self.incoming = None;
        for (&k, kept) in &mut self.kept {
            if let Some(at) = kept.order.iter().position(|&i| i as usize == index) {
                kept.order.remove(at);
                kept.starts.remove(at);
                if at < kept.order.len() {
                    kept.starts[at] = starts_group(rows, k, &kept.order, at);
                }
            }
            let place = kept.order.partition_point(|&i| ascending_cmp(rows, k, i as usize, index) == Ordering::Less);
            kept.order.insert(place, index as u32);
            kept.starts.insert(place, true);
            for p in place..(place + 2).min(kept.order.len()) {
                kept.starts[p] = starts_group(rows, k, &kept.order, p);
            }
            kept.present = present(rows, k, &kept.order);
        }
    }
}

fn ascending_cmp(rows: &[PortfolioRow], (column, window): OrderKey, a: usize, b: usize) -> Ordering {
    compare(&rows[a], &rows[b], column, false, window)
}

/// Ascending order of `k`, each row's key worked out once rather than in every comparison.
pub fn ascending(rows: &[PortfolioRow], (column, window): OrderKey) -> Vec<u32> {
    use std::cmp::Reverse;
    let mut order: Vec<u32> = (0..rows.len() as u32).collect();
    let number = |v: Option<i64>| (v.is_none(), v.unwrap_or(0));
    match column {
        SortColumn::Name => {
            // The name's key once per row rather than once per comparison (`compare`'s order).
            order.sort_by_cached_key(|&i| {
                let r = &rows[i as usize];
                (crate::text::collation_key(&r.name), Reverse(r.arr), r.name.clone(), r.id)
            });
        }
        SortColumn::Csm | SortColumn::Segment | SortColumn::Status => {
            order.sort_by(|&a, &b| compare(&rows[a as usize], &rows[b as usize], column, false, window));
        }
        _ => {
            let value = |r: &PortfolioRow| -> Option<i64> {
                match column {
                    SortColumn::Health => super::portfolio::health_key(r),
                    SortColumn::Change => r.deltas[window].map(i64::from),
                    SortColumn::Trend => r.deltas[0].map(i64::from),
                    SortColumn::Drag => r.drag.map(|f| i64::from(f.0)),
                    SortColumn::Renewal => r.renewal_date.map(|d| i64::from(chrono::Datelike::num_days_from_ce(&d))),
                    SortColumn::Arr => Some(r.arr.0),
                    _ => None,
                }
            };
            order.sort_by_cached_key(|&i| {
                let r = &rows[i as usize];
                (number(value(r)), Reverse(r.arr), r.name.as_str(), r.id)
            });
        }
    }
    order
}

/// The descending order from the ascending one, of the rows marked in `keep`: groups of an
/// equal value in reverse, each in its own (tie-breaking) order; rows without a value stay last.
fn directed(kept: &Kept, keep: &[bool], out: &mut Vec<usize>) {
    let (asc, starts, present) = (&kept.order, &kept.starts, kept.present);
    let mut end = present;
    while end > 0 {
        let mut start = end - 1;
        while !starts[start] {
            start -= 1;
        }
        out.extend(asc[start..end].iter().map(|&i| i as usize).filter(|&i| keep[i]));
        end = start;
    }
    out.extend(asc[present..].iter().map(|&i| i as usize).filter(|&i| keep[i]));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::views::portfolio::tie_rows;

    fn sorted(rows: &[PortfolioRow], (column, window): OrderKey, descending: bool) -> Vec<usize> {
        let mut want: Vec<usize> = (0..rows.len()).collect();
        want.sort_by(|&a, &b| compare(&rows[a], &rows[b], column, descending, window));
        want
    }

    fn assert_all_sorted(orders: &mut SortOrders, rows: &[PortfolioRow], when: &str) {
        for k in all_keys() {
            for descending in [false, true] {
                let got = orders.ordered(rows, k, descending, &vec![true; rows.len()]);
                assert_eq!(got, sorted(rows, k, descending), "{k:?} descending {descending}, {when}");
            }
        }
    }

    /// Every kept order, either way, is the order a full sort by `compare` gives: worked out on
    /// demand, behind the screen, and after rows change.
    #[test]
    fn kept_orders_are_the_sorted_orders() {
        let mut rows = tie_rows();
        let mut on_demand = SortOrders::default();
        let mut behind = SortOrders::default();
        behind.start(Arc::new(rows.clone()));
        while behind.kept.len() < all_keys().count() {
            behind.take_incoming();
            std::thread::yield_now();
        }
        assert_all_sorted(&mut on_demand, &rows, "on demand");
        assert_all_sorted(&mut behind, &rows, "behind the screen");
        // A row changes every value, and a new one comes: each kept order moves them.
        rows[17].score = Some(99);
        rows[17].name = "AAA first".into();
        rows[17].deltas = [Some(-40), None, Some(3)];
        rows[17].renewal_date = None;
        let mut new = rows[3].clone();
        new.id = 1_000;
        rows.push(new);
        on_demand.reposition(&rows, 17);
        on_demand.reposition(&rows, rows.len() - 1);
        assert_all_sorted(&mut on_demand, &rows, "after the change");
        // The filter keeps the order.
        let odd: Vec<usize> = sorted(&rows, (SortColumn::Arr, 0), true).into_iter().filter(|i| i % 2 == 1).collect();
        let keep: Vec<bool> = (0..rows.len()).map(|i| i % 2 == 1).collect();
        assert_eq!(on_demand.ordered(&rows, (SortColumn::Arr, 0), true, &keep), odd);
    }
}
