//! Where a value is written in the file's text: the positions in load errors.

use super::Position;

// A step is the model's (a struct's field or a list's element); in the text a tuple's element
// is an index too.
pub(super) use crate::model::rules::Step;

/// Where the value at `steps` is written in `text`: the field's name for a field, the value
/// for an element. `Some(...)` around a value is looked through. None when `text` does not
/// hold it (or does not scan: the file parsed, so that means `text` is not the file).
pub(super) fn locate(text: &str, steps: &[Step]) -> Option<Position> {
    let mut scan = Scan {
        text: text.as_bytes(),
        at: 0,
    };
    let offset = scan.find(steps, 0)?;
    text.as_bytes().get(..offset).map(position_of)
}

/// Steps no value has: `find` with these skips the value.
const NEVER: &[Step] = &[Step::Index(usize::MAX)];

/// A cursor over RON text that skips values it is not looking for.
struct Scan<'t> {
    text: &'t [u8],
    at: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    /// Skips whitespace and comments (`// ...`, nested `/* ... */`).
    /// The text from the cursor on (empty past the end).
    fn rest(&self) -> &[u8] {
        self.text.get(self.at..).unwrap_or_default()
    }

    fn blank(&mut self) {
        loop {
            while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
                self.at += 1;
            }
            let rest = self.rest();
            if rest.starts_with(b"//") {
                while self.peek().is_some_and(|b| b != b'\n') {
                    self.at += 1;
                }
            } else if rest.starts_with(b"/*") {
                let mut depth = 0usize;
                while self.at < self.text.len() {
                    let rest = self.rest();
                    if rest.starts_with(b"/*") {
                        depth += 1;
                        self.at += 2;
                    } else if rest.starts_with(b"*/") {
                        depth -= 1;
                        self.at += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        self.at += 1;
                    }
                }
            } else {
                return;
            }
        }
    }

    fn ident(&mut self) -> &[u8] {
        let start = self.at;
        if self.rest().starts_with(b"r#") {
            self.at += 2;
        }
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80)
        {
            self.at += 1;
        }
        self.text.get(start..self.at).unwrap_or_default()
    }

    /// Skips a quoted string (`"..."`, `b"..."`, `'c'`) or a raw one (`r#"..."#`).
    fn string(&mut self) -> Option<()> {
        if self.peek() == Some(b'b') {
            self.at += 1;
        }
        if self.peek() == Some(b'r') {
            self.at += 1;
            let mut hashes = 0;
            while self.peek() == Some(b'#') {
                hashes += 1;
                self.at += 1;
            }
            if self.peek() != Some(b'"') {
                return None;
            }
            self.at += 1;
            let end: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            let found = self.rest().windows(end.len()).position(|w| w == end)?;
            self.at += found + end.len();
            return Some(());
        }
        let quote = self.peek()?;
        self.at += 1;
        while let Some(b) = self.peek() {
            self.at += 1;
            if b == b'\\' {
                self.at += 1;
            } else if b == quote {
                return Some(());
            }
        }
        None
    }

    /// Reads the value here; returns the offset of what `steps` point at inside it (`start`
    /// is where a last `Field` step's name began). With steps it cannot follow, it skips the
    /// value and returns None.
    fn find(&mut self, steps: &[Step], start: usize) -> Option<usize> {
        self.blank();
        if steps.is_empty() {
            return Some(start);
        }
        let rest = self.rest();
        if [
            &b"\""[..],
            b"'",
            b"r\"",
            b"r#",
            b"b\"",
            b"b'",
            b"br\"",
            b"br#",
        ]
        .iter()
        .any(|p| rest.starts_with(p))
        {
            return self.string().and(None);
        }
        match self.peek()? {
            b'(' => self.items(b')', steps),
            b'[' => self.items(b']', steps),
            b'{' => self.items(b'}', &[]),
            b if b.is_ascii_alphabetic() || b == b'_' => {
                let name = self.ident().to_vec();
                self.blank();
                if self.peek() != Some(b'(') {
                    return None; // a unit variant, `true`, `None`
                }
                if name == b"Some" {
                    // Looked through: `origin: Some((show: ...))` has `show` under `origin`.
                    self.at += 1;
                    let found = self.find(steps, start);
                    if found.is_some() {
                        return found;
                    }
                    self.blank();
                    if self.peek() == Some(b')') {
                        self.at += 1;
                    }
                    return None;
                }
                self.items(b')', steps)
            }
            _ => {
                // A number, or a char this scan does not know: up to the next delimiter.
                while self.peek().is_some_and(|b| {
                    !matches!(b, b',' | b')' | b']' | b'}') && !b.is_ascii_whitespace()
                }) {
                    self.at += 1;
                }
                None
            }
        }
    }

    /// The items of a struct, tuple, list or map, up to `close`; follows `steps` into the one
    /// they name.
    fn items(&mut self, close: u8, steps: &[Step]) -> Option<usize> {
        self.at += 1;
        let mut index = 0;
        loop {
            self.blank();
            match self.peek()? {
                b if b == close => {
                    self.at += 1;
                    return None;
                }
                b',' => {
                    self.at += 1;
                    continue;
                }
                _ => {}
            }
            // `name: value` in a struct; a bare value in a tuple or list.
            let item_start = self.at;
            let mut field = None;
            if close == b')'
                && self
                    .peek()
                    .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            {
                let name = self.ident().to_vec();
                self.blank();
                if self.peek() == Some(b':') {
                    self.at += 1;
                    field = Some(name);
                } else {
                    self.at = item_start;
                }
            }
            let follow = match (steps.first(), &field) {
                (Some(Step::Field(want)), Some(name)) => want.as_bytes() == name.as_slice(),
                (Some(Step::Index(want)), None) => *want == index,
                _ => false,
            };
            if close == b'}' {
                // A map entry: `key: value`.
                self.find(NEVER, 0);
                self.blank();
                if self.peek() == Some(b':') {
                    self.at += 1;
                }
            }
            if follow {
                return self.find(steps.get(1..).unwrap_or_default(), item_start);
            }
            let before = self.at;
            self.find(NEVER, 0);
            if self.at == before {
                return None; // no progress: not text this scan understands
            }
            index += 1;
        }
    }
}

/// The 1-based position just after `bytes` (the position of the next byte).
pub(super) fn position_of(bytes: &[u8]) -> Position {
    let line = bytes.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(bytes.get(line_start..).unwrap_or_default())
        .chars()
        .count()
        + 1;
    Position { line, column }
}

/// ron starts a wrongly typed value's span right after the previous token; point at the
/// value itself instead.
pub(super) fn past_whitespace(text: &str, at: Position) -> Position {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(at.line.saturating_sub(1))
        .map(str::len)
        .sum();
    let Some(offset) = text[line_start..]
        .char_indices()
        .nth(at.column.saturating_sub(1))
        .map(|(i, _)| line_start + i)
    else {
        return at;
    };
    let skipped = text[offset..].len() - text[offset..].trim_start().len();
    if skipped == 0 || offset + skipped >= text.len() {
        return at;
    }
    text.as_bytes()
        .get(..offset + skipped)
        .map_or(at, position_of)
}

/// The byte offset of a 1-based line and column (counted in chars), if it is in `text`.
pub(super) fn offset_of(text: &str, at: Position) -> Option<usize> {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(at.line.saturating_sub(1))
        .map(str::len)
        .sum();
    text.get(line_start..)?
        .char_indices()
        .nth(at.column.saturating_sub(1))
        .map(|(i, _)| line_start + i)
}

/// Position of the `n`th (1-based) occurrence of `needle` in `text`.
pub(super) fn find_nth(text: &str, needle: &str, n: usize) -> Option<Position> {
    text.match_indices(needle)
        .nth(n - 1)
        .and_then(|(i, _)| text.as_bytes().get(..i))
        .map(position_of)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_finds_fields_and_elements_through_some_and_comments() {
        let text = "// head\n(\n    a: 1,\n    b: [ (x: 1), /* c */ (x: \"q,)\", y: Some((z: 5))) ],\n    c: {\"k\": (x: 2)},\n)";
        let at = |steps: &[Step]| locate(text, steps).map(|p| (p.line, p.column));
        assert_eq!(at(&[Step::Field("a")]), Some((3, 5)));
        assert_eq!(
            at(&[Step::Field("b"), Step::Index(1), Step::Field("y")]),
            Some((4, 37))
        );
        assert_eq!(
            at(&[
                Step::Field("b"),
                Step::Index(1),
                Step::Field("y"),
                Step::Field("z")
            ]),
            Some((4, 46))
        );
        assert_eq!(at(&[Step::Field("c")]), Some((5, 5)));
        assert_eq!(at(&[Step::Field("b"), Step::Index(2)]), None);
        assert_eq!(at(&[Step::Field("nope")]), None);
    }
}
