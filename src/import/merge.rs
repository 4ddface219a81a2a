//! Two copies of the library made one (`fantrack merge`, and the git merge driver): a sync
//! tool's conflict copy, a backup, the other side of a git merge.
//!
//! - Watch histories are the union of their dates: no viewing is ever lost.
//! - Franchises and shows pair up by id, seasons and episodes by number; what only one copy
//!   has is kept.
//! - Notes that differ are both kept, the other copy's under a marker line (unless one
//!   already holds the other).
//! - Any other fact: the same on both sides, or known on one side only, is simply kept. With
//!   a base (`--driver`), a fact edited on one side only wins. A fact that differs on both
//!   sides is a conflict: this copy's value is kept and the conflict reported.
//!
//! - Tombstones (`removed`, what the user deleted) are the union of both copies' (less those
//!   a side cleared since the base): a deletion on one side wins over the item on the other,
//!   unless that item holds the user's data (watch dates, notes, a rating) — then it is kept,
//!   its tombstone dropped, and the report says so. No watch date is ever lost to a delete.
//!
//! The merge runs over the serde form of the library, so every field of the model is
//! covered, including ones added after this was written.

use std::fmt;

use serde_json::{Map, Value};

use crate::model::Library;

/// The line put between this copy's note and the other copy's when both are kept.
pub const NOTE_MARKER: &str = "[merged from the other copy]";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Watch dates the other copy added.
    pub new_dates: usize,
    /// Franchises, shows, seasons and episodes only the other copy had.
    pub new_items: Vec<String>,
    /// Facts taken from the other copy (unknown here, or edited only there).
    pub taken: Vec<String>,
    /// Notes that differed, now both kept.
    pub notes: Vec<String>,
    /// Facts that differ on both sides: this copy's value kept.
    pub conflicts: Vec<String>,
    /// Items one copy deleted and the other still had (unchanged, no data of the user's): gone.
    pub deleted: Vec<String>,
    /// Items one copy deleted that the other has watch dates, notes or a rating on: kept.
    pub kept: Vec<String>,
}

impl MergeReport {
    pub fn is_empty(&self) -> bool {
        self.new_dates == 0
            && self.new_items.is_empty()
            && self.taken.is_empty()
            && self.notes.is_empty()
            && self.deleted.is_empty()
            && self.kept.is_empty()
    }
}

impl fmt::Display for MergeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} new watch date(s), {} new item(s), {} fact(s) taken from the other copy, {} note(s) kept from both, {} conflict(s)",
            self.new_dates,
            self.new_items.len(),
            self.taken.len(),
            self.notes.len(),
            self.conflicts.len()
        )?;
        for line in &self.deleted {
            writeln!(f, "  deleted (one copy deleted it): {line}")?;
        }
        for line in &self.kept {
            writeln!(
                f,
                "  kept (one copy deleted it, the other has your watch dates or notes on it): {line}"
            )?;
        }
        for line in &self.new_items {
            writeln!(f, "  new: {line}")?;
        }
        for line in &self.taken {
            writeln!(f, "  taken: {line}")?;
        }
        for line in &self.notes {
            writeln!(f, "  notes kept from both: {line}")?;
        }
        for line in &self.conflicts {
            writeln!(f, "  conflict (this copy's kept): {line}")?;
        }
        Ok(())
    }
}

/// Merges `theirs` into `ours`; `base` is their common ancestor when known (git).
pub fn merge(
    ours: &Library,
    theirs: &Library,
    base: Option<&Library>,
) -> Result<(Library, MergeReport), String> {
    let mut report = MergeReport::default();
    let theirs = &align(ours, theirs, &mut report);
    let to = |l: &Library| serde_json::to_value(l).map_err(|e| format!("merge: {e}"));
    let (o, t) = (to(ours)?, to(theirs)?);
    let b = base.map(to).transpose()?;
    let mut merged = object(o, &t, b.as_ref(), "library", &mut report);
    tombstones(&mut merged, ours, theirs, base, &mut report);
    let library: Library = serde_json::from_value(merged)
        .map_err(|e| format!("merge: the result does not load: {e}"))?;
    Ok((library, report))
}

/// A show the other copy keeps in another franchise than this copy does is moved, in a copy
/// of `theirs`, to this copy's franchise (when the other copy has that franchise), so the two
/// pair up instead of the show ending up twice. Which franchise is a fact like any other:
/// this copy's is kept and the difference reported.
fn align(ours: &Library, theirs: &Library, report: &mut MergeReport) -> Library {
    let home: std::collections::HashMap<&str, &str> = ours
        .franchises
        .iter()
        .flat_map(|f| f.shows.iter().map(move |s| (s.id.as_str(), f.id.as_str())))
        .collect();
    let mut out = theirs.clone();
    let mut moves = Vec::new();
    for (fi, f) in theirs.franchises.iter().enumerate() {
        for s in &f.shows {
            if let Some(&want) = home.get(s.id.as_str())
                && want != f.id
                && let Some(to) = theirs.franchises.iter().position(|x| x.id == want)
            {
                moves.push((fi, s.id.clone(), to));
                report.conflicts.push(format!(
                    "{}: kept in franchise {want}, the other copy has it in {}",
                    s.id, f.id
                ));
            }
        }
    }
    for (from, id, to) in moves {
        if let Some(i) = out.franchises[from].shows.iter().position(|s| s.id == id) {
            let show = out.franchises[from].shows.remove(i);
            out.franchises[to].shows.push(show);
        }
    }
    out
}

/// Which child lists pair their items up, and by which key.
fn keyed(field: &str) -> Option<&'static str> {
    match field {
        "franchises" | "shows" => Some("id"),
        "seasons" | "episodes" | "specials" => Some("number"),
        _ => None,
    }
}

fn label(path: &str, field: &str, item: &Value) -> String {
    match (field, item.get("id"), item.get("number")) {
        (_, Some(Value::String(id)), _) => id.clone(),
        ("seasons", _, Some(n)) => format!("{path} season {n}"),
        ("specials", _, Some(n)) => format!("{path} special {n}"),
        (_, _, Some(n)) => format!("{path} episode {n}"),
        _ => path.to_string(),
    }
}

/// Merges `t` into `o`, taking `o` apart rather than copying it: what is the same on both
/// sides (most of two copies) is moved into the result as it is.
fn object(o: Value, t: &Value, b: Option<&Value>, path: &str, report: &mut MergeReport) -> Value {
    if o == *t {
        return o; // most of two copies is the same: nothing to walk
    }
    let (Value::Object(om), Some(tm)) = (&o, t.as_object()) else {
        return pick(Some(o), Some(t), b, path, report).unwrap_or(Value::Null);
    };
    let theirs_only: Vec<&String> = tm.keys().filter(|k| !om.contains_key(*k)).collect();
    let Value::Object(om) = o else {
        return Value::Null; // an object, just matched above
    };
    let bm = b.and_then(Value::as_object);
    let mut out = Map::new();
    for (key, ov) in om {
        let (tv, bv) = (tm.get(&key), bm.and_then(|m| m.get(&key)));
        if let Some(v) = field(&key, Some(ov), tv, bv, path, report) {
            out.insert(key, v);
        }
    }
    for key in theirs_only {
        let (tv, bv) = (tm.get(key), bm.and_then(|m| m.get(key)));
        if let Some(v) = field(key, None, tv, bv, path, report) {
            out.insert(key.clone(), v);
        }
    }
    Value::Object(out)
}

/// One field of an object, merged by what it holds.
fn field(
    key: &str,
    ov: Option<Value>,
    tv: Option<&Value>,
    bv: Option<&Value>,
    path: &str,
    report: &mut MergeReport,
) -> Option<Value> {
    match key {
        // The tombstones are merged apart, once the items are (see `tombstones`).
        "removed" if path == "library" => None,
        "watched" => Some(dates(ov.as_ref(), tv, report)),
        "notes" => notes(ov.as_ref(), tv, bv, path, report),
        field if keyed(field).is_some() => Some(list(ov, tv, bv, field, path, report)),
        _ => pick(ov, tv, bv, &format!("{path} {key}"), report),
    }
}

/// [`fact`], owning this side's value: it is moved into the result when kept.
fn pick(
    o: Option<Value>,
    t: Option<&Value>,
    b: Option<&Value>,
    path: &str,
    report: &mut MergeReport,
) -> Option<Value> {
    let ours = match fact(o.as_ref(), t, b, path, report) {
        None => false,
        Some(p) if o.as_ref().is_some_and(|o| std::ptr::eq(o, p)) => true,
        Some(p) => return Some(p.clone()),
    };
    if ours { o } else { None }
}

fn describe(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "nothing".into(),
        Some(v) => v.to_string(),
    }
}

/// One fact: equal, known on one side only, edited on one side only (with a base), or a
/// conflict (this side's kept).
fn fact<'a>(
    o: Option<&'a Value>,
    t: Option<&'a Value>,
    b: Option<&'a Value>,
    path: &str,
    report: &mut MergeReport,
) -> Option<&'a Value> {
    // A null is an unknown, like a field left out.
    let known = |v: Option<&'a Value>| v.filter(|v| !v.is_null());
    let (o, t, b) = (known(o), known(t), b.map(|b| known(Some(b))));
    if o == t {
        return o;
    }
    let taken = |report: &mut MergeReport| {
        report
            .taken
            .push(format!("{path}: {} (was {})", describe(t), describe(o)));
        t
    };
    match b {
        Some(b) if o == b => taken(report),
        Some(b) if t == b => o,
        None if o.is_none() => taken(report),
        None if t.is_none() => o,
        _ => {
            report.conflicts.push(format!(
                "{path}: kept {}, the other copy has {}",
                describe(o),
                describe(t)
            ));
            o
        }
    }
}

/// The union of two watch histories, in date order (`YYYY-MM-DD` sorts as dates do).
fn dates(o: Option<&Value>, t: Option<&Value>, report: &mut MergeReport) -> Value {
    let (ours, theirs) = (items(o), items(t));
    if ours == theirs {
        return Value::Array(ours.to_vec());
    }
    let new: Vec<Value> = theirs
        .iter()
        .filter(|d| !ours.contains(d))
        .cloned()
        .collect();
    report.new_dates += new.len();
    let mut all: Vec<Value> = ours.iter().cloned().chain(new).collect();
    all.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    all.dedup();
    Value::Array(all)
}

fn notes(
    o: Option<&Value>,
    t: Option<&Value>,
    b: Option<&Value>,
    path: &str,
    report: &mut MergeReport,
) -> Option<Value> {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_string();
    let (ours, theirs, base) = (text(o), text(t), b.map(|v| text(Some(v))));
    let pick = |s: String| (!s.is_empty()).then_some(Value::String(s));
    if ours == theirs || theirs.is_empty() || ours.contains(&theirs) {
        return pick(ours);
    }
    if base.as_deref() == Some(ours.as_str()) || ours.is_empty() || theirs.contains(&ours) {
        report.taken.push(format!("{path} notes"));
        return pick(theirs);
    }
    report.notes.push(path.to_string());
    pick(format!("{ours}\n\n{NOTE_MARKER}\n{theirs}"))
}

/// The items of a list (none when it is not one), borrowed.
fn items(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// The item of `list` whose key is `k`, through its index.
fn find<'a>(
    list: &'a [Value],
    at: &std::collections::HashMap<String, usize>,
    k: &str,
) -> Option<&'a Value> {
    at.get(k).and_then(|&i| list.get(i))
}

/// An item's pairing key as text (`"bosch"`, `3`; `null` when it has none), for lookups.
fn key_of(item: &Value, key: &str) -> String {
    item.get(key).unwrap_or(&Value::Null).to_string()
}

fn list(
    o: Option<Value>,
    t: Option<&Value>,
    b: Option<&Value>,
    field: &str,
    path: &str,
    report: &mut MergeReport,
) -> Value {
    let Some(key) = keyed(field) else {
        return Value::Null;
    };
    // Borrowed, never cloned: each level used to copy its whole subtree again.
    let ours = match o {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    };
    let (theirs, base) = (items(t), items(b));
    // By key, so a long list (25,000 episodes of one show) is not searched once per item.
    let index = |list: &[Value]| -> std::collections::HashMap<String, usize> {
        let mut by_key = std::collections::HashMap::with_capacity(list.len());
        for (i, x) in list.iter().enumerate() {
            by_key.entry(key_of(x, key)).or_insert(i);
        }
        by_key
    };
    let (theirs_at, base_at) = (index(theirs), index(base));
    let mut out = Vec::with_capacity(ours.len().max(theirs.len()));
    let mut ours_keys = std::collections::HashSet::with_capacity(ours.len());
    for item in ours {
        let k = key_of(&item, key);
        match find(theirs, &theirs_at, &k) {
            Some(other) => {
                let here = label(path, field, &item);
                let base_item = find(base, &base_at, &k);
                out.push(object(item, other, base_item, &here, report));
            }
            None => out.push(item),
        }
        ours_keys.insert(k);
    }
    let mut added = false;
    for item in theirs {
        if !ours_keys.contains(&key_of(item, key)) {
            report.new_items.push(label(path, field, item));
            out.push(item.clone());
            added = true;
        }
    }
    if added && key == "number" {
        out.sort_by_key(|x| x.get("number").and_then(Value::as_u64).unwrap_or(u64::MAX));
    }
    Value::Array(out)
}

/// Applies the merged tombstones to the merged library value: an item a tombstone names goes,
/// unless it holds the user's data, then it stays and its tombstone goes. Only the shows a
/// tombstone names are walked, so a merge with none costs nothing here.
fn tombstones(
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

/// The sync tools' conflict copies beside the library at `path`, oldest name first:
/// Syncthing's `library.sync-conflict-20261201-120000-ABCDEFG.ron`, Dropbox's
/// `library (conflicted copy).ron` / `library (Jane's conflicted copy 2026-12-01).ron`, and
/// Nextcloud's `library (conflicted copy 2026-12-01 120000).ron`. For the app's offer to merge
/// them at start.
pub fn conflict_copies(path: &std::path::Path) -> Vec<std::path::PathBuf> {
    let (Some(stem), Some(name)) = (
        path.file_stem().and_then(|s| s.to_str()),
        path.file_name().and_then(|s| s.to_str()),
    ) else {
        return Vec::new();
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<std::path::PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let Some(n) = e.file_name().to_str().map(str::to_owned) else {
                return false;
            };
            n != name
                && n.starts_with(stem)
                && n.ends_with(".ron")
                && (n.contains(".sync-conflict-") || n.contains("conflicted copy"))
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}
