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
