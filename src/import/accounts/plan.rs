//! The parsed rows checked in file order (every key once) and matched against the book: a new
//! account, an update (with what differs), or nothing to do.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;

use super::row::Patch;
use crate::domain::journey::JourneysConfig;
use crate::domain::{Account, AccountStatus, Cents};
use crate::import::table::Table;
use crate::import::{ImportReport, Problem, count_with_first, reject};
use crate::store::bulk::attributes_json;
use crate::store::{NewAccount, NewAccountRow};

/// A hash map with a quick hash. The keys come from the user's own files and book, so there is
/// no one to flood it; SipHash was a third of the time spent checking a million rows.
pub(super) type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// What the book holds, to match rows against.
pub(super) struct Book<'a> {
    /// Accounts by the key the file uses: external id, or name when the file has no ids.
    pub(super) by_key: FastMap<&'a str, &'a Account>,
    /// Accounts by name, where the book has that name (every account of a name): a name two
    /// accounts share keys neither, and a file keyed by ids that names an account the book has
    /// under another id comes from another system.
    pub(super) by_name: FastMap<&'a str, Vec<&'a Account>>,
    /// By name without case (`to_ascii_lowercase`).
    pub(super) csm_ids: FastMap<String, i64>,
    pub(super) csm_names: HashMap<i64, String>,
    pub(super) attributes: HashMap<i64, Vec<(String, String)>>,
    /// The attribute keys of the file's columns it reads as fields (`columns::attribute_key`):
    /// an earlier file that had the column unmapped kept it as an attribute, whose values would
    /// sit stale beside the field's ("Annual Revenue $60,000" beside an ARR of $45,000).
    pub(super) read_as_fields: std::collections::HashSet<String>,
    /// Each account's latest renewal or churn recorded by hand, or return, by account id.
    pub(super) recorded: HashMap<i64, crate::store::contracts::ContractEvent>,
    /// Each account's latest hand-over in tend: the CSM it was handed from (None: none), and the
    /// one it was handed to (`AccountsBook::hand_overs`).
    pub(super) handed: HashMap<i64, (Option<i64>, i64)>,
}

/// What to write for one row. An owner new to the book has a stand-in id below zero until the
/// writer has added them (see `Batch`).
pub(super) enum Planned<'a> {
    New {
        row: NewAccountRow,
        renewed_on: Option<NaiveDate>,
        /// The journeys' milestones still ahead for it, as (journey, milestone, due): worked
        /// out here rather than on the writing thread, which is the import's slowest.
        milestones: Vec<Milestone<'a>>,
    },
    Update {
        id: i64,
        account: NewAccount,
        old_arr: Cents,
        /// The ARR changed, in the same currency (`write::arr_moved`): recorded as a change.
        arr_moved: bool,
        /// The account's attributes after the row, as one JSON object; None when they hold.
        attributes: Option<String>,
        renewed_on: Option<NaiveDate>,
        /// A churned account the file sets active again: the churn day it comes back from.
        came_back: Option<Option<NaiveDate>>,
        /// The milestones still ahead of journeys anchored on a date the file gives it for the
        /// first time (`write::milestones_learnt`); written for the journeys it holds none of.
        milestones: Vec<Milestone<'a>>,
        /// The renewal journeys' milestones for the next term, when the file moves its renewal
        /// date on by a term (`write::milestones_next_term`).
        next_term: Vec<Milestone<'a>>,
        /// The file moves its renewal date on by a term without recording the renewal: the new
        /// date, recorded as a renewal, and the journeys anchored on the renewal date whose
        /// milestones of the renewed term left open are done with it.
        new_term: Option<(NaiveDate, Vec<&'a str>)>,
        /// The CSM the file moves the account from, to another (not to none): the open tasks
        /// they own there go with it.
        csm_moved_from: Option<i64>,
    },
}

/// Planned rows, and the CSMs new to the book they are the first to name: the stand-in id of
/// `new_csms[i]` is `-(first + i) - 1`.
pub(super) struct Batch<'a> {
    pub(super) first: usize,
    pub(super) new_csms: Vec<String>,
    pub(super) rows: Vec<Planned<'a>>,
}

/// A milestone a journey plans for a new account: its journey, its name and its due day.
pub(super) type Milestone<'a> = (&'a str, &'a str, NaiveDate);

/// A row as read: its line, where it starts (to copy it into the rejects file), what it says,
/// and what is wrong with its values.
pub(super) struct Parsed {
    pub(super) line: u64,
    pub(super) byte: u64,
    pub(super) patch: Patch,
    pub(super) problems: Vec<Problem>,
}

/// Checks the parsed rows in file order (each key once per file) against the book, and plans
/// what to write for the good ones.
pub(super) struct Planner<'a> {
    book: &'a Book<'a>,
    key_on_id: bool,
    /// Whether the file has a name column (without one, new accounts are named by their id).
    has_name: bool,
    pub(super) report: ImportReport,
    /// The book's accounts the file's rows are (by id).
    matched: std::collections::HashSet<i64>,
    /// Whether a customer the file marks churned with no day for it is churned as of today
    /// (not where the file has a column of days no field reads: its days are the churn's, once
    /// mapped, and said so).
    pub(super) churn_dated_today: bool,
    /// Accounts the book has churned stay churned whatever the file says (`--keep-churned`).
    pub(super) keep_churned: bool,
    /// New accounts' journeys under way get their past steps too (`ImportOptions::include_past`).
    pub(super) include_past: bool,
    /// Owners the book does not have yet, in the order the file names them.
    new_csms: Vec<String>,
    new_csm_ids: FastMap<String, i64>,
    /// For each of `new_csms`, every spelling the file gives it and how often: a new CSM is
    /// named as the file most often writes them ("Dev Patel" 292 times, not the "dev patel" of
    /// row 7, the first).
    new_csm_spellings: Vec<Vec<(String, usize)>>,
    /// How many of `new_csms` earlier batches have named.
    sent_csms: usize,
    /// The keys met so far, with the line each was first on.
    seen: FastMap<Box<str>, u64>,
    /// How many of the file's accounts have each name (by a hash of it in lower case): two
    /// accounts of one name look alike in every list, said in the summary.
    names: FastMap<u64, u32>,
    /// Names given to more than one account, and the first such (its hash and its name).
    shared_names: usize,
    first_shared: Option<(u64, String)>,
    /// Every problem found so far, in file order.
    pub(super) problems: Vec<Problem>,
    /// The rows refused so far, with their reasons.
    pub(super) rejected: Vec<(Vec<String>, String)>,
    /// The import's day: a customer-since after it is noted in the report.
    today: NaiveDate,
    /// The accounts the book got on the import's day: a file that changes their ARR corrects
    /// the import that brought them (a monthly amount read as yearly, a slip), and no change is
    /// recorded; as one, it read as $38.9 million of contraction and an NRR of 1% (a probe's).
    pub(super) entered_today: std::collections::HashSet<i64>,
    /// A new account younger than this (in days), given no stage by its row, is onboarding: the
    /// jumpstart window (`health.jumpstart_days`).
    pub(super) onboarding_days: i64,
    /// The journeys planned for new accounts (none in a dry run's count or an export's restore).
    pub(super) journeys: Option<&'a JourneysConfig>,
    /// The file's headers of the external id and the name, for the problems of either.
    pub(super) columns: (String, String),
}

/// The field an account's churn still to come is kept under (`Planner::check`).
pub(super) const CHURN_TO_COME: &str = "Churn to come";

/// How many changes the report shows as examples.
const SAMPLES: usize = 10;

impl<'a> Planner<'a> {
    /// `rows`: how many rows the file has, to size the map of keys met once.
    pub(super) fn new(
        book: &'a Book<'a>,
        key_on_id: bool,
        has_name: bool,
        rows: usize,
        report: ImportReport,
        today: NaiveDate,
    ) -> Self {
        Planner {
            columns: ("external id".into(), "name".into()),
            today,
            entered_today: Default::default(),
            onboarding_days: 0,
            journeys: None,
            book,
            key_on_id,
            has_name,
            report,
            matched: Default::default(),
            churn_dated_today: true,
            keep_churned: false,
            include_past: false,
            new_csms: Vec::new(),
            new_csm_ids: FastMap::default(),
            new_csm_spellings: Vec::new(),
            sent_csms: 0,
            seen: FastMap::with_capacity_and_hasher(rows, Default::default()),
            names: FastMap::with_capacity_and_hasher(rows, Default::default()),
            shared_names: 0,
            first_shared: None,
            problems: Vec::new(),
            rejected: Vec::new(),
        }
    }

    /// Check the next row of the file: its values, its key (present, and not met before), and
    /// that a new account has a name. The patch of a good row comes back, to plan; a bad row's
    /// problems are noted.
    pub(super) fn check(&mut self, table: &Table, row: Parsed) -> Option<Patch> {
        let (id_column, name_column) = &self.columns;
        let column = if self.key_on_id { id_column.as_str() } else { name_column.as_str() };
        let Parsed { line, byte, patch: mut p, mut problems } = row;
        let problem = |value: &str, column: &str, reason: String| Problem {
            line,
            column: column.into(),
            value: value.into(),
            reason,
        };
        // A row of another width has no key to read.
        let misshapen = problems.iter().any(|p| p.column.is_empty());
        match if self.key_on_id { p.external_id.as_deref() } else { p.name.as_deref() } {
            _ if misshapen => {}
            None => {
                problems.push(problem("", column, "every row needs one: it is how re-imports find the account".into()))
            }
            Some(k) => match self.seen.get(k) {
                Some(first) => {
                    self.report.repeated_keys.repeated += 1;
                    problems.push(problem(k, column, format!("appears twice in the file (first on line {first})")))
                }
                // Matched by name, a name two accounts of the book share is neither's: the
                // first found had been updated without a word, where a metrics file was refused.
                None if !self.key_on_id && self.book.by_name.get(k).is_some_and(|same| same.len() > 1) => {
                    let same = &self.book.by_name[k];
                    let ids: Vec<String> = same.iter().map(|a| crate::text::clean(&a.external_id)).collect();
                    problems.push(problem(
                        k,
                        column,
                        format!(
                            "{} accounts of the book have this name ({}): a file with their external ids tells them apart",
                            same.len(),
                            ids.join(", ")
                        ),
                    ))
                }
                None => {
                    self.seen.insert(k.into(), line);
                    // A file of ids without names (a churn dataset) names new accounts by their
                    // id; a file with names must name each new account.
                    let new = !self.book.by_key.contains_key(k);
                    if problems.is_empty() && new && p.name.is_none() && self.has_name {
                        problems.push(problem("", name_column, "a new account needs a name".into()));
                    }
                }
            },
        }
        if problems.is_empty() {
            // A prospect or a partner in a CRM's export is not a customer: left out, and said.
            if let Some(value) = &p.not_customer {
                self.report.not_customers.see(line, value);
                return None;
            }
            self.report.period_ends_not_renewals += usize::from(p.renews_each_period);
            if let Some(month) = &p.since_month {
                self.report.since_months.see(line, month);
            }
            // An active subscription canceled to end with its period: churned once the period has
            // ended (the export taken before), a churn to come before that (below).
            if let Some(canceled) = p.cancel_pending {
                if p.churned_on.is_some_and(|end| end <= self.today) {
                    p.status = Some(AccountStatus::Churned);
                }
                let ends = p.churned_on.map_or_else(|| "no period's end".to_string(), |end| format!("ends {end}"));
                self.report.cancels_pending.see(line, &format!("{}, canceled {canceled}, {ends}", p.named()));
            }
            // A churn still to come (notice given, the contract running out later) is no churn
            // yet: the account stays a customer, on Triage and in the forecast, until the day
            // (a probe's churn dated next March left Triage and the forecast at once). `tend
            // churn` refuses a day to come alike; a file imported after the day churns it.
            if let Some(day) = p.churned_on.filter(|d| *d > self.today) {
                p.churned_on = None;
                if p.status == Some(AccountStatus::Churned) {
                    p.status = None;
                }
                // The day is kept beside the account's fields, where its page shows them (a
                // probe's was lost: the account stayed a customer past it, nothing to say when).
                p.attributes.push((std::sync::Arc::from(CHURN_TO_COME), day.to_string()));
                if p.cancel_pending.is_none() {
                    self.report.churns_to_come.see(line, &format!("{}, {day}", p.named()));
                }
            }
            if let Some((arr, mrr)) = p.arr_not_mrr {
                let who = p.named();
                let currency = p.currency.as_deref().unwrap_or("USD");
                let said = format!("{who}: ARR {}, MRR {}", arr.full(currency), mrr.full(currency));
                self.report.arr_not_mrr.see(line, &said);
            }
            if let Some(renewal) = p.renewal_date.filter(|_| p.status != Some(AccountStatus::Churned)) {
                self.report.renewals_bunched.see(renewal, self.today);
            }
            if p.trial {
                self.report.trials.see(line, p.named());
            }
            if p.unpaid {
                let arr = p.arr.map(|a| format!(", {}", a.full(p.currency.as_deref().unwrap_or("USD"))));
                self.report.unpaid.see(line, &format!("{}{}", p.named(), arr.unwrap_or_default()));
            }
            if let Some(since) = p.customer_since.filter(|d| *d > self.today) {
                let today = self.today;
                let first = crate::import::FutureSince { count: 0, first_line: line, first: since, today };
                self.report.future_since.get_or_insert(first).count += 1;
            }
            return Some(p);
        }
        self.rejected.push(reject(&table.record_at(byte), &problems));
        self.problems.extend(problems);
        None
    }

    /// Planned rows as a batch, with the owners they are the first to name.
    pub(super) fn batch(&mut self, rows: Vec<Planned<'a>>) -> Batch<'a> {
        let new_csms = self.new_csms[self.sent_csms..].to_vec();
        let first = std::mem::replace(&mut self.sent_csms, self.new_csms.len());
        Batch { first, new_csms, rows }
    }

    /// The names of the first `limit` accounts (by id) of those the planner was given that no
    /// row named: with the whole book given, the accounts the file leaves out.
    pub(super) fn unnamed(&self, limit: usize) -> Vec<String> {
        let mut left: Vec<&Account> =
            self.book.by_key.values().filter(|a| !self.matched.contains(&a.id)).copied().collect();
        left.sort_unstable_by_key(|a| a.id);
        left.iter().take(limit).map(|a| crate::text::clean(&a.name)).collect()
    }

    /// The id of an owner by name: the book's, or a stand-in for one new to it.
    fn csm_id(&mut self, name: String) -> i64 {
        let folded = name.to_ascii_lowercase();
        if let Some(id) = self.book.csm_ids.get(&folded) {
            return *id;
        }
        if let Some(&id) = self.new_csm_ids.get(&folded) {
            let spellings = &mut self.new_csm_spellings[(-id - 1) as usize];
            match spellings.iter_mut().find(|(s, _)| *s == name) {
                Some((_, n)) => *n += 1,
                None => spellings.push((name, 1)),
            }
            return id;
        }
        let id = -(self.new_csms.len() as i64) - 1;
        self.new_csm_spellings.push(vec![(name.clone(), 1)]);
        self.new_csms.push(name);
        self.new_csm_ids.insert(folded, id);
        id
    }

    /// The new CSMs the file spells in more than one way, as (index in `new_csms`, the spelling
    /// kept: the most used of those in mixed case, as a name is written ("Sam Rivera", before
    /// "sam rivera" in more rows or "DEV KUMAR"), else the most used; the first of equals; the
    /// others): written as the first spelling, they are renamed once the file is read.
    pub(super) fn respelled_csms(&self) -> Vec<(usize, String, Vec<String>)> {
        let mixed = |s: &str| s.chars().any(char::is_uppercase) && s.chars().any(char::is_lowercase);
        self.new_csm_spellings
            .iter()
            .enumerate()
            .filter(|(_, spellings)| spellings.len() > 1)
            .map(|(k, spellings)| {
                let rank = |(s, n): &(String, usize)| (mixed(s), *n);
                let most = spellings.iter().map(rank).max().unwrap_or_default();
                let best = spellings.iter().find(|s| rank(s) == most).map_or_else(String::new, |(s, _)| s.clone());
                let others = spellings.iter().filter(|(s, _)| *s != best).map(|(s, _)| s.clone()).collect();
                (k, best, others)
            })
            .collect()
    }

    /// The CSMs the file names that the book did not have, as they will be kept (the most used
    /// spelling).
    pub(super) fn new_csm_names(&self) -> Vec<String> {
        let mut names = self.new_csms.clone();
        for (k, best, _) in self.respelled_csms() {
            names[k] = best;
        }
        names
    }

    /// New CSMs the file names on few rows whose name is much like another new CSM's named on
    /// several times as many ("Sofia Rosi" once beside "Sofia Rossi" 68 times; "Benn Cole" on 4
    /// rows beside "Ben Cole" on 46, a tenth as many, passed without a word): most likely a
    /// misspelling, which a first import cannot check against CSMs the book had. Each with its
    /// count, and the other with its.
    pub(super) fn lookalike_csms(&self) -> Vec<(String, usize, String, usize)> {
        let names = self.new_csm_names();
        let counts: Vec<usize> = self.new_csm_spellings.iter().map(|s| s.iter().map(|(_, n)| n).sum()).collect();
        let folded: Vec<String> = names.iter().map(|n| crate::text::fold(n)).collect();
        let mut out = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let few = counts.get(i).copied().unwrap_or(0);
            if few == 0 {
                continue;
            }
            // One or two rows beside five times as many; more beside ten times as many.
            let outnumbered = |other: usize| other >= few * if few <= 2 { 5 } else { 10 };
            let like = (0..names.len())
                .filter(|&j| j != i && outnumbered(counts.get(j).copied().unwrap_or(0)))
                .map(|j| (strsim::jaro_winkler(&folded[i], &folded[j]), j))
                .filter(|(score, _)| *score >= 0.9)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((_, j)) = like {
                out.push((name.clone(), few, names[j].clone(), counts[j]));
            }
        }
        out
    }

    /// An owner's name, for the samples of what changes.
    fn csm_name(&self, id: Option<i64>) -> String {
        let name = match id {
            Some(id) if id < 0 => self.new_csms.get((-id - 1) as usize).cloned(),
            Some(id) => self.book.csm_names.get(&id).cloned(),
            None => None,
        };
        name.unwrap_or_else(|| "—".into())
    }

    /// A customer of days is onboarding (its onboarding journey is planned), not in adoption as
    /// the stage's default would say, where the file gives no stage.
    fn onboarding(&self, account: &NewAccount) -> bool {
        let age = account.customer_since.map(|since| (self.today - since).num_days());
        age.is_some_and(|days| (0..self.onboarding_days).contains(&days))
    }

    /// A good row matched against the book: what to write, or None when it changes nothing.
    pub(super) fn plan(&mut self, mut p: Patch) -> Option<Planned<'a>> {
        let key = if self.key_on_id { p.external_id.as_deref() } else { p.name.as_deref() }.unwrap_or_default();
        if let Some(name) = p.name.as_deref().or_else(|| self.book.by_key.get(key).map(|a| a.name.as_str())) {
            self.note_name(name);
        }
        let csm_id = p.csm.take().map(|name| self.csm_id(name));
        let attributes = std::mem::take(&mut p.attributes);
        let renewed_on = renewed_on(&p);
        let names_no_currency = p.currency.is_none();
        match self.book.by_key.get(key) {
            Some(old) => {
                self.matched.insert(old.id);
                let base = as_new(old, &self.book.csm_ids);
                let stage_given = p.stage.is_some();
                let mut new = merged(base.clone(), p, csm_id);
                // A start first given now, on an account staged by default when it had none,
                // stages it as a new one's would be (a probe's customer of 57 days, its start
                // learnt on the second import, read "stage adoption" over "jumpstart, day 57").
                if !stage_given
                    && base.customer_since.is_none()
                    && base.stage == crate::domain::LifecycleStage::Adoption
                    && self.onboarding(&new)
                {
                    new.stage = crate::domain::LifecycleStage::Onboarding;
                }
                // A CRM calls every customer Active: a renewed account stays renewed (its
                // renewal is the outcome the back-test reads; a weekly sync undid every one).
                if old.status == AccountStatus::Renewed && new.status == AccountStatus::Active {
                    new.status = AccountStatus::Renewed;
                }
                // A renewal the file records whose term the book has already moved on (this
                // file imported before): its date is the term that renewal ended, and the book's
                // the one it moved to. Nothing to change (it read "2 updated" on every import,
                // "renewal_date 2027-05-16 -> 2026-05-16", then moved back).
                if let Some(day) = renewed_on
                    && new.renewal_date != old.renewal_date
                    && crate::domain::renewal::next_term(new.renewal_date, day) == old.renewal_date
                {
                    new.renewal_date = old.renewal_date;
                }
                if renewed_on.is_none()
                    && let Some(event) = self.book.recorded.get(&old.id)
                {
                    self.keep_recorded(old, &mut new, event);
                }
                // A hand-over made in tend stays while the file still gives the CSM it was handed
                // from (a CRM not yet told): a nightly import undid a lead's every hand-over, said
                // only as "moved 30 accounts to another CSM". A file giving anyone else moves it,
                // and one an import has moved since is no longer tend's (a probe's CRM move read
                // as "a hand-over made in tend kept").
                if let Some((from, to)) = self.book.handed.get(&old.id)
                    && base.csm_id == Some(*to)
                    && new.csm_id != base.csm_id
                    && new.csm_id == *from
                {
                    let csm = |id: Option<i64>| if id.is_none() { "no CSM".to_string() } else { self.csm_name(id) };
                    let kept = format!(
                        "{}: {}, not the file's {}",
                        crate::text::clean(&new.name),
                        csm(base.csm_id),
                        csm(new.csm_id)
                    );
                    count_with_first(&mut self.report.handovers_kept, || kept);
                    new.csm_id = base.csm_id;
                }
                // `--keep-churned`: a file that does not know of the book's churns (a CRM whose
                // stage still says customer, beside billing's cancellations) leaves them be.
                if self.keep_churned && old.status == AccountStatus::Churned && new.status != AccountStatus::Churned {
                    (new.status, new.churned_on) = (old.status, old.churned_on);
                    self.report.churns_kept += 1;
                }
                let came_back = (old.status == AccountStatus::Churned && new.status != AccountStatus::Churned)
                    .then_some(old.churned_on);
                if let Some(churned_on) = came_back {
                    new.churned_on = None;
                    count_with_first(&mut self.report.came_back, || match churned_on {
                        Some(day) => format!("{}, churned {day}", crate::text::clean(&new.name)),
                        None => crate::text::clean(&new.name),
                    });
                }
                // A customer the file now says churned, with no day for it: churned by today, the
                // day the book learns of it (a weekly sync's "Former Customer").
                if self.churn_dated_today
                    && new.status == AccountStatus::Churned
                    && old.status != AccountStatus::Churned
                    && new.churned_on.is_none()
                {
                    new.churned_on = Some(self.today);
                    count_with_first(&mut self.report.churned_dated_today, || crate::text::clean(&new.name));
                }
                let old_attributes = self.book.attributes.get(&old.id).map(Vec::as_slice).unwrap_or(&[]);
                // By key, so a file of thousands of columns stays linear.
                let old_by_key: HashMap<&str, &str> =
                    old_attributes.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let now_a_field = |k: &str| self.book.read_as_fields.contains(k);
                let attributes_changed =
                    attributes.iter().any(|(k, v)| old_by_key.get(&**k).is_none_or(|ov| *ov != v.as_str()))
                        || old_attributes.iter().any(|(k, _)| now_a_field(k));
                // The merged object is written whole: merging in SQL (json_patch) is quadratic in
                // the number of columns.
                let attributes = attributes_changed.then(|| {
                    let mut merged: Vec<(Arc<str>, String)> =
                        Vec::with_capacity(old_attributes.len() + attributes.len());
                    let new_keys: HashMap<&str, &str> = attributes.iter().map(|(k, v)| (&**k, v.as_str())).collect();
                    for (k, v) in old_attributes.iter().filter(|(k, _)| !now_a_field(k)) {
                        merged.push((
                            Arc::from(k.as_str()),
                            new_keys.get(k.as_str()).map_or_else(|| v.clone(), |n| n.to_string()),
                        ));
                    }
                    let old_keys: std::collections::HashSet<&str> =
                        old_attributes.iter().map(|(k, _)| k.as_str()).collect();
                    merged.extend(attributes.iter().filter(|(k, _)| !old_keys.contains(&**k)).cloned());
                    attributes_json(&merged).unwrap_or_else(|| "{}".into())
                });
                let diffs = differences(&base, &new, |id| self.csm_name(id));
                if diffs.is_empty() && !attributes_changed {
                    self.report.unchanged += 1;
                    return None;
                }
                self.report.updated += 1;
                if self.report.samples.len() < SAMPLES {
                    let what = if diffs.is_empty() { "attributes".to_string() } else { diffs.join(", ") };
                    self.report.samples.push(format!(
                        "{} ({}): {what}",
                        crate::text::clean(&old.name),
                        crate::text::clean(&old.external_id)
                    ));
                }
                // An account with no ARR on record is in no currency's sum.
                if new.arr.on_record().is_some() {
                    self.report.count_currency(&new.currency);
                }
                self.note_renewal_moved(&new, renewed_on);
                self.note_churn_undated(Some(old.status), &new);
                self.note_renewal_before_since(&new);
                if base.renewal_date != new.renewal_date {
                    self.note_renewal_long_past(&new);
                }
                if super::write::arr_learnt(old.arr, &new) {
                    // Given for the first time: no change (no expansion), but news all the same.
                    count_with_first(&mut self.report.arr_learnt, || {
                        format!("{} {}", crate::text::clean(&new.name), new.arr.full(&new.currency))
                    });
                }
                if base.csm_id != new.csm_id {
                    let csm = |id: Option<i64>| if id.is_none() { "no CSM".to_string() } else { self.csm_name(id) };
                    let first =
                        format!("{}: {} -> {}", crate::text::clean(&new.name), csm(base.csm_id), csm(new.csm_id));
                    count_with_first(&mut self.report.csm_changed, || first);
                }
                // "Zephyr Logistics $60,000 -> $45,000", each amount in its own currency.
                let change = || {
                    let (before, after) = (old.arr.full(&base.currency), new.arr.full(&new.currency));
                    format!("{} {before} -> {after}", crate::text::clean(&new.name))
                };
                if super::write::arr_restated(old.arr, &base.currency, &new) {
                    count_with_first(&mut self.report.arr_restated, change);
                }
                let arr_moved = super::write::arr_moved(old.arr, &base.currency, &new);
                let corrected = arr_moved && self.entered_today.contains(&old.id);
                let arr_moved = arr_moved && !corrected;
                if corrected {
                    count_with_first(&mut self.report.arr_corrected, change);
                }
                if arr_moved {
                    if new.arr.0 > 0 && new.arr.0 < old.arr.0 / 10 {
                        count_with_first(&mut self.report.arr_cut_tenfold, change);
                    }
                    count_with_first(&mut self.report.arr_changed, change);
                }
                // A churned customer has no journey ahead (a probe's former customers each got a
                // renewal call planned).
                let journeys = self.journeys.filter(|_| new.status != AccountStatus::Churned);
                let milestones = journeys.map_or_else(Vec::new, |journeys| {
                    super::write::milestones_learnt(journeys, &base, &new, self.today)
                });
                let renewal = renewal_after(&new, renewed_on);
                let next_term = journeys.map_or_else(Vec::new, |journeys| {
                    super::write::milestones_next_term(journeys, &base, new.customer_since, renewal, self.today)
                });
                let recorded_here = renewed_on.is_some() || new.status == AccountStatus::Churned;
                let new_term = renewal
                    .filter(|_| !recorded_here && crate::domain::journey::new_term(base.renewal_date, renewal))
                    .map(|after| {
                        let renewal_journeys = self.journeys.map_or_else(Vec::new, |j| {
                            j.templates
                                .iter()
                                .filter(|(_, t)| t.anchor == crate::domain::journey::Anchor::Renewal)
                                .map(|(name, _)| name.as_str())
                                .collect()
                        });
                        (after, renewal_journeys)
                    });
                if let (Some(before), Some((after, _))) = (base.renewal_date, &new_term) {
                    count_with_first(&mut self.report.next_term_planned, || {
                        format!("{} {before} -> {after}", crate::text::clean(&new.name))
                    });
                }
                let csm_moved_from = base.csm_id.filter(|_| new.csm_id.is_some() && new.csm_id != base.csm_id);
                Some(Planned::Update {
                    csm_moved_from,
                    id: old.id,
                    account: new,
                    old_arr: old.arr,
                    arr_moved,
                    attributes,
                    renewed_on,
                    came_back,
                    milestones,
                    next_term,
                    new_term,
                })
            }
            None => {
                // `check` refused new accounts without a name where the file has names.
                let name = p.name.take().or_else(|| p.external_id.clone())?;
                self.report.new_without_csm += usize::from(csm_id.is_none());
                let base = NewAccount::new(p.external_id.take().unwrap_or_else(|| name.clone()), name);
                let stage_given = p.stage.is_some();
                let mut account = merged(base, p, csm_id);
                if !stage_given && self.onboarding(&account) {
                    account.stage = crate::domain::LifecycleStage::Onboarding;
                }
                self.report.new += 1;
                // A file keyed by ids naming an account the book has under another id: another
                // system's export (billing beside the CRM), whose every row would be a new account.
                if self.key_on_id
                    && let Some(same) = self.book.by_name.get(account.name.as_str())
                {
                    count_with_first(&mut self.report.named_otherwise, || {
                        let ids: Vec<String> = same.iter().map(|a| crate::text::clean(&a.external_id)).collect();
                        format!(
                            "{}: {} in the book, {} in the file",
                            crate::text::clean(&account.name),
                            ids.join(", "),
                            crate::text::clean(&account.external_id)
                        )
                    });
                }
                if self.report.samples.len() < SAMPLES {
                    // The id where a file has one: without, it is the name again.
                    let id = match account.external_id == account.name {
                        true => String::new(),
                        false => format!(" ({})", crate::text::clean(&account.external_id)),
                    };
                    self.report.samples.push(format!("new: {}{id}", crate::text::clean(&account.name)));
                }
                let attributes = attributes_json(&attributes);
                self.report.new_without_since += usize::from(account.customer_since.is_none());
                self.report.new_churned += usize::from(account.status == AccountStatus::Churned);
                self.report.new_without_renewal +=
                    usize::from(account.renewal_date.is_none() && account.status != AccountStatus::Churned);
                // An ARR of 0 is none on record, as a blank: counted with them.
                match account.arr.on_record() {
                    Some(_) => {
                        self.report.count_currency(&account.currency);
                        self.report.currency_assumed += usize::from(names_no_currency);
                    }
                    None => self.report.new_without_arr += 1,
                }
                self.note_renewal_moved(&account, renewed_on);
                self.note_churn_undated(None, &account);
                self.note_renewal_before_since(&account);
                self.note_renewal_long_past(&account);
                let journeys = self.journeys.filter(|_| account.status != AccountStatus::Churned);
                let milestones = journeys.map_or_else(Vec::new, |journeys| {
                    let (start, renewal) = (account.customer_since, renewal_after(&account, renewed_on));
                    if self.include_past {
                        let (planned, past) = super::write::milestones_under_way(journeys, start, renewal, self.today);
                        self.report.milestones_past += past;
                        return planned;
                    }
                    let (passed, first) = super::write::milestones_passed(journeys, start, renewal, self.today);
                    if let Some(first) = first {
                        self.report.note_steps_passed(&account.name, &passed, first);
                    }
                    super::write::milestones_ahead(journeys, start, renewal, self.today)
                });
                Some(Planned::New { row: NewAccountRow { account, attributes }, renewed_on, milestones })
            }
        }
    }
}

impl Planner<'_> {
    /// Count an account of the file by its name, in any case.
    fn note_name(&mut self, name: &str) {
        use std::hash::{BuildHasher, Hasher};
        let mut hasher = self.names.hasher().build_hasher();
        for b in name.trim().bytes() {
            hasher.write_u8(b.to_ascii_lowercase());
        }
        let hash = hasher.finish();
        let count = self.names.entry(hash).or_insert(0);
        *count += 1;
        if *count == 2 {
            self.shared_names += 1;
            if self.first_shared.is_none() {
                self.first_shared = Some((hash, name.trim().to_string()));
            }
        }
    }

    /// How many names the file gives more than one account, and the first such with how many.
    pub(super) fn shared_names(&self) -> (usize, Option<(String, u32)>) {
        let first = self.first_shared.as_ref().map(|(hash, name)| (name.clone(), self.names[hash]));
        (self.shared_names, first)
    }

    /// A live account whose renewal date is long past (a CRM's date not kept up, most often):
    /// no Triage reason, listed last in Renewals. Said at import, where it can be mended.
    fn note_renewal_long_past(&mut self, account: &NewAccount) {
        let long_past = self.today - chrono::Duration::days(crate::domain::renewal::LONG_PAST_DAYS);
        if let Some(renewal) = account.renewal_date.filter(|r| *r < long_past)
            && account.status != AccountStatus::Churned
        {
            count_with_first(&mut self.report.renewals_long_past, || {
                format!("{}, {renewal}", crate::text::clean(&account.name))
            });
        }
    }

    /// An account the file says renews before it became a customer, or that same day (a sheet's
    /// start date copied into the renewal column: a probe's three sat in Triage all week as
    /// "renewal 50 days overdue"): a date the wrong way round (or of another contract), imported
    /// as written and said, as the Portfolio would otherwise show it a year overdue without a word.
    fn note_renewal_before_since(&mut self, account: &NewAccount) {
        let name = || crate::text::clean(&account.name);
        if let (Some(since), Some(renewal)) = (account.customer_since, account.renewal_date)
            && renewal <= since
        {
            count_with_first(&mut self.report.renewal_before_since, || {
                format!("{}: customer since {since}, renewal {renewal}", name())
            });
        }
        // So is a churn (the command line refuses one so dated).
        if let (Some(since), Some(churned), AccountStatus::Churned) =
            (account.customer_since, account.churned_on, account.status)
            && churned < since
        {
            count_with_first(&mut self.report.churn_before_since, || {
                format!("{}: customer since {since}, churned {churned}", name())
            });
        }
    }

    /// A churned account with no churn day: the back-test and retention cannot place it, said.
    fn note_churn_undated(&mut self, was: Option<AccountStatus>, account: &NewAccount) {
        if account.status == AccountStatus::Churned
            && account.churned_on.is_none()
            && was != Some(AccountStatus::Churned)
        {
            count_with_first(&mut self.report.churned_undated, || crate::text::clean(&account.name));
        }
    }

    /// A renewal the file records moves the renewal date a term on (`renewal::next_term`, as
    /// the write does): counted, with the first, for the summary and a dry run.
    /// A renewal, churn or return recorded in tend that the file was exported before (a CRM not
    /// yet told) stays, and is said: a weekly CRM import otherwise undid each one a CSM recorded,
    /// with "1 updated". The file predates a renewal when its renewal date is the term the
    /// renewal ended, or earlier (and then its ARR, where it is the ARR before the renewal);
    /// a churn when it has the account as a customer, with no churn; a return when it has the
    /// account churned on a day before it came back.
    fn keep_recorded(&mut self, old: &Account, new: &mut NewAccount, e: &crate::store::contracts::ContractEvent) {
        use crate::store::contracts::ContractKind;
        let kept = match e.kind {
            ContractKind::Renewed => {
                let (Some(after), Some(file_day)) = (e.renewal_after, new.renewal_date) else { return };
                let predates = old.renewal_date == Some(after)
                    && file_day < after
                    && e.renewal_before.is_none_or(|before| file_day <= before);
                if !predates {
                    return;
                }
                new.renewal_date = old.renewal_date;
                let mut kept = format!("renewal date {after}, not the file's {file_day}");
                if new.arr == e.arr_before && old.arr == e.arr_after && new.arr != old.arr {
                    new.arr = old.arr;
                    kept += &format!(", ARR {}, not {}", old.arr.full(&old.currency), e.arr_before.full(&old.currency));
                }
                format!("renewed on {}: {kept}", e.day)
            }
            ContractKind::Churned if old.status == AccountStatus::Churned => match (new.status, new.churned_on) {
                // The file's own day for the churn recorded here: tend's stays.
                (AccountStatus::Churned, Some(file_day)) if old.churned_on.is_some_and(|day| day != file_day) => {
                    new.churned_on = old.churned_on;
                    format!("churned on {}: that day, not the file's {file_day}", e.day)
                }
                (AccountStatus::Churned, _) => return,
                (file_status, _) => {
                    (new.status, new.churned_on) = (old.status, old.churned_on);
                    format!(
                        "churned on {}: churned, not {} as in the file (`tend reactivate` if it came back)",
                        e.day,
                        file_status.key()
                    )
                }
            },
            ContractKind::Churned => return,
            ContractKind::Reactivated => {
                let churn_before = new.churned_on.is_none_or(|day| day <= e.day);
                if old.status == AccountStatus::Churned || new.status != AccountStatus::Churned || !churn_before {
                    return;
                }
                (new.status, new.churned_on) = (old.status, old.churned_on);
                // The file's ARR is the one before the churn: the ARR it came back at stays.
                let arr = match new.arr != old.arr {
                    true => format!(", ARR {}, not {}", old.arr.full(&old.currency), new.arr.full(&old.currency)),
                    false => String::new(),
                };
                new.arr = old.arr;
                format!("came back on {}: a customer, not churned as in the file{arr}", e.day)
            }
        };
        count_with_first(&mut self.report.recorded_kept, || format!("{} {kept}", crate::text::clean(&old.name)));
    }

    fn note_renewal_moved(&mut self, account: &NewAccount, renewed_on: Option<NaiveDate>) {
        let Some(day) = renewed_on else { return };
        let before = account.renewal_date;
        let after = crate::domain::renewal::next_term(before, day);
        if let (Some(before), Some(after)) = (before, after)
            && before != after
        {
            count_with_first(&mut self.report.renewals_moved, || {
                format!("{} {before} -> {after}", crate::text::clean(&account.name))
            });
        }
    }
}

/// The account's renewal date once the import has written it: a term on from the file's when
/// the row records the renewal (`record_renewal_outcome`), the journeys planned from it.
fn renewal_after(account: &NewAccount, renewed_on: Option<NaiveDate>) -> Option<NaiveDate> {
    match renewed_on {
        Some(day) => crate::domain::renewal::next_term(account.renewal_date, day),
        None => account.renewal_date,
    }
}

/// The day a row says the account renewed (a renewed outcome with an outcome date).
fn renewed_on(p: &Patch) -> Option<NaiveDate> {
    p.outcome_date.filter(|_| p.status == Some(AccountStatus::Renewed))
}

/// The account as the store would hold it after the patch. Moves the patch's values in: a new
/// account is built without copying a string.
fn merged(mut a: NewAccount, p: Patch, csm_id: Option<i64>) -> NewAccount {
    let take = |v: Option<String>, old: &mut String| {
        if let Some(v) = v {
            *old = v;
        }
    };
    take(p.external_id, &mut a.external_id);
    take(p.name, &mut a.name);
    // Set when the row names an owner.
    if csm_id.is_some() {
        a.csm_id = csm_id;
    }
    a.arr = p.arr.unwrap_or(a.arr);
    if a.arr.0 == 0 && p.currency.is_none() {
        take(p.blank_money_currency, &mut a.currency);
    }
    take(p.currency, &mut a.currency);
    a.plan = p.plan.or(a.plan);
    a.customer_since = p.customer_since.or(a.customer_since);
    a.renewal_date = p.renewal_date.or(a.renewal_date);
    a.stage = p.stage.unwrap_or(a.stage);
    a.status = p.status.unwrap_or(a.status);
    a.churned_on = p.churned_on.or(a.churned_on);
    a.segment_inputs.volume = p.volume.or(a.segment_inputs.volume);
    a.segment_inputs.advocacy = p.advocacy.or(a.segment_inputs.advocacy);
    a.segment_inputs.brand = p.brand.or(a.segment_inputs.brand);
    a.expected_usage = p.expected_usage.or(a.expected_usage);
    take(p.tags, &mut a.tags);
    take(p.notes, &mut a.notes);
    a
}

fn as_new(a: &Account, csm_ids: &FastMap<String, i64>) -> NewAccount {
    NewAccount {
        external_id: a.external_id.clone(),
        name: a.name.clone(),
        csm_id: a.csm.as_ref().and_then(|c| csm_ids.get(&c.to_ascii_lowercase()).copied()),
        arr: a.arr,
        currency: a.currency.clone(),
        plan: a.plan.clone(),
        customer_since: a.customer_since,
        renewal_date: a.renewal_date,
        stage: a.stage,
        status: a.status,
        churned_on: a.churned_on,
        segment_inputs: a.segment_inputs,
        expected_usage: a.expected_usage,
        tags: a.tags.clone(),
        notes: a.notes.clone(),
    }
}

/// The fields that differ, as "field old -> new" (for the dry-run sample).
fn differences(old: &NewAccount, new: &NewAccount, csm: impl Fn(Option<i64>) -> String) -> Vec<String> {
    let opt = |d: Option<String>| d.unwrap_or_else(|| "—".into());
    let mut out = Vec::new();
    let mut diff = |field: &str, a: String, b: String| {
        if a != b {
            out.push(format!("{field} {a} -> {b}"));
        }
    };
    diff("name", old.name.clone(), new.name.clone());
    diff("csm", csm(old.csm_id), csm(new.csm_id));
    diff("arr", old.arr.full(&old.currency), new.arr.full(&new.currency));
    diff("currency", old.currency.clone(), new.currency.clone());
    diff("plan", opt(old.plan.clone()), opt(new.plan.clone()));
    diff(
        "customer_since",
        opt(old.customer_since.map(|d| d.to_string())),
        opt(new.customer_since.map(|d| d.to_string())),
    );
    diff("renewal_date", opt(old.renewal_date.map(|d| d.to_string())), opt(new.renewal_date.map(|d| d.to_string())));
    diff("stage", old.stage.key().into(), new.stage.key().into());
    diff("status", old.status.key().into(), new.status.key().into());
    diff("churned_on", opt(old.churned_on.map(|d| d.to_string())), opt(new.churned_on.map(|d| d.to_string())));
    let inputs = |i: &crate::domain::SegmentInputs| {
        let one = |v: Option<u8>| v.map_or_else(|| "—".to_string(), |v| v.to_string());
        format!("volume {} advocacy {} brand {}", one(i.volume), one(i.advocacy), one(i.brand))
    };
    diff("segment inputs", inputs(&old.segment_inputs), inputs(&new.segment_inputs));
    let number = |v: Option<f64>| opt(v.map(crate::domain::factor::trim_number));
    diff("expected_usage", number(old.expected_usage), number(new.expected_usage));
    diff("tags", old.tags.clone(), new.tags.clone());
    diff("notes", old.notes.clone(), new.notes.clone());
    out
}
