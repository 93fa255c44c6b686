//! Finds a news page's body: text blocks are scored by their length and punctuation, the
//! score flows to their ancestors, link-heavy containers lose it, and the best container
//! with its like siblings is read into paragraphs. Navigation, share bars, related links,
//! comments and other furniture are left out by element, role and class/id words.

use crate::core::html_text::{LinkedParagraph, linked_paragraphs_under};
use crate::core::markup::{Dom, NodeId, NodeKind};
use crate::core::punctuation::{ends_sentence, is_wide_script};

use super::furniture::{FURNITURE, FURNITURE_ROLES, INLINE, class_id, class_weight, is_hidden};

/// Per-node facts the scorer needs.
struct Stats {
    removed: Vec<bool>,
    text: Vec<u32>,
    link: Vec<u32>,
    weight: Vec<i8>,
}

fn weighted_len(text: &str) -> (u32, u32) {
    let mut len = 0u32;
    let mut commas = 0u32;
    for c in text.chars() {
        if c.is_whitespace() {
            continue;
        }
        len += if is_wide_script(c) { 3 } else { 1 };
        if matches!(c, ',' | '，' | '、' | '；' | ';' | '。') {
            commas += 1;
        }
    }
    (len, commas)
}

/// Sums `own` (per text node) up the tree, skipping removed subtrees.
fn sum_up(dom: &Dom<'_>, removed: &[bool]) -> Vec<u32> {
    let n = dom.nodes.len();
    let mut text = vec![0u32; n];
    for id in (1..n).rev() {
        if removed[id] {
            continue;
        }
        if let NodeKind::Text(t) = &dom.nodes[id].kind {
            text[id] = weighted_len(t).0;
        }
        let parent = dom.nodes[id].parent;
        text[parent] += text[id];
    }
    text
}

fn stats(dom: &Dom<'_>, restored: &[NodeId]) -> Stats {
    let n = dom.nodes.len();
    // First by element and visibility alone, then by class words, which never remove an
    // element holding half the page's text (a page wrapper named `int-nav` or
    // `has-sidebar` is not furniture).
    let mut removed = vec![false; n];
    for id in 1..n {
        let parent = dom.nodes[id].parent;
        if removed[parent] {
            removed[id] = true;
            continue;
        }
        let Some(name) = dom.name(id) else { continue };
        if restored.contains(&id) {
            continue;
        }
        let role_furniture = dom
            .attr(id, "role")
            .is_some_and(|r| FURNITURE_ROLES.contains(&r.to_ascii_lowercase().as_str()));
        let article_header = name == "header"
            && dom
                .ancestors(id)
                .any(|a| matches!(dom.name(a), Some("article" | "main")));
        removed[id] =
            (FURNITURE.contains(&name) && !article_header) || role_furniture || is_hidden(dom, id);
    }
    let visible = sum_up(dom, &removed);
    let page_text = visible[0].max(1);
    let mut weight = vec![0i8; n];
    for id in 1..n {
        let parent = dom.nodes[id].parent;
        if removed[parent] {
            removed[id] = true;
            continue;
        }
        let Some(name) = dom.name(id) else { continue };
        if removed[id] || restored.contains(&id) {
            continue;
        }
        let w = class_weight(&class_id(dom, id));
        weight[id] = i8::try_from(w).unwrap_or(0);
        let main_role = dom
            .attr(id, "role")
            .is_some_and(|r| r.eq_ignore_ascii_case("main"));
        removed[id] = w < 0
            && !main_role
            && !matches!(name, "body" | "html" | "article" | "main")
            && visible[id] * 2 < page_text;
    }
    let mut text = vec![0u32; n];
    let mut link = vec![0u32; n];
    for id in (1..n).rev() {
        if removed[id] {
            continue;
        }
        if let NodeKind::Text(t) = &dom.nodes[id].kind {
            text[id] = weighted_len(t).0;
        }
        if dom.name(id) == Some("a") {
            link[id] = text[id];
        }
        let parent = dom.nodes[id].parent;
        text[parent] += text[id];
        link[parent] += link[id];
    }
    Stats {
        removed,
        text,
        link,
        weight,
    }
}

fn tag_bonus(name: &str) -> f32 {
    match name {
        "article" => 15.0,
        "main" => 8.0,
        "div" | "section" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

/// The body's paragraphs, each with its link share; empty when no block of text is found.
#[must_use]
pub fn extract_body(
    dom: &Dom<'_>,
    headline_elements: &[NodeId],
    restored: &[NodeId],
) -> Vec<LinkedParagraph> {
    let st = stats(dom, restored);
    let n = dom.nodes.len();
    // Text per block (the nearest non-inline ancestor of each text node).
    let mut block_text = vec![0u32; n];
    let mut block_link = vec![0u32; n];
    let mut block_commas = vec![0u32; n];
    for id in 1..n {
        if st.removed[id] {
            continue;
        }
        let NodeKind::Text(t) = &dom.nodes[id].kind else {
            continue;
        };
        let (len, commas) = weighted_len(t);
        if len == 0 {
            continue;
        }
        let mut block = dom.nodes[id].parent;
        let mut in_link = false;
        while block != 0 && dom.name(block).is_some_and(|b| INLINE.contains(&b)) {
            in_link |= dom.name(block) == Some("a");
            block = dom.nodes[block].parent;
        }
        block_text[block] += len;
        block_commas[block] += commas;
        if in_link {
            block_link[block] += len;
        }
    }
    let mut score = vec![0f32; n];
    let mut touched = vec![false; n];
    for block in 1..n {
        let len = block_text[block];
        if len < 25 || block_link[block] * 2 > len {
            continue;
        }
        if dom
            .name(block)
            .is_some_and(|b| matches!(b, "h1" | "h2" | "h3" | "h4" | "h5" | "h6"))
        {
            continue;
        }
        #[allow(clippy::cast_precision_loss)]
        let points = 1.0 + block_commas[block] as f32 + (len as f32 / 100.0).min(3.0);
        let mut at = dom.nodes[block].parent;
        // A block that is itself a bare text container scores as its own parent would.
        let mut level = 0;
        while at != 0 && level < 5 {
            if !touched[at] {
                touched[at] = true;
                score[at] = dom.name(at).map_or(0.0, tag_bonus) + 25.0 * f32::from(st.weight[at]);
            }
            #[allow(clippy::cast_precision_loss)]
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[at] += points / divider;
            at = dom.nodes[at].parent;
            level += 1;
        }
    }
    let final_score = |id: NodeId| -> f32 {
        if !touched[id] || st.text[id] == 0 {
            return 0.0;
        }
        #[allow(clippy::cast_precision_loss)]
        let density = st.link[id] as f32 / st.text[id] as f32;
        score[id] * (1.0 - density)
    };
    let Some(top) = (1..n)
        .filter(|&id| touched[id] && !st.removed[id])
        .max_by(|&a, &b| final_score(a).total_cmp(&final_score(b)))
    else {
        return Vec::new();
    };
    let top = climb(dom, top, &touched, &final_score);
    let top_score = final_score(top).max(score[top]);
    let parent = dom.nodes[top].parent;
    let threshold = (top_score * 0.2).max(10.0);
    let mut roots = Vec::new();
    for &s in dom.children(parent) {
        if st.removed[s] || dom.name(s).is_none() {
            continue;
        }
        let include = s == top || (touched[s] && final_score(s) >= threshold) || {
            let len = st.text[s];
            #[allow(clippy::cast_precision_loss)]
            let density = if len == 0 {
                1.0
            } else {
                st.link[s] as f32 / len as f32
            };
            !matches!(dom.name(s), Some("ul" | "ol" | "table" | "dl" | "h1"))
                && ((len >= 80 && density < 0.25)
                    || (len > 0 && density == 0.0 && ends_sentence(&dom.text(s))))
        };
        if include {
            roots.push(s);
        }
    }
    let skip = |id: NodeId| st.removed[id] || headline_elements.contains(&id);
    roots
        .into_iter()
        .flat_map(|r| linked_paragraphs_under(dom, r, &skip))
        .collect()
}

/// The removed subtree (furniture by tag or class) that holds the most prose: blocks of 25
/// characters or more that are mostly not links, 150 in all. When a page gives no article,
/// its text may sit in an element whose name misleads (`aside.direct-content`,
/// `footer#meta-data`); it is tried next.
#[must_use]
pub fn most_prose_removed(dom: &Dom<'_>, restored: &[NodeId]) -> Option<NodeId> {
    let st = stats(dom, restored);
    let n = dom.nodes.len();
    let mut best: Option<(NodeId, u32)> = None;
    for root in 1..n {
        if !st.removed[root] || st.removed[dom.nodes[root].parent] || dom.name(root).is_none() {
            continue;
        }
        if matches!(
            dom.name(root),
            Some("script" | "style" | "noscript" | "template" | "svg" | "head" | "title")
        ) || is_hidden(dom, root)
        {
            continue;
        }
        let paragraphs = crate::core::html_text::linked_paragraphs_under(dom, root, &|_| false);
        // Small print is a footer's, not an article's.
        let all: usize = paragraphs.iter().map(|p| p.text.len()).sum();
        let legal: usize = paragraphs
            .iter()
            .filter(|p| is_legal_notice(&p.text))
            .map(|p| p.text.len())
            .sum();
        if legal * 3 > all {
            continue;
        }
        let prose: u32 = paragraphs
            .iter()
            .filter(|p| p.link_share <= 0.5)
            .map(|p| weighted_len(&p.text).0)
            .filter(|&len| len >= 25)
            .sum();
        if prose >= 150 && best.is_none_or(|(_, b)| prose > b) {
            best = Some((root, prose));
        }
    }
    best.map(|(id, _)| id)
}

/// A site's legal small print (`All rights reserved`, `Privacy Policy`), never an article.
fn is_legal_notice(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "all rights reserved",
        "copyright",
        "©",
        "privacy policy",
        "user agreement",
        "terms of use",
        "terms of service",
        "版权所有",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// Moves the chosen container up where the text is spread over a larger one: when three of
/// the best-scoring containers share an ancestor, when an ancestor scores better (as
/// readability.js does), or when the container is its parent's only child.
fn climb(
    dom: &Dom<'_>,
    top: NodeId,
    touched: &[bool],
    final_score: &dyn Fn(NodeId) -> f32,
) -> NodeId {
    let is_root = |id: NodeId| id == 0 || matches!(dom.name(id), Some("body" | "html"));
    let best = final_score(top);
    let mut ranked: Vec<NodeId> = (1..dom.nodes.len())
        .filter(|&id| touched[id] && id != top && final_score(id) >= best * 0.75)
        .collect();
    ranked.sort_by(|&a, &b| final_score(b).total_cmp(&final_score(a)));
    ranked.truncate(5);
    let mut top = top;
    if ranked.len() >= 3 {
        for ancestor in dom.ancestors(top).collect::<Vec<_>>() {
            if is_root(ancestor) {
                break;
            }
            let holds = ranked
                .iter()
                .filter(|&&alt| dom.ancestors(alt).any(|a| a == ancestor))
                .count();
            if holds >= 3 {
                top = ancestor;
                break;
            }
        }
    }
    let mut last = final_score(top);
    let floor = last / 3.0;
    let mut parent = dom.nodes[top].parent;
    while !is_root(parent) {
        if touched[parent] {
            let s = final_score(parent);
            if s < floor {
                break;
            }
            if s > last {
                top = parent;
                break;
            }
            last = s;
        }
        parent = dom.nodes[parent].parent;
    }
    loop {
        let parent = dom.nodes[top].parent;
        let only_child = !is_root(parent)
            && dom
                .children(parent)
                .iter()
                .filter(|&&c| dom.name(c).is_some())
                .count()
                == 1;
        if !only_child {
            return top;
        }
        top = parent;
    }
}
