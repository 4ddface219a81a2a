//! `fantrack export`: the library as JSON (the whole of it, read back by `fantrack import`),
//! CSV (one row per viewing, for spreadsheets and generic CSV importers) or ICS (upcoming
//! episodes with a known air date, for calendar apps).
//!
//! The JSON schema is the library file's own (see the README), wrapped so it is recognised:
//! `{"fantrack_export": 1, "library": {…}}`. Dates are `YYYY-MM-DD`; empty fields are left out.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::model::{Episode, Library, episode_code};

/// The version of the export wrapper; the library inside carries its own `version`.
pub const EXPORT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Export {
    pub fantrack_export: u32,
    pub library: Library,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
    Ics,
}

pub fn export(library: &Library, format: ExportFormat, today: Date) -> Result<String, String> {
    match format {
        ExportFormat::Json => json(library),
        ExportFormat::Csv => csv(library),
        ExportFormat::Ics => Ok(ics(library, today)),
    }
}

pub fn json(library: &Library) -> Result<String, String> {
    let export = Export {
        fantrack_export: EXPORT_VERSION,
        library: library.clone(),
    };
    serde_json::to_string_pretty(&export)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| format!("cannot write JSON: {e}"))
}

/// Every episode with where it sits: (franchise title, show, season number, special, episode).
fn episodes(
    library: &Library,
) -> impl Iterator<Item = (&str, &crate::model::Show, u32, bool, &Episode)> {
    library.franchises.iter().flat_map(|f| {
        f.shows.iter().flat_map(move |s| {
            s.seasons.iter().flat_map(move |se| {
                let regular = se.episodes.iter().map(move |e| (false, e));
                let specials = se.specials.iter().map(move |e| (true, e));
                regular
                    .chain(specials)
                    .map(move |(special, e)| (f.title.as_str(), &**s, se.number, special, e))
            })
        })
    })
}

pub const CSV_HEADER: [&str; 13] = [
    "franchise",
    "show",
    "show_id",
    "season",
    "episode",
    "special",
    "title",
    "watched_on",
    "rating",
    "notes",
    "tvdb_id",
    "tmdb_id",
    "imdb_id",
];

pub fn csv(library: &Library) -> Result<String, String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| format!("cannot write CSV: {e}");
    out.write_record(CSV_HEADER).map_err(err)?;
    for (franchise, show, season, special, e) in episodes(library) {
        for date in &e.watched {
            let opt = |v: Option<String>| v.unwrap_or_default();
            out.write_record([
                franchise.to_string(),
                show.title.clone(),
                show.id.clone(),
                season.to_string(),
                e.number.to_string(),
                special.to_string(),
                e.display_title(),
                date.to_string(),
                opt(e.rating.map(|r| r.to_string())),
                e.notes.clone(),
                opt(e.ids.thetvdb.map(|v| v.to_string())),
                opt(e.ids.tmdb.map(|v| v.to_string())),
                opt(e.ids.imdb.clone()),
            ])
            .map_err(err)?;
        }
    }
    let bytes = out
        .into_inner()
        .map_err(|e| format!("cannot write CSV: {e}"))?;
    String::from_utf8(bytes).map_err(|e| format!("cannot write CSV: {e}"))
}

/// RFC 5545 text: backslash, semicolon, comma and newline escaped.
fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// Upcoming episodes (air date today or later) as all-day events.
pub fn ics(library: &Library, today: Date) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//fantrack//fantrack export//EN",
        "CALSCALE:GREGORIAN",
    ] {
        fold(line, &mut out);
    }
    let stamp = format!("{}T000000Z", today.strftime("%Y%m%d"));
    for (_, show, season, special, e) in episodes(library) {
        let Some(air) = e.air_date.filter(|d| *d >= today) else {
            continue;
        };
        let code = if special {
            format!("S{season:02} special {}", e.number)
        } else {
            episode_code(season, e.number)
        };
        let uid_code = code.replace(' ', "-").to_lowercase();
        let end = air.tomorrow().unwrap_or(air);
        let mut summary = format!("{} {code}", show.title);
        if let Some(t) = &e.title {
            summary.push_str(&format!(" {t}"));
        }
        for line in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}-{uid_code}@fantrack", show.id),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART;VALUE=DATE:{}", air.strftime("%Y%m%d")),
            format!("DTEND;VALUE=DATE:{}", end.strftime("%Y%m%d")),
            format!("SUMMARY:{}", ics_text(&summary)),
            "END:VEVENT".to_string(),
        ] {
            fold(&line, &mut out);
        }
    }
    fold("END:VCALENDAR", &mut out);
    out
}
