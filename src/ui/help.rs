//! Overlays: the help screen, generated from the key tables, and the quit question.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::App;
use crate::keymap::{Binding, CONFIRM_QUIT, NORMAL, NOTES, SEARCH};

fn section(lines: &mut Vec<Line<'static>>, title: &str, bindings: &[Binding], app: &App) {
    lines.push(Line::styled(title.to_string(), app.theme.label));
    for b in bindings {
        let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<12}", keys.join(" ")), app.theme.key),
            Span::raw(b.help),
        ]));
    }
    lines.push(Line::raw(""));
}

pub fn draw(frame: &mut Frame, within: Rect, app: &App) {
    // Two columns so every key fits on a 60×16 terminal's worth of rows... and more.
    let mut left = Vec::new();
    section(&mut left, "Browse", NORMAL, app);
    let mut right = Vec::new();
    section(&mut right, "Search prompt (type to search)", SEARCH, app);
    section(&mut right, "Notes editor (type to edit)", NOTES, app);
    right.push(Line::styled("Mouse", app.theme.label));
    right.push(Line::raw("  click selects, a second click"));
    right.push(Line::raw("  opens or closes, wheel scrolls"));
    right.push(Line::raw(""));
    right.push(Line::styled(
        "Every change is saved at once.",
        app.theme.dim,
    ));
    let height = left.len().max(right.len()) as u16 + 2;
    let area = super::overlay(frame, within, 100, height);
    let block = super::block(" Help · Esc or ? closes ", true, &app.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [l, r] = Layout::horizontal([Constraint::Percentage(55), Constraint::Fill(1)])
        .spacing(2)
        .areas(inner);
    frame.render_widget(Paragraph::new(left), l);
    frame.render_widget(Paragraph::new(right).wrap(Wrap { trim: false }), r);
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
