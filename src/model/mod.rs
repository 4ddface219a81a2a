//! The library: franchises, shows, seasons, episodes, and the pure logic over them
//! (progress, next unwatched, marking watched). Knows nothing of files or screens.
//!
//! Unknown facts are `None` or empty and are never filled in. Optional fields are left out
//! of the file when empty, so a hand-edited file stays short. Every struct denies unknown
//! fields: a typo (`wacthed:`) or a newer build's field is a load error with its position,
//! never data silently dropped at the next save.
//!
//! - `library`   the whole file: settings, franchises, finding a show
//! - `show`      a show and its facts; `episode` seasons and episodes; `progress` the sums
//! - `order`     watch orders across a franchise; `shield` what the spoiler shield hides;
//!   `tally` a franchise's sums for its pane, counted once per change
//! - `node`      positions (`NodeId`) looked up as `Option<NodeRef>`, stable ids (`Target`)
//! - `edit`      every change as an `Edit` whose `apply` returns its inverse; `put` the
//!   whole-value edits (facts, adding and removing) and the tombstones they keep
//! - `validate`  what a valid typed value is (a date, a score), for forms and CLI alike;
//!   `rules` what a valid library is (unique ids, parents that exist), for loads and edits alike

mod compact;
mod edit;
mod episode;
#[cfg(test)]
pub(crate) mod fixture;
mod ids;
mod library;
mod node;
mod order;
mod progress;
mod put;
mod rare;
pub mod rules;
mod shield;
mod show;
mod stats;
mod tally;
pub mod validate;

use std::sync::Arc;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The shipped catalog's text (`assets/bosch-universe.ron`): `store` writes it as the library
/// on first run; the model reads it only for which items are the catalog's (tombstones).
pub const CATALOG: &str = include_str!("../../assets/bosch-universe.ron");

pub use edit::*;
pub use episode::*;
pub use ids::*;
pub use library::*;
pub use node::*;
pub use order::*;
pub use progress::*;
pub use put::{episode_key, franchise_key, removed_key, season_key, shipped_keys, show_key};
pub use rare::{Empty, Rare};
pub use shield::*;
pub use show::*;
pub use stats::*;
pub use tally::*;

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

/// Today's date in the system time zone: the date a watch is logged on.
pub fn today() -> Date {
    // Without `TZ`, the system zone is /etc/localtime: read as is, it gives the same date
    // without jiff first listing the whole zoneinfo tree for zone names (several ms at every
    // start, on the loading thread).
    if std::env::var_os("TZ").is_none()
        && let Ok(data) = std::fs::read("/etc/localtime")
        && let Ok(zone) = jiff::tz::TimeZone::tzif("Local", &data)
    {
        return zone.to_datetime(jiff::Timestamp::now()).date();
    }
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
            watched: if watched {
                vec![date(2025, 1, 1)]
            } else {
                vec![]
            },
            ..Episode::new(n)
        }
    }

    fn show(seasons: &[&[bool]]) -> Show {
        Show {
            status: Status::Running,
            seasons: seasons
                .iter()
                .enumerate()
                .map(|(i, eps)| Season {
                    episodes: eps
                        .iter()
                        .enumerate()
                        .map(|(j, w)| episode(j as u32 + 1, *w))
                        .collect(),
                    ..Season::new(i as u32 + 1)
                })
                .collect(),
            ..Show::new("x", "X")
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
