//! The places a change lands (episode, rating, notes) and making a change there.

use super::{Change, EpisodeLoc, ImportPlan, Loc};
use crate::model::{Episode, Library};

pub(crate) fn episode(library: &Library, at: EpisodeLoc) -> Option<&Episode> {
    let season = library
        .franchises
        .get(at.show.franchise)?
        .shows
        .get(at.show.show)?
        .seasons
        .get(at.season)?;
    if at.special {
        season.specials.get(at.episode)
    } else {
        season.episodes.get(at.episode)
    }
}

fn episode_mut(library: &mut Library, at: EpisodeLoc) -> Option<&mut Episode> {
    let show = library
        .franchises
        .get_mut(at.show.franchise)?
        .shows
        .get_mut(at.show.show)?;
    let season = show.seasons.get_mut(at.season)?;
    if at.special {
        season.specials.get_mut(at.episode)
    } else {
        season.episodes.get_mut(at.episode)
    }
}

/// The rating, its 1–10 original and the notes at `at`.
pub(super) fn rated(library: &Library, at: Loc) -> Option<(Option<u8>, Option<u8>, &str)> {
    match at {
        Loc::Show(s) => {
            let show = library.franchises.get(s.franchise)?.shows.get(s.show)?;
            Some((show.rating, show.rating_of_10, show.notes.as_str()))
        }
        Loc::Season(s, si) => {
            let season = library
                .franchises
                .get(s.franchise)?
                .shows
                .get(s.show)?
                .seasons
                .get(si)?;
            Some((season.rating, season.rating_of_10, season.notes.as_str()))
        }
        Loc::Episode(e) => {
            let ep = episode(library, e)?;
            Some((ep.rating, ep.rating_of_10, ep.notes.as_str()))
        }
    }
}

/// The rating, its 1–10 original and the notes, to change.
type RatedMut<'a> = (
    Option<&'a mut Option<u8>>,
    Option<&'a mut Option<u8>>,
    &'a mut String,
);

/// Mutable rating, 1–10 original and notes at `at`.
fn rated_mut(library: &mut Library, at: Loc) -> Option<RatedMut<'_>> {
    match at {
        Loc::Show(s) => {
            let show = library
                .franchises
                .get_mut(s.franchise)?
                .shows
                .get_mut(s.show)?;
            let show: &mut crate::model::Show = show; // one borrow, split below
            Some((
                Some(&mut show.rating),
                Some(&mut show.rating_of_10),
                &mut show.notes,
            ))
        }
        Loc::Season(s, si) => {
            let show = library
                .franchises
                .get_mut(s.franchise)?
                .shows
                .get_mut(s.show)?;
            let season = show.seasons.get_mut(si)?;
            Some((
                Some(&mut season.rating),
                Some(&mut season.rating_of_10),
                &mut season.notes,
            ))
        }
        Loc::Episode(e) => {
            let ep = episode_mut(library, e)?;
            Some((
                Some(&mut ep.rating),
                Some(&mut ep.rating_of_10),
                &mut ep.notes,
            ))
        }
    }
}

/// Makes one change; false when it no longer fits the library (changed since the plan) or is
/// already there.
pub(super) fn apply_change(library: &mut Library, change: &Change) -> bool {
    match change {
        Change::AddShow(franchise) => {
            library.franchises.push(franchise.clone());
            true
        }
        Change::Watch { at, date } => match episode_mut(library, *at) {
            Some(e) if !e.watched.contains(date) => {
                e.watched.push(*date);
                e.watched.sort();
                true
            }
            _ => false,
        },
        Change::Rate {
            at,
            rating,
            rating_of_10,
        } => match rated_mut(library, *at) {
            Some((Some(r), r10, _)) if r.is_none_or(|v| v == *rating) => {
                *r = Some(*rating);
                if let Some(r10) = r10
                    && r10.is_none()
                {
                    *r10 = *rating_of_10;
                }
                true
            }
            _ => false,
        },
        Change::Note { at, text } => match rated_mut(library, *at) {
            Some((_, _, notes)) if !notes.contains(text.as_str()) => {
                if !notes.is_empty() {
                    notes.push_str("\n\n");
                }
                notes.push_str(text);
                true
            }
            _ => false,
        },
    }
}

/// Makes the plan's changes in `library` (the library the plan was made for). Returns how
/// many changed something.
pub fn apply(library: &mut Library, plan: &ImportPlan) -> usize {
    plan.changes
        .iter()
        .filter(|c| apply_change(library, c))
        .count()
}
