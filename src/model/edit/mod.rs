//! Every change the app makes to the library, as a value. `Edit::apply` makes the change and
//! returns the edit that takes it back, so undo is a stack of inverses. Edits name what they
//! touch by stable ids (`Target`, season and episode numbers), never by position, so a session's edits can
//! be applied again to a library that was reloaded meanwhile.

use jiff::civil::Date;

use super::put::{batch, put_franchise, put_show, set_removed};
use super::{Franchise, Library, Order, Show, Target, toggle_all};

mod lookup;
mod pending;

use lookup::{episode_mut, episodes_mut, histories, notes_mut, season_mut, show_mut};
pub use pending::{NOTES_MARK, Pending};

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
    /// The user's rating of a show, season or episode, 1–5; `None` clears it.
    SetRating {
        target: Target,
        rating: Option<u8>,
    },
    /// `None`: as the config says (the file does not say).
    SetSpoilerShield(Option<bool>),
    SetOrder(Order),
    SetCatalogNotified(Option<u32>),
    /// Puts a franchise: `Some` replaces the franchise with this id (its position kept) or
    /// inserts it at `at` (clamped; the end when `None`); `None` removes it. The inverse puts
    /// back exactly what was there. Tombstones (`Library::removed`) follow: removing a
    /// shipped item records one, putting it back clears it.
    PutFranchise {
        id: String,
        at: Option<usize>,
        franchise: Option<Box<Franchise>>,
    },
    /// Puts a show inside franchise `franchise` (by id), same rules. Every fact edit of a
    /// show, its seasons and episodes, and adding or removing seasons and episodes, is one
    /// of these: the new `Show` is built from the old one. Refused (`EditError::Invalid`)
    /// when the result would not load (a season or episode number twice, an origin that
    /// names no show, an id another franchise already holds, an empty title).
    PutShow {
        franchise: String,
        id: String,
        at: Option<usize>,
        show: Option<Box<Show>>,
    },
    /// Several edits as one undo step, applied in order, all or nothing (on an error the ones
    /// already applied are undone). Inverse: the inverses in reverse order.
    Batch(Vec<Edit>),
    /// Tombstones set (`true`) or cleared, each by key. Found in the inverse of a put whose
    /// plain put-back would not restore the tombstones exactly.
    SetRemoved(Vec<(String, bool)>),
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
    /// The change would leave a library that does not load; says why, in words.
    #[error("{0}")]
    Invalid(String),
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
            Edit::SetSpoilerShield(_)
            | Edit::SetOrder(_)
            | Edit::SetCatalogNotified(_)
            | Edit::PutFranchise { .. }
            | Edit::PutShow { .. }
            | Edit::Batch(_)
            | Edit::SetRemoved(_) => None,
        }
    }

    /// The item the edit is about, owned: every edit but a setting has one (a batch: its
    /// first edit's). What the app selects after an undo, and whether it goes on the undo
    /// stack (settings are toggled again instead).
    pub fn subject(&self) -> Option<Target> {
        match self {
            Edit::PutFranchise { id, .. } => Some(Target::Franchise(id.clone())),
            Edit::PutShow { id, franchise, .. } => Some(if id.is_empty() {
                Target::Franchise(franchise.clone())
            } else {
                Target::Show(id.clone())
            }),
            Edit::Batch(edits) => edits.iter().find_map(Edit::subject),
            Edit::SetRemoved(_) => None,
            other => other.target().cloned(),
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
            Edit::PutFranchise { .. } | Edit::PutShow { .. } | Edit::SetRemoved(_) => "the facts",
            Edit::Batch(edits) => edits.first().map_or("nothing", Edit::what),
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
                    Target::Show(show) => show_mut(library, show).map(|s| &mut s.rating),
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
            Edit::PutFranchise { id, at, franchise } => {
                put_franchise(library, id, *at, franchise.as_deref())
            }
            Edit::PutShow {
                franchise,
                id,
                at,
                show,
            } => put_show(library, franchise, id, *at, show.as_deref()),
            Edit::Batch(edits) => batch(library, edits),
            Edit::SetRemoved(states) => Ok(set_removed(library, states)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::shipped_catalog;
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
            Edit::SetSpoilerShield(Some(true)),
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

    #[test]
    fn pending_changes_are_made_again_on_a_reloaded_library() {
        let mut ours = shipped_catalog();
        let mut pending = Pending::default();
        let edits = [
            Edit::ToggleWatched {
                target: Target::Episode("ballard".into(), 1, 2),
                date: date(2026, 1, 1),
            },
            Edit::SetNotes {
                target: Target::Episode("ballard".into(), 1, 3),
                text: "first".into(),
            },
            Edit::SetNotes {
                target: Target::Episode("ballard".into(), 1, 3),
                text: "second".into(),
            },
            Edit::SetRating {
                target: Target::Season("bosch".into(), 1),
                rating: Some(5),
            },
        ];
        for edit in &edits {
            let inverse = edit.apply(&mut ours).expect("applies");
            pending.record(&inverse, &ours);
        }
        assert_eq!(pending.len(), 3, "one change per value: {pending:?}");
        // The file, changed elsewhere: the same note and the same rating, another mark.
        let mut theirs = shipped_catalog();
        for edit in [
            Edit::ToggleWatched {
                target: Target::Episode("ballard".into(), 1, 1),
                date: date(2025, 5, 5),
            },
            Edit::SetNotes {
                target: Target::Episode("ballard".into(), 1, 3),
                text: "theirs".into(),
            },
            Edit::SetRating {
                target: Target::Season("bosch".into(), 1),
                rating: Some(2),
            },
        ] {
            edit.apply(&mut theirs).expect("applies");
        }
        let report = pending.replay(&mut theirs);
        assert_eq!(watched(&theirs, "ballard", 1, 1), vec![date(2025, 5, 5)]);
        assert_eq!(watched(&theirs, "ballard", 1, 2), vec![date(2026, 1, 1)]);
        let (f, i) = theirs.find_show("ballard").expect("show");
        let notes = &theirs.franchises[f].shows[i]
            .season(1)
            .and_then(|s| s.episode(3))
            .expect("episode")
            .notes;
        assert_eq!(notes, &format!("theirs\n\n{NOTES_MARK}\nsecond"));
        let (f, i) = theirs.find_show("bosch").expect("show");
        assert_eq!(
            theirs.franchises[f].shows[i].season(1).expect("s1").rating,
            Some(2)
        );
        assert_eq!(report.len(), 2, "{report:?}");
        assert!(report[1].contains("yours was 5/5"), "{report:?}");
        // Made again once: a second replay on the result changes nothing.
        let again = theirs.clone();
        assert!(pending.replay(&mut theirs).is_empty());
        assert_eq!(theirs, again);
    }
}
