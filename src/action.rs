//! Every user intent the TUI understands. Keys and mouse events become `Action`s
//! (see `keymap`), and only `App::update` turns an `Action` into a change of state.

use crossterm::event::KeyEvent;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Move the selection up one line.
    Up,
    /// Move the selection down one line.
    Down,
    /// Go to the first line.
    First,
    /// Go to the last line.
    Last,
    /// Move up a page.
    PageUp,
    /// Move down a page.
    PageDown,
    /// Scroll the details pane down.
    DetailDown,
    /// Scroll the details pane up.
    DetailUp,
    /// Open the selected item, or step into it when already open.
    Expand,
    /// Close the selected item, or go to its parent when closed or a leaf.
    Collapse,
    /// Open or close the selected item.
    ToggleOpen,
    /// Toggle watched on an episode; mark or unmark all on a season or show.
    ToggleWatched,
    /// Log another viewing of a watched episode today.
    Rewatch,
    /// Edit the selection's notes inside the app.
    EditNotes,
    /// Edit the selection's notes in $VISUAL / $EDITOR.
    EditNotesExternal,
    /// Open the search prompt.
    Search,
    /// Jump to the next match of the last search.
    NextMatch,
    /// Jump to the previous match of the last search.
    PrevMatch,
    /// Undo the last change.
    Undo,
    /// Show the franchise's episodes in watch order instead of the tree, or go back.
    WatchOrder,
    /// In the watch-order view: switch between release and curated order.
    SwitchOrder,
    /// Hide or show titles and notes past the furthest watched episode of each show.
    SpoilerShield,
    /// Rate the selected show, season or episode 1–5 stars (the same number again, or 0, clears).
    Rate(u8),
    /// Cycle the tree's filter: all, unwatched only, in progress.
    Filter,
    /// Edit the facts of the selection in a form over the details pane.
    EditFacts,
    /// Record news about the selected show (or the show of the selected season).
    News,
    /// Add a franchise, show, season or episode under the selection.
    Add,
    /// Delete the selection, after a question that says what goes with it.
    Remove,
    /// Edit the watch dates of the selected episode.
    WatchDates,
    /// In a form: the next field.
    FormNext,
    /// In a form: the previous field.
    FormPrev,
    /// In a form: apply it (one undo step), or say what is wrong.
    FormApply,
    /// In a form: Enter: a new row in a list field, else apply.
    FormEnter,
    /// Show or hide the stats view.
    Stats,
    /// Show or hide the help overlay.
    Help,
    /// Search TVmaze and add a show from it.
    TvmazeAdd,
    /// Re-fetch the selected show (or every show with a TVmaze id) from TVmaze.
    TvmazeRefresh,
    /// Import a history export (Trakt, TV Time, SeriesGuide, fantrack) from a file.
    Import,
    /// In a prompt: switch its option (the import's "add missing shows").
    ToggleOption,
    /// Quit (asks first if a save failed).
    Quit,
    /// Close the overlay or prompt; in the search prompt, go back to where you were.
    Cancel,
    /// Accept: select the first search match, or confirm quitting.
    Confirm,
    /// Type a character into the search prompt.
    SearchInput(char),
    /// Delete the last character of the search prompt.
    SearchBackspace,
    /// A key for the notes editor.
    EditorKey(KeyEvent),
    /// Save the notes being edited and close the editor.
    EditorDone,
    /// Retry the failed save (from the quit question).
    RetrySave,
    /// A click at a terminal cell (column, row).
    Click(u16, u16),
    /// The mouse wheel at a terminal cell (column, row): scroll up what is under it.
    ScrollUp(u16, u16),
    /// The mouse wheel at a terminal cell (column, row): scroll down what is under it.
    ScrollDown(u16, u16),
}
