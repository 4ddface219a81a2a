//! Bringing history in and out: `fantrack import` (Trakt, TV Time, SeriesGuide and fantrack's
//! own JSON export), `fantrack export` (JSON, CSV, ICS) and `fantrack merge` (two copies of the
//! library, or a git merge driver).
//!
//! The work is pure and in two steps, so the CLI and the app share it: [`read_inputs`] +
//! [`parse`] turn files into [`Row`]s, [`plan`] matches them against a library and says what
//! would change (the [`Report`] is the same for a dry run), [`apply`] makes those changes.
//! Nothing here touches the library file; the CLI handlers in [`cli`] do, under the store's lock.
//!
//! - `detect`       which format a file is, by its content
//! - `trakt`, `tvtime`, `seriesguide`, `fantrack`: one parser per format, each to [`Row`]s
//! - `matching`     rows against the library: [`plan`] and [`apply`]
//! - `report`       the per-show report and its text
//! - `export`, `merge`, `cli`

pub mod cli;
mod detect;
pub mod export;
mod fantrack;
pub mod lookup;
mod matching;
pub mod merge;
mod report;
mod seriesguide;
mod trakt;
mod tvtime;

use std::fmt;
use std::io::Read;
use std::path::Path;

use jiff::civil::Date;

use crate::model::ExternalIds;

pub use detect::Format;
pub use matching::{
    Change, EpisodeLoc, Loc, MissingShow, Options, ShowLoc, apply, bare_show, bare_source, plan,
};
pub use report::{Counts, FileRead, Report, ShowReport};

/// The largest file (or ZIP entry, uncompressed) an import reads: far above any real export,
/// low enough that a wrong file or a ZIP bomb is refused instead of exhausting memory.
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

/// One file to import: its name as messages show it (`export.zip:watched-history.json`) and
/// its bytes.
#[derive(Debug, Clone)]
pub struct Input {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// An import that cannot go ahead: one line naming the file (and row when there is one).
/// The second field says when a password-protected ZIP is why, so a caller can ask for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError(pub String, Option<Locked>);

/// Why a password-protected ZIP did not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locked {
    /// No password was given.
    NeedsPassword,
    /// The password given is not this ZIP's.
    WrongPassword,
}

impl ImportError {
    /// A password-protected ZIP that wants a (right) password: the caller may ask and retry.
    pub fn locked(&self) -> Option<Locked> {
        self.1
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ImportError {}

impl From<ImportError> for String {
    fn from(e: ImportError) -> String {
        e.0
    }
}

fn error(message: impl Into<String>) -> ImportError {
    ImportError(message.into(), None)
}

/// The tracker a row came from: said in the report and on imported notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tracker {
    Trakt,
    TvTime,
    SeriesGuide,
    Fantrack,
}

impl fmt::Display for Tracker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Tracker::Trakt => "Trakt",
            Tracker::TvTime => "TV Time",
            Tracker::SeriesGuide => "SeriesGuide",
            Tracker::Fantrack => "fantrack",
        })
    }
}

/// A show as an export names it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ShowRef {
    pub title: Option<String>,
    pub year: Option<i16>,
    pub ids: ExternalIds,
    /// fantrack's own show id, in fantrack's own export.
    pub slug: Option<String>,
}

impl ShowRef {
    /// "High Potential (2024)", or the best id when there is no title.
    pub fn label(&self) -> String {
        match (&self.title, self.year) {
            (Some(t), Some(y)) => format!("{t} ({y})"),
            (Some(t), None) => t.clone(),
            (None, _) => match (&self.ids.thetvdb, &self.ids.tmdb, &self.ids.imdb) {
                (Some(id), _, _) => format!("TheTVDB show {id}"),
                (_, Some(id), _) => format!("TMDB show {id}"),
                (_, _, Some(id)) => format!("IMDb show {id}"),
                _ => self
                    .slug
                    .clone()
                    .unwrap_or_else(|| "a show with no title or id".into()),
            },
        }
    }
}

/// Where an episode sits, as an export numbers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Slot {
    Regular {
        season: u32,
        number: u32,
    },
    /// A special. `season` is the season it aired in when the export knows it (fantrack's own
    /// export); Trakt, TV Time and SeriesGuide put all specials in a "season 0".
    Special {
        season: Option<u32>,
        number: u32,
    },
    /// Only an id is known (TV Time's oldest `seen_episode.csv`).
    Unnumbered,
}

impl Slot {
    /// Trakt, TV Time and SeriesGuide number specials as season 0.
    pub fn from_numbers(season: u32, number: u32) -> Slot {
        if season == 0 {
            Slot::Special {
                season: None,
                number,
            }
        } else {
            Slot::Regular { season, number }
        }
    }
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Slot::Regular { season, number } => {
                f.write_str(&crate::model::episode_code(season, number))
            }
            Slot::Special {
                season: Some(s),
                number,
            } => write!(f, "S{s:02} special {number}"),
            Slot::Special {
                season: None,
                number,
            } => f.write_str(&crate::model::episode_code(0, number)),
            Slot::Unnumbered => f.write_str("an episode known by its id"),
        }
    }
}

/// An episode as an export names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpisodeRef {
    pub slot: Slot,
    pub title: Option<String>,
    pub ids: ExternalIds,
}

/// What a row is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Show,
    Season(u32),
    Episode(EpisodeRef),
}

/// What a row says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    /// One viewing on a day.
    Play(Date),
    /// A tally of viewings; `last` is the only date the export gives (Trakt's
    /// `watched-shows.json`), none for SeriesGuide.
    Plays {
        count: u32,
        last: Option<Date>,
        /// Trakt's `reset_at`: the day the user reset the show's progress to watch it again,
        /// when this episode's last play came after it (that play belongs to the rewatch).
        rewatch_since: Option<Date>,
    },
    /// A rating: on fantrack's 1–5 scale, on the tracker's 1–10 scale, or both.
    Rating {
        five: Option<u8>,
        ten: Option<u8>,
    },
    Note(String),
    /// A show followed or on a watchlist: nothing to record, but `--add-missing` adds it.
    Follow,
    /// A row that is not about a TV episode (a movie, a TV Time event that is not a
    /// viewing): counted and reported, never recorded.
    Other(String),
}

/// One row of an export, in fantrack's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Index into [`Parsed::files`]'s list (the file it came from).
    pub file: usize,
    /// 1-based entry (JSON) or line (CSV) in that file.
    pub pos: usize,
    pub tracker: Tracker,
    pub show: ShowRef,
    pub target: Target,
    pub fact: Fact,
}

/// A recognised file.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub name: String,
    pub format: Format,
    /// "entry" for JSON files, "line" for CSV: how [`Row::pos`] reads.
    pub unit: &'static str,
    pub rows: usize,
}

/// Everything read from the inputs.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub files: Vec<ParsedFile>,
    pub rows: Vec<Row>,
    /// Files passed over (the other files of an export ZIP), each with why.
    pub skipped: Vec<String>,
}

/// Reads `path`: a file, or a ZIP whose entries become inputs. `access_token.csv` and
/// `auth-*` entries (TV Time's credentials) are never opened. An encrypted ZIP needs
/// `password`: without it, or with a wrong one, the error's [`ImportError::locked`] says so
/// and its message names the ZIP only (how to give a password is the caller's to say).
pub fn read_inputs(path: &Path, password: Option<&str>) -> Result<Vec<Input>, ImportError> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| error(format!("{name}: cannot read: {e}")))?;
    if meta.is_dir() {
        return Err(error(format!(
            "{name}: is a directory; give the export file or its ZIP"
        )));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(error(format!(
            "{name}: {} MB is more than the {} MB an import reads",
            meta.len() / 1_000_000,
            MAX_INPUT_BYTES / 1_000_000
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| error(format!("{name}: cannot read: {e}")))?;
    if detect::is_zip(&bytes) {
        unzip(&name, bytes, password)
    } else {
        Ok(vec![Input { name, bytes }])
    }
}

/// Entries a ZIP import never opens: TV Time's export holds the account's tokens.
fn is_secret(entry: &str) -> bool {
    let base = entry
        .rsplit('/')
        .next()
        .unwrap_or(entry)
        .to_ascii_lowercase();
    base == "access_token.csv" || base.starts_with("auth-")
}

fn unzip(name: &str, bytes: Vec<u8>, password: Option<&str>) -> Result<Vec<Input>, ImportError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        error(format!(
            "{name}: not a readable ZIP ({e}); was the download cut short?"
        ))
    })?;
    let mut inputs = Vec::new();
    for i in 0..archive.len() {
        let entry_name = match archive.name_for_index(i) {
            Some(Ok(n)) => n.to_string(),
            _ => continue,
        };
        if entry_name.ends_with('/') || is_secret(&entry_name) {
            continue;
        }
        let display = format!("{name}:{entry_name}");
        let file = match password {
            Some(p) => archive.by_index_decrypt(i, p.as_bytes()),
            None => archive.by_index(i),
        };
        let file = match file {
            Ok(f) => f,
            Err(zip::result::ZipError::UnsupportedArchive(m))
                if m == zip::result::ZipError::PASSWORD_REQUIRED =>
            {
                return Err(ImportError(
                    format!("{name}: the ZIP is password-protected"),
                    Some(Locked::NeedsPassword),
                ));
            }
            Err(zip::result::ZipError::InvalidPassword) => {
                return Err(ImportError(
                    format!("{name}: wrong password for this ZIP"),
                    Some(Locked::WrongPassword),
                ));
            }
            Err(e) => return Err(error(format!("{display}: cannot read from the ZIP: {e}"))),
        };
        // ZipCrypto checks a password against one byte: a wrong one gets past it once in 256
        // tries and then unpacks to garbage (a corrupt stream, a bad checksum). With a password
        // given, that is a wrong password to ask again for, not a damaged ZIP.
        let locked = password.is_some() && file.encrypted();
        let mut out = Vec::new();
        file.take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|e| {
                if locked {
                    return ImportError(
                        format!("{name}: wrong password for this ZIP"),
                        Some(Locked::WrongPassword),
                    );
                }
                error(format!(
                    "{display}: cannot read from the ZIP ({e}); is the ZIP truncated?"
                ))
            })?;
        if out.len() as u64 > MAX_INPUT_BYTES {
            return Err(error(format!(
                "{display}: unpacks to more than the {} MB an import reads",
                MAX_INPUT_BYTES / 1_000_000
            )));
        }
        inputs.push(Input {
            name: display,
            bytes: out,
        });
    }
    Ok(inputs)
}

/// Parses every input. A file that is a ZIP's bystander (a Trakt `user-profile.json`, one of
/// TV Time's fifty CSVs) is listed in [`Parsed::skipped`]; a file given on its own that is
/// none of the known formats, or any file that is broken, is an error.
pub fn parse(inputs: &[Input], tz: &jiff::tz::TimeZone) -> Result<Parsed, ImportError> {
    let mut parsed = Parsed::default();
    for input in inputs {
        let in_zip = input.name.contains(".zip:") || input.name.contains(".ZIP:");
        let (format, payload) = match detect::detect(&input.name, &input.bytes) {
            Ok(f) => f,
            Err(e) if in_zip && !e.broken => {
                parsed
                    .skipped
                    .push(format!("{}: {}", input.name, e.message));
                continue;
            }
            Err(e) => return Err(error(format!("{}: {}", input.name, e.message))),
        };
        let file = parsed.files.len();
        let before = parsed.rows.len();
        let ctx = Ctx {
            file,
            name: &input.name,
            tz,
        };
        let rows = &mut parsed.rows;
        match (format, payload) {
            (Format::Fantrack, _) => fantrack::parse(&ctx, &input.bytes, rows)?,
            (Format::TvTime(kind), _) => tvtime::parse(&ctx, kind, &input.bytes, rows)?,
            (Format::SeriesGuide, detect::Payload::Entries(e)) => {
                seriesguide::parse(&ctx, e, rows)?
            }
            (Format::Trakt(kind), detect::Payload::Entries(e)) => {
                trakt::parse(&ctx, kind, e, rows)?
            }
            (Format::Empty, _) | (_, detect::Payload::Text) => {}
        }
        parsed.files.push(ParsedFile {
            name: input.name.clone(),
            format,
            unit: format.unit(),
            rows: parsed.rows.len() - before,
        });
    }
    if parsed.files.is_empty() {
        let what = if parsed.skipped.is_empty() {
            "nothing to import".to_string()
        } else {
            format!(
                "no Trakt, TV Time, SeriesGuide or fantrack export inside ({} file(s) looked at)",
                parsed.skipped.len()
            )
        };
        let names: Vec<&str> = inputs.iter().map(|i| i.name.as_str()).collect();
        let first = names
            .first()
            .map(|n| n.split(".zip:").next().unwrap_or(n))
            .unwrap_or("the input");
        return Err(error(format!("{first}: {what}")));
    }
    Ok(parsed)
}

/// What a parser needs to name its rows and date them.
pub(crate) struct Ctx<'a> {
    pub file: usize,
    pub name: &'a str,
    pub tz: &'a jiff::tz::TimeZone,
}

impl Ctx<'_> {
    fn err(&self, unit: &str, pos: usize, message: impl fmt::Display) -> ImportError {
        error(format!("{} {unit} {pos}: {message}", self.name))
    }

    /// The day of an RFC 3339 instant (`2025-07-01T18:41:00.000Z`) in the user's time zone.
    fn day_of_instant(&self, text: &str) -> Option<Date> {
        let ts: jiff::Timestamp = text.trim().parse().ok()?;
        Some(ts.to_zoned_datetime(self.tz.clone()).date())
    }

    /// The day of a zoneless `YYYY-MM-DD HH:MM:SS` taken as UTC, in the user's time zone.
    fn day_of_utc_civil(&self, text: &str) -> Option<Date> {
        // `2021-01-01 10:00:00`: the ISO form has a `T` where TV Time writes a space.
        // A time that does carry a zone or offset is taken at its word.
        if let Ok(ts) = text.trim().parse::<jiff::Timestamp>() {
            return Some(ts.to_zoned_datetime(self.tz.clone()).date());
        }
        let text = text.trim().replacen(' ', "T", 1);
        let text = text.as_str();
        if !text.contains('T') {
            // A bare day has no time to move across zones: it is that day.
            return text.parse::<Date>().ok();
        }
        let dt: jiff::civil::DateTime = text.parse().ok()?;
        let ts = dt
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .ok()?
            .timestamp();
        Some(ts.to_zoned_datetime(self.tz.clone()).date())
    }
}

/// Trakt and SeriesGuide ratings are 1–10; fantrack's are 1–5. Halves, rounded up: 1–2 → 1,
/// 3–4 → 2, 5–6 → 3, 7–8 → 4, 9–10 → 5. The 1–10 value is kept beside it.
pub fn five_of_ten(ten: u8) -> Option<u8> {
    (1..=10).contains(&ten).then(|| ten.div_ceil(2))
}

/// How [`five_of_ten`] maps, for the report.
pub const RATING_RULE: &str = "ratings 1–10 map to 1–5 by halves rounded up (1–2 → 1, 3–4 → 2, 5–6 → 3, 7–8 → 4, 9–10 → 5); the 1–10 value is kept as rating_of_10";

/// Reads, parses and plans in one go: what `fantrack import` and the app's import key do.
pub fn plan_files(
    library: &crate::model::Library,
    paths: &[std::path::PathBuf],
    options: &Options<'_>,
) -> Result<(Parsed, matching::ImportPlan), ImportError> {
    let mut inputs = Vec::new();
    for p in paths {
        inputs.extend(read_inputs(p, options.password.as_deref())?);
    }
    let parsed = parse(&inputs, &options.tz)?;
    let plan = plan(library, &parsed, options);
    Ok((parsed, plan))
}

pub use matching::ImportPlan;
