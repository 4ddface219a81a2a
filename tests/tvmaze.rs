//! TVmaze: mapping real recorded responses (tests/data/tvmaze, sources in SOURCES.md), merging
//! and refreshing, and the online path end to end through the real binary against a local
//! tiny_http server on 127.0.0.1 (a random port) that serves the recorded responses, a 429 once
//! and 404s. No test reaches the internet: every child gets FANTRACK_TVMAZE_URL pointing at the
//! local server (or at a closed local port), and HOME / XDG_CONFIG_HOME in a temporary dir.

use std::collections::{HashMap, VecDeque};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use fantrack::catalog::ChangeKind;
use fantrack::model::{EventKind, Library, Show, Status, today};
use fantrack::store;
use fantrack::tvmaze::json::{self, Fetched, SearchHit};
use fantrack::tvmaze::merge::{self, Placement};
use fantrack::tvmaze::{self as tvmaze, map};
use jiff::civil::date;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_fantrack");

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/tvmaze")
        .join(name)
}

fn read(name: &str) -> String {
    fs::read_to_string(data(name)).expect("fixture reads")
}

fn big_bang() -> Fetched {
    let json::Saved::Show(show) =
        json::parse_saved(&read("big-bang-theory-embed-episodes.json")).expect("parses")
    else {
        panic!("a show document")
    };
    Fetched::from_show(*show)
}

fn girls_search() -> Vec<SearchHit> {
    json::parse(&read("search-girls.json"), "a search").expect("parses")
}

/// The True Detective season 1 episode list (recorded), with a minimal show around it: the list
/// is the recorded response, the show is only what the mapper needs to know whose it is.
fn true_detective() -> Fetched {
    let episodes: Vec<json::Episode> = json::parse(
        &read("true-detective-s1-episodes-with-special.json"),
        "episodes",
    )
    .expect("parses");
    let show: json::Show =
        serde_json::from_value(serde_json::json!({"id": 5, "name": "True Detective"}))
            .expect("a minimal show");
    Fetched {
        show,
        episodes,
        cast: vec![],
    }
}

fn empty_library() -> Library {
    Library {
        version: fantrack::model::FORMAT_VERSION,
        catalog_version: None,
        settings: Default::default(),
        removed: Default::default(),
        franchises: vec![],
    }
}

fn only_show(library: &Library) -> &Show {
    let shows: Vec<&Show> = library
        .franchises
        .iter()
        .flat_map(|f| &f.shows)
        .map(|s| &**s)
        .collect();
    assert_eq!(shows.len(), 1, "one show");
    shows[0]
}

// ---------------------------------------------------------------------------------------------
// Mapping real responses

#[test]
fn an_old_format_show_maps_faithfully() {
    // 2018: no episode `type` or `rating`, no show `averageRuntime` or `ended`.
    let show = map::to_show(&big_bang(), "the-big-bang-theory", date(2026, 12, 1));
    assert_eq!(show.title, "The Big Bang Theory");
    assert_eq!(show.ids.tvmaze, Some(66));
    assert_eq!(show.ids.thetvdb, Some(80379));
    assert_eq!(show.ids.imdb.as_deref(), Some("tt0898266"));
    assert_eq!(show.network.as_deref(), Some("CBS"));
    assert_eq!(show.status, Status::Running);
    assert_eq!(show.premiere, Some(date(2007, 9, 24)));
    assert_eq!(show.finale, None, "no `ended` in the old format: unknown");
    assert_eq!(
        show.sources.get(tvmaze::SOURCE_KEY),
        Some(&vec![
            "http://www.tvmaze.com/shows/66/the-big-bang-theory".to_string()
        ])
    );
    assert_eq!(
        tvmaze::credit(&show).as_deref(),
        Some("TVmaze (CC BY-SA 4.0) http://www.tvmaze.com/shows/66/the-big-bang-theory")
    );
    let summary = show.summary.as_deref().expect("a summary");
    assert!(
        summary.starts_with("The Big Bang Theory is a comedy"),
        "{summary}"
    );
    assert!(!summary.contains('<'), "{summary}");
    let seasons: Vec<(u32, Vec<u32>)> = show
        .seasons
        .iter()
        .map(|s| (s.number, s.episodes.iter().map(|e| e.number).collect()))
        .collect();
    assert_eq!(seasons, vec![(1, vec![1, 2, 3]), (2, vec![8])]);
    let e = &show.seasons[1].episodes[0];
    assert_eq!(e.title.as_deref(), Some("The Lizard-Spock Expansion"));
    assert_eq!(e.air_date, Some(date(2008, 11, 17)));
    assert_eq!(e.runtime, Some(30));
    assert!(!e.runtime_is_average(), "the episode's own runtime");
    assert_eq!(e.ids.tvmaze, Some(2937));
    assert!(show.seasons.iter().all(|s| s.specials.is_empty()));
}

#[test]
fn specials_stay_specials_of_their_season_and_regulars_keep_their_numbers() {
    let show = map::to_show(&true_detective(), "true-detective", date(2026, 12, 1));
    assert_eq!(show.seasons.len(), 1);
    let s1 = &show.seasons[0];
    assert_eq!(
        s1.episodes.iter().map(|e| e.number).collect::<Vec<_>>(),
        (1..=8).collect::<Vec<_>>()
    );
    assert_eq!(
        s1.episodes[0].title.as_deref(),
        Some("The Long Bright Dark")
    );
    assert_eq!(s1.episodes[7].air_date, Some(date(2014, 3, 9)));
    assert_eq!(s1.specials.len(), 1);
    let special = &s1.specials[0];
    assert_eq!(special.number, 1);
    assert_eq!(special.title.as_deref(), Some("Making True Detective"));
    assert_eq!(special.air_date, Some(date(2014, 1, 7)));
    assert_eq!(special.runtime, Some(12));
    assert_eq!(special.ids.tvmaze, Some(1785579));
    // Specials are not counted as episodes of the season.
    assert_eq!(show.progress().total, 8);
}

#[test]
fn search_hits_map_status_network_and_dates() {
    let hits = girls_search();
    let today = date(2026, 12, 1);
    let fetched = |i: usize| Fetched::from_show(hits[i].show.clone());
    // An ended show.
    let girls = map::to_show(&fetched(0), "girls", today);
    assert_eq!(girls.status, Status::Ended);
    assert_eq!(girls.premiere, Some(date(2012, 4, 15)));
    assert_eq!(girls.finale, Some(date(2017, 4, 16)));
    assert_eq!(girls.network.as_deref(), Some("HBO"));
    // A web channel is the network when there is no network; In Development is upcoming.
    let shining = map::to_show(&fetched(3), "shining-girls", today);
    assert_eq!(shining.network.as_deref(), Some("Apple TV+"));
    assert_eq!(shining.status, Status::Upcoming);
    assert_eq!(
        shining.tvmaze.as_ref().map(|t| t.status.as_str()),
        Some("In Development")
    );
    // Running; two paragraphs stay two.
    let derry = map::to_show(&fetched(2), "derry-girls", today);
    assert_eq!(derry.status, Status::Running);
    let summary = derry.summary.expect("summary");
    assert!(summary.contains("troubles of her own"), "{summary}");
    assert_eq!(summary.matches("\n\n").count(), 1, "{summary}");
    // No summary at all stays unknown.
    assert_eq!(map::to_show(&fetched(1), "girls-2", today).summary, None);
}

#[test]
fn status_words_fantrack_cannot_map_are_kept_and_never_guessed() {
    assert_eq!(map::certain_status("Running"), Some(Status::Running));
    assert_eq!(map::certain_status("Ended"), Some(Status::Ended));
    assert_eq!(
        map::certain_status("In Development"),
        Some(Status::Upcoming)
    );
    assert_eq!(map::certain_status("To Be Determined"), None);
    assert_eq!(map::certain_status("Pilot Ordered"), None);
    let today = date(2026, 12, 1);
    // A new show then gets what its premiere proves.
    assert_eq!(
        map::new_status("To Be Determined", Some(date(2020, 1, 1)), today),
        Status::Running
    );
    assert_eq!(
        map::new_status("To Be Determined", None, today),
        Status::Upcoming
    );
    let mut doc: serde_json::Value =
        serde_json::from_str(&read("big-bang-theory-embed-episodes.json")).expect("json");
    doc["status"] = "To Be Determined".into();
    let show: json::Show = serde_json::from_value(doc).expect("show");
    let mapped = map::to_show(&Fetched::from_show(show), "x", today);
    assert_eq!(
        mapped.tvmaze.map(|t| t.status),
        Some("To Be Determined".into())
    );
}

#[test]
fn episodes_without_runtime_take_the_show_average_marked_as_such() {
    // The recorded episodes with their `runtime` removed (as TVmaze gives episodes it has no
    // runtime for); the show's own `runtime` (old format: no averageRuntime) is the fallback.
    let mut fetched = big_bang();
    for e in &mut fetched.episodes {
        e.runtime = None;
    }
    let show = map::to_show(&fetched, "x", date(2026, 12, 1));
    let e = &show.seasons[0].episodes[0];
    assert_eq!(e.runtime, Some(30));
    assert!(e.runtime_is_average());
    // Without any runtime at all, it stays unknown, and the stats say so.
    fetched.show.runtime = None;
    let show = map::to_show(&fetched, "x", date(2026, 12, 1));
    assert!(
        show.episodes()
            .all(|(_, e)| e.runtime.is_none() && !e.runtime_is_average())
    );
    assert_eq!(show.stats().missing_runtime, 4);
}

#[test]
fn new_show_ids_are_slugs_that_never_collide() {
    assert_eq!(map::slug("Slow Horses"), "slow-horses");
    assert_eq!(map::slug("Bosch: Legacy"), "bosch-legacy");
    assert_eq!(map::slug("  GIRLS!! "), "girls");
    assert_eq!(map::slug("???"), "show");
    let hits = girls_search();
    let mut library = empty_library();
    let today = date(2026, 12, 1);
    let a = merge::add(
        &mut library,
        &Fetched::from_show(hits[0].show.clone()),
        &Placement::default(),
        today,
    )
    .expect("adds");
    let b = merge::add(
        &mut library,
        &Fetched::from_show(hits[1].show.clone()),
        &Placement::default(),
        today,
    )
    .expect("adds");
    assert_eq!(
        (a.show_id.as_str(), b.show_id.as_str()),
        ("girls", "girls-2")
    );
    // Each in a franchise named after it, with ids that do not collide either.
    let ids: Vec<&str> = library.franchises.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, vec!["girls", "girls-2"]);
    store::validate(&library, "").expect("a valid library");
}

#[test]
fn a_show_can_join_a_franchise_as_a_spin_off() {
    let hits = girls_search();
    let mut library = store::shipped_catalog();
    let today = date(2026, 12, 1);
    let place = Placement {
        franchise: None,
        origin: Some(("Bosch".into(), fantrack::model::OriginKind::SpinOff)),
    };
    let added = merge::add(
        &mut library,
        &Fetched::from_show(hits[2].show.clone()),
        &place,
        today,
    )
    .expect("adds");
    assert_eq!(added.franchise, "Bosch Universe");
    let (f, s) = library.find_show("derry-girls").expect("there");
    let origin = library.franchises[f].shows[s]
        .origin
        .clone()
        .expect("an origin");
    assert_eq!(origin.show, "bosch");
    store::validate(&library, "").expect("a valid library");
    let err = merge::add(
        &mut library,
        &Fetched::from_show(hits[3].show.clone()),
        &Placement {
            franchise: None,
            origin: Some(("No Such Show".into(), fantrack::model::OriginKind::Sequel)),
        },
        today,
    )
    .expect_err("no parent");
    assert!(err.contains("No Such Show"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Merging and refreshing

#[test]
fn adding_twice_leaves_one_show_and_changes_nothing() {
    let mut library = empty_library();
    let today = date(2026, 12, 1);
    let first = merge::add(&mut library, &big_bang(), &Placement::default(), today).expect("adds");
    assert!(first.new);
    let after_first = library.clone();
    let second =
        merge::add(&mut library, &big_bang(), &Placement::default(), today).expect("merges");
    assert!(!second.new);
    assert_eq!(second.changes, vec![]);
    assert_eq!(library, after_first);
    only_show(&library);
}

#[test]
fn refresh_brings_news_keeps_the_users_data_and_hand_edits() {
    let today = date(2026, 12, 1);
    let mut old = big_bang();
    old.episodes.retain(|e| e.id != 2937); // the recorded list without its last episode
    let mut library = empty_library();
    merge::add(&mut library, &old, &Placement::default(), today).expect("adds");
    {
        let show = &mut library.franchises[0].shows[0];
        let s1 = &mut show.seasons[0];
        s1.episodes[0].watched = vec![date(2020, 1, 1)];
        s1.episodes[0].notes = "the pilot".into();
        s1.episodes[0].rating = Some(4);
        s1.rating = Some(5);
        s1.episodes[2].title = Some("Fuzzy Boots (my title)".into()); // a hand edit
        show.notes = "my show".into();
        show.network = Some("CBS (US)".into()); // a hand edit
    }

    // TVmaze now: ended, a new episode, a renamed episode, a renamed network.
    let mut new = big_bang();
    new.show.status = Some("Ended".into());
    new.show.network.as_mut().expect("network").name = "CBS Television".into();
    for e in &mut new.episodes {
        if e.id == 2915 {
            e.name = Some("The Fuzzy Boots Corollary (renamed)".into());
        }
        if e.id == 2914 {
            e.name = Some("The Big Bran Hypothesis (renamed)".into());
        }
    }
    let show = &mut library.franchises[0].shows[0];
    let changes = merge::update(show, &new, today, &Default::default());
    let text: Vec<String> = changes
        .iter()
        .map(|c| format!("{:?} {}", c.kind, c.what))
        .collect();
    let has = |kind: ChangeKind, needle: &str| {
        changes
            .iter()
            .any(|c| c.kind == kind && c.what.contains(needle))
    };
    assert!(has(ChangeKind::Fact, "status running → ended"), "{text:#?}");
    assert!(
        has(ChangeKind::Fact, "TVmaze status Running → Ended"),
        "{text:#?}"
    );
    assert!(has(ChangeKind::NewSeason, "season 2"), "{text:#?}");
    assert!(
        has(
            ChangeKind::NewEpisode,
            "S02E08 \"The Lizard-Spock Expansion\""
        ),
        "{text:#?}"
    );
    assert!(has(ChangeKind::Fact, "S01E02: title"), "{text:#?}");
    assert!(
        has(ChangeKind::KeptUserEdit, "S01E03: title kept yours"),
        "{text:#?}"
    );
    assert!(
        has(ChangeKind::KeptUserEdit, "network kept yours"),
        "{text:#?}"
    );

    assert_eq!(show.status, Status::Ended);
    let event = show.events.last().expect("a timeline event");
    assert_eq!(event.kind, EventKind::Ended);
    assert_eq!(event.date, Some(today));
    assert_eq!(
        event.sources,
        vec!["http://www.tvmaze.com/shows/66/the-big-bang-theory".to_string()]
    );
    assert_eq!(show.network.as_deref(), Some("CBS (US)"));
    assert_eq!(show.notes, "my show");
    let s1 = &show.seasons[0];
    assert_eq!(s1.rating, Some(5));
    assert_eq!(s1.episodes[0].watched, vec![date(2020, 1, 1)]);
    assert_eq!(s1.episodes[0].notes, "the pilot");
    assert_eq!(s1.episodes[0].rating, Some(4));
    assert_eq!(
        s1.episodes[1].title.as_deref(),
        Some("The Big Bran Hypothesis (renamed)")
    );
    assert_eq!(
        s1.episodes[2].title.as_deref(),
        Some("Fuzzy Boots (my title)")
    );
    assert_eq!(show.seasons[1].episodes[0].number, 8);

    // Twice: nothing more, not even the "kept yours" (TVmaze did not change again).
    let before = show.clone();
    assert_eq!(
        merge::update(show, &new, today, &Default::default()),
        vec![]
    );
    assert_eq!(*show, before);
    store::validate(&library, "").expect("valid");
}

#[test]
fn refresh_keeps_what_the_user_deleted_deleted() {
    let today = date(2026, 12, 1);
    let mut library = empty_library();
    merge::add(&mut library, &big_bang(), &Placement::default(), today).expect("adds");
    let id = library.franchises[0].shows[0].id.clone();
    {
        // The user deletes season 2 and S01E03 (a put leaves these tombstones).
        let show = &mut library.franchises[0].shows[0];
        show.seasons.retain(|s| s.number != 2);
        show.seasons[0].episodes.retain(|e| e.number != 3);
    }
    library.removed.insert(format!("season:{id}/2"));
    library.removed.insert(format!("episode:{id}/1/3"));
    let before = library.clone();

    let reports = tvmaze::refresh::apply(&mut library, &[big_bang()], today);
    let changes = &reports[0].changes;
    let text: Vec<String> = changes
        .iter()
        .map(|c| format!("{:?} {}", c.kind, c.what))
        .collect();
    assert_eq!(
        text,
        [
            "KeptDeleted The Big Bang Theory S01E03: kept deleted",
            "KeptDeleted The Big Bang Theory season 2: kept deleted",
        ],
        "one line per deleted episode, one per deleted season"
    );
    assert_eq!(library, before, "nothing came back");
}

#[test]
fn a_value_tvmaze_drops_is_kept_and_new_specials_come_in() {
    let today = date(2026, 12, 1);
    let mut fetched = true_detective();
    let special = fetched.episodes.pop().expect("the special");
    let mut library = empty_library();
    merge::add(&mut library, &fetched, &Placement::default(), today).expect("adds");
    fetched.episodes.push(special);
    fetched.episodes[0].airdate = Some(String::new()); // TVmaze no longer gives a date
    let show = &mut library.franchises[0].shows[0];
    let changes = merge::update(show, &fetched, today, &Default::default());
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].kind, ChangeKind::NewEpisode);
    assert!(
        changes[0]
            .what
            .contains("season 1 special 1 \"Making True Detective\"")
    );
    assert_eq!(
        show.seasons[0].episodes[0].air_date,
        Some(date(2014, 1, 12))
    );
    assert_eq!(show.seasons[0].specials.len(), 1);
    assert_eq!(
        merge::update(show, &fetched, today, &Default::default()),
        vec![]
    );
}

#[test]
fn upcoming_lists_known_dates_from_today_soonest_first() {
    let today = date(2026, 12, 1);
    let mut library = empty_library();
    merge::add(
        &mut library,
        &true_detective(),
        &Placement::default(),
        today,
    )
    .expect("adds");
    let show = &mut library.franchises[0].shows[0];
    show.network = Some("HBO".into());
    show.seasons[0].episodes[4].air_date = Some(date(2026, 12, 20));
    show.seasons[0].episodes[3].air_date = Some(date(2026, 12, 3));
    show.seasons[0].specials[0].air_date = Some(today);
    let all = merge::upcoming(&library, today, None);
    let codes: Vec<(String, String)> = all
        .iter()
        .map(|u| (u.date.to_string(), u.code.clone()))
        .collect();
    assert_eq!(
        codes,
        vec![
            ("2026-12-01".into(), "S01 special 1".into()),
            ("2026-12-03".into(), "S01E04".into()),
            ("2026-12-20".into(), "S01E05".into()),
        ]
    );
    assert_eq!(all[1].network.as_deref(), Some("HBO"));
    assert_eq!(merge::upcoming(&library, today, Some(7)).len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Bad input

#[test]
fn bad_input_gets_one_clear_line() {
    let parse = |text: &str| json::parse_saved(text).err().unwrap_or_default();
    assert!(
        parse("<!DOCTYPE html><html><body>502 Bad Gateway</body></html>").contains("HTML page")
    );
    let full = read("big-bang-theory-embed-episodes.json");
    assert!(parse(&full[..full.len() / 2]).contains("truncated JSON"));
    assert!(parse("{\"hello\": 1}").contains("not a TVmaze show"));
    assert!(parse("[{\"hello\": 1}]").contains("not a TVmaze episode list"));
    assert!(parse("").contains("empty"));
    assert!(parse("nonsense").contains("not JSON"));
    for text in ["<html>", "{\"hello\": 1}", &full[..100]] {
        assert!(!parse(text).contains('\n'), "one line: {}", parse(text));
    }
}

// ---------------------------------------------------------------------------------------------
// The real binary

struct Home {
    dir: TempDir,
    file: PathBuf,
}

fn home() -> Home {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("lib/library.ron");
    Home { dir, file }
}

impl Home {
    fn run(&self, url: &str, args: &[&str]) -> Output {
        Command::new(BIN)
            .arg("--file")
            .arg(&self.file)
            .args(args)
            .env_remove(store::FILE_ENV)
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join(".config"))
            .env("FANTRACK_CACHE_DIR", self.dir.path().join("cache"))
            .env(tvmaze::URL_ENV, url)
            .output()
            .expect("runs")
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        fs::write(&path, text).expect("writes");
        path
    }

    fn library(&self) -> Library {
        store::load(&self.file).expect("loads")
    }

    fn bytes(&self) -> Vec<u8> {
        fs::read(&self.file).expect("reads")
    }

    /// Files beside the library other than the library, its backup and its lock.
    fn strays(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.file.parent().expect("dir"))
            .expect("lists")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| {
                !["library.ron", "library.ron.bak", "library.ron.lock"].contains(&n.as_str())
            })
            .collect();
        names.sort();
        names
    }
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn fails(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(1),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A reply of the local server.
#[derive(Clone)]
struct Reply {
    status: u16,
    body: String,
    retry_after: Option<u32>,
}

fn reply(body: &str) -> Reply {
    Reply {
        status: 200,
        body: body.to_string(),
        retry_after: None,
    }
}

/// A local TVmaze: each path (with its query) has a queue of replies; the last one repeats.
/// Unknown paths are 404s. Every request is recorded with its User-Agent.
struct Server {
    url: String,
    routes: Arc<Mutex<HashMap<String, VecDeque<Reply>>>>,
    seen: Arc<Mutex<Vec<(String, String)>>>,
}

impl Server {
    fn start() -> Server {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("binds");
        let port = server.server_addr().to_ip().expect("an ip address").port();
        let routes: Arc<Mutex<HashMap<String, VecDeque<Reply>>>> = Arc::default();
        let seen: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
        let (r, s) = (routes.clone(), seen.clone());
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let url = request.url().to_string();
                let agent = request
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv("User-Agent"))
                    .map(|h| h.value.to_string())
                    .unwrap_or_default();
                s.lock().expect("lock").push((url.clone(), agent));
                let reply = {
                    let mut routes = r.lock().expect("lock");
                    match routes.get_mut(&url) {
                        Some(queue) if queue.len() > 1 => queue.pop_front(),
                        Some(queue) => queue.front().cloned(),
                        None => None,
                    }
                }
                .unwrap_or(Reply {
                    status: 404,
                    body: "{\"name\":\"Not Found\",\"status\":404}".into(),
                    retry_after: None,
                });
                let mut response =
                    tiny_http::Response::from_string(reply.body).with_status_code(reply.status);
                if let Some(secs) = reply.retry_after
                    && let Ok(h) = tiny_http::Header::from_bytes("Retry-After", secs.to_string())
                {
                    response.add_header(h);
                }
                let _ = request.respond(response);
            }
        });
        Server {
            url: format!("http://127.0.0.1:{port}"),
            routes,
            seen,
        }
    }

    fn route(&self, path: &str, replies: Vec<Reply>) {
        self.routes
            .lock()
            .expect("lock")
            .insert(path.to_string(), replies.into());
    }

    fn hits(&self, path: &str) -> usize {
        self.seen
            .lock()
            .expect("lock")
            .iter()
            .filter(|(p, _)| p == path)
            .count()
    }
}

fn to_json(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).expect("serializes")
}

#[test]
fn online_add_pick_refresh_end_to_end() {
    let server = Server::start();
    let h = home();
    let search = read("search-girls.json");
    let hits: serde_json::Value = serde_json::from_str(&search).expect("json");
    server.route("/search/shows?q=girls", vec![reply(&search)]);
    // GIRLS (41734): the show as the search gave it; TVmaze lists no episode for it (no
    // previous or next episode). The episode list answers 429 once first.
    let girls = to_json(&hits[1]["show"]);
    server.route("/shows/41734?embed=cast", vec![reply(&girls)]);
    server.route(
        "/shows/41734/episodes?specials=1",
        vec![
            Reply {
                status: 429,
                body: String::new(),
                retry_after: Some(1),
            },
            reply("[]"),
        ],
    );

    // Several candidates and no terminal: the list and how to choose, nothing written.
    ok(&h.run(&server.url, &["list"]));
    let before = h.bytes();
    let err = fails(&h.run(&server.url, &["add", "--tvmaze", "girls"]));
    assert!(err.contains("1. Girls (2012, HBO, Ended)"), "{err}");
    assert!(
        err.contains("4. Shining Girls (2022, Apple TV+, In Development)"),
        "{err}"
    );
    assert!(err.contains("--pick N"), "{err}");
    let err = fails(&h.run(&server.url, &["add", "--tvmaze", "girls", "--yes"]));
    assert!(err.contains("--pick N"), "{err}");
    assert_eq!(h.bytes(), before);

    // --pick: fetched through the 429, spaced and retried once.
    let out = ok(&h.run(&server.url, &["add", "--tvmaze", "girls", "--pick", "2"]));
    assert!(out.contains("added \"GIRLS\" (girls)"), "{out}");
    assert!(out.contains("TVmaze (CC BY-SA 4.0)"), "{out}");
    assert_eq!(server.hits("/shows/41734/episodes?specials=1"), 2);
    let agents: Vec<String> = server
        .seen
        .lock()
        .expect("lock")
        .iter()
        .map(|(_, a)| a.clone())
        .collect();
    assert!(
        agents
            .iter()
            .all(|a| a.starts_with(&format!("fantrack/{}", env!("CARGO_PKG_VERSION")))),
        "{agents:?}"
    );

    // The same show from a saved file is the same show.
    let other = home();
    let saved = other.write("girls.json", &girls);
    ok(&other.run(
        "http://127.0.0.1:1",
        &["add", "--tvmaze-file", saved.to_str().expect("utf-8")],
    ));
    let online_show = h.library().franchises.last().expect("franchise").shows[0].clone();
    let file_show = other.library().franchises.last().expect("franchise").shows[0].clone();
    assert_eq!(online_show, file_show);

    // The Big Bang Theory from a saved file (its recorded list without the last episode),
    // then watched and annotated.
    let mut doc: serde_json::Value =
        serde_json::from_str(&read("big-bang-theory-embed-episodes.json")).expect("json");
    let all_episodes = doc["_embedded"]["episodes"].clone();
    let mut first = all_episodes.clone();
    first.as_array_mut().expect("list").pop();
    doc["_embedded"]["episodes"] = first;
    let file = h.write("bbt.json", &to_json(&doc));
    ok(&h.run(
        "http://127.0.0.1:1",
        &["add", "--tvmaze-file", file.to_str().expect("utf-8")],
    ));
    ok(&h.run(
        "http://127.0.0.1:1",
        &[
            "watch",
            "the-big-bang-theory",
            "S01E02",
            "--date",
            "2024-05-01",
        ],
    ));
    let mut library = h.library();
    let (f, s) = library.find_show("the-big-bang-theory").expect("there");
    library.franchises[f].shows[s].seasons[0].episodes[0].notes = "Penny!".into();
    store::save(&h.file, &library).expect("saves");
    // Derry Girls from a saved file too; the server does not know it (404).
    let derry = h.write("derry.json", &to_json(&hits[2]["show"]));
    ok(&h.run(
        "http://127.0.0.1:1",
        &["add", "--tvmaze-file", derry.to_str().expect("utf-8")],
    ));

    // TVmaze now: The Big Bang Theory has ended and has one more episode.
    let mut now = doc.clone();
    now["status"] = "Ended".into();
    now.as_object_mut().expect("object").remove("_embedded");
    server.route("/shows/66?embed=cast", vec![reply(&to_json(&now))]);
    server.route(
        "/shows/66/episodes?specials=1",
        vec![reply(&to_json(&all_episodes))],
    );

    let out = h.run(&server.url, &["refresh"]);
    let err = fails(&out);
    assert!(err.contains("no TVmaze show with id 33320"), "{err}");
    assert!(err.contains("fetching 3/3"), "progress on stderr: {err}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("GIRLS: up to date"), "{stdout}");
    assert!(
        stdout.contains("S02E08 \"The Lizard-Spock Expansion\" (new episode)"),
        "{stdout}"
    );
    assert!(stdout.contains("status running → ended"), "{stdout}");
    let library = h.library();
    let (f, s) = library.find_show("the-big-bang-theory").expect("there");
    let show = &library.franchises[f].shows[s];
    assert_eq!(show.status, Status::Ended);
    assert_eq!(show.events.len(), 1);
    assert_eq!(show.events[0].date, Some(today()));
    assert_eq!(show.seasons[0].episodes[0].notes, "Penny!");
    assert_eq!(show.seasons[0].episodes[1].watched, vec![date(2024, 5, 1)]);
    assert_eq!(
        show.seasons[1].episodes[0].title.as_deref(),
        Some("The Lizard-Spock Expansion")
    );
    // One library, one of each show.
    let count = |id: u64| {
        library
            .franchises
            .iter()
            .flat_map(|f| &f.shows)
            .filter(|s| s.ids.tvmaze == Some(id))
            .count()
    };
    assert_eq!((count(66), count(41734), count(33320)), (1, 1, 1));

    // Refresh twice: the second changes nothing, and the file is not even rewritten.
    let before = h.bytes();
    let out = ok(&h.run(&server.url, &["refresh", "the-big-bang-theory", "GIRLS"]));
    assert!(out.contains("The Big Bang Theory: up to date"), "{out}");
    assert_eq!(h.bytes(), before);

    // Adding it again online finds it by its TVmaze id.
    server.route(
        "/search/shows?q=the+big+bang+theory",
        vec![reply(&format!("[{{\"show\": {}}}]", to_json(&now)))],
    );
    let out = ok(&h.run(&server.url, &["add", "--tvmaze", "the big bang theory"]));
    assert!(out.contains("already here and up to date"), "{out}");
    assert_eq!(h.bytes(), before);
    assert_eq!(h.strays(), Vec::<String>::new());
}

#[test]
fn a_show_id_that_does_not_exist_and_no_network_change_nothing() {
    let server = Server::start();
    let h = home();
    ok(&h.run(&server.url, &["list"]));
    let search = read("search-girls.json");
    server.route("/search/shows?q=girls", vec![reply(&search)]);
    let before = h.bytes();
    // The search finds it, but TVmaze has no such show (404).
    let err = fails(&h.run(&server.url, &["add", "--tvmaze", "girls", "--pick", "1"]));
    assert!(err.contains("no TVmaze show with id 139"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    // Nothing listens: say so, and offer the file.
    let err = fails(&h.run("http://127.0.0.1:1", &["add", "--tvmaze", "girls"]));
    assert!(err.contains("cannot reach TVmaze"), "{err}");
    assert!(err.contains("--tvmaze-file"), "{err}");
    // Nothing matches.
    server.route("/search/shows?q=zzz", vec![reply("[]")]);
    let err = fails(&h.run(&server.url, &["add", "--tvmaze", "zzz"]));
    assert!(err.contains("no show matching \"zzz\""), "{err}");
    // An HTML error page instead of the API.
    server.route(
        "/search/shows?q=html",
        vec![reply("<html><body>Service Unavailable</body></html>")],
    );
    let err = fails(&h.run(&server.url, &["add", "--tvmaze", "html"]));
    assert!(err.contains("HTML page"), "{err}");
    assert_eq!(h.bytes(), before);
    assert_eq!(h.strays(), Vec::<String>::new());
}

#[test]
fn bad_files_change_nothing_through_the_binary() {
    let h = home();
    ok(&h.run("http://127.0.0.1:1", &["list"]));
    let before = h.bytes();
    let full = read("big-bang-theory-embed-episodes.json");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "error.html",
            b"<!DOCTYPE html>\n<html><head><title>502</title></head></html>".to_vec(),
            "HTML page",
        ),
        (
            "cut.json",
            full.as_bytes()[..full.len() / 3].to_vec(),
            "truncated JSON",
        ),
        (
            "other.json",
            b"{\"kind\": \"youtube#video\", \"items\": []}".to_vec(),
            "not a TVmaze show",
        ),
        ("empty.json", Vec::new(), "empty"),
        ("binary.json", vec![0xff, 0xfe, 0x00, 0x7b], "not UTF-8"),
        (
            "episodes.json",
            read("true-detective-s1-episodes-with-special.json").into_bytes(),
            "--show",
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = h.dir.path().join(name);
        fs::write(&path, bytes).expect("writes");
        let err = fails(&h.run(
            "http://127.0.0.1:1",
            &["add", "--tvmaze-file", path.to_str().expect("utf-8")],
        ));
        assert!(err.starts_with("fantrack: "), "{name}: {err}");
        assert!(err.contains(expected), "{name}: {err}");
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert_eq!(h.bytes(), before, "{name}: the library is untouched");
    }
    assert_eq!(h.strays(), Vec::<String>::new());
    // A missing file.
    let err = fails(&h.run(
        "http://127.0.0.1:1",
        &["add", "--tvmaze-file", "/nonexistent/x.json"],
    ));
    assert!(err.contains("/nonexistent/x.json"), "{err}");
    // Usage errors are exit 2.
    let out = h.run("http://127.0.0.1:1", &["add"]);
    assert_eq!(out.status.code(), Some(2));
    let out = h.run(
        "http://127.0.0.1:1",
        &[
            "add",
            "--tvmaze",
            "x",
            "--spin-off-of",
            "a",
            "--sequel-of",
            "b",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn stdin_and_an_episode_list_with_its_show_give_the_same_show() {
    let h = home();
    // The saved show document, read from stdin.
    let mut child = Command::new(BIN)
        .arg("--file")
        .arg(&h.file)
        .args(["add", "--tvmaze-file", "-"])
        .env_remove(store::FILE_ENV)
        .env("HOME", h.dir.path())
        .env("XDG_CONFIG_HOME", h.dir.path().join(".config"))
        .env("FANTRACK_CACHE_DIR", h.dir.path().join("cache"))
        .env(tvmaze::URL_ENV, "http://127.0.0.1:1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawns");
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(read("big-bang-theory-embed-episodes.json").as_bytes())
            .expect("writes");
    }
    let out = child.wait_with_output().expect("waits");
    ok(&out);
    // The same as an episode list plus the show (the recorded document split in two).
    let doc: serde_json::Value =
        serde_json::from_str(&read("big-bang-theory-embed-episodes.json")).expect("json");
    let mut show = doc.clone();
    show.as_object_mut().expect("object").remove("_embedded");
    let other = home();
    let episodes = other.write("episodes.json", &to_json(&doc["_embedded"]["episodes"]));
    let show = other.write("show.json", &to_json(&show));
    ok(&other.run(
        "http://127.0.0.1:1",
        &[
            "add",
            "--tvmaze-file",
            episodes.to_str().expect("utf-8"),
            "--show",
            show.to_str().expect("utf-8"),
        ],
    ));
    let a = h.library();
    let b = other.library();
    assert_eq!(a.franchises.last(), b.franchises.last());
    assert_eq!(a.franchises.last().expect("one").shows[0].seasons.len(), 2);
}

#[test]
fn upcoming_through_the_binary() {
    let h = home();
    ok(&h.run(
        "http://127.0.0.1:1",
        &[
            "add",
            "--tvmaze-file",
            data("big-bang-theory-embed-episodes.json")
                .to_str()
                .expect("utf-8"),
        ],
    ));
    let out = ok(&h.run("http://127.0.0.1:1", &["upcoming"]));
    assert!(out.contains("no episode with a known air date"), "{out}");
    let mut library = h.library();
    let (f, s) = library.find_show("the-big-bang-theory").expect("there");
    let soon = today()
        .checked_add(jiff::Span::new().days(2))
        .expect("a date");
    let later = today()
        .checked_add(jiff::Span::new().days(30))
        .expect("a date");
    let show = &mut library.franchises[f].shows[s];
    show.seasons[0].episodes[2].air_date = Some(later);
    show.seasons[0].episodes[1].air_date = Some(soon);
    store::save(&h.file, &library).expect("saves");
    let out = ok(&h.run("http://127.0.0.1:1", &["upcoming", "--days", "7"]));
    assert_eq!(
        out,
        format!("{soon}  The Big Bang Theory  S01E02  The Big Bran Hypothesis  (CBS)\n")
    );
    let out = ok(&h.run("http://127.0.0.1:1", &["upcoming"]));
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(
        out.lines()
            .next()
            .expect("a line")
            .starts_with(&soon.to_string()),
        "{out}"
    );
}

#[test]
fn a_franchise_and_an_origin_place_the_new_show() {
    let h = home();
    let hits: serde_json::Value = serde_json::from_str(&read("search-girls.json")).expect("json");
    let derry = h.write("derry.json", &to_json(&hits[2]["show"]));
    let derry = derry.to_str().expect("utf-8");
    let out = ok(&h.run(
        "http://127.0.0.1:1",
        &[
            "add",
            "--tvmaze-file",
            derry,
            "--franchise",
            "bosch universe",
            "--spin-off-of",
            "Ballard",
        ],
    ));
    assert!(out.contains("to the franchise \"Bosch Universe\""), "{out}");
    let list = ok(&h.run("http://127.0.0.1:1", &["list"]));
    let ballard = list
        .lines()
        .position(|l| l.contains("Ballard"))
        .expect("Ballard listed");
    let line = list
        .lines()
        .skip(ballard)
        .find(|l| l.contains("Derry Girls"))
        .expect("Derry Girls listed after Ballard");
    assert!(line.contains("spin-off"), "{list}");
    ok(&h.run("http://127.0.0.1:1", &["check"]));

    // A franchise no one has yet is made; the parent must be in the franchise named.
    let girls = h.write("girls.json", &to_json(&hits[0]["show"]));
    let girls = girls.to_str().expect("utf-8");
    let before = h.bytes();
    let err = fails(&h.run(
        "http://127.0.0.1:1",
        &[
            "add",
            "--tvmaze-file",
            girls,
            "--franchise",
            "HBO comedies",
            "--sequel-of",
            "bosch",
        ],
    ));
    assert!(err.contains("\"bosch\" is in \"Bosch Universe\""), "{err}");
    assert_eq!(h.bytes(), before);
    let out = ok(&h.run(
        "http://127.0.0.1:1",
        &["add", "--tvmaze-file", girls, "--franchise", "HBO comedies"],
    ));
    assert!(out.contains("to the franchise \"HBO comedies\""), "{out}");
    let library = h.library();
    let f = library.franchises.last().expect("a franchise");
    assert_eq!(
        (f.id.as_str(), f.shows[0].id.as_str()),
        ("hbo-comedies", "girls")
    );
}
