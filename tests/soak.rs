//! The soak of #16: two TUIs (each on a pseudo-terminal) and a CLI loop write one file with
//! random gaps (0–600 ms), while an outside "editor" renames a new version of the file over it
//! every second (it changes the note of an episode nobody else touches). Each writer goes
//! round its own episodes again and again, marking them on odd rounds and unmarking them on
//! even ones, so it runs as long as asked. At the end: every episode as its writer's last
//! change left it (no mark and no unmark lost), every outside note found in the file by the
//! next outside edit (none written over), and "not applied" on no screen.
//!
//! Runs for `FANTRACK_SOAK_SECS` seconds (20 by default, as in CI; #16 asks for a minute:
//! `FANTRACK_SOAK_SECS=60 cargo test --release --test soak -- --nocapture`).
//!
//! The outside writer takes fantrack's advisory lock around its read-change-rename: a real
//! editor does not, and one that reads, waits and renames can itself throw away what a
//! fantrack wrote in between. That loss would be the editor's, not fantrack's, so the soak
//! keeps it out; what it checks is that fantrack never writes over the editor's version.

#[path = "support/pty.rs"]
mod pty;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::sleep;
use std::time::{Duration, Instant};

use fantrack::model::Library;
use fantrack::store;
use pty::Term;

/// An episode by its ids and its title.
#[derive(Debug, Clone)]
struct Episode {
    show: String,
    season: u32,
    number: u32,
    title: String,
}

/// Episodes whose title is typed as a search with one match: plain words, in no other title.
fn unique_episodes(library: &Library) -> Vec<Episode> {
    let mut all = Vec::new();
    let mut titles: Vec<String> = Vec::new();
    for franchise in &library.franchises {
        titles.push(franchise.title.to_lowercase());
        for show in &franchise.shows {
            titles.push(show.title.to_lowercase());
            for season in &show.seasons {
                for episode in &season.episodes {
                    if let Some(title) = &episode.title {
                        titles.push(title.to_lowercase());
                        all.push(Episode {
                            show: show.id.clone(),
                            season: season.number,
                            number: episode.number,
                            title: title.clone(),
                        });
                    }
                }
            }
        }
    }
    all.into_iter()
        .filter(|e| {
            let lower = e.title.to_lowercase();
            lower.len() >= 6
                && e.title
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == ' ')
                && titles.iter().filter(|t| t.contains(&lower)).count() == 1
        })
        .collect()
}

fn watched(library: &Library, e: &Episode) -> Vec<jiff::civil::Date> {
    library
        .franchises
        .iter()
        .flat_map(|f| f.shows.iter())
        .find(|s| s.id == e.show)
        .and_then(|s| s.season(e.season))
        .and_then(|s| s.episode(e.number))
        .map(|e| e.watched.clone())
        .unwrap_or_default()
}

fn set_notes(library: &mut Library, e: &Episode, text: &str) {
    for franchise in &mut library.franchises {
        for show in &mut franchise.shows {
            if show.id == e.show
                && let Some(episode) = show
                    .season_mut(e.season)
                    .and_then(|s| s.episode_mut(e.number))
            {
                episode.notes = text.to_string();
            }
        }
    }
}

/// A small deterministic random source (xorshift), seeded from the clock.
struct Gaps(u64);

impl Gaps {
    fn new(salt: u64) -> Gaps {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.subsec_nanos() as u64);
        Gaps((nanos ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1)
    }

    /// 0–600 ms.
    fn next(&mut self) -> Duration {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        Duration::from_millis(self.0 % 601)
    }
}

/// Space on the episode: marks it (`on`) or unmarks it, as its last change left it.
fn toggle(term: &mut Term, e: &Episode, on: bool) {
    term.keys(&["/"]);
    term.typed(&e.title);
    term.keys(&["Enter"]);
    term.wait_for("1 match");
    term.keys(&["Space"]);
    term.wait_for(if on { "watched today" } else { "unwatched (" });
}

/// Each writer's episodes, round and round: (episode, marked after this change).
fn rounds(episodes: &[Episode]) -> impl Iterator<Item = (Episode, bool)> + '_ {
    (0usize..).flat_map(move |round| {
        episodes
            .iter()
            .map(move |e| (e.clone(), round.is_multiple_of(2)))
    })
}

/// Which episodes a writer left marked and unmarked, from its changes in order.
fn last_state(changes: &[(Episode, bool)]) -> Vec<(Episode, bool)> {
    let mut last: Vec<(Episode, bool)> = Vec::new();
    for (e, on) in changes {
        match last.iter_mut().find(|(l, _)| l.title == e.title) {
            Some(entry) => entry.1 = *on,
            None => last.push((e.clone(), *on)),
        }
    }
    last
}

/// What an editor does: read the file, change the text, write a temporary, rename it over.
/// Returns the note it found there (the one it wrote last time, unless a writer lost it).
fn outside_note(path: &Path, e: &Episode, text: &str) -> String {
    let _lock = store::lock(path, Duration::from_secs(10)).expect("lock");
    let mut library = store::load(path).expect("the file loads");
    let found = note_of(&library, e);
    set_notes(&mut library, e, text);
    let temp: PathBuf = path.with_file_name("editor-temp.ron");
    std::fs::write(&temp, store::to_text(&library).expect("text")).expect("write temp");
    std::fs::rename(&temp, path).expect("rename over");
    found
}

fn note_of(library: &Library, e: &Episode) -> String {
    library
        .franchises
        .iter()
        .flat_map(|f| f.shows.iter())
        .find(|s| s.id == e.show)
        .and_then(|s| s.season(e.season))
        .and_then(|s| s.episode(e.number))
        .map(|e| e.notes.clone())
        .unwrap_or_default()
}

#[test]
fn two_tuis_a_cli_loop_and_an_outside_editor_lose_nothing() {
    let secs: u64 = std::env::var("FANTRACK_SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("library.ron");
    store::save(&path, &store::shipped_catalog()).expect("save");
    let episodes = unique_episodes(&store::shipped_catalog());
    assert!(episodes.len() >= 13, "{} unique titles", episodes.len());
    // Disjoint sets: the outside note's episode, the CLI's, TUI A's, TUI B's.
    let noted = episodes[0].clone();
    let rest = &episodes[1..];
    let cli: Vec<Episode> = rest.iter().step_by(3).cloned().collect();
    let a: Vec<Episode> = rest.iter().skip(1).step_by(3).cloned().collect();
    let b: Vec<Episode> = rest.iter().skip(2).step_by(3).cloned().collect();

    let file = path.to_string_lossy().into_owned();
    let (config_a, config_b) = (dir.path().join("a"), dir.path().join("b"));
    std::fs::create_dir_all(&config_a).expect("dir");
    std::fs::create_dir_all(&config_b).expect("dir");
    let mut term_a = Term::fantrack(&config_a, &["--file", &file]);
    let mut term_b = Term::fantrack(&config_b, &["--file", &file]);
    term_a.wait_for("Bosch Universe");
    term_b.wait_for("Bosch Universe");

    let deadline = Instant::now() + Duration::from_secs(secs);
    let done = Arc::new(AtomicBool::new(false));
    let cli_loop = {
        let (file, done, cli) = (file.clone(), Arc::clone(&done), cli.clone());
        std::thread::spawn(move || {
            let mut gaps = Gaps::new(1);
            let mut changes = Vec::new();
            for (e, on) in rounds(&cli) {
                if done.load(Ordering::Relaxed) {
                    break;
                }
                let code = format!("S{:02}E{:02}", e.season, e.number);
                let mut args = vec!["--file", &file];
                if on {
                    args.extend(["watch", &e.show, &code, "--date", "2020-01-01"]);
                } else {
                    args.extend(["unwatch", &e.show, &code]);
                }
                let out = Command::new(env!("CARGO_BIN_EXE_fantrack"))
                    .args(&args)
                    .output()
                    .expect("runs");
                assert!(out.status.success(), "{args:?}: {out:?}");
                changes.push((e, on));
                sleep(gaps.next());
            }
            changes
        })
    };
    let editor = {
        let (path, done, noted) = (path.clone(), Arc::clone(&done), noted.clone());
        std::thread::spawn(move || {
            let mut n = 0;
            // The outside notes a fantrack wrote over: each edit finds the one before it.
            let mut lost = Vec::new();
            while !done.load(Ordering::Relaxed) {
                let previous = if n == 0 {
                    String::new()
                } else {
                    format!("outside note {n}")
                };
                n += 1;
                let found = outside_note(&path, &noted, &format!("outside note {n}"));
                if found != previous {
                    lost.push((previous, found));
                }
                sleep(Duration::from_secs(1));
            }
            (n, lost)
        })
    };

    let mut gaps = Gaps::new(2);
    let (mut changes_a, mut changes_b) = (Vec::new(), Vec::new());
    let (mut next_a, mut next_b) = (rounds(&a), rounds(&b));
    while Instant::now() < deadline {
        let (Some((ea, on_a)), Some((eb, on_b))) = (next_a.next(), next_b.next()) else {
            break;
        };
        toggle(&mut term_a, &ea, on_a);
        changes_a.push((ea, on_a));
        sleep(gaps.next());
        toggle(&mut term_b, &eb, on_b);
        changes_b.push((eb, on_b));
        sleep(gaps.next());
    }
    done.store(true, Ordering::Relaxed);
    let changes_cli = cli_loop.join().expect("cli loop");
    let (notes, lost_notes) = editor.join().expect("editor");

    for term in [&mut term_a, &mut term_b] {
        // Let the idle checks take in the last outside edits, then quit.
        sleep(Duration::from_millis(1200));
        let screen = term.screen();
        assert!(!screen.contains("not applied"), "{screen}");
        term.keys(&["q"]);
        let status = term.wait_exit();
        let screen = term.screen();
        assert!(status.success(), "{status:?}\n{screen}");
        assert!(!screen.contains("not applied"), "{screen}");
    }

    let library = store::load(&path).expect("loads");
    let lost: Vec<(Episode, bool)> = [&changes_a, &changes_b, &changes_cli]
        .into_iter()
        .flat_map(|changes| last_state(changes))
        .filter(|(e, on)| watched(&library, e).is_empty() == *on)
        .collect();
    let noted_now = note_of(&library, &noted);
    println!(
        "soak {secs}s: changes A {} B {} CLI {}, outside edits {notes}; lost changes {}, \
         outside notes written over {}, last outside note \"{noted_now}\"",
        changes_a.len(),
        changes_b.len(),
        changes_cli.len(),
        lost.len(),
        lost_notes.len()
    );
    assert!(lost.is_empty(), "lost marks or unmarks: {lost:?}");
    assert!(
        lost_notes.is_empty(),
        "outside notes written over (expected, found): {lost_notes:?}"
    );
    assert_eq!(
        noted_now,
        format!("outside note {notes}"),
        "the last outside note was lost"
    );
}
