//! Every change the app makes to the library, as a value. `Edit::apply` makes the change and
//! returns the edit that takes it back, so undo is a stack of inverses. Edits name what they
//! touch by stable ids (`Target`, season and episode numbers), never by position, so a session's edits can
//! be applied again to a library that was reloaded meanwhile.

use jiff::civil::Date;

use super::{Episode, Library, Order, Season, Show, Target, toggle_all};

#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// An episode: watched on `date`, or, when watched, unwatched (its history cleared). A
    /// season or show: every unwatched episode watched on `date`, or, when all are watched,
    /// all unwatched. Episodes already watched keep their history when marking all.
    ToggleWatched {
        target: Target,
        date: Date,
    },
    /// Another viewing of a watched episode on `date`.
    Rewatch {
        target: Target,
        date: Date,
    },
    /// The exact watch histories of the episodes of `target` (what undo puts back).
    SetHistories {
        target: Target,
        histories: Vec<((u32, u32), Vec<Date>)>,
    },
    SetNotes {
        target: Target,
        text: String,
    },
    /// The user's rating of an episode or season, 1–5; `None` clears it.
    SetRating {
        target: Target,
        rating: Option<u8>,
    },
    SetSpoilerShield(bool),
    SetOrder(Order),
    SetCatalogNotified(Option<u32>),
}

/// Why an edit could not be applied; the library is then unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("{0:?} is not in the library")]
    NotFound(Target),
    #[error("{0:?} is not watched yet")]
    NotWatched(Target),
    #[error("{0:?} cannot take this change")]
    NotApplicable(Target),
}

impl Edit {
    /// The item the edit touches; `None` for a setting.
    pub fn target(&self) -> Option<&Target> {
        match self {
            Edit::ToggleWatched { target, .. }
            | Edit::Rewatch { target, .. }
            | Edit::SetHistories { target, .. }
            | Edit::SetNotes { target, .. }
            | Edit::SetRating { target, .. } => Some(target),
            Edit::SetSpoilerShield(_) | Edit::SetOrder(_) | Edit::SetCatalogNotified(_) => None,
        }
    }

    /// What the edit changes, in words: "watched marks", "notes", ...
    pub fn what(&self) -> &'static str {
        match self {
            Edit::ToggleWatched { .. } | Edit::Rewatch { .. } | Edit::SetHistories { .. } => {
                "watched marks"
            }
            Edit::SetNotes { .. } => "notes",
            Edit::SetRating { .. } => "rating",
            Edit::SetSpoilerShield(_) => "spoiler shield",
            Edit::SetOrder(_) => "watch order",
            Edit::SetCatalogNotified(_) => "catalog notice",
        }
    }

    /// Makes the change; returns the edit that undoes it. On error nothing changed.
    pub fn apply(&self, library: &mut Library) -> Result<Edit, EditError> {
        match self {
            Edit::ToggleWatched { target, date } => {
                let before = histories(library, target)?;
                let mut episodes = episodes_mut(library, target)?;
                if let [(_, episode)] = episodes.as_mut_slice()
                    && matches!(target, Target::Episode(..))
                {
                    if episode.is_watched() {
                        episode.watched.clear();
                    } else {
                        episode.watched.push(*date);
                    }
                } else {
                    toggle_all(episodes.into_iter().map(|(_, e)| e), *date);
                }
                Ok(before)
            }
            Edit::Rewatch { target, date } => {
                let before = histories(library, target)?;
                let mut episodes = episodes_mut(library, target)?;
                match episodes.as_mut_slice() {
                    [(_, e)] if matches!(target, Target::Episode(..)) && e.is_watched() => {
                        e.watched.push(*date);
                        Ok(before)
                    }
                    [_] => Err(EditError::NotWatched(target.clone())),
                    _ => Err(EditError::NotApplicable(target.clone())),
                }
            }
            Edit::SetHistories {
                target,
                histories: wanted,
            } => {
                let before = histories(library, target)?;
                let mut episodes = episodes_mut(library, target)?;
                // All or nothing: every episode named must still be there.
                if let Some(((s, e), _)) = wanted
                    .iter()
                    .find(|(key, _)| !episodes.iter().any(|(k, _)| k == key))
                {
                    let show = show_id(target).to_string();
                    return Err(EditError::NotFound(Target::Episode(show, *s, *e)));
                }
                for (key, dates) in wanted {
                    if let Some((_, episode)) = episodes.iter_mut().find(|(k, _)| k == key) {
                        episode.watched = dates.clone();
                    }
                }
                Ok(before)
            }
            Edit::SetNotes { target, text } => {
                let slot = notes_mut(library, target)?;
                let old = std::mem::replace(slot, text.clone());
                Ok(Edit::SetNotes {
                    target: target.clone(),
                    text: old,
                })
            }
            Edit::SetRating { target, rating } => {
                let slot = match target {
                    Target::Season(show, n) => season_mut(library, show, *n).map(|s| &mut s.rating),
                    Target::Episode(show, n, e) => {
                        episode_mut(library, show, *n, *e).map(|e| &mut e.rating)
                    }
                    _ => return Err(EditError::NotApplicable(target.clone())),
                };
                let slot = slot.ok_or_else(|| EditError::NotFound(target.clone()))?;
                let old = std::mem::replace(slot, *rating);
                Ok(Edit::SetRating {
                    target: target.clone(),
                    rating: old,
                })
            }
            Edit::SetSpoilerShield(on) => Ok(Edit::SetSpoilerShield(std::mem::replace(
                &mut library.settings.spoiler_shield,
                *on,
            ))),
            Edit::SetOrder(order) => Ok(Edit::SetOrder(std::mem::replace(
                &mut library.settings.order,
                *order,
            ))),
            Edit::SetCatalogNotified(v) => Ok(Edit::SetCatalogNotified(std::mem::replace(
                &mut library.settings.catalog_notified,
                *v,
            ))),
        }
    }
}

fn show_id(target: &Target) -> &str {
    match target {
        Target::Franchise(id)
        | Target::Show(id)
        | Target::Season(id, _)
        | Target::Episode(id, ..) => id,
    }
}

fn show_mut<'a>(library: &'a mut Library, id: &str) -> Option<&'a mut Show> {
    // Found through `Deref`, so only the show changed is copied away from a pending save.
    library
        .franchises
        .iter_mut()
        .flat_map(|f| f.shows.iter_mut())
        .find(|s| s.id == id)
        .map(|s| &mut **s)
}

fn season_mut<'a>(library: &'a mut Library, show: &str, n: u32) -> Option<&'a mut Season> {
    show_mut(library, show)?.season_mut(n)
}

fn episode_mut<'a>(
    library: &'a mut Library,
    show: &str,
    n: u32,
    e: u32,
) -> Option<&'a mut Episode> {
    season_mut(library, show, n)?.episode_mut(e)
}

fn notes_mut<'a>(library: &'a mut Library, target: &Target) -> Result<&'a mut String, EditError> {
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
fn episodes_mut<'a>(
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
fn histories(library: &mut Library, target: &Target) -> Result<Edit, EditError> {
    let histories = episodes_mut(library, target)?
        .into_iter()
        .map(|(key, e)| (key, e.watched.clone()))
        .collect();
    Ok(Edit::SetHistories {
        target: target.clone(),
        histories,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::shipped_catalog;
    use jiff::civil::date;

    fn watched(library: &Library, show: &str, s: u32, e: u32) -> Vec<Date> {
        let (f, i) = library.find_show(show).expect("show");
        library.franchises[f].shows[i]
            .season(s)
            .and_then(|s| s.episode(e))
            .expect("episode")
            .watched
            .clone()
    }

    #[test]
    fn every_edit_returns_its_inverse() {
        let original = shipped_catalog();
        let day = date(2026, 11, 26);
        let edits = [
            Edit::ToggleWatched {
                target: Target::Episode("ballard".into(), 1, 2),
                date: day,
            },
            Edit::ToggleWatched {
                target: Target::Season("bosch".into(), 7),
                date: day,
            },
            Edit::ToggleWatched {
                target: Target::Show("bosch-legacy".into()),
                date: day,
            },
            Edit::SetNotes {
                target: Target::Franchise("bosch-universe".into()),
                text: "hi".into(),
            },
            Edit::SetRating {
                target: Target::Season("bosch".into(), 1),
                rating: Some(4),
            },
            Edit::SetSpoilerShield(true),
            Edit::SetOrder(Order::Curated),
            Edit::SetCatalogNotified(Some(9)),
        ];
        for edit in edits {
            let mut library = original.clone();
            let inverse = edit.apply(&mut library).expect("applies");
            assert_ne!(library, original, "{edit:?} changed nothing");
            inverse.apply(&mut library).expect("the inverse applies");
            assert_eq!(library, original, "{edit:?} was not undone");
        }
    }

    #[test]
    fn edits_are_addressed_by_ids_and_apply_again_after_a_reorder() {
        let mut library = shipped_catalog();
        let edit = Edit::ToggleWatched {
            target: Target::Episode("ballard".into(), 1, 2),
            date: date(2026, 1, 1),
        };
        // Shows reordered (as by a reload of an edited file): the edit still finds its episode.
        library.franchises[0].shows.reverse();
        edit.apply(&mut library).expect("applies");
        assert_eq!(watched(&library, "ballard", 1, 2), vec![date(2026, 1, 1)]);
        // Gone: an error, and nothing changes.
        let gone = Edit::SetNotes {
            target: Target::Episode("ballard".into(), 9, 9),
            text: "x".into(),
        };
        let before = library.clone();
        assert!(gone.apply(&mut library).is_err());
        assert_eq!(library, before);
    }

    #[test]
    fn rewatch_needs_a_watched_episode() {
        let mut library = shipped_catalog();
        let target = Target::Episode("ballard".into(), 1, 2);
        let rewatch = Edit::Rewatch {
            target: target.clone(),
            date: date(2026, 2, 2),
        };
        assert_eq!(
            rewatch.apply(&mut library),
            Err(EditError::NotWatched(target))
        );
    }
}
