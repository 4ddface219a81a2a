//! A fast parser for the RON that fantrack itself writes (`store::to_text`), for the start path.
//!
//! The `ron` crate stays the reference and the error reporter: [`parse`] answers `None` for
//! anything it does not fully understand (comments, fields out of the written order, unknown
//! fields, escapes, struct names, extensions, numbers in another notation or out of range,
//! whitespace other than space, tab, CR and LF …), and the caller then parses with `ron`.
//! What it accepts is a strict subset of what `ron` accepts, read the way `ron` reads it, so a
//! `Some` is always exactly the library `ron` would give: anything else would silently change
//! the user's data at the next save. The differential tests below hold it to that.
//!
//! Each grammar rule mirrors `ron` 0.12 (`de/mod.rs`, `parse.rs`):
//! - structs are `(` fields `)`, each `name: value`, commas between and optionally after the
//!   last, whitespace between tokens; fields must come in the declared order (the order
//!   `to_text` writes), which also rules out duplicates; missing optional fields take their
//!   serde default, a missing required field is `None`;
//! - strings are `"…"` without a backslash (taken verbatim, newlines included, as `ron`
//!   does) or raw `r#"…"#`, ending at the first `"` followed by as many `#` as opened it;
//! - options are `None` or `Some(` value `)`; unit enum variants and bools are bare words;
//! - integers are plain decimal digits without a leading zero, in range for their type;
//! - dates are `"YYYY-MM-DD"` (what jiff writes for years 0–9999), built with `Date::new`.
//!
//! Large files are parsed a franchise run per core: the text is cut at the places the writer
//! puts a franchise boundary (`),` then a `(` at franchise indentation). A cut is only trusted
//! when the run before it ends exactly there, so a cut that fell inside a string is noticed and
//! the file is parsed again in one run.

use crate::model::{Library, Order, Settings};

/// Below this many bytes a file is parsed on one thread: a thread costs more than it saves.
pub const PARALLEL_MIN_BYTES: usize = 1_000_000;

/// Parses `text` if it is RON as fantrack writes it; `None` means "ask the `ron` crate".
/// Large files use up to two threads.
pub fn parse(text: &str) -> Option<Library> {
    let threads = if text.len() >= PARALLEL_MIN_BYTES {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(2))
    } else {
        1
    };
    parse_with(text, threads, PARALLEL_MIN_BYTES)
}

/// [`parse`] with `threads` runs when the text is at least `min_parallel_bytes` long (tests and
/// benches choose; one thread when `threads` ≤ 1).
pub fn parse_with(text: &str, threads: usize, min_parallel_bytes: usize) -> Option<Library> {
    let threads = if text.len() >= min_parallel_bytes {
        threads.max(1)
    } else {
        1
    };
    let mut p = Parser::new(text);
    p.ws();
    let library = p.library(threads)?;
    p.ws();
    (p.i == p.b.len()).then_some(library)
}

/// Where the writer ends one franchise and starts the next: `),` and `(` at franchise
/// indentation (two levels of four spaces). The `(` is the last byte.
const FRANCHISE_CUT: &str = "\n        ),\n        (";

/// A field name packed into one integer, so matching a name is one comparison. Names have no
/// zero byte, so names of up to 16 bytes all get different keys.
const fn key(name: &[u8]) -> u128 {
    let mut key = 0u128;
    let mut i = 0;
    let mut rest = name;
    while let Some((&byte, tail)) = rest.split_first() {
        key |= (byte as u128) << (8 * i);
        i += 1;
        rest = tail;
    }
    key
}

/// The keys of a struct's field names, in the order the writer writes them.
macro_rules! names {
    ($($name:literal),* $(,)?) => {{
        const NAMES: &[u128] = &[$(key($name)),*];
        NAMES
    }};
}

struct Parser<'a> {
    t: &'a str,
    b: &'a [u8],
    i: usize,
}

/// How a run of franchises ended.
enum RunEnd {
    /// At the `]` closing the list (consumed).
    Closed,
    /// At the start of an element at the given cut, after a comma.
    Reached,
}

impl<'a> Parser<'a> {
    fn library(&mut self, threads: usize) -> Option<Library> {
        let (mut version, mut catalog_version, mut settings, mut removed, mut franchises) =
            (None, None, Settings::default(), Default::default(), None);
        self.fields(
            names![
                b"version",
                b"catalog_version",
                b"settings",
                b"removed",
                b"franchises"
            ],
            |p, i| {
                match i {
                    0 => version = Some(p.u32()?),
                    1 => catalog_version = p.opt(Self::u32)?,
                    2 => settings = p.settings()?,
                    // A set, as serde builds it from a list: repeats collapse, order is sorted.
                    3 => removed = p.strings()?.into_iter().collect(),
                    _ => franchises = Some(p.franchises(threads)?),
                }
                Some(())
            },
        )?;
        Some(Library {
            version: version?,
            catalog_version,
            settings,
            removed,
            franchises: franchises?,
        })
    }

    fn settings(&mut self) -> Option<Settings> {
        let mut s = Settings::default();
        self.fields(
            names![b"spoiler_shield", b"order", b"catalog_notified"],
            |p, i| {
                match i {
                    0 => s.spoiler_shield = Some(p.bool()?),
                    1 => {
                        s.order = match p.word() {
                            b"Release" => Order::Release,
                            b"Curated" => Order::Curated,
                            _ => return None,
                        }
                    }
                    _ => s.catalog_notified = p.opt(Self::u32)?,
                }
                Some(())
            },
        )?;
        Some(s)
    }
}

// After `names!`, which the readers use.
mod readers;
mod scan;
mod split;

use split::cuts;

/// What the differential tests (`tests/fastron.rs`) look at inside: where the split falls and
/// whether the split runs join up. Not an API.
#[doc(hidden)]
pub mod testing {
    pub const FRANCHISE_CUT: &str = super::FRANCHISE_CUT;

    pub fn cuts(text: &str, start: usize, threads: usize) -> Vec<usize> {
        super::cuts(text, start, threads)
    }

    /// How many franchises the split runs from `start` gave, joined without a second parse.
    pub fn split_franchises(text: &str, start: usize, threads: usize) -> Option<usize> {
        let cuts = super::cuts(text, start, threads);
        super::Parser::at(text, start)
            .franchises_parallel(start, &cuts)
            .map(|(f, _)| f.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::Date;

    #[test]
    fn a_show_of_unknown_status_reads_as_the_reference_parser_reads_it() {
        let mut library = crate::model::fixture::shipped_catalog();
        library.franchises[0]
            .shows
            .push(crate::model::Show::new("slow-horses", "Slow Horses").into());
        let text = crate::store::to_text(&library).expect("writes");
        assert!(text.contains("status: Unknown"), "{text}");
        let fast = parse(&text).expect("the fast path reads it");
        assert_eq!(fast, library);
        let added = fast.franchises[0].shows.last().map(|s| s.status);
        assert_eq!(added, Some(crate::model::Status::Unknown));
    }

    #[test]
    fn a_name_has_the_same_key_near_the_end_of_the_text_and_away_from_it() {
        for name in ["id", "rotten_tomatoes", "catalog_notified", "x", ""] {
            let near_end = format!("{name}:");
            let far = format!("{name}: 1234567890123456789");
            let mut p = Parser::new(&near_end);
            let mut q = Parser::new(&far);
            let (a, b) = (p.name_key(), q.name_key());
            assert!(a == Some(key(name.as_bytes())) && a == b, "{name}");
            assert!(p.i == name.len() && q.i == name.len());
        }
        assert!(Parser::new("a_name_of_17_byte: 1").name_key().is_none());
        assert!(key(b"title") != key(b"titles") && key(b"id") != key(b"ids"));
    }

    #[test]
    fn every_four_digit_date_is_read_as_jiff_reads_it() {
        for year in 0..=9999 {
            for month in 0..=13 {
                for day in 0..=32 {
                    let s = format!("{year:04}-{month:02}-{day:02}");
                    let quoted = format!("\"{s}\"");
                    let ours = Parser::new(&quoted).date();
                    let jiffs = s.parse::<Date>().ok();
                    assert_eq!(ours, jiffs, "{s}");
                }
            }
        }
    }
}
