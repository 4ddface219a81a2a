//! Saving: the atomic save, the checked save the app uses, the command line's
//! read-modify-write, the backup and the temporaries a killed save leaves.

use std::fmt;
use std::io;
use std::path::Path;

use super::lock::{LOCK_WAIT, lock};
use super::path::resolve;
use super::replace::{Expect, Phase, Replaced, replace};
use super::stamp::{Disk, Stamp, load_stamped};
use super::{SaveError, shown};
use crate::model::Library;

/// The library as the file's text: pretty, stable field order, multi-line notes kept readable.
pub fn to_text(library: &Library) -> Result<String, ron::Error> {
    let mut text = ron::ser::to_string_pretty(library, pretty())?;
    text.push('\n');
    Ok(text)
}

/// [`to_text`]'s bytes, written to `out` as they are made: a save does not hold the whole
/// text (14 MB for 25,000 episodes) beside the library.
pub fn write_text(library: &Library, out: &mut dyn io::Write) -> io::Result<()> {
    /// ron writes to a `fmt::Write`; this keeps the `io::Error` that `fmt::Error` cannot carry.
    struct Adapter<'a> {
        out: &'a mut dyn io::Write,
        error: Option<io::Error>,
    }
    impl fmt::Write for Adapter<'_> {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.out.write_all(s.as_bytes()).map_err(|e| {
                self.error = Some(e);
                fmt::Error
            })
        }
    }
    let mut adapter = Adapter { out, error: None };
    if let Err(e) = ron::Options::default().to_writer_pretty(&mut adapter, library, pretty()) {
        return Err(adapter.error.take().unwrap_or_else(|| io::Error::other(e)));
    }
    adapter.out.write_all(b"\n")
}

fn pretty() -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::new()
        .indentor("    ")
        .escape_strings(false)
}

/// What a checked save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Written over the file that was expected there.
    Written(Stamp),
    /// There was no file (deleted, or never made): written anew from memory.
    Recreated(Stamp),
    /// The file on disk is not the one expected (an outside edit, a broken or unreadable
    /// file): nothing was written. The stamp is of the file as it is now (None: unreadable).
    /// Reload it, re-apply what is unsaved, and save again.
    ChangedOnDisk(Option<Stamp>),
}

/// Saves atomically (see [`save`]), but only over the file `expected` describes: it is
/// compared before the slow part (serialise, write, fsync), again (a `stat`) just before the
/// rename, and the rename itself swaps the files in one step and checks what came out (see
/// `swap_in`), so an outside edit that lands meanwhile is never written over. A missing file
/// is recreated. `expected` None: whatever is there is replaced. Hold the
/// library's [`lock`] around it; outside programs do not take it, hence the checks.
pub fn save_checked(
    path: &Path,
    library: &Library,
    expected: Option<&Stamp>,
) -> Result<Saved, SaveError> {
    save_checked_with(path, library, expected, &mut |_| {})
}

/// `save_checked` with `between` run at each [`Phase`]: the unit tests put outside edits
/// there.
pub(super) fn save_checked_with(
    path: &Path,
    library: &Library,
    expected: Option<&Stamp>,
    between: &mut dyn FnMut(Phase),
) -> Result<Saved, SaveError> {
    replace_checked(
        path,
        &mut |out| write_text(library, out),
        expected,
        true,
        between,
    )
}

/// Replaces the file with `bytes` (a library's text, as `restore-backup` puts back) under the
/// same checks as [`save_checked`]: only over the file `expected` describes (from
/// [`read_stamped`](super::read_stamped)), else `ChangedOnDisk` and nothing written. With
/// `backup`, the replaced file becomes `library.ron.bak`.
pub fn write_checked(
    path: &Path,
    bytes: &[u8],
    expected: Option<&Stamp>,
    backup: bool,
) -> Result<Saved, SaveError> {
    write_checked_with(path, bytes, expected, backup, &mut |_| {})
}

pub(super) fn write_checked_with(
    path: &Path,
    bytes: &[u8],
    expected: Option<&Stamp>,
    backup: bool,
    between: &mut dyn FnMut(Phase),
) -> Result<Saved, SaveError> {
    replace_checked(
        path,
        &mut |out| out.write_all(bytes),
        expected,
        backup,
        between,
    )
}

/// The checked replace: compare, write the bytes (the slow part), replace checked as late as
/// possible.
fn replace_checked(
    path: &Path,
    bytes: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    expected: Option<&Stamp>,
    backup: bool,
    between: &mut dyn FnMut(Phase),
) -> Result<Saved, SaveError> {
    let err = |source| SaveError {
        path: path.to_path_buf(),
        source,
    };
    let target = resolve(path);
    let expect = match expected {
        None => Expect::Anything,
        Some(stamp) => match stamp.compare(&target) {
            Disk::Same => Expect::File(stamp.clone()),
            // Touched but ours: writing over it loses nothing.
            Disk::SameBytes(now) => Expect::File(now),
            Disk::Missing => Expect::Missing,
            Disk::Changed(now) => return Ok(Saved::ChangedOnDisk(Some(now))),
            Disk::Unreadable => return Ok(Saved::ChangedOnDisk(None)),
        },
    };
    match replace(&target, bytes, backup, expect, between).map_err(err)? {
        Replaced::Done {
            file,
            recreated,
            hash,
        } => {
            let stamp = Stamp::hashed(hash, &file.metadata().map_err(err)?);
            Ok(if recreated {
                Saved::Recreated(stamp)
            } else {
                Saved::Written(stamp)
            })
        }
        Replaced::Moved(now) => Ok(Saved::ChangedOnDisk(now)),
    }
}

/// One read-modify-write of the library, for the command line (`watch`, `unwatch`, `catalog
/// update`): under the lock, loads the file, lets `change` edit it (it returns its result and
/// whether it changed anything) and saves only then, checked against what was loaded. When an
/// outside edit lands in between (editors do not take our lock), it starts over on the new
/// file, up to 5 times, so neither the outside edit nor this change is lost. Errors are the
/// one-line messages the command prints.
pub fn update<R>(
    path: &Path,
    mut change: impl FnMut(&mut Library) -> Result<(R, bool), String>,
) -> Result<R, String> {
    let _lock = lock(path, LOCK_WAIT).map_err(|e| format!("{}: {e}", shown(path)))?;
    for _ in 0..5 {
        let (mut library, stamp) = load_stamped(path).map_err(|e| e.to_string())?;
        let (result, changed) = change(&mut library)?;
        if !changed {
            return Ok(result);
        }
        match save_checked(path, &library, Some(&stamp)).map_err(|e| e.to_string())? {
            Saved::Written(_) | Saved::Recreated(_) => return Ok(result),
            Saved::ChangedOnDisk(_) => continue,
        }
    }
    Err(format!(
        "{}: the file kept changing on disk while saving; nothing was saved, try again",
        shown(path)
    ))
}

/// Saves atomically: a temporary file in the same directory is written, flushed and synced,
/// then renamed over the old file, and the directory is synced so the rename is durable.
/// The old file is kept as `library.ron.bak`. On any error the old file is untouched and the
/// temporary file is removed. Returns the stamp of what was written. Writes over whatever is
/// there: the app uses [`save_checked`].
pub fn save(path: &Path, library: &Library) -> Result<Stamp, SaveError> {
    match save_checked(path, library, None)? {
        Saved::Written(stamp) | Saved::Recreated(stamp) => Ok(stamp),
        Saved::ChangedOnDisk(_) => Err(SaveError {
            path: path.to_path_buf(),
            source: io::Error::other("the file changed on disk"),
        }),
    }
}

/// Replaces `path` with `bytes` atomically (see [`save`]); with `backup`, the file being
/// replaced becomes `library.ron.bak` (a hard link, so it costs no copy).
pub fn write_atomic(path: &Path, bytes: &[u8], backup: bool) -> io::Result<()> {
    replace(
        &resolve(path),
        &mut |out| out.write_all(bytes),
        backup,
        Expect::Anything,
        &mut |_| {},
    )
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::store::replace::is_own_temporary;
    use crate::store::*;

    #[test]
    fn save_replaces_the_file_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("library.ron");
        fs::write(&path, "old").expect("write");
        save(&path, &shipped_catalog()).expect("save");
        assert!(load(&path).is_ok());
        assert_eq!(fs::read(backup_path(&path)).expect("backup"), b"old");
        fs::remove_file(backup_path(&path)).expect("rm");
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("library.ron")]);
    }

    #[test]
    fn a_save_writes_to_texts_bytes_and_stamps_their_hash() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("library.ron");
        let library = marked("line one\nline two");
        let stamp = save(&path, &library).expect("save");
        let bytes = fs::read(&path).expect("read");
        assert_eq!(bytes, to_text(&library).expect("text").into_bytes());
        assert_eq!(stamp.hash(), xxhash_rust::xxh3::xxh3_64(&bytes));
        // A stamp of other bytes would make the next save see an outside edit.
        let again = save_checked(&path, &marked("later"), Some(&stamp)).expect("save");
        assert!(matches!(again, Saved::Written(_)), "{again:?}");
    }

    #[test]
    fn write_text_keeps_the_writers_error() {
        /// Takes `room` bytes, then fails as a full disk does.
        struct Full {
            room: usize,
        }
        impl io::Write for Full {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                if self.room == 0 {
                    return Err(io::Error::from(io::ErrorKind::StorageFull));
                }
                let n = buf.len().min(self.room);
                self.room -= n;
                Ok(n)
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let library = shipped_catalog();
        let len = to_text(&library).expect("text").len();
        for room in [0, 1, len / 2, len - 1] {
            let err = write_text(&library, &mut Full { room }).expect_err("full");
            assert_eq!(err.kind(), io::ErrorKind::StorageFull, "room {room}");
        }
        write_text(&library, &mut Full { room: len }).expect("exactly enough room");
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn marked(note: &str) -> Library {
        let mut library = shipped_catalog();
        library.franchises[0].notes = note.into();
        library
    }

    #[test]
    fn an_outside_rename_during_the_save_is_not_written_over() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("library.ron");
        let stamp = save(&path, &marked("ours, first")).expect("save");
        let theirs = to_text(&marked("theirs")).expect("text");
        // The editor's rename lands after our temporary file is written and synced, before
        // the rename: the check just before the rename sees it.
        let outcome = save_checked_with(&path, &marked("ours, second"), Some(&stamp), &mut |at| {
            if at != Phase::Written {
                return;
            }
            let aside = dir.path().join("editor-swap");
            fs::write(&aside, &theirs).expect("write aside");
            fs::rename(&aside, &path).expect("rename over");
        })
        .expect("save");
        let Saved::ChangedOnDisk(Some(now)) = outcome else {
            panic!("not seen: {outcome:?}");
        };
        assert_eq!(fs::read_to_string(&path).expect("read"), theirs);
        assert_eq!(
            now.compare(&path),
            Disk::Same,
            "the stamp is of the file now"
        );
        assert!(
            !names_in(dir.path()).iter().any(|n| n.ends_with(".tmp")),
            "temporary file left: {:?}",
            names_in(dir.path())
        );
        // Rebased on what is there now, the save goes through.
        let again = save_checked(&path, &marked("ours, rebased"), Some(&now)).expect("save");
        assert!(matches!(again, Saved::Written(_)), "{again:?}");
        assert_eq!(
            load(&path).expect("loads").franchises[0].notes,
            "ours, rebased"
        );
    }

    #[test]
    fn an_in_place_edit_with_the_mtime_put_back_during_the_save_is_not_written_over() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("library.ron");
        let stamp = save(&path, &marked("aaaa")).expect("save");
        let outcome = save_checked_with(&path, &marked("ours"), Some(&stamp), &mut |at| {
            if at != Phase::Written {
                return;
            }
            let mtime = fs::metadata(&path)
                .and_then(|m| m.modified())
                .expect("mtime");
            let text = fs::read_to_string(&path)
                .expect("read")
                .replace("aaaa", "bbbb");
            fs::write(&path, text).expect("write in place");
            fs::File::options()
                .write(true)
                .open(&path)
                .and_then(|f| f.set_modified(mtime))
                .expect("mtime back");
        })
        .expect("save");
        assert!(
            matches!(outcome, Saved::ChangedOnDisk(Some(_))),
            "{outcome:?}"
        );
        assert_eq!(load(&path).expect("loads").franchises[0].notes, "bbbb");
    }

    #[test]
    fn a_touched_file_with_our_bytes_is_saved_over() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("library.ron");
        let stamp = save(&path, &marked("ours")).expect("save");
        let bytes = fs::read(&path).expect("read");
        // Put back byte for byte through a new inode (a sync tool's copy).
        let aside = dir.path().join("copy");
        fs::write(&aside, &bytes).expect("copy");
        fs::rename(&aside, &path).expect("rename");
        assert!(matches!(stamp.compare(&path), Disk::SameBytes(_)));
        assert!(!stamp.changed(&path));
        let outcome = save_checked(&path, &marked("ours, next"), Some(&stamp)).expect("save");
        assert!(matches!(outcome, Saved::Written(_)), "{outcome:?}");
    }

    #[test]
    fn a_deleted_file_is_recreated_and_a_file_that_appears_is_not_written_over() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("library.ron");
        let stamp = save(&path, &marked("ours")).expect("save");
        fs::remove_file(&path).expect("rm");
        assert_eq!(stamp.compare(&path), Disk::Missing);
        assert!(
            !stamp.changed(&path),
            "a missing file is not an outside edit"
        );
        let outcome = save_checked(&path, &marked("ours, again"), Some(&stamp)).expect("save");
        let Saved::Recreated(new) = outcome else {
            panic!("{outcome:?}");
        };
        assert_eq!(new.compare(&path), Disk::Same);
        assert_eq!(
            load(&path).expect("loads").franchises[0].notes,
            "ours, again"
        );

        // Deleted, then someone else's file appears just after our last look: theirs stays.
        fs::remove_file(&path).expect("rm");
        let theirs = to_text(&marked("theirs")).expect("text");
        let outcome = save_checked_with(&path, &marked("ours"), Some(&new), &mut |at| {
            if at == Phase::Looked {
                fs::write(&path, &theirs).expect("theirs");
            }
        })
        .expect("save");
        assert!(
            matches!(outcome, Saved::ChangedOnDisk(Some(_))),
            "{outcome:?}"
        );
        assert_eq!(fs::read_to_string(&path).expect("read"), theirs);
    }

    #[test]
    fn temporaries_of_one_library_are_never_another_libraries() {
        assert!(is_own_temporary(".lib.ron.aB3xY9.tmp", "lib.ron"));
        assert!(is_own_temporary(".lib.ron.aB3xY9.bak.tmp", "lib.ron"));
        assert!(!is_own_temporary(".lib.ron.2.aB3xY9.tmp", "lib.ron"));
        assert!(!is_own_temporary(".lib.ron.2.aB3xY9.bak.tmp", "lib.ron"));
        assert!(!is_own_temporary(".lib.ron.aB3xY9.tmp", "lib.ron.2"));
        assert!(!is_own_temporary(".lib.ron.ab.tmp", "lib.ron"));
        assert!(!is_own_temporary("lib.ron", "lib.ron"));
        assert!(is_own_temporary(".lib.ron.2.aB3xY9.tmp", "lib.ron.2"));
    }

    /// `restore-backup`'s replace: an editor's rename landing while the backup's bytes are
    /// written is kept, byte for byte; with nothing in the way, the bytes go in unchanged.
    #[test]
    fn a_checked_write_of_bytes_never_writes_over_an_outside_rename() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("library.ron");
        save(&path, &marked("broken later")).expect("save");
        let (_, stamp) = read_stamped(&path).expect("read");
        let restored = to_text(&marked("from the backup")).expect("text");
        let theirs = to_text(&marked("theirs")).expect("text");
        for phase in [Phase::Written, Phase::Looked] {
            let outcome =
                write_checked_with(&path, restored.as_bytes(), Some(&stamp), false, &mut |at| {
                    if at == phase {
                        let aside = dir.path().join("editor-swap");
                        fs::write(&aside, &theirs).expect("write aside");
                        fs::rename(&aside, &path).expect("rename over");
                    }
                })
                .expect("write");
            assert!(
                matches!(outcome, Saved::ChangedOnDisk(Some(_))),
                "{phase:?}: {outcome:?}"
            );
            assert_eq!(
                fs::read_to_string(&path).expect("read"),
                theirs,
                "{phase:?}"
            );
        }
        let (_, now) = read_stamped(&path).expect("read");
        let outcome = write_checked(&path, restored.as_bytes(), Some(&now), false).expect("write");
        assert!(matches!(outcome, Saved::Written(_)), "{outcome:?}");
        assert_eq!(fs::read_to_string(&path).expect("read"), restored);
        assert!(
            !names_in(dir.path()).iter().any(|n| n.ends_with(".tmp")),
            "{:?}",
            names_in(dir.path())
        );
    }

    #[test]
    fn update_starts_over_on_an_outside_edit_and_keeps_both() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("library.ron");
        save(&path, &marked("")).expect("save");
        let mut calls = 0;
        let result = update(&path, |library| {
            calls += 1;
            if calls == 1 {
                // An editor's save lands between our load and our save.
                save(&path, &marked("theirs")).expect("outside");
            }
            library.franchises[0].title.push_str(" (mine)");
            Ok(("done", true))
        });
        assert_eq!(result, Ok("done"));
        assert_eq!(calls, 2, "started over once");
        let library = load(&path).expect("loads");
        assert_eq!(library.franchises[0].notes, "theirs");
        assert!(library.franchises[0].title.ends_with(" (mine)"));
        assert!(!library.franchises[0].title.ends_with(" (mine) (mine)"));
    }

    /// The window a `stat` cannot close: the editor's rename lands after the last look, just
    /// before our rename. The swap takes their file out, sees it is not the one we may
    /// replace, and swaps it back.
    #[test]
    fn an_outside_rename_after_the_last_look_is_swapped_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("library.ron");
        let stamp = save(&path, &marked("ours, first")).expect("save");
        let backup_before = fs::read(backup_path(&path)).ok();
        let theirs = to_text(&marked("theirs")).expect("text");
        let outcome = save_checked_with(&path, &marked("ours, second"), Some(&stamp), &mut |at| {
            if at == Phase::Looked {
                let aside = dir.path().join("editor-swap");
                fs::write(&aside, &theirs).expect("write aside");
                fs::rename(&aside, &path).expect("rename over");
            }
        })
        .expect("save");
        assert!(
            matches!(outcome, Saved::ChangedOnDisk(Some(_))),
            "{outcome:?}"
        );
        assert_eq!(fs::read_to_string(&path).expect("read"), theirs);
        assert_eq!(
            fs::read(backup_path(&path)).ok(),
            backup_before,
            "backup rotated"
        );
        let names = names_in(dir.path());
        assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");

        // And a save with nothing in the way keeps the replaced file as the backup.
        let (_, now) = load_stamped(&path).expect("load");
        let outcome = save_checked(&path, &marked("ours, third"), Some(&now)).expect("save");
        assert!(matches!(outcome, Saved::Written(_)), "{outcome:?}");
        assert_eq!(fs::read_to_string(backup_path(&path)).expect("bak"), theirs);
        let names = names_in(dir.path());
        assert_eq!(names, ["library.ron", "library.ron.bak"]);
    }
}
