//! The `?` screen: every key of the current view, generated from the key table.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use crate::tui::keymap::{Keymap, Scope};
use crate::tui::theme::Theme;

/// The key column's width, and the space after it.
const KEY_WIDTH: usize = 12;
const GAP: usize = 2;

/// Draws the help popup scrolled by `scroll` lines; returns how far it can scroll at this size.
/// The popup is as wide as its longest line allows (within the screen); a description that
/// does not fit wraps under itself, never cut.
/// On a view that shows no single account (`accounts` false: the Grid, Scoring, Team's CSM
/// lines), the keys that write to an account are left out: they refuse there.
pub fn render(
    keymap: &Keymap,
    scope: Scope,
    accounts: bool,
    scroll: u16,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) -> u16 {
    let mut bindings = keymap.help_for(scope);
    if !accounts {
        bindings.retain(|b| !b.action.writes_to_an_account());
    }
    // The words the lists put where a score would be, on every view that lists accounts.
    let notes: &[&str] = if matches!(
        scope,
        Scope::Portfolio | Scope::Triage | Scope::Renewals | Scope::Team | Scope::Grid
    ) {
        &[
            "",
            "Health: band letter G Y O R and score 0-100; \"js\" = jumpstart score (first days of an account); \
             \"cap\" = a band below the score's, capped by a critical factor (the Account view names it).",
            "\"~67\" = a score from thin data (part of the factors' weight has data); \"low data\" = some data, \
             too little for a score; \"no score\" = no data for any factor yet. \"low data\" and \"no score\" are \
             never Red (data is missing, not health: a thin score has its band as any score does); the Account \
             view says what one account is missing, Scoring (6) what the book lacks most. \"R*\" = a band set by hand (B), in force until the day it was set to end.",
        ]
    } else {
        &[]
    };
    // Team's columns, in words (a lead met "Bands", "↓30d" and "Touch" with nothing to say them).
    let team_notes: &[&str] = if scope == Scope::Team {
        &["Columns: Avg = the average score of the scored accounts; Bands = the accounts in each band \
             (G Y O R, · no score), a letter each where they fit, else each band's share of the column (`report \
             team` counts them); ↓30d = accounts whose score fell by triage.drop_points or more in 30 \
             days; Steps = overdue journey milestones; Tasks = late tasks the CSM owns, and those nobody owns \
             on their accounts; Touch = the share of their \
             accounts touched within their segment's cadence (- while none is logged); from 110 columns \
             Off = goals off track, and NRR, GRR, CLTV over the period."]
    } else {
        &[]
    };
    // The change column, in words (a probe read Triage's "30d" as days), and the Portfolio's
    // arrows (a probe met them with nothing to say them).
    const CHANGE: &str = "Δ30d = how much the score changed in the last 30 days (Δ7d, Δ90d: w switches the \
         Portfolio's), like for like: on the factors with data on both days, and from the account's first score \
         where it had none 30 days back; \"+3*\" = a factor's first data \
         moved the score itself by more or less (the Account view says by how much). Triage's Why names the \
         factor that moved most.";
    let change_notes: &[&str] = match scope {
        Scope::Portfolio => {
            &[CHANGE, "7d = the score's way over the last 7 days: ↑ up 3 points or more, ↓ down 3 or more, → within 2."]
        }
        Scope::Triage => &[CHANGE],
        _ => &[],
    };
    let notes: Vec<&str> = notes.iter().chain(team_notes).chain(change_notes).copied().collect();
    let notes_shown = notes.iter().any(|n| !n.is_empty());
    let longest = bindings
        .iter()
        .map(|b| KEY_WIDTH + GAP + b.description.chars().count())
        .chain(notes.iter().map(|n| n.chars().count()))
        .max()
        .unwrap_or(0);
    // A space before the right border too: text that ran into it read "until a new reason│".
    let width = (longest as u16 + 3).min(area.width).min(101);
    let text_width = (width as usize).saturating_sub(3).max(KEY_WIDTH + GAP + 10);
    let mut lines: Vec<Line> = Vec::new();
    for b in &bindings {
        let wrapped = wrap(b.description, text_width - KEY_WIDTH - GAP);
        for (i, part) in wrapped.into_iter().enumerate() {
            let key = if i == 0 { format!("{:>KEY_WIDTH$}  ", b.label()) } else { " ".repeat(KEY_WIDTH + GAP) };
            lines.push(Line::from(vec![Span::styled(key, theme.title()), Span::raw(part)]));
        }
    }
    for note in notes {
        for part in wrap(note, text_width) {
            lines.push(Line::styled(part, theme.dim()));
        }
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let max_scroll = (lines.len() as u16 + 2).saturating_sub(height);
    let [row] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center).areas(row);
    Clear.render(popup, buf);
    let scroll = scroll.min(max_scroll);
    let title = match notes_shown {
        true => " Keys, then what the marks mean · ? or Esc closes ",
        false => " Keys · ? or Esc closes ",
    };
    let more = match (scroll > 0, scroll < max_scroll) {
        (true, true) => " ↑ k · more below: j/↓ ",
        (false, true) => " more below: j/↓ ",
        (true, false) => " more above: k/↑ ",
        (false, false) => "",
    };
    Paragraph::new(lines)
        .scroll((scroll, 0))
        // Where the list says what its marks mean (below the keys), the title says so: a probe
        // read the keys, never scrolled, and found no word of "~" or "*".
        .block(Block::bordered().title(title).title_bottom(more))
        .render(popup, buf);
    max_scroll
}

/// `text` broken at spaces into lines of at most `width` characters (a longer word is cut).
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = vec![String::new()];
    for word in text.split(' ') {
        let line = out.last_mut().expect("one line at least");
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            out.push(String::new());
        }
        let line = out.last_mut().expect("one line at least");
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        while let Some(line) = out.last_mut().filter(|l| l.chars().count() > width) {
            let rest: String = line.chars().skip(width).collect();
            *line = line.chars().take(width).collect();
            out.push(rest);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draw(scope: Scope, width: u16, height: u16) -> String {
        let area = Rect::new(0, 0, width, height);
        let mut buf = Buffer::empty(area);
        render(&Keymap::default(), scope, true, 0, area, &mut buf, &Theme::plain());
        (0..height)
            .map(|y| (0..width).map(|x| buf[(x, y)].symbol().to_string()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn descriptions_are_never_cut() {
        for width in [250, 80, 60, 40] {
            let screen = draw(Scope::Triage, width, 200);
            let flat: String = screen.split_whitespace().collect::<Vec<_>>().join(" ").replace("│ │", " ");
            let flat = flat.replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ");
            for b in Keymap::default().help_for(Scope::Triage) {
                assert!(flat.contains(b.description), "{width} columns: {:?} cut in\n{screen}", b.description);
            }
        }
    }

    /// The change column is said in words on the views that show it, each word one space from
    /// the next (a note written over several source lines had kept their indentation).
    #[test]
    fn the_change_column_is_said_in_words() {
        for (scope, width) in [(Scope::Triage, 80), (Scope::Triage, 60), (Scope::Portfolio, 100)] {
            let screen = draw(scope, width, 200);
            let text: String =
                screen.lines().map(|l| l.trim_matches(|c| c == '│' || c == ' ')).collect::<Vec<_>>().join(" ");
            let at = text.find("Δ30d = how much the score changed").unwrap_or_else(|| panic!("{screen}"));
            let note = &text[at..text[at..].find("moved most.").map_or(text.len(), |end| at + end)];
            assert!(!note.contains("  "), "{note}");
        }
        assert!(!draw(Scope::Team, 100, 200).contains("Δ30d ="));
    }

    #[test]
    fn wrap_breaks_at_spaces() {
        assert_eq!(wrap("read the book again now", 10), ["read the", "book again", "now"]);
        assert_eq!(wrap("abcdefghijkl", 5), ["abcde", "fghij", "kl"]);
    }
}
