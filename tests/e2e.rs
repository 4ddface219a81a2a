//! End-to-end: the real binary in a real terminal (tmux), as a user would drive it.
//! Needs `tmux` on PATH (`.ci/run` installs it when missing).

use std::path::Path;
use std::process::{Command, Output};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// A tmux server of our own (its own socket), so tests never touch the user's sessions.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn new(name: &str) -> Tmux {
        let found = Command::new("tmux").arg("-V").output();
        assert!(
            found.is_ok_and(|o| o.status.success()),
            "tmux is needed for the end-to-end tests: apt-get install -y tmux"
        );
        Tmux {
            socket: format!("fantrack-e2e-{name}-{}", std::process::id()),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    /// Starts fantrack in a 120×35 window with a private config dir.
    fn start(&self, config: &Path) {
        let bin = env!("CARGO_BIN_EXE_fantrack");
        let command = format!(
            "env -u FANTRACK_FILE XDG_CONFIG_HOME='{}' HOME='{}' '{bin}'",
            config.display(),
            config.display()
        );
        let out = self.run(&["new-session", "-d", "-x", "120", "-y", "35", &command]);
        assert!(out.status.success(), "{out:?}");
        // Esc must reach the app at once, not wait to become Alt-something.
        self.run(&["set-option", "-s", "escape-time", "0"]);
    }

    fn keys(&self, keys: &[&str]) {
        for key in keys {
            self.run(&["send-keys", key]);
            sleep(Duration::from_millis(40));
        }
    }

    fn typed(&self, text: &str) {
        self.run(&["send-keys", "-l", text]);
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p"]).stdout).into_owned()
    }

    /// Waits until the screen shows `text`, failing with the screen after 10 s.
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "waited for {text:?}; the screen is:\n{screen}"
            );
            sleep(Duration::from_millis(50));
        }
    }

    /// Waits for the app (and so the tmux session) to end.
    fn wait_exit(&self) {
        let start = Instant::now();
        while self.run(&["has-session"]).status.success() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "fantrack did not quit:\n{}",
                self.screen()
            );
            sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}

#[test]
fn mark_an_episode_write_a_note_quit_and_find_both_after_a_restart() {
    let config = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::new("journey");
    tmux.start(config.path());
    tmux.wait_for("Bosch Universe");

    // Franchise, Bosch, 7 seasons, Legacy, 3 seasons, Ballard, then Ballard's season 1.
    tmux.keys(&["j"; 14]);
    tmux.wait_for("Ballard · Season 1");
    tmux.keys(&["l", "j", "j"]);
    let screen = tmux.wait_for("Ballard S01E02");
    assert!(screen.contains("Haystacks"), "{screen}");
    tmux.keys(&["Space"]);
    tmux.wait_for("watched today");
    tmux.keys(&["e"]);
    tmux.wait_for("Esc saves");
    tmux.typed("Bosch is back — 日本語 🎬");
    tmux.keys(&["Escape"]);
    tmux.wait_for("notes of Ballard S01E02 updated · saved");
    tmux.keys(&["q"]);
    tmux.wait_exit();

    // Restart: the mark and the note are there.
    tmux.start(config.path());
    tmux.wait_for("Bosch Universe");
    tmux.keys(&["/"]);
    tmux.typed("haystacks");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("Bosch is back");
    assert!(screen.contains("✓  2. Haystacks"), "{screen}");
    assert!(screen.contains("1/10"), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_exit();

    // The file holds both.
    let path = config.path().join("fantrack").join("library.ron");
    let library = fantrack::store::load(&path).expect("loads");
    let (f, s) = library.find_show("ballard").expect("ballard");
    let episode = library.franchises[f].shows[s]
        .season(1)
        .and_then(|s| s.episode(2))
        .expect("S01E02");
    assert_eq!(episode.watched, vec![fantrack::model::today()]);
    assert_eq!(episode.notes, "Bosch is back — 日本語 🎬");
}

#[test]
fn a_file_that_does_not_load_stops_the_app_before_the_terminal_is_touched() {
    let config = tempfile::tempdir().expect("tempdir");
    let dir = config.path().join("fantrack");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let path = dir.join("library.ron");
    std::fs::write(&path, "(version: 1, franchises: [").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_fantrack"))
        .env("XDG_CONFIG_HOME", config.path())
        .env_remove("FANTRACK_FILE")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("library.ron:1:"), "{stderr}");
    assert_eq!(
        std::fs::read(&path).expect("read"),
        b"(version: 1, franchises: ["
    );
}

#[test]
fn marking_from_the_watch_order_moves_up_next() {
    let config = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::new("order");
    tmux.start(config.path());
    let screen = tmux.wait_for("Up next (release order)");
    assert!(
        screen.contains("▶ Bosch S01E01 Chapter One: 'Tis the Season"),
        "{screen}"
    );

    tmux.keys(&["o"]);
    tmux.wait_for("Watch order · release order");
    // The view opens on the next episode to watch; Space marks it right there.
    tmux.keys(&["Space"]);
    tmux.wait_for("Bosch S01E01 watched today");
    tmux.keys(&["o", "g"]);
    let screen = tmux.wait_for("Up next (release order)");
    assert!(
        screen.contains("▶ Bosch S01E02 Chapter Two: Lost Light"),
        "{screen}"
    );
    tmux.keys(&["q"]);
    tmux.wait_exit();

    let out = Command::new(env!("CARGO_BIN_EXE_fantrack"))
        .env("XDG_CONFIG_HOME", config.path())
        .env_remove("FANTRACK_FILE")
        .args(["next", "--franchise"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .starts_with("Bosch Universe (release order): Bosch  S01E02  Chapter Two: Lost Light"),
        "{stdout}"
    );
}

#[test]
fn a_panic_restores_the_terminal_and_leaves_the_file_intact() {
    let config = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::new("panic");
    tmux.start(config.path());
    tmux.wait_for("Bosch Universe");
    tmux.keys(&["q"]);
    tmux.wait_exit();
    let path = config.path().join("fantrack").join("library.ron");
    let before = std::fs::read(&path).expect("created");

    let bin = env!("CARGO_BIN_EXE_fantrack");
    let command = format!(
        "env -u FANTRACK_FILE FANTRACK_TEST_PANIC_ON_KEY=1 XDG_CONFIG_HOME='{0}' HOME='{0}' \
         '{bin}'; echo EXITED=$?; sleep 30",
        config.path().display()
    );
    let out = tmux.run(&["new-session", "-d", "-x", "120", "-y", "35", &command]);
    assert!(out.status.success(), "{out:?}");
    tmux.wait_for("Bosch Universe");
    tmux.keys(&["j"]);
    let screen = tmux.wait_for("EXITED=101");
    assert!(screen.contains("a panic, on purpose"), "{screen}");
    let flags = |format: &str| {
        String::from_utf8_lossy(&tmux.run(&["display-message", "-p", format]).stdout)
            .trim()
            .to_string()
    };
    assert_eq!(
        flags("#{alternate_on}"),
        "0",
        "left on the alternate screen"
    );
    assert_eq!(
        flags("#{mouse_any_flag}#{mouse_button_flag}"),
        "00",
        "mouse left on"
    );
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "the file is intact"
    );
}
