//! The colours and styles of the screen, the one place colours are named: the built-in dark
//! (the default), light and high-contrast themes, the config's per-style overrides, and the
//! colourless theme (`NO_COLOR`, `TERM=dumb`, `--no-color`). A value the app is started with
//! and the drawing reads, so it sits apart from both.

use std::collections::BTreeMap;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// The `theme` part of the config file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeConfig {
    /// The built-in theme to start from.
    #[serde(default)]
    pub base: Option<BaseTheme>,
    /// Style name → what to change in it.
    #[serde(default)]
    pub styles: BTreeMap<String, StyleSpec>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum BaseTheme {
    #[default]
    Dark,
    Light,
    HighContrast,
}

/// A change to one style. Colours are names (`"cyan"`, `"darkgray"`), indexes (`"208"`) or
/// hex (`"#ff8800"`); `"reset"` is the terminal's own colour.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StyleSpec {
    #[serde(default)]
    pub fg: Option<String>,
    #[serde(default)]
    pub bg: Option<String>,
    #[serde(default)]
    pub bold: Option<bool>,
    #[serde(default)]
    pub italic: Option<bool>,
    #[serde(default)]
    pub underlined: Option<bool>,
    #[serde(default)]
    pub reversed: Option<bool>,
    #[serde(default)]
    pub dim: Option<bool>,
}

impl StyleSpec {
    /// `base` with this spec's changes. The colours were checked at load.
    pub fn apply(&self, base: Style) -> Style {
        let mut style = base;
        if let Some(c) = self.fg.as_deref().and_then(|c| parse_color(c).ok()) {
            style = style.fg(c);
        }
        if let Some(c) = self.bg.as_deref().and_then(|c| parse_color(c).ok()) {
            style = style.bg(c);
        }
        for (flag, modifier) in [
            (self.bold, Modifier::BOLD),
            (self.italic, Modifier::ITALIC),
            (self.underlined, Modifier::UNDERLINED),
            (self.reversed, Modifier::REVERSED),
            (self.dim, Modifier::DIM),
        ] {
            style = match flag {
                Some(true) => style.add_modifier(modifier),
                Some(false) => style.remove_modifier(modifier),
                None => style,
            };
        }
        style
    }
}

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
    /// Colourless: chosen by NO_COLOR, TERM=dumb or --no-color.
    plain: bool,
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
            plain: false,
        }
    }

    /// For light backgrounds: no white or yellow text.
    pub fn light() -> Self {
        let bold = Modifier::BOLD;
        Theme {
            title: Style::new().fg(Color::Blue).add_modifier(bold),
            label: Style::new().fg(Color::Magenta).add_modifier(bold),
            dim: Style::new().fg(Color::DarkGray),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            watched: Style::new().fg(Color::Green),
            matched: Style::new()
                .fg(Color::Black)
                .bg(Color::LightYellow)
                .add_modifier(bold),
            error: Style::new().fg(Color::Red).add_modifier(bold),
            ok: Style::new().fg(Color::Green),
            key: Style::new().fg(Color::Magenta).add_modifier(bold),
            border: Style::new().fg(Color::Gray),
            focus_border: Style::new().fg(Color::Blue),
            plain: false,
        }
    }

    /// Bright colours and bold text, nothing dim.
    pub fn high_contrast() -> Self {
        let bold = Modifier::BOLD;
        Theme {
            title: Style::new().fg(Color::White).add_modifier(bold),
            label: Style::new().fg(Color::LightYellow).add_modifier(bold),
            dim: Style::new().fg(Color::White),
            selected: Style::new()
                .fg(Color::Black)
                .bg(Color::White)
                .add_modifier(bold),
            watched: Style::new().fg(Color::LightGreen).add_modifier(bold),
            matched: Style::new()
                .fg(Color::Black)
                .bg(Color::LightYellow)
                .add_modifier(bold),
            error: Style::new().fg(Color::LightRed).add_modifier(bold),
            ok: Style::new().fg(Color::LightGreen),
            key: Style::new().fg(Color::LightYellow).add_modifier(bold),
            border: Style::new().fg(Color::White),
            focus_border: Style::new().fg(Color::LightYellow).add_modifier(bold),
            plain: false,
        }
    }

    /// The theme a config asks for: its base, then its per-style overrides. Colourless when
    /// `no_color` (the flag or the environment): then the overrides are ignored too.
    pub fn build(config: &ThemeConfig, no_color: bool) -> Self {
        if no_color || colourless_env() {
            return Self::plain();
        }
        let mut theme = match config.base.unwrap_or_default() {
            BaseTheme::Dark => Self::color(),
            BaseTheme::Light => Self::light(),
            BaseTheme::HighContrast => Self::high_contrast(),
        };
        for (name, spec) in &config.styles {
            if let Some(style) = theme.style_mut(name) {
                *style = spec.apply(*style);
            }
        }
        theme
    }

    /// A style by the name the config uses (`config::STYLE_NAMES`).
    fn style_mut(&mut self, name: &str) -> Option<&mut Style> {
        Some(match name {
            "title" => &mut self.title,
            "label" => &mut self.label,
            "dim" => &mut self.dim,
            "selected" => &mut self.selected,
            "watched" => &mut self.watched,
            "matched" => &mut self.matched,
            "error" => &mut self.error,
            "ok" => &mut self.ok,
            "key" => &mut self.key,
            "border" => &mut self.border,
            "focus_border" => &mut self.focus_border,
            _ => return None,
        })
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
            plain: true,
        }
    }

    pub fn is_plain(&self) -> bool {
        self.plain
    }

    /// The default theme, colourless when the environment asks.
    pub fn from_env() -> Self {
        Self::build(&ThemeConfig::default(), false)
    }
}

/// A colour by name, 0–255 index or `#rrggbb`, as the config file writes them.
pub fn parse_color(s: &str) -> Result<Color, String> {
    let lower = s.trim().to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix('#') {
        if hex.len() == 6
            && let Ok(v) = u32::from_str_radix(hex, 16)
        {
            let [_, r, g, b] = v.to_be_bytes();
            return Ok(Color::Rgb(r, g, b));
        }
        return Err(format!("{s:?} is not a colour: hex colours are #rrggbb"));
    }
    if let Ok(i) = lower.parse::<u8>() {
        return Ok(Color::Indexed(i));
    }
    let named = match lower.replace(['-', '_', ' '], "").as_str() {
        "reset" | "default" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "darkgray" | "darkgrey" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        _ => {
            return Err(format!(
                "{s:?} is not a colour: use a name (cyan, darkgray, lightblue …), 0–255 or #rrggbb"
            ));
        }
    };
    Ok(named)
}

/// `NO_COLOR` set to anything non-empty (no-color.org), or a terminal that says it has no
/// colours (`TERM=dumb`).
pub fn colourless_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
        || std::env::var_os("TERM").is_some_and(|t| t == "dumb")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_and_an_override_make_the_theme() {
        let mut config = ThemeConfig {
            base: Some(BaseTheme::Light),
            ..ThemeConfig::default()
        };
        config.styles.insert(
            "watched".into(),
            StyleSpec {
                fg: Some("#00ff00".into()),
                bold: Some(true),
                ..StyleSpec::default()
            },
        );
        let theme = Theme::build(&config, false);
        assert_eq!(theme.title, Theme::light().title);
        assert_eq!(theme.watched.fg, Some(Color::Rgb(0, 255, 0)));
        assert!(theme.watched.add_modifier.contains(Modifier::BOLD));
        assert_ne!(Theme::high_contrast().dim, Theme::color().dim);
        let plain = Theme::build(&config, true);
        assert!(plain.is_plain());
        assert_eq!(plain.watched.fg, None, "--no-color drops the overrides too");
    }
}
