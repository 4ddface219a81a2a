//! The one key table: (mode, key) → Action. The help overlay and the status bar hints are
//! generated from these tables, so what the app shows is what the app does.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind,
};

use crate::action::Action;

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
            other => format!("{other:?}"),
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

/// Browsing the tree.
pub const NORMAL: &[Binding] = &[
    bind(
        &[key('j'), code(KeyCode::Down)],
        Action::Down,
        "move down",
        None,
    ),
    bind(&[key('k'), code(KeyCode::Up)], Action::Up, "move up", None),
    bind(
        &[key('l'), code(KeyCode::Right)],
        Action::Expand,
        "expand",
        None,
    ),
    bind(
        &[key('h'), code(KeyCode::Left)],
        Action::Collapse,
        "collapse / go to parent",
        None,
    ),
    bind(
        &[code(KeyCode::Enter)],
        Action::ToggleOpen,
        "expand or collapse",
        None,
    ),
    bind(
        &[key('g'), code(KeyCode::Home)],
        Action::First,
        "first item",
        None,
    ),
    bind(
        &[key('G'), code(KeyCode::End)],
        Action::Last,
        "last item",
        None,
    ),
    bind(&[code(KeyCode::PageUp)], Action::PageUp, "page up", None),
    bind(
        &[code(KeyCode::PageDown)],
        Action::PageDown,
        "page down",
        None,
    ),
    bind(
        &[key('J')],
        Action::DetailDown,
        "scroll the details down",
        None,
    ),
    bind(&[key('K')], Action::DetailUp, "scroll the details up", None),
    bind(
        &[key(' ')],
        Action::ToggleWatched,
        "mark watched (season/show: all)",
        Some("watched"),
    ),
    bind(&[key('r')], Action::Rewatch, "log a rewatch today", None),
    bind(&[key('e')], Action::EditNotes, "edit notes", Some("notes")),
    bind(
        &[key('E')],
        Action::EditNotesExternal,
        "edit notes in $VISUAL/$EDITOR",
        None,
    ),
    bind(&[key('/')], Action::Search, "search titles", Some("search")),
    bind(&[key('n')], Action::NextMatch, "next match", None),
    bind(&[key('N')], Action::PrevMatch, "previous match", None),
    bind(&[key('u')], Action::Undo, "undo", Some("undo")),
    bind(
        &[key('o')],
        Action::WatchOrder,
        "watch order of the franchise",
        Some("order"),
    ),
    bind(
        &[key('c')],
        Action::SwitchOrder,
        "watch order: release or curated",
        None,
    ),
    bind(
        &[code(KeyCode::Esc)],
        Action::Cancel,
        "leave the watch order",
        None,
    ),
    bind(
        &[key('s')],
        Action::SpoilerShield,
        "spoiler shield on / off",
        None,
    ),
    bind(
        &[key('1'), key('2'), key('3'), key('4'), key('5'), key('0')],
        Action::Rate(0),
        "rate 1–5 (again or 0 clears)",
        None,
    ),
    bind(&[key('?')], Action::Help, "help", Some("help")),
    bind(&[key('q'), ctrl('c')], Action::Quit, "quit", Some("quit")),
];

/// Typing in the search prompt (printable characters are typed, not looked up here).
pub const SEARCH: &[Binding] = &[
    bind(
        &[code(KeyCode::Enter)],
        Action::Confirm,
        "select the first match",
        Some("select"),
    ),
    bind(
        &[code(KeyCode::Esc)],
        Action::Cancel,
        "cancel, go back",
        Some("cancel"),
    ),
    bind(
        &[code(KeyCode::Backspace)],
        Action::SearchBackspace,
        "delete a character",
        None,
    ),
    bind(&[ctrl('c')], Action::Quit, "quit", None),
];

/// The notes editor (every other key edits the text).
pub const NOTES: &[Binding] = &[bind(
    &[code(KeyCode::Esc)],
    Action::EditorDone,
    "save the notes and close",
    Some("save & close"),
)];

/// The help overlay.
pub const HELP: &[Binding] = &[
    bind(
        &[key('j'), code(KeyCode::Down)],
        Action::Down,
        "scroll down",
        None,
    ),
    bind(
        &[key('k'), code(KeyCode::Up)],
        Action::Up,
        "scroll up",
        None,
    ),
    bind(
        &[code(KeyCode::Esc), key('?'), key('q')],
        Action::Cancel,
        "close help",
        Some("close"),
    ),
    bind(&[ctrl('c')], Action::Quit, "quit", None),
];

/// The question asked when quitting with unsaved changes.
pub const CONFIRM_QUIT: &[Binding] = &[
    bind(
        &[key('y')],
        Action::Confirm,
        "quit and lose the unsaved changes",
        Some("quit anyway"),
    ),
    bind(
        &[key('s')],
        Action::RetrySave,
        "try saving again",
        Some("retry save"),
    ),
    bind(
        &[key('n'), code(KeyCode::Esc)],
        Action::Cancel,
        "stay",
        Some("stay"),
    ),
];

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
    pub bindings: &'static [Binding],
    pub unbound: Unbound,
    /// Clicks and the wheel act (only where the tree has the focus).
    pub mouse: bool,
}

impl Context {
    pub const NORMAL: Context = Context {
        bindings: NORMAL,
        unbound: Unbound::Ignored,
        mouse: true,
    };
    pub const SEARCH: Context = Context {
        bindings: SEARCH,
        unbound: Unbound::SearchInput,
        mouse: false,
    };
    pub const NOTES: Context = Context {
        bindings: NOTES,
        unbound: Unbound::EditorKey,
        mouse: false,
    };
    pub const HELP: Context = Context {
        bindings: HELP,
        unbound: Unbound::Ignored,
        mouse: false,
    };
    pub const CONFIRM_QUIT: Context = Context {
        bindings: CONFIRM_QUIT,
        unbound: Unbound::Ignored,
        mouse: false,
    };

    pub fn bindings(self) -> &'static [Binding] {
        self.bindings
    }
}

/// The first key bound to `action` in `context`, as the help writes it ("u", "Space"): what a
/// hint inside a message names, so a message never names a key that does something else.
pub fn key_for(context: Context, action: Action) -> String {
    keys_for(context, action)
        .first()
        .map(|k| k.label())
        .unwrap_or_else(|| "?".into())
}

/// Every key bound to `action` in `context`.
pub fn keys_for(context: Context, action: Action) -> &'static [Key] {
    context
        .bindings
        .iter()
        .find(|b| same_action(b.action, action))
        .map_or(&[], |b| b.keys)
}

/// "u to undo": the key bound to `action`, then `words`.
pub fn hint(context: Context, action: Action, words: &str) -> String {
    format!("{} {words}", key_for(context, action))
}

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
    use super::*;

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
