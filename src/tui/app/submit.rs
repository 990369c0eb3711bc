//! Forms: opening them on the current account, saving them through the book's use cases, and
//! showing what a write did.

use color_eyre::Result;

use super::App;
use crate::book;
use crate::domain::entry::EntryKind;
use crate::store::EntryRecord;
use crate::store::log::Entity;
use crate::tui::forms::{self, FormPurpose, OpenForm};
use crate::tui::views::account::AccountTab;

impl App {
    pub(super) fn open_entry_form(&mut self, kind: EntryKind) -> Result<()> {
        if let Some((id, name)) = self.current_account() {
            let form = forms::entry_form(kind, &name, None, "", self.today);
            self.form = Some(OpenForm { purpose: FormPurpose::NewEntry { account_id: id, kind }, form });
        }
        Ok(())
    }

    pub(super) fn edit_selected(&mut self) -> Result<()> {
        let writes = match self.account.as_ref().and_then(|v| v.selected_target()) {
            Some((Entity::Entry, _)) => Some("change entries"),
            Some((Entity::Milestone, _)) => Some("change milestones"),
            Some((Entity::Goal, _)) => Some("change goals"),
            Some((Entity::Contact, _)) => Some("change the people"),
            _ => None,
        };
        if let (Some(writes), Some(id)) = (writes, self.account.as_ref().map(|v| v.detail.account.id))
            && self.refused_not_mine(id, writes)
        {
            return Ok(());
        }
        let Some(view) = &self.account else { return Ok(()) };
        let name = view.detail.account.name.clone();
        let Some((entity, id)) = view.selected_target() else {
            if view.tab == AccountTab::Health {
                self.say("e edits the selected line: Tab to the Timeline, Goals, Journey, Tasks or People.");
            } else {
                self.say("Goals, milestones, tasks and people are edited in their own tabs.");
            }
            return Ok(());
        };
        let open = match entity {
            Entity::Entry => self.store.entry(id)?.map(|e| {
                let with: Vec<&str> = e
                    .with
                    .iter()
                    .filter_map(|c| view.detail.contacts.iter().find(|x| x.id == *c))
                    .map(|c| c.name.as_str())
                    .collect();
                OpenForm {
                    purpose: FormPurpose::EditEntry { entry_id: id, kind: e.kind },
                    form: forms::entry_form(e.kind, &name, Some(&clean_entry(e.clone())), &with.join(", "), self.today),
                }
            }),
            Entity::Goal => view.detail.goals.iter().find(|g| g.id == id).map(|g| OpenForm {
                purpose: FormPurpose::EditGoal { goal_id: id },
                form: forms::goal_form(&name, Some(g), self.today),
            }),
            Entity::Task => view.detail.tasks.iter().find(|t| t.id == id).map(|t| OpenForm {
                purpose: FormPurpose::EditTask { task_id: id },
                form: forms::task_form(&name, Some(t), "", self.today),
            }),
            Entity::Contact => view.detail.contacts.iter().find(|c| c.id == id).map(|c| OpenForm {
                purpose: FormPurpose::EditContact { contact_id: id },
                form: forms::contact_form(&name, Some(c), self.today),
            }),
            Entity::Account | Entity::ContractEvent | Entity::BandOverride | Entity::ArrChange => None,
            Entity::Milestone => view.detail.milestones.iter().find(|m| m.id == id).map(|m| OpenForm {
                purpose: FormPurpose::EditMilestone { milestone_id: id },
                form: forms::milestone_form(
                    &name,
                    Some(m),
                    &self.config.journeys.names().collect::<Vec<_>>(),
                    self.today,
                ),
            }),
        };
        self.form = open;
        Ok(())
    }

    /// Save the open form: check it, write it, and close it; or keep it open with the problem.
    pub(super) fn submit_form(&mut self) -> Result<()> {
        let Some(open) = self.form.clone() else { return Ok(()) };
        match open.purpose {
            FormPurpose::Snooze { account_id } => return self.submit_snooze(&open, account_id),
            FormPurpose::BookOf => return self.submit_book_of(&open),
            // Saved as it was opened: nothing to write (and a note's tabs and line ends stay
            // as they were in the book).
            FormPurpose::EditEntry { .. }
            | FormPurpose::EditGoal { .. }
            | FormPurpose::EditMilestone { .. }
            | FormPurpose::EditTask { .. }
            | FormPurpose::EditContact { .. }
                if open.form.is_unchanged() =>
            {
                self.form = None;
                self.say("Nothing changed.");
                return Ok(());
            }
            _ => {}
        }
        let today = self.today;
        let task = match open.purpose {
            FormPurpose::EditTask { task_id } => self.store.task(task_id)?,
            _ => None,
        };
        let csms = self.store.csms()?;
        // Someone new in a new entry's "With": said first; a second Enter adds them to People,
        // then logs the entry with them (two changes, each its own undo).
        let mut added_people = Vec::new();
        if let FormPurpose::NewEntry { account_id, .. } = open.purpose {
            let new = forms::new_people(&open.form, &self.store.contacts_for(account_id)?);
            if !new.is_empty() && (account_id, &new) != (self.people_to_add.0, &self.people_to_add.1) {
                let names = new.iter().map(|n| format!("\"{}\"", crate::text::clean(n))).collect::<Vec<_>>().join(", ");
                let (is, them) = if new.len() == 1 { ("is", "them") } else { ("are", "them all") };
                if let Some(form) = &mut self.form {
                    form.form.error = Some(format!(
                        "{names} {is} no one at this account yet: Enter again adds {them} to People, or fix the name"
                    ));
                }
                self.people_to_add = (account_id, new);
                return Ok(());
            }
            self.people_to_add = (0, Vec::new());
            for name in new {
                let input = crate::domain::contact::ContactInput {
                    name: name.clone(),
                    title: String::new(),
                    email: String::new(),
                    role: None,
                    status: crate::domain::contact::ContactStatus::Active,
                    left_on: None,
                    note: String::new(),
                };
                let mut parts = self.ctx_parts();
                match book::contacts::add_contact(&mut parts.seam(), account_id, &input) {
                    Ok(_) => added_people.push(name),
                    Err(e) => {
                        if let Some(form) = &mut self.form {
                            form.form.error = Some(form.form.in_its_words(&e.to_string()));
                        }
                        return Ok(());
                    }
                }
            }
            // A team book's snapshot has them once pulled again.
            if !added_people.is_empty() && self.on_team_book() {
                self.pull_team()?;
            }
        }
        // The people of the account the form is about, for a touch's "With".
        let people = match open.purpose {
            FormPurpose::NewEntry { account_id, .. } => self.store.contacts_for(account_id)?,
            FormPurpose::EditEntry { entry_id, .. } => match self.store.account_of(Entity::Entry, entry_id)? {
                Some(account_id) => self.store.contacts_for(account_id)?,
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        // "me" is the reader, as `--owner me` is on the command line: a probe's founder typed "Me"
        // and read "no CSM is called "Me"".
        let signed_in = self.team_book.as_ref().and_then(|link| link.signer.clone());
        let me = signed_in.or_else(|| self.config.me().map(str::to_owned));
        let owner = |typed: &str| {
            let name = match (typed.trim().eq_ignore_ascii_case("me"), &me) {
                (false, _) => typed,
                (true, Some(me)) => me.as_str(),
                (true, None) => {
                    return Err("\"me\" is no CSM here: set `me = \"Your Name\"` in the config, or type a CSM's name"
                        .to_string());
                }
            };
            book::resolve::resolve_name("CSM", name, csms.iter().map(|(_, n)| n.as_str())).map_err(|e| e.to_string())
        };
        self.reconnect_if_lost()?;
        let mut parts = self.ctx_parts();
        let result = match open.purpose {
            FormPurpose::NewEntry { account_id, kind } => forms::entry_input(&open.form, kind, today)
                .and_then(|input| Ok((input, forms::with_people(&open.form, &people)?)))
                .map_err(Into::into)
                .and_then(|(input, with)| book::log::log_entry_with(&mut parts.seam(), account_id, &input, &with)),
            FormPurpose::EditEntry { entry_id, kind } => forms::entry_input(&open.form, kind, today)
                .and_then(|input| Ok((input, forms::with_people(&open.form, &people)?)))
                .map_err(Into::into)
                .and_then(|(input, with)| book::log::edit_entry_with(&mut parts.seam(), entry_id, &input, &with)),
            FormPurpose::NewContact { account_id } => forms::contact_input(&open.form, today)
                .map_err(Into::into)
                .and_then(|input| book::contacts::add_contact(&mut parts.seam(), account_id, &input)),
            FormPurpose::EditContact { contact_id } => forms::contact_input(&open.form, today)
                .map_err(Into::into)
                .and_then(|input| book::contacts::edit_contact(&mut parts.seam(), contact_id, &input)),
            FormPurpose::NewGoal { account_id } => forms::goal_input(&open.form, today)
                .map_err(Into::into)
                .and_then(|input| book::log::add_goal(&mut parts.seam(), account_id, &input)),
            FormPurpose::EditGoal { goal_id } => forms::goal_input(&open.form, today)
                .map_err(Into::into)
                .and_then(|input| book::log::edit_goal(&mut parts.seam(), goal_id, &input)),
            FormPurpose::NewMilestone { account_id } => forms::milestone_input(&open.form, today)
                .map_err(Into::into)
                .and_then(|input| book::log::add_milestone(&mut parts.seam(), account_id, &input)),
            FormPurpose::EditMilestone { milestone_id } => forms::milestone_input(&open.form, today)
                .map_err(Into::into)
                .and_then(|input| book::log::edit_milestone(&mut parts.seam(), milestone_id, &input)),
            FormPurpose::NewTask { account_id } => forms::task_input(&open.form, None, today, owner)
                .map_err(Into::into)
                .and_then(|input| book::tasks::add_task(&mut parts.seam(), account_id, &input)),
            FormPurpose::EditTask { task_id } => forms::task_input(&open.form, task.as_ref(), today, owner)
                .map_err(Into::into)
                .and_then(|input| book::tasks::edit_task(&mut parts.seam(), task_id, &input)),
            FormPurpose::Renew { account_id } => {
                let mut seam = parts.seam();
                seam.book
                    .account(account_id)
                    .map_err(Into::into)
                    .and_then(|account| forms::renew_input(&open.form, &account).map_err(Into::into))
                    .and_then(|(day, until, arr)| book::contracts::renew(&mut seam, account_id, day, until, arr))
            }
            FormPurpose::Churn { account_id } => forms::churn_input(&open.form)
                .map_err(Into::into)
                .and_then(|(day, reason)| book::contracts::churn(&mut parts.seam(), account_id, day, &reason)),
            FormPurpose::OverrideBand { account_id } => match open.form.choice("band") {
                "clear" => book::overrides::clear(&mut parts.seam(), account_id),
                key => match crate::store::overrides::band_from_key(key) {
                    Some(band) => open.form.date("until").map_err(Into::into).and_then(|until| {
                        let until = until.unwrap_or(today + chrono::Duration::days(30));
                        book::overrides::set(&mut parts.seam(), account_id, band, &open.form.text("reason"), until)
                    }),
                    None => return Ok(()),
                },
            },
            FormPurpose::Assign { account_id } => book::owners::assign(
                &mut parts.seam(),
                account_id,
                &open.form.text("csm"),
                open.form.choice("new") == "yes",
                "New CSM: yes hands it to someone new to the book by that name",
            ),
            FormPurpose::Snooze { .. } | FormPurpose::BookOf => return Ok(()),
        };
        match result {
            Ok(mut outcome) => {
                self.form = None;
                if let FormPurpose::NewEntry { account_id, .. } = open.purpose {
                    self.say_who_signs(account_id, &mut outcome.message);
                }
                if !added_people.is_empty() {
                    let names = added_people.iter().map(|n| crate::text::clean(n)).collect::<Vec<_>>().join(", ");
                    outcome.message.push_str(&format!("; {names} added to People"));
                }
                self.after_write(outcome)
            }
            // Keep what was typed; say what is wrong.
            Err(e) => {
                if let Some(open) = &mut self.form {
                    open.form.error = Some(open.form.in_its_words(&e.to_string()));
                }
                Ok(())
            }
        }
    }

    /// Without `me` in the config an entry is signed as the account's CSM: said once a session,
    /// with how to sign as oneself (on a team book one signs in as oneself).
    fn say_who_signs(&mut self, account_id: i64, message: &mut String) {
        if self.said_who_signs || self.config.me().is_some() || self.on_team_book() {
            return;
        }
        self.said_who_signs = true;
        let csm = self.portfolio.rows().iter().find(|r| r.id == account_id).map(|r| r.csm.to_string());
        // Short: the message says the score's change first, in two lines at 80 columns.
        let who = match csm.filter(|c| !c.is_empty()) {
            Some(csm) => format!("signed as {csm}, its CSM"),
            None => "signed as no one: no CSM".to_string(),
        };
        message.push_str(&format!(" ({who}; me in the config signs as you)"));
    }

    pub(super) fn submit_snooze(&mut self, open: &OpenForm, account_id: i64) -> Result<()> {
        match open.form.number("days") {
            Ok(days) => {
                self.form = None;
                let item = self.triage.shown().find(|i| i.id == account_id).cloned();
                if let Some(item) = item {
                    self.mark_item(&item, Some(days))?;
                }
            }
            Err(e) => {
                if let Some(open) = &mut self.form {
                    open.form.error = Some(open.form.in_its_words(&e.to_string()));
                }
            }
        }
        Ok(())
    }

    /// Show the book of the CSM typed (a case-insensitive start of a name), or everyone's.
    pub(super) fn submit_book_of(&mut self, open: &OpenForm) -> Result<()> {
        let typed = open.form.text("csm");
        let typed = typed.trim();
        if typed.is_empty() {
            self.form = None;
            self.book_of = None;
            self.apply_book_of();
            return Ok(());
        }
        // The same rule as the command line's --csm: a name in any case, or the unique start of one.
        let mut names: Vec<&str> = self.portfolio.rows().iter().map(|r| &*r.csm).filter(|c| !c.is_empty()).collect();
        names.sort_unstable();
        names.dedup();
        let unassigned = self.portfolio.rows().iter().any(|r| r.csm.is_empty());
        let chosen = match book::resolve::resolve_name("CSM", typed, names) {
            // The Team view's line of the accounts without a CSM, by the name it has there.
            Err(book::resolve::NameError::Unknown { .. })
                if unassigned && ["unassigned", "no csm", "none"].contains(&typed.to_lowercase().as_str()) =>
            {
                Ok(String::new())
            }
            other => other.map_err(|e| e.to_string()),
        };
        match chosen {
            Ok(name) => {
                self.book_of = Some(name);
                self.form = None;
                self.apply_book_of();
            }
            Err(message) => self.form_error(message),
        }
        Ok(())
    }

    pub(super) fn form_error(&mut self, message: String) {
        if let Some(open) = &mut self.form {
            open.form.error = Some(open.form.in_its_words(&message));
        }
    }

    pub(super) fn finish(&mut self, result: book::log::Result<book::log::Outcome>) -> Result<()> {
        match result {
            Ok(outcome) => self.after_write(outcome),
            Err(e) => {
                self.fail(e.to_string());
                Ok(())
            }
        }
    }

    /// Show what a write did, and redraw the account's score and breakdown at once.
    pub(super) fn after_write(&mut self, mut outcome: book::log::Outcome) -> Result<()> {
        // "Acme Corp: 70 (Y) -> 93 (G)" says which Acme Corp where others share the name, as the
        // lists name it.
        if let Some(row) = self.portfolio.rows().iter().find(|r| r.id == outcome.account_id)
            && let Some((name, _)) = book::names::split_told_apart(&row.name)
            && let Some(rest) = outcome.message.strip_prefix(&format!("{}:", crate::text::clean(name)))
        {
            outcome.message = format!("{}:{rest}", row.name);
        }
        // A team book's write is shown from the team book, pulled again (playbooks do not run
        // after a team book's writes yet).
        if self.on_team_book() {
            let before = self.account.as_ref().map(|v| v.ids());
            self.pull_team()?;
            // The playbooks decide on the book as pulled, and write to the team book.
            let run = match &mut self.team_book {
                Some(link) => book::playbooks::after_write_to(
                    &mut self.store,
                    Some(&mut link.book),
                    &self.config,
                    &self.session,
                    self.today,
                    &outcome,
                )?,
                None => Default::default(),
            };
            match run.after_write_note(&self.config, self.today) {
                Some(fired) => {
                    self.pull_team()?;
                    self.say(&format!("{}; {fired}", outcome.message));
                }
                None => self.say(&outcome.message),
            }
            if let (Some(view), Some(before)) = (&mut self.account, before)
                && view.detail.account.id == outcome.account_id
            {
                view.select_new(&before);
            }
            return Ok(());
        }
        let id = outcome.account_id;
        let run = book::playbooks::after_write(&mut self.store, &self.config, &self.session, self.today, &outcome)?;
        match run.after_write_note(&self.config, self.today) {
            Some(fired) => self.say(&format!("{}; {fired}", outcome.message)),
            None => self.say(&outcome.message),
        }
        // The book's first bug (or its last taken back) changes what every account's bug count
        // means: the whole book is read again, not the one account (the lists kept the others'
        // scores from before until tend was opened again).
        if self.store.book_days()? != self.seen_book_days {
            return self.reload();
        }
        let was_selected = self.triage.selected_item().is_some_and(|i| i.id == id);
        if let Some(mut row) = book::refresh_row(&mut self.store, &self.config, id, self.today)? {
            self.triage_book.refresh_account(&self.store, &self.config, id)?;
            self.triage_book.annotate_row(&self.config, &mut row);
            self.portfolio.replace_row(row);
            self.relist();
        }
        // The item written to left the list: the cursor is on the next, which a key pressed at
        // once (h) acts on (a probe's sentiment took Maple & Oak off the list, and the `h` after
        // it handled Acme Analytics, the item that had moved up under the cursor).
        if was_selected
            && self.screen == super::Screen::Triage
            && self.account.is_none()
            && !self.triage.shown().any(|i| i.id == id)
            && let Some(said) = self.message.clone()
        {
            let next = self.triage_selection().map(|(_, name)| name);
            let name = self.portfolio.rows().iter().find(|r| r.id == id).map(|r| r.name.clone()).unwrap_or_default();
            let cursor = match next {
                Some(next) => format!("the cursor is on {next}"),
                None => "the list is empty".to_string(),
            };
            // Fallen below the morning's list is not off it: a probe read "off the list now" of
            // an overdue renewal still 17th on the whole list.
            let gone = match self.triage.lists(id) {
                true => format!("{name} fell below the morning's list (A lists it)"),
                false => format!("{name} is off the list now"),
            };
            // First: a long message (signed as, a playbook's tasks) is cut at the foot of the screen.
            self.say(&format!("{gone}; {cursor}. {said}"));
        }
        if self.grid.is_some() {
            self.refresh_grid();
        }
        if self.renewals.is_some() {
            self.refresh_renewals();
        }
        if self.team.is_some() {
            self.refresh_team();
        }
        self.refresh_scoring()?;
        if let Some(view) = &mut self.account
            && view.detail.account.id == id
        {
            let before = view.ids();
            view.replace(book::account_detail(&self.store, &self.config, id, self.today)?);
            view.select_new(&before);
        }
        Ok(())
    }
}

/// An entry's text cleaned for the form, like everything else drawn.
fn clean_entry(mut e: EntryRecord) -> EntryRecord {
    e.note = crate::text::clean_lines(&e.note);
    e.title = e.title.as_deref().map(crate::text::clean);
    e
}
