//! The plain-text subcommands. Each returns the text to print, or an error message for stderr.

use std::fmt::Write as _;
use std::path::Path;

use jiff::civil::Date;

use crate::catalog::{self, ChangeKind};
use crate::model::{Library, NodeRef, Show, episode_code, parse_episode_code};
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

/// `check`: loads the file without creating it and sums it up.
pub fn check(path: &Path) -> Result<String> {
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
    Ok(format!(
        "ok: {}: {} franchise(s), {} show(s), {} episodes, {} watched\n",
        path.display(),
        library.franchises.len(),
        shows,
        p.total,
        p.watched
    ))
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

/// Finds a show by id, or by title ignoring case; the error lists the ids.
pub fn named_show(library: &Library, key: &str) -> Result<(usize, usize)> {
    library.show_named(key).ok_or_else(|| {
        let ids: Vec<&str> = library
            .franchises
            .iter()
            .flat_map(|f| f.shows.iter().map(|s| s.id.as_str()))
            .collect();
        Error::NoShow {
            key: key.to_string(),
            ids: ids.join(", "),
        }
    })
}

/// `show SHOW`: the show's facts, one per line (the same rows as the TUI's details pane).
pub fn show(library: &Library, key: &str) -> Result<String> {
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
    Ok(present::facts_text(&facts))
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
    let shows: Vec<&Show> = library
        .franchises
        .iter()
        .flat_map(|f| &f.shows)
        .map(|s| &**s)
        .filter(|s| s.seasons.iter().any(|se| !se.episodes.is_empty()))
        .collect();
    let width = shows
        .iter()
        .map(|s| s.title.chars().count())
        .max()
        .unwrap_or(0);
    for show in shows {
        let what = match show.next_unwatched() {
            Some((season, e)) => name("", season, e).trim_start().to_string(),
            None => "all watched".into(),
        };
        let _ = writeln!(out, "{:<width$}  {what}", show.title);
    }
    out
}

/// `watch` / `unwatch`: changes one episode's history in memory. Returns the message to print
/// and whether anything changed (so nothing is saved when nothing did).
pub fn set_watched(
    library: &mut Library,
    key: &str,
    code: &str,
    watched: Option<Date>,
) -> Result<(String, bool)> {
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
    Ok(match watched {
        Some(date) if episode.watched.contains(&date) => {
            (format!("{label}: already watched on {date}"), false)
        }
        Some(date) => {
            episode.watched.push(date);
            episode.watched.sort();
            (format!("{label}: watched on {date}"), true)
        }
        None if episode.watched.is_empty() => (format!("{label}: was not watched"), false),
        None => {
            episode.watched.clear();
            (format!("{label}: unwatched"), true)
        }
    })
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
    if !yes {
        use std::io::{BufRead, IsTerminal};
        if !std::io::stdin().is_terminal() {
            return Err("restore-backup asks for confirmation; add --yes to run it without".into());
        }
        eprint!(
            "Replace {} with its backup ({} episodes, {} watched)? [y/N] ",
            path.display(),
            p.total,
            p.watched
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
        let mut aside = path.as_os_str().to_owned();
        aside.push(format!(
            ".before-restore-{}",
            jiff::Timestamp::now().as_second()
        ));
        let aside = std::path::PathBuf::from(aside);
        let replaced = std::fs::read(path).map_err(Error::file(path))?;
        store::write_atomic(&aside, &replaced, false).map_err(Error::file(&aside))?;
        kept = format!("; the replaced file is kept as {}", aside.display());
    }
    store::write_atomic(path, &bytes, false).map_err(Error::file(path))?;
    Ok(format!(
        "restored {} from {} ({} watched){kept}\n",
        path.display(),
        backup.display(),
        p.watched
    ))
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
    let mut library = store::load(path)?;
    let shipped = store::shipped_catalog();
    if let (Some(mine), Some(theirs)) = (library.catalog_version, shipped.catalog_version)
        && mine > theirs
    {
        return Err(Error::Other(format!(
            "your library is from catalog version {mine}, newer than this build's {theirs}; update fantrack"
        )));
    }
    let plan = catalog::update(&mut library, &shipped, None);
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
    store::save(path, &library)?;
    Ok(format!(
        "updated to catalog version {}: {} change(s); the file as it was is kept as {}\n{}",
        plan.to,
        plan.changes.len(),
        aside.display(),
        plan_text(&plan)
    ))
}
