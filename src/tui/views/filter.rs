//! The `/` filter the list views share: a line of text typed at the foot of the screen, and the
//! fuzzy match of an account row against it (name, CSM or segment, each on its own).

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Matcher, Utf32Str};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::book::PortfolioRow;

/// A list's filter: the query and whether it is being typed.
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    pub input: Input,
    /// Keys go to the query (until Enter keeps it or Esc clears it).
    pub editing: bool,
    /// A kept query reopened with `/`: the first character typed replaces it, as a new search
    /// ("harbor" then "iris" read "harboriris", 0 matches); an arrow or Backspace edits it.
    pub pristine: bool,
}

impl ListFilter {
    pub fn query(&self) -> &str {
        self.input.value().trim()
    }

    /// Shown at the foot of the screen: being typed, or kept.
    pub fn is_shown(&self) -> bool {
        self.editing || !self.input.value().is_empty()
    }

    pub fn clear(&mut self) {
        self.input.reset();
        self.editing = false;
        self.pristine = false;
    }

    /// `/`: type a query, or a new one over the one kept (`pristine`).
    pub fn start(&mut self) {
        self.editing = true;
        self.pristine = !self.input.value().is_empty();
    }
}

/// A list view with a `ListFilter` over portfolio rows.
pub trait Filtered {
    fn filter_mut(&mut self) -> &mut ListFilter;
    /// Apply the query after it changed (the selection goes to the first match).
    fn refilter(&mut self, rows: &[PortfolioRow]);
    fn clear_filter(&mut self, rows: &[PortfolioRow]);
    fn move_by(&mut self, delta: isize);
}

/// A key while the filter is being typed: Enter keeps the query, Esc clears it, ↑/↓ move
/// through the matches, anything else edits the query.
pub fn edit(view: &mut (impl Filtered + ?Sized), key: KeyEvent, rows: &[PortfolioRow]) {
    match key.code {
        KeyCode::Enter => {
            let f = view.filter_mut();
            f.editing = false;
            f.pristine = false;
        }
        KeyCode::Esc => view.clear_filter(rows),
        KeyCode::Up => view.move_by(-1),
        KeyCode::Down => view.move_by(1),
        _ => {
            let f = view.filter_mut();
            let before = f.input.value().to_string();
            if std::mem::take(&mut f.pristine) && matches!(key.code, KeyCode::Char(_)) {
                f.input.reset();
            }
            let input = &mut f.input;
            input.handle_event(&Event::Key(key));
            if input.value() != before {
                view.refilter(rows);
            }
        }
    }
}

/// Text pasted while the filter is typed (an external id from the CRM): added to the query at
/// once, on one line; a pasted line break does not end the filter.
pub fn paste(view: &mut (impl Filtered + ?Sized), text: &str, rows: &[PortfolioRow]) {
    let f = view.filter_mut();
    let before = f.input.value().to_string();
    if std::mem::take(&mut f.pristine) {
        f.input.reset();
    }
    crate::tui::form::insert_pasted(&mut f.input, &crate::tui::form::pasted_text(text, " "));
    if f.input.value() != before {
        view.refilter(rows);
    }
}

/// A query's words in lower case without accents, worked out once for `contains_words` over
/// many rows.
pub fn words(query: &str) -> Vec<String> {
    query.split_whitespace().map(crate::text::fold).collect()
}

/// Whether a row's name, CSM or segment contains every one of `words` (see `words`), each in one
/// field: the filter of lists kept in their own order (Triage by need, Renewals by day), where a
/// fuzzy match ("red" in "Grove Outdoors") would only puzzle. Accents fold as the Portfolio's
/// filter folds them: "zurich" finds "Zürich Analytics" (Triage and Renewals found nothing).
pub fn contains_words(words: &[String], r: &PortfolioRow) -> bool {
    if words.is_empty() {
        return true;
    }
    let fields = [crate::text::fold(&r.name), crate::text::fold(&r.csm), crate::text::fold(&r.segment)];
    // A German name also as written without its umlauts ("mueller" finds Müller), as search does.
    let spelt = crate::text::fold_umlauts(&r.name);
    words.iter().all(|word| fields.iter().chain(&spelt).any(|f| f.contains(word.as_str())))
}

/// A query as it would match a German name's plain letters (`text::plain_letters`, which the
/// names are matched in): "mueller" as "muller" (Müller without its accents), "groesse" as
/// "grosse" (Größe, its ß written ss). None when it has no such spelling.
fn german_letters(query: &str) -> Option<String> {
    let lower = query.to_lowercase();
    let spelt = lower.replace("ae", "a").replace("oe", "o").replace("ue", "u");
    (spelt != lower).then_some(spelt)
}

/// Scores rows against one query; built once per change of the query, a query and the names
/// it scores in their plain letters (`text::plain_letters`), as the Portfolio's index holds
/// them. An account's name
/// matches fuzzily ("npay" finds "Nova Payments"); a CSM's or segment's name only by the words
/// typed as they are in it ("patel", "deer"): fuzzily, "acm" matched every account of Alice
/// Moreno, hundreds of rows with nothing of the query in their names.
pub struct RowMatcher {
    pattern: Pattern,
    /// The query with German spellings as their letters (`german_letters`), when it has any:
    /// an account's name matches either.
    german: Option<Pattern>,
    shared_pattern: Pattern,
    matcher: Matcher,
    buf: Vec<char>,
}

impl RowMatcher {
    /// None for an empty query: everything matches.
    pub fn new(query: &str) -> Option<RowMatcher> {
        let query = query.trim();
        (!query.is_empty()).then(|| RowMatcher {
            pattern: Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart),
            german: german_letters(query).map(|q| Pattern::parse(&q, CaseMatching::Ignore, Normalization::Smart)),
            shared_pattern: Pattern::new(query, CaseMatching::Ignore, Normalization::Smart, AtomKind::Substring),
            matcher: Matcher::new(nucleo_matcher::Config::DEFAULT),
            buf: Vec::new(),
        })
    }

    /// How well the row matches, on its best field alone (a match never spans name and CSM);
    /// None when it does not.
    pub fn score(&mut self, r: &PortfolioRow) -> Option<u32> {
        let name = self.field(&r.name);
        name.max(self.shared_field(&r.csm)).max(self.shared_field(&r.segment))
    }

    /// An account's name.
    pub(super) fn field(&mut self, text: &str) -> Option<u32> {
        let score = self.pattern.score(Utf32Str::new(text, &mut self.buf), &mut self.matcher);
        match &self.german {
            Some(german) => score.max(german.score(Utf32Str::new(text, &mut self.buf), &mut self.matcher)),
            None => score,
        }
    }

    /// A CSM's or segment's name.
    pub(super) fn shared_field(&mut self, text: &str) -> Option<u32> {
        self.shared_pattern.score(Utf32Str::new(text, &mut self.buf), &mut self.matcher)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AccountStatus, HealthBand};

    /// German names are found as typed without their letters, by the Portfolio's fuzzy filter
    /// and the word filter of Triage and Renewals alike.
    #[test]
    fn german_names_match_as_spelt_without_their_letters() {
        let row = |name: &str| PortfolioRow {
            name: name.into(),
            ..PortfolioRow::sample(1, "Deer", Some(HealthBand::Green), 1.0, AccountStatus::Active)
        };
        // The Portfolio scores a query and the names in their plain letters.
        let fuzzy = |query: &str, name: &str| {
            let plain = crate::text::plain_letters(name);
            RowMatcher::new(&crate::text::plain_letters(query)).unwrap().score(&row(&plain)).is_some()
        };
        for (query, name) in [
            ("mueller", "Müller GmbH"),
            ("muller", "Müller GmbH"),
            ("moeller kg", "Möller KG"),
            ("strasse", "Straße Technik AG"),
            ("strassen", "Straßenbau Nord GmbH"),
            ("weiss", "Weiß SE"),
            ("weiß", "Weiß SE"),
            ("grosse", "Größe AG"),
            ("groesse", "Größe AG"),
            ("größe", "Größe AG"),
            ("aerger", "Ärger Digital"),
        ] {
            assert!(fuzzy(query, name), "fuzzy {query} {name}");
            assert!(contains_words(&words(query), &row(name)), "words {query} {name}");
        }
        // A ß is two letters, not one: "weiß" is no fuzzy match of "Weser Logistik".
        assert!(!fuzzy("weiß", "Weser Logistik GmbH"));
        assert!(RowMatcher::new("mueller").unwrap().score(&row("Zimmermann KG")).is_none());
        assert!(!contains_words(&words("strasse"), &row("Stroh AG")));
    }

    #[test]
    fn a_query_matches_name_csm_or_segment_fuzzily() {
        let mut row = PortfolioRow::sample(1, "Elephant", Some(HealthBand::Red), 1_000.0, AccountStatus::Active);
        row.name = "Nova Payments".into();
        row.csm = "Liam Patel".into();
        assert!(RowMatcher::new("").is_none());
        assert!(RowMatcher::new("nova").unwrap().score(&row).is_some());
        assert!(RowMatcher::new("npay").unwrap().score(&row).is_some());
        assert!(RowMatcher::new("liam").unwrap().score(&row).is_some());
        assert!(RowMatcher::new("eleph").unwrap().score(&row).is_some());
        assert!(RowMatcher::new("PATEL").unwrap().score(&row).is_some());
        // A CSM's or segment's name only by what it contains, not by letters spread over it.
        assert!(RowMatcher::new("lpa").unwrap().score(&row).is_none(), "L(iam) Pa(tel)");
        assert!(RowMatcher::new("eph").unwrap().score(&row).is_some(), "in Elephant");
        assert!(RowMatcher::new("elt").unwrap().score(&row).is_none(), "El(ephan)t");
        assert!(RowMatcher::new("zebra").unwrap().score(&row).is_none());
    }

    #[test]
    fn lists_in_their_own_order_filter_by_words_contained() {
        let mut row = PortfolioRow::sample(1, "Elephant", Some(HealthBand::Red), 1_000.0, AccountStatus::Active);
        row.name = "Grove Outdoors".into();
        row.csm = "Liam Patel".into();
        assert!(contains_words(&words("grove"), &row));
        assert!(contains_words(&words("GROVE liam"), &row));
        assert!(contains_words(&words("eleph"), &row));
        assert!(!contains_words(&words("red"), &row), "no fuzzy subsequence");
        assert!(!contains_words(&words("grove zed"), &row));
        // Accents fold either way, as in the Portfolio's filter.
        row.name = "Zürich Analytics".into();
        row.csm = "José Álvarez".into();
        assert!(contains_words(&words("zurich"), &row));
        assert!(contains_words(&words("ZÜRICH jose"), &row));
        assert!(contains_words(&words("alvarez"), &row));
    }
}
