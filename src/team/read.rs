//! The team book's side of `book::storage::BookRead`: the same answers as the SQLite book's,
//! in PostgreSQL's dialect (text ordered by bytes, `COLLATE "C"`, as SQLite orders it; empty
//! values placed where SQLite places them).

use chrono::NaiveDate;

use super::{TeamBook, TeamError, detail};
use crate::book::storage::{BookRead, ReadError};
use crate::domain::task::TaskStatus;
use crate::store::{TaskFilter, TaskRecord};

impl TeamBook {
    fn rows(
        &self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>, ReadError> {
        self.client.borrow_mut().query(sql, params).map_err(|e| self.read_error(&e))
    }

    fn read_error(&self, e: &postgres::Error) -> ReadError {
        ReadError::Team(TeamError::Database { url: self.url.clone(), detail: detail(e) })
    }

    fn bad_value(&self, what: String) -> ReadError {
        ReadError::Team(TeamError::Database { url: self.url.clone(), detail: what })
    }

    fn day(&self, text: &str) -> Result<NaiveDate, ReadError> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| self.bad_value(format!("\"{text}\" is not a day")))
    }
}

impl BookRead for TeamBook {
    fn find_accounts(&self, query: &str, limit: usize) -> Result<Vec<(i64, String, String)>, ReadError> {
        let read = |rows: Vec<postgres::Row>| rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect::<Vec<_>>();
        let exact = read(self.rows("SELECT id, external_id, name FROM accounts WHERE external_id = $1", &[&query])?);
        if !exact.is_empty() {
            return Ok(exact);
        }
        // An external id in another case: as SQLite's NOCASE, ASCII letters only.
        let any_case = read(self.rows(
            "SELECT id, external_id, name FROM accounts
             WHERE translate(external_id, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
                 = translate($1, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') LIMIT 2",
            &[&query],
        )?);
        if let [hit] = any_case.as_slice() {
            return Ok(vec![hit.clone()]);
        }
        // SQLite's LIKE ignores the case of ASCII letters only: so here.
        let fold = |s: &str| s.chars().map(|c| c.to_ascii_lowercase()).collect::<String>();
        let pattern = crate::store::like_prefix(&fold(query));
        Ok(read(self.rows(
            "SELECT id, external_id, name FROM accounts
             WHERE translate(name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') LIKE $1 ESCAPE '\\'
             ORDER BY name COLLATE \"C\" LIMIT $2",
            &[&pattern, &(limit as i64)],
        )?))
    }

    fn account_count(&self) -> Result<usize, ReadError> {
        let n: i64 = self.rows("SELECT count(*) FROM accounts", &[])?[0].get(0);
        Ok(n as usize)
    }

    fn account_names(&self) -> Result<Vec<(i64, String)>, ReadError> {
        let rows = self.rows("SELECT id, name FROM accounts ORDER BY name COLLATE \"C\", id", &[])?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn csms(&self) -> Result<Vec<(i64, String)>, ReadError> {
        let rows = self.rows("SELECT id, name FROM csms ORDER BY id", &[])?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn tasks(&self, f: &TaskFilter) -> Result<Vec<TaskRecord>, ReadError> {
        let due_by = f.due_by.map(|d| d.to_string());
        let rows = self.rows(
            "SELECT t.id, t.account_id, a.name, t.title, t.due, t.status, t.closed_on, t.note,
                    o.name, t.playbook, t.created_on, a.external_id
             FROM tasks t JOIN accounts a ON a.id = t.account_id LEFT JOIN csms o ON o.id = t.owner_id
             WHERE t.deleted_at IS NULL
               AND ($1::bigint IS NULL OR t.account_id = $1) AND ($2::text IS NULL OR o.name = $2)
               AND ($3::text IS NULL OR (t.status = 'open' AND t.due <= $3)) AND ($4 OR t.status = 'open')
             ORDER BY t.status <> 'open', CASE WHEN t.status = 'open' THEN t.due END COLLATE \"C\" NULLS FIRST,
                      t.closed_on COLLATE \"C\" DESC NULLS LAST, t.id",
            &[&f.account_id, &f.owner, &due_by, &f.all],
        )?;
        rows.iter()
            .map(|r| {
                let status: String = r.get(5);
                Ok(TaskRecord {
                    id: r.get(0),
                    account_id: r.get(1),
                    account: r.get(2),
                    title: r.get(3),
                    due: self.day(r.get(4))?,
                    status: TaskStatus::from_key(&status)
                        .ok_or_else(|| self.bad_value(format!("unknown task status \"{status}\"")))?,
                    closed_on: r.get::<_, Option<&str>>(6).map(|d| self.day(d)).transpose()?,
                    note: r.get(7),
                    owner: r.get(8),
                    playbook: r.get(9),
                    created_on: self.day(r.get(10))?,
                    external_id: r.get(11),
                })
            })
            .collect()
    }
}
