//! Work that must not block the input thread (TVmaze calls, reading and matching a big
//! export) runs on a worker thread. The worker sends [`Report`]s over a channel; the run loop
//! takes them (`App::take_reports`) and hands each to `update` as `Msg::Job`, so the app still
//! changes in one place. One job at a time; a job the user walked away from (Esc) runs out
//! and its reports are dropped by its number.

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};

use crate::import::{ImportPlan, Parsed};
use crate::tvmaze::json::{Fetched, SearchHit};
use crate::tvmaze::refresh::Fetch;

/// What a worker says.
#[derive(Debug)]
pub enum Outcome {
    /// Step `done` of `total` is under way (`what` names it: a show, a file).
    Progress {
        done: usize,
        total: usize,
        what: String,
    },
    /// The TVmaze search's candidates, best first.
    Found(Result<Vec<SearchHit>, String>),
    /// The chosen show with its episodes.
    Fetched(Result<Box<Fetched>, String>),
    /// A refresh: the shows fetched, one line per show that failed.
    Refreshed(Fetch),
    /// An import read and matched against the library it was given (a dry run).
    Planned(Result<Box<(Parsed, ImportPlan)>, String>),
    /// The import's ZIP is password-protected: no password was given (`wrong` false), or the
    /// one given is not its.
    Locked { wrong: bool },
}

/// One message of job `job`. Compared by identity (the payload is large and only the app
/// takes it apart), so `Msg` stays comparable.
#[derive(Debug, Clone)]
pub struct Report {
    pub job: u64,
    pub outcome: Arc<Outcome>,
}

impl Report {
    pub fn new(job: u64, outcome: Outcome) -> Report {
        Report {
            job,
            outcome: Arc::new(outcome),
        }
    }
}

impl PartialEq for Report {
    fn eq(&self, other: &Report) -> bool {
        self.job == other.job && Arc::ptr_eq(&self.outcome, &other.outcome)
    }
}

impl Eq for Report {}

/// Where a worker sends its reports.
#[derive(Clone)]
pub struct Reporter {
    job: u64,
    tx: Sender<Report>,
}

impl Reporter {
    /// False when the app is gone (quitting): the worker can stop.
    pub fn send(&self, outcome: Outcome) -> bool {
        self.tx.send(Report::new(self.job, outcome)).is_ok()
    }

    pub fn progress(&self, done: usize, total: usize, what: &str) -> bool {
        self.send(Outcome::Progress {
            done,
            total,
            what: what.to_string(),
        })
    }
}

/// The running job, if any.
pub struct Jobs {
    tx: Sender<Report>,
    rx: Receiver<Report>,
    /// The number of the newest job started; reports of older ones are stale.
    current: u64,
    /// The current job has not sent its last report yet.
    running: bool,
}

impl Default for Jobs {
    fn default() -> Self {
        let (tx, rx) = mpsc::channel();
        Jobs {
            tx,
            rx,
            current: 0,
            running: false,
        }
    }
}

impl Jobs {
    /// Starts `work` on a worker thread; returns its number. Its last report (anything but
    /// `Progress`) ends it.
    pub fn start(&mut self, work: impl FnOnce(Reporter) + Send + 'static) -> u64 {
        self.current += 1;
        self.running = true;
        let reporter = Reporter {
            job: self.current,
            tx: self.tx.clone(),
        };
        std::thread::spawn(move || work(reporter));
        self.current
    }

    /// A number for a job whose result arrives some other way (tests hand reports in).
    pub fn current(&self) -> u64 {
        self.current
    }

    /// True while the current job runs: the run loop then looks for reports often.
    pub fn running(&self) -> bool {
        self.running
    }

    /// The current job is no longer waited for (the user pressed Esc).
    pub fn abandon(&mut self) {
        self.current += 1;
        self.running = false;
    }

    /// The reports that arrived, the stale ones dropped.
    pub fn take(&mut self) -> Vec<Report> {
        let mut out = Vec::new();
        while let Ok(report) = self.rx.try_recv() {
            if report.job != self.current {
                continue;
            }
            if !matches!(*report.outcome, Outcome::Progress { .. }) {
                self.running = false;
            }
            out.push(report);
        }
        out
    }

    /// A report handed to `update`: a last one ends the job (also when it came in some
    /// other way than [`Jobs::take`], as in tests).
    pub fn heard(&mut self, report: &Report) {
        if report.job == self.current && !matches!(*report.outcome, Outcome::Progress { .. }) {
            self.running = false;
        }
    }

    /// Whether `report` belongs to the job being waited for.
    pub fn is_current(&self, report: &Report) -> bool {
        report.job == self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait(jobs: &mut Jobs) -> Vec<Report> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let mut all = Vec::new();
        while jobs.running() && std::time::Instant::now() < deadline {
            all.extend(jobs.take());
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        all
    }

    #[test]
    fn a_job_reports_progress_then_its_result_and_ends() {
        let mut jobs = Jobs::default();
        jobs.start(|r| {
            r.progress(1, 2, "one");
            r.send(Outcome::Found(Ok(Vec::new())));
        });
        assert!(jobs.running());
        let reports = wait(&mut jobs);
        assert!(!jobs.running());
        assert_eq!(reports.len(), 2);
        assert!(matches!(
            *reports[0].outcome,
            Outcome::Progress { done: 1, .. }
        ));
        assert!(matches!(*reports[1].outcome, Outcome::Found(Ok(_))));
    }

    #[test]
    fn an_abandoned_job_is_not_heard() {
        let mut jobs = Jobs::default();
        let (go_tx, go_rx) = mpsc::channel::<()>();
        jobs.start(move |r| {
            let _ = go_rx.recv();
            r.send(Outcome::Found(Ok(Vec::new())));
        });
        jobs.abandon();
        let _ = go_tx.send(());
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(jobs.take().is_empty());
        assert!(!jobs.running());
    }
}
