//! How the app follows what its parts report: a save's outcome, a reload after an outside
//! edit, and what has to be recomputed after a change.

use std::time::Duration;

use super::document::Event;
use super::{App, Mode, Status};

impl App {
    pub(super) fn follow(&mut self, events: Vec<Event>) {
        for event in events {
            match event {
                Event::Status(status) => self.status = status,
                Event::Reloaded => self.reloaded(),
            }
        }
    }

    pub(super) fn take_saves(&mut self) {
        let events = self.document.poll();
        self.follow(events);
    }

    pub(super) fn flush(&mut self, limit: Duration) {
        let events = self.document.flush(limit);
        self.follow(events);
    }

    /// When idle only: never under an open prompt or editor, never while a save runs.
    pub(super) fn look_for_outside_change(&mut self) {
        let idle = matches!(self.mode, Mode::Normal | Mode::Help) && !self.document.saving();
        if idle {
            let events = self.document.check_outside_change();
            self.follow(events);
        }
    }

    /// Saves after a change, with what depends on the marks brought up to date first.
    pub(super) fn save(&mut self, message: &str) {
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
    pub(super) fn refresh_marks(&mut self) {
        self.document.refresh();
        self.tree.refresh_next(self.document.library());
        self.search.refresh(self.document.shield());
    }
}
