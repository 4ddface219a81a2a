//! The colours and styles of the screen; `NO_COLOR` turns colours off. A value the app is
//! started with and the drawing reads, so it sits apart from both.

use ratatui::style::{Color, Modifier, Style};

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
