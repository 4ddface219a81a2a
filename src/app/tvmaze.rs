//! TVmaze in the app: `A` searches and adds a show, `R` refreshes. The calls run on a worker
//! (`jobs`); what they bring is merged as `fantrack add` / `fantrack refresh` do
//! (`tvmaze::merge`, `tvmaze::refresh`) into a copy of the library, and the difference goes in
//! as one edit, so `u` takes the whole add or refresh back.
//!
//! The add is a few screens (`Flow`): type the query → (searching) → pick a candidate →
//! choose the franchise (a new one named after the show, or one already here) → how it
//! relates to a show there (on its own, spin-off, sequel, prequel) → (fetching) → added.

use super::jobs::{Outcome, Reporter};
use super::{App, Mode, Status};
use crate::action::Action;
use crate::catalog::ChangeKind;
use crate::keymap::{self, Context};
use crate::model::{NodeId, OriginKind};
use crate::tvmaze::client::{self, Client};
use crate::tvmaze::json::{Fetched, SearchHit};
use crate::tvmaze::merge::{self, Placement};
use crate::tvmaze::{cli, refresh};

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

fn move_cursor(cursor: &mut usize, len: usize, down: bool) {
    if len == 0 {
        return;
    }
    *cursor = if down {
        (*cursor + 1).min(len - 1)
    } else {
        cursor.saturating_sub(1)
    };
}

impl App {
    /// `A`: the search prompt.
    pub(super) fn start_tvmaze_add(&mut self) {
        if !self.may_start_job() {
            return;
        }
        self.mode = Mode::Tvmaze(Box::new(Flow::Query {
            text: String::new(),
        }));
    }

    pub(super) fn tvmaze_key(&mut self, action: Action) {
        let Mode::Tvmaze(flow) = &mut self.mode else {
            return;
        };
        match flow.as_mut() {
            Flow::Query { text } => match action {
                Action::SearchInput(c) => text.push(c),
                Action::SearchBackspace => {
                    text.pop();
                }
                Action::Confirm if text.trim().is_empty() => {}
                Action::Confirm => {
                    let query = text.trim().to_string();
                    **flow = Flow::Searching {
                        query: query.clone(),
                    };
                    let base = self.tvmaze_url.clone();
                    self.jobs.start(move |r: Reporter| {
                        let found = Client::new(&base).search(&query).map_err(|e| e.to_string());
                        r.send(Outcome::Found(found));
                    });
                }
                Action::Cancel => self.mode = Mode::Normal,
                _ => {}
            },
            Flow::Searching { .. } | Flow::Fetching { .. } => {
                if action == Action::Cancel {
                    self.jobs.abandon();
                    self.mode = Mode::Normal;
                    self.status = Status::Info("TVmaze: stopped waiting; nothing added".into());
                }
            }
            Flow::Pick {
                query,
                hits,
                cursor,
            } => match action {
                Action::Down | Action::Up => {
                    move_cursor(cursor, hits.len(), action == Action::Down)
                }
                Action::Cancel => {
                    **flow = Flow::Query {
                        text: query.clone(),
                    }
                }
                Action::Confirm => {
                    if let Some(hit) = hits.get(*cursor).cloned() {
                        self.picked(hit);
                    }
                }
                _ => {}
            },
            Flow::Franchise {
                hit,
                choices,
                cursor,
            } => match action {
                Action::Down | Action::Up => {
                    move_cursor(cursor, choices.len(), action == Action::Down)
                }
                Action::Cancel => self.mode = Mode::Normal,
                Action::Confirm => {
                    let hit = hit.clone();
                    match choices.get(*cursor).and_then(|c| c.key.clone()) {
                        None => self.fetch(&hit, Placement::default()),
                        Some(franchise) => self.choose_relation(hit, franchise),
                    }
                }
                _ => {}
            },
            Flow::Relation {
                hit,
                franchise,
                choices,
                cursor,
            } => match action {
                Action::Down | Action::Up => {
                    move_cursor(cursor, choices.len(), action == Action::Down)
                }
                Action::Cancel => {
                    let hit = hit.clone();
                    self.picked(*hit);
                }
                Action::Confirm => {
                    let hit = hit.clone();
                    let choice = choices.get(*cursor).cloned();
                    let place = Placement {
                        franchise: Some(franchise.clone()),
                        origin: choice.and_then(|c| Some((c.key?, c.kind?))),
                    };
                    self.fetch(&hit, place);
                }
                _ => {}
            },
        }
    }

    /// A candidate chosen: a show already here is refreshed in place; a new one needs a home.
    fn picked(&mut self, hit: SearchHit) {
        let library = self.document.library();
        if merge::find_by_tvmaze(library, hit.show.id).is_some() {
            self.fetch(&hit, Placement::default());
            return;
        }
        let mut choices = vec![Choice {
            label: format!("a new franchise \"{}\"", name(&hit)),
            key: None,
            kind: None,
        }];
        choices.extend(library.franchises.iter().map(|f| Choice {
            label: format!("{} ({} show(s))", f.title, f.shows.len()),
            key: Some(f.id.clone()),
            kind: None,
        }));
        self.mode = Mode::Tvmaze(Box::new(Flow::Franchise {
            hit: Box::new(hit),
            choices,
            cursor: 0,
        }));
    }

    fn choose_relation(&mut self, hit: Box<SearchHit>, franchise: String) {
        let library = self.document.library();
        let Some(f) = library.franchises.iter().find(|f| f.id == franchise) else {
            return;
        };
        let mut choices = vec![Choice {
            label: "on its own".into(),
            key: None,
            kind: None,
        }];
        for show in &f.shows {
            for kind in [OriginKind::SpinOff, OriginKind::Sequel, OriginKind::Prequel] {
                choices.push(Choice {
                    label: format!("a {kind} of {}", show.title),
                    key: Some(show.id.clone()),
                    kind: Some(kind),
                });
            }
        }
        self.mode = Mode::Tvmaze(Box::new(Flow::Relation {
            hit,
            franchise: f.title.clone(),
            choices,
            cursor: 0,
        }));
    }

    fn fetch(&mut self, hit: &SearchHit, place: Placement) {
        let id = hit.show.id;
        self.mode = Mode::Tvmaze(Box::new(Flow::Fetching {
            title: name(hit),
            place,
        }));
        let base = self.tvmaze_url.clone();
        self.jobs.start(move |r: Reporter| {
            let fetched = Client::new(&base).fetch(id).map_err(|e| match e {
                client::Error::NotFound => format!("no TVmaze show with id {id}"),
                e => e.to_string(),
            });
            r.send(Outcome::Fetched(fetched.map(Box::new)));
        });
    }

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

    /// Puts the fetched show into the library as one edit.
    fn add_fetched(&mut self, fetched: &Fetched, place: &Placement) {
        let mut after = self.document.library().clone();
        let added = match merge::add(&mut after, fetched, place, self.today) {
            Ok(added) => added,
            Err(e) => {
                self.status = Status::Error(format!("not added: {e}"));
                return;
            }
        };
        let undo = keymap::hint(Context::NORMAL, Action::Undo, "to undo");
        let message = if added.new {
            format!(
                "added \"{}\" to \"{}\" from TVmaze · {undo}",
                added.title, added.franchise
            )
        } else if added.changes.is_empty() {
            format!(
                "\"{}\" is already here, up to date with TVmaze",
                added.title
            )
        } else {
            format!(
                "\"{}\" is already here: {} · {undo}",
                added.title,
                summary(&added.changes)
            )
        };
        if self.put_library(after, &message)
            && let Some((f, s)) = self.document.library().find_show(&added.show_id)
        {
            self.tree
                .reveal(self.document.library(), NodeId::Show(f, s));
        }
        if added.changes.is_empty() && !added.new {
            self.status = Status::Info(message);
        }
    }

    /// `R`: the selected show if it came from TVmaze, else every show that did.
    pub(super) fn start_refresh(&mut self) {
        if !self.may_start_job() {
            return;
        }
        let library = self.document.library();
        let selected = self.selected().and_then(|id| {
            let (f, s) = match id {
                NodeId::Franchise(_) => return None,
                NodeId::Show(f, s) | NodeId::Season(f, s, _) => (f, s),
                NodeId::Episode(f, s, _, _) => (f, s),
            };
            let show = library.franchises.get(f)?.shows.get(s)?;
            Some(refresh::Target {
                tvmaze: show.ids.tvmaze?,
                title: show.title.clone(),
            })
        });
        let targets = match selected {
            Some(t) => vec![t],
            None => refresh::targets(library, &[]).unwrap_or_default(),
        };
        if targets.is_empty() {
            let add = keymap::hint(Context::NORMAL, Action::TvmazeAdd, "adds one");
            self.status = Status::Info(format!("no show here comes from TVmaze · {add}"));
            return;
        }
        self.status = Status::Info(format!("TVmaze: refreshing {} show(s)…", targets.len()));
        let base = self.tvmaze_url.clone();
        self.jobs.start(move |r: Reporter| {
            let fetch = refresh::fetch(&mut Client::new(&base), &targets, |i, n, title| {
                r.progress(i, n, title);
            });
            r.send(Outcome::Refreshed(fetch));
        });
    }

    fn refreshed(&mut self, fetch: &refresh::Fetch) {
        let mut after = self.document.library().clone();
        let reports = refresh::apply(&mut after, &fetch.done, self.today);
        let changes: Vec<_> = reports.iter().flat_map(|r| r.changes.iter()).collect();
        let mut message = if changes.is_empty() {
            format!("TVmaze: {} show(s) up to date", reports.len())
        } else {
            let owned: Vec<_> = changes.into_iter().cloned().collect();
            format!(
                "TVmaze: {} show(s) refreshed: {}",
                reports.len(),
                summary(&owned)
            )
        };
        for failed in &fetch.failed {
            message.push_str(&format!(" · {}", offline_hint(failed)));
        }
        let changed = after != *self.document.library();
        if changed {
            let undo = keymap::hint(Context::NORMAL, Action::Undo, "to undo");
            self.put_library(after, &format!("{message} · {undo}"));
        }
        if !changed || !fetch.failed.is_empty() {
            self.status = if fetch.failed.is_empty() {
                Status::Info(message)
            } else {
                Status::Error(message)
            };
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
