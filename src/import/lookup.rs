//! `--add-missing` from TVmaze: a show the export names and the library lacks is looked up by
//! its TheTVDB id (`/lookup/shows?thetvdb=`), else its IMDb id (`?imdb=`), and comes in whole
//! (seasons, episodes, air dates), as `fantrack add --tvmaze` would add it. A show TVmaze does
//! not know, and every show once TVmaze cannot be reached, is built from the export alone
//! ([`super::bare_show`]). Only used when the user asks (`import --tvmaze`, the app's option).

use std::cell::RefCell;

use jiff::civil::Date;

use super::{MissingShow, bare_show};
use crate::model::Show;
use crate::tvmaze::client::{self, Client};
use crate::tvmaze::json;
use crate::tvmaze::{json::Fetched, map};

/// A lookup for one import: it remembers what it found and whether TVmaze answers at all.
pub struct Lookup {
    client: RefCell<Client>,
    today: Date,
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    /// TVmaze could not be reached: no more calls this import.
    offline: Option<String>,
    from_tvmaze: Vec<String>,
    bare: Vec<String>,
}

impl Lookup {
    /// A lookup through `FANTRACK_TVMAZE_URL` (or the public API).
    pub fn from_env(today: Date) -> Lookup {
        Lookup::new(Client::from_env(), today)
    }

    pub fn new(client: Client, today: Date) -> Lookup {
        Lookup {
            client: RefCell::new(client),
            today,
            state: RefCell::new(State::default()),
        }
    }

    /// The show for `missing`: from TVmaze when it knows it, else from the export.
    pub fn show(&self, missing: &MissingShow) -> Show {
        match self.fetch(missing) {
            Some(fetched) => {
                let show = map::to_show(&fetched, &map::slug(fetched.show.name.trim()), self.today);
                self.state.borrow_mut().from_tvmaze.push(show.title.clone());
                show
            }
            None => {
                let show = bare_show(missing);
                self.state.borrow_mut().bare.push(show.title.clone());
                show
            }
        }
    }

    fn fetch(&self, missing: &MissingShow) -> Option<Fetched> {
        if self.state.borrow().offline.is_some() {
            return None;
        }
        let ids = &missing.show.ids;
        let queries = [
            ids.tvmaze.map(|id| format!("/shows/{id}")),
            ids.thetvdb.map(|id| format!("/lookup/shows?thetvdb={id}")),
            ids.imdb
                .as_ref()
                .filter(|id| id.chars().all(|c| c.is_ascii_alphanumeric()))
                .map(|id| format!("/lookup/shows?imdb={id}")),
        ];
        let mut client = self.client.borrow_mut();
        for path in queries.into_iter().flatten() {
            match client.get(&path) {
                Ok(body) => {
                    let Ok(show) = json::parse::<json::Show>(&body, "a TVmaze show") else {
                        continue;
                    };
                    return match client.fetch(show.id) {
                        Ok(f) => Some(f),
                        Err(e) => {
                            self.went_offline(&e);
                            None
                        }
                    };
                }
                Err(client::Error::NotFound) => continue,
                Err(e) => {
                    self.went_offline(&e);
                    return None;
                }
            }
        }
        None
    }

    fn went_offline(&self, e: &client::Error) {
        if matches!(e, client::Error::Network(_) | client::Error::RateLimited) {
            self.state.borrow_mut().offline = Some(e.to_string());
        }
    }

    /// What the report should say about where the added shows came from.
    pub fn notices(&self) -> Vec<String> {
        let state = self.state.borrow();
        let mut out = Vec::new();
        if !state.from_tvmaze.is_empty() {
            out.push(format!(
                "added from TVmaze (CC BY-SA 4.0): {}",
                state.from_tvmaze.join(", ")
            ));
        }
        if !state.bare.is_empty() {
            let why = match &state.offline {
                Some(e) => format!("TVmaze could not be reached ({e})"),
                None => "TVmaze does not know them by their ids".into(),
            };
            out.push(format!(
                "built from the export's titles and numbers, {why}: {}",
                state.bare.join(", ")
            ));
        }
        out
    }
}
