//! A second floor for key → frame (issue #15): a bare ratatui app whose every key changes as
//! much of the screen as fantrack's `j`/`k` between two franchises does. The bare floor
//! (`../shared/tools/floorkey`) redraws one word; fantrack's frame rewrites its details pane,
//! about 2.7 KB of output. This app draws a list on the left with a moving highlight and a pane
//! of text on the right that alternates between two texts, with nothing else: no model, no
//! layout logic. What it costs is what ratatui and the pty charge for such a frame.
//!
//! `python3 ../shared/tools/keylat.py -n 300 floor 'j,k' -- target/release/examples/full_floor`

use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind};
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

fn pane(variant: usize, rows: usize) -> Vec<Line<'static>> {
    let words = [
        ["Progress", "Episodes", "Hours", "Up next", "Shows", "Notes"],
        [
            "Premiere",
            "Network",
            "Status",
            "Renewal",
            "Tomatometer",
            "Cast",
        ],
    ];
    (0..rows)
        .map(|i| {
            let label = words[variant][i % 6];
            Line::from(vec![
                Span::styled(format!("{label:<16}"), Style::new().fg(Color::Cyan)),
                Span::raw(format!(
                    "{} {} · {} of {} watched, next S{:02}E{:02}",
                    ["Amelie Shift", "North Harbour"][variant],
                    i * 7 + variant,
                    i + 3 * variant,
                    50 + i,
                    i % 5 + 1,
                    (i + variant) % 10 + 1
                )),
            ])
        })
        .collect()
}

fn main() -> std::io::Result<()> {
    ratatui::run(|terminal| {
        let mut at = 0usize;
        loop {
            terminal.draw(|f| {
                let [left, right] =
                    Layout::horizontal([Constraint::Percentage(40), Constraint::Fill(1)])
                        .areas(f.area());
                let list: Vec<Line> = (0..left.height as usize)
                    .map(|i| {
                        let line = Line::raw(format!("▶ Franchise {i:>3}   {}/{} ", i * 3, 250));
                        if i == at % 2 {
                            line.style(Style::new().bg(Color::Blue))
                        } else {
                            line
                        }
                    })
                    .collect();
                f.render_widget(
                    Paragraph::new(list).block(Block::bordered().title(" floor ")),
                    left,
                );
                f.render_widget(
                    Paragraph::new(pane(at % 2, right.height as usize))
                        .block(Block::bordered().title(format!(" Details {} ", at % 2))),
                    right,
                );
            })?;
            loop {
                if let Event::Key(k) = event::read()? {
                    if k.kind != KeyEventKind::Press {
                        continue;
                    }
                    if k.code == KeyCode::Char('q') {
                        return Ok(());
                    }
                    at += 1;
                    break;
                }
            }
        }
    })
}
