//! `R`: shows refreshed from TVmaze on a worker, and what changed put in as one edit.

use super::{offline_hint, summary};
use crate::action::Action;
use crate::app::jobs::{Outcome, Reporter};
use crate::app::{App, Status};
use crate::keymap::{self, Context};
use crate::model::NodeId;
use crate::tvmaze::client::Client;
use crate::tvmaze::refresh;

impl App {
    /// `R`: the selected show if it came from TVmaze, else every show that did.
    pub(in crate::app) fn start_refresh(&mut self) {
        if !self.may_start_job() {
            return;
        }
        let library = self.document.library();
        let selected = self.selected().and_then(|id| {
            let (f, s) = match id {
                NodeId::Franchise(_) => return None,
                NodeId::Show(f, s) | NodeId::Season(f, s, _) => (f, s),
                NodeId::Episode(f, s, _, _) => (f, s),
            };
            let show = library.franchises.get(f)?.shows.get(s)?;
            Some(refresh::Target {
                tvmaze: show.ids.tvmaze?,
                title: show.title.clone(),
            })
        });
        let targets = match selected {
            Some(t) => vec![t],
            None => refresh::targets(library, &[]).unwrap_or_default(),
        };
        if targets.is_empty() {
            let add = keymap::hint(Context::NORMAL, Action::TvmazeAdd, "adds one");
            self.status = Status::Info(format!("no show here comes from TVmaze · {add}"));
            return;
        }
        self.status = Status::Info(format!("TVmaze: refreshing {} show(s)…", targets.len()));
        let base = self.tvmaze_url.clone();
        self.jobs.start(move |r: Reporter| {
            let fetch = refresh::fetch(&mut Client::new(&base), &targets, |i, n, title| {
                r.progress(i, n, title);
            });
            r.send(Outcome::Refreshed(fetch));
        });
    }

    pub(super) fn refreshed(&mut self, fetch: &refresh::Fetch) {
        let mut after = self.document.library().clone();
        let reports = refresh::apply(&mut after, &fetch.done, self.today);
        let changes: Vec<_> = reports.iter().flat_map(|r| r.changes.iter()).collect();
        let mut message = if changes.is_empty() {
            format!("TVmaze: {} show(s) up to date", reports.len())
        } else {
            let owned: Vec<_> = changes.into_iter().cloned().collect();
            format!(
                "TVmaze: {} show(s) refreshed: {}",
                reports.len(),
                summary(&owned)
            )
        };
        for failed in &fetch.failed {
            message.push_str(&format!(" · {}", offline_hint(failed)));
        }
        let changed = after != *self.document.library();
        if changed {
            let undo = keymap::hint(Context::NORMAL, Action::Undo, "to undo");
            self.put_library(after, &format!("{message} · {undo}"));
        }
        if !changed || !fetch.failed.is_empty() {
            self.status = if fetch.failed.is_empty() {
                Status::Info(message)
            } else {
                Status::Error(message)
            };
        }
    }
}
