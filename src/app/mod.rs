//! The TUI's state, made of parts that each own theirs, and its one place of change:
//! `App::update(Msg)`. Keys, save results, idle ticks, the external editor and the screen's
//! size all arrive as a `Msg`; drawing (`ui`) only reads.
//!
//! - `msg`       what comes in (`Msg`), what goes out (`Effect`), the status message
//! - `document`  the library, its file, the saver; outside edits and reloads
//! - `undo`      the inverses of the last edits
//! - `tree_pane` open nodes, visible rows, selection, scroll; tree or watch-order view
//! - `search`    the query and its matches
//! - `tally`     franchise sums (progress, the franchise pane's), counted once per change
//! - `keys`      what each action does in each mode (the dispatch's handlers)
//! - `edit`      the changes: each builds an `Edit`, applies it and saves
//! - `follow`    taking in what the parts report (save outcomes, reloads)
//! - `read`      the read-only accessors `ui` and tests use
//! - `runtime`   the terminal, signals, the loop, the external editor
//! - `startup`   opening the file, the start-up caches, the first frame
//! - `jobs`      work off the input thread (TVmaze, big imports), reported back as `Msg::Job`
//! - `tvmaze`    adding (`A`) and refreshing (`R`) shows from TVmaze
//! - `import`    importing a history export (`I`); merging conflict copies at start
//! - `bulk`      a whole import, add or merge as one edit (one undo step)

mod bulk;
mod document;
mod edit;
mod facts;
mod follow;
pub mod form;
mod forms;
pub mod import;
pub mod jobs;
mod keys;
mod msg;
mod news;
mod read;
mod runtime;
mod search;
mod startup;
mod structure;
mod tally;
mod tree_pane;
pub mod tvmaze;
mod undo;
mod viewings;

use std::path::PathBuf;

use jiff::civil::Date;
use ratatui::layout::Rect;
use ratatui_textarea::TextArea;

pub use document::QUIT_WAIT;
pub use msg::{Drawn, Effect, Msg, Status};
pub use startup::{Options, run, run_with};
pub use tree_pane::{Filter, shown_order};

/// How the screen is drawn from the app: `ui::render`, handed in by `main` so the app does not
/// depend on its drawing (which depends on the app). What it measured comes back as
/// `Msg::Drawn`.
pub type Draw = fn(&mut ratatui::Frame, &App) -> Drawn;

use crate::keymap::Context;
use crate::layout::Screen;
use crate::model::{Library, NodeId};
use crate::store::Stamp;
use crate::theme::Theme;
use document::Document;
use search::Search;
use tree_pane::TreePane;
use undo::Undo;

/// What the screen is doing besides showing the tree.
pub enum Mode {
    Normal,
    /// Typing a search; `origin` is where the selection was when the prompt opened.
    Search {
        origin: Option<NodeId>,
    },
    /// Editing the notes of `target` inside the app.
    Notes {
        target: NodeId,
        editor: Box<TextArea<'static>>,
    },
    /// A form over the details pane: facts, news, something new, watch dates.
    Form(Box<form::Form>),
    /// A yes/no question before a change: a delete, an unusual watch date.
    Confirm(Box<Confirm>),
    Help,
    /// The stats view over the screen.
    Stats,
    /// Quitting while the last save failed.
    ConfirmQuit,
    /// Adding a show from TVmaze: search, pick, place.
    Tvmaze(Box<tvmaze::Flow>),
    /// Importing a history export, or the offer to merge a conflict copy.
    Import(Box<import::Flow>),
}

impl Mode {
    /// The key table this mode listens to.
    pub fn keys(&self) -> Context {
        match self {
            Mode::Normal => Context::NORMAL,
            Mode::Search { .. } => Context::SEARCH,
            Mode::Notes { .. } => Context::NOTES,
            Mode::Form(_) => Context::FORM,
            Mode::Confirm(_) => Context::CONFIRM,
            Mode::Help | Mode::Stats => Context::HELP,
            Mode::ConfirmQuit => Context::CONFIRM_QUIT,
            Mode::Tvmaze(flow) => flow.keys(),
            Mode::Import(flow) => flow.keys(),
        }
    }
}

/// A change waiting for a yes.
pub struct Confirm {
    /// The question, saying what the change does ("Delete Ballard: 1 season, …?").
    pub question: String,
    pub edit: crate::model::Edit,
    /// The status message once applied.
    pub message: String,
    /// What to select afterwards.
    pub select: Option<crate::model::Target>,
    /// The form a "no" goes back to (none: back to browsing).
    pub back: Option<Box<form::Form>>,
}

pub struct App {
    document: Document,
    undo: Undo,
    tree: TreePane,
    search: Search,
    mode: Mode,
    status: Status,
    /// The date a watch is logged on.
    today: Date,
    theme: Theme,
    /// How far the details pane is scrolled; back to the top when the selection changes.
    detail_scroll: u16,
    /// The details pane (border included), from the last `Msg::Resized`: what the wheel is over.
    detail_area: Rect,
    /// How far the details pane can scroll, from the last `Msg::Drawn`.
    detail_limit: u16,
    help_scroll: u16,
    /// How far the help can scroll, from the last `Msg::Drawn` with the help open.
    help_limit: u16,
    should_quit: bool,
    /// How dates show in the panes (the config's `date_format`).
    dates: crate::present::Dates,
    /// The screen is too small for the panes: only quitting is listened to.
    too_small: bool,
    /// Keys and ticks since the status message last changed: an old one gives way to the hints.
    status_age: u16,
    /// The worker thread's job (TVmaze, import), if one runs.
    jobs: jobs::Jobs,
    /// Conflict copies the user chose not to merge (or merged): not offered again this run.
    declined: std::collections::HashSet<PathBuf>,
    /// The TVmaze API the workers call: `FANTRACK_TVMAZE_URL`, or the public one.
    tvmaze_url: String,
    /// The time zone an import dates viewings in; `None` is the system's.
    import_tz: Option<jiff::tz::TimeZone>,
    /// Franchise sums the screen shows, up to date after every `update`.
    tally: tally::Tallies,
}

/// How an app starts, given once at construction (`App::with`): after it, every change goes
/// through `update`. The default is what a plain `App::new` gets.
#[derive(Default)]
pub struct Setup {
    /// What the file looked like when it was loaded, so an idle look finds it the app's own;
    /// `None`: not known.
    pub stamp: Option<Stamp>,
    /// Saves run on the saver's thread, not waited for (the TUI's way); off: inline.
    pub background_saves: bool,
    /// The theme to draw with; `None`: from the environment (`NO_COLOR`).
    pub theme: Option<Theme>,
    /// The TVmaze API the workers call; `None`: `FANTRACK_TVMAZE_URL`, or the public one.
    pub tvmaze_url: Option<String>,
    /// The time zone an import dates viewings in; `None`: the system's.
    pub import_time_zone: Option<jiff::tz::TimeZone>,
    /// The folds and the selection the last run left: the tree's rows are built for them at
    /// once, not built with the default folds and then again (a quarter of a millisecond at
    /// 25,000 episodes). The search is restored after the config (see `App::restore_search`).
    pub restore: Option<crate::state::State>,
}

impl App {
    pub fn new(library: Library, path: PathBuf, today: Date) -> Self {
        App::with(library, path, today, Setup::default())
    }

    /// An app set up as `setup` says.
    pub fn with(library: Library, path: PathBuf, today: Date, setup: Setup) -> Self {
        let mut document = Document::new(library, path);
        if let Some(stamp) = setup.stamp {
            document.set_stamp(stamp);
        }
        document.set_background(setup.background_saves);
        let library = document.library();
        crate::trace::mark("document");
        let tree = match &setup.restore {
            Some(state) => {
                let (open, selected) = startup::restored_nodes(library, state);
                TreePane::restored(library, open, selected)
            }
            None => TreePane::new(library),
        };
        crate::trace::mark("tree");
        let mut app = App {
            tree,
            search: Search::new(library),
            document,
            undo: Undo::default(),
            mode: Mode::Normal,
            status: Status::Info(String::new()),
            today,
            theme: setup.theme.unwrap_or_else(Theme::from_env),
            detail_scroll: 0,
            detail_area: Rect::default(),
            detail_limit: 0,
            help_limit: 0,
            help_scroll: 0,
            should_quit: false,
            dates: crate::present::Dates::default(),
            too_small: false,
            status_age: 0,
            jobs: jobs::Jobs::default(),
            declined: Default::default(),
            tvmaze_url: setup.tvmaze_url.map_or_else(
                || crate::tvmaze::client::Client::from_env().base().to_string(),
                |base| base.trim_end_matches('/').to_string(),
            ),
            import_tz: setup.import_time_zone,
            tally: tally::Tallies::default(),
        };
        crate::trace::mark("fields");
        app.sync_tally();
        app
    }

    /// Recounts the franchise sums if the library changed, and the selected franchise's pane.
    fn sync_tally(&mut self) {
        self.tally.sync(
            self.document.library(),
            self.document.revision(),
            self.tree.visible(),
            self.tree.selected(),
            self.today,
        );
    }

    /// The one place where the app's state changes. Returns work for the run loop.
    pub fn update(&mut self, msg: impl Into<Msg>) -> Option<Effect> {
        let mut effect = None;
        let before = self.status.clone();
        let msg = msg.into();
        let aging = match &msg {
            // About four keys, or ten half-second ticks.
            Msg::Key(_) => 3,
            Msg::Tick => 1,
            _ => 0,
        };
        match msg {
            // On the "terminal too small" screen nothing is seen, so nothing but quitting acts.
            Msg::Key(action) if self.too_small && action != crate::action::Action::Quit => {}
            Msg::Key(action) => effect = self.key(action),
            Msg::Resized(width, height) => {
                let screen = Screen::of(Rect::new(0, 0, width, height));
                self.too_small = screen.is_none();
                self.detail_area = screen.map(|s| s.detail).unwrap_or_default();
                self.tree
                    .set_area(screen.map(|s| s.tree_rows()).unwrap_or_default());
            }
            Msg::Drawn(drawn) => {
                if let Some(limit) = drawn.detail_limit {
                    self.detail_limit = limit;
                    self.detail_scroll = self.detail_scroll.min(limit);
                }
                if let Some(limit) = drawn.help_limit {
                    self.help_limit = limit;
                    self.help_scroll = self.help_scroll.min(limit);
                }
            }
            Msg::Tick => {
                self.take_saves();
                self.look_for_outside_change();
            }
            Msg::Saves => self.take_saves(),
            Msg::FileChanged => self.look_for_outside_change(),
            Msg::Flush(limit) => self.flush(limit),
            Msg::EditorReturned(id, Ok(text)) => self.set_notes(id, text),
            Msg::EditorReturned(_, Err(message)) => self.status = Status::Error(message),
            Msg::Stopped => self.stopped(),
            Msg::Job(report) => self.job_report(&report),
        }
        self.tree.follow();
        self.sync_tally();
        self.age_status(before, aging);
        effect
    }

    /// A message lasts a few keys or about five seconds of ticks, then the hints come back.
    fn age_status(&mut self, before: Status, aging: u16) {
        /// Keys or ticks (half a second each) a message stays.
        const STATUS_LIFE: u16 = 10;
        if self.status != before {
            self.status_age = 0;
        } else {
            self.status_age = self.status_age.saturating_add(aging);
            if self.status_age >= STATUS_LIFE && self.status != Status::Info(String::new()) {
                self.status = Status::Info(String::new());
            }
        }
    }

    /// Shorthand for `update(Msg::FileChanged)`.
    pub fn check_outside_change(&mut self) {
        self.update(Msg::FileChanged);
    }

    /// Shorthand for `update(Msg::Saves)`.
    pub fn poll_saves(&mut self) {
        self.update(Msg::Saves);
    }

    /// Shorthand for `update(Msg::Flush(limit))`.
    pub fn flush_saves(&mut self, limit: std::time::Duration) {
        self.update(Msg::Flush(limit));
    }
}
