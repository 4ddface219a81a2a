//! Deleting (`D`): the question that says what goes with it, and the edit that removes it.

use crate::app::facts::{put_show, show_of};
use crate::model::{Edit, Episode, Library, NodeId, NodeRef, Show, Target, episode_code};

fn count(n: usize, one: &str, many: &str) -> Option<String> {
    match n {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {many}")),
    }
}

/// What goes with the episodes given: "10 episodes, 3 watched, 2 notes".
fn losses<'a>(
    seasons: Option<usize>,
    episodes: impl Iterator<Item = &'a Episode> + Clone,
    notes: usize,
) -> String {
    let total = episodes.clone().count();
    let watched = episodes.clone().filter(|e| e.is_watched()).count();
    let notes = notes + episodes.filter(|e| !e.notes.is_empty()).count();
    let parts: Vec<String> = [
        seasons.and_then(|n| count(n, "season", "seasons")),
        count(total, "episode", "episodes"),
        (watched > 0).then(|| format!("{watched} watched")),
        count(notes, "note", "notes"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        "nothing else".into()
    } else {
        parts.join(", ")
    }
}

fn show_losses(show: &Show) -> (usize, String) {
    let notes = usize::from(!show.notes.is_empty())
        + show.seasons.iter().filter(|s| !s.notes.is_empty()).count();
    let episodes = show.seasons.iter().flat_map(|s| s.episodes.iter());
    (notes, losses(Some(show.seasons.len()), episodes, notes))
}

/// `remove`, with the franchise's curated watch order losing the keys of what it removes
/// (`fantrack check` would warn of keys naming nothing): one step either way. The franchise
/// is put first, with its shows as they are, so the removal after it records the tombstones.
fn and_order(
    library: &Library,
    franchise: &str,
    gone: (&str, Option<u32>, Option<u32>),
    remove: Edit,
) -> Edit {
    let Some(f) = library.franchises.iter().find(|f| f.id == franchise) else {
        return remove;
    };
    let (show, season, episode) = gone;
    let order: Vec<String> = f
        .watch_order
        .iter()
        .filter(|key| {
            let Some((id, code)) = key.split_once(' ') else {
                return true;
            };
            let Some((s, e)) = crate::model::parse_episode_code(code) else {
                return true;
            };
            id != show
                || match (season, episode) {
                    (None, _) => false,
                    (Some(n), None) => s != n,
                    (Some(n), Some(x)) => (s, e) != (n, x),
                }
        })
        .cloned()
        .collect();
    if order.len() == f.watch_order.len() {
        return remove;
    }
    let mut kept = f.clone();
    kept.watch_order = order;
    Edit::Batch(vec![
        Edit::PutFranchise {
            id: f.id.clone(),
            at: None,
            franchise: Some(Box::new(kept)),
        },
        remove,
    ])
}

/// The question, the edit, the message and what to select after, for deleting `id`.
pub fn removal(library: &Library, id: NodeId) -> Option<(String, Edit, String, Option<Target>)> {
    Some(match library.node(id)? {
        NodeRef::Franchise(f) => {
            let episodes = f
                .shows
                .iter()
                .flat_map(|s| s.seasons.iter().flat_map(|s| s.episodes.iter()));
            let notes = usize::from(!f.notes.is_empty())
                + f.shows.iter().map(|s| show_losses(s).0).sum::<usize>();
            let what = losses(None, episodes, notes);
            let shows = count(f.shows.len(), "show", "shows").unwrap_or("no shows".into());
            (
                format!("Delete {}: {shows}, {what}?", f.title),
                Edit::PutFranchise {
                    id: f.id.clone(),
                    at: None,
                    franchise: None,
                },
                format!("deleted {}", f.title),
                None,
            )
        }
        NodeRef::Show(f, show) => {
            let (_, what) = show_losses(show);
            (
                format!("Delete {}: {what}?", show.title),
                and_order(
                    library,
                    &f.id,
                    (&show.id, None, None),
                    Edit::PutShow {
                        franchise: f.id.clone(),
                        id: show.id.clone(),
                        at: None,
                        show: None,
                    },
                ),
                format!("deleted {}", show.title),
                Some(Target::Franchise(f.id.clone())),
            )
        }
        NodeRef::Season(show, season) => {
            let (_, franchise, _) = show_of(library, &Target::Show(show.id.clone()))?;
            let notes = usize::from(!season.notes.is_empty());
            let what = losses(None, season.episodes.iter(), notes);
            let mut new = show.clone();
            new.seasons.retain(|s| s.number != season.number);
            (
                format!("Delete {} season {}: {what}?", show.title, season.number),
                and_order(
                    library,
                    &franchise,
                    (&show.id, Some(season.number), None),
                    put_show(franchise.clone(), new),
                ),
                format!("deleted {} season {}", show.title, season.number),
                Some(Target::Show(show.id.clone())),
            )
        }
        NodeRef::Episode(show, season, e) => {
            let (_, franchise, _) = show_of(library, &Target::Show(show.id.clone()))?;
            let code = episode_code(season.number, e.number);
            let what = losses(None, std::iter::once(e), 0);
            let mut new = show.clone();
            if let Some(s) = new.season_mut(season.number) {
                s.episodes.retain(|x| x.number != e.number);
            }
            (
                format!("Delete {} {code}: {what}?", show.title),
                and_order(
                    library,
                    &franchise,
                    (&show.id, Some(season.number), Some(e.number)),
                    put_show(franchise.clone(), new),
                ),
                format!("deleted {} {code}", show.title),
                Some(Target::Season(show.id.clone(), season.number)),
            )
        }
    })
}
