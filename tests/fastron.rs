//! The fast RON path (`fantrack::fastron`) against `ron`, the reference: on everything fantrack
//! writes it gives the same library, and on anything else it gives up (None) or agrees —
//! never a different library, which would corrupt a user's data at the next save.
use fantrack::fastron::testing::{FRANCHISE_CUT, cuts, split_franchises};
use fantrack::fastron::{parse, parse_with};
use fantrack::model::*;
use fantrack::store;
use fantrack_generate::{self as generate, Spec};
use jiff::civil::Date;
use proptest::prelude::*;

fn ron_parse(text: &str) -> Result<Library, ron::error::SpannedError> {
    ron::from_str(text)
}

/// Every way this module parses `text`: one run, and split runs (cut points forced even for
/// small texts).
fn all_ways(text: &str) -> Vec<Option<Library>> {
    vec![
        parse(text),
        parse_with(text, 1, 0),
        parse_with(text, 2, 0),
        parse_with(text, 3, 0),
        parse_with(text, 5, 0),
    ]
}

/// The fast path agrees with `ron` on `text` (which `ron` reads).
fn assert_same(text: &str) {
    let expected = ron_parse(text).expect("ron reads it");
    for (way, got) in all_ways(text).into_iter().enumerate() {
        assert!(
            got.is_some(),
            "way {way}: the fast path gave up on writer output"
        );
        assert!(got == Some(expected.clone()), "way {way}: differs from ron");
    }
}

/// The fast path is `None` or what `ron` gives: never different, never `Some` when `ron`
/// fails.
fn assert_never_differs(text: &str) {
    let expected = ron_parse(text).ok();
    for (way, got) in all_ways(text).into_iter().enumerate() {
        if let Some(got) = got {
            assert!(
                expected.as_ref() == Some(&got),
                "way {way}: the fast path accepted what ron {}:\n{text}",
                if expected.is_some() {
                    "reads differently"
                } else {
                    "rejects"
                }
            );
        }
    }
}

fn text_of(library: &Library) -> String {
    store::to_text(library).expect("serialises")
}

fn multi_franchise() -> Library {
    generate::library(&Spec {
        franchises: 4,
        shows_per_franchise: 2,
        seasons_per_show: 2,
        episodes_per_season: 3,
        seed: 7,
    })
}

#[test]
fn the_shipped_catalog_as_written_parses_as_ron_parses_it() {
    assert_same(&text_of(&store::shipped_catalog()));
}

#[test]
fn generated_libraries_parse_as_ron_parses_them() {
    assert_same(&text_of(&generate::library(&Spec::catalog_sized())));
    assert_same(&text_of(&multi_franchise()));
}

#[test]
fn the_power_user_library_parses_as_ron_parses_it_in_one_run_and_split() {
    let text = text_of(&generate::library(&Spec::power_user()));
    assert!(
        cuts(&text, 0, 2).len() == 1 && cuts(&text, 0, 4).len() == 3,
        "the writer's franchise boundaries are found"
    );
    let start = text.find("franchises: [").expect("a franchise list") + 13;
    assert!(
        split_franchises(&text, start, 2) == Some(10),
        "the split runs join up, with no second parse"
    );
    let expected = ron_parse(&text).expect("ron reads it");
    assert!(parse(&text) == Some(expected.clone()));
    assert!(parse_with(&text, 1, 0) == Some(expected.clone()));
    assert!(parse_with(&text, 4, 0) == Some(expected));
}

#[test]
fn the_hand_written_catalog_with_comments_is_left_to_ron_or_read_the_same() {
    assert_never_differs(store::CATALOG);
}

#[test]
fn a_cut_inside_a_string_is_noticed_and_the_file_read_in_one_run() {
    let mut library = multi_franchise();
    // Notes that look like the writer's franchise boundary, many times over, and make up
    // most of the file, so the cut points land inside them.
    let fake = format!("x{}\n", FRANCHISE_CUT).repeat(2000);
    library.franchises[0].notes = fake.clone();
    let text = text_of(&library);
    let notes = text.find(&fake).expect("the notes are written verbatim");
    let cut = cuts(&text, 0, 2);
    assert!(
        cut.len() == 1 && cut[0] > notes && cut[0] < notes + fake.len(),
        "the test puts the cut inside the notes"
    );
    assert_same(&text);
}

#[test]
fn rare_but_valid_forms_are_left_to_ron_or_read_the_same() {
    let base = text_of(&generate::library(&Spec::catalog_sized()));
    let variants = [
        base.replacen("number: 1,", "number: 1 ,", 1),
        base.replacen("number: 1,", "number : 1,", 1),
        base.replacen("number: 1,", "number: 01,", 1),
        base.replacen("number: 1,", "number: 0x1,", 1),
        base.replacen("number: 1,", "number: +1,", 1),
        base.replacen("number: 1,", "number: 1_0,", 1),
        base.replacen("number: 1,", "r#number: 1,", 1),
        base.replacen("Some(", "Some (", 1),
        base.replacen("Some(", "Some( ", 1),
        base.replacen("Some(\"", "Some(r\"", 1),
        base.replacen("\",\n", "\"\n", 1),
        base.replacen("),\n", ")\n", 1),
        base.replacen("),\n", ",),\n", 1),
        base.replacen("(\n", "Library(\n", 1),
        base.replacen("(\n", "#![enable(implicit_some)]\n(\n", 1),
        base.replacen("    ", "\t", 3),
        base.replacen("    ", "\u{0B}", 1),
        base.replacen("    ", "\u{2028}", 1),
        base.replacen("    ", "\u{85}", 1),
        base.replacen("\n", "\r\n", 40),
        base.replacen("Some(\"20", "Some(\"+0020", 1),
        base.replacen("Some(\"20", "Some(\"-20", 1),
        base.replacen("-01\"", "-32\"", 1),
        base.replacen("-01\"", "-1\"", 1),
        base.replacen("Some(\"2", "Some(\"\\u{32}", 1),
        base.replacen("title: Some(\"", "title: Some(\"\\t", 1),
        base.replacen("title: Some(", "title: None, // was Some(", 1),
        base.replacen("title: Some(\"", "title: Some(\"a\\\n   b", 1),
        format!("\u{feff}{base}"),
        format!("{base}()"),
        format!("{base}// end"),
        format!("  \n{base}\n\n  "),
        base.replacen("Running", "Runnin", 1),
        base.replacen("Running", "Runningé", 1),
        base.replacen("Running", "Running()", 1),
        base.replacen("Running", "Status::Running", 1),
        base.replacen("version: 1", "version: 4294967296", 1),
        base.replacen("version: 1", "version: 4294967295", 1),
        base.replacen("version: 1", "version: 1.0", 1),
        base.replacen("version: 1", "version: 1e0", 1),
        base.replacen("rating: Some(", "rating: Some(25", 1),
        base.replacen("rating: Some(", "rating: Some(-", 1),
        base.replacen("notes: \"", "notes: r\"", 1),
        base.replacen("notes: \"", "notes: b\"", 1),
        base.replacen("watched: [", "watched: [\"2020-02-29\", \"2021-02-29\",", 1),
        base.replacen("watched: [", "watched: [\"0000-01-01\", \"9999-12-31\",", 1),
    ];
    for (n, text) in variants.iter().enumerate() {
        assert!(text != &base, "variant {n} changes the text");
        assert_never_differs(text);
    }
}

/// Strings that stress the writer's choice between `"…"` and `r#"…"#` and the reader's
/// search for the end.
fn nasty() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\""),
        Just("\\"),
        Just("#"),
        Just("##"),
        Just("r#\""),
        Just("\"#"),
        Just("\"##"),
        Just(")"),
        Just("]"),
        Just("}"),
        Just("),\n        ("),
        Just("\n"),
        Just("\r\n"),
        Just("\t"),
        Just(" "),
        Just("é"),
        Just("日本"),
        Just("🎬"),
        Just("\u{0}"),
        Just("\u{85}"),
        Just("\u{2028}"),
        Just("Some("),
        Just("None"),
        Just("//"),
        Just("/*"),
        Just(","),
        Just(":"),
        Just("a"),
    ];
    prop_oneof![
        4 => proptest::collection::vec(piece, 0..8).prop_map(|v| v.concat()),
        1 => any::<String>(),
    ]
}

/// Values a library is built from, taken in turn (and cycled).
#[derive(Debug, Clone)]
struct Feed {
    strings: Vec<String>,
    numbers: Vec<u64>,
    at: (usize, usize),
}

impl Feed {
    fn s(&mut self) -> String {
        self.at.0 += 1;
        self.strings[self.at.0 % self.strings.len()].clone()
    }
    fn n(&mut self) -> u64 {
        self.at.1 += 1;
        self.numbers[self.at.1 % self.numbers.len()]
    }
    fn flag(&mut self) -> bool {
        self.n().is_multiple_of(2)
    }
    fn count(&mut self, max: u64) -> usize {
        usize::try_from(self.n() % (max + 1)).unwrap_or(0)
    }
    fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> Option<T> {
        self.flag().then(|| f(self))
    }
    fn strings(&mut self) -> Vec<String> {
        (0..self.count(2)).map(|_| self.s()).collect()
    }
    fn date(&mut self) -> Date {
        let n = self.n();
        let year = i16::try_from(n % 10_000).unwrap_or(0);
        let month = i8::try_from(1 + (n / 10_000) % 12).unwrap_or(1);
        let day = i8::try_from(1 + (n / 120_000) % 31).unwrap_or(1);
        Date::new(year, month, day)
            .unwrap_or_else(|_| Date::new(year, month, 28).expect("a real day"))
    }
    fn ids(&mut self) -> ExternalIds {
        ExternalIds {
            tvmaze: self.opt(Self::n),
            thetvdb: self.opt(Self::n),
            imdb: self.opt(Self::s),
            tmdb: self.opt(Self::n),
            trakt: self.opt(Self::n),
        }
    }
    fn score(&mut self) -> Score {
        Score {
            tomatometer: self.opt(|f| f.n() as u8),
            popcornmeter: self.opt(|f| f.n() as u8),
        }
    }
    fn episode(&mut self, number: u32) -> Episode {
        Episode {
            rating_of_10: None,
            tvmaze: None,
            number,
            title: self.opt(Self::s),
            air_date: self.opt(Self::date),
            runtime: self.opt(|f| f.n() as u32),
            directed_by: self.opt(Self::s),
            written_by: self.opt(Self::s),
            ids: self.ids().into(),
            crossovers: self.strings(),
            sources: self.strings(),
            watched: (0..self.count(2)).map(|_| self.date()).collect(),
            rating: self.opt(|f| f.n() as u8),
            notes: if self.flag() { self.s() } else { String::new() },
        }
    }
    fn season(&mut self, number: u32) -> Season {
        Season {
            rating_of_10: None,
            number,
            premiere: self.opt(Self::date),
            rotten_tomatoes: self.opt(Self::score),
            adapts: self.strings(),
            sources: self.strings(),
            rating: self.opt(|f| f.n() as u8),
            notes: if self.flag() { self.s() } else { String::new() },
            episodes: (0..self.count(3))
                .map(|e| self.episode(e as u32 + 1))
                .collect(),
            specials: (0..self.count(1))
                .map(|e| self.episode(e as u32 + 1))
                .collect(),
        }
    }
    fn show(&mut self) -> Show {
        let kinds = [OriginKind::SpinOff, OriginKind::Sequel, OriginKind::Prequel];
        let statuses = [
            Status::Upcoming,
            Status::Running,
            Status::Renewed,
            Status::Ended,
            Status::Cancelled,
        ];
        let events = [
            EventKind::Ordered,
            EventKind::Premiered,
            EventKind::Renewed,
            EventKind::Ended,
            EventKind::SpinOffAnnounced,
            EventKind::Announced,
            EventKind::Other,
            EventKind::Cancelled,
            EventKind::PremiereDateSet,
            EventKind::Cast,
            EventKind::Score,
        ];
        Show {
            summary: None,
            tvmaze: None,
            rating_of_10: None,
            id: self.s(),
            title: self.s(),
            ids: self.ids(),
            origin: self.opt(|f| Origin {
                show: f.s(),
                kind: kinds[f.count(2)],
            }),
            network: self.opt(Self::s),
            status: statuses[self.count(4)],
            premiere: self.opt(Self::date),
            finale: self.opt(Self::date),
            renewal: self.opt(|f| Renewal {
                season: f.n() as u32,
                announced: f.opt(Self::date),
            }),
            rotten_tomatoes: self.opt(Self::score),
            creators: self.strings(),
            cast: (0..self.count(2))
                .map(|_| Role {
                    actor: self.s(),
                    character: self.opt(Self::s),
                })
                .collect(),
            based_on: self.opt(Self::s),
            events: (0..self.count(2))
                .map(|_| Event {
                    kind: events[self.count(10)],
                    date: self.opt(Self::date),
                    when: self.opt(Self::s),
                    what: self.s(),
                    sources: self.strings(),
                    yours: self.flag(),
                })
                .collect(),
            sources: (0..self.count(2))
                .map(|_| (self.s(), self.strings()))
                .collect(),
            rating: self.opt(|f| f.n() as u8),
            notes: if self.flag() { self.s() } else { String::new() },
            seasons: (0..self.count(2))
                .map(|s| self.season(s as u32 + 1))
                .collect(),
        }
    }
    fn library(&mut self) -> Library {
        Library {
            version: self.n() as u32,
            catalog_version: self.opt(|f| f.n() as u32),
            settings: Settings {
                spoiler_shield: if self.flag() { None } else { Some(self.flag()) },
                order: if self.flag() {
                    Order::Release
                } else {
                    Order::Curated
                },
                catalog_notified: self.opt(|f| f.n() as u32),
            },
            removed: self.strings().into_iter().collect(),
            franchises: (0..1 + self.count(3))
                .map(|_| Franchise {
                    id: self.s(),
                    title: self.s(),
                    based_on: self.opt(Self::s),
                    notes: if self.flag() { self.s() } else { String::new() },
                    shows: (0..self.count(2)).map(|_| self.show().into()).collect(),
                    watch_order: self.strings(),
                })
                .collect(),
        }
    }
}

fn feed() -> impl Strategy<Value = Feed> {
    let number = prop_oneof![
        Just(0u64),
        Just(1),
        Just(255),
        Just(256),
        Just(u64::from(u32::MAX)),
        Just(u64::MAX),
        any::<u64>(),
    ];
    (
        proptest::collection::vec(nasty(), 1..12),
        proptest::collection::vec(number, 1..24),
    )
        .prop_map(|(strings, numbers)| Feed {
            strings,
            numbers,
            at: (0, 0),
        })
}

/// A text and a mutation of it: what a hand edit, a sync tool or a crash might leave.
fn mutate(text: &str, kind: usize, at: usize, pick: usize) -> String {
    let boundary = |mut i: usize| {
        i %= text.len() + 1;
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let line = at % lines.len().max(1);
    let mut lines_owned: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    match kind % 9 {
        // Truncated at a random point.
        0 => text[..boundary(at)].to_string(),
        // A field renamed.
        1 => {
            let fields: Vec<usize> = text.match_indices(": ").map(|(i, _)| i).collect();
            let Some(&i) = fields.get(pick % fields.len().max(1)) else {
                return format!("{text}x");
            };
            let mut t = text.to_string();
            t.insert(i, ['x', '_', 'é', '1'][pick % 4]);
            t
        }
        // A comment added.
        2 => {
            let comment = ["// note\n", "/* note */", "//", "/*"][pick % 4];
            let mut t = text.to_string();
            t.insert_str(boundary(at), comment);
            t
        }
        // A number made huge or odd.
        3 => {
            let numbers: Vec<usize> = text
                .match_indices(|c: char| c.is_ascii_digit())
                .map(|(i, _)| i)
                .collect();
            let Some(&i) = numbers.get(pick % numbers.len().max(1)) else {
                return format!("{text}1");
            };
            let mut t = text.to_string();
            let digits = [
                "99999999999999999999999",
                "256",
                "4294967296",
                "0",
                "_",
                "-",
            ];
            t.insert_str(i, digits[pick % digits.len()]);
            t
        }
        // Two lines swapped (fields reordered, when both are one-line fields).
        4 => {
            if line + 1 < lines_owned.len() {
                lines_owned.swap(line, line + 1);
            }
            lines_owned.concat()
        }
        // A line duplicated (a field twice).
        5 => {
            let l = lines_owned.get(line).cloned().unwrap_or_default();
            lines_owned.insert(line, l);
            lines_owned.concat()
        }
        // A line removed.
        6 => {
            if line < lines_owned.len() {
                lines_owned.remove(line);
            }
            lines_owned.concat()
        }
        // A token inserted.
        7 => {
            let tokens = [
                "(", ")", "[", "]", "{", "}", ",", ":", "\"", "r#", "#", "\\", " ", "\n", "None",
                "Some(", "\u{0B}",
            ];
            let mut t = text.to_string();
            t.insert_str(boundary(at), tokens[pick % tokens.len()]);
            t
        }
        // A character removed.
        _ => {
            let i = boundary(at);
            let mut t = text.to_string();
            if i < t.len() {
                t.remove(i);
            }
            t
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn libraries_with_nasty_strings_parse_as_ron_parses_them(mut feed in feed()) {
        let library = feed.library();
        let text = text_of(&library);
        prop_assert!(ron_parse(&text).ok() == Some(library), "ron round-trips it");
        assert_same(&text);
    }

    #[test]
    fn mutated_libraries_are_left_to_ron_or_read_the_same(
        mut feed in feed(),
        kind in 0usize..9,
        at in any::<usize>(),
        pick in any::<usize>(),
    ) {
        let text = text_of(&feed.library());
        assert_never_differs(&mutate(&text, kind, at, pick));
    }

    #[test]
    fn mutated_catalogs_are_left_to_ron_or_read_the_same(
        kind in 0usize..9,
        at in any::<usize>(),
        pick in any::<usize>(),
        generated in any::<bool>(),
    ) {
        let text = if generated {
            text_of(&multi_franchise())
        } else {
            text_of(&store::shipped_catalog())
        };
        assert_never_differs(&mutate(&text, kind, at, pick));
    }
}

/// A library with the fields only TVmaze and imports write (a summary, the last-fetched TVmaze
/// facts, a 1–10 rating): the fast path does not read them, so it must give up, never drop them.
#[test]
fn fields_the_fast_path_does_not_read_send_the_file_to_ron() {
    let mut library = store::shipped_catalog();
    let show = library
        .franchises
        .first_mut()
        .and_then(|f| f.shows.first_mut())
        .expect("a show");
    show.summary = Some("A detective.".into());
    let season = show.seasons.first_mut().expect("a season");
    season.rating_of_10 = Some(7);
    let episode = season.episodes.first_mut().expect("an episode");
    episode.rating_of_10 = Some(9);
    let text = text_of(&library);
    assert_never_differs(&text);
    assert_eq!(ron_parse(&text).expect("ron reads it"), library);
}

/// A show's 1–10 rating from an import, alone: the fast path gives it to ron too.
#[test]
fn a_shows_rating_of_ten_is_never_dropped() {
    let mut library = store::shipped_catalog();
    let show = library
        .franchises
        .first_mut()
        .and_then(|f| f.shows.first_mut())
        .expect("a show");
    show.rating = Some(4);
    show.rating_of_10 = Some(8);
    let text = text_of(&library);
    assert!(text.contains("rating_of_10: Some(8)"), "{text}");
    assert_never_differs(&text);
    assert_eq!(ron_parse(&text).expect("ron reads it"), library);
    let loaded = store::parse(&text, std::path::Path::new("x.ron")).expect("loads");
    assert_eq!(loaded, library);
}

#[test]
fn tombstones_and_your_events_take_the_fast_path_and_old_files_write_as_before() {
    let mut library = store::shipped_catalog();
    // A file with neither field loads and writes back byte for byte, without them.
    let old = text_of(&library);
    let reread = store::parse(&old, std::path::Path::new("old.ron")).expect("loads");
    assert_eq!(text_of(&reread), old);
    assert!(!text_of(&library).contains("removed"));
    assert!(!text_of(&library).contains("yours"));
    library.removed.insert("show:ballard".into());
    library.removed.insert("episode:bosch/1/3".into());
    let (f, s) = library.find_show("bosch").expect("bosch");
    let bosch = &mut library.franchises[f].shows[s];
    bosch.events.push(Event {
        kind: EventKind::PremiereDateSet,
        date: Some(Date::constant(2026, 2, 1)),
        when: None,
        what: "Season 2 premieres".into(),
        sources: vec!["https://example.org/a".into()],
        yours: true,
    });
    let text = text_of(&library);
    assert!(text.contains("removed: ["), "{text}");
    assert!(text.contains("yours: true"), "{text}");
    assert_same(&text);
    assert_eq!(parse(&text), Some(library));
    // Written by hand in another order or with a repeat: a set either way, as ron reads it.
    let hand = text.replacen("removed: [", "removed: [\n        \"show:ballard\",", 1);
    assert_never_differs(&hand);
}
