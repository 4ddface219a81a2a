//! What each action does in each mode: the handlers `update` dispatches `Msg::Key` to.

use ratatui_textarea::{CursorMove, TextArea, WrapMode};

use super::{App, Effect, Mode, QUIT_WAIT, Status};
use crate::action::Action;
use crate::keymap::{self, Context};
use crate::model::{Edit, NodeId, Order};

impl App {
    pub(super) fn key(&mut self, action: Action) -> Option<Effect> {
        match self.mode {
            Mode::Normal => return self.normal(action),
            Mode::Search { origin } => self.searching(action, origin),
            Mode::Notes { .. } => self.editing(action),
            // Quitting from a worker's flow drops what the worker was doing.
            Mode::Tvmaze(_) | Mode::Import(_) if action == Action::Quit => {
                self.jobs.abandon();
                self.mode = Mode::Normal;
                self.quit();
            }
            Mode::Tvmaze(_) => self.tvmaze_key(action),
            Mode::Import(_) => self.import_key(action),
            Mode::Form(_) => self.in_form(action),
            Mode::Confirm(_) => self.in_confirm(action),
            Mode::Stats => match action {
                Action::Cancel | Action::Help | Action::Stats => self.mode = Mode::Normal,
                Action::Quit => self.quit(),
                _ => {}
            },
            Mode::Help => match action {
                Action::Cancel | Action::Help => self.mode = Mode::Normal,
                Action::Down => {
                    self.help_scroll = self
                        .help_scroll
                        .saturating_add(1)
                        .min(self.help_scroll_limit())
                }
                Action::Up => self.help_scroll = self.help_scroll.saturating_sub(1),
                Action::Quit => self.quit(),
                _ => {}
            },
            Mode::ConfirmQuit => match action {
                Action::Confirm => self.should_quit = true,
                Action::RetrySave => {
                    self.mode = Mode::Normal;
                    self.save("saved");
                    self.flush(QUIT_WAIT);
                    if self.document.unsaved().is_none() {
                        self.should_quit = true;
                    }
                }
                Action::Cancel => self.mode = Mode::Normal,
                _ => {}
            },
        }
        None
    }

    fn normal(&mut self, action: Action) -> Option<Effect> {
        let before = self.selected();
        let effect = self.browse(action);
        if self.selected() != before {
            self.detail_scroll = 0;
        }
        effect
    }

    fn browse(&mut self, action: Action) -> Option<Effect> {
        let library = self.document.library();
        let page = self.tree.page();
        match action {
            // Stops at the end, so `K` scrolls back at once.
            Action::DetailDown => {
                self.detail_scroll = self
                    .detail_scroll
                    .saturating_add(3)
                    .min(self.detail_scroll_limit())
            }
            Action::DetailUp => self.detail_scroll = self.detail_scroll.saturating_sub(3),
            Action::Up => self.tree.move_by(-1),
            Action::Down => self.tree.move_by(1),
            Action::First => self.tree.first(),
            Action::Last => self.tree.last(),
            Action::PageUp => self.tree.move_by(-page),
            Action::PageDown => self.tree.move_by(page),
            // The wheel scrolls the pane under the pointer.
            Action::ScrollUp(column, row) if self.over_details(column, row) => {
                self.detail_scroll = self.detail_scroll.saturating_sub(3)
            }
            Action::ScrollDown(column, row) if self.over_details(column, row) => {
                self.detail_scroll = self
                    .detail_scroll
                    .saturating_add(3)
                    .min(self.detail_scroll_limit())
            }
            Action::ScrollUp(..) => self.tree.move_by(-3),
            Action::ScrollDown(..) => self.tree.move_by(3),
            Action::Expand => self.tree.expand(library),
            Action::Collapse => self.tree.collapse(library),
            Action::ToggleOpen if self.tree.order_view().is_some() => self.toggle_order_view(),
            Action::ToggleOpen => self.tree.toggle_open(library),
            Action::ToggleWatched => self.toggle_watched(),
            Action::Rewatch => self.rewatch(),
            Action::EditNotes => {
                if let Some(target) = self.selected() {
                    let mut editor = TextArea::from(self.notes(target).lines());
                    // Long lines wrap at words, rather than scrolling sideways.
                    editor.set_wrap_mode(WrapMode::WordOrGlyph);
                    editor.move_cursor(CursorMove::Bottom);
                    editor.move_cursor(CursorMove::End);
                    self.mode = Mode::Notes {
                        target,
                        editor: Box::new(editor),
                    };
                }
            }
            Action::EditNotesExternal => return self.selected().map(Effect::ExternalEditor),
            Action::Search => {
                self.mode = Mode::Search {
                    origin: self.selected(),
                };
                self.search.begin();
                self.search.refresh(self.document.shield());
            }
            Action::NextMatch => self.jump_match(true),
            Action::PrevMatch => self.jump_match(false),
            Action::Undo => self.undo(),
            Action::WatchOrder => self.toggle_order_view(),
            Action::SwitchOrder => self.switch_order(),
            Action::SpoilerShield => self.toggle_shield(),
            Action::Rate(stars) => self.rate(stars),
            Action::Filter if self.tree.order_view().is_none() => {
                self.tree.cycle_filter(self.document.library());
                let shown = self.tree.filter().label().unwrap_or("everything");
                let again = keymap::hint(Context::NORMAL, Action::Filter, "changes it");
                self.status = Status::Info(format!("showing {shown} · {again}"));
            }
            Action::EditFacts => self.open_facts(),
            Action::News => self.open_news(),
            Action::Add => self.open_add(),
            Action::Remove => self.ask_remove(),
            Action::WatchDates => self.open_viewings(),
            Action::Stats => self.mode = Mode::Stats,
            Action::TvmazeAdd => self.start_tvmaze_add(),
            Action::TvmazeRefresh => self.start_refresh(),
            Action::Import => self.start_import(),
            Action::Cancel if self.tree.order_view().is_some() => self.toggle_order_view(),
            Action::Help => {
                self.help_scroll = 0;
                self.mode = Mode::Help;
            }
            Action::Quit => self.quit(),
            Action::Click(column, row) => self.click(column, row),
            _ => {}
        }
        None
    }

    fn searching(&mut self, action: Action, origin: Option<NodeId>) {
        match action {
            Action::SearchInput(c) => {
                self.search.push(c);
                self.search.refresh(self.document.shield());
            }
            Action::SearchBackspace => {
                self.search.pop();
                self.search.refresh(self.document.shield());
            }
            Action::Confirm => {
                self.mode = Mode::Normal;
                let query = self.search.query().to_string();
                match self.search.first_match() {
                    Some(first) => {
                        self.tree.reveal(self.document.library(), first);
                        let n = self.search.match_count();
                        let s = if n == 1 { "" } else { "es" };
                        let next = keymap::hint(Context::NORMAL, Action::NextMatch, "next");
                        let prev = keymap::hint(Context::NORMAL, Action::PrevMatch, "previous");
                        self.status =
                            Status::Info(format!("{n} match{s} for \"{query}\" · {next} · {prev}"));
                    }
                    // Nothing typed: the search before the prompt goes on.
                    None if query.is_empty() => {
                        self.search.cancel();
                        self.search.refresh(self.document.shield());
                    }
                    None => self.status = Status::Info(format!("no match for \"{query}\"")),
                }
            }
            Action::Cancel => {
                self.mode = Mode::Normal;
                self.search.cancel();
                self.search.refresh(self.document.shield());
                self.tree.select(origin);
            }
            Action::Quit => self.quit(),
            _ => {}
        }
    }

    fn editing(&mut self, action: Action) {
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

    fn jump_match(&mut self, forward: bool) {
        let Some((i, target)) = self.search.step(self.selected(), forward) else {
            let key = keymap::hint(Context::NORMAL, Action::Search, "searches titles");
            self.status = Status::Info(format!("no search: {key}"));
            return;
        };
        self.tree.reveal(self.document.library(), target);
        self.status = Status::Info(format!(
            "match {} of {} for \"{}\"",
            i + 1,
            self.search.match_count(),
            self.search.query()
        ));
    }

    /// Opens the watch-order view of the selection's franchise, or goes back to the tree with
    /// the same episode selected.
    fn toggle_order_view(&mut self) {
        let selected = self.selected();
        let library = self.document.library();
        if self.tree.order_view().is_some() {
            self.tree.set_order_view(library, None);
            if let Some(id) = selected {
                self.tree.reveal(library, id);
            }
            return;
        }
        if library.franchises.is_empty() {
            return;
        }
        let f = selected.map_or(0, NodeId::franchise);
        // A franchise with a curated order opens on it: it is what the fan wrote down.
        let curated = library
            .franchises
            .get(f)
            .is_some_and(|franchise| !franchise.watch_order.is_empty());
        if curated && library.settings.order == Order::Release {
            self.commit(Edit::SetOrder(Order::Curated), "watch order: curated order");
        }
        let library = self.document.library();
        let order = super::shown_order(library, f);
        self.tree.set_order_view(library, Some(f));
        self.refresh_marks();
        // Start on the next episode to watch.
        self.tree.select(self.tree.order_next());
        let hint = |action, words| keymap::hint(Context::ORDER, action, words);
        let switch = match order {
            Order::Curated => format!(" · {}", hint(Action::SwitchOrder, "release order")),
            Order::Release => String::new(),
        };
        self.status = Status::Info(format!(
            "watch order: {order}{switch} · {} · {} · {}",
            hint(Action::ToggleWatched, "marks"),
            hint(Action::ToggleOpen, "shows it in the tree"),
            hint(Action::WatchOrder, "back"),
        ));
    }

    fn click(&mut self, column: u16, row: u16) {
        let Some(index) = self.tree.row_at(column, row) else {
            return;
        };
        if index == self.tree.selected_index() {
            // A second click on the selected line opens or closes it.
            self.normal(Action::ToggleOpen);
        }
        self.tree.select_index(index);
    }

    pub(super) fn quit(&mut self) {
        self.flush(QUIT_WAIT);
        if self.document.unsaved().is_some() {
            self.mode = Mode::ConfirmQuit;
        } else {
            self.should_quit = true;
        }
    }
}
