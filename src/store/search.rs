//! Search: accounts and CSMs by name (and accounts by external id) and accounts by their notes
//! in their tables, and what people write (log notes and titles, goals, milestone notes, tasks)
//! and the people on accounts through the FTS5 index `search`.

use super::{Result, Store};

/// An account found by name or external id.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountMatch {
    pub id: i64,
    pub name: String,
    pub external_id: String,
}

/// A written thing found in the full-text index.
#[derive(Clone, Debug, PartialEq)]
pub struct TextMatch {
    /// An entry's kind ("touch", "risk", ...), "goal", "milestone", "task" or "person".
    pub kind: String,
    pub account_id: i64,
    pub account: String,
    /// The id of the entry, goal, milestone, task or contact.
    pub id: i64,
    pub text: String,
    /// The entry's day, the goal's creation, the milestone's or the task's due day (none for a
    /// person).
    pub day: Option<chrono::NaiveDate>,
}

/// `word` as a LIKE pattern matching it anywhere, its wildcards taken literally.
fn contains_pattern(word: &str) -> String {
    contains_in_order(&[word])
}

/// A LIKE pattern matching `parts` anywhere, in their order with anything between, their
/// wildcards taken literally.
fn contains_in_order(parts: &[&str]) -> String {
    let escaped: Vec<String> =
        parts.iter().map(|p| p.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")).collect();
    format!("%{}%", escaped.join("%"))
}

/// A token's parts where letters meet digits ("soc2" -> "soc", "2"; "iso27001" -> "iso",
/// "27001"); none when it has no such seam. People write "SOC 2" and search "SOC2", and the
/// other way round: a probe's "SOC2" did not find "SOC 2 report".
pub(crate) fn seam_parts(token: &str) -> Option<Vec<&str>> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut last: Option<bool> = None;
    for (i, c) in token.char_indices() {
        let digit = c.is_numeric();
        if last.is_some_and(|was| was != digit) {
            parts.push(&token[start..i]);
            start = i;
        }
        last = Some(digit);
    }
    parts.push(&token[start..]);
    (parts.len() > 1).then_some(parts)
}

/// `text` with a space or a dash dropped where letters go on in digits ("soc 2 report" -> "soc2
/// report", "net-90" -> "net90"; not "2 weeks"); none when there is no such place.
fn seams_closed(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !c.is_alphanumeric() && i > 0 && chars[i - 1].is_alphanumeric() {
            let end = (i..chars.len()).find(|&j| chars[j].is_alphanumeric()).unwrap_or(chars.len());
            let separator_is_short = end - i <= 2 && chars[i..end].iter().all(|c| *c == ' ' || *c == '-');
            if separator_is_short && end < chars.len() && !chars[i - 1].is_numeric() && chars[end].is_numeric() {
                changed = true;
                i = end;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    changed.then_some(out)
}

/// A token as the start of a word in the full-text index, quoted so that FTS5's syntax
/// characters are taken literally.
fn fts_start(token: &str) -> String {
    format!("\"{token}\"*")
}

/// The FTS5 query for `words`: every token of them (split as the index splits text, at anything
/// not a letter or a digit), each as the start of a word in the text; empty when they hold none.
pub(crate) fn fts_query(words: &[String]) -> String {
    // One token per quote, as the index keeps no positions for phrases. Where letters meet
    // digits, either way of writing it is found: "soc2" as one word or "soc" and "2"; "soc 2" as
    // two words or "soc2".
    let tokens: Vec<&str> = tokens(words).collect();
    let mut terms = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let token = tokens[i];
        if let Some(parts) = seam_parts(token) {
            let (last, first) = parts.split_last().expect("a seam has two parts");
            let apart = first.iter().map(|p| format!("\"{p}\"")).chain([fts_start(last)]).collect::<Vec<_>>();
            terms.push(format!("({} OR ({}))", fts_start(token), apart.join(" AND ")));
        } else if let Some(next) = tokens.get(i + 1).filter(|next| {
            let (end, start) = (token.chars().last(), next.chars().next());
            end.zip(start).is_some_and(|(e, s)| e.is_numeric() != s.is_numeric()) && seam_parts(next).is_none()
        }) {
            terms.push(format!(
                "(({} AND {}) OR {})",
                fts_start(token),
                fts_start(next),
                fts_start(&format!("{token}{next}"))
            ));
            i += 1;
        } else {
            terms.push(fts_start(token));
        }
        i += 1;
    }
    // FTS5 reads two quoted words side by side as both, but not a bracket beside a word.
    terms.join(" AND ")
}

/// Whether a character is written in a script without spaces between words (Chinese, Japanese,
/// Korean's Hanja): the index keeps a run of them as one token, so a word inside it is found by
/// its letters anywhere, not as a word's start.
fn unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F) // CJK Extensions B-F
}

/// What finds written things for `words`: the full-text query of the words written with spaces,
/// and a LIKE pattern for each token in a script without them (a probe's "会議" did not find
/// "定例会議", one token to the index). The SQL's condition on `search s`, its parameters from ?3.
fn text_condition(words: &[String]) -> Option<(String, String, Vec<String>)> {
    let (unspaced_tokens, spaced): (Vec<&str>, Vec<&str>) = tokens(words).partition(|t| t.chars().any(unspaced));
    let fts = fts_query(&spaced.iter().map(|t| t.to_string()).collect::<Vec<_>>());
    let patterns: Vec<String> = unspaced_tokens.iter().map(|t| contains_pattern(t)).collect();
    let mut conditions: Vec<String> = Vec::new();
    if !fts.is_empty() {
        conditions.push("search MATCH ?1".into());
    }
    conditions.extend((0..patterns.len()).map(|i| format!("s.body LIKE ?{} ESCAPE '\\'", i + 3)));
    (!conditions.is_empty()).then(|| (conditions.join(" AND "), fts, patterns))
}

/// The parameters of a `text_condition` query: the full-text query, the limit, the patterns.
fn text_params(fts: String, limit: i64, patterns: Vec<String>) -> Vec<rusqlite::types::Value> {
    use rusqlite::types::Value;
    [Value::Text(fts), Value::Integer(limit)].into_iter().chain(patterns.into_iter().map(Value::Text)).collect()
}

/// The tokens of `words`, split as the full-text index splits text: at anything not a letter or
/// a digit.
pub(crate) fn tokens(words: &[String]) -> impl Iterator<Item = &str> {
    words.iter().flat_map(|w| w.split(|c: char| !c.is_alphanumeric())).filter(|t| !t.is_empty())
}

/// Whether `text` holds every one of `folded` (words already folded), without regard to case or
/// accents, or as German is written without its letters ("mueller" in "Müller").
fn holds_every(text: &str, folded: &[String]) -> bool {
    let spellings = std::iter::once(crate::text::fold(text)).chain(crate::text::fold_umlauts(text));
    // "SOC 2" is also read as "SOC2", for a search that writes it so.
    let seams = folded.iter().any(|w| seam_parts(w).is_some());
    spellings
        .flat_map(|spelt| {
            let closed = if seams { seams_closed(&spelt) } else { None };
            std::iter::once(spelt).chain(closed)
        })
        .any(|spelt| folded.iter().all(|w| spelt.contains(w.as_str())))
}

/// The accounts WHERE clause for `words` (each contained in the name or the external id), and
/// its parameters, numbered from ?1.
fn accounts_matching(words: &[String]) -> (String, Vec<String>) {
    let params: Vec<String> = words.iter().map(|w| contains_pattern(w)).collect();
    let clause = (1..=params.len())
        .map(|n| format!("(name LIKE ?{n} ESCAPE '\\' OR external_id LIKE ?{n} ESCAPE '\\')"))
        .collect::<Vec<_>>()
        .join(" AND ");
    (clause, params)
}

/// The accounts whose notes hold `words` words (numbered from ?1) as LIKE reads them, and those
/// whose notes are not ASCII alone (matched by the caller, folded): only accounts with notes are
/// read, through their index (schema step 29).
fn account_notes_sql(words: usize) -> String {
    let clause = (1..=words).map(|n| format!("notes LIKE ?{n} ESCAPE '\\'")).collect::<Vec<_>>().join(" AND ");
    format!(
        "SELECT id, name, notes FROM accounts
         WHERE notes <> '' AND (length(notes) != octet_length(notes) OR ({clause}))"
    )
}

/// Accounts matching a search are counted up to this many.
pub const MATCH_CAP: usize = 10_000;

impl Store {
    /// Accounts whose name or external id contains every word (without regard to case), best
    /// first: an exact external id, then names starting with the first word, then the shortest.
    /// Also how many match, counted up to `MATCH_CAP` (one pass over the table, not two: on a
    /// million accounts each costs a quarter of a second). Past the cap the best may be missed
    /// (an exact id never is): the count says to type more.
    pub fn search_accounts(&self, words: &[String], limit: usize) -> Result<(Vec<AccountMatch>, usize)> {
        if words.is_empty() {
            return Ok((Vec::new(), 0));
        }
        let read = |r: &rusqlite::Row| Ok(AccountMatch { id: r.get(0)?, name: r.get(1)?, external_id: r.get(2)? });
        let folded: Vec<String> = words.iter().map(|w| crate::text::fold(w)).collect();
        let (clause, params) = accounts_matching(&folded);
        // LIKE folds the case of ASCII letters only: names with other letters ("Café Olé",
        // "Müller": more bytes than characters, which SQLite tells without a pattern) are also
        // read, and matched here without regard to case or accents, so "cafe" finds them as the
        // account arguments and the Portfolio's filter do. The words are folded too ("CAFÉ"
        // finds "Cafeteria").
        let sql = format!(
            "SELECT id, name, external_id, length(name) = octet_length(name) FROM accounts
             WHERE length(name) != octet_length(name) OR ({clause})"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let mut rows = stmt.query(rusqlite::params_from_iter(params.iter())).map_err(|e| self.err(e))?;
        let mut found = Vec::new();
        // Read in place and folded into one buffer: on a million accounts, four in ten with an
        // accent, a copy of each name read cost twice the whole search.
        let mut name = String::new();
        let text = |row: &rusqlite::Row, i: usize| -> rusqlite::Result<String> {
            Ok(row.get_ref(i)?.as_str().unwrap_or_default().to_string())
        };
        while found.len() < MATCH_CAP
            && let Some(row) = rows.next().map_err(|e| self.err(e))?
        {
            // A name of ASCII alone is here because the words matched it as LIKE reads them;
            // another is matched here, folded (the LIKE is not worked out twice).
            let plain: bool = row.get(3).map_err(|e| self.err(e))?;
            let matched = plain || {
                let raw = row.get_ref(1).map_err(|e| self.err(e))?.as_str().unwrap_or_default();
                crate::text::fold_into(raw, &mut name);
                let id = row.get_ref(2).map_err(|e| self.err(e))?.as_str().unwrap_or_default().as_bytes();
                let in_id = |w: &str| id.windows(w.len().max(1)).any(|part| part.eq_ignore_ascii_case(w.as_bytes()));
                folded.iter().all(|w| name.contains(w.as_str()) || in_id(w))
                    || crate::text::fold_umlauts(raw)
                        .is_some_and(|spelt| folded.iter().all(|w| spelt.contains(w.as_str())))
            };
            if matched {
                let account = AccountMatch {
                    id: row.get(0).map_err(|e| self.err(e))?,
                    name: text(row, 1).map_err(|e| self.err(e))?,
                    external_id: text(row, 2).map_err(|e| self.err(e))?,
                };
                found.push(account);
            }
        }
        drop(rows);
        drop(stmt);
        let count = found.len();
        let whole = words.join(" ");
        // The exact external id through its index, as typed or in either case.
        for exact in self.query_list(
            "SELECT id, name, external_id FROM accounts WHERE external_id IN (?1, upper(?1), lower(?1))",
            [&whole],
            read,
        )? {
            if !found.iter().any(|a| a.id == exact.id) {
                found.push(exact);
            }
        }
        let first = crate::text::fold(&words[0]);
        found.sort_by_cached_key(|a| {
            let name = crate::text::fold(&a.name);
            (!a.external_id.eq_ignore_ascii_case(&whole), !name.starts_with(&first), name.chars().count(), name, a.id)
        });
        found.truncate(limit);
        Ok((found, count))
    }

    /// Accounts whose notes (the accounts file's Notes column) hold every word, without regard to
    /// case or accents, as `TextMatch`es of kind "account notes" (their id the account's), by name: at most
    /// `limit`, and how many in all. Only the accounts that have notes are read (schema step 29).
    pub fn search_account_notes(&self, words: &[String], limit: usize) -> Result<(Vec<TextMatch>, usize)> {
        // Split as the full-text index splits what people write: "soc-2" finds "SOC 2 report",
        // and "net 90" finds "net-90 terms".
        let folded: Vec<String> = tokens(words).map(crate::text::fold).collect();
        if folded.is_empty() {
            return Ok((Vec::new(), 0));
        }
        // A word where letters meet digits is looked for with anything between ("soc2" in "SOC 2
        // report"), then held to the words exactly.
        let params: Vec<String> = folded
            .iter()
            .map(|w| match seam_parts(w) {
                Some(parts) => contains_in_order(&parts),
                None => contains_pattern(w),
            })
            .collect();
        let sql = account_notes_sql(params.len());
        let mut found: Vec<TextMatch> = self
            .query_list(&sql, rusqlite::params_from_iter(params.iter()), |r| {
                Ok(TextMatch {
                    kind: "account notes".into(),
                    account_id: r.get(0)?,
                    account: r.get(1)?,
                    id: r.get(0)?,
                    text: r.get(2)?,
                    day: None,
                })
            })?
            .into_iter()
            .filter(|m| holds_every(&m.text, &folded))
            .collect();
        let count = found.len();
        found.sort_by_cached_key(|m| (crate::text::fold(&m.account), m.id));
        found.truncate(limit);
        Ok((found, count))
    }

    /// How many written things `search_text` would find without a limit.
    pub fn count_text(&self, words: &[String]) -> Result<usize> {
        let Some((condition, fts, patterns)) = text_condition(words) else { return Ok(0) };
        // ?2, the limit, is none here: the number stands in its place.
        let sql = format!("SELECT count(*) FROM search s WHERE {condition} AND ?2 IS NOT NULL");
        let params = text_params(fts, -1, patterns);
        let count: i64 =
            self.conn().query_row(&sql, rusqlite::params_from_iter(params), |r| r.get(0)).map_err(|e| self.err(e))?;
        Ok(count as usize)
    }

    /// CSMs whose name contains every word.
    pub fn search_csms(&self, words: &[String], limit: usize) -> Result<Vec<String>> {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        // A team's CSMs are few: each name is folded here, so "jose" finds "José".
        let folded: Vec<String> = words.iter().map(|w| crate::text::fold(w)).collect();
        let mut names: Vec<String> = self
            .query_list("SELECT name FROM csms", [], |r| r.get::<_, String>(0))?
            .into_iter()
            .filter(|name| holds_every(name, &folded))
            .collect();
        names.sort_by(|a, b| (a.chars().count(), a).cmp(&(b.chars().count(), b)));
        names.truncate(limit);
        Ok(names)
    }

    /// Entries, goals, milestones, tasks and people whose words start with every word given:
    /// the people, then the newest first. A closed task and a person who left say so after their
    /// words; a risk whether it is open or cleared, before them (a probe's handover read its risks
    /// with no word of which were still open; said after them, the screen's search cut it off). An
    /// entry's title and note are shown apart, as its timeline shows them ("Renewal prep call ·
    /// Renewal looks uncertain" ran together as one sentence).
    pub fn search_text(&self, words: &[String], limit: usize) -> Result<Vec<TextMatch>> {
        let Some((condition, fts, patterns)) = text_condition(words) else { return Ok(Vec::new()) };
        // The people found first (they have no day), then the newest first, as a timeline reads
        // (ordered by relevance in steps, a probe read the same note's hits dated October, then
        // April, then November again as no order at all), relevance between those of a day.
        self.query_list(
            &format!(
                "SELECT s.kind, s.account_id, a.name, s.ref,
                    iif(e.id IS NULL, s.body,
                        iif(e.kind = 'risk', iif(e.closed_on IS NULL, 'open: ', 'cleared ' || e.closed_on || ': '), '')
                            || trim(coalesce(e.title, '') || iif(coalesce(e.title, '') <> '' AND e.note <> '', ' · ', '') || e.note))
                        || iif(t.status IS NOT NULL AND t.status <> 'open', ' (' || t.status || ')', '')
                        || iif(c.status = 'left', ' (left)', ''),
                    CASE s.rowid % 8 WHEN 4 THEN g.created_on WHEN 5 THEN m.due WHEN 6 THEN t.due WHEN 7 THEN NULL
                        ELSE e.day END AS day
             FROM search s JOIN accounts a ON a.id = s.account_id
             LEFT JOIN entries e ON s.rowid % 8 = 3 AND e.id = s.ref
             LEFT JOIN goals g ON s.rowid % 8 = 4 AND g.id = s.ref
             LEFT JOIN milestone_rows m ON s.rowid % 8 = 5 AND m.id = s.ref
             LEFT JOIN tasks t ON s.rowid % 8 = 6 AND t.id = s.ref
             LEFT JOIN contacts c ON s.rowid % 8 = 7 AND c.id = s.ref
             WHERE {condition} ORDER BY day IS NULL DESC, day DESC, s.rank, s.rowid DESC LIMIT ?2"
            ),
            rusqlite::params_from_iter(text_params(fts, limit as i64, patterns)),
            |r| {
                Ok(TextMatch {
                    kind: r.get(0)?,
                    account_id: r.get(1)?,
                    account: r.get(2)?,
                    id: r.get(3)?,
                    text: r.get(4)?,
                    day: r.get(5)?,
                })
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_meeting_digits_are_read_either_way() {
        assert_eq!(seam_parts("soc2"), Some(vec!["soc", "2"]));
        assert_eq!(seam_parts("v2beta3"), Some(vec!["v", "2", "beta", "3"]));
        assert_eq!(seam_parts("report"), None);
        assert_eq!(seam_parts("2026"), None);
        assert_eq!(seams_closed("soc 2 and net-90, q3").as_deref(), Some("soc2 and net90, q3"));
        assert_eq!(seams_closed("no seam here, 2026 - 27"), None);
        assert_eq!(fts_query(&["soc2".into()]), r#"("soc2"* OR ("soc" AND "2"*))"#);
        assert_eq!(
            fts_query(&["soc".into(), "2".into(), "report".into()]),
            r#"(("soc"* AND "2"*) OR "soc2"*) AND "report"*"#
        );
    }

    /// A notes search reads the accounts that have notes through their index, not every account
    /// (a million-account book without notes reads none).
    #[test]
    fn a_notes_search_reads_only_the_accounts_with_notes() {
        let store = Store::open_in_memory().unwrap();
        let sql = format!("EXPLAIN QUERY PLAN {}", account_notes_sql(2));
        let plan: Vec<String> = store.query_list(&sql, ["%a%", "%b%"], |r| r.get(3)).unwrap();
        assert!(plan.iter().any(|step| step.contains("accounts_noted")), "{plan:?}");
    }
}
