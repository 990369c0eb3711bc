//! What the leaders' reports read beyond the accounts: survey responses over a period, and any
//! account field (a column or an imported attribute) to group by.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{Result, Store};
use crate::domain::contact::ContactRole;
use crate::domain::entry::EntryKind;

/// One survey response: whose, which survey, the score and the respondent's role.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SurveyResponse {
    pub account_id: i64,
    pub kind: EntryKind,
    pub score: i64,
    pub role: Option<ContactRole>,
}

/// What a CSM did over some days: the entries they signed, by kind (how many, on how many
/// accounts), the goals they set and the tasks of theirs done.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CsmActivity {
    pub entries: Vec<(EntryKind, u32, u32)>,
    pub goals_set: u32,
    pub tasks_done: u32,
    /// The day of the CSM's newest entry up to the last day asked, and how many days before it:
    /// a week with nothing logged says since when (a lead read 14 lines of "no touch" for a CSM
    /// who had logged nothing for five weeks, and no line said so).
    pub last_logged: Option<(NaiveDate, i64)>,
}

/// Account columns a report may group by, as `--by field:NAME` names them.
const GROUP_COLUMNS: [&str; 5] = ["plan", "stage", "status", "currency", "tags"];

impl Store {
    /// Of `ids`, the accounts with nothing a CSM logs on or before `today` (a sentiment, a touch,
    /// a bug): not tracked yet, so no touch is missed on them (`domain::signals`). Survey
    /// answers are the customer's, and track nothing.
    pub fn accounts_not_tracked(&self, ids: &[i64], today: NaiveDate) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM entries WHERE account_id = ?1 AND kind IN ('sentiment', 'touch', 'bug')
                 AND deleted_at IS NULL AND day <= ?2)",
            )
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for id in ids {
            let tracked: bool = stmt.query_row(rusqlite::params![id, today], |r| r.get(0)).map_err(|e| self.err(e))?;
            if !tracked {
                out.push(*id);
            }
        }
        Ok(out)
    }

    /// What `csm` logged, set and closed on days `from..=to` (`CsmActivity`): the one-on-one's
    /// week. A task nobody owns is its account's CSM's, as the late counts have it.
    pub fn csm_activity(&self, csm: &str, from: NaiveDate, to: NaiveDate) -> Result<CsmActivity> {
        let entries: Vec<(String, u32, u32)> = self.query_list(
            "SELECT e.kind, count(*), count(DISTINCT e.account_id) FROM entries e JOIN csms c ON c.id = e.csm_id
             WHERE c.name = ?1 AND e.deleted_at IS NULL AND e.day BETWEEN ?2 AND ?3 GROUP BY e.kind",
            rusqlite::params![csm, from, to],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let mut entries: Vec<(EntryKind, u32, u32)> =
            entries.into_iter().filter_map(|(k, n, a)| Some((EntryKind::from_key(&k)?, n, a))).collect();
        // Touches first: the work a lead asks about first.
        let order = [EntryKind::Touch, EntryKind::Sentiment, EntryKind::Risk, EntryKind::Bug];
        entries.sort_by_key(|(kind, _, _)| (order.iter().position(|k| k == kind).unwrap_or(order.len()), kind.key()));
        let count = |sql: &str| -> Result<u32> {
            Ok(self.query_list(sql, rusqlite::params![csm, from, to], |r| r.get(0))?.pop().unwrap_or(0))
        };
        Ok(CsmActivity {
            entries,
            goals_set: count(
                "SELECT count(*) FROM goals g JOIN csms c ON c.id = g.csm_id
                 WHERE c.name = ?1 AND g.deleted_at IS NULL AND g.created_on BETWEEN ?2 AND ?3",
            )?,
            tasks_done: count(
                "SELECT count(*) FROM tasks t JOIN accounts a ON a.id = t.account_id
                 JOIN csms o ON o.id = coalesce(t.owner_id, a.csm_id)
                 WHERE o.name = ?1 AND t.deleted_at IS NULL AND t.status = 'done' AND t.closed_on BETWEEN ?2 AND ?3",
            )?,
            last_logged: self
                .query_list(
                    "SELECT max(e.day) FROM entries e JOIN csms c ON c.id = e.csm_id
                     WHERE c.name = ?1 AND e.deleted_at IS NULL AND e.day <= ?2",
                    rusqlite::params![csm, to],
                    |r| r.get::<_, Option<NaiveDate>>(0),
                )?
                .pop()
                .flatten()
                .map(|day| (day, (to - day).num_days())),
        })
    }

    /// The accounts with dated evidence: a metric sample or a live log entry. Read through the
    /// indexes that start with the account, one step per account rather than per row.
    pub fn accounts_with_evidence(&self) -> Result<std::collections::HashSet<i64>> {
        let ids: Vec<i64> = self.query_list(
            "WITH RECURSIVE s(id) AS (
                 SELECT (SELECT min(account_id) FROM metric_samples)
                 UNION ALL
                 SELECT (SELECT min(account_id) FROM metric_samples WHERE account_id > s.id) FROM s WHERE s.id IS NOT NULL
             )
             SELECT id FROM s WHERE id IS NOT NULL
             UNION
             SELECT DISTINCT account_id FROM entries WHERE deleted_at IS NULL",
            [],
            |r| r.get(0),
        )?;
        Ok(ids.into_iter().collect())
    }

    /// Every NPS, CSAT and CES response dated `from..=to`.
    pub fn survey_responses(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<SurveyResponse>> {
        self.query_list(
            "SELECT account_id, kind, score, role FROM entries WHERE deleted_at IS NULL
               AND kind IN ('nps', 'csat', 'ces') AND score IS NOT NULL AND day BETWEEN ?1 AND ?2",
            rusqlite::params![from, to],
            |r| {
                let kind: String = r.get(1)?;
                let role: String = r.get(3)?;
                Ok(SurveyResponse {
                    account_id: r.get(0)?,
                    kind: EntryKind::from_key(&kind).unwrap_or(EntryKind::Nps),
                    score: r.get(2)?,
                    role: ContactRole::from_key(&role),
                })
            },
        )
    }

    /// Each account's value of a field: a column (plan, stage, status, currency, tags) or an
    /// imported attribute, matched whatever its case and spacing. Err with the names there are
    /// when no account has it.
    pub fn field_values(&self, name: &str) -> Result<std::result::Result<HashMap<i64, String>, Vec<String>>> {
        let text = |v: rusqlite::types::ValueRef| match v {
            rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).trim().to_string(),
            rusqlite::types::ValueRef::Integer(i) => i.to_string(),
            rusqlite::types::ValueRef::Real(f) => f.to_string(),
            _ => String::new(),
        };
        if let Some(column) = GROUP_COLUMNS.iter().find(|c| crate::text::same_key(c, name)) {
            // One of the constants above, never the user's text, reaches SQL.
            let rows = self.query_list(&format!("SELECT id, {column} FROM accounts"), [], |r| {
                Ok((r.get::<_, i64>(0)?, text(r.get_ref(1)?)))
            })?;
            return Ok(Ok(rows.into_iter().filter(|(_, v)| !v.is_empty()).collect()));
        }
        let rows: Vec<(i64, String, String)> = self.query_list(
            "SELECT a.id, j.key, j.value FROM accounts a, json_each(a.attributes) j WHERE a.attributes IS NOT NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, text(r.get_ref(2)?))),
        )?;
        let mut keys: Vec<String> = Vec::new();
        let mut values = HashMap::new();
        for (id, key, value) in rows {
            if crate::text::same_key(&key, name) {
                if !value.is_empty() {
                    values.insert(id, value);
                }
            } else if !keys.contains(&key) {
                keys.push(key);
            }
        }
        if values.is_empty() {
            let mut known: Vec<String> = GROUP_COLUMNS.iter().map(|c| c.to_string()).collect();
            keys.sort();
            known.extend(keys);
            return Ok(Err(known));
        }
        Ok(Ok(values))
    }
}
