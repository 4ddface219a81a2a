//! fantrack as a library: the model, store, CLI and TUI that the binary, tests and benches share.

pub mod action;
pub mod app;
pub mod cache;
pub mod catalog;
pub mod cli;
pub mod commands;
pub mod config;
pub mod fastron;
pub mod generate;
pub mod keymap;
pub mod model;
pub mod saver;
pub mod shell;
pub mod state;
pub mod store;
pub mod tree;
pub mod ui;
