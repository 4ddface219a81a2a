//! `fantrack catalog diff` / `update` through the real binary, on a library made from an older
//! catalog with the user's marks and notes in it: one derived from the shipped catalog, and the
//! real version 1 catalog (`tests/data/catalog-v1.ron`, as fantrack shipped it) in use.

use std::path::Path;
use std::process::Command;

use fantrack::model::{Episode, Library};
use fantrack::store;
use jiff::civil::date;

fn fantrack(file: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_fantrack"))
        .arg("--file")
        .arg(file)
        .args(args)
        .env_remove("FANTRACK_FILE")
        .output()
        .expect("runs")
}

/// Every watch history, note and rating in the library, by where it is.
fn user_data(lib: &Library) -> Vec<(String, Vec<jiff::civil::Date>, String, Option<u8>)> {
    let mut out = Vec::new();
    for f in &lib.franchises {
        out.push((f.id.clone(), vec![], f.notes.clone(), None));
        for s in &f.shows {
            out.push((s.id.clone(), vec![], s.notes.clone(), None));
            for se in &s.seasons {
                let at = format!("{} S{}", s.id, se.number);
                out.push((at.clone(), vec![], se.notes.clone(), se.rating));
                for e in &se.episodes {
                    out.push((
                        format!("{at}E{}", e.number),
                        e.watched.clone(),
                        e.notes.clone(),
                        e.rating,
                    ));
                }
            }
        }
    }
    out
}

/// The shipped catalog as an older build would have shipped it, then used for a while.
fn older_library_in_use() -> Library {
    let mut lib = store::shipped_catalog();
    lib.catalog_version = Some(0);
    let shows = &mut lib.franchises[0].shows;
    shows.retain(|s| s.id != "bosch-start-of-watch");
    let ballard = shows
        .iter_mut()
        .find(|s| s.id == "ballard")
        .expect("ballard");
    ballard.seasons[0].episodes.retain(|e| e.number != 10);
    ballard.notes = "Maggie Q is perfect — \"Renée\"\nline two 日本語 🎬".into();
    ballard.seasons[0].episodes[1].watched = vec![date(2025, 7, 10), date(2025, 12, 24)];
    ballard.seasons[0].episodes[1].notes = "Bosch shows up!".into();
    ballard.seasons[0].episodes[1].rating = Some(5);
    ballard.seasons[0].rating = Some(4);
    let bosch = &mut lib.franchises[0].shows[0];
    bosch.seasons[5].episodes[2].title = None;
    for e in &mut bosch.seasons[0].episodes {
        e.watched.push(date(2016, 1, 2));
    }
    bosch.seasons[0].notes = "Season one notes".into();
    lib.franchises[0].notes = "My franchise notes".into();
    lib
}

#[test]
fn update_brings_in_the_new_catalog_and_every_mark_and_note_survives() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("library.ron");
    let before = older_library_in_use();
    store::save(&path, &before).expect("save");
    let old_bytes = std::fs::read(&path).expect("read");

    let out = fantrack(&path, &["catalog", "diff"]);
    assert!(out.status.success(), "{out:?}");
    let diff = String::from_utf8_lossy(&out.stdout);
    let header = format!("catalog version 0 → {}", store::CATALOG_VERSION);
    assert!(diff.contains(&header), "{diff}");
    assert!(
        diff.contains("Ballard S01E10 \"End of the Line\""),
        "{diff}"
    );
    assert!(diff.contains("Bosch: Start of Watch"), "{diff}");
    assert!(diff.contains("\"Three Widows\""), "{diff}");
    assert_eq!(
        std::fs::read(&path).expect("read"),
        old_bytes,
        "diff changes nothing"
    );

    let out = fantrack(&path, &["catalog", "update"]);
    assert!(out.status.success(), "{out:?}");
    let kept = dir.path().join("library.ron.catalog-0.bak");
    assert_eq!(std::fs::read(&kept).expect("copy kept"), old_bytes);

    let after = store::load(&path).expect("loads");
    assert_eq!(after.catalog_version, Some(store::CATALOG_VERSION));
    let after_data = user_data(&after);
    for entry in user_data(&before) {
        assert!(
            after_data.contains(&entry),
            "lost or changed by the update: {entry:?}"
        );
    }
    let ballard = after.franchises[0].show("ballard").expect("ballard");
    assert_eq!(ballard.seasons[0].episodes.len(), 10);
    assert!(after.franchises[0].show("bosch-start-of-watch").is_some());

    let out = fantrack(&path, &["check"]);
    assert!(out.status.success(), "{out:?}");
    let out = fantrack(&path, &["catalog", "diff"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("up to date"));
}

#[test]
fn a_library_from_a_newer_catalog_is_not_downgraded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("library.ron");
    let mut lib = store::shipped_catalog();
    lib.catalog_version = Some(99);
    store::save(&path, &lib).expect("save");
    let bytes = std::fs::read(&path).expect("read");
    let out = fantrack(&path, &["catalog", "update"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("newer than this build"));
    assert_eq!(std::fs::read(&path).expect("read"), bytes);
}

/// The version 1 catalog exactly as fantrack shipped it.
const CATALOG_V1: &str = include_str!("data/catalog-v1.ron");

fn episode_mut<'a>(lib: &'a mut Library, show: &str, season: u32, number: u32) -> &'a mut Episode {
    let (f, s) = lib.find_show(show).expect("show");
    lib.franchises[f].shows[s]
        .season_mut(season)
        .and_then(|se| se.episode_mut(number))
        .expect("episode")
}

/// What a fan did with a version 1 library: marks, notes, ratings and two hand edits, one of a
/// fact version 2 leaves alone (Bosch's network), one of a fact it brings (S06E05's title).
fn use_it(lib: &mut Library) {
    lib.franchises[0].notes = "Watching it all in order — 日本語 🎬".into();
    for n in 1..=10 {
        episode_mut(lib, "bosch", 1, n).watched = vec![date(2016, 1, n as i8)];
    }
    for n in 1..=3 {
        episode_mut(lib, "bosch", 6, n).watched = vec![date(2021, 2, n as i8)];
    }
    let e = episode_mut(lib, "bosch", 6, 3);
    e.watched.push(date(2024, 5, 1)); // a rewatch
    e.rating = Some(4);
    e.notes = "Three widows, \"one\" case\nsecond line".into();
    episode_mut(lib, "bosch", 6, 4).notes = "Next up, title unknown here".into();
    episode_mut(lib, "bosch", 6, 5).title = Some("Money Honey (my spelling)".into());
    episode_mut(lib, "ballard", 1, 2).rating = Some(5);
    let (f, s) = lib.find_show("bosch").expect("bosch");
    let bosch = &mut lib.franchises[f].shows[s];
    bosch.network = Some("Prime Video, on my TV".into());
    bosch.notes = "Titus forever".into();
    let season = bosch.season_mut(6).expect("season 6");
    season.rating = Some(5);
    season.notes = "The best season".into();
}

#[test]
fn the_version_1_catalog_kept_for_tests_is_the_one_updates_compare_with() {
    assert_eq!(
        CATALOG_V1,
        include_str!("../assets/catalog-v1.ron"),
        "tests/data/catalog-v1.ron and assets/catalog-v1.ron must both be version 1 as shipped"
    );
    let v1 = fantrack::catalog::past_catalog(1).expect("this build carries version 1");
    assert_eq!(v1.catalog_version, Some(1));
    assert_eq!(v1, ron::from_str::<Library>(CATALOG_V1).expect("parses"));
}

#[test]
fn a_version_1_library_in_use_gets_version_2_and_keeps_everything_of_its_users() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("library.ron");
    let mut before = store::parse(CATALOG_V1, &path).expect("version 1 parses");
    assert_eq!(before.catalog_version, Some(1));
    use_it(&mut before);
    store::save(&path, &before).expect("save");
    let old_bytes = std::fs::read(&path).expect("read");

    // What version 2 brings, listed and not applied.
    let out = fantrack(&path, &["catalog", "diff"]);
    assert!(out.status.success(), "{out:?}");
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(diff.starts_with("catalog version 1 → 2: "), "{diff}");
    for line in [
        r#"fact         Bosch S06E04: title unknown → "Part of the Deal""#,
        r#"fact         Bosch S06E08: title unknown → "Copy Cat""#,
        r#"fact         Bosch S01E04: directed by unknown → "Ernest Dickerson""#,
        r#"fact         Bosch S01E05: written by unknown → "William N. Fordes""#,
        "fact         Bosch S01E01: runtime unknown → 48 min",
        "fact         Bosch: Legacy S02E04: runtime unknown → 41 min",
        "fact         Bosch: events 9 entries → 10 entries",
        "fact         Ballard: events 6 entries → 8 entries",
        "fact         Ballard: cast updated (12 entries)",
        "fact         Bosch: Start of Watch: cast Cameron Monaghan as young Harry Bosch, Omari Hardwick as Officer Eli Bridges, JD Pardo as Cory → 4 entries",
        r#"fact         Bosch: Start of Watch: based on unknown → "No direct source novel: Connelly calls it "uncharted character territory"""#,
        r#"fact         Bosch S05E01: sources "https://harrybosch.fandom.com/wiki/Season_5" → "https://harrybosch.fandom.com/wiki/Season_5", "https://it.wikipedia.org/wiki/Episodi_di_Bosch_(quinta_stagione)""#,
        r#"kept yours   Bosch S06E05: title kept as you set it, "Money Honey (my spelling)" (catalog: "Money, Honey")"#,
    ] {
        assert!(
            diff.lines().any(|l| l.trim() == line),
            "missing {line:?} in:\n{diff}"
        );
    }
    // Measured against version 1, the corrected facts are not mistaken for the user's edits,
    // and the edit of a fact version 2 did not change is kept without a word.
    let kept: Vec<&str> = diff.lines().filter(|l| l.contains("kept yours")).collect();
    assert_eq!(
        kept.len(),
        1,
        "only the edited title is a conflict:\n{diff}"
    );
    assert!(!diff.contains("network"), "{diff}");
    assert_eq!(
        std::fs::read(&path).expect("read"),
        old_bytes,
        "diff changes nothing"
    );

    let out = fantrack(&path, &["catalog", "update"]);
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.starts_with("updated to catalog version 2: "), "{said}");
    let kept = dir.path().join("library.ron.catalog-1.bak");
    assert_eq!(std::fs::read(&kept).expect("copy kept"), old_bytes);

    // Exactly version 2 with the same use: every mark, note, rating and hand edit kept.
    let after = store::load(&path).expect("loads");
    let mut expected = store::shipped_catalog();
    use_it(&mut expected);
    assert_eq!(after.catalog_version, Some(2));
    assert_eq!(after, expected);
    assert_eq!(user_data(&after), user_data(&before));

    // Season 6 with its titles: in `list` (seasons), `next` and the file.
    let out = fantrack(&path, &["list"]);
    assert!(out.status.success(), "{out:?}");
    let list = String::from_utf8_lossy(&out.stdout);
    let season_6 = list
        .lines()
        .filter(|l| l.trim_start().starts_with("Season 6"))
        .collect::<Vec<_>>();
    assert!(
        season_6.iter().any(|l| l.trim_end().ends_with("3/10")),
        "Bosch season 6 with its 3 watched:\n{list}"
    );
    let out = fantrack(&path, &["next"]);
    let next = String::from_utf8_lossy(&out.stdout);
    assert!(
        next.lines().any(
            |l| l.starts_with("Bosch ") && l.contains("S06E04  Part of the Deal  (2020-04-16)")
        ),
        "{next}"
    );
    let text = std::fs::read_to_string(&path).expect("read");
    for title in [
        "Part of the Deal",
        "Money Honey (my spelling)",
        "The Ace Hotel",
        "Hard Feelings",
        "Copy Cat",
    ] {
        assert!(
            text.contains(&format!("title: Some(\"{title}\")")),
            "{title} in the file"
        );
    }
    let bosch = after.franchises[0].show("bosch").expect("bosch");
    let titles: Vec<String> = bosch.seasons[5]
        .episodes
        .iter()
        .map(|e| e.display_title())
        .collect();
    assert_eq!(
        titles,
        [
            "The Overlook",
            "Good People on Both Sides",
            "Three Widows",
            "Part of the Deal",
            "Money Honey (my spelling)",
            "The Ace Hotel",
            "Hard Feelings",
            "Copy Cat",
            "Dark Sacred Night",
            "Some Measure of Justice",
        ]
    );

    let out = fantrack(&path, &["check"]);
    assert!(out.status.success(), "{out:?}");
    // Nothing left to do, and a second update changes nothing at all.
    let out = fantrack(&path, &["catalog", "diff"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "up to date with the shipped catalog (version 2)\n"
    );
    let bytes = std::fs::read(&path).expect("read");
    let out = fantrack(&path, &["catalog", "update"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "up to date with the shipped catalog (version 2)\n"
    );
    assert_eq!(std::fs::read(&path).expect("read"), bytes);
}
