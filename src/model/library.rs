//! The whole file: the library, its settings, and franchises of shows.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{Order, Progress, Shared, Show};

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_release(o: &Order) -> bool {
    *o == Order::Release
}

/// What [`Library::lookup_show`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShowLookup {
    /// (franchise, show) indices.
    Found((usize, usize)),
    /// The ids of every show the key fits.
    Ambiguous(Vec<String>),
    /// The ids closest to the key (maybe none).
    NoMatch(Vec<String>),
}

/// Lower case, every run of non-alphanumerics one space: "Bosch: Start of Watch" and
/// "bosch-start-of-watch" both become "bosch start of watch".
pub fn normalize(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Levenshtein distance, by chars.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = i;
        let mut prev = i + 1;
        let mut next = Vec::with_capacity(row.len());
        next.push(prev);
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let cost = diagonal + usize::from(ca != *cb);
            prev = cost.min(above.saturating_add(1)).min(prev + 1);
            next.push(prev);
            diagonal = above;
        }
        row = next;
    }
    row.last().copied().unwrap_or(0)
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
    /// Tombstones: the shipped-catalog items the user deleted, as keys like `show:ballard`,
    /// `season:ballard/2`, `episode:ballard/1/3`, `franchise:bosch-universe` (see
    /// [`crate::model::removed_key`]), so `catalog update` never brings them back. Kept by
    /// `Edit::PutShow` / `Edit::PutFranchise`; left out of the file when empty.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub removed: BTreeSet<String>,
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
        match self.lookup_show(key) {
            ShowLookup::Found(at) => Some(at),
            _ => None,
        }
    }

    /// The one show lookup of the program (commands, TVmaze, import): an exact id first,
    /// then an id or title equal to `key`, then ids and titles where `key` starts a word
    /// ("legacy", "start of watch", "bosch leg"), all ignoring case and punctuation.
    /// Several matches are [`ShowLookup::Ambiguous`]; none gives the closest ids.
    pub fn lookup_show(&self, key: &str) -> ShowLookup {
        if let Some(at) = self.find_show(key) {
            return ShowLookup::Found(at);
        }
        let wanted = normalize(key);
        let shows: Vec<((usize, usize), &Show)> = self
            .franchises
            .iter()
            .enumerate()
            .flat_map(|(f, fr)| {
                fr.shows
                    .iter()
                    .enumerate()
                    .map(move |(s, sh)| ((f, s), &**sh))
            })
            .collect();
        if wanted.is_empty() {
            return ShowLookup::NoMatch(Vec::new());
        }
        let names = |show: &Show| [normalize(&show.id), normalize(&show.title)];
        let tiers: [&dyn Fn(&str) -> bool; 2] = [&|name: &str| name == wanted, &|name: &str| {
            format!(" {name}").contains(&format!(" {wanted}"))
        }];
        for tier in tiers {
            let hits: Vec<&((usize, usize), &Show)> = shows
                .iter()
                .filter(|(_, show)| names(show).iter().any(|n| tier(n)))
                .collect();
            match hits.as_slice() {
                [] => continue,
                [(at, _)] => return ShowLookup::Found(*at),
                many => {
                    return ShowLookup::Ambiguous(many.iter().map(|(_, s)| s.id.clone()).collect());
                }
            }
        }
        // Closest by edit distance, within a third of the key's length (a typo or two).
        let mut scored: Vec<(usize, &str)> = shows
            .iter()
            .map(|(_, show)| {
                let d = names(show)
                    .iter()
                    .map(|n| edit_distance(n, &wanted))
                    .min()
                    .unwrap_or(usize::MAX);
                (d, show.id.as_str())
            })
            .filter(|(d, _)| *d <= (wanted.chars().count() / 3).max(2))
            .collect();
        scored.sort();
        ShowLookup::NoMatch(
            scored
                .into_iter()
                .take(3)
                .map(|(_, id)| id.to_string())
                .collect(),
        )
    }

    /// Finds a show by id in any franchise.
    pub fn find_show(&self, id: &str) -> Option<(usize, usize)> {
        self.franchises
            .iter()
            .enumerate()
            .find_map(|(f, fr)| fr.shows.iter().position(|s| s.id == id).map(|s| (f, s)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library() -> Library {
        crate::store::shipped_catalog()
    }

    fn id(library: &Library, key: &str) -> String {
        match library.lookup_show(key) {
            ShowLookup::Found((f, s)) => library.franchises[f].shows[s].id.clone(),
            other => panic!("{key}: {other:?}"),
        }
    }

    #[test]
    fn lookup_takes_ids_titles_words_and_prefixes_in_any_case() {
        let l = library();
        assert_eq!(id(&l, "bosch"), "bosch");
        assert_eq!(id(&l, "Bosch Legacy"), "bosch-legacy");
        assert_eq!(id(&l, "legacy"), "bosch-legacy");
        assert_eq!(id(&l, "LEGACY"), "bosch-legacy");
        assert_eq!(id(&l, "start of watch"), "bosch-start-of-watch");
        assert_eq!(id(&l, "bosch: start"), "bosch-start-of-watch");
        assert_eq!(id(&l, "ball"), "ballard");
    }

    #[test]
    fn lookup_lists_candidates_and_the_closest() {
        let l = library();
        match l.lookup_show("bosch l") {
            ShowLookup::Found(_) => {}
            other => panic!("{other:?}"),
        }
        match l.lookup_show("b") {
            ShowLookup::Ambiguous(ids) => assert!(ids.len() >= 3, "{ids:?}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            l.lookup_show("balard"),
            ShowLookup::NoMatch(vec!["ballard".into()])
        );
        assert_eq!(
            l.lookup_show("bosch-legasy"),
            ShowLookup::NoMatch(vec!["bosch-legacy".into()])
        );
        assert_eq!(l.lookup_show("zzzzzzzzzz"), ShowLookup::NoMatch(vec![]));
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("balard", "ballard"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
