//! What the franchise pane sums over every episode of a franchise: its progress, stats, next
//! episode in its order, each show's progress and next episode, and what airs from today on.
//! A franchise holds thousands of episodes and the pane is redrawn at every key, so the app
//! counts this once per change of the library (see `app::tally`), not per frame.

use jiff::civil::Date;

use super::{Episode, EpisodeAt, Franchise, Order, Progress, Stats};

/// The sums of one franchise, as positions into it (names are looked up when drawn, through the
/// spoiler shield, which can change without the library changing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FranchiseTally {
    pub progress: Progress,
    pub stats: Stats,
    /// The next episode in the library's order (`settings.order`).
    pub next: Option<EpisodeAt>,
    /// True when that order lists no episode at all.
    pub order_empty: bool,
    /// Each show's, in file order.
    pub shows: Vec<ShowTally>,
    /// Episodes with a known air date from `today` on, soonest first.
    pub upcoming: Vec<Upcoming>,
}

/// One show's progress and next unwatched episode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShowTally {
    pub progress: Progress,
    /// See [`super::Show::next_unwatched`].
    pub next: Option<EpisodeAt>,
}

/// An episode (or a special) that airs on `date`, from today on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Upcoming {
    pub date: Date,
    pub show: usize,
    pub season: usize,
    /// Index into the season's `episodes`, or its `specials` when `special`.
    pub index: usize,
    pub special: bool,
}

impl FranchiseTally {
    pub fn of(f: &Franchise, order: Order, today: Date) -> FranchiseTally {
        let listed = f.order(order);
        let shows = f
            .shows
            .iter()
            .enumerate()
            .map(|(si, show)| ShowTally {
                progress: show.progress(),
                next: f.next_of_show(si),
            })
            .collect();
        FranchiseTally {
            progress: f.progress(),
            stats: f.stats(),
            next: f.next_in(&listed),
            order_empty: listed.is_empty(),
            shows,
            upcoming: upcoming(f, today),
        }
    }

    /// The episode an [`Upcoming`] points at.
    pub fn upcoming_episode<'a>(f: &'a Franchise, u: &Upcoming) -> Option<&'a Episode> {
        let season = f.shows.get(u.show)?.seasons.get(u.season)?;
        let list = if u.special {
            &season.specials
        } else {
            &season.episodes
        };
        list.get(u.index)
    }
}

impl Franchise {
    /// [`super::Show::next_unwatched`] of show `si`, as a position.
    pub fn next_of_show(&self, si: usize) -> Option<EpisodeAt> {
        let (season, episode) = self.shows.get(si)?.next_unwatched_at()?;
        Some(EpisodeAt {
            show: si,
            season,
            episode,
        })
    }
}

/// The franchise's episodes from `today` on, soonest first (stable: a day's episodes keep show
/// and episode order, regular episodes before a season's specials).
fn upcoming(f: &Franchise, today: Date) -> Vec<Upcoming> {
    let mut out = Vec::new();
    for (show, s) in f.shows.iter().enumerate() {
        for (season, se) in s.seasons.iter().enumerate() {
            let regular = se.episodes.iter().enumerate().map(|(i, e)| (i, e, false));
            let specials = se.specials.iter().enumerate().map(|(i, e)| (i, e, true));
            for (index, episode, special) in regular.chain(specials) {
                let Some(date) = episode.air_date.filter(|d| *d >= today) else {
                    continue;
                };
                out.push(Upcoming {
                    date,
                    show,
                    season,
                    index,
                    special,
                });
            }
        }
    }
    out.sort_by_key(|u| u.date);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::shipped_catalog;

    #[test]
    fn the_tally_says_what_the_franchise_and_its_shows_say() {
        let mut library = shipped_catalog();
        // Some watched, with a gap, so "next" is not simply the first episode.
        let f = &mut library.franchises[0];
        for e in f.shows[0].seasons[0].episodes.iter_mut().take(3) {
            e.watched.push(jiff::civil::date(2024, 1, 1));
        }
        let f = &library.franchises[0];
        for order in [Order::Release, Order::Curated] {
            let tally = FranchiseTally::of(f, order, jiff::civil::date(2020, 1, 1));
            assert_eq!(tally.progress, f.progress());
            assert_eq!(tally.stats, f.stats());
            let listed = f.order(order);
            assert_eq!(tally.next, f.next_in(&listed));
            assert_eq!(tally.order_empty, listed.is_empty());
            assert_eq!(tally.shows.len(), f.shows.len());
            for (show, t) in f.shows.iter().zip(&tally.shows) {
                assert_eq!(t.progress, show.progress());
                let want = show.next_unwatched().map(|(s, e)| (s, e.number));
                let got = t
                    .next
                    .and_then(|at| f.at(at))
                    .map(|(_, season, e)| (season.number, e.number));
                assert_eq!(got, want, "{}", show.title);
            }
        }
        let next = FranchiseTally::of(f, Order::Release, jiff::civil::date(2020, 1, 1)).next;
        assert!(
            next.is_some_and(|at| at != f.release_order()[0]),
            "{next:?}"
        );
    }

    #[test]
    fn upcoming_is_from_today_on_soonest_first() {
        let library = shipped_catalog();
        let f = &library.franchises[0];
        let today = jiff::civil::date(2020, 6, 1);
        let tally = FranchiseTally::of(f, Order::Release, today);
        assert!(!tally.upcoming.is_empty());
        assert!(tally.upcoming.windows(2).all(|w| w[0].date <= w[1].date));
        for u in &tally.upcoming {
            let e = FranchiseTally::upcoming_episode(f, u).expect("points at an episode");
            assert_eq!(e.air_date, Some(u.date));
            assert!(u.date >= today);
        }
        let dated = f
            .shows
            .iter()
            .flat_map(|s| &s.seasons)
            .flat_map(|se| se.episodes.iter().chain(&se.specials))
            .filter(|e| e.air_date.is_some_and(|d| d >= today))
            .count();
        assert_eq!(tally.upcoming.len(), dated);
    }
}
