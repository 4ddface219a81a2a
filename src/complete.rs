//! Completion that knows the library (`source <(COMPLETE=bash fantrack)`): clap_complete's
//! dynamic engine, with show ids (titles as help), franchise ids, episode and season codes
//! and `set`'s field names read from the library file.
//!
//! It runs on every TAB, before anything else in `main`, so it is read-only and silent: the
//! file comes from the same `--file` / `$FANTRACK_FILE` / config-dir resolution as every
//! command, is read with the store's loader (never `store::open`, which would create it on
//! first run), and any error (no file, a broken one) just means no candidates. The static scripts
//! of `fantrack completions SHELL` stay as they were; they know the options, not the shows.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::sync::OnceLock;

use clap::{Arg, ArgMatches, Command, CommandFactory};
use clap_complete::engine::{ArgValueCandidates, ArgValueCompleter, CompletionCandidate};

use crate::cli::Cli;
use crate::edit_cli::{EPISODE_FIELDS, SEASON_FIELDS, SHOW_FIELDS};
use crate::model::{Library, Show, episode_code, validate};
use crate::store;

/// Answers a completion request and exits when `$COMPLETE` names a shell; otherwise returns
/// at once (one environment lookup) and the program runs as usual.
pub fn complete_env() {
    clap_complete::CompleteEnv::with_factory(command).complete();
}

/// The command line with the library-backed completers attached.
pub fn command() -> Command {
    attach(Cli::command(), "")
}

/// Gives each argument that names a show, a franchise, an episode or a `set` field its
/// completer, recursively, by what the argument is (its id, its value name) rather than by
/// a list of subcommands, so a new subcommand with a SHOW argument is covered too.
fn attach(cmd: Command, parent: &str) -> Command {
    let name = cmd.get_name().to_string();
    let at = if parent.is_empty() {
        name
    } else {
        format!("{parent} {name}")
    };
    let cmd = cmd.mut_args(|arg| with_completer(&at, arg));
    cmd.mut_subcommands(|sub| attach(sub, &at))
}

fn with_completer(at: &str, arg: Arg) -> Arg {
    let id = arg.get_id().as_str();
    let takes_value = arg.get_action().takes_values();
    let named_show = arg
        .get_value_names()
        .is_some_and(|names| names.iter().any(|n| n.as_str() == "SHOW"));
    let sub = at.strip_prefix("fantrack ").unwrap_or("");
    match (sub, id) {
        ("watch" | "unwatch", "episode") => arg.add(ArgValueCompleter::new(episode_codes)),
        ("remove", "what") => arg.add(ArgValueCompleter::new(season_and_episode_codes)),
        ("set", "what") => arg.add(ArgValueCompleter::new(set_words)),
        // `add --tvmaze-file F --show FILE` is a path, not a show: positional only.
        (_, "show" | "shows") if arg.is_positional() => arg.add(ArgValueCandidates::new(shows)),
        _ if named_show => arg.add(ArgValueCandidates::new(shows)),
        // `next --franchise` is a flag; `add show --franchise F` takes one.
        (_, "franchise") if takes_value => arg.add(ArgValueCandidates::new(franchises)),
        _ => arg,
    }
}

/// What the words before the one being completed say: the `--file` given, the show named,
/// `set`'s words so far; and the library they lead to. Worked out once per process.
struct Context {
    show: Option<String>,
    what: Vec<String>,
    library: Option<Library>,
}

fn context() -> &'static Context {
    static CONTEXT: OnceLock<Context> = OnceLock::new();
    CONTEXT.get_or_init(|| {
        let before = words_before(std::env::args_os().collect());
        let matches = Cli::command()
            .ignore_errors(true)
            .try_get_matches_from(before)
            .ok();
        // Globals are copied down to the deepest subcommand, where the show is too.
        let deepest = matches.as_ref().map(deepest);
        let file = deepest
            .and_then(|m| m.try_get_one::<PathBuf>("file").ok().flatten())
            .cloned();
        let show = deepest
            .and_then(|m| m.try_get_one::<String>("show").ok().flatten())
            .cloned();
        let what = deepest
            .and_then(|m| m.try_get_many::<String>("what").ok().flatten())
            .map(|values| values.cloned().collect())
            .unwrap_or_default();
        Context {
            show,
            what,
            library: library(file),
        }
    })
}

/// The words of the command line up to the one under the cursor. The shell scripts call
/// `fantrack -- WORDS…`; bash, zsh and elvish say which word is being completed in
/// `_CLAP_COMPLETE_INDEX`, fish and PowerShell always complete the last one.
fn words_before(args: Vec<OsString>) -> Vec<OsString> {
    let mut words: Vec<OsString> = match args.iter().position(|a| a == "--") {
        Some(at) => args.into_iter().skip(at + 1).collect(),
        None => return Vec::new(),
    };
    let last = words.len().saturating_sub(1);
    let index = std::env::var("_CLAP_COMPLETE_INDEX")
        .ok()
        .and_then(|i| i.parse::<usize>().ok())
        .unwrap_or(last);
    words.truncate(index.min(last));
    words
}

fn deepest(matches: &ArgMatches) -> &ArgMatches {
    match matches.subcommand() {
        Some((_, sub)) => deepest(sub),
        None => matches,
    }
}

/// The library, read only: a missing file stays missing (no first-run creation from a
/// TAB), and any error is no candidates. The TUI's parse cache is used when it holds these
/// exact bytes (ten times faster than the RON on a big library) but never written.
fn library(file: Option<PathBuf>) -> Option<Library> {
    let path = store::resolve_path(file).ok()?;
    let candidate = store::cache::Cache::from_env().and_then(|c| c.library_candidate(&path));
    store::load_stamped_cached(&path, candidate)
        .ok()
        .map(|(library, _, _)| library)
}

fn candidate(value: impl Into<OsString>, help: impl Into<String>) -> CompletionCandidate {
    CompletionCandidate::new(value).help(Some(help.into().into()))
}

/// Every show id, its title as help (shown by zsh, fish and PowerShell).
fn shows() -> Vec<CompletionCandidate> {
    let Some(library) = &context().library else {
        return Vec::new();
    };
    library
        .franchises
        .iter()
        .flat_map(|f| f.shows.iter())
        .map(|show| candidate(show.id.as_str(), show.title.as_str()))
        .collect()
}

fn franchises() -> Vec<CompletionCandidate> {
    let Some(library) = &context().library else {
        return Vec::new();
    };
    library
        .franchises
        .iter()
        .map(|f| candidate(f.id.as_str(), f.title.as_str()))
        .collect()
}

/// The show the command line names (id, title or prefix, as the commands resolve it).
fn named_show(context: &Context) -> Option<&Show> {
    let library = context.library.as_ref()?;
    let (f, s) = crate::commands::named_show(library, context.show.as_deref()?).ok()?;
    library.show_at(f, s)
}

fn episodes(show: &Show) -> impl Iterator<Item = CompletionCandidate> + '_ {
    show.seasons.iter().flat_map(|season| {
        season.episodes.iter().map(move |e| {
            let title = e
                .title
                .clone()
                .unwrap_or_else(|| format!("Episode {}", e.number));
            let seen = if e.is_watched() { " (watched)" } else { "" };
            candidate(
                episode_code(season.number, e.number),
                format!("{title}{seen}"),
            )
        })
    })
}

fn seasons(show: &Show) -> impl Iterator<Item = CompletionCandidate> + '_ {
    show.seasons.iter().map(|season| {
        candidate(
            format!("S{:02}", season.number),
            format!("season {}", season.number),
        )
    })
}

/// Keeps the candidates `current` starts, ignoring case, so `s01e<TAB>` finds `S01E03`.
fn starting(
    current: &OsStr,
    all: impl Iterator<Item = CompletionCandidate>,
) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy().to_ascii_lowercase();
    all.filter(|c| {
        c.get_value()
            .to_string_lossy()
            .to_ascii_lowercase()
            .starts_with(&current)
    })
    .collect()
}

fn episode_codes(current: &OsStr) -> Vec<CompletionCandidate> {
    match named_show(context()) {
        Some(show) => starting(current, episodes(show)),
        None => Vec::new(),
    }
}

fn season_and_episode_codes(current: &OsStr) -> Vec<CompletionCandidate> {
    match named_show(context()) {
        Some(show) => starting(current, seasons(show).chain(episodes(show))),
        None => Vec::new(),
    }
}

fn fields(names: &'static [&'static str]) -> impl Iterator<Item = CompletionCandidate> {
    names.iter().map(CompletionCandidate::new)
}

/// `set SHOW [S01|S01E03] FIELD VALUE…`: a code or a show field first, a season or episode
/// field after a code, and the few values that are a fixed word.
fn set_words(current: &OsStr) -> Vec<CompletionCandidate> {
    let context = context();
    let what: Vec<&str> = context.what.iter().map(String::as_str).collect();
    let code = what
        .first()
        .and_then(|w| validate::season_or_episode(w).ok());
    let all: Vec<CompletionCandidate> = match (what.as_slice(), code) {
        ([], _) => named_show(context)
            .into_iter()
            .flat_map(|s| seasons(s).chain(episodes(s)))
            .chain(fields(SHOW_FIELDS))
            .collect(),
        ([_], Some((_, Some(_)))) => fields(EPISODE_FIELDS).collect(),
        ([_], Some((_, None))) => fields(SEASON_FIELDS).collect(),
        (["status"], _) => {
            fields(&["upcoming", "running", "renewed", "ended", "cancelled"]).collect()
        }
        (["origin"], _) => fields(&["spin-off", "sequel", "prequel"]).collect(),
        (["origin", _], _) => shows(),
        _ => Vec::new(),
    };
    starting(current, all.into_iter())
}
