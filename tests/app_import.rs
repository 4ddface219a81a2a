//! TVmaze and history import in the app, without a terminal: `update` in, state out; the
//! worker's reports handed in as `Msg::Job` (or taken from a real worker that talks to a local
//! tiny_http server on 127.0.0.1, never the internet); the overlays drawn on a `TestBackend`
//! and compared with their snapshots. Also Trakt's `reset_at`, `import --add-missing` from
//! TVmaze, and a password-protected ZIP.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use fantrack::action::Action;
use fantrack::app::import::Flow as ImportFlow;
use fantrack::app::jobs::{Outcome, Report};
use fantrack::app::tvmaze::Flow as TvmazeFlow;
use fantrack::app::{App, Mode, Msg, Setup, Status};
use fantrack::import::{self, Options};
use fantrack::model::Library;
use fantrack::store;
use fantrack::tvmaze::json::{self, Fetched, SearchHit};
use jiff::civil::{Date, date};
use jiff::tz::TimeZone;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "support/app.rs"]
mod support;

use support::TODAY;

fn tvmaze_data(name: &str) -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/tvmaze")
            .join(name),
    )
    .expect("fixture reads")
}

fn import_data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/import")
        .join(rel)
}

/// A fresh app over the shipped catalog, saving into a temporary directory, calling TVmaze at
/// a closed local port unless a test says otherwise.
fn app() -> (App, tempfile::TempDir) {
    app_at("http://127.0.0.1:9")
}

/// `app()`, calling TVmaze at `tvmaze_url`.
fn app_at(tvmaze_url: &str) -> (App, tempfile::TempDir) {
    support::app_with(Setup {
        tvmaze_url: Some(tvmaze_url.to_string()),
        import_time_zone: Some(TimeZone::UTC),
        ..Setup::default()
    })
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::SearchInput(c));
    }
}

fn hand_in(app: &mut App, outcome: Outcome) {
    let job = app.current_job();
    app.update(Msg::Job(Report::new(job, outcome)));
}

/// Runs the run loop's part: takes the real worker's reports until it is done.
fn wait_for_worker(app: &mut App) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while app.working() {
        assert!(Instant::now() < deadline, "the worker never finished");
        for report in app.take_reports() {
            app.update(Msg::Job(report));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    for report in app.take_reports() {
        app.update(Msg::Job(report));
    }
}

fn draw(app: &mut App, width: u16, height: u16) -> String {
    app.update(Msg::Resized(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|frame| fantrack::ui::draw(frame, app))
        .expect("draw");
    terminal.backend().to_string()
}

fn girls() -> Vec<SearchHit> {
    json::parse(&tvmaze_data("search-girls.json"), "a search").expect("parses")
}

fn big_bang() -> Fetched {
    let json::Saved::Show(show) =
        json::parse_saved(&tvmaze_data("big-bang-theory-embed-episodes.json")).expect("parses")
    else {
        panic!("a show document")
    };
    Fetched::from_show(*show)
}

fn shows(library: &Library) -> Vec<String> {
    library
        .franchises
        .iter()
        .flat_map(|f| f.shows.iter().map(|s| format!("{}/{}", f.id, s.id)))
        .collect()
}

fn status(app: &App) -> String {
    match app.status() {
        Status::Info(m) | Status::Error(m) => m.clone(),
    }
}

// ----- TVmaze add -----

#[test]
fn add_from_tvmaze_searches_picks_places_and_undoes_in_one_step() {
    let (mut app, _dir) = app();
    let before = shows(app.library());
    app.update(Action::TvmazeAdd);
    assert!(matches!(app.mode(), Mode::Tvmaze(f) if matches!(**f, TvmazeFlow::Query { .. })));
    typed(&mut app, "girls");
    app.update(Action::Confirm);
    assert!(matches!(app.mode(), Mode::Tvmaze(f) if matches!(**f, TvmazeFlow::Searching { .. })));
    hand_in(&mut app, Outcome::Found(Ok(girls())));
    let Mode::Tvmaze(flow) = app.mode() else {
        panic!("the candidates")
    };
    let (lines, cursor) = flow.lines();
    assert_eq!(cursor, Some(0));
    assert_eq!(lines[0], "1. Girls (2012, HBO, Ended)");
    assert_eq!(lines.len(), 4);
    // Second candidate, then the franchise: row 0 is a new one named after the show.
    app.update(Action::Down);
    app.update(Action::Up);
    app.update(Action::Confirm);
    let Mode::Tvmaze(flow) = app.mode() else {
        panic!("the franchise")
    };
    let (lines, _) = flow.lines();
    assert_eq!(lines[0], "a new franchise \"Girls\"");
    assert!(lines[1].starts_with("Bosch Universe"), "{lines:?}");
    app.update(Action::Confirm);
    assert!(matches!(app.mode(), Mode::Tvmaze(f) if matches!(**f, TvmazeFlow::Fetching { .. })));
    hand_in(&mut app, Outcome::Fetched(Ok(Box::new(big_bang()))));
    assert!(matches!(app.mode(), Mode::Normal));
    let after = shows(app.library());
    assert_eq!(after.len(), before.len() + 1, "{}", status(&app));
    assert!(after.contains(&"the-big-bang-theory/the-big-bang-theory".to_string()));
    assert!(
        status(&app).contains("added \"The Big Bang Theory\""),
        "{}",
        status(&app)
    );
    // Saved, then one undo takes the show and its new franchise away.
    let saved = store::load(app.path()).expect("loads");
    assert_eq!(shows(&saved), after);
    app.update(Action::Undo);
    assert_eq!(shows(app.library()), before);
    assert_eq!(shows(&store::load(app.path()).expect("loads")), before);
}

#[test]
fn a_show_added_into_a_franchise_as_a_spin_off() {
    let (mut app, _dir) = app();
    app.update(Action::TvmazeAdd);
    typed(&mut app, "big bang");
    app.update(Action::Confirm);
    hand_in(&mut app, Outcome::Found(Ok(vec![girls().remove(0)])));
    app.update(Action::Confirm); // the candidate
    app.update(Action::Down); // Bosch Universe
    app.update(Action::Confirm);
    let Mode::Tvmaze(flow) = app.mode() else {
        panic!("the relation")
    };
    let (lines, _) = flow.lines();
    assert_eq!(lines[0], "on its own");
    assert_eq!(lines[1], "a spin-off of Bosch");
    app.update(Action::Down);
    app.update(Action::Confirm);
    hand_in(&mut app, Outcome::Fetched(Ok(Box::new(big_bang()))));
    let (f, s) = app
        .library()
        .find_show("the-big-bang-theory")
        .expect("added");
    let franchise = &app.library().franchises[f];
    assert_eq!(franchise.id, "bosch-universe");
    let origin = franchise.shows[s].origin.as_ref().expect("an origin");
    assert_eq!(origin.show, "bosch");
}

#[test]
fn offline_says_so_and_names_the_file_way_in() {
    let (mut app, _dir) = app(); // TVmaze at a closed local port
    app.update(Action::TvmazeAdd);
    typed(&mut app, "slow horses");
    app.update(Action::Confirm);
    wait_for_worker(&mut app);
    assert!(matches!(app.mode(), Mode::Normal));
    assert!(matches!(app.status(), Status::Error(_)));
    assert!(status(&app).contains("--tvmaze-file"), "{}", status(&app));
}

#[test]
fn esc_while_waiting_walks_away_and_the_late_answer_is_ignored() {
    let (mut app, _dir) = app();
    app.update(Action::TvmazeAdd);
    typed(&mut app, "girls");
    app.update(Action::Confirm);
    let job = app.current_job();
    app.update(Action::Cancel);
    assert!(matches!(app.mode(), Mode::Normal));
    app.update(Msg::Job(Report::new(job, Outcome::Found(Ok(girls())))));
    assert!(matches!(app.mode(), Mode::Normal));
}

#[test]
fn screen_tvmaze_candidates() {
    let (mut app, _dir) = app();
    app.update(Action::TvmazeAdd);
    typed(&mut app, "girls");
    app.update(Action::Confirm);
    hand_in(&mut app, Outcome::Found(Ok(girls())));
    app.update(Action::Down);
    insta::assert_snapshot!(draw(&mut app, 100, 30));
}

/// A local TVmaze on 127.0.0.1: each path with its query answers its body; others are 404s.
fn serve(routes: HashMap<String, String>) -> String {
    serve_changing(routes).0
}

/// What a local server answers, by request path; a test may change it while it runs.
type Routes = Arc<Mutex<HashMap<String, String>>>;

/// `serve`, with the routes handed back so a test can change what the server answers.
fn serve_changing(routes: HashMap<String, String>) -> (String, Routes) {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("binds");
    let port = server.server_addr().to_ip().expect("an ip").port();
    let routes = Arc::new(Mutex::new(routes));
    let answers = Arc::clone(&routes);
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let body = answers.lock().expect("lock").get(request.url()).cloned();
            let response = match body {
                Some(b) => tiny_http::Response::from_string(b),
                None => tiny_http::Response::from_string("{\"status\":404}").with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
    (format!("http://127.0.0.1:{port}"), routes)
}

/// The Big Bang Theory document split as TVmaze serves it: the show, its episodes.
fn big_bang_routes(drop_last_episode: bool, status: &str) -> HashMap<String, String> {
    let mut doc: serde_json::Value =
        serde_json::from_str(&tvmaze_data("big-bang-theory-embed-episodes.json")).expect("json");
    let mut episodes = doc["_embedded"]["episodes"].take();
    if drop_last_episode && let Some(list) = episodes.as_array_mut() {
        list.pop();
    }
    let object = doc.as_object_mut().expect("an object");
    object.remove("_embedded");
    object.insert("status".into(), status.into());
    let show = serde_json::to_string(&doc).expect("json");
    let search = format!("[{{\"score\": 0.9, \"show\": {show}}}]");
    HashMap::from([
        ("/search/shows?q=big+bang".to_string(), search),
        ("/shows/66?embed=cast".to_string(), show),
        (
            "/shows/66/episodes?specials=1".to_string(),
            serde_json::to_string(&episodes).expect("json"),
        ),
    ])
}

#[test]
fn online_add_then_refresh_through_a_local_server() {
    let (url, routes) = serve_changing(big_bang_routes(true, "Running"));
    let (mut app, _dir) = app_at(&url);
    app.update(Action::TvmazeAdd);
    typed(&mut app, "big bang");
    app.update(Action::Confirm);
    wait_for_worker(&mut app);
    assert!(matches!(app.mode(), Mode::Tvmaze(f) if matches!(**f, TvmazeFlow::Pick { .. })));
    app.update(Action::Confirm); // the one candidate
    app.update(Action::Confirm); // a new franchise
    wait_for_worker(&mut app);
    let episodes = |app: &App| {
        let (f, s) = app
            .library()
            .find_show("the-big-bang-theory")
            .expect("added");
        app.library().franchises[f].shows[s]
            .seasons
            .iter()
            .map(|s| s.episodes.len())
            .sum::<usize>()
    };
    assert_eq!(episodes(&app), 3, "{}", status(&app));

    // TVmaze now has one more episode and says the show ended: `R` on the show brings both.
    *routes.lock().expect("lock") = big_bang_routes(false, "Ended");
    app.update(Action::TvmazeRefresh);
    assert!(app.working());
    wait_for_worker(&mut app);
    assert_eq!(episodes(&app), 4, "{}", status(&app));
    assert!(
        status(&app).contains("1 new episode(s)"),
        "{}",
        status(&app)
    );
    app.update(Action::Undo);
    assert_eq!(episodes(&app), 3, "one undo takes the whole refresh back");
}

#[test]
fn refresh_without_tvmaze_shows_says_how_to_add_one() {
    let (mut app, _dir) = app();
    app.update(Action::TvmazeRefresh);
    assert!(!app.working());
    assert!(status(&app).contains("A adds one"), "{}", status(&app));
}

// ----- upcoming -----

#[test]
fn the_franchise_pane_lists_upcoming_episodes_soonest_first() {
    let (mut app, _dir) = app();
    app.update(Action::TvmazeAdd);
    typed(&mut app, "big bang");
    app.update(Action::Confirm);
    hand_in(&mut app, Outcome::Found(Ok(vec![girls().remove(0)])));
    app.update(Action::Confirm);
    app.update(Action::Confirm);
    let mut fetched = big_bang();
    // Two episodes air after TODAY (dates moved on for the test), in the wrong order.
    fetched.episodes[2].airdate = Some("2026-12-24".into());
    fetched.episodes[1].airdate = Some("2026-12-03".into());
    hand_in(&mut app, Outcome::Fetched(Ok(Box::new(fetched))));
    // The new franchise, named after the show (a bounded walk: a missing one fails).
    app.update(Action::First);
    for _ in 0..app.rows().len() {
        if app.selected().map(|id| app.label(id)).as_deref() == Some("The Big Bang Theory") {
            break;
        }
        app.update(Action::Down);
    }
    assert!(
        matches!(app.selected(), Some(fantrack::tree::NodeId::Franchise(_))),
        "{}",
        status(&app)
    );
    let screen = draw(&mut app, 120, 40);
    let upcoming = screen.find("Upcoming").expect("an Upcoming section");
    let first = screen.find("2026-12-03").expect("the sooner one");
    let second = screen.find("2026-12-24").expect("the later one");
    assert!(upcoming < first && first < second, "{screen}");
    assert!(screen.contains("(CBS)"), "{screen}");
}

// ----- import -----

/// The import prompt with "add missing" switched to "from the export", for `file`.
fn import_file(app: &mut App, file: &Path) {
    app.update(Action::Import);
    typed(app, &file.display().to_string());
    app.update(Action::ToggleOption);
    app.update(Action::ToggleOption);
    app.update(Action::Confirm);
    assert!(app.working());
    wait_for_worker(app);
}

#[test]
fn import_shows_the_dry_run_then_applies_it_as_one_undo_step() {
    let (mut app, dir) = app();
    let file = dir.path().join("watched-shows.json");
    fs::copy(import_data("trakt/watched-shows.json"), &file).expect("copy");
    let before = store::load(app.path()).expect("loads");
    import_file(&mut app, &file);
    let Mode::Import(flow) = app.mode() else {
        panic!("the report: {}", status(&app))
    };
    let ImportFlow::Review { plan, .. } = flow.as_ref() else {
        panic!("the report")
    };
    assert_eq!(plan.report.total.rows, 13);
    assert_eq!(plan.report.total.new_watches, 13);
    // The dry run wrote nothing.
    assert_eq!(store::load(app.path()).expect("loads"), before);
    app.update(Action::Confirm);
    assert!(matches!(app.mode(), Mode::Normal));
    let (f, s) = app.library().find_show("south-park").expect("added");
    let show = &app.library().franchises[f].shows[s];
    assert_eq!(show.progress().watched, 13);
    assert!(status(&app).contains("imported"), "{}", status(&app));
    assert!(
        store::load(app.path())
            .expect("loads")
            .find_show("south-park")
            .is_some()
    );
    app.update(Action::Undo);
    assert!(app.library().find_show("south-park").is_none());
    assert_eq!(store::load(app.path()).expect("loads"), before);
}

#[test]
fn an_import_cancelled_at_the_report_changes_nothing() {
    let (mut app, _dir) = app();
    let before = store::load(app.path()).expect("loads");
    import_file(&mut app, &import_data("trakt/watched-history.json"));
    assert!(matches!(app.mode(), Mode::Import(_)), "{}", status(&app));
    app.update(Action::Cancel);
    assert!(matches!(app.mode(), Mode::Normal));
    assert_eq!(*app.library(), before);
    assert_eq!(store::load(app.path()).expect("loads"), before);
}

#[test]
fn a_file_that_is_no_export_is_one_line_and_changes_nothing() {
    let (mut app, dir) = app();
    let file = dir.path().join("notes.txt");
    fs::write(&file, "just some text\n").expect("write");
    let before = store::load(app.path()).expect("loads");
    import_file(&mut app, &file);
    assert!(matches!(app.mode(), Mode::Normal));
    assert!(matches!(app.status(), Status::Error(_)));
    assert!(status(&app).contains("notes.txt"), "{}", status(&app));
    assert_eq!(store::load(app.path()).expect("loads"), before);
    assert_eq!(
        fs::read_to_string(&file).expect("reads"),
        "just some text\n"
    );
}

/// The screen with the temporary directory's random name written the same way every run.
fn steady(screen: String, dir: &Path) -> String {
    let name = dir.display().to_string();
    screen.replace(&name, &"~".repeat(name.chars().count()))
}

#[test]
fn screen_import_report() {
    let (mut app, dir) = app();
    let file = dir.path().join("watched-shows.json");
    fs::copy(import_data("trakt/watched-shows.json"), &file).expect("copy");
    import_file(&mut app, &file);
    insta::assert_snapshot!(steady(draw(&mut app, 100, 30), dir.path()));
}

// ----- conflict copies -----

fn with_conflict_copy() -> (App, tempfile::TempDir, PathBuf) {
    let (app, dir) = app();
    // The other copy: Ballard S01E01 watched there.
    let mut other = store::shipped_catalog();
    let (f, s) = other.find_show("ballard").expect("ballard");
    let mut ballard = (*other.franchises[f].shows[s]).clone();
    ballard.seasons[0].episodes[0].watched = vec![date(2026, 11, 20)];
    other.franchises[f].shows[s] = ballard.into();
    let copy = dir
        .path()
        .join("library.sync-conflict-20261201-120000-ABCDEFG.ron");
    store::save(&copy, &other).expect("save");
    (app, dir, copy)
}

fn ballard_1_1(library: &Library) -> Vec<Date> {
    let (f, s) = library.find_show("ballard").expect("ballard");
    library.franchises[f].shows[s].seasons[0].episodes[0]
        .watched
        .clone()
}

#[test]
fn a_conflict_copy_is_offered_merged_on_yes_and_undone_in_one_step() {
    let (mut app, _dir, copy) = with_conflict_copy();
    let copy_bytes = fs::read(&copy).expect("reads");
    app.offer_conflict_copies();
    assert!(matches!(app.mode(), Mode::Import(f) if matches!(**f, ImportFlow::Offer { .. })));
    app.update(Action::Confirm);
    assert!(matches!(app.mode(), Mode::Normal));
    assert_eq!(
        ballard_1_1(app.library()),
        vec![date(2026, 11, 20)],
        "{}",
        status(&app)
    );
    assert_eq!(
        ballard_1_1(&store::load(app.path()).expect("loads")),
        vec![date(2026, 11, 20)]
    );
    assert_eq!(
        fs::read(&copy).expect("reads"),
        copy_bytes,
        "the copy is left alone"
    );
    app.update(Action::Undo);
    assert!(ballard_1_1(app.library()).is_empty());
    // Asked once this run.
    app.offer_conflict_copies();
    assert!(matches!(app.mode(), Mode::Normal));
}

#[test]
fn a_declined_copy_is_not_asked_again_and_the_cli_way_is_said() {
    let (mut app, _dir, copy) = with_conflict_copy();
    app.offer_conflict_copies();
    app.update(Action::Cancel);
    assert!(matches!(app.mode(), Mode::Normal));
    assert!(ballard_1_1(app.library()).is_empty());
    let said = status(&app);
    assert!(said.contains("fantrack merge"), "{said}");
    assert!(said.contains(&copy.display().to_string()), "{said}");
    app.offer_conflict_copies();
    assert!(matches!(app.mode(), Mode::Normal), "not asked again");
}

#[test]
fn screen_conflict_copy_offer() {
    let (mut app, dir, _copy) = with_conflict_copy();
    app.offer_conflict_copies();
    insta::assert_snapshot!(steady(draw(&mut app, 100, 30), dir.path()));
}

// ----- Trakt reset_at -----

#[test]
fn trakt_plays_after_reset_at_are_a_rewatch() {
    let inputs =
        import::read_inputs(&import_data("trakt/watched-shows-reset.json"), None).expect("reads");
    let parsed = import::parse(&inputs, &TimeZone::UTC).expect("parses");
    let mut options = Options::new(TimeZone::UTC);
    options.add_missing = true;
    let mut library = store::shipped_catalog();
    let plan = import::plan(&library, &parsed, &options);
    import::apply(&mut library, &plan);
    let (f, s) = library.find_show("south-park").expect("added");
    let watched = |library: &Library, n: u32| {
        library.franchises[f].shows[s]
            .season(1)
            .and_then(|se| se.episode(n))
            .expect("episode")
            .watched
            .clone()
    };
    assert_eq!(watched(&library, 1), vec![date(2024, 9, 10)]);
    assert_eq!(watched(&library, 3), vec![date(2024, 8, 20)]);
    let text = plan.report.to_string();
    assert!(
        text.contains("reset its progress on Trakt on 2024-09-05")
            && text.contains("2 episode(s) seen again since"),
        "{text}"
    );
    // The two rewatched episodes have an undated first viewing; the rest none.
    assert_eq!(plan.report.total.undated_plays, 2, "{text}");
}

// ----- --add-missing from TVmaze -----

/// South Park as a local TVmaze answers a TheTVDB lookup: a minimal show built here (its ids
/// are those of the Trakt fixture's show) and its thirteen season 1 episodes, numbers only.
fn south_park_routes() -> HashMap<String, String> {
    let show = serde_json::json!({
        "id": 112,
        "name": "South Park",
        "status": "Running",
        "premiered": "1997-08-13",
        "network": {"name": "Comedy Central"},
        "externals": {"thetvdb": 75897, "imdb": "tt0121955"},
    });
    let episodes: Vec<serde_json::Value> = (1..=13)
        .map(|n| serde_json::json!({"id": 1000 + n, "season": 1, "number": n}))
        .collect();
    HashMap::from([
        ("/lookup/shows?thetvdb=75897".to_string(), show.to_string()),
        ("/shows/112?embed=cast".to_string(), show.to_string()),
        (
            "/shows/112/episodes?specials=1".to_string(),
            serde_json::Value::from(episodes).to_string(),
        ),
    ])
}

fn plan_with_lookup(base: &str) -> import::ImportPlan {
    let inputs =
        import::read_inputs(&import_data("trakt/watched-shows.json"), None).expect("reads");
    let parsed = import::parse(&inputs, &TimeZone::UTC).expect("parses");
    let lookup = import::lookup::Lookup::new(fantrack::tvmaze::client::Client::new(base), TODAY);
    let source = |m: &import::MissingShow| lookup.show(m);
    let mut options = Options::new(TimeZone::UTC);
    options.add_missing = true;
    options.source = &source;
    let mut plan = import::plan(&store::shipped_catalog(), &parsed, &options);
    plan.report.notices.extend(lookup.notices());
    plan
}

#[test]
fn add_missing_looks_the_show_up_on_tvmaze_when_online() {
    let plan = plan_with_lookup(&serve(south_park_routes()));
    let mut library = store::shipped_catalog();
    import::apply(&mut library, &plan);
    let (f, s) = library.find_show("south-park").expect("added");
    let show = &library.franchises[f].shows[s];
    assert_eq!(show.ids.tvmaze, Some(112), "from TVmaze");
    assert_eq!(show.network.as_deref(), Some("Comedy Central"));
    assert_eq!(show.progress().watched, 13);
    assert!(
        show.seasons[0]
            .episodes
            .iter()
            .all(|e| e.ids.tvmaze.is_some()),
        "TVmaze's episodes, matched by number"
    );
    let text = plan.report.to_string();
    assert!(
        text.contains("added from TVmaze (CC BY-SA 4.0): South Park"),
        "{text}"
    );
}

#[test]
fn add_missing_builds_bare_shows_when_tvmaze_cannot_be_reached() {
    let plan = plan_with_lookup("http://127.0.0.1:9");
    let mut library = store::shipped_catalog();
    import::apply(&mut library, &plan);
    let (f, s) = library.find_show("south-park").expect("added");
    let show = &library.franchises[f].shows[s];
    assert_eq!(show.ids.tvmaze, None);
    assert_eq!(show.progress().watched, 13);
    let text = plan.report.to_string();
    assert!(text.contains("TVmaze could not be reached"), "{text}");
}

#[test]
fn cli_import_add_missing_asks_tvmaze_by_default_through_a_local_server() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("library.ron");
    let url = serve(south_park_routes());
    let out = cli_import(dir.path(), &file, &url, &["--add-missing"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("added from TVmaze (CC BY-SA 4.0): South Park"),
        "{stdout}"
    );
    assert!(
        stdout.contains("South Park (south-park) [added from TVmaze]"),
        "{stdout}"
    );
    let library = store::load(&file).expect("loads");
    let (f, s) = library.find_show("south-park").expect("added");
    assert_eq!(library.franchises[f].shows[s].ids.tvmaze, Some(112));
    assert_eq!(library.franchises[f].shows[s].progress().watched, 13);
    // The old spelling is still accepted.
    let again = dir.path().join("again.ron");
    let out = cli_import(dir.path(), &again, &url, &["--add-missing", "--tvmaze"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let library = store::load(&again).expect("loads");
    let (f, s) = library.find_show("south-park").expect("added");
    assert_eq!(library.franchises[f].shows[s].ids.tvmaze, Some(112));
}

/// `fantrack --file FILE import EXTRA… watched-shows.json` with TVmaze at `url`.
fn cli_import(home: &Path, file: &Path, url: &str, extra: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_fantrack"))
        .arg("--file")
        .arg(file)
        .arg("import")
        .args(extra)
        .arg(import_data("trakt/watched-shows.json"))
        .env("FANTRACK_TVMAZE_URL", url)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove(store::FILE_ENV)
        .output()
        .expect("runs")
}

#[test]
fn cli_add_missing_unreachable_says_so_per_show_and_offline_never_asks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("library.ron");
    let out = cli_import(dir.path(), &file, "http://127.0.0.1:9", &["--add-missing"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(
            "South Park (south-park) [added from the export's titles and numbers: TVmaze could not be reached]:"
        ),
        "{stdout}"
    );
    let library = store::load(&file).expect("loads");
    let (f, s) = library.find_show("south-park").expect("added");
    assert_eq!(library.franchises[f].shows[s].ids.tvmaze, None);
    assert_eq!(library.franchises[f].shows[s].progress().watched, 13);

    // --offline: a server that would answer is never asked.
    let asked = Arc::new(Mutex::new(0usize));
    let server = tiny_http::Server::http("127.0.0.1:0").expect("binds");
    let port = server.server_addr().to_ip().expect("an ip").port();
    let count = Arc::clone(&asked);
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            *count.lock().expect("lock") += 1;
            let _ = request.respond(tiny_http::Response::from_string("{}").with_status_code(404));
        }
    });
    let url = format!("http://127.0.0.1:{port}");
    let offline = dir.path().join("offline.ron");
    let out = cli_import(
        dir.path(),
        &offline,
        &url,
        &["--add-missing", "--offline", "--dry-run"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("South Park (south-park) [added from the export's titles and numbers]:"),
        "{stdout}"
    );
    assert_eq!(*asked.lock().expect("lock"), 0, "TVmaze was asked");
    // --offline and --tvmaze say opposite things.
    let out = cli_import(
        dir.path(),
        &offline,
        &url,
        &["--add-missing", "--offline", "--tvmaze"],
    );
    assert_eq!(out.status.code(), Some(2));
}

// ----- a password-protected ZIP -----

/// A ZIP of Trakt's watched-shows.json locked with `password` (ZipCrypto, made here).
fn locked_zip(dir: &Path, password: &str) -> PathBuf {
    use std::io::Write;
    use zip::unstable::write::FileOptionsExt;
    let path = dir.join("trakt-export.zip");
    let mut w = zip::ZipWriter::new(fs::File::create(&path).expect("create"));
    let options = zip::write::SimpleFileOptions::default()
        .with_deprecated_encryption(password.as_bytes())
        .expect("encryption");
    w.start_file("watched-shows.json", options).expect("start");
    w.write_all(&fs::read(import_data("trakt/watched-shows.json")).expect("read"))
        .expect("write");
    w.finish().expect("finish");
    path
}

fn keyed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::EditorKey(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
}

fn password_error(app: &App) -> Option<String> {
    match app.mode() {
        Mode::Import(flow) => match flow.as_ref() {
            ImportFlow::Password { error, .. } => error.clone(),
            _ => panic!("not the password field: {}", status(app)),
        },
        _ => panic!("not importing: {}", status(app)),
    }
}

/// Every byte of every file under `dir`, to look for what must never be written.
fn everything_written(dir: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in fs::read_dir(&d).expect("lists").flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_none_or(|e| e != "zip") {
                all.extend(fs::read(&path).unwrap_or_default());
            }
        }
    }
    all
}

#[test]
fn a_locked_zip_asks_for_its_password_and_a_wrong_one_asks_again() {
    let (mut app, dir) = app();
    let zip = locked_zip(dir.path(), "hunter22");
    let before = store::load(app.path()).expect("loads");
    import_file(&mut app, &zip);
    assert_eq!(password_error(&app), None, "asked, no error yet");
    // Enter with nothing typed says what to do.
    app.update(Action::Confirm);
    assert!(password_error(&app).is_some_and(|e| e.contains("password")));
    keyed(&mut app, "wrong-one");
    assert_eq!(password_error(&app), None, "typing clears the error");
    app.update(Action::Confirm);
    assert!(app.working());
    wait_for_worker(&mut app);
    assert_eq!(
        password_error(&app).as_deref(),
        Some("wrong password; try again")
    );
    // The field starts empty again; the right one reads the ZIP: the dry run.
    keyed(&mut app, "hunter22");
    let Mode::Import(flow) = app.mode() else {
        panic!("importing")
    };
    let shown = format!("{flow:?}");
    assert!(!shown.contains("hunter22"), "Debug shows it: {shown}");
    app.update(Action::Confirm);
    wait_for_worker(&mut app);
    let Mode::Import(flow) = app.mode() else {
        panic!("the report: {}", status(&app))
    };
    let ImportFlow::Review { plan, .. } = flow.as_ref() else {
        panic!("the report: {}", status(&app))
    };
    assert_eq!(plan.report.total.new_watches, 13);
    assert!(!format!("{flow:?}").contains("hunter22"));
    assert_eq!(store::load(app.path()).expect("loads"), before);
    app.update(Action::Confirm);
    assert!(app.library().find_show("south-park").is_some());
    // Stopped as by a signal: nothing anywhere holds the password.
    app.update(Msg::Stopped);
    let written = everything_written(dir.path());
    assert!(
        !written.windows(8).any(|w| w == b"hunter22"),
        "the password was written"
    );
}

#[test]
fn esc_at_the_password_cancels_and_nothing_is_written() {
    let (mut app, dir) = app();
    let zip = locked_zip(dir.path(), "hunter22");
    let before = fs::read(app.path()).expect("reads");
    import_file(&mut app, &zip);
    keyed(&mut app, "hunter2");
    app.update(Action::Cancel);
    assert!(matches!(app.mode(), Mode::Normal));
    assert!(status(&app).contains("nothing changed"), "{}", status(&app));
    app.update(Msg::Stopped);
    assert_eq!(fs::read(app.path()).expect("reads"), before);
    let written = everything_written(dir.path());
    assert!(!written.windows(7).any(|w| w == b"hunter2"));
}

#[test]
fn screen_import_password() {
    let (mut app, dir) = app();
    let zip = locked_zip(dir.path(), "hunter22");
    import_file(&mut app, &zip);
    keyed(&mut app, "nope");
    app.update(Action::Confirm);
    wait_for_worker(&mut app);
    // Wrong: said under the empty field.
    let screen = steady(draw(&mut app, 100, 30), dir.path());
    assert!(screen.contains("wrong password; try again"), "{screen}");
    insta::assert_snapshot!(screen);
    keyed(&mut app, "hunt");
    for (w, h) in [(100, 30), (60, 16)] {
        let screen = steady(draw(&mut app, w, h), dir.path());
        assert!(screen.contains("> ••••"), "{screen}");
        assert!(!screen.contains("hunt"), "{screen}");
    }
}
