//! What marks an element of a news page as furniture rather than the article: elements never
//! part of the text, ARIA roles, hidden elements, and the words of its class and id (share
//! bars, related links, comments, ads lose; article and content words win).

use crate::core::markup::{Dom, NodeId};

/// Elements never part of an article's text.
pub(super) const FURNITURE: &[&str] = &[
    "script",
    "style",
    "noscript",
    "nav",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "iframe",
    "svg",
    "template",
    "menu",
    "dialog",
    "input",
    "textarea",
    "label",
    "object",
    "embed",
    "canvas",
    "header",
    "head",
    "title",
    "figcaption",
];

/// Elements whose text belongs to the block around them.
pub(super) const INLINE: &[&str] = &[
    "a", "span", "b", "strong", "em", "i", "u", "font", "small", "big", "sup", "sub", "abbr",
    "cite", "code", "mark", "q", "s", "time", "del", "ins", "var", "tt", "strike", "bdi", "bdo",
    "wbr", "nobr",
];

/// ARIA roles of page furniture.
pub(super) const FURNITURE_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "dialog",
    "menu",
    "menubar",
    "search",
    "alert",
    "alertdialog",
    "toolbar",
    "tablist",
];

/// Class/id words (whole parts of a hyphenated or underscored name, or its start:
/// `comments`, `share_bar`) that mark furniture even beside an article word (`post-comments`).
const STRONG_NEGATIVE: &[&str] = &[
    "comment",
    "disqus",
    "share",
    "sharing",
    "social",
    "related",
    "newsletter",
    "subscribe",
    "signup",
    "promo",
    "sidebar",
    "breadcrumb",
    "cookie",
    "consent",
    "gdpr",
    "recommend",
    "trending",
    "popular",
    "outbrain",
    "taboola",
    "paywall",
    "advert",
    "sponsor",
    "pagination",
    "pager",
    "readmore",
    "mostread",
    "taglist",
    "authorbio",
    "newsticker",
];

/// Words that mark furniture unless an article word stands beside them.
const WEAK_NEGATIVE: &[&str] = &[
    "header",
    "footer",
    "masthead",
    "menu",
    "nav",
    "navbar",
    "navigation",
    "subnav",
    "topnav",
    "banner",
    "widget",
    "modal",
    "popup",
    "overlay",
    "login",
    "tags",
    "toolbar",
    "jump",
    "copyright",
    "disclaimer",
    "byline",
    "caption",
    "credit",
    "playlist",
    "gallery",
    "slideshow",
    "carousel",
    "ticker",
    "meta",
    "dateline",
    "timestamp",
    "follow",
    "donate",
    "feedback",
    "rating",
    "survey",
    "skip",
    "teaser",
];

/// Multi-part names that are furniture wherever they stand.
const NEGATIVE_PHRASES: &[&str] = &[
    "read-more",
    "more-stories",
    "most-read",
    "also-read",
    "author-bio",
    "author-info",
    "sign-up",
    "tag-list",
    "bio-box",
    "sr-only",
    "visually-hidden",
    "screen-reader",
    "next-article",
    "prev-article",
    "print-only",
    "site-header",
    "site-footer",
    "breaking-news",
];

/// Class/id words that mark an element as a likely home of the text.
const POSITIVE: &[&str] = &[
    "article",
    "body",
    "content",
    "entry",
    "hentry",
    "main",
    "post",
    "text",
    "blog",
    "story",
    "prose",
    "detail",
    "paragraph",
    "richtext",
    "contents",
    "news",
];

/// Name parts that only describe layout (`float-sidebar-container`, `widget-wrap`): a name
/// ending in one says nothing about what it holds.
const LAYOUT_PARTS: &[&str] = &[
    "container",
    "layout",
    "wrap",
    "wrapper",
    "enabled",
    "inner",
    "outer",
    "holder",
    "col",
    "column",
    "row",
    "grid",
    "flex",
    "fixed",
    "float",
    "sticky",
    "left",
    "right",
];

/// Class/id tokens that are ads on their own (matched as whole tokens: `ad`, not `head`).
const AD_TOKENS: &[&str] = &[
    "ad",
    "ads",
    "adv",
    "advert",
    "advertisement",
    "adsbygoogle",
    "ad-slot",
    "ad-container",
    "dfp",
];

pub(super) fn class_id(dom: &Dom<'_>, id: NodeId) -> String {
    let mut s = String::new();
    for key in ["class", "id"] {
        if let Some(v) = dom.attr(id, key) {
            // `relatedArticles` and `imgTeaserL` are names of parts too.
            let mut prev_lower = false;
            for c in v.chars() {
                if c.is_ascii_uppercase() && prev_lower {
                    s.push('-');
                }
                prev_lower = c.is_ascii_lowercase();
                s.push(c.to_ascii_lowercase());
            }
            s.push(' ');
        }
    }
    s
}

/// What one class or id token says: (furniture, article).
fn token_signal(token: &str) -> (bool, bool) {
    if AD_TOKENS.contains(&token) || NEGATIVE_PHRASES.iter().any(|p| token.contains(p)) {
        return (true, false);
    }
    let parts: Vec<&str> = token
        .split(['-', '_', ':', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    let has = |words: &[&str]| {
        parts.iter().any(|p| {
            // `commentary` is an article, not its comments.
            !p.starts_with("commentar")
                && words
                    .iter()
                    .any(|w| p.starts_with(w) && p.len() <= w.len() + 4)
        })
    };
    let pos = has(POSITIVE);
    if has(STRONG_NEGATIVE) {
        return (true, false);
    }
    // `entry-footer`, `post-meta`: the last word names what the element is.
    let head = parts
        .iter()
        .rev()
        .find(|p| !LAYOUT_PARTS.contains(p) && !p.chars().all(|c| c.is_ascii_digit()));
    if head.is_some_and(|h| matches!(*h, "footer" | "meta")) {
        return (true, false);
    }
    // A slug-like id (`nav_nur_die_folie__1`) is a name, not a role.
    if parts.len() >= 5 {
        return (false, pos);
    }
    if parts.last().is_some_and(|p| LAYOUT_PARTS.contains(p)) {
        return (false, pos);
    }
    (has(WEAK_NEGATIVE) && !pos, pos)
}

/// -1 for furniture words, +1 for article words, 0 for neither or both.
pub(super) fn class_weight(words: &str) -> i32 {
    let mut neg = false;
    let mut pos = false;
    for token in words.split_whitespace() {
        let (t_neg, t_pos) = token_signal(token);
        neg |= t_neg;
        pos |= t_pos && !t_neg;
    }
    match (neg, pos) {
        (true, false) => -1,
        (false, true) => 1,
        _ => 0,
    }
}

pub(super) fn is_hidden(dom: &Dom<'_>, id: NodeId) -> bool {
    dom.attr(id, "hidden").is_some()
        || dom
            .attr(id, "aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        || dom.attr(id, "style").is_some_and(|s| {
            let s: String = s.to_ascii_lowercase().split_whitespace().collect();
            s.contains("display:none") || s.contains("visibility:hidden")
        })
}
