//! The facts form (`i`): one field per fact of the selected show, season, episode or
//! franchise; applied as one `PutShow` / `PutFranchise` built from the old value.

use super::form::Outcome;
use super::form::{Field, Form, Purpose};
use crate::model::{
    Edit, Library, NodeId, NodeRef, Origin, OriginKind, Renewal, Role, Score, Show, Target,
};

pub use crate::model::validate::STATUSES;

pub const ORIGINS: [OriginKind; 3] = [OriginKind::SpinOff, OriginKind::Sequel, OriginKind::Prequel];

const DATE: &str = "YYYY-MM-DD";

fn date_text(date: Option<jiff::civil::Date>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

fn num_text(n: Option<impl ToString>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

fn role_text(role: &Role) -> String {
    crate::present::role(role)
}

/// The other shows of the franchise a show can grow out of, in the franchise's order.
fn parents<'a>(library: &'a Library, franchise: usize, show_id: &str) -> Vec<&'a Show> {
    library
        .franchises
        .get(franchise)
        .map(|f| {
            f.shows
                .iter()
                .map(|s| &**s)
                .filter(|s| s.id != show_id)
                .collect()
        })
        .unwrap_or_default()
}

/// The form for the node at `id`.
pub fn form(library: &Library, id: NodeId) -> Result<Form, String> {
    let node = library.node(id).ok_or("nothing selected")?;
    let target = library.target(id).ok_or("nothing selected")?;
    let purpose = Purpose::Facts(target);
    Ok(match node {
        NodeRef::Franchise(f) => Form::new(
            format!("Edit {}", f.title),
            purpose,
            vec![
                Field::line("title", "Title", &f.title, "required"),
                Field::line(
                    "based_on",
                    "Based on",
                    f.based_on.as_deref().unwrap_or(""),
                    "",
                ),
            ],
        ),
        NodeRef::Show(_, show) => {
            let parents = parents(library, id.franchise(), &show.id);
            let mut options = vec!["none".to_string()];
            options.extend(parents.iter().map(|s| s.title.clone()));
            let parent_at = show
                .origin
                .as_ref()
                .and_then(|o| parents.iter().position(|p| p.id == o.show))
                .map_or(0, |i| i + 1);
            let kind_at = show
                .origin
                .as_ref()
                .and_then(|o| ORIGINS.iter().position(|k| *k == o.kind))
                .unwrap_or(0);
            let status_at = STATUSES.iter().position(|s| *s == show.status).unwrap_or(0);
            let rt = show.rotten_tomatoes.clone().unwrap_or_default();
            let cast: Vec<String> = show.cast.iter().map(role_text).collect();
            Form::new(
                format!("Edit {}", show.title),
                purpose,
                vec![
                    Field::line("title", "Title", &show.title, "required"),
                    Field::line(
                        "network",
                        "Network",
                        show.network.as_deref().unwrap_or(""),
                        "",
                    ),
                    Field::choice(
                        "status",
                        "Status",
                        STATUSES.iter().map(ToString::to_string).collect(),
                        status_at,
                    ),
                    Field::line("premiere", "Premiere", &date_text(show.premiere), DATE),
                    Field::line("finale", "Finale", &date_text(show.finale), DATE),
                    Field::line(
                        "renewal",
                        "Renewed for",
                        &num_text(show.renewal.as_ref().map(|r| r.season)),
                        "season number",
                    ),
                    Field::line(
                        "announced",
                        "  announced",
                        &date_text(show.renewal.as_ref().and_then(|r| r.announced)),
                        DATE,
                    ),
                    Field::line(
                        "tomatometer",
                        "Tomatometer",
                        &num_text(rt.tomatometer),
                        "0–100",
                    ),
                    Field::line(
                        "popcornmeter",
                        "Popcornmeter",
                        &num_text(rt.popcornmeter),
                        "0–100",
                    ),
                    Field::line(
                        "creators",
                        "Creators",
                        &show.creators.join(", "),
                        "comma-separated",
                    ),
                    Field::rows("cast", "Cast", &cast, "Actor as Character, one a row"),
                    Field::line(
                        "based_on",
                        "Based on",
                        show.based_on.as_deref().unwrap_or(""),
                        "",
                    ),
                    Field::choice("parent", "Grew out of", options, parent_at),
                    Field::choice(
                        "origin",
                        "  as a",
                        ORIGINS.iter().map(ToString::to_string).collect(),
                        kind_at,
                    ),
                ],
            )
        }
        NodeRef::Season(show, season) => {
            let rt = season.rotten_tomatoes.clone().unwrap_or_default();
            Form::new(
                format!("Edit {} season {}", show.title, season.number),
                purpose,
                vec![
                    Field::line("premiere", "Premiere", &date_text(season.premiere), DATE),
                    Field::line(
                        "tomatometer",
                        "Tomatometer",
                        &num_text(rt.tomatometer),
                        "0–100",
                    ),
                    Field::line(
                        "popcornmeter",
                        "Popcornmeter",
                        &num_text(rt.popcornmeter),
                        "0–100",
                    ),
                    Field::rows("adapts", "Adapts", &season.adapts, "a novel a row"),
                ],
            )
        }
        NodeRef::Episode(show, season, e) => Form::new(
            format!(
                "Edit {} {}",
                show.title,
                crate::model::episode_code(season.number, e.number)
            ),
            purpose,
            vec![
                Field::line(
                    "title",
                    "Title",
                    e.title.as_deref().unwrap_or(""),
                    "unknown",
                ),
                Field::line("air_date", "Air date", &date_text(e.air_date), DATE),
                Field::line("runtime", "Runtime", &num_text(e.runtime), "minutes"),
                Field::line(
                    "directed_by",
                    "Directed by",
                    e.directed_by.as_deref().unwrap_or(""),
                    "",
                ),
                Field::line(
                    "written_by",
                    "Written by",
                    e.written_by.as_deref().unwrap_or(""),
                    "",
                ),
            ],
        ),
    })
}

/// Reads the two score fields: `None` when both are empty.
pub fn scores(form: &mut Form) -> Result<Option<Score>, ()> {
    let tomatometer = form.score("tomatometer");
    let popcornmeter = form.score("popcornmeter");
    let (tomatometer, popcornmeter) = (tomatometer?, popcornmeter?);
    Ok(
        (tomatometer.is_some() || popcornmeter.is_some()).then_some(Score {
            tomatometer,
            popcornmeter,
        }),
    )
}

/// "Actor as Character" → a role.
fn role(text: &str) -> Role {
    match text.split_once(" as ") {
        Some((actor, character)) if !character.trim().is_empty() => Role {
            actor: actor.trim().to_string(),
            character: Some(character.trim().to_string()),
        },
        _ => Role {
            actor: text.trim().to_string(),
            character: None,
        },
    }
}

/// Where the show of `target` is: (franchise index, franchise id, the show).
pub fn show_of<'a>(library: &'a Library, target: &Target) -> Option<(usize, String, &'a Show)> {
    let id = match target {
        Target::Show(id) | Target::Season(id, _) | Target::Episode(id, ..) => id,
        Target::Franchise(_) => return None,
    };
    let (f, s) = library.find_show(id)?;
    let franchise = library.franchises.get(f)?;
    Some((f, franchise.id.clone(), library.show_at(f, s)?))
}

/// The edit that puts `show` in place of the show with its id.
pub fn put_show(franchise: String, show: Show) -> Edit {
    Edit::PutShow {
        franchise,
        id: show.id.clone(),
        at: None,
        show: Some(Box::new(show)),
    }
}

pub fn apply(form: &mut Form, library: &Library, target: &Target) -> Result<Outcome, ()> {
    let gone = |form: &mut Form| {
        form.note = Some("it is no longer in the library".into());
    };
    if let Target::Franchise(id) = target {
        let Some(old) = library.franchises.iter().find(|f| f.id == *id) else {
            gone(form);
            return Err(());
        };
        let title = form.required("title", "the title");
        let mut new = old.clone();
        new.title = title.ok_or(())?;
        new.based_on = form.optional("based_on");
        if new == *old {
            return Ok(Outcome::Unchanged(format!(
                "{}: nothing changed",
                old.title
            )));
        }
        return Ok(Outcome::Apply {
            message: format!("{} updated", new.title),
            edit: Edit::PutFranchise {
                id: id.clone(),
                at: None,
                franchise: Some(Box::new(new)),
            },
            select: Some(target.clone()),
        });
    }
    let Some((f, franchise, old)) = show_of(library, target) else {
        gone(form);
        return Err(());
    };
    let mut new = old.clone();
    let label = match target {
        Target::Show(_) => {
            let title = form.required("title", "the title");
            let premiere = form.date("premiere");
            let finale = form.date("finale");
            let renewal = form.number("renewal", "season");
            let announced = form.date("announced");
            let scores = scores(form);
            if matches!((&renewal, &announced), (Ok(None), Ok(Some(_)))) {
                form.fail("renewal", "a renewal needs its season number");
                return Err(());
            }
            // Every field is checked (and marked) before the first error stops the apply.
            let (title, premiere, finale, renewal, announced, scores) = (
                title.ok_or(())?,
                premiere?,
                finale?,
                renewal?,
                announced?,
                scores?,
            );
            new.title = title;
            new.premiere = premiere;
            new.finale = finale;
            new.renewal = renewal.map(|season| Renewal { season, announced });
            new.rotten_tomatoes = scores;
            new.network = form.optional("network");
            new.status = STATUSES
                .get(form.chosen("status"))
                .copied()
                .unwrap_or(old.status);
            new.creators = form
                .value("creators")
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect();
            let cast_field = form
                .field("cast")
                .map(Field::rows_value)
                .unwrap_or_default();
            new.cast = cast_field.iter().map(|r| role(r)).collect();
            new.based_on = form.optional("based_on");
            let parents = parents(library, f, &old.id);
            new.origin = match form.chosen("parent").checked_sub(1) {
                None => None,
                Some(i) => parents.get(i).map(|p| Origin {
                    show: p.id.clone(),
                    kind: ORIGINS
                        .get(form.chosen("origin"))
                        .copied()
                        .unwrap_or(OriginKind::SpinOff),
                }),
            };
            new.title.clone()
        }
        Target::Season(_, n) => {
            let premiere = form.date("premiere");
            let scores = scores(form);
            let (premiere, scores) = (premiere?, scores?);
            let adapts = form
                .field("adapts")
                .map(Field::rows_value)
                .unwrap_or_default();
            let Some(season) = new.season_mut(*n) else {
                gone(form);
                return Err(());
            };
            season.premiere = premiere;
            season.rotten_tomatoes = scores;
            season.adapts = adapts;
            format!("{} season {n}", old.title)
        }
        Target::Episode(_, n, e) => {
            let air_date = form.date("air_date");
            let runtime = form.runtime("runtime");
            let (air_date, runtime) = (air_date?, runtime?);
            let title = form.optional("title");
            let directed_by = form.optional("directed_by");
            let written_by = form.optional("written_by");
            let Some(episode) = new.season_mut(*n).and_then(|s| s.episode_mut(*e)) else {
                gone(form);
                return Err(());
            };
            episode.title = title;
            episode.air_date = air_date;
            episode.runtime = runtime;
            episode.directed_by = directed_by;
            episode.written_by = written_by;
            format!("{} {}", old.title, crate::model::episode_code(*n, *e))
        }
        Target::Franchise(_) => return Err(()),
    };
    if new == *old {
        return Ok(Outcome::Unchanged(format!("{label}: nothing changed")));
    }
    Ok(Outcome::Apply {
        edit: put_show(franchise, new),
        message: format!("{label}: facts updated"),
        select: Some(target.clone()),
    })
}
