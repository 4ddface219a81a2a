//! The run loop and the terminal: draw → read an event → keymap → `update`; wake up now and
//! then to take in saves and notice outside edits; hand the notes to $VISUAL/$EDITOR.

use std::io::{self, BufWriter, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};

use super::{App, Draw, Effect, Msg};
use crate::error::Error;
use crate::keymap;

/// The screen: stdout through a buffer that holds a whole frame, so a frame goes out in one
/// write (std's stdout writes every 1 KB: a 200×60 repaint was some 30 system calls).
/// ratatui flushes the backend after every frame, so nothing waits in the buffer.
pub(super) type Term = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// Enough for a full 200×60 repaint with colours.
const FRAME_BUFFER: usize = 1 << 16;

/// How often the loop looks for a finished save while one runs.
const SAVE_CHECK: Duration = Duration::from_millis(20);

/// How often the idle loop checks the file for outside edits.
const IDLE_CHECK: Duration = Duration::from_millis(500);

/// Runs until the user quits or `stop` is set (SIGTERM / SIGHUP / SIGINT); then saves what
/// is left, the notes editor's text included. A closed terminal (reading or drawing fails)
/// and a panic end the loop the same way: what was typed is saved first (after a panic, the
/// editor's text goes to a rescue file instead, whose path the error names).
///
/// `later` runs on a thread of its own once the first key is answered (or the app has been
/// idle for a moment): work the start can wait for, such as writing the start-up cache, so
/// it does not compete with that key for the CPU.
pub(super) fn run_loop(
    app: &mut App,
    terminal: &mut Term,
    stop: &AtomicBool,
    draw: Draw,
    later: Option<Later>,
) -> io::Result<()> {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run(app, terminal, stop, draw, later)
    }));
    match result {
        Ok(result) => {
            app.update(Msg::Stopped);
            result
        }
        Err(panic) => {
            // The app's state may be half-changed: keep the typed text in a file of its own,
            // and let the saver finish what it was handed (each snapshot is a whole library).
            // The panic hook has restored the terminal already, so the path shows.
            if let Some(path) = app.rescue_editor() {
                eprintln!(
                    "fantrack: the notes being edited are kept in {}",
                    path.display()
                );
            }
            app.update(Msg::Flush(super::QUIT_WAIT));
            std::panic::resume_unwind(panic)
        }
    }
}

/// Work for after the first key (see `run_loop`).
pub(super) type Later = Box<dyn FnOnce() + Send>;

/// Events handled before a frame at most: keys already waiting (typed while the app started,
/// a held key's repeats, a paste) are answered by one frame, and a flood still gets a frame
/// now and then.
const BATCH: usize = 32;

fn run(
    app: &mut App,
    terminal: &mut Term,
    stop: &AtomicBool,
    draw: Draw,
    mut later: Option<Later>,
) -> io::Result<()> {
    // For the test that proves a panic restores the terminal and leaves the file intact.
    let panic_on_key = std::env::var_os("FANTRACK_TEST_PANIC_ON_KEY").is_some();
    let mut size = None;
    let mut answered = false;
    let mut traced = false;
    while !app.should_quit() && !stop.load(Ordering::Relaxed) {
        let now = terminal.size()?;
        if size != Some(now) {
            app.update(Msg::Resized(now.width, now.height));
            size = Some(now);
        }
        // What is already waiting is taken in before drawing: drawing a frame the next key
        // replaces at once only delays that key's own.
        let mut taken = 0;
        while taken < BATCH && !app.should_quit() && event::poll(Duration::ZERO)? {
            answered |= handle(app, terminal, event::read()?, panic_on_key)?;
            taken += 1;
        }
        if app.should_quit() {
            break;
        }
        let mut drawn = super::Drawn::default();
        terminal.draw(|frame| drawn = draw(frame, app))?;
        app.update(Msg::Drawn(drawn));
        if !traced {
            // The first frame, then the first key's (FANTRACK_TRACE_START).
            crate::trace::mark(if answered { "answered" } else { "frame" });
            if answered {
                crate::trace::write();
                traced = true;
            }
        }
        // Wake up now and then to notice outside edits and signals, and soon after a save (or
        // a big file's reload, or a worker's job) to show that it landed.
        let busy = app.saving() || app.document.looking() || app.working();
        let wait = if busy { SAVE_CHECK } else { IDLE_CHECK };
        if answered {
            start_later(&mut later);
        }
        if !event::poll(wait)? {
            // Idle for a moment: no key to compete with.
            start_later(&mut later);
            take_reports(app);
            app.update(Msg::Tick);
            continue;
        }
        answered |= handle(app, terminal, event::read()?, panic_on_key)?;
    }
    Ok(())
}

/// One event through the keymap into `update`, then what the workers and the saver reported.
/// True when it was a key (its frame is the next drawn; what waits for the first key starts
/// after it).
fn handle(
    app: &mut App,
    terminal: &mut Term,
    event: event::Event,
    panic_on_key: bool,
) -> io::Result<bool> {
    crate::trace::mark("event");
    let key = matches!(event, event::Event::Key(_));
    if panic_on_key && key {
        panic!("FANTRACK_TEST_PANIC_ON_KEY: a panic, on purpose");
    }
    if let Some(action) = keymap::action_for_event(app.keys(), &event)
        && let Some(Effect::ExternalEditor(id)) = app.update(action)
    {
        let result = edit_externally(terminal, app.notes(id))?;
        app.update(Msg::EditorReturned(id, result));
    }
    take_reports(app);
    app.update(Msg::Saves);
    Ok(key)
}

fn start_later(later: &mut Option<Later>) {
    if let Some(work) = later.take() {
        let _ = std::thread::Builder::new()
            .name("fantrack-later".into())
            .spawn(work);
    }
}

/// What the worker (TVmaze, an import) reported, each handed to `update`.
fn take_reports(app: &mut App) {
    for report in app.take_reports() {
        app.update(Msg::Job(report));
    }
}

/// Raw mode, the alternate screen and mouse reporting; a panic hook that undoes them all.
pub(super) fn init_terminal() -> Result<Term, Error> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        hook(info);
    }));
    enter().map_err(|e| Error::Terminal(format!("cannot use the terminal: {e}")))
}

/// Raw mode, the alternate screen and mouse reporting, and a fresh terminal over them.
fn enter() -> io::Result<Term> {
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen)?;
    let _ = execute!(io::stdout(), EnableMouseCapture);
    Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(
        FRAME_BUFFER,
        io::stdout(),
    )))
}

pub(super) fn restore_terminal() {
    let _ = execute!(io::stdout(), DisableMouseCapture);
    // Quietly: after a closed terminal there is nowhere to say it failed, and a failed print
    // would be a panic.
    let _ = ratatui::try_restore();
}

/// Suspends the TUI, edits `notes` in $VISUAL/$EDITOR, and resumes. The new text, or why the
/// notes stay unchanged.
fn edit_externally(terminal: &mut Term, notes: &str) -> io::Result<Result<String, String>> {
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".into());
    let file = tempfile::Builder::new()
        .prefix("fantrack-notes-")
        .suffix(".md")
        .tempfile()?;
    std::fs::write(file.path(), crate::present::notes_for_editor(notes))?;
    restore_terminal();
    // Through the shell, so an $EDITOR like "code -w" works.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(file.path())
        .status();
    *terminal = enter()?;
    terminal.clear()?;
    Ok(match status {
        Ok(s) if s.success() => Ok(crate::present::notes_from_editor(&std::fs::read_to_string(
            file.path(),
        )?)),
        Ok(s) => Err(format!("{editor} exited with {s}; notes unchanged")),
        Err(e) => Err(format!("could not run {editor}: {e}")),
    })
}
