//! Changes to the book straight from a key (no form): a triage mark, undo, delete, a milestone
//! done; and `e`, which opens the selected line's edit form.

use color_eyre::Result;

use super::App;
use crate::book;
use crate::store::log::Entity;
use crate::tui::action::Action;

impl App {
    /// Whether the session's newest change was taken back elsewhere (`tend undo N`, another
    /// window) and `u` has not said so yet: said once, and `u` again goes on to the change before
    /// it (a probe's `u` took back an earlier hand-over without a word, its edit undone from the
    /// command line).
    fn warn_undone_elsewhere(&mut self) -> Result<bool> {
        let Some((id, summary, undone)) = self.store.newest_change_of(&self.session)? else { return Ok(false) };
        if !undone || self.undone_here.contains(&id) || self.undone_elsewhere_said == Some(id) {
            return Ok(false);
        }
        self.undone_elsewhere_said = Some(id);
        let next = match self.store.last_batch(&self.session)? {
            Some(_) => "u again takes back the change before it",
            None => "nothing else of this session is left to undo",
        };
        self.say(&format!(
            "Your last change here ({}) was already taken back elsewhere (`tend undo`); {next}.",
            crate::text::clean(&summary)
        ));
        Ok(true)
    }

    /// A change to the book from a key: a mark, an undo, an edit, a delete, a milestone done.
    pub(super) fn write(&mut self, action: Action) -> Result<Option<Action>> {
        if self.refused_importer() {
            return Ok(None);
        }
        // A preview writes nothing, a mark on its list neither: said as the forms say it.
        if let Some(why) = crate::book::preview_refusal_on_screen(self.today).filter(|_| self.store.previewing()) {
            self.fail(why);
            return Ok(None);
        }
        self.reconnect_if_lost()?;
        match action {
            Action::MarkHandled => self.mark_selected(None)?,
            Action::Undo if self.on_team_book() => {
                if self.undo_mark()? {
                    return Ok(None);
                }
                let mut parts = self.ctx_parts();
                match book::undo_seam::undo_session(&mut parts.seam()) {
                    Ok(Some(outcome)) => self.after_write(outcome)?,
                    Ok(None) => {
                        self.say("Nothing to undo in this session (`tend undo --list` lists your earlier changes).")
                    }
                    Err(e) => self.fail(e.to_string()),
                }
            }
            Action::Undo => {
                if self.undo_mark()? || self.warn_undone_elsewhere()? {
                    return Ok(None);
                }
                // What `u` takes back, kept: told apart from what is taken back elsewhere.
                let taking = match self.store.last_batch(&self.session)? {
                    Some(batch) => self.store.batch_changes(&batch)?.into_iter().map(|c| c.id).collect(),
                    None => Vec::new(),
                };
                let mut ctx = self.ctx_parts();
                match book::log::undo(&mut ctx.ctx()) {
                    Ok(Some(outcome)) => {
                        self.undone_here.extend(taking);
                        self.after_write(outcome)?
                    }
                    Ok(None) => self
                        .say("Nothing to undo in this session (`tend undo --list` lists the changes made before it)."),
                    Err(e) => self.fail(e.to_string()),
                }
            }
            Action::Edit => self.edit_selected()?,
            Action::Delete => match self.account.as_ref().and_then(|v| v.selected_target()) {
                Some((entity, id)) => {
                    let mut ctx = self.ctx_parts();
                    // Deleted at one key, without a question: said with the key that brings it back.
                    let result = book::log::delete(&mut ctx.seam(), entity, id).map(|mut outcome| {
                        outcome.message.push_str(": u brings it back");
                        outcome
                    });
                    self.finish(result)?;
                }
                None => self.say("d deletes the selected line: Tab to the Timeline, Goals, Journey, Tasks or People."),
            },
            Action::MarkDone => match self.account.as_ref().and_then(|v| v.selected_target()) {
                Some((Entity::Milestone, id)) => {
                    let today = self.today;
                    let mut ctx = self.ctx_parts();
                    match book::log::milestone_done(&mut ctx.seam(), id, today, false, None) {
                        Err(e @ book::log::LogError::AlreadyDone { .. }) => self.fail(format!("{e}: e edits its day.")),
                        result => self.finish(result)?,
                    }
                }
                Some((Entity::Task, id)) => {
                    let today = self.today;
                    let mut ctx = self.ctx_parts();
                    let result =
                        book::tasks::set_task_status(&mut ctx.seam(), id, crate::domain::task::TaskStatus::Done, today);
                    match result {
                        Err(e @ book::log::LogError::Refused(_)) => self.fail(format!("{e}: e edits it.")),
                        result => self.finish(result)?,
                    }
                }
                Some((Entity::Contact, id)) => {
                    let today = self.today;
                    let mut ctx = self.ctx_parts();
                    let result = book::contacts::contact_left(&mut ctx.seam(), id, today);
                    match result {
                        Err(e @ book::log::LogError::Refused(_)) => self.fail(format!("{e}: e edits it.")),
                        result => self.finish(result)?,
                    }
                }
                Some((Entity::Entry, id)) => {
                    let today = self.today;
                    let mut ctx = self.ctx_parts();
                    match book::log::close_entry_by_id(&mut ctx.seam(), id, today) {
                        Err(e @ book::log::LogError::Refused(_)) => self.fail(format!("{e}: e edits it.")),
                        result => self.finish(result)?,
                    }
                }
                _ => self.say(
                    "x marks the selected milestone or task done, a bug closed or a risk cleared, or a person left: \
                     Tab to the Journey, Tasks, Timeline or People.",
                ),
            },
            _ => {}
        }
        Ok(None)
    }
}
