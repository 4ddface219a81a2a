//! A change of many things at once (an import, a TVmaze add or refresh, a merged conflict
//! copy) is made on a copy of the library by the same code the CLI uses; the difference from
//! the library becomes one `Edit::Batch` of `PutFranchise` / `PutShow`, so it is rebased like
//! any edit and `u` takes the whole of it back. And the worker's reports come in here.

use super::jobs::{Outcome, Report};
use super::{App, Mode, Status};
use crate::model::{Edit, Library};

/// The edits that turn `before` into `after`, franchise by franchise and show by show (a show
/// that did not change is not in it). `None` when they hold the same franchises.
pub fn batch(before: &Library, after: &Library) -> Option<Edit> {
    // What goes comes first, so a show that moved to another franchise is out of the old one
    // before it is put into the new one.
    let mut edits = Vec::new();
    for old in &before.franchises {
        match after.franchises.iter().find(|f| f.id == old.id) {
            None => edits.push(Edit::PutFranchise {
                id: old.id.clone(),
                at: None,
                franchise: None,
            }),
            Some(franchise) => {
                for show in &old.shows {
                    if !franchise.shows.iter().any(|s| s.id == show.id) {
                        edits.push(Edit::PutShow {
                            franchise: old.id.clone(),
                            id: show.id.clone(),
                            at: None,
                            show: None,
                        });
                    }
                }
            }
        }
    }
    for (at, franchise) in after.franchises.iter().enumerate() {
        let Some(old) = before.franchises.iter().find(|f| f.id == franchise.id) else {
            edits.push(Edit::PutFranchise {
                id: franchise.id.clone(),
                at: Some(at),
                franchise: Some(Box::new(franchise.clone())),
            });
            continue;
        };
        let same_facts = old.title == franchise.title
            && old.based_on == franchise.based_on
            && old.notes == franchise.notes
            && old.watch_order == franchise.watch_order;
        if !same_facts {
            edits.push(Edit::PutFranchise {
                id: franchise.id.clone(),
                at: None,
                franchise: Some(Box::new(franchise.clone())),
            });
            continue;
        }
        for (i, show) in franchise.shows.iter().enumerate() {
            let unchanged = old
                .shows
                .iter()
                .find(|s| s.id == show.id)
                .is_some_and(|s| **s == **show);
            if !unchanged {
                edits.push(Edit::PutShow {
                    franchise: franchise.id.clone(),
                    id: show.id.clone(),
                    at: Some(i),
                    show: Some(Box::new((**show).clone())),
                });
            }
        }
    }
    // Settings and tombstones (a merged conflict copy brings both), after the puts: a put
    // retombs what it removes, and the tombstones then end as `after` has them.
    let (b, a) = (&before.settings, &after.settings);
    if a.spoiler_shield != b.spoiler_shield {
        edits.push(Edit::SetSpoilerShield(a.spoiler_shield));
    }
    if a.order != b.order {
        edits.push(Edit::SetOrder(a.order));
    }
    if a.catalog_notified != b.catalog_notified {
        edits.push(Edit::SetCatalogNotified(a.catalog_notified));
    }
    if before.removed != after.removed || edits.iter().any(puts) {
        let states: Vec<(String, bool)> = before
            .removed
            .union(&after.removed)
            .map(|k| (k.clone(), after.removed.contains(k)))
            .collect();
        if !states.is_empty() {
            edits.push(Edit::SetRemoved(states));
        }
    }
    (!edits.is_empty()).then_some(Edit::Batch(edits))
}

/// Whether an edit puts a franchise or show (and so may change the tombstones).
fn puts(edit: &Edit) -> bool {
    matches!(edit, Edit::PutFranchise { .. } | Edit::PutShow { .. })
}

impl App {
    /// Makes the library `after` (a changed copy of the current one) as one undo step, and
    /// saves with `message`. False, with the reason shown, when nothing was changed.
    pub(super) fn put_library(&mut self, after: Library, message: &str) -> bool {
        if let Some(reason) = self.document.read_only() {
            self.status = Status::Error(format!("not changed: {reason}"));
            return false;
        }
        let Some(edit) = batch(self.document.library(), &after) else {
            self.status = Status::Info(message.to_string());
            return false;
        };
        if !self.apply_edit(&edit, true) {
            return false;
        }
        // New shows and franchises: the tree's rows and the search index follow.
        self.tree.rebuild(self.document.library());
        self.search.reindex(self.document.library());
        self.save(message);
        true
    }

    /// Whether a worker's job (TVmaze, import) may start now; if not, the status says why: a
    /// read-only file, or a job already under way.
    pub(super) fn may_start_job(&mut self) -> bool {
        if let Some(reason) = self.document.read_only() {
            self.status = Status::Error(format!("not changed: {reason}"));
            return false;
        }
        if self.jobs.running() {
            self.status = Status::Info("wait for the work under way to finish".into());
            return false;
        }
        true
    }

    /// True while a worker runs: the run loop then looks for its reports often.
    pub fn working(&self) -> bool {
        self.jobs.running()
    }

    /// The worker's reports that arrived; the run loop hands each to `update` as `Msg::Job`.
    pub fn take_reports(&mut self) -> Vec<Report> {
        self.jobs.take()
    }

    /// The number of the job being waited for (tests hand in its reports as `Msg::Job`).
    pub fn current_job(&self) -> u64 {
        self.jobs.current()
    }

    /// A report from the worker.
    pub(super) fn job_report(&mut self, report: &Report) {
        if !self.jobs.is_current(report) {
            return;
        }
        self.jobs.heard(report);
        // An import's worker reports to the import screen; the rest are TVmaze's.
        let reading = match &self.mode {
            Mode::Import(flow) => matches!(**flow, super::import::Flow::Reading { .. }),
            _ => false,
        };
        match report.outcome.as_ref() {
            outcome @ (Outcome::Planned(_) | Outcome::Locked { .. } | Outcome::Progress { .. })
                if reading =>
            {
                self.import_report(outcome)
            }
            Outcome::Planned(_) | Outcome::Locked { .. } => {}
            outcome => self.tvmaze_report(outcome),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_batch_turns_before_into_after_and_its_inverse_back() {
        let before = crate::store::shipped_catalog();
        let mut after = before.clone();
        // A show changed, the last one (no show grew out of it) moved to a new franchise.
        let last = after.franchises[0].shows.len() - 1;
        let mut moved = (*after.franchises[0].shows.remove(last)).clone();
        moved.origin = None;
        let mut changed = (*after.franchises[0].shows[0]).clone();
        changed.notes = "a note".into();
        after.franchises[0].shows[0] = changed.into();
        let mut f = after.franchises[0].clone();
        f.id = "elsewhere".into();
        f.title = "Elsewhere".into();
        f.shows = vec![moved.into()];
        f.watch_order.clear();
        after.franchises.push(f);
        let edit = batch(&before, &after).expect("a change");
        let mut library = before.clone();
        let inverse = edit.apply(&mut library).expect("applies");
        assert_eq!(library.franchises, after.franchises);
        inverse.apply(&mut library).expect("undoes");
        assert_eq!(library.franchises, before.franchises);
        assert!(batch(&before, &before).is_none());
    }

    #[test]
    fn the_batch_carries_settings_and_tombstones_too() {
        let before = crate::store::shipped_catalog();
        let mut after = before.clone();
        after.settings.spoiler_shield = Some(true);
        after.settings.catalog_notified = Some(9);
        after.removed.insert("season:bosch/6".into());
        let show = after.franchises[0]
            .shows
            .iter_mut()
            .find(|s| s.id == "bosch")
            .expect("bosch");
        show.seasons.retain(|se| se.number != 6);
        let edit = batch(&before, &after).expect("a change");
        let mut library = before.clone();
        let inverse = edit.apply(&mut library).expect("applies");
        assert_eq!(library, after, "one step makes all of it");
        inverse.apply(&mut library).expect("undoes");
        assert_eq!(library, before, "and one undo takes all of it back");
        // Settings alone are a change too.
        let mut only = before.clone();
        only.settings.spoiler_shield = Some(false);
        assert!(batch(&before, &only).is_some());
    }
}
