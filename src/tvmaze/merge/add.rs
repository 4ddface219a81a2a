//! A new show from TVmaze placed in a franchise, or merged into the one with its TVmaze id.

use jiff::civil::Date;

use super::update::update;
use crate::catalog::{Change, ChangeKind};
use crate::model::{Franchise, Library, Origin, OriginKind, Show};
use crate::tvmaze::json::Fetched;
use crate::tvmaze::map;

/// Where a new show goes. Both `None`: a new franchise named after the show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placement {
    /// A franchise id or title; a new franchise of that name when none has it.
    pub franchise: Option<String>,
    /// The show (id or title) it grew out of, and how.
    pub origin: Option<(String, OriginKind)>,
}

/// What an add did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    pub show_id: String,
    pub title: String,
    pub franchise: String,
    /// False when the show was already there (matched by TVmaze id) and was merged.
    pub new: bool,
    pub changes: Vec<Change>,
}

/// Finds a show by its TVmaze id: (franchise, show) indices.
pub fn find_by_tvmaze(library: &Library, id: u64) -> Option<(usize, usize)> {
    library.franchises.iter().enumerate().find_map(|(f, fr)| {
        fr.shows
            .iter()
            .position(|s| s.ids.tvmaze == Some(id))
            .map(|s| (f, s))
    })
}

/// Finds a show by id, or by title ignoring case.
fn find_show(library: &Library, key: &str) -> Option<(usize, usize)> {
    library.find_show(key).or_else(|| {
        library.franchises.iter().enumerate().find_map(|(f, fr)| {
            fr.shows
                .iter()
                .position(|s| s.title.to_lowercase() == key.to_lowercase())
                .map(|s| (f, s))
        })
    })
}

/// Adds the show, or merges it into the one with its TVmaze id.
pub fn add(
    library: &mut Library,
    fetched: &Fetched,
    place: &Placement,
    today: Date,
) -> Result<Added, String> {
    if let Some((f, s)) = find_by_tvmaze(library, fetched.show.id)
        && let Some(franchise) = library.franchises.get_mut(f)
        && let Some(show) = franchise.shows.get_mut(s)
    {
        let changes = update(show, fetched, today, &library.removed);
        return Ok(Added {
            show_id: show.id.clone(),
            title: show.title.clone(),
            franchise: franchise.title.clone(),
            new: false,
            changes,
        });
    }
    let origin = match &place.origin {
        Some((key, kind)) => {
            let (f, parent) = find_show(library, key)
                .and_then(|(f, s)| {
                    let show = library.franchises.get(f)?.shows.get(s)?;
                    Some((f, show.id.clone()))
                })
                .ok_or_else(|| {
                    format!("no show \"{key}\" to attach it to (give a show id or title)")
                })?;
            Some((f, parent, *kind))
        }
        None => None,
    };
    let title = map::show_facts(&fetched.show).title;
    let f = match (&place.franchise, &origin) {
        (Some(name), _) => {
            let lower = name.to_lowercase();
            let found = library
                .franchises
                .iter()
                .position(|fr| fr.id == *name || fr.title.to_lowercase() == lower);
            match (found, &origin) {
                (Some(f), Some((of, parent, _))) if f != *of => {
                    return Err(format!(
                        "\"{parent}\" is in the franchise \"{}\", not \"{}\"",
                        franchise_title(library, *of),
                        franchise_title(library, f)
                    ));
                }
                (Some(f), _) => f,
                (None, Some((_, parent, _))) => {
                    return Err(format!(
                        "no franchise \"{name}\"; \"{parent}\" is in \"{}\"",
                        origin_franchise(library, &origin)
                    ));
                }
                (None, None) => new_franchise(library, name),
            }
        }
        (None, Some((of, _, _))) => *of,
        (None, None) => new_franchise(library, &title),
    };
    let id = crate::model::unique_id(&map::slug(&title), |id| library.find_show(id).is_some());
    let mut show = map::to_show(fetched, &id, today);
    if let Some((_, parent, kind)) = origin {
        show.origin = Some(Origin { show: parent, kind });
    }
    let changes = vec![Change {
        kind: ChangeKind::NewShow,
        what: format!("{} (new show, {})", show.title, counts(&show)),
    }];
    let Some(franchise) = library.franchises.get_mut(f) else {
        return Err(format!("no franchise for \"{title}\""));
    };
    franchise.shows.push(show.into());
    Ok(Added {
        show_id: id,
        title,
        franchise: franchise.title.clone(),
        new: true,
        changes,
    })
}

fn origin_franchise(library: &Library, origin: &Option<(usize, String, OriginKind)>) -> String {
    origin
        .as_ref()
        .map(|(f, _, _)| franchise_title(library, *f).to_string())
        .unwrap_or_default()
}

fn franchise_title(library: &Library, f: usize) -> &str {
    library.franchises.get(f).map_or("", |fr| fr.title.as_str())
}

fn new_franchise(library: &mut Library, title: &str) -> usize {
    let id = crate::model::unique_id(&map::slug(title), |id| {
        library.franchises.iter().any(|f| f.id == id)
    });
    library.franchises.push(Franchise {
        id,
        title: title.to_string(),
        based_on: None,
        notes: String::new(),
        shows: Vec::new(),
        watch_order: Vec::new(),
    });
    library.franchises.len() - 1
}

/// "3 seasons, 24 episodes, 2 specials".
fn counts(show: &Show) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let episodes: usize = show.seasons.iter().map(|s| s.episodes.len()).sum();
    let specials: usize = show.seasons.iter().map(|s| s.specials.len()).sum();
    let mut out = format!(
        "{}, {}",
        plural(show.seasons.len(), "season", "seasons"),
        plural(episodes, "episode", "episodes")
    );
    if specials > 0 {
        out.push_str(&format!(", {}", plural(specials, "special", "specials")));
    }
    out
}
