//! `tend report brief`: the book in a few lines, for a chat post or a founder's Monday: its
//! size, health by band, renewals coming, what fell, and the accounts that need attention first.
//! A probe's first CS hire found only 13-column tables to paste, which chat does not draw.

use chrono::NaiveDate;
use color_eyre::Result;
use serde_json::json;

use super::ReportOptions;
use super::render::{Report, account_arr, field};
use crate::book::{self, PortfolioRow};
use crate::config::Config;
use crate::domain::{AccountStatus, Cents, HealthBand};
use crate::rows::Field;
use crate::store::Store;
use crate::text::counted;

/// How many of today's Triage items a brief names.
const FIRST_ITEMS: usize = 5;

/// Renewals a brief counts: overdue or due within this many days.
const RENEWAL_DAYS: i64 = 90;

/// The brief of `rows` (the report's scope) as of `today`.
pub(super) fn report(
    store: &Store,
    config: &Config,
    rows: &[PortfolioRow],
    triage: &book::triage::TriageBook,
    currency: &str,
    today: NaiveDate,
    opts: &ReportOptions,
) -> Result<Report> {
    let customers: Vec<&PortfolioRow> = rows.iter().filter(|r| r.status != AccountStatus::Churned).collect();
    let arr = |of: &mut dyn Iterator<Item = &&PortfolioRow>| Cents(of.map(|r| r.arr.0.max(0)).sum());
    let total = arr(&mut customers.iter());
    let money = |c: Cents| c.compact(currency);
    // A sum of nothing on record is no "$0": accounts without ARR are said to have none.
    let money_of = |c: Cents| match c.0 {
        0 => "no ARR on record".to_string(),
        _ => money(c),
    };
    let arr_of = |c: Cents| match c.0 {
        0 => "no ARR on record".to_string(),
        _ => format!("{} ARR", money(c)),
    };
    let book_line = format!("{}, {}", counted(customers.len(), "customer", "customers"), arr_of(total));

    // Health by band, with the ARR in each: what a founder asks first.
    let mut bands = Vec::new();
    let mut bands_json = serde_json::Map::new();
    for b in HealthBand::ALL {
        let of: Vec<&&PortfolioRow> = customers.iter().filter(|r| r.band == Some(b)).collect();
        let sum = arr(&mut of.iter().copied());
        bands.push(match (of.len(), sum.0) {
            (0, _) => format!("{} 0", b.label()),
            (n, 0) => format!("{} {n}", b.label()),
            (n, _) => format!("{} {n} ({})", b.label(), money(sum)),
        });
        bands_json.insert(b.label().to_lowercase(), json!({"accounts": of.len(), "arr": crate::rows::money_json(sum)}));
    }
    // Without a band in the lists' own words: "low data" (some, under the minimum) and "no
    // score" (none to score on); a probe read four words for one idea.
    for (key, label, low) in [("low_data", "low data", true), ("no_score", "no score", false)] {
        let of: Vec<&&PortfolioRow> =
            customers.iter().filter(|r| r.band.is_none() && r.not_enough_data() == low).collect();
        let sum = arr(&mut of.iter().copied());
        match (of.len(), sum.0) {
            (0, _) => {}
            (n, 0) => bands.push(format!("{label} {n}")),
            (n, _) => bands.push(format!("{label} {n} ({})", money(sum))),
        }
        bands_json.insert(key.into(), json!({"accounts": of.len(), "arr": crate::rows::money_json(sum)}));
    }

    let (_, forecast) = book::renewals::due(config, rows, today, RENEWAL_DAYS, None);
    // Overdue as the renewals report counts it (`Forecast::past_due`): a date long past is in no
    // sum, said apart (a probe read "28 of them overdue" of 34, the report listing 14).
    let overdue = forecast.past_due;
    let renewals = match forecast.renewals {
        0 => format!("none overdue or due in {RENEWAL_DAYS} days"),
        n => {
            let at_risk = match forecast.at_risk_known() {
                // Of the ARR due, not beside the forecast: the forecast weighs each renewal by its
                // chance, the ARR at risk is whole (a probe added "$581k" and "$882k at risk" to
                // more than the $1.12M due).
                Some(sum) if forecast.at_risk_count > 0 => format!(
                    ", {} of that ARR at risk ({})",
                    money_of(sum),
                    counted(forecast.at_risk_count, "account", "accounts")
                ),
                Some(_) => ", none at risk".to_string(),
                None => ", at risk unknown (none has a score)".to_string(),
            };
            let overdue = match (n, overdue) {
                (_, 0) => String::new(),
                (1, _) => ", overdue".to_string(),
                (_, o) => format!(", {o} of them overdue"),
            };
            let long_past = match forecast.long_past {
                0 => String::new(),
                n => format!(
                    "; {} with a renewal date over {} days past when imported, in no sum (most often renewed in the \
                     CRM, not told)",
                    thousands(n),
                    crate::domain::renewal::LONG_PAST_DAYS
                ),
            };
            // How much of it is the no-score prior, as the Renewals screen says: a founder's
            // brief forecast "€176k" on 25 renewals none of which had a score.
            let prior = forecast.prior_note(&config.renewals.likelihood).map_or(String::new(), |n| format!(", {n}"));
            match forecast.due.0 {
                // Nothing to forecast: the renewals have no ARR on record.
                0 => format!("{} (no ARR on record){overdue}{at_risk}{long_past}", counted(n, "account", "accounts")),
                _ => format!(
                    "{}, {} ARR{overdue}: forecast {} (each renewal's ARR by its chance{prior}){at_risk}{long_past}",
                    counted(n, "account", "accounts"),
                    money(forecast.due),
                    money_of(forecast.expected.rounded())
                ),
            }
        }
    };

    let fell: Vec<&&PortfolioRow> =
        customers.iter().filter(|r| r.deltas[1].is_some_and(|d| d <= -config.triage.drop_points)).collect();
    let fell_arr = arr(&mut fell.iter().copied());
    // Those that fell as much within the last 7 days alone, which Triage lists as falls too: a
    // lead's brief said "no account fell" beside a Triage whose second item was "-14 in 7 days".
    let week: Vec<&&PortfolioRow> = customers
        .iter()
        .filter(|r| {
            r.deltas[0].is_some_and(|d| d <= -config.triage.drop_points)
                && r.deltas[1].is_none_or(|d| d > -config.triage.drop_points)
        })
        .collect();
    let week_line = match week.as_slice() {
        [] => String::new(),
        [one] => format!("; 1 more in the last 7 days ({})", crate::text::clean(&one.name)),
        more => format!("; {} more in the last 7 days ({})", more.len(), arr_of(arr(&mut more.iter().copied()))),
    };
    let fell_line = match fell.len() {
        0 => format!("no account fell {} points or more{week_line}", config.triage.drop_points),
        n => format!(
            "{} fell {} points or more ({}){week_line}",
            counted(n, "account", "accounts"),
            config.triage.drop_points,
            arr_of(fell_arr)
        ),
    };

    // The week's news: churns, renewals and returns recorded over the last 7 days (a probe's
    // Monday brief said nothing of the week's churn).
    let (news, news_json) = contract_news(store, rows, today - chrono::Duration::days(6), today, &money)?;
    let news_line = match news.is_empty() {
        true => "no churn, renewal or return recorded".to_string(),
        false => news.join(", "),
    };

    let list = triage.list(config, rows);
    let first = &list.items[..list.items.len().min(FIRST_ITEMS)];
    let attention = match (list.items.len(), first.len()) {
        (0, _) => "no account today".to_string(),
        (n, f) if n == f => format!("{}:", counted(n, "account", "accounts")),
        (n, f) => format!("{} accounts; the first {f}:", thousands(n)),
    };
    let mut items = Vec::new();
    for (n, item) in first.iter().enumerate() {
        let r = &rows[item.row];
        let why = triage.explain(store, config, item)?;
        let health = match (r.band, r.shown_score()) {
            // A band set by hand said so, with the score's own: "Yellow 47" read as a bug where
            // 47 is Orange (the screens mark it "Y* 47 (O)").
            (Some(b), Some(s)) if r.overridden => match r.computed_band {
                Some(own) => format!("{} by hand ({} {s} by its score)", b.label(), own.label()),
                None => format!("{} by hand (score {s})", b.label()),
            },
            (Some(b), None) if r.overridden => format!("{} by hand", b.label()),
            (Some(b), Some(s)) => format!("{} {s}", b.label()),
            (Some(b), None) => b.label().to_string(),
            (None, _) if r.not_enough_data() => "low data".to_string(),
            (None, _) => "no score".to_string(),
        };
        items.push(vec![
            field("rank", json!(n + 1), (n + 1).to_string()),
            field("account", json!(r.name), crate::text::clean(&r.name)),
            field("band", json!(r.band.map(|b| b.label())), r.band.map_or("", |b| b.label())),
            field("score", json!(r.score), r.score.map_or(String::new(), |s| s.to_string())),
            field("thin", json!(r.thin && r.score.is_some()), if r.thin && r.score.is_some() { "yes" } else { "" }),
            // One CSM's brief names them in its title, not on every line (a probe's read
            // "· Lena Vogt ·" five times).
            Field {
                shown: opts.csm.is_none(),
                ..field(
                    "csm",
                    json!(r.csm),
                    if r.csm.is_empty() { "no CSM".into() } else { crate::text::clean(&r.csm) },
                )
            },
            Field {
                text: r.arr.on_record().map_or("no ARR".into(), |c| c.compact(&r.currency)),
                ..account_arr(r.arr, &r.currency)
            },
            field("health", json!(health), health.clone()),
            field("why", json!(why), why.join(" · ")),
        ]);
    }

    Ok(Report {
        name: "brief",
        title: format!("Book brief as of {today}{}", super::report::scope(opts)),
        rows: items,
        summary: vec![
            field("book", json!({"customers": customers.len(), "arr": crate::rows::money_json(total)}), book_line),
            field("health", serde_json::Value::Object(bands_json), bands.join(" · ")),
            field(
                "renewals_90d",
                json!({
                    "accounts": forecast.renewals,
                    "overdue": overdue,
                    "arr": crate::rows::money_json(forecast.due),
                    "forecast": crate::rows::money_json(forecast.expected),
                    "at_risk": forecast.at_risk_known().map(crate::rows::money_json),
                    "at_risk_accounts": forecast.at_risk_count,
                }),
                renewals,
            ),
            field("last_7_days", serde_json::Value::Object(news_json), news_line),
            field(
                "fell_30d",
                json!({
                    "accounts": fell.len(),
                    "arr": crate::rows::money_json(fell_arr),
                    "in_7_days_only": week.len(),
                }),
                fell_line,
            ),
            field("need_attention", json!(list.items.len()), attention),
        ],
        empty: "no account needs attention today".into(),
        sections: Vec::new(),
        grouped_by: None,
    })
}

/// The churns, renewals and returns recorded from `from` to `to` on the accounts of `rows`, each
/// kind's count with its ARR in `money` ("1 account churned ($150k ARR)"; none said of a kind
/// without any), and the same as JSON (every kind, counts and ARR).
pub(super) fn contract_news(
    store: &Store,
    rows: &[PortfolioRow],
    from: NaiveDate,
    to: NaiveDate,
    money: &dyn Fn(Cents) -> String,
) -> Result<(Vec<String>, serde_json::Map<String, serde_json::Value>)> {
    let in_scope: std::collections::HashSet<i64> = rows.iter().map(|r| r.id).collect();
    let events = store.contract_events_between(from, to)?;
    let mut said = Vec::new();
    let mut as_json = serde_json::Map::new();
    for (kind, word, key) in [
        (crate::store::contracts::ContractKind::Churned, "churned", "churned"),
        (crate::store::contracts::ContractKind::Renewed, "renewed", "renewed"),
        (crate::store::contracts::ContractKind::Reactivated, "came back", "came_back"),
    ] {
        let of: Vec<_> = events.iter().filter(|e| e.kind == kind && in_scope.contains(&e.account_id)).collect();
        // The ARR the contract was about: before a churn, after a renewal or a return.
        let sum = Cents(of.iter().map(|e| e.arr_before.0.max(e.arr_after.0).max(0)).sum());
        if !of.is_empty() {
            said.push(match sum.0 {
                0 => format!("{} {word}", counted(of.len(), "account", "accounts")),
                _ => format!("{} {word} ({} ARR)", counted(of.len(), "account", "accounts"), money(sum)),
            });
        }
        as_json.insert(key.into(), json!({"accounts": of.len(), "arr": crate::rows::money_json(sum)}));
    }
    Ok((said, as_json))
}

fn thousands(n: usize) -> String {
    crate::domain::account::thousands(n as u64)
}

/// The brief as prose: each figure a line, the first accounts numbered under them. Markdown
/// bolds the labels and names and draws no table (chat draws none).
pub(super) fn text(report: &Report, markdown: bool) -> String {
    // A table is for a terminal: wrapped at its width between words, as every report's summary
    // is (a probe's read "f" / "orecast $713k"); Markdown is pasted whole.
    let push = |out: &mut String, line: String| {
        let lines = if markdown { vec![line] } else { crate::rows::text_lines(&line) };
        for l in lines {
            out.push_str(&l);
            out.push('\n');
        }
    };
    let mut out = match markdown {
        true => format!("## {}\n\n", report.title),
        false => format!("{}\n", report.title),
    };
    for f in &report.summary {
        let label = match f.key.as_str() {
            "book" => "Book",
            "health" => "Health",
            "renewals_90d" => "Renewals (overdue or in 90 days)",
            "last_7_days" => "Last 7 days",
            "fell_30d" => "Fell in 30 days",
            "need_attention" => "Need attention today",
            other => other,
        };
        push(
            &mut out,
            match markdown {
                true => format!("- **{label}:** {}", f.text),
                false => format!("{label}: {}", f.text),
            },
        );
    }
    for row in &report.rows {
        let get = |key: &str| row.iter().find(|f| f.key == key && f.shown).map_or("", |f| f.text.as_str());
        let (account, rest) = (get("account"), [get("csm"), get("arr"), get("health")]);
        let rest: Vec<&str> = rest.into_iter().filter(|t| !t.is_empty()).collect();
        push(
            &mut out,
            match markdown {
                true => format!("  {}. **{account}** · {}: {}", get("rank"), rest.join(" · "), get("why")),
                false => format!("  {}. {account} · {}: {}", get("rank"), rest.join(" · "), get("why")),
            },
        );
    }
    // "~33" read as "about 33" to a probe: what the mark means, where one is shown.
    if report.rows.iter().any(|row| row.iter().any(|f| f.key == "thin" && f.json == json!(true))) {
        let legend = "~ before a score: from thin data (several of its factors have none yet)";
        push(&mut out, if markdown { format!("\n_{legend}_") } else { legend.to_string() });
    }
    out.trim_end().to_string()
}
