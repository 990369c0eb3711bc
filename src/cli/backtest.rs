//! `tend backtest`: each factor's renewal rates by points, its best threshold and AUC, the
//! blended score's AUC, warnings when they point the wrong way, and with `--suggest` the whole
//! score suggested from the outcomes beside the config and a logistic regression's ceiling.

use chrono::NaiveDate;
use color_eyre::Result;
use serde_json::json;

use super::Format;
use super::render::{Report, field};
use crate::config::Config;
use crate::domain::backtest::Level;
use crate::domain::factor::FactorRule;
use crate::domain::suggest::{Spread, Suggestion};
use crate::store::Store;

fn rate(level: &Level) -> String {
    level.rate().map_or("-".to_string(), |r| format!("{r:.0}% of {}", level.accounts))
}

/// A points level of a rule: its renewal rate, or that no account has those points.
fn level_text(level: &Level) -> String {
    if level.accounts == 0 { "no account".to_string() } else { rate(level) }
}

/// The blended score's AUC, with how many outcomes it stands on where they are too few to judge
/// ("0.50 over 4 outcomes with a score: too few to judge").
/// Without one, why: an AUC compares renewals with churns, and a renewal date gone by on an
/// account still active is no renewal until one is recorded (a probe's book had 14 churns and
/// no renewal, and read "Score AUC: -" with no word more).
fn score_auc_text(t: &crate::domain::backtest::Backtest) -> String {
    let scored = t.scored();
    match t.score_auc {
        // "~" as on a factor's row over as few.
        Some(a) if scored < crate::domain::suggest::MIN_WITH_VALUE => {
            format!("~{a:.2} over {scored} outcomes with a score: too few to judge")
        }
        Some(a) if !t.score_judged() => {
            format!("~{a:.2} over {scored} outcomes with a score, {}", rarer(scored, t.score_renewed))
        }
        Some(a) => format!("{a:.2}"),
        None if t.renewed == 0 => "- (no renewal among the outcomes, and an AUC compares renewals with churns: a \
             renewal date gone by is no renewal until recorded, by `tend renew` or an outcome column in an accounts \
             import)"
            .to_string(),
        None if t.renewed == t.accounts => {
            "- (no churn among the outcomes, and an AUC compares renewals with churns)".to_string()
        }
        None => format!(
            "- ({scored} of {} outcomes had a score before them: too few renewals and churns scored to compare)",
            t.accounts
        ),
    }
}

/// "only 10 of them churns: too few to judge (20 of each are needed)": the rarer kind of outcome
/// among `with_value`, `renewed` of them renewals, where it is too few.
fn rarer(with_value: usize, renewed: usize) -> String {
    let (n, kind) = match crate::domain::backtest::rarer_outcome(with_value, renewed) {
        (1, true) => (1, "a renewal"),
        (n, true) => (n, "renewals"),
        (1, false) => (1, "a churn"),
        (n, false) => (n, "churns"),
    };
    format!(
        "only {n} of them {kind}: too few to judge ({} of each are needed)",
        crate::domain::suggest::MIN_EACH_OUTCOME
    )
}

/// A factor's AUC, "~" before it when it cannot be judged (`enough_to_judge`: a probe read "1.00"
/// over 5 accounts as a perfect factor, the caveat only on the last line), as "~" marks a score of
/// thin data.
fn auc_text(auc: Option<f64>, judged: bool) -> String {
    match auc {
        None => "-".to_string(),
        Some(a) if !judged => format!("~{a:.2}"),
        Some(a) => format!("{a:.2}"),
    }
}

pub fn run(
    store: &Store,
    config: &Config,
    days_before: i64,
    format: Format,
    folds: Option<usize>,
    today: NaiveDate,
) -> Result<()> {
    let (t, suggestion) = crate::book::backtest::run(store, config, days_before, folds, today)?;
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
                (
                    format!("{}{}", f.better.sign(), catalog.format_value(f.id, b.value)),
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
                field(
                    "auc",
                    json!(f.auc.map(|a| (a * 1000.0).round() / 1000.0)),
                    auc_text(f.auc, t.factor_judged(f)),
                ),
                field("missing", json!(f.missing), f.missing.to_string()),
                field("points", json!(levels), f.levels.iter().map(level_text).collect::<Vec<_>>().join(" | ")),
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
        field("score_auc", json!(t.score_auc.map(|a| (a * 1000.0).round() / 1000.0)), score_auc_text(&t)),
        field("score_missing", json!(t.score_missing), t.score_missing.to_string()),
        // What the "~" says on the table, for a script (a probe's JSON read "auc": 1.0 and no
        // warning over 9 churns): whether the AUC can be judged, and the outcomes it stands on.
        field("score_auc_judged", json!(t.score_judged()), ""),
        field("score_renewed", json!(t.score_renewed), ""),
        field("score_churned", json!(t.scored() - t.score_renewed), ""),
        field(
            "score_not_enough_data",
            json!(t.score_not_enough_data),
            // The rest of the missing had no data at all: said, or a probe's 17 missing beside
            // 11 read as six unexplained.
            match t.score_missing.saturating_sub(t.score_not_enough_data) {
                0 => format!("{} (of the missing: some data, under health.min_coverage)", t.score_not_enough_data),
                none => format!(
                    "{} (of the missing: some data, under health.min_coverage; the other {none} had no data yet)",
                    t.score_not_enough_data
                ),
            },
        ),
    ];
    // What the table's marks and POINTS say, once (a probe found no legend for either).
    let thin = t.factors.iter().filter(|f| f.auc.is_some() && !t.factor_judged(f)).count();
    if !t.factors.is_empty() && t.accounts > 0 {
        let mut legend = "POINTS: the share that renewed of the accounts at 1, 2, 3 and 4 points".to_string();
        if thin > 0 {
            legend.push_str(&format!(
                "; ~ before an AUC: fewer than {} outcomes with a value, or fewer than {} renewals or {} churns among \
                 them ({thin} {}), too few to tell a real difference from chance",
                crate::domain::suggest::MIN_WITH_VALUE,
                crate::domain::suggest::MIN_EACH_OUTCOME,
                crate::domain::suggest::MIN_EACH_OUTCOME,
                if thin == 1 { "factor" } else { "factors" }
            ));
        }
        summary.push(field("legend", json!(legend), legend));
    }
    let warnings = warnings(&t, config);
    // "none" over too few scored outcomes read as a clean bill for a score nothing could test.
    let scored = t.scored();
    let warnings_text = match warnings.is_empty() {
        false => warnings.join("; "),
        true if t.accounts > 0 && scored < crate::domain::suggest::MIN_WITH_VALUE => format!(
            "none can be told yet: {scored} of {} outcomes had a score before them, and the score is judged over {} \
             or more",
            t.accounts,
            crate::domain::suggest::MIN_WITH_VALUE
        ),
        true if t.accounts > 0 && !t.score_judged() => {
            format!("none can be told yet: of the {scored} outcomes with a score, {}", rarer(scored, t.score_renewed))
        }
        true => "none".to_string(),
    };
    summary.push(field("warnings", json!(warnings), warnings_text));
    match &suggestion {
        Some(Ok(s)) => summary.push(field("suggestion", suggestion_json(s, config), "below")),
        Some(Err(e)) => summary.push(field("suggestion", json!(null), e.to_string())),
        None => {}
    }
    let report = Report {
        name: "backtest",
        title: format!(
            "Back-test as of {days_before} days before each outcome: {} account{}, {} renewed, {} churned (as of {today})",
            t.accounts,
            if t.accounts == 1 { "" } else { "s" },
            t.renewed,
            t.accounts - t.renewed
        ),
        // With no outcome, or outcomes all of one kind, there is nothing per factor to show (a
        // probe's 15 churns read "best" thresholds of "0% renew vs 0%"): the report says so.
        rows: if t.renewed == 0 || t.renewed == t.accounts { Vec::new() } else { rows },
        summary,
        empty: one_kind_only(t.accounts, t.renewed),
        sections: Vec::new(),
        grouped_by: None,
    };
    super::emit(report.render(format, today));
    // JSON carries the suggestion in its summary; CSV is the factors' rows alone.
    if let Some(Ok(s)) = suggestion.filter(|_| matches!(format, Format::Table | Format::Md)) {
        super::emit(format!("\n{}", suggestion_report(&s, config).render(format, today)));
        super::emit(format!("\n{}", s.toml(catalog).trim_end()));
    }
    Ok(())
}

/// Why the back-test has no factor to show: no outcome yet, or outcomes of one kind only (each
/// factor is judged by how it tells renewals from churns).
fn one_kind_only(accounts: usize, renewed: usize) -> String {
    match (accounts, renewed) {
        (0, _) => "no account has renewed or churned yet: nothing to test against".into(),
        (n, 0) => format!(
            "{n} churned and none renewed: a factor is judged by how it tells renewals from churns, and there is no \
             renewal to tell them from (a renewal date gone by is no renewal until recorded: `tend renew`, or a \
             Status of Renewed with its day in an accounts import)"
        ),
        (n, _) => format!(
            "{n} renewed and none churned: a factor is judged by how it tells renewals from churns, and there is no \
             churn to tell them from (`tend churn`, or a Status of Churned with its day in an accounts import)"
        ),
    }
}

/// Loud when the score is worse than useless: a blended AUC under 0.55, or a factor under 0.5 in
/// the direction the config gives it.
pub fn warnings(t: &crate::domain::backtest::Backtest, config: &Config) -> Vec<String> {
    let catalog = &config.health.catalog;
    let mut out = Vec::new();
    // Over a handful of scored outcomes an AUC says nothing (the table says how few).
    let judged = t.score_judged();
    if let Some(a) = t.score_auc.filter(|a| judged && *a < crate::domain::backtest::WORST_USEFUL_AUC) {
        out.push(format!(
            "the blended score's AUC is {a:.2}: it tells renewals from churns {} a coin toss (0.50); `--suggest` proposes a better one",
            if a < 0.5 { "worse than" } else { "hardly better than" }
        ));
    }
    for f in &t.factors {
        // Over a handful of outcomes with a value, an AUC under 0.5 says nothing either (a probe's
        // "points the wrong way: AUC 0.00" stood on 3 accounts).
        if let Some(a) = f.auc
            && t.factor_judged(f)
            && crate::domain::backtest::points_wrong_way(f.auc)
        {
            let better = f.better.key();
            out.push(format!(
                "{} points the wrong way: AUC {a:.2} with better = \"{better}\" (the outcomes say the other way)",
                catalog.label(f.id)
            ));
        }
    }
    out
}

fn spread_json(s: &Spread) -> serde_json::Value {
    let r = |v: f64| (v * 1000.0).round() / 1000.0;
    json!({"mean": s.mean().map(r), "sd": s.sd().map(r), "folds": s.per_fold.iter().map(|v| v.map(r)).collect::<Vec<_>>()})
}

/// The values for 2, 3 and 4 points, as the Scoring view shows them.
fn rule_text(r: &FactorRule, catalog: &crate::domain::Catalog, id: crate::domain::FactorId) -> String {
    let sign = r.better.sign();
    let [two, three, four] = catalog.def(id).unit.format_apart(r.values_for_points());
    format!("{sign}{two} {sign}{three} {sign}{four}")
}

fn suggestion_json(s: &Suggestion, config: &Config) -> serde_json::Value {
    let catalog = &config.health.catalog;
    json!({
        "folds": s.folds,
        "held_out_auc": {"current": spread_json(&s.current), "suggested": spread_json(&s.suggested), "logistic_ceiling": spread_json(&s.ceiling)},
        "factors": s.factors.iter().map(|f| json!({
            "factor": catalog.key(f.id),
            "with_value": f.with_value,
            "fitted": f.fit.is_some(),
            "current": {"weight": f.current.weight, "better": f.current.better.key(), "thresholds": f.current.thresholds},
            "suggested": {"weight": f.suggested.weight, "better": f.suggested.better.key(), "thresholds": f.suggested.thresholds},
            "lowest_quarter": f.fit.as_ref().map(|x| json!({"accounts": x.lowest_quarter.accounts, "renewed": x.lowest_quarter.renewed})),
            "highest_quarter": f.fit.as_ref().map(|x| json!({"accounts": x.highest_quarter.accounts, "renewed": x.highest_quarter.renewed})),
            "points": f.fit.as_ref().map(|x| x.levels.iter().map(|l| json!({"accounts": l.accounts, "renewed": l.renewed})).collect::<Vec<_>>()),
        })).collect::<Vec<_>>(),
    })
}

/// The suggestion side by side with the config: each factor's direction (and the renewal rates
/// that show it), thresholds and weight; the held-out AUCs in the summary.
fn suggestion_report(s: &Suggestion, config: &Config) -> Report {
    let catalog = &config.health.catalog;
    // A candidate without data is left as it is: listing it says nothing.
    let rows = s
        .factors
        .iter()
        .filter(|f| f.fit.is_some() || f.current.weight > 0.0)
        .map(|f| {
            let direction = match &f.fit {
                None if f.with_value >= crate::domain::suggest::MIN_WITH_VALUE => {
                    "kept: no split of its values has renewal rates rising with the points".to_string()
                }
                None => format!("kept whole, weight too: {} outcomes with a value, too few to judge", f.with_value),
                Some(x) => {
                    let better = x.better.key();
                    let evidence = format!(
                        "lowest quarter renews {}, highest {}",
                        x.lowest_quarter.rate().map_or("-".into(), |r| format!("{r:.0}%")),
                        x.highest_quarter.rate().map_or("-".into(), |r| format!("{r:.0}%"))
                    );
                    if f.flipped() { format!("FLIP to {better}: {evidence}") } else { format!("{better}: {evidence}") }
                }
            };
            let levels = f
                .fit
                .as_ref()
                .map_or("-".to_string(), |x| x.levels.iter().map(level_text).collect::<Vec<_>>().join(" | "));
            vec![
                field("factor", json!(catalog.key(f.id)), catalog.label(f.id).to_string()),
                field("better", json!(null), direction),
                field(
                    "thresholds",
                    json!(null),
                    format!("{} -> {}", rule_text(&f.current, catalog, f.id), rule_text(&f.suggested, catalog, f.id)),
                ),
                field("points", json!(null), levels),
                field("weight", json!(null), format!("{} -> {}", trim(f.current.weight), trim(f.suggested.weight))),
            ]
        })
        .collect();
    Report {
        name: "suggestion",
        title: format!(
            "Suggested from {} outcomes ({} renewed), judged on held-out accounts over {} folds",
            s.accounts, s.renewed, s.folds
        ),
        rows,
        summary: vec![
            field("current_auc", json!(null), s.current.text()),
            field("suggested_auc", json!(null), s.suggested.text()),
            field("logistic_ceiling_auc", json!(null), format!("{} ({})", s.ceiling.text(), s.ceiling_note())),
        ],
        empty: "no factor to suggest".into(),
        sections: Vec::new(),
        grouped_by: None,
    }
}

fn trim(w: f64) -> String {
    crate::domain::factor::trim_number(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::backtest::Backtest;

    /// An AUC over four scored outcomes of 130 is said with how few, and called no coin toss.
    #[test]
    fn a_score_auc_over_a_handful_is_said_with_how_few() {
        let few = Backtest {
            accounts: 130,
            renewed: 120,
            factors: Vec::new(),
            score_auc: Some(0.5),
            score_missing: 126,
            score_not_enough_data: 100,
            score_renewed: 3,
        };
        assert_eq!(score_auc_text(&few), "~0.50 over 4 outcomes with a score: too few to judge");
        assert!(warnings(&few, &Config::default()).is_empty());
        let many = Backtest { score_missing: 30, score_renewed: 75, ..few };
        assert_eq!(score_auc_text(&many), "0.50");
        assert!(warnings(&many, &Config::default())[0].contains("coin toss"));
        // Enough outcomes, but too few churns among them to tell.
        let few_churns = Backtest { score_renewed: 90, score_auc: Some(1.0), ..many.clone() };
        assert_eq!(
            score_auc_text(&few_churns),
            "~1.00 over 100 outcomes with a score, only 10 of them churns: too few to judge (20 of each are needed)"
        );
        assert!(warnings(&Backtest { score_auc: Some(0.4), ..few_churns }, &Config::default()).is_empty());
        // Without an AUC, why.
        let churns_only = Backtest { renewed: 0, score_auc: None, factors: Vec::new(), ..many };
        assert!(score_auc_text(&churns_only).contains("no renewal among the outcomes"));
        let renewals_only = Backtest { renewed: 130, score_auc: None, factors: Vec::new(), ..many };
        assert!(score_auc_text(&renewals_only).contains("no churn among the outcomes"));
        let unscored = Backtest { score_auc: None, score_missing: 129, factors: Vec::new(), ..many };
        assert!(score_auc_text(&unscored).contains("1 of 130 outcomes had a score"));
    }
}
