//! Tolerant parsing of the values spreadsheets and exports hold: money in any of its spellings,
//! percentages, numbers, and dates in ISO, US or European order.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::domain::Cents;

/// Which order an ambiguous date like 03/04/2026 is read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// Decide from the file, else as the book's earlier files showed: refuse if neither tells.
    Auto,
    /// Month first (US): 03/04/2026 is March 4.
    Mdy,
    /// Day first (European): 03/04/2026 is 3 April.
    Dmy,
}

impl DateOrder {
    /// As `--date-order` and the config write it.
    pub fn flag(self) -> &'static str {
        match self {
            DateOrder::Auto => "auto",
            DateOrder::Mdy => "mdy",
            DateOrder::Dmy => "dmy",
        }
    }

    /// As a sentence says it: "day-first", "month-first".
    pub fn words(self) -> &'static str {
        match self {
            DateOrder::Auto => "either way",
            DateOrder::Mdy => "month-first",
            DateOrder::Dmy => "day-first",
        }
    }

    /// The other of day-first and month-first (auto stays itself).
    pub fn other(self) -> DateOrder {
        match self {
            DateOrder::Auto => DateOrder::Auto,
            DateOrder::Mdy => DateOrder::Dmy,
            DateOrder::Dmy => DateOrder::Mdy,
        }
    }
}

/// The scale of a file's sentiments given as numbers: tend's own 1-10, or a 1-5 (a CRM's or a
/// survey's five faces) read onto it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum SentimentScale {
    /// 1-10, tend's own: read as written.
    #[default]
    #[value(name = "10")]
    Ten,
    /// 1-5: 1 -> 1, 2 -> 3, 3 -> 5, 4 -> 8, 5 -> 10.
    #[value(name = "5")]
    Five,
}

impl SentimentScale {
    /// 1-5 onto 1-10 as tend reads a CRM's words (neutral 5, positive 8), its ends to the ends: a
    /// probe's team rated 1-5, and their "5, very happy" scored as an unhappy 5 of 10.
    const FIVE_ON_TEN: [i64; 5] = [1, 3, 5, 8, 10];

    /// A sentiment the file gives as a number, on tend's 1-10; the reason where it is outside
    /// the file's scale.
    pub fn read(self, n: i64) -> Result<i64, String> {
        match self {
            SentimentScale::Ten => {
                crate::domain::input::check_score("score", Some(n), crate::domain::entry::SENTIMENT_RANGE)
                    .map(|()| n)
                    .map_err(|e| e.reason)
            }
            SentimentScale::Five => match usize::try_from(n - 1).ok().and_then(|i| Self::FIVE_ON_TEN.get(i)) {
                Some(on_ten) => Ok(*on_ten),
                None => Err(format!("{n} is out of range 1-5 (the file's scale, --sentiment-scale 5)")),
            },
        }
    }

    /// How the scale was read, for an import's summary; None for tend's own.
    pub fn said(self) -> Option<String> {
        match self {
            SentimentScale::Ten => None,
            SentimentScale::Five => {
                let each: Vec<String> =
                    Self::FIVE_ON_TEN.iter().enumerate().map(|(i, t)| format!("{} -> {t}", i + 1)).collect();
                Some(format!("sentiments read on a 1-5 scale onto tend's 1-10 ({})", each.join(", ")))
            }
        }
    }
}

pub use crate::domain::input::parse_number;

const CURRENCY_CODES: [&str; 10] = ["USD", "EUR", "GBP", "CHF", "CAD", "AUD", "JPY", "SEK", "NOK", "DKK"];

/// Money: "$12,000.50", "12.000,50 EUR", "€1.2k", "1.5M", "USD 300". Returns the amount and the
/// currency code when the text names one.
pub fn parse_money(text: &str) -> Result<(Cents, Option<&'static str>), String> {
    let (cents, currency) = plain_money(text).map_or_else(|| any_money(text), Ok)?;
    within_money_bound(cents)?;
    Ok((cents, currency))
}

/// The most one amount of money may be, in whole units: a hundred billion, more than any
/// contract in any currency tend reads (a hundred billion yen is some $650M). Beyond it an amount
/// is a slip (a probe's "99999999999999999999999" was kept as the largest number tend could hold,
/// and the CSM's ARR sum wrapped round to -$92 quadrillion).
pub const MAX_MONEY_UNITS: u64 = 100_000_000_000;

/// An amount within `MAX_MONEY_UNITS`, or why not.
pub fn within_money_bound(amount: Cents) -> Result<(), String> {
    match amount.0 as i128 > MAX_MONEY_UNITS as i128 * 100 {
        false => Ok(()),
        true => Err(format!(
            "more than tend takes for one amount of money ({}): a slip of the keyboard or the export?",
            crate::domain::account::thousands(MAX_MONEY_UNITS)
        )),
    }
}

/// The currency a column's header names by its symbol or code ("ARR (EUR)", "MRR in £",
/// "Annual revenue USD"); None when it names none.
pub fn currency_named_in(header: &str) -> Option<&'static str> {
    let by_symbol = CURRENCY_SYMBOLS.iter().find(|(symbol, _)| header.contains(symbol)).map(|(_, code)| *code);
    by_symbol.or_else(|| {
        header
            .split(|c: char| !c.is_ascii_alphabetic())
            .find_map(|word| CURRENCY_CODES.iter().find(|code| code.eq_ignore_ascii_case(word)).copied())
    })
}

const CURRENCY_SYMBOLS: [(&str, &str); 4] = [("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("¥", "JPY")];

/// Money in any spelling `parse_money` takes.
fn any_money(text: &str) -> Result<(Cents, Option<&'static str>), String> {
    let mut t = text.trim().to_string();
    let mut currency = None;
    for (symbol, code) in CURRENCY_SYMBOLS {
        if t.contains(symbol) {
            t = t.replace(symbol, "");
            currency = Some(code);
        }
    }
    let upper = t.to_uppercase();
    if let Some(code) = CURRENCY_CODES.iter().find(|c| upper.contains(**c)) {
        t = upper.replace(code, "");
        currency = Some(*code);
    }
    let t = t.trim();
    // In dollars and pounds a comma groups thousands and a point writes cents: "$2,49" is a slip
    // either way ($2.49 or $249), which the European reading took for $2.49 without a word (a
    // probe's $2,988 account read $29.88).
    if let (Some(code @ ("USD" | "GBP")), Some((whole, after))) = (currency, t.split_once(',')) {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if digits(whole) && digits(after) && after.len() < 3 {
            let sign = if code == "USD" { "$" } else { "£" };
            return Err(format!(
                "a comma before {} digit{}: in {} a comma groups thousands and a point writes cents \
                 (write {sign}{whole}.{after} or {sign}{whole}{after})",
                after.len(),
                if after.len() == 1 { "" } else { "s" },
                if code == "USD" { "dollars" } else { "pounds" }
            ));
        }
    }
    let (number, factor) = match t.chars().last() {
        Some('k' | 'K') => (&t[..t.len() - 1], 1_000.0),
        Some('m' | 'M') => (&t[..t.len() - 1], 1_000_000.0),
        _ => (t, 1.0),
    };
    // Money has at most two decimals in every currency a CRM writes: a single point followed
    // by three digits groups thousands ("EUR 46.000", "9.500 €": European), never a decimal
    // (it read 46 euros). A multiplier keeps the point a decimal ("€1.250k").
    let regrouped;
    let number = match thousands_point(number) {
        Some(whole) if factor == 1.0 => {
            regrouped = whole;
            regrouped.as_str()
        }
        _ => number,
    };
    let value = parse_number(number).ok_or_else(|| "not an amount of money".to_string())?;
    if value < 0.0 {
        return Err("a negative amount".into());
    }
    Ok((Cents::from_units(value * factor), currency))
}

/// "46.000" as "46000": one point, one to three digits before it and exactly three after, no
/// comma. None for any other spelling.
fn thousands_point(number: &str) -> Option<String> {
    let (whole, after) = number.trim().split_once('.')?;
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let fits = (1..=3).contains(&whole.len()) && after.len() == 3 && digits(whole) && digits(after);
    fits.then(|| format!("{whole}{after}"))
}

/// The spelling most exports use, read without allocating (an import reads a million): an
/// optional "$", digits in groups of three after the first when commas separate them, and an
/// optional decimal point ("$12,000.50", "250000", "99.5"). Anything else, or a point that
/// `parse_number` reads otherwise, is left to the general path.
fn plain_money(text: &str) -> Option<(Cents, Option<&'static str>)> {
    let t = text.trim();
    let (currency, number) = match t.strip_prefix('$') {
        Some(rest) => (Some("USD"), rest),
        None => (None, t),
    };
    let (whole, fraction) = match number.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (number, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mut groups = whole.split(',');
    let first = groups.next()?;
    let grouped = whole.contains(',');
    if !digits(first) || (grouped && first.len() > 3) || !groups.all(|g| g.len() == 3 && digits(g)) {
        return None;
    }
    match fraction {
        Some(f) if !digits(f) || (!grouped && f.len() == 3) => return None,
        _ => {}
    }
    // The digits without their commas, parsed as the general path parses its normal form.
    let mut normal = [0u8; 40];
    let mut len = 0;
    for b in number.bytes().filter(|b| *b != b',') {
        *normal.get_mut(len)? = b;
        len += 1;
    }
    let value: f64 = std::str::from_utf8(&normal[..len]).ok()?.parse().ok()?;
    value.is_finite().then(|| (Cents::from_units(value), currency))
}

/// The mark a file's numbers write decimals with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecimalMark {
    /// "1,500.25", "3.14": a point; a lone comma before three digits groups thousands.
    Point,
    /// "1.500,25", "12,5": a comma; a point groups thousands ("1.500" is 1500).
    Comma,
}

/// Which decimal mark a file's numbers use, surveyed over every number before any is read, as
/// the dates are: "1.500" is 1.5 in one file and 1500 in another (a probe's German usage export
/// wrote 1,500 logins "1.500", read as 1.5 without a word).
#[derive(Debug, Default)]
pub struct NumberSurvey {
    /// A number only a decimal comma reads: "12,5", "1.234,5", "1.200.000".
    comma: Option<CellExample>,
    /// A number only a decimal point reads: "3.14", "1,234.5", "0.125", "12,000,000".
    point: Option<CellExample>,
    /// "1.500": one point, one to three digits before it (not "0"), three after: 1.5 or 1500.
    ambiguous: Option<CellExample>,
}

/// What a file's number cells decide: the mark to read them with, and, where the file does not
/// say, the example read one way that could be read the other.
#[derive(Clone, Debug, PartialEq)]
pub struct NumberReading {
    pub mark: DecimalMark,
    /// The first number of the file that could be read the other way, when only the file's
    /// delimiter or the default chose.
    pub guessed: Option<CellExample>,
}

impl NumberSurvey {
    /// A number cell: its text, its line and its column's header.
    pub fn see(&mut self, text: &str, line: u64, column: &str) {
        let t = text.trim().trim_end_matches('%').trim_end();
        let t = t.strip_prefix(['-', '+']).unwrap_or(t);
        let (dots, commas) = t.bytes().fold((0, 0), |(d, c), b| match b {
            b'.' => (d + 1, c),
            b',' => (d, c + 1),
            _ => (d, c),
        });
        let after = |mark: char| t.rsplit(mark).next().map_or(0, str::len);
        let slot = match (dots, commas) {
            (0, 0) => return,
            (_, 0) if dots > 1 => &mut self.comma,
            (0, _) if commas > 1 => &mut self.point,
            (1, 0) if after('.') == 3 && !t.starts_with("0.") && t.find('.').is_some_and(|i| (1..=3).contains(&i)) => {
                &mut self.ambiguous
            }
            (1, 0) => &mut self.point,
            (0, 1) if after(',') == 3 => return, // "12,000": thousands in either reading's file
            (0, 1) => &mut self.comma,
            _ if t.rfind(',') > t.rfind('.') => &mut self.comma,
            _ => &mut self.point,
        };
        slot.get_or_insert_with(|| CellExample { text: text.trim().to_string(), line, column: column.into() });
    }

    /// The mark to read the file's numbers with: the one its numbers show; where they show
    /// none, a comma in a file whose cells `;` separates (as a spreadsheet in a decimal-comma
    /// language writes), else a point. Refused when the file shows both and has a number
    /// either could read.
    pub fn decide(&self, semicolons: bool) -> Result<NumberReading, String> {
        let reading = |mark, guessed: Option<&CellExample>| Ok(NumberReading { mark, guessed: guessed.cloned() });
        match (&self.comma, &self.point, &self.ambiguous) {
            (Some(c), Some(p), Some(a)) => Err(format!(
                "the file writes decimals with a comma ({c}) and with a point ({p}), so {a} could be read either way; write its numbers one way"
            )),
            (Some(_), None, _) => reading(DecimalMark::Comma, None),
            (None, Some(_), _) | (Some(_), Some(_), None) => reading(DecimalMark::Point, None),
            (None, None, a) if semicolons => reading(DecimalMark::Comma, a.as_ref()),
            (None, None, a) => reading(DecimalMark::Point, a.as_ref()),
        }
    }
}

/// A number read with the file's decimal mark (`NumberSurvey`); percentages as `parse_percent`.
pub fn parse_percent_as(text: &str, mark: DecimalMark) -> Option<f64> {
    let t = text.trim().trim_end_matches('%');
    match mark {
        DecimalMark::Point => parse_number(t),
        // A point groups thousands and a lone comma is the decimal mark, whatever follows it.
        DecimalMark::Comma if t.contains('.') && !t.contains(',') => {
            let (whole, groups) = t.trim().split_once('.')?;
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            let whole_digits = whole.trim_start_matches(['-', '+']);
            (digits(whole_digits) && whole_digits.len() <= 3 && groups.split('.').all(|g| g.len() == 3 && digits(g)))
                .then(|| parse_number(&t.replace('.', "")))?
        }
        DecimalMark::Comma if t.matches(',').count() == 1 && !t.contains('.') => parse_number(&t.replace(',', ".")),
        DecimalMark::Comma => parse_number(t),
    }
}

/// A percentage: "85%", "85 %", "85" and "0.85" are all read as written (85, 85, 85, 0.85).
pub fn parse_percent(text: &str) -> Option<f64> {
    parse_number(text.trim().trim_end_matches('%'))
}

/// How a date is written, before the file decides its order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// Year first: unambiguous.
    Iso(NaiveDate),
    /// a/b/yyyy (or with . or -): month and day in either order; `dotted` when points separate
    /// them, as only day-first countries write a date ("05.10.2026").
    Pair { a: u32, b: u32, year: i32, dotted: bool },
}

fn shape(text: &str) -> Option<Shape> {
    let t = text.trim();
    // ISO date or date-time (with T or a space, optional seconds, fraction and zone).
    let date_part = t.split(['T', ' ']).next().unwrap_or(t);
    if let Some(d) = crate::domain::input::iso_day(date_part.as_bytes()) {
        return Some(Shape::Iso(d));
    }
    // Year first only with the year in four digits: chrono's %Y reads "7" as the year 7, and
    // "7/5/25" (a short US date, July 5, 2025) became 0007-05-25.
    let year_first = date_part.split(['-', '/']).next().is_some_and(|y| y.len() == 4);
    if year_first && let Ok(d) = NaiveDate::parse_from_str(date_part, "%Y-%m-%d") {
        return Some(Shape::Iso(d));
    }
    if year_first && let Ok(dt) = NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S") {
        return Some(Shape::Iso(dt.date()));
    }
    if year_first && let Ok(d) = NaiveDate::parse_from_str(date_part, "%Y/%m/%d") {
        return Some(Shape::Iso(d));
    }
    // Seconds since 1970 (Stripe's and most APIs' exports: "1681813867"), ten digits from 2001
    // to 2036: refused as "not a date" under `--preset stripe`, a probe's whole file. The day in
    // UTC, as an export's "(UTC)" columns give it.
    if t.len() == 10
        && t.bytes().all(|b| b.is_ascii_digit())
        && let Some(at) = t
            .parse::<i64>()
            .ok()
            .filter(|s| (1_000_000_000..2_100_000_000).contains(s))
            .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
    {
        return Some(Shape::Iso(at.date_naive()));
    }
    // A month by its name ("Jul 03, 2023"): a day whatever the file's order.
    if t.bytes().any(|b| b.is_ascii_alphabetic())
        && let Some(d) = crate::domain::day_text::with_month_name(t)
    {
        return Some(Shape::Iso(d));
    }
    let parts: Vec<&str> = date_part.split(['/', '.', '-']).collect();
    if let [a, b, y] = parts.as_slice() {
        let (a, b, year) = (a.parse().ok()?, b.parse().ok()?, y.parse::<i32>().ok()?);
        let year = if y.len() == 2 { 2000 + year } else { year };
        if (1..=31).contains(&a) && (1..=31).contains(&b) && (1900..=2200).contains(&year) {
            return Some(Shape::Pair { a, b, year, dotted: date_part.contains('.') });
        }
    }
    None
}

/// Decides the order of every slashed date in a file at once, never row by row.
#[derive(Clone, Debug, Default)]
pub struct DateSurvey {
    /// A value whose first part is above 12: only day-first reads it.
    pub day_first_example: Option<CellExample>,
    /// A value whose second part is above 12: only month-first reads it.
    pub month_first_example: Option<CellExample>,
    /// A value either order reads.
    pub ambiguous_example: Option<CellExample>,
}

/// What a file's dates told of their order: the order they alone show (a day past 12 in one
/// place only), and a date either order reads, if any. A book keeps the order its files showed,
/// to read a later file whose dates cannot tell (a weekly file of the 6th of December, 12/06,
/// refused in a book whose first file was month-first: a probe's Wednesday).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DatesRead {
    pub shown: Option<DateOrder>,
    pub ambiguous: Option<CellExample>,
}

/// The order a book's earlier file showed (`DatesRead::shown`), kept in the book, and that file.
#[derive(Clone, Debug, PartialEq)]
pub struct KeptDateOrder {
    pub order: DateOrder,
    pub file: String,
}

impl KeptDateOrder {
    /// As the book keeps it: the order, a tab, the file.
    pub fn to_text(&self) -> String {
        format!("{}\t{}", self.order.flag(), self.file)
    }

    /// Read back; None for anything not written by `to_text` (an order of auto is never kept).
    pub fn from_text(text: &str) -> Option<KeptDateOrder> {
        let (order, file) = text.split_once('\t')?;
        let order = [DateOrder::Dmy, DateOrder::Mdy].into_iter().find(|o| o.flag() == order)?;
        Some(KeptDateOrder { order, file: file.to_string() })
    }
}

/// A value as the file has it, and where: an error about the file's dates or numbers points at
/// one.
#[derive(Clone, Debug, PartialEq)]
pub struct CellExample {
    pub text: String,
    pub line: u64,
    pub column: String,
}

impl std::fmt::Display for CellExample {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} on line {}, column \"{}\"", self.text, self.line, self.column)
    }
}

impl DateSurvey {
    /// A cell of a date column: its text, its line and its column's header.
    pub fn see(&mut self, text: &str, line: u64, column: &str) {
        if let Some(Shape::Pair { a, b, dotted, .. }) = shape(text) {
            // 12/12/2026 reads the same either way: no evidence of an order, nor a doubt.
            if a == b {
                return;
            }
            let slot = if a > 12 || (dotted && b <= 12) {
                &mut self.day_first_example
            } else if b > 12 {
                &mut self.month_first_example
            } else {
                &mut self.ambiguous_example
            };
            slot.get_or_insert_with(|| CellExample { text: text.trim().to_string(), line, column: column.into() });
        }
    }

    /// What the file's own dates say of their order, for the book to keep (`DatesRead`).
    pub fn read(&self) -> DatesRead {
        let shown = match (&self.day_first_example, &self.month_first_example) {
            (Some(_), None) => Some(DateOrder::Dmy),
            (None, Some(_)) => Some(DateOrder::Mdy),
            _ => None,
        };
        DatesRead { shown, ambiguous: self.ambiguous_example.clone() }
    }

    /// The order to read the file's dates in, or the import's error naming `file`.
    pub fn decide_for(&self, file: &str, configured: DateOrder) -> Result<DateOrder, super::ImportError> {
        self.decide(configured).map_err(|reason| super::ImportError::Dates {
            file: file.to_string(),
            reason,
            undecided: self.day_first_example.is_none() && self.month_first_example.is_none(),
        })
    }

    /// The order to read the file's dates in, or why it cannot be chosen.
    pub fn decide(&self, configured: DateOrder) -> Result<DateOrder, String> {
        match (&self.day_first_example, &self.month_first_example) {
            // Told which order the file is in, with dates in that order to bear it out: the
            // others are bad values on their own rows (a probe's one day-first renewal among
            // month-first dates refused the whole file, --date-order mdy and --skip-bad-rows too).
            (Some(_), Some(_)) if configured != DateOrder::Auto => Ok(configured),
            (Some(d), Some(m)) => Err(format!(
                "the file mixes day-first ({d}) and month-first ({m}) dates; make them consistent, or pass --date-order \
                 dmy or mdy to read them one way (the others are then bad rows, which --skip-bad-rows leaves out)"
            )),
            (Some(d), None) if configured == DateOrder::Mdy => {
                Err(format!("import.date_order is \"mdy\" but the file has day-first dates ({d})"))
            }
            (None, Some(m)) if configured == DateOrder::Dmy => {
                Err(format!("import.date_order is \"dmy\" but the file has month-first dates ({m})"))
            }
            (Some(_), None) => Ok(DateOrder::Dmy),
            (None, Some(_)) => Ok(DateOrder::Mdy),
            (None, None) => match (&self.ambiguous_example, configured) {
                (Some(example), DateOrder::Auto) => Err(format!(
                    "dates like {example} could be day-first or month-first; pass --date-order dmy or mdy, or set import.date_order = \"dmy\" or \"mdy\" in the config"
                )),
                _ => Ok(configured),
            },
        }
    }
}

/// A date, its order decided for the whole file beforehand.
pub fn parse_date(text: &str, order: DateOrder) -> Result<NaiveDate, String> {
    // Written as a date should be, but no day of the calendar: said so, not that the form is wrong.
    let iso_shaped = |t: &str| {
        let b = t.trim().as_bytes();
        b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    };
    let bad = || match order {
        _ if iso_shaped(text) => {
            let t = text.trim();
            let (y, m, d) = (t[..4].parse().ok(), t[5..7].parse().unwrap_or(0), t[8..].parse().unwrap_or(0));
            crate::domain::day_text::no_such_day(y, m, d).unwrap_or_else(|| {
                "no such day in the calendar (a month is 01-12, and a day one the month has)".to_string()
            })
        }
        DateOrder::Dmy => "not a date (use YYYY-MM-DD, DD/MM/YYYY or Jul 3, 2026)".to_string(),
        DateOrder::Mdy => "not a date (use YYYY-MM-DD, MM/DD/YYYY or Jul 3, 2026)".to_string(),
        DateOrder::Auto => "not a date (use YYYY-MM-DD or Jul 3, 2026)".to_string(),
    };
    match shape(text).ok_or_else(bad)? {
        Shape::Iso(d) => Ok(d),
        Shape::Pair { a, b, year, .. } => {
            // Only the other order reads it: said so, with the order the file is read in.
            match order {
                DateOrder::Mdy if a > 12 && b <= 12 && NaiveDate::from_ymd_opt(year, b, a).is_some() => {
                    return Err("a day-first date, but the file's dates are read month-first (MM/DD/YYYY)".into());
                }
                DateOrder::Dmy if b > 12 && a <= 12 && NaiveDate::from_ymd_opt(year, a, b).is_some() => {
                    return Err("a month-first date, but the file's dates are read day-first (DD/MM/YYYY)".into());
                }
                _ => {}
            }
            let (month, day) = if order == DateOrder::Dmy { (b, a) } else { (a, b) };
            // Written in the file's order but no day of the calendar (31/02/2026): said so, not
            // that it should be written in the order it is written in.
            NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| match order {
                DateOrder::Dmy | DateOrder::Mdy => {
                    crate::domain::day_text::no_such_day(Some(year), month, day).unwrap_or_else(bad)
                }
                _ => bad(),
            })
        }
    }
}

/// A cell a spreadsheet or an export fills where there is no value: "N/A", "#N/A", "null", "-".
/// In a metrics file it is a sample not taken, as a blank cell is.
pub fn says_no_value(text: &str) -> bool {
    let t = text.trim();
    ["n/a", "na", "#n/a", "null", "none", "nan", "tbd", "-", "—", "–"]
        .iter()
        .any(|marker| t.eq_ignore_ascii_case(marker))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The quick path reads what it takes exactly as the general one does.
        #[test]
        fn plain_money_agrees_with_the_general_path(text in "[$]?[0-9,.]{0,14}") {
            if let Some(quick) = plain_money(&text) {
                proptest::prop_assert_eq!(Ok(quick), any_money(&text));
            }
        }
    }

    #[test]
    fn plain_money_takes_the_common_spellings_and_leaves_the_rest() {
        assert_eq!(plain_money("$12,000.50"), Some((Cents(1_200_050), Some("USD"))));
        assert_eq!(plain_money(" 250000 "), Some((Cents(25_000_000), None)));
        assert_eq!(plain_money("1,234,567.891"), Some((Cents(123_456_789), None)));
        for other in ["1.200", "12,5", "12.", "$", "", "1,23", "1234,567", "€1.2k", "-5", "$ 12", "1.2.3"] {
            assert_eq!(plain_money(other), None, "{other}");
        }
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Seconds since 1970, as an API's export gives its days: the day in UTC; ten digits only,
    /// from 2001 to 2036.
    #[test]
    fn a_unix_timestamp_is_its_day_in_utc() {
        assert_eq!(parse_date("1681813867", DateOrder::Auto), Ok(d("2023-04-18")));
        assert_eq!(parse_date(" 1764547199 ", DateOrder::Dmy), Ok(d("2025-11-30")));
        for not in ["2200000000", "168181386", "99999999999", "0999999999"] {
            assert!(parse_date(not, DateOrder::Auto).is_err(), "{not}");
        }
    }

    #[test]
    fn numbers_in_every_spelling() {
        assert_eq!(parse_number("12,000.50"), Some(12000.5));
        assert_eq!(parse_number("12.000,50"), Some(12000.5));
        assert_eq!(parse_number("12,000"), Some(12000.0));
        assert_eq!(parse_number("1.200.000"), Some(1_200_000.0));
        assert_eq!(parse_number("12,5"), Some(12.5));
        assert_eq!(parse_number("3.25"), Some(3.25));
        assert_eq!(parse_number("1 200"), Some(1200.0));
        assert_eq!(parse_number("-7"), Some(-7.0));
        assert_eq!(parse_number("12abc"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number(","), None);
        // A single point is a decimal point; marks that group badly are no number.
        assert_eq!(parse_number("1.234"), Some(1.234));
        assert_eq!(parse_number("1,234,567.5"), Some(1_234_567.5));
        for bad in ["12.5.3", "1.2.3.4", "1,2,3", "..5", "12,34.5", "1.234.5", "1,5.000,3"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn money_in_every_spelling() {
        assert_eq!(parse_money("$12,000.50").unwrap(), (Cents(1_200_050), Some("USD")));
        assert_eq!(parse_money("12.000,50 EUR").unwrap(), (Cents(1_200_050), Some("EUR")));
        assert_eq!(parse_money("€1.2k").unwrap(), (Cents(120_000), Some("EUR")));
        assert_eq!(parse_money("1.5M").unwrap(), (Cents(150_000_000), None));
        assert_eq!(parse_money("300").unwrap(), (Cents(30_000), None));
        assert!(parse_money("-5").unwrap_err().contains("negative"));
        assert!(parse_money("lots").is_err());
        // Three digits after a single point group thousands in money (European), as no currency
        // has three decimals; two or one are decimals; a multiplier keeps the point a decimal.
        assert_eq!(parse_money("EUR 46.000").unwrap(), (Cents(4_600_000), Some("EUR")));
        assert_eq!(parse_money("9.500 €").unwrap(), (Cents(950_000), Some("EUR")));
        assert_eq!(parse_money("$1.500").unwrap(), (Cents(150_000), Some("USD")));
        assert_eq!(parse_money("99.50").unwrap(), (Cents(9_950), None));
        assert_eq!(parse_money("€1.250k").unwrap(), (Cents(125_000), Some("EUR")));
        assert_eq!(parse_money("1.234.567 EUR").unwrap(), (Cents(123_456_700), Some("EUR")));
        // A comma before cents is European in euros, and a slip in dollars or pounds.
        assert_eq!(parse_money("2,49 €").unwrap(), (Cents(249), Some("EUR")));
        let slip = parse_money("$2,49").unwrap_err();
        assert!(
            slip.contains("a comma before 2 digits: in dollars") && slip.ends_with("(write $2.49 or $249)"),
            "{slip}"
        );
        assert!(parse_money("£12,5").unwrap_err().contains("in pounds"));
        assert_eq!(parse_money("$1,250").unwrap(), (Cents(125_000), Some("USD")));
    }

    /// The decimal mark a file's numbers show decides how "1.500" is read; where they show
    /// none, a file `;` separates reads it as thousands, any other as 1.5, and says which.
    #[test]
    fn a_files_numbers_decide_its_decimal_mark() {
        let survey = |cells: &[&str]| {
            let mut s = NumberSurvey::default();
            cells.iter().enumerate().for_each(|(i, c)| s.see(c, i as u64 + 2, "Logins"));
            s
        };
        let mark = |cells: &[&str], semicolons: bool| survey(cells).decide(semicolons).map(|r| r.mark);
        assert_eq!(mark(&["21", "1.500", "12,5"], false), Ok(DecimalMark::Comma));
        assert_eq!(mark(&["1.500", "1.200.000"], false), Ok(DecimalMark::Comma));
        assert_eq!(mark(&["1.500", "3.14"], true), Ok(DecimalMark::Point));
        assert_eq!(mark(&["1.500", "0.125"], true), Ok(DecimalMark::Point), "0.125 groups nothing");
        assert_eq!(mark(&["1.500", "1,234.5"], true), Ok(DecimalMark::Point));
        // "12,000" is thousands in either: it decides nothing.
        assert_eq!(mark(&["1.500", "12,000"], false), Ok(DecimalMark::Point));
        // Nothing but "1.500": the delimiter chooses, and the reading says which number it guessed.
        let guessed = survey(&["21", "1.500", "4.520"]).decide(true).unwrap();
        assert_eq!(guessed.mark, DecimalMark::Comma);
        assert_eq!(guessed.guessed.map(|e| (e.text, e.line)), Some(("1.500".to_string(), 3)));
        assert_eq!(mark(&["21", "1.500"], false), Ok(DecimalMark::Point));
        assert!(survey(&["21", "3.5"]).decide(true).unwrap().guessed.is_none(), "nothing to guess");
        // Both marks and a number either reads: refused, naming all three.
        let refused = mark(&["12,5", "3.14", "1.500"], false).unwrap_err();
        assert!(
            refused.contains("12,5") && refused.contains("3.14") && refused.contains("1.500 on line 4"),
            "{refused}"
        );
        // Both marks and nothing either reads: each number as it is written.
        assert_eq!(mark(&["12,5", "3.14"], false), Ok(DecimalMark::Point));
    }

    #[test]
    fn numbers_read_with_the_files_decimal_mark() {
        use DecimalMark::{Comma, Point};
        for (text, mark, value) in [
            ("1.500", Comma, Some(1500.0)),
            ("1.500", Point, Some(1.5)),
            ("1.234.567", Comma, Some(1_234_567.0)),
            ("12,5", Comma, Some(12.5)),
            ("12,000", Comma, Some(12.0)),
            ("12,000", Point, Some(12000.0)),
            ("1.234,5", Comma, Some(1234.5)),
            ("85,5%", Comma, Some(85.5)),
            ("-1.500", Comma, Some(-1500.0)),
            ("21", Comma, Some(21.0)),
            ("1.50", Comma, None),
            ("12.5.3", Comma, None),
        ] {
            assert_eq!(parse_percent_as(text, mark), value, "{text} with {mark:?}");
        }
    }

    #[test]
    fn a_header_names_a_currency_by_symbol_or_code() {
        for (header, code) in [
            ("ARR (EUR)", Some("EUR")),
            ("MRR in £", Some("GBP")),
            ("Annual revenue usd", Some("USD")),
            ("ARR_CHF", Some("CHF")),
            ("ARR", None),
            ("Seats used", None),
            ("Eurozone ARR", None),
        ] {
            assert_eq!(currency_named_in(header), code, "{header}");
        }
    }

    #[test]
    fn percentages() {
        assert_eq!(parse_percent("85%"), Some(85.0));
        assert_eq!(parse_percent("85 %"), Some(85.0));
        assert_eq!(parse_percent("12,5%"), Some(12.5));
    }

    #[test]
    fn iso_dates_and_date_times_need_no_order() {
        for t in ["2026-03-04", "2026-03-04T10:00:00Z", "2026-03-04 10:00", "2026-03-04 10:00:00", "2026/03/04"] {
            assert_eq!(parse_date(t, DateOrder::Auto).unwrap(), d("2026-03-04"), "{t}");
        }
    }

    #[test]
    fn a_day_the_month_has_not_is_said_as_such() {
        assert_eq!(parse_date("31/02/2026", DateOrder::Dmy).unwrap_err(), "February 2026 has no day 31 (it has 28)");
        assert_eq!(parse_date("02/30/2028", DateOrder::Mdy).unwrap_err(), "February 2028 has no day 30 (it has 29)");
        // The same words as a form's, for a day written in full.
        assert_eq!(parse_date("2026-02-31", DateOrder::Auto).unwrap_err(), "February 2026 has no day 31 (it has 28)");
        assert_eq!(parse_date("2026-13-01", DateOrder::Auto).unwrap_err(), "there is no month 13");
        assert!(parse_date("soon", DateOrder::Dmy).unwrap_err().starts_with("not a date"));
    }

    #[test]
    fn slashed_dates_follow_the_file_order() {
        assert_eq!(parse_date("03/04/2026", DateOrder::Mdy).unwrap(), d("2026-03-04"));
        assert_eq!(parse_date("03/04/2026", DateOrder::Dmy).unwrap(), d("2026-04-03"));
        assert_eq!(parse_date("04.03.26", DateOrder::Dmy).unwrap(), d("2026-03-04"));
        // A year in two digits, a month or day in one: never the year 7 (it read 0007-05-25).
        assert_eq!(parse_date("7/5/25", DateOrder::Mdy).unwrap(), d("2025-07-05"));
        assert_eq!(parse_date("12/2/20", DateOrder::Mdy).unwrap(), d("2020-12-02"));
        assert_eq!(parse_date("7-5-25", DateOrder::Dmy).unwrap(), d("2025-05-07"));
        assert_eq!(parse_date("2025/7/5", DateOrder::Dmy).unwrap(), d("2025-07-05"));
        assert!(parse_date("13/13/2026", DateOrder::Mdy).is_err());
        assert!(parse_date("soon", DateOrder::Mdy).is_err());
    }

    #[test]
    fn the_survey_decides_once_for_the_file() {
        let mut s = DateSurvey::default();
        s.see("03/04/2026", 2, "Customer since");
        assert!(s.decide(DateOrder::Auto).unwrap_err().contains("import.date_order"));
        assert_eq!(s.decide(DateOrder::Dmy).unwrap(), DateOrder::Dmy);
        s.see("25/04/2026", 3, "Renewal date");
        assert_eq!(s.decide(DateOrder::Auto).unwrap(), DateOrder::Dmy);
        assert!(s.decide(DateOrder::Mdy).is_err());
        s.see("04/25/2026", 9, "Customer since");
        assert_eq!(
            s.decide(DateOrder::Auto).unwrap_err(),
            "the file mixes day-first (25/04/2026 on line 3, column \"Renewal date\") and month-first \
             (04/25/2026 on line 9, column \"Customer since\") dates; make them consistent, or pass --date-order dmy \
             or mdy to read them one way (the others are then bad rows, which --skip-bad-rows leaves out)"
        );
        // Told the order, with dates in it to bear it out: the others are bad values of their own.
        assert_eq!(s.decide(DateOrder::Mdy), Ok(DateOrder::Mdy));
        assert_eq!(s.decide(DateOrder::Dmy), Ok(DateOrder::Dmy));
        assert_eq!(
            parse_date("25/04/2026", DateOrder::Mdy).unwrap_err(),
            "a day-first date, but the file's dates are read month-first (MM/DD/YYYY)"
        );
        assert_eq!(
            parse_date("04/25/2026", DateOrder::Dmy).unwrap_err(),
            "a month-first date, but the file's dates are read day-first (DD/MM/YYYY)"
        );
        assert!(parse_date("31/02/2026", DateOrder::Mdy).unwrap_err().contains("month"), "no day either way");
        let mut iso = DateSurvey::default();
        iso.see("2026-03-04", 2, "Day");
        assert_eq!(iso.decide(DateOrder::Auto).unwrap(), DateOrder::Auto);
        // A day and month alike read the same either way: no doubt to settle.
        let mut same = DateSurvey::default();
        same.see("12/12/2026", 2, "Date");
        same.see("1/1/2027", 3, "Date");
        assert_eq!(same.decide(DateOrder::Auto).unwrap(), DateOrder::Auto);
        assert_eq!(parse_date("12/12/2026", DateOrder::Auto), Ok(NaiveDate::from_ymd_opt(2026, 12, 12).unwrap()));
    }
}
