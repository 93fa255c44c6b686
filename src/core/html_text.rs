//! Turns HTML (a feed item's content, a fragment of a page) into plain paragraphs: block
//! elements and `<br><br>` end a paragraph, source newlines are only white space, a single
//! `<br>` inside a sentence is re-joined, scripts and styles vanish, every entity decodes.

use super::markup::{Dom, Mode, NodeId, NodeKind, collapse_whitespace};
use super::prose::join_lines;

/// Elements that end a paragraph.
pub const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "tr",
    "td",
    "th",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "hr",
    "figure",
    "figcaption",
    "pre",
    "main",
    "aside",
    "nav",
    "address",
    "center",
    "caption",
    "body",
    "html",
];

/// Elements whose content is never text a reader sees.
pub const INVISIBLE: &[&str] = &[
    "script", "style", "head", "noscript", "template", "svg", "iframe", "object", "embed",
    "button", "select", "canvas", "math", "map",
];

/// Converts `html` to plain text, one paragraph per block, paragraphs separated by a blank
/// line.
#[must_use]
pub fn html_to_text(html: &str) -> String {
    html_paragraphs(html).join("\n\n")
}

/// The paragraphs of `html`.
#[must_use]
pub fn html_paragraphs(html: &str) -> Vec<String> {
    let dom = Dom::parse(html, Mode::Html);
    paragraphs_under(&dom, 0, &|_| false)
}

/// The paragraphs under `root` of `dom`, skipping subtrees `skip` names.
pub fn paragraphs_under(dom: &Dom<'_>, root: NodeId, skip: &dyn Fn(NodeId) -> bool) -> Vec<String> {
    linked_paragraphs_under(dom, root, skip)
        .into_iter()
        .map(|p| p.text)
        .collect()
}

/// A paragraph and how much of it is link text.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkedParagraph {
    /// The paragraph.
    pub text: String,
    /// Share of its characters inside links, 0 to 1.
    pub link_share: f32,
    /// The element that ended or holds it (its block), for callers that check ancestry.
    pub block: NodeId,
}

/// Like [`paragraphs_under`], with each paragraph's share of link text.
pub fn linked_paragraphs_under(
    dom: &Dom<'_>,
    root: NodeId,
    skip: &dyn Fn(NodeId) -> bool,
) -> Vec<LinkedParagraph> {
    let mut collector = Collector {
        block: root,
        ..Collector::default()
    };
    collector.walk(dom, root, skip);
    collector.finish()
}

#[derive(Default)]
struct Collector {
    /// Lines of the paragraph being built (split by single `<br>`).
    lines: Vec<String>,
    line: String,
    /// `<br>` seen since the last text.
    breaks: usize,
    /// Open `<a>` elements.
    in_link: usize,
    chars: usize,
    link_chars: usize,
    block: NodeId,
    out: Vec<LinkedParagraph>,
}

impl Collector {
    fn walk(&mut self, dom: &Dom<'_>, root: NodeId, skip: &dyn Fn(NodeId) -> bool) {
        // Explicit stack: (node, entering).
        let mut stack = vec![(root, true)];
        while let Some((id, entering)) = stack.pop() {
            let Some(node) = dom.nodes.get(id) else {
                continue;
            };
            match &node.kind {
                NodeKind::Text(t) => {
                    if entering && !t.trim().is_empty() {
                        if self.breaks >= 2 {
                            self.end_paragraph();
                        } else if self.breaks == 1 {
                            self.end_line();
                        }
                        self.breaks = 0;
                        let n = t.chars().filter(|c| !c.is_whitespace()).count();
                        self.chars += n;
                        if self.in_link > 0 {
                            self.link_chars += n;
                        }
                        self.line.push_str(t);
                    } else if entering {
                        self.line.push(' ');
                    }
                }
                NodeKind::Element { name, .. } => {
                    let name = name.as_ref();
                    if entering {
                        if id != root && (INVISIBLE.contains(&name) || skip(id)) {
                            continue;
                        }
                        if name == "br" {
                            self.breaks += 1;
                            continue;
                        }
                        if BLOCKS.contains(&name) {
                            self.end_paragraph();
                            self.block = id;
                        }
                        if name == "a" {
                            self.in_link += 1;
                        }
                        stack.push((id, false));
                        stack.extend(node.children.iter().rev().map(|&c| (c, true)));
                    } else if BLOCKS.contains(&name) {
                        self.end_paragraph();
                    } else if name == "a" {
                        self.in_link = self.in_link.saturating_sub(1);
                    } else if name == "img" {
                        self.line.push(' ');
                    }
                }
                NodeKind::Document => {
                    stack.extend(node.children.iter().rev().map(|&c| (c, true)));
                }
            }
        }
    }

    fn end_line(&mut self) {
        let line = collapse_whitespace(&self.line);
        self.line.clear();
        if !line.is_empty() {
            self.lines.push(line);
        }
    }

    fn end_paragraph(&mut self) {
        self.end_line();
        self.breaks = 0;
        if !self.lines.is_empty() {
            #[allow(clippy::cast_precision_loss)]
            let link_share = self.link_chars as f32 / self.chars.max(1) as f32;
            let block = self.block;
            self.out.extend(
                join_lines(&self.lines)
                    .into_iter()
                    .map(|text| LinkedParagraph {
                        text,
                        link_share,
                        block,
                    }),
            );
            self.lines.clear();
        }
        self.chars = 0;
        self.link_chars = 0;
    }

    fn finish(mut self) -> Vec<LinkedParagraph> {
        self.end_paragraph();
        self.out
    }
}

/// True when `text` holds HTML markup or character references, so it should be read as
/// HTML; `Vec<u8> vs String` or `x < 5 and y > 3` is plain text.
#[must_use]
pub fn looks_like_html(text: &str) -> bool {
    const TAGS: &[&str] = &[
        "a",
        "abbr",
        "b",
        "big",
        "blockquote",
        "br",
        "center",
        "cite",
        "code",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "font",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "table",
        "td",
        "th",
        "tr",
        "tt",
        "u",
        "ul",
        "figure",
        "figcaption",
        "section",
        "article",
        "iframe",
        "script",
        "style",
        "video",
        "audio",
        "source",
        "picture",
        "svg",
        "math",
        "object",
        "embed",
    ];
    let lower = text.to_ascii_lowercase();
    for (i, _) in lower.match_indices('<') {
        let rest = &lower[i + 1..];
        if rest.starts_with("!--") || rest.starts_with("![cdata[") {
            return true;
        }
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let after = rest[name_len..].chars().next();
        if TAGS.contains(&&rest[..name_len])
            && matches!(after, Some('>' | '/' | ' ' | '\t' | '\n' | '\r'))
        {
            return true;
        }
    }
    lower.contains('&')
        && lower.split('&').skip(1).any(|after| {
            let end = after.find(';').unwrap_or(usize::MAX);
            end < 12
                && end > 0
                && (after[..end].chars().all(|c| c.is_ascii_alphanumeric())
                    || after.starts_with('#'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_become_lines_and_entities_decode() {
        let text = html_to_text(
            "<p>Bridge &amp; road <b>open</b></p><p>Second&nbsp;para &#8220;q&#8221; caf&eacute;</p>",
        );
        assert_eq!(text, "Bridge & road open\n\nSecond para “q” café");
    }

    #[test]
    fn scripts_styles_and_comments_vanish() {
        let text = html_to_text(
            "<head><title>x</title></head><script>var a = '<p>';</script><!-- c --><div>本报讯 昨天</div>",
        );
        assert_eq!(text, "本报讯 昨天");
    }

    #[test]
    fn a_newline_or_single_break_inside_a_sentence_is_joined() {
        assert_eq!(
            html_paragraphs("<p>supplies and\nexperiments to<br>the lab.<br><br>Next.</p>"),
            vec!["supplies and experiments to the lab.", "Next."]
        );
        assert_eq!(
            html_paragraphs("Line one ends.<br>Line two."),
            vec!["Line one ends.", "Line two."]
        );
    }

    #[test]
    fn plain_text_is_not_mistaken_for_html() {
        assert!(!looks_like_html("Vec<u8> vs String"));
        assert!(!looks_like_html("x < 5 and y > 3"));
        assert!(!looks_like_html("AT&T results"));
        assert!(looks_like_html("<p>Hello</p>"));
        assert!(looks_like_html("caf&eacute;"));
        assert!(looks_like_html("a <b>bold</b> move"));
    }

    #[test]
    fn broken_markup_does_not_panic() {
        assert_eq!(html_to_text("a < b &amp c"), "a < b &amp c");
        let _ = html_to_text("<p");
    }
}
