//! The real `fantrack` binary, driven from the command line: first run, where the file lives,
//! watching and unwatching, round-trips, usage errors, and every kind of bad library file.
//! A bad file must fail with exit 1 and one `fantrack: ` line naming the file (and
//! `:LINE:COL` where it applies), and must be left exactly as it was, with no temporary file
//! beside it.
//!
//! Every child gets HOME and XDG_CONFIG_HOME inside a temporary directory and no
//! FANTRACK_FILE, so the tests never touch the real config directory. The permission cases
//! run the binary as an unprivileged user when the tests run as root (root ignores
//! permissions), through `setpriv` or, failing that, `runuser`.

use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::SystemTime;

use fantrack::model::{Episode, Library};
use fantrack::store::{self, CATALOG};
use jiff::civil::Date;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_fantrack");

/// The three commands every bad file is tried with: a check, a read and a write.
const TRIED: [&[&str]; 3] = [&["check"], &["list"], &["watch", "ballard", "S01E01"]];

// ---------------------------------------------------------------------------------------------
// Helpers

/// Runs the real binary with HOME = `home`, XDG_CONFIG_HOME = `home/.config`, no
/// FANTRACK_FILE, then `env` on top.
fn fantrack(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    run(Command::new(BIN), home, args, env)
}

/// Like [`fantrack`] with no extra env, but as a user that file permissions apply to.
fn fantrack_unprivileged(home: &Path, args: &[&str]) -> Output {
    let user = unprivileged();
    let cmd = match user.prefix.split_first() {
        None => Command::new(BIN),
        Some((program, rest)) => {
            let mut cmd = Command::new(program);
            cmd.args(rest).arg(BIN);
            cmd
        }
    };
    run(cmd, home, args, &[])
}

fn run(mut cmd: Command, home: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    cmd.args(args)
        .env_remove(store::FILE_ENV)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"));
    for (key, value) in env {
        cmd.env(key, value);
    }
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {BIN} {args:?}: {e}"))
}

/// How the permission cases run the binary: directly when the tests are not root, else through
/// `prefix` as the unprivileged user `uid`.
struct Unprivileged {
    prefix: Vec<String>,
    uid: Option<u32>,
}

fn unprivileged() -> &'static Unprivileged {
    static USER: OnceLock<Unprivileged> = OnceLock::new();
    USER.get_or_init(|| {
        let stdout = |program: &str, args: &[&str]| {
            Command::new(program)
                .args(args)
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        };
        let uid = stdout("id", &["-u"]).expect("`id -u` runs");
        if uid != "0" {
            return Unprivileged {
                prefix: vec![],
                uid: None,
            };
        }
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        if stdout("setpriv", &["--version"]).is_some() {
            let prefix = [
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
            ];
            Unprivileged {
                prefix: strings(&prefix),
                uid: Some(65534),
            }
        } else if stdout("runuser", &["--version"]).is_some() {
            let uid = stdout("id", &["-u", "nobody"])
                .and_then(|u| u.parse().ok())
                .expect("running as root with runuser but no user `nobody`");
            Unprivileged {
                prefix: strings(&["runuser", "-m", "-u", "nobody", "--"]),
                uid: Some(uid),
            }
        } else {
            panic!(
                "the tests run as root, which ignores file permissions, and neither `setpriv` \
                 nor `runuser` (util-linux) is installed to run the permission cases as an \
                 unprivileged user; install util-linux or run the tests as a normal user"
            )
        }
    })
}

/// A temporary directory that is HOME, and the path of a library file in its `lib/`
/// subdirectory (not created). Both directories are 0755 so an unprivileged user can reach them.
fn sandbox() -> (TempDir, PathBuf) {
    let home = tempfile::tempdir().expect("create a temporary directory");
    let lib = home.path().join("lib");
    fs::create_dir(&lib).expect("create lib/");
    for dir in [home.path(), &lib] {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).expect("chmod 0755");
    }
    (home, lib.join("library.ron"))
}

fn s(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Asserts `out` exited with `code`, with `what` (the command) in the message.
fn assert_exit(out: &Output, code: i32, what: &str) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{what} should exit {code}\n--- stdout:\n{}--- stderr:\n{}",
        stdout(out),
        stderr(out)
    );
}

/// Asserts stderr is exactly one line starting `fantrack: ` and returns it without the newline.
fn one_error_line(out: &Output, what: &str) -> String {
    let err = stderr(out);
    let line = err.strip_suffix('\n').unwrap_or(&err);
    assert!(
        err.ends_with('\n') && !line.contains('\n') && line.starts_with("fantrack: "),
        "{what}: stderr should be one line starting `fantrack: `, got {err:?}"
    );
    line.to_string()
}

/// `:LINE:COL: `, what comes between the path and the message when the error has a position.
fn at(line: usize, column: usize) -> String {
    format!(":{line}:{column}: ")
}

/// What comes between the path and the message when the error has no position.
const NOWHERE: &str = ": ";

/// The 1-based line and column just after `before`.
fn position(before: &str) -> (usize, usize) {
    let line = before.matches('\n').count() + 1;
    let last = before.rsplit('\n').next().unwrap_or("");
    (line, last.chars().count() + 1)
}

/// The shipped catalog with the first `from` after the (unique) `anchor` replaced by `to`,
/// and the line and column where `from` started.
fn edit(anchor: &str, from: &str, to: &[u8]) -> (Vec<u8>, usize, usize) {
    assert_eq!(
        CATALOG.matches(anchor).count(),
        1,
        "{anchor:?} should occur once in the catalog"
    );
    let start = CATALOG.find(anchor).unwrap_or(0);
    let i = start
        + CATALOG[start..]
            .find(from)
            .unwrap_or_else(|| panic!("no {from:?} after {anchor:?} in the catalog"));
    let mut bytes = CATALOG.as_bytes()[..i].to_vec();
    bytes.extend_from_slice(to);
    bytes.extend_from_slice(&CATALOG.as_bytes()[i + from.len()..]);
    let (line, column) = position(&CATALOG[..i]);
    (bytes, line, column)
}

/// One directory entry, with enough to tell whether it was touched at all.
#[derive(Debug, PartialEq)]
struct Entry {
    name: String,
    is_dir: bool,
    mode: u32,
    uid: u32,
    len: u64,
    inode: u64,
    modified: SystemTime,
    /// Hash of the contents when readable by the tests.
    hash: Option<u64>,
}

/// Every entry of `dir`, sorted by name.
fn snapshot(dir: &Path) -> Vec<Entry> {
    let mut entries: Vec<Entry> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| {
            let entry = entry.expect("directory entry");
            let meta = fs::symlink_metadata(entry.path()).expect("metadata");
            Entry {
                name: entry.file_name().to_string_lossy().into_owned(),
                is_dir: meta.is_dir(),
                mode: meta.mode(),
                uid: meta.uid(),
                len: meta.len(),
                inode: meta.ino(),
                modified: meta.modified().expect("mtime"),
                hash: fs::read(entry.path()).ok().map(|bytes| {
                    let mut h = DefaultHasher::new();
                    bytes.hash(&mut h);
                    h.finish()
                }),
            }
        })
        .collect();
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    entries
}

fn assert_no_temp_files(dir: &Path, what: &str) {
    let stray: Vec<String> = snapshot(dir)
        .into_iter()
        .map(|e| e.name)
        .filter(|n| n.starts_with(".library.") || n.ends_with(".tmp"))
        .collect();
    assert!(stray.is_empty(), "{what} left temporary files: {stray:?}");
}

/// Asserts that every entry of `dir` in `before` is unchanged (same bytes, inode, mode, mtime)
/// and that nothing new is there but a lock file (`*.lock`), which writers may create.
fn assert_untouched(dir: &Path, before: &[Entry], what: &str) {
    let after = snapshot(dir);
    for entry in before {
        let now = after.iter().find(|e| e.name == entry.name);
        assert_eq!(now, Some(entry), "{what} changed {}", entry.name);
    }
    let new: Vec<&str> = after
        .iter()
        .map(|e| e.name.as_str())
        .filter(|n| !before.iter().any(|b| b.name == *n) && !n.ends_with(".lock"))
        .collect();
    assert!(new.is_empty(), "{what} left new files: {new:?}");
    assert_no_temp_files(dir, what);
}

/// Runs `check`, `list` and `watch ballard S01E01` on the bad file at `path` (in a
/// [`sandbox`]), and asserts each exits 1 with one stderr line starting
/// `fantrack: <path><between>` and containing `message`, and leaves its directory untouched.
fn case(path: &Path, between: &str, message: &str, as_unprivileged: bool) {
    let dir = path.parent().expect("the file is in lib/");
    let home = dir.parent().expect("lib/ is in the sandbox");
    let before = snapshot(dir);
    assert!(
        before.iter().any(|e| e.name == "library.ron"),
        "test setup: no library.ron"
    );
    let prefix = format!("fantrack: {}{between}", path.display());
    for tried in TRIED {
        let mut args = vec!["--file", s(path)];
        args.extend(tried);
        let what = format!("`fantrack {}`", args.join(" "));
        let out = if as_unprivileged {
            fantrack_unprivileged(home, &args)
        } else {
            fantrack(home, &args, &[])
        };
        assert_exit(&out, 1, &what);
        assert!(out.stdout.is_empty(), "{what} printed {:?}", stdout(&out));
        let line = one_error_line(&out, &what);
        assert!(
            line.starts_with(&prefix),
            "{what}: the error should start with {prefix:?}\n                      got {line:?}"
        );
        assert!(
            line.contains(message),
            "{what}: the error should say {message:?}, got {line:?}"
        );
        assert_untouched(dir, &before, &what);
    }
}

/// Writes `contents` as the library and runs [`case`] on it.
fn bad_file(contents: &[u8], between: &str, message: &str) {
    let (_home, path) = sandbox();
    fs::write(&path, contents).expect("write the bad file");
    case(&path, between, message, false);
}

/// Ballard S1 episode `number` in the library file at `path`, parsed as the model.
fn ballard_episode(path: &Path, number: u32) -> Episode {
    let text = fs::read_to_string(path).expect("read the library");
    let library: Library = ron::from_str(&text).expect("the library parses");
    library
        .franchises
        .iter()
        .flat_map(|f| &f.shows)
        .find(|s| s.id == "ballard")
        .and_then(|s| s.season(1))
        .and_then(|s| s.episode(number))
        .cloned()
        .unwrap_or_else(|| panic!("Ballard has no S01E{number:02} in {}", path.display()))
}

/// Creates the library at `path` with `list`, as on first run, and returns its bytes.
fn first_run(home: &Path, path: &Path) -> Vec<u8> {
    let out = fantrack(home, &["--file", s(path), "list"], &[]);
    assert_exit(&out, 0, "first `fantrack list`");
    fs::read(path).expect("the first run created the file")
}

fn today() -> Date {
    jiff::ZonedDateTime::now().date()
}

// ---------------------------------------------------------------------------------------------
// 1. First run

#[test]
fn first_run_creates_the_library_in_the_config_dir_and_lists_it() {
    let home = tempfile::tempdir().expect("tempdir");
    let xdg = home.path().join("xdg");
    let out = fantrack(home.path(), &["list"], &[("XDG_CONFIG_HOME", s(&xdg))]);
    assert_exit(&out, 0, "`fantrack list` on first run");

    let file = xdg.join("fantrack").join("library.ron");
    assert!(file.is_file(), "{} was not created", file.display());
    let err = stderr(&out);
    assert!(
        err.contains("created") && err.contains(s(&file)),
        "stderr should say {} was created, got {err:?}",
        file.display()
    );
    let list = stdout(&out);
    for title in ["Bosch", "Bosch: Legacy", "Ballard", "Bosch: Start of Watch"] {
        assert!(
            list.lines().any(|l| l.trim_start().starts_with(title)),
            "`list` should have a line for {title:?}:\n{list}"
        );
    }
    assert!(list.contains("0/108"), "`list` should show 0/108:\n{list}");

    // The second run loads it and says nothing on stderr.
    let again = fantrack(home.path(), &["list"], &[("XDG_CONFIG_HOME", s(&xdg))]);
    assert_exit(&again, 0, "second `fantrack list`");
    assert_eq!(stderr(&again), "", "the second run should not create again");
    assert_eq!(stdout(&again), list);
}

#[test]
fn check_does_not_create_a_missing_library() {
    let (home, path) = sandbox();
    let out = fantrack(home.path(), &["--file", s(&path), "check"], &[]);
    assert_exit(&out, 1, "`check` with no file");
    let line = one_error_line(&out, "`check` with no file");
    assert!(
        line.starts_with(&format!("fantrack: {}: ", path.display())),
        "{line}"
    );
    assert!(!path.exists(), "`check` created {}", path.display());
}

// ---------------------------------------------------------------------------------------------
// 2. Where the file lives

#[test]
fn file_flag_beats_env_which_beats_the_config_dir() {
    let home = tempfile::tempdir().expect("tempdir");
    let xdg = home.path().join("xdg");
    let xdg_file = xdg.join("fantrack").join("library.ron");
    let env_file = home.path().join("from-env.ron");
    let flag_file = home.path().join("from-flag.ron");
    let path = |args: &[&str], env: &[(&str, &str)]| {
        let out = fantrack(home.path(), args, env);
        assert_exit(&out, 0, &format!("`fantrack {}`", args.join(" ")));
        stdout(&out)
    };
    let xdg_env = ("XDG_CONFIG_HOME", s(&xdg));
    let file_env = (store::FILE_ENV, s(&env_file));

    assert_eq!(
        path(&["path"], &[xdg_env]),
        format!("{}\n", xdg_file.display())
    );
    assert_eq!(
        path(&["path"], &[xdg_env, (store::FILE_ENV, "")]),
        format!("{}\n", xdg_file.display()),
        "an empty FANTRACK_FILE is ignored"
    );
    assert_eq!(
        path(&["path"], &[xdg_env, file_env]),
        format!("{}\n", env_file.display())
    );
    assert_eq!(
        path(&["--file", s(&flag_file), "path"], &[xdg_env, file_env]),
        format!("{}\n", flag_file.display())
    );
    assert_eq!(
        path(&["path", "--file", s(&flag_file)], &[xdg_env, file_env]),
        format!("{}\n", flag_file.display()),
        "--file is global: it works after the subcommand too"
    );
    // With XDG_CONFIG_HOME empty, the config dir is under HOME.
    assert_eq!(
        path(&["path"], &[("XDG_CONFIG_HOME", "")]),
        format!(
            "{}\n",
            home.path().join(".config/fantrack/library.ron").display()
        )
    );
    let created: Vec<_> = fs::read_dir(home.path()).expect("list").collect();
    assert!(created.is_empty(), "`path` created files: {created:?}");
}

// ---------------------------------------------------------------------------------------------
// 3. Watching and unwatching

#[test]
fn watch_show_next_unwatch_and_check() {
    let (home, path) = sandbox();
    let home = home.path();
    first_run(home, &path);
    let file = s(&path);

    let before = today();
    let out = fantrack(home, &["--file", file, "watch", "ballard", "S01E02"], &[]);
    let after = today();
    assert_exit(&out, 0, "`watch ballard S01E02`");
    let watched = ballard_episode(&path, 2).watched;
    assert!(
        watched == [before] || watched == [after],
        "Ballard S01E02 should be watched today ({before}), file has {watched:?}"
    );
    let day = watched[0];
    assert_eq!(
        stdout(&out),
        format!("Ballard S01E02 Haystacks: watched on {day}\n")
    );
    assert!(
        fs::read_to_string(&path)
            .expect("read")
            .contains(&format!("\"{day}\"")),
        "the file should contain today's date"
    );
    assert!(
        ballard_episode(&path, 1).watched.is_empty(),
        "S01E01 must stay unwatched"
    );

    let show = fantrack(home, &["--file", file, "show", "ballard"], &[]);
    assert_exit(&show, 0, "`show ballard`");
    assert!(
        stdout(&show).contains("1/10"),
        "`show ballard` should show 1/10:\n{}",
        stdout(&show)
    );
    let next = fantrack(home, &["--file", file, "next"], &[]);
    assert_exit(&next, 0, "`next`");
    assert!(
        stdout(&next).contains("Ballard        S01E03  BYOB"),
        "after S01E02 the next Ballard episode is S01E03:\n{}",
        stdout(&next)
    );
    let check = fantrack(home, &["--file", file, "check"], &[]);
    assert_exit(&check, 0, "`check`");
    assert!(
        stdout(&check).contains("108 episodes, 1 watched"),
        "{}",
        stdout(&check)
    );

    // Watching on a date it was already watched changes nothing on disk, not even the inode.
    let dir = path.parent().expect("lib/");
    let on_disk = snapshot(dir);
    let day_arg = day.to_string();
    let again = fantrack(
        home,
        &[
            "--file", file, "watch", "ballard", "s1e2", "--date", &day_arg,
        ],
        &[],
    );
    assert_exit(&again, 0, "watching again on the same date");
    assert!(
        stdout(&again).contains("already watched"),
        "{}",
        stdout(&again)
    );
    assert_untouched(dir, &on_disk, "watching on an already-watched date");

    // Another day without --again: refused, with the way to do it, file untouched.
    let refused = fantrack(
        home,
        &[
            "--file",
            file,
            "watch",
            "ballard",
            "S01E02",
            "--date",
            "2025-07-09",
        ],
        &[],
    );
    assert_exit(&refused, 0, "watching a watched episode without --again");
    assert!(
        stdout(&refused).contains(&format!(
            "already watched on {day}; --again adds another viewing"
        )),
        "{}",
        stdout(&refused)
    );
    assert_untouched(dir, &on_disk, "watching a watched episode without --again");

    // A rewatch with --again keeps both dates, in order.
    let earlier = fantrack(
        home,
        &[
            "--file",
            file,
            "watch",
            "ballard",
            "S01E02",
            "--date",
            "2025-07-09",
            "--again",
        ],
        &[],
    );
    assert_exit(&earlier, 0, "watching on an earlier date");
    assert_eq!(
        ballard_episode(&path, 2).watched,
        vec![jiff::civil::date(2025, 7, 9), day]
    );

    let out = fantrack(home, &["--file", file, "unwatch", "ballard", "S01E02"], &[]);
    assert_exit(&out, 0, "`unwatch ballard S01E02`");
    assert!(
        ballard_episode(&path, 2).watched.is_empty(),
        "unwatch should clear the history"
    );
    let next = fantrack(home, &["--file", file, "next"], &[]);
    assert!(
        stdout(&next).contains("Ballard        S01E01  Library of Lost Souls"),
        "with nothing watched the next Ballard episode is S01E01:\n{}",
        stdout(&next)
    );
    let show = fantrack(home, &["--file", file, "show", "ballard"], &[]);
    assert!(stdout(&show).contains("0/10"), "{}", stdout(&show));
    assert_exit(
        &fantrack(home, &["--file", file, "check"], &[]),
        0,
        "`check` after unwatch",
    );
}

// ---------------------------------------------------------------------------------------------
// 4. Round-trips

#[test]
fn the_created_file_round_trips_byte_for_byte() {
    let (home, path) = sandbox();
    let home = home.path();
    let created = first_run(home, &path);
    let shipped = store::to_text(&store::shipped_catalog()).expect("serialise");
    assert_eq!(
        String::from_utf8_lossy(&created),
        shipped,
        "the first run should write the shipped catalog as to_text writes it"
    );
    let loaded = store::load(&path).expect("the created file loads");
    assert_eq!(
        store::to_text(&loaded).expect("serialise"),
        String::from_utf8_lossy(&created),
        "to_text(load(file)) should be the file's bytes"
    );

    let file = s(&path);
    let watch = fantrack(home, &["--file", file, "watch", "ballard", "S01E02"], &[]);
    assert_exit(&watch, 0, "`watch`");
    assert_ne!(
        fs::read(&path).expect("read"),
        created,
        "watch saved nothing"
    );
    let unwatch = fantrack(home, &["--file", file, "unwatch", "ballard", "S01E02"], &[]);
    assert_exit(&unwatch, 0, "`unwatch`");
    assert!(
        fs::read(&path).expect("read") == created,
        "after watch then unwatch the file should be byte-identical to the created one"
    );
    assert_no_temp_files(path.parent().expect("lib/"), "watch/unwatch");
}

#[test]
fn a_save_keeps_the_files_permissions() {
    let (home, path) = sandbox();
    first_run(home.path(), &path);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
    let out = fantrack(
        home.path(),
        &["--file", s(&path), "watch", "ballard", "S01E01"],
        &[],
    );
    assert_exit(&out, 0, "`watch`");
    let mode = fs::metadata(&path).expect("metadata").mode() & 0o777;
    assert_eq!(mode, 0o640, "the save changed the mode to {mode:o}");
}

#[test]
fn a_save_through_a_symlink_updates_the_target() {
    let (home, path) = sandbox();
    let target = path.with_file_name("real.ron");
    fs::write(&target, CATALOG).expect("write");
    std::os::unix::fs::symlink("real.ron", &path).expect("symlink");
    let out = fantrack(
        home.path(),
        &["--file", s(&path), "watch", "ballard", "S01E01"],
        &[],
    );
    assert_exit(&out, 0, "`watch` through a symlink");
    assert!(
        fs::symlink_metadata(&path)
            .expect("metadata")
            .file_type()
            .is_symlink(),
        "the save replaced the symlink {} with a regular file",
        path.display()
    );
    assert!(
        !ballard_episode(&target, 1).watched.is_empty(),
        "the symlink's target was not updated"
    );
}

// ---------------------------------------------------------------------------------------------
// 5. Usage and user errors

#[test]
fn usage_errors_exit_2_and_create_nothing() {
    let home = tempfile::tempdir().expect("tempdir");
    for args in [
        &["frobnicate"][..],
        &["watch"],
        &["watch", "ballard"],
        &["unwatch"],
        &["show"],
        &["watch", "ballard", "S01E01", "--date", "2025-02-30"],
        &["list", "--nonsense"],
    ] {
        let what = format!("`fantrack {}`", args.join(" "));
        let out = fantrack(home.path(), args, &[]);
        assert_exit(&out, 2, &what);
        assert!(out.stdout.is_empty(), "{what} printed to stdout");
        assert!(!out.stderr.is_empty(), "{what} said nothing on stderr");
    }
    let created: Vec<_> = fs::read_dir(home.path()).expect("list").collect();
    assert!(
        created.is_empty(),
        "usage errors created files: {created:?}"
    );
}

#[test]
fn unknown_shows_and_bad_codes_exit_1_with_one_line() {
    let (home, path) = sandbox();
    first_run(home.path(), &path);
    let on_disk = snapshot(path.parent().expect("lib/"));
    for (args, message) in [
        (&["watch", "nosuch", "S01E01"][..], "no show \"nosuch\""),
        (&["unwatch", "nosuch", "S01E01"], "no show \"nosuch\""),
        (&["show", "nosuch"], "no show \"nosuch\""),
        (
            &["watch", "ballard", "S1X"],
            "\"S1X\" is not an episode code",
        ),
        (
            &["unwatch", "ballard", "S1X"],
            "\"S1X\" is not an episode code",
        ),
        (&["watch", "ballard", "S02E01"], "Ballard has no S02E01"),
        (&["watch", "ballard", "S01E11"], "Ballard has no S01E11"),
    ] {
        let mut full = vec!["--file", s(&path)];
        full.extend(args);
        let what = format!("`fantrack {}`", args.join(" "));
        let out = fantrack(home.path(), &full, &[]);
        assert_exit(&out, 1, &what);
        assert!(out.stdout.is_empty(), "{what} printed to stdout");
        let line = one_error_line(&out, &what);
        assert!(
            line.contains(message),
            "{what}: expected {message:?} in {line:?}"
        );
        assert_untouched(path.parent().expect("lib/"), &on_disk, &what);
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Bad library files

#[test]
fn bad_file_empty() {
    bad_file(b"", NOWHERE, "empty");
}

#[test]
fn bad_file_truncated() {
    // The catalog cut in half, at the end of a line, as a crash mid-write could leave it: at
    // the last line before the middle that ends a field (`key: value,`), so the error does not
    // depend on where the catalog's text happens to put its middle.
    let half = CATALOG.len() / 2;
    let ends_a_field = |line: &str| {
        let line = line.trim();
        line.ends_with(',') && line.contains(": ") && !line.starts_with(['"', ')'])
    };
    let cut = (0..half)
        .rev()
        .filter(|&i| CATALOG.as_bytes()[i] == b'\n')
        .find(|&i| CATALOG[..i].lines().last().is_some_and(ends_a_field))
        .expect("a field ends in the first half");
    let text = &CATALOG[..cut];
    let last = text.lines().last().expect("a last line");
    assert!(
        last.trim_end().ends_with(','),
        "test setup: the cut should follow a value, not {last:?}"
    );
    // The error is right after the last value, where the text stops.
    let (line, column) = position(text.trim_end());
    bad_file(&CATALOG.as_bytes()[..=cut], &at(line, column), "end of RON");
}

#[test]
fn bad_file_not_utf8() {
    let (bytes, line, column) = edit(
        "title: \"Ballard\"",
        "title: \"Ballard\"",
        b"title: \"Bal\xff\xfflard\"",
    );
    bad_file(&bytes, &at(line, column + "title: \"Bal".len()), "UTF-8");
}

#[test]
fn bad_file_wrong_type() {
    // Ballard's season number written as a string. The exact column is in the next test.
    let (bytes, line, _) = edit("id: \"ballard\"", "number: 1,", b"number: \"one\",");
    bad_file(&bytes, &format!(":{line}:"), "integer");
}

#[test]
fn bad_file_wrong_type_points_at_the_value() {
    let (bytes, line, column) = edit("id: \"ballard\"", "number: 1,", b"number: \"one\",");
    bad_file(&bytes, &at(line, column + "number: ".len()), "integer");
}

#[test]
fn bad_file_impossible_date() {
    let (bytes, line, column) = edit(
        "id: \"ballard\"",
        "premiere: Some(\"2025-07-09\")",
        b"premiere: Some(\"2025-02-30\")",
    );
    // Points at the date inside the quotes.
    bad_file(
        &bytes,
        &at(line, column + "premiere: Some(\"".len()),
        "date",
    );
}

#[test]
fn bad_file_duplicate_show_id() {
    let (bytes, line, column) = edit("id: \"ballard\"", "id: \"ballard\"", b"id: \"bosch\"");
    bad_file(&bytes, &at(line, column), "two shows have the id \"bosch\"");
}

#[test]
fn bad_file_origin_names_no_show() {
    let (bytes, line, column) = edit(
        "show: \"bosch-legacy\"",
        "show: \"bosch-legacy\"",
        b"show: \"bosch-legasy\"",
    );
    bad_file(
        &bytes,
        &at(line, column),
        "grew out of \"bosch-legasy\", but no show has that id",
    );
}

#[test]
fn bad_file_episode_number_twice() {
    // Ballard S1E2 renumbered 1: the second `number` is pointed at.
    let (bytes, line, column) = edit("id: \"ballard\"", "number: 2,", b"number: 1,");
    bad_file(
        &bytes,
        &at(line, column),
        "show \"ballard\" season 1 has episode 1 twice",
    );
}

#[test]
fn bad_file_newer_version() {
    let (bytes, _, _) = edit("version: 1,", "version: 1,", b"version: 99,");
    bad_file(&bytes, NOWHERE, "version 99 is newer");
}

#[test]
fn bad_file_is_a_directory() {
    let (_home, path) = sandbox();
    fs::create_dir(&path).expect("mkdir library.ron");
    case(&path, NOWHERE, "is a directory", false);
    assert!(path.is_dir(), "the directory is gone");
    assert_eq!(
        fs::read_dir(&path).expect("list").count(),
        0,
        "something was written inside the directory"
    );
}

#[test]
fn bad_file_unreadable() {
    unprivileged(); // fails early, with the reason, when the case cannot run
    let (_home, path) = sandbox();
    fs::write(&path, CATALOG).expect("write");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).expect("chmod 000");
    if let Some(uid) = unprivileged().uid {
        // The user's own directory, so only the file's permissions are in the way.
        let dir = path.parent().expect("lib/");
        std::os::unix::fs::chown(dir, Some(uid), None).expect("chown lib/");
    }
    case(&path, NOWHERE, "cannot read", true);
}

/// Makes a directory read-only (0555) for as long as it lives, then writable again (0755), so
/// the temporary directory can be removed even when an assertion fails.
struct ReadOnly<'a>(&'a Path);

impl<'a> ReadOnly<'a> {
    fn new(dir: &'a Path) -> Self {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o555)).expect("chmod 555");
        ReadOnly(dir)
    }
}

impl Drop for ReadOnly<'_> {
    fn drop(&mut self) {
        let _ = fs::set_permissions(self.0, fs::Permissions::from_mode(0o755));
    }
}

/// `check` and `list` work in a read-only directory; `watch` fails with exit 1 and one line
/// naming the file, and leaves the file and the directory exactly as they were.
fn read_only_dir_case(home: &Path, path: &Path, expected: &str) {
    let dir = path.parent().expect("lib/");
    let before = snapshot(dir);
    let run = |args: &[&str]| {
        let mut full = vec!["--file", s(path)];
        full.extend(args);
        fantrack_unprivileged(home, &full)
    };
    assert_exit(&run(&["check"]), 0, "`check` in a read-only directory");
    assert_exit(&run(&["list"]), 0, "`list` in a read-only directory");
    let what = "`watch` in a read-only directory";
    let watch = run(&["watch", "ballard", "S01E01"]);
    assert_exit(&watch, 1, what);
    let line = one_error_line(&watch, what);
    let prefix = format!("fantrack: {}: ", path.display());
    assert!(
        line.starts_with(&prefix) && line.contains(expected),
        "{what}: expected {prefix:?} and {expected:?}, got {line:?}"
    );
    assert_eq!(snapshot(dir), before, "{what} changed the directory");
    assert_no_temp_files(dir, what);
    assert!(
        ballard_episode(path, 1).watched.is_empty(),
        "{what}: the episode is watched in the file"
    );
}

#[test]
fn unwritable_directory_fails_the_save_and_keeps_the_file() {
    let user = unprivileged();
    let (home, path) = sandbox();
    let home = home.path();
    let dir = path.parent().expect("lib/");
    fs::write(&path, CATALOG).expect("write");
    if let Some(uid) = user.uid {
        // The unprivileged user's own directory and file; only the directory's mode is in the way.
        for p in [dir, &path] {
            std::os::unix::fs::chown(p, Some(uid), None).expect("chown");
        }
    }

    // A fresh directory: nothing beside the library yet, so any file a writer needs to
    // create there (a lock, a temporary file) is refused.
    {
        let _ro = ReadOnly::new(dir);
        read_only_dir_case(home, &path, "Permission denied");
    }

    // Once a watch and an unwatch have run, whatever they keep beside the library (a lock
    // file) exists, so the read-only directory first gets in the way at save time, when the
    // temporary file cannot be created.
    for args in [
        ["watch", "ballard", "S01E02"],
        ["unwatch", "ballard", "S01E02"],
    ] {
        let mut full = vec!["--file", s(&path)];
        full.extend(args);
        assert_exit(&fantrack_unprivileged(home, &full), 0, "warming up");
    }
    let _ro = ReadOnly::new(dir);
    read_only_dir_case(home, &path, "could not save: Permission denied");
}

// ---------------------------------------------------------------------------------------------
// 7. Titles

#[test]
fn shows_are_found_by_title_in_any_case() {
    let (home, path) = sandbox();
    first_run(home.path(), &path);
    for key in [
        "bosch: legacy",
        "BOSCH: LEGACY",
        "Bosch: Legacy",
        "bosch-legacy",
    ] {
        let out = fantrack(home.path(), &["--file", s(&path), "show", key], &[]);
        assert_exit(&out, 0, &format!("`show {key:?}`"));
        assert!(
            stdout(&out).starts_with("Show            Bosch: Legacy (bosch-legacy)\n"),
            "`show {key:?}`:\n{}",
            stdout(&out)
        );
    }
    let out = fantrack(
        home.path(),
        &[
            "--file",
            s(&path),
            "watch",
            "bosch: start of watch",
            "S01E01",
        ],
        &[],
    );
    assert_exit(&out, 1, "watching a show with no episodes");
    let line = one_error_line(&out, "watching a show with no episodes");
    assert!(
        line.contains("Bosch: Start of Watch has no S01E01"),
        "{line}"
    );
}

// ---------------------------------------------------------------------------------------------
// 8. Files that are not files, links, odd paths (issue #16)

/// Runs the binary like [`fantrack`], but kills it and fails if it has not ended within 5 s:
/// a FIFO or a device must never hang a command.
fn fantrack_bounded(home: &Path, args: &[&str]) -> Output {
    use std::process::Stdio;
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove(store::FILE_ENV)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn fantrack");
    let start = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > std::time::Duration::from_secs(5) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`fantrack {}` still running after 5 s", args.join(" "));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

/// Names in `dir`, sorted (no reading: some entries are FIFOs or links to devices).
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("list {}: {e}", dir.display()))
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `check`, `list` and `watch` on `path` each fail at once with one line saying `message`,
/// and leave nothing new in its directory but the lock beside it.
fn refused_at_once(home: &Path, path: &Path, message: &str) {
    let dir = path.parent().expect("a directory");
    let before = names(dir);
    for tried in TRIED {
        let mut args = vec!["--file", s(path)];
        args.extend(tried);
        let what = format!("`fantrack {}`", args.join(" "));
        let start = std::time::Instant::now();
        let out = fantrack_bounded(home, &args);
        assert!(
            start.elapsed() < std::time::Duration::from_secs(2),
            "{what} took {:?}",
            start.elapsed()
        );
        assert_exit(&out, 1, &what);
        let line = one_error_line(&out, &what);
        assert!(
            line.starts_with(&format!("fantrack: {}: ", path.display())) && line.contains(message),
            "{what}: expected {message:?}, got {line:?}"
        );
        let new: Vec<String> = names(dir)
            .into_iter()
            .filter(|n| !before.contains(n))
            .collect();
        assert!(new.is_empty(), "{what} left {new:?}");
    }
}

#[test]
fn a_fifo_is_refused_at_once() {
    let (home, path) = sandbox();
    let made = Command::new("mkfifo").arg(&path).status().expect("mkfifo");
    assert!(made.success(), "mkfifo failed");
    refused_at_once(
        home.path(),
        &path,
        "is a FIFO (named pipe), not a library file",
    );
}

#[test]
fn a_link_to_dev_zero_or_dev_urandom_is_refused_at_once() {
    for device in ["/dev/zero", "/dev/urandom", "/dev/null"] {
        let (home, path) = sandbox();
        std::os::unix::fs::symlink(device, &path).expect("symlink");
        refused_at_once(
            home.path(),
            &path,
            "is a character device, not a library file",
        );
    }
}

#[test]
fn a_device_given_as_the_file_gets_no_lock_file_beside_it() {
    let home = tempfile::tempdir().expect("tempdir");
    for device in ["/dev/zero", "/dev/null"] {
        let lock = PathBuf::from(format!("{device}.lock"));
        let there_before = lock.exists();
        let out = fantrack_bounded(
            home.path(),
            &["--file", device, "watch", "ballard", "S01E01"],
        );
        assert_exit(&out, 1, device);
        let line = one_error_line(&out, device);
        assert!(line.contains("is a character device"), "{line}");
        assert!(
            there_before || !lock.exists(),
            "`watch --file {device}` created {}",
            lock.display()
        );
    }
}

#[test]
fn a_directory_is_refused_at_once() {
    let (home, path) = sandbox();
    fs::create_dir(&path).expect("mkdir");
    refused_at_once(home.path(), &path, "is a directory, not a library file");
}

/// `library.ron -> other/passwd`, a file that is no library in a directory fantrack does not
/// own (as `/etc/passwd` was): every command fails on the load, and nothing appears beside the
/// target — no `passwd.lock`.
#[test]
fn a_link_to_a_file_elsewhere_gets_no_lock_file_beside_its_target() {
    let (home, path) = sandbox();
    let other = home.path().join("other");
    fs::create_dir(&other).expect("mkdir other");
    let target = other.join("passwd");
    fs::write(&target, "root:x:0:0:root:/root:/bin/bash\n").expect("write");
    std::os::unix::fs::symlink(&target, &path).expect("symlink");
    for tried in TRIED {
        let mut args = vec!["--file", s(&path)];
        args.extend(tried);
        let out = fantrack(home.path(), &args, &[]);
        assert_exit(&out, 1, &args.join(" "));
        assert_eq!(
            names(&other),
            ["passwd"],
            "{args:?} wrote beside the target"
        );
    }
    assert!(
        path.with_file_name("library.ron.lock").exists(),
        "the lock is beside the link"
    );
}

/// A link into a directory the user cannot write: reading works, a save fails with one line
/// about the save (not about a lock file it tried to make there), and the directory is
/// exactly as it was.
#[test]
fn a_link_into_a_read_only_directory_creates_nothing_there() {
    unprivileged();
    let (home, path) = sandbox();
    let other = home.path().join("other");
    fs::create_dir(&other).expect("mkdir other");
    let target = other.join("real.ron");
    fs::write(&target, CATALOG).expect("write");
    fs::set_permissions(&target, fs::Permissions::from_mode(0o644)).expect("chmod");
    std::os::unix::fs::symlink(&target, &path).expect("symlink");
    if let Some(uid) = unprivileged().uid {
        std::os::unix::fs::chown(path.parent().expect("lib/"), Some(uid), None).expect("chown");
    }
    let _read_only = ReadOnly::new(&other);
    let before = snapshot(&other);
    let run = |args: &[&str]| {
        let mut full = vec!["--file", s(&path)];
        full.extend(args);
        fantrack_unprivileged(home.path(), &full)
    };
    assert_exit(&run(&["check"]), 0, "`check`");
    assert_exit(&run(&["list"]), 0, "`list`");
    let watch = run(&["watch", "ballard", "S01E01"]);
    assert_exit(&watch, 1, "`watch`");
    let line = one_error_line(&watch, "`watch`");
    assert!(
        line.contains("could not save") && !line.contains(".lock"),
        "the save should fail on the write, not on a lock beside the target: {line}"
    );
    assert_eq!(
        snapshot(&other),
        before,
        "`watch` changed the target's directory"
    );
}

/// Saving through a link to a file in another (writable) directory writes the target and
/// keeps the link; beside the target appear only its backup, no lock.
#[test]
fn a_save_through_a_link_elsewhere_writes_the_target_and_no_lock_there() {
    let (home, path) = sandbox();
    let other = home.path().join("other");
    fs::create_dir(&other).expect("mkdir other");
    let target = other.join("real.ron");
    fs::write(&target, CATALOG).expect("write");
    std::os::unix::fs::symlink(&target, &path).expect("symlink");
    let out = fantrack(
        home.path(),
        &["--file", s(&path), "watch", "ballard", "S01E01"],
        &[],
    );
    assert_exit(&out, 0, "`watch` through the link");
    assert!(
        !ballard_episode(&target, 1).watched.is_empty(),
        "target not written"
    );
    assert!(
        fs::symlink_metadata(&path)
            .expect("meta")
            .file_type()
            .is_symlink()
    );
    assert_eq!(names(&other), ["real.ron", "real.ron.bak"]);
}

#[test]
fn a_dangling_link_says_the_same_in_check_list_and_watch() {
    let (home, path) = sandbox();
    let missing = path.with_file_name("gone.ron");
    std::os::unix::fs::symlink(&missing, &path).expect("symlink");
    let message = format!("is a link to {}, which does not exist", missing.display());
    let mut lines = Vec::new();
    for tried in TRIED {
        let mut args = vec!["--file", s(&path)];
        args.extend(tried);
        let out = fantrack(home.path(), &args, &[]);
        assert_exit(&out, 1, &args.join(" "));
        let line = one_error_line(&out, &args.join(" "));
        assert!(line.contains(&message), "{args:?}: {line}");
        lines.push(line);
    }
    assert!(lines.iter().all(|l| *l == lines[0]), "{lines:#?}");
    assert!(!missing.exists(), "the target was created");
}

#[test]
fn a_path_with_a_newline_keeps_the_error_on_one_line() {
    let (home, _) = sandbox();
    let dir = home.path().join("two\nlines");
    fs::create_dir(&dir).expect("mkdir");
    let path = dir.join("library.ron");
    let out = fantrack(home.path(), &["--file", s(&path), "check"], &[]);
    assert_exit(&out, 1, "`check` of a missing file");
    let line = one_error_line(&out, "`check`");
    assert!(line.contains("two\\nlines"), "{line}");
    fs::write(&path, "").expect("empty file");
    for tried in TRIED {
        let mut args = vec!["--file", s(&path)];
        args.extend(tried);
        let out = fantrack(home.path(), &args, &[]);
        assert_exit(&out, 1, "an empty file");
        let line = one_error_line(&out, &format!("{tried:?}"));
        assert!(
            line.contains("two\\nlines") && line.contains("empty"),
            "{line}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 9. Every validation error has its place (issue #16)

#[test]
fn bad_file_season_number_twice() {
    let season = "\n                            number: ";
    let (bytes, line, _) = edit(
        "id: \"bosch-legacy\"",
        &format!("{season}2,"),
        format!("{season}1,").as_bytes(),
    );
    bad_file(
        &bytes,
        &at(line + 1, 29),
        "show \"bosch-legacy\" has season 1 twice",
    );
}

#[test]
fn bad_file_episode_rating_out_of_range() {
    let (bytes, line, column) = edit(
        "id: \"ballard\"",
        "number: 2,",
        b"number: 2, rating: Some(9),",
    );
    bad_file(
        &bytes,
        &at(line, column + "number: 2, ".len()),
        "show \"ballard\" S01E02: rating 9 is not between 1 and 5",
    );
}

#[test]
fn bad_file_version_0() {
    let (bytes, line, column) = edit("version: 1,", "version: 1,", b"version: 0,");
    bad_file(
        &bytes,
        &at(line, column),
        "version 0 is not a valid file format version",
    );
}

#[test]
fn bad_file_show_is_its_own_origin() {
    let (bytes, line, column) = edit(
        "show: \"bosch-legacy\"",
        "show: \"bosch-legacy\"",
        b"show: \"ballard\"",
    );
    bad_file(
        &bytes,
        &at(line, column),
        "show \"ballard\" names itself as its origin",
    );
}

#[test]
fn bad_file_origin_loop() {
    // Bosch: Legacy grows out of Ballard, which grows out of Bosch: Legacy.
    let (bytes, line, column) = edit(
        "id: \"bosch-legacy\"",
        "show: \"bosch\"",
        b"show: \"ballard\"",
    );
    bad_file(
        &bytes,
        &at(line, column - "origin: Some((".len()),
        "shows grow out of each other in a loop: bosch-legacy → ballard → bosch-legacy",
    );
}

#[test]
fn bad_file_year_with_five_digits() {
    let (bytes, line, column) = edit(
        "id: \"ballard\"",
        "premiere: Some(\"2025-07-09\")",
        b"premiere: Some(\"99999-07-09\")",
    );
    bad_file(
        &bytes,
        &at(line, column + "premiere: Some(\"".len()),
        "\"99999-07-09\" is not a valid date: the year 99999 has 5 digits, not 4 (dates are YYYY-MM-DD)",
    );
}

#[test]
fn a_byte_order_mark_is_tolerated_and_the_file_left_as_it_is() {
    let (home, path) = sandbox();
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend_from_slice(CATALOG.as_bytes());
    fs::write(&path, &bytes).expect("write");
    for args in [&["check"][..], &["list"]] {
        let mut full = vec!["--file", s(&path)];
        full.extend(args);
        let out = fantrack(home.path(), &full, &[]);
        assert_exit(&out, 0, &format!("{args:?} with a BOM"));
        assert_eq!(
            fs::read(&path).expect("read"),
            bytes,
            "{args:?} changed the file"
        );
    }
    // Past the BOM, positions are counted as editors show them.
    let mut broken = "\u{feff}".as_bytes().to_vec();
    broken.extend_from_slice(b"(version: 1, franchises: 7)");
    fs::write(&path, &broken).expect("write");
    case(&path, &at(1, 26), "", false);
}

#[test]
fn a_bare_string_for_an_optional_title_is_taken_as_some() {
    let (home, path) = sandbox();
    let text = CATALOG.replace("title: Some(\"Haystacks\")", "title: \"Haystacks\"");
    assert_ne!(text, CATALOG);
    fs::write(&path, &text).expect("write");
    let out = fantrack(home.path(), &["--file", s(&path), "check"], &[]);
    assert_exit(&out, 0, "`check` with `title: \"Haystacks\"`");
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        text,
        "`check` changed it"
    );
    let out = fantrack(
        home.path(),
        &["--file", s(&path), "watch", "ballard", "S01E02"],
        &[],
    );
    assert_exit(&out, 0, "`watch`");
    assert_eq!(
        ballard_episode(&path, 2).title.as_deref(),
        Some("Haystacks")
    );
    assert!(
        fs::read_to_string(&path)
            .expect("read")
            .contains("title: Some(\"Haystacks\")")
    );
}

#[test]
fn bad_file_byte_order_mark_in_the_middle_is_named() {
    let (bytes, line, column) = edit(
        "title: \"Ballard\"",
        "title: \"Ballard\"",
        "\u{feff}title: \"Ballard\"".as_bytes(),
    );
    bad_file(&bytes, &at(line, column), "a byte order mark (U+FEFF");
}

// ---------------------------------------------------------------------------------------------
// 9. Behaviour (issue #17): write errors, lookup, next's rule, rewatches, restore, watch_order

#[test]
fn a_full_stdout_is_an_error_and_a_closed_pipe_is_not() {
    let (home, path) = sandbox();
    first_run(home.path(), &path);
    let before = snapshot(path.parent().expect("lib/"));
    for args in [
        &["list"][..],
        &["path"],
        &["next"],
        &["show", "ballard"],
        &["list", "--json"],
    ] {
        let mut cmd = Command::new(BIN);
        cmd.arg("--file").arg(&path).args(args);
        cmd.stdout(fs::File::create("/dev/full").expect("open /dev/full"));
        let out = run(cmd, home.path(), &[], &[]);
        let what = format!("`fantrack {}` > /dev/full", args.join(" "));
        assert_exit(&out, 1, &what);
        let line = one_error_line(&out, &what);
        assert!(line.contains("cannot write the output"), "{line}");
        assert_untouched(path.parent().expect("lib/"), &before, &what);
    }
    // `| head -c1`: the reader goes away; that is no error.
    let shell = format!(
        "{BIN} --file '{}' list | head -c 1 >/dev/null; exit ${{PIPESTATUS[0]}}",
        s(&path)
    );
    let out = run(
        {
            let mut c = Command::new("bash");
            c.arg("-c").arg(shell);
            c
        },
        home.path(),
        &[],
        &[],
    );
    assert_exit(&out, 0, "`list | head`");
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn shows_are_found_by_words_prefixes_and_near_misses() {
    let (home, path) = sandbox();
    first_run(home.path(), &path);
    let on_disk = snapshot(path.parent().expect("lib/"));
    for (key, id) in [
        ("Bosch Legacy", "bosch-legacy"),
        ("legacy", "bosch-legacy"),
        ("start of watch", "bosch-start-of-watch"),
        ("START-OF-WATCH", "bosch-start-of-watch"),
        ("ball", "ballard"),
    ] {
        let out = fantrack(home.path(), &["--file", s(&path), "show", key], &[]);
        assert_exit(&out, 0, &format!("`show {key:?}`"));
        assert!(
            stdout(&out)
                .lines()
                .next()
                .unwrap_or_default()
                .ends_with(&format!("({id})")),
            "`show {key:?}`:\n{}",
            stdout(&out)
        );
    }
    for (key, message) in [
        ("balard", "no show \"balard\"; did you mean ballard?"),
        ("bosch-legasy", "did you mean bosch-legacy?"),
        ("b", "\"b\" fits several shows: bosch, bosch-legacy"),
    ] {
        let what = format!("`show {key:?}`");
        let out = fantrack(home.path(), &["--file", s(&path), "show", key], &[]);
        assert_exit(&out, 1, &what);
        let line = one_error_line(&out, &what);
        assert!(line.contains(message), "{what}: {line}");
    }
    assert_untouched(path.parent().expect("lib/"), &on_disk, "lookups");
}

#[test]
fn next_names_the_earlier_episodes_it_skips() {
    let (home, path) = sandbox();
    first_run(home.path(), &path);
    let file = s(&path);
    let out = fantrack(
        home.path(),
        &["--file", file, "watch", "ballard", "S01E02"],
        &[],
    );
    assert_exit(&out, 0, "watch");
    let next = fantrack(home.path(), &["--file", file, "next"], &[]);
    assert_exit(&next, 0, "next");
    let line = stdout(&next)
        .lines()
        .find(|l| l.starts_with("Ballard "))
        .map(str::to_string)
        .unwrap_or_default();
    assert!(line.contains("S01E03  BYOB"), "{line}");
    assert!(line.ends_with("(S01E01 not watched)"), "{line}");
    let help = fantrack(home.path(), &["next", "--help"], &[]);
    assert!(
        stdout(&help).contains("after the furthest one you watched"),
        "{}",
        stdout(&help)
    );
}

#[test]
fn a_future_or_pre_air_date_is_recorded_with_a_warning() {
    let (home, path) = sandbox();
    first_run(home.path(), &path);
    let file = s(&path);
    for (code, date, warning) in [
        ("S01E03", "2099-01-01", "2099-01-01 is in the future"),
        (
            "S01E04",
            "2001-01-01",
            "2001-01-01 is before the episode aired",
        ),
    ] {
        let out = fantrack(
            home.path(),
            &["--file", file, "watch", "ballard", code, "--date", date],
            &[],
        );
        assert_exit(&out, 0, date);
        let line = one_error_line(&out, date);
        assert!(line.starts_with("fantrack: warning: "), "{line}");
        assert!(line.contains(warning), "{line}");
    }
    assert_eq!(
        ballard_episode(&path, 3).watched,
        vec![jiff::civil::date(2099, 1, 1)]
    );
}

#[test]
fn restore_backup_names_the_backup_its_age_and_a_readable_kept_file() {
    let (home, path) = sandbox();
    first_run(home.path(), &path);
    let file = s(&path);
    let out = fantrack(
        home.path(),
        &["--file", file, "watch", "ballard", "S01E01"],
        &[],
    );
    assert_exit(&out, 0, "watch");
    let out = fantrack(
        home.path(),
        &["--file", file, "restore-backup", "--yes"],
        &[],
    );
    assert_exit(&out, 0, "restore-backup");
    let text = stdout(&out);
    assert!(
        text.contains(&format!("from its backup ({}.bak, saved ", path.display()))
            && text.contains("ago: 108 episodes, 0 watched)")
            || text.contains("just now: 108 episodes, 0 watched)"),
        "{text}"
    );
    let kept: Vec<String> = names(path.parent().expect("lib/"))
        .into_iter()
        .filter(|n| n.starts_with("library.ron.before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let stamp = kept[0].trim_start_matches("library.ron.before-restore-");
    // 2026-12-01T23-05-10
    assert!(
        jiff::civil::DateTime::strptime("%Y-%m-%dT%H-%M-%S", stamp).is_ok(),
        "{stamp}"
    );
    assert!(text.contains(&kept[0]), "{text}");
}

#[test]
fn check_warns_about_each_bad_watch_order_key_with_its_position() {
    let (home, path) = sandbox();
    let bytes = first_run(home.path(), &path);
    let text = String::from_utf8(bytes).expect("utf-8");
    let anchor = "            shows: [";
    let keys = "            watch_order: [\n                \"bosch S01E01\",\n                \"bosch S09E02\",\n                \"balard S01E02\",\n                \"bosch s01e02\",\n                \"bosch S01E01\",\n            ],\n";
    let at_anchor = text.find(anchor).expect("franchise shows");
    let edited = format!("{}{keys}{}", &text[..at_anchor], &text[at_anchor..]);
    fs::write(&path, &edited).expect("write");
    let first_line = edited[..at_anchor].matches('\n').count() + 1;
    let dir = path.parent().expect("lib/");
    let before = snapshot(dir);
    let out = fantrack(home.path(), &["--file", s(&path), "check"], &[]);
    assert_exit(&out, 0, "check with watch_order warnings");
    assert!(
        stdout(&out).contains("4 watch-order warning(s)"),
        "{}",
        stdout(&out)
    );
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    let file = s(&path);
    assert_eq!(
        lines,
        vec![
            format!(
                "fantrack: {file}:{}:17: warning: watch_order key \"bosch S09E02\": bosch has no S09E02",
                first_line + 2
            ),
            format!(
                "fantrack: {file}:{}:17: warning: watch_order key \"balard S01E02\": no show \"balard\"; did you mean ballard?",
                first_line + 3
            ),
            format!(
                "fantrack: {file}:{}:17: warning: watch_order key \"bosch s01e02\": write it as \"bosch S01E02\"",
                first_line + 4
            ),
            format!(
                "fantrack: {file}:{}:17: warning: watch_order key \"bosch S01E01\": bosch S01E01 is already in the order (key 1); the view shows it once",
                first_line + 5
            ),
        ]
    );
    assert_untouched(dir, &before, "check");
}
