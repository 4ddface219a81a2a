//! TVmaze in the app: `A` searches and adds a show, `R` refreshes. The calls run on a worker
//! (`jobs`); what they bring is merged as `fantrack add` / `fantrack refresh` do
//! (`tvmaze::merge`, `tvmaze::refresh`) into a copy of the library, and the difference goes in
//! as one edit, so `u` takes the whole add or refresh back.
//!
//! The add is a few screens (`Flow`): type the query → (searching) → pick a candidate →
//! choose the franchise (a new one named after the show, or one already here) → how it
//! relates to a show there (on its own, spin-off, sequel, prequel) → (fetching) → added.

use super::jobs::Outcome;
use super::{App, Mode, Status};
use crate::catalog::ChangeKind;
use crate::keymap::Context;
use crate::model::OriginKind;
use crate::tvmaze::cli;
use crate::tvmaze::json::SearchHit;
use crate::tvmaze::merge::Placement;

mod add;
mod refresh;

/// One line of a list to choose from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub label: String,
    /// A franchise id, or a show id for a relation; `None` for "new franchise" / "on its own".
    pub key: Option<String>,
    pub kind: Option<OriginKind>,
}

/// Where the add is.
#[derive(Debug, Clone)]
pub enum Flow {
    /// Typing the search.
    Query { text: String },
    /// Waiting for `/search/shows`.
    Searching { query: String },
    /// The candidates: "Girls (2012, HBO, Ended)".
    Pick {
        query: String,
        hits: Vec<SearchHit>,
        cursor: usize,
    },
    /// Which franchise: row 0 is a new one named after the show.
    Franchise {
        hit: Box<SearchHit>,
        choices: Vec<Choice>,
        cursor: usize,
    },
    /// How it relates to a show of the chosen franchise: row 0 is "on its own".
    Relation {
        hit: Box<SearchHit>,
        franchise: String,
        choices: Vec<Choice>,
        cursor: usize,
    },
    /// Waiting for the show and its episodes.
    Fetching { title: String, place: Placement },
}

impl Flow {
    pub fn keys(&self) -> Context {
        match self {
            Flow::Query { .. } => Context::PROMPT,
            Flow::Searching { .. } | Flow::Fetching { .. } => Context::BUSY,
            Flow::Pick { .. } | Flow::Franchise { .. } | Flow::Relation { .. } => Context::PICK,
        }
    }

    /// The title of the screen.
    pub fn title(&self) -> String {
        match self {
            Flow::Query { .. } => "Add from TVmaze: search".into(),
            Flow::Searching { query } => format!("Searching TVmaze for \"{query}\"…"),
            Flow::Pick { query, hits, .. } => {
                format!("TVmaze: {} show(s) match \"{query}\"", hits.len())
            }
            Flow::Franchise { hit, .. } => format!("Put \"{}\" in which franchise?", name(hit)),
            Flow::Relation { hit, franchise, .. } => {
                format!("\"{}\" in \"{franchise}\": how does it relate?", name(hit))
            }
            Flow::Fetching { title, .. } => format!("Fetching \"{title}\" from TVmaze…"),
        }
    }

    /// The lines to choose from, and which one is chosen (none for a prompt or a wait).
    pub fn lines(&self) -> (Vec<String>, Option<usize>) {
        match self {
            Flow::Pick { hits, cursor, .. } => (
                hits.iter()
                    .enumerate()
                    .map(|(i, h)| format!("{}. {}", i + 1, cli::describe(h)))
                    .collect(),
                Some(*cursor),
            ),
            Flow::Franchise {
                choices, cursor, ..
            }
            | Flow::Relation {
                choices, cursor, ..
            } => (
                choices.iter().map(|c| c.label.clone()).collect(),
                Some(*cursor),
            ),
            _ => (Vec::new(), None),
        }
    }

    /// The text being typed, in a prompt.
    pub fn input(&self) -> Option<&str> {
        match self {
            Flow::Query { text } => Some(text),
            _ => None,
        }
    }
}

fn name(hit: &SearchHit) -> String {
    hit.show.name.trim().to_string()
}

impl App {
    /// A TVmaze worker finished (or made progress).
    pub(super) fn tvmaze_report(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Found(found) => {
                let Mode::Tvmaze(flow) = &self.mode else {
                    return;
                };
                let Flow::Searching { query } = flow.as_ref() else {
                    return;
                };
                let query = query.clone();
                match found {
                    Ok(hits) if hits.is_empty() => {
                        self.mode = Mode::Tvmaze(Box::new(Flow::Query {
                            text: query.clone(),
                        }));
                        self.status =
                            Status::Info(format!("TVmaze has no show matching \"{query}\""));
                    }
                    Ok(hits) => {
                        self.mode = Mode::Tvmaze(Box::new(Flow::Pick {
                            query,
                            hits: hits.clone(),
                            cursor: 0,
                        }))
                    }
                    Err(e) => {
                        self.mode = Mode::Normal;
                        self.status = Status::Error(format!("TVmaze: {}", offline_hint(e)));
                    }
                }
            }
            Outcome::Fetched(fetched) => {
                let Mode::Tvmaze(flow) = &self.mode else {
                    return;
                };
                let Flow::Fetching { place, .. } = flow.as_ref() else {
                    return;
                };
                let place = place.clone();
                self.mode = Mode::Normal;
                match fetched {
                    Ok(fetched) => self.add_fetched(fetched, &place),
                    Err(e) => self.status = Status::Error(format!("TVmaze: {}", offline_hint(e))),
                }
            }
            Outcome::Progress { done, total, what } => {
                self.status = Status::Info(format!("TVmaze: fetching {done}/{total}: {what}…"));
            }
            Outcome::Refreshed(fetch) => self.refreshed(fetch),
            Outcome::Planned(_) | Outcome::Locked { .. } => {}
        }
    }
}

/// "2 new episodes, 1 fact, 1 kept yours".
pub fn summary(changes: &[crate::catalog::Change]) -> String {
    let count = |kind: ChangeKind| changes.iter().filter(|c| c.kind == kind).count();
    let parts = [
        (count(ChangeKind::NewSeason), "new season(s)"),
        (count(ChangeKind::NewEpisode), "new episode(s)"),
        (count(ChangeKind::Fact), "fact(s) updated"),
        (count(ChangeKind::KeptUserEdit), "kept yours"),
    ];
    let said: Vec<String> = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
    if said.is_empty() {
        "no change".into()
    } else {
        said.join(", ")
    }
}

/// A network failure names the offline way in.
fn offline_hint(error: &str) -> String {
    if error.contains("--tvmaze-file") {
        error.to_string()
    } else if error.contains("cannot reach") {
        format!("{error}; offline, use `fantrack add --tvmaze-file FILE`")
    } else {
        error.to_string()
    }
}
