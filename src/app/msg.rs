//! What goes into the app (`Msg`) and what comes out of it besides its state (`Effect`), and
//! the message it shows (`Status`).

use std::time::Duration;

use crate::action::Action;
use crate::model::NodeId;

/// Every input the app takes, through `App::update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    /// A key or mouse intent, from the keymap.
    Key(Action),
    /// The terminal's size (columns, rows): where the panes now are.
    Resized(u16, u16),
    /// What the last frame found while drawing: how far its details pane can scroll.
    Drawn(Drawn),
    /// Nothing happened for a while: take in finished saves, then look for an outside edit.
    Tick,
    /// Take in the saves that finished.
    Saves,
    /// Look for an outside edit of the file (only when idle).
    FileChanged,
    /// Wait (up to the limit) until every change is on disk, as before quitting.
    Flush(Duration),
    /// The external editor of the notes of a node finished: the new text, or why not.
    EditorReturned(NodeId, Result<String, String>),
    /// A signal asked the app to stop: a last save try for a failed one, then flush.
    Stopped,
    /// A worker (TVmaze, import) made progress or finished.
    Job(super::jobs::Report),
}

impl From<Action> for Msg {
    fn from(action: Action) -> Msg {
        Msg::Key(action)
    }
}

/// What drawing a frame measured, handed back to the app by the run loop (drawing itself
/// writes nothing): the app clamps the details' scrolling with it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Drawn {
    /// How far the details pane can scroll (its last line at the bottom of the pane); `None`
    /// when the frame had no details pane (a terminal too small).
    pub detail_limit: Option<u16>,
    /// How far the help can scroll; `None` when the help was not drawn.
    pub help_limit: Option<u16>,
}

/// Work the run loop must do outside `update` (it needs the terminal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    ExternalEditor(NodeId),
}

/// The message in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Info(String),
    Error(String),
}
