//! The spoiler shield: which episodes hide their titles, notes and crossovers.

use super::{Library, NodeId};

/// Which episodes the spoiler shield hides: those past the furthest watched one of each show.
/// Recomputed after each change, so drawing only compares indices.
#[derive(Debug, Default, Clone)]
pub struct Shield {
    pub on: bool,
    /// Per franchise, per show: the (season, episode) index of the furthest watched episode.
    furthest: Vec<Vec<Option<(usize, usize)>>>,
}

impl Shield {
    /// `default_on` (the config's `spoiler_shield`) applies when the library does not say.
    pub fn new(library: &Library, default_on: bool) -> Shield {
        if !library.settings.shield_on(default_on) {
            // Off, it hides nothing: skip the walk over every episode.
            return Shield::default();
        }
        let furthest = library
            .franchises
            .iter()
            .map(|f| {
                f.shows
                    .iter()
                    .map(|show| {
                        let mut last = None;
                        for (se, season) in show.seasons.iter().enumerate() {
                            for (e, episode) in season.episodes.iter().enumerate() {
                                if episode.is_watched() {
                                    last = Some((se, e));
                                }
                            }
                        }
                        last
                    })
                    .collect()
            })
            .collect();
        Shield { on: true, furthest }
    }

    /// True when `id` is an episode whose title, notes and crossovers are to stay hidden.
    pub fn hides(&self, id: NodeId) -> bool {
        let NodeId::Episode(f, s, se, e) = id else {
            return false;
        };
        self.on
            && match self.furthest.get(f).and_then(|shows| shows.get(s)) {
                Some(Some(furthest)) => (se, e) > *furthest,
                _ => true,
            }
    }
}
