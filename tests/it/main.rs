//! All integration tests in one binary, one module per area. Nothing here touches the
//! internet: HTTP is served from loopback by `support::http`.

mod across_languages;
mod architecture;
mod chat;
mod chat_holdout;
mod checkout;
mod cli;
mod delivery;
mod delivery_e2e;
mod demo;
mod digest;
mod edition_fixtures;
mod edition_pages;
mod edition_robustness;
mod edition_sites;
mod edition_unseen;
mod editions;
mod fetch;
mod llm;
mod newsroom;
mod newsroom_failover;
mod operations;
mod retention;
mod serve;
mod store;
mod summary_quality;
mod summary_robustness;
mod support;
mod web;
