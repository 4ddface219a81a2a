//! The app without a terminal, as the in-process tests build and drive it: a fresh app over
//! the shipped catalog in a temporary directory, and moving the selection by label.
#![allow(dead_code)] // each test file uses its own part of this

use std::path::Path;

use fantrack::action::Action;
use fantrack::app::{App, Setup};
use fantrack::store;
use jiff::civil::{Date, date};

/// The day the tests' watches are logged on.
pub const TODAY: Date = date(2026, 11, 26);

/// An app over the file at `path`, stamped as `App::open` does it (so an idle look finds the
/// file its own), otherwise set up as `setup` says.
pub fn app_over(path: &Path, setup: Setup) -> App {
    let (library, stamp) = store::load_stamped(path).expect("load_stamped");
    let setup = Setup {
        stamp: Some(stamp),
        ..setup
    };
    App::with(library, path.to_path_buf(), TODAY, setup)
}

/// A fresh app over the shipped catalog, saving into a temporary directory, set up as `setup`
/// says.
pub fn app_with(setup: Setup) -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("library.ron");
    store::save(&path, &store::shipped_catalog()).expect("save");
    (app_over(&path, setup), dir)
}

/// A fresh app over the shipped catalog, saving inline into a temporary directory.
pub fn app() -> (App, tempfile::TempDir) {
    app_with(Setup::default())
}

/// Moves down until the selection's label is `label`.
pub fn select(app: &mut App, label: &str) {
    app.update(Action::First);
    for _ in 0..app.rows().len() {
        if app.selected().map(|id| app.label(id)).as_deref() == Some(label) {
            return;
        }
        app.update(Action::Down);
    }
    panic!("{label} is not visible");
}
