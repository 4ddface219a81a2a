//! The one key table: (mode, key) → Action. The help overlay and the status bar hints are
//! generated from these tables, so what the app shows is what the app does.
//!
//! The tables below are the defaults. At start, `install` builds the running tables once from
//! them and the config's overrides (`tree`, `watch_order`); every lookup (`Context::bindings`,
//! `key_for`, `hint`, `action_for_key`) reads the running tables, so the help and every hint
//! show the keys as configured.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind,
};

use std::collections::BTreeMap;
use std::sync::OnceLock;

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

// Rows several tables share, written once.
/// Ctrl-C quits from anywhere; no hint (`q` is the one the status bar names).
const QUIT: Binding = bind(&[ctrl('c')], Action::Quit, "quit", None);
const SCROLL_DOWN: Binding = bind(
    &[key('j'), code(KeyCode::Down)],
    Action::Down,
    "scroll down",
    None,
);
const SCROLL_UP: Binding = bind(
    &[key('k'), code(KeyCode::Up)],
    Action::Up,
    "scroll up",
    None,
);
const YES: Binding = bind(&[key('y')], Action::Confirm, "yes", Some("yes"));
const NO: Binding = bind(
    &[key('n'), code(KeyCode::Esc)],
    Action::Cancel,
    "no",
    Some("no"),
);

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
    bind(
        &[key('i')],
        Action::EditFacts,
        "edit the facts (form)",
        Some("edit"),
    ),
    bind(
        &[key('t')],
        Action::News,
        "record news on the timeline",
        None,
    ),
    bind(&[key('a')], Action::Add, "add under the selection", None),
    bind(
        &[key('D'), code(KeyCode::Delete)],
        Action::Remove,
        "delete (asks first)",
        None,
    ),
    bind(&[key('w')], Action::WatchDates, "edit watch dates", None),
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
    bind(
        &[key('f')],
        Action::Filter,
        "filter: unwatched / in progress",
        None,
    ),
    bind(&[key('S')], Action::Stats, "stats", None),
    bind(
        &[key('A')],
        Action::TvmazeAdd,
        "add a show from TVmaze",
        None,
    ),
    bind(
        &[key('R')],
        Action::TvmazeRefresh,
        "refresh from TVmaze",
        None,
    ),
    bind(&[key('I')], Action::Import, "import a history export", None),
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
    QUIT,
];

/// The notes editor (every other key edits the text). Besides Esc these are the editor's
/// own keys, listed so the help and the status bar show them: they reach the editor as typed.
pub const NOTES: &[Binding] = &[
    bind(
        &[code(KeyCode::Esc)],
        Action::EditorDone,
        "save the notes and close",
        Some("save & close"),
    ),
    bind(
        &[code(KeyCode::Enter)],
        Action::EditorKey(editor_key(KeyCode::Enter, KeyModifiers::NONE)),
        "new line",
        Some("new line"),
    ),
    bind(
        &[ctrl('u')],
        Action::EditorKey(editor_key(KeyCode::Char('u'), KeyModifiers::CONTROL)),
        "undo the typing",
        Some("undo typing"),
    ),
    bind(
        &[ctrl('r')],
        Action::EditorKey(editor_key(KeyCode::Char('r'), KeyModifiers::CONTROL)),
        "redo the typing",
        None,
    ),
];

const fn editor_key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, mods)
}

/// A form (every other key edits the focused field).
pub const FORM: &[Binding] = &[
    bind(
        &[code(KeyCode::Tab)],
        Action::FormNext,
        "next field",
        Some("next"),
    ),
    bind(
        &[code(KeyCode::BackTab)],
        Action::FormPrev,
        "previous field",
        None,
    ),
    bind(
        &[ctrl('s')],
        Action::FormApply,
        "apply (one undo step)",
        Some("apply"),
    ),
    bind(
        &[code(KeyCode::Enter)],
        Action::FormEnter,
        "apply; in a list: a new row",
        None,
    ),
    bind(
        &[code(KeyCode::Esc)],
        Action::Cancel,
        "cancel, nothing changes",
        Some("cancel"),
    ),
];

/// A yes/no question (deleting, an unusual watch date).
pub const CONFIRM: &[Binding] = &[YES, NO];

/// The help overlay.
pub const HELP: &[Binding] = &[
    SCROLL_DOWN,
    SCROLL_UP,
    bind(
        &[code(KeyCode::Esc), key('?'), key('q')],
        Action::Cancel,
        "close help",
        Some("close"),
    ),
    QUIT,
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

/// Typing a line: a TVmaze search, a file to import.
pub const PROMPT: &[Binding] = &[
    bind(&[code(KeyCode::Enter)], Action::Confirm, "go", Some("go")),
    bind(
        &[code(KeyCode::Esc)],
        Action::Cancel,
        "cancel",
        Some("cancel"),
    ),
    bind(
        &[code(KeyCode::Backspace)],
        Action::SearchBackspace,
        "delete a character",
        None,
    ),
    bind(
        &[code(KeyCode::Tab)],
        Action::ToggleOption,
        "switch the option",
        Some("option"),
    ),
    QUIT,
];

/// Typing a secret (a ZIP's password): every other key edits the masked field.
pub const SECRET: &[Binding] = &[
    bind(
        &[code(KeyCode::Enter)],
        Action::Confirm,
        "try it",
        Some("go"),
    ),
    bind(
        &[code(KeyCode::Esc)],
        Action::Cancel,
        "cancel",
        Some("cancel"),
    ),
    QUIT,
];

/// Choosing one line of a list (TVmaze candidates, a franchise).
pub const PICK: &[Binding] = &[
    bind(&[key('j'), code(KeyCode::Down)], Action::Down, "next", None),
    bind(&[key('k'), code(KeyCode::Up)], Action::Up, "previous", None),
    bind(
        &[code(KeyCode::Enter)],
        Action::Confirm,
        "choose",
        Some("choose"),
    ),
    bind(&[code(KeyCode::Esc)], Action::Cancel, "back", Some("back")),
    QUIT,
];

/// Waiting for the network or a big file.
pub const BUSY: &[Binding] = &[
    bind(
        &[code(KeyCode::Esc)],
        Action::Cancel,
        "stop waiting",
        Some("cancel"),
    ),
    QUIT,
];

/// A report to read, then apply or not (the import's dry run).
pub const REVIEW: &[Binding] = &[
    bind(
        &[key('y'), code(KeyCode::Enter)],
        Action::Confirm,
        "apply it",
        Some("apply"),
    ),
    SCROLL_DOWN,
    SCROLL_UP,
    bind(
        &[key('n'), code(KeyCode::Esc), key('q')],
        Action::Cancel,
        "close, change nothing",
        Some("cancel"),
    ),
    QUIT,
];

/// A yes/no question (merge a conflict copy?).
pub const ASK: &[Binding] = &[YES, NO, QUIT];

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

/// Builds the running tables from the defaults and `overrides` (mode → key → action name, as
/// the config writes them) and makes them the ones every lookup reads. Returns the conflicts
/// to report. Only the first call of a process counts: the keymap is fixed for the run (the
/// tables live as long as the process, so they are leaked once).
pub fn install(overrides: &BTreeMap<String, BTreeMap<String, String>>) -> Vec<String> {
    if RUNNING.get().is_some() {
        return Vec::new();
    }
    let tree = overrides
        .get(Table::Tree.name())
        .cloned()
        .unwrap_or_default();
    // The watch-order view browses too: the tree's overrides hold there, its own on top.
    let mut order = tree.clone();
    if let Some(own) = overrides.get(Table::WatchOrder.name()) {
        order.extend(own.iter().map(|(k, a)| (k.clone(), a.clone())));
    }
    let mut conflicts: Vec<String> = Vec::new();
    let mut table = |t: Table, mine: &BTreeMap<String, String>| -> &'static [Binding] {
        if mine.is_empty() {
            return NORMAL;
        }
        let (bindings, found) = merge(NORMAL, mine);
        for c in found {
            // A clash of the tree's overrides shows in both tables: say it once.
            if !conflicts.iter().any(|said| said.ends_with(&c)) {
                conflicts.push(format!("keys.{}: {c}", t.name()));
            }
        }
        let leaked: Vec<Binding> = bindings
            .into_iter()
            .map(|(binding, keys)| Binding {
                keys: Box::leak(keys.into_boxed_slice()),
                ..binding
            })
            .collect();
        Box::leak(leaked.into_boxed_slice())
    };
    let running = Running {
        tree: table(Table::Tree, &tree),
        watch_order: table(Table::WatchOrder, &order),
    };
    if RUNNING.set(running).is_err() {
        return Vec::new();
    }
    conflicts
}

/// The action a config names (`config::ACTION_NAMES`).
pub fn action_named(name: &str) -> Option<Action> {
    Some(match name {
        "up" => Action::Up,
        "down" => Action::Down,
        "first" => Action::First,
        "last" => Action::Last,
        "page_up" => Action::PageUp,
        "page_down" => Action::PageDown,
        "detail_down" => Action::DetailDown,
        "detail_up" => Action::DetailUp,
        "expand" => Action::Expand,
        "collapse" => Action::Collapse,
        "toggle_open" => Action::ToggleOpen,
        "toggle_watched" => Action::ToggleWatched,
        "rewatch" => Action::Rewatch,
        "edit_notes" => Action::EditNotes,
        "edit_notes_external" => Action::EditNotesExternal,
        "search" => Action::Search,
        "next_match" => Action::NextMatch,
        "prev_match" => Action::PrevMatch,
        "undo" => Action::Undo,
        "watch_order" => Action::WatchOrder,
        "switch_order" => Action::SwitchOrder,
        "spoiler_shield" => Action::SpoilerShield,
        "filter" => Action::Filter,
        "edit_facts" => Action::EditFacts,
        "news" => Action::News,
        "add" => Action::Add,
        "remove" => Action::Remove,
        "watch_dates" => Action::WatchDates,
        "stats" => Action::Stats,
        "help" => Action::Help,
        "tvmaze_add" => Action::TvmazeAdd,
        "tvmaze_refresh" => Action::TvmazeRefresh,
        "import" => Action::Import,
        "quit" => Action::Quit,
        _ => return None,
    })
}

/// The defaults with `overrides` (key → action name) merged in: an action given keys in the
/// config moves to those keys (its default keys go), and a key taken from another action
/// leaves it. Conflicts: two spellings of one key bound to different actions, an override
/// taking another action's key, an action left with no key.
pub fn merge(
    defaults: &[Binding],
    overrides: &BTreeMap<String, String>,
) -> (Vec<(Binding, Vec<Key>)>, Vec<String>) {
    let mut conflicts = Vec::new();
    let mut wanted: Vec<(Key, Action, &str, &str)> = Vec::new();
    for (text, name) in overrides {
        let (Ok((code, mods)), Some(action)) = (crate::config::parse_key(text), action_named(name))
        else {
            continue; // the config was checked at load; nothing unknown reaches here
        };
        let key = Key { code, mods };
        if let Some((_, _, other_text, other)) = wanted.iter().find(|w| w.0 == key && w.1 != action)
        {
            conflicts.push(format!(
                "{text:?} and {other_text:?} are one key, bound to both {other} and {name}; {other} keeps it"
            ));
            continue;
        }
        wanted.push((key, action, text, name));
    }
    let mut table: Vec<(Binding, Vec<Key>)> = defaults
        .iter()
        .map(|b| {
            let moved: Vec<Key> = wanted
                .iter()
                .filter(|w| same_action(w.1, b.action))
                .map(|w| w.0)
                .collect();
            let keys = if moved.is_empty() {
                b.keys.to_vec()
            } else {
                moved
            };
            (*b, keys)
        })
        .collect();
    for &(key, action, text, name) in &wanted {
        for (binding, keys) in table.iter_mut() {
            if same_action(binding.action, action) || !keys.contains(&key) {
                continue;
            }
            keys.retain(|k| *k != key);
            conflicts.push(format!("{text:?} was {}, now {name}", binding.help));
            if keys.is_empty() {
                conflicts.push(format!("{} has no key left", binding.help));
            }
        }
    }
    (table, conflicts)
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
        .bindings()
        .iter()
        .find(|b| same_action(b.action, action))
        .map_or(&[], |b| b.keys)
}

/// "u to undo": the key bound to `action`, then `words`.
pub fn hint(context: Context, action: Action, words: &str) -> String {
    format!("{} {words}", key_for(context, action))
}

/// What the status bar offers in the watch-order view: its own keys, then the way out.
/// The first are given up first on a short line, so `c` outlasts the rest.
const ORDER_HINTS: &[(Action, &str)] = &[
    (Action::ToggleOpen, "in the tree"),
    (Action::Undo, "undo"),
    (Action::ToggleWatched, "watched"),
    (Action::WatchOrder, "back"),
    (Action::SwitchOrder, "release/curated"),
    (Action::Help, "help"),
    (Action::Quit, "quit"),
];

/// The status bar's hints in `context` as (key, word), from the running tables: the bindings'
/// own hints, or in the watch-order view the keys that act there. The first are given up
/// first when the line is short.
pub fn hints(context: Context) -> Vec<(Key, &'static str)> {
    match context.table {
        Some(Table::WatchOrder) => ORDER_HINTS
            .iter()
            .filter_map(|&(action, word)| Some((*keys_for(context, action).first()?, word)))
            .collect(),
        _ => context
            .bindings()
            .iter()
            .filter_map(|b| Some((*b.keys.first()?, b.hint?)))
            .collect(),
    }
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
