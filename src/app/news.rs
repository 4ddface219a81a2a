//! The news form (`t`): a dated event of the user's on the show's timeline, with its source,
//! and, for news that changes a fact (renewed, cancelled, premiere date set, score), that
//! change too, in the same undo step.

use jiff::civil::Date;

use super::facts::{put_show, scores, show_of};
use super::form::Outcome;
use super::form::{Field, Form, Purpose};
use crate::model::{Event, EventKind, Library, NodeId, Renewal, Score, Season, Status, Target};

/// The kinds the form offers, in its order.
pub const KINDS: [EventKind; 7] = [
    EventKind::Renewed,
    EventKind::Cancelled,
    EventKind::Ordered,
    EventKind::PremiereDateSet,
    EventKind::Cast,
    EventKind::Score,
    EventKind::Other,
];

fn kind_word(kind: EventKind) -> String {
    match kind {
        // `Other` reads "event" on the timeline; in the choice it is "other".
        EventKind::Other => "other".into(),
        kind => kind.to_string(),
    }
}

/// The next season number of the show of `target`.
fn next_season(library: &Library, target: &Target) -> u32 {
    show_of(library, target)
        .and_then(|(_, _, show)| show.seasons.iter().map(|s| s.number).max())
        .map_or(1, |n| n + 1)
}

pub fn form(library: &Library, id: NodeId, today: Date) -> Result<Form, String> {
    let target = match library.target(id) {
        Some(t @ (Target::Show(_) | Target::Season(..))) => t,
        Some(Target::Episode(show, n, _)) => Target::Season(show, n),
        _ => return Err("select a show or a season to record news about it".into()),
    };
    let Some((_, _, show)) = show_of(library, &target) else {
        return Err("select a show or a season to record news about it".into());
    };
    let score = match &target {
        Target::Season(_, n) => show.season(*n).and_then(|s| s.rotten_tomatoes.clone()),
        _ => show.rotten_tomatoes.clone(),
    }
    .unwrap_or_default();
    let num = |n: Option<u8>| n.map(|n| n.to_string()).unwrap_or_default();
    let title = match &target {
        Target::Season(_, n) => format!("News: {} season {n}", show.title),
        _ => format!("News: {}", show.title),
    };
    let next = next_season(library, &target).to_string();
    let mut form = Form::new(
        title,
        Purpose::News(target),
        vec![
            Field::line("date", "Date", &today.to_string(), "YYYY-MM-DD"),
            Field::choice(
                "kind",
                "Kind",
                KINDS.iter().map(|k| kind_word(*k)).collect(),
                0,
            ),
            Field::line("text", "What", "", "one line, required"),
            Field::line("source", "Source", "", "https://… (optional)"),
            Field::check("also", "also set the facts", true),
            Field::line("season", "Season", &next, "number"),
            Field::line("premiere", "Premieres", "", "YYYY-MM-DD"),
            Field::line(
                "tomatometer",
                "Tomatometer",
                &num(score.tomatometer),
                "0–100",
            ),
            Field::line(
                "popcornmeter",
                "Popcornmeter",
                &num(score.popcornmeter),
                "0–100",
            ),
        ],
    );
    follow(&mut form, library);
    Ok(form)
}

/// After a change: the fields the chosen kind needs are shown, the others hidden, and the
/// box says what it sets.
pub fn follow(form: &mut Form, library: &Library) {
    let kind = KINDS.get(form.chosen("kind")).copied();
    let Purpose::News(target) = &form.purpose else {
        return;
    };
    let season_default = match (kind, target) {
        (Some(EventKind::PremiereDateSet), Target::Season(_, n)) => n.to_string(),
        _ => next_season(library, target).to_string(),
    };
    let also = match kind {
        Some(EventKind::Renewed) => Some("also set status renewed and the renewal"),
        Some(EventKind::Cancelled) => Some("also set status cancelled"),
        Some(EventKind::PremiereDateSet) => Some("also set the season's premiere"),
        Some(EventKind::Score) => Some("also set the Rotten Tomatoes scores"),
        _ => None,
    };
    let on = form.checked("also");
    form.set_visible("also", also.is_some());
    if let Some(label) = also {
        form.set_label("also", label.to_string());
    }
    let with = |k: EventKind| on && kind == Some(k);
    let season = with(EventKind::Renewed) || with(EventKind::PremiereDateSet);
    // Only a kind change resets the season's default; what was typed stays otherwise.
    if form.value("season").is_empty() || form.field("season").is_some_and(|f| !f.visible) {
        form.set_text("season", &season_default);
    }
    form.set_visible("season", season);
    form.set_visible("premiere", with(EventKind::PremiereDateSet));
    form.set_visible("tomatometer", with(EventKind::Score));
    form.set_visible("popcornmeter", with(EventKind::Score));
}

/// Where an event dated `date` goes among `events`: after the last one dated on or before it.
fn position(events: &[Event], date: Date) -> usize {
    match events
        .iter()
        .rposition(|e| e.date.is_some_and(|d| d <= date))
    {
        Some(i) => i + 1,
        None => events
            .iter()
            .position(|e| e.date.is_some_and(|d| d > date))
            .unwrap_or(events.len()),
    }
}

pub fn apply(form: &mut Form, library: &Library, target: &Target) -> Result<Outcome, ()> {
    let Some((_, franchise, old)) = show_of(library, target) else {
        form.note = Some("the show is no longer in the library".into());
        return Err(());
    };
    let kind = KINDS
        .get(form.chosen("kind"))
        .copied()
        .unwrap_or(EventKind::Other);
    let date = match form.date("date") {
        Ok(Some(d)) => Ok(d),
        Ok(None) => {
            form.fail("date", "the date cannot be empty (YYYY-MM-DD)");
            Err(())
        }
        Err(()) => Err(()),
    };
    let text = form.required("text", "what happened");
    let source = form.url("source");
    let visible = |form: &Form, key: &str| form.field(key).is_some_and(|f| f.visible);
    let season = if visible(form, "season") {
        match form.number("season", "season") {
            Ok(None) => {
                form.fail("season", "which season? a number from 1");
                Err(())
            }
            other => other,
        }
    } else {
        Ok(None)
    };
    let premiere = if visible(form, "premiere") {
        match form.date("premiere") {
            Ok(None) => {
                form.fail("premiere", "the premiere date (YYYY-MM-DD)");
                Err(())
            }
            other => other,
        }
    } else {
        Ok(None)
    };
    let score: Result<Option<Score>, ()> = if visible(form, "tomatometer") {
        match scores(form) {
            Ok(None) => {
                form.fail("tomatometer", "give at least one score (0–100)");
                Err(())
            }
            other => other,
        }
    } else {
        Ok(None)
    };
    if form.has_errors() {
        return Err(());
    }
    let (date, text, source, season, premiere, score) =
        (date?, text.ok_or(())?, source?, season?, premiere?, score?);
    let mut new = old.clone();
    let at = position(&new.events, date);
    new.events.insert(
        at,
        Event {
            kind,
            date: Some(date),
            when: None,
            what: text,
            sources: source.into_iter().collect(),
            yours: true,
        },
    );
    let mut also = String::new();
    if form.checked("also") {
        match kind {
            EventKind::Renewed => {
                if let Some(season) = season {
                    new.status = Status::Renewed;
                    new.renewal = Some(Renewal {
                        season,
                        announced: Some(date),
                    });
                    also = format!(" · status renewed, renewal season {season}");
                }
            }
            EventKind::Cancelled => {
                new.status = Status::Cancelled;
                also = " · status cancelled".into();
            }
            EventKind::PremiereDateSet => {
                if let (Some(n), Some(premiere)) = (season, premiere) {
                    match new.season_mut(n) {
                        Some(s) => s.premiere = Some(premiere),
                        None => {
                            let mut s = crate::model::Season::new(n);
                            s.premiere = Some(premiere);
                            new.seasons.push(s);
                            new.seasons.sort_by_key(|s: &Season| s.number);
                        }
                    }
                    if n == 1 && new.premiere.is_none() {
                        new.premiere = Some(premiere);
                    }
                    also = format!(" · season {n} premieres {premiere}");
                }
            }
            EventKind::Score => {
                let slot = match target {
                    Target::Season(_, n) => new.season_mut(*n).map(|s| &mut s.rotten_tomatoes),
                    _ => Some(&mut new.rotten_tomatoes),
                };
                if let (Some(slot), Some(score)) = (slot, score) {
                    also = format!(" · {score}");
                    *slot = Some(score);
                }
            }
            _ => {}
        }
    }
    Ok(Outcome::Apply {
        message: format!("{}: news recorded ({kind}){also}", old.title),
        edit: put_show(franchise, new),
        select: Some(target.clone()),
    })
}
