//! The document: the library as the app holds it, the file it comes from, and saving it.
//! Every save goes through the saver (`saver`): on its thread in the real app, waited for at
//! once otherwise (tests, first-frame rendering), so there is one save path. A file changed on
//! disk since it was read is never written over: it is reloaded instead.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::Status;
use crate::model::{Edit, EditError, Library, Shield};
use crate::saver::{Outcome, Saver};
use crate::store::{self, Stamp};

/// How long quitting (and a save that is waited for) waits for the change to reach the disk.
pub const QUIT_WAIT: Duration = Duration::from_secs(10);

/// What a save, a poll or a check did that the rest of the app follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Status(Status),
    /// The file changed on disk and the library is now what it holds.
    Reloaded,
}

pub struct Document {
    library: Library,
    path: PathBuf,
    /// Which episodes the spoiler shield hides; recomputed after each change.
    shield: Shield,
    /// What the file was when last read or written, to notice outside edits.
    stamp: Option<Stamp>,
    /// Started at the first save, with the stamp known then.
    saver: Option<Saver>,
    /// Saves run in the background; otherwise each is waited for.
    background: bool,
    /// The message of the newest change handed to the saver, shown when its outcome arrives.
    saving: Option<(u64, String)>,
    /// The last save failed; the change is only in memory.
    unsaved: Option<String>,
    /// Why saving is refused (the file on disk changed and does not load).
    blocked: Option<String>,
    /// A change that a reload after an outside edit did not apply, not yet seen by the user.
    dropped: Option<String>,
}

impl Document {
    pub fn new(library: Library, path: PathBuf) -> Document {
        Document {
            shield: Shield::new(&library),
            library,
            path,
            stamp: None,
            saver: None,
            background: false,
            saving: None,
            unsaved: None,
            blocked: None,
            dropped: None,
        }
    }

    pub fn library(&self) -> &Library {
        &self.library
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn shield(&self) -> &Shield {
        &self.shield
    }

    pub fn unsaved(&self) -> Option<&str> {
        self.unsaved.as_deref()
    }

    pub fn blocked(&self) -> Option<&str> {
        self.blocked.as_deref()
    }

    pub fn dropped(&self) -> Option<&str> {
        self.dropped.as_deref()
    }

    /// True while a change is on its way to disk.
    pub fn saving(&self) -> bool {
        self.saver.as_ref().is_some_and(Saver::busy)
    }

    /// True when the file holds exactly the library in memory, as last read or written.
    pub fn in_step(&self) -> bool {
        self.unsaved.is_none()
            && self.blocked.is_none()
            && self.dropped.is_none()
            && !self.saving()
            && self.stamp.as_ref().is_some_and(|s| !s.changed(&self.path))
    }

    pub fn set_stamp(&mut self, stamp: Stamp) {
        if let Some(saver) = &mut self.saver {
            saver.rebase(Some(stamp.clone()));
        }
        self.stamp = Some(stamp);
    }

    pub fn set_background(&mut self, background: bool) {
        self.background = background;
    }

    /// Refuses every save with `reason` (a file from a newer fantrack).
    pub fn block(&mut self, reason: String) {
        self.blocked = Some(reason);
    }

    /// The user has seen what was not applied.
    pub fn take_dropped(&mut self) -> Option<String> {
        self.dropped.take()
    }

    pub fn set_dropped(&mut self, what: Option<String>) {
        self.dropped = what;
    }

    /// Applies an edit to the library; returns its inverse.
    pub fn apply(&mut self, edit: &Edit) -> Result<Edit, EditError> {
        edit.apply(&mut self.library)
    }

    /// Recomputes what depends on the watch marks.
    pub fn refresh(&mut self) {
        self.shield = Shield::new(&self.library);
    }

    /// Saves after a change. A failure keeps the change in memory, says why, and the next
    /// change tries again.
    pub fn save(&mut self, message: &str) -> Vec<Event> {
        // A new change: the user has seen what an earlier reload did not apply.
        self.dropped = None;
        if let Some(reason) = self.blocked.clone() {
            self.unsaved = Some(reason.clone());
            return vec![Event::Status(Status::Error(format!(
                "{message} · NOT SAVED: {reason}"
            )))];
        }
        let (path, stamp) = (&self.path, &self.stamp);
        let saver = self
            .saver
            .get_or_insert_with(|| Saver::spawn(path.clone(), stamp.clone()));
        let generation = saver.submit(self.library.clone());
        self.saving = Some((generation, message.to_string()));
        let mut events = vec![Event::Status(Status::Info(format!("{message} · saving…")))];
        if !self.background {
            events.extend(self.flush(QUIT_WAIT));
        }
        events
    }

    /// Takes in what the saver finished.
    pub fn poll(&mut self) -> Vec<Event> {
        let outcomes = self.saver.as_mut().map(Saver::poll).unwrap_or_default();
        self.take_outcomes(outcomes)
    }

    /// Waits (up to `limit`) until every change is on disk.
    pub fn flush(&mut self, limit: Duration) -> Vec<Event> {
        let outcomes = self
            .saver
            .as_mut()
            .map(|s| s.flush(limit))
            .unwrap_or_default();
        let events = self.take_outcomes(outcomes);
        if self.saving() {
            self.unsaved = Some(format!(
                "{}: the last save did not finish in {}s",
                self.path.display(),
                limit.as_secs()
            ));
        }
        events
    }

    fn take_outcomes(&mut self, outcomes: Vec<Outcome>) -> Vec<Event> {
        let mut events = Vec::new();
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
                Outcome::Saved { stamp, .. } => {
                    self.stamp = Some(stamp);
                    self.unsaved = None;
                    events.push(Event::Status(Status::Info(format!("{message} · saved"))));
                }
                Outcome::Failed { error, .. } => {
                    self.unsaved =
                        Some(format!("{}: could not save: {error}", self.path.display()));
                    events.push(Event::Status(Status::Error(format!(
                        "{message} · NOT SAVED: {error}"
                    ))));
                }
                Outcome::Conflict { .. } => events.extend(self.reload(Some(&message))),
                // The reload that made it stale already said what was not applied.
                Outcome::Superseded { .. } => {}
            }
        }
        events
    }

    /// Reloads the library if the file changed on disk meanwhile.
    pub fn check_outside_change(&mut self) -> Vec<Event> {
        if self.stamp.as_ref().is_some_and(|s| s.changed(&self.path)) {
            self.reload(None)
        } else {
            Vec::new()
        }
    }

    /// Takes the file on disk as the truth after an outside edit. `lost` names the change
    /// that was not applied because of it. If the new file does not load, keeps the state in
    /// memory and refuses to save over the broken file.
    fn reload(&mut self, lost: Option<&str>) -> Vec<Event> {
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
                self.refresh();
                let lost =
                    lost.or(had_unsaved.then_some("changes made while it could not be saved"));
                self.dropped = lost.map(str::to_string);
                vec![Event::Reloaded]
            }
            Err(e) => {
                let reason = format!(
                    "{name} changed on disk and does not load ({e}); fantrack will not save over it"
                );
                self.blocked = Some(reason.clone());
                if lost.is_some() {
                    self.unsaved = Some(reason.clone());
                }
                vec![Event::Status(Status::Error(reason))]
            }
        }
    }

    /// Writes notes that could not be applied to a file beside the library; returns its path.
    pub fn rescue_notes(&self, text: &str) -> Option<PathBuf> {
        if text.trim().is_empty() {
            return None;
        }
        let mut name = self.path.file_name()?.to_os_string();
        name.push(format!(".notes-{}.txt", jiff::Timestamp::now().as_second()));
        let path = self.path.with_file_name(name);
        store::write_atomic(&path, text.as_bytes(), false).ok()?;
        Some(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Edit, Target};
    use jiff::civil::date;

    fn document() -> (tempfile::TempDir, Document) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("library.ron");
        let stamp = store::save(&path, &store::shipped_catalog()).expect("save");
        let mut document = Document::new(store::shipped_catalog(), path);
        document.set_stamp(stamp);
        (dir, document)
    }

    fn mark(document: &mut Document) {
        let edit = Edit::ToggleWatched {
            target: Target::Episode("ballard".into(), 1, 1),
            date: date(2026, 1, 1),
        };
        document.apply(&edit).expect("applies");
    }

    #[test]
    fn a_save_not_in_the_background_is_on_disk_when_it_returns() {
        let (_dir, mut document) = document();
        mark(&mut document);
        let events = document.save("marked");
        assert_eq!(
            events.last(),
            Some(&Event::Status(Status::Info("marked · saved".into())))
        );
        assert_eq!(
            &store::load(document.path()).expect("loads"),
            document.library()
        );
        assert!(document.in_step());
    }

    #[test]
    fn a_blocked_document_never_writes() {
        let (_dir, mut document) = document();
        let before = std::fs::read(document.path()).expect("read");
        document.block("read-only".into());
        mark(&mut document);
        let events = document.save("marked");
        assert!(
            matches!(&events[..], [Event::Status(Status::Error(m))] if m.contains("NOT SAVED"))
        );
        assert_eq!(document.unsaved(), Some("read-only"));
        assert_eq!(std::fs::read(document.path()).expect("read"), before);
    }

    #[test]
    fn an_outside_edit_is_reloaded_not_written_over() {
        let (_dir, mut document) = document();
        let mut outside = store::shipped_catalog();
        outside.settings.spoiler_shield = true;
        store::save(document.path(), &outside).expect("outside save");
        mark(&mut document);
        let events = document.save("marked");
        assert!(events.contains(&Event::Reloaded), "{events:?}");
        assert_eq!(document.library(), &outside);
        assert_eq!(document.dropped(), Some("marked"));
    }
}
