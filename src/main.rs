//! fantrack: a terminal app that tracks a TV franchise as a family tree.
//!
//! Map of the modules:
//! - `cli`       clap definitions: global `--file`, the subcommands
//! - `commands`  the plain-text subcommands (`list`, `show`, `next`, `watch`, ...)
//! - `error`     the one error type above `store`; mapped to the exit code here
//! - `model/`    Franchise / Show / Season / Episode and pure logic: progress, orders, the
//!   spoiler shield, node lookups (`NodeId` → `Option<NodeRef>`), and `Edit`,
//!   every change as a value that returns its inverse
//! - `present/`  the facts of a show / season / episode as (label, value) rows, worded once
//!   for the CLI and the details pane
//! - `store`     where the file lives, loading with precise errors, atomic saves, the lock
//! - `saver`     saves off the input thread: coalesced snapshots, never over an outside edit
//! - `cache`     start-up caches (first screen, parsed library), always checked against the file
//! - `catalog`   merging a newer shipped catalog into the user's library (`catalog diff|update`)
//! - `tree`      the franchise flattened into visible rows (shared by `list` and the TUI)
//! - `tvmaze/`   add and refresh shows from TVmaze (`add --tvmaze`, `refresh`, `upcoming`)
//! - `import/`   history import (Trakt, TV Time, SeriesGuide), export, merging two copies
//! - `app/`      the TUI's state in parts (document, undo, tree pane, search) and its one place
//!   of change, `App::update(Msg)`; the run loop and start-up
//! - `ui/`       drawing: reads `&App`, writes nothing; `layout` (pane geometry), `theme`
//! - `action`, `keymap` the TUI's intents and the key table (help and hints come from it)
//!
//! Where a new key, pane, fact or file format goes: README, "For developers".
//!
//! Exit codes: 0 success, 1 error (one line on stderr), 2 usage error (from clap).

#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::expect_used))]

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use fantrack::cli::{CatalogAction, Cli, Command};
use fantrack::error::Result;
use fantrack::{app, commands, store, ui};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line whatever it holds (a path with a newline in it, say).
            eprintln!("fantrack: {}", store::one_line(&error.to_string()));
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let path = store::resolve_path(cli.file)?;
    let out = match cli.command {
        None => return app::run(&path, ui::draw),
        Some(Command::Path) => format!("{}\n", path.display()),
        Some(Command::Check) => commands::check(&path)?,
        Some(Command::List) => commands::list(&commands::open(&path)?),
        Some(Command::Show { show }) => commands::show(&commands::open(&path)?, &show)?,
        Some(Command::Next { franchise }) => commands::next(&commands::open(&path)?, franchise),
        Some(Command::Watch {
            show,
            episode,
            date,
        }) => {
            let date = date.unwrap_or_else(fantrack::model::today);
            change(&path, &show, &episode, Some(date))?
        }
        Some(Command::Unwatch { show, episode }) => change(&path, &show, &episode, None)?,
        Some(Command::RestoreBackup { yes }) => commands::restore_backup(&path, yes)?,
        Some(Command::Add(args)) => fantrack::tvmaze::cli::add(&path, &args)?,
        Some(Command::Refresh(args)) => fantrack::tvmaze::cli::refresh(&path, &args)?,
        Some(Command::Upcoming(args)) => {
            fantrack::tvmaze::cli::upcoming(&commands::open(&path)?, &args)
        }
        Some(Command::Import(args)) => fantrack::import::cli::import(&path, &args)?,
        Some(Command::Export(args)) => fantrack::import::cli::export(&path, &args)?,
        Some(Command::Merge(args)) => fantrack::import::cli::merge(&path, &args)?,
        Some(Command::Catalog { action }) => match action {
            CatalogAction::Diff => commands::catalog_diff(&commands::open(&path)?),
            CatalogAction::Update => commands::catalog_update(&path)?,
        },
    };
    // A closed pipe (`fantrack list | head`) is not an error worth reporting.
    let _ = std::io::stdout().write_all(out.as_bytes());
    Ok(())
}

/// Loads, changes one episode and saves only when something changed.
fn change(
    path: &std::path::Path,
    show: &str,
    episode: &str,
    date: Option<jiff::civil::Date>,
) -> Result<String> {
    if !path.exists() {
        commands::open(path)?; // first run: create it from the shipped catalog
    }
    // Read-modify-write under the lock, checked against outside edits, so a TUI, another
    // command or an editor never loses this change, nor this change theirs.
    let message = store::update(path, |library| {
        commands::set_watched(library, show, episode, date).map_err(|e| e.to_string())
    })?;
    Ok(format!("{message}\n"))
}
