//! Health over time: an account's score on each past day, and what moved it.
//!
//! History comes from the data itself: the score on day D is the score computed from the facts
//! dated on or before D. A day's health is kept compactly (score, score kind, and each factor's
//! points) so a whole book's history fits a cache, and the factor that moved a score can be named
//! from two days' points and the model's weights.

use chrono::NaiveDate;

use super::catalog::Catalog;
use super::factor::{FactorId, FactorValues, MAX_FACTORS, MAX_SCORED_FACTORS};
use super::health::HealthConfig;
use super::scoring::{self, ScoreKind};
use super::signals::{self, AccountFacts, Subject};

/// Each weighted factor's points (1-4) on a day, 3 bits per factor (0 = no data) in bits 0-59,
/// and the score profile in bits 60-62 (0 default, 1 jumpstart, 2-7 segment profiles). Candidates
/// (weight 0) come after the weighted factors in the catalog and are not kept: they never move a
/// score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct PackedPoints(pub i64);

const PROFILE_SHIFT: u32 = 60;

impl PackedPoints {
    pub fn new(kind: ScoreKind, points: impl IntoIterator<Item = (FactorId, Option<u8>)>) -> Self {
        let code: i64 = match kind {
            ScoreKind::Regular => 0,
            ScoreKind::Jumpstart => 1,
            ScoreKind::Profile(i) => 2 + i64::from(i.min(5)),
        };
        let mut bits = code << PROFILE_SHIFT;
        for (id, p) in points.into_iter().filter(|(id, _)| id.index() < MAX_SCORED_FACTORS) {
            bits |= i64::from(p.unwrap_or(0).min(4)) << (3 * id.index());
        }
        PackedPoints(bits)
    }

    pub fn kind(self) -> ScoreKind {
        match (self.0 >> PROFILE_SHIFT) & 0b111 {
            0 => ScoreKind::Regular,
            1 => ScoreKind::Jumpstart,
            code => ScoreKind::Profile((code - 2) as u8),
        }
    }

    /// Which factors have points (a bit per `FactorId`).
    pub fn present(self) -> u32 {
        (0..MAX_SCORED_FACTORS).filter(|i| (self.0 >> (3 * i)) & 0b111 != 0).fold(0, |mask, i| mask | 1 << i)
    }

    pub fn points(self, id: FactorId) -> Option<u8> {
        if id.index() >= MAX_SCORED_FACTORS {
            return None;
        }
        let p = ((self.0 >> (3 * id.index())) & 0b111) as u8;
        (p > 0).then_some(p)
    }
}

/// An account's health on one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayHealth {
    pub score: Option<u8>,
    pub points: PackedPoints,
}

/// The health of factor values on `day`.
pub fn day_health(config: &HealthConfig, values: &FactorValues, subject: &Subject, day: NaiveDate) -> DayHealth {
    let (kind, scored) = config.quick(values, subject, day);
    let model = config.model(kind);
    let points = PackedPoints::new(kind, model.iter().map(|(id, rule)| (*id, values.points(*id, rule))));
    DayHealth { score: scored.map(|s| s.0), points }
}

/// The days from `from` to `to` inclusive, with the factor values and health of each: the
/// history of one account. Days before the account has any data, or before it was a customer,
/// are left out.
pub fn daily(
    config: &HealthConfig,
    facts: &AccountFacts,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<(NaiveDate, FactorValues, DayHealth)> {
    let mut out = Vec::new();
    let mut day = facts.customer_since.map_or(from, |since| since.max(from));
    while day <= to {
        let values = signals::derive_values(facts, day, &config.catalog);
        if !values.is_empty() || !out.is_empty() {
            out.push((day, values, day_health(config, &values, &facts.subject(), day)));
        }
        day = day.succ_opt().unwrap_or(to + chrono::Duration::days(1));
    }
    out
}

/// How one factor's part in the score changed between two days.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FactorShift {
    pub id: FactorId,
    /// Score points this factor contributed before and after.
    pub before: f64,
    pub after: f64,
    /// Raw values, when the facts were at hand (they are not in the book-wide cache).
    pub raw_before: Option<f64>,
    pub raw_after: Option<f64>,
}

impl FactorShift {
    pub fn change(&self) -> f64 {
        self.after - self.before
    }

    /// "Usage vs expected 112% -> 61%", or by points when the raw values are not known. A
    /// change is said where it is now ("Active users change -88%"): what it was a window before
    /// is a change of a month before that ("+20% -> -88%" read as a change of a change).
    /// `in_full` (the Account view, a one-on-one) says where a change factor was beside where it
    /// is; a list's line, short of room, says it only where the value alone points the other way
    /// from the move (a fall to a growth of +0.3%).
    pub fn describe(
        &self,
        catalog: &Catalog,
        before_points: Option<u8>,
        after_points: Option<u8>,
        in_full: bool,
    ) -> String {
        let def = catalog.def(self.id);
        let show = |v: Option<f64>| v.map_or_else(|| "none".to_string(), |v| def.format_value(v));
        // A change factor's move is said where it is now, not as a change of a change ("+20% ->
        // -88%"), with where it was beside it: "+1%" alone explained a rise over 7 days, a fall
        // over 30 and a rise over 90 on one probe's account, and "-14 in 30 days: Usage growth
        // (MoM) +0.3%" read as a rise given as the reason to look (a list's line too).
        if let (crate::domain::catalog::Transform::Change { .. }, Some(after)) = (&def.transform, self.raw_after) {
            let (now, was) = (def.format_value(after), self.raw_before.map(|b| def.format_value(b)));
            // Worse at a growth of zero or more, or better at a fall of zero or more.
            let against = match (before_points, after_points) {
                (Some(b), Some(a)) if a < b => after >= 0.0,
                (Some(b), Some(a)) if a > b => after <= 0.0,
                _ => false,
            };
            return match was.filter(|was| (in_full || against) && *was != now) {
                Some(was) => format!("{} {now} (was {was})", def.label),
                None => format!("{} {now}", def.label),
            };
        }
        if self.raw_before.is_some() || self.raw_after.is_some() {
            format!("{} {} -> {}", def.label, show(self.raw_before), show(self.raw_after))
        } else {
            let pts = |p: Option<u8>| p.map_or_else(|| "none".to_string(), |p| format!("{p}"));
            format!("{} {} -> {} pts", def.label, pts(before_points), pts(after_points))
        }
    }
}

/// The change in an account's health over a window, and the factor that moved it most.
///
/// Like is compared with like: the change counts only the factors with data on both days. A
/// factor that had no data before and has some now is *first data*, not a rise or a fall: the
/// first sentiment ever logged is news, not a drop of 40 points.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Mover {
    pub window_days: i64,
    /// The window's start had no score: the change is from the account's first score since,
    /// this many days back (a new customer's usage crashing in its second week read no fall at
    /// all until the window's start reached its first score, then "-92 in 30 days" overnight).
    #[serde(default)]
    pub first_score_days: Option<i64>,
    pub before: Option<u8>,
    pub after: Option<u8>,
    /// The like-for-like change; None unless both days have a score and share a factor.
    pub change: Option<i32>,
    pub shift: Option<FactorShift>,
    /// Factors with data now that had none at the start of the window (bit per `FactorId`).
    pub first_data: u32,
    /// Factors the score weighs whose points moved between the two days (bit per `FactorId`):
    /// the others said beside the one that moved most. A factor of weight 0 ("Active users w/w",
    /// which Triage names apart) was said to have made a fall worse.
    #[serde(default)]
    pub weighed_moved: u32,
    pub before_points: PackedPoints,
    pub after_points: PackedPoints,
}

impl Mover {
    /// The like-for-like score change; None unless both days have a score.
    pub fn delta(&self) -> Option<i32> {
        self.change
    }

    /// How many days back the earlier of the two days compared is: the window's start, or the
    /// account's first score since (`first_score_days`).
    pub fn days_back(&self) -> i64 {
        self.first_score_days.unwrap_or(self.window_days)
    }

    /// This mover, compared from the account's first score `days` back, its window's start
    /// having none.
    pub fn since_first_score(self, days: Option<i64>) -> Mover {
        Mover { first_score_days: days.filter(|d| *d < self.window_days), ..self }
    }

    /// The factors that got their first data within the window.
    pub fn first_data_ids(&self) -> impl Iterator<Item = FactorId> + '_ {
        (0..MAX_SCORED_FACTORS as u8).map(FactorId).filter(|id| self.first_data & (1 << id.index()) != 0)
    }

    /// Where the scores of the two days differ by more than the like-for-like change because
    /// factors got their first data within the window: "the score went 71 -> 22, -8 of it the
    /// first data of NPS, not counted". A Green account gone Yellow today on its first sentiment
    /// read "+0 in 7 days" alone, and "71 -> 22 with the first data" beside "-41" read as if the
    /// 71 -> 22 were what was not counted.
    pub fn first_data_note(&self, catalog: &Catalog) -> Option<String> {
        let (before, after) = (self.before?, self.after?);
        let raw = i32::from(after) - i32::from(before);
        if self.first_data == 0 || raw == 0 || self.change == Some(raw) {
            return None;
        }
        let labels: Vec<&str> = self.first_data_ids().map(|id| catalog.label(id)).collect();
        // Three or more are named on the "First data" line under the changes.
        let which = match labels.as_slice() {
            [one] => one.to_string(),
            [one, two] => format!("{one} and {two}"),
            many => format!("{} factors", many.len()),
        };
        let first = raw - self.change.unwrap_or(0);
        // The first data's share in brackets: "52 -> 47 with the first data of Bugs escalated
        // (+5)" read as if the bug had made the fall.
        Some(format!("the score went {before} -> {after} (the first data of {which}: {first:+})"))
    }

    /// `describe_in_full`, and beside it where the scores differ by more, `first_data_note`: the
    /// change then said to be like for like, of the factors both days had ("+0 in 7 days like for
    /// like; the score went 44 -> 33 (the first data of CSM sentiment: -11)"). "+0 in 7 days;
    /// the score went 44 -> 33, -11 of it the first data ..., not counted" read to a probe as a
    /// contradiction.
    pub fn describe_with_first_data(&self, catalog: &Catalog) -> String {
        match self.first_data_note(catalog) {
            Some(note) => format!("{}; {note}", self.describe_with(catalog, true, " like for like")),
            None => self.describe_in_full(catalog),
        }
    }

    /// `describe_in_full` (or `describe`, the factor that moved most alone), with
    /// `first_data_note` after it: where a fall is spelled out in a line of reasons (Triage's,
    /// `tend report triage`, a one-on-one), whose head a list reads beside its change column. A
    /// probe's "-63 in 30 days" stood beside a score gone 93 -> 6 as a sentiment of 2 was logged.
    /// The change is then said to be like for like: a probe read "-13" in the change column and
    /// "the score went 48 -> 20" in the line beside it as two different facts.
    pub fn describe_noting_first_data(&self, catalog: &Catalog, in_full: bool) -> String {
        match self.first_data_note(catalog) {
            Some(note) => format!("{}; {note}", self.describe_with(catalog, in_full, " like for like")),
            None => self.describe_with(catalog, in_full, ""),
        }
    }

    /// "-18 in 30 days: Usage vs expected 112% -> 61%": the factor that moved most, for a list's
    /// line.
    pub fn describe(&self, catalog: &Catalog) -> String {
        self.describe_with(catalog, false, "")
    }

    /// `describe`, and the other factors that moved the same way ("..., and Support tickets worse
    /// too", "..., and 5 more factors worse"): where the fall is explained (the Account view,
    /// Triage's detail, a one-on-one).
    pub fn describe_in_full(&self, catalog: &Catalog) -> String {
        self.describe_with(catalog, true, "")
    }

    /// `qualified`: said after the change ("+0 in 7 days like for like").
    fn describe_with(&self, catalog: &Catalog, in_full: bool, qualified: &str) -> String {
        let head = match (self.delta(), self.first_score_days) {
            (Some(d), Some(first)) => {
                format!("{d:+} since its first score {} ago{qualified}", crate::text::days(first))
            }
            (Some(d), None) => format!("{d:+} in {} days{qualified}", self.window_days),
            (None, _) => format!("no score change to compare in {} days", self.window_days),
        };
        let moved = self.delta().is_some_and(|d| d != 0);
        // A change of profile is part of the change, said whether or not a factor moved too:
        // the end of the jumpstart score read "-22 in 30 days: Days since touch 1d -> 31d", a
        // factor worth 6 of the 22, and "+0 in 90 days" while the score went from 100 to 70.
        let profile = match (self.before_points.kind(), self.after_points.kind()) {
            (before, after) if before == after => None,
            (ScoreKind::Jumpstart, _) => Some("the new customers' (jumpstart) score ended"),
            (_, ScoreKind::Jumpstart) => Some("on the new customers' (jumpstart) score now"),
            _ => Some("scored by another profile now"),
        };
        let scores = match (self.before, self.after) {
            (Some(before), Some(after)) if before != after => format!(" ({before} -> {after})"),
            _ => String::new(),
        };
        // The other factors that moved the same way, after the one that moved most: "-14 in 30
        // days: Active users 28 -> 6" read as the whole cause when support tickets had fallen a
        // point too ("... and Support tickets").
        let also = |s: FactorShift| -> String {
            let sign = self.delta().unwrap_or(0).signum();
            // Across a change of profile the points are of other weights: not compared.
            if !in_full || sign == 0 || self.before_points.kind() != self.after_points.kind() {
                return String::new();
            }
            let others: Vec<&str> = (0..MAX_SCORED_FACTORS as u8)
                .map(FactorId)
                .filter(|id| *id != s.id && self.weighed_moved & (1 << id.index()) != 0)
                .filter(|id| match (self.before_points.points(*id), self.after_points.points(*id)) {
                    (Some(b), Some(a)) => (i32::from(a) - i32::from(b)).signum() == sign && a != b,
                    _ => false,
                })
                .map(|id| catalog.label(id))
                .collect();
            // Counted rather than listed past one: the line stays one line at 80 columns. Said
            // with the way they moved: "… -70% (was -40%) and Active users" read as cut short.
            // Its points' way, which a factor whose smaller values are better moves against its
            // value: "Days since touch fell too" read as good news (a lead's probe).
            let way = if sign < 0 { "worse" } else { "better" };
            match others.as_slice() {
                [] => String::new(),
                [one] => format!(", and {one} {way} too"),
                more => format!(", and {} more factors {way}", more.len()),
            }
        };
        let factor = |s: FactorShift| {
            let moved = s.describe(catalog, self.before_points.points(s.id), self.after_points.points(s.id), in_full);
            format!("{moved}{}", also(s))
        };
        match (self.shift, profile) {
            (Some(s), None) if moved => format!("{head}: {}", factor(s)),
            (Some(s), Some(profile)) if moved => format!("{head}: {profile}{scores}; {}", factor(s)),
            // No factor moved: the account changed profile, whose weights read the same points
            // otherwise ("-23 in 30 days" alone named no cause).
            (None, Some(profile)) if moved => format!("{head}: no factor moved; {profile}"),
            (_, Some(profile)) if !scores.is_empty() => format!("{head}: {profile}{scores}"),
            _ => head,
        }
    }
}

/// The exact (unrounded) score of a day's points over the factors `keep` allows, or None without
/// any weighted factor among them. The arithmetic of `scoring::score_only`.
fn exact_score(
    config: &HealthConfig,
    kind: ScoreKind,
    points: impl Fn(FactorId) -> Option<u8>,
    keep: impl Fn(FactorId) -> bool,
) -> Option<f64> {
    scoring::blend(config.model(kind), |id, _| points(id), keep).exact()
}

/// Each factor's contribution in score points on a day over the factors `keep` allows.
fn contributions(config: &HealthConfig, day: &DayHealth, keep: impl Fn(FactorId) -> bool) -> [f64; MAX_FACTORS] {
    let model = config.model(day.points.kind());
    let blend = scoring::blend(model, |id, _| day.points.points(id), &keep);
    let mut out = [0.0; MAX_FACTORS];
    if blend.weight > 0.0 {
        for (id, rule) in model.iter().filter(|(id, r)| r.weight > 0.0 && keep(**id) && !blend.is_above_evidence(**id))
        {
            if let Some(p) = day.points.points(*id) {
                out[id.index()] = rule.weight / blend.weight * f64::from(p - 1) / 3.0 * 100.0;
            }
        }
    }
    out
}

/// Whether a factor has data on both days.
fn in_both<'a>(before: &'a DayHealth, after: &'a DayHealth) -> impl Fn(FactorId) -> bool + Copy + 'a {
    move |id| before.points.points(id).is_some() && after.points.points(id).is_some()
}

/// The score change between two days that the factors with data on both days made: None unless
/// both days have a score and share a weighted factor. Equal to the plain difference of the
/// scores when no factor got or lost its data in between, and across a change of profile. Otherwise it is today's score against
/// today's score had each of those factors kept its earlier points: a factor's first data counts
/// the same in both, so it reads as no rise or fall, and the change stays on the scale of the
/// score shown (one factor of a tenth of today's weight falling from 4 points to 1 is -10, not
/// -100 as when scored over the shared factors alone).
pub fn like_for_like(config: &HealthConfig, before: &DayHealth, after: &DayHealth) -> Option<i32> {
    let (then, now) = (before.score?, after.score?);
    // The same profile and the same factors with data on both days (most accounts, most days):
    // the scores themselves compare like with like.
    if before.points.kind() == after.points.kind() && before.points.present() == after.points.present() {
        return Some(i32::from(now) - i32::from(then));
    }
    let both = in_both(before, after);
    let (kind_then, kind_now) = (before.points.kind(), after.points.kind());
    if kind_then != kind_now {
        // The profile changed (the new customers' score ended): the two scores weigh other
        // factors, and no part of the change is like for like. The change is the scores' own,
        // said with the profile's end (`describe`). Over the shared factors under each day's
        // weights, a probe's Green account gone 100 -> 77 as its jumpstart score ended read "-67",
        // and one gone 79 -> 11 "-34".
        return Some(i32::from(now) - i32::from(then));
    }
    // No change to compare unless the two days share a weighted factor.
    exact_score(config, kind_then, |id| before.points.points(id), both)?;
    let today = scoring::blend(config.model(kind_now), |id, _| after.points.points(id), |_| true);
    let now = today.exact()?;
    // tend's bookkeeping new since (milestones come due) that today's score leaves out, as it
    // would lift it, is out of the kept score too: blended there, under the shared factors'
    // higher earlier points, it pulled that score down, and the fall read smaller by what it
    // never did (a probe's "-23 … (the first data of Overdue milestones: -5)", the milestones
    // left out of the score).
    let kept = exact_score(
        config,
        kind_now,
        |id| if both(id) { before.points.points(id) } else { after.points.points(id) },
        |id| both(id) || !today.is_above_evidence(id),
    )?;
    Some(i32::from(scoring::round_score(now)) - i32::from(scoring::round_score(kept)))
}

/// Compare two days, like with like: the change is worked out over the factors with data on both
/// days, so a factor's first data never reads as a rise or a fall. The factor named is the one
/// whose change moved that score most in the direction it went (or most at all when it held):
/// the score now minus the score now had that factor kept its earlier points.
pub fn mover(config: &HealthConfig, window_days: i64, before: &DayHealth, after: &DayHealth) -> Mover {
    let both = in_both(before, after);
    let (b, a) = (contributions(config, before, both), contributions(config, after, both));
    let kind = after.points.kind();
    let change = like_for_like(config, before, after);
    let direction = change.map_or(0.0, |c| f64::from(c).signum());
    let now = exact_score(config, kind, |id| after.points.points(id), both);
    let impact = |moved: FactorId| {
        let kept = exact_score(
            config,
            kind,
            |id| if id == moved { before.points.points(id) } else { after.points.points(id) },
            both,
        );
        now.unwrap_or(0.0) - kept.unwrap_or(0.0)
    };
    // The factors with data on both days whose points moved.
    let moved = || {
        (0..MAX_SCORED_FACTORS as u8)
            .map(FactorId)
            .filter(|id| both(*id) && before.points.points(*id) != after.points.points(*id))
    };
    let shift = moved()
        .map(|id| (impact(id), id))
        .filter(|(impact, _)| impact.abs() > 1e-9)
        .max_by(|(x, _), (y, _)| {
            let key = |v: f64| if direction == 0.0 { v.abs() } else { v * direction };
            key(*x).total_cmp(&key(*y))
        })
        .map(|(_, id)| FactorShift {
            id,
            before: b[id.index()],
            after: a[id.index()],
            raw_before: None,
            raw_after: None,
        });
    // Across a change of profile a factor without points before may be one the earlier profile
    // does not weigh, not one without data: none is said to be first data (the profile's end is
    // the cause said). Nor is one today's score leaves out, weighing nothing or tend's
    // bookkeeping that would lift it: a probe's account read "67 -> 50 (the first data of Bugs
    // escalated and NPS: -7)", its 0 bugs left out of the score.
    let model = config.model(kind);
    let weighed = |id: &FactorId| model.get(id).is_some_and(|rule| rule.weight > 0.0);
    let new_since = (0..MAX_SCORED_FACTORS as u8)
        .map(FactorId)
        .filter(|_| before.points.kind() == after.points.kind())
        .filter(|id| before.points.points(*id).is_none() && after.points.points(*id).is_some() && weighed(id))
        .fold(0u32, |mask, id| mask | 1 << id.index());
    // Today's blend only where some factor is new (few movers): what it leaves out is not first
    // data of the score.
    let first_data = match new_since {
        0 => 0,
        _ => new_since & !scoring::blend(model, |id, _| after.points.points(id), |_| true).above_evidence,
    };
    let weighed_moved = moved().filter(weighed).fold(0u32, |mask, id| mask | 1 << id.index());
    Mover {
        window_days,
        first_score_days: None,
        weighed_moved,
        before: before.score,
        after: after.score,
        change,
        shift,
        first_data,
        before_points: before.points,
        after_points: after.points,
    }
}

/// A mover with the moved factor's raw values filled in from both days' values.
pub fn with_raw(mut m: Mover, before: &FactorValues, after: &FactorValues) -> Mover {
    if let Some(s) = &mut m.shift {
        s.raw_before = before.get(s.id);
        s.raw_after = after.get(s.id);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::config::builtin as id;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// The default config with any evidence enough for a score: these tests use few factors.
    fn sparse() -> Config {
        let mut config = Config::default();
        config.health.min_coverage = 0.0;
        config
    }

    /// The health of a day with a sentiment of 9 and 3 active users, and of a day after it with
    /// `change` made to those values.
    fn sentiment_and_users_then(config: &Config, change: impl FnOnce(&mut FactorValues)) -> (DayHealth, DayHealth) {
        let day = d("2026-06-01");
        let mut before = FactorValues::default();
        before.set(id("sentiment"), Some(9.0));
        before.set(id("active_users"), Some(3.0));
        let mut after = before;
        change(&mut after);
        (
            day_health(&config.health, &before, &Subject::default(), day),
            day_health(&config.health, &after, &Subject::default(), day),
        )
    }

    /// A milestone come due since, at 3 points, that today's score leaves out (it would lift it)
    /// is no part of the change: the fall is the sentiment's whole, and no first data is said to
    /// have made part of it.
    #[test]
    fn bookkeeping_left_out_today_takes_no_share_of_a_fall() {
        let config = sparse();
        let (hb, ha) = sentiment_and_users_then(&config, |after| {
            after.set(id("sentiment"), Some(6.0));
            after.set(id("overdue_milestones"), Some(1.0));
        });
        assert_eq!((hb.score, ha.score), (Some(87), Some(67)));
        assert_eq!(like_for_like(&config.health, &hb, &ha), Some(-20), "not -16");
        let m = mover(&config.health, 30, &hb, &ha);
        assert_eq!(m.first_data_note(&config.health.catalog), None);
    }

    /// First data today's score leaves out (0 bugs, tend's bookkeeping, which would lift it) is
    /// not named as first data: a probe's account read "the first data of Bugs escalated and NPS".
    #[test]
    fn first_data_left_out_of_todays_score_is_not_named() {
        let config = sparse();
        let (hb, ha) = sentiment_and_users_then(&config, |after| {
            after.set(id("bugs_escalated"), Some(0.0));
            after.set(id("nps"), Some(3.0));
        });
        let m = mover(&config.health, 30, &hb, &ha);
        assert_eq!(m.first_data_ids().collect::<Vec<_>>(), vec![id("nps")]);
    }

    #[test]
    fn packed_points_round_trip() {
        let p = PackedPoints::new(
            ScoreKind::Jumpstart,
            [(id("sentiment"), Some(4)), (id("overdue_milestones"), Some(1)), (id("nps"), None)],
        );
        assert_eq!(p.kind(), ScoreKind::Jumpstart);
        assert_eq!(p.points(id("sentiment")), Some(4));
        assert_eq!(p.points(id("overdue_milestones")), Some(1));
        assert_eq!(p.points(id("nps")), None);
        assert_eq!(PackedPoints::new(ScoreKind::Regular, []).kind(), ScoreKind::Regular);
    }

    #[test]
    fn daily_starts_at_the_first_day_with_data() {
        let config = sparse();
        let facts = AccountFacts { sentiments: vec![(d("2026-03-05"), 9.0)], ..Default::default() };
        let days = daily(&config.health, &facts, d("2026-03-01"), d("2026-03-10"));
        assert_eq!(days.first().map(|x| x.0), Some(d("2026-03-05")));
        assert_eq!(days.len(), 6);
    }

    /// A fall to a growth of zero or more says where the growth was, on a list's line too ("-14
    /// in 30 days: Usage growth (MoM) +0.3%" read as a rise given as the reason to look); a fall
    /// to a fall says where it is, the line kept short.
    #[test]
    fn a_change_factor_fallen_to_growth_says_where_it_was() {
        let config = sparse();
        let day = d("2026-06-01");
        let said = |then: f64, now: f64| {
            let mut before = FactorValues::default();
            before.set(id("sentiment"), Some(7.0));
            before.set(id("usage_growth"), Some(then));
            let mut after = before;
            after.set(id("usage_growth"), Some(now));
            let hb = day_health(&config.health, &before, &Subject::default(), day);
            let ha = day_health(&config.health, &after, &Subject::default(), day);
            let m = with_raw(mover(&config.health, 30, &hb, &ha), &before, &after);
            (m.describe(&config.health.catalog), m.describe_in_full(&config.health.catalog))
        };
        let (line, full) = said(40.0, 0.3);
        assert!(line.starts_with('-') && line.contains("+0.3% (was +40%)"), "{line}");
        assert_eq!(line, full);
        let (line, full) = said(0.0, -33.0);
        assert!(line.ends_with("-33%") && !line.contains("was"), "{line}");
        assert!(full.contains("-33% (was +0%)"), "{full}");
    }

    #[test]
    fn mover_names_the_factor_that_fell_with_its_raw_values() {
        let config = sparse();
        let mut before = FactorValues::default();
        before.set(id("sentiment"), Some(9.0));
        before.set(id("usage_vs_expected"), Some(112.0));
        let mut after = before;
        after.set(id("usage_vs_expected"), Some(61.0));
        let day = d("2026-06-01");
        let hb = day_health(&config.health, &before, &Subject::default(), day);
        let ha = day_health(&config.health, &after, &Subject::default(), day);
        let m = with_raw(mover(&config.health, 30, &hb, &ha), &before, &after);
        assert_eq!(m.delta(), Some(-33)); // 100 -> 67: usage 4 -> 2 points at half the weight
        assert_eq!(m.shift.map(|s| s.id), Some(id("usage_vs_expected")));
        assert_eq!(m.describe(&config.health.catalog), "-33 in 30 days: Usage vs expected 112% -> 61%");
        // Nothing else moved: in full, the same.
        assert_eq!(m.describe_in_full(&config.health.catalog), m.describe(&config.health.catalog));
    }

    /// A fall that two factors made names both where it is explained, the larger first; a list's
    /// line names the larger alone, and a factor that rose is never named with a fall.
    #[test]
    fn a_fall_in_full_names_the_other_factors_that_fell() {
        let config = sparse();
        let mut before = FactorValues::default();
        before.set(id("sentiment"), Some(9.0));
        before.set(id("usage_vs_expected"), Some(112.0));
        before.set(id("overdue_milestones"), Some(3.0));
        let mut after = before;
        after.set(id("usage_vs_expected"), Some(61.0));
        after.set(id("sentiment"), Some(7.0));
        after.set(id("overdue_milestones"), Some(0.0));
        let day = d("2026-06-01");
        let hb = day_health(&config.health, &before, &Subject::default(), day);
        let ha = day_health(&config.health, &after, &Subject::default(), day);
        let m = with_raw(mover(&config.health, 30, &hb, &ha), &before, &after);
        let catalog = &config.health.catalog;
        assert!(m.delta().is_some_and(|d| d < 0), "{m:?}");
        let short = m.describe(catalog);
        assert!(short.ends_with("Usage vs expected 112% -> 61%"), "{short}");
        assert_eq!(m.describe_in_full(catalog), format!("{short}, and CSM sentiment worse too"));
    }

    #[test]
    fn a_factor_whose_points_held_is_not_named() {
        let config = sparse();
        let mut before = FactorValues::default();
        before.set(id("sentiment"), Some(9.0));
        before.set(id("usage_vs_expected"), Some(112.0));
        before.set(id("overdue_milestones"), Some(0.0));
        // Usage goes missing (stale): sentiment and milestones gain share without moving.
        let mut after = before;
        after.set(id("usage_vs_expected"), None);
        after.set(id("sentiment"), Some(5.0));
        let day = d("2026-06-01");
        let m = mover(
            &config.health,
            30,
            &day_health(&config.health, &before, &Subject::default(), day),
            &day_health(&config.health, &after, &Subject::default(), day),
        );
        // Had sentiment kept its 4 points the score would be 100: sentiment moved it most;
        // milestones, whose points held (and which, at 4, never lift a score), are never named.
        assert_eq!(m.delta(), Some(-67));
        assert_eq!(m.shift.map(|s| s.id), Some(id("sentiment")));
        // A factor appearing at 1 point lowers the score, though nothing got worse.
        let mut later = after;
        later.set(id("nps"), Some(1.0));
        let m = mover(
            &config.health,
            7,
            &day_health(&config.health, &after, &Subject::default(), day),
            &day_health(&config.health, &later, &Subject::default(), day),
        );
        // NPS appearing at 1 point is its first data, not a fall: like with like nothing moved.
        assert_eq!(m.delta(), Some(0));
        assert_eq!(m.shift, None);
        assert_eq!(m.first_data_ids().collect::<Vec<_>>(), vec![id("nps")]);
    }

    #[test]
    fn like_for_like_is_the_plain_difference_when_the_same_factors_have_data() {
        let config = sparse();
        let day = d("2026-06-01");
        let mut before = FactorValues::default();
        before.set(id("sentiment"), Some(9.0));
        before.set(id("usage_vs_expected"), Some(112.0));
        let mut after = before;
        after.set(id("usage_vs_expected"), Some(40.0));
        let (hb, ha) = (
            day_health(&config.health, &before, &Subject::default(), day),
            day_health(&config.health, &after, &Subject::default(), day),
        );
        let plain = i32::from(ha.score.unwrap()) - i32::from(hb.score.unwrap());
        assert_eq!(like_for_like(&config.health, &hb, &ha), Some(plain));
        assert_eq!(hb.points.present(), ha.points.present());
        // NPS appears (at its lowest): the plain difference moves, like for like it is the usage
        // fall alone, on the scale of the score with NPS in it (a smaller share of it than of
        // the score without).
        let mut with_nps = after;
        with_nps.set(id("nps"), Some(-100.0));
        let hn = day_health(&config.health, &with_nps, &Subject::default(), day);
        assert_ne!(i32::from(hn.score.unwrap()) - i32::from(hb.score.unwrap()), plain);
        let mut usage_kept = with_nps;
        usage_kept.set(id("usage_vs_expected"), Some(112.0));
        let hk = day_health(&config.health, &usage_kept, &Subject::default(), day);
        let usage_fall = i32::from(hn.score.unwrap()) - i32::from(hk.score.unwrap());
        assert_eq!(like_for_like(&config.health, &hb, &hn), Some(usage_fall));
        assert!(usage_fall < 0 && usage_fall > plain, "a smaller share of today's score: {usage_fall} vs {plain}");
    }

    /// One factor left to compare, falling, beside a first sentiment that lifts the score: the
    /// change is that factor's share of today's score, not the whole scale.
    #[test]
    fn a_lone_shared_factor_moves_the_score_by_its_share_of_it() {
        let config = sparse();
        let day = d("2026-06-01");
        let mut before = FactorValues::default();
        before.set(id("usage_vs_expected"), Some(112.0));
        let mut after = before;
        after.set(id("usage_vs_expected"), Some(40.0));
        after.set(id("sentiment"), Some(9.0));
        let (hb, ha) = (
            day_health(&config.health, &before, &Subject::default(), day),
            day_health(&config.health, &after, &Subject::default(), day),
        );
        let change = like_for_like(&config.health, &hb, &ha).unwrap();
        let mut kept = after;
        kept.set(id("usage_vs_expected"), Some(112.0));
        let hk = day_health(&config.health, &kept, &Subject::default(), day);
        assert_eq!(change, i32::from(ha.score.unwrap()) - i32::from(hk.score.unwrap()));
        assert!(change < 0 && change > -100, "{change}: the usage fall's share, not -100");
    }

    /// Across the end of the jumpstart score the change is the scores' own: the regular score's
    /// factors the jumpstart one does not weigh are no first data, and the factors both weigh
    /// tell nothing of the change alone (a probe's account gone 100 -> 77 read "-67").
    #[test]
    fn the_end_of_the_jumpstart_score_changes_the_score_by_the_scores_own_difference() {
        let config = crate::config::Config::default();
        let id = |key: &str| config.health.catalog.id(key).unwrap();
        let before = DayHealth {
            score: Some(100),
            points: PackedPoints::new(ScoreKind::Jumpstart, [(id("days_since_login"), Some(4))]),
        };
        let after = DayHealth {
            score: Some(77),
            points: PackedPoints::new(
                ScoreKind::Regular,
                [(id("days_since_login"), Some(2)), (id("active_users"), Some(4)), (id("support_tickets"), Some(4))],
            ),
        };
        assert_eq!(like_for_like(&config.health, &before, &after), Some(-23));
        let mover = mover(&config.health, 30, &before, &after);
        assert_eq!((mover.change, mover.first_data), (Some(-23), 0));
        assert_eq!(mover.first_data_note(&config.health.catalog), None);
        assert!(
            mover
                .describe(&config.health.catalog)
                .starts_with("-23 in 30 days: the new customers' (jumpstart) score ended (100 -> 77)"),
            "{}",
            mover.describe(&config.health.catalog)
        );
    }

    /// A fall with no factor moved is the profile's weights: said, not left without a cause.
    #[test]
    fn a_change_of_profile_is_named_as_the_cause() {
        let points = |kind| PackedPoints::new(kind, [(FactorId(0), Some(3)), (FactorId(1), Some(1))]);
        let mover = |before, after, change| Mover {
            window_days: 30,
            first_score_days: None,
            weighed_moved: 0,
            before: Some(70),
            after: Some(47),
            change,
            shift: None,
            first_data: 0,
            before_points: points(before),
            after_points: points(after),
        };
        let catalog = Catalog::default();
        assert_eq!(
            mover(ScoreKind::Jumpstart, ScoreKind::Regular, Some(-23)).describe(&catalog),
            "-23 in 30 days: no factor moved; the new customers' (jumpstart) score ended"
        );
        assert_eq!(
            mover(ScoreKind::Regular, ScoreKind::Profile(1), Some(-23)).describe(&catalog),
            "-23 in 30 days: no factor moved; scored by another profile now"
        );
        assert_eq!(mover(ScoreKind::Regular, ScoreKind::Regular, Some(-23)).describe(&catalog), "-23 in 30 days");
        // The like-for-like change over the factors both scores read is 0, the score fell 23:
        // the end of the jumpstart score is said, with the scores.
        assert_eq!(
            mover(ScoreKind::Jumpstart, ScoreKind::Regular, Some(0)).describe(&catalog),
            "+0 in 30 days: the new customers' (jumpstart) score ended (70 -> 47)"
        );
        // A factor that moved too is named after it, not as the whole cause.
        let config = crate::config::Config::default();
        let touch = config.health.catalog.id("days_since_touch").unwrap();
        let shift = FactorShift { id: touch, before: 9.0, after: 3.0, raw_before: Some(1.0), raw_after: Some(31.0) };
        let both = Mover { shift: Some(shift), ..mover(ScoreKind::Jumpstart, ScoreKind::Regular, Some(-22)) };
        assert_eq!(
            both.describe(&config.health.catalog),
            "-22 in 30 days: the new customers' (jumpstart) score ended (70 -> 47); Days since touch 1d -> 31d"
        );
    }

    /// A score moved by a factor's first data alone: the like-for-like change is 0, and the
    /// scores of both days are said beside it, so that "Green to Yellow" is not "+0" alone.
    #[test]
    fn a_score_moved_by_first_data_says_both_scores_beside_the_change() {
        let config = sparse();
        let mut before = FactorValues::default();
        before.set(id("usage_vs_expected"), Some(112.0));
        let mut after = before;
        after.set(id("sentiment"), Some(3.0));
        let day = d("2026-06-01");
        let (hb, ha) = (
            day_health(&config.health, &before, &Subject::default(), day),
            day_health(&config.health, &after, &Subject::default(), day),
        );
        let m = mover(&config.health, 7, &hb, &ha);
        assert_eq!(m.delta(), Some(0));
        let (b, a) = (hb.score.unwrap(), ha.score.unwrap());
        assert!(a < b, "{b} -> {a}");
        assert!(
            m.describe_with_first_data(&config.health.catalog)
                .starts_with("+0 in 7 days like for like; the score went "),
            "{}",
            m.describe_with_first_data(&config.health.catalog)
        );
        assert_eq!(
            m.first_data_note(&config.health.catalog).as_deref(),
            Some(
                format!(
                    "the score went {b} -> {a} (the first data of CSM sentiment: {:+})",
                    i32::from(a) - i32::from(b)
                )
                .as_str()
            )
        );
        // A line of reasons says it after the change, whose head a list reads beside its column.
        assert_eq!(
            m.describe_noting_first_data(&config.health.catalog, false),
            format!("+0 in 7 days like for like; {}", m.first_data_note(&config.health.catalog).unwrap())
        );
        // A change of the factors both days read: nothing to add.
        let mut later = after;
        later.set(id("sentiment"), Some(9.0));
        let m = mover(&config.health, 7, &ha, &day_health(&config.health, &later, &Subject::default(), day));
        assert_eq!(m.first_data_note(&config.health.catalog), None);
    }

    #[test]
    fn mover_without_raw_values_speaks_in_points() {
        let config = sparse();
        let mut before = FactorValues::default();
        before.set(id("sentiment"), Some(9.0));
        let mut after = before;
        after.set(id("sentiment"), Some(3.0));
        let day = d("2026-06-01");
        let m = mover(
            &config.health,
            7,
            &day_health(&config.health, &before, &Subject::default(), day),
            &day_health(&config.health, &after, &Subject::default(), day),
        );
        assert_eq!(m.describe(&config.health.catalog), "-100 in 7 days: CSM sentiment 4 -> 1 pts");
    }
}
