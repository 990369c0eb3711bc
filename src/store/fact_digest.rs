//! The fact digest: each account's facts as the catalog's factors read them, packed into one blob
//! beside the rows they come from, so that a day nothing prepared reads a hundred thousand blobs
//! instead of millions of sample and entry rows (most of such a day's time was SQLite stepping
//! through those rows).
//!
//! A cache, and one that cannot go stale: a digest is read only while its account's
//! `facts_version` is the one it was made at (every write that changes an account's facts bumps
//! it, see `Writer::invalidate_snapshots`), and only under the catalog it was made for (the slots
//! of metrics and survey sources it is packed by: `key`). The rows stay the record; a digest that
//! is missing, from another version or unreadable is never an error, its account is read from
//! the rows as before.

use chrono::NaiveDate;

use super::history::day_number;
use crate::domain::AccountFacts;
use crate::domain::catalog::Catalog;
use crate::domain::goal::{GoalFact, GoalStatus};
use crate::domain::journey::MilestoneFact;
use crate::domain::signals::Dated;

/// The layout of a digest; raised when it changes, so that digests of another layout are not
/// read (their key no longer matches). 2: the account's id follows it, so that one account's
/// digest is never read as another's.
const FORMAT: u8 = 2;

/// Where the book notes the catalog its digests were made for.
pub(crate) const CATALOG_KEY: &str = "fact_digests";

/// One account's digest as made from its facts, with the facts version they were read at.
#[derive(Clone, Debug, PartialEq)]
pub struct FactDigest {
    pub account_id: i64,
    pub facts_version: i64,
    pub body: Vec<u8>,
}

/// The key of the catalog a digest is packed by, or None where a digest cannot stand for the
/// facts: a catalog that reads attributes, contacts or touches by role (rare) reads them from
/// their rows, as before, for every account.
pub(crate) fn key(catalog: &Catalog) -> Option<String> {
    let needs = super::facts::FactNeeds::of(catalog);
    if needs.attributes || needs.contacts || needs.role_touches {
        return None;
    }
    Some(format!("{FORMAT}|{:?}|{:?}", catalog.metrics, catalog.responses))
}

impl FactDigest {
    /// The digest of account `account_id`'s facts, read at `facts_version`.
    pub fn of(account_id: i64, facts_version: i64, facts: &AccountFacts) -> FactDigest {
        FactDigest { account_id, facts_version, body: encode(account_id, facts) }
    }
}

/// The facts read from an account's rows (not its own fields, nor the book's days, which are read
/// with the account each time), packed after the account's id.
fn encode(account_id: i64, facts: &AccountFacts) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    out.push(FORMAT);
    put_varint(&mut out, zigzag(account_id));
    let series_list = |out: &mut Vec<u8>, list: &[Vec<Dated>]| {
        put_len(out, list.len());
        list.iter().for_each(|s| put_series(out, s));
    };
    series_list(&mut out, &facts.metrics);
    for series in [&facts.sentiments, &facts.nps, &facts.csat, &facts.ces] {
        put_series(&mut out, series);
    }
    series_list(&mut out, &facts.responses);
    put_series(&mut out, &facts.touches);
    put_series(&mut out, &facts.bugs);
    put_len(&mut out, facts.goals.len());
    for goal in &facts.goals {
        put_day_opt(&mut out, goal.created);
        put_len(&mut out, goal.statuses.len());
        for (day, status) in &goal.statuses {
            put_day(&mut out, *day);
            let index = GoalStatus::ALL.iter().position(|s| s == status).unwrap_or(0);
            put_len(&mut out, index);
        }
    }
    put_len(&mut out, facts.milestones.len());
    for m in &facts.milestones {
        put_day(&mut out, m.due);
        put_day_opt(&mut out, m.done);
    }
    out
}

/// Fill `facts` (account `account_id`'s own fields set, its series empty and sized by the
/// catalog) from a digest. None when the digest does not fit (another layout, another account,
/// another number of slots, cut short), and `facts` is left as it was: it is then to be read from
/// the rows.
pub(crate) fn decode(body: &[u8], account_id: i64, facts: &mut AccountFacts) -> Option<()> {
    let mut r = Reader { body, at: 0 };
    if r.byte()? != FORMAT || unzigzag(r.varint()?) != account_id {
        return None;
    }
    let list = |r: &mut Reader, slots: usize| -> Option<Vec<Vec<Dated>>> {
        (r.len()? == slots).then_some(())?;
        (0..slots).map(|_| r.series()).collect()
    };
    let metrics = list(&mut r, facts.metrics.len())?;
    let [sentiments, nps, csat, ces] = [r.series()?, r.series()?, r.series()?, r.series()?];
    let responses = list(&mut r, facts.responses.len())?;
    let (touches, bugs) = (r.series()?, r.series()?);
    let goals = (0..r.len()?)
        .map(|_| {
            let created = r.day_opt()?;
            let statuses =
                (0..r.len()?).map(|_| Some((r.day()?, *GoalStatus::ALL.get(r.len()?)?))).collect::<Option<Vec<_>>>()?;
            Some(GoalFact { created, statuses })
        })
        .collect::<Option<Vec<_>>>()?;
    let milestones =
        (0..r.len()?).map(|_| Some(MilestoneFact { due: r.day()?, done: r.day_opt()? })).collect::<Option<Vec<_>>>()?;
    if r.at != body.len() {
        return None;
    }
    (facts.metrics, facts.responses) = (metrics, responses);
    (facts.sentiments, facts.nps, facts.csat, facts.ces) = (sentiments, nps, csat, ces);
    (facts.touches, facts.bugs, facts.goals, facts.milestones) = (touches, bugs, goals, milestones);
    Some(())
}

/// A series: its length, then each day as the change from the one before (a weekly series is a
/// byte a day) and each value (a whole number in a varint, any other in its 8 bytes).
fn put_series(out: &mut Vec<u8>, series: &[Dated]) {
    put_len(out, series.len());
    let mut last = 0;
    for (day, value) in series {
        let n = day_number(*day);
        put_varint(out, zigzag(n - last));
        last = n;
        put_value(out, *value);
    }
}

/// The largest whole number kept as one: every integer up to it is exact in an f64.
const WHOLE_LIMIT: f64 = 4_503_599_627_370_496.0; // 2^52

fn put_value(out: &mut Vec<u8>, value: f64) {
    // -0.0 and anything not a whole number keep their exact bits.
    let whole = value.fract() == 0.0 && value.abs() < WHOLE_LIMIT && !(value == 0.0 && value.is_sign_negative());
    if whole {
        put_varint(out, zigzag(value as i64) << 1);
    } else {
        put_varint(out, 1);
        out.extend(value.to_le_bytes());
    }
}

fn put_day(out: &mut Vec<u8>, day: NaiveDate) {
    put_varint(out, zigzag(day_number(day)));
}

fn put_day_opt(out: &mut Vec<u8>, day: Option<NaiveDate>) {
    match day {
        None => put_varint(out, 0),
        Some(day) => put_varint(out, zigzag(day_number(day)) + 1),
    }
}

fn put_len(out: &mut Vec<u8>, n: usize) {
    put_varint(out, n as u64);
}

fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn zigzag(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

fn unzigzag(n: u64) -> i64 {
    ((n >> 1) as i64) ^ -((n & 1) as i64)
}

/// Reads a digest front to back; every read is None past its end.
struct Reader<'b> {
    body: &'b [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.body.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    fn len(&mut self) -> Option<usize> {
        usize::try_from(self.varint()?).ok()
    }

    fn day(&mut self) -> Option<NaiveDate> {
        day_of(unzigzag(self.varint()?))
    }

    fn day_opt(&mut self) -> Option<Option<NaiveDate>> {
        match self.varint()? {
            0 => Some(None),
            n => Some(Some(day_of(unzigzag(n - 1))?)),
        }
    }

    fn value(&mut self) -> Option<f64> {
        match self.varint()? {
            1 => {
                let bytes = self.body.get(self.at..self.at + 8)?;
                self.at += 8;
                Some(f64::from_le_bytes(bytes.try_into().ok()?))
            }
            n if n & 1 == 0 => Some(unzigzag(n >> 1) as f64),
            _ => None,
        }
    }

    fn series(&mut self) -> Option<Vec<Dated>> {
        let n = self.len()?;
        // A length beyond what the rest of the digest could hold is a broken digest, not memory
        // to reserve.
        let mut out: Vec<Dated> = Vec::with_capacity(n.min(self.body.len() - self.at));
        let mut last = 0i64;
        for _ in 0..n {
            let step = unzigzag(self.varint()?);
            last = last.checked_add(step)?;
            // A series steps forward a few days at a time: a step from the day before stays in
            // its year mostly, which is a sum, where a day number is a division by the calendar's
            // cycles (a tenth of a new day's pass over a book, read from digests).
            let day = match out.last() {
                Some((before, _)) if (0..=366).contains(&step) => {
                    before.checked_add_days(chrono::Days::new(step as u64))?
                }
                _ => day_of(last)?,
            };
            out.push((day, self.value()?));
        }
        Some(out)
    }
}

/// A day number back to its day; None out of the calendar's range.
fn day_of(number: i64) -> Option<NaiveDate> {
    let days = i32::try_from(number.checked_add(super::bulk::EPOCH_FROM_CE)?).ok()?;
    NaiveDate::from_num_days_from_ce_opt(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn sized(metrics: usize, responses: usize) -> AccountFacts {
        AccountFacts {
            metrics: vec![Vec::new(); metrics],
            responses: vec![Vec::new(); responses],
            ..Default::default()
        }
    }

    fn full() -> AccountFacts {
        let mut facts = sized(3, 1);
        facts.metrics[0] = vec![(day("2026-06-01"), 12.0), (day("2026-06-08"), 0.0), (day("2026-06-15"), 1e15)];
        facts.metrics[2] = vec![
            (day("1969-12-25"), -3.0),
            (day("2026-06-01"), 0.1),
            (day("2026-06-02"), -0.0),
            (day("2026-06-03"), 1e300),
            (day("2026-06-04"), -2.5e-7),
            (day("2026-06-05"), 9_007_199_254_740_993.0),
            (day("2026-06-06"), f64::INFINITY),
        ];
        facts.sentiments = vec![(day("2026-01-02"), 4.0), (day("2025-12-31"), 2.0)];
        facts.nps = vec![(day("2026-03-03"), 9.0)];
        facts.csat = vec![(day("2026-03-04"), 4.5)];
        facts.ces = vec![(day("2026-03-05"), 2.0)];
        facts.responses[0] = vec![(day("2026-03-03"), 10.0)];
        // Steps of a few days across year ends and a leap day (each day is read as a step from
        // the one before), and two on the same day.
        facts.touches = (0..300).map(|i| (day("2023-11-01") + chrono::Duration::days(3 * i), 1.0)).collect();
        facts.touches.insert(1, facts.touches[0]);
        facts.bugs = vec![(day("2026-02-02"), 1.0)];
        facts.goals = vec![
            GoalFact {
                created: Some(day("2026-01-01")),
                statuses: vec![(day("2026-01-01"), GoalStatus::OnTrack), (day("2026-04-01"), GoalStatus::Dropped)],
            },
            GoalFact { created: None, statuses: Vec::new() },
        ];
        facts.milestones = vec![
            MilestoneFact { due: day("2016-03-01"), done: Some(day("2016-02-20")) },
            MilestoneFact { due: day("2027-01-01"), done: None },
        ];
        facts
    }

    #[test]
    fn every_fact_comes_back_bit_for_bit() {
        let facts = full();
        let body = encode(7, &facts);
        let mut back = sized(3, 1);
        assert_eq!(decode(&body, 7, &mut back), Some(()));
        assert_eq!(back, facts);
        // Compared by bits too: -0.0 equals 0.0, and a value kept as a whole number would lose it.
        let bits = |f: &AccountFacts| f.metrics.iter().flatten().map(|(_, v)| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back), bits(&facts));
        // A daily series of whole numbers costs two bytes a sample, not the rows' thirty (the odd
        // values above take nine each).
        let samples: usize = facts.metrics.iter().map(Vec::len).sum::<usize>() + facts.touches.len() + 6;
        assert!(body.len() < 2 * samples + 200, "{} bytes for {samples} samples", body.len());
    }

    #[test]
    fn a_not_a_number_stays_one() {
        let mut facts = sized(1, 0);
        facts.metrics[0] = vec![(day("2026-06-01"), f64::NAN)];
        let mut back = sized(1, 0);
        decode(&encode(1, &facts), 1, &mut back).unwrap();
        assert!(back.metrics[0][0].1.is_nan());
    }

    #[test]
    fn a_digest_that_does_not_fit_is_not_read() {
        let body = encode(40_000, &full());
        assert_eq!(decode(&body, 40_000, &mut sized(3, 1)), Some(()));
        // Another account's, whole and sound (a file edited by hand).
        assert_eq!(decode(&body, 40_001, &mut sized(3, 1)), None);
        // Another number of metric or survey slots: another catalog.
        assert_eq!(decode(&body, 40_000, &mut sized(2, 1)), None);
        assert_eq!(decode(&body, 40_000, &mut sized(3, 0)), None);
        // Cut short anywhere, or with bytes left over, or of another layout; nothing of a digest
        // that fails is kept (the rows are read into the same facts).
        let mut longer = body.clone();
        longer.push(0);
        let mut other = body.clone();
        other[0] = FORMAT + 1;
        let cuts = (0..body.len()).map(|cut| &body[..cut]);
        for broken in cuts.chain([longer.as_slice(), other.as_slice()]) {
            let mut facts = sized(3, 1);
            assert_eq!(decode(broken, 40_000, &mut facts), None, "{} bytes", broken.len());
            assert_eq!(facts, sized(3, 1), "{} bytes", broken.len());
        }
        // Garbage never panics.
        for seed in 0u64..2_000 {
            let junk: Vec<u8> =
                (0..(seed % 40)).map(|i| (seed.wrapping_mul(31).wrapping_add(i * 17) % 256) as u8).collect();
            let _ = decode(&[&[FORMAT][..], &junk].concat(), 1, &mut sized(3, 1));
        }
    }

    #[test]
    fn the_key_names_the_slots_and_refuses_what_it_cannot_hold() {
        let config = crate::config::Config::default();
        let key = key(&config.health.catalog).expect("the default catalog reads no attributes or contacts");
        assert!(key.starts_with(&format!("{FORMAT}|")));
        let mut other = config.health.catalog.clone();
        other.metrics.push("seats_used".into());
        assert_ne!(super::key(&other), Some(key));
        other.attributes.push("plan".into());
        assert_eq!(super::key(&other), None);
    }
}
