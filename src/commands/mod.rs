//! The plain-text subcommands. Each returns the text to print, or an error message for stderr.
//!
//! - `check`    `check`: the sums and the watch-order warnings
//! - `view`     `list`, `show`, `next`
//! - `watch`    `watch` / `unwatch`
//! - `restore`  `restore-backup`
//! - `catalog`  `catalog diff|update`
//! - `stats`    `stats`
//! - `json`     the `--json` documents

mod catalog;
mod check;
mod json;
mod restore;
mod stats;
mod view;
mod watch;

use std::path::Path;

use crate::model::Library;
use crate::store::{self, Opened};

pub use crate::error::Result;

pub use catalog::{catalog_diff, catalog_diff_json, catalog_update};
pub use check::{CheckReport, CheckWarning, check, check_report};
pub(crate) use json::to_json;
pub use json::{check_json, list_json, next_json, path_json, show_json, stats_json};
pub use restore::restore_backup;
pub use stats::stats;
pub use view::{NEXT_RULE, NextEpisode, list, named_show, next, next_episodes, show};
pub use watch::{Watched, set_watched, watch_episode};

/// Opens the library, creating it from the shipped catalog on first run (said on stderr).
pub fn open(path: &Path) -> Result<Library> {
    match store::open(path)? {
        Opened::Loaded(library) => Ok(library),
        Opened::Created(library) => {
            eprintln!(
                "fantrack: created {} with the shipped Bosch universe catalog",
                path.display()
            );
            Ok(library)
        }
    }
}
