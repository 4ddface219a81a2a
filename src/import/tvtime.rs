//! TV Time's GDPR export: CSV files. `s_id`/`ep_id` (and `tv_show_id`/`episode_id`) are
//! TheTVDB ids; a rewatch is another row; times are `YYYY-MM-DD HH:MM:SS` with no zone, taken
//! as UTC.

use std::collections::HashMap;

use super::detect::TvTimeKind;
use super::{Ctx, EpisodeRef, Fact, ImportError, Row, ShowRef, Slot, Target, Tracker};
use crate::model::ExternalIds;

pub fn parse(
    ctx: &Ctx<'_>,
    kind: TvTimeKind,
    bytes: &[u8],
    rows: &mut Vec<Row>,
) -> Result<(), ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let columns: HashMap<String, usize> = reader
        .headers()
        .map_err(|e| ctx.err("line", 1, e))?
        .iter()
        .enumerate()
        .map(|(i, c)| (c.trim().to_string(), i))
        .collect();
    let mut record = csv::StringRecord::new();
    loop {
        let more = reader.read_record(&mut record).map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            ctx.err("line", line, format!("not readable as CSV: {e}"))
        })?;
        if !more {
            break;
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        let get = |names: &[&str]| -> Option<&str> {
            names
                .iter()
                .filter_map(|n| columns.get(*n))
                .filter_map(|&i| record.get(i))
                .map(str::trim)
                .find(|v| !v.is_empty())
        };
        let number = |names: &[&str]| -> Result<Option<u32>, ImportError> {
            match get(names) {
                None => Ok(None),
                Some(v) => v.parse().map(Some).map_err(|_| {
                    ctx.err(
                        "line",
                        line,
                        format!(
                            "{} \"{v}\" is not a number",
                            names.first().copied().unwrap_or("a column")
                        ),
                    )
                }),
            }
        };
        let tvdb = |names: &[&str]| {
            get(names)
                .and_then(|v| v.parse::<u64>().ok())
                .filter(|&n| n != 0)
        };
        let show = ShowRef {
            title: get(&["series_name", "tv_show_name"]).map(String::from),
            year: None,
            ids: ExternalIds {
                thetvdb: tvdb(&["s_id", "tv_show_id"]),
                ..Default::default()
            },
            slug: None,
        };
        let mut push = |show: ShowRef, target: Target, fact: Fact| {
            rows.push(Row {
                file: ctx.file,
                pos: line,
                tracker: Tracker::TvTime,
                show,
                target,
                fact,
            })
        };
        if kind == TvTimeKind::Shows {
            push(show, Target::Show, Fact::Follow);
            continue;
        }
        if kind == TvTimeKind::Tracking {
            let marker = get(&["key"])
                .filter(|k| k.contains("-episode-"))
                .or_else(|| get(&["gsi"]))
                .or_else(|| get(&["key"]))
                .unwrap_or("");
            let viewing =
                marker.starts_with("watch-episode-") || marker.starts_with("rewatch-episode-");
            if !viewing {
                let what =
                    if get(&["entity_type"]) == Some("movie") || get(&["movie_name"]).is_some() {
                        "a movie: fantrack tracks shows".to_string()
                    } else {
                        format!("not an episode viewing (key \"{marker}\")")
                    };
                push(show, Target::Show, Fact::Other(what));
                continue;
            }
        }
        let when = get(&["created_at", "updated_at"]).unwrap_or("");
        let date = ctx.day_of_utc_civil(when).ok_or_else(|| {
            ctx.err(
                "line",
                line,
                format!("created_at \"{when}\" is not a time like 2021-01-01 10:00:00"),
            )
        })?;
        let season = number(&["season_number", "episode_season_number"])?;
        let episode = number(&["episode_number"])?;
        let slot = match (season, episode) {
            (Some(s), Some(e)) => Slot::from_numbers(s, e),
            _ => Slot::Unnumbered,
        };
        let ids = ExternalIds {
            thetvdb: tvdb(&["ep_id", "episode_id"]),
            ..Default::default()
        };
        if slot == Slot::Unnumbered && ids.thetvdb.is_none() {
            return Err(ctx.err(
                "line",
                line,
                "no season_number/episode_number and no episode id",
            ));
        }
        push(
            show,
            Target::Episode(EpisodeRef {
                slot,
                title: None,
                ids,
            }),
            Fact::Play(date),
        );
    }
    Ok(())
}
