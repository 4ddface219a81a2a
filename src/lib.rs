//! fantrack as a library: what the binary, the tests and the benches share. Only what they
//! use is public; the rest is the app's inside.

// No index can panic and no `expect` can abort outside tests. import and tvmaze
// still index (to be moved to `get`); they are let off until then.
#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::expect_used))]

pub mod action;
pub mod app;
pub mod catalog;
pub mod cli;
pub mod commands;
pub mod config;
pub mod edit_cli;
pub mod error;
// A byte parser whose indexes follow its own bounds checks (the differential tests and
// proptests in tests/fastron.rs exercise them); still to be moved to `get`.
#[allow(clippy::indexing_slicing, clippy::expect_used)]
pub mod fastron;
mod frame_cache;
#[allow(clippy::indexing_slicing, clippy::expect_used)]
pub mod import;
mod keymap;
mod layout;
pub mod model;
mod present;
pub use store::saver;
pub mod shell;
pub mod state;
pub mod store;
mod theme;
pub mod tree;
#[allow(clippy::indexing_slicing, clippy::expect_used)]
pub mod tvmaze;
pub mod ui;
