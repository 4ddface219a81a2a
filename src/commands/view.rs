//! `list`, `show` and `next`: the library read, as text.

use std::fmt::Write as _;

use crate::error::{Error, Result};
use crate::model::{Episode, Library, NodeRef, Show, ShowLookup, episode_code};
use crate::present::{self, Fact};
use crate::tree;

/// `list`: the family tree with progress, aligned in columns.
pub fn list(library: &Library) -> String {
    let rows = tree::visible_rows(library, &tree::all_but_episodes(library));
    let lines: Vec<(String, String, String)> = rows
        .iter()
        .map(|row| {
            let indent = "  ".repeat(row.depth);
            let tag = match library.node(row.id) {
                Some(NodeRef::Show(_, show)) => tree::show_tag(show),
                _ => String::new(),
            };
            let progress = tree::progress(library, row.id)
                .map(|p| p.to_string())
                .unwrap_or_default();
            (
                format!("{indent}{}", tree::title(library, row.id)),
                tag,
                progress,
            )
        })
        .collect();
    let width = |f: fn(&(String, String, String)) -> &String| {
        lines
            .iter()
            .map(|l| f(l).chars().count())
            .max()
            .unwrap_or(0)
    };
    let (w_title, w_tag, w_prog) = (width(|l| &l.0), width(|l| &l.1), width(|l| &l.2));
    let mut out = String::new();
    for (title, tag, progress) in &lines {
        let line = format!("{title:<w_title$}  {tag:<w_tag$}  {progress:>w_prog$}");
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}

/// Finds a show by id, title, or a unique prefix or word of either (see
/// [`Library::lookup_show`]); the error lists the candidates or the closest ids.
pub fn named_show(library: &Library, key: &str) -> Result<(usize, usize)> {
    match library.lookup_show(key) {
        ShowLookup::Found(at) => Ok(at),
        ShowLookup::Ambiguous(ids) => Err(Error::Other(format!(
            "\"{key}\" fits several shows: {}; say which",
            ids.join(", ")
        ))),
        ShowLookup::NoMatch(near) if !near.is_empty() => Err(Error::Other(format!(
            "no show \"{key}\"; did you mean {}?",
            near.join(" or ")
        ))),
        ShowLookup::NoMatch(_) => {
            let ids: Vec<&str> = library
                .franchises
                .iter()
                .flat_map(|f| f.shows.iter().map(|s| s.id.as_str()))
                .collect();
            Err(Error::NoShow {
                key: key.to_string(),
                ids: ids.join(", "),
            })
        }
    }
}

/// `show SHOW`: the show's facts, one per line (the same rows as the TUI's details pane).
/// Dates read as `dates` says.
pub fn show(library: &Library, key: &str, dates: &present::Dates) -> Result<String> {
    show_facts(library, key, dates).map(|(_, _, facts)| present::facts_text(&facts))
}

/// The show `key` names, its franchise and its facts (the rows `show` prints).
pub(super) fn show_facts<'a>(
    library: &'a Library,
    key: &str,
    dates: &present::Dates,
) -> Result<(&'a crate::model::Franchise, &'a Show, Vec<Fact>)> {
    let (f, s) = named_show(library, key)?;
    let (Some(franchise), Some(show)) = (library.franchises.get(f), library.show_at(f, s)) else {
        return Err(Error::Other(format!("no show \"{key}\"")));
    };
    let mut facts = vec![Fact::new("Show", format!("{} ({})", show.title, show.id))];
    facts.extend(present::show_facts(franchise, show, dates));
    facts.extend(present::cast_facts(show));
    let p = show.progress();
    facts.push(Fact::new(
        "Progress",
        format!("{p} watched ({}%)", (p.ratio() * 100.0).round()),
    ));
    if !show.notes.is_empty() {
        facts.push(Fact::new("Notes", show.notes.clone()));
    }
    Ok((franchise, show, facts))
}

/// The rule `next` follows, said in `--help`, the README and `next --json`.
pub const NEXT_RULE: &str =
    "the episode after the furthest one watched; earlier unwatched episodes are named";

/// One show's next episode under [`NEXT_RULE`] and the earlier ones left unwatched.
pub struct NextEpisode<'a> {
    pub show: &'a Show,
    /// (season number, episode); `None` when all are watched.
    pub next: Option<(u32, &'a Episode)>,
    /// Codes of unwatched episodes before `next`, in order.
    pub skipped: Vec<String>,
}

/// [`NextEpisode`] of every show that has episodes.
pub fn next_episodes(library: &Library) -> Vec<NextEpisode<'_>> {
    library
        .franchises
        .iter()
        .flat_map(|f| &f.shows)
        .map(|s| &**s)
        .filter(|s| s.seasons.iter().any(|se| !se.episodes.is_empty()))
        .map(|show| {
            let next = show.next_unwatched();
            let skipped = match next {
                None => Vec::new(),
                Some((season, e)) => show
                    .episodes()
                    .take_while(|(sn, x)| (*sn, x.number) != (season, e.number))
                    .filter(|(_, x)| !x.is_watched())
                    .map(|(sn, x)| episode_code(sn, x.number))
                    .collect(),
            };
            NextEpisode {
                show,
                next,
                skipped,
            }
        })
        .collect()
}

/// "S01E01 not watched", "S01E01, S01E02 and 3 more not watched".
fn skipped_text(skipped: &[String]) -> String {
    match skipped.len() {
        0 => String::new(),
        1..=3 => format!("  ({} not watched)", skipped.join(", ")),
        n => format!(
            "  ({} and {} more not watched)",
            skipped.get(..3).unwrap_or_default().join(", "),
            n - 3
        ),
    }
}

/// `next`: the next unwatched episode of each show that has episodes; with `franchise`, first
/// the next episode of each franchise in its chosen watch order.
/// Dates read as `dates` says.
pub fn next(library: &Library, franchise: bool, dates: &present::Dates) -> String {
    let mut out = String::new();
    let name = |title: &str, season: u32, e: &crate::model::Episode| {
        format!(
            "{title}  {}  {}{}",
            episode_code(season, e.number),
            e.display_title(),
            e.air_date
                .map(|d| format!("  ({})", dates.show(d)))
                .unwrap_or_default()
        )
    };
    if franchise {
        let order = library.settings.order;
        for f in &library.franchises {
            let next = f.next_in(&f.order(order)).map_or_else(
                || "all watched".to_string(),
                |at| match f.at(at) {
                    Some((show, season, e)) => name(&show.title, season.number, e),
                    None => "all watched".to_string(),
                },
            );
            let _ = writeln!(out, "{} ({order}): {next}", f.title);
        }
    }
    let shows = next_episodes(library);
    let width = shows
        .iter()
        .map(|n| n.show.title.chars().count())
        .max()
        .unwrap_or(0);
    for n in shows {
        let what = match n.next {
            Some((season, e)) => format!(
                "{}{}",
                name("", season, e).trim_start(),
                skipped_text(&n.skipped)
            ),
            None => "all watched".into(),
        };
        let _ = writeln!(out, "{:<width$}  {what}", n.show.title);
    }
    out
}
