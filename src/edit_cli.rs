//! The command line's edits of facts and structure: `set`, `news`, `add show|season|episode`,
//! `remove`, and the watch-date fixes (`watch --replace`, `unwatch --date`). Each builds the
//! changed value, makes it one `Edit` (a `PutShow`, or a `Batch` of puts) and applies it with
//! `Edit::apply` inside `store::update`: under the lock, checked against outside edits, saved
//! atomically, and not saved at all when anything is wrong. Bad input is one line that says
//! the expected form; the file is then left byte for byte as it was.

use std::fmt::Write as _;
use std::path::Path;

use clap::{Args, Subcommand};
use jiff::civil::Date;

use crate::commands;
use crate::error::{Error, Result};
use crate::model::{
    Edit, Episode, Event, EventKind, Franchise, Library, Origin, OriginKind, Renewal, Role, Score,
    Season, Show, Status, episode_code, normalize, slug, today, unique_id, validate,
};
use crate::{present, store};

/// The fields `set` takes for a show, a season and an episode.
pub const SHOW_FIELDS: &[&str] = &[
    "title", "network", "status", "premiere", "finale", "renewal", "rt", "creators", "cast",
    "based-on", "origin",
];
pub const SEASON_FIELDS: &[&str] = &["premiere", "rt", "adapts"];
pub const EPISODE_FIELDS: &[&str] = &["title", "aired", "runtime", "directed", "written"];

/// Change one fact of a show, a season (S01) or an episode (S01E03)
///
/// Show fields: title, network, status (upcoming, running, renewed, ended, cancelled),
/// premiere, finale (YYYY-MM-DD), renewal (SEASON, with --announced DATE), rt (TOMATOMETER
/// [POPCORNMETER], 0–100, `unknown` for one not known), creators (NAME…), cast (add NAME
/// [--as ROLE]: a new actor, or the role of one in the cast; remove NAME), based-on,
/// origin (spin-off|sequel|prequel SHOW). Season fields: premiere, rt, adapts (TITLE…).
/// Episode fields: title, aired, runtime (minutes), directed, written. `none` clears a
/// field. Examples: `set ballard status renewed`, `set ballard renewal 2 --announced
/// 2025-10-06`, `set ballard rt 100 78`, `set ballard cast add "Maggie Q" --as "Renée
/// Ballard"`, `set ballard S01E03 aired 2025-07-09`.
#[derive(Debug, Clone, Args)]
pub struct SetArgs {
    /// Show id, title, or a unique prefix or word of either, e.g. `ballard`
    pub show: String,
    /// What to set: `FIELD VALUE…`, or `S01 FIELD VALUE…`, or `S01E03 FIELD VALUE…`
    #[arg(required = true, num_args = 1.., value_name = "[S01|S01E03] FIELD VALUE")]
    pub what: Vec<String>,
    /// With `renewal`: the day the renewal was announced (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub announced: Option<String>,
    /// With `cast add`: the character the actor plays (`none` for no role)
    #[arg(long = "as", value_name = "ROLE")]
    pub role: Option<String>,
}

/// Record news about a show: a dated event on its timeline, with its source
///
/// With --apply, the news also changes the fact it is about, in the same step: renewed →
/// status renewed and the renewal (season --season, else the next one, announced on
/// --date); cancelled → status cancelled; premiere-date-set → the premiere of season
/// --season (else the renewed or next one) to --premiere; score → Rotten Tomatoes to --rt.
#[derive(Debug, Clone, Args)]
pub struct NewsArgs {
    /// Show id, title, or a unique prefix or word of either
    pub show: String,
    /// What happened, one line, e.g. "Renewed for season 2"
    pub text: String,
    /// The day of the news (YYYY-MM-DD); default today
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// renewed, cancelled, ordered, premiere-date-set, cast, score, premiered, ended,
    /// announced, spin-off-announced or other
    #[arg(long, value_name = "KIND", default_value = "other")]
    pub kind: String,
    /// Where it was reported (a web address); may be given more than once
    #[arg(long, value_name = "URL")]
    pub source: Vec<String>,
    /// Also change the fact the news is about (renewed, cancelled, premiere-date-set, score)
    #[arg(long)]
    pub apply: bool,
    /// With --apply: the season it is about
    #[arg(long, value_name = "N")]
    pub season: Option<String>,
    /// With --apply and premiere-date-set: the premiere date (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub premiere: Option<String>,
    /// With --apply and score: the Rotten Tomatoes scores, 0–100 (give the text before it)
    #[arg(long, num_args = 1..=2, value_names = ["TOMATOMETER", "POPCORNMETER"])]
    pub rt: Vec<String>,
}

/// `add show|season|episode`: items of your own, next to `add --tvmaze`.
#[derive(Debug, Clone, Subcommand)]
pub enum AddItem {
    /// Add a show of your own to a franchise (made when none has that name)
    Show(AddShowArgs),
    /// Add a season to a show (number default: the next one)
    Season(AddSeasonArgs),
    /// Add an episode: S01E11, or S01 for the next free number
    Episode(AddEpisodeArgs),
}

#[derive(Debug, Clone, Args)]
#[command(group(clap::ArgGroup::new("grew").args(["spin_off_of", "sequel_of", "prequel_of"])))]
pub struct AddShowArgs {
    /// The franchise (id or title); a new one of that name when none has it. Default: the
    /// franchise of the show it grew out of
    #[arg(long, value_name = "F")]
    pub franchise: Option<String>,
    /// The show's title; its id is made from it (`slow-horses`, `slow-horses-2`)
    #[arg(long, value_name = "TITLE")]
    pub title: String,
    /// It is a spin-off of this show (id or title)
    #[arg(long, value_name = "SHOW")]
    pub spin_off_of: Option<String>,
    /// It is a sequel of this show
    #[arg(long, value_name = "SHOW")]
    pub sequel_of: Option<String>,
    /// It is a prequel of this show
    #[arg(long, value_name = "SHOW")]
    pub prequel_of: Option<String>,
    /// unknown (until you say), upcoming, running, renewed, ended or cancelled
    #[arg(long, value_name = "STATUS", default_value = "unknown")]
    pub status: String,
    /// Where it airs or streams
    #[arg(long, value_name = "NAME")]
    pub network: Option<String>,
    /// YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub premiere: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct AddSeasonArgs {
    /// Show id, title, or a unique prefix or word of either
    pub show: String,
    /// The season number; default the one after the last
    pub number: Option<String>,
    /// YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub premiere: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct AddEpisodeArgs {
    /// Show id, title, or a unique prefix or word of either
    pub show: String,
    /// S01E11, or S01 for the next free number in season 1
    pub code: String,
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,
    /// The air date, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub aired: Option<String>,
    /// Minutes
    #[arg(long, value_name = "MIN")]
    pub runtime: Option<String>,
}

/// Delete a show, a season (S01) or an episode (S01E03), with what is recorded on it
///
/// Says what goes with it (seasons, episodes, watched, notes) and asks; without a terminal
/// it refuses unless --yes is given. A deleted catalog item stays deleted through
/// `catalog update`. The file before is kept as library.ron.bak (`restore-backup`).
#[derive(Debug, Clone, Args)]
pub struct RemoveArgs {
    /// Show id, title, or a unique prefix or word of either
    pub show: String,
    /// S01 (a season) or S01E03 (an episode); without it, the whole show
    pub what: Option<String>,
    /// Do not ask
    #[arg(long)]
    pub yes: bool,
}

type Step<R> = std::result::Result<(R, bool), String>;

/// First run: the file is made from the shipped catalog, as `watch` does.
fn ensure(path: &Path) -> Result<()> {
    if !path.exists() {
        commands::open(path)?;
    }
    Ok(())
}

/// The show `key` names: (franchise id, show), or the lookup's one-line error.
fn named(library: &Library, key: &str) -> std::result::Result<(String, Show), String> {
    let (f, s) = commands::named_show(library, key).map_err(|e| e.to_string())?;
    let franchise = library.franchises.get(f).map(|f| f.id.clone());
    match (franchise, library.show_at(f, s)) {
        (Some(franchise), Some(show)) => Ok((franchise, show.clone())),
        _ => Err(format!("no show \"{key}\"")),
    }
}

fn put(franchise: &str, show: Show) -> Edit {
    Edit::PutShow {
        franchise: franchise.to_string(),
        id: show.id.clone(),
        at: None,
        show: Some(Box::new(show)),
    }
}

fn apply(library: &mut Library, edit: &Edit) -> std::result::Result<(), String> {
    edit.apply(library).map(|_| ()).map_err(|e| e.to_string())
}

fn run<R>(path: &Path, change: impl FnMut(&mut Library) -> Step<R>) -> Result<R> {
    ensure(path)?;
    store::update(path, change).map_err(Error::Other)
}

// ---------------------------------------------------------------------------------------------
// set

fn none(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "none" | "unknown" | ""
    )
}

fn opt_date(d: Option<Date>) -> String {
    d.map_or_else(|| "unknown".into(), |d| d.to_string())
}

fn opt_text(t: &Option<String>) -> String {
    t.as_ref()
        .map_or_else(|| "unknown".into(), |t| format!("\"{t}\""))
}

fn list_text(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

fn score_text(s: &Option<Score>) -> String {
    s.as_ref()
        .map_or_else(|| "unknown".into(), ToString::to_string)
}

/// One value: the words joined (a title may come as several arguments).
fn one(field: &str, values: &[String]) -> std::result::Result<String, String> {
    let joined = values.join(" ");
    if joined.trim().is_empty() {
        return Err(format!("{field} needs a value"));
    }
    Ok(joined)
}

fn date_or_none(field: &str, values: &[String]) -> std::result::Result<Option<Date>, String> {
    let v = one(field, values)?;
    if none(&v) {
        Ok(None)
    } else {
        validate::date(&v).map(Some)
    }
}

fn text_or_none(field: &str, values: &[String]) -> std::result::Result<Option<String>, String> {
    let v = one(field, values)?;
    if none(&v) {
        Ok(None)
    } else {
        validate::line(&v, field).map(Some)
    }
}

fn list_or_none(values: &[String]) -> std::result::Result<Vec<String>, String> {
    match values {
        [] => Err("give the names, or none".into()),
        [v] if none(v) => Ok(Vec::new()),
        vs => vs.iter().map(|v| validate::line(v, "a name")).collect(),
    }
}

/// `rt T [P]`, each 0–100 or `unknown`; `rt none` clears both.
fn scores(values: &[String], old: &Option<Score>) -> std::result::Result<Option<Score>, String> {
    let score = |v: &String| {
        if none(v) {
            Ok(None)
        } else {
            validate::score(v).map(Some)
        }
    };
    match values {
        [v] if v.trim().eq_ignore_ascii_case("none") => Ok(None),
        [t] => Ok(Some(Score {
            tomatometer: score(t)?,
            popcornmeter: old.as_ref().and_then(|s| s.popcornmeter),
        })),
        [t, p] => Ok(Some(Score {
            tomatometer: score(t)?,
            popcornmeter: score(p)?,
        })),
        _ => Err("rt takes TOMATOMETER [POPCORNMETER], scores are 0–100".into()),
    }
}

/// The form `cast` takes, for its errors.
const CAST_FORM: &str = "cast takes add NAME [--as ROLE] or remove NAME";

/// `cast add NAME [--as ROLE]` (a new actor at the end, or a new role for one in the cast) or
/// `cast remove NAME`; a name matches whatever its case and punctuation. Returns (old, new).
fn set_cast(
    show: &mut Show,
    values: &[String],
    role: Option<&str>,
) -> std::result::Result<(String, String), String> {
    let Some((verb, name)) = values.split_first() else {
        return Err(CAST_FORM.into());
    };
    let verb = verb.to_ascii_lowercase();
    if !matches!(verb.as_str(), "add" | "remove") {
        return Err(CAST_FORM.into());
    }
    let name = validate::line(&name.join(" "), "an actor's name")?;
    let at = show
        .cast
        .iter()
        .position(|r| normalize(&r.actor) == normalize(&name));
    let without = |actor: &str| format!("without {actor}");
    if verb == "remove" {
        if role.is_some() {
            return Err("--as goes with cast add".into());
        }
        let Some(at) = at else {
            return Err(format!("{} has no \"{name}\" in its cast", show.title));
        };
        let gone = show.cast.remove(at);
        return Ok((present::role(&gone), without(&gone.actor)));
    }
    let character = match role {
        None => None,
        Some(r) if none(r) && !r.trim().is_empty() => Some(None),
        Some(r) => Some(Some(validate::line(r, "a role")?)),
    };
    Ok(match at.and_then(|i| show.cast.get_mut(i)) {
        Some(existing) => {
            let old = present::role(existing);
            if let Some(character) = character {
                existing.character = character;
            }
            (old, present::role(existing))
        }
        None => {
            let added = Role {
                actor: name,
                character: character.flatten(),
            };
            let new = present::role(&added);
            let old = without(&added.actor);
            show.cast.push(added);
            (old, new)
        }
    })
}

fn unknown_field(field: &str, of: &str, valid: &[&str]) -> String {
    format!(
        "unknown field \"{field}\" for {of}; the fields are: {}",
        valid.join(", ")
    )
}

/// Sets `field` of the show; returns (old, new) in words.
fn set_show(
    library: &Library,
    show: &mut Show,
    franchise: &str,
    field: &str,
    values: &[String],
    announced: Option<&str>,
    role: Option<&str>,
) -> std::result::Result<(String, String), String> {
    let (old, new) = match field {
        "title" => {
            let old = format!("\"{}\"", show.title);
            show.title = validate::title(&one(field, values)?)?;
            (old, format!("\"{}\"", show.title))
        }
        "network" => {
            let old = opt_text(&show.network);
            show.network = text_or_none(field, values)?;
            (old, opt_text(&show.network))
        }
        "status" => {
            let old = show.status.to_string();
            show.status = validate::status(&one(field, values)?)?;
            (old, show.status.to_string())
        }
        "premiere" => {
            let old = opt_date(show.premiere);
            show.premiere = date_or_none(field, values)?;
            (old, opt_date(show.premiere))
        }
        "finale" => {
            let old = opt_date(show.finale);
            show.finale = date_or_none(field, values)?;
            (old, opt_date(show.finale))
        }
        "renewal" => {
            let text = |r: &Option<Renewal>| match r {
                None => "none".to_string(),
                Some(r) => match r.announced {
                    Some(d) => format!("season {} (announced {d})", r.season),
                    None => format!("season {}", r.season),
                },
            };
            let old = text(&show.renewal);
            let v = one(field, values)?;
            show.renewal = if none(&v) {
                None
            } else {
                let season = validate::number(&v, "season")?;
                let announced = announced.map(validate::date).transpose()?;
                Some(Renewal { season, announced })
            };
            (old, text(&show.renewal))
        }
        "rt" => {
            let old = score_text(&show.rotten_tomatoes);
            show.rotten_tomatoes = scores(values, &show.rotten_tomatoes)?;
            (old, score_text(&show.rotten_tomatoes))
        }
        "creators" => {
            let old = list_text(&show.creators);
            show.creators = list_or_none(values)?;
            (old, list_text(&show.creators))
        }
        "cast" => set_cast(show, values, role)?,
        "based-on" => {
            let old = opt_text(&show.based_on);
            show.based_on = text_or_none(field, values)?;
            (old, opt_text(&show.based_on))
        }
        "origin" => {
            let text = |o: &Option<Origin>| match o {
                None => "none".to_string(),
                Some(o) => format!("{} of {}", o.kind, o.show),
            };
            let old = text(&show.origin);
            show.origin = match values {
                [v] if none(v) => None,
                [kind, parent @ ..] if !parent.is_empty() => {
                    let kind = validate::origin_kind(kind)?;
                    let (pf, parent) = named(library, &parent.join(" "))?;
                    if pf != franchise {
                        return Err(format!(
                            "{} is in another franchise; a show grows out of one in its own",
                            parent.title
                        ));
                    }
                    Some(Origin {
                        show: parent.id,
                        kind,
                    })
                }
                _ => return Err("origin takes spin-off|sequel|prequel SHOW, or none".into()),
            };
            (old, text(&show.origin))
        }
        other => return Err(unknown_field(other, "a show", SHOW_FIELDS)),
    };
    if announced.is_some() && field != "renewal" {
        return Err("--announced goes with the renewal field".into());
    }
    if role.is_some() && field != "cast" {
        return Err("--as goes with cast add".into());
    }
    Ok((old, new))
}

fn set_season(
    season: &mut Season,
    field: &str,
    values: &[String],
) -> std::result::Result<(String, String), String> {
    Ok(match field {
        "premiere" => {
            let old = opt_date(season.premiere);
            season.premiere = date_or_none(field, values)?;
            (old, opt_date(season.premiere))
        }
        "rt" => {
            let old = score_text(&season.rotten_tomatoes);
            season.rotten_tomatoes = scores(values, &season.rotten_tomatoes)?;
            (old, score_text(&season.rotten_tomatoes))
        }
        "adapts" => {
            let old = list_text(&season.adapts);
            season.adapts = list_or_none(values)?;
            (old, list_text(&season.adapts))
        }
        other => return Err(unknown_field(other, "a season", SEASON_FIELDS)),
    })
}

fn set_episode(
    episode: &mut Episode,
    field: &str,
    values: &[String],
) -> std::result::Result<(String, String), String> {
    Ok(match field {
        "title" => {
            let old = opt_text(&episode.title);
            let v = one(field, values)?;
            episode.title = if none(&v) {
                None
            } else {
                Some(validate::title(&v)?)
            };
            (old, opt_text(&episode.title))
        }
        "aired" => {
            let old = opt_date(episode.air_date);
            episode.air_date = date_or_none(field, values)?;
            (old, opt_date(episode.air_date))
        }
        "runtime" => {
            let text = |r: Option<u32>| r.map_or_else(|| "unknown".into(), |r| format!("{r} min"));
            let old = text(episode.runtime);
            let v = one(field, values)?;
            episode.runtime = if none(&v) {
                None
            } else {
                Some(validate::runtime(&v)?)
            };
            (old, text(episode.runtime))
        }
        "directed" => {
            let old = opt_text(&episode.directed_by);
            episode.directed_by = text_or_none(field, values)?;
            (old, opt_text(&episode.directed_by))
        }
        "written" => {
            let old = opt_text(&episode.written_by);
            episode.written_by = text_or_none(field, values)?;
            (old, opt_text(&episode.written_by))
        }
        other => return Err(unknown_field(other, "an episode", EPISODE_FIELDS)),
    })
}

/// True when `word` is an `S01` / `S01E03` code rather than a field name.
fn is_code(word: &str) -> bool {
    let mut chars = word.chars();
    matches!(chars.next(), Some('s' | 'S')) && chars.next().is_some_and(|c| c.is_ascii_digit())
}

/// `set SHOW [S01|S01E03] FIELD VALUE…`.
pub fn set(path: &Path, args: &SetArgs) -> Result<String> {
    run(path, |library| {
        let (franchise, mut show) = named(library, &args.show)?;
        let (code, rest) = match args.what.split_first() {
            Some((first, rest)) if is_code(first) => (Some(first.as_str()), rest),
            _ => (None, args.what.as_slice()),
        };
        let Some((field, values)) = rest.split_first() else {
            return Err("say which field to set, then its value".into());
        };
        let field = field.to_ascii_lowercase();
        if values.is_empty() {
            return Err(if field == "cast" {
                CAST_FORM.into()
            } else {
                format!("{field} needs a value")
            });
        }
        let (label, (old, new)) = match code {
            None => {
                let changed = set_show(
                    library,
                    &mut show,
                    &franchise,
                    &field,
                    values,
                    args.announced.as_deref(),
                    args.role.as_deref(),
                )?;
                (show.title.clone(), changed)
            }
            Some(code) => {
                if args.announced.is_some() {
                    return Err("--announced goes with the show's renewal field".into());
                }
                if args.role.is_some() {
                    return Err("--as goes with the show's cast field".into());
                }
                let (n, e) = validate::season_or_episode(code)?;
                let title = show.title.clone();
                let season = show
                    .season_mut(n)
                    .ok_or_else(|| format!("{title} has no season {n}"))?;
                match e {
                    None => (
                        format!("{title} season {n}"),
                        set_season(season, &field, values)?,
                    ),
                    Some(e) => {
                        let code = episode_code(n, e);
                        let episode = season
                            .episode_mut(e)
                            .ok_or_else(|| format!("{title} has no {code}"))?;
                        (
                            format!("{title} {code}"),
                            set_episode(episode, &field, values)?,
                        )
                    }
                }
            }
        };
        let (f, s) = library
            .find_show(&show.id)
            .ok_or_else(|| format!("no show \"{}\"", args.show))?;
        if library.show_at(f, s) == Some(&show) {
            return Ok((format!("{label}: {field} is already {new}\n"), false));
        }
        apply(library, &put(&franchise, show))?;
        Ok((format!("{label}: {field} {old} → {new}\n"), true))
    })
}

// ---------------------------------------------------------------------------------------------
// news

/// Where an event dated `date` goes among `events`: after the last one dated on or before it.
fn event_position(events: &[Event], date: Option<Date>) -> usize {
    match date {
        Some(d) => events
            .iter()
            .rposition(|e| e.date.is_some_and(|x| x <= d))
            .map_or_else(
                // Before every dated event, but after undated ones that open the list.
                || events.iter().take_while(|e| e.date.is_none()).count(),
                |i| i + 1,
            ),
        None => events.len(),
    }
}

/// The season news is about: --season, else the renewed one, else the one after the last.
fn news_season(show: &Show, season: Option<&str>) -> std::result::Result<u32, String> {
    match season {
        Some(s) => validate::number(s, "season"),
        None => Ok(show.renewal.as_ref().map_or_else(
            || show.seasons.iter().map(|s| s.number).max().unwrap_or(0) + 1,
            |r| r.season,
        )),
    }
}

/// `news SHOW "text" --date D --kind K [--source URL] [--apply]`.
pub fn news(path: &Path, args: &NewsArgs) -> Result<String> {
    run(path, |library| {
        let (franchise, mut show) = named(library, &args.show)?;
        let text = validate::line(&args.text, "the news")?;
        let date = args.date.as_deref().map(validate::date).transpose()?;
        let date = date.unwrap_or_else(today);
        let kind = validate::event_kind(&args.kind)?;
        let sources = args
            .source
            .iter()
            .map(|s| validate::url(s))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        if !args.apply && (args.season.is_some() || args.premiere.is_some() || !args.rt.is_empty())
        {
            return Err("--season, --premiere and --rt go with --apply".into());
        }
        let mut applied = Vec::new();
        if args.apply {
            match kind {
                EventKind::Renewed => {
                    let season = news_season(&show, args.season.as_deref())?;
                    if show.status != Status::Renewed {
                        applied.push(format!("status {} → renewed", show.status));
                    }
                    show.status = Status::Renewed;
                    show.renewal = Some(Renewal {
                        season,
                        announced: Some(date),
                    });
                    applied.push(format!("renewal season {season} (announced {date})"));
                }
                EventKind::Cancelled => {
                    if show.status != Status::Cancelled {
                        applied.push(format!("status {} → cancelled", show.status));
                    }
                    show.status = Status::Cancelled;
                }
                EventKind::PremiereDateSet => {
                    let premiere = args
                        .premiere
                        .as_deref()
                        .ok_or("premiere-date-set with --apply needs --premiere DATE")?;
                    let premiere = validate::date(premiere)?;
                    let n = news_season(&show, args.season.as_deref())?;
                    let first = show.seasons.iter().map(|s| s.number).min().unwrap_or(n) == n;
                    if show.season(n).is_none() {
                        let at = show.seasons.iter().take_while(|s| s.number < n).count();
                        show.seasons.insert(at, Season::new(n));
                        applied.push(format!("season {n} added"));
                    }
                    if let Some(season) = show.season_mut(n) {
                        season.premiere = Some(premiere);
                    }
                    applied.push(format!("season {n} premiere {premiere}"));
                    if first && show.premiere.is_none() {
                        show.premiere = Some(premiere);
                        applied.push(format!("premiere {premiere}"));
                    }
                }
                EventKind::Score => {
                    if args.rt.is_empty() {
                        return Err(
                            "score with --apply needs --rt TOMATOMETER [POPCORNMETER]".into()
                        );
                    }
                    match args.season.as_deref() {
                        None => {
                            show.rotten_tomatoes = scores(&args.rt, &show.rotten_tomatoes)?;
                            applied.push(format!("rt {}", score_text(&show.rotten_tomatoes)));
                        }
                        Some(s) => {
                            let n = validate::number(s, "season")?;
                            let title = show.title.clone();
                            let season = show
                                .season_mut(n)
                                .ok_or_else(|| format!("{title} has no season {n}"))?;
                            season.rotten_tomatoes = scores(&args.rt, &season.rotten_tomatoes)?;
                            applied.push(format!(
                                "season {n} rt {}",
                                score_text(&season.rotten_tomatoes)
                            ));
                        }
                    }
                }
                other => {
                    return Err(format!(
                        "news of kind \"{other}\" changes no fact; leave out --apply"
                    ));
                }
            }
        }
        let at = event_position(&show.events, Some(date));
        show.events.insert(
            at,
            Event {
                kind,
                date: Some(date),
                when: None,
                what: text.clone(),
                sources: sources.clone(),
                yours: true,
            },
        );
        let title = show.title.clone();
        apply(library, &Edit::Batch(vec![put(&franchise, show)]))?;
        let mut out = format!("{title}: news recorded, {date} {kind}: \"{text}\"");
        if let Some(first) = sources.first() {
            let _ = write!(out, " ({first})");
        }
        out.push('\n');
        if !applied.is_empty() {
            let _ = writeln!(out, "{title}: {}", applied.join("; "));
        }
        Ok((out, true))
    })
}

// ---------------------------------------------------------------------------------------------
// add

/// `add show|season|episode`.
pub fn add(path: &Path, item: &AddItem) -> Result<String> {
    match item {
        AddItem::Show(args) => add_show(path, args),
        AddItem::Season(args) => add_season(path, args),
        AddItem::Episode(args) => add_episode(path, args),
    }
}

/// The franchise named `name` (id, or title ignoring case and punctuation).
fn franchise_named<'a>(library: &'a Library, name: &str) -> Option<&'a Franchise> {
    let wanted = normalize(name);
    library
        .franchises
        .iter()
        .find(|f| f.id == name)
        .or_else(|| {
            library
                .franchises
                .iter()
                .find(|f| normalize(&f.title) == wanted || normalize(&f.id) == wanted)
        })
}

fn add_show(path: &Path, args: &AddShowArgs) -> Result<String> {
    run(path, |library| {
        let title = validate::title(&args.title)?;
        let status = validate::status(&args.status)?;
        let premiere = args.premiere.as_deref().map(validate::date).transpose()?;
        let network = args
            .network
            .as_deref()
            .map(|n| validate::line(n, "the network"))
            .transpose()?;
        let origin = [
            (&args.spin_off_of, OriginKind::SpinOff),
            (&args.sequel_of, OriginKind::Sequel),
            (&args.prequel_of, OriginKind::Prequel),
        ]
        .into_iter()
        .find_map(|(key, kind)| key.as_ref().map(|k| (k, kind)));
        let origin = match origin {
            Some((key, kind)) => {
                let (f, parent) = named(library, key)?;
                Some((
                    f,
                    Origin {
                        show: parent.id,
                        kind,
                    },
                ))
            }
            None => None,
        };
        let mut edits = Vec::new();
        let (franchise_id, franchise_title, new_franchise) = match (
            args.franchise.as_deref(),
            &origin,
        ) {
            (Some(name), _) => match franchise_named(library, name) {
                Some(f) => {
                    if let Some((of, o)) = &origin
                        && *of != f.id
                    {
                        return Err(format!(
                            "\"{}\" is in another franchise than \"{}\"; a show grows out of one in its own",
                            o.show, f.title
                        ));
                    }
                    (f.id.clone(), f.title.clone(), false)
                }
                None => {
                    if let Some((_, o)) = &origin {
                        return Err(format!(
                            "no franchise \"{name}\"; \"{}\" is in another one",
                            o.show
                        ));
                    }
                    let ftitle = validate::title(name)?;
                    let id = unique_id(&slug(&ftitle), |id| {
                        library.franchises.iter().any(|f| f.id == id)
                    });
                    edits.push(Edit::PutFranchise {
                        id: id.clone(),
                        at: None,
                        franchise: Some(Box::new(Franchise {
                            id: id.clone(),
                            title: ftitle.clone(),
                            based_on: None,
                            notes: String::new(),
                            shows: Vec::new(),
                            watch_order: Vec::new(),
                        })),
                    });
                    (id, ftitle, true)
                }
            },
            (None, Some((f, _))) => {
                let t = franchise_named(library, f).map(|x| x.title.clone());
                (f.clone(), t.unwrap_or_default(), false)
            }
            (None, None) => {
                return Err(
                        "say which franchise: --franchise F (a new one is made when none has that name)"
                            .into(),
                    );
            }
        };
        let id = unique_id(&slug(&title), |id| library.find_show(id).is_some());
        let show = Show {
            origin: origin.map(|(_, o)| o),
            network,
            status,
            premiere,
            ..Show::new(id.clone(), title.clone())
        };
        edits.push(put(&franchise_id, show));
        apply(library, &Edit::Batch(edits))?;
        let made = if new_franchise { " (new)" } else { "" };
        Ok((
            format!("added \"{title}\" ({id}) to the franchise \"{franchise_title}\"{made}\n"),
            true,
        ))
    })
}

fn add_season(path: &Path, args: &AddSeasonArgs) -> Result<String> {
    run(path, |library| {
        let (franchise, mut show) = named(library, &args.show)?;
        let n = match args.number.as_deref() {
            Some(n) => validate::number(n, "season")?,
            None => show.seasons.iter().map(|s| s.number).max().unwrap_or(0) + 1,
        };
        if show.season(n).is_some() {
            return Err(format!("{} already has season {n}", show.title));
        }
        let mut season = Season::new(n);
        season.premiere = args.premiere.as_deref().map(validate::date).transpose()?;
        let at = show.seasons.iter().take_while(|s| s.number < n).count();
        show.seasons.insert(at, season);
        let title = show.title.clone();
        apply(library, &put(&franchise, show))?;
        Ok((format!("{title}: season {n} added\n"), true))
    })
}

fn add_episode(path: &Path, args: &AddEpisodeArgs) -> Result<String> {
    run(path, |library| {
        let (franchise, mut show) = named(library, &args.show)?;
        let (n, e) = validate::season_or_episode(&args.code)?;
        let title = validate_opt(args.title.as_deref(), validate::title)?;
        let aired = validate_opt(args.aired.as_deref(), validate::date)?;
        let runtime = validate_opt(args.runtime.as_deref(), validate::runtime)?;
        let name = show.title.clone();
        let season = show.season_mut(n).ok_or_else(|| {
            format!("{name} has no season {n}; `fantrack add season` makes it first")
        })?;
        let e = match e {
            Some(e) => validate::number(&e.to_string(), "episode")?,
            None => season.episodes.iter().map(|x| x.number).max().unwrap_or(0) + 1,
        };
        let code = episode_code(n, e);
        if let Some(there) = season.episode(e) {
            return Err(format!(
                "{name} {code} already exists (\"{}\"); episode numbers are unique in a season",
                there.display_title()
            ));
        }
        let mut episode = Episode::new(e);
        episode.title = title;
        episode.air_date = aired;
        episode.runtime = runtime;
        let at = season.episodes.iter().take_while(|x| x.number < e).count();
        season.episodes.insert(at, episode);
        apply(library, &put(&franchise, show))?;
        Ok((format!("{name}: {code} added\n"), true))
    })
}

fn validate_opt<T>(
    text: Option<&str>,
    check: impl Fn(&str) -> std::result::Result<T, String>,
) -> std::result::Result<Option<T>, String> {
    text.map(check).transpose()
}

// ---------------------------------------------------------------------------------------------
// remove

/// What goes with a deletion, counted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Loss {
    seasons: usize,
    episodes: usize,
    watched: usize,
    notes: usize,
}

impl Loss {
    fn season(&mut self, season: &Season) {
        self.seasons += 1;
        self.notes += usize::from(!season.notes.is_empty());
        for e in season.episodes.iter().chain(&season.specials) {
            self.episode(e);
        }
    }

    fn episode(&mut self, e: &Episode) {
        self.episodes += 1;
        self.watched += usize::from(e.is_watched());
        self.notes += usize::from(!e.notes.is_empty());
    }

    fn text(&self, whole_show: bool) -> String {
        let n =
            |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
        let mut parts = Vec::new();
        if whole_show {
            parts.push(n(self.seasons, "season", "seasons"));
        }
        if whole_show || self.seasons > 0 {
            parts.push(n(self.episodes, "episode", "episodes"));
        }
        parts.push(format!("{} watched", self.watched));
        parts.push(n(self.notes, "note", "notes"));
        parts.join(", ")
    }
}

/// Drops the watch-order keys of what is removed: `show` whole, or one season, or one episode.
fn drop_order_keys(
    order: &[String],
    show: &str,
    season: Option<u32>,
    episode: Option<u32>,
) -> Vec<String> {
    order
        .iter()
        .filter(|key| {
            let Some((id, code)) = key.split_once(' ') else {
                return true;
            };
            if id != show {
                return true;
            }
            let Some((s, e)) = crate::model::parse_episode_code(code) else {
                return true;
            };
            match (season, episode) {
                (None, _) => false,
                (Some(n), None) => s != n,
                (Some(n), Some(x)) => (s, e) != (n, x),
            }
        })
        .cloned()
        .collect()
}

/// `remove SHOW [S01|S01E03] [--yes]`.
pub fn remove(path: &Path, args: &RemoveArgs) -> Result<String> {
    ensure(path)?;
    // What goes, from the file as it is now; the removal itself reads it again under the lock.
    let library = commands::open(path)?;
    let (label, loss) = plan_removal(&library, args).map_err(Error::Other)?;
    let described = format!("{label}: {}", loss.text(args.what.is_none()));
    if !args.yes {
        use std::io::{BufRead, IsTerminal};
        if !std::io::stdin().is_terminal() {
            return Err(Error::Other(format!(
                "{described} would be deleted — run again with --yes"
            )));
        }
        eprint!("Delete {described}? [y/N] ");
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if !answer.trim().eq_ignore_ascii_case("y") {
            return Ok("nothing changed\n".into());
        }
    }
    run(path, |library| {
        let (_, now) = plan_removal(library, args)?;
        if now != loss {
            return Err(format!(
                "{label} changed meanwhile ({}); nothing deleted, run it again",
                now.text(args.what.is_none())
            ));
        }
        let mut report = removal(library, args)?;
        report.insert_str(0, &format!("deleted {described}\n"));
        Ok((report, true))
    })
}

fn plan_removal(
    library: &Library,
    args: &RemoveArgs,
) -> std::result::Result<(String, Loss), String> {
    let (_, show) = named(library, &args.show)?;
    let mut loss = Loss::default();
    let label = match args.what.as_deref() {
        None => {
            loss.notes += usize::from(!show.notes.is_empty());
            for s in &show.seasons {
                loss.season(s);
            }
            show.title.clone()
        }
        Some(code) => match validate::season_or_episode(code)? {
            (n, None) => {
                let season = show
                    .season(n)
                    .ok_or_else(|| format!("{} has no season {n}", show.title))?;
                loss.season(season);
                format!("{} season {n}", show.title)
            }
            (n, Some(e)) => {
                let code = episode_code(n, e);
                let episode = show
                    .season(n)
                    .and_then(|s| s.episode(e))
                    .ok_or_else(|| format!("{} has no {code}", show.title))?;
                loss.episode(episode);
                format!("{} {code}", show.title)
            }
        },
    };
    Ok((label, loss))
}

/// Builds and applies the removal as one batch; returns the extra lines to say.
fn removal(library: &mut Library, args: &RemoveArgs) -> std::result::Result<String, String> {
    let (franchise, mut show) = named(library, &args.show)?;
    let mut edits = Vec::new();
    let mut said = String::new();
    let (season, episode) = match args.what.as_deref() {
        None => {
            // The shows that grew out of it now grow out of its own parent, or nothing.
            if let Some(f) = library.franchises.iter().find(|f| f.id == franchise) {
                for (_, child) in f.children_of(&show.id) {
                    let mut child = child.clone();
                    child.origin = show.origin.clone();
                    let _ = writeln!(
                        said,
                        "{} now grows out of {}",
                        child.title,
                        show.origin.as_ref().map_or("nothing", |o| o.show.as_str())
                    );
                    edits.push(put(&franchise, child));
                }
            }
            edits.push(Edit::PutShow {
                franchise: franchise.clone(),
                id: show.id.clone(),
                at: None,
                show: None,
            });
            (None, None)
        }
        Some(code) => {
            let (n, e) = validate::season_or_episode(code)?;
            match e {
                None => show.seasons.retain(|s| s.number != n),
                Some(e) => {
                    if let Some(s) = show.season_mut(n) {
                        s.episodes.retain(|x| x.number != e);
                    }
                }
            }
            edits.push(put(&franchise, show.clone()));
            (Some(n), e)
        }
    };
    apply(library, &Edit::Batch(edits))?;
    // The franchise's curated order loses the keys of what went (`check` would warn).
    if let Some(f) = library.franchises.iter().find(|f| f.id == franchise) {
        let order = drop_order_keys(&f.watch_order, &show.id, season, episode);
        if order.len() != f.watch_order.len() {
            let mut changed = f.clone();
            changed.watch_order = order;
            apply(
                library,
                &Edit::PutFranchise {
                    id: franchise.clone(),
                    at: None,
                    franchise: Some(Box::new(changed)),
                },
            )?;
        }
    }
    Ok(said)
}

// ---------------------------------------------------------------------------------------------
// watch dates

/// `watch SHOW S01E03 --date NEW --replace OLD`: the viewing on OLD moves to NEW.
pub fn replace_viewing(
    path: &Path,
    show: &str,
    code: &str,
    old: Date,
    new: Date,
) -> Result<String> {
    viewing(path, show, code, |dates, label| {
        let i = dates
            .iter()
            .position(|d| *d == old)
            .ok_or_else(|| not_on(label, old, dates))?;
        if let Some(d) = dates.get_mut(i) {
            *d = new;
        }
        Ok(format!("{label}: the viewing of {old} is now on {new}"))
    })
}

/// `unwatch SHOW S01E03 --date D`: one viewing removed, the others kept.
pub fn remove_viewing(path: &Path, show: &str, code: &str, date: Date) -> Result<String> {
    viewing(path, show, code, |dates, label| {
        let i = dates
            .iter()
            .position(|d| *d == date)
            .ok_or_else(|| not_on(label, date, dates))?;
        dates.remove(i);
        Ok(match dates.len() {
            0 => format!("{label}: the viewing of {date} removed; now unwatched"),
            n => format!("{label}: the viewing of {date} removed; {n} left"),
        })
    })
}

fn not_on(label: &str, date: Date, dates: &[Date]) -> String {
    if dates.is_empty() {
        return format!("{label} is not watched");
    }
    let all: Vec<String> = dates.iter().map(Date::to_string).collect();
    format!(
        "{label} has no viewing on {date}; its viewings: {}",
        all.join(", ")
    )
}

/// Changes one episode's watch dates through `Edit::SetHistories`.
fn viewing(
    path: &Path,
    key: &str,
    code: &str,
    mut change: impl FnMut(&mut Vec<Date>, &str) -> std::result::Result<String, String>,
) -> Result<String> {
    let (message, warnings) = run(path, |library| {
        let (_, show) = named(library, key)?;
        let (n, e) = crate::model::parse_episode_code(code)
            .ok_or_else(|| format!("\"{code}\" is not an episode code like S01E03"))?;
        let label = format!("{} {}", show.title, episode_code(n, e));
        let episode = show
            .season(n)
            .and_then(|s| s.episode(e))
            .ok_or_else(|| format!("{} has no {}", show.title, episode_code(n, e)))?;
        let mut dates = episode.watched.clone();
        let before = dates.clone();
        let message = change(&mut dates, &label)?;
        dates.sort();
        let mut warnings = Vec::new();
        for d in dates.iter().filter(|d| !before.contains(d)) {
            if *d > today() {
                warnings.push(format!("{d} is in the future; recorded as given"));
            }
            if let Some(aired) = episode.air_date
                && *d < aired
            {
                warnings.push(format!(
                    "{d} is before the episode aired ({aired}); recorded as given"
                ));
            }
        }
        apply(
            library,
            &Edit::SetHistories {
                target: crate::model::Target::Episode(show.id.clone(), n, e),
                histories: vec![((n, e), dates)],
            },
        )?;
        Ok(((message, warnings), true))
    })?;
    for w in warnings {
        eprintln!("fantrack: warning: {w}");
    }
    Ok(format!("{message}\n"))
}
