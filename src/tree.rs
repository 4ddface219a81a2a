//! The franchise as a family tree: franchise → root shows → (seasons, then the shows that grew
//! out of it) → episodes. Flattened into the rows that are visible for a set of open nodes;
//! used by the `list` command and the TUI's tree pane alike.

use std::collections::HashSet;

pub use crate::model::NodeId;
use crate::model::{Franchise, Library, NodeRef, Progress, Show, Status};

/// One visible line of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: NodeId,
    pub depth: usize,
    /// The row this one is nested under, `None` at the top.
    pub parent: Option<NodeId>,
    pub has_children: bool,
}

/// Flattens the visible part of the tree: children appear only under open nodes.
pub fn visible_rows(library: &Library, open: &HashSet<NodeId>) -> Vec<Row> {
    let mut rows = Vec::new();
    for (f, franchise) in library.franchises.iter().enumerate() {
        let id = NodeId::Franchise(f);
        rows.push(Row {
            id,
            depth: 0,
            parent: None,
            has_children: !franchise.shows.is_empty(),
        });
        if open.contains(&id) {
            let mut path = Vec::new();
            for (s, show) in franchise.roots() {
                let at = (franchise, f, s, show);
                push_show(at, 1, id, open, &mut rows, &mut path);
            }
        }
    }
    rows
}

/// A show with its franchise and their indices.
type ShowAt<'a> = (&'a Franchise, usize, usize, &'a Show);

fn push_show(
    (franchise, f, s, show): ShowAt<'_>,
    depth: usize,
    parent: NodeId,
    open: &HashSet<NodeId>,
    rows: &mut Vec<Row>,
    path: &mut Vec<usize>,
) {
    // A loop in origins is refused at load; this guard keeps a bad in-memory state finite.
    if path.contains(&s) {
        return;
    }
    let id = NodeId::Show(f, s);
    let mut children = franchise.children_of(&show.id).peekable();
    rows.push(Row {
        id,
        depth,
        parent: Some(parent),
        has_children: !show.seasons.is_empty() || children.peek().is_some(),
    });
    if !open.contains(&id) {
        return;
    }
    for (se, season) in show.seasons.iter().enumerate() {
        let sid = NodeId::Season(f, s, se);
        rows.push(Row {
            id: sid,
            depth: depth + 1,
            parent: Some(id),
            has_children: !season.episodes.is_empty(),
        });
        if open.contains(&sid) {
            rows.extend((0..season.episodes.len()).map(|e| Row {
                id: NodeId::Episode(f, s, se, e),
                depth: depth + 2,
                parent: Some(sid),
                has_children: false,
            }));
        }
    }
    path.push(s);
    for (c, child) in children {
        push_show((franchise, f, c, child), depth + 1, id, open, rows, path);
    }
    path.pop();
}

/// Every franchise, show and season: the tree with everything open but the episodes.
pub fn all_but_episodes(library: &Library) -> HashSet<NodeId> {
    let mut open = HashSet::new();
    for (f, franchise) in library.franchises.iter().enumerate() {
        open.insert(NodeId::Franchise(f));
        for s in 0..franchise.shows.len() {
            open.insert(NodeId::Show(f, s));
        }
    }
    open
}

/// Title of a node as the tree shows it; empty for a node that is gone.
pub fn title(library: &Library, id: NodeId) -> String {
    match library.node(id) {
        Some(NodeRef::Franchise(f)) => f.title.clone(),
        Some(NodeRef::Show(_, s)) => s.title.clone(),
        Some(NodeRef::Season(_, s)) => format!("Season {}", s.number),
        Some(NodeRef::Episode(_, _, e)) => format!("{:>2}. {}", e.number, e.display_title()),
        None => String::new(),
    }
}

/// An episode's line in the tree when the spoiler shield hides its title.
pub fn hidden_title(number: u32) -> String {
    format!("{number:>2}. {}", crate::present::HIDDEN)
}

/// The words after a show's title: how it relates to its parent, and its years or status.
pub fn show_tag(show: &Show) -> String {
    let relation = show.origin.as_ref().map(|o| o.kind.to_string());
    let when = show_when(show);
    match (relation, when.is_empty()) {
        (Some(r), false) => format!("{r} · {when}"),
        (Some(r), true) => r,
        (None, _) => when,
    }
}

/// The short form of the tag, for a narrow tree: its years, or "upcoming" (the word the
/// details pane uses).
pub fn show_when(show: &Show) -> String {
    if show.status == Status::Upcoming && show.premiere.is_none() {
        "upcoming".to_string()
    } else {
        show.years()
    }
}

/// Progress shown on a row; `None` for episodes and for shows that have no episodes yet.
pub fn progress(library: &Library, id: NodeId) -> Option<Progress> {
    let p = match library.node(id)? {
        NodeRef::Franchise(f) => f.progress(),
        NodeRef::Show(_, s) => s.progress(),
        NodeRef::Season(_, s) => s.progress(),
        NodeRef::Episode(..) => return None,
    };
    (p.total > 0).then_some(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::shipped_catalog;

    #[test]
    fn spin_offs_nest_under_the_show_they_grew_out_of() {
        let library = shipped_catalog();
        let rows = visible_rows(&library, &all_but_episodes(&library));
        let lines: Vec<String> = rows
            .iter()
            .filter(|r| !matches!(r.id, NodeId::Season(..)))
            .map(|r| format!("{}{}", "  ".repeat(r.depth), title(&library, r.id)))
            .collect();
        assert_eq!(
            lines,
            [
                "Bosch Universe",
                "  Bosch",
                "    Bosch: Legacy",
                "      Ballard",
                "    Bosch: Start of Watch",
            ]
        );
    }

    #[test]
    fn closed_nodes_hide_their_children() {
        let library = shipped_catalog();
        let rows = visible_rows(&library, &HashSet::new());
        assert_eq!(rows.len(), 1);
        let mut open = HashSet::from([NodeId::Franchise(0), NodeId::Show(0, 2)]);
        let rows = visible_rows(&library, &open);
        // Ballard is nested under Bosch: Legacy, which is closed, so it stays hidden.
        assert!(!rows.iter().any(|r| r.id == NodeId::Show(0, 2)));
        open.insert(NodeId::Show(0, 0));
        open.insert(NodeId::Show(0, 1));
        let rows = visible_rows(&library, &open);
        let ballard = rows
            .iter()
            .find(|r| r.id == NodeId::Show(0, 2))
            .expect("visible");
        assert_eq!(ballard.parent, Some(NodeId::Show(0, 1)));
        assert_eq!(ballard.depth, 3);
    }
}
