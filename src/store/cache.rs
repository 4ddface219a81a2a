//! The library cache, in the user's cache directory: the parsed library in a binary form
//! (MessagePack) that loads about ten times faster than RON. It is valid only for RON bytes
//! with the same xxh3 hash. The RON file stays the only source of truth; a cache that cannot be
//! read, written or decoded is simply not used (and is rebuilt).

use std::fs;
use std::path::{Path, PathBuf};

use crate::model::Library;

/// Bumped whenever the layout of a cache file or of the model changes.
pub(crate) const FORMAT: u32 = 8;

/// A cache directory.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn new(dir: PathBuf) -> Cache {
        Cache { dir }
    }

    /// `$FANTRACK_CACHE_DIR`, else the platform cache dir (`~/.cache/fantrack` on Linux).
    pub fn from_env() -> Option<Cache> {
        let dir = match std::env::var_os("FANTRACK_CACHE_DIR").filter(|d| !d.is_empty()) {
            Some(d) => PathBuf::from(d),
            None => directories::ProjectDirs::from("", "", "fantrack")?
                .cache_dir()
                .into(),
        };
        Some(Cache::new(dir))
    }

    /// The cache files of one library file are named after a hash of its absolute path.
    pub(crate) fn file(&self, library: &Path, kind: &str) -> Option<PathBuf> {
        let absolute = fs::canonicalize(library).ok()?;
        let key = xxhash_rust::xxh3::xxh3_64(absolute.as_os_str().as_encoded_bytes());
        Some(self.dir.join(format!("{key:016x}.{kind}")))
    }
}

/// Writes a cache file atomically (a reader never sees half of one); no fsync: it is a cache.
pub(crate) fn write(path: &Path, bytes: &[u8]) {
    let Some(dir) = path.parent() else { return };
    if fs::create_dir_all(dir).is_err() {
        return;
    }
    let Ok(mut tmp) = tempfile::Builder::new().prefix(".cache.").tempfile_in(dir) else {
        return;
    };
    if std::io::Write::write_all(&mut tmp, bytes).is_ok() {
        let _ = tmp.persist(path);
    }
}

/// The library cache file: the format and the RON bytes' xxh3 (8 bytes each, little endian),
/// then the RON file's length, modification and change times and inode when the cache was
/// written (`FILE` bytes), then the number of parts and each part's length and xxh3 (8 bytes
/// each), then the parts in MessagePack: the library without its franchises, then each
/// franchise. A part is used only if it hashes as the table says: a cache damaged on disk
/// must not become the library the next save writes.
/// The head alone says whether the cache matches; the franchises are read and decoded in
/// parallel (the decode, not the read, is the cost of a start from the cache: about 23 ms of
/// CPU for 25,000 episodes). The file's times only say whether hashing it piece by piece is
/// worth a try (see `store::load_stamped_cached`): the hash decides.
const HEAD: usize = 16;

/// The file's length, times (seconds and nanoseconds each), inode and device.
const FILE: usize = 7 * 8;

/// What of a file's metadata the library cache remembers.
fn file_key(meta: &fs::Metadata) -> [u8; FILE] {
    use std::os::unix::fs::MetadataExt;
    let fields = [
        meta.len(),
        meta.mtime() as u64,
        meta.mtime_nsec() as u64,
        meta.ctime() as u64,
        meta.ctime_nsec() as u64,
        meta.ino(),
        meta.dev(),
    ];
    let mut key = [0; FILE];
    for (chunk, field) in key.chunks_exact_mut(8).zip(fields) {
        chunk.copy_from_slice(&field.to_le_bytes());
    }
    key
}

/// More parts than this is no cache fantrack wrote.
const MAX_PARTS: u64 = 1 << 20;

fn head(ron: &[u8]) -> [u8; HEAD] {
    head_of(xxhash_rust::xxh3::xxh3_64(ron))
}

/// [`head`] of RON whose xxh3 is `hash`.
fn head_of(hash: u64) -> [u8; HEAD] {
    let mut head = [0; HEAD];
    head[..8].copy_from_slice(&u64::from(FORMAT).to_le_bytes());
    head[8..].copy_from_slice(&hash.to_le_bytes());
    head
}

/// The 8-byte little-endian number at `at`.
fn number(bytes: &[u8], at: usize) -> Option<u64> {
    let b: [u8; 8] = bytes.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(b))
}

/// Where a part lies in the cache file, and the xxh3 of its bytes.
#[derive(Clone, Copy)]
struct Place {
    at: u64,
    len: usize,
    hash: u64,
}

/// Where each part lies, from the part table read after the head; None for a table that is
/// garbled or does not end where the file does.
fn places(file: &fs::File, len: u64) -> Option<Vec<Place>> {
    use std::os::unix::fs::FileExt;
    const AT: usize = HEAD + FILE;
    let mut count = [0; 8];
    file.read_exact_at(&mut count, AT as u64).ok()?;
    let count = u64::from_le_bytes(count);
    if count == 0 || count > MAX_PARTS {
        return None;
    }
    let count = usize::try_from(count).ok()?;
    let mut table = vec![0; count.checked_mul(16)?];
    file.read_exact_at(&mut table, (AT + 8) as u64).ok()?;
    let mut at = u64::try_from(AT + 8 + table.len()).ok()?;
    let mut places = Vec::with_capacity(count);
    for i in 0..count {
        let part = number(&table, i * 16)?;
        let hash = number(&table, i * 16 + 8)?;
        let len = usize::try_from(part).ok()?;
        places.push(Place { at, len, hash });
        at = at.checked_add(part)?;
    }
    (at == len).then_some(places)
}

/// The part at `place`, read into `buffer` (kept between parts, so a thread grows it once);
/// None if it does not hash as the table says.
fn read_part<'a>(file: &fs::File, place: Place, buffer: &'a mut Vec<u8>) -> Option<&'a [u8]> {
    use std::os::unix::fs::FileExt;
    buffer.resize(place.len, 0);
    file.read_exact_at(buffer, place.at).ok()?;
    (xxhash_rust::xxh3::xxh3_64(buffer) == place.hash).then_some(buffer)
}

/// Decodes the franchises, on up to two threads (the machine's cores, at most two), each taking
/// the next franchise not yet taken: a thread slowed by other work (the RON's hash runs beside
/// it) takes fewer, so the two finish within one franchise of each other. Each franchise is
/// checked by its own rules ([`rules::check_franchise`]) on the thread that decoded it, while
/// it is still in the CPU's cache; None if one does not decode or breaks a rule.
///
/// [`rules::check_franchise`]: crate::model::rules::check_franchise
fn franchises(file: &fs::File, parts: &[Place]) -> Option<Vec<crate::model::Franchise>> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    // Each thread reads its own parts: the reads run in parallel too, and no copy of the whole
    // file is made (2 MB of fresh memory at 25,000 episodes, read before any decode began).
    let decode = |i: usize, place, buffer: &mut Vec<u8>| -> Option<crate::model::Franchise> {
        let part = read_part(file, place, buffer)?;
        let franchise: crate::model::Franchise = rmp_serde::from_slice(part).ok()?;
        crate::model::rules::check_franchise(i, &franchise).ok()?;
        Some(franchise)
    };
    let total: usize = parts.iter().map(|p| p.len).sum();
    // Asked last: `available_parallelism` reads the cgroup files (~0.1 ms), and a small
    // library (the shipped catalog) would pay that for nothing.
    if parts.len() < 2
        || total < 256 * 1024
        || std::thread::available_parallelism().map_or(1, |n| n.get()) < 2
    {
        let mut buffer = Vec::new();
        return (parts.iter().enumerate())
            .map(|(i, &place)| decode(i, place, &mut buffer))
            .collect();
    }
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    // The franchises this thread decoded, with their places; None once either thread failed.
    let work = || -> Option<Vec<(usize, crate::model::Franchise)>> {
        let (mut done, mut buffer) = (Vec::new(), Vec::new());
        while !failed.load(Ordering::Relaxed) {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(&place) = parts.get(i) else {
                return Some(done);
            };
            match decode(i, place, &mut buffer) {
                Some(franchise) => done.push((i, franchise)),
                None => failed.store(true, Ordering::Relaxed),
            }
        }
        None
    };
    std::thread::scope(|scope| {
        let other = scope.spawn(|| {
            // This thread's heap is a new one: advised as `main` advised the first.
            crate::heap::advise_huge_pages();
            let theirs = work();
            crate::trace::mark("decode-half");
            theirs
        });
        let mine = work();
        let theirs = other.join().ok()??;
        let mut slots: Vec<Option<crate::model::Franchise>> = Vec::new();
        slots.resize_with(parts.len(), || None);
        for (i, franchise) in mine?.into_iter().chain(theirs) {
            *slots.get_mut(i)? = Some(franchise);
        }
        slots.into_iter().collect()
    })
}

/// A library cache file of this format, its head read: not yet checked against the RON
/// bytes, its parts not yet read nor decoded (so that can overlap the hashing of the RON).
pub struct Candidate {
    path: PathBuf,
    head: [u8; HEAD + FILE],
}

impl Candidate {
    /// The xxh3 of the RON bytes this is the parse of.
    pub fn hash(&self) -> Option<u64> {
        number(&self.head, 8)
    }

    /// The RON file's length when this cache was written.
    pub fn file_len(&self) -> Option<u64> {
        number(&self.head, HEAD)
    }

    /// True when the file at `path` has the length, times and inode it had when this cache
    /// was written: then it most likely holds the same bytes (only the hash can say).
    pub fn same_file(&self, path: &Path) -> bool {
        fs::metadata(path).is_ok_and(|meta| self.head.get(HEAD..) == Some(&file_key(&meta)[..]))
    }

    /// The library, checked by the rules a load applies (`rules::check`); None for a cache cut
    /// short, garbled, replaced since its head was read, or holding a library that breaks one.
    pub fn decode(&self) -> Option<Library> {
        use std::os::unix::fs::FileExt;
        // One open file throughout: a cache renamed over meanwhile is not mixed in.
        let file = fs::File::open(&self.path).ok()?;
        let len = file.metadata().ok()?.len();
        let mut head = [0; HEAD + FILE];
        file.read_exact_at(&mut head, 0).ok()?;
        if head != self.head {
            return None;
        }
        let places = places(&file, len)?;
        crate::trace::mark("cache-read");
        let (&top, rest) = places.split_first()?;
        let mut library: Library =
            rmp_serde::from_slice(read_part(&file, top, &mut Vec::new())?).ok()?;
        if !library.franchises.is_empty() {
            return None;
        }
        library.franchises = franchises(&file, rest)?;
        // The rest of the rules, across franchises (each franchise's own are checked).
        crate::model::rules::check_links(&library).ok()?;
        Some(library)
    }
}

impl Cache {
    /// The library cache of this file, if there is one of this format (its head read).
    pub fn library_candidate(&self, library_file: &Path) -> Option<Candidate> {
        use std::io::Read;
        let path = self.file(library_file, "library")?;
        let mut head = [0; HEAD + FILE];
        fs::File::open(&path).ok()?.read_exact(&mut head).ok()?;
        let format = u64::from(FORMAT).to_le_bytes();
        (head.get(..8)? == format).then_some(Candidate { path, head })
    }

    /// The library, if the cache holds one for exactly these RON bytes.
    pub fn read_library(&self, library_file: &Path, ron: &[u8]) -> Option<Library> {
        let candidate = self.library_candidate(library_file)?;
        (candidate.head.get(..HEAD)? == head(ron)).then(|| candidate.decode())?
    }

    /// True when the cache already holds the parse of these RON bytes, written for the file
    /// as it is now (its times too, so the next start can hash the file without reading it
    /// into memory). Reads the head only.
    pub fn has_library(&self, library_file: &Path, ron: &[u8]) -> bool {
        self.has_library_of(library_file, xxhash_rust::xxh3::xxh3_64(ron))
    }

    /// [`Cache::has_library`] for RON whose xxh3 is `hash`.
    pub fn has_library_of(&self, library_file: &Path, hash: u64) -> bool {
        self.library_candidate(library_file).is_some_and(|c| {
            c.head.get(..HEAD) == Some(&head_of(hash)[..]) && c.same_file(library_file)
        })
    }

    /// Remembers `library` as the parse of these RON bytes.
    pub fn write_library(&self, library_file: &Path, ron: &[u8], library: Library) {
        self.write_library_of(library_file, xxhash_rust::xxh3::xxh3_64(ron), library);
    }

    /// [`Cache::write_library`] for RON whose xxh3 is `hash` (the document's [`Stamp`] has
    /// it), so the file need not be read again to write the cache.
    ///
    /// [`Stamp`]: crate::store::Stamp
    pub fn write_library_of(&self, library_file: &Path, hash: u64, mut library: Library) {
        let (Some(path), Ok(meta)) = (
            self.file(library_file, "library"),
            fs::metadata(library_file),
        ) else {
            return;
        };
        let franchises = std::mem::take(&mut library.franchises);
        let mut parts = Vec::with_capacity(franchises.len() + 1);
        let Ok(top) = rmp_serde::to_vec_named(&library) else {
            return;
        };
        parts.push(top);
        for f in &franchises {
            let Ok(part) = rmp_serde::to_vec_named(f) else {
                return;
            };
            parts.push(part);
        }
        let key = file_key(&meta);
        // Sized once, and each part freed as it is copied: at 25,000 episodes the parts are
        // 3 MB, and growing the buffer by doubling held them three times over.
        let size =
            HEAD + key.len() + 8 + 16 * parts.len() + parts.iter().map(Vec::len).sum::<usize>();
        let mut bytes = Vec::with_capacity(size);
        bytes.extend_from_slice(&head_of(hash));
        bytes.extend_from_slice(&key);
        bytes.extend_from_slice(&(parts.len() as u64).to_le_bytes());
        for part in &parts {
            bytes.extend_from_slice(&(part.len() as u64).to_le_bytes());
            bytes.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(part).to_le_bytes());
        }
        for part in parts {
            bytes.extend_from_slice(&part);
        }
        write(&path, &bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{save, shipped_catalog, to_text};

    #[test]
    fn the_library_cache_is_used_only_for_the_same_bytes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::new(dir.path().join("cache"));
        let path = dir.path().join("library.ron");
        let library = shipped_catalog();
        save(&path, &library).expect("save");
        let ron = fs::read(&path).expect("read");
        assert!(
            cache.read_library(&path, &ron).is_none(),
            "nothing cached yet"
        );
        cache.write_library(&path, &ron, library.clone());
        assert!(cache.has_library(&path, &ron));
        assert_eq!(cache.read_library(&path, &ron), Some(library.clone()));
        // The same bytes written again: still their parse, but written for other file times,
        // so the exit writes it again (and the next start can hash without a full read).
        std::thread::sleep(std::time::Duration::from_millis(10));
        fs::write(&path, &ron).expect("rewrite");
        assert!(!cache.has_library(&path, &ron));
        assert_eq!(cache.read_library(&path, &ron), Some(library.clone()));
        cache.write_library(&path, &ron, library.clone());
        assert!(cache.has_library(&path, &ron));
        // A cache cut short is not used.
        let file = cache.file(&path, "library").expect("cache path");
        let whole = fs::read(&file).expect("cache");
        fs::write(&file, &whole[..whole.len() - 1]).expect("cut");
        assert!(cache.read_library(&path, &ron).is_none(), "cut short");
        fs::write(&file, &whole).expect("put back");
        let mut edited = ron.clone();
        edited.push(b'\n');
        assert!(
            cache.read_library(&path, &edited).is_none(),
            "other bytes, no cache"
        );
        // One letter of a title changed on disk: still MessagePack, still a library that keeps
        // every rule, but not the one cached. Its part's hash says so.
        let title = library.franchises[0].shows[0].title.as_bytes();
        let at = whole
            .windows(title.len())
            .position(|w| w == title)
            .expect("a title in the cache");
        let mut damaged = whole.clone();
        damaged[at] ^= 0x20; // the letter's case
        fs::write(&file, &damaged).expect("damage");
        assert!(cache.read_library(&path, &ron).is_none(), "a part damaged");
        // One byte more at the end: the parts no longer end where the file does.
        let mut longer = whole.clone();
        longer.push(0);
        fs::write(&file, &longer).expect("lengthen");
        assert!(cache.read_library(&path, &ron).is_none(), "a byte more");
        fs::write(&file, &whole).expect("put back");
        assert_eq!(cache.read_library(&path, &ron), Some(library.clone()));
        // A corrupt cache is ignored, not trusted.
        fs::write(&file, b"garbage").expect("write");
        assert!(cache.read_library(&path, &ron).is_none());
        assert_eq!(to_text(&library).expect("text").as_bytes(), &ron[..]);
    }

    /// The catalog and 12 copies of its franchise (ids changed, so it breaks no rule).
    fn thirteen_franchises() -> Library {
        let mut library = shipped_catalog();
        for i in 0..12 {
            let mut f = library.franchises[0].clone();
            f.id = format!("copy-{i}");
            for (n, show) in f.shows.iter_mut().enumerate() {
                show.id = format!("copy-{i}-{n}");
                show.origin = None;
            }
            library.franchises.push(f);
        }
        assert_eq!(crate::model::rules::check(&library), Ok(()));
        library
    }

    #[test]
    fn a_large_library_decodes_in_parts_and_is_used_only_when_it_breaks_no_rule() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::new(dir.path().join("cache"));
        let path = dir.path().join("library.ron");
        // Large enough for the two-thread decode: the parts come back as the same library.
        let library = thirteen_franchises();
        save(&path, &library).expect("save");
        let ron = fs::read(&path).expect("read");
        cache.write_library(&path, &ron, library.clone());
        assert_eq!(cache.read_library(&path, &ron), Some(library.clone()));
        // A rule inside one franchise (checked on the decoding threads), first and last part.
        for at in [0, 12] {
            let mut bad = library.clone();
            bad.franchises[at].shows[0].seasons[0].episodes[0].rating = Some(9);
            cache.write_library(&path, &ron, bad);
            assert_eq!(
                cache.read_library(&path, &ron),
                None,
                "rating 9 in franchise {at}"
            );
        }
        // A rule across franchises (checked once the parts are together).
        let mut bad = library.clone();
        bad.franchises[12].shows[0].id = bad.franchises[0].shows[0].id.clone();
        cache.write_library(&path, &ron, bad);
        assert_eq!(
            cache.read_library(&path, &ron),
            None,
            "two shows with one id"
        );
    }
}
