//! Time from process start to first frame, in a real pseudo-terminal.
//!
//! Each run starts `script -qfec "stty rows 60 cols 200 && exec CMD" /dev/null` (util-linux
//! `script` provides the pty), reads its output through a pipe until a marker string appears,
//! notes the time, then types `q` (and kills it if it has not quit within a few seconds).
//! Measured, interleaved run by run:
//!
//! - `overhead`: `script` + `sh` + `stty` + exec of `printf`: what every case pays before its
//!   own process starts;
//! - `bare`: `examples/bare_ratatui.rs`, the floor;
//! - `catalog`: `fantrack --file` a copy of the shipped catalog;
//! - `power_user`: `fantrack --file` the generated 25,000-episode library.
//!
//! Build first, then run (runs default to 30):
//!
//! ```text
//! cargo build --release --bins --examples
//! cargo run --release --example first_frame -- 30
//! ```
//!
//! A second argument names a directory to write the two library files into and keep
//! (`catalog.ron`, `power_user.ron`), e.g. for measuring peak memory on the same file:
//! `cargo run --release --example first_frame -- 30 /tmp/ff` then
//! `/usr/bin/time -v target/release/fantrack --file /tmp/ff/power_user.ron check`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use fantrack::store;
use fantrack_generate::{self as generate, Spec};

/// How long one run may take to show its marker before it counts as failed.
const TIMEOUT: Duration = Duration::from_secs(20);
const BARE_MARKER: &str = "BARE-RATATUI-FIRST-FRAME";
const OVERHEAD_MARKER: &str = "PTY-READY-MARKER";

struct Case {
    name: &'static str,
    command: String,
    marker: String,
    /// The first (unmeasured) run: cold caches, and fantrack's one-time catalog notice save.
    first: Option<Duration>,
    times: Vec<Duration>,
}

fn quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

/// The longest plain-ASCII word of `title`: a marker that arrives as contiguous bytes even when
/// the title has wide characters (after which the terminal cursor is moved, not advanced).
fn ascii_marker(title: &str) -> String {
    title
        .split_whitespace()
        .filter(|w| w.chars().all(|c| c.is_ascii_alphanumeric()))
        .max_by_key(|w| w.len())
        .unwrap_or(title)
        .to_string()
}

/// One run: the time until `marker` appears in the pty's output.
fn run_once(command: &str, marker: &str) -> Result<Duration, String> {
    let start = Instant::now();
    let mut child: Child = Command::new("script")
        .args(["-qfec", command, "/dev/null"])
        .env("SHELL", "/bin/sh")
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run script: {e}"))?;
    let mut stdout = child.stdout.take().ok_or("no stdout")?;
    let needle = marker.as_bytes().to_vec();
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut seen: Vec<u8> = Vec::new();
        let mut buf = [0u8; 65536];
        let mut found = false;
        loop {
            match stdout.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    seen.extend_from_slice(&buf[..n]);
                    if !found && seen.windows(needle.len()).any(|w| w == needle.as_slice()) {
                        found = true;
                        let _ = tx.send(start.elapsed());
                    }
                }
            }
        }
        seen
    });
    let result = rx.recv_timeout(TIMEOUT);
    // Quit like a user; kill when that does not work.
    if let Some(stdin) = child.stdin.as_mut() {
        let _ = stdin.write_all(b"q");
        let _ = stdin.flush();
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            _ => {
                kill_tree(&mut child);
                break;
            }
        }
    }
    drop(child.stdin.take());
    let seen = reader.join().unwrap_or_default();
    result.map_err(|_| {
        let tail = String::from_utf8_lossy(&seen[seen.len().saturating_sub(400)..]).into_owned();
        format!("no {marker:?} within {TIMEOUT:?}; output ended with {tail:?}")
    })
}

/// Kills `script` and, first, the command it runs: a TUI left on a closed pty does not die of
/// SIGHUP (fantrack catches it) and crossterm then spins on the dead tty at 100% CPU.
fn kill_tree(child: &mut Child) {
    let pid = child.id();
    let children =
        std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
    for grandchild in children.split_whitespace() {
        let _ = Command::new("kill").args(["-KILL", grandchild]).status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}

fn main() -> Result<(), String> {
    let runs: usize = match std::env::args().nth(1) {
        Some(n) => n
            .parse()
            .map_err(|_| format!("not a number of runs: {n}"))?,
        None => 30,
    };
    // This example runs from target/<profile>/examples/; the binaries sit beside it.
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let examples = exe.parent().ok_or("no examples dir")?;
    let profile_dir: PathBuf = examples.parent().ok_or("no target dir")?.to_path_buf();
    let fantrack = profile_dir.join("fantrack");
    let bare = examples.join("bare_ratatui");
    for bin in [&fantrack, &bare] {
        if !bin.exists() {
            return Err(format!(
                "{} is missing: run `cargo build --release --bins --examples` first",
                bin.display()
            ));
        }
    }

    let temp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let dir: PathBuf = match std::env::args_os().nth(2) {
        Some(keep) => {
            std::fs::create_dir_all(&keep).map_err(|e| e.to_string())?;
            PathBuf::from(keep)
        }
        None => temp.path().to_path_buf(),
    };
    let catalog_file = dir.join("catalog.ron");
    std::fs::write(&catalog_file, store::CATALOG).map_err(|e| e.to_string())?;
    let catalog_title = store::shipped_catalog().franchises[0].title.clone();

    let power = generate::library(&Spec::power_user());
    let power_file = dir.join("power_user.ron");
    store::save(&power_file, &power).map_err(|e| e.to_string())?;
    let power_bytes = std::fs::metadata(&power_file)
        .map_err(|e| e.to_string())?
        .len();
    let power_title = power.franchises[0].title.clone();
    drop(power);

    let pty = "stty rows 60 cols 200 && exec";
    let mut cases = vec![
        Case {
            name: "overhead (script+sh+stty+printf)",
            command: format!("{pty} printf {OVERHEAD_MARKER}"),
            marker: OVERHEAD_MARKER.into(),
            first: None,
            times: Vec::new(),
        },
        Case {
            name: "bare ratatui",
            command: format!("{pty} {}", quote(&bare)),
            marker: BARE_MARKER.into(),
            first: None,
            times: Vec::new(),
        },
        Case {
            name: "fantrack, shipped catalog",
            command: format!("{pty} {} --file {}", quote(&fantrack), quote(&catalog_file)),
            marker: ascii_marker(&catalog_title),
            first: None,
            times: Vec::new(),
        },
        Case {
            name: "fantrack, 25,000 episodes",
            command: format!("{pty} {} --file {}", quote(&fantrack), quote(&power_file)),
            marker: ascii_marker(&power_title),
            first: None,
            times: Vec::new(),
        },
    ];
    println!(
        "first frame at 200×60, {runs} runs each (+1 unmeasured first run); generated file {} bytes",
        power_bytes
    );
    for case in &cases {
        println!("  {:<34} marker {:?}", case.name, case.marker);
    }
    for round in 0..=runs {
        for case in &mut cases {
            let t = run_once(&case.command, &case.marker)
                .map_err(|e| format!("{} (round {round}): {e}", case.name))?;
            if round == 0 {
                case.first = Some(t);
            } else {
                case.times.push(t);
            }
        }
    }

    let overhead = median(&cases[0].times);
    let bare_median = median(&cases[1].times);
    println!();
    println!(
        "{:<34} {:>9} {:>9} {:>9} {:>10} {:>9} {:>9}",
        "case", "median", "min", "first", "net median", "×bare", "net ×bare"
    );
    for case in &cases {
        let m = median(&case.times);
        let min = case.times.iter().min().copied().unwrap_or_default();
        let net = m.saturating_sub(overhead);
        let bare_net = bare_median.saturating_sub(overhead);
        println!(
            "{:<34} {:>7.2}ms {:>7.2}ms {:>7.2}ms {:>8.2}ms {:>9.2} {:>9.2}",
            case.name,
            ms(m),
            ms(min),
            ms(case.first.unwrap_or_default()),
            ms(net),
            ms(m) / ms(bare_median),
            if bare_net.is_zero() {
                f64::NAN
            } else {
                ms(net) / ms(bare_net)
            },
        );
    }
    println!();
    println!("net = median minus the overhead median: the process's own time to its first frame");
    Ok(())
}
