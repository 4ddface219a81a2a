//! Overlays: the help screen, generated from the key tables, and the quit question.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::action::Action;
use crate::app::App;
use crate::keymap::{self, Binding, CONFIRM_QUIT, Context, FORM, NOTES, SEARCH};

fn section(lines: &mut Vec<Line<'static>>, title: &str, bindings: &[Binding], app: &App) {
    lines.push(Line::styled(title.to_string(), app.theme().label));
    for b in bindings {
        let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<13}", keys.join(" ")), app.theme().key),
            Span::raw(b.help),
        ]));
    }
    lines.push(Line::raw(""));
}

/// Moving around: the left column of the help screen. The rest of the browse keys act.
fn is_movement(action: Action) -> bool {
    matches!(
        action,
        Action::Up
            | Action::Down
            | Action::Expand
            | Action::Collapse
            | Action::ToggleOpen
            | Action::First
            | Action::Last
            | Action::PageUp
            | Action::PageDown
            | Action::DetailDown
            | Action::DetailUp
    )
}

pub fn draw(frame: &mut Frame, within: Rect, app: &App) {
    let (moving, acting): (Vec<Binding>, Vec<Binding>) = Context::NORMAL
        .bindings()
        .iter()
        .partition(|b| is_movement(b.action));
    let mut left = Vec::new();
    section(&mut left, "Move", &moving, app);
    section(&mut left, "Search prompt (type to search)", SEARCH, app);
    section(&mut left, "Notes editor (type to edit)", NOTES, app);
    section(&mut left, "Forms (type into the field)", FORM, app);
    let mut right = Vec::new();
    section(&mut right, "Do", &acting, app);
    right.push(Line::styled("Mouse", app.theme().label));
    right.push(Line::raw("  click selects, again opens or closes;"));
    right.push(Line::raw("  the wheel scrolls"));
    right.push(Line::styled(
        "  Every change is saved at once.",
        app.theme().dim,
    ));
    let height = left.len().max(right.len()) as u16 + 2;
    let area = super::overlay(frame, within, 100, height);
    let close: Vec<String> = keymap::keys_for(Context::HELP, Action::Cancel)
        .iter()
        .take(2)
        .map(|k| k.label())
        .collect();
    let title = format!(
        " Help · {} closes · {} {} scroll ",
        close.join(" or "),
        keymap::key_for(Context::HELP, Action::Down),
        keymap::key_for(Context::HELP, Action::Up)
    );
    let block = super::block(title, true, app.theme());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [l, r] = Layout::horizontal([Constraint::Percentage(50), Constraint::Fill(1)])
        .spacing(1)
        .areas(inner);
    // On a short terminal the help scrolls; never past its last line.
    let max = (left.len().max(right.len()) as u16).saturating_sub(inner.height);
    let scroll = (app.help_scroll().min(max), 0);
    frame.render_widget(Paragraph::new(left).scroll(scroll), l);
    frame.render_widget(Paragraph::new(right).scroll(scroll), r);
}

pub fn draw_confirm_quit(frame: &mut Frame, within: Rect, app: &App) {
    let reason = app.unsaved().unwrap_or_default().to_string();
    let mut lines = vec![
        Line::styled("Your last change is not saved.", app.theme().error),
        Line::raw(reason),
        Line::raw(""),
    ];
    for b in CONFIRM_QUIT {
        let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<8}", keys.join(" ")), app.theme().key),
            Span::raw(b.help),
        ]));
    }
    let area = super::overlay(frame, within, 64, lines.len() as u16 + 4);
    let block = super::block(" Quit? ", true, app.theme());
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
