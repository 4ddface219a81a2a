//! The changes the user makes: each names what it changes by stable ids, becomes an `Edit`,
//! is applied (its inverse kept for `u`), and saved with a message that says what happened.

use super::{App, Status};
use crate::action::Action;
use crate::keymap::{self, Context};
use crate::model::{Edit, NodeId, NodeRef, Order};
use crate::store;

impl App {
    /// Applies `edit` and keeps its inverse for `u` (settings are toggled by their key again
    /// instead). False, with the reason shown, when it did not apply.
    fn edit(&mut self, edit: Edit) -> bool {
        let undoable = edit.target().is_some();
        self.apply_edit(&edit, undoable)
    }

    /// Applies `edit`, keeping its inverse for `u` when `undoable`. False, with the reason
    /// shown, when it did not apply (a read-only file, an edit the library refuses).
    pub(super) fn apply_edit(&mut self, edit: &Edit, undoable: bool) -> bool {
        if let Some(reason) = self.document.read_only() {
            self.status = Status::Error(format!("not changed: {reason}"));
            return false;
        }
        match self.document.apply(edit) {
            Ok(inverse) => {
                if undoable {
                    self.undo.push(inverse);
                }
                true
            }
            Err(e) => {
                self.status = Status::Error(format!("not changed: {e}"));
                false
            }
        }
    }

    /// Applies `edit` and saves with `message`.
    pub(super) fn commit(&mut self, edit: Edit, message: &str) {
        if self.edit(edit) {
            self.save(message);
        }
    }

    fn undo_hint() -> String {
        keymap::hint(Context::NORMAL, Action::Undo, "to undo")
    }

    pub(super) fn toggle_watched(&mut self) {
        let Some(id) = self.selected() else { return };
        let library = self.document.library();
        let episodes = library.episodes_under(id);
        if episodes.is_empty() {
            self.status = Status::Info(match id {
                NodeId::Franchise(_) => "select a show, season or episode to mark it".into(),
                _ => "nothing to mark: no episodes yet".into(),
            });
            return;
        }
        let Some(target) = library.target(id) else {
            return;
        };
        let label = library.label(id);
        let episode = |e: NodeId| library.node(e).and_then(NodeRef::episode);
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
        self.commit(Edit::ToggleWatched { target, date }, &message);
    }

    pub(super) fn rewatch(&mut self) {
        let Some(id) = self.selected() else { return };
        let library = self.document.library();
        let label = library.label(id);
        let Some(episode) = library.node(id).and_then(NodeRef::episode) else {
            self.status = Status::Info("select an episode to log a rewatch".into());
            return;
        };
        if !episode.is_watched() {
            let key = keymap::hint(Context::NORMAL, Action::ToggleWatched, "marks it");
            self.status = Status::Info(format!("{label} is not watched yet: {key}"));
            return;
        }
        let n = episode.watched.len() + 1;
        let Some(target) = library.target(id) else {
            return;
        };
        let date = self.today;
        let message = format!("{label}: rewatch logged (watched {n} times)");
        self.commit(Edit::Rewatch { target, date }, &message);
    }

    /// Rates the selected show, season or episode; the same number again clears it.
    pub(super) fn rate(&mut self, stars: u8) {
        let Some(id) = self.selected() else { return };
        let library = self.document.library();
        let before = match library.node(id) {
            Some(NodeRef::Episode(_, _, e)) => e.rating,
            Some(NodeRef::Season(_, s)) => s.rating,
            Some(NodeRef::Show(_, s)) => s.rating,
            _ => {
                self.status = Status::Info("ratings are for shows, seasons and episodes".into());
                return;
            }
        };
        let rating = (stars > 0 && before != Some(stars)).then_some(stars);
        let label = library.label(id);
        let message = match rating {
            Some(n) => format!("{label} rated {}", crate::present::stars(n)),
            None => format!("{label}: rating cleared"),
        };
        let Some(target) = library.target(id) else {
            return;
        };
        self.commit(Edit::SetRating { target, rating }, &message);
    }

    /// Replaces the notes of `id` (from the in-app or the external editor) and saves.
    pub(super) fn set_notes(&mut self, id: NodeId, text: String) {
        // Trailing blank lines are an editor artefact, not something the user wrote.
        let text = text.trim_end().to_string();
        if let Some(reason) = self.document.read_only() {
            // Refused, but what was typed is kept.
            let kept = match self.document.rescue_notes(&text) {
                Some(path) => format!(" · your text is kept in {}", path.display()),
                None => String::new(),
            };
            self.status = Status::Error(format!("notes not changed: {reason}{kept}"));
            return;
        }
        if self.notes(id) == text {
            self.status = Status::Info("notes unchanged".into());
            return;
        }
        let Some(target) = self.library().target(id) else {
            return;
        };
        let message = format!("notes of {} updated", self.label(id));
        self.commit(Edit::SetNotes { target, text }, &message);
    }

    /// Takes back the last change and selects what it touched, where it is now.
    pub(super) fn undo(&mut self) {
        let Some(inverse) = self.undo.pop() else {
            self.status = Status::Info("nothing to undo".into());
            return;
        };
        if let Err(e) = self.document.apply(&inverse) {
            self.status = Status::Error(format!("cannot undo: {e}"));
            return;
        }
        let library = self.document.library();
        // A put may have added or taken away rows: the tree and the search follow.
        if inverse.target().is_none() {
            self.search.reindex(library);
            self.tree.rebuild(library);
        }
        let at = inverse.subject().and_then(|t| library.locate(&t));
        let label = at.map(|id| library.label(id)).unwrap_or_default();
        if let Some(id) = at {
            self.tree.reveal(library, id);
        }
        let message = if label.is_empty() {
            format!("undid {}", inverse.what())
        } else {
            format!("undid {} of {label}", inverse.what())
        };
        self.save(&message);
    }

    pub(super) fn toggle_shield(&mut self) {
        // From what is shown (the config's default when the file does not say); from then on
        // the file says.
        let on = !self.shield().on;
        self.commit(
            Edit::SetSpoilerShield(Some(on)),
            if on {
                "spoiler shield on: titles and notes past your furthest episode are hidden"
            } else {
                "spoiler shield off"
            },
        );
    }

    pub(super) fn switch_order(&mut self) {
        let Some(f) = self.tree.order_view() else {
            let key = keymap::hint(
                Context::NORMAL,
                Action::WatchOrder,
                "opens the watch order first",
            );
            self.status = Status::Info(key);
            return;
        };
        let library = self.document.library();
        let curated = library
            .franchises
            .get(f)
            .is_some_and(|franchise| !franchise.watch_order.is_empty());
        let order = match library.settings.order {
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
        if self.edit(Edit::SetOrder(order)) {
            self.tree.rebuild(self.document.library());
            self.save(&format!("watch order: {order}"));
        }
    }

    /// Tells the user, once per catalog version, that this build ships a newer catalog.
    pub(super) fn notice_newer_catalog(&mut self) {
        let shipped = store::CATALOG_VERSION;
        let library = self.library();
        let notified = library.settings.catalog_notified;
        if library.catalog_version.is_some_and(|v| v >= shipped) || notified == Some(shipped) {
            return;
        }
        self.commit(
            Edit::SetCatalogNotified(Some(shipped)),
            &format!(
                "a newer catalog (version {shipped}) ships with fantrack: `fantrack catalog diff` shows it"
            ),
        );
    }
}
