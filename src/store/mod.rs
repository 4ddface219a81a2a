//! Where the library file lives, loading it with precise errors, and saving it atomically.
//!
//! The file is the user's years of watch history, so three rules hold everywhere here:
//! a file that failed to load is never written over, a save either fully replaces the file or
//! leaves it untouched (temporary file in the same directory, fsync, rename, fsync dir), and a
//! save never writes over an outside edit it was not shown (`save_checked`: the stamp is
//! checked before writing, just before the rename, and by the rename itself, which swaps the
//! files and swaps back when what came out is not what was expected).

use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::model::FORMAT_VERSION;

pub mod cache;
mod first_run;
mod load;
mod lock;
mod path;
mod positions;
mod replace;
pub mod saver;
mod stamp;
mod write;

pub use first_run::{OpenError, Opened, open, shipped_catalog};
pub use load::{load, parse, validate};
pub use lock::{LOCK_WAIT, Lock, lock};
pub use path::{dangling_link, resolve, resolve_path};
pub use replace::{backup_path, last_check_to_rename};
pub use stamp::{
    Backoff, Broken, Disk, Event, Examine, Found, Look, Stamp, Watch, load_stamped,
    load_stamped_cached, load_stamped_newer, load_stamped_or_broken, look, read_stamped,
};
pub use write::{Saved, save, save_checked, to_text, update, write_atomic, write_checked};

/// The shipped catalog, written as the library on first run.
pub use crate::model::CATALOG;

/// The `catalog_version` of the shipped catalog (a test checks it against the asset), so
/// knowing it costs no parse.
pub const CATALOG_VERSION: u32 = 2;

/// Files larger than this are refused rather than parsed: a library of 25,000 episodes with
/// notes is about 10 MB, and parsing costs several times the file's size in memory.
pub const MAX_FILE_BYTES: u64 = 64_000_000;

/// Environment variable that overrides the default file location (`--file` wins over it).
pub const FILE_ENV: &str = "FANTRACK_FILE";

/// A 1-based line and column in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Why a library file could not be loaded. Every variant names the file; most give a position.
#[derive(Debug, Error)]
pub enum LoadError {
    #[error("{}: cannot read: {source}", shown(path))]
    Io { path: PathBuf, source: io::Error },
    #[error("{}: is a directory, not a library file", shown(path))]
    IsDirectory { path: PathBuf },
    /// A FIFO, a device, a socket: reading one could block forever or never end.
    #[error("{}: is {kind}, not a library file", shown(path))]
    NotRegular { path: PathBuf, kind: &'static str },
    /// A symlink whose target does not exist.
    #[error(
        "{}: is a link to {}, which does not exist",
        shown(path),
        shown(target)
    )]
    DanglingLink { path: PathBuf, target: PathBuf },
    #[error(
        "{}: the file is {} MB, more than the {} MB fantrack reads; is it really a library?",
        shown(path), bytes / 1_000_000, MAX_FILE_BYTES / 1_000_000
    )]
    TooLarge { path: PathBuf, bytes: u64 },
    /// Found while reading: the length the file system gave was smaller than what was there.
    #[error(
        "{}: the file holds more than the {} MB fantrack reads; is it really a library?",
        shown(path), MAX_FILE_BYTES / 1_000_000
    )]
    TooLargeRead { path: PathBuf },
    #[error("{}: the file is empty", shown(path))]
    Empty { path: PathBuf },
    #[error("{}:{}:{}: not valid UTF-8 text", shown(path), at.line, at.column)]
    NotUtf8 { path: PathBuf, at: Position },
    #[error("{}:{}:{}: {message}", shown(path), at.line, at.column)]
    Syntax {
        path: PathBuf,
        at: Position,
        message: String,
    },
    #[error("{}{}: {message}", shown(path), at.map(|p| format!(":{}:{}", p.line, p.column)).unwrap_or_default())]
    Invalid {
        path: PathBuf,
        at: Option<Position>,
        message: String,
    },
    #[error(
        "{}: file format version {found} is newer than this fantrack understands (up to {FORMAT_VERSION}); update fantrack",
        shown(path)
    )]
    TooNew { path: PathBuf, found: u32 },
}

/// A path as error messages show it: control characters (a newline in a file name) escaped,
/// so an error stays one line.
pub fn shown(path: &Path) -> String {
    one_line(&path.display().to_string())
}

/// `text` with control characters escaped (`\n`, `\u{1b}`), so it prints as one line.
pub fn one_line(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Why a save failed. The file on disk is unchanged when this is returned.
#[derive(Debug, Error)]
#[error("{}: could not save: {source}", shown(path))]
pub struct SaveError {
    pub path: PathBuf,
    pub source: io::Error,
}
