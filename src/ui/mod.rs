//! Drawing. `draw` lays the screen out and hands each area to its pane; nothing here changes
//! the library or touches a file. The only state written is `App::view` (where the tree was
//! drawn), which mouse clicks and paging read.

mod detail;
mod help;
mod status;
mod tree;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::app::{App, Mode};

/// The smallest terminal the layout is drawn in.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Named styles; `Theme::plain` (NO_COLOR) keeps only modifiers, so marks stay readable.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub title: Style,
    pub label: Style,
    pub dim: Style,
    pub selected: Style,
    pub watched: Style,
    pub matched: Style,
    pub error: Style,
    pub ok: Style,
    pub key: Style,
    pub border: Style,
    pub focus_border: Style,
}

impl Theme {
    pub fn color() -> Self {
        Theme {
            title: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            label: Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
            dim: Style::new().fg(Color::DarkGray),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            watched: Style::new().fg(Color::Green),
            matched: Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            ok: Style::new().fg(Color::Green),
            key: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            border: Style::new().fg(Color::DarkGray),
            focus_border: Style::new().fg(Color::Cyan),
        }
    }

    pub fn plain() -> Self {
        let none = Style::new();
        Theme {
            title: none.add_modifier(Modifier::BOLD),
            label: none.add_modifier(Modifier::BOLD),
            dim: none,
            selected: none.add_modifier(Modifier::REVERSED),
            watched: none,
            matched: none.add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
            error: none.add_modifier(Modifier::BOLD),
            ok: none,
            key: none.add_modifier(Modifier::BOLD),
            border: none,
            focus_border: none,
        }
    }

    pub fn is_plain(&self) -> bool {
        self.title.fg.is_none()
    }

    /// `NO_COLOR` set to anything non-empty turns colours off (no-color.org).
    pub fn from_env() -> Self {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Self::plain(),
            _ => Self::color(),
        }
    }
}

/// Draws the whole screen for the current state.
pub fn draw(frame: &mut Frame, app: &mut App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area, app);
        return;
    }
    let [body, bar] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Fill(1)]).areas(body);
    tree::draw(frame, left, app);
    match &app.mode {
        Mode::Notes { target, editor } => detail::draw_editor(frame, right, app, *target, editor),
        _ => detail::draw(frame, right, app),
    }
    status::draw(frame, bar, app);
    match app.mode {
        Mode::Help => help::draw(frame, body, app),
        Mode::ConfirmQuit => help::draw_confirm_quit(frame, body, app),
        _ => {}
    }
}

fn too_small(frame: &mut Frame, area: Rect, app: &App) {
    let text = vec![
        Line::styled("Terminal too small", app.theme.error),
        Line::raw(format!(
            "{}×{}: enlarge it to at least {MIN_WIDTH}×{MIN_HEIGHT}",
            area.width, area.height
        )),
        Line::styled("q quits", app.theme.dim),
    ];
    let height = (text.len() as u16).min(area.height);
    let y = area.y + (area.height - height) / 2;
    let centered = Rect::new(area.x, y, area.width, height);
    frame.render_widget(
        Paragraph::new(text).centered().wrap(Wrap { trim: true }),
        centered,
    );
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
