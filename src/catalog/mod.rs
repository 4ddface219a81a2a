//! Catalog updates: bringing a newer shipped catalog into the user's library.
//!
//! The library file holds two kinds of data side by side: catalog facts that fantrack ships
//! (titles, dates, cast, sources, ...) and the user's own data (what they watched and when,
//! notes, ratings, settings, and any show or franchise they added themselves). A stale fact is
//! merely stale; a lost watch history or note is gone for good. So an update works like this:
//!
//! - Franchises and shows are matched by id, seasons and episodes by number.
//! - What the catalog has and the library lacks comes in: a new franchise or show next to its
//!   catalog neighbours (else at the end), a new season or episode in number order.
//! - Nothing is ever deleted, even what the catalog dropped.
//! - Nothing the user deleted comes back: a franchise, show, season or episode whose key is in
//!   `Library::removed` (a tombstone, left by `Edit::PutShow` / `PutFranchise`) is skipped,
//!   and reported as [`ChangeKind::KeptDeleted`] when the catalog has changed it since the
//!   base (or there is no base), as kept edits are.
//! - The user's own timeline events (`Event::yours`) are theirs: the catalog's events are
//!   merged as one fact without them, and theirs are put back among the result by date.
//! - The user's data is never touched: `watched`, `notes` and `rating` at every level, the
//!   settings, and everything whose id the catalog does not have.
//! - Every other field is a catalog fact and takes the catalog's value, unless the user edited
//!   it by hand. `base`, the catalog the library was made from, tells the two apart:
//!   - with a base, a value that differs from the base's is a hand edit. It is kept, and
//!     reported as [`ChangeKind::KeptUserEdit`] when the catalog's value has changed too
//!     (when it has not, there is nothing new to report, and repeating it would make every
//!     update noisy);
//!   - without one (unknown origin, or an item the base did not have), only gaps are filled:
//!     a `None` or empty value takes the catalog's, any other difference is kept and reported.
//!   - A library already at the shipped `catalog_version` was made from this very catalog, so
//!     the shipped catalog is its base when none is given; a library at an older version this
//!     build still carries (see [`past_catalog`]) has that catalog as its base. Without it, a
//!     fact the newer catalog corrects (a cast list that gained a role, an episode's longer
//!     source list) would look like the user's own edit and never arrive.
//! - Unknown stays unknown, and known stays known: a catalog value that is `None` or empty
//!   never replaces one the library has, and nothing is ever made up.
//!
//! [`diff`] is [`update`] run on a copy, so the plan it shows is exactly what an update does.

use crate::model::{Franchise, Library, Show, franchise_key, show_key};
use merge::Merge;
pub use past::past_catalog;

mod merge;
mod past;

/// One thing an update changes or deliberately leaves alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// Human text, e.g. `Ballard S01E10 "End of the Line" (new episode)`.
    pub what: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// A show the library did not have (shows of a new franchise are reported one by one).
    NewShow,
    NewSeason,
    NewEpisode,
    /// A catalog fact added or corrected; also a new franchise (its shows come as `NewShow`).
    Fact,
    /// The user changed a fact by hand and the catalog's value differs: theirs is kept.
    KeptUserEdit,
    /// The user deleted this item and the catalog has it (changed since): it stays deleted.
    KeptDeleted,
}

/// What an update does: from the library's catalog version to the shipped one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub from: Option<u32>,
    /// The shipped catalog's version (0 if it has none, which the shipped catalog never does).
    pub to: u32,
    /// In catalog order.
    pub changes: Vec<Change>,
}

impl Plan {
    /// True when the update changes no show, season, episode or fact.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// What merging `shipped` into `user` would change, without changing anything.
pub fn diff(user: &Library, shipped: &Library, base: Option<&Library>) -> Plan {
    update(&mut user.clone(), shipped, base)
}

/// Merges `shipped` into `user` and returns the plan it applied. Sets `user.catalog_version`.
/// Without a `base`, the catalog of the library's own version is the base when known.
pub fn update(user: &mut Library, shipped: &Library, base: Option<&Library>) -> Plan {
    let from = user.catalog_version;
    let same_version = from.is_some() && from == shipped.catalog_version;
    let past = match (base, from) {
        (None, Some(v)) if !same_version => past_catalog(v),
        _ => None,
    };
    let base = base.or(past.as_ref()).or(same_version.then_some(shipped));
    let mut merge = Merge {
        removed: user.removed.clone(),
        ..Merge::default()
    };

    for (i, sf) in shipped.franchises.iter().enumerate() {
        let bf = base.and_then(|b| b.franchises.iter().find(|f| f.id == sf.id));
        if merge.removed.contains(&franchise_key(&sf.id))
            && user.franchises.iter().all(|f| f.id != sf.id)
        {
            merge.kept_deleted(&sf.title, base.is_none() || bf != Some(sf));
            continue;
        }
        match user.franchises.iter_mut().find(|f| f.id == sf.id) {
            Some(uf) => merge.franchise(uf, sf, bf),
            None => {
                let at = anchored_position(&shipped.franchises, i, &user.franchises, |f| &f.id);
                let shows = Vec::new();
                user.franchises.insert(
                    at,
                    Franchise {
                        shows,
                        ..sf.clone()
                    },
                );
                merge.push(ChangeKind::Fact, format!("{} (new franchise)", sf.title));
            }
        }
        for (j, ss) in sf.shows.iter().enumerate() {
            let bs = base.and_then(|b| find_show(b, &ss.id));
            // Show ids are unique across the file, so a show the user moved is still found.
            if let Some((f, s)) = user.find_show(&ss.id) {
                if let Some(us) = user
                    .franchises
                    .get_mut(f)
                    .and_then(|uf| uf.shows.get_mut(s))
                {
                    merge.show(us, ss, bs);
                }
                continue;
            }
            if merge.removed.contains(&show_key(&ss.id)) {
                merge.kept_deleted(&ss.title, base.is_none() || bs != Some(&**ss));
                continue;
            }
            let Some(uf) = user.franchises.iter_mut().find(|f| f.id == sf.id) else {
                continue; // cannot happen: the franchise was inserted above
            };
            let at = anchored_position(&sf.shows, j, &uf.shows, |s| &s.id);
            uf.shows.insert(at, ss.clone());
            merge.push(ChangeKind::NewShow, format!("{} (new show)", ss.title));
        }
    }

    if shipped.catalog_version.is_some() {
        user.catalog_version = shipped.catalog_version;
    }
    Plan {
        from,
        to: shipped.catalog_version.unwrap_or_default(),
        changes: merge.changes,
    }
}

fn find_show<'a>(library: &'a Library, id: &str) -> Option<&'a Show> {
    library
        .franchises
        .iter()
        .flat_map(|f| &f.shows)
        .map(|s| &**s)
        .find(|s| s.id == id)
}

/// Where to insert `catalog[i]`, which `into` lacks, so it keeps its place among its catalog
/// neighbours: right after the nearest earlier one `into` has, else right before the nearest
/// later one, else at the end.
fn anchored_position<T>(catalog: &[T], i: usize, into: &[T], id: impl Fn(&T) -> &String) -> usize {
    let position = |c: &T| into.iter().position(|u| id(u) == id(c));
    catalog
        .get(..i)
        .unwrap_or_default()
        .iter()
        .rev()
        .find_map(position)
        .map(|p| p + 1)
        .or_else(|| {
            let later = catalog.get(i + 1..).unwrap_or_default();
            later.iter().find_map(position)
        })
        .unwrap_or(into.len())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use jiff::civil::{Date, date};

    use super::*;
    use crate::model::{Episode, Event, Renewal, Season, Status};
    use crate::store::{CATALOG_VERSION, parse, shipped_catalog, to_text, validate};

    fn show_mut<'a>(library: &'a mut Library, id: &str) -> &'a mut Show {
        let (f, s) = library.find_show(id).expect("show exists");
        &mut library.franchises[f].shows[s]
    }

    fn episode_mut<'a>(
        library: &'a mut Library,
        show: &str,
        season: u32,
        number: u32,
    ) -> &'a mut Episode {
        show_mut(library, show)
            .season_mut(season)
            .and_then(|s| s.episode_mut(number))
            .expect("episode exists")
    }

    /// The shipped catalog as it might have been one version earlier.
    fn older_catalog() -> Library {
        let mut older = shipped_catalog();
        older.catalog_version = Some(0);
        let ballard = show_mut(&mut older, "ballard");
        ballard.status = Status::Running;
        ballard.renewal = None;
        let season = ballard.season_mut(1).expect("season 1");
        season.episodes.retain(|e| e.number != 10);
        older.franchises[0]
            .shows
            .retain(|s| s.id != "bosch-start-of-watch");
        episode_mut(&mut older, "bosch", 6, 3).title = None;
        // A fact the newer catalog corrects and the user also edits by hand.
        show_mut(&mut older, "bosch").network = Some("Amazon Video".into());
        older
    }

    fn own_show(id: &str, title: &str) -> Show {
        Show {
            network: Some("HBO".into()),
            status: Status::Ended,
            creators: vec!["Someone".into()],
            rating: Some(4),
            notes: "my own show, \"mine\"\nπ ≠ 3".into(),
            seasons: vec![Season {
                rating: Some(3),
                notes: "S1 — ok".into(),
                episodes: (1..=2)
                    .map(|n| Episode {
                        title: Some(format!("Part {n}")),
                        runtime: Some(58),
                        watched: vec![date(2023, 3, n as i8)],
                        rating: Some(4),
                        notes: format!("part {n}: «great»"),
                        ..Episode::new(n)
                    })
                    .collect(),
                ..Season::new(1)
            }],
            ..Show::new(id, title)
        }
    }

    /// A library made from the older catalog, then watched, annotated, rated and extended.
    fn user_library() -> Library {
        let mut lib = older_catalog();
        lib.settings.spoiler_shield = Some(true);
        lib.franchises[0].notes =
            "Mon univers préféré — \"Harry\"\nligne 2 🎬 \\ r#\"raw\"#".into();

        let bosch = show_mut(&mut lib, "bosch");
        bosch.notes = "Rewatch with \"Dad\"\n日本語 é".into();
        bosch.network = Some("My DVD box set".into());
        let s1 = bosch.season_mut(1).expect("season 1");
        s1.rating = Some(4);
        s1.notes = "Best season.\n\"City of Bones\" ✓".into();
        let e1 = episode_mut(&mut lib, "bosch", 1, 1);
        e1.watched = vec![date(2024, 1, 5), date(2024, 6, 1)];
        e1.rating = Some(5);
        e1.notes = "Pilot — «superb»\nsecond line".into();
        // A hand edit of a fact the catalog did not change.
        e1.title = Some("Pilot (my name)".into());
        episode_mut(&mut lib, "bosch", 1, 2).watched = vec![date(2024, 1, 6)];
        let untitled = episode_mut(&mut lib, "bosch", 6, 3);
        untitled.watched = vec![date(2024, 2, 1)];
        untitled.notes = "title unknown?".into();

        let ballard = show_mut(&mut lib, "ballard");
        ballard.notes = "Maggie Q ♥".into();
        ballard.rating = Some(4);
        let s1 = ballard.season_mut(1).expect("season 1");
        s1.rating = Some(5);
        let e9 = s1.episode_mut(9).expect("episode 9");
        e9.watched = vec![date(2025, 7, 12)];
        e9.rating = Some(2);
        e9.notes = "no title, \"odd\"".into();
        episode_mut(&mut lib, "ballard", 1, 1).watched = vec![date(2025, 7, 10)];

        lib.franchises[0]
            .shows
            .push(own_show("bosch-fan-cut", "Bosch: Fan Cut").into());
        lib.franchises.push(Franchise {
            id: "my-shows".into(),
            title: "My Shows".into(),
            based_on: None,
            notes: "mine, all mine\n✓".into(),
            shows: vec![own_show("the-wire", "The Wire").into()],
            watch_order: vec![],
        });
        lib
    }

    type UserData = (Vec<Date>, String, Option<u8>);

    /// Every watch mark, note and rating in the library, by path.
    fn user_data(lib: &Library) -> BTreeMap<String, UserData> {
        let mut data = BTreeMap::new();
        for f in &lib.franchises {
            data.insert(f.id.clone(), (Vec::new(), f.notes.clone(), None));
            for s in &f.shows {
                let path = format!("{}/{}", f.id, s.id);
                data.insert(path.clone(), (Vec::new(), s.notes.clone(), s.rating));
                for season in &s.seasons {
                    let path = format!("{path}/{}", season.number);
                    data.insert(
                        path.clone(),
                        (Vec::new(), season.notes.clone(), season.rating),
                    );
                    for e in &season.episodes {
                        let path = format!("{path}/{}", e.number);
                        data.insert(path, (e.watched.clone(), e.notes.clone(), e.rating));
                    }
                }
            }
        }
        data
    }

    fn whats(plan: &Plan, kind: ChangeKind) -> Vec<&str> {
        plan.changes
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| c.what.as_str())
            .collect()
    }

    #[test]
    fn diff_lists_what_the_newer_catalog_brings() {
        let user = user_library();
        let before = user.clone();
        let plan = diff(&user, &shipped_catalog(), Some(&older_catalog()));
        assert_eq!(user, before, "diff must not change the library");

        assert_eq!(plan.from, Some(0));
        assert_eq!(plan.to, CATALOG_VERSION);
        assert_eq!(
            whats(&plan, ChangeKind::NewEpisode),
            ["Ballard S01E10 \"End of the Line\" (new episode)"]
        );
        assert_eq!(
            whats(&plan, ChangeKind::NewShow),
            ["Bosch: Start of Watch (new show)"]
        );
        assert_eq!(whats(&plan, ChangeKind::NewSeason), Vec::<&str>::new());
        assert_eq!(
            whats(&plan, ChangeKind::Fact),
            [
                format!("Bosch S06E03: title unknown → \"{}\"", shipped_title(6, 3)).as_str(),
                "Ballard: status running → renewed",
                "Ballard: renewal unknown → season 2 (announced 2025-10-06)",
            ]
        );
        assert_eq!(
            whats(&plan, ChangeKind::KeptUserEdit),
            [
                "Bosch: network kept as you set it, \"My DVD box set\" (catalog: \"Amazon Prime Video\")"
            ]
        );
        assert_eq!(plan.changes.len(), 6, "{plan:#?}");
    }

    fn shipped_title(season: u32, episode: u32) -> String {
        let lib = shipped_catalog();
        let show = lib.franchises[0].show("bosch").expect("bosch");
        show.season(season)
            .and_then(|s| s.episode(episode))
            .and_then(|e| e.title.clone())
            .expect("titled")
    }

    #[test]
    fn update_applies_the_plan_and_keeps_every_user_thing() {
        let shipped = shipped_catalog();
        let older = older_catalog();
        let mut lib = user_library();
        let before = lib.clone();
        let planned = diff(&lib, &shipped, Some(&older));
        let plan = update(&mut lib, &shipped, Some(&older));
        assert_eq!(plan, planned, "update does exactly what diff said");
        assert_eq!(lib.catalog_version, Some(CATALOG_VERSION));

        // The news came in, in place.
        let ballard = lib.franchises[0].show("ballard").expect("ballard");
        let s1 = ballard.season(1).expect("season 1");
        let numbers: Vec<u32> = s1.episodes.iter().map(|e| e.number).collect();
        assert_eq!(numbers, (1..=10).collect::<Vec<_>>());
        assert_eq!(
            s1.episode(10),
            shipped.franchises[0]
                .show("ballard")
                .and_then(|s| s.season(1))
                .and_then(|s| s.episode(10))
        );
        assert_eq!(ballard.status, Status::Renewed);
        assert_eq!(
            ballard.renewal,
            Some(Renewal {
                season: 2,
                announced: Some(date(2025, 10, 6))
            })
        );
        let ids: Vec<&str> = lib.franchises[0]
            .shows
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "bosch",
                "bosch-legacy",
                "ballard",
                "bosch-start-of-watch",
                "bosch-fan-cut"
            ]
        );
        assert_eq!(
            lib.franchises[0].show("bosch-start-of-watch"),
            shipped.franchises[0].show("bosch-start-of-watch")
        );
        let bosch = lib.franchises[0].show("bosch").expect("bosch");
        let e603 = bosch.season(6).and_then(|s| s.episode(3)).expect("S06E03");
        assert_eq!(e603.title, Some(shipped_title(6, 3)));

        // Hand edits stay: one the catalog also changed (reported), one it did not (silent).
        assert_eq!(bosch.network.as_deref(), Some("My DVD box set"));
        let e101 = bosch.season(1).and_then(|s| s.episode(1)).expect("S01E01");
        assert_eq!(e101.title.as_deref(), Some("Pilot (my name)"));

        // Every watch mark, note and rating is exactly as it was.
        let (old, new) = (user_data(&before), user_data(&lib));
        for (path, value) in &old {
            assert_eq!(new.get(path), Some(value), "{path}");
        }
        assert_eq!(
            new.len(),
            old.len() + 2,
            "only Start of Watch and S01E10 are new"
        );
        assert_eq!(lib.settings, before.settings);
        assert_eq!(
            lib.franchises.last(),
            before.franchises.last(),
            "own franchise"
        );
        assert_eq!(
            lib.franchises[0].show("bosch-fan-cut"),
            before.franchises[0].show("bosch-fan-cut"),
            "own show"
        );

        // Apart from the user's own things and edits, the library is now the catalog.
        let mut expected = shipped.clone();
        expected.settings = lib.settings.clone();
        let mut normalised = lib.clone();
        normalised.franchises.pop();
        normalised.franchises[0]
            .shows
            .retain(|s| s.id != "bosch-fan-cut");
        show_mut(&mut normalised, "bosch").network = Some("Amazon Prime Video".into());
        episode_mut(&mut normalised, "bosch", 1, 1).title = Some(shipped_title(1, 1));
        strip_user_data(&mut normalised);
        assert_eq!(normalised, expected);

        validate(&lib, "").expect("valid after update");
        let text = to_text(&lib).expect("serialises");
        let again = parse(&text, Path::new("x")).expect("reloads");
        assert_eq!(again, lib);
        assert_eq!(to_text(&again).expect("serialises"), text);
    }

    fn strip_user_data(lib: &mut Library) {
        for f in &mut lib.franchises {
            f.notes.clear();
            for s in &mut f.shows {
                s.notes.clear();
                s.rating = None;
                for season in &mut s.seasons {
                    season.notes.clear();
                    season.rating = None;
                    for e in &mut season.episodes {
                        e.notes.clear();
                        e.rating = None;
                        e.watched.clear();
                    }
                }
            }
        }
    }

    #[test]
    fn a_library_of_a_past_version_is_measured_against_that_catalog() {
        let v1 = past_catalog(1).expect("version 1 is carried");
        assert_eq!(v1.catalog_version, Some(1));
        assert!(
            past_catalog(CATALOG_VERSION).is_none(),
            "only earlier catalogs are kept"
        );
        assert!(past_catalog(0).is_none());
        // The untouched version 1 library becomes exactly version 2: every correction applies
        // (a longer cast or source list included), and nothing looks like the user's edit.
        let shipped = shipped_catalog();
        let mut lib = v1.clone();
        let plan = update(&mut lib, &shipped, None);
        assert_eq!((plan.from, plan.to), (Some(1), CATALOG_VERSION));
        assert!(
            whats(&plan, ChangeKind::KeptUserEdit).is_empty(),
            "{plan:#?}"
        );
        assert_eq!(lib, shipped);
        // Given explicitly, a base still wins over the carried one: measured against version 2
        // itself, every version 1 value looks like the user's own and is kept.
        let mut lib = v1.clone();
        update(&mut lib, &shipped, Some(&shipped));
        assert_eq!(lib.franchises, v1.franchises);
    }

    #[test]
    fn a_second_update_is_a_no_op() {
        let shipped = shipped_catalog();
        let mut lib = user_library();
        update(&mut lib, &shipped, Some(&older_catalog()));
        let after_first = lib.clone();
        // The library is now at the shipped version, so the shipped catalog is its base,
        // whether given or not.
        for base in [Some(&shipped), None] {
            let plan = update(&mut lib, &shipped, base);
            assert!(plan.is_empty(), "{plan:#?}");
            assert_eq!(
                (plan.from, plan.to),
                (Some(CATALOG_VERSION), CATALOG_VERSION)
            );
            assert_eq!(lib, after_first);
        }
    }

    #[test]
    fn without_a_base_only_gaps_are_filled() {
        let shipped = shipped_catalog();
        let mut lib = user_library();
        let before = lib.clone();
        let planned = diff(&lib, &shipped, None);
        let plan = update(&mut lib, &shipped, None);
        assert_eq!(plan, planned);

        assert_eq!(whats(&plan, ChangeKind::NewEpisode).len(), 1);
        assert_eq!(whats(&plan, ChangeKind::NewShow).len(), 1);
        assert_eq!(
            whats(&plan, ChangeKind::Fact),
            [
                format!("Bosch S06E03: title unknown → \"{}\"", shipped_title(6, 3)).as_str(),
                "Ballard: renewal unknown → season 2 (announced 2025-10-06)",
            ]
        );
        // Any other difference might be the user's, so it is kept and reported.
        assert_eq!(
            whats(&plan, ChangeKind::KeptUserEdit),
            [
                "Bosch: network kept as you set it, \"My DVD box set\" (catalog: \"Amazon Prime Video\")",
                &format!(
                    "Bosch S01E01: title kept as you set it, \"Pilot (my name)\" (catalog: \"{}\")",
                    shipped_title(1, 1)
                ),
                "Ballard: status kept as you set it, running (catalog: renewed)",
            ]
        );
        let ballard = lib.franchises[0].show("ballard").expect("ballard");
        assert_eq!(ballard.status, Status::Running);
        let (old, new) = (user_data(&before), user_data(&lib));
        for (path, value) in &old {
            assert_eq!(new.get(path), Some(value), "{path}");
        }
        validate(&lib, "").expect("valid");
    }

    #[test]
    fn a_catalog_that_dropped_things_deletes_nothing() {
        // A library at the current catalog meets a catalog lacking a show, an episode and a
        // title: all stay.
        let shipped = shipped_catalog();
        let mut lib = shipped.clone();
        episode_mut(&mut lib, "ballard", 1, 10).watched = vec![date(2025, 7, 20)];
        let mut smaller = older_catalog();
        smaller.catalog_version = Some(2);
        let plan = update(&mut lib, &smaller, Some(&shipped));

        assert!(lib.find_show("bosch-start-of-watch").is_some());
        let e110 = episode_mut(&mut lib, "ballard", 1, 10);
        assert_eq!(e110.watched, [date(2025, 7, 20)]);
        assert!(episode_mut(&mut lib, "bosch", 6, 3).title.is_some());
        assert_eq!(lib.catalog_version, Some(2));
        // What it does change are facts it has a value for.
        assert_eq!(
            whats(&plan, ChangeKind::Fact),
            [
                "Bosch: network \"Amazon Prime Video\" → \"Amazon Video\"",
                "Ballard: status renewed → running",
            ]
        );
        assert_eq!(plan.changes.len(), 2, "{plan:#?}");
    }

    #[test]
    fn new_franchises_seasons_and_moved_shows() {
        let mut shipped = shipped_catalog();
        shipped.catalog_version = Some(2);
        let mut season2 = show_mut(&mut shipped, "ballard").seasons[0].clone();
        season2.number = 2;
        show_mut(&mut shipped, "ballard").seasons.push(season2);
        let mut other = Franchise {
            id: "other".into(),
            title: "Other".into(),
            based_on: None,
            notes: String::new(),
            shows: vec![own_show("other-show", "Other Show").into()],
            watch_order: vec![],
        };
        other.shows[0].notes.clear();
        shipped.franchises.insert(0, other);

        // The user moved Ballard into a franchise of their own.
        let mut lib = shipped_catalog();
        let ballard = lib.franchises[0].shows.remove(2);
        lib.franchises.push(Franchise {
            id: "mine".into(),
            title: "Mine".into(),
            based_on: None,
            notes: String::new(),
            shows: vec![ballard],
            watch_order: vec![],
        });

        let plan = update(&mut lib, &shipped, Some(&shipped_catalog()));
        assert_eq!(
            plan.changes,
            [
                Change {
                    kind: ChangeKind::Fact,
                    what: "Other (new franchise)".into()
                },
                Change {
                    kind: ChangeKind::NewShow,
                    what: "Other Show (new show)".into()
                },
                Change {
                    kind: ChangeKind::NewSeason,
                    what: "Ballard season 2 (new season, 10 episodes)".into()
                },
            ]
        );
        let ids: Vec<&str> = lib.franchises.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["other", "bosch-universe", "mine"]);
        assert_eq!(
            lib.find_show("ballard"),
            Some((2, 0)),
            "Ballard stays where the user put it"
        );
        validate(&lib, "").expect("valid");
    }

    /// A PutShow of `show` in the shipped franchise, applied as the app and the CLI do.
    fn put(lib: &mut Library, id: &str, change: impl FnOnce(&mut Show)) {
        let (f, s) = lib.find_show(id).expect("show");
        let mut show = (*lib.franchises[f].shows[s]).clone();
        change(&mut show);
        crate::model::Edit::PutShow {
            franchise: lib.franchises[f].id.clone(),
            id: id.into(),
            at: None,
            show: Some(Box::new(show)),
        }
        .apply(lib)
        .expect("applies");
    }

    #[test]
    fn what_the_app_deleted_or_edited_survives_an_update_and_is_reported() {
        let mut older = older_catalog();
        // The newer catalog also brings a timeline event to Bosch.
        show_mut(&mut older, "bosch").events.pop();
        let mut lib = user_library();
        show_mut(&mut lib, "bosch").events.pop();
        // Deleted in the app: a whole show and a season.
        crate::model::Edit::PutShow {
            franchise: "bosch-universe".into(),
            id: "ballard".into(),
            at: None,
            show: None,
        }
        .apply(&mut lib)
        .expect("removes");
        put(&mut lib, "bosch", |s| s.seasons.retain(|x| x.number != 6));
        // Edited in the app: a fact the catalog corrects too, and news of the user's own.
        put(&mut lib, "bosch", |s| {
            s.network = Some("Prime Video (mine)".into());
            s.events.push(Event {
                kind: crate::model::EventKind::Cast,
                date: Some(date(2014, 3, 1)),
                when: None,
                what: "I met the cast".into(),
                sources: vec!["https://example.org/me".into()],
                yours: true,
            });
        });
        assert!(lib.removed.contains("show:ballard"));
        assert!(lib.removed.contains("season:bosch/6"));

        let shipped = shipped_catalog();
        let plan = update(&mut lib, &shipped, Some(&older));
        assert!(lib.find_show("ballard").is_none(), "Ballard came back");
        let bosch = show_mut(&mut lib, "bosch").clone();
        assert!(bosch.season(6).is_none(), "season 6 came back");
        assert_eq!(bosch.network.as_deref(), Some("Prime Video (mine)"));
        let deleted = whats(&plan, ChangeKind::KeptDeleted);
        assert_eq!(
            deleted,
            ["Bosch season 6: kept deleted", "Ballard: kept deleted"]
        );
        let kept = whats(&plan, ChangeKind::KeptUserEdit);
        assert!(kept.iter().any(|w| w.contains("network")), "{kept:?}");
        // The catalog's new event arrived and the user's own is still there, in date order.
        let shipped_bosch = find_show(&shipped, "bosch").expect("bosch");
        let catalog_events: Vec<&Event> = bosch.events.iter().filter(|e| !e.yours).collect();
        assert_eq!(
            catalog_events,
            shipped_bosch.events.iter().collect::<Vec<_>>()
        );
        let mine = bosch
            .events
            .iter()
            .position(|e| e.yours)
            .expect("mine kept");
        assert!(
            bosch.events[..mine]
                .iter()
                .all(|e| e.date <= Some(date(2014, 3, 1)))
        );
        validate(&lib, "").expect("valid");

        // Again: nothing new to say, nothing comes back.
        let again = update(&mut lib, &shipped, None);
        assert!(again.is_empty(), "{:?}", again.changes);
        assert!(lib.find_show("ballard").is_none());
    }

    #[test]
    fn without_a_base_a_deleted_item_is_always_reported() {
        let mut lib = shipped_catalog();
        lib.catalog_version = None;
        let (f, s) = lib.find_show("ballard").expect("ballard");
        let mut ballard = (*lib.franchises[f].shows[s]).clone();
        ballard.seasons[0].episodes.retain(|e| e.number != 3);
        crate::model::Edit::PutShow {
            franchise: "bosch-universe".into(),
            id: "ballard".into(),
            at: None,
            show: Some(Box::new(ballard)),
        }
        .apply(&mut lib)
        .expect("applies");
        let plan = update(&mut lib, &shipped_catalog(), None);
        assert_eq!(
            whats(&plan, ChangeKind::KeptDeleted),
            ["Ballard S01E03: kept deleted"]
        );
        let (f, s) = lib.find_show("ballard").expect("ballard");
        assert!(
            lib.franchises[f].shows[s]
                .season(1)
                .expect("s1")
                .episode(3)
                .is_none()
        );
    }
}
