//! Saving off the input thread. The app hands the saver a snapshot of the library (a cheap
//! clone: shows are shared, see `model::Shared`); a worker thread writes it with the store's
//! atomic save under the advisory lock. While a save runs, newer snapshots replace older ones
//! (a burst of keys costs one or two saves), and results come back to the app between frames.
//!
//! The worker keeps the stamp of what it last wrote and never writes over a file that changed
//! on disk since: the store checks it before writing, again just before the rename, and in
//! the rename itself (`store::save_checked`), and the worker reports a conflict with the file
//! as it is now; the app reloads (and re-applies what is unsaved). A deleted file is not a
//! conflict: the save recreates it and says so.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::model::Library;
use crate::store::{self, Saved, Stamp};

/// How long a save waits for another fantrack's read-modify-write.
const LOCK_WAIT: Duration = Duration::from_secs(2);

enum Request {
    Save {
        library: Library,
        generation: u64,
    },
    /// The app reloaded the file: this is what it looks like now.
    Rebase(Option<Stamp>),
    Stop,
}

/// What happened to the save of one generation (and every older one it replaced).
#[derive(Debug)]
pub enum Outcome {
    Saved {
        generation: u64,
        stamp: Stamp,
        /// There was no file (it was deleted): this save made it again from memory.
        recreated: bool,
    },
    Failed {
        generation: u64,
        error: String,
    },
    /// The file changed on disk since we last read or wrote it (found before writing, or
    /// just before the rename); nothing was written. `on_disk` is the file as it is now
    /// (None: unreadable).
    Conflict {
        generation: u64,
        on_disk: Option<Stamp>,
    },
    /// Dropped unwritten: the app reloaded the file after this snapshot was made.
    Superseded {
        generation: u64,
    },
}

impl Outcome {
    pub fn generation(&self) -> u64 {
        match self {
            Outcome::Saved { generation, .. }
            | Outcome::Failed { generation, .. }
            | Outcome::Conflict { generation, .. }
            | Outcome::Superseded { generation } => *generation,
        }
    }
}

pub struct Saver {
    requests: Sender<Request>,
    outcomes: Receiver<Outcome>,
    worker: Option<JoinHandle<()>>,
    /// The newest generation handed over.
    sent: u64,
    /// The newest generation with an outcome.
    done: u64,
    /// Outcomes made here, when the worker could not be reached.
    local: Vec<Outcome>,
}

impl Saver {
    /// Starts the worker for `path`, whose current contents are `stamp`.
    pub fn spawn(path: PathBuf, stamp: Option<Stamp>) -> Saver {
        let (requests, inbox) = mpsc::channel();
        let (outbox, outcomes) = mpsc::channel();
        let worker = std::thread::Builder::new()
            .name("fantrack-saver".into())
            .spawn(move || work(&path, stamp, &inbox, &outbox))
            .ok();
        Saver {
            requests,
            outcomes,
            worker,
            sent: 0,
            done: 0,
            local: Vec::new(),
        }
    }

    /// Hands a snapshot over; returns its generation. Never blocks.
    pub fn submit(&mut self, library: Library) -> u64 {
        self.sent += 1;
        let generation = self.sent;
        let request = Request::Save {
            library,
            generation,
        };
        if self.worker.is_none() || self.requests.send(request).is_err() {
            // No worker: report the failure like any other, so the app keeps the change.
            self.local.push(Outcome::Failed {
                generation,
                error: "the saving thread is not running".into(),
            });
        }
        generation
    }

    pub fn rebase(&mut self, stamp: Option<Stamp>) {
        let _ = self.requests.send(Request::Rebase(stamp));
    }

    /// True while a handed-over snapshot is not yet on disk (or failed).
    pub fn busy(&self) -> bool {
        self.done < self.sent
    }

    /// Outcomes that arrived since the last call, oldest first.
    pub fn poll(&mut self) -> Vec<Outcome> {
        let mut outcomes: Vec<Outcome> = std::mem::take(&mut self.local);
        outcomes.extend(self.outcomes.try_iter());
        if let Some(last) = outcomes.last() {
            self.done = self.done.max(last.generation());
        }
        outcomes
    }

    /// Waits up to `limit` for every handed-over snapshot to be written; returns the outcomes.
    pub fn flush(&mut self, limit: Duration) -> Vec<Outcome> {
        let start = Instant::now();
        let mut all = self.poll();
        while self.busy() {
            let left = limit.saturating_sub(start.elapsed());
            match self.outcomes.recv_timeout(left) {
                Ok(outcome) => {
                    self.done = self.done.max(outcome.generation());
                    all.push(outcome);
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
        }
        all
    }
}

impl Drop for Saver {
    fn drop(&mut self) {
        let _ = self.requests.send(Request::Stop);
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

fn work(
    path: &Path,
    mut stamp: Option<Stamp>,
    inbox: &Receiver<Request>,
    outbox: &Sender<Outcome>,
) {
    while let Ok(first) = inbox.recv() {
        // Coalesce: of all the snapshots waiting, only the newest needs writing.
        let mut latest = None;
        let mut stop = false;
        for request in std::iter::once(first).chain(inbox.try_iter()) {
            match request {
                Request::Save {
                    library,
                    generation,
                } => latest = Some((library, generation)),
                Request::Rebase(s) => {
                    stamp = s;
                    // A snapshot from before the app reloaded holds the state the reload
                    // replaced: writing it would put old changes over the outside edit.
                    if let Some((_, generation)) = latest.take()
                        && outbox.send(Outcome::Superseded { generation }).is_err()
                    {
                        return;
                    }
                }
                Request::Stop => stop = true,
            }
        }
        if let Some((library, generation)) = latest {
            let outcome = save(path, &library, generation, &mut stamp);
            if outbox.send(outcome).is_err() {
                return;
            }
        }
        if stop {
            return;
        }
    }
}

fn save(path: &Path, library: &Library, generation: u64, stamp: &mut Option<Stamp>) -> Outcome {
    let _lock = match store::lock(path, LOCK_WAIT) {
        Ok(lock) => lock,
        Err(e) => {
            return Outcome::Failed {
                generation,
                error: e.to_string(),
            };
        }
    };
    match store::save_checked(path, library, stamp.as_ref()) {
        Ok(Saved::Written(new)) => saved(generation, stamp, new, false),
        Ok(Saved::Recreated(new)) => saved(generation, stamp, new, true),
        Ok(Saved::ChangedOnDisk(on_disk)) => Outcome::Conflict {
            generation,
            on_disk,
        },
        Err(e) => Outcome::Failed {
            generation,
            error: e.source.to_string(),
        },
    }
}

fn saved(generation: u64, stamp: &mut Option<Stamp>, new: Stamp, recreated: bool) -> Outcome {
    *stamp = Some(new.clone());
    Outcome::Saved {
        generation,
        stamp: new,
        recreated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{load, load_stamped, save, shipped_catalog};

    fn setup() -> (tempfile::TempDir, PathBuf, Saver) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("library.ron");
        let stamp = save(&path, &shipped_catalog()).expect("save");
        let saver = Saver::spawn(path.clone(), Some(stamp));
        (dir, path, saver)
    }

    #[test]
    fn a_burst_of_snapshots_ends_with_the_newest_on_disk() {
        let (_dir, path, mut saver) = setup();
        let mut library = shipped_catalog();
        for i in 0..50 {
            library.franchises[0].notes = format!("change {i}");
            saver.submit(library.clone());
        }
        assert!(saver.busy() || !saver.poll().is_empty());
        let outcomes = saver.flush(Duration::from_secs(30));
        assert!(!saver.busy());
        assert!(
            outcomes.len() < 50,
            "bursts coalesce: {} saves for 50 changes",
            outcomes.len()
        );
        assert!(matches!(
            outcomes.last(),
            Some(Outcome::Saved { generation: 50, .. })
        ));
        assert_eq!(load(&path).expect("loads").franchises[0].notes, "change 49");
    }

    #[test]
    fn a_file_changed_on_disk_is_not_written_over() {
        let (_dir, path, mut saver) = setup();
        let mut theirs = shipped_catalog();
        theirs.franchises[0].notes = "edited by hand, elsewhere".into();
        std::thread::sleep(Duration::from_millis(20));
        save(&path, &theirs).expect("outside edit");
        let before = std::fs::read(&path).expect("read");

        let mut mine = shipped_catalog();
        mine.franchises[0].notes = "mine".into();
        saver.submit(mine.clone());
        let outcomes = saver.flush(Duration::from_secs(10));
        assert!(
            matches!(outcomes[..], [Outcome::Conflict { generation: 1, .. }]),
            "{outcomes:?}"
        );
        assert_eq!(std::fs::read(&path).expect("read"), before);

        // Once the app has reloaded, saving works again.
        let (_, stamp) = load_stamped(&path).expect("reload");
        saver.rebase(Some(stamp));
        saver.submit(mine);
        let outcomes = saver.flush(Duration::from_secs(10));
        assert!(
            matches!(outcomes[..], [Outcome::Saved { generation: 2, .. }]),
            "{outcomes:?}"
        );
        assert_eq!(load(&path).expect("loads").franchises[0].notes, "mine");
    }

    #[test]
    fn a_failed_save_is_reported_and_the_file_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("missing").join("library.ron");
        let mut saver = Saver::spawn(path.clone(), None);
        saver.submit(shipped_catalog());
        let outcomes = saver.flush(Duration::from_secs(10));
        assert!(
            matches!(outcomes[..], [Outcome::Failed { generation: 1, .. }]),
            "{outcomes:?}"
        );
        assert!(!path.exists());
    }
}
