//! Find where a key sits in the user's TOML text, so errors can name the line.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The line of a dotted key ("health.factors.nps.weight", "segments.arr_bands[2].name") in the
/// user's text; the nearest enclosing key the file does mention if it lacks the key itself.
pub fn line_of_key(text: &str, key: &str) -> Option<usize> {
    line_of_key_found(text, key, "")
}

/// `line_of_key` for an error about the key's value: where several elements of an array of
/// tables have the key, the one whose value is of the kind the error found ("found the text
/// \"30\"" in the third playbook, not the first one's `days = 30`).
pub fn line_of_key_found(text: &str, key: &str, reason: &str) -> Option<usize> {
    let doc = DeTable::parse(text).ok()?;
    let parts: Vec<(&str, Option<usize>)> = key
        .split('.')
        .filter(|p| !p.is_empty())
        .map(|part| match part.split_once('[') {
            Some((n, i)) => (n, i.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        })
        .collect();
    deepest(text, &[doc.get_ref()], &parts, found_kind(reason)).map(|(_, line, _)| line)
}

/// The deepest place `parts` lead to under any of `tables` (every element of an array of tables
/// when a part names no element: serde's paths say "playbooks.tasks.due_dys", not which playbook
/// or task): how many parts matched, the line, and whether the last value is of the kind `found`.
/// Deeper wins; at the same depth, a value of the kind found; else the first.
fn deepest(
    text: &str,
    tables: &[&DeTable],
    parts: &[(&str, Option<usize>)],
    found: Option<fn(&DeValue) -> bool>,
) -> Option<(usize, usize, bool)> {
    let ((name, index), rest) = parts.split_first()?;
    let mut best: Option<(usize, usize, bool)> = None;
    for table in tables {
        let Some((k, v)) = table.iter().find(|(k, _)| k.get_ref().as_ref() == *name) else { continue };
        let mut line = line_col(text, k.span().start).0;
        let mut value: &Spanned<DeValue> = v;
        if let Some(i) = index {
            match v.get_ref().as_array().and_then(|a| a.get(*i)) {
                Some(item) => {
                    line = line_col(text, item.span().start).0;
                    value = item;
                }
                None => {
                    best = best.or(Some((1, line, false)));
                    continue;
                }
            }
        }
        let children: Vec<&DeTable> = match value.get_ref() {
            DeValue::Table(t) => vec![t],
            DeValue::Array(items) => items.iter().filter_map(|i| i.get_ref().as_table()).collect(),
            _ => Vec::new(),
        };
        let here = match deepest(text, &children, rest, found) {
            Some((depth, line, kind)) => (depth + 1, line, kind),
            None => (1, line, rest.is_empty() && found.is_some_and(|f| f(value.get_ref()))),
        };
        if best.is_none_or(|b| (here.0, here.2) > (b.0, b.2)) {
            best = Some(here);
        }
    }
    best
}

/// The kind of value an error message says it found, as a test on a value.
fn found_kind(reason: &str) -> Option<fn(&DeValue) -> bool> {
    let r = reason.to_lowercase();
    if r.contains("found the text") || r.contains("invalid type: string") {
        Some(|v| matches!(v, DeValue::String(_)))
    } else if r.contains("found the number") || r.contains("invalid type: integer") || r.contains("floating point") {
        Some(|v| matches!(v, DeValue::Integer(_) | DeValue::Float(_)))
    } else if r.contains("invalid type: boolean") || r.contains("found true") || r.contains("found false") {
        Some(|v| matches!(v, DeValue::Boolean(_)))
    } else if r.contains("invalid type: sequence") || r.contains("found a list") {
        Some(|v| matches!(v, DeValue::Array(_)))
    } else {
        None
    }
}
