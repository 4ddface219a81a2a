//! `fantrack add --tvmaze "QUERY"`, `add --tvmaze-file FILE`, `refresh [SHOW…]`,
//! `upcoming [--days N]`: the clap arguments and the handlers. Every write is a
//! read-modify-write under the library's lock with an atomic save, and the network is used
//! before the lock is taken, so a slow TVmaze never blocks the app's saves.

use std::fmt::Write as _;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use super::client::{self, Client};
use super::json::{self, Fetched, Saved, SearchHit};
use super::merge::{self, Placement};
use super::refresh;
use super::{CREDIT, map};
use crate::catalog::{Change, ChangeKind};
use crate::commands;
use crate::model::{Library, OriginKind, today};
use crate::store;

/// Errors here are already worded for the user; `main` prints them as they are.
type Result<T> = std::result::Result<T, String>;

/// Saved responses larger than this are refused (the longest shows' are a few MB).
const MAX_INPUT: u64 = 64_000_000;

/// Add a show from TVmaze: search it online, or read a saved response
#[derive(Debug, Clone, clap::Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["tvmaze", "tvmaze_file"])))]
#[command(group(clap::ArgGroup::new("origin").args(["spin_off_of", "sequel_of", "prequel_of"])))]
pub struct AddArgs {
    /// Search TVmaze for the show, e.g. "slow horses"
    #[arg(long, value_name = "QUERY")]
    pub tvmaze: Option<String>,
    /// A saved TVmaze response (/shows/ID?embed=episodes, /singlesearch/shows?q=…&embed=episodes,
    /// or a /shows/ID/episodes list with --show); `-` reads stdin
    #[arg(long, value_name = "FILE")]
    pub tvmaze_file: Option<PathBuf>,
    /// With an episode list in --tvmaze-file: the saved /shows/ID response
    #[arg(long, value_name = "FILE", requires = "tvmaze_file")]
    pub show: Option<PathBuf>,
    /// Take the Nth search result (1 is the best match)
    #[arg(long, value_name = "N", requires = "tvmaze")]
    pub pick: Option<usize>,
    /// Never ask: without --pick, several matches are an error
    #[arg(long)]
    pub yes: bool,
    /// The franchise to put it in (id or title; a new one of that name if none has it).
    /// Default: a new franchise named after the show
    #[arg(long, value_name = "F")]
    pub franchise: Option<String>,
    /// It is a spin-off of this show (id or title)
    #[arg(long, value_name = "SHOW")]
    pub spin_off_of: Option<String>,
    /// It is a sequel of this show (id or title)
    #[arg(long, value_name = "SHOW")]
    pub sequel_of: Option<String>,
    /// It is a prequel of this show (id or title)
    #[arg(long, value_name = "SHOW")]
    pub prequel_of: Option<String>,
}

/// Re-fetch shows that came from TVmaze and merge what changed
#[derive(Debug, Clone, clap::Args)]
pub struct RefreshArgs {
    /// Shows (id or title); default every show with a TVmaze id
    pub shows: Vec<String>,
}

/// Episodes with a known air date from today on, soonest first
#[derive(Debug, Clone, clap::Args)]
pub struct UpcomingArgs {
    /// Only the next N days
    #[arg(long, value_name = "N")]
    pub days: Option<u32>,
}

/// `add --tvmaze…`.
pub fn add(path: &Path, args: &AddArgs) -> Result<String> {
    let fetched = match (&args.tvmaze, &args.tvmaze_file) {
        (_, Some(file)) => from_files(file, args.show.as_deref())?,
        (Some(query), None) => online(query, args)?,
        (None, None) => return Err("give --tvmaze \"QUERY\" or --tvmaze-file FILE".into()),
    };
    let origin = [
        (&args.spin_off_of, OriginKind::SpinOff),
        (&args.sequel_of, OriginKind::Sequel),
        (&args.prequel_of, OriginKind::Prequel),
    ]
    .into_iter()
    .find_map(|(show, kind)| show.clone().map(|s| (s, kind)));
    let placed = args.franchise.is_some() || origin.is_some();
    let place = Placement {
        franchise: args.franchise.clone(),
        origin,
    };
    let added = write(path, |library| {
        merge::add(library, &fetched, &place, today())
    })?;
    let mut out = String::new();
    if added.new {
        let _ = writeln!(
            out,
            "added \"{}\" ({}) to the franchise \"{}\"",
            added.title, added.show_id, added.franchise
        );
        out.push_str(&changes_text(&added.changes));
    } else if added.changes.is_empty() {
        let _ = writeln!(
            out,
            "\"{}\" ({}) is already here and up to date with TVmaze",
            added.title, added.show_id
        );
    } else {
        let _ = writeln!(
            out,
            "\"{}\" ({}) is already here: updated from TVmaze, {} change(s)",
            added.title,
            added.show_id,
            added.changes.len()
        );
        out.push_str(&changes_text(&added.changes));
    }
    if !added.new && placed {
        let _ = writeln!(
            out,
            "it stays in \"{}\": --franchise and --spin-off-of/--sequel-of/--prequel-of place new shows only",
            added.franchise
        );
    }
    let _ = writeln!(out, "source: {} · {CREDIT}", map::page(&fetched.show));
    Ok(out)
}

/// Loads the library under its lock, applies `change`, saves when anything changed.
fn write<T>(path: &Path, change: impl FnOnce(&mut Library) -> Result<T>) -> Result<T> {
    if !path.exists() {
        commands::open(path).map_err(|e| e.to_string())?; // first run: create it from the shipped catalog
    }
    let _lock =
        store::lock(path, store::LOCK_WAIT).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut library = store::load(path).map_err(|e| e.to_string())?;
    let before = library.clone();
    let result = change(&mut library)?;
    if library != before {
        store::save(path, &library).map_err(|e| e.to_string())?;
    }
    Ok(result)
}

/// Reads a saved file, or stdin for `-`.
fn read_input(file: &Path) -> Result<(String, String)> {
    let name = file.display().to_string();
    let mut bytes = Vec::new();
    let result = if name == "-" {
        std::io::stdin().take(MAX_INPUT + 1).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(file).and_then(|f| f.take(MAX_INPUT + 1).read_to_end(&mut bytes))
    };
    let name = if name == "-" {
        "stdin".to_string()
    } else {
        name
    };
    result.map_err(|e| format!("{name}: {e}"))?;
    if bytes.len() as u64 > MAX_INPUT {
        return Err(format!(
            "{name}: over {} MB, not a TVmaze response",
            MAX_INPUT / 1_000_000
        ));
    }
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{name}: not UTF-8 text, not TVmaze JSON"))?;
    Ok((name, text))
}

/// `--tvmaze-file FILE [--show SHOW]`.
pub fn from_files(file: &Path, show: Option<&Path>) -> Result<Fetched> {
    let (name, text) = read_input(file)?;
    match json::parse_saved(&text).map_err(|e| format!("{name}: {e}"))? {
        Saved::Show(s) => {
            if show.is_some() {
                return Err(format!(
                    "{name} is a whole show already; --show is only for an episode list"
                ));
            }
            Ok(Fetched::from_show(*s))
        }
        Saved::Episodes(episodes) => {
            let Some(show) = show else {
                return Err(format!(
                    "{name} is an episode list: add --show FILE with the saved /shows/ID response"
                ));
            };
            let (show_name, show_text) = read_input(show)?;
            let Saved::Show(s) =
                json::parse_saved(&show_text).map_err(|e| format!("{show_name}: {e}"))?
            else {
                return Err(format!("{show_name}: an episode list, not the show"));
            };
            let mut fetched = Fetched::from_show(*s);
            fetched.episodes = episodes;
            Ok(fetched)
        }
    }
}

fn client_error(e: client::Error, id: Option<u64>) -> String {
    match (e, id) {
        (client::Error::NotFound, Some(id)) => format!("no TVmaze show with id {id}"),
        (e, _) => e.to_string(),
    }
}

/// "Girls (2012, HBO, Ended)".
pub fn describe(hit: &SearchHit) -> String {
    let facts = map::show_facts(&hit.show);
    let mut parts = Vec::new();
    if let Some(p) = facts.premiere {
        parts.push(p.year().to_string());
    }
    if let Some(n) = facts.network {
        parts.push(n);
    }
    if !facts.status.is_empty() {
        parts.push(facts.status);
    }
    if parts.is_empty() {
        facts.title
    } else {
        format!("{} ({})", facts.title, parts.join(", "))
    }
}

/// Searches, picks one candidate, fetches it.
fn online(query: &str, args: &AddArgs) -> Result<Fetched> {
    let mut client = Client::from_env();
    let hits = client.search(query).map_err(|e| client_error(e, None))?;
    if hits.is_empty() {
        return Err(format!("TVmaze has no show matching \"{query}\""));
    }
    let chosen = match args.pick {
        Some(n) if (1..=hits.len()).contains(&n) => n - 1,
        Some(n) => {
            return Err(format!(
                "--pick {n}: there are {} match(es) for \"{query}\"",
                hits.len()
            ));
        }
        None => match only_fit(&hits, query) {
            Some(i) => i,
            None => ask(&hits, query, args.yes)?,
        },
    };
    let id = hits[chosen].show.id;
    client.fetch(id).map_err(|e| client_error(e, Some(id)))
}

/// The one candidate that fits: the only hit, or the only one named exactly like the query.
fn only_fit(hits: &[SearchHit], query: &str) -> Option<usize> {
    if hits.len() == 1 {
        return Some(0);
    }
    let q = query.trim().to_lowercase();
    let exact: Vec<usize> = (0..hits.len())
        .filter(|&i| hits[i].show.name.trim().to_lowercase() == q)
        .collect();
    (exact.len() == 1).then(|| exact[0])
}

/// Lists the candidates on stderr and asks for one; without a terminal (or with `--yes`) that
/// is an error that says how to choose.
fn ask(hits: &[SearchHit], query: &str, yes: bool) -> Result<usize> {
    let mut list = String::new();
    for (i, hit) in hits.iter().enumerate() {
        let _ = writeln!(list, "  {}. {}", i + 1, describe(hit));
    }
    eprint!("{} shows match \"{query}\":\n{list}", hits.len());
    if yes || !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(format!(
            "{} shows match \"{query}\"; choose one with --pick N (1–{})",
            hits.len(),
            hits.len()
        ));
    }
    eprint!("Which one? [1–{}, Enter to cancel] ", hits.len());
    let mut answer = String::new();
    let _ = std::io::stdin().read_line(&mut answer);
    match answer.trim().parse::<usize>() {
        Ok(n) if (1..=hits.len()).contains(&n) => Ok(n - 1),
        _ => Err("nothing added".into()),
    }
}

/// The changes, one per line, tagged.
pub fn changes_text(changes: &[Change]) -> String {
    let mut out = String::new();
    for change in changes {
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

/// `refresh [SHOW…]`: fetches each show (spaced, with progress on stderr), then merges them all
/// under the lock. A show that fails is reported and the others go on; then the exit is 1.
pub fn refresh(path: &Path, args: &RefreshArgs) -> Result<String> {
    let targets = refresh::targets(
        &commands::open(path).map_err(|e| e.to_string())?,
        &args.shows,
    )?;
    if targets.is_empty() {
        return Ok(
            "no show here comes from TVmaze; add one with `fantrack add --tvmaze \"NAME\"`\n"
                .into(),
        );
    }
    let n = targets.len();
    let fetched = refresh::fetch(&mut Client::from_env(), &targets, |i, n, title| {
        if n > 1 {
            eprintln!("fantrack: fetching {i}/{n}: {title}");
        }
    });
    let failed = fetched.failed;
    let today = today();
    let reports = write(path, |library| {
        Ok(refresh::apply(library, &fetched.done, today))
    })?;

    let mut out = String::new();
    for refresh::Refreshed { title, changes } in &reports {
        if changes.is_empty() {
            let _ = writeln!(out, "{title}: up to date");
        } else {
            let _ = writeln!(out, "{title}: {} change(s)", changes.len());
            out.push_str(&changes_text(changes));
        }
    }
    if failed.is_empty() {
        return Ok(out);
    }
    for line in &failed {
        let _ = writeln!(out, "{line}");
    }
    // What was refreshed is saved and printed; the exit says not everything was.
    use std::io::Write as _;
    let _ = std::io::stdout().write_all(out.as_bytes());
    Err(format!(
        "{} of {n} show(s) could not be refreshed: {}",
        failed.len(),
        failed.join("; ")
    ))
}

/// `upcoming [--days N]`.
pub fn upcoming(library: &Library, args: &UpcomingArgs) -> String {
    let list = merge::upcoming(library, today(), args.days);
    if list.is_empty() {
        return match args.days {
            Some(d) => format!("no episode with a known air date in the next {d} day(s)\n"),
            None => "no episode with a known air date from today on\n".into(),
        };
    }
    let w_show = list
        .iter()
        .map(|u| u.show.chars().count())
        .max()
        .unwrap_or(0);
    let w_code = list
        .iter()
        .map(|u| u.code.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for u in &list {
        let title = u.title.clone().unwrap_or_default();
        let network = u
            .network
            .as_ref()
            .map(|n| format!("  ({n})"))
            .unwrap_or_default();
        let line = format!(
            "{}  {:<w_show$}  {:<w_code$}  {title}{network}",
            u.date, u.show, u.code
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}
