//! How the app follows what its parts report: a save's outcome, a reload after an outside
//! edit, and what has to be recomputed after a change.

use std::time::Duration;

use super::document::Event;
use super::{App, Mode, QUIT_WAIT, Status};
use crate::model::Library;

impl App {
    pub(super) fn follow(&mut self, events: Vec<Event>) {
        for event in events {
            match event {
                Event::Status(status) => self.status = status,
                Event::Reloaded { before, report } => {
                    self.reloaded(&before, &report);
                    // A sync tool that changed the file may have left a conflict copy.
                    self.offer_conflict_copies();
                }
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

    /// Stopped by a signal, a closed terminal or a failure: the notes editor's text goes into
    /// the note, a failed save gets one last try, and everything is flushed. Notes that still
    /// cannot be saved go to a rescue file, named in the reason the run ends with.
    pub(super) fn stopped(&mut self) {
        let form = self.stop_form();
        let editing = match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::Notes { target, editor } => Some((target, editor.lines().join("\n"))),
            other => {
                self.mode = other;
                None
            }
        };
        if let Some((target, text)) = &editing
            && self.document.read_only().is_none()
        {
            self.set_notes(*target, text.clone());
        }
        if self.document.unsaved().is_some() && !self.should_quit {
            // Stopped by a signal after a failed save: one last try.
            self.save("last change");
        }
        self.flush(QUIT_WAIT);
        let reason = self
            .document
            .unsaved()
            .or(self.document.read_only())
            .map(str::to_string);
        // A form not applied, or applied but not saved: its text is in a rescue file.
        let form_kept = match (form, &reason) {
            (Err(path), _) => Some(path),
            (Ok(Some(text)), Some(_)) => self.document.rescue_notes(&text),
            _ => None,
        };
        if let Some(path) = form_kept {
            let why = reason.as_deref().unwrap_or("the form was not applied");
            self.document.set_unsaved(format!(
                "{why}; the form being filled in is kept in {}",
                path.display()
            ));
        }
        let reason = self
            .document
            .unsaved()
            .or(self.document.read_only())
            .map(str::to_string);
        if let (Some((_, text)), Some(reason)) = (editing, reason)
            && let Some(rescued) = self.document.rescue_notes(&text)
        {
            self.document.set_unsaved(format!(
                "{reason}; the notes being edited are kept in {}",
                rescued.display()
            ));
        }
    }

    /// Closes the notes editor, its text written to a rescue file; returns the file's path.
    pub(super) fn rescue_editor(&mut self) -> Option<std::path::PathBuf> {
        let Mode::Notes { editor, .. } = &self.mode else {
            return None;
        };
        let text = editor.lines().join("\n");
        self.mode = Mode::Normal;
        self.document.rescue_notes(&text)
    }

    /// Saves after a change, with what depends on the marks brought up to date first.
    pub(super) fn save(&mut self, message: &str) {
        self.refresh_marks();
        let events = self.document.save(message);
        self.follow(events);
    }

    /// After the file was reloaded (and this run's changes made again on top): everything
    /// that pointed into the old library. Undo stays: its inverses are addressed by ids.
    fn reloaded(&mut self, before: &Library, report: &[String]) {
        self.search.reindex(self.document.library());
        let view = self.tree.order_view();
        self.tree.set_order_view(self.document.library(), view);
        self.refresh_marks();
        // An open notes editor follows its item to where it sits now; if the item is gone,
        // its text goes to a rescue file.
        if let Mode::Notes { target, editor } = &mut self.mode {
            let library = self.document.library();
            match before.target(*target).and_then(|t| library.locate(&t)) {
                Some(id) => *target = id,
                None => {
                    let text = editor.lines().join("\n");
                    self.mode = Mode::Normal;
                    if let Some(rescued) = self.document.rescue_notes(&text) {
                        self.status = Status::Error(format!(
                            "the item whose notes you were editing is gone from the file: your text is in {}",
                            rescued.display()
                        ));
                        return;
                    }
                }
            }
        }
        let name = self.document.path().display();
        // The last message (what the user just did) stays in front of the news.
        let mut status = match &self.status {
            Status::Info(m) if m.contains("changed on disk") => m.clone(),
            Status::Info(m) if !m.is_empty() => {
                format!("{m} · {name} changed on disk: reloaded it")
            }
            _ => format!("{name} changed on disk: reloaded it"),
        };
        for r in report {
            status.push_str(" · ");
            status.push_str(r);
        }
        self.status = Status::Info(status);
    }

    /// Recomputes what depends on watched marks: the shield, the order view's next episode,
    /// the search matches. After every change, never per frame.
    pub(super) fn refresh_marks(&mut self) {
        self.document.refresh();
        self.tree.refresh_next(self.document.library());
        self.search.refresh(self.document.shield());
    }
}
