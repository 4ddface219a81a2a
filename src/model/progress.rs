//! Progress and time: watched out of all, and what is left.

use std::fmt;

/// Watched episodes out of all episodes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub watched: usize,
    pub total: usize,
}

impl std::ops::Add for Progress {
    type Output = Progress;

    fn add(self, other: Progress) -> Progress {
        Progress {
            watched: self.watched + other.watched,
            total: self.total + other.total,
        }
    }
}

impl Progress {
    pub fn is_complete(self) -> bool {
        self.total > 0 && self.watched == self.total
    }

    /// 0.0..=1.0; an empty item counts as 0.
    pub fn ratio(self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.watched as f64 / self.total as f64
        }
    }
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.watched, self.total)
    }
}

/// The index of the first item after the furthest one that `watched` holds for; when all after
/// it are watched, the first unwatched item at all. `None` when every item is watched.
pub fn next_after_furthest<T>(items: &[T], watched: impl Fn(&T) -> bool) -> Option<usize> {
    let start = items.iter().rposition(&watched).map_or(0, |i| i + 1);
    (start..items.len())
        .chain(0..start)
        .find(|&i| items.get(i).is_some_and(|item| !watched(item)))
}

/// Episodes and time watched and left. Time counts only episodes with a known runtime;
/// `missing_runtime` says how many lack one, instead of guessing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub watched: usize,
    pub left: usize,
    /// Rewatches count again.
    pub minutes_watched: u64,
    pub minutes_left: u64,
    pub missing_runtime: usize,
}

impl std::ops::Add for Stats {
    type Output = Stats;

    fn add(self, o: Stats) -> Stats {
        Stats {
            watched: self.watched + o.watched,
            left: self.left + o.left,
            minutes_watched: self.minutes_watched + o.minutes_watched,
            minutes_left: self.minutes_left + o.minutes_left,
            missing_runtime: self.missing_runtime + o.missing_runtime,
        }
    }
}
