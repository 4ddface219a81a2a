//! fantrack: a terminal app that tracks a TV franchise as a family tree.
//!
//! Map of the modules:
//! - `cli`      clap definitions: global `--file`, the subcommands
//! - `commands` the plain-text subcommands (`list`, `show`, `next`, `watch`, ...)
//! - `model`    Franchise / Show / Season / Episode and pure logic (progress, next, toggling)
//! - `store`    where the file lives, loading with precise errors, atomic saves
//! - `tree`     the franchise flattened into visible rows (shared by `list` and the TUI)
//! - `catalog`  merging a newer shipped catalog into the user's library (`catalog diff|update`)
//! - `saver`    saves off the input thread: coalesced snapshots, never over an outside edit
//! - `cache`    start-up caches (first screen, parsed library), always checked against the file
//! - `generate` deterministic large libraries for benches and tests
//! - `import`   history import (Trakt, TV Time, SeriesGuide), export, merging two copies
//! - `app`      the TUI: state, `update(Action)`, the run loop
//! - `action`, `keymap`, `ui/` the TUI's intents, key table and drawing
//!
//! Exit codes: 0 success, 1 error (one line on stderr), 2 usage error (from clap).

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use fantrack::cli::{CatalogAction, Cli, Command};
use fantrack::{app, commands, store};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("fantrack: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> commands::Result<()> {
    let path = store::resolve_path(cli.file)?;
    let out = match cli.command {
        None => return app::run(&path),
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
) -> commands::Result<String> {
    if !path.exists() {
        commands::open(path)?; // first run: create it from the shipped catalog
    }
    // Read-modify-write under the lock, so a TUI or another command never loses this change.
    let _lock =
        store::lock(path, store::LOCK_WAIT).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut library = store::load(path).map_err(|e| e.to_string())?;
    let (message, changed) = commands::set_watched(&mut library, show, episode, date)?;
    if changed {
        store::save(path, &library).map_err(|e| e.to_string())?;
    }
    Ok(format!("{message}\n"))
}
