//! Journeys through the real binary on a pseudo-terminal, as a user would drive it.
//! Needs nothing but Rust (see `support/pty.rs`).

#[path = "support/pty.rs"]
mod pty;

use pty::Term;

#[test]
fn the_app_opens_on_the_franchise_and_quits_leaving_the_terminal_as_it_was() {
    let config = tempfile::tempdir().expect("tempdir");
    let mut term = Term::fantrack(config.path(), &[]);
    term.wait_for("Bosch Universe");
    assert!(
        term.alternate_screen(),
        "the app runs on the alternate screen"
    );
    assert!(term.mouse_reporting(), "the app takes the mouse");
    term.keys(&["q"]);
    let status = term.wait_exit();
    assert!(status.success(), "{status:?}");
    assert!(
        !term.alternate_screen(),
        "back on the normal screen after quitting"
    );
    assert!(!term.mouse_reporting(), "mouse reports off after quitting");
}

/// The library's episode, found by ids, from the file itself.
fn episode_on_disk(path: &std::path::Path, show: &str, s: u32, e: u32) -> fantrack::model::Episode {
    let library = fantrack::store::load(path).expect("loads");
    library
        .franchises
        .iter()
        .flat_map(|f| f.shows.iter())
        .find(|x| x.id == show)
        .and_then(|x| x.seasons.iter().find(|x| x.number == s))
        .and_then(|x| x.episodes.iter().find(|x| x.number == e))
        .cloned()
        .expect("the episode is in the file")
}

#[test]
fn mark_an_episode_write_a_note_quit_and_find_both_after_a_restart() {
    let config = tempfile::tempdir().expect("tempdir");
    let mut term = Term::fantrack(config.path(), &[]);
    term.wait_for("Bosch Universe");

    // Franchise, Bosch, 7 seasons, Legacy, 3 seasons, Ballard, then Ballard's season 1.
    term.keys(&["j"; 14]);
    term.wait_for("Ballard · Season 1");
    term.keys(&["l", "j", "j"]);
    let screen = term.wait_for("Ballard S01E02");
    assert!(screen.contains("Haystacks"), "{screen}");
    term.keys(&["Space"]);
    term.wait_for("watched today");
    term.keys(&["e"]);
    term.wait_for("Esc saves");
    term.typed("Bosch is back — 日本語 🎬");
    term.keys(&["Escape"]);
    term.wait_for("notes of Ballard S01E02 updated · saved");
    term.keys(&["q"]);
    assert!(term.wait_exit().success());

    // Restart: the mark and the note are there.
    let mut term = Term::fantrack(config.path(), &[]);
    term.wait_for("Bosch Universe");
    term.keys(&["/"]);
    term.typed("haystacks");
    term.keys(&["Enter"]);
    let screen = term.wait_for("Bosch is back");
    assert!(screen.contains("✓  2. Haystacks"), "{screen}");
    assert!(screen.contains("1/10"), "{screen}");
    term.keys(&["q"]);
    assert!(term.wait_exit().success());

    // The file holds both.
    let path = config.path().join("fantrack").join("library.ron");
    let episode = episode_on_disk(&path, "ballard", 1, 2);
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
    let mut term = Term::fantrack(config.path(), &[]);
    let status = term.wait_exit();
    assert_eq!(status.exit_code(), 1, "{status:?}");
    let screen = term.screen();
    assert!(screen.contains("library.ron:1:"), "{screen}");
    assert!(!term.alternate_screen());
    assert_eq!(
        std::fs::read(&path).expect("read"),
        b"(version: 1, franchises: ["
    );
}

#[test]
fn marking_from_the_watch_order_moves_up_next() {
    let config = tempfile::tempdir().expect("tempdir");
    let mut term = Term::fantrack(config.path(), &[]);
    let screen = term.wait_for("Up next (release order)");
    assert!(
        screen.contains("▶ Bosch S01E01 Chapter One: 'Tis the Season"),
        "{screen}"
    );

    term.keys(&["o"]);
    term.wait_for("Bosch Universe watch order · release order");
    // The view opens on the next episode to watch; Space marks it right there.
    term.keys(&["Space"]);
    term.wait_for("Bosch S01E01 watched today");
    term.keys(&["o", "g"]);
    let screen = term.wait_for("Up next (release order)");
    assert!(
        screen.contains("▶ Bosch S01E02 Chapter Two: Lost Light"),
        "{screen}"
    );
    term.keys(&["q"]);
    assert!(term.wait_exit().success());

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_fantrack"))
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
    let mut term = Term::fantrack(config.path(), &[]);
    term.wait_for("Bosch Universe");
    term.keys(&["q"]);
    assert!(term.wait_exit().success());
    let path = config.path().join("fantrack").join("library.ron");
    let before = std::fs::read(&path).expect("created");

    let mut term = Term::fantrack_sized(
        config.path(),
        &[],
        &[("FANTRACK_TEST_PANIC_ON_KEY", "1")],
        120,
        35,
    );
    term.wait_for("Bosch Universe");
    term.keys(&["j"]);
    let status = term.wait_exit();
    assert_eq!(status.exit_code(), 101, "{status:?}");
    let screen = term.screen();
    assert!(screen.contains("a panic, on purpose"), "{screen}");
    assert!(!term.alternate_screen(), "left on the alternate screen");
    assert!(!term.mouse_reporting(), "mouse left on");
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "the file is intact"
    );
}

#[test]
fn record_a_renewal_with_its_source_from_the_news_form_and_find_it_after_a_restart() {
    let config = tempfile::tempdir().expect("tempdir");
    let mut term = Term::fantrack(config.path(), &[]);
    term.wait_for("Bosch Universe");
    // Franchise, Bosch, its 7 seasons, Legacy, its 3 seasons, then Ballard.
    term.keys(&["j"; 13]);
    term.keys(&["t"]);
    term.wait_for("News: Ballard");
    // Date (today) and kind (renewed) as they come; the text; the source; Enter applies.
    term.keys(&["Tab", "Tab"]);
    term.typed("Ballard renewed for season 2");
    term.keys(&["Tab"]);
    term.typed("https://tvline.com/ballard-renewed-season-2");
    term.keys(&["Enter"]);
    term.wait_for("news recorded (renewed)");
    term.keys(&["q"]);
    assert!(term.wait_exit().success());

    let today = fantrack::model::today();
    let mut term = Term::fantrack(config.path(), &[]);
    term.wait_for("Bosch Universe");
    // The selection comes back where it was: on Ballard.
    term.wait_for(&format!("season 2 · announced {today}"));
    term.keys(&["J"; 8]);
    let screen = term.wait_for("(tvline.com)");
    assert!(screen.contains("· yours"), "{screen}");
    assert!(screen.contains("Ballard renewed for season 2"), "{screen}");
    term.keys(&["q"]);
    assert!(term.wait_exit().success());

    let path = config.path().join("fantrack").join("library.ron");
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(
        text.contains("https://tvline.com/ballard-renewed-season-2"),
        "the file holds the source"
    );
    let library = fantrack::store::load(&path).expect("loads");
    let (f, s) = library.find_show("ballard").expect("ballard");
    let ballard = &library.franchises[f].shows[s];
    let event = ballard.events.iter().find(|e| e.yours).expect("the news");
    assert_eq!(event.what, "Ballard renewed for season 2");
    assert_eq!(event.date, Some(today));
    assert_eq!(
        event.sources,
        vec!["https://tvline.com/ballard-renewed-season-2"]
    );
    let renewal = ballard.renewal.clone().expect("renewal");
    assert_eq!((renewal.season, renewal.announced), (2, Some(today)));
}
