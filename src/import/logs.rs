//! `tend import logs`: sentiment, touch, NPS, bug, risk and note history from a CSV, with the same
//! checks as logging by hand. Idempotent: an entry identical to one in the book is left alone.

use std::collections::HashSet;

use super::stream::{self, Ending, Pass};
use super::table::{Source, open_table};
use super::values::{DateOrder, DateSurvey, SentimentScale, parse_date};
use super::{AccountIndex, ImportError, ImportOptions, ImportReport, progress};
use crate::book::storage::BookTxn;
use crate::domain::contact::ContactRole;
use crate::domain::entry::{EntryKind, TouchChannel};
use crate::domain::input::EntryInput;
use crate::store::{EntryPeople, NewEntry, Store};

const ACCOUNT: [&str; 14] = [
    "account",
    "account id",
    "external id",
    "external_id",
    "customer id",
    "account name",
    "company",
    "company name",
    "associated company",
    "related to",
    "organization",
    "organization name",
    "organisation",
    "organisation name",
];

pub fn import_logs(
    store: &mut Store,
    source: &Source,
    opts: &ImportOptions,
    configured_order: DateOrder,
) -> Result<ImportReport, ImportError> {
    import_logs_into(store, source, opts, configured_order, &[])
}

/// `import_logs` into any book.
pub(crate) fn import_logs_into(
    book: &mut dyn stream::StreamedBook,
    source: &Source,
    opts: &ImportOptions,
    configured_order: DateOrder,
    named_by: &[String],
) -> Result<ImportReport, ImportError> {
    let table = open_table(source)?;
    let name = table.source.clone();
    // A survey tool's export names its respondent by email alone: each row's account is then the
    // one whose contact has that email (a probe's survey was refused for want of an account
    // column, its respondents all contacts of the book).
    // A survey export's Respondent column may hold the email itself (its name nowhere): read as
    // the email where the file has no other and its first answer's respondent is an address.
    let email_col = table.column(&["email", "respondent email", "email address", "e mail"]).or_else(|| {
        let respondent = table.column(&["respondent"])?;
        // Read up to the first answer with a respondent, not the whole file.
        let first = table.try_for_each_row(|_, row| match table.cell(row, respondent).trim() {
            "" => Ok(()),
            said => Err(FirstRespondent::Address(said.contains('@'))),
        });
        matches!(first, Err(FirstRespondent::Address(true))).then_some(respondent)
    });
    let account_by = match (table.account_column(named_by, &ACCOUNT), email_col) {
        (Ok(column), _) => AccountBy::Column(column),
        (Err(e), Some(column)) => match accounts_by_email(&book.all_contacts()?) {
            // The way the file has is by email: said, with what it needs (a probe's survey before
            // its contacts was told to rename an account column it did not have).
            accounts if accounts.is_empty() => {
                return Err(match e {
                    ImportError::MissingColumn { file, what, aliases, .. } => ImportError::MissingColumn {
                        hint: format!(
                            "; or import the contacts first (`tend import contacts`): each answer's account is found \
                             by its respondent's email (\"{}\"), and no contact of the book has one yet",
                            crate::text::clean(&table.headers[column])
                        ),
                        file,
                        what,
                        aliases,
                    },
                    other => other,
                });
            }
            accounts => AccountBy::Email { column, accounts },
        },
        (Err(e), None) => return Err(e),
    };
    let account_col = account_by.column();
    // Survey exports say which survey a response answered in a `survey` column (NPS, CSAT, CES).
    // Tasks or people given as log entries: refused with the import they are for, rather than
    // asked to rename a column.
    let kinds = ["kind", "type", "entry", "survey", "survey type", "activity type", "engagement type", "task type"];
    if table.column(&kinds).is_none()
        && let Some(kind @ (super::columns::FileKind::Tasks | super::columns::FileKind::Contacts)) =
            super::columns::FileKind::of(&table.headers)
    {
        return Err(kind.refused(&name));
    }
    // A survey tool's export of one survey (Delighted's NPS) has its answers' scores and no
    // column saying which survey: said how to name it (a lead's probe had to guess).
    let survey_hint = match table.column(&["score", "rating", "nps", "nps score"]) {
        Some(score) => format!(
            "; a survey's answers (a \"{}\" column) need one saying which survey they answer: add a column \
             Survey with NPS, CSAT or CES on every row",
            crate::text::clean(&table.headers[score])
        ),
        None => String::new(),
    };
    let kind_col = table.column(&kinds).ok_or_else(|| table.missing_with("the kind of entry", &kinds, &survey_hint))?;
    // A survey tool's export heads its answers' day "Created At", "Submitted At" or the like.
    let date_col = table.require(
        "the date",
        &[
            "date",
            "day",
            "activity date",
            "engagement date",
            "opened",
            "raised",
            "created at",
            "created",
            "date created",
            "submitted at",
            "submitted",
            "response date",
            "responded at",
            "timestamp",
        ],
    )?;
    let score_col = table.column(&["score", "rating", "nps", "response", "answer"]);
    let role_col = table.column(&["role", "respondent role", "persona"]);
    let channel_col = table.column(&["channel", "touch", "medium"]);
    let title_col = table.column(&["title", "reason", "subject"]);
    let closed_col = table.column(&["closed", "closed on", "cleared", "cleared on"]);
    let note_col = table.column(&[
        "note",
        "notes",
        "comment",
        "comments",
        "full comments",
        "description",
        "body",
        "details",
        "activity notes",
        "call notes",
        "meeting notes",
    ]);
    // Without a note column a row says nothing of the note: its entry keeps its own.
    let note_said = note_col.is_some();
    let csm_col = table.column(&[
        "csm",
        "by",
        "author",
        "logged by",
        "owner",
        "assigned",
        "assigned to",
        "activity assigned to",
        "activity owner",
        "created by",
    ]);
    let with_col = table.column(&["with", "people", "attendees", "contacts", "from", "respondent", "respondent name"]);
    // A CRM's activities carry how the call went in a column of its own: logged beside the
    // touch as a sentiment of that day (a probe's "Sentiment" column was left unread).
    let sentiment_col = table.column(&[
        "sentiment",
        "csm sentiment",
        "call sentiment",
        "customer sentiment",
        "sentiment score",
        "health sentiment",
    ]);

    let unread = table.unread(&[
        Some(account_col),
        Some(kind_col),
        Some(date_col),
        score_col,
        role_col,
        channel_col,
        title_col,
        closed_col,
        note_col,
        csm_col,
        with_col,
        email_col,
        sentiment_col,
    ]);
    let accounts = AccountIndex::from_book(book)?;
    // First pass: the order of the dates, how many rows there are (for the progress bar), and
    // the accounts named (whose entries the file's rows are matched to).
    let mut survey = DateSurvey::default();
    let mut rows = 0;
    let mut named: HashSet<i64> = HashSet::new();
    table.for_each_row(|line, row| {
        rows += 1;
        // A row of another width has no values to tell apart (the checking pass names it).
        if table.misshapen(line, row).is_some() {
            return;
        }
        named.extend(account_by.id_of(&accounts, table.cell(row, account_col)));
        survey.see(table.cell(row, date_col), line, &table.headers[date_col]);
        if let Some(c) = closed_col {
            survey.see(table.cell(row, c), line, &table.headers[c]);
        }
    })?;
    let order = survey.decide_for(&name, configured_order)?;
    let dates = survey.read();
    let named: Vec<i64> = named.into_iter().collect();

    // The CSMs the book has: one an entry is signed by that it has not is added, and said, with
    // the one it is most like ("Chidi Ezee" beside Chidi Eze was added without a word, and then
    // `--csm chidi` could be either).
    let had: Vec<(i64, String)> = book.csms()?;
    // A team book signs what a CSM or a lead writes as them, whatever the file's By says: there a
    // By is no change to an entry.
    let book_signs = book.signed_in_csm()?.is_some();
    let bar = progress(opts.progress, rows, "importing");
    let scale = opts.sentiment_scale.unwrap_or_default();
    // Second pass: each row checked and written as it is read, in one transaction.
    book.streamed(&mut |w| {
        let mut pass = Pass::new("log entries", source, &table, opts);
        pass.report.dates = dates.clone();
        pass.report.columns_not_read = unread.clone();
        pass.report.sentiment_scale = opts.sentiment_scale;
        pass.report.risks_open.2 = closed_col.is_some();
        // Accounts given entries: their cached values and history are stale.
        let mut touched: HashSet<i64> = HashSet::new();
        // Entries written before this import, and how many of each the file has matched so far.
        let last_before = w.last_entry_id()?;
        w.ready_entries_like(&named, last_before)?;
        let mut matched_so_far: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
        // The book's entries the file's rows are, and the rows that are none of them (yet).
        let mut claimed: HashSet<i64> = HashSet::new();
        let mut unmatched: Vec<(NewEntry, Vec<i64>, bool)> = Vec::new();
        // New entries, written a batch at a time (nothing the pass reads depends on them).
        let mut new_entries = NewEntries::default();
        table.try_for_each_row(|line, row| -> Result<(), Ending> {
            bar.inc(1);
            if pass.misshapen(&table, line, row)? {
                return Ok(());
            }
            let bad = |pass: &mut Pass, col: usize, reason: String| {
                pass.bad(line, &table.headers[col], table.cell(row, col), reason)
            };
            let cell = |c: Option<usize>| c.map(|c| table.cell(row, c)).filter(|v| !v.is_empty());
            // The kind first: a row left out has no problem to note.
            let kind_cell = table.cell(row, kind_col);
            let read = kind_of(kind_cell);
            let felt = matches!(read, Some((EntryKind::Note, _))) && cell(sentiment_col).is_some();
            let (kind, kind_channel) = match read {
                // A CRM's note that says how the customer felt is that sentiment, its words the
                // sentiment's note; one that does not is a note.
                Some((EntryKind::Note, _)) if felt => (Some(EntryKind::Sentiment), None),
                Some((kind, channel)) => (Some(kind), channel),
                // A CRM's task is no log entry: left out and said, not refused (an activity
                // export holds them beside its touches, and a probe's whole file was refused
                // for them).
                None if is_crm_task(kind_cell) => {
                    pass.report.crm_tasks.see(line, kind_cell.trim());
                    // Its Sentiment goes with it: said, not dropped without a word (a probe's).
                    pass.report.crm_task_sentiments += usize::from(cell(sentiment_col).is_some());
                    return Ok(());
                }
                // A type tend does not know (a CRM's "Webinar", "LinkedIn"): a note of what
                // happened that day, titled with its type and said by type. It weighs in no score,
                // where refusing it stopped a probe's whole timeline at its first webinar.
                // One a letter or two from a kind tend knows ("Cal", "Emial") is that kind misspelt:
                // refused below, naming it.
                None if !kind_cell.trim().is_empty() && misspelt_kind(kind_cell).is_none() => {
                    (Some(EntryKind::Note), None)
                }
                None => (None, None),
            };
            // The type such a note is titled with (none for a type refused as misspelt).
            let other_type = (read.is_none() && kind.is_some()).then(|| kind_cell.trim());
            let account = account_by
                .known(&accounts, table.cell(row, account_col))
                .map_err(|why| bad(&mut pass, account_col, why))
                .ok();
            if kind.is_none() {
                let known = format!(
                    "sentiment, touch, nps, csat, ces, bug, risk, note; or a touch's channel: {}",
                    TouchChannel::keys_text()
                );
                let why = match misspelt_kind(kind_cell) {
                    Some(like) => format!("not a kind of entry ({known}): \"{like}\" misspelt?"),
                    None => format!("no kind of entry given ({known})"),
                };
                bad(&mut pass, kind_col, why);
            }
            let day = parse_date(table.cell(row, date_col), order).map_err(|r| bad(&mut pass, date_col, r)).ok();
            let score = match (score_col, cell(score_col)) {
                (Some(c), Some(v)) => v.parse::<i64>().map_err(|_| bad(&mut pass, c, "not a whole number".into())).ok(),
                _ => None,
            };
            // A sentiment's score as the file writes it, read on the file's scale.
            let (score, raw) = match (kind, score) {
                (Some(EntryKind::Sentiment), Some(n)) if scale != SentimentScale::Ten => {
                    let read = scale.read(n).map_err(|why| bad(&mut pass, score_col.unwrap_or(kind_col), why));
                    (read.ok(), Some(n))
                }
                (Some(EntryKind::Sentiment), Some(n)) => (Some(n), Some(n)),
                _ => (score, None),
            };
            // A sentiment's score in the Sentiment column where the row gives none; beside an
            // entry of another kind, a sentiment of its own.
            let said_sentiment = match (sentiment_col, cell(sentiment_col)) {
                (Some(c), Some(v)) => match sentiment_of(v, scale) {
                    Ok((score, raw)) => Some((score, c, v, raw)),
                    Err(why) => {
                        bad(&mut pass, c, why);
                        None
                    }
                },
                _ => None,
            };
            let (score, score_from, raw) = match (kind, score, said_sentiment) {
                (Some(EntryKind::Sentiment), None, Some((said, c, _, said_raw))) if raw.is_none() => {
                    (Some(said), Some(c), said_raw)
                }
                _ => (score, score_col, raw),
            };
            let beside = said_sentiment.filter(|_| kind.is_some_and(|k| k != EntryKind::Sentiment));
            let channel = match (channel_col, cell(channel_col)) {
                (Some(c), Some(v)) => TouchChannel::from_words(v)
                    .ok_or_else(|| bad(&mut pass, c, format!("not a touch ({})", TouchChannel::keys_text())))
                    .ok(),
                _ => kind_channel,
            };
            let role = match (role_col, cell(role_col)) {
                (Some(c), Some(v)) => ContactRole::from_key(v)
                    .ok_or_else(|| bad(&mut pass, c, format!("not a role ({})", ContactRole::labels())))
                    .ok(),
                _ => None,
            };
            let closed = match (closed_col, cell(closed_col)) {
                (Some(c), Some(v)) => parse_date(v, order).map_err(|r| bad(&mut pass, c, r)).ok(),
                _ => None,
            };
            // The row's entry, and the sentiment its Sentiment column gives beside it.
            let mut parts = Vec::with_capacity(2);
            if let Some(kind) = kind {
                parts.push(Part {
                    kind,
                    score,
                    raw,
                    score_col: score_from,
                    channel,
                    title: match (other_type, cell(title_col)) {
                        (Some(kind), Some(title)) => Some(format!("{kind}: {title}")),
                        (Some(kind), None) => Some(kind.to_string()),
                        (None, title) => title.map(str::to_string),
                    },
                    closed,
                    // An empty cell of a note column says the note is empty (a note cleared in the CRM).
                    note: note_col.map(|_| cell(note_col).unwrap_or("").to_string()),
                    role,
                    with: cell(with_col),
                });
            }
            if let Some((said, c, _, raw)) = beside {
                parts.push(Part::sentiment_beside(said, raw, c));
            }
            for part in parts {
                let Part { kind, score, raw, channel, role, closed, .. } = part;
                // The note a sentiment beside its touch has none of its own: matched whatever its note.
                let note_said = note_said && part.note.is_some();
                if let (Some(account), Some(day)) = (account, day) {
                    let input = EntryInput {
                        kind,
                        day,
                        score,
                        channel,
                        title: part.title,
                        closed_on: closed,
                        note: part.note.unwrap_or_default(),
                        role,
                    };
                    // Checked only when every cell read: one problem a cell, named by its column.
                    if pass.row_ok()
                        && let Err(e) = input.validate(opts.today)
                    {
                        let column = match e.field {
                            "date" => Some(date_col),
                            "score" => part.score_col,
                            // A touch without a channel: the form asks for it beside the kind.
                            "kind" => channel_col,
                            "title" | "reason" => title_col,
                            "note" => note_col,
                            "closed" => closed_col,
                            "role" => role_col,
                            _ => None,
                        };
                        // A value the file has no column for: said, with the columns it has (a
                        // `value` column is not read as the score).
                        let absent = |field: &str| {
                            format!(
                                "{}; the file has no {field} column (its columns: {})",
                                e.reason,
                                table.headers.join(", ")
                            )
                        };
                        match column {
                            // A type tend does not know is a note, which has neither: said of the
                            // type ("NPS and CSAT" with a rating named only the rating).
                            _ if other_type.is_some() && matches!(e.field, "score" | "kind") => pass.bad(
                                line,
                                &table.headers[kind_col],
                                kind_cell,
                                format!(
                                    "not a kind tend knows, so read as a note, and {}: a survey's kind is nps, csat \
                                     or ces, a touch's {}",
                                    e.reason,
                                    TouchChannel::keys_text()
                                ),
                            ),
                            Some(c) => pass.bad(line, &table.headers[c], table.cell(row, c), e.reason),
                            None if e.field == "kind" => pass.bad(line, "channel", "", absent("channel")),
                            // Named as `tend help import` names it, with the other headers read so.
                            None if matches!(e.field, "title" | "reason") => {
                                pass.bad(line, "Title", "", absent("Title (or Reason, Subject)"))
                            }
                            None => pass.bad(line, e.field, "", absent(e.field)),
                        }
                    }
                    // The people it was with: contacts of the account, by name ("Ana Ruiz; Bo Lee").
                    let mut with = Vec::new();
                    let names = part.with.unwrap_or("").split([';', ',']).map(str::trim).filter(|n| !n.is_empty());
                    let names: Vec<&str> = names.collect();
                    if kind.is_survey() {
                        // A survey's respondent, by name or email: most who answer a survey are not
                        // in the book's contacts, and the answer counts without them. Said, not refused.
                        let email = cell(email_col).map(str::trim);
                        let mut found = None;
                        for key in names.iter().copied().chain(email).take(2) {
                            found = found.or(w.contact_named(account, key)?);
                        }
                        match (found, names.first().copied().or(email)) {
                            (Some(id), _) => with.push(id),
                            (None, Some(who)) => pass.report.not_contacts.see(line, who),
                            (None, None) => {}
                        }
                    } else {
                        for name in names {
                            match w.contact_named(account, name)? {
                                Some(id) => with.push(id),
                                None => pass.bad(
                                    line,
                                    &table.headers[with_col.unwrap_or(0)],
                                    name,
                                    format!(
                                        "no contact of the account is called \"{name}\" (import the contacts first)"
                                    ),
                                ),
                            }
                        }
                    }
                    // A survey answered by a contact is that contact's role's, unless the file says.
                    let mut role = input.role;
                    if kind.is_survey() && role.is_none() {
                        for id in &with {
                            role = role.or(w.contact_role(*id)?);
                        }
                    }
                    if pass.row_ok() {
                        match (kind, felt) {
                            // Touches by channel: a CRM's own types are read so ("In-Person
                            // Meeting" as onsite), and a probe had to work their number out.
                            (EntryKind::Touch, _) => {
                                let key = channel.map_or("touch", |c| c.key());
                                super::tally(&mut pass.report.touches, 1, |k| *k == key, || key);
                            }
                            (EntryKind::Note, _) => {
                                pass.report.notes += 1;
                                if let Some(kind) = other_type {
                                    let same = |t: &String| t.eq_ignore_ascii_case(kind);
                                    super::tally(&mut pass.report.other_types, 1, same, || kind.to_string());
                                }
                            }
                            (EntryKind::Sentiment, true) => pass.report.notes_felt.see(line, ""),
                            _ => {}
                        }
                        // A sentiment the Sentiment column gave, counted where it is written.
                        if let Some((_, c, text, said_raw)) = said_sentiment.filter(|s| part.score_col == Some(s.1)) {
                            debug_assert_eq!(Some(c), sentiment_col);
                            pass.report.sentiments_beside.see(line, text);
                            pass.report.sentiment_words |= said_raw.is_none();
                        }
                        // Every sentiment given as a number, as the file writes it: a 1-5 scale
                        // is told by them.
                        if let Some(n) = raw {
                            pass.report.sentiment_numbers.see(n);
                        }
                        let mut entry = NewEntry {
                            account_id: account,
                            csm_id: None,
                            kind,
                            day,
                            score: input.score,
                            channel: input.channel,
                            title: input.title,
                            closed_on: input.closed_on,
                            note: input.note,
                            role,
                        };
                        // A file's rows match the book's entries one to one: a re-import adds nothing,
                        // and two identical rows (two users giving the same score on a day) are two
                        // entries.
                        // An answer imported before its respondent was a contact has no role: the
                        // same answer again, now with the contact's role, is that one, not a second.
                        if input.role.is_none() && entry.role.is_some() {
                            let unlinked = NewEntry { role: None, ..entry.clone() };
                            if !w.entries_like(&unlinked, last_before)?.is_empty() {
                                entry.role = None;
                            }
                        }
                        // A file without a note column matches entries whatever their note, and
                        // keeps it (a file that had lost its comments' column added every row again).
                        let like_of = |w: &mut dyn BookTxn, e: &NewEntry| match note_said {
                            true => w.entries_like(e, last_before),
                            false => w.entries_like_but_note(e, last_before),
                        };
                        let like = like_of(w, &entry)?;
                        let before = like.len();
                        let key = entry_key(&entry);
                        let matched = matched_so_far.get(&key).copied().unwrap_or(0);
                        // A risk or bug the file says was cleared, which the book has open: the same
                        // one, cleared now (a sheet re-imported once a risk closed kept it open beside
                        // a cleared copy). Not one an earlier row of the file has open.
                        let to_clear = match entry.closed_on.is_some() && matched >= before {
                            true => {
                                let open = NewEntry { closed_on: None, ..entry.clone() };
                                let kept_open = matched_so_far.get(&entry_key(&open)).copied().unwrap_or(0);
                                like_of(w, &open)?.get(kept_open).copied()
                            }
                            false => None,
                        };
                        // The people of a row the book has: a By or With the file changed (an
                        // activity reassigned in the CRM) changes the entry's, where the file names
                        // them. An entry from before this import is signed by a CSM the book had.
                        // Spaced as the accounts import spaces an owner ("maya  patel" is Maya Patel).
                        let by = cell(csm_col).map(crate::text::single_spaced);
                        let by = by.as_deref();
                        // A survey's respondent is found when they are a contact: the same answer
                        // imported again once they are is the same answer, as it was.
                        let with_said = !kind.is_survey() && part.with.is_some();
                        let mut repeople = None;
                        if matched < before && (by.is_some() || with_said) {
                            let was = w.entry_people(like[matched])?;
                            let signer = by
                                .filter(|_| !book_signs)
                                .map(|name| had.iter().find(|(_, n)| n.eq_ignore_ascii_case(name)).map(|(id, _)| *id));
                            let by_changed = signer.is_some_and(|id| id.is_none() || id != was.csm_id);
                            let sorted = |ids: &[i64]| {
                                let mut ids = ids.to_vec();
                                ids.sort_unstable();
                                ids
                            };
                            let with_changed = with_said && sorted(&with) != sorted(&was.contact_ids);
                            if by_changed || with_changed {
                                let contact_ids = if with_said { with.clone() } else { was.contact_ids.clone() };
                                repeople = Some(EntryPeople { csm_id: was.csm_id, contact_ids });
                            }
                        }
                        // The CSM a row's By names, added (and said, where the book had CSMs: a first
                        // file's are all new) when the book has not got them.
                        let signer_named = |w: &mut dyn BookTxn, pass: &mut Pass, name: &str| {
                            let known = |n: &String| n.eq_ignore_ascii_case(name);
                            let names = had.iter().map(|(_, n)| n);
                            if !had.is_empty() && !names.clone().any(known) && !pass.report.new_csms.iter().any(known) {
                                pass.report.new_csms.push(name.to_string());
                            }
                            w.csm_id(name)
                        };
                        // A row the book has as often as the file has had it so far is that entry (two
                        // identical rows are two entries). Another's account may be named where the
                        // row changes nothing (a CSM's export of the whole team's timeline, imported
                        // back).
                        if matched < before {
                            claimed.insert(like[matched]);
                        }
                        if matched < before && repeople.is_none() {
                            matched_so_far.insert(key, matched + 1);
                            pass.report.unchanged += 1;
                        } else if let Some(why) = accounts.not_yours(account) {
                            bad(&mut pass, account_col, why);
                        } else if let Some(mut people) = repeople {
                            if let Some(name) = by.filter(|_| !book_signs) {
                                people.csm_id = Some(signer_named(w, &mut pass, name)?);
                            }
                            w.set_entry_people(like[matched], &people)?;
                            matched_so_far.insert(key, matched + 1);
                            touched.insert(account);
                            pass.report.updated += 1;
                        } else if let Some(id) = to_clear {
                            claimed.insert(id);
                            if !note_said {
                                entry.note = w.entry_note(id)?;
                            }
                            w.update_entry(id, &entry)?;
                            matched_so_far.insert(key, matched + 1);
                            touched.insert(account);
                            pass.report.updated += 1;
                        } else {
                            let owners = match by {
                                Some(name) => {
                                    entry.csm_id = Some(signer_named(w, &mut pass, name)?);
                                    false
                                }
                                // A survey answer is the customer's, not the CSM's work: unsigned
                                // (the timeline named the account's CSM beside an imported NPS).
                                None => !entry.kind.is_survey(),
                            };
                            // New, or the book's entry whose note the CRM edited: told once every
                            // row has taken the entry it is (below). Only a row with such an entry
                            // waits: the rest are written a batch at a time, as memory allows.
                            let edited = note_said
                                && w.entries_like_but_note(&entry, last_before)?.iter().any(|id| !claimed.contains(id));
                            match edited {
                                true => unmatched.push((entry, with, owners)),
                                false => {
                                    if entry.kind == EntryKind::Risk && entry.closed_on.is_none() {
                                        let (count, oldest, _) = &mut pass.report.risks_open;
                                        *count += 1;
                                        *oldest = Some(oldest.map_or(entry.day, |d| d.min(entry.day)));
                                    }
                                    new_entries.add(w, entry, with, owners)?;
                                    pass.report.new += 1;
                                }
                            }
                            touched.insert(account);
                        }
                    }
                }
            }
            pass.end_row(row)?;
            Ok(())
        })?;
        bar.finish_and_clear();
        // A row no entry says just so, whose entry says all it says but the note, and is the only
        // one of those no row took: that entry, its note edited in the CRM (it was added as a
        // second activity beside the first). Two such, or none: a new entry. (Only a file with a
        // note column has such rows.)
        for (entry, with, owners) in unmatched {
            let mut edited =
                w.entries_like_but_note(&entry, last_before)?.into_iter().filter(|id| !claimed.contains(id));
            match (edited.next(), edited.next()) {
                (Some(id), None) => {
                    claimed.insert(id);
                    w.update_entry(id, &entry)?;
                    pass.report.updated += 1;
                }
                _ => {
                    new_entries.add(w, entry, with, owners)?;
                    pass.report.new += 1;
                }
            }
        }
        new_entries.write(w)?;
        w.invalidate_snapshots_of(&touched.into_iter().collect::<Vec<_>>())?;
        pass.report.name_csms_like(&had.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>());
        pass.report.named_loosely = accounts.named_loosely();
        pass.finish()
    })?
    .ok_or_else(|| ImportError::Read { file: name.clone(), reason: "changed while it was read".into() })
}

/// How a file names each row's account: by a column of its own, or by its respondent's email (a
/// survey tool's export), the account whose contact has it.
enum AccountBy {
    Column(usize),
    Email { column: usize, accounts: std::collections::HashMap<String, Vec<(i64, String)>> },
}

impl AccountBy {
    fn column(&self) -> usize {
        match self {
            AccountBy::Column(c) | AccountBy::Email { column: c, .. } => *c,
        }
    }

    fn id_of(&self, index: &AccountIndex, cell: &str) -> Option<i64> {
        self.known(index, cell).ok()
    }

    /// The row's account, or why it has none.
    fn known(&self, index: &AccountIndex, cell: &str) -> Result<i64, String> {
        let AccountBy::Email { accounts, .. } = self else { return index.known(cell) };
        match accounts.get(&cell.trim().to_lowercase()).map(Vec::as_slice) {
            Some([(id, _)]) => Ok(*id),
            Some(several) => Err(format!(
                "contacts of several accounts have this email ({}): an Account column says which",
                several.iter().map(|(_, key)| key.as_str()).collect::<Vec<_>>().join(", ")
            )),
            None => Err("no contact in the book has this email: without an Account column, each row's account is the \
                         one whose contact has its respondent's email (import the contacts first, or add an Account column)"
                .into()),
        }
    }
}

/// The accounts whose contacts have each email (in lower case), with their external ids.
fn accounts_by_email(
    contacts: &[crate::store::ContactRecord],
) -> std::collections::HashMap<String, Vec<(i64, String)>> {
    let mut out: std::collections::HashMap<String, Vec<(i64, String)>> = std::collections::HashMap::new();
    for c in contacts.iter().filter(|c| !c.email.trim().is_empty()) {
        let accounts = out.entry(c.email.trim().to_lowercase()).or_default();
        if !accounts.iter().any(|(id, _)| *id == c.account_id) {
            accounts.push((c.account_id, c.external_id.clone()));
        }
    }
    out
}

/// One entry a row gives: its own, or the sentiment its Sentiment column gives beside it.
struct Part<'r> {
    kind: EntryKind,
    score: Option<i64>,
    /// A sentiment's number as the file writes it (on its own scale; None for a word).
    raw: Option<i64>,
    /// The column the score was read from, named where it is refused.
    score_col: Option<usize>,
    channel: Option<TouchChannel>,
    title: Option<String>,
    closed: Option<chrono::NaiveDate>,
    /// None where the entry says nothing of a note (no such column, or the sentiment beside).
    note: Option<String>,
    role: Option<ContactRole>,
    with: Option<&'r str>,
}

impl Part<'_> {
    /// The sentiment a row's Sentiment column gives beside its own entry: a score, nothing else.
    fn sentiment_beside(score: i64, raw: Option<i64>, column: usize) -> Self {
        Part {
            kind: EntryKind::Sentiment,
            score: Some(score),
            raw,
            score_col: Some(column),
            channel: None,
            title: None,
            closed: None,
            note: None,
            role: None,
            with: None,
        }
    }
}

/// A Sentiment column's value: a whole number on the file's scale, or a CRM's word for it, read
/// on tend's scale (and said so): very positive 9, positive 8, neutral 5, negative 3, very
/// negative 2. The number as the file writes it (None for a word).
fn sentiment_of(text: &str, scale: SentimentScale) -> Result<(i64, Option<i64>), String> {
    let t = text.trim().to_lowercase();
    // Checked here, before any entry of the row is written: a touch was written and its row
    // then rejected for a sentiment of 11 beside it.
    if let Ok(n) = t.parse::<i64>() {
        return scale.read(n).map(|on_ten| (on_ten, Some(n)));
    }
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    let score = match t.as_str() {
        "very positive" | "very happy" => 9,
        "positive" | "happy" | "good" => 8,
        "neutral" | "mixed" | "ok" | "okay" => 5,
        "negative" | "unhappy" | "bad" => 3,
        "very negative" | "very unhappy" => 2,
        _ => {
            return Err("not a sentiment: a whole number 1-10, or positive, neutral or negative (very positive, \
                        very negative)"
                .into());
        }
    };
    Ok((score, None))
}

/// What an entry says, as the import tells the file's rows apart.
fn entry_key(entry: &NewEntry) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    format!("{entry:?}").hash(&mut h);
    h.finish()
}

/// New entries waiting to be written, a batch at a time.
#[derive(Default)]
struct NewEntries {
    /// Each with the people it was with, and whether it is signed by its account's CSM.
    waiting: Vec<(NewEntry, Vec<i64>, bool)>,
}

impl NewEntries {
    /// Rows a batch: a team book takes each batch in one statement.
    const BATCH: usize = 5_000;

    fn add(
        &mut self,
        w: &mut dyn BookTxn,
        entry: NewEntry,
        with: Vec<i64>,
        owners: bool,
    ) -> Result<(), crate::book::storage::BookError> {
        self.waiting.push((entry, with, owners));
        if self.waiting.len() >= Self::BATCH {
            self.write(w)?;
        }
        Ok(())
    }

    /// Write those waiting, the ones signed by their account's CSM given that CSM.
    fn write(&mut self, w: &mut dyn BookTxn) -> Result<(), crate::book::storage::BookError> {
        let owned: Vec<i64> =
            self.waiting.iter().filter(|(_, _, owners)| *owners).map(|(e, _, _)| e.account_id).collect();
        let csms = w.account_csms(&owned)?;
        let batch: Vec<(NewEntry, Vec<i64>)> = self
            .waiting
            .drain(..)
            .map(|(mut entry, with, owners)| {
                if owners {
                    entry.csm_id = csms.get(&entry.account_id).copied().flatten();
                }
                (entry, with)
            })
            .collect();
        w.insert_entries(&batch)
    }
}

/// A kind cell naming a CRM's task ("Task", "To-do"): what an activity export holds beside its
/// touches that is no log entry.
/// The kind tend knows that a type it does not is a letter or two away from ("Cal", "Emial",
/// "Nte"): a misspelling, refused, where any other type is a note. Survey kinds and sentiments are
/// left out: their rows carry a score, which a note refuses anyway, and "Chat" is a letter from
/// "CSAT".
fn misspelt_kind(text: &str) -> Option<&'static str> {
    const KINDS: [&str; 12] =
        ["touch", "note", "notes", "bug", "risk", "call", "email", "meeting", "qbr", "onsite", "phone", "visit"];
    let typed = text.trim().to_lowercase();
    let near = if typed.chars().count() >= 6 { 2 } else { 1 };
    KINDS.into_iter().find(|k| strsim::damerau_levenshtein(&typed, k) <= near)
}

fn is_crm_task(text: &str) -> bool {
    matches!(text.trim().to_lowercase().as_str(), "task" | "tasks" | "to-do" | "todo")
}

/// How the read for a survey's first respondent stopped: at one (an address or not), or on a file
/// it could not read (the import's own read says why).
enum FirstRespondent {
    Address(bool),
    Unread,
}

impl From<ImportError> for FirstRespondent {
    fn from(_: ImportError) -> Self {
        FirstRespondent::Unread
    }
}

/// A kind of entry as a file writes it: its key ("touch", "NPS"), a touch by its channel as a
/// CRM's activity type says it ("Call", "QBR", "Zoom": a touch on that channel), or a survey by
/// a word of its name ("NPS Q4", "CSAT - support", "Post-onboarding NPS"). A probe's "QBR" and "Call" rows and a survey
/// tool's "NPS Q4" were refused as no kind of entry.
fn kind_of(text: &str) -> Option<(EntryKind, Option<TouchChannel>)> {
    let lower = text.trim().to_lowercase();
    if let Some(kind) = EntryKind::from_key(&lower) {
        return Some((kind, None));
    }
    // A CRM's "Notes" (HubSpot's engagement type).
    if lower == "notes" {
        return Some((EntryKind::Note, None));
    }
    if let Some(channel) = TouchChannel::from_words(&lower) {
        return Some((EntryKind::Touch, Some(channel)));
    }
    // A survey by one of its words, the first such ("Post-onboarding NPS" as "NPS Q4": a probe's
    // had to be renamed): one kind of survey, not two ("NPS and CSAT" is none).
    let mut surveys =
        lower.split(|c: char| !c.is_alphanumeric()).filter_map(EntryKind::from_key).filter(|k| k.is_survey());
    match (surveys.next(), surveys.next()) {
        (Some(kind), None) => Some((kind, None)),
        _ => None,
    }
}
