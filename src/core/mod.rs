//! The pure core: parsing, summarising, digest building and scheduling decisions. Nothing
//! here does I/O, reads the clock or knows about Telegram, HTTP or storage.

pub mod answer;
pub mod callback;
pub mod dictionary;
pub mod digest;
pub mod document;
pub mod edition;
pub mod edition_choice;
pub mod edition_id;
pub mod edition_routes;
pub mod edition_texts;
pub mod editions;
pub mod error_chain;
pub mod fact_answer;
pub mod fact_quote;
pub mod feed;
pub mod html_text;
pub mod intent;
pub mod ledger;
pub mod markup;
pub mod newsroom;
pub mod notice_action;
pub mod prose;
pub mod punctuation;
pub mod query_terms;
pub mod retention;
pub mod retry;
pub mod schedule;
pub mod search;
pub mod secret;
pub mod site;
pub mod story_buttons;
pub mod subscriber;
pub mod summary;
pub mod texts;
pub mod webpage;
