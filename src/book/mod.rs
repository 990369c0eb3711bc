//! Use cases over the store and the domain: what the TUI and the CLI both show and do. Text that
//! leaves here for display is already cleaned for the terminal.

pub mod backtest;
pub mod contacts;
pub mod contracts;
pub mod grid;
pub mod health_trend;
pub mod history;
pub mod import_moves;
pub mod log;
pub mod metrics;
pub mod names;
pub mod overrides;
pub mod owners;
pub mod playbooks;
pub mod renewals;
pub mod resolve;
pub mod rules_change;
pub mod scoring;
pub mod search;
pub mod storage;
pub mod tasks;
pub mod team;
pub mod triage;
pub mod triage_head;
pub mod undo_seam;

use std::sync::Arc;

use chrono::NaiveDate;

use crate::config::Config;
use crate::domain::catalog::{LogKind, Source, Transform};
use crate::domain::explain::{self, Lift};
use crate::domain::factor::MAX_FACTORS;
use crate::domain::history::{DayHealth, Mover};
use crate::domain::journey::{MilestoneFact, MilestoneState};
use crate::domain::signals;
use crate::domain::{
    Account, AccountStatus, BandCutoffs, Catalog, Cents, FactorId, FactorValues, HealthBand, HealthScore, ScoreKind,
};
use crate::store::accounts::AccountSummary;
use crate::store::contracts::{ContractEvent, ContractKind};
use crate::store::overrides::BandOverride;
use crate::store::{EntryRecord, GoalRecord, MilestoneRecord, Result, Store};
use crate::text::clean;

/// One line of the portfolio.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PortfolioRow {
    pub id: i64,
    pub name: String,
    /// Shared by every row of the CSM (and of the currency): a large book has few of each.
    pub csm: Arc<str>,
    pub segment: Arc<str>,
    /// The segment's place among the config's, biggest first (Unsegmented, and a segment the
    /// config no longer has, last): the Segment column sorts by it, not A-Z (Deer before
    /// Elephant read as no order at all).
    pub segment_rank: u8,
    pub arr: Cents,
    pub currency: Arc<str>,
    pub renewal_date: Option<NaiveDate>,
    pub status: AccountStatus,
    pub kind: ScoreKind,
    pub score: Option<u8>,
    pub band: Option<HealthBand>,
    pub customer_since: Option<NaiveDate>,
    /// The day the book got the account: a renewal date already long past then is a CRM's date
    /// not kept up; one that went by since is a renewal the book saw lapse
    /// (`renewals::is_long_past`).
    #[serde(default)]
    pub in_book_since: Option<NaiveDate>,
    /// Days since the last touch as the touch factor reads it (None while touches are not tracked).
    pub days_since_touch: Option<i64>,
    /// `days_since_touch` is a lower bound: no touch logged yet, it counts from when tend began
    /// tracking the account (its first entry). Over the cadence that is a real "no touch in N
    /// days"; under it, nothing is known of the last touch.
    pub touch_at_least: bool,
    pub overdue_milestones: u32,
    /// Score change over the last 7, 30 and 90 days (`history::MOVER_WINDOWS`), from the
    /// history; None without a score on both days.
    pub deltas: [Option<i32>; 3],
    /// Bits (window index) of the `deltas` the first data of a factor makes differ from the plain
    /// difference of the two days' scores: the change is like for like, and the score moved by
    /// more or less ("+3" beside a score gone 95 -> 70 read as a contradiction).
    pub first_data_moved: u8,
    /// The factor costing the score the most points, if any costs anything.
    pub drag: Option<FactorId>,
    /// Bits (`FactorId::index`) of the score's factors at 1 point, their lowest (worked out only
    /// when a playbook has a factor trigger, or the account has no score).
    pub lowest_mask: u32,
    /// The band the score gives. `band` is the one in force: a CSM's override, when one applies.
    pub computed_band: Option<HealthBand>,
    pub overridden: bool,
    /// Bits (`FactorId::index`) of the factors whose data is stale.
    pub stale_mask: u32,
    /// How much of the profile's weight has data, in whole percent (see `scoring::Coverage`).
    pub coverage: u8,
    /// Scored, but from thin evidence (`Coverage::is_thin`): marked `~` in lists.
    pub thin: bool,
    /// The band is below the one the score gives: a critical factor capped it (marked "cap" in
    /// lists, where "R 63" read as a contradiction).
    #[serde(default)]
    pub capped: bool,
    /// The latest CSM sentiment where it earns its score's fewest points (1), on a scored
    /// account: a Triage reason of its own (`Reason::LowSentiment`).
    pub low_sentiment: Option<f32>,
    /// A factor of `triage.collapse_factors` at its worst points, with its value: a Triage reason
    /// of its own (`Reason::Collapse`).
    pub collapse: Option<(FactorId, f32)>,
    /// A risk flag is open on the account (filled in with the deltas, `TriageBook::annotate_row`).
    pub risk_open: bool,
    /// No score yet, and data at its worst (`evidence_at_worst`, filled in with the deltas):
    /// Triage ranks it as Orange, and so does the renewals forecast.
    pub unscored_at_worst: bool,
    /// No factor over a metric (but the help desk's ticket counts) has a value today: no usage
    /// data for the account (none exported for it, or none for weeks). Where the book's usage feed is live, Triage says so of an
    /// account without a score (`Reason::NoUsage`).
    #[serde(default)]
    pub no_usage: bool,
}

impl PortfolioRow {
    /// The score as lists write it: "~62" when from thin evidence.
    pub fn shown_score(&self) -> Option<String> {
        self.score.map(|s| if self.thin { format!("~{s}") } else { s.to_string() })
    }

    /// The CSM has said the account is in trouble, whatever its score: their latest sentiment at
    /// its worst, or a risk flag open. Its renewal is at risk, at Orange's likelihood at most.
    pub fn csm_says_at_risk(&self) -> bool {
        self.low_sentiment.is_some() || self.risk_open
    }

    /// Its CSM says it is in trouble (`csm_says_at_risk`), or it has no score yet and its data
    /// is at its worst: a renewal at Orange's likelihood at most, and at risk. Renewals read such
    /// an account as "low data 60%" and left it out of the ARR at risk, where Triage ranked it as
    /// Orange.
    ///
    /// Not when its band is overridden: the override is a person's call over the score and the
    /// flags alike (a lead's Green for "verbal yes from the CFO" was forecast at Orange's 50% for
    /// a risk flag the override had weighed).
    pub fn says_at_risk(&self) -> bool {
        (self.csm_says_at_risk() || self.unscored_at_worst) && !self.overridden
    }

    /// Its renewal is past its day on `today` with nothing recorded (a renewal recorded moves
    /// the date on; a churn takes it out of the renewals).
    pub fn renewal_late(&self, today: NaiveDate) -> bool {
        self.renewal_date.is_some_and(|d| d < today)
    }

    /// How likely its renewal is (`Likelihood::of_renewal`), as the forecast counts it.
    pub fn renewal_likelihood(&self, likelihood: &crate::domain::renewal::Likelihood, today: NaiveDate) -> f64 {
        likelihood.of_renewal(self.band, self.says_at_risk(), self.renewal_late(today))
    }

    /// Whether that is below its band's: marked "*" beside it, and said why.
    pub fn renewal_lowered(&self, likelihood: &crate::domain::renewal::Likelihood, today: NaiveDate) -> bool {
        likelihood.lowered(self.band, self.says_at_risk(), self.renewal_late(today))
    }

    /// The evidence factors of its score at their fewest points (`lowest_mask`; goals and
    /// milestones, tend's bookkeeping, have reasons of their own), in the score's order.
    pub fn evidence_at_worst<'c>(&self, config: &'c Config) -> impl Iterator<Item = FactorId> + 'c {
        let mask = self.lowest_mask;
        config
            .health
            .model(self.kind)
            .iter()
            .filter(move |(id, rule)| !rule.bookkeeping && mask & (1 << id.index()) != 0)
            .map(|(id, _)| *id)
    }

    /// Some data, but too little for a score.
    pub fn not_enough_data(&self) -> bool {
        self.score.is_none() && self.coverage > 0
    }

    /// A plain active row for unit tests: the given band (score 50 when it has one), no dates.
    #[cfg(test)]
    pub(crate) fn sample(id: i64, segment: &str, band: Option<HealthBand>, arr: f64, status: AccountStatus) -> Self {
        PortfolioRow {
            id,
            name: format!("A{id}"),
            csm: "".into(),
            segment: Arc::from(segment),
            segment_rank: 0,
            arr: Cents::from_units(arr),
            currency: "USD".into(),
            renewal_date: None,
            status,
            kind: ScoreKind::Regular,
            score: band.map(|_| 50),
            band,
            customer_since: None,
            in_book_since: None,
            days_since_touch: None,
            touch_at_least: false,
            overdue_milestones: 0,
            deltas: [None; 3],
            first_data_moved: 0,
            drag: None,
            lowest_mask: 0,
            computed_band: band,
            overridden: false,
            stale_mask: 0,
            coverage: if band.is_some() { 100 } else { 0 },
            thin: false,
            capped: false,
            low_sentiment: None,
            collapse: None,
            risk_open: false,
            unscored_at_worst: false,
            no_usage: false,
        }
    }

    /// The factors whose data is older than their `stale_after_days`.
    pub fn stale_factors(&self) -> Vec<FactorId> {
        (0..MAX_FACTORS as u8).map(FactorId).filter(|f| self.stale_mask & (1 << f.index()) != 0).collect()
    }
}

impl PortfolioRow {
    pub fn days_to_renewal(&self, as_of: NaiveDate) -> Option<i64> {
        self.renewal_date.map(|d| (d - as_of).num_days())
    }
}

/// Whether `today` is a day still to come on this machine's clock: `--as-of` ahead previews the
/// book, and nothing is written or opened on such a day.
pub fn is_preview(today: NaiveDate) -> bool {
    today > chrono::Local::now().date_naive()
}

/// The last day whose outcomes are known as of `today`: `today`, or on a preview this machine's
/// own today (renewals and churns of the days to come have not happened).
pub fn last_known_day(today: NaiveDate) -> NaiveDate {
    today.min(chrono::Local::now().date_naive())
}

/// Why a write is refused as of `today`, a day still to come (a probe's `--as-of 2027-01-15
/// churn` wrote a churn dated then, which `--date 2027-01-15` refuses as in the future). None
/// on a day come.
pub fn preview_refusal(today: NaiveDate) -> Option<String> {
    preview_refusal_to(today, "write as of today (a task's --due or an override's --until may be a day to come)")
}

/// `preview_refusal` as the screens say it: they have no `--due` (a lead's probe read the flags
/// in a message on screen).
pub fn preview_refusal_on_screen(today: NaiveDate) -> Option<String> {
    preview_refusal_to(today, "open tend without --as-of to write")
}

/// `preview_refusal`, ending in `way`: what to do instead.
pub(crate) fn preview_refusal_to(today: NaiveDate, way: &str) -> Option<String> {
    is_preview(today).then(|| {
        format!(
            "as of {today}, a day still to come on this machine's clock, tend previews the book and writes nothing: {way}"
        )
    })
}

/// Make sure every account has factor values cached for `as_of`; returns how many were computed.
pub fn refresh(store: &mut Store, config: &Config, as_of: NaiveDate) -> Result<usize> {
    // Cached values from other health rules are dropped first, never read.
    history::reset_foreign_caches(store, config)?;
    store.refresh_snapshots(as_of, history::worked_ahead_to(as_of), as_of, &config.health)
}

/// Everything opening the book needs cached: today's factor values, and the history on the days
/// the movers and triage compare with.
/// Returns what the history took (whether the next working day was worked out with it).
pub fn prepare(store: &mut Store, config: &Config, as_of: NaiveDate) -> Result<history::HistoryWork> {
    prepare_showing(store, config, as_of, &indicatif::ProgressBar::hidden())
}

/// `prepare`, telling `progress` each account done.
pub fn prepare_showing(
    store: &mut Store,
    config: &Config,
    as_of: NaiveDate,
    progress: &indicatif::ProgressBar,
) -> Result<history::HistoryWork> {
    prepare_days(store, config, as_of, true, progress)
}

/// Books of fewer accounts work a new day out in a moment: the next working day is worked out
/// with it, and that day's first open reads no facts. From this many, someone waiting for today
/// (a screen, a report) is given today alone: the next working day is worked out behind the
/// screen, or by `tend snapshot`, and a book fed a new day of usage every night would drop it
/// anyway (a new day of the book's data moves every account's values).
pub const WORK_AHEAD_FROM: usize = 5_000;

/// Whether a new day's first pass over `store` works the next working day out in the same read:
/// on a book small enough for it to cost nothing (`WORK_AHEAD_FROM`), or one nothing can be
/// stored in (which works nothing out ahead).
pub fn works_ahead_at_once(store: &Store) -> Result<bool> {
    Ok(store.read_only().is_some() || store.account_count()? < WORK_AHEAD_FROM)
}

/// `prepare` for someone waiting for today's answer (a report, a screen about to show its
/// list): the next working day is worked out in the same read only on a small book
/// (`works_ahead_at_once`).
pub fn prepare_today(
    store: &mut Store,
    config: &Config,
    as_of: NaiveDate,
    progress: &indicatif::ProgressBar,
) -> Result<history::HistoryWork> {
    let ahead = works_ahead_at_once(store)?;
    prepare_days(store, config, as_of, ahead, progress)
}

/// `prepare_showing`, working the next working day out too when `ahead`: a screen that works it
/// out behind it once it shows today's list (`history::work_ahead`) asks for today's values and
/// history alone, so that a day nothing prepared shows its list in half the writing.
pub fn prepare_days(
    store: &mut Store,
    config: &Config,
    as_of: NaiveDate,
    ahead: bool,
    progress: &indicatif::ProgressBar,
) -> Result<history::HistoryWork> {
    // The caches are a convenience: on a full disk a reader goes on without storing them (what
    // they lack is computed from the facts), instead of failing to show the book at all.
    match make_current(store, config, as_of, ahead, progress) {
        Err(crate::store::StoreError::Full { .. }) => Ok(history::HistoryWork::default()),
        other => other,
    }
}

/// `prepare`, telling `progress` each account done; returns how many accounts' factor values
/// were computed and what the history took; a full disk is an error. Each count reads every
/// account's cache row (a tenth of a second at a million accounts): only `tend snapshot`, which
/// reports them, counts.
pub fn prepare_with(
    store: &mut Store,
    config: &Config,
    as_of: NaiveDate,
    progress: &indicatif::ProgressBar,
) -> Result<(usize, history::HistoryWork)> {
    history::reset_foreign_caches(store, config)?;
    let missing = store.accounts_missing_snapshot(as_of)?;
    let work = make_current(store, config, as_of, true, progress)?;
    Ok((missing.saturating_sub(store.accounts_missing_snapshot(as_of)?), work))
}

/// The history goes first: when a new day means reading every account, today's factor values
/// come in the same pass (and the next working day's with them, `ahead`), and `refresh` has
/// little left.
fn make_current(
    store: &mut Store,
    config: &Config,
    as_of: NaiveDate,
    ahead: bool,
    progress: &indicatif::ProgressBar,
) -> Result<history::HistoryWork> {
    let work = history::backfill_with(store, config, as_of, ahead, progress)?;
    refresh(store, config, as_of)?;
    Ok(work)
}

/// How many of `rows` with an ARR on record are in each currency: sums of ARR add the amounts as
/// they are, which the reports and the Team view say when there are several. An account with no
/// ARR is in no sum: its currency (the default, where the file gave none) is not counted (a
/// probe's euro book read "ARR in 2 currencies" for its blank ARR cells).
pub fn currency_counts<'a>(
    rows: impl IntoIterator<Item = &'a PortfolioRow>,
) -> std::collections::BTreeMap<&'a str, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for r in rows.into_iter().filter(|r| r.arr.on_record().is_some()) {
        *counts.entry(&*r.currency).or_default() += 1;
    }
    counts
}

/// The currency sums are shown in: the one most of the accounts are in (the first by name on a
/// tie), USD when there are none. Amounts in others are added unconverted, which is said.
pub fn main_currency<'a>(counts: &std::collections::BTreeMap<&'a str, usize>) -> &'a str {
    counts.iter().max_by_key(|(c, n)| (**n, std::cmp::Reverse(**c))).map_or("USD", |(c, _)| c)
}

/// The CSM whose book tend opens on: `me` from the config, as the book spells the name, when
/// they own an account in it.
pub fn book_of_me(config: &Config, rows: &[PortfolioRow]) -> Option<String> {
    let me = config.me()?;
    if let Some(row) = rows.iter().find(|r| r.csm.eq_ignore_ascii_case(me)) {
        return Some(row.csm.to_string());
    }
    // By the one rule for names, as the first open reads it (`me = "Elena"` is Elena Rossi): a
    // reload said she owned no account.
    let owners: std::collections::BTreeSet<&str> = rows.iter().map(|r| &*r.csm).filter(|c| !c.is_empty()).collect();
    resolve::resolve_name("CSM", me, owners).ok()
}

/// What a config's factors read that the book does not have: a field no account has, named with
/// a typo (`field:Number of Employes`), or a metric the book has no sample of while it has others
/// (`metric:login` beside "logins"). Either left its factor missing on every account without a
/// word where tend opens, only `tend config check` said it (a probe's brief put 114 accounts at
/// "low data" and exited 0). A built-in factor as the defaults define it is left to `tend config
/// check`: a book whose usage export names its metrics otherwise would hear of them on every run.
/// One line each, for the screens and reports, ending in `check`, the command that checks the
/// config in use; none on a book without accounts.
pub fn sources_the_book_lacks(store: &Store, config: &Config, check: &str) -> Result<Vec<String>> {
    let mut said = Vec::new();
    let catalog = &config.health.catalog;
    let defaults = Config::default();
    let book_metrics = store.book_days()?.by_metric.iter().map(|(name, _)| name.clone()).collect::<Vec<_>>();
    let mut accounts = None;
    for def in &catalog.defs {
        if let Source::Field(crate::domain::catalog::Field::Attribute { name, .. }) = &def.source
            && !store.some_account_may_have_field(name)?
            && *accounts.get_or_insert(store.account_count()?) > 0
        {
            said.push(format!(
                "{} reads the field \"{}\", which no account has (`{check}`)",
                clean(&def.label),
                clean(name)
            ));
        }
        if book_metrics.is_empty() || crate::domain::catalog::Catalog::defines_as(&defaults.health.catalog, def) {
            continue;
        }
        for name in def.metric_names() {
            if !book_metrics.iter().any(|m| m == name) {
                said.push(format!(
                    "{} reads the metric \"{}\", which the book has no sample of (its metrics: {}): missing on every account (`{check}`)",
                    clean(&def.label),
                    clean(name),
                    clean(&book_metrics.join(", "))
                ));
            }
        }
    }
    Ok(said)
}

/// The portfolio (with its change columns) and the triage book, read on two threads when the
/// book is a file: opening a large book on Triage waits for the slower of the two, not both.
pub fn load_book(store: &Store, config: &Config, as_of: NaiveDate) -> Result<(Vec<PortfolioRow>, triage::TriageBook)> {
    let (rows, triage_book) = match store.reader()? {
        Some(second) => std::thread::scope(|scope| {
            let triage = scope.spawn(move || triage::TriageBook::load(&second, config, as_of));
            let rows = load_portfolio_cached(store, config, as_of);
            (rows, triage.join().unwrap_or_else(|_| panic!("the triage reader panicked")))
        }),
        // An in-memory book has one connection: read one after the other.
        None => (load_portfolio_cached(store, config, as_of), triage::TriageBook::load(store, config, as_of)),
    };
    let (mut rows, triage_book) = (rows?, triage_book?);
    triage_book.annotate(config, &mut rows);
    Ok((rows, triage_book))
}

/// The whole portfolio, scored as of a day. Refreshes the cache first if it is stale.
pub fn load_portfolio(store: &mut Store, config: &Config, as_of: NaiveDate) -> Result<Vec<PortfolioRow>> {
    refresh(store, config, as_of)?;
    load_portfolio_cached(store, config, as_of)
}

/// The portfolio from the cache as it stands; an account whose cached values a write just dropped
/// is scored from its facts.
pub fn load_portfolio_cached(store: &Store, config: &Config, as_of: NaiveDate) -> Result<Vec<PortfolioRow>> {
    let overrides = store.overrides_on(as_of)?;
    let mut out = Vec::with_capacity(store.expected_accounts()?);
    each_row(store, config, as_of, &overrides, i64::MIN..=i64::MAX, |row| out.push(row))?;
    names::tell_apart_all(store, &mut out)?;
    Ok(out)
}

/// The portfolio row of each account whose id is in `ids`, by id, as `load_portfolio_cached`
/// makes it (but for the change columns), handed to `each` as it is read. Each summary becomes
/// its row at once: a summary carries every factor value (about three times a row's size), and a
/// million of them at once would be most of the memory used.
pub(crate) fn each_row(
    store: &Store,
    config: &Config,
    as_of: NaiveDate,
    overrides: &std::collections::HashMap<i64, BandOverride>,
    ids: std::ops::RangeInclusive<i64>,
    mut each: impl FnMut(PortfolioRow),
) -> Result<()> {
    each_row_on(store, config, &[(as_of, overrides)], ids, |_, row| each(row))
}

/// `each_row` on each of several days (each with its band overrides), from one read of the book:
/// each account's rows one day after the other, with the index of their day.
pub(crate) fn each_row_on(
    store: &Store,
    config: &Config,
    days: &[(NaiveDate, &std::collections::HashMap<i64, BandOverride>)],
    ids: std::ops::RangeInclusive<i64>,
    mut each: impl FnMut(usize, PortfolioRow),
) -> Result<()> {
    let builders: Vec<RowBuilder> = days.iter().map(|(day, _)| RowBuilder::new(config, *day)).collect();
    let on: Vec<NaiveDate> = days.iter().map(|(day, _)| *day).collect();
    store.each_account_summary_complete_on(&on, ids, &config.health, |k, a| {
        let over = days[k].1.get(&a.id).map(|o| o.band);
        each(k, builders[k].row(a, over));
    })
}

/// What every row of one load shares, worked out once: one string per segment name, and the
/// factors triage's touch cadence and milestone rules read (found by what they derive, whatever
/// they are called).
struct RowBuilder<'c> {
    config: &'c Config,
    as_of: NaiveDate,
    names: Vec<Arc<str>>,
    /// The CSM of an account without one.
    no_csm: Arc<str>,
    touch: Option<FactorId>,
    overdue: Option<FactorId>,
    /// The factor of the CSM's latest sentiment, if the config has one.
    sentiment: Option<FactorId>,
    /// Whether a playbook reads which factors are at 1 point (else they are not worked out).
    lowest: bool,
    /// The factors of `triage.collapse_factors`.
    collapse: Vec<FactorId>,
    /// The factors over a metric (usage data).
    usage: Vec<FactorId>,
}

impl<'c> RowBuilder<'c> {
    fn new(config: &'c Config, as_of: NaiveDate) -> Self {
        let catalog = &config.health.catalog;
        RowBuilder {
            config,
            as_of,
            names: config.segments.names().into_iter().map(Arc::from).collect(),
            no_csm: Arc::from(""),
            touch: catalog.find(&Source::Log(LogKind::Touch), "days_since_last"),
            overdue: catalog.find(&Source::Milestones, "overdue_count"),
            sentiment: catalog.find(&Source::Log(LogKind::Sentiment), "latest"),
            lowest: config.playbooks.iter().any(|p| p.trigger == crate::domain::playbook::TriggerKind::Factor),
            collapse: config.triage.collapse_factors.iter().filter_map(|key| catalog.id(key)).collect(),
            // Usage, not a help desk's ticket counts: those give every account a 0 a week.
            usage: catalog
                .ids()
                .filter(|id| {
                    matches!(&catalog.def(*id).source, Source::Metric { name, .. }
                        if name != crate::domain::data_days::TICKETS_METRIC)
                })
                .collect(),
        }
    }

    /// A summary scored and segmented.
    fn row(&self, a: AccountSummary, band_override: Option<HealthBand>) -> PortfolioRow {
        let config = self.config;
        let segment_name = config.segments.segment_of(a.arr.units(), a.segment_inputs);
        let rank = self.names.iter().position(|n| **n == *segment_name);
        let segment = rank.map_or_else(|| segment_name.into(), |i| self.names[i].clone());
        let segment_rank = rank.map_or(u8::MAX, |i| i.min(usize::from(u8::MAX - 1)) as u8);
        let values = a.values.unwrap_or_default();
        let (kind, scored, coverage) = config.health.quick_with_coverage(&values, &a.subject(), self.as_of);
        let (touch, overdue) = (self.touch, self.overdue);
        PortfolioRow {
            id: a.id,
            name: crate::text::clean_owned(a.name),
            csm: a.csm.unwrap_or_else(|| self.no_csm.clone()),
            segment,
            segment_rank,
            arr: a.arr,
            currency: a.currency,
            renewal_date: a.renewal_date,
            status: a.status.on(a.renewal_date, self.as_of),
            kind,
            score: scored.map(|s| s.0),
            band: band_override.or(scored.map(|s| s.1)),
            computed_band: scored.map(|s| s.1),
            overridden: band_override.is_some(),
            stale_mask: a.stale_mask,
            customer_since: a.customer_since,
            in_book_since: a.in_book_since,
            days_since_touch: touch.and_then(|id| values.get(id)).map(|d| d.round() as i64),
            touch_at_least: touch.is_some_and(|id| values.is_at_least(id)),
            overdue_milestones: overdue.and_then(|id| values.get(id)).map_or(0, |n| n.max(0.0) as u32),
            deltas: [None; 3],
            first_data_moved: 0,
            drag: biggest_drag(config.health.model(kind), &values, coverage.left_out),
            // Unscored accounts' too: Triage names their factors at the worst; and Red and Orange
            // ones', which a one-on-one names.
            // And thin scores', where Triage names factors at their worst too.
            lowest_mask: match self.lowest
                || scored.is_none_or(|s| s.1 <= crate::domain::HealthBand::Orange)
                || coverage.is_thin(config.health.min_coverage)
            {
                true => lowest_mask(config.health.model(kind), &values),
                false => 0,
            },
            coverage: coverage.percent(),
            thin: scored.is_some() && coverage.is_thin(config.health.min_coverage),
            capped: scored.is_some_and(|(score, band)| config.health.bands.band_for(score) != band),
            low_sentiment: self.sentiment.filter(|_| scored.is_some()).and_then(|id| {
                let rule = config.health.model(kind).get(&id).filter(|r| r.weight > 0.0)?;
                at_worst(&values, id, rule)
            }),
            // Read by the regular score's rule, weighed or not (a candidate's too), whatever the
            // account's profile.
            // No use last week and none this week is no collapse this week: the account's
            // band and its usage factors say it.
            collapse: self
                .collapse
                .iter()
                .filter(|&&id| !values.is_no_use(id))
                .find_map(|&id| Some((id, at_worst(&values, id, config.health.factors.get(&id)?)?))),
            risk_open: false,
            unscored_at_worst: false,
            no_usage: !self.usage.is_empty() && self.usage.iter().all(|id| values.get(*id).is_none()),
        }
    }
}

/// A factor's value where it earns its rule's fewest points (1), else None.
fn at_worst(values: &FactorValues, id: FactorId, rule: &crate::domain::FactorRule) -> Option<f32> {
    (values.points(id, rule)? <= 1).then(|| values.get(id)).flatten().map(|v| v as f32)
}

/// The factor with the largest shortfall (weight x points short of 4; the shared denominator
/// does not change which is largest), without building the whole breakdown.
fn biggest_drag(model: &crate::domain::ScoreModel, values: &FactorValues, left_out: u32) -> Option<FactorId> {
    // Bookkeeping the score leaves out (it would lift it: `left_out`) drags nothing.
    model
        .iter()
        .filter(|(id, rule)| rule.weight > 0.0 && left_out & (1 << id.index()) == 0)
        .filter_map(|(id, rule)| values.points(*id, rule).map(|p| (*id, rule.weight * f64::from(4 - p))))
        .filter(|(_, short)| *short > 0.0)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, _)| id)
}

/// The score's factors (weight above 0) at 1 point, as bits of `FactorId::index`.
fn lowest_mask(model: &crate::domain::ScoreModel, values: &FactorValues) -> u32 {
    model
        .iter()
        .filter(|(_, rule)| rule.weight > 0.0)
        .filter(|(id, rule)| values.points(**id, rule).is_some_and(|p| p <= 1))
        .fold(0, |mask, (id, _)| mask | (1 << id.index()))
}

/// Everything the Account view shows about one account.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountDetail {
    pub account: Account,
    /// The columns an import kept beyond tend's own ("Region", "Industry"), cleaned, by name.
    pub attributes: Vec<(String, String)>,
    pub segment: String,
    pub values: FactorValues,
    pub health: HealthScore,
    pub as_of: NaiveDate,
    /// Day of account life (from customer-since), for the jumpstart header.
    pub age_days: Option<i64>,
    pub cutoffs: BandCutoffs,
    /// The share of the profile's weight that needs data for a score.
    pub min_coverage: f64,
    pub jumpstart_days: i64,
    /// Everything that happened, newest first.
    pub timeline: Vec<TimelineItem>,
    pub goals: Vec<GoalRecord>,
    pub milestones: Vec<MilestoneRecord>,
    /// Open tasks by due day, then the closed ones, newest first.
    pub tasks: Vec<crate::store::TaskRecord>,
    /// The people at the account: those there first, champions and sponsors ahead.
    pub contacts: Vec<crate::store::ContactRecord>,
    /// First day of the history window (the chart's left edge).
    pub history_from: NaiveDate,
    /// Each day's factor values and health over the history window, from the first day with data.
    pub series: Vec<(NaiveDate, FactorValues, DayHealth)>,
    /// The change over each of `history::MOVER_WINDOWS` that has a score at both ends.
    pub movers: Vec<Mover>,
    /// The smallest single-factor change that would lift the account into the next band up.
    pub lift: Option<Lift>,
    /// Factors whose value is a settled fact of the past (how long the first login took, what
    /// the first weeks held once they are over): never proposed as the way up.
    pub settled: Vec<FactorId>,
    /// A CSM's band override in force, shown beside the computed band.
    pub band_override: Option<BandOverride>,
    /// The newest day the book's usage data covers by `as_of`, which usage factors count to (None
    /// without usage data): "Days since login 0d" is 0 days before it, not before today.
    pub data_through: Option<NaiveDate>,
    /// Days since the newest fact behind each factor (`FactorId::index`).
    pub ages: [Option<i64>; MAX_FACTORS],
    /// Days past `stale_after_days` each factor's data may be before it is stale: a metric's
    /// own rhythm where it is slower than the book's (`signals::factor_slack`).
    pub slack: [i64; MAX_FACTORS],
    /// The day each factor's feed ends on, where it has gone quiet beside the book's other data
    /// (`signals::quiet_feeds`).
    pub quiet: [Option<NaiveDate>; MAX_FACTORS],
    /// The factors the regular score weighs, for a new customer's or a profile's account: what
    /// its own score leaves out of them is said (`Not in this score`).
    pub regular_weighed: Vec<FactorId>,
    /// Why a factor over a metric with samples has no value, where that is not "no data".
    pub missing: [Option<signals::Missing>; MAX_FACTORS],
    /// The factors the ids above refer to, and the name of the score profile in force.
    pub catalog: Catalog,
    pub profile: String,
    /// The factors Triage names at their worst though they are not in the score
    /// (`triage.collapse_factors`).
    pub collapse: Vec<FactorId>,
}

/// One line of an account's timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineItem {
    pub day: NaiveDate,
    /// "sentiment", "touch", "nps", "bug", "risk", "goal", "milestone".
    pub kind: &'static str,
    pub text: String,
    pub csm: Option<String>,
    /// The log entry behind the line, when it is one (goal and milestone lines are edited in
    /// their own panes).
    pub entry_id: Option<i64>,
}

impl MilestoneRecord {
    pub fn state_on(&self, as_of: NaiveDate) -> MilestoneState {
        MilestoneFact { due: self.due, done: self.done }.state_on(as_of)
    }
}

fn entry_text(e: &EntryRecord) -> String {
    use crate::domain::entry::EntryKind;
    let what = match e.kind {
        // A CRM note's subject, kept with the sentiment it was imported as: shown (a probe's
        // "Data residency escalation" was found by search and shown nowhere).
        EntryKind::Sentiment => match e.title.as_deref().filter(|t| !t.trim().is_empty()) {
            Some(subject) => format!("{}/10: {subject}", e.score.unwrap_or_default()),
            None => format!("{}/10", e.score.unwrap_or_default()),
        },
        EntryKind::Nps | EntryKind::Csat | EntryKind::Ces => {
            let scale = if e.kind == EntryKind::Nps {
                String::new()
            } else {
                format!("/{}", e.kind.score_range().map_or(0, |r| *r.end()))
            };
            // The respondent's role, said as theirs: "9 (detractor)" read as the score's NPS group.
            let role = e.role.map_or(String::new(), |r| format!(" (respondent: {})", r.label()));
            format!("{}{scale}{role}", e.score.unwrap_or_default())
        }
        // A CRM's activity has a subject ("QBR", "Exec sync"): said beside the channel (it was
        // imported and shown nowhere).
        EntryKind::Touch => match e.title.as_deref().filter(|t| !t.trim().is_empty()) {
            Some(subject) => format!("{}: {subject}", e.channel.map_or("?", |c| c.key())),
            None => e.channel.map_or("?", |c| c.key()).to_string(),
        },
        // A CRM note's subject, then its words.
        EntryKind::Note => match e.title.as_deref().filter(|t| !t.trim().is_empty()) {
            Some(subject) if e.note.is_empty() => subject.to_string(),
            Some(subject) => format!("{subject}: {}", e.note),
            None => e.note.clone(),
        },
        EntryKind::Bug | EntryKind::Risk => {
            let title = e.title.clone().unwrap_or_default();
            let end = if e.kind == EntryKind::Bug { "closed" } else { "cleared" };
            match e.closed_on {
                Some(d) => format!("{title} ({end} {d})"),
                None => format!("{title} (open)"),
            }
        }
    };
    if e.note.is_empty() || e.kind == EntryKind::Note { what } else { format!("{what} · {}", e.note) }
}

/// Entries, goal status changes, done milestones, tasks done or dropped, contract events and
/// other ARR changes, newest first.
fn timeline(
    entries: &[EntryRecord],
    goals: &[GoalRecord],
    milestones: &[MilestoneRecord],
    tasks: &[crate::store::TaskRecord],
    contracts: &[ContractEvent],
    arr_changes: &[crate::store::contracts::ArrChangeRecord],
    currency: &str,
) -> Vec<TimelineItem> {
    let mut items: Vec<TimelineItem> = entries
        .iter()
        .map(|e| TimelineItem {
            day: e.day,
            kind: e.kind.key(),
            text: entry_text(e),
            csm: e.csm.clone(),
            entry_id: Some(e.id),
        })
        .collect();
    // Each goal's changes newest first, as the timeline reads: on one day, "now off track" above
    // the "set on track" before it.
    for g in goals {
        for (i, h) in g.history.iter().enumerate().rev() {
            let verb = if i == 0 { "set" } else { "now" };
            let note = if h.note.is_empty() { String::new() } else { format!(" · {}", h.note) };
            items.push(TimelineItem {
                day: h.day,
                kind: "goal",
                text: format!("{verb} {}: {}{note}", h.status.label(), g.words),
                csm: h.csm.clone(),
                entry_id: None,
            });
        }
    }
    for m in milestones {
        if let Some(done) = m.done {
            items.push(TimelineItem {
                day: done,
                kind: "milestone",
                text: format!("done: {} ({})", m.name, m.journey),
                csm: m.csm.clone(),
                entry_id: None,
            });
        }
    }
    // A task done is work on the account, as a milestone done is (a probe's "Send QBR deck" done
    // left the timeline as it was).
    for t in tasks {
        if let (
            Some(day),
            status @ (crate::domain::task::TaskStatus::Done | crate::domain::task::TaskStatus::Dropped),
        ) = (t.closed_on, t.status)
        {
            items.push(TimelineItem {
                day,
                kind: "task",
                text: format!("{}: {}", status.key(), t.title),
                csm: t.owner.clone(),
                entry_id: None,
            });
        }
    }
    for c in contracts {
        let text = match c.kind {
            ContractKind::Renewed => {
                let until = c.renewal_after.map(|d| format!(" until {d}")).unwrap_or_default();
                let arr = if c.arr_after == c.arr_before {
                    c.arr_after
                        .on_record()
                        .map_or("no ARR on record".to_string(), |a| format!("ARR {}", a.full(currency)))
                } else {
                    format!("ARR {} -> {}", c.arr_before.full(currency), c.arr_after.full(currency))
                };
                format!("renewed{until}, {arr}")
            }
            // A churn an accounts import gave, written down when the account came back.
            ContractKind::Churned if c.reason == crate::store::contracts::CHURN_RECORDED_ON_RETURN => {
                imported_churn_text(c.arr_before, currency)
            }
            ContractKind::Churned => format!("churned: {} ({} ARR)", clean(&c.reason), c.arr_before.full(currency)),
            ContractKind::Reactivated => format!("came back as a customer, {} ARR", c.arr_after.full(currency)),
        };
        items.push(TimelineItem {
            day: c.day,
            kind: "contract",
            text,
            csm: c.csm.as_deref().map(clean),
            entry_id: None,
        });
    }
    // A new ARR from the CRM is news for the account (an upsell, a downgrade), as a renewal's is.
    for c in arr_changes {
        let by = match c.source.as_str() {
            "import" => " (accounts import)",
            _ => "",
        };
        items.push(TimelineItem {
            day: c.day,
            kind: "arr",
            text: format!("ARR {} -> {}{by}", c.old.full(currency), c.new.full(currency)),
            csm: None,
            entry_id: None,
        });
    }
    // Stable: same-day lines keep entries (newest id first) ahead of goal and milestone lines.
    items.sort_by_key(|item| std::cmp::Reverse(item.day));
    items
}

/// A churn an accounts import gave, as the timeline says it: the same words before the account
/// came back (no event of its own) and after (an event written down on the return).
fn imported_churn_text(arr: crate::domain::Cents, currency: &str) -> String {
    format!("churned, as an accounts import said ({} ARR)", arr.full(currency))
}

/// One account, its factors derived fresh from its facts as of a day.
/// Read through the storage seam: the same page from a book file and a team book.
pub fn account_detail(
    store: &(impl storage::BookRead + ?Sized),
    config: &Config,
    id: i64,
    as_of: NaiveDate,
) -> std::result::Result<AccountDetail, storage::BookError> {
    let mut account = store.account(id)?;
    for text in [&mut account.name, &mut account.external_id, &mut account.currency, &mut account.tags] {
        *text = clean(text);
    }
    // The notes keep their lines: the head shows each break as a mark, Enter reads them whole.
    account.notes = crate::text::clean_lines(&account.notes);
    account.csm = account.csm.as_deref().map(clean);
    account.plan = account.plan.as_deref().map(clean);
    let facts = store.account_facts(id, &config.health.catalog)?;
    let mut entries = store.entries_for(id)?;
    // Notes keep their line breaks (cleaned line by line): shown whole, and edited as written.
    for e in &mut entries {
        e.note = crate::text::clean_lines(&e.note);
        e.title = e.title.as_deref().map(clean);
        e.csm = e.csm.as_deref().map(clean);
    }
    let mut goals = store.goals_for(id)?;
    for g in &mut goals {
        g.words = clean(&g.words);
        g.measure = clean(&g.measure);
        g.csm = g.csm.as_deref().map(clean);
        for h in &mut g.history {
            h.note = crate::text::clean_lines(&h.note);
            h.csm = h.csm.as_deref().map(clean);
        }
    }
    let mut milestones = store.milestones_for(id)?;
    for m in &mut milestones {
        m.name = clean(&m.name);
        m.note = crate::text::clean_lines(&m.note);
        m.csm = m.csm.as_deref().map(clean);
    }
    let mut tasks = store.tasks(&crate::store::TaskFilter { account_id: Some(id), all: true, ..Default::default() })?;
    for t in &mut tasks {
        t.title = clean(&t.title);
        t.note = crate::text::clean_lines(&t.note);
        t.owner = t.owner.as_deref().map(clean);
        t.playbook = clean(&t.playbook);
    }
    let values = signals::derive_values(&facts, as_of, &config.health.catalog);
    let health = config.health.assess(&values, &facts.subject(), as_of);
    let profile = config.health.kind_name(health.kind).to_string();
    let catalog = &config.health.catalog;
    // How long the first login took is history, and so is what the first weeks held once they
    // are over: never a way up.
    let since = account.customer_since;
    let settled_now = |id: FactorId| match catalog.def(id).transform {
        Transform::DaysToFirst => true,
        Transform::SumFromStart { days } => since.is_none_or(|s| as_of >= s + chrono::Duration::days(days)),
        _ => false,
    };
    let settled: Vec<FactorId> = catalog.ids().filter(|id| settled_now(*id)).collect();
    let lift = explain::lift_to_next_band(&values, config.health.model(health.kind), &config.health.rules(), |id| {
        settled.contains(&id)
    });
    let overrides = store.overrides_for(id)?;
    let contracts = store.contract_events(id)?;
    let mut timeline =
        timeline(&entries, &goals, &milestones, &tasks, &contracts, &store.other_arr_changes(id)?, &account.currency);
    // A churn an accounts import gave has no event of its own (only one recorded in tend has):
    // the account's story still tells it, on its day.
    if let Some(day) = account.churned_on.filter(|_| account.status == AccountStatus::Churned)
        && !contracts.iter().any(|c| c.kind == ContractKind::Churned && c.day == day)
    {
        timeline.push(TimelineItem {
            day,
            kind: "contract",
            text: imported_churn_text(account.arr, &account.currency),
            csm: None,
            entry_id: None,
        });
    }
    for o in &overrides {
        let until = match o.cleared_on {
            Some(c) if c < o.expires_on => format!("cleared {c}"),
            _ => format!("until {}", o.expires_on),
        };
        timeline.push(TimelineItem {
            day: o.set_on,
            kind: "override",
            text: format!("band set to {} ({until}): {}", o.band.label(), clean(&o.reason)),
            csm: o.csm.as_deref().map(clean),
            entry_id: None,
        });
    }
    let mut contacts = store.contacts_for(id)?;
    for c in &mut contacts {
        for text in [&mut c.name, &mut c.title, &mut c.email, &mut c.account] {
            *text = clean(text);
        }
        c.note = crate::text::clean_lines(&c.note);
    }
    // A touch names the people it was with.
    for item in &mut timeline {
        let Some(entry) = item.entry_id.and_then(|id| entries.iter().find(|e| e.id == id)) else { continue };
        let names: Vec<&str> =
            entry.with.iter().filter_map(|id| contacts.iter().find(|c| c.id == *id)).map(|c| c.name.as_str()).collect();
        if names.is_empty() {
            continue;
        }
        // A survey is answered by someone; a touch is with people.
        item.text = match entry.kind.is_survey() {
            true => format!("{} from {}", item.text, names.join(", ")),
            false => format!("with {} · {}", names.join(", "), item.text),
        };
    }
    // Someone leaving is news for the account; a champion or a sponsor leaving is a risk.
    for c in contacts.iter().filter(|c| c.status == crate::domain::contact::ContactStatus::Left) {
        let Some(day) = c.left_on else { continue };
        let key = matches!(
            c.role,
            Some(crate::domain::contact::ContactRole::Champion | crate::domain::contact::ContactRole::ExecutiveSponsor)
        );
        let role = c.role.map(|r| format!(" ({})", r.label())).unwrap_or_default();
        timeline.push(TimelineItem {
            day,
            kind: if key { "risk" } else { "contact" },
            text: format!("{}{role} left", c.name),
            csm: None,
            entry_id: None,
        });
    }
    timeline.sort_by_key(|item| std::cmp::Reverse(item.day));
    let series = history::account_series(config, &facts, as_of);
    let movers = history::account_movers(config, &series, as_of, &history::MOVER_WINDOWS);
    let attributes = store
        .account_attributes(id)?
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (clean(&k), clean(&v)))
        .collect();
    Ok(AccountDetail {
        collapse: config.triage.collapse_factors.iter().filter_map(|key| config.health.catalog.id(key)).collect(),
        attributes,
        segment: config.segments.segment_of(account.arr.units(), account.segment_inputs).to_string(),
        age_days: account.customer_since.map(|d| (as_of - d).num_days()),
        account,
        values,
        health,
        as_of,
        cutoffs: config.health.bands,
        min_coverage: config.health.min_coverage,
        jumpstart_days: config.health.jumpstart_days,
        timeline,
        goals,
        milestones,
        tasks,
        contacts,
        lift,
        settled,
        band_override: overrides.iter().find(|o| o.applies_on(as_of)).cloned(),
        data_through: facts.data_days.through(as_of),
        ages: signals::factor_ages(&facts, as_of, &config.health.catalog),
        slack: signals::factor_slack(&facts, as_of, &config.health.catalog),
        quiet: signals::quiet_feeds(&facts, as_of, &config.health.catalog),
        regular_weighed: config.health.factors.iter().filter(|(_, r)| r.weight > 0.0).map(|(id, _)| *id).collect(),
        missing: signals::missing_reasons(&facts, as_of, &config.health.catalog),
        catalog: config.health.catalog.clone(),
        profile,
        history_from: chart_from(as_of, config.history.days, &series),
        series,
        movers,
    })
}

/// One account's portfolio row, its factor values re-derived for `as_of` (after a write).
pub fn refresh_row(store: &mut Store, config: &Config, id: i64, as_of: NaiveDate) -> Result<Option<PortfolioRow>> {
    store.refresh_account_snapshot(id, as_of, history::worked_ahead_to(as_of), &config.health)?;
    history::ensure(store, config, &[as_of], &indicatif::ProgressBar::hidden())?;
    let Some(summary) = store.account_summary(id, as_of)? else { return Ok(None) };
    let over = store.overrides_for(id)?.into_iter().find(|o| o.applies_on(as_of)).map(|o| o.band);
    Ok(Some(RowBuilder::new(config, as_of).row(summary, over)))
}

/// The chart's left edge: the history window's first day, or, for an account whose data began
/// within it (a new customer), its first day with data, two weeks back at least: a customer of
/// 28 days had its line squeezed into the last sixth of a chart from June, the rest empty.
fn chart_from(as_of: NaiveDate, days: i64, series: &[(NaiveDate, FactorValues, DayHealth)]) -> NaiveDate {
    let window = as_of - chrono::Duration::days(days - 1);
    match series.first() {
        Some((first, _, _)) if *first > window => (*first).min(as_of - chrono::Duration::days(13)).max(window),
        _ => window,
    }
}
