//! Where each pane goes on a screen of a given size: pure geometry, shared by the drawing
//! (`ui`) and the app (paging and mouse clicks need the tree's area), so neither asks the
//! other.

use ratatui::layout::{Constraint, Layout, Margin, Rect};

/// The smallest terminal the layout is drawn in.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// The tree's least width (border included) from 80 columns on.
const TREE_AT_80: u16 = 44;

/// The areas of one screen.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Screen {
    /// Everything above the status bar (where overlays go).
    pub body: Rect,
    /// The tree pane, border included.
    pub tree: Rect,
    /// The details pane, border included.
    pub detail: Rect,
    pub status: Rect,
}

impl Screen {
    /// The layout of `area`; `None` when it is too small to draw the panes.
    pub fn of(area: Rect) -> Option<Screen> {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            return None;
        }
        let [body, status] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
        // 45% of the width; from 80 columns on at least 44, which is what the widest show
        // row ("Start of Watch  prequel · upcoming", nested twice) needs with its border.
        let share = u32::from(area.width) * 45 / 100;
        let share = u16::try_from(share).unwrap_or(area.width);
        let tree_width = if area.width >= 80 {
            share.max(TREE_AT_80)
        } else {
            share
        };
        let [tree, detail] =
            Layout::horizontal([Constraint::Length(tree_width), Constraint::Fill(1)]).areas(body);
        Some(Screen {
            body,
            tree,
            detail,
            status,
        })
    }

    /// The tree's rows: inside its border, a column of room on each side.
    pub fn tree_rows(&self) -> Rect {
        self.tree.inner(Margin::new(2, 1))
    }
}

/// The first visible row of a list of `len` rows, `height` of them shown, that keeps
/// `selected` in view and scrolls from `offset` only as far as needed. The view always fills
/// the pane: it never scrolls past the last row while rows above are hidden.
pub fn scroll(offset: usize, selected: usize, len: usize, height: usize) -> usize {
    let offset = offset.min(len.saturating_sub(height.max(1)));
    if selected < offset {
        selected
    } else if height > 0 && selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolling_follows_the_selection_only_as_far_as_needed() {
        // In view: stays.
        assert_eq!(scroll(5, 7, 100, 10), 5);
        // Above: the selection becomes the first row.
        assert_eq!(scroll(5, 2, 100, 10), 2);
        // Below: the selection becomes the last row.
        assert_eq!(scroll(5, 20, 100, 10), 11);
        // Rows gone (a fold): the view fills the pane from the top.
        assert_eq!(scroll(50, 3, 4, 10), 0);
        // Fewer rows below than the pane holds: scrolled back so the last row is at the bottom.
        assert_eq!(scroll(90, 95, 100, 10), 90);
        assert_eq!(scroll(95, 96, 100, 10), 90);
        assert_eq!(scroll(31, 2, 33, 33), 0);
    }

    #[test]
    fn the_tree_gets_45_percent_and_a_status_line_is_kept() {
        let screen = Screen::of(Rect::new(0, 0, 100, 30)).expect("big enough");
        assert_eq!(screen.tree, Rect::new(0, 0, 45, 29));
        assert_eq!(screen.tree_rows(), Rect::new(2, 1, 41, 27));
        assert_eq!(screen.status, Rect::new(0, 29, 100, 1));
        assert!(Screen::of(Rect::new(0, 0, MIN_WIDTH - 1, 30)).is_none());
        // From 80 columns the tree gets at least 44, so a nested show keeps its tag.
        let tree = |w| Screen::of(Rect::new(0, 0, w, 30)).map(|s| s.tree.width);
        assert_eq!(tree(60), Some(27));
        assert_eq!(tree(79), Some(35));
        assert_eq!(tree(80), Some(44));
        assert_eq!(tree(98), Some(44));
        assert_eq!(tree(120), Some(54));
    }
}
