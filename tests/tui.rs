//! The TUI without a terminal: `update(Action)` in, state out; and every screen drawn on a
//! fixed-size `TestBackend` and compared with its snapshot.

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use fantrack::action::Action;
use fantrack::app::{App, Mode, Msg, Setup, Status};
use fantrack::store;
use fantrack::tree::NodeId;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "support/app.rs"]
mod support;

use support::{TODAY, app, select};

fn press(app: &mut App, actions: &[Action]) {
    for a in actions {
        app.update(*a);
    }
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        let key = if c == '\n' {
            KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)
        } else {
            KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
        };
        app.update(Action::EditorKey(key));
    }
}

fn saved(app: &App) -> fantrack::model::Library {
    store::load(app.path()).expect("the saved file loads")
}

fn episode(lib: &fantrack::model::Library, show: &str, s: u32, e: u32) -> fantrack::model::Episode {
    let (f, i) = lib.find_show(show).expect("show");
    lib.franchises[f].shows[i]
        .season(s)
        .and_then(|s| s.episode(e))
        .expect("episode")
        .clone()
}

/// Draws as the run loop does: the app hears of the size, the screen is drawn from it, and
/// the app hears what the drawing measured.
fn draw(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    app.update(Msg::Resized(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    let mut drawn = fantrack::app::Drawn::default();
    terminal
        .draw(|frame| drawn = fantrack::ui::render(frame, app))
        .expect("draw");
    app.update(Msg::Drawn(drawn));
    terminal
}

/// An app whose file cannot be written (a directory that cannot exist, so messages are the
/// same everywhere), after one change: the last save failed.
fn app_with_a_failed_save() -> App {
    let path = PathBuf::from("/nonexistent-fantrack-test-dir/library.ron");
    let mut app = App::new(store::shipped_catalog(), path, TODAY);
    at_ballard_episode_2(&mut app);
    app.update(Action::ToggleWatched);
    assert!(app.unsaved().is_some());
    app
}

/// Ballard S01E02 selected, its season open.
fn at_ballard_episode_2(app: &mut App) {
    select(app, "Ballard season 1");
    app.update(Action::Expand);
    select(app, "Ballard S01E02");
}

// ----- update -----

#[test]
fn space_marks_an_episode_watched_today_and_saves() {
    let (mut app, _dir) = app();
    at_ballard_episode_2(&mut app);
    app.update(Action::ToggleWatched);
    assert_eq!(episode(app.library(), "ballard", 1, 2).watched, vec![TODAY]);
    assert_eq!(episode(&saved(&app), "ballard", 1, 2).watched, vec![TODAY]);
    assert!(matches!(app.status(), Status::Info(m) if m.contains("saved")));
}

/// The franchise's row and pane are counted once per change and kept between frames: a mark,
/// its undo and a reload each show at once, in both.
#[test]
fn the_franchise_counts_follow_every_change() {
    let (mut app, _dir) = app();
    let screen = |app: &mut App| {
        let terminal = draw(app, 120, 40);
        let buffer = terminal.backend().buffer();
        (0..buffer.area.height)
            .map(|y| {
                (0..buffer.area.width)
                    .map(|x| buffer[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let watched = |app: &App| app.library().franchises[0].progress().watched;
    let counts = |text: &str, n: usize| {
        let total = 108;
        (
            text.contains(&format!("{n}/{total}")),
            text.contains(&format!("{n} watched · {} left", total - n)),
        )
    };
    app.update(Action::First);
    let before = watched(&app);
    assert_eq!(counts(&screen(&mut app), before), (true, true));

    at_ballard_episode_2(&mut app);
    app.update(Action::ToggleWatched);
    app.update(Action::First);
    assert_eq!(watched(&app), before + 1);
    assert_eq!(
        counts(&screen(&mut app), before + 1),
        (true, true),
        "after a mark"
    );

    app.update(Action::Undo);
    app.update(Action::First);
    assert_eq!(
        counts(&screen(&mut app), before),
        (true, true),
        "after its undo"
    );

    // The file edited outside: the reload is a change too.
    let mut outside = saved(&app);
    let (f, s) = outside.find_show("ballard").expect("ballard");
    for e in &mut outside.franchises[f].shows[s].seasons[0].episodes {
        e.watched = vec![TODAY];
    }
    let added = outside.franchises[0].progress().watched - before;
    assert!(added > 1);
    store::save(app.path(), &outside).expect("save");
    app.check_outside_change();
    app.update(Action::First);
    assert_eq!(watched(&app), before + added);
    assert_eq!(
        counts(&screen(&mut app), before + added),
        (true, true),
        "after a reload"
    );
}

#[test]
fn unwatching_removes_the_history_and_undo_brings_it_back() {
    let (mut app, _dir) = app();
    at_ballard_episode_2(&mut app);
    press(&mut app, &[Action::ToggleWatched, Action::Rewatch]);
    assert_eq!(
        episode(app.library(), "ballard", 1, 2).watched,
        vec![TODAY, TODAY]
    );
    app.update(Action::ToggleWatched);
    assert!(episode(app.library(), "ballard", 1, 2).watched.is_empty());
    assert!(matches!(app.status(), Status::Info(m) if m.contains("u to undo")));
    app.update(Action::Undo);
    assert_eq!(
        episode(&saved(&app), "ballard", 1, 2).watched,
        vec![TODAY, TODAY]
    );
    // Several levels: back past the rewatch and the first mark.
    press(&mut app, &[Action::Undo, Action::Undo]);
    assert!(episode(&saved(&app), "ballard", 1, 2).watched.is_empty());
    app.update(Action::Undo);
    assert!(matches!(app.status(), Status::Info(m) if m == "nothing to undo"));
}

#[test]
fn space_on_a_season_marks_all_then_none() {
    let (mut app, _dir) = app();
    select(&mut app, "Bosch season 7");
    app.update(Action::ToggleWatched);
    let lib = saved(&app);
    let (f, s) = lib.find_show("bosch").expect("bosch");
    assert_eq!(lib.franchises[f].shows[s].seasons[6].progress().watched, 8);
    app.update(Action::ToggleWatched);
    assert_eq!(
        saved(&app).franchises[f].shows[s].seasons[6]
            .progress()
            .watched,
        0
    );
    app.update(Action::Undo);
    assert_eq!(
        saved(&app).franchises[f].shows[s].seasons[6]
            .progress()
            .watched,
        8
    );
}

#[test]
fn undo_names_what_the_change_touched_and_keeps_the_selection() {
    let (mut app, _dir) = app();
    select(&mut app, "Bosch");
    let bosch = app.selected();
    press(&mut app, &[Action::ToggleWatched, Action::Undo]);
    assert!(
        matches!(app.status(), Status::Info(m) if m.starts_with("undid watched marks of Bosch ·")),
        "{:?}",
        app.status()
    );
    assert_eq!(app.selected(), bosch, "the selection jumped");
    assert_eq!(saved(&app).progress().watched, 0);
    // A season: named as the season, selected as the season.
    select(&mut app, "Bosch season 2");
    let season = app.selected();
    press(&mut app, &[Action::ToggleWatched, Action::Undo]);
    assert!(
        matches!(app.status(), Status::Info(m) if m.starts_with("undid watched marks of Bosch season 2 ·")),
        "{:?}",
        app.status()
    );
    assert_eq!(app.selected(), season);
}

#[test]
fn space_on_a_show_marks_only_its_own_seasons() {
    let (mut app, _dir) = app();
    select(&mut app, "Bosch: Legacy");
    app.update(Action::ToggleWatched);
    let lib = saved(&app);
    let show = |id| {
        let (f, s) = lib.find_show(id).expect("show");
        lib.franchises[f].shows[s].progress()
    };
    assert_eq!(show("bosch-legacy").watched, 30);
    assert_eq!(
        show("ballard").watched,
        0,
        "a spin-off is not part of its parent"
    );
}

#[test]
fn rewatch_needs_a_watched_episode() {
    let (mut app, _dir) = app();
    at_ballard_episode_2(&mut app);
    app.update(Action::Rewatch);
    assert!(episode(app.library(), "ballard", 1, 2).watched.is_empty());
    assert!(matches!(app.status(), Status::Info(m) if m.contains("not watched yet")));
}

#[test]
fn notes_editor_saves_on_esc_with_unicode_and_undo_restores() {
    let (mut app, _dir) = app();
    at_ballard_episode_2(&mut app);
    app.update(Action::EditNotes);
    assert!(matches!(app.mode(), Mode::Notes { .. }));
    type_text(&mut app, "Bosch 🎬 returns\nRenée — 日本語");
    app.update(Action::EditorDone);
    assert!(matches!(app.mode(), Mode::Normal));
    let notes = episode(&saved(&app), "ballard", 1, 2).notes;
    assert_eq!(notes, "Bosch 🎬 returns\nRenée — 日本語");
    app.update(Action::Undo);
    assert_eq!(episode(&saved(&app), "ballard", 1, 2).notes, "");
}

#[test]
fn search_selects_the_first_match_and_opens_its_parents() {
    let (mut app, _dir) = app();
    let origin = app.selected();
    app.update(Action::Search);
    for c in "HAY".chars() {
        app.update(Action::SearchInput(c));
    }
    assert_eq!(
        app.match_count(),
        1,
        "case-insensitive, folded items included"
    );
    app.update(Action::Confirm);
    assert_eq!(
        app.selected().map(|id| app.label(id)).as_deref(),
        Some("Ballard S01E02")
    );
    assert!(app.is_open(NodeId::Season(0, 2, 0)));
    // Esc in the prompt goes back to where the search started.
    app.update(Action::First);
    let first = app.selected();
    app.update(Action::Search);
    app.update(Action::SearchInput('z'));
    app.update(Action::Cancel);
    assert_eq!(app.selected(), first);
    assert_eq!(first, origin);
}

#[test]
fn n_and_shift_n_cycle_through_matches() {
    let (mut app, _dir) = app();
    app.update(Action::Search);
    for c in "bosch".chars() {
        app.update(Action::SearchInput(c));
    }
    let n = app.match_count();
    assert!(n >= 4, "shows and episodes named Bosch: {n}");
    app.update(Action::Confirm);
    let first = app.selected();
    app.update(Action::NextMatch);
    assert_ne!(app.selected(), first);
    app.update(Action::PrevMatch);
    assert_eq!(app.selected(), first);
    app.update(Action::PrevMatch);
    let last = app.selected();
    app.update(Action::NextMatch);
    assert_eq!(app.selected(), first, "wraps around: {last:?}");
}

#[test]
fn cancelling_a_new_search_keeps_the_previous_one_for_n() {
    let (mut app, _dir) = app();
    app.update(Action::Search);
    for c in "chapter".chars() {
        app.update(Action::SearchInput(c));
    }
    let chapters = app.match_count();
    app.update(Action::Confirm);
    // `/haystack Esc`: the prompt is gone, "chapter" still holds.
    app.update(Action::Search);
    for c in "haystack".chars() {
        app.update(Action::SearchInput(c));
    }
    app.update(Action::Cancel);
    assert_eq!(app.query(), "chapter");
    assert_eq!(app.match_count(), chapters);
    app.update(Action::NextMatch);
    assert!(
        matches!(app.status(), Status::Info(m) if m.starts_with("match 2 of") && m.contains("\"chapter\"")),
        "{:?}",
        app.status()
    );
    // An empty prompt confirmed goes on with it too.
    app.update(Action::Search);
    app.update(Action::Confirm);
    assert_eq!(app.query(), "chapter");
}

#[test]
fn left_on_a_leaf_goes_to_the_parent_and_closes_on_the_next_press() {
    let (mut app, _dir) = app();
    at_ballard_episode_2(&mut app);
    app.update(Action::Collapse);
    assert_eq!(
        app.selected().map(|id| app.label(id)).as_deref(),
        Some("Ballard season 1")
    );
    let before = app.rows().len();
    app.update(Action::Collapse);
    assert_eq!(app.rows().len(), before - 10);
    app.update(Action::Expand);
    assert_eq!(app.rows().len(), before);
}

#[test]
fn a_failed_save_keeps_the_change_retries_and_asks_before_quitting() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing: PathBuf = dir.path().join("not-yet").join("library.ron");
    let mut app = App::new(store::shipped_catalog(), missing.clone(), TODAY);
    at_ballard_episode_2(&mut app);
    app.update(Action::ToggleWatched);
    assert_eq!(episode(app.library(), "ballard", 1, 2).watched, vec![TODAY]);
    assert!(matches!(app.status(), Status::Error(m) if m.contains("NOT SAVED")));
    assert!(app.unsaved().is_some());
    app.update(Action::Quit);
    assert!(matches!(app.mode(), Mode::ConfirmQuit));
    assert!(!app.should_quit());
    app.update(Action::Cancel);
    assert!(matches!(app.mode(), Mode::Normal));
    // The directory appears; the next change saves both changes.
    std::fs::create_dir(missing.parent().expect("parent")).expect("mkdir");
    app.update(Action::Down);
    app.update(Action::ToggleWatched);
    assert!(app.unsaved().is_none());
    assert_eq!(episode(&saved(&app), "ballard", 1, 2).watched, vec![TODAY]);
    assert_eq!(episode(&saved(&app), "ballard", 1, 3).watched, vec![TODAY]);
    app.update(Action::Quit);
    assert!(app.should_quit());
}

#[test]
fn clicks_select_tree_lines_and_the_wheel_scrolls() {
    let (mut app, _dir) = app();
    app.update(Msg::Resized(100, 30));
    // Row 3 of the screen is the third tree line (the border takes row 0).
    app.update(Action::Click(5, 3));
    assert_eq!(app.selected_index(), 2);
    app.update(Action::ScrollDown(5, 3));
    assert_eq!(app.selected_index(), 5);
    // Over the details pane, the wheel scrolls the details and leaves the tree alone.
    app.update(Msg::Resized(100, 16));
    select(&mut app, "Bosch");
    draw(&mut app, 100, 16);
    let at = app.selected_index();
    app.update(Action::ScrollDown(70, 10));
    assert_eq!(app.selected_index(), at);
    assert_eq!(app.detail_scroll(), 3.min(app.detail_scroll_limit()));
    assert!(
        app.detail_scroll() > 0,
        "Bosch's details are longer than the pane"
    );
    app.update(Action::ScrollUp(70, 10));
    assert_eq!(app.detail_scroll(), 0);
    app.update(Action::Click(99, 3));
    assert_eq!(
        app.selected_index(),
        at,
        "a click outside the tree changes nothing"
    );
}

#[test]
fn every_screen_survives_every_size_down_to_1x1() {
    let (mut app, _dir) = app();
    at_ballard_episode_2(&mut app);
    let modes: [&[Action]; 5] = [
        &[],
        &[Action::Help],
        &[Action::Search],
        &[Action::EditNotes],
        &[Action::WatchOrder],
    ];
    for actions in modes {
        press(&mut app, actions);
        for width in (1..=130).step_by(7) {
            for height in 1..=40 {
                draw(&mut app, width, height);
            }
        }
        app.update(Action::Cancel);
        app.update(Action::EditorDone);
    }
    // The quit question, over a failed save.
    let mut app = app_with_a_failed_save();
    app.update(Action::Quit);
    assert!(matches!(app.mode(), Mode::ConfirmQuit));
    for width in (1..=130).step_by(7) {
        for height in 1..=40 {
            draw(&mut app, width, height);
        }
    }
}

// ----- screens -----

#[test]
fn screen_franchise() {
    let (mut app, _dir) = app();
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn screen_show_ballard() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard");
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn screen_season() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard season 1");
    app.update(Action::Expand);
    select(&mut app, "Ballard S01E02");
    app.update(Action::ToggleWatched);
    select(&mut app, "Ballard season 1");
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn screen_episode_with_a_note() {
    let (mut app, _dir) = app();
    at_ballard_episode_2(&mut app);
    press(&mut app, &[Action::ToggleWatched, Action::EditNotes]);
    type_text(
        &mut app,
        "Bosch and Ballard together again.\nRenée — 日本語 🎬",
    );
    app.update(Action::EditorDone);
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn screen_help() {
    let (mut app, _dir) = app();
    app.update(Action::Help);
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn screen_search_in_progress() {
    let (mut app, _dir) = app();
    app.update(Action::Search);
    for c in "bosch".chars() {
        app.update(Action::SearchInput(c));
    }
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn screen_notes_editor_open() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard");
    app.update(Action::EditNotes);
    type_text(
        &mut app,
        "Season 2 is coming.\nWatch with Bosch: Legacy S3 first.",
    );
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn screen_save_error() {
    // A directory that cannot exist, so the message in the snapshot is the same everywhere.
    let path = PathBuf::from("/nonexistent-fantrack-test-dir/library.ron");
    let mut app = App::new(store::shipped_catalog(), path, TODAY);
    at_ballard_episode_2(&mut app);
    app.update(Action::ToggleWatched);
    assert!(matches!(app.status(), Status::Error(m) if m.contains("NOT SAVED")));
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn screen_quit_with_unsaved_changes() {
    let mut app = app_with_a_failed_save();
    app.update(Action::Quit);
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn screen_too_small() {
    let (mut app, _dir) = app();
    insta::assert_snapshot!(draw(&mut app, 50, 12).backend());
}

// ----- franchise features: watch order, up next, spoiler shield, timeline, stats, ratings -----

#[test]
fn watch_order_lists_every_episode_by_release_date_and_space_works_there() {
    let (mut app, _dir) = app();
    app.update(Action::WatchOrder);
    assert_eq!(app.order_view(), Some(0));
    assert_eq!(app.rows().len(), 108);
    let labels: Vec<String> = app.rows().iter().map(|r| app.label(r.id)).collect();
    assert_eq!(labels[0], "Bosch S01E01", "the 2014 pilot comes first");
    assert_eq!(labels[67], "Bosch S07E08");
    assert_eq!(labels[68], "Bosch: Legacy S01E01");
    assert_eq!(labels[98], "Ballard S01E01");
    // Starts on the next episode to watch, and Space marks it there.
    assert_eq!(app.selected(), app.order_next());
    app.update(Action::ToggleWatched);
    assert_eq!(episode(&saved(&app), "bosch", 1, 1).watched, vec![TODAY]);
    assert_eq!(
        app.order_next().map(|id| app.label(id)).as_deref(),
        Some("Bosch S01E02")
    );
    // Enter shows the selected episode in the tree.
    app.update(Action::Down);
    app.update(Action::ToggleOpen);
    assert_eq!(app.order_view(), None);
    assert_eq!(
        app.selected().map(|id| app.label(id)).as_deref(),
        Some("Bosch S01E02")
    );
}

#[test]
fn a_curated_order_from_the_file_can_be_switched_to() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("library.ron");
    let mut lib = store::shipped_catalog();
    lib.franchises[0].watch_order = vec![
        "ballard S01E01".into(),
        "bosch S01E01".into(),
        "no-such-show S01E01".into(),
    ];
    store::save(&path, &lib).expect("save");
    let mut app = App::new(store::load(&path).expect("load"), path, TODAY);
    // With a curated order in the file, `o` opens it, and says so.
    app.update(Action::WatchOrder);
    let labels: Vec<String> = app.rows().iter().map(|r| app.label(r.id)).collect();
    assert_eq!(labels, ["Ballard S01E01", "Bosch S01E01"]);
    assert!(
        matches!(app.status(), Status::Info(m) if m.starts_with("watch order: curated order · c release order")),
        "{:?}",
        app.status()
    );
    let text = screen_text(&mut app, 120, 35);
    assert!(
        text[0].contains("watch order · curated order"),
        "{}",
        text[0]
    );
    assert_eq!(
        saved(&app).settings.order,
        fantrack::model::Order::Curated,
        "remembered"
    );
    app.update(Action::SwitchOrder);
    assert_eq!(app.rows().len(), 108);
    assert_eq!(saved(&app).settings.order, fantrack::model::Order::Release);
}

#[test]
fn a_franchise_without_a_curated_order_shows_its_release_order_whatever_the_setting() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("library.ron");
    let mut lib = store::shipped_catalog();
    lib.settings.order = fantrack::model::Order::Curated;
    store::save(&path, &lib).expect("save");
    let mut app = App::new(store::load(&path).expect("load"), path, TODAY);
    app.update(Action::WatchOrder);
    assert_eq!(app.rows().len(), 108, "not an empty list");
    let text = screen_text(&mut app, 120, 35);
    assert!(
        text[0].contains("watch order · release order"),
        "{}",
        text[0]
    );
}

#[test]
fn the_spoiler_shield_hides_what_lies_past_the_furthest_watched_episode() {
    let (mut app, _dir) = app();
    at_ballard_episode_2(&mut app);
    app.update(Action::ToggleWatched);
    app.update(Action::SpoilerShield);
    assert!(
        saved(&app).settings.spoiler_shield == Some(true),
        "remembered in the file"
    );
    let ep = |_: &App, e| NodeId::Episode(0, 2, 0, e);
    assert!(
        !app.shield().hides(ep(&app, 0)),
        "before the furthest watched"
    );
    assert!(
        !app.shield().hides(ep(&app, 1)),
        "the furthest watched itself"
    );
    assert!(app.shield().hides(ep(&app, 2)));
    // Search does not reveal shielded titles.
    app.update(Action::Search);
    for c in "byob".chars() {
        app.update(Action::SearchInput(c));
    }
    assert_eq!(app.match_count(), 0);
    app.update(Action::Cancel);
    app.update(Action::SpoilerShield);
    assert!(!app.shield().hides(ep(&app, 2)));
}

#[test]
fn ratings_set_clear_and_undo() {
    let (mut app, _dir) = app();
    at_ballard_episode_2(&mut app);
    app.update(Action::Rate(4));
    assert_eq!(episode(&saved(&app), "ballard", 1, 2).rating, Some(4));
    app.update(Action::Rate(4));
    assert_eq!(
        episode(&saved(&app), "ballard", 1, 2).rating,
        None,
        "same number clears"
    );
    app.update(Action::Undo);
    assert_eq!(episode(&saved(&app), "ballard", 1, 2).rating, Some(4));
    select(&mut app, "Ballard season 1");
    app.update(Action::Rate(5));
    let lib = saved(&app);
    let (f, s) = lib.find_show("ballard").expect("ballard");
    assert_eq!(lib.franchises[f].shows[s].seasons[0].rating, Some(5));
    select(&mut app, "Ballard");
    app.update(Action::Rate(3));
    let lib = saved(&app);
    assert_eq!(lib.franchises[f].shows[s].rating, Some(3), "a show too");
}

#[test]
fn a_show_takes_a_rating_and_ratings_show_in_the_tree_and_the_season_list() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard");
    app.update(Action::Rate(3));
    let lib = saved(&app);
    let (f, s) = lib.find_show("ballard").expect("ballard");
    assert_eq!(lib.franchises[f].shows[s].rating, Some(3));
    let text = screen_text(&mut app, 120, 35);
    let row = text.iter().find(|l| l.contains("▼ Ballard")).expect("row");
    assert!(row.contains("★★★ 0/10"), "{row}");
    assert!(
        text.iter().any(|l| l.contains("Your rating     ★★★")),
        "{text:#?}"
    );
    app.update(Action::Undo);
    let lib = saved(&app);
    assert_eq!(lib.franchises[f].shows[s].rating, None, "undone");
    // An episode's rating in the tree and in its season's list.
    at_ballard_episode_2(&mut app);
    app.update(Action::Rate(4));
    let text = screen_text(&mut app, 120, 35);
    let row = text
        .iter()
        .find(|l| l.contains("2. Haystacks"))
        .expect("row");
    assert!(row.contains("★★★★"), "{row}");
    select(&mut app, "Ballard season 1");
    let text = screen_text(&mut app, 120, 35);
    let listed = text
        .iter()
        .find(|l| l.contains("  Haystacks") && l.contains("2025-07"))
        .expect("the season's list");
    assert!(
        listed.contains("Haystacks ⇄  ★★★★") || listed.contains("Haystacks  ★★★★"),
        "{listed}"
    );
    select(&mut app, "Bosch Universe");
    app.update(Action::Rate(3));
    assert!(matches!(app.status(), Status::Info(m) if m.contains("shows, seasons and episodes")));
}

#[test]
fn stats_count_episodes_and_never_guess_runtimes() {
    let mut lib = store::shipped_catalog();
    let ballard = lib.franchises[0]
        .shows
        .iter_mut()
        .find(|s| s.id == "ballard")
        .expect("ballard");
    ballard.seasons[0].episodes[0].runtime = Some(45);
    ballard.seasons[0].episodes[0].watched = vec![TODAY, TODAY];
    ballard.seasons[0].episodes[1].runtime = Some(50);
    let st = ballard.stats();
    assert_eq!((st.watched, st.left), (1, 9));
    assert_eq!(st.minutes_watched, 90, "a rewatch counts again");
    assert_eq!(st.minutes_left, 50);
    assert_eq!(st.missing_runtime, 8);
}

#[test]
fn screen_watch_order() {
    let (mut app, _dir) = app();
    select(&mut app, "Bosch season 1");
    app.update(Action::ToggleWatched);
    app.update(Action::WatchOrder);
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn screen_franchise_with_up_next_and_stats() {
    let (mut app, _dir) = app();
    select(&mut app, "Bosch season 1");
    app.update(Action::ToggleWatched);
    select(&mut app, "Bosch Universe");
    insta::assert_snapshot!(draw(&mut app, 100, 40).backend());
}

#[test]
fn screen_show_timeline() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard");
    // As in the run loop, the keys come after a frame that measured the pane.
    draw(&mut app, 100, 30);
    app.update(Action::DetailDown);
    app.update(Action::DetailDown);
    app.update(Action::DetailDown);
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn screen_spoiler_shield_off_and_on() {
    let (mut app, _dir) = app();
    at_ballard_episode_2(&mut app);
    app.update(Action::ToggleWatched);
    select(&mut app, "Ballard S01E03");
    insta::assert_snapshot!("shield_off", draw(&mut app, 100, 30).backend());
    app.update(Action::SpoilerShield);
    insta::assert_snapshot!("shield_on", draw(&mut app, 100, 30).backend());
}

#[test]
fn background_saves_reach_the_disk_and_say_so() {
    let (mut app, _dir) = support::app_with(Setup {
        background_saves: true,
        ..Setup::default()
    });
    at_ballard_episode_2(&mut app);
    app.update(Action::ToggleWatched);
    assert!(matches!(app.status(), Status::Info(m) if m.ends_with("saving…")));
    app.flush_saves(std::time::Duration::from_secs(10));
    assert!(!app.saving());
    assert!(
        matches!(app.status(), Status::Info(m) if m.ends_with("· saved")),
        "{:?}",
        app.status()
    );
    assert_eq!(episode(&saved(&app), "ballard", 1, 2).watched, vec![TODAY]);
    // Quitting waits for what is still on its way.
    app.update(Action::Down);
    app.update(Action::ToggleWatched);
    app.update(Action::Quit);
    assert!(app.should_quit());
    assert_eq!(episode(&saved(&app), "ballard", 1, 3).watched, vec![TODAY]);
}

#[test]
fn a_file_from_a_newer_fantrack_opens_read_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("library.ron");
    let text = store::to_text(&store::shipped_catalog()).expect("text");
    let newer = text.replacen("version: 1,", "version: 2,", 1);
    std::fs::write(&path, &newer).expect("write");
    let mut app = App::open(&path).expect("opens read-only");
    assert!(app.blocked().is_some_and(|b| b.contains("READ-ONLY")));
    at_ballard_episode_2(&mut app);
    app.update(Action::ToggleWatched);
    // Refused on screen, with the reason, before anything is accepted.
    assert!(
        matches!(app.status(), Status::Error(m) if m.contains("not changed") && m.contains("READ-ONLY")),
        "{:?}",
        app.status()
    );
    assert!(
        app.unsaved().is_none(),
        "nothing was accepted, so nothing is unsaved"
    );
    assert!(app.library() == &store::load_stamped_newer(&path).expect("loads").0);
    assert_eq!(std::fs::read_to_string(&path).expect("read"), newer);
    app.update(Action::Quit);
    assert!(app.should_quit());
}

#[test]
fn a_file_that_does_not_load_is_refused_before_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("library.ron");
    std::fs::write(&path, "(version: 1, franchises: [(id: 3)])").expect("write");
    let err = App::open(&path).err().expect("refused");
    assert!(matches!(err, fantrack::error::Error::Load(_)), "{err:?}");
    assert!(err.to_string().contains("library.ron:1:"), "{err}");
}

// ----- #16: an outside edit is rebased on, never refused -----

/// An app saving in the background over a file that then changes outside it.
fn app_with_outside_edit() -> (App, tempfile::TempDir) {
    let (app, dir) = support::app_with(Setup {
        background_saves: true,
        ..Setup::default()
    });
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut theirs = store::shipped_catalog();
    theirs.franchises[0].notes = "edited elsewhere".into();
    store::save(app.path(), &theirs).expect("outside edit");
    (app, dir)
}

#[test]
fn a_change_after_an_outside_edit_is_made_again_on_top_and_quitting_loses_nothing() {
    let (mut app, _dir) = app_with_outside_edit();
    at_ballard_episode_2(&mut app);
    app.update(Action::ToggleWatched);
    app.update(Action::Quit);
    assert!(app.should_quit(), "{:?}", app.status());
    let disk = saved(&app);
    assert_eq!(disk.franchises[0].notes, "edited elsewhere");
    assert_eq!(episode(&disk, "ballard", 1, 2).watched, vec![TODAY]);
    assert!(
        !matches!(app.status(), Status::Error(m) | Status::Info(m) if m.contains("not applied")),
        "{:?}",
        app.status()
    );
}

#[test]
fn notes_being_typed_when_a_reload_comes_stay_in_the_editor_and_are_saved() {
    let (mut app, _dir) = app_with_outside_edit();
    at_ballard_episode_2(&mut app);
    app.update(Action::ToggleWatched);
    app.update(Action::EditNotes);
    type_text(&mut app, "do not lose me");
    // The save of the mark meets the outside edit: reload and rebase, editor still open.
    app.flush_saves(std::time::Duration::from_secs(10));
    assert!(
        matches!(app.mode(), Mode::Notes { .. }),
        "the editor stays open"
    );
    app.update(Action::EditorDone);
    app.flush_saves(std::time::Duration::from_secs(10));
    let disk = saved(&app);
    assert_eq!(episode(&disk, "ballard", 1, 2).notes, "do not lose me");
    assert_eq!(episode(&disk, "ballard", 1, 2).watched, vec![TODAY]);
    assert_eq!(disk.franchises[0].notes, "edited elsewhere");
}

#[test]
fn undo_survives_a_reload() {
    let (mut app, _dir) = app_with_outside_edit();
    at_ballard_episode_2(&mut app);
    app.update(Action::ToggleWatched);
    app.flush_saves(std::time::Duration::from_secs(10));
    assert_eq!(saved(&app).franchises[0].notes, "edited elsewhere");
    app.update(Action::Undo);
    app.flush_saves(std::time::Duration::from_secs(10));
    let disk = saved(&app);
    assert!(episode(&disk, "ballard", 1, 2).watched.is_empty(), "undone");
    assert_eq!(disk.franchises[0].notes, "edited elsewhere");
}

#[test]
fn a_misspelt_field_is_a_load_error_not_data_dropped_at_the_next_save() {
    let text = store::to_text(&store::shipped_catalog()).expect("text");
    let typo = text.replacen("number: 1,", "nubmer: 1,", 1);
    let line = typo[..typo.find("nubmer").expect("edited")].lines().count();
    let err = store::parse(&typo, std::path::Path::new("library.ron"))
        .expect_err("refused")
        .to_string();
    assert!(err.starts_with(&format!("library.ron:{line}:")), "{err}");
    assert!(err.contains("nubmer"), "{err}");
}

#[test]
fn a_theme_override_changes_the_screen() {
    // The same steps drawn twice: with the default theme, then with the configured one.
    let screen = |theme| {
        let (mut app, _dir) = support::app_with(Setup {
            theme,
            ..Setup::default()
        });
        select(&mut app, "Ballard season 1");
        app.update(Action::Expand);
        select(&mut app, "Ballard S01E02");
        app.update(Action::ToggleWatched);
        select(&mut app, "Ballard season 1");
        draw(&mut app, 100, 30)
    };
    let before = screen(None).backend().buffer().clone();
    let config = fantrack::config::parse(
        r##"(theme: (base: Dark, styles: { "watched": (fg: "#00ff00", underlined: true) }))"##,
    )
    .expect("parses");
    let terminal = screen(Some(fantrack::ui::Theme::build(&config.theme, false)));
    let after = terminal.backend().buffer();
    // The same text (the snapshot's), in the configured colour where the theme says watched.
    insta::assert_snapshot!("screen_season", terminal.backend());
    let green: Vec<_> = after
        .content()
        .iter()
        .zip(before.content())
        .filter(|(a, b)| a.symbol() == b.symbol() && a.style() != b.style())
        .collect();
    assert!(!green.is_empty(), "the override changed nothing");
    for (cell, _) in green {
        assert_eq!(cell.fg, ratatui::style::Color::Rgb(0, 255, 0), "{cell:?}");
        assert!(cell.modifier.contains(ratatui::style::Modifier::UNDERLINED));
    }
}

#[test]
fn the_filter_cycles_and_the_pane_title_says_which() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard season 1");
    app.update(Action::Expand);
    select(&mut app, "Ballard S01E02");
    app.update(Action::ToggleWatched);
    let all = app.rows().len();
    let has = |app: &App, label: &str| app.rows().iter().any(|r| app.label(r.id) == label);
    assert!(has(&app, "Ballard S01E02"));

    app.update(Action::Filter);
    assert_eq!(app.filter(), fantrack::app::Filter::Unwatched);
    assert!(!has(&app, "Ballard S01E02"), "a watched episode goes");
    assert!(has(&app, "Ballard S01E01"), "an unwatched one stays");
    let screen = draw(&mut app, 100, 30).backend().to_string();
    assert!(screen.contains("Franchise · unwatched"), "{screen}");

    app.update(Action::Filter);
    assert_eq!(app.filter(), fantrack::app::Filter::InProgress);
    assert!(has(&app, "Ballard S01E02"), "Ballard is in progress");
    assert!(!has(&app, "Bosch"), "Bosch was never started");
    assert!(has(&app, "Bosch Universe"), "franchises stay");

    app.update(Action::Filter);
    assert_eq!(app.filter(), fantrack::app::Filter::All);
    assert_eq!(app.rows().len(), all);
}

#[test]
fn the_stats_view_opens_and_closes() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard season 1");
    app.update(Action::Expand);
    select(&mut app, "Ballard S01E02");
    app.update(Action::ToggleWatched);
    app.update(Action::Stats);
    assert!(matches!(app.mode(), Mode::Stats));
    let screen = draw(&mut app, 100, 40).backend().to_string();
    assert!(screen.contains("Episodes watched per month"), "{screen}");
    assert!(screen.contains("Longest streak: 1 day"), "{screen}");
    assert!(screen.contains("Bosch Universe: 1/108"), "{screen}");
    for (w, h) in [(1, 1), (20, 5), (60, 16), (200, 60)] {
        draw(&mut app, w, h);
    }
    app.update(Action::Cancel);
    assert!(matches!(app.mode(), Mode::Normal));
}

// ----- issue 17: screens -----

/// Rows of the tree pane at 120×35 (35 lines, less the status line and the border).
const TREE_ROWS_120X35: usize = 32;

/// The tree pane is full: no blank line at the bottom while rows above are out of view.
fn assert_tree_fills_the_pane(app: &App, height: usize) {
    let len = app.rows().len();
    let shown = len - app.tree_offset();
    assert!(
        shown >= height.min(len),
        "offset {} of {len} rows shows {shown} in a pane of {height}",
        app.tree_offset()
    );
    let selected = app.selected_index();
    assert!(selected >= app.tree_offset() && selected < app.tree_offset() + height);
}

#[test]
fn back_from_the_watch_order_the_tree_fills_its_pane() {
    let (mut app, _dir) = app();
    app.update(Msg::Resized(120, 35));
    select(&mut app, "Ballard");
    press(
        &mut app,
        &[Action::WatchOrder, Action::Last, Action::ToggleOpen],
    );
    assert!(app.order_view().is_none());
    assert_tree_fills_the_pane(&app, TREE_ROWS_120X35);
}

#[test]
fn folding_near_the_bottom_brings_the_top_back() {
    let (mut app, _dir) = app();
    app.update(Msg::Resized(120, 35));
    select(&mut app, "Bosch season 1");
    app.update(Action::Expand);
    select(&mut app, "Bosch season 2");
    press(&mut app, &[Action::Expand, Action::Last]);
    select_upwards(&mut app, "Bosch S02E02");
    press(
        &mut app,
        &[Action::Collapse, Action::Collapse, Action::Collapse],
    );
    assert_tree_fills_the_pane(&app, TREE_ROWS_120X35);
    if app.rows().len() <= TREE_ROWS_120X35 {
        assert_eq!(
            app.tree_offset(),
            0,
            "the whole tree fits: Bosch Universe shows"
        );
    }
}

/// Moves up from where the selection is until its label is `label`.
fn select_upwards(app: &mut App, label: &str) {
    for _ in 0..app.rows().len() {
        if app.selected().map(|id| app.label(id)).as_deref() == Some(label) {
            return;
        }
        app.update(Action::Up);
    }
    panic!("{label} is not above");
}

/// The screen as lines of text.
fn screen_text(app: &mut App, width: u16, height: u16) -> Vec<String> {
    let terminal = draw(app, width, height);
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect()
}

#[test]
fn the_too_small_screen_only_listens_to_quit_and_says_how() {
    let (mut app, _dir) = app();
    let text = screen_text(&mut app, 30, 10).join("\n");
    assert!(text.contains("q quits"), "{text}");
    let before = app.selected_index();
    press(
        &mut app,
        &[Action::Down, Action::Down, Action::ToggleWatched],
    );
    assert_eq!(app.selected_index(), before, "j does nothing unseen");
    assert!(app.status() == &Status::Info(String::new()));
    app.update(Action::Quit);
    assert!(app.should_quit());
}

#[test]
fn j_stops_at_the_end_of_the_details_and_k_works_at_once() {
    let (mut app, _dir) = app();
    select(&mut app, "Bosch");
    let text = screen_text(&mut app, 60, 16).join("\n");
    assert!(text.contains("↓ more"), "{text}");
    for _ in 0..100 {
        app.update(Action::DetailDown);
    }
    let limit = app.detail_scroll_limit();
    assert!(limit > 0);
    assert_eq!(app.detail_scroll(), limit);
    let text = screen_text(&mut app, 60, 16).join("\n");
    assert!(
        text.contains("↑ more") && !text.contains("↓ more"),
        "{text}"
    );
    app.update(Action::DetailUp);
    assert!(app.detail_scroll() < limit, "K scrolls back at once");
}

#[test]
fn status_messages_are_cut_at_a_word_leave_room_for_the_hints_and_expire() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard");
    app.update(Action::WatchOrder);
    for (width, height) in [(60, 16), (80, 24), (120, 35), (200, 60)] {
        let status = screen_text(&mut app, width, height).pop().expect("a line");
        assert!(status.contains("q quit"), "{width}: hints shown: {status}");
        let message = match status.find('…') {
            Some(i) => &status[..i + '…'.len_utf8()],
            None => status.split("  ").next().expect("text").trim_end(),
        };
        let full = match app.status() {
            Status::Info(m) => m.clone(),
            Status::Error(m) => m.clone(),
        };
        assert!(
            full.starts_with(message) || message.ends_with('…'),
            "{width}: {message:?} of {full:?}"
        );
        if let Some(cut) = message.strip_suffix('…') {
            assert!(
                full.starts_with(&format!("{cut} ")),
                "{width}: cut at a word: {message:?}"
            );
        }
    }
    press(&mut app, &[Action::Down; 4]);
    assert_eq!(
        app.status(),
        &Status::Info(String::new()),
        "expired after keys"
    );
    app.update(Action::WatchOrder);
    app.update(Action::WatchOrder);
    assert_ne!(app.status(), &Status::Info(String::new()));
    for _ in 0..10 {
        app.update(Msg::Tick);
    }
    assert_eq!(
        app.status(),
        &Status::Info(String::new()),
        "expired after ~5 s"
    );
}

#[test]
fn the_notes_editor_wraps_long_lines() {
    let (mut app, _dir) = app();
    at_ballard_episode_2(&mut app);
    app.update(Action::EditNotes);
    type_text(
        &mut app,
        "Beginning of a long note that goes on well past the width of the pane at sixty columns ending",
    );
    let text = screen_text(&mut app, 60, 16).join("\n");
    assert!(text.contains("Beginning"), "no sideways scroll: {text}");
    assert!(text.contains("ending"), "{text}");
}

#[test]
fn an_upcoming_show_says_upcoming_in_the_tree_as_in_the_pane_even_at_80_columns() {
    let (mut app, _dir) = app();
    for (width, height) in [(80, 24), (120, 35)] {
        let text = screen_text(&mut app, width, height);
        let row = text
            .iter()
            .find(|l| l.contains("Start of Watch"))
            .expect("Start of Watch in the tree");
        assert!(row.contains("upcoming"), "{width}: {row}");
        assert!(!row.contains("announced"), "{width}: {row}");
    }
}

#[test]
fn the_watch_order_names_its_franchise_and_marks_crossovers() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard");
    app.update(Action::WatchOrder);
    let text = screen_text(&mut app, 120, 35);
    assert!(
        text[0].contains("Bosch Universe watch order"),
        "{}",
        text[0]
    );
    let crossover = app
        .rows()
        .iter()
        .position(|r| {
            matches!(app.library().node(r.id),
                Some(fantrack::model::NodeRef::Episode(_, _, e)) if !e.crossovers.is_empty())
        })
        .expect("an episode with a crossover");
    press(&mut app, &[Action::First]);
    for _ in 0..crossover {
        app.update(Action::Down);
    }
    let text = screen_text(&mut app, 120, 35);
    let row = 1 + crossover - app.tree_offset();
    assert!(text[row].contains('⇄'), "{}", text[row]);
}

/// The rows of the screen from `top` to `bottom` (exclusive) inside a box whose left border is
/// at column `left`, whitespace collapsed: the text as read, across wrapped rows.
fn read_box(text: &[String], left: usize) -> String {
    let rows: Vec<String> = text
        .iter()
        .map(|l| l.chars().skip(left + 1).collect::<String>())
        .map(|l| l.trim_end_matches([' ', '│']).to_string())
        .collect();
    rows.join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_help_fits_small_terminals_whole_words_only_and_scrolls_to_its_end() {
    let (mut app, _dir) = app();
    app.update(Action::Help);
    let mut seen = String::new();
    let mut last = Vec::new();
    // Scroll to the end and some more: every line was seen once whole.
    for _ in 0..80 {
        let text = screen_text(&mut app, 60, 16);
        seen.push(' ');
        seen.push_str(&read_box(&text[1..14], 0));
        last = text;
        app.update(Action::Down);
    }
    // The longest entries of every section (the keymap is private to the crate).
    for help in [
        "scroll the details down",
        "scroll the details up",
        "collapse / go to parent",
        "mark watched (season/show: all)",
        "edit notes in $VISUAL/$EDITOR",
        "watch order: release or curated",
        "filter: unwatched / in progress",
        "rate 1–5 (again or 0 clears)",
        "leave the watch order",
        "select the first match",
        "save the notes and close",
        "undo the typing",
        "selects, again opens or closes",
        "Every change is saved at once.",
    ] {
        assert!(seen.contains(help), "{help:?} whole in the help: {seen}");
    }
    let bottom = last[14].clone();
    assert!(!bottom.contains("↓ more"), "at the end: {bottom}");
    assert!(bottom.contains("↑ more"), "{bottom}");
    // `k` scrolls back at once: j stopped at the end.
    app.update(Action::Up);
    let text = screen_text(&mut app, 60, 16);
    assert!(text[14].contains("↓ more"), "{}", text[14]);
    // Text keeps a column from the border.
    assert!(text[1].starts_with("│ "), "{}", text[1]);
    insta::assert_snapshot!("screen_help_60x16", draw(&mut app, 60, 16).backend());
}

#[test]
fn the_help_has_two_columns_only_when_wide() {
    let (mut app, _dir) = app();
    app.update(Action::Help);
    for (width, height, two) in [
        (60, 16, false),
        (80, 24, false),
        (120, 35, true),
        (200, 60, true),
    ] {
        let text = screen_text(&mut app, width, height).join("\n");
        let side_by_side = text.lines().any(|l| l.contains("Move") && l.contains("Do"));
        assert_eq!(side_by_side, two, "{width}x{height}:\n{text}");
    }
}

/// An app whose file cannot be written, with a reason long enough to fill the quit question.
fn app_with_a_long_failed_save() -> App {
    let dir = format!("/nonexistent-{}", "a-very-long-directory-name-".repeat(8));
    let path = PathBuf::from(dir).join("library.ron");
    let mut app = App::new(store::shipped_catalog(), path, TODAY);
    at_ballard_episode_2(&mut app);
    app.update(Action::ToggleWatched);
    assert!(app.unsaved().is_some());
    app.update(Action::Quit);
    assert!(matches!(app.mode(), Mode::ConfirmQuit));
    app
}

#[test]
fn the_quit_question_always_shows_its_answers_whatever_the_reason() {
    let mut app = app_with_a_long_failed_save();
    for (width, height) in [(60, 16), (80, 24), (120, 35)] {
        let text = screen_text(&mut app, width, height).join("\n");
        for answer in [
            "quit and lose the unsaved changes",
            "try saving again",
            "stay",
        ] {
            assert!(text.contains(answer), "{width}x{height}: {answer}\n{text}");
        }
        assert!(text.contains("Your last change is not saved."), "{text}");
        assert!(text.contains('…'), "the reason is cut, and says so: {text}");
    }
}

#[test]
fn the_status_bar_hints_the_keys_of_the_watch_order_and_the_notes_editor() {
    let (mut app, _dir) = app();
    let text = screen_text(&mut app, 120, 35);
    assert!(!text[34].contains("c release/curated"), "{}", text[34]);
    app.update(Action::WatchOrder);
    // Once the opening message has gone, the hints have the line.
    for _ in 0..4 {
        app.update(Msg::Tick);
    }
    press(
        &mut app,
        &[Action::Down, Action::Up, Action::Down, Action::Up],
    );
    let text = screen_text(&mut app, 120, 35);
    assert!(text[34].contains("c release/curated"), "{}", text[34]);
    assert!(text[34].contains("o back"), "{}", text[34]);
    app.update(Action::WatchOrder);
    app.update(Action::EditNotes);
    let text = screen_text(&mut app, 120, 35);
    assert!(text[34].contains("Esc save & close"), "{}", text[34]);
    assert!(text[34].contains("Enter new line"), "{}", text[34]);
    assert!(text[34].contains("Ctrl-U undo typing"), "{}", text[34]);
    // Enter is a new line in the note, not a key of the app.
    type_text(&mut app, "one\ntwo");
    app.update(Action::EditorDone);
    assert_eq!(app.notes(app.selected().expect("selected")), "one\ntwo");
}

#[test]
fn the_panes_keep_a_column_between_their_text_and_the_border() {
    let (mut app, _dir) = app();
    let text = screen_text(&mut app, 100, 30);
    assert!(text[1].contains("││ Bosch Universe"), "{}", text[1]);
    select(&mut app, "Bosch");
    let text = screen_text(&mut app, 100, 30);
    assert!(
        text[1].ends_with("│ Bosch") || text[1].contains("││ Bosch "),
        "{}",
        text[1]
    );
}

#[test]
fn an_unknown_series_score_does_not_sit_above_known_season_scores() {
    let (mut app, _dir) = app();
    select(&mut app, "Bosch");
    let text = screen_text(&mut app, 120, 35);
    let at = text
        .iter()
        .position(|l| l.contains("Rotten Tomatoes"))
        .expect("the row");
    assert!(
        !text[at].contains("Rotten Tomatoes unknown"),
        "{}",
        text[at]
    );
    assert!(text[at].contains("seasons only:"), "{}", text[at]);
    assert!(text[at + 1].contains("Season "), "{}", text[at + 1]);
    // At 60 columns the row stays one line, its words whole.
    app.update(Action::DetailDown);
    for _ in 0..12 {
        let text = screen_text(&mut app, 60, 16);
        if let Some(at) = text.iter().position(|l| l.contains("Rotten Tomatoes")) {
            assert!(text[at].contains("seasons only:"), "{}", text[at]);
            assert!(text[at + 1].contains("Season "), "{}", text[at + 1]);
            return;
        }
        app.update(Action::DetailDown);
    }
    panic!("the Rotten Tomatoes row at 60x16");
}

#[test]
fn the_watch_order_at_60_columns_shows_titles_and_a_title_that_fits() {
    let (mut app, _dir) = app();
    app.update(Action::WatchOrder);
    let text = screen_text(&mut app, 60, 16);
    assert!(text[1].contains("S01E01 Chapter"), "{}", text[1]);
    // The pane title is cut with "…" rather than clipped.
    assert!(text[0].contains('…'), "{}", text[0]);
    // Once the opening message is gone, `c` is hinted even at 60 columns.
    for _ in 0..12 {
        app.update(Msg::Tick);
    }
    let text = screen_text(&mut app, 60, 16);
    assert!(text[15].contains("c release/curated"), "{}", text[15]);
    let text = screen_text(&mut app, 120, 35);
    assert!(text[1].contains("Bosch          S01E01"), "{}", text[1]);
}

/// The tree's rows of a drawn screen, as text, without the border.
fn tree_rows(terminal: &Terminal<TestBackend>) -> Vec<String> {
    let buffer = terminal.backend().buffer();
    let area = buffer.area;
    // The tree's right border is the first "┐" on the top line.
    let right = (0..area.width)
        .find(|&x| buffer[(x, 0)].symbol() == "┐")
        .expect("the tree's border");
    (1..area.height.saturating_sub(2))
        .map(|y| {
            (1..right)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect()
}

#[test]
fn spin_off_rows_keep_their_relation_and_status_at_every_width() {
    let (mut app, _dir) = app();
    // Each spin-off with the words its tag must show whole from 80 columns on.
    let shows = [
        ("Legacy", "sequel · 2022–2025"),
        ("Ballard", "spin-off · 2025–"),
        ("Start of Watch", "prequel · upcoming"),
    ];
    for width in [60u16, 80, 100, 120, 200] {
        let terminal = draw(&mut app, width, 30);
        let rows = tree_rows(&terminal);
        for (title, tag) in shows {
            let row = rows.iter().find(|r| r.contains(title)).unwrap_or_else(|| {
                panic!("{title} whole at {width} columns:\n{}", rows.join("\n"))
            });
            if width >= 80 {
                assert!(
                    row.contains(tag),
                    "{title} keeps '{tag}' at {width}: {row:?}"
                );
            }
            // Nothing on the row is cut mid-word without an ellipsis.
            let words: Vec<&str> = row.split_whitespace().collect();
            assert!(
                words.iter().all(|w| !w.ends_with('…')),
                "{title} is not cut at {width}: {row:?}"
            );
        }
    }
}

#[test]
fn a_long_show_title_in_the_franchise_pane_is_cut_before_its_status() {
    let mut library = store::shipped_catalog();
    let shows = &mut library.franchises[0].shows;
    let ballard = shows
        .iter_mut()
        .find(|s| s.title == "Ballard")
        .expect("Ballard");
    ballard.title = "Ballard and the Case of the Overlong Title".into();
    let legacy = shows
        .iter_mut()
        .find(|s| s.title == "Bosch: Legacy")
        .expect("Legacy");
    legacy.title = "ボッシュ：レガシー・シーズン".into(); // two columns a character
    let path = PathBuf::from("/nonexistent-fantrack-test-dir/library.ron");
    let mut app = App::new(library, path, TODAY);
    let terminal = draw(&mut app, 120, 35);
    let buffer = terminal.backend().buffer();
    // Each row as its cells' symbols: a cell's index is its column, whatever a wide
    // character leaves in the cell it covers.
    let rows: Vec<Vec<String>> = (0..35)
        .map(|y| {
            (0..120)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect()
        })
        .collect();
    let column_of = |needle: &str| -> Option<(usize, usize)> {
        let chars: Vec<String> = needle.chars().map(String::from).collect();
        rows.iter().enumerate().find_map(|(y, row)| {
            let x = row.windows(chars.len()).position(|w| w == &chars[..])?;
            Some((y, x))
        })
    };
    let screen = || {
        rows.iter()
            .map(|r| r.concat())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let (long_row, _) =
        column_of("Ballard and the Case…").unwrap_or_else(|| panic!("{}", screen()));
    let (row, renewed) = column_of("renewed").expect("Ballard's status");
    assert_eq!(row, long_row, "{}", screen());
    // Cut with a space before the status, and the status where every show's starts.
    assert_eq!(rows[row][renewed - 1], " ", "{}", screen());
    // The wide title's row in the list of shows (the tree has it too, without a status).
    let ended = rows
        .iter()
        .filter(|row| row.iter().any(|c| c == "ボ"))
        .find_map(|row| row.windows(5).position(|w| w.concat() == "ended"))
        .unwrap_or_else(|| panic!("{}", screen()));
    assert_eq!(ended, renewed, "{}", screen());
}
