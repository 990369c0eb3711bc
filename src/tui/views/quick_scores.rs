//! Scores the Portfolio filter gives some queries on ASCII names without calling the general
//! matcher, each equal to the matcher's own (the tests hold them to it on thousands of names):
//! at a million rows a letter typed was mostly the matcher's work per call, not the reading of
//! the names.

use super::filter::RowMatcher;

/// A query of one letter or digit, scored without the general matcher: the first letter typed
/// matches nearly every name, and the matcher's work per call was most of that key at a million
/// rows. The matcher's score for one character in an ASCII name of two or more is the best over
/// the places it occurs of a value that depends only on that byte and the one before it, so
/// each such value is asked of the matcher itself once per query, on a two-byte name.
pub(super) struct OneLetter {
    /// The letter in lower and upper case (the same byte twice for a digit).
    cases: [u8; 2],
    /// The score of the letter in each case at the start of a name, and after each byte.
    at_start: [u32; 2],
    after: [[u32; 128]; 2],
    /// No place scores more: a name is scored once a place reaches it.
    best_possible: u32,
}

impl OneLetter {
    pub(super) fn new(query: &str, matcher: &mut RowMatcher) -> Option<OneLetter> {
        let &[c] = query.as_bytes() else { return None };
        if !c.is_ascii_alphanumeric() {
            return None;
        }
        let cases = [c.to_ascii_lowercase(), c.to_ascii_uppercase()];
        let mut one = OneLetter { cases, at_start: [0; 2], after: [[0; 128]; 2], best_possible: 0 };
        for (k, &letter) in cases.iter().enumerate() {
            // Followed by a space, which cannot match: the score of the letter at the start.
            one.at_start[k] = matcher.field(std::str::from_utf8(&[letter, b' ']).ok()?)?;
            for before in 0..128u8 {
                // A byte that is the letter itself is asked as another of its kind (the same
                // case of letter, or digit), so the letter matches only where asked.
                let asked = match before {
                    b if !b.eq_ignore_ascii_case(&letter) => b,
                    b'a' => b'b',
                    b'A' => b'B',
                    b'0' => b'1',
                    b if b.is_ascii_lowercase() => b'a',
                    b if b.is_ascii_uppercase() => b'A',
                    _ => b'0',
                };
                one.after[k][usize::from(before)] = matcher.field(std::str::from_utf8(&[asked, letter]).ok()?)?;
            }
        }
        one.best_possible = one.at_start.iter().chain(one.after.iter().flatten()).copied().max().unwrap_or(0);
        Some(one)
    }

    /// The score of an ASCII name of two bytes or more, as the matcher gives it.
    pub(super) fn score(&self, name: &[u8]) -> Option<u32> {
        let mut best = None;
        for (i, &b) in name.iter().enumerate() {
            if b != self.cases[0] && b != self.cases[1] {
                continue;
            }
            let k = usize::from(b == self.cases[1] && b != self.cases[0]);
            let score = if i == 0 { self.at_start[k] } else { self.after[k][usize::from(name[i - 1] & 127)] };
            best = best.max(Some(score));
            if score >= self.best_possible {
                break;
            }
        }
        best
    }
}

/// A query of two or more letters and digits, for the names that start with it: typing the start
/// of a name is the usual way to look for one, and the second letter typed then scored most names
/// with the general matcher. Matched at the start of a name, each letter of the query takes the
/// largest bonus there is (the start counts as after a space, and letters that follow on take
/// the bonus of the first, whatever their case), with no gap: no other place in the name scores
/// more, and every name that starts with the query scores as the query alone.
pub(super) struct Prefix {
    lower: Vec<u8>,
    pub(super) score: Option<u32>,
}

impl Prefix {
    pub(super) fn new(query: &str, matcher: &mut RowMatcher) -> Option<Prefix> {
        (query.len() > 1 && query.bytes().all(|b| b.is_ascii_alphanumeric()))
            .then(|| Prefix { lower: query.to_ascii_lowercase().into_bytes(), score: matcher.field(query) })
    }

    pub(super) fn starts(&self, name: &str) -> bool {
        name.as_bytes().get(..self.lower.len()).is_some_and(|start| start.eq_ignore_ascii_case(&self.lower))
    }
}

/// The longest query `AsciiFuzzy` scores; a longer one has narrowed the rows to few.
const MOST_LETTERS: usize = 16;
/// The longest name `AsciiFuzzy` scores: the matcher scores a longer one another way.
const LONGEST_NAME: usize = 1_000;

/// A query of two to sixteen letters and digits, scored on an ASCII name by nucleo's own
/// optimal alignment (`fuzzy_optimal.rs`: a match of each letter after the one before, a gap
/// costing 3 and 1 a byte more, a letter at a word's start or after a lower-case letter worth a
/// bonus, the first letter's bonus doubled, letters that follow on keeping the best bonus of
/// their run), written for bytes: the second letter of a query no name starts with ("lt") had
/// the general matcher score every name that matched the first.
pub(super) struct AsciiFuzzy {
    lower: [u8; MOST_LETTERS],
    len: usize,
}

/// A cell of the alignment: the best score with a query letter on this byte, and the bonus its
/// run of letters that follow on carries. `NONE` where no alignment reaches it.
#[derive(Clone, Copy)]
struct Cell {
    score: i32,
    run_bonus: i32,
}

const NONE: i32 = -1;
const SCORE_MATCH: i32 = 16;
const GAP_START: i32 = 3;
const GAP_EXTENSION: i32 = 1;
const BONUS_BOUNDARY: i32 = 8;
const BONUS_CONSECUTIVE: i32 = GAP_START + GAP_EXTENSION;

/// A byte's kind, as the matcher tells them apart (its `CharClass`, in its order).
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Kind {
    Whitespace,
    NonWord,
    Delimiter,
    Lower,
    Upper,
    Number,
}

fn kind(b: u8) -> Kind {
    KINDS[usize::from(b & 0x7f)]
}

/// Each ASCII byte's kind, looked up rather than worked out: a name's bytes are read once per key.
static KINDS: [Kind; 128] = {
    let mut kinds = [Kind::NonWord; 128];
    let mut b = 0;
    while b < 128 {
        kinds[b] = match b as u8 {
            b'a'..=b'z' => Kind::Lower,
            b'A'..=b'Z' => Kind::Upper,
            b'0'..=b'9' => Kind::Number,
            b' ' | b'\t' | b'\n' | b'\x0c' | b'\r' => Kind::Whitespace,
            b'/' | b',' | b':' | b';' | b'|' => Kind::Delimiter,
            _ => Kind::NonWord,
        };
        b += 1;
    }
    kinds
};

/// The bonus of a byte of kind `now` after one of kind `before` (the matcher's `bonus_for` with
/// its default configuration).
fn bonus(before: Kind, now: Kind) -> i32 {
    if now > Kind::Delimiter {
        match before {
            Kind::Whitespace => return BONUS_BOUNDARY + 2,
            Kind::Delimiter => return BONUS_BOUNDARY + 1,
            Kind::NonWord => return BONUS_BOUNDARY,
            _ => {}
        }
    }
    if before == Kind::Lower && now == Kind::Upper || before != Kind::Number && now == Kind::Number {
        BONUS_BOUNDARY - GAP_START
    } else if now == Kind::Whitespace {
        BONUS_BOUNDARY + 2
    } else if now == Kind::NonWord {
        BONUS_BOUNDARY
    } else {
        0
    }
}

impl AsciiFuzzy {
    pub(super) fn new(query: &str) -> Option<AsciiFuzzy> {
        let bytes = query.as_bytes();
        if !(2..=MOST_LETTERS).contains(&bytes.len()) || !bytes.iter().all(u8::is_ascii_alphanumeric) {
            return None;
        }
        let mut lower = [0; MOST_LETTERS];
        for (to, b) in lower.iter_mut().zip(bytes) {
            *to = b.to_ascii_lowercase();
        }
        Some(AsciiFuzzy { lower, len: bytes.len() })
    }

    /// Whether `score` gives the matcher's score for this name: an ASCII name longer than the
    /// query (one as long is matched whole) and not too long for the matcher's alignment.
    pub(super) fn fits(&self, name: &str) -> bool {
        (self.len + 1..=LONGEST_NAME).contains(&name.len()) && name.is_ascii()
    }

    /// The matcher's score for a name that `fits`; None where the query is not in it.
    pub(super) fn score(&self, name: &[u8]) -> Option<u32> {
        let query = &self.lower[..self.len];
        let k = query.len();
        let lower = |b: u8| if b.is_ascii_uppercase() { b | 0x20 } else { b };
        // As the matcher does first: the first place of the query's first letter that leaves room
        // for the rest, the rest in order after it, and the last place of the query's last
        // letter. No alignment starts before the one or ends after the other.
        let start = name[..name.len() - k + 1].iter().position(|&b| lower(b) == query[0])?;
        let mut greedy_end = start + 1;
        for &q in &query[1..] {
            greedy_end += name[greedy_end..].iter().position(|&b| lower(b) == q)? + 1;
        }
        let end = greedy_end + name[greedy_end..].iter().rposition(|&b| lower(b) == query[k - 1]).map_or(0, |i| i + 1);
        let before = start.checked_sub(1).map_or(Kind::Whitespace, |i| kind(name[i]));
        let score = if end - start == k {
            follow_on_score(&name[start..end], before)
        } else {
            aligned_score(query, &name[start..end], before)
        };
        Some(score as u32)
    }
}

/// The score of the query's letters matched one after the other from the first byte of `span`
/// (the matcher's `calculate_score`): the only alignment there is.
fn follow_on_score(span: &[u8], before: Kind) -> i32 {
    let mut kind_before = kind(span[0]);
    let mut run_bonus = bonus(before, kind_before);
    let mut score = SCORE_MATCH + 2 * run_bonus;
    for &b in &span[1..] {
        let now = kind(b);
        let mut bonus = bonus(kind_before, now);
        kind_before = now;
        if bonus >= BONUS_BOUNDARY && bonus > run_bonus {
            run_bonus = bonus;
        }
        bonus = bonus.max(run_bonus).max(BONUS_CONSECUTIVE);
        score += SCORE_MATCH + bonus;
    }
    score
}

/// The best alignment of `query` in `span` (the matcher's optimal one), `span` starting with
/// the query's first letter and ending with its last.
fn aligned_score(query: &[u8], span: &[u8], mut before: Kind) -> i32 {
    let empty = Cell { score: NONE, run_bonus: 0 };
    // For each letter of the query, after the byte before this one: the cell there, and the best
    // score with that letter matched earlier and a gap since (`NONE` if none).
    let mut cells = [empty; MOST_LETTERS];
    let mut gaps = [NONE; MOST_LETTERS];
    let mut best = NONE;
    for &b in span {
        let now = kind(b);
        let bonus = bonus(before, now);
        before = now;
        let b = b.to_ascii_lowercase();
        // From the last letter back, so each reads the letter before's cells at the byte before.
        for r in (0..query.len()).rev() {
            let (cell, gap) = (cells[r], gaps[r]);
            gaps[r] = if cell.score == NONE && gap == NONE {
                NONE
            } else {
                (cell.score - GAP_START).max(gap - GAP_EXTENSION).max(0)
            };
            cells[r] = if b != query[r] {
                empty
            } else if r == 0 {
                Cell { score: SCORE_MATCH + 2 * bonus, run_bonus: bonus }
            } else {
                let (prior, gap) = (cells[r - 1], gaps[r - 1]);
                if prior.score == NONE && gap == NONE {
                    empty
                } else if prior.score == NONE {
                    Cell { score: gap + bonus + SCORE_MATCH, run_bonus: bonus }
                } else {
                    let mut run_bonus = prior.run_bonus.max(BONUS_CONSECUTIVE);
                    if bonus >= BONUS_BOUNDARY && bonus > run_bonus {
                        run_bonus = bonus;
                    }
                    let follow_on = prior.score + run_bonus.max(bonus);
                    let after_gap = gap.max(0) + bonus;
                    if follow_on > after_gap {
                        Cell { score: follow_on + SCORE_MATCH, run_bonus }
                    } else {
                        Cell { score: after_gap + SCORE_MATCH, run_bonus: bonus }
                    }
                }
            };
        }
        best = best.max(cells[query.len() - 1].score);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random names of `len_from..len_from + spread` bytes, mostly of `favoured` so that the
    /// letters asked about meet every kind of neighbour.
    fn names(seed: u64, count: usize, len_from: usize, spread: u64, favoured: &[char]) -> Vec<String> {
        let bytes: Vec<u8> = (32u8..127).collect();
        let mut seed = seed;
        (0..count)
            .map(|_| {
                let len = len_from + (seed % spread) as usize;
                (0..len)
                    .map(|_| {
                        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                        let pick = (seed >> 33) as usize;
                        if pick.is_multiple_of(3) {
                            favoured[pick / 3 % favoured.len()]
                        } else {
                            bytes[pick % bytes.len()] as char
                        }
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn one_letter_scores_as_the_matcher() {
        let mut names = names(7, 3_000, 2, 9, &['c', 'C', '1']);
        names.extend(["cc", "Cc", "a1", "1a", "x C"].map(String::from));
        for query in ["c", "C", "1", "z"] {
            let mut m = RowMatcher::new(query).unwrap();
            let one = OneLetter::new(query, &mut m).unwrap();
            for name in &names {
                assert_eq!(one.score(name.as_bytes()), m.field(name), "{query:?} in {name:?}");
            }
        }
    }

    #[test]
    fn a_query_at_the_start_of_a_name_scores_as_the_matcher() {
        let bytes: Vec<u8> = (32u8..127).collect();
        let mut seed = 11u64;
        let tails: Vec<String> = (0..2_000)
            .map(|_| {
                let len = (seed % 12) as usize;
                (0..len)
                    .map(|_| {
                        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                        let pick = (seed >> 33) as usize;
                        if pick.is_multiple_of(4) {
                            ['c', 'C', 'u', 'U', '1', ' ', '-', 'é'][pick / 4 % 8]
                        } else {
                            bytes[pick % bytes.len()] as char
                        }
                    })
                    .collect()
            })
            .collect();
        for query in ["cu", "CU", "c1", "12", "cuc", "customer"] {
            let mut m = RowMatcher::new(query).unwrap();
            let prefix = Prefix::new(query, &mut m).unwrap();
            for (n, tail) in tails.iter().enumerate() {
                // The query's letters written in each case, then anything.
                let start: String = query
                    .chars()
                    .enumerate()
                    .map(|(k, c)| if (n >> k) & 1 == 1 { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
                    .collect();
                let name = format!("{start}{tail}");
                assert!(prefix.starts(&name));
                assert_eq!(prefix.score, m.field(&name), "{query:?} in {name:?}");
            }
        }
        let mut m = RowMatcher::new("cu").unwrap();
        assert!(["c", "cu p", "^cu", "cu$"].iter().all(|q| Prefix::new(q, &mut m).is_none()));
        let cu = Prefix::new("cu", &mut m).unwrap();
        assert!(cu.starts("CUP") && !cu.starts("Acup") && !cu.starts("c"));
    }

    #[test]
    fn a_query_of_letters_and_digits_scores_as_the_matcher_anywhere_in_a_name() {
        let mut names = names(13, 20_000, 3, 30, &['l', 'L', 't', 'T', 'd', '1', ' ', 'a']);
        names.extend(
            ["Customer 12 Ltd", "ltd", "LT x", "l t", "xlt", "Lt", "alT", "a-l/t", "LoT lt", "l"].map(String::from),
        );
        let mut checked = 0;
        for query in ["lt", "LT", "tl", "l1", "11", "ltd", "ald", "lat1", "la t", "lllttt", "altdaltdaltdaltd"] {
            let mut m = RowMatcher::new(query).unwrap();
            let Some(fuzzy) = AsciiFuzzy::new(query) else {
                assert!(query.contains(' '), "{query:?} is letters and digits");
                continue;
            };
            for name in names.iter().filter(|n| fuzzy.fits(n)) {
                assert_eq!(fuzzy.score(name.as_bytes()), m.field(name), "{query:?} in {name:?}");
                checked += 1;
            }
        }
        assert!(checked > 150_000, "{checked}");
        let fuzzy = AsciiFuzzy::new("lt").unwrap();
        assert!(!fuzzy.fits("lt") && !fuzzy.fits("Zürich lt") && fuzzy.fits("alt") && !fuzzy.fits(&"lt".repeat(600)));
        assert!(AsciiFuzzy::new("l").is_none() && AsciiFuzzy::new(&"a".repeat(17)).is_none());
    }
}
