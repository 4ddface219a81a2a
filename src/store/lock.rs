//! The advisory lock around one read-modify-write of the library.

use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::load::not_regular;
use super::path::resolve;
use super::{LoadError, shown};

/// The advisory lock file beside the library's own path: `library.ron.lock`. For a library
/// that is a symlink it sits beside the link, in the user's directory, never beside the
/// target (which may be in someone else's, e.g. `/etc`).
fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    path.with_file_name(name)
}

/// An exclusive lock on the library, held for one read-modify-write. Released on drop.
#[derive(Debug)]
pub struct Lock {
    _file: fs::File,
    /// The library file itself, locked too (see [`lock`]); None when there is none yet.
    _target: Option<fs::File>,
}

/// How long a writer waits for another to finish before giving up with a clear message.
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Takes the library's lock, waiting up to `wait` for another fantrack to finish.
///
/// Two locks: `library.ron.lock` beside the path as given (created if need be), and an OS
/// lock (`flock`) on the library file itself, which creates nothing, so that two names for
/// one library (a link and its target) still exclude each other.
pub fn lock(path: &Path, wait: std::time::Duration) -> io::Result<Lock> {
    // `--file /dev/null` or a link to a FIFO: no library, and no `.lock` beside it either.
    if let Ok(meta) = fs::metadata(path)
        && let Err(e) = not_regular(path, &meta)
    {
        let what = match e {
            LoadError::NotRegular { kind, .. } => format!("is {kind}, not a library file"),
            _ => "is a directory, not a library file".into(),
        };
        return Err(io::Error::new(io::ErrorKind::InvalidInput, what));
    }
    let deadline = std::time::Instant::now() + wait;
    let lock_file = lock_path(path);
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_file)
        .map_err(|e| io::Error::new(e.kind(), format!("cannot open {}: {e}", shown(&lock_file))))?;
    wait_for(&file, &lock_file, deadline, wait)?;
    let target = lock_library_file(&resolve(path), deadline, wait)?;
    Ok(Lock {
        _file: file,
        _target: target,
    })
}

fn wait_for(
    file: &fs::File,
    name: &Path,
    deadline: std::time::Instant,
    wait: std::time::Duration,
) -> io::Result<()> {
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(()),
            Err(fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(io::Error::new(
                    io::ErrorKind::WouldBlock,
                    format!(
                        "another fantrack has held {} for over {}s; try again when it is done",
                        shown(name),
                        wait.as_secs()
                    ),
                ));
            }
            Err(fs::TryLockError::Error(e)) => return Err(e),
        }
    }
}

/// Locks the library file itself, when it is a regular file we can open for reading. Saves
/// rename a new file over it, so the lock we got may be on a file that was replaced while
/// we waited: then we lock the new one instead.
fn lock_library_file(
    target: &Path,
    deadline: std::time::Instant,
    wait: std::time::Duration,
) -> io::Result<Option<fs::File>> {
    use std::os::unix::fs::OpenOptionsExt;
    for _ in 0..100 {
        // O_NONBLOCK: opening a FIFO must not wait for a writer.
        let Ok(file) = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(target)
        else {
            return Ok(None); // none yet, or not ours to read: the lock file still holds
        };
        let Ok(meta) = file.metadata() else {
            return Ok(None);
        };
        if !meta.is_file() {
            return Ok(None);
        }
        wait_for(&file, target, deadline, wait)?;
        match fs::metadata(target) {
            Ok(now) if now.dev() == meta.dev() && now.ino() == meta.ino() => {
                return Ok(Some(file));
            }
            Ok(_) => continue,
            Err(_) => return Ok(None),
        }
    }
    Ok(None)
}
