//! A light document tree built from [`Tokenizer`] tokens the way browsers forgive: void
//! elements hold nothing, a new block closes an open `<p>`, a new `<li>` closes the last
//! one, a stray end tag is ignored, an unclosed element ends with its parent. Bounded in
//! depth and in node count so that no input can make it deep or huge.

use std::borrow::Cow;

use super::entities::decode_entities;
use super::tokens::{Mode, Token, Tokenizer};

/// Index of a node in its [`Dom`].
pub type NodeId = usize;

/// Deepest nesting kept; deeper elements are attached to the deepest open one.
pub const MAX_DEPTH: usize = 256;
/// Most nodes kept; the rest of a larger document is dropped.
pub const MAX_NODES: usize = 400_000;

/// What a node is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind<'a> {
    /// The document itself (node 0).
    Document,
    /// An element: its name (lower-cased in HTML) and attributes `(name, raw value)`.
    Element {
        /// The element's name.
        name: Cow<'a, str>,
        /// Its attributes as written.
        attrs: Vec<(&'a str, &'a str)>,
    },
    /// Text, entities decoded (CDATA taken literally).
    Text(Cow<'a, str>),
}

/// One node and its place in the tree.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    /// What it is.
    pub kind: NodeKind<'a>,
    /// Its parent (node 0 for top-level nodes; node 0 is its own parent).
    pub parent: NodeId,
    /// Its children in document order.
    pub children: Vec<NodeId>,
}

/// A parsed document.
#[derive(Debug, Clone)]
pub struct Dom<'a> {
    /// All nodes; node 0 is the document.
    pub nodes: Vec<Node<'a>>,
    /// How the names were read.
    pub mode: Mode,
    /// True when [`MAX_NODES`] cut the document short.
    pub truncated: bool,
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "basefont", "bgsound", "frame",
];

/// Elements whose start closes an open `<p>`.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
];

impl<'a> Dom<'a> {
    /// Parses `input` into a tree.
    #[must_use]
    pub fn parse(input: &'a str, mode: Mode) -> Self {
        let mut dom = Dom {
            nodes: vec![Node {
                kind: NodeKind::Document,
                parent: 0,
                children: Vec::new(),
            }],
            mode,
            truncated: false,
        };
        // Open elements: (node, name).
        let mut stack: Vec<NodeId> = vec![0];
        for token in Tokenizer::new(input, mode) {
            if dom.nodes.len() >= MAX_NODES {
                dom.truncated = true;
                break;
            }
            match token {
                Token::Start {
                    name,
                    attrs,
                    self_closing,
                } => {
                    let name: Cow<'a, str> =
                        if mode == Mode::Html && name.bytes().any(|b| b.is_ascii_uppercase()) {
                            Cow::Owned(name.to_ascii_lowercase())
                        } else {
                            Cow::Borrowed(name)
                        };
                    if mode == Mode::Html {
                        dom.close_implied(&mut stack, &name);
                    }
                    let is_void = mode == Mode::Html && VOID.contains(&name.as_ref());
                    let parent = *stack.last().unwrap_or(&0);
                    let id = dom.push(
                        parent,
                        NodeKind::Element {
                            name,
                            attrs: attrs.iter().collect(),
                        },
                    );
                    if !is_void && !self_closing && stack.len() < MAX_DEPTH {
                        stack.push(id);
                    }
                }
                Token::End { name } => {
                    let found = stack.iter().rposition(|&id| {
                        dom.name(id).is_some_and(|n| match mode {
                            Mode::Html => n.eq_ignore_ascii_case(name),
                            Mode::Xml => n == name,
                        })
                    });
                    if let Some(at) = found
                        && at > 0
                    {
                        stack.truncate(at);
                    }
                }
                Token::Text(text) => {
                    let parent = *stack.last().unwrap_or(&0);
                    // Script and style content is code, not text: kept as written.
                    let raw =
                        mode == Mode::Html && matches!(dom.name(parent), Some("script" | "style"));
                    let text = if raw {
                        Cow::Borrowed(text)
                    } else {
                        decode_entities(text)
                    };
                    dom.push(parent, NodeKind::Text(text));
                }
                Token::CData(text) => {
                    let parent = *stack.last().unwrap_or(&0);
                    dom.push(parent, NodeKind::Text(Cow::Borrowed(text)));
                }
                Token::Other(_) => {}
            }
        }
        dom
    }

    fn push(&mut self, parent: NodeId, kind: NodeKind<'a>) -> NodeId {
        let id = self.nodes.len();
        self.nodes.push(Node {
            kind,
            parent,
            children: Vec::new(),
        });
        self.nodes[parent].children.push(id);
        id
    }

    /// Closes what the start of `name` implicitly ends in HTML.
    fn close_implied(&self, stack: &mut Vec<NodeId>, name: &str) {
        let top_is = |stack: &Vec<NodeId>, n: &str| {
            stack
                .last()
                .and_then(|&id| self.name(id))
                .is_some_and(|t| t == n)
        };
        if CLOSES_P.contains(&name) && top_is(stack, "p") {
            stack.pop();
        }
        let siblings: &[&str] = match name {
            "li" => &["li"],
            "dt" | "dd" => &["dt", "dd"],
            "tr" => &["tr", "td", "th"],
            "td" | "th" => &["td", "th"],
            "option" => &["option"],
            _ => return,
        };
        let fences: &[&str] = match name {
            "li" => &["ul", "ol", "menu"],
            "dt" | "dd" => &["dl"],
            _ => &["table", "tbody", "thead", "tfoot", "select"],
        };
        // Close back to an open sibling, unless a list or table fence comes first.
        for at in (1..stack.len()).rev() {
            let Some(n) = self.name(stack[at]) else {
                continue;
            };
            if fences.contains(&n) {
                return;
            }
            if siblings.contains(&n) {
                stack.truncate(at);
                return;
            }
        }
    }

    /// How many nodes the tree holds (node ids run from 1 to `len() - 1`; 0 is the document).
    #[must_use]
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when the tree holds only the document node.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    /// The element name of `id`, if it is an element.
    #[must_use]
    pub fn name(&self, id: NodeId) -> Option<&str> {
        match &self.nodes.get(id)?.kind {
            NodeKind::Element { name, .. } => Some(name.as_ref()),
            _ => None,
        }
    }

    /// The local part of an element name (`content:encoded` → `encoded`).
    #[must_use]
    pub fn local_name(&self, id: NodeId) -> Option<&str> {
        self.name(id)
            .map(|n| n.rsplit_once(':').map_or(n, |(_, local)| local))
    }

    /// The value of attribute `attr` of element `id` (ASCII case ignored), entities decoded.
    #[must_use]
    pub fn attr(&self, id: NodeId, attr: &str) -> Option<Cow<'a, str>> {
        match &self.nodes.get(id)?.kind {
            NodeKind::Element { attrs, .. } => attrs
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(attr))
                .map(|(_, v)| decode_entities(v)),
            _ => None,
        }
    }

    /// The raw attributes of `id`.
    #[must_use]
    pub fn attrs(&self, id: NodeId) -> &[(&'a str, &'a str)] {
        match self.nodes.get(id).map(|n| &n.kind) {
            Some(NodeKind::Element { attrs, .. }) => attrs,
            _ => &[],
        }
    }

    /// The children of `id`.
    #[must_use]
    pub fn children(&self, id: NodeId) -> &[NodeId] {
        self.nodes.get(id).map_or(&[], |n| &n.children)
    }

    /// Every node under `id` (not `id` itself), in document order.
    pub fn descendants(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        let mut stack: Vec<NodeId> = self.children(id).iter().rev().copied().collect();
        std::iter::from_fn(move || {
            let next = stack.pop()?;
            stack.extend(self.children(next).iter().rev());
            Some(next)
        })
    }

    /// Every element named `name` in the document, in order.
    pub fn elements<'s>(&'s self, name: &'s str) -> impl Iterator<Item = NodeId> + 's {
        (1..self.nodes.len()).filter(move |&id| self.name(id) == Some(name))
    }

    /// The text under `id`, with inline markup dropped and white space collapsed.
    #[must_use]
    pub fn text(&self, id: NodeId) -> String {
        let mut out = String::new();
        if let Some(NodeKind::Text(t)) = self.nodes.get(id).map(|n| &n.kind) {
            out.push_str(t);
        }
        for d in self.descendants(id) {
            match &self.nodes[d].kind {
                NodeKind::Text(t) => out.push_str(t),
                NodeKind::Element { name, .. } if name == "br" => out.push(' '),
                _ => {}
            }
        }
        collapse_whitespace(&out)
    }

    /// The ancestors of `id`, nearest first, not counting the document.
    pub fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        let mut at = id;
        std::iter::from_fn(move || {
            let parent = self.nodes.get(at)?.parent;
            if parent == 0 || parent == at {
                return None;
            }
            at = parent;
            Some(parent)
        })
    }
}

/// Collapses runs of white space (including no-break spaces) to one space and trims. A line
/// break between two CJK characters or full-width marks disappears, as CSS segment-break
/// rules say: Chinese text wrapped in the source has no spaces.
#[must_use]
pub fn collapse_whitespace(text: &str) -> String {
    let wide = crate::core::punctuation::is_wide_text;
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    let mut newline = false;
    for c in text.chars() {
        if c.is_whitespace() || c == '\u{a0}' || c == '\u{200b}' || c == '\u{feff}' {
            space = !out.is_empty();
            newline |= c == '\n' || c == '\r';
        } else {
            if space && !(newline && wide(c) && out.chars().next_back().is_some_and(wide)) {
                out.push(' ');
            }
            space = false;
            newline = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn implied_ends_and_void_elements() {
        let dom = Dom::parse(
            "<ul><li>a<li>b</ul><p>one<p>two<br>three<div>x</div>",
            Mode::Html,
        );
        let lis: Vec<_> = dom.elements("li").map(|id| dom.text(id)).collect();
        assert_eq!(lis, vec!["a", "b"]);
        let ps: Vec<_> = dom.elements("p").map(|id| dom.text(id)).collect();
        assert_eq!(ps, vec!["one", "two three"]);
    }

    #[test]
    fn stray_end_tags_are_ignored_and_text_decoded() {
        let dom = Dom::parse("<div></span>caf&eacute;</b></div>", Mode::Html);
        let div = dom.elements("div").next().expect("div");
        assert_eq!(dom.text(div), "café");
    }

    #[test]
    fn xml_keeps_case_and_prefixes() {
        let dom = Dom::parse(
            "<rdf:RDF><item><dc:creator>A</dc:creator></item></rdf:RDF>",
            Mode::Xml,
        );
        let root = dom.children(0)[0];
        assert_eq!(dom.name(root), Some("rdf:RDF"));
        assert_eq!(dom.local_name(root), Some("RDF"));
    }

    #[test]
    fn a_line_break_inside_chinese_text_is_not_a_space() {
        assert_eq!(
            collapse_whitespace("顺利靠泊，\n  标志着 码头"),
            "顺利靠泊，标志着 码头"
        );
        assert_eq!(collapse_whitespace(" a\n b "), "a b");
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "<div>".repeat(10_000);
        let dom = Dom::parse(&deep, Mode::Html);
        let last = dom.nodes.len() - 1;
        assert!(dom.ancestors(last).count() < MAX_DEPTH + 1);
    }
}
