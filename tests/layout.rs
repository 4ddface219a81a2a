//! The architecture's one mechanical rule (issue #10): no two modules import each other, at
//! the top level (`model` ↔ `store`) or between siblings (`app::forms` ↔ `app::facts`). A
//! cycle is where a change stops being local; this test names the pair and the lines.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Module path (`app::forms`) → its source without the unit tests and comments.
fn modules() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    let root = stack[0].clone();
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("src").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(&root).expect("under src");
            let mut parts: Vec<String> = rel
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.last().is_some_and(|p| p == "mod") {
                parts.pop();
            }
            let text = fs::read_to_string(&path).expect("read");
            let code = text
                .split("#[cfg(test)]\nmod tests")
                .next()
                .unwrap_or_default()
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            out.insert(parts.join("::"), code);
        }
    }
    out
}

/// The paths written after `prefix` (`crate::`, `super::`), as segments.
fn paths_after<'a>(code: &'a str, prefix: &str) -> Vec<Vec<&'a str>> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().last();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        out.push(rest[..end].split("::").filter(|s| !s.is_empty()).collect());
    }
    out
}

#[test]
fn no_two_modules_import_each_other() {
    let modules = modules();
    let known: BTreeSet<&str> = modules.keys().map(String::as_str).collect();
    // The longest known module a path names.
    let resolve = |base: &[&str], segs: &[&str]| -> Option<String> {
        (1..=segs.len()).rev().find_map(|k| {
            let mut full: Vec<&str> = base.to_vec();
            full.extend_from_slice(&segs[..k]);
            let name = full.join("::");
            known.contains(name.as_str()).then_some(name)
        })
    };
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, code) in &modules {
        let own: Vec<&str> = name.split("::").collect();
        let parent = &own[..own.len().saturating_sub(1)];
        let mut found = BTreeSet::new();
        for segs in paths_after(code, "crate::") {
            found.extend(resolve(&[], &segs));
        }
        for segs in paths_after(code, "super::") {
            found.extend(resolve(parent, &segs));
        }
        uses.insert(name.clone(), found);
    }
    let top = |m: &str| m.split("::").next().unwrap_or_default().to_string();
    let mut cycles = Vec::new();
    for (a, bs) in &uses {
        for b in bs {
            let nested = b.starts_with(&format!("{a}::")) || a.starts_with(&format!("{b}::"));
            if a < b && !nested && uses.get(b).is_some_and(|u| u.contains(a)) {
                cycles.push(format!("{a} ↔ {b}"));
            }
        }
    }
    let mut tops: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (a, bs) in &uses {
        for b in bs {
            if top(a) != top(b) {
                tops.entry(top(a)).or_default().insert(top(b));
            }
        }
    }
    for (a, bs) in &tops {
        for b in bs {
            if a < b && tops.get(b).is_some_and(|u| u.contains(a)) {
                cycles.push(format!("{a} ↔ {b} (top level)"));
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "modules that import each other: {cycles:?}"
    );
    // The check sees imports at all: `app` uses `model`, `store` uses `model`.
    assert!(tops["app"].contains("model") && tops["store"].contains("model"));
}
