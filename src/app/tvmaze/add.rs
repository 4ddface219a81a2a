//! The add's screens (search, pick, franchise, relation), the fetch, and the show put in.

use super::{Choice, Flow, name, summary};
use crate::action::Action;
use crate::app::jobs::{Outcome, Reporter};
use crate::app::{App, Mode, Status};
use crate::keymap::{self, Context};
use crate::model::{NodeId, OriginKind};
use crate::tvmaze::client::{self, Client};
use crate::tvmaze::json::{Fetched, SearchHit};
use crate::tvmaze::merge::{self, Placement};

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
    pub(in crate::app) fn start_tvmaze_add(&mut self) {
        if !self.may_start_job() {
            return;
        }
        self.mode = Mode::Tvmaze(Box::new(Flow::Query {
            text: String::new(),
        }));
    }

    pub(in crate::app) fn tvmaze_key(&mut self, action: Action) {
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

    /// Puts the fetched show into the library as one edit.
    pub(super) fn add_fetched(&mut self, fetched: &Fetched, place: &Placement) {
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
}
