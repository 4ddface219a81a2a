//! [`upcoming`]: the episodes airing from today on, soonest first.

use jiff::civil::Date;

use crate::model::{Library, episode_code};

/// An episode with a known air date from today on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upcoming {
    pub date: Date,
    pub show: String,
    pub show_id: String,
    /// `S02E03`, or `S02 special 1`.
    pub code: String,
    pub title: Option<String>,
    pub network: Option<String>,
}

/// Episodes airing from `today` on (within `days` days when given), soonest first.
pub fn upcoming(library: &Library, today: Date, days: Option<u32>) -> Vec<Upcoming> {
    let last = days.and_then(|d| today.checked_add(jiff::Span::new().days(i64::from(d))).ok());
    let mut out = Vec::new();
    for show in library.franchises.iter().flat_map(|f| &f.shows) {
        for se in &show.seasons {
            let regular = se
                .episodes
                .iter()
                .map(|e| (episode_code(se.number, e.number), e));
            let specials = se
                .specials
                .iter()
                .map(|e| (format!("S{:02} special {}", se.number, e.number), e));
            for (code, e) in regular.chain(specials) {
                let Some(date) = e.air_date else { continue };
                if date < today || last.is_some_and(|l| date > l) {
                    continue;
                }
                out.push(Upcoming {
                    date,
                    show: show.title.clone(),
                    show_id: show.id.clone(),
                    code,
                    title: e.title.clone(),
                    network: show.network.clone(),
                });
            }
        }
    }
    // Stable: a day's episodes keep show and episode order.
    out.sort_by_key(|u| u.date);
    out
}
