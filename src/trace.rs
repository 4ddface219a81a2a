//! Timestamps along the start path, for profiling it phase by phase:
//! `FANTRACK_TRACE_START=FILE` appends one line to FILE once the first key is answered (and
//! once more at exit if no key came): each mark's wall time since `main` in µs, and the CPU
//! time of the thread that made it. Unset, a mark is one load of a `OnceLock` and nothing else.

use std::io::Write;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

struct Trace {
    file: std::path::PathBuf,
    start: Instant,
    marks: Mutex<Vec<Mark>>,
}

struct Mark {
    at: Instant,
    cpu_us: u64,
    thread: String,
    what: &'static str,
}

static TRACE: OnceLock<Option<Trace>> = OnceLock::new();

fn trace() -> Option<&'static Trace> {
    TRACE
        .get_or_init(|| {
            let file = std::env::var_os("FANTRACK_TRACE_START").filter(|f| !f.is_empty())?;
            Some(Trace {
                file: file.into(),
                start: Instant::now(),
                marks: Mutex::new(Vec::with_capacity(64)),
            })
        })
        .as_ref()
}

/// Starts the clock (the first call does); called first thing in `main`.
pub fn start() {
    let _ = trace();
}

/// Records that `what` has just finished, on this thread.
pub fn mark(what: &'static str) {
    let Some(trace) = trace() else { return };
    let at = Instant::now();
    let cpu = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    let cpu_us = cpu.tv_sec as u64 * 1_000_000 + cpu.tv_nsec as u64 / 1000;
    let thread = std::thread::current().name().map_or_else(
        || format!("{:?}", std::thread::current().id()),
        str::to_string,
    );
    if let Ok(mut marks) = trace.marks.lock() {
        marks.push(Mark {
            at,
            cpu_us,
            thread,
            what,
        });
    }
}

/// Appends the marks so far to the trace file, as one line, and forgets them.
pub fn write() {
    let Some(trace) = trace() else { return };
    let Ok(mut marks) = trace.marks.lock() else {
        return;
    };
    if marks.is_empty() {
        return;
    }
    let mut line = String::new();
    for m in marks.iter() {
        let wall = m.at.duration_since(trace.start).as_micros();
        line.push_str(&format!("{}={wall}/{}@{} ", m.what, m.cpu_us, m.thread));
    }
    line.push('\n');
    marks.clear();
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&trace.file)
    {
        let _ = f.write_all(line.as_bytes());
    }
}
