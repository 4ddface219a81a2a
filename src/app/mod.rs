//! The TUI's state, made of parts that each own theirs, and its one place of change:
//! `App::update(Msg)`. Keys, save results, idle ticks, the external editor and the screen's
//! size all arrive as a `Msg`; drawing (`ui`) only reads.
//!
//! - `msg`       what comes in (`Msg`), what goes out (`Effect`), the status message
//! - `document`  the library, its file, the saver; outside edits and reloads
//! - `undo`      the inverses of the last edits
//! - `tree_pane` open nodes, visible rows, selection, scroll; tree or watch-order view
//! - `search`    the query and its matches
//! - `keys`      what each action does in each mode (the dispatch's handlers)
//! - `edit`      the changes: each builds an `Edit`, applies it and saves
//! - `runtime`   the terminal, signals, the loop, the external editor
//! - `startup`   opening the file, the start-up caches, the first frame

mod document;
mod edit;
mod keys;
mod msg;
mod runtime;
mod search;
mod startup;
mod tree_pane;
mod undo;

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use ratatui::layout::Rect;
use ratatui_textarea::TextArea;

pub use document::QUIT_WAIT;
pub use msg::{Effect, Msg, Status};
pub use startup::run;

/// How the screen is drawn from the app: `ui::draw`, handed in by `main` so the app does not
/// depend on its drawing (which depends on the app).
pub type Draw = fn(&mut ratatui::Frame, &App);

use crate::keymap::Context;
use crate::layout::Screen;
use crate::model::{Library, NodeId, Shield};
use crate::store::Stamp;
use crate::theme::Theme;
use crate::tree::Row;
use document::{Document, Event};
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
    Help,
    /// Quitting while the last save failed.
    ConfirmQuit,
}

impl Mode {
    /// The key table this mode listens to.
    pub fn keys(&self) -> Context {
        match self {
            Mode::Normal => Context::NORMAL,
            Mode::Search { .. } => Context::SEARCH,
            Mode::Notes { .. } => Context::NOTES,
            Mode::Help => Context::HELP,
            Mode::ConfirmQuit => Context::CONFIRM_QUIT,
        }
    }
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
    help_scroll: u16,
    should_quit: bool,
}

impl App {
    pub fn new(library: Library, path: PathBuf, today: Date) -> Self {
        App {
            tree: TreePane::new(&library),
            search: Search::new(&library),
            document: Document::new(library, path),
            undo: Undo::default(),
            mode: Mode::Normal,
            status: Status::Info(String::new()),
            today,
            theme: Theme::from_env(),
            detail_scroll: 0,
            help_scroll: 0,
            should_quit: false,
        }
    }

    /// Set up before the first update: what the file looked like when it was loaded.
    pub fn set_stamp(&mut self, stamp: Stamp) {
        self.document.set_stamp(stamp);
    }

    /// Set up before the first update: saves run on the saver's thread, not waited for.
    pub fn save_in_background(&mut self) {
        self.document.set_background(true);
    }

    /// The one place where the app's state changes. Returns work for the run loop.
    pub fn update(&mut self, msg: impl Into<Msg>) -> Option<Effect> {
        let mut effect = None;
        match msg.into() {
            Msg::Key(action) => effect = self.key(action),
            Msg::Resized(width, height) => {
                let screen = Screen::of(Rect::new(0, 0, width, height));
                self.tree
                    .set_area(screen.map(|s| s.tree_rows()).unwrap_or_default());
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
            Msg::Stopped => {
                if self.document.unsaved().is_some() && !self.should_quit {
                    // Stopped by a signal after a failed save: one last try.
                    self.save("last change");
                }
                self.flush(QUIT_WAIT);
            }
        }
        self.tree.follow();
        effect
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

    // ----- what the parts report back -----

    fn follow(&mut self, events: Vec<Event>) {
        for event in events {
            match event {
                Event::Status(status) => self.status = status,
                Event::Reloaded => self.reloaded(),
            }
        }
    }

    fn take_saves(&mut self) {
        let events = self.document.poll();
        self.follow(events);
    }

    fn flush(&mut self, limit: std::time::Duration) {
        let events = self.document.flush(limit);
        self.follow(events);
    }

    /// When idle only: never under an open prompt or editor, never while a save runs.
    fn look_for_outside_change(&mut self) {
        let idle = matches!(self.mode, Mode::Normal | Mode::Help) && !self.document.saving();
        if idle {
            let events = self.document.check_outside_change();
            self.follow(events);
        }
    }

    /// Saves after a change, with what depends on the marks brought up to date first.
    fn save(&mut self, message: &str) {
        self.refresh_marks();
        let events = self.document.save(message);
        self.follow(events);
    }

    /// After the file was reloaded: everything that pointed into the old library.
    fn reloaded(&mut self) {
        self.undo.clear();
        self.search.reindex(self.document.library());
        let view = self.tree.order_view();
        self.tree.set_order_view(self.document.library(), view);
        self.refresh_marks();
        // Item positions may have moved: an open notes editor must not write into whatever
        // now sits where its item was. Its text is kept in a file instead.
        if let Mode::Notes { editor, .. } = &self.mode {
            let text = editor.lines().join("\n");
            self.mode = Mode::Normal;
            if let Some(rescued) = self.document.rescue_notes(&text) {
                let lost = self.document.dropped().map(|l| format!("{l}; "));
                self.document.set_dropped(Some(format!(
                    "{}the notes being edited (kept in {})",
                    lost.unwrap_or_default(),
                    rescued.display()
                )));
            }
        }
        let name = self.document.path().display();
        self.status = Status::Error(match self.document.dropped() {
            Some(change) => format!("{name} changed on disk: reloaded it; not applied: {change}"),
            None => format!("{name} changed on disk: reloaded it"),
        });
    }

    /// Recomputes what depends on watched marks: the shield, the order view's next episode,
    /// the search matches. After every change, never per frame.
    fn refresh_marks(&mut self) {
        self.document.refresh();
        self.tree.refresh_next(self.document.library());
        self.search.refresh(self.document.shield());
    }

    // ----- reading -----

    pub fn library(&self) -> &Library {
        self.document.library()
    }

    pub fn path(&self) -> &Path {
        self.document.path()
    }

    pub fn today(&self) -> Date {
        self.today
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    pub fn shield(&self) -> &Shield {
        self.document.shield()
    }

    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    /// The key table that applies now.
    pub fn keys(&self) -> Context {
        self.mode.keys()
    }

    pub fn status(&self) -> &Status {
        &self.status
    }

    /// Why the last save failed, while the change is only in memory.
    pub fn unsaved(&self) -> Option<&str> {
        self.document.unsaved()
    }

    /// Why saving is refused.
    pub fn blocked(&self) -> Option<&str> {
        self.document.blocked()
    }

    /// A change a reload did not apply, not yet seen.
    pub fn dropped(&self) -> Option<&str> {
        self.document.dropped()
    }

    pub fn saving(&self) -> bool {
        self.document.saving()
    }

    pub fn should_quit(&self) -> bool {
        self.should_quit
    }

    pub fn rows(&self) -> &[Row] {
        self.tree.rows()
    }

    pub fn selected_index(&self) -> usize {
        self.tree.selected_index()
    }

    pub fn selected(&self) -> Option<NodeId> {
        self.tree.selected()
    }

    pub fn tree_offset(&self) -> usize {
        self.tree.offset()
    }

    pub fn is_open(&self, id: NodeId) -> bool {
        self.tree.is_open(id)
    }

    /// `Some(franchise)` while the watch-order view replaces the tree.
    pub fn order_view(&self) -> Option<usize> {
        self.tree.order_view()
    }

    /// The next episode to watch in the order view.
    pub fn order_next(&self) -> Option<NodeId> {
        self.tree.order_next()
    }

    pub fn query(&self) -> &str {
        self.search.query()
    }

    pub fn is_match(&self, id: NodeId) -> bool {
        self.search.is_match(id)
    }

    pub fn match_count(&self) -> usize {
        self.search.matches().len()
    }

    pub fn detail_scroll(&self) -> u16 {
        self.detail_scroll
    }

    pub fn help_scroll(&self) -> u16 {
        self.help_scroll
    }

    /// A short name for a node, e.g. "Ballard S01E02" or "Bosch season 3".
    pub fn label(&self, id: NodeId) -> String {
        self.library().label(id)
    }

    /// The notes of any node.
    pub fn notes(&self, id: NodeId) -> &str {
        self.library().notes(id)
    }
}
