//! Trying other weights and thresholds on the book before saving them: the band counts and the
//! Grid they would give, and writing the chosen ones into the config file with its comments kept.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use super::PortfolioRow;
use super::grid::{self, Grid};
use crate::config::Config;
use crate::domain::{Catalog, FactorId, FactorValues, ScoreModel};
use crate::store::{Result, Store};

/// How many of the accounts an edit moves the preview names.
const MOVED_NAMED: usize = 3;

/// What the book looks like under a model.
#[derive(Clone, Debug, PartialEq)]
pub struct Preview {
    /// Accounts per band (Green, Yellow, Orange, Red, no score) now and with the edits.
    pub before: [usize; 5],
    pub after: [usize; 5],
    /// Accounts whose band would change.
    pub changed: usize,
    /// The first few of them, the largest ARR first: "Globex Inc G→Y" (a lead at 80x24 read "2
    /// accounts change band" and could not tell which).
    pub moved: Vec<String>,
    /// The Grid with the edits.
    pub grid: Grid,
    /// Accounts previewed (active ones), and how many of them have a value for each factor.
    pub accounts: usize,
    pub with_value: HashMap<FactorId, usize>,
    /// Why the accounts without a score under the edits have none.
    pub no_score: NoScoreWhy,
}

/// Why accounts have no score: data for less than `health.min_coverage` of their profile's
/// evidence weight. Which factors they lack most says what to import or log first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NoScoreWhy {
    pub accounts: usize,
    /// The coverage of the one of them with data for most of its evidence weight.
    pub most_covered: crate::domain::scoring::Coverage,
    /// What a score needs (`health.min_coverage`).
    pub min_coverage: f64,
    /// The evidence factors they lack, the most missed weight first (weight x accounts lacking it),
    /// over those with some data where there are any: one with none lacks every factor alike.
    pub missing: Vec<FactorId>,
    /// How many of them have no data for any evidence factor.
    pub without_data: usize,
}

/// Each account's cached factor values on `today` (the same the Portfolio scored).
pub fn values(store: &Store, today: NaiveDate) -> Result<HashMap<i64, FactorValues>> {
    Ok(store.account_summaries(today)?.into_iter().map(|s| (s.id, s.values.unwrap_or_default())).collect())
}

/// The bands, counts and Grid the regular score would give with `model` instead of the config's.
/// Overrides still apply (a CSM's judgement is not the model's to change); churned accounts are
/// left out, as in the Grid.
pub fn preview(
    config: &Config,
    model: &ScoreModel,
    rows: &[PortfolioRow],
    values: &HashMap<i64, FactorValues>,
) -> Preview {
    let mut health = config.health.clone();
    health.factors = model.clone();
    let mut before = [0; 5];
    let mut after = [0; 5];
    let mut changed = 0;
    let mut moved = Vec::new();
    let mut with_value: HashMap<FactorId, usize> = HashMap::new();
    let mut no_score = NoScoreWhy { min_coverage: health.min_coverage, ..Default::default() };
    // What the accounts with some data lack, and what all of them lack.
    let (mut missed, mut missed_by_all): (HashMap<FactorId, f64>, HashMap<FactorId, f64>) = Default::default();
    let active = rows.iter().filter(|r| r.status != crate::domain::AccountStatus::Churned);
    let edited: Vec<PortfolioRow> = active
        .map(|r| {
            let v = values.get(&r.id).copied().unwrap_or_default();
            let model = health.model(r.kind);
            let (scored, coverage) = crate::domain::scoring::score_and_coverage(&v, model, &health.rules());
            // A value is data where it earns points (a lower bound that could earn others is not).
            for id in model.iter().filter(|(id, rule)| v.points(**id, rule).is_some()).map(|(id, _)| id) {
                *with_value.entry(*id).or_default() += 1;
            }
            let mut row = r.clone();
            if !r.overridden {
                row.score = scored.map(|s| s.0);
                row.band = scored.map(|s| s.1);
                if scored.is_none() {
                    no_score.accounts += 1;
                    no_score.without_data += usize::from(coverage.with_data == 0);
                    let evidence =
                        model.iter().filter(|(_, rule)| rule.weight > 0.0 && !rule.bookkeeping && !rule.optional);
                    for (id, rule) in evidence.filter(|(id, rule)| v.points(**id, rule).is_none()) {
                        *missed_by_all.entry(*id).or_default() += rule.weight;
                        if coverage.with_data > 0 {
                            *missed.entry(*id).or_default() += rule.weight;
                        }
                    }
                    if coverage.share > no_score.most_covered.share {
                        no_score.most_covered = coverage;
                    }
                }
            }
            before[grid::column_of(r.band)] += 1;
            after[grid::column_of(row.band)] += 1;
            changed += usize::from(row.band != r.band);
            if row.band != r.band {
                moved.push((r.arr, r.name.clone(), r.band, row.band));
            }
            row
        })
        .collect();
    let grid = grid::build(&edited, &config.segments.names());
    let missed = if missed.is_empty() { missed_by_all } else { missed };
    let mut missing: Vec<(FactorId, f64)> = missed.into_iter().collect();
    missing.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    no_score.missing = missing.into_iter().map(|(id, _)| id).collect();
    moved.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let letter = |b: Option<crate::domain::HealthBand>| b.map_or("none".to_string(), |b| b.letter().to_string());
    let moved = moved
        .iter()
        .take(MOVED_NAMED)
        .map(|(_, name, was, now)| format!("{} {}→{}", crate::text::clean(name), letter(*was), letter(*now)))
        .collect();
    Preview { before, after, changed, moved, grid, accounts: edited.len(), with_value, no_score }
}

/// Write the model's weights and thresholds into the config file at `path` (created if missing),
/// keeping every comment and every other setting; only factors that differ from `current` are
/// touched. The file is replaced whole (written aside, then renamed), never over the book. Returns
/// what changed, in words.
pub fn save(
    path: &Path,
    book: &Path,
    catalog: &Catalog,
    current: &ScoreModel,
    model: &ScoreModel,
) -> Result<Vec<String>, crate::output::OutputError> {
    let io_err = |source| crate::output::OutputError::Write { path: path.display().to_string(), source };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io_err)?;
    }
    let protected = crate::output::Protected::new().book(book);
    let mode = crate::output::mode_of(path);
    let target = crate::output::Target::check("config", path, &protected, crate::output::Replace::Named, mode)?;
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(io_err(e)),
    };
    // Said on one line, as the config's own syntax errors are: the parser's drawing of the line
    // ran together on the status line ("line 158, column 1    |158 | [health…").
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        let (line, column) = e.span().map_or((1, 1), |s| crate::config::locate::line_col(&text, s.start));
        let reason = format!("line {line}, column {column}: {}", e.message().trim());
        io_err(std::io::Error::new(std::io::ErrorKind::InvalidData, reason))
    })?;
    let mut said = Vec::new();
    for (id, rule) in model {
        let Some(old) = current.get(id) else { continue };
        if old == rule {
            continue;
        }
        let table = doc["health"]["factors"][catalog.key(*id)].or_insert(toml_edit::table());
        if let Some(t) = table.as_table_mut() {
            t.set_implicit(false);
        }
        if old.weight != rule.weight {
            table["weight"] = toml_edit::value(number(rule.weight));
            said.push(format!("{} weight {} -> {}", catalog.label(*id), old.weight, rule.weight));
        }
        if old.thresholds != rule.thresholds {
            let mut array = toml_edit::Array::new();
            for t in rule.thresholds {
                array.push(number(t));
            }
            table["thresholds"] = toml_edit::value(array);
            let list = |t: [f64; 3]| format!("[{}, {}, {}]", t[0], t[1], t[2]);
            said.push(format!(
                "{} thresholds {} -> {}",
                catalog.label(*id),
                list(old.thresholds),
                list(rule.thresholds)
            ));
        }
    }
    if let Some(health) = doc.get_mut("health").and_then(|h| h.as_table_mut()) {
        health.set_implicit(true);
        if let Some(factors) = health.get_mut("factors").and_then(|f| f.as_table_mut()) {
            factors.set_implicit(true);
        }
    }
    if said.is_empty() {
        return Ok(said);
    }
    target.write_all(doc.to_string().as_bytes())?;
    Ok(said)
}

/// A number as a person writes it in the config: 15, not 15.0; 0.5 stays 0.5.
fn number(x: f64) -> toml_edit::Value {
    match x.fract() == 0.0 && x.abs() < 1e15 {
        true => toml_edit::Value::from(x as i64),
        false => toml_edit::Value::from(x),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::builtin as id;

    #[test]
    fn saving_keeps_comments_and_touches_only_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "# my settings\nme = \"Ana\"\n\n[health.factors.nps]\n# NPS matters less here\nweight = 1\n",
        )
        .unwrap();
        let current = Config::load(&path, true).unwrap().health.factors;
        let mut model = current.clone();
        model.get_mut(&id("sentiment")).unwrap().weight = 5.0;
        model.get_mut(&id("nps")).unwrap().thresholds = [6.0, 8.0, 9.0];
        let book = dir.path().join("b.db");
        let said = save(&path, &book, &Config::default().health.catalog, &current, &model).unwrap();
        assert_eq!(said.len(), 2, "{said:?}");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("# my settings") && text.contains("# NPS matters less here"), "{text}");
        // Whole numbers as a person writes them (a probe's file read "thresholds = [15.0, ...]").
        assert!(text.contains("weight = 5\n") && text.contains("thresholds = [6, 8, 9]"), "{text}");
        assert!(said.iter().any(|s| s.ends_with("-> [6, 8, 9]")), "{said:?}");
        let reloaded = Config::load(&path, true).unwrap();
        assert_eq!(reloaded.health.factors, model);
        assert_eq!(reloaded.me, "Ana");
        // Nothing changed: nothing written.
        assert!(save(&path, &book, &Config::default().health.catalog, &model, &model).unwrap().is_empty());
    }

    /// A file broken since it was loaded is not written, and says where on one line: the status
    /// line had run the parser's drawing of the line together.
    #[test]
    fn a_file_broken_since_is_refused_in_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let broken = "me = \"Ana\"\n[health.factors.nps]\nthresholds = [6, 8\n\n[health.factors.sentiment]\n";
        std::fs::write(&path, broken).unwrap();
        let current = Config::default().health.factors;
        let mut model = current.clone();
        model.get_mut(&id("sentiment")).unwrap().weight = 5.0;
        let said = save(&path, &dir.path().join("b.db"), &Config::default().health.catalog, &current, &model)
            .unwrap_err()
            .to_string();
        assert!(!said.contains('\n') && !said.contains(" | ") && said.contains(": line 5, column 1: "), "{said}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
    }

    #[test]
    fn a_config_path_that_is_the_book_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path().join("b.db");
        std::fs::write(&book, b"SQLite format 3\0rest").unwrap();
        let current = Config::default().health.factors;
        let mut model = current.clone();
        model.get_mut(&id("sentiment")).unwrap().weight = 5.0;
        let got = save(&book, &book, &Config::default().health.catalog, &current, &model);
        assert!(matches!(got, Err(crate::output::OutputError::Protected { .. })), "{got:?}");
        assert_eq!(std::fs::read(&book).unwrap(), b"SQLite format 3\0rest");
    }
}
