//! Where the library file is: the path from the flag, the environment or the config dir, with
//! symlinks followed.

use std::fs;
use std::path::{Path, PathBuf};

use super::FILE_ENV;

/// The library file path: `--file` > `$FANTRACK_FILE` > the platform config dir.
pub fn resolve_path(flag: Option<PathBuf>) -> Result<PathBuf, String> {
    if let Some(p) = flag {
        return Ok(p);
    }
    if let Some(p) = std::env::var_os(FILE_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "fantrack")
        .map(|d| d.config_dir().join("library.ron"))
        .ok_or_else(|| "cannot find a home directory for the library file; use --file".to_string())
}

/// When `path` is a symlink (or a chain of them) whose final target does not exist: that
/// target.
pub fn dangling_link(path: &Path) -> Option<PathBuf> {
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_symlink() || fs::metadata(path).is_ok() {
        return None;
    }
    Some(resolve(path))
}

/// The file `path` names, with every symlink followed, even when the last target does not
/// exist (a deleted library behind a link is recreated where the link points). Saves write
/// here, so a library that is a link is saved through it.
pub fn resolve(path: &Path) -> PathBuf {
    if let Ok(p) = fs::canonicalize(path) {
        return p;
    }
    let mut at = path.to_path_buf();
    // The kernel gives up after 40 links; so do we.
    for _ in 0..40 {
        match fs::read_link(&at) {
            Ok(target) => {
                at = match at.parent() {
                    Some(dir) => dir.join(target),
                    None => target,
                }
            }
            Err(_) => return at,
        }
    }
    at
}
