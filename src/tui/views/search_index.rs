//! The Portfolio's rows laid out for the `/` filter, which scores every row on each key.
//!
//! At a million rows most of a key was the matcher's work on each name (measured: reading the
//! rows was not). Most queries on ASCII names are scored without the matcher (`quick_scores`),
//! which makes the names' reading count: here they lie back to back in one buffer rather than in rows of about
//! 170 bytes, each row's CSM and segment are numbers into their distinct names (scored once per
//! key, not once per row), and a row's score is two bytes, so the pass that ranks the matches in
//! the sort's order reads a small array rather than a large one.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::Receiver;

use super::filter::RowMatcher;
use super::quick_scores::{AsciiFuzzy, OneLetter, Prefix};
use crate::book::PortfolioRow;

/// A row's score for a query in two bytes: 0 no match (or not kept), `EXACT` the row named as the
/// query (first, whatever the fuzzy score), else the fuzzy score plus one, capped just below.
pub type Score = u16;
pub const NO_MATCH: Score = 0;
pub const EXACT: Score = u16::MAX;

#[derive(Clone, Debug, Default)]
pub struct SearchIndex {
    /// Every row's name, back to back.
    text: String,
    /// Each row's name in `text`: where it starts and its length in bytes.
    names: Vec<(u32, u32)>,
    /// Each row's CSM and segment, as indices into `shared`.
    people: Vec<(u32, u32)>,
    /// The distinct CSM and segment names.
    shared: Vec<Arc<str>>,
    shared_at: HashMap<Arc<str>, u32>,
}

impl SearchIndex {
    pub fn new(rows: &[PortfolioRow]) -> SearchIndex {
        let mut index = SearchIndex {
            text: String::with_capacity(rows.iter().map(|r| r.name.len()).sum()),
            names: Vec::with_capacity(rows.len()),
            people: Vec::with_capacity(rows.len()),
            ..SearchIndex::default()
        };
        // Rows share each CSM's and segment's name: the last one seen is most often the next.
        let mut last: [Option<(*const u8, u32)>; 2] = [None, None];
        for r in rows {
            let name = index.add_name(&r.name);
            let mut at = |slot: usize, s: &Arc<str>, index: &mut SearchIndex| match last[slot] {
                Some((ptr, n)) if ptr == s.as_ptr() => n,
                _ => {
                    let n = index.shared_index(s);
                    last[slot] = Some((s.as_ptr(), n));
                    n
                }
            };
            let csm = at(0, &r.csm, &mut index);
            let segment = at(1, &r.segment, &mut index);
            index.names.push(name);
            index.people.push((csm, segment));
        }
        index
    }

    /// Row `i` has new values (or, at the end, is new).
    pub fn set(&mut self, i: usize, r: &PortfolioRow) {
        let name = self.add_name(&r.name);
        let people = (self.shared_index(&r.csm), self.shared_index(&r.segment));
        if i < self.names.len() {
            self.names[i] = name;
            self.people[i] = people;
        } else {
            self.names.push(name);
            self.people.push(people);
        }
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    fn name(&self, i: usize) -> &str {
        let (start, len) = self.names[i];
        &self.text[start as usize..(start + len) as usize]
    }

    // A book whose names add up to 4 GB would not be held in memory as rows in the first place.
    fn add_name(&mut self, name: &str) -> (u32, u32) {
        // Matched without accents or strokes (see `text::plain_letters`).
        let name = crate::text::plain_letters(name);
        let start = self.text.len() as u32;
        self.text.push_str(&name);
        (start, name.len() as u32)
    }

    fn shared_index(&mut self, s: &Arc<str>) -> u32 {
        if let Some(&n) = self.shared_at.get(s) {
            return n;
        }
        let n = self.shared.len() as u32;
        self.shared.push(s.clone());
        self.shared_at.insert(s.clone(), n);
        n
    }

    /// Every row's score for `query` into `out` (indexed by row). Rows not marked in `keep` score
    /// `NO_MATCH`. With `narrowing`, `out` holds the scores of a query this one extends, and only
    /// the rows that matched it are scored again (more letters or words only narrow a match).
    /// The rows are scored on every core, each writing its part of `out`.
    pub fn score_into(&self, query: &str, keep: &[bool], narrowing: bool, out: &mut Vec<Score>) {
        // Names are held without accents or strokes: the query is read so too ("łódź", "lodz").
        let query = &*crate::text::plain_letters(query);
        let Some(mut matcher) = RowMatcher::new(query) else {
            out.clear();
            out.extend(keep.iter().map(|&k| if k { 1 } else { NO_MATCH }));
            return;
        };
        if !narrowing || out.len() != self.len() {
            out.clear();
            out.resize(self.len(), 1);
        }
        // CSMs and segments in their plain letters too ("weiss" finds Markus Weiß's accounts).
        let shared: Vec<Option<u32>> =
            self.shared.iter().map(|s| matcher.shared_field(&crate::text::plain_letters(s))).collect();
        let one_letter = OneLetter::new(query, &mut matcher);
        let prefix = Prefix::new(query, &mut matcher);
        let fuzzy = AsciiFuzzy::new(query);
        let threads = crate::cores();
        let chunk = self.len().div_ceil(threads).max(1);
        let (shared, one_letter, prefix, fuzzy) = (&shared, one_letter.as_ref(), prefix.as_ref(), fuzzy.as_ref());
        std::thread::scope(|scope| {
            for (part, (keep, out)) in keep.chunks(chunk).zip(out.chunks_mut(chunk)).enumerate() {
                scope.spawn(move || {
                    let Some(mut m) = RowMatcher::new(query) else { return };
                    let first = part * chunk;
                    for (n, (&kept, slot)) in keep.iter().zip(out.iter_mut()).enumerate() {
                        if !kept || *slot == NO_MATCH {
                            *slot = NO_MATCH;
                            continue;
                        }
                        let i = first + n;
                        let name = self.name(i);
                        let (csm, segment) = self.people[i];
                        let by_name = match one_letter {
                            Some(one) if name.len() > 1 && name.is_ascii() => one.score(name.as_bytes()),
                            _ => match (prefix, fuzzy) {
                                (Some(p), _) if p.starts(name) => p.score,
                                (_, Some(f)) if f.fits(name) => f.score(name.as_bytes()),
                                _ => m.field(name),
                            },
                        };
                        // (None is less than any score: the best of those that match.)
                        let best = by_name.max(shared[csm as usize]).max(shared[segment as usize]);
                        *slot = match best {
                            None => NO_MATCH,
                            // The account named exactly so comes first ("Company 29" before
                            // "Company 296", which the fuzzy score ties with it).
                            Some(_) if name.len() == query.len() && name.eq_ignore_ascii_case(query) => EXACT,
                            Some(score) => score.min(u32::from(EXACT) - 2) as Score + 1,
                        };
                    }
                });
            }
        });
    }
}

/// The rows of `sorted` (indices in a sort's order) that match, best score first, the sort's
/// order breaking ties: a counting sort by score, each core taking a part of `sorted` (reading
/// the rows' scores in the sort's order is a cache miss a row, most of the work), the parts'
/// buckets then joined score by score.
pub fn rank(sorted: &[usize], scores: &[Score], out: &mut Vec<usize>) {
    const BUCKETS: usize = EXACT as usize + 1;
    let threads = crate::cores();
    let chunk = sorted.len().div_ceil(threads).max(1);
    // Each part: its matches bucketed best first, and where each score's bucket starts and ends.
    let parts: Vec<(Vec<u32>, Vec<u32>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = sorted
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    // The part's scores in its order, read once (each read is the miss) and
                    // then in a row.
                    let in_order: Vec<Score> = part.iter().map(|&i| scores[i]).collect();
                    let mut bounds = vec![0u32; BUCKETS];
                    for &s in &in_order {
                        bounds[usize::from(s)] += 1;
                    }
                    // Best first: bucket s starts after every better one (0, no match, has none).
                    let mut next = 0;
                    for s in (1..BUCKETS).rev() {
                        let n = bounds[s];
                        bounds[s] = next;
                        next += n;
                    }
                    // (A book's rows fit in 32 bits: half the memory to fill and page in.)
                    let mut placed = vec![0u32; next as usize];
                    let mut at = bounds.clone();
                    for (&i, &s) in part.iter().zip(&in_order) {
                        let s = usize::from(s);
                        if s != 0 {
                            placed[at[s] as usize] = i as u32;
                            at[s] += 1;
                        }
                    }
                    (placed, at)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    out.clear();
    out.reserve(parts.iter().map(|(placed, _)| placed.len()).sum());
    // In each part a score's bucket starts where the better one's ended: walk them best first.
    let mut starts: Vec<u32> = vec![0; parts.len()];
    for s in (1..BUCKETS).rev() {
        for (t, (placed, ends)) in parts.iter().enumerate() {
            let end = ends[s];
            if end > starts[t] {
                out.extend(placed[starts[t] as usize..end as usize].iter().map(|&i| i as usize));
                starts[t] = end;
            }
        }
    }
}

/// The index of the rows in view, built behind the screen once the book is read and kept up to
/// date as writes change rows; a key that needs it before it is there waits for it or builds it.
#[derive(Default)]
pub struct KeptIndex {
    index: Option<SearchIndex>,
    incoming: Option<Receiver<SearchIndex>>,
}

impl KeptIndex {
    /// Forget the index (the rows were replaced).
    pub fn clear(&mut self) {
        *self = KeptIndex::default();
    }

    /// Build the index of `rows` on another thread.
    pub fn start(&mut self, rows: Arc<Vec<PortfolioRow>>) {
        let (tx, rx) = std::sync::mpsc::channel();
        // The view may be gone by the time it is built: nobody to tell.
        std::thread::spawn(move || {
            let _ = tx.send(SearchIndex::new(&rows));
        });
        self.incoming = Some(rx);
        self.index = None;
    }

    fn take_incoming(&mut self, wait: bool) {
        let Some(rx) = &self.incoming else { return };
        let got = if wait { rx.recv().ok() } else { rx.try_recv().ok() };
        if got.is_some() || wait {
            self.index = got;
            self.incoming = None;
        }
    }

    /// The index of `rows`.
    pub fn get(&mut self, rows: &[PortfolioRow]) -> &SearchIndex {
        self.take_incoming(true);
        self.index.get_or_insert_with(|| SearchIndex::new(rows))
    }

    /// Row `i` of `rows` has new values (or is new).
    pub fn set(&mut self, rows: &[PortfolioRow], i: usize) {
        self.take_incoming(false);
        // One still being built was built from the rows before the change.
        self.incoming = None;
        if let Some(index) = &mut self.index {
            index.set(i, &rows[i]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::AccountStatus;

    #[test]
    fn the_index_scores_each_row_as_the_row_alone_scores() {
        let csms: Vec<Arc<str>> = ["Liam Patel", "Ana Cruz", "Ana Cruz "].iter().map(|&s| Arc::from(s)).collect();
        let mut rows: Vec<PortfolioRow> = (0..300)
            .map(|i: i64| {
                let mut r = PortfolioRow::sample(i, ["Deer", "Owl"][i as usize % 2], None, 1.0, AccountStatus::Active);
                r.name = format!("{} {}", ["Nova Pay", "Cup", "acme", "Zed Ünï"][i as usize % 4], i % 7);
                // Equal names in separate allocations are one shared name.
                r.csm = Arc::from(&*csms[i as usize % 3]);
                r
            })
            .collect();
        let mut index = SearchIndex::new(&rows);
        assert_eq!(index.shared.len(), 5, "three CSMs and two segments");
        let mut renamed = rows[4].clone();
        renamed.name = "Cup 1".into();
        renamed.csm = Arc::from("Zoe Lin");
        rows[4] = renamed.clone();
        index.set(4, &renamed);
        let keep: Vec<bool> = (0..rows.len()).map(|i| i % 5 != 3).collect();
        // Each row as the row alone scores, its name and the query without accents or strokes.
        for query in ["c", "cup", "cup 1", "CUP 1", "liam", "zoe", "owl", "ünï", "uni", "!cup", "q"] {
            let mut got = Vec::new();
            index.score_into(query, &keep, false, &mut got);
            let plain_query = crate::text::plain_letters(query);
            let mut m = RowMatcher::new(&plain_query).unwrap();
            for (i, r) in rows.iter().enumerate() {
                let plain = PortfolioRow { name: crate::text::plain_letters(&r.name).into_owned(), ..r.clone() };
                let want = match m.score(&plain) {
                    _ if !keep[i] => NO_MATCH,
                    None => NO_MATCH,
                    Some(_) if plain.name.eq_ignore_ascii_case(&plain_query) => EXACT,
                    Some(s) => s as Score + 1,
                };
                assert_eq!(got[i], want, "{query:?} on {:?}", r.name);
            }
        }
        // A CSM's ß as two letters, as names have it: "weiss" finds Markus Weiß's accounts.
        let mut weiss = rows[0].clone();
        weiss.csm = Arc::from("Markus Weiß");
        let index = SearchIndex::new(&[weiss]);
        for query in ["weiss", "weiß", "WEISS"] {
            let mut got = Vec::new();
            index.score_into(query, &[true], false, &mut got);
            assert_ne!(got[0], NO_MATCH, "{query:?}");
        }
        // Letters with a stroke, which the matcher's own table leaves as they are.
        let mut lodz = rows[0].clone();
        lodz.name = "Łódź Software".into();
        let index = SearchIndex::new(&[lodz]);
        for query in ["lodz", "łódź", "LODZ", "ŁÓDŹ"] {
            let mut got = Vec::new();
            index.score_into(query, &[true], false, &mut got);
            assert_ne!(got[0], NO_MATCH, "{query:?}");
        }
        let mut narrowed = Vec::new();
        index.score_into("cu", &keep, false, &mut narrowed);
        index.score_into("cup 1", &keep, true, &mut narrowed);
        let mut whole = Vec::new();
        index.score_into("cup 1", &keep, false, &mut whole);
        assert_eq!(narrowed, whole);
    }
}
