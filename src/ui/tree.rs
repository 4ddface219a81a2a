//! The franchise tree pane: only the rows that fit are drawn, from the cached visible rows.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Padding;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::app::{App, Mode};
use crate::layout;
use crate::model::{NodeId, NodeRef};
use crate::present;
use crate::tree;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let focused = matches!(app.mode(), Mode::Normal | Mode::Search { .. });
    let title = match app.order_view() {
        Some(f) => {
            let franchise = app.library().franchises.get(f).map(|f| f.title.as_str());
            format!(
                " {} watch order · {} ",
                franchise.unwrap_or("Watch order"),
                crate::app::shown_order(app.library(), f)
            )
        }
        None => match app.filter().label() {
            Some(filter) => format!(" Franchise · {filter} "),
            None => " Franchise ".to_string(),
        },
    };
    let title = if app.shield().on {
        format!("{title}· spoiler shield ")
    } else {
        title
    };
    // A title wider than the border is cut with "…", not clipped mid-word.
    let room = usize::from(area.width.saturating_sub(2));
    let title = if title.width() <= room {
        title
    } else if title.trim_end().width() <= room {
        title.trim_end().to_string()
    } else {
        format!("{} ", truncate(title.trim_end(), room.saturating_sub(1)))
    };
    // A column of room inside the border on each side, as `layout::Screen::tree_rows` says.
    let block = super::block(title, focused, app.theme()).padding(Padding::horizontal(1));
    let inner = block.inner(area);
    frame.render_widget(block, area);

    // The app keeps the selection in view for the size it was told; a frame of another
    // size (before the app hears of it) still shows the selection.
    let height = usize::from(inner.height);
    let selected = app.selected_index();
    let offset = layout::scroll(app.tree_offset(), selected, app.rows().len(), height);

    // Rows go straight into the buffer: each is already cut to the width, so the paragraph
    // machinery (wrapping, truncation) would be work for nothing on every frame.
    let width = usize::from(inner.width);
    let rows = app.rows().iter().enumerate().skip(offset).take(height);
    for (y, (i, row)) in (inner.y..).zip(rows) {
        let line = match app.order_view() {
            Some(_) => order_line(app, row.id, width),
            None => row_line(app, row, width),
        };
        let line = if i == selected {
            line.patch_style(app.theme().selected)
        } else {
            line
        };
        frame.buffer_mut().set_line(inner.x, y, &line, inner.width);
    }
}

fn row_line(app: &App, row: &tree::Row, width: usize) -> Line<'static> {
    let lib = app.library();
    let theme = app.theme();
    let indent = "  ".repeat(row.depth);
    let node = lib.node(row.id);
    let (marker, marker_style) = match node {
        Some(NodeRef::Episode(_, _, episode)) => {
            if episode.is_watched() {
                ("✓ ", theme.watched)
            } else {
                ("· ", theme.dim)
            }
        }
        _ if row.has_children && app.is_open(row.id) => ("▼ ", Style::new()),
        _ if row.has_children => ("▶ ", Style::new()),
        _ => ("  ", Style::new()),
    };
    let hidden = app.shield().hides(row.id);
    let mut title = match node {
        Some(NodeRef::Episode(_, _, e)) if hidden => tree::hidden_title(e.number),
        _ => tree::title(lib, row.id),
    };
    if let Some(NodeRef::Episode(_, _, e)) = node
        && !hidden
        && !e.crossovers.is_empty()
    {
        title.push_str(" ⇄");
    }
    let (tag, short_tag) = match node {
        Some(NodeRef::Show(_, show)) => (tree::show_tag(show), tree::show_when(show)),
        _ => (String::new(), String::new()),
    };
    // A franchise's count walks thousands of episodes: the app keeps it between frames.
    let progress = match row.id {
        NodeId::Franchise(f) => app.franchise_progress(f).filter(|p| p.total > 0),
        _ => tree::progress(lib, row.id),
    }
    .map(|p| p.to_string())
    .unwrap_or_default();
    // The user's rating goes before the numbers: "★★★★ 1/10", or alone on an episode.
    let rating = match node {
        Some(NodeRef::Show(_, s)) => s.rating,
        Some(NodeRef::Season(_, s)) => s.rating,
        Some(NodeRef::Episode(_, _, e)) => e.rating,
        _ => None,
    };
    let progress = match rating.map(present::stars) {
        Some(stars) if progress.is_empty() => stars,
        Some(stars) => format!("{stars} {progress}"),
        None => progress,
    };
    let left_width = indent.width() + marker.width();
    // A spin-off nested under the show its title repeats ("Bosch: Legacy" under Bosch) is
    // known by the rest of its title when the row is too narrow for the title, its tag and count:
    // the nesting says the rest, and the relation and status stay readable.
    let both = format!("{tag}  {progress}");
    let wanted = if progress.is_empty() { &tag } else { &both };
    let title = match node {
        Some(NodeRef::Show(franchise, show))
            if !tag.is_empty() && left_width + title.width() + 1 + wanted.width() > width =>
        {
            nested_title(franchise, show).unwrap_or(title)
        }
        _ => title,
    };
    // In a narrow tree the title matters more than the tag: drop the tag before the title
    // would get fewer than 12 columns (or than its whole width, when shorter).
    let least = title.width().min(12);
    let fits = |right: &str| width.saturating_sub(left_width + right.width() + 1) >= least;
    let right = match (tag.is_empty(), progress.is_empty()) {
        (false, false) if fits(&both) => both,
        // The relation and status say more about a show than its count, which the pane
        // beside shows too.
        (false, _) if fits(&tag) => tag,
        (false, _) if fits(&short_tag) && progress.is_empty() => short_tag,
        _ => progress,
    };
    let right_width = right.width();
    // The title gets what is left; it is cut with "…" rather than pushing the numbers out.
    let room = width.saturating_sub(left_width + right_width + 1);
    let title = truncate(&title, room);
    let pad = width.saturating_sub(left_width + title.width() + right_width);
    let title_style = if app.is_match(row.id) {
        theme.matched
    } else if hidden {
        theme.dim
    } else if matches!(row.id, NodeId::Franchise(_) | NodeId::Show(..)) {
        theme.title
    } else {
        Style::new()
    };
    Line::from(vec![
        Span::raw(indent),
        Span::styled(marker, marker_style),
        Span::styled(title, title_style),
        Span::raw(" ".repeat(pad)),
        Span::styled(right, theme.dim),
    ])
}

/// `show`'s title without the title of a show above it and its ": " ("Bosch: Legacy" under
/// Bosch is "Legacy"); `None` when it does not start with one.
fn nested_title(franchise: &crate::model::Franchise, show: &crate::model::Show) -> Option<String> {
    let mut origin = show.origin.as_ref();
    // At most as many steps as there are shows: a loop in the file ends the walk.
    for _ in 0..franchise.shows.len() {
        let id = &origin?.show;
        let parent = franchise.shows.iter().find(|s| &s.id == id)?;
        if let Some(rest) = show
            .title
            .strip_prefix(parent.title.as_str())
            .and_then(|r| r.strip_prefix(": "))
            .filter(|r| !r.trim().is_empty())
        {
            return Some(rest.to_string());
        }
        origin = parent.origin.as_ref();
    }
    None
}

/// A line of the watch-order view: mark, show, code, title, and the air date on the right.
fn order_line(app: &App, id: NodeId, width: usize) -> Line<'static> {
    let Some(NodeRef::Episode(show, season, episode)) = app.library().node(id) else {
        return Line::raw(tree::title(app.library(), id));
    };
    let theme = app.theme();
    let (mark, mark_style) = if app.order_next() == Some(id) {
        ("▶ ", theme.key)
    } else if episode.is_watched() {
        ("✓ ", theme.watched)
    } else {
        ("· ", theme.dim)
    };
    let code = format!(
        "{} ",
        crate::model::episode_code(season.number, episode.number)
    );
    // The show's column gives way to the title in a narrow tree (the pane beside names the
    // show): at most 15 columns, never leaving the title fewer than 12, gone below 6.
    let fixed = mark.width() + code.width();
    let show_width = width.saturating_sub(fixed + 12 + 1).min(15);
    let show_col = if show_width >= 6 {
        let show_title = truncate(&show.title, show_width - 1);
        format!("{show_title:<show_width$}")
    } else {
        String::new()
    };
    let hidden = app.shield().hides(id);
    let mut title = present::episode_title(episode, hidden);
    if !hidden && !episode.crossovers.is_empty() {
        title.push_str(" ⇄");
    }
    // The air date is also in the pane beside; in a narrow tree the title matters more.
    let date = match episode.air_date {
        _ if width < 60 => String::new(),
        Some(d) => d.to_string(),
        None => "date unknown".to_string(),
    };
    let used = mark.width() + show_col.width() + code.width();
    let room = width.saturating_sub(used + date.width() + 1);
    let title = truncate(&title, room);
    let pad = width.saturating_sub(used + title.width() + date.width());
    let title_style = if app.is_match(id) {
        theme.matched
    } else if hidden {
        theme.dim
    } else {
        Style::new()
    };
    Line::from(vec![
        Span::styled(mark, mark_style),
        Span::styled(show_col, theme.title),
        Span::styled(code, theme.dim),
        Span::styled(title, title_style),
        Span::raw(" ".repeat(pad)),
        Span::styled(date, theme.dim),
    ])
}

/// Cuts `text` to at most `width` columns, ending in "…" when cut.
pub fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::truncate;

    #[test]
    fn truncation_counts_display_columns() {
        assert_eq!(truncate("Ballard", 10), "Ballard");
        assert_eq!(truncate("Bosch: Legacy", 6), "Bosch…");
        // Each CJK character is two columns wide.
        assert_eq!(truncate("日本語のタイトル", 7), "日本語…");
        assert_eq!(truncate("abc", 0), "");
    }
}
