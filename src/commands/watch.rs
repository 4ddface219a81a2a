//! `watch` / `unwatch`: one episode's history, changed in memory.

use jiff::civil::Date;

use super::view::named_show;
use crate::error::{Error, Result};
use crate::model::{Library, episode_code, parse_episode_code};

/// `watch` / `unwatch`: changes one episode's history in memory. Returns the message to print
/// and whether anything changed (so nothing is saved when nothing did). An episode already
/// watched gets no second viewing here: that takes [`watch_episode`] with `again`.
pub fn set_watched(
    library: &mut Library,
    key: &str,
    code: &str,
    watched: Option<Date>,
) -> Result<(String, bool)> {
    watch_episode(library, key, code, watched, false).map(|w| (w.message, w.changed))
}

/// What [`watch_episode`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    pub message: String,
    pub changed: bool,
    /// For stderr: a date in the future, or before the episode aired. Still recorded.
    pub warnings: Vec<String>,
}

/// `watch` (`Some(date)`, `again` for a rewatch) and `unwatch` (`None`).
pub fn watch_episode(
    library: &mut Library,
    key: &str,
    code: &str,
    watched: Option<Date>,
    again: bool,
) -> Result<Watched> {
    let (f, s) = named_show(library, key)?;
    let (season, number) =
        parse_episode_code(code).ok_or_else(|| Error::NotAnEpisodeCode(code.to_string()))?;
    let show = library
        .franchises
        .get_mut(f)
        .and_then(|fr| fr.shows.get_mut(s))
        .ok_or_else(|| Error::Other(format!("no show \"{key}\"")))?;
    let title = show.title.clone();
    let episode = show
        .season_mut(season)
        .and_then(|se| se.episode_mut(number))
        .ok_or_else(|| Error::NoEpisode {
            show: title.clone(),
            code: episode_code(season, number),
        })?;
    let label = format!(
        "{title} {} {}",
        episode_code(season, number),
        episode.display_title()
    );
    let done = |message: String, changed: bool| Watched {
        message,
        changed,
        warnings: Vec::new(),
    };
    Ok(match watched {
        Some(date) if episode.is_watched() && !again => {
            let dates: Vec<String> = episode.watched.iter().map(Date::to_string).collect();
            done(
                format!(
                    "{label}: already watched on {}; --again adds another viewing",
                    dates.join(", ")
                ),
                false,
            )
            .with_warnings(date, episode.air_date)
        }
        Some(date) => {
            let air = episode.air_date;
            episode.watched.push(date);
            episode.watched.sort();
            let n = episode.watched.len();
            let message = if n > 1 {
                format!("{label}: watched on {date} (viewing {n})")
            } else {
                format!("{label}: watched on {date}")
            };
            done(message, true).with_warnings(date, air)
        }
        None if episode.watched.is_empty() => done(format!("{label}: was not watched"), false),
        None => {
            episode.watched.clear();
            done(format!("{label}: unwatched"), true)
        }
    })
}

impl Watched {
    /// Only a change is warned about: a refused watch needs no second voice.
    fn with_warnings(mut self, date: Date, aired: Option<Date>) -> Watched {
        if !self.changed {
            return self;
        }
        if date > crate::model::today() {
            self.warnings
                .push(format!("{date} is in the future; recorded as given"));
        }
        if let Some(aired) = aired
            && date < aired
        {
            self.warnings.push(format!(
                "{date} is before the episode aired ({aired}); recorded as given"
            ));
        }
        self
    }
}
