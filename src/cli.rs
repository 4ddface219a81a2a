//! The command line: a global `--file` and the plain-text subcommands. No subcommand opens the TUI.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Track a TV franchise: shows, spin-offs, seasons, episodes, what you watched and what is next.
#[derive(Debug, Parser)]
#[command(name = "fantrack", version, about)]
pub struct Cli {
    /// The library file to use (default: $FANTRACK_FILE, else the config dir's fantrack/library.ron)
    #[arg(long, global = true, value_name = "PATH")]
    pub file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the library file's path
    Path,
    /// Check that the library file loads and is consistent
    Check,
    /// Print the franchise tree with watched/total per show and season
    List,
    /// Print a show's facts and progress
    Show {
        /// Show id or title, e.g. `ballard`
        show: String,
    },
    /// Print the next unwatched episode of each show
    Next {
        /// Also the next episode across the whole franchise, in its watch order
        #[arg(long)]
        franchise: bool,
    },
    /// Mark an episode watched (today, or --date)
    Watch {
        /// Show id or title, e.g. `ballard`
        show: String,
        /// Episode code, e.g. S01E02
        episode: String,
        /// The day you watched it (YYYY-MM-DD); default today
        #[arg(long)]
        date: Option<jiff::civil::Date>,
    },
    /// Mark an episode unwatched (clears its watch history)
    Unwatch {
        /// Show id or title, e.g. `ballard`
        show: String,
        /// Episode code, e.g. S01E02
        episode: String,
    },
    /// Put the backup (library.ron.bak, the version before the last save) back in place
    RestoreBackup {
        /// Do not ask for confirmation
        #[arg(long)]
        yes: bool,
    },
    // TVmaze (src/tvmaze/cli.rs has the arguments and handlers)
    Add(crate::tvmaze::cli::AddArgs),
    Refresh(crate::tvmaze::cli::RefreshArgs),
    Upcoming(crate::tvmaze::cli::UpcomingArgs),
    /// Import a Trakt, TV Time, SeriesGuide or fantrack export (file or ZIP)
    Import(crate::import::cli::ImportArgs),
    /// Write the library as JSON, CSV (one row per viewing) or ICS (upcoming episodes)
    Export(crate::import::cli::ExportArgs),
    /// Merge another copy of the library (a sync conflict copy) into this one
    Merge(crate::import::cli::MergeArgs),
    /// Compare your library with the catalog this build ships, or merge it in
    Catalog {
        #[command(subcommand)]
        action: CatalogAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum CatalogAction {
    /// List what an update would change (new episodes, new facts, corrected titles)
    Diff,
    /// Merge the shipped catalog into your library; your watch history, notes and ratings are kept
    Update,
}
