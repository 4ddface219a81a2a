//! `fantrack catalog diff` / `update` through the real binary, on a library made from an older
//! catalog with the user's marks and notes in it.

use std::path::Path;
use std::process::Command;

use fantrack::model::Library;
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
    assert!(diff.contains("catalog version 0 → 1"), "{diff}");
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
    assert_eq!(after.catalog_version, Some(1));
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
