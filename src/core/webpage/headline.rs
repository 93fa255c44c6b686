//! Chooses a page's headline: an `h1` or headline-marked element that the page's own
//! metadata confirms, else the JSON-LD headline, else `og:title`, else `<title>`, each with
//! the site name cut (`Headline | Site`, `标题_网站`, `标题-新华网`); then the kicker above
//! and the subtitle below the headline element, and the site's name.

use super::metadata::PageMeta;
use crate::core::edition::{Language, read_byline};
use crate::core::markup::{Dom, NodeId};
use crate::core::punctuation::is_cjk;

/// The headline and what stands around it.
#[derive(Debug, Clone, Default)]
pub struct Heads {
    /// The headline.
    pub title: Option<String>,
    /// The line above it (引题, kicker), when the page prints one.
    pub kicker: Option<String>,
    /// The line below it (副题, deck), when the page prints one.
    pub subtitle: Option<String>,
    /// The site's name.
    pub site_name: Option<String>,
    /// A byline printed just under the headline block, outside the article's text
    /// (`■记者 王晓峰`, `By Ann Lee | Staff Writer`).
    pub byline: Option<String>,
    /// Elements the headline block used (kept out of the body).
    pub owned: Vec<NodeId>,
}

/// Letters and digits only, lower-cased: how titles are compared.
fn norm(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Splits a page title at the separators sites put between headline and site name.
fn title_parts(title: &str) -> Vec<String> {
    let mut parts = vec![title.to_owned()];
    for sep in [
        " | ", " - ", " – ", " — ", " :: ", " » ", " « ", " · ", " • ", "｜", "|", "_", "--", "——",
    ] {
        parts = parts
            .iter()
            .flat_map(|p| p.split(sep).map(str::to_owned).collect::<Vec<_>>())
            .collect();
    }
    // `标题-新华网`: a hyphen between CJK characters.
    parts = parts
        .into_iter()
        .flat_map(|p| {
            let chars: Vec<char> = p.chars().collect();
            let mut out = Vec::new();
            let mut start = 0;
            for i in 1..chars.len().saturating_sub(1) {
                if matches!(chars[i], '-' | '—') && is_cjk(chars[i - 1]) && is_cjk(chars[i + 1]) {
                    out.push(chars[start..i].iter().collect::<String>());
                    start = i + 1;
                }
            }
            out.push(chars[start..].iter().collect::<String>());
            out
        })
        .collect();
    parts
        .into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

fn looks_like_site(part: &str, site: Option<&str>) -> bool {
    let n = norm(part);
    if let Some(site) = site {
        let s = norm(site);
        if !s.is_empty()
            && (n == s
                || (n.len() >= 3 && s.contains(&n))
                || n.contains(&s) && n.len() <= s.len() + 4)
        {
            return true;
        }
    }
    let lower = part.to_ascii_lowercase();
    (lower.contains('.') && !part.contains(' ') && lower.chars().any(|c| c.is_ascii_alphabetic()))
        || lower.starts_with("www")
}

/// `title` without the site's name: the longest part left once parts naming the site are
/// cut. A title with no separator is returned whole.
///
/// ```
/// use newsbot::core::webpage::strip_site_name;
///
/// assert_eq!(strip_site_name("Bridge opens | Riverton Courier", Some("Riverton Courier")), "Bridge opens");
/// assert_eq!(strip_site_name("青溪港三期码头投入试运行_青溪日报", None), "青溪港三期码头投入试运行");
/// ```
#[must_use]
pub fn strip_site_name(title: &str, site: Option<&str>) -> String {
    let mut parts = title_parts(title);
    // `Headline / Site`: a slash splits only before a site-like tail.
    if let Some(last) = parts.last_mut()
        && let Some((head, tail)) = last.rsplit_once(" / ")
        && looks_like_site(tail, site)
    {
        *last = head.trim().to_owned();
    }
    if parts.len() < 2 {
        return parts.pop().unwrap_or_else(|| title.trim().to_owned());
    }
    let rest: Vec<&String> = parts
        .iter()
        .filter(|p| !looks_like_site(p, site) && !is_date_like(p))
        .collect();
    rest.iter()
        .max_by_key(|p| p.chars().count())
        .map_or_else(String::new, |p| (*p).clone())
}

/// A piece that is only a date or time (`26 Oktober 2010`, `2026-11-29`, `Jun 17`).
fn is_date_like(piece: &str) -> bool {
    let words: Vec<&str> = piece.split_whitespace().collect();
    let digits = piece.chars().filter(char::is_ascii_digit).count();
    digits >= 1
        && words.len() <= 4
        && words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | '/' | '-' | ':' | ','))
                || (w.len() <= 10 && w.chars().all(char::is_alphabetic))
        })
        && piece.chars().filter(|c| c.is_alphabetic()).count() <= 10
}

/// True when all that `text` holds beyond `inner` is a date or the site's name.
fn only_date_or_site_beyond(text: &str, inner: &str, site: Option<&str>) -> bool {
    let extra = text.replacen(inner, " ", 1);
    let extra = extra
        .split([' ', '|', '-', '–', '—', ':', '·'])
        .filter(|w| !w.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    extra.is_empty() || is_date_like(&extra) || looks_like_site(&extra, site)
}

/// True when `candidate` (an element's text) is what `reference` (a title from metadata)
/// names: one holds the other and covers a good part of it.
fn confirmed(candidate: &str, reference: &str) -> bool {
    let c = norm(candidate);
    let r = norm(reference);
    if c.chars().count() < 4 || r.is_empty() {
        return false;
    }
    (r.contains(&c) && c.chars().count() * 3 >= r.chars().count())
        || (c.contains(&r) && r.chars().count() * 2 >= c.chars().count())
}

fn is_logo(dom: &Dom<'_>, id: NodeId) -> bool {
    let marks = |n: NodeId| {
        ["class", "id"].iter().any(|k| {
            dom.attr(n, k).is_some_and(|v| {
                let v = v.to_ascii_lowercase();
                v.contains("logo")
                    || v.contains("site-title")
                    || v.contains("site-name")
                    || v.contains("brand")
                    || v.contains("masthead")
            })
        })
    };
    marks(id) || dom.ancestors(id).take(2).any(marks)
}

/// Chooses the headline, kicker, subtitle and site name.
#[must_use]
pub fn choose(dom: &Dom<'_>, meta: &PageMeta) -> Heads {
    let title_site = meta.title_tag.as_deref().and_then(|t| {
        let parts = title_parts(t);
        (parts.len() >= 2)
            .then(|| parts.last().cloned())
            .flatten()
            .filter(|p| p.chars().count() <= 40)
    });
    let site = meta.site_name.clone();
    let references: Vec<&str> = [
        meta.meta_title.as_deref(),
        meta.declared_headline.as_deref(),
        meta.title_tag.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut heads = Heads {
        site_name: site.clone().or(title_site),
        ..Heads::default()
    };
    let candidates: Vec<(NodeId, String)> = meta
        .headline_elements
        .iter()
        .filter(|&&id| !is_logo(dom, id))
        .map(|&id| (id, dom.text(id)))
        .filter(|(_, t)| !t.is_empty() && t.chars().count() <= 300)
        .filter(|(_, t)| site.as_deref().is_none_or(|s| norm(s) != norm(t)))
        .collect();
    let chosen = candidates
        .iter()
        .find(|(_, t)| references.iter().any(|r| confirmed(t, r)));
    if let Some((id, text)) = chosen {
        // An element that holds the declared title and more (a date, a label) gives way to
        // the declared title.
        let tighter = references
            .iter()
            .filter(|r| !r.trim_end().ends_with("...") && !r.trim_end().ends_with('…'))
            .map(|r| strip_site_name(r, site.as_deref()))
            .find(|r| {
                let (c, n) = (norm(text), norm(r));
                n.chars().count() >= 8
                    && c != n
                    && c.contains(&n)
                    && only_date_or_site_beyond(text, r, site.as_deref())
            });
        heads.title = Some(tighter.unwrap_or_else(|| text.clone()));
        heads.owned.push(*id);
        around_headline(dom, *id, &mut heads);
        return heads;
    }
    let site_ref = heads.site_name.as_deref();
    let stripped = |t: &str| Some(strip_site_name(t, site_ref)).filter(|t| !t.is_empty());
    let lone_h1 = || {
        let h1s: Vec<&(NodeId, String)> = candidates
            .iter()
            .filter(|(id, _)| dom.name(*id) == Some("h1"))
            .collect();
        (h1s.len() == 1).then(|| h1s[0].1.clone())
    };
    let truncated = |t: &String| t.ends_with("...") || t.ends_with('…');
    heads.title = meta
        .declared_headline
        .clone()
        .filter(|t| !truncated(t))
        .or_else(|| meta.meta_title.as_deref().and_then(stripped))
        .or_else(|| meta.title_tag.as_deref().and_then(stripped))
        .or_else(lone_h1)
        .or_else(|| meta.declared_headline.clone())
        .or_else(|| candidates.first().map(|(_, t)| t.clone()))
        .filter(|t| !t.is_empty());
    // No headline element confirmed it: the element that prints the title exactly (a table
    // cell in bold, say) heads the article, with its kicker, subtitle and byline around it.
    if let Some(title) = heads.title.clone()
        && let Some(id) = element_printing(dom, &title)
    {
        heads.owned.push(id);
        around_headline(dom, id, &mut heads);
    }
    heads
}

/// The innermost element of the page's body whose whole text is `title`, outside links.
fn element_printing(dom: &Dom<'_>, title: &str) -> Option<NodeId> {
    let wanted = norm(title);
    if wanted.chars().count() < 4 {
        return None;
    }
    // From the text nodes that open the title, up a few levels: each element's text is
    // taken only where the title may be, not for every element of the page.
    let opening: String = wanted.chars().take(4).collect();
    let printing = |id: NodeId| {
        dom.name(id).is_some_and(|n| {
            !matches!(
                n,
                "title" | "head" | "a" | "option" | "script" | "style" | "meta"
            )
        }) && norm(&dom.text(id)) == wanted
            && innermost(dom, id) == id
            && !dom
                .ancestors(id)
                .any(|a| matches!(dom.name(a), Some("a" | "head" | "title")))
    };
    (1..dom.len())
        .filter(|&id| {
            // A text node that opens the title (or is its first part, the rest in a sibling).
            let text = if dom.name(id).is_none() {
                norm(&dom.text(id))
            } else {
                String::new()
            };
            !text.is_empty() && (text.starts_with(&opening) || wanted.starts_with(&text))
        })
        .find_map(|text| dom.ancestors(text).take(4).find(|&id| printing(id)))
}

/// The element's only element child, followed down: `<td><h2>…</h2></td>` is the heading.
fn innermost(dom: &Dom<'_>, mut id: NodeId) -> NodeId {
    for _ in 0..4 {
        let mut elements = dom.children(id).iter().filter(|&&c| dom.name(c).is_some());
        match (elements.next(), elements.next()) {
            (Some(&only), None) if dom.text(only) == dom.text(id) => id = only,
            _ => break,
        }
    }
    id
}

/// The headline element, lifted through wrappers that hold nothing else (a table cell, its
/// row), so its neighbours are found however the page nests them.
fn outermost(dom: &Dom<'_>, mut id: NodeId) -> NodeId {
    for _ in 0..3 {
        let parent = dom.nodes[id].parent;
        if parent == 0 {
            break;
        }
        let elements = dom
            .children(parent)
            .iter()
            .filter(|&&c| dom.name(c).is_some())
            .count();
        if elements != 1 || dom.text(parent) != dom.text(id) {
            break;
        }
        id = parent;
    }
    id
}

/// Reads the kicker just above and the subtitle just below the headline element, and a
/// byline just under them.
fn around_headline(dom: &Dom<'_>, id: NodeId, heads: &mut Heads) {
    let id = outermost(dom, id);
    let parent = dom.nodes[id].parent;
    let siblings: Vec<NodeId> = dom
        .children(parent)
        .iter()
        .copied()
        .filter(|&c| dom.name(c).is_some())
        .collect();
    let Some(at) = siblings.iter().position(|&c| c == id) else {
        return;
    };
    let is_head = |n: NodeId, max: usize| {
        let name = dom.name(n).unwrap_or("");
        let marked = dom.attr(n, "class").is_some_and(|c| {
            let c = c.to_ascii_lowercase();
            // Chinese newspaper systems' short class names: 引题 `yt`, 副题 `ft`.
            let coded = c
                .split(|ch: char| !ch.is_ascii_alphanumeric())
                .any(|token| matches!(token, "yt" | "ft" | "yinti" | "futi"));
            coded
                || [
                    "kicker",
                    "overline",
                    "eyebrow",
                    "subtitle",
                    "sub-title",
                    "subhead",
                    "deck",
                    "dek",
                    "standfirst",
                    "pretitle",
                ]
                .iter()
                .any(|w| c.contains(w))
        });
        let text = dom.text(n);
        ((matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6") || marked)
            && !text.is_empty()
            && text.chars().count() <= max)
            .then_some(text)
    };
    // Empty elements (a kicker's cell left blank) are passed over.
    let filled = |&&n: &&NodeId| !dom.text(n).is_empty();
    if let Some(&before) = siblings[..at].iter().rev().find(filled)
        && let Some(text) = is_head(innermost(dom, before), 80)
    {
        heads.kicker = Some(text);
        heads.owned.push(before);
    }
    let mut following = siblings[at + 1..].iter().filter(filled);
    let mut next = following.next();
    if let Some(&below) = next
        && let Some(text) = is_head(innermost(dom, below), 240)
    {
        heads.subtitle = Some(text);
        heads.owned.push(below);
        next = following.next();
    }
    if let Some(&next) = next {
        let text = dom.text(next);
        // A byline in either script (`By José Pérez`, `■记者 王晓峰`); the page's own language
        // reads it afterwards.
        let byline = [Language::Zh, Language::En]
            .into_iter()
            .any(|language| read_byline(&text, language).is_some());
        if !text.is_empty() && text.chars().count() <= 80 && byline {
            heads.byline = Some(text);
            heads.owned.push(next);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_names_are_cut_from_titles() {
        assert_eq!(
            strip_site_name("Headline here - CNN.com", None),
            "Headline here"
        );
        assert_eq!(
            strip_site_name("Rates rise again - Business - The Daily", Some("The Daily")),
            "Rates rise again"
        );
        assert_eq!(strip_site_name("标题内容很长-新华网", None), "标题内容很长");
        assert_eq!(strip_site_name("Just a title", None), "Just a title");
    }

    #[test]
    fn confirmation_needs_overlap() {
        assert!(confirmed("Bridge opens", "Bridge opens | Riverton Courier"));
        assert!(!confirmed(
            "Riverton",
            "Bridge opens today after years of work | Riverton Courier"
        ));
    }
}
