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
    let book_line = format!("{} customers, {} ARR", thousands(customers.len()), money(total));

    // Health by band, with the ARR in each: what a founder asks first.
    let mut bands = Vec::new();
    let mut bands_json = serde_json::Map::new();
    for b in HealthBand::ALL {
        let of: Vec<&&PortfolioRow> = customers.iter().filter(|r| r.band == Some(b)).collect();
        let sum = arr(&mut of.iter().copied());
        bands.push(match of.len() {
            0 => format!("{} 0", b.label()),
            n => format!("{} {n} ({})", b.label(), money(sum)),
        });
        bands_json.insert(b.label().to_lowercase(), json!({"accounts": of.len(), "arr": crate::rows::money_json(sum)}));
    }
    let unscored: Vec<&&PortfolioRow> = customers.iter().filter(|r| r.band.is_none()).collect();
    if !unscored.is_empty() {
        let sum = arr(&mut unscored.iter().copied());
        bands.push(format!("no score yet {} ({})", unscored.len(), money(sum)));
    }
    bands_json.insert(
        "no_score".into(),
        json!({"accounts": unscored.len(), "arr": crate::rows::money_json(arr(&mut unscored.iter().copied()))}),
    );

    let (due, forecast) = book::renewals::due(config, rows, today, RENEWAL_DAYS, None);
    let renewals = match forecast.renewals {
        0 => format!("none overdue or due in {RENEWAL_DAYS} days"),
        n => {
            let at_risk = match forecast.at_risk_known() {
                Some(sum) if forecast.at_risk_count > 0 => {
                    format!(", {} of it at risk ({} accounts)", money(sum), forecast.at_risk_count)
                }
                Some(_) => ", none at risk".to_string(),
                None => ", at risk unknown (none has a score)".to_string(),
            };
            let overdue = due.iter().filter(|&&i| rows[i].days_to_renewal(today).is_some_and(|d| d < 0)).count();
            let overdue = match overdue {
                0 => String::new(),
                o => format!(", {o} of them overdue"),
            };
            format!(
                "{} accounts, {} ARR{overdue}: forecast {}{at_risk}",
                thousands(n),
                money(forecast.due),
                money(forecast.expected.rounded())
            )
        }
    };

    let fell: Vec<&&PortfolioRow> =
        customers.iter().filter(|r| r.deltas[1].is_some_and(|d| d <= -config.triage.drop_points)).collect();
    let fell_line = match fell.len() {
        0 => format!("no account fell {} points or more", config.triage.drop_points),
        n => format!(
            "{} {} fell {} points or more ({} ARR)",
            thousands(n),
            if n == 1 { "account" } else { "accounts" },
            config.triage.drop_points,
            money(arr(&mut fell.iter().copied()))
        ),
    };

    let list = triage.list(config, rows);
    let first = &list.items[..list.items.len().min(FIRST_ITEMS)];
    let attention = match (list.items.len(), first.len()) {
        (0, _) => "no account today".to_string(),
        (n, f) if n == f => format!("{} {}:", thousands(n), if n == 1 { "account" } else { "accounts" }),
        (n, f) => format!("{} accounts; the first {f}:", thousands(n)),
    };
    let mut items = Vec::new();
    for (n, item) in first.iter().enumerate() {
        let r = &rows[item.row];
        let why = triage.explain(store, config, item)?;
        let health = match (r.band, r.shown_score()) {
            (Some(b), Some(s)) => format!("{} {s}", b.label()),
            (Some(b), None) => b.label().to_string(),
            (None, _) if r.not_enough_data() => "low data".to_string(),
            (None, _) => "no score".to_string(),
        };
        items.push(vec![
            field("rank", json!(n + 1), (n + 1).to_string()),
            field("account", json!(r.name), crate::text::clean(&r.name)),
            field("csm", json!(r.csm), if r.csm.is_empty() { "no CSM".into() } else { crate::text::clean(&r.csm) }),
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
                    "arr": crate::rows::money_json(forecast.due),
                    "forecast": crate::rows::money_json(forecast.expected),
                    "at_risk": forecast.at_risk_known().map(crate::rows::money_json),
                }),
                renewals,
            ),
            field("fell_30d", json!(fell.len()), fell_line),
            field("need_attention", json!(list.items.len()), attention),
        ],
        empty: "no account needs attention today".into(),
        sections: Vec::new(),
        grouped_by: None,
    })
}

fn thousands(n: usize) -> String {
    crate::domain::account::thousands(n as u64)
}

/// The brief as prose: each figure a line, the first accounts numbered under them. Markdown
/// bolds the labels and names and draws no table (chat draws none).
pub(super) fn text(report: &Report, markdown: bool) -> String {
    let mut out = match markdown {
        true => format!("## {}\n\n", report.title),
        false => format!("{}\n", report.title),
    };
    for f in &report.summary {
        let label = match f.key.as_str() {
            "book" => "Book",
            "health" => "Health",
            "renewals_90d" => "Renewals (overdue or in 90 days)",
            "fell_30d" => "Fell in 30 days",
            "need_attention" => "Need attention today",
            other => other,
        };
        out.push_str(&match markdown {
            true => format!("- **{label}:** {}\n", f.text),
            false => format!("{label}: {}\n", f.text),
        });
    }
    for row in &report.rows {
        let get = |key: &str| row.iter().find(|f| f.key == key).map_or("", |f| f.text.as_str());
        let (account, rest) = (get("account"), [get("csm"), get("arr"), get("health")]);
        let rest: Vec<&str> = rest.into_iter().filter(|t| !t.is_empty()).collect();
        out.push_str(&match markdown {
            true => format!("  {}. **{account}** · {}: {}\n", get("rank"), rest.join(" · "), get("why")),
            false => format!("  {}. {account} · {}: {}\n", get("rank"), rest.join(" · "), get("why")),
        });
    }
    out.trim_end().to_string()
}
