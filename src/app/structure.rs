//! Adding (`a`) and deleting (`D`): a small form for something new under the selection, and
//! the question that says what a delete takes with it. Both are one undo step.

use jiff::civil::Date;

use super::facts::{ORIGINS, STATUSES, put_show, show_of};
use super::form::Outcome;
use super::form::{Field, Form, Purpose};
use crate::model::{
    Edit, Episode, Franchise, Library, NodeId, NodeRef, Origin, Season, Show, Status, Target,
    episode_code, slug, unique_id,
};

/// What `a` can add under a selection, the most likely first.
fn kinds(library: &Library, under: Option<NodeId>) -> Vec<&'static str> {
    match under.and_then(|id| library.node(id)) {
        None => vec!["franchise"],
        Some(NodeRef::Franchise(_)) => vec!["show", "franchise"],
        Some(NodeRef::Show(..)) => vec!["season", "show", "franchise"],
        Some(NodeRef::Season(..)) => vec!["episode", "season"],
        Some(NodeRef::Episode(..)) => vec!["episode"],
    }
}

/// The show and season number a new season or episode goes in.
fn place(library: &Library, under: NodeId) -> Option<(&Show, Option<u32>)> {
    match library.node(under)? {
        NodeRef::Show(_, show) => Some((show, None)),
        NodeRef::Season(show, season) | NodeRef::Episode(show, season, _) => {
            Some((show, Some(season.number)))
        }
        NodeRef::Franchise(_) => None,
    }
}

/// The shows of the selection's franchise a new show can grow out of.
fn parents(library: &Library, under: Option<NodeId>) -> Vec<&Show> {
    under
        .and_then(|id| library.franchises.get(id.franchise()))
        .map(|f| f.shows.iter().map(|s| &**s).collect())
        .unwrap_or_default()
}

pub fn add_form(library: &Library, under: Option<NodeId>) -> Result<Form, String> {
    let kinds = kinds(library, under);
    let parents = parents(library, under);
    let mut options = vec!["none".to_string()];
    options.extend(parents.iter().map(|s| s.title.clone()));
    let selected_show = match under.and_then(|id| library.node(id)) {
        Some(NodeRef::Show(_, s)) => parents.iter().position(|p| p.id == s.id).map(|i| i + 1),
        _ => None,
    };
    let title = match under.and_then(|id| library.node(id)) {
        Some(node) => format!("Add under {}", node.label()),
        None => "Add".to_string(),
    };
    let mut form = Form::new(
        title,
        Purpose::Add(under.unwrap_or(NodeId::Franchise(0))),
        vec![
            Field::choice(
                "what",
                "Add a",
                kinds.iter().map(|k| k.to_string()).collect(),
                0,
            ),
            Field::line("title", "Title", "", "required"),
            Field::line("network", "Network", "", ""),
            Field::choice(
                "status",
                "Status",
                STATUSES.iter().map(ToString::to_string).collect(),
                0,
            ),
            Field::choice("parent", "Grew out of", options, selected_show.unwrap_or(0)),
            Field::choice(
                "origin",
                "  as a",
                ORIGINS.iter().map(ToString::to_string).collect(),
                0,
            ),
            Field::line("number", "Number", "", "number"),
            Field::line("date", "Premiere", "", "YYYY-MM-DD (optional)"),
            Field::line("runtime", "Runtime", "", "minutes (optional)"),
        ],
    );
    if under.is_none() {
        form.purpose = Purpose::Add(NodeId::Franchise(usize::MAX));
    }
    follow(&mut form, library);
    Ok(form)
}

fn chosen_kind(form: &Form) -> String {
    form.value("what")
}

/// After a change of what is added: its fields shown, the number defaulted to the next free.
pub fn follow(form: &mut Form, library: &Library) {
    let kind = chosen_kind(form);
    let Purpose::Add(under) = form.purpose else {
        return;
    };
    let is = |k: &str| kind == k;
    form.set_visible("title", !is("season"));
    form.set_placeholder(
        "title",
        if is("episode") {
            "optional"
        } else {
            "required"
        },
    );
    for key in ["network", "status", "parent", "origin"] {
        form.set_visible(key, is("show"));
    }
    form.set_visible("number", is("season") || is("episode"));
    form.set_visible("date", is("season") || is("episode"));
    form.set_visible("runtime", is("episode"));
    form.set_label(
        "date",
        if is("episode") {
            "Air date"
        } else {
            "Premiere"
        }
        .to_string(),
    );
    let next = place(library, under).map(|(show, season)| match (kind.as_str(), season) {
        ("episode", Some(n)) => show
            .season(n)
            .and_then(|s| s.episodes.iter().map(|e| e.number).max())
            .map_or(1, |m| m + 1),
        _ => show
            .seasons
            .iter()
            .map(|s| s.number)
            .max()
            .map_or(1, |m| m + 1),
    });
    if let Some(next) = next {
        form.set_text("number", &next.to_string());
    }
}

pub fn apply_add(form: &mut Form, library: &Library, under: NodeId) -> Result<Outcome, ()> {
    let kind = chosen_kind(form);
    match kind.as_str() {
        "franchise" => {
            let title = form.required("title", "the title").ok_or(())?;
            let id = unique_id(&slug(&title), |id| {
                library.franchises.iter().any(|f| f.id == id)
            });
            let franchise = Franchise {
                id: id.clone(),
                title: title.clone(),
                based_on: None,
                notes: String::new(),
                shows: Vec::new(),
                watch_order: Vec::new(),
            };
            Ok(Outcome::Apply {
                edit: Edit::PutFranchise {
                    id: id.clone(),
                    at: None,
                    franchise: Some(Box::new(franchise)),
                },
                message: format!("added the franchise {title}"),
                select: Some(Target::Franchise(id)),
            })
        }
        "show" => {
            let title = form.required("title", "the title").ok_or(())?;
            let Some(franchise) = library.franchises.get(under.franchise()) else {
                form.note = Some("the franchise is no longer in the library".into());
                return Err(());
            };
            let id = unique_id(&slug(&title), |id| library.find_show(id).is_some());
            let mut show = Show::new(id.clone(), title.clone());
            show.network = form.optional("network");
            show.status = STATUSES
                .get(form.chosen("status"))
                .copied()
                .unwrap_or(Status::Unknown);
            let parents = parents(library, Some(under));
            show.origin = form
                .chosen("parent")
                .checked_sub(1)
                .and_then(|i| parents.get(i))
                .map(|p| Origin {
                    show: p.id.clone(),
                    kind: ORIGINS
                        .get(form.chosen("origin"))
                        .copied()
                        .unwrap_or(crate::model::OriginKind::SpinOff),
                });
            Ok(Outcome::Apply {
                edit: Edit::PutShow {
                    franchise: franchise.id.clone(),
                    id: id.clone(),
                    at: None,
                    show: Some(Box::new(show)),
                },
                message: format!("added {title} to {}", franchise.title),
                select: Some(Target::Show(id)),
            })
        }
        "season" | "episode" => {
            let Some((show, season)) = place(library, under) else {
                form.note = Some("it is no longer in the library".into());
                return Err(());
            };
            let Some((_, franchise, _)) = show_of(library, &Target::Show(show.id.clone())) else {
                return Err(());
            };
            let number = form.number("number", &kind);
            let date = form.date("date");
            let runtime = if kind == "episode" {
                form.runtime("runtime")
            } else {
                Ok(None)
            };
            let (number, date, runtime): (Option<u32>, Option<Date>, Option<u32>) =
                (number?, date?, runtime?);
            let Some(number) = number else {
                form.fail("number", "the number cannot be empty");
                return Err(());
            };
            let mut new = show.clone();
            if kind == "season" {
                if show.season(number).is_some() {
                    form.fail("number", format!("season {number} is already there"));
                    return Err(());
                }
                let mut season = Season::new(number);
                season.premiere = date;
                new.seasons.push(season);
                new.seasons.sort_by_key(|s| s.number);
                return Ok(Outcome::Apply {
                    edit: put_show(franchise, new),
                    message: format!("added season {number} to {}", show.title),
                    select: Some(Target::Season(show.id.clone(), number)),
                });
            }
            let Some(n) = season else { return Err(()) };
            let code = episode_code(n, number);
            let Some(s) = new.season_mut(n) else {
                return Err(());
            };
            if s.episode(number).is_some() {
                form.fail("number", format!("{code} is already there"));
                return Err(());
            }
            let mut episode = Episode::new(number);
            episode.title = form.optional("title");
            episode.air_date = date;
            episode.runtime = runtime;
            s.episodes.push(episode);
            s.episodes.sort_by_key(|e| e.number);
            Ok(Outcome::Apply {
                edit: put_show(franchise, new),
                message: format!("added {} {code}", show.title),
                select: Some(Target::Episode(show.id.clone(), n, number)),
            })
        }
        _ => Err(()),
    }
}

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
