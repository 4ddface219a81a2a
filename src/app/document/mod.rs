//! The document: the library as the app holds it, the file it comes from, and saving it.
//! Every save goes through the saver (`saver`): on its thread in the real app, waited for at
//! once otherwise (tests, first-frame rendering), so there is one save path. A file changed on
//! disk since it was read is never written over: it is reloaded and this run's changes not yet
//! on disk are made again on top (`Pending::replay`), then saved: a rebase, never a refusal.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::Duration;

use super::Status;
use crate::model::{Edit, EditError, Library, Pending, Shield};
use crate::saver::Saver;
use crate::store::{self, Disk, Stamp, Watch};

mod reload;
mod save;

/// How long quitting (and a save that is waited for) waits for the change to reach the disk.
pub const QUIT_WAIT: Duration = Duration::from_secs(10);

/// A look at a big file running on a thread of its own, and the save it was made for.
struct Looking {
    found: Receiver<store::Found>,
    message: Option<String>,
}

/// What a save, a poll or a check did that the rest of the app follows.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Status(Status),
    /// The file changed on disk: the library is now what it holds with this run's unsaved
    /// changes made again on top. `before` is the library it replaced (to find again what
    /// pointed into it); `report` what the user must be told about the changes made again.
    Reloaded {
        before: Box<Library>,
        report: Vec<String>,
    },
}

pub struct Document {
    library: Library,
    path: PathBuf,
    /// Which episodes the spoiler shield hides; recomputed after each change.
    shield: Shield,
    /// Whether the shield is on when the file does not say (the config's `spoiler_shield`).
    shield_default: bool,
    /// What the file is: the bytes we hold, a broken or missing file, the retry backoff.
    watch: Watch,
    /// Started at the first save, with the stamp known then.
    saver: Option<Saver>,
    /// Saves run in the background; otherwise each is waited for.
    background: bool,
    /// The message of the newest change handed to the saver, shown when its outcome arrives.
    saving: Option<(u64, String)>,
    /// The last save failed; the change is only in memory.
    unsaved: Option<String>,
    /// Why saving waits (the file on disk does not load, or cannot be read).
    blocked: Option<String>,
    /// Why nothing may be changed (a file from a newer fantrack).
    read_only: Option<String>,
    /// This run's changes not yet on disk, to make again after a reload.
    pending: Pending,
    /// Rebases since the last save that landed.
    rebases: u32,
    /// A save met a change on disk that could not be looked at yet: try again when idle.
    retry: bool,
    /// The newest generation handed to the saver before the last rebase.
    rebased_upto: u64,
    /// A look at a big changed file, off the input thread (background saving only).
    looking: Option<Looking>,
    /// Counts every change of `library`: what is summed from it is counted again when it moves.
    revision: u64,
}

impl Document {
    pub fn new(library: Library, path: PathBuf) -> Document {
        Document {
            shield: Shield::new(&library, false),
            shield_default: false,
            library,
            path,
            watch: Watch::new(None),
            saver: None,
            background: false,
            saving: None,
            unsaved: None,
            blocked: None,
            read_only: None,
            pending: Pending::default(),
            rebases: 0,
            retry: false,
            rebased_upto: 0,
            looking: None,
            revision: 0,
        }
    }

    pub fn library(&self) -> &Library {
        &self.library
    }

    /// Moves at every change of the library (an edit, a reload).
    pub fn revision(&self) -> u64 {
        self.revision
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

    /// Why saving is refused or waits.
    pub fn blocked(&self) -> Option<&str> {
        self.read_only.as_deref().or(self.blocked.as_deref())
    }

    /// Why no change is accepted (a file from a newer fantrack).
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// True while a change is on its way to disk.
    pub fn saving(&self) -> bool {
        self.saver.as_ref().is_some_and(Saver::busy)
    }

    /// True while a big changed file is being read and parsed off the input thread.
    pub fn looking(&self) -> bool {
        self.looking.is_some()
    }

    /// True when the file holds exactly the library in memory, as last read or written.
    pub fn in_step(&self) -> bool {
        self.unsaved.is_none()
            && self.blocked.is_none()
            && self.pending.is_empty()
            && !self.saving()
            && self.looking.is_none()
            && self
                .watch
                .stamp()
                .is_some_and(|s| matches!(s.compare(&self.path), Disk::Same | Disk::SameBytes(_)))
    }

    /// The xxh3 of the file as last read or written, when known.
    pub fn stamp_hash(&self) -> Option<u64> {
        self.watch.stamp().map(Stamp::hash)
    }

    pub fn set_stamp(&mut self, stamp: Stamp) {
        if let Some(saver) = &mut self.saver {
            saver.rebase(Some(stamp.clone()));
        }
        self.watch.ours(stamp);
    }

    pub fn set_background(&mut self, background: bool) {
        self.background = background;
    }

    /// Refuses every change with `reason` (a file from a newer fantrack).
    pub fn block(&mut self, reason: String) {
        self.read_only = Some(reason);
    }

    /// Applies an edit to the library (and keeps it for a rebase); returns its inverse.
    pub fn apply(&mut self, edit: &Edit) -> Result<Edit, EditError> {
        // Even a failed edit may have changed part of the library before it stopped.
        self.revision += 1;
        let inverse = edit.apply(&mut self.library)?;
        self.pending.record(&inverse, &self.library);
        Ok(inverse)
    }

    /// Recomputes what depends on the watch marks.
    pub fn refresh(&mut self) {
        self.shield = Shield::new(&self.library, self.shield_default);
    }

    /// Set up before the first update: the shield's state when the file does not say.
    pub fn set_shield_default(&mut self, on: bool) {
        self.shield_default = on;
        self.refresh();
    }

    pub fn shield_default(&self) -> bool {
        self.shield_default
    }

    /// Writes notes that could not be saved to a file beside the library; returns its path.
    pub fn rescue_notes(&self, text: &str) -> Option<PathBuf> {
        rescue_notes(&self.path, text)
    }

    /// Sets why the run ends with a change not on disk.
    pub fn set_unsaved(&mut self, reason: String) {
        self.unsaved = Some(reason);
    }
}

/// The rescue files beside the library (see [`rescue_notes`]), oldest first.
pub fn rescued_notes(library: &Path) -> Vec<PathBuf> {
    let (Some(dir), Some(name)) = (library.parent(), library.file_name()) else {
        return Vec::new();
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!("{}.rescued-notes-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n.starts_with(&prefix) && n.ends_with(".txt")
        })
        .map(|e| e.path())
        .collect();
    // The names hold the date and the second they were written.
    found.sort();
    found
}

/// Writes `text` to `library.ron.rescued-notes-<date>-<time>.txt` beside the library.
pub fn rescue_notes(library: &Path, text: &str) -> Option<PathBuf> {
    if text.trim().is_empty() {
        return None;
    }
    let mut name = library.file_name()?.to_os_string();
    let (date, second) = (crate::model::today(), jiff::Timestamp::now().as_second());
    name.push(format!(".rescued-notes-{date}-{second}.txt"));
    let path = library.with_file_name(name);
    store::write_atomic(&path, text.as_bytes(), false).ok()?;
    Some(path)
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
    fn an_outside_edit_is_rebased_on_not_written_over() {
        let (_dir, mut document) = document();
        let mut outside = store::shipped_catalog();
        outside.settings.spoiler_shield = Some(true);
        outside.franchises[0].notes = "theirs".into();
        std::thread::sleep(Duration::from_millis(20));
        store::save(document.path(), &outside).expect("outside save");
        mark(&mut document);
        let events = document.save("marked");
        assert!(
            events.iter().any(|e| matches!(e, Event::Reloaded { .. })),
            "{events:?}"
        );
        assert!(
            matches!(events.last(), Some(Event::Status(Status::Info(m))) if m == "marked · saved"),
            "{events:?}"
        );
        // Both sides are in the file: the outside edit and our mark.
        let disk = store::load(document.path()).expect("loads");
        assert_eq!(disk.settings.spoiler_shield, Some(true));
        assert_eq!(disk.franchises[0].notes, "theirs");
        let (f, i) = disk.find_show("ballard").expect("ballard");
        let episode = disk.franchises[f].shows[i]
            .season(1)
            .and_then(|s| s.episode(1))
            .expect("episode");
        assert_eq!(episode.watched, vec![date(2026, 1, 1)]);
        assert!(document.in_step());
    }

    #[test]
    fn notes_changed_in_both_places_keep_both() {
        let (_dir, mut document) = document();
        let target = Target::Franchise("bosch-universe".into());
        let mut outside = store::shipped_catalog();
        outside.franchises[0].notes = "theirs".into();
        std::thread::sleep(Duration::from_millis(20));
        store::save(document.path(), &outside).expect("outside save");
        document
            .apply(&Edit::SetNotes {
                target,
                text: "ours".into(),
            })
            .expect("applies");
        let events = document.save("notes");
        let disk = store::load(document.path()).expect("loads");
        let notes = &disk.franchises[0].notes;
        assert!(notes.starts_with("theirs"), "{notes}");
        assert!(
            notes.ends_with("ours") && notes.contains(crate::model::NOTES_MARK),
            "{notes}"
        );
        assert!(
            matches!(events.last(), Some(Event::Status(Status::Info(m))) if m.contains("both kept")),
            "{events:?}"
        );
    }

    #[test]
    fn a_deleted_file_is_written_back_at_the_next_look() {
        let (_dir, mut document) = document();
        mark(&mut document);
        document.save("marked");
        std::fs::remove_file(document.path()).expect("rm");
        let events = document.check_outside_change();
        assert!(
            matches!(events.last(), Some(Event::Status(Status::Info(m))) if m.contains("recreated")),
            "{events:?}"
        );
        let disk = store::load(document.path()).expect("written back");
        assert_eq!(&disk, document.library());
    }
}
