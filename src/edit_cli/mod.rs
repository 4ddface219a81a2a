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

mod add;
mod news;
mod remove;
mod set;
mod viewings;

pub use add::add;
pub use news::news;
pub use remove::remove;
pub use set::set;
pub use viewings::{remove_viewing, replace_viewing};

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

// The values `set`, `news` and `add` read.

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
