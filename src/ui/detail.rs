//! The right-hand pane: facts about whatever the tree has selected, and the notes editor.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Padding, Paragraph, Wrap};
use ratatui_textarea::TextArea;
use unicode_width::UnicodeWidthStr;

use super::{Theme, progress_bar};
use crate::action::Action;
use crate::app::App;
use crate::keymap::{self, Context};
use crate::model::{
    Episode, Franchise, Library, NodeId, NodeRef, Order, Progress, Season, Shield, Show, Stats,
    episode_code,
};
use crate::present::{self, Dates, Fact, LABEL, episode_name};

/// Draws the pane; returns how far it can scroll.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) -> u16 {
    let Some(id) = app.selected() else {
        frame.render_widget(super::block(" Details ", false, app.theme()), area);
        return 0;
    };
    let block = pane_block(format!(" {} ", app.label(id)), false, app);
    let inner = block.inner(area);
    let lines = wrapped_lines(app, id, inner.width);
    // Never scroll past the end: the last line stays in view.
    let max = max_scroll(lines.len(), inner.height);
    let scroll = app.detail_scroll().min(max);
    let mut block = block;
    if scroll > 0 {
        block = block.title_top(Line::styled(" ↑ more ", app.theme().dim).right_aligned());
    }
    if scroll < max {
        block = block.title_bottom(
            Line::styled(
                format!(
                    " ↓ more · {} ",
                    keymap::key_for(Context::NORMAL, Action::DetailDown)
                ),
                app.theme().dim,
            )
            .right_aligned(),
        );
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
    max
}

/// The pane's lines of `id` at `width`, each already one screen row.
fn wrapped_lines(app: &App, id: NodeId, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width);
    let bar = width.saturating_sub(LABEL + 12).min(30);
    let mut lines = pane_lines(
        app.library(),
        id,
        app.theme(),
        bar,
        app.shield(),
        app.dates(),
    );
    if let NodeId::Franchise(f) = id {
        lines.extend(super::upcoming::lines(app, f));
    }
    lines
        .into_iter()
        .flat_map(|line| hang(line, width))
        .flat_map(|line| wrap_words(line, width))
        .collect()
}

fn max_scroll(lines: usize, height: u16) -> u16 {
    u16::try_from(lines)
        .unwrap_or(u16::MAX)
        .saturating_sub(height)
}

/// How far the details pane of the selection can scroll in `area` (border included): its
/// last line at the bottom.
pub fn scroll_limit(app: &App, area: Rect) -> u16 {
    let Some(id) = app.selected() else { return 0 };
    let inner = pane_block("", false, app).inner(area);
    max_scroll(wrapped_lines(app, id, inner.width).len(), inner.height)
}

/// The pane's bordered block, with a column of room inside the border on each side.
fn pane_block<'a>(title: impl Into<Line<'a>>, focused: bool, app: &App) -> Block<'a> {
    super::block(title, focused, app.theme()).padding(Padding::horizontal(1))
}

/// Splits a line wider than `width` at spaces into screen rows, so the rows can be counted
/// (for the scroll limit); a word wider than the pane is left to the paragraph's wrapping.
/// An indented line (a cast row, a show's next episode) continues two columns further in,
/// under its text, not at the left edge.
fn wrap_words(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
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

/// The notes editor, drawn over the pane.
pub fn draw_editor(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    target: NodeId,
    editor: &TextArea<'static>,
) {
    let block = pane_block(
        format!(
            " Notes: {} · {} ",
            app.label(target),
            keymap::hint(Context::NOTES, Action::EditorDone, "saves")
        ),
        true,
        app,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(editor, inner);
}

/// How far in a note on a row of its own starts: under the text of a timeline date.
const NOTE_INDENT: usize = 4;

fn label(text: &str, theme: &Theme) -> Span<'static> {
    Span::styled(format!("{text:<LABEL$}"), theme.label)
}

/// Wraps a "label  value" line so its value continues under the value column, not under the
/// label. The value may be several spans (the text, then a dim source); a row breaks only at a
/// space. Other lines are left to the paragraph's own wrapping.
fn hang(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
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

fn kv(name: &str, value: impl Into<String>, theme: &Theme) -> Line<'static> {
    Line::from(vec![label(name, theme), Span::raw(value.into())])
}

/// Facts as "label  value" lines.
fn facts(lines: &mut Vec<Line<'static>>, facts: Vec<Fact>, theme: &Theme) {
    lines.extend(facts.into_iter().map(|f| kv(&f.label, f.value, theme)));
}

fn progress_line(p: Progress, bar: usize, theme: &Theme) -> Line<'static> {
    let mut spans = vec![label("Progress", theme)];
    spans.extend(progress_bar(p, bar, theme).spans);
    Line::from(spans)
}

fn notes(lines: &mut Vec<Line<'static>>, text: &str, theme: &Theme) {
    lines.push(Line::raw(""));
    lines.push(Line::styled("Notes", theme.label));
    if text.is_empty() {
        let key = keymap::hint(Context::NORMAL, Action::EditNotes, "to write");
        lines.push(Line::styled(format!("none yet · {key}"), theme.dim));
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
    dates: &Dates,
) -> Vec<Line<'static>> {
    let pane = Pane {
        theme,
        shield,
        dates,
        bar,
        order: library.settings.order,
    };
    match (id, library.node(id)) {
        (NodeId::Franchise(f), Some(NodeRef::Franchise(franchise))) => pane.franchise(f, franchise),
        (NodeId::Show(f, s), Some(NodeRef::Show(franchise, show))) => {
            pane.show(f, s, franchise, show)
        }
        (NodeId::Season(f, s, se), Some(NodeRef::Season(show, season))) => {
            pane.season((f, s, se), show, season)
        }
        (_, Some(NodeRef::Episode(show, season, e))) => {
            pane.episode(show, season, e, shield.hides(id))
        }
        _ => Vec::new(),
    }
}

/// What every pane needs besides the item itself.
struct Pane<'a> {
    theme: &'a Theme,
    shield: &'a Shield,
    dates: &'a Dates,
    bar: usize,
    order: Order,
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
        match f.next_in(&order).and_then(|at| Some((at, f.at(at)?))) {
            Some((at, (show, season, e))) => {
                let id = NodeId::Episode(fi, at.show, at.season, at.episode);
                lines.push(Line::from(vec![
                    Span::styled("▶ ", theme.key),
                    Span::styled(format!("{} ", show.title), theme.title),
                    Span::raw(episode_name(season.number, e, self.shield.hides(id))),
                ]));
            }
            None if order.is_empty() => {
                lines.push(Line::styled("no episodes in this order", theme.dim))
            }
            None => lines.push(Line::styled("all watched", theme.dim)),
        }
        lines.push(Line::styled(
            keymap::hint(
                Context::NORMAL,
                Action::WatchOrder,
                "opens the whole watch order",
            ),
            theme.dim,
        ));
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
        let ei = show
            .seasons
            .get(se)?
            .episodes
            .iter()
            .position(|x| x.number == e.number)?;
        let hidden = self.shield.hides(NodeId::Episode(fi, si, se, ei));
        Some(episode_name(season_no, e, hidden))
    }

    fn show(&self, fi: usize, si: usize, f: &Franchise, show: &Show) -> Vec<Line<'static>> {
        let (theme, bar) = (self.theme, self.bar);
        let mut lines = vec![Line::styled(show.title.clone(), theme.title)];
        facts(&mut lines, present::show_facts(f, show, self.dates), theme);
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
        timeline(&mut lines, show, theme, self.dates);
        lines.push(Line::raw(""));
        lines.push(Line::styled("Cast", theme.label));
        if show.cast.is_empty() {
            lines.push(Line::styled(present::UNKNOWN, theme.dim));
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

    fn season(
        &self,
        (fi, si, se): (usize, usize, usize),
        show: &Show,
        season: &Season,
    ) -> Vec<Line<'static>> {
        let (theme, bar) = (self.theme, self.bar);
        let mut lines = vec![Line::styled(
            format!("{} · Season {}", show.title, season.number),
            theme.title,
        )];
        facts(&mut lines, present::season_facts(season, self.dates), theme);
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
                    format!("{:<10}  ", self.dates.or_unknown(e.air_date)),
                    theme.dim,
                ),
                Span::raw(present::episode_title(e, hidden)),
                Span::raw(
                    e.rating
                        .map(|r| format!("  {}", present::stars(r)))
                        .unwrap_or_default(),
                ),
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
        let mut lines = vec![
            Line::styled(present::episode_title(e, hidden), theme.title),
            Line::styled(
                format!("{} {}", show.title, episode_code(season.number, e.number)),
                theme.dim,
            ),
        ];
        let mut rows = present::episode_facts(e, hidden, self.dates);
        // The shield's note goes before the crossovers and rating, where they would be.
        let split = rows
            .iter()
            .position(|f| f.label == "Crossover ⇄" || f.label == "Your rating")
            .unwrap_or(rows.len());
        let rest = rows.split_off(split);
        facts(&mut lines, rows, theme);
        if hidden {
            lines.push(Line::styled(
                format!(
                    "title, crossovers and notes hidden by the spoiler shield · {}",
                    keymap::hint(Context::NORMAL, Action::SpoilerShield, "shows them")
                ),
                theme.dim,
            ));
        }
        facts(&mut lines, rest, theme);
        lines.push(Line::raw(""));
        lines.push(Line::styled("Watched", theme.label));
        if e.watched.is_empty() {
            let key = keymap::hint(Context::NORMAL, Action::ToggleWatched, "marks it watched");
            lines.push(Line::styled(format!("not yet · {key}"), theme.dim));
        } else {
            for (i, d) in e.watched.iter().enumerate() {
                let what = if i == 0 { "watched" } else { "rewatched" };
                lines.push(Line::from(vec![
                    Span::styled("✓ ", theme.watched),
                    Span::raw(format!("{}  {what}", self.dates.show(*d))),
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
fn timeline(lines: &mut Vec<Line<'static>>, show: &Show, theme: &Theme, dates: &Dates) {
    lines.push(Line::raw(""));
    lines.push(Line::styled("Timeline", theme.label));
    if show.events.is_empty() {
        lines.push(Line::styled("no dated events known", theme.dim));
    }
    for event in &show.events {
        let when = match (event.date, &event.when) {
            (Some(d), _) => dates.show(d),
            (None, Some(w)) if w == "unknown" => "date unknown".to_string(),
            (None, Some(w)) => w.clone(),
            (None, None) => "date unknown".to_string(),
        };
        let what = match event.kind {
            crate::model::EventKind::Other => event.what.clone(),
            kind => format!("{kind} · {}", event.what),
        };
        // Dates fit the label column; a longer "when" gets a line of its own.
        let head = if when.chars().count() + 2 < LABEL {
            label(&format!("  {when}"), theme)
        } else {
            lines.push(Line::raw(format!("  {when}")));
            label("", theme)
        };
        let mut spans = vec![head, Span::raw(what)];
        // The source, dim, after the text; `hang` keeps "· deadline.com +1" on one row.
        if let Some(source) = present::event_source(event) {
            spans.push(Span::styled(format!(" · {source}"), theme.dim));
        }
        lines.push(Line::from(spans));
    }
    if show.status == crate::model::Status::Upcoming && show.premiere.is_none() {
        lines.push(kv("  upcoming", "premiere not announced yet", theme));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::shipped_catalog;

    /// The lines of the details pane of `id`, as plain text.
    fn pane(library: &Library, id: NodeId) -> Vec<String> {
        pane_with(library, id, &Dates::default())
    }

    fn pane_with(library: &Library, id: NodeId, dates: &Dates) -> Vec<String> {
        pane_lines(library, id, &Theme::plain(), 10, &Shield::default(), dates)
            .iter()
            .map(|l| l.to_string().trim_end().to_string())
            .collect()
    }

    /// The shipped catalog, plus a show with every fact unknown or odd: no dates, a renewal
    /// whose announcement date is unknown, a parent not in the library, no cast or creators.
    fn fixture() -> Library {
        let mut library = shipped_catalog();
        let franchise = &mut library.franchises[0];
        let mut show = (*franchise.shows[0]).clone();
        show.id = "sparse".into();
        show.title = "Sparse".into();
        show.premiere = None;
        show.finale = Some(jiff::civil::date(2030, 1, 2));
        show.network = None;
        show.creators.clear();
        show.cast.clear();
        show.rotten_tomatoes = Some(crate::model::Score::default());
        show.renewal = Some(crate::model::Renewal {
            season: 9,
            announced: None,
        });
        show.origin = Some(crate::model::Origin {
            show: "not-here".into(),
            kind: crate::model::OriginKind::Sequel,
        });
        franchise.shows.push(show.into());
        library
    }

    #[test]
    fn the_date_format_shows_in_the_pane_and_the_cli_alike() {
        let mut library = shipped_catalog();
        let dates = Dates::new(Some("%d %b %Y".into()));
        let (f, s) = library.find_show("ballard").expect("ballard");
        let cli = crate::commands::show(&library, "ballard", &dates).expect("show");
        let show = pane_with(&library, NodeId::Show(f, s), &dates);
        let premiere = "Premiere        09 Jul 2025";
        assert!(cli.lines().any(|l| l == premiere), "{cli}");
        assert!(show.iter().any(|l| l == premiere), "{show:#?}");
        assert!(
            !show
                .iter()
                .chain(cli.lines().map(String::from).collect::<Vec<_>>().iter())
                .any(|l| l.contains("2025-")),
            "no ISO date left: {show:#?}\n{cli}"
        );
        // The season's episode list, an episode's air date and its viewings.
        let episode = library.franchises[f].shows[s].seasons[0].episodes[0].air_date;
        let shown = dates.show(episode.expect("an air date"));
        assert!(
            pane_with(&library, NodeId::Season(f, s, 0), &dates)
                .iter()
                .any(|l| l.contains(&shown))
        );
        library.franchises[f].shows[s].seasons[0].episodes[0].watched =
            vec![jiff::civil::date(2025, 7, 10)];
        let lines = pane_with(&library, NodeId::Episode(f, s, 0, 0), &dates);
        assert!(
            lines
                .iter()
                .any(|l| l == &format!("Air date        {shown}")),
            "{lines:#?}"
        );
        assert!(
            lines.iter().any(|l| l == "✓ 10 Jul 2025  watched"),
            "{lines:#?}"
        );
    }

    #[test]
    fn the_cli_show_and_the_details_pane_print_the_same_facts_in_the_same_words() {
        let library = fixture();
        for (f, franchise) in library.franchises.iter().enumerate() {
            for (s, show) in franchise.shows.iter().enumerate() {
                let cli =
                    crate::commands::show(&library, &show.id, &Dates::default()).expect("show");
                let pane = pane(&library, NodeId::Show(f, s));
                // From "Status" to "Creators": the same rows, in the same order, together.
                let facts: Vec<&str> = cli
                    .lines()
                    .skip_while(|l| !l.starts_with("Status "))
                    .take_while(|l| !l.starts_with("Cast "))
                    .collect();
                assert!(facts.len() >= 5, "{cli}");
                let start = pane.iter().position(|l| l == facts[0]).expect("Status");
                assert_eq!(&pane[start..start + facts.len()], facts, "{}", show.id);
                if show.id == "sparse" {
                    let text = facts.join("\n");
                    for unknown in [
                        "Premiere        unknown",
                        "Network         unknown",
                        "Creators        unknown",
                        "season 9 · announced unknown",
                        "Rotten Tomatoes seasons only:",
                        "not-here (sequel)",
                    ] {
                        assert!(text.contains(unknown), "{unknown} in {text}");
                    }
                }
                // The cast: the same "actor as character".
                for line in cli
                    .lines()
                    .filter(|l| l.starts_with("Cast ") || l.starts_with("    "))
                {
                    let who = line[LABEL..].trim();
                    if who != present::UNKNOWN {
                        assert!(pane.contains(&format!("  {who}")), "{who} in {pane:#?}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_wrapped_cast_row_continues_under_its_text_not_at_the_edge() {
        let line = Line::from(vec![
            Span::raw("  Mimi Rogers"),
            Span::raw(" as Honey \"Money\" Chandler"),
        ]);
        let rows: Vec<String> = wrap_words(line, 24).iter().map(|l| l.to_string()).collect();
        assert_eq!(
            rows,
            ["  Mimi Rogers as Honey", "    \"Money\" Chandler"],
            "{rows:?}"
        );
        // A line without indent wraps at the edge, as before.
        // An actor's name as wide as the label column does not make it a "label  value" row.
        let line = Line::from(vec![
            Span::raw("  Titus Welliver"),
            Span::raw(" as Det. Hieronymus \"Harry\" Bosch"),
        ]);
        let rows: Vec<String> = hang(line, 29)
            .into_iter()
            .flat_map(|l| wrap_words(l, 29))
            .map(|l| l.to_string())
            .collect();
        assert_eq!(
            rows,
            ["  Titus Welliver as Det.", "    Hieronymus \"Harry\" Bosch"],
            "{rows:?}"
        );
        let rows = wrap_words(Line::raw("one two three four five six"), 10);
        assert_eq!(rows[1].to_string(), "three four");
    }

    #[test]
    fn season_scores_follow_a_row_that_says_they_are_by_season() {
        let library = shipped_catalog();
        let bosch = pane(&library, NodeId::Show(0, 0));
        let at = bosch
            .iter()
            .position(|l| l.starts_with("Rotten Tomatoes"))
            .expect("the row");
        assert_eq!(bosch[at], "Rotten Tomatoes seasons only:");
        assert!(bosch[at + 1].starts_with("  Season "), "{bosch:#?}");
        // A known series score stays as it was.
        let ballard = pane(&library, NodeId::Show(0, 2));
        assert!(
            ballard.contains(&"Rotten Tomatoes Tomatometer 100% · Popcornmeter 78%".to_string()),
            "{ballard:#?}"
        );
    }

    #[test]
    fn every_timeline_event_shows_its_source_site_and_the_users_say_yours() {
        let mut library = shipped_catalog();
        let (f, s) = library.find_show("ballard").expect("ballard");
        let event = |what: &str, sources: &[&str], yours: bool| crate::model::Event {
            kind: crate::model::EventKind::Other,
            date: Some(jiff::civil::date(2025, 10, 4)),
            when: None,
            what: what.into(),
            sources: sources.iter().map(ToString::to_string).collect(),
            yours,
        };
        let show = &mut *library.franchises[f].shows[s];
        show.events = vec![
            event("One.", &["https://www.deadline.com/2025/10/x/"], false),
            event(
                "Two.",
                &["https://deadline.com/a", "https://tvline.com/b"],
                false,
            ),
            event("None.", &[], false),
            event("Mine.", &["https://tvline.com/ballard"], true),
        ];
        let lines: Vec<String> = pane(&library, NodeId::Show(f, s))
            .into_iter()
            .filter(|l| l.starts_with("  2025-10-04"))
            .collect();
        assert_eq!(
            lines,
            [
                "  2025-10-04    One. · deadline.com",
                "  2025-10-04    Two. · deadline.com +1",
                "  2025-10-04    None.",
                "  2025-10-04    Mine. · yours (tvline.com)",
            ]
        );
        // Wrapped in a narrow pane, the source's words stay on one row, under the text.
        let head = label("  2025-10-04", &Theme::plain());
        let line = Line::from(vec![
            head,
            Span::raw("Season 2 renewal reported."),
            Span::raw(" · deadline.com +1"),
        ]);
        let rows: Vec<String> = hang(line, LABEL + 24)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            rows,
            [
                "  2025-10-04    Season 2 renewal",
                "                reported.",
                "                · deadline.com +1",
            ]
        );
        // Too narrow for it under the text: a row of its own, further left, not cut.
        let line = Line::from(vec![
            label("  2025-10-04", &Theme::plain()),
            Span::raw("Renewed."),
            Span::raw(" · calhooey.blogspot.com"),
        ]);
        let rows: Vec<String> = hang(line, LABEL + 13)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            rows,
            ["  2025-10-04    Renewed.", "    · calhooey.blogspot.com"]
        );
    }
}
