//! `--add-missing`: the shows the export has and the library lacks, each made a franchise.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::changes::apply_change;
use super::find::{Index, Miss, find_episode, find_show};
use super::{Change, MissingShow, Options, ShowLoc, slug};
use crate::import::{Fact, Parsed, ShowRef, Slot, Target};
use crate::model::{Episode, ExternalIds, Franchise, Library, Season, Show, Status};

/// A show built from the export alone: its title, ids, and the seasons and episodes the
/// export names. What the export does not say stays unknown; the status, which the model
/// requires, is `Running` (the report says so) until a refresh knows better.
pub fn bare_show(missing: &MissingShow) -> Show {
    let title = missing
        .show
        .title
        .clone()
        .unwrap_or_else(|| missing.show.label());
    let mut seasons: Vec<Season> = Vec::new();
    for (&(sn, en), (ep_title, ids)) in &missing.episodes {
        if seasons.last().is_none_or(|s| s.number != sn) {
            seasons.push(Season::new(sn));
        }
        if let Some(season) = seasons.last_mut() {
            season.episodes.push(Episode {
                title: ep_title.clone(),
                ids: ids.clone().into(),
                ..Episode::new(en)
            });
        }
    }
    Show {
        ids: missing.show.ids.clone(),
        // The export says what was watched, not whether the show still runs.
        status: Status::Unknown,
        seasons,
        ..Show::new(slug(&title), title)
    }
}

/// [`bare_show`], said so: the default `Options::source` (`import --add-missing --offline`).
pub fn bare_source(missing: &MissingShow) -> (Show, String) {
    (
        bare_show(missing),
        "from the export's titles and numbers".into(),
    )
}

fn unique(base: String, taken: &HashSet<String>) -> String {
    crate::model::unique_id(&base, |id| taken.contains(id))
}

/// `--add-missing`: every show the rows name and the library lacks becomes a show (from
/// `options.source`) in a franchise of its own.
pub(super) fn add_missing(
    work: &mut Library,
    index: &mut Index,
    parsed: &Parsed,
    options: &Options<'_>,
    changes: &mut Vec<Change>,
    added: &mut HashMap<ShowLoc, String>,
) {
    let mut missing: Vec<MissingShow> = Vec::new();
    let mut at: HashMap<&ShowRef, usize> = HashMap::new();
    for row in &parsed.rows {
        if matches!(row.fact, Fact::Other(_)) || row.show.title.is_none() {
            continue;
        }
        let i = match at.get(&row.show) {
            Some(&i) => i,
            None => {
                if find_show(work, index, &row.show) != Err(Miss::NoShow) {
                    continue;
                }
                if let Target::Episode(ep) = &row.target
                    && find_episode(work, index, None, ep).is_ok()
                {
                    continue;
                }
                missing.push(MissingShow {
                    show: row.show.clone(),
                    tracker: row.tracker,
                    episodes: BTreeMap::new(),
                });
                at.insert(&row.show, missing.len() - 1);
                missing.len() - 1
            }
        };
        if let Target::Episode(ep) = &row.target
            && let Slot::Regular { season, number } = ep.slot
        {
            let Some(m) = missing.get_mut(i) else {
                continue;
            };
            let entry = m
                .episodes
                .entry((season, number))
                .or_insert((None, ExternalIds::default()));
            if entry.0.is_none() {
                entry.0 = ep.title.clone();
            }
            if entry.1.is_empty() {
                entry.1 = ep.ids.clone();
            }
        }
    }
    let mut show_ids: HashSet<String> = work
        .franchises
        .iter()
        .flat_map(|f| f.shows.iter().map(|s| s.id.clone()))
        .collect();
    let mut franchise_ids: HashSet<String> = work.franchises.iter().map(|f| f.id.clone()).collect();
    for m in &missing {
        // Two spellings of one show (with and without ids) become one show.
        if find_show(work, index, &m.show).is_ok() {
            continue;
        }
        let (mut show, from) = (options.source)(m);
        show.id = unique(show.id.clone(), &show_ids);
        show_ids.insert(show.id.clone());
        let franchise = Franchise {
            id: unique(show.id.clone(), &franchise_ids),
            title: show.title.clone(),
            based_on: None,
            notes: String::new(),
            shows: vec![show.clone().into()],
            watch_order: Vec::new(),
        };
        franchise_ids.insert(franchise.id.clone());
        let loc = ShowLoc {
            franchise: work.franchises.len(),
            show: 0,
        };
        let change = Change::AddShow(franchise);
        apply_change(work, &change);
        changes.push(change);
        index.add(loc, &show);
        added.insert(loc, from);
    }
}
