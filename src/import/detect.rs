//! Which export a file is, from its content: a ZIP's magic bytes, a JSON array's entry shape,
//! a CSV's columns. The file name is only a hint for a clearer error (a `watched_on_episode.csv`
//! with missing columns is said to miss them, not to be unknown).

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Trakt(TraktKind),
    TvTime(TvTimeKind),
    SeriesGuide,
    Fantrack,
    /// An empty JSON list (Trakt writes `[]` for files with nothing in them).
    Empty,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TraktKind {
    /// `watched-history*.json`, `/sync/history`: one entry per play.
    History,
    /// `watched-shows.json`, `/sync/watched/shows`: plays per episode.
    Watched,
    /// `ratings-episodes.json`, `-seasons`, `-shows`.
    Ratings,
    /// `lists-watchlist.json`.
    Watchlist,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TvTimeKind {
    /// `tracking-prod-records-v2.csv` (and v1): `watch-episode-` rows.
    Tracking,
    /// `watched_on_episode.csv`, the older `seen_episode.csv`.
    Watched,
    /// `followed_tv_show.csv`, `user_tv_show_data.csv`.
    Shows,
}

impl Format {
    pub fn unit(self) -> &'static str {
        match self {
            Format::TvTime(_) => "line",
            _ => "entry",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::Trakt(TraktKind::History) => "Trakt watch history",
            Format::Trakt(TraktKind::Watched) => "Trakt watched shows",
            Format::Trakt(TraktKind::Ratings) => "Trakt ratings",
            Format::Trakt(TraktKind::Watchlist) => "Trakt watchlist",
            Format::TvTime(TvTimeKind::Tracking) => "TV Time tracking records",
            Format::TvTime(TvTimeKind::Watched) => "TV Time watched episodes",
            Format::TvTime(TvTimeKind::Shows) => "TV Time shows",
            Format::SeriesGuide => "SeriesGuide shows backup",
            Format::Fantrack => "fantrack export",
            Format::Empty => "empty list",
        })
    }
}

/// Why a file was not taken. `broken` files (cut-short JSON, CSV missing columns) are errors
/// even inside a ZIP; the others are bystanders there.
#[derive(Debug)]
pub struct NotTaken {
    pub message: String,
    pub broken: bool,
}

fn other(message: impl Into<String>) -> NotTaken {
    NotTaken {
        message: message.into(),
        broken: false,
    }
}

fn broken(message: impl Into<String>) -> NotTaken {
    NotTaken {
        message: message.into(),
        broken: true,
    }
}

/// What a recognised file holds, parsed once.
pub enum Payload {
    /// A JSON array's entries (Trakt, SeriesGuide).
    Entries(Vec<Entry>),
    /// Text to be read by the format's own parser (CSV, fantrack JSON).
    Text,
}

pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

const KNOWN: &str = "not a Trakt, TV Time, SeriesGuide or fantrack export";

pub fn detect(name: &str, bytes: &[u8]) -> Result<(Format, Payload), NotTaken> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = text.iter().find(|b| !b.is_ascii_whitespace());
    match first {
        None => Err(other("the file is empty")),
        Some(b'[') => json_array(name, text),
        Some(b'{') => {
            let head = text.get(..4096).unwrap_or(text);
            if contains(head, b"\"fantrack_export\"") {
                Ok((Format::Fantrack, Payload::Text))
            } else {
                Err(other(format!("{KNOWN} (a JSON object)")))
            }
        }
        Some(_) => csv(name, text),
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// A JSON error as `line:col: message`, saying when the file ends too early.
pub fn json_error(e: &serde_json::Error) -> String {
    let at = format!("{}:{}", e.line(), e.column());
    match e.classify() {
        serde_json::error::Category::Eof => {
            format!("{at}: the JSON ends early (a cut-short download or copy?)")
        }
        serde_json::error::Category::Io => format!("{at}: cannot read: {e}"),
        _ => format!("{at}: {e}"),
    }
}

fn json_array(name: &str, text: &[u8]) -> Result<(Format, Payload), NotTaken> {
    let entries: Vec<Entry> = serde_json::from_slice(text).map_err(|e| {
        let message = json_error(&e);
        // A syntax error or a cut-short file is broken; valid JSON of another shape is not ours.
        if e.is_data() {
            other(format!("{KNOWN}: {message}"))
        } else {
            broken(message)
        }
    })?;
    let Some(first) = entries.first() else {
        return Ok((Format::Empty, Payload::Entries(entries)));
    };
    let format = if first.watched_at.is_some() {
        if first.movie.is_some() && entries.iter().all(|e| e.episode.is_none()) {
            return Err(other("a Trakt movie history: fantrack tracks shows"));
        }
        Format::Trakt(TraktKind::History)
    } else if first.rated_at.is_some() {
        Format::Trakt(TraktKind::Ratings)
    } else if first.listed_at.is_some() {
        // Custom lists have the watchlist's shape; only the watchlist says "follow this".
        if !name.to_ascii_lowercase().contains("watchlist") {
            return Err(other("a Trakt list other than the watchlist"));
        }
        Format::Trakt(TraktKind::Watchlist)
    } else if first.show.is_some() && first.seasons.is_some() {
        Format::Trakt(TraktKind::Watched)
    } else if first.movie.is_some() {
        return Err(other("a Trakt movies file: fantrack tracks shows"));
    } else if first.in_watchlist.is_some() || first.released_utc_ms.is_some() {
        return Err(other("a SeriesGuide movies backup: fantrack tracks shows"));
    } else if first.show.is_none()
        && (first.seasons.is_some() || first.tmdb_id.is_some() || first.tvdb_id.is_some())
    {
        Format::SeriesGuide
    } else {
        return Err(other(format!("{KNOWN} (a JSON list of something else)")));
    };
    let movie = |e: &Entry| {
        e.kind.as_deref() == Some("movie")
            || (e.movie.is_some() && e.episode.is_none() && e.show.is_none())
    };
    if matches!(format, Format::Trakt(_)) && entries.iter().all(movie) {
        return Err(other(format!(
            "{format} of movies only: fantrack tracks shows"
        )));
    }
    Ok((format, Payload::Entries(entries)))
}

/// A CSV format: the columns it needs, columns only it has, the file names it goes by.
type Check = (
    Format,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

/// The columns each TV Time file needs, and the file names it goes by.
fn csv(name: &str, text: &[u8]) -> Result<(Format, Payload), NotTaken> {
    let Ok(text) = std::str::from_utf8(text) else {
        return Err(other(format!("{KNOWN} (not JSON, CSV or ZIP)")));
    };
    let header = text.lines().next().unwrap_or("");
    if !header.contains(',') {
        return Err(other(format!("{KNOWN} (not JSON, CSV or ZIP)")));
    }
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let columns: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => return Err(broken(format!("line 1: not a readable CSV header: {e}"))),
    };
    let has = |c: &str| columns.iter().any(|x| x == c);
    let base = name
        .rsplit(['/', ':', '\\'])
        .next()
        .unwrap_or(name)
        .to_ascii_lowercase();
    let missing = |needed: &[&str]| -> Vec<String> {
        needed
            .iter()
            .filter(|c| !c.split('|').any(&has))
            .map(|c| c.replace('|', " or "))
            .collect()
    };
    // TV Time's ZIP holds some fifty CSVs, several with show and episode columns (ratings,
    // emotions): a file is taken by its exact name, or by a column only a viewing file has,
    // never by look-alike columns, so no rating is ever read as a viewing.
    let stem = base.strip_suffix(".csv").unwrap_or(&base);
    let checks: [Check; 3] = [
        (
            Format::TvTime(TvTimeKind::Tracking),
            &[
                "created_at",
                "season_number",
                "episode_number",
                "s_id|series_name",
            ],
            &["ep_id"],
            &["tracking-prod-records-v2", "tracking-prod-records"],
        ),
        (
            Format::TvTime(TvTimeKind::Watched),
            &["episode_id", "created_at"],
            &["watched_on_source_id"],
            &["watched_on_episode", "seen_episode"],
        ),
        (
            Format::TvTime(TvTimeKind::Shows),
            &["tv_show_name|tv_show_id"],
            &["nb_episodes_seen", "is_followed"],
            &["followed_tv_show", "user_tv_show_data"],
        ),
    ];
    for (format, needed, markers, names) in checks {
        let named = names.contains(&stem);
        let marked = markers.iter().any(|m| has(m));
        if named || marked {
            let gone = missing(needed);
            if gone.is_empty() {
                return Ok((format, Payload::Text));
            }
            // TV Time's first tracking file holds movies only.
            if has("movie_name") {
                return Err(other("TV Time movie records: fantrack tracks shows"));
            }
            if named {
                return Err(broken(format!(
                    "line 1: a {format} file needs the column(s) {}; its header is: {header}",
                    gone.join(", ")
                )));
            }
        }
    }
    Err(other(format!("{KNOWN} (a CSV with columns {header})")))
}

/// One entry of any JSON-array export; which fields are set says which export it is. Unknown
/// fields are ignored: exports grow fields, and a history import takes only what it needs.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Entry {
    // Trakt
    pub watched_at: Option<String>,
    pub rated_at: Option<String>,
    pub listed_at: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub rating: Option<f64>,
    pub episode: Option<TraktEpisode>,
    pub show: Option<TraktShow>,
    pub season: Option<TraktSeason>,
    pub movie: Option<IgnoredAny>,
    pub plays: Option<u64>,
    pub last_watched_at: Option<String>,
    /// Trakt's watched shows: when the user reset the show's progress to rewatch it.
    pub reset_at: Option<String>,
    pub seasons: Option<Vec<Season>>,
    // SeriesGuide
    pub tmdb_id: Option<Value>,
    pub tvdb_id: Option<Value>,
    pub imdb_id: Option<Value>,
    pub trakt_id: Option<Value>,
    pub title: Option<String>,
    pub status: Option<String>,
    pub first_aired: Option<Value>,
    pub rating_user: Option<f64>,
    pub user_note: Option<String>,
    pub in_watchlist: Option<bool>,
    pub released_utc_ms: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TraktIds {
    pub trakt: Option<Value>,
    pub tvdb: Option<Value>,
    pub imdb: Option<Value>,
    pub tmdb: Option<Value>,
    pub tvmaze: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TraktEpisode {
    pub season: Option<u32>,
    pub number: Option<u32>,
    pub title: Option<String>,
    pub ids: Option<TraktIds>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TraktShow {
    pub title: Option<String>,
    pub year: Option<i16>,
    pub ids: Option<TraktIds>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TraktSeason {
    pub number: Option<u32>,
}

/// A season in Trakt's watched shows (`number`) or a SeriesGuide backup (`season`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Season {
    pub number: Option<u32>,
    pub season: Option<u32>,
    pub episodes: Option<Vec<SeasonEpisode>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SeasonEpisode {
    pub number: Option<u32>,
    pub episode: Option<u32>,
    pub plays: Option<u64>,
    pub last_watched_at: Option<String>,
    pub watched: Option<bool>,
    pub rating_user: Option<f64>,
    pub title: Option<String>,
    pub tmdb_id: Option<Value>,
    pub tvdb_id: Option<Value>,
    pub imdb_id: Option<Value>,
}

/// A numeric id given as a number or a string; null, empty or 0 is no id.
pub fn id(v: &Option<Value>) -> Option<u64> {
    match v.as_ref()? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|&n| n != 0)
}

/// An IMDb id (`tt…`); null or empty is none.
pub fn imdb(v: &Option<Value>) -> Option<String> {
    match v.as_ref()? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

pub fn trakt_ids(ids: &Option<TraktIds>) -> crate::model::ExternalIds {
    let Some(ids) = ids else {
        return Default::default();
    };
    crate::model::ExternalIds {
        tvmaze: id(&ids.tvmaze),
        thetvdb: id(&ids.tvdb),
        imdb: imdb(&ids.imdb),
        tmdb: id(&ids.tmdb),
        trakt: id(&ids.trakt),
    }
}
