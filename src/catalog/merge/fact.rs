//! How each kind of catalog fact tells it is unknown and describes itself in a change.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::model::{Event, ExternalIds, Origin, Renewal, Role, Score, Status};

/// A catalog fact's value: whether it is unknown, and how to show it in a change.
pub(super) trait Fact: PartialEq + Clone {
    /// `None` or empty.
    fn is_unknown(&self) -> bool;
    fn describe(&self) -> String;
}

impl Fact for String {
    fn is_unknown(&self) -> bool {
        self.is_empty()
    }
    fn describe(&self) -> String {
        format!("\"{self}\"")
    }
}

impl<T: Fact> Fact for Option<T> {
    fn is_unknown(&self) -> bool {
        self.is_none()
    }
    fn describe(&self) -> String {
        self.as_ref()
            .map_or_else(|| "unknown".to_string(), Fact::describe)
    }
}

impl Fact for Date {
    fn is_unknown(&self) -> bool {
        false
    }
    fn describe(&self) -> String {
        self.to_string()
    }
}

/// Only runtimes are plain numbers.
impl Fact for u32 {
    fn is_unknown(&self) -> bool {
        false
    }
    fn describe(&self) -> String {
        format!("{self} min")
    }
}

impl Fact for Status {
    fn is_unknown(&self) -> bool {
        false
    }
    fn describe(&self) -> String {
        self.to_string()
    }
}

impl Fact for Renewal {
    fn is_unknown(&self) -> bool {
        false
    }
    fn describe(&self) -> String {
        match self.announced {
            Some(date) => format!("season {} (announced {date})", self.season),
            None => format!("season {}", self.season),
        }
    }
}

impl Fact for Score {
    fn is_unknown(&self) -> bool {
        false
    }
    fn describe(&self) -> String {
        self.to_string()
    }
}

impl Fact for Origin {
    fn is_unknown(&self) -> bool {
        false
    }
    fn describe(&self) -> String {
        format!("{} of \"{}\"", self.kind, self.show)
    }
}

impl Fact for ExternalIds {
    fn is_unknown(&self) -> bool {
        self.is_empty()
    }
    fn describe(&self) -> String {
        format!("{self:?}")
    }
}

impl Fact for crate::model::Rare<ExternalIds> {
    fn is_unknown(&self) -> bool {
        self.is_empty()
    }
    fn describe(&self) -> String {
        (**self).describe()
    }
}

impl Fact for BTreeMap<String, Vec<String>> {
    fn is_unknown(&self) -> bool {
        self.is_empty()
    }
    fn describe(&self) -> String {
        format!("sources for {} facts", self.len())
    }
}

/// An entry of a list fact, shown briefly.
trait Entry: PartialEq + Clone {
    fn brief(&self) -> String;
}

impl Entry for String {
    fn brief(&self) -> String {
        format!("\"{self}\"")
    }
}

impl Entry for Role {
    fn brief(&self) -> String {
        match &self.character {
            Some(c) => format!("{} as {c}", self.actor),
            None => self.actor.clone(),
        }
    }
}

impl Entry for Event {
    fn brief(&self) -> String {
        format!("\"{}\"", self.what)
    }
}

/// Short lists are spelled out, longer ones counted.
impl<T: Entry> Fact for Vec<T> {
    fn is_unknown(&self) -> bool {
        self.is_empty()
    }
    fn describe(&self) -> String {
        match self.len() {
            0 => "none".to_string(),
            1..=3 => self.iter().map(Entry::brief).collect::<Vec<_>>().join(", "),
            n => format!("{n} entries"),
        }
    }
}
