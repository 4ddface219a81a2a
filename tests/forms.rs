//! The forms of the TUI without a terminal: facts (`i`), news (`t`), add (`a`), delete
//! (`D`) and watch dates (`w`). Each: open, type, an invalid value shown and not applied,
//! apply, undo restores. And their screens on a `TestBackend`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use fantrack::action::Action;
use fantrack::app::{App, Mode, Msg, Status};
use fantrack::model::{EventKind, Library, Show};
use fantrack::store;
use jiff::civil::date;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "support/app.rs"]
mod support;

use support::{TODAY, app, select};

fn key(app: &mut App, code: KeyCode) {
    app.update(Action::EditorKey(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// Tabs to the field `name` of the open form.
fn focus(app: &mut App, name: &str) {
    for _ in 0..40 {
        let Mode::Form(form) = app.mode() else {
            panic!("no form open");
        };
        if form.focused().map(|f| f.key) == Some(name) {
            return;
        }
        app.update(Action::FormNext);
    }
    panic!("no field {name}");
}

/// Empties the focused field and types `text`.
fn replace(app: &mut App, name: &str, text: &str) {
    focus(app, name);
    key(app, KeyCode::End);
    for _ in 0..80 {
        key(app, KeyCode::Backspace);
    }
    type_text(app, text);
}

fn error(app: &App, name: &str) -> Option<String> {
    let Mode::Form(form) = app.mode() else {
        return None;
    };
    form.field(name).and_then(|f| f.error.clone())
}

fn saved(app: &App) -> Library {
    store::load(app.path()).expect("the saved file loads")
}

fn show(lib: &Library, id: &str) -> Show {
    let (f, s) = lib.find_show(id).expect("show");
    (*lib.franchises[f].shows[s]).clone()
}

fn file_bytes(app: &App) -> Vec<u8> {
    std::fs::read(app.path()).expect("read")
}

fn draw(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    app.update(Msg::Resized(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|frame| fantrack::ui::draw(frame, app))
        .expect("draw");
    terminal
}

fn screen(app: &mut App, width: u16, height: u16) -> String {
    let terminal = draw(app, width, height);
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        for x in 0..width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

// ----- the facts form -----

#[test]
fn the_show_form_applies_scores_as_one_undo_step_and_refuses_101() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard");
    let before = show(app.library(), "ballard");
    let bytes = file_bytes(&app);
    app.update(Action::EditFacts);
    assert!(matches!(app.mode(), Mode::Form(_)));
    replace(&mut app, "tomatometer", "101");
    app.update(Action::FormApply);
    assert!(error(&app, "tomatometer").is_some_and(|e| e.contains("scores are 0–100")));
    assert_eq!(show(app.library(), "ballard"), before, "nothing applied");
    assert_eq!(file_bytes(&app), bytes, "nothing saved");
    replace(&mut app, "tomatometer", "98");
    assert_eq!(error(&app, "tomatometer"), None, "typing clears the error");
    replace(&mut app, "network", "Prime Video (US)");
    app.update(Action::FormEnter);
    assert!(matches!(app.mode(), Mode::Normal));
    let after = show(&saved(&app), "ballard");
    assert_eq!(after.rotten_tomatoes.and_then(|s| s.tomatometer), Some(98));
    assert_eq!(after.network.as_deref(), Some("Prime Video (US)"));
    app.update(Action::Undo);
    assert_eq!(
        show(&saved(&app), "ballard"),
        before,
        "one undo takes both back"
    );
}

#[test]
fn an_empty_title_and_a_day_that_does_not_exist_are_marked_and_nothing_applies() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard");
    let before = show(app.library(), "ballard");
    app.update(Action::EditFacts);
    replace(&mut app, "title", "");
    replace(&mut app, "premiere", "2025-02-30");
    app.update(Action::FormApply);
    assert_eq!(
        error(&app, "title").as_deref(),
        Some("the title cannot be empty")
    );
    assert!(
        error(&app, "premiere").is_some_and(|e| e.contains("not a day")),
        "{:?}",
        error(&app, "premiere")
    );
    let Mode::Form(form) = app.mode() else {
        panic!("closed")
    };
    assert_eq!(
        form.focused().map(|f| f.key),
        Some("title"),
        "focus on the first error"
    );
    app.update(Action::Cancel);
    assert!(matches!(app.mode(), Mode::Normal));
    assert_eq!(show(app.library(), "ballard"), before);
}

#[test]
fn status_renewal_cast_and_origin_are_edited_in_the_show_form() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard");
    app.update(Action::EditFacts);
    focus(&mut app, "status");
    // upcoming, running, renewed …: from the current one, right until renewed.
    for _ in 0..5 {
        if let Mode::Form(f) = app.mode()
            && f.value("status") == "renewed"
        {
            break;
        }
        key(&mut app, KeyCode::Right);
    }
    replace(&mut app, "renewal", "2");
    replace(&mut app, "announced", "2025-10-06");
    focus(&mut app, "cast");
    // The cursor waits at the end of the last row: Enter starts a new one.
    app.update(Action::FormEnter);
    type_text(&mut app, "Jane Doe as Someone New");
    let Mode::Form(form) = app.mode() else {
        panic!()
    };
    assert_eq!(
        form.field("cast").map(|f| f.rows_value().last().cloned()),
        Some(Some("Jane Doe as Someone New".to_string()))
    );
    app.update(Action::FormApply);
    assert!(matches!(app.mode(), Mode::Normal), "{:?}", app.status());
    let after = show(&saved(&app), "ballard");
    assert_eq!(after.status, fantrack::model::Status::Renewed);
    let renewal = after.renewal.expect("renewal");
    assert_eq!(
        (renewal.season, renewal.announced),
        (2, Some(date(2025, 10, 6)))
    );
    let last = after.cast.last().expect("cast");
    assert_eq!(last.actor, "Jane Doe");
    assert_eq!(last.character.as_deref(), Some("Someone New"));
    assert!(after.origin.is_some(), "the spin-off stays a spin-off");
}

#[test]
fn a_renewal_date_without_a_season_is_refused() {
    let (mut app, _dir) = app();
    select(&mut app, "Bosch");
    app.update(Action::EditFacts);
    replace(&mut app, "renewal", "");
    replace(&mut app, "announced", "2025-10-06");
    app.update(Action::FormApply);
    assert!(error(&app, "renewal").is_some_and(|e| e.contains("season")));
}

#[test]
fn season_episode_and_franchise_forms_apply_and_undo() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard season 1");
    app.update(Action::EditFacts);
    replace(&mut app, "popcornmeter", "abc");
    app.update(Action::FormApply);
    assert!(error(&app, "popcornmeter").is_some_and(|e| e.contains("scores are 0–100")));
    replace(&mut app, "popcornmeter", "77");
    app.update(Action::FormApply);
    let season = show(&saved(&app), "ballard").seasons[0].clone();
    assert_eq!(
        season.rotten_tomatoes.and_then(|s| s.popcornmeter),
        Some(77)
    );
    app.update(Action::Undo);
    assert_ne!(
        show(&saved(&app), "ballard").seasons[0]
            .rotten_tomatoes
            .clone()
            .and_then(|s| s.popcornmeter),
        Some(77)
    );

    select(&mut app, "Ballard season 1");
    app.update(Action::Expand);
    select(&mut app, "Ballard S01E02");
    app.update(Action::EditFacts);
    replace(&mut app, "runtime", "0");
    app.update(Action::FormApply);
    assert!(error(&app, "runtime").is_some());
    replace(&mut app, "runtime", "52");
    replace(&mut app, "directed_by", "Someone");
    app.update(Action::FormApply);
    let e = show(&saved(&app), "ballard").seasons[0].episodes[1].clone();
    assert_eq!(
        (e.runtime, e.directed_by.as_deref()),
        (Some(52), Some("Someone"))
    );
    app.update(Action::Undo);
    assert_ne!(
        show(&saved(&app), "ballard").seasons[0].episodes[1].runtime,
        Some(52)
    );

    app.update(Action::First);
    let title = app.library().franchises[0].title.clone();
    app.update(Action::EditFacts);
    replace(&mut app, "title", "Harry's World");
    app.update(Action::FormApply);
    assert_eq!(saved(&app).franchises[0].title, "Harry's World");
    app.update(Action::Undo);
    assert_eq!(saved(&app).franchises[0].title, title);
}

// ----- news -----

#[test]
fn news_of_a_renewal_goes_on_the_timeline_with_its_source_and_sets_the_renewal() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard");
    let before = show(app.library(), "ballard");
    let bytes = file_bytes(&app);
    app.update(Action::News);
    let Mode::Form(form) = app.mode() else {
        panic!("no form")
    };
    assert_eq!(form.value("date"), TODAY.to_string(), "dated today");
    assert_eq!(form.value("kind"), "renewed");
    assert_eq!(form.value("season"), "2", "the next season");
    // Nothing typed: the text is required; a source must be an address.
    replace(&mut app, "source", "tvline");
    app.update(Action::FormApply);
    assert!(error(&app, "text").is_some());
    assert!(error(&app, "source").is_some_and(|e| e.contains("https://")));
    assert_eq!(file_bytes(&app), bytes);
    replace(&mut app, "date", "2025-10-07");
    replace(&mut app, "text", "Ballard renewed for season 2");
    replace(&mut app, "source", "https://tvline.com/ballard-renewed");
    app.update(Action::FormApply);
    assert!(matches!(app.mode(), Mode::Normal), "{:?}", app.status());
    let after = show(&saved(&app), "ballard");
    let event = after
        .events
        .iter()
        .find(|e| e.yours)
        .expect("the user's event");
    assert_eq!(event.kind, EventKind::Renewed);
    assert_eq!(event.date, Some(date(2025, 10, 7)));
    assert_eq!(event.sources, vec!["https://tvline.com/ballard-renewed"]);
    assert_eq!(after.status, fantrack::model::Status::Renewed);
    let renewal = after.renewal.expect("renewal");
    assert_eq!(
        (renewal.season, renewal.announced),
        (2, Some(date(2025, 10, 7)))
    );
    app.update(Action::Undo);
    assert_eq!(
        show(&saved(&app), "ballard"),
        before,
        "one undo takes both back"
    );
}

#[test]
fn news_without_the_fact_change_only_adds_the_event() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard");
    let before = show(app.library(), "ballard");
    app.update(Action::News);
    focus(&mut app, "kind");
    key(&mut app, KeyCode::Right); // cancelled
    focus(&mut app, "also");
    key(&mut app, KeyCode::Char(' '));
    replace(&mut app, "text", "rumour");
    app.update(Action::FormApply);
    let after = show(&saved(&app), "ballard");
    assert_eq!(after.status, before.status);
    assert_eq!(after.events.len(), before.events.len() + 1);
    assert_eq!(after.events.iter().filter(|e| e.yours).count(), 1);
}

#[test]
fn score_news_on_a_season_sets_that_seasons_scores() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard season 1");
    app.update(Action::News);
    focus(&mut app, "kind");
    for _ in 0..5 {
        key(&mut app, KeyCode::Right);
    }
    let Mode::Form(form) = app.mode() else {
        panic!()
    };
    assert_eq!(form.value("kind"), "score");
    assert!(form.field("tomatometer").is_some_and(|f| f.visible));
    assert!(form.field("season").is_some_and(|f| !f.visible));
    replace(&mut app, "text", "Rotten Tomatoes now 98%");
    replace(&mut app, "tomatometer", "98");
    app.update(Action::FormApply);
    let after = show(&saved(&app), "ballard");
    assert_eq!(
        after.seasons[0]
            .rotten_tomatoes
            .clone()
            .and_then(|s| s.tomatometer),
        Some(98)
    );
}

// ----- add and delete -----

#[test]
fn add_a_show_two_seasons_and_an_episode_then_undo_each() {
    let (mut app, _dir) = app();
    app.update(Action::First); // the franchise
    app.update(Action::Add);
    let Mode::Form(form) = app.mode() else {
        panic!("no form")
    };
    assert_eq!(form.value("what"), "show");
    app.update(Action::FormApply);
    assert!(error(&app, "title").is_some(), "a title is needed");
    replace(&mut app, "title", "Slow Horses");
    app.update(Action::FormApply);
    assert!(matches!(app.mode(), Mode::Normal), "{:?}", app.status());
    assert!(saved(&app).find_show("slow-horses").is_some());
    assert_eq!(
        app.selected().map(|id| app.label(id)).as_deref(),
        Some("Slow Horses")
    );
    // A season: numbered 1 by default, then 2.
    for n in [1, 2] {
        app.update(Action::Add);
        let Mode::Form(form) = app.mode() else {
            panic!()
        };
        assert_eq!(form.value("what"), "season");
        assert_eq!(form.value("number"), n.to_string());
        app.update(Action::FormApply);
        select(&mut app, "Slow Horses");
    }
    assert_eq!(show(&saved(&app), "slow-horses").seasons.len(), 2);
    // A duplicate season number is refused.
    app.update(Action::Add);
    replace(&mut app, "number", "2");
    app.update(Action::FormApply);
    assert!(
        error(&app, "number").is_some_and(|e| e.contains("already")),
        "{:?} {:?}",
        app.status(),
        show(&saved(&app), "slow-horses").seasons.len()
    );
    app.update(Action::Cancel);
    app.update(Action::Expand);
    select(&mut app, "Slow Horses season 1");
    app.update(Action::Add);
    replace(&mut app, "title", "Failure's Contagious");
    replace(&mut app, "date", "2022-04-01");
    app.update(Action::FormApply);
    let sh = show(&saved(&app), "slow-horses");
    assert_eq!(
        sh.seasons[0].episodes[0].title.as_deref(),
        Some("Failure's Contagious")
    );
    // The next episode defaults to number 2.
    app.update(Action::Add);
    let Mode::Form(form) = app.mode() else {
        panic!()
    };
    assert_eq!(form.value("number"), "2");
    app.update(Action::Cancel);
    // Same title again: a new id that does not collide.
    app.update(Action::First);
    app.update(Action::Add);
    replace(&mut app, "title", "Slow Horses");
    app.update(Action::FormApply);
    assert!(saved(&app).find_show("slow-horses-2").is_some());
    app.update(Action::Undo);
    assert!(saved(&app).find_show("slow-horses-2").is_none());
    app.update(Action::Undo);
    assert!(
        show(&saved(&app), "slow-horses").seasons[0]
            .episodes
            .is_empty()
    );
}

#[test]
fn delete_says_what_goes_asks_and_undo_brings_it_back() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard season 1");
    app.update(Action::Expand);
    select(&mut app, "Ballard S01E02");
    app.update(Action::ToggleWatched);
    select(&mut app, "Ballard");
    let before = show(app.library(), "ballard");
    app.update(Action::Remove);
    let Mode::Confirm(c) = app.mode() else {
        panic!("no question")
    };
    assert!(
        c.question
            .starts_with("Delete Ballard: 1 season, 10 episodes, 1 watched"),
        "{}",
        c.question
    );
    app.update(Action::Cancel);
    assert!(saved(&app).find_show("ballard").is_some(), "n keeps it");
    app.update(Action::Remove);
    app.update(Action::Confirm);
    assert!(saved(&app).find_show("ballard").is_none());
    app.update(Action::Undo);
    assert_eq!(show(&saved(&app), "ballard"), before);
}

// ----- watch dates -----

#[test]
fn watch_dates_change_remove_and_ask_about_the_future() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard season 1");
    app.update(Action::Expand);
    select(&mut app, "Ballard S01E02");
    app.update(Action::WatchDates);
    assert!(matches!(app.mode(), Mode::Form(_)));
    type_text(&mut app, "2025-07-20");
    app.update(Action::FormEnter); // a new row
    type_text(&mut app, "2025-13-01");
    app.update(Action::FormApply);
    assert!(error(&app, "dates").is_some_and(|e| e.starts_with("row 2")));
    for _ in 0..10 {
        key(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "2027-01-01");
    app.update(Action::FormApply);
    let Mode::Confirm(c) = app.mode() else {
        panic!("no question")
    };
    assert!(
        c.question.contains("2027-01-01 is in the future"),
        "{}",
        c.question
    );
    // No: back to the form, nothing applied.
    app.update(Action::Cancel);
    assert!(matches!(app.mode(), Mode::Form(_)));
    assert!(
        show(&saved(&app), "ballard").seasons[0].episodes[1]
            .watched
            .is_empty()
    );
    app.update(Action::FormApply);
    app.update(Action::Confirm);
    assert_eq!(
        show(&saved(&app), "ballard").seasons[0].episodes[1].watched,
        vec![date(2025, 7, 20), date(2027, 1, 1)]
    );
    // Remove one: the form opens with the dates, one a row.
    app.update(Action::WatchDates);
    // The cursor is at the end of the last row: clearing the row removes that viewing.
    for _ in 0..10 {
        key(&mut app, KeyCode::Backspace);
    }
    app.update(Action::FormApply);
    assert_eq!(
        show(&saved(&app), "ballard").seasons[0].episodes[1].watched,
        vec![date(2025, 7, 20)]
    );
    app.update(Action::Undo);
    assert_eq!(
        show(&saved(&app), "ballard").seasons[0].episodes[1]
            .watched
            .len(),
        2
    );
}

#[test]
fn forms_need_the_right_selection() {
    let (mut app, _dir) = app();
    app.update(Action::First);
    app.update(Action::WatchDates);
    assert!(matches!(app.mode(), Mode::Normal));
    assert!(matches!(app.status(), Status::Info(m) if m.contains("episode")));
    app.update(Action::News);
    assert!(matches!(app.status(), Status::Info(m) if m.contains("show or a season")));
}

// ----- screens -----

#[test]
fn screen_show_form() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard");
    app.update(Action::EditFacts);
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn screen_news_form() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard");
    app.update(Action::News);
    type_text(&mut app, "");
    replace(&mut app, "text", "Ballard renewed for season 2");
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn screen_field_error() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard");
    app.update(Action::EditFacts);
    replace(&mut app, "premiere", "2025-02-30");
    app.update(Action::FormApply);
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn screen_delete_confirmation() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard");
    app.update(Action::Remove);
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn screen_timeline_with_a_user_event() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard");
    app.update(Action::News);
    replace(&mut app, "date", "2025-10-07");
    replace(&mut app, "text", "Ballard renewed for season 2");
    replace(&mut app, "source", "https://tvline.com/ballard-renewed");
    app.update(Action::FormApply);
    app.update(Action::DetailDown);
    app.update(Action::DetailDown);
    insta::assert_snapshot!(draw(&mut app, 100, 40).backend());
}

#[test]
fn forms_fit_at_60x16_and_200x60_and_scroll_to_the_focus() {
    let (mut app, _dir) = app();
    select(&mut app, "Ballard");
    app.update(Action::EditFacts);
    let small = screen(&mut app, 60, 16);
    assert!(small.contains("Title"), "{small}");
    assert!(small.contains("↓ more"), "{small}");
    focus(&mut app, "origin");
    let small = screen(&mut app, 60, 16);
    assert!(small.contains("as a"), "{small}");
    assert!(small.contains("↑ more"), "{small}");
    let big = screen(&mut app, 200, 60);
    assert!(
        big.contains("Popcornmeter") && big.contains("Grew out of"),
        "{big}"
    );
    assert!(!big.contains("more"), "everything fits: {big}");
    app.update(Action::Cancel);
    app.update(Action::Remove);
    let small = screen(&mut app, 60, 16);
    assert!(
        small.contains("Delete Ballard: 1 season, 10 episodes?"),
        "{small}"
    );
}

#[test]
fn a_delete_takes_its_keys_out_of_the_curated_order_and_undo_puts_them_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("library.ron");
    let mut library = store::shipped_catalog();
    let order: Vec<String> = ["bosch S01E01", "ballard S01E01", "ballard S01E02"]
        .map(String::from)
        .to_vec();
    library.franchises[0].watch_order = order.clone();
    store::save(&path, &library).expect("save");
    let mut app = support::app_over(&path, Default::default());
    select(&mut app, "Ballard season 1");
    app.update(Action::Expand);
    select(&mut app, "Ballard S01E02");
    app.update(Action::Remove);
    app.update(Action::Confirm);
    assert!(
        matches!(app.status(), Status::Info(m) if m.starts_with("deleted Ballard S01E02")),
        "{:?}",
        app.status()
    );
    assert_eq!(
        saved(&app).franchises[0].watch_order,
        ["bosch S01E01", "ballard S01E01"]
    );
    select(&mut app, "Ballard");
    app.update(Action::Remove);
    app.update(Action::Confirm);
    assert_eq!(saved(&app).franchises[0].watch_order, ["bosch S01E01"]);
    assert!(saved(&app).find_show("ballard").is_none());
    app.update(Action::Undo);
    app.update(Action::Undo);
    let back = saved(&app);
    assert_eq!(back.franchises[0].watch_order, order);
    assert_eq!(show(&back, "ballard").seasons[0].episodes.len(), 10);
}

/// The rescue files beside the library, with their text.
fn rescued(dir: &std::path::Path) -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".rescued-notes-"))
        .map(|e| std::fs::read_to_string(e.path()).expect("rescue file"))
        .collect();
    found.sort();
    found
}

#[test]
fn a_valid_form_open_when_the_app_is_stopped_is_applied_and_saved() {
    let (mut app, dir) = app();
    select(&mut app, "Ballard");
    app.update(Action::EditFacts);
    replace(&mut app, "network", "Prime Video (US)");
    // SIGTERM, SIGHUP or a closed terminal.
    app.update(Msg::Stopped);
    assert!(matches!(app.mode(), Mode::Normal));
    assert_eq!(
        show(&saved(&app), "ballard").network.as_deref(),
        Some("Prime Video (US)")
    );
    assert_eq!(app.unsaved(), None);
    assert!(rescued(dir.path()).is_empty());
}

#[test]
fn an_invalid_form_open_when_the_app_is_stopped_goes_to_a_rescue_file() {
    let (mut app, dir) = app();
    select(&mut app, "Ballard");
    let bytes = file_bytes(&app);
    app.update(Action::EditFacts);
    replace(&mut app, "network", "Typed Network Name");
    replace(&mut app, "tomatometer", "101");
    app.update(Msg::Stopped);
    assert_eq!(file_bytes(&app), bytes, "nothing invalid applied");
    let files = rescued(dir.path());
    assert_eq!(files.len(), 1, "one rescue file");
    assert!(files[0].contains("Typed Network Name"), "{}", files[0]);
    assert!(files[0].contains("101"), "{}", files[0]);
    // The run ends saying where the text is.
    assert!(
        app.unsaved()
            .is_some_and(|u| u.contains("form being filled in is kept in")),
        "{:?}",
        app.unsaved()
    );
}

#[test]
fn watch_dates_waiting_on_the_future_date_question_when_stopped_are_rescued() {
    let (mut app, dir) = app();
    select(&mut app, "Ballard season 1");
    app.update(Action::Expand);
    select(&mut app, "Ballard S01E02");
    app.update(Action::WatchDates);
    type_text(&mut app, "2030-01-01");
    app.update(Action::FormApply);
    assert!(
        matches!(app.mode(), Mode::Confirm(_)),
        "asks about the future"
    );
    app.update(Msg::Stopped);
    let files = rescued(dir.path());
    assert!(files.iter().any(|f| f.contains("2030-01-01")), "{files:?}");
}
