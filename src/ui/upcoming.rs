//! The franchise pane's "Upcoming": its episodes with a known air date from today on, soonest
//! first, with the network (listed as `tvmaze::merge::upcoming` and `fantrack upcoming` list
//! them).

use ratatui::text::{Line, Span};

use crate::app::App;
use crate::model::{Episode, Franchise, Show, episode_code};

/// The most upcoming episodes the pane lists; the rest are counted.
const LISTED: usize = 8;

/// One upcoming episode, borrowed: nothing is copied or formatted until it is listed.
struct Found<'a> {
    date: jiff::civil::Date,
    show: &'a Show,
    season: u32,
    episode: &'a Episode,
    special: bool,
}

impl Found<'_> {
    /// `S02E03`, or `S02 special 1`, as `merge::upcoming` writes it.
    fn code(&self) -> String {
        if self.special {
            format!("S{:02} special {}", self.season, self.episode.number)
        } else {
            episode_code(self.season, self.episode.number)
        }
    }
}

/// The franchise's episodes from `today` on, soonest first (stable: a day's episodes keep show
/// and episode order). The pane is drawn at every frame, so the walk only compares dates.
fn found(f: &Franchise, today: jiff::civil::Date) -> Vec<Found<'_>> {
    let mut out = Vec::new();
    for show in &f.shows {
        let show: &Show = show;
        for se in &show.seasons {
            let regular = se.episodes.iter().map(|e| (e, false));
            let specials = se.specials.iter().map(|e| (e, true));
            for (episode, special) in regular.chain(specials) {
                let Some(date) = episode.air_date.filter(|d| *d >= today) else {
                    continue;
                };
                out.push(Found {
                    date,
                    show,
                    season: se.number,
                    episode,
                    special,
                });
            }
        }
    }
    out.sort_by_key(|u| u.date);
    out
}

pub fn lines(app: &App, franchise: usize) -> Vec<Line<'static>> {
    let Some(f) = app.library().franchises.get(franchise) else {
        return Vec::new();
    };
    let list = found(f, app.today());
    if list.is_empty() {
        return Vec::new();
    }
    let theme = app.theme();
    let mut lines = vec![Line::raw(""), Line::styled("Upcoming", theme.label)];
    for u in list.iter().take(LISTED) {
        let mut spans = vec![
            Span::raw(format!("  {}  ", app.dates().show(u.date))),
            Span::styled(format!("{} ", u.show.title), theme.title),
            Span::raw(u.code()),
        ];
        if let Some(title) = &u.episode.title {
            spans.push(Span::raw(format!(" {title}")));
        }
        if let Some(network) = &u.show.network {
            spans.push(Span::styled(format!(" ({network})"), theme.dim));
        }
        lines.push(Line::from(spans));
    }
    if list.len() > LISTED {
        lines.push(Line::styled(
            format!("  … and {} more (fantrack upcoming)", list.len() - LISTED),
            theme.dim,
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Library;

    #[test]
    fn the_pane_lists_what_fantrack_upcoming_lists() {
        let library = crate::store::shipped_catalog();
        let f = &library.franchises[0];
        // Days across the catalog's air dates, so some lists are long and some empty.
        let mut listed = 0;
        for day in ["2014-01-01", "2020-06-01", "2024-01-01", "2100-01-01"] {
            let today: jiff::civil::Date = day.parse().expect("date");
            let one = Library {
                version: library.version,
                catalog_version: None,
                settings: Default::default(),
                franchises: vec![f.clone()],
                removed: Default::default(),
            };
            let want: Vec<_> = crate::tvmaze::merge::upcoming(&one, today, None)
                .into_iter()
                .map(|u| (u.date, u.show, u.code, u.title, u.network))
                .collect();
            let got: Vec<_> = found(f, today)
                .iter()
                .map(|u| {
                    (
                        u.date,
                        u.show.title.clone(),
                        u.code(),
                        u.episode.title.clone(),
                        u.show.network.clone(),
                    )
                })
                .collect();
            assert_eq!(got, want, "on {day}");
            listed += got.len();
        }
        assert!(listed > 0, "the catalog has dated episodes to compare");
    }
}
