//! The library cache, in the user's cache directory: the parsed library in a binary form
//! (MessagePack) that loads about ten times faster than RON. It is valid only for RON bytes
//! with the same xxh3 hash. The RON file stays the only source of truth; a cache that cannot be
//! read, written or decoded is simply not used (and is rebuilt).

use std::fs;
use std::path::{Path, PathBuf};

use crate::model::Library;

/// Bumped whenever the layout of a cache file or of the model changes.
pub(crate) const FORMAT: u32 = 2;

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
/// then the library in MessagePack. The head alone says whether the cache matches.
const HEAD: usize = 16;

fn head(ron: &[u8]) -> [u8; HEAD] {
    let mut head = [0; HEAD];
    head[..8].copy_from_slice(&u64::from(FORMAT).to_le_bytes());
    head[8..].copy_from_slice(&xxhash_rust::xxh3::xxh3_64(ron).to_le_bytes());
    head
}

impl Cache {
    /// The library, if the cache holds one for exactly these RON bytes.
    pub fn read_library(&self, library_file: &Path, ron: &[u8]) -> Option<Library> {
        let bytes = fs::read(self.file(library_file, "library")?).ok()?;
        if bytes.get(..HEAD)? != head(ron) {
            return None;
        }
        rmp_serde::from_slice(bytes.get(HEAD..)?).ok()
    }

    /// True when the cache already holds the parse of these RON bytes (reads 16 bytes).
    pub fn has_library(&self, library_file: &Path, ron: &[u8]) -> bool {
        use std::io::Read;
        let mut found = [0; HEAD];
        self.file(library_file, "library")
            .and_then(|path| fs::File::open(path).ok())
            .is_some_and(|mut f| f.read_exact(&mut found).is_ok() && found == head(ron))
    }

    /// Remembers `library` as the parse of these RON bytes.
    pub fn write_library(&self, library_file: &Path, ron: &[u8], library: Library) {
        let Some(path) = self.file(library_file, "library") else {
            return;
        };
        let mut bytes = head(ron).to_vec();
        if rmp_serde::encode::write_named(&mut bytes, &library).is_ok() {
            write(&path, &bytes);
        }
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
        let mut edited = ron.clone();
        edited.push(b'\n');
        assert!(
            cache.read_library(&path, &edited).is_none(),
            "other bytes, no cache"
        );
        // A corrupt cache is ignored, not trusted.
        let file = cache.file(&path, "library").expect("cache path");
        fs::write(&file, b"garbage").expect("write");
        assert!(cache.read_library(&path, &ron).is_none());
        assert_eq!(to_text(&library).expect("text").as_bytes(), &ron[..]);
    }
}
