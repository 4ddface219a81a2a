//! Breaking the pane's long lines into screen rows: hanging values, indented continuations.

use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::present::LABEL;

/// Splits a line wider than `width` at spaces into screen rows, so the rows can be counted
/// (for the scroll limit); a word wider than the pane is left to [`cut`].
/// An indented line (a cast row, a show's next episode) continues two columns further in,
/// under its text, not at the left edge.
pub(super) fn wrap_words(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    if width == 0 || line.width() <= width {
        return vec![line];
    }
    let text = line.to_string();
    // A row led by a mark ("▶ next episode", "✓ 2025-07-09 watched") continues under its text.
    let marked = ["▶ ", "✓ ", "· "].iter().any(|m| text.starts_with(m));
    let lead = if marked {
        0
    } else {
        text.len() - text.trim_start_matches(' ').len()
    };
    let indent = if (lead > 0 || marked) && lead + 2 + 8 < width {
        lead + 2
    } else {
        0
    };
    let mut rows: Vec<Line<'static>> = Vec::new();
    let mut current: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for span in line.spans {
        let style = span.style;
        for (i, word) in span.content.split(' ').enumerate() {
            let piece = if i == 0 {
                word.to_string()
            } else {
                format!(" {word}")
            };
            let w = piece.width();
            if used > indent && used + w > width {
                rows.push(Line::from(std::mem::take(&mut current)).style(line.style));
                let piece = piece.trim_start().to_string();
                used = indent + piece.width();
                if indent > 0 {
                    current.push(Span::raw(" ".repeat(indent)));
                }
                current.push(Span::styled(piece, style));
            } else {
                used += w;
                current.push(Span::styled(piece, style));
            }
        }
    }
    rows.push(Line::from(current).style(line.style));
    rows
}

/// Cuts a row still wider than `width` (a word wider than the pane: an address, a long name)
/// into rows of at most `width` columns, between graphemes. After it every row fits, so the
/// pane draws its rows as they are, with no wrapping of its own.
pub(super) fn cut(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    if width == 0 || line.width() <= width {
        return vec![line];
    }
    let style = line.style;
    let mut rows = Vec::new();
    let mut current: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for span in &line.spans {
        let mut piece = String::new();
        for g in span.styled_graphemes(ratatui::style::Style::default()) {
            let w = g.symbol.width();
            if used > 0 && used + w > width {
                if !piece.is_empty() {
                    current.push(Span::styled(std::mem::take(&mut piece), span.style));
                }
                rows.push(Line::from(std::mem::take(&mut current)).style(style));
                used = 0;
            }
            piece.push_str(g.symbol);
            used += w;
        }
        if !piece.is_empty() {
            current.push(Span::styled(piece, span.style));
        }
    }
    if !current.is_empty() {
        rows.push(Line::from(current).style(style));
    }
    rows
}

/// How far in a note on a row of its own starts: under the text of a timeline date.
const NOTE_INDENT: usize = 4;

/// Wraps a "label  value" line so its value continues under the value column, not under the
/// label. The value may be several spans (the text, then a dim source); a row breaks only at a
/// space. Other lines are left to the paragraph's own wrapping.
pub(super) fn hang(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    let Some((head, values)) = line.spans.split_first() else {
        return vec![line];
    };
    // A label is padded to its column: a cast row whose "  actor" happens to be as wide is
    // not one (it continues under its text, in `wrap_words`).
    if values.is_empty()
        || head.content.width() != LABEL
        || !head.content.ends_with(' ')
        || line.width() <= width
        || width <= LABEL + 8
    {
        return vec![line];
    }
    let room = width - LABEL;
    // Rows of the value column; `notes` are rows of their own, less indented.
    let mut rows: Vec<Vec<Span<'static>>> = Vec::new();
    let mut notes: Vec<usize> = Vec::new();
    let mut current: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (j, span) in values.iter().enumerate() {
        // A note after the text (" · deadline.com +1") stays whole on a row when it fits; in
        // a pane too narrow for it under the value column, it gets a row of its own.
        let words: Vec<&str> = match span.content.strip_prefix(' ') {
            Some(note) if j > 0 && note.width() <= room => vec!["", note],
            Some(note) if j > 0 && note.width() + NOTE_INDENT <= width => {
                rows.push(std::mem::take(&mut current));
                notes.push(rows.len());
                rows.push(vec![Span::styled(
                    format!("{:NOTE_INDENT$}{note}", ""),
                    span.style,
                )]);
                used = 0;
                continue;
            }
            _ => span.content.split(' ').collect(),
        };
        for (i, word) in words.into_iter().enumerate() {
            // The first piece of a span continues the word before it: no break there.
            let spaced = i > 0;
            let w = word.width() + usize::from(spaced);
            if spaced && used > 0 && used + w > room {
                rows.push(std::mem::take(&mut current));
                used = word.width();
                current.push(Span::styled(word.to_string(), span.style));
            } else {
                used += w;
                let piece = if spaced {
                    format!(" {word}")
                } else {
                    word.to_string()
                };
                current.push(Span::styled(piece, span.style));
            }
        }
    }
    if !current.is_empty() {
        rows.push(current);
    }
    rows.into_iter()
        .enumerate()
        .map(|(i, spans)| {
            if notes.contains(&i) {
                return Line::from(spans);
            }
            let first = if i == 0 {
                head.clone()
            } else {
                Span::raw(" ".repeat(LABEL))
            };
            Line::from(std::iter::once(first).chain(spans).collect::<Vec<_>>())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Style;

    #[test]
    fn a_word_wider_than_the_pane_is_cut_into_rows_that_fit() {
        let dim = Style::new().dim();
        let line = Line::from(vec![
            Span::raw("see "),
            Span::styled("https://example.org/a/very/long/address/ünïcödé", dim),
        ]);
        let width = 12;
        let rows: Vec<Line> = wrap_words(line.clone(), width)
            .into_iter()
            .flat_map(|l| cut(l, width))
            .collect();
        assert!(rows.len() > 3, "{rows:?}");
        assert!(rows.iter().all(|r| r.width() <= width), "{rows:?}");
        let text: String = rows.iter().map(|r| r.to_string()).collect();
        assert_eq!(text.replace(' ', ""), line.to_string().replace(' ', ""));
        // The address keeps its style on every row it spans.
        let address: Vec<&Span> = rows
            .iter()
            .flat_map(|r| &r.spans)
            .filter(|s| s.content.contains("//") || s.content.contains("ünï"))
            .collect();
        assert!(!address.is_empty() && address.iter().all(|s| s.style == dim));
        // A row that fits is left as it is.
        assert_eq!(cut(Line::raw("short"), width), vec![Line::raw("short")]);
    }
}
