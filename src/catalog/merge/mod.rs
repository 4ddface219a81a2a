//! Merging one shipped franchise, show, season or episode into the user's, field by field.

use std::collections::BTreeSet;

use super::{Change, ChangeKind};
use crate::model::{
    Episode, Event, Franchise, Season, Show, episode_code, episode_key, season_key, show_key,
};
use fact::Fact;

mod fact;

/// Where to insert item `number` so the numbers stay in order.
fn numbered_position(numbers: impl Iterator<Item = u32>, number: u32) -> usize {
    numbers.take_while(|n| *n <= number).count()
}
/// Merges fact fields, each bound by name from the user's item, into the shipped item's:
/// `facts!(merge, label, shipped, base; title: "title", air_date: "air date")`.
macro_rules! facts {
    ($merge:expr, $label:expr, $shipped:expr, $base:expr; $($field:ident: $name:literal),* $(,)?) => {
        $( $merge.fact($label, $name, $field, &$shipped.$field, $base.map(|b| &b.$field)); )*
    };
}

/// The changes found so far. Each merge method names every field of its type in a pattern
/// with no `..`, so a field added to the model cannot be silently left out of updates.
#[derive(Default)]
pub(super) struct Merge {
    pub(super) changes: Vec<Change>,
    /// The library's tombstones: what the user deleted.
    pub(super) removed: BTreeSet<String>,
}

impl Merge {
    pub(super) fn push(&mut self, kind: ChangeKind, what: String) {
        self.changes.push(Change { kind, what });
    }

    /// A deleted item the catalog has: skipped; said when the catalog changed it.
    pub(super) fn kept_deleted(&mut self, label: &str, changed: bool) {
        if changed {
            self.push(ChangeKind::KeptDeleted, format!("{label}: kept deleted"));
        }
    }

    pub(super) fn franchise(
        &mut self,
        user: &mut Franchise,
        shipped: &Franchise,
        base: Option<&Franchise>,
    ) {
        let label = user.title.clone();
        let Franchise {
            id: _,
            title,
            based_on,
            notes: _,
            shows: _,       // merged by `update`, which matches shows across franchises
            watch_order: _, // the user's own order
        } = user;
        facts!(self, &label, shipped, base; title: "title", based_on: "based on");
    }

    pub(super) fn show(&mut self, user: &mut Show, shipped: &Show, base: Option<&Show>) {
        let label = user.title.clone();
        let l = label.as_str();
        let Show {
            id: _,
            title,
            ids,
            origin,
            network,
            status,
            premiere,
            finale,
            renewal,
            rotten_tomatoes,
            creators,
            cast,
            based_on,
            events,
            sources,
            summary,
            tvmaze: _, // TVmaze's own base, kept for `refresh`
            rating: _, // the user's
            rating_of_10: _,
            notes: _,
            seasons,
        } = user;
        // A catalog origin naming a show the user deleted would leave a file that does not
        // load (an origin must name a show): it is not brought in.
        let shipped_origin = shipped
            .origin
            .clone()
            .filter(|o| !self.removed.contains(&show_key(&o.show)));
        self.fact(
            l,
            "origin",
            origin,
            &shipped_origin,
            base.map(|b| &b.origin),
        );
        facts!(self, l, shipped, base;
            title: "title", ids: "ids", network: "network", status: "status",
            premiere: "premiere", finale: "finale", renewal: "renewal",
            rotten_tomatoes: "Rotten Tomatoes", creators: "creators", cast: "cast",
            based_on: "based on", sources: "sources", summary: "summary");
        self.events(l, events, &shipped.events, base.map(|b| &b.events));

        for ss in &shipped.seasons {
            let bs = base.and_then(|b| b.season(ss.number));
            if self.removed.contains(&season_key(&shipped.id, ss.number))
                && seasons.iter().all(|u| u.number != ss.number)
            {
                let label = format!("{l} season {}", ss.number);
                self.kept_deleted(&label, base.is_none() || bs != Some(ss));
                continue;
            }
            match seasons.iter_mut().find(|u| u.number == ss.number) {
                Some(us) => self.season(l, &shipped.id, us, ss, bs),
                None => {
                    let at = numbered_position(seasons.iter().map(|u| u.number), ss.number);
                    seasons.insert(at, ss.clone());
                    let n = ss.episodes.len();
                    let episodes = if n == 1 { "episode" } else { "episodes" };
                    self.push(
                        ChangeKind::NewSeason,
                        format!("{l} season {} (new season, {n} {episodes})", ss.number),
                    );
                }
            }
        }
    }

    /// The timeline: the catalog's events are one fact, compared without the user's own;
    /// the user's are put back after it, each after the last event dated on or before it.
    fn events(
        &mut self,
        label: &str,
        user: &mut Vec<Event>,
        shipped: &Vec<Event>,
        base: Option<&Vec<Event>>,
    ) {
        if user.iter().all(|e| !e.yours) {
            self.fact(label, "events", user, shipped, base);
            return;
        }
        let original = user.clone();
        let (yours, mut catalog): (Vec<Event>, Vec<Event>) =
            std::mem::take(user).into_iter().partition(|e| e.yours);
        let before = catalog.clone();
        self.fact(label, "events", &mut catalog, shipped, base);
        if catalog == before {
            *user = original; // unchanged: the user's order as it was
            return;
        }
        for event in yours {
            let at = match event.date {
                Some(d) => catalog
                    .iter()
                    .rposition(|e| e.date.is_some_and(|x| x <= d))
                    .map_or(0, |i| i + 1),
                None => catalog.len(),
            };
            catalog.insert(at, event);
        }
        *user = catalog;
    }

    fn season(
        &mut self,
        show: &str,
        show_id: &str,
        user: &mut Season,
        shipped: &Season,
        base: Option<&Season>,
    ) {
        let label = format!("{show} season {}", user.number);
        let Season {
            number,
            premiere,
            rotten_tomatoes,
            adapts,
            sources,
            rating: _,
            notes: _,
            episodes,
            specials: _, // the catalog ships none; they come from TVmaze or the user
            rating_of_10: _,
        } = user;
        facts!(self, &label, shipped, base;
            premiere: "premiere", rotten_tomatoes: "Rotten Tomatoes", adapts: "adapts",
            sources: "sources");

        for se in &shipped.episodes {
            let code = episode_code(*number, se.number);
            let be = base.and_then(|b| b.episode(se.number));
            if self
                .removed
                .contains(&episode_key(show_id, *number, se.number))
                && episodes.iter().all(|u| u.number != se.number)
            {
                self.kept_deleted(&format!("{show} {code}"), base.is_none() || be != Some(se));
                continue;
            }
            match episodes.iter_mut().find(|u| u.number == se.number) {
                Some(ue) => self.episode(&format!("{show} {code}"), ue, se, be),
                None => {
                    let at = numbered_position(episodes.iter().map(|u| u.number), se.number);
                    episodes.insert(at, se.clone());
                    let title = se.title.as_ref().map(|t| format!(" \"{t}\""));
                    let title = title.unwrap_or_default();
                    self.push(
                        ChangeKind::NewEpisode,
                        format!("{show} {code}{title} (new episode)"),
                    );
                }
            }
        }
    }

    fn episode(
        &mut self,
        label: &str,
        user: &mut Episode,
        shipped: &Episode,
        base: Option<&Episode>,
    ) {
        let Episode {
            number: _,
            title,
            air_date,
            runtime,
            directed_by,
            written_by,
            ids,
            tvmaze: _, // TVmaze's own base, kept for `refresh`
            crossovers,
            sources,
            watched: _,
            rating: _,
            notes: _,
            rating_of_10: _,
        } = user;
        facts!(self, label, shipped, base;
            title: "title", air_date: "air date", runtime: "runtime",
            directed_by: "directed by", written_by: "written by", ids: "ids", crossovers: "crossovers",
            sources: "sources");
    }

    /// Merges one catalog fact. `base` is `None` when the origin of `user`'s value is unknown.
    fn fact<T: Fact>(
        &mut self,
        label: &str,
        field: &str,
        user: &mut T,
        shipped: &T,
        base: Option<&T>,
    ) {
        if user == shipped || shipped.is_unknown() {
            return; // nothing new, or nothing the catalog knows: known stays known
        }
        let edited = match base {
            Some(base) => user != base,
            None => !user.is_unknown(),
        };
        let (theirs, catalog) = (user.describe(), shipped.describe());
        if !edited {
            let what = if theirs == catalog {
                format!("{label}: {field} updated ({catalog})")
            } else {
                format!("{label}: {field} {theirs} → {catalog}")
            };
            self.push(ChangeKind::Fact, what);
            *user = shipped.clone();
        } else if base != Some(shipped) {
            let what = if theirs == catalog {
                format!("{label}: {field} kept as you edited it (the catalog's differs: {catalog})")
            } else {
                format!("{label}: {field} kept as you set it, {theirs} (catalog: {catalog})")
            };
            self.push(ChangeKind::KeptUserEdit, what);
        }
    }
}
