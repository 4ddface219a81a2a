//! What a valid value is, said once for the forms and the command line alike. Each helper
//! parses typed text and, on a bad value, answers the expected form in words ("dates are
//! YYYY-MM-DD"), ready to be shown next to the field or printed as the one error line.

use jiff::civil::Date;

use super::{EventKind, OriginKind, Status};

/// `YYYY-MM-DD`, a day that exists.
pub fn date(text: &str) -> Result<Date, String> {
    let t = text.trim();
    let shaped = t.len() == 10
        && t.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(format!("\"{t}\" is not a date: dates are YYYY-MM-DD"));
    }
    t.parse::<Date>()
        .map_err(|_| format!("{t} is not a day of the calendar: dates are YYYY-MM-DD"))
}

/// A Rotten Tomatoes score in percent, 0–100.
pub fn score(text: &str) -> Result<u8, String> {
    let t = text.trim().trim_end_matches('%');
    match t.parse::<u32>() {
        Ok(n) if n <= 100 => u8::try_from(n).map_err(|_| SCORES.to_string()),
        _ => Err(format!("\"{}\" is not a score: {SCORES}", text.trim())),
    }
}

const SCORES: &str = "scores are 0–100";

/// The user's own rating, 1–5.
pub fn rating(text: &str) -> Result<u8, String> {
    match text.trim().parse::<u8>() {
        Ok(n @ 1..=5) => Ok(n),
        _ => Err(format!(
            "\"{}\" is not a rating: ratings are 1–5",
            text.trim()
        )),
    }
}

/// A season or episode number: a whole number from 1.
pub fn number(text: &str, what: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!(
            "\"{}\" is not a {what} number: {what} numbers are whole numbers from 1",
            text.trim()
        )),
    }
}

/// A runtime in minutes, 1–999.
pub fn runtime(text: &str) -> Result<u32, String> {
    let t = text.trim().trim_end_matches("min").trim();
    match t.parse::<u32>() {
        Ok(n @ 1..=999) => Ok(n),
        _ => Err(format!(
            "\"{}\" is not a runtime: runtimes are minutes, 1–999",
            text.trim()
        )),
    }
}

/// A title or a one-line text: not empty, one line. Returned trimmed.
pub fn title(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("a title cannot be empty".into());
    }
    if t.contains(['\n', '\r']) {
        return Err("a title is one line".into());
    }
    Ok(t.to_string())
}

/// A line of text (news, a name): not empty, one line. Returned trimmed.
pub fn line(text: &str, what: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("{what} cannot be empty"));
    }
    if t.contains(['\n', '\r']) {
        return Err(format!("{what} is one line"));
    }
    Ok(t.to_string())
}

/// A source address: `http://` or `https://`, no spaces.
pub fn url(text: &str) -> Result<String, String> {
    let t = text.trim();
    let scheme = t.starts_with("https://") || t.starts_with("http://");
    if !scheme || t.len() <= "https://".len() || t.chars().any(char::is_whitespace) {
        return Err(format!(
            "\"{t}\" is not a web address: sources are http:// or https:// addresses"
        ));
    }
    Ok(t.to_string())
}

/// Every status, in the words [`status`] takes.
pub const STATUSES: &[Status] = &[
    Status::Unknown,
    Status::Upcoming,
    Status::Running,
    Status::Renewed,
    Status::Ended,
    Status::Cancelled,
];

pub fn status(text: &str) -> Result<Status, String> {
    let t = text.trim().to_ascii_lowercase();
    STATUSES
        .iter()
        .find(|s| s.to_string() == t)
        .copied()
        .ok_or_else(|| {
            let words: Vec<String> = STATUSES.iter().map(ToString::to_string).collect();
            format!("\"{t}\" is not a status: one of {}", words.join(", "))
        })
}

/// The kinds of news a user records, in the order the news form offers them.
pub const NEWS_KINDS: &[EventKind] = &[
    EventKind::Renewed,
    EventKind::Cancelled,
    EventKind::Ordered,
    EventKind::PremiereDateSet,
    EventKind::Cast,
    EventKind::Score,
    EventKind::Premiered,
    EventKind::Ended,
    EventKind::Announced,
    EventKind::SpinOffAnnounced,
    EventKind::Other,
];

/// An event kind as typed: its display words with spaces or dashes ("premiere-date-set"),
/// or `other`.
pub fn event_kind(text: &str) -> Result<EventKind, String> {
    let t = text.trim().to_ascii_lowercase().replace(['-', '_'], " ");
    let word = |k: &EventKind| match k {
        EventKind::Other => "other".to_string(),
        k => k.to_string(),
    };
    NEWS_KINDS
        .iter()
        .find(|k| word(k) == t)
        .copied()
        .ok_or_else(|| {
            let words: Vec<String> = NEWS_KINDS
                .iter()
                .map(|k| word(k).replace(' ', "-"))
                .collect();
            format!(
                "\"{}\" is not a kind of news: one of {}",
                text.trim(),
                words.join(", ")
            )
        })
}

pub fn origin_kind(text: &str) -> Result<OriginKind, String> {
    match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
        "spin-off" | "spinoff" => Ok(OriginKind::SpinOff),
        "sequel" => Ok(OriginKind::Sequel),
        "prequel" => Ok(OriginKind::Prequel),
        other => Err(format!(
            "\"{other}\" is not a kind of origin: one of spin-off, sequel, prequel"
        )),
    }
}

/// `S01` (a season) or `S01E03` (an episode), any case: (season, Some(episode)).
pub fn season_or_episode(text: &str) -> Result<(u32, Option<u32>), String> {
    let bad = || {
        format!(
            "\"{}\" is not a season or episode: write S01 or S01E03",
            text.trim()
        )
    };
    let lower = text.trim().to_ascii_lowercase();
    let rest = lower.strip_prefix('s').ok_or_else(bad)?;
    match rest.split_once('e') {
        Some((s, e)) => {
            let s = s.parse::<u32>().map_err(|_| bad())?;
            let e = e.parse::<u32>().map_err(|_| bad())?;
            Ok((s, Some(e)))
        }
        None => Ok((rest.parse::<u32>().map_err(|_| bad())?, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date as d;

    #[test]
    fn dates_must_be_real_days_in_the_one_form() {
        assert_eq!(date("2025-10-06"), Ok(d(2025, 10, 6)));
        assert_eq!(date(" 2025-10-06 "), Ok(d(2025, 10, 6)));
        for bad in [
            "2025-02-30",
            "2025-13-01",
            "06/10/2025",
            "2025-1-6",
            "",
            "20251006",
        ] {
            let e = date(bad).expect_err(bad);
            assert!(e.contains("dates are YYYY-MM-DD"), "{bad}: {e}");
        }
    }

    #[test]
    fn scores_ratings_numbers_and_runtimes_have_their_ranges() {
        assert_eq!(score("0"), Ok(0));
        assert_eq!(score("100"), Ok(100));
        assert_eq!(score("98%"), Ok(98));
        assert!(score("101").expect_err("101").contains("scores are 0–100"));
        assert!(score("-1").is_err());
        assert_eq!(rating("5"), Ok(5));
        assert!(rating("0").expect_err("0").contains("ratings are 1–5"));
        assert_eq!(number("3", "season"), Ok(3));
        assert!(number("0", "episode").is_err());
        assert_eq!(runtime("52"), Ok(52));
        assert_eq!(runtime("52 min"), Ok(52));
        assert!(runtime("0").is_err());
    }

    #[test]
    fn words_lists_and_codes() {
        assert_eq!(status("Renewed"), Ok(Status::Renewed));
        assert!(
            status("paused")
                .expect_err("paused")
                .contains("upcoming, running")
        );
        assert_eq!(
            event_kind("premiere-date-set"),
            Ok(EventKind::PremiereDateSet)
        );
        assert_eq!(
            event_kind("premiere date set"),
            Ok(EventKind::PremiereDateSet)
        );
        assert_eq!(event_kind("other"), Ok(EventKind::Other));
        assert!(
            event_kind("rumour")
                .expect_err("rumour")
                .contains("renewed, cancelled")
        );
        assert_eq!(origin_kind("spin-off"), Ok(OriginKind::SpinOff));
        assert_eq!(season_or_episode("S01"), Ok((1, None)));
        assert_eq!(season_or_episode("s1e3"), Ok((1, Some(3))));
        assert!(season_or_episode("E03").is_err());
        assert!(title("  ").is_err());
        assert_eq!(title(" Slow Horses "), Ok("Slow Horses".into()));
        assert!(url("tvline.com/x").is_err());
        assert!(url("https://tvline.com/x").is_ok());
    }
}
