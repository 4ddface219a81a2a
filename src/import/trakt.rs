//! Trakt: the Data export's JSON files (and the API's `/sync/history`, `/sync/watched/shows`
//! responses, which have the same shape). Times are RFC 3339 UTC; ids may be `null`; season 0
//! holds the specials.

use super::detect::{Entry, TraktKind, TraktShow, trakt_ids};
use super::{Ctx, EpisodeRef, Fact, ImportError, Row, ShowRef, Slot, Target, Tracker};

fn show_ref(show: &Option<TraktShow>) -> ShowRef {
    match show {
        Some(s) => ShowRef {
            title: s.title.clone(),
            year: s.year,
            ids: trakt_ids(&s.ids),
            slug: None,
        },
        None => ShowRef::default(),
    }
}

pub fn parse(
    ctx: &Ctx<'_>,
    kind: TraktKind,
    entries: Vec<Entry>,
    rows: &mut Vec<Row>,
) -> Result<(), ImportError> {
    rows.reserve(entries.len());
    for (i, e) in entries.into_iter().enumerate() {
        let pos = i + 1;
        let row = |show: ShowRef, target: Target, fact: Fact| Row {
            file: ctx.file,
            pos,
            tracker: Tracker::Trakt,
            show,
            target,
            fact,
        };
        let episode_target = |e: &Entry| -> Option<Target> {
            let ep = e.episode.as_ref()?;
            Some(Target::Episode(EpisodeRef {
                slot: Slot::from_numbers(ep.season?, ep.number?),
                title: ep.title.clone(),
                ids: trakt_ids(&ep.ids),
            }))
        };
        let kind_of = e.kind.as_deref().unwrap_or(if e.episode.is_some() {
            "episode"
        } else if e.movie.is_some() {
            "movie"
        } else {
            "show"
        });
        if kind_of == "movie" {
            rows.push(row(
                ShowRef::default(),
                Target::Show,
                Fact::Other("a movie: fantrack tracks shows".into()),
            ));
            continue;
        }
        let show = show_ref(&e.show);
        match kind {
            TraktKind::History => {
                let text = e.watched_at.as_deref().unwrap_or("");
                let date = ctx.day_of_instant(text).ok_or_else(|| {
                    ctx.err(
                        "entry",
                        pos,
                        format!("watched_at \"{text}\" is not an RFC 3339 time"),
                    )
                })?;
                match episode_target(&e) {
                    Some(t) => rows.push(row(show, t, Fact::Play(date))),
                    None => rows.push(row(
                        show,
                        Target::Show,
                        Fact::Other(format!(
                            "a {kind_of} entry without an episode's season and number"
                        )),
                    )),
                }
            }
            TraktKind::Watched => {
                // After a reset, plays later than it are the rewatch (Trakt: "ignore episodes
                // with a last_watched_at prior to the reset_at" for the new progress).
                let reset = match e.reset_at.as_deref() {
                    None => None,
                    Some(t) => Some(t.trim().parse::<jiff::Timestamp>().map_err(|_| {
                        ctx.err(
                            "entry",
                            pos,
                            format!("reset_at \"{t}\" is not an RFC 3339 time"),
                        )
                    })?),
                };
                for season in e.seasons.iter().flatten() {
                    let Some(sn) = season.number else { continue };
                    for ep in season.episodes.iter().flatten() {
                        let Some(number) = ep.number else { continue };
                        let count = ep.plays.unwrap_or(1).min(u64::from(u32::MAX)) as u32;
                        if count == 0 {
                            continue;
                        }
                        let last = match ep.last_watched_at.as_deref() {
                            None => None,
                            Some(t) => Some(ctx.day_of_instant(t).ok_or_else(|| {
                                ctx.err(
                                    "entry",
                                    pos,
                                    format!("last_watched_at \"{t}\" is not an RFC 3339 time"),
                                )
                            })?),
                        };
                        let after_reset = match (reset, ep.last_watched_at.as_deref()) {
                            (Some(reset), Some(t)) => t
                                .trim()
                                .parse::<jiff::Timestamp>()
                                .is_ok_and(|played| played > reset),
                            _ => false,
                        };
                        let rewatch_since = reset
                            .filter(|_| after_reset)
                            .map(|r| r.to_zoned_datetime(ctx.tz.clone()).date());
                        rows.push(row(
                            show.clone(),
                            Target::Episode(EpisodeRef {
                                slot: Slot::from_numbers(sn, number),
                                title: None,
                                ids: Default::default(),
                            }),
                            Fact::Plays {
                                count,
                                last,
                                rewatch_since,
                            },
                        ));
                    }
                }
            }
            TraktKind::Ratings => {
                let value = e.rating.unwrap_or(0.0);
                let ten =
                    (value.fract() == 0.0 && (1.0..=10.0).contains(&value)).then_some(value as u8);
                let Some(ten) = ten else {
                    return Err(ctx.err("entry", pos, format!("rating {value} is not 1–10")));
                };
                let fact = Fact::Rating {
                    five: None,
                    ten: Some(ten),
                };
                let target = match kind_of {
                    "episode" => episode_target(&e),
                    "season" => e.season.as_ref().and_then(|s| s.number).map(Target::Season),
                    _ => Some(Target::Show),
                };
                match target {
                    Some(t) => rows.push(row(show, t, fact)),
                    None => rows.push(row(
                        show,
                        Target::Show,
                        Fact::Other(format!(
                            "a {kind_of} rating without its season or episode number"
                        )),
                    )),
                }
            }
            TraktKind::Watchlist => rows.push(row(show, Target::Show, Fact::Follow)),
        }
    }
    Ok(())
}
