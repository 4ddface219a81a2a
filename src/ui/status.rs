//! The bottom line: the search prompt while searching; otherwise the last message (errors in
//! red) on the left and the key hints of the current mode on the right.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{App, Mode, Status};
use crate::keymap;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme();
    if let Mode::Search { .. } = app.mode() {
        let count = match (app.query().is_empty(), app.match_count()) {
            (true, _) => "type to search show and episode titles".to_string(),
            (false, 0) => "no match".to_string(),
            (false, 1) => "1 match".to_string(),
            (false, n) => format!("{n} matches"),
        };
        let mut spans = vec![
            Span::styled("/", theme.key),
            Span::raw(app.query().to_string()),
            Span::styled("█", theme.dim),
            Span::styled(format!("  {count}"), theme.dim),
            Span::raw(" "),
        ];
        // "Enter select  Esc cancel", from the prompt's key table.
        let hinted = keymap::hints(app.keys());
        for (i, (key, hint)) in hinted.iter().enumerate() {
            let gap = if i + 1 < hinted.len() { " " } else { "" };
            spans.push(Span::styled(format!(" {}", key.label()), theme.key));
            spans.push(Span::raw(format!(" {hint}{gap}")));
        }
        let line = Line::from(spans);
        frame.render_widget(Paragraph::new(line), area);
        return;
    }

    if let Status::Error(text) = app.status() {
        // An error gets the whole line: it matters more than the key hints.
        frame.render_widget(
            Paragraph::new(Line::styled(
                cut_at_word(text, usize::from(area.width)),
                theme.error,
            )),
            area,
        );
        return;
    }
    // The hints are shown as far as they fit, the first ones given up first ("? help" and
    // "q quit" stay); next to a message they take at most three fifths of the line.
    let has_message = !matches!(app.status(), Status::Info(m) if m.is_empty());
    let budget = if has_message {
        usize::from(area.width) * 3 / 5
    } else {
        usize::from(area.width)
    };
    let mut hints = hints(app);
    while hints.width() > budget && !hints.spans.is_empty() {
        hints.spans.drain(..2.min(hints.spans.len()));
    }
    let hints_width = hints.width() as u16;
    let [left, right] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(hints_width)]).areas(area);
    let message = match app.status() {
        Status::Info(text) => Line::styled(text.clone(), theme.ok),
        Status::Error(text) => Line::styled(text.clone(), theme.error),
    };
    let message = match &app.unsaved() {
        // A failed save stays on screen until a save succeeds, whatever else is said.
        Some(_) if !matches!(app.status(), Status::Error(_)) => Line::styled(
            "NOT SAVED: the last save failed · next change retries",
            theme.error,
        ),
        _ => message,
    };
    let style = message.style;
    let message = Line::styled(
        cut_at_word(&message.to_string(), usize::from(left.width)),
        style,
    );
    frame.render_widget(Paragraph::new(message), left);
    frame.render_widget(Paragraph::new(hints).right_aligned(), right);
}

/// Cuts `text` to `width` columns at a word boundary, ending in "…" when cut.
pub fn cut_at_word(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split(' ') {
        let next = if out.is_empty() {
            word.to_string()
        } else {
            format!("{out} {word}")
        };
        if next.width() + 1 > width {
            break;
        }
        out = next;
    }
    if out.is_empty() {
        // One word wider than the room: cut it, still with the ellipsis.
        return super::tree::truncate(text, width);
    }
    out.push('…');
    out
}

/// "Space watched  e notes  / search  u undo  ? help  q quit" from the key table of the
/// current context (the watch order and the notes editor have their own).
fn hints(app: &App) -> Line<'static> {
    let theme = app.theme();
    let mut spans = Vec::new();
    for (key, hint) in keymap::hints(app.keys()) {
        spans.push(Span::styled(format!(" {}", key.label()), theme.key));
        spans.push(Span::raw(format!(" {hint} ")));
    }
    Line::from(spans)
}
