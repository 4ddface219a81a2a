//! SeriesGuide's JSON backup (`seriesguide-shows-backup.json`): shows with their ids, seasons,
//! and episodes marked `watched` with a number of `plays`, but no date of any viewing
//! (`first_aired` is the broadcast, in ms). Ratings are 1–10 (0: none).

use super::detect::{Entry, id, imdb};
use super::{Ctx, EpisodeRef, Fact, ImportError, Row, ShowRef, Slot, Target, Tracker};
use crate::model::ExternalIds;

fn ten(value: Option<f64>) -> Option<u8> {
    let v = value?;
    (v.fract() == 0.0 && (1.0..=10.0).contains(&v)).then_some(v as u8)
}

fn year(first_aired: &Option<serde_json::Value>) -> Option<i16> {
    match first_aired.as_ref()? {
        serde_json::Value::String(s) => s.get(..4)?.parse().ok(),
        _ => None,
    }
}

pub fn parse(ctx: &Ctx<'_>, entries: Vec<Entry>, rows: &mut Vec<Row>) -> Result<(), ImportError> {
    for (i, e) in entries.into_iter().enumerate() {
        let pos = i + 1;
        let show = ShowRef {
            title: e.title.clone(),
            year: year(&e.first_aired),
            ids: ExternalIds {
                tvmaze: None,
                thetvdb: id(&e.tvdb_id),
                imdb: imdb(&e.imdb_id),
                tmdb: id(&e.tmdb_id),
                trakt: id(&e.trakt_id),
            },
            slug: None,
        };
        let mut push = |target: Target, fact: Fact| {
            rows.push(Row {
                file: ctx.file,
                pos,
                tracker: Tracker::SeriesGuide,
                show: show.clone(),
                target,
                fact,
            })
        };
        if let Some(note) = e
            .user_note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            push(Target::Show, Fact::Note(note.to_string()));
        }
        if let Some(t) = ten(e.rating_user) {
            push(
                Target::Show,
                Fact::Rating {
                    five: None,
                    ten: Some(t),
                },
            );
        }
        for season in e.seasons.iter().flatten() {
            let sn = season.season.or(season.number);
            for ep in season.episodes.iter().flatten() {
                // A hand-made import file may give only the episode's ids.
                let slot = match (sn, ep.episode.or(ep.number)) {
                    (Some(sn), Some(number)) => Slot::from_numbers(sn, number),
                    _ => Slot::Unnumbered,
                };
                let target = || {
                    Target::Episode(EpisodeRef {
                        slot,
                        title: ep.title.clone(),
                        ids: ExternalIds {
                            tvmaze: None,
                            thetvdb: id(&ep.tvdb_id),
                            imdb: imdb(&ep.imdb_id),
                            tmdb: id(&ep.tmdb_id),
                            trakt: None,
                        },
                    })
                };
                if ep.watched == Some(true) {
                    let count = ep.plays.unwrap_or(1).clamp(1, u64::from(u32::MAX)) as u32;
                    push(
                        target(),
                        Fact::Plays {
                            count,
                            last: None,
                            rewatch_since: None,
                        },
                    );
                }
                if let Some(t) = ten(ep.rating_user) {
                    push(
                        target(),
                        Fact::Rating {
                            five: None,
                            ten: Some(t),
                        },
                    );
                }
            }
        }
    }
    Ok(())
}
