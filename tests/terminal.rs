//! The app and its terminal: signals and a closed terminal end the TUI cleanly, with the
//! terminal restored and the last change on disk. Runs on a pseudo-terminal of its own.

#[path = "support/pty.rs"]
mod pty;

use std::path::Path;
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

use pty::Term;

/// Marks Ballard S01E02 watched today through the UI.
fn mark_haystacks(term: &mut Term) {
    term.wait_for("Bosch Universe");
    term.keys(&["/"]);
    term.typed("haystacks");
    term.keys(&["Enter"]);
    term.wait_for("1 match");
    term.keys(&["Space"]);
    term.wait_for("watched today");
}

fn signal(pid: u32, name: &str) {
    let out = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(pid.to_string())
        .output()
        .expect("kill runs");
    assert!(out.status.success(), "kill -{name} {pid}: {out:?}");
}

/// The library the TUI made in `config` holds the mark, and no temporary is left.
fn assert_file_kept_the_mark(config: &Path) {
    let path = config.join("fantrack").join("library.ron");
    let library = fantrack::store::load(&path).expect("loads");
    let episode = library
        .franchises
        .iter()
        .flat_map(|f| f.shows.iter())
        .find(|s| s.id == "ballard")
        .and_then(|s| s.season(1))
        .and_then(|s| s.episode(2))
        .expect("S01E02");
    assert_eq!(episode.watched, vec![fantrack::model::today()]);
    let dir = path.parent().expect("dir");
    let strays: Vec<_> = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(strays.is_empty(), "temporaries left: {strays:?}");
}

/// A signal sent to the app: it ends by itself (exit 0, not killed by the signal), leaves
/// the alternate screen and mouse reporting, and the file holds the last change.
fn signal_ends_the_tui_cleanly(name: &str) {
    let config = tempfile::tempdir().expect("tempdir");
    let mut term = Term::fantrack(config.path(), &[]);
    mark_haystacks(&mut term);
    signal(term.pid(), name);
    let status = term.wait_exit();
    assert!(
        status.success(),
        "SIG{name} must end the app normally: {status:?}"
    );
    assert!(!term.alternate_screen(), "still on the alternate screen");
    assert!(!term.mouse_reporting(), "mouse reporting left on");
    assert_file_kept_the_mark(config.path());
}

#[test]
fn sigterm_ends_the_tui_cleanly() {
    signal_ends_the_tui_cleanly("TERM");
}

#[test]
fn sighup_ends_the_tui_cleanly() {
    signal_ends_the_tui_cleanly("HUP");
}

/// The terminal goes away (its window is closed): the kernel sends SIGHUP to the app, which
/// must end within 5 s, not spin on a dead terminal.
#[test]
fn closing_the_terminal_ends_the_tui() {
    let config = tempfile::tempdir().expect("tempdir");
    let mut term = Term::fantrack(config.path(), &[]);
    mark_haystacks(&mut term);
    term.hang_up();
    let start = Instant::now();
    while term.running() {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "fantrack still runs 5 s after its terminal went away"
        );
        sleep(Duration::from_millis(20));
    }
    assert_file_kept_the_mark(config.path());
}

/// The library file the TUI made in `config`.
fn library_path(config: &Path) -> std::path::PathBuf {
    config.join("fantrack").join("library.ron")
}

/// The notes of Ballard S01E02 in the file.
fn notes_on_disk(config: &Path) -> String {
    let library = fantrack::store::load(&library_path(config)).expect("loads");
    library
        .franchises
        .iter()
        .flat_map(|f| f.shows.iter())
        .find(|s| s.id == "ballard")
        .and_then(|s| s.season(1))
        .and_then(|s| s.episode(2))
        .expect("S01E02")
        .notes
        .clone()
}

/// Opens the in-app notes editor on Ballard S01E02 and types `text` without closing it.
fn type_notes(term: &mut Term, text: &str) {
    term.wait_for("Bosch Universe");
    term.keys(&["/"]);
    term.typed("haystacks");
    term.keys(&["Enter"]);
    term.wait_for("1 match");
    term.keys(&["e"]);
    term.typed(text);
    term.wait_for(text);
}

/// The editor is open with text typed when the app is told to stop: the text is in the note
/// on disk, the app ends by itself, the terminal is restored.
fn typed_notes_survive(stop: impl FnOnce(&mut Term)) {
    let config = tempfile::tempdir().expect("tempdir");
    let mut term = Term::fantrack(config.path(), &[]);
    type_notes(&mut term, "typed before the end");
    stop(&mut term);
    // Until the app has ended and its last save landed (after a hang-up the child's state
    // may not be readable any more, so the file is what is watched).
    let start = Instant::now();
    while term.running() || notes_on_disk(config.path()) != "typed before the end" {
        if start.elapsed() > Duration::from_secs(10) {
            break;
        }
        sleep(Duration::from_millis(50));
    }
    assert_eq!(notes_on_disk(config.path()), "typed before the end");
}

#[test]
fn typed_notes_survive_sigterm() {
    typed_notes_survive(|term| signal(term.pid(), "TERM"));
}

#[test]
fn typed_notes_survive_sighup() {
    typed_notes_survive(|term| signal(term.pid(), "HUP"));
}

#[test]
fn typed_notes_survive_sigint() {
    typed_notes_survive(|term| signal(term.pid(), "INT"));
}

/// The window is closed (the pty goes away, the kernel hangs up): the text is in the note.
#[test]
fn typed_notes_survive_a_closed_terminal() {
    typed_notes_survive(Term::hang_up);
}

/// The window is closed while the notes cannot be saved (a file from a newer fantrack opens
/// read-only): the text goes to a rescue file beside the library, and the next start says
/// where it is.
#[test]
fn notes_that_cannot_be_saved_when_the_terminal_closes_are_rescued_and_told_at_next_start() {
    let config = tempfile::tempdir().expect("tempdir");
    let path = library_path(config.path());
    std::fs::create_dir_all(path.parent().expect("dir")).expect("dir");
    let text = fantrack::store::to_text(&fantrack::store::shipped_catalog()).expect("text");
    let newer = text.replacen("version: 1,", "version: 2,", 1);
    assert_ne!(newer, text);
    std::fs::write(&path, &newer).expect("write");
    let mut term = Term::fantrack(config.path(), &[]);
    term.wait_for("READ-ONLY");
    type_notes(&mut term, "rescue me please");
    term.hang_up();
    let start = Instant::now();
    while term.running() && start.elapsed() < Duration::from_secs(10) {
        sleep(Duration::from_millis(50));
    }
    assert!(!term.running(), "still running 10 s after the hangup");
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        newer,
        "file touched"
    );
    let dir = path.parent().expect("dir");
    let rescued: Vec<_> = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains("rescued-notes-"))
        .collect();
    assert_eq!(rescued.len(), 1, "{rescued:?}");
    assert_eq!(
        std::fs::read_to_string(&rescued[0]).expect("read"),
        "rescue me please"
    );

    // The next start (the file is back to a version this fantrack writes) says where it is.
    std::fs::write(&path, &text).expect("write");
    let mut term = Term::fantrack(config.path(), &[]);
    let screen = term.wait_for("notes typed last time were not saved");
    assert!(
        screen.contains(&rescued[0].display().to_string()),
        "{screen}"
    );
    term.keys(&["q"]);
    assert!(term.wait_exit().success());
}

/// SIGINT is handled like SIGTERM: exit 0 (not 130), terminal restored, the mark on disk.
#[test]
fn sigint_ends_the_tui_cleanly() {
    signal_ends_the_tui_cleanly("INT");
}

/// The editor is open when the file changes on disk (another program adds a mark); Esc:
/// the typed text is saved on top of the outside change, and both are in the file.
#[test]
fn typed_notes_survive_an_outside_change() {
    let config = tempfile::tempdir().expect("tempdir");
    let mut term = Term::fantrack(config.path(), &[]);
    type_notes(&mut term, "mine, typed meanwhile");
    let path = library_path(config.path());
    let mut outside = fantrack::store::load(&path).expect("loads");
    outside.franchises[0].notes = "written elsewhere".into();
    sleep(Duration::from_millis(20));
    fantrack::store::save(&path, &outside).expect("outside save");
    sleep(Duration::from_millis(600));
    term.keys(&["Escape"]);
    term.wait_for("saved");
    term.keys(&["q"]);
    assert!(term.wait_exit().success());
    assert_eq!(notes_on_disk(config.path()), "mine, typed meanwhile");
    let library = fantrack::store::load(&path).expect("loads");
    assert_eq!(library.franchises[0].notes, "written elsewhere");
    let screen = term.screen();
    assert!(!screen.contains("not applied"), "{screen}");
}

/// #15: the parse of a file the cache did not know is cached once the first key is answered,
/// not while the app is getting ready for it (the write would compete with that key).
#[test]
fn the_library_cache_is_written_after_the_first_key() {
    let config = tempfile::tempdir().expect("tempdir");
    let cache = config.path().join("cache").join("fantrack");
    let cached = || {
        std::fs::read_dir(&cache).map_or(0, |entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().ends_with(".library"))
                .count()
        })
    };
    let mut term = Term::fantrack(config.path(), &[]);
    term.wait_for("Bosch Universe");
    assert_eq!(cached(), 0, "the cache was written before any key");
    term.keys(&["j"]);
    let start = Instant::now();
    while cached() == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the cache was not written after the first key"
        );
        sleep(Duration::from_millis(20));
    }
    term.keys(&["q"]);
    assert!(term.wait_exit().success());
}
