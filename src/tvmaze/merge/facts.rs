//! One fact's merge (TVmaze's new value only over TVmaze's old one) and the changes said.

use std::collections::BTreeSet;

use jiff::civil::Date;

use crate::catalog::{Change, ChangeKind};
use crate::model::{Episode, TvmazeEpisode, episode_code, episode_key, season_key};

/// A fact's value: whether it is unknown, and how to show it in a change.
pub(super) trait Value: PartialEq + Clone {
    fn is_unknown(&self) -> bool;
    fn describe(&self) -> String;
}

impl Value for String {
    fn is_unknown(&self) -> bool {
        self.is_empty()
    }
    fn describe(&self) -> String {
        // Summaries are long: a change shows their start.
        let short: String = self.chars().take(40).collect();
        if short.len() < self.len() {
            format!("\"{short}…\"")
        } else {
            format!("\"{self}\"")
        }
    }
}

impl Value for Date {
    fn is_unknown(&self) -> bool {
        false
    }
    fn describe(&self) -> String {
        self.to_string()
    }
}

impl Value for u32 {
    fn is_unknown(&self) -> bool {
        false
    }
    fn describe(&self) -> String {
        format!("{self} min")
    }
}

impl<T: Value> Value for Option<T> {
    fn is_unknown(&self) -> bool {
        self.is_none()
    }
    fn describe(&self) -> String {
        self.as_ref()
            .map_or_else(|| "unknown".into(), Value::describe)
    }
}

pub(super) struct Merge<'r> {
    pub(super) changes: Vec<Change>,
    /// The library's tombstones: what the user deleted.
    pub(super) removed: &'r BTreeSet<String>,
    /// Seasons already reported kept deleted (one line per season, not one per episode).
    pub(super) said: Vec<u32>,
}

impl Merge<'_> {
    pub(super) fn push(&mut self, kind: ChangeKind, what: String) {
        self.changes.push(Change { kind, what });
    }

    /// Whether the user deleted season `season` of `show` (or episode `episode` of it): then
    /// TVmaze's copy stays out, said once per season.
    pub(super) fn deleted(
        &mut self,
        show: &str,
        l: &str,
        season: u32,
        episode: Option<u32>,
    ) -> bool {
        if self.removed.contains(&season_key(show, season)) {
            if !self.said.contains(&season) {
                self.said.push(season);
                self.push(
                    ChangeKind::KeptDeleted,
                    format!("{l} season {season}: kept deleted"),
                );
            }
            return true;
        }
        match episode {
            Some(e) if self.removed.contains(&episode_key(show, season, e)) => {
                self.push(
                    ChangeKind::KeptDeleted,
                    format!("{l} {}: kept deleted", episode_code(season, e)),
                );
                true
            }
            _ => false,
        }
    }

    /// Merges one fact. `base` is what TVmaze gave last time (`None`: not known, so only a
    /// gap is filled); it becomes TVmaze's new value.
    pub(super) fn fact<T: Value>(
        &mut self,
        label: &str,
        field: &str,
        user: &mut T,
        base: Option<&mut T>,
        new: &T,
    ) {
        if new.is_unknown() {
            return; // known stays known, and the base stays what it was
        }
        let edited = match &base {
            Some(b) if **b == *new => return, // TVmaze did not change it
            Some(b) => *user != **b,
            None => !user.is_unknown(),
        };
        if *user == *new {
            // already TVmaze's value
        } else if !edited {
            self.push(
                ChangeKind::Fact,
                format!("{label}: {field} {} → {}", user.describe(), new.describe()),
            );
            *user = new.clone();
        } else {
            self.push(
                ChangeKind::KeptUserEdit,
                format!(
                    "{label}: {field} kept yours, {} (TVmaze: {})",
                    user.describe(),
                    new.describe()
                ),
            );
        }
        if let Some(b) = base {
            *b = new.clone();
        }
    }

    pub(super) fn episode(
        &mut self,
        label: &str,
        ep: &mut Episode,
        new: &TvmazeEpisode,
        tvmaze_id: u64,
    ) {
        if ep.ids.tvmaze.is_none() {
            ep.ids.tvmaze = Some(tvmaze_id);
        }
        let mut base = ep.tvmaze.take();
        self.fact(
            label,
            "title",
            &mut ep.title,
            base.as_mut().map(|b| &mut b.title),
            &new.title,
        );
        self.fact(
            label,
            "air date",
            &mut ep.air_date,
            base.as_mut().map(|b| &mut b.air_date),
            &new.air_date,
        );
        self.fact(
            label,
            "runtime",
            &mut ep.runtime,
            base.as_mut().map(|b| &mut b.runtime),
            &new.runtime,
        );
        ep.tvmaze = Some(match base {
            Some(mut b) => {
                // The marker follows the runtime TVmaze gives (a dropped one keeps both).
                if new.runtime.is_some() {
                    b.runtime_is_average = new.runtime_is_average;
                }
                b
            }
            None => Box::new(new.clone()),
        });
    }
}
