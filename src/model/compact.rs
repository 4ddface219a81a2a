//! A season's episodes in the binary start-up cache: each episode a row of its fields in a
//! fixed order and dates as numbers, instead of a map keyed by field names with dates as text.
//! The names and the dates' text were a third of the cache (3.3 → 2.1 MB at 25,000 episodes)
//! and a share of its decode (every name matched and checked as UTF-8, every date parsed).
//! Only for formats that are not human-readable (MessagePack): RON and JSON keep the derived
//! form, so the library file is untouched.

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Episode, ExternalIds, TvmazeEpisode};

/// An episode's fields in order; a new field of [`Episode`] breaks the build here until it
/// is added (both conversions name every field).
type Row = (
    u32,
    Option<String>,
    Option<u32>,
    Option<u32>,
    Option<String>,
    Option<String>,
    ExternalIds,
    Option<Box<TvmazeEpisode>>,
    Vec<String>,
    Vec<String>,
    Vec<u32>,
    Option<u8>,
    Option<u8>,
    String,
);

/// A date as one number: day, month and year in bits of their own (no year is negative).
fn pack(date: Date) -> u32 {
    let year = u32::try_from(i32::from(date.year()) + 10_000).unwrap_or(0);
    year << 9 | u32::from(date.month().unsigned_abs()) << 5 | u32::from(date.day().unsigned_abs())
}

fn unpack<E: serde::de::Error>(n: u32) -> Result<Date, E> {
    let year = i32::try_from(n >> 9).map_err(E::custom)? - 10_000;
    let month = i8::try_from(n >> 5 & 0xf).map_err(E::custom)?;
    let day = i8::try_from(n & 0x1f).map_err(E::custom)?;
    let year = i16::try_from(year).map_err(E::custom)?;
    Date::new(year, month, day).map_err(E::custom)
}

/// [`Row`] of an episode, borrowed: a cache write copies nothing but the dates.
fn row(e: &Episode) -> impl Serialize + '_ {
    let Episode {
        number,
        title,
        air_date,
        runtime,
        directed_by,
        written_by,
        ids,
        tvmaze,
        crossovers,
        sources,
        watched,
        rating,
        rating_of_10,
        notes,
    } = e;
    (
        number,
        title,
        air_date.map(pack),
        runtime,
        directed_by,
        written_by,
        ids,
        tvmaze,
        crossovers,
        sources,
        watched.iter().copied().map(pack).collect::<Vec<_>>(),
        rating,
        rating_of_10,
        notes,
    )
}

fn episode<E: serde::de::Error>(row: Row) -> Result<Episode, E> {
    let (
        number,
        title,
        air_date,
        runtime,
        directed_by,
        written_by,
        ids,
        tvmaze,
        crossovers,
        sources,
        watched,
        rating,
        rating_of_10,
        notes,
    ) = row;
    Ok(Episode {
        number,
        title,
        air_date: air_date.map(unpack).transpose()?,
        runtime,
        directed_by,
        written_by,
        ids: ids.into(),
        tvmaze,
        crossovers,
        sources,
        watched: watched.into_iter().map(unpack).collect::<Result<_, E>>()?,
        rating,
        rating_of_10,
        notes,
    })
}

/// `#[serde(with = "compact")]` on a list of episodes.
pub fn serialize<S: Serializer>(episodes: &[Episode], s: S) -> Result<S::Ok, S::Error> {
    if s.is_human_readable() {
        return episodes.serialize(s);
    }
    s.collect_seq(episodes.iter().map(row))
}

/// `#[serde(with = "compact")]` on a list of episodes.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Episode>, D::Error> {
    if d.is_human_readable() {
        return Vec::<Episode>::deserialize(d);
    }
    d.deserialize_seq(Rows)
}

/// Rows into episodes one at a time (no list of rows in between).
struct Rows;

impl<'de> serde::de::Visitor<'de> for Rows {
    type Value = Vec<Episode>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of episode rows")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Episode>, A::Error> {
        // The hint is the file's word: capped, so a garbled cache cannot ask for gigabytes.
        let mut episodes = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(row) = seq.next_element::<Row>()? {
            episodes.push(episode(row)?);
        }
        Ok(episodes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Season;

    /// An episode with every field set, and one with none.
    fn season() -> Season {
        let d = jiff::civil::date;
        let mut full = Episode::new(3);
        full.title = Some("Tóxico \"quoted\"".into());
        full.air_date = Some(d(2024, 2, 29));
        full.runtime = Some(51);
        full.directed_by = Some("A".into());
        full.written_by = Some("B".into());
        full.ids = ExternalIds {
            tvmaze: Some(1),
            thetvdb: Some(2),
            imdb: Some("tt3".into()),
            tmdb: Some(4),
            trakt: Some(5),
        }
        .into();
        full.tvmaze = Some(Box::new(TvmazeEpisode {
            title: Some("T".into()),
            air_date: Some(d(2024, 3, 1)),
            runtime: Some(50),
            runtime_is_average: true,
        }));
        full.crossovers = vec!["ballard".into()];
        full.sources = vec!["https://example.org".into()];
        full.watched = vec![d(2024, 3, 2), d(2025, 1, 1)];
        full.rating = Some(4);
        full.rating_of_10 = Some(8);
        full.notes = "line one\nline two".into();
        let mut season = Season::new(1);
        season.episodes = vec![Episode::new(1), full.clone()];
        season.specials = vec![full];
        season
    }

    #[test]
    fn a_season_goes_through_the_cache_form_unchanged_and_its_text_is_the_derived_one() {
        let season = season();
        let packed = rmp_serde::to_vec_named(&season).expect("pack");
        let back: Season = rmp_serde::from_slice(&packed).expect("unpack");
        assert_eq!(back, season);
        // Rows, not maps: no field name of an episode is in the bytes.
        assert!(!packed.windows(7).any(|w| w == b"watched"), "names written");
        // The human-readable formats keep the field names and dates as text.
        let ron = ron::to_string(&season).expect("ron");
        assert!(
            ron.contains("watched:[\"2024-03-02\",\"2025-01-01\"]"),
            "{ron}"
        );
        assert_eq!(ron::from_str::<Season>(&ron).expect("ron back"), season);
        let json = serde_json::to_string(&season).expect("json");
        assert!(json.contains("\"air_date\":\"2024-02-29\""), "{json}");
        assert_eq!(
            serde_json::from_str::<Season>(&json).expect("json back"),
            season
        );
    }

    #[test]
    fn a_row_that_is_no_episode_does_not_decode() {
        let mut season = season();
        season.episodes.truncate(1);
        season.specials.clear();
        let packed = rmp_serde::to_vec_named(&season).expect("pack");
        // Cut inside the row: the decode fails rather than inventing the rest.
        assert!(rmp_serde::from_slice::<Season>(&packed[..packed.len() - 3]).is_err());
        // A date that is no date (February 31st) fails the decode too.
        let row = |air: u32| -> Row {
            let none = Vec::new;
            (
                1,
                None,
                Some(air),
                None,
                None,
                None,
                ExternalIds::default(),
                None,
                none(),
                none(),
                Vec::new(),
                None,
                None,
                String::new(),
            )
        };
        let decode = |air: u32| {
            let bytes = rmp_serde::to_vec_named(&vec![row(air)]).expect("pack");
            deserialize(&mut rmp_serde::Deserializer::new(&bytes[..]))
        };
        let first = pack(jiff::civil::date(2024, 2, 1));
        assert_eq!(
            decode(first).expect("a date")[0].air_date,
            Some(jiff::civil::date(2024, 2, 1))
        );
        assert!(decode(first + 30).is_err(), "February 31st");
    }

    #[test]
    fn every_date_packs_to_a_number_that_unpacks_to_it() {
        for date in [
            Date::MIN,
            Date::MAX,
            jiff::civil::date(1, 1, 1),
            jiff::civil::date(2024, 2, 29),
            jiff::civil::date(2026, 12, 31),
            jiff::civil::date(-44, 3, 15),
        ] {
            assert_eq!(unpack::<serde::de::value::Error>(pack(date)), Ok(date));
        }
        // A number that is no date (February 30th) does not decode.
        let bad = pack(jiff::civil::date(2024, 2, 1)) + 29;
        assert!(unpack::<serde::de::value::Error>(bad).is_err());
    }
}
