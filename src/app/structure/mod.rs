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

pub use delete::removal;

mod delete;

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
