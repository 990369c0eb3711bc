//! Text from the database or an import is shown safely: no control character or escape sequence
//! ever reaches the terminal.

/// `clean` for a string already owned: returned as it is when nothing needs care (no copy).
pub fn clean_owned(s: String) -> String {
    if s.chars().any(needs_care) { clean(&s) } else { s }
}

/// `s` with escape sequences removed, line breaks and tabs turned into spaces, and every other
/// control character (C0, DEL, C1, bidirectional overrides) dropped.
pub fn clean(s: &str) -> String {
    if !s.chars().any(needs_care) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            '\u{9b}' => skip_until_final(&mut chars), // 8-bit CSI
            '\u{9d}' => skip_string(&mut chars),      // 8-bit OSC
            '\t' | '\n' | '\r' => out.push(' '),
            c if needs_care(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// How a line break shows inside a one-line field or list line.
pub const LINE_BREAK: char = '⏎';

/// `s` on one line: each break shown as `LINE_BREAK`.
pub fn one_line(s: &str) -> String {
    s.replace('\n', &format!(" {LINE_BREAK} "))
}

fn needs_care(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars>) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            skip_until_final(chars);
        }
        Some(']') | Some('P') | Some('_') | Some('^') | Some('X') => {
            chars.next();
            skip_string(chars);
        }
        Some(_) => {
            chars.next();
        }
        None => {}
    }
}

/// CSI: parameter and intermediate bytes, then one final byte in @..~.
fn skip_until_final(chars: &mut std::iter::Peekable<std::str::Chars>) {
    for c in chars.by_ref() {
        if ('@'..='~').contains(&c) {
            break;
        }
    }
}

/// OSC / DCS and friends: up to BEL or ST (ESC \).
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars>) {
    while let Some(c) = chars.next() {
        if c == '\u{7}' || c == '\u{9c}' {
            break;
        }
        if c == '\u{1b}' && chars.peek() == Some(&'\\') {
            chars.next();
            break;
        }
    }
}

/// `s` cleaned line by line: its line breaks kept (a `\r\n` is one), everything else as `clean`
/// leaves it.
pub fn clean_lines(s: &str) -> String {
    s.split('\n').map(|line| clean(line.strip_suffix('\r').unwrap_or(line))).collect::<Vec<_>>().join("\n")
}

/// The widest a cell of a command-line table is drawn on a terminal, in terminal columns.
pub const MAX_CELL_WIDTH: usize = 120;
/// The widest the last cell of a row is written to a file or a pipe: a Triage item's reasons
/// whole (a probe's `report triage -o tri.txt` read "42 days behind the…"), a pasted page of
/// notes not.
pub const MAX_CELL_WIDTH_OFF_TERMINAL: usize = 1000;

/// How many terminal columns `s` takes (CJK and emoji two, combining and zero-width marks none).
pub fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// `s` cut to at most `max` terminal columns, ending in "…" when cut.
pub fn truncate(s: &str, max: usize) -> String {
    fit(s, max).into_owned()
}

/// `wrap_all` of text whose words are joined by no-break spaces where they must stay on one line
/// ("logos\u{a0}kept\u{a0}98%"), those made plain spaces again once wrapped.
pub fn wrap_glued(s: &str, width: usize) -> Vec<String> {
    wrap_all(s, width).into_iter().map(|l| l.replace('\u{a0}', " ")).collect()
}

/// A figure such as "72", "-18", "+22%", "$1,200" or "3.5".
fn is_number(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_digit()) && word.chars().all(|c| c.is_ascii_digit() || "+-.,%$".contains(c))
}

/// `s` wrapped at spaces into lines of at most `width` columns (a word wider than a line is cut
/// with "…"), as many as it takes; `fit_lines` keeps them to a number of lines.
pub fn wrap_all(s: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    // A "·" between phrases stays at the end of a line, never starts one; "8/10 -> 4/10" stays
    // on one line, so no line starts with "->"; nor does a short aside start one ("(cadence 14)"
    // goes with the words it is about); a number keeps the word after it ("72 days", never
    // "72" at the end of a line and "days" at the start of the next).
    let mut words: Vec<String> = Vec::new();
    let mut glue_next = false;
    let mut in_aside = false;
    let all: Vec<&str> = s.split(' ').filter(|w| !w.is_empty()).collect();
    for (n, &word) in all.iter().enumerate() {
        let aside_starts = word.starts_with('(') && short_aside(&all[n..]);
        match words.last_mut() {
            Some(last) if word == "·" => last.push_str(" ·"),
            Some(last) if word == "->" || glue_next || in_aside || aside_starts => {
                last.push(' ');
                last.push_str(word);
                glue_next = word == "->" || is_number(word);
                in_aside = (in_aside || aside_starts) && !word.ends_with(')');
                continue;
            }
            _ => words.push(word.to_string()),
        }
        glue_next = is_number(word);
    }
    for word in &words {
        let word = if self::width(word) > width { cut(word, width) } else { word.clone() };
        if !current.is_empty() && self::width(&current) + 1 + self::width(&word) > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// `text` with each line broken between words to fit `width` columns, for a message printed on a
/// terminal: a word longer than the width (a URL, a path) keeps a line of its own, whole, never cut.
pub fn wrap_message(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (n, line) in text.lines().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let mut used = 0;
        for word in line.split(' ') {
            let w = self::width(word);
            if used > 0 && used + 1 + w > width {
                out.push('\n');
                used = 0;
            } else if used > 0 {
                out.push(' ');
                used += 1;
            }
            out.push_str(word);
            used += w;
        }
    }
    out
}

/// Whether the words from an opening bracket to its closing one are few enough to keep with
/// the word before them.
fn short_aside(words: &[&str]) -> bool {
    let mut width = 0;
    for word in words.iter().take(3) {
        width += self::width(word) + 1;
        if word.ends_with(')') {
            return width <= 16;
        }
    }
    false
}

/// Wrapped `lines` (of `wrap_all`) kept to at most `max_lines`: when the text goes on past the
/// last, the last ends in "…" in place of its last words (and of a "·" left dangling before
/// it), so a cut never passes for the end.
pub fn fit_lines(mut lines: Vec<String>, width: usize, max_lines: usize) -> Vec<String> {
    if lines.len() > max_lines && max_lines > 0 {
        lines.truncate(max_lines);
        let last = lines.last_mut().expect("max_lines > 0");
        let mut words: Vec<&str> = last.split(' ').collect();
        // A list of phrases ("a · b · c") is cut between phrases, not inside one ("· 2 …").
        if let Some(at) = words.iter().rposition(|w| *w == "·") {
            words.truncate(at);
        }
        loop {
            while words.last().is_some_and(|w| *w == "·") {
                words.pop();
            }
            let kept = words.join(" ");
            if words.is_empty() || self::width(&kept) + 2 <= width {
                *last = if kept.is_empty() { "…".to_string() } else { format!("{kept} …") };
                break;
            }
            words.pop();
        }
    }
    lines
}

/// As much of `s` as fits in `max` columns with a "…" after it, which says that more followed.
pub fn cut(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    // "Juniper Partners…", not "Juniper Partners …".
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// A value quoted in a message: cleaned, and at most 80 columns of it.
pub fn quote(s: &str) -> String {
    truncate(&clean(s), 80)
}

/// Rows as aligned lines for a file or a pipe: every cell cleaned and cut to `MAX_CELL_WIDTH`
/// (the last to `MAX_CELL_WIDTH_OFF_TERMINAL`), columns padded by display width, two spaces
/// apart, no trailing spaces.
pub fn align(rows: &[Vec<String>]) -> Vec<String> {
    align_within(rows, None)
}

/// `align`, and when `room` is given (the terminal's width) cells are cut to `MAX_CELL_WIDTH` and
/// the widest columns cut further, each to no less than its header or 12 columns, until the
/// lines fit: a table on a terminal is read, not wrapped. Where that is not enough, columns give
/// way (`give_way`) and the lines say which; a long last column (a Triage item's reasons) too
/// narrow beside the others is wrapped under each row instead. Piped or redirected, nothing is
/// cut but cells past `MAX_CELL_WIDTH` (the last past `MAX_CELL_WIDTH_OFF_TERMINAL`).
pub fn align_within(rows: &[Vec<String>], room: Option<usize>) -> Vec<String> {
    let widest = |column: usize, of: usize| match room {
        None if column + 1 == of => MAX_CELL_WIDTH_OFF_TERMINAL,
        _ => MAX_CELL_WIDTH,
    };
    let mut cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().enumerate().map(|(i, c)| truncate(&clean(c), widest(i, r.len()))).collect())
        .collect();
    let columns = cells.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = measured(&cells, columns);
    if let Some(room) = room {
        let floor = floors(&cells, &widths);
        let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1);
        if let Some(lines) = last_column_under(rows, &cells, &widths, room) {
            return lines;
        }
        // A column saying nothing ("-" on every row) gives way before any is cut: a probe's
        // renewals cut the ids that told two "Harbor Works" apart beside a column of "-".
        if total(&widths) > room && cells.len() > 1 {
            let kept: Vec<usize> = (0..columns).filter(|&c| c == 0 || !says_nothing(&cells, c)).collect();
            if kept.len() < columns && kept.len() >= 2 {
                return aligned_columns(&cells, &kept, room);
            }
        }
        // A table a few columns too wide with two spaces between columns fits whole with one:
        // nothing is cut and nothing gives way (at 80 columns a lead's team report had left its
        // NO_SCORE out, and the bands shown no longer added up to the accounts).
        let one_apart = widths.iter().sum::<usize>() + widths.len().saturating_sub(1);
        if total(&widths) > room && one_apart <= room {
            return joined(&cells, &widths, " ");
        }
        if total(&floor) > room
            && let Some(lines) = without_columns(&cells, &widths, room, columns)
        {
            return lines;
        }
        // A table too wide to fit even cut is left whole (the terminal wraps it; `--format md`
        // or a wider window reads better) rather than cut and wrapped both.
        let fits = total(&floor) <= room;
        while fits && total(&widths) > room {
            // The widest column that can still give room gives one column.
            let Some(c) = (0..columns).filter(|&c| widths[c] > floor[c]).max_by_key(|&c| widths[c]) else { break };
            widths[c] -= 1;
        }
        // An account's name told apart by its external id keeps the id's end where it is cut
        // ("Tidal Sy… (…1443)"), as the screens cut it: cut from the right, two read alike
        // ("Tidal Systems (910…" twice in a probe's renewals).
        let names: Vec<bool> = (0..columns).map(|c| matches!(cell(&cells[0], c), "ACCOUNT" | "NAME")).collect();
        for (r, row) in cells.iter_mut().enumerate() {
            for (c, cell) in row.iter_mut().enumerate() {
                if width(cell) > widths[c] {
                    *cell = match r > 0 && names[c] {
                        true => crate::book::names::fit(cell, widths[c]).into_owned(),
                        false => truncate(cell, widths[c]),
                    };
                }
            }
        }
        widths = measured(&cells, columns);
    }
    joined(&cells, &widths, "  ")
}

/// Each row's cells padded to `widths` (by display width), `gap` between columns, no trailing
/// spaces.
fn joined(cells: &[Vec<String>], widths: &[usize], gap: &str) -> Vec<String> {
    cells
        .iter()
        .map(|row| {
            let mut line = String::new();
            for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
                if i > 0 {
                    line.push_str(gap);
                }
                line.push_str(cell);
                line.push_str(&" ".repeat(w.saturating_sub(width(cell))));
            }
            line.trim_end().to_string()
        })
        .collect()
}

/// Each column's width: its widest cell.
fn measured(cells: &[Vec<String>], columns: usize) -> Vec<usize> {
    (0..columns).map(|c| cells.iter().filter_map(|r| r.get(c)).map(|s| width(s)).max().unwrap_or(0)).collect()
}

/// How narrow each column may be cut on a terminal: its header, or 12, or its widest cell.
fn floors(cells: &[Vec<String>], widths: &[usize]) -> Vec<usize> {
    (0..widths.len())
        .map(|c| cells.first().and_then(|h| h.get(c)).map_or(0, |h| width(h)).max(12).min(widths[c]))
        .collect()
}

/// Whether column `c` says nothing: blank, "-" or "same" (a computed band no one overrode) on
/// every row under its header.
fn says_nothing(cells: &[Vec<String>], c: usize) -> bool {
    cells.iter().skip(1).all(|r| matches!(cell(r, c), "" | "-" | "same"))
}

fn cell(row: &[String], c: usize) -> &str {
    row.get(c).map_or("", String::as_str)
}

/// Which of the columns `among` stay on a terminal `room` wide, cut to their floors: a column
/// saying nothing ("-" on every row) never does; where the rest do not fit, one the same on
/// every row (the CSM of one CSM's list) gives way, then columns from the right, the first two
/// (what a row is) kept. Also the headers of those that gave way and said something.
fn give_way<'c>(
    cells: &'c [Vec<String>],
    widths: &[usize],
    room: usize,
    among: std::ops::Range<usize>,
) -> (Vec<usize>, Vec<&'c str>) {
    let says_nothing = |c: usize| says_nothing(cells, c);
    // A name the same on every row (one CSM's list) says nothing a row needs; a number the same
    // on every row does (a team report's RED, 0 for every CSM, gave way and its bands no longer
    // added up to the accounts). An amount in euros or pounds is a figure as one in dollars.
    let same_on_every_row = |c: usize| {
        cells.len() > 2
            && cells.iter().skip(2).all(|r| cell(r, c) == cell(&cells[1], c))
            && !is_number(cell(&cells[1], c).trim_matches(['€', '£']))
    };
    // What a row is (the account's name, second) keeps 20 columns where it has them: at 60
    // columns a probe's names were cut to 11 while the segment and coverage stayed.
    let mut floor = floors(cells, widths);
    if let Some(name) = floor.get_mut(1) {
        *name = (*name).max(widths[1].min(20));
    }
    // Cut to their floors two spaces apart, or whole one space apart (`align_within` closes a
    // table up before it gives columns way).
    let fits = |kept: &[usize]| {
        kept.iter().map(|&c| floor[c] + 2).sum::<usize>() <= room + 2
            || kept.iter().map(|&c| widths[c] + 1).sum::<usize>() <= room + 1
    };
    let mut kept: Vec<usize> = among.clone().filter(|&c| c == 0 || !says_nothing(c)).collect();
    if !fits(&kept) {
        kept.retain(|&c| c == 0 || !same_on_every_row(c));
    }
    while !fits(&kept) && kept.len() > 2 {
        kept.pop();
    }
    let headers = cells.first().map_or(&[][..], Vec::as_slice);
    let left_out = among.filter(|c| !kept.contains(c) && !says_nothing(*c)).map(|c| cell(headers, c)).collect();
    (kept, left_out)
}

/// The columns `kept` of `cells`, aligned within `room`.
fn aligned_columns(cells: &[Vec<String>], kept: &[usize], room: usize) -> Vec<String> {
    let rest: Vec<Vec<String>> = cells.iter().map(|r| kept.iter().map(|&c| cell(r, c).to_string()).collect()).collect();
    align_within(&rest, Some(room))
}

/// The note under a table whose columns gave way.
fn left_out_note(left_out: &[&str], room: usize) -> Vec<String> {
    match left_out.is_empty() {
        true => Vec::new(),
        false => wrap_all(
            &format!("({} left out at this width: a wider window or --format md shows them)", left_out.join(", ")),
            room.max(20),
        ),
    }
}

/// A table too wide for the terminal even cut, with columns given way (`give_way`) until it
/// fits, and a line saying which. None when none can give way.
fn without_columns(cells: &[Vec<String>], widths: &[usize], room: usize, columns: usize) -> Option<Vec<String>> {
    let (kept, left_out) = give_way(cells, widths, room, 0..columns);
    if kept.len() == columns {
        return None;
    }
    let mut out = aligned_columns(cells, &kept, room);
    out.extend(left_out_note(&left_out, room));
    Some(out)
}

/// The last column (a Triage item's reasons, the one read on to its end) wrapped whole under
/// each row where the terminal leaves it under 40 columns beside the others, the others giving
/// way as `give_way` says. None where it has room beside them, where it is short, or where the
/// table is a column or two. At 80 columns `tend report triage` had been eleven columns wrapped
/// by the terminal over four lines a row.
fn last_column_under(
    rows: &[Vec<String>],
    cells: &[Vec<String>],
    widths: &[usize],
    room: usize,
) -> Option<Vec<String>> {
    let columns = widths.len();
    let beside = widths[..columns.checked_sub(1)?].iter().map(|w| w + 2).sum::<usize>();
    let last = *widths.last()?;
    // A short last column ("$48k") is no text to read on: the others are cut instead.
    if columns < 3 || last <= 24 || room.saturating_sub(beside) >= last.min(40) {
        return None;
    }
    let (kept, left_out) = give_way(cells, widths, room, 0..columns - 1);
    let indent = "    ";
    let mut out = Vec::with_capacity(cells.len() * 2);
    for (row, head) in rows.iter().zip(aligned_columns(cells, &kept, room)) {
        out.push(head);
        // Whole, as off a terminal: it has lines of its own.
        let text = truncate(&clean(cell(row, columns - 1)), MAX_CELL_WIDTH_OFF_TERMINAL);
        if !text.is_empty() && text != "-" {
            let lines = wrap_all(&text, room.saturating_sub(indent.len()).max(20));
            out.extend(lines.into_iter().map(|l| format!("{indent}{l}").trim_end().to_string()));
        }
    }
    out.extend(left_out_note(&left_out, room));
    Some(out)
}

/// Up to three of `names` closest to `query` (Jaro-Winkler, any case, with or without accents:
/// "Cafe Olle" is close to "Café Olé"), above `min`, the closest first: the names a "did you
/// mean" offers.
///
/// A name holding every word of a query, its company form aside, two words or more ("Acme 011
/// Co., Ltd" or "Acme 011 GmbH" for "Acme 011 Ltd"), comes before those a letter away ("Acme 001
/// Ltd"): the words people type are the name's own. Equally close names come in their order, not
/// the order given (a probe's "did you mean" changed from run to run).
pub fn closest<'a>(query: &str, names: impl IntoIterator<Item = &'a str>, min: f64) -> Vec<String> {
    let folded = fold(query);
    let own: Vec<&str> = words(&folded).filter(|w| !COMPANY_FORMS.contains(w)).collect();
    let mut scored: Vec<(f64, &str)> = names
        .into_iter()
        .map(|n| {
            let name = fold(n);
            let similar = strsim::jaro_winkler(&folded, &name);
            let holds_every_word = own.len() >= 2 && own.iter().all(|w| words(&name).any(|h| h == *w));
            (if holds_every_word { similar.max(0.99) } else { similar }, n)
        })
        .filter(|(s, _)| *s > min)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, n)| clean(n)).collect()
}

/// A name's words, folded, its dots left out ("nordic robotics bv" of "Nordic Robotics B.V."), for
/// names with a letter (`own_words`).
pub fn all_words(name: &str) -> String {
    name_words(name, |_| true)
}

/// A name's own words, folded, without its company form ("pioneer foods" of "Pioneer Foods AG"
/// and of "pioneer foods, ltd."): how a product's or a help desk's export may write the CRM's
/// name. Empty for a name of company forms alone, and for one whose other words have no letter
/// ("Company 7" is no "7": an id of another account).
pub fn own_words(name: &str) -> String {
    name_words(name, |w| !COMPANY_FORMS.contains(&w))
}

/// A name's words that `keep` keeps, folded and joined by spaces, its dots left out (a form
/// written with its dots is the form: "B.V.", "S.L.", "S.p.A."); empty where none of them has a
/// letter.
fn name_words(name: &str, keep: impl Fn(&str) -> bool) -> String {
    let folded = fold(name).replace('.', "");
    let kept: Vec<&str> = words(&folded).filter(|w| keep(w)).collect();
    match kept.iter().any(|w| w.chars().any(char::is_alphabetic)) {
        true => kept.join(" "),
        false => String::new(),
    }
}

/// The words of a folded name ("acme", "050", "co").
fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// The words of a company's form, which a name typed may give otherwise than the book ("Acme 050
/// Co." for Acme 050 GmbH), folded.
const COMPANY_FORMS: &[&str] = &[
    "inc",
    "ltd",
    "llc",
    "co",
    "corp",
    "corporation",
    "company",
    "gmbh",
    "ag",
    "sa",
    "s",
    "a",
    "plc",
    "bv",
    "nv",
    "srl",
    "sas",
    "sarl",
    "oy",
    "ab",
    "as",
    "aps",
    "kg",
    "pty",
    "limited",
    "incorporated",
    "sl",
    "slu",
    "spa",
    "sro",
    "se",
    "lp",
    "llp",
    "pte",
    "pvt",
    "bhd",
    "sdn",
    "kk",
    "ltda",
    "ug",
    "oyj",
    "asa",
    "the",
];

/// `s` in lower case without its accents ("Café Olé" is "cafe ole"), for matching what people
/// type against names written either way.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// `fold` into a buffer of the caller's, cleared first: a scan of a million names folds each
/// without allocating.
pub fn fold_into(s: &str, out: &mut String) {
    out.clear();
    // Lower case first: the matcher's table has some capitals' plain letter but not all ("Ź").
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            // "Weiß" is written "Weiss" where there is no ß: "weiss" finds it.
            'ß' => out.push_str("ss"),
            c => out.push(plain_letter(c)),
        }
    }
}

/// `fold`, an umlaut written as German writes it without one ("Müller" as "mueller"), when `s`
/// has one: a search for "mueller" finds Müller GmbH, as "muller" does through `fold`.
pub fn fold_umlauts(s: &str) -> Option<String> {
    if !s.contains(['ä', 'ö', 'ü', 'Ä', 'Ö', 'Ü']) {
        return None;
    }
    let spelt: String =
        s.chars().flat_map(char::to_lowercase).fold(String::with_capacity(s.len() + 4), |mut out, c| {
            match c {
                'ä' => out.push_str("ae"),
                'ö' => out.push_str("oe"),
                'ü' => out.push_str("ue"),
                c => out.push(c),
            }
            out
        });
    Some(fold(&spelt))
}

/// Names in the order people look them up: without regard to case or accents ("Ärger" among
/// the A's, "Schäfer" before "Schulz"; a probe's umlauts sorted after Z). Names equal so are
/// equal here: the caller breaks the tie.
pub fn collate(a: &str, b: &str) -> std::cmp::Ordering {
    match a.is_ascii() && b.is_ascii() {
        true => a.bytes().map(|b| b.to_ascii_lowercase()).cmp(b.bytes().map(|b| b.to_ascii_lowercase())),
        false => collation_chars(a).cmp(collation_chars(b)),
    }
}

/// `collate`'s order as a key, worked out once per name for a sort of many.
pub fn collation_key(s: &str) -> String {
    match s.is_ascii() {
        true => s.to_ascii_lowercase(),
        false => collation_chars(s).collect(),
    }
}

/// A name's letters as `collate` compares them: lower case, without accents (ASCII alone is
/// compared byte by byte, the same order faster).
fn collation_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().flat_map(char::to_lowercase).map(plain_letter)
}

/// `s` with each letter's accent or stroke taken off, its case kept ("Łódź" is "Lodz"), as the
/// Portfolio's filter matches names: what people type without the letters of another alphabet.
pub fn plain_letters(s: &str) -> std::borrow::Cow<'_, str> {
    match s.is_ascii() {
        true => std::borrow::Cow::Borrowed(s),
        false => {
            let mut out = String::with_capacity(s.len());
            for c in s.chars() {
                // "Größe" is written "Grosse" where there is no ß: "grosse" and "strassen" found
                // nothing (the matcher's table reads ß as one s).
                match c {
                    'ß' => out.push_str("ss"),
                    'ẞ' => out.push_str("SS"),
                    c => out.push(plain_letter(c)),
                }
            }
            std::borrow::Cow::Owned(out)
        }
    }
}

/// A letter without its accent (the matcher's own table) or its stroke, which that table leaves
/// as they are: "lodz" found "Łódź" only as "odz".
fn plain_letter(c: char) -> char {
    match c {
        'Ł' => 'L',
        'ł' => 'l',
        'Ø' => 'O',
        'ø' => 'o',
        'Đ' => 'D',
        'đ' => 'd',
        'Ħ' => 'H',
        'ħ' => 'h',
        'Ŧ' => 'T',
        'ŧ' => 't',
        'ı' => 'i',
        c => match nucleo_matcher::chars::normalize(c) {
            // A capital the table lacks ("Ź"): its small letter's plain letter, as a capital.
            same if same == c && c.is_uppercase() => {
                let mut small = c.to_lowercase();
                match (small.next(), small.next()) {
                    (Some(l), None) if nucleo_matcher::chars::normalize(l) != l => {
                        nucleo_matcher::chars::normalize(l).to_ascii_uppercase()
                    }
                    _ => c,
                }
            }
            plain => plain,
        },
    }
}

/// A column name as a key: lower case, spaces and hyphens as underscores, so the config's
/// `field:addon_share` reads the column a file headed "Addon share" (or "Addon-Share").
pub fn key_form(s: &str) -> String {
    key_chars(s).collect()
}

/// Whether two column names are the same key (see `key_form`), without building either.
pub fn same_key(a: &str, b: &str) -> bool {
    key_chars(a).eq(key_chars(b))
}

fn key_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.trim().chars().flat_map(char::to_lowercase).map(|c| if c == ' ' || c == '-' { '_' } else { c })
}

/// `s` with each run of spaces (tabs, line breaks) made one space, and none at either end: a name
/// typed with two spaces in a CRM is the same person's.
pub fn single_spaced(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A count of days as people write it: "1 day", "3 days".
pub fn days(n: i64) -> String {
    if n.abs() == 1 { format!("{n} day") } else { format!("{n} days") }
}

/// `s` cut to `max` columns ("…") and padded with spaces to fill them, by display width.
pub fn pad(s: &str, max: usize) -> String {
    let fitted = fit(s, max);
    let room = max.saturating_sub(width(&fitted));
    format!("{fitted}{}", " ".repeat(room))
}

/// `s` as it is when it fits in `max` columns, else cut with "…" (see `cut`).
pub fn fit(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if width(s) <= max { std::borrow::Cow::Borrowed(s) } else { std::borrow::Cow::Owned(cut(s, max)) }
}

/// "1 row is", "1,204 rows are": a count with its words in the singular or the plural.
pub fn counted(count: usize, one: &str, many: &str) -> String {
    match count {
        1 => format!("1 {one}"),
        _ => format!("{} {many}", crate::domain::account::thousands(count as u64)),
    }
}

/// The first few of `total` things, those `shown`, and how many more there are: "Acme, Globex and
/// 41 more"; "Acme, Globex" where they are all.
pub fn listed(shown: &[String], total: usize) -> String {
    match total.saturating_sub(shown.len()) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_list_says_how_many_it_leaves_out() {
        let shown = ["Acme".to_string(), "Globex".to_string()];
        assert_eq!(super::listed(&shown, 2), "Acme, Globex");
        assert_eq!(super::listed(&shown, 43), "Acme, Globex and 41 more");
    }

    /// An account's name told apart by its id keeps the id's end where a table cuts it.
    #[test]
    fn a_told_apart_name_keeps_its_ids_end_when_cut() {
        let row = |a: &str, b: &str| vec![a.to_string(), b.to_string()];
        let rows = vec![
            row("ACCOUNT", "CSM"),
            row("Tidal Systems (9101443)", "Priya Rao Fitzgerald-Smythe"),
            row("Tidal Systems (9100703)", "Priya Rao Fitzgerald-Smythe"),
        ];
        let lines = align_within(&rows, Some(34));
        assert!(lines[1].contains("(…1443)") && lines[2].contains("(…0703)"), "{lines:#?}");
    }

    /// A column of "-" on every row gives way before a name is cut (a probe's renewals cut the
    /// ids that told two "Harbor Works" apart beside a column of "-").
    #[test]
    fn a_column_saying_nothing_gives_way_before_a_name_is_cut() {
        let row = |a: &str, b: &str, c: &str| vec![a.to_string(), b.to_string(), c.to_string()];
        let rows = vec![
            row("ACCOUNT", "COMPUTED_BAND", "ARR"),
            row("Harbor Works (9101739)", "-", "$60,000"),
            row("Harbor Works (9100962)", "-", "$6,000"),
        ];
        let lines = align_within(&rows, Some(34));
        assert!(lines.iter().all(|l| width(l) <= 34), "{lines:#?}");
        assert!(lines[1].starts_with("Harbor Works (9101739)") && lines[2].starts_with("Harbor Works (9100962)"));
        assert!(!lines[0].contains("COMPUTED_BAND"), "{lines:#?}");
        // With room for it, it stays.
        assert!(align_within(&rows, Some(60))[0].contains("COMPUTED_BAND"));
    }

    /// A count the same on every row (no Red for any CSM) is kept where columns give way: the
    /// team report's bands had stopped adding up to the accounts. A name the same on every row
    /// (one CSM's list) still gives way first.
    #[test]
    fn a_count_the_same_on_every_row_does_not_give_way_first() {
        let row = |cells: [&str; 5]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let rows = vec![
            row(["CSM", "RED", "GREEN", "OWNER", "TOUCH_COVERAGE"]),
            row(["Ann Lee", "0", "3", "Dana Whitfield", "12.5%"]),
            row(["Bob Ray", "0", "2", "Dana Whitfield", "40.0%"]),
            row(["Cy Ode", "0", "1", "Dana Whitfield", "7.1%"]),
        ];
        let lines = align_within(&rows, Some(40));
        assert!(lines[0].contains("RED") && lines[0].contains("GREEN"), "{lines:#?}");
        assert!(!lines[0].contains("OWNER"), "the name the same on every row gives way first: {lines:#?}");
    }

    #[test]
    fn the_closest_names_are_the_same_whatever_their_order_and_the_one_with_every_word_first() {
        let names = ["Acme 001 Ltd", "Acme 191 Ltd", "Acme 116 Ltd", "Acme 011 Co., Ltd", "Acme 161 Ltd", "Zeta Ltd"];
        let near = super::closest("Acme 011 Ltd", names.iter().copied(), 0.85);
        assert_eq!(near.first().map(String::as_str), Some("Acme 011 Co., Ltd"), "{near:?}");
        assert_eq!(near.len(), 3);
        let reversed = super::closest("Acme 011 Ltd", names.iter().rev().copied(), 0.85);
        assert_eq!(near, reversed, "the same names in another order");
        // The company form typed otherwise: the name with the same number first.
        let forms = ["Acme 001 Inc.", "Acme 007 Inc.", "Acme 050 GmbH", "Acme 025 Inc."];
        let near = super::closest("Acme 050 Co.", forms.iter().copied(), 0.8);
        assert_eq!(near.first().map(String::as_str), Some("Acme 050 GmbH"), "{near:?}");
        // One word typed: no name holds it "as a word" to jump the queue; the closest spelling.
        assert_eq!(super::closest("Zeta", names.iter().copied(), 0.85), ["Zeta Ltd"]);
    }

    #[test]
    fn german_letters_fold_as_german_writes_them_without() {
        use super::{collate, collation_key, fold, fold_umlauts};
        assert_eq!(fold("Weiß SE"), "weiss se");
        assert_eq!(fold("GROẞ"), "gross");
        assert_eq!(fold("Müller"), "muller");
        assert_eq!(fold_umlauts("Müller GmbH").as_deref(), Some("mueller gmbh"));
        assert_eq!(fold_umlauts("Ärger & Söhne").as_deref(), Some("aerger & soehne"));
        assert_eq!(fold_umlauts("Weiß SE"), None, "no umlaut: fold alone");
        use std::cmp::Ordering::*;
        assert_eq!(collate("Ärger", "Zimmermann"), Less);
        assert_eq!(collate("Schäfer", "Schulz"), Less);
        assert_eq!(collate("acme", "Äcme"), Equal, "the caller breaks the tie");
        assert_eq!(collate("Acme", "acme corp"), Less);
        for (a, b) in [("Ärger", "Zimmermann"), ("Schäfer", "Schulz"), ("acme", "Äcme"), ("b", "A")] {
            assert_eq!(collation_key(a).cmp(&collation_key(b)), collate(a, b), "{a} {b}");
        }
    }

    #[test]
    fn a_table_is_fitted_to_the_terminal_by_cutting_its_widest_columns() {
        let rows = vec![
            vec!["ACCOUNT".to_string(), "CSM".into(), "ARR".into()],
            vec!["Weyland-Yutani Corporation of the Outer Colonies".into(), "Maya Patel".into(), "$48k".into()],
        ];
        let fitted = align_within(&rows, Some(40));
        assert!(fitted.iter().all(|l| width(l) <= 40), "{fitted:#?}");
        assert!(
            fitted[1].contains("…") && fitted[1].contains("Maya Patel") && fitted[1].ends_with("$48k"),
            "{fitted:#?}"
        );
        assert_eq!(align_within(&rows, None), align(&rows), "off a terminal nothing is cut");
    }

    use super::{align, align_within, clean, quote, truncate, width};

    /// On a terminal too narrow for the last column beside the others, it is wrapped under each
    /// row, and a column saying nothing is left out; a wide one keeps it beside them.
    #[test]
    fn a_narrow_terminal_reads_the_last_column_under_each_row() {
        let reasons = "renews in 69 days, not enough data · Active users w/w -100% · no score yet".to_string();
        let row = |rank: &str, name: &str| {
            [rank, name, "Elephant", "€250,924", "low data", "-", "46%", "34.5"]
                .iter()
                .map(|s| s.to_string())
                .chain([reasons.clone()])
                .collect::<Vec<String>>()
        };
        let header: Vec<String> =
            ["RANK", "ACCOUNT", "SEGMENT", "ARR", "BAND", "COMPUTED_BAND", "COVERAGE", "NEED", "REASONS"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        let rows = vec![header.clone(), row("1", "Möller KG"), row("2", "Öko-Tech Systeme SE")];
        let lines = align_within(&rows, Some(80));
        assert!(lines.iter().all(|l| width(l) <= 80), "{lines:#?}");
        assert!(lines[0].starts_with("RANK") && !lines[0].contains("COMPUTED_BAND"), "{lines:#?}");
        assert_eq!(lines[1].trim(), "REASONS");
        assert!(lines[2].starts_with("1 ") && lines[2].contains("Möller KG") && lines[2].ends_with("34.5"));
        let under: String =
            lines[3..].iter().take_while(|l| l.starts_with("    ")).map(|l| l.trim()).collect::<Vec<_>>().join(" ");
        assert_eq!(under, reasons, "{lines:#?}");
        assert!(lines.iter().any(|l| l.starts_with("2 ") && l.contains("Öko-Tech")), "{lines:#?}");
        assert!(!lines.iter().any(|l| l.contains("left out at this width")), "all kept: {lines:#?}");
        // Narrower: the words the same on every row give way first (a number the same on every
        // row stays), then those on the right; the lines say which.
        let narrow = align_within(&rows, Some(60));
        assert!(narrow.iter().all(|l| width(l) <= 60), "{narrow:#?}");
        assert!(narrow[0].starts_with("RANK") && narrow[0].contains("ACCOUNT"), "{narrow:#?}");
        assert!(!narrow[0].contains("SEGMENT") && narrow[0].contains("NEED"), "{narrow:#?}");
        let note = narrow.iter().skip_while(|l| !l.starts_with('(')).cloned().collect::<Vec<_>>().join(" ");
        assert!(note.starts_with("(SEGMENT, BAND left out at this width"), "{narrow:#?}");
        // Narrower still: columns on the right give way too.
        let narrower = align_within(&rows, Some(44));
        let note = narrower.iter().skip_while(|l| !l.starts_with('(')).cloned().collect::<Vec<_>>().join(" ");
        assert!(note.starts_with("(SEGMENT,") && note.contains("NEED left out at this width"), "{narrower:#?}");
        // Reasons longer than a cell may be on a terminal are wrapped whole.
        let long = format!("{reasons} · {reasons}");
        let mut long_rows = rows.clone();
        long_rows[1][8] = long.clone();
        let lines = align_within(&long_rows, Some(80));
        let under: String =
            lines[3..].iter().take_while(|l| l.starts_with("    ")).map(|l| l.trim()).collect::<Vec<_>>().join(" ");
        assert_eq!(under, long, "{lines:#?}");
        // A table whose last column is short: columns give way from the right, said.
        let renewals: Vec<Vec<String>> = [
            ["ACCOUNT", "CSM", "RENEWAL_DATE", "DAYS", "ARR", "BAND", "SCORE", "LIKELIHOOD", "AT_RISK"],
            ["Möller KG", "Lena Vogel", "2027-02-14", "69", "€250,924", "Yellow", "61", "60%", "yes"],
            ["Wolf KG", "Tom Berger", "2027-01-11", "35", "€36,270", "Green", "81", "90%", ""],
        ]
        .iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect();
        let fitted = align_within(&renewals, Some(60));
        assert!(fitted.iter().all(|l| width(l) <= 60), "{fitted:#?}");
        assert!(fitted[1].starts_with("Möller KG") && fitted[1].contains("2027-02-14"), "{fitted:#?}");
        let note = fitted.iter().skip_while(|l| !l.starts_with('(')).cloned().collect::<Vec<_>>().join(" ");
        // Closed up one space apart, SCORE still fits.
        assert!(fitted[0].ends_with("BAND   SCORE"), "{fitted:#?}");
        assert!(note.starts_with("(LIKELIHOOD, AT_RISK left out at this width"), "{fitted:#?}");
        assert_eq!(align_within(&renewals, Some(200)).len(), 3, "room for all: nothing gives way");
        // Room beside the others: one line a row, as before.
        let wide = align_within(&rows, Some(200));
        assert_eq!(wide.len(), 3, "{wide:#?}");
        assert!(wide[1].ends_with(&reasons), "{wide:#?}");
        // Off a terminal nothing moves.
        assert_eq!(align_within(&rows, None).len(), 3);
    }

    /// A table a few columns too wide with two spaces apart fits whole with one: every column
    /// kept, nothing cut, nothing said left out; narrower still, columns give way as before.
    #[test]
    fn a_table_just_too_wide_closes_up_before_columns_give_way() {
        let team: Vec<Vec<String>> = [
            ["CSM", "ACCOUNTS", "ARR", "AVERAGE_SCORE", "RED", "ORANGE", "YELLOW", "GREEN", "NO_SCORE"],
            ["Ana Souza", "100", "$6,720,000", "72.6 (of 37)", "0", "5", "12", "20", "63"],
            ["Priya Nair", "100", "$8,238,000", "69.1 (of 27)", "0", "7", "8", "12", "73"],
        ]
        .iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect();
        let two_apart = align_within(&team, Some(200));
        assert!(width(&two_apart[0]) > 80, "{two_apart:#?}");
        let lines = align_within(&team, Some(80));
        assert_eq!(lines.len(), 3, "{lines:#?}");
        assert!(lines.iter().all(|l| width(l) <= 80), "{lines:#?}");
        assert!(lines[0].ends_with("GREEN NO_SCORE") && lines[1].ends_with("20    63"), "{lines:#?}");
        assert!(lines[1].contains("72.6 (of 37)") && lines[2].starts_with("Priya Nair "), "{lines:#?}");
        let narrow = align_within(&team, Some(60));
        assert!(narrow.iter().any(|l| l.contains("left out at this width")), "{narrow:#?}");
        assert!(narrow.iter().all(|l| width(l) <= 60), "{narrow:#?}");
        // With more columns than fit either way, those that fit one apart are kept, not only
        // those that fit two apart.
        let mut wider = team.clone();
        for (r, row) in wider.iter_mut().enumerate() {
            row.push(if r == 0 { "MOVERS_DOWN_30D".into() } else { "7".into() });
        }
        let lines = align_within(&wider, Some(80));
        assert!(lines.iter().all(|l| width(l) <= 80), "{lines:#?}");
        assert!(lines[0].ends_with("GREEN NO_SCORE"), "{lines:#?}");
        assert!(lines.iter().any(|l| l.starts_with("(MOVERS_DOWN_30D left out")), "{lines:#?}");
    }

    #[test]
    fn tables_align_by_display_width_and_cut_long_cells() {
        let rows = vec![
            vec!["NAME".to_string(), "ARR".to_string()],
            vec!["北京科技".to_string(), "1".to_string()],
            vec!["e\u{301}cole 🚀".to_string(), "2".to_string()],
            vec!["x".repeat(70_000), "3".to_string()],
            vec!["\u{1b}]52;c;cHduZWQ=\u{7}Evil\u{1b}[2J".to_string(), "4".to_string()],
        ];
        let lines = align(&rows);
        // The second column starts at the same terminal column on every line.
        let starts: Vec<usize> = lines.iter().map(|l| width(&l[..l.rfind(' ').unwrap() + 1])).collect();
        assert!(starts.windows(2).all(|w| w[0] == w[1]), "{lines:#?}");
        assert!(lines[3].contains('…') && width(&lines[3]) < 130, "cut with an ellipsis");
        // Off a terminal a long cell (a Triage item's reasons) is written whole up to that.
        let reasons = "renews in 19 days, Yellow · stale: Active users — 42 days behind the rest · ".repeat(3);
        let whole = align(&[vec!["ID".to_string(), "REASONS".into()], vec!["1".into(), reasons.clone()]]);
        assert_eq!(whole[1], format!("1   {}", reasons.trim_end()));
        let on_terminal = align_within(&[vec!["REASONS".to_string()], vec![reasons.clone()]], Some(400));
        assert!(width(&on_terminal[1]) <= super::MAX_CELL_WIDTH, "{on_terminal:#?}");
        assert!(lines[4].starts_with("Evil") && !lines[4].contains('\u{1b}'));
    }

    #[test]
    fn quoted_values_are_short_and_clean() {
        let q = quote(&format!("\u{1b}[31m{}", "y".repeat(1000)));
        assert_eq!(width(&q), 80);
        assert!(q.ends_with('…') && !q.contains('\u{1b}'));
        assert_eq!(truncate("short", 80), "short");
    }

    #[test]
    fn plain_text_is_untouched() {
        assert_eq!(clean("Acme GmbH — Zürich 北京"), "Acme GmbH — Zürich 北京");
    }

    #[test]
    fn escape_sequences_are_removed() {
        assert_eq!(clean("\u{1b}[31mRed\u{1b}[0m Corp"), "Red Corp");
        assert_eq!(clean("a\u{1b}]0;pwned title\u{7}b"), "ab");
        assert_eq!(clean("a\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\b"), "alinkb");
        assert_eq!(clean("x\u{9b}2Jy"), "xy");
        assert_eq!(clean("trailing\u{1b}"), "trailing");
    }

    #[test]
    fn column_names_match_as_keys() {
        assert_eq!(super::key_form(" Addon-Share "), "addon_share");
        assert!(super::same_key("Addon share", "addon_share"));
        assert!(!super::same_key("Addon shares", "addon_share"));
    }

    #[test]
    fn control_characters_are_dropped_or_spaced() {
        assert_eq!(clean("line\none\ttab\rcr"), "line one tab cr");
        assert_eq!(clean("bell\u{7}nul\u{0}del\u{7f}c1\u{85}"), "bellnuldelc1");
        assert_eq!(clean("evil\u{202e}txt.exe"), "eviltxt.exe");
    }

    #[test]
    fn a_message_breaks_between_words_and_never_cuts_one() {
        let url = "postgres://maya@db.example.com:5432/tend_team_book";
        let text = format!("tend: {url} is a team book. This tend opens team books for `tend db`\nsecond line");
        let wrapped = super::wrap_message(&text, 30);
        assert!(wrapped.lines().any(|l| l == url), "the URL whole on a line of its own: {wrapped}");
        assert!(wrapped.lines().all(|l| super::width(l) <= 30 || l == url), "{wrapped}");
        assert_eq!(wrapped.replace('\n', " "), text.replace('\n', " "), "nothing lost or added");
        assert!(wrapped.ends_with("\nsecond line"), "{wrapped}");
    }

    #[test]
    fn wrapped_text_that_goes_on_ends_in_an_ellipsis() {
        let wrap = |s: &str, width: usize, lines: usize| super::fit_lines(super::wrap_all(s, width), width, lines);
        let text = "Zorg Black Group: Orange health · -18 in 30 days: Usage growth (MoM) +22% -> -8% · renews in 32 days · stale: CSM sentiment · no touch in 105 days";
        let all = wrap(text, 60, 5);
        assert_eq!(all.join(" "), text, "nothing lost when it fits");
        assert!(all.iter().all(|l| super::width(l) <= 60), "{all:?}");
        let two = wrap(text, 60, 2);
        assert_eq!(two.len(), 2);
        assert!(two[1].ends_with(" …") && !two[1].ends_with("· …"), "{two:?}");
        assert_eq!(two[1], "growth (MoM) +22% -> -8% · renews in 32 days …", "cut between phrases");
        let wide = wrap(text, 80, 2);
        assert!(wide.iter().all(|l| !l.starts_with('·')), "a line never starts with the separator: {wide:?}");
        for width in 20..80 {
            let lines = wrap(text, width, 10);
            assert!(lines.iter().all(|l| !l.starts_with("->") && !l.ends_with("->")), "{width}: {lines:?}");
            assert_eq!(lines.join(" "), text, "{width}");
        }
        assert_eq!(wide.join(" "), text);
        assert!(super::width(&two[1]) <= 60, "{two:?}");
        assert_eq!(wrap("short", 60, 2), ["short"]);
        let touch = "Acme: Orange health · no touch in 37 days (cadence 14) · renews in 9 days";
        for width in 24..60 {
            let lines = wrap(touch, width, 10);
            assert!(lines.iter().all(|l| !l.starts_with('(') && !l.starts_with("14)")), "{width}: {lines:?}");
            assert_eq!(lines.join(" "), touch, "{width}");
        }
        assert_eq!(wrap("Supercalifragilistic", 8, 1), ["Superca…"]);
        // A number keeps its unit at every width.
        let quiet = "Acme Ltd: Orange health · no touch in 72 days · 3 tasks overdue";
        for width in 12..64 {
            let lines = wrap(quiet, width, 10);
            assert!(lines.iter().all(|l| !l.ends_with("72") && !l.ends_with(" 3")), "{width}: {lines:?}");
            assert_eq!(lines.join(" "), quiet, "{width}");
        }
    }
}
