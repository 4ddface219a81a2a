//! `--add-missing` from TVmaze: a show the export names and the library lacks is looked up by
//! its TheTVDB id (`/lookup/shows?thetvdb=`), else its IMDb id (`?imdb=`), and comes in whole
//! (seasons, episodes, air dates), as `fantrack add --tvmaze` would add it. A show TVmaze does
//! not know, and every show once TVmaze cannot be reached, is built from the export alone
//! ([`super::bare_show`]), and the report says so per show. What `import --add-missing` and
//! the app's "added from TVmaze" do; `--offline` (the app's "from the export") never asks.

use std::cell::RefCell;

use jiff::civil::Date;

use super::{ImportPlan, MissingShow, Options, Parsed, bare_show};
use crate::model::{Library, Show};
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

    /// The show for `missing`: from TVmaze when it knows it, else from the export; with
    /// where it came from, for the report's line of the show.
    pub fn show(&self, missing: &MissingShow) -> (Show, String) {
        match self.fetch(missing) {
            Ok(fetched) => {
                let show = map::to_show(&fetched, &map::slug(fetched.show.name.trim()), self.today);
                self.state.borrow_mut().from_tvmaze.push(show.title.clone());
                (show, "from TVmaze".into())
            }
            Err(why) => {
                let show = bare_show(missing);
                (show, format!("from the export's titles and numbers: {why}"))
            }
        }
    }

    /// What TVmaze has for `missing`, or why not.
    fn fetch(&self, missing: &MissingShow) -> Result<Fetched, String> {
        if self.state.borrow().offline.is_some() {
            return Err("TVmaze could not be reached".into());
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
        if queries.iter().all(Option::is_none) {
            return Err("no TheTVDB, IMDb or TVmaze id in the export to look it up by".into());
        }
        let mut client = self.client.borrow_mut();
        for path in queries.into_iter().flatten() {
            match client.get(&path) {
                Ok(body) => {
                    let Ok(show) = json::parse::<json::Show>(&body, "a TVmaze show") else {
                        continue;
                    };
                    return client.fetch(show.id).map_err(|e| self.went_offline(&e));
                }
                Err(client::Error::NotFound) => continue,
                Err(e) => return Err(self.went_offline(&e)),
            }
        }
        Err("TVmaze does not know it by its ids".into())
    }

    /// Why this show is not from TVmaze, short (the report's line of the show; the details
    /// are one notice); a network failure stops the calls for this import.
    fn went_offline(&self, e: &client::Error) -> String {
        match e {
            client::Error::Network(why) => {
                self.state.borrow_mut().offline = Some(why.clone());
                "TVmaze could not be reached".into()
            }
            client::Error::RateLimited => {
                self.state.borrow_mut().offline = Some(e.to_string());
                "TVmaze could not be reached".into()
            }
            e => format!("TVmaze failed ({e})"),
        }
    }

    /// [`super::plan`] with the missing shows from this lookup (when `options.add_missing`),
    /// and the report's notices saying where they came from.
    pub fn plan(&self, library: &Library, parsed: &Parsed, options: &Options<'_>) -> ImportPlan {
        let source = |m: &MissingShow| self.show(m);
        let online = Options {
            tz: options.tz.clone(),
            add_missing: options.add_missing,
            source: &source,
            password: None,
            progress: options.progress,
        };
        let mut plan = super::plan(library, parsed, &online);
        plan.report.notices.extend(self.notices());
        plan
    }

    /// The credit TVmaze's licence asks for, naming the shows it gave; why TVmaze was not
    /// reached, when it was not.
    pub fn notices(&self) -> Vec<String> {
        let state = self.state.borrow();
        let mut out = Vec::new();
        if !state.from_tvmaze.is_empty() {
            out.push(format!(
                "added from TVmaze (CC BY-SA 4.0): {}",
                state.from_tvmaze.join(", ")
            ));
        }
        // The shows built from the export say why on their own lines; the cause once here.
        if let Some(why) = &state.offline {
            out.push(format!(
                "TVmaze could not be reached ({why}): the shows it would have given were built from the export's titles and numbers"
            ));
        }
        out
    }
}
