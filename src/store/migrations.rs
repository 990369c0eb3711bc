//! The schema, as an append-only list of migrations. Never edit a released step: add one.

use std::sync::LazyLock;

use rusqlite_migration::{M, Migrations};

pub static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(
        STEPS
            .iter()
            .enumerate()
            .map(|(i, sql)| match i + 1 >= CHECKED_FROM && !ADDS_ONLY.contains(&(i + 1)) {
                // Migrations run with foreign keys off: a step that rebuilds a table must not
                // leave a row pointing at nothing, and the check refuses it if it does.
                true => M::up(sql).foreign_key_check(),
                false if i + 1 == METRIC_DAYS_STEP => M::up_with_hook(sql, metric_days_of_samples),
                false if i + 1 == CHAT_STEP => M::up_with_hook(sql, touches_by_chat),
                false => M::up(sql),
            })
            .collect(),
    )
});

/// The first step checked for dangling foreign keys (earlier steps ran with foreign keys on).
const CHECKED_FROM: usize = 11;

/// Steps that only add a table, or empty a cache no key points at, and move no row: nothing can
/// dangle after them, and the check reads every row of the book (0.86 s at 100,000 accounts, the
/// whole file of a million-account book) on the first open after an upgrade.
const ADDS_ONLY: &[usize] = &[26, 27, 28, 29, 30, 31];

/// The step that works each metric's own sample counts out (`metric_days_of_samples`).
const METRIC_DAYS_STEP: usize = 30;

/// The step that lets a touch be a chat (`touches_by_chat`).
const CHAT_STEP: usize = 31;

/// The entries' check on a touch's channel, before and after chats.
const CHANNELS_BEFORE: &str = "channel IN ('call', 'email', 'meeting', 'qbr', 'onsite')";
const CHANNELS_WITH_CHAT: &str = "channel IN ('call', 'email', 'meeting', 'qbr', 'onsite', 'chat')";

/// A touch may be a chat (an Intercom or Zendesk conversation): the entries' CHECK takes one more
/// channel. SQLite has no ALTER for a CHECK; its documented way to loosen one is to edit the
/// table's text in the schema and bump the schema's version (lang_altertable.html, "Making Other
/// Kinds Of Table Schema Changes"): every row that met the old check meets the new one, so no
/// row is read, and the table, its indexes and the triggers on it stay as they are (rebuilding
/// a million-account book's entries would copy every one).
fn touches_by_chat(tx: &rusqlite::Transaction) -> rusqlite_migration::HookResult {
    let version: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    tx.execute_batch("PRAGMA writable_schema = ON")?;
    tx.execute(
        "UPDATE sqlite_schema SET sql = replace(sql, ?1, ?2) WHERE type = 'table' AND name = 'entries'",
        [CHANNELS_BEFORE, CHANNELS_WITH_CHAT],
    )?;
    tx.execute_batch(&format!("PRAGMA schema_version = {}; PRAGMA writable_schema = RESET;", version + 1))?;
    Ok(())
}

/// Each metric's sample counts by day, read from the samples in one pass and kept under
/// `facts::metric_key`: SQL's `GROUP BY metric, day` sorted every sample first (4.4 s at 100,000
/// accounts on the first open after the upgrade), one read of them counts as it goes.
fn metric_days_of_samples(tx: &rusqlite::Transaction) -> rusqlite_migration::HookResult {
    let mut tallies = crate::domain::data_days::MetricTallies::default();
    let mut stmt = tx.prepare("SELECT metric, day FROM metric_samples")?;
    let mut rows = stmt.query([])?;
    // Rows go by account, metric and day: a day is parsed when it is not the last one's.
    let mut last: (Vec<u8>, Option<chrono::NaiveDate>) = (Vec::new(), None);
    while let Some(row) = rows.next()? {
        let day = row.get_ref(1)?.as_bytes().map_err(rusqlite::Error::from)?;
        if day != last.0.as_slice() {
            last = (day.to_vec(), std::str::from_utf8(day).ok().and_then(|d| d.parse().ok()));
        }
        if let Some(day) = last.1 {
            tallies.add(row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?, day);
        }
    }
    for (metric, tally) in tallies.iter() {
        tx.execute(
            "INSERT OR REPLACE INTO book_meta (key, value) VALUES (?1, ?2)",
            [super::facts::metric_key(metric), crate::domain::data_days::counts_text(&tally.counts())],
        )?;
    }
    Ok(())
}

/// Each step's SQL, oldest first. The database's `user_version` counts the steps applied.
pub const STEPS: &[&str] = &[
    // 1: the book of business.
    r#"
-- Facts about the book itself, e.g. kind = 'demo' for a demo book.
CREATE TABLE book_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE csms (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE,
    email TEXT
);

CREATE TABLE accounts (
    id             INTEGER PRIMARY KEY,
    external_id    TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    csm_id         INTEGER REFERENCES csms(id) ON DELETE SET NULL,
    arr_cents      INTEGER NOT NULL DEFAULT 0 CHECK (arr_cents >= 0),
    currency       TEXT NOT NULL DEFAULT 'USD',
    plan           TEXT,
    customer_since TEXT,
    renewal_date   TEXT,
    stage          TEXT NOT NULL DEFAULT 'adoption'
                   CHECK (stage IN ('onboarding', 'adoption', 'renewal', 'expansion', 'advocacy')),
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'churned', 'renewed')),
    churned_on     TEXT,
    volume_score   INTEGER CHECK (volume_score BETWEEN 1 AND 4),
    advocacy_score INTEGER CHECK (advocacy_score BETWEEN 1 AND 4),
    brand_score    INTEGER CHECK (brand_score BETWEEN 1 AND 4),
    expected_usage REAL CHECK (expected_usage >= 0),
    tags           TEXT NOT NULL DEFAULT '',
    notes          TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX accounts_csm ON accounts(csm_id);

-- (account, metric, day, value), e.g. from usage and billing exports.
CREATE TABLE metric_samples (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    metric     TEXT NOT NULL,
    day        TEXT NOT NULL,
    value      REAL NOT NULL,
    PRIMARY KEY (account_id, metric, day)
) WITHOUT ROWID;

-- Log entries that factors read. `day` is when it happened; `logged_at` when it was written.
CREATE TABLE entries (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csm_id     INTEGER REFERENCES csms(id) ON DELETE SET NULL,
    kind       TEXT NOT NULL,
    day        TEXT NOT NULL,
    score      INTEGER,
    channel    TEXT,
    title      TEXT,
    closed_on  TEXT,
    note       TEXT NOT NULL DEFAULT '',
    logged_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    CHECK (kind <> 'sentiment' OR score BETWEEN 1 AND 10),
    CHECK (kind <> 'nps' OR score BETWEEN 0 AND 10),
    CHECK (kind <> 'touch' OR channel IN ('call', 'email', 'meeting', 'qbr', 'onsite'))
);
CREATE INDEX entries_account ON entries(account_id, kind, day);

-- Factor raw values per account per day: a cache of what the domain derives from the facts
-- above, so a large book opens without re-reading every sample. Rebuilt whenever it is stale.
CREATE TABLE factor_snapshots (
    account_id          INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    day                 TEXT NOT NULL,
    sentiment           REAL,
    usage_vs_expected   REAL,
    usage_growth        REAL,
    bugs_escalated      REAL,
    nps                 REAL,
    support_tickets     REAL,
    active_users        REAL,
    days_since_login    REAL,
    days_since_touch    REAL,
    days_to_first_login REAL,
    early_logins        REAL,
    PRIMARY KEY (account_id, day)
) WITHOUT ROWID;
CREATE INDEX factor_snapshots_day ON factor_snapshots(day);
"#,
    // 2: goals, journey milestones, risk flags, soft deletes and the undo log.
    r#"
ALTER TABLE entries ADD COLUMN deleted_at TEXT;

ALTER TABLE factor_snapshots ADD COLUMN goals_on_track REAL;
ALTER TABLE factor_snapshots ADD COLUMN overdue_milestones REAL;
-- Cached values predate the two new factors: let them be derived afresh.
DELETE FROM factor_snapshots;

CREATE TABLE goals (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csm_id      INTEGER REFERENCES csms(id) ON DELETE SET NULL,
    words       TEXT NOT NULL CHECK (length(trim(words)) > 0),
    measure     TEXT NOT NULL DEFAULT '',
    target_date TEXT,
    owner_side  TEXT NOT NULL CHECK (owner_side IN ('customer', 'vendor')),
    status      TEXT NOT NULL CHECK (status IN ('on_track', 'at_risk', 'off_track', 'achieved', 'dropped')),
    created_on  TEXT NOT NULL,
    logged_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    deleted_at  TEXT
);
CREATE INDEX goals_account ON goals(account_id);

-- Every status a goal has had, the first being the one it was set with.
CREATE TABLE goal_status_changes (
    id        INTEGER PRIMARY KEY,
    goal_id   INTEGER NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
    csm_id    INTEGER REFERENCES csms(id) ON DELETE SET NULL,
    day       TEXT NOT NULL,
    status    TEXT NOT NULL CHECK (status IN ('on_track', 'at_risk', 'off_track', 'achieved', 'dropped')),
    note      TEXT NOT NULL DEFAULT '',
    logged_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX goal_status_changes_goal ON goal_status_changes(goal_id, day);

CREATE TABLE milestones (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csm_id     INTEGER REFERENCES csms(id) ON DELETE SET NULL,
    journey    TEXT NOT NULL CHECK (journey IN ('onboarding', 'adoption', 'renewal', 'expansion', 'advocacy')),
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    due        TEXT NOT NULL,
    done       TEXT,
    note       TEXT NOT NULL DEFAULT '',
    logged_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    deleted_at TEXT
);
CREATE INDEX milestones_account ON milestones(account_id);

-- Every change made through tend, so a session can undo its own changes, newest first.
-- `before` holds the changed row as JSON before the change (NULL for an addition).
CREATE TABLE changes (
    id        INTEGER PRIMARY KEY,
    session   TEXT NOT NULL,
    at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    entity    TEXT NOT NULL CHECK (entity IN ('entry', 'goal', 'milestone')),
    entity_id INTEGER NOT NULL,
    action    TEXT NOT NULL CHECK (action IN ('add', 'edit', 'delete', 'status')),
    -- Changes made together (a journey's milestones) share a batch and are undone together.
    batch     TEXT NOT NULL,
    -- For a status change: the goal_status_changes row it added.
    detail_id INTEGER,
    summary   TEXT NOT NULL,
    before    TEXT,
    undone_at TEXT
);
CREATE INDEX changes_session ON changes(session, id);
"#,
    // 3: imports: attributes kept from unknown columns, and dated ARR changes for NRR/GRR.
    r#"
CREATE TABLE account_attributes (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    PRIMARY KEY (account_id, key)
) WITHOUT ROWID;

CREATE TABLE arr_changes (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    day        TEXT NOT NULL,
    old_cents  INTEGER NOT NULL,
    new_cents  INTEGER NOT NULL,
    source     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX arr_changes_account ON arr_changes(account_id, day);
"#,
    // 4: health history (a daily cache of every account's score) and triage marks.
    r#"
-- One row per account per day it had a score. `day` counts days since 1970-01-01 and `points`
-- packs each factor's points (see domain::history::PackedPoints): months of a large book's
-- history stay small. Keyed by day first, so the whole book on one day is one range. No foreign
-- key: accounts are only deleted when the whole book is cleared, which clears this too.
CREATE TABLE health_history (
    day        INTEGER NOT NULL,
    account_id INTEGER NOT NULL,
    score      INTEGER NOT NULL,
    points     INTEGER NOT NULL,
    PRIMARY KEY (day, account_id)
) WITHOUT ROWID;

-- Days whose history is complete for every account except those in history_stale.
CREATE TABLE history_days (day INTEGER PRIMARY KEY);

-- Accounts whose facts changed after their history was computed.
CREATE TABLE history_stale (account_id INTEGER PRIMARY KEY);

-- Accounts with at least one history row: only these have old rows to clear when recomputed.
CREATE TABLE history_accounts (account_id INTEGER PRIMARY KEY);

-- A CSM's triage decisions: handled (until a new reason appears) or snoozed until a day.
-- `reasons` lists the reason keys the account had when it was marked.
CREATE TABLE triage_marks (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    state      TEXT NOT NULL CHECK (state IN ('handled', 'snoozed')),
    marked_on  TEXT NOT NULL,
    until      TEXT,
    reasons    TEXT NOT NULL
);

-- The latest metric sample day: "data current to" in the status line, kept by every write.
INSERT INTO book_meta (key, value)
    SELECT 'metrics_through', d FROM (SELECT max(day) AS d FROM metric_samples) WHERE d IS NOT NULL;

-- Open risk flags are few among many entries: triage finds them without reading the rest.
CREATE INDEX entries_risks ON entries(account_id) WHERE kind = 'risk' AND deleted_at IS NULL;
"#,
    // 5: contract events: renewals and churns recorded as they happen.
    r#"
CREATE TABLE contract_events (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csm_id         INTEGER REFERENCES csms(id) ON DELETE SET NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('renewed', 'churned')),
    day            TEXT NOT NULL,
    renewal_before TEXT,
    renewal_after  TEXT,
    arr_before     INTEGER NOT NULL,
    arr_after      INTEGER NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    logged_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX contract_events_account ON contract_events(account_id, day);
"#,
    // 6: band overrides: a CSM's judgement over the computed band, with a reason and an expiry.
    r#"
CREATE TABLE band_overrides (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csm_id     INTEGER REFERENCES csms(id) ON DELETE SET NULL,
    band       TEXT NOT NULL CHECK (band IN ('green', 'yellow', 'orange', 'red')),
    reason     TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    set_on     TEXT NOT NULL,
    -- The first day the override no longer applies.
    expires_on TEXT NOT NULL,
    cleared_on TEXT,
    logged_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX band_overrides_account ON band_overrides(account_id, set_on);
"#,
    // 7: which factors' data is stale, cached with the values (recomputed from the facts).
    r#"
ALTER TABLE factor_snapshots ADD COLUMN stale_mask INTEGER NOT NULL DEFAULT 0;
DELETE FROM factor_snapshots;
"#,
    // 8: changes to the score's weights and thresholds saved from the Scoring view.
    r#"
CREATE TABLE scoring_changes (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    config_path TEXT NOT NULL,
    summary     TEXT NOT NULL
);
"#,
    // 9: renewals, churns and band overrides can be undone like log entries: soft deletes for
    // their rows, and the undo log takes the new kinds of change (SQLite cannot widen a CHECK in
    // place, so the table is rebuilt; nothing refers to it).
    r#"
ALTER TABLE contract_events ADD COLUMN deleted_at TEXT;
ALTER TABLE band_overrides ADD COLUMN deleted_at TEXT;
ALTER TABLE arr_changes ADD COLUMN deleted_at TEXT;

CREATE TABLE changes_new (
    id        INTEGER PRIMARY KEY,
    session   TEXT NOT NULL,
    at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    entity    TEXT NOT NULL CHECK (entity IN
                  ('entry', 'goal', 'milestone', 'account', 'contract_event', 'band_override', 'arr_change')),
    entity_id INTEGER NOT NULL,
    action    TEXT NOT NULL CHECK (action IN ('add', 'edit', 'delete', 'status')),
    batch     TEXT NOT NULL,
    detail_id INTEGER,
    summary   TEXT NOT NULL,
    before    TEXT,
    undone_at TEXT
);
INSERT INTO changes_new (id, session, at, entity, entity_id, action, batch, detail_id, summary, before, undone_at)
    SELECT id, session, at, entity, entity_id, action, batch, detail_id, summary, before, undone_at FROM changes;
DROP TABLE changes;
ALTER TABLE changes_new RENAME TO changes;
CREATE INDEX changes_session ON changes(session, id);
"#,
    // 10: factors come from config, so cached values are one packed blob per account and day
    // (each factor of the config's catalog in order, 8 bytes, NaN for missing) instead of a column
    // per built-in factor. History points moved their profile bits: both caches start afresh.
    r#"
DROP TABLE factor_snapshots;
CREATE TABLE factor_snapshots (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    day        TEXT NOT NULL,
    vals       BLOB NOT NULL,
    stale_mask INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, day)
) WITHOUT ROWID;
CREATE INDEX factor_snapshots_day ON factor_snapshots(day);
DELETE FROM health_history;
DELETE FROM history_days;
DELETE FROM history_accounts;
DELETE FROM history_stale;
"#,
    // 11: the accounts table rebuilt with the same rows and ids, made cheaper to fill in bulk:
    // stage and status checked by comparisons instead of IN lists (SQLite builds a temporary
    // b-tree for each IN list on every insert, a tenth of a big import), and the values of
    // imported columns tend has no field for kept with the account as one JSON object instead of
    // a row each in account_attributes (a second insert per row). Migrations run with foreign
    // keys off (see Store::setup), so dropping the old table leaves the rows that refer to it.
    r#"
CREATE TABLE accounts_new (
    id             INTEGER PRIMARY KEY,
    external_id    TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    csm_id         INTEGER REFERENCES csms(id) ON DELETE SET NULL,
    arr_cents      INTEGER NOT NULL DEFAULT 0 CHECK (arr_cents >= 0),
    currency       TEXT NOT NULL DEFAULT 'USD',
    plan           TEXT,
    customer_since TEXT,
    renewal_date   TEXT,
    stage          TEXT NOT NULL DEFAULT 'adoption'
                   CHECK (stage = 'onboarding' OR stage = 'adoption' OR stage = 'renewal'
                          OR stage = 'expansion' OR stage = 'advocacy'),
    status         TEXT NOT NULL DEFAULT 'active'
                   CHECK (status = 'active' OR status = 'churned' OR status = 'renewed'),
    churned_on     TEXT,
    volume_score   INTEGER CHECK (volume_score BETWEEN 1 AND 4),
    advocacy_score INTEGER CHECK (advocacy_score BETWEEN 1 AND 4),
    brand_score    INTEGER CHECK (brand_score BETWEEN 1 AND 4),
    expected_usage REAL CHECK (expected_usage >= 0),
    tags           TEXT NOT NULL DEFAULT '',
    notes          TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    -- {"column header": "value", ...}, or NULL when the account has none.
    attributes     TEXT CHECK (attributes IS NULL OR json_type(attributes) = 'object')
);
INSERT INTO accounts_new (id, external_id, name, csm_id, arr_cents, currency, plan, customer_since, renewal_date,
        stage, status, churned_on, volume_score, advocacy_score, brand_score, expected_usage, tags, notes,
        created_at, updated_at, attributes)
    SELECT id, external_id, name, csm_id, arr_cents, currency, plan, customer_since, renewal_date,
        stage, status, churned_on, volume_score, advocacy_score, brand_score, expected_usage, tags, notes,
        created_at, updated_at,
        (SELECT json_group_object(t.key, t.value) FROM account_attributes t WHERE t.account_id = accounts.id)
    FROM accounts;
DROP TABLE account_attributes;
DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;
CREATE INDEX accounts_csm ON accounts(csm_id);
"#,
    // 12: no index of accounts by CSM. No query reads accounts by CSM (the views filter the book
    // in memory), and a CSM is only ever deleted after every account is; keeping the index up
    // cost a bulk import a tenth of its time.
    r#"
DROP INDEX accounts_csm;
"#,
    // 13: journeys are the team's own: a milestone's journey is any name a config gave it (the
    // five built-in ones, "qbr", "pilot"), kept even after its template is removed. The table is
    // rebuilt with the same rows and ids, without the fixed list.
    r#"
CREATE TABLE milestones_new (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csm_id     INTEGER REFERENCES csms(id) ON DELETE SET NULL,
    journey    TEXT NOT NULL CHECK (length(trim(journey)) > 0),
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    due        TEXT NOT NULL,
    done       TEXT,
    note       TEXT NOT NULL DEFAULT '',
    logged_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    deleted_at TEXT
);
INSERT INTO milestones_new (id, account_id, csm_id, journey, name, due, done, note, logged_at, deleted_at)
    SELECT id, account_id, csm_id, journey, name, due, done, note, logged_at, deleted_at FROM milestones;
DROP TABLE milestones;
ALTER TABLE milestones_new RENAME TO milestones;
CREATE INDEX milestones_account ON milestones(account_id);

-- A churned customer can come back: a 'reactivated' contract event marks the day.
CREATE TABLE contract_events_new (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csm_id         INTEGER REFERENCES csms(id) ON DELETE SET NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('renewed', 'churned', 'reactivated')),
    day            TEXT NOT NULL,
    renewal_before TEXT,
    renewal_after  TEXT,
    arr_before     INTEGER NOT NULL,
    arr_after      INTEGER NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    logged_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    deleted_at     TEXT
);
INSERT INTO contract_events_new (id, account_id, csm_id, kind, day, renewal_before, renewal_after, arr_before,
        arr_after, reason, logged_at, deleted_at)
    SELECT id, account_id, csm_id, kind, day, renewal_before, renewal_after, arr_before,
        arr_after, reason, logged_at, deleted_at FROM contract_events;
DROP TABLE contract_events;
ALTER TABLE contract_events_new RENAME TO contract_events;
CREATE INDEX contract_events_account ON contract_events(account_id, day);
"#,
    // 14: a cache that cannot go stale. Every write that changes an account's facts bumps its
    // facts_version in the same transaction; a reader stores factor values only if the version is
    // still the one it read before reading the facts, and clears a stale history mark only if it
    // is still the mark it recomputed for.
    r#"
ALTER TABLE accounts ADD COLUMN facts_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE history_stale ADD COLUMN facts_version INTEGER NOT NULL DEFAULT 0;
"#,
    // 15: the health history keeps only the days the screens read (today and each window back),
    // not every day of `history.days`: the old daily rows are dropped, and the next open computes
    // the few days it reads.
    r#"
DELETE FROM health_history;
DELETE FROM history_days;
DELETE FROM history_accounts;
DELETE FROM history_stale;
DELETE FROM book_meta WHERE key = 'history_max_account';
"#,
    // 16: the head of the triage list as last worked out, per scope (everyone, or one CSM), so
    // the next open shows it at once. It holds only while the book is at the generation it was
    // worked out at: every write transaction counts one more (book_meta 'generation').
    r#"
CREATE TABLE triage_heads (
    scope      TEXT PRIMARY KEY,
    day        TEXT NOT NULL,
    config     TEXT NOT NULL,
    generation INTEGER NOT NULL,
    body       TEXT NOT NULL
);
"#,
    // 17: one search over what people write: log notes and titles (risks among them), goals,
    // and milestones with a note, kept current by triggers. Account names and ids and CSMs are
    // matched in their own tables: a full-text index of a million account names would cost more
    // than the import that brings them. A row's rowid is its source row's id * 8 + a code for its
    // table (3 entries, 4 goals, 5 milestones). Deleted rows and entries without words leave it.
    r#"
CREATE VIRTUAL TABLE search USING fts5(
    body, kind UNINDEXED, account_id UNINDEXED, ref UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2', detail = none
);

CREATE TRIGGER search_entry_insert AFTER INSERT ON entries
    WHEN NEW.deleted_at IS NULL AND (NEW.note <> '' OR coalesce(NEW.title, '') <> '') BEGIN
    INSERT INTO search (rowid, body, kind, account_id, ref)
        VALUES (NEW.id * 8 + 3, trim(coalesce(NEW.title, '') || ' ' || NEW.note), NEW.kind, NEW.account_id, NEW.id);
END;
CREATE TRIGGER search_entry_update AFTER UPDATE OF title, note, deleted_at, kind, account_id ON entries BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 3;
    INSERT INTO search (rowid, body, kind, account_id, ref)
        SELECT NEW.id * 8 + 3, trim(coalesce(NEW.title, '') || ' ' || NEW.note), NEW.kind, NEW.account_id, NEW.id
        WHERE NEW.deleted_at IS NULL AND (NEW.note <> '' OR coalesce(NEW.title, '') <> '');
END;
CREATE TRIGGER search_entry_delete AFTER DELETE ON entries BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 3;
END;

CREATE TRIGGER search_goal_insert AFTER INSERT ON goals WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO search (rowid, body, kind, account_id, ref)
        VALUES (NEW.id * 8 + 4, trim(NEW.words || ' ' || NEW.measure), 'goal', NEW.account_id, NEW.id);
END;
CREATE TRIGGER search_goal_update AFTER UPDATE OF words, measure, deleted_at, account_id ON goals BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 4;
    INSERT INTO search (rowid, body, kind, account_id, ref)
        SELECT NEW.id * 8 + 4, trim(NEW.words || ' ' || NEW.measure), 'goal', NEW.account_id, NEW.id
        WHERE NEW.deleted_at IS NULL;
END;
CREATE TRIGGER search_goal_delete AFTER DELETE ON goals BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 4;
END;

CREATE TRIGGER search_milestone_insert AFTER INSERT ON milestones
    WHEN NEW.deleted_at IS NULL AND NEW.note <> '' BEGIN
    INSERT INTO search (rowid, body, kind, account_id, ref)
        VALUES (NEW.id * 8 + 5, NEW.name || ' · ' || NEW.note, 'milestone', NEW.account_id, NEW.id);
END;
CREATE TRIGGER search_milestone_update AFTER UPDATE OF name, note, deleted_at, account_id ON milestones BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 5;
    INSERT INTO search (rowid, body, kind, account_id, ref)
        SELECT NEW.id * 8 + 5, NEW.name || ' · ' || NEW.note, 'milestone', NEW.account_id, NEW.id
        WHERE NEW.deleted_at IS NULL AND NEW.note <> '';
END;
CREATE TRIGGER search_milestone_delete AFTER DELETE ON milestones BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 5;
END;

INSERT INTO search (rowid, body, kind, account_id, ref)
    SELECT id * 8 + 3, trim(coalesce(title, '') || ' ' || note), kind, account_id, id FROM entries
    WHERE deleted_at IS NULL AND (note <> '' OR coalesce(title, '') <> '');
INSERT INTO search (rowid, body, kind, account_id, ref)
    SELECT id * 8 + 4, trim(words || ' ' || measure), 'goal', account_id, id FROM goals WHERE deleted_at IS NULL;
INSERT INTO search (rowid, body, kind, account_id, ref)
    SELECT id * 8 + 5, name || ' · ' || note, 'milestone', account_id, id FROM milestones
    WHERE deleted_at IS NULL AND note <> '';
"#,
    // 18: next steps and the people. Tasks (typed, or opened by a playbook), the episodes of each
    // playbook's trigger (so its tasks open once while it lasts), contacts with a role, and the
    // people a log entry (a touch) was with, as ",ID,ID," (restored whole by undo with its row).
    // The undo log takes the two new kinds of change; its CHECK cannot widen in place.
    r#"
CREATE TABLE tasks (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csm_id     INTEGER REFERENCES csms(id) ON DELETE SET NULL,
    owner_id   INTEGER REFERENCES csms(id) ON DELETE SET NULL,
    title      TEXT NOT NULL CHECK (length(trim(title)) > 0),
    due        TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
    closed_on  TEXT,
    note       TEXT NOT NULL DEFAULT '',
    playbook   TEXT NOT NULL DEFAULT '',
    created_on TEXT NOT NULL,
    logged_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    deleted_at TEXT
);
CREATE INDEX tasks_account ON tasks(account_id);
CREATE INDEX tasks_open_due ON tasks(due) WHERE status = 'open' AND deleted_at IS NULL;

CREATE TABLE playbook_episodes (
    id         INTEGER PRIMARY KEY,
    playbook   TEXT NOT NULL,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    started_on TEXT NOT NULL,
    ended_on   TEXT
);
CREATE UNIQUE INDEX playbook_episodes_open ON playbook_episodes(playbook, account_id) WHERE ended_on IS NULL;

CREATE TABLE contacts (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csm_id     INTEGER REFERENCES csms(id) ON DELETE SET NULL,
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    title      TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    role       TEXT NOT NULL DEFAULT '' CHECK (role IN
                   ('', 'champion', 'executive_sponsor', 'decision_maker', 'user', 'detractor')),
    status     TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')),
    left_on    TEXT,
    note       TEXT NOT NULL DEFAULT '',
    created_on TEXT NOT NULL,
    logged_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    deleted_at TEXT
);
CREATE INDEX contacts_account ON contacts(account_id);

ALTER TABLE entries ADD COLUMN contact_ids TEXT NOT NULL DEFAULT '';

CREATE TABLE changes_new (
    id        INTEGER PRIMARY KEY,
    session   TEXT NOT NULL,
    at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    entity    TEXT NOT NULL CHECK (entity IN ('entry', 'goal', 'milestone', 'account', 'contract_event',
                  'band_override', 'arr_change', 'task', 'contact')),
    entity_id INTEGER NOT NULL,
    action    TEXT NOT NULL CHECK (action IN ('add', 'edit', 'delete', 'status')),
    batch     TEXT NOT NULL,
    detail_id INTEGER,
    summary   TEXT NOT NULL,
    before    TEXT,
    undone_at TEXT
);
INSERT INTO changes_new (id, session, at, entity, entity_id, action, batch, detail_id, summary, before, undone_at)
    SELECT id, session, at, entity, entity_id, action, batch, detail_id, summary, before, undone_at FROM changes;
DROP TABLE changes;
ALTER TABLE changes_new RENAME TO changes;
CREATE INDEX changes_session ON changes(session, id);
"#,
    // 19: CSAT and CES responses beside NPS, and the role of the person who answered a survey.
    r#"
ALTER TABLE entries ADD COLUMN role TEXT NOT NULL DEFAULT '' CHECK (role IN
    ('', 'champion', 'executive_sponsor', 'decision_maker', 'user', 'detractor'));
-- The scales of the new kinds, held by the database as the older kinds' CHECKs are (a table
-- rebuild of every entry is not worth two constraints).
CREATE TRIGGER entries_survey_scale_insert BEFORE INSERT ON entries
    WHEN (NEW.kind = 'csat' AND (NEW.score IS NULL OR NEW.score NOT BETWEEN 1 AND 5))
      OR (NEW.kind = 'ces' AND (NEW.score IS NULL OR NEW.score NOT BETWEEN 1 AND 7))
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: a CSAT score is 1-5, a CES score 1-7'); END;
CREATE TRIGGER entries_survey_scale_update BEFORE UPDATE OF kind, score ON entries
    WHEN (NEW.kind = 'csat' AND (NEW.score IS NULL OR NEW.score NOT BETWEEN 1 AND 5))
      OR (NEW.kind = 'ces' AND (NEW.score IS NULL OR NEW.score NOT BETWEEN 1 AND 7))
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: a CSAT score is 1-5, a CES score 1-7'); END;
"#,
    // 20: a big import's book stays near the size of its file (issue 16: at most twice sqlite3's
    // own import of the same CSV). Accounts keep their created/updated stamps as Unix seconds (a
    // few bytes instead of 40 a row); the milestones a journey plans for new accounts are kept
    // as (account, step, due day) in `planned_milestones`, the journey and name once each in
    // `journey_steps`, instead of a full row each (845,000 of them for a million accounts).
    // `milestones` becomes a view of both, so every reader sees one list: a planned milestone
    // is settled into `milestone_rows`, under the same id, the first time it is changed (done,
    // edited, deleted). Both kinds share one sequence of ids.
    r#"
CREATE TABLE accounts_new (
    id             INTEGER PRIMARY KEY,
    external_id    TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    csm_id         INTEGER REFERENCES csms(id) ON DELETE SET NULL,
    arr_cents      INTEGER NOT NULL DEFAULT 0 CHECK (arr_cents >= 0),
    currency       TEXT NOT NULL DEFAULT 'USD',
    plan           TEXT,
    customer_since TEXT,
    renewal_date   TEXT,
    stage          TEXT NOT NULL DEFAULT 'adoption'
                   CHECK (stage = 'onboarding' OR stage = 'adoption' OR stage = 'renewal'
                          OR stage = 'expansion' OR stage = 'advocacy'),
    status         TEXT NOT NULL DEFAULT 'active'
                   CHECK (status = 'active' OR status = 'churned' OR status = 'renewed'),
    churned_on     TEXT,
    volume_score   INTEGER CHECK (volume_score BETWEEN 1 AND 4),
    advocacy_score INTEGER CHECK (advocacy_score BETWEEN 1 AND 4),
    brand_score    INTEGER CHECK (brand_score BETWEEN 1 AND 4),
    expected_usage REAL CHECK (expected_usage >= 0),
    tags           TEXT NOT NULL DEFAULT '',
    notes          TEXT NOT NULL DEFAULT '',
    -- Unix seconds (UTC): datetime(created_at, 'unixepoch') reads one.
    created_at     INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at     INTEGER NOT NULL DEFAULT (unixepoch()),
    -- {"column header": "value", ...}, or NULL when the account has none.
    attributes     TEXT CHECK (attributes IS NULL OR json_type(attributes) = 'object'),
    facts_version  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO accounts_new (id, external_id, name, csm_id, arr_cents, currency, plan, customer_since, renewal_date,
        stage, status, churned_on, volume_score, advocacy_score, brand_score, expected_usage, tags, notes,
        created_at, updated_at, attributes, facts_version)
    SELECT id, external_id, name, csm_id, arr_cents, currency, plan, customer_since, renewal_date,
        stage, status, churned_on, volume_score, advocacy_score, brand_score, expected_usage, tags, notes,
        coalesce(unixepoch(created_at), unixepoch()), coalesce(unixepoch(updated_at), unixepoch()), attributes,
        facts_version
    FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;

ALTER TABLE milestones RENAME TO milestone_rows;
DROP INDEX milestones_account;
CREATE INDEX milestone_rows_account ON milestone_rows(account_id);

CREATE TABLE journey_steps (
    id      INTEGER PRIMARY KEY,
    journey TEXT NOT NULL CHECK (length(trim(journey)) > 0),
    name    TEXT NOT NULL CHECK (length(trim(name)) > 0),
    UNIQUE (journey, name)
);
CREATE TABLE planned_milestones (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    step       INTEGER NOT NULL REFERENCES journey_steps(id),
    -- Days since 1970-01-01.
    due        INTEGER NOT NULL
);
CREATE INDEX planned_milestones_account ON planned_milestones(account_id);

-- A planned milestone is the account's CSM's until it is settled; 2440588 is the Julian day of
-- 1970-01-01, which date() reads.
CREATE VIEW milestones AS
    SELECT id, account_id, csm_id, journey, name, due, done, note, logged_at, deleted_at FROM milestone_rows
    UNION ALL
    SELECT p.id, p.account_id, a.csm_id, s.journey, s.name, date(2440588 + p.due), NULL, '', NULL, NULL
    FROM planned_milestones p JOIN journey_steps s ON s.id = p.step JOIN accounts a ON a.id = p.account_id;

CREATE TRIGGER milestones_insert INSTEAD OF INSERT ON milestones BEGIN
    INSERT INTO milestone_rows (id, account_id, csm_id, journey, name, due, done, note, logged_at, deleted_at)
        VALUES (coalesce(NEW.id, max(coalesce((SELECT max(id) FROM milestone_rows), 0),
                                     coalesce((SELECT max(id) FROM planned_milestones), 0)) + 1),
                NEW.account_id, NEW.csm_id, NEW.journey, NEW.name, NEW.due, NEW.done, coalesce(NEW.note, ''),
                coalesce(NEW.logged_at, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')), NEW.deleted_at);
END;
-- A change to a planned milestone settles it first, then changes it as any other.
CREATE TRIGGER milestones_update INSTEAD OF UPDATE ON milestones BEGIN
    INSERT INTO milestone_rows (id, account_id, csm_id, journey, name, due, done, note, logged_at, deleted_at)
        SELECT OLD.id, OLD.account_id, OLD.csm_id, OLD.journey, OLD.name, OLD.due, OLD.done, OLD.note,
               strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), OLD.deleted_at
        FROM planned_milestones WHERE id = OLD.id;
    DELETE FROM planned_milestones WHERE id = OLD.id;
    UPDATE milestone_rows SET account_id = NEW.account_id, csm_id = NEW.csm_id, journey = NEW.journey,
            name = NEW.name, due = NEW.due, done = NEW.done, note = NEW.note, deleted_at = NEW.deleted_at
        WHERE id = OLD.id;
END;
CREATE TRIGGER milestones_delete INSTEAD OF DELETE ON milestones BEGIN
    DELETE FROM planned_milestones WHERE id = OLD.id;
    DELETE FROM milestone_rows WHERE id = OLD.id;
END;
"#, // 21: the factor-value cache holds one day per account, the last worked out, instead of a row
    // per account for every day tend was opened on: at a million accounts that was 160 MB more
    // each day, for days nothing reads again (history is kept apart, from the facts). An
    // account whose factors have no value keeps an empty blob. A cache: dropped, not copied.
    r#"
DROP TABLE factor_snapshots;
CREATE TABLE factor_snapshots (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    day        TEXT NOT NULL,
    vals       BLOB NOT NULL,
    stale_mask INTEGER NOT NULL DEFAULT 0
);
"#,
    // 22: a row of the factor-value cache holds the days from `first` to `last` (day numbers, as
    // history keeps them), today's and those up to the next working day, worked out in the same
    // read of the facts: the next morning's first open finds them there instead of reading every
    // account's facts again. The stale mask of each day moves into the blob. A cache: dropped.
    r#"
DROP TABLE factor_snapshots;
CREATE TABLE factor_snapshots (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    first      INTEGER NOT NULL,
    last       INTEGER NOT NULL,
    vals       BLOB NOT NULL
);
"#,
    // 23: a Triage mark says who made it: on a team book a lead marks items on a CSM's list, and
    // the CSM sees whose decision hid them. Marks made before say no one.
    r#"
ALTER TABLE triage_marks ADD COLUMN csm_id INTEGER REFERENCES csms(id) ON DELETE SET NULL;
"#,
    // 24: the book's first bug logged, read on every scoring: a count of bugs is evidence only
    // once the book logs bugs at all (a touch made "0 bugs escalated" full points in a book whose
    // bugs are kept elsewhere).
    r#"
CREATE INDEX entries_bugs ON entries(day) WHERE kind = 'bug' AND deleted_at IS NULL;
"#,
    // 25: the book's sample counts by day ("2026-11-23=4000;2026-11-30=1"), kept by every write
    // of samples: an account's days since a login count to the newest day the book's usage data
    // covers (`domain::data_days`), which one account's later row (a correction, a row dated
    // ahead) no longer moves, as the newest sample day of any account did. They replace it.
    r#"
INSERT OR REPLACE INTO book_meta (key, value)
    SELECT 'metric_days', v
    FROM (SELECT group_concat(day || '=' || n, ';') AS v
          FROM (SELECT day, count(*) AS n FROM metric_samples GROUP BY day ORDER BY day))
    WHERE v IS NOT NULL;
DELETE FROM book_meta WHERE key = 'metrics_through';
"#,
    // 26: each account's facts packed into one blob (`store::fact_digest`), read instead of its
    // sample and entry rows while its facts version stands: a day nothing prepared read millions
    // of rows. A cache, made by the first pass over the book.
    r#"
CREATE TABLE fact_digests (
    account_id    INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    facts_version INTEGER NOT NULL,
    body          BLOB NOT NULL
);
"#,
    // 27: the health history keeps one row per account, its scores on the kept days packed in
    // one blob (`store::history`): a new day's pass wrote a row per account per new day (half a
    // million at 100,000 accounts) and deleted as many, and Triage read each day as a range of
    // its own. Which accounts have history is the table itself. A cache: dropped, worked out
    // again on the next open.
    r#"
DROP TABLE health_history;
DROP TABLE history_accounts;
DELETE FROM history_days;
DELETE FROM history_stale;
DELETE FROM book_meta WHERE key = 'history_max_account';
CREATE TABLE health_history (
    account_id INTEGER PRIMARY KEY,
    days       BLOB NOT NULL
);
"#,
    // 28: the search finds tasks (title and note) and people (name, job title, email, role,
    // note): a probe looked a champion up by name and found nothing. Row codes 6 (tasks) and 7
    // (contacts), after step 17's; each row's words (joined by " · " as the hit shows them) are
    // said once, in a view the triggers and the first fill read.
    r#"
CREATE VIEW search_task_words AS
    SELECT id, account_id, title || iif(note <> '', ' · ' || note, '') AS body
    FROM tasks WHERE deleted_at IS NULL;
CREATE VIEW search_contact_words AS
    SELECT id, account_id,
           name || iif(title <> '', ' · ' || title, '') || iif(email <> '', ' · ' || email, '')
               || iif(role <> '', ' · ' || replace(role, '_', ' '), '') || iif(note <> '', ' · ' || note, '') AS body
    FROM contacts WHERE deleted_at IS NULL;

CREATE TRIGGER search_task_insert AFTER INSERT ON tasks WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO search (rowid, body, kind, account_id, ref)
        SELECT id * 8 + 6, body, 'task', account_id, id FROM search_task_words WHERE id = NEW.id;
END;
CREATE TRIGGER search_task_update AFTER UPDATE OF title, note, deleted_at, account_id ON tasks BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 6;
    INSERT INTO search (rowid, body, kind, account_id, ref)
        SELECT id * 8 + 6, body, 'task', account_id, id FROM search_task_words WHERE id = NEW.id;
END;
CREATE TRIGGER search_task_delete AFTER DELETE ON tasks BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 6;
END;

CREATE TRIGGER search_contact_insert AFTER INSERT ON contacts WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO search (rowid, body, kind, account_id, ref)
        SELECT id * 8 + 7, body, 'person', account_id, id FROM search_contact_words WHERE id = NEW.id;
END;
CREATE TRIGGER search_contact_update AFTER UPDATE OF name, title, email, role, note, deleted_at, account_id ON contacts BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 7;
    INSERT INTO search (rowid, body, kind, account_id, ref)
        SELECT id * 8 + 7, body, 'person', account_id, id FROM search_contact_words WHERE id = NEW.id;
END;
CREATE TRIGGER search_contact_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 7;
END;

INSERT INTO search (rowid, body, kind, account_id, ref)
    SELECT id * 8 + 6, body, 'task', account_id, id FROM search_task_words;
INSERT INTO search (rowid, body, kind, account_id, ref)
    SELECT id * 8 + 7, body, 'person', account_id, id FROM search_contact_words;
"#,
    // 29: the search finds an account by its notes (the accounts file's Notes column): a probe's
    // "Champion left in Q2" was on the Account view and found by no search. The accounts that
    // have notes, indexed apart: a search reads only those, and an import of accounts without
    // notes writes nothing more (a full-text index kept by triggers on a million accounts would
    // cost the import more than the search it saves).
    r#"
CREATE INDEX accounts_noted ON accounts (id) WHERE notes <> '';
"#,
    // 30: each metric's own sample counts by day ("metric_days:logins"), beside the book's: a
    // metric's days count to the newest day its own feed covers (`AccountFacts::metric_days`), not
    // to a help desk's ticket counts imported to yesterday (a probe's weekly usage read days
    // behind, and a monthly export stale, beside them). Worked out once from the samples, by
    // `metric_days_of_samples` after this.
    r#"
DELETE FROM book_meta WHERE key LIKE 'metric\_days:%' ESCAPE '\';
"#,
    // 31: a touch may be a chat (`touches_by_chat`, which does the whole step): an Intercom
    // export's conversations were refused as no channel tend knew.
    "",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        MIGRATIONS.validate().unwrap();
    }

    /// A step that only adds a table does not read the whole book for dangling rows: a row some
    /// other program left pointing at nothing does not stop the upgrade (nor cost its read).
    #[test]
    fn a_step_that_only_adds_a_table_reads_no_row() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        let before = ADDS_ONLY.iter().min().unwrap() - 1;
        MIGRATIONS.to_version(&mut conn, before).unwrap();
        conn.execute(
            "INSERT INTO metric_samples (account_id, metric, day, value) VALUES (42, 'logins', '2026-11-23', 3)",
            [],
        )
        .unwrap();
        MIGRATIONS.to_latest(&mut conn).unwrap();
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(version, STEPS.len() as i64);
    }

    /// A book made before chats were a channel takes a chat after the upgrade, on the connection
    /// that upgraded it and on a new one, its other checks and its entries as they were.
    #[test]
    fn a_touch_may_be_a_chat_after_the_upgrade() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.db");
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        MIGRATIONS.to_version(&mut conn, CHAT_STEP - 1).unwrap();
        let touch = |conn: &rusqlite::Connection, id: i64, channel: &str| {
            conn.execute(
                "INSERT INTO entries (id, account_id, kind, day, channel) VALUES (?1, 1, 'touch', '2026-11-23', ?2)",
                rusqlite::params![id, channel],
            )
        };
        touch(&conn, 1, "call").unwrap();
        assert!(touch(&conn, 2, "chat").is_err(), "no chat before the step");
        MIGRATIONS.to_latest(&mut conn).unwrap();
        touch(&conn, 2, "chat").unwrap();
        assert!(touch(&conn, 3, "fax").is_err(), "other channels are refused still");
        drop(conn);
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        touch(&conn, 3, "chat").unwrap();
        assert!(touch(&conn, 4, "fax").is_err());
        let sentiment = conn.execute(
            "INSERT INTO entries (id, account_id, kind, day, score) VALUES (5, 1, 'sentiment', '2026-11-23', 11)",
            [],
        );
        assert!(sentiment.is_err(), "the other checks hold");
        let channels: Vec<String> = conn
            .prepare("SELECT channel FROM entries ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(channels, ["call", "chat", "chat"]);
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(check, "ok");
    }

    /// Each metric's own counts are worked out from the samples the book had.
    #[test]
    fn each_metrics_days_are_counted_from_its_samples() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        MIGRATIONS.to_version(&mut conn, METRIC_DAYS_STEP - 1).unwrap();
        conn.execute_batch(
            "INSERT INTO metric_samples (account_id, metric, day, value) VALUES
                 (1, 'logins', '2026-11-16', 3), (2, 'logins', '2026-11-16', 0), (1, 'logins', '2026-11-23', 2),
                 (1, 'support_tickets', '2026-11-20', 1)",
        )
        .unwrap();
        MIGRATIONS.to_latest(&mut conn).unwrap();
        let kept = |metric: &str| -> String {
            let key = super::super::facts::metric_key(metric);
            conn.query_row("SELECT value FROM book_meta WHERE key = ?1", [key], |r| r.get(0)).unwrap()
        };
        assert_eq!(kept("logins"), "2026-11-16=2;2026-11-23=1");
        assert_eq!(kept("support_tickets"), "2026-11-20=1");
    }
}
