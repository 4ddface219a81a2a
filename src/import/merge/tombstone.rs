//! The merged tombstones applied: a deleted item goes, unless it holds the user's data.

use serde_json::Value;

use super::MergeReport;
use super::walk::items;
use crate::model::Library;

/// Applies the merged tombstones to the merged library value: an item a tombstone names goes,
/// unless it holds the user's data, then it stays and its tombstone goes. Only the shows a
/// tombstone names are walked, so a merge with none costs nothing here.
pub(super) fn tombstones(
    merged: &mut Value,
    ours: &Library,
    theirs: &Library,
    base: Option<&Library>,
    report: &mut MergeReport,
) {
    let mut removed: std::collections::BTreeSet<String> =
        ours.removed.union(&theirs.removed).cloned().collect();
    if let Some(b) = base {
        // A side that cleared a tombstone since the base put the item back.
        removed.retain(|k| {
            !b.removed.contains(k) || (ours.removed.contains(k) && theirs.removed.contains(k))
        });
    }
    if removed.is_empty() {
        return;
    }
    let mut shows: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut franchises: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for key in &removed {
        match key.split_once(':') {
            Some(("franchise", id)) => {
                franchises.insert(id);
            }
            Some((_, rest)) => {
                shows.insert(rest.split('/').next().unwrap_or(rest));
            }
            None => {}
        }
    }
    let mut cleared = Vec::new();
    let mut sweep = Sweep {
        removed: &removed,
        cleared: &mut cleared,
        report,
    };
    if let Some(Value::Array(list)) = merged.get_mut("franchises") {
        list.retain_mut(|f| {
            let id = str_of(f, "id");
            if franchises.contains(id.as_str())
                && !sweep.keep(f, &crate::model::franchise_key(&id), &id)
            {
                return false;
            }
            if let Some(Value::Array(list)) = f.get_mut("shows") {
                list.retain_mut(|s| {
                    let id = str_of(s, "id");
                    !shows.contains(id.as_str()) || sweep.show(s, &id)
                });
            }
            true
        });
    }
    for key in cleared {
        removed.remove(&key);
    }
    if let Value::Object(map) = merged
        && !removed.is_empty()
    {
        map.insert(
            "removed".into(),
            Value::Array(removed.into_iter().map(Value::String).collect()),
        );
    }
}

fn str_of(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

/// Whether an item (or anything in it) holds the user's data: watch dates, notes, a rating.
fn has_user_data(v: &Value) -> bool {
    let Some(map) = v.as_object() else {
        return false;
    };
    let full = |k: &str| match map.get(k) {
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Null) | None => false,
        Some(_) => true,
    };
    full("watched")
        || full("notes")
        || full("rating")
        || ["shows", "seasons", "episodes", "specials"]
            .iter()
            .any(|k| items(map.get(*k)).iter().any(has_user_data))
}

struct Sweep<'a> {
    removed: &'a std::collections::BTreeSet<String>,
    cleared: &'a mut Vec<String>,
    report: &'a mut MergeReport,
}

impl Sweep<'_> {
    /// Whether the item `key` names stays (it is not tombstoned, or holds the user's data).
    fn keep(&mut self, item: &Value, key: &str, label: &str) -> bool {
        if !self.removed.contains(key) {
            return true;
        }
        // Said once: an item only the other copy had is not "new" when it goes.
        self.report.new_items.retain(|l| l != label);
        if has_user_data(item) {
            self.report.kept.push(label.to_string());
            self.cleared.push(key.to_string());
            true
        } else {
            self.report.deleted.push(label.to_string());
            false
        }
    }

    /// The show's own tombstone and its seasons' and episodes': whether the show stays.
    fn show(&mut self, show: &mut Value, id: &str) -> bool {
        if !self.keep(show, &crate::model::show_key(id), id) {
            return false;
        }
        if let Some(Value::Array(seasons)) = show.get_mut("seasons") {
            seasons.retain_mut(|se| {
                let n = se.get("number").and_then(Value::as_u64).unwrap_or(0);
                let n32 = u32::try_from(n).unwrap_or(u32::MAX);
                let label = format!("{id} season {n}");
                if !self.keep(se, &crate::model::season_key(id, n32), &label) {
                    return false;
                }
                if let Some(Value::Array(eps)) = se.get_mut("episodes") {
                    eps.retain(|e| {
                        let en = e.get("number").and_then(Value::as_u64).unwrap_or(0);
                        let en32 = u32::try_from(en).unwrap_or(u32::MAX);
                        let key = crate::model::episode_key(id, n32, en32);
                        self.keep(e, &key, &format!("{label} episode {en}"))
                    });
                }
                true
            });
        }
        true
    }
}
