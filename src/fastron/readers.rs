//! The readers of a franchise and what it holds (shows, seasons, episodes, their facts), field
//! by field in the order the writer writes them.

use std::collections::BTreeMap;

use crate::model::{
    Episode, Event, EventKind, ExternalIds, Franchise, Origin, OriginKind, Renewal, Role, Score,
    Season, Show, Status,
};

use super::{Parser, key};

impl<'a> Parser<'a> {
    pub(super) fn franchise(&mut self) -> Option<Franchise> {
        let (mut id, mut title, mut based_on, mut notes, mut shows, mut watch_order) =
            (None, None, None, String::new(), None, Vec::new());
        self.fields(
            names![
                b"id",
                b"title",
                b"based_on",
                b"notes",
                b"shows",
                b"watch_order",
            ],
            |p, i| {
                match i {
                    0 => id = Some(p.string()?),
                    1 => title = Some(p.string()?),
                    2 => based_on = p.opt(Self::string)?,
                    3 => notes = p.string()?,
                    4 => shows = Some(p.list(|p| p.show().map(Into::into))?),
                    _ => watch_order = p.strings()?,
                }
                Some(())
            },
        )?;
        Some(Franchise {
            id: id?,
            title: title?,
            based_on,
            notes,
            shows: shows?,
            watch_order,
        })
    }

    fn ids(&mut self) -> Option<ExternalIds> {
        let mut ids = ExternalIds::default();
        self.fields(
            names![b"tvmaze", b"thetvdb", b"imdb", b"tmdb", b"trakt"],
            |p, i| {
                match i {
                    0 => ids.tvmaze = p.opt(Self::u64)?,
                    1 => ids.thetvdb = p.opt(Self::u64)?,
                    2 => ids.imdb = p.opt(Self::string)?,
                    3 => ids.tmdb = p.opt(Self::u64)?,
                    _ => ids.trakt = p.opt(Self::u64)?,
                }
                Some(())
            },
        )?;
        Some(ids)
    }

    fn score(&mut self) -> Option<Score> {
        let mut score = Score::default();
        self.fields(names![b"tomatometer", b"popcornmeter"], |p, i| {
            match i {
                0 => score.tomatometer = p.opt(Self::u8)?,
                _ => score.popcornmeter = p.opt(Self::u8)?,
            }
            Some(())
        })?;
        Some(score)
    }

    fn origin(&mut self) -> Option<Origin> {
        let (mut show, mut kind) = (None, None);
        self.fields(names![b"show", b"kind"], |p, i| {
            match i {
                0 => show = Some(p.string()?),
                _ => {
                    kind = Some(match p.word() {
                        b"SpinOff" => OriginKind::SpinOff,
                        b"Sequel" => OriginKind::Sequel,
                        b"Prequel" => OriginKind::Prequel,
                        _ => return None,
                    })
                }
            }
            Some(())
        })?;
        Some(Origin {
            show: show?,
            kind: kind?,
        })
    }

    fn renewal(&mut self) -> Option<Renewal> {
        let (mut season, mut announced) = (None, None);
        self.fields(names![b"season", b"announced"], |p, i| {
            match i {
                0 => season = Some(p.u32()?),
                _ => announced = p.opt(Self::date)?,
            }
            Some(())
        })?;
        Some(Renewal {
            season: season?,
            announced,
        })
    }

    fn role(&mut self) -> Option<Role> {
        let (mut actor, mut character) = (None, None);
        self.fields(names![b"actor", b"character"], |p, i| {
            match i {
                0 => actor = Some(p.string()?),
                _ => character = p.opt(Self::string)?,
            }
            Some(())
        })?;
        Some(Role {
            actor: actor?,
            character,
        })
    }

    fn event(&mut self) -> Option<Event> {
        let (mut kind, mut date, mut when, mut what, mut sources, mut yours) =
            (None, None, None, None, Vec::new(), false);
        self.fields(
            names![b"kind", b"date", b"when", b"what", b"sources", b"yours"],
            |p, i| {
                match i {
                    0 => {
                        kind = Some(match p.word() {
                            b"Ordered" => EventKind::Ordered,
                            b"Premiered" => EventKind::Premiered,
                            b"Renewed" => EventKind::Renewed,
                            b"Ended" => EventKind::Ended,
                            b"SpinOffAnnounced" => EventKind::SpinOffAnnounced,
                            b"Announced" => EventKind::Announced,
                            b"Other" => EventKind::Other,
                            b"Cancelled" => EventKind::Cancelled,
                            b"PremiereDateSet" => EventKind::PremiereDateSet,
                            b"Cast" => EventKind::Cast,
                            b"Score" => EventKind::Score,
                            _ => return None,
                        })
                    }
                    1 => date = p.opt(Self::date)?,
                    2 => when = p.opt(Self::string)?,
                    3 => what = Some(p.string()?),
                    4 => sources = p.strings()?,
                    _ => yours = p.bool()?,
                }
                Some(())
            },
        )?;
        Some(Event {
            kind: kind?,
            date,
            when,
            what: what?,
            sources,
            yours,
        })
    }

    /// `{ "key": [ "…", … ], … }`. A repeated key is left to `ron` (serde keeps the last).
    fn sources_map(&mut self) -> Option<BTreeMap<String, Vec<String>>> {
        self.expect(b'{')?;
        let mut map = BTreeMap::new();
        let mut had_comma = true;
        loop {
            self.ws();
            if self.eat(b'}') {
                return Some(map);
            }
            if !had_comma {
                return None;
            }
            let key = self.string()?;
            self.ws();
            self.expect(b':')?;
            self.ws();
            let value = self.strings()?;
            if map.insert(key, value).is_some() {
                return None;
            }
            self.ws();
            had_comma = self.eat(b',');
        }
    }

    fn show(&mut self) -> Option<Show> {
        // Fields this path does not read (TVmaze's, imports') are left empty here; a file that
        // has them is an unknown field to `fields` below, so it goes to ron instead.
        let mut s = Show {
            status: Status::Running,
            ..Show::new(String::new(), String::new())
        };
        let (mut have_id, mut have_title, mut have_status) = (false, false, false);
        self.fields(
            names![
                b"id",
                b"title",
                b"ids",
                b"origin",
                b"network",
                b"status",
                b"premiere",
                b"finale",
                b"renewal",
                b"rotten_tomatoes",
                b"creators",
                b"cast",
                b"based_on",
                b"events",
                b"sources",
                b"rating",
                b"notes",
                b"seasons",
            ],
            |p, i| {
                match i {
                    0 => (s.id, have_id) = (p.string()?, true),
                    1 => (s.title, have_title) = (p.string()?, true),
                    2 => s.ids = p.ids()?,
                    3 => s.origin = p.opt(Self::origin)?,
                    4 => s.network = p.opt(Self::string)?,
                    5 => {
                        s.status = match p.word() {
                            b"Unknown" => Status::Unknown,
                            b"Upcoming" => Status::Upcoming,
                            b"Running" => Status::Running,
                            b"Renewed" => Status::Renewed,
                            b"Ended" => Status::Ended,
                            b"Cancelled" => Status::Cancelled,
                            _ => return None,
                        };
                        have_status = true;
                    }
                    6 => s.premiere = p.opt(Self::date)?,
                    7 => s.finale = p.opt(Self::date)?,
                    8 => s.renewal = p.opt(Self::renewal)?,
                    9 => s.rotten_tomatoes = p.opt(Self::score)?,
                    10 => s.creators = p.strings()?,
                    11 => s.cast = p.list(Self::role)?,
                    12 => s.based_on = p.opt(Self::string)?,
                    13 => s.events = p.list(Self::event)?,
                    14 => s.sources = p.sources_map()?,
                    15 => s.rating = p.opt(Self::u8)?,
                    16 => s.notes = p.string()?,
                    _ => s.seasons = p.list(Self::season)?,
                }
                Some(())
            },
        )?;
        (have_id && have_title && have_status).then_some(s)
    }

    fn season(&mut self) -> Option<Season> {
        let mut s = Season::new(0);
        let mut have_number = false;
        self.fields(
            names![
                b"number",
                b"premiere",
                b"rotten_tomatoes",
                b"adapts",
                b"sources",
                b"rating",
                b"notes",
                b"episodes",
                b"specials",
            ],
            |p, i| {
                match i {
                    0 => (s.number, have_number) = (p.u32()?, true),
                    1 => s.premiere = p.opt(Self::date)?,
                    2 => s.rotten_tomatoes = p.opt(Self::score)?,
                    3 => s.adapts = p.strings()?,
                    4 => s.sources = p.strings()?,
                    5 => s.rating = p.opt(Self::u8)?,
                    6 => s.notes = p.string()?,
                    7 => s.episodes = p.list(Self::episode)?,
                    _ => s.specials = p.list(Self::episode)?,
                }
                Some(())
            },
        )?;
        have_number.then_some(s)
    }

    fn episode(&mut self) -> Option<Episode> {
        let mut e = Episode::new(0);
        let mut have_number = false;
        self.fields(
            names![
                b"number",
                b"title",
                b"air_date",
                b"runtime",
                b"directed_by",
                b"written_by",
                b"ids",
                b"crossovers",
                b"sources",
                b"watched",
                b"rating",
                b"notes",
            ],
            |p, i| {
                match i {
                    0 => (e.number, have_number) = (p.u32()?, true),
                    1 => e.title = p.opt(Self::string)?,
                    2 => e.air_date = p.opt(Self::date)?,
                    3 => e.runtime = p.opt(Self::u32)?,
                    4 => e.directed_by = p.opt(Self::string)?,
                    5 => e.written_by = p.opt(Self::string)?,
                    6 => e.ids = p.ids()?.into(),
                    7 => e.crossovers = p.strings()?,
                    8 => e.sources = p.strings()?,
                    9 => e.watched = p.dates()?,
                    10 => e.rating = p.opt(Self::u8)?,
                    _ => e.notes = p.string()?,
                }
                Some(())
            },
        )?;
        have_number.then_some(e)
    }
}
