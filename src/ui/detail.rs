//! The right-hand pane: facts about whatever the tree has selected, and the notes editor.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui_textarea::TextArea;
use unicode_width::UnicodeWidthStr;

use super::{Theme, progress_bar};
use crate::app::App;
use crate::model::Shield;
use crate::model::{
    Episode, Franchise, Library, Order, Progress, Score, Season, Show, Stats, episode_code,
};
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
    let lines = pane_lines(&app.library, id, &app.theme, bar, &app.shield)
        .into_iter()
        .flat_map(|line| hang(line, width))
        .collect::<Vec<_>>();
    // Never scroll past the end: the last line stays in view.
    let max = (lines.len() as u16).saturating_sub(inner.height);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((app.detail_scroll.min(max), 0)),
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
pub fn pane_lines(
    library: &Library,
    id: NodeId,
    theme: &Theme,
    bar: usize,
    shield: &Shield,
) -> Vec<Line<'static>> {
    let pane = Pane {
        theme,
        shield,
        bar,
        order: library.settings.order,
    };
    match id {
        NodeId::Franchise(f) => pane.franchise(f, &library.franchises[f]),
        NodeId::Show(f, s) => pane.show(f, s, &library.franchises[f]),
        NodeId::Season(f, s, se) => pane.season(f, s, se, &library.franchises[f].shows[s]),
        NodeId::Episode(f, s, se, e) => {
            let show = &library.franchises[f].shows[s];
            let season = &show.seasons[se];
            pane.episode(show, season, &season.episodes[e], shield.hides(id))
        }
    }
}

/// What every pane needs besides the item itself.
struct Pane<'a> {
    theme: &'a Theme,
    shield: &'a Shield,
    bar: usize,
    order: Order,
}

/// "S01E03 BYOB", or "S01E03 Episode 3" when the shield hides it.
fn episode_name(shield: &Shield, id: NodeId, season: u32, e: &Episode) -> String {
    let title = if shield.hides(id) {
        format!("Episode {}", e.number)
    } else {
        e.display_title()
    };
    format!("{} {title}", episode_code(season, e.number))
}

fn hours(minutes: u64) -> String {
    format!("{} h {:02} min", minutes / 60, minutes % 60)
}

/// Episodes and hours watched and left; never guesses a missing runtime.
fn stats_lines(st: Stats, theme: &Theme) -> Vec<Line<'static>> {
    let total = st.watched + st.left;
    let mut lines = vec![kv(
        "Episodes",
        format!("{} watched · {} left", st.watched, st.left),
        theme,
    )];
    let time = if total > 0 && st.missing_runtime == total {
        format!("unknown: none of the {total} episodes has a runtime")
    } else {
        let mut t = format!(
            "{} watched · {} left",
            hours(st.minutes_watched),
            hours(st.minutes_left)
        );
        if st.missing_runtime > 0 {
            t.push_str(&format!(
                " (not counting {} episodes without a runtime)",
                st.missing_runtime
            ));
        }
        t
    };
    lines.push(kv("Hours", time, theme));
    lines
}

impl Pane<'_> {
    fn franchise(&self, fi: usize, f: &Franchise) -> Vec<Line<'static>> {
        let theme = self.theme;
        let mut lines = vec![Line::styled(f.title.clone(), theme.title)];
        if let Some(based_on) = &f.based_on {
            lines.push(kv("Based on", based_on.clone(), theme));
        }
        lines.push(progress_line(f.progress(), self.bar, theme));
        lines.extend(stats_lines(f.stats(), theme));
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("Up next ({})", self.order),
            theme.label,
        ));
        let order = f.order(self.order);
        match f.next_in(&order) {
            Some(at) => {
                let show = &f.shows[at.show];
                let season = &show.seasons[at.season];
                let id = NodeId::Episode(fi, at.show, at.season, at.episode);
                lines.push(Line::from(vec![
                    Span::styled("▶ ", theme.key),
                    Span::styled(format!("{} ", show.title), theme.title),
                    Span::raw(episode_name(self.shield, id, season.number, f.episode(at))),
                ]));
            }
            None if order.is_empty() => {
                lines.push(Line::styled("no episodes in this order", theme.dim))
            }
            None => lines.push(Line::styled("all watched", theme.dim)),
        }
        lines.push(Line::styled("o opens the whole watch order", theme.dim));
        lines.push(Line::raw(""));
        lines.push(Line::styled("Shows", theme.label));
        for (si, show) in f.shows.iter().enumerate() {
            let p = show.progress();
            let next = match self.next_of(fi, si, show) {
                _ if p.total == 0 => "no episodes yet".to_string(),
                Some(next) => format!("next: {next}"),
                None => "all watched".to_string(),
            };
            let progress = if p.total == 0 {
                String::new()
            } else {
                p.to_string()
            };
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<22}", show.title), theme.title),
                Span::raw(format!("{:<9}", show.status.to_string())),
                Span::raw(format!("{progress:>7}")),
            ]));
            lines.push(Line::styled(format!("    {next}"), theme.dim));
        }
        notes(&mut lines, &f.notes, theme);
        lines
    }

    /// The next episode of one show, named through the shield.
    fn next_of(&self, fi: usize, si: usize, show: &Show) -> Option<String> {
        let (season_no, e) = show.next_unwatched()?;
        let se = show.seasons.iter().position(|s| s.number == season_no)?;
        let ei = show.seasons[se]
            .episodes
            .iter()
            .position(|x| x.number == e.number)?;
        Some(episode_name(
            self.shield,
            NodeId::Episode(fi, si, se, ei),
            season_no,
            e,
        ))
    }

    fn show(&self, fi: usize, si: usize, f: &Franchise) -> Vec<Line<'static>> {
        let (theme, bar) = (self.theme, self.bar);
        let show = &f.shows[si];
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
        if show.progress().total == 0 {
            lines.push(kv("Episodes", "none yet", theme));
        } else {
            lines.push(progress_line(show.progress(), bar, theme));
            if let Some(next) = self.next_of(fi, si, show) {
                lines.push(kv("Up next", next, theme));
            }
            lines.extend(stats_lines(show.stats(), theme));
        }
        notes(&mut lines, &show.notes, theme);
        timeline(&mut lines, show, theme);
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

    fn season(&self, fi: usize, si: usize, se: usize, show: &Show) -> Vec<Line<'static>> {
        let (theme, bar) = (self.theme, self.bar);
        let season = &show.seasons[se];
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
        for (ei, e) in season.episodes.iter().enumerate() {
            let hidden = self.shield.hides(NodeId::Episode(fi, si, se, ei));
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
                Span::raw(if hidden {
                    format!("Episode {}", e.number)
                } else {
                    e.display_title()
                }),
            ]));
        }
        notes(&mut lines, &season.notes, theme);
        lines
    }

    fn episode(
        &self,
        show: &Show,
        season: &Season,
        e: &Episode,
        hidden: bool,
    ) -> Vec<Line<'static>> {
        let theme = self.theme;
        let title = if hidden {
            format!("Episode {}", e.number)
        } else {
            e.display_title()
        };
        let mut lines = vec![
            Line::styled(title, theme.title),
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
        if hidden {
            lines.push(Line::styled(
                "title, crossovers and notes hidden by the spoiler shield · s shows them",
                theme.dim,
            ));
        }
        for (i, c) in e.crossovers.iter().enumerate().filter(|_| !hidden) {
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
        if !hidden {
            notes(&mut lines, &e.notes, theme);
        }
        lines
    }
}

/// The show's dated events, in order; what has no date says so plainly.
fn timeline(lines: &mut Vec<Line<'static>>, show: &Show, theme: &Theme) {
    lines.push(Line::raw(""));
    lines.push(Line::styled("Timeline", theme.label));
    if show.events.is_empty() {
        lines.push(Line::styled("no dated events known", theme.dim));
    }
    for event in &show.events {
        let when = match (event.date, &event.when) {
            (Some(d), _) => d.to_string(),
            (None, Some(w)) if w == "unknown" => "date unknown".to_string(),
            (None, Some(w)) => w.clone(),
            (None, None) => "date unknown".to_string(),
        };
        let what = match event.kind {
            crate::model::EventKind::Other => event.what.clone(),
            kind => format!("{kind} · {}", event.what),
        };
        // Dates fit the label column; a longer "when" gets a line of its own.
        if when.chars().count() + 2 < LABEL {
            lines.push(kv(&format!("  {when}"), what, theme));
        } else {
            lines.push(Line::raw(format!("  {when}")));
            lines.push(kv("", what, theme));
        }
    }
    if show.status == crate::model::Status::Upcoming && show.premiere.is_none() {
        lines.push(kv("  upcoming", "premiere not announced yet", theme));
    }
}
