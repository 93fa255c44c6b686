//! The links of a page as a reader of a digital edition sees them: `<a href>`, image-map
//! `<area href>` and `<option value>` (a page list in a drop-down), resolved against the
//! page's address, kept only when they stay on the same site and lead to a web page.

use url::Url;

use crate::core::markup::{Dom, Mode};

/// One link: where it goes, and its words (the anchor's text, else its `title` or `alt`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The resolved address, without its fragment.
    pub url: Url,
    /// What the link says.
    pub text: String,
}

/// File endings that are never a page or an article.
const NOT_PAGES: &[&str] = &[
    ".pdf", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".zip", ".rar", ".mp3", ".mp4",
    ".doc", ".docx", ".xls", ".xlsx", ".css", ".js", ".ico", ".xml", ".rss",
];

/// True when `url` is on the site of `base`: same scheme family, host and port.
#[must_use]
pub fn same_site(url: &Url, base: &Url) -> bool {
    matches!(url.scheme(), "http" | "https")
        && url.host_str() == base.host_str()
        && url.port_or_known_default() == base.port_or_known_default()
}

/// Most links read from one page: an index or a page of a paper has a few hundred; a page
/// with more is not read further.
pub const MAX_LINKS: usize = 10_000;

/// Every same-site link of `html`, in document order (an address may appear more than once),
/// at most [`MAX_LINKS`].
#[must_use]
pub fn site_links(html: &str, address: &Url) -> Vec<Link> {
    let dom = Dom::parse(html, Mode::Html);
    let base = dom
        .elements("base")
        .find_map(|id| dom.attr(id, "href"))
        .and_then(|href| address.join(href.trim()).ok())
        .unwrap_or_else(|| address.clone());
    let mut links = Vec::new();
    for id in 1..dom.len() {
        if links.len() >= MAX_LINKS {
            break;
        }
        let (target, text) = match dom.name(id) {
            Some("a" | "area") => {
                let Some(href) = dom.attr(id, "href") else {
                    continue;
                };
                let text = dom.text(id);
                let text = if text.is_empty() {
                    dom.attr(id, "title")
                        .or_else(|| dom.attr(id, "alt"))
                        .map(|t| t.trim().to_owned())
                        .unwrap_or_default()
                } else {
                    text
                };
                (href.trim().to_owned(), text)
            }
            Some("option") => {
                let Some(value) = dom.attr(id, "value") else {
                    continue;
                };
                (value.trim().to_owned(), dom.text(id))
            }
            _ => continue,
        };
        let lower = target.to_ascii_lowercase();
        if target.is_empty()
            || target.starts_with('#')
            || lower.starts_with("javascript:")
            || lower.starts_with("mailto:")
            || lower.starts_with("tel:")
        {
            continue;
        }
        let Ok(mut url) = base.join(&target) else {
            continue;
        };
        url.set_fragment(None);
        let path = url.path().to_ascii_lowercase();
        if !same_site(&url, address) || NOT_PAGES.iter().any(|end| path.ends_with(end)) {
            continue;
        }
        links.push(Link { url, text });
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_stay_on_the_site_and_lead_to_pages() {
        let html = r##"<html><body>
            <a href="node_2.htm">第02版：综合</a>
            <a href="/html/2026-12/01/content_9.htm#top">城南大桥通车</a>
            <a href="https://other.example/x.htm">elsewhere</a>
            <a href="page.pdf">PDF下载</a>
            <a href="javascript:void(0)">js</a>
            <a href="#">top</a>
            <map><area href="content_9.htm" alt="城南大桥通车"></map>
            <select><option value="node_3.htm">第03版：城事</option></select>
        </body></html>"##;
        let address = Url::parse("http://paper.example/html/2026-12/01/node_1.htm").expect("url");
        let links = site_links(html, &address);
        let shown: Vec<(String, String)> = links
            .iter()
            .map(|l| (l.url.path().to_owned(), l.text.clone()))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "/html/2026-12/01/node_2.htm".to_owned(),
                    "第02版：综合".to_owned()
                ),
                (
                    "/html/2026-12/01/content_9.htm".to_owned(),
                    "城南大桥通车".to_owned()
                ),
                (
                    "/html/2026-12/01/content_9.htm".to_owned(),
                    "城南大桥通车".to_owned()
                ),
                (
                    "/html/2026-12/01/node_3.htm".to_owned(),
                    "第03版：城事".to_owned()
                ),
            ]
        );
    }
}
