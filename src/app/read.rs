//! Reading the app: what `ui` draws and tests look at. Nothing here changes anything.

use std::borrow::Cow;
use std::path::Path;

use jiff::civil::Date;

use super::{App, Mode, Status};
use crate::keymap::Context;
use crate::model::{FranchiseTally, Library, NodeId, Progress, Shield};
use crate::theme::Theme;
use crate::tree::Row;

impl App {
    pub fn library(&self) -> &Library {
        self.document.library()
    }

    pub fn path(&self) -> &Path {
        self.document.path()
    }

    pub fn today(&self) -> Date {
        self.today
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    pub fn shield(&self) -> &Shield {
        self.document.shield()
    }

    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    /// The key table that applies now.
    pub fn keys(&self) -> Context {
        match self.mode {
            // The watch-order view has its own overrides (`keys.watch_order`).
            super::Mode::Normal if self.tree.order_view().is_some() => Context::ORDER,
            _ => self.mode.keys(),
        }
    }

    /// Which rows the tree shows.
    pub fn filter(&self) -> super::Filter {
        self.tree.filter()
    }

    /// How dates read on screen: the config's `date_format` (YYYY-MM-DD without one).
    pub fn dates(&self) -> &crate::present::Dates {
        &self.dates
    }

    pub fn status(&self) -> &Status {
        &self.status
    }

    /// Why the last save failed, while the change is only in memory.
    pub fn unsaved(&self) -> Option<&str> {
        self.document.unsaved()
    }

    /// Why saving is refused.
    pub fn blocked(&self) -> Option<&str> {
        self.document.blocked()
    }

    pub fn saving(&self) -> bool {
        self.document.saving()
    }

    pub fn should_quit(&self) -> bool {
        self.should_quit
    }

    /// A franchise's progress: as counted since the last change when its row was in view,
    /// else counted now.
    pub fn franchise_progress(&self, franchise: usize) -> Option<Progress> {
        self.tally
            .progress(franchise)
            .or_else(|| Some(self.library().franchises.get(franchise)?.progress()))
    }

    /// The sums of a franchise's pane: kept from the last change when it was selected since,
    /// else counted now.
    pub fn franchise_tally(&self, franchise: usize) -> Option<Cow<'_, FranchiseTally>> {
        if let Some(tally) = self.tally.pane(franchise) {
            return Some(Cow::Borrowed(tally));
        }
        let library = self.library();
        let f = library.franchises.get(franchise)?;
        Some(Cow::Owned(FranchiseTally::of(
            f,
            library.settings.order,
            self.today,
        )))
    }

    pub fn rows(&self) -> &[Row] {
        self.tree.rows()
    }

    pub fn selected_index(&self) -> usize {
        self.tree.selected_index()
    }

    pub fn selected(&self) -> Option<NodeId> {
        self.tree.selected()
    }

    pub fn tree_offset(&self) -> usize {
        self.tree.offset()
    }

    pub fn is_open(&self, id: NodeId) -> bool {
        self.tree.is_open(id)
    }

    /// `Some(franchise)` while the watch-order view replaces the tree.
    pub fn order_view(&self) -> Option<usize> {
        self.tree.order_view()
    }

    /// The next episode to watch in the order view.
    pub fn order_next(&self) -> Option<NodeId> {
        self.tree.order_next()
    }

    pub fn query(&self) -> &str {
        self.search.query()
    }

    pub fn is_match(&self, id: NodeId) -> bool {
        self.search.is_match(id)
    }

    pub fn match_count(&self) -> usize {
        self.search.match_count()
    }

    /// Whether a terminal cell is inside the details pane.
    pub fn over_details(&self, column: u16, row: u16) -> bool {
        self.detail_area
            .contains(ratatui::layout::Position::new(column, row))
    }

    /// How far the details pane can scroll (its last line at the bottom of the pane), as the
    /// last frame drawn measured it.
    pub fn detail_scroll_limit(&self) -> u16 {
        self.detail_limit
    }

    pub fn detail_scroll(&self) -> u16 {
        self.detail_scroll
    }

    /// How far the help can scroll: its last line at the bottom of the screen above the status
    /// line (the body, which ends where the details pane ends).
    pub fn help_scroll_limit(&self) -> u16 {
        self.help_limit
    }

    pub fn help_scroll(&self) -> u16 {
        self.help_scroll
    }

    /// A short name for a node, e.g. "Ballard S01E02" or "Bosch season 3".
    pub fn label(&self, id: NodeId) -> String {
        self.library().label(id)
    }

    /// The notes of any node.
    pub fn notes(&self, id: NodeId) -> &str {
        self.library().notes(id)
    }
}
