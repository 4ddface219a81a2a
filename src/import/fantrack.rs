//! fantrack's own JSON export (see [`super::export`]): the whole library, so two fantracks can
//! exchange history. Its rows are the viewings, ratings and notes; the facts stay where they are.

use super::detect::json_error;
use super::export::Export;
use super::{Ctx, EpisodeRef, Fact, ImportError, Row, ShowRef, Slot, Target, Tracker};
use crate::model::Episode;

pub fn parse(ctx: &Ctx<'_>, bytes: &[u8], rows: &mut Vec<Row>) -> Result<(), ImportError> {
    let export: Export = serde_json::from_slice(bytes)
        .map_err(|e| super::error(format!("{}:{}", ctx.name, json_error(&e))))?;
    if export.fantrack_export > super::export::EXPORT_VERSION {
        return Err(super::error(format!(
            "{}: fantrack export version {} is newer than this fantrack reads (up to {}); update fantrack",
            ctx.name,
            export.fantrack_export,
            super::export::EXPORT_VERSION
        )));
    }
    let mut pos = 0;
    for franchise in &export.library.franchises {
        for show in &franchise.shows {
            pos += 1;
            let show_ref = ShowRef {
                title: Some(show.title.clone()),
                year: show.premiere.map(|d| d.year()),
                ids: show.ids.clone(),
                slug: Some(show.id.clone()),
            };
            let mut push = |target: Target, fact: Fact| {
                rows.push(Row {
                    file: ctx.file,
                    pos,
                    tracker: Tracker::Fantrack,
                    show: show_ref.clone(),
                    target,
                    fact,
                })
            };
            if show.rating.is_some() || show.rating_of_10.is_some() {
                push(
                    Target::Show,
                    Fact::Rating {
                        five: show.rating,
                        ten: show.rating_of_10,
                    },
                );
            }
            if !show.notes.is_empty() {
                push(Target::Show, Fact::Note(show.notes.clone()));
            }
            for season in &show.seasons {
                if season.rating.is_some() || season.rating_of_10.is_some() {
                    push(
                        Target::Season(season.number),
                        Fact::Rating {
                            five: season.rating,
                            ten: season.rating_of_10,
                        },
                    );
                }
                if !season.notes.is_empty() {
                    push(
                        Target::Season(season.number),
                        Fact::Note(season.notes.clone()),
                    );
                }
                let regular = season.episodes.iter().map(|e| {
                    (
                        Slot::Regular {
                            season: season.number,
                            number: e.number,
                        },
                        e,
                    )
                });
                let specials = season.specials.iter().map(|e| {
                    (
                        Slot::Special {
                            season: Some(season.number),
                            number: e.number,
                        },
                        e,
                    )
                });
                for (slot, e) in regular.chain(specials) {
                    episode_rows(slot, e, &mut push);
                }
            }
        }
    }
    Ok(())
}

fn episode_rows(slot: Slot, e: &Episode, push: &mut impl FnMut(Target, Fact)) {
    let target = || {
        Target::Episode(EpisodeRef {
            slot,
            title: e.title.clone(),
            ids: (*e.ids).clone(),
        })
    };
    for &date in &e.watched {
        push(target(), Fact::Play(date));
    }
    if e.rating.is_some() || e.rating_of_10.is_some() {
        push(
            target(),
            Fact::Rating {
                five: e.rating,
                ten: e.rating_of_10,
            },
        );
    }
    if !e.notes.is_empty() {
        push(target(), Fact::Note(e.notes.clone()));
    }
}
