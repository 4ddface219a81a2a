//! The words and small pieces generated libraries are made of: names, titles, networks,
//! notes, slugs, scores and watch dates.

use std::collections::HashSet;

use jiff::Span;
use jiff::civil::Date;

use super::{NOW, Rng};
use fantrack::model::Score;

pub(super) const FRANCHISE_ADJ: &[&str] = &[
    "Shadow", "Crimson", "Northern", "Glass", "Iron", "Silent", "Golden", "Broken", "Midnight",
    "Electric", "Hidden", "Harbor", "Desert", "Señor", "Über", "Café", "東京", "Ciudad", "Müller",
    "Nordic", "Velvet", "Copper", "Lantern", "Sapphire",
];

pub(super) const FRANCHISE_NOUN: &[&str] = &[
    "City", "Precinct", "Station", "Dynasty", "Coast", "Hospital", "Empire", "Kingdom", "Bureau",
    "Division", "Academy", "Frontier", "Streets", "Files", "Heights", "Blues", "Ward", "Line",
];

pub(super) const FRANCHISE_KIND: &[&str] = &[
    "Universe",
    "Saga",
    "Chronicles",
    "Cycle",
    "World",
    "Franchise",
];

pub(super) const SPIN_SUFFIX: &[&str] = &[
    "Legacy",
    "Origins",
    "Nights",
    "Confidential",
    "Rising",
    "Undercover",
    "Special Victims",
    "Cold Case",
    "New Blood",
    "Los Ángeles",
    "Berlin",
    "Tokyo",
    "The Early Years",
    "Next Gen",
    "Unit 9",
    "Días de Gloria",
    "Zürich",
    "Süd",
    "大阪",
    "Overseas",
    "Homicide",
];

pub(super) const NAMES: &[&str] = &[
    "Renée",
    "Jürgen",
    "Núñez",
    "Sato",
    "Dolores",
    "Zoë",
    "Björn",
    "Ana María",
    "Kenji",
    "Ballard",
    "Okafor",
    "Chen",
    "Łukasz",
    "Søren",
    "Amélie",
    "José",
    "Priya",
    "Harry",
    "Maddie",
    "Idris",
    "Ngozi",
    "Håkon",
    "Yuki",
    "Marisol",
    "Théo",
    "Wen",
    "Olusegun",
    "Ingrid",
    "Mateo",
    "Aoife",
];

pub(super) const SURNAMES: &[&str] = &[
    "Welliver",
    "García",
    "Müller",
    "Tanaka",
    "O'Brien",
    "Kowalski",
    "Nguyen",
    "Santos",
    "Dubois",
    "Andersson",
    "Rossi",
    "Okoye",
    "Fernández",
    "Schröder",
    "Kim",
    "Novak",
    "Haddad",
    "Larsen",
    "Moreau",
    "Ivanova",
    "Çelik",
    "Brennan",
    "Silva",
    "Park",
];

pub(super) const TITLE_ADJ: &[&str] = &[
    "Last", "Long", "Cold", "Lost", "Black", "Quiet", "Burning", "Hollow", "Final", "Open",
    "Second", "Dead", "Blind", "Crooked", "Empty", "Wild", "Stolen", "Bitter", "Bright", "Deep",
];

pub(super) const TITLE_NOUN: &[&str] = &[
    "Night", "Echo", "Verdict", "Harbor", "Witness", "Alibi", "Storm", "Signal", "Bridge",
    "Motive", "Ledger", "Lie", "Road", "Shift", "Trail", "Dawn", "Mirror", "Promise", "Fire",
    "Canyon", "Hour", "Trust", "Badge", "Debt",
];

pub(super) const TITLE_WHOLE: &[&str] = &[
    "Déjà Vu",
    "Señales",
    "Über die Brücke",
    "東京の夜",
    "Café Noir",
    "El Niño",
    "Straße der Lichter",
    "Ça Ira",
    "Smörgåsbord",
    "夜明け前",
    "Mañana",
    "Fiancée",
    "Ölkrise",
    "Pilot",
    "Part One",
    "Part Two",
];

pub(super) const NETWORKS: &[&str] = &[
    "Amazon Prime Video",
    "Freevee",
    "Netflix",
    "HBO",
    "BBC One",
    "ZDF",
    "NHK",
    "Canal+",
    "Apple TV+",
    "AMC",
    "Paramount+",
    "RTVE",
];

pub(super) const NOTE_LINES: &[&str] = &[
    "Great cold open.",
    "Watched with Ana — she guessed the twist.",
    "Rewatch: the café scene is better the second time.",
    "The \"Harbor\" callback from season 1!",
    "東京のシーンが最高。",
    "Too slow in the middle; the last ten minutes make up for it.",
    "Über-long episode, worth it.",
    "Check the novel: the ending differs.",
    "Skipped the flashbacks.",
    "Soundtrack: look up the song in the bar scene ♫",
    "Crossover with the spin-off — watch that one first.",
    "🎬 favourite of the season",
];

/// Lower-case ASCII slug: letters and digits kept (common accents folded), the rest dashes.
pub(super) fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let folded = match c {
            'á' | 'à' | 'â' | 'ä' | 'å' | 'Á' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'ø' | 'Ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'Ü' => 'u',
            'ñ' => 'n',
            'ç' | 'Ç' => 'c',
            'ł' | 'Ł' => 'l',
            c => c.to_ascii_lowercase(),
        };
        if folded.is_ascii_alphanumeric() {
            out.push(folded);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A slug not yet in `used` (a `-2`, `-3`, ... suffix when taken), recorded as used.
pub(super) fn unique_slug(title: &str, fallback: &str, used: &mut HashSet<String>) -> String {
    let base = match slug(title) {
        s if s.is_empty() => fallback.to_string(),
        s => s,
    };
    let mut id = base.clone();
    let mut n = 2;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

pub(super) fn plus_days(d: Date, days: i64) -> Date {
    d.saturating_add(Span::new().days(days))
}

pub(super) fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(NAMES), rng.pick(SURNAMES))
}

pub(super) fn episode_title(rng: &mut Rng) -> String {
    match rng.below(100) {
        0 => format!("🎬 {}", rng.pick(TITLE_WHOLE)),
        1..=7 => rng.pick(TITLE_WHOLE).to_string(),
        8..=40 => format!("The {} {}", rng.pick(TITLE_ADJ), rng.pick(TITLE_NOUN)),
        41..=60 => format!("{}'s {}", rng.pick(NAMES), rng.pick(TITLE_NOUN)),
        61..=75 => format!("{} and {}", rng.pick(TITLE_NOUN), rng.pick(TITLE_NOUN)),
        _ => format!("{} {}", rng.pick(TITLE_ADJ), rng.pick(TITLE_NOUN)),
    }
}

/// Two to four lines of a user's notes.
pub(super) fn note(rng: &mut Rng) -> String {
    let n = 2 + rng.below(3);
    (0..n)
        .map(|_| rng.pick(NOTE_LINES))
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) fn score(rng: &mut Rng) -> Score {
    Score {
        tomatometer: Some(rng.range(40, 100) as u8),
        popcornmeter: rng.chance(70).then(|| rng.range(30, 100) as u8),
    }
}

/// Up to three viewing dates, from `aired` (or later) up to [`NOW`], in order.
pub(super) fn watch_dates(rng: &mut Rng, aired: Date) -> Vec<Date> {
    let room = (NOW - aired).get_days().max(0) as i64;
    let mut at = plus_days(aired, rng.range(0, room.min(400)));
    let times = match rng.below(100) {
        0..=79 => 1,
        80..=94 => 2,
        _ => 3,
    };
    let mut dates = vec![at];
    for _ in 1..times {
        let left = (NOW - at).get_days().max(0) as i64;
        if left == 0 {
            break;
        }
        at = plus_days(at, rng.range(1, left));
        dates.push(at);
    }
    dates
}
