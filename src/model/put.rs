//! Structural and fact edits: a whole franchise or show put in place of what is there (or
//! added, or removed), and the tombstones that keep `catalog update` from bringing back
//! what the user deleted.
//!
//! A put replaces the value whole: a form builds the new `Show` from the old one, so one
//! `PutShow` covers a changed title, a new season, an episode removed. The library is
//! checked after each put with the rules a load applies (`rules::check`), so a put can
//! never make a file that would not load again; a put that breaks one is refused and the
//! library is left as it was.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use super::{Edit, EditError, Franchise, Library, Season, Shared, Show, Target};

/// The tombstone key of a franchise.
pub fn franchise_key(id: &str) -> String {
    format!("franchise:{id}")
}

/// The tombstone key of a show (ids are unique across the library).
pub fn show_key(id: &str) -> String {
    format!("show:{id}")
}

pub fn season_key(show: &str, season: u32) -> String {
    format!("season:{show}/{season}")
}

pub fn episode_key(show: &str, season: u32, episode: u32) -> String {
    format!("episode:{show}/{season}/{episode}")
}

/// The tombstone key of the item `target` names.
pub fn removed_key(target: &Target) -> String {
    match target {
        Target::Franchise(id) => franchise_key(id),
        Target::Show(id) => show_key(id),
        Target::Season(id, n) => season_key(id, *n),
        Target::Episode(id, n, e) => episode_key(id, *n, *e),
    }
}

/// The keys of every item of the shipped catalog: only removing one of these leaves a
/// tombstone (a show the user added and deleted again leaves nothing behind).
pub fn shipped_keys() -> &'static BTreeSet<String> {
    static KEYS: OnceLock<BTreeSet<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut keys = BTreeSet::new();
        // The asset is checked by store's tests, so None here is a build bug: no keys then
        // means deletions leave no tombstones, never a panic.
        for f in shipped_catalog().iter().flat_map(|c| &c.franchises) {
            franchise_keys(f, &mut keys);
        }
        keys
    })
}

/// The shipped catalog parsed with `ron` alone (store's loader depends on the model, not the
/// other way round).
pub(crate) fn shipped_catalog() -> Option<Library> {
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    options.from_str(super::CATALOG).ok()
}

fn show_keys(show: &Show, keys: &mut BTreeSet<String>) {
    keys.insert(show_key(&show.id));
    for season in &show.seasons {
        season_keys(&show.id, season, keys);
    }
}

fn season_keys(show: &str, season: &Season, keys: &mut BTreeSet<String>) {
    keys.insert(season_key(show, season.number));
    for e in &season.episodes {
        keys.insert(episode_key(show, season.number, e.number));
    }
}

fn franchise_keys(franchise: &Franchise, keys: &mut BTreeSet<String>) {
    keys.insert(franchise_key(&franchise.id));
    for show in &franchise.shows {
        show_keys(show, keys);
    }
}

/// A franchise or a show, as a put sees it.
#[derive(Clone, Copy)]
enum Item<'a> {
    Franchise(&'a Franchise),
    Show(&'a Show),
}

impl Item<'_> {
    fn keys(self) -> BTreeSet<String> {
        let mut keys = BTreeSet::new();
        match self {
            Item::Franchise(f) => franchise_keys(f, &mut keys),
            Item::Show(s) => show_keys(s, &mut keys),
        }
        keys
    }
}

/// The topmost items `old` has and `new` lacks: a whole show gone is one key, not one per
/// episode.
fn gone(old: Item, new: Option<Item>, out: &mut Vec<String>) {
    match (old, new) {
        (Item::Franchise(o), None) => out.push(franchise_key(&o.id)),
        (Item::Show(o), None) => out.push(show_key(&o.id)),
        (Item::Franchise(o), Some(Item::Franchise(n))) => {
            for show in &o.shows {
                gone(Item::Show(show), n.show(&show.id).map(Item::Show), out);
            }
        }
        (Item::Show(o), Some(Item::Show(n))) => {
            for season in &o.seasons {
                match n.season(season.number) {
                    None => out.push(season_key(&o.id, season.number)),
                    Some(kept) => {
                        for e in &season.episodes {
                            if kept.episode(e.number).is_none() {
                                out.push(episode_key(&o.id, season.number, e.number));
                            }
                        }
                    }
                }
            }
        }
        // A put never changes the kind of item.
        (Item::Franchise(_), Some(Item::Show(_))) | (Item::Show(_), Some(Item::Franchise(_))) => {}
    }
}

/// The tombstones after `old` became `new`: what went is tombstoned when something could
/// bring it back — the catalog has it, or it is a season or episode of a show that TVmaze
/// refreshes — and everything `new` holds is not (putting an item back clears its tombstone).
fn retomb(removed: &mut BTreeSet<String>, old: Option<Item>, new: Option<Item>) {
    let shipped = shipped_keys();
    if let Some(old) = old {
        let mut went = Vec::new();
        gone(old, new, &mut went);
        let refreshed = new.is_some()
            && matches!(old, Item::Show(s) if s.tvmaze.is_some() || s.ids.tvmaze.is_some());
        removed.extend(
            went.into_iter()
                .filter(|k| refreshed || shipped.contains(k)),
        );
    }
    if let Some(new) = new {
        for key in new.keys() {
            removed.remove(&key);
        }
    }
}

/// The inverse of a put that changed the tombstones from `before` to `removed`: the put
/// back, with the tombstones set exactly as they were when the put back alone would not.
fn with_tombstones(
    undo: Edit,
    before: &BTreeSet<String>,
    removed: &BTreeSet<String>,
    old: Option<Item>,
    new: Option<Item>,
) -> Edit {
    let mut predicted = removed.clone();
    retomb(&mut predicted, new, old);
    if predicted == *before {
        return undo;
    }
    let keys: BTreeSet<&String> = predicted.symmetric_difference(before).collect();
    let states = keys
        .into_iter()
        .map(|k| (k.clone(), before.contains(k)))
        .collect();
    Edit::Batch(vec![undo, Edit::SetRemoved(states)])
}

fn invalid(library: &Library) -> Option<String> {
    super::rules::check(library).err().map(|p| p.message)
}

pub(super) fn put_franchise(
    library: &mut Library,
    id: &str,
    at: Option<usize>,
    franchise: Option<&Franchise>,
) -> Result<Edit, EditError> {
    if let Some(f) = franchise {
        if f.id != id {
            return Err(EditError::Invalid(format!(
                "the franchise's id is \"{}\", not \"{id}\"",
                f.id
            )));
        }
        if f.id.trim().is_empty() || f.title.trim().is_empty() {
            return Err(EditError::Invalid(
                "a franchise needs an id and a title".into(),
            ));
        }
    }
    let old_at = library.franchises.iter().position(|f| f.id == id);
    let before = library.removed.clone();
    let old = match (old_at, franchise) {
        (None, None) => return Err(EditError::NotFound(Target::Franchise(id.to_string()))),
        (Some(i), Some(new)) => library
            .franchises
            .get_mut(i)
            .map(|slot| std::mem::replace(slot, new.clone())),
        (Some(i), None) => Some(library.franchises.remove(i)),
        (None, Some(new)) => {
            let i = at.unwrap_or(usize::MAX).min(library.franchises.len());
            library.franchises.insert(i, new.clone());
            None
        }
    };
    if let Some(problem) = invalid(library) {
        restore_franchise(library, id, old_at, old);
        return Err(EditError::Invalid(problem));
    }
    let (o, n) = (
        old.as_ref().map(Item::Franchise),
        franchise.map(Item::Franchise),
    );
    retomb(&mut library.removed, o, n);
    let undo = Edit::PutFranchise {
        id: id.to_string(),
        at: old_at,
        franchise: old.clone().map(Box::new),
    };
    Ok(with_tombstones(undo, &before, &library.removed, o, n))
}

/// Puts back what [`put_franchise`] changed before it found the result invalid.
fn restore_franchise(library: &mut Library, id: &str, at: Option<usize>, old: Option<Franchise>) {
    let now = library.franchises.iter().position(|f| f.id == id);
    match (now, old) {
        (Some(i), Some(old)) => {
            if let Some(slot) = library.franchises.get_mut(i) {
                *slot = old;
            }
        }
        (Some(i), None) => {
            library.franchises.remove(i);
        }
        (None, Some(old)) => {
            let i = at.unwrap_or(usize::MAX).min(library.franchises.len());
            library.franchises.insert(i, old);
        }
        (None, None) => {}
    }
}

pub(super) fn put_show(
    library: &mut Library,
    franchise: &str,
    id: &str,
    at: Option<usize>,
    show: Option<&Show>,
) -> Result<Edit, EditError> {
    if let Some(s) = show {
        if s.id != id {
            return Err(EditError::Invalid(format!(
                "the show's id is \"{}\", not \"{id}\"",
                s.id
            )));
        }
        if s.id.trim().is_empty() || s.title.trim().is_empty() {
            return Err(EditError::Invalid("a show needs an id and a title".into()));
        }
    }
    let Some(fi) = library.franchises.iter().position(|f| f.id == franchise) else {
        return Err(EditError::NotFound(Target::Franchise(
            franchise.to_string(),
        )));
    };
    if let Some((other, _)) = library.find_show(id).filter(|(f, _)| *f != fi) {
        let title = library
            .franchises
            .get(other)
            .map(|f| f.title.clone())
            .unwrap_or_default();
        return Err(EditError::Invalid(format!(
            "a show with the id \"{id}\" is already in {title}"
        )));
    }
    let before = library.removed.clone();
    let Some(shows) = library.franchises.get_mut(fi).map(|f| &mut f.shows) else {
        return Err(EditError::NotFound(Target::Franchise(
            franchise.to_string(),
        )));
    };
    let old_at = shows.iter().position(|s| s.id == id);
    let old: Option<Shared<Show>> = match (old_at, show) {
        (None, None) => return Err(EditError::NotFound(Target::Show(id.to_string()))),
        (Some(i), Some(new)) => shows
            .get_mut(i)
            .map(|slot| std::mem::replace(slot, Shared::new(new.clone()))),
        (Some(i), None) => Some(shows.remove(i)),
        (None, Some(new)) => {
            let i = at.unwrap_or(usize::MAX).min(shows.len());
            shows.insert(i, Shared::new(new.clone()));
            None
        }
    };
    if let Some(problem) = invalid(library) {
        if let Some(shows) = library.franchises.get_mut(fi).map(|f| &mut f.shows) {
            match (shows.iter().position(|s| s.id == id), old.clone()) {
                (Some(i), Some(old)) => {
                    if let Some(slot) = shows.get_mut(i) {
                        *slot = old;
                    }
                }
                (Some(i), None) => {
                    shows.remove(i);
                }
                (None, Some(old)) => shows.insert(old_at.unwrap_or(0).min(shows.len()), old),
                (None, None) => {}
            }
        }
        return Err(EditError::Invalid(problem));
    }
    let (o, n) = (old.as_deref().map(Item::Show), show.map(Item::Show));
    retomb(&mut library.removed, o, n);
    let undo = Edit::PutShow {
        franchise: franchise.to_string(),
        id: id.to_string(),
        at: old_at,
        show: old.as_deref().cloned().map(Box::new),
    };
    Ok(with_tombstones(undo, &before, &library.removed, o, n))
}

/// Sets each tombstone on or off; the inverse sets them back.
pub(super) fn set_removed(library: &mut Library, states: &[(String, bool)]) -> Edit {
    let before = states
        .iter()
        .map(|(k, _)| (k.clone(), library.removed.contains(k)))
        .collect();
    for (key, on) in states {
        if *on {
            library.removed.insert(key.clone());
        } else {
            library.removed.remove(key);
        }
    }
    Edit::SetRemoved(before)
}

/// Applies `edits` in order, all or nothing; the inverse is theirs in reverse order.
pub(super) fn batch(library: &mut Library, edits: &[Edit]) -> Result<Edit, EditError> {
    let mut undo = Vec::with_capacity(edits.len());
    for edit in edits {
        match edit.apply(library) {
            Ok(inverse) => undo.push(inverse),
            Err(e) => {
                // Inverses of edits that applied always apply again: they put back values.
                for inverse in undo.iter().rev() {
                    let _ = inverse.apply(library);
                }
                return Err(e);
            }
        }
    }
    undo.reverse();
    Ok(Edit::Batch(undo))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::shipped_catalog;
    use crate::model::{Edit, EventKind, Pending, Status};

    fn show(library: &Library, id: &str) -> Show {
        let (f, s) = library.find_show(id).expect("show");
        (*library.franchises[f].shows[s]).clone()
    }

    fn put(show: Show) -> Edit {
        Edit::PutShow {
            franchise: "bosch-universe".into(),
            id: show.id.clone(),
            at: None,
            show: Some(Box::new(show)),
        }
    }

    fn remove(id: &str) -> Edit {
        Edit::PutShow {
            franchise: "bosch-universe".into(),
            id: id.into(),
            at: None,
            show: None,
        }
    }

    fn new_show(id: &str) -> Show {
        let mut s = show(&shipped_catalog(), "ballard");
        s.id = id.into();
        s.title = "Slow Horses".into();
        s.origin = None;
        s
    }

    #[test]
    fn every_put_and_batch_returns_its_exact_inverse() {
        let original = shipped_catalog();
        let ballard = show(&original, "ballard");
        let renamed = Show {
            title: "Ballard (2025)".into(),
            status: Status::Cancelled,
            ..ballard.clone()
        };
        let mut fewer = ballard.clone();
        fewer.seasons[0].episodes.retain(|e| e.number != 3);
        let mut no_seasons = ballard.clone();
        no_seasons.seasons.clear();
        let mut franchise = original.franchises[0].clone();
        franchise.title = "The Bosch universe".into();
        let mut other = original.franchises[0].clone();
        other.id = "slow-horses-universe".into();
        other.shows.clear();
        let edits = [
            put(renamed.clone()),
            put(fewer),
            put(no_seasons),
            remove("ballard"),
            put(new_show("slow-horses")),
            Edit::PutFranchise {
                id: franchise.id.clone(),
                at: None,
                franchise: Some(Box::new(franchise)),
            },
            Edit::PutFranchise {
                id: other.id.clone(),
                at: Some(0),
                franchise: Some(Box::new(other)),
            },
            Edit::Batch(vec![put(new_show("slow-horses")), remove("ballard")]),
            Edit::Batch(vec![put(renamed), remove("ballard"), put(ballard)]),
        ];
        for edit in edits {
            let mut library = original.clone();
            let inverse = edit.apply(&mut library).expect("applies");
            assert_ne!(library, original, "{edit:?} changed nothing");
            let changed = library.clone();
            let redo = inverse.apply(&mut library).expect("the inverse applies");
            assert_eq!(library, original, "{edit:?} was not undone");
            redo.apply(&mut library).expect("the redo applies");
            assert_eq!(library, changed, "{edit:?} was not redone");
        }
    }

    #[test]
    fn a_put_keeps_the_position_and_an_add_goes_where_asked() {
        let mut library = shipped_catalog();
        let ids = |l: &Library| -> Vec<String> {
            l.franchises[0].shows.iter().map(|s| s.id.clone()).collect()
        };
        let before = ids(&library);
        let mut b = show(&library, "bosch");
        b.title = "Bosch!".into();
        put(b).apply(&mut library).expect("applies");
        assert_eq!(ids(&library), before);
        let add = Edit::PutShow {
            franchise: "bosch-universe".into(),
            id: "slow-horses".into(),
            at: Some(1),
            show: Some(Box::new(new_show("slow-horses"))),
        };
        let undo = add.apply(&mut library).expect("applies");
        assert_eq!(ids(&library)[1], "slow-horses");
        undo.apply(&mut library).expect("undo");
        assert_eq!(ids(&library), before);
    }

    #[test]
    fn removing_a_shipped_item_leaves_a_tombstone_and_putting_it_back_clears_it() {
        let mut library = shipped_catalog();
        let ballard = show(&library, "ballard");
        let undo = remove("ballard").apply(&mut library).expect("removes");
        assert_eq!(
            library.removed.iter().collect::<Vec<_>>(),
            vec!["show:ballard"]
        );
        undo.apply(&mut library).expect("puts back");
        assert!(library.removed.is_empty());

        // An episode and a season: one key each, the topmost item that went.
        let mut fewer = ballard.clone();
        fewer.seasons[0].episodes.retain(|e| e.number != 3);
        put(fewer).apply(&mut library).expect("applies");
        assert!(library.removed.contains("episode:ballard/1/3"));
        let mut none = ballard.clone();
        none.seasons.clear();
        put(none).apply(&mut library).expect("applies");
        assert!(library.removed.contains("season:ballard/1"));
        // The episode's own tombstone stays until it is back: the season's covers it.
        put(ballard).apply(&mut library).expect("back");
        assert!(library.removed.is_empty(), "{:?}", library.removed);

        // A show the catalog never had leaves nothing when it goes.
        put(new_show("slow-horses"))
            .apply(&mut library)
            .expect("adds");
        remove("slow-horses").apply(&mut library).expect("removes");
        assert!(library.removed.is_empty());

        // A whole franchise.
        Edit::PutFranchise {
            id: "bosch-universe".into(),
            at: None,
            franchise: None,
        }
        .apply(&mut library)
        .expect("removes");
        assert!(library.removed.contains("franchise:bosch-universe"));
        assert!(library.franchises.is_empty());
    }

    #[test]
    fn an_episode_deleted_from_a_tvmaze_show_leaves_a_tombstone_so_refresh_keeps_it_gone() {
        let mut library = shipped_catalog();
        let mut slow = new_show("slow-horses");
        slow.ids.tvmaze = Some(37_123);
        put(slow.clone()).apply(&mut library).expect("adds");
        let mut fewer = slow.clone();
        fewer.seasons[0].episodes.retain(|e| e.number != 2);
        put(fewer).apply(&mut library).expect("applies");
        assert!(library.removed.contains("episode:slow-horses/1/2"));
        // A show of the user's own that no source refreshes leaves nothing.
        let mut own = new_show("own-show");
        own.ids.tvmaze = None;
        put(own.clone()).apply(&mut library).expect("adds");
        own.seasons.clear();
        put(own).apply(&mut library).expect("applies");
        assert!(!library.removed.iter().any(|k| k.contains("own-show")));
    }

    #[test]
    fn an_undo_restores_tombstones_exactly_even_stale_ones() {
        let mut library = shipped_catalog();
        // Left by hand or an older build: a tombstone of a show the catalog does not have.
        library.removed.insert("show:slow-horses".into());
        let original = library.clone();
        let undo = put(new_show("slow-horses"))
            .apply(&mut library)
            .expect("adds");
        assert!(library.removed.is_empty());
        assert!(matches!(undo, Edit::Batch(_)), "{undo:?}");
        undo.apply(&mut library).expect("undo");
        assert_eq!(library, original);
    }

    #[test]
    fn a_batch_is_all_or_nothing() {
        let original = shipped_catalog();
        let mut library = original.clone();
        let mut renamed = show(&library, "ballard");
        renamed.title = "Renamed".into();
        let mut twice = show(&library, "bosch");
        let copy = twice.seasons[0].clone();
        twice.seasons.push(copy);
        let batch = Edit::Batch(vec![put(renamed), remove("ballard"), put(twice)]);
        let e = batch.apply(&mut library).expect_err("season twice");
        assert!(e.to_string().contains("season 1 twice"), "{e}");
        assert_eq!(library, original);
        // An empty batch is a no-op with an empty inverse.
        assert_eq!(
            Edit::Batch(vec![]).apply(&mut library),
            Ok(Edit::Batch(vec![]))
        );
    }

    #[test]
    fn a_put_that_would_not_load_again_is_refused_and_changes_nothing() {
        let original = shipped_catalog();
        let mut library = original.clone();
        // Bosch: Legacy grows out of Bosch.
        let e = remove("bosch").apply(&mut library).expect_err("orphan");
        assert!(e.to_string().contains("grew out of"), "{e}");
        assert_eq!(library, original);
        let mut empty = show(&library, "ballard");
        empty.title = " ".into();
        assert!(put(empty).apply(&mut library).is_err());
        let mut wrong = show(&library, "ballard");
        wrong.id = "other".into();
        let e = Edit::PutShow {
            franchise: "bosch-universe".into(),
            id: "ballard".into(),
            at: None,
            show: Some(Box::new(wrong)),
        }
        .apply(&mut library)
        .expect_err("id");
        assert!(matches!(e, EditError::Invalid(_)));
        let e = Edit::PutShow {
            franchise: "nope".into(),
            id: "ballard".into(),
            at: None,
            show: None,
        }
        .apply(&mut library)
        .expect_err("franchise");
        assert_eq!(e, EditError::NotFound(Target::Franchise("nope".into())));
        assert_eq!(library, original);
    }

    #[test]
    fn pending_puts_are_made_again_over_an_outside_edit_of_another_show() {
        let mut ours = shipped_catalog();
        let mut pending = Pending::default();
        let mut ballard = show(&ours, "ballard");
        ballard.status = Status::Renewed;
        ballard.events.push(crate::model::Event {
            kind: EventKind::Renewed,
            date: None,
            when: None,
            what: "Renewed for season 2".into(),
            sources: vec!["https://example.org/news".into()],
            yours: true,
        });
        for edit in [put(ballard.clone()), put(new_show("slow-horses"))] {
            let inverse = edit.apply(&mut ours).expect("applies");
            pending.record(&inverse, &ours);
        }
        assert_eq!(pending.len(), 2, "{pending:?}");
        // The file meanwhile: another show's note, and a watch mark on Ballard itself.
        let mut theirs = shipped_catalog();
        Edit::SetNotes {
            target: Target::Show("bosch".into()),
            text: "theirs".into(),
        }
        .apply(&mut theirs)
        .expect("applies");
        Edit::ToggleWatched {
            target: Target::Episode("ballard".into(), 1, 1),
            date: jiff::civil::date(2025, 7, 9),
        }
        .apply(&mut theirs)
        .expect("applies");
        let report = pending.replay(&mut theirs);
        assert!(report.is_empty(), "{report:?}");
        assert_eq!(show(&theirs, "bosch").notes, "theirs");
        let merged = show(&theirs, "ballard");
        assert_eq!(merged.status, Status::Renewed);
        assert!(merged.events.iter().any(|e| e.yours));
        assert!(merged.seasons[0].episodes[0].is_watched());
        assert!(theirs.find_show("slow-horses").is_some());
        // Made again once.
        let again = theirs.clone();
        assert!(pending.replay(&mut theirs).is_empty());
        assert_eq!(theirs, again);
    }

    #[test]
    fn a_put_changed_in_both_places_keeps_the_files_and_says_so() {
        let mut ours = shipped_catalog();
        let mut pending = Pending::default();
        let mut ballard = show(&ours, "ballard");
        ballard.title = "Ours".into();
        let inverse = put(ballard).apply(&mut ours).expect("applies");
        pending.record(&inverse, &ours);
        let mut theirs = shipped_catalog();
        let mut b = show(&theirs, "ballard");
        b.title = "Theirs".into();
        put(b).apply(&mut theirs).expect("applies");
        let report = pending.replay(&mut theirs);
        assert_eq!(show(&theirs, "ballard").title, "Theirs");
        assert_eq!(report.len(), 1, "{report:?}");
        assert!(report[0].contains("kept the file's"), "{report:?}");
    }
}
