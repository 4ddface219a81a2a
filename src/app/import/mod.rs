//! History import in the app (`I`), and the offer to merge a sync tool's conflict copy.
//!
//! The import is what `fantrack import FILE` does, in screens (`Flow`): type the path (Tab
//! switches "add the missing shows": from TVmaze, as `--add-missing` does, or from the export
//! alone, as `--add-missing --offline`) → reading and matching on a worker, with a progress
//! bar → for a password-protected ZIP, a masked password field (Enter tries it, a wrong one
//! asks again) → the dry-run report (per show: matched / already had / new / unmatched) → `y`
//! applies it as one edit (`u` takes the whole import back), anything else changes nothing.
//!
//! The password lives only in memory, in the flow and the worker that reads the ZIP: it is
//! never in the state file, a rescue file or a log, and `Debug` does not print it.
//!
//! At start (and after the file was reloaded, which is when a sync tool leaves them), the
//! conflict copies beside the library (`import::merge::conflict_copies`) are offered for a
//! merge, one at a time; a copy declined is not asked about again this run.

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

use super::{App, Mode, Status};
use crate::action::Action;
use crate::import::{ImportPlan, Parsed};
use crate::keymap::{self, Context};
use crate::model::Library;

mod offer;
mod plan;

/// Where `--add-missing` gets the shows the library lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AddMissing {
    /// They stay unmatched (listed).
    #[default]
    No,
    /// Looked up on TVmaze by TheTVDB / IMDb id; bare shows when TVmaze cannot be reached
    /// (`import --add-missing`, the first choice once they are added).
    Tvmaze,
    /// Built from the export's own titles and numbers, TVmaze not asked
    /// (`import --add-missing --offline`).
    Bare,
}

impl AddMissing {
    fn next(self) -> AddMissing {
        match self {
            AddMissing::No => AddMissing::Tvmaze,
            AddMissing::Tvmaze => AddMissing::Bare,
            AddMissing::Bare => AddMissing::No,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AddMissing::No => "shows not in the library: listed, not added",
            AddMissing::Tvmaze => {
                "shows not in the library: added from TVmaze (online; from the export when offline)"
            }
            AddMissing::Bare => {
                "shows not in the library: added from the export's titles (offline: TVmaze not asked)"
            }
        }
    }
}

/// A password typed for a ZIP: handed to the ZIP reader, never printed (not even by `Debug`)
/// nor written anywhere.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// The masked field a ZIP's password is typed into.
#[derive(Clone)]
pub struct PasswordField(Box<TextArea<'static>>);

impl PasswordField {
    fn new() -> PasswordField {
        let mut area = TextArea::default();
        area.set_mask_char('•');
        area.set_cursor_line_style(ratatui::style::Style::default());
        area.set_placeholder_text("the ZIP's password");
        PasswordField(Box::new(area))
    }

    /// The field, for drawing (it shows only mask characters).
    pub fn area(&self) -> &TextArea<'static> {
        &self.0
    }

    /// What was typed.
    fn secret(&self) -> Secret {
        Secret(self.0.lines().concat())
    }

    /// Types a key; a newline is never typed into the one line. True when the text changed.
    fn type_key(&mut self, key: KeyEvent) -> bool {
        match key.code {
            KeyCode::Enter => false,
            KeyCode::Char('m' | 'j') if key.modifiers.contains(KeyModifiers::CONTROL) => false,
            _ => self.0.input(key),
        }
    }
}

impl std::fmt::Debug for PasswordField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordField(…)")
    }
}

/// Where the import (or the conflict-copy offer) is.
#[derive(Debug, Clone)]
pub enum Flow {
    /// Typing the path.
    Path { text: String, missing: AddMissing },
    /// The file is a password-protected ZIP: typing its password.
    Password {
        path: PathBuf,
        missing: AddMissing,
        field: PasswordField,
        /// "wrong password", under the field until the next key.
        error: Option<String>,
    },
    /// Reading and matching on a worker: step `done` of `total`.
    Reading {
        path: PathBuf,
        missing: AddMissing,
        password: Option<Secret>,
        /// The library handed to the worker: what the plan is made for.
        library: Box<Library>,
        done: usize,
        total: usize,
        what: String,
    },
    /// The dry run's report; `y` applies it.
    Review {
        path: PathBuf,
        missing: AddMissing,
        /// Kept to read the ZIP again if the library changes before `y`.
        password: Option<Secret>,
        parsed: Box<Parsed>,
        plan: Box<ImportPlan>,
        /// The library the plan was made for: applied only to that one.
        planned_for: Box<Library>,
        lines: Vec<String>,
        scroll: u16,
    },
    /// Merge this conflict copy? The rest wait their turn.
    Offer { copies: Vec<PathBuf> },
}

impl Flow {
    pub fn keys(&self) -> Context {
        match self {
            Flow::Path { .. } => Context::PROMPT,
            Flow::Password { .. } => Context::SECRET,
            Flow::Reading { .. } => Context::BUSY,
            Flow::Review { .. } => Context::REVIEW,
            Flow::Offer { .. } => Context::ASK,
        }
    }

    pub fn title(&self) -> String {
        match self {
            Flow::Path { .. } => "Import history: the export file or its ZIP".into(),
            Flow::Password { path, .. } => format!("Password for {}", path.display()),
            Flow::Reading { path, .. } => format!("Reading {}…", path.display()),
            Flow::Review { path, plan, .. } => format!(
                "Import {} (dry run): {} change(s) to make",
                path.display(),
                plan.changes.len()
            ),
            Flow::Offer { .. } => "A conflict copy of the library".into(),
        }
    }
}

impl App {
    /// `I`: the path prompt.
    pub(super) fn start_import(&mut self) {
        if !self.may_start_job() {
            return;
        }
        self.mode = Mode::Import(Box::new(Flow::Path {
            text: String::new(),
            missing: AddMissing::No,
        }));
    }

    pub(super) fn import_key(&mut self, action: Action) {
        let Mode::Import(flow) = &mut self.mode else {
            return;
        };
        match flow.as_mut() {
            Flow::Path { text, missing } => match action {
                Action::SearchInput(c) => text.push(c),
                Action::SearchBackspace => {
                    text.pop();
                }
                Action::ToggleOption => *missing = missing.next(),
                Action::Cancel => self.mode = Mode::Normal,
                Action::Confirm if text.trim().is_empty() => {}
                Action::Confirm => {
                    let path = expand_home(text.trim());
                    let missing = *missing;
                    self.plan_in_background(path, missing, None);
                }
                _ => {}
            },
            Flow::Password {
                path,
                missing,
                field,
                error,
            } => match action {
                Action::EditorKey(key) if field.type_key(key) => *error = None,
                Action::Cancel => {
                    self.mode = Mode::Normal;
                    self.status = Status::Info("import cancelled; nothing changed".into());
                }
                Action::Confirm if field.secret().expose().is_empty() => {
                    let esc = keymap::key_for(Context::SECRET, Action::Cancel);
                    *error = Some(format!("type the ZIP's password ({esc} cancels)"));
                }
                Action::Confirm => {
                    let (path, missing, secret) = (path.clone(), *missing, field.secret());
                    self.plan_in_background(path, missing, Some(secret));
                }
                _ => {}
            },
            Flow::Reading { .. } => {
                if action == Action::Cancel {
                    self.jobs.abandon();
                    self.mode = Mode::Normal;
                    self.status = Status::Info("import stopped; nothing changed".into());
                }
            }
            Flow::Review {
                path,
                missing,
                password,
                plan,
                planned_for,
                lines,
                scroll,
                ..
            } => match action {
                Action::Down => {
                    let last = u16::try_from(lines.len().saturating_sub(1)).unwrap_or(u16::MAX);
                    *scroll = scroll.saturating_add(1).min(last);
                }
                Action::Up => *scroll = scroll.saturating_sub(1),
                Action::Cancel => {
                    self.mode = Mode::Normal;
                    self.status = Status::Info("import cancelled; nothing changed".into());
                }
                Action::Confirm => {
                    if **planned_for != *self.document.library() {
                        // Changed since the dry run (an outside edit reloaded): plan again.
                        let (path, missing) = (path.clone(), *missing);
                        let password = password.clone();
                        self.plan_in_background(path, missing, password);
                        self.status = Status::Info(
                            "the library changed since the dry run: here it is again".into(),
                        );
                        return;
                    }
                    let plan = plan.clone();
                    let name = path.display().to_string();
                    self.mode = Mode::Normal;
                    self.apply_import(&name, &plan);
                }
                _ => {}
            },
            Flow::Offer { copies } => {
                let Some(copy) = copies.first().cloned() else {
                    self.mode = Mode::Normal;
                    return;
                };
                let rest: Vec<PathBuf> = copies.iter().skip(1).cloned().collect();
                match action {
                    Action::Confirm => {
                        self.mode = Mode::Normal;
                        self.merge_copy(&copy);
                    }
                    Action::Cancel => {
                        self.mode = Mode::Normal;
                        self.declined.insert(copy.clone());
                        self.status = Status::Info(format!(
                            "not merged; to merge it later: fantrack merge \"{}\"",
                            copy.display()
                        ));
                    }
                    _ => return,
                }
                if !rest.is_empty() && matches!(self.mode, Mode::Normal) {
                    self.mode = Mode::Import(Box::new(Flow::Offer { copies: rest }));
                }
            }
        }
    }
}

/// `~/x` is the home directory's `x`, as a shell would have it.
fn expand_home(text: &str) -> PathBuf {
    match (text.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(text),
    }
}
