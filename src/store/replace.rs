//! The atomic replace itself: the rename (a swap where the file system can), checked
//! against what the caller may write over as late as possible.

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::load::read;
use super::shown;
use super::stamp::{Disk, Stamp};

/// What `replace` may write over.
pub(super) enum Expect {
    Anything,
    /// The file this stamp is of, untouched.
    File(Stamp),
    /// No file.
    Missing,
}

pub(super) enum Replaced {
    /// Renamed into place; `file` is the new file, open; `hash` the xxh3 of what was written.
    Done {
        file: fs::File,
        recreated: bool,
        hash: u64,
    },
    /// The file was not what was expected; nothing written.
    Moved(Option<Stamp>),
}

/// How long the last save on this thread took from its last look at the file (a `stat`) to
/// the end of the rename: where RENAME_EXCHANGE works, an outside rename landing here is still
/// swapped back, and only an in-place write that keeps the length and the modification time
/// can be lost; elsewhere (plain rename) any outside edit landing here can. For measuring it
/// (two clock reads per save).
#[doc(hidden)]
pub fn last_check_to_rename() -> std::time::Duration {
    LAST_WINDOW.get()
}

thread_local! {
    static LAST_WINDOW: std::cell::Cell<std::time::Duration> =
        const { std::cell::Cell::new(std::time::Duration::ZERO) };
}

/// The atomic replace of `target` (already resolved through links) with what `write` writes,
/// checked against `expect` as late as possible.
pub(super) fn replace(
    target: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    backup: bool,
    mut expect: Expect,
    between: &mut dyn FnMut(Phase),
) -> io::Result<Replaced> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    remove_stale_temporaries(dir, &name);
    let mut tmp = tempfile::Builder::new()
        .prefix(&tmp_prefix(&name))
        .rand_bytes(TMP_RANDOM)
        .suffix(".tmp")
        .tempfile_in(dir)?;
    let hash = {
        let mut out = io::BufWriter::with_capacity(
            256 * 1024,
            Hashing {
                file: tmp.as_file_mut(),
                hasher: xxhash_rust::xxh3::Xxh3Default::new(),
            },
        );
        write(&mut out)?;
        out.flush()?;
        out.get_ref().hasher.digest()
    };
    tmp.as_file().sync_all()?;
    // Keep the user's permissions on the replaced file (a temp file starts at 0600).
    if let Ok(meta) = fs::metadata(target) {
        let _ = fs::set_permissions(tmp.path(), meta.permissions());
    }
    between(Phase::Written);
    // The last look: a `stat` when nothing moved.
    let mut recreated = match last_look(target, &mut expect) {
        Ok(recreated) => recreated,
        Err(moved) => return Ok(moved),
    };
    between(Phase::Looked);
    let checked = std::time::Instant::now();
    let file = match swap_in(tmp, target, &expect, backup, checked)? {
        Swapped::Done { file, recreated: r } => {
            recreated = r;
            file
        }
        Swapped::Moved(now) => return Ok(Replaced::Moved(now)),
        Swapped::Plain(tmp) => {
            // A plain rename (no RENAME_EXCHANGE here, or nothing to check against): look
            // once more after the backup is made, and rename at once.
            if backup && !recreated && fs::metadata(target).is_ok() {
                keep_backup(target, dir, &name);
                match last_look(target, &mut expect) {
                    Ok(r) => recreated = r,
                    Err(moved) => return Ok(moved),
                }
            }
            let checked = std::time::Instant::now();
            let file = tmp.persist(target).map_err(|e| e.error)?;
            LAST_WINDOW.set(checked.elapsed());
            file
        }
    };
    // The file is replaced now; a directory that cannot be synced (some network and FUSE
    // mounts) must not make the app report "not saved" for a save that happened.
    let _ = fs::File::open(dir).and_then(|d| d.sync_all());
    Ok(Replaced::Done {
        file,
        recreated,
        hash,
    })
}

/// Writes to the file and hashes what it wrote, so the stamp needs no copy of the bytes.
struct Hashing<'a> {
    file: &'a mut fs::File,
    hasher: xxhash_rust::xxh3::Xxh3Default,
}

impl Write for Hashing<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        let written = buf
            .get(..n)
            .ok_or_else(|| io::Error::other("the file took more bytes than it was given"))?;
        self.hasher.update(written);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

enum Swapped {
    Done {
        file: fs::File,
        recreated: bool,
    },
    Moved(Option<Stamp>),
    /// Not done: rename it in plainly.
    Plain(tempfile::NamedTempFile),
}

/// Puts the new file in place in one step that cannot write over an outside rename: Linux's
/// `RENAME_EXCHANGE` swaps it with the file there, then what came out is checked against
/// `expect` (same file, same length and modification time) and swapped back if it is not
/// ours to replace; `RENAME_NOREPLACE` when there is no file, so one that appears meanwhile
/// is kept. An editor's rename that lands at any moment before the swap is therefore never
/// written over. The file that came out becomes `library.ron.bak`. `Plain` when there is
/// nothing to check (`Anything`) or the file system cannot (FAT, NFS, some FUSE).
fn swap_in(
    tmp: tempfile::NamedTempFile,
    target: &Path,
    expect: &Expect,
    backup: bool,
    checked: std::time::Instant,
) -> io::Result<Swapped> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    let cannot = |e: Errno| matches!(e, Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP);
    let stamp_now = || read(target).ok().map(|(b, m)| Stamp::of(&b, &m));
    if let Expect::Anything = expect {
        return Ok(Swapped::Plain(tmp));
    }
    let swapped = renameat_with(CWD, tmp.path(), CWD, target, RenameFlags::EXCHANGE);
    LAST_WINDOW.set(checked.elapsed());
    match swapped {
        Ok(()) => {
            let (file, out) = tmp.into_parts();
            let ours_to_replace = match expect {
                Expect::File(stamp) => {
                    fs::symlink_metadata(&*out).is_ok_and(|m| stamp.same_file(&m))
                }
                Expect::Missing | Expect::Anything => false,
            };
            if !ours_to_replace {
                // Theirs back in place; ours, now at the temporary name, goes on drop.
                if renameat_with(CWD, &*out, CWD, target, RenameFlags::EXCHANGE).is_err()
                    && renameat_with(CWD, &*out, CWD, target, RenameFlags::NOREPLACE).is_err()
                {
                    // Never seen: the target went away or changed twice within microseconds.
                    // Theirs must not go with the temporary file: keep it under a name.
                    let mut aside = target.as_os_str().to_owned();
                    aside.push(format!(
                        ".outside-edit-{}",
                        jiff::Timestamp::now().as_second()
                    ));
                    let aside = PathBuf::from(aside);
                    return Err(match out.persist(&aside) {
                        Ok(()) => io::Error::other(format!(
                            "the file changed on disk during the save; that version is kept as {}",
                            shown(&aside)
                        )),
                        Err(e) => e.error,
                    });
                }
                return Ok(Swapped::Moved(stamp_now()));
            }
            if backup {
                let kept = backup_path(target);
                let name = out.to_path_buf();
                // Renaming a link over another link to the same file does nothing.
                if out.persist(&kept).is_ok() && fs::symlink_metadata(&name).is_ok() {
                    let _ = fs::remove_file(&name);
                }
            }
            Ok(Swapped::Done {
                file,
                recreated: false,
            })
        }
        // Nothing there: a new name, only while there is still nothing.
        Err(Errno::NOENT) => {
            let renamed = renameat_with(CWD, tmp.path(), CWD, target, RenameFlags::NOREPLACE);
            LAST_WINDOW.set(checked.elapsed());
            match renamed {
                Ok(()) => {
                    let (file, path) = tmp.into_parts();
                    let _ = path.keep(); // renamed away: nothing to remove
                    Ok(Swapped::Done {
                        file,
                        recreated: true,
                    })
                }
                Err(Errno::EXIST) => Ok(Swapped::Moved(stamp_now())),
                Err(e) if cannot(e) => Ok(Swapped::Plain(tmp)),
                Err(e) => Err(e.into()),
            }
        }
        Err(e) if cannot(e) => Ok(Swapped::Plain(tmp)),
        Err(e) => Err(e.into()),
    }
}

/// The check just before a rename: Ok(true) when there is no file (so the rename recreates
/// it), Ok(false) when the file is the one expected, Err with what to report when it is not.
/// Only a `stat` when nothing moved; the bytes are read only when the metadata moved (a
/// `touch`, our own bytes put back), and then it looks again.
fn last_look(target: &Path, expect: &mut Expect) -> Result<bool, Replaced> {
    for _ in 0..3 {
        match &*expect {
            Expect::Anything => return Ok(false),
            Expect::Missing => {
                return match fs::symlink_metadata(target) {
                    Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(true),
                    _ => match fs::metadata(target) {
                        // A link to nothing: the target is recreated through it.
                        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(true),
                        Ok(_) => Err(Replaced::Moved(
                            read(target).ok().map(|(b, m)| Stamp::of(&b, &m)),
                        )),
                        Err(_) => Err(Replaced::Moved(None)),
                    },
                };
            }
            Expect::File(stamp) => {
                if fs::metadata(target).is_ok_and(|m| stamp.same_meta(&m)) {
                    return Ok(false);
                }
                *expect = match stamp.compare(target) {
                    Disk::Same => Expect::File(stamp.clone()),
                    Disk::SameBytes(now) => Expect::File(now),
                    Disk::Missing => Expect::Missing,
                    Disk::Changed(now) => return Err(Replaced::Moved(Some(now))),
                    Disk::Unreadable => return Err(Replaced::Moved(None)),
                };
            }
        }
    }
    // Still moving after three looks: someone is writing it right now.
    Err(Replaced::Moved(None))
}

/// Where a save is when `save_checked_with` calls its `between`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    /// The temporary file is written and synced; the last look comes next.
    Written,
    /// The last look found the file as expected; the swap comes next.
    Looked,
}

/// The rotating backup beside the library: `library.ron.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// How many random characters a temporary file's name has (see [`is_own_temporary`]).
const TMP_RANDOM: usize = 6;

/// Temporary files of a save of `library.ron` are `.library.ron.XXXXXX.tmp` (and
/// `.library.ron.XXXXXX.bak.tmp` while the backup is made), X from `[A-Za-z0-9]`.
fn tmp_prefix(name: &str) -> String {
    format!(".{name}.")
}

/// True when `file` is a temporary file of a save of the library called `name`: exactly the
/// prefix, six random characters and the suffix. `lib.ron.2`'s `.lib.ron.2.XXXXXX.tmp` starts
/// like `lib.ron`'s too, but has more between, so no library's cleanup matches another's.
pub(super) fn is_own_temporary(file: &str, name: &str) -> bool {
    let Some(rest) = file.strip_prefix(&tmp_prefix(name)) else {
        return false;
    };
    let (Some(random), Some(suffix)) = (rest.get(..TMP_RANDOM), rest.get(TMP_RANDOM..)) else {
        return false;
    };
    random.bytes().all(|b| b.is_ascii_alphanumeric()) && (suffix == ".tmp" || suffix == ".bak.tmp")
}

/// Removes the temporary files that killed saves left behind. Writers hold the library's lock
/// while they write, so under it no temporary file of this library is in use.
fn remove_stale_temporaries(dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if is_own_temporary(&entry.file_name().to_string_lossy(), name) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Points `library.ron.bak` at the current file. Best effort: a missing backup never blocks a
/// save, which is atomic on its own.
fn keep_backup(path: &Path, dir: &Path, name: &str) {
    let backup = backup_path(path);
    // Already the backup (an earlier save made it and then did not rename): renaming a link
    // over another link to the same file does nothing and would leave the temporary behind.
    if let (Ok(now), Ok(kept)) = (fs::metadata(path), fs::symlink_metadata(&backup))
        && now.dev() == kept.dev()
        && now.ino() == kept.ino()
    {
        return;
    }
    let Ok(link) = tempfile::Builder::new()
        .prefix(&tmp_prefix(name))
        .rand_bytes(TMP_RANDOM)
        .suffix(".bak.tmp")
        .make_in(dir, |p| {
            fs::hard_link(path, p).or_else(|_| fs::copy(path, p).map(|_| ()))
        })
    else {
        return;
    };
    let name = link.path().to_path_buf();
    if link.persist(&backup).is_ok() && fs::symlink_metadata(&name).is_ok() {
        let _ = fs::remove_file(&name); // a rename between two links to one file
    }
}
