//! Text from the database or an import is shown safely: no control character or escape sequence
//! ever reaches the terminal.

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

#[cfg(test)]
mod tests {
    use super::clean;

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
    fn control_characters_are_dropped_or_spaced() {
        assert_eq!(clean("line\none\ttab\rcr"), "line one tab cr");
        assert_eq!(clean("bell\u{7}nul\u{0}del\u{7f}c1\u{85}"), "bellnuldelc1");
        assert_eq!(clean("evil\u{202e}txt.exe"), "eviltxt.exe");
    }
}
