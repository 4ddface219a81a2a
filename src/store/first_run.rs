//! The first run: the library opened, or created from the shipped catalog when there is none.

use std::fs;
use std::path::Path;

use thiserror::Error;

use super::load::{load, parse};
use super::lock::{LOCK_WAIT, lock};
use super::path::resolve;
use super::replace::{Expect, Replaced, replace};
use super::write::write_text;
use super::{CATALOG, LoadError, SaveError};
use crate::model::Library;

/// The result of opening the library: loaded, or created from the shipped catalog.
pub enum Opened {
    Loaded(Library),
    Created(Library),
}

/// Loads the library at `path`, or, when no file exists there, writes the shipped catalog
/// there first. Never writes over an existing file.
pub fn open(path: &Path) -> Result<Opened, OpenError> {
    if path.exists() {
        return Ok(Opened::Loaded(load(path)?));
    }
    let save_err = |source| SaveError {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(save_err)?;
    }
    // Two first runs at once: only one creates the file, the other loads what it made.
    let _lock = lock(path, LOCK_WAIT).map_err(save_err)?;
    if fs::symlink_metadata(path).is_ok() {
        return Ok(Opened::Loaded(load(path)?));
    }
    let library = shipped_catalog();
    // Only where there is still nothing: a file an editor made meanwhile is loaded instead.
    match replace(
        &resolve(path),
        &mut |out| write_text(&library, out),
        false,
        Expect::Missing,
        &mut |_| {},
    )
    .map_err(save_err)?
    {
        Replaced::Done { .. } => Ok(Opened::Created(library)),
        Replaced::Moved(_) => Ok(Opened::Loaded(load(path)?)),
    }
}

#[derive(Debug, Error)]
pub enum OpenError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Save(#[from] SaveError),
}

/// The shipped catalog as a library. It is checked by tests, so a failure here is a build bug.
pub fn shipped_catalog() -> Library {
    #[allow(clippy::expect_used)]
    parse(CATALOG, Path::new("assets/bosch-universe.ron")).expect("the shipped catalog is valid")
}
