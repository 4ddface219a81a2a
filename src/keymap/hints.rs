//! The keys as messages and the status bar name them, read from the running tables.

use crate::action::Action;

use super::{Context, Key, Table, same_action};

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
