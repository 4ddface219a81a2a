//! [`update`]: what TVmaze gives now merged into a show, what the user deleted kept out.

use std::collections::BTreeSet;

use jiff::civil::Date;

use super::facts::Merge;
use crate::catalog::{Change, ChangeKind};
use crate::model::{Episode, Event, EventKind, Season, Show, Status, episode_code};
use crate::tvmaze::SOURCE_KEY;
use crate::tvmaze::json::{self, Fetched};
use crate::tvmaze::map;

/// Merges what TVmaze gives now into `show` (its TVmaze show): the changes, in show order.
/// A season or episode `removed` (the library's tombstones) names is not brought back.
pub fn update(
    show: &mut Show,
    fetched: &Fetched,
    today: Date,
    removed: &BTreeSet<String>,
) -> Vec<Change> {
    let mut m = Merge {
        changes: Vec::new(),
        removed,
        said: Vec::new(),
    };
    let s = &fetched.show;
    let new = map::show_facts(s);
    let label = show.title.clone();
    let l = label.as_str();
    let page = map::page(s);

    let mut base = show.tvmaze.take();
    m.fact(
        l,
        "title",
        &mut show.title,
        base.as_mut().map(|b| &mut b.title),
        &new.title,
    );
    m.fact(
        l,
        "network",
        &mut show.network,
        base.as_mut().map(|b| &mut b.network),
        &new.network,
    );
    m.fact(
        l,
        "premiere",
        &mut show.premiere,
        base.as_mut().map(|b| &mut b.premiere),
        &new.premiere,
    );
    m.fact(
        l,
        "finale",
        &mut show.finale,
        base.as_mut().map(|b| &mut b.finale),
        &new.finale,
    );
    m.fact(
        l,
        "summary",
        &mut show.summary,
        base.as_mut().map(|b| &mut b.summary),
        &new.summary,
    );

    // Status: TVmaze's word changed → a timeline event; our status follows only a word that
    // certainly maps, and only when the user did not set it by hand.
    let old_word = base
        .as_ref()
        .map(|b| b.status.clone())
        .filter(|w| !w.is_empty());
    if !new.status.is_empty() && old_word.as_deref() != Some(new.status.as_str()) {
        if let Some(old) = &old_word {
            show.events.push(Event {
                kind: if new.status == "Ended" {
                    EventKind::Ended
                } else {
                    EventKind::Other
                },
                date: Some(today),
                when: None,
                what: format!("TVmaze status: {old} → {}", new.status),
                sources: vec![page.clone()],
                yours: false,
            });
            m.push(
                ChangeKind::Fact,
                format!("{l}: TVmaze status {old} → {} (timeline event)", new.status),
            );
        }
        if let Some(status) = map::certain_status(&new.status) {
            let edited = match old_word.as_deref().and_then(map::certain_status) {
                Some(was) => show.status != was,
                // The status was derived from dates (or the show has no base): only running
                // and upcoming can have come from there.
                None => !matches!(
                    show.status,
                    Status::Running | Status::Upcoming | Status::Unknown
                ),
            };
            if show.status != status {
                if edited {
                    m.push(
                        ChangeKind::KeptUserEdit,
                        format!(
                            "{l}: status kept yours, {} (TVmaze: {})",
                            show.status, new.status
                        ),
                    );
                } else {
                    m.push(
                        ChangeKind::Fact,
                        format!("{l}: status {} → {status}", show.status),
                    );
                    show.status = status;
                }
            }
        }
    }
    show.tvmaze = Some(match base {
        Some(mut b) => {
            if !new.status.is_empty() {
                b.status = new.status.clone();
            }
            b
        }
        None => new.clone(),
    });

    // Ids and the source: gaps only.
    let ids = map::ids(s);
    if show.ids.tvmaze.is_none() {
        show.ids.tvmaze = ids.tvmaze;
    }
    if show.ids.thetvdb.is_none() && ids.thetvdb.is_some() {
        show.ids.thetvdb = ids.thetvdb;
    }
    if show.ids.imdb.is_none() && ids.imdb.is_some() {
        show.ids.imdb = ids.imdb;
    }
    let urls = show.sources.entry(SOURCE_KEY.to_string()).or_default();
    if !urls.contains(&page) {
        urls.push(page);
    }
    if show.cast.is_empty() && !fetched.cast.is_empty() {
        show.cast = map::cast(&fetched.cast);
        m.push(
            ChangeKind::Fact,
            format!("{l}: cast ({} roles)", show.cast.len()),
        );
    }

    for e in fetched.episodes.iter().filter(|e| e.number.is_some()) {
        regular(&mut m, show, l, s, e);
    }
    for e in map::specials_in_order(fetched.episodes.iter().filter(|e| e.number.is_none())) {
        special(&mut m, show, l, s, e);
    }
    m.changes
}

/// Where an episode with this TVmaze id is: (season index, special?, index).
fn locate(show: &Show, id: u64) -> Option<(usize, bool, usize)> {
    show.seasons.iter().enumerate().find_map(|(si, se)| {
        let find = |list: &[Episode]| list.iter().position(|e| e.ids.tvmaze == Some(id));
        find(&se.episodes)
            .map(|i| (si, false, i))
            .or_else(|| find(&se.specials).map(|i| (si, true, i)))
    })
}

/// The season, created (in number order) when the show lacks it.
fn season_mut<'s>(
    m: &mut Merge,
    show: &'s mut Show,
    l: &str,
    number: u32,
) -> Option<&'s mut Season> {
    let at = match show.seasons.iter().position(|s| s.number == number) {
        Some(i) => i,
        None => {
            let at = show
                .seasons
                .iter()
                .take_while(|s| s.number < number)
                .count();
            show.seasons.insert(at, Season::new(number));
            m.push(
                ChangeKind::NewSeason,
                format!("{l} season {number} (new season)"),
            );
            at
        }
    };
    show.seasons.get_mut(at)
}

/// The episode at a place `locate` found, with its season's number.
fn episode_at(
    show: &mut Show,
    (si, special, i): (usize, bool, usize),
) -> Option<(u32, &mut Episode)> {
    let se = show.seasons.get_mut(si)?;
    let number = se.number;
    let list = if special {
        &mut se.specials
    } else {
        &mut se.episodes
    };
    Some((number, list.get_mut(i)?))
}

fn regular(m: &mut Merge, show: &mut Show, l: &str, s: &json::Show, e: &json::Episode) {
    let Some(number) = e.number else { return };
    let facts = map::episode_facts(s, e);
    let found = match locate(show, e.id) {
        Some(at) => Some(at),
        None => show
            .seasons
            .iter()
            .enumerate()
            .find(|(_, se)| se.number == e.season)
            .and_then(|(si, se)| {
                let i = se.episodes.iter().position(|x| x.number == number)?;
                Some((si, false, i))
            }),
    };
    let code = episode_code(e.season, number);
    match found {
        Some(at) => {
            let Some((season, ep)) = episode_at(show, at) else {
                return;
            };
            if ep.ids.tvmaze.is_some_and(|id| id != e.id) {
                let theirs = facts.title.clone().unwrap_or_default();
                m.push(
                    ChangeKind::KeptUserEdit,
                    format!("{l} {code}: kept yours, another episode than TVmaze's \"{theirs}\""),
                );
                return;
            }
            let label = format!("{l} {}", episode_code(season, ep.number));
            m.episode(&label, ep, &facts, e.id);
        }
        None => {
            if m.deleted(&show.id, l, e.season, Some(number)) {
                return;
            }
            let Some(se) = season_mut(m, show, l, e.season) else {
                return;
            };
            let at = se.episodes.iter().take_while(|x| x.number < number).count();
            let ep = map::episode(s, e, number);
            let title = ep
                .title
                .as_ref()
                .map(|t| format!(" \"{t}\""))
                .unwrap_or_default();
            se.episodes.insert(at, ep);
            m.push(
                ChangeKind::NewEpisode,
                format!("{l} {code}{title} (new episode)"),
            );
        }
    }
}

fn special(m: &mut Merge, show: &mut Show, l: &str, s: &json::Show, e: &json::Episode) {
    let facts = map::episode_facts(s, e);
    match locate(show, e.id) {
        Some(at) => {
            let Some((number, ep)) = episode_at(show, at) else {
                return;
            };
            let label = format!("{l} season {number} special {}", ep.number);
            m.episode(&label, ep, &facts, e.id);
        }
        None => {
            // Specials have no tombstones of their own; a deleted season keeps its out.
            if m.deleted(&show.id, l, e.season, None) {
                return;
            }
            let Some(se) = season_mut(m, show, l, e.season) else {
                return;
            };
            let n = se.specials.iter().map(|x| x.number).max().unwrap_or(0) + 1;
            let ep = map::episode(s, e, n);
            let title = ep
                .title
                .as_ref()
                .map(|t| format!(" \"{t}\""))
                .unwrap_or_default();
            se.specials.push(ep);
            m.push(
                ChangeKind::NewEpisode,
                format!("{l} season {} special {n}{title} (new special)", se.number),
            );
        }
    }
}
