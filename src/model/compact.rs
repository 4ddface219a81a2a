//! A season's episodes in the binary start-up cache: one byte string of rows in a format of
//! our own, decoded by hand. Each episode is a set of flags saying which fields it has, then
//! those fields in a fixed order: numbers as LEB128 varints, dates as one number, text as its
//! length, with its UTF-8 after all the rows (checked once per season, not once per field).
//! No field names, no markers for empty fields, and no serde visitor per field: the rows were
//! 2.1 MB of MessagePack at 25,000 episodes and most of the start's decode; read this way
//! they are a fraction of it (BENCHMARKS.md, 2026-12-04).
//! Only for formats that are not human-readable (MessagePack): RON and JSON keep the derived
//! form, so the library file is untouched. A row that does not decode fails the whole cache,
//! which the start then ignores for the RON; the cache's parts carry their own hash anyway.

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Episode, ExternalIds, TvmazeEpisode};

/// Which of an episode's fields its row holds, one bit each.
mod has {
    pub const TITLE: u64 = 1;
    pub const AIR_DATE: u64 = 1 << 1;
    pub const RUNTIME: u64 = 1 << 2;
    pub const DIRECTED_BY: u64 = 1 << 3;
    pub const WRITTEN_BY: u64 = 1 << 4;
    pub const IDS: u64 = 1 << 5;
    pub const TVMAZE: u64 = 1 << 6;
    pub const CROSSOVERS: u64 = 1 << 7;
    pub const SOURCES: u64 = 1 << 8;
    pub const WATCHED: u64 = 1 << 9;
    pub const RATING: u64 = 1 << 10;
    pub const RATING_OF_10: u64 = 1 << 11;
    pub const NOTES: u64 = 1 << 12;
    pub const ALL: u64 = (1 << 13) - 1;
}

/// A date as one number: day, month and year in bits of their own (no year is negative).
fn pack(date: Date) -> u32 {
    let year = u32::try_from(i32::from(date.year()) + 10_000).unwrap_or(0);
    year << 9 | u32::from(date.month().unsigned_abs()) << 5 | u32::from(date.day().unsigned_abs())
}

fn unpack(n: u32) -> Option<Date> {
    let year = i16::try_from(i32::try_from(n >> 9).ok()? - 10_000).ok()?;
    let month = i8::try_from(n >> 5 & 0xf).ok()?;
    let day = i8::try_from(n & 0x1f).ok()?;
    Date::new(year, month, day).ok()
}

/// The rows being written, and their text apart.
#[derive(Default)]
struct Writer {
    rows: Vec<u8>,
    text: Vec<u8>,
}

impl Writer {
    /// The byte string: the rows' length, the rows, then all their text, so a reader checks
    /// the text as UTF-8 once, not once per field (per field, the check was the decode's
    /// largest single cost: `perf`, 7% of a start's samples).
    fn finish(self) -> Vec<u8> {
        let mut w = Writer::default();
        w.varint(self.rows.len() as u64);
        let mut out = w.rows;
        out.reserve(self.rows.len() + self.text.len());
        out.extend_from_slice(&self.rows);
        out.extend_from_slice(&self.text);
        out
    }

    fn varint(&mut self, mut n: u64) {
        while n >= 0x80 {
            self.rows.push(n as u8 | 0x80);
            n >>= 7;
        }
        self.rows.push(n as u8);
    }

    fn text(&mut self, s: &str) {
        self.varint(s.len() as u64);
        self.text.extend_from_slice(s.as_bytes());
    }

    fn texts(&mut self, list: &[String]) {
        self.varint(list.len() as u64);
        for s in list {
            self.text(s);
        }
    }

    fn date(&mut self, date: Date) {
        self.varint(pack(date).into());
    }

    /// Flags in order as bits from the lowest up (the ids', a TVmaze episode's).
    fn flags(&mut self, flags: &[bool]) {
        let bits = flags
            .iter()
            .rev()
            .fold(0, |bits, &on| bits << 1 | u64::from(on));
        self.varint(bits);
    }

    fn episode(&mut self, e: &Episode) {
        // Every field named: a new field of `Episode` breaks the build here until it is added.
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
        let flags = [
            (title.is_some(), has::TITLE),
            (air_date.is_some(), has::AIR_DATE),
            (runtime.is_some(), has::RUNTIME),
            (directed_by.is_some(), has::DIRECTED_BY),
            (written_by.is_some(), has::WRITTEN_BY),
            (!ids.is_empty(), has::IDS),
            (tvmaze.is_some(), has::TVMAZE),
            (!crossovers.is_empty(), has::CROSSOVERS),
            (!sources.is_empty(), has::SOURCES),
            (!watched.is_empty(), has::WATCHED),
            (rating.is_some(), has::RATING),
            (rating_of_10.is_some(), has::RATING_OF_10),
            (!notes.is_empty(), has::NOTES),
        ];
        self.varint(flags.iter().filter(|(on, _)| *on).map(|(_, bit)| bit).sum());
        self.varint((*number).into());
        if let Some(t) = title {
            self.text(t);
        }
        if let Some(d) = air_date {
            self.date(*d);
        }
        if let Some(r) = runtime {
            self.varint((*r).into());
        }
        if let Some(t) = directed_by {
            self.text(t);
        }
        if let Some(t) = written_by {
            self.text(t);
        }
        if !ids.is_empty() {
            self.ids(ids);
        }
        if let Some(t) = tvmaze {
            self.tvmaze(t);
        }
        if !crossovers.is_empty() {
            self.texts(crossovers);
        }
        if !sources.is_empty() {
            self.texts(sources);
        }
        if !watched.is_empty() {
            self.varint(watched.len() as u64);
            for d in watched {
                self.date(*d);
            }
        }
        if let Some(r) = rating {
            self.rows.push(*r);
        }
        if let Some(r) = rating_of_10 {
            self.rows.push(*r);
        }
        if !notes.is_empty() {
            self.text(notes);
        }
    }

    /// Each id as flag and number; rare, so plainly.
    fn ids(&mut self, ids: &ExternalIds) {
        let ExternalIds {
            tvmaze,
            thetvdb,
            imdb,
            tmdb,
            trakt,
        } = ids;
        let flags = [
            tvmaze.is_some(),
            thetvdb.is_some(),
            imdb.is_some(),
            tmdb.is_some(),
            trakt.is_some(),
        ];
        self.flags(&flags);
        for n in [tvmaze, thetvdb].into_iter().flatten() {
            self.varint(*n);
        }
        if let Some(t) = imdb {
            self.text(t);
        }
        for n in [tmdb, trakt].into_iter().flatten() {
            self.varint(*n);
        }
    }

    fn tvmaze(&mut self, t: &TvmazeEpisode) {
        let TvmazeEpisode {
            title,
            air_date,
            runtime,
            runtime_is_average,
        } = t;
        let flags = [
            title.is_some(),
            air_date.is_some(),
            runtime.is_some(),
            *runtime_is_average,
        ];
        self.flags(&flags);
        if let Some(t) = title {
            self.text(t);
        }
        if let Some(d) = air_date {
            self.date(*d);
        }
        if let Some(r) = runtime {
            self.varint((*r).into());
        }
    }
}

/// The rows being read, and the text they take theirs from in turn: None at the first byte
/// that is not what a row holds there.
struct Reader<'a> {
    rows: &'a [u8],
    text: &'a str,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.rows.split_first()?;
        self.rows = rest;
        Some(b)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.varint()?).ok()
    }

    /// A count of things each at least one byte long: never more than the bytes left, so a
    /// garbled count cannot ask for gigabytes.
    fn count(&mut self) -> Option<usize> {
        usize::try_from(self.varint()?)
            .ok()
            .filter(|&n| n <= self.rows.len())
    }

    /// The next `len` bytes of the text, already checked as UTF-8 (in one go, see
    /// [`episodes`]): a length that ends inside a character does not decode.
    fn text(&mut self) -> Option<String> {
        let n = usize::try_from(self.varint()?).ok()?;
        let (text, rest) = self.text.split_at_checked(n)?;
        self.text = rest;
        Some(text.to_owned())
    }

    fn texts(&mut self) -> Option<Vec<String>> {
        let n = self.count()?;
        (0..n).map(|_| self.text()).collect()
    }

    fn date(&mut self) -> Option<Date> {
        unpack(self.u32()?)
    }

    fn flags(&mut self, all: u64) -> Option<u64> {
        self.varint().filter(|f| f & !all == 0)
    }

    fn episode(&mut self) -> Option<Episode> {
        let flags = self.flags(has::ALL)?;
        let on = |bit| flags & bit != 0;
        let number = self.u32()?;
        let title = if on(has::TITLE) {
            Some(self.text()?)
        } else {
            None
        };
        let air_date = if on(has::AIR_DATE) {
            Some(self.date()?)
        } else {
            None
        };
        let runtime = if on(has::RUNTIME) {
            Some(self.u32()?)
        } else {
            None
        };
        let directed_by = if on(has::DIRECTED_BY) {
            Some(self.text()?)
        } else {
            None
        };
        let written_by = if on(has::WRITTEN_BY) {
            Some(self.text()?)
        } else {
            None
        };
        let ids = if on(has::IDS) {
            self.ids()?.into()
        } else {
            Default::default()
        };
        let tvmaze = if on(has::TVMAZE) {
            Some(Box::new(self.tvmaze()?))
        } else {
            None
        };
        let crossovers = if on(has::CROSSOVERS) {
            self.texts()?
        } else {
            Vec::new()
        };
        let sources = if on(has::SOURCES) {
            self.texts()?
        } else {
            Vec::new()
        };
        let watched = if on(has::WATCHED) {
            let n = self.count()?;
            (0..n).map(|_| self.date()).collect::<Option<_>>()?
        } else {
            Vec::new()
        };
        let rating = if on(has::RATING) {
            Some(self.byte()?)
        } else {
            None
        };
        let rating_of_10 = if on(has::RATING_OF_10) {
            Some(self.byte()?)
        } else {
            None
        };
        let notes = if on(has::NOTES) {
            self.text()?
        } else {
            String::new()
        };
        Some(Episode {
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
        })
    }

    fn ids(&mut self) -> Option<ExternalIds> {
        let flags = self.flags(0b1_1111)?;
        let on = |bit: u32| flags & 1 << bit != 0;
        let tvmaze = if on(0) { Some(self.varint()?) } else { None };
        let thetvdb = if on(1) { Some(self.varint()?) } else { None };
        let imdb = if on(2) { Some(self.text()?) } else { None };
        let tmdb = if on(3) { Some(self.varint()?) } else { None };
        let trakt = if on(4) { Some(self.varint()?) } else { None };
        Some(ExternalIds {
            tvmaze,
            thetvdb,
            imdb,
            tmdb,
            trakt,
        })
    }

    fn tvmaze(&mut self) -> Option<TvmazeEpisode> {
        let flags = self.flags(0b1111)?;
        let on = |bit: u32| flags & 1 << bit != 0;
        let title = if on(0) { Some(self.text()?) } else { None };
        let air_date = if on(1) { Some(self.date()?) } else { None };
        let runtime = if on(2) { Some(self.u32()?) } else { None };
        Some(TvmazeEpisode {
            title,
            air_date,
            runtime,
            runtime_is_average: on(3),
        })
    }
}

/// The rows of these episodes.
fn rows(episodes: &[Episode]) -> Vec<u8> {
    // About what a row of the generated library takes; grows if more is needed.
    let mut w = Writer {
        rows: Vec::with_capacity(8 + episodes.len() * 16),
        text: Vec::with_capacity(episodes.len() * 48),
    };
    w.varint(episodes.len() as u64);
    for e in episodes {
        w.episode(e);
    }
    w.finish()
}

/// The episodes of these rows; None unless every byte is part of a row.
fn episodes(bytes: &[u8]) -> Option<Vec<Episode>> {
    let mut head = Reader {
        rows: bytes,
        text: "",
    };
    let len = head.count()?;
    let (rows, text) = head.rows.split_at_checked(len)?;
    // SIMD: std's check, even once per season, was still 3% of a start's samples.
    let text = simdutf8::basic::from_utf8(text).ok()?;
    let mut r = Reader { rows, text };
    let n = r.count()?;
    let episodes = (0..n).map(|_| r.episode()).collect::<Option<Vec<_>>>()?;
    (r.rows.is_empty() && r.text.is_empty()).then_some(episodes)
}

/// `#[serde(with = "compact")]` on a list of episodes.
pub fn serialize<S: Serializer>(episodes: &[Episode], s: S) -> Result<S::Ok, S::Error> {
    if s.is_human_readable() {
        return episodes.serialize(s);
    }
    s.serialize_bytes(&rows(episodes))
}

/// `#[serde(with = "compact")]` on a list of episodes.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Episode>, D::Error> {
    if d.is_human_readable() {
        return Vec::<Episode>::deserialize(d);
    }
    d.deserialize_bytes(Rows)
}

/// The byte string of rows into episodes (borrowed from the cache's bytes when the decoder
/// can: no copy).
struct Rows;

impl serde::de::Visitor<'_> for Rows {
    type Value = Vec<Episode>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a byte string of episode rows")
    }

    fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Vec<Episode>, E> {
        episodes(bytes).ok_or_else(|| E::custom("a garbled episode row"))
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
        // Some fields of the ids and of TVmaze's facts, not all: each flag is its own bit.
        let mut some = Episode::new(4);
        some.ids = ExternalIds {
            imdb: Some("tt9".into()),
            trakt: Some(7),
            ..ExternalIds::default()
        }
        .into();
        some.tvmaze = Some(Box::new(TvmazeEpisode {
            air_date: Some(jiff::civil::date(2025, 5, 6)),
            ..TvmazeEpisode::default()
        }));
        let one = std::slice::from_ref(&some);
        assert_eq!(episodes(&rows(one)).as_deref(), Some(one));
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
        let season = season();
        let bytes = rows(&season.specials);
        assert_eq!(episodes(&bytes), Some(season.specials.clone()));
        // Cut anywhere, the rows do not decode (nor panic) rather than inventing the rest.
        for n in 0..bytes.len() {
            assert_eq!(episodes(&bytes[..n]), None, "cut at {n}");
        }
        // A byte more, a flag no build knows, a date that is no date (February 31st), text
        // that is not UTF-8: none decodes.
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(episodes(&longer), None);
        let one = |flags: u64, rest: &[u8], text: &[u8]| {
            let mut w = Writer::default();
            w.varint(1);
            w.varint(flags);
            w.varint(7);
            w.rows.extend_from_slice(rest);
            w.text.extend_from_slice(text);
            episodes(&w.finish())
        };
        assert_eq!(one(0, &[], &[]), Some(vec![Episode::new(7)]));
        assert_eq!(one(1 << 13, &[], &[]), None, "an unknown field");
        let date = |d: Date| {
            let mut w = Writer::default();
            w.date(d);
            w.rows
        };
        let first = date(jiff::civil::date(2024, 2, 1));
        let got = one(has::AIR_DATE, &first, &[]).expect("a date");
        assert_eq!(got[0].air_date, Some(jiff::civil::date(2024, 2, 1)));
        let mut w = Writer::default();
        w.varint(u64::from(pack(jiff::civil::date(2024, 2, 1))) + 30);
        assert_eq!(one(has::AIR_DATE, &w.rows, &[]), None, "February 31st");
        assert_eq!(one(has::TITLE, &[2], &[0xff, 0xfe]), None, "not UTF-8");
        let title = |len: u8| one(has::TITLE, &[len], "é".as_bytes());
        assert_eq!(title(2).expect("a title")[0].title.as_deref(), Some("é"));
        assert_eq!(title(1), None, "a length that ends inside a character");
        assert_eq!(title(3), None, "a length past the text");
        assert_eq!(one(0, &[], b"x"), None, "text that no row takes");
        assert_eq!(
            one(has::TITLE, &[0xff, 0xff, 0xff, 0xff, 0x0f], &[]),
            None,
            "too long"
        );
        // Every byte changed in turn: a row may decode to another episode (the cache's part
        // hash is what notices that), but nothing panics or runs away.
        for i in 0..bytes.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut changed = bytes.clone();
                changed[i] ^= flip;
                let _ = episodes(&changed);
            }
        }
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
            assert_eq!(unpack(pack(date)), Some(date));
        }
        // A number that is no date (February 30th) does not decode.
        let bad = pack(jiff::civil::date(2024, 2, 1)) + 29;
        assert_eq!(unpack(bad), None);
    }

    #[test]
    fn every_number_and_length_goes_through_a_varint() {
        for n in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let mut w = Writer::default();
            w.varint(n);
            let mut r = Reader {
                rows: &w.rows,
                text: "",
            };
            assert_eq!(r.varint(), Some(n), "{n}");
        }
        // Eleven bytes of continuation is no number.
        let mut r = Reader {
            rows: &[0x80; 11],
            text: "",
        };
        assert_eq!(r.varint(), None);
    }
}
