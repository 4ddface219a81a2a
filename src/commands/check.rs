//! `check`: the file loaded (never created) and summed up, watch-order warnings at line:col.

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::Library;
use crate::store;

/// What `check` found in a file that loads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckReport {
    pub path: String,
    pub franchises: usize,
    pub shows: usize,
    pub episodes: usize,
    pub watched: usize,
    /// Curated watch_order keys the order view drops or repeats. Warnings: the file loads.
    pub warnings: Vec<CheckWarning>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckWarning {
    /// 1-based; 0 when the key could not be found in the text (written with escapes).
    pub line: usize,
    pub column: usize,
    pub key: String,
    pub message: String,
}

impl CheckReport {
    /// The `ok: …` line for stdout.
    pub fn summary(&self) -> String {
        let warned = match self.warnings.len() {
            0 => String::new(),
            n => format!(", {n} watch-order warning(s)"),
        };
        format!(
            "ok: {}: {} franchise(s), {} show(s), {} episodes, {} watched{warned}\n",
            self.path, self.franchises, self.shows, self.episodes, self.watched
        )
    }

    /// One `file:line:col: warning: …` line each, for stderr.
    pub fn warning_lines(&self) -> Vec<String> {
        self.warnings
            .iter()
            .map(|w| {
                format!(
                    "{}:{}:{}: warning: watch_order key \"{}\": {}",
                    self.path,
                    w.line,
                    w.column,
                    store::one_line(&w.key),
                    w.message
                )
            })
            .collect()
    }
}

/// `check`: loads the file without creating it and sums it up.
pub fn check(path: &Path) -> Result<String> {
    check_report(path).map(|r| r.summary())
}

/// `check` as data: the sums and the watch-order warnings with their line:col.
pub fn check_report(path: &Path) -> Result<CheckReport> {
    // A link to nothing is reported by the load, as `list` reports it.
    if !path.exists() && store::dangling_link(path).is_none() {
        return Err(Error::Other(format!(
            "{}: no library file yet (run `fantrack` once to create it)",
            path.display()
        )));
    }
    let library = store::load(path).map_err(|e| {
        let backup = store::backup_path(path);
        match store::load(&backup) {
            Ok(_) => Error::Other(format!(
                "{e}; a backup that loads is at {} (`fantrack restore-backup` puts it back)",
                backup.display()
            )),
            Err(_) => Error::Load(e),
        }
    })?;
    let shows: usize = library.franchises.iter().map(|f| f.shows.len()).sum();
    let p = library.progress();
    // It just loaded, so it reads; an error here only costs the positions.
    let text = std::fs::read_to_string(path).unwrap_or_default();
    Ok(CheckReport {
        path: path.display().to_string(),
        franchises: library.franchises.len(),
        shows,
        episodes: p.total,
        watched: p.watched,
        warnings: watch_order_warnings(&library, &text),
    })
}

/// Each franchise's watch-order problems, placed in `text`: the n-th `watch_order` field
/// with keys belongs to the n-th franchise with keys, and the k-th copy of a key string in
/// that list is the k-th occurrence of `"key"` after the field's name.
fn watch_order_warnings(library: &Library, text: &str) -> Vec<CheckWarning> {
    let fields: Vec<usize> = text.match_indices("watch_order").map(|(i, _)| i).collect();
    let mut warnings = Vec::new();
    for (nth, franchise) in library
        .franchises
        .iter()
        .filter(|f| !f.watch_order.is_empty())
        .enumerate()
    {
        let start = fields.get(nth).copied();
        for problem in franchise.watch_order_problems() {
            let copy = franchise
                .watch_order
                .iter()
                .take(problem.index)
                .filter(|k| **k == problem.key)
                .count();
            let quoted = format!("\"{}\"", problem.key);
            let offset = start.and_then(|start| {
                let rest = text.get(start..)?;
                rest.match_indices(&quoted)
                    .nth(copy)
                    .map(|(i, _)| start + i)
            });
            let (line, column) = offset.map_or((0, 0), |at| line_col(text, at));
            warnings.push(CheckWarning {
                line,
                column,
                key: problem.key,
                message: problem.message,
            });
        }
    }
    warnings
}

/// 1-based line and column (in characters) of byte `at`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count()
        + 1;
    (line, column)
}
