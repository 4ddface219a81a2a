//! Looking at the file on disk: an outside edit reloaded and rebased on, a broken file refused.

use std::sync::mpsc::{RecvTimeoutError, TryRecvError};
use std::time::Instant;

use super::{Document, Event, Looking};
use crate::app::Status;
use crate::model::Library;
use crate::store::{self, Stamp};

/// How many rebases in a row a save may take before it gives up for now (the file keeps
/// changing under it); the next idle check tries again.
const REBASES: u32 = 20;

/// Files at least this big are looked at (read, hashed, parsed) off the input thread when
/// they changed on disk, so keys keep being answered meanwhile: about 10 ms of parse.
const BIG_FILE: u64 = 1_000_000;

impl Document {
    /// A save found the file changed on disk: reload, make this run's changes again, save.
    pub(super) fn conflict(&mut self, message: &str) -> Vec<Event> {
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
    pub(super) fn wait_look(&mut self, deadline: Instant) -> Option<Vec<Event>> {
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
}
