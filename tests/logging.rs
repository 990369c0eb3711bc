//! Logging through the library against a real file: scores move, messages say how, undo restores.

mod common;

use chrono::Duration;
use common::*;
use tend::book::log::{self, Ctx, LogError};
use tend::book::resolve::{ResolveError, resolve_account};
use tend::book::{self as tbook};
use tend::config::Config;
use tend::domain::entry::{EntryKind, TouchChannel};
use tend::domain::goal::{GoalStatus, OwnerSide};
use tend::domain::input::{EntryInput, GoalInput, MilestoneInput};
use tend::domain::journey::MilestoneState;
use tend::domain::signals;
use tend::store::log::Entity;
use tend::store::{NewAccount, Store};

/// A book with one plain account (started a year ago, owned by Ana) and nothing logged.
fn book() -> (tempfile::TempDir, Store, i64) {
    let (dir, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let id = store
        .write(|w| {
            let csm = w.csm_id("Ana Okafor")?;
            w.insert_account(&NewAccount {
                csm_id: Some(csm),
                customer_since: Some(today() - Duration::days(365)),
                renewal_date: Some(today() + Duration::days(120)),
                ..NewAccount::new("ACME-1", "Acme Analytics")
            })
        })
        .unwrap();
    (dir, store, id)
}

fn ctx<'a>(store: &'a mut Store, config: &'a Config, session: &'a str) -> Ctx<'a> {
    Ctx { store, config, session, today: today(), by: None }
}

fn sentiment(score: i64) -> EntryInput {
    let mut e = EntryInput::new(EntryKind::Sentiment, today());
    e.score = Some(score);
    e
}

fn value(store: &Store, config: &Config, id: i64, factor: &str) -> Option<f64> {
    let catalog = &config.health.catalog;
    let facts = store.account_facts(id, catalog).unwrap();
    signals::derive_values(&facts, today(), catalog).get(catalog.id(factor).unwrap())
}

#[test]
fn logging_sentiment_moves_the_score_and_says_so() {
    let (_dir, mut store, id) = book();
    let config = Config::default();
    let out = log::log_entry(&mut ctx(&mut store, &config, "s1"), id, &sentiment(8)).unwrap();
    // From no data at all to a score on sentiment, touch clock and bugs.
    assert!(out.message.starts_with("Acme Analytics: no score -> "), "{}", out.message);
    assert!(out.message.contains("CSM sentiment 8/10 (first data)"), "{}", out.message);
    let out = log::log_entry(&mut ctx(&mut store, &config, "s1"), id, &sentiment(4)).unwrap();
    assert!(out.message.contains("CSM sentiment 8/10 -> 4/10"), "{}", out.message);
    assert_eq!(value(&store, &config, id, "sentiment"), Some(4.0));
    // Signed by the account's owner when nobody else is named.
    let entries = store.entries_for(id).unwrap();
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| e.csm.as_deref() == Some("Ana Okafor")));
}

#[test]
fn the_signer_is_by_then_me_then_the_owner() {
    let (_dir, mut store, id) = book();
    let config = Config { me: "Ben Lindqvist".into(), ..Config::default() };
    // `me` must name a CSM of the book: a typo would otherwise sign as a new one.
    let refused = log::log_entry(&mut ctx(&mut store, &config, "s"), id, &sentiment(6)).unwrap_err();
    assert!(refused.to_string().contains("no CSM is called \"Ben Lindqvist\""), "{refused}");
    assert!(store.entries_for(id).unwrap().is_empty());
    store.write(|w| w.csm_id("Ben Lindqvist").map(drop)).unwrap();
    log::log_entry(&mut ctx(&mut store, &config, "s"), id, &sentiment(6)).unwrap();
    let mut c = ctx(&mut store, &config, "s");
    c.by = Some("Chloe Moreau");
    log::log_entry(&mut c, id, &sentiment(7)).unwrap();
    let by: Vec<Option<String>> = store.entries_for(id).unwrap().into_iter().map(|e| e.csm).collect();
    assert_eq!(
        by,
        vec![Some("Ben Lindqvist".into()), Some("Chloe Moreau".into())].into_iter().rev().collect::<Vec<_>>()
    );
}

#[test]
fn invalid_entries_write_nothing() {
    let (_dir, mut store, id) = book();
    let config = Config::default();
    let mut future = sentiment(5);
    future.day = today() + Duration::days(1);
    let mut touch = EntryInput::new(EntryKind::Touch, today());
    touch.channel = None;
    for bad in [sentiment(11), sentiment(0), future, touch] {
        let err = log::log_entry(&mut ctx(&mut store, &config, "s"), id, &bad).unwrap_err();
        assert!(matches!(err, LogError::Invalid(_)), "{err}");
    }
    assert!(store.entries_for(id).unwrap().is_empty());
    assert!(store.last_undoable("s").unwrap().is_empty());
}

#[test]
fn undo_reverts_add_edit_and_delete_in_order() {
    let (_dir, mut store, id) = book();
    let config = Config::default();
    let s = "session-a";
    log::log_entry(&mut ctx(&mut store, &config, s), id, &sentiment(8)).unwrap();
    let entry_id = store.entries_for(id).unwrap()[0].id;
    log::edit_entry(&mut ctx(&mut store, &config, s).seam(), entry_id, &sentiment(3)).unwrap();
    assert_eq!(value(&store, &config, id, "sentiment"), Some(3.0));
    log::delete(&mut ctx(&mut store, &config, s).seam(), Entity::Entry, entry_id).unwrap();
    assert_eq!(value(&store, &config, id, "sentiment"), None);

    // Another session's undo cannot touch this session's changes.
    assert!(log::undo(&mut ctx(&mut store, &config, "someone-else")).unwrap().is_none());

    let out = log::undo(&mut ctx(&mut store, &config, s)).unwrap().unwrap();
    assert!(out.message.starts_with("Undone: "), "{}", out.message);
    assert_eq!(value(&store, &config, id, "sentiment"), Some(3.0), "delete undone");
    log::undo(&mut ctx(&mut store, &config, s)).unwrap().unwrap();
    assert_eq!(value(&store, &config, id, "sentiment"), Some(8.0), "edit undone");
    log::undo(&mut ctx(&mut store, &config, s)).unwrap().unwrap();
    assert_eq!(value(&store, &config, id, "sentiment"), None, "add undone");
    assert!(log::undo(&mut ctx(&mut store, &config, s)).unwrap().is_none());
}

#[test]
fn undo_survives_reopening_the_book() {
    let (_dir, mut store, id) = book();
    let config = Config::default();
    log::log_entry(&mut ctx(&mut store, &config, "persisted"), id, &sentiment(2)).unwrap();
    let path = store.path().to_path_buf();
    drop(store);
    let mut store = Store::open(&path).unwrap();
    log::undo(&mut ctx(&mut store, &config, "persisted")).unwrap().unwrap();
    assert!(store.entries_for(id).unwrap().is_empty());
}

#[test]
fn goals_keep_their_status_history_and_feed_the_factor() {
    let (_dir, mut store, id) = book();
    let config = Config::default();
    let goal = GoalInput {
        words: "Cut onboarding to one week".into(),
        measure: "Days to first solo ticket".into(),
        target_date: Some(today() + Duration::days(90)),
        owner: OwnerSide::Customer,
        status: GoalStatus::OnTrack,
        day: today() - Duration::days(30),
    };
    log::add_goal(&mut ctx(&mut store, &config, "g").seam(), id, &goal).unwrap();
    let mut second = goal.clone();
    second.words = "Retire the legacy exports".into();
    log::add_goal(&mut ctx(&mut store, &config, "g").seam(), id, &second).unwrap();
    assert_eq!(value(&store, &config, id, "goals_on_track"), Some(100.0));
    let goal_id = store.goals_for(id).unwrap()[0].id;
    let out = log::set_goal_status(
        &mut ctx(&mut store, &config, "g").seam(),
        goal_id,
        GoalStatus::OffTrack,
        today(),
        "slipped",
    )
    .unwrap();
    assert!(out.message.contains("Goals on track 100% -> 50%"), "{}", out.message);
    let g = store.goal(goal_id).unwrap().unwrap();
    assert_eq!(g.status, GoalStatus::OffTrack);
    let history: Vec<GoalStatus> = g.history.iter().map(|h| h.status).collect();
    assert_eq!(history, vec![GoalStatus::OnTrack, GoalStatus::OffTrack]);
    // Undo of a status change drops it from the history too.
    log::undo(&mut ctx(&mut store, &config, "g")).unwrap().unwrap();
    let g = store.goal(goal_id).unwrap().unwrap();
    assert_eq!((g.status, g.history.len()), (GoalStatus::OnTrack, 1));
    assert_eq!(value(&store, &config, id, "goals_on_track"), Some(100.0));
}

#[test]
fn journeys_plan_milestones_once_and_overdue_ones_count() {
    let (_dir, mut store, id) = book();
    let config = Config::default();
    let out = log::apply_journey(&mut ctx(&mut store, &config, "j").seam(), id, "renewal", false).unwrap();
    assert!(out.message.contains("renewal journey planned (2 milestones)"), "{}", out.message);
    let ms = store.milestones_for(id).unwrap();
    // Renewal in 120 days: the call 90 days before it, the decision 30 before.
    assert_eq!(ms[0].due, today() + Duration::days(30));
    assert_eq!(ms[1].due, today() + Duration::days(90));
    assert!(ms.iter().all(|m| m.state_on(today()) == MilestoneState::Due));
    // A plan all ahead says nothing yet of how the account keeps it: no value, not "0 overdue".
    assert_eq!(value(&store, &config, id, "overdue_milestones"), None);
    // Applying it again adds nothing and says so.
    let err = log::apply_journey(&mut ctx(&mut store, &config, "j").seam(), id, "renewal", false).unwrap_err();
    assert!(err.to_string().contains("already has every milestone"), "{err}");
    // Onboarding counts from a year ago: all four are past. Without --include-past nothing is
    // planned, and the refusal names them.
    let err = log::apply_journey(&mut ctx(&mut store, &config, "j").seam(), id, "onboarding", false).unwrap_err();
    assert!(err.to_string().contains("already past") && err.to_string().contains("--include-past"), "{err}");
    assert_eq!(store.milestones_for(id).unwrap().len(), 2, "nothing planned");
    // With it, all four are planned and overdue; one done brings it to three.
    log::apply_journey(&mut ctx(&mut store, &config, "j").seam(), id, "onboarding", true).unwrap();
    assert_eq!(value(&store, &config, id, "overdue_milestones"), Some(4.0));
    let kickoff = store.milestones_for(id).unwrap()[0].id;
    log::milestone_done(&mut ctx(&mut store, &config, "j").seam(), kickoff, today(), false, None).unwrap();
    assert_eq!(value(&store, &config, id, "overdue_milestones"), Some(3.0));
    // Undo takes back the whole journey at once, after the done mark.
    log::undo(&mut ctx(&mut store, &config, "j")).unwrap();
    log::undo(&mut ctx(&mut store, &config, "j")).unwrap();
    assert_eq!(store.milestones_for(id).unwrap().len(), 2);
}

#[test]
fn a_journey_needs_its_anchor_date() {
    let (_dir, mut store, _) = book();
    let config = Config::default();
    let bare = store.write(|w| w.insert_account(&NewAccount::new("B-1", "Bare Co"))).unwrap();
    let err = log::apply_journey(&mut ctx(&mut store, &config, "j").seam(), bare, "onboarding", false).unwrap_err();
    assert!(err.to_string().contains("no customer-since date"), "{err}");
    assert!(store.milestones_for(bare).unwrap().is_empty());
}

#[test]
fn milestones_validate_their_name_and_done_date() {
    let (_dir, mut store, id) = book();
    let config = Config::default();
    let mut m =
        MilestoneInput { journey: "adoption".into(), name: " ".into(), due: today(), done: None, note: String::new() };
    assert!(log::add_milestone(&mut ctx(&mut store, &config, "m").seam(), id, &m).is_err());
    m.name = "Second team live".into();
    m.done = Some(today() + Duration::days(2));
    assert!(log::add_milestone(&mut ctx(&mut store, &config, "m").seam(), id, &m).is_err());
    assert!(store.milestones_for(id).unwrap().is_empty());
}

#[test]
fn accounts_resolve_by_external_id_or_unambiguous_prefix() {
    let (_dir, mut store, id) = book();
    store.write(|w| w.insert_account(&NewAccount::new("ACME-2", "Acme Foods"))).unwrap();
    assert_eq!(resolve_account(&store, "ACME-1").unwrap(), id);
    assert_eq!(resolve_account(&store, "acme an").unwrap(), id);
    assert!(matches!(resolve_account(&store, "Acme"), Err(ResolveError::Ambiguous { .. })));
    let err = resolve_account(&store, "Acme").unwrap_err().to_string();
    assert!(err.contains("Acme Analytics (ACME-1)") && err.contains("Acme Foods (ACME-2)"), "{err}");
    assert!(matches!(resolve_account(&store, "Globex"), Err(ResolveError::Unknown { .. })));
    // LIKE wildcards in the query are taken literally.
    assert!(matches!(resolve_account(&store, "%"), Err(ResolveError::Unknown { .. })));
    // An external id in any case; a typo of a name gets the closest one.
    assert_eq!(resolve_account(&store, "acme-1").unwrap(), id);
    let typo = resolve_account(&store, "Acme Analitics").unwrap_err().to_string();
    assert!(typo.contains("did you mean Acme Analytics?"), "{typo}");
    // Names alike but for case: the one written just so, else both named (it picked the first).
    let (shout, quiet) = store
        .write(|w| {
            Ok((
                w.insert_account(&NewAccount::new("ACME-3", "ACME, Inc."))?,
                w.insert_account(&NewAccount::new("ACME-4", "Acme, Inc."))?,
            ))
        })
        .unwrap();
    assert_eq!(resolve_account(&store, "Acme, Inc.").unwrap(), quiet);
    assert_eq!(resolve_account(&store, "ACME, Inc.").unwrap(), shout);
    let both = resolve_account(&store, "acme, inc.").unwrap_err().to_string();
    assert!(both.contains("ACME-3") && both.contains("ACME-4"), "{both}");
    // Any script's case, not ASCII's alone.
    let zurich = store.write(|w| w.insert_account(&NewAccount::new("ZH-1", "Zürich Größe AG"))).unwrap();
    assert_eq!(resolve_account(&store, "ZÜRICH").unwrap(), zurich);
    assert_eq!(resolve_account(&store, "zürich größe ag").unwrap(), zurich);
}

#[test]
fn the_timeline_lists_everything_newest_first() {
    let (_dir, mut store, id) = book();
    let config = Config::default();
    let mut touch = EntryInput::new(EntryKind::Touch, today() - Duration::days(3));
    touch.channel = Some(TouchChannel::Qbr);
    touch.note = "Quarterly review".into();
    log::log_entry(&mut ctx(&mut store, &config, "t"), id, &touch).unwrap();
    log::log_entry(&mut ctx(&mut store, &config, "t"), id, &sentiment(9)).unwrap();
    let detail = tbook::account_detail(&store, &config, id, today()).unwrap();
    let kinds: Vec<&str> = detail.timeline.iter().map(|t| t.kind).collect();
    assert_eq!(kinds, vec!["sentiment", "touch"]);
    assert_eq!(detail.timeline[1].text, "qbr · Quarterly review");
}

#[test]
fn demo_has_goals_and_milestones_in_every_status() {
    let (_dir, store) = demo_store(60);
    let mut goal_statuses = std::collections::HashSet::new();
    let mut states = std::collections::HashSet::new();
    for (id, _) in store.account_names().unwrap() {
        goal_statuses.extend(store.goals_for(id).unwrap().into_iter().map(|g| g.status));
        states.extend(store.milestones_for(id).unwrap().into_iter().map(|m| m.state_on(today())));
    }
    for s in GoalStatus::ALL {
        assert!(goal_statuses.contains(&s), "no {s:?} goal in the demo");
    }
    for s in [MilestoneState::Done, MilestoneState::Due, MilestoneState::Overdue] {
        assert!(states.contains(&s), "no {s:?} milestone in the demo");
    }
}
