//! The left pane's state: which nodes are open, the visible rows, the selection and the
//! scroll offset, and which view it shows (the family tree, or one franchise's watch order).

use std::collections::HashSet;

use ratatui::layout::Rect;

use crate::layout;
use crate::model::{Library, NodeId, Order};
use crate::tree::{self, Row};

#[derive(Debug, Default)]
pub struct TreePane {
    open: HashSet<NodeId>,
    /// The visible rows, rebuilt only when something opens or closes.
    rows: Vec<Row>,
    selected: usize,
    /// First visible row.
    offset: usize,
    /// Where the rows are drawn (inside the border), from the last `Msg::Resized`.
    area: Rect,
    /// `Some(franchise)` while the watch-order view replaces the tree.
    order_view: Option<usize>,
    /// The next episode to watch in the order view's order.
    order_next: Option<NodeId>,
    /// Which rows of the tree show.
    filter: Filter,
}

/// Which rows the tree shows (`f` cycles them). Franchises always show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Filter {
    #[default]
    All,
    /// What is left to watch: unwatched episodes and what holds them.
    Unwatched,
    /// Shows started but not finished, with their seasons and episodes.
    InProgress,
}

impl Filter {
    pub fn next(self) -> Filter {
        match self {
            Filter::All => Filter::Unwatched,
            Filter::Unwatched => Filter::InProgress,
            Filter::InProgress => Filter::All,
        }
    }

    /// What the pane title says; `None` for all.
    pub fn label(self) -> Option<&'static str> {
        match self {
            Filter::All => None,
            Filter::Unwatched => Some("unwatched"),
            Filter::InProgress => Some("in progress"),
        }
    }

    fn keeps(self, library: &Library, id: NodeId) -> bool {
        use crate::model::NodeRef;
        let show_in_progress = |f: usize, s: usize| {
            library
                .franchises
                .get(f)
                .and_then(|fr| fr.shows.get(s))
                .is_some_and(|show| {
                    let p = show.progress();
                    p.watched > 0 && p.watched < p.total
                })
        };
        match (self, library.node(id)) {
            (Filter::All, _) | (_, Some(NodeRef::Franchise(_))) | (_, None) => true,
            (Filter::Unwatched, Some(NodeRef::Show(_, s))) => !s.progress().is_complete(),
            (Filter::Unwatched, Some(NodeRef::Season(_, s))) => !s.progress().is_complete(),
            (Filter::Unwatched, Some(NodeRef::Episode(_, _, e))) => !e.is_watched(),
            (Filter::InProgress, _) => match id {
                NodeId::Show(f, s) | NodeId::Season(f, s, _) | NodeId::Episode(f, s, ..) => {
                    show_in_progress(f, s)
                }
                NodeId::Franchise(_) => true,
            },
        }
    }
}

/// The order the watch-order view of franchise `f` shows: the chosen one, except that a
/// franchise without a curated order shows its release order (never an empty list).
pub fn shown_order(library: &Library, f: usize) -> Order {
    let curated = library
        .franchises
        .get(f)
        .is_some_and(|franchise| !franchise.watch_order.is_empty());
    match library.settings.order {
        Order::Curated if curated => Order::Curated,
        _ => Order::Release,
    }
}

impl TreePane {
    /// Every franchise and show open, seasons closed: the family tree at a glance.
    pub fn new(library: &Library) -> TreePane {
        TreePane::restored(library, None::<[NodeId; 0]>, None)
    }

    /// A new pane as [`TreePane::restore`] leaves one: the folds `open` (else the default
    /// ones) and the ancestors of `selected` open, `selected` selected, the rows built once.
    pub fn restored(
        library: &Library,
        open: Option<impl IntoIterator<Item = NodeId>>,
        selected: Option<NodeId>,
    ) -> TreePane {
        let mut pane = TreePane {
            open: match open {
                Some(open) => open.into_iter().collect(),
                None => tree::all_but_episodes(library),
            },
            ..TreePane::default()
        };
        if let Some(id) = selected {
            pane.open.extend(library.ancestors(id));
        }
        pane.rebuild(library);
        pane.select(selected);
        pane
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn selected_index(&self) -> usize {
        self.selected
    }

    pub fn selected(&self) -> Option<NodeId> {
        self.rows.get(self.selected).map(|r| r.id)
    }

    pub fn is_open(&self, id: NodeId) -> bool {
        self.open.contains(&id)
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    pub fn order_view(&self) -> Option<usize> {
        self.order_view
    }

    pub fn order_next(&self) -> Option<NodeId> {
        self.order_next
    }

    pub fn filter(&self) -> Filter {
        self.filter
    }

    /// The next filter, keeping the selection when it still shows.
    pub fn cycle_filter(&mut self, library: &Library) {
        self.filter = self.filter.next();
        self.rebuild(library);
    }

    /// The open nodes, in tree order (for the state kept between runs).
    pub fn open_nodes(&self) -> Vec<NodeId> {
        let mut open: Vec<NodeId> = self.open.iter().copied().collect();
        open.sort();
        open
    }

    /// Rebuilds the rows from the library, keeping the selected node when still visible.
    pub fn rebuild(&mut self, library: &Library) {
        let keep = self.selected();
        self.rows = match self
            .order_view
            .and_then(|f| Some((f, library.franchises.get(f)?)))
        {
            Some((f, franchise)) => franchise
                .order(shown_order(library, f))
                .into_iter()
                .map(|at| Row {
                    id: NodeId::Episode(f, at.show, at.season, at.episode),
                    depth: 0,
                    parent: None,
                    has_children: false,
                })
                .collect(),
            None => {
                let mut rows = tree::visible_rows(library, &self.open);
                if self.filter != Filter::All {
                    rows.retain(|r| self.filter.keeps(library, r.id));
                }
                rows
            }
        };
        self.select(keep);
    }

    /// Recomputes the order view's next episode (after a change of marks).
    pub fn refresh_next(&mut self, library: &Library) {
        self.order_next = self.order_view.and_then(|f| {
            let franchise = library.franchises.get(f)?;
            let order = franchise.order(shown_order(library, f));
            let at = franchise.next_in(&order)?;
            Some(NodeId::Episode(f, at.show, at.season, at.episode))
        });
    }

    /// Opens (or, with `None`, leaves) the watch-order view; a franchise that is gone leaves it.
    pub fn set_order_view(&mut self, library: &Library, view: Option<usize>) {
        self.order_view = view.filter(|&f| f < library.franchises.len());
        self.refresh_next(library);
        self.rebuild(library);
    }

    /// Selects `id` if visible; otherwise keeps the index in range.
    pub fn select(&mut self, id: Option<NodeId>) {
        if let Some(i) = id.and_then(|id| self.rows.iter().position(|r| r.id == id)) {
            self.selected = i;
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    /// Opens the folds `open` (else keeps these) and the ancestors of `selected`, then selects
    /// it: `reveal` after setting the folds, with the rows built once (at start, from the saved state).
    pub fn restore(
        &mut self,
        library: &Library,
        open: Option<impl IntoIterator<Item = NodeId>>,
        selected: Option<NodeId>,
    ) {
        if open.is_none() && selected.is_none() {
            return;
        }
        if let Some(open) = open {
            self.open = open.into_iter().collect();
        }
        if let Some(id) = selected {
            self.open.extend(library.ancestors(id));
        }
        self.rebuild(library);
        self.select(selected);
    }

    /// Opens every ancestor of `id` so it becomes visible, then selects it.
    pub fn reveal(&mut self, library: &Library, id: NodeId) {
        self.open.extend(library.ancestors(id));
        self.rebuild(library);
        self.select(Some(id));
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.rows.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    pub fn first(&mut self) {
        self.selected = 0;
    }

    pub fn last(&mut self) {
        self.selected = self.rows.len().saturating_sub(1);
    }

    /// Rows in a page: the height of the tree.
    pub fn page(&self) -> isize {
        isize::try_from(self.area.height)
            .unwrap_or(isize::MAX)
            .max(1)
    }

    pub fn toggle_open(&mut self, library: &Library) {
        if let Some(row) = self.rows.get(self.selected).cloned()
            && row.has_children
            && !self.open.remove(&row.id)
        {
            self.open.insert(row.id);
        }
        self.rebuild(library);
    }

    pub fn expand(&mut self, library: &Library) {
        let Some(row) = self.rows.get(self.selected).cloned() else {
            return;
        };
        if !row.has_children {
            return;
        }
        if self.open.insert(row.id) {
            self.rebuild(library);
        } else {
            self.move_by(1);
        }
    }

    pub fn collapse(&mut self, library: &Library) {
        let Some(row) = self.rows.get(self.selected).cloned() else {
            return;
        };
        if row.has_children && self.open.remove(&row.id) {
            self.rebuild(library);
        } else if let Some(parent) = row.parent {
            self.select(Some(parent));
        }
    }

    /// The row index at a terminal cell, if the cell shows a row.
    pub fn row_at(&self, column: u16, row: u16) -> Option<usize> {
        let area = self.area;
        let inside =
            column >= area.x && column < area.right() && row >= area.y && row < area.bottom();
        let index = self.offset + usize::from(row.checked_sub(area.y)?);
        (inside && index < self.rows.len()).then_some(index)
    }

    pub fn select_index(&mut self, index: usize) {
        self.selected = index.min(self.rows.len().saturating_sub(1));
    }

    /// The rows in view, as last scrolled (none before the first `Msg::Resized`).
    pub fn visible(&self) -> &[Row] {
        let end = (self.offset + usize::from(self.area.height)).min(self.rows.len());
        self.rows.get(self.offset.min(end)..end).unwrap_or_default()
    }

    pub fn set_area(&mut self, area: Rect) {
        self.area = area;
    }

    /// Keeps the selection in view: scrolls only as far as needed.
    pub fn follow(&mut self) {
        let height = usize::from(self.area.height);
        self.offset = layout::scroll(self.offset, self.selected, self.rows.len(), height);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::shipped_catalog;

    #[test]
    fn the_selection_stays_in_view_and_clicks_find_their_row() {
        let library = shipped_catalog();
        let mut pane = TreePane::new(&library);
        pane.set_area(Rect::new(1, 1, 40, 5));
        pane.last();
        pane.follow();
        let last = pane.rows().len() - 1;
        assert_eq!(
            pane.offset(),
            last + 1 - 5,
            "the last row is the bottom line"
        );
        assert_eq!(pane.row_at(1, 5), Some(last));
        assert_eq!(pane.row_at(0, 5), None, "left of the tree");
        assert_eq!(pane.row_at(1, 6), None, "below the tree");
        pane.first();
        pane.follow();
        assert_eq!(pane.offset(), 0);
    }

    #[test]
    fn a_node_that_a_reload_took_away_is_not_selected() {
        let mut library = shipped_catalog();
        let mut pane = TreePane::new(&library);
        pane.last();
        library.franchises[0].shows.truncate(1);
        pane.rebuild(&library);
        assert!(pane.selected_index() < pane.rows().len());
        assert!(library.node(pane.selected().expect("a row")).is_some());
    }
}
