//! Completion that knows the library: the real binary answering the shells' requests the way
//! the scripts from `COMPLETE=SHELL fantrack` make them (`fantrack -- WORDS…`, with
//! `_CLAP_COMPLETE_INDEX` and `_CLAP_IFS` for bash). The candidates come from a temporary
//! library; with no library there are none and none is created, and a broken one is left
//! byte for byte as it was. Every child gets HOME, XDG_CONFIG_HOME and FANTRACK_CACHE_DIR
//! in a temporary directory and no FANTRACK_FILE unless the test gives one.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use clap::CommandFactory;
use clap_complete::engine::{ArgValueCandidates, ArgValueCompleter};
use fantrack::store::{CATALOG, FILE_ENV};
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_fantrack");

/// The bash script's call for `words` with the cursor on the last word.
fn bash_complete(home: &Path, library: Option<&Path>, words: &[&str]) -> Output {
    let index = (words.len() - 1).to_string();
    let mut cmd = Command::new(BIN);
    cmd.arg("--")
        .args(words)
        .env_remove(FILE_ENV)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("FANTRACK_CACHE_DIR", home.join(".cache"))
        .env("COMPLETE", "bash")
        .env("_CLAP_IFS", "\u{b}")
        .env("_CLAP_COMPLETE_INDEX", index)
        .env("_CLAP_COMPLETE_COMP_TYPE", "9")
        .env("_CLAP_COMPLETE_SPACE", "false");
    if let Some(file) = library {
        cmd.env(FILE_ENV, file);
    }
    cmd.output().expect("run fantrack")
}

/// The candidates bash gets back (separated by its IFS, vertical tab).
fn candidates(out: &Output) -> Vec<String> {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout.clone()).expect("utf-8");
    text.split('\u{b}')
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// The candidates that are values, not `--options` (offered too on an empty word).
fn values(all: Vec<String>) -> Vec<String> {
    all.into_iter().filter(|c| !c.starts_with('-')).collect()
}

/// A home with the shipped catalog as the library; returns (home, library path).
fn with_library() -> (TempDir, std::path::PathBuf) {
    let home = tempfile::tempdir().expect("temp dir");
    let file = home.path().join("library.ron");
    fs::write(&file, CATALOG).expect("write library");
    (home, file)
}

#[test]
fn show_b_tab_gives_the_bosch_show_ids() {
    let (home, file) = with_library();
    let got = candidates(&bash_complete(
        home.path(),
        Some(&file),
        &["fantrack", "show", "b"],
    ));
    assert_eq!(
        got,
        ["bosch", "bosch-legacy", "ballard", "bosch-start-of-watch"]
    );
    // The prefix narrows them.
    let got = candidates(&bash_complete(
        home.path(),
        Some(&file),
        &["fantrack", "show", "bosch-"],
    ));
    assert_eq!(got, ["bosch-legacy", "bosch-start-of-watch"]);
}

#[test]
fn every_command_that_takes_a_show_completes_its_id() {
    let (home, file) = with_library();
    for words in [
        &["fantrack", "watch", "bal"][..],
        &["fantrack", "unwatch", "bal"],
        &["fantrack", "set", "bal"],
        &["fantrack", "news", "bal"],
        &["fantrack", "remove", "bal"],
        &["fantrack", "add", "season", "bal"],
        &["fantrack", "add", "episode", "bal"],
        &["fantrack", "refresh", "bosch", "bal"],
        &["fantrack", "add", "show", "--spin-off-of", "bal"],
    ] {
        let got = candidates(&bash_complete(home.path(), Some(&file), words));
        assert_eq!(got, ["ballard"], "{words:?}");
    }
    let got = candidates(&bash_complete(
        home.path(),
        Some(&file),
        &["fantrack", "add", "show", "--franchise", ""],
    ));
    assert_eq!(got, ["bosch-universe"]);
}

#[test]
fn the_file_flag_names_the_library_as_for_every_command() {
    let home = tempfile::tempdir().expect("temp dir");
    let file = home.path().join("elsewhere.ron");
    fs::write(&file, CATALOG).expect("write library");
    let flag = file.to_str().expect("utf-8 path");
    // No FANTRACK_FILE and nothing in the config dir: only --file leads to it.
    for words in [
        &["fantrack", "--file", flag, "show", "bosch-l"][..],
        &["fantrack", "show", "--file", flag, "bosch-l"],
    ] {
        let got = candidates(&bash_complete(home.path(), None, words));
        assert_eq!(got, ["bosch-legacy"], "{words:?}");
    }
    // And XDG_CONFIG_HOME when neither is given.
    let dir = home.path().join(".config/fantrack");
    fs::create_dir_all(&dir).expect("config dir");
    fs::write(dir.join("library.ron"), CATALOG).expect("write library");
    let got = candidates(&bash_complete(
        home.path(),
        None,
        &["fantrack", "show", "bosch-l"],
    ));
    assert_eq!(got, ["bosch-legacy"]);
}

#[test]
fn episode_codes_and_set_fields_come_from_the_named_show() {
    let (home, file) = with_library();
    let complete = |words: &[&str]| candidates(&bash_complete(home.path(), Some(&file), words));
    // Ballard has one season of ten episodes; the show may be named by title too.
    let codes: Vec<String> = (1..=10).map(|e| format!("S01E{e:02}")).collect();
    assert_eq!(complete(&["fantrack", "watch", "ballard", "S01"]), codes);
    assert_eq!(
        complete(&["fantrack", "unwatch", "Ballard", "s01e1"]),
        ["S01E10"]
    );
    let mut season_and_codes = vec!["S01".to_string()];
    season_and_codes.extend(codes);
    assert_eq!(
        complete(&["fantrack", "remove", "ballard", "S"]),
        season_and_codes
    );
    assert_eq!(
        complete(&["fantrack", "set", "ballard", "st"]),
        ["status"],
        "a show field"
    );
    assert_eq!(
        values(complete(&["fantrack", "set", "ballard", "S01E03", ""])),
        ["title", "aired", "runtime", "directed", "written"]
    );
    assert_eq!(
        values(complete(&["fantrack", "set", "ballard", "S01", ""])),
        ["premiere", "rt", "adapts"]
    );
    assert_eq!(
        complete(&["fantrack", "set", "ballard", "status", "r"]),
        ["running", "renewed"]
    );
    // A show that is not there: no codes, and no error on the screen.
    assert!(complete(&["fantrack", "watch", "nosuchshow", "S01"]).is_empty());
}

#[test]
fn titles_are_the_help_where_the_shell_shows_it() {
    let (home, file) = with_library();
    let out = Command::new(BIN)
        .args(["--", "fantrack", "show", "bosch-s"])
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join(".config"))
        .env("FANTRACK_CACHE_DIR", home.path().join(".cache"))
        .env(FILE_ENV, &file)
        .env("COMPLETE", "fish")
        .output()
        .expect("run fantrack");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "bosch-start-of-watch\tBosch: Start of Watch\n"
    );
}

#[test]
fn no_library_means_no_candidates_and_no_file_is_created() {
    let home = tempfile::tempdir().expect("temp dir");
    let missing = home.path().join("nothing-here.ron");
    for library in [Some(missing.as_path()), None] {
        for words in [
            &["fantrack", "show", "b"][..],
            &["fantrack", "watch", "ballard", "S01"],
            &["fantrack", "set", "ballard", ""],
        ] {
            let out = bash_complete(home.path(), library, words);
            let got = candidates(&out);
            // `set`'s show fields need no library; show ids and codes do.
            assert!(
                got.iter()
                    .all(|c| !c.starts_with("bosch") && !c.starts_with("S0")),
                "{words:?}: {got:?}"
            );
        }
    }
    assert!(!missing.exists(), "a TAB created the library");
    assert!(
        !home.path().join(".config").exists(),
        "a TAB created the config dir"
    );
    let left: Vec<_> = fs::read_dir(home.path()).expect("read home").collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_broken_library_gives_no_candidates_and_stays_as_it_was() {
    let home = tempfile::tempdir().expect("temp dir");
    let file = home.path().join("library.ron");
    let broken = CATALOG.replacen("franchises", "franchizes", 1);
    fs::write(&file, &broken).expect("write library");
    let got = candidates(&bash_complete(
        home.path(),
        Some(&file),
        &["fantrack", "show", "b"],
    ));
    assert!(got.is_empty(), "{got:?}");
    assert_eq!(fs::read_to_string(&file).expect("read library"), broken);
    let names: Vec<_> = fs::read_dir(home.path())
        .expect("read home")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["library.ron"]);
}

#[test]
fn every_shell_gets_a_registration_script_that_calls_back() {
    let home = tempfile::tempdir().expect("temp dir");
    for (shell, marker) in [
        ("bash", "complete -o nospace"),
        ("zsh", "#compdef fantrack"),
        ("fish", "complete --keep-order"),
        ("elvish", "edit:completion:arg-completer"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = Command::new(BIN)
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join(".config"))
            .env("COMPLETE", shell)
            .output()
            .expect("run fantrack");
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(
            script.contains(marker),
            "{shell}: no {marker:?} in {script}"
        );
        assert!(
            script.contains(BIN),
            "{shell}: does not call the binary back"
        );
    }
    // The static scripts (`fantrack completions SHELL`) are checked in cli_json.rs.
    assert!(!home.path().join(".config").exists());
}

/// Every positional SHOW argument, at any depth, has the show completer: a new subcommand
/// with one is covered without a list to keep up to date.
#[test]
fn every_show_argument_has_a_completer() {
    fn walk(cmd: &clap::Command, at: &str, seen: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if arg.is_positional() && matches!(id, "show" | "shows") {
                assert!(
                    arg.get::<ArgValueCandidates>().is_some(),
                    "{at} {id} has no show completer"
                );
                seen.push(at.to_string());
            }
            if matches!(
                (at, id),
                ("watch" | "unwatch", "episode") | ("set" | "remove", "what")
            ) {
                assert!(arg.get::<ArgValueCompleter>().is_some(), "{at} {id}");
            }
        }
        for sub in cmd.get_subcommands() {
            let name = if at.is_empty() {
                sub.get_name().to_string()
            } else {
                format!("{at} {}", sub.get_name())
            };
            walk(sub, &name, seen);
        }
    }
    let mut seen = Vec::new();
    walk(&fantrack::complete::command(), "", &mut seen);
    seen.sort();
    assert_eq!(
        seen,
        [
            "add episode",
            "add season",
            "news",
            "refresh",
            "remove",
            "set",
            "show",
            "unwatch",
            "watch"
        ]
    );
    // The plain command line (and so the static scripts) is the same apart from completers.
    assert_eq!(
        fantrack::cli::Cli::command().get_subcommands().count(),
        fantrack::complete::command().get_subcommands().count()
    );
}
