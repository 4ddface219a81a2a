//! The walk over both copies' serde values: field by field, facts, dates, notes, keyed lists.

use serde_json::{Map, Value};

use super::{MergeReport, NOTE_MARKER};

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
pub(super) fn object(
    o: Value,
    t: &Value,
    b: Option<&Value>,
    path: &str,
    report: &mut MergeReport,
) -> Value {
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
pub(super) fn items(v: Option<&Value>) -> &[Value] {
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
