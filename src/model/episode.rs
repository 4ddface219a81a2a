//! Seasons and episodes: the user's marks, ratings and notes live here.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{ExternalIds, Progress, Rare, Score};

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
    // --- Kept from a history import (`fantrack import`) so nothing the user gave is lost ---
    /// The rating as given on another tracker's 1–10 scale; `rating` holds it mapped to 1–5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating_of_10: Option<u8>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, with = "super::compact")]
    pub episodes: Vec<Episode>,
    /// Specials that aired in this season. Numbered among themselves (1, 2, …) in airing
    /// order, so the regular episodes are never renumbered around them.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        with = "super::compact"
    )]
    pub specials: Vec<Episode>,
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
    #[serde(default, skip_serializing_if = "Rare::is_empty")]
    pub ids: Rare<ExternalIds>,
    // ── From TVmaze ──
    /// The facts as TVmaze gave them at the last add or refresh (see [`Show::tvmaze`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tvmaze: Option<Box<TvmazeEpisode>>,
    // ── end of TVmaze ──
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
    // --- Kept from a history import (`fantrack import`) so nothing the user gave is lost ---
    /// The rating as given on another tracker's 1–10 scale; `rating` holds it mapped to 1–5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating_of_10: Option<u8>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

impl Episode {
    /// Episode `number` with nothing known about it yet: the start of every new episode.
    pub fn new(number: u32) -> Self {
        Self {
            number,
            title: None,
            air_date: None,
            runtime: None,
            directed_by: None,
            written_by: None,
            ids: Rare::default(),
            tvmaze: None,
            crossovers: Vec::new(),
            sources: Vec::new(),
            watched: Vec::new(),
            rating: None,
            rating_of_10: None,
            notes: String::new(),
        }
    }

    pub fn is_watched(&self) -> bool {
        !self.watched.is_empty()
    }

    /// True when the runtime is TVmaze's average for the show, not this episode's own.
    pub fn runtime_is_average(&self) -> bool {
        self.tvmaze
            .as_ref()
            .is_some_and(|t| t.runtime_is_average && t.runtime == self.runtime)
    }

    /// The title, or "Episode N" when no title is known.
    pub fn display_title(&self) -> String {
        self.title.clone().unwrap_or_else(|| untitled(self.number))
    }
}

impl Season {
    /// Season `number` with no episodes and nothing known about it yet.
    pub fn new(number: u32) -> Self {
        Self {
            number,
            premiere: None,
            rotten_tomatoes: None,
            adapts: Vec::new(),
            sources: Vec::new(),
            rating: None,
            rating_of_10: None,
            notes: String::new(),
            episodes: Vec::new(),
            specials: Vec::new(),
        }
    }

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

/// What an episode is called when its title is unknown or hidden: "Episode N". The one
/// place this wording lives.
pub fn untitled(number: u32) -> String {
    format!("Episode {number}")
}

/// An episode's facts as TVmaze last gave them (see [`TvmazeShow`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
// An unknown field (a typo, or a newer build\'s) is an error, not silently dropped at
// the next save.
#[serde(deny_unknown_fields)]
pub struct TvmazeEpisode {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub air_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<u32>,
    /// TVmaze gave no runtime for this episode: `runtime` is the show's average runtime.
    #[serde(default, skip_serializing_if = "is_false")]
    pub runtime_is_average: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}
