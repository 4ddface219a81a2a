//! The edit verbs of the real binary: `set`, `news`, `add show|season|episode`, `remove`, and
//! the watch-date fixes (`watch --replace`, `unwatch --date`). Every verb is tried on a temporary
//! library; every bad input must exit 1 with one `fantrack: ` line saying the expected form,
//! and leave the file's bytes exactly as they were.
//!
//! Each child gets HOME and XDG_CONFIG_HOME inside the temporary directory, no FANTRACK_FILE
//! and no terminal on stdin, so nothing touches the real config dir and nothing asks.

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use fantrack::model::{EventKind, Library, Show, Status};
use fantrack::store;
use jiff::civil::date;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_fantrack");

/// A temporary library holding the shipped catalog.
struct Lib {
    dir: TempDir,
    path: PathBuf,
}

impl Lib {
    fn new() -> Lib {
        Lib::with(store::shipped_catalog())
    }

    fn with(library: Library) -> Lib {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("library.ron");
        fs::write(&path, store::to_text(&library).expect("text")).expect("write");
        Lib { dir, path }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .arg("--file")
            .arg(&self.path)
            .args(args)
            .env_remove(store::FILE_ENV)
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join(".config"))
            .env("FANTRACK_CACHE_DIR", self.dir.path().join("cache"))
            .stdin(Stdio::null())
            .output()
            .expect("runs")
    }

    /// Runs `args`, which must succeed; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    }

    /// Runs `args`, which must fail with exit 1 and one line on stderr, leaving the file's
    /// bytes unchanged; returns that line.
    fn fails(&self, args: &[&str]) -> String {
        let before = fs::read(&self.path).expect("read");
        let out = self.run(args);
        let err = String::from_utf8(out.stderr).expect("utf-8");
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: not one line: {err}");
        assert!(err.starts_with("fantrack: "), "{err}");
        assert!(out.stdout.is_empty(), "{args:?} printed on stdout");
        assert_eq!(
            fs::read(&self.path).expect("read"),
            before,
            "{args:?} changed the file"
        );
        err
    }

    fn library(&self) -> Library {
        store::load(&self.path).expect("the file loads")
    }

    fn show(&self, id: &str) -> Show {
        let library = self.library();
        let (f, s) = library.find_show(id).expect("show");
        library.show_at(f, s).expect("show").clone()
    }
}

#[test]
fn set_changes_facts_of_a_show_a_season_and_an_episode() {
    let lib = Lib::new();
    let out = lib.ok(&["set", "ballard", "status", "cancelled"]);
    assert_eq!(out, "Ballard: status renewed → cancelled\n");
    lib.ok(&[
        "set",
        "ballard",
        "renewal",
        "3",
        "--announced",
        "2025-10-06",
    ]);
    lib.ok(&["set", "ballard", "rt", "98", "unknown"]);
    lib.ok(&["set", "ballard", "network", "Prime", "Video"]);
    lib.ok(&["set", "ballard", "title", "Ballard (2025)"]);
    lib.ok(&["set", "ballard", "creators", "A One", "B Two"]);
    lib.ok(&["set", "ballard", "based-on", "none"]);
    lib.ok(&["set", "ballard", "finale", "2026-01-02"]);
    lib.ok(&["set", "ballard", "premiere", "2025-07-09"]);
    lib.ok(&["set", "ballard", "origin", "sequel", "bosch"]);
    lib.ok(&["set", "ballard", "S01", "premiere", "2025-07-08"]);
    lib.ok(&["set", "ballard", "S01", "rt", "90", "80"]);
    lib.ok(&["set", "ballard", "S01", "adapts", "The Late Show"]);
    lib.ok(&["set", "ballard", "S01E03", "title", "My", "Title"]);
    lib.ok(&["set", "ballard", "s1e3", "aired", "2025-07-10"]);
    lib.ok(&["set", "ballard", "S01E03", "runtime", "47"]);
    lib.ok(&["set", "ballard", "S01E03", "directed", "Someone"]);
    lib.ok(&["set", "ballard", "S01E03", "written", "Someone Else"]);

    let show = lib.show("ballard");
    assert_eq!(show.status, Status::Cancelled);
    let renewal = show.renewal.clone().expect("renewal");
    assert_eq!(
        (renewal.season, renewal.announced),
        (3, Some(date(2025, 10, 6)))
    );
    let rt = show.rotten_tomatoes.clone().expect("rt");
    assert_eq!((rt.tomatometer, rt.popcornmeter), (Some(98), None));
    assert_eq!(show.network.as_deref(), Some("Prime Video"));
    assert_eq!(show.title, "Ballard (2025)");
    assert_eq!(show.creators, ["A One", "B Two"]);
    assert_eq!(show.based_on, None);
    assert_eq!(show.finale, Some(date(2026, 1, 2)));
    assert_eq!(show.origin.as_ref().map(|o| o.show.as_str()), Some("bosch"));
    let s1 = show.season(1).expect("s1");
    assert_eq!(s1.premiere, Some(date(2025, 7, 8)));
    assert_eq!(
        s1.rotten_tomatoes.as_ref().and_then(|s| s.popcornmeter),
        Some(80)
    );
    assert_eq!(s1.adapts, ["The Late Show"]);
    let e3 = s1.episode(3).expect("e3");
    assert_eq!(e3.title.as_deref(), Some("My Title"));
    assert_eq!(e3.air_date, Some(date(2025, 7, 10)));
    assert_eq!(e3.runtime, Some(47));
    assert_eq!(e3.directed_by.as_deref(), Some("Someone"));
    assert_eq!(e3.written_by.as_deref(), Some("Someone Else"));

    // The same value again changes nothing, not even the file's time.
    let before = fs::read(&lib.path).expect("read");
    let out = lib.ok(&["set", "ballard", "status", "cancelled"]);
    assert!(out.contains("already cancelled"), "{out}");
    assert_eq!(fs::read(&lib.path).expect("read"), before);
}

#[test]
fn set_refuses_bad_input_with_the_expected_form_and_changes_nothing() {
    let lib = Lib::new();
    let cases: &[(&[&str], &str)] = &[
        (
            &["set", "balard", "status", "ended"],
            "did you mean ballard",
        ),
        (
            &["set", "ballard", "colour", "red"],
            "the fields are: title, network, status",
        ),
        (
            &["set", "ballard", "S01", "title", "x"],
            "the fields are: premiere, rt, adapts",
        ),
        (
            &["set", "ballard", "S01E03", "status", "x"],
            "title, aired, runtime",
        ),
        (
            &["set", "ballard", "premiere", "2025-02-30"],
            "dates are YYYY-MM-DD",
        ),
        (
            &["set", "ballard", "premiere", "9 July"],
            "dates are YYYY-MM-DD",
        ),
        (&["set", "ballard", "rt", "101"], "scores are 0–100"),
        (
            &["set", "ballard", "S01", "rt", "50", "101"],
            "scores are 0–100",
        ),
        (
            &["set", "ballard", "status", "paused"],
            "upcoming, running, renewed",
        ),
        (
            &["set", "ballard", "renewal", "two"],
            "season numbers are whole numbers",
        ),
        (
            &[
                "set",
                "ballard",
                "renewal",
                "2",
                "--announced",
                "2025-13-01",
            ],
            "dates are YYYY-MM-DD",
        ),
        (&["set", "ballard", "title", " "], "needs a value"),
        (
            &["set", "ballard", "S09", "premiere", "2025-01-01"],
            "has no season 9",
        ),
        (&["set", "ballard", "S01E99", "title", "x"], "has no S01E99"),
        (
            &["set", "ballard", "S01E03", "runtime", "0"],
            "runtimes are minutes",
        ),
        (
            &["set", "ballard", "origin", "sibling", "bosch"],
            "spin-off, sequel, prequel",
        ),
        (
            &["set", "ballard", "origin", "spin-off", "ballard"],
            "names itself",
        ),
        (&["set", "ballard", "status"], "needs a value"),
    ];
    for (args, expected) in cases {
        let err = lib.fails(args);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
}

#[test]
fn set_cast_adds_an_actor_changes_a_role_and_removes_one() {
    let lib = Lib::new();
    let cast = |lib: &Lib| -> Vec<(String, Option<String>)> {
        lib.show("ballard")
            .cast
            .into_iter()
            .map(|r| (r.actor, r.character))
            .collect()
    };
    let before = cast(&lib);
    let out = lib.ok(&[
        "set",
        "ballard",
        "cast",
        "add",
        "Jane",
        "Doe",
        "--as",
        "Det. Someone",
    ]);
    assert_eq!(
        out,
        "Ballard: cast without Jane Doe → Jane Doe as Det. Someone\n"
    );
    let after = cast(&lib);
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(
        after.last(),
        Some(&("Jane Doe".to_string(), Some("Det. Someone".to_string())))
    );
    assert_eq!(
        &after[..before.len()],
        &before[..],
        "the others stay, in order"
    );

    // `add` on a name in the cast (whatever its case) changes the role, in place.
    let out = lib.ok(&[
        "set",
        "ballard",
        "cast",
        "add",
        "maggie q",
        "--as",
        "Renée Ballard",
    ]);
    assert_eq!(
        out,
        "Ballard: cast Maggie Q as Det. Renée Ballard → Maggie Q as Renée Ballard\n"
    );
    let maggie = cast(&lib)
        .into_iter()
        .position(|(a, _)| a == "Maggie Q")
        .expect("still there");
    assert_eq!(
        maggie,
        before
            .iter()
            .position(|(a, _)| a == "Maggie Q")
            .expect("was there")
    );
    assert_eq!(
        cast(&lib)[maggie].1.as_deref(),
        Some("Renée Ballard"),
        "the role changed"
    );
    // Without --as the role stays; nothing is written.
    let bytes = fs::read(&lib.path).expect("read");
    let out = lib.ok(&["set", "ballard", "cast", "add", "Maggie Q"]);
    assert_eq!(out, "Ballard: cast is already Maggie Q as Renée Ballard\n");
    assert_eq!(fs::read(&lib.path).expect("read"), bytes);
    // `--as none` leaves the actor without a role.
    lib.ok(&["set", "ballard", "cast", "add", "Jane Doe", "--as", "none"]);
    assert_eq!(cast(&lib).last(), Some(&("Jane Doe".to_string(), None)));

    let out = lib.ok(&["set", "ballard", "cast", "remove", "Jane Doe"]);
    assert_eq!(out, "Ballard: cast Jane Doe → without Jane Doe\n");
    let out = lib.ok(&["set", "ballard", "cast", "remove", "Maggie", "Q"]);
    assert!(out.contains("without Maggie Q"), "{out}");
    let after = cast(&lib);
    assert_eq!(after.len(), before.len() - 1);
    assert!(after.iter().all(|(a, _)| a != "Maggie Q"));
    let out = lib.ok(&["check"]);
    assert!(out.starts_with("ok: "), "{out}");
}

#[test]
fn set_cast_refuses_bad_input_and_changes_nothing() {
    let lib = Lib::new();
    let cases: &[(&[&str], &str)] = &[
        (
            &["set", "balard", "cast", "add", "Jane Doe"],
            "did you mean ballard",
        ),
        (
            &["set", "ballard", "cast", "remove", "Nobody Here"],
            "Ballard has no \"Nobody Here\" in its cast",
        ),
        (
            &["set", "ballard", "cast", "add", " "],
            "an actor's name cannot be empty",
        ),
        (
            &["set", "ballard", "cast", "remove"],
            "an actor's name cannot be empty",
        ),
        (
            &["set", "ballard", "cast", "add", "Jane Doe", "--as", " "],
            "a role cannot be empty",
        ),
        (
            &["set", "ballard", "cast", "Jane Doe"],
            "cast takes add NAME [--as ROLE] or remove NAME",
        ),
        (&["set", "ballard", "cast"], "cast takes add NAME"),
        (
            &["set", "ballard", "cast", "remove", "Maggie Q", "--as", "x"],
            "--as goes with cast add",
        ),
        (
            &["set", "ballard", "status", "ended", "--as", "x"],
            "--as goes with cast add",
        ),
        (
            &["set", "ballard", "S01", "cast", "add", "x", "--as", "y"],
            "--as goes with the show's cast field",
        ),
        (
            &["set", "ballard", "S01", "cast", "add", "x"],
            "the fields are: premiere, rt, adapts",
        ),
        (
            &["set", "ballard", "colour", "red"],
            "creators, cast, based-on",
        ),
    ];
    for (args, expected) in cases {
        let err = lib.fails(args);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
}

#[test]
fn news_is_a_dated_event_of_yours_with_its_source_and_can_apply_its_fact() {
    let lib = Lib::new();
    lib.ok(&["set", "ballard", "status", "running"]);
    lib.ok(&["set", "ballard", "renewal", "none"]);
    let out = lib.ok(&[
        "news",
        "ballard",
        "--date",
        "2025-10-07",
        "--kind",
        "renewed",
        "Renewed for season 2",
        "--source",
        "https://tvline.com/ballard-renewed",
        "--apply",
    ]);
    assert!(out.contains("news recorded"), "{out}");
    assert!(out.contains("status running → renewed"), "{out}");
    let show = lib.show("ballard");
    assert_eq!(show.status, Status::Renewed);
    let renewal = show.renewal.clone().expect("renewal");
    assert_eq!(
        (renewal.season, renewal.announced),
        (2, Some(date(2025, 10, 7)))
    );
    let event = show.events.iter().find(|e| e.yours).expect("the news");
    assert_eq!(event.kind, EventKind::Renewed);
    assert_eq!(event.date, Some(date(2025, 10, 7)));
    assert_eq!(event.what, "Renewed for season 2");
    assert_eq!(event.sources, ["https://tvline.com/ballard-renewed"]);
    // It sits among the catalog's events by date.
    let at = show.events.iter().position(|e| e.yours).expect("mine");
    assert!(
        show.events[..at]
            .iter()
            .all(|e| e.date.is_none_or(|d| d <= date(2025, 10, 7)))
    );
    let text = fs::read_to_string(&lib.path).expect("read");
    assert!(text.contains("https://tvline.com/ballard-renewed"));
    assert!(text.contains("yours: true"));

    // The other kinds that change a fact.
    lib.ok(&[
        "news",
        "ballard",
        "--date",
        "2025-11-01",
        "--kind",
        "score",
        "Now 98%",
        "--apply",
        "--rt",
        "98",
    ]);
    assert_eq!(
        lib.show("ballard")
            .rotten_tomatoes
            .and_then(|s| s.tomatometer),
        Some(98)
    );
    lib.ok(&[
        "news",
        "ballard",
        "--date",
        "2025-11-02",
        "--kind",
        "premiere-date-set",
        "Season 2 premieres in July",
        "--apply",
        "--premiere",
        "2026-07-01",
    ]);
    let show = lib.show("ballard");
    assert_eq!(
        show.season(2).and_then(|s| s.premiere),
        Some(date(2026, 7, 1))
    );
    lib.ok(&[
        "news",
        "ballard",
        "--date",
        "2025-12-01",
        "--kind",
        "cancelled",
        "Cancelled",
        "--apply",
    ]);
    assert_eq!(lib.show("ballard").status, Status::Cancelled);
    // Without --apply only the event is recorded.
    lib.ok(&["news", "bosch", "--kind", "cast", "A new face"]);
    let bosch = lib.show("bosch");
    assert!(
        bosch
            .events
            .iter()
            .any(|e| e.yours && e.kind == EventKind::Cast)
    );
    let shipped = store::shipped_catalog();
    let (f, s) = shipped.find_show("bosch").expect("bosch");
    assert_eq!(bosch.status, shipped.franchises[f].shows[s].status);
}

#[test]
fn news_refuses_bad_input_and_changes_nothing() {
    let lib = Lib::new();
    let cases: &[(&[&str], &str)] = &[
        (&["news", "nobody-at-all", "x"], "no show"),
        (
            &["news", "ballard", "--kind", "rumour", "x"],
            "renewed, cancelled, ordered",
        ),
        (
            &["news", "ballard", "--date", "2025-02-30", "x"],
            "dates are YYYY-MM-DD",
        ),
        (
            &["news", "ballard", "--source", "tvline.com/x", "x"],
            "https://",
        ),
        (
            &["news", "ballard", "--kind", "cast", "--apply", "x"],
            "changes no fact",
        ),
        (
            &[
                "news", "ballard", "x", "--kind", "score", "--apply", "--rt", "101",
            ],
            "scores are 0–100",
        ),
        (
            &["news", "ballard", "--kind", "score", "--apply", "x"],
            "needs --rt",
        ),
        (
            &[
                "news",
                "ballard",
                "--kind",
                "premiere-date-set",
                "--apply",
                "x",
            ],
            "needs --premiere",
        ),
        (&["news", "ballard", "x", "--rt", "90"], "go with --apply"),
        (&["news", "ballard", " "], "cannot be empty"),
    ];
    for (args, expected) in cases {
        let err = lib.fails(args);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
}

#[test]
fn add_makes_shows_seasons_and_episodes_with_ids_that_never_collide() {
    let lib = Lib::new();
    let out = lib.ok(&[
        "add",
        "show",
        "--franchise",
        "Slow Horses",
        "--title",
        "Slow Horses",
    ]);
    assert_eq!(
        out,
        "added \"Slow Horses\" (slow-horses) to the franchise \"Slow Horses\" (new)\n"
    );
    let out = lib.ok(&[
        "add",
        "show",
        "--franchise",
        "slow horses",
        "--title",
        "Slow Horses",
    ]);
    assert!(out.contains("(slow-horses-2)"), "{out}");
    assert!(!out.contains("(new)"), "{out}");
    // Nobody said whether it runs: the status stays unknown, never a guess.
    assert_eq!(lib.show("slow-horses").status, Status::Unknown);
    assert!(
        lib.ok(&["show", "slow-horses"])
            .contains("Status          unknown")
    );
    lib.ok(&["add", "season", "slow-horses"]);
    lib.ok(&[
        "add",
        "season",
        "slow-horses",
        "2",
        "--premiere",
        "2022-12-02",
    ]);
    lib.ok(&[
        "add",
        "episode",
        "slow-horses",
        "S01E01",
        "--title",
        "Failure's Contagious",
        "--aired",
        "2022-04-01",
        "--runtime",
        "45",
    ]);
    let out = lib.ok(&["add", "episode", "slow-horses", "S01"]);
    assert_eq!(out, "Slow Horses: S01E02 added\n");
    lib.ok(&["add", "episode", "slow-horses", "S02E01"]);
    // A spin-off goes in the franchise of the show it grew out of.
    let out = lib.ok(&[
        "add",
        "show",
        "--title",
        "Renée",
        "--spin-off-of",
        "ballard",
        "--status",
        "upcoming",
    ]);
    assert!(out.contains("Bosch Universe"), "{out}");

    let library = lib.library();
    let f = library
        .franchises
        .iter()
        .find(|f| f.id == "slow-horses")
        .expect("the new franchise");
    assert_eq!(f.title, "Slow Horses");
    assert_eq!(f.shows.len(), 2);
    let show = lib.show("slow-horses");
    assert_eq!(
        show.seasons.iter().map(|s| s.number).collect::<Vec<_>>(),
        [1, 2]
    );
    assert_eq!(
        show.season(2).and_then(|s| s.premiere),
        Some(date(2022, 12, 2))
    );
    let e1 = show.season(1).and_then(|s| s.episode(1)).expect("e1");
    assert_eq!(e1.title.as_deref(), Some("Failure's Contagious"));
    assert_eq!(
        (e1.air_date, e1.runtime),
        (Some(date(2022, 4, 1)), Some(45))
    );
    assert_eq!(show.season(1).expect("s1").episodes.len(), 2);
    let renee = lib.show("ren\u{e9}e");
    assert_eq!(renee.status, Status::Upcoming);
    assert_eq!(renee.origin.map(|o| o.show), Some("ballard".to_string()));
    let out = lib.ok(&["check"]);
    assert!(out.starts_with("ok: "), "{out}");
}

#[test]
fn add_refuses_duplicates_and_bad_values_and_changes_nothing() {
    let lib = Lib::new();
    let cases: &[(&[&str], &str)] = &[
        (&["add", "episode", "ballard", "S01E03"], "already exists"),
        (&["add", "season", "ballard", "1"], "already has season 1"),
        (&["add", "episode", "ballard", "S07E01"], "has no season 7"),
        (
            &["add", "episode", "ballard", "S01E11", "--aired", "2025-7-1"],
            "dates are YYYY-MM-DD",
        ),
        (&["add", "episode", "ballard", "E11"], "write S01 or S01E03"),
        (
            &["add", "episode", "balard", "S01E11"],
            "did you mean ballard",
        ),
        (
            &["add", "season", "ballard", "zero"],
            "season numbers are whole numbers",
        ),
        (&["add", "show", "--title", "X"], "--franchise"),
        (
            &["add", "show", "--franchise", "F", "--title", " "],
            "title cannot be empty",
        ),
        (
            &[
                "add",
                "show",
                "--franchise",
                "F",
                "--title",
                "X",
                "--status",
                "maybe",
            ],
            "upcoming, running",
        ),
        (
            &[
                "add",
                "show",
                "--franchise",
                "New One",
                "--title",
                "X",
                "--spin-off-of",
                "ballard",
            ],
            "no franchise",
        ),
    ];
    for (args, expected) in cases {
        let err = lib.fails(args);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
}

#[test]
fn remove_says_what_goes_asks_for_yes_and_keeps_the_deletion_through_catalog_update() {
    let mut library = store::shipped_catalog();
    // Catalog origin unknown: a deleted catalog item is always reported by `catalog update`.
    library.catalog_version = None;
    let lib = Lib::with(library);
    lib.ok(&["watch", "ballard", "S01E01", "--date", "2025-07-10"]);
    lib.ok(&["watch", "ballard", "S01E02", "--date", "2025-07-11"]);
    lib.ok(&["watch", "ballard", "S01E03", "--date", "2025-07-12"]);
    let err = lib.fails(&["remove", "ballard"]);
    assert!(
        err.contains("Ballard: 1 season, 10 episodes, 3 watched, 0 notes"),
        "{err}"
    );
    assert!(err.contains("run again with --yes"), "{err}");
    let err = lib.fails(&["remove", "ballard", "S01E02"]);
    assert!(err.contains("Ballard S01E02: 1 watched, 0 notes"), "{err}");
    lib.fails(&["remove", "ballard", "S03", "--yes"]);
    lib.fails(&["remove", "balard", "--yes"]);

    lib.ok(&["remove", "ballard", "S01E10", "--yes"]);
    assert!(
        lib.show("ballard")
            .season(1)
            .and_then(|s| s.episode(10))
            .is_none()
    );
    let out = lib.ok(&["remove", "ballard", "--yes"]);
    assert!(
        out.starts_with("deleted Ballard: 1 season, 9 episodes, 3 watched"),
        "{out}"
    );
    let library = lib.library();
    assert!(library.find_show("ballard").is_none());
    assert!(
        library.removed.contains("show:ballard"),
        "{:?}",
        library.removed
    );
    assert!(library.removed.contains("episode:ballard/1/10"));

    // A show others grow out of: they now grow out of its parent (or nothing).
    let out = lib.ok(&["remove", "bosch", "--yes"]);
    assert!(
        out.contains("Bosch: Legacy now grows out of nothing"),
        "{out}"
    );
    assert!(lib.show("bosch-legacy").origin.is_none());

    let out = lib.ok(&["catalog", "update"]);
    assert!(out.contains("Ballard: kept deleted"), "{out}");
    assert!(out.contains("Bosch: kept deleted"), "{out}");
    let library = lib.library();
    assert!(library.find_show("ballard").is_none(), "Ballard came back");
    assert!(library.find_show("bosch").is_none(), "Bosch came back");
    let out = lib.ok(&["check"]);
    assert!(out.starts_with("ok: "), "{out}");
}

#[test]
fn watch_dates_are_fixed_one_viewing_at_a_time() {
    let lib = Lib::new();
    lib.ok(&["watch", "ballard", "S01E03", "--date", "2025-07-10"]);
    lib.ok(&[
        "watch",
        "ballard",
        "S01E03",
        "--date",
        "2025-08-01",
        "--again",
    ]);
    let out = lib.ok(&[
        "watch",
        "ballard",
        "S01E03",
        "--date",
        "2025-07-12",
        "--replace",
        "2025-07-10",
    ]);
    assert_eq!(
        out,
        "Ballard S01E03: the viewing of 2025-07-10 is now on 2025-07-12\n"
    );
    let watched = |lib: &Lib| {
        lib.show("ballard")
            .season(1)
            .and_then(|s| s.episode(3))
            .expect("e3")
            .watched
            .clone()
    };
    assert_eq!(watched(&lib), [date(2025, 7, 12), date(2025, 8, 1)]);
    let out = lib.ok(&["unwatch", "ballard", "S01E03", "--date", "2025-08-01"]);
    assert!(out.contains("removed; 1 left"), "{out}");
    assert_eq!(watched(&lib), [date(2025, 7, 12)]);

    let err = lib.fails(&["unwatch", "ballard", "S01E03", "--date", "2025-01-01"]);
    assert!(
        err.contains("has no viewing on 2025-01-01; its viewings: 2025-07-12"),
        "{err}"
    );
    let err = lib.fails(&[
        "watch",
        "ballard",
        "S01E03",
        "--date",
        "2025-07-13",
        "--replace",
        "2024-01-01",
    ]);
    assert!(err.contains("no viewing on 2024-01-01"), "{err}");
    let err = lib.fails(&["unwatch", "ballard", "S01E04", "--date", "2025-01-01"]);
    assert!(err.contains("is not watched"), "{err}");
    // A date before the episode aired is recorded with a warning.
    let out = lib.run(&[
        "watch",
        "ballard",
        "S01E03",
        "--date",
        "2020-01-01",
        "--replace",
        "2025-07-12",
    ]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("before the episode aired"));
    assert_eq!(watched(&lib), [date(2020, 1, 1)]);
}

#[test]
fn a_file_written_by_every_verb_loads_and_checks_ok() {
    let lib = Lib::new();
    lib.ok(&[
        "add",
        "show",
        "--franchise",
        "Slow Horses",
        "--title",
        "Slow Horses",
        "--network",
        "Apple TV+",
    ]);
    lib.ok(&["add", "season", "slow-horses"]);
    lib.ok(&["add", "season", "slow-horses"]);
    for code in ["S01E01", "S01", "S02"] {
        lib.ok(&["add", "episode", "slow-horses", code]);
    }
    lib.ok(&[
        "set",
        "slow-horses",
        "S01E01",
        "title",
        "Failure's Contagious",
    ]);
    lib.ok(&[
        "news",
        "slow-horses",
        "--kind",
        "renewed",
        "Renewed for season 3",
        "--apply",
        "--source",
        "https://example.org/sh",
    ]);
    lib.ok(&["watch", "slow-horses", "S01E01", "--date", "2024-01-01"]);
    lib.ok(&["remove", "slow-horses", "S02E01", "--yes"]);
    lib.ok(&["remove", "ballard", "S01", "--yes"]);
    let out = lib.ok(&["check"]);
    assert!(out.starts_with("ok: "), "{out}");
    assert!(!out.contains("warning"), "{out}");
    let library = lib.library();
    assert!(library.removed.contains("season:ballard/1"));
    let text = fs::read_to_string(&lib.path).expect("read");
    assert_eq!(
        store::parse(&text, &lib.path).expect("parses"),
        library,
        "the file reads back as written"
    );
    assert_eq!(store::to_text(&library).expect("text"), text);
    let sh = lib.show("slow-horses");
    assert_eq!(sh.status, Status::Renewed);
    assert_eq!(sh.renewal.map(|r| r.season), Some(3));
}

#[test]
fn remove_drops_the_watch_order_keys_of_what_went() {
    let mut library = store::shipped_catalog();
    library.franchises[0].watch_order = ["bosch S01E01", "ballard S01E01", "ballard S01E02"]
        .map(String::from)
        .to_vec();
    let lib = Lib::with(library);
    lib.ok(&["remove", "ballard", "S01E02", "--yes"]);
    assert_eq!(
        lib.library().franchises[0].watch_order,
        ["bosch S01E01", "ballard S01E01"]
    );
    lib.ok(&["remove", "ballard", "--yes"]);
    assert_eq!(lib.library().franchises[0].watch_order, ["bosch S01E01"]);
    let out = lib.run(&["check"]);
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
