//! Writes a generated 25,000-episode library and a Trakt watch history of one play per
//! episode, for timing `fantrack import` (see the README's import section):
//!
//! ```sh
//! cargo run --release --example trakt_history -- /tmp/bench
//! /usr/bin/time -v target/release/fantrack --file /tmp/bench/library.ron import /tmp/bench/watched-history.json
//! ```

use std::fmt::Write as _;
use std::path::PathBuf;

use fantrack_generate::{Spec, library};

fn main() -> Result<(), String> {
    let dir = PathBuf::from(std::env::args().nth(1).ok_or("usage: trakt_history DIR")?);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut lib = library(&Spec::power_user());
    let mut out = String::from("[");
    let mut n = 0u64;
    for (fi, f) in lib.franchises.iter_mut().enumerate() {
        for (si, s) in f.shows.iter_mut().enumerate() {
            let tvdb = 100_000 + (fi * 1000 + si) as u64;
            s.ids.thetvdb = Some(tvdb);
            let year = s.premiere.map_or(2000, |d| d.year());
            let title = s.title.replace('"', "'");
            for se in &s.seasons {
                for e in &se.episodes {
                    n += 1;
                    if n > 1 {
                        out.push(',');
                    }
                    let _ = write!(
                        out,
                        r#"{{"id":{n},"watched_at":"2026-0{}-1{}T20:00:00.000Z","action":"watch","type":"episode","episode":{{"season":{},"number":{},"title":"Episode","ids":{{"trakt":{n},"tvdb":null,"imdb":null,"tmdb":null}}}},"show":{{"title":"{title}","year":{year},"ids":{{"trakt":{tvdb},"tvdb":{tvdb},"imdb":null,"tmdb":null}}}}}}"#,
                        1 + n % 9,
                        n % 10,
                        se.number,
                        e.number,
                    );
                }
            }
        }
    }
    out.push(']');
    let lib_path = dir.join("library.ron");
    fantrack::store::save(&lib_path, &lib).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("watched-history.json"), out).map_err(|e| e.to_string())?;
    println!("{n} plays; library at {}", lib_path.display());
    Ok(())
}
