//! The one error type of everything above `store`: the CLI commands and the TUI's start and
//! end. Each says what went wrong in one line (with the file, and line:column where a file's
//! content is at fault); `main` prints it as `fantrack: <error>` and exits 1 (clap's usage
//! errors exit 2 before any of this runs).

use std::io;
use std::path::PathBuf;

use crate::store::{LoadError, OpenError, SaveError};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error(transparent)]
    Save(#[from] SaveError),
    /// Reading or writing a file other than through the store's loading and saving.
    #[error("{}: {source}", path.display())]
    File { path: PathBuf, source: io::Error },
    /// The advisory lock (another fantrack holds it, or it cannot be made).
    #[error("{0}")]
    Lock(io::Error),
    #[error("no show \"{key}\"; shows are: {ids}")]
    NoShow { key: String, ids: String },
    #[error("\"{0}\" is not an episode code like S01E03")]
    NotAnEpisodeCode(String),
    #[error("{show} has no {code}")]
    NoEpisode { show: String, code: String },
    /// The terminal could not be set up or failed while the app ran.
    #[error("{0}")]
    Terminal(String),
    /// The app quit with a change not on disk.
    #[error("quit with unsaved changes: {0}")]
    Unsaved(String),
    /// Anything else the user must be told, already worded.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// A file error with its path.
    pub fn file(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> Error {
        let path = path.into();
        move |source| Error::File { path, source }
    }
}

impl From<String> for Error {
    fn from(message: String) -> Error {
        Error::Other(message)
    }
}

impl From<&str> for Error {
    fn from(message: &str) -> Error {
        Error::Other(message.to_string())
    }
}

pub type Result<T> = std::result::Result<T, Error>;
