//! Rows against the library: [`plan`] finds each row's show (external id, then fantrack id,
//! then title + year) and episode (episode id, then season and number), decides what is new,
//! and lists the [`Change`]s; [`apply`] makes them. Never lose, never duplicate: a watch date
//! already there (same episode, same day) is not added again, a rating the user gave is never
//! replaced, a note is appended only when the text is not there yet.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::civil::Date;

use super::report::{Counts, Report, ShowReport};
use super::{Fact, Format, Parsed, RATING_RULE, Row, ShowRef, Slot, Target, Tracker, five_of_ten};
use crate::model::{Episode, ExternalIds, Franchise, Library, Season, Show, Status};

/// How to import.
pub struct Options<'a> {
    /// The time zone a viewing's instant is dated in (the user's; UTC in tests).
    pub tz: jiff::tz::TimeZone,
    /// Add the shows the library lacks instead of listing them as unmatched.
    pub add_missing: bool,
    /// Where `add_missing` gets a show from, with where it came from as the report says it
    /// per show ("from TVmaze"). [`bare_source`] builds it from the export's own titles and
    /// numbers; a TVmaze lookup (`import::lookup`) can take its place.
    pub source: &'a dyn Fn(&MissingShow) -> (Show, String),
    /// For a password-protected ZIP.
    pub password: Option<String>,
    /// Told (rows matched, rows in all) as the matching goes, about a hundred times in all:
    /// the app's progress bar.
    pub progress: Option<&'a dyn Fn(usize, usize)>,
}

impl Options<'static> {
    pub fn new(tz: jiff::tz::TimeZone) -> Self {
        Options {
            tz,
            add_missing: false,
            source: &bare_source,
            password: None,
            progress: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShowLoc {
    pub franchise: usize,
    pub show: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EpisodeLoc {
    pub show: ShowLoc,
    /// Index into the show's seasons.
    pub season: usize,
    /// In the season's specials rather than its episodes.
    pub special: bool,
    pub episode: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loc {
    Show(ShowLoc),
    Season(ShowLoc, usize),
    Episode(EpisodeLoc),
}

/// One change an import makes. Locations are indices into the library the plan was made for
/// (shows added by the plan come after the existing franchises).
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// A show the library lacked, in a franchise of its own.
    AddShow(Franchise),
    Watch {
        at: EpisodeLoc,
        date: Date,
    },
    Rate {
        at: Loc,
        rating: u8,
        rating_of_10: Option<u8>,
    },
    /// Appended to the notes already there.
    Note {
        at: Loc,
        text: String,
    },
}

#[derive(Debug, Clone)]
pub struct ImportPlan {
    pub changes: Vec<Change>,
    pub report: Report,
}

/// A show the export has and the library lacks, with every episode the export names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingShow {
    pub show: ShowRef,
    pub tracker: Tracker,
    /// Regular episodes by (season, number), with a title when the export gives one.
    pub episodes: BTreeMap<(u32, u32), (Option<String>, ExternalIds)>,
}

/// A show built from the export alone: its title, ids, and the seasons and episodes the
/// export names. What the export does not say stays unknown; the status, which the model
/// requires, is `Running` (the report says so) until a refresh knows better.
pub fn bare_show(missing: &MissingShow) -> Show {
    let title = missing
        .show
        .title
        .clone()
        .unwrap_or_else(|| missing.show.label());
    let mut seasons: Vec<Season> = Vec::new();
    for (&(sn, en), (ep_title, ids)) in &missing.episodes {
        if seasons.last().is_none_or(|s| s.number != sn) {
            seasons.push(Season::new(sn));
        }
        if let Some(season) = seasons.last_mut() {
            season.episodes.push(Episode {
                title: ep_title.clone(),
                ids: ids.clone(),
                ..Episode::new(en)
            });
        }
    }
    Show {
        ids: missing.show.ids.clone(),
        // The export says what was watched, not whether the show still runs.
        status: Status::Unknown,
        seasons,
        ..Show::new(slug(&title), title)
    }
}

/// [`bare_show`], said so: the default `Options::source` (`import --add-missing --offline`).
pub fn bare_source(missing: &MissingShow) -> (Show, String) {
    (
        bare_show(missing),
        "from the export's titles and numbers".into(),
    )
}

pub use crate::model::slug;

fn unique(base: String, taken: &HashSet<String>) -> String {
    crate::model::unique_id(&base, |id| taken.contains(id))
}

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
struct Index {
    show_ids: HashMap<IdKey, ShowLoc>,
    slugs: HashMap<String, ShowLoc>,
    titles: HashMap<String, Vec<ShowLoc>>,
    episode_ids: HashMap<IdKey, EpisodeLoc>,
}

impl Index {
    fn new(library: &Library) -> Index {
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

    fn add(&mut self, loc: ShowLoc, show: &Show) {
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
enum Miss {
    NoShow,
    Ambiguous(Vec<String>),
    OtherYear { premiered: i16 },
}

/// The show at a place the index gave (`None` only if the place outlived its library).
fn show_at(library: &Library, at: ShowLoc) -> Option<&Show> {
    library
        .franchises
        .get(at.franchise)?
        .shows
        .get(at.show)
        .map(|s| &**s)
}

fn find_show(library: &Library, index: &Index, wanted: &ShowRef) -> Result<ShowLoc, Miss> {
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

fn miss_text(miss: &Miss, wanted: &ShowRef, add_missing: bool) -> String {
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
fn find_episode(
    library: &Library,
    index: &Index,
    show: Option<ShowLoc>,
    ep: &super::EpisodeRef,
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

pub(crate) fn episode(library: &Library, at: EpisodeLoc) -> Option<&Episode> {
    let season = library
        .franchises
        .get(at.show.franchise)?
        .shows
        .get(at.show.show)?
        .seasons
        .get(at.season)?;
    if at.special {
        season.specials.get(at.episode)
    } else {
        season.episodes.get(at.episode)
    }
}

fn episode_mut(library: &mut Library, at: EpisodeLoc) -> Option<&mut Episode> {
    let show = library
        .franchises
        .get_mut(at.show.franchise)?
        .shows
        .get_mut(at.show.show)?;
    let season = show.seasons.get_mut(at.season)?;
    if at.special {
        season.specials.get_mut(at.episode)
    } else {
        season.episodes.get_mut(at.episode)
    }
}

/// The rating, its 1–10 original and the notes at `at`.
fn rated(library: &Library, at: Loc) -> Option<(Option<u8>, Option<u8>, &str)> {
    match at {
        Loc::Show(s) => {
            let show = library.franchises.get(s.franchise)?.shows.get(s.show)?;
            Some((show.rating, show.rating_of_10, show.notes.as_str()))
        }
        Loc::Season(s, si) => {
            let season = library
                .franchises
                .get(s.franchise)?
                .shows
                .get(s.show)?
                .seasons
                .get(si)?;
            Some((season.rating, season.rating_of_10, season.notes.as_str()))
        }
        Loc::Episode(e) => {
            let ep = episode(library, e)?;
            Some((ep.rating, ep.rating_of_10, ep.notes.as_str()))
        }
    }
}

/// The rating, its 1–10 original and the notes, to change.
type RatedMut<'a> = (
    Option<&'a mut Option<u8>>,
    Option<&'a mut Option<u8>>,
    &'a mut String,
);

/// Mutable rating, 1–10 original and notes at `at`.
fn rated_mut(library: &mut Library, at: Loc) -> Option<RatedMut<'_>> {
    match at {
        Loc::Show(s) => {
            let show = library
                .franchises
                .get_mut(s.franchise)?
                .shows
                .get_mut(s.show)?;
            let show: &mut crate::model::Show = show; // one borrow, split below
            Some((
                Some(&mut show.rating),
                Some(&mut show.rating_of_10),
                &mut show.notes,
            ))
        }
        Loc::Season(s, si) => {
            let show = library
                .franchises
                .get_mut(s.franchise)?
                .shows
                .get_mut(s.show)?;
            let season = show.seasons.get_mut(si)?;
            Some((
                Some(&mut season.rating),
                Some(&mut season.rating_of_10),
                &mut season.notes,
            ))
        }
        Loc::Episode(e) => {
            let ep = episode_mut(library, e)?;
            Some((
                Some(&mut ep.rating),
                Some(&mut ep.rating_of_10),
                &mut ep.notes,
            ))
        }
    }
}

/// Makes one change; false when it no longer fits the library (changed since the plan) or is
/// already there.
fn apply_change(library: &mut Library, change: &Change) -> bool {
    match change {
        Change::AddShow(franchise) => {
            library.franchises.push(franchise.clone());
            true
        }
        Change::Watch { at, date } => match episode_mut(library, *at) {
            Some(e) if !e.watched.contains(date) => {
                e.watched.push(*date);
                e.watched.sort();
                true
            }
            _ => false,
        },
        Change::Rate {
            at,
            rating,
            rating_of_10,
        } => match rated_mut(library, *at) {
            Some((Some(r), r10, _)) if r.is_none_or(|v| v == *rating) => {
                *r = Some(*rating);
                if let Some(r10) = r10
                    && r10.is_none()
                {
                    *r10 = *rating_of_10;
                }
                true
            }
            _ => false,
        },
        Change::Note { at, text } => match rated_mut(library, *at) {
            Some((_, _, notes)) if !notes.contains(text.as_str()) => {
                if !notes.is_empty() {
                    notes.push_str("\n\n");
                }
                notes.push_str(text);
                true
            }
            _ => false,
        },
    }
}

/// Makes the plan's changes in `library` (the library the plan was made for). Returns how
/// many changed something.
pub fn apply(library: &mut Library, plan: &ImportPlan) -> usize {
    plan.changes
        .iter()
        .filter(|c| apply_change(library, c))
        .count()
}

/// One row's fate.
enum Outcome {
    Matched { new_watches: usize, undated: usize },
    Already,
    Unmatched(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum ReportKey {
    Library(ShowLoc),
    Export(String),
}

/// Matches every row against `library` and lists the changes that bring in what is new.
/// `library` is not changed; [`apply`] does that.
pub fn plan(library: &Library, parsed: &Parsed, options: &Options<'_>) -> ImportPlan {
    // The plan works on a copy (cheap: shows are shared until changed) so that rows later in
    // the import see what earlier ones added: a play twice in the export is added once.
    let mut work = library.clone();
    let mut index = Index::new(&work);
    let mut changes: Vec<Change> = Vec::new();
    // Each added show, with where it came from.
    let mut added: HashMap<ShowLoc, String> = HashMap::new();

    if options.add_missing {
        add_missing(
            &mut work,
            &mut index,
            parsed,
            options,
            &mut changes,
            &mut added,
        );
    }

    let mut cache: HashMap<ShowRef, Result<ShowLoc, Miss>> = HashMap::new();
    let mut shows: Vec<ShowReport> = Vec::new();
    let mut by_key: HashMap<ReportKey, usize> = HashMap::new();
    let mut rating_rows = false;
    let mut rewatches: BTreeMap<usize, (Date, usize)> = BTreeMap::new();

    let every = (parsed.rows.len() / 100).max(1);
    for (n, row) in parsed.rows.iter().enumerate() {
        if let Some(progress) = options.progress
            && n % every == 0
        {
            progress(n, parsed.rows.len());
        }
        let file = parsed.files.get(row.file);
        let found = cache
            .entry(row.show.clone())
            .or_insert_with(|| find_show(&work, &index, &row.show))
            .clone();
        let found_loc = found.as_ref().ok().copied();
        let (outcome, show_loc) = decide(
            &mut work,
            &index,
            row,
            found,
            options.add_missing,
            &mut changes,
        );
        if matches!(
            row.fact,
            Fact::Rating {
                ten: Some(_),
                five: None,
                ..
            }
        ) {
            rating_rows = true;
        }
        // A row that is no viewing (a TV Time event) still goes under its show when known.
        let key = match (show_loc.or(found_loc), &row.fact) {
            (Some(loc), _) => ReportKey::Library(loc),
            (None, Fact::Other(_)) if row.show.title.is_none() => {
                ReportKey::Export("(not TV: movies and other rows)".into())
            }
            (None, _) => ReportKey::Export(row.show.label()),
        };
        let i = *by_key.entry(key.clone()).or_insert_with(|| {
            let label = match key {
                ReportKey::Library(loc) => show_at(&work, loc)
                    .map_or_else(String::new, |s| format!("{} ({})", s.title, s.id)),
                ReportKey::Export(label) => label,
            };
            shows.push(ShowReport {
                label,
                added: show_loc
                    .or(found_loc)
                    .is_some_and(|l| added.contains_key(&l)),
                added_from: show_loc.or(found_loc).and_then(|l| added.get(&l).cloned()),
                ..Default::default()
            });
            shows.len() - 1
        });
        // Trakt's reset_at: the plays after it are a rewatch (the earlier ones, undated, the
        // first viewing); said per show in the notes.
        if let Fact::Plays {
            count,
            rewatch_since: Some(since),
            ..
        } = &row.fact
            && *count >= 2
            && !matches!(outcome, Outcome::Unmatched(_))
        {
            let seen = rewatches.entry(i).or_insert((*since, 0));
            seen.1 += 1;
        }
        // `i` was just found or pushed: always there.
        let Some(report) = shows.get_mut(i) else {
            continue;
        };
        report.counts.rows += 1;
        match outcome {
            Outcome::Matched {
                new_watches,
                undated,
            } => {
                report.counts.matched += 1;
                report.counts.new_watches += new_watches;
                report.counts.undated_plays += undated;
            }
            Outcome::Already => report.counts.already += 1,
            Outcome::Unmatched(why) => {
                report.counts.unmatched += 1;
                let episode = match &row.target {
                    Target::Episode(ep) if ep.slot != Slot::Unnumbered => format!(" {}", ep.slot),
                    _ => String::new(),
                };
                let file = file.map_or_else(String::new, |f| format!("{} {} ", f.name, f.unit));
                report
                    .unmatched
                    .push((format!("{file}{}{episode}", row.pos), why));
            }
        }
        if let Some(kept) = kept_rating(&work, row, show_loc, &index) {
            report.kept.push(kept);
        }
    }

    let mut total = Counts::default();
    for s in &shows {
        total.add(&s.counts);
    }
    let mut notices = Vec::new();
    let tz_name = options
        .tz
        .iana_name()
        .unwrap_or("your time zone")
        .to_string();
    let formats: HashSet<Format> = parsed.files.iter().map(|f| f.format).collect();
    if formats.iter().any(|f| matches!(f, Format::Trakt(_))) {
        notices.push(format!(
            "Trakt times are UTC; each viewing is dated by its day in {tz_name}"
        ));
    }
    if formats.iter().any(|f| matches!(f, Format::TvTime(_))) {
        notices.push(format!(
            "TV Time times carry no time zone: taken as UTC, then dated by their day in {tz_name}"
        ));
    }
    if rating_rows {
        notices.push(RATING_RULE.to_string());
    }
    if total.undated_plays > 0 {
        notices.push(format!(
            "{} play(s) have no date in the export (SeriesGuide keeps none, Trakt's watched shows only the last); fantrack keeps dated viewings only, so they are counted here and not recorded",
            total.undated_plays
        ));
    }
    for (&i, &(since, n)) in &rewatches {
        let Some(show) = shows.get(i) else { continue };
        notices.push(format!(
            "{}: you reset its progress on Trakt on {since} to watch it again; {n} episode(s) seen again since: the last viewing of each is dated, the earlier one(s) before the reset counted undated",
            show.label
        ));
    }
    // Shows TVmaze gave come whole; the others only with what the export says.
    let bare = added
        .keys()
        .filter(|&&l| show_at(&work, l).is_some_and(|s| s.tvmaze.is_none()))
        .count();
    if bare > 0 {
        notices.push(format!(
            "added {bare} show(s) as bare shows from the export's titles and numbers; their status is not in the export and shows as running until refreshed"
        ));
    }
    notices.extend(parsed.skipped.iter().map(|s| format!("passed over {s}")));
    let files = parsed
        .files
        .iter()
        .map(|f| super::report::FileRead {
            name: f.name.clone(),
            format: f.format.to_string(),
            rows: f.rows,
        })
        .collect();
    ImportPlan {
        changes,
        report: Report {
            files,
            shows,
            notices,
            total,
        },
    }
}

/// A rating the library keeps over a different one in the export, for the report.
fn kept_rating(work: &Library, row: &Row, show: Option<ShowLoc>, index: &Index) -> Option<String> {
    let Fact::Rating { five, ten } = &row.fact else {
        return None;
    };
    let wanted = five.or_else(|| ten.and_then(five_of_ten))?;
    let at = locate(work, index, row, show?).ok()?;
    let (Some(current), _, _) = rated(work, at)? else {
        return None;
    };
    (current != wanted).then(|| {
        let given = match ten {
            Some(t) if five.is_none() => format!("{t}/10"),
            _ => format!("{wanted}/5"),
        };
        format!(
            "your rating {current}/5 of {}; the export says {given}",
            what(&row.target)
        )
    })
}

fn what(target: &Target) -> String {
    match target {
        Target::Show => "the show".into(),
        Target::Season(n) => format!("season {n}"),
        Target::Episode(e) => e.slot.to_string(),
    }
}

fn locate(work: &Library, index: &Index, row: &Row, show: ShowLoc) -> Result<Loc, String> {
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

/// Decides one row against `work`, records its change there and in `changes`.
fn decide(
    work: &mut Library,
    index: &Index,
    row: &Row,
    found: Result<ShowLoc, Miss>,
    add_missing: bool,
    changes: &mut Vec<Change>,
) -> (Outcome, Option<ShowLoc>) {
    if let Fact::Other(why) = &row.fact {
        return (Outcome::Unmatched(why.clone()), None);
    }
    // An episode id can find the episode even when the show's title and ids find nothing.
    let (show, loc) = match (&found, &row.target) {
        (Ok(s), _) => (*s, locate(work, index, row, *s)),
        (Err(miss), Target::Episode(ep)) => match find_episode(work, index, None, ep) {
            Ok(at) => (at.show, Ok(Loc::Episode(at))),
            Err(_) => {
                return (
                    Outcome::Unmatched(miss_text(miss, &row.show, add_missing)),
                    None,
                );
            }
        },
        (Err(miss), _) => {
            return (
                Outcome::Unmatched(miss_text(miss, &row.show, add_missing)),
                None,
            );
        }
    };
    let loc = match loc {
        Ok(l) => l,
        Err(why) => return (Outcome::Unmatched(why), Some(show)),
    };
    let mut push = |work: &mut Library, change: Change| {
        if apply_change(work, &change) {
            changes.push(change);
            true
        } else {
            false
        }
    };
    let outcome = match (&row.fact, loc) {
        (Fact::Other(why), _) => Outcome::Unmatched(why.clone()), // returned above; kept total
        (Fact::Follow, _) => Outcome::Already,
        (Fact::Play(date), Loc::Episode(at)) => {
            if push(work, Change::Watch { at, date: *date }) {
                Outcome::Matched {
                    new_watches: 1,
                    undated: 0,
                }
            } else {
                Outcome::Already
            }
        }
        (Fact::Plays { count, last, .. }, Loc::Episode(at)) => {
            let new = match last {
                Some(date) => usize::from(push(work, Change::Watch { at, date: *date })),
                None => 0,
            };
            let have = episode(work, at).map_or(0, |e| e.watched.len());
            let undated = (*count as usize).saturating_sub(have);
            if new == 0 && undated == 0 {
                Outcome::Already
            } else {
                Outcome::Matched {
                    new_watches: new,
                    undated,
                }
            }
        }
        (Fact::Play(_) | Fact::Plays { .. }, _) => {
            Outcome::Unmatched("a viewing that names no episode".into())
        }
        (Fact::Rating { five, ten }, at) => {
            let wanted = five.or_else(|| ten.and_then(five_of_ten));
            match (at, wanted) {
                (_, None) => Outcome::Unmatched("a rating outside 1–10".into()),
                (at, Some(rating)) => {
                    let current = rated(work, at).map(|(r, r10, _)| (r, r10));
                    match current {
                        Some((Some(r), r10)) if r == rating && (r10.is_some() || ten.is_none()) => {
                            Outcome::Already
                        }
                        Some((Some(r), _)) if r != rating => Outcome::Already, // kept: reported
                        _ => {
                            let change = Change::Rate {
                                at,
                                rating,
                                rating_of_10: *ten,
                            };
                            if push(work, change) {
                                Outcome::Matched {
                                    new_watches: 0,
                                    undated: 0,
                                }
                            } else {
                                Outcome::Already
                            }
                        }
                    }
                }
            }
        }
        (Fact::Note(text), at) => {
            let present =
                rated(work, at).is_some_and(|(_, _, notes)| notes.contains(text.as_str()));
            if present {
                Outcome::Already
            } else {
                let text = match row.tracker {
                    Tracker::Fantrack => text.clone(),
                    tracker => format!("{text} [from {tracker}]"),
                };
                if push(work, Change::Note { at, text }) {
                    Outcome::Matched {
                        new_watches: 0,
                        undated: 0,
                    }
                } else {
                    Outcome::Already
                }
            }
        }
    };
    (outcome, Some(show))
}

/// `--add-missing`: every show the rows name and the library lacks becomes a show (from
/// `options.source`) in a franchise of its own.
fn add_missing(
    work: &mut Library,
    index: &mut Index,
    parsed: &Parsed,
    options: &Options<'_>,
    changes: &mut Vec<Change>,
    added: &mut HashMap<ShowLoc, String>,
) {
    let mut missing: Vec<MissingShow> = Vec::new();
    let mut at: HashMap<&ShowRef, usize> = HashMap::new();
    for row in &parsed.rows {
        if matches!(row.fact, Fact::Other(_)) || row.show.title.is_none() {
            continue;
        }
        let i = match at.get(&row.show) {
            Some(&i) => i,
            None => {
                if find_show(work, index, &row.show) != Err(Miss::NoShow) {
                    continue;
                }
                if let Target::Episode(ep) = &row.target
                    && find_episode(work, index, None, ep).is_ok()
                {
                    continue;
                }
                missing.push(MissingShow {
                    show: row.show.clone(),
                    tracker: row.tracker,
                    episodes: BTreeMap::new(),
                });
                at.insert(&row.show, missing.len() - 1);
                missing.len() - 1
            }
        };
        if let Target::Episode(ep) = &row.target
            && let Slot::Regular { season, number } = ep.slot
        {
            let Some(m) = missing.get_mut(i) else {
                continue;
            };
            let entry = m
                .episodes
                .entry((season, number))
                .or_insert((None, ExternalIds::default()));
            if entry.0.is_none() {
                entry.0 = ep.title.clone();
            }
            if entry.1.is_empty() {
                entry.1 = ep.ids.clone();
            }
        }
    }
    let mut show_ids: HashSet<String> = work
        .franchises
        .iter()
        .flat_map(|f| f.shows.iter().map(|s| s.id.clone()))
        .collect();
    let mut franchise_ids: HashSet<String> = work.franchises.iter().map(|f| f.id.clone()).collect();
    for m in &missing {
        // Two spellings of one show (with and without ids) become one show.
        if find_show(work, index, &m.show).is_ok() {
            continue;
        }
        let (mut show, from) = (options.source)(m);
        show.id = unique(show.id.clone(), &show_ids);
        show_ids.insert(show.id.clone());
        let franchise = Franchise {
            id: unique(show.id.clone(), &franchise_ids),
            title: show.title.clone(),
            based_on: None,
            notes: String::new(),
            shows: vec![show.clone().into()],
            watch_order: Vec::new(),
        };
        franchise_ids.insert(franchise.id.clone());
        let loc = ShowLoc {
            franchise: work.franchises.len(),
            show: 0,
        };
        let change = Change::AddShow(franchise);
        apply_change(work, &change);
        changes.push(change);
        index.add(loc, &show);
        added.insert(loc, from);
    }
}
