//! Scoring: change a factor's weight or thresholds and see the band counts and the Grid they would
//! give before saving anything; `S` writes them into the config file, comments kept.

use std::collections::HashMap;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::book::scoring::Preview;
use crate::domain::backtest::{Backtest, Sample};
use crate::domain::factor::{Better, trim_number};
use crate::domain::{Catalog, FactorId, FactorValues, HealthBand, ScoreModel};
use crate::tui::theme::Theme;
use crate::tui::views::cursor::ListCursor;
use crate::tui::views::grid::GridView;

/// Which of a rule's thresholds a column (1-3: the value for 2, 3, 4 points) shows: for
/// lower-is-better factors the order flips.
fn threshold_index(better: Better, column: usize) -> usize {
    match better {
        Better::Higher => column - 1,
        Better::Lower => 3 - column,
    }
}

pub struct ScoringView {
    /// The model as edited, and as the config has it.
    pub model: ScoreModel,
    pub original: ScoreModel,
    ids: Vec<FactorId>,
    pub cursor: ListCursor,
    /// The column selected: 0 the weight, 1-3 the value for 2, 3 and 4 points.
    pub field: usize,
    pub preview: Option<Preview>,
    /// Each account's factor values today, read once when the view opens.
    pub values: HashMap<i64, FactorValues>,
    /// Where `S` saves, for the footer.
    pub config_path: String,
    /// The back-test's accounts (factors 30 days before each renewal or churn), each factor's AUC
    /// alone, and the blended score's AUC with the config's and with the edited weights.
    pub samples: Vec<Sample>,
    pub factor_auc: HashMap<FactorId, Option<f64>>,
    pub auc_now: Option<f64>,
    pub auc_edited: Option<f64>,
    /// How many outcomes had a score: under `suggest::MIN_WITH_VALUE`, too few to judge (said,
    /// as `tend backtest` says it, and no coin-toss warning).
    pub scored: usize,
    /// Whether the score's AUC can be judged (`Backtest::score_judged`: enough outcomes, and 20
    /// of each kind), and the rarer kind among the scored ("9 churns") where it cannot.
    pub judged: bool,
    pub rarer: String,
}

impl ScoringView {
    pub fn new(
        model: ScoreModel,
        values: HashMap<i64, FactorValues>,
        config_path: String,
        samples: Vec<Sample>,
        test: &Backtest,
    ) -> Self {
        let ids = model.keys().copied().collect();
        ScoringView {
            original: model.clone(),
            model,
            ids,
            cursor: ListCursor::default(),
            field: 0,
            preview: None,
            values,
            config_path,
            samples,
            // An AUC over a handful of outcomes with a value says nothing: not shown, nor warned of.
            factor_auc: test.factors.iter().map(|f| (f.id, f.auc.filter(|_| test.factor_judged(f)))).collect(),
            auc_now: test.score_auc,
            auc_edited: test.score_auc,
            scored: test.scored(),
            judged: test.score_judged(),
            rarer: match crate::domain::backtest::rarer_outcome(test.scored(), test.score_renewed) {
                (n, true) => crate::text::counted(n, "renewal", "renewals"),
                (n, false) => crate::text::counted(n, "churn", "churns"),
            },
        }
    }

    pub fn selected_factor(&self) -> Option<FactorId> {
        self.ids.get(self.cursor.selected()).copied()
    }

    pub fn is_edited(&self) -> bool {
        self.model != self.original
    }

    /// Move among the factors.
    pub fn step(&mut self, action: crate::tui::action::Action) -> bool {
        self.cursor.step(action, self.ids.len())
    }

    pub fn move_field(&mut self, delta: isize) {
        self.field = (self.field as isize + delta).clamp(0, 3) as usize;
    }

    /// Change the selected weight by 0.5 or the selected threshold by a step that fits its size,
    /// keeping thresholds strictly rising, within the values the factor can take, and weights at
    /// 0 or more; why not, where a change was refused (a key that did nothing said nothing).
    pub fn adjust(&mut self, up: bool, catalog: &Catalog) -> Option<String> {
        let id = self.selected_factor()?;
        let rule = self.model.get_mut(&id)?;
        let sign = if up { 1.0 } else { -1.0 };
        if self.field == 0 {
            rule.weight = (rule.weight + 0.5 * sign).max(0.0);
            return None;
        }
        let i = threshold_index(rule.better, self.field);
        let t = rule.thresholds[i];
        let step = if t.abs() >= 50.0 { 5.0 } else { 1.0 };
        let next = t + step * sign;
        let (low, high) = catalog.def(id).unit.bounds();
        let show = |v: f64| catalog.format_value(id, v);
        // The points a threshold is for, in the table's order (lower-is-better factors flip).
        let points = |i: usize| match rule.better {
            Better::Higher => i + 2,
            Better::Lower => 4 - i,
        };
        let way = if up { "higher" } else { "lower" };
        let refused = if next < low || next > high {
            Some(format!("{} goes no {way} than {}", catalog.label(id), show(t)))
        } else if i > 0 && next <= rule.thresholds[i - 1] {
            let (p, q, v) = (points(i), points(i - 1), show(rule.thresholds[i - 1]));
            Some(format!("{p} pts must stay above the {v} of {q} pts"))
        } else if i < 2 && next >= rule.thresholds[i + 1] {
            let (p, q, v) = (points(i), points(i + 1), show(rule.thresholds[i + 1]));
            Some(format!("{p} pts must stay below the {v} of {q} pts"))
        } else {
            None
        };
        if refused.is_none() {
            rule.thresholds[i] = next;
        }
        refused
    }

    pub fn revert(&mut self) {
        self.model = self.original.clone();
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, catalog: &Catalog) {
        let warnings = self.warnings(catalog);
        let summary_rows =
            3 + warnings.len() as u16 + u16::from(self.preview.as_ref().is_some_and(|p| p.no_score.accounts > 0));
        // The factors shown: all of them, or, where the Grid would not fit beside them (80x24), a
        // window around the one picked that leaves it room, down to the few a change needs in
        // sight (a probe at 80x24 was told the Grid needed 7 more rows, and never saw it).
        // Where even that leaves the Grid no room, as many as fit, the one picked among them.
        let factors = self.ids.len() as u16;
        let grid_rows = self.preview.as_ref().map_or(0, |p| p.grid.rows.len() as u16 + 3);
        let alone = area.height.saturating_sub(1 + summary_rows + 1 + 1);
        let beside_grid = alone.saturating_sub(grid_rows);
        let shown = match beside_grid >= MIN_FACTORS_SHOWN {
            true => beside_grid.min(factors),
            false => alone.clamp(1, factors.max(1)).min(factors),
        };
        let first = self.cursor.selected().saturating_sub(usize::from(shown) / 2).min(usize::from(factors - shown));
        let [head, table, summary, grid, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(shown + 1),
            Constraint::Length(summary_rows),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(area);
        Paragraph::new(Line::from(vec![
            Span::styled(" Scoring: the regular score", theme.title()),
            Span::styled("  ↑↓←→ pick · + - change · S save · x revert", theme.dim()),
        ]))
        .render(head, buf);

        // Below 70 columns the direction and AUC give way and the columns narrow, so the value
        // being changed is always on screen.
        let narrow = area.width < 70;
        let (label_width, value_width) =
            if narrow { ((area.width as usize).saturating_sub(32).clamp(6, 20), 6) } else { (20, 8) };
        // A window of the factors says which: "Factor 4-10/14".
        let factor_head = match shown < factors {
            true if shown == 1 => format!("Factor {}/{factors}", first + 1),
            true => format!("Factor {}-{}/{factors}", first + 1, first + usize::from(shown)),
            false => "Factor".to_string(),
        };
        let factor_head = if crate::text::width(&factor_head) <= label_width { factor_head } else { "Factor".into() };
        let mut header = format!(
            " {:<label_width$} {:>6}  {:>value_width$} {:>value_width$} {:>value_width$}",
            factor_head, "Weight", "2 pts", "3 pts", "4 pts"
        );
        if !narrow {
            header.push_str(&format!("  {:<6} {:>4}", "better", "AUC"));
        }
        // The share of accounts with a value for the factor: what a score can stand on.
        let data_column = !narrow && area.width >= 76 && self.preview.is_some();
        if data_column {
            header.push_str(&format!(" {:>5}", "Data"));
        }
        let mut lines = vec![Line::styled(header, theme.header())];
        for (n, id) in self.ids.iter().enumerate().skip(first).take(usize::from(shown)) {
            let (Some(rule), Some(was)) = (self.model.get(id), self.original.get(id)) else { continue };
            let show = |i: usize| {
                let v = rule.value_for_points(i as u8 + 2).unwrap_or_default();
                catalog.format_value(*id, v)
            };
            let cells = [trim_number(rule.weight), show(0), show(1), show(2)];
            let widths = [6, value_width, value_width, value_width];
            let label = crate::text::fit(catalog.label(*id), label_width);
            let mut spans = vec![Span::raw(format!(" {label:<label_width$} "))];
            for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
                let text = format!("{cell:>w$}");
                let changed = match i {
                    0 => rule.weight != was.weight,
                    column => {
                        let t = threshold_index(rule.better, column);
                        rule.thresholds[t] != was.thresholds[t]
                    }
                };
                let mut style = if changed { theme.band(Some(HealthBand::Yellow)) } else { Default::default() };
                if n == self.cursor.selected() && i == self.field {
                    style = style.patch(theme.selected());
                }
                spans.push(Span::styled(text, style));
                spans.push(Span::raw(if i == 0 { "  " } else { " " }));
            }
            if !narrow {
                spans.push(Span::styled(format!("{:<6}", rule.better.key()), theme.dim()));
                let auc = self.factor_auc.get(id).copied().flatten();
                let text = format!(" {:>4}", auc.map_or("-".to_string(), |a| format!("{a:.2}")));
                // Under 0.5 the factor points the wrong way: said in red, and in words below.
                let style =
                    if crate::domain::backtest::points_wrong_way(auc) { theme.error() } else { Default::default() };
                spans.push(Span::styled(text, style));
            }
            if let Some(p) = self.preview.as_ref().filter(|_| data_column) {
                let with = p.with_value.get(id).copied().unwrap_or(0);
                spans.push(Span::styled(format!(" {:>5}", share_text(with, p.accounts)), theme.dim()));
            }
            lines.push(Line::from(spans));
        }
        Paragraph::new(lines).render(table, buf);

        if let Some(p) = &self.preview {
            let labels = ["G", "Y", "O", "R", "none"];
            let counts: Vec<String> = (0..5)
                .map(|i| {
                    if p.before[i] == p.after[i] {
                        format!("{} {}", labels[i], p.before[i])
                    } else {
                        format!("{} {} → {}", labels[i], p.before[i], p.after[i])
                    }
                })
                .collect();
            let verdict = match p.changed {
                0 => "no account changes band".to_string(),
                1 => "1 account changes band".to_string(),
                n => format!("{n} accounts change band"),
            };
            // Which, the largest first, as many as fit: "2 accounts change band" alone could not
            // be told apart at 80x24, where the Grid with them had no room.
            let named = |k: usize| -> String {
                let more = p.changed.saturating_sub(k);
                let mut names = p.moved[..k].join(", ");
                if more > 0 {
                    names.push_str(&format!(" and {more} more"));
                }
                format!("{verdict} ({names})")
            };
            let verdicts: Vec<String> =
                (1..=p.moved.len()).rev().map(named).chain(std::iter::once(verdict.clone())).collect();
            let auc = |a: Option<f64>| a.map_or("-".to_string(), |a| format!("{a:.2}"));
            // Narrow, the words give way before the counts ("· non" was all of "none 137").
            let width = usize::from(area.width);
            let backtest = if self.samples.is_empty() {
                " Back-test: no renewals or churns yet to test against".to_string()
            } else {
                // The longest wording that fits whole: the figures are never the part cut.
                let (n, now, then) = (self.samples.len(), auc(self.auc_now), auc(self.auc_edited));
                let (mut over, mut outcomes) = match n {
                    1 => ("1 renewal or churn".to_string(), "1 outcome".to_string()),
                    n => (format!("{n} renewals and churns"), format!("{n} outcomes")),
                };
                if self.scored < crate::domain::suggest::MIN_WITH_VALUE {
                    over = format!("{over} ({} scored: too few to judge)", self.scored);
                    outcomes = format!("{} scored, too few", self.scored);
                } else if !self.judged {
                    // Enough outcomes, too few of one kind: an AUC compares each renewal with
                    // each churn (`tend backtest` marks it "~").
                    over = format!("{over} (only {} scored: too few to judge)", self.rarer);
                    outcomes = format!("{} scored, too few", self.rarer);
                }
                [
                    format!(" Back-test over {over}: score AUC {now} now → {then} with these weights"),
                    format!(" Back-test over {over}: AUC {now} now → {then} with these"),
                    format!(" Back-test ({outcomes}): AUC {now} → {then}"),
                ]
                .into_iter()
                .find(|line| crate::text::width(line) <= width)
                .unwrap_or_else(|| match !self.judged {
                    true => format!(" AUC {now} → {then} (too few)"),
                    false => format!(" AUC {now} → {then} ({n})"),
                })
            };
            // The whole book's, said as such: the status line names the reader's own book ("Priya
            // Raman's book · 47 accounts" above counts of all 77 read as hers).
            let all = crate::domain::account::thousands(p.accounts as u64);
            // "now → with these" only where the counts move: before an edit its arrow led to
            // nothing.
            let leads = match p.before == p.after {
                true => [
                    format!(" Bands of all {all} accounts: "),
                    format!(" All {all} accounts: "),
                    format!(" Bands of all {all}: "),
                    " Bands: ".to_string(),
                ],
                false => [
                    format!(" Bands of all {all} accounts now → with these weights: "),
                    format!(" All {all} accounts now → with these: "),
                    format!(" Bands of all {all}: "),
                    " Bands: ".to_string(),
                ],
            };
            let bands = leads
                .iter()
                .map(|lead| format!("{lead}{}", counts.join(" · ")))
                .find(|line| crate::text::width(line) <= width)
                .unwrap_or_else(|| format!(" {}", counts.join(" · ")));
            let mut text = vec![Line::from(bands)];
            text.extend(no_score_line(p, catalog, width).map(|l| Line::styled(l, theme.dim())));
            text.push(Line::from(backtest));
            text.extend(warnings.into_iter().map(|w| Line::styled(format!(" ! {w}"), theme.error())));
            // The grid whole or not at all: a probe at 80x24 saw one segment's row of four and
            // read it as the book's. Its header, each segment, the gap and the totals.
            let needed = p.grid.rows.len() as u16 + 3;
            let fitting = |lines: Vec<String>| {
                lines
                    .into_iter()
                    .find(|line| crate::text::width(line) <= width)
                    .unwrap_or_else(|| format!(" {verdict}"))
            };
            if grid.height >= needed {
                // The accounts named before the words on the Grid: it follows on the next line.
                let named = &verdicts[..verdicts.len() - 1];
                let lines = named
                    .iter()
                    .map(|v| format!(" {v}; the Grid with them:"))
                    .chain(named.iter().map(|v| format!(" {v}:")))
                    .chain(std::iter::once(format!(" {verdict}; the Grid with them:")))
                    .collect();
                let said = fitting(lines);
                text.push(Line::styled(said, theme.dim()));
            } else {
                let more = needed - grid.height;
                let rows = if more == 1 { "1 more row".to_string() } else { format!("{more} more rows") };
                let mut lines: Vec<String> =
                    verdicts.iter().map(|v| format!(" {v}; the Grid with them needs {rows} of the terminal")).collect();
                lines.extend(verdicts.iter().map(|v| format!(" {v}; the Grid needs {rows}")));
                lines.extend(verdicts.iter().map(|v| format!(" {v}")));
                text.push(Line::styled(fitting(lines), theme.dim()));
            }
            Paragraph::new(text).render(summary, buf);
            if grid.height >= needed {
                GridView::preview(p.grid.clone()).render(grid, buf, theme);
            }
        }
        let state = if self.is_edited() { "edited, not saved" } else { "as in the config" };
        // The config's path whole, and without it where it would be cut.
        let mut said = format!(" {state} · S saves to {}", self.config_path);
        if crate::text::width(&said) > usize::from(foot.width) {
            said = format!(" {state} · S saves to the config file");
        }
        let line = Line::styled(said, theme.dim());
        Paragraph::new(super::fit_line(line, usize::from(foot.width))).render(foot, buf);
    }
}

/// The fewest factors the table shows when it gives way to the Grid: the one picked and those
/// around it.
const MIN_FACTORS_SHOWN: u16 = 5;

/// "33%" of the accounts, "<1%" for a few, "-" for none.
fn share_text(with: usize, of: usize) -> String {
    match (with, of) {
        (0, _) | (_, 0) => "-".to_string(),
        _ if with * 100 < of => "<1%".to_string(),
        _ => format!("{}%", with * 100 / of),
    }
}

/// Why the accounts without a score have none, in the longest wording that fits: the most
/// weight any of them has data for, what a score needs (`health.min_coverage`), and the factors
/// they lack most.
fn no_score_line(p: &Preview, catalog: &Catalog, width: usize) -> Option<String> {
    let why = &p.no_score;
    if why.accounts == 0 {
        return None;
    }
    let n = crate::domain::account::thousands(why.accounts as u64);
    // Rounded down, as coverage is everywhere: 49.9% never reads as the 50% needed.
    let (most, need) = (why.most_covered.percent(), (why.min_coverage * 100.0).round());
    if most == 0 {
        return Some(format!(" No score {n}: no data for any factor yet"));
    }
    // Those with no data at all are said apart: "most lack CSM sentiment" of 65 of which 60 had
    // no data for anything read as if sentiment were what they were waiting for.
    let plain = n.clone();
    let n = match why.without_data {
        0 => n,
        none => format!("{n} ({} with no data yet)", crate::domain::account::thousands(none as u64)),
    };
    let lack = |k: usize| why.missing.iter().take(k).map(|id| catalog.label(*id)).collect::<Vec<_>>().join(", ");
    let mut wordings = vec![format!(
        " No score {n}: at most {most}% of the weight has data, a score needs {need}% (health.min_coverage); most lack {}",
        lack(3)
    )];
    for k in [3, 2, 1] {
        wordings.push(format!(
            " No score {n}: at most {most}% of the weight has data, {need}% needed; most lack {}",
            lack(k)
        ));
    }
    for k in [2, 1] {
        wordings.push(format!(" No score {n}: ≤{most}% of the weight has data, {need}% needed; most lack {}", lack(k)));
    }
    for k in [2, 1] {
        wordings.push(format!(" No score {n}: ≤{most}% of weight has data, needs {need}%; most lack {}", lack(k)));
    }
    wordings.push(format!(" No score {n}: ≤{most}% of the weight has data, {need}% needed"));
    wordings.push(format!(" No score {n}: ≤{most}% has data, {need}% needed"));
    let last = format!(" No score {plain}: ≤{most}% has data, {need}% needed");
    Some(wordings.into_iter().find(|line| crate::text::width(line) <= width).unwrap_or(last))
}

impl ScoringView {
    /// Loud when the score is worse than useless: the blended AUC under 0.55, or a factor under
    /// 0.5 in its configured direction (as `tend backtest` warns).
    fn warnings(&self, catalog: &Catalog) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(a) = self.auc_edited.filter(|a| self.judged && *a < crate::domain::backtest::WORST_USEFUL_AUC) {
            out.push(format!(
                "AUC {a:.2}: this score tells renewals from churns no better than a coin; `tend backtest --suggest` proposes one"
            ));
        }
        let wrong: Vec<&str> = self
            .ids
            .iter()
            .filter(|id| crate::domain::backtest::points_wrong_way(self.factor_auc.get(id).copied().flatten()))
            .map(|id| catalog.label(*id))
            .collect();
        if !wrong.is_empty() {
            out.push(format!("pointing the wrong way (AUC under 0.5): {}", wrong.join(", ")));
        }
        out
    }
}

impl crate::tui::view::View for ScoringView {
    fn scope(&self) -> crate::tui::keymap::Scope {
        crate::tui::keymap::Scope::Scoring
    }

    fn handle(&mut self, action: crate::tui::action::Action) -> crate::tui::view::Handled {
        use crate::tui::action::Action;
        use crate::tui::view::Handled;
        match action {
            Action::Left => self.move_field(-1),
            Action::Right => self.move_field(1),
            // Weights and thresholds change the preview, which reads the book: the App does it.
            _ if self.step(action) => {}
            _ => return Handled::Pass,
        }
        Handled::Done
    }

    fn selected(&self, _rows: &[crate::book::PortfolioRow]) -> crate::tui::view::Selected {
        crate::tui::view::Selected::NoAccounts
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ctx: &crate::tui::view::DrawCtx) {
        self.render(area, buf, ctx.theme, &ctx.config.health.catalog)
    }
}
