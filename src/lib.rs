//! # newsbot
//!
//! A Telegram bot that turns a local newspaper's daily edition into a digest for its town.
//!
//! # Layout
//! - [`core`]: pure logic, no I/O and no clock. [`core::edition`] reads a page dumped from
//!   print into articles, photos, weather and notices; [`core::feed`] reads RSS/Atom/JSON
//!   feeds; [`core::document`] tells them apart; [`core::html_text`] strips HTML.
//! - [`fetch`]: the edge that gets text from a file, standard input or an http(s) URL.
//! - [`ingest`]: the use case "read the day's edition", fetch plus parse plus feeds.
//! - [`config`], [`clock`], [`telemetry`]: settings, the wall clock, logging.
//! - [`cli`]: the command line; `main.rs` only wires these together.
pub mod cli;
pub mod clock;
pub mod config;
pub mod core;
pub mod fetch;
pub mod ingest;
pub mod telemetry;
