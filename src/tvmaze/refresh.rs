//! Refreshing shows from TVmaze in two steps the app can run apart: [`fetch`] (the network,
//! without the library or its lock: a background thread) and [`apply`] (quick, on the library).

use jiff::civil::Date;

use super::client::{self, Client};
use super::json::Fetched;
use super::merge;
use crate::catalog::Change;
use crate::model::Library;

/// A show to refresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub tvmaze: u64,
    pub title: String,
}

/// The shows `keys` name (id or title), or, with no keys, every show with a TVmaze id.
pub fn targets(library: &Library, keys: &[String]) -> Result<Vec<Target>, String> {
    let mut out: Vec<Target> = Vec::new();
    if keys.is_empty() {
        for show in library.franchises.iter().flat_map(|f| &f.shows) {
            if let Some(tvmaze) = show.ids.tvmaze {
                out.push(Target {
                    tvmaze,
                    title: show.title.clone(),
                });
            }
        }
        return Ok(out);
    }
    for key in keys {
        let (f, s) = crate::commands::named_show(library, key).map_err(|e| e.to_string())?;
        let show = library
            .franchises
            .get(f)
            .and_then(|fr| fr.shows.get(s))
            .ok_or_else(|| format!("no show \"{key}\""))?;
        let tvmaze = show.ids.tvmaze.ok_or_else(|| {
            format!(
                "\"{}\" has no TVmaze id (it did not come from TVmaze)",
                show.title
            )
        })?;
        if !out.iter().any(|t| t.tvmaze == tvmaze) {
            out.push(Target {
                tvmaze,
                title: show.title.clone(),
            });
        }
    }
    Ok(out)
}

/// What [`fetch`] got: the shows, and one line per show that failed ("Title: why").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fetch {
    pub done: Vec<Fetched>,
    pub failed: Vec<String>,
}

/// Fetches each target in turn (spaced by the client), calling `progress(i, n, title)` before
/// each (1-based). A show that fails is recorded and the others go on.
pub fn fetch(
    client: &mut Client,
    targets: &[Target],
    mut progress: impl FnMut(usize, usize, &str),
) -> Fetch {
    let mut out = Fetch::default();
    for (i, t) in targets.iter().enumerate() {
        progress(i + 1, targets.len(), &t.title);
        match client.fetch(t.tvmaze) {
            Ok(f) => out.done.push(f),
            Err(client::Error::NotFound) => out
                .failed
                .push(format!("{}: no TVmaze show with id {}", t.title, t.tvmaze)),
            Err(e) => out.failed.push(format!("{}: {e}", t.title)),
        }
    }
    out
}

/// One show's refresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refreshed {
    pub title: String,
    pub changes: Vec<Change>,
}

/// Merges fetched shows into the library (each into the show with its TVmaze id; one removed
/// meanwhile is skipped).
pub fn apply(library: &mut Library, fetched: &[Fetched], today: Date) -> Vec<Refreshed> {
    let mut out = Vec::new();
    for f in fetched {
        let Some((fi, si)) = merge::find_by_tvmaze(library, f.show.id) else {
            continue;
        };
        let Some(show) = library
            .franchises
            .get_mut(fi)
            .and_then(|fr| fr.shows.get_mut(si))
        else {
            continue;
        };
        let changes = merge::update(show, f, today, &library.removed);
        out.push(Refreshed {
            title: show.title.clone(),
            changes,
        });
    }
    out
}
