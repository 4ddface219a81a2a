//! The franchise pane's "Upcoming": its episodes with a known air date from today on, soonest
//! first, with the network (listed as `tvmaze::merge::upcoming` and `fantrack upcoming` list
//! them).

use ratatui::text::{Line, Span};

use crate::app::App;
use crate::model::{Episode, Franchise, FranchiseTally, Season, Show, Upcoming, episode_code};

/// The most upcoming episodes the pane lists; the rest are counted.
const LISTED: usize = 8;

/// `S02E03`, or `S02 special 1`, as `merge::upcoming` writes it.
fn code(u: &Upcoming, season: &Season, episode: &Episode) -> String {
    if u.special {
        format!("S{:02} special {}", season.number, episode.number)
    } else {
        episode_code(season.number, episode.number)
    }
}

/// The "Upcoming" lines of franchise `franchise`, from its tally (what airs from today on).
pub fn lines(app: &App, franchise: usize, tally: &FranchiseTally) -> Vec<Line<'static>> {
    let Some(f) = app.library().franchises.get(franchise) else {
        return Vec::new();
    };
    let list = &tally.upcoming;
    if list.is_empty() {
        return Vec::new();
    }
    let theme = app.theme();
    let mut lines = vec![Line::raw(""), Line::styled("Upcoming", theme.label)];
    for u in list.iter().take(LISTED) {
        let Some((show, season, episode)) = resolve(f, u) else {
            continue;
        };
        let mut spans = vec![
            Span::raw(format!("  {}  ", app.dates().show(u.date))),
            Span::styled(format!("{} ", show.title), theme.title),
            Span::raw(code(u, season, episode)),
        ];
        if let Some(title) = &episode.title {
            spans.push(Span::raw(format!(" {title}")));
        }
        if let Some(network) = &show.network {
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

fn resolve<'a>(f: &'a Franchise, u: &Upcoming) -> Option<(&'a Show, &'a Season, &'a Episode)> {
    let show = f.shows.get(u.show)?;
    let season = show.seasons.get(u.season)?;
    Some((show, season, FranchiseTally::upcoming_episode(f, u)?))
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
            let tally = FranchiseTally::of(f, library.settings.order, today);
            let got: Vec<_> = tally
                .upcoming
                .iter()
                .map(|u| {
                    let (show, season, episode) = resolve(f, u).expect("points at an episode");
                    (
                        u.date,
                        show.title.clone(),
                        code(u, season, episode),
                        episode.title.clone(),
                        show.network.clone(),
                    )
                })
                .collect();
            assert_eq!(got, want, "on {day}");
            listed += got.len();
        }
        assert!(listed > 0, "the catalog has dated episodes to compare");
    }
}
