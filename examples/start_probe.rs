//! Where the time goes between reading the library file and answering the first key, when
//! the file was edited since the last run (no cache hit): each step of the start path timed
//! on its own, next to the physical floor (read + hash) and the fastest parse of the same data
//! in another format (serde_json).
//!
//! ```text
//! cargo run --release --example start_probe -- 11
//! ```
//!
//! The argument is the number of runs per step (median, min and max are printed); steps are
//! interleaved run by run, so a busy machine slows them all alike. A second argument names a
//! library file to measure instead of the generated 25,000-episode one.

use std::any::Any;
use std::hash::{Hash, Hasher};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use fantrack::app::App;
use fantrack::cache::Cache;
use fantrack::generate::{self, Spec};
use fantrack::model::Library;
use fantrack::{fastron, store, tree};

/// A step returns what it made, so that dropping it (freeing a library takes ~10 ms) is not timed.
type Step<'a> = (&'static str, Box<dyn FnMut() -> Box<dyn Any> + 'a>);

fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(11);
    let dir = tempfile::tempdir().expect("tempdir");
    let path: PathBuf = match args.next() {
        Some(p) => PathBuf::from(p),
        None => {
            let path = dir.path().join("library.ron");
            store::save(&path, &generate::library(&Spec::power_user())).expect("save");
            path
        }
    };
    let bytes = std::fs::read(&path).expect("read");
    let text = std::str::from_utf8(&bytes).expect("utf-8").to_string();
    let library: Library = ron::from_str(&text).expect("ron reads it");
    assert!(
        fastron::parse(&text) == Some(library.clone()),
        "fastron agrees"
    );
    let json = serde_json::to_string_pretty(&library).expect("json");
    let rmp = rmp_serde::to_vec_named(&library).expect("rmp");
    eprintln!(
        "{}: {} bytes of RON, {} of pretty JSON, {} of MessagePack; {} runs per step",
        path.display(),
        text.len(),
        json.len(),
        rmp.len(),
        runs
    );
    let cache_dir = dir.path().join("cache");
    let today = fantrack::model::today();

    let mut steps: Vec<Step> = vec![
        (
            "read",
            Box::new(|| Box::new(black_box(std::fs::read(&path).expect("read")))),
        ),
        (
            "read + xxh3 (floor)",
            Box::new(|| {
                let b = std::fs::read(&path).expect("read");
                let hash = black_box(xxhash_rust::xxh3::xxh3_64(&b));
                Box::new((b, hash))
            }),
        ),
        (
            "SipHash of the bytes (Stamp::of)",
            Box::new(|| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                bytes.hash(&mut h);
                Box::new(black_box(h.finish()))
            }),
        ),
        (
            "utf-8 check",
            Box::new(|| Box::new(black_box(std::str::from_utf8(&bytes).is_ok()))),
        ),
        (
            "ron::from_str",
            Box::new(|| Box::new(black_box(ron::from_str::<Library>(&text).expect("ron")))),
        ),
        (
            "fastron, 1 thread",
            Box::new(|| {
                Box::new(black_box(
                    fastron::parse_with(&text, 1, 0).expect("fastron"),
                ))
            }),
        ),
        (
            "fastron, 2 threads",
            Box::new(|| {
                Box::new(black_box(
                    fastron::parse_with(&text, 2, 0).expect("fastron"),
                ))
            }),
        ),
        (
            "serde_json::from_str (same data)",
            Box::new(|| {
                Box::new(black_box(
                    serde_json::from_str::<Library>(&json).expect("json"),
                ))
            }),
        ),
        (
            "rmp_serde::from_slice (the cache)",
            Box::new(|| {
                Box::new(black_box(
                    rmp_serde::from_slice::<Library>(&rmp).expect("rmp"),
                ))
            }),
        ),
        (
            "store::validate",
            Box::new(|| Box::new(black_box(store::validate(&library, &text).is_ok()))),
        ),
        (
            "tree::all_but_episodes + visible_rows",
            Box::new(|| {
                let open = tree::all_but_episodes(&library);
                Box::new(black_box(tree::visible_rows(&library, &open)))
            }),
        ),
        (
            "search index (a copy of app.rs's search_index)",
            Box::new(|| Box::new(black_box(search_index(&library)))),
        ),
        (
            "App::new (open set, search index, rows)",
            Box::new(|| Box::new(black_box(App::new(library.clone(), path.clone(), today)))),
        ),
        (
            "rmp encode (cache write, off-thread)",
            Box::new(|| Box::new(black_box(rmp_serde::to_vec_named(&library).expect("rmp")))),
        ),
        (
            "store::load_stamped (read, hash, ron, validate)",
            Box::new(|| Box::new(black_box(store::load_stamped(&path).expect("load")))),
        ),
        (
            "with fastron hooked in: read, SipHash, utf-8, fastron, validate, App::new",
            Box::new(|| {
                let b = std::fs::read(&path).expect("read");
                let mut h = std::collections::hash_map::DefaultHasher::new();
                b.hash(&mut h);
                black_box(h.finish());
                let t = std::str::from_utf8(&b).expect("utf-8");
                let l = fastron::parse(t).expect("fastron");
                assert!(store::validate(&l, t).is_ok());
                let app = App::new(l, path.clone(), today);
                Box::new(black_box((app, b)))
            }),
        ),
        (
            "App::open_cached, cache miss (edited file)",
            Box::new(|| {
                let _ = std::fs::remove_dir_all(&cache_dir);
                let cache = Cache::new(cache_dir.clone());
                Box::new(black_box(
                    App::open_cached(&path, Some(&cache)).expect("open"),
                ))
            }),
        ),
    ];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); steps.len()];
    for _ in 0..runs {
        for (i, (_, step)) in steps.iter_mut().enumerate() {
            let t = Instant::now();
            let made = step();
            times[i].push(t.elapsed());
            drop(made);
            // A large allocation makes glibc consolidate the freed chunks now, not in the next
            // step's first allocation.
            black_box(vec![0u8; 1 << 16]);
            // Let the off-thread cache write of `open_cached` finish before the next step.
            std::thread::sleep(Duration::from_millis(30));
        }
    }
    println!("| step | median | min | max |");
    println!("|---|---:|---:|---:|");
    for ((name, _), mut t) in steps.iter().zip(times) {
        t.sort();
        println!(
            "| {name} | {} | {} | {} |",
            ms(t[t.len() / 2]),
            ms(t[0]),
            ms(t[t.len() - 1])
        );
    }
    let mut drops: Vec<Duration> = (0..runs)
        .map(|_| {
            let parsed = fastron::parse(&text);
            let t = Instant::now();
            drop(parsed);
            t.elapsed()
        })
        .collect();
    drops.sort();
    println!(
        "| drop of a parsed library (not on the start path) | {} | {} | {} |",
        ms(drops[drops.len() / 2]),
        ms(drops[0]),
        ms(drops[drops.len() - 1])
    );
}

/// What `app::search_index` does (it is private there): every show and episode title,
/// lower-cased, sorted by node.
fn search_index(library: &Library) -> Vec<(tree::NodeId, String)> {
    let mut index = Vec::new();
    for (f, franchise) in library.franchises.iter().enumerate() {
        for (s, show) in franchise.shows.iter().enumerate() {
            index.push((tree::NodeId::Show(f, s), show.title.to_lowercase()));
            for (se, season) in show.seasons.iter().enumerate() {
                for (e, episode) in season.episodes.iter().enumerate() {
                    if let Some(title) = &episode.title {
                        index.push((tree::NodeId::Episode(f, s, se, e), title.to_lowercase()));
                    }
                }
            }
        }
    }
    index.sort_by_key(|(id, _)| *id);
    index
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
