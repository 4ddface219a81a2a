//! The library: franchises, shows, seasons, episodes, and the pure logic over them
//! (progress, next unwatched, marking watched). Knows nothing of files or screens.
//!
//! Unknown facts are `None` or empty and are never filled in. Optional fields are left out
//! of the file when empty, so a hand-edited file stays short. Every struct denies unknown
//! fields: a typo (`wacthed:`) or a newer build's field is a load error with its position,
//! never data silently dropped at the next save.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A value shared between the app and a background save. Cloning the library then clones
/// pointers, not thousands of episodes; the first change to a shared show copies that show
/// alone (copy on write, through `DerefMut`). In the file it is just the value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shared<T>(Arc<T>);

impl<T> Shared<T> {
    pub fn new(value: T) -> Self {
        Shared(Arc::new(value))
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Clone> std::ops::DerefMut for Shared<T> {
    fn deref_mut(&mut self) -> &mut T {
        Arc::make_mut(&mut self.0)
    }
}

impl<T> From<T> for Shared<T> {
    fn from(value: T) -> Self {
        Shared::new(value)
    }
}

impl<T: Serialize> Serialize for Shared<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.as_ref().serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Shared<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Shared::new)
    }
}

/// The file format this build reads and writes. A file with a larger `version` is refused.
pub const FORMAT_VERSION: u32 = 1;

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_release(o: &Order) -> bool {
    *o == Order::Release
}

/// Everything fantrack keeps: the whole file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// An unknown field (a typo, or a newer build\'s) is an error, not silently dropped at
// the next save.
#[serde(deny_unknown_fields)]
pub struct Library {
    /// File format version, for migrations.
    pub version: u32,
    /// Version of the shipped catalog this library was made from or last updated to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog_version: Option<u32>,
    /// The user's display choices.
    #[serde(default, skip_serializing_if = "Settings::is_default")]
    pub settings: Settings,
    pub franchises: Vec<Franchise>,
}

/// Choices the user makes in the app, remembered in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
// An unknown field (a typo, or a newer build\'s) is an error, not silently dropped at
// the next save.
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Hide titles and notes of episodes past the furthest watched one.
    #[serde(default, skip_serializing_if = "is_false")]
    pub spoiler_shield: bool,
    /// The order the watch-order view shows.
    #[serde(default, skip_serializing_if = "is_release")]
    pub order: Order,
    /// The newer shipped catalog version the user was last told about (told once each).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog_notified: Option<u32>,
}

impl Settings {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// An unknown field (a typo, or a newer build\'s) is an error, not silently dropped at
// the next save.
#[serde(deny_unknown_fields)]
pub struct Franchise {
    /// Stable slug, e.g. `bosch-universe`.
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub based_on: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    pub shows: Vec<Shared<Show>>,
    /// A curated watch order, as episode keys like `"bosch S01E01"`. Empty: release order only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub watch_order: Vec<String>,
}

/// How a show grew out of another one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OriginKind {
    SpinOff,
    Sequel,
    Prequel,
}

impl fmt::Display for OriginKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::SpinOff => "spin-off",
            Self::Sequel => "sequel",
            Self::Prequel => "prequel",
        })
    }
}

/// The show this one grew out of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
// An unknown field (a typo, or a newer build\'s) is an error, not silently dropped at
// the next save.
#[serde(deny_unknown_fields)]
pub struct Origin {
    /// Id of the parent show.
    pub show: String,
    pub kind: OriginKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// Announced or ordered, not yet premiered.
    Upcoming,
    Running,
    Renewed,
    Ended,
    Cancelled,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Upcoming => "upcoming",
            Self::Running => "running",
            Self::Renewed => "renewed",
            Self::Ended => "ended",
            Self::Cancelled => "cancelled",
        })
    }
}

/// A renewal: which season, and when it was announced (if known).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
// An unknown field (a typo, or a newer build\'s) is an error, not silently dropped at
// the next save.
#[serde(deny_unknown_fields)]
pub struct Renewal {
    pub season: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announced: Option<Date>,
}

/// Rotten Tomatoes scores in percent, each as of its source's snapshot.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
// An unknown field (a typo, or a newer build\'s) is an error, not silently dropped at
// the next save.
#[serde(deny_unknown_fields)]
pub struct Score {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tomatometer: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub popcornmeter: Option<u8>,
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = |v: Option<u8>| v.map_or_else(|| "unknown".to_string(), |v| format!("{v}%"));
        write!(
            f,
            "Tomatometer {} · Popcornmeter {}",
            pct(self.tomatometer),
            pct(self.popcornmeter)
        )
    }
}

/// An actor and the character they play.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
// An unknown field (a typo, or a newer build\'s) is an error, not silently dropped at
// the next save.
#[serde(deny_unknown_fields)]
pub struct Role {
    pub actor: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub character: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    Ordered,
    Premiered,
    Renewed,
    Ended,
    SpinOffAnnounced,
    Announced,
    Other,
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Ordered => "ordered",
            Self::Premiered => "premiered",
            Self::Renewed => "renewed",
            Self::Ended => "ended",
            Self::SpinOffAnnounced => "spin-off announced",
            Self::Announced => "announced",
            Self::Other => "event",
        })
    }
}

/// A dated moment in a show's life. `date` is absent when only a vaguer `when` is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
// An unknown field (a typo, or a newer build\'s) is an error, not silently dropped at
// the next save.
#[serde(deny_unknown_fields)]
pub struct Event {
    pub kind: EventKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// What is known of the date when not the day, e.g. "Sept 2024" or "before 2022-05-06".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    pub what: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

/// The ids of a show or an episode in other databases (TVmaze, TheTVDB, IMDb, TMDB, Trakt), so a
/// second add, a refresh or a history import updates what is there instead of duplicating it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
// An unknown field (a typo, or a newer build\'s) is an error, not silently dropped at
// the next save.
#[serde(deny_unknown_fields)]
pub struct ExternalIds {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tvmaze: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thetvdb: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imdb: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tmdb: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trakt: Option<u64>,
}

impl ExternalIds {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// An unknown field (a typo, or a newer build\'s) is an error, not silently dropped at
// the next save.
#[serde(deny_unknown_fields)]
pub struct Show {
    /// Stable slug, e.g. `bosch-legacy`.
    pub id: String,
    pub title: String,
    /// Ids in other databases; empty for a show known only here.
    #[serde(default, skip_serializing_if = "ExternalIds::is_empty")]
    pub ids: ExternalIds,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub premiere: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finale: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal: Option<Renewal>,
    /// Series-level score; seasons carry their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotten_tomatoes: Option<Score>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub creators: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cast: Vec<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub based_on: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Event>,
    /// Source addresses per show-level fact (`"premiere"`, `"cast"`, ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sources: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default)]
    pub seasons: Vec<Season>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// An unknown field (a typo, or a newer build\'s) is an error, not silently dropped at
// the next save.
#[serde(deny_unknown_fields)]
pub struct Season {
    pub number: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub premiere: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotten_tomatoes: Option<Score>,
    /// Novels this season adapts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adapts: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// The user's own rating, 1–5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<u8>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default)]
    pub episodes: Vec<Episode>,
    /// Specials that aired in this season. Numbered among themselves (1, 2, …) in airing
    /// order, so the regular episodes are never renumbered around them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub specials: Vec<Episode>,
    // --- Kept from a history import (`fantrack import`) so nothing the user gave is lost ---
    /// The rating as given on another tracker's 1–10 scale; `rating` holds it mapped to 1–5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating_of_10: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// An unknown field (a typo, or a newer build\'s) is an error, not silently dropped at
// the next save.
#[serde(deny_unknown_fields)]
pub struct Episode {
    pub number: u32,
    /// `None` when no source gives one; shown as "Episode N".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub air_date: Option<Date>,
    /// Minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directed_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written_by: Option<String>,
    /// Ids in other databases; empty for an episode known only here.
    #[serde(default, skip_serializing_if = "ExternalIds::is_empty")]
    pub ids: ExternalIds,
    /// Characters or shows from elsewhere in the franchise that appear here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crossovers: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Every date the user watched it: empty means unwatched, two means rewatched once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub watched: Vec<Date>,
    /// The user's own rating, 1–5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<u8>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    // --- Kept from a history import (`fantrack import`) so nothing the user gave is lost ---
    /// The rating as given on another tracker's 1–10 scale; `rating` holds it mapped to 1–5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating_of_10: Option<u8>,
}

/// Watched episodes out of all episodes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub watched: usize,
    pub total: usize,
}

impl std::ops::Add for Progress {
    type Output = Progress;

    fn add(self, other: Progress) -> Progress {
        Progress {
            watched: self.watched + other.watched,
            total: self.total + other.total,
        }
    }
}

impl Progress {
    pub fn is_complete(self) -> bool {
        self.total > 0 && self.watched == self.total
    }

    /// 0.0..=1.0; an empty item counts as 0.
    pub fn ratio(self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.watched as f64 / self.total as f64
        }
    }
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.watched, self.total)
    }
}

impl Episode {
    pub fn is_watched(&self) -> bool {
        !self.watched.is_empty()
    }

    /// The title, or "Episode N" when no title is known.
    pub fn display_title(&self) -> String {
        self.title
            .clone()
            .unwrap_or_else(|| format!("Episode {}", self.number))
    }
}

impl Season {
    pub fn progress(&self) -> Progress {
        Progress {
            watched: self.episodes.iter().filter(|e| e.is_watched()).count(),
            total: self.episodes.len(),
        }
    }

    pub fn episode(&self, number: u32) -> Option<&Episode> {
        self.episodes.iter().find(|e| e.number == number)
    }

    pub fn episode_mut(&mut self, number: u32) -> Option<&mut Episode> {
        self.episodes.iter_mut().find(|e| e.number == number)
    }
}

impl Show {
    pub fn progress(&self) -> Progress {
        self.seasons
            .iter()
            .map(Season::progress)
            .fold(Progress::default(), std::ops::Add::add)
    }

    pub fn season(&self, number: u32) -> Option<&Season> {
        self.seasons.iter().find(|s| s.number == number)
    }

    pub fn season_mut(&mut self, number: u32) -> Option<&mut Season> {
        self.seasons.iter_mut().find(|s| s.number == number)
    }

    /// Episodes in viewing order with their season number.
    pub fn episodes(&self) -> impl Iterator<Item = (u32, &Episode)> {
        self.seasons
            .iter()
            .flat_map(|s| s.episodes.iter().map(move |e| (s.number, e)))
    }

    /// The first unwatched episode after the furthest watched one; when everything after it is
    /// watched, the first unwatched episode at all. `None` when all are watched.
    pub fn next_unwatched(&self) -> Option<(u32, &Episode)> {
        let episodes: Vec<_> = self.episodes().collect();
        next_after_furthest(&episodes, |(_, e)| e.is_watched()).map(|i| episodes[i])
    }

    /// Index (in viewing order) of the furthest watched episode.
    pub fn furthest_watched(&self) -> Option<usize> {
        self.episodes()
            .enumerate()
            .filter(|(_, (_, e))| e.is_watched())
            .map(|(i, _)| i)
            .last()
    }

    pub fn stats(&self) -> Stats {
        self.episodes().fold(Stats::default(), |mut st, (_, e)| {
            let minutes = e.runtime.map(u64::from);
            if e.is_watched() {
                st.watched += 1;
                st.minutes_watched += minutes.unwrap_or(0) * e.watched.len() as u64;
            } else {
                st.left += 1;
                st.minutes_left += minutes.unwrap_or(0);
            }
            st.missing_runtime += usize::from(minutes.is_none());
            st
        })
    }

    /// "2014–2021", "2025–", or "" when the premiere is unknown.
    pub fn years(&self) -> String {
        match (self.premiere, self.finale) {
            (Some(p), Some(f)) if p.year() == f.year() => p.year().to_string(),
            (Some(p), Some(f)) => format!("{}–{}", p.year(), f.year()),
            (Some(p), None) => format!("{}–", p.year()),
            (None, _) => String::new(),
        }
    }
}

impl Franchise {
    pub fn progress(&self) -> Progress {
        self.shows
            .iter()
            .map(|s| s.progress())
            .fold(Progress::default(), std::ops::Add::add)
    }

    pub fn show(&self, id: &str) -> Option<&Show> {
        self.shows.iter().map(|s| &**s).find(|s| s.id == id)
    }

    /// Shows that grew out of `parent` (by id), in file order.
    pub fn children_of<'a>(&'a self, parent: &'a str) -> impl Iterator<Item = (usize, &'a Show)> {
        self.shows
            .iter()
            .map(|s| &**s)
            .enumerate()
            .filter(move |(_, s)| s.origin.as_ref().is_some_and(|o| o.show == parent))
    }

    /// Shows with no parent in this franchise: the roots of its family tree.
    pub fn roots(&self) -> impl Iterator<Item = (usize, &Show)> {
        self.shows
            .iter()
            .map(|s| &**s)
            .enumerate()
            .filter(|(_, s)| {
                s.origin
                    .as_ref()
                    .is_none_or(|o| self.show(&o.show).is_none())
            })
    }
}

impl Library {
    pub fn progress(&self) -> Progress {
        self.franchises
            .iter()
            .map(Franchise::progress)
            .fold(Progress::default(), std::ops::Add::add)
    }

    /// Finds a show by id in any franchise.
    pub fn find_show(&self, id: &str) -> Option<(usize, usize)> {
        self.franchises
            .iter()
            .enumerate()
            .find_map(|(f, fr)| fr.shows.iter().position(|s| s.id == id).map(|s| (f, s)))
    }
}

/// The index of the first item after the furthest one that `watched` holds for; when all after
/// it are watched, the first unwatched item at all. `None` when every item is watched.
pub fn next_after_furthest<T>(items: &[T], watched: impl Fn(&T) -> bool) -> Option<usize> {
    let start = items.iter().rposition(&watched).map_or(0, |i| i + 1);
    (start..items.len())
        .chain(0..start)
        .find(|&i| !watched(&items[i]))
}

/// Episodes and time watched and left. Time counts only episodes with a known runtime;
/// `missing_runtime` says how many lack one, instead of guessing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub watched: usize,
    pub left: usize,
    /// Rewatches count again.
    pub minutes_watched: u64,
    pub minutes_left: u64,
    pub missing_runtime: usize,
}

impl std::ops::Add for Stats {
    type Output = Stats;

    fn add(self, o: Stats) -> Stats {
        Stats {
            watched: self.watched + o.watched,
            left: self.left + o.left,
            minutes_watched: self.minutes_watched + o.minutes_watched,
            minutes_left: self.minutes_left + o.minutes_left,
            missing_runtime: self.missing_runtime + o.missing_runtime,
        }
    }
}

/// Where an episode sits in its franchise: show, season and episode indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EpisodeAt {
    pub show: usize,
    pub season: usize,
    pub episode: usize,
}

/// The orders the watch-order view offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Order {
    /// By release date across shows; ties keep show and episode order.
    #[default]
    Release,
    /// The franchise's own `watch_order`.
    Curated,
}

impl fmt::Display for Order {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Order::Release => "release order",
            Order::Curated => "curated order",
        })
    }
}

impl Franchise {
    pub fn episode(&self, at: EpisodeAt) -> &Episode {
        &self.shows[at.show].seasons[at.season].episodes[at.episode]
    }

    /// Every episode, by air date (unknown dates last); ties keep show and episode order.
    pub fn release_order(&self) -> Vec<EpisodeAt> {
        let mut all: Vec<EpisodeAt> = Vec::new();
        for (show, s) in self.shows.iter().enumerate() {
            for (season, se) in s.seasons.iter().enumerate() {
                all.extend((0..se.episodes.len()).map(|episode| EpisodeAt {
                    show,
                    season,
                    episode,
                }));
            }
        }
        // A stable sort keeps ties (a whole season released on one day) in episode order.
        all.sort_by_key(|&at| {
            let date = self.episode(at).air_date;
            (date.is_none(), date)
        });
        all
    }

    /// The curated order, resolving keys like `"bosch S01E01"`; unknown keys are skipped.
    pub fn curated_order(&self) -> Vec<EpisodeAt> {
        self.watch_order
            .iter()
            .filter_map(|key| {
                let (id, code) = key.rsplit_once(' ')?;
                let (sn, en) = parse_episode_code(code)?;
                let show = self.shows.iter().position(|s| s.id == id)?;
                let season = self.shows[show]
                    .seasons
                    .iter()
                    .position(|s| s.number == sn)?;
                let episode = self.shows[show].seasons[season]
                    .episodes
                    .iter()
                    .position(|e| e.number == en)?;
                Some(EpisodeAt {
                    show,
                    season,
                    episode,
                })
            })
            .collect()
    }

    pub fn order(&self, order: Order) -> Vec<EpisodeAt> {
        match order {
            Order::Release => self.release_order(),
            Order::Curated => self.curated_order(),
        }
    }

    /// The next episode to watch in `order` (see [`next_after_furthest`]).
    pub fn next_in(&self, order: &[EpisodeAt]) -> Option<EpisodeAt> {
        next_after_furthest(order, |&at| self.episode(at).is_watched()).map(|i| order[i])
    }

    pub fn stats(&self) -> Stats {
        self.shows
            .iter()
            .map(|s| s.stats())
            .fold(Stats::default(), std::ops::Add::add)
    }
}

/// Today's date in the system time zone: the date a watch is logged on.
pub fn today() -> Date {
    jiff::ZonedDateTime::now().date()
}

/// Parses an episode code like `S01E03` or `s1e3` into (season, episode).
pub fn parse_episode_code(code: &str) -> Option<(u32, u32)> {
    let lower = code.trim().to_ascii_lowercase();
    let rest = lower.strip_prefix('s')?;
    let (season, episode) = rest.split_once('e')?;
    Some((season.parse().ok()?, episode.parse().ok()?))
}

/// Formats (season, episode) as `S01E03`.
pub fn episode_code(season: u32, episode: u32) -> String {
    format!("S{season:02}E{episode:02}")
}

/// Marks every episode in `episodes` watched on `today`, or, when all already are, unwatched.
/// Episodes already watched keep their history when marking all. Returns true when it marked.
pub fn toggle_all<'a>(episodes: impl IntoIterator<Item = &'a mut Episode>, today: Date) -> bool {
    let episodes: Vec<&mut Episode> = episodes.into_iter().collect();
    let all_watched = episodes.iter().all(|e| e.is_watched());
    for e in episodes {
        if all_watched {
            e.watched.clear();
        } else if !e.is_watched() {
            e.watched.push(today);
        }
    }
    !all_watched
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn episode(n: u32, watched: bool) -> Episode {
        Episode {
            number: n,
            title: None,
            air_date: None,
            runtime: None,
            directed_by: None,
            written_by: None,
            ids: ExternalIds::default(),
            crossovers: vec![],
            sources: vec![],
            watched: if watched {
                vec![date(2025, 1, 1)]
            } else {
                vec![]
            },
            rating: None,
            notes: String::new(),
            rating_of_10: None,
        }
    }

    fn show(seasons: &[&[bool]]) -> Show {
        Show {
            id: "x".into(),
            title: "X".into(),
            ids: ExternalIds::default(),
            origin: None,
            network: None,
            status: Status::Running,
            premiere: None,
            finale: None,
            renewal: None,
            rotten_tomatoes: None,
            creators: vec![],
            cast: vec![],
            based_on: None,
            events: vec![],
            sources: BTreeMap::new(),
            notes: String::new(),
            seasons: seasons
                .iter()
                .enumerate()
                .map(|(i, eps)| Season {
                    number: i as u32 + 1,
                    premiere: None,
                    rotten_tomatoes: None,
                    adapts: vec![],
                    sources: vec![],
                    rating: None,
                    notes: String::new(),
                    episodes: eps
                        .iter()
                        .enumerate()
                        .map(|(j, w)| episode(j as u32 + 1, *w))
                        .collect(),
                    specials: vec![],
                    rating_of_10: None,
                })
                .collect(),
        }
    }

    #[test]
    fn progress_counts_watched_episodes_across_seasons() {
        let s = show(&[&[true, false, true], &[false, true]]);
        assert_eq!(
            s.progress(),
            Progress {
                watched: 3,
                total: 5
            }
        );
        assert_eq!(s.seasons[1].progress().to_string(), "1/2");
        assert!(!s.progress().is_complete());
        assert!(show(&[&[true]]).progress().is_complete());
        assert!(!show(&[&[]]).progress().is_complete());
    }

    #[test]
    fn next_unwatched_follows_the_furthest_watched_episode() {
        let s = show(&[&[true, false, true], &[false, true]]);
        // Furthest watched is S2E2 (the last), so it wraps to the first gap: S1E2.
        let (season, e) = s.next_unwatched().expect("one left");
        assert_eq!((season, e.number), (1, 2));

        let s = show(&[&[true, false, true], &[false, false]]);
        let (season, e) = s.next_unwatched().expect("one left");
        assert_eq!((season, e.number), (2, 1));

        let s = show(&[&[false, false]]);
        assert_eq!(s.next_unwatched().map(|(s, e)| (s, e.number)), Some((1, 1)));
        assert!(show(&[&[true], &[true]]).next_unwatched().is_none());
    }

    #[test]
    fn toggle_all_marks_then_unmarks() {
        let mut s = show(&[&[true, false]]);
        let today = date(2026, 11, 26);
        assert!(toggle_all(s.seasons[0].episodes.iter_mut(), today));
        // The already-watched episode keeps its old date; the other gets today.
        assert_eq!(s.seasons[0].episodes[0].watched, vec![date(2025, 1, 1)]);
        assert_eq!(s.seasons[0].episodes[1].watched, vec![today]);
        assert!(!toggle_all(s.seasons[0].episodes.iter_mut(), today));
        assert_eq!(s.progress().watched, 0);
    }

    #[test]
    fn episode_codes_parse_and_format() {
        assert_eq!(parse_episode_code("S01E03"), Some((1, 3)));
        assert_eq!(parse_episode_code("s7e8"), Some((7, 8)));
        assert_eq!(parse_episode_code("S01"), None);
        assert_eq!(parse_episode_code("E03"), None);
        assert_eq!(parse_episode_code("SxxE1"), None);
        assert_eq!(episode_code(1, 3), "S01E03");
    }

    #[test]
    fn unknown_titles_show_as_episode_n() {
        let mut e = episode(6, false);
        assert_eq!(e.display_title(), "Episode 6");
        e.title = Some("Donkey's Years".into());
        assert_eq!(e.display_title(), "Donkey's Years");
    }

    #[test]
    fn years_span() {
        let mut s = show(&[]);
        assert_eq!(s.years(), "");
        s.premiere = Some(date(2014, 2, 6));
        assert_eq!(s.years(), "2014–");
        s.finale = Some(date(2021, 6, 25));
        assert_eq!(s.years(), "2014–2021");
    }
}
