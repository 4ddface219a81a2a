//! The facts of a show, season or episode as (label, value) rows, worded once: the CLI's
//! `show` prints them and the TUI's details pane draws them, so the two never drift apart.
//! What is not known says "unknown" (never a guess).

use jiff::civil::Date;

use crate::model::{Episode, Event, Franchise, Role, Score, Season, Show, episode_code};

/// How dates read to the user (the panes, the CLI's text): the config's `date_format`
/// (strftime, checked when the config loads), or YYYY-MM-DD without one. The library file and
/// every `--json` keep YYYY-MM-DD whatever it says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dates {
    format: Option<String>,
}

impl Dates {
    pub fn new(format: Option<String>) -> Dates {
        Dates { format }
    }

    /// The config's date format, for the CLI; a config that does not load is said on stderr
    /// and its dates are YYYY-MM-DD.
    pub fn from_config() -> Dates {
        match crate::config::path().map(|p| crate::config::load(&p)) {
            Some(Ok(config)) => Dates::new(config.date_format),
            Some(Err(e)) => {
                eprintln!("fantrack: {e} (dates shown as YYYY-MM-DD)");
                Dates::default()
            }
            None => Dates::default(),
        }
    }

    /// `date` as the user reads it.
    pub fn show(&self, date: Date) -> String {
        match &self.format {
            Some(format) => jiff::fmt::strtime::format(format.as_str(), date)
                .unwrap_or_else(|_| date.to_string()),
            None => date.to_string(),
        }
    }

    /// The date, or "unknown".
    pub fn or_unknown(&self, date: Option<Date>) -> String {
        date.map_or_else(|| UNKNOWN.to_string(), |d| self.show(d))
    }
}

/// What an unknown fact says.
pub const UNKNOWN: &str = "unknown";

/// Width of the label column of "Label   value" rows.
pub const LABEL: usize = 16;

/// One fact: a label ("" continues the row above) and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

impl Fact {
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> Fact {
        Fact {
            label: label.into(),
            value: value.into(),
        }
    }
}

fn fact(label: impl Into<String>, value: impl Into<String>) -> Fact {
    Fact::new(label, value)
}

/// The value, or "unknown".
pub fn or_unknown(value: Option<impl ToString>) -> String {
    value.map_or_else(|| UNKNOWN.to_string(), |v| v.to_string())
}

/// A list joined with commas, or "unknown" when empty.
fn list_or_unknown(items: &[String]) -> String {
    if items.is_empty() {
        UNKNOWN.into()
    } else {
        items.join(", ")
    }
}

fn score(s: Option<&Score>) -> String {
    or_unknown(s)
}

/// "Titus Welliver as Harry Bosch", or the actor alone.
pub fn role(role: &Role) -> String {
    match &role.character {
        Some(c) => format!("{} as {c}", role.actor),
        None => role.actor.clone(),
    }
}

/// The site a source address is on, for a short citation: "https://www.deadline.com/2025/x"
/// → "deadline.com"; a mobile site is the site ("en.m.wikipedia.org" → "en.wikipedia.org").
/// None when the address has no site in it.
pub fn source_host(source: &str) -> Option<String> {
    let rest = source
        .trim()
        .split_once("://")
        .map_or(source.trim(), |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // "user@host:8080" → "host".
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = host.split(':').next().unwrap_or_default();
    let host = host.strip_prefix("www.").unwrap_or(host);
    let labels: Vec<&str> = host.split('.').collect();
    let mobile = |i: usize, label: &str| i < 2 && label == "m";
    let host = if labels.len() > 2 && labels.iter().enumerate().any(|(i, l)| mobile(i, l)) {
        let kept: Vec<&str> = labels
            .into_iter()
            .enumerate()
            .filter(|(i, l)| !mobile(*i, l))
            .map(|(_, l)| l)
            .collect();
        kept.join(".")
    } else {
        host.to_string()
    };
    (!host.is_empty()).then_some(host)
}

/// Sources in a few words: the first one's site, and how many other sites there are
/// ("deadline.com +1"); two pages of one site are one site. None without any.
pub fn sources_brief(sources: &[String]) -> Option<String> {
    let mut hosts: Vec<String> = Vec::new();
    for host in sources.iter().filter_map(|s| source_host(s)) {
        if !hosts.iter().any(|h| h.eq_ignore_ascii_case(&host)) {
            hosts.push(host);
        }
    }
    let (first, others) = hosts.split_first()?;
    Some(match others.len() {
        0 => first.clone(),
        n => format!("{first} +{n}"),
    })
}

/// Where a timeline event comes from, after its text: "deadline.com +1" for the catalog's,
/// "yours (tvline.com)" or "yours" for the user's; None for a catalog event without a source
/// (none is made up).
pub fn event_source(event: &Event) -> Option<String> {
    let brief = sources_brief(&event.sources);
    if !event.yours {
        return brief;
    }
    Some(brief.map_or_else(|| "yours".to_string(), |b| format!("yours ({b})")))
}

/// A show's facts, from status to creators.
pub fn show_facts(franchise: &Franchise, show: &Show, dates: &Dates) -> Vec<Fact> {
    let mut facts = vec![
        fact("Status", show.status.to_string()),
        fact("Premiere", dates.or_unknown(show.premiere)),
    ];
    if let Some(finale) = show.finale {
        facts.push(fact("Finale", dates.show(finale)));
    }
    let renewal = show.renewal.as_ref().map_or_else(
        || "none".to_string(),
        |r| {
            format!(
                "season {} · announced {}",
                r.season,
                dates.or_unknown(r.announced)
            )
        },
    );
    facts.push(fact("Renewal", renewal));
    // An unknown series score above known season scores reads as if nothing were known:
    // say that the scores below are the seasons'.
    let series_known = show
        .rotten_tomatoes
        .as_ref()
        .is_some_and(|s| s.tomatometer.is_some() || s.popcornmeter.is_some());
    let by_season = show.seasons.iter().any(|s| s.rotten_tomatoes.is_some());
    let series = if !series_known && by_season {
        "seasons only:".to_string()
    } else {
        score(show.rotten_tomatoes.as_ref())
    };
    facts.push(fact("Rotten Tomatoes", series));
    for s in show.seasons.iter().filter(|s| s.rotten_tomatoes.is_some()) {
        facts.push(fact(
            format!("  Season {}", s.number),
            score(s.rotten_tomatoes.as_ref()),
        ));
    }
    facts.push(fact("Network", or_unknown(show.network.as_ref())));
    if let Some(origin) = &show.origin {
        let parent = franchise
            .show(&origin.show)
            .map_or(origin.show.as_str(), |p| p.title.as_str());
        facts.push(fact("Grew out of", format!("{parent} ({})", origin.kind)));
    }
    facts.push(fact("Creators", list_or_unknown(&show.creators)));
    if let Some(r) = show.rating {
        facts.push(fact("Your rating", stars(r)));
    }
    facts
}

/// The cast as rows: "Cast  actor as character", then one row per further actor.
pub fn cast_facts(show: &Show) -> Vec<Fact> {
    if show.cast.is_empty() {
        return vec![fact("Cast", UNKNOWN)];
    }
    show.cast
        .iter()
        .enumerate()
        .map(|(i, r)| fact(if i == 0 { "Cast" } else { "" }, role(r)))
        .collect()
}

/// "★★★" for a rating.
pub fn stars(rating: u8) -> String {
    "★".repeat(usize::from(rating))
}

/// A season's facts.
pub fn season_facts(season: &Season, dates: &Dates) -> Vec<Fact> {
    let mut facts = vec![
        fact("Premiere", dates.or_unknown(season.premiere)),
        fact("Rotten Tomatoes", score(season.rotten_tomatoes.as_ref())),
        fact("Adapts", list_or_unknown(&season.adapts)),
    ];
    if let Some(r) = season.rating {
        facts.push(fact("Your rating", stars(r)));
    }
    facts
}

/// An episode's facts; `hidden` (by the spoiler shield) leaves out its crossovers.
pub fn episode_facts(e: &Episode, hidden: bool, dates: &Dates) -> Vec<Fact> {
    let mut facts = vec![
        fact("Air date", dates.or_unknown(e.air_date)),
        fact("Runtime", or_unknown(e.runtime.map(|m| format!("{m} min")))),
    ];
    if let Some(d) = &e.directed_by {
        facts.push(fact("Directed by", d.clone()));
    }
    if let Some(w) = &e.written_by {
        facts.push(fact("Written by", w.clone()));
    }
    if !hidden {
        facts.extend(
            e.crossovers
                .iter()
                .enumerate()
                .map(|(i, c)| fact(if i == 0 { "Crossover ⇄" } else { "" }, c.clone())),
        );
    }
    if let Some(r) = e.rating {
        facts.push(fact("Your rating", stars(r)));
    }
    facts
}

/// What a title hidden by the spoiler shield reads: not "Episode N", which is a title nobody
/// knows.
pub const HIDDEN: &str = "hidden";

/// An episode's title, or "hidden" when the spoiler shield hides it.
pub fn episode_title(e: &Episode, hidden: bool) -> String {
    if hidden {
        HIDDEN.to_string()
    } else {
        e.display_title()
    }
}

/// "S01E03 BYOB", or "S01E03 hidden" when hidden.
pub fn episode_name(season: u32, e: &Episode, hidden: bool) -> String {
    format!(
        "{} {}",
        episode_code(season, e.number),
        episode_title(e, hidden)
    )
}

/// The notes as the external editor gets them: ending with a newline, so a line the user
/// appends does not run into the last word.
pub fn notes_for_editor(notes: &str) -> String {
    format!("{notes}\n")
}

/// The notes back from the external editor: exactly the one trailing newline taken off.
pub fn notes_from_editor(text: &str) -> String {
    let text = text.strip_suffix('\n').unwrap_or(text);
    text.strip_suffix('\r').unwrap_or(text).to_string()
}

/// Facts as the CLI prints them: the label padded to its column, continued lines indented.
pub fn facts_text(facts: &[Fact]) -> String {
    let mut out = String::new();
    for f in facts {
        let value = f.value.replace('\n', &format!("\n{:LABEL$}", ""));
        out.push_str(&format!("{:<LABEL$}{value}\n", f.label));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_the_format_and_default_to_iso() {
        let day = jiff::civil::date(2025, 7, 9);
        assert_eq!(Dates::default().show(day), "2025-07-09");
        assert_eq!(Dates::new(Some("%d %b %Y".into())).show(day), "09 Jul 2025");
        assert_eq!(
            Dates::new(Some("%d.%m.%y".into())).or_unknown(Some(day)),
            "09.07.25"
        );
        assert_eq!(
            Dates::new(Some("%d %b %Y".into())).or_unknown(None),
            UNKNOWN
        );
        let season: Season =
            ron::from_str("(number: 1, premiere: Some(\"2025-07-09\"))").expect("season");
        let facts = season_facts(&season, &Dates::new(Some("%-d %B %Y".into())));
        assert_eq!(facts.first().map(|f| f.value.as_str()), Some("9 July 2025"));
    }

    #[test]
    fn the_external_editor_gets_a_final_newline_and_exactly_it_is_taken_back() {
        assert_eq!(notes_for_editor("last word"), "last word\n");
        assert_eq!(notes_for_editor(""), "\n");
        for notes in ["last word", "", "two\nlines", "kept blank\n"] {
            assert_eq!(notes_from_editor(&notes_for_editor(notes)), notes);
        }
        assert_eq!(notes_from_editor("a\nappended\n"), "a\nappended");
        assert_eq!(notes_from_editor("no newline"), "no newline");
    }

    #[test]
    fn a_source_reads_as_its_site_and_several_as_the_first_and_a_count() {
        for (url, host) in [
            (
                "https://deadline.com/2025/10/ballard-renewed/",
                Some("deadline.com"),
            ),
            ("https://www.tvline.com/x?y=1", Some("tvline.com")),
            ("http://user@www.example.org:8080#top", Some("example.org")),
            (
                "https://en.m.wikipedia.org/wiki/Bosch_(TV_series)",
                Some("en.wikipedia.org"),
            ),
            ("https://m.imdb.com/title/x", Some("imdb.com")),
            ("https://m.com/x", Some("m.com")),
            ("https://", None),
            ("", None),
        ] {
            assert_eq!(source_host(url).as_deref(), host, "{url}");
        }
        let urls = |list: &[&str]| list.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(sources_brief(&[]), None);
        assert_eq!(sources_brief(&urls(&["https://"])), None);
        assert_eq!(
            sources_brief(&urls(&["https://www.deadline.com/a"])).as_deref(),
            Some("deadline.com")
        );
        assert_eq!(
            sources_brief(&urls(&["https://deadline.com/a", "https://tvline.com/b"])).as_deref(),
            Some("deadline.com +1")
        );
        // Two pages of one site are one site.
        assert_eq!(
            sources_brief(&urls(&[
                "https://en.wikipedia.org/a",
                "https://en.m.wikipedia.org/b",
                "https://tvline.com/c",
                "https://deadline.com/d",
            ]))
            .as_deref(),
            Some("en.wikipedia.org +2")
        );
    }

    #[test]
    fn an_event_says_its_source_and_whether_it_is_yours() {
        let event = |yours: bool, sources: &[&str]| Event {
            kind: crate::model::EventKind::Renewed,
            date: None,
            when: None,
            what: "Renewed".into(),
            sources: sources.iter().map(ToString::to_string).collect(),
            yours,
        };
        assert_eq!(
            event_source(&event(false, &["https://deadline.com/x"])).as_deref(),
            Some("deadline.com")
        );
        assert_eq!(event_source(&event(false, &[])), None);
        assert_eq!(
            event_source(&event(
                true,
                &["https://tvline.com/x", "https://deadline.com/y"]
            ))
            .as_deref(),
            Some("yours (tvline.com +1)")
        );
        assert_eq!(event_source(&event(true, &[])).as_deref(), Some("yours"));
    }
}
