//! The demo book: a realistic, deterministic book of business built from a seed and a day.
//!
//! Every account follows a trajectory over the last six months (thriving, steady, improving,
//! decaying, crashing); its metrics, sentiment, touches, NPS and bugs are drawn around that path,
//! so the scores it gets tell a story a CSM recognises.

mod words;

use chrono::{Datelike, Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::domain::entry::{EntryKind, TouchChannel};
use crate::domain::goal::{GoalStatus, OwnerSide};
use crate::domain::journey::{self, JourneysConfig};
use crate::domain::{AccountStatus, Cents, LifecycleStage, SegmentInputs};
use crate::store::{NewAccount, NewEntry, NewGoal, NewMilestone, Result, Store, Writer};
use words::DemoWords;

pub const DEFAULT_ACCOUNTS: usize = 60;
pub const MAX_ACCOUNTS: usize = 1_000_000;
pub const DEFAULT_SEED: u64 = 7;
/// `book_meta` key and value that mark a demo book, so `tend demo` never overwrites a real one.
pub const BOOK_KIND: &str = "kind";
pub const DEMO_KIND: &str = "demo";

/// Whether the book in `store` may be (re)built as a demo: it is a demo already, or it is empty.
pub fn may_build_into(store: &Store) -> Result<bool> {
    Ok(store.meta(BOOK_KIND)?.as_deref() == Some(DEMO_KIND) || store.account_count()? == 0)
}
/// Metric history the demo covers.
const HISTORY_DAYS: i64 = 182;

#[derive(Clone, Copy, Debug)]
pub struct DemoSpec<'a> {
    pub accounts: usize,
    pub seed: u64,
    /// The day the book is current to; history runs back from it.
    pub today: NaiveDate,
    /// The journeys every new account gets, planned from their templates.
    pub journeys: &'a JourneysConfig,
}

/// What was built.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub accounts: usize,
    pub csms: usize,
    pub samples: usize,
    pub entries: usize,
    pub goals: usize,
    pub milestones: usize,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Trajectory {
    Thriving,
    Steady,
    Improving,
    Decaying,
    Crashing,
}

impl Trajectory {
    fn pick(rng: &mut ChaCha8Rng) -> Trajectory {
        match rng.random_range(0..100) {
            0..25 => Trajectory::Thriving,
            25..55 => Trajectory::Steady,
            55..70 => Trajectory::Improving,
            70..88 => Trajectory::Decaying,
            _ => Trajectory::Crashing,
        }
    }

    /// Health level (about 0.2 poor to 1.2 excellent) at `t` in [0, 1] across the history.
    fn level(self, t: f64) -> f64 {
        match self {
            Trajectory::Thriving => 1.1 + 0.1 * t,
            Trajectory::Steady => 0.85 + 0.05 * t,
            Trajectory::Improving => 0.5 + 0.55 * t,
            Trajectory::Decaying => 1.0 - 0.45 * t,
            Trajectory::Crashing => {
                if t < 0.7 {
                    0.95
                } else {
                    0.95 - 0.8 * (t - 0.7) / 0.3
                }
            }
        }
    }
}

/// Build the demo book into `store`, replacing whatever book it held. One transaction.
pub fn build(store: &mut Store, spec: DemoSpec) -> Result<DemoSummary> {
    let words = DemoWords::load();
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let n = spec.accounts.clamp(1, MAX_ACCOUNTS);
    let csm_count = if n <= 100 { 3 } else { (n / 25).clamp(3, 2_000) };
    // Large books are self-serve: sample every two weeks to keep the file a sensible size.
    let interval = if n > 50_000 { 14 } else { 7 };

    store.write(|w| {
        w.clear_book()?;
        w.set_meta(BOOK_KIND, DEMO_KIND)?;
        // A book kept for the year of renewals, churns and ARR changes it is built with: its
        // retention reads over the whole last 12 months, as a real book's would after a year.
        w.stamp_as_made_on(spec.today - chrono::Duration::days(365));
        let mut summary = DemoSummary { accounts: n, csms: csm_count, ..Default::default() };
        let csm_ids =
            csm_names(&words, &mut rng, csm_count).iter().map(|name| w.csm_id(name)).collect::<Result<Vec<_>>>()?;
        let mut names = std::collections::HashSet::with_capacity(n);
        for i in 0..n {
            let name = unique_name(&words, &mut rng, &mut names);
            let csm_id = csm_ids[rng.random_range(0..csm_ids.len())];
            build_account(w, &words, &mut rng, &spec, interval, i, name, csm_id, &mut summary)?;
        }
        Ok(summary)
    })
}

fn csm_names(words: &DemoWords, rng: &mut ChaCha8Rng, count: usize) -> Vec<String> {
    use rand::seq::SliceRandom;
    // Shuffled first and last names walked in step, so a small team never shares a surname.
    let mut firsts: Vec<&str> = words.csm_first.iter().map(String::as_str).collect();
    let mut lasts: Vec<&str> = words.csm_last.iter().map(String::as_str).collect();
    firsts.shuffle(rng);
    lasts.shuffle(rng);
    let mut seen = std::collections::HashSet::with_capacity(count);
    (0..count)
        .map(|i| {
            let base = format!("{} {}", firsts[i % firsts.len()], lasts[(i + i / lasts.len()) % lasts.len()]);
            let mut name = base.clone();
            let mut k = 2;
            while !seen.insert(name.clone()) {
                name = format!("{base} {k}");
                k += 1;
            }
            name
        })
        .collect()
}

fn unique_name(words: &DemoWords, rng: &mut ChaCha8Rng, seen: &mut std::collections::HashSet<String>) -> String {
    let suffix = words.pick(rng, &words.company_suffix);
    let mut name = format!("{} {}", words.pick(rng, &words.company_first), words.pick(rng, &words.company_second));
    if !suffix.is_empty() {
        name = format!("{name} {suffix}");
    }
    let mut candidate = name.clone();
    let mut k = 2;
    while seen.contains(&candidate) {
        candidate = format!("{name} {k}");
        k += 1;
    }
    seen.insert(candidate.clone());
    candidate
}

/// The next anniversary of `since` on or after `today`.
/// An ARR change in the past year, so retention figures have expansions and contractions: every
/// renewed account changed price at its last renewal, and a quarter of the others mid-term.
/// Drawn from a stream of its own, so adding it left the rest of the demo book unchanged.
#[allow(clippy::too_many_arguments)]
fn demo_arr_change(
    w: &mut Writer,
    spec: &DemoSpec,
    index: usize,
    account_id: i64,
    arr: f64,
    since: NaiveDate,
    status: AccountStatus,
    trajectory: Trajectory,
) -> Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed ^ (index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let today = spec.today;
    let day = if status == AccountStatus::Renewed {
        next_anniversary(since + Duration::days(365), today) - Duration::days(365)
    } else if status == AccountStatus::Active && rng.random_bool(0.25) {
        today - Duration::days(rng.random_range(20..330))
    } else {
        return Ok(());
    };
    if day <= since || day > today {
        return Ok(());
    }
    // Thriving and improving accounts grew into their ARR; the others were cut down to it.
    let before = match trajectory {
        Trajectory::Thriving | Trajectory::Improving => arr / rng.random_range(1.1..1.6),
        _ => arr * rng.random_range(1.05..1.3),
    };
    let before = Cents::from_units((before / 100.0).round() * 100.0);
    w.record_arr_change(account_id, day, before, Cents::from_units(arr), "demo")
}

fn next_anniversary(since: NaiveDate, today: NaiveDate) -> NaiveDate {
    let mut year = today.year();
    loop {
        let d = NaiveDate::from_ymd_opt(year, since.month(), since.day().min(28)).expect("valid day");
        if d >= today {
            return d;
        }
        year += 1;
    }
}

#[allow(clippy::too_many_arguments)]
fn build_account(
    w: &mut Writer,
    words: &DemoWords,
    rng: &mut ChaCha8Rng,
    spec: &DemoSpec,
    interval: i64,
    index: usize,
    name: String,
    csm_id: i64,
    summary: &mut DemoSummary,
) -> Result<()> {
    let today = spec.today;
    // ARR log-uniform from $1k to $300k, to the nearest $100.
    let arr = (1_000f64 * 300f64.powf(rng.random::<f64>()) / 100.0).round() * 100.0;
    let onboarding = rng.random_range(0..100) < 8;
    let age_days = if onboarding { rng.random_range(3..85) } else { rng.random_range(120..1_400) };
    let since = today - Duration::days(age_days);
    let roll = rng.random_range(0..100);
    let (status, churned_on) = if !onboarding && roll < 5 {
        (AccountStatus::Churned, Some(today - Duration::days(rng.random_range(5..150).min(age_days - 90))))
    } else if !onboarding && age_days > 365 && roll < 17 {
        (AccountStatus::Renewed, None)
    } else {
        (AccountStatus::Active, None)
    };
    let renewal_date = Some(next_anniversary(since + Duration::days(365), today));
    let plan = words.plans[match arr {
        a if a < 5_000.0 => 0,
        a if a < 25_000.0 => 1,
        a if a < 100_000.0 => 2,
        _ => 3,
    }]
    .clone();
    let volume = match arr {
        a if a < 5_000.0 => 1,
        a if a < 25_000.0 => 2,
        a if a < 100_000.0 => 3,
        _ => 4,
    };
    let trajectory = if onboarding {
        if rng.random_bool(0.7) { Trajectory::Improving } else { Trajectory::Decaying }
    } else {
        Trajectory::pick(rng)
    };
    let expected_usage = (arr / 10.0 * rng.random_range(0.8..1.2)).round();
    let stage = if onboarding {
        LifecycleStage::Onboarding
    } else if renewal_date.is_some_and(|d| (d - today).num_days() <= 90) {
        LifecycleStage::Renewal
    } else if matches!(trajectory, Trajectory::Thriving) && arr > 50_000.0 {
        LifecycleStage::Expansion
    } else {
        LifecycleStage::Adoption
    };
    let account_id = w.insert_account(&NewAccount {
        external_id: format!("ACC-{:06}", index + 1),
        name,
        csm_id: Some(csm_id),
        arr: Cents::from_units(arr),
        currency: "USD".into(),
        plan: Some(plan),
        customer_since: Some(since),
        renewal_date,
        stage,
        status,
        churned_on,
        segment_inputs: SegmentInputs {
            volume: Some(volume),
            advocacy: Some(rng.random_range(1..=4)),
            brand: Some(rng.random_range(1..=4)),
        },
        expected_usage: Some(expected_usage),
        tags: String::new(),
        notes: String::new(),
    })?;

    demo_arr_change(w, spec, index, account_id, arr, since, status, trajectory)?;

    // A few accounts were just added from a spreadsheet: no data at all yet, so no score.
    if !onboarding && status != AccountStatus::Churned && index % 25 == 11 {
        return Ok(());
    }

    let start = (today - Duration::days(HISTORY_DAYS)).max(since);
    let end = churned_on.unwrap_or(today);
    let span = (today - (today - Duration::days(HISTORY_DAYS))).num_days() as f64;
    let level_at = |d: NaiveDate| trajectory.level(1.0 - (today - d).num_days() as f64 / span);

    // Metrics: weekly (or fortnightly) samples ending on `end`.
    let users_base = (1.0 + arr / 4_000.0).min(250.0);
    let first_login = since + Duration::days(rng.random_range(1..20));
    let never_logged_in = onboarding && age_days < 25 && rng.random_bool(0.3);
    let mut day = end;
    let mut samples = Vec::new();
    while day >= start {
        let level = (level_at(day) * rng.random_range(0.9..1.1)).max(0.05);
        let users = (users_base * level.min(1.2)).round().max(1.0);
        // Users stop logging in altogether once things go badly enough.
        let logins = if never_logged_in || day < first_login || level < 0.3 {
            0.0
        } else {
            (users * 3.0 * level * interval as f64 / 7.0).round()
        };
        let tickets = (rng.random::<f64>() * (2.0 - level).max(0.0) * 1.5 * interval as f64 / 7.0).round();
        samples.push(("usage", day, (expected_usage * level).round()));
        samples.push(("active_users", day, if logins > 0.0 { users } else { 0.0 }));
        samples.push(("logins", day, logins));
        samples.push(("support_tickets", day, tickets));
        day -= Duration::days(interval);
    }
    for (metric_name, day, value) in &samples {
        w.insert_sample(account_id, metric_name, *day, *value)?;
    }
    summary.samples += samples.len();

    // Touches: larger accounts more often; some accounts neglected lately.
    let cadence = if arr >= 100_000.0 {
        10
    } else if arr >= 10_000.0 {
        18
    } else {
        30
    };
    let neglected = rng.random_range(0..100) < 12;
    let last_touch_cutoff = if neglected { end - Duration::days(rng.random_range(35..90)) } else { end };
    let mut day = start + Duration::days(rng.random_range(0..cadence));
    let mut entries = Vec::new();
    while day <= last_touch_cutoff {
        let channel = match rng.random_range(0..100) {
            0..40 => TouchChannel::Email,
            40..75 => TouchChannel::Call,
            75..90 => TouchChannel::Meeting,
            90..97 => TouchChannel::Qbr,
            _ => TouchChannel::Onsite,
        };
        entries.push(entry(
            account_id,
            csm_id,
            EntryKind::Touch,
            day,
            None,
            Some(channel),
            None,
            words.pick(rng, &words.touch_notes),
        ));
        day += Duration::days(rng.random_range(cadence / 2..=cadence * 3 / 2));
    }
    // Sentiment roughly monthly, following the trajectory with a CSM's own noise.
    let mut day = start + Duration::days(rng.random_range(3..30));
    while day <= end {
        let raw = (level_at(day) * 7.5 + rng.random_range(-1.5..1.5)).round().clamp(1.0, 10.0);
        let note = match raw as i64 {
            8.. => words.pick(rng, &words.sentiment_good),
            5..=7 => words.pick(rng, &words.sentiment_mixed),
            _ => words.pick(rng, &words.sentiment_bad),
        };
        entries.push(entry(account_id, csm_id, EntryKind::Sentiment, day, Some(raw as i64), None, None, note));
        day += Duration::days(rng.random_range(25..45));
    }
    // NPS: most accounts answered a survey once or twice.
    if rng.random_range(0..100) < 65 {
        for _ in 0..rng.random_range(1..=2) {
            let day = start + Duration::days(rng.random_range(0..=(end - start).num_days().max(0)));
            let score = (level_at(day) * 8.0 + rng.random_range(-2.0..2.0)).round().clamp(0.0, 10.0);
            entries.push(entry(account_id, csm_id, EntryKind::Nps, day, Some(score as i64), None, None, ""));
        }
    }
    // Bugs escalated: more of them where things go badly.
    let bug_rate = ((1.15 - level_at(end)).max(0.0) * 4.0) as u32;
    for _ in 0..rng.random_range(0..=bug_rate) {
        let day = start + Duration::days(rng.random_range(0..=(end - start).num_days().max(0)));
        let title = words.pick(rng, &words.bug_titles);
        entries.push(entry(account_id, csm_id, EntryKind::Bug, day, None, None, Some(title.to_string()), ""));
    }
    for e in &entries {
        w.insert_entry(e)?;
    }
    summary.entries += entries.len();

    // Journeys planned from the templates; past milestones mostly done, late where things slip.
    let slips = match trajectory {
        Trajectory::Thriving | Trajectory::Improving => 0.1,
        Trajectory::Steady => 0.25,
        Trajectory::Decaying | Trajectory::Crashing => 0.6,
    };
    for journey in &spec.journeys.apply_to_new {
        let Some(template) = spec.journeys.templates.get(journey) else { continue };
        let Ok(planned) = journey::plan(template, Some(since), renewal_date) else { continue };
        for (name, due) in planned {
            // Only milestones in the demo's window of history, or coming up soon.
            if due < start || due > today + Duration::days(120) {
                continue;
            }
            let done = (due <= today && !rng.random_bool(slips))
                .then(|| due + Duration::days(rng.random_range(-2..6)))
                .filter(|d| *d <= today);
            let m = NewMilestone {
                account_id,
                csm_id: Some(csm_id),
                journey: journey.clone(),
                name,
                due,
                done,
                note: String::new(),
            };
            w.insert_milestone(&m)?;
            summary.milestones += 1;
        }
    }

    // Goals: most accounts have one or two, their status following the trajectory.
    // A customer states a goal once: two goals of one account are never the same words.
    let first_goal = rng.random_range(0..words.goals.len());
    let second_goal = (first_goal + rng.random_range(1..words.goals.len())) % words.goals.len();
    for goal_index in [first_goal, second_goal].into_iter().take(rng.random_range(0..=2)) {
        let (words_text, measure) = &words.goals[goal_index];
        let set_on = start + Duration::days(rng.random_range(0..=(end - start).num_days().max(0) / 2));
        let (first, now) = match trajectory {
            Trajectory::Thriving => {
                (GoalStatus::OnTrack, if rng.random_bool(0.5) { GoalStatus::Achieved } else { GoalStatus::OnTrack })
            }
            Trajectory::Steady => {
                (GoalStatus::OnTrack, if rng.random_bool(0.6) { GoalStatus::OnTrack } else { GoalStatus::AtRisk })
            }
            Trajectory::Improving => (GoalStatus::AtRisk, GoalStatus::OnTrack),
            Trajectory::Decaying => {
                (GoalStatus::OnTrack, if rng.random_bool(0.5) { GoalStatus::AtRisk } else { GoalStatus::OffTrack })
            }
            Trajectory::Crashing => {
                (GoalStatus::AtRisk, if rng.random_bool(0.7) { GoalStatus::OffTrack } else { GoalStatus::Dropped })
            }
        };
        let goal = NewGoal {
            account_id,
            csm_id: Some(csm_id),
            words: words_text.clone(),
            measure: measure.clone(),
            target_date: Some(set_on + Duration::days(rng.random_range(60..240))),
            owner: if rng.random_bool(0.7) { OwnerSide::Customer } else { OwnerSide::Vendor },
            status: first,
            created_on: set_on,
            note: String::new(),
        };
        let goal_id = w.insert_goal(&goal)?;
        if now != first {
            let changed = set_on + Duration::days(rng.random_range(1..=(end - set_on).num_days().max(1)));
            w.set_goal_status(goal_id, now, changed.min(end), "", Some(csm_id))?;
        }
        summary.goals += 1;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn entry(
    account_id: i64,
    csm_id: i64,
    kind: EntryKind,
    day: NaiveDate,
    score: Option<i64>,
    channel: Option<TouchChannel>,
    title: Option<String>,
    note: &str,
) -> NewEntry {
    NewEntry {
        account_id,
        csm_id: Some(csm_id),
        kind,
        day,
        score,
        channel,
        title,
        closed_on: None,
        note: note.to_string(),
        role: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csm_names_are_unique_and_a_small_team_shares_no_surname() {
        let words = DemoWords::load();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let names = csm_names(&words, &mut rng, 2_000);
        let unique: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), 2_000);
        let surnames: std::collections::HashSet<&str> =
            names[..3].iter().map(|n| n.split(' ').nth(1).unwrap()).collect();
        assert_eq!(surnames.len(), 3, "{:?}", &names[..3]);
    }

    #[test]
    fn next_anniversary_is_on_or_after_today() {
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        assert_eq!(next_anniversary("2024-11-23".parse().unwrap(), today), today);
        assert_eq!(next_anniversary("2024-11-22".parse().unwrap(), today), "2027-11-22".parse::<NaiveDate>().unwrap());
        assert_eq!(next_anniversary("2024-02-29".parse().unwrap(), today), "2027-02-28".parse::<NaiveDate>().unwrap());
    }
}
