//! A form: labelled fields over the details pane, one per fact, typed into with
//! ratatui-textarea (no cursor handling of our own). The form only holds what is typed and
//! where the focus is; what a form is for, and how its values become an `Edit`, is the
//! `Purpose` (see `facts`, `news`, `structure`, `viewings`).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::civil::Date;
use ratatui::style::{Modifier, Style};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

use crate::model::{Edit, NodeId, Target};

/// What applying a form comes to.
pub enum Outcome {
    /// Apply `edit` (one undo step), then say `message` and select `select`.
    Apply {
        edit: Edit,
        message: String,
        select: Option<Target>,
    },
    /// Ask `question` first; a "no" goes back to the form.
    Ask {
        question: String,
        edit: Edit,
        message: String,
        select: Option<Target>,
    },
    /// Nothing to change; say so.
    Unchanged(String),
}

/// What is typed into a field, or chosen.
pub enum Input {
    /// One line of text.
    Line(Box<TextArea<'static>>),
    /// Rows of text, one item a row (cast, novels, watch dates): Enter starts a row, deleting
    /// a row's text removes it.
    Rows(Box<TextArea<'static>>),
    /// One of `options`; ←/→ or Space change it.
    Choice { options: Vec<String>, at: usize },
    /// A yes/no box; Space toggles it.
    Check(bool),
}

pub struct Field {
    /// A stable name the purpose reads the value by ("title", "premiere", …).
    pub key: &'static str,
    pub label: String,
    pub input: Input,
    /// Why the value is not accepted, shown under the field until it changes.
    pub error: Option<String>,
    /// Hidden fields (those another field's choice makes moot) are skipped and not drawn.
    pub visible: bool,
}

impl Field {
    fn text(key: &'static str, label: &str, value: &str, placeholder: &str, rows: bool) -> Field {
        let lines: Vec<String> = if rows {
            value.lines().map(str::to_string).collect()
        } else {
            vec![value.to_string()]
        };
        let mut area = TextArea::new(if lines.is_empty() {
            vec![String::new()]
        } else {
            lines
        });
        area.set_cursor_line_style(Style::default());
        area.set_placeholder_text(placeholder);
        if rows {
            // A long row wraps at words rather than scrolling the whole list sideways.
            area.set_wrap_mode(WrapMode::WordOrGlyph);
        }
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        let area = Box::new(area);
        Field {
            key,
            label: label.to_string(),
            input: if rows {
                Input::Rows(area)
            } else {
                Input::Line(area)
            },
            error: None,
            visible: true,
        }
    }

    /// A one-line text field; `placeholder` shows the expected form while it is empty.
    pub fn line(key: &'static str, label: &str, value: &str, placeholder: &str) -> Field {
        Field::text(key, label, value, placeholder, false)
    }

    /// A field of rows, one item each.
    pub fn rows(key: &'static str, label: &str, rows: &[String], placeholder: &str) -> Field {
        Field::text(key, label, &rows.join("\n"), placeholder, true)
    }

    pub fn choice(key: &'static str, label: &str, options: Vec<String>, at: usize) -> Field {
        let at = at.min(options.len().saturating_sub(1));
        Field {
            key,
            label: label.to_string(),
            input: Input::Choice { options, at },
            error: None,
            visible: true,
        }
    }

    pub fn check(key: &'static str, label: &str, on: bool) -> Field {
        Field {
            key,
            label: label.to_string(),
            input: Input::Check(on),
            error: None,
            visible: true,
        }
    }

    /// The text typed (rows joined by newlines), trimmed; the chosen option; "yes"/"no".
    pub fn value(&self) -> String {
        match &self.input {
            Input::Line(area) | Input::Rows(area) => area.lines().join("\n").trim().to_string(),
            Input::Choice { options, at } => options.get(*at).cloned().unwrap_or_default(),
            Input::Check(on) => if *on { "yes" } else { "no" }.to_string(),
        }
    }

    /// The non-empty rows of a rows field (or the line), each trimmed.
    pub fn rows_value(&self) -> Vec<String> {
        self.value()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// How many screen rows the input takes (before its error line).
    pub fn height(&self) -> u16 {
        match &self.input {
            // Room for one more row than typed, up to five, then the area scrolls.
            Input::Rows(area) => (area.lines().len() as u16 + 1).clamp(2, 5),
            _ => 1,
        }
    }

    fn area_mut(&mut self) -> Option<&mut TextArea<'static>> {
        match &mut self.input {
            Input::Line(area) | Input::Rows(area) => Some(area),
            _ => None,
        }
    }
}

/// What a form is for: what its values become when applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// The facts of the node (show, season, episode or franchise) named by `target`.
    Facts(Target),
    /// News for the show of `target` (a show or one of its seasons).
    News(Target),
    /// Something new under `under` (the selection when the form opened).
    Add(NodeId),
    /// The watch dates of an episode.
    Viewings(Target),
}

pub struct Form {
    pub title: String,
    pub purpose: Purpose,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Said under the fields: why nothing was applied, or what the form does.
    pub note: Option<String>,
}

/// What a key did to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typed {
    /// The value of the focused field changed (its error is cleared).
    Changed,
    /// Nothing changed, or only the cursor moved.
    Moved,
}

impl Form {
    pub fn new(title: impl Into<String>, purpose: Purpose, fields: Vec<Field>) -> Form {
        let mut form = Form {
            title: title.into(),
            purpose,
            fields,
            focus: 0,
            note: None,
        };
        form.focus_first();
        form
    }

    /// What was typed, as plain text for a rescue file: the title, then each shown field's
    /// label and value (a rows field one row a line, indented), and each field's error.
    pub fn as_text(&self) -> String {
        let mut text = format!("{}\n", self.title);
        for field in self.fields.iter().filter(|f| f.visible) {
            let value = match &field.input {
                Input::Line(area) | Input::Rows(area) => area.lines().join("\n"),
                _ => field.value(),
            };
            match value.lines().count() {
                0 | 1 => text.push_str(&format!("{}: {}\n", field.label, value.trim_end())),
                _ => {
                    text.push_str(&format!("{}:\n", field.label));
                    for line in value.lines() {
                        text.push_str(&format!("    {line}\n"));
                    }
                }
            }
            if let Some(error) = &field.error {
                text.push_str(&format!("  ! {error}\n"));
            }
        }
        if let Some(note) = &self.note {
            text.push_str(&format!("({note})\n"));
        }
        text
    }

    fn focus_first(&mut self) {
        self.focus = self.fields.iter().position(|f| f.visible).unwrap_or(0);
        self.show_cursor();
    }

    /// Only the focused field shows a cursor.
    fn show_cursor(&mut self) {
        let focus = self.focus;
        for (i, field) in self.fields.iter_mut().enumerate() {
            let style = if i == focus {
                Style::default().add_modifier(Modifier::REVERSED)
            } else {
                Style::default()
            };
            if let Some(area) = field.area_mut() {
                area.set_cursor_style(style);
            }
        }
    }

    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    pub fn field_mut(&mut self, key: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.key == key)
    }

    /// The value of field `key` ("" when there is none).
    pub fn value(&self, key: &str) -> String {
        self.field(key).map(Field::value).unwrap_or_default()
    }

    /// The chosen index of the choice field `key`.
    pub fn chosen(&self, key: &str) -> usize {
        match self.field(key).map(|f| &f.input) {
            Some(Input::Choice { at, .. }) => *at,
            _ => 0,
        }
    }

    pub fn checked(&self, key: &str) -> bool {
        matches!(self.field(key).map(|f| &f.input), Some(Input::Check(true)))
    }

    pub fn set_visible(&mut self, key: &str, visible: bool) {
        if let Some(field) = self.field_mut(key) {
            field.visible = visible;
        }
    }

    /// Marks field `key` as wrong with `message`; the focus goes to the first wrong field.
    pub fn fail(&mut self, key: &str, message: impl Into<String>) {
        if let Some(field) = self.field_mut(key) {
            field.error = Some(message.into());
        }
        if let Some(first) = self
            .fields
            .iter()
            .position(|f| f.visible && f.error.is_some())
        {
            self.focus = first;
            self.show_cursor();
        }
    }

    pub fn has_errors(&self) -> bool {
        self.fields.iter().any(|f| f.visible && f.error.is_some())
    }

    pub fn clear_errors(&mut self) {
        for field in &mut self.fields {
            field.error = None;
        }
        self.note = None;
    }

    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }

    /// Moves the focus to the next (or previous) visible field, round the end.
    pub fn step(&mut self, forward: bool) {
        let n = self.fields.len();
        if n == 0 {
            return;
        }
        let mut i = self.focus;
        for _ in 0..n {
            i = if forward {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            if self.fields.get(i).is_some_and(|f| f.visible) {
                break;
            }
        }
        self.focus = i;
        self.show_cursor();
    }

    /// Whether Enter belongs to the focused field (a new row) rather than applying the form.
    pub fn enter_is_typed(&self) -> bool {
        matches!(self.focused().map(|f| &f.input), Some(Input::Rows(_)))
    }

    /// Hands a key to the focused field. ↑/↓ outside a rows field move between fields.
    pub fn type_key(&mut self, key: KeyEvent) -> Typed {
        let focus = self.focus;
        let Some(field) = self.fields.get_mut(focus) else {
            return Typed::Moved;
        };
        let changed = match &mut field.input {
            Input::Line(area) => match key.code {
                KeyCode::Up => {
                    self.step(false);
                    return Typed::Moved;
                }
                KeyCode::Down => {
                    self.step(true);
                    return Typed::Moved;
                }
                // One line: a newline (Enter, Ctrl-M, Ctrl-J) is never typed into it.
                KeyCode::Enter => false,
                KeyCode::Char('m' | 'j') if key.modifiers.contains(KeyModifiers::CONTROL) => false,
                _ => area.input(key),
            },
            Input::Rows(area) => {
                let before = area.cursor();
                let edited = area.input(key);
                // At the first or last row, ↑/↓ leave the field.
                if !edited && area.cursor() == before {
                    match key.code {
                        KeyCode::Up => self.step(false),
                        KeyCode::Down => self.step(true),
                        _ => {}
                    }
                }
                edited
            }
            Input::Choice { options, at } => match key.code {
                KeyCode::Left if !options.is_empty() => {
                    *at = (*at + options.len() - 1) % options.len();
                    true
                }
                KeyCode::Right | KeyCode::Char(' ') if !options.is_empty() => {
                    *at = (*at + 1) % options.len();
                    true
                }
                KeyCode::Up => {
                    self.step(false);
                    return Typed::Moved;
                }
                KeyCode::Down => {
                    self.step(true);
                    return Typed::Moved;
                }
                _ => false,
            },
            Input::Check(on) => match key.code {
                KeyCode::Char(' ' | 'x') => {
                    *on = !*on;
                    true
                }
                KeyCode::Up => {
                    self.step(false);
                    return Typed::Moved;
                }
                KeyCode::Down => {
                    self.step(true);
                    return Typed::Moved;
                }
                _ => false,
            },
        };
        if changed {
            if let Some(field) = self.fields.get_mut(focus) {
                field.error = None;
            }
            self.note = None;
            Typed::Changed
        } else {
            Typed::Moved
        }
    }

    /// Puts `text` in field `key`, replacing what is there (the defaults that follow a choice).
    pub fn set_text(&mut self, key: &str, text: &str) {
        let focus = self.focus;
        if let Some(area) = self.field_mut(key).and_then(Field::area_mut) {
            let mut fresh = TextArea::new(vec![text.to_string()]);
            fresh.set_cursor_line_style(Style::default());
            fresh.set_placeholder_text(area.placeholder_text().to_string());
            fresh.move_cursor(CursorMove::End);
            *area = fresh;
        }
        self.focus = focus;
        self.show_cursor();
    }

    /// Puts what an empty field `key` shows.
    pub fn set_placeholder(&mut self, key: &str, text: &str) {
        if let Some(area) = self.field_mut(key).and_then(Field::area_mut) {
            area.set_placeholder_text(text);
        }
    }

    /// Puts the label of field `key`.
    pub fn set_label(&mut self, key: &str, label: String) {
        if let Some(field) = self.field_mut(key) {
            field.label = label;
        }
    }
}

// ── Reading values: what a valid value is, and its wording, is `model::validate`'s ──

/// Each check below marks the field and returns `None` when its value is not valid.
impl Form {
    /// A required line of text (`what` names it in the error: "the title").
    pub fn required(&mut self, key: &str, what: &str) -> Option<String> {
        crate::model::validate::line(&self.value(key), what)
            .map_err(|e| self.fail(key, e))
            .ok()
    }

    /// An optional text: `None` when empty.
    pub fn optional(&self, key: &str) -> Option<String> {
        let value = self.value(key);
        (!value.is_empty()).then_some(value)
    }

    /// An optional value checked by `parse` (one of `model::validate`'s): empty is `None`;
    /// `Err(())` when the text does not parse, with the field marked by the reason.
    fn parsed<T>(
        &mut self,
        key: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ()> {
        let value = self.value(key);
        if value.is_empty() {
            return Ok(None);
        }
        parse(&value).map(Some).map_err(|e| self.fail(key, e))
    }

    /// An optional date; `Err(())` (the field marked) when it is not a real day.
    pub(crate) fn date(&mut self, key: &str) -> Result<Option<Date>, ()> {
        self.parsed(key, crate::model::validate::date)
    }

    /// An optional score 0–100.
    pub(crate) fn score(&mut self, key: &str) -> Result<Option<u8>, ()> {
        self.parsed(key, crate::model::validate::score)
    }

    /// An optional season or episode number (`what`: "season", "episode").
    pub(crate) fn number(&mut self, key: &str, what: &str) -> Result<Option<u32>, ()> {
        self.parsed(key, |v| crate::model::validate::number(v, what))
    }

    /// An optional runtime in minutes.
    pub(crate) fn runtime(&mut self, key: &str) -> Result<Option<u32>, ()> {
        self.parsed(key, crate::model::validate::runtime)
    }

    /// An optional source address.
    pub(crate) fn url(&mut self, key: &str) -> Result<Option<String>, ()> {
        self.parsed(key, crate::model::validate::url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    fn code(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn form() -> Form {
        Form::new(
            "t",
            Purpose::Facts(Target::Show("x".into())),
            vec![
                Field::line("title", "Title", "Ballard", ""),
                Field::choice("status", "Status", vec!["a".into(), "b".into()], 0),
                Field::rows("cast", "Cast", &["One".into()], ""),
                Field::check("also", "Also", false),
            ],
        )
    }

    #[test]
    fn typing_goes_to_the_focused_field_and_clears_its_error() {
        let mut f = form();
        f.fail("title", "bad");
        assert!(f.has_errors());
        assert_eq!(f.type_key(key('!')), Typed::Changed);
        assert_eq!(f.value("title"), "Ballard!");
        assert!(!f.has_errors());
        // Enter is never typed into a line.
        f.type_key(code(KeyCode::Enter));
        assert_eq!(f.value("title"), "Ballard!");
    }

    #[test]
    fn tab_steps_over_hidden_fields_and_round_the_end() {
        let mut f = form();
        f.set_visible("status", false);
        f.step(true);
        assert_eq!(f.focused().map(|x| x.key), Some("cast"));
        assert!(f.enter_is_typed());
        f.type_key(code(KeyCode::Enter));
        f.type_key(key('T'));
        assert_eq!(
            f.field("cast").map(Field::rows_value),
            Some(vec!["One".to_string(), "T".into()])
        );
        f.step(true);
        f.type_key(key(' '));
        assert!(f.checked("also"));
        f.step(true);
        assert_eq!(f.focus, 0);
        f.step(false);
        assert_eq!(f.focused().map(|x| x.key), Some("also"));
    }

    #[test]
    fn a_choice_cycles_both_ways() {
        let mut f = form();
        f.step(true);
        f.type_key(code(KeyCode::Left));
        assert_eq!(f.value("status"), "b");
        f.type_key(code(KeyCode::Right));
        assert_eq!(f.value("status"), "a");
    }
}
