//! Scoring with the shipped defaults: jumpstart switch-over and the documented bands.

mod common;

use chrono::{Duration, NaiveDate};
use common::id;
use tend::config::Config;
use tend::domain::{FactorId, FactorValues, HealthBand, ScoreKind, Subject};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn values(pairs: &[(FactorId, f64)]) -> FactorValues {
    let mut v = FactorValues::default();
    for (id, x) in pairs {
        v.set(*id, Some(*x));
    }
    v
}

#[test]
fn jumpstart_applies_for_the_first_90_days_then_the_regular_score() {
    let config = Config::default();
    let since = day("2026-01-01");
    // Good onboarding, poor regular signals (enough of them for a regular score: 60% of the
    // weight).
    let v = values(&[
        (id("days_to_first_login"), 1.0),
        (id("early_logins"), 40.0),
        (id("usage_vs_expected"), 20.0),
        (id("sentiment"), 2.0),
        (id("active_users"), 0.0),
        (id("usage_growth"), -80.0),
        (id("days_since_login"), 60.0),
    ]);
    let day89 = since + Duration::days(89);
    let day90 = since + Duration::days(90);
    let early = config.health.assess(&v, &Subject::since(Some(since)), day89);
    assert_eq!(early.kind, ScoreKind::Jumpstart);
    // Jumpstart: first login 4 pts (w3), early logins 4 (w3), sentiment 1 (w2), days since
    // login 1 (w2: a customer who stopped logging in is no good start), active users 1 (w2: nor
    // one whose usage fell away) = 50; and days since login is critical there: at 1 point it caps
    // the band at Red.
    assert_eq!(early.score, Some(50));
    assert_eq!(early.band, Some(HealthBand::Red));
    assert_eq!(early.capped_by, Some(id("days_since_login")));
    let later = config.health.assess(&v, &Subject::since(Some(since)), day90);
    assert_eq!(later.kind, ScoreKind::Regular);
    assert_eq!(later.score, Some(0));
    assert_eq!(later.band, Some(HealthBand::Red));
    // The quick path agrees on both sides of the switch.
    assert_eq!(
        config.health.quick(&v, &Subject::since(Some(since)), day89),
        (ScoreKind::Jumpstart, Some((50, HealthBand::Red)))
    );
    assert_eq!(
        config.health.quick(&v, &Subject::since(Some(since)), day90),
        (ScoreKind::Regular, Some((0, HealthBand::Red)))
    );
}

#[test]
fn an_account_without_a_start_date_is_never_on_jumpstart() {
    let config = Config::default();
    let v = values(&[(id("sentiment"), 9.0)]);
    assert_eq!(config.health.assess(&v, &Subject::default(), day("2026-01-01")).kind, ScoreKind::Regular);
}

#[test]
fn default_thresholds_follow_the_example_file() {
    let config = Config::default();
    let rule = config.health.factors[&id("sentiment")];
    assert_eq!((rule.points(3.0), rule.points(4.0), rule.points(6.0), rule.points(8.0)), (1, 2, 3, 4));
    let nps = config.health.factors[&id("nps")];
    assert_eq!((nps.points(4.0), nps.points(6.0), nps.points(8.0), nps.points(9.0)), (1, 2, 3, 4));
    let touch = config.health.factors[&id("days_since_touch")];
    assert_eq!((touch.points(14.0), touch.points(15.0), touch.points(60.0), touch.points(61.0)), (4, 3, 2, 1));
}
