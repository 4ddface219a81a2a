//! The document: the library as the app holds it, the file it comes from, and saving it.
//! Every save goes through the saver (`saver`): on its thread in the real app, waited for at
//! once otherwise (tests, first-frame rendering), so there is one save path. A file changed on
//! disk since it was read is never written over: it is reloaded and this run's changes not yet
//! on disk are made again on top (`Pending::replay`), then saved: a rebase, never a refusal.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError};
use std::time::{Duration, Instant};

use super::Status;
use crate::model::{Edit, EditError, Library, Pending, Shield};
use crate::saver::{Outcome, Saver};
use crate::store::{self, Disk, Stamp, Watch};

/// How long quitting (and a save that is waited for) waits for the change to reach the disk.
pub const QUIT_WAIT: Duration = Duration::from_secs(10);

/// How many rebases in a row a save may take before it gives up for now (the file keeps
/// changing under it); the next idle check tries again.
const REBASES: u32 = 20;

/// Files at least this big are looked at (read, hashed, parsed) off the input thread when
/// they changed on disk, so keys keep being answered meanwhile: about 10 ms of parse.
const BIG_FILE: u64 = 1_000_000;

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

    /// Saves after a change. A failure keeps the change in memory, says why, and the next
    /// change tries again.
    pub fn save(&mut self, message: &str) -> Vec<Event> {
        if let Some(reason) = self.read_only.clone().or(self.blocked.clone()) {
            self.unsaved = Some(reason.clone());
            return vec![Event::Status(Status::Error(format!(
                "{message} · NOT SAVED: {reason}"
            )))];
        }
        self.retry = false;
        let (path, stamp) = (&self.path, self.watch.stamp());
        let saver = self
            .saver
            .get_or_insert_with(|| Saver::spawn(path.clone(), stamp.cloned()));
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

    /// Waits (up to `limit`) until every change is on disk, rebases included.
    pub fn flush(&mut self, limit: Duration) -> Vec<Event> {
        let deadline = Instant::now() + limit;
        let mut events = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let outcomes = self
                .saver
                .as_mut()
                .map(|s| s.flush(left))
                .unwrap_or_default();
            let done = outcomes.is_empty();
            events.extend(self.take_outcomes(outcomes));
            // A save that met a big outside edit waits for its look (then saves again).
            let looked = match self.wait_look(deadline) {
                Some(more) => {
                    events.extend(more);
                    true
                }
                None => false,
            };
            if Instant::now() >= deadline || (!looked && (!self.saving() || done)) {
                break;
            }
        }
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
                Outcome::Saved { stamp, .. } if !newest => self.watch.ours(stamp),
                Outcome::Saved {
                    stamp, recreated, ..
                } => {
                    self.watch.ours(stamp);
                    self.unsaved = None;
                    self.pending.clear();
                    self.rebases = 0;
                    let status = if recreated {
                        format!("{message} · recreated {}", self.path.display())
                    } else {
                        format!("{message} · saved")
                    };
                    events.push(Event::Status(Status::Info(status)));
                }
                Outcome::Failed { error, .. } => {
                    self.unsaved =
                        Some(format!("{}: could not save: {error}", self.path.display()));
                    events.push(Event::Status(Status::Error(format!(
                        "{message} · NOT SAVED: {error}"
                    ))));
                }
                // Made before the last rebase: that rebase resubmitted what it held.
                Outcome::Conflict { .. } if generation <= self.rebased_upto => {}
                Outcome::Conflict { .. } => {
                    // Newer snapshots would meet the same change: rebase now, for them all.
                    let newest = self.saving.as_ref().map(|(_, m)| m.clone());
                    events.extend(self.conflict(&newest.unwrap_or(message)));
                }
                // The reload that made it stale resubmitted what it held.
                Outcome::Superseded { .. } => {}
            }
        }
        events
    }

    /// A save found the file changed on disk: reload, make this run's changes again, save.
    fn conflict(&mut self, message: &str) -> Vec<Event> {
        self.rebases += 1;
        let reason = format!(
            "{} keeps changing on disk; trying again",
            self.path.display()
        );
        if self.rebases > REBASES {
            self.unsaved = Some(reason.clone());
            self.retry = true;
            return vec![Event::Status(Status::Error(format!(
                "{message} · NOT SAVED yet: {reason}"
            )))];
        }
        match self.look(Some(message)) {
            Some(events) => events,
            None => {
                // Not looked at yet (a broken file's backoff): the idle check tries again.
                self.unsaved = Some(reason);
                self.retry = true;
                Vec::new()
            }
        }
    }

    /// Looks at the file when idle: reloads (rebasing) an outside edit, notices a broken,
    /// missing or restored file.
    pub fn check_outside_change(&mut self) -> Vec<Event> {
        if self.looking.is_some() {
            // Nothing else until the look in progress is taken in (a retry would only meet
            // the same change again).
            return self.take_look().unwrap_or_default();
        }
        if self.retry && self.blocked.is_none() {
            self.retry = false;
            if let Some(saver) = &mut self.saver {
                saver.rebase(self.watch.stamp().cloned());
            }
            return self.save("changes kept in memory");
        }
        self.look(None).unwrap_or_default()
    }

    /// One look at the file through the watch. `message`: a save met a change on disk and
    /// must be made again. None when there was nothing to do.
    fn look(&mut self, message: Option<&str>) -> Option<Vec<Event>> {
        if let Some(looking) = &mut self.looking {
            // One look at a time: this save waits for the one running.
            if let Some(m) = message {
                looking.message = Some(m.to_string());
            }
            return None;
        }
        let now = Instant::now();
        if self.background
            && !self.watch.unmoved(&self.path)
            && std::fs::metadata(&self.path).is_ok_and(|m| m.len() >= BIG_FILE)
        {
            // A big file that moved: read, hash and parse it on a thread of its own.
            let (request, path) = (self.watch.request(now), self.path.clone());
            let (send, found) = std::sync::mpsc::channel();
            let spawned = std::thread::Builder::new()
                .name("fantrack-reload".into())
                .spawn(move || {
                    let _ = send.send(request.run(&path));
                });
            if spawned.is_ok() {
                self.looking = Some(Looking {
                    found,
                    message: message.map(str::to_string),
                });
                return None;
            }
        }
        let event = self.watch.poll(&self.path, now);
        self.on_look(event, message)
    }

    /// Takes in the look running off the input thread, if it is done.
    fn take_look(&mut self) -> Option<Vec<Event>> {
        let found = match self.looking.as_ref()?.found.try_recv() {
            Ok(found) => found,
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Disconnected) => {
                self.looking = None;
                return None;
            }
        };
        self.took_look(found)
    }

    /// Waits (until `deadline`) for the look running off the input thread, and takes it in.
    fn wait_look(&mut self, deadline: Instant) -> Option<Vec<Event>> {
        let left = deadline.saturating_duration_since(Instant::now());
        let found = match self.looking.as_ref()?.found.recv_timeout(left) {
            Ok(found) => found,
            Err(RecvTimeoutError::Timeout) => return None,
            Err(RecvTimeoutError::Disconnected) => {
                self.looking = None;
                return None;
            }
        };
        self.took_look(found)
    }

    fn took_look(&mut self, found: store::Found) -> Option<Vec<Event>> {
        let message = self.looking.take().and_then(|l| l.message);
        let event = self.watch.apply(found, Instant::now());
        let events = self.on_look(event, message.as_deref());
        Some(events.unwrap_or_default())
    }

    /// What a look at the file found, acted on. `message`: the save it was made for.
    fn on_look(&mut self, event: store::Event, message: Option<&str>) -> Option<Vec<Event>> {
        let name = self.path.display().to_string();
        match event {
            store::Event::Nothing if message.is_some() => None,
            store::Event::Nothing => Some(Vec::new()),
            store::Event::Resume => {
                self.blocked = None;
                if let Some(saver) = &mut self.saver {
                    saver.rebase(self.watch.stamp().cloned());
                }
                let mut events = vec![Event::Status(Status::Info(format!(
                    "{name} loads again: saving resumed"
                )))];
                if message.is_some() || self.unsaved.is_some() || !self.pending.is_empty() {
                    events.extend(self.save(message.unwrap_or("changes kept in memory")));
                }
                Some(events)
            }
            store::Event::Reload(library, stamp) => Some(self.rebase(*library, stamp, message)),
            store::Event::Broken(e) => {
                let reason = format!(
                    "{name} changed on disk and does not load ({e}); fantrack will not save over it"
                );
                Some(self.refuse(reason, message))
            }
            store::Event::Unreadable => {
                let reason =
                    format!("{name} cannot be read as a library; fantrack will not save over it");
                Some(self.refuse(reason, message))
            }
            store::Event::Missing => {
                // Nothing to protect: write back at once what was shown as saved.
                self.blocked = None;
                Some(self.save(message.unwrap_or("the deleted file")))
            }
        }
    }

    fn refuse(&mut self, reason: String, message: Option<&str>) -> Vec<Event> {
        self.blocked = Some(reason.clone());
        if message.is_some() || !self.pending.is_empty() {
            self.unsaved = Some(reason.clone());
        }
        vec![Event::Status(Status::Error(match message {
            Some(m) => format!("{m} · NOT SAVED: {reason}"),
            None => reason,
        }))]
    }

    /// Takes the file on disk as the base and makes this run's unsaved changes again on top;
    /// saves when there are any.
    fn rebase(&mut self, library: Library, stamp: Stamp, message: Option<&str>) -> Vec<Event> {
        self.rebased_upto = self.saving.as_ref().map_or(0, |(g, _)| *g);
        self.revision += 1;
        let before = Box::new(std::mem::replace(&mut self.library, library));
        let report = self.pending.replay(&mut self.library);
        if let Some(saver) = &mut self.saver {
            saver.rebase(Some(stamp));
        }
        self.blocked = None;
        self.refresh();
        let mut events = vec![Event::Reloaded {
            before,
            report: report.clone(),
        }];
        if !self.pending.is_empty() || message.is_some() || self.unsaved.is_some() {
            if self.pending.is_empty() {
                // Everything was in the file already.
                self.unsaved = None;
                self.saving = None;
                let m = message.unwrap_or("changes");
                events.push(Event::Status(Status::Info(format!("{m} · saved"))));
                return events;
            }
            let mut m = message.unwrap_or("changes kept in memory").to_string();
            for r in &report {
                m.push_str(" · ");
                m.push_str(r);
            }
            events.extend(self.save(&m));
        }
        events
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
