//! Finding things in the library. A `NodeId` is a position (indices, cheap, in tree order) and
//! holds only for the library it was taken from: every lookup returns an `Option`, so a node
//! that a reload took away is `None`, never a panic. A `Target` names the same thing by stable
//! ids (show id, season and episode numbers) and survives a reload that moves things around.

use super::{Episode, Franchise, Library, Season, Show, episode_code};

/// Where an item sits in the library, by index. Ordered as the family tree lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeId {
    Franchise(usize),
    Show(usize, usize),
    Season(usize, usize, usize),
    Episode(usize, usize, usize, usize),
}

impl NodeId {
    /// The index of the franchise this node belongs to. (A node's parent in the tree, which for
    /// a spin-off is the show it grew out of, comes from `tree::Row::parent`.)
    pub fn franchise(self) -> usize {
        match self {
            NodeId::Franchise(f)
            | NodeId::Show(f, ..)
            | NodeId::Season(f, ..)
            | NodeId::Episode(f, ..) => f,
        }
    }
}

/// A node looked up, with what it sits in.
#[derive(Debug, Clone, Copy)]
pub enum NodeRef<'a> {
    Franchise(&'a Franchise),
    Show(&'a Franchise, &'a Show),
    Season(&'a Show, &'a Season),
    Episode(&'a Show, &'a Season, &'a Episode),
}

impl<'a> NodeRef<'a> {
    pub fn notes(self) -> &'a str {
        match self {
            NodeRef::Franchise(f) => &f.notes,
            NodeRef::Show(_, s) => &s.notes,
            NodeRef::Season(_, s) => &s.notes,
            NodeRef::Episode(_, _, e) => &e.notes,
        }
    }

    pub fn episode(self) -> Option<&'a Episode> {
        match self {
            NodeRef::Episode(_, _, e) => Some(e),
            _ => None,
        }
    }

    /// A short name, e.g. "Ballard S01E02" or "Bosch season 3".
    pub fn label(self) -> String {
        match self {
            NodeRef::Franchise(f) => f.title.clone(),
            NodeRef::Show(_, s) => s.title.clone(),
            NodeRef::Season(show, season) => format!("{} season {}", show.title, season.number),
            NodeRef::Episode(show, season, e) => {
                format!("{} {}", show.title, episode_code(season.number, e.number))
            }
        }
    }
}

/// An item by its stable ids: what an edit is addressed to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    Franchise(String),
    Show(String),
    /// Show id, season number.
    Season(String, u32),
    /// Show id, season number, episode number.
    Episode(String, u32, u32),
}

impl Library {
    pub fn show_at(&self, f: usize, s: usize) -> Option<&Show> {
        self.franchises.get(f)?.shows.get(s).map(|s| &**s)
    }

    pub fn season_at(&self, f: usize, s: usize, se: usize) -> Option<&Season> {
        self.show_at(f, s)?.seasons.get(se)
    }

    pub fn episode_at(&self, f: usize, s: usize, se: usize, e: usize) -> Option<&Episode> {
        self.season_at(f, s, se)?.episodes.get(e)
    }

    /// The item at `id`, or `None` when the library has no such position (any more).
    pub fn node(&self, id: NodeId) -> Option<NodeRef<'_>> {
        Some(match id {
            NodeId::Franchise(f) => NodeRef::Franchise(self.franchises.get(f)?),
            NodeId::Show(f, s) => NodeRef::Show(self.franchises.get(f)?, self.show_at(f, s)?),
            NodeId::Season(f, s, se) => {
                let show = self.show_at(f, s)?;
                NodeRef::Season(show, show.seasons.get(se)?)
            }
            NodeId::Episode(f, s, se, e) => {
                let show = self.show_at(f, s)?;
                let season = show.seasons.get(se)?;
                NodeRef::Episode(show, season, season.episodes.get(e)?)
            }
        })
    }

    /// A short name for a node ("Ballard S01E02"); empty for a node that is gone.
    pub fn label(&self, id: NodeId) -> String {
        self.node(id).map(NodeRef::label).unwrap_or_default()
    }

    /// The notes of any node; empty for a node that is gone.
    pub fn notes(&self, id: NodeId) -> &str {
        self.node(id).map(NodeRef::notes).unwrap_or_default()
    }

    /// The stable ids of the item at `id`.
    pub fn target(&self, id: NodeId) -> Option<Target> {
        Some(match self.node(id)? {
            NodeRef::Franchise(f) => Target::Franchise(f.id.clone()),
            NodeRef::Show(_, s) => Target::Show(s.id.clone()),
            NodeRef::Season(show, s) => Target::Season(show.id.clone(), s.number),
            NodeRef::Episode(show, s, e) => Target::Episode(show.id.clone(), s.number, e.number),
        })
    }

    /// Where the item named by `target` sits now.
    pub fn locate(&self, target: &Target) -> Option<NodeId> {
        let (show_id, season, episode) = match target {
            Target::Franchise(id) => {
                return self
                    .franchises
                    .iter()
                    .position(|f| f.id == *id)
                    .map(NodeId::Franchise);
            }
            Target::Show(id) => (id, None, None),
            Target::Season(id, n) => (id, Some(*n), None),
            Target::Episode(id, n, e) => (id, Some(*n), Some(*e)),
        };
        let (f, s) = self.find_show(show_id)?;
        let Some(n) = season else {
            return Some(NodeId::Show(f, s));
        };
        let show = self.show_at(f, s)?;
        let se = show.seasons.iter().position(|x| x.number == n)?;
        let Some(e) = episode else {
            return Some(NodeId::Season(f, s, se));
        };
        let ei = show
            .seasons
            .get(se)?
            .episodes
            .iter()
            .position(|x| x.number == e)?;
        Some(NodeId::Episode(f, s, se, ei))
    }

    /// Every episode under `id` (the episode itself for an episode; none under a franchise).
    pub fn episodes_under(&self, id: NodeId) -> Vec<NodeId> {
        let season = |f, s, se, season: &Season| {
            (0..season.episodes.len()).map(move |e| NodeId::Episode(f, s, se, e))
        };
        match (id, self.node(id)) {
            (NodeId::Episode(..), Some(_)) => vec![id],
            (NodeId::Season(f, s, se), Some(NodeRef::Season(_, x))) => {
                season(f, s, se, x).collect()
            }
            (NodeId::Show(f, s), Some(NodeRef::Show(_, show))) => show
                .seasons
                .iter()
                .enumerate()
                .flat_map(|(se, x)| season(f, s, se, x))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Every node above `id` in the family tree, nearest first.
    pub fn ancestors(&self, id: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let (f, mut show) = match id {
            NodeId::Franchise(_) => return out,
            NodeId::Show(f, s) => (f, Some(s)),
            NodeId::Season(f, s, _) => {
                out.push(NodeId::Show(f, s));
                (f, Some(s))
            }
            NodeId::Episode(f, s, se, _) => {
                out.push(NodeId::Season(f, s, se));
                out.push(NodeId::Show(f, s));
                (f, Some(s))
            }
        };
        let Some(franchise) = self.franchises.get(f) else {
            return Vec::new();
        };
        // Walk up the "grew out of" links; the bound guards against a loop in bad data.
        for _ in 0..franchise.shows.len() {
            let Some(s) = show else { break };
            show = franchise
                .shows
                .get(s)
                .and_then(|x| x.origin.as_ref())
                .and_then(|o| franchise.shows.iter().position(|p| p.id == o.show));
            if let Some(p) = show {
                out.push(NodeId::Show(f, p));
            }
        }
        out.push(NodeId::Franchise(f));
        out
    }

    /// Shows and episodes by lower-cased title, in tree order: what search looks through.
    pub fn search_index(&self) -> Vec<(NodeId, String)> {
        let mut index = Vec::new();
        for (f, franchise) in self.franchises.iter().enumerate() {
            for (s, show) in franchise.shows.iter().enumerate() {
                index.push((NodeId::Show(f, s), show.title.to_lowercase()));
                for (se, season) in show.seasons.iter().enumerate() {
                    for (e, episode) in season.episodes.iter().enumerate() {
                        if let Some(title) = &episode.title {
                            index.push((NodeId::Episode(f, s, se, e), title.to_lowercase()));
                        }
                    }
                }
            }
        }
        index.sort_by_key(|(id, _)| *id);
        index
    }
}
