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

use crate::model::Library;

mod tombstone;
mod walk;

use tombstone::tombstones;
use walk::object;

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
        // Both ends are checked before the show leaves its franchise: it is never dropped.
        if to >= out.franchises.len() {
            continue;
        }
        let Some(shows) = out.franchises.get_mut(from).map(|f| &mut f.shows) else {
            continue;
        };
        let Some(i) = shows.iter().position(|s| s.id == id) else {
            continue;
        };
        let show = shows.remove(i);
        if let Some(f) = out.franchises.get_mut(to) {
            f.shows.push(show);
        }
    }
    out
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
