//! A show and the facts about it: origin, status, renewal, scores, cast, events, ids.

use std::collections::BTreeMap;
use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{Episode, Progress, Season, Stats, next_after_furthest};

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
    /// Nobody has said yet (a show added by hand starts so): never guessed.
    Unknown,
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
            Self::Unknown => "unknown",
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
    Cancelled,
    PremiereDateSet,
    Cast,
    Score,
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
            Self::Cancelled => "cancelled",
            Self::PremiereDateSet => "premiere date set",
            Self::Cast => "cast",
            Self::Score => "score",
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
    /// Recorded by the user (`fantrack news`, the news form), not shipped by the catalog.
    #[serde(default, skip_serializing_if = "is_false")]
    pub yours: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
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

impl super::Empty for ExternalIds {
    const EMPTY: &'static Self = &ExternalIds {
        tvmaze: None,
        thetvdb: None,
        imdb: None,
        tmdb: None,
        trakt: None,
    };
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
    // ── From TVmaze (`fantrack add --tvmaze`, `refresh`); absent on every other show ──
    /// What the show is about, as plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The facts as TVmaze gave them at the last add or refresh. A refresh takes TVmaze's new
    /// value only where the show still holds this one: a value that differs was edited by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tvmaze: Option<TvmazeShow>,
    // ── end of TVmaze ──
    /// The user's own rating of the whole show, 1–5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<u8>,
    /// Kept from a history import (`fantrack import`) so nothing the user gave is lost: the
    /// rating as given on another tracker's 1–10 scale; `rating` holds it mapped to 1–5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating_of_10: Option<u8>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default)]
    pub seasons: Vec<Season>,
}

impl Show {
    /// A show with only its id and title, nothing else known yet (its status too is
    /// `Unknown` until someone says): the start of every new show.
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
            ids: ExternalIds::default(),
            origin: None,
            network: None,
            status: Status::Unknown,
            premiere: None,
            finale: None,
            renewal: None,
            rotten_tomatoes: None,
            creators: Vec::new(),
            cast: Vec::new(),
            based_on: None,
            events: Vec::new(),
            sources: BTreeMap::new(),
            summary: None,
            tvmaze: None,
            rating: None,
            rating_of_10: None,
            notes: String::new(),
            seasons: Vec::new(),
        }
    }

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
        let (se, e) = self.next_unwatched_at()?;
        let season = self.seasons.get(se)?;
        Some((season.number, season.episodes.get(e)?))
    }

    /// [`Show::next_unwatched`] as season and episode indices.
    pub fn next_unwatched_at(&self) -> Option<(usize, usize)> {
        let episodes: Vec<(usize, usize, &Episode)> = self
            .seasons
            .iter()
            .enumerate()
            .flat_map(|(se, s)| {
                s.episodes
                    .iter()
                    .enumerate()
                    .map(move |(e, ep)| (se, e, ep))
            })
            .collect();
        next_after_furthest(&episodes, |(_, _, e)| e.is_watched())
            .and_then(|i| episodes.get(i).map(|&(se, e, _)| (se, e)))
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

/// A show's facts as TVmaze last gave them: the base that tells a hand edit from a TVmaze change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
// An unknown field (a typo, or a newer build\'s) is an error, not silently dropped at
// the next save.
#[serde(deny_unknown_fields)]
pub struct TvmazeShow {
    pub title: String,
    /// TVmaze's own word ("Running", "Ended", "To Be Determined", "In Development", ...), kept
    /// as given: [`Status`] has no "unknown", so only the certain ones change `Show::status`.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub premiere: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finale: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}
