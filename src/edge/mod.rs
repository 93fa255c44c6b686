//! The edges the use cases reach the world through: the database ([`store`]), pages and
//! feeds over HTTP or from files ([`fetch`]), the optional LLM ([`llm`]), the digest archive
//! ([`archive`], [`atomic_file`]), the wall clock ([`clock`]), Telegram's client side
//! ([`telegram`], behind the [`notifier`] seam), metric names ([`metrics`]), the runtime's
//! blocking pool ([`blocking`]) and the heap ([`heap`]). An edge imports only the core and other edges.

pub mod archive;
pub mod atomic_file;
pub mod blocking;
pub mod clock;
pub mod fetch;
pub mod heap;
pub mod llm;
pub mod metrics;
pub mod notifier;
pub mod store;
pub mod telegram;
