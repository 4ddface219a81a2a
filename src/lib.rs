//! fantrack as a library: what the binary, the tests and the benches share. Only what they
//! use is public; the rest is the app's inside.

pub mod action;
pub mod app;
mod cache;
mod catalog;
pub mod cli;
pub mod commands;
pub mod error;
#[cfg(feature = "bench")]
pub mod generate;
mod keymap;
mod layout;
pub mod model;
mod present;
mod saver;
pub mod store;
mod theme;
pub mod tree;
pub mod ui;
