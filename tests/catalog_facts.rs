//! The shipped catalog (`assets/bosch-universe.ron`) agrees with the reference data it was
//! transcribed from (`shared/data/bosch-universe.md`): every episode's title, air date, credits,
//! runtime and sources, the season and episode counts, the dated renewals and announcements, the
//! cast, the shows near the franchise, and the form of every source address.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fantrack::model::{Episode, Library, Show};
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
    source: String,
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

/// The heading of section 5's runtime table, which is not a season's episode list.
const RUNTIMES: &str = "### Episode runtimes";

/// Section 5 up to its runtime table.
fn episode_lists(md: &str) -> &str {
    let five = section(md, "5");
    five.find(RUNTIMES).map_or(five, |i| &five[..i])
}

fn episode_tables(md: &str) -> Vec<Table> {
    let mut tables: Vec<Table> = Vec::new();
    for line in episode_lists(md).lines() {
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
            source: c[6].clone(),
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

/// Section 6: each `[S#]` with the addresses on its line (a few lines hold two).
fn source_list(md: &str) -> BTreeMap<String, Vec<String>> {
    section(md, "6")
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("- [")?;
            let (id, text) = rest.split_once(']')?;
            let urls = text
                .split_whitespace()
                .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
                .map(str::to_string)
                .collect();
            Some((id.to_string(), urls))
        })
        .collect()
}

/// The `[S#]` ids cited in `text`, in order.
fn cited(text: &str) -> Vec<String> {
    text.split('[')
        .skip(1)
        .filter_map(|part| {
            let id = part.split(']').next()?;
            (id.starts_with('S') && id[1..].chars().all(|c| c.is_ascii_digit()) && id.len() > 1)
                .then(|| id.to_string())
        })
        .collect()
}

/// Asserts `sources` holds an address of every source in `ids`.
fn assert_cites(
    sources: &[String],
    ids: &[String],
    list: &BTreeMap<String, Vec<String>>,
    at: &str,
) {
    for id in ids {
        let urls = list
            .get(id)
            .unwrap_or_else(|| panic!("{at}: [{id}] is not in the data file's source list"));
        assert!(
            urls.iter().any(|u| sources.contains(u)),
            "{at}: should cite [{id}] ({urls:?}), has {sources:?}"
        );
    }
}

/// The rows of the markdown table that follows `heading` (a `### ` line) in `md`.
fn table_after(md: &str, heading: &str) -> Vec<Vec<String>> {
    let start = md
        .find(heading)
        .unwrap_or_else(|| panic!("the data file has no {heading:?}"));
    md[start..]
        .lines()
        .skip(1)
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2) // the header and its rule
        .map(cells)
        .collect()
}

fn episode<'a>(lib: &'a Library, show: &str, season: u32, number: u32) -> &'a Episode {
    show_by_title(lib, show)
        .season(season)
        .and_then(|s| s.episode(number))
        .unwrap_or_else(|| panic!("the catalog has no {show} season {season} episode {number}"))
}

#[test]
fn every_episode_cites_its_sources() {
    let lib = catalog();
    let md = data();
    let list = source_list(&md);
    for table in episode_tables(&md) {
        for row in &table.rows {
            let at = format!(
                "{} season {} episode {}",
                table.show, table.season, row.number
            );
            // An unknown title's sources back only an unconfirmed lead, which is not shipped.
            if known(&row.title).is_none() {
                continue;
            }
            // Parts labelled with a quoted spelling (`"Van": [S128]`) cite a rejected value;
            // every other part (including `writers: [S182]`, a conflicting credit) is kept.
            let kept: Vec<String> = row
                .source
                .split(';')
                .filter(|part| !part.trim_start().starts_with('"'))
                .flat_map(cited)
                .collect();
            let ep = episode(&lib, &table.show, table.season, row.number);
            assert_cites(&ep.sources, &kept, &list, &at);
        }
    }
    // The writer-credit conflict on Bosch S5E1: the settled credit, the conflicting source kept.
    let ep = episode(&lib, "Bosch", 5, 1);
    assert_eq!(ep.written_by.as_deref(), Some("Daniel Pyne"));
    assert_cites(
        &ep.sources,
        &["S182".into()],
        &list,
        "Bosch S5E1 (writer conflict)",
    );
}

#[test]
fn runtimes_are_exactly_the_data_files() {
    let lib = catalog();
    let md = data();
    let list = source_list(&md);
    let mut known_runtimes = BTreeMap::new();
    for c in table_after(&md, RUNTIMES) {
        assert_eq!(c.len(), 5, "runtime row should have 5 cells: {c:?}");
        let parse = |i: usize| -> u32 {
            c[i].parse()
                .unwrap_or_else(|_| panic!("runtime row: bad number {:?}", c[i]))
        };
        let key = (c[0].clone(), parse(1), parse(2));
        let at = format!("{} season {} episode {}", key.0, key.1, key.2);
        let ep = episode(&lib, &key.0, key.1, key.2);
        assert_eq!(ep.runtime, Some(parse(3)), "{at}: runtime");
        assert_cites(&ep.sources, &cited(&c[4]), &list, &format!("{at} runtime"));
        known_runtimes.insert(key, parse(3));
    }
    assert_eq!(known_runtimes.len(), 11, "runtimes in the data file");
    // Every other runtime stays unknown.
    for show in lib.franchises.iter().flat_map(|f| &f.shows) {
        for (season, ep) in show.episodes() {
            let key = (show.title.clone(), season, ep.number);
            assert_eq!(
                ep.runtime,
                known_runtimes.get(&key).copied(),
                "{} season {season} episode {}: runtime",
                show.title,
                ep.number
            );
        }
    }
}

#[test]
fn every_dated_renewal_and_announcement_is_a_sourced_event() {
    let lib = catalog();
    let md = data();
    let list = source_list(&md);
    let mut checked = 0;
    for c in table_after(&md, "### 1b. ") {
        assert_eq!(c.len(), 4, "section 1b row should have 4 cells: {c:?}");
        // Only a day the data gives as the date (or "as of" it); a vaguer one is a `when`.
        let day = c[2].strip_prefix("as of ").unwrap_or(&c[2]);
        let Ok(date) = day.parse::<Date>() else {
            continue;
        };
        let show = show_by_title(&lib, &c[0]);
        let at = format!("{}: {} ({date})", c[0], c[1]);
        let event = show
            .events
            .iter()
            .find(|e| e.date == Some(date))
            .unwrap_or_else(|| panic!("{at}: no event on that day"));
        assert_cites(&event.sources, &cited(&c[3]), &list, &at);
        checked += 1;
    }
    assert!(checked >= 9, "dated rows checked: {checked}");
    // The season 6 renewal, unknown in version 1 of the catalog.
    let bosch = show_by_title(&lib, "Bosch");
    assert!(
        bosch
            .events
            .iter()
            .all(|e| !(e.what.contains("season 6") && e.date.is_none())),
        "Bosch's season 6 renewal has a date now"
    );
}

/// Names written as `Name as Character` in `text` (a run of capitalised words before " as ").
fn actors_named_as(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut before = String::new();
    while let Some(i) = rest.find(" as ") {
        before.push_str(&rest[..i]);
        let words: Vec<&str> = before.split(' ').collect();
        let mut name: Vec<&str> = Vec::new();
        for w in words.iter().rev() {
            let initial = w.len() == 2 && w.ends_with('.');
            let capital = w.chars().next().is_some_and(char::is_uppercase);
            if !capital || (w.ends_with(['.', ',', ';', ':', ')']) && !initial) {
                break;
            }
            name.push(w);
        }
        name.reverse();
        if !name.is_empty() {
            out.push(name.join(" "));
        }
        before.clear();
        rest = &rest[i + 4..];
    }
    out
}

/// `Name (character, ...)` items of a `Cast: a (x), b (y).` sentence.
fn cast_sentence(text: &str) -> Vec<String> {
    let start = text.find("Cast: ").map(|i| i + 6);
    let Some(start) = start else {
        return Vec::new();
    };
    let mut items = Vec::new();
    let (mut depth, mut item) = (0, String::new());
    for ch in text[start..].chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' | '.' if depth == 0 => {
                let name = item.split(" (").next().unwrap_or("").trim().to_string();
                items.push(name);
                item.clear();
                if ch == '.' {
                    break;
                }
                continue;
            }
            _ => {}
        }
        item.push(ch);
    }
    items
}

#[test]
fn the_cast_is_the_data_files() {
    let lib = catalog();
    let md = data();
    let mut texts: Vec<(String, String)> = section(&md, "1")
        .lines()
        .skip_while(|l| !l.starts_with("### 1a. "))
        .skip(1)
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(cells)
        .map(|c| (c[0].clone(), c[1].clone()))
        .collect();
    for c in table_after(&md, "## 2. ") {
        if c[4].starts_with("**Yes.**") {
            texts.push((
                c[0].replace("**", "").replace(" (prequel)", ""),
                c[3].clone(),
            ));
        }
    }
    let mut named = 0;
    for (title, text) in &texts {
        let show = show_by_title(&lib, title);
        // Every actor the data names is in the cast.
        let mut actors = actors_named_as(text);
        actors.extend(cast_sentence(text));
        for actor in &actors {
            assert!(
                show.cast.iter().any(|r| &r.actor == actor),
                "{title}: the data names {actor:?}, the catalog's cast lacks them"
            );
        }
        named += actors.len();
        // Every role in the catalog is the data's: the actor, and the character as written
        // (the catalog may add the season in parentheses); a role the data gives is shipped.
        for role in &show.cast {
            assert!(
                text.contains(&role.actor),
                "{title}: {} is not in the data",
                role.actor
            );
            let given = [format!("{} as ", role.actor), format!("{} (", role.actor)];
            match &role.character {
                Some(character) => {
                    let plain = character.split(" (S").next().unwrap_or(character);
                    assert!(
                        text.contains(&format!("{} as {plain}", role.actor))
                            || text.contains(&format!("{} ({plain}", role.actor)),
                        "{title}: {} as {character:?} is not what the data says",
                        role.actor
                    );
                }
                None => assert!(
                    !given.iter().any(|g| text.contains(g.as_str())),
                    "{title}: the data gives {}'s role, the catalog does not",
                    role.actor
                ),
            }
        }
    }
    assert!(named > 40, "actors found in the data: {named}");
}

#[test]
fn shows_near_the_franchise_are_represented_as_the_data_says() {
    let lib = catalog();
    let md = data();
    let list = source_list(&md);
    let titles: Vec<&str> = lib
        .franchises
        .iter()
        .flat_map(|f| &f.shows)
        .map(|s| s.title.as_str())
        .collect();
    let rows = table_after(&md, "## 2. ");
    assert!(rows.len() >= 3, "section 2 rows: {rows:?}");
    for c in rows {
        let title = c[0].split("**").nth(1).unwrap_or(&c[0]).to_string();
        if c[4].starts_with("**Yes.**") {
            assert!(
                titles.contains(&title.as_str()),
                "{title}: a show in the universe"
            );
        } else if c[2].starts_with("Shelved") {
            // Never made, so not a show: a dated, sourced event on the show it would spin off.
            assert!(
                !titles
                    .iter()
                    .any(|t| t.contains("Jerry Edgar") || *t == title),
                "{title}: shelved, not a show"
            );
            let date = first_date(&c[2]).unwrap_or_else(|| panic!("{title}: no date"));
            let bosch = show_by_title(&lib, "Bosch");
            let event = bosch
                .events
                .iter()
                .find(|e| e.date == Some(date) && e.what.contains("Jerry Edgar"))
                .unwrap_or_else(|| panic!("{title}: no Bosch event on {date}"));
            assert!(event.what.contains("shelved"), "{}", event.what);
            assert_cites(&event.sources, &cited(&c[3]), &list, &title);
        } else {
            assert!(
                !titles.contains(&title.as_str()),
                "{title}: not in the universe"
            );
        }
    }
    // Start of Watch has no direct source novel (a sourced fact, not an unknown).
    let sow = show_by_title(&lib, "Bosch: Start of Watch");
    assert!(
        sow.based_on
            .as_deref()
            .is_some_and(|b| b.starts_with("No direct source novel"))
    );
    assert_cites(
        &sow.sources["based_on"],
        &["S176".into()],
        &list,
        "Start of Watch based on",
    );
}
