//! fantrack as a library: what the binary, the tests and the benches share. Only what they
//! use is public; the rest is the app's inside.

// No index can panic and no `expect` can abort outside tests.
#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::expect_used))]

pub mod action;
pub mod app;
pub mod catalog;
pub mod cli;
pub mod commands;
pub mod complete;
pub mod config;
pub mod edit_cli;
pub mod error;
pub mod fastron;
mod frame_cache;
pub mod heap;
pub mod import;
mod keymap;
mod layout;
pub mod model;
pub mod present;
pub use store::saver;
pub mod shell;
pub mod state;
pub mod store;
mod theme;
pub mod trace;
pub mod tree;
pub mod tvmaze;
pub mod ui;
