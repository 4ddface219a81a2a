//! The right-hand pane: facts about whatever the tree has selected, and the notes editor.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Padding};
use ratatui_textarea::TextArea;

use super::{Theme, progress_bar};
use crate::action::Action;
use crate::app::App;
use crate::keymap::{self, Context};
use crate::model::{FranchiseTally, Library, NodeId, NodeRef, Order, Progress, Shield};
use crate::present::{Dates, Fact, LABEL};
use wrap::{cut, hang, wrap_words};

mod panes;
mod wrap;

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
    // The lines are already one screen row each: they go straight into the buffer, the
    // rows in view only (a paragraph would measure every grapheme of every line again).
    frame.render_widget(block, area);
    let buf = frame.buffer_mut();
    let rows = lines.iter().skip(usize::from(scroll));
    for (y, line) in (inner.y..inner.bottom()).zip(rows) {
        buf.set_line(inner.x, y, line, inner.width);
    }
    max
}

/// The pane's lines of `id` at `width`, each already one screen row.
fn wrapped_lines(app: &App, id: NodeId, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width);
    let bar = width.saturating_sub(LABEL + 12).min(30);
    let tally = match id {
        NodeId::Franchise(f) => app.franchise_tally(f),
        _ => None,
    };
    let mut lines = pane_lines(
        app.library(),
        id,
        app.theme(),
        bar,
        app.shield(),
        app.dates(),
        tally.as_deref(),
    );
    if let (NodeId::Franchise(f), Some(tally)) = (id, &tally) {
        lines.extend(super::upcoming::lines(app, f, tally));
    }
    lines
        .into_iter()
        .flat_map(|line| hang(line, width))
        .flat_map(|line| wrap_words(line, width))
        .flat_map(|line| cut(line, width))
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

fn label(text: &str, theme: &Theme) -> Span<'static> {
    Span::styled(format!("{text:<LABEL$}"), theme.label)
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

/// The pane's lines for a node; `bar` is the progress bar's width. A franchise's sums are
/// `tally` (the app keeps them between frames), or counted here when it is `None`.
pub fn pane_lines(
    library: &Library,
    id: NodeId,
    theme: &Theme,
    bar: usize,
    shield: &Shield,
    dates: &Dates,
    tally: Option<&FranchiseTally>,
) -> Vec<Line<'static>> {
    let pane = Pane {
        theme,
        shield,
        dates,
        bar,
        order: library.settings.order,
    };
    match (id, library.node(id)) {
        (NodeId::Franchise(f), Some(NodeRef::Franchise(franchise))) => match tally {
            Some(tally) => pane.franchise(f, franchise, tally),
            // The pane does not list what is upcoming (`upcoming::lines` does): no date needed.
            None => {
                let tally = FranchiseTally::of(franchise, pane.order, jiff::civil::Date::MAX);
                pane.franchise(f, franchise, &tally)
            }
        },
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present;
    use crate::store::shipped_catalog;

    /// The lines of the details pane of `id`, as plain text.
    fn pane(library: &Library, id: NodeId) -> Vec<String> {
        pane_with(library, id, &Dates::default())
    }

    fn pane_with(library: &Library, id: NodeId, dates: &Dates) -> Vec<String> {
        pane_lines(
            library,
            id,
            &Theme::plain(),
            10,
            &Shield::default(),
            dates,
            None,
        )
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
