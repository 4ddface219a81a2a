//! The scanner: whitespace, names, and the primitives (structs, lists, options, strings,
//! numbers, dates) every reader is built from.

use jiff::civil::Date;

use super::{Parser, key};

impl<'a> Parser<'a> {
    pub(super) fn new(t: &'a str) -> Self {
        Parser {
            t,
            b: t.as_bytes(),
            i: 0,
        }
    }

    pub(super) fn at(t: &'a str, i: usize) -> Self {
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
    pub(super) fn ws(&mut self) {
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
    pub(super) fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    #[inline]
    pub(super) fn expect(&mut self, c: u8) -> Option<()> {
        self.eat(c).then_some(())
    }

    /// A field name as its [`key`]; `None` past 16 bytes (no field of ours is that long).
    #[inline]
    pub(super) fn name_key(&mut self) -> Option<u128> {
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
    pub(super) fn word(&mut self) -> &'a [u8] {
        let start = self.i;
        while let Some(b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_') = self.b.get(self.i) {
            self.i += 1;
        }
        self.b.get(start..self.i).unwrap_or_default()
    }

    /// A struct body: `(` `name: value` … `)`, fields in the order of `names`. `field` parses
    /// the value of field number `index` (the cursor is on the value).
    #[inline]
    pub(super) fn fields(
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
    pub(super) fn list<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
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
    pub(super) fn opt<T>(
        &mut self,
        item: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<Option<T>> {
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
    pub(super) fn string(&mut self) -> Option<String> {
        self.str().map(str::to_owned)
    }

    pub(super) fn strings(&mut self) -> Option<Vec<String>> {
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

    pub(super) fn u8(&mut self) -> Option<u8> {
        self.uint(u8::MAX.into()).and_then(|v| u8::try_from(v).ok())
    }

    pub(super) fn u32(&mut self) -> Option<u32> {
        self.uint(u32::MAX.into())
            .and_then(|v| u32::try_from(v).ok())
    }

    pub(super) fn u64(&mut self) -> Option<u64> {
        self.uint(u64::MAX)
    }

    pub(super) fn bool(&mut self) -> Option<bool> {
        match self.word() {
            b"true" => Some(true),
            b"false" => Some(false),
            _ => None,
        }
    }

    /// `"YYYY-MM-DD"`, a real day. Anything else jiff might read (other years, other forms)
    /// is left to `ron` and jiff.
    #[inline]
    pub(super) fn date(&mut self) -> Option<Date> {
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

    pub(super) fn dates(&mut self) -> Option<Vec<Date>> {
        self.list(Self::date)
    }
}
