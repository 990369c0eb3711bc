//! Opening a form on the selected account: a log entry, a goal, a milestone, a renewal or churn,
//! a band override, a snooze, whose book to show.

use color_eyre::Result;

use super::App;
use crate::domain::entry::EntryKind;
use crate::tui::action::Action;
use crate::tui::forms::{self, FormPurpose, OpenForm};

impl App {
    /// Open the form an action asks for, on the selected account.
    pub(super) fn open_form(&mut self, action: Action) -> Result<()> {
        if action != Action::PickBookOf && self.refused_importer() {
            return Ok(());
        }
        // A book that cannot be written says so before a form is filled in, not after.
        if let Some(reason) = self.store.read_only()
            && action != Action::PickBookOf
        {
            let path = self.store.path().to_path_buf();
            // A preview's own words: nothing is written on a day still to come.
            let why = crate::book::preview_refusal_on_screen(self.today).filter(|_| self.store.previewing());
            self.fail(why.unwrap_or_else(|| {
                crate::store::StoreError::ReadOnly { path, reason: reason.to_string() }.to_string()
            }));
            return Ok(());
        }
        let writes = match action {
            Action::LogSentiment
            | Action::LogTouch
            | Action::LogNps
            | Action::LogCsat
            | Action::LogCes
            | Action::LogBug
            | Action::LogRisk
            | Action::LogNote => Some("log"),
            Action::AddGoal => Some("set goals"),
            Action::AddMilestone => Some("write milestones"),
            Action::Renew => Some("mark renewals"),
            Action::Churn => Some("mark churns"),
            Action::AddContact => Some("keep the people"),
            Action::OverrideBand => Some("override the band"),
            Action::Assign => Some("hand accounts over"),
            Action::Snooze => Some("snooze Triage items"),
            _ => None,
        };
        // On a day still to come nothing is written: said before a form is filled in. A snooze
        // is the list's own mark, not a fact of the book.
        let previewed = (writes.is_some() && action != Action::Snooze) || action == Action::AddTask;
        if let Some(why) = crate::book::preview_refusal_on_screen(self.today).filter(|_| previewed) {
            self.fail(why);
            return Ok(());
        }
        // The database's rule on a team book, said before a name is typed: a CSM hands over no
        // account, their own neither.
        if action == Action::Assign && self.team_book.as_ref().is_some_and(|l| l.is_csm) {
            self.fail("A lead hands accounts over: a CSM's stay theirs.".to_string());
            return Ok(());
        }
        if let Some(writes) = writes.filter(|_| self.on_team_book()) {
            let id = match action {
                Action::Snooze => self.triage_selection().map(|(item, _)| item.id),
                _ => self.current_account().map(|(id, _)| id),
            };
            if id.is_some_and(|id| self.refused_not_mine(id, writes)) {
                return Ok(());
            }
        }
        match action {
            Action::Renew | Action::Churn => {
                if let Some((id, name)) = self.current_account() {
                    let (form, purpose) = if action == Action::Renew {
                        let row = self.portfolio.rows().iter().find(|r| r.id == id);
                        let renewal = row.and_then(|r| r.renewal_date);
                        let account = crate::book::storage::BookRead::account(&self.store, id)?;
                        if let Some(why) = crate::book::contracts::renewed_already(&self.store, &account, self.today)? {
                            self.say(&format!("{why} `tend renew --until DATE` renews to another date."));
                            return Ok(());
                        }
                        let next = crate::book::contracts::next_renewal(renewal, self.today);
                        let on = crate::book::contracts::renewed_on_offered(renewal, self.today);
                        let arr = row.map(|r| r.arr.units()).unwrap_or_default();
                        (
                            forms::renew_form(&name, (renewal, next), arr, on, self.today),
                            FormPurpose::Renew { account_id: id },
                        )
                    } else {
                        (forms::churn_form(&name, self.today), FormPurpose::Churn { account_id: id })
                    };
                    self.form = Some(OpenForm { purpose, form });
                }
            }
            Action::OverrideBand => {
                if let Some((id, name)) = self.current_account() {
                    let current = self.portfolio.rows().iter().find(|r| r.id == id).and_then(|r| r.band);
                    let form = forms::override_form(&name, current, self.today);
                    self.form = Some(OpenForm { purpose: FormPurpose::OverrideBand { account_id: id }, form });
                }
            }
            Action::Assign => {
                if let Some((id, name)) = self.current_account() {
                    let csm = self.portfolio.rows().iter().find(|r| r.id == id).map(|r| r.csm.to_string());
                    let form = forms::assign_form(&name, csm.as_deref().unwrap_or(""));
                    self.form = Some(OpenForm { purpose: FormPurpose::Assign { account_id: id }, form });
                }
            }
            Action::PickBookOf => {
                let form = forms::book_of_form(self.book_of.as_deref().unwrap_or(""));
                self.form = Some(OpenForm { purpose: FormPurpose::BookOf, form });
            }
            Action::Snooze => {
                if let Some((item, name)) = self.triage_selection() {
                    let form = forms::snooze_form(&name, self.config.triage.snooze_days, self.today);
                    self.form = Some(OpenForm { purpose: FormPurpose::Snooze { account_id: item.id }, form });
                }
            }
            Action::LogSentiment => self.open_entry_form(EntryKind::Sentiment)?,
            Action::LogTouch => self.open_entry_form(EntryKind::Touch)?,
            Action::LogNps => self.open_entry_form(EntryKind::Nps)?,
            Action::LogCsat => self.open_entry_form(EntryKind::Csat)?,
            Action::LogCes => self.open_entry_form(EntryKind::Ces)?,
            Action::LogBug => self.open_entry_form(EntryKind::Bug)?,
            Action::LogRisk => self.open_entry_form(EntryKind::Risk)?,
            Action::LogNote => self.open_entry_form(EntryKind::Note)?,
            Action::AddGoal => {
                if let Some((id, name)) = self.current_account() {
                    let form = forms::goal_form(&name, None, self.today);
                    self.form = Some(OpenForm { purpose: FormPurpose::NewGoal { account_id: id }, form });
                }
            }
            Action::AddTask => {
                if let Some((id, name)) = self.current_account() {
                    let mut owner = self.portfolio.rows().iter().find(|r| r.id == id).map(|r| r.csm.to_string());
                    // A CSM signed in to a team book adds tasks on another's account for
                    // themselves only (the database's rule): theirs is the owner to offer.
                    if let Some(link) = self.team_book.as_ref().filter(|l| l.is_csm)
                        && let Some(me) = &link.signer
                        && !owner.as_deref().is_some_and(|o| o.eq_ignore_ascii_case(me))
                    {
                        owner = Some(me.clone());
                    }
                    let form = forms::task_form(&name, None, owner.as_deref().unwrap_or(""), self.today);
                    self.form = Some(OpenForm { purpose: FormPurpose::NewTask { account_id: id }, form });
                }
            }
            Action::AddContact => {
                if let Some((id, name)) = self.current_account() {
                    let form = forms::contact_form(&name, None, self.today);
                    self.form = Some(OpenForm { purpose: FormPurpose::NewContact { account_id: id }, form });
                }
            }
            Action::AddMilestone => {
                if let Some((id, name)) = self.current_account() {
                    let journeys: Vec<&str> = self.config.journeys.names().collect();
                    let form = forms::milestone_form(&name, None, &journeys, self.today);
                    self.form = Some(OpenForm { purpose: FormPurpose::NewMilestone { account_id: id }, form });
                }
            }
            _ => {}
        }
        Ok(())
    }
}
