//! Overlays: the help screen, generated from the key tables, and the quit question.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Padding, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::action::Action;
use crate::app::App;
use crate::keymap::{self, Binding, CONFIRM_QUIT, Context, FORM, NOTES, SEARCH};

/// The keys' column: two spaces, then the keys padded to this width.
const KEYS: usize = 13;
/// The width one column of help needs for its longest entries; two columns only when both fit.
const COLUMN: usize = 47;

/// `text` in rows of at most `width` columns, broken at spaces; a word wider than a row is cut
/// with "…".
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut rows: Vec<String> = Vec::new();
    for word in text.split(' ') {
        let word = super::tree::truncate(word, width.max(1));
        match rows.last_mut() {
            Some(row) if row.width() + 1 + word.width() <= width => {
                row.push(' ');
                row.push_str(&word);
            }
            _ => rows.push(word),
        }
    }
    rows
}

/// One help entry: the keys, then what they do, wrapped at words under the text (a word too
/// long for the room is cut with "…", never silently).
fn entry(keys: &str, keys_width: usize, help: &str, width: usize, app: &App) -> Vec<Line<'static>> {
    // Keys as long as their column still get a space before the text.
    let gap = if keys.width() >= keys_width { " " } else { "" };
    let head = format!("  {keys:<keys_width$}{gap}");
    let room = width.saturating_sub(head.width()).max(1);
    wrap(help, room)
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let lead = if i == 0 {
                Span::styled(head.clone(), app.theme().key)
            } else {
                Span::raw(" ".repeat(head.width()))
            };
            Line::from(vec![lead, Span::raw(text)])
        })
        .collect()
}

fn section(
    lines: &mut Vec<Line<'static>>,
    title: &str,
    bindings: &[Binding],
    width: usize,
    app: &App,
) {
    lines.push(Line::styled(title.to_string(), app.theme().label));
    for b in bindings {
        let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
        lines.extend(entry(&keys.join(" "), KEYS, b.help, width, app));
    }
    lines.push(Line::raw(""));
}

fn mouse(lines: &mut Vec<Line<'static>>, width: usize, app: &App) {
    lines.push(Line::styled("Mouse", app.theme().label));
    lines.extend(entry(
        "click",
        KEYS,
        "selects, again opens or closes",
        width,
        app,
    ));
    lines.extend(entry("wheel", KEYS, "scrolls what is under it", width, app));
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        super::status::cut_at_word("Every change is saved at once.", width),
        app.theme().dim,
    ));
}

/// Moving around: the left column of the help screen. The rest of the browse keys act.
fn is_movement(action: Action) -> bool {
    matches!(
        action,
        Action::Up
            | Action::Down
            | Action::Expand
            | Action::Collapse
            | Action::ToggleOpen
            | Action::First
            | Action::Last
            | Action::PageUp
            | Action::PageDown
            | Action::DetailDown
            | Action::DetailUp
    )
}

/// The help's columns for an overlay `width` wide inside its border: two side by side when
/// both fit, else one.
fn columns(width: usize, app: &App) -> Vec<Vec<Line<'static>>> {
    let (moving, acting): (Vec<Binding>, Vec<Binding>) = Context::NORMAL
        .bindings()
        .iter()
        .partition(|b| is_movement(b.action));
    let two = width > 2 * COLUMN;
    let column = if two { (width - 1) / 2 } else { width };
    let mut left = Vec::new();
    section(&mut left, "Move", &moving, column, app);
    let mut right = Vec::new();
    let acts = if two { &mut right } else { &mut left };
    section(acts, "Do", &acting, column, app);
    section(
        &mut left,
        "Search prompt (type to search)",
        SEARCH,
        column,
        app,
    );
    section(&mut left, "Notes editor (type to edit)", NOTES, column, app);
    section(&mut left, "Forms (type into the field)", FORM, column, app);
    let rest = if two { &mut right } else { &mut left };
    mouse(rest, column, app);
    if two { vec![left, right] } else { vec![left] }
}

/// The help's box within `within`, its columns for that box, and how far it can scroll.
/// The columns are laid out once per frame: wrapping every entry is most of the help's cost.
fn geometry(within: Rect, app: &App) -> (Rect, Vec<Vec<Line<'static>>>, u16) {
    // One column of padding inside the border on each side.
    let width = 100.min(within.width);
    let inner_width = usize::from(width.saturating_sub(4));
    let columns = columns(inner_width, app);
    let len = columns.iter().map(Vec::len).max().unwrap_or(0) as u16;
    let height = len.saturating_add(2).min(within.height);
    let area = within.centered(Constraint::Length(width), Constraint::Length(height));
    (area, columns, len.saturating_sub(height.saturating_sub(2)))
}

/// Draws the help over `within`; returns how far it can scroll (its last line at the bottom).
pub fn draw(frame: &mut Frame, within: Rect, app: &App) -> u16 {
    let (area, columns, max) = geometry(within, app);
    frame.render_widget(Clear, area);
    let close: Vec<String> = keymap::keys_for(Context::HELP, Action::Cancel)
        .iter()
        .take(2)
        .map(|k| k.label())
        .collect();
    let title = format!(
        " Help · {} closes · {} {} scroll ",
        close.join(" or "),
        keymap::key_for(Context::HELP, Action::Down),
        keymap::key_for(Context::HELP, Action::Up)
    );
    // On a short terminal the help scrolls, never past its last line; the border says when
    // there is more above or below.
    let scroll = app.help_scroll().min(max);
    let mut block = super::block(title, true, app.theme()).padding(Padding::horizontal(1));
    if scroll > 0 {
        block = block.title_bottom(Line::styled(" ↑ more ", app.theme().dim).left_aligned());
    }
    if scroll < max {
        block = block.title_bottom(Line::styled(" ↓ more ", app.theme().dim).right_aligned());
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let areas: Vec<Rect> = if columns.len() == 2 {
        Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)])
            .spacing(1)
            .split(inner)
            .to_vec()
    } else {
        vec![inner]
    };
    // The entries are laid out to the column's width already: the rows in view go straight
    // into the buffer.
    let buf = frame.buffer_mut();
    for (lines, at) in columns.iter().zip(areas) {
        for (y, line) in (at.y..at.bottom()).zip(lines.iter().skip(usize::from(scroll))) {
            buf.set_line(at.x, y, line, at.width);
        }
    }
    max
}

pub fn draw_confirm_quit(frame: &mut Frame, within: Rect, app: &App) {
    let width = 64.min(within.width);
    // Inside the border and its padding.
    let room = usize::from(width.saturating_sub(4));
    let mut answers = vec![Line::raw("")];
    for b in CONFIRM_QUIT {
        let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
        answers.extend(entry(&keys.join(" "), 7, b.help, room, app));
    }
    // The answers always show, whatever the reason's length: the reason gets the rows left
    // and is cut with "…" when they are too few.
    let rows_left = usize::from(within.height.saturating_sub(2)).saturating_sub(answers.len());
    let mut lines = vec![Line::styled(
        super::status::cut_at_word("Your last change is not saved.", room),
        app.theme().error,
    )];
    let mut reason = wrap(app.unsaved().unwrap_or_default(), room);
    let reason_room = rows_left.saturating_sub(lines.len());
    if reason.len() > reason_room {
        reason.truncate(reason_room);
        if let Some(last) = reason.last_mut() {
            while !last.is_empty() && last.width() + 1 > room {
                last.pop();
            }
            last.push('…');
        }
    }
    lines.extend(reason.into_iter().map(Line::raw));
    lines.truncate(rows_left);
    lines.extend(answers);
    let area = super::overlay(frame, within, width, lines.len() as u16 + 2);
    let block = super::block(" Quit? ", true, app.theme()).padding(Padding::horizontal(1));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
