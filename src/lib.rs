//! # newsbot
//!
//! A Telegram bot that turns a local newspaper's daily edition into a digest for its town.
//!
//! # Layout
//! - [`core`]: pure logic, no I/O and no clock. [`core::edition`] reads a page dumped from
//!   print into articles, photos, weather and notices; [`core::feed`] reads RSS/Atom/JSON
//!   feeds; [`core::document`] tells them apart; [`core::html_text`] strips HTML.
//!   [`core::summary`] is the extractive summariser; [`core::digest`] builds and renders the
//!   digest (Telegram HTML pieces, Markdown, JSON); [`core::subscriber`], [`core::intent`],
//!   [`core::search`], [`core::callback`] and [`core::texts`] serve the chat.
//! - [`fetch`]: the edge that gets text from a file, standard input or an http(s) URL.
//! - [`llm`]: the edge to the optional LLM that refines summaries under a fact guard.
//! - [`archive`]: the edge that writes digests under `digests/`, through [`atomic_file`].
//! - [`store`]: the edge to the sled database (subscribers, digests, delivery ledger, outbox).
//! - [`notifier`]: the seam delivery sends through ([`notifier::Notifier`], our `SendError`).
//! - [`telegram`]: the edge to Telegram: commands, handler tree, endpoints, keyboards.
//! - [`signals`]: SIGINT and SIGTERM.
//! - [`ingest`]: the use case "read the day's edition", fetch plus parse plus feeds.
//! - [`daily`]: the use case "build the day's digest", edition plus summaries plus LLM;
//!   [`digest_job`] runs it each day, retrying until the page is published.
//! - [`delivery`]: the use case "deliver the digest": who is due (the pure
//!   [`core::schedule`]), the outbox and ledger ([`core::ledger`]), the paced worker.
//! - [`newsroom`]: the use case "the newsroom": editors, breaking notices through the outbox,
//!   corrections, recalls, stats ([`core::newsroom`] holds its rules).
//! - [`scheduler`]: the daily build and the minute tick on tokio-cron-scheduler.
//! - [`service`]: `serve`'s wiring: dispatcher, scheduler and worker under one cancellation.
//! - [`demo`]: `newsbot demo`, the real `serve` stack played for one day against the fake
//!   Bot API in process.
//! - [`config`], [`clock`], [`telemetry`]: settings, the wall clock, logging;
//!   [`monitoring`] serves `/healthz` and `/metrics`.
//! - [`cli`]: the command line (clap) and small runners; [`cli_delivery`] runs `deliver` and
//!   `deliveries`. `main.rs` only wires these together.
pub mod archive;
pub mod atomic_file;
pub mod blocking;
pub mod cli;
pub mod cli_delivery;
pub mod clock;
pub mod config;
pub mod core;
pub mod daily;
pub mod delivery;
pub mod demo;
pub mod digest_job;
pub mod fetch;
pub mod ingest;
pub mod llm;
pub mod monitoring;
pub mod newsroom;
pub mod notifier;
pub mod retention;
pub mod scheduler;
pub mod service;
pub mod signals;
pub mod store;
pub mod telegram;
pub mod telemetry;
