//! The offer to merge a sync tool's conflict copies of the library, one at a time.

use std::path::PathBuf;

use super::Flow;
use crate::action::Action;
use crate::app::{App, Mode, Status};
use crate::import;
use crate::keymap::{self, Context};

impl App {
    /// At start: offers to merge the conflict copies beside the library (those not declined
    /// this run).
    pub fn offer_conflict_copies(&mut self) {
        if !matches!(self.mode, Mode::Normal) || self.document.read_only().is_some() {
            return;
        }
        let copies: Vec<PathBuf> = import::merge::conflict_copies(self.document.path())
            .into_iter()
            .filter(|c| !self.declined.contains(c))
            .collect();
        if !copies.is_empty() {
            self.mode = Mode::Import(Box::new(Flow::Offer { copies }));
        }
    }

    /// Merges a conflict copy into the library as one edit; the copy is left as it was.
    pub(super) fn merge_copy(&mut self, copy: &std::path::Path) {
        let theirs = match crate::store::load(copy) {
            Ok(l) => l,
            Err(e) => {
                self.declined.insert(copy.to_path_buf());
                self.status = Status::Error(format!("not merged: {e}"));
                return;
            }
        };
        let merged = import::merge::merge(self.document.library(), &theirs, None);
        let (after, report) = match merged {
            Ok(m) => m,
            Err(e) => {
                self.declined.insert(copy.to_path_buf());
                self.status = Status::Error(format!("not merged: {e}"));
                return;
            }
        };
        // Asked once: merged or not, the copy is not offered again this run.
        self.declined.insert(copy.to_path_buf());
        let first = report.to_string();
        let first = first.lines().next().unwrap_or_default().to_string();
        if after == *self.document.library() {
            self.status = Status::Info(format!(
                "{}: nothing new in it ({first}); you can delete it",
                copy.display()
            ));
            return;
        }
        let undo = keymap::hint(Context::NORMAL, Action::Undo, "to undo");
        self.put_library(
            after,
            &format!(
                "merged {}: {first} · the copy is left as it was · {undo}",
                copy.display()
            ),
        );
    }
}
