//! Noticing outside edits: what the file looked like when we last read or wrote it, the
//! look at it now, and the app's watch on it (with the backoff for a broken file).

use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use super::LoadError;
use super::load::{parse, parse_with, read, text_of};
use crate::model::{FORMAT_VERSION, Library};

/// What the file looked like when we last read or wrote it: used to notice outside edits
/// (the user's editor, a sync tool, a second fantrack) before writing over them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    /// Device, inode and change time: a rename over the file or an in-place write moves these
    /// even when a tool keeps the length and the modification time (`cp -p`, `rsync -t`).
    device: u64,
    inode: u64,
    changed: (i64, i64),
    /// xxh3 of the bytes: fast enough to hash a 64 MB file in a few milliseconds.
    hash: u64,
}

/// What the file at a path is now, next to a [`Stamp`] of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disk {
    /// Not touched: the same length, times and inode.
    Same,
    /// Touched (renamed over, `touch`ed, copied back) but holding the same bytes. The stamp is
    /// of the file as it is now: take it, so the next look is a cheap one again.
    SameBytes(Stamp),
    /// Different bytes; the stamp is of the file as it is now.
    Changed(Stamp),
    /// No file there (deleted, or a link whose target is gone).
    Missing,
    /// There, but it cannot be read as a library file (permissions, not a regular file, too
    /// large): never written over.
    Unreadable,
}

impl Stamp {
    /// The xxh3 of the bytes the stamp is of.
    pub fn hash(&self) -> u64 {
        self.hash
    }

    pub(super) fn of(bytes: &[u8], meta: &fs::Metadata) -> Stamp {
        Stamp::hashed(xxhash_rust::xxh3::xxh3_64(bytes), meta)
    }

    /// The stamp of a file whose bytes hash to `hash`.
    pub(super) fn hashed(hash: u64, meta: &fs::Metadata) -> Stamp {
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            device: meta.dev(),
            inode: meta.ino(),
            changed: (meta.ctime(), meta.ctime_nsec()),
            hash,
        }
    }

    /// True when `meta` is the file this stamp was taken of, untouched since.
    pub(super) fn same_meta(&self, meta: &fs::Metadata) -> bool {
        meta.len() == self.len
            && meta.modified().ok() == self.modified
            && meta.dev() == self.device
            && meta.ino() == self.inode
            && (meta.ctime(), meta.ctime_nsec()) == self.changed
    }

    /// True when `meta` is the file this stamp was taken of, with the same length and
    /// modification time; its change time may differ (a rename sets it).
    pub(super) fn same_file(&self, meta: &fs::Metadata) -> bool {
        meta.len() == self.len
            && meta.modified().ok() == self.modified
            && meta.dev() == self.device
            && meta.ino() == self.inode
    }

    /// Whether this stamp holds the same bytes as `other` (whatever their times and inodes).
    pub fn same_bytes(&self, other: &Stamp) -> bool {
        self.len == other.len && self.hash == other.hash
    }

    /// What the file at `path` is now: a cheap metadata check first, the bytes only when the
    /// metadata moved.
    pub fn compare(&self, path: &Path) -> Disk {
        match fs::metadata(path) {
            Ok(meta) if self.same_meta(&meta) => return Disk::Same,
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Disk::Missing,
            Err(_) => return Disk::Unreadable,
        }
        match read(path) {
            Ok((bytes, meta)) => {
                let now = Stamp::of(&bytes, &meta);
                if now.hash == self.hash && now.len == self.len {
                    Disk::SameBytes(now)
                } else {
                    Disk::Changed(now)
                }
            }
            Err(LoadError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
                Disk::Missing
            }
            Err(LoadError::DanglingLink { .. }) => Disk::Missing,
            Err(_) => Disk::Unreadable,
        }
    }

    /// True when the file at `path` holds other bytes than this stamp's, or cannot be read.
    /// A missing file is not a change: there is nothing there to write over, and the next
    /// save recreates it (see [`save_checked`]).
    pub fn changed(&self, path: &Path) -> bool {
        matches!(self.compare(path), Disk::Changed(_) | Disk::Unreadable)
    }
}

/// Where the file stands against the bytes the caller holds (`ours`: last loaded or written)
/// and the broken file it last saw there (`broken`: from [`Broken::stamp`]), for the app's
/// idle check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Look {
    /// The bytes we hold: nothing to reload, saving may go on. `Some`: the file was touched
    /// or put back byte for byte (after being broken, say): take this stamp as ours, drop the
    /// broken one, and save what is unsaved.
    Ours(Option<Stamp>),
    /// Still the broken file we saw: nothing to parse again. `Some`: touched, same bytes;
    /// take it as the broken stamp.
    StillBroken(Option<Stamp>),
    /// Something new: load it (it may load, or be broken in a new way).
    New,
    /// No file: nothing to protect; the next save recreates it from memory.
    Missing,
    /// There but unreadable: keep what we have, do not save over it.
    Unreadable,
}

/// Compares the file at `path` with what we hold and with the broken file we last saw there.
/// Costs a `stat` when nothing moved, one read of the file when something did.
pub fn look(path: &Path, ours: Option<&Stamp>, broken: Option<&Stamp>) -> Look {
    let first = broken.or(ours);
    let Some(first) = first else {
        return Look::New;
    };
    let disk = first.compare(path);
    match (disk, broken.is_some()) {
        (Disk::Same, true) => Look::StillBroken(None),
        (Disk::SameBytes(now), true) => Look::StillBroken(Some(now)),
        (Disk::Same, false) => Look::Ours(None),
        (Disk::SameBytes(now), false) => Look::Ours(Some(now)),
        (Disk::Missing, _) => Look::Missing,
        (Disk::Unreadable, _) => Look::Unreadable,
        (Disk::Changed(now), _) => match ours {
            Some(ours) if ours.same_bytes(&now) => Look::Ours(Some(now)),
            _ => Look::New,
        },
    }
}

/// A file that did not load, with the stamp of the bytes that failed (None when it could not
/// even be read), so the caller knows it when it sees it again and does not parse it again.
#[derive(Debug)]
pub struct Broken {
    pub error: LoadError,
    pub stamp: Option<Stamp>,
}

/// `load_stamped`, which on failure also stamps the bytes that failed: keep that stamp as
/// the broken one for [`look`], so a broken file is parsed once, not on every idle check,
/// and putting back good bytes is seen at once.
pub fn load_stamped_or_broken(path: &Path) -> Result<(Library, Stamp), Box<Broken>> {
    let (bytes, meta) = read(path).map_err(|error| Box::new(Broken { error, stamp: None }))?;
    let stamp = Stamp::of(&bytes, &meta);
    match text_of(&bytes, path).and_then(|text| parse(text, path)) {
        Ok(library) => Ok((library, stamp)),
        Err(error) => Err(Box::new(Broken {
            error,
            stamp: Some(stamp),
        })),
    }
}

/// The app's watch on its file, in one place: the bytes it holds, the broken file it last saw,
/// and the backoff for retrying one. Call [`Watch::poll`] when idle (it costs a `stat` when
/// nothing moved) and [`Watch::ours`] after each save or load.
#[derive(Debug, Clone, Default)]
pub struct Watch {
    ours: Option<Stamp>,
    broken: Option<Stamp>,
    missing: bool,
    backoff: Backoff,
}

/// What [`Watch::poll`] found.
#[derive(Debug)]
pub enum Event {
    /// Nothing to do.
    Nothing,
    /// The file is back to the bytes we hold (it was broken or gone and was put back byte for
    /// byte): unblock, and save what is unsaved.
    Resume,
    /// A new file that loads: rebase on it (re-apply this run's unsaved edits).
    Reload(Box<Library>, Stamp),
    /// A new file that does not load: keep what we have, do not save over it, show why.
    /// Reported once per broken version; it is parsed again only when it changes, at most
    /// as often as the backoff allows.
    Broken(LoadError),
    /// The file is gone (reported once): nothing to protect; save now, so what was shown as
    /// saved is on disk again (the save recreates it).
    Missing,
    /// There but unreadable (permissions, not a regular file): do not save over it.
    Unreadable,
}

impl Watch {
    /// A watch over a file whose bytes we hold as `ours` (None: none read yet).
    pub fn new(ours: Option<Stamp>) -> Watch {
        Watch {
            ours,
            ..Watch::default()
        }
    }

    /// We loaded or wrote these bytes.
    pub fn ours(&mut self, stamp: Stamp) {
        *self = Watch::new(Some(stamp));
    }

    /// The stamp of the bytes we hold, for the saver.
    pub fn stamp(&self) -> Option<&Stamp> {
        self.ours.as_ref()
    }

    /// True while the file on disk is a broken one we will not save over.
    pub fn is_broken(&self) -> bool {
        self.broken.is_some()
    }

    /// Looks at the file at `path` now (`now`: for the backoff), on this thread.
    pub fn poll(&mut self, path: &Path, now: std::time::Instant) -> Event {
        let found = self.request(now).run(path);
        self.apply(found, now)
    }

    /// True when a look now costs only this `stat` and finds nothing: the file's metadata is
    /// what we last saw of it.
    pub fn unmoved(&self, path: &Path) -> bool {
        self.broken
            .as_ref()
            .or(self.ours.as_ref())
            .is_some_and(|seen| fs::metadata(path).is_ok_and(|m| seen.same_meta(&m)))
    }

    /// The look to make, as a value that can run on another thread (a big file's read, hash
    /// and parse are the slow part of a poll); hand what it finds to [`Watch::apply`].
    pub fn request(&self, now: std::time::Instant) -> Examine {
        Examine {
            ours: self.ours.clone(),
            broken: self.broken.clone(),
            due: self.backoff.due(now),
        }
    }

    /// Takes in what a look found. A look made against other stamps than the ones held now
    /// (a save landed meanwhile) is dropped: the next poll looks again.
    pub fn apply(&mut self, found: Found, now: std::time::Instant) -> Event {
        if found.ours != self.ours || found.broken != self.broken {
            return Event::Nothing;
        }
        let was_off = self.broken.is_some() || self.missing;
        match found.look {
            Look::Ours(stamp) => {
                if let Some(stamp) = stamp {
                    self.ours = Some(stamp);
                }
                self.broken = None;
                self.missing = false;
                self.backoff.reset();
                if was_off {
                    Event::Resume
                } else {
                    Event::Nothing
                }
            }
            Look::StillBroken(stamp) => {
                if stamp.is_some() {
                    self.broken = stamp;
                }
                Event::Nothing
            }
            Look::Missing => {
                self.broken = None;
                if std::mem::replace(&mut self.missing, true) {
                    Event::Nothing
                } else {
                    Event::Missing
                }
            }
            Look::Unreadable => Event::Unreadable,
            Look::New => match found.loaded {
                // Not due yet (the backoff of a broken file).
                None => Event::Nothing,
                Some(Ok((library, stamp))) => {
                    self.ours(stamp.clone());
                    Event::Reload(Box::new(library), stamp)
                }
                Some(Err(broken)) => {
                    self.missing = false;
                    self.backoff.failed(now);
                    match broken.stamp {
                        Some(stamp) => self.broken = Some(stamp),
                        None => return Event::Unreadable,
                    }
                    Event::Broken(broken.error)
                }
            },
        }
    }
}

/// A look at the file to make, from [`Watch::request`]: what the watch holds, and whether a
/// changed file may be parsed now.
#[derive(Debug, Clone)]
pub struct Examine {
    ours: Option<Stamp>,
    broken: Option<Stamp>,
    due: bool,
}

/// What [`Examine::run`] found, for [`Watch::apply`].
#[derive(Debug)]
pub struct Found {
    ours: Option<Stamp>,
    broken: Option<Stamp>,
    look: Look,
    /// The load of a new file (None when there was none to load, or not yet due).
    loaded: Option<Result<(Library, Stamp), Box<Broken>>>,
}

impl Examine {
    /// Looks at the file, and loads it when it is new: a `stat` when nothing moved, a read
    /// (and a parse) when something did. Runs on any thread.
    pub fn run(self, path: &Path) -> Found {
        let look = look(path, self.ours.as_ref(), self.broken.as_ref());
        let loaded = match look {
            Look::New if self.due => Some(load_stamped_or_broken(path)),
            _ => None,
        };
        Found {
            ours: self.ours,
            broken: self.broken,
            look,
            loaded,
        }
    }
}

/// When to try a broken file again, when it keeps changing and keeps failing (a sync tool
/// writing it in place, say): 0.5 s after the first failure, doubling up to 30 s; back to
/// the start once it loads. The app asks [`Backoff::due`] before parsing a changed broken
/// file, calls [`Backoff::failed`] after each failed parse and [`Backoff::reset`] when it
/// loads. (A broken file that does not change is never parsed again: see [`look`].)
#[derive(Debug, Clone)]
pub struct Backoff {
    delay: std::time::Duration,
    next: Option<std::time::Instant>,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff::new()
    }
}

impl Backoff {
    pub const FIRST: std::time::Duration = std::time::Duration::from_millis(500);
    pub const MOST: std::time::Duration = std::time::Duration::from_secs(30);

    pub fn new() -> Backoff {
        Backoff {
            delay: Backoff::FIRST,
            next: None,
        }
    }

    /// True when a try is allowed at `now`.
    pub fn due(&self, now: std::time::Instant) -> bool {
        self.next.is_none_or(|next| now >= next)
    }

    /// A try failed at `now`: the next one waits twice as long as the last (up to `MOST`).
    pub fn failed(&mut self, now: std::time::Instant) {
        self.next = Some(now + self.delay);
        self.delay = (self.delay * 2).min(Backoff::MOST);
    }

    /// It loaded: the next failure starts from `FIRST` again.
    pub fn reset(&mut self) {
        *self = Backoff::new();
    }

    /// How long until the next try is due at `now` (zero when it is), for a poll timeout.
    pub fn wait(&self, now: std::time::Instant) -> std::time::Duration {
        self.next.map_or(std::time::Duration::ZERO, |n| {
            n.saturating_duration_since(now)
        })
    }
}

/// The bytes of the file at `path` whatever they hold (a broken library, say), and their
/// stamp, for replacing it with [`write_checked`](super::write_checked) only if it is
/// still the file read.
pub fn read_stamped(path: &Path) -> io::Result<(Vec<u8>, Stamp)> {
    use std::io::Read;
    let mut file = fs::File::open(path)?;
    let meta = file.metadata()?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    let stamp = Stamp::of(&bytes, &meta);
    Ok((bytes, stamp))
}

/// Loads the library and stamps what was read.
pub fn load_stamped(path: &Path) -> Result<(Library, Stamp), LoadError> {
    let (bytes, meta) = read(path)?;
    let library = parse(text_of(&bytes, path)?, path)?;
    Ok((library, Stamp::of(&bytes, &meta)))
}

/// `load_stamped`, taking the parse from the start-up cache when it holds one for these exact
/// bytes (a cached parse is checked again by the rules, each franchise on the thread that
/// decodes it). Returns the bytes when the RON was parsed, so a caller can cache the parse.
///
/// When the file's length, times and inode are those the cache was written for, the file is
/// only hashed, a piece at a time, not read into memory: the hash decides, as always, and
/// the 14 MB buffer of a large library (thousands of page faults on a fresh process) is never
/// made. Anything unexpected on that path (an error, a file that grew while hashed) falls
/// back to the full read, which reports errors as `load_stamped` does.
pub fn load_stamped_cached(
    path: &Path,
    cached: Option<super::cache::Candidate>,
) -> Result<(Library, Stamp, Option<Vec<u8>>), LoadError> {
    // A decoded cache has been checked by the rules already (`Candidate::decode`).
    let usable = |l: &Library| l.version <= FORMAT_VERSION;
    let cached = match cached {
        Some(candidate) if candidate.same_file(path) => {
            // Decode while the RON is hashed, on another thread: the decode is used only if
            // the hash matches (it almost always does when the times and inode do). A small
            // file is hashed in less time than a thread takes to start.
            let small = candidate.file_len().is_some_and(|len| len < 1 << 20);
            let (hashed, library) = std::thread::scope(|scope| {
                if small {
                    let hashed = hash_file(path);
                    crate::trace::mark("hashed");
                    return (hashed, candidate.decode());
                }
                let hashing = scope.spawn(|| {
                    let hashed = hash_file(path);
                    crate::trace::mark("hashed");
                    hashed
                });
                let library = candidate.decode();
                crate::trace::mark("cache-decode");
                (hashing.join().ok().flatten(), library)
            });
            match hashed {
                Some((hash, meta)) => {
                    if Some(hash) == candidate.hash()
                        && let Some(library) = library.filter(usable)
                    {
                        crate::trace::mark("validate");
                        return Ok((library, Stamp::hashed(hash, &meta), None));
                    }
                    // Other bytes than the cache's (or a cache that does not decode): parse.
                    None
                }
                None => Some(candidate),
            }
        }
        other => other,
    };
    let (bytes, meta) = read(path)?;
    crate::trace::mark("read");
    let stamp = Stamp::of(&bytes, &meta);
    crate::trace::mark("stamp");
    if let Some(candidate) = cached
        && candidate.hash() == Some(stamp.hash)
        && let Some(library) = candidate.decode().filter(usable)
    {
        crate::trace::mark("validate");
        return Ok((library, stamp, None));
    }
    let library = parse(text_of(&bytes, path)?, path)?;
    Ok((library, stamp, Some(bytes)))
}

/// The xxh3 of a regular file's bytes and its metadata, read a piece at a time; None when
/// anything is off (the full read then says what).
fn hash_file(path: &Path) -> Option<(u64, fs::Metadata)> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    // As `load::read`: O_NONBLOCK, so a FIFO swapped in cannot make this wait.
    let mut file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() > super::MAX_FILE_BYTES {
        return None;
    }
    let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
    // Small enough to stay in the CPU's cache, large enough for few reads.
    let mut buffer = vec![0; 256 * 1024];
    let mut total = 0u64;
    loop {
        let n = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return None,
        };
        total += n as u64;
        if total > meta.len() {
            return None;
        }
        hasher.update(buffer.get(..n)?);
    }
    (total == meta.len()).then(|| (hasher.digest(), meta))
}

/// Loads a file written by a newer fantrack, for showing it read-only: its fields must still
/// be ones this build knows. Never save what this returns over the file.
pub fn load_stamped_newer(path: &Path) -> Result<(Library, Stamp), LoadError> {
    let (bytes, meta) = read(path)?;
    let library = parse_with(text_of(&bytes, path)?, path, true)?;
    Ok((library, Stamp::of(&bytes, &meta)))
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::store::*;

    fn marked(note: &str) -> Library {
        let mut library = shipped_catalog();
        library.franchises[0].notes = note.into();
        library
    }

    #[test]
    fn a_broken_file_put_back_byte_for_byte_is_ours_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("library.ron");
        let ours = save(&path, &marked("ours")).expect("save");
        let good = fs::read(&path).expect("read");
        assert_eq!(look(&path, Some(&ours), None), Look::Ours(None));

        fs::write(&path, b"(version: 1, franchises: [ half").expect("break");
        assert_eq!(look(&path, Some(&ours), None), Look::New);
        let broken = load_stamped_or_broken(&path).expect_err("broken");
        assert!(matches!(broken.error, LoadError::Syntax { .. }));
        let broken = broken.stamp.expect("stamped");
        // Seen again, unchanged: nothing to parse.
        assert_eq!(
            look(&path, Some(&ours), Some(&broken)),
            Look::StillBroken(None)
        );
        // Touched but still the same broken bytes.
        let aside = dir.path().join("aside");
        fs::write(&aside, b"(version: 1, franchises: [ half").expect("write");
        fs::rename(&aside, &path).expect("rename");
        assert!(matches!(
            look(&path, Some(&ours), Some(&broken)),
            Look::StillBroken(Some(_))
        ));

        // Put back byte for byte: ours again, with a fresh stamp, and a save goes through.
        fs::write(&aside, &good).expect("write");
        fs::rename(&aside, &path).expect("rename");
        let Look::Ours(Some(back)) = look(&path, Some(&ours), Some(&broken)) else {
            panic!("not seen as ours");
        };
        let outcome = save_checked(&path, &marked("ours, later"), Some(&back)).expect("save");
        assert!(matches!(outcome, Saved::Written(_)), "{outcome:?}");

        // Broken, then other good bytes: new, to be loaded.
        fs::write(&path, b"broken").expect("break");
        let broken = load_stamped_or_broken(&path)
            .expect_err("broken")
            .stamp
            .expect("stamp");
        save(&path, &marked("theirs")).expect("theirs");
        assert_eq!(look(&path, Some(&back), Some(&broken)), Look::New);
        fs::remove_file(&path).expect("rm");
        assert_eq!(look(&path, Some(&back), Some(&broken)), Look::Missing);
    }

    #[test]
    fn backoff_doubles_up_to_its_limit_and_resets() {
        let start = std::time::Instant::now();
        let mut b = Backoff::new();
        assert!(b.due(start));
        b.failed(start);
        assert!(!b.due(start));
        assert!(b.due(start + Backoff::FIRST));
        let mut at = start;
        for _ in 0..20 {
            at += b.wait(at);
            assert!(b.due(at));
            b.failed(at);
        }
        assert_eq!(b.wait(at), Backoff::MOST);
        b.reset();
        assert!(b.due(at));
    }

    #[test]
    fn the_watch_reports_each_state_once_and_resumes_on_good_bytes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("library.ron");
        let mut watch = Watch::new(Some(save(&path, &marked("ours")).expect("save")));
        let good = fs::read(&path).expect("read");
        let now = std::time::Instant::now();
        assert!(matches!(watch.poll(&path, now), Event::Nothing));

        fs::write(&path, b"broken").expect("break");
        assert!(matches!(watch.poll(&path, now), Event::Broken(_)));
        assert!(watch.is_broken());
        assert!(
            matches!(watch.poll(&path, now), Event::Nothing),
            "parsed once"
        );
        // Changed but still broken: not parsed again before the backoff allows.
        fs::write(&path, b"broken again").expect("break");
        assert!(matches!(watch.poll(&path, now), Event::Nothing));
        let later = now + Backoff::FIRST;
        assert!(matches!(watch.poll(&path, later), Event::Broken(_)));

        // Put back byte for byte: resume, no reload.
        let aside = dir.path().join("aside");
        fs::write(&aside, &good).expect("write");
        fs::rename(&aside, &path).expect("rename");
        assert!(matches!(watch.poll(&path, later), Event::Resume));
        assert!(!watch.is_broken());
        assert!(matches!(watch.poll(&path, later), Event::Nothing));

        fs::remove_file(&path).expect("rm");
        assert!(matches!(watch.poll(&path, later), Event::Missing));
        assert!(
            matches!(watch.poll(&path, later), Event::Nothing),
            "said once"
        );
        let stamp = match save_checked(&path, &marked("ours"), watch.stamp()).expect("save") {
            Saved::Recreated(stamp) => stamp,
            other => panic!("{other:?}"),
        };
        watch.ours(stamp);
        assert!(matches!(watch.poll(&path, later), Event::Nothing));

        save(&path, &marked("theirs")).expect("outside");
        match watch.poll(&path, later) {
            Event::Reload(library, _) => assert_eq!(library.franchises[0].notes, "theirs"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(watch.poll(&path, later), Event::Nothing));
    }

    #[test]
    fn a_file_hashed_piece_by_piece_hashes_as_its_bytes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("library.ron");
        // Larger than the piece, and not a multiple of it.
        let bytes: Vec<u8> = (0..700_001u32).map(|i| (i % 251) as u8).collect();
        fs::write(&path, &bytes).expect("write");
        let (hash, meta) = hash_file(&path).expect("hashed");
        assert_eq!(hash, xxhash_rust::xxh3::xxh3_64(&bytes));
        assert_eq!(meta.len(), bytes.len() as u64);
        assert!(hash_file(dir.path()).is_none(), "a directory is not hashed");
    }

    #[test]
    fn the_start_up_cache_is_taken_only_for_the_bytes_it_was_made_of() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = cache::Cache::new(dir.path().join("cache"));
        let path = dir.path().join("library.ron");
        let ours = marked("ours");
        save(&path, &ours).expect("save");
        let (_, stamp) = load_stamped(&path).expect("loads");
        let candidate = || cache.library_candidate(&path);
        assert!(candidate().is_none(), "nothing cached yet");
        let (library, from_parse, parsed) =
            load_stamped_cached(&path, candidate()).expect("parsed");
        assert_eq!((library, &from_parse), (ours.clone(), &stamp));
        let bytes = parsed.expect("parsed, so the caller can cache it");
        cache.write_library(&path, &bytes, ours.clone());

        // Same file: the cache's library, and the very stamp a full read gives.
        let c = candidate().expect("cached");
        assert!(c.same_file(&path));
        let (library, from_cache, parsed) = load_stamped_cached(&path, Some(c)).expect("cached");
        assert_eq!((library, &from_cache, parsed), (ours.clone(), &stamp, None));

        // A cache of other bytes, written with this file's times: the hash says no.
        let other = marked("other");
        let other_text = to_text(&other).expect("text");
        cache.write_library(&path, other_text.as_bytes(), other);
        let c = candidate().expect("cached");
        assert!(c.same_file(&path), "the times match");
        let (library, _, parsed) = load_stamped_cached(&path, Some(c)).expect("parsed");
        assert_eq!(library, ours, "the file's own bytes, parsed");
        assert!(parsed.is_some());

        // An edit: the file is read and parsed, and its stamp is of the new bytes.
        cache.write_library(&path, &bytes, ours.clone());
        let edited = marked("edited");
        std::thread::sleep(std::time::Duration::from_millis(10));
        fs::write(&path, to_text(&edited).expect("text")).expect("edit");
        let c = candidate().expect("cached");
        assert!(!c.same_file(&path));
        let (library, stamp, parsed) = load_stamped_cached(&path, Some(c)).expect("parsed");
        assert_eq!(library, edited);
        assert!(parsed.is_some());
        assert_eq!(stamp, load_stamped(&path).expect("loads").1);

        // A garbled cache whose head still matches is not trusted: the RON is parsed.
        cache.write_library(&path, &fs::read(&path).expect("read"), edited.clone());
        let file = cache.file(&path, "library").expect("cache path");
        let mut garbled = fs::read(&file).expect("cache");
        let n = garbled.len();
        garbled.truncate(n - 3);
        fs::write(&file, &garbled).expect("garble");
        let c = candidate().expect("head still there");
        assert!(c.same_file(&path));
        let (library, _, parsed) = load_stamped_cached(&path, Some(c)).expect("parsed");
        assert_eq!((library, parsed.is_some()), (edited, true));
    }
}
