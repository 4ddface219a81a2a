//! Figures over the whole library for `fantrack stats` and the app's stats view: viewings per
//! month, time watched and left per show, completion per franchise, the longest streak.
//! Pure: `today` comes in, so the figures are testable.

use jiff::civil::Date;
use serde::Serialize;

use super::Library;

/// Everything `stats` shows. Serialized as the `stats --json` document (a stable shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LibraryStats {
    /// The last 24 months, oldest first, this month last; every month present (0 when empty).
    pub months: Vec<MonthCount>,
    pub shows: Vec<ShowTime>,
    pub franchises: Vec<Completion>,
    /// `None` when nothing was ever watched.
    pub longest_streak: Option<Streak>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthCount {
    /// "2026-12"
    pub month: String,
    /// Viewings that month (a rewatch counts again).
    pub episodes: usize,
}

/// Time counts only episodes with a known runtime; `unknown_runtime` says how many lack one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShowTime {
    pub id: String,
    pub title: String,
    pub watched: usize,
    pub total: usize,
    pub minutes_watched: u64,
    pub minutes_left: u64,
    pub unknown_runtime: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Completion {
    pub id: String,
    pub title: String,
    pub watched: usize,
    pub total: usize,
    /// Whole percent, rounded down (100 only when all are watched).
    pub percent: u32,
}

/// Days in a row with at least one viewing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Streak {
    pub days: u32,
    pub from: Date,
    pub to: Date,
}

/// Computes the figures as of `today`.
pub fn library_stats(library: &Library, today: Date) -> LibraryStats {
    let mut days: Vec<Date> = Vec::new();
    let mut shows = Vec::new();
    let mut franchises = Vec::new();
    for franchise in &library.franchises {
        for show in &franchise.shows {
            for (_, e) in show.episodes() {
                days.extend(e.watched.iter().copied());
            }
            let st = show.stats();
            shows.push(ShowTime {
                id: show.id.clone(),
                title: show.title.clone(),
                watched: st.watched,
                total: st.watched + st.left,
                minutes_watched: st.minutes_watched,
                minutes_left: st.minutes_left,
                unknown_runtime: st.missing_runtime,
            });
        }
        let p = franchise.progress();
        franchises.push(Completion {
            id: franchise.id.clone(),
            title: franchise.title.clone(),
            watched: p.watched,
            total: p.total,
            percent: percent(p.watched, p.total),
        });
    }
    days.sort();
    LibraryStats {
        months: months(&days, today),
        shows,
        franchises,
        longest_streak: longest_streak(&days),
    }
}

fn percent(part: usize, whole: usize) -> u32 {
    if whole == 0 {
        return 0;
    }
    u32::try_from(part * 100 / whole).unwrap_or(100)
}

fn months(days: &[Date], today: Date) -> Vec<MonthCount> {
    let this = (i32::from(today.year()), i32::from(today.month()));
    (0..24)
        .rev()
        .map(|back| {
            let index = this.0 * 12 + this.1 - 1 - back;
            let (year, month) = (index.div_euclid(12), index.rem_euclid(12) + 1);
            let episodes = days
                .iter()
                .filter(|d| i32::from(d.year()) == year && i32::from(d.month()) == month)
                .count();
            MonthCount {
                month: format!("{year:04}-{month:02}"),
                episodes,
            }
        })
        .collect()
}

/// `days` sorted; repeats (two viewings a day) count once. The first longest run wins.
fn longest_streak(days: &[Date]) -> Option<Streak> {
    let mut best: Option<Streak> = None;
    let mut current: Option<Streak> = None;
    for &day in days {
        current = match current {
            Some(mut run) if run.to == day => Some({
                run.to = day;
                run
            }),
            Some(mut run) if run.to.tomorrow().ok() == Some(day) => {
                run.to = day;
                run.days += 1;
                Some(run)
            }
            _ => Some(Streak {
                days: 1,
                from: day,
                to: day,
            }),
        };
        if let Some(run) = &current
            && best.as_ref().is_none_or(|b| run.days > b.days)
        {
            best = Some(run.clone());
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn streak_counts_consecutive_days_once_each() {
        let days = [
            date(2026, 1, 30),
            date(2026, 1, 31),
            date(2026, 1, 31),
            date(2026, 2, 1),
            date(2026, 3, 5),
            date(2026, 3, 6),
        ];
        assert_eq!(
            longest_streak(&days),
            Some(Streak {
                days: 3,
                from: date(2026, 1, 30),
                to: date(2026, 2, 1)
            })
        );
        assert_eq!(longest_streak(&[]), None);
    }

    #[test]
    fn stats_count_months_time_and_completion() {
        let mut library = crate::model::fixture::shipped_catalog();
        let bosch = &mut library.franchises[0].shows[0];
        bosch.seasons[0].episodes[0].watched = vec![date(2026, 11, 3), date(2026, 12, 1)];
        bosch.seasons[0].episodes[1].watched = vec![date(2024, 12, 31)];
        bosch.seasons[0].episodes[2].watched = vec![date(2026, 11, 4)];
        let st = library_stats(&library, date(2026, 12, 2));
        assert_eq!(st.months.len(), 24);
        assert_eq!(st.months[0].month, "2025-01");
        assert_eq!(st.months[23].month, "2026-12");
        let count = |m: &str| st.months.iter().find(|x| x.month == m).map(|x| x.episodes);
        assert_eq!(count("2026-12"), Some(1));
        assert_eq!(count("2026-11"), Some(2));
        // December 2024 is more than two years back: outside the window.
        assert_eq!(count("2024-12"), None);
        let show = &st.shows[0];
        assert_eq!((show.id.as_str(), show.watched), ("bosch", 3));
        assert!(show.minutes_watched > 0);
        assert_eq!(st.franchises[0].watched, 3);
        assert!(st.franchises[0].percent < 100);
        assert_eq!(st.longest_streak.map(|s| s.days), Some(2));
    }
}
