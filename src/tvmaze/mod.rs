//! TVmaze: add any show from the open TV database, online or from a saved response, and refresh
//! shows that came from it. Nothing here touches the network unless the user asks.
//!
//! - `json`   the TVmaze documents (lenient: TVmaze adds fields over the years, old responses
//!   lack some), and reading a saved file with one clear error for bad input
//! - `html`   summaries (HTML) to plain text
//! - `map`    a TVmaze show and its episodes → a [`crate::model::Show`], faithfully
//! - `merge`  putting a mapped show into the library, or merging it into the one already there
//!   (matched by TVmaze id); refresh; upcoming episodes
//! - `refresh` which shows, fetching them (no lock held), merging them in
//! - `client` the blocking HTTP client: base URL from `FANTRACK_TVMAZE_URL`, spaced calls, a
//!   retry on 429
//! - `cli`    the `add --tvmaze…`, `refresh` and `upcoming` commands
//!
//! For the app: [`client::Client`] calls are blocking and the client is `Send`, so a background
//! thread can run [`client::Client::search`] (candidates), [`client::Client::fetch`] then
//! [`map::to_show`] (a mapped show), or [`refresh::fetch`]; then, on the library,
//! [`merge::add`] or [`refresh::apply`] return the report (new episodes, facts, "kept yours").
//! [`merge::upcoming`] lists what airs next.

pub mod cli;
pub mod client;
pub mod html;
pub mod json;
pub mod map;
pub mod merge;
pub mod refresh;

/// TVmaze's data is CC BY-SA 4.0: every show from it carries this credit and its TVmaze URL.
pub const CREDIT: &str = "TVmaze (CC BY-SA 4.0)";

/// The key of the show's `sources` that holds its TVmaze page.
pub const SOURCE_KEY: &str = "tvmaze";

/// The public API, when `FANTRACK_TVMAZE_URL` is not set.
pub const DEFAULT_URL: &str = "https://api.tvmaze.com";

/// Environment variable with the API's base URL (the tests point it at a local server).
pub const URL_ENV: &str = "FANTRACK_TVMAZE_URL";

/// The credit line for a show from TVmaze ("TVmaze (CC BY-SA 4.0) https://…"), for the pane.
pub fn credit(show: &crate::model::Show) -> Option<String> {
    show.ids.tvmaze?;
    let url = show
        .sources
        .get(SOURCE_KEY)
        .and_then(|urls| urls.first())
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    Some(format!("{CREDIT}{url}"))
}
