//! Start-up caches in the user's cache directory. The RON file stays the only source of truth;
//! these only make opening it fast and are ignored (and rebuilt) whenever they do not match it.
//!
//! - The library cache: the parsed library in a binary form (MessagePack) that loads about ten
//!   times faster than RON. It is valid only for RON bytes with the same xxh3 hash.
//! - The frame cache: the app's first screen as it was drawn for the library on disk, for one
//!   terminal size. It is shown while the library loads, only when the file's length, times
//!   and inode are those it was drawn for; the real frame follows as soon as the library is in.
//!
//! A cache that cannot be read, written or decoded is simply not used.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use serde::{Deserialize, Serialize};

use crate::model::Library;

/// Bumped whenever the layout of a cache file or of the model changes.
const FORMAT: u32 = 1;

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
    fn file(&self, library: &Path, kind: &str) -> Option<PathBuf> {
        let absolute = fs::canonicalize(library).ok()?;
        let key = xxhash_rust::xxh3::xxh3_64(absolute.as_os_str().as_encoded_bytes());
        Some(self.dir.join(format!("{key:016x}.{kind}")))
    }
}

/// Writes a cache file atomically (a reader never sees half of one); no fsync: it is a cache.
fn write(path: &Path, bytes: &[u8]) {
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
        rmp_serde::from_slice(&bytes[HEAD..]).ok()
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

/// What a cached first frame was drawn for: the file as it was and the screen it was drawn on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameKey {
    len: u64,
    modified: (i64, i64),
    changed: (i64, i64),
    inode: u64,
    width: u16,
    height: u16,
    plain: bool,
}

impl FrameKey {
    /// The key for the file as it is now, on a `width`×`height` screen.
    pub fn now(library_file: &Path, width: u16, height: u16, plain: bool) -> Option<FrameKey> {
        let meta = fs::metadata(library_file).ok()?;
        Some(FrameKey {
            len: meta.len(),
            modified: (meta.mtime(), meta.mtime_nsec()),
            changed: (meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
            width,
            height,
            plain,
        })
    }
}

/// A screen, flat: every cell's symbol in one string (separated by NUL) and its style as
/// numbers. Decoding it is a few allocations, not one per cell (about 40 ms for serde's own
/// form of a 200×60 buffer, mostly parsing modifier names).
#[derive(Serialize, Deserialize)]
struct FrameCache {
    format: u32,
    key: FrameKey,
    width: u16,
    height: u16,
    symbols: String,
    fg: Vec<u32>,
    bg: Vec<u32>,
    modifiers: Vec<u16>,
}

fn color_code(color: Color) -> u32 {
    match color {
        Color::Reset => 0,
        Color::Black => 1,
        Color::Red => 2,
        Color::Green => 3,
        Color::Yellow => 4,
        Color::Blue => 5,
        Color::Magenta => 6,
        Color::Cyan => 7,
        Color::Gray => 8,
        Color::DarkGray => 9,
        Color::LightRed => 10,
        Color::LightGreen => 11,
        Color::LightYellow => 12,
        Color::LightBlue => 13,
        Color::LightMagenta => 14,
        Color::LightCyan => 15,
        Color::White => 16,
        Color::Indexed(i) => 0x100 | u32::from(i),
        Color::Rgb(r, g, b) => {
            0x0100_0000 | (u32::from(r) << 16) | (u32::from(g) << 8) | u32::from(b)
        }
    }
}

fn color_of(code: u32) -> Color {
    const NAMED: [Color; 17] = [
        Color::Reset,
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    match code {
        0..=16 => NAMED[code as usize],
        0x100..=0x1ff => Color::Indexed((code & 0xff) as u8),
        _ => Color::Rgb((code >> 16) as u8, (code >> 8) as u8, code as u8),
    }
}

/// The first line of an `.ansi` file: the cache format and the key it was drawn for.
fn ansi_header(key: &FrameKey) -> String {
    format!("fantrack frame {FORMAT} {key:?}\n")
}

impl FrameCache {
    fn encode(key: FrameKey, buffer: &Buffer) -> FrameCache {
        let cells = &buffer.content;
        let mut symbols = String::with_capacity(cells.len() * 2);
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                symbols.push('\0');
            }
            symbols.push_str(cell.symbol());
        }
        FrameCache {
            format: FORMAT,
            key,
            width: buffer.area.width,
            height: buffer.area.height,
            symbols,
            fg: cells.iter().map(|c| color_code(c.fg)).collect(),
            bg: cells.iter().map(|c| color_code(c.bg)).collect(),
            modifiers: cells.iter().map(|c| c.modifier.bits()).collect(),
        }
    }

    fn decode(&self) -> Option<Buffer> {
        let area = Rect::new(0, 0, self.width, self.height);
        let mut buffer = Buffer::empty(area);
        let n = buffer.content.len();
        if self.fg.len() != n || self.bg.len() != n || self.modifiers.len() != n {
            return None;
        }
        let mut symbols = self.symbols.split('\0');
        for (i, cell) in buffer.content.iter_mut().enumerate() {
            cell.set_symbol(symbols.next()?);
            cell.fg = color_of(self.fg[i]);
            cell.bg = color_of(self.bg[i]);
            cell.modifier = Modifier::from_bits_truncate(self.modifiers[i]);
        }
        Some(buffer)
    }
}

impl Cache {
    /// The first frame drawn for exactly this key, if there is one.
    pub fn read_frame(&self, library_file: &Path, key: &FrameKey) -> Option<Buffer> {
        let bytes = fs::read(self.file(library_file, "frame")?).ok()?;
        let cache: FrameCache = rmp_serde::from_slice(&bytes).ok()?;
        (cache.format == FORMAT && cache.key == *key)
            .then(|| cache.decode())
            .flatten()
    }

    /// Remembers a first frame: its cells, and the bytes a terminal needs to show it.
    pub fn write_frame(&self, library_file: &Path, key: FrameKey, buffer: &Buffer, ansi: &[u8]) {
        let (Some(frame), Some(raw)) = (
            self.file(library_file, "frame"),
            self.file(library_file, "ansi"),
        ) else {
            return;
        };
        let mut bytes = ansi_header(&key).into_bytes();
        bytes.extend_from_slice(ansi);
        write(&raw, &bytes);
        if let Ok(bytes) = rmp_serde::to_vec(&FrameCache::encode(key, buffer)) {
            write(&frame, &bytes);
        }
    }

    /// The bytes that paint the first frame drawn for exactly this key: written to the
    /// terminal as they are, they show it with no work at all.
    pub fn read_frame_ansi(&self, library_file: &Path, key: &FrameKey) -> Option<Vec<u8>> {
        let mut bytes = fs::read(self.file(library_file, "ansi")?).ok()?;
        let header = ansi_header(key);
        bytes
            .starts_with(header.as_bytes())
            .then(|| bytes.split_off(header.len()))
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

#[cfg(test)]
mod frame_tests {
    use super::*;

    #[test]
    fn a_frame_is_used_only_for_the_same_file_and_screen() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::new(dir.path().join("cache"));
        let path = dir.path().join("library.ron");
        fs::write(&path, "x").expect("write");
        let key = FrameKey::now(&path, 100, 30, false).expect("key");
        let mut buffer = Buffer::empty(Rect::new(0, 0, 100, 30));
        let style = ratatui::style::Style::new()
            .fg(Color::Cyan)
            .bg(Color::Rgb(1, 2, 3))
            .add_modifier(Modifier::BOLD | Modifier::REVERSED);
        buffer.set_string(0, 0, "Bosch Universe 日本 🎬", style);
        buffer.set_string(
            0,
            1,
            "Renée",
            ratatui::style::Style::new().fg(Color::Indexed(200)),
        );
        cache.write_frame(&path, key.clone(), &buffer, b"\x1b[1;1Hpaint");
        assert_eq!(cache.read_frame(&path, &key), Some(buffer));
        assert_eq!(
            cache.read_frame_ansi(&path, &key).as_deref(),
            Some(&b"\x1b[1;1Hpaint"[..])
        );
        let other_size = FrameKey::now(&path, 120, 35, false).expect("key");
        assert!(cache.read_frame(&path, &other_size).is_none());
        assert!(cache.read_frame_ansi(&path, &other_size).is_none());
        std::thread::sleep(std::time::Duration::from_millis(10));
        fs::write(&path, "y").expect("an edit of the same length");
        let after_edit = FrameKey::now(&path, 100, 30, false).expect("key");
        assert!(cache.read_frame(&path, &after_edit).is_none());
        assert!(cache.read_frame_ansi(&path, &after_edit).is_none());
    }
}
