//! The TVmaze documents fantrack reads. Lenient on purpose: TVmaze has added fields over the
//! years (episode `type` and `rating`, show `averageRuntime` and `ended`), so unknown fields are
//! ignored and most known ones may be missing or `null`. A show needs its `id` and `name`, an
//! episode its `id` and `season`: anything without them is not TVmaze JSON.

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Show {
    pub id: u64,
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub runtime: Option<u32>,
    #[serde(default, rename = "averageRuntime")]
    pub average_runtime: Option<u32>,
    #[serde(default)]
    pub premiered: Option<String>,
    #[serde(default)]
    pub ended: Option<String>,
    #[serde(default)]
    pub network: Option<Channel>,
    #[serde(default, rename = "webChannel")]
    pub web_channel: Option<Channel>,
    #[serde(default)]
    pub externals: Option<Externals>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default, rename = "_embedded")]
    pub embedded: Option<Embedded>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Channel {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Externals {
    #[serde(default)]
    pub thetvdb: Option<u64>,
    #[serde(default)]
    pub imdb: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Embedded {
    #[serde(default)]
    pub episodes: Option<Vec<Episode>>,
    #[serde(default)]
    pub cast: Option<Vec<Cast>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Episode {
    pub id: u64,
    pub season: u32,
    /// `null` for a special.
    #[serde(default)]
    pub number: Option<u32>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    /// "regular", "significant_special", "insignificant_special"; absent in old responses.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// "YYYY-MM-DD", or "" when unknown.
    #[serde(default)]
    pub airdate: Option<String>,
    #[serde(default)]
    pub runtime: Option<u32>,
    #[serde(default)]
    pub summary: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Cast {
    pub person: Named,
    #[serde(default)]
    pub character: Option<Named>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Named {
    pub name: String,
}

/// One hit of `/search/shows?q=`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SearchHit {
    #[serde(default)]
    pub score: Option<f64>,
    pub show: Show,
}

/// A show with everything fetched for it: what `map::to_show` maps.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched {
    pub show: Show,
    pub episodes: Vec<Episode>,
    pub cast: Vec<Cast>,
}

impl Fetched {
    /// A show document on its own: its embedded episodes and cast, if any.
    pub fn from_show(mut show: Show) -> Fetched {
        let embedded = show.embedded.take().unwrap_or_default();
        Fetched {
            show,
            episodes: embedded.episodes.unwrap_or_default(),
            cast: embedded.cast.unwrap_or_default(),
        }
    }
}

/// Parses a response body as `T`, with one clear line for what is wrong: an HTML page (an error
/// page or a login portal instead of the API), a truncated download, JSON that is not the
/// TVmaze document expected.
pub fn parse<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, String> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.is_empty() {
        return Err("empty, not TVmaze JSON".into());
    }
    if trimmed.starts_with('<') {
        return Err("an HTML page, not TVmaze JSON (an error page?)".into());
    }
    let value: serde_json::Value = serde_json::from_str(trimmed).map_err(|e| {
        if e.is_eof() {
            format!(
                "truncated JSON (it ends at line {} column {}): download it again",
                e.line(),
                e.column()
            )
        } else {
            format!("not JSON: {e}")
        }
    })?;
    serde_json::from_value(value).map_err(|e| format!("not {what}: {e}"))
}

/// What a saved file holds.
pub enum Saved {
    /// `/shows/{id}?embed=episodes` or `/singlesearch/shows?q=…&embed=episodes`.
    Show(Box<Show>),
    /// `/shows/{id}/episodes`: needs the show beside it (`--show`).
    Episodes(Vec<Episode>),
}

/// Reads a saved response: a show document, or an episode list.
pub fn parse_saved(text: &str) -> Result<Saved, String> {
    let is_list = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('[');
    if is_list {
        parse::<Vec<Episode>>(
            text,
            "a TVmaze episode list (each needs \"id\" and \"season\")",
        )
        .map(Saved::Episodes)
    } else {
        parse::<Show>(text, "a TVmaze show (it needs \"id\" and \"name\")")
            .map(|s| Saved::Show(Box::new(s)))
    }
}
