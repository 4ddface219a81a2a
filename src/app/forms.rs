//! The forms and the yes/no question in the app: opening them on the selection, the keys
//! while one is open, and applying one as a single undo step through the usual edit path.

use super::form::{Form, Input, Purpose, Typed};
use super::{App, Confirm, Mode, Status};
use std::path::PathBuf;

use super::form::Outcome;
use crate::action::Action;
use crate::model::{Edit, Target};

impl App {
    fn open_form(&mut self, form: Result<Form, String>) {
        if let Some(reason) = self.document.read_only() {
            self.status = Status::Error(format!("cannot change anything: {reason}"));
            return;
        }
        match form {
            Ok(form) => self.mode = Mode::Form(Box::new(form)),
            Err(why) => self.status = Status::Info(why),
        }
    }

    pub(super) fn open_facts(&mut self) {
        let Some(id) = self.selected() else { return };
        let form = super::facts::form(self.document.library(), id);
        self.open_form(form);
    }

    pub(super) fn open_news(&mut self) {
        let Some(id) = self.selected() else { return };
        let form = super::news::form(self.document.library(), id, self.today);
        self.open_form(form);
    }

    pub(super) fn open_add(&mut self) {
        let id = self.selected();
        let form = super::structure::add_form(self.document.library(), id);
        self.open_form(form);
    }

    pub(super) fn open_viewings(&mut self) {
        let Some(id) = self.selected() else { return };
        let form = super::viewings::form(self.document.library(), id);
        self.open_form(form);
    }

    /// Asks before deleting the selection, saying what goes with it.
    pub(super) fn ask_remove(&mut self) {
        if let Some(reason) = self.document.read_only() {
            self.status = Status::Error(format!("cannot change anything: {reason}"));
            return;
        }
        let Some(id) = self.selected() else { return };
        match super::structure::removal(self.document.library(), id) {
            Some((question, edit, message, select)) => {
                self.mode = Mode::Confirm(Box::new(Confirm {
                    question,
                    edit,
                    message,
                    select,
                    back: None,
                }))
            }
            None => self.status = Status::Info("nothing to delete here".into()),
        }
    }

    pub(super) fn in_form(&mut self, action: Action) {
        let Mode::Form(form) = &mut self.mode else {
            return;
        };
        match action {
            Action::FormNext => form.step(true),
            Action::FormPrev => form.step(false),
            Action::FormEnter if form.enter_is_typed() => {
                form.type_key(crossterm::event::KeyEvent::from(
                    crossterm::event::KeyCode::Enter,
                ));
            }
            Action::FormEnter | Action::FormApply => self.apply_form(),
            Action::Cancel => {
                self.mode = Mode::Normal;
                self.status = Status::Info("cancelled: nothing changed".into());
            }
            Action::EditorKey(key) => {
                // Only a choice or a box decides which fields show and their defaults.
                let chooser = matches!(
                    form.focused().map(|f| &f.input),
                    Some(Input::Choice { .. } | Input::Check(_))
                );
                if form.type_key(key) == Typed::Changed && chooser {
                    let library = self.document.library();
                    match form.purpose {
                        Purpose::News(_) => super::news::follow(form, library),
                        Purpose::Add(_) => super::structure::follow(form, library),
                        Purpose::Facts(_) | Purpose::Viewings(_) => {}
                    }
                }
            }
            _ => {}
        }
    }

    fn apply_form(&mut self) {
        let Mode::Form(mut form) = std::mem::replace(&mut self.mode, Mode::Normal) else {
            return;
        };
        form.clear_errors();
        let library = self.document.library();
        let outcome = match &form.purpose {
            Purpose::Facts(target) => {
                let target = target.clone();
                super::facts::apply(&mut form, library, &target)
            }
            Purpose::News(target) => {
                let target = target.clone();
                super::news::apply(&mut form, library, &target)
            }
            Purpose::Add(under) => {
                let under = *under;
                super::structure::apply_add(&mut form, library, under)
            }
            Purpose::Viewings(target) => {
                let target = target.clone();
                super::viewings::apply(&mut form, library, &target, self.today)
            }
        };
        match outcome {
            Err(()) => {
                if form.note.is_none() {
                    form.note = Some("not applied: fix the marked field".into());
                }
                self.mode = Mode::Form(form);
            }
            Ok(Outcome::Unchanged(message)) => self.status = Status::Info(message),
            Ok(Outcome::Apply {
                edit,
                message,
                select,
            }) => {
                if !self.change(edit, &message, select) {
                    self.mode = Mode::Form(form);
                }
            }
            Ok(Outcome::Ask {
                question,
                edit,
                message,
                select,
            }) => {
                self.mode = Mode::Confirm(Box::new(Confirm {
                    question,
                    edit,
                    message,
                    select,
                    back: Some(form),
                }))
            }
        }
    }

    /// Stopped (a signal, a closed terminal) with a form open: a form that is valid is applied
    /// (and saved with the rest); one that is not, or that waits on a question, goes to a rescue
    /// file as text, whose path comes back in `Err`. `Ok` holds the applied form's text, for
    /// the caller to rescue if the save fails too.
    pub(super) fn stop_form(&mut self) -> Result<Option<String>, PathBuf> {
        let text = match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::Form(form) => {
                let text = form.as_text();
                self.mode = Mode::Form(form);
                self.apply_form();
                match std::mem::replace(&mut self.mode, Mode::Normal) {
                    // Applied: kept only if the save fails.
                    Mode::Normal => return Ok(Some(text)),
                    Mode::Form(form) => form.as_text(),
                    Mode::Confirm(confirm) => not_applied(&confirm, text),
                    other => {
                        self.mode = other;
                        return Ok(None);
                    }
                }
            }
            // A question over a form: nothing was agreed to, so the form is kept as text.
            Mode::Confirm(confirm) => match &confirm.back {
                Some(form) => not_applied(&confirm, form.as_text()),
                None => return Ok(None),
            },
            other => {
                self.mode = other;
                return Ok(None);
            }
        };
        self.document.rescue_notes(&text).map_or(Ok(None), Err)
    }

    pub(super) fn in_confirm(&mut self, action: Action) {
        match action {
            Action::Confirm => {
                let Mode::Confirm(confirm) = std::mem::replace(&mut self.mode, Mode::Normal) else {
                    return;
                };
                let Confirm {
                    edit,
                    message,
                    select,
                    back,
                    ..
                } = *confirm;
                if !self.change(edit, &message, select)
                    && let Some(form) = back
                {
                    self.mode = Mode::Form(form);
                }
            }
            Action::Cancel => {
                let Mode::Confirm(confirm) = std::mem::replace(&mut self.mode, Mode::Normal) else {
                    return;
                };
                match confirm.back {
                    Some(form) => self.mode = Mode::Form(form),
                    None => self.status = Status::Info("nothing deleted".into()),
                }
            }
            _ => {}
        }
    }

    /// Applies a form's or a question's edit as one undo step, saves, and selects `select`.
    /// False (the reason shown) when it did not apply.
    fn change(&mut self, edit: Edit, message: &str, select: Option<Target>) -> bool {
        if !self.apply_edit(&edit, true) {
            return false;
        }
        let library = self.document.library();
        self.search.reindex(library);
        self.tree.rebuild(library);
        if let Some(id) = select.and_then(|t| library.locate(&t)) {
            self.tree.reveal(library, id);
        }
        self.detail_scroll = 0;
        let undo = keymap_undo();
        self.save(&format!("{message} · {undo}"));
        true
    }
}

/// A form's text with the question it waited on.
fn not_applied(confirm: &Confirm, text: String) -> String {
    let text = match &confirm.back {
        Some(form) => form.as_text(),
        None => text,
    };
    format!("{text}(not applied: {})\n", confirm.question)
}

fn keymap_undo() -> String {
    crate::keymap::hint(crate::keymap::Context::NORMAL, Action::Undo, "undoes")
}
