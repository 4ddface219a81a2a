//! [`Rare`]: a field most values leave empty, kept out of line so the empty ones cost one
//! pointer. An episode's ids in other databases are 88 bytes inline and empty for nearly every
//! episode; at 25,000 episodes that was 2 MB of zeros a start had to allocate and touch.

use std::fmt;
use std::ops::{Deref, DerefMut};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A type whose empty value can be lent out for as long as the program runs.
pub trait Empty: Default + PartialEq + 'static {
    /// The empty value.
    const EMPTY: &'static Self;
}

/// A `T` that is boxed only when it holds something: reads see the empty value, the first
/// write makes the box. Compared, printed and serialised as the `T` it holds, so no file
/// format sees the difference.
#[derive(Clone, Default)]
pub struct Rare<T>(Option<Box<T>>);

impl<T: Empty> Rare<T> {
    /// True when it holds the empty value (boxed or not).
    pub fn is_empty(&self) -> bool {
        **self == *T::EMPTY
    }
}

impl<T: Empty> From<T> for Rare<T> {
    fn from(value: T) -> Self {
        Rare((value != *T::EMPTY).then(|| Box::new(value)))
    }
}

impl<T: Empty> Deref for Rare<T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.0.as_deref().unwrap_or(T::EMPTY)
    }
}

impl<T: Empty> DerefMut for Rare<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.0.get_or_insert_with(Box::default)
    }
}

impl<T: Empty> PartialEq for Rare<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Empty + Eq> Eq for Rare<T> {}

impl<T: Empty + fmt::Debug> fmt::Debug for Rare<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: Empty + Serialize> Serialize for Rare<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

impl<'de, T: Empty + Deserialize<'de>> Deserialize<'de> for Rare<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(Rare::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ExternalIds;

    #[test]
    fn an_empty_value_is_not_boxed_and_reads_and_compares_as_the_value() {
        let mut ids = Rare::<ExternalIds>::default();
        assert!(ids.is_empty() && ids.0.is_none());
        assert_eq!(ids.tvmaze, None);
        assert_eq!(Rare::from(ExternalIds::default()).0, None, "empty: no box");
        ids.tvmaze = Some(7);
        assert!(!ids.is_empty() && ids.0.is_some());
        let mut cleared = ids.clone();
        cleared.tvmaze = None;
        // Boxed but empty is the same value as never boxed.
        assert!(cleared.is_empty());
        assert_eq!(cleared, Rare::default());
        assert_ne!(ids, cleared);
        let text = ron::to_string(&ids).expect("serialises");
        assert_eq!(
            text,
            ron::to_string(&*ids).expect("serialises"),
            "as the value"
        );
        let back: Rare<ExternalIds> = ron::from_str(&text).expect("reads");
        assert_eq!(back, ids);
        assert_eq!(format!("{ids:?}"), format!("{:?}", *ids));
    }
}
