//! The right-hand pane: facts about whatever the tree has selected, and the notes editor.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui_textarea::TextArea;
use unicode_width::UnicodeWidthStr;

use super::{Theme, progress_bar};
use crate::app::App;
use crate::model::{Episode, Franchise, Library, Progress, Score, Season, Show, episode_code};
use crate::tree::NodeId;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(id) = app.selected() else {
        frame.render_widget(super::block(" Details ", false, &app.theme), area);
        return;
    };
    let block = super::block(format!(" {} ", app.label(id)), false, &app.theme);
    let inner = block.inner(area);
    let width = usize::from(inner.width);
    let bar = width.saturating_sub(LABEL + 12).min(30);
    let lines = pane_lines(&app.library, id, &app.theme, bar)
        .into_iter()
        .flat_map(|line| hang(line, width))
        .collect::<Vec<_>>();
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// The notes editor, drawn over the pane.
pub fn draw_editor(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    target: NodeId,
    editor: &TextArea<'static>,
) {
    let block = super::block(
        format!(" Notes: {} · Esc saves ", app.label(target)),
        true,
        &app.theme,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(editor, inner);
}

/// Width of the label column of "Label   value" lines.
const LABEL: usize = 16;

fn label(text: &str, theme: &Theme) -> Span<'static> {
    Span::styled(format!("{text:<LABEL$}"), theme.label)
}

/// Wraps a "label  value" line so its value continues under the value column, not under the
/// label. Other lines are left to the paragraph's own wrapping.
fn hang(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    let is_kv = line.spans.len() == 2 && line.spans[0].content.width() == LABEL;
    if !is_kv || line.width() <= width || width <= LABEL + 8 {
        return vec![line];
    }
    let room = width - LABEL;
    let style = line.spans[1].style;
    let mut rows: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in line.spans[1].content.split(' ') {
        if !current.is_empty() && current.width() + 1 + word.width() > room {
            rows.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    rows.push(current);
    let head = line.spans[0].clone();
    rows.into_iter()
        .enumerate()
        .map(|(i, text)| {
            let first = if i == 0 {
                head.clone()
            } else {
                Span::raw(" ".repeat(LABEL))
            };
            Line::from(vec![first, Span::styled(text, style)])
        })
        .collect()
}

fn kv(name: &str, value: impl Into<String>, theme: &Theme) -> Line<'static> {
    Line::from(vec![label(name, theme), Span::raw(value.into())])
}

fn progress_line(p: Progress, bar: usize, theme: &Theme) -> Line<'static> {
    let mut spans = vec![label("Progress", theme)];
    spans.extend(progress_bar(p, bar, theme).spans);
    Line::from(spans)
}

fn unknown(value: Option<String>) -> String {
    value.unwrap_or_else(|| "unknown".into())
}

fn score(s: Option<&Score>) -> String {
    s.map_or_else(|| "unknown".into(), |s| s.to_string())
}

fn notes(lines: &mut Vec<Line<'static>>, text: &str, theme: &Theme) {
    lines.push(Line::raw(""));
    lines.push(Line::styled("Notes", theme.label));
    if text.is_empty() {
        lines.push(Line::styled("none yet · e to write", theme.dim));
    } else {
        lines.extend(text.lines().map(|l| Line::raw(l.to_string())));
    }
}

/// The pane's lines for a node; `bar` is the progress bar's width.
pub fn pane_lines(library: &Library, id: NodeId, theme: &Theme, bar: usize) -> Vec<Line<'static>> {
    match id {
        NodeId::Franchise(f) => franchise(&library.franchises[f], theme, bar),
        NodeId::Show(f, s) => show(
            &library.franchises[f],
            &library.franchises[f].shows[s],
            theme,
            bar,
        ),
        NodeId::Season(f, s, se) => {
            let show = &library.franchises[f].shows[s];
            season(show, &show.seasons[se], theme, bar)
        }
        NodeId::Episode(f, s, se, e) => {
            let show = &library.franchises[f].shows[s];
            let season = &show.seasons[se];
            episode(show, season, &season.episodes[e], theme)
        }
    }
}

fn franchise(f: &Franchise, theme: &Theme, bar: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(f.title.clone(), theme.title)];
    if let Some(based_on) = &f.based_on {
        lines.push(kv("Based on", based_on.clone(), theme));
    }
    lines.push(progress_line(f.progress(), bar, theme));
    lines.push(Line::raw(""));
    lines.push(Line::styled("Shows", theme.label));
    for show in &f.shows {
        let p = show.progress();
        let progress = if p.total == 0 {
            "no episodes yet".to_string()
        } else {
            p.to_string()
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<24}", show.title), theme.title),
            Span::raw(format!("{:<10}", show.status.to_string())),
            Span::styled(progress, theme.dim),
        ]));
    }
    notes(&mut lines, &f.notes, theme);
    lines
}

fn show(f: &Franchise, show: &Show, theme: &Theme, bar: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(show.title.clone(), theme.title)];
    lines.push(kv("Status", show.status.to_string(), theme));
    lines.push(kv(
        "Premiere",
        unknown(show.premiere.map(|d| d.to_string())),
        theme,
    ));
    if let Some(finale) = show.finale {
        lines.push(kv("Finale", finale.to_string(), theme));
    }
    lines.push(kv(
        "Renewal",
        show.renewal.as_ref().map_or_else(
            || "none".to_string(),
            |r| {
                format!(
                    "season {} · announced {}",
                    r.season,
                    unknown(r.announced.map(|d| d.to_string()))
                )
            },
        ),
        theme,
    ));
    lines.push(kv(
        "Rotten Tomatoes",
        score(show.rotten_tomatoes.as_ref()),
        theme,
    ));
    for s in show.seasons.iter().filter(|s| s.rotten_tomatoes.is_some()) {
        lines.push(kv(
            &format!("  Season {}", s.number),
            score(s.rotten_tomatoes.as_ref()),
            theme,
        ));
    }
    lines.push(kv("Network", unknown(show.network.clone()), theme));
    if let Some(origin) = &show.origin {
        let parent = f
            .show(&origin.show)
            .map_or(origin.show.clone(), |p| p.title.clone());
        lines.push(kv(
            "Grew out of",
            format!("{parent} ({})", origin.kind),
            theme,
        ));
    }
    lines.push(kv(
        "Creators",
        if show.creators.is_empty() {
            "unknown".into()
        } else {
            show.creators.join(", ")
        },
        theme,
    ));
    lines.push(progress_line(show.progress(), bar, theme));
    if let Some((season, e)) = show.next_unwatched() {
        lines.push(kv(
            "Up next",
            format!("{} {}", episode_code(season, e.number), e.display_title()),
            theme,
        ));
    }
    notes(&mut lines, &show.notes, theme);
    lines.push(Line::raw(""));
    lines.push(Line::styled("Cast", theme.label));
    if show.cast.is_empty() {
        lines.push(Line::styled("unknown", theme.dim));
    }
    for role in &show.cast {
        lines.push(Line::from(vec![
            Span::raw(format!("  {}", role.actor)),
            Span::styled(
                role.character
                    .as_ref()
                    .map(|c| format!(" as {c}"))
                    .unwrap_or_default(),
                theme.dim,
            ),
        ]));
    }
    lines
}

fn season(show: &Show, season: &Season, theme: &Theme, bar: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        format!("{} · Season {}", show.title, season.number),
        theme.title,
    )];
    lines.push(kv(
        "Premiere",
        unknown(season.premiere.map(|d| d.to_string())),
        theme,
    ));
    lines.push(kv(
        "Rotten Tomatoes",
        score(season.rotten_tomatoes.as_ref()),
        theme,
    ));
    lines.push(kv(
        "Adapts",
        if season.adapts.is_empty() {
            "unknown".into()
        } else {
            season.adapts.join(", ")
        },
        theme,
    ));
    if let Some(r) = season.rating {
        lines.push(kv("Your rating", "★".repeat(usize::from(r)), theme));
    }
    lines.push(progress_line(season.progress(), bar, theme));
    lines.push(Line::raw(""));
    for e in &season.episodes {
        let (mark, style) = if e.is_watched() {
            ("✓", theme.watched)
        } else {
            ("·", theme.dim)
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} "), style),
            Span::raw(format!("{:>2}  ", e.number)),
            Span::styled(
                format!("{:<10}  ", unknown(e.air_date.map(|d| d.to_string()))),
                theme.dim,
            ),
            Span::raw(e.display_title()),
        ]));
    }
    notes(&mut lines, &season.notes, theme);
    lines
}

fn episode(show: &Show, season: &Season, e: &Episode, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![
        Line::styled(e.display_title(), theme.title),
        Line::styled(
            format!("{} {}", show.title, episode_code(season.number, e.number)),
            theme.dim,
        ),
        kv(
            "Air date",
            unknown(e.air_date.map(|d| d.to_string())),
            theme,
        ),
        kv(
            "Runtime",
            unknown(e.runtime.map(|m| format!("{m} min"))),
            theme,
        ),
    ];
    if let Some(d) = &e.directed_by {
        lines.push(kv("Directed by", d.clone(), theme));
    }
    if let Some(w) = &e.written_by {
        lines.push(kv("Written by", w.clone(), theme));
    }
    for (i, c) in e.crossovers.iter().enumerate() {
        lines.push(kv(
            if i == 0 { "Crossover ⇄" } else { "" },
            c.clone(),
            theme,
        ));
    }
    if let Some(r) = e.rating {
        lines.push(kv("Your rating", "★".repeat(usize::from(r)), theme));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Watched", theme.label));
    if e.watched.is_empty() {
        lines.push(Line::styled("not yet · Space marks it watched", theme.dim));
    } else {
        for (i, d) in e.watched.iter().enumerate() {
            let what = if i == 0 { "watched" } else { "rewatched" };
            lines.push(Line::from(vec![
                Span::styled("✓ ", theme.watched),
                Span::raw(format!("{d}  {what}")),
            ]));
        }
    }
    notes(&mut lines, &e.notes, theme);
    lines
}
