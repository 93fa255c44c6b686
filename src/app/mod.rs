//! The use cases: read the day's edition ([`ingest`], a digital edition's site by
//! [`site_reader`]), build its digest ([`daily`], run each
//! day by [`digest_job`]), deliver it ([`delivery`]), the newsroom's notices ([`newsroom`]),
//! keep the database to its retention ([`retention`]) and the minute tick that decides when
//! each runs ([`scheduler`]) for each edition served ([`served_edition`]). A use case imports the core, the edges and earlier use cases,
//! never the chat or the program.

pub mod daily;
pub mod delivery;
pub mod digest_job;
pub mod ingest;
pub mod leadership;
pub mod newsroom;
pub mod retention;
pub mod scheduler;
pub mod served_edition;
pub mod site_reader;
