//! Synthetic libraries for benchmarks and load tests: any number of franchises, shows, seasons
//! and episodes, deterministic from a seed, and shaped like a real user's file (spin-offs,
//! statuses, dates, runtimes, watch histories, notes, non-ASCII titles).
//!
//! Nothing here is used by the app itself; `benches/` and `examples/` build their files with it.
//! The result always passes [`fantrack::store::validate`] and round-trips through the file format.

mod words;

use std::collections::{BTreeMap, HashSet};

use jiff::Span;
use jiff::civil::{Date, date};

use fantrack::model::{
    Episode, Event, EventKind, FORMAT_VERSION, Franchise, Library, Origin, OriginKind, Renewal,
    Role, Season, Settings, Show, Status,
};
use words::*;

/// The shape of a generated library. Every show gets the same number of seasons and every
/// season the same number of episodes, so [`Spec::episodes`] is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub franchises: usize,
    pub shows_per_franchise: usize,
    pub seasons_per_show: usize,
    pub episodes_per_season: usize,
    pub seed: u64,
}

impl Spec {
    /// How many episodes the library will have.
    pub fn episodes(&self) -> usize {
        self.franchises
            * self.shows_per_franchise
            * self.seasons_per_show
            * self.episodes_per_season
    }

    /// About the size of the shipped catalog: one franchise, 108 episodes.
    pub fn catalog_sized() -> Spec {
        Spec {
            franchises: 1,
            shows_per_franchise: 4,
            seasons_per_show: 3,
            episodes_per_season: 9,
            seed: 0x5eed_0108,
        }
    }

    /// A heavy user: 10 franchises × 50 shows × 5 seasons × 10 episodes = 25,000 episodes.
    pub fn power_user() -> Spec {
        Spec {
            franchises: 10,
            shows_per_franchise: 50,
            seasons_per_show: 5,
            episodes_per_season: 10,
            seed: 0x5eed_25000,
        }
    }
}

/// "Today" for generated data: watch dates are never after it, upcoming shows start after it.
/// Fixed, so the same seed gives the same file on any day.
const NOW: Date = date(2026, 6, 1);

/// SplitMix64: tiny, fast, and good enough for shaping test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`; `n` must be positive.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Builds the library `spec` describes. Same spec (seed included), same library.
pub fn library(spec: &Spec) -> Library {
    let mut rng = Rng(spec.seed);
    let mut franchise_ids = HashSet::new();
    let mut show_ids = HashSet::new();
    let mut franchises = Vec::with_capacity(spec.franchises);
    for f in 0..spec.franchises {
        let core = format!("{} {}", rng.pick(FRANCHISE_ADJ), rng.pick(FRANCHISE_NOUN));
        let title = format!("{core} {}", rng.pick(FRANCHISE_KIND));
        let id = unique_slug(&title, "franchise", &mut franchise_ids);
        let start_year = rng.range(1990, 2012);
        let mut franchise = Franchise {
            id,
            title,
            based_on: rng
                .chance(50)
                .then(|| format!("The novels of {}", person(&mut rng))),
            notes: if rng.chance(30) {
                note(&mut rng)
            } else {
                String::new()
            },
            shows: Vec::new(),
            watch_order: Vec::new(),
        };
        let mut shows: Vec<Show> = Vec::with_capacity(spec.shows_per_franchise);
        for s in 0..spec.shows_per_franchise {
            let show = gen_show(
                &mut rng,
                spec,
                &core,
                f,
                s,
                start_year,
                &shows,
                &mut show_ids,
            );
            shows.push(show);
        }
        if shows.len() >= 2 && rng.chance(30) {
            franchise.watch_order = curated_order(&shows[..2]);
        }
        // `Into` keeps this working whether the model holds shows by value or behind a
        // shared pointer.
        #[allow(clippy::useless_conversion)]
        {
            franchise.shows = shows.into_iter().map(Into::into).collect();
        }
        franchises.push(franchise);
    }
    Library {
        version: FORMAT_VERSION,
        catalog_version: None,
        settings: Settings::default(),
        removed: Default::default(),
        franchises,
    }
}

/// The first two shows interleaved season by season: a typical fan-made watch order.
fn curated_order(shows: &[Show]) -> Vec<String> {
    let mut keys = Vec::new();
    let seasons = shows.iter().map(|s| s.seasons.len()).max().unwrap_or(0);
    for se in 0..seasons {
        for show in shows {
            if let Some(season) = show.seasons.get(se) {
                keys.extend(season.episodes.iter().map(|e| {
                    format!(
                        "{} {}",
                        show.id,
                        fantrack::model::episode_code(season.number, e.number)
                    )
                }));
            }
        }
    }
    keys
}

#[allow(clippy::too_many_arguments)]
fn gen_show(
    rng: &mut Rng,
    spec: &Spec,
    core: &str,
    f: usize,
    s: usize,
    start_year: i64,
    earlier: &[Show],
    show_ids: &mut HashSet<String>,
) -> Show {
    // The first show carries the franchise's name; the others grow out of an earlier one
    // (never a later one, so the links cannot loop) or stand alone in the same world.
    let origin = (s > 0 && rng.chance(75)).then(|| {
        let parent = &earlier[rng.below(earlier.len())];
        let kind = match rng.below(100) {
            0..=59 => OriginKind::SpinOff,
            60..=84 => OriginKind::Sequel,
            _ => OriginKind::Prequel,
        };
        Origin {
            show: parent.id.clone(),
            kind,
        }
    });
    let title = match (s, &origin) {
        (0, _) => core.to_string(),
        (_, Some(o)) if rng.chance(60) => {
            let parent = earlier
                .iter()
                .find(|p| p.id == o.show)
                .map_or(core, |p| p.title.as_str());
            // Keep titles from growing "A: B: C: D" along long spin-off chains.
            let stem = parent.split(':').next().unwrap_or(parent);
            format!("{stem}: {}", rng.pick(SPIN_SUFFIX))
        }
        _ if rng.chance(50) => format!("{}: {}", core, rng.pick(NAMES)),
        _ => format!("{} {}", rng.pick(NAMES), rng.pick(TITLE_NOUN)),
    };
    let id = unique_slug(&title, &format!("show-{f}-{s}"), show_ids);

    let status = match rng.below(100) {
        0..=39 => Status::Ended,
        40..=59 => Status::Running,
        60..=74 => Status::Renewed,
        75..=89 => Status::Cancelled,
        _ => Status::Upcoming,
    };
    let premiere = if status == Status::Upcoming {
        plus_days(NOW, rng.range(30, 700))
    } else {
        // Old enough that every season has aired by NOW.
        let latest = 2026 - spec.seasons_per_show as i64 - 1;
        let year = rng.range(start_year.min(latest), latest.max(start_year));
        date(year as i16, 1, 1).saturating_add(Span::new().days(rng.range(0, 364)))
    };
    let network = rng.chance(90).then(|| rng.pick(NETWORKS).to_string());

    // How far this user got: all of it, up to some point, or none (about 60% overall).
    let total = spec.seasons_per_show * spec.episodes_per_season;
    let watched_upto = match rng.below(100) {
        0..=39 => total,
        40..=79 => rng.below(total + 1),
        _ => 0,
    };

    let mut seasons = Vec::with_capacity(spec.seasons_per_show);
    let mut season_start = premiere;
    let mut index = 0;
    let mut last_air = premiere;
    for se in 0..spec.seasons_per_show {
        let number = se as u32 + 1;
        // Streaming drops release a whole season on one day; broadcast is weekly.
        let drop = rng.chance(30);
        let mut episodes = Vec::with_capacity(spec.episodes_per_season);
        for e in 0..spec.episodes_per_season {
            let air = if drop {
                season_start
            } else {
                plus_days(season_start, 7 * e as i64)
            };
            last_air = air;
            let watched = if index < watched_upto && air < NOW {
                watch_dates(rng, air)
            } else {
                Vec::new()
            };
            index += 1;
            episodes.push(Episode {
                number: e as u32 + 1,
                title: rng.chance(88).then(|| episode_title(rng)),
                air_date: rng.chance(97).then_some(air),
                runtime: rng.chance(90).then(|| rng.range(22, 62) as u32),
                directed_by: rng.chance(50).then(|| person(rng)),
                written_by: rng.chance(40).then(|| person(rng)),
                ids: Default::default(),
                tvmaze: None,
                crossovers: if s > 0 && rng.chance(2) {
                    vec![format!("{} appears", rng.pick(NAMES))]
                } else {
                    Vec::new()
                },
                sources: if rng.chance(25) {
                    vec![format!(
                        "https://example.org/{id}/{}",
                        fantrack::model::episode_code(number, e as u32 + 1).to_lowercase()
                    )]
                } else {
                    Vec::new()
                },
                rating: (!watched.is_empty() && rng.chance(10)).then(|| rng.range(1, 5) as u8),
                watched,
                notes: if rng.chance(5) {
                    note(rng)
                } else {
                    String::new()
                },
                rating_of_10: None,
            });
        }
        seasons.push(Season {
            number,
            premiere: Some(season_start),
            rotten_tomatoes: rng.chance(30).then(|| score(rng)),
            adapts: if rng.chance(20) {
                vec![format!(
                    "The {} {}",
                    rng.pick(TITLE_ADJ),
                    rng.pick(TITLE_NOUN)
                )]
            } else {
                Vec::new()
            },
            sources: Vec::new(),
            rating: rng.chance(10).then(|| rng.range(1, 5) as u8),
            notes: if rng.chance(5) {
                note(rng)
            } else {
                String::new()
            },
            episodes,
            specials: Vec::new(),
            rating_of_10: None,
        });
        // The next season a year or so after this one ended.
        season_start = plus_days(last_air, rng.range(200, 420));
    }

    let finale = matches!(status, Status::Ended | Status::Cancelled).then_some(last_air);
    let renewal = (status == Status::Renewed).then(|| Renewal {
        season: spec.seasons_per_show as u32 + 1,
        announced: rng
            .chance(70)
            .then(|| plus_days(last_air, rng.range(10, 120))),
    });
    let mut events = vec![Event {
        kind: EventKind::Premiered,
        date: Some(premiere),
        when: None,
        what: "Series premiere.".into(),
        sources: Vec::new(),
        yours: false,
    }];
    if rng.chance(40) {
        events.insert(
            0,
            Event {
                kind: EventKind::Ordered,
                date: None,
                when: Some(format!(
                    "{} {}",
                    rng.pick(&["Spring", "Fall"]),
                    premiere.year() - 1
                )),
                what: format!("Ordered by {}.", network.as_deref().unwrap_or("a streamer")),
                sources: Vec::new(),
                yours: false,
            },
        );
    }
    if let Some(d) = finale {
        events.push(Event {
            kind: EventKind::Ended,
            date: Some(d),
            when: None,
            what: "Final episode aired.".into(),
            sources: vec![format!("https://example.org/{id}")],
            yours: false,
        });
    }
    let cast = (0..2 + rng.below(5))
        .map(|_| Role {
            actor: person(rng),
            character: rng
                .chance(85)
                .then(|| format!("Det. {}", rng.pick(SURNAMES))),
        })
        .collect();
    let mut sources = BTreeMap::new();
    if rng.chance(60) {
        sources.insert(
            "premiere".to_string(),
            vec![format!("https://example.org/{id}")],
        );
    }
    Show {
        title,
        ids: Default::default(),
        origin,
        network,
        status,
        premiere: Some(premiere),
        finale,
        renewal,
        rotten_tomatoes: rng.chance(50).then(|| score(rng)),
        creators: (0..1 + rng.below(2)).map(|_| person(rng)).collect(),
        cast,
        based_on: None,
        events,
        sources,
        summary: None,
        tvmaze: None,
        rating: None,
        rating_of_10: None,
        notes: if rng.chance(10) {
            note(rng)
        } else {
            String::new()
        },
        seasons,
        id,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use fantrack::store;

    fn small() -> Spec {
        Spec {
            franchises: 3,
            shows_per_franchise: 12,
            seasons_per_show: 2,
            episodes_per_season: 7,
            seed: 42,
        }
    }

    fn count(lib: &Library) -> usize {
        lib.franchises
            .iter()
            .flat_map(|f| &f.shows)
            .flat_map(|s| &s.seasons)
            .map(|s| s.episodes.len())
            .sum()
    }

    #[test]
    fn presets_have_the_promised_episode_counts() {
        assert_eq!(Spec::catalog_sized().episodes(), 108);
        assert_eq!(Spec::power_user().episodes(), 25_000);
        assert_eq!(count(&library(&Spec::catalog_sized())), 108);
        assert_eq!(count(&library(&small())), small().episodes());
    }

    #[test]
    fn power_user_library_has_25000_episodes_and_is_valid() {
        let lib = library(&Spec::power_user());
        assert_eq!(count(&lib), 25_000);
        store::validate(&lib, "").map_err(|e| e.0).expect("valid");
    }

    #[test]
    fn generated_libraries_validate_and_round_trip() {
        for spec in [small(), Spec::catalog_sized()] {
            let lib = library(&spec);
            store::validate(&lib, "").map_err(|e| e.0).expect("valid");
            let text = store::to_text(&lib).expect("serialises");
            let again = store::parse(&text, Path::new("generated.ron")).expect("parses");
            assert_eq!(lib, again);
            assert_eq!(store::to_text(&again).expect("serialises"), text);
        }
    }

    /// The full 25,000-episode file: slow in a debug build, so opt-in
    /// (`cargo test --release --lib generate -- --ignored`).
    #[test]
    #[ignore = "slow in debug builds"]
    fn power_user_library_round_trips() {
        let lib = library(&Spec::power_user());
        let text = store::to_text(&lib).expect("serialises");
        let again = store::parse(&text, Path::new("generated.ron")).expect("parses");
        assert_eq!(lib, again);
    }

    #[test]
    fn the_same_seed_gives_the_same_text_and_another_seed_does_not() {
        let a = store::to_text(&library(&small())).expect("serialises");
        let b = store::to_text(&library(&small())).expect("serialises");
        assert_eq!(a, b);
        let other = Spec {
            seed: 43,
            ..small()
        };
        assert_ne!(a, store::to_text(&library(&other)).expect("serialises"));
    }

    #[test]
    fn data_looks_like_a_real_library() {
        let lib = library(&Spec::power_user());
        let episodes: Vec<&Episode> = lib
            .franchises
            .iter()
            .flat_map(|f| &f.shows)
            .flat_map(|s| &s.seasons)
            .flat_map(|s| &s.episodes)
            .collect();
        let share = |p: &dyn Fn(&Episode) -> bool| {
            episodes.iter().filter(|e| p(e)).count() * 100 / episodes.len()
        };
        let watched = share(&|e| e.is_watched());
        assert!((45..=75).contains(&watched), "watched {watched}%");
        let noted = share(&|e| !e.notes.is_empty());
        assert!((3..=8).contains(&noted), "notes {noted}%");
        assert!(share(&|e| e.runtime.is_none()) > 0);
        assert!(share(&|e| e.title.is_none()) > 0);
        assert!(episodes.iter().all(|e| e.watched.len() <= 3));
        assert!(
            episodes
                .iter()
                .any(|e| e.title.as_deref().is_some_and(|t| !t.is_ascii()))
        );
        // Watches happen after airing, in order.
        for e in &episodes {
            if let Some(aired) = e.air_date {
                assert!(e.watched.iter().all(|w| *w >= aired && *w <= NOW));
            }
            assert!(e.watched.windows(2).all(|w| w[0] <= w[1]));
        }
        for f in &lib.franchises {
            for (i, show) in f.shows.iter().enumerate() {
                // Origins point only to earlier shows of the same franchise.
                if let Some(o) = &show.origin {
                    let parent = f.shows.iter().position(|p| p.id == o.show);
                    assert!(parent.is_some_and(|p| p < i), "{} -> {}", show.id, o.show);
                }
                let premieres: Vec<_> = show.seasons.iter().map(|s| s.premiere).collect();
                assert!(premieres.windows(2).all(|w| w[0] < w[1]));
            }
            assert!(f.shows.iter().filter(|s| s.origin.is_some()).count() > 10);
        }
    }

    #[test]
    fn slugs_are_ascii_and_unique() {
        assert_eq!(slug("Señor Café: Los Ángeles"), "senor-cafe-los-angeles");
        assert_eq!(slug("東京"), "");
        let mut used = HashSet::new();
        assert_eq!(unique_slug("東京", "show-0-1", &mut used), "show-0-1");
        assert_eq!(unique_slug("A b", "x", &mut used), "a-b");
        assert_eq!(unique_slug("a-b", "x", &mut used), "a-b-2");
    }
}
