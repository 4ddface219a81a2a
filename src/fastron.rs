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
    while i < name.len() {
        key |= (name[i] as u128) << (8 * i);
        i += 1;
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
        Some(key(&self.b[start..self.i]))
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
        &self.b[start..self.i]
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
                let len = self.b[start..]
                    .iter()
                    .position(|&c| c == b'"' || c == b'\\')?;
                if self.b[start + len] == b'\\' {
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
                    let quote = from + self.b[from..].iter().position(|&c| c == b'"')?;
                    let after = quote + 1;
                    if self.b.len() >= after + hashes
                        && self.b[after..after + hashes].iter().all(|&c| c == b'#')
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
        if len == 0 || (len > 1 && self.b[start] == b'0') || value > max {
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
        let d = self.b.get(self.i..self.i + 12)?;
        if d[0] != b'"' || d[5] != b'-' || d[8] != b'-' || d[11] != b'"' {
            return None;
        }
        let num = |range: std::ops::Range<usize>| {
            d[range].iter().try_fold(0i16, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + i16::from(c - b'0'))
            })
        };
        let year = num(1..5)?;
        let month = i8::try_from(num(6..8)?).ok()?;
        let day = i8::try_from(num(9..11)?).ok()?;
        let date = Date::new(year, month, day).ok()?;
        self.i += 12;
        Some(date)
    }

    fn dates(&mut self) -> Option<Vec<Date>> {
        self.list(Self::date)
    }

    fn library(&mut self, threads: usize) -> Option<Library> {
        let (mut version, mut catalog_version, mut settings, mut franchises) =
            (None, None, Settings::default(), None);
        self.fields(
            names![b"version", b"catalog_version", b"settings", b"franchises"],
            |p, i| {
                match i {
                    0 => version = Some(p.u32()?),
                    1 => catalog_version = p.opt(Self::u32)?,
                    2 => settings = p.settings()?,
                    _ => franchises = Some(p.franchises(threads)?),
                }
                Some(())
            },
        )?;
        Some(Library {
            version: version?,
            catalog_version,
            settings,
            franchises: franchises?,
        })
    }

    fn settings(&mut self) -> Option<Settings> {
        let mut s = Settings::default();
        self.fields(
            names![b"spoiler_shield", b"order", b"catalog_notified"],
            |p, i| {
                match i {
                    0 => s.spoiler_shield = p.bool()?,
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
        let (mut kind, mut date, mut when, mut what, mut sources) =
            (None, None, None, None, Vec::new());
        self.fields(
            names![b"kind", b"date", b"when", b"what", b"sources"],
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
                            _ => return None,
                        })
                    }
                    1 => date = p.opt(Self::date)?,
                    2 => when = p.opt(Self::string)?,
                    3 => what = Some(p.string()?),
                    _ => sources = p.strings()?,
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
        let mut s = Show {
            id: String::new(),
            title: String::new(),
            ids: ExternalIds::default(),
            origin: None,
            network: None,
            status: Status::Running,
            premiere: None,
            finale: None,
            renewal: None,
            rotten_tomatoes: None,
            creators: Vec::new(),
            cast: Vec::new(),
            based_on: None,
            events: Vec::new(),
            sources: BTreeMap::new(),
            notes: String::new(),
            seasons: Vec::new(),
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
                    15 => s.notes = p.string()?,
                    _ => s.seasons = p.list(Self::season)?,
                }
                Some(())
            },
        )?;
        (have_id && have_title && have_status).then_some(s)
    }

    fn season(&mut self) -> Option<Season> {
        let mut s = Season {
            number: 0,
            premiere: None,
            rotten_tomatoes: None,
            adapts: Vec::new(),
            sources: Vec::new(),
            rating: None,
            notes: String::new(),
            episodes: Vec::new(),
            specials: Vec::new(),
        };
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
        let mut e = Episode {
            number: 0,
            title: None,
            air_date: None,
            runtime: None,
            directed_by: None,
            written_by: None,
            ids: ExternalIds::default(),
            crossovers: Vec::new(),
            sources: Vec::new(),
            watched: Vec::new(),
            rating: None,
            notes: String::new(),
        };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{self, Spec};
    use crate::store;
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
        let split = Parser::at(&text, start).franchises_parallel(start, &cuts(&text, start, 2));
        assert!(
            split.is_some_and(|(f, _)| f.len() == 10),
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
                number,
                title: self.opt(Self::s),
                air_date: self.opt(Self::date),
                runtime: self.opt(|f| f.n() as u32),
                directed_by: self.opt(Self::s),
                written_by: self.opt(Self::s),
                ids: self.ids(),
                crossovers: self.strings(),
                sources: self.strings(),
                watched: (0..self.count(2)).map(|_| self.date()).collect(),
                rating: self.opt(|f| f.n() as u8),
                notes: if self.flag() { self.s() } else { String::new() },
            }
        }
        fn season(&mut self, number: u32) -> Season {
            Season {
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
            ];
            Show {
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
                        kind: events[self.count(6)],
                        date: self.opt(Self::date),
                        when: self.opt(Self::s),
                        what: self.s(),
                        sources: self.strings(),
                    })
                    .collect(),
                sources: (0..self.count(2))
                    .map(|_| (self.s(), self.strings()))
                    .collect(),
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
                    spoiler_shield: self.flag(),
                    order: if self.flag() {
                        Order::Release
                    } else {
                        Order::Curated
                    },
                    catalog_notified: self.opt(|f| f.n() as u32),
                },
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
                    "(", ")", "[", "]", "{", "}", ",", ":", "\"", "r#", "#", "\\", " ", "\n",
                    "None", "Some(", "\u{0B}",
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
}
