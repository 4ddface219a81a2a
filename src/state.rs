//! What the app remembers between runs that is neither the user's data nor a setting: the
//! open folds, the selection and the last search, in `$XDG_STATE_HOME/fantrack/state.ron`.
//! Items are kept by their stable keys (`bosch`, `bosch/S01`, `bosch/S01E02`, a franchise as
//! `#bosch-universe`), so a reload or an edit never points the state at the wrong item; keys
//! that no longer exist are dropped at start. Deleting the file is always safe, and a broken
//! one is ignored (and replaced at the next quit): nothing here is worth an error.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::{Library, NodeId, NodeRef};

/// The environment variable that points at another state directory (tests use it).
pub const STATE_ENV: &str = "FANTRACK_STATE_DIR";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    /// The library file this state belongs to: another library starts fresh.
    pub library: Option<PathBuf>,
    /// Keys of the open items, in tree order.
    pub open: Vec<String>,
    /// Key of the selected item.
    pub selected: Option<String>,
    /// The last search, for `n` / `N` after a restart.
    pub search: Option<String>,
}

/// Where the state file is: `FANTRACK_STATE_DIR`, else the platform's state (or local data)
/// directory.
pub fn path() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(STATE_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("state.ron"));
    }
    let dirs = directories::ProjectDirs::from("", "", "fantrack")?;
    let dir = dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir());
    Some(dir.join("state.ron"))
}

/// The state saved for `library`, or the empty state (no file, a broken file, another
/// library's state).
pub fn load(path: &Path, library: &Path) -> State {
    let Ok(text) = std::fs::read_to_string(path) else {
        return State::default();
    };
    match ron::from_str::<State>(&text) {
        Ok(state) if state.library.as_deref() == Some(library) => state,
        _ => State::default(),
    }
}

/// Writes the state atomically (a temporary beside it, then a rename), creating the
/// directory. Errors are returned for the caller to ignore or report; they never matter
/// to the library.
pub fn save(path: &Path, state: &State) -> std::io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("the state file has no directory"))?;
    std::fs::create_dir_all(dir)?;
    let text = ron::ser::to_string_pretty(state, ron::ser::PrettyConfig::default())
        .map_err(std::io::Error::other)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".state.ron.")
        .tempfile_in(dir)?;
    std::io::Write::write_all(&mut tmp, text.as_bytes())?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The stable key of a node: `#franchise`, `show`, `show/S01`, `show/S01E02`.
pub fn key_of(library: &Library, id: NodeId) -> Option<String> {
    Some(match library.node(id)? {
        NodeRef::Franchise(f) => format!("#{}", f.id),
        NodeRef::Show(_, s) => s.id.clone(),
        NodeRef::Season(show, s) => format!("{}/S{:02}", show.id, s.number),
        NodeRef::Episode(show, s, e) => format!("{}/S{:02}E{:02}", show.id, s.number, e.number),
    })
}

/// The node a key names in `library`, if it is still there.
pub fn node_of(library: &Library, key: &str) -> Option<NodeId> {
    Nodes::of(library).node_of(key)
}

/// The franchises and shows of a library by id, for looking up many keys (the saved state's
/// hundreds of open folds) without a walk over every show for each.
pub struct Nodes<'a> {
    library: &'a Library,
    franchises: HashMap<&'a str, usize>,
    shows: HashMap<&'a str, (usize, usize)>,
}

impl<'a> Nodes<'a> {
    pub fn of(library: &'a Library) -> Nodes<'a> {
        let mut franchises = HashMap::with_capacity(library.franchises.len());
        let mut shows = HashMap::new();
        for (f, franchise) in library.franchises.iter().enumerate() {
            // The first of equal ids wins, as `position` / `find_show` would find it.
            franchises.entry(franchise.id.as_str()).or_insert(f);
            for (s, show) in franchise.shows.iter().enumerate() {
                shows.entry(show.id.as_str()).or_insert((f, s));
            }
        }
        Nodes {
            library,
            franchises,
            shows,
        }
    }

    /// The node `key` names, if it is still there.
    pub fn node_of(&self, key: &str) -> Option<NodeId> {
        if let Some(id) = key.strip_prefix('#') {
            return self.franchises.get(id).map(|&f| NodeId::Franchise(f));
        }
        self.below(key)
    }

    fn below(&self, key: &str) -> Option<NodeId> {
        let library = self.library;
        let (show, rest) = key.split_once('/').unwrap_or((key, ""));
        let (f, s) = *self.shows.get(show)?;
        if rest.is_empty() {
            return Some(NodeId::Show(f, s));
        }
        let shown = library.franchises.get(f)?.shows.get(s)?;
        let rest = rest.strip_prefix('S')?;
        let (season, episode) = match rest.split_once('E') {
            Some((season, episode)) => (season, Some(episode)),
            None => (rest, None),
        };
        let season: u32 = season.parse().ok()?;
        let si = shown.seasons.iter().position(|x| x.number == season)?;
        let Some(episode) = episode else {
            return Some(NodeId::Season(f, s, si));
        };
        let episode: u32 = episode.parse().ok()?;
        let ei = shown
            .seasons
            .get(si)?
            .episodes
            .iter()
            .position(|x| x.number == episode)?;
        Some(NodeId::Episode(f, s, si, ei))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_the_same_node_back() {
        let library = crate::store::shipped_catalog();
        let ids = [
            NodeId::Franchise(0),
            NodeId::Show(0, 1),
            NodeId::Season(0, 0, 2),
            NodeId::Episode(0, 0, 1, 3),
        ];
        for id in ids {
            let key = key_of(&library, id).expect("a key");
            assert_eq!(node_of(&library, &key), Some(id), "{key}");
        }
        assert_eq!(
            key_of(&library, NodeId::Franchise(0)).as_deref(),
            Some("#bosch-universe")
        );
        assert_eq!(node_of(&library, "bosch/S99"), None);
        assert_eq!(node_of(&library, "nothing"), None);
    }

    #[test]
    fn saved_state_comes_back_for_the_same_library_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("deep").join("state.ron");
        let lib = dir.path().join("library.ron");
        let state = State {
            library: Some(lib.clone()),
            open: vec!["#bosch-universe".into(), "bosch".into(), "bosch/S01".into()],
            selected: Some("bosch/S01E02".into()),
            search: Some("haystacks".into()),
        };
        save(&path, &state).expect("saves");
        assert_eq!(load(&path, &lib), state);
        assert_eq!(load(&path, &dir.path().join("other.ron")), State::default());
    }

    #[test]
    fn a_missing_or_broken_state_is_the_empty_state() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("state.ron");
        let lib = dir.path().join("library.ron");
        assert_eq!(load(&path, &lib), State::default());
        std::fs::write(&path, "(open: [\"bosch\"").expect("write");
        assert_eq!(load(&path, &lib), State::default());
        std::fs::write(&path, [0xff, 0xfe]).expect("write");
        assert_eq!(load(&path, &lib), State::default());
    }
}
