//! The search over show and episode titles: the query, and its matches in tree order.

use crate::model::{Library, NodeId, Shield};

#[derive(Debug, Default)]
pub struct Search {
    /// The last search; kept after the prompt closes for `n` / `N`.
    query: String,
    /// The library the index is of (a cheap clone: shows are shared), until it is built.
    source: Option<Library>,
    /// Everything searchable, lower-cased once per library. Built at the first search, not at
    /// start (25,000 titles take about 10 ms, which the first key would wait).
    index: Index,
    /// The index's entries matching `query`, in `NodeId` order (positions, not ids: a broad
    /// search matches most of 25,000 titles, and this is written at every key).
    matches: Vec<u32>,
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
        self.index = Index::default();
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

    pub fn match_count(&self) -> usize {
        self.matches.len()
    }

    pub fn first_match(&self) -> Option<NodeId> {
        self.id(0)
    }

    /// The `i`th match.
    fn id(&self, i: usize) -> Option<NodeId> {
        let at = *self.matches.get(i)?;
        Some(self.index.entries.get(at as usize)?.id)
    }

    #[cfg(test)]
    pub fn match_ids(&self) -> Vec<NodeId> {
        (0..self.matches.len()).filter_map(|i| self.id(i)).collect()
    }

    pub fn is_match(&self, id: NodeId) -> bool {
        let entries = &self.index.entries;
        self.matches
            .binary_search_by(|&at| match entries.get(at as usize) {
                Some(e) => e.id.cmp(&id),
                None => std::cmp::Ordering::Less,
            })
            .is_ok()
    }

    /// Recomputes the matches; what the shield hides is never found.
    pub fn refresh(&mut self, shield: &Shield) {
        let query = self.query.to_lowercase();
        if !query.is_empty()
            && let Some(library) = self.source.take()
        {
            self.index = Index::new(library.search_index());
        }
        self.matches = if query.is_empty() {
            Vec::new()
        } else {
            self.index.find(&query, |id| !shield.hides(id))
        };
    }

    /// The match to jump to from `current`, with its 0-based number.
    pub fn step(&self, current: Option<NodeId>, forward: bool) -> Option<(usize, NodeId)> {
        let n = self.matches.len();
        if n == 0 {
            return None;
        }
        // The matches are in tree order: found by halving, not by a walk over thousands.
        let entries = &self.index.entries;
        let id_at = |at: &u32| entries.get(*at as usize).map(|e| e.id);
        let pos = current.and_then(|c| {
            self.matches
                .binary_search_by(|at| id_at(at).cmp(&Some(c)))
                .ok()
        });
        let next = match (pos, forward) {
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
            // Not on a match: the first match after the selection in tree order.
            (None, true) => current
                .map(|c| self.matches.partition_point(|at| id_at(at) <= Some(c)))
                .filter(|&i| i < n)
                .unwrap_or(0),
            (None, false) => current
                .map(|c| self.matches.partition_point(|at| id_at(at) < Some(c)))
                .and_then(|i| i.checked_sub(1))
                .unwrap_or(n - 1),
        };
        self.id(next).map(|id| (next, id))
    }
}

/// Every title with a mask of the characters in it: a search tests the masks first and reads
/// only the titles that hold every character of the query. 25,000 titles are searched at every
/// key typed into the prompt; a single letter, the commonest and the broadest search, is
/// answered by the masks alone.
#[derive(Debug, Default)]
struct Index {
    /// The titles back to back, in tree order.
    text: String,
    entries: Vec<Entry>,
    /// Each entry's [`mask`], apart: the one thing every search reads of all 25,000.
    masks: Vec<u64>,
}

#[derive(Debug)]
struct Entry {
    id: NodeId,
    /// The title is `text[start..end]`.
    start: usize,
    end: usize,
}

/// The bit of a character, and whether no other character shares it: a–z, 0–9 and the space
/// have a bit each; other characters share bits, so a match on them is read in the title.
fn bit(c: char) -> (u64, bool) {
    match c {
        'a'..='z' => (1 << (c as u32 - 'a' as u32), true),
        '0'..='9' => (1 << (26 + c as u32 - '0' as u32), true),
        ' ' => (1 << 36, true),
        _ => (1 << (37 + c as u32 % 27), false),
    }
}

fn mask(text: &str) -> u64 {
    text.chars().fold(0, |m, c| m | bit(c).0)
}

impl Index {
    fn new(titles: Vec<(NodeId, String)>) -> Index {
        let mut index = Index {
            text: String::with_capacity(titles.iter().map(|(_, t)| t.len()).sum()),
            entries: Vec::with_capacity(titles.len()),
            masks: Vec::with_capacity(titles.len()),
        };
        for (id, title) in titles {
            let start = index.text.len();
            index.text.push_str(&title);
            index.entries.push(Entry {
                id,
                start,
                end: index.text.len(),
            });
            index.masks.push(mask(&title));
        }
        index
    }

    /// The entries whose title contains `query` (and that `keep` keeps), in tree order.
    fn find(&self, query: &str, keep: impl Fn(NodeId) -> bool) -> Vec<u32> {
        let want = mask(query);
        let mut chars = query.chars();
        // One character with a bit of its own: the mask says it all.
        let decided = matches!((chars.next(), chars.next()), (Some(c), None) if bit(c).1);
        let mut found = Vec::new();
        for (at, m) in self.masks.iter().enumerate() {
            if m & want != want {
                continue;
            }
            let Some(e) = self.entries.get(at) else {
                continue;
            };
            let holds = decided
                || self
                    .text
                    .get(e.start..e.end)
                    .is_some_and(|title| title.contains(query));
            if holds && keep(e.id) {
                found.extend(u32::try_from(at).ok());
            }
        }
        found
    }

    /// [`Index::find`] as node ids.
    #[cfg(test)]
    fn find_ids(&self, query: &str, keep: impl Fn(NodeId) -> bool) -> Vec<NodeId> {
        self.find(query, keep)
            .into_iter()
            .filter_map(|at| Some(self.entries.get(at as usize)?.id))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::shipped_catalog;
    #[test]
    fn the_index_finds_what_a_title_by_title_search_finds() {
        let library = crate::store::shipped_catalog();
        let titles = library.search_index();
        let index = Index::new(titles.clone());
        let keep_odd = |id: NodeId| !matches!(id, NodeId::Episode(_, _, _, e) if e % 2 == 1);
        let mut nonempty = 0;
        for query in [
            "a", "e", "the", "bosch", "ch", "s", " ", "zz", "é", "'", "lega", "\n", "1", "-", ":",
        ] {
            let want: Vec<NodeId> = titles
                .iter()
                .filter(|(id, t)| t.contains(query) && keep_odd(*id))
                .map(|(id, _)| *id)
                .collect();
            assert_eq!(index.find_ids(query, keep_odd), want, "{query:?}");
            nonempty += usize::from(!want.is_empty());
        }
        assert!(nonempty >= 6, "the queries find things: {nonempty}");
        // A title that ends where the next begins is not matched across the two.
        let two = Index::new(vec![
            (NodeId::Show(0, 0), "ab".into()),
            (NodeId::Show(0, 1), "cd".into()),
        ]);
        assert_eq!(two.find_ids("bc", |_| true), Vec::<NodeId>::new());
        assert_eq!(two.find_ids("d", |_| true), vec![NodeId::Show(0, 1)]);
        assert_eq!(two.find_ids("b", |_| true), vec![NodeId::Show(0, 0)]);
    }

    #[test]
    fn n_and_shift_n_step_as_a_walk_over_the_matches_would() {
        let library = crate::store::shipped_catalog();
        let mut search = Search::new(&library);
        "the".chars().for_each(|c| search.push(c));
        search.refresh(&Shield::default());
        let ids = search.match_ids();
        assert!(ids.len() > 3);
        let walk = |current: Option<NodeId>, forward: bool| {
            let n = ids.len();
            let pos = current.and_then(|c| ids.iter().position(|m| *m == c));
            let next = match (pos, forward) {
                (Some(i), true) => (i + 1) % n,
                (Some(i), false) => (i + n - 1) % n,
                (None, true) => current
                    .and_then(|c| ids.iter().position(|m| *m > c))
                    .unwrap_or(0),
                (None, false) => current
                    .and_then(|c| ids.iter().rposition(|m| *m < c))
                    .unwrap_or(n - 1),
            };
            (next, ids[next])
        };
        let everywhere = library.search_index().into_iter().map(|(id, _)| Some(id));
        for current in
            everywhere.chain([None, Some(NodeId::Franchise(0)), Some(NodeId::Franchise(9))])
        {
            for forward in [true, false] {
                assert_eq!(
                    search.step(current, forward),
                    Some(walk(current, forward)),
                    "{current:?} {forward}"
                );
            }
        }
    }

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
        assert_eq!(search.match_count(), 1);
        search.reindex(&library);
        assert!(!search.indexed());
        search.refresh(&shield);
        assert_eq!(search.match_count(), 1);
    }

    #[test]
    fn cancelling_a_new_search_brings_the_previous_one_back() {
        let library = shipped_catalog();
        let shield = Shield::default();
        let mut search = Search::new(&library);
        search.begin();
        "chapter".chars().for_each(|c| search.push(c));
        search.refresh(&shield);
        let found = search.match_ids();
        assert!(!found.is_empty());
        // A second prompt, typed into and cancelled: "chapter" and its matches are back.
        search.begin();
        assert_eq!(search.query(), "");
        "haystack".chars().for_each(|c| search.push(c));
        search.refresh(&shield);
        search.cancel();
        search.refresh(&shield);
        assert_eq!(search.query(), "chapter");
        assert_eq!(search.match_ids(), found);
        assert!(search.step(None, true).is_some(), "n goes on with it");
    }
}
