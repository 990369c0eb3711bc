//! The days the book's usage data covers: what an account's metric days (days since a login) are
//! counted up to.
//!
//! A usage export dated by week says nothing of the days after its last row, so counting to
//! today would make every account "fall" a little each day after an export; counting to the
//! account's own newest sample would read an account whose data stopped a month ago as "0 days
//! since a login". So they count to the newest day the book's data covers. Not the newest day
//! any sample has: one account's correction for a later day (or a row dated ahead) would move
//! every other account's last login a week back. A day is covered when the book holds samples
//! for it on the scale of its other days: at least a quarter of the most samples any day of the
//! five weeks up to it holds, and at least three (or the most, when fewer), so that in a book of
//! a few accounts one account's row is not a quarter of a day. A weekly export's day is; one
//! account's row between two exports is not.

use std::sync::Arc;

use chrono::NaiveDate;

/// The share of its recent days' most samples a day needs to count as covered.
const COVERED_SHARE: f64 = 0.25;
/// And at least this many (or as many as the most, when fewer): in a book of three accounts a
/// quarter of a day's samples is one account's correction row (two metrics, two samples), where
/// three accounts' logins alone are an export.
const COVERED_AT_LEAST: u64 = 3;
/// How far back a day is compared with others: past a month's gap, a day stands alone.
const COMPARED_DAYS: i64 = 35;

/// The days the book's usage data covers, oldest first, with each one's samples.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct DataDays(Arc<[NaiveDate]>, Arc<[u64]>);

impl DataDays {
    /// The covered days among the book's sample days (`counts`: each day with how many samples
    /// the book holds for it, in any order).
    pub fn from_counts(counts: &[(NaiveDate, u64)]) -> DataDays {
        let mut counts = counts.to_vec();
        counts.sort_unstable();
        let (mut covered, mut samples_of) = (Vec::new(), Vec::new());
        for (at, &(day, samples)) in counts.iter().enumerate() {
            let from = day - chrono::Duration::days(COMPARED_DAYS);
            let most = counts[..=at].iter().rev().take_while(|(d, _)| *d >= from).map(|(_, n)| *n).max().unwrap_or(0);
            let needed = (COVERED_SHARE * most as f64).max(most.min(COVERED_AT_LEAST) as f64);
            if samples as f64 >= needed {
                covered.push(day);
                samples_of.push(samples);
            }
        }
        DataDays(covered.into(), samples_of.into())
    }

    /// The covered days of the counts a book keeps as text (`counts_text`), none without any.
    pub fn from_text(text: Option<&str>) -> DataDays {
        DataDays::from_counts(&parse_counts(text.unwrap_or("")))
    }

    /// The newest day covered up to `as_of`: the day an account's metric days count to then.
    pub fn through(&self, as_of: NaiveDate) -> Option<NaiveDate> {
        let upto = self.0.partition_point(|d| *d <= as_of);
        upto.checked_sub(1).map(|i| self.0[i])
    }

    /// The newest day covered up to `as_of` when it is thin (see `ThinDay`): far fewer samples
    /// than the covered day before it, on data that comes weekly or monthly.
    pub fn thin(&self, as_of: NaiveDate) -> Option<ThinDay> {
        let at = self.0.partition_point(|d| *d <= as_of).checked_sub(1)?;
        let before = at.checked_sub(1)?;
        self.rhythm(as_of)?;
        let (samples, before_samples) = (self.1[at], self.1[before]);
        ((samples as f64) < THIN_SHARE * before_samples as f64).then_some(ThinDay {
            day: self.0[at],
            samples,
            before: self.0[before],
            before_samples,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How the data comes, as read from the last covered days up to `as_of`: "weekly" when they
    /// are a week apart, "monthly" a month apart, None for daily or no steady rhythm. Said beside
    /// the data's age, so that "10d old" of a weekly export dated by the week's start reads as the
    /// newest week rather than as a feed gone quiet.
    pub fn rhythm(&self, as_of: NaiveDate) -> Option<&'static str> {
        match self.usual_gap(as_of)?.0 {
            6..=8 => Some("weekly"),
            28..=31 => Some("monthly"),
            _ => None,
        }
    }

    /// The median gap in days between the last four days covered up to `as_of`, with the newest
    /// of them; None without two such days.
    pub(crate) fn usual_gap(&self, as_of: NaiveDate) -> Option<(i64, NaiveDate)> {
        let upto = self.0.partition_point(|d| *d <= as_of);
        let last = &self.0[upto.saturating_sub(4)..upto];
        let mut gaps: Vec<i64> = last.windows(2).map(|w| (w[1] - w[0]).num_days()).collect();
        gaps.sort_unstable();
        Some((*gaps.get(gaps.len() / 2)?, *last.last()?))
    }

    /// The weekday a weekly feed dates its weeks on, with its newest day, read from the last
    /// four days covered up to `as_of`: None unless they are a week apart and on one weekday.
    pub fn weekly_on(&self, as_of: NaiveDate) -> Option<(chrono::Weekday, NaiveDate)> {
        use chrono::Datelike;
        self.rhythm(as_of).filter(|r| *r == "weekly")?;
        let upto = self.0.partition_point(|d| *d <= as_of);
        let last = &self.0[upto.saturating_sub(4)..upto];
        let newest = *last.last()?;
        last.iter().all(|d| d.weekday() == newest.weekday()).then_some((newest.weekday(), newest))
    }

    /// Whether the data is overdue on `as_of`: older than two of its usual gaps between days
    /// (a weekly export missed twice, a daily feed for two days), by the last four days covered.
    /// Until then a new day is not yet expected; past it, the scores stand on data the next
    /// export should have replaced, and the screens say so louder than its age alone.
    /// It is never current: the day the data ends on (`through`) is before `as_of`.
    pub fn overdue(&self, as_of: NaiveDate) -> bool {
        self.usual_gap(as_of).is_some_and(|(gap, newest)| (as_of - newest).num_days() > 2 * gap.max(1))
    }

    /// The day a feed's data ends on, when it has gone quiet beside the book's other data
    /// (`book`'s): overdue by its own rhythm while the book has newer days. None while it is
    /// current, or as old as the rest (then the book's data is what is overdue).
    pub fn quiet_beside(&self, book: &DataDays, as_of: NaiveDate) -> Option<NaiveDate> {
        let through = self.through(as_of)?;
        (book.through(as_of)? > through && self.overdue(as_of)).then_some(through)
    }

    pub fn days(&self) -> &[NaiveDate] {
        &self.0
    }

    /// The most samples any covered day holds: about the accounts a weekly or monthly export
    /// names.
    pub fn most_samples(&self) -> u64 {
        self.1.iter().copied().max().unwrap_or(0)
    }

    /// The days in a few characters, the same from one build of tend to the next (what was worked
    /// out from the book is kept under it: a day covered or no longer covered changes values).
    pub fn fingerprint(&self) -> String {
        use chrono::Datelike;
        // FNV-1a over the days' numbers: a hash of its own, as std's may change between builds.
        let hash = self.0.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, d| {
            (h ^ d.num_days_from_ce() as u64).wrapping_mul(0x0000_0100_0000_01b3)
        });
        match self.0.last() {
            Some(last) => format!("{} to {last} #{hash:016x}", self.0.len()),
            None => String::new(),
        }
    }
}

/// A newest day of usage data that a file makes the book's, though it holds far fewer samples
/// than the day the data covered before it: every account without a sample on it then reads as
/// unused since the day before. Said after an import of weekly or monthly data (a probe imported
/// 50 of 212 accounts' newest week, and 162 others read "Days since login 0d -> 7d"); the rule
/// of which days are covered is left alone, as a feed that shrinks (accounts churned) or a daily
/// feed's quiet weekend covers its days with as few.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ThinDay {
    pub day: NaiveDate,
    pub samples: u64,
    /// The newest day the data covered before the file, and its samples.
    pub before: NaiveDate,
    pub before_samples: u64,
}

/// Held to a tenth fewer samples than the day before, a newest day is said to be thin.
const THIN_SHARE: f64 = 0.9;

/// The `ThinDay` the book's counts make of its days (`merged`, after a file) that they did not
/// (`kept`, before it), as of `as_of`; None when the newest covered day does not move, or the
/// data comes daily (its days hold different counts by nature) or with no rhythm yet.
pub fn thin_newest_day(kept: &[(NaiveDate, u64)], merged: &[(NaiveDate, u64)], as_of: NaiveDate) -> Option<ThinDay> {
    let before = DataDays::from_counts(kept).through(as_of)?;
    DataDays::from_counts(merged).thin(as_of).filter(|thin| thin.day > before && thin.before == before)
}

/// A file's values dated on other weekdays than the book's weekly data (`DataDays::weekly_on`):
/// a day's count, or a week not over, beside whole weeks reads as a fall in the usage factors
/// (a probe's daily export imported into a weekly book put 26 accounts on Triage, said by nothing
/// but the status line's "weekly" gone).
#[derive(Clone, Debug, PartialEq)]
pub struct OffTheWeek {
    /// How many of the file's values.
    pub values: u64,
    /// The first such day.
    pub first: NaiveDate,
    /// The newest day of the book's weekly data (its weekday is the one its weeks are dated on).
    pub newest: NaiveDate,
}

impl OffTheWeek {
    /// Of a file's days (`file`), those off the book's weekly grid as it stood before (`book`).
    pub fn of(book: &DataDays, file: &DayTally, as_of: NaiveDate) -> Option<OffTheWeek> {
        use chrono::Datelike;
        let (weekday, newest) = book.weekly_on(as_of)?;
        let off: Vec<(NaiveDate, u64)> = file.counts().into_iter().filter(|(d, _)| d.weekday() != weekday).collect();
        let first = off.first()?.0;
        Some(OffTheWeek { values: off.iter().map(|(_, n)| n).sum(), first, newest })
    }
}

/// Samples counted by day as a file is read, a row at a time: a slot per day from the first day
/// seen (a file's days are a few years at most), so a row costs an index, not a hash.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DayTally {
    /// The day number (`num_days_from_ce`) of the first slot.
    first: i32,
    slots: Vec<u64>,
}

impl DayTally {
    pub fn add(&mut self, day: NaiveDate) {
        self.add_many(day, 1);
    }

    pub fn add_many(&mut self, day: NaiveDate, samples: u64) {
        use chrono::Datelike;
        let n = day.num_days_from_ce();
        if self.slots.is_empty() {
            self.first = n;
        }
        if n < self.first {
            let grow = (self.first - n) as usize;
            self.slots.splice(0..0, std::iter::repeat_n(0, grow));
            self.first = n;
        }
        let at = (n - self.first) as usize;
        if at >= self.slots.len() {
            self.slots.resize(at + 1, 0);
        }
        self.slots[at] += samples;
    }

    /// The count of one day.
    pub fn count(&self, day: NaiveDate) -> u64 {
        use chrono::Datelike;
        let at = day.num_days_from_ce() - self.first;
        usize::try_from(at).ok().and_then(|at| self.slots.get(at)).copied().unwrap_or(0)
    }

    /// Each day counted, with its count, oldest first.
    pub fn counts(&self) -> Vec<(NaiveDate, u64)> {
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .filter_map(|(i, n)| Some((NaiveDate::from_num_days_from_ce_opt(self.first + i as i32)?, *n)))
            .collect()
    }
}

/// `DayTally`s a metric: each metric's own days (`AccountFacts::metric_days`). Few metrics, so a
/// row costs a short scan of their names, not a hash.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MetricTallies(Vec<(String, DayTally)>);

impl MetricTallies {
    pub fn add_many(&mut self, metric: &str, day: NaiveDate, samples: u64) {
        match self.0.iter_mut().find(|(m, _)| m == metric) {
            Some((_, tally)) => tally.add_many(day, samples),
            None => {
                let mut tally = DayTally::default();
                tally.add_many(day, samples);
                self.0.push((metric.to_string(), tally));
            }
        }
    }

    pub fn add(&mut self, metric: &str, day: NaiveDate) {
        self.add_many(metric, day, 1);
    }

    /// Each metric counted, with its tally.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &DayTally)> {
        self.0.iter().map(|(m, t)| (m.as_str(), t))
    }

    /// Every metric's counts together: the book's own (`DataDays`).
    pub fn total(&self) -> DayTally {
        let mut total = DayTally::default();
        for (_, tally) in &self.0 {
            for (day, samples) in tally.counts() {
                total.add_many(day, samples);
            }
        }
        total
    }

    /// A metric's counts, none when it was not counted.
    pub fn counts_of(&self, metric: &str) -> Vec<(NaiveDate, u64)> {
        self.0.iter().find(|(m, _)| m == metric).map_or_else(Vec::new, |(_, t)| t.counts())
    }
}

/// The metric a help desk's ticket counts are kept as (`tend import tickets`): not usage. Its
/// weekly 0s for every account without a ticket made a usage week of 143 accounts read "thin"
/// beside the 179 the ticket counts gave a sample on their day, and gave accounts no usage file
/// named a value of a usage factor, so that Triage no longer said they had no usage data.
pub const TICKETS_METRIC: &str = "support_tickets";

/// `counts` less `less`, day by day (a metric's own counts out of the book's); days left with
/// none are dropped.
pub fn less_counts(counts: &[(NaiveDate, u64)], less: &[(NaiveDate, u64)]) -> Vec<(NaiveDate, u64)> {
    let less: std::collections::HashMap<NaiveDate, u64> = less.iter().copied().collect();
    counts
        .iter()
        .map(|&(day, n)| (day, n.saturating_sub(less.get(&day).copied().unwrap_or(0))))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// The book's sample counts by day as one text ("2026-11-23=4000;2026-11-30=1"), as a book
/// keeps them beside its other facts about itself.
pub fn counts_text(counts: &[(NaiveDate, u64)]) -> String {
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    sorted.iter().map(|(d, n)| format!("{d}={n}")).collect::<Vec<_>>().join(";")
}

/// The counts `counts_text` wrote; a part that does not read is left out (a tend of another
/// version wrote it).
pub fn parse_counts(text: &str) -> Vec<(NaiveDate, u64)> {
    text.split(';')
        .filter_map(|part| {
            let (day, n) = part.split_once('=')?;
            Some((day.trim().parse().ok()?, n.trim().parse().ok()?))
        })
        .collect()
}

/// The text a book keeps its counts under once `written` is merged into what it `kept` (see
/// `merge_counts`); None when nothing changes.
pub fn merged_text(kept: Option<&str>, written: &[(NaiveDate, u64)], new: &[(NaiveDate, u64)]) -> Option<String> {
    merge_counts(&parse_counts(kept.unwrap_or("")), written, new).map(|merged| counts_text(&merged))
}

/// The counts `kept` would be once a file's samples (`written`, by day) are, those of `new` new
/// to the book: what a dry run of a metrics import expects (`merge_counts`, or `kept` unchanged).
pub fn counts_after(
    kept: &[(NaiveDate, u64)],
    written: &[(NaiveDate, u64)],
    new: &[(NaiveDate, u64)],
) -> Vec<(NaiveDate, u64)> {
    merge_counts(kept, written, new).unwrap_or_else(|| kept.to_vec())
}

/// `kept` with `written` merged in, knowing which of the samples written were new to the book
/// (`new`, by day): a day's count is what the book kept plus its new samples, or the file's count
/// of the day if that is more. A week imported in parts (a file per region) counts every part: by the larger
/// count alone, five parts of a fifth each never covered their day. A file imported again adds
/// nothing new, and counts as it did. None when nothing changes.
pub fn merge_counts(
    kept: &[(NaiveDate, u64)],
    written: &[(NaiveDate, u64)],
    new: &[(NaiveDate, u64)],
) -> Option<Vec<(NaiveDate, u64)>> {
    let mut merged: std::collections::BTreeMap<NaiveDate, u64> = kept.iter().copied().collect();
    let mut changed = false;
    let added: std::collections::BTreeMap<NaiveDate, u64> = new.iter().copied().collect();
    for &(day, n) in written {
        let slot = merged.entry(day).or_insert(0);
        let count = (*slot + added.get(&day).copied().unwrap_or(0)).max(n);
        if count > *slot {
            *slot = count;
            changed = true;
        }
    }
    changed.then(|| merged.into_iter().collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn data_is_overdue_past_two_of_its_gaps() {
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let weeks: Vec<(chrono::NaiveDate, u64)> =
            ["2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"].iter().map(|d| (day(d), 100)).collect();
        let data = super::DataDays::from_counts(&weeks);
        assert!(!data.overdue(day("2026-12-07")), "a week's export not yet due");
        assert!(!data.overdue(day("2026-12-14")), "two weeks: the next one is late, not yet overdue");
        assert!(data.overdue(day("2026-12-15")));
        assert!(!data.overdue(day("2026-11-30")));
        // One day of data has no gap to go by.
        assert!(!super::DataDays::from_counts(&weeks[..1]).overdue(day("2027-06-01")));
        // A daily feed is overdue after two days.
        let daily: Vec<(chrono::NaiveDate, u64)> =
            ["2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30"].iter().map(|d| (day(d), 100)).collect();
        let data = super::DataDays::from_counts(&daily);
        assert!(!data.overdue(day("2026-12-02")) && data.overdue(day("2026-12-03")));
    }

    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Each metric's counts, and the book's as all of them together.
    #[test]
    fn a_metrics_tallies_add_up_to_the_books() {
        let mut tallies = MetricTallies::default();
        tallies.add("logins", d("2026-11-16"));
        tallies.add_many("logins", d("2026-11-16"), 2);
        tallies.add("support_tickets", d("2026-11-16"));
        tallies.add("support_tickets", d("2026-11-20"));
        assert_eq!(tallies.counts_of("logins"), [(d("2026-11-16"), 3)]);
        assert_eq!(tallies.total().counts(), [(d("2026-11-16"), 4), (d("2026-11-20"), 1)]);
        assert!(tallies.counts_of("usage").is_empty());
    }

    #[test]
    fn a_weekly_export_covers_its_days_and_one_accounts_row_between_does_not() {
        let weekly: Vec<(NaiveDate, u64)> =
            (0..8).map(|w| (d("2026-10-05") + chrono::Duration::weeks(w), 4_000)).collect();
        let mut counts = weekly;
        counts.push((d("2026-11-30"), 1)); // one account's later row
        counts.push((d("2026-12-07"), 1)); // a row dated ahead
        let days = DataDays::from_counts(&counts);
        assert_eq!(days.through(d("2026-12-03")), Some(d("2026-11-23")));
        assert_eq!(days.through(d("2026-12-20")), Some(d("2026-11-23")));
        // On a past day, the newest export up to it: not that day itself.
        assert_eq!(days.through(d("2026-11-04")), Some(d("2026-11-02")));
        assert_eq!(days.through(d("2026-10-01")), None);
        // The next export covers its day again.
        let counts = merge_counts(&counts, &[(d("2026-12-07"), 4_000)], &[]).unwrap();
        let days = DataDays::from_counts(&parse_counts(&counts_text(&counts)));
        assert_eq!(days.through(d("2026-12-08")), Some(d("2026-12-07")));
    }

    #[test]
    fn a_daily_feed_covers_every_day_a_quiet_weekend_too() {
        let counts: Vec<(NaiveDate, u64)> = (0..21)
            .map(|i| {
                let day = d("2026-11-02") + chrono::Duration::days(i);
                let weekend = matches!(day.format("%a").to_string().as_str(), "Sat" | "Sun");
                (day, if weekend { 300 } else { 1_000 })
            })
            .collect();
        let days = DataDays::from_counts(&counts);
        assert_eq!(days.days().len(), 21);
        assert_eq!(days.through(d("2026-11-22")), Some(d("2026-11-22")), "a Sunday");
        assert_eq!(days.rhythm(d("2026-11-25")), None, "daily: said by its age alone");
    }

    #[test]
    fn the_rhythm_of_the_data_is_read_from_its_last_days() {
        let every = |first: &str, step: i64, n: i64| -> DataDays {
            DataDays::from_counts(
                &(0..n).map(|i| (d(first) + chrono::Duration::days(i * step), 1_000)).collect::<Vec<_>>(),
            )
        };
        assert_eq!(every("2026-08-03", 7, 16).rhythm(d("2026-11-26")), Some("weekly"));
        assert_eq!(every("2026-01-31", 30, 10).rhythm(d("2026-11-26")), Some("monthly"));
        // One export so far, or two: no rhythm yet (one gap is a rhythm of one).
        assert_eq!(every("2026-11-16", 7, 1).rhythm(d("2026-11-26")), None);
        // Read up to the day asked: a past day's data was daily then.
        let mut counts: Vec<(NaiveDate, u64)> =
            (0..30).map(|i| (d("2026-09-01") + chrono::Duration::days(i), 1_000)).collect();
        counts.extend((0..6).map(|w| (d("2026-10-05") + chrono::Duration::weeks(w), 1_000)));
        let days = DataDays::from_counts(&counts);
        assert_eq!(days.rhythm(d("2026-09-20")), None);
        assert_eq!(days.rhythm(d("2026-11-26")), Some("weekly"));
    }

    #[test]
    fn a_feed_that_shrinks_or_restarts_after_a_gap_still_covers_its_days() {
        // Half the accounts churned: the days after still count.
        let counts = [(d("2026-01-05"), 1_000), (d("2026-01-12"), 400), (d("2026-01-19"), 300)];
        assert_eq!(DataDays::from_counts(&counts).through(d("2026-01-20")), Some(d("2026-01-19")));
        // A small feed two months after a big one stands alone.
        let counts = [(d("2026-01-05"), 1_000), (d("2026-03-09"), 10)];
        assert_eq!(DataDays::from_counts(&counts).through(d("2026-03-10")), Some(d("2026-03-09")));
    }

    #[test]
    fn in_a_book_of_a_few_accounts_one_accounts_row_covers_no_day() {
        // Three accounts, two metrics, weekly: six samples an export; a correction of one
        // account's two metrics a few days after is a third of that, but one account.
        let mut counts: Vec<(NaiveDate, u64)> =
            (0..6).map(|w| (d("2026-10-05") + chrono::Duration::weeks(w), 6)).collect();
        counts.push((d("2026-11-12"), 2));
        let days = DataDays::from_counts(&counts);
        assert_eq!(days.through(d("2026-11-13")), Some(d("2026-11-09")));
        // Two accounts, one metric each: one account's row is half a day.
        let mut counts: Vec<(NaiveDate, u64)> =
            (0..6).map(|w| (d("2026-10-05") + chrono::Duration::weeks(w), 2)).collect();
        counts.push((d("2026-11-12"), 1));
        assert_eq!(DataDays::from_counts(&counts).through(d("2026-11-13")), Some(d("2026-11-09")));
        // A book of one account's data covers its days, every one.
        let counts: Vec<(NaiveDate, u64)> = (0..6).map(|w| (d("2026-10-05") + chrono::Duration::weeks(w), 1)).collect();
        assert_eq!(DataDays::from_counts(&counts).days().len(), 6);
    }

    /// `thin_newest_day` after a file whose samples are all new to the book.
    fn thin_after(kept: &[(NaiveDate, u64)], file: &[(NaiveDate, u64)], as_of: NaiveDate) -> Option<ThinDay> {
        thin_newest_day(kept, &counts_after(kept, file, file), as_of)
    }

    #[test]
    fn a_newest_week_far_thinner_than_the_one_before_is_said() {
        let weekly: Vec<(NaiveDate, u64)> =
            (0..6).map(|w| (d("2026-10-26") + chrono::Duration::weeks(w), 424)).collect();
        let as_of = d("2026-12-08");
        // 60 of 212 accounts' newest week: covered (over a quarter), and thin.
        let thin = thin_after(&weekly, &[(d("2026-12-07"), 120)], as_of).unwrap();
        assert_eq!(thin, ThinDay { day: d("2026-12-07"), samples: 120, before: d("2026-11-30"), before_samples: 424 });
        // The whole week: nothing said; nor a few accounts fewer.
        assert_eq!(thin_after(&weekly, &[(d("2026-12-07"), 424)], as_of), None);
        assert_eq!(thin_after(&weekly, &[(d("2026-12-07"), 400)], as_of), None);
        // The book's days say it too, as long as the day is the newest: the status line's.
        let merged = merge_counts(&weekly, &[(d("2026-12-07"), 120)], &[]).unwrap();
        assert_eq!(DataDays::from_counts(&merged).thin(as_of), Some(thin));
        assert_eq!(DataDays::from_counts(&merged).thin(d("2026-12-06")), None);
        assert_eq!(DataDays::from_counts(&weekly).thin(as_of), None);
        // Too few to cover the day: the data day does not move, so nothing reads otherwise.
        assert_eq!(thin_after(&weekly, &[(d("2026-12-07"), 100)], as_of), None);
        // The rest of the week imported after the first part: the day was already the newest.
        let kept = merge_counts(&weekly, &[(d("2026-12-07"), 120)], &[]).unwrap();
        assert_eq!(thin_after(&kept, &[(d("2026-12-07"), 424)], as_of), None);
        // Older weeks imported again, or a book's first file: nothing moves.
        assert_eq!(thin_after(&weekly, &[(d("2026-11-30"), 10)], as_of), None);
        assert_eq!(thin_after(&[], &weekly, as_of), None);
        // A day ahead of the book's day is not its data day yet.
        assert_eq!(thin_after(&weekly, &[(d("2026-12-07"), 120)], d("2026-12-05")), None);
    }

    #[test]
    fn a_daily_feeds_quiet_day_is_not_said_thin() {
        let daily: Vec<(NaiveDate, u64)> =
            (0..19).map(|i| (d("2026-11-02") + chrono::Duration::days(i), 1_000)).collect();
        // Friday 2026-11-20 in the book; Saturday's 300 samples are a daily feed's weekend.
        assert_eq!(thin_after(&daily, &[(d("2026-11-21"), 300)], d("2026-11-22")), None);
    }

    #[test]
    fn a_tally_counts_days_in_any_order() {
        let mut tally = DayTally::default();
        for day in ["2026-11-23", "2026-11-09", "2026-11-23", "2026-12-07", "2026-11-09", "2026-11-23"] {
            tally.add(d(day));
        }
        assert_eq!(tally.counts(), [(d("2026-11-09"), 2), (d("2026-11-23"), 3), (d("2026-12-07"), 1)]);
        tally.add_many(d("2026-11-09"), 40);
        assert_eq!(tally.counts()[0], (d("2026-11-09"), 42));
        assert_eq!(
            (tally.count(d("2026-11-09")), tally.count(d("2026-11-10")), tally.count(d("2026-01-01"))),
            (42, 0, 0)
        );
        assert!(DayTally::default().counts().is_empty());
    }

    #[test]
    fn counts_merge_by_the_larger_and_read_back() {
        let kept = [(d("2026-11-23"), 4_000)];
        assert_eq!(merge_counts(&kept, &[(d("2026-11-23"), 4_000)], &[]), None, "the same file again");
        assert_eq!(merge_counts(&kept, &[(d("2026-11-23"), 1)], &[]), None, "one row of that day again");
        let merged = merge_counts(&kept, &[(d("2026-11-30"), 1)], &[]).unwrap();
        assert_eq!(merged, [(d("2026-11-23"), 4_000), (d("2026-11-30"), 1)]);
        assert_eq!(parse_counts(&counts_text(&merged)), merged);
        assert_eq!(parse_counts("2026-11-23=4;nonsense;2026-13-01=2"), [(d("2026-11-23"), 4)]);
        // As a book keeps them: text in, text out.
        assert_eq!(merged_text(Some("2026-11-23=4000"), &[(d("2026-11-23"), 4_000)], &[]), None);
        assert_eq!(
            merged_text(None, &[(d("2026-11-30"), 1)], &[(d("2026-11-30"), 1)]).as_deref(),
            Some("2026-11-30=1")
        );
        // A week in parts: each part's new samples add up; the whole file again adds nothing.
        let part = |n| [(d("2026-11-30"), n)];
        let one = merge_counts(&[], &part(120), &part(120)).unwrap();
        let two = merge_counts(&one, &part(304), &part(304)).unwrap();
        assert_eq!(two, part(424));
        assert_eq!(merge_counts(&two, &part(424), &[]), None);
        // A part imported again, or with changed values: nothing new, nothing added.
        assert_eq!(merge_counts(&two, &part(304), &[]), None);
        assert_eq!(DataDays::from_text(Some("2026-11-23=4000;2026-11-30=1")).days(), [d("2026-11-23")]);
        assert!(DataDays::from_text(None).is_empty());
    }
}
