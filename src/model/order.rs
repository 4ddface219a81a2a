//! Watch orders across a franchise's shows: release order and the curated one.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Episode, Franchise, Season, Show, Stats, next_after_furthest, parse_episode_code};

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
    /// The show, season and episode at `at`; `None` when the franchise has no such position.
    pub fn at(&self, at: EpisodeAt) -> Option<(&Show, &Season, &Episode)> {
        let show = self.shows.get(at.show)?;
        let season = show.seasons.get(at.season)?;
        Some((show, season, season.episodes.get(at.episode)?))
    }

    pub fn episode(&self, at: EpisodeAt) -> Option<&Episode> {
        self.at(at).map(|(_, _, e)| e)
    }

    /// Every episode, by air date (unknown dates last); ties keep show and episode order.
    pub fn release_order(&self) -> Vec<EpisodeAt> {
        let mut all = Vec::new();
        for (show, s) in self.shows.iter().enumerate() {
            for (season, se) in s.seasons.iter().enumerate() {
                all.extend(se.episodes.iter().enumerate().map(|(episode, e)| {
                    let at = EpisodeAt {
                        show,
                        season,
                        episode,
                    };
                    ((e.air_date.is_none(), e.air_date), at)
                }));
            }
        }
        // A stable sort keeps ties (a whole season released on one day) in episode order.
        all.sort_by_key(|(key, _)| *key);
        all.into_iter().map(|(_, at)| at).collect()
    }

    /// The curated order, resolving keys like `"bosch S01E01"`; unknown keys are skipped.
    pub fn curated_order(&self) -> Vec<EpisodeAt> {
        self.watch_order
            .iter()
            .filter_map(|key| {
                let (id, code) = key.rsplit_once(' ')?;
                let (sn, en) = parse_episode_code(code)?;
                let show = self.shows.iter().position(|s| s.id == id)?;
                let seasons = &self.shows.get(show)?.seasons;
                let season = seasons.iter().position(|s| s.number == sn)?;
                let episode = seasons
                    .get(season)?
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
        next_after_furthest(order, |&at| {
            self.episode(at).is_some_and(Episode::is_watched)
        })
        .and_then(|i| order.get(i).copied())
    }

    pub fn stats(&self) -> Stats {
        self.shows
            .iter()
            .map(|s| s.stats())
            .fold(Stats::default(), std::ops::Add::add)
    }
}

/// A curated `watch_order` key that the order view would drop or repeat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderProblem {
    /// Index in `watch_order`.
    pub index: usize,
    pub key: String,
    /// What is wrong, worded for the user.
    pub message: String,
}

impl Franchise {
    /// Every key of the curated `watch_order` that names no episode, is not written the
    /// canonical way (`"bosch S01E01"`), or names an episode an earlier key already did.
    pub fn watch_order_problems(&self) -> Vec<OrderProblem> {
        let mut seen: Vec<(EpisodeAt, usize)> = Vec::new();
        let mut problems = Vec::new();
        for (index, key) in self.watch_order.iter().enumerate() {
            let problem = |message: String| OrderProblem {
                index,
                key: key.clone(),
                message,
            };
            let Some((id, code)) = key.trim().rsplit_once(' ') else {
                problems.push(problem(
                    "not a key like \"bosch S01E01\" (show id, space, episode code)".into(),
                ));
                continue;
            };
            let Some((sn, en)) = parse_episode_code(code) else {
                problems.push(problem(format!(
                    "\"{code}\" is not an episode code like S01E03"
                )));
                continue;
            };
            let Some(show) = self.shows.iter().position(|s| s.id == id) else {
                let near = self
                    .shows
                    .iter()
                    .map(|s| (super::edit_distance(&s.id, id), s.id.as_str()))
                    .filter(|(d, _)| *d <= 2)
                    .min();
                problems.push(problem(match near {
                    Some((_, near)) => format!("no show \"{id}\"; did you mean {near}?"),
                    None => format!("no show \"{id}\" in this franchise"),
                }));
                continue;
            };
            let canonical = format!("{id} {}", super::episode_code(sn, en));
            let found = self.shows.get(show).and_then(|s| {
                let season = s.seasons.iter().position(|se| se.number == sn)?;
                let episode = s
                    .seasons
                    .get(season)?
                    .episodes
                    .iter()
                    .position(|e| e.number == en)?;
                Some(EpisodeAt {
                    show,
                    season,
                    episode,
                })
            });
            let Some(at) = found else {
                problems.push(problem(format!(
                    "{id} has no {}",
                    super::episode_code(sn, en)
                )));
                continue;
            };
            if let Some((_, first)) = seen.iter().find(|(a, _)| *a == at) {
                problems.push(problem(format!(
                    "{canonical} is already in the order (key {}); the view shows it once",
                    first + 1
                )));
                continue;
            }
            seen.push((at, index));
            if *key != canonical {
                problems.push(problem(format!("write it as \"{canonical}\"")));
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn watch_order_problems_name_unknown_miswritten_and_repeated_keys() {
        let mut library = crate::model::fixture::shipped_catalog();
        let f = &mut library.franchises[0];
        f.watch_order = [
            "bosch S01E01",
            "bosch S09E02",
            "balard S01E02",
            "bosch s01e02",
            "bosch S01E01",
            "nonsense",
            "ballard SxE1",
        ]
        .map(String::from)
        .to_vec();
        let found: Vec<(usize, String)> = f
            .watch_order_problems()
            .into_iter()
            .map(|p| (p.index, p.message))
            .collect();
        assert_eq!(
            found,
            vec![
                (1, "bosch has no S09E02".to_string()),
                (2, "no show \"balard\"; did you mean ballard?".into()),
                (3, "write it as \"bosch S01E02\"".into()),
                (
                    4,
                    "bosch S01E01 is already in the order (key 1); the view shows it once".into()
                ),
                (
                    5,
                    "not a key like \"bosch S01E01\" (show id, space, episode code)".into()
                ),
                (6, "\"SxE1\" is not an episode code like S01E03".into()),
            ]
        );
    }
}
