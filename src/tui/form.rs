//! Small forms for logging from the keyboard: fields validated as you type, the problem shown
//! beside the field, Enter saves, Esc cancels and changes nothing.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Flex, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::domain::input::{FieldError, parse_day, parse_past_day};
use crate::tui::theme::Theme;

#[derive(Clone, Debug, PartialEq)]
pub enum FieldKind {
    Text {
        required: bool,
    },
    Number {
        min: i64,
        max: i64,
    },
    /// A day as people type it (`fri`, `-3d`), counted from `today`.
    Date {
        required: bool,
        today: NaiveDate,
        /// The day of something that has happened (logged, done, renewed): not after today.
        past: bool,
    },
    /// How long until something comes back: a number of days, or the day itself (`fri`,
    /// `+2w`, `2026-12-20`), from 1 to `max` days after `today`.
    DaysAhead {
        today: NaiveDate,
        max: i64,
    },
    Choice(Vec<String>),
}

/// The day a date field's text names: for a day something happened (`past`), a month and a day
/// without a year is the last such day up to today.
fn day_in(key: &'static str, text: &str, today: NaiveDate, past: bool) -> Result<NaiveDate, FieldError> {
    if past { parse_past_day(key, text, today) } else { parse_day(key, text, today) }
}

/// The days from `today` that `text` names: a whole number is days, anything else a day.
fn days_ahead(key: &'static str, text: &str, today: NaiveDate) -> Result<i64, FieldError> {
    match text.parse::<i64>() {
        Ok(days) => Ok(days),
        Err(_) => parse_day(key, text, today).map(|day| (day - today).num_days()),
    }
}

#[derive(Clone, Debug)]
pub struct Field {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: FieldKind,
    pub input: Input,
    pub choice: usize,
    /// What is wrong with the value as it stands, shown beside it once the field is edited or
    /// a save was tried (an empty form does not open on a row of complaints).
    pub problem: Option<String>,
    /// Still the value the form opened with: the first character typed replaces it (as a
    /// selected text would be), Backspace clears it, arrows keep it and edit it.
    pub pristine: bool,
    /// Edited since the form opened.
    pub touched: bool,
    /// A choice's letters typed one after another ("of" for off track), until an arrow or
    /// another field.
    typed: String,
}

impl Field {
    pub fn text(key: &'static str, label: &'static str, required: bool, value: &str) -> Field {
        Field::new(key, label, FieldKind::Text { required }, value)
    }
    pub fn number(key: &'static str, label: &'static str, min: i64, max: i64, value: Option<i64>) -> Field {
        Field::new(key, label, FieldKind::Number { min, max }, &value.map(|v| v.to_string()).unwrap_or_default())
    }
    /// Days, or the day they end at (see `FieldKind::DaysAhead`).
    pub fn days_ahead(key: &'static str, label: &'static str, days: i64, max: i64, today: NaiveDate) -> Field {
        Field::new(key, label, FieldKind::DaysAhead { today, max }, &days.to_string())
    }
    pub fn date(
        key: &'static str,
        label: &'static str,
        required: bool,
        value: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Field {
        Field::new(
            key,
            label,
            FieldKind::Date { required, today, past: false },
            &value.map(|d| d.to_string()).unwrap_or_default(),
        )
    }
    /// A date field for the day something happened: a day after today is a problem as it is
    /// typed, not only once Enter is pressed.
    pub fn happened(mut self) -> Field {
        if let FieldKind::Date { past, .. } = &mut self.kind {
            *past = true;
        }
        self
    }
    pub fn choice<S: Into<String>>(key: &'static str, label: &'static str, options: Vec<S>, selected: &str) -> Field {
        let options: Vec<String> = options.into_iter().map(Into::into).collect();
        let choice = options.iter().position(|o| *o == selected).unwrap_or(0);
        let mut f = Field::new(key, label, FieldKind::Choice(options), "");
        f.choice = choice;
        f
    }

    fn new(key: &'static str, label: &'static str, kind: FieldKind, value: &str) -> Field {
        let mut f = Field {
            key,
            label,
            kind,
            // A note's line breaks, kept as a mark on the one line (see `Form::text`).
            input: Input::new(value.replace("\r\n", "\n").replace('\n', &crate::text::LINE_BREAK.to_string())),
            choice: 0,
            problem: None,
            pristine: !value.is_empty(),
            touched: false,
            typed: String::new(),
        };
        f.problem = f.check().err().map(|e| e.reason);
        f
    }

    /// The field's own rule: does the text parse, is it in range, is it there if required.
    fn check(&self) -> Result<(), FieldError> {
        let text = self.input.value().trim();
        match &self.kind {
            FieldKind::Text { required: true } if text.is_empty() => Err(FieldError::new(self.key, "required")),
            FieldKind::Number { min, max } => match text.parse::<i64>() {
                Ok(n) if (*min..=*max).contains(&n) => Ok(()),
                Ok(n) => Err(FieldError::new(self.key, format!("{n} is out of range {min}-{max}"))),
                Err(_) if text.is_empty() => Err(FieldError::new(self.key, format!("type {min}-{max}"))),
                Err(_) => Err(FieldError::new(self.key, format!("a whole number {min}-{max}"))),
            },
            FieldKind::Date { required, .. } if text.is_empty() => {
                if *required {
                    Err(FieldError::new(self.key, "required: YYYY-MM-DD, today, -3d, fri…"))
                } else {
                    Ok(())
                }
            }
            // The example day is one the field takes: two weeks on (a fixed "2026-12-20" was refused
            // as past to a probe on the 21st).
            FieldKind::DaysAhead { today, .. } if text.is_empty() => Err(FieldError::new(
                self.key,
                format!("days, or the day: 7, fri, next fri, +2w, {}", *today + chrono::Duration::days(14)),
            )),
            FieldKind::DaysAhead { today, max } => match days_ahead(self.key, text, *today)? {
                // "a day after today" read as if the day typed were after today.
                days if days < 1 => Err(FieldError::new(self.key, "must be a day after today")),
                days if days > *max => Err(FieldError::new(self.key, format!("at most {max} days ahead"))),
                _ => Ok(()),
            },
            FieldKind::Date { today, past, .. } => match day_in(self.key, text, *today, *past)? {
                day if *past && day > *today => {
                    Err(FieldError::new(self.key, format!("{day} is in the future (today is {today})")))
                }
                _ => Ok(()),
            },
            _ => Ok(()),
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum FormEvent {
    Nothing,
    Submit,
    Cancel,
}

/// A form's fields and focus. What the form is *for* is kept by whoever opened it.
#[derive(Clone, Debug)]
pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// A problem found on saving (a rule between fields, or the store's refusal).
    pub error: Option<String>,
    /// A save was tried: every field's problem is shown from now on.
    tried: bool,
    /// Esc was pressed once over typed text: a second Esc discards it.
    discarding: bool,
    /// Each field's text and choice as the form opened: an edit saved unchanged writes nothing.
    opened_with: Vec<(String, usize)>,
    /// What Enter does, said at the foot: "save", or "show" for a form that writes nothing.
    pub enter_does: &'static str,
}

/// The columns `from..from + width` of `text` (a wide character not split: left out whole).
fn columns_from(text: &str, from: usize, width: usize) -> String {
    let mut at = 0;
    let mut out = String::new();
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if at >= from && at + w <= from + width {
            out.push(c);
        }
        at += w;
        if at >= from + width {
            break;
        }
    }
    out
}

/// Pasted text made safe for a one-line input: its escape sequences and control characters
/// dropped, its lines joined by `joint`, the line breaks at its ends left out (its spaces kept:
/// " def" pasted after "abc" read "abcdef").
pub fn pasted_text(text: &str, joint: &str) -> String {
    let lines = text.replace("\r\n", "\n").replace('\r', "\n");
    lines.trim_matches('\n').split('\n').map(crate::text::clean).collect::<Vec<_>>().join(joint)
}

/// `pasted` inserted into `input` at its cursor, the cursor after it: the whole paste at once
/// (not a key per character).
pub fn insert_pasted(input: &mut Input, pasted: &str) {
    let value = input.value();
    let cursor = input.cursor();
    let before: String = value.chars().take(cursor).collect();
    let after: String = value.chars().skip(cursor).collect();
    *input = Input::new(format!("{before}{pasted}{after}")).with_cursor(cursor + pasted.chars().count());
}

impl Form {
    /// A refusal as the form names its fields: "closed: 2026-11-01 is before …" from the book
    /// is "Cleared: 2026-11-01 is before …" on a form whose field `closed` reads "Cleared".
    pub fn in_its_words(&self, message: &str) -> String {
        // A command-line option named in the book's words (`--owner "Maya Patel"`) is the field
        // the form has for it (`Owner: "Maya Patel"`).
        let mut message = message.to_string();
        for f in &self.fields {
            message = message.replace(&format!("--{} ", f.key), &format!("{}: ", f.label));
        }
        let message = message.as_str();
        match message.split_once(": ") {
            Some((key, rest)) => match self.fields.iter().find(|f| f.key == key) {
                Some(f) => format!("{}: {rest}", f.label),
                None => message.to_string(),
            },
            None => message.to_string(),
        }
    }

    pub fn new(title: impl Into<String>, fields: Vec<Field>) -> Form {
        let opened_with = Self::values(&fields);
        Form {
            title: title.into(),
            fields,
            focus: 0,
            error: None,
            tried: false,
            discarding: false,
            opened_with,
            enter_does: "save",
        }
    }

    fn values(fields: &[Field]) -> Vec<(String, usize)> {
        fields.iter().map(|f| (f.input.value().to_string(), f.choice)).collect()
    }

    /// Whether every field is as the form opened with it.
    pub fn is_unchanged(&self) -> bool {
        Self::values(&self.fields) == self.opened_with
    }

    pub fn field(&self, key: &str) -> &Field {
        self.fields.iter().find(|f| f.key == key).expect("form has the field it is asked for")
    }

    /// A field's text as typed, its line-break marks back to line breaks.
    pub fn text(&self, key: &str) -> String {
        self.field(key).input.value().trim().replace(crate::text::LINE_BREAK, "\n")
    }

    pub fn number(&self, key: &str) -> Result<i64, FieldError> {
        let f = self.field(key);
        f.check()?;
        match f.kind {
            FieldKind::DaysAhead { today, .. } => days_ahead(f.key, f.input.value().trim(), today),
            _ => Ok(f.input.value().trim().parse().unwrap_or_default()),
        }
    }

    pub fn date(&self, key: &str) -> Result<Option<NaiveDate>, FieldError> {
        let f = self.field(key);
        f.check()?;
        let text = f.input.value().trim();
        match f.kind {
            FieldKind::Date { today, past, .. } if !text.is_empty() => day_in(f.key, text, today, past).map(Some),
            _ => Ok(None),
        }
    }

    pub fn choice(&self, key: &str) -> &str {
        let f = self.field(key);
        match &f.kind {
            FieldKind::Choice(options) => options[f.choice].as_str(),
            _ => "",
        }
    }

    /// The first field with a problem, if any.
    pub fn first_problem(&self) -> Option<(usize, &str)> {
        self.fields.iter().enumerate().find_map(|(i, f)| f.problem.as_deref().map(|p| (i, p)))
    }

    /// Words typed into the form (a note, a reason, a goal in the customer's words) that Esc
    /// would lose; a name or an amount is quick to type again.
    fn has_typed_text(&self) -> bool {
        const WORDS: [&str; 5] = ["note", "reason", "title", "words", "measure"];
        self.fields.iter().any(|f| {
            matches!(f.kind, FieldKind::Text { .. })
                && WORDS.contains(&f.key)
                && f.touched
                && !f.input.value().trim().is_empty()
        })
    }

    /// Text pasted into the field in focus (the terminal's bracketed paste), inserted at the
    /// cursor whole, never read as keys: a pasted line break saved the form and the rest ran as
    /// commands (a probe's pasted "recap⏎d" deleted the note it had just saved). Its line breaks
    /// are kept as marks in a text field (a space in any other), its escape sequences dropped;
    /// a choice takes no paste.
    pub fn paste(&mut self, text: &str) {
        self.error = None;
        self.discarding = false;
        let field = &mut self.fields[self.focus];
        let joint = match field.kind {
            FieldKind::Choice(_) => return,
            FieldKind::Text { .. } => crate::text::LINE_BREAK.to_string(),
            _ => " ".to_string(),
        };
        if field.pristine {
            field.input = Input::default();
        }
        insert_pasted(&mut field.input, &pasted_text(text, &joint));
        field.pristine = false;
        field.touched = true;
        field.problem = field.check().err().map(|e| e.reason);
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> FormEvent {
        self.error = None;
        let discarding = std::mem::take(&mut self.discarding);
        let cancel =
            key.code == KeyCode::Esc || key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            _ if cancel && (discarding || !self.has_typed_text()) => return FormEvent::Cancel,
            _ if cancel => {
                // Never lose a typed note to one stray key.
                self.discarding = true;
                self.error = Some("Esc again discards what you typed; Enter saves it.".into());
                return FormEvent::Nothing;
            }
            KeyCode::Enter
                if key.modifiers.contains(KeyModifiers::ALT)
                    && matches!(self.fields[self.focus].kind, FieldKind::Text { .. }) =>
            {
                let field = &mut self.fields[self.focus];
                field.input.handle_event(&Event::Key(KeyEvent::new(
                    KeyCode::Char(crate::text::LINE_BREAK),
                    KeyModifiers::NONE,
                )));
                field.pristine = false;
                field.touched = true;
            }
            KeyCode::Enter => {
                if let Some((i, p)) = self.first_problem() {
                    self.error = Some(problem_said(self.fields[i].label, p));
                    self.tried = true;
                    self.focus = i;
                    return FormEvent::Nothing;
                }
                return FormEvent::Submit;
            }
            KeyCode::Tab | KeyCode::Down => {
                self.fields[self.focus].typed.clear();
                self.focus = (self.focus + 1) % self.fields.len();
            }
            KeyCode::BackTab | KeyCode::Up => {
                self.fields[self.focus].typed.clear();
                self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
            }
            _ => {
                let field = &mut self.fields[self.focus];
                match &field.kind {
                    FieldKind::Choice(options) => match key.code {
                        // Space steps on, as → does, unless it goes on letters typed ("on t").
                        KeyCode::Right | KeyCode::Char(' ') if key.code == KeyCode::Right || field.typed.is_empty() => {
                            field.typed.clear();
                            field.choice = (field.choice + 1) % options.len();
                        }
                        KeyCode::Left => {
                            field.typed.clear();
                            field.choice = (field.choice + options.len() - 1) % options.len();
                        }
                        KeyCode::Char(c) => {
                            (field.choice, field.typed) = type_ahead(options, field.choice, &field.typed, c);
                        }
                        // The letters typed start over; the option chosen stays.
                        KeyCode::Backspace => field.typed.clear(),
                        _ => {}
                    },
                    _ => {
                        let control = key.modifiers.contains(KeyModifiers::CONTROL);
                        match key.code {
                            KeyCode::Char('u') if control => field.input = Input::default(),
                            // A line break in a note: Alt-Enter or Ctrl-J (Enter saves the form).
                            KeyCode::Char('j') if control => {
                                field.input.handle_event(&Event::Key(KeyEvent::new(
                                    KeyCode::Char(crate::text::LINE_BREAK),
                                    KeyModifiers::NONE,
                                )));
                            }
                            KeyCode::Char(c) if field.pristine && !control => field.input = Input::new(c.to_string()),
                            KeyCode::Backspace | KeyCode::Delete if field.pristine => field.input = Input::default(),
                            _ => {
                                field.input.handle_event(&Event::Key(key));
                            }
                        }
                        field.pristine = false;
                        field.touched = true;
                        field.problem = field.check().err().map(|e| e.reason);
                    }
                }
            }
        }
        FormEvent::Nothing
    }

    /// Where the popup goes within `area`: a line for each field and its hint, more where a hint
    /// or the form's error takes more than a line.
    pub fn area(&self, area: Rect) -> Rect {
        let width = 64.min(area.width);
        let inner = width.saturating_sub(2);
        let hints: usize = (0..self.fields.len()).map(|i| self.hint(i, inner).0.len().max(1)).sum();
        let error = self.error_lines(inner).len().max(1);
        let height = (u16::try_from(self.fields.len() + hints + error).unwrap_or(u16::MAX) + 3).min(area.height);
        let [row] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
        let [popup] = Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center).areas(row);
        popup
    }

    pub const LABEL_WIDTH: u16 = 10;

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) -> Option<Position> {
        let popup = self.area(area);
        Clear.render(popup, buf);
        let block = Block::bordered()
            .title(format!(" {} ", fit_title(&self.title, usize::from(popup.width).saturating_sub(4))))
            .title_bottom(format!(" Tab next · Enter {} · Esc cancel ", self.enter_does));
        let inner = block.inner(popup);
        block.render(popup, buf);
        let mut lines = Vec::new();
        let mut cursor = None;
        for (i, f) in self.fields.iter().enumerate() {
            let focused = i == self.focus;
            // The field being typed in is marked, not only coloured: a terminal without colours
            // (or a glance) tells it from the others.
            let w = Self::LABEL_WIDTH as usize - 1;
            let marked = [format!("▸ {}", f.label), format!("▸{}", f.label)];
            // A label longer than the column is marked too, running over as it
            // does unmarked (the renewal form's fields had no mark at all).
            let shown = match (focused, marked.iter().find(|m| m.chars().count() <= w)) {
                (true, Some(m)) => m.clone(),
                (true, None) => marked[1].clone(),
                (false, _) => f.label.to_string(),
            };
            let label = Span::styled(format!("{shown:>w$} "), if focused { theme.title() } else { theme.dim() });
            let mut spans = vec![label];
            match &f.kind {
                FieldKind::Choice(options) => {
                    // The options that fit around the chosen one; ‹ › say more are either side.
                    let room = inner.width.saturating_sub(Self::LABEL_WIDTH) as usize;
                    let all = options.iter().map(|o| o.chars().count() + 2).sum::<usize>() <= room;
                    // Narrow, every option one space apart before any is hidden behind ›: at 60
                    // columns a goal's "dropped" was out of sight.
                    let close = !all && options.iter().map(|o| o.chars().count() + 1).sum::<usize>() < room;
                    let (from, to) = if all || close {
                        (0, options.len())
                    } else {
                        choice_window(options, f.choice, room.saturating_sub(2))
                    };
                    if from > 0 {
                        spans.push(Span::styled("‹", theme.dim()));
                    }
                    for (k, o) in options.iter().enumerate().take(to).skip(from) {
                        let style = if k == f.choice { theme.selected() } else { theme.dim() };
                        match close {
                            // Apart by "/": options in words ("on track at risk off track")
                            // one space apart ran together.
                            true => {
                                spans.push(Span::raw(if k == from { " " } else { "/" }));
                                spans.push(Span::styled(o.replace('_', " "), style));
                            }
                            // In words, as the command line says them ("on track", not "on_track").
                            false => spans.push(Span::styled(format!(" {} ", o.replace('_', " ")), style)),
                        }
                    }
                    if to < options.len() {
                        spans.push(Span::styled("›", theme.dim()));
                    }
                }
                _ => {
                    // A value longer than the field scrolls with the cursor, which stays in sight;
                    // out of focus it ends in "…", which says that more follows (a probe's long
                    // note read as cut short).
                    let width = inner.width.saturating_sub(Self::LABEL_WIDTH + 1).max(1) as usize;
                    let scroll = if focused { f.input.visual_scroll(width) } else { 0 };
                    let value = match focused {
                        true => columns_from(f.input.value(), scroll, width),
                        false => crate::text::truncate(f.input.value(), width),
                    };
                    // A value the first keystroke replaces looks selected.
                    let style = if focused && f.pristine { theme.selected() } else { ratatui::style::Style::default() };
                    spans.push(Span::styled(value, style));
                    if focused {
                        let x = inner.x + Self::LABEL_WIDTH + (f.input.visual_cursor() - scroll) as u16;
                        cursor =
                            Some(Position::new(x.min(inner.right().saturating_sub(1)), inner.y + lines.len() as u16));
                    }
                }
            }
            lines.push(Line::from(spans));
            // Under the field, indented past the labels; a long one wraps there, never cut at the
            // popup's edge.
            let (hint, error) = self.hint(i, inner.width);
            let style = if error { theme.error() } else { theme.dim() };
            let indent = " ".repeat(Self::LABEL_WIDTH as usize);
            if hint.is_empty() {
                lines.push(Line::default());
            }
            lines.extend(hint.into_iter().map(|l| Line::styled(format!("{indent}{l}"), style)));
        }
        lines.extend(self.error_lines(inner.width).into_iter().map(|l| Line::styled(l, theme.error())));
        Paragraph::new(lines).render(inner, buf);
        cursor
    }

    /// The lines under field `i` (wrapped to fit `inner` columns past the labels), and whether
    /// they say a problem: what it wants before any typing, a problem once typed, the day a day
    /// typed as people do names, how to choose.
    fn hint(&self, i: usize, inner: u16) -> (Vec<String>, bool) {
        let f = &self.fields[i];
        let (text, error) = match (&f.problem, &f.kind) {
            (Some(p), _) if f.touched || self.tried => (format!("! {p}"), true),
            (Some(p), _) => (p.clone(), false),
            (None, FieldKind::Date { today, past, .. }) if !crate::domain::day_text::is_iso(f.input.value()) => {
                match day_in(f.key, f.input.value(), *today, *past).ok() {
                    Some(day) => (format!("= {}", day.format("%a %Y-%m-%d")), false),
                    None => return (Vec::new(), false),
                }
            }
            (None, FieldKind::DaysAhead { today, .. }) => match days_ahead(f.key, f.input.value().trim(), *today) {
                Ok(days) => {
                    // As the mark will have it: a weekend's day is the Monday after.
                    let typed = *today + chrono::Duration::days(days);
                    let day = crate::domain::day_text::off_weekend(typed);
                    let days = (day - *today).num_days();
                    let s = if days == 1 { "" } else { "s" };
                    // Why a week reads 8 days: its day fell on a weekend (said in the room the
                    // hint to type a day had).
                    let back = day.format("%a %Y-%m-%d");
                    match day == typed {
                        true => (format!("= back on {back} ({days} day{s}); or type a day: fri, +2w"), false),
                        false => (format!("= back on {back} ({days} day{s}: past the weekend)"), false),
                    }
                }
                Err(_) => return (Vec::new(), false),
            },
            (None, FieldKind::Choice(_)) if i == self.focus => ("←/→ or type its letters".to_string(), false),
            // Enter saves the form: how to go on to a new line is said where one is written (a
            // probe took a note for one line only).
            (None, FieldKind::Text { .. }) if i == self.focus && f.key == "note" => {
                ("Alt-Enter or Ctrl-J: a new line".to_string(), false)
            }
            _ => return (Vec::new(), false),
        };
        let width = usize::from(inner.saturating_sub(Self::LABEL_WIDTH)).max(8);
        (crate::text::wrap_all(&text, width), error)
    }

    /// The form's own error (a save refused), wrapped to the popup.
    fn error_lines(&self, inner: u16) -> Vec<String> {
        // A field's own problem is said under it already: the foot says only that it stopped the
        // save (a probe read a wrong date's three lines twice over).
        let inline = self.fields.iter().find(|f| {
            f.problem.as_ref().is_some_and(|p| self.error.as_deref() == Some(problem_said(f.label, p).as_str()))
        });
        let text = match (inline, &self.error) {
            (Some(field), _) => format!("! Not saved: {} above", field.label),
            (None, Some(e)) => format!("! {e}"),
            (None, None) => return Vec::new(),
        };
        crate::text::wrap_all(&text, usize::from(inner).max(8))
    }
}

/// A field's problem as the form's error says it when it stops a save: `error_lines` knows it by
/// this spelling and says it only under the field.
fn problem_said(label: &str, problem: &str) -> String {
    format!("{label}: {problem}")
}

/// A form's title within `room` columns: "what · account", the account's name kept (an id that
/// tells it apart cut from the left, "Meridian Foods (…2664)") and what the form does cut with
/// "…" (at 60 columns a probe read "Meridian Foods (91026", an id cut short without a sign).
fn fit_title(title: &str, room: usize) -> String {
    use crate::text::width;
    if width(title) <= room {
        return title.to_string();
    }
    let Some((what, account)) = title.rsplit_once(" · ") else { return crate::text::fit(title, room).into_owned() };
    // What the form does keeps a third of the room at least (a long account name left a probe
    // "Log sentime… · The Extraordinarily Long…"), or a word or so; the account has the rest.
    let what_room = width(what).min(room.saturating_sub(width(account) + 3).max(room / 3)).max(room.min(12));
    let account = crate::book::names::fit(account, room.saturating_sub(what_room + 3));
    let what = crate::text::fit(what, room.saturating_sub(width(&account) + 3));
    format!("{what} · {account}")
}

/// The options `from..to` shown around the chosen one within `room` columns (each takes its
/// width and a space either side): as many after it as fit, then before it.
fn choice_window(options: &[String], chosen: usize, room: usize) -> (usize, usize) {
    let width = |k: usize| options[k].chars().count() + 2;
    let (mut from, mut to) = (chosen, chosen + 1);
    let mut used = width(chosen);
    while to < options.len() && used + width(to) <= room {
        used += width(to);
        to += 1;
    }
    while from > 0 && used + width(from - 1) <= room {
        from -= 1;
        used += width(from);
    }
    (from, to)
}

/// The option letters typed pick, and the letters typed so far: the first option in the order
/// shown that starts with all of them, or failing that has a word that does ("risk" is "at
/// risk"), so "o" keeps "on track" and "of" is "off track";
/// the same letter again steps on to the next option with it ("o", "o": off track); a letter
/// that starts no option with those before it starts again from itself.
fn type_ahead(options: &[String], chosen: usize, typed: &str, c: char) -> (usize, String) {
    let n = options.len();
    let starts = |i: usize, prefix: &str| options[i].replace('_', " ").starts_with(prefix);
    // A word of it, where no option starts so: "risk" is "at risk".
    let has_word = |i: usize, prefix: &str| options[i].split(['_', ' ']).any(|w| w.starts_with(prefix));
    let find = |start: usize, prefix: &str, reads: &dyn Fn(usize, &str) -> bool| {
        (0..n).map(|k| (start + k) % n).find(|&i| reads(i, prefix))
    };
    let from = |start: usize, prefix: &str| find(start, prefix, &starts).or_else(|| find(start, prefix, &has_word));
    let c = c.to_ascii_lowercase();
    let longer = format!("{typed}{c}");
    // Letters typed afresh (or going on) pick from the top, in the order shown.
    if let Some(i) = from(0, &longer) {
        return (i, longer);
    }
    if !typed.is_empty() && typed.chars().all(|t| t == c) {
        let first = c.to_string();
        return (from(chosen + 1, &first).unwrap_or(chosen), longer);
    }
    let first = c.to_string();
    match from(0, &first) {
        Some(i) => (i, first),
        None => (chosen, String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    /// A goal's status chosen by its letters: "o" on "on_track" keeps it (a probe's "o" set a
    /// new goal off track), "of" is off track, the same letter again steps on, and an arrow
    /// starts over.
    #[test]
    fn a_choice_is_picked_by_the_letters_typed() {
        let statuses = crate::domain::goal::GoalStatus::ALL.iter().map(|s| s.key()).collect();
        let mut form = Form::new("Goal", vec![Field::choice("status", "Status", statuses, "on_track")]);
        let typed = |form: &mut Form, text: &str| {
            for c in text.chars() {
                form.handle_key(key(KeyCode::Char(c)));
            }
        };
        typed(&mut form, "o");
        assert_eq!(form.choice("status"), "on_track");
        typed(&mut form, "f");
        assert_eq!(form.choice("status"), "off_track");
        form.handle_key(key(KeyCode::Left));
        assert_eq!(form.choice("status"), "at_risk");
        typed(&mut form, "o");
        assert_eq!(form.choice("status"), "on_track", "the first with it in the order shown");
        typed(&mut form, "o");
        assert_eq!(form.choice("status"), "off_track", "the same letter again steps on");
        form.handle_key(key(KeyCode::Right));
        typed(&mut form, "d");
        assert_eq!(form.choice("status"), "dropped");
        typed(&mut form, "a");
        assert_eq!(form.choice("status"), "at_risk", "a letter no option goes on with starts over");
        typed(&mut form, "ch");
        assert_eq!(form.choice("status"), "achieved");
        typed(&mut form, "z");
        assert_eq!(form.choice("status"), "achieved", "a letter no option starts with changes nothing");
        // A word of an option: "risk" is at risk.
        form.handle_key(key(KeyCode::Right));
        typed(&mut form, "risk");
        assert_eq!(form.choice("status"), "at_risk");
        // Backspace starts the letters over ("of", Backspace twice, "a" was achieved).
        typed(&mut form, "of");
        form.handle_key(key(KeyCode::Backspace));
        form.handle_key(key(KeyCode::Backspace));
        typed(&mut form, "a");
        assert_eq!(form.choice("status"), "at_risk", "{:?}", form.choice("status"));
    }

    /// The empty snooze's hint gives a day the field takes, whatever today is.
    #[test]
    fn the_days_ahead_hint_gives_a_day_it_takes() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 21).unwrap();
        let empty = Field::new("days", "Snooze", FieldKind::DaysAhead { today, max: 365 }, "");
        let hint = empty.problem.clone().unwrap_or_default();
        assert!(hint.ends_with("+2w, 2027-01-04"), "{hint}");
        let typed = Field::new("days", "Snooze", FieldKind::DaysAhead { today, max: 365 }, "2027-01-04");
        assert_eq!(typed.problem, None);
    }

    #[test]
    fn a_refusal_names_the_field_as_the_form_labels_it() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let form = Form::new("Risk", vec![Field::date("closed", "Cleared", false, None, today)]);
        assert_eq!(
            form.in_its_words("closed: 2026-11-01 is before 2026-12-03"),
            "Cleared: 2026-11-01 is before 2026-12-03"
        );
        assert_eq!(form.in_its_words("note: too long"), "note: too long", "a key the form has not is left");
        assert_eq!(form.in_its_words("refused"), "refused");
        // An option of the command line the book's words name is the form's field.
        assert_eq!(
            form.in_its_words("Globex is Ben's account: a CSM clears risks only for themselves (--closed \"today\")"),
            "Globex is Ben's account: a CSM clears risks only for themselves (Cleared: \"today\")"
        );
    }

    fn form() -> Form {
        Form::new(
            "Sentiment",
            vec![
                Field::number("score", "Score", 1, 10, None),
                Field::text("note", "Note", false, ""),
                Field::date("date", "Date", true, Some("2026-11-23".parse().unwrap()), "2026-11-23".parse().unwrap()),
                Field::choice("kind", "Kind", vec!["call", "email", "meeting"], "email"),
            ],
        )
    }

    #[test]
    fn numbers_are_checked_as_you_type() {
        let mut f = form();
        assert!(f.fields[0].problem.is_some(), "empty score has a prompt");
        f.handle_key(key(KeyCode::Char('1')));
        assert_eq!(f.fields[0].problem, None);
        f.handle_key(key(KeyCode::Char('1')));
        assert_eq!(f.fields[0].problem.as_deref(), Some("11 is out of range 1-10"));
        assert_eq!(f.handle_key(key(KeyCode::Enter)), FormEvent::Nothing);
        assert!(f.error.as_deref().unwrap().contains("out of range"));
        f.handle_key(key(KeyCode::Backspace));
        assert_eq!(f.handle_key(key(KeyCode::Enter)), FormEvent::Submit);
        assert_eq!(f.number("score").unwrap(), 1);
    }

    #[test]
    fn dates_must_parse() {
        let mut f = form();
        f.focus = 2;
        f.handle_key(key(KeyCode::End));
        f.handle_key(key(KeyCode::Char('x')));
        assert!(f.fields[2].problem.as_deref().unwrap().contains("not a date"));
        f.handle_key(key(KeyCode::Backspace));
        assert_eq!(f.fields[2].problem, None);
    }

    #[test]
    fn choices_cycle_and_jump_by_letter() {
        let mut f = form();
        f.focus = 3;
        assert_eq!(f.choice("kind"), "email");
        f.handle_key(key(KeyCode::Right));
        assert_eq!(f.choice("kind"), "meeting");
        f.handle_key(key(KeyCode::Char('c')));
        assert_eq!(f.choice("kind"), "call");
        f.handle_key(key(KeyCode::Left));
        assert_eq!(f.choice("kind"), "meeting");
    }

    #[test]
    fn esc_cancels() {
        assert_eq!(form().handle_key(key(KeyCode::Esc)), FormEvent::Cancel);
    }

    #[test]
    fn a_prefilled_value_is_replaced_by_the_first_keystroke() {
        let mut f = form();
        f.focus = 2;
        // Typing replaces the day the form opened with, instead of appending to it.
        for c in "2026-11-20".chars() {
            f.handle_key(key(KeyCode::Char(c)));
        }
        assert_eq!(f.text("date"), "2026-11-20");
        // Arrows keep a pre-filled value and edit it.
        let mut g = form();
        g.focus = 2;
        g.handle_key(key(KeyCode::Left));
        g.handle_key(key(KeyCode::Backspace));
        g.handle_key(key(KeyCode::Char('4')));
        assert_eq!(g.text("date"), "2026-11-43");
        // Backspace on a pristine value clears it; Ctrl-U clears any.
        let mut h = form();
        h.focus = 2;
        h.handle_key(key(KeyCode::Backspace));
        assert_eq!(h.text("date"), "");
        h.handle_key(key(KeyCode::Char('9')));
        h.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!(h.text("date"), "");
    }

    #[test]
    fn problems_show_once_edited_or_after_a_save_was_tried() {
        let theme = Theme::plain();
        let draw = |f: &Form| {
            let area = Rect::new(0, 0, 70, 14);
            let mut buf = Buffer::empty(area);
            f.render(area, &mut buf, &theme);
            (0..area.height)
                .map(|y| (0..area.width).map(|x| buf[(x, y)].symbol().to_string()).collect::<String>())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let mut f = form();
        assert!(!draw(&f).contains("! type 1-10"), "{}", draw(&f));
        f.handle_key(key(KeyCode::Enter));
        assert!(draw(&f).contains("! type 1-10"), "{}", draw(&f));
        let mut g = form();
        g.handle_key(key(KeyCode::Char('0')));
        assert!(draw(&g).contains("! 0 is out of range 1-10"), "{}", draw(&g));
    }

    #[test]
    fn a_long_value_keeps_the_cursor_in_sight() {
        let theme = Theme::plain();
        let mut f = form();
        f.focus = 1;
        for c in "a long note that goes on well past the edge of the form, ending in ZZ".chars() {
            f.handle_key(key(KeyCode::Char(c)));
        }
        let area = Rect::new(0, 0, 70, 14);
        let mut buf = Buffer::empty(area);
        let cursor = f.render(area, &mut buf, &theme).expect("the focused field has a cursor");
        let popup = f.area(area);
        assert!(cursor.x < popup.right() - 1, "{cursor:?} inside {popup:?}");
        let row: String = (0..area.width).map(|x| buf[(x, cursor.y)].symbol().to_string()).collect();
        assert!(row.contains("ending in ZZ"), "{row}");
    }

    /// A problem or an error longer than the popup wraps under its field, whole, at 80 and at
    /// 60 columns, and the popup grows to hold it.
    #[test]
    fn long_problems_wrap_inside_the_popup() {
        let theme = Theme::plain();
        let mut f = form();
        f.focus = 2;
        f.handle_key(key(KeyCode::Char('E')));
        for c in "xec sponsor meeting".chars() {
            f.handle_key(key(KeyCode::Char(c)));
        }
        f.error =
            Some("renewal: the next renewal (2026-11-01) must be after 2026-12-02, the day it was renewed".into());
        for width in [80, 60] {
            let area = Rect::new(0, 0, width, 24);
            let mut buf = Buffer::empty(area);
            f.render(area, &mut buf, &theme);
            let popup = f.area(area);
            let inside: Vec<String> = (popup.y + 1..popup.bottom() - 1)
                .map(|y| (popup.x + 1..popup.right() - 1).map(|x| buf[(x, y)].symbol().to_string()).collect())
                .collect();
            let text = inside.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
            assert!(text.contains("is not a date: write YYYY-MM-DD"), "{width}: {inside:#?}");
            assert!(text.contains("after 2026-12-02, the day it was renewed"), "{width}: {inside:#?}");
        }
    }

    /// A title too long for the popup keeps the account, an id cut from the left, and cuts what
    /// the form does with "…".
    #[test]
    fn a_long_title_keeps_the_account() {
        let title = "New goal, in the customer's words · Meridian Foods (9102664)";
        assert_eq!(fit_title(title, 80), title);
        let fitted = fit_title(title, 56);
        assert!(crate::text::width(&fitted) <= 56, "{fitted}");
        assert!(fitted.ends_with(" · Meridian Foods (9102664)") && fitted.contains('…'), "{fitted}");
        let narrow = fit_title(title, 30);
        assert!(crate::text::width(&narrow) <= 30 && narrow.ends_with("(…2664)"), "{narrow}");
        // An account's name longer than the popup: what the form does is said whole.
        let long = "Log sentiment · The Extraordinarily Long Named Multinational Conglomerate of Everything";
        let fitted = fit_title(long, 56);
        assert!(crate::text::width(&fitted) <= 56 && fitted.starts_with("Log sentiment · The Extra"), "{fitted}");
    }

    /// A save stopped by a field's problem says the problem once, under the field; the foot
    /// says only that it was not saved, and where.
    #[test]
    fn a_fields_problem_is_said_once_when_a_save_is_stopped() {
        let theme = Theme::plain();
        let mut f = form();
        f.handle_key(key(KeyCode::Char('7')));
        f.focus = 2;
        f.handle_key(key(KeyCode::Char('E')));
        assert_eq!(f.handle_key(key(KeyCode::Enter)), FormEvent::Nothing);
        let area = Rect::new(0, 0, 80, 24);
        let mut buf = Buffer::empty(area);
        f.render(area, &mut buf, &theme);
        let text: String = (0..24).map(|y| (0..80).map(|x| buf[(x, y)].symbol()).collect::<String>() + "\n").collect();
        assert_eq!(text.matches("is not a date").count(), 1, "{text}");
        assert!(text.contains("! Not saved: Date above"), "{text}");
        // Another refusal (the book's) is said at the foot whole.
        f.error = Some("renewal: the next renewal must be after the day it was renewed".into());
        let mut buf = Buffer::empty(area);
        f.render(area, &mut buf, &theme);
        let text: String = (0..24).map(|y| (0..80).map(|x| buf[(x, y)].symbol()).collect::<String>() + "\n").collect();
        assert!(text.contains("! renewal: the next renewal must be after"), "{text}");
    }

    /// The day of something that happened says it is in the future as it is typed; a due day
    /// may be.
    #[test]
    fn a_day_that_happened_cannot_be_ahead() {
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        let mut f = Form::new(
            "Log",
            vec![
                Field::date("date", "Date", true, Some(today), today).happened(),
                Field::date("due", "Due", true, None, today),
            ],
        );
        for c in "tomorrow".chars() {
            f.handle_key(key(KeyCode::Char(c)));
        }
        assert_eq!(f.fields[0].problem.as_deref(), Some("2026-11-24 is in the future (today is 2026-11-23)"));
        f.handle_key(key(KeyCode::Tab));
        for c in "tomorrow".chars() {
            f.handle_key(key(KeyCode::Char(c)));
        }
        assert_eq!(f.fields[1].problem, None);
    }

    #[test]
    fn esc_asks_before_it_loses_typed_text() {
        let mut f = form();
        f.focus = 1;
        for c in "Champion moving to another team".chars() {
            f.handle_key(key(KeyCode::Char(c)));
        }
        assert_eq!(f.handle_key(key(KeyCode::Esc)), FormEvent::Nothing);
        assert!(f.error.as_deref().unwrap().contains("Esc again discards"));
        // Any other key keeps the text and asks again next time.
        f.handle_key(key(KeyCode::Char('.')));
        assert_eq!(f.handle_key(key(KeyCode::Esc)), FormEvent::Nothing);
        assert_eq!(f.handle_key(key(KeyCode::Esc)), FormEvent::Cancel);
        // Nothing typed: one Esc closes.
        assert_eq!(form().handle_key(key(KeyCode::Esc)), FormEvent::Cancel);
    }
}
