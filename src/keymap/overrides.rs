//! The config's key overrides: the running tables built from the defaults, and the conflicts
//! to report.

use std::collections::BTreeMap;

use crate::action::Action;

use super::{Binding, Key, NORMAL, RUNNING, Running, Table, same_action};

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
