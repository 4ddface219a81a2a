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

    let diff = json(home, &file, &["catalog", "diff", "--json"]);
    assert_eq!(diff["to"], fantrack::store::CATALOG_VERSION);
    assert_eq!(diff["changes"], serde_json::json!([]), "up to date");

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

#[test]
fn the_config_date_format_shows_in_the_text_and_never_in_json() {
    let (home, file) = library();
    let home = home.path();
    let config = home.join(".config/fantrack/config.ron");
    std::fs::create_dir_all(config.parent().expect("config dir")).expect("mkdir");
    std::fs::write(&config, "(date_format: \"%d %b %Y\")\n").expect("config");
    let text = |args: &[&str]| {
        let mut full = vec!["--file", file.to_str().expect("utf-8 path")];
        full.extend(args);
        ok(&fantrack(home, &full), &args.join(" "))
    };

    let show = text(&["show", "ballard"]);
    assert!(show.contains("Premiere        09 Jul 2025"), "{show}");
    assert!(!show.contains("2025-07-09"), "{show}");
    let stats = text(&["stats"]);
    assert!(stats.contains("10 Jul 2025 to 10 Jul 2025"), "{stats}");
    let next = text(&["next"]);
    assert!(next.contains("Jul 2025)"), "{next}");
    assert!(!next.contains("(2025-"), "{next}");

    let json = json(home, &file, &["show", "ballard", "--json"]);
    let premiere = json["facts"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["label"] == "Premiere"))
        .expect("a premiere fact");
    assert_eq!(premiere["value"], "2025-07-09");
    assert_eq!(json["seasons"][0]["episodes"][0]["air_date"], "2025-07-09");

    // A broken config: said on stderr, the dates fall back to YYYY-MM-DD, the command works.
    std::fs::write(&config, "(date_format: 3)\n").expect("config");
    let mut full = vec!["--file", file.to_str().expect("utf-8 path")];
    full.extend(["show", "ballard"]);
    let out = fantrack(home, &full);
    let shown = ok(&out, "show with a broken config");
    assert!(shown.contains("Premiere        2025-07-09"), "{shown}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("config.ron:1:"), "{stderr}");
}

/// Runs `args` against `file`, expecting exit `code`; returns (stdout, stderr).
fn run_code(home: &Path, file: &Path, args: &[&str], code: i32) -> (String, String) {
    let mut full = vec!["--file", file.to_str().expect("utf-8 path")];
    full.extend(args);
    let out = fantrack(home, &full);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    (String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
}

#[test]
fn upcoming_import_export_and_merge_reports_as_json() {
    let (home, file) = library();
    let home = home.path();

    // Ballard S01E01 moved far into the future: the one upcoming episode.
    let text = std::fs::read_to_string(&file).expect("library");
    let at = text.find("Library of Lost Souls").expect("Ballard S01E01");
    let date = at + text[at..].find("2025-07-09").expect("its air date");
    let moved = format!("{}2099-01-01{}", &text[..date], &text[date + 10..]);
    std::fs::write(&file, moved).expect("write");

    let upcoming = json(home, &file, &["upcoming", "--json"]);
    assert!(upcoming["from"].as_str().is_some_and(|d| d.len() == 10));
    assert_eq!(upcoming["days"], Value::Null);
    let episodes = upcoming["episodes"].as_array().expect("episodes");
    assert_eq!(episodes.len(), 1, "{upcoming}");
    assert_eq!(episodes[0]["date"], "2099-01-01");
    assert_eq!(episodes[0]["show"], "Ballard");
    assert_eq!(episodes[0]["show_id"], "ballard");
    assert_eq!(episodes[0]["code"], "S01E01");
    assert_eq!(episodes[0]["title"], "Library of Lost Souls");
    assert!(episodes[0]["network"].is_string());
    let soon = json(home, &file, &["upcoming", "--days", "3", "--json"]);
    assert_eq!(soon["days"], 3);
    assert_eq!(soon["episodes"], serde_json::json!([]));

    // Export: the report names what was written; the file is there with that many bytes.
    let mine = home.join("mine.json");
    let mine_s = mine.to_str().expect("utf-8");
    let export = json(
        home,
        &file,
        &["export", "--format", "json", "--output", mine_s, "--json"],
    );
    assert_eq!(export["format"], "json");
    assert_eq!(export["path"], mine_s);
    let bytes = std::fs::metadata(&mine).expect("exported").len();
    assert_eq!(export["bytes"], bytes);
    let csv = home.join("views.csv");
    let csv_s = csv.to_str().expect("utf-8");
    let export = json(
        home,
        &file,
        &["export", "--format", "csv", "--output", csv_s, "--json"],
    );
    assert_eq!(export["format"], "csv");
    // --json without --output: the export itself is the document, so that is a usage error.
    let (out, err) = run_code(home, &file, &["export", "--format", "csv", "--json"], 2);
    assert!(out.is_empty());
    assert!(err.contains("--output"), "{err}");

    // Import the export into a copy that lacks the watch: a dry run, then for real.
    let copy = home.join("copy.ron");
    run_code(home, &copy, &["list"], 0);
    let dry = json(home, &copy, &["import", mine_s, "--dry-run", "--json"]);
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["library"], copy.to_str().expect("utf-8"));
    assert!(
        dry["files"][0]["name"]
            .as_str()
            .is_some_and(|n| n.ends_with("mine.json"))
    );
    assert!(dry["files"][0]["format"].is_string());
    assert!(dry["files"][0]["rows"].as_u64().is_some_and(|n| n > 0));
    assert_eq!(dry["total"]["new_watches"], 1, "{dry}");
    let total = &dry["total"];
    assert_eq!(
        total["rows"].as_u64(),
        [&total["matched"], &total["already"], &total["unmatched"]]
            .iter()
            .map(|v| v.as_u64())
            .sum::<Option<u64>>()
    );
    assert!(dry["changes"].as_u64().is_some_and(|n| n > 0));
    assert!(dry["notices"].is_array());
    let ballard = dry["shows"]
        .as_array()
        .and_then(|s| {
            s.iter()
                .find(|s| s["show"].as_str().is_some_and(|t| t.contains("ballard")))
        })
        .expect("ballard in the report");
    assert_eq!(ballard["counts"]["new_watches"], 1);
    assert!(ballard["added"].is_boolean());
    assert!(ballard["unmatched"].is_array() && ballard["kept"].is_array());
    let real = json(home, &copy, &["import", mine_s, "--json"]);
    assert_eq!(real["dry_run"], false);
    assert_eq!(real["total"]["new_watches"], 1);
    let again = json(home, &copy, &["import", mine_s, "--json"]);
    assert_eq!(again["total"]["new_watches"], 0);
    assert_eq!(again["changes"], 0);
    // A file that is no export: one line on stderr, nothing on stdout, exit 1.
    let junk = home.join("junk.json");
    std::fs::write(&junk, "{\"what\": 1}").expect("junk");
    let (out, err) = run_code(
        home,
        &copy,
        &["import", junk.to_str().expect("utf-8"), "--json"],
        1,
    );
    assert!(out.is_empty());
    assert!(
        err.starts_with("fantrack: ") && err.lines().count() == 1,
        "{err}"
    );

    // Merge: the copy gets a second watch; merging it into the library brings that date.
    run_code(
        home,
        &copy,
        &["watch", "ballard", "S01E03", "--date", "2025-07-11"],
        0,
    );
    let copy_s = copy.to_str().expect("utf-8");
    let dry = json(home, &file, &["merge", copy_s, "--dry-run", "--json"]);
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["saved"], false);
    assert_eq!(dry["new_dates"], 1, "{dry}");
    assert_eq!(dry["other"], copy_s);
    for list in ["new_items", "taken", "notes", "conflicts"] {
        assert!(dry[list].is_array(), "{list}");
    }
    let merged = json(home, &file, &["merge", copy_s, "--json"]);
    assert_eq!(merged["saved"], true);
    let again = json(home, &file, &["merge", copy_s, "--json"]);
    assert_eq!(again["new_dates"], 0);
    assert_eq!(again["saved"], false);
}

#[test]
fn catalog_diff_as_json_lists_what_an_update_would_change() {
    let home = tempfile::tempdir().expect("temp dir");
    let file = home.path().join("library.ron");
    std::fs::write(&file, include_str!("data/catalog-v1.ron")).expect("v1 library");
    let diff = json(home.path(), &file, &["catalog", "diff", "--json"]);
    assert_eq!(diff["from"], 1);
    assert_eq!(diff["to"], fantrack::store::CATALOG_VERSION);
    let changes = diff["changes"].as_array().expect("changes");
    assert!(!changes.is_empty());
    let kinds = [
        "new_show",
        "new_season",
        "new_episode",
        "fact",
        "kept_user_edit",
    ];
    for c in changes {
        assert!(kinds.contains(&c["kind"].as_str().unwrap_or("")), "{c}");
        assert!(c["what"].as_str().is_some_and(|w| !w.is_empty()), "{c}");
    }
    // Only read: the file is as it was.
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        include_str!("data/catalog-v1.ron")
    );
}
