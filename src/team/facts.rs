//! The facts an account's factors are derived from, read from a team book: the same facts, in
//! the same order, as the SQLite book's `store::facts` reads (a conformance test holds them to
//! the same scores). Text is ordered by bytes (`COLLATE "C"`), as SQLite orders it.

use super::TeamBook;
use super::read::segment_input;
use crate::book::storage::BookError;
use crate::domain::{AccountFacts, Catalog, SegmentInputs};
use crate::store::facts::{AccountFields, BookDays, Collector, Fact, FactNeeds, METRIC_DAYS, METRIC_DAYS_OF};

impl TeamBook {
    /// The team book's days every account's facts carry, as `store::facts::book_days` reads a
    /// book file's.
    pub(crate) fn team_book_days(&self) -> Result<BookDays, BookError> {
        let counts = self.counts_text()?;
        let metrics = self.rows("SELECT key, value FROM book_meta WHERE starts_with(key, $1)", &[&METRIC_DAYS_OF])?;
        let bugs = self.rows("SELECT min(day) FROM entries WHERE kind = 'bug' AND deleted_at IS NULL", &[])?;
        let accounts = self.rows("SELECT coalesce(max(id), 0) FROM accounts", &[])?;
        Ok(BookDays::from_counts(
            counts.as_deref(),
            metrics.iter().map(|r| (r.get::<_, String>(0), r.get::<_, String>(1))),
            bugs.first().and_then(|r| r.get::<_, Option<String>>(0)).and_then(|d| d.parse().ok()),
            accounts.first().map_or(0, |r| r.get::<_, i64>(0)).max(0) as u64,
        ))
    }

    fn counts_text(&self) -> Result<Option<String>, BookError> {
        let counts = self.rows("SELECT value FROM book_meta WHERE key = $1", &[&METRIC_DAYS])?;
        Ok(counts.first().map(|r| r.get::<_, String>(0)))
    }

    pub(crate) fn team_account_facts(&self, account_id: i64, catalog: &Catalog) -> Result<AccountFacts, BookError> {
        let id = &account_id;
        let rows = self.rows(
            "SELECT customer_since, expected_usage, arr_cents, volume_score, advocacy_score, brand_score
             FROM accounts WHERE id = $1",
            &[id],
        )?;
        let a = rows.first().ok_or_else(|| self.bad_value(format!("no account {account_id}")))?;
        let book = self.team_book_days()?.for_catalog(catalog);
        let mut c = Collector::of(
            catalog,
            AccountFields {
                data_days: book.data_days,
                metric_days: book.slots,
                broad_metrics: book.broad_slots,
                bugs_since: book.bugs_since,
                customer_since: self.day_or_none(a.get(0))?,
                expected_usage: a.get(1),
                arr_cents: a.get(2),
                inputs: SegmentInputs {
                    volume: segment_input(a.get(3)),
                    advocacy: segment_input(a.get(4)),
                    brand: segment_input(a.get(5)),
                },
            },
        );
        for r in self.rows(
            "SELECT metric, day, value FROM metric_samples WHERE account_id = $1 ORDER BY metric COLLATE \"C\", day COLLATE \"C\"",
            &[id],
        )? {
            let slot = catalog.metric_slot(r.get(0));
            c.add(Fact::Sample { slot, day: self.day(r.get(1))?, value: r.get(2) });
        }
        for r in self.rows(
            "SELECT kind, day, score, role FROM entries WHERE deleted_at IS NULL AND account_id = $1
             ORDER BY kind COLLATE \"C\", day COLLATE \"C\", id",
            &[id],
        )? {
            let score = r.get::<_, Option<i64>>(2).map(|s| s as f64);
            let kind = crate::domain::entry::EntryKind::from_key(r.get(0));
            c.add(Fact::Entry { kind, day: self.day(r.get(1))?, score, role: r.get(3) });
        }
        for r in self.rows(
            "SELECT g.id, g.created_on, s.day, s.status FROM goals g JOIN goal_status_changes s ON s.goal_id = g.id
             WHERE g.deleted_at IS NULL AND g.account_id = $1 ORDER BY g.id, s.day COLLATE \"C\", s.id",
            &[id],
        )? {
            c.add(Fact::GoalStatus {
                goal_id: r.get(0),
                created: self.day(r.get(1))?,
                day: self.day(r.get(2))?,
                status: r.get(3),
            });
        }
        for r in self.rows(
            "SELECT due, done FROM milestone_rows WHERE deleted_at IS NULL AND account_id = $1
             ORDER BY due COLLATE \"C\", id",
            &[id],
        )? {
            c.add(Fact::Milestone { due: self.day(r.get(0))?, done: self.day_or_none(r.get(1))? });
        }
        for r in self.rows("SELECT due FROM planned_milestones WHERE account_id = $1 ORDER BY due, id", &[id])? {
            c.add(Fact::Milestone { due: crate::store::bulk::from_epoch_day(r.get(0)), done: None });
        }
        let needs = FactNeeds::of(catalog);
        if needs.attributes {
            for (key, value) in self.team_account_attributes(*id)? {
                c.add(Fact::Attribute { key, value });
            }
        }
        if needs.contacts {
            for r in self.rows(
                "SELECT role, created_on, left_on FROM contacts WHERE deleted_at IS NULL AND account_id = $1
                 ORDER BY created_on COLLATE \"C\", id",
                &[id],
            )? {
                c.add(Fact::Contact { role: r.get(0), since: self.day(r.get(1))?, left: self.day_or_none(r.get(2))? });
            }
        }
        if needs.role_touches {
            for r in self.rows(
                "SELECT DISTINCT c.role, e.day, e.id FROM entries e
                 JOIN contacts c ON c.account_id = e.account_id AND strpos(e.contact_ids, ',' || c.id || ',') > 0
                 WHERE e.deleted_at IS NULL AND e.kind = 'touch' AND e.contact_ids <> '' AND c.deleted_at IS NULL
                   AND c.role <> '' AND e.account_id = $1
                 ORDER BY c.role COLLATE \"C\", e.day COLLATE \"C\", e.id",
                &[id],
            )? {
                c.add(Fact::RoleTouch { role: r.get(0), day: self.day(r.get(1))? });
            }
        }
        Ok(c.finish())
    }
}
