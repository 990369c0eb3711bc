//! One file per screen. Each holds its state and draws it; none touches the database.

pub mod account;
pub mod cells;
pub mod cursor;
pub mod empty;
pub mod filter;
pub mod grid;
pub mod help;
pub mod portfolio;
mod quick_scores;
pub mod renewals;
pub mod scoring;
pub mod search;
pub mod search_index;
pub mod sort_orders;
pub mod team;
pub mod trend;
pub mod triage;
pub mod viewer;

/// The first line to draw so the `selected` line stays in a window of `height` lines, moving as
/// little as possible from `offset` (where the last frame started).
pub fn scroll_offset(selected: usize, offset: usize, height: usize) -> usize {
    if selected < offset {
        selected
    } else if height > 0 && selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}

/// A column no width drops (the account's name, its band).
pub const ALWAYS: u8 = u8::MAX;

/// Which columns of a table to draw in `width` cells: each column's width and priority, one cell
/// between columns, and `reserve` cells kept for the fill column (the name). Below the width
/// they all need, the lowest priority goes first, so a narrow terminal loses the segment or the
/// CSM before it loses the account's name.
pub fn fit_columns(columns: &[(u16, u8)], width: u16, reserve: u16) -> Vec<bool> {
    let mut keep = vec![true; columns.len()];
    let need = |keep: &[bool]| -> u32 {
        columns.iter().zip(keep).filter(|(_, k)| **k).map(|((w, _), _)| u32::from(*w) + 1).sum::<u32>()
            + u32::from(reserve)
    };
    while need(&keep) > u32::from(width) {
        let Some(drop) = (0..columns.len())
            .filter(|&i| keep[i] && columns[i].1 != ALWAYS)
            .min_by_key(|&i| (columns[i].1, std::cmp::Reverse(i)))
        else {
            break;
        };
        keep[drop] = false;
    }
    keep
}

/// A column's constraint from its width in a `fit_columns` spec: 0 for the fill column (the name).
pub fn column_width(width: u16) -> ratatui::layout::Constraint {
    match width {
        0 => ratatui::layout::Constraint::Fill(1),
        w => ratatui::layout::Constraint::Length(w),
    }
}

/// The width the table gives its fill column (0 in `widths`, the kept columns' widths), one cell
/// between columns: what is left of `total`.
pub fn fill_width(widths: &[u16], total: u16) -> usize {
    let fixed: usize = widths.iter().map(|&w| usize::from(w)).sum();
    let spacing = widths.len().saturating_sub(1);
    let fills = widths.iter().filter(|&&w| w == 0).count().max(1);
    usize::from(total).saturating_sub(fixed + spacing) / fills
}

/// The items whose column is kept.
pub fn kept<T>(items: Vec<T>, keep: &[bool]) -> Vec<T> {
    items.into_iter().zip(keep).filter(|(_, k)| **k).map(|(item, _)| item).collect()
}

/// As many of `hints` as fit whole beside a title `title_width` columns wide on a line `width`
/// wide ("  a · b · c"; empty where none fits): a hint is never cut mid-word ("· C churn ·…"
/// read as a cut line); `?` lists them all.
pub fn hints_that_fit(hints: &[&str], title_width: usize, width: u16) -> String {
    let mut shown = String::new();
    for h in hints {
        let next = if shown.is_empty() { format!("  {h}") } else { format!("{shown} · {h}") };
        if title_width + crate::text::width(&next) > usize::from(width) {
            break;
        }
        shown = next;
    }
    shown
}

/// `text` wrapped whole at `room` columns, each line indented one column and in `style`: a
/// note under a list's sums or items, never cut.
pub fn wrapped_note(text: &str, room: usize, style: ratatui::style::Style) -> Vec<ratatui::text::Line<'static>> {
    crate::text::wrap_all(text, room).into_iter().map(|l| ratatui::text::Line::styled(format!(" {l}"), style)).collect()
}

/// Each of `lines` cut to `width` columns with "…" where cut (see `fit_line`).
pub fn fit_lines(lines: Vec<ratatui::text::Line<'static>>, width: u16) -> Vec<ratatui::text::Line<'static>> {
    lines.into_iter().map(|l| fit_line(l, usize::from(width))).collect()
}

/// `line` cut to `width` columns, ending in "…" when cut, so a cut line says so.
pub fn fit_line(line: ratatui::text::Line<'static>, width: usize) -> ratatui::text::Line<'static> {
    if line.width() <= width {
        return line;
    }
    let mut used = 0;
    let mut spans = Vec::new();
    for span in line.spans {
        let w = crate::text::width(&span.content);
        if used + w < width {
            // Fits, with a column to spare for a "…" should a later span be cut.
            used += w;
            spans.push(span);
            continue;
        }
        // The rest of the line does not fit: as much of this span as leaves room for "…".
        let cut = crate::text::cut(&span.content, width - used);
        spans.push(ratatui::text::Span::styled(cut, span.style));
        break;
    }
    ratatui::text::Line { spans, ..line }
}

/// A row's change over mover window `w` as the change columns show it: "+3", "0", "-12"; marked
/// "*" where a factor's first data made the scores themselves move by more or less than this
/// like-for-like change (the `?` help says so; the Account view says by how much).
pub fn change_text(r: &crate::book::PortfolioRow, w: usize) -> String {
    let mark = if r.first_data_moved & (1 << w) != 0 { "*" } else { "" };
    match r.deltas[w] {
        Some(0) => format!("0{mark}"),
        Some(d) => format!("{d:+}{mark}"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_widths_drop_low_priorities_first_and_never_the_always_ones() {
        let cols = [(9, ALWAYS), (12, 2), (9, 1), (8, 5)];
        assert_eq!(fit_columns(&cols, 200, 20), [true, true, true, true]);
        // 9+12+9+8 + 4 spaces + 20 = 62: at 60 the priority-1 column goes.
        assert_eq!(fit_columns(&cols, 60, 20), [true, true, false, true]);
        assert_eq!(fit_columns(&cols, 45, 20), [true, false, false, true]);
        assert_eq!(fit_columns(&cols, 10, 20), [true, false, false, false]);
    }
}
