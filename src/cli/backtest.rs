//! `tend backtest`: each factor's renewal rates by points, its best threshold and AUC, and the
//! blended score's AUC.

use chrono::NaiveDate;
use color_eyre::Result;
use serde_json::json;

use super::ReportFormat;
use super::render::{Report, field};
use crate::config::Config;
use crate::domain::backtest::Level;
use crate::domain::factor::Better;
use crate::store::Store;

fn rate(level: &Level) -> String {
    level.rate().map_or("-".to_string(), |r| format!("{r:.0}% of {}", level.accounts))
}

fn auc_text(auc: Option<f64>) -> String {
    auc.map_or("-".to_string(), |a| format!("{a:.2}"))
}

pub fn run(
    store: &Store,
    config: &Config,
    days_before: i64,
    format: ReportFormat,
    suggest: bool,
    today: NaiveDate,
) -> Result<()> {
    let (t, suggestion) = crate::book::backtest::run(store, config, days_before, suggest)?;
    let catalog = &config.health.catalog;
    // Candidates (weight 0) are tested like the rest: that is what they are for.
    let candidate = |id| match config.health.factors.get(&id).is_some_and(|r| r.weight == 0.0) {
        true => format!("{} (candidate)", catalog.label(id)),
        false => catalog.label(id).to_string(),
    };
    let mut factors: Vec<_> = t.factors.iter().collect();
    // Best separators first; factors without an AUC last.
    factors.sort_by(|a, b| b.auc.unwrap_or(-1.0).total_cmp(&a.auc.unwrap_or(-1.0)));
    let rows = factors
        .iter()
        .map(|f| {
            let best = f.best.map(|b| {
                let sign = if f.better == Better::Higher { "≥" } else { "≤" };
                (
                    format!("{sign}{}", catalog.format_value(f.id, b.value)),
                    format!("{} renew vs {}", rate(&b.good), rate(&b.bad)),
                    b,
                )
            });
            let levels: Vec<serde_json::Value> = f
                .levels
                .iter()
                .enumerate()
                .map(|(i, l)| json!({"points": i + 1, "accounts": l.accounts, "renewed": l.renewed, "rate": l.rate()}))
                .collect();
            vec![
                field("factor", json!(catalog.key(f.id)), candidate(f.id)),
                field("auc", json!(f.auc.map(|a| (a * 1000.0).round() / 1000.0)), auc_text(f.auc)),
                field("missing", json!(f.missing), f.missing.to_string()),
                field("points", json!(levels), f.levels.iter().map(rate).collect::<Vec<_>>().join(" | ")),
                field(
                    "best_threshold",
                    best.as_ref().map_or(json!(null), |(_, _, b)| {
                        json!({"value": b.value, "good": {"accounts": b.good.accounts, "renewed": b.good.renewed, "rate": b.good.rate()},
                               "bad": {"accounts": b.bad.accounts, "renewed": b.bad.renewed, "rate": b.bad.rate()}})
                    }),
                    best.as_ref().map_or("-".to_string(), |(v, text, _)| format!("{v}: {text}")),
                ),
            ]
        })
        .collect();
    let mut summary = vec![
        field("accounts", json!(t.accounts), t.accounts.to_string()),
        field("renewed", json!(t.renewed), t.renewed.to_string()),
        field("score_auc", json!(t.score_auc.map(|a| (a * 1000.0).round() / 1000.0)), auc_text(t.score_auc)),
        field("score_missing", json!(t.score_missing), t.score_missing.to_string()),
        field(
            "score_not_enough_data",
            json!(t.score_not_enough_data),
            format!("{} (of the missing: some data, under health.min_coverage)", t.score_not_enough_data),
        ),
    ];
    if let Some(s) = &suggestion {
        let weights: serde_json::Map<String, serde_json::Value> =
            s.weights.iter().map(|(id, w)| (catalog.key(*id).to_string(), json!(w))).collect();
        summary.push(field("suggested_weights", json!(weights), "below, as TOML"));
        summary.push(field("suggested_held_out_auc", json!(s.suggested_auc), auc_text(s.suggested_auc)));
        summary.push(field("current_held_out_auc", json!(s.current_auc), auc_text(s.current_auc)));
    }
    let report = Report {
        name: "backtest",
        title: format!(
            "Back-test as of {days_before} days before each outcome: {} accounts, {} renewed, {} churned (as of {today})",
            t.accounts,
            t.renewed,
            t.accounts - t.renewed
        ),
        rows,
        summary,
        empty: "no account has renewed or churned yet: nothing to test against".into(),
    };
    super::emit(report.render(format, today));
    if let Some(s) = suggestion.filter(|_| format != ReportFormat::Json) {
        super::emit(format!("\n{}", s.toml(catalog).trim_end()));
    }
    Ok(())
}
