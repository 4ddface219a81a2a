//! What a valid library is beyond what its types say: ids that are unique, parents that
//! exist, season and episode numbers that do not repeat, ratings in range, and no loop in the
//! "grew out of" links. A load checks a file with these rules and every edit checks the
//! library it makes, so an edit can never make a file that would not load again.
//!
//! A problem says where it is as steps into the library's value (or a text to look for);
//! `store` turns that into a line and column of the file.

use std::collections::{HashMap, HashSet};

use super::Library;

/// One step from a value into a part of it: a struct's field or a list's element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Field(&'static str),
    Index(usize),
}

/// Where a problem is in the library's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Where {
    /// The value at these steps from the top; failing that, the nth time a text is written.
    Value(Vec<Step>, Option<(String, usize)>),
    /// The nth time a text is written (a repeated id: the second one is the problem).
    Text(String, usize),
}

/// The first rule a library breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub at: Where,
}

fn problem(message: String, at: Where) -> Problem {
    Problem { message, at }
}

/// The position of the first number that repeats an earlier one. Numbers in rising order
/// (what fantrack writes) take one pass with no set; anything else, a set.
fn first_repeat(numbers: impl Iterator<Item = u32> + Clone) -> Option<usize> {
    let mut last = None;
    if numbers.clone().all(|n| {
        let rising = last.is_none_or(|l| n > l);
        last = Some(n);
        rising
    }) {
        return None;
    }
    let mut seen = HashSet::new();
    numbers
        .enumerate()
        .find(|&(_, n)| !seen.insert(n))
        .map(|(i, _)| i)
}

/// Checks what the types cannot: unique ids, parents that exist, unique season and episode
/// numbers, ratings in range, no loop in the "grew out of" links. Returns the first problem
/// with where it is, for `store` to turn into a line and column of the file. The links across
/// the library first, then each franchise's own rules ([`check_franchise`]).
pub fn check(library: &Library) -> Result<(), Problem> {
    check_links(library)?;
    for (fi, f) in library.franchises.iter().enumerate() {
        check_franchise(fi, f)?;
    }
    Ok(())
}

/// The rules that need the whole library: the format version, unique franchise and show ids,
/// origins that exist, are not the show itself, and make no loop.
pub fn check_links(library: &Library) -> Result<(), Problem> {
    use Step::{Field, Index};
    let at = |steps: &[Step]| Where::Value(steps.to_vec(), None);
    if library.version == 0 {
        return Err(problem(
            "version 0 is not a valid file format version (this fantrack writes 1)".into(),
            at(&[Field("version")]),
        ));
    }
    let mut franchise_ids = HashSet::new();
    let mut show_ids: HashMap<&str, usize> = HashMap::new();
    for f in &library.franchises {
        if !franchise_ids.insert(f.id.as_str()) {
            return Err(problem(
                format!("two franchises have the id \"{}\"", f.id),
                Where::Text(format!("\"{}\"", f.id), 2),
            ));
        }
        for s in &f.shows {
            let seen = show_ids.entry(s.id.as_str()).or_default();
            *seen += 1;
            if *seen > 1 {
                return Err(problem(
                    format!("two shows have the id \"{}\"", s.id),
                    Where::Text(format!("id: \"{}\"", s.id), 2),
                ));
            }
        }
    }
    for (fi, f) in library.franchises.iter().enumerate() {
        for (si, s) in f.shows.iter().enumerate() {
            let Some(origin) = &s.origin else { continue };
            let origin_at = || {
                vec![
                    Field("franchises"),
                    Index(fi),
                    Field("shows"),
                    Index(si),
                    Field("origin"),
                    Field("show"),
                ]
            };
            if !show_ids.contains_key(origin.show.as_str()) {
                return Err(problem(
                    format!(
                        "show \"{}\" grew out of \"{}\", but no show has that id",
                        s.id, origin.show
                    ),
                    Where::Value(origin_at(), Some((format!("show: \"{}\"", origin.show), 1))),
                ));
            }
            if origin.show == s.id {
                return Err(problem(
                    format!("show \"{}\" names itself as its origin", s.id),
                    Where::Value(origin_at(), None),
                ));
            }
        }
    }
    if let Some((cycle, (fi, si))) = origin_cycle(library) {
        return Err(problem(
            format!("shows grow out of each other in a loop: {cycle}"),
            at(&[
                Field("franchises"),
                Index(fi),
                Field("shows"),
                Index(si),
                Field("origin"),
            ]),
        ));
    }
    Ok(())
}

/// The rules inside one franchise, the `index`th of the library: season numbers unique in a
/// show, episode numbers unique in a season, ratings in range. Needs nothing else of the
/// library, so the start-up cache checks each franchise on the thread that decoded it.
pub fn check_franchise(index: usize, f: &super::Franchise) -> Result<(), Problem> {
    use Step::{Field, Index};
    let at = |steps: &[Step]| Where::Value(steps.to_vec(), None);
    for (si, s) in f.shows.iter().enumerate() {
        let show = [Field("franchises"), Index(index), Field("shows"), Index(si)];
        let season_twice = first_repeat(s.seasons.iter().map(|season| season.number));
        for (sei, season) in s.seasons.iter().enumerate() {
            let season_at =
                |steps: &[Step]| at(&[&show[..], &[Field("seasons"), Index(sei)], steps].concat());
            if season_twice == Some(sei) {
                return Err(problem(
                    format!("show \"{}\" has season {} twice", s.id, season.number),
                    season_at(&[Field("number")]),
                ));
            }
            check_rating(season.rating).map_err(|m| {
                problem(
                    format!("show \"{}\" season {}: {m}", s.id, season.number),
                    season_at(&[Field("rating")]),
                )
            })?;
            let episode_twice = first_repeat(season.episodes.iter().map(|e| e.number));
            for (ei, e) in season.episodes.iter().enumerate() {
                let episode_at = |field| season_at(&[Field("episodes"), Index(ei), Field(field)]);
                if episode_twice == Some(ei) {
                    return Err(problem(
                        format!(
                            "show \"{}\" season {} has episode {} twice",
                            s.id, season.number, e.number
                        ),
                        episode_at("number"),
                    ));
                }
                check_rating(e.rating).map_err(|m| {
                    problem(
                        format!(
                            "show \"{}\" {}: {m}",
                            s.id,
                            super::episode_code(season.number, e.number)
                        ),
                        episode_at("rating"),
                    )
                })?;
            }
        }
    }
    Ok(())
}

fn check_rating(rating: Option<u8>) -> Result<(), String> {
    match rating {
        Some(r) if !(1..=5).contains(&r) => Err(format!("rating {r} is not between 1 and 5")),
        _ => Ok(()),
    }
}

/// A loop in the "grew out of" links would make the family tree infinite. Returns the loop
/// and the (franchise, show) indices of the show it is reported at.
fn origin_cycle(library: &Library) -> Option<(String, (usize, usize))> {
    let mut parent: HashMap<&str, &str> = HashMap::new();
    let mut index: HashMap<&str, (usize, usize)> = HashMap::new();
    for (fi, f) in library.franchises.iter().enumerate() {
        for (si, s) in f.shows.iter().enumerate() {
            index.insert(s.id.as_str(), (fi, si));
            if let Some(o) = &s.origin {
                parent.insert(s.id.as_str(), o.show.as_str());
            }
        }
    }
    // Walk from each show in file order, so the same file always reports the same show.
    let mut starts: Vec<(&str, (usize, usize))> = index.iter().map(|(k, v)| (*k, *v)).collect();
    starts.sort_by_key(|(_, at)| *at);
    for (start, at) in starts {
        let mut seen = vec![start];
        let mut here = start;
        while let Some(next) = parent.get(here) {
            if *next == start {
                seen.push(next);
                return Some((seen.join(" → "), at));
            }
            if seen.contains(next) {
                break;
            }
            seen.push(next);
            here = next;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::shipped_catalog;

    #[test]
    fn first_repeat_finds_the_second_of_two_numbers_in_any_order() {
        assert_eq!(first_repeat([1, 2, 3, 10].into_iter()), None);
        assert_eq!(first_repeat([3, 1, 2].into_iter()), None);
        assert_eq!(first_repeat([1, 2, 2, 3].into_iter()), Some(2));
        assert_eq!(first_repeat([5, 1, 5, 1].into_iter()), Some(2));
        assert_eq!(first_repeat(std::iter::empty()), None);
    }

    #[test]
    fn the_shipped_catalog_breaks_no_rule() {
        assert_eq!(check(&shipped_catalog()), Ok(()));
    }

    #[test]
    fn an_origin_loop_is_rejected_at_the_show_it_starts_from() {
        let mut library = shipped_catalog();
        let shows = &mut library.franchises[0].shows;
        shows[0].origin = Some(super::super::Origin {
            show: "ballard".into(),
            kind: super::super::OriginKind::Sequel,
        });
        let found = check(&library).expect_err("loop");
        assert!(found.message.contains("loop"), "{}", found.message);
        assert!(
            matches!(found.at, Where::Value(ref steps, None) if steps.last() == Some(&Step::Field("origin")))
        );
    }

    #[test]
    fn a_repeated_show_id_points_at_its_second_writing() {
        let mut library = shipped_catalog();
        let copy = library.franchises[0].shows[0].clone();
        library.franchises[0].shows.push(copy.clone());
        let found = check(&library).expect_err("twice");
        assert_eq!(found.at, Where::Text(format!("id: \"{}\"", copy.id), 2));
    }

    #[test]
    fn a_rating_out_of_range_names_the_episode() {
        let mut library = shipped_catalog();
        library.franchises[0].shows[0].seasons[0].episodes[0].rating = Some(6);
        let found = check(&library).expect_err("rating");
        assert!(
            found.message.contains("S01E01") && found.message.contains("rating 6"),
            "{}",
            found.message
        );
    }
}
