//! A mapped TVmaze show into the library: a new show (with an id of its own, in the franchise
//! the user chose), or a merge into the show already there, found by its TVmaze id — so a
//! second add or a refresh updates instead of duplicating.
//!
//! A merge never touches the user's data (watch history, notes, ratings, origin, anything
//! TVmaze does not give). A fact TVmaze gives takes TVmaze's new value only when the library
//! still holds the value TVmaze gave last time (`tvmaze` on the show and episode); a value that
//! differs was edited by hand and is kept ("kept yours"). A value TVmaze no longer gives never
//! erases one the library has. New seasons, episodes and specials come in; nothing is deleted,
//! and what the user deleted (a tombstone in `Library::removed`) stays deleted ("kept deleted").
//! A change of TVmaze's status becomes a timeline event dated today, sourced to the show's
//! TVmaze page.
//!
//! - `add`       a new show, or the merge into the one with its TVmaze id
//! - `facts`     one fact's merge (known stays known, kept yours) and the changes said
//! - `update`    the show's facts, status, ids, seasons and episodes merged
//! - `upcoming`  what airs from today on

mod add;
mod facts;
mod upcoming;
mod update;

pub use add::{Added, Placement, add, find_by_tvmaze};
pub use upcoming::{Upcoming, upcoming};
pub use update::update;
