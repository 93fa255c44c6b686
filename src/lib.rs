//! # newsbot
//!
//! A Telegram bot that turns a local newspaper's daily edition into a digest.
//!
//! # Layout
//! - [`core`]: pure logic. [`core::edition`] reads a page into articles, photos, weather and
//!   notices; [`core::punctuation`] holds the character classes the parsers share.
pub mod core;
