//! The TUI's state and its one place of change, `App::update(Action)`, plus the run loop
//! (draw → read event → keymap → update). Drawing lives in `ui` and only reads this state.

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use jiff::civil::Date;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::layout::Rect;
use ratatui_textarea::TextArea;

use crate::action::Action;
use crate::cache::{Cache, FrameKey};
use crate::keymap::{self, Context};
use crate::model::{Edit, Library, NodeRef, Order, Shield};
use crate::saver::{Outcome, Saver};
use crate::store::{self, Opened};
use crate::tree::{self, NodeId, Row};
use crate::ui::{self, Theme};

/// How long quitting waits for the last changes to reach the disk.
const QUIT_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// How long a save waits for another fantrack's read-modify-write to finish.
const SAVE_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// How often the loop looks for a finished save while one runs.
const SAVE_CHECK: std::time::Duration = std::time::Duration::from_millis(20);

/// How often the idle loop checks the file for outside edits.
const IDLE_CHECK: std::time::Duration = std::time::Duration::from_millis(500);

/// How many changes `u` can take back.
const UNDO_LEVELS: usize = 200;

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

/// The message in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Info(String),
    Error(String),
}

/// Work the run loop must do outside `update` (it needs the terminal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    ExternalEditor(NodeId),
}

/// Where things were drawn last frame: what mouse clicks and paging need to know.
#[derive(Debug, Default, Clone, Copy)]
pub struct View {
    /// The tree's inner area (inside its border).
    pub tree_area: Rect,
    /// First visible row of the tree.
    pub tree_offset: usize,
}

pub struct App {
    pub library: Library,
    path: PathBuf,
    pub today: Date,
    pub theme: Theme,
    open: HashSet<NodeId>,
    /// The visible rows, rebuilt only when something opens or closes.
    rows: Vec<Row>,
    /// `Some(franchise)` while the watch-order view replaces the tree.
    pub order_view: Option<usize>,
    /// The next episode to watch in the order view's order.
    pub order_next: Option<NodeId>,
    pub shield: Shield,
    selected: usize,
    pub mode: Mode,
    /// The last search; kept after the prompt closes for `n` / `N`.
    pub query: String,
    /// Everything searchable, lower-cased once: (node, title).
    search_index: Vec<(NodeId, String)>,
    /// Nodes matching `query`, in tree order.
    matches: Vec<NodeId>,
    /// Inverses of the last changes, newest last.
    undo: Vec<Edit>,
    pub status: Status,
    /// The last save failed; the change is only in memory.
    pub unsaved: Option<String>,
    /// What the file was when last read or written, to notice outside edits.
    stamp: Option<store::Stamp>,
    /// Saves off the input thread when set (the real app); inline saves otherwise (tests).
    saver: Option<Saver>,
    /// The message of the newest change handed to the saver, shown when its outcome arrives.
    saving: Option<(u64, String)>,
    /// Why saving is refused (the file on disk changed and does not load).
    pub blocked: Option<String>,
    /// A change that a reload after an outside edit did not apply, not yet seen by the user.
    pub dropped: Option<String>,
    pub effect: Option<Effect>,
    pub view: View,
    /// How far the details pane is scrolled; back to the top when the selection changes.
    pub detail_scroll: u16,
    pub help_scroll: u16,
    pub should_quit: bool,
}

impl App {
    pub fn new(library: Library, path: PathBuf, today: Date) -> Self {
        // Start with every franchise and show open, seasons closed: the family tree at a glance.
        let open: HashSet<NodeId> = tree::all_but_episodes(&library);
        let mut app = App {
            search_index: library.search_index(),
            library,
            path,
            today,
            theme: Theme::from_env(),
            open,
            rows: Vec::new(),
            order_view: None,
            order_next: None,
            shield: Shield::default(),
            selected: 0,
            mode: Mode::Normal,
            query: String::new(),
            matches: Vec::new(),
            undo: Vec::new(),
            status: Status::Info(String::new()),
            unsaved: None,
            stamp: None,
            saver: None,
            saving: None,
            blocked: None,
            dropped: None,
            effect: None,
            view: View::default(),
            detail_scroll: 0,
            help_scroll: 0,
            should_quit: false,
        };
        app.refresh();
        app
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn selected_index(&self) -> usize {
        self.selected
    }

    pub fn selected(&self) -> Option<NodeId> {
        self.rows.get(self.selected).map(|r| r.id)
    }

    pub fn is_open(&self, id: NodeId) -> bool {
        self.open.contains(&id)
    }

    pub fn is_match(&self, id: NodeId) -> bool {
        // `matches` is in tree order, which is `NodeId` order.
        self.matches.binary_search(&id).is_ok()
    }

    pub fn match_count(&self) -> usize {
        self.matches.len()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Which key table applies now.
    pub fn context(&self) -> Context {
        match self.mode {
            Mode::Normal => Context::Normal,
            Mode::Search { .. } => Context::Search,
            Mode::Notes { .. } => Context::Notes,
            Mode::Help => Context::Help,
            Mode::ConfirmQuit => Context::ConfirmQuit,
        }
    }

    fn rebuild_rows(&mut self) {
        let keep = self.selected();
        self.rows = match self.order_view {
            Some(f) if f < self.library.franchises.len() => self
                .library
                .franchises
                .get(f)
                .map(|franchise| franchise.order(self.library.settings.order))
                .unwrap_or_default()
                .into_iter()
                .map(|at| Row {
                    id: NodeId::Episode(f, at.show, at.season, at.episode),
                    depth: 0,
                    parent: None,
                    has_children: false,
                })
                .collect(),
            _ => tree::visible_rows(&self.library, &self.open),
        };
        self.select_node(keep);
    }

    /// Recomputes what depends on watched marks: the spoiler shield and the order view's
    /// next episode. Called after every change, never per frame.
    fn refresh_marks(&mut self) {
        self.shield = Shield::new(&self.library);
        self.order_next = self.order_view.and_then(|f| {
            let franchise = self.library.franchises.get(f)?;
            let order = franchise.order(self.library.settings.order);
            let at = franchise.next_in(&order)?;
            Some(NodeId::Episode(f, at.show, at.season, at.episode))
        });
        self.refresh_matches();
    }

    /// Rebuilds everything derived from the library.
    fn refresh(&mut self) {
        self.refresh_marks();
        self.rebuild_rows();
    }

    /// Selects `id` if visible; otherwise keeps the index in range.
    fn select_node(&mut self, id: Option<NodeId>) {
        if let Some(i) = id.and_then(|id| self.rows.iter().position(|r| r.id == id)) {
            self.selected = i;
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    /// Opens every ancestor of `id` so it becomes visible, then selects it.
    fn reveal(&mut self, id: NodeId) {
        for ancestor in self.library.ancestors(id) {
            self.open.insert(ancestor);
        }
        self.rebuild_rows();
        self.select_node(Some(id));
    }

    fn page(&self) -> usize {
        usize::from(self.view.tree_area.height).max(1)
    }

    fn move_by(&mut self, delta: isize) {
        let last = self.rows.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// The one place where actions change state.
    pub fn update(&mut self, action: Action) {
        match self.mode {
            Mode::Normal => self.update_normal(action),
            Mode::Search { origin } => self.update_search(action, origin),
            Mode::Notes { .. } => self.update_notes(action),
            Mode::Help => match action {
                Action::Cancel | Action::Help => self.mode = Mode::Normal,
                Action::Down => self.help_scroll = self.help_scroll.saturating_add(1),
                Action::Up => self.help_scroll = self.help_scroll.saturating_sub(1),
                Action::Quit => self.quit(),
                _ => {}
            },
            Mode::ConfirmQuit => match action {
                Action::Confirm => self.should_quit = true,
                Action::RetrySave => {
                    self.mode = Mode::Normal;
                    self.save("saved");
                    self.flush_saves(QUIT_WAIT);
                    if self.unsaved.is_none() {
                        self.should_quit = true;
                    }
                }
                Action::Cancel => self.mode = Mode::Normal,
                _ => {}
            },
        }
    }

    fn update_normal(&mut self, action: Action) {
        let before = self.selected();
        self.apply_normal(action);
        if self.selected() != before {
            self.detail_scroll = 0;
        }
    }

    fn apply_normal(&mut self, action: Action) {
        match action {
            Action::DetailDown => self.detail_scroll = self.detail_scroll.saturating_add(3),
            Action::DetailUp => self.detail_scroll = self.detail_scroll.saturating_sub(3),
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::First => self.selected = 0,
            Action::Last => self.selected = self.rows.len().saturating_sub(1),
            Action::PageUp => self.move_by(-(self.page() as isize)),
            Action::PageDown => self.move_by(self.page() as isize),
            Action::ScrollUp => self.move_by(-3),
            Action::ScrollDown => self.move_by(3),
            Action::Expand => self.expand(),
            Action::Collapse => self.collapse(),
            Action::ToggleOpen if self.order_view.is_some() => self.toggle_order_view(),
            Action::ToggleOpen => {
                if let Some(row) = self.rows.get(self.selected).cloned()
                    && row.has_children
                    && !self.open.remove(&row.id)
                {
                    self.open.insert(row.id);
                }
                self.rebuild_rows();
            }
            Action::ToggleWatched => self.toggle_watched(),
            Action::Rewatch => self.rewatch(),
            Action::EditNotes => {
                if let Some(target) = self.selected() {
                    let mut editor = TextArea::from(self.notes(target).lines());
                    editor.move_cursor(ratatui_textarea::CursorMove::Bottom);
                    editor.move_cursor(ratatui_textarea::CursorMove::End);
                    self.mode = Mode::Notes {
                        target,
                        editor: Box::new(editor),
                    };
                }
            }
            Action::EditNotesExternal => self.effect = self.selected().map(Effect::ExternalEditor),
            Action::Search => {
                self.mode = Mode::Search {
                    origin: self.selected(),
                };
                self.query.clear();
                self.refresh_matches();
            }
            Action::NextMatch => self.jump_match(true),
            Action::PrevMatch => self.jump_match(false),
            Action::Undo => self.undo(),
            Action::WatchOrder => self.toggle_order_view(),
            Action::SwitchOrder => self.switch_order(),
            Action::SpoilerShield => {
                let on = !self.library.settings.spoiler_shield;
                if !self.edit(Edit::SetSpoilerShield(on)) {
                    return;
                }
                self.save(if on {
                    "spoiler shield on: titles and notes past your furthest episode are hidden"
                } else {
                    "spoiler shield off"
                });
            }
            Action::Rate(stars) => self.rate(stars),
            Action::Cancel if self.order_view.is_some() => self.toggle_order_view(),
            Action::Help => {
                self.help_scroll = 0;
                self.mode = Mode::Help;
            }
            Action::Quit => self.quit(),
            Action::Click(column, row) => self.click(column, row),
            _ => {}
        }
    }

    fn update_search(&mut self, action: Action, origin: Option<NodeId>) {
        match action {
            Action::SearchInput(c) => {
                self.query.push(c);
                self.refresh_matches();
            }
            Action::SearchBackspace => {
                self.query.pop();
                self.refresh_matches();
            }
            Action::Confirm => {
                self.mode = Mode::Normal;
                match self.matches.first().copied() {
                    Some(first) => {
                        self.reveal(first);
                        let n = self.matches.len();
                        let s = if n == 1 { "" } else { "es" };
                        self.status = Status::Info(format!(
                            "{n} match{s} for \"{}\" · n next · N previous",
                            self.query
                        ));
                    }
                    None if self.query.is_empty() => {}
                    None => self.status = Status::Info(format!("no match for \"{}\"", self.query)),
                }
            }
            Action::Cancel => {
                self.mode = Mode::Normal;
                self.query.clear();
                self.refresh_matches();
                self.select_node(origin);
            }
            Action::Quit => self.quit(),
            _ => {}
        }
    }

    fn update_notes(&mut self, action: Action) {
        let Mode::Notes { target, editor } = &mut self.mode else {
            return;
        };
        match action {
            Action::EditorKey(key) => {
                editor.input(key);
            }
            Action::EditorDone => {
                let target = *target;
                let text = editor.lines().join("\n");
                self.mode = Mode::Normal;
                self.set_notes(target, text);
            }
            _ => {}
        }
    }

    /// Opens the watch-order view of the selection's franchise, or goes back to the tree with
    /// the same episode selected.
    fn toggle_order_view(&mut self) {
        let selected = self.selected();
        if self.order_view.take().is_some() {
            self.refresh_marks();
            if let Some(id) = selected {
                self.reveal(id);
            }
            return;
        }
        let f = selected.map_or(0, NodeId::franchise);
        if self.library.franchises.is_empty() {
            return;
        }
        self.order_view = Some(f);
        self.refresh();
        // Start on the next episode to watch.
        let next = self.order_next;
        self.select_node(next);
        self.status = Status::Info(format!(
            "watch order: {} · Space marks · Enter shows it in the tree · o back",
            self.library.settings.order
        ));
    }

    fn switch_order(&mut self) {
        let Some(f) = self.order_view else {
            self.status = Status::Info("o opens the watch order first".into());
            return;
        };
        let curated = self
            .library
            .franchises
            .get(f)
            .is_some_and(|franchise| !franchise.watch_order.is_empty());
        let order = match self.library.settings.order {
            Order::Release if curated => Order::Curated,
            Order::Release => {
                self.status = Status::Info(
                    "this franchise has no curated order (add `watch_order` to it in the file)"
                        .into(),
                );
                return;
            }
            Order::Curated => Order::Release,
        };
        if !self.edit(Edit::SetOrder(order)) {
            return;
        }
        self.refresh();
        self.save(&format!("watch order: {order}"));
    }

    /// Rates the selected episode or season; the same number again clears it.
    fn rate(&mut self, stars: u8) {
        let Some(id) = self.selected() else { return };
        let before = match self.library.node(id) {
            Some(NodeRef::Episode(_, _, e)) => e.rating,
            Some(NodeRef::Season(_, s)) => s.rating,
            _ => {
                self.status = Status::Info("ratings are for episodes and seasons".into());
                return;
            }
        };
        let rating = (stars > 0 && before != Some(stars)).then_some(stars);
        let label = self.library.label(id);
        let message = match rating {
            Some(n) => format!("{label} rated {}", "★".repeat(usize::from(n))),
            None => format!("{label}: rating cleared"),
        };
        let Some(target) = self.library.target(id) else {
            return;
        };
        if self.edit(Edit::SetRating { target, rating }) {
            self.save(&message);
        }
    }

    fn expand(&mut self) {
        let Some(row) = self.rows.get(self.selected).cloned() else {
            return;
        };
        if !row.has_children {
            return;
        }
        if self.open.insert(row.id) {
            self.rebuild_rows();
        } else {
            self.move_by(1);
        }
    }

    fn collapse(&mut self) {
        let Some(row) = self.rows.get(self.selected).cloned() else {
            return;
        };
        if row.has_children && self.open.remove(&row.id) {
            self.rebuild_rows();
        } else if let Some(parent) = row.parent {
            self.select_node(Some(parent));
        }
    }

    fn click(&mut self, column: u16, row: u16) {
        let area = self.view.tree_area;
        let inside =
            column >= area.x && column < area.right() && row >= area.y && row < area.bottom();
        if !inside {
            return;
        }
        let index = self.view.tree_offset + usize::from(row - area.y);
        if index < self.rows.len() {
            if index == self.selected {
                // A second click on the selected line opens or closes it.
                self.update_normal(Action::ToggleOpen);
            }
            self.selected = index;
        }
    }

    fn quit(&mut self) {
        self.flush_saves(QUIT_WAIT);
        if let Some(change) = self.dropped.take() {
            // The last save met an outside edit: say what was not applied before leaving.
            self.mode = Mode::Normal;
            self.status = Status::Error(format!(
                "the file changed on disk; not applied: {change} · q again quits"
            ));
            return;
        }
        if self.unsaved.is_some() {
            self.mode = Mode::ConfirmQuit;
        } else {
            self.should_quit = true;
        }
    }

    // ----- changes -----

    /// Applies `edit` to the library and keeps its inverse for `u` (settings are toggled by
    /// their key again instead). False, with the reason shown, when it did not apply.
    fn edit(&mut self, edit: Edit) -> bool {
        match edit.apply(&mut self.library) {
            Ok(inverse) => {
                if edit.target().is_some() {
                    self.undo.push(inverse);
                    if self.undo.len() > UNDO_LEVELS {
                        self.undo.remove(0);
                    }
                }
                true
            }
            Err(e) => {
                self.status = Status::Error(format!("not changed: {e}"));
                false
            }
        }
    }

    fn undo_hint() -> String {
        format!("{} to undo", keymap::key_for(Context::Normal, Action::Undo))
    }

    fn toggle_watched(&mut self) {
        let Some(id) = self.selected() else { return };
        let episodes = self.library.episodes_under(id);
        if episodes.is_empty() {
            self.status = Status::Info(match id {
                NodeId::Franchise(_) => "select a show, season or episode to mark it".into(),
                _ => "nothing to mark: no episodes yet".into(),
            });
            return;
        }
        let Some(target) = self.library.target(id) else {
            return;
        };
        let label = self.library.label(id);
        let episode = |e: NodeId| self.library.node(e).and_then(NodeRef::episode);
        let message = if let NodeId::Episode(..) = id {
            match episode(id).map_or(0, |e| e.watched.len()) {
                0 => format!("{label} watched today"),
                n => {
                    let dates = if n == 1 { "date" } else { "dates" };
                    let undo = Self::undo_hint();
                    format!("{label} unwatched ({n} watch {dates} removed) · {undo}")
                }
            }
        } else if episodes
            .iter()
            .all(|&e| episode(e).is_some_and(|e| e.is_watched()))
        {
            format!("{label}: all unwatched · {}", Self::undo_hint())
        } else {
            format!("{label}: all {} episodes watched", episodes.len())
        };
        let date = self.today;
        if self.edit(Edit::ToggleWatched { target, date }) {
            self.save(&message);
        }
    }

    fn rewatch(&mut self) {
        let Some(id) = self.selected() else { return };
        let label = self.library.label(id);
        let Some(episode) = self.library.node(id).and_then(NodeRef::episode) else {
            self.status = Status::Info("select an episode to log a rewatch".into());
            return;
        };
        if !episode.is_watched() {
            let key = keymap::key_for(Context::Normal, Action::ToggleWatched);
            self.status = Status::Info(format!("{label} is not watched yet: {key} marks it"));
            return;
        }
        let n = episode.watched.len() + 1;
        let Some(target) = self.library.target(id) else {
            return;
        };
        let date = self.today;
        if self.edit(Edit::Rewatch { target, date }) {
            self.save(&format!("{label}: rewatch logged (watched {n} times)"));
        }
    }

    /// The notes of any node.
    pub fn notes(&self, id: NodeId) -> &str {
        self.library.notes(id)
    }

    /// A short name for a node, e.g. "Ballard S01E02" or "Bosch season 3".
    pub fn label(&self, id: NodeId) -> String {
        self.library.label(id)
    }

    /// Replaces the notes of `id` (from the in-app or the external editor) and saves.
    pub fn set_notes(&mut self, id: NodeId, text: String) {
        // Trailing blank lines are an editor artefact, not something the user wrote.
        let text = text.trim_end().to_string();
        if self.notes(id) == text {
            self.status = Status::Info("notes unchanged".into());
            return;
        }
        let Some(target) = self.library.target(id) else {
            return;
        };
        let label = self.label(id);
        if self.edit(Edit::SetNotes { target, text }) {
            self.save(&format!("notes of {label} updated"));
        }
    }

    /// Takes back the last change and selects what it touched, where it is.
    fn undo(&mut self) {
        let Some(inverse) = self.undo.pop() else {
            self.status = Status::Info("nothing to undo".into());
            return;
        };
        if let Err(e) = inverse.apply(&mut self.library) {
            self.status = Status::Error(format!("cannot undo: {e}"));
            return;
        }
        let at = inverse.target().and_then(|t| self.library.locate(t));
        let label = at.map(|id| self.label(id)).unwrap_or_default();
        if let Some(id) = at {
            self.reveal(id);
        }
        self.save(&format!("undid {} of {label}", inverse.what()));
    }

    /// Saves after a change. A failure keeps the change in memory, shows why, and the next
    /// change tries again. A file changed on disk since we read it is never written over.
    fn save(&mut self, message: &str) {
        // A new change: the user has seen what an earlier reload did not apply.
        self.dropped = None;
        self.refresh_marks();
        if let Some(reason) = self.blocked.clone() {
            self.status = Status::Error(format!("{message} · NOT SAVED: {reason}"));
            self.unsaved = Some(reason);
            return;
        }
        if let Some(saver) = &mut self.saver {
            let generation = saver.submit(self.library.clone());
            self.saving = Some((generation, message.to_string()));
            self.status = Status::Info(format!("{message} · saving…"));
            return;
        }
        let _lock = match store::lock(&self.path, SAVE_LOCK_WAIT) {
            Ok(lock) => lock,
            Err(e) => {
                self.status = Status::Error(format!("{message} · NOT SAVED: {e}"));
                self.unsaved = Some(e.to_string());
                return;
            }
        };
        if self.stamp.as_ref().is_some_and(|s| s.changed(&self.path)) {
            self.reload(Some(message));
            return;
        }
        match store::save(&self.path, &self.library) {
            Ok(stamp) => self.saved(message, stamp),
            Err(e) => self.save_failed(message, &e.source.to_string()),
        }
    }

    fn saved(&mut self, message: &str, stamp: store::Stamp) {
        self.stamp = Some(stamp);
        self.unsaved = None;
        self.status = Status::Info(format!("{message} · saved"));
    }

    fn save_failed(&mut self, message: &str, error: &str) {
        self.status = Status::Error(format!("{message} · NOT SAVED: {error}"));
        self.unsaved = Some(format!("{}: could not save: {error}", self.path.display()));
    }

    /// From now on, saves run on a background thread (see `saver`).
    pub fn save_in_background(&mut self) {
        self.saver = Some(Saver::spawn(self.path.clone(), self.stamp.clone()));
    }

    /// True while a change is on its way to disk.
    pub fn saving(&self) -> bool {
        self.saver.as_ref().is_some_and(Saver::busy)
    }

    /// Takes in what the background saver finished. Called between frames.
    pub fn poll_saves(&mut self) {
        let outcomes = self.saver.as_mut().map(Saver::poll).unwrap_or_default();
        self.take_outcomes(outcomes);
    }

    /// Waits (up to `limit`) until every change is on disk; used before quitting.
    pub fn flush_saves(&mut self, limit: std::time::Duration) {
        let outcomes = self
            .saver
            .as_mut()
            .map(|s| s.flush(limit))
            .unwrap_or_default();
        self.take_outcomes(outcomes);
        if self.saving() {
            self.unsaved = Some(format!(
                "{}: the last save did not finish in {}s",
                self.path.display(),
                limit.as_secs()
            ));
        }
    }

    fn take_outcomes(&mut self, outcomes: Vec<Outcome>) {
        for outcome in outcomes {
            let generation = outcome.generation();
            let message = match &self.saving {
                Some((g, m)) if *g == generation => m.clone(),
                _ => "a change".to_string(),
            };
            let newest = self.saving.as_ref().is_none_or(|(g, _)| *g == generation);
            match outcome {
                // An older snapshot's success says nothing about the newest change.
                Outcome::Saved { stamp, .. } if !newest => self.stamp = Some(stamp),
                Outcome::Saved { stamp, .. } => self.saved(&message, stamp),
                Outcome::Failed { error, .. } => self.save_failed(&message, &error),
                Outcome::Conflict { .. } => self.reload(Some(&message)),
                // The reload that made it stale already said what was not applied.
                Outcome::Superseded { .. } => {}
            }
        }
    }

    /// Tells the user, once per catalog version, that this build ships a newer catalog.
    pub fn notice_newer_catalog(&mut self) {
        let shipped = store::CATALOG_VERSION;
        let mine = self.library.catalog_version;
        let notified = self.library.settings.catalog_notified;
        if mine.is_some_and(|v| v >= shipped) || notified == Some(shipped) {
            return;
        }
        if !self.edit(Edit::SetCatalogNotified(Some(shipped))) {
            return;
        }
        self.save(&format!(
            "a newer catalog (version {shipped}) ships with fantrack: `fantrack catalog diff` shows it"
        ));
    }

    /// Writes notes that could not be applied to a file beside the library; returns its path.
    fn rescue_notes(&self, text: &str) -> Option<PathBuf> {
        if text.trim().is_empty() {
            return None;
        }
        let mut name = self.path.file_name()?.to_os_string();
        name.push(format!(".notes-{}.txt", jiff::Timestamp::now().as_second()));
        let path = self.path.with_file_name(name);
        store::write_atomic(&path, text.as_bytes(), false).ok()?;
        Some(path)
    }

    /// Remembers what the file looked like when it was loaded.
    pub fn set_stamp(&mut self, stamp: store::Stamp) {
        self.stamp = Some(stamp);
    }

    /// Called when idle: reloads the library if the file changed on disk meanwhile.
    pub fn check_outside_change(&mut self) {
        let idle = matches!(self.mode, Mode::Normal | Mode::Help) && !self.saving();
        if idle && self.stamp.as_ref().is_some_and(|s| s.changed(&self.path)) {
            self.reload(None);
        }
    }

    /// Takes the file on disk as the truth after an outside edit. `lost` names the change
    /// that was not applied because of it. If the new file does not load, keeps the state in
    /// memory and refuses to save over the broken file.
    fn reload(&mut self, lost: Option<&str>) {
        let name = self.path.display().to_string();
        let had_unsaved = self.unsaved.is_some();
        match store::load_stamped(&self.path) {
            Ok((library, stamp)) => {
                self.library = library;
                if let Some(saver) = &mut self.saver {
                    saver.rebase(Some(stamp.clone()));
                }
                self.stamp = Some(stamp);
                self.blocked = None;
                self.unsaved = None;
                // Undo steps and search hits point into the old library.
                self.undo.clear();
                self.search_index = self.library.search_index();
                if self
                    .order_view
                    .is_some_and(|f| f >= self.library.franchises.len())
                {
                    self.order_view = None;
                }
                self.refresh();
                let lost =
                    lost.or(had_unsaved.then_some("changes made while it could not be saved"));
                self.dropped = lost.map(str::to_string);
                // Item positions may have moved: an open notes editor must not write into
                // whatever now sits where its item was. Its text is kept in a file instead.
                if let Mode::Notes { editor, .. } = &self.mode {
                    let text = editor.lines().join("\n");
                    self.mode = Mode::Normal;
                    if let Some(rescued) = self.rescue_notes(&text) {
                        self.dropped = Some(format!(
                            "{}the notes being edited (kept in {})",
                            lost.map(|l| format!("{l}; ")).unwrap_or_default(),
                            rescued.display()
                        ));
                    }
                }
                self.status = Status::Error(match self.dropped.as_deref() {
                    Some(change) => {
                        format!("{name} changed on disk: reloaded it; not applied: {change}")
                    }
                    None => format!("{name} changed on disk: reloaded it"),
                });
            }
            Err(e) => {
                let reason = format!(
                    "{name} changed on disk and does not load ({e}); fantrack will not save over it"
                );
                self.status = Status::Error(reason.clone());
                self.blocked = Some(reason.clone());
                if lost.is_some() {
                    self.unsaved = Some(reason);
                }
            }
        }
    }

    // ----- search -----

    fn refresh_matches(&mut self) {
        let query = self.query.to_lowercase();
        self.matches = if query.is_empty() {
            Vec::new()
        } else {
            self.search_index
                .iter()
                .filter(|(id, title)| title.contains(&query) && !self.shield.hides(*id))
                .map(|(id, _)| *id)
                .collect()
        };
    }

    fn jump_match(&mut self, forward: bool) {
        if self.matches.is_empty() {
            self.status = Status::Info("no search: / searches titles".into());
            return;
        }
        let current = self.selected();
        let pos = current.and_then(|c| self.matches.iter().position(|m| *m == c));
        let n = self.matches.len();
        let next = match (pos, forward) {
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
            // Not on a match: the first match after the selection in tree order.
            (None, true) => current
                .and_then(|c| self.matches.iter().position(|m| *m > c))
                .unwrap_or(0),
            (None, false) => current
                .and_then(|c| self.matches.iter().rposition(|m| *m < c))
                .unwrap_or(n - 1),
        };
        let target = self.matches[next];
        self.reveal(target);
        self.status = Status::Info(format!(
            "match {} of {} for \"{}\"",
            next + 1,
            n,
            self.query
        ));
    }
}

/// Opens the library (creating it on first run) and runs the TUI until the user quits.
pub fn run(path: &Path) -> Result<(), String> {
    let cache = Cache::from_env();
    // Load on another thread, so the terminal can be set up meanwhile.
    let loader = {
        let (path, cache) = (path.to_path_buf(), cache.clone());
        std::thread::spawn(move || App::open_cached(&path, cache.as_ref()))
    };

    // SIGTERM / SIGHUP end the loop like `q`: every change is already saved.
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .map_err(|e| format!("cannot watch for signals: {e}"))?;
    }
    // A first screen cached for this very file (same length, times and inode) means the file
    // loaded before and will again: then the terminal is set up while the library loads, and
    // the cached screen shows at once. Otherwise the load comes first, so a file that does
    // not load is reported without touching the terminal.
    let plain = Theme::from_env().is_plain();
    let early = cache.as_ref().and_then(|cache| {
        let (width, height) = crossterm::terminal::size().ok()?;
        let key = FrameKey::now(path, width, height, plain)?;
        let ansi = cache.read_frame_ansi(path, &key)?;
        Some((cache, key, ansi))
    });
    let (mut terminal, mut app) = match early {
        None => {
            let app = join(loader)?;
            (init_terminal()?, app)
        }
        Some((cache, key, ansi)) => {
            let mut terminal = init_terminal()?;
            let mut out = io::stdout();
            let _ = out.write_all(&ansi).and_then(|()| out.flush());
            // Tell ratatui what is on the screen now, so its first real frame changes only
            // what differs; without the cells, it redraws everything.
            match cache.read_frame(path, &key) {
                Some(cells) => {
                    *terminal.current_buffer_mut() = cells;
                    terminal.swap_buffers();
                }
                None => {
                    let _ = terminal.clear();
                }
            }
            match join(loader) {
                Ok(app) => (terminal, app),
                Err(message) => {
                    restore_terminal();
                    return Err(message);
                }
            }
        }
    };
    app.save_in_background();
    let result = app.run(&mut terminal, &stop);
    let size = terminal.size().ok();
    restore_terminal();
    result.map_err(|e| format!("terminal error: {e}"))?;
    if let (Some(cache), Some(size)) = (&cache, size)
        && app.unsaved.is_none()
    {
        app.remember_first_frame(cache, size.width, size.height, plain);
    }
    match (app.unsaved, app.dropped) {
        (Some(reason), _) => Err(format!("quit with unsaved changes: {reason}")),
        (None, Some(change)) => Err(format!(
            "{} changed on disk; not applied: {change}",
            path.display()
        )),
        (None, None) => Ok(()),
    }
}

/// Raw mode, the alternate screen and mouse reporting; a panic hook that undoes them all.
fn init_terminal() -> Result<DefaultTerminal, String> {
    let terminal = ratatui::try_init().map_err(|e| format!("cannot use the terminal: {e}"))?;
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableMouseCapture);
        hook(info);
    }));
    let _ = execute!(io::stdout(), EnableMouseCapture);
    Ok(terminal)
}

fn restore_terminal() {
    let _ = execute!(io::stdout(), DisableMouseCapture);
    ratatui::restore();
}

/// An in-memory writer whose bytes stay readable after a backend has taken it.
#[derive(Clone, Default)]
struct SharedBytes(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl Write for SharedBytes {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Waits for the loading thread.
fn join(loader: std::thread::JoinHandle<Result<App, String>>) -> Result<App, String> {
    loader
        .join()
        .unwrap_or_else(|_| Err("loading the library failed".into()))
}

impl App {
    /// Opens the library for the TUI: creates it from the shipped catalog on first run, and
    /// opens a file from a newer fantrack read-only. Any other load error stops here, before
    /// the terminal is touched.
    pub fn open(path: &Path) -> Result<App, String> {
        App::open_cached(path, None)
    }

    /// `open`, with the parse taken from (or, on a miss, written to) the start-up cache.
    pub fn open_cached(path: &Path, cache: Option<&Cache>) -> Result<App, String> {
        let created = !path.exists()
            && matches!(
                store::open(path).map_err(|e| e.to_string())?,
                Opened::Created(_)
            );
        let from_cache = |bytes: &[u8]| cache.and_then(|c| c.read_library(path, bytes));
        let (library, stamp, newer) = match store::load_stamped_cached(path, from_cache) {
            Ok((library, stamp, parsed)) => {
                if let (Some(cache), Some(bytes)) = (cache, parsed) {
                    // Cache the parse for next time, off this thread (a clone is cheap).
                    let (cache, path, library) =
                        (cache.clone(), path.to_path_buf(), library.clone());
                    std::thread::spawn(move || cache.write_library(&path, &bytes, library));
                }
                (library, stamp, None)
            }
            Err(store::LoadError::TooNew { found, .. }) => {
                let (library, stamp) =
                    store::load_stamped_newer(path).map_err(|e| e.to_string())?;
                (library, stamp, Some(found))
            }
            Err(e) => return Err(e.to_string()),
        };
        let mut app = App::new(library, path.to_path_buf(), crate::model::today());
        app.set_stamp(stamp);
        app.status = Status::Info(if created {
            format!("created {} · ? for help", path.display())
        } else {
            "? for help · q to quit".into()
        });
        match newer {
            Some(found) => {
                let reason = format!(
                    "READ-ONLY: this file is format version {found}, newer than this fantrack \
                     knows ({}); update fantrack to change it",
                    crate::model::FORMAT_VERSION
                );
                app.status = Status::Error(reason.clone());
                app.blocked = Some(reason);
            }
            None => app.notice_newer_catalog(),
        }
        Ok(app)
    }

    /// Caches the screen the next start will open on (the library as it now is on disk), and
    /// the parse of the file, so the next start can show it at once.
    fn remember_first_frame(&self, cache: &Cache, width: u16, height: u16, plain: bool) {
        // Only when the file on disk is exactly what this app last wrote or read, so the
        // library in memory is the parse of its bytes: never for a file that changed outside,
        // failed to load, or holds less than the app does.
        let in_step = self.unsaved.is_none()
            && self.blocked.is_none()
            && self.dropped.is_none()
            && !self.saving()
            && self.stamp.as_ref().is_some_and(|s| !s.changed(&self.path));
        if !in_step {
            return;
        }
        let Some(key) = FrameKey::now(&self.path, width, height, plain) else {
            return;
        };
        if let Ok(bytes) = std::fs::read(&self.path)
            && !cache.has_library(&self.path, &bytes)
        {
            cache.write_library(&self.path, &bytes, self.library.clone());
        }
        let mut next = App::new(self.library.clone(), self.path.clone(), self.today);
        next.theme = self.theme;
        next.status = Status::Info("? for help · q to quit".into());
        // Drawn into memory through the same backend the app uses, so the bytes are exactly
        // what a terminal needs to show this frame.
        let bytes = SharedBytes::default();
        let backend = ratatui::backend::CrosstermBackend::new(bytes.clone());
        let viewport = ratatui::Viewport::Fixed(Rect::new(0, 0, width, height));
        let Ok(mut terminal) =
            ratatui::Terminal::with_options(backend, ratatui::TerminalOptions { viewport })
        else {
            return;
        };
        let Ok(frame) = terminal.draw(|frame| ui::draw(frame, &mut next)) else {
            return;
        };
        let cells = frame.buffer.clone();
        cache.write_frame(&self.path, key, &cells, &bytes.0.borrow());
    }

    fn run(&mut self, terminal: &mut DefaultTerminal, stop: &AtomicBool) -> io::Result<()> {
        // For the test that proves a panic restores the terminal and leaves the file intact.
        let panic_on_key = std::env::var_os("FANTRACK_TEST_PANIC_ON_KEY").is_some();
        while !self.should_quit && !stop.load(Ordering::Relaxed) {
            terminal.draw(|frame| ui::draw(frame, self))?;
            // Wake up now and then to notice outside edits and signals, and soon after a
            // save to show that it landed.
            let wait = if self.saving() {
                SAVE_CHECK
            } else {
                IDLE_CHECK
            };
            if !event::poll(wait)? {
                self.poll_saves();
                self.check_outside_change();
                continue;
            }
            let event = event::read()?;
            if panic_on_key && matches!(event, event::Event::Key(_)) {
                panic!("FANTRACK_TEST_PANIC_ON_KEY: a panic, on purpose");
            }
            if let Some(action) = keymap::action_for_event(self.context(), &event) {
                self.update(action);
            }
            if let Some(Effect::ExternalEditor(id)) = self.effect.take() {
                self.edit_externally(terminal, id)?;
            }
            self.poll_saves();
        }
        if self.unsaved.is_some() && !self.should_quit {
            // Stopped by a signal after a failed save: one last try.
            self.save("last change");
        }
        self.flush_saves(QUIT_WAIT);
        Ok(())
    }

    /// Suspends the TUI, edits the notes in $VISUAL/$EDITOR, and resumes.
    fn edit_externally(&mut self, terminal: &mut DefaultTerminal, id: NodeId) -> io::Result<()> {
        let editor = std::env::var("VISUAL")
            .or_else(|_| std::env::var("EDITOR"))
            .unwrap_or_else(|_| "vi".into());
        let file = tempfile::Builder::new()
            .prefix("fantrack-notes-")
            .suffix(".md")
            .tempfile()?;
        std::fs::write(file.path(), self.notes(id))?;
        let _ = execute!(io::stdout(), DisableMouseCapture);
        ratatui::restore();
        // Through the shell, so an $EDITOR like "code -w" works.
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{editor} \"$1\""))
            .arg("sh")
            .arg(file.path())
            .status();
        *terminal = ratatui::init();
        let _ = execute!(io::stdout(), EnableMouseCapture);
        terminal.clear()?;
        match status {
            Ok(s) if s.success() => {
                let text = std::fs::read_to_string(file.path())?;
                self.set_notes(id, text);
            }
            Ok(s) => {
                self.status = Status::Error(format!("{editor} exited with {s}; notes unchanged"))
            }
            Err(e) => self.status = Status::Error(format!("could not run {editor}: {e}")),
        }
        Ok(())
    }
}
