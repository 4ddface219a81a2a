//! The shipped catalog (`assets/bosch-universe.ron`) agrees with the reference data it was
//! transcribed from (`shared/data/bosch-universe.md`): every episode's title and air date, the
//! season and episode counts, and the form of every source address.

use std::collections::BTreeSet;
use std::path::Path;

use fantrack::model::{Library, Show};
use jiff::civil::Date;

const CATALOG: &str = include_str!("../assets/bosch-universe.ron");

/// The reference data in the shared folder, or the copy kept with the tests when the crate is
/// built outside the workspace.
const SHARED_DATA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/bosch-universe.md"
);
const LOCAL_DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/bosch-universe.md");

fn catalog() -> Library {
    ron::from_str(CATALOG).unwrap_or_else(|e| panic!("the shipped catalog does not parse: {e}"))
}

fn data() -> String {
    let path = if Path::new(SHARED_DATA).exists() {
        SHARED_DATA
    } else {
        LOCAL_DATA
    };
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// One row of a section 5 episode table.
#[derive(Debug)]
struct Row {
    number: u32,
    title: String,
    release: String,
    directed_by: String,
    written_by: String,
}

/// One `### <Show>: Season N` table of section 5.
#[derive(Debug)]
struct Table {
    show: String,
    season: u32,
    rows: Vec<Row>,
}

/// The text of `## <number>. ...` up to the next `## ` heading.
fn section<'a>(md: &'a str, number: &str) -> &'a str {
    let start = md
        .find(&format!("\n## {number}. "))
        .unwrap_or_else(|| panic!("the data file has no section {number}"));
    let body = &md[start + 1..];
    let end = body[3..].find("\n## ").map_or(body.len(), |i| i + 3);
    &body[..end]
}

fn cells(line: &str) -> Vec<String> {
    line.trim()
        .trim_start_matches('|')
        .trim_end_matches('|')
        .split('|')
        .map(|c| c.trim().to_string())
        .collect()
}

fn episode_tables(md: &str) -> Vec<Table> {
    let mut tables: Vec<Table> = Vec::new();
    for line in section(md, "5").lines() {
        if let Some(heading) = line.strip_prefix("### ") {
            let (show, rest) = heading
                .rsplit_once(": Season ")
                .unwrap_or_else(|| panic!("unexpected heading in section 5: {line}"));
            let season = rest
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("no season number in heading: {line}"));
            tables.push(Table {
                show: show.to_string(),
                season,
                rows: Vec::new(),
            });
            continue;
        }
        if !line.starts_with('|') || line.starts_with("|---") || line.starts_with("| # ") {
            continue;
        }
        let table = tables
            .last_mut()
            .unwrap_or_else(|| panic!("table row before any season heading: {line}"));
        let c = cells(line);
        assert_eq!(
            c.len(),
            7,
            "{} season {}: row should have 7 cells: {line}",
            table.show,
            table.season
        );
        table.rows.push(Row {
            number: c[0].parse().unwrap_or_else(|_| {
                panic!(
                    "{} season {}: bad episode number: {line}",
                    table.show, table.season
                )
            }),
            title: c[1].clone(),
            release: c[2].clone(),
            directed_by: c[3].clone(),
            written_by: c[4].clone(),
        });
    }
    tables
}

/// The first `YYYY-MM-DD` in `text`.
fn first_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let s = &b[i..i + 10];
        let shape = s.iter().enumerate().all(|(j, ch)| match j {
            4 | 7 => *ch == b'-',
            _ => ch.is_ascii_digit(),
        });
        if shape {
            text[i..i + 10].parse().ok()
        } else {
            None
        }
    })
}

fn known(cell: &str) -> Option<&str> {
    (cell != "unknown").then_some(cell)
}

fn show_by_title<'a>(lib: &'a Library, title: &str) -> &'a Show {
    lib.franchises
        .iter()
        .flat_map(|f| &f.shows)
        .find(|s| s.title == title)
        .unwrap_or_else(|| panic!("the catalog has no show titled {title:?}"))
}

#[test]
fn every_episode_matches_the_data_file() {
    let lib = catalog();
    let tables = episode_tables(&data());
    assert!(!tables.is_empty(), "no episode tables found in section 5");

    let mut checked = 0;
    for table in &tables {
        let show = show_by_title(&lib, &table.show);
        let where_ = format!("{} season {}", table.show, table.season);
        let Some(season) = show.season(table.season) else {
            assert!(
                table.rows.is_empty(),
                "{where_}: the data lists episodes but the catalog has no such season"
            );
            continue;
        };
        assert_eq!(
            season.episodes.len(),
            table.rows.len(),
            "{where_}: episode count differs from the data file"
        );
        for row in &table.rows {
            let at = format!("{where_} episode {}", row.number);
            let ep = season
                .episode(row.number)
                .unwrap_or_else(|| panic!("{at}: missing from the catalog"));
            assert_eq!(ep.title.as_deref(), known(&row.title), "{at}: title");
            let date = first_date(&row.release).unwrap_or_else(|| {
                panic!("{at}: no date in the data's release cell {:?}", row.release)
            });
            assert_eq!(ep.air_date, Some(date), "{at}: air date");
            assert_eq!(
                ep.directed_by.as_deref(),
                known(&row.directed_by),
                "{at}: directed by"
            );
            assert_eq!(
                ep.written_by.as_deref(),
                known(&row.written_by),
                "{at}: written by"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 108, "episodes checked against the data file");

    // Nothing in the catalog that the data file does not list.
    for show in lib.franchises.iter().flat_map(|f| &f.shows) {
        for season in &show.seasons {
            assert!(
                tables.iter().any(|t| t.show == show.title
                    && t.season == season.number
                    && !t.rows.is_empty()),
                "{} season {}: in the catalog but has no episode table in the data file",
                show.title,
                season.number
            );
        }
    }
}

#[test]
fn season_and_episode_counts() {
    let lib = catalog();
    let expected = [
        ("bosch", 7, 68),
        ("bosch-legacy", 3, 30),
        ("ballard", 1, 10),
        ("bosch-start-of-watch", 0, 0),
    ];
    let shows: Vec<&Show> = lib
        .franchises
        .iter()
        .flat_map(|f| &f.shows)
        .map(|s| &**s)
        .collect();
    assert_eq!(
        shows.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        expected.iter().map(|e| e.0).collect::<Vec<_>>(),
        "shows and their order"
    );
    for (id, seasons, episodes) in expected {
        let show = shows.iter().find(|s| s.id == id).unwrap();
        assert_eq!(show.seasons.len(), seasons, "{}: seasons", show.title);
        assert_eq!(show.progress().total, episodes, "{}: episodes", show.title);
        for (i, season) in show.seasons.iter().enumerate() {
            assert_eq!(
                season.number,
                i as u32 + 1,
                "{}: season numbering",
                show.title
            );
            for (j, ep) in season.episodes.iter().enumerate() {
                assert_eq!(
                    ep.number,
                    j as u32 + 1,
                    "{} season {}: episode numbering",
                    show.title,
                    season.number
                );
            }
        }
    }
    assert_eq!(lib.progress().total, 108);
}

#[test]
fn every_aired_episode_has_an_air_date() {
    let lib = catalog();
    for show in lib.franchises.iter().flat_map(|f| &f.shows) {
        for (season, ep) in show.episodes() {
            assert!(
                ep.air_date.is_some(),
                "{} season {season} episode {}: no air date",
                show.title,
                ep.number
            );
        }
    }
}

#[test]
fn the_shipped_catalog_has_no_personal_data() {
    let lib = catalog();
    assert!(lib.franchises.iter().all(|f| f.notes.is_empty()));
    for show in lib.franchises.iter().flat_map(|f| &f.shows) {
        assert!(show.notes.is_empty(), "{}: notes", show.title);
        for season in &show.seasons {
            let at = format!("{} season {}", show.title, season.number);
            assert!(
                season.rating.is_none() && season.notes.is_empty(),
                "{at}: rating or notes"
            );
            for ep in &season.episodes {
                assert!(
                    ep.watched.is_empty() && ep.rating.is_none() && ep.notes.is_empty(),
                    "{at} episode {}: watched, rating or notes",
                    ep.number
                );
            }
        }
    }
}

/// Every source address in the catalog, with where it was found.
fn all_sources(lib: &Library) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    for show in lib.franchises.iter().flat_map(|f| &f.shows) {
        for (fact, urls) in &show.sources {
            out.extend(
                urls.iter()
                    .map(|u| (format!("{}: {fact} sources", show.title), u.as_str())),
            );
        }
        for (i, ev) in show.events.iter().enumerate() {
            out.extend(ev.sources.iter().map(|u| {
                (
                    format!("{}: event {} ({})", show.title, i + 1, ev.what),
                    u.as_str(),
                )
            }));
        }
        for season in &show.seasons {
            let at = format!("{} season {}", show.title, season.number);
            out.extend(season.sources.iter().map(|u| (at.clone(), u.as_str())));
            for ep in &season.episodes {
                out.extend(
                    ep.sources
                        .iter()
                        .map(|u| (format!("{at} episode {}", ep.number), u.as_str())),
                );
            }
        }
    }
    out
}

fn well_formed(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !url.chars().any(char::is_whitespace)
        && host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
}

#[test]
fn every_source_address_is_well_formed_and_from_the_data_file() {
    let lib = catalog();
    let md = data();
    let listed: BTreeSet<&str> = section(&md, "6")
        .split_whitespace()
        .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
        .collect();
    let sources = all_sources(&lib);
    assert!(sources.len() > 100, "the catalog should keep its sources");
    for (at, url) in sources {
        assert!(well_formed(url), "{at}: malformed source address {url:?}");
        assert!(
            listed.contains(url),
            "{at}: {url} is not in the data file's source list"
        );
    }
}
