//! Opening on a stored triage head: Triage shows it at once while the rest of the book is read
//! on a second connection; keys that need the book wait for it (see `book::triage_head`).

use chrono::NaiveDate;
use color_eyre::Result;

use super::App;
use crate::book;
use crate::book::WORK_AHEAD_FROM;
use crate::config::Config;
use crate::store::Store;
use crate::tui::theme::Theme;
use crate::tui::views::portfolio::PortfolioView;
use crate::tui::views::triage::{HeadCounts, TriageView};

/// From this many accounts, a day's first open without a stored head works the head of the list
/// out alone (`book::triage_head::work_out`), shows it, and reads the rest of the book behind it.
pub const HEAD_FIRST_FROM: usize = 5_000;

/// How long after the last run the next working day's list is worked out again after a write.
const AHEAD_AGAIN_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// The next working day worked out behind the screen.
pub(super) struct AheadWork {
    pub(super) thread: std::thread::JoinHandle<()>,
    stop: crate::store::StopHandle,
    /// The book's write count when it began: a write since makes its list another day's news.
    generation: i64,
    started: std::time::Instant,
    /// On a team book: whether the list it kept in the snapshot was kept in the team book too.
    pub(super) shared: bool,
    /// The other members whose lists it keeps beside the member's own (a lead's tend: see
    /// `App::lists_kept_for_others`).
    pub(super) others: Vec<String>,
}

/// The book being read on another connection while Triage shows its stored head.
pub(super) struct PendingBook {
    pub(super) rx: std::sync::mpsc::Receiver<Result<LoadedBook>>,
    /// Dropped to let the reading begin: after the first frame is drawn (it would otherwise take
    /// both cores from drawing it), or when the book is waited for.
    pub(super) go: Option<std::sync::mpsc::Sender<()>>,
    /// Accounts in the head's book, for the status line until the rows come.
    pub(super) accounts: usize,
    /// The head shown meanwhile, to check against the whole book once read.
    pub(super) shown: book::triage_head::TriageHead,
    /// The day the head shown was worked out for, when not today: today's values are being
    /// worked out behind it (see `App::on_earlier_head`).
    pub(super) earlier: Option<NaiveDate>,
    /// On an earlier day's list, the account selected (id, name) when the first key that waits
    /// for today's came: the keys act on it, or not at all (see `poll_reading`).
    pub(super) waited_on: Option<(i64, String)>,
}

/// Everything the views show, read and ordered.
pub(super) struct LoadedBook {
    pub(super) portfolio: PortfolioView,
    pub(super) triage_book: book::triage::TriageBook,
    pub(super) list: book::triage::TriageList,
    pub(super) book_of: Option<String>,
    /// The book's write count before it was read.
    pub(super) generation: i64,
    /// A team book's snapshot it was read from, for the app to read from now on.
    pub(super) replica: Option<Replica>,
}

/// A snapshot of a team book pulled behind a kept head, and the store reading it (closed first).
pub(crate) struct Replica {
    pub(crate) store: Store,
    pub(crate) snapshot: crate::team::replica::Snapshot,
}

/// How the rest of the book is read behind a head: on a second connection to a book file, or
/// from a snapshot of a team book pulled on a connection of its own.
pub(crate) type ReadBehind = Box<dyn FnOnce(&Config) -> Result<LoadedBook> + Send>;

/// Read the portfolio and triage's facts, order the Portfolio and list Triage. The caches must
/// be current (`book::prepare`).
pub(super) fn read_book(store: &Store, config: &Config, today: NaiveDate) -> crate::store::Result<LoadedBook> {
    let generation = store.generation()?;
    let (rows, triage_book) = book::load_book(store, config, today)?;
    // `me` from the config opens on my own book, when I own accounts in it.
    let book_of = book::book_of_me(config, &rows);
    let mut portfolio = PortfolioView::unordered(rows);
    portfolio.csm = book_of.clone();
    // Ordering the Portfolio and listing Triage each take tens of milliseconds on a large book:
    // do them at once.
    let (list, order) = std::thread::scope(|scope| {
        let rows = portfolio.rows();
        let list = scope.spawn(|| triage_book.list_for(config, rows, book_of.as_deref()));
        let order = portfolio.order();
        (list.join(), order)
    });
    let list = list.unwrap_or_else(|_| panic!("building the triage list panicked"));
    portfolio.show_order(order);
    portfolio.start_sorting();
    Ok(LoadedBook { portfolio, triage_book, list, book_of, generation, replica: None })
}

impl App {
    /// The app on a stored triage head, reading the rest of the book with `reader` behind it.
    pub(super) fn on_head(
        store: Store,
        reader: Store,
        config: Config,
        today: NaiveDate,
        theme: Theme,
        head: book::triage_head::TriageHead,
    ) -> crate::store::Result<App> {
        let read: ReadBehind = Box::new(move |config: &Config| Ok(read_book(&reader, config, today)?));
        let mut app = App::on_head_with(store, read, config, today, theme, head)?;
        app.say_if_me_unknown();
        Ok(app)
    }

    /// A day nothing prepared, on a large book: the newest list kept from an earlier day (nothing
    /// written since) is shown at once, said to be that day's, while today's values and history
    /// are worked out and the book read on `writer`, a second connection (seconds: every
    /// account's facts are read). Keys that need the book wait for it, as behind today's head.
    pub fn on_earlier_head(
        store: Store,
        mut writer: Store,
        config: Config,
        today: NaiveDate,
        theme: Theme,
        (day, head): (NaiveDate, book::triage_head::TriageHead),
    ) -> crate::store::Result<App> {
        let read: ReadBehind = Box::new(move |config: &Config| {
            // Read before the caches are made current (see `App::prepared`).
            let generation = writer.generation()?;
            book::prepare_today(&mut writer, config, today, &indicatif::ProgressBar::hidden())?;
            let mut loaded = read_book(&writer, config, today)?;
            loaded.generation = generation;
            Ok(loaded)
        });
        let mut app = App::on_head_with(store, read, config, today, theme, head)?;
        if let Some(pending) = &mut app.pending {
            pending.earlier = Some(day);
        }
        app.triage.earlier = Some(day);
        app.say_if_me_unknown();
        Ok(app)
    }

    /// `on_head`, the rest of the book read by `read`.
    pub(super) fn on_head_with(
        store: Store,
        read: ReadBehind,
        config: Config,
        today: NaiveDate,
        theme: Theme,
        head: book::triage_head::TriageHead,
    ) -> crate::store::Result<App> {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let (go, wait) = std::sync::mpsc::channel::<()>();
        let behind = config.clone();
        std::thread::spawn(move || {
            // Begins once told to, or once the app is gone (a quick `q`).
            let _ = wait.recv();
            // The app may be gone by the time the book is read: nobody to tell.
            let _ = tx.send(read(&behind));
        });
        let shown = head.clone();
        let mut portfolio = PortfolioView::unordered(head.rows);
        portfolio.csm = head.csm.clone();
        let details = head.items.iter().map(|i| i.id).zip(head.details).collect();
        let counts = HeadCounts { open: head.open, handled: head.handled, snoozed: head.snoozed };
        let list = book::triage::TriageList { items: head.items, hidden: Vec::new() };
        let triage = TriageView::from_head(list, details, counts, config.triage.daily_limit);
        let mut app = App::assemble(store, config, today, theme, triage, portfolio, head.csm)?;
        app.pending =
            Some(PendingBook { rx, go: Some(go), accounts: head.accounts, shown, earlier: None, waited_on: None });
        Ok(app)
    }

    /// Whether the rest of the book is still being read behind a stored triage head.
    pub fn is_reading(&self) -> bool {
        self.pending.is_some()
    }

    /// Wait for the rest of the book (a key that needs more than the head came).
    pub fn finish_reading(&mut self) -> Result<()> {
        let Some(mut pending) = self.pending.take() else { return Ok(()) };
        pending.go.take();
        let loaded = pending.rx.recv().map_err(|_| color_eyre::eyre::eyre!("reading the book stopped unexpectedly"));
        match loaded.and_then(|l| l) {
            Ok(loaded) => self.install(loaded, pending.shown),
            Err(e) => Err(self.end_unread(e)),
        }
    }

    /// The rest of the book could not be read: the session ends saying why, rather than go on
    /// with the head's few rows as the book.
    fn end_unread(&mut self, e: color_eyre::Report) -> color_eyre::Report {
        let why = format!("could not read the rest of the book: {e}");
        self.ended = Some(why.clone());
        self.quit = true;
        color_eyre::eyre::eyre!(why)
    }

    /// Let the rest of the book be read (the first frame is on screen).
    pub fn begin_reading(&mut self) {
        if let Some(pending) = &mut self.pending {
            pending.go.take();
        }
    }

    /// Take the rest of the book if it has been read (called while no key comes).
    pub fn poll_reading(&mut self) -> Result<()> {
        self.begin_reading();
        let Some(pending) = &self.pending else { return Ok(()) };
        match pending.rx.try_recv() {
            Ok(loaded) => {
                let Some(pending) = self.pending.take() else { return Ok(()) };
                let loaded = loaded.map_err(|e| self.end_unread(e))?;
                // An earlier day's list left at its top, no key waiting: today's opens at its own
                // top (its first item may be another account), as a fresh open of it does.
                let untouched =
                    pending.earlier.is_some() && pending.waited_on.is_none() && self.triage.cursor.selected() == 0;
                // Moved to on an earlier day's list, no key waiting: today's list keeps the account
                // selected where it holds it, and says so where it does not (the cursor would
                // otherwise stand on another account without a word).
                let moved_to = match (pending.earlier, &pending.waited_on, untouched) {
                    (Some(_), None, false) => self.selected_named(),
                    _ => None,
                };
                self.install(loaded, pending.shown)?;
                if untouched {
                    self.triage.cursor.reset();
                    self.explain_selected();
                }
                if let Some((id, name)) = moved_to
                    && self.triage.selected_item().map(|i| i.id) != Some(id)
                {
                    let where_ = match self.triage.holds(id) {
                        true => "is not among those it shows first (A lists all)",
                        false => "is not on it",
                    };
                    self.say(&format!("Today's list is in: {name} {where_}"));
                }
                // Keys pressed on an earlier day's list meant the account then selected: where
                // today's list does not hold it, they would act on another, so none is applied.
                if let Some((id, name)) = pending.waited_on
                    && self.triage.selected_item().map(|i| i.id) != Some(id)
                {
                    self.deferred.clear();
                    let where_ = match self.triage.holds(id) {
                        true => "is not among those it shows first (A lists all)",
                        false => "is not on it",
                    };
                    self.say(&format!(
                        "Today's list is in: {name} {where_}, so the keys pressed meanwhile were not applied"
                    ));
                }
                // Keys that came while the book was read, in the order they came.
                for key in std::mem::take(&mut self.deferred) {
                    self.handle_key(key)?;
                }
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.pending = None;
                return Err(self.end_unread(color_eyre::eyre::eyre!("reading the book stopped unexpectedly")));
            }
        }
        Ok(())
    }

    /// The whole book in place of the head: the same list, now with every account behind it.
    /// Should the whole book list otherwise than the head said (the book was changed by a
    /// program other than tend, which does not count its writes), the head is stored afresh.
    fn install(&mut self, mut loaded: LoadedBook, shown: book::triage_head::TriageHead) -> Result<()> {
        if let Some(replica) = loaded.replica.take() {
            self.take_replica(replica)?;
        }
        let head = book::triage_head::TriageHead::of(
            &self.store,
            &self.config,
            &loaded.triage_book,
            &loaded.list,
            loaded.portfolio.rows(),
            loaded.book_of.as_deref(),
        )?;
        if head != shown {
            let me = self.config.me().map(str::to_owned);
            book::triage_head::save(
                &mut self.store,
                &self.config,
                self.today,
                loaded.generation,
                me.as_deref(),
                &head,
            )?;
            self.keep_team_head();
        }
        self.portfolio = loaded.portfolio;
        self.triage_book = loaded.triage_book;
        self.book_of = loaded.book_of;
        self.triage.replace(loaded.list, self.portfolio.rows());
        self.explain_selected();
        self.open_playbooks()?;
        self.work_ahead_behind();
        Ok(())
    }

    /// On a large book, work the next working day out behind the screen, on one core and its own
    /// connection (`book::triage_head::refresh_ahead`), so that its first open shows Triage at
    /// once instead of reading every account's facts first. Nothing is said: it is a cache, and
    /// a `q` meanwhile simply leaves it for that open to finish.
    pub(super) fn work_ahead_behind(&mut self) {
        let accounts = self.portfolio.rows().len();
        // On a team book it is worked out in the snapshot, which keeps it while only facts of
        // accounts are pulled again, and its list is kept in the team book once worked out
        // (`share_ahead`): the member's first open the next working day shows it at once.
        if accounts < WORK_AHEAD_FROM || self.store.read_only().is_some() {
            return;
        }
        if self.ahead.as_ref().is_some_and(|a| !a.thread.is_finished()) {
            return;
        }
        let Ok(generation) = self.store.generation() else { return };
        let Ok(Some(mut writer)) = self.store.reader() else { return };
        // Its pages are read once: a small cache keeps the process near the open book's size.
        if writer.limit_cache(8 * 1024).is_err() {
            return;
        }
        let stop = writer.stoppable();
        let (config, today) = (self.config.clone(), self.today);
        let others = self.lists_kept_for_others();
        let theirs = others.clone();
        let thread = std::thread::spawn(move || {
            // A cache: a failure (a full disk, a book another program holds) leaves the work to
            // the next open.
            let _ = book::triage_head::refresh_ahead_for(&mut writer, &config, today, &theirs);
        });
        let started = std::time::Instant::now();
        self.ahead = Some(AheadWork { thread, stop, generation, started, shared: false, others });
    }

    /// Work the next working day's list out again once the book has been written since it was
    /// (the list kept ahead is not shown after a write): while no key comes, at most every
    /// `AHEAD_AGAIN_AFTER`. Changed accounts alone are read again; the rest is the book's read.
    /// `generation`: the book's write count now.
    pub(super) fn work_ahead_again(&mut self, generation: i64) {
        let Some(ahead) = &self.ahead else { return };
        if !ahead.thread.is_finished() || ahead.started.elapsed() < AHEAD_AGAIN_AFTER {
            return;
        }
        if generation != ahead.generation {
            self.work_ahead_behind();
        }
    }

    /// Stop the work behind the screen, for a quit: it is a cache, left for the next open. Waits
    /// a moment for its connection to close, so that the book is left whole in its one file (a
    /// connection still open at exit leaves the write-ahead log beside it).
    pub(super) fn stop_work_ahead(&mut self) {
        self.pause_work_ahead();
        self.ahead = None;
    }

    /// Stop the work behind the screen while the book is written beneath it (a team book's
    /// snapshot pulled again in place), keeping when it began: it is worked out again after
    /// `AHEAD_AGAIN_AFTER`, as after any write.
    pub(super) fn pause_work_ahead(&mut self) {
        let Some(ahead) = &mut self.ahead else { return };
        ahead.stop.stop();
        // Stopped midway, it kept nothing worth sharing.
        ahead.shared = true;
        let began = std::time::Instant::now();
        while !ahead.thread.is_finished() && began.elapsed() < std::time::Duration::from_secs(1) {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    /// Whether the next working day is being worked out behind the screen (for tests).
    pub fn working_ahead(&self) -> bool {
        self.ahead.as_ref().is_some_and(|a| !a.thread.is_finished())
    }

    /// Run the config's playbooks over the book just read: a trigger that began holding since
    /// the last run (a renewal now within its days) opens its tasks. Said on the status line.
    pub(super) fn open_playbooks(&mut self) -> Result<()> {
        // An importer writes nothing from the screens, a playbook's tasks included.
        if self.config.playbooks.is_empty()
            || self.store.read_only().is_some()
            || self.team_book.as_ref().is_some_and(|l| l.is_importer)
        {
            return Ok(());
        }
        // On a team book, a session of the member's (the database takes their changes only so).
        let session = match &self.team_book {
            Some(link) => book::log::new_session(&format!("{}playbook", link.prefix)),
            None => book::log::new_session("playbook"),
        };
        let changes = book::playbooks::Changes::Kept;
        let run = match &mut self.team_book {
            // Decided on the snapshot, written to the team book (never into the snapshot, which
            // would show tasks the team book does not hold).
            Some(link) => {
                // Each member's playbooks open tasks on their own accounts at open: a CSM may
                // write no other, and a lead's rules are not every CSM's (after a write, on the
                // account written, they run for whoever wrote).
                let mine: Vec<book::PortfolioRow> = match link.signer.clone() {
                    Some(me) => {
                        self.portfolio.rows().iter().filter(|r| r.csm.eq_ignore_ascii_case(&me)).cloned().collect()
                    }
                    None => self.portfolio.rows().to_vec(),
                };
                book::playbooks::run_into(
                    &self.store,
                    &mut link.book,
                    &self.config,
                    &mine,
                    &self.triage_book,
                    &changes,
                    self.today,
                    &session,
                )?
            }
            None => book::playbooks::run(
                &mut self.store,
                &self.config,
                self.portfolio.rows(),
                &self.triage_book,
                &changes,
                self.today,
                &session,
                None,
            )?,
        };
        if self.on_team_book() && !run.fired.is_empty() {
            return self.pull_team().map(|()| {
                if let Some(fired) = run.describe_in_book() {
                    self.say(&format!("{fired} (see each account's Tasks tab)"));
                }
            });
        }
        for f in &run.fired {
            self.triage_book.refresh_account(&self.store, &self.config, f.account_id)?;
        }
        if let Some(fired) = run.describe_in_book() {
            self.relist();
            self.explain_selected();
            self.say(&format!("{fired} (see each account's Tasks tab)"));
        }
        Ok(())
    }
}
