//! Every change the app makes to the library, as a value. `Edit::apply` makes the change and
//! returns the edit that takes it back, so undo is a stack of inverses. Edits name what they
//! touch by stable ids (`Target`, season and episode numbers), never by position, so a session's edits can
//! be applied again to a library that was reloaded meanwhile.

use jiff::civil::Date;

use super::put::{batch, put_franchise, put_show, set_removed};
use super::{Episode, Franchise, Library, Order, Season, Shared, Show, Target, toggle_all};

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

/// One value this run changed and the file does not hold yet.
#[derive(Debug, Clone, PartialEq)]
enum Field {
    Marks(String, u32, u32),
    Notes(Target),
    Rating(Target),
    Shield,
    Order,
    Notified,
    /// A whole show, by id (ids are unique across the library).
    Show(String),
    /// A whole franchise, by id.
    Franchise(String),
    /// One tombstone, by key.
    Removed(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Dates(Vec<Date>),
    Text(String),
    Rating(Option<u8>),
    Shield(Option<bool>),
    Bool(bool),
    Order(Order),
    Version(Option<u32>),
    /// The show and the franchise it is in; `None` when there is no such show.
    Show(Option<Placed<Shared<Show>>>),
    Franchise(Option<Placed<Franchise>>),
}

/// A value and where it sat: the position is only where to put it back, never part of
/// what changed (a show moved down by an outside insert is the same show).
#[derive(Debug, Clone)]
struct Placed<T> {
    within: String,
    at: usize,
    value: T,
}

impl<T: PartialEq> PartialEq for Placed<T> {
    fn eq(&self, other: &Self) -> bool {
        self.within == other.within && self.value == other.value
    }
}

/// This run's changes that are not on disk yet, each as the value it had when read and the
/// value it was given, so they can be made again on a library reloaded after an outside edit
/// (a rebase). Recorded per value, first "before" kept: a note typed over three times is one
/// change from what the file held to what the user left.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pending {
    changes: Vec<(Field, Value, Value)>,
}

/// The line put between the outside text and ours when a note changed in both places.
pub const NOTES_MARK: &str = "[fantrack: written here while the file changed elsewhere]";

impl Pending {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// Everything is on disk.
    pub fn clear(&mut self) {
        self.changes.clear();
    }

    /// Takes in an edit just applied to `library`: `inverse` is what its `apply` returned.
    pub fn record(&mut self, inverse: &Edit, library: &Library) {
        let fields: Vec<(Field, Value)> = match inverse {
            Edit::Batch(inverses) => {
                // In the order they were made: the first "before" of a value is kept.
                for inverse in inverses.iter().rev() {
                    self.record(inverse, library);
                }
                return;
            }
            Edit::PutShow {
                franchise,
                id,
                at,
                show,
            } => {
                let before = show.as_ref().map(|s| Placed {
                    within: franchise.clone(),
                    at: at.unwrap_or(usize::MAX),
                    value: Shared::new((**s).clone()),
                });
                vec![(Field::Show(id.clone()), Value::Show(before))]
            }
            Edit::PutFranchise { id, at, franchise } => {
                let before = franchise.as_ref().map(|f| Placed {
                    within: String::new(),
                    at: at.unwrap_or(usize::MAX),
                    value: (**f).clone(),
                });
                vec![(Field::Franchise(id.clone()), Value::Franchise(before))]
            }
            Edit::SetRemoved(states) => states
                .iter()
                .map(|(k, on)| (Field::Removed(k.clone()), Value::Bool(*on)))
                .collect(),
            Edit::SetHistories { target, histories } => histories
                .iter()
                .map(|((s, e), dates)| {
                    let show = show_id(target).to_string();
                    (Field::Marks(show, *s, *e), Value::Dates(dates.clone()))
                })
                .collect(),
            Edit::SetNotes { target, text } => {
                vec![(Field::Notes(target.clone()), Value::Text(text.clone()))]
            }
            Edit::SetRating { target, rating } => {
                vec![(Field::Rating(target.clone()), Value::Rating(*rating))]
            }
            Edit::SetSpoilerShield(on) => vec![(Field::Shield, Value::Shield(*on))],
            Edit::SetOrder(order) => vec![(Field::Order, Value::Order(*order))],
            Edit::SetCatalogNotified(v) => vec![(Field::Notified, Value::Version(*v))],
            // Never an inverse.
            Edit::ToggleWatched { .. } | Edit::Rewatch { .. } => Vec::new(),
        };
        for (field, before) in fields {
            let Some(after) = value(library, &field) else {
                continue;
            };
            match self.changes.iter().position(|(f, ..)| *f == field) {
                Some(i) => {
                    let back = self
                        .changes
                        .get(i)
                        .is_some_and(|(_, before, _)| *before == after);
                    if back {
                        // Changed back to what the file holds: nothing to make again.
                        self.changes.remove(i);
                    } else if let Some(change) = self.changes.get_mut(i) {
                        change.2 = after;
                    }
                }
                None if before != after => self.changes.push((field, before, after)),
                None => {}
            }
        }
    }

    /// Makes this run's changes again on `library` (the file as it is now): watch dates are
    /// merged as sets; a note changed in both places keeps the file's text with ours after
    /// it, marked; a rating or setting changed in both places keeps the file's. Returns what
    /// the user must be told (one phrase each). Afterwards the pending changes are relative
    /// to `library`.
    pub fn replay(&mut self, library: &mut Library) -> Vec<String> {
        let mut report = Vec::new();
        let mut kept = Vec::new();
        for (field, before, ours) in std::mem::take(&mut self.changes) {
            let name = field_name(library, &field);
            let Some(now) = value(library, &field) else {
                report.push(format!("{name} is no longer in the file"));
                continue;
            };
            if now == ours {
                continue;
            }
            let wanted = if now == before {
                ours
            } else if let Some(merged) = merge_whole(&before, &ours, &now) {
                merged
            } else {
                match (&before, &ours, &now) {
                    (Value::Dates(b), Value::Dates(o), Value::Dates(n)) => {
                        Value::Dates(merge_dates(b, o, n))
                    }
                    (_, Value::Text(o), Value::Text(n)) => {
                        report.push(format!("{name} changed in both places: both kept"));
                        Value::Text(if n.trim().is_empty() {
                            o.clone()
                        } else {
                            format!("{n}\n\n{NOTES_MARK}\n{o}")
                        })
                    }
                    _ => {
                        report.push(format!(
                            "{name} changed in both places: kept the file's, yours was {}",
                            shown(&ours)
                        ));
                        continue;
                    }
                }
            };
            if wanted == now {
                continue;
            }
            if set(library, &field, &wanted).is_ok() {
                kept.push((field, now, wanted));
            } else {
                report.push(format!("{name} could not be changed again"));
            }
        }
        self.changes = kept;
        report
    }
}

/// Our watch dates on top of the file's: what we added is added (once: dates are a set,
/// a rewatch is a second copy), what we removed is removed; the file's own are kept.
fn merge_dates(before: &[Date], ours: &[Date], now: &[Date]) -> Vec<Date> {
    let count = |dates: &[Date], d: &Date| dates.iter().filter(|x| *x == d).count();
    let mut dates: Vec<Date> = before.iter().chain(ours).copied().collect();
    dates.sort();
    dates.dedup();
    let mut merged = now.to_vec();
    for d in &dates {
        let (b, o, n) = (count(before, d), count(ours, d), count(now, d));
        if o < b {
            // We removed these: remove them from the file's too, as far as it still has them.
            for _ in 0..(b - o).min(n) {
                if let Some(i) = merged.iter().position(|x| x == d) {
                    merged.remove(i);
                }
            }
        } else {
            // We added these; the file may have added the same already.
            let theirs = n.saturating_sub(b);
            for _ in 0..(o - b).saturating_sub(theirs) {
                merged.push(*d);
            }
        }
    }
    merged.sort();
    merged
}

/// A whole show or franchise changed here and in the file: merged when the two changes
/// touched different parts (ours the facts, theirs the seasons and marks; or ours the
/// franchise's own fields, theirs its shows). `None`: a conflict, or not a whole value.
fn merge_whole(before: &Value, ours: &Value, now: &Value) -> Option<Value> {
    match (before, ours, now) {
        (Value::Show(Some(b)), Value::Show(Some(o)), Value::Show(Some(n))) => {
            let facts = |s: &Show| Show {
                seasons: Vec::new(),
                ..s.clone()
            };
            let (b, o, n) = (&*b.value, &o.value, &n.value);
            let ours_facts_only = b.seasons == o.seasons;
            let theirs_seasons_only = facts(b) == facts(n);
            (ours_facts_only && theirs_seasons_only && b.id == o.id).then(|| {
                let mut merged = facts(o);
                merged.seasons = n.seasons.clone();
                Value::Show(Some(Placed {
                    within: match now {
                        Value::Show(Some(p)) => p.within.clone(),
                        _ => String::new(),
                    },
                    at: match now {
                        Value::Show(Some(p)) => p.at,
                        _ => usize::MAX,
                    },
                    value: Shared::new(merged),
                }))
            })
        }
        (Value::Franchise(Some(b)), Value::Franchise(Some(o)), Value::Franchise(Some(n))) => {
            let head = |f: &Franchise| Franchise {
                shows: Vec::new(),
                ..f.clone()
            };
            let (bv, ov, nv) = (&b.value, &o.value, &n.value);
            (bv.shows == ov.shows && head(bv) == head(nv)).then(|| {
                let mut merged = head(ov);
                merged.shows = nv.shows.clone();
                Value::Franchise(Some(Placed {
                    within: String::new(),
                    at: n.at,
                    value: merged,
                }))
            })
        }
        _ => None,
    }
}

fn shown(value: &Value) -> String {
    match value {
        Value::Show(Some(_)) | Value::Franchise(Some(_)) => "your version".into(),
        Value::Show(None) | Value::Franchise(None) => "removed".into(),
        Value::Rating(Some(n)) => format!("{n}/5"),
        Value::Rating(None) => "no rating".into(),
        Value::Shield(Some(b)) => if *b { "on" } else { "off" }.into(),
        Value::Shield(None) => "as the config says".into(),
        // Only a tombstone is a plain flag.
        Value::Bool(b) => if *b { "deleted" } else { "kept" }.into(),
        Value::Order(o) => o.to_string(),
        Value::Version(v) => format!("{v:?}"),
        Value::Dates(d) => format!("{} dates", d.len()),
        Value::Text(_) => "a text".into(),
    }
}

fn field_name(library: &Library, field: &Field) -> String {
    let label = |t: &Target| {
        library
            .locate(t)
            .map(|id| library.label(id))
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| format!("{t:?}"))
    };
    match field {
        Field::Marks(show, s, e) => {
            format!("marks of {}", label(&Target::Episode(show.clone(), *s, *e)))
        }
        Field::Notes(t) => format!("notes of {}", label(t)),
        Field::Rating(t) => format!("rating of {}", label(t)),
        Field::Shield => "the spoiler shield".into(),
        Field::Order => "the watch order".into(),
        Field::Notified => "the catalog notice".into(),
        Field::Show(id) => {
            let name = label(&Target::Show(id.clone()));
            if name.starts_with("Show(") {
                format!("show {id}")
            } else {
                name
            }
        }
        Field::Franchise(id) => {
            let name = label(&Target::Franchise(id.clone()));
            if name.starts_with("Franchise(") {
                format!("franchise {id}")
            } else {
                name
            }
        }
        Field::Removed(key) => format!("the deletion of {key}"),
    }
}

/// The value of `field` in `library`; None when its item is gone.
fn value(library: &Library, field: &Field) -> Option<Value> {
    use super::NodeRef;
    let node = |t: &Target| library.locate(t).and_then(|id| library.node(id));
    Some(match field {
        Field::Marks(show, s, e) => match node(&Target::Episode(show.clone(), *s, *e))? {
            NodeRef::Episode(_, _, episode) => Value::Dates(episode.watched.clone()),
            _ => return None,
        },
        Field::Notes(t) => Value::Text(node(t)?.notes().to_string()),
        Field::Rating(t) => match node(t)? {
            NodeRef::Episode(_, _, e) => Value::Rating(e.rating),
            NodeRef::Season(_, s) => Value::Rating(s.rating),
            NodeRef::Show(_, s) => Value::Rating(s.rating),
            _ => return None,
        },
        Field::Shield => Value::Shield(library.settings.spoiler_shield),
        Field::Order => Value::Order(library.settings.order),
        Field::Notified => Value::Version(library.settings.catalog_notified),
        Field::Show(id) => Value::Show(library.find_show(id).and_then(|(f, s)| {
            let franchise = library.franchises.get(f)?;
            Some(Placed {
                within: franchise.id.clone(),
                at: s,
                value: franchise.shows.get(s)?.clone(),
            })
        })),
        Field::Franchise(id) => Value::Franchise(
            library
                .franchises
                .iter()
                .enumerate()
                .find(|(_, f)| f.id == *id)
                .map(|(at, f)| Placed {
                    within: String::new(),
                    at,
                    value: f.clone(),
                }),
        ),
        Field::Removed(key) => Value::Bool(library.removed.contains(key)),
    })
}

fn set(library: &mut Library, field: &Field, wanted: &Value) -> Result<Edit, EditError> {
    let edit = match (field, wanted) {
        (Field::Marks(show, s, e), Value::Dates(dates)) => Edit::SetHistories {
            target: Target::Episode(show.clone(), *s, *e),
            histories: vec![((*s, *e), dates.clone())],
        },
        (Field::Notes(target), Value::Text(text)) => Edit::SetNotes {
            target: target.clone(),
            text: text.clone(),
        },
        (Field::Rating(target), Value::Rating(rating)) => Edit::SetRating {
            target: target.clone(),
            rating: *rating,
        },
        (Field::Shield, Value::Shield(on)) => Edit::SetSpoilerShield(*on),
        (Field::Order, Value::Order(order)) => Edit::SetOrder(*order),
        (Field::Notified, Value::Version(v)) => Edit::SetCatalogNotified(*v),
        (Field::Show(id), Value::Show(Some(placed))) => Edit::PutShow {
            franchise: placed.within.clone(),
            id: id.clone(),
            at: Some(placed.at),
            show: Some(Box::new((*placed.value).clone())),
        },
        (Field::Show(id), Value::Show(None)) => {
            let Some(Value::Show(Some(now))) = value(library, field) else {
                return Ok(Edit::Batch(Vec::new())); // already gone
            };
            Edit::PutShow {
                franchise: now.within,
                id: id.clone(),
                at: None,
                show: None,
            }
        }
        (Field::Franchise(id), Value::Franchise(placed)) => {
            if placed.is_none() && library.franchises.iter().all(|f| f.id != *id) {
                return Ok(Edit::Batch(Vec::new()));
            }
            Edit::PutFranchise {
                id: id.clone(),
                at: placed.as_ref().map(|p| p.at),
                franchise: placed.as_ref().map(|p| Box::new(p.value.clone())),
            }
        }
        (Field::Removed(key), Value::Bool(on)) => Edit::SetRemoved(vec![(key.clone(), *on)]),
        _ => return Err(EditError::NotApplicable(Target::Franchise(String::new()))),
    };
    edit.apply(library)
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
    fn watch_dates_merge_as_sets() {
        let (d1, d2, d3) = (date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3));
        // Both marked the same day: one date, not a rewatch.
        assert_eq!(merge_dates(&[], &[d1], &[d1]), vec![d1]);
        // Each marked on another day: both kept.
        assert_eq!(merge_dates(&[], &[d1], &[d2]), vec![d1, d2]);
        // We cleared it, they added a rewatch: ours removed, theirs kept.
        assert_eq!(merge_dates(&[d1], &[], &[d1, d3]), vec![d3]);
        // Our rewatch on top of theirs.
        assert_eq!(merge_dates(&[d1], &[d1, d2], &[d1, d3]), vec![d1, d2, d3]);
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
