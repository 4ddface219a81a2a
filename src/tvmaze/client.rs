//! The blocking HTTP client for the TVmaze API: ureq (rustls, gzip), a timeout, a User-Agent
//! naming fantrack and its version, the base URL from `FANTRACK_TVMAZE_URL`. Calls are spaced to
//! stay under TVmaze's limit (about 20 per 10 seconds); a 429 waits (its Retry-After, if any)
//! and is tried once more.

use std::time::{Duration, Instant};

use super::json::{self, Fetched, SearchHit};
use super::{DEFAULT_URL, URL_ENV};

/// Time between two calls: 20 calls per 10 s at most.
const GAP: Duration = Duration::from_millis(500);
/// The longest a 429's Retry-After is waited for; beyond it the call fails.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);
/// The wait after a 429 that gives no Retry-After.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(2);
const TIMEOUT: Duration = Duration::from_secs(20);
/// Responses larger than this are refused (the largest shows' episode lists are ~2 MB).
const MAX_BODY: u64 = 32 * 1024 * 1024;

/// Why a call failed: one line for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// HTTP 404.
    NotFound,
    /// Still 429 after the retry.
    RateLimited,
    /// No connection (DNS, refused, timeout, TLS).
    Network(String),
    /// Another HTTP status.
    Status(u16),
    /// The body is not what TVmaze sends.
    BadResponse(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::NotFound => f.write_str("not found on TVmaze (HTTP 404)"),
            Error::RateLimited => {
                f.write_str("TVmaze's rate limit was hit twice (HTTP 429); try again in a minute")
            }
            Error::Network(e) => write!(
                f,
                "cannot reach TVmaze ({e}); check the network, or save the response with a \
                 browser or curl and use `fantrack add --tvmaze-file FILE`"
            ),
            Error::Status(code) => write!(f, "TVmaze answered HTTP {code}"),
            Error::BadResponse(e) => write!(f, "TVmaze's response is {e}"),
        }
    }
}

/// A TVmaze client. `Send`: the app can use it from a background thread.
pub struct Client {
    agent: ureq::Agent,
    base: String,
    last: Option<Instant>,
    /// Calls made (each retry counts), for tests and progress.
    pub calls: usize,
}

impl Client {
    /// A client for `FANTRACK_TVMAZE_URL`, or the public API.
    pub fn from_env() -> Client {
        let base = std::env::var(URL_ENV)
            .ok()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_URL.to_string());
        Client::new(&base)
    }

    pub fn new(base: &str) -> Client {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .http_status_as_error(false)
            .user_agent(format!("fantrack/{}", env!("CARGO_PKG_VERSION")))
            .build();
        Client {
            agent: config.into(),
            base: base.trim_end_matches('/').to_string(),
            last: None,
            calls: 0,
        }
    }

    /// The base URL in use.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn wait_turn(&mut self) {
        if let Some(last) = self.last {
            let since = last.elapsed();
            if since < GAP {
                std::thread::sleep(GAP - since);
            }
        }
        self.last = Some(Instant::now());
    }

    /// GETs `path` (with its query): the body of a 200.
    pub fn get(&mut self, path: &str) -> Result<String, Error> {
        let url = format!("{}{path}", self.base);
        for attempt in 0..2 {
            self.wait_turn();
            self.calls += 1;
            let mut response = self
                .agent
                .get(&url)
                .call()
                .map_err(|e| Error::Network(e.to_string()))?;
            match response.status().as_u16() {
                200 => {
                    return response
                        .body_mut()
                        .with_config()
                        .limit(MAX_BODY)
                        .read_to_string()
                        .map_err(|e| match e {
                            ureq::Error::Io(_) | ureq::Error::Timeout(_) => {
                                Error::Network(format!("the download broke off: {e}"))
                            }
                            e => Error::BadResponse(e.to_string()),
                        });
                }
                404 => return Err(Error::NotFound),
                429 if attempt == 0 => {
                    let wait = response
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map_or(DEFAULT_RETRY_AFTER, Duration::from_secs);
                    if wait > MAX_RETRY_AFTER {
                        return Err(Error::RateLimited);
                    }
                    std::thread::sleep(wait);
                }
                429 => return Err(Error::RateLimited),
                code => return Err(Error::Status(code)),
            }
        }
        Err(Error::RateLimited)
    }

    fn get_json<T: serde::de::DeserializeOwned>(
        &mut self,
        path: &str,
        what: &str,
    ) -> Result<T, Error> {
        let body = self.get(path)?;
        json::parse(&body, what).map_err(Error::BadResponse)
    }

    /// `/search/shows?q=`: the candidates, best first.
    pub fn search(&mut self, query: &str) -> Result<Vec<SearchHit>, Error> {
        self.get_json(
            &format!("/search/shows?q={}", encode(query)),
            "a TVmaze search result",
        )
    }

    /// The show with its cast, then every episode including specials.
    pub fn fetch(&mut self, id: u64) -> Result<Fetched, Error> {
        let show: json::Show =
            self.get_json(&format!("/shows/{id}?embed=cast"), "a TVmaze show")?;
        let episodes: Vec<json::Episode> = self.get_json(
            &format!("/shows/{id}/episodes?specials=1"),
            "a TVmaze episode list",
        )?;
        let mut fetched = Fetched::from_show(show);
        fetched.episodes = episodes;
        Ok(fetched)
    }
}

/// Percent-encodes a query value.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_client_can_run_on_a_background_thread() {
        fn is_send<T: Send>() {}
        is_send::<super::Client>();
    }

    #[test]
    fn queries_are_encoded() {
        assert_eq!(super::encode("slow horses"), "slow+horses");
        assert_eq!(super::encode("Tom & Jerry?"), "Tom+%26+Jerry%3F");
        assert_eq!(super::encode("Café"), "Caf%C3%A9");
    }
}
