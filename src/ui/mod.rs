//! Drawing. `draw` lays the screen out (`layout`) and hands each area to its pane. It reads
//! the app and writes nothing back: not the library, not a file, not the app's state.

mod detail;
mod form;
mod help;
mod picker;
mod stats;
mod status;
mod tree;
mod upcoming;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::app::{App, Drawn, Mode};

use crate::layout::Screen;
pub use crate::layout::{MIN_HEIGHT, MIN_WIDTH};

pub use crate::theme::Theme;

/// Draws the whole screen for the current state.
pub fn draw(frame: &mut Frame, app: &App) {
    render(frame, app);
}

/// Draws the whole screen and says what the app must hear of it (`Msg::Drawn`): how far the
/// details pane can scroll, which only the drawing knows.
pub fn render(frame: &mut Frame, app: &App) -> Drawn {
    let area = frame.area();
    let Some(screen) = Screen::of(area) else {
        too_small(frame, area, app);
        return Drawn::default();
    };
    tree::draw(frame, screen.tree, app);
    let detail_limit = match app.mode() {
        Mode::Notes { target, editor } => {
            detail::draw_editor(frame, screen.detail, app, *target, editor);
            // The pane under the editor keeps its scrolling for when the editor closes.
            detail::scroll_limit(app, screen.detail)
        }
        Mode::Form(f) => {
            form::draw(frame, screen.detail, app, f);
            detail::scroll_limit(app, screen.detail)
        }
        Mode::Confirm(c) if c.back.is_some() => {
            if let Some(f) = &c.back {
                form::draw(frame, screen.detail, app, f);
            }
            detail::scroll_limit(app, screen.detail)
        }
        _ => detail::draw(frame, screen.detail, app),
    };
    status::draw(frame, screen.status, app);
    let mut help_limit = None;
    match app.mode() {
        Mode::Help => help_limit = Some(help::draw(frame, screen.body, app)),
        Mode::Stats => stats::draw(frame, screen.body, app),
        Mode::ConfirmQuit => help::draw_confirm_quit(frame, screen.body, app),
        Mode::Tvmaze(flow) => picker::draw_tvmaze(frame, screen.body, app, flow),
        Mode::Import(flow) => picker::draw_import(frame, screen.body, app, flow),
        Mode::Confirm(c) => form::draw_confirm(frame, screen.body, app, c),
        _ => {}
    }
    Drawn {
        detail_limit: Some(detail_limit),
        help_limit,
    }
}

fn too_small(frame: &mut Frame, area: Rect, app: &App) {
    let text = vec![
        Line::styled("Terminal too small", app.theme().error),
        Line::raw(format!("{}×{}", area.width, area.height)),
        Line::raw(format!("needs {MIN_WIDTH}×{MIN_HEIGHT}")),
        Line::styled(
            crate::keymap::hint(
                crate::keymap::Context::NORMAL,
                crate::action::Action::Quit,
                "quits",
            ),
            app.theme().dim,
        ),
    ];
    let height = (text.len() as u16).min(area.height);
    let y = area.y + (area.height - height) / 2;
    let centered = Rect::new(area.x, y, area.width, height);
    // Short lines, cut rather than wrapped, so the way out is always on screen.
    frame.render_widget(Paragraph::new(text).centered(), centered);
}

/// A bordered block with a title, highlighted when it has the focus.
fn block<'a>(title: impl Into<Line<'a>>, focused: bool, theme: &Theme) -> Block<'a> {
    Block::bordered().title(title).border_style(if focused {
        theme.focus_border
    } else {
        theme.border
    })
}

/// A text progress bar that reads without colour: `███████░░░ 7/10 70%`.
pub fn progress_bar(p: crate::model::Progress, width: usize, theme: &Theme) -> Line<'static> {
    let width = width.max(4);
    let filled = ((p.ratio() * width as f64).round() as usize).min(width);
    Line::from(vec![
        Span::styled("█".repeat(filled), theme.watched),
        Span::styled("░".repeat(width - filled), theme.dim),
        Span::raw(format!(" {p} {:.0}%", p.ratio() * 100.0)),
    ])
}

/// A centred overlay area of at most `width`×`height`, cleared.
fn overlay(frame: &mut Frame, within: Rect, width: u16, height: u16) -> Rect {
    let area = within.centered(
        Constraint::Length(width.min(within.width)),
        Constraint::Length(height.min(within.height)),
    );
    frame.render_widget(Clear, area);
    area
}
