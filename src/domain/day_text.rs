//! Days as people type them: `2026-12-04`, `today`, `yesterday`, `tomorrow`, `-3d`, `+2w`, `+1m`,
//! `fri` (the next Friday; the last one for something that has happened), `next fri` (next
//! week's), `last fri`, `next week`, `next month`, `mar 31`, `31 march 2027`, `3/31` or
//! `31/3/2027` (a day and month either way round where only one reading is a day), `5.12.2026`
//! (points: day first), `q1`, `end of q1`, `q1 2027` (a quarter's last day: a goal's target "by
//! Q1"; without a year, the next such day from today), `next quarter`, `end of month`, `eoy` (the
//! period's last day). One parser
//! for every `--date`, `--until`, `--due` and every date field of the TUI's forms.

use chrono::{Datelike, Duration, Months, NaiveDate, Weekday};

/// What the parser understands, for error messages.
pub const FORMS: &str = "YYYY-MM-DD, today, yesterday, tomorrow, -3d, +2w, +1m, fri, last fri, next week, next month, mar 31, 31/3, q1, next quarter, end of march";

/// `day`, or the Monday after it when it falls on a weekend: when a task falls due, when a snooze
/// ends (a week's snooze from a Sunday came back on a Sunday).
pub fn off_weekend(day: NaiveDate) -> NaiveDate {
    day + Duration::days(match day.weekday() {
        Weekday::Sat => 2,
        Weekday::Sun => 1,
        _ => 0,
    })
}

/// The day `text` names, counted from `today`; None when it names none.
pub fn parse(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    parse_picking(text, today, Pick::Nearest)
}

/// The day `text` names for something that has happened (a call, a bug closed): a month and a
/// day without a year is the last such day up to today ("mar 31" typed in December is this
/// year's, not next year's nearer one), and a weekday alone the last one ("mon": this week's
/// Monday, or today).
pub fn parse_past(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    parse_picking(text, today, Pick::NotAfterToday)
}

/// Which year a month and a day without one is read in.
#[derive(Clone, Copy)]
enum Pick {
    Nearest,
    NotAfterToday,
}

fn parse_picking(text: &str, today: NaiveDate, pick: Pick) -> Option<NaiveDate> {
    let t = text.trim().to_lowercase();
    if let Some(day) = full_day(&t) {
        return Some(day);
    }
    match t.as_str() {
        "today" | "now" => return Some(today),
        "yesterday" => return today.pred_opt(),
        "tomorrow" => return today.succ_opt(),
        "next week" => return today.checked_add_signed(Duration::days(7)),
        "last week" => return today.checked_sub_signed(Duration::days(7)),
        "next month" => return today.checked_add_months(Months::new(1)),
        "last month" => return today.checked_sub_months(Months::new(1)),
        "next year" => return today.checked_add_months(Months::new(12)),
        _ => {}
    }
    // A weekday alone is the next one, but for something that has happened the last one, today
    // included: "mon" for a risk raised gave next Monday, and "in the future".
    if let (Pick::NotAfterToday, Ok(wanted)) = (pick, t.parse::<Weekday>()) {
        return today.iter_days().rev().take(7).find(|d| d.weekday() == wanted);
    }
    if let Some(day) = weekday(&t, today) {
        return Some(day);
    }
    if let Some(day) = month_and_day(&t, today, pick) {
        return Some(day);
    }
    if let (Pick::Nearest, Some(day)) = (pick, quarter_end(&t, today).or_else(|| period_end(&t, today))) {
        return Some(day);
    }
    offset(&t, today)
}

/// `this quarter`, `next quarter`, `end of month`, `eoy`, `end of march` and the like: the period's last day, as
/// a goal "by next quarter" is due by its end (a probe's "next quarter" was refused beside `q1`).
fn period_end(t: &str, today: NaiveDate) -> Option<NaiveDate> {
    let t = t.strip_prefix("by ").unwrap_or(t).trim();
    let (end_of, t) = match t.strip_prefix("end of ") {
        Some(rest) => (true, rest.trim()),
        None => (false, t),
    };
    let (months, ahead) = match t {
        "month" | "this month" | "eom" => (1, 0),
        "quarter" | "this quarter" | "eoq" => (3, 0),
        "next quarter" => (3, 1),
        "year" | "this year" | "eoy" => (12, 0),
        // A month alone ("mar") could be its start as well: its end is said so.
        _ if end_of => return month_end(t, today),
        _ => return None,
    };
    // The first month of the period today is in, then `ahead` periods on; its last day is the
    // day before the period after it starts.
    let month0 = (today.month0() / months) * months;
    let start = NaiveDate::from_ymd_opt(today.year(), month0 + 1, 1)?;
    start.checked_add_months(Months::new(months * (ahead + 1)))?.pred_opt()
}

/// `march` or `march 2027` after "end of": the month's last day, the first such from today on
/// without a year (a probe's goal "end of March" typed in December was refused).
fn month_end(t: &str, today: NaiveDate) -> Option<NaiveDate> {
    let words: Vec<&str> = t.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    let (month, year) = match words.as_slice() {
        [m] => (by_month_name(m)?, None),
        [m, y] => (by_month_name(m)?, Some(y.parse::<i32>().ok().filter(|y| (1900..=2200).contains(y))?)),
        _ => return None,
    };
    let end = |year: i32| NaiveDate::from_ymd_opt(year, month, 1)?.checked_add_months(Months::new(1))?.pred_opt();
    match year {
        Some(y) => end(y),
        None => end(today.year()).filter(|d| *d >= today).or_else(|| end(today.year() + 1)),
    }
}

/// `q1`, `end of q1`, `q1 2027`, `2027 q1`, `q1-27`: the quarter's last day (a goal "by Q1" is
/// due by its end). Without a year, the first such day from today on (Q1 typed in December is
/// next year's March 31).
fn quarter_end(t: &str, today: NaiveDate) -> Option<NaiveDate> {
    let t = t.strip_prefix("end of ").unwrap_or(t).trim();
    let words: Vec<&str> = t.split([' ', '-', '\'', '/']).filter(|w| !w.is_empty()).collect();
    let (q, year) = match words.as_slice() {
        [q] => (*q, None),
        [q, y] if q.starts_with('q') => (*q, Some(*y)),
        [y, q] if q.starts_with('q') => (*q, Some(*y)),
        _ => return None,
    };
    let n: u32 = q.strip_prefix('q')?.parse().ok().filter(|n| (1..=4).contains(n))?;
    let end = |year: i32| {
        NaiveDate::from_ymd_opt(year, n * 3 + 1, 1).map_or(NaiveDate::from_ymd_opt(year, 12, 31), |d| d.pred_opt())
    };
    match year {
        Some(y) => {
            let y: i32 = y.parse().ok()?;
            let y = match y {
                0..=99 => 2000 + y,
                1000..=9999 => y,
                _ => return None,
            };
            end(y)
        }
        None => end(today.year()).filter(|d| *d >= today).or_else(|| end(today.year() + 1)),
    }
}

/// `mar 31`, `31 mar`, `march 31, 2027`, `3/31`, `31/3/2027`, `2027/3/31`. Without a year, the
/// one of those days nearest to today (a due date in March typed in December is next year's, a
/// call on Nov 20 typed on Dec 3 this year's). Day and month in numbers are read either way round
/// only where one reading alone is a day: `3/4` is refused, not guessed.
fn month_and_day(t: &str, today: NaiveDate, pick: Pick) -> Option<NaiveDate> {
    let words: Vec<&str> = t.split([' ', ',', '/', '.']).filter(|w| !w.is_empty()).collect();
    // "4th", "1st": the day's number.
    let number = day_number;
    // 31/3 and 31.3.2027 alike.
    let numeric = t.contains(['/', '.']);
    let by_name = by_month_name;
    let (month, day, year) = match words.as_slice() {
        [a, b] | [a, b, _] if by_name(a).is_some() => (by_name(a)?, number(b)?, words.get(2)),
        [a, b] | [a, b, _] if by_name(b).is_some() => (by_name(b)?, number(a)?, words.get(2)),
        [y, m, d] if numeric && y.len() == 4 => (number(m)?, number(d)?, Some(y)),
        [a, b] | [a, b, _] if numeric => {
            let (a, b) = (number(a)?, number(b)?);
            // Points part a day and a month only where the day comes first ("05.12.2026" is 5
            // December): never a guess. A probe's German "05.12.2026" was refused while
            // "13.11.2026" was taken.
            let dotted = t.contains('.') && !t.contains('/');
            match (a <= 12, b <= 12) {
                _ if dotted => (b, a, words.get(2)),
                (true, false) => (a, b, words.get(2)),
                (false, true) => (b, a, words.get(2)),
                _ => return None,
            }
        }
        _ => return None,
    };
    match year {
        Some(y) => {
            let y: i32 = y.parse().ok().filter(|y: &i32| (1900..=2200).contains(y))?;
            NaiveDate::from_ymd_opt(y, month, day)
        }
        None => {
            // This year's, last year's and next year's: the nearest to today, or the last up to it.
            let days = (-1..=1).filter_map(|k| NaiveDate::from_ymd_opt(today.year() + k, month, day));
            match pick {
                Pick::Nearest => days.min_by_key(|d| (*d - today).num_days().abs()),
                Pick::NotAfterToday => days.filter(|d| *d <= today).max(),
            }
        }
    }
}

/// A whole day written with its month's name, as CRM exports write them: `Jul 03, 2023`,
/// `July 3, 2023`, `3 Jul 2023`, `03-Jul-23`, `2023-Jul-03`, `Mon, Jul 3, 2023 10:15 AM`
/// (a weekday and a time of day are passed over). The year is needed: a file's day is no guess.
pub fn with_month_name(text: &str) -> Option<NaiveDate> {
    let lower = text.trim().to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split([' ', ',', '-', '/', '.'])
        .filter(|w| !w.is_empty() && !w.contains(':') && !matches!(*w, "am" | "pm" | "utc"))
        .filter(|w| w.parse::<Weekday>().is_err() || by_month_name(w).is_some())
        .collect();
    let [_, _, _] = words.as_slice() else { return None };
    let at = words.iter().position(|w| by_month_name(w).is_some())?;
    let month = by_month_name(words[at])?;
    let rest: Vec<&str> = words.iter().enumerate().filter(|(i, _)| *i != at).map(|(_, w)| *w).collect();
    let number = day_number;
    // The year is the part of four digits; else the last, in two ("03-Jul-23").
    let (day, year) = match (rest[0].len(), rest[1].len()) {
        (4, _) => (number(rest[1])?, rest[0]),
        (_, 4) | (_, 2) if at < 2 => (number(rest[0])?, rest[1]),
        _ => return None,
    };
    let year: i32 = match year.len() {
        2 => 2000 + year.parse::<i32>().ok()?,
        _ => year.parse().ok()?,
    };
    (1900..=2200).contains(&year).then_some(())?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// A month written without a day, as monthly exports date their rows: "2025-12", "2025/12",
/// "Dec 2025", "December 2025": its first day. None for anything else (a day, a year alone).
pub fn month_start(text: &str) -> Option<NaiveDate> {
    let t = text.trim().to_ascii_lowercase();
    let numeric = t.split_once(['-', '/']).and_then(|(y, m)| {
        let digits =
            |s: &str, n: std::ops::RangeInclusive<usize>| n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        (digits(y, 4..=4) && digits(m, 1..=2)).then(|| (y.parse().ok(), m.parse().ok()))
    });
    let (year, month): (Option<i32>, Option<u32>) = match numeric {
        Some(pair) => pair,
        None => {
            let (name, year) = t.split_once(' ')?;
            let year = year.trim().trim_start_matches(',').trim();
            let year = year.parse().ok().filter(|_| year.len() == 4);
            (year, by_month_name(name.trim_end_matches(['.', ','])))
        }
    };
    NaiveDate::from_ymd_opt(year?, month?, 1)
}

/// A day's number, also written "4th" or "1st"; digits only ("+3" is no day).
fn day_number(w: &str) -> Option<u32> {
    let digits = ["st", "nd", "rd", "th"].iter().find_map(|end| w.strip_suffix(end)).unwrap_or(w);
    digits.parse::<u32>().ok().filter(|_| digits.bytes().all(|b| b.is_ascii_digit()))
}

/// A month by its name or the first three letters or more of it ("sept", "jul").
fn by_month_name(w: &str) -> Option<u32> {
    MONTHS.iter().position(|m| w.len() >= 3 && m.starts_with(w)).map(|i| i as u32 + 1)
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// `fri`, `friday`, `this fri` (the next one after today), `next fri` (next week's, as people
/// mean it: on a Thursday, not tomorrow), `last fri` (the last one before today).
fn weekday(t: &str, today: NaiveDate) -> Option<NaiveDate> {
    let (back, next_week, name) = match t.split_once(' ') {
        Some(("last", name)) => (true, false, name),
        Some(("next", name)) => (false, true, name),
        Some(("this", name)) => (false, false, name),
        Some(_) => return None,
        None => (false, false, t),
    };
    let wanted: Weekday = name.parse().ok()?;
    // Next week's: counted from the Sunday that ends this week (weeks start on Monday).
    let mut day =
        if next_week { today + Duration::days(6 - i64::from(today.weekday().num_days_from_monday())) } else { today };
    loop {
        day = if back { day.pred_opt()? } else { day.succ_opt()? };
        if day.weekday() == wanted {
            return Some(day);
        }
    }
}

/// `+3d`, `-2w`, `+1m`, `+1y` (a sign is needed for the past only: `3d` is ahead).
fn offset(t: &str, today: NaiveDate) -> Option<NaiveDate> {
    let (sign, rest) = match t.chars().next()? {
        '-' => (-1, &t[1..]),
        '+' => (1, &t[1..]),
        _ => (1, t),
    };
    let unit = rest.chars().last()?;
    let n: i64 = rest[..rest.len() - unit.len_utf8()].trim().parse().ok()?;
    if n > 3660 {
        return None;
    }
    let months = |m: i64| {
        let m = Months::new(u32::try_from(m).ok()?);
        if sign > 0 { today.checked_add_months(m) } else { today.checked_sub_months(m) }
    };
    match unit {
        'd' => today.checked_add_signed(Duration::days(sign * n)),
        'w' => today.checked_add_signed(Duration::days(sign * n * 7)),
        'm' => months(n),
        'y' => months(n * 12),
        _ => None,
    }
}

/// Whether `text` is a day written out in full (nothing to echo back).
pub fn is_iso(text: &str) -> bool {
    full_day(text.trim()).is_some()
}

/// A day written YYYY-MM-DD, the year in four digits: chrono's %Y alone reads "7-5-25" as the
/// year 7.
fn full_day(t: &str) -> Option<NaiveDate> {
    t.split('-').next().filter(|y| y.len() == 4)?;
    NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()
}

/// Why a day of the right shape is none, said one way wherever it is typed or imported:
/// "February 2026 has no day 31 (it has 28)", "February has no day 31" without a year, "there is
/// no month 13". None when it is a day.
pub fn no_such_day(year: Option<i32>, month: u32, day: u32) -> Option<String> {
    let Some(name) = chrono::Month::try_from(u8::try_from(month).unwrap_or(0)).ok().map(|m| m.name()) else {
        return Some(format!("there is no month {month}"));
    };
    // February has 29 days in a year not given.
    let last = (28..=31).rev().find(|d| NaiveDate::from_ymd_opt(year.unwrap_or(2024), month, *d).is_some())?;
    (day == 0 || day > last).then(|| match year {
        Some(y) => format!("{name} {y} has no day {day} (it has {last})"),
        None => format!("{name} has no day {day}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_month_without_a_day_is_its_first_day() {
        for text in ["2025-12", "2025/12", " Dec 2025", "December 2025", "dec. 2025", "Dec, 2025"] {
            assert_eq!(month_start(text), Some(d("2025-12-01")), "{text}");
        }
        assert_eq!(month_start("2026-3"), Some(d("2026-03-01")));
        for text in ["2025-12-01", "2025-13", "12/2025", "2025", "Dec 25", "Dec 3, 2025", "Smarch 2025", ""] {
            assert_eq!(month_start(text), None, "{text}");
        }
    }

    #[test]
    fn a_crm_exports_days_with_month_names() {
        for text in [
            "Jul 03, 2023",
            "July 3, 2023",
            "3 Jul 2023",
            "03-Jul-23",
            "2023-Jul-03",
            "Mon, Jul 3, 2023 10:15 AM",
            "3rd July 2023",
            "JUL 3 2023",
        ] {
            assert_eq!(with_month_name(text), Some(d("2023-07-03")), "{text}");
        }
        for text in ["Jul 03", "Jul 32, 2023", "2023-07-03", "Foo 3, 2023", "3 Jul 1850", "Jul 3, 20230", ""] {
            assert_eq!(with_month_name(text), None, "{text}");
        }
    }

    #[test]
    fn a_weekend_day_moves_to_the_monday() {
        assert_eq!(off_weekend(d("2026-12-12")), d("2026-12-14"));
        assert_eq!(off_weekend(d("2026-12-13")), d("2026-12-14"));
        assert_eq!(off_weekend(d("2026-12-11")), d("2026-12-11"));
    }

    #[test]
    fn a_quarter_is_its_last_day() {
        let today = d("2026-12-07");
        // Q1 typed in December is next year's; Q4 this year's, its end still to come.
        assert_eq!(parse("Q1", today), Some(d("2027-03-31")));
        assert_eq!(parse("end of q2", today), Some(d("2027-06-30")));
        assert_eq!(parse("q4", today), Some(d("2026-12-31")));
        assert_eq!(parse("Q1 2028", today), Some(d("2028-03-31")));
        assert_eq!(parse("2027 Q3", today), Some(d("2027-09-30")));
        assert_eq!(parse("Q2-27", today), Some(d("2027-06-30")));
        for text in ["q5", "q0", "q", "q1 20277", "quarterly"] {
            assert_eq!(parse(text, today), None, "{text}");
        }
        // A period's end, named as people say it.
        for (text, day) in [
            ("next quarter", "2027-03-31"),
            ("end of march", "2027-03-31"),
            ("by end of feb", "2027-02-28"),
            ("end of december", "2026-12-31"),
            ("end of march 2028", "2028-03-31"),
            ("end of next quarter", "2027-03-31"),
            ("this quarter", "2026-12-31"),
            ("end of quarter", "2026-12-31"),
            ("EOQ", "2026-12-31"),
            ("end of month", "2026-12-31"),
            ("eoy", "2026-12-31"),
        ] {
            assert_eq!(parse(text, today), Some(d(day)), "{text}");
        }
        assert_eq!(parse("next quarter", d("2027-02-10")), Some(d("2027-06-30")));
        assert_eq!(parse("end of month", d("2027-02-10")), Some(d("2027-02-28")));
        assert_eq!(parse_past("next quarter", today), None);
        // Not for something that has happened: "q1" is no day a call was made on.
        assert_eq!(parse_past("q1", today), None);
    }

    #[test]
    fn days_as_people_type_them() {
        // A Monday.
        let today = d("2026-11-30");
        for (text, want) in [
            ("2026-12-04", "2026-12-04"),
            ("today", "2026-11-30"),
            (" Yesterday ", "2026-11-29"),
            ("tomorrow", "2026-12-01"),
            ("-3d", "2026-11-27"),
            ("+2w", "2026-12-14"),
            ("3d", "2026-12-03"),
            ("+1m", "2026-12-30"),
            ("-1y", "2025-11-30"),
            ("fri", "2026-12-04"),
            ("friday", "2026-12-04"),
            ("mon", "2026-12-07"),
            ("next mon", "2026-12-07"),
            ("next fri", "2026-12-11"),
            ("this fri", "2026-12-04"),
            ("last fri", "2026-11-27"),
            ("next week", "2026-12-07"),
            ("next month", "2026-12-30"),
        ] {
            assert_eq!(parse(text, today), Some(d(want)), "{text}");
        }
        for bad in ["", "2026-02-30", "soon", "+d", "3x", "next fortnight", "+99999d", "last", "7-5-25"] {
            assert_eq!(parse(bad, today), None, "{bad}");
        }
        assert!(is_iso("2026-12-04") && !is_iso("fri"));
        // A month and a day, the nearest such day without a year; numbers either way round only
        // where one reading alone is a day.
        let thursday = d("2026-12-03");
        for (text, want) in [
            ("mar 31", "2027-03-31"),
            ("31 March", "2027-03-31"),
            ("Nov 20", "2026-11-20"),
            ("dec 4th", "2026-12-04"),
            ("march 31, 2026", "2026-03-31"),
            ("31 mar 2028", "2028-03-31"),
            ("3/31", "2027-03-31"),
            ("31/3/2027", "2027-03-31"),
            ("12/25/2026", "2026-12-25"),
            ("2027/3/31", "2027-03-31"),
            ("31.3.2027", "2027-03-31"),
            // Points: day first, even where both readings are days (German spreadsheets).
            ("05.12.2026", "2026-12-05"),
            ("3.4.2027", "2027-04-03"),
            ("3.4.", "2027-04-03"),
            ("jun 1", "2027-06-01"),
            ("jun 30", "2026-06-30"),
        ] {
            assert_eq!(parse(text, thursday), Some(d(want)), "{text}");
        }
        // Something that has happened: the last such day up to today.
        assert_eq!(parse_past("mar 31", thursday), Some(d("2026-03-31")));
        assert_eq!(parse_past("31/1", thursday), Some(d("2026-01-31")));
        assert_eq!(parse_past("dec 3", thursday), Some(d("2026-12-03")));
        assert_eq!(parse_past("mar 31 2027", thursday), Some(d("2027-03-31")), "a year given is kept");
        assert_eq!(parse_past("yesterday", thursday), Some(d("2026-12-02")));
        // A weekday alone is the last one, today included; "next" and "last" say which.
        assert_eq!(parse_past("mon", thursday), Some(d("2026-11-30")));
        assert_eq!(parse_past("thu", thursday), Some(thursday));
        assert_eq!(parse_past("fri", thursday), Some(d("2026-11-27")));
        assert_eq!(parse("fri", thursday), Some(d("2026-12-04")), "a day ahead is the next one");
        assert_eq!(parse_past("last thu", thursday), Some(d("2026-11-26")));
        for bad in ["3/4", "3/4/2027", "12.25.2026", "feb 30", "mar", "ma 3", "13/13", "mar 31 99999", "31 foo"] {
            assert_eq!(parse(bad, thursday), None, "{bad}");
        }
        // On a Thursday "next friday" is next week's, not tomorrow; on a Sunday, the coming week's.
        assert_eq!(parse("next friday", d("2026-12-03")), Some(d("2026-12-11")));
        assert_eq!(parse("fri", d("2026-12-03")), Some(d("2026-12-04")));
        assert_eq!(parse("next mon", d("2026-12-06")), Some(d("2026-12-07")));
        assert_eq!(parse("next sun", d("2026-12-06")), Some(d("2026-12-13")));
    }
}
