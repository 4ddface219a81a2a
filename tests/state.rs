//! "Make it yours" through the real binary on a pseudo-terminal: the state kept between runs
//! (open folds, selection), and the config file (a key override, a broken file). Each run is
//! its own process, so each gets its own config (the keymap is fixed for a run).

#[path = "support/pty.rs"]
mod pty;

use std::path::Path;

use pty::Term;

/// fantrack on `dir`'s library, config and state (never the user's).
fn start(dir: &Path) -> Term {
    let library = dir.join("library.ron");
    let state = dir.join("state");
    Term::fantrack_sized(
        dir,
        &["--file", library.to_str().expect("utf-8 path")],
        &[("FANTRACK_STATE_DIR", state.to_str().expect("utf-8 path"))],
        120,
        35,
    )
}

fn write_config(dir: &Path, text: &str) -> std::path::PathBuf {
    let path = dir.join("fantrack").join("config.ron");
    std::fs::create_dir_all(path.parent().expect("a dir")).expect("mkdir");
    std::fs::write(&path, text).expect("write config");
    path
}

#[test]
fn open_folds_and_the_selection_survive_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut term = start(dir.path());
    term.wait_for("Bosch Universe");
    assert!(
        !term.screen().contains("Lost Light"),
        "seasons start closed"
    );
    // Bosch season 1, opened; its second episode selected.
    term.keys(&["j", "j", "l"]);
    term.wait_for("Lost Light");
    term.keys(&["j", "j"]);
    term.wait_for("Bosch S01E02");
    term.keys(&["q"]);
    assert!(term.wait_exit().success());

    let saved = std::fs::read_to_string(dir.path().join("state").join("state.ron"))
        .expect("the state is saved at quit");
    assert!(saved.contains("\"bosch/S01\""), "{saved}");
    assert!(saved.contains("\"bosch/S01E02\""), "{saved}");
    let library = std::fs::read_to_string(dir.path().join("library.ron")).expect("library");
    assert!(
        !library.contains("bosch/S01"),
        "the state is not in the library"
    );

    let mut term = start(dir.path());
    // Season 1 is open again, and the details pane shows the selected episode.
    let screen = term.wait_for("Lost Light");
    assert!(screen.contains("Bosch S01E02"), "{screen}");
    term.keys(&["q"]);
    assert!(term.wait_exit().success());

    // Deleting the state is always safe: the default first screen.
    std::fs::remove_dir_all(dir.path().join("state")).expect("rm");
    let mut term = start(dir.path());
    term.wait_for("Bosch Universe");
    assert!(!term.screen().contains("Lost Light"));
    term.keys(&["q"]);
    assert!(term.wait_exit().success());
}

#[test]
fn a_key_override_moves_the_action_and_the_help_shows_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_config(
        dir.path(),
        r#"(keys: { "tree": { "x": "toggle_watched", "H": "help" } })"#,
    );
    let mut term = start(dir.path());
    term.wait_for("Bosch Universe");
    // The status bar hints show the configured keys.
    let screen = term.wait_for("x watched");
    assert!(screen.contains("H help"), "{screen}");
    // Season 1 opened, its first episode marked with the new key.
    term.keys(&["j", "j", "l", "j", "x"]);
    term.wait_for("1/10");
    // Space no longer marks: the action moved.
    term.keys(&["j", "Space"]);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let screen = term.screen();
    assert!(
        screen.contains("1/10") && !screen.contains("2/10"),
        "{screen}"
    );
    // The help screen lists the new keys.
    term.keys(&["H"]);
    let help = term.wait_for("Help ·");
    assert!(help.contains(&format!("{:<13}mark watched", "x")), "{help}");
    term.keys(&["Escape"]);
    term.wait_gone("Help ·");
    term.keys(&["q"]);
    assert!(term.wait_exit().success());
}

#[test]
fn a_broken_config_is_named_with_line_and_column_and_the_app_still_opens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "(\n  thme: (base: Light),\n)\n";
    let path = write_config(dir.path(), text);
    let mut term = start(dir.path());
    let screen = term.wait_for("config.ron:2:3:");
    assert!(screen.contains("Bosch Universe"), "{screen}");
    assert!(screen.contains("`thme`"), "{screen}");
    // The default keys work.
    term.keys(&["?"]);
    term.wait_for("Help ·");
    term.keys(&["Escape"]);
    term.wait_gone("Help ·");
    term.keys(&["q"]);
    assert!(term.wait_exit().success());
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        text,
        "the config is never written"
    );
}

#[test]
fn the_config_turns_the_shield_on_until_the_library_says_and_formats_dates() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_config(
        dir.path(),
        "(spoiler_shield: true, date_format: \"%d %b %Y\")",
    );
    let mut term = start(dir.path());
    term.wait_for("Bosch Universe");
    // Bosch selected: its premiere in the configured format.
    term.keys(&["j"]);
    term.wait_for("06 Feb 2014");
    assert!(!term.screen().contains("2014-02-06"));
    // Season 1 opened: nothing watched, so the shield (on by the config) hides every title.
    term.keys(&["j", "l"]);
    let screen = term.wait_for(" 1. hidden");
    assert!(!screen.contains("Lost Light"), "{screen}");
    // Toggled off: the library says so from now on, whatever the config says.
    term.keys(&["s"]);
    term.wait_for("Lost Light");
    term.keys(&["q"]);
    assert!(term.wait_exit().success());
    let library = std::fs::read_to_string(dir.path().join("library.ron")).expect("library");
    assert!(library.contains("spoiler_shield: false"), "{library}");

    let mut term = start(dir.path());
    term.wait_for("Bosch Universe");
    term.keys(&["j", "j", "l"]);
    let screen = term.wait_for("Lost Light");
    assert!(!screen.contains(" 1. hidden"), "{screen}");
    term.keys(&["q"]);
    assert!(term.wait_exit().success());
}
