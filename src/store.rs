//! Where the library file lives, loading it with precise errors, and saving it atomically.
//!
//! The file is the user's years of watch history, so two rules hold everywhere here:
//! a file that failed to load is never written over, and a save either fully replaces the
//! file or leaves it untouched (temporary file in the same directory, fsync, rename, fsync dir).

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
    #[error("{}: cannot read: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{}: is a directory, not a library file", path.display())]
    IsDirectory { path: PathBuf },
    #[error(
        "{}: the file is {} MB, more than the {} MB fantrack reads; is it really a library?",
        path.display(), bytes / 1_000_000, MAX_FILE_BYTES / 1_000_000
    )]
    TooLarge { path: PathBuf, bytes: u64 },
    #[error("{}: the file is empty", path.display())]
    Empty { path: PathBuf },
    #[error("{}:{}:{}: not valid UTF-8 text", path.display(), at.line, at.column)]
    NotUtf8 { path: PathBuf, at: Position },
    #[error("{}:{}:{}: {message}", path.display(), at.line, at.column)]
    Syntax {
        path: PathBuf,
        at: Position,
        message: String,
    },
    #[error("{}{}: {message}", path.display(), at.map(|p| format!(":{}:{}", p.line, p.column)).unwrap_or_default())]
    Invalid {
        path: PathBuf,
        at: Option<Position>,
        message: String,
    },
    #[error(
        "{}: file format version {found} is newer than this fantrack understands (up to {FORMAT_VERSION}); update fantrack",
        path.display()
    )]
    TooNew { path: PathBuf, found: u32 },
}

/// Why a save failed. The file on disk is unchanged when this is returned.
#[derive(Debug, Error)]
#[error("{}: could not save: {source}", path.display())]
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
    save(path, &library)?;
    Ok(Opened::Created(library))
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

/// Reads the file with the checks that come before parsing: not a directory, not too large.
fn read(path: &Path) -> Result<(Vec<u8>, fs::Metadata), LoadError> {
    let io_err = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = fs::metadata(path).map_err(io_err)?;
    if meta.is_dir() {
        return Err(LoadError::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            bytes: meta.len(),
        });
    }
    Ok((fs::read(path).map_err(io_err)?, meta))
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

/// `parse`, optionally accepting a file from a newer fantrack (for opening it read-only).
fn parse_with(text: &str, path: &Path, accept_newer: bool) -> Result<Library, LoadError> {
    let path_buf = || path.to_path_buf();
    if text.trim().is_empty() {
        return Err(LoadError::Empty { path: path_buf() });
    }
    // One parse on the happy path. A newer file is reported as such, whether it parses (its
    // version says so) or trips over a field this build does not know (a quick probe then).
    let too_new = |found| LoadError::TooNew {
        path: path_buf(),
        found,
    };
    let library: Library = match ron::from_str(text) {
        Ok(library) => library,
        Err(e) => {
            #[derive(Deserialize)]
            struct Probe {
                version: u32,
            }
            if let Ok(Probe { version }) = ron::from_str::<Probe>(text)
                && version > FORMAT_VERSION
                && !accept_newer
            {
                return Err(too_new(version));
            }
            return Err(LoadError::Syntax {
                path: path_buf(),
                at: past_whitespace(
                    text,
                    Position {
                        line: e.span.start.line,
                        column: e.span.start.col,
                    },
                ),
                message: e.code.to_string(),
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

/// Checks what the types cannot: unique ids, parents that exist, unique season and episode
/// numbers, ratings in range. Returns the first problem with its best-known position.
pub fn validate(library: &Library, text: &str) -> Result<(), (String, Option<Position>)> {
    if library.version == 0 {
        return Err(("version 0 is not a valid file format version".into(), None));
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
    for f in &library.franchises {
        for s in &f.shows {
            if let Some(origin) = &s.origin {
                if !show_ids.contains_key(origin.show.as_str()) {
                    return Err((
                        format!(
                            "show \"{}\" grew out of \"{}\", but no show has that id",
                            s.id, origin.show
                        ),
                        find_nth(text, &format!("show: \"{}\"", origin.show), 1),
                    ));
                }
                if origin.show == s.id {
                    return Err((
                        format!("show \"{}\" names itself as its origin", s.id),
                        None,
                    ));
                }
            }
            let mut seasons = HashSet::new();
            for season in &s.seasons {
                if !seasons.insert(season.number) {
                    return Err((
                        format!("show \"{}\" has season {} twice", s.id, season.number),
                        None,
                    ));
                }
                check_rating(season.rating).map_err(|m| {
                    (
                        format!("show \"{}\" season {}: {m}", s.id, season.number),
                        None,
                    )
                })?;
                let mut episodes = HashSet::new();
                for e in &season.episodes {
                    if !episodes.insert(e.number) {
                        return Err((
                            format!(
                                "show \"{}\" season {} has episode {} twice",
                                s.id, season.number, e.number
                            ),
                            None,
                        ));
                    }
                    check_rating(e.rating).map_err(|m| {
                        (
                            format!(
                                "show \"{}\" {}: {m}",
                                s.id,
                                crate::model::episode_code(season.number, e.number)
                            ),
                            None,
                        )
                    })?;
                }
            }
        }
    }
    if let Some(cycle) = origin_cycle(library) {
        return Err((
            format!("shows grow out of each other in a loop: {cycle}"),
            None,
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

/// A loop in the "grew out of" links would make the family tree infinite.
fn origin_cycle(library: &Library) -> Option<String> {
    let parent: HashMap<&str, &str> = library
        .franchises
        .iter()
        .flat_map(|f| &f.shows)
        .filter_map(|s| s.origin.as_ref().map(|o| (s.id.as_str(), o.show.as_str())))
        .collect();
    for start in parent.keys() {
        let mut seen = vec![*start];
        let mut at = *start;
        while let Some(next) = parent.get(at) {
            if *next == *start {
                seen.push(next);
                return Some(seen.join(" → "));
            }
            if seen.contains(next) {
                break;
            }
            seen.push(next);
            at = next;
        }
    }
    None
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
    /// Inode and change time: a rename over the file or an in-place write moves these even
    /// when a tool keeps the length and the modification time (`cp -p`, `rsync -t`).
    inode: u64,
    changed: (i64, i64),
    hash: u64,
}

impl Stamp {
    fn of(bytes: &[u8], meta: &fs::Metadata) -> Stamp {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut h);
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            inode: meta.ino(),
            changed: (meta.ctime(), meta.ctime_nsec()),
            hash: h.finish(),
        }
    }

    /// True when the file at `path` may differ from this stamp: a cheap metadata check first,
    /// the bytes only when the metadata moved. A missing or unreadable file counts as changed.
    pub fn changed(&self, path: &Path) -> bool {
        let Ok(meta) = fs::metadata(path) else {
            return true;
        };
        if meta.len() == self.len
            && meta.modified().ok() == self.modified
            && meta.ino() == self.inode
            && (meta.ctime(), meta.ctime_nsec()) == self.changed
        {
            return false;
        }
        fs::read(path).map_or(true, |bytes| Stamp::of(&bytes, &meta).hash != self.hash)
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

/// The advisory lock file beside the library: `library.ron.lock`.
fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    path.with_file_name(name)
}

/// An exclusive advisory lock on the library, held for one read-modify-write. Released on drop.
#[derive(Debug)]
pub struct Lock {
    _file: fs::File,
}

/// How long a writer waits for another to finish before giving up with a clear message.
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Takes the library's lock, waiting up to `wait` for another fantrack to finish.
pub fn lock(path: &Path, wait: std::time::Duration) -> io::Result<Lock> {
    // Lock the file the path resolves to, as saves write through links: two names for one
    // library must share one lock.
    let resolved = fs::canonicalize(path).ok();
    let lock_file = lock_path(resolved.as_deref().unwrap_or(path));
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_file)
        .map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot open {}: {e}", lock_file.display()),
            )
        })?;
    let start = std::time::Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Lock { _file: file }),
            Err(fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(io::Error::new(
                    io::ErrorKind::WouldBlock,
                    format!(
                        "another fantrack has held {} for over {}s; try again when it is done",
                        lock_file.display(),
                        wait.as_secs()
                    ),
                ));
            }
            Err(fs::TryLockError::Error(e)) => return Err(e),
        }
    }
}

/// Saves atomically: a temporary file in the same directory is written, flushed and synced,
/// then renamed over the old file, and the directory is synced so the rename is durable.
/// The old file is kept as `library.ron.bak`. On any error the old file is untouched and the
/// temporary file is removed. Returns the stamp of what was written.
pub fn save(path: &Path, library: &Library) -> Result<Stamp, SaveError> {
    let err = |source| SaveError {
        path: path.to_path_buf(),
        source,
    };
    let text = to_text(library).map_err(|e| err(io::Error::other(e)))?;
    write_atomic(path, text.as_bytes(), true).map_err(err)?;
    let meta = fs::metadata(path).map_err(err)?;
    Ok(Stamp::of(text.as_bytes(), &meta))
}

/// Replaces `path` with `bytes` atomically (see [`save`]); with `backup`, the file being
/// replaced becomes `library.ron.bak` (a hard link, so it costs no copy).
pub fn write_atomic(path: &Path, bytes: &[u8], backup: bool) -> io::Result<()> {
    // A library that is a symlink (into a dotfiles repo, say) is saved through the link.
    let resolved = fs::canonicalize(path).ok();
    let path = resolved.as_deref().unwrap_or(path);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    remove_stale_temporaries(dir, &tmp_prefix(path));
    let mut tmp = tempfile::Builder::new()
        .prefix(&tmp_prefix(path))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.flush()?;
    tmp.as_file().sync_all()?;
    // Keep the user's permissions on the replaced file (a temp file starts at 0600).
    if let Ok(meta) = fs::metadata(path) {
        let _ = fs::set_permissions(tmp.path(), meta.permissions());
        if backup {
            keep_backup(path, dir);
        }
    }
    tmp.persist(path).map_err(|e| e.error)?;
    // The file is replaced now; a directory that cannot be synced (some network and FUSE
    // mounts) must not make the app report "not saved" for a save that happened.
    let _ = fs::File::open(dir).and_then(|d| d.sync_all());
    Ok(())
}

/// Temporary files of a save of `library.ron` start with `.library.ron.`: each library's own,
/// so cleaning up after one never touches another's save in the same directory.
fn tmp_prefix(path: &Path) -> String {
    format!(
        ".{}.",
        path.file_name().unwrap_or_default().to_string_lossy()
    )
}

/// Removes the temporary files that killed saves left behind. Writers hold the library's lock
/// while they write, so under it no temporary file here is in use.
fn remove_stale_temporaries(dir: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(prefix) && name.ends_with(".tmp") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Points `library.ron.bak` at the current file. Best effort: a missing backup never blocks a
/// save, which is atomic on its own.
fn keep_backup(path: &Path, dir: &Path) {
    let Ok(link) = tempfile::Builder::new()
        .prefix(&tmp_prefix(path))
        .suffix(".bak.tmp")
        .make_in(dir, |p| {
            fs::hard_link(path, p).or_else(|_| fs::copy(path, p).map(|_| ()))
        })
    else {
        return;
    };
    let _ = link.persist(backup_path(path));
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
}
