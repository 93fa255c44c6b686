//! # newsbot
//!
//! A Telegram bot that turns a local newspaper's daily edition into a digest for its town.
//!
//! # Layers
//! Five folders, each a layer; a file imports only from its own layer and the layers before
//! it, and no files import each other in a circle (`tests/it/architecture.rs` checks both).
//! 1. [`core`]: pure logic, no I/O and no clock: reading editions, pages and feeds,
//!    summaries, the digest, schedules, intents, the newsroom's rules, texts.
//! 2. [`edge`]: the world the use cases reach: the sled [`edge::store`], [`edge::fetch`],
//!    the optional [`edge::llm`], the digest [`edge::archive`], the [`edge::clock`], and
//!    Telegram's client side ([`edge::telegram`], behind the [`edge::notifier`] seam).
//! 3. [`app`]: the use cases: ingest, the daily build, delivery, the newsroom, retention,
//!    the scheduler's tick.
//! 4. [`chat`]: the conversation: the handler tree, commands, keyboards, the newsroom's
//!    chat and uploads.
//! 5. [`program`]: settings, the service (`serve`), the command line, the demo, health and
//!    metrics, signals, logging. `main.rs` only wires [`program`] together.
//!
//! `docs/ARCHITECTURE.md` draws the layers and follows the three main flows.
pub mod app;
pub mod chat;
pub mod core;
pub mod edge;
pub mod program;
