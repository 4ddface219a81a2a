//! Reading the library file (bounded, regular files only), parsing it, and checking what the
//! types cannot, with the position of each problem.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::Path;

use serde::Deserialize;

use super::path::dangling_link;
use super::positions::{Step, find_nth, locate, offset_of, past_whitespace, position_of};
use super::{LoadError, MAX_FILE_BYTES, Position, one_line};
use crate::model::{FORMAT_VERSION, Library};

/// Reads and checks the library file.
pub fn load(path: &Path) -> Result<Library, LoadError> {
    let (bytes, _) = read(path)?;
    parse(text_of(&bytes, path)?, path)
}

/// Reads the file with the checks that come before parsing. Only a regular file is read (a
/// FIFO would block, `/dev/zero` never ends), and the size limit holds while reading, not
/// only by the length the file system reports. Returns the bytes and the metadata of the
/// file they were read from.
pub(super) fn read(path: &Path) -> Result<(Vec<u8>, fs::Metadata), LoadError> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let io_err = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(match dangling_link(path) {
                Some(target) => LoadError::DanglingLink {
                    path: path.to_path_buf(),
                    target,
                },
                None => io_err(e),
            });
        }
        Err(e) => return Err(io_err(e)),
    };
    not_regular(path, &meta)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            bytes: meta.len(),
        });
    }
    // O_NONBLOCK: if a FIFO was swapped in after the check above, opening it must not wait
    // for a writer. It changes nothing for a regular file.
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(io_err)?;
    let meta = file.metadata().map_err(io_err)?;
    not_regular(path, &meta)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLargeRead {
            path: path.to_path_buf(),
        });
    }
    Ok((bytes, meta))
}

/// A directory, a FIFO, a device or a socket is refused before it is read.
pub(super) fn not_regular(path: &Path, meta: &fs::Metadata) -> Result<(), LoadError> {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_file() {
        return Ok(());
    }
    if t.is_dir() {
        return Err(LoadError::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    let kind = if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    };
    Err(LoadError::NotRegular {
        path: path.to_path_buf(),
        kind,
    })
}
pub(super) fn text_of<'a>(bytes: &'a [u8], path: &Path) -> Result<&'a str, LoadError> {
    std::str::from_utf8(bytes).map_err(|e| LoadError::NotUtf8 {
        path: path.to_path_buf(),
        at: position_of(bytes.get(..e.valid_up_to()).unwrap_or_default()),
    })
}

/// Parses and validates library text; `path` only names the file in errors.
pub fn parse(text: &str, path: &Path) -> Result<Library, LoadError> {
    parse_with(text, path, false)
}

/// How the file is read: `title: "Work Drinks"` is taken for `title: Some("Work Drinks")`, as
/// people write it by hand (saves still write `Some(...)`, the canonical form).
fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// `parse`, optionally accepting a file from a newer fantrack (for opening it read-only).
pub(super) fn parse_with(
    text: &str,
    path: &Path,
    accept_newer: bool,
) -> Result<Library, LoadError> {
    let path_buf = || path.to_path_buf();
    // A UTF-8 byte order mark, as some Windows editors write, is tolerated: it is invisible in
    // an editor and means nothing in UTF-8. Positions are counted after it, as editors show
    // them. (The next save writes the file without it.)
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(LoadError::Empty { path: path_buf() });
    }
    // One parse on the happy path. A newer file is reported as such, whether it parses (its
    // version says so) or trips over a field this build does not know (a quick probe then).
    let too_new = |found| LoadError::TooNew {
        path: path_buf(),
        found,
    };
    let options = ron_options();
    // The RON fantrack itself writes takes the fast path (about 5× quicker at 25,000
    // episodes); anything else — hand edits, comments, other field orders — goes to ron, the
    // reference, which also reports the errors.
    let fast = crate::fastron::parse(text);
    let library: Library = match fast.map_or_else(|| options.from_str(text), Ok) {
        Ok(library) => library,
        Err(e) => {
            #[derive(Deserialize)]
            struct Probe {
                version: u32,
            }
            if let Ok(Probe { version }) = options.from_str::<Probe>(text)
                && version > FORMAT_VERSION
                && !accept_newer
            {
                return Err(too_new(version));
            }
            let at = past_whitespace(
                text,
                Position {
                    line: e.span.start.line,
                    column: e.span.start.col,
                },
            );
            return Err(LoadError::Syntax {
                path: path_buf(),
                at,
                message: syntax_message(text, at, &e.code),
            });
        }
    };
    if library.version > FORMAT_VERSION && !accept_newer {
        return Err(too_new(library.version));
    }
    validate(&library, text).map_err(|(message, at)| LoadError::Invalid {
        path: path_buf(),
        at,
        message,
    })?;
    Ok(library)
}

/// ron's message, put in plain words where it is cryptic: a date that is no date, a byte
/// order mark in the middle of the file, an optional value written bare.
fn syntax_message(text: &str, at: Position, code: &ron::Error) -> String {
    let rest = offset_of(text, at).map_or("", |i| &text[i..]);
    if rest.starts_with('\u{feff}') {
        return "a byte order mark (U+FEFF, invisible in most editors) is not allowed here; \
                delete it"
            .into();
    }
    if let ron::Error::Message(_) = code {
        // jiff's date errors come as serde messages, with the span inside the string.
        let value = rest.split('"').next().unwrap_or("");
        if let Some(problem) = date_problem(value) {
            return format!("\"{value}\" is not a valid date: {problem} (dates are YYYY-MM-DD)");
        }
    }
    if let ron::Error::ExpectedOption = code {
        return "expected an optional value: write `Some(...)` around it, or `None`".into();
    }
    one_line(&code.to_string())
}

/// What is wrong with `value` as a `YYYY-MM-DD` date, in plain words; None when it is one (or
/// does not even look like an attempt at one).
fn date_problem(value: &str) -> Option<String> {
    if value.parse::<jiff::civil::Date>().is_ok() || !value.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let parts: Vec<&str> = value.split('-').collect();
    let digits = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    let [year, month, day] = parts[..] else {
        return Some("it is not three numbers joined by dashes".into());
    };
    if !digits(year) || !digits(month) || !digits(day) {
        return Some("it is not three numbers joined by dashes".into());
    }
    if year.len() != 4 {
        return Some(format!("the year {year} has {} digits, not 4", year.len()));
    }
    let (Ok(y), Ok(m), Ok(d)) = (year.parse::<i16>(), month.parse::<i8>(), day.parse::<i8>())
    else {
        return Some("a number is too long".into());
    };
    if month.len() != 2 || day.len() != 2 {
        return Some("the month and the day take two digits each, e.g. 07".into());
    }
    if !(1..=12).contains(&m) {
        return Some(format!("there is no month {month}"));
    }
    let days = jiff::civil::date(y, m, 1).days_in_month();
    if d < 1 || d > days {
        let name = jiff::civil::date(y, m, 1).strftime("%B").to_string();
        return Some(format!("{name} {year} has {days} days, not day {day}"));
    }
    Some("it is out of range".into())
}

/// The position of the first number that repeats an earlier one. Numbers in rising order
/// (what fantrack writes) take one pass with no set; anything else, a set.
fn first_repeat(numbers: impl Iterator<Item = u32> + Clone) -> Option<usize> {
    let mut last = None;
    if numbers.clone().all(|n| {
        let rising = last.is_none_or(|l| n > l);
        last = Some(n);
        rising
    }) {
        return None;
    }
    let mut seen = HashSet::new();
    numbers
        .enumerate()
        .find(|&(_, n)| !seen.insert(n))
        .map(|(i, _)| i)
}

/// Checks what the types cannot: unique ids, parents that exist, unique season and episode
/// numbers, ratings in range. Returns the first problem with its position in `text` (found
/// by walking the text to the offending value; None when `text` is not the library's).
pub fn validate(library: &Library, text: &str) -> Result<(), (String, Option<Position>)> {
    use Step::{Field, Index};
    let at = |steps: &[Step]| locate(text, steps);
    if library.version == 0 {
        return Err((
            "version 0 is not a valid file format version (this fantrack writes 1)".into(),
            at(&[Field("version")]),
        ));
    }
    let mut franchise_ids = HashSet::new();
    let mut show_ids: HashMap<&str, usize> = HashMap::new();
    for f in &library.franchises {
        if !franchise_ids.insert(f.id.as_str()) {
            return Err((
                format!("two franchises have the id \"{}\"", f.id),
                find_nth(text, &format!("\"{}\"", f.id), 2),
            ));
        }
        for s in &f.shows {
            let seen = show_ids.entry(s.id.as_str()).or_default();
            *seen += 1;
            if *seen > 1 {
                return Err((
                    format!("two shows have the id \"{}\"", s.id),
                    find_nth(text, &format!("id: \"{}\"", s.id), 2),
                ));
            }
        }
    }
    for (fi, f) in library.franchises.iter().enumerate() {
        for (si, s) in f.shows.iter().enumerate() {
            let show = [Field("franchises"), Index(fi), Field("shows"), Index(si)];
            let origin_at = || at(&[&show[..], &[Field("origin"), Field("show")]].concat());
            if let Some(origin) = &s.origin {
                if !show_ids.contains_key(origin.show.as_str()) {
                    return Err((
                        format!(
                            "show \"{}\" grew out of \"{}\", but no show has that id",
                            s.id, origin.show
                        ),
                        origin_at()
                            .or_else(|| find_nth(text, &format!("show: \"{}\"", origin.show), 1)),
                    ));
                }
                if origin.show == s.id {
                    return Err((
                        format!("show \"{}\" names itself as its origin", s.id),
                        origin_at(),
                    ));
                }
            }
            let season_twice = first_repeat(s.seasons.iter().map(|season| season.number));
            for (sei, season) in s.seasons.iter().enumerate() {
                let season_at = |steps: &[Step]| {
                    at(&[&show[..], &[Field("seasons"), Index(sei)], steps].concat())
                };
                if season_twice == Some(sei) {
                    return Err((
                        format!("show \"{}\" has season {} twice", s.id, season.number),
                        season_at(&[Field("number")]),
                    ));
                }
                check_rating(season.rating).map_err(|m| {
                    (
                        format!("show \"{}\" season {}: {m}", s.id, season.number),
                        season_at(&[Field("rating")]),
                    )
                })?;
                let episode_twice = first_repeat(season.episodes.iter().map(|e| e.number));
                for (ei, e) in season.episodes.iter().enumerate() {
                    let episode_at =
                        |field| season_at(&[Field("episodes"), Index(ei), Field(field)]);
                    if episode_twice == Some(ei) {
                        return Err((
                            format!(
                                "show \"{}\" season {} has episode {} twice",
                                s.id, season.number, e.number
                            ),
                            episode_at("number"),
                        ));
                    }
                    check_rating(e.rating).map_err(|m| {
                        (
                            format!(
                                "show \"{}\" {}: {m}",
                                s.id,
                                crate::model::episode_code(season.number, e.number)
                            ),
                            episode_at("rating"),
                        )
                    })?;
                }
            }
        }
    }
    if let Some((cycle, (fi, si))) = origin_cycle(library) {
        return Err((
            format!("shows grow out of each other in a loop: {cycle}"),
            at(&[
                Field("franchises"),
                Index(fi),
                Field("shows"),
                Index(si),
                Field("origin"),
            ]),
        ));
    }
    Ok(())
}

fn check_rating(rating: Option<u8>) -> Result<(), String> {
    match rating {
        Some(r) if !(1..=5).contains(&r) => Err(format!("rating {r} is not between 1 and 5")),
        _ => Ok(()),
    }
}

/// A loop in the "grew out of" links would make the family tree infinite. Returns the loop
/// and the (franchise, show) indices of the show it is reported at.
fn origin_cycle(library: &Library) -> Option<(String, (usize, usize))> {
    let mut parent: HashMap<&str, &str> = HashMap::new();
    let mut index: HashMap<&str, (usize, usize)> = HashMap::new();
    for (fi, f) in library.franchises.iter().enumerate() {
        for (si, s) in f.shows.iter().enumerate() {
            index.insert(s.id.as_str(), (fi, si));
            if let Some(o) = &s.origin {
                parent.insert(s.id.as_str(), o.show.as_str());
            }
        }
    }
    // Walk from each show in file order, so the same file always reports the same show.
    let mut starts: Vec<(&str, (usize, usize))> = index.iter().map(|(k, v)| (*k, *v)).collect();
    starts.sort_by_key(|(_, at)| *at);
    for (start, at) in starts {
        let mut seen = vec![start];
        let mut here = start;
        while let Some(next) = parent.get(here) {
            if *next == start {
                seen.push(next);
                return Some((seen.join(" → "), at));
            }
            if seen.contains(next) {
                break;
            }
            seen.push(next);
            here = next;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_repeat_finds_the_second_of_two_numbers_in_any_order() {
        assert_eq!(first_repeat([1, 2, 3, 10].into_iter()), None);
        assert_eq!(first_repeat([3, 1, 2].into_iter()), None);
        assert_eq!(first_repeat([1, 2, 2, 3].into_iter()), Some(2));
        assert_eq!(first_repeat([5, 1, 5, 1].into_iter()), Some(2));
        assert_eq!(first_repeat(std::iter::empty()), None);
    }
    use crate::store::*;

    #[test]
    fn the_catalog_version_constant_matches_the_asset() {
        assert_eq!(shipped_catalog().catalog_version, Some(CATALOG_VERSION));
    }

    #[test]
    fn shipped_catalog_parses_and_round_trips() {
        let library = shipped_catalog();
        let text = to_text(&library).expect("serialises");
        let again = parse(&text, Path::new("x")).expect("reloads");
        assert_eq!(library, again);
        assert_eq!(to_text(&again).expect("serialises"), text);
    }

    #[test]
    fn notes_with_quotes_newlines_and_unicode_round_trip() {
        let mut library = shipped_catalog();
        library.franchises[0].notes =
            "line one \"quoted\"\nline two \\ backslash\n日本語 é 🎬 r#\"raw\"#".into();
        let text = to_text(&library).expect("serialises");
        let again = parse(&text, Path::new("x")).expect("reloads");
        assert_eq!(library.franchises[0].notes, again.franchises[0].notes);
    }

    #[test]
    fn positions_are_one_based_lines_and_char_columns() {
        assert_eq!(position_of(b""), Position { line: 1, column: 1 });
        assert_eq!(position_of(b"ab\ncd"), Position { line: 2, column: 3 });
        assert_eq!(
            position_of("é\né".as_bytes()),
            Position { line: 2, column: 2 }
        );
        assert_eq!(
            find_nth("a x\nb x", "x", 2),
            Some(Position { line: 2, column: 3 })
        );
    }

    #[test]
    fn an_origin_loop_is_rejected() {
        let mut library = shipped_catalog();
        let shows = &mut library.franchises[0].shows;
        shows[0].origin = Some(crate::model::Origin {
            show: "ballard".into(),
            kind: crate::model::OriginKind::Sequel,
        });
        let (message, _) = validate(&library, "").expect_err("loop");
        assert!(message.contains("loop"), "{message}");
    }

    #[test]
    fn dates_that_are_not_dates_are_explained() {
        let p = |v| date_problem(v).unwrap_or_default();
        assert_eq!(date_problem("2025-07-09"), None);
        assert!(
            p("99999-01-01").contains("the year 99999 has 5 digits"),
            "{}",
            p("99999-01-01")
        );
        assert!(p("2025-13-01").contains("no month 13"));
        assert!(
            p("2025-02-30").contains("February 2025 has 28 days"),
            "{}",
            p("2025-02-30")
        );
        assert!(p("2024-02-30").contains("29 days"));
        assert!(p("2025-7-9").contains("two digits"));
        assert!(p("9 July 2025").contains("three numbers"));
    }
}
