//! A TVmaze show and its episodes → a [`Show`], faithfully: what TVmaze does not say stays
//! unknown.
//!
//! - Status: TVmaze's "Running" → running, "Ended" → ended, "In Development" → upcoming.
//!   [`Status`] cannot say "unknown", so any other word ("To Be Determined", or one TVmaze adds
//!   later) is not mapped: a new show then gets the status its dates prove (upcoming before its
//!   premiere, else running), a refresh leaves the status alone, and TVmaze's own word is kept
//!   in `tvmaze.status`.
//! - Network: the network's name, else the web channel's.
//! - Runtime: the episode's own; else the show's `averageRuntime` (or, in old responses, its
//!   `runtime`), marked `runtime_is_average`; else unknown.
//! - Specials (`number: null`, whatever their `type`) stay in their season as its specials,
//!   numbered 1, 2, … in airing order; regular episodes keep TVmaze's numbers.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::json::{self, Fetched};
use super::{SOURCE_KEY, html};
use crate::model::{Episode, ExternalIds, Role, Season, Show, Status, TvmazeEpisode, TvmazeShow};

/// The status TVmaze's word certainly means; `None` for a word fantrack cannot map.
pub fn certain_status(tvmaze: &str) -> Option<Status> {
    match tvmaze {
        "Running" => Some(Status::Running),
        "Ended" => Some(Status::Ended),
        "In Development" => Some(Status::Upcoming),
        _ => None,
    }
}

/// The status of a new show: the certain one, else what its premiere date proves.
pub fn new_status(tvmaze: &str, premiere: Option<Date>, today: Date) -> Status {
    certain_status(tvmaze).unwrap_or(match premiere {
        Some(p) if p <= today => Status::Running,
        _ => Status::Upcoming,
    })
}

/// A TVmaze date ("YYYY-MM-DD"); "" or anything else is unknown.
pub fn date(s: Option<&str>) -> Option<Date> {
    s.filter(|s| !s.is_empty())?.parse().ok()
}

/// The show's page on TVmaze (the `url` TVmaze gives, else built from the id).
pub fn page(show: &json::Show) -> String {
    show.url
        .clone()
        .unwrap_or_else(|| format!("https://www.tvmaze.com/shows/{}", show.id))
}

/// The show's facts as TVmaze gives them.
pub fn show_facts(show: &json::Show) -> TvmazeShow {
    TvmazeShow {
        title: show.name.trim().to_string(),
        status: show.status.clone().unwrap_or_default(),
        network: show
            .network
            .as_ref()
            .or(show.web_channel.as_ref())
            .map(|c| c.name.trim().to_string())
            .filter(|n| !n.is_empty()),
        premiere: date(show.premiered.as_deref()),
        finale: date(show.ended.as_deref()),
        summary: show.summary.as_deref().and_then(html::to_text),
    }
}

/// An episode's facts as TVmaze gives them, with the show's average runtime as the fallback.
pub fn episode_facts(show: &json::Show, e: &json::Episode) -> TvmazeEpisode {
    let average = show.average_runtime.or(show.runtime).filter(|m| *m > 0);
    let own = e.runtime.filter(|m| *m > 0);
    TvmazeEpisode {
        title: e
            .name
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(String::from),
        air_date: date(e.airdate.as_deref()),
        runtime: own.or(average),
        runtime_is_average: own.is_none() && average.is_some(),
    }
}

pub fn ids(show: &json::Show) -> ExternalIds {
    let ext = show.externals.as_ref();
    ExternalIds {
        tvmaze: Some(show.id),
        thetvdb: ext.and_then(|e| e.thetvdb),
        imdb: ext
            .and_then(|e| e.imdb.clone())
            .filter(|i| !i.trim().is_empty()),
        tmdb: None,
        trakt: None,
    }
}

pub fn cast(cast: &[json::Cast]) -> Vec<Role> {
    cast.iter()
        .map(|c| Role {
            actor: c.person.name.trim().to_string(),
            character: c
                .character
                .as_ref()
                .map(|ch| ch.name.trim().to_string())
                .filter(|n| !n.is_empty()),
        })
        .filter(|r| !r.actor.is_empty())
        .collect()
}

/// An episode as TVmaze gives it, numbered `number` (TVmaze's for a regular one).
pub fn episode(show: &json::Show, e: &json::Episode, number: u32) -> Episode {
    let facts = episode_facts(show, e);
    Episode {
        title: facts.title.clone(),
        air_date: facts.air_date,
        runtime: facts.runtime,
        ids: ExternalIds {
            tvmaze: Some(e.id),
            ..ExternalIds::default()
        }
        .into(),
        tvmaze: Some(Box::new(facts)),
        ..Episode::new(number)
    }
}

/// Specials in airing order (unknown dates last, then TVmaze's order).
pub fn specials_in_order<'a>(
    specials: impl Iterator<Item = &'a json::Episode>,
) -> Vec<&'a json::Episode> {
    let mut list: Vec<&json::Episode> = specials.collect();
    list.sort_by_key(|e| {
        let d = date(e.airdate.as_deref());
        (d.is_none(), d)
    });
    list
}

/// The whole show, with `id` as its fantrack id.
pub fn to_show(fetched: &Fetched, id: &str, today: Date) -> Show {
    let s = &fetched.show;
    let facts = show_facts(s);
    let mut seasons: BTreeMap<u32, Season> = BTreeMap::new();
    for e in &fetched.episodes {
        let Some(number) = e.number else { continue };
        let se = seasons
            .entry(e.season)
            .or_insert_with(|| Season::new(e.season));
        // TVmaze never gives one number twice in a season; if it did, the first one wins
        // (a library cannot hold two).
        if se.episode(number).is_none() {
            se.episodes.push(episode(s, e, number));
        }
    }
    let specials = specials_in_order(fetched.episodes.iter().filter(|e| e.number.is_none()));
    for e in specials {
        let se = seasons
            .entry(e.season)
            .or_insert_with(|| Season::new(e.season));
        let n = se.specials.len() as u32 + 1;
        se.specials.push(episode(s, e, n));
    }
    let mut seasons: Vec<Season> = seasons.into_values().collect();
    for se in &mut seasons {
        se.episodes.sort_by_key(|e| e.number);
    }
    let mut sources = BTreeMap::new();
    sources.insert(SOURCE_KEY.to_string(), vec![page(s)]);
    let new = Show::new(id, facts.title.clone());
    Show {
        ids: ids(s),
        network: facts.network.clone(),
        status: new_status(&facts.status, facts.premiere, today),
        premiere: facts.premiere,
        finale: facts.finale,
        cast: cast(&fetched.cast),
        sources,
        summary: facts.summary.clone(),
        seasons,
        tvmaze: Some(facts),
        ..new
    }
}

pub use crate::model::slug;
