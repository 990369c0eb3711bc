//! `tend report triage|team|renewals|metrics|one-on-one`: an aligned table, JSON with stable field
//! names for scripts, or a Markdown table for chat and notes.

use chrono::NaiveDate;
use color_eyre::Result;
use color_eyre::eyre::bail;
use serde_json::{Value, json};

use super::{ReportFormat, ReportKind, ReportOptions};
use crate::book::{self, PortfolioRow, metrics::GroupBy};
use crate::config::Config;
use crate::domain::retention::Retention;
use crate::domain::{Cents, HealthBand};
use crate::store::Store;

/// One value of a report: typed for JSON, written out for the table and Markdown.
struct Field {
    key: &'static str,
    json: Value,
    text: String,
}

fn field(key: &'static str, json: Value, text: impl Into<String>) -> Field {
    Field { key, json, text: text.into() }
}

fn money(key: &'static str, c: Cents, currency: &str) -> Field {
    field(key, json!(c.units()), c.full(currency))
}

fn percent(key: &'static str, v: Option<f64>) -> Field {
    field(
        key,
        v.map_or(Value::Null, |v| json!((v * 10.0).round() / 10.0)),
        v.map_or("-".into(), |v| format!("{v:.1}%")),
    )
}

fn band(b: Option<HealthBand>) -> Field {
    field("band", b.map_or(Value::Null, |b| json!(b.label().to_lowercase())), b.map_or("no score", |b| b.label()))
}

fn score(s: Option<u8>) -> Field {
    field("score", s.map_or(Value::Null, |s| json!(s)), s.map_or("-".into(), |s| s.to_string()))
}

/// A report: a title, its rows, a summary, and what to say when there are no rows.
struct Report {
    name: &'static str,
    title: String,
    rows: Vec<Vec<Field>>,
    summary: Vec<Field>,
    empty: String,
}

impl Report {
    fn render(&self, format: ReportFormat, as_of: NaiveDate) -> String {
        match format {
            ReportFormat::Json => {
                let row =
                    |r: &Vec<Field>| Value::Object(r.iter().map(|f| (f.key.to_string(), f.json.clone())).collect());
                let doc = json!({
                    "report": self.name,
                    "title": self.title,
                    "as_of": as_of.to_string(),
                    "rows": self.rows.iter().map(row).collect::<Vec<_>>(),
                    "summary": row(&self.summary),
                });
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            }
            ReportFormat::Md => {
                let mut out = format!("## {}\n\n", self.title);
                if self.rows.is_empty() {
                    out.push_str(&format!("_{}_\n", self.empty));
                } else {
                    let escape = |s: &str| s.replace('|', "\\|").replace('\n', " ");
                    let keys: Vec<&str> = self.rows[0].iter().map(|f| f.key).collect();
                    out.push_str(&format!("| {} |\n", keys.join(" | ")));
                    out.push_str(&format!("|{}\n", keys.iter().map(|_| " --- |").collect::<String>()));
                    for r in &self.rows {
                        let cells: Vec<String> = r.iter().map(|f| escape(&f.text)).collect();
                        out.push_str(&format!("| {} |\n", cells.join(" | ")));
                    }
                }
                for f in &self.summary {
                    out.push_str(&format!("\n- {}: {}", f.key, f.text));
                }
                out.trim_end().to_string()
            }
            ReportFormat::Table => {
                let mut out = format!("{}\n", self.title);
                if self.rows.is_empty() {
                    out.push_str(&format!("({})\n", self.empty));
                } else {
                    let header: Vec<String> = self.rows[0].iter().map(|f| f.key.to_uppercase()).collect();
                    let lines: Vec<Vec<String>> = std::iter::once(header)
                        .chain(self.rows.iter().map(|r| r.iter().map(|f| f.text.clone()).collect()))
                        .collect();
                    let widths: Vec<usize> = (0..lines[0].len())
                        .map(|c| lines.iter().map(|l| l[c].chars().count()).max().unwrap_or(0))
                        .collect();
                    for l in lines {
                        let cells: Vec<String> = l.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
                        out.push_str(cells.join("  ").trim_end());
                        out.push('\n');
                    }
                }
                for f in &self.summary {
                    out.push_str(&format!("{}: {}\n", f.key, f.text));
                }
                out.trim_end().to_string()
            }
        }
    }
}

/// Rows that pass `--csm` and `--segment` (case-insensitive names).
fn filtered(rows: &[PortfolioRow], opts: &ReportOptions) -> Vec<PortfolioRow> {
    let matches = |want: &Option<String>, have: &str| want.as_ref().is_none_or(|w| w.eq_ignore_ascii_case(have));
    rows.iter().filter(|r| matches(&opts.csm, &r.csm) && matches(&opts.segment, &r.segment)).cloned().collect()
}

fn scope(opts: &ReportOptions) -> String {
    let mut parts = Vec::new();
    if let Some(c) = &opts.csm {
        parts.push(format!("CSM {c}"));
    }
    if let Some(s) = &opts.segment {
        parts.push(format!("segment {s}"));
    }
    if parts.is_empty() { String::new() } else { format!(" · {}", parts.join(" · ")) }
}

pub fn run(kind: ReportKind, opts: &ReportOptions, store: &mut Store, config: &Config, today: NaiveDate) -> Result<()> {
    book::prepare(store, config, today)?;
    let (all_rows, triage) = book::load_book(store, config, today)?;
    if let Some(csm) = &opts.csm
        && !all_rows.iter().any(|r| r.csm.eq_ignore_ascii_case(csm))
    {
        bail!("no CSM named \"{}\" owns an account in this book", crate::text::clean(csm));
    }
    let rows = filtered(&all_rows, opts);
    let currency = rows.first().map_or("USD".to_string(), |r| r.currency.clone());
    let report = match kind {
        ReportKind::Triage => {
            let list = triage.list(config, &rows);
            Report {
                name: "triage",
                title: format!("Triage as of {today}{}", scope(opts)),
                rows: list
                    .items
                    .iter()
                    .enumerate()
                    .map(|(n, item)| {
                        let r = &rows[item.row];
                        let reasons: Vec<String> = item.reasons.iter().map(|x| x.phrase()).collect();
                        vec![
                            field("rank", json!(n + 1), (n + 1).to_string()),
                            field("account", json!(r.name), r.name.clone()),
                            field("csm", json!(r.csm), r.csm.clone()),
                            field("segment", json!(&*r.segment), r.segment.to_string()),
                            money("arr", r.arr, &r.currency),
                            band(r.band),
                            score(r.score),
                            field("need", json!((item.need * 10.0).round() / 10.0), format!("{:.1}", item.need)),
                            field("reasons", json!(reasons), reasons.join(" · ")),
                        ]
                    })
                    .collect(),
                summary: vec![
                    field("listed", json!(list.items.len()), list.items.len().to_string()),
                    field("handled_or_snoozed", json!(list.hidden.len()), list.hidden.len().to_string()),
                ],
                empty: "nothing needs attention".into(),
            }
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
                            money("arr", l.arr, &currency),
                            field("average_score", json!(avg), avg.map_or("-".into(), |a| format!("{a:.1}"))),
                            field("green", json!(g), g.to_string()),
                            field("yellow", json!(y), y.to_string()),
                            field("orange", json!(o), o.to_string()),
                            field("red", json!(r), r.to_string()),
                            field("no_score", json!(n), n.to_string()),
                            field("movers_down_30d", json!(l.movers_down), l.movers_down.to_string()),
                            field("overdue_milestones", json!(l.overdue_milestones), l.overdue_milestones.to_string()),
                            field("goals_off_track", json!(l.goals_off_track), l.goals_off_track.to_string()),
                            percent("touch_coverage", l.touch_coverage()),
                        ]
                    })
                    .collect(),
                summary: vec![field("csms", json!(lines.len()), lines.len().to_string())],
                empty: "no accounts".into(),
            }
        }
        ReportKind::Renewals => {
            let days = opts.days.unwrap_or(90);
            let (due, forecast) = book::renewals::due(config, &rows, today, days);
            Report {
                name: "renewals",
                title: format!("Renewals due in {days} days as of {today}{}", scope(opts)),
                rows: due
                    .iter()
                    .map(|&i| {
                        let r = &rows[i];
                        let d = r.days_to_renewal(today).unwrap_or_default();
                        let likelihood = config.renewals.likelihood.of(r.band);
                        vec![
                            field("account", json!(r.name), r.name.clone()),
                            field("csm", json!(r.csm), r.csm.clone()),
                            field(
                                "renewal_date",
                                json!(r.renewal_date.map(|d| d.to_string())),
                                r.renewal_date.map(|d| d.to_string()).unwrap_or_default(),
                            ),
                            field("days", json!(d), d.to_string()),
                            money("arr", r.arr, &r.currency),
                            band(r.band),
                            score(r.score),
                            field("likelihood", json!(likelihood), format!("{:.0}%", likelihood * 100.0)),
                        ]
                    })
                    .collect(),
                summary: vec![
                    field("renewals", json!(forecast.renewals), forecast.renewals.to_string()),
                    money("arr_due", forecast.due, &currency),
                    money("forecast", forecast.expected, &currency),
                    money("arr_at_risk", forecast.at_risk, &currency),
                ],
                empty: format!("no renewals due in {days} days"),
            }
        }
        ReportKind::Metrics => {
            let to = opts.to.unwrap_or(today);
            let from = opts.from.unwrap_or(to - chrono::Duration::days(364));
            if from > to {
                bail!("--from {from} is after --to {to}");
            }
            let by = match opts.by.as_deref() {
                None | Some("book") => GroupBy::Book,
                Some("csm") => GroupBy::Csm,
                Some("segment") => GroupBy::Segment,
                Some(other) => bail!("--by {}: must be book, csm or segment", crate::text::clean(other)),
            };
            let groups = book::metrics::retention(store, &rows, from, to, by)?;
            Report {
                name: "metrics",
                title: format!("Retention {from} to {to}{}", scope(opts)),
                rows: groups.iter().map(|(name, r)| metric_row(name, r, &currency)).collect(),
                summary: Vec::new(),
                empty: "no accounts".into(),
            }
        }
        ReportKind::OneOnOne => {
            let Some(csm) = opts.csm.as_ref() else { bail!("one-on-one needs --csm NAME") };
            let name = rows.first().map_or(csm.clone(), |r| r.csm.clone());
            let agenda = book::team::one_on_one(store, config, &all_rows, &triage, &name, today)?;
            Report {
                name: "one-on-one",
                title: format!("One-on-one with {name}, {today}"),
                rows: agenda
                    .iter()
                    .map(|a| {
                        vec![
                            field("section", json!(a.section.title()), a.section.title()),
                            field("account", json!(a.account), a.account.clone()),
                            money("arr", a.arr, &currency),
                            band(a.band),
                            score(a.score),
                            field("what", json!(a.what), a.what.clone()),
                        ]
                    })
                    .collect(),
                summary: vec![field("items", json!(agenda.len()), agenda.len().to_string())],
                empty: "nothing to walk through: no movers, nothing overdue, no renewals in 90 days".into(),
            }
        }
    };
    super::emit(report.render(opts.format, today));
    Ok(())
}

fn metric_row(name: &str, r: &Retention, currency: &str) -> Vec<Field> {
    vec![
        field("group", json!(name), name),
        field("accounts_start", json!(r.accounts_start), r.accounts_start.to_string()),
        field("retained", json!(r.accounts_retained), r.accounts_retained.to_string()),
        field("churned", json!(r.accounts_churned), r.accounts_churned.to_string()),
        field("new_logos", json!(r.new_logos), r.new_logos.to_string()),
        money("arr_start", r.arr_start, currency),
        money("expansion", r.expansion, currency),
        money("contraction", r.contraction, currency),
        money("churned_arr", r.churned_arr, currency),
        percent("nrr", r.nrr()),
        percent("grr", r.grr()),
        percent("logo_retention", r.logo_retention()),
        percent("churn_by_count", r.churn_by_count()),
        percent("churn_by_revenue", r.churn_by_revenue()),
    ]
}
