//! [`plan`]: each row's outcome against the library, the changes it makes and the report.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::civil::Date;

use super::changes::{apply_change, episode, rated};
use super::find::{Index, Miss, find_episode, find_show, locate, miss_text, show_at};
use super::missing::add_missing;
use super::{Change, ImportPlan, Loc, Options, ShowLoc};
use crate::import::report::{Counts, Report, ShowReport};
use crate::import::{
    Fact, Format, Parsed, RATING_RULE, Row, ShowRef, Slot, Target, Tracker, five_of_ten,
};
use crate::model::Library;

/// One row's fate.
enum Outcome {
    Matched { new_watches: usize, undated: usize },
    Already,
    Unmatched(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum ReportKey {
    Library(ShowLoc),
    Export(String),
}

/// Matches every row against `library` and lists the changes that bring in what is new.
/// `library` is not changed; [`apply`](super::apply) does that.
pub fn plan(library: &Library, parsed: &Parsed, options: &Options<'_>) -> ImportPlan {
    // The plan works on a copy (cheap: shows are shared until changed) so that rows later in
    // the import see what earlier ones added: a play twice in the export is added once.
    let mut work = library.clone();
    let mut index = Index::new(&work);
    let mut changes: Vec<Change> = Vec::new();
    // Each added show, with where it came from.
    let mut added: HashMap<ShowLoc, String> = HashMap::new();

    if options.add_missing {
        add_missing(
            &mut work,
            &mut index,
            parsed,
            options,
            &mut changes,
            &mut added,
        );
    }

    let mut cache: HashMap<ShowRef, Result<ShowLoc, Miss>> = HashMap::new();
    let mut shows: Vec<ShowReport> = Vec::new();
    let mut by_key: HashMap<ReportKey, usize> = HashMap::new();
    let mut rating_rows = false;
    let mut rewatches: BTreeMap<usize, (Date, usize)> = BTreeMap::new();

    let every = (parsed.rows.len() / 100).max(1);
    for (n, row) in parsed.rows.iter().enumerate() {
        if let Some(progress) = options.progress
            && n % every == 0
        {
            progress(n, parsed.rows.len());
        }
        let file = parsed.files.get(row.file);
        let found = cache
            .entry(row.show.clone())
            .or_insert_with(|| find_show(&work, &index, &row.show))
            .clone();
        let found_loc = found.as_ref().ok().copied();
        let (outcome, show_loc) = decide(
            &mut work,
            &index,
            row,
            found,
            options.add_missing,
            &mut changes,
        );
        if matches!(
            row.fact,
            Fact::Rating {
                ten: Some(_),
                five: None,
                ..
            }
        ) {
            rating_rows = true;
        }
        // A row that is no viewing (a TV Time event) still goes under its show when known.
        let key = match (show_loc.or(found_loc), &row.fact) {
            (Some(loc), _) => ReportKey::Library(loc),
            (None, Fact::Other(_)) if row.show.title.is_none() => {
                ReportKey::Export("(not TV: movies and other rows)".into())
            }
            (None, _) => ReportKey::Export(row.show.label()),
        };
        let i = *by_key.entry(key.clone()).or_insert_with(|| {
            let label = match key {
                ReportKey::Library(loc) => show_at(&work, loc)
                    .map_or_else(String::new, |s| format!("{} ({})", s.title, s.id)),
                ReportKey::Export(label) => label,
            };
            shows.push(ShowReport {
                label,
                added: show_loc
                    .or(found_loc)
                    .is_some_and(|l| added.contains_key(&l)),
                added_from: show_loc.or(found_loc).and_then(|l| added.get(&l).cloned()),
                ..Default::default()
            });
            shows.len() - 1
        });
        // Trakt's reset_at: the plays after it are a rewatch (the earlier ones, undated, the
        // first viewing); said per show in the notes.
        if let Fact::Plays {
            count,
            rewatch_since: Some(since),
            ..
        } = &row.fact
            && *count >= 2
            && !matches!(outcome, Outcome::Unmatched(_))
        {
            let seen = rewatches.entry(i).or_insert((*since, 0));
            seen.1 += 1;
        }
        // `i` was just found or pushed: always there.
        let Some(report) = shows.get_mut(i) else {
            continue;
        };
        report.counts.rows += 1;
        match outcome {
            Outcome::Matched {
                new_watches,
                undated,
            } => {
                report.counts.matched += 1;
                report.counts.new_watches += new_watches;
                report.counts.undated_plays += undated;
            }
            Outcome::Already => report.counts.already += 1,
            Outcome::Unmatched(why) => {
                report.counts.unmatched += 1;
                let episode = match &row.target {
                    Target::Episode(ep) if ep.slot != Slot::Unnumbered => format!(" {}", ep.slot),
                    _ => String::new(),
                };
                let file = file.map_or_else(String::new, |f| format!("{} {} ", f.name, f.unit));
                report
                    .unmatched
                    .push((format!("{file}{}{episode}", row.pos), why));
            }
        }
        if let Some(kept) = kept_rating(&work, row, show_loc, &index) {
            report.kept.push(kept);
        }
    }

    let mut total = Counts::default();
    for s in &shows {
        total.add(&s.counts);
    }
    let mut notices = Vec::new();
    let tz_name = options
        .tz
        .iana_name()
        .unwrap_or("your time zone")
        .to_string();
    let formats: HashSet<Format> = parsed.files.iter().map(|f| f.format).collect();
    if formats.iter().any(|f| matches!(f, Format::Trakt(_))) {
        notices.push(format!(
            "Trakt times are UTC; each viewing is dated by its day in {tz_name}"
        ));
    }
    if formats.iter().any(|f| matches!(f, Format::TvTime(_))) {
        notices.push(format!(
            "TV Time times carry no time zone: taken as UTC, then dated by their day in {tz_name}"
        ));
    }
    if rating_rows {
        notices.push(RATING_RULE.to_string());
    }
    if total.undated_plays > 0 {
        notices.push(format!(
            "{} play(s) have no date in the export (SeriesGuide keeps none, Trakt's watched shows only the last); fantrack keeps dated viewings only, so they are counted here and not recorded",
            total.undated_plays
        ));
    }
    for (&i, &(since, n)) in &rewatches {
        let Some(show) = shows.get(i) else { continue };
        notices.push(format!(
            "{}: you reset its progress on Trakt on {since} to watch it again; {n} episode(s) seen again since: the last viewing of each is dated, the earlier one(s) before the reset counted undated",
            show.label
        ));
    }
    // Shows TVmaze gave come whole; the others only with what the export says.
    let bare = added
        .keys()
        .filter(|&&l| show_at(&work, l).is_some_and(|s| s.tvmaze.is_none()))
        .count();
    if bare > 0 {
        notices.push(format!(
            "added {bare} show(s) as bare shows from the export's titles and numbers; their status is not in the export and shows as running until refreshed"
        ));
    }
    notices.extend(parsed.skipped.iter().map(|s| format!("passed over {s}")));
    let files = parsed
        .files
        .iter()
        .map(|f| crate::import::report::FileRead {
            name: f.name.clone(),
            format: f.format.to_string(),
            rows: f.rows,
        })
        .collect();
    ImportPlan {
        changes,
        report: Report {
            files,
            shows,
            notices,
            total,
        },
    }
}

/// A rating the library keeps over a different one in the export, for the report.
fn kept_rating(work: &Library, row: &Row, show: Option<ShowLoc>, index: &Index) -> Option<String> {
    let Fact::Rating { five, ten } = &row.fact else {
        return None;
    };
    let wanted = five.or_else(|| ten.and_then(five_of_ten))?;
    let at = locate(work, index, row, show?).ok()?;
    let (Some(current), _, _) = rated(work, at)? else {
        return None;
    };
    (current != wanted).then(|| {
        let given = match ten {
            Some(t) if five.is_none() => format!("{t}/10"),
            _ => format!("{wanted}/5"),
        };
        format!(
            "your rating {current}/5 of {}; the export says {given}",
            what(&row.target)
        )
    })
}

fn what(target: &Target) -> String {
    match target {
        Target::Show => "the show".into(),
        Target::Season(n) => format!("season {n}"),
        Target::Episode(e) => e.slot.to_string(),
    }
}

/// Decides one row against `work`, records its change there and in `changes`.
fn decide(
    work: &mut Library,
    index: &Index,
    row: &Row,
    found: Result<ShowLoc, Miss>,
    add_missing: bool,
    changes: &mut Vec<Change>,
) -> (Outcome, Option<ShowLoc>) {
    if let Fact::Other(why) = &row.fact {
        return (Outcome::Unmatched(why.clone()), None);
    }
    // An episode id can find the episode even when the show's title and ids find nothing.
    let (show, loc) = match (&found, &row.target) {
        (Ok(s), _) => (*s, locate(work, index, row, *s)),
        (Err(miss), Target::Episode(ep)) => match find_episode(work, index, None, ep) {
            Ok(at) => (at.show, Ok(Loc::Episode(at))),
            Err(_) => {
                return (
                    Outcome::Unmatched(miss_text(miss, &row.show, add_missing)),
                    None,
                );
            }
        },
        (Err(miss), _) => {
            return (
                Outcome::Unmatched(miss_text(miss, &row.show, add_missing)),
                None,
            );
        }
    };
    let loc = match loc {
        Ok(l) => l,
        Err(why) => return (Outcome::Unmatched(why), Some(show)),
    };
    let mut push = |work: &mut Library, change: Change| {
        if apply_change(work, &change) {
            changes.push(change);
            true
        } else {
            false
        }
    };
    let outcome = match (&row.fact, loc) {
        (Fact::Other(why), _) => Outcome::Unmatched(why.clone()), // returned above; kept total
        (Fact::Follow, _) => Outcome::Already,
        (Fact::Play(date), Loc::Episode(at)) => {
            if push(work, Change::Watch { at, date: *date }) {
                Outcome::Matched {
                    new_watches: 1,
                    undated: 0,
                }
            } else {
                Outcome::Already
            }
        }
        (Fact::Plays { count, last, .. }, Loc::Episode(at)) => {
            let new = match last {
                Some(date) => usize::from(push(work, Change::Watch { at, date: *date })),
                None => 0,
            };
            let have = episode(work, at).map_or(0, |e| e.watched.len());
            let undated = (*count as usize).saturating_sub(have);
            if new == 0 && undated == 0 {
                Outcome::Already
            } else {
                Outcome::Matched {
                    new_watches: new,
                    undated,
                }
            }
        }
        (Fact::Play(_) | Fact::Plays { .. }, _) => {
            Outcome::Unmatched("a viewing that names no episode".into())
        }
        (Fact::Rating { five, ten }, at) => {
            let wanted = five.or_else(|| ten.and_then(five_of_ten));
            match (at, wanted) {
                (_, None) => Outcome::Unmatched("a rating outside 1–10".into()),
                (at, Some(rating)) => {
                    let current = rated(work, at).map(|(r, r10, _)| (r, r10));
                    match current {
                        Some((Some(r), r10)) if r == rating && (r10.is_some() || ten.is_none()) => {
                            Outcome::Already
                        }
                        Some((Some(r), _)) if r != rating => Outcome::Already, // kept: reported
                        _ => {
                            let change = Change::Rate {
                                at,
                                rating,
                                rating_of_10: *ten,
                            };
                            if push(work, change) {
                                Outcome::Matched {
                                    new_watches: 0,
                                    undated: 0,
                                }
                            } else {
                                Outcome::Already
                            }
                        }
                    }
                }
            }
        }
        (Fact::Note(text), at) => {
            let present =
                rated(work, at).is_some_and(|(_, _, notes)| notes.contains(text.as_str()));
            if present {
                Outcome::Already
            } else {
                let text = match row.tracker {
                    Tracker::Fantrack => text.clone(),
                    tracker => format!("{text} [from {tracker}]"),
                };
                if push(work, Change::Note { at, text }) {
                    Outcome::Matched {
                        new_watches: 0,
                        undated: 0,
                    }
                } else {
                    Outcome::Already
                }
            }
        }
    };
    (outcome, Some(show))
}
