//! A real terminal for the end-to-end tests, with nothing but Rust: the binary runs on a
//! pseudo-terminal (portable-pty) and what it prints is read by a terminal emulator (vt100),
//! so `cargo test` needs no tmux. Key names follow tmux's `send-keys` (`Space`, `Escape`,
//! `Enter`, `Up`, `C-c` …) so journeys read as a user would type them.
#![allow(dead_code)] // each test file uses its own part of this

use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{JoinHandle, sleep};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

/// How long a wait for the screen or for the app to end may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(10);

pub struct Term {
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    child: Box<dyn Child + Send + Sync>,
    screen: Arc<Mutex<vt100::Parser>>,
    reader: Option<JoinHandle<()>>,
    /// Tells the reader to let go of its copy of the master, so closing the terminal is a
    /// real hangup (the kernel sends it only when the last copy closes).
    stop: Arc<AtomicBool>,
    status: Option<ExitStatus>,
}

impl Term {
    /// Starts `cmd` on a `cols`×`rows` terminal.
    pub fn start(mut cmd: CommandBuilder, cols: u16, rows: u16) -> Term {
        cmd.env("TERM", "xterm-256color");
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal opens");
        let child = pair.slave.spawn_command(cmd).expect("the command starts");
        // The parent's copy of the slave must close, or a hangup is never seen.
        drop(pair.slave);
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            nonzero(rows),
            nonzero(cols),
            0,
        )));
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        // Non-blocking (the flag is on the shared open file, so the reader's copy has it
        // too): the reader can then notice `stop` instead of blocking in read for ever.
        if let Some(fd) = pair.master.as_raw_fd() {
            nix::fcntl::fcntl(
                fd,
                nix::fcntl::FcntlArg::F_SETFL(nix::fcntl::OFlag::O_NONBLOCK),
            )
            .expect("non-blocking pty");
        }
        let parser = Arc::clone(&screen);
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 16 * 1024];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => parser.lock().expect("screen lock").process(&buf[..n]),
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        if stopped.load(Ordering::Relaxed) {
                            break;
                        }
                        sleep(Duration::from_millis(5));
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    // EIO: the app and everything it started have closed the terminal.
                    Err(_) => break,
                }
            }
        });
        Term {
            master: Some(pair.master),
            writer: Some(writer),
            child,
            screen,
            reader: Some(reader),
            stop,
            status: None,
        }
    }

    /// fantrack with a private config dir and home (never the user's), 120×35.
    pub fn fantrack(config: &Path, args: &[&str]) -> Term {
        Term::fantrack_sized(config, args, &[], 120, 35)
    }

    /// fantrack with a private config dir and home, extra environment, any size.
    pub fn fantrack_sized(
        config: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> Term {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_fantrack"));
        cmd.args(args);
        cmd.cwd(config);
        cmd.env_remove("FANTRACK_FILE");
        cmd.env_remove("FANTRACK_CACHE_DIR");
        cmd.env_remove("NO_COLOR");
        cmd.env("XDG_CONFIG_HOME", config);
        cmd.env("XDG_CACHE_HOME", config.join("cache"));
        cmd.env("XDG_STATE_HOME", config.join("state"));
        cmd.env("HOME", config);
        for (k, v) in env {
            cmd.env(k, v);
        }
        Term::start(cmd, cols, rows)
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the child has a pid")
    }

    /// Sends keys by tmux name, a short pause after each as a typist would.
    pub fn keys(&mut self, keys: &[&str]) {
        for key in keys {
            self.write(&key_bytes(key));
            sleep(Duration::from_millis(30));
        }
    }

    /// Types text literally.
    pub fn typed(&mut self, text: &str) {
        self.write(text.as_bytes());
    }

    /// Sends raw bytes (mouse reports, pastes).
    pub fn write(&mut self, bytes: &[u8]) {
        if let Some(w) = self.writer.as_mut() {
            // The app may be gone already; the test's next wait says so.
            let _ = w.write_all(bytes).and_then(|()| w.flush());
        }
    }

    pub fn screen(&self) -> String {
        self.screen.lock().expect("screen lock").screen().contents()
    }

    /// Whether the app has the alternate screen on (it must be off once it has ended).
    pub fn alternate_screen(&self) -> bool {
        self.screen
            .lock()
            .expect("screen lock")
            .screen()
            .alternate_screen()
    }

    /// Whether the app asked the terminal for mouse reports (it must stop asking at exit).
    pub fn mouse_reporting(&self) -> bool {
        self.screen
            .lock()
            .expect("screen lock")
            .screen()
            .mouse_protocol_mode()
            != vt100::MouseProtocolMode::None
    }

    /// Waits until the screen shows `text`, failing with the screen after 10 s.
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "waited for {text:?}; the screen is:\n{screen}"
            );
            sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the screen no longer shows `text`.
    pub fn wait_gone(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if !screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "waited for {text:?} to go; the screen is:\n{screen}"
            );
            sleep(Duration::from_millis(20));
        }
    }

    /// Tells the terminal and the app that the window changed size.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.screen
            .lock()
            .expect("screen lock")
            .set_size(nonzero(rows), nonzero(cols));
        if let Some(m) = self.master.as_ref() {
            m.resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize");
        }
    }

    /// Closes the terminal, as when its window is closed: the app gets a hangup.
    pub fn hang_up(&mut self) {
        // portable-pty's writer, when dropped, types a newline and the EOF character (for a
        // shell waiting for a line); a closed window types nothing. Turn EOF off first, so
        // the app sees only the hangup (its notes editor takes that newline as Ctrl+J,
        // which deletes the line typed).
        if self.writer.is_some()
            && let Some(name) = self.master.as_ref().and_then(|m| m.tty_name())
        {
            use nix::sys::termios::{SetArg, SpecialCharacterIndices, tcgetattr, tcsetattr};
            use std::os::unix::fs::OpenOptionsExt;
            if let Ok(tty) = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .custom_flags(nix::fcntl::OFlag::O_NOCTTY.bits())
                .open(name)
                && let Ok(mut termios) = tcgetattr(&tty)
            {
                termios.control_chars[SpecialCharacterIndices::VEOF as usize] = 0;
                let _ = tcsetattr(&tty, SetArg::TCSANOW, &termios);
            }
        }
        self.writer = None;
        self.master = None;
        self.stop.store(true, Ordering::Relaxed);
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
    }

    /// Waits for the app to end and returns how it ended, failing after 10 s.
    pub fn wait_exit(&mut self) -> ExitStatus {
        if let Some(s) = &self.status {
            return s.clone();
        }
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                // Let the reader take the last bytes the app wrote (leaving the alternate
                // screen) before the test looks at the screen.
                sleep(Duration::from_millis(50));
                self.status = Some(status.clone());
                return status;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "the app did not end; the screen is:\n{}",
                self.screen()
            );
            sleep(Duration::from_millis(20));
        }
    }

    /// Whether the app is still running.
    pub fn running(&mut self) -> bool {
        self.status.is_none() && matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        if self.status.is_none() && matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        self.hang_up();
    }
}

fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).unwrap_or(std::num::NonZeroU16::MIN)
}

/// The bytes a terminal sends for a key named as tmux names it.
pub fn key_bytes(key: &str) -> Vec<u8> {
    let named: &[u8] = match key {
        "Space" => b" ",
        "Escape" => b"\x1b",
        "Enter" => b"\r",
        "Tab" => b"\t",
        "BTab" => b"\x1b[Z",
        "BSpace" => b"\x7f",
        "Up" => b"\x1b[A",
        "Down" => b"\x1b[B",
        "Right" => b"\x1b[C",
        "Left" => b"\x1b[D",
        "Home" => b"\x1b[H",
        "End" => b"\x1b[F",
        "PPage" => b"\x1b[5~",
        "NPage" => b"\x1b[6~",
        "DC" => b"\x1b[3~",
        _ => {
            if let Some(c) = key.strip_prefix("C-")
                && let [b] = c.as_bytes()
            {
                return vec![b.to_ascii_lowercase() & 0x1f];
            }
            return key.as_bytes().to_vec();
        }
    };
    named.to_vec()
}

/// A mouse report in the SGR form crossterm asks for: button 0 press and release, or the
/// wheel (64 up, 65 down), at a 0-based cell.
pub fn mouse(button: u8, col: u16, row: u16) -> Vec<u8> {
    let (x, y) = (col + 1, row + 1);
    if button >= 64 {
        format!("\x1b[<{button};{x};{y}M").into_bytes()
    } else {
        format!("\x1b[<{button};{x};{y}M\x1b[<{button};{x};{y}m").into_bytes()
    }
}
