//! The command line: a global `--file` and the plain-text subcommands. No subcommand opens the TUI.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Track a TV franchise: shows, spin-offs, seasons, episodes, what you watched and what is next.
#[derive(Debug, Parser)]
#[command(name = "fantrack", version = version_text(), about)]
pub struct Cli {
    /// The library file to use (default: $FANTRACK_FILE, else the config dir's fantrack/library.ron)
    #[arg(long, global = true, value_name = "PATH")]
    pub file: Option<PathBuf>,

    /// A colourless screen (as NO_COLOR=1 or TERM=dumb give)
    #[arg(long, global = true)]
    pub no_color: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// The process's command line. The TUI's plain ones (see [`Cli::plain`]) are read without
    /// building clap's command, two dozen subcommands with their arguments: that is a quarter
    /// of a millisecond of every start. Anything else is clap's to parse, help and errors
    /// included.
    pub fn from_env() -> Cli {
        Cli::plain(std::env::args_os().skip(1)).unwrap_or_else(Cli::parse)
    }

    /// `--file PATH` and `--no-color`, each at most once, in any order, or nothing: what clap
    /// would make of them (a test holds the two together). None for anything else, and for
    /// the edge cases (a value that starts with `-`, an empty one) that clap decides.
    pub fn plain(mut args: impl Iterator<Item = OsString>) -> Option<Cli> {
        let mut cli = Cli {
            file: None,
            no_color: false,
            command: None,
        };
        while let Some(arg) = args.next() {
            if arg == "--no-color" && !cli.no_color {
                cli.no_color = true;
            } else if arg == "--file" && cli.file.is_none() {
                let value = args.next()?;
                if value.is_empty() || value.as_encoded_bytes().starts_with(b"-") {
                    return None;
                }
                cli.file = Some(value.into());
            } else {
                return None;
            }
        }
        Some(cli)
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the library file's path
    Path {
        /// Print {"path": ...} as JSON
        #[arg(long)]
        json: bool,
    },
    /// Check that the library file loads and is consistent
    ///
    /// A curated watch_order key that names no episode, is written in another case or
    /// comes twice is a warning on stderr (file:line:col each); the file still loads, so
    /// the exit code stays 0. A file that does not load exits 1.
    Check {
        /// Print the summary and the warnings as one JSON document
        #[arg(long)]
        json: bool,
    },
    /// Print the franchise tree with watched/total per show and season
    List {
        /// Print the tree as one JSON document
        #[arg(long)]
        json: bool,
    },
    /// Print a show's facts and progress
    Show {
        /// Show id, title, or a unique prefix or word of either, e.g. `legacy`
        show: String,
        /// Print the facts, seasons and episodes as one JSON document
        #[arg(long)]
        json: bool,
    },
    /// Print the next unwatched episode of each show
    ///
    /// The rule: the episode after the furthest one you watched (so a rewatch or a skipped
    /// pilot does not send you back); earlier episodes you have not watched are named on
    /// the same line ("S01E01 not watched"), never skipped silently.
    Next {
        /// Also the next episode across the whole franchise, in its watch order
        #[arg(long)]
        franchise: bool,
        /// Print the next episodes as one JSON document
        #[arg(long)]
        json: bool,
    },
    /// Mark an episode watched (today, or --date)
    ///
    /// An episode already watched is left alone unless --again adds another viewing. A date
    /// in the future or before the episode aired is accepted with a warning.
    Watch {
        /// Show id, title, or a unique prefix or word of either, e.g. `ballard`
        show: String,
        /// Episode code, e.g. S01E02
        episode: String,
        /// The day you watched it (YYYY-MM-DD); default today
        #[arg(long)]
        date: Option<jiff::civil::Date>,
        /// Add another viewing to an episode already watched (a rewatch)
        #[arg(long, conflicts_with = "replace")]
        again: bool,
        /// Fix a watch date: the viewing on this day (YYYY-MM-DD) moves to --date
        #[arg(long, value_name = "OLD", requires = "date")]
        replace: Option<jiff::civil::Date>,
    },
    /// Mark an episode unwatched (clears its watch history), or remove one viewing (--date)
    Unwatch {
        /// Show id, title, or a unique prefix or word of either, e.g. `ballard`
        show: String,
        /// Episode code, e.g. S01E02
        episode: String,
        /// Remove only the viewing on this day (YYYY-MM-DD); the others stay
        #[arg(long, value_name = "DATE")]
        date: Option<jiff::civil::Date>,
    },
    Set(crate::edit_cli::SetArgs),
    News(crate::edit_cli::NewsArgs),
    Remove(crate::edit_cli::RemoveArgs),
    /// Put the backup (library.ron.bak, the version before the last save) back in place
    RestoreBackup {
        /// Do not ask for confirmation
        #[arg(long)]
        yes: bool,
    },
    /// Add a show, season or episode of your own, or a show from TVmaze (--tvmaze)
    ///
    /// `add show --franchise F --title T`, `add season SHOW [N]`, `add episode SHOW S01E11`;
    /// `add --tvmaze "QUERY"` or `add --tvmaze-file FILE` for a show from TVmaze.
    // Handlers: src/edit_cli.rs for the items, src/tvmaze/cli.rs for TVmaze.
    Add(AddCommand),
    // TVmaze (src/tvmaze/cli.rs has the arguments and handlers)
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
    /// Your settings file (theme, keys, defaults): `config init` writes one with every setting
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Episodes per month, hours watched and left, completion, the longest streak
    Stats {
        /// Print the figures as one JSON document
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script (see the README for where to put it)
    ///
    /// This script completes the subcommands and options. For show ids, episode codes and
    /// `set`'s fields too, source what `COMPLETE=SHELL fantrack` prints instead, e.g.
    /// `source <(COMPLETE=bash fantrack)` in ~/.bashrc.
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on stdout, e.g. `fantrack man > ~/.local/share/man/man1/fantrack.1`
    Man,
}

/// `add`: `add show|season|episode …`, or TVmaze's `add --tvmaze …` when no item is named.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct AddCommand {
    #[command(subcommand)]
    pub item: Option<crate::edit_cli::AddItem>,
    #[command(flatten)]
    pub tvmaze: crate::tvmaze::cli::AddArgs,
}

/// `--version`: the program's version and the shipped catalog's, which can move on its own.
pub fn version_text() -> String {
    format!(
        "{} (catalog version {})",
        env!("CARGO_PKG_VERSION"),
        crate::store::CATALOG_VERSION
    )
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Write the config file with every setting commented (never over an existing one)
    Init,
}

#[derive(Debug, Subcommand)]
pub enum CatalogAction {
    /// List what an update would change (new episodes, new facts, corrected titles)
    Diff {
        /// Print the changes as one JSON document
        #[arg(long)]
        json: bool,
    },
    /// Merge the shipped catalog into your library; your watch history, notes and ratings are kept
    Update,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> impl Iterator<Item = OsString> {
        words
            .iter()
            .map(OsString::from)
            .collect::<Vec<_>>()
            .into_iter()
    }

    fn clap(words: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("fantrack").chain(words.iter().copied()))
    }

    #[test]
    fn the_plain_command_lines_are_read_as_clap_reads_them() {
        for words in [
            &[][..],
            &["--file", "x.ron"],
            &["--no-color"],
            &["--file", "a b/lib.ron", "--no-color"],
            &["--no-color", "--file", "x"],
            &["--file", "list"],
        ] {
            let plain = Cli::plain(args(words)).unwrap_or_else(|| panic!("plain: {words:?}"));
            let clap = clap(words).expect("clap parses it");
            assert_eq!(format!("{plain:?}"), format!("{clap:?}"), "{words:?}");
        }
    }

    #[test]
    fn anything_else_is_left_to_clap() {
        for words in [
            &["list"][..],
            &["--help"],
            &["-V"],
            &["--version"],
            &["--file"],
            &["--file", "--no-color"],
            &["--file", "-x"],
            &["--file", ""],
            &["--file=x.ron"],
            &["--file", "x", "--file", "y"],
            &["--no-color", "--no-color"],
            &["--no-color", "list"],
            &["--", "x"],
            &["-h"],
            &["x.ron"],
        ] {
            assert!(Cli::plain(args(words)).is_none(), "{words:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_path_that_is_not_utf8_is_kept_byte_for_byte() {
        use std::os::unix::ffi::OsStringExt;
        let path = OsString::from_vec(b"lib\xff.ron".to_vec());
        let words = vec![OsString::from("--file"), path.clone()];
        let plain = Cli::plain(words.clone().into_iter()).expect("plain");
        assert_eq!(plain.file, Some(PathBuf::from(&path)));
        let clap = Cli::try_parse_from(std::iter::once(OsString::from("fantrack")).chain(words))
            .expect("clap");
        assert_eq!(clap.file, plain.file);
    }
}
