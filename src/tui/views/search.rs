//! `Ctrl-K` / `:`: one search over the book, in a box over the view. Typing searches at once;
//! ↑/↓ pick a hit, Enter goes to it, Esc closes.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};
use tui_input::Input;

use crate::book::search::{Found, Hit};
use crate::tui::theme::Theme;

/// Hits asked for per query: a screenful.
pub const LIMIT: usize = 30;

#[derive(Debug, Default)]
pub struct SearchBox {
    pub input: Input,
    pub hits: Vec<Hit>,
    /// How many match in all, as said ("10,000+" past the count's cap).
    pub total: usize,
    pub total_text: String,
    pub selected: usize,
    /// Why the last search failed, if it did.
    pub error: Option<String>,
}

impl SearchBox {
    pub fn query(&self) -> &str {
        self.input.value().trim()
    }

    pub fn selected_hit(&self) -> Option<&Hit> {
        self.hits.get(self.selected)
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.hits.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, last.max(0)) as usize;
    }

    /// New hits for the query as it now reads; the selection goes to the first.
    pub fn show(&mut self, found: Result<Found, String>) {
        self.selected = 0;
        match found {
            Ok(found) => {
                self.total_text = found.total_text();
                self.hits = found.hits;
                self.total = found.total;
                self.error = None;
            }
            Err(e) => {
                self.hits.clear();
                self.total = 0;
                self.error = Some(e);
            }
        }
    }

    /// Draw the box over `area`; returns where the cursor goes.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) -> Position {
        let width = area.width.min(100);
        let inner_width = width.saturating_sub(2) as usize;
        let mut lines = vec![Line::from(vec![Span::styled("> ", theme.title()), Span::raw(self.input.value())])];
        if let Some(e) = &self.error {
            lines.push(Line::styled(e.clone(), theme.error()));
        } else if self.query().is_empty() {
            // Wrapped: at 60 columns the hint was cut.
            let hint = "Type a name, an external id, a person, or words from notes, risks, goals, tasks.";
            lines.extend(crate::text::wrap_all(hint, inner_width).into_iter().map(|l| Line::styled(l, theme.dim())));
        } else if self.hits.is_empty() && !self.query().chars().any(char::is_alphanumeric) {
            lines.push(Line::styled("Search looks for letters and digits.", theme.dim()));
        } else if self.hits.is_empty() {
            lines.push(Line::styled(format!("Nothing matches \"{}\".", self.query()), theme.dim()));
        }
        let query = [self.query().to_string()];
        let mut tokens: Vec<String> = crate::store::search::tokens(&query).map(str::to_lowercase).collect();
        // "soc2" found "SOC 2 report": its letters are what the eye looks for there (a probe's hit
        // showed the note's start, the match cut off). A part of one character would mark every
        // digit of the text.
        let parts: Vec<String> = tokens
            .iter()
            .filter_map(|t| crate::store::search::seam_parts(t))
            .flatten()
            .filter(|p| p.chars().count() >= 2)
            .map(str::to_string)
            .collect();
        tokens.extend(parts);
        let list_height = (area.height as usize).saturating_sub(2 + lines.len()).max(1);
        let offset = self.selected.saturating_sub(list_height.saturating_sub(1));
        // As wide as the longest kind shown, at least 10 ("account notes" is 13).
        let kind_width = self.hits.iter().map(|h| h.kind.label().chars().count() + 1).max().unwrap_or(0).max(10);
        for (i, hit) in self.hits.iter().enumerate().skip(offset).take(list_height) {
            let kind = format!("{:<kind_width$}", hit.kind.label());
            let name = crate::text::clean(&hit.name);
            // An account keyed on its name (a file without an id column) has no id to show.
            let text = match hit.kind == crate::book::search::HitKind::Account && hit.text == hit.name {
                true => String::new(),
                false => crate::text::clean(&hit.text).replace('\n', " "),
            };
            // The day stays whole before the words, which are cut around the match (cut with
            // them, a probe read "…04 Email with customer").
            let day = hit.day.map_or(String::new(), |day| format!("{day} "));
            // A churned account is no customer now: said beside its name wherever it is found.
            let churned = match hit.status {
                Some(crate::domain::AccountStatus::Churned) => " (churned)",
                _ => "",
            };
            let rest =
                inner_width.saturating_sub(kind.chars().count() + name.chars().count() + churned.chars().count() + 3);
            let day = match day.chars().count() + 8 <= rest {
                true => day,
                false => String::new(),
            };
            let rest = rest.saturating_sub(day.chars().count());
            // A person is their name first: a match in their email or role keeps it, the words
            // after it cut around the match (a role's search read "…O · leo.garcia@…").
            let person = match (&hit.kind, text.split_once(" · ")) {
                (crate::book::search::HitKind::Person, Some((who, more))) if who.chars().count() + 8 < rest => {
                    Some((format!("{who} · "), more.to_string()))
                }
                _ => None,
            };
            let text = match (text.is_empty(), person) {
                (true, _) => String::new(),
                (false, Some((who, more))) => {
                    let rest = rest.saturating_sub(who.chars().count());
                    format!("{who}{}", crate::text::truncate(&around_match(&more, &tokens, rest), rest))
                }
                (false, None) => format!("{day}{}", crate::text::truncate(&around_match(&text, &tokens, rest), rest)),
            };
            let mut spans = vec![Span::styled(kind, theme.dim()), Span::styled(name, theme.title())];
            if !churned.is_empty() {
                spans.push(Span::styled(churned, theme.dim()));
            }
            if !text.is_empty() {
                spans.push(Span::raw(" · "));
                spans.extend(highlighted(&text, &tokens, theme));
            }
            let line = Line::from(spans);
            lines.push(if i == self.selected { line.patch_style(theme.selected()) } else { line });
        }
        let height = (lines.len() as u16 + 2).min(area.height);
        let [row] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Start).areas(area);
        let [popup] = Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center).areas(row);
        Clear.render(popup, buf);
        let count = match (self.hits.len(), self.total) {
            (0, _) => String::new(),
            (n, total) if total > n => format!(" {n} of {} · ↑↓ Enter · Esc ", self.total_text),
            (n, _) => format!(" {n} found · ↑↓ Enter · Esc "),
        };
        Paragraph::new(lines).block(Block::bordered().title(" Search ").title_bottom(count)).render(popup, buf);
        let x = popup.x + 3 + self.input.visual_cursor() as u16;
        Position::new(x.min(popup.right().saturating_sub(2)), popup.y + 1)
    }
}

/// `text` from a little before the first word of the query in it, when that word would fall past
/// the `room` shown: the match is what the hit is about.
fn around_match(text: &str, tokens: &[String], room: usize) -> String {
    let lower: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    let chars: Vec<char> = text.chars().collect();
    // Lower-casing keeps positions for the text people write; if it did not, show the start.
    if lower.len() != chars.len() {
        return text.to_string();
    }
    let lower: String = lower.into_iter().collect();
    let first = tokens.iter().filter_map(|t| lower.find(t.as_str())).min();
    match first.map(|byte| lower[..byte].chars().count()) {
        Some(at) if room > 8 && at + 8 > room => {
            // A little before the match, but no later than fills the room to the text's end.
            let from = at.saturating_sub(room / 4).min(chars.len().saturating_sub(room.saturating_sub(1)));
            std::iter::once('…').chain(chars[from..].iter().copied()).collect()
        }
        _ => text.to_string(),
    }
}

/// `text` in spans, the words of the query in it underlined, so the eye finds why it matched.
fn highlighted(text: &str, tokens: &[String], theme: &Theme) -> Vec<Span<'static>> {
    let lower: String = text.chars().flat_map(char::to_lowercase).collect();
    if lower.chars().count() != text.chars().count() || tokens.is_empty() {
        return vec![Span::raw(text.to_string())];
    }
    // Which characters fall in a match of some word.
    let chars: Vec<char> = text.chars().collect();
    let lower_chars: Vec<char> = lower.chars().collect();
    let mut marked = vec![false; chars.len()];
    for token in tokens {
        let t: Vec<char> = token.chars().collect();
        if t.is_empty() {
            continue;
        }
        for start in 0..lower_chars.len().saturating_sub(t.len() - 1) {
            if lower_chars[start..start + t.len()] == t[..] {
                marked[start..start + t.len()].iter_mut().for_each(|m| *m = true);
            }
        }
    }
    let style = theme.title().add_modifier(ratatui::style::Modifier::UNDERLINED);
    let mut spans = Vec::new();
    let mut from = 0;
    for i in 1..=chars.len() {
        if i == chars.len() || marked[i] != marked[from] {
            let piece: String = chars[from..i].iter().collect();
            spans.push(if marked[from] { Span::styled(piece, style) } else { Span::raw(piece) });
            from = i;
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_match_near_the_end_fills_the_room_and_is_marked() {
        let text = format!("{} renewal budget", "x".repeat(60));
        let shown = around_match(&text, &["budget".into()], 30);
        assert_eq!(shown.chars().count(), 30, "{shown}");
        assert!(shown.ends_with("renewal budget"));
        let spans = highlighted("The Budget moved", &["budget".into()], &Theme::plain());
        let marked: Vec<&str> = spans
            .iter()
            .filter(|s| s.style.add_modifier.contains(ratatui::style::Modifier::UNDERLINED))
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(marked, ["Budget"]);
    }
}
