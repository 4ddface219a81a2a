//! Where the library file lives, loading it with precise errors, and saving it atomically.
//!
//! The file is the user's years of watch history, so three rules hold everywhere here:
//! a file that failed to load is never written over, a save either fully replaces the file or
//! leaves it untouched (temporary file in the same directory, fsync, rename, fsync dir), and a
//! save never writes over an outside edit it was not shown (`save_checked`: the stamp is
//! checked before writing, just before the rename, and by the rename itself, which swaps the
//! files and swaps back when what came out is not what was expected).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use thiserror::Error;

use crate::model::{FORMAT_VERSION, Library};

/// The shipped catalog, written as the library on first run.
pub const CATALOG: &str = include_str!("../assets/bosch-universe.ron");

/// The `catalog_version` of the shipped catalog (a test checks it against the asset), so
/// knowing it costs no parse.
pub const CATALOG_VERSION: u32 = 2;

/// Files larger than this are refused rather than parsed: a library of 25,000 episodes with
/// notes is about 10 MB, and parsing costs several times the file's size in memory.
pub const MAX_FILE_BYTES: u64 = 64_000_000;

/// Environment variable that overrides the default file location (`--file` wins over it).
pub const FILE_ENV: &str = "FANTRACK_FILE";

/// A 1-based line and column in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Why a library file could not be loaded. Every variant names the file; most give a position.
#[derive(Debug, Error)]
pub enum LoadError {
    #[error("{}: cannot read: {source}", shown(path))]
    Io { path: PathBuf, source: io::Error },
    #[error("{}: is a directory, not a library file", shown(path))]
    IsDirectory { path: PathBuf },
    /// A FIFO, a device, a socket: reading one could block forever or never end.
    #[error("{}: is {kind}, not a library file", shown(path))]
    NotRegular { path: PathBuf, kind: &'static str },
    /// A symlink whose target does not exist.
    #[error(
        "{}: is a link to {}, which does not exist",
        shown(path),
        shown(target)
    )]
    DanglingLink { path: PathBuf, target: PathBuf },
    #[error(
        "{}: the file is {} MB, more than the {} MB fantrack reads; is it really a library?",
        shown(path), bytes / 1_000_000, MAX_FILE_BYTES / 1_000_000
    )]
    TooLarge { path: PathBuf, bytes: u64 },
    /// Found while reading: the length the file system gave was smaller than what was there.
    #[error(
        "{}: the file holds more than the {} MB fantrack reads; is it really a library?",
        shown(path), MAX_FILE_BYTES / 1_000_000
    )]
    TooLargeRead { path: PathBuf },
    #[error("{}: the file is empty", shown(path))]
    Empty { path: PathBuf },
    #[error("{}:{}:{}: not valid UTF-8 text", shown(path), at.line, at.column)]
    NotUtf8 { path: PathBuf, at: Position },
    #[error("{}:{}:{}: {message}", shown(path), at.line, at.column)]
    Syntax {
        path: PathBuf,
        at: Position,
        message: String,
    },
    #[error("{}{}: {message}", shown(path), at.map(|p| format!(":{}:{}", p.line, p.column)).unwrap_or_default())]
    Invalid {
        path: PathBuf,
        at: Option<Position>,
        message: String,
    },
    #[error(
        "{}: file format version {found} is newer than this fantrack understands (up to {FORMAT_VERSION}); update fantrack",
        shown(path)
    )]
    TooNew { path: PathBuf, found: u32 },
}

/// A path as error messages show it: control characters (a newline in a file name) escaped,
/// so an error stays one line.
pub fn shown(path: &Path) -> String {
    one_line(&path.display().to_string())
}

/// `text` with control characters escaped (`\n`, `\u{1b}`), so it prints as one line.
pub fn one_line(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Why a save failed. The file on disk is unchanged when this is returned.
#[derive(Debug, Error)]
#[error("{}: could not save: {source}", shown(path))]
pub struct SaveError {
    pub path: PathBuf,
    pub source: io::Error,
}

/// The library file path: `--file` > `$FANTRACK_FILE` > the platform config dir.
pub fn resolve_path(flag: Option<PathBuf>) -> Result<PathBuf, String> {
    if let Some(p) = flag {
        return Ok(p);
    }
    if let Some(p) = std::env::var_os(FILE_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "fantrack")
        .map(|d| d.config_dir().join("library.ron"))
        .ok_or_else(|| "cannot find a home directory for the library file; use --file".to_string())
}

/// The result of opening the library: loaded, or created from the shipped catalog.
pub enum Opened {
    Loaded(Library),
    Created(Library),
}

/// Loads the library at `path`, or, when no file exists there, writes the shipped catalog
/// there first. Never writes over an existing file.
pub fn open(path: &Path) -> Result<Opened, OpenError> {
    if path.exists() {
        return Ok(Opened::Loaded(load(path)?));
    }
    let save_err = |source| SaveError {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(save_err)?;
    }
    // Two first runs at once: only one creates the file, the other loads what it made.
    let _lock = lock(path, LOCK_WAIT).map_err(save_err)?;
    if fs::symlink_metadata(path).is_ok() {
        return Ok(Opened::Loaded(load(path)?));
    }
    let library = shipped_catalog();
    let text = to_text(&library).map_err(|e| save_err(io::Error::other(e)))?;
    // Only where there is still nothing: a file an editor made meanwhile is loaded instead.
    match replace(
        &resolve(path),
        text.as_bytes(),
        false,
        Expect::Missing,
        &mut |_| {},
    )
    .map_err(save_err)?
    {
        Replaced::Done { .. } => Ok(Opened::Created(library)),
        Replaced::Moved(_) => Ok(Opened::Loaded(load(path)?)),
    }
}

#[derive(Debug, Error)]
pub enum OpenError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Save(#[from] SaveError),
}

/// The shipped catalog as a library. It is checked by tests, so a failure here is a build bug.
pub fn shipped_catalog() -> Library {
    #[allow(clippy::expect_used)]
    parse(CATALOG, Path::new("assets/bosch-universe.ron")).expect("the shipped catalog is valid")
}

/// Reads and checks the library file.
pub fn load(path: &Path) -> Result<Library, LoadError> {
    let (bytes, _) = read(path)?;
    parse(text_of(&bytes, path)?, path)
}

/// Reads the file with the checks that come before parsing. Only a regular file is read (a
/// FIFO would block, `/dev/zero` never ends), and the size limit holds while reading, not
/// only by the length the file system reports. Returns the bytes and the metadata of the
/// file they were read from.
fn read(path: &Path) -> Result<(Vec<u8>, fs::Metadata), LoadError> {
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
fn not_regular(path: &Path, meta: &fs::Metadata) -> Result<(), LoadError> {
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

/// When `path` is a symlink (or a chain of them) whose final target does not exist: that
/// target.
pub fn dangling_link(path: &Path) -> Option<PathBuf> {
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_symlink() || fs::metadata(path).is_ok() {
        return None;
    }
    Some(resolve(path))
}

/// The file `path` names, with every symlink followed, even when the last target does not
/// exist (a deleted library behind a link is recreated where the link points). Saves write
/// here, so a library that is a link is saved through it.
pub fn resolve(path: &Path) -> PathBuf {
    if let Ok(p) = fs::canonicalize(path) {
        return p;
    }
    let mut at = path.to_path_buf();
    // The kernel gives up after 40 links; so do we.
    for _ in 0..40 {
        match fs::read_link(&at) {
            Ok(target) => {
                at = match at.parent() {
                    Some(dir) => dir.join(target),
                    None => target,
                }
            }
            Err(_) => return at,
        }
    }
    at
}

fn text_of<'a>(bytes: &'a [u8], path: &Path) -> Result<&'a str, LoadError> {
    std::str::from_utf8(bytes).map_err(|e| LoadError::NotUtf8 {
        path: path.to_path_buf(),
        at: position_of(&bytes[..e.valid_up_to()]),
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
fn parse_with(text: &str, path: &Path, accept_newer: bool) -> Result<Library, LoadError> {
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
    let library: Library = match options.from_str(text) {
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
            let mut seasons = HashSet::new();
            for (sei, season) in s.seasons.iter().enumerate() {
                let season_at = |steps: &[Step]| {
                    at(&[&show[..], &[Field("seasons"), Index(sei)], steps].concat())
                };
                if !seasons.insert(season.number) {
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
                let mut episodes = HashSet::new();
                for (ei, e) in season.episodes.iter().enumerate() {
                    let episode_at =
                        |field| season_at(&[Field("episodes"), Index(ei), Field(field)]);
                    if !episodes.insert(e.number) {
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

/// One step from a RON value into a part of it: a struct's field or a list's (or tuple's)
/// element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step<'a> {
    Field(&'a str),
    Index(usize),
}

/// Where the value at `steps` is written in `text`: the field's name for a field, the value
/// for an element. `Some(...)` around a value is looked through. None when `text` does not
/// hold it (or does not scan: the file parsed, so that means `text` is not the file).
fn locate(text: &str, steps: &[Step]) -> Option<Position> {
    let mut scan = Scan {
        text: text.as_bytes(),
        at: 0,
    };
    let offset = scan.find(steps, 0)?;
    Some(position_of(&text.as_bytes()[..offset]))
}

/// Steps no value has: `find` with these skips the value.
const NEVER: &[Step] = &[Step::Index(usize::MAX)];

/// A cursor over RON text that skips values it is not looking for.
struct Scan<'t> {
    text: &'t [u8],
    at: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    /// Skips whitespace and comments (`// ...`, nested `/* ... */`).
    fn blank(&mut self) {
        loop {
            while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
                self.at += 1;
            }
            let rest = &self.text[self.at.min(self.text.len())..];
            if rest.starts_with(b"//") {
                while self.peek().is_some_and(|b| b != b'\n') {
                    self.at += 1;
                }
            } else if rest.starts_with(b"/*") {
                let mut depth = 0usize;
                while self.at < self.text.len() {
                    let rest = &self.text[self.at..];
                    if rest.starts_with(b"/*") {
                        depth += 1;
                        self.at += 2;
                    } else if rest.starts_with(b"*/") {
                        depth -= 1;
                        self.at += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        self.at += 1;
                    }
                }
            } else {
                return;
            }
        }
    }

    fn ident(&mut self) -> &[u8] {
        let start = self.at;
        if self.text[self.at..].starts_with(b"r#") {
            self.at += 2;
        }
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80)
        {
            self.at += 1;
        }
        &self.text[start..self.at]
    }

    /// Skips a quoted string (`"..."`, `b"..."`, `'c'`) or a raw one (`r#"..."#`).
    fn string(&mut self) -> Option<()> {
        if self.peek() == Some(b'b') {
            self.at += 1;
        }
        if self.peek() == Some(b'r') {
            self.at += 1;
            let mut hashes = 0;
            while self.peek() == Some(b'#') {
                hashes += 1;
                self.at += 1;
            }
            if self.peek() != Some(b'"') {
                return None;
            }
            self.at += 1;
            let end: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            let found = self.text[self.at..]
                .windows(end.len())
                .position(|w| w == end)?;
            self.at += found + end.len();
            return Some(());
        }
        let quote = self.peek()?;
        self.at += 1;
        while let Some(b) = self.peek() {
            self.at += 1;
            if b == b'\\' {
                self.at += 1;
            } else if b == quote {
                return Some(());
            }
        }
        None
    }

    /// Reads the value here; returns the offset of what `steps` point at inside it (`start`
    /// is where a last `Field` step's name began). With steps it cannot follow, it skips the
    /// value and returns None.
    fn find(&mut self, steps: &[Step], start: usize) -> Option<usize> {
        self.blank();
        if steps.is_empty() {
            return Some(start);
        }
        let rest = &self.text[self.at.min(self.text.len())..];
        if [
            &b"\""[..],
            b"'",
            b"r\"",
            b"r#",
            b"b\"",
            b"b'",
            b"br\"",
            b"br#",
        ]
        .iter()
        .any(|p| rest.starts_with(p))
        {
            return self.string().and(None);
        }
        match self.peek()? {
            b'(' => self.items(b')', steps),
            b'[' => self.items(b']', steps),
            b'{' => self.items(b'}', &[]),
            b if b.is_ascii_alphabetic() || b == b'_' => {
                let name = self.ident().to_vec();
                self.blank();
                if self.peek() != Some(b'(') {
                    return None; // a unit variant, `true`, `None`
                }
                if name == b"Some" {
                    // Looked through: `origin: Some((show: ...))` has `show` under `origin`.
                    self.at += 1;
                    let found = self.find(steps, start);
                    if found.is_some() {
                        return found;
                    }
                    self.blank();
                    if self.peek() == Some(b')') {
                        self.at += 1;
                    }
                    return None;
                }
                self.items(b')', steps)
            }
            _ => {
                // A number, or a char this scan does not know: up to the next delimiter.
                while self.peek().is_some_and(|b| {
                    !matches!(b, b',' | b')' | b']' | b'}') && !b.is_ascii_whitespace()
                }) {
                    self.at += 1;
                }
                None
            }
        }
    }

    /// The items of a struct, tuple, list or map, up to `close`; follows `steps` into the one
    /// they name.
    fn items(&mut self, close: u8, steps: &[Step]) -> Option<usize> {
        self.at += 1;
        let mut index = 0;
        loop {
            self.blank();
            match self.peek()? {
                b if b == close => {
                    self.at += 1;
                    return None;
                }
                b',' => {
                    self.at += 1;
                    continue;
                }
                _ => {}
            }
            // `name: value` in a struct; a bare value in a tuple or list.
            let item_start = self.at;
            let mut field = None;
            if close == b')'
                && self
                    .peek()
                    .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            {
                let name = self.ident().to_vec();
                self.blank();
                if self.peek() == Some(b':') {
                    self.at += 1;
                    field = Some(name);
                } else {
                    self.at = item_start;
                }
            }
            let follow = match (steps.first(), &field) {
                (Some(Step::Field(want)), Some(name)) => want.as_bytes() == name.as_slice(),
                (Some(Step::Index(want)), None) => *want == index,
                _ => false,
            };
            if close == b'}' {
                // A map entry: `key: value`.
                self.find(NEVER, 0);
                self.blank();
                if self.peek() == Some(b':') {
                    self.at += 1;
                }
            }
            if follow {
                return self.find(&steps[1..], item_start);
            }
            let before = self.at;
            self.find(NEVER, 0);
            if self.at == before {
                return None; // no progress: not text this scan understands
            }
            index += 1;
        }
    }
}

/// The 1-based position just after `bytes` (the position of the next byte).
fn position_of(bytes: &[u8]) -> Position {
    let line = bytes.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&bytes[line_start..])
        .chars()
        .count()
        + 1;
    Position { line, column }
}

/// ron starts a wrongly typed value's span right after the previous token; point at the
/// value itself instead.
fn past_whitespace(text: &str, at: Position) -> Position {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(at.line.saturating_sub(1))
        .map(str::len)
        .sum();
    let Some(offset) = text[line_start..]
        .char_indices()
        .nth(at.column.saturating_sub(1))
        .map(|(i, _)| line_start + i)
    else {
        return at;
    };
    let skipped = text[offset..].len() - text[offset..].trim_start().len();
    if skipped == 0 || offset + skipped >= text.len() {
        return at;
    }
    position_of(&text.as_bytes()[..offset + skipped])
}

/// The byte offset of a 1-based line and column (counted in chars), if it is in `text`.
fn offset_of(text: &str, at: Position) -> Option<usize> {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(at.line.saturating_sub(1))
        .map(str::len)
        .sum();
    text.get(line_start..)?
        .char_indices()
        .nth(at.column.saturating_sub(1))
        .map(|(i, _)| line_start + i)
}

/// Position of the `n`th (1-based) occurrence of `needle` in `text`.
fn find_nth(text: &str, needle: &str, n: usize) -> Option<Position> {
    text.match_indices(needle)
        .nth(n - 1)
        .map(|(i, _)| position_of(&text.as_bytes()[..i]))
}

/// The library as the file's text: pretty, stable field order, multi-line notes kept readable.
pub fn to_text(library: &Library) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new()
        .indentor("    ")
        .escape_strings(false);
    let mut text = ron::ser::to_string_pretty(library, config)?;
    text.push('\n');
    Ok(text)
}

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
    fn of(bytes: &[u8], meta: &fs::Metadata) -> Stamp {
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            device: meta.dev(),
            inode: meta.ino(),
            changed: (meta.ctime(), meta.ctime_nsec()),
            hash: xxhash_rust::xxh3::xxh3_64(bytes),
        }
    }

    /// True when `meta` is the file this stamp was taken of, untouched since.
    fn same_meta(&self, meta: &fs::Metadata) -> bool {
        meta.len() == self.len
            && meta.modified().ok() == self.modified
            && meta.dev() == self.device
            && meta.ino() == self.inode
            && (meta.ctime(), meta.ctime_nsec()) == self.changed
    }

    /// True when `meta` is the file this stamp was taken of, with the same length and
    /// modification time; its change time may differ (a rename sets it).
    fn same_file(&self, meta: &fs::Metadata) -> bool {
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

    /// Looks at the file at `path` now (`now`: for the backoff).
    pub fn poll(&mut self, path: &Path, now: std::time::Instant) -> Event {
        let was_off = self.broken.is_some() || self.missing;
        match look(path, self.ours.as_ref(), self.broken.as_ref()) {
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
            Look::New if !self.backoff.due(now) => Event::Nothing,
            Look::New => match load_stamped_or_broken(path) {
                Ok((library, stamp)) => {
                    self.ours(stamp.clone());
                    Event::Reload(Box::new(library), stamp)
                }
                Err(broken) => {
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

/// Loads the library and stamps what was read.
pub fn load_stamped(path: &Path) -> Result<(Library, Stamp), LoadError> {
    let (bytes, meta) = read(path)?;
    let library = parse(text_of(&bytes, path)?, path)?;
    Ok((library, Stamp::of(&bytes, &meta)))
}

/// `load_stamped`, taking the parse from `cached` when it has one for these exact bytes (a
/// cached parse is validated again, which is cheap). Returns whether the RON was parsed, and
/// the bytes, so a caller can cache the parse.
pub fn load_stamped_cached(
    path: &Path,
    cached: impl FnOnce(&[u8]) -> Option<Library>,
) -> Result<(Library, Stamp, Option<Vec<u8>>), LoadError> {
    let (bytes, meta) = read(path)?;
    let stamp = Stamp::of(&bytes, &meta);
    if let Some(library) =
        cached(&bytes).filter(|l| l.version <= FORMAT_VERSION && validate(l, "").is_ok())
    {
        return Ok((library, stamp, None));
    }
    let library = parse(text_of(&bytes, path)?, path)?;
    Ok((library, stamp, Some(bytes)))
}

/// Loads a file written by a newer fantrack, for showing it read-only: its fields must still
/// be ones this build knows. Never save what this returns over the file.
pub fn load_stamped_newer(path: &Path) -> Result<(Library, Stamp), LoadError> {
    let (bytes, meta) = read(path)?;
    let library = parse_with(text_of(&bytes, path)?, path, true)?;
    Ok((library, Stamp::of(&bytes, &meta)))
}

/// The rotating backup beside the library: `library.ron.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// The advisory lock file beside the library's own path: `library.ron.lock`. For a library
/// that is a symlink it sits beside the link, in the user's directory, never beside the
/// target (which may be in someone else's, e.g. `/etc`).
fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    path.with_file_name(name)
}

/// An exclusive lock on the library, held for one read-modify-write. Released on drop.
#[derive(Debug)]
pub struct Lock {
    _file: fs::File,
    /// The library file itself, locked too (see [`lock`]); None when there is none yet.
    _target: Option<fs::File>,
}

/// How long a writer waits for another to finish before giving up with a clear message.
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Takes the library's lock, waiting up to `wait` for another fantrack to finish.
///
/// Two locks: `library.ron.lock` beside the path as given (created if need be), and an OS
/// lock (`flock`) on the library file itself, which creates nothing, so that two names for
/// one library (a link and its target) still exclude each other.
pub fn lock(path: &Path, wait: std::time::Duration) -> io::Result<Lock> {
    // `--file /dev/null` or a link to a FIFO: no library, and no `.lock` beside it either.
    if let Ok(meta) = fs::metadata(path)
        && let Err(e) = not_regular(path, &meta)
    {
        let what = match e {
            LoadError::NotRegular { kind, .. } => format!("is {kind}, not a library file"),
            _ => "is a directory, not a library file".into(),
        };
        return Err(io::Error::new(io::ErrorKind::InvalidInput, what));
    }
    let deadline = std::time::Instant::now() + wait;
    let lock_file = lock_path(path);
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_file)
        .map_err(|e| io::Error::new(e.kind(), format!("cannot open {}: {e}", shown(&lock_file))))?;
    wait_for(&file, &lock_file, deadline, wait)?;
    let target = lock_library_file(&resolve(path), deadline, wait)?;
    Ok(Lock {
        _file: file,
        _target: target,
    })
}

fn wait_for(
    file: &fs::File,
    name: &Path,
    deadline: std::time::Instant,
    wait: std::time::Duration,
) -> io::Result<()> {
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(()),
            Err(fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(io::Error::new(
                    io::ErrorKind::WouldBlock,
                    format!(
                        "another fantrack has held {} for over {}s; try again when it is done",
                        shown(name),
                        wait.as_secs()
                    ),
                ));
            }
            Err(fs::TryLockError::Error(e)) => return Err(e),
        }
    }
}

/// Locks the library file itself, when it is a regular file we can open for reading. Saves
/// rename a new file over it, so the lock we got may be on a file that was replaced while
/// we waited: then we lock the new one instead.
fn lock_library_file(
    target: &Path,
    deadline: std::time::Instant,
    wait: std::time::Duration,
) -> io::Result<Option<fs::File>> {
    use std::os::unix::fs::OpenOptionsExt;
    for _ in 0..100 {
        // O_NONBLOCK: opening a FIFO must not wait for a writer.
        let Ok(file) = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(target)
        else {
            return Ok(None); // none yet, or not ours to read: the lock file still holds
        };
        let Ok(meta) = file.metadata() else {
            return Ok(None);
        };
        if !meta.is_file() {
            return Ok(None);
        }
        wait_for(&file, target, deadline, wait)?;
        match fs::metadata(target) {
            Ok(now) if now.dev() == meta.dev() && now.ino() == meta.ino() => {
                return Ok(Some(file));
            }
            Ok(_) => continue,
            Err(_) => return Ok(None),
        }
    }
    Ok(None)
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

/// Where a save is when `save_checked_with` calls its `between`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// The temporary file is written and synced; the last look comes next.
    Written,
    /// The last look found the file as expected; the swap comes next.
    Looked,
}

/// `save_checked` with `between` run at each [`Phase`]: the unit tests put outside edits
/// there.
fn save_checked_with(
    path: &Path,
    library: &Library,
    expected: Option<&Stamp>,
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
    let text = to_text(library).map_err(|e| err(io::Error::other(e)))?;
    match replace(&target, text.as_bytes(), true, expect, between).map_err(err)? {
        Replaced::Done { file, recreated } => {
            let stamp = Stamp::of(text.as_bytes(), &file.metadata().map_err(err)?);
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
    replace(&resolve(path), bytes, backup, Expect::Anything, &mut |_| {}).map(|_| ())
}

/// What `replace` may write over.
enum Expect {
    Anything,
    /// The file this stamp is of, untouched.
    File(Stamp),
    /// No file.
    Missing,
}

enum Replaced {
    /// Renamed into place; `file` is the new file, open.
    Done { file: fs::File, recreated: bool },
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

/// The atomic replace of `target` (already resolved through links), checked against `expect`
/// as late as possible.
fn replace(
    target: &Path,
    bytes: &[u8],
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
    tmp.write_all(bytes)?;
    tmp.flush()?;
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
    Ok(Replaced::Done { file, recreated })
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
fn is_own_temporary(file: &str, name: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn locate_finds_fields_and_elements_through_some_and_comments() {
        let text = "// head\n(\n    a: 1,\n    b: [ (x: 1), /* c */ (x: \"q,)\", y: Some((z: 5))) ],\n    c: {\"k\": (x: 2)},\n)";
        let at = |steps: &[Step]| locate(text, steps).map(|p| (p.line, p.column));
        assert_eq!(at(&[Step::Field("a")]), Some((3, 5)));
        assert_eq!(
            at(&[Step::Field("b"), Step::Index(1), Step::Field("y")]),
            Some((4, 37))
        );
        assert_eq!(
            at(&[
                Step::Field("b"),
                Step::Index(1),
                Step::Field("y"),
                Step::Field("z")
            ]),
            Some((4, 46))
        );
        assert_eq!(at(&[Step::Field("c")]), Some((5, 5)));
        assert_eq!(at(&[Step::Field("b"), Step::Index(2)]), None);
        assert_eq!(at(&[Step::Field("nope")]), None);
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
