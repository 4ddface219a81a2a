//! The user's own settings, `config.ron` beside the library (`$XDG_CONFIG_HOME/fantrack/`, or
//! `FANTRACK_CONFIG`): a theme, key overrides and a few defaults. Everything is optional; a
//! missing file is the defaults. Unknown keys, colours, styles, keys and actions are errors
//! with the file, line and column, like the library's. It is read once at start and never
//! written except by `fantrack config init`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The environment variable that points at another config file.
pub const CONFIG_ENV: &str = "FANTRACK_CONFIG";

/// The styles a theme names; overrides use these names.
pub const STYLE_NAMES: &[&str] = &[
    "title",
    "label",
    "dim",
    "selected",
    "watched",
    "matched",
    "error",
    "ok",
    "key",
    "border",
    "focus_border",
];

/// The key modes an override can name.
pub const MODES: &[&str] = &["tree", "watch_order"];

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub theme: ThemeConfig,
    /// Per mode (`tree`, `watch_order`), key → action name, merged over the defaults.
    #[serde(default)]
    pub keys: BTreeMap<String, BTreeMap<String, String>>,
    /// Whether the spoiler shield is on at start when the library does not say.
    #[serde(default)]
    pub spoiler_shield: Option<bool>,
    /// How dates are shown, as strftime (`%d %b %Y`); the file always keeps YYYY-MM-DD.
    #[serde(default)]
    pub date_format: Option<String>,
}

/// Why the config file could not be used. The app then opens with the defaults and says so.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {message}", path.display(), at.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default())]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based line and column, when the problem has a place.
    pub at: Option<(usize, usize)>,
    pub message: String,
}

/// Where the config file is: `FANTRACK_CONFIG`, else beside the library's default place.
pub fn path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "fantrack").map(|d| d.config_dir().join("config.ron"))
}

/// Reads the config at `path`: the defaults when there is no file.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let err = |at, message: String| ConfigError {
        path: path.to_path_buf(),
        at,
        message,
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => return Err(err(None, format!("cannot read: {e}"))),
    };
    let text = String::from_utf8(bytes).map_err(|_| err(None, "not valid UTF-8 text".into()))?;
    parse(&text).map_err(|(at, message)| err(at, message))
}

type Problem = (Option<(usize, usize)>, String);

/// Parses and checks config text.
pub fn parse(text: &str) -> Result<Config, Problem> {
    // `fg: "cyan"` reads better than `fg: Some("cyan")` in a file people write by hand.
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    let config: Config = options.from_str(text).map_err(|e| {
        (
            Some((e.span.start.line, e.span.start.col)),
            e.code.to_string(),
        )
    })?;
    check(&config, text)?;
    Ok(config)
}

/// Everything serde cannot check: colour, style, mode, key and action names, the date format.
fn check(config: &Config, text: &str) -> Result<(), Problem> {
    let at = |needle: &str| find(text, needle);
    for (name, spec) in &config.theme.styles {
        if !STYLE_NAMES.contains(&name.as_str()) {
            return Err((
                at(&format!("\"{name}\"")),
                format!(
                    "no style named {name:?}; the styles are {}",
                    STYLE_NAMES.join(", ")
                ),
            ));
        }
        for colour in [&spec.fg, &spec.bg].into_iter().flatten() {
            parse_color(colour).map_err(|m| (at(&format!("\"{colour}\"")), m))?;
        }
    }
    for (mode, keys) in &config.keys {
        if !MODES.contains(&mode.as_str()) {
            return Err((
                at(&format!("\"{mode}\"")),
                format!(
                    "no key mode named {mode:?}; the modes are {}",
                    MODES.join(", ")
                ),
            ));
        }
        for (key, action) in keys {
            parse_key(key).map_err(|m| (at(&format!("\"{key}\"")), m))?;
            if !ACTION_NAMES.contains(&action.as_str()) {
                return Err((
                    at(&format!("\"{action}\"")),
                    format!(
                        "no action named {action:?}; the actions are {}",
                        ACTION_NAMES.join(", ")
                    ),
                ));
            }
        }
    }
    if let Some(format) = &config.date_format {
        let sample = jiff::civil::date(2025, 7, 9);
        let shown = jiff::fmt::strtime::format(format.as_str(), sample)
            .map_err(|e| (at(&format!("\"{format}\"")), format!("date_format: {e}")))?;
        if shown.trim().is_empty() {
            return Err((
                at(&format!("\"{format}\"")),
                "date_format shows nothing".into(),
            ));
        }
    }
    Ok(())
}

/// The 1-based position of the first `needle` in `text`.
fn find(text: &str, needle: &str) -> Option<(usize, usize)> {
    let offset = text.find(needle)?;
    let before = text.get(..offset)?;
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some((line, column))
}

/// The names of the actions a key can be bound to, as the config file writes them.
pub const ACTION_NAMES: &[&str] = &[
    "up",
    "down",
    "first",
    "last",
    "page_up",
    "page_down",
    "detail_down",
    "detail_up",
    "expand",
    "collapse",
    "toggle_open",
    "toggle_watched",
    "rewatch",
    "edit_notes",
    "edit_notes_external",
    "search",
    "next_match",
    "prev_match",
    "undo",
    "watch_order",
    "switch_order",
    "spoiler_shield",
    "filter",
    "edit_facts",
    "news",
    "add",
    "remove",
    "watch_dates",
    "stats",
    "help",
    "tvmaze_add",
    "tvmaze_refresh",
    "import",
    "quit",
];

// The theme's part of the file is the theme module's types (it builds styles from them).
pub use crate::theme::{BaseTheme, StyleSpec, ThemeConfig, parse_color};

/// A key as the config writes it: `x`, `X`, `Space`, `Enter`, `Esc`, `Tab`, `Up` … `F5`,
/// with `Ctrl-`/`Alt-` in front.
pub fn parse_key(
    s: &str,
) -> Result<(crossterm::event::KeyCode, crossterm::event::KeyModifiers), String> {
    use crossterm::event::{KeyCode, KeyModifiers};
    let mut mods = KeyModifiers::NONE;
    let mut rest = s;
    loop {
        if let Some(r) = rest
            .strip_prefix("Ctrl-")
            .or_else(|| rest.strip_prefix("ctrl-"))
        {
            mods |= KeyModifiers::CONTROL;
            rest = r;
        } else if let Some(r) = rest
            .strip_prefix("Alt-")
            .or_else(|| rest.strip_prefix("alt-"))
        {
            mods |= KeyModifiers::ALT;
            rest = r;
        } else {
            break;
        }
    }
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), None) => KeyCode::Char(if mods.contains(KeyModifiers::CONTROL) {
            c.to_ascii_lowercase()
        } else {
            c
        }),
        _ => match rest.to_ascii_lowercase().as_str() {
            "space" => KeyCode::Char(' '),
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            f if f.starts_with('f') && f.len() > 1 => match f[1..].parse::<u8>() {
                Ok(n @ 1..=12) => KeyCode::F(n),
                _ => return Err(format!("{s:?} is not a key")),
            },
            _ => {
                return Err(format!(
                    "{s:?} is not a key: write a character (x, X, ?), a name (Space, Enter, Esc, Tab, Up, PgDn, F5 …), with Ctrl- or Alt- in front"
                ));
            }
        },
    };
    Ok((code, mods))
}

/// `fantrack config init`: writes `TEMPLATE` to the config path, never over a file that is
/// there. Returns what to print.
pub fn config_init() -> Result<String, String> {
    let path = path().ok_or("no config directory: set FANTRACK_CONFIG")?;
    init_at(&path)
}

fn init_at(path: &Path) -> Result<String, String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("{}: cannot create the directory: {e}", dir.display()))?;
    }
    // `create_new` refuses an existing file atomically: no check-then-write race.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => format!(
                "{}: already exists; not overwritten (delete it first to start again)",
                path.display()
            ),
            _ => format!("{}: cannot write: {e}", path.display()),
        })?;
    std::io::Write::write_all(&mut file, TEMPLATE.as_bytes())
        .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
    Ok(format!("wrote {}\n", path.display()))
}

/// What `fantrack config init` writes: every setting, commented, at its default.
pub const TEMPLATE: &str = r##"// fantrack's settings. Everything here is optional: delete what you do not change.
// This file is read at start; a mistake is reported with its line and column and the app
// opens with the defaults.
(
    theme: (
        // Dark, Light or HighContrast. NO_COLOR=1, --no-color or TERM=dumb turn colours off.
        base: Dark,
        // Per style: fg, bg (a name like "cyan" or "darkgray", 0-255, or "#rrggbb"),
        // bold, italic, underlined, reversed, dim (true or false).
        // Styles: title, label, dim, selected, watched, matched, error, ok, key, border,
        // focus_border.
        styles: {
            // "watched": (fg: "#5fd75f", bold: true),
        },
    ),
    // Key overrides per mode ("tree", "watch_order"): key -> action. Keys: a character, or
    // Space, Enter, Esc, Tab, Up, Down, Left, Right, Home, End, PgUp, PgDn, F1-F12, with
    // Ctrl- or Alt- in front. The help screen (?) lists the actions and shows your keys.
    keys: {
        // "tree": { "x": "toggle_watched", "Ctrl-f": "search" },
    },
    // Spoiler shield on at start (the library's own setting wins once you toggle it with s).
    // spoiler_shield: true,
    // How dates are shown in the app and in the text of show, next, upcoming and stats
    // (strftime); the library file and every --json always keep YYYY-MM-DD.
    // date_format: "%d %b %Y",
)
"##;

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Modifier, Style};

    #[test]
    fn the_template_is_a_valid_config_of_defaults() {
        let config = parse(TEMPLATE).expect("the template parses");
        assert_eq!(config.theme.base, Some(BaseTheme::Dark));
        assert!(config.theme.styles.is_empty());
        assert!(config.keys.is_empty());
    }

    #[test]
    fn a_full_config_reads_with_plain_strings() {
        let text = r##"(
            theme: (base: Light, styles: { "watched": (fg: "#00ff00", bold: true), "dim": (fg: "244") }),
            keys: { "tree": { "x": "toggle_watched", "Ctrl-f": "search" } },
            spoiler_shield: true,
            date_format: "%d %b %Y",
        )"##;
        let config = parse(text).expect("parses");
        assert_eq!(config.theme.base, Some(BaseTheme::Light));
        let watched = config.theme.styles.get("watched").expect("watched");
        let style = watched.apply(Style::new());
        assert_eq!(style.fg, Some(Color::Rgb(0, 255, 0)));
        assert!(style.add_modifier.contains(Modifier::BOLD));
        assert_eq!(config.spoiler_shield, Some(true));
        assert_eq!(
            config
                .keys
                .get("tree")
                .and_then(|k| k.get("Ctrl-f"))
                .map(String::as_str),
            Some("search")
        );
    }

    #[test]
    fn mistakes_are_named_with_line_and_column() {
        let cases: &[(&str, (usize, usize), &str)] = &[
            ("(\n  thme: (),\n)", (2, 3), "thme"),
            (
                "(\n  theme: (styles: { \"wached\": (fg: \"red\") }),\n)",
                (2, 21),
                "no style named \"wached\"",
            ),
            (
                "(\n  theme: (styles: { \"dim\": (fg: \"purplish\") }),\n)",
                (2, 33),
                "not a colour",
            ),
            (
                "(\n  keys: { \"tree\": { \"x\": \"toggle_wached\" } },\n)",
                (2, 26),
                "no action named",
            ),
            (
                "(\n  keys: { \"tre\": { \"x\": \"up\" } },\n)",
                (2, 11),
                "no key mode",
            ),
            (
                "(\n  keys: { \"tree\": { \"Hyper-x\": \"up\" } },\n)",
                (2, 21),
                "not a key",
            ),
            ("(\n  date_format: \"%Q\",\n)", (2, 16), "date_format"),
        ];
        for (text, at, says) in cases {
            let (pos, message) = parse(text).expect_err(text);
            assert_eq!(pos, Some(*at), "{text}: {message}");
            assert!(message.contains(says), "{text}: {message}");
        }
    }

    #[test]
    fn colours_by_name_index_and_hex() {
        assert_eq!(parse_color("DarkGray"), Ok(Color::DarkGray));
        assert_eq!(parse_color("light-blue"), Ok(Color::LightBlue));
        assert_eq!(parse_color("208"), Ok(Color::Indexed(208)));
        assert_eq!(parse_color("#FF8800"), Ok(Color::Rgb(255, 136, 0)));
        assert!(parse_color("#ff88").is_err());
        assert!(parse_color("256").is_err());
    }

    #[test]
    fn keys_with_modifiers_and_names() {
        use crossterm::event::{KeyCode, KeyModifiers};
        assert_eq!(parse_key("x"), Ok((KeyCode::Char('x'), KeyModifiers::NONE)));
        assert_eq!(parse_key("X"), Ok((KeyCode::Char('X'), KeyModifiers::NONE)));
        assert_eq!(
            parse_key("Ctrl-F"),
            Ok((KeyCode::Char('f'), KeyModifiers::CONTROL))
        );
        assert_eq!(
            parse_key("Space"),
            Ok((KeyCode::Char(' '), KeyModifiers::NONE))
        );
        assert_eq!(parse_key("F5"), Ok((KeyCode::F(5), KeyModifiers::NONE)));
        assert!(parse_key("F13").is_err());
        assert!(parse_key("Banana").is_err());
    }

    #[test]
    fn config_init_writes_the_template_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("new").join("config.ron");
        let said = init_at(&path).expect("writes");
        assert!(said.contains("config.ron"), "{said}");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), TEMPLATE);
        std::fs::write(&path, "(spoiler_shield: true)").expect("write");
        let e = init_at(&path).expect_err("refuses");
        assert!(e.contains("already exists"), "{e}");
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "(spoiler_shield: true)",
            "the user's file is untouched"
        );
    }

    #[test]
    fn a_missing_file_is_the_defaults_and_a_broken_one_an_error_with_its_path() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.ron");
        assert_eq!(load(&path), Ok(Config::default()));
        std::fs::write(&path, "(theme: (base: Purple))").expect("write");
        let e = load(&path).expect_err("bad base");
        assert!(
            e.to_string().starts_with(&format!("{}:1:", path.display())),
            "{e}"
        );
    }
}
