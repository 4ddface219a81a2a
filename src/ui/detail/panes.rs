//! The show, season, episode and franchise panes, with their stats and the show's timeline.

use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::{Pane, facts, kv, label, notes, progress_line};
use crate::action::Action;
use crate::keymap::{self, Context};
use crate::model::{
    Episode, EpisodeAt, Franchise, FranchiseTally, NodeId, Season, Show, Stats, episode_code,
};
use crate::present::{self, Dates, LABEL, episode_name};
use crate::ui::Theme;

/// The columns of a show's title in a franchise's list of shows.
const TITLE: usize = 22;

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
    pub(super) fn franchise(
        &self,
        fi: usize,
        f: &Franchise,
        tally: &FranchiseTally,
    ) -> Vec<Line<'static>> {
        let theme = self.theme;
        let mut lines = vec![Line::styled(f.title.clone(), theme.title)];
        if let Some(based_on) = &f.based_on {
            lines.push(kv("Based on", based_on.clone(), theme));
        }
        lines.push(progress_line(tally.progress, self.bar, theme));
        lines.extend(stats_lines(tally.stats, theme));
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("Up next ({})", self.order),
            theme.label,
        ));
        match tally.next.and_then(|at| Some((at, f.at(at)?))) {
            Some((at, (show, season, e))) => {
                lines.push(Line::from(vec![
                    Span::styled("▶ ", theme.key),
                    Span::styled(format!("{} ", show.title), theme.title),
                    Span::raw(self.named(fi, at, season, e)),
                ]));
            }
            None if tally.order_empty => {
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
        for (show, t) in f.shows.iter().zip(&tally.shows) {
            let p = t.progress;
            let next = t
                .next
                .and_then(|at| Some((at, f.at(at)?)))
                .map(|(at, (_, season, e))| self.named(fi, at, season, e));
            let next = match next {
                _ if p.total == 0 => "no episodes yet".to_string(),
                Some(next) => format!("next: {next}"),
                None => "all watched".to_string(),
            };
            let progress = if p.total == 0 {
                String::new()
            } else {
                p.to_string()
            };
            // Columns that never touch: a long title is cut (by display width, so wide
            // characters line up too), and a long progress keeps a space before it.
            let title = crate::ui::tree::truncate(&show.title, TITLE - 1);
            let pad = " ".repeat(TITLE.saturating_sub(title.width()));
            lines.push(Line::from(vec![
                Span::styled(format!("  {title}{pad}"), theme.title),
                Span::raw(format!("{:<9}", show.status.to_string())),
                Span::raw(format!(" {progress:>6}")),
            ]));
            lines.push(Line::styled(format!("    {next}"), theme.dim));
        }
        notes(&mut lines, &f.notes, theme);
        lines
    }

    /// An episode of franchise `fi`, named through the shield.
    fn named(&self, fi: usize, at: EpisodeAt, season: &Season, e: &Episode) -> String {
        let id = NodeId::Episode(fi, at.show, at.season, at.episode);
        episode_name(season.number, e, self.shield.hides(id))
    }

    pub(super) fn show(
        &self,
        fi: usize,
        si: usize,
        f: &Franchise,
        show: &Show,
    ) -> Vec<Line<'static>> {
        let (theme, bar) = (self.theme, self.bar);
        let mut lines = vec![Line::styled(show.title.clone(), theme.title)];
        facts(&mut lines, present::show_facts(f, show, self.dates), theme);
        if show.progress().total == 0 {
            lines.push(kv("Episodes", "none yet", theme));
        } else {
            lines.push(progress_line(show.progress(), bar, theme));
            if let Some((at, (_, season, e))) =
                f.next_of_show(si).and_then(|at| Some((at, f.at(at)?)))
            {
                lines.push(kv("Up next", self.named(fi, at, season, e), theme));
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

    pub(super) fn season(
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

    pub(super) fn episode(
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
