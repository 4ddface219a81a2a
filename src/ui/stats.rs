//! The stats view (`S`): episodes watched per month over the last two years as a bar chart,
//! hours watched and left per show, completion per franchise and the longest streak. The
//! numbers are worked out here, when the view is drawn (only while it is open).

use std::collections::BTreeSet;

use jiff::ToSpan;
use jiff::civil::Date;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph};

use crate::action::Action;
use crate::app::App;
use crate::keymap::{self, Context};
use crate::model::Library;

/// What the view shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numbers {
    /// (first day of the month, viewings), oldest first, the 24 months up to today's.
    pub months: Vec<(Date, u64)>,
    /// (show, minutes watched, minutes left, episodes without a known runtime).
    pub shows: Vec<(String, u64, u64, usize)>,
    /// (franchise, watched, total).
    pub franchises: Vec<(String, usize, usize)>,
    /// The most days in a row with a viewing.
    pub longest_streak: usize,
}

pub fn numbers(library: &Library, today: Date) -> Numbers {
    let this_month = today.first_of_month();
    let mut months: Vec<(Date, u64)> = (0..24i32)
        .rev()
        .filter_map(|back| Some((this_month.checked_sub(back.months()).ok()?, 0)))
        .collect();
    let mut days = BTreeSet::new();
    let mut shows = Vec::new();
    for franchise in &library.franchises {
        for show in &franchise.shows {
            for (_, episode) in show.episodes() {
                for day in &episode.watched {
                    days.insert(*day);
                    let month = day.first_of_month();
                    if let Some(slot) = months.iter_mut().find(|(m, _)| *m == month) {
                        slot.1 += 1;
                    }
                }
            }
            let st = show.stats();
            shows.push((
                show.title.clone(),
                st.minutes_watched,
                st.minutes_left,
                st.missing_runtime,
            ));
        }
    }
    let franchises = library
        .franchises
        .iter()
        .map(|f| {
            let p = f.progress();
            (f.title.clone(), p.watched, p.total)
        })
        .collect();
    let (mut longest, mut run, mut last) = (0, 0, None::<Date>);
    for day in days {
        run = match last.and_then(|l| l.tomorrow().ok()) {
            Some(next) if next == day => run + 1,
            _ => 1,
        };
        longest = longest.max(run);
        last = Some(day);
    }
    Numbers {
        months,
        shows,
        franchises,
        longest_streak: longest,
    }
}

fn hours(minutes: u64) -> String {
    format!("{}h{:02}", minutes / 60, minutes % 60)
}

pub fn draw(frame: &mut Frame, within: Rect, app: &App) {
    let theme = app.theme();
    let n = numbers(app.library(), app.today());
    let area = super::overlay(frame, within, 100, within.height);
    let close = keymap::key_for(Context::HELP, Action::Cancel);
    let block = super::block(format!(" Stats · {close} closes "), true, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [chart, text] = Layout::vertical([Constraint::Length(9), Constraint::Fill(1)]).areas(inner);
    let bars: Vec<Bar> = n
        .months
        .iter()
        .map(|(month, count)| {
            Bar::default()
                .value(*count)
                .label(Line::raw(month.strftime("%m").to_string()))
                .style(theme.watched)
        })
        .collect();
    frame.render_widget(
        BarChart::default()
            .block(ratatui::widgets::Block::new().title(Line::styled(
                "Episodes watched per month, last two years",
                theme.label,
            )))
            .data(BarGroup::default().bars(&bars))
            .bar_width(3)
            .bar_gap(1)
            .value_style(theme.key),
        chart,
    );
    let streak = match n.longest_streak {
        0 => "nothing watched yet".to_string(),
        1 => "1 day".to_string(),
        days => format!("{days} days in a row"),
    };
    let mut lines = vec![Line::styled(
        format!("Longest streak: {streak}"),
        theme.label,
    )];
    lines.push(Line::styled("Completion per franchise", theme.label));
    for (title, watched, total) in &n.franchises {
        let pct = if *total == 0 {
            0
        } else {
            watched * 100 / total
        };
        lines.push(Line::raw(format!("  {title}: {watched}/{total} ({pct}%)")));
    }
    lines.push(Line::styled("Hours watched · left, per show", theme.label));
    for (title, watched, left, unknown) in &n.shows {
        let unknown = match unknown {
            0 => String::new(),
            1 => " · 1 episode of unknown length".into(),
            n => format!(" · {n} episodes of unknown length"),
        };
        lines.push(Line::raw(format!(
            "  {title}: {} · {} left{unknown}",
            hours(*watched),
            hours(*left)
        )));
    }
    frame.render_widget(Paragraph::new(lines), text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewings_count_per_month_and_the_streak_is_the_longest_run() {
        let mut library = crate::store::shipped_catalog();
        let today = jiff::civil::date(2026, 3, 15);
        let days = [
            jiff::civil::date(2026, 3, 1),
            jiff::civil::date(2026, 3, 2),
            jiff::civil::date(2026, 3, 3),
            jiff::civil::date(2026, 1, 9),
            jiff::civil::date(2020, 1, 9), // before the two years: no bar, but a day
        ];
        let show = &mut *library.franchises[0].shows[0];
        let episodes = &mut show.seasons[0].episodes;
        for (e, day) in episodes.iter_mut().zip(days) {
            e.watched = vec![day];
        }
        let n = numbers(&library, today);
        assert_eq!(n.months.len(), 24);
        assert_eq!(n.months.last(), Some(&(jiff::civil::date(2026, 3, 1), 3)));
        assert!(n.months.contains(&(jiff::civil::date(2026, 1, 1), 1)));
        assert_eq!(n.months.iter().map(|m| m.1).sum::<u64>(), 4);
        assert_eq!(n.longest_streak, 3);
        assert_eq!(n.franchises[0].1, 5);
    }
}
