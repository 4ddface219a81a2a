//! The plain-text subcommands. Each returns the text to print, or an error message for stderr.

use std::fmt::Write as _;
use std::path::Path;

use jiff::civil::Date;

use crate::catalog::{self, ChangeKind};
use crate::model::{Episode, Library, NodeRef, Show, ShowLookup, episode_code, parse_episode_code};
use crate::present::{self, Fact};
use crate::store::{self, Opened};
use crate::tree;

use crate::error::Error;
pub use crate::error::Result;

/// Opens the library, creating it from the shipped catalog on first run (said on stderr).
pub fn open(path: &Path) -> Result<Library> {
    match store::open(path)? {
        Opened::Loaded(library) => Ok(library),
        Opened::Created(library) => {
            eprintln!(
                "fantrack: created {} with the shipped Bosch universe catalog",
                path.display()
            );
            Ok(library)
        }
    }
}

/// What `check` found in a file that loads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckReport {
    pub path: String,
    pub franchises: usize,
    pub shows: usize,
    pub episodes: usize,
    pub watched: usize,
    /// Curated watch_order keys the order view drops or repeats. Warnings: the file loads.
    pub warnings: Vec<CheckWarning>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckWarning {
    /// 1-based; 0 when the key could not be found in the text (written with escapes).
    pub line: usize,
    pub column: usize,
    pub key: String,
    pub message: String,
}

impl CheckReport {
    /// The `ok: …` line for stdout.
    pub fn summary(&self) -> String {
        let warned = match self.warnings.len() {
            0 => String::new(),
            n => format!(", {n} watch-order warning(s)"),
        };
        format!(
            "ok: {}: {} franchise(s), {} show(s), {} episodes, {} watched{warned}\n",
            self.path, self.franchises, self.shows, self.episodes, self.watched
        )
    }

    /// One `file:line:col: warning: …` line each, for stderr.
    pub fn warning_lines(&self) -> Vec<String> {
        self.warnings
            .iter()
            .map(|w| {
                format!(
                    "{}:{}:{}: warning: watch_order key \"{}\": {}",
                    self.path,
                    w.line,
                    w.column,
                    store::one_line(&w.key),
                    w.message
                )
            })
            .collect()
    }
}

/// `check`: loads the file without creating it and sums it up.
pub fn check(path: &Path) -> Result<String> {
    check_report(path).map(|r| r.summary())
}

/// `check` as data: the sums and the watch-order warnings with their line:col.
pub fn check_report(path: &Path) -> Result<CheckReport> {
    // A link to nothing is reported by the load, as `list` reports it.
    if !path.exists() && store::dangling_link(path).is_none() {
        return Err(Error::Other(format!(
            "{}: no library file yet (run `fantrack` once to create it)",
            path.display()
        )));
    }
    let library = store::load(path).map_err(|e| {
        let backup = store::backup_path(path);
        match store::load(&backup) {
            Ok(_) => Error::Other(format!(
                "{e}; a backup that loads is at {} (`fantrack restore-backup` puts it back)",
                backup.display()
            )),
            Err(_) => Error::Load(e),
        }
    })?;
    let shows: usize = library.franchises.iter().map(|f| f.shows.len()).sum();
    let p = library.progress();
    // It just loaded, so it reads; an error here only costs the positions.
    let text = std::fs::read_to_string(path).unwrap_or_default();
    Ok(CheckReport {
        path: path.display().to_string(),
        franchises: library.franchises.len(),
        shows,
        episodes: p.total,
        watched: p.watched,
        warnings: watch_order_warnings(&library, &text),
    })
}

/// Each franchise's watch-order problems, placed in `text`: the n-th `watch_order` field
/// with keys belongs to the n-th franchise with keys, and the k-th copy of a key string in
/// that list is the k-th occurrence of `"key"` after the field's name.
fn watch_order_warnings(library: &Library, text: &str) -> Vec<CheckWarning> {
    let fields: Vec<usize> = text.match_indices("watch_order").map(|(i, _)| i).collect();
    let mut warnings = Vec::new();
    for (nth, franchise) in library
        .franchises
        .iter()
        .filter(|f| !f.watch_order.is_empty())
        .enumerate()
    {
        let start = fields.get(nth).copied();
        for problem in franchise.watch_order_problems() {
            let copy = franchise
                .watch_order
                .iter()
                .take(problem.index)
                .filter(|k| **k == problem.key)
                .count();
            let quoted = format!("\"{}\"", problem.key);
            let offset = start.and_then(|start| {
                let rest = text.get(start..)?;
                rest.match_indices(&quoted)
                    .nth(copy)
                    .map(|(i, _)| start + i)
            });
            let (line, column) = offset.map_or((0, 0), |at| line_col(text, at));
            warnings.push(CheckWarning {
                line,
                column,
                key: problem.key,
                message: problem.message,
            });
        }
    }
    warnings
}

/// 1-based line and column (in characters) of byte `at`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count()
        + 1;
    (line, column)
}

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
pub fn show(library: &Library, key: &str) -> Result<String> {
    show_facts(library, key).map(|(_, _, facts)| present::facts_text(&facts))
}

/// The show `key` names, its franchise and its facts (the rows `show` prints).
fn show_facts<'a>(
    library: &'a Library,
    key: &str,
) -> Result<(&'a crate::model::Franchise, &'a Show, Vec<Fact>)> {
    let (f, s) = named_show(library, key)?;
    let (Some(franchise), Some(show)) = (library.franchises.get(f), library.show_at(f, s)) else {
        return Err(Error::Other(format!("no show \"{key}\"")));
    };
    let mut facts = vec![Fact::new("Show", format!("{} ({})", show.title, show.id))];
    facts.extend(present::show_facts(franchise, show));
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
pub fn next(library: &Library, franchise: bool) -> String {
    let mut out = String::new();
    let name = |title: &str, season: u32, e: &crate::model::Episode| {
        format!(
            "{title}  {}  {}{}",
            episode_code(season, e.number),
            e.display_title(),
            e.air_date.map(|d| format!("  ({d})")).unwrap_or_default()
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

/// `watch` / `unwatch`: changes one episode's history in memory. Returns the message to print
/// and whether anything changed (so nothing is saved when nothing did). An episode already
/// watched gets no second viewing here: that takes [`watch_episode`] with `again`.
pub fn set_watched(
    library: &mut Library,
    key: &str,
    code: &str,
    watched: Option<Date>,
) -> Result<(String, bool)> {
    watch_episode(library, key, code, watched, false).map(|w| (w.message, w.changed))
}

/// What [`watch_episode`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    pub message: String,
    pub changed: bool,
    /// For stderr: a date in the future, or before the episode aired. Still recorded.
    pub warnings: Vec<String>,
}

/// `watch` (`Some(date)`, `again` for a rewatch) and `unwatch` (`None`).
pub fn watch_episode(
    library: &mut Library,
    key: &str,
    code: &str,
    watched: Option<Date>,
    again: bool,
) -> Result<Watched> {
    let (f, s) = named_show(library, key)?;
    let (season, number) =
        parse_episode_code(code).ok_or_else(|| Error::NotAnEpisodeCode(code.to_string()))?;
    let show = library
        .franchises
        .get_mut(f)
        .and_then(|fr| fr.shows.get_mut(s))
        .ok_or_else(|| Error::Other(format!("no show \"{key}\"")))?;
    let title = show.title.clone();
    let episode = show
        .season_mut(season)
        .and_then(|se| se.episode_mut(number))
        .ok_or_else(|| Error::NoEpisode {
            show: title.clone(),
            code: episode_code(season, number),
        })?;
    let label = format!(
        "{title} {} {}",
        episode_code(season, number),
        episode.display_title()
    );
    let done = |message: String, changed: bool| Watched {
        message,
        changed,
        warnings: Vec::new(),
    };
    Ok(match watched {
        Some(date) if episode.is_watched() && !again => {
            let dates: Vec<String> = episode.watched.iter().map(Date::to_string).collect();
            done(
                format!(
                    "{label}: already watched on {}; --again adds another viewing",
                    dates.join(", ")
                ),
                false,
            )
            .with_warnings(date, episode.air_date)
        }
        Some(date) => {
            let air = episode.air_date;
            episode.watched.push(date);
            episode.watched.sort();
            let n = episode.watched.len();
            let message = if n > 1 {
                format!("{label}: watched on {date} (viewing {n})")
            } else {
                format!("{label}: watched on {date}")
            };
            done(message, true).with_warnings(date, air)
        }
        None if episode.watched.is_empty() => done(format!("{label}: was not watched"), false),
        None => {
            episode.watched.clear();
            done(format!("{label}: unwatched"), true)
        }
    })
}

impl Watched {
    /// Only a change is warned about: a refused watch needs no second voice.
    fn with_warnings(mut self, date: Date, aired: Option<Date>) -> Watched {
        if !self.changed {
            return self;
        }
        if date > crate::model::today() {
            self.warnings
                .push(format!("{date} is in the future; recorded as given"));
        }
        if let Some(aired) = aired
            && date < aired
        {
            self.warnings.push(format!(
                "{date} is before the episode aired ({aired}); recorded as given"
            ));
        }
        self
    }
}

/// `restore-backup`: puts `library.ron.bak` back, after confirmation. The file it replaces is
/// kept as `library.ron.before-restore-<time>`, so even this step loses nothing.
pub fn restore_backup(path: &Path, yes: bool) -> Result<String> {
    let backup = store::backup_path(path);
    if !backup.exists() {
        return Err(Error::Other(format!("no backup at {}", backup.display())));
    }
    let library =
        store::load(&backup).map_err(|e| Error::Other(format!("the backup does not load: {e}")))?;
    let p = library.progress();
    // Which file the counts describe and how old it is: the user is choosing between two.
    let described = format!(
        "{}, saved {}: {} episodes, {} watched",
        backup.display(),
        age(&backup),
        p.total,
        p.watched
    );
    if !yes {
        use std::io::{BufRead, IsTerminal};
        if !std::io::stdin().is_terminal() {
            return Err("restore-backup asks for confirmation; add --yes to run it without".into());
        }
        eprint!(
            "Replace {} with its backup ({described})? [y/N] ",
            path.display()
        );
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if !answer.trim().eq_ignore_ascii_case("y") {
            return Ok("nothing changed\n".into());
        }
    }
    let _lock = store::lock(path, store::LOCK_WAIT).map_err(Error::Lock)?;
    let bytes = std::fs::read(&backup).map_err(Error::file(&backup))?;
    // Restore exactly what was confirmed: a save meanwhile rotates the backup.
    if store::parse(
        std::str::from_utf8(&bytes).map_err(|e| Error::Other(e.to_string()))?,
        &backup,
    )
    .ok()
    .as_ref()
        != Some(&library)
    {
        return Err(
            "the backup changed meanwhile (fantrack saved); nothing restored, run it again".into(),
        );
    }
    let mut kept = String::new();
    if path.exists() {
        // A name of its own each time: restoring twice never loses the first replaced file.
        let aside = before_restore_path(path);
        let replaced = std::fs::read(path).map_err(Error::file(path))?;
        store::write_atomic(&aside, &replaced, false).map_err(Error::file(&aside))?;
        kept = format!("; the replaced file is kept as {}", aside.display());
    }
    store::write_atomic(path, &bytes, false).map_err(Error::file(path))?;
    Ok(format!(
        "restored {} from its backup ({described}){kept}\n",
        path.display(),
    ))
}

/// `library.ron.before-restore-2026-12-01T23-05-10` (local time, no colons so every file
/// system takes it); `-2`, `-3` … when a restore in the same second already used the name.
fn before_restore_path(path: &Path) -> std::path::PathBuf {
    let stamp = jiff::ZonedDateTime::now()
        .strftime("%Y-%m-%dT%H-%M-%S")
        .to_string();
    let mut n = 1;
    loop {
        let mut aside = path.as_os_str().to_owned();
        aside.push(format!(".before-restore-{stamp}"));
        if n > 1 {
            aside.push(format!("-{n}"));
        }
        let aside = std::path::PathBuf::from(aside);
        if !aside.exists() {
            return aside;
        }
        n += 1;
    }
}

/// "2026-12-01 23:05, 3 hours ago" from the file's modification time; "at an unknown time"
/// when the file system does not say.
fn age(path: &Path) -> String {
    let Some(modified) = std::fs::metadata(path).and_then(|m| m.modified()).ok() else {
        return "at an unknown time".into();
    };
    let Ok(when) = jiff::Timestamp::try_from(modified) else {
        return "at an unknown time".into();
    };
    let local = when.to_zoned_datetime(jiff::tz::TimeZone::system());
    let seconds = jiff::Timestamp::now().as_second() - when.as_second();
    let ago = match seconds {
        s if s < 0 => "in the future".to_string(),
        s if s < 60 => "just now".to_string(),
        s if s < 3600 => plural(s / 60, "minute"),
        s if s < 86_400 => plural(s / 3600, "hour"),
        s => plural(s / 86_400, "day"),
    };
    format!("{}, {ago}", local.strftime("%Y-%m-%d %H:%M"))
}

fn plural(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit} ago")
    } else {
        format!("{n} {unit}s ago")
    }
}

fn plan_text(plan: &catalog::Plan) -> String {
    let mut out = String::new();
    for change in &plan.changes {
        let tag = match change.kind {
            ChangeKind::NewShow => "new show",
            ChangeKind::NewSeason => "new season",
            ChangeKind::NewEpisode => "new episode",
            ChangeKind::Fact => "fact",
            ChangeKind::KeptUserEdit => "kept yours",
            ChangeKind::KeptDeleted => "kept deleted",
        };
        let _ = writeln!(out, "  {tag:<12} {}", change.what);
    }
    out
}

fn version(v: Option<u32>) -> String {
    v.map_or_else(|| "none".into(), |v| v.to_string())
}

/// `catalog diff`: what `catalog update` would change, changing nothing.
pub fn catalog_diff(library: &Library) -> String {
    let plan = catalog::diff(library, &store::shipped_catalog(), None);
    if plan.is_empty() {
        return format!(
            "up to date with the shipped catalog (version {})\n",
            plan.to
        );
    }
    format!(
        "catalog version {} → {}: {} change(s); `fantrack catalog update` applies them\n{}",
        version(plan.from),
        plan.to,
        plan.changes.len(),
        plan_text(&plan)
    )
}

/// `catalog update`: merges the shipped catalog under the lock, after copying the file aside.
pub fn catalog_update(path: &Path) -> Result<String> {
    if !path.exists() {
        open(path)?;
    }
    let _lock = store::lock(path, store::LOCK_WAIT).map_err(Error::Lock)?;
    let (mut library, stamp) = store::load_stamped(path)?;
    let shipped = store::shipped_catalog();
    if let (Some(mine), Some(theirs)) = (library.catalog_version, shipped.catalog_version)
        && mine > theirs
    {
        return Err(Error::Other(format!(
            "your library is from catalog version {mine}, newer than this build's {theirs}; update fantrack"
        )));
    }
    let plan = catalog::update(&mut library, &shipped, None);
    // Never save a file that would not load again (say, a deletion the merge did not foresee).
    if let Err((problem, _)) = store::validate(&library, "") {
        return Err(Error::Other(format!(
            "the update would leave a library that does not load ({problem}); nothing was saved"
        )));
    }
    if plan.is_empty() {
        return Ok(format!(
            "up to date with the shipped catalog (version {})\n",
            plan.to
        ));
    }
    let mut aside = path.as_os_str().to_owned();
    aside.push(format!(".catalog-{}.bak", version(plan.from)));
    let aside = std::path::PathBuf::from(aside);
    std::fs::copy(path, &aside).map_err(Error::file(&aside))?;
    // Checked against the file as read: an editor's save in between is never written over.
    if let store::Saved::ChangedOnDisk(_) = store::save_checked(path, &library, Some(&stamp))? {
        return Err(Error::Other(format!(
            "{}: changed on disk during the update; nothing was saved, run it again",
            path.display()
        )));
    }
    Ok(format!(
        "updated to catalog version {}: {} change(s); the file as it was is kept as {}\n{}",
        plan.to,
        plan.changes.len(),
        aside.display(),
        plan_text(&plan)
    ))
}

// ---------------------------------------------------------------------------------------------
// --json: one document on stdout, the shapes documented in the README ("Machine-readable
// output"). Fields are only ever added, never renamed or removed.

fn to_json(value: &serde_json::Value) -> String {
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
    let (franchise, show, facts) = show_facts(library, key)?;
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

fn hours(minutes: u64) -> String {
    format!("{}h{:02}", minutes / 60, minutes % 60)
}

/// `stats`: the same figures as text.
pub fn stats(library: &Library, today: Date) -> String {
    let st = crate::model::library_stats(library, today);
    let mut out = String::from("Episodes watched per month (last two years)\n");
    let most = st
        .months
        .iter()
        .map(|m| m.episodes)
        .max()
        .unwrap_or(0)
        .max(1);
    for m in &st.months {
        let bar = "#".repeat((m.episodes * 40).div_ceil(most));
        let _ = writeln!(out, "  {}  {:>4}  {bar}", m.month, m.episodes);
    }
    let _ = writeln!(out, "\nTime per show (known runtimes only)");
    let width = st
        .shows
        .iter()
        .map(|s| s.title.chars().count())
        .max()
        .unwrap_or(0);
    for s in &st.shows {
        let unknown = match s.unknown_runtime {
            0 => String::new(),
            n => format!("  ({n} of {} without a runtime)", s.total),
        };
        let _ = writeln!(
            out,
            "  {:<width$}  {:>8} watched  {:>8} left{unknown}",
            s.title,
            hours(s.minutes_watched),
            hours(s.minutes_left)
        );
    }
    let _ = writeln!(out, "\nCompletion per franchise");
    for f in &st.franchises {
        let _ = writeln!(
            out,
            "  {}  {}/{} ({}%)",
            f.title, f.watched, f.total, f.percent
        );
    }
    let _ = match &st.longest_streak {
        Some(s) => writeln!(
            out,
            "\nLongest streak: {} day(s) in a row, {} to {}",
            s.days, s.from, s.to
        ),
        None => writeln!(out, "\nLongest streak: nothing watched yet"),
    };
    out
}
