//! `remove SHOW|S01|S01E03`: what goes with a deletion, said before it happens.

use super::*;

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
