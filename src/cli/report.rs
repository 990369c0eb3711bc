//! `tend report triage|team|renewals|metrics|one-on-one`: an aligned table, JSON with stable field
//! names for scripts, or a Markdown table for chat and notes.

use chrono::NaiveDate;
use color_eyre::Result;
use color_eyre::eyre::bail;
use serde_json::json;

use super::render::{
    Report, Section, account_arr, band, field, figure, money, money_noted, money_rounded, percent, score,
};
use super::{ReportKind, ReportOptions};
use crate::book::{self, PortfolioRow, metrics::GroupBy};
use crate::config::Config;
use crate::domain::retention::Retention;
use crate::rows::Field;
use crate::store::Store;

/// The first this many triage items of a report are spelled out with raw values.
const SPELL_OUT: usize = 1_000;

/// Rows that pass `--csm` and `--segment` (case-insensitive names).
fn filtered<'a>(rows: &'a [PortfolioRow], opts: &ReportOptions) -> std::borrow::Cow<'a, [PortfolioRow]> {
    if opts.csm.is_none() && opts.segment.is_none() {
        // The whole book, as read: a million rows are not copied to keep them all.
        return std::borrow::Cow::Borrowed(rows);
    }
    let matches = |want: &Option<String>, have: &str| want.as_ref().is_none_or(|w| w.eq_ignore_ascii_case(have));
    rows.iter().filter(|r| matches(&opts.csm, &r.csm) && matches(&opts.segment, &r.segment)).cloned().collect()
}

/// A figure that cannot be known from the book's records: null, "unknown" (not "-", which is a
/// quarter not ended, nor $0).
fn unknown(key: &'static str) -> Field {
    field(key, serde_json::Value::Null, "unknown")
}

/// An account's CSM: null in JSON for one nobody owns, as every missing value is (it was "").
fn csm_field(csm: &str) -> Field {
    field("csm", if csm.is_empty() { serde_json::Value::Null } else { json!(csm) }, csm)
}

/// The score as lists show it: "~62" from thin data, "-" without one (the band beside it says
/// "low data" or "no score": a probe read "low data" twice on every row).
fn row_score(r: &PortfolioRow) -> Field {
    field("score", r.score.map_or(serde_json::Value::Null, |s| json!(s)), r.shown_score().unwrap_or_else(|| "-".into()))
}

/// The band as lists show it: "low data" when there is too little for a score, and "(capped)"
/// beside a band a critical factor holds below what the score gives, as the screens mark it
/// ("Red ~63" read as a contradiction in a probe's report).
fn row_band(r: &PortfolioRow) -> Field {
    match r.band {
        None if r.not_enough_data() => field("band", serde_json::Value::Null, "low data"),
        Some(b) if r.capped && !r.overridden => Field { text: format!("{} (capped)", b.label()), ..band(Some(b)) },
        b => band(b),
    }
}

/// The share of the profile's weight with data behind the score.
fn coverage(r: &PortfolioRow) -> Field {
    field("coverage", json!(r.coverage), format!("{}%", r.coverage))
}

pub(super) fn scope(opts: &ReportOptions) -> String {
    let mut parts = Vec::new();
    match opts.csm.as_deref() {
        Some("") => parts.push("the unassigned accounts".to_string()),
        Some(c) => parts.push(format!("CSM {c}")),
        None => {}
    }
    if let Some(s) = &opts.segment {
        parts.push(format!("segment {s}"));
    }
    if parts.is_empty() { String::new() } else { format!(" · {}", parts.join(" · ")) }
}

/// What the book recorded on the days its records have (its first), where retention has no
/// period yet: a probe's churns and renewals of the day read "no retention yet" and nothing of
/// them.
fn so_far(store: &Store, rows: &[PortfolioRow], from: NaiveDate, to: NaiveDate, currency: &str) -> Result<String> {
    if from > to {
        return Ok(String::new());
    }
    let (said, _) = super::brief::contract_news(store, rows, from, to, &|c: crate::domain::Cents| c.full(currency))?;
    Ok(match said.is_empty() {
        true => String::new(),
        false => format!("; so far: {}", said.join(", ")),
    })
}

/// The triage report: `items` (most need first, each pointing into `rows`) with their reasons
/// spelled out in `details`, out of `need_you` items, `hidden` more handled or snoozed.
fn triage_report(
    today: NaiveDate,
    opts: &ReportOptions,
    items: &[book::triage::TriageItem],
    rows: &[PortfolioRow],
    details: &[Vec<String>],
    need_you: usize,
    hidden: usize,
) -> Report {
    let listed = items.len();
    Report {
        name: "triage",
        title: format!("Triage as of {today}{}", scope(opts)),
        rows: items
            .iter()
            .zip(details)
            .enumerate()
            .map(|(n, (item, reasons))| {
                let r = &rows[item.row];
                vec![
                    field("rank", json!(n + 1), (n + 1).to_string()),
                    field("account", json!(r.name), r.name.clone()),
                    csm_field(&r.csm),
                    field("segment", json!(&*r.segment), r.segment.to_string()),
                    account_arr(r.arr, &r.currency),
                    row_band(r),
                    computed_band(r),
                    row_score(r),
                    coverage(r),
                    field("need", json!((item.need * 10.0).round() / 10.0), format!("{:.1}", item.need)),
                    field("reasons", json!(reasons), reasons.join(" · ")),
                ]
            })
            .collect(),
        summary: vec![
            field("need_you", json!(need_you), need_you.to_string()),
            field("listed", json!(listed), listed.to_string()),
            field(
                "not_listed",
                json!(need_you - listed),
                match need_you - listed {
                    0 => "0".to_string(),
                    n => format!("{n} (--all lists them)"),
                },
            ),
            field("handled_or_snoozed", json!(hidden), hidden.to_string()),
        ],
        empty: "nothing needs attention".into(),
        sections: Vec::new(),
        grouped_by: None,
    }
}

/// `--csm` and `--segment` as the names they resolve to (any case, or the unique start of one):
/// an unknown or ambiguous one is an error, like an unknown account, never an empty report.
fn resolved(kind: ReportKind, opts: &ReportOptions, store: &Store, config: &Config) -> Result<ReportOptions> {
    let mut opts = opts.clone();
    opts.csm = csm_named(kind, opts.csm.as_deref(), config, || Ok(store.csms()?))?;
    if let Some(segment) = &opts.segment {
        opts.segment = Some(book::resolve::resolve_name("segment", segment, config.segments.names())?);
    }
    Ok(opts)
}

/// `--csm` as typed: `me` is the reader (`me` in the config; on a team book, the CSM they sign in
/// as), `all` every CSM (None), anything else a CSM's name to find.
fn csm_asked(kind: ReportKind, typed: &str, config: &Config) -> Result<Option<String>> {
    // A one-on-one is one CSM's: `--csm all` is not offered where it is refused.
    let or_all = if kind == ReportKind::OneOnOne { "" } else { ", or --csm all" };
    match typed.trim().to_lowercase().as_str() {
        "all" => Ok(None),
        "me" => Ok(Some(super::me_as("--csm", config.me(), or_all)?)),
        _ => Ok(Some(typed.to_string())),
    }
}

/// The CSM `--csm` names, as the book spells the name (`me`, or a name found among `csms` by the
/// one rule for names), or None for everyone's.
fn csm_named(
    kind: ReportKind,
    typed: Option<&str>,
    config: &Config,
    csms: impl FnOnce() -> Result<Vec<(i64, String)>>,
) -> Result<Option<String>> {
    let Some(name) = typed.map(|t| csm_asked(kind, t, config)).transpose()?.flatten() else { return Ok(None) };
    let csms = csms()?;
    // The Team view's line of accounts without a CSM is "unassigned": the same word names them
    // here (it was "no CSM is called unassigned"), unless a CSM of the book is called so.
    let unassigned = name.trim().eq_ignore_ascii_case("unassigned");
    if unassigned && !csms.iter().any(|(_, n)| n.trim().eq_ignore_ascii_case("unassigned")) {
        return Ok(Some(String::new()));
    }
    Ok(Some(book::resolve::resolve_name("CSM", &name, csms.iter().map(|(_, n)| n.as_str()))?))
}

/// "no CSM named … owns an account", with the CSMs who do: a lead signed in, whose one-on-one
/// is their own by default, was left at a dead end.
fn owns_none<'a>(csm: &str, owners: impl Iterator<Item = &'a str>) -> String {
    owns_none_for(csm, owners, true)
}

/// `owns_none`, offering `--csm all` where the report has an everyone's (a one-on-one has not:
/// a probe was sent to `--csm all` and told the one-on-one needs a name).
fn owns_none_for<'a>(csm: &str, owners: impl Iterator<Item = &'a str>, everyone: bool) -> String {
    // `--csm unassigned` where every account has a CSM: said so, not as a CSM named "".
    if csm.is_empty() {
        return "no account of this book is unassigned: every one has a CSM".to_string();
    }
    let mut others: Vec<&str> = owners.filter(|o| !o.is_empty() && !o.eq_ignore_ascii_case(csm)).collect();
    others.sort_unstable();
    others.dedup();
    let named = match others.len() {
        0 => String::new(),
        n => {
            let shown: Vec<String> = others.iter().take(4).map(|o| crate::text::clean(o)).collect();
            format!(" ({})", crate::text::listed(&shown, n))
        }
    };
    format!(
        "no CSM named \"{}\" owns an account in this book: name a CSM who does with --csm{named}{}",
        crate::text::clean(csm),
        if everyone { ", or --csm all" } else { "" }
    )
}

/// An option given to a report that does not take it is refused, not ignored.
fn refuse_stray_options(kind: ReportKind, opts: &ReportOptions) -> Result<()> {
    let given = [
        ("--from", opts.from.is_some(), ReportKind::Metrics),
        ("--to", opts.to.is_some(), ReportKind::Metrics),
        ("--by", opts.by.is_some(), ReportKind::Metrics),
        ("--section", opts.section.is_some(), ReportKind::Metrics),
        ("--days", opts.days.is_some(), ReportKind::Renewals),
        ("--all", opts.all, ReportKind::Triage),
        ("--all", opts.all, ReportKind::OneOnOne),
    ];
    // A flag some reports share is listed once per report that takes it.
    let owners_of =
        |flag: &str| given.iter().filter(|(f, _, _)| *f == flag).map(|(_, _, owner)| *owner).collect::<Vec<_>>();
    if let Some((flag, _, _)) = given.iter().find(|(flag, set, _)| *set && !owners_of(flag).contains(&kind)) {
        let name =
            |k: ReportKind| clap::ValueEnum::to_possible_value(&k).map_or(String::new(), |v| v.get_name().to_string());
        let owners: Vec<String> = owners_of(flag).into_iter().map(name).collect();
        bail!("{flag} is for report {}, not {}", owners.join(" or "), name(kind));
    }
    Ok(())
}

/// The triage report of a list's head (stored, or worked out alone).
fn head_text(today: NaiveDate, opts: &ReportOptions, head: &book::triage_head::TriageHead) -> String {
    let report =
        triage_report(today, opts, &head.items, &head.rows, &head.details, head.open, head.handled + head.snoozed);
    report.render(opts.format, today)
}

/// Whether `head` is of the list the report asks for: `csm`'s (names compare without case), or
/// everyone's.
fn is_list_of(head: &book::triage_head::TriageHead, csm: Option<&str>) -> bool {
    head.csm.as_deref().map(str::to_lowercase) == csm.map(str::to_lowercase)
}

/// `tend report triage` on a team book from the head of the list kept there (see
/// `team::heads`), without pulling the book: None when no head holds (nothing kept for the day,
/// the list, the rules, or something written since), and the report reads a snapshot.
pub fn kept_triage(
    kind: ReportKind,
    opts: &ReportOptions,
    book: &mut crate::team::TeamBook,
    config: &Config,
    today: NaiveDate,
) -> Result<Option<String>> {
    if kind != ReportKind::Triage || opts.all || opts.segment.is_some() || config.triage.daily_limit == 0 {
        return Ok(None);
    }
    refuse_stray_options(kind, opts)?;
    let csm = csm_named(kind, opts.csm.as_deref(), config, || Ok(crate::book::storage::BookRead::csms(&*book)?))?;
    let kept = book.kept_heads(csm.as_deref())?;
    let head = book::triage_head::pick(
        config,
        today,
        csm.as_deref(),
        |list| kept.counts.of_list(list),
        |key| Ok::<_, color_eyre::Report>(kept.get(key)),
    )?;
    let Some(head) = head.filter(|h| is_list_of(h, csm.as_deref())) else { return Ok(None) };
    let opts = ReportOptions { csm, ..opts.clone() };
    Ok(Some(head_text(today, &opts, &head)))
}

/// The report, rendered in its format (the caller prints it or writes it to `-o`).
pub fn run(
    kind: ReportKind,
    opts: &ReportOptions,
    store: &mut Store,
    config: &Config,
    today: NaiveDate,
) -> Result<String> {
    refuse_stray_options(kind, opts)?;
    // A one-on-one without --csm is the reader's own (`me`; on a team book, the CSM signed in).
    let mine;
    let opts = match (kind, &opts.csm, config.me()) {
        (ReportKind::OneOnOne, None, Some(me)) => {
            mine = ReportOptions { csm: Some(me.to_string()), ..opts.clone() };
            &mine
        }
        _ => opts,
    };
    let opts = &resolved(kind, opts, store, config)?;
    // A day still to come is a preview, said where the report's stdout stays what a script reads.
    if book::is_preview(today) {
        eprintln!("tend: as of {today}, a day still to come on this machine's clock: a preview");
    }
    // Data overdue for its next import is said on stderr, as the screens' status line says it:
    // the report on stdout (JSON, CSV) stays what a script reads.
    let days = store.book_days()?;
    if let Some(through) = days.metrics_through(today).filter(|_| days.data_days.overdue(today)) {
        eprintln!(
            "tend: the usage data ends on {through}, {} days before {today}: overdue for its next import, and the scores stand on it",
            (today - through).num_days()
        );
    }
    for (metric, through) in days.quiet_feeds(today, &config.health.catalog.metrics) {
        eprintln!(
            "tend: the {metric} data ends on {through}, {} days before {today}, while the rest comes to {}: overdue for its next import, and the factors that read it stand on it",
            (today - through).num_days(),
            days.metrics_through(today).map_or_else(String::new, |d| d.to_string())
        );
    }
    // The morning's list as last worked out, when the book, the day and the rules are the same:
    // nothing else needs reading.
    if kind == ReportKind::Triage
        && !opts.all
        && opts.segment.is_none()
        && let Some(head) = book::triage_head::load(store, config, today, opts.csm.as_deref())?
        && is_list_of(&head, opts.csm.as_deref())
    {
        return Ok(head_text(today, opts, &head));
    }
    // Read before the caches are made current: a write meanwhile leaves the head stored below
    // invalid rather than stamped with a count it did not see.
    let generation = store.generation()?;
    // Someone is waiting: on a large book, today's values and history alone (`prepare_today`).
    let work = book::prepare_today(store, config, today, &indicatif::ProgressBar::hidden())?;
    super::commands::say_rules_changed(store, config, today)?;
    if kind == ReportKind::Triage && !opts.all && opts.segment.is_none() && config.triage.daily_limit > 0 {
        // The morning's list: its head is worked out without holding the whole book, and kept
        // for the next report and the next open.
        // A new day's read of every account worked the next working day's values and history
        // out too: its list is worked out in the same read of the book and kept, and opens that
        // day at once.
        let csm = opts.csm.as_deref();
        let worked = match work.days_ahead > 0 {
            true => book::triage_head::work_out_keeping_ahead(store, config, today, csm, generation)?,
            false => book::triage_head::work_out(store, config, today, csm)?,
        };
        let head = match (&opts.csm, worked.named) {
            (Some(csm), None) => {
                let csms = store.csms()?;
                bail!(owns_none(csm, csms.iter().map(|(_, n)| n.as_str())))
            }
            (Some(_), Some(head)) => head,
            (None, _) => worked.everyone,
        };
        book::triage_head::save(store, config, today, generation, head.csm.as_deref(), &head)?;
        return Ok(head_text(today, opts, &head));
    }
    let (all_rows, triage) = book::load_book(store, config, today)?;
    // A CSM whose accounts were all handed over has a one-on-one while they own late tasks (the
    // Team view gives them a line for those).
    let owns_late = |csm: &str| triage.late_task_owners().any(|o| o.eq_ignore_ascii_case(csm));
    if let Some(csm) = &opts.csm
        && !all_rows.iter().any(|r| r.csm.eq_ignore_ascii_case(csm))
        && !(kind == ReportKind::OneOnOne && owns_late(csm))
    {
        bail!(owns_none_for(csm, all_rows.iter().map(|r| &*r.csm), kind != ReportKind::OneOnOne));
    }
    let rows = filtered(&all_rows, opts);
    // Of the accounts with an ARR on record, as the import counts them (one without was counted
    // in the book's currency: "68 in USD" beside the import's "66 in USD").
    // A one-on-one sums the CSM's live accounts (`book::team::book_line`): counted as it sums
    // them (its churned ones had made the warning say "shown as USD" over a line in euros).
    let counts = match kind {
        ReportKind::OneOnOne => {
            book::currency_counts(rows.iter().filter(|r| r.status != crate::domain::AccountStatus::Churned))
        }
        _ => book::currency_counts(rows.iter()),
    };
    let currency = book::main_currency(&counts).to_string();
    // Sums of ARR add the amounts as they are: say so when they are in several currencies.
    let moneyless = opts.section.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("satisfaction"));
    if matches!(
        kind,
        ReportKind::Metrics
            | ReportKind::HealthTrend
            | ReportKind::Team
            | ReportKind::Renewals
            | ReportKind::Brief
            | ReportKind::OneOnOne
    ) && !moneyless
        && counts.len() > 1
    {
        let list: Vec<String> = counts.iter().map(|(c, n)| format!("{n} in {}", crate::text::clean(c))).collect();
        eprintln!(
            "tend: the accounts are in several currencies ({}): sums add the amounts unconverted, shown as {currency}",
            list.join(", ")
        );
    }
    let report = match kind {
        ReportKind::Triage => {
            let list = triage.list(config, &rows);
            let limit = config.triage.daily_limit;
            let listed = if opts.all || limit == 0 { list.items.len() } else { list.items.len().min(limit) };
            let items = &list.items[..listed];
            // The first items are spelled out with raw values as everywhere else (each account's
            // facts are read); past them, a long list names the moved factor by its points, to
            // stay fast.
            let details = items
                .iter()
                .enumerate()
                .map(|(n, item)| match n < SPELL_OUT {
                    true => triage.explain(store, config, item),
                    false => Ok(item.reasons.iter().map(|x| x.phrase(&config.health.catalog)).collect()),
                })
                .collect::<Result<Vec<_>, _>>()?;
            triage_report(today, opts, items, &rows, &details, list.items.len(), list.hidden.len())
        }
        ReportKind::Team => {
            let lines = book::team::team(config, &rows, &triage);
            Report {
                name: "team",
                title: format!("Team as of {today}{}", scope(opts)),
                rows: lines
                    .iter()
                    .map(|l| {
                        let avg = l.average_score.map(|a| (a * 10.0).round() / 10.0);
                        let [g, y, o, r, n] = l.bands;
                        vec![
                            field("csm", json!(l.csm), l.csm.clone()),
                            field("accounts", json!(l.accounts), l.accounts.to_string()),
                            // A CSM who owns no account (only late tasks kept) manages no ARR:
                            // "-", as the Team view says, not "$0".
                            match l.accounts {
                                0 => field("arr", crate::rows::money_json(l.arr), "-"),
                                _ => money("arr", l.arr, &currency),
                            },
                            // Of fewer than half the accounts, said with how few, as the Team view
                            // marks it (a probe read 94.5 over 2 of 74 accounts as a healthy book).
                            field(
                                "average_score",
                                json!(avg),
                                match (avg, l.average_is_of_few()) {
                                    (None, _) => "-".to_string(),
                                    (Some(a), false) => format!("{a:.1}"),
                                    (Some(a), true) => format!("{a:.1} (of {})", l.accounts - l.bands[4]),
                                },
                            ),
                            // Worst first: on a terminal too narrow for every column, columns
                            // give way from the right, and a lead's 80 columns had kept GREEN and
                            // left RED out.
                            field("red", json!(r), r.to_string()),
                            field("orange", json!(o), o.to_string()),
                            field("yellow", json!(y), y.to_string()),
                            field("green", json!(g), g.to_string()),
                            field("no_score", json!(n), n.to_string()),
                            field("movers_down_30d", json!(l.movers_down), l.movers_down.to_string()),
                            field("overdue_milestones", json!(l.overdue_milestones), l.overdue_milestones.to_string()),
                            field("goals_off_track", json!(l.goals_off_track), l.goals_off_track.to_string()),
                            field("tasks_late", json!(l.tasks_late), l.tasks_late.to_string()),
                            percent("touch_coverage", l.touch_coverage()),
                        ]
                    })
                    .collect(),
                // The line of accounts without a CSM is no CSM, as the Team view counts them.
                summary: {
                    let csms = lines.iter().filter(|l| !l.unassigned).count();
                    let text = match lines.len() > csms {
                        true => format!("{csms} (and a line of the accounts without a CSM)"),
                        false => csms.to_string(),
                    };
                    vec![field("csms", json!(csms), text)]
                },
                empty: "no accounts".into(),
                sections: Vec::new(),
                grouped_by: None,
            }
        }
        ReportKind::Renewals => {
            let days = opts.days.unwrap_or(90);
            let (due, forecast) = book::renewals::due(config, &rows, today, days, None);
            Report {
                name: "renewals",
                title: format!("Renewals overdue or in the next {days} days as of {today}{}", scope(opts)),
                rows: due
                    .iter()
                    .map(|&i| {
                        let r = &rows[i];
                        let d = r.days_to_renewal(today).unwrap_or_default();
                        let likelihood = r.renewal_likelihood(&config.renewals.likelihood, today);
                        vec![
                            // What a narrow terminal keeps first (columns give way from the
                            // right): at 60 columns the likelihood and the long-past mark had
                            // gone, and the rows long past read as due.
                            field("account", json!(r.name), r.name.clone()),
                            field("days", json!(d), d.to_string()),
                            account_arr(r.arr, &r.currency),
                            row_band(r),
                            // A renewal long past is in no sum: no likelihood, and marked.
                            match book::renewals::is_long_past(r, today) {
                                true => field("likelihood", serde_json::Value::Null, "-"),
                                false => field(
                                    "likelihood",
                                    json!((likelihood * 100.0).round()),
                                    format!("{:.0}%", likelihood * 100.0),
                                ),
                            },
                            field(
                                "long_past",
                                json!(book::renewals::is_long_past(r, today)),
                                if book::renewals::is_long_past(r, today) { "yes" } else { "" },
                            ),
                            field(
                                "renewal_date",
                                json!(r.renewal_date.map(|d| d.to_string())),
                                r.renewal_date.map(|d| d.to_string()).unwrap_or_default(),
                            ),
                            csm_field(&r.csm),
                            computed_band(r),
                            row_score(r),
                            coverage(r),
                            // The CSM's word (a sentiment at its worst, a risk flag open), which
                            // puts the likelihood at Orange's at most: said whatever the band (a
                            // probe's Red account with a risk open read blank, as if not).
                            {
                                let says = r.csm_says_at_risk() && !r.overridden;
                                field("csm_says_at_risk", json!(says), if says { "yes" } else { "" })
                            },
                            // Or for its data: no score yet, and at its worst (Triage's Orange).
                            field(
                                "at_worst_unscored",
                                json!(r.unscored_at_worst),
                                if r.unscored_at_worst { "yes" } else { "" },
                            ),
                        ]
                    })
                    .collect(),
                summary: vec![
                    field("renewals", json!(forecast.renewals), forecast.renewals.to_string()),
                    money_noted("arr_due", forecast.due, &currency, &forecast.due_unpriced()),
                    field("without_arr", json!(forecast.without_arr), forecast.without_arr.to_string()),
                    money_rounded("forecast", forecast.expected, &currency),
                    match forecast.at_risk_known() {
                        // What the sum is of, as the Renewals screen says it (a probe's read
                        // "ARR at risk: €390,821", all of it unscored accounts at their worst).
                        Some(sum) => {
                            let scope = forecast.at_risk_scope().map_or(String::new(), |s| format!(" ({s})"));
                            money_noted(
                                "arr_at_risk",
                                sum,
                                &currency,
                                &format!("{}{scope}", forecast.at_risk_unpriced()),
                            )
                        }
                        None => field("arr_at_risk", json!(null), "unknown (none of them has a score)".to_string()),
                    },
                    field(
                        "at_risk_without_arr",
                        json!(forecast.at_risk_without_arr),
                        forecast.at_risk_without_arr.to_string(),
                    ),
                    field(
                        "past_due",
                        json!(forecast.past_due),
                        forecast
                            .past_due_note(&config.renewals.likelihood, &currency)
                            .unwrap_or_else(|| "0".to_string()),
                    ),
                    field(
                        "long_past",
                        json!(forecast.long_past),
                        forecast.long_past_note(false).map_or_else(
                            || "0".to_string(),
                            |note| format!("{note} (tend renew or tend churn when they are)"),
                        ),
                    ),
                    field(
                        "unscored",
                        // Every renewal without a score, those said at risk too (the text
                        // counts them apart; the JSON read 2 of the 3).
                        json!(forecast.unscored + forecast.said_unscored),
                        {
                            // Those said at risk without a score are counted with the ARR at
                            // risk: said, so that the two lines add up to the unscored (a probe
                            // read "0 (every renewal has a score)" under two listed "low data").
                            let said = |n: usize, more: &str| {
                                format!(
                                    "{}{more} without a score {} at risk, on a sentiment, a risk or data at 1 point of 4 (in the ARR at risk)",
                                    crate::domain::account::thousands(n as u64),
                                    if n == 1 { "is" } else { "are" }
                                )
                            };
                            match (forecast.prior_note(&config.renewals.likelihood), forecast.said_unscored) {
                                (None, 0) => "0 (every renewal has a score)".to_string(),
                                (None, n) => said(n, ""),
                                (Some(note), 0) => {
                                    format!("{note} (in the forecast at the no-score likelihood, not at risk)")
                                }
                                (Some(note), n) => format!(
                                    "{note} (in the forecast at the no-score likelihood, not at risk); {}",
                                    said(n, " more")
                                ),
                            }
                        },
                    ),
                ],
                empty: format!("no renewals due in {days} days"),
                sections: Vec::new(),
                grouped_by: None,
            }
        }
        ReportKind::Metrics => {
            let day = |field: &'static str, text: &Option<String>| {
                text.as_deref().map(|t| crate::domain::input::parse_day(field, t, today)).transpose()
            };
            let asked_to = day("to", &opts.to)?.unwrap_or(today);
            let asked = day("from", &opts.from)?;
            if let Some(from) = asked.filter(|from| *from > asked_to) {
                bail!("--from {from} is after --to {asked_to}");
            }
            if let Some(from) = asked.filter(|from| *from > today) {
                bail!("--from {from} is after today ({today}): retention is measured over days gone by");
            }
            // A period running on past today is measured to date: what is still to come is not
            // known, and renewals not yet due would count as kept (a probe's "--to 2026-12-31"
            // read a quarter to date as the whole quarter).
            // A preview (`--as-of` a day still to come) knows no outcome after this machine's today.
            let known = book::last_known_day(today);
            let to = asked_to.min(known);
            let to_date = match asked_to > known {
                true => format!(" (to date: the period asked runs to {asked_to})"),
                false => String::new(),
            };
            let from = asked.unwrap_or(to - chrono::Duration::days(364));
            // Survey answers are dated facts of their own: read over the period asked (the last 12
            // months), not clipped to the book's records as retention is, whose ARR before them is
            // only as imported (a probe's NPS answers from before its import were not counted).
            let survey_from = from;
            let histories = store.revenue_histories()?;
            let began = store.book_began()?;
            let period = book::metrics::MeasuredPeriod::of(&histories, began, from, to);
            // The last 12 months as far as the book's records reach (as the Team view measures
            // them); a period asked for is measured as asked, and said to reach before them.
            let (from, records_note, nothing_yet) = match (asked, period.from) {
                // A few days of records read NRR 100% as if it meant something: their count is
                // said, as the Team view says it.
                (None, Some(start)) if period.clipped() && period.days() < 30 => (
                    start,
                    format!(" (where the book's records begin, only {})", crate::text::days(period.days())),
                    false,
                ),
                (None, Some(start)) if period.clipped() => {
                    (start, " (where the book's records begin, within the last 12 months)".to_string(), false)
                }
                (None, Some(start)) => (start, String::new(), false),
                (None, None) => (from, String::new(), true),
                // A period wholly before the records: nothing in it was recorded, so nothing to
                // measure (the imported ARR would read as 100% kept).
                (Some(_), _) if period.records_from.is_some_and(|r| r > to) => (from, String::new(), true),
                (Some(_), _) => {
                    let before = period.records_from.filter(|r| *r > from);
                    let note = before.map_or(String::new(), |r| {
                        format!(" (the book's records start {r}: before that, ARR is as imported and no churn shows)")
                    });
                    (from, note, false)
                }
            };
            let by = GroupBy::parse(opts.by.as_deref().unwrap_or("book")).map_err(|e| color_eyre::eyre::eyre!(e))?;
            let grouping = match book::metrics::Grouping::new(store, by.clone())? {
                Ok(g) => g,
                Err(reason) => bail!("{reason}"),
            };
            let days = (to - from).num_days() + 1;
            let margin = config.metrics.gross_margin;
            let groups = match nothing_yet {
                true => Vec::new(),
                false => book::metrics::retention(&histories, &rows, from, to, &grouping),
            };
            let group_currencies = book::metrics::group_currencies(&rows, &grouping);
            let satisfaction = book::metrics::satisfaction(store, &rows, survey_from, to, &grouping)?;
            let mut sections = vec![Section {
                name: "satisfaction",
                title: format!(
                    "Satisfaction {survey_from} to {to}{}: NPS = % promoters (9-10) - % detractors (0-6); CSAT = % of 4-5; CES = average, 1-7",
                    scope(opts)
                ),
                rows: satisfaction.iter().map(satisfaction_row).collect(),
                empty: "no NPS, CSAT or CES responses in the period".into(),
            }];
            if by == GroupBy::Cohort {
                let cohorts = book::metrics::cohorts(&histories, &rows, to, &period);
                // What the marks say, where some cell has one.
                let mut marks = String::new();
                if let Some(from) = period.records_from
                    && cohorts.iter().any(|(_, c)| c.before_records.iter().any(|b| *b))
                {
                    marks.push_str(&format!(
                        "; \"unknown\": the quarter ended before the book's records start ({from}), when no churn shows"
                    ));
                }
                if let Some(from) = period.arr_changes_from
                    && cohorts.iter().any(|(_, c)| {
                        c.first_quarter_arr_as_imported
                            || c.arr_as_imported.iter().zip(&c.before_records).any(|(a, b)| *a && !b)
                    })
                {
                    marks.push_str(&format!(
                        "; *: the quarter ended before ARR changes are recorded ({from}), so the ARR kept counts churn alone"
                    ));
                }
                sections.push(Section {
                    name: "cohorts",
                    title: format!(
                        "Cohorts by the quarter they became customers, seen at {to}: % of logos and of ARR kept after 1, 2, 4, 8 quarters{marks}"
                    ),
                    rows: cohorts.iter().map(|(q, c)| cohort_row(&q.to_string(), c, &currency)).collect(),
                    empty: "no account has a customer-since day".into(),
                });
            }
            let mut summary = vec![field(
                "cltv",
                json!(format!("average ARR per account x gross margin {margin} / annual revenue churn rate")),
                format!(
                    "average ARR per account x gross margin {margin} / annual revenue churn rate (the period's churned ARR, compounded to a year)"
                ),
            )];
            // Churned on no known day: in no period's figures (they read as kept in every one),
            // and said, with how to place them.
            let in_scope: std::collections::HashSet<i64> = rows.iter().map(|r| r.id).collect();
            let undated: Vec<(i64, String, crate::domain::Cents)> =
                store.undated_churns()?.into_iter().filter(|(id, _, _)| in_scope.contains(id)).collect();
            if let Some((_, name, arr)) = undated.first() {
                summary.push(field(
                    "undated_churns",
                    json!(undated.len()),
                    format!(
                        "{} churned account{} without a churn day left out (the first: {}, {}): a churn date column in an \
                         accounts import places {}",
                        undated.len(),
                        if undated.len() == 1 { "" } else { "s" },
                        crate::text::clean(name),
                        // An ARR nobody recorded is no "$0".
                        arr.on_record().map_or_else(|| "no ARR on record".to_string(), |arr| arr.full(&currency)),
                        if undated.len() == 1 { "it" } else { "them" }
                    ),
                ));
            }
            // ARR changes recorded only from a day within the period (the book's first import,
            // churns imported with earlier days): before it, NRR and GRR count churn alone.
            if let Some(changes_from) = period.arr_changes_from.filter(|d| *d > from && !nothing_yet) {
                let lost = match changes_from > to {
                    true => {
                        "no expansion or contraction can show in this period: NRR and GRR count churn alone".to_string()
                    }
                    false => format!(
                        "expansion and contraction from {from} to {changes_from} do not show: NRR and GRR count churn \
                         alone over those days"
                    ),
                };
                summary.push(field(
                    "arr_changes_from",
                    json!(changes_from.to_string()),
                    format!(
                        "ARR changes are recorded from {changes_from}, {} (before then each account's ARR is as \
                         imported): {lost}",
                        if Some(changes_from) == began { "when the book began" } else { "the first one recorded" }
                    ),
                ));
            }
            // Renewals come due with no outcome recorded: the account is a customer still, and
            // counts as kept. Said with how many, so that a GRR of 100% is read for what it is (a
            // probe's, for a board, held 16 renewals past their day that no one had confirmed).
            let unresolved = book::metrics::renewals_unresolved(&rows, from, to);
            if let Some(first) = unresolved.first().filter(|_| !nothing_yet) {
                let arr = crate::domain::Cents(unresolved.iter().filter_map(|r| r.arr.on_record()).map(|c| c.0).sum());
                summary.push(field(
                    "renewals_unresolved",
                    json!(unresolved.len()),
                    format!(
                        "{} due by {to} with no renewal or churn recorded, {} ARR, count{} as kept (the first: {}, due {}): \
                         `tend renew` or `tend churn` records each, and Renewals lists them",
                        crate::text::counted(unresolved.len(), "renewal", "renewals"),
                        arr.full(&currency),
                        if unresolved.len() == 1 { "s" } else { "" },
                        crate::text::clean(&first.name),
                        first.renewal_date.map_or(String::new(), |d| d.to_string()),
                    ),
                ));
            }
            let mut report = Report {
                name: "metrics",
                title: format!("Retention {from} to {to}{to_date}{}{records_note}", scope(opts)),
                rows: groups
                    .iter()
                    .map(|(name, r)| {
                        let changes_seen = period.arr_changes_from.is_none_or(|d| d <= to);
                        let currency = group_currencies.get(name).unwrap_or(&currency);
                        metric_row(name, r, currency, (days, margin), changes_seen)
                    })
                    .collect(),
                summary,
                empty: match (nothing_yet, period.records_from) {
                    (true, Some(start)) if asked.is_some() => format!(
                        "no retention from {from} to {to}: the book's records start {start}, and renewals, churns and ARR changes are measured from then"
                    ),
                    (true, Some(start)) => format!(
                        "no retention yet: the book's records start {start}{}, and renewals, churns and ARR changes are measured from then{}",
                        if start > to { format!(", after {to}") } else { String::new() },
                        so_far(store, &rows, start, to, &currency)?
                    ),
                    _ => "no accounts".into(),
                },
                sections,
                grouped_by: None,
            };
            if opts.section.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("cohorts")) && by != GroupBy::Cohort {
                bail!("--section cohorts needs --by cohort");
            }
            match opts.section.as_deref() {
                Some(name) => report = report.only(name).map_err(|e| color_eyre::eyre::eyre!(e))?,
                // CSV is one table a file: say where the others are.
                None if opts.format == super::Format::Csv => eprintln!(
                    "tend: CSV holds the retention table; {}",
                    if by == GroupBy::Cohort {
                        "--section satisfaction or --section cohorts writes the others"
                    } else {
                        "--section satisfaction writes the other"
                    }
                ),
                None => {}
            }
            report
        }
        ReportKind::HealthTrend => {
            let weeks = book::health_trend::health_trend(store, config, rows.iter(), today)?;
            Report {
                name: "health-trend",
                // Everyone's unless asked (a leader's report), said as the Team view's `w` says it:
                // a probe read it as their own, as `report triage` is.
                title: format!(
                    "Health week by week{}: % of customers, then % of ARR, in each band (the band the score gave that day)",
                    match scope(opts) {
                        s if s.is_empty() => " · all CSMs".to_string(),
                        s => s,
                    }
                ),
                rows: weeks.iter().map(|w| trend_row(w, &currency)).collect(),
                summary: book::health_trend::headline(&weeks)
                    .map(|h| vec![field("change", json!(h), h)])
                    .unwrap_or_default(),
                empty: "no weeks".into(),
                sections: Vec::new(),
                grouped_by: None,
            }
        }
        ReportKind::Brief => super::brief::report(store, config, &rows, &triage, &currency, today, opts)?,
        ReportKind::OneOnOne => {
            let Some(csm) = opts.csm.as_ref() else {
                bail!(
                    "a one-on-one is one CSM's: --csm NAME (or `me` in the config); `tend report team` covers every CSM"
                )
            };
            let name = rows.first().map_or(csm.clone(), |r| r.csm.to_string());
            let agenda = book::team::one_on_one(store, config, &all_rows, &triage, &name, today)?;
            let (walked, left_out) = book::team::agenda_walked(&agenda, opts.all);
            Report {
                name: "one-on-one",
                // The accounts without a CSM are no one's one-on-one, as the Team view says.
                title: match name.is_empty() {
                    true => format!("The accounts without a CSM, {today}"),
                    false => format!("One-on-one with {name}, {today}"),
                },
                rows: walked
                    .iter()
                    .map(|a| {
                        vec![
                            field("section", json!(a.section.title()), a.section.title()),
                            field("account", json!(a.account), a.account.clone()),
                            account_arr(a.arr, &a.currency),
                            match (a.low_data, a.band) {
                                (true, _) => field("band", serde_json::Value::Null, "low data"),
                                // Set by hand, or capped, as the lists say.
                                (false, Some(b)) if a.overridden => {
                                    Field { text: format!("{} (by hand)", b.label()), ..band(Some(b)) }
                                }
                                (false, Some(b)) if a.capped => {
                                    Field { text: format!("{} (capped)", b.label()), ..band(Some(b)) }
                                }
                                (false, b) => band(b),
                            },
                            match (a.score, a.thin) {
                                (Some(s), true) => field("score", json!(s), format!("~{s}")),
                                (s, _) => score(s),
                            },
                            field("what", json!(a.what), a.what.clone()),
                        ]
                    })
                    .collect(),
                summary: {
                    // The CSM's health over the history window, as the agenda in the TUI opens.
                    let weeks = book::health_trend::health_trend(store, config, rows.iter(), today)?;
                    let health = book::health_trend::headline(&weeks).unwrap_or_default();
                    let long_past = book::team::long_past_renewals(&all_rows, &name, today);
                    let also = long_past.map_or("none".to_string(), |past| {
                        format!(
                            "{}: tend report renewals --csm \"{name}\" lists them",
                            book::team::long_past_line(past)
                        )
                    });
                    let done = book::team::week_activity(store, &name, today)?.unwrap_or_default();
                    let whole = book::team::book_line(config, &all_rows, &name, today);
                    let untracked = book::team::not_tracked_line(store, &all_rows, &name, today)?;
                    vec![
                        field("book", json!(whole), whole.clone()),
                        field("not_tracked", json!(untracked), untracked.clone().unwrap_or_else(|| "none".into())),
                        field("health", json!(health), health.clone()),
                        // "Last 7 days: 3 touches, …" ("Done: in the last 7 days: …" read twice).
                        field("last_7_days", json!(done), done.clone()),
                        field("items", json!(agenda.len()), agenda.len().to_string()),
                        field(
                            "listed",
                            json!(walked.len()),
                            match book::team::left_out_line(&left_out) {
                                Some(more) => format!(
                                    "{}, the {} under each heading that need a lead most; {more}: --all lists them",
                                    walked.len(),
                                    book::team::AGENDA_PER_SECTION
                                ),
                                None => "all".to_string(),
                            },
                        ),
                        field("long_past_renewals", json!(long_past.map_or(0, |p| p.0)), also),
                    ]
                },
                empty: "nothing to walk through: no movers, nothing overdue, no renewals in 90 days".into(),
                sections: Vec::new(),
                grouped_by: Some("section"),
            }
        }
    };
    // CSV is the rows alone: an empty table is said aside, so a script or a person reading the
    // empty file learns why (JSON carries it as `empty`).
    if opts.format == super::Format::Csv && report.rows.is_empty() {
        eprintln!("tend: {}", crate::text::clean(&report.empty));
    }
    Ok(report.render(opts.format, today))
}

/// The band the score gives, beside the band in force: they differ when a CSM overrode it.
fn computed_band(r: &PortfolioRow) -> Field {
    let key = |b: Option<crate::domain::HealthBand>| b.map(|b| b.label().to_lowercase());
    // "same" where no one overrode it: "-" under COMPUTED_BAND read to two probes as no band
    // computed, and the band again said "low data" twice on a row.
    let text = match (r.overridden, r.computed_band) {
        (false, _) => "same".to_string(),
        (true, Some(b)) => format!("{} (overridden)", b.label()),
        (true, None) if r.not_enough_data() => "low data (overridden)".to_string(),
        (true, None) => "no score (overridden)".to_string(),
    };
    field("computed_band", serde_json::json!(key(r.computed_band)), text)
}

/// `changes_seen`: ARR changes are recorded from a day within the period or before; where only
/// after it, its expansion and contraction are not known, not $0 (a probe's read "$0" beside the
/// note saying they do not show).
fn metric_row(name: &str, r: &Retention, currency: &str, (days, margin): (i64, f64), changes_seen: bool) -> Vec<Field> {
    // The value, or why there is none.
    let (cltv, why) = match r.cltv(days, margin) {
        Ok(value) => (money("cltv", value, currency), field("cltv_why", serde_json::Value::Null, "")),
        Err(why) => (field("cltv", serde_json::Value::Null, "n/a"), field("cltv_why", json!(why), why)),
    };
    // The headline figures first: a narrow terminal's table gives columns way from the right,
    // and at 60 columns NRR and GRR had gone while the notes under it spoke of them.
    vec![
        field("group", json!(name), name),
        percent("nrr", r.nrr()),
        percent("grr", r.grr()),
        percent("logo_retention", r.logo_retention()),
        percent("churn_by_revenue", r.churn_by_revenue()),
        field("accounts_start", json!(r.accounts_start), r.accounts_start.to_string()),
        field("retained", json!(r.accounts_retained), r.accounts_retained.to_string()),
        field("churned", json!(r.accounts_churned), r.accounts_churned.to_string()),
        field("new_logos", json!(r.new_logos), r.new_logos.to_string()),
        money("arr_start", r.arr_start, currency),
        if changes_seen { money("expansion", r.expansion, currency) } else { unknown("expansion") },
        if changes_seen { money("contraction", r.contraction, currency) } else { unknown("contraction") },
        money("churned_arr", r.churned_arr, currency),
        percent("churn_by_count", r.churn_by_count()),
        cltv,
        why,
    ]
}

/// One week of the health trend: customers and their shares by band, then ARR and its shares.
fn trend_row(w: &book::health_trend::TrendWeek, currency: &str) -> Vec<Field> {
    const COUNTS: [&str; 5] = ["green", "yellow", "orange", "red", "no_score"];
    const ARR: [&str; 5] = ["arr_green", "arr_yellow", "arr_orange", "arr_red", "arr_no_score"];
    let share = |key: &'static str, v: Option<f64>| figure(key, v, |v| format!("{v:.0}%"));
    let mut row = vec![
        field("week", json!(w.day.to_string()), w.day.to_string()),
        field("customers", json!(w.customers()), w.customers().to_string()),
    ];
    row.extend((0..5).map(|slot| share(COUNTS[slot], w.account_share(slot))));
    row.push(money("arr", w.total_arr(), currency));
    row.extend((0..5).map(|slot| share(ARR[slot], w.arr_share(slot))));
    row
}

/// One group's (and one respondent role's) NPS, CSAT and CES, each with its count of responses.
fn satisfaction_row(s: &book::metrics::SatisfactionRow) -> Vec<Field> {
    let f = &s.figures;
    let count = |key: &'static str, n: usize| field(key, json!(n), n.to_string());
    vec![
        field("group", json!(s.group), s.group.clone()),
        field("role", json!(s.role), s.role.clone()),
        count("nps_responses", f.nps.responses),
        figure("nps", f.nps(), |v| format!("{v:+.0}")),
        count("csat_responses", f.csat.responses),
        figure("csat", f.csat(), |v| format!("{v:.0}%")),
        count("ces_responses", f.ces.responses),
        figure("ces", f.ces(), |v| format!("{v:.1}")),
    ]
}

/// A cohort: its size and start ARR, then logo and revenue retention after 1, 2, 4, 8 quarters
/// ("-" for a quarter not yet ended).
fn cohort_row(quarter: &str, c: &crate::domain::retention::Cohort, currency: &str) -> Vec<Field> {
    let mut row = vec![
        field("cohort", json!(quarter), quarter),
        field("accounts", json!(c.accounts), c.accounts.to_string()),
        money("arr_start", c.arr_start, currency),
    ];
    // Its first quarter's ARR as imported, where that quarter ended before ARR changes are
    // recorded: marked as the revenue is.
    if c.first_quarter_arr_as_imported {
        row[2].text.push('*');
    }
    const LOGO: [&str; 4] = ["logos_1q", "logos_2q", "logos_4q", "logos_8q"];
    const REVENUE: [&str; 4] = ["revenue_1q", "revenue_2q", "revenue_4q", "revenue_8q"];
    // A quarter ended before the book's records: not known (null), said so, not "-" (not ended).
    for (i, key) in LOGO.into_iter().enumerate() {
        row.push(if c.before_records[i] { unknown(key) } else { percent(key, c.logo_retention(i)) });
    }
    for (i, key) in REVENUE.into_iter().enumerate() {
        row.push(match (c.before_records[i], c.arr_as_imported[i]) {
            (true, _) => unknown(key),
            (false, true) => figure(key, c.revenue_retention(i), |v| format!("{v:.1}%*")),
            (false, false) => percent(key, c.revenue_retention(i)),
        });
    }
    row
}

/// `tend search`: every hit with what it is, whose it is and what matched.
pub fn search(query: &str, limit: usize, format: super::Format, store: &mut Store, today: NaiveDate) -> Result<()> {
    if query.trim().is_empty() {
        bail!("search: give words to look for");
    }
    let found = book::search::search(store, query, limit)?;
    let external = |id: Option<i64>| id.and_then(|id| store.account(id).ok()).map(|a| a.external_id);
    let hits = &found.hits;
    let report = Report {
        name: "search",
        title: format!("Search for \"{}\"", crate::text::clean(query)),
        rows: hits
            .iter()
            .map(|h| {
                vec![
                    field("kind", json!(h.kind.label()), h.kind.label().to_string()),
                    // The book's own id, for scripts: people read the external id beside it.
                    crate::rows::for_scripts("account_id", json!(h.account_id)),
                    // The hit's own id (an entry's, a task's, a person's…), as the lists show it.
                    crate::rows::for_scripts("id", json!(h.target.map(|(_, id)| id))),
                    // What ACCOUNT arguments take.
                    field("external_id", json!(external(h.account_id)), external(h.account_id).unwrap_or("-".into())),
                    field("name", json!(h.name), h.name.clone()),
                    field(
                        "status",
                        json!(h.status.map(|s| s.key())),
                        h.status.map_or("-".into(), |s| s.key().to_string()),
                    ),
                    field("day", json!(h.day.map(|d| d.to_string())), h.day.map_or("-".into(), |d| d.to_string())),
                    field("text", json!(h.text), h.text.clone()),
                ]
            })
            .collect(),
        summary: vec![
            field("hits", json!(hits.len()), hits.len().to_string()),
            field(
                "matching",
                json!(found.total),
                match (found.capped, found.total > hits.len()) {
                    (true, _) => format!("{} (more words narrow it)", found.total_text()),
                    (false, true) => format!("{} (--limit shows more)", found.total_text()),
                    (false, false) => found.total_text(),
                },
            ),
            // Said in words by "matching" ("more words narrow it").
            field("matching_capped", json!(found.capped), ""),
        ],
        empty: "nothing matches".into(),
        sections: Vec::new(),
        grouped_by: None,
    };
    super::emit(report.render(format, today));
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_csm_without_accounts_is_told_whom_to_name() {
        let owners = ["Maya Patel", "Ben Okafor", "Maya Patel", "", "Ana Ruiz", "Dev Rao", "Kim Lee"];
        let said = super::owns_none("Lee Chen", owners.into_iter());
        assert_eq!(
            said,
            "no CSM named \"Lee Chen\" owns an account in this book: name a CSM who does with --csm (Ana Ruiz, \
             Ben Okafor, Dev Rao, Kim Lee and 1 more), or --csm all"
        );
        assert!(super::owns_none("Lee Chen", std::iter::empty()).ends_with("with --csm, or --csm all"));
        assert!(super::owns_none_for("Lee Chen", ["Ben Okafor"].into_iter(), false).ends_with("(Ben Okafor)"));
    }
}
