//! The physical floor of a start: what each piece of opening a library costs on its own.
//!
//! Reads a RON library (the argument, else the generated 25,000-episode one written to a temp
//! dir) and times, N runs each, medians printed as a table: the read of the file; read + xxh3;
//! the MessagePack decode of the whole library in one piece, and the start-up cache's read
//! (parts decoded in parallel); the fastron parse; `ron` (the reference parse); serde_json of
//! the same data as JSON into the model; validate; `App::new`.
//!
//! ```text
//! cargo run --release --example start_floor -- [FILE.ron] [RUNS]
//! ```

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fantrack::model::{Library, today};
use fantrack_generate::{self as generate, Spec};

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = match args.next() {
        Some(p) => PathBuf::from(p),
        None => {
            let p = dir.path().join("power_user.ron");
            fantrack::store::save(&p, &generate::library(&Spec::power_user())).expect("save");
            p
        }
    };
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(11);
    let bytes = std::fs::read(&path).expect("read the library");
    let text = std::str::from_utf8(&bytes).expect("utf-8");
    let library = fantrack::store::parse(text, &path).expect("a library that loads");
    let packed = rmp_serde::to_vec_named(&library).expect("pack");
    let json = serde_json::to_vec_pretty(&library).expect("json");
    let mut rows: Vec<(&str, Duration)> = Vec::new();
    rows.push((
        "read",
        median(runs, || {
            std::hint::black_box(std::fs::read(&path).expect("read"));
        }),
    ));
    rows.push((
        "read + xxh3",
        median(runs, || {
            let b = std::fs::read(&path).expect("read");
            std::hint::black_box(xxhash_rust::xxh3::xxh3_64(&b));
        }),
    ));
    rows.push((
        "xxh3 alone",
        median(runs, || {
            std::hint::black_box(xxhash_rust::xxh3::xxh3_64(&bytes));
        }),
    ));
    rows.push((
        "MessagePack decode (cache)",
        median(runs, || {
            let l: Library = rmp_serde::from_slice(&packed).expect("decode");
            std::hint::black_box(l);
        }),
    ));
    let cache = fantrack::store::cache::Cache::new(dir.path().join("cache"));
    cache.write_library(&path, &bytes, library.clone());
    rows.push((
        "cache read (file + parts decoded in parallel)",
        median(runs, || {
            std::hint::black_box(cache.read_library(&path, &bytes).expect("cached"));
        }),
    ));
    rows.push((
        "fastron parse",
        median(runs, || {
            std::hint::black_box(fantrack::fastron::parse(text).expect("fast path"));
        }),
    ));
    rows.push((
        "serde_json parse (model)",
        median(runs, || {
            let l: Library = serde_json::from_slice(&json).expect("json");
            std::hint::black_box(l);
        }),
    ));
    rows.push((
        "validate (no text)",
        median(runs, || {
            std::hint::black_box(fantrack::store::validate(&library, "").is_ok());
        }),
    ));
    rows.push((
        "store::parse (fastron + validate)",
        median(runs, || {
            std::hint::black_box(fantrack::store::parse(text, &path).expect("parse"));
        }),
    ));
    let day = today();
    rows.push((
        "library clone",
        median(runs, || {
            std::hint::black_box(library.clone());
        }),
    ));
    rows.push((
        "clone + App::new",
        median(runs, || {
            let app = fantrack::app::App::new(library.clone(), path.clone(), day);
            std::hint::black_box(app);
        }),
    ));
    println!(
        "{} ({} bytes RON, {} MessagePack, {} JSON), median of {runs}",
        path.display(),
        bytes.len(),
        packed.len(),
        json.len()
    );
    println!("| piece | median |\n|---|---:|");
    for (name, t) in rows {
        println!("| {name} | {:.2} ms |", t.as_secs_f64() * 1e3);
    }
}
