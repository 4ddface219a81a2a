//! The machine-facing side of the real binary: every `--json` document parses and has the
//! documented shape, `--version` names the catalog, completions and the man page generate,
//! and `--help` of the program and of each subcommand is a snapshot (a changed option shows
//! up in review). Every child gets HOME/XDG_CONFIG_HOME in a temporary directory.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_fantrack");

fn fantrack(home: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove(fantrack::store::FILE_ENV)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {BIN} {args:?}: {e}"))
}

fn ok(out: &Output, what: &str) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("utf-8 stdout")
}

fn json(home: &Path, file: &Path, args: &[&str]) -> Value {
    let mut full = vec!["--file", file.to_str().expect("utf-8 path")];
    full.extend(args);
    let text = ok(&fantrack(home, &full), &args.join(" "));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?}: {e}\n{text}"))
}

fn library() -> (tempfile::TempDir, std::path::PathBuf) {
    let home = tempfile::tempdir().expect("temp dir");
    let file = home.path().join("library.ron");
    let out = fantrack(
        home.path(),
        &[
            "--file",
            file.to_str().expect("utf-8"),
            "watch",
            "ballard",
            "S01E02",
            "--date",
            "2025-07-10",
        ],
    );
    ok(&out, "first watch");
    (home, file)
}

#[test]
fn every_json_document_parses_with_its_documented_fields() {
    let (home, file) = library();
    let home = home.path();

    let path = json(home, &file, &["path", "--json"]);
    assert_eq!(path["path"], file.display().to_string());
    assert_eq!(path["exists"], true);

    let check = json(home, &file, &["check", "--json"]);
    assert_eq!(check["episodes"], 108);
    assert_eq!(check["watched"], 1);
    assert_eq!(check["warnings"], serde_json::json!([]));

    let list = json(home, &file, &["list", "--json"]);
    let shows = &list["franchises"][0]["shows"];
    let ballard = shows
        .as_array()
        .and_then(|a| a.iter().find(|s| s["id"] == "ballard"))
        .expect("ballard in list --json");
    assert_eq!(ballard["watched"], 1);
    assert_eq!(ballard["total"], 10);
    assert_eq!(ballard["seasons"][0]["number"], 1);
    assert!(
        shows
            .as_array()
            .is_some_and(|a| a.iter().any(|s| s["parent"] == "bosch"))
    );

    let show = json(home, &file, &["show", "legacy", "--json"]);
    assert_eq!(show["id"], "bosch-legacy");
    assert_eq!(show["franchise"], "bosch-universe");
    assert!(show["facts"][0]["label"].is_string());
    assert_eq!(show["seasons"][0]["episodes"][0]["code"], "S01E01");

    let next = json(home, &file, &["next", "--json", "--franchise"]);
    assert!(
        next["rule"]
            .as_str()
            .is_some_and(|r| r.contains("furthest"))
    );
    let ballard = next["shows"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["show"] == "ballard"))
        .expect("ballard in next --json");
    assert_eq!(ballard["next"]["code"], "S01E03");
    assert_eq!(ballard["not_watched_before"], serde_json::json!(["S01E01"]));
    assert!(next["franchises"][0]["next"]["show"].is_string());

    let stats = json(home, &file, &["stats", "--json"]);
    assert_eq!(stats["months"].as_array().map(Vec::len), Some(24));
    assert_eq!(stats["longest_streak"]["days"], 1);
    assert_eq!(stats["franchises"][0]["watched"], 1);
    assert!(stats["shows"][0]["unknown_runtime"].is_number());
}

#[test]
fn json_errors_stay_on_stderr_with_exit_1() {
    let (home, file) = library();
    let out = fantrack(
        home.path(),
        &[
            "--file",
            file.to_str().expect("utf-8"),
            "show",
            "nosuch",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("fantrack: no show"));
}

#[test]
fn version_names_the_catalog() {
    let home = tempfile::tempdir().expect("temp dir");
    let out = ok(&fantrack(home.path(), &["--version"]), "--version");
    assert_eq!(
        out,
        format!(
            "fantrack {} (catalog version {})\n",
            env!("CARGO_PKG_VERSION"),
            fantrack::store::CATALOG_VERSION
        )
    );
}

#[test]
fn completions_for_every_shell_and_the_man_page_generate() {
    let home = tempfile::tempdir().expect("temp dir");
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef fantrack"),
        ("fish", "complete -c fantrack"),
        ("elvish", "edit:completion"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = ok(&fantrack(home.path(), &["completions", shell]), shell);
        assert!(out.contains(marker), "{shell}: no {marker:?}");
        assert!(
            out.contains("restore-backup"),
            "{shell} misses a subcommand"
        );
    }
    let man = ok(&fantrack(home.path(), &["man"]), "man");
    assert!(
        man.starts_with(".ie") || man.contains(".TH fantrack"),
        "{man}"
    );
    assert!(man.contains("completions"));
    // Neither needs nor creates a library.
    assert!(!home.path().join(".config").exists());
}

#[test]
fn help_of_the_program_and_each_subcommand() {
    let home = tempfile::tempdir().expect("temp dir");
    insta::assert_snapshot!("help", ok(&fantrack(home.path(), &["--help"]), "--help"));
    let names = [
        "path",
        "check",
        "list",
        "show",
        "next",
        "watch",
        "unwatch",
        "restore-backup",
        "set",
        "news",
        "remove",
        "add",
        "add show",
        "add season",
        "add episode",
        "refresh",
        "upcoming",
        "import",
        "export",
        "merge",
        "catalog",
        "stats",
        "completions",
        "man",
    ];
    for name in names {
        let mut args: Vec<&str> = name.split(' ').collect();
        args.push("--help");
        let text = ok(&fantrack(home.path(), &args), name);
        insta::assert_snapshot!(format!("help_{}", name.replace(' ', "_")), text);
    }
}
