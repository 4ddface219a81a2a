//! fantrack: a terminal app that tracks a TV franchise as a family tree.
//!
//! Map of the modules:
//! - `cli`       clap definitions: global `--file`, the subcommands
//! - `commands`  the plain-text subcommands (`list`, `show`, `next`, `watch`, ...)
//! - `edit_cli`  the editing verbs (`set`, `news`, `add show|season|episode`, `remove`)
//! - `complete`  completion that knows the shows (`COMPLETE=bash fantrack`), read-only
//! - `error`     the one error type above `store`; mapped to the exit code here
//! - `model/`    Franchise / Show / Season / Episode and pure logic: progress, orders, the
//!   spoiler shield, node lookups (`NodeId` → `Option<NodeRef>`), and `Edit`,
//!   every change as a value that returns its inverse (`PutShow`/`PutFranchise`/`Batch` for
//!   facts and structure, with tombstones so a deletion stays deleted), `validate` (one
//!   wording of what a valid value is, for forms and CLI alike), `rules` (what a valid
//!   library is, for loads and edits alike; `store` only places a problem in the text).
//!   Imports nothing above it: no module pair imports each other
//! - `present/`  the facts of a show / season / episode as (label, value) rows, worded once
//!   for the CLI and the details pane
//! - `store`     where the file lives, loading with precise errors, atomic saves, the lock
//! - `saver`     saves off the input thread: coalesced snapshots, never over an outside edit
//! - `fastron`   the fast parser of the RON fantrack writes; anything else goes to `ron`
//! - `cache`     start-up caches (first screen, parsed library), always checked against the file
//! - `trace`     `FANTRACK_TRACE_START=FILE`: each start phase's time, for profiling (off: free)
//! - `heap`      the allocator's start-up tuning (big heap steps, huge pages): the only `unsafe`
//! - `catalog`   merging a newer shipped catalog into the user's library (`catalog diff|update`)
//! - `tree`      the franchise flattened into visible rows (shared by `list` and the TUI)
//! - `tvmaze/`   add and refresh shows from TVmaze (`add --tvmaze`, `refresh`, `upcoming`)
//! - `import/`   history import (Trakt, TV Time, SeriesGuide), export, merging two copies
//! - `app/`      the TUI's state in parts (document, undo, tree pane, search, tally) and its one place
//!   of change, `App::update(Msg)`; the forms (`form`, `facts`, `news`, `structure`,
//!   `viewings`), TVmaze and import flows with their worker thread (`jobs`); the run loop
//!   and start-up
//! - `ui/`       drawing: reads `&App`, writes nothing; what only drawing can measure (how
//!   far the details scroll) goes back to the app as `Msg::Drawn`; `layout` (pane geometry),
//!   `theme`; `present::Dates` is the config's `date_format` for everything shown
//! - `action`, `keymap` the TUI's intents and the key table (help and hints come from it)
//!
//! Where a new key, pane, fact or file format goes: README, "For developers".
//!
//! Exit codes: 0 success, 1 error (one line on stderr), 2 usage error (from clap).

#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::expect_used))]

use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;

use fantrack::cli::{CatalogAction, Cli, Command, ConfigAction};
use fantrack::error::Result;
use fantrack::{app, commands, edit_cli, shell, store, ui};

fn main() -> ExitCode {
    fantrack::heap::tune();
    fantrack::trace::start();
    // `COMPLETE=bash fantrack …`: the shell asks for candidates; answered, then exit.
    fantrack::complete::complete_env();
    let cli = Cli::from_env();
    fantrack::trace::mark("args");
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line whatever it holds (a path with a newline in it, say). Not eprintln:
            // after a closed terminal the write fails, and that must not be a panic.
            let _ = writeln!(
                std::io::stderr(),
                "fantrack: {}",
                store::one_line(&error.to_string())
            );
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    // Generated from the clap definitions; they need no library file.
    match &cli.command {
        Some(Command::Completions { shell }) => {
            return emit(&shell::completions(*shell, &mut Cli::command()));
        }
        Some(Command::Man) => {
            let page = shell::man(Cli::command()).map_err(|e| format!("man page: {e}"))?;
            return emit(&page);
        }
        _ => {}
    }
    let path = store::resolve_path(cli.file)?;
    let out = match cli.command {
        None => {
            let options = app::Options {
                no_color: cli.no_color,
            };
            return app::run_with(&path, ui::render, options);
        }
        Some(Command::Completions { .. } | Command::Man) => String::new(),
        Some(Command::Path { json: false }) => format!("{}\n", path.display()),
        Some(Command::Path { json: true }) => commands::path_json(&path),
        Some(Command::Check { json }) => {
            let report = commands::check_report(&path)?;
            for line in report.warning_lines() {
                eprintln!("fantrack: {line}");
            }
            if json {
                commands::check_json(&report)
            } else {
                report.summary()
            }
        }
        Some(Command::List { json: false }) => commands::list(&commands::open(&path)?),
        Some(Command::List { json: true }) => commands::list_json(&commands::open(&path)?),
        Some(Command::Show { show, json: false }) => {
            let dates = fantrack::present::Dates::from_config();
            commands::show(&commands::open(&path)?, &show, &dates)?
        }
        Some(Command::Show { show, json: true }) => {
            commands::show_json(&commands::open(&path)?, &show)?
        }
        Some(Command::Next { franchise, json }) => {
            let library = commands::open(&path)?;
            if json {
                commands::next_json(&library, franchise)
            } else {
                commands::next(
                    &library,
                    franchise,
                    &fantrack::present::Dates::from_config(),
                )
            }
        }
        Some(Command::Stats { json }) => {
            let library = commands::open(&path)?;
            let today = fantrack::model::today();
            if json {
                commands::stats_json(&library, today)
            } else {
                commands::stats(&library, today, &fantrack::present::Dates::from_config())
            }
        }
        Some(Command::Watch {
            show,
            episode,
            date,
            again,
            replace,
        }) => {
            let date = date.unwrap_or_else(fantrack::model::today);
            match replace {
                Some(old) => edit_cli::replace_viewing(&path, &show, &episode, old, date)?,
                None => change(&path, &show, &episode, Some(date), again)?,
            }
        }
        Some(Command::Unwatch {
            show,
            episode,
            date: Some(date),
        }) => edit_cli::remove_viewing(&path, &show, &episode, date)?,
        Some(Command::Unwatch {
            show,
            episode,
            date: None,
        }) => change(&path, &show, &episode, None, false)?,
        Some(Command::Set(args)) => edit_cli::set(&path, &args)?,
        Some(Command::News(args)) => edit_cli::news(&path, &args)?,
        Some(Command::Remove(args)) => edit_cli::remove(&path, &args)?,
        Some(Command::RestoreBackup { yes }) => commands::restore_backup(&path, yes)?,
        Some(Command::Add(add)) => match &add.item {
            Some(item) => edit_cli::add(&path, item)?,
            None => fantrack::tvmaze::cli::add(&path, &add.tvmaze)?,
        },
        Some(Command::Refresh(args)) => fantrack::tvmaze::cli::refresh(&path, &args)?,
        Some(Command::Upcoming(args)) => {
            let dates = fantrack::present::Dates::from_config();
            fantrack::tvmaze::cli::upcoming(&commands::open(&path)?, &args, &dates)
        }
        Some(Command::Import(args)) => fantrack::import::cli::import(&path, &args)?,
        Some(Command::Export(args)) => fantrack::import::cli::export(&path, &args)?,
        Some(Command::Merge(args)) => fantrack::import::cli::merge(&path, &args)?,
        Some(Command::Catalog { action }) => match action {
            CatalogAction::Diff { json: false } => commands::catalog_diff(&commands::open(&path)?),
            CatalogAction::Diff { json: true } => {
                commands::catalog_diff_json(&commands::open(&path)?)
            }
            CatalogAction::Update => commands::catalog_update(&path)?,
        },
        Some(Command::Config {
            action: ConfigAction::Init,
        }) => fantrack::config::config_init().map_err(fantrack::error::Error::Other)?,
    };
    emit(out.as_bytes())
}

/// Writes the output and flushes it. A closed pipe (`fantrack list | head`) is the reader's
/// choice and stays silent; any other failure (a full disk, `> /dev/full`) is an error, so
/// a script never takes a half-written listing for a whole one.
fn emit(bytes: &[u8]) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write the output: {e}").into()),
    }
}

/// Loads, changes one episode and saves only when something changed.
fn change(
    path: &std::path::Path,
    show: &str,
    episode: &str,
    date: Option<jiff::civil::Date>,
    again: bool,
) -> Result<String> {
    if !path.exists() {
        commands::open(path)?; // first run: create it from the shipped catalog
    }
    // Read-modify-write under the lock, checked against outside edits, so a TUI, another
    // command or an editor never loses this change, nor this change theirs.
    let watched = store::update(path, |library| {
        commands::watch_episode(library, show, episode, date, again)
            .map(|w| {
                let changed = w.changed;
                (w, changed)
            })
            .map_err(|e| e.to_string())
    })?;
    for warning in &watched.warnings {
        eprintln!("fantrack: warning: {warning}");
    }
    Ok(format!("{}\n", watched.message))
}
