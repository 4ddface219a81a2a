//! The overlays of the TVmaze add (prompt, candidates, franchise, relation, waiting) and of
//! the import (path prompt, progress bar, dry-run report, the conflict-copy question).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::action::Action;
use crate::app::App;
use crate::app::import::Flow as ImportFlow;
use crate::app::tvmaze::Flow as TvmazeFlow;
use crate::keymap::{self, Context};

/// The keys of the overlay, as the hints say them: "Enter choose · Esc back".
fn keys_line(context: Context, app: &App) -> Line<'static> {
    let hints: Vec<String> = context
        .bindings()
        .iter()
        .filter_map(|b| {
            let key = b.keys.first()?.label();
            Some(format!("{key} {}", b.hint?))
        })
        .collect();
    Line::styled(hints.join(" · "), app.theme().dim)
}

fn prompt_line(text: &str, app: &App) -> Line<'static> {
    Line::from(vec![
        Span::styled("> ", app.theme().key),
        Span::raw(text.to_string()),
        Span::styled("█", app.theme().dim),
    ])
}

/// The overlay's width inside `within`.
fn width_in(within: Rect) -> u16 {
    within.width.saturating_sub(4).min(90)
}

/// How many screen rows `line` takes wrapped at words in `width` columns.
fn rows(line: &Line<'_>, width: u16) -> usize {
    let width = usize::from(width.max(1));
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let (mut rows, mut used) = (1, 0);
    for word in text.split(' ') {
        let w = unicode_width::UnicodeWidthStr::width(word);
        let need = if used == 0 { w } else { used + 1 + w };
        if need <= width {
            used = need;
        } else {
            rows += 1 + w / width;
            used = w % width;
        }
    }
    rows
}

/// Draws the overlay; returns the area inside its border.
fn show(
    frame: &mut Frame,
    within: Rect,
    app: &App,
    title: String,
    lines: Vec<Line<'static>>,
) -> Rect {
    let width = width_in(within);
    let inner = width.saturating_sub(2);
    let needed: usize = lines.iter().map(|l| rows(l, inner)).sum();
    let height = u16::try_from(needed).unwrap_or(u16::MAX).saturating_add(2);
    let area = super::overlay(frame, within, width, height);
    let block = super::block(format!(" {title} "), true, app.theme());
    let inner = block.inner(area);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
    inner
}

/// A list with its chosen line marked, scrolled so the chosen line is in view.
fn list(lines: &mut Vec<Line<'static>>, items: &[String], cursor: usize, room: usize, app: &App) {
    let room = room.max(1);
    let start = cursor.saturating_sub(room - 1);
    for (i, item) in items.iter().enumerate().skip(start).take(room) {
        if i == cursor {
            lines.push(Line::styled(format!("▶ {item}"), app.theme().selected));
        } else {
            lines.push(Line::raw(format!("  {item}")));
        }
    }
}

pub fn draw_tvmaze(frame: &mut Frame, within: Rect, app: &App, flow: &TvmazeFlow) {
    let mut lines = Vec::new();
    let room = usize::from(within.height.saturating_sub(6));
    match flow {
        TvmazeFlow::Query { text } => {
            lines.push(Line::raw("The show's name, as TVmaze knows it:"));
            lines.push(prompt_line(text, app));
            lines.push(Line::styled(
                "Online: asks api.tvmaze.com (or FANTRACK_TVMAZE_URL). Data: TVmaze, CC BY-SA 4.0.",
                app.theme().dim,
            ));
        }
        TvmazeFlow::Searching { .. } | TvmazeFlow::Fetching { .. } => {
            lines.push(Line::styled("waiting for TVmaze…", app.theme().dim));
        }
        _ => {
            let (items, cursor) = flow.lines();
            list(&mut lines, &items, cursor.unwrap_or(0), room, app);
        }
    }
    lines.push(keys_line(flow.keys(), app));
    show(frame, within, app, flow.title(), lines);
}

/// The password field: a "> " line the masked text area is drawn over, its error under it.
fn draw_password(
    frame: &mut Frame,
    within: Rect,
    app: &App,
    flow: &ImportFlow,
    field: &crate::app::import::PasswordField,
    error: Option<&str>,
) {
    let mut lines = vec![Line::raw(
        "This ZIP is password-protected. Its password (used to read the ZIP, never saved):",
    )];
    let before: usize = {
        let inner = width_in(within).saturating_sub(2);
        lines.iter().map(|l| rows(l, inner)).sum()
    };
    lines.push(Line::styled("> ", app.theme().key));
    if let Some(e) = error {
        lines.push(Line::styled(e.to_string(), app.theme().error));
    }
    lines.push(keys_line(flow.keys(), app));
    let inner = show(frame, within, app, flow.title(), lines);
    let y = inner
        .y
        .saturating_add(u16::try_from(before).unwrap_or(u16::MAX));
    if y < inner.bottom() && inner.width > 2 {
        let at = Rect {
            x: inner.x + 2,
            y,
            width: inner.width - 2,
            height: 1,
        };
        frame.render_widget(field.area(), at);
    }
}

pub fn draw_import(frame: &mut Frame, within: Rect, app: &App, flow: &ImportFlow) {
    let mut lines = Vec::new();
    match flow {
        ImportFlow::Password { field, error, .. } => {
            return draw_password(frame, within, app, flow, field, error.as_deref());
        }
        ImportFlow::Path { text, missing } => {
            lines.push(Line::raw(
                "Trakt (watched-history.json, watched-shows.json, ratings-*.json or the ZIP),",
            ));
            lines.push(Line::raw(
                "TV Time (tracking-prod-records-v2.csv, …), SeriesGuide, fantrack export json:",
            ));
            lines.push(prompt_line(text, app));
            let tab = keymap::key_for(Context::PROMPT, Action::ToggleOption);
            lines.push(Line::styled(
                format!("{tab}: {}", missing.label()),
                app.theme().label,
            ));
            lines.push(Line::styled(
                "A dry run comes first: nothing changes until you say so.",
                app.theme().dim,
            ));
        }
        ImportFlow::Reading {
            done, total, what, ..
        } => {
            let p = crate::model::Progress {
                watched: *done,
                total: (*total).max(1),
            };
            let bar = usize::from(within.width.saturating_sub(30)).min(40);
            lines.push(super::progress_bar(p, bar, app.theme()));
            lines.push(Line::raw(format!("{what}…")));
        }
        ImportFlow::Review {
            lines: text,
            scroll,
            ..
        } => {
            // Room for the report between the borders, the keys line and a "more" line.
            let mut room = usize::from(within.height.saturating_sub(4)).max(1);
            let inner = width_in(within).saturating_sub(2);
            let start = usize::from(*scroll).min(text.len().saturating_sub(1));
            let mut shown = 0;
            for line in text.iter().skip(start) {
                let style = if line.starts_with("  unmatched") {
                    app.theme().error
                } else if line.starts_with("summary") || !line.starts_with(' ') {
                    app.theme().title
                } else {
                    app.theme().dim
                };
                let line = Line::styled(line.clone(), style);
                let need = rows(&line, inner);
                if need > room {
                    break;
                }
                room -= need;
                shown += 1;
                lines.push(line);
            }
            if start + shown < text.len() {
                let down = keymap::key_for(Context::REVIEW, Action::Down);
                lines.push(Line::styled(
                    format!("↓ {} more line(s) · {down}", text.len() - start - shown),
                    app.theme().dim,
                ));
            }
        }
        ImportFlow::Offer { copies } => {
            let copy = copies
                .first()
                .map(|c| c.display().to_string())
                .unwrap_or_default();
            lines.push(Line::raw(
                "A sync tool left a conflict copy beside the library:",
            ));
            lines.push(Line::styled(format!("  {copy}"), app.theme().title));
            lines.push(Line::raw(
                "Merge it in? Every watch date of both is kept; notes that differ are both kept;",
            ));
            lines.push(Line::raw(
                "facts changed on both sides keep this copy's value. The copy is left as it is.",
            ));
            if copies.len() > 1 {
                lines.push(Line::styled(
                    format!("({} more conflict copies after this one)", copies.len() - 1),
                    app.theme().dim,
                ));
            }
        }
    }
    lines.push(keys_line(flow.keys(), app));
    show(frame, within, app, flow.title(), lines);
}
