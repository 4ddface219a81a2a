//! Starting: open the file (creating it on first run), show a cached first screen while the
//! library loads, run, and on the way out cache the screen the next start opens on.

use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use ratatui::layout::Rect;

use super::{App, Draw, Msg, Setup, Status, runtime};
use crate::error::{Error, Result};
use crate::frame_cache::FrameKey;
use crate::model::{FORMAT_VERSION, Library, NodeId, today};
use crate::store::cache::Cache;
use crate::store::{self, Opened};
use crate::theme::Theme;

/// How the TUI is started, from the command line.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// `--no-color`: the colourless theme whatever the config says.
    pub no_color: bool,
}

/// What the config file makes of the app, read once before the library loads.
struct Configured {
    theme: Theme,
    /// Problems to say in the status bar: a config that did not load, key conflicts.
    problems: Vec<String>,
    dates: crate::present::Dates,
    /// The spoiler shield's state when the library does not say.
    shield_default: bool,
}

impl Configured {
    fn read(options: Options) -> Configured {
        let mut problems = Vec::new();
        let config = match crate::config::path().map(|p| crate::config::load(&p)) {
            Some(Ok(config)) => config,
            Some(Err(e)) => {
                // The file name is enough on one status line; the place is what matters.
                let name = e.path.file_name().map_or_else(
                    || e.path.display().to_string(),
                    |n| n.to_string_lossy().into(),
                );
                let at = e.at.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default();
                problems.push(format!(
                    "{name}{at}: {} · opened with the defaults",
                    e.message
                ));
                crate::config::Config::default()
            }
            None => crate::config::Config::default(),
        };
        problems.extend(crate::keymap::install(&config.keys));
        Configured {
            theme: Theme::build(&config.theme, options.no_color),
            problems,
            dates: crate::present::Dates::new(config.date_format),
            shield_default: config.spoiler_shield.unwrap_or(false),
        }
    }
}

/// Opens the library (creating it on first run) and runs the TUI until the user quits.
pub fn run(path: &Path, draw: Draw) -> Result<()> {
    run_with(path, draw, Options::default())
}

/// `run`, started with the command line's options.
pub fn run_with(path: &Path, draw: Draw, options: Options) -> Result<()> {
    let setup = Configured::read(options);
    crate::trace::mark("config");
    let state_path = crate::state::path();
    let cache = Cache::from_env();
    let loading = Setup {
        background_saves: true,
        ..Setup::default()
    };

    // SIGTERM / SIGHUP / SIGINT end the loop like `q`: every change is already saved.
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .map_err(|e| Error::Terminal(format!("cannot watch for signals: {e}")))?;
    }
    crate::trace::mark("signals");
    // The last run's state, read before the library so the tree is built once, for the folds
    // it left.
    let state = state_path
        .as_ref()
        .map(|state| crate::state::load(state, path));
    crate::trace::mark("state-read");
    let search = state.as_ref().and_then(|s| s.search.clone());
    let loading = Setup {
        restore: state,
        ..loading
    };
    // A first screen cached for this very file (same length, times and inode) means the file
    // loaded before and will again: then the library loads on another thread while the
    // terminal is set up and the cached screen shows. Otherwise the load comes first, on this
    // thread (a second one would only wait for it), so a file that does not load is reported
    // without touching the terminal.
    let plain = setup.theme.is_plain();
    let early = cache.as_ref().and_then(|cache| {
        let (width, height) = crossterm::terminal::size().ok()?;
        let key = FrameKey::now(path, width, height, plain)?;
        let ansi = cache.read_frame_ansi(path, &key)?;
        Some((cache, key, ansi))
    });
    crate::trace::mark("frame-ansi");
    let (mut terminal, (mut app, later)) = match early {
        None => {
            let app = App::open_for_run(path, cache.as_ref(), loading)?;
            crate::trace::mark("loaded");
            let terminal = runtime::init_terminal()?;
            crate::trace::mark("terminal");
            (terminal, app)
        }
        Some((cache, key, ansi)) => {
            let loader = {
                let (path, cache) = (path.to_path_buf(), cache.clone());
                std::thread::spawn(move || {
                    // A new heap, advised as `main` advised its own (see `heap`).
                    crate::heap::advise_huge_pages();
                    App::open_for_run(&path, Some(&cache), loading)
                })
            };
            let mut terminal = runtime::init_terminal()?;
            crate::trace::mark("terminal");
            let mut out = io::stdout();
            let _ = out.write_all(&ansi).and_then(|()| out.flush());
            crate::trace::mark("painted");
            // Tell ratatui what is on the screen now, so its first real frame changes only
            // what differs; without the cells, it redraws everything.
            match cache.read_frame(path, &key) {
                Some(cells) => {
                    *terminal.current_buffer_mut() = cells;
                    terminal.swap_buffers();
                }
                None => {
                    let _ = terminal.clear();
                }
            }
            crate::trace::mark("frame-cells");
            match join(loader) {
                Ok(app) => {
                    crate::trace::mark("joined");
                    (terminal, app)
                }
                Err(error) => {
                    runtime::restore_terminal();
                    return Err(error);
                }
            }
        }
    };
    app.configure(setup);
    if state_path.is_some() {
        app.restore_search(search.as_deref());
        crate::trace::mark("restore");
    }
    app.offer_conflict_copies();
    crate::trace::mark("conflicts");
    let result = runtime::run_loop(&mut app, &mut terminal, &stop, draw, later);
    crate::trace::write();
    // What to come back to; a state that cannot be written is not worth an error.
    if let Some(state) = &state_path {
        let _ = crate::state::save(state, &app.remembered());
    }
    let size = terminal.size().ok();
    runtime::restore_terminal();
    result.map_err(|e| Error::Terminal(format!("terminal error: {e}")))?;
    if let (Some(cache), Some(size)) = (&cache, size)
        && app.unsaved().is_none()
    {
        app.remember_first_frame(cache, (size.width, size.height), plain, draw);
    }
    match app.unsaved() {
        Some(reason) => Err(Error::Unsaved(reason.to_string())),
        None => Ok(()),
    }
}

/// An in-memory writer whose bytes stay readable after a backend has taken it.
#[derive(Clone, Default)]
struct SharedBytes(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl Write for SharedBytes {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The nodes `state` names that still exist: the open folds (None: the state has none, keep
/// the default) and the selection.
pub(super) fn restored_nodes(
    library: &Library,
    state: &crate::state::State,
) -> (Option<Vec<NodeId>>, Option<NodeId>) {
    let nodes = crate::state::Nodes::of(library);
    let node = |key: &String| nodes.node_of(key);
    let open = (!state.open.is_empty()).then(|| state.open.iter().filter_map(node).collect());
    (open, state.selected.as_ref().and_then(node))
}

/// Waits for the loading thread.
fn join<T>(loader: std::thread::JoinHandle<Result<T>>) -> Result<T> {
    loader
        .join()
        .unwrap_or_else(|_| Err(Error::Other("loading the library failed".into())))
}

/// The status line a start opens with.
fn greeting() -> String {
    use crate::action::Action;
    use crate::keymap::{Context, hint};
    format!(
        "{} · {}",
        hint(Context::NORMAL, Action::Help, "for help"),
        hint(Context::NORMAL, Action::Quit, "to quit")
    )
}

impl App {
    /// Takes in the config: its theme, date format and problems (said in the status bar).
    fn configure(&mut self, setup: Configured) {
        self.theme = setup.theme;
        self.dates = setup.dates;
        self.document.set_shield_default(setup.shield_default);
        if setup.problems.is_empty() {
            return;
        }
        let problems = setup.problems.join(" · ");
        self.status = match &self.status {
            Status::Error(first) => Status::Error(format!("{first} · {problems}")),
            Status::Info(_) => Status::Error(problems),
        };
    }

    /// Opens the folds, selects and searches as the last run left them, as far as the items
    /// still exist: for the screen the next start opens on (`remember_first_frame`); the
    /// start itself builds the tree for the state at once (`Setup::restore`).
    fn restore(&mut self, state: &crate::state::State) {
        let library = self.document.library();
        // The rows are built once, for the folds and the selection together.
        let (open, selected) = restored_nodes(library, state);
        self.tree.restore(library, open, selected);
        self.restore_search(state.search.as_deref());
    }

    /// The search the last run left, once the config (the spoiler shield's default) is in.
    fn restore_search(&mut self, query: Option<&str>) {
        if let Some(query) = query {
            for c in query.chars() {
                self.search.push(c);
            }
            self.search.refresh(self.document.shield());
        }
        self.tree.follow();
    }

    /// What `restore` brings back at the next start.
    pub fn remembered(&self) -> crate::state::State {
        let library = self.document.library();
        let key = |id| crate::state::key_of(library, id);
        crate::state::State {
            library: Some(self.path().to_path_buf()),
            open: self.tree.open_nodes().into_iter().filter_map(key).collect(),
            selected: self.selected().and_then(key),
            search: Some(self.search.query().to_string()).filter(|q| !q.is_empty()),
        }
    }

    /// Opens the library for the TUI: creates it from the shipped catalog on first run, and
    /// opens a file from a newer fantrack read-only. Any other load error stops here, before
    /// the terminal is touched.
    pub fn open(path: &Path) -> Result<App> {
        App::open_with(path, Setup::default())
    }

    /// `open`, set up as `setup` says (its stamp is the file's as read).
    pub fn open_with(path: &Path, setup: Setup) -> Result<App> {
        let (app, later) = App::open_for_run(path, None, setup)?;
        if let Some(write) = later {
            std::thread::spawn(write);
        }
        Ok(app)
    }

    /// `open_with`, with the parse taken from (or, on a miss, written to) the start-up cache;
    /// the cache write on a miss is handed back, for the run loop to start once the first key
    /// is answered.
    fn open_for_run(
        path: &Path,
        cache: Option<&Cache>,
        setup: Setup,
    ) -> Result<(App, Option<runtime::Later>)> {
        let mut later: Option<runtime::Later> = None;
        crate::trace::mark("loader");
        let created = !path.exists() && matches!(store::open(path)?, Opened::Created(_));
        let candidate = cache.and_then(|c| c.library_candidate(path));
        let (library, stamp, newer) = match store::load_stamped_cached(path, candidate) {
            Ok((library, stamp, parsed)) => {
                if let (Some(cache), Some(bytes)) = (cache, parsed) {
                    // Cache the parse for next time, off this thread (a clone is cheap). The
                    // stamp has the bytes' hash: the 14 MB of a large file are freed here, not
                    // held through the first key (and the catalog notice's save).
                    drop(bytes);
                    let (cache, path, library) =
                        (cache.clone(), path.to_path_buf(), library.clone());
                    let hash = stamp.hash();
                    later = Some(Box::new(move || {
                        cache.write_library_of(&path, hash, library);
                    }));
                }
                (library, stamp, None)
            }
            Err(store::LoadError::TooNew { found, .. }) => {
                let (library, stamp) = store::load_stamped_newer(path)?;
                (library, stamp, Some(found))
            }
            Err(e) => return Err(e.into()),
        };
        // The notices below save inline, as before the run loop; background saving (when
        // asked for) starts after them.
        let background = setup.background_saves;
        let setup = Setup {
            stamp: Some(stamp),
            background_saves: false,
            ..setup
        };
        let today = today();
        crate::trace::mark("today");
        let mut app = App::with(library, path.to_path_buf(), today, setup);
        crate::trace::mark("app");
        app.status = Status::Info(if created {
            let help = crate::keymap::hint(
                crate::keymap::Context::NORMAL,
                crate::action::Action::Help,
                "for help",
            );
            format!("created {} · {help}", path.display())
        } else {
            greeting()
        });
        match newer {
            Some(found) => {
                let reason = format!(
                    "READ-ONLY: this file is format version {found}, newer than this fantrack \
                     knows ({FORMAT_VERSION}); update fantrack to change it"
                );
                app.status = Status::Error(reason.clone());
                app.document.block(reason);
            }
            None => app.notice_newer_catalog(),
        }
        crate::trace::mark("catalog");
        app.notice_rescued_notes();
        app.document.set_background(background);
        crate::trace::mark("rescued");
        Ok((app, later))
    }

    /// Notes that could not be saved when a run ended (a file that could not be written, a
    /// panic) are in rescue files beside the library: say so at each start until they are
    /// gone, since the user may not have seen the message on the way out.
    fn notice_rescued_notes(&mut self) {
        let rescued = super::document::rescued_notes(self.path());
        let Some(newest) = rescued.last() else {
            return;
        };
        let more = match rescued.len() {
            1 => String::new(),
            n => format!(" (and {} older)", n - 1),
        };
        let notice = format!(
            "notes typed last time were not saved: {}{more}",
            newest.display()
        );
        self.status = match &self.status {
            Status::Error(first) => Status::Error(format!("{first} · {notice}")),
            Status::Info(_) => Status::Error(notice),
        };
    }

    /// Caches the screen the next start will open on (the library as it now is on disk), and
    /// the parse of the file, so the next start can show it at once.
    fn remember_first_frame(
        &self,
        cache: &Cache,
        (width, height): (u16, u16),
        plain: bool,
        draw: Draw,
    ) {
        // Only when the file on disk is exactly what this app last wrote or read, so the
        // library in memory is the parse of its bytes: never for a file that changed outside,
        // failed to load, or holds less than the app does.
        if !self.document.in_step() {
            return;
        }
        let path = self.path();
        let Some(key) = FrameKey::now(path, width, height, plain) else {
            return;
        };
        // In step, the file is the stamp's bytes: its hash says which parse the cache must hold,
        // with no second read of 14 MB at exit.
        if let Some(hash) = self.document.stamp_hash()
            && !cache.has_library_of(path, hash)
        {
            cache.write_library_of(path, hash, self.library().clone());
        }
        let mut next = App::new(self.library().clone(), path.to_path_buf(), self.today);
        next.theme = self.theme;
        next.dates = self.dates.clone();
        next.document
            .set_shield_default(self.document.shield_default());
        // The next start restores this state: its first screen shows it too.
        next.restore(&self.remembered());
        next.status = Status::Info(greeting());
        next.update(Msg::Resized(width, height));
        // Drawn into memory through the same backend the app uses, so the bytes are exactly
        // what a terminal needs to show this frame.
        let bytes = SharedBytes::default();
        let backend = ratatui::backend::CrosstermBackend::new(bytes.clone());
        let viewport = ratatui::Viewport::Fixed(Rect::new(0, 0, width, height));
        let Ok(mut terminal) =
            ratatui::Terminal::with_options(backend, ratatui::TerminalOptions { viewport })
        else {
            return;
        };
        let Ok(frame) = terminal.draw(|frame| {
            draw(frame, &next);
        }) else {
            return;
        };
        let cells = frame.buffer.clone();
        cache.write_frame(path, key, &cells, &bytes.0.borrow());
    }
}
