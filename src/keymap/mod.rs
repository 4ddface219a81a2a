//! The one key table: (mode, key) → Action. The help overlay and the status bar hints are
//! generated from these tables, so what the app shows is what the app does.
//!
//! The tables in `tables` are the defaults. At start, `install` builds the running tables once
//! from them and the config's overrides (`tree`, `watch_order`); every lookup
//! (`Context::bindings`, `key_for`, `hint`, `action_for_key`) reads the running tables, so the
//! help and every hint show the keys as configured.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind,
};

use std::sync::OnceLock;

use crate::action::Action;

mod hints;
mod overrides;
mod tables;

pub use hints::{hint, hints, key_for, keys_for};
pub use overrides::install;
pub use tables::{
    ASK, BUSY, CONFIRM, CONFIRM_QUIT, FORM, HELP, NORMAL, NOTES, PICK, PROMPT, REVIEW, SEARCH,
    SECRET,
};

/// A key with its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn key(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
    }
}

const fn code(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

impl Key {
    /// How the help screen writes the key.
    pub fn label(self) -> String {
        let name = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        let name = if self.mods.contains(KeyModifiers::ALT) {
            format!("Alt-{name}")
        } else {
            name
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{}", name.to_uppercase())
        } else {
            name
        }
    }

    fn matches(self, event: &KeyEvent) -> bool {
        // Shifted letters arrive as uppercase chars, sometimes with SHIFT set: ignore SHIFT.
        let mods = event.modifiers - KeyModifiers::SHIFT;
        self.code == event.code && self.mods == mods
    }
}

/// A row of the key table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    /// What the help overlay says.
    pub help: &'static str,
    /// The short word for the status bar, for the few keys that matter most.
    pub hint: Option<&'static str>,
}

const fn bind(
    keys: &'static [Key],
    action: Action,
    help: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        keys,
        action,
        help,
        hint,
    }
}

/// What a key that no binding takes does in a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unbound {
    Ignored,
    /// Typed into the search prompt (printable characters).
    SearchInput,
    /// Handed to the text editor.
    EditorKey,
}

/// A key table and how it treats the rest of the input: what the app's current mode listens
/// to. The app picks one per mode; the keymap knows nothing of the app's modes.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    /// The default table; the running one (with the config's overrides) is `bindings()`.
    pub bindings: &'static [Binding],
    /// Which table an override names this context by, if any.
    pub table: Option<Table>,
    pub unbound: Unbound,
    /// Clicks and the wheel act (only where the tree has the focus).
    pub mouse: bool,
}

impl Context {
    pub const NORMAL: Context = Context {
        bindings: NORMAL,
        table: Some(Table::Tree),
        unbound: Unbound::Ignored,
        mouse: true,
    };
    pub const SEARCH: Context = Context {
        bindings: SEARCH,
        table: None,
        unbound: Unbound::SearchInput,
        mouse: false,
    };
    pub const NOTES: Context = Context {
        bindings: NOTES,
        table: None,
        unbound: Unbound::EditorKey,
        mouse: false,
    };
    pub const FORM: Context = Context {
        bindings: FORM,
        table: None,
        unbound: Unbound::EditorKey,
        mouse: false,
    };
    pub const CONFIRM: Context = Context {
        bindings: CONFIRM,
        table: None,
        unbound: Unbound::Ignored,
        mouse: false,
    };
    pub const HELP: Context = Context {
        bindings: HELP,
        table: None,
        unbound: Unbound::Ignored,
        mouse: false,
    };
    pub const CONFIRM_QUIT: Context = Context {
        bindings: CONFIRM_QUIT,
        table: None,
        unbound: Unbound::Ignored,
        mouse: false,
    };

    pub const PROMPT: Context = Context {
        bindings: PROMPT,
        table: None,
        unbound: Unbound::SearchInput,
        mouse: false,
    };
    pub const SECRET: Context = Context {
        bindings: SECRET,
        table: None,
        unbound: Unbound::EditorKey,
        mouse: false,
    };
    pub const PICK: Context = Context {
        bindings: PICK,
        table: None,
        unbound: Unbound::Ignored,
        mouse: false,
    };
    pub const BUSY: Context = Context {
        bindings: BUSY,
        table: None,
        unbound: Unbound::Ignored,
        mouse: false,
    };
    pub const REVIEW: Context = Context {
        bindings: REVIEW,
        table: None,
        unbound: Unbound::Ignored,
        mouse: false,
    };
    pub const ASK: Context = Context {
        bindings: ASK,
        table: None,
        unbound: Unbound::Ignored,
        mouse: false,
    };

    /// The watch-order view: the browse keys, with the `watch_order` overrides.
    pub const ORDER: Context = Context {
        bindings: NORMAL,
        table: Some(Table::WatchOrder),
        unbound: Unbound::Ignored,
        mouse: true,
    };

    /// The running table: the defaults with the config's overrides, once installed.
    pub fn bindings(self) -> &'static [Binding] {
        match (self.table, RUNNING.get()) {
            (Some(Table::Tree), Some(running)) => running.tree,
            (Some(Table::WatchOrder), Some(running)) => running.watch_order,
            _ => self.bindings,
        }
    }
}

/// The key tables a config file can change, by the names it uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Tree,
    WatchOrder,
}

impl Table {
    pub fn name(self) -> &'static str {
        match self {
            Table::Tree => "tree",
            Table::WatchOrder => "watch_order",
        }
    }
}

/// The running tables, built once at start.
struct Running {
    tree: &'static [Binding],
    watch_order: &'static [Binding],
}

static RUNNING: OnceLock<Running> = OnceLock::new();

/// Equal actions; every rating is the same binding.
fn same_action(a: Action, b: Action) -> bool {
    matches!((a, b), (Action::Rate(_), Action::Rate(_))) || a == b
}

/// Looks a key up in the table for `context`; falls back to typing in text contexts.
pub fn action_for_key(context: Context, event: &KeyEvent) -> Option<Action> {
    if event.kind != KeyEventKind::Press {
        return None;
    }
    let bound = context
        .bindings()
        .iter()
        .find(|b| b.keys.iter().any(|k| k.matches(event)))
        .map(|b| match (b.action, event.code) {
            // One row of the table serves all the digits: the digit is the rating.
            (Action::Rate(_), KeyCode::Char(c)) => Action::Rate(c.to_digit(10).unwrap_or(0) as u8),
            // The editor's own keys go to it as they came.
            (Action::EditorKey(_), _) => Action::EditorKey(*event),
            (action, _) => action,
        });
    bound.or(match (context.unbound, event.code) {
        (Unbound::EditorKey, _) => Some(Action::EditorKey(*event)),
        (Unbound::SearchInput, KeyCode::Char(c))
            if !event
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(Action::SearchInput(c))
        }
        _ => None,
    })
}

/// Maps any terminal event to an action.
pub fn action_for_event(context: Context, event: &Event) -> Option<Action> {
    match event {
        Event::Key(k) => action_for_key(context, k),
        Event::Mouse(MouseEvent {
            kind, column, row, ..
        }) if context.mouse => match kind {
            MouseEventKind::Down(_) => Some(Action::Click(*column, *row)),
            MouseEventKind::ScrollUp => Some(Action::ScrollUp(*column, *row)),
            MouseEventKind::ScrollDown => Some(Action::ScrollDown(*column, *row)),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::overrides::{action_named, merge};
    use super::*;
    use std::collections::BTreeMap;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn the_contract_keys_map_to_their_actions() {
        let cases = [
            (KeyCode::Char('j'), Action::Down),
            (KeyCode::Down, Action::Down),
            (KeyCode::Char('k'), Action::Up),
            (KeyCode::Left, Action::Collapse),
            (KeyCode::Char(' '), Action::ToggleWatched),
            (KeyCode::Char('/'), Action::Search),
            (KeyCode::Char('?'), Action::Help),
            (KeyCode::End, Action::Last),
        ];
        for (code, action) in cases {
            assert_eq!(
                action_for_key(Context::NORMAL, &press(code, KeyModifiers::NONE)),
                Some(action),
                "{code:?}"
            );
        }
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for_key(Context::NORMAL, &ctrl_c), Some(Action::Quit));
        // Shift+g arrives as 'G' with SHIFT on some terminals.
        let shift_g = press(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(
            action_for_key(Context::NORMAL, &shift_g),
            Some(Action::Last)
        );
    }

    #[test]
    fn text_contexts_type_instead_of_acting() {
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(
            action_for_key(Context::SEARCH, &q),
            Some(Action::SearchInput('q'))
        );
        assert_eq!(
            action_for_key(Context::NOTES, &q),
            Some(Action::EditorKey(q))
        );
        let esc = press(KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(
            action_for_key(Context::NOTES, &esc),
            Some(Action::EditorDone)
        );
    }

    #[test]
    fn an_override_moves_the_action_and_says_what_it_took() {
        let overrides: BTreeMap<String, String> = [
            ("x".to_string(), "toggle_watched".to_string()),
            ("q".to_string(), "help".to_string()),
            ("Ctrl-f".to_string(), "search".to_string()),
            ("ctrl-F".to_string(), "undo".to_string()),
        ]
        .into();
        let (table, conflicts) = merge(NORMAL, &overrides);
        let keys = |action| {
            table
                .iter()
                .find(|(b, _)| b.action == action)
                .map(|(_, k)| k.clone())
                .expect("bound")
        };
        assert_eq!(keys(Action::ToggleWatched), vec![key('x')], "Space went");
        assert_eq!(keys(Action::Help), vec![key('q')]);
        assert_eq!(keys(Action::Quit), vec![ctrl('c')], "q was taken from quit");
        assert_eq!(keys(Action::Search), vec![ctrl('f')]);
        assert_eq!(
            keys(Action::Undo),
            vec![key('u')],
            "the second spelling lost"
        );
        assert!(
            conflicts
                .iter()
                .any(|c| c.contains("\"q\" was quit, now help")),
            "{conflicts:?}"
        );
        assert!(
            conflicts.iter().any(|c| c.contains("are one key")),
            "{conflicts:?}"
        );
        assert_eq!(conflicts.len(), 2, "{conflicts:?}");
    }

    #[test]
    fn every_config_action_name_is_an_action() {
        for name in crate::config::ACTION_NAMES {
            assert!(action_named(name).is_some(), "{name}");
        }
    }

    #[test]
    fn the_watch_order_and_the_notes_editor_hint_their_own_keys() {
        let words = |context| -> Vec<String> {
            hints(context)
                .iter()
                .map(|(k, w)| format!("{} {w}", k.label()))
                .collect()
        };
        let order = words(Context::ORDER);
        assert!(
            order.contains(&"c release/curated".to_string()),
            "{order:?}"
        );
        assert!(order.contains(&"o back".to_string()), "{order:?}");
        assert!(!words(Context::NORMAL).iter().any(|h| h.starts_with("c ")));
        let notes = words(Context::NOTES);
        assert_eq!(
            notes,
            ["Esc save & close", "Enter new line", "Ctrl-U undo typing"]
        );
        // The editor's keys reach it as typed.
        let enter = press(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(
            action_for_key(Context::NOTES, &enter),
            Some(Action::EditorKey(enter))
        );
    }

    #[test]
    fn releases_are_ignored() {
        let mut j = press(KeyCode::Char('j'), KeyModifiers::NONE);
        j.kind = KeyEventKind::Release;
        assert_eq!(action_for_key(Context::NORMAL, &j), None);
    }

    #[test]
    fn no_key_is_bound_twice_in_one_table() {
        for context in [
            Context::NORMAL,
            Context::SEARCH,
            Context::NOTES,
            Context::HELP,
            Context::CONFIRM_QUIT,
            Context::PROMPT,
            Context::SECRET,
            Context::PICK,
            Context::BUSY,
            Context::REVIEW,
            Context::ASK,
            Context::FORM,
            Context::CONFIRM,
        ] {
            let keys: Vec<Key> = context
                .bindings()
                .iter()
                .flat_map(|b| b.keys.iter().copied())
                .collect();
            for (i, k) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(k), "{context:?}: {k:?} twice");
            }
        }
    }

    #[test]
    fn every_key_a_message_names_is_bound() {
        let named = [
            (Context::NORMAL, Action::Undo, "u"),
            (Context::NORMAL, Action::ToggleWatched, "Space"),
            (Context::NORMAL, Action::NextMatch, "n"),
            (Context::NORMAL, Action::PrevMatch, "N"),
            (Context::NORMAL, Action::Search, "/"),
            (Context::NORMAL, Action::ToggleOpen, "Enter"),
            (Context::NORMAL, Action::WatchOrder, "o"),
            (Context::NORMAL, Action::Quit, "q"),
            (Context::NORMAL, Action::Help, "?"),
            (Context::NORMAL, Action::EditNotes, "e"),
            (Context::NORMAL, Action::SpoilerShield, "s"),
            (Context::NOTES, Action::EditorDone, "Esc"),
            (Context::HELP, Action::Down, "j"),
            (Context::HELP, Action::Up, "k"),
        ];
        for (context, action, key) in named {
            assert!(
                !keys_for(context, action).is_empty(),
                "{action:?} is not bound"
            );
            assert_eq!(key_for(context, action), key, "{action:?}");
        }
        assert_eq!(hint(Context::NORMAL, Action::Undo, "to undo"), "u to undo");
        // Every rating key is the one rating binding.
        assert_eq!(key_for(Context::NORMAL, Action::Rate(3)), "1");
    }
}
