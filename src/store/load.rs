//! Reading the library file (bounded, regular files only), parsing it, and checking what the
//! types cannot, with the position of each problem.

use std::fs;
use std::io;
use std::path::Path;

use serde::Deserialize;

use super::path::dangling_link;
use super::positions::{find_nth, locate, offset_of, past_whitespace, position_of};
use super::{LoadError, MAX_FILE_BYTES, Position, one_line};
use crate::model::rules::{self, Where};
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

/// Checks a library with the model's rules ([`crate::model::rules`]) and places the first
/// problem in `text` (by walking the text to the offending value; None when `text` is not the
/// library's).
pub fn validate(library: &Library, text: &str) -> Result<(), (String, Option<Position>)> {
    rules::check(library).map_err(|p| {
        let at = match &p.at {
            Where::Value(steps, or_text) => locate(text, steps).or_else(|| {
                or_text
                    .as_ref()
                    .and_then(|(needle, n)| find_nth(text, needle, *n))
            }),
            Where::Text(needle, n) => find_nth(text, needle, *n),
        };
        (p.message, at)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::store::*;

    #[test]
    fn the_model_reads_the_same_catalog_as_the_loader() {
        // The model parses the asset with `ron` alone for its tombstone keys.
        assert_eq!(crate::model::fixture::shipped_catalog(), shipped_catalog());
        assert!(crate::model::shipped_keys().contains("show:ballard"));
    }

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
