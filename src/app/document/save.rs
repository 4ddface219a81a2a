//! Saving: changes handed to the saver, and what it reports back taken in.

use std::time::{Duration, Instant};

use super::{Document, Event, QUIT_WAIT};
use crate::app::Status;
use crate::saver::{Outcome, Saver};

impl Document {
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
}
