//! Markup as the web writes it, read without ever failing: character references, a forgiving
//! HTML/XML tokenizer and a light tree with the implied ends browsers apply. The page reader,
//! the feed reader and the HTML-to-text conversion all build on it.

mod entities;
mod tokens;
mod tree;

pub use entities::decode_entities;
pub use tokens::{Attrs, Mode, Token, Tokenizer};
pub use tree::{Dom, MAX_DEPTH, MAX_NODES, Node, NodeId, NodeKind, collapse_whitespace};
