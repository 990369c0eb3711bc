//! What an import of facts moved: the accounts whose band today the new data changed, said after
//! the import's summary. A probe's CSM imported a week in which an account's active users fell
//! 122 -> 1, and the import said nothing of it: the fall was found by opening the screens.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::config::Config;
use crate::domain::HealthBand;
use crate::store::{Result, Store};

/// How many accounts the line names; the rest are counted.
const NAMED: usize = 4;

/// Each account's score today as the stored history has it (None for no score); None where
/// today is not worked out yet (a day nothing prepared: there is no before to compare with).
pub fn today_scores(store: &Store, today: NaiveDate) -> Result<Option<HashMap<i64, Option<u8>>>> {
    if !store.caches_trusted() || !store.history_days()?.contains(&today) {
        return Ok(None);
    }
    let rows = store.history_on_days(&[today], i64::MIN..=i64::MAX)?;
    Ok(Some(rows.into_iter().map(|r| (r.id, r.days.first().copied().flatten().and_then(|h| h.score))).collect()))
}

/// A book up to this many accounts has its day worked out before an import where it was not (a
/// moment's work), to say what the import moved; a larger one says it only where a screen, a
/// report or `tend snapshot` worked the day out first.
const WORKED_OUT_BEFORE_UP_TO: usize = 20_000;

/// `today_scores` before an import: the day worked out first where it was not, on a book small
/// enough (a probe's first import of the day said nothing of the 34 bands it moved, where the same
/// import after `tend snapshot` named them). A day that cannot be worked out (a full disk) is no
/// error: there is then nothing to compare with.
pub fn scores_before_import(
    store: &mut Store,
    config: &Config,
    today: NaiveDate,
) -> Result<Option<HashMap<i64, Option<u8>>>> {
    if store.read_only().is_none()
        && store.caches_trusted()
        && !store.history_days()?.contains(&today)
        && store.account_count()? <= WORKED_OUT_BEFORE_UP_TO
    {
        let hidden = indicatif::ProgressBar::hidden();
        if crate::book::history::backfill_with(store, config, today, false, &hidden).is_err() {
            return Ok(None);
        }
    }
    today_scores(store, today)
}

/// A day's band and score of an account; None for no score.
type Side = Option<(HealthBand, u8)>;

/// One account's band moved by an import: from and to (band and score; None for no score).
#[derive(Clone, Debug, PartialEq)]
pub struct BandMove {
    pub name: String,
    pub arr: i64,
    pub from: Side,
    pub to: Side,
}

impl BandMove {
    fn said(&self) -> String {
        let side = |s: Side| s.map_or("no score".to_string(), |(b, n)| format!("{} {n}", b.label()));
        format!("{} {} -> {}", crate::text::clean(&self.name), side(self.from), side(self.to))
    }
}

/// The live accounts whose band (from their score, overrides aside: the data's doing) differs
/// between `before` and `after`, the largest by ARR first. Accounts new to the book are not
/// moves.
pub fn band_moves(
    store: &Store,
    config: &Config,
    before: &HashMap<i64, Option<u8>>,
    after: &HashMap<i64, Option<u8>>,
) -> Result<Vec<BandMove>> {
    let cutoffs = &config.health.bands;
    let banded = |score: Option<u8>| score.map(|s| (cutoffs.band_for(s), s));
    let moved: HashMap<i64, (Side, Side)> = after
        .iter()
        .filter_map(|(id, now)| Some((*id, (banded(*before.get(id)?), banded(*now)))))
        .filter(|(_, (from, to))| from.map(|b| b.0) != to.map(|b| b.0))
        .collect();
    if moved.is_empty() {
        return Ok(Vec::new());
    }
    let live = store.live_names_and_arr(&moved.keys().copied().collect())?;
    let mut moves: Vec<BandMove> = live
        .into_iter()
        .map(|(id, (name, arr))| BandMove { name, arr: arr.0, from: moved[&id].0, to: moved[&id].1 })
        .collect();
    moves.sort_by(|a, b| b.arr.cmp(&a.arr).then_with(|| a.name.cmp(&b.name)));
    Ok(moves)
}

/// The line an import's summary ends with; None where no band moved.
pub fn moves_line(moves: &[BandMove]) -> Option<String> {
    if moves.is_empty() {
        return None;
    }
    // The worse named apart from the better, each the largest first: one list under "26 of them
    // for the worse" began with a Yellow gone Green (a probe's).
    let (worse, better): (Vec<&BandMove>, Vec<&BandMove>) = moves.iter().partition(|m| rank(m.to) < rank(m.from));
    let group = |moves: &[&BandMove], named: usize, how: &str| -> Option<String> {
        if moves.is_empty() {
            return None;
        }
        let listed: Vec<String> = moves.iter().take(named).map(|m| m.said()).collect();
        let more = match moves.len().saturating_sub(named) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        Some(format!("{} for the {how} ({}{more})", moves.len(), listed.join(", ")))
    };
    let groups: Vec<String> =
        [group(&worse, NAMED, "worse"), group(&better, NAMED_BETTER, "better")].into_iter().flatten().collect();
    let accounts = if moves.len() == 1 { "account" } else { "accounts" };
    Some(format!("Health today after the import: {} {accounts} changed band: {}", moves.len(), groups.join(", ")))
}

/// How many of the accounts whose band went up the line names, after the worse.
const NAMED_BETTER: usize = 2;

/// Worse bands rank lower; no score lowest of all.
fn rank(side: Side) -> i32 {
    side.map_or(-1, |(band, _)| band as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moved(name: &str, arr: i64, from: Side, to: Side) -> BandMove {
        BandMove { name: name.into(), arr, from, to }
    }

    #[test]
    fn the_line_names_the_largest_first_and_counts_the_worse() {
        assert_eq!(moves_line(&[]), None);
        let moves = [
            moved("Nova Motors", 208_000, Some((HealthBand::Yellow, 56)), Some((HealthBand::Orange, 43))),
            moved("Violet Retail", 90_000, Some((HealthBand::Orange, 45)), Some((HealthBand::Yellow, 52))),
            moved("Pine Dental", 10_000, None, Some((HealthBand::Green, 80))),
        ];
        assert_eq!(
            moves_line(&moves).unwrap(),
            "Health today after the import: 3 accounts changed band: 1 for the worse (Nova Motors Yellow 56 -> \
             Orange 43), 2 for the better (Violet Retail Orange 45 -> Yellow 52, Pine Dental no score -> Green 80)"
        );
        // The worse first, whatever their ARR beside the better; each group counts its rest.
        let mut moves =
            vec![moved("Nordic Health", 500_000, Some((HealthBand::Yellow, 67)), Some((HealthBand::Green, 83)))];
        moves.extend((0..6).map(|i| {
            moved(&format!("Dune {i}"), 1_000 - i, Some((HealthBand::Green, 90)), Some((HealthBand::Orange, 39)))
        }));
        assert_eq!(
            moves_line(&moves).unwrap(),
            "Health today after the import: 7 accounts changed band: 6 for the worse (Dune 0 Green 90 -> Orange 39, \
             Dune 1 Green 90 -> Orange 39, Dune 2 Green 90 -> Orange 39, Dune 3 Green 90 -> Orange 39 and 2 more), 1 for \
             the better (Nordic Health Yellow 67 -> Green 83)"
        );
    }
}
