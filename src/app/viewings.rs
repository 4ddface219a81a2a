//! The watch dates of an episode (`w`): one date a row; change a row to change a viewing,
//! clear it to remove one, add a row to add one. A date in the future or before the episode
//! aired is asked about, not refused (a screener, a festival showing).

use jiff::civil::Date;

use super::form::Outcome;
use super::form::{Field, Form, Purpose};
use crate::model::{Edit, Library, NodeId, NodeRef, Target, episode_code};

pub fn form(library: &Library, id: NodeId) -> Result<Form, String> {
    let (Some(NodeRef::Episode(show, season, e)), Some(target)) =
        (library.node(id), library.target(id))
    else {
        return Err("select an episode to edit its watch dates".into());
    };
    let dates: Vec<String> = e.watched.iter().map(Date::to_string).collect();
    let mut form = Form::new(
        format!(
            "Watch dates: {} {}",
            show.title,
            episode_code(season.number, e.number)
        ),
        Purpose::Viewings(target),
        vec![Field::rows(
            "dates",
            "Watched on",
            &dates,
            "YYYY-MM-DD, one a row",
        )],
    );
    form.note = Some("one date a row; an empty list is unwatched".into());
    Ok(form)
}

pub fn apply(
    form: &mut Form,
    library: &Library,
    target: &Target,
    today: Date,
) -> Result<Outcome, ()> {
    let Target::Episode(show_id, s, e) = target else {
        return Err(());
    };
    let Some(episode) = library
        .locate(target)
        .and_then(|id| library.node(id))
        .and_then(NodeRef::episode)
    else {
        form.note = Some("the episode is no longer in the library".into());
        return Err(());
    };
    let rows = form
        .field("dates")
        .map(Field::rows_value)
        .unwrap_or_default();
    let mut dates = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        match crate::model::validate::date(row) {
            Ok(d) => dates.push(d),
            Err(why) => {
                form.fail("dates", format!("row {}: {why}", i + 1));
                return Err(());
            }
        }
    }
    dates.sort();
    let label = format!(
        "{} {}",
        library
            .find_show(show_id)
            .and_then(|(f, i)| library.show_at(f, i))
            .map_or(show_id.as_str(), |s| s.title.as_str()),
        episode_code(*s, *e)
    );
    if dates == episode.watched {
        return Ok(Outcome::Unchanged(format!(
            "{label}: watch dates unchanged"
        )));
    }
    let n = dates.len();
    let edit = Edit::SetHistories {
        target: target.clone(),
        histories: vec![((*s, *e), dates.clone())],
    };
    let message = match n {
        0 => format!("{label}: unwatched"),
        1 => format!("{label}: watched once"),
        n => format!("{label}: watched {n} times"),
    };
    let listed = |ds: Vec<&Date>, one: &str, many: &str| -> Option<String> {
        let words: Vec<String> = ds.iter().map(|d| d.to_string()).collect();
        match words.len() {
            0 => None,
            1 => Some(format!("{} {one}", words.join(""))),
            _ => Some(format!("{} {many}", words.join(", "))),
        }
    };
    let future = dates.iter().filter(|d| **d > today).collect();
    let early = match episode.air_date {
        Some(aired) => dates.iter().filter(|d| **d < aired).collect(),
        None => Vec::new(),
    };
    let aired = episode.air_date.map(|d| d.to_string()).unwrap_or_default();
    let odd: Vec<String> = [
        listed(future, "is in the future", "are in the future"),
        listed(
            early,
            &format!("is before it aired ({aired})"),
            &format!("are before it aired ({aired})"),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    let select = Some(target.clone());
    if odd.is_empty() {
        Ok(Outcome::Apply {
            edit,
            message,
            select,
        })
    } else {
        Ok(Outcome::Ask {
            question: format!("{}: keep these dates?", odd.join("; ")),
            edit,
            message,
            select,
        })
    }
}
