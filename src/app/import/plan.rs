//! The dry run on a worker (reading, parsing, matching, with progress), and applying it.

use std::path::PathBuf;

use super::{AddMissing, Flow, PasswordField, Secret};
use crate::action::Action;
use crate::app::jobs::{Outcome, Reporter};
use crate::app::{App, Mode, Status};
use crate::import::{self, ImportPlan, Options};
use crate::keymap::{self, Context};
use crate::model::Library;

/// The lines of the report screen.
fn report_lines(plan: &ImportPlan) -> Vec<String> {
    plan.report
        .to_string()
        .lines()
        .map(str::to_string)
        .collect()
}

/// Reads, parses and matches `path` against `library` (the worker's work), with a step per
/// file and one for matching: the dry run, or `Locked` when the ZIP wants a (right) password.
#[allow(clippy::too_many_arguments)] // the worker's inputs, moved in once
fn plan_import(
    path: PathBuf,
    library: Library,
    missing: AddMissing,
    password: Option<Secret>,
    today: jiff::civil::Date,
    tvmaze: &str,
    tz: Option<jiff::tz::TimeZone>,
    r: &Reporter,
) -> Outcome {
    let name = path.display().to_string();
    r.progress(0, 3, &format!("reading {name}"));
    let inputs = match import::read_inputs(&path, password.as_ref().map(Secret::expose)) {
        Ok(inputs) => inputs,
        Err(e) if e.locked().is_some() => {
            return Outcome::Locked {
                wrong: password.is_some(),
            };
        }
        Err(e) => return Outcome::Planned(Err(e.0)),
    };
    let tz = tz.unwrap_or_else(jiff::tz::TimeZone::system);
    r.progress(1, 3, &format!("parsing {} file(s)", inputs.len()));
    let parsed = match import::parse(&inputs, &tz) {
        Ok(p) => p,
        Err(e) => return Outcome::Planned(Err(e.0)),
    };
    // The bar moves by rows matched (stage two's share of the bar is the rows).
    let rows = parsed.rows.len();
    let moved = |n: usize, of: usize| {
        r.progress(
            of + n,
            of * 2,
            &format!("matching row {n} of {of} against the library"),
        );
    };
    moved(0, rows.max(1));
    let mut options = Options::new(tz);
    options.add_missing = missing != AddMissing::No;
    options.progress = Some(&moved);
    let plan = if missing == AddMissing::Tvmaze {
        let client = crate::tvmaze::client::Client::new(tvmaze);
        import::lookup::Lookup::new(client, today).plan(&library, &parsed, &options)
    } else {
        import::plan(&library, &parsed, &options)
    };
    Outcome::Planned(Ok(Box::new((parsed, plan))))
}

impl App {
    pub(super) fn plan_in_background(
        &mut self,
        path: PathBuf,
        missing: AddMissing,
        password: Option<Secret>,
    ) {
        let library = self.document.library().clone();
        self.mode = Mode::Import(Box::new(Flow::Reading {
            path: path.clone(),
            missing,
            password: password.clone(),
            library: Box::new(library.clone()),
            done: 0,
            total: 3,
            what: "starting".into(),
        }));
        let today = self.today;
        let base = self.tvmaze_url.clone();
        let tz = self.import_tz.clone();
        self.jobs.start(move |r: Reporter| {
            let outcome = plan_import(path, library, missing, password, today, &base, tz, &r);
            r.send(outcome);
        });
    }

    /// An import worker made progress or finished.
    pub(in crate::app) fn import_report(&mut self, outcome: &Outcome) {
        let Mode::Import(flow) = &mut self.mode else {
            return;
        };
        let Flow::Reading {
            path,
            missing,
            password,
            library,
            done,
            total,
            what,
        } = flow.as_mut()
        else {
            return;
        };
        match outcome {
            Outcome::Progress {
                done: d,
                total: t,
                what: w,
            } => {
                (*done, *total, *what) = (*d, *t, w.clone());
            }
            Outcome::Planned(Ok(planned)) => {
                let (parsed, plan) = planned.as_ref().clone();
                let (path, missing, password) = (path.clone(), *missing, password.clone());
                // Made for the library as it was when the worker started; checked at `y`.
                let planned_for = library.clone();
                self.mode = Mode::Import(Box::new(Flow::Review {
                    lines: report_lines(&plan),
                    path,
                    missing,
                    password,
                    parsed: Box::new(parsed),
                    plan: Box::new(plan),
                    planned_for,
                    scroll: 0,
                }));
            }
            Outcome::Locked { wrong } => {
                let (path, missing) = (path.clone(), *missing);
                self.mode = Mode::Import(Box::new(Flow::Password {
                    path,
                    missing,
                    field: PasswordField::new(),
                    error: wrong.then(|| "wrong password; try again".to_string()),
                }));
            }
            Outcome::Planned(Err(e)) => {
                self.mode = Mode::Normal;
                self.status = Status::Error(format!("import: {e}; nothing changed"));
            }
            _ => {}
        }
    }

    pub(super) fn apply_import(&mut self, name: &str, plan: &ImportPlan) {
        let mut after = self.document.library().clone();
        let changed = import::apply(&mut after, plan);
        if changed == 0 {
            self.status = Status::Info(format!("{name}: nothing new to import"));
            return;
        }
        let undo = keymap::hint(Context::NORMAL, Action::Undo, "undoes it all");
        self.put_library(
            after,
            &format!(
                "imported {name}: {changed} change(s) · {} · {undo}",
                plan.report.total
            ),
        );
    }
}
