//! The program: settings ([`settings`], declared once) and configuration ([`config`]), the service `serve` builds and runs ([`service`]),
//! the command line ([`cli`]), the demo ([`demo`]), `/healthz` and
//! `/metrics` ([`monitoring`]), signals and logging. It wires every
//! other layer and nothing imports it.

pub mod cli;
pub mod config;
pub mod demo;
pub mod editions_file;
pub mod monitoring;
pub mod served_editions;
pub mod service;
pub mod settings;
pub mod signals;
pub mod telemetry;
