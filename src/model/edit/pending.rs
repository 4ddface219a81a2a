//! `Pending`: this run's changes not on disk yet, made again on a library reloaded after an
//! outside edit (merged where both sides changed).

use jiff::civil::Date;

use crate::model::{Franchise, Library, Order, Shared, Show, Target};

use super::{Edit, EditError, show_id};

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
    use crate::model::NodeRef;
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
    use jiff::civil::date;

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
}
