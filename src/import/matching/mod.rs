//! Rows against the library: [`plan`] finds each row's show (external id, then fantrack id,
//! then title + year) and episode (episode id, then season and number), decides what is new,
//! and lists the [`Change`]s; [`apply`] makes them. Never lose, never duplicate: a watch date
//! already there (same episode, same day) is not added again, a rating the user gave is never
//! replaced, a note is appended only when the text is not there yet.
//!
//! - `find`     the index of the library, and the show and episode a row names
//! - `changes`  the places a change lands and making one
//! - `plan`     each row's outcome and the report
//! - `missing`  shows the library lacks (`--add-missing`)

mod changes;
mod find;
mod missing;
mod plan;

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::report::Report;
use super::{ShowRef, Tracker};
use crate::model::{ExternalIds, Franchise, Show};

pub use changes::apply;
pub use missing::{bare_show, bare_source};
pub use plan::plan;

/// How to import.
pub struct Options<'a> {
    /// The time zone a viewing's instant is dated in (the user's; UTC in tests).
    pub tz: jiff::tz::TimeZone,
    /// Add the shows the library lacks instead of listing them as unmatched.
    pub add_missing: bool,
    /// Where `add_missing` gets a show from, with where it came from as the report says it
    /// per show ("from TVmaze"). [`bare_source`] builds it from the export's own titles and
    /// numbers; a TVmaze lookup (`import::lookup`) can take its place.
    pub source: &'a dyn Fn(&MissingShow) -> (Show, String),
    /// For a password-protected ZIP.
    pub password: Option<String>,
    /// Told (rows matched, rows in all) as the matching goes, about a hundred times in all:
    /// the app's progress bar.
    pub progress: Option<&'a dyn Fn(usize, usize)>,
}

impl Options<'static> {
    pub fn new(tz: jiff::tz::TimeZone) -> Self {
        Options {
            tz,
            add_missing: false,
            source: &bare_source,
            password: None,
            progress: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShowLoc {
    pub franchise: usize,
    pub show: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EpisodeLoc {
    pub show: ShowLoc,
    /// Index into the show's seasons.
    pub season: usize,
    /// In the season's specials rather than its episodes.
    pub special: bool,
    pub episode: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loc {
    Show(ShowLoc),
    Season(ShowLoc, usize),
    Episode(EpisodeLoc),
}

/// One change an import makes. Locations are indices into the library the plan was made for
/// (shows added by the plan come after the existing franchises).
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// A show the library lacked, in a franchise of its own.
    AddShow(Franchise),
    Watch {
        at: EpisodeLoc,
        date: Date,
    },
    Rate {
        at: Loc,
        rating: u8,
        rating_of_10: Option<u8>,
    },
    /// Appended to the notes already there.
    Note {
        at: Loc,
        text: String,
    },
}

#[derive(Debug, Clone)]
pub struct ImportPlan {
    pub changes: Vec<Change>,
    pub report: Report,
}

/// A show the export has and the library lacks, with every episode the export names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingShow {
    pub show: ShowRef,
    pub tracker: Tracker,
    /// Regular episodes by (season, number), with a title when the export gives one.
    pub episodes: BTreeMap<(u32, u32), (Option<String>, ExternalIds)>,
}

pub use crate::model::slug;
