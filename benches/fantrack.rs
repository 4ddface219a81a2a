//! fantrack's performance budget, measured next to a floor for each operation.
//!
//! Two sizes, one criterion group each:
//! - `catalog`: the shipped catalog (the real file, about a hundred episodes);
//! - `power_user`: `generate::Spec::power_user()`, 25,000 episodes in 10 franchises.
//!
//! In each group, every fantrack operation has a floor beside it, the same work done the
//! plainest way, so a regression shows as a ratio rather than as a machine-dependent number:
//!
//! | bench                                 | floor                       |
//! |---------------------------------------|-----------------------------|
//! | `load`                                | `ron_from_str`              |
//! | `fastron_parse`                       | `ron_from_str`              |
//! | `save_durable`                        | `serialise_write_fsync`     |
//! | `render_*`, `key_*`, `search_keystroke` | `render_bare`             |
//!
//! `visible_rows/*` has no floor; it is tracked on its own. `render_full_text` (every cell of
//! the frame written) is there for scale.
//!
//! Renders draw at 200×60 on a `TestBackend`, reusing one `Terminal` as the app does, so
//! each frame pays ratatui's buffer diff like a real repaint. The app is opened with
//! `App::open` and saves on its background saver thread, as `app::run` sets it up, into a
//! temporary directory. A `key_*` iteration is one key press: `update`, taking in finished
//! saves, then a repaint. `key_toggle_watched_until_saved` also waits until the change is on
//! disk; compare it with `save_durable`.
//!
//! Run: `cargo bench --bench fantrack` (about three minutes on two cores);
//! one group: `cargo bench --bench fantrack -- power_user/`. On a machine busy with other
//! work, `FANTRACK_BENCH_CPU=1 cargo bench --bench fantrack` measures the in-memory benches in
//! the thread's CPU time instead (see `ThreadCpu`).

use std::fs;
use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{BenchmarkGroup, Criterion};
use fantrack::action::Action;
use fantrack::app::{App, Msg};
use fantrack::model::Library;
use fantrack::store;
use fantrack::tree::{self, NodeId};
use fantrack_generate::{self as generate, Spec};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;
/// The season the season-pane bench shows has this many episodes.
const LONG_SEASON: usize = 50;

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("a test terminal")
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &mut App) {
    terminal
        .draw(|frame| fantrack::ui::draw(frame, app))
        .expect("draw");
}

/// An app over `library` in `dir/library.ron`, opened as `app::run` opens it: `App::open`
/// (read once, stamped, catalog notice) and saves on the background saver thread.
fn app_in(dir: &Path, library: &Library) -> App {
    let path = dir.join("library.ron");
    store::save(&path, library).expect("save");
    let setup = fantrack::app::Setup {
        background_saves: true,
        ..Default::default()
    };
    let mut app = App::open_with(&path, setup).expect("open");
    app.update(Msg::Resized(WIDTH, HEIGHT));
    // The catalog notice may have saved once (a library without `catalog_notified`).
    app.flush_saves(Duration::from_secs(30));
    app
}

/// Moves the selection to `id`, which must be visible.
fn select(app: &mut App, id: NodeId) {
    app.update(Action::First);
    for _ in 0..app.rows().len() {
        if app.selected() == Some(id) {
            return;
        }
        app.update(Action::Down);
    }
    panic!("{id:?} is not visible");
}

/// Regroups the episodes of the first show that has at least `n` so that its first season has
/// exactly `n` (renumbered 1..=n), taken from the seasons after it. The library keeps every
/// episode; later seasons may end up shorter or empty. Returns the long season's node.
fn with_long_season(library: &mut Library, n: usize) -> NodeId {
    for f in 0..library.franchises.len() {
        for s in 0..library.franchises[f].shows.len() {
            let show = &mut library.franchises[f].shows[s];
            let total: usize = show.seasons.iter().map(|se| se.episodes.len()).sum();
            if total < n || show.seasons.is_empty() {
                continue;
            }
            let mut later = 1;
            while show.seasons[0].episodes.len() < n {
                if show.seasons[later].episodes.is_empty() {
                    later += 1;
                    continue;
                }
                let episode = show.seasons[later].episodes.remove(0);
                show.seasons[0].episodes.push(episode);
            }
            for (i, e) in show.seasons[0].episodes.iter_mut().enumerate() {
                e.number = i as u32 + 1;
            }
            return NodeId::Season(f, s, 0);
        }
    }
    panic!("no show has {n} episodes");
}

/// Every franchise, show and season open: every episode is a row.
fn everything_open(library: &Library) -> std::collections::HashSet<NodeId> {
    let mut open = tree::all_but_episodes(library);
    for (f, franchise) in library.franchises.iter().enumerate() {
        for (s, show) in franchise.shows.iter().enumerate() {
            open.extend((0..show.seasons.len()).map(|se| NodeId::Season(f, s, se)));
        }
    }
    open
}

fn episodes(library: &Library) -> usize {
    library
        .franchises
        .iter()
        .flat_map(|f| &f.shows)
        .flat_map(|s| &s.seasons)
        .map(|s| s.episodes.len())
        .sum()
}

/// Timing for benches whose iterations take milliseconds to a second.
fn slow<M: Measurement>(group: &mut BenchmarkGroup<'_, M>, seconds: u64) {
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(seconds));
}

/// Timing for benches in the microseconds.
fn fast<M: Measurement>(group: &mut BenchmarkGroup<'_, M>) {
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
}

/// CPU time of the calling thread, from `/proc/thread-self/schedstat` (nanoseconds on a CPU).
/// Unlike wall time it does not grow when other processes compete for the CPU, so it shows
/// what an iteration costs on an idle machine; it leaves out time blocked on I/O and work
/// done on other threads (the saver). The kernel updates it at least every scheduler tick.
struct ThreadCpu {
    wall: WallTime,
}

fn thread_cpu_ns() -> u64 {
    fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

impl Measurement for ThreadCpu {
    type Intermediate = u64;
    type Value = u64;

    fn start(&self) -> u64 {
        thread_cpu_ns()
    }

    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns().saturating_sub(start)
    }

    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }

    fn zero(&self) -> u64 {
        0
    }

    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        self.wall.formatter()
    }
}

/// The whole set of benches for one library. `heavy` gives the file operations more time.
/// `durable`: include the benches that write files (their cost is I/O, which CPU time omits).
fn size<M: Measurement + 'static>(
    c: &mut Criterion<M>,
    name: &str,
    library: Library,
    heavy: bool,
    durable: bool,
) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("bench.ron");
    store::save(&file, &library).expect("save");
    let text = fs::read_to_string(&file).expect("read");
    eprintln!(
        "{name}: {} franchises, {} episodes, file {} bytes",
        library.franchises.len(),
        episodes(&library),
        text.len()
    );

    let mut group = c.benchmark_group(name);

    // ----- file -----
    slow(&mut group, if heavy { 12 } else { 3 });
    group.bench_function("load", |b| {
        b.iter(|| store::load(black_box(&file)).expect("load"))
    });
    group.bench_function("ron_from_str", |b| {
        b.iter(|| ron::from_str::<Library>(black_box(&text)).expect("parse"))
    });
    group.bench_function("fastron_parse", |b| {
        b.iter(|| fantrack::fastron::parse(black_box(&text)).expect("the fast path reads it"))
    });

    if durable {
        let save_path = dir.path().join("save.ron");
        store::save(&save_path, &library).expect("save");
        group.bench_function("save_durable", |b| {
            b.iter(|| store::save(&save_path, black_box(&library)).expect("save"))
        });
        let plain_path: PathBuf = dir.path().join("plain.ron");
        group.bench_function("serialise_write_fsync", |b| {
            b.iter(|| {
                let text = store::to_text(black_box(&library)).expect("serialise");
                let mut f = fs::File::create(&plain_path).expect("create");
                f.write_all(text.as_bytes()).expect("write");
                f.sync_all().expect("fsync");
            })
        });
    }

    // ----- tree -----
    fast(&mut group);
    let shows_open = tree::all_but_episodes(&library);
    group.bench_function("visible_rows/all_but_episodes", |b| {
        b.iter(|| tree::visible_rows(black_box(&library), &shows_open))
    });
    let all_open = everything_open(&library);
    group.bench_function("visible_rows/all_open", |b| {
        b.iter(|| tree::visible_rows(black_box(&library), &all_open))
    });

    // ----- rendering -----
    // The floor: what `examples/bare_ratatui.rs` draws, one paragraph over the whole frame.
    // Every frame still pays ratatui's fixed costs: clearing the 200×60 buffer, diffing it
    // against the last one, and handing the changes to the backend.
    group.bench_function("render_bare", |b| {
        let mut terminal = terminal();
        let paragraph = Paragraph::new("BARE-RATATUI-FIRST-FRAME");
        b.iter(|| {
            terminal
                .draw(|frame| frame.render_widget(&paragraph, frame.area()))
                .expect("draw");
        })
    });
    // For scale, not a floor: every one of the 12,000 cells written with text.
    group.bench_function("render_full_text", |b| {
        let mut terminal = terminal();
        let lines: Vec<Line> = (0..HEIGHT)
            .map(|y| Line::raw(format!("{y:>3} {}", "fantrack ".repeat(22))))
            .collect();
        let paragraph = Paragraph::new(lines);
        b.iter(|| {
            terminal
                .draw(|frame| frame.render_widget(&paragraph, frame.area()))
                .expect("draw");
        })
    });

    let app_dir = tempfile::tempdir().expect("tempdir");
    let mut app = app_in(app_dir.path(), &library);
    let mut term = terminal();
    select(&mut app, NodeId::Show(0, 0));
    group.bench_function("render_tree_show", |b| b.iter(|| draw(&mut term, &mut app)));

    let mut long = library.clone();
    let season = with_long_season(&mut long, LONG_SEASON);
    let long_dir = tempfile::tempdir().expect("tempdir");
    let mut long_app = app_in(long_dir.path(), &long);
    select(&mut long_app, season);
    let mut long_term = terminal();
    group.bench_function("render_season_50", |b| {
        b.iter(|| draw(&mut long_term, &mut long_app))
    });
    drop(long_app);

    // Watch order of the first franchise, opened from its root show.
    app.update(Action::WatchOrder);
    let mut order_term = terminal();
    group.bench_function("render_watch_order", |b| {
        b.iter(|| draw(&mut order_term, &mut app))
    });
    app.update(Action::WatchOrder);

    app.update(Action::Help);
    let mut help_term = terminal();
    group.bench_function("render_help", |b| b.iter(|| draw(&mut help_term, &mut app)));
    app.update(Action::Help);

    // ----- keys: one iteration is one key press, update then repaint -----
    select(&mut app, NodeId::Show(0, 0));
    let mut down = true;
    group.bench_function("key_nav", |b| {
        b.iter(|| {
            app.update(if down { Action::Down } else { Action::Up });
            down = !down;
            draw(&mut term, &mut app);
        })
    });

    select(&mut app, NodeId::Season(0, 0, 0));
    app.update(Action::Expand);
    select(&mut app, NodeId::Episode(0, 0, 0, 0));
    draw(&mut term, &mut app);
    // As the run loop does: update, take in finished saves, repaint. The saver thread writes
    // the file meanwhile (coalescing), on the other core.
    group.bench_function("key_toggle_watched", |b| {
        b.iter(|| {
            app.update(Action::ToggleWatched);
            app.poll_saves();
            draw(&mut term, &mut app);
        })
    });
    app.flush_saves(Duration::from_secs(60));
    if durable {
        // The same key until the change is on disk: what durability costs end to end.
        slow(&mut group, if heavy { 10 } else { 3 });
        group.bench_function("key_toggle_watched_until_saved", |b| {
            b.iter(|| {
                app.update(Action::ToggleWatched);
                app.poll_saves();
                draw(&mut term, &mut app);
                app.flush_saves(Duration::from_secs(60));
            })
        });
    }
    assert!(
        app.unsaved().is_none(),
        "a save failed: {:?}",
        app.unsaved()
    );

    fast(&mut group);
    app.update(Action::Search);
    let mut typed = false;
    group.bench_function("search_keystroke", |b| {
        b.iter(|| {
            app.update(if typed {
                Action::SearchBackspace
            } else {
                Action::SearchInput('a')
            });
            typed = !typed;
            draw(&mut term, &mut app);
        })
    });
    app.update(Action::Cancel);

    group.finish();
}

/// Both sizes. With `FANTRACK_BENCH_CPU=1` in the environment, the in-memory benches are
/// measured in the thread's CPU time instead of wall time (groups `catalog_cpu`,
/// `power_user_cpu`): a cross-check for a machine busy with other work.
fn main() {
    let cpu = std::env::var_os("FANTRACK_BENCH_CPU").is_some_and(|v| v != "0");
    if cpu {
        let mut c = Criterion::default()
            .with_measurement(ThreadCpu { wall: WallTime })
            .configure_from_args();
        size(
            &mut c,
            "catalog_cpu",
            store::shipped_catalog(),
            false,
            false,
        );
        let power = generate::library(&Spec::power_user());
        size(&mut c, "power_user_cpu", power, true, false);
        c.final_summary();
    } else {
        let mut c = Criterion::default().configure_from_args();
        size(&mut c, "catalog", store::shipped_catalog(), false, true);
        let power = generate::library(&Spec::power_user());
        size(&mut c, "power_user", power, true, true);
        c.final_summary();
    }
}
