//! The franchise pane's "Upcoming": its episodes with a known air date from today on, soonest
//! first, with the network (`tvmaze::merge::upcoming`, as `fantrack upcoming` lists them).

use ratatui::text::{Line, Span};

use crate::app::App;
use crate::model::Library;

/// The most upcoming episodes the pane lists; the rest are counted.
const LISTED: usize = 8;

pub fn lines(app: &App, franchise: usize) -> Vec<Line<'static>> {
    let Some(f) = app.library().franchises.get(franchise) else {
        return Vec::new();
    };
    // Only this franchise's shows (cheap: the shows are shared, not copied).
    let one = Library {
        version: app.library().version,
        catalog_version: None,
        settings: Default::default(),
        franchises: vec![f.clone()],
        removed: Default::default(),
    };
    let list = crate::tvmaze::merge::upcoming(&one, app.today(), None);
    if list.is_empty() {
        return Vec::new();
    }
    let theme = app.theme();
    let mut lines = vec![Line::raw(""), Line::styled("Upcoming", theme.label)];
    for u in list.iter().take(LISTED) {
        let mut spans = vec![
            Span::raw(format!("  {}  ", app.dates().show(u.date))),
            Span::styled(format!("{} ", u.show), theme.title),
            Span::raw(u.code.clone()),
        ];
        if let Some(title) = &u.title {
            spans.push(Span::raw(format!(" {title}")));
        }
        if let Some(network) = &u.network {
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
