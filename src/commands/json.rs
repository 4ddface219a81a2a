//! The `--json` documents of `path`, `check`, `list`, `show`, `next` and `stats`.

use std::path::Path;

use jiff::civil::Date;

use super::check::CheckReport;
use super::view::{NEXT_RULE, next_episodes, show_facts};
use crate::error::Result;
use crate::model::{Episode, Library, episode_code};
use crate::present;
use crate::tree;

// ---------------------------------------------------------------------------------------------
// --json: one document on stdout, the shapes documented in the README ("Machine-readable
// output"). Fields are only ever added, never renamed or removed.

/// A `--json` document: pretty, one trailing newline.
pub(crate) fn to_json(value: &serde_json::Value) -> String {
    // A Value always serializes; the fallback keeps this free of a panic path.
    let mut out = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into());
    out.push('\n');
    out
}

fn episode_json(season: u32, e: &Episode) -> serde_json::Value {
    serde_json::json!({
        "code": episode_code(season, e.number),
        "season": season,
        "number": e.number,
        "title": e.title,
        "air_date": e.air_date,
        "runtime": e.runtime,
        "watched": e.watched,
        "rating": e.rating,
    })
}

/// `path --json`: `{"path": …, "exists": bool}`.
pub fn path_json(path: &Path) -> String {
    to_json(&serde_json::json!({
        "path": path.display().to_string(),
        "exists": path.exists(),
    }))
}

/// `check --json`: the [`CheckReport`].
pub fn check_json(report: &CheckReport) -> String {
    to_json(&serde_json::to_value(report).unwrap_or_default())
}

/// `list --json`: franchises, their shows (with `parent`) and seasons, with progress.
pub fn list_json(library: &Library) -> String {
    let franchises: Vec<serde_json::Value> = library
        .franchises
        .iter()
        .map(|f| {
            let p = f.progress();
            let shows: Vec<serde_json::Value> = f
                .shows
                .iter()
                .map(|show| {
                    let p = show.progress();
                    let seasons: Vec<serde_json::Value> = show
                        .seasons
                        .iter()
                        .map(|se| {
                            let p = se.progress();
                            serde_json::json!({
                                "number": se.number,
                                "watched": p.watched,
                                "total": p.total,
                            })
                        })
                        .collect();
                    serde_json::json!({
                        "id": show.id,
                        "title": show.title,
                        "parent": show.origin.as_ref().map(|o| o.show.clone()),
                        "tag": tree::show_tag(show),
                        "watched": p.watched,
                        "total": p.total,
                        "seasons": seasons,
                    })
                })
                .collect();
            serde_json::json!({
                "id": f.id,
                "title": f.title,
                "watched": p.watched,
                "total": p.total,
                "shows": shows,
            })
        })
        .collect();
    to_json(&serde_json::json!({ "franchises": franchises }))
}

/// `show SHOW --json`: the facts as printed, then every season and episode.
pub fn show_json(library: &Library, key: &str) -> Result<String> {
    // JSON keeps YYYY-MM-DD whatever the config says.
    let (franchise, show, facts) = show_facts(library, key, &present::Dates::default())?;
    let p = show.progress();
    let facts: Vec<serde_json::Value> = facts
        .iter()
        .map(|f| serde_json::json!({ "label": f.label, "value": f.value }))
        .collect();
    let seasons: Vec<serde_json::Value> = show
        .seasons
        .iter()
        .map(|se| {
            let episodes: Vec<serde_json::Value> = se
                .episodes
                .iter()
                .map(|e| episode_json(se.number, e))
                .collect();
            serde_json::json!({ "number": se.number, "episodes": episodes })
        })
        .collect();
    Ok(to_json(&serde_json::json!({
        "id": show.id,
        "title": show.title,
        "franchise": franchise.id,
        "watched": p.watched,
        "total": p.total,
        "notes": show.notes,
        "facts": facts,
        "seasons": seasons,
    })))
}

/// `next --json`: the rule, each show's next episode (or `null`) and the skipped codes;
/// `franchises` only with `--franchise`.
pub fn next_json(library: &Library, franchise: bool) -> String {
    let shows: Vec<serde_json::Value> = next_episodes(library)
        .iter()
        .map(|n| {
            serde_json::json!({
                "show": n.show.id,
                "title": n.show.title,
                "next": n.next.map(|(season, e)| episode_json(season, e)),
                "not_watched_before": n.skipped,
            })
        })
        .collect();
    let mut doc = serde_json::json!({ "rule": NEXT_RULE, "shows": shows });
    if franchise {
        let order = library.settings.order;
        let franchises: Vec<serde_json::Value> = library
            .franchises
            .iter()
            .map(|f| {
                let next =
                    f.next_in(&f.order(order))
                        .and_then(|at| f.at(at))
                        .map(|(show, season, e)| {
                            let mut e = episode_json(season.number, e);
                            if let Some(map) = e.as_object_mut() {
                                map.insert("show".into(), show.id.clone().into());
                            }
                            e
                        });
                serde_json::json!({ "id": f.id, "order": order.to_string(), "next": next })
            })
            .collect();
        if let Some(map) = doc.as_object_mut() {
            map.insert("franchises".into(), franchises.into());
        }
    }
    to_json(&doc)
}

/// `stats --json`: the [`LibraryStats`](crate::model::LibraryStats) document.
pub fn stats_json(library: &Library, today: Date) -> String {
    to_json(&serde_json::to_value(crate::model::library_stats(library, today)).unwrap_or_default())
}
