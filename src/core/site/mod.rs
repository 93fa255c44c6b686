//! A digital edition's site (数字报, e-edition) read by its structure, never by rules keyed to
//! one site: from a day's index, the pages (版面: number, name, address) in the paper's order
//! ([`find_pages`]); from a page, the links to its articles ([`find_articles`]); and whether an
//! address belongs to another day than the one asked for ([`names_another_day`]). Pure: HTML
//! and addresses in, links out; fetching them is `crate::app::site_reader`.

mod articles;
mod links;
mod page_label;

use url::Url;

pub use articles::{ArticleLink, find_articles, names_another_day};
pub use links::{Link, same_site, site_links};
pub use page_label::read_page_label;

use super::edition::PageRef;

/// A page of the day as the site lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLink {
    /// Its number and name.
    pub page: PageRef,
    /// Its address.
    pub url: Url,
}

/// The day's pages an index lists, in the order listed, each number once: links whose words
/// read as a page label (`第02版：综合新闻`, `A6 · Local`). Fewer than two such pages means the
/// document is not a digital edition's index, and nothing is returned.
#[must_use]
pub fn find_pages(html: &str, address: &Url) -> Vec<PageLink> {
    let mut pages: Vec<PageLink> = Vec::new();
    let mut numbers: std::collections::HashSet<String> = std::collections::HashSet::new();
    for link in site_links(html, address) {
        let Some(page) = read_page_label(&link.text) else {
            continue;
        };
        if !numbers.insert(page.number.clone()) {
            continue;
        }
        pages.push(PageLink {
            page,
            url: link.url,
        });
    }
    if pages.len() < 2 { Vec::new() } else { pages }
}

/// The `<title>` of a page.
#[must_use]
pub fn page_title(html: &str) -> Option<String> {
    let dom = crate::core::markup::Dom::parse(html, crate::core::markup::Mode::Html);
    dom.elements("title")
        .map(|id| dom.text(id))
        .find(|t| !t.trim().is_empty())
}

/// The site's name: the part of its pages' titles they all share (`桐川日报数字报` in
/// `桐川日报数字报-第01版：要闻` and `桐川日报数字报-第02版：综合新闻`), when two or more
/// titles share one.
#[must_use]
pub fn site_name(titles: &[String]) -> Option<String> {
    let parts = |title: &str| -> Vec<String> {
        title
            .split(['-', '_', '|', '｜', '—', '–', '·'])
            .map(str::trim)
            .filter(|p| p.chars().count() >= 2)
            .map(str::to_owned)
            .collect()
    };
    let (first, rest) = titles.split_first()?;
    if rest.is_empty() {
        return None;
    }
    parts(first)
        .into_iter()
        .filter(|part| rest.iter().all(|t| parts(t).contains(part)))
        .filter(|part| read_page_label(part).is_none())
        .max_by_key(|part| part.chars().count())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_site_name_is_what_its_titles_share() {
        let titles = [
            "桐川日报数字报-第01版：要闻".to_owned(),
            "桐川日报数字报-第02版：综合新闻".to_owned(),
        ];
        assert_eq!(site_name(&titles).as_deref(), Some("桐川日报数字报"));
        let titles = [
            "e-Edition | Page A1 | The Riverton Ledger".to_owned(),
            "e-Edition | Page A2 | The Riverton Ledger".to_owned(),
        ];
        assert_eq!(site_name(&titles).as_deref(), Some("The Riverton Ledger"));
        assert_eq!(site_name(&["Only one".to_owned()]), None);
    }

    use super::*;

    #[test]
    fn an_index_lists_its_pages_once_each_in_order() {
        let html = r#"<div class="pages">
            <a href="node_1.htm">第01版：要闻</a><a href="node_2.htm">第02版：综合新闻</a>
            <a href="node_3.htm">第03版：城事·民生</a></div>
            <a href="node_2.htm">下一版</a><a href="node_2.htm">第02版：综合新闻</a>
            <a href="../../2026-11/30/node_1.htm">2026-11-30</a>"#;
        let address = Url::parse("http://paper.example/html/2026-12/01/node_1.htm").expect("url");
        let pages = find_pages(html, &address);
        let shown: Vec<(&str, Option<&str>, &str)> = pages
            .iter()
            .map(|p| (p.page.number.as_str(), p.page.name.as_deref(), p.url.path()))
            .collect();
        assert_eq!(
            shown,
            [
                ("1", Some("要闻"), "/html/2026-12/01/node_1.htm"),
                ("2", Some("综合新闻"), "/html/2026-12/01/node_2.htm"),
                ("3", Some("城事·民生"), "/html/2026-12/01/node_3.htm"),
            ]
        );
    }

    #[test]
    fn a_news_page_with_numbered_pagination_is_not_an_index() {
        let html = r#"<p>Story text.</p><a href="?page=1">Page 1</a><a href="?page=2">Page 2</a>
            <a href="?page=3">3</a>"#;
        let address = Url::parse("https://news.example/story").expect("url");
        assert!(find_pages(html, &address).is_empty());
    }
}
