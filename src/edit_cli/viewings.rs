//! The watch-date fixes: `watch --replace OLD` moves a viewing, `unwatch --date` drops one.

use super::*;

/// `watch SHOW S01E03 --date NEW --replace OLD`: the viewing on OLD moves to NEW.
pub fn replace_viewing(
    path: &Path,
    show: &str,
    code: &str,
    old: Date,
    new: Date,
) -> Result<String> {
    viewing(path, show, code, |dates, label| {
        let i = dates
            .iter()
            .position(|d| *d == old)
            .ok_or_else(|| not_on(label, old, dates))?;
        if let Some(d) = dates.get_mut(i) {
            *d = new;
        }
        Ok(format!("{label}: the viewing of {old} is now on {new}"))
    })
}

/// `unwatch SHOW S01E03 --date D`: one viewing removed, the others kept.
pub fn remove_viewing(path: &Path, show: &str, code: &str, date: Date) -> Result<String> {
    viewing(path, show, code, |dates, label| {
        let i = dates
            .iter()
            .position(|d| *d == date)
            .ok_or_else(|| not_on(label, date, dates))?;
        dates.remove(i);
        Ok(match dates.len() {
            0 => format!("{label}: the viewing of {date} removed; now unwatched"),
            n => format!("{label}: the viewing of {date} removed; {n} left"),
        })
    })
}

fn not_on(label: &str, date: Date, dates: &[Date]) -> String {
    if dates.is_empty() {
        return format!("{label} is not watched");
    }
    let all: Vec<String> = dates.iter().map(Date::to_string).collect();
    format!(
        "{label} has no viewing on {date}; its viewings: {}",
        all.join(", ")
    )
}

/// Changes one episode's watch dates through `Edit::SetHistories`.
fn viewing(
    path: &Path,
    key: &str,
    code: &str,
    mut change: impl FnMut(&mut Vec<Date>, &str) -> std::result::Result<String, String>,
) -> Result<String> {
    let (message, warnings) = run(path, |library| {
        let (_, show) = named(library, key)?;
        let (n, e) = crate::model::parse_episode_code(code)
            .ok_or_else(|| format!("\"{code}\" is not an episode code like S01E03"))?;
        let label = format!("{} {}", show.title, episode_code(n, e));
        let episode = show
            .season(n)
            .and_then(|s| s.episode(e))
            .ok_or_else(|| format!("{} has no {}", show.title, episode_code(n, e)))?;
        let mut dates = episode.watched.clone();
        let before = dates.clone();
        let message = change(&mut dates, &label)?;
        dates.sort();
        let mut warnings = Vec::new();
        for d in dates.iter().filter(|d| !before.contains(d)) {
            if *d > today() {
                warnings.push(format!("{d} is in the future; recorded as given"));
            }
            if let Some(aired) = episode.air_date
                && *d < aired
            {
                warnings.push(format!(
                    "{d} is before the episode aired ({aired}); recorded as given"
                ));
            }
        }
        apply(
            library,
            &Edit::SetHistories {
                target: crate::model::Target::Episode(show.id.clone(), n, e),
                histories: vec![((n, e), dates)],
            },
        )?;
        Ok(((message, warnings), true))
    })?;
    for w in warnings {
        eprintln!("fantrack: warning: {w}");
    }
    Ok(format!("{message}\n"))
}
