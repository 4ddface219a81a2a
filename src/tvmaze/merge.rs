//! A mapped TVmaze show into the library: a new show (with an id of its own, in the franchise
//! the user chose), or a merge into the show already there, found by its TVmaze id — so a
//! second add or a refresh updates instead of duplicating.
//!
//! A merge never touches the user's data (watch history, notes, ratings, origin, anything
//! TVmaze does not give). A fact TVmaze gives takes TVmaze's new value only when the library
//! still holds the value TVmaze gave last time (`tvmaze` on the show and episode); a value that
//! differs was edited by hand and is kept ("kept yours"). A value TVmaze no longer gives never
//! erases one the library has. New seasons, episodes and specials come in; nothing is deleted,
//! and what the user deleted (a tombstone in `Library::removed`) stays deleted ("kept deleted").
//! A change of TVmaze's status becomes a timeline event dated today, sourced to the show's
//! TVmaze page.

use std::collections::BTreeSet;

use jiff::civil::Date;

use super::SOURCE_KEY;
use super::json::{self, Fetched};
use super::map;
use crate::catalog::{Change, ChangeKind};
use crate::model::{
    Episode, Event, EventKind, Franchise, Library, Origin, OriginKind, Season, Show, Status,
    TvmazeEpisode, episode_code, episode_key, season_key,
};

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

/// A fact's value: whether it is unknown, and how to show it in a change.
trait Value: PartialEq + Clone {
    fn is_unknown(&self) -> bool;
    fn describe(&self) -> String;
}

impl Value for String {
    fn is_unknown(&self) -> bool {
        self.is_empty()
    }
    fn describe(&self) -> String {
        // Summaries are long: a change shows their start.
        let short: String = self.chars().take(40).collect();
        if short.len() < self.len() {
            format!("\"{short}…\"")
        } else {
            format!("\"{self}\"")
        }
    }
}

impl Value for Date {
    fn is_unknown(&self) -> bool {
        false
    }
    fn describe(&self) -> String {
        self.to_string()
    }
}

impl Value for u32 {
    fn is_unknown(&self) -> bool {
        false
    }
    fn describe(&self) -> String {
        format!("{self} min")
    }
}

impl<T: Value> Value for Option<T> {
    fn is_unknown(&self) -> bool {
        self.is_none()
    }
    fn describe(&self) -> String {
        self.as_ref()
            .map_or_else(|| "unknown".into(), Value::describe)
    }
}

struct Merge<'r> {
    changes: Vec<Change>,
    /// The library's tombstones: what the user deleted.
    removed: &'r BTreeSet<String>,
    /// Seasons already reported kept deleted (one line per season, not one per episode).
    said: Vec<u32>,
}

impl Merge<'_> {
    fn push(&mut self, kind: ChangeKind, what: String) {
        self.changes.push(Change { kind, what });
    }

    /// Whether the user deleted season `season` of `show` (or episode `episode` of it): then
    /// TVmaze's copy stays out, said once per season.
    fn deleted(&mut self, show: &str, l: &str, season: u32, episode: Option<u32>) -> bool {
        if self.removed.contains(&season_key(show, season)) {
            if !self.said.contains(&season) {
                self.said.push(season);
                self.push(
                    ChangeKind::KeptDeleted,
                    format!("{l} season {season}: kept deleted"),
                );
            }
            return true;
        }
        match episode {
            Some(e) if self.removed.contains(&episode_key(show, season, e)) => {
                self.push(
                    ChangeKind::KeptDeleted,
                    format!("{l} {}: kept deleted", episode_code(season, e)),
                );
                true
            }
            _ => false,
        }
    }

    /// Merges one fact. `base` is what TVmaze gave last time (`None`: not known, so only a
    /// gap is filled); it becomes TVmaze's new value.
    fn fact<T: Value>(
        &mut self,
        label: &str,
        field: &str,
        user: &mut T,
        base: Option<&mut T>,
        new: &T,
    ) {
        if new.is_unknown() {
            return; // known stays known, and the base stays what it was
        }
        let edited = match &base {
            Some(b) if **b == *new => return, // TVmaze did not change it
            Some(b) => *user != **b,
            None => !user.is_unknown(),
        };
        if *user == *new {
            // already TVmaze's value
        } else if !edited {
            self.push(
                ChangeKind::Fact,
                format!("{label}: {field} {} → {}", user.describe(), new.describe()),
            );
            *user = new.clone();
        } else {
            self.push(
                ChangeKind::KeptUserEdit,
                format!(
                    "{label}: {field} kept yours, {} (TVmaze: {})",
                    user.describe(),
                    new.describe()
                ),
            );
        }
        if let Some(b) = base {
            *b = new.clone();
        }
    }

    fn episode(&mut self, label: &str, ep: &mut Episode, new: &TvmazeEpisode, tvmaze_id: u64) {
        if ep.ids.tvmaze.is_none() {
            ep.ids.tvmaze = Some(tvmaze_id);
        }
        let mut base = ep.tvmaze.take();
        self.fact(
            label,
            "title",
            &mut ep.title,
            base.as_mut().map(|b| &mut b.title),
            &new.title,
        );
        self.fact(
            label,
            "air date",
            &mut ep.air_date,
            base.as_mut().map(|b| &mut b.air_date),
            &new.air_date,
        );
        self.fact(
            label,
            "runtime",
            &mut ep.runtime,
            base.as_mut().map(|b| &mut b.runtime),
            &new.runtime,
        );
        ep.tvmaze = Some(match base {
            Some(mut b) => {
                // The marker follows the runtime TVmaze gives (a dropped one keeps both).
                if new.runtime.is_some() {
                    b.runtime_is_average = new.runtime_is_average;
                }
                b
            }
            None => new.clone(),
        });
    }
}

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

/// An episode with a known air date from today on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upcoming {
    pub date: Date,
    pub show: String,
    pub show_id: String,
    /// `S02E03`, or `S02 special 1`.
    pub code: String,
    pub title: Option<String>,
    pub network: Option<String>,
}

/// Episodes airing from `today` on (within `days` days when given), soonest first.
pub fn upcoming(library: &Library, today: Date, days: Option<u32>) -> Vec<Upcoming> {
    let last = days.and_then(|d| today.checked_add(jiff::Span::new().days(i64::from(d))).ok());
    let mut out = Vec::new();
    for show in library.franchises.iter().flat_map(|f| &f.shows) {
        for se in &show.seasons {
            let regular = se
                .episodes
                .iter()
                .map(|e| (episode_code(se.number, e.number), e));
            let specials = se
                .specials
                .iter()
                .map(|e| (format!("S{:02} special {}", se.number, e.number), e));
            for (code, e) in regular.chain(specials) {
                let Some(date) = e.air_date else { continue };
                if date < today || last.is_some_and(|l| date > l) {
                    continue;
                }
                out.push(Upcoming {
                    date,
                    show: show.title.clone(),
                    show_id: show.id.clone(),
                    code,
                    title: e.title.clone(),
                    network: show.network.clone(),
                });
            }
        }
    }
    // Stable: a day's episodes keep show and episode order.
    out.sort_by_key(|u| u.date);
    out
}
