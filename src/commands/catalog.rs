//! `catalog diff` and `catalog update`: the shipped catalog against the user's library.

use std::fmt::Write as _;
use std::path::Path;

use super::json::to_json;
use super::open;
use crate::catalog::{self, ChangeKind};
use crate::error::{Error, Result};
use crate::model::Library;
use crate::store;

fn plan_text(plan: &catalog::Plan) -> String {
    let mut out = String::new();
    for change in &plan.changes {
        let tag = match change.kind {
            ChangeKind::NewShow => "new show",
            ChangeKind::NewSeason => "new season",
            ChangeKind::NewEpisode => "new episode",
            ChangeKind::Fact => "fact",
            ChangeKind::KeptUserEdit => "kept yours",
            ChangeKind::KeptDeleted => "kept deleted",
        };
        let _ = writeln!(out, "  {tag:<12} {}", change.what);
    }
    out
}

fn version(v: Option<u32>) -> String {
    v.map_or_else(|| "none".into(), |v| v.to_string())
}

/// `catalog diff`: what `catalog update` would change, changing nothing.
pub fn catalog_diff(library: &Library) -> String {
    let plan = catalog::diff(library, &store::shipped_catalog(), None);
    if plan.is_empty() {
        return format!(
            "up to date with the shipped catalog (version {})\n",
            plan.to
        );
    }
    format!(
        "catalog version {} → {}: {} change(s); `fantrack catalog update` applies them\n{}",
        version(plan.from),
        plan.to,
        plan.changes.len(),
        plan_text(&plan)
    )
}

/// `catalog diff --json`: `{"from", "to", "changes": [{"kind", "what"}]}`.
pub fn catalog_diff_json(library: &Library) -> String {
    let plan = catalog::diff(library, &store::shipped_catalog(), None);
    let changes: Vec<serde_json::Value> = plan
        .changes
        .iter()
        .map(|c| {
            let kind = match c.kind {
                catalog::ChangeKind::NewShow => "new_show",
                catalog::ChangeKind::NewSeason => "new_season",
                catalog::ChangeKind::NewEpisode => "new_episode",
                catalog::ChangeKind::Fact => "fact",
                catalog::ChangeKind::KeptUserEdit => "kept_user_edit",
                catalog::ChangeKind::KeptDeleted => "kept_deleted",
            };
            serde_json::json!({"kind": kind, "what": c.what})
        })
        .collect();
    to_json(&serde_json::json!({
        "from": plan.from,
        "to": plan.to,
        "changes": changes,
    }))
}

/// `catalog update`: merges the shipped catalog under the lock, after copying the file aside.
pub fn catalog_update(path: &Path) -> Result<String> {
    if !path.exists() {
        open(path)?;
    }
    let _lock = store::lock(path, store::LOCK_WAIT).map_err(Error::Lock)?;
    let (mut library, stamp) = store::load_stamped(path)?;
    let shipped = store::shipped_catalog();
    if let (Some(mine), Some(theirs)) = (library.catalog_version, shipped.catalog_version)
        && mine > theirs
    {
        return Err(Error::Other(format!(
            "your library is from catalog version {mine}, newer than this build's {theirs}; update fantrack"
        )));
    }
    let plan = catalog::update(&mut library, &shipped, None);
    // Never save a file that would not load again (say, a deletion the merge did not foresee).
    if let Err((problem, _)) = store::validate(&library, "") {
        return Err(Error::Other(format!(
            "the update would leave a library that does not load ({problem}); nothing was saved"
        )));
    }
    if plan.is_empty() {
        return Ok(format!(
            "up to date with the shipped catalog (version {})\n",
            plan.to
        ));
    }
    let mut aside = path.as_os_str().to_owned();
    aside.push(format!(".catalog-{}.bak", version(plan.from)));
    let aside = std::path::PathBuf::from(aside);
    std::fs::copy(path, &aside).map_err(Error::file(&aside))?;
    // Checked against the file as read: an editor's save in between is never written over.
    if let store::Saved::ChangedOnDisk(_) = store::save_checked(path, &library, Some(&stamp))? {
        return Err(Error::Other(format!(
            "{}: changed on disk during the update; nothing was saved, run it again",
            path.display()
        )));
    }
    Ok(format!(
        "updated to catalog version {}: {} change(s); the file as it was is kept as {}\n{}",
        plan.to,
        plan.changes.len(),
        aside.display(),
        plan_text(&plan)
    ))
}
