//! The default key tables, one per kind of screen, and the rows several of them share.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::action::Action;

use super::{Binding, bind, code, ctrl, key};

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
