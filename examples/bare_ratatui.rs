//! The floor for the first-frame measurement (`examples/first_frame.rs`): the least a ratatui
//! app does before its first frame. It enters the terminal, draws one paragraph holding a
//! marker, waits for a key or one second, and restores the terminal.

use std::time::Duration;

use ratatui::crossterm::event;
use ratatui::widgets::Paragraph;

/// What `first_frame` waits for in the output.
pub const MARKER: &str = "BARE-RATATUI-FIRST-FRAME";

fn main() -> std::io::Result<()> {
    let mut terminal = ratatui::init();
    let drawn = terminal
        .draw(|frame| frame.render_widget(Paragraph::new(MARKER), frame.area()))
        .map(|_| ());
    let waited = drawn.and_then(|()| event::poll(Duration::from_secs(1)).map(|_| ()));
    ratatui::restore();
    waited
}
