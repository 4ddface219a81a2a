//! The whole file: the library, its settings, and franchises of shows.

use serde::{Deserialize, Serialize};

use super::{Order, Progress, Shared, Show};

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

    /// Finds a show by id, or else by title ignoring case, in any franchise.
    pub fn show_named(&self, key: &str) -> Option<(usize, usize)> {
        self.find_show(key).or_else(|| {
            self.franchises.iter().enumerate().find_map(|(f, fr)| {
                fr.shows
                    .iter()
                    .position(|s| s.title.eq_ignore_ascii_case(key))
                    .map(|s| (f, s))
            })
        })
    }

    /// Finds a show by id in any franchise.
    pub fn find_show(&self, id: &str) -> Option<(usize, usize)> {
        self.franchises
            .iter()
            .enumerate()
            .find_map(|(f, fr)| fr.shows.iter().position(|s| s.id == id).map(|s| (f, s)))
    }
}
