//! `stats`: watching per month, time per show, completion per franchise, as text.

use std::fmt::Write as _;

use jiff::civil::Date;

use crate::model::Library;
use crate::present;

fn hours(minutes: u64) -> String {
    format!("{}h{:02}", minutes / 60, minutes % 60)
}

/// `stats`: the same figures as text.
/// Dates read as `dates` says.
pub fn stats(library: &Library, today: Date, dates: &present::Dates) -> String {
    let st = crate::model::library_stats(library, today);
    let mut out = String::from("Episodes watched per month (last two years)\n");
    let most = st
        .months
        .iter()
        .map(|m| m.episodes)
        .max()
        .unwrap_or(0)
        .max(1);
    for m in &st.months {
        let bar = "#".repeat((m.episodes * 40).div_ceil(most));
        let _ = writeln!(out, "  {}  {:>4}  {bar}", m.month, m.episodes);
    }
    let _ = writeln!(out, "\nTime per show (known runtimes only)");
    let width = st
        .shows
        .iter()
        .map(|s| s.title.chars().count())
        .max()
        .unwrap_or(0);
    for s in &st.shows {
        let unknown = match s.unknown_runtime {
            0 => String::new(),
            n => format!("  ({n} of {} without a runtime)", s.total),
        };
        let _ = writeln!(
            out,
            "  {:<width$}  {:>8} watched  {:>8} left{unknown}",
            s.title,
            hours(s.minutes_watched),
            hours(s.minutes_left)
        );
    }
    let _ = writeln!(out, "\nCompletion per franchise");
    for f in &st.franchises {
        let _ = writeln!(
            out,
            "  {}  {}/{} ({}%)",
            f.title, f.watched, f.total, f.percent
        );
    }
    let _ = match &st.longest_streak {
        Some(s) => writeln!(
            out,
            "\nLongest streak: {} day(s) in a row, {} to {}",
            s.days,
            dates.show(s.from),
            dates.show(s.to)
        ),
        None => writeln!(out, "\nLongest streak: nothing watched yet"),
    };
    out
}
