//! The run loop and the terminal: draw → read an event → keymap → `update`; wake up now and
//! then to take in saves and notice outside edits; hand the notes to $VISUAL/$EDITOR.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;

use super::{App, Draw, Effect, Msg};
use crate::error::Error;
use crate::keymap;

/// How often the loop looks for a finished save while one runs.
const SAVE_CHECK: Duration = Duration::from_millis(20);

/// How often the idle loop checks the file for outside edits.
const IDLE_CHECK: Duration = Duration::from_millis(500);

/// Runs until the user quits or `stop` is set (SIGTERM / SIGHUP / SIGINT); then saves what
/// is left, the notes editor's text included. A closed terminal (reading or drawing fails)
/// and a panic end the loop the same way: what was typed is saved first (after a panic, the
/// editor's text goes to a rescue file instead, whose path the error names).
pub(super) fn run_loop(
    app: &mut App,
    terminal: &mut DefaultTerminal,
    stop: &AtomicBool,
    draw: Draw,
) -> io::Result<()> {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run(app, terminal, stop, draw)
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

fn run(
    app: &mut App,
    terminal: &mut DefaultTerminal,
    stop: &AtomicBool,
    draw: Draw,
) -> io::Result<()> {
    // For the test that proves a panic restores the terminal and leaves the file intact.
    let panic_on_key = std::env::var_os("FANTRACK_TEST_PANIC_ON_KEY").is_some();
    let mut size = None;
    while !app.should_quit() && !stop.load(Ordering::Relaxed) {
        let now = terminal.size()?;
        if size != Some(now) {
            app.update(Msg::Resized(now.width, now.height));
            size = Some(now);
        }
        terminal.draw(|frame| draw(frame, app))?;
        // Wake up now and then to notice outside edits and signals, and soon after a save to
        // show that it landed.
        let wait = if app.saving() || app.working() {
            SAVE_CHECK
        } else {
            IDLE_CHECK
        };
        if !event::poll(wait)? {
            take_reports(app);
            app.update(Msg::Tick);
            continue;
        }
        let event = event::read()?;
        if panic_on_key && matches!(event, event::Event::Key(_)) {
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
    }
    Ok(())
}

/// What the worker (TVmaze, an import) reported, each handed to `update`.
fn take_reports(app: &mut App) {
    for report in app.take_reports() {
        app.update(Msg::Job(report));
    }
}

/// Raw mode, the alternate screen and mouse reporting; a panic hook that undoes them all.
pub(super) fn init_terminal() -> Result<DefaultTerminal, Error> {
    let terminal = ratatui::try_init()
        .map_err(|e| Error::Terminal(format!("cannot use the terminal: {e}")))?;
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableMouseCapture);
        hook(info);
    }));
    let _ = execute!(io::stdout(), EnableMouseCapture);
    Ok(terminal)
}

pub(super) fn restore_terminal() {
    let _ = execute!(io::stdout(), DisableMouseCapture);
    ratatui::restore();
}

/// Suspends the TUI, edits `notes` in $VISUAL/$EDITOR, and resumes. The new text, or why the
/// notes stay unchanged.
fn edit_externally(
    terminal: &mut DefaultTerminal,
    notes: &str,
) -> io::Result<Result<String, String>> {
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
    *terminal = ratatui::init();
    let _ = execute!(io::stdout(), EnableMouseCapture);
    terminal.clear()?;
    Ok(match status {
        Ok(s) if s.success() => Ok(crate::present::notes_from_editor(&std::fs::read_to_string(
            file.path(),
        )?)),
        Ok(s) => Err(format!("{editor} exited with {s}; notes unchanged")),
        Err(e) => Err(format!("could not run {editor}: {e}")),
    })
}
