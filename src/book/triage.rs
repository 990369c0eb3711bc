//! The triage list: the portfolio's accounts with reasons, ranked by need, minus what the CSM
//! has handled or snoozed. Also the recent history (scores on the anchor days) that the
//! Portfolio's delta columns and the drop rule read.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};

use super::PortfolioRow;
use super::history::MOVER_WINDOWS;
use crate::config::Config;
use crate::domain::band::HealthBand;
use crate::domain::catalog::LogKind;
use crate::domain::history::{self, DayHealth, Mover};
use crate::domain::triage::{self, Mark, MarkState, Reason, TriageFacts};
use crate::domain::{AccountFacts, AccountStatus, Catalog, Cents, FactorId, FactorValues, Source, signals};
use crate::store::{Result, Store};

/// Everything triage knows beyond the portfolio rows, loaded once and updated per account.
#[derive(Clone, Debug, Default)]
pub struct TriageBook {
    pub today: NaiveDate,
    /// Health on each anchor day, by account: one lookup per account, not one per day.
    history: AnchorHealth,
    risks: HashMap<i64, u32>,
    off_track: HashMap<i64, u32>,
    /// Goals still open past their target day.
    past_target: HashMap<i64, u32>,
    tasks: HashMap<i64, crate::store::TasksDue>,
    /// Late tasks per owner, wherever they are.
    late_by_owner: HashMap<String, u32>,
    /// Accounts whose champion left, with no champion since: who left.
    champions: HashMap<i64, String>,
    pub marks: HashMap<i64, Mark>,
    /// The ARR an account without one on record is ranked as: the book's median. Ranked as $0, a
    /// probe's Orange account 33 days past its renewal, with a risk and a late task, was 30th.
    unknown_arr: Cents,
    /// The book's usage feed is live: it has data from the last `USAGE_FED_DAYS` days.
    usage_fed: bool,
}

/// How recent the book's newest usage data must be for an account without any to be said so.
const USAGE_FED_DAYS: i64 = 45;

/// The health of every account on each anchor day (days back, 0 = today). A flat table, one row
/// of `windows.len()` cells per account, found through one hash lookup: opening a large book
/// asks it several times per account, where a binary search per day cost a tenth of the opening.
#[derive(Clone, Debug, Default)]
struct AnchorHealth {
    windows: Vec<i64>,
    slots: foldhash::HashMap<i64, usize>,
    cells: Vec<Option<DayHealth>>,
    /// The day the windows are back from.
    today: NaiveDate,
    /// Accounts' first scores since a day without one (`book::history::first_score`): few.
    first_scores: foldhash::HashMap<i64, (NaiveDate, DayHealth)>,
}

impl AnchorHealth {
    fn new(windows: Vec<i64>, today: NaiveDate) -> Self {
        AnchorHealth { windows, today, ..Default::default() }
    }

    fn set_first_score(&mut self, id: i64, first: Option<(NaiveDate, DayHealth)>) {
        match first {
            Some(first) => self.first_scores.insert(id, first),
            None => self.first_scores.remove(&id),
        };
    }

    fn set(&mut self, id: i64, window: usize, health: Option<DayHealth>) {
        let width = self.windows.len();
        let next = self.slots.len();
        let slot = *self.slots.entry(id).or_insert(next);
        if slot == next {
            self.cells.resize((next + 1) * width, None);
        }
        self.cells[slot * width + window] = health;
    }

    /// One account's health on every anchor day, in `windows` order.
    fn of(&self, id: i64) -> Option<AccountAnchors<'_>> {
        let width = self.windows.len();
        let slot = *self.slots.get(&id)?;
        Some(AccountAnchors {
            windows: &self.windows,
            cells: &self.cells[slot * width..(slot + 1) * width],
            today: self.today,
            first_score: self.first_scores.get(&id),
        })
    }
}

/// One account's row of `AnchorHealth`.
#[derive(Clone, Copy)]
struct AccountAnchors<'a> {
    windows: &'a [i64],
    cells: &'a [Option<DayHealth>],
    today: NaiveDate,
    first_score: Option<&'a (NaiveDate, DayHealth)>,
}

impl<'a> AccountAnchors<'a> {
    fn back(self, days: i64) -> Option<&'a DayHealth> {
        let at = self.windows.iter().position(|w| *w == days)?;
        self.cells[at].as_ref()
    }

    /// The health a change over the window `days` back is from: that day's, or where it had no
    /// score, the account's first score since, with how many days back that is (today scored).
    fn from(self, days: i64) -> Option<(Option<i64>, &'a DayHealth)> {
        if let Some(then) = self.back(days) {
            return Some((None, then));
        }
        let (day, first) = self.first_score?;
        let back = (self.today - *day).num_days();
        (back > 0 && back < days && self.back(0)?.score.is_some()).then_some((Some(back), first))
    }
}

/// One account on the triage list. Its name, ARR and score are in the portfolio row it points
/// to: a large book lists tens of thousands of items, and copying them would cost more than the
/// rules themselves.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TriageItem {
    pub id: i64,
    /// Index of the account's row in the portfolio rows the list was built from.
    pub row: usize,
    pub reasons: Vec<Reason>,
    pub need: f64,
    pub mark: Option<Mark>,
    /// The mark a reason new since brought the item back through (a snooze before its day, or a
    /// handled item): said on its row, as whoever marked it expects it gone (a probe's snooze
    /// "back on Wed" was first on Monday's list, nothing said why).
    #[serde(default)]
    pub back: Option<Mark>,
}

impl TriageItem {
    pub fn reason_keys(&self) -> Vec<String> {
        self.reasons.iter().map(Reason::key).collect()
    }
}

/// The list for today, and what is hidden from it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TriageList {
    /// Accounts with at least one reason and no mark hiding them, most need first.
    pub items: Vec<TriageItem>,
    /// Handled or snoozed accounts that still have reasons, most need first.
    pub hidden: Vec<TriageItem>,
}

/// Whether a triage reason is the one a playbook's trigger reads.
fn opened_by(trigger: crate::domain::playbook::TriggerKind, reason: &Reason) -> bool {
    use crate::domain::playbook::TriggerKind as T;
    matches!(
        (trigger, reason),
        (T::Band, Reason::Band(_))
            | (T::Drop, Reason::Drop(_))
            | (T::Renewal, Reason::Renewal { .. })
            | (T::Risk, Reason::RiskOpen(_))
            | (T::NoTouch, Reason::NoTouch { .. })
            | (T::ChampionLeft, Reason::ChampionLeft(_))
    )
}

/// The factors an item's reasons other than its band's (at `band_at`) say already: by their
/// label in the words, or by what the reason counts (touches, milestones, goals).
fn said_elsewhere(catalog: &Catalog, reasons: &[Reason], phrases: &[String], band_at: usize) -> Vec<FactorId> {
    let others = || phrases.iter().enumerate().filter(|(k, _)| *k != band_at).map(|(_, p)| p.as_str());
    catalog
        .ids()
        .filter(|id| {
            let def = catalog.def(*id);
            let counted = reasons.iter().any(|r| match r {
                Reason::NoTouch { .. } => matches!(def.source, Source::Log(LogKind::Touch) | Source::TouchWith(_)),
                Reason::OverdueMilestones(_) => def.source == Source::Milestones,
                Reason::GoalsOffTrack(_) | Reason::GoalsPastTarget(_) => def.source == Source::Goals,
                _ => false,
            });
            counted || others().any(|p| p.contains(catalog.label(*id)))
        })
        .collect()
}

/// "Red health", with what puts the account there: the factor that caps its band, then the
/// score's factors at their fewest points, costing it most, with their values ("Red health:
/// Days to first login ≥36d, Early logins 0 each at 1 point of 4"). A probe's new customer, never logged
/// in, read "Red health · 1 milestone overdue" in Triage: only the Account view said why. Plain
/// where the band is not the score's (an override sets it).
fn band_phrase(
    facts: &AccountFacts,
    values: &FactorValues,
    today: NaiveDate,
    config: &Config,
    band: HealthBand,
    said: &[FactorId],
) -> String {
    let catalog = &config.health.catalog;
    let plain = Reason::Band(band).phrase(catalog);
    let health = config.health.assess(values, &facts.subject(), today);
    if health.band != Some(band) {
        return plain;
    }
    // At their worst points only: a neutral sentiment at 2 of 4 beside a collapse of usage read as
    // the cause (a probe's "Orange health: CSM sentiment 5/10 · -57 in 30 days: Active users …").
    let mut drags: Vec<&crate::domain::scoring::FactorScore> =
        health.present().filter(|f| f.points == Some(1) && f.shortfall > 0.0).collect();
    drags.sort_by(|a, b| b.shortfall.total_cmp(&a.shortfall));
    // The factor that caps the band says it first, whatever its share.
    if let Some(cap) = health.capped_by.and_then(|id| health.factors.iter().find(|f| f.id == id)) {
        drags.retain(|f| f.id != cap.id);
        drags.insert(0, cap);
    }
    drags.retain(|f| !said.contains(&f.id));
    let named = |f: &&crate::domain::scoring::FactorScore| {
        let shown = catalog.def(f.id).format_scored(f.raw?, f.at_least, f.no_use);
        Some((format!("{} {shown}", config.health.label(f.id)), f.points?))
    };
    let named: Vec<(String, u8)> = drags.iter().take(2).filter_map(named).collect();
    // A critical factor caps the band on more than its fewest points too (Orange on 2): said
    // with its own points, apart from those on 1.
    let (fewest, capping): (Vec<_>, Vec<_>) = named.into_iter().partition(|(_, points)| *points <= 1);
    let mut parts: Vec<String> =
        capping.into_iter().map(|(shown, points)| format!("{shown}, critical at {points} points of 4")).collect();
    if !fewest.is_empty() {
        let shown: Vec<String> = fewest.into_iter().map(|(shown, _)| shown).collect();
        parts.push(format!("{} {}", shown.join(", "), crate::domain::scoring::at_fewest_points(shown.len())));
    }
    match parts.is_empty() {
        true => plain,
        false => format!("{plain}: {}", parts.join("; ")),
    }
}

/// A phrase of `explain` read back as the band's reason, if it is one: the band, and the factors
/// `band_phrase` named after it ("Red health: Early logins 0 at 1 point of 4"), none where it is bare.
/// The one reading of what `band_phrase` writes, for the screens and the one-on-one.
pub fn band_phrase_parts<'p>(phrase: &'p str, catalog: &Catalog) -> Option<(HealthBand, Option<&'p str>)> {
    HealthBand::ALL.into_iter().find_map(|band| {
        let rest = phrase.strip_prefix(Reason::Band(band).phrase(catalog).as_str())?;
        match rest.strip_prefix(": ") {
            Some(named) => Some((band, Some(named))),
            None => rest.is_empty().then_some((band, None)),
        }
    })
}

/// "stale: …" with how old each factor's newest data is, read from the account's facts: a metric
/// by how long before the rest of the book's usage data its last sample is, a log or goal by its
/// last entry or status. Factors as old as each other are named together ("stale: CSM sentiment
/// — 83 days old; Usage vs expected, Usage growth (MoM) — 70 days behind the rest").
fn stale_phrase(facts: &AccountFacts, today: NaiveDate, catalog: &Catalog, labels: &[String]) -> String {
    let ages = signals::factor_ages(facts, today, catalog);
    let mut groups: Vec<(Option<String>, Vec<&str>)> = Vec::new();
    for label in labels {
        let id = catalog.ids().find(|id| catalog.label(*id) == label.as_str());
        let when = id.and_then(|id| {
            let age = ages[id.index()]?;
            Some(match catalog.def(id).source {
                // A product export leaves out the days an account did not use it: say so, not
                // only that the feed lags (a probe read it as a broken feed, not a churn sign).
                Source::Metric { .. } => {
                    format!("{} behind the rest (usage stopped, or its feed did)", crate::text::days(age))
                }
                _ => format!("{} old", crate::text::days(age)),
            })
        });
        match groups.iter_mut().find(|(w, _)| *w == when) {
            Some((_, names)) => names.push(label),
            None => groups.push((when, vec![label])),
        }
    }
    let parts: Vec<String> = groups
        .into_iter()
        .map(|(when, names)| match when {
            Some(when) => format!("{} — {when}", names.join(", ")),
            None => names.join(", "),
        })
        .collect();
    format!("stale: {}", parts.join("; "))
}

impl TriageBook {
    /// Read the anchor days' history, the counts and the marks. History must be current
    /// (`book::prepare`).
    pub fn load(store: &Store, config: &Config, today: NaiveDate) -> Result<TriageBook> {
        TriageBook::load_between(store, config, today, i64::MIN..=i64::MAX)
    }

    /// `load`, with the history of the accounts whose id is in `ids` only (a half of the book,
    /// read beside the other half).
    pub fn load_between(
        store: &Store,
        config: &Config,
        today: NaiveDate,
        ids: std::ops::RangeInclusive<i64>,
    ) -> Result<TriageBook> {
        TriageBook::without_history(store, today)?.with_history_between(store, config, ids)
    }

    /// Everything but the history: the book's counts, tasks and marks, which spell a list's
    /// reasons out. Read once for a day, then given each half's history (`with_history_between`):
    /// the counts read the whole book whatever the half.
    pub fn without_history(store: &Store, today: NaiveDate) -> Result<TriageBook> {
        Ok(TriageBook {
            today,
            history: AnchorHealth::default(),
            risks: store.open_risks(today)?,
            off_track: store.goals_off_track(today)?,
            past_target: store.goals_past_target(today)?,
            tasks: store.tasks_due(today)?,
            late_by_owner: store.late_tasks_by_owner(today)?,
            champions: store.champions_gone(today)?,
            marks: store.triage_marks()?,
            unknown_arr: store.median_arr()?.unwrap_or_default(),
            usage_fed: store
                .book_days()?
                .usage_days
                .through(today)
                .is_some_and(|newest| (today - newest).num_days() <= USAGE_FED_DAYS),
        })
    }

    /// This book with the anchor days' history of the accounts whose id is in `ids`, in place of
    /// what it had.
    pub fn with_history_between(
        mut self,
        store: &Store,
        config: &Config,
        ids: std::ops::RangeInclusive<i64>,
    ) -> Result<TriageBook> {
        let mut history = AnchorHealth::new(super::history::anchor_windows(config), self.today);
        let days: Vec<NaiveDate> = history.windows.iter().map(|back| self.today - Duration::days(*back)).collect();
        let found = store.history_on_days(&days, ids)?;
        // Today's list (window 0) names nearly every account: room for all at once.
        history.slots.reserve(found.len());
        for row in found {
            for (k, health) in row.days.into_iter().enumerate() {
                if health.is_some() {
                    history.set(row.id, k, health);
                }
            }
            history.set_first_score(row.id, row.first_score);
        }
        self.history = history;
        Ok(self)
    }

    /// Re-read one account after a write (its history must be current again first).
    pub fn refresh_account(&mut self, store: &Store, config: &Config, id: i64) -> Result<()> {
        if self.history.windows != super::history::anchor_windows(config) {
            self.history = AnchorHealth::new(super::history::anchor_windows(config), self.today);
        }
        self.history.today = self.today;
        for (k, back) in self.history.windows.clone().into_iter().enumerate() {
            let day = self.today - Duration::days(back);
            let found = store.account_history(id, day, day)?.into_iter().next().map(|(_, h)| h);
            self.history.set(id, k, found);
        }
        self.history.set_first_score(id, store.account_first_score(id)?);
        let (risks, off_track, past_target) = store.account_triage_counts(id, self.today)?;
        let counts = [(&mut self.risks, risks), (&mut self.off_track, off_track), (&mut self.past_target, past_target)];
        for (map, n) in counts {
            if n > 0 {
                map.insert(id, n)
            } else {
                map.remove(&id)
            };
        }
        match store.account_champions_gone(id, self.today)? {
            Some(names) => self.champions.insert(id, names),
            None => self.champions.remove(&id),
        };
        self.late_by_owner = store.late_tasks_by_owner(self.today)?;
        match store.account_tasks_due(id, self.today)? {
            due if due.any() => self.tasks.insert(id, due),
            _ => self.tasks.remove(&id),
        };
        Ok(())
    }

    /// An empty book of one day, for reading accounts one at a time (`refresh_account`).
    pub fn empty(today: NaiveDate) -> TriageBook {
        TriageBook { today, ..Default::default() }
    }

    /// The like-for-like score change over each anchor window where both days have a score.
    pub fn changes(&self, config: &Config, id: i64) -> Vec<(i64, i32)> {
        let Some(anchors) = self.history.of(id) else { return Vec::new() };
        let Some(now) = anchors.back(0) else { return Vec::new() };
        anchors
            .windows
            .iter()
            .filter(|w| **w > 0)
            .filter_map(|w| Some((*w, history::like_for_like(&config.health, anchors.from(*w)?.1, now)?)))
            .collect()
    }

    /// Champions of one account who left with none there since (0 or 1).
    pub fn champions_left_of(&self, id: i64) -> u32 {
        u32::from(self.champions.contains_key(&id))
    }

    /// Open risk flags of one account.
    pub fn open_risks_of(&self, id: i64) -> u32 {
        self.risks.get(&id).copied().unwrap_or(0)
    }

    /// Late tasks a CSM owns, on any account.
    pub fn late_tasks_of(&self, csm: &str) -> u32 {
        self.late_by_owner.get(csm).copied().unwrap_or(0)
    }

    /// The CSMs who own late tasks (on any account), by name.
    pub fn late_task_owners(&self) -> impl Iterator<Item = &str> {
        self.late_by_owner.iter().filter(|(csm, late)| !csm.is_empty() && **late > 0).map(|(csm, _)| csm.as_str())
    }

    /// Open tasks late and due today, for one account.
    pub fn tasks_due_of(&self, id: i64) -> crate::store::TasksDue {
        self.tasks.get(&id).copied().unwrap_or_default()
    }

    /// Goals off track for one account.
    pub fn goals_off_track_of(&self, id: i64) -> u32 {
        self.off_track.get(&id).copied().unwrap_or(0)
    }

    /// Fill the Portfolio rows' deltas over the mover windows, and whether a risk flag is open.
    pub fn annotate(&self, config: &Config, rows: &mut [PortfolioRow]) {
        for row in rows {
            self.annotate_row(config, row);
        }
    }

    /// The like-for-like score change over each mover window (see `history::like_for_like`): a
    /// factor's first data is never a change.
    pub fn annotate_row(&self, config: &Config, row: &mut PortfolioRow) {
        let anchors = self.history.of(row.id);
        let now = anchors.and_then(|a| a.back(0));
        row.risk_open = self.risks.get(&row.id).is_some_and(|n| *n > 0);
        row.unscored_at_worst = row.score.is_none() && row.evidence_at_worst(config).next().is_some();
        row.first_data_moved = 0;
        for (k, w) in MOVER_WINDOWS.iter().enumerate() {
            let days = anchors.and_then(|a| Some(a.from(*w)?.1)).zip(now);
            let change = days.and_then(|(then, now)| history::like_for_like(&config.health, then, now));
            let plain = days.and_then(|(then, now)| Some(i32::from(now.score?) - i32::from(then.score?)));
            if change.is_some() && plain != change {
                row.first_data_moved |= 1 << k;
            }
            row.deltas[k] = change;
        }
    }

    /// The account's falls over the triage drop windows (the factor named by points). Windows
    /// without a fall big enough to be a reason are not worked out.
    fn falls(&self, config: &Config, id: i64) -> Vec<Mover> {
        let Some(anchors) = self.history.of(id) else { return Vec::new() };
        let Some(now) = anchors.back(0) else { return Vec::new() };
        if now.score.is_none() {
            return Vec::new();
        }
        config
            .triage
            .drop_windows
            .iter()
            .filter_map(|w| {
                let (first_score, then) = anchors.from(*w)?;
                let fell = -history::like_for_like(&config.health, then, now)? >= config.triage.drop_points;
                fell.then(|| history::mover(&config.health, *w, then, now).since_first_score(first_score))
            })
            .collect()
    }

    /// An account with no score today that had one on a drop window back: that score, the
    /// nearest such window, and whether it was the new customers' (jumpstart) score, now ended.
    fn score_lost(&self, config: &Config, row: &PortfolioRow) -> Option<(u8, i64, bool)> {
        if row.score.is_some() {
            return None;
        }
        let anchors = self.history.of(row.id)?;
        let mut windows = config.triage.drop_windows.clone();
        windows.sort_unstable();
        let (days, then) = windows.into_iter().find_map(|w| Some((w, anchors.back(w)?)))?;
        let jumpstart_ended = then.points.kind() == crate::domain::scoring::ScoreKind::Jumpstart
            && !crate::domain::signals::in_jumpstart(row.customer_since, self.today, config.health.jumpstart_days);
        Some((then.score?, days, jumpstart_ended))
    }

    /// Today's reasons for one account.
    pub fn reasons(&self, config: &Config, row: &PortfolioRow) -> Vec<Reason> {
        let movers = self.falls(config, row.id);
        // Not where a fall names the sentiment already ("CSM sentiment 5/10 -> 3/10").
        let low_sentiment = row.low_sentiment.and_then(|v| {
            let id = config.health.catalog.find(&Source::Log(LogKind::Sentiment), "latest")?;
            let said = movers.iter().any(|m| m.shift.is_some_and(|s| s.id == id));
            (!said).then(|| config.health.catalog.format_value(id, f64::from(v)))
        });
        // Asked only of an account that fell, or has no score (few do): whether the fall, or a
        // factor at its worst, is the touch factor.
        let touch_factor = match movers.is_empty() && row.score.is_some() {
            true => None,
            false => config.health.catalog.find(&Source::Log(LogKind::Touch), "days_since_last"),
        };
        let facts = TriageFacts {
            band: row.band,
            days_to_renewal: row.days_to_renewal(self.today),
            renewal_seen_lapse: row.renewal_date.is_some() && !super::renewals::is_long_past(row, self.today),
            movers,
            overdue_milestones: row.overdue_milestones,
            goals_off_track: self.off_track.get(&row.id).copied().unwrap_or(0),
            goals_past_target: self.past_target.get(&row.id).copied().unwrap_or(0),
            score_lost: self.score_lost(config, row),
            days_since_touch: row.days_since_touch,
            touch_never_logged: row.touch_at_least,
            touch_from_start: row.touch_at_least
                && row
                    .customer_since
                    .is_some_and(|since| row.days_since_touch == Some((self.today - since).num_days())),
            touch_factor,
            open_risks: self.risks.get(&row.id).copied().unwrap_or(0),
            stale: row.stale_factors().into_iter().map(|id| config.health.label(id).to_string()).collect(),
            low_data: row.not_enough_data(),
            thin: row.thin,
            // Evidence only: goals and milestones at their worst have reasons of their own.
            at_worst: match row.score {
                Some(_) if !row.thin => Vec::new(),
                _ => row.evidence_at_worst(config).map(|id| (id, config.health.label(id).to_string())).collect(),
            },
            tasks_overdue: self.tasks.get(&row.id).map_or(0, |t| t.overdue),
            tasks_today: self.tasks.get(&row.id).map_or(0, |t| t.today),
            champion_left: self.champions.get(&row.id).map(|n| crate::text::clean(n)),
            low_sentiment,
            collapse: row.collapse.map(|(id, v)| {
                format!("{} {}", config.health.label(id), config.health.catalog.format_value(id, f64::from(v)))
            }),
            no_csm: row.csm.trim().is_empty(),
            // Not the new customers': their first use has factors of its own.
            no_usage: self.usage_fed && row.no_usage && row.kind != crate::domain::ScoreKind::Jumpstart,
        };
        triage::reasons(&config.triage, &row.segment, &facts)
    }

    /// Today's list from the portfolio rows. Churned accounts are never on it.
    pub fn list(&self, config: &Config, rows: &[PortfolioRow]) -> TriageList {
        self.list_for(config, rows, None)
    }

    /// Today's list of one CSM's accounts (everyone's when None).
    pub fn list_for(&self, config: &Config, rows: &[PortfolioRow], csm: Option<&str>) -> TriageList {
        // Room for every row at once: a list of a million grown by doubling is copied again and
        // again into memory the system clears each time.
        let mut out = TriageList { items: Vec::with_capacity(rows.len()), hidden: Vec::new() };
        let mine = |r: &PortfolioRow| csm.is_none_or(|c| *r.csm == *c);
        for (i, row) in rows.iter().enumerate().filter(|(_, r)| mine(r)) {
            match self.item(config, row, i) {
                Some((item, false)) => out.items.push(item),
                Some((item, true)) => out.hidden.push(item),
                None => {}
            }
        }
        let order = |a: &TriageItem, b: &TriageItem| need_order((a, &rows[a.row]), (b, &rows[b.row]));
        out.items.sort_unstable_by(order);
        out.hidden.sort_unstable_by(order);
        out
    }

    /// The account's item on today's list, pointing at row `i`, and whether a mark hides it; None
    /// when it has no reason to be there (or is churned).
    pub(super) fn item(&self, config: &Config, row: &PortfolioRow, i: usize) -> Option<(TriageItem, bool)> {
        if row.status == AccountStatus::Churned {
            return None;
        }
        let reasons = self.reasons(config, row);
        if reasons.is_empty() {
            return None;
        }
        let mark = self.marks.get(&row.id).cloned();
        let hidden = mark.as_ref().is_some_and(|m| m.hides(&reasons, self.today));
        // Read only for a stale item (the ranking passes every row of the book).
        let usage_stale = reasons.iter().any(|r| matches!(r, Reason::Stale(_)))
            && row.stale_factors().into_iter().any(|id| {
                matches!(config.health.catalog.def(id).source, crate::domain::catalog::Source::Metric { .. })
            });
        let arr = row.arr.on_record().unwrap_or(self.unknown_arr);
        let need = triage::need_with(&config.triage, &reasons, arr.units(), usage_stale);
        // A mark that no longer hides the item (a new reason since) is not shown: the item is
        // simply back, and `h` marks it afresh.
        let (mark, back) = match hidden {
            true => (mark, None),
            false => (None, mark.filter(|m| m.brought_back(&reasons, self.today))),
        };
        Some((TriageItem { id: row.id, row: i, reasons, need, mark, back }, hidden))
    }

    /// The item's reasons in full for the line under the list: a fall is spelled out with the
    /// moved factor's raw values before and after, read from the account's own facts (one
    /// account, so it is cheap; the book-wide list only knows points).
    pub fn explain(&self, store: &Store, config: &Config, item: &TriageItem) -> Result<Vec<String>> {
        self.explain_with(store, config, item, false)
    }

    /// `explain`, a fall naming the other factors that moved with the one that moved most
    /// (`Mover::describe_in_full`): where one account is walked through, as in a one-on-one, not
    /// a list's line, whose later reasons it would push out of sight.
    pub fn explain_in_full(&self, store: &Store, config: &Config, item: &TriageItem) -> Result<Vec<String>> {
        self.explain_with(store, config, item, true)
    }

    fn explain_with(&self, store: &Store, config: &Config, item: &TriageItem, in_full: bool) -> Result<Vec<String>> {
        let facts = match item.reasons.iter().any(|r| {
            matches!(
                r,
                Reason::Drop(_) | Reason::Stale(_) | Reason::Band(_) | Reason::AtWorst(_) | Reason::ThinAtWorst { .. }
            )
        }) {
            true => Some(store.account_facts(item.id, &config.health.catalog)?),
            false => None,
        };
        let catalog = &config.health.catalog;
        // Today's values, for a fall's raw values and the band's factors alike: derived once.
        let now = facts.as_ref().map(|f| signals::derive_values(f, self.today, catalog));
        let tasks = match self.tasks.contains_key(&item.id) || !config.playbooks.is_empty() {
            true => store.tasks(&crate::store::TaskFilter { account_id: Some(item.id), ..Default::default() })?,
            false => Vec::new(),
        };
        let mut phrases: Vec<String> = item
            .reasons
            .iter()
            .map(|r| match (r, &facts, &now) {
                (Reason::Drop(m), Some(f), Some(after)) => {
                    let before = signals::derive_values(f, self.today - Duration::days(m.days_back()), catalog);
                    let m = history::with_raw(*m, &before, after);
                    m.describe_noting_first_data(catalog, in_full)
                }
                (Reason::Stale(labels), Some(f), _) => stale_phrase(f, self.today, catalog, labels),
                // With their values, as the band's reason names its factors: a probe's founder read
                // "no score, and CSM sentiment at 1 point of 4" and looked for the 3/10 logged.
                (Reason::AtWorst(labels) | Reason::ThinAtWorst { factors: labels, .. }, _, Some(now)) => {
                    let shown: Vec<String> = labels
                        .iter()
                        .map(|label| {
                            let id = catalog.ids().find(|id| config.health.label(*id) == label.as_str());
                            match id.and_then(|id| Some((id, now.get(id)?))) {
                                Some((id, raw)) => format!(
                                    "{label} {}",
                                    catalog.def(id).format_scored(raw, now.is_at_least(id), now.is_no_use(id))
                                ),
                                None => label.clone(),
                            }
                        })
                        .collect();
                    match r {
                        Reason::ThinAtWorst { band, .. } => Reason::ThinAtWorst { band: *band, factors: shown },
                        _ => Reason::AtWorst(shown),
                    }
                    .phrase(catalog)
                }
                (Reason::TasksDue { .. }, _, _) => {
                    let due: Vec<&crate::store::TaskRecord> = tasks.iter().filter(|t| t.due <= self.today).collect();
                    let first = due.first().map(|t| format!(": \"{}\"", crate::text::clean(&t.title)));
                    let more = if due.len() > 1 { format!(" and {} more", due.len() - 1) } else { String::new() };
                    format!("{}{}{more}", r.phrase(catalog), first.unwrap_or_default())
                }
                _ => r.phrase(catalog),
            })
            .collect();
        // The band's reason names what puts the account there, but for what its other reasons say.
        if let (Some(f), Some(now)) = (&facts, &now)
            && let Some((at, Reason::Band(band))) =
                item.reasons.iter().enumerate().find(|(_, r)| matches!(r, Reason::Band(_)))
        {
            let said = said_elsewhere(catalog, &item.reasons, &phrases, at);
            phrases[at] = band_phrase(f, now, self.today, config, *band, &said);
        }
        // A playbook's open tasks are named beside the reason that opened them (or after the
        // reasons, when its trigger is no reason of triage's). Its next task named already by the
        // tasks' reason is not named again: a probe's line said "Check in with champion" twice.
        let tasks_at = item.reasons.iter().position(|r| matches!(r, Reason::TasksDue { .. }));
        let named_by_tasks = tasks_at.and_then(|_| tasks.iter().find(|t| t.due <= self.today)).map(|t| t.id);
        for p in &config.playbooks {
            let open: Vec<&crate::store::TaskRecord> = tasks.iter().filter(|t| t.playbook == p.name).collect();
            let Some(next) = open.first() else { continue };
            let name = crate::text::clean(&p.name);
            let named = named_by_tasks == Some(next.id);
            let link = match (named, open.len()) {
                (true, 1) => format!(" → playbook \"{name}\""),
                (true, n) => format!(" → playbook \"{name}\": {n} open"),
                (false, n) => format!(
                    " → playbook \"{name}\": {n} open, next \"{}\" {}",
                    crate::text::clean(&next.title),
                    crate::domain::task::due_phrase(next.due, self.today)
                ),
            };
            match (item.reasons.iter().position(|r| opened_by(p.trigger, r)), tasks_at) {
                (Some(at), _) => phrases[at].push_str(&link),
                // Its trigger no reason here: said of the task the tasks' reason names.
                (None, Some(at)) if named => phrases[at].push_str(&format!(" ({})", link.trim_start_matches(" → "))),
                (None, _) => phrases.push(link.trim_start_matches(" → ").to_string()),
            }
        }
        Ok(phrases)
    }

    /// Mark an item handled (None days) or snoozed for `days`, by the CSM named `by` (the
    /// config's `me`); persisted at once.
    pub fn mark(
        &mut self,
        book: &mut dyn super::storage::Book,
        item: &TriageItem,
        snooze_days: Option<i64>,
        by: Option<&str>,
    ) -> Result<Mark, super::storage::BookError> {
        // Reasons and the item id are all a mark needs; the row is not read.
        let mark = Mark {
            state: if snooze_days.is_some() { MarkState::Snoozed } else { MarkState::Handled },
            marked_on: self.today,
            // Back on a working day: a week's snooze from a Sunday came back on a Sunday.
            until: snooze_days.map(|d| crate::domain::day_text::off_weekend(self.today + Duration::days(d))),
            reasons: item.reason_keys(),
            by: by.map(str::to_owned),
        };
        book.transact(&mut |tx| tx.set_triage_mark(item.id, Some(&mark)))?;
        self.marks.insert(item.id, mark.clone());
        Ok(mark)
    }

    /// Put a handled or snoozed item back on the list.
    pub fn unmark(&mut self, book: &mut dyn super::storage::Book, id: i64) -> Result<(), super::storage::BookError> {
        self.restore_mark(book, id, None)
    }

    /// Set an account's mark back to what it was (undo), None for no mark.
    pub fn restore_mark(
        &mut self,
        book: &mut dyn super::storage::Book,
        id: i64,
        mark: Option<Mark>,
    ) -> Result<(), super::storage::BookError> {
        book.transact(&mut |tx| tx.set_triage_mark(id, mark.as_ref()))?;
        match mark {
            Some(m) => self.marks.insert(id, m),
            None => self.marks.remove(&id),
        };
        Ok(())
    }
}

/// The list's order: most need first; ties by ARR, then name, then id, so the order is the same
/// however the items were gathered.
pub(super) fn need_order(a: (&TriageItem, &PortfolioRow), b: (&TriageItem, &PortfolioRow)) -> std::cmp::Ordering {
    let ((ia, ra), (ib, rb)) = (a, b);
    ib.need.total_cmp(&ia.need).then(rb.arr.cmp(&ra.arr)).then_with(|| ra.name.cmp(&rb.name)).then(ra.id.cmp(&rb.id))
}
