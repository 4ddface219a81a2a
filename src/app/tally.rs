//! The sums the screen shows of whole franchises, kept between frames: the progress of the
//! franchise rows in view and the selected franchise's [`FranchiseTally`] (its pane). A
//! franchise of 2,500 episodes took a sort and several walks per frame; now each is counted
//! once after a change of the library (`Document::revision`), and only when it comes into view
//! or is selected: a watch mark in one franchise does not recount the nine others.

use jiff::civil::Date;

use crate::model::{FranchiseTally, Library, NodeId, Progress};
use crate::tree::Row;

#[derive(Default)]
pub(super) struct Tallies {
    /// The library revision the sums are of; `None` before the first sync.
    revision: Option<u64>,
    /// Per franchise, once in view since the last change.
    progress: Vec<Option<Progress>>,
    /// Per franchise, once selected since the last change.
    panes: Vec<Option<FranchiseTally>>,
}

impl Tallies {
    /// Brings the sums up to `revision`: the progress of the rows in view that are franchises,
    /// and the pane of `selected` if it is one.
    pub(super) fn sync(
        &mut self,
        library: &Library,
        revision: u64,
        visible: &[Row],
        selected: Option<NodeId>,
        today: Date,
    ) {
        if self.revision != Some(revision) {
            self.revision = Some(revision);
            self.progress = vec![None; library.franchises.len()];
            self.panes = vec![None; library.franchises.len()];
        }
        for row in visible {
            if let NodeId::Franchise(f) = row.id
                && let Some(slot @ None) = self.progress.get_mut(f)
                && let Some(franchise) = library.franchises.get(f)
            {
                *slot = Some(franchise.progress());
            }
        }
        if let Some(NodeId::Franchise(f)) = selected
            && let Some(slot @ None) = self.panes.get_mut(f)
            && let Some(franchise) = library.franchises.get(f)
        {
            *slot = Some(FranchiseTally::of(franchise, library.settings.order, today));
        }
    }

    pub(super) fn progress(&self, franchise: usize) -> Option<Progress> {
        *self.progress.get(franchise)?
    }

    pub(super) fn pane(&self, franchise: usize) -> Option<&FranchiseTally> {
        self.panes.get(franchise)?.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::shipped_catalog;

    #[test]
    fn sums_are_counted_again_only_for_a_new_revision() {
        let mut library = shipped_catalog();
        let today = jiff::civil::date(2020, 1, 1);
        let mut tallies = Tallies::default();
        let rows = crate::tree::visible_rows(&library, &Default::default());
        let (none, top) = (&rows[..0], &rows[..1]);
        assert_eq!(top[0].id, NodeId::Franchise(0));
        tallies.sync(&library, 1, none, Some(NodeId::Show(0, 0)), today);
        assert_eq!(
            tallies.progress(0),
            None,
            "only a franchise row in view is counted"
        );
        tallies.sync(&library, 1, top, Some(NodeId::Show(0, 0)), today);
        assert_eq!(tallies.progress(0), Some(library.franchises[0].progress()));
        assert!(
            tallies.pane(0).is_none(),
            "only a selected franchise's pane"
        );
        tallies.sync(&library, 1, top, Some(NodeId::Franchise(0)), today);
        let want = FranchiseTally::of(&library.franchises[0], library.settings.order, today);
        assert_eq!(tallies.pane(0), Some(&want));

        library.franchises[0].shows[0].seasons[0].episodes[0]
            .watched
            .push(today);
        // Same revision: what was counted stays (the revision is what says the library changed).
        tallies.sync(&library, 1, top, Some(NodeId::Franchise(0)), today);
        assert_eq!(tallies.pane(0), Some(&want));
        assert_ne!(tallies.progress(0), Some(library.franchises[0].progress()));
        tallies.sync(&library, 2, top, Some(NodeId::Franchise(0)), today);
        let now = FranchiseTally::of(&library.franchises[0], library.settings.order, today);
        assert_ne!(now, want);
        assert_eq!(tallies.pane(0), Some(&now));
        assert_eq!(tallies.progress(0), Some(library.franchises[0].progress()));
        assert_eq!(tallies.progress(1), None);
    }
}
