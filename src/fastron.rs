//! A fast parser for the RON that fantrack itself writes (`store::to_text`), for the start path.
//!
//! The `ron` crate stays the reference and the error reporter: [`parse`] answers `None` for
//! anything it does not fully understand (comments, fields out of the written order, unknown
//! fields, escapes, struct names, extensions, numbers in another notation or out of range,
//! whitespace other than space, tab, CR and LF …), and the caller then parses with `ron`.
//! What it accepts is a strict subset of what `ron` accepts, read the way `ron` reads it, so a
//! `Some` is always exactly the library `ron` would give: anything else would silently change
//! the user's data at the next save. The differential tests below hold it to that.
//!
//! Each grammar rule mirrors `ron` 0.12 (`de/mod.rs`, `parse.rs`):
//! - structs are `(` fields `)`, each `name: value`, commas between and optionally after the
//!   last, whitespace between tokens; fields must come in the declared order (the order
//!   `to_text` writes), which also rules out duplicates; missing optional fields take their
//!   serde default, a missing required field is `None`;
//! - strings are `"…"` without a backslash (taken verbatim, newlines included, as `ron`
//!   does) or raw `r#"…"#`, ending at the first `"` followed by as many `#` as opened it;
//! - options are `None` or `Some(` value `)`; unit enum variants and bools are bare words;
//! - integers are plain decimal digits without a leading zero, in range for their type;
//! - dates are `"YYYY-MM-DD"` (what jiff writes for years 0–9999), built with `Date::new`.
//!
//! Large files are parsed a franchise run per core: the text is cut at the places the writer
//! puts a franchise boundary (`),` then a `(` at franchise indentation). A cut is only trusted
//! when the run before it ends exactly there, so a cut that fell inside a string is noticed and
//! the file is parsed again in one run.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::model::{
    Episode, Event, EventKind, ExternalIds, Franchise, Library, Order, Origin, OriginKind, Renewal,
    Role, Score, Season, Settings, Show, Status,
};

/// Below this many bytes a file is parsed on one thread: a thread costs more than it saves.
pub const PARALLEL_MIN_BYTES: usize = 1_000_000;

/// Parses `text` if it is RON as fantrack writes it; `None` means "ask the `ron` crate".
/// Large files use up to two threads.
pub fn parse(text: &str) -> Option<Library> {
    let threads = if text.len() >= PARALLEL_MIN_BYTES {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(2))
    } else {
        1
    };
    parse_with(text, threads, PARALLEL_MIN_BYTES)
}

/// [`parse`] with `threads` runs when the text is at least `min_parallel_bytes` long (tests and
/// benches choose; one thread when `threads` ≤ 1).
pub fn parse_with(text: &str, threads: usize, min_parallel_bytes: usize) -> Option<Library> {
    let threads = if text.len() >= min_parallel_bytes {
        threads.max(1)
    } else {
        1
    };
    let mut p = Parser::new(text);
    p.ws();
    let library = p.library(threads)?;
    p.ws();
    (p.i == p.b.len()).then_some(library)
}

/// Where the writer ends one franchise and starts the next: `),` and `(` at franchise
/// indentation (two levels of four spaces). The `(` is the last byte.
const FRANCHISE_CUT: &str = "\n        ),\n        (";

/// A field name packed into one integer, so matching a name is one comparison. Names have no
/// zero byte, so names of up to 16 bytes all get different keys.
const fn key(name: &[u8]) -> u128 {
    let mut key = 0u128;
    let mut i = 0;
    let mut rest = name;
    while let Some((&byte, tail)) = rest.split_first() {
        key |= (byte as u128) << (8 * i);
        i += 1;
        rest = tail;
    }
    key
}

/// The keys of a struct's field names, in the order the writer writes them.
macro_rules! names {
    ($($name:literal),* $(,)?) => {{
        const NAMES: &[u128] = &[$(key($name)),*];
        NAMES
    }};
}

struct Parser<'a> {
    t: &'a str,
    b: &'a [u8],
    i: usize,
}

/// How a run of franchises ended.
enum RunEnd {
    /// At the `]` closing the list (consumed).
    Closed,
    /// At the start of an element at the given cut, after a comma.
    Reached,
}

impl<'a> Parser<'a> {
    fn new(t: &'a str) -> Self {
        Parser {
            t,
            b: t.as_bytes(),
            i: 0,
        }
    }

    fn at(t: &'a str, i: usize) -> Self {
        Parser {
            t,
            b: t.as_bytes(),
            i,
        }
    }

    /// Skips the whitespace `ron` skips that the writer uses; anything rarer (vertical tab,
    /// NEL, Unicode line separators) and comments stop the fast path at the next token.
    /// Indentation is most of the file's bytes, so runs of spaces go eight at a time.
    #[inline]
    fn ws(&mut self) {
        const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b' ' => {
                    self.i += 1;
                    while let Some(chunk) = self.b.get(self.i..self.i + 8) {
                        if <[u8; 8]>::try_from(chunk).map(u64::from_ne_bytes).ok() != Some(SPACES) {
                            break;
                        }
                        self.i += 8;
                    }
                }
                b'\n' | b'\t' | b'\r' => self.i += 1,
                _ => return,
            }
        }
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline]
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    #[inline]
    fn expect(&mut self, c: u8) -> Option<()> {
        self.eat(c).then_some(())
    }

    /// A field name as its [`key`]; `None` past 16 bytes (no field of ours is that long).
    #[inline]
    fn name_key(&mut self) -> Option<u128> {
        let start = self.i;
        while let Some(b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_') = self.b.get(self.i) {
            self.i += 1;
        }
        let len = self.i - start;
        if len > 16 {
            return None;
        }
        // One 16-byte load, masked to the name, where the text has 16 bytes left.
        if let Some(Ok(bytes)) = self.b.get(start..start + 16).map(<[u8; 16]>::try_from) {
            let mask = u128::MAX.checked_shr(8 * (16 - len as u32)).unwrap_or(0);
            return Some(u128::from_le_bytes(bytes) & mask);
        }
        self.b.get(start..self.i).map(key)
    }

    /// A bare word (a variant, a bool): ASCII letters, digits and `_`. Whatever stops
    /// it must then be a token the grammar expects, so a word running on into a non-ASCII
    /// identifier character fails there.
    #[inline]
    fn word(&mut self) -> &'a [u8] {
        let start = self.i;
        while let Some(b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_') = self.b.get(self.i) {
            self.i += 1;
        }
        self.b.get(start..self.i).unwrap_or_default()
    }

    /// A struct body: `(` `name: value` … `)`, fields in the order of `names`. `field` parses
    /// the value of field number `index` (the cursor is on the value).
    #[inline]
    fn fields(
        &mut self,
        names: &[u128],
        mut field: impl FnMut(&mut Self, usize) -> Option<()>,
    ) -> Option<()> {
        self.expect(b'(')?;
        let mut next = 0;
        let mut had_comma = true;
        loop {
            self.ws();
            if self.eat(b')') {
                return Some(());
            }
            if !had_comma {
                return None;
            }
            let name = self.name_key()?;
            self.expect(b':')?;
            let index = next + names.get(next..)?.iter().position(|n| *n == name)?;
            next = index + 1;
            self.ws();
            field(self, index)?;
            self.ws();
            had_comma = self.eat(b',');
        }
    }

    /// `[` item, … `]`.
    #[inline]
    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        self.expect(b'[')?;
        let mut items = Vec::new();
        let mut had_comma = true;
        loop {
            self.ws();
            if self.eat(b']') {
                return Some(items);
            }
            if !had_comma {
                return None;
            }
            items.push(item(self)?);
            self.ws();
            had_comma = self.eat(b',');
        }
    }

    /// `None` or `Some(` value `)`. What follows `None` is checked by the caller's next token.
    #[inline]
    fn opt<T>(&mut self, item: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.b.get(self.i..self.i + 5) {
            Some(&[b'N', b'o', b'n', b'e', _]) => {
                self.i += 4;
                return Some(None);
            }
            Some(&[b'S', b'o', b'm', b'e', b'(']) => self.i += 5,
            _ => return None,
        }
        self.ws();
        let value = item(self)?;
        self.ws();
        self.expect(b')')?;
        Some(Some(value))
    }

    /// A string as `ron` reads it: `"…"` up to the next `"` (a backslash means escapes, left
    /// to `ron`), or raw `r#…"…"#…` up to the first `"` followed by as many `#`.
    #[inline]
    fn str(&mut self) -> Option<&'a str> {
        match self.peek()? {
            b'"' => {
                let start = self.i + 1;
                let len = self
                    .b
                    .get(start..)?
                    .iter()
                    .position(|&c| c == b'"' || c == b'\\')?;
                if self.b.get(start + len) == Some(&b'\\') {
                    return None;
                }
                self.i = start + len + 1;
                self.t.get(start..start + len)
            }
            b'r' => {
                self.i += 1;
                let hashes_start = self.i;
                while self.eat(b'#') {}
                let hashes = self.i - hashes_start;
                self.expect(b'"')?;
                let start = self.i;
                let mut from = start;
                loop {
                    let quote = from + self.b.get(from..)?.iter().position(|&c| c == b'"')?;
                    let after = quote + 1;
                    if self
                        .b
                        .get(after..after + hashes)
                        .is_some_and(|h| h.iter().all(|&c| c == b'#'))
                    {
                        self.i = after + hashes;
                        return self.t.get(start..quote);
                    }
                    from = after;
                }
            }
            _ => None,
        }
    }

    #[inline]
    fn string(&mut self) -> Option<String> {
        self.str().map(str::to_owned)
    }

    fn strings(&mut self) -> Option<Vec<String>> {
        self.list(Self::string)
    }

    /// Decimal digits, no sign, no leading zero, no `_`, at most `max`.
    #[inline]
    fn uint(&mut self, max: u64) -> Option<u64> {
        let start = self.i;
        let mut value: u64 = 0;
        while let Some(&c @ b'0'..=b'9') = self.b.get(self.i) {
            value = value.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
            self.i += 1;
        }
        let len = self.i - start;
        if len == 0 || (len > 1 && self.b.get(start) == Some(&b'0')) || value > max {
            return None;
        }
        Some(value)
    }

    fn u8(&mut self) -> Option<u8> {
        self.uint(u8::MAX.into()).and_then(|v| u8::try_from(v).ok())
    }

    fn u32(&mut self) -> Option<u32> {
        self.uint(u32::MAX.into())
            .and_then(|v| u32::try_from(v).ok())
    }

    fn u64(&mut self) -> Option<u64> {
        self.uint(u64::MAX)
    }

    fn bool(&mut self) -> Option<bool> {
        match self.word() {
            b"true" => Some(true),
            b"false" => Some(false),
            _ => None,
        }
    }

    /// `"YYYY-MM-DD"`, a real day. Anything else jiff might read (other years, other forms)
    /// is left to `ron` and jiff.
    #[inline]
    fn date(&mut self) -> Option<Date> {
        let d: &[u8; 12] = self.b.get(self.i..self.i + 12)?.try_into().ok()?;
        let [b'"', y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1, b'"'] = *d else {
            return None;
        };
        let num = |digits: &[u8]| {
            digits.iter().try_fold(0i16, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + i16::from(c - b'0'))
            })
        };
        let year = num(&[y0, y1, y2, y3])?;
        let month = i8::try_from(num(&[m0, m1])?).ok()?;
        let day = i8::try_from(num(&[d0, d1])?).ok()?;
        let date = Date::new(year, month, day).ok()?;
        self.i += 12;
        Some(date)
    }

    fn dates(&mut self) -> Option<Vec<Date>> {
        self.list(Self::date)
    }

    fn library(&mut self, threads: usize) -> Option<Library> {
        let (mut version, mut catalog_version, mut settings, mut removed, mut franchises) =
            (None, None, Settings::default(), Default::default(), None);
        self.fields(
            names![
                b"version",
                b"catalog_version",
                b"settings",
                b"removed",
                b"franchises"
            ],
            |p, i| {
                match i {
                    0 => version = Some(p.u32()?),
                    1 => catalog_version = p.opt(Self::u32)?,
                    2 => settings = p.settings()?,
                    // A set, as serde builds it from a list: repeats collapse, order is sorted.
                    3 => removed = p.strings()?.into_iter().collect(),
                    _ => franchises = Some(p.franchises(threads)?),
                }
                Some(())
            },
        )?;
        Some(Library {
            version: version?,
            catalog_version,
            settings,
            removed,
            franchises: franchises?,
        })
    }

    fn settings(&mut self) -> Option<Settings> {
        let mut s = Settings::default();
        self.fields(
            names![b"spoiler_shield", b"order", b"catalog_notified"],
            |p, i| {
                match i {
                    0 => s.spoiler_shield = Some(p.bool()?),
                    1 => {
                        s.order = match p.word() {
                            b"Release" => Order::Release,
                            b"Curated" => Order::Curated,
                            _ => return None,
                        }
                    }
                    _ => s.catalog_notified = p.opt(Self::u32)?,
                }
                Some(())
            },
        )?;
        Some(s)
    }

    /// The franchise list, split into `threads` runs when it has the writer's boundaries.
    fn franchises(&mut self, threads: usize) -> Option<Vec<Franchise>> {
        self.expect(b'[')?;
        let start = self.i;
        let cuts = if threads > 1 {
            cuts(self.t, start, threads)
        } else {
            Vec::new()
        };
        if !cuts.is_empty()
            && let Some((franchises, end)) = self.franchises_parallel(start, &cuts)
        {
            self.i = end;
            return Some(franchises);
        }
        self.i = start;
        match self.franchise_run(None)? {
            (franchises, RunEnd::Closed) => Some(franchises),
            (_, RunEnd::Reached) => None,
        }
    }

    /// Parses the runs `start..cuts[0]`, `cuts[0]..cuts[1]`, …, `cuts[last]..]` at once. `None`
    /// when any run does not end exactly where the next begins (a cut inside a string, say)
    /// or fails: the caller then parses in one run, which decides.
    fn franchises_parallel(&self, start: usize, cuts: &[usize]) -> Option<(Vec<Franchise>, usize)> {
        let text = self.t;
        let run = |from: usize, until: Option<usize>| {
            let mut p = Parser::at(text, from);
            let (franchises, end) = p.franchise_run(until)?;
            let expected = if until.is_some() {
                RunEnd::Reached
            } else {
                RunEnd::Closed
            };
            (std::mem::discriminant(&end) == std::mem::discriminant(&expected))
                .then_some((franchises, p.i))
        };
        let runs: Vec<Option<(Vec<Franchise>, usize)>> = std::thread::scope(|scope| {
            let handles: Vec<_> = cuts
                .iter()
                .enumerate()
                .map(|(k, &from)| {
                    let until = cuts.get(k + 1).copied();
                    // A thread the system refuses is a run that failed: one run then decides.
                    std::thread::Builder::new()
                        .spawn_scoped(scope, move || run(from, until))
                        .ok()
                })
                .collect();
            let first = run(start, cuts.first().copied());
            std::iter::once(first)
                .chain(
                    handles
                        .into_iter()
                        .map(|h| h.and_then(|h| h.join().ok().flatten())),
                )
                .collect()
        });
        let mut all = Vec::new();
        let mut end = start;
        for r in runs {
            let (franchises, at) = r?;
            all.extend(franchises);
            end = at;
        }
        Some((all, end))
    }

    /// Franchises from the cursor (just after `[`, or at a `(` that follows a comma) until the
    /// list closes, or, with `until`, until the cursor is at that element start. `None` if the
    /// cursor passes `until` without landing on it.
    fn franchise_run(&mut self, until: Option<usize>) -> Option<(Vec<Franchise>, RunEnd)> {
        let mut franchises = Vec::new();
        let mut had_comma = true;
        loop {
            self.ws();
            if let Some(cut) = until {
                if self.i == cut {
                    return had_comma.then_some((franchises, RunEnd::Reached));
                }
                if self.i > cut {
                    return None;
                }
            }
            if self.eat(b']') {
                return Some((franchises, RunEnd::Closed));
            }
            if !had_comma {
                return None;
            }
            franchises.push(self.franchise()?);
            self.ws();
            had_comma = self.eat(b',');
        }
    }

    fn franchise(&mut self) -> Option<Franchise> {
        let (mut id, mut title, mut based_on, mut notes, mut shows, mut watch_order) =
            (None, None, None, String::new(), None, Vec::new());
        self.fields(
            names![
                b"id",
                b"title",
                b"based_on",
                b"notes",
                b"shows",
                b"watch_order",
            ],
            |p, i| {
                match i {
                    0 => id = Some(p.string()?),
                    1 => title = Some(p.string()?),
                    2 => based_on = p.opt(Self::string)?,
                    3 => notes = p.string()?,
                    4 => shows = Some(p.list(|p| p.show().map(Into::into))?),
                    _ => watch_order = p.strings()?,
                }
                Some(())
            },
        )?;
        Some(Franchise {
            id: id?,
            title: title?,
            based_on,
            notes,
            shows: shows?,
            watch_order,
        })
    }

    fn ids(&mut self) -> Option<ExternalIds> {
        let mut ids = ExternalIds::default();
        self.fields(
            names![b"tvmaze", b"thetvdb", b"imdb", b"tmdb", b"trakt"],
            |p, i| {
                match i {
                    0 => ids.tvmaze = p.opt(Self::u64)?,
                    1 => ids.thetvdb = p.opt(Self::u64)?,
                    2 => ids.imdb = p.opt(Self::string)?,
                    3 => ids.tmdb = p.opt(Self::u64)?,
                    _ => ids.trakt = p.opt(Self::u64)?,
                }
                Some(())
            },
        )?;
        Some(ids)
    }

    fn score(&mut self) -> Option<Score> {
        let mut score = Score::default();
        self.fields(names![b"tomatometer", b"popcornmeter"], |p, i| {
            match i {
                0 => score.tomatometer = p.opt(Self::u8)?,
                _ => score.popcornmeter = p.opt(Self::u8)?,
            }
            Some(())
        })?;
        Some(score)
    }

    fn origin(&mut self) -> Option<Origin> {
        let (mut show, mut kind) = (None, None);
        self.fields(names![b"show", b"kind"], |p, i| {
            match i {
                0 => show = Some(p.string()?),
                _ => {
                    kind = Some(match p.word() {
                        b"SpinOff" => OriginKind::SpinOff,
                        b"Sequel" => OriginKind::Sequel,
                        b"Prequel" => OriginKind::Prequel,
                        _ => return None,
                    })
                }
            }
            Some(())
        })?;
        Some(Origin {
            show: show?,
            kind: kind?,
        })
    }

    fn renewal(&mut self) -> Option<Renewal> {
        let (mut season, mut announced) = (None, None);
        self.fields(names![b"season", b"announced"], |p, i| {
            match i {
                0 => season = Some(p.u32()?),
                _ => announced = p.opt(Self::date)?,
            }
            Some(())
        })?;
        Some(Renewal {
            season: season?,
            announced,
        })
    }

    fn role(&mut self) -> Option<Role> {
        let (mut actor, mut character) = (None, None);
        self.fields(names![b"actor", b"character"], |p, i| {
            match i {
                0 => actor = Some(p.string()?),
                _ => character = p.opt(Self::string)?,
            }
            Some(())
        })?;
        Some(Role {
            actor: actor?,
            character,
        })
    }

    fn event(&mut self) -> Option<Event> {
        let (mut kind, mut date, mut when, mut what, mut sources, mut yours) =
            (None, None, None, None, Vec::new(), false);
        self.fields(
            names![b"kind", b"date", b"when", b"what", b"sources", b"yours"],
            |p, i| {
                match i {
                    0 => {
                        kind = Some(match p.word() {
                            b"Ordered" => EventKind::Ordered,
                            b"Premiered" => EventKind::Premiered,
                            b"Renewed" => EventKind::Renewed,
                            b"Ended" => EventKind::Ended,
                            b"SpinOffAnnounced" => EventKind::SpinOffAnnounced,
                            b"Announced" => EventKind::Announced,
                            b"Other" => EventKind::Other,
                            b"Cancelled" => EventKind::Cancelled,
                            b"PremiereDateSet" => EventKind::PremiereDateSet,
                            b"Cast" => EventKind::Cast,
                            b"Score" => EventKind::Score,
                            _ => return None,
                        })
                    }
                    1 => date = p.opt(Self::date)?,
                    2 => when = p.opt(Self::string)?,
                    3 => what = Some(p.string()?),
                    4 => sources = p.strings()?,
                    _ => yours = p.bool()?,
                }
                Some(())
            },
        )?;
        Some(Event {
            kind: kind?,
            date,
            when,
            what: what?,
            sources,
            yours,
        })
    }

    /// `{ "key": [ "…", … ], … }`. A repeated key is left to `ron` (serde keeps the last).
    fn sources_map(&mut self) -> Option<BTreeMap<String, Vec<String>>> {
        self.expect(b'{')?;
        let mut map = BTreeMap::new();
        let mut had_comma = true;
        loop {
            self.ws();
            if self.eat(b'}') {
                return Some(map);
            }
            if !had_comma {
                return None;
            }
            let key = self.string()?;
            self.ws();
            self.expect(b':')?;
            self.ws();
            let value = self.strings()?;
            if map.insert(key, value).is_some() {
                return None;
            }
            self.ws();
            had_comma = self.eat(b',');
        }
    }

    fn show(&mut self) -> Option<Show> {
        // Fields this path does not read (TVmaze's, imports') are left empty here; a file that
        // has them is an unknown field to `fields` below, so it goes to ron instead.
        let mut s = Show {
            status: Status::Running,
            ..Show::new(String::new(), String::new())
        };
        let (mut have_id, mut have_title, mut have_status) = (false, false, false);
        self.fields(
            names![
                b"id",
                b"title",
                b"ids",
                b"origin",
                b"network",
                b"status",
                b"premiere",
                b"finale",
                b"renewal",
                b"rotten_tomatoes",
                b"creators",
                b"cast",
                b"based_on",
                b"events",
                b"sources",
                b"rating",
                b"notes",
                b"seasons",
            ],
            |p, i| {
                match i {
                    0 => (s.id, have_id) = (p.string()?, true),
                    1 => (s.title, have_title) = (p.string()?, true),
                    2 => s.ids = p.ids()?,
                    3 => s.origin = p.opt(Self::origin)?,
                    4 => s.network = p.opt(Self::string)?,
                    5 => {
                        s.status = match p.word() {
                            b"Unknown" => Status::Unknown,
                            b"Upcoming" => Status::Upcoming,
                            b"Running" => Status::Running,
                            b"Renewed" => Status::Renewed,
                            b"Ended" => Status::Ended,
                            b"Cancelled" => Status::Cancelled,
                            _ => return None,
                        };
                        have_status = true;
                    }
                    6 => s.premiere = p.opt(Self::date)?,
                    7 => s.finale = p.opt(Self::date)?,
                    8 => s.renewal = p.opt(Self::renewal)?,
                    9 => s.rotten_tomatoes = p.opt(Self::score)?,
                    10 => s.creators = p.strings()?,
                    11 => s.cast = p.list(Self::role)?,
                    12 => s.based_on = p.opt(Self::string)?,
                    13 => s.events = p.list(Self::event)?,
                    14 => s.sources = p.sources_map()?,
                    15 => s.rating = p.opt(Self::u8)?,
                    16 => s.notes = p.string()?,
                    _ => s.seasons = p.list(Self::season)?,
                }
                Some(())
            },
        )?;
        (have_id && have_title && have_status).then_some(s)
    }

    fn season(&mut self) -> Option<Season> {
        let mut s = Season::new(0);
        let mut have_number = false;
        self.fields(
            names![
                b"number",
                b"premiere",
                b"rotten_tomatoes",
                b"adapts",
                b"sources",
                b"rating",
                b"notes",
                b"episodes",
                b"specials",
            ],
            |p, i| {
                match i {
                    0 => (s.number, have_number) = (p.u32()?, true),
                    1 => s.premiere = p.opt(Self::date)?,
                    2 => s.rotten_tomatoes = p.opt(Self::score)?,
                    3 => s.adapts = p.strings()?,
                    4 => s.sources = p.strings()?,
                    5 => s.rating = p.opt(Self::u8)?,
                    6 => s.notes = p.string()?,
                    7 => s.episodes = p.list(Self::episode)?,
                    _ => s.specials = p.list(Self::episode)?,
                }
                Some(())
            },
        )?;
        have_number.then_some(s)
    }

    fn episode(&mut self) -> Option<Episode> {
        let mut e = Episode::new(0);
        let mut have_number = false;
        self.fields(
            names![
                b"number",
                b"title",
                b"air_date",
                b"runtime",
                b"directed_by",
                b"written_by",
                b"ids",
                b"crossovers",
                b"sources",
                b"watched",
                b"rating",
                b"notes",
            ],
            |p, i| {
                match i {
                    0 => (e.number, have_number) = (p.u32()?, true),
                    1 => e.title = p.opt(Self::string)?,
                    2 => e.air_date = p.opt(Self::date)?,
                    3 => e.runtime = p.opt(Self::u32)?,
                    4 => e.directed_by = p.opt(Self::string)?,
                    5 => e.written_by = p.opt(Self::string)?,
                    6 => e.ids = p.ids()?,
                    7 => e.crossovers = p.strings()?,
                    8 => e.sources = p.strings()?,
                    9 => e.watched = p.dates()?,
                    10 => e.rating = p.opt(Self::u8)?,
                    _ => e.notes = p.string()?,
                }
                Some(())
            },
        )?;
        have_number.then_some(e)
    }
}

/// Up to `threads - 1` cut points after `start`, at the writer's franchise boundaries nearest
/// after even shares of the text. Each is the byte offset of a franchise's `(`.
fn cuts(text: &str, start: usize, threads: usize) -> Vec<usize> {
    let len = text.len() - start;
    let mut cuts: Vec<usize> = Vec::new();
    for k in 1..threads {
        let mut target = start + len * k / threads;
        while !text.is_char_boundary(target) {
            target += 1;
        }
        let floor = cuts.last().map_or(start, |c| c + 1).max(target);
        let Some(found) = text.get(floor..).and_then(|rest| rest.find(FRANCHISE_CUT)) else {
            break;
        };
        cuts.push(floor + found + FRANCHISE_CUT.len() - 1);
    }
    cuts
}

/// What the differential tests (`tests/fastron.rs`) look at inside: where the split falls and
/// whether the split runs join up. Not an API.
#[doc(hidden)]
pub mod testing {
    pub const FRANCHISE_CUT: &str = super::FRANCHISE_CUT;

    pub fn cuts(text: &str, start: usize, threads: usize) -> Vec<usize> {
        super::cuts(text, start, threads)
    }

    /// How many franchises the split runs from `start` gave, joined without a second parse.
    pub fn split_franchises(text: &str, start: usize, threads: usize) -> Option<usize> {
        let cuts = super::cuts(text, start, threads);
        super::Parser::at(text, start)
            .franchises_parallel(start, &cuts)
            .map(|(f, _)| f.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_show_of_unknown_status_reads_as_the_reference_parser_reads_it() {
        let mut library = crate::model::fixture::shipped_catalog();
        library.franchises[0]
            .shows
            .push(crate::model::Show::new("slow-horses", "Slow Horses").into());
        let text = crate::store::to_text(&library).expect("writes");
        assert!(text.contains("status: Unknown"), "{text}");
        let fast = parse(&text).expect("the fast path reads it");
        assert_eq!(fast, library);
        let added = fast.franchises[0].shows.last().map(|s| s.status);
        assert_eq!(added, Some(crate::model::Status::Unknown));
    }

    #[test]
    fn a_name_has_the_same_key_near_the_end_of_the_text_and_away_from_it() {
        for name in ["id", "rotten_tomatoes", "catalog_notified", "x", ""] {
            let near_end = format!("{name}:");
            let far = format!("{name}: 1234567890123456789");
            let mut p = Parser::new(&near_end);
            let mut q = Parser::new(&far);
            let (a, b) = (p.name_key(), q.name_key());
            assert!(a == Some(key(name.as_bytes())) && a == b, "{name}");
            assert!(p.i == name.len() && q.i == name.len());
        }
        assert!(Parser::new("a_name_of_17_byte: 1").name_key().is_none());
        assert!(key(b"title") != key(b"titles") && key(b"id") != key(b"ids"));
    }

    #[test]
    fn every_four_digit_date_is_read_as_jiff_reads_it() {
        for year in 0..=9999 {
            for month in 0..=13 {
                for day in 0..=32 {
                    let s = format!("{year:04}-{month:02}-{day:02}");
                    let quoted = format!("\"{s}\"");
                    let ours = Parser::new(&quoted).date();
                    let jiffs = s.parse::<Date>().ok();
                    assert_eq!(ours, jiffs, "{s}");
                }
            }
        }
    }
}
