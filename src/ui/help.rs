//! Overlays: the help screen, generated from the key tables, and the quit question.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::App;
use crate::keymap::{Binding, CONFIRM_QUIT, NORMAL, NOTES, SEARCH};

fn section(lines: &mut Vec<Line<'static>>, title: &str, bindings: &[Binding], app: &App) {
    lines.push(Line::styled(title.to_string(), app.theme.label));
    for b in bindings {
        let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<14}", keys.join(" ")), app.theme.key),
            Span::raw(b.help),
        ]));
    }
    lines.push(Line::raw(""));
}

pub fn draw(frame: &mut Frame, within: Rect, app: &App) {
    let mut lines = Vec::new();
    section(&mut lines, "Browse", NORMAL, app);
    section(&mut lines, "Search prompt (type to search)", SEARCH, app);
    section(&mut lines, "Notes editor (type to edit)", NOTES, app);
    lines.push(Line::styled(
        "Mouse: click selects, click again opens, wheel scrolls. Every change is saved at once.",
        app.theme.dim,
    ));
    let area = super::overlay(frame, within, 76, lines.len() as u16 + 2);
    let block = super::block(" Help · Esc or ? closes ", true, &app.theme);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

pub fn draw_confirm_quit(frame: &mut Frame, within: Rect, app: &App) {
    let reason = app.unsaved.clone().unwrap_or_default();
    let mut lines = vec![
        Line::styled("Your last change is not saved.", app.theme.error),
        Line::raw(reason),
        Line::raw(""),
    ];
    for b in CONFIRM_QUIT {
        let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<8}", keys.join(" ")), app.theme.key),
            Span::raw(b.help),
        ]));
    }
    let area = super::overlay(frame, within, 64, lines.len() as u16 + 4);
    let block = super::block(" Quit? ", true, &app.theme);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
