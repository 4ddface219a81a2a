//! The import report: per show, rows matched / already had / unmatched (with the reason) and
//! the new watches, then a summary line. Every row lands in exactly one of the three, so
//! `matched + already + unmatched = rows`, for a dry run as for the real thing.

use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub rows: usize,
    /// Rows that found their episode (or season, or show) and brought something new.
    pub matched: usize,
    /// Rows whose every part the library already had.
    pub already: usize,
    pub unmatched: usize,
    /// Watch dates added (at most one per matched row).
    pub new_watches: usize,
    /// Plays the export gives no date for: counted, not recorded (the model keeps dated
    /// viewings only).
    pub undated_plays: usize,
}

impl Counts {
    pub(crate) fn add(&mut self, o: &Counts) {
        self.rows += o.rows;
        self.matched += o.matched;
        self.already += o.already;
        self.unmatched += o.unmatched;
        self.new_watches += o.new_watches;
        self.undated_plays += o.undated_plays;
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} row(s): {} matched ({} new watch(es)), {} already had, {} unmatched",
            self.rows, self.matched, self.new_watches, self.already, self.unmatched
        )?;
        if self.undated_plays > 0 {
            write!(f, "; {} undated play(s) not recorded", self.undated_plays)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShowReport {
    /// The library's title for a matched show, the export's otherwise.
    pub label: String,
    /// Added by `--add-missing`.
    pub added: bool,
    /// Where an added show came from ("from TVmaze", "from the export's titles and numbers:
    /// TVmaze could not be reached").
    pub added_from: Option<String>,
    pub counts: Counts,
    /// Unmatched rows in file order: where ("watched-history.json entry 3 S05E131") and why.
    pub unmatched: Vec<(String, String)>,
    /// Values the library kept over the export's (a different rating).
    pub kept: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Each file read: its name, format and rows.
    pub files: Vec<FileRead>,
    pub shows: Vec<ShowReport>,
    /// How dates, ratings and plays were taken; files passed over in a ZIP.
    pub notices: Vec<String>,
    pub total: Counts,
}

/// A file the import read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FileRead {
    /// The file's name (`export.zip:watched-history.json` for one inside a ZIP).
    pub name: String,
    /// What it was read as ("Trakt watch history").
    pub format: String,
    pub rows: usize,
}

impl fmt::Display for FileRead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}, {} row(s)", self.name, self.format, self.rows)
    }
}

impl Report {
    /// The report as `import --json` gives it (the shape the README documents).
    pub fn to_json(&self) -> serde_json::Value {
        let shows: Vec<serde_json::Value> = self
            .shows
            .iter()
            .map(|s| {
                let unmatched: Vec<serde_json::Value> = s
                    .unmatched
                    .iter()
                    .map(|(at, why)| serde_json::json!({"at": at, "why": why}))
                    .collect();
                serde_json::json!({
                    "show": s.label,
                    "added": s.added,
                    "added_from": s.added_from,
                    "counts": s.counts,
                    "unmatched": unmatched,
                    "kept": s.kept,
                })
            })
            .collect();
        serde_json::json!({
            "files": self.files,
            "shows": shows,
            "notices": self.notices,
            "total": self.total,
        })
    }
}

/// The most unmatched rows listed per show; the rest are counted.
const LISTED: usize = 10;

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "read {} file(s):", self.files.len())?;
        for line in &self.files {
            writeln!(f, "  {line}")?;
        }
        for show in &self.shows {
            let added = match (&show.added_from, show.added) {
                (Some(from), _) => format!(" [added {from}]"),
                (None, true) => " [added]".into(),
                (None, false) => String::new(),
            };
            writeln!(f, "{}{added}: {}", show.label, show.counts)?;
            // Rows with the same reason (a show not in the library) are listed once.
            let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
            for (at, why) in &show.unmatched {
                match groups.iter_mut().find(|(w, _)| *w == why.as_str()) {
                    Some((_, ats)) => ats.push(at),
                    None => groups.push((why, vec![at])),
                }
            }
            for (why, ats) in groups.iter().take(LISTED) {
                match ats.as_slice() {
                    [at] => writeln!(f, "  unmatched: {at}: {why}")?,
                    [first, ..] => writeln!(
                        f,
                        "  unmatched: {} rows, the first {first}: {why}",
                        ats.len()
                    )?,
                    [] => {}
                }
            }
            if let Some(more) = groups.get(LISTED..).filter(|m| !m.is_empty()) {
                let rest: usize = more.iter().map(|(_, a)| a.len()).sum();
                writeln!(f, "  … and {rest} more unmatched row(s) for other reasons")?;
            }
            for line in &show.kept {
                writeln!(f, "  kept: {line}")?;
            }
        }
        for notice in &self.notices {
            writeln!(f, "note: {notice}")?;
        }
        writeln!(f, "summary: {}", self.total)
    }
}
