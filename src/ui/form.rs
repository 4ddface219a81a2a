//! A form over the details pane, and the yes/no question. Wide panes put the labels in a
//! column left of the inputs; narrow ones put each label above its input. The fields scroll
//! so the focused one is always in view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::Theme;
use super::status::cut_at_word;
use crate::app::form::{Field, Form, Input};
use crate::app::{App, Confirm};
use crate::keymap::CONFIRM;

/// The label column of a wide form.
const LABEL: u16 = 15;

/// `text` cut into rows of at most `width` columns at spaces (a word longer than a row is cut
/// with an ellipsis).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut rows = Vec::new();
    let mut row = String::new();
    for word in text.split(' ') {
        let word = if word.width() > width {
            super::tree::truncate(word, width)
        } else {
            word.to_string()
        };
        if !row.is_empty() && row.width() + 1 + word.width() > width {
            rows.push(std::mem::take(&mut row));
        }
        if !row.is_empty() {
            row.push(' ');
        }
        row.push_str(&word);
    }
    rows.push(row);
    rows
}

/// How a field is laid out at a width: its rows (label rows, input rows, error rows).
struct Place {
    /// The rows a rows field would take to show all its rows (and one to type in).
    want: u16,
    label_rows: u16,
    input_rows: u16,
    error: Vec<String>,
}

impl Place {
    fn height(&self) -> u16 {
        self.label_rows + self.input_rows + self.error.len() as u16
    }
}

fn place(field: &Field, wide: bool, width: u16) -> Place {
    let input_width = if wide { width - LABEL } else { width - 1 };
    let input_rows = match &field.input {
        Input::Check(_) => {
            wrap(&format!("[x] {}", field.label), usize::from(input_width)).len() as u16
        }
        _ => field.height(),
    };
    let label_rows = u16::from(!wide && !matches!(field.input, Input::Check(_)));
    let error = field
        .error
        .as_deref()
        .map(|e| wrap(e, usize::from(input_width)))
        .unwrap_or_default();
    let want = match &field.input {
        Input::Rows(area) => area.lines().len() as u16 + 1,
        _ => input_rows,
    };
    Place {
        want,
        label_rows,
        input_rows,
        error,
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, form: &Form) {
    let theme = app.theme();
    let title = super::tree::truncate(&form.title, usize::from(area.width.saturating_sub(4)));
    let mut block = super::block(format!(" {title} "), true, theme);
    let inner = block.inner(area);
    if inner.width < 8 || inner.height < 2 {
        frame.render_widget(block, area);
        return;
    }
    let wide = inner.width >= 44;
    let note: Vec<String> = form
        .note
        .as_deref()
        .map(|n| wrap(n, usize::from(inner.width)))
        .unwrap_or_default();
    let room = inner.height.saturating_sub(note.len() as u16).max(1);
    let mut places: Vec<(usize, Place)> = form
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.visible)
        .map(|(i, f)| (i, place(f, wide, inner.width)))
        .collect();
    // Room to spare (a tall pane): the lists show more of their rows.
    let mut spare = room.saturating_sub(places.iter().map(|(_, p)| p.height()).sum());
    for (_, p) in &mut places {
        let more = p.want.saturating_sub(p.input_rows).min(spare);
        p.input_rows += more;
        spare -= more;
    }
    // The first field shown: the fewest scrolled away that keep the focused one in view.
    let focus_at = places
        .iter()
        .position(|(i, _)| *i == form.focus)
        .unwrap_or(0);
    let mut first = 0;
    while first < focus_at
        && places
            .get(first..=focus_at)
            .map_or(0, |p| p.iter().map(|(_, p)| p.height()).sum::<u16>())
            > room
    {
        first += 1;
    }
    if first > 0 {
        block = block.title_top(Line::styled(" ↑ more ", theme.dim).right_aligned());
    }
    let mut y = inner.y;
    let bottom = inner.y + room;
    let mut cut = false;
    for (i, p) in places.iter().skip(first) {
        let Some(field) = form.fields.get(*i) else {
            continue;
        };
        if y + p.height() > bottom {
            cut = true;
            break;
        }
        draw_field(frame, field, p, *i == form.focus, wide, inner, y, theme);
        y += p.height();
    }
    if cut {
        block = block.title_bottom(Line::styled(" ↓ more ", theme.dim).right_aligned());
    }
    if !note.is_empty() {
        let at = Rect::new(inner.x, bottom, inner.width, note.len() as u16);
        let style =
            if form.has_errors() || form.note.as_deref().is_some_and(|n| n.starts_with("not")) {
                theme.error
            } else {
                theme.dim
            };
        let lines: Vec<Line> = note.into_iter().map(|n| Line::styled(n, style)).collect();
        frame.render_widget(Paragraph::new(lines), at.intersection(inner));
    }
    frame.render_widget(block, area);
}

#[allow(clippy::too_many_arguments)]
fn draw_field(
    frame: &mut Frame,
    field: &Field,
    p: &Place,
    focused: bool,
    wide: bool,
    inner: Rect,
    y: u16,
    theme: &Theme,
) {
    let label_style = if field.error.is_some() {
        theme.error
    } else if focused {
        theme.key
    } else {
        theme.label
    };
    // Narrow: the input under its label, in line with the label's text (after the marker).
    let (input_x, input_width) = if wide {
        (inner.x + LABEL, inner.width - LABEL)
    } else {
        (inner.x + 1, inner.width - 1)
    };
    let marker = if focused { "›" } else { " " };
    if !matches!(field.input, Input::Check(_)) {
        let width = if wide { LABEL - 1 } else { inner.width };
        let text = super::tree::truncate(&format!("{marker}{}", field.label), usize::from(width));
        frame.render_widget(
            Paragraph::new(Line::styled(text, label_style)),
            Rect::new(inner.x, y, width, 1),
        );
    }
    let input_y = y + p.label_rows;
    let input = Rect::new(input_x, input_y, input_width, p.input_rows);
    match &field.input {
        // The focused field is the editor itself (it scrolls to its cursor); the others show
        // their text from its start, cut with an ellipsis.
        Input::Line(area) | Input::Rows(area) if focused => frame.render_widget(&**area, input),
        Input::Line(area) | Input::Rows(area) => {
            let width = usize::from(input_width);
            let typed: Vec<&String> = area.lines().iter().filter(|l| !l.is_empty()).collect();
            let lines: Vec<Line> = if typed.is_empty() {
                vec![Line::styled(
                    super::tree::truncate(area.placeholder_text(), width),
                    theme.dim,
                )]
            } else {
                let room = usize::from(p.input_rows);
                let mut lines: Vec<Line> = typed
                    .iter()
                    .take(room)
                    .map(|l| Line::raw(super::tree::truncate(l, width)))
                    .collect();
                if typed.len() > room
                    && let Some(last) = lines.last_mut()
                {
                    *last = Line::styled(
                        super::tree::truncate(&format!("… {} more", typed.len() + 1 - room), width),
                        theme.dim,
                    );
                }
                lines
            };
            frame.render_widget(Paragraph::new(lines), input);
        }
        Input::Choice { options, at } => {
            let value = options.get(*at).cloned().unwrap_or_default();
            let line = if focused {
                Line::from(vec![
                    Span::styled("◂ ", theme.key),
                    Span::styled(value, theme.selected),
                    Span::styled(" ▸", theme.key),
                ])
            } else {
                Line::raw(value)
            };
            frame.render_widget(Paragraph::new(line), input);
        }
        Input::Check(on) => {
            let mark = if *on { "[x]" } else { "[ ]" };
            let rows = wrap(&format!("{mark} {}", field.label), usize::from(input_width));
            let style = if focused { theme.key } else { theme.label };
            let mut lines: Vec<Line> = Vec::new();
            for (i, row) in rows.into_iter().enumerate() {
                if i == 0 && focused {
                    lines.push(Line::from(vec![
                        Span::styled(row.get(..3).unwrap_or("").to_string(), theme.selected),
                        Span::styled(row.get(3..).unwrap_or("").to_string(), style),
                    ]));
                } else {
                    lines.push(Line::styled(row, style));
                }
            }
            frame.render_widget(Paragraph::new(lines), input);
        }
    }
    if !p.error.is_empty() {
        let lines: Vec<Line> = p
            .error
            .iter()
            .map(|e| Line::styled(e.clone(), theme.error))
            .collect();
        let at = Rect::new(
            input_x,
            input_y + p.input_rows,
            input_width,
            p.error.len() as u16,
        );
        frame.render_widget(Paragraph::new(lines), at);
    }
}

/// The yes/no question, over the body.
pub fn draw_confirm(frame: &mut Frame, within: Rect, app: &App, confirm: &Confirm) {
    let theme = app.theme();
    let width = within.width.min(64);
    let text_width = usize::from(width.saturating_sub(4));
    let mut lines: Vec<Line> = wrap(&confirm.question, text_width)
        .into_iter()
        .map(|l| Line::styled(l, theme.title))
        .collect();
    lines.push(Line::raw(""));
    let keys: Vec<Span> = CONFIRM
        .iter()
        .flat_map(|b| {
            let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
            [
                Span::styled(format!("  {}", keys.join("/")), theme.key),
                Span::raw(format!(" {}", b.help)),
            ]
        })
        .collect();
    lines.push(Line::from(keys));
    let undo = crate::keymap::hint(
        crate::keymap::Context::NORMAL,
        crate::action::Action::Undo,
        "undoes it afterwards",
    );
    lines.push(Line::styled(
        cut_at_word(&format!("  {undo}"), text_width),
        theme.dim,
    ));
    let area = super::overlay(frame, within, width, lines.len() as u16 + 2);
    let block = super::block(" Sure? ", true, theme);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
