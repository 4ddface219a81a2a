//! The index of the library, and the show and episode a row names.

use std::collections::HashMap;

use super::{EpisodeLoc, Loc, ShowLoc};
use crate::import::{EpisodeRef, Row, ShowRef, Slot, Target};
use crate::model::{ExternalIds, Library, Show};

/// Titles compare by their letters and digits, case and punctuation aside, and without a
/// leading "The".
fn norm_title(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let words = match words.first().map(String::as_str) {
        Some("the") if words.len() > 1 => words.get(1..).unwrap_or_default(),
        _ => words.as_slice(),
    };
    words.join(" ")
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum IdKey {
    Tvdb(u64),
    Tmdb(u64),
    Imdb(String),
    Trakt(u64),
    Tvmaze(u64),
}

impl std::fmt::Display for IdKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IdKey::Tvdb(n) => write!(f, "TheTVDB {n}"),
            IdKey::Tmdb(n) => write!(f, "TMDB {n}"),
            IdKey::Imdb(s) => write!(f, "IMDb {s}"),
            IdKey::Trakt(n) => write!(f, "Trakt {n}"),
            IdKey::Tvmaze(n) => write!(f, "TVmaze {n}"),
        }
    }
}

fn id_keys(ids: &ExternalIds) -> Vec<IdKey> {
    let mut keys = Vec::new();
    keys.extend(ids.thetvdb.map(IdKey::Tvdb));
    keys.extend(ids.tmdb.map(IdKey::Tmdb));
    keys.extend(ids.imdb.clone().map(IdKey::Imdb));
    keys.extend(ids.trakt.map(IdKey::Trakt));
    keys.extend(ids.tvmaze.map(IdKey::Tvmaze));
    keys
}

#[derive(Default)]
pub(super) struct Index {
    show_ids: HashMap<IdKey, ShowLoc>,
    slugs: HashMap<String, ShowLoc>,
    titles: HashMap<String, Vec<ShowLoc>>,
    episode_ids: HashMap<IdKey, EpisodeLoc>,
}

impl Index {
    pub(super) fn new(library: &Library) -> Index {
        let mut index = Index::default();
        for (f, fr) in library.franchises.iter().enumerate() {
            for (s, show) in fr.shows.iter().enumerate() {
                index.add(
                    ShowLoc {
                        franchise: f,
                        show: s,
                    },
                    show,
                );
            }
        }
        index
    }

    pub(super) fn add(&mut self, loc: ShowLoc, show: &Show) {
        for key in id_keys(&show.ids) {
            self.show_ids.entry(key).or_insert(loc);
        }
        self.slugs.entry(show.id.clone()).or_insert(loc);
        self.titles
            .entry(norm_title(&show.title))
            .or_default()
            .push(loc);
        for (si, season) in show.seasons.iter().enumerate() {
            let lists = [(false, &season.episodes), (true, &season.specials)];
            for (special, list) in lists {
                for (ei, e) in list.iter().enumerate() {
                    if e.ids.is_empty() {
                        continue;
                    }
                    let at = EpisodeLoc {
                        show: loc,
                        season: si,
                        special,
                        episode: ei,
                    };
                    for key in id_keys(&e.ids) {
                        self.episode_ids.entry(key).or_insert(at);
                    }
                }
            }
        }
    }
}

/// Why a row found nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Miss {
    NoShow,
    Ambiguous(Vec<String>),
    OtherYear { premiered: i16 },
}

/// The show at a place the index gave (`None` only if the place outlived its library).
pub(super) fn show_at(library: &Library, at: ShowLoc) -> Option<&Show> {
    library
        .franchises
        .get(at.franchise)?
        .shows
        .get(at.show)
        .map(|s| &**s)
}

pub(super) fn find_show(
    library: &Library,
    index: &Index,
    wanted: &ShowRef,
) -> Result<ShowLoc, Miss> {
    for key in id_keys(&wanted.ids) {
        if let Some(&loc) = index.show_ids.get(&key) {
            return Ok(loc);
        }
    }
    if let Some(loc) = wanted.slug.as_ref().and_then(|s| index.slugs.get(s)) {
        return Ok(*loc);
    }
    let Some(title) = &wanted.title else {
        return Err(Miss::NoShow);
    };
    let candidates = index
        .titles
        .get(&norm_title(title))
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let year_of = |loc: &ShowLoc| show_at(library, *loc).and_then(|s| s.premiere.map(|d| d.year()));
    let fitting: Vec<ShowLoc> = match wanted.year {
        Some(y) => candidates
            .iter()
            .copied()
            .filter(|l| year_of(l).is_none_or(|py| py == y))
            .collect(),
        None => candidates.to_vec(),
    };
    match (fitting.as_slice(), candidates) {
        ([one], _) => Ok(*one),
        ([], [one]) => Err(Miss::OtherYear {
            premiered: year_of(one).unwrap_or_default(),
        }),
        ([], _) => Err(Miss::NoShow),
        (many, _) => Err(Miss::Ambiguous(
            many.iter()
                .filter_map(|l| show_at(library, *l).map(|s| s.id.clone()))
                .collect(),
        )),
    }
}

pub(super) fn miss_text(miss: &Miss, wanted: &ShowRef, add_missing: bool) -> String {
    match miss {
        Miss::NoShow if add_missing => format!("{} could not be added", wanted.label()),
        Miss::NoShow => format!(
            "{} is not in the library (--add-missing adds it)",
            wanted.label()
        ),
        Miss::Ambiguous(ids) => format!(
            "the title {} fits several shows ({}); give them ids",
            wanted.label(),
            ids.join(", ")
        ),
        Miss::OtherYear { premiered } => format!(
            "{} is in the library, but that show premiered in {premiered}",
            wanted.label()
        ),
    }
}

/// Finds the episode a row names: by the episode's own ids first, then by its numbers.
pub(super) fn find_episode(
    library: &Library,
    index: &Index,
    show: Option<ShowLoc>,
    ep: &EpisodeRef,
) -> Result<EpisodeLoc, String> {
    for key in id_keys(&ep.ids) {
        if let Some(&loc) = index.episode_ids.get(&key)
            && show.is_none_or(|s| s == loc.show)
        {
            return Ok(loc);
        }
    }
    let Some(show_loc) = show else {
        return Err(String::new()); // the caller says why the show is missing
    };
    let Some(s) = show_at(library, show_loc) else {
        return Err(String::new());
    };
    let (season_number, number, special) = match ep.slot {
        Slot::Regular { season, number } => (season, number, false),
        Slot::Special {
            season: Some(season),
            number,
        } => (season, number, true),
        Slot::Special { season: None, .. } => {
            return Err(format!(
                "{} is a special no episode id matches; fantrack keeps specials within their season",
                ep.slot
            ));
        }
        Slot::Unnumbered => {
            let ids: Vec<String> = id_keys(&ep.ids).iter().map(IdKey::to_string).collect();
            return Err(format!(
                "no episode of {} has the id {} (and the export gives no season and number)",
                s.title,
                ids.join(" or ")
            ));
        }
    };
    let Some((si, season)) = s
        .seasons
        .iter()
        .enumerate()
        .find(|(_, x)| x.number == season_number)
    else {
        return Err(format!("{} has no season {season_number}", s.title));
    };
    let list = if special {
        &season.specials
    } else {
        &season.episodes
    };
    match list.iter().position(|e| e.number == number) {
        Some(ei) => Ok(EpisodeLoc {
            show: show_loc,
            season: si,
            special,
            episode: ei,
        }),
        None => Err(format!("{} is not in {}", ep.slot, s.title)),
    }
}

pub(super) fn locate(
    work: &Library,
    index: &Index,
    row: &Row,
    show: ShowLoc,
) -> Result<Loc, String> {
    match &row.target {
        Target::Show => Ok(Loc::Show(show)),
        Target::Season(n) => {
            let s = show_at(work, show).ok_or_else(String::new)?;
            s.seasons
                .iter()
                .position(|x| x.number == *n)
                .map(|si| Loc::Season(show, si))
                .ok_or_else(|| format!("{} has no season {n}", s.title))
        }
        Target::Episode(ep) => find_episode(work, index, Some(show), ep).map(Loc::Episode),
    }
}
