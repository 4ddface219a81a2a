//! Finding what an edit changes, by id: a show, season, episode or notes, and the watch
//! histories an edit's inverse puts back.

use crate::model::{Episode, Library, Season, Show, Target};

use super::{Edit, EditError};

pub(super) fn show_mut<'a>(library: &'a mut Library, id: &str) -> Option<&'a mut Show> {
    // Found through `Deref`, so only the show changed is copied away from a pending save.
    library
        .franchises
        .iter_mut()
        .flat_map(|f| f.shows.iter_mut())
        .find(|s| s.id == id)
        .map(|s| &mut **s)
}

pub(super) fn season_mut<'a>(
    library: &'a mut Library,
    show: &str,
    n: u32,
) -> Option<&'a mut Season> {
    show_mut(library, show)?.season_mut(n)
}

pub(super) fn episode_mut<'a>(
    library: &'a mut Library,
    show: &str,
    n: u32,
    e: u32,
) -> Option<&'a mut Episode> {
    season_mut(library, show, n)?.episode_mut(e)
}

pub(super) fn notes_mut<'a>(
    library: &'a mut Library,
    target: &Target,
) -> Result<&'a mut String, EditError> {
    let slot = match target {
        Target::Franchise(id) => library
            .franchises
            .iter_mut()
            .find(|f| f.id == *id)
            .map(|f| &mut f.notes),
        Target::Show(id) => show_mut(library, id).map(|s| &mut s.notes),
        Target::Season(id, n) => season_mut(library, id, *n).map(|s| &mut s.notes),
        Target::Episode(id, n, e) => episode_mut(library, id, *n, *e).map(|e| &mut e.notes),
    };
    slot.ok_or_else(|| EditError::NotFound(target.clone()))
}

/// An episode with its (season, episode) numbers.
type Numbered<'a> = ((u32, u32), &'a mut Episode);

/// The episodes of a show, season or episode.
pub(super) fn episodes_mut<'a>(
    library: &'a mut Library,
    target: &Target,
) -> Result<Vec<Numbered<'a>>, EditError> {
    let missing = || EditError::NotFound(target.clone());
    let number = |n: u32| move |e: &'a mut Episode| ((n, e.number), e);
    Ok(match target {
        Target::Franchise(_) => return Err(EditError::NotApplicable(target.clone())),
        Target::Show(id) => show_mut(library, id)
            .ok_or_else(missing)?
            .seasons
            .iter_mut()
            .flat_map(|s| s.episodes.iter_mut().map(number(s.number)))
            .collect(),
        Target::Season(id, n) => season_mut(library, id, *n)
            .ok_or_else(missing)?
            .episodes
            .iter_mut()
            .map(number(*n))
            .collect(),
        Target::Episode(id, n, e) => {
            vec![number(*n)(
                episode_mut(library, id, *n, *e).ok_or_else(missing)?,
            )]
        }
    })
}

/// The edit that puts back the current histories of `target`'s episodes.
pub(super) fn histories(library: &mut Library, target: &Target) -> Result<Edit, EditError> {
    let histories = episodes_mut(library, target)?
        .into_iter()
        .map(|(key, e)| (key, e.watched.clone()))
        .collect();
    Ok(Edit::SetHistories {
        target: target.clone(),
        histories,
    })
}
