//! The search over show and episode titles: the query, and its matches in tree order.

use crate::model::{Library, NodeId, Shield};

#[derive(Debug, Default)]
pub struct Search {
    /// The last search; kept after the prompt closes for `n` / `N`.
    query: String,
    /// The library the index is of (a cheap clone: shows are shared), until it is built.
    source: Option<Library>,
    /// Everything searchable, lower-cased once per library: (node, title). Built at the first
    /// search, not at start (25,000 titles take about 10 ms, which the first key would wait).
    index: Vec<(NodeId, String)>,
    /// Nodes matching `query`, in `NodeId` order.
    matches: Vec<NodeId>,
    /// The search before the prompt opened: what cancelling it brings back.
    previous: String,
}

impl Search {
    pub fn new(library: &Library) -> Search {
        Search {
            source: Some(library.clone()),
            ..Search::default()
        }
    }

    /// After a reload: the positions in the index are the old library's.
    pub fn reindex(&mut self, library: &Library) {
        self.index.clear();
        self.source = Some(library.clone());
    }

    /// True once the index is built (the first search).
    #[cfg(test)]
    pub fn indexed(&self) -> bool {
        self.source.is_none()
    }

    pub fn query(&self) -> &str {
        &self.query
    }

    pub fn push(&mut self, c: char) {
        self.query.push(c);
    }

    pub fn pop(&mut self) {
        self.query.pop();
    }

    /// A new prompt opens empty; the search before it is kept for [`Search::cancel`].
    pub fn begin(&mut self) {
        self.previous = std::mem::take(&mut self.query);
    }

    /// The prompt was cancelled (or confirmed empty): the search before it holds again, so
    /// `n` / `N` go on with it. Call [`Search::refresh`] after.
    pub fn cancel(&mut self) {
        self.query = std::mem::take(&mut self.previous);
    }

    pub fn matches(&self) -> &[NodeId] {
        &self.matches
    }

    pub fn is_match(&self, id: NodeId) -> bool {
        self.matches.binary_search(&id).is_ok()
    }

    /// Recomputes the matches; what the shield hides is never found.
    pub fn refresh(&mut self, shield: &Shield) {
        let query = self.query.to_lowercase();
        if !query.is_empty()
            && let Some(library) = self.source.take()
        {
            self.index = library.search_index();
        }
        self.matches = if query.is_empty() {
            Vec::new()
        } else {
            self.index
                .iter()
                .filter(|(id, title)| title.contains(&query) && !shield.hides(*id))
                .map(|(id, _)| *id)
                .collect()
        };
    }

    /// The match to jump to from `current`, with its 0-based number.
    pub fn step(&self, current: Option<NodeId>, forward: bool) -> Option<(usize, NodeId)> {
        let n = self.matches.len();
        if n == 0 {
            return None;
        }
        let pos = current.and_then(|c| self.matches.iter().position(|m| *m == c));
        let next = match (pos, forward) {
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
            // Not on a match: the first match after the selection in tree order.
            (None, true) => current
                .and_then(|c| self.matches.iter().position(|m| *m > c))
                .unwrap_or(0),
            (None, false) => current
                .and_then(|c| self.matches.iter().rposition(|m| *m < c))
                .unwrap_or(n - 1),
        };
        self.matches.get(next).map(|&id| (next, id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::shipped_catalog;
    #[test]
    fn the_index_is_built_at_the_first_search_not_before() {
        let library = shipped_catalog();
        let mut search = Search::new(&library);
        let shield = Shield::new(&library, false);
        assert!(!search.indexed());
        search.refresh(&shield);
        assert!(!search.indexed(), "an empty query needs no index");
        for c in "haystacks".chars() {
            search.push(c);
        }
        search.refresh(&shield);
        assert!(search.indexed());
        assert_eq!(search.matches().len(), 1);
        search.reindex(&library);
        assert!(!search.indexed());
        search.refresh(&shield);
        assert_eq!(search.matches().len(), 1);
    }

    #[test]
    fn cancelling_a_new_search_brings_the_previous_one_back() {
        let library = shipped_catalog();
        let shield = Shield::default();
        let mut search = Search::new(&library);
        search.begin();
        "chapter".chars().for_each(|c| search.push(c));
        search.refresh(&shield);
        let found = search.matches().to_vec();
        assert!(!found.is_empty());
        // A second prompt, typed into and cancelled: "chapter" and its matches are back.
        search.begin();
        assert_eq!(search.query(), "");
        "haystack".chars().for_each(|c| search.push(c));
        search.refresh(&shield);
        search.cancel();
        search.refresh(&shield);
        assert_eq!(search.query(), "chapter");
        assert_eq!(search.matches(), found.as_slice());
        assert!(search.step(None, true).is_some(), "n goes on with it");
    }
}
