//! The frame cache: the app's first screen as it was drawn for the library on disk, for one
//! terminal size, kept in the same cache directory as the library cache
//! ([`crate::store::cache::Cache`]). It is shown while the library loads, only when the file's
//! length, times and inode are those it was drawn for; the real frame follows as soon as the
//! library is in. A cache that cannot be read, written or decoded is simply not used.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use serde::{Deserialize, Serialize};

use crate::store::cache::{Cache, FORMAT, write};

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
        0..=16 => NAMED.get(code as usize).copied().unwrap_or_default(),
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
        let styles = self.fg.iter().zip(&self.bg).zip(&self.modifiers);
        for (cell, ((&fg, &bg), &modifiers)) in buffer.content.iter_mut().zip(styles) {
            cell.set_symbol(symbols.next()?);
            cell.fg = color_of(fg);
            cell.bg = color_of(bg);
            cell.modifier = Modifier::from_bits_truncate(modifiers);
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
