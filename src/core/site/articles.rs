//! The articles a page of a digital edition lists: of the page's same-site links that are not
//! pages, the ones of one address shape (`content_#.htm`, `/stories/#/#/#/*.html`) whose words
//! read as titles: a site's article links share a shape, its navigation and furniture do not.
//! Links that name another day (a "most read" box, the archive) are left out.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use url::Url;

use super::PageLink;
use super::links::site_links;
use super::page_label::read_page_label;
use crate::core::punctuation::char_len;

/// A link to an article of the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleLink {
    /// The title the page gives it (may be empty for an image-map link).
    pub title: String,
    /// Its address.
    pub url: Url,
}

/// Dates written in addresses: `2026-12/01`, `2026/12/01`, `2026-12-01`, `20261201`.
static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[^0-9])((?:19|20)\d{2})[-/_]?(0[1-9]|1[0-2])[-/_]?(0[1-9]|[12]\d|3[01])(?:[^0-9]|$)",
    )
    .expect("static regex")
});

/// True when `url` names a day and it is not `date`.
#[must_use]
pub fn names_another_day(url: &Url, date: NaiveDate) -> bool {
    let text = format!("{}?{}", url.path(), url.query().unwrap_or(""));
    let mut named = URL_DATE.captures_iter(&text).peekable();
    if named.peek().is_none() {
        return false;
    }
    !named.any(|caps| {
        let part = |i: usize| caps.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        part(1) == u32::try_from(date.year()).ok()
            && part(2) == Some(date.month())
            && part(3) == Some(date.day())
    })
}

/// The shape of an address: its folders with digits as `#`, its file's stem the same way (a
/// stem without digits, a slug, as `*`), its ending, and its query's keys.
fn shape(url: &Url) -> String {
    static DIGITS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d+").expect("static regex"));
    let path = url.path();
    let (folder, file) = path.rsplit_once('/').unwrap_or(("", path));
    let (stem, ending) = file.rsplit_once('.').unwrap_or((file, ""));
    // A slug is words (`council-approves-2027-budget`); an id is a word and a number
    // (`content_1001`).
    let words = stem
        .split(['-', '_', '.'])
        .filter(|w| w.chars().filter(char::is_ascii_alphabetic).count() >= 2)
        .count();
    let stem = if stem.is_empty() {
        String::new()
    } else if words >= 2 || !stem.chars().any(|c| c.is_ascii_digit()) {
        "*".to_owned()
    } else {
        DIGITS.replace_all(stem, "#").into_owned()
    };
    let mut keys: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
    keys.sort();
    format!(
        "{}/{stem}.{ending}?{}",
        DIGITS.replace_all(folder, "#"),
        keys.join("&")
    )
}

/// Words that read as an article's title: four characters of Chinese, or three words.
fn reads_as_title(text: &str) -> bool {
    let wide = text.chars().filter(|c| !c.is_ascii()).count();
    wide >= 4 || text.split_whitespace().count() >= 3 || (wide == 0 && char_len(text) >= 24)
}

/// The articles `html` (a page at `address`) lists for `date`, in the order listed, each once.
#[must_use]
pub fn find_articles(
    html: &str,
    address: &Url,
    pages: &[PageLink],
    date: NaiveDate,
) -> Vec<ArticleLink> {
    // Links grouped by shape, in order of first appearance; each address once per group.
    let mut groups: Vec<Vec<ArticleLink>> = Vec::new();
    let mut group_of: HashMap<String, usize> = HashMap::new();
    let mut place: HashMap<Url, (usize, usize)> = HashMap::new();
    let page_urls: HashSet<&Url> = pages.iter().map(|p| &p.url).collect();
    for link in site_links(html, address) {
        if link.url == *address
            || page_urls.contains(&link.url)
            || read_page_label(&link.text).is_some()
            || names_another_day(&link.url, date)
            || link.url.path() == "/"
        {
            continue;
        }
        if let Some(&(g, i)) = place.get(&link.url) {
            if groups[g][i].title.is_empty() {
                groups[g][i].title = link.text;
            }
            continue;
        }
        let next = groups.len();
        let g = *group_of.entry(shape(&link.url)).or_insert(next);
        if g == next {
            groups.push(Vec::new());
        }
        place.insert(link.url.clone(), (g, groups[g].len()));
        groups[g].push(ArticleLink {
            title: link.text,
            url: link.url,
        });
    }
    let titled = |group: &[ArticleLink]| group.iter().filter(|a| reads_as_title(&a.title)).count();
    let mut best: Option<(usize, Vec<ArticleLink>)> = None;
    for group in groups {
        let score = titled(&group);
        if score > 0 && best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, group));
        }
    }
    best.map(|(_, group)| group).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).expect("date")
    }

    #[test]
    fn addresses_that_name_another_day_are_told() {
        let url = |s: &str| Url::parse(s).expect("url");
        assert!(!names_another_day(
            &url("http://x.example/html/2026-12/01/content_5.htm"),
            day()
        ));
        assert!(names_another_day(
            &url("http://x.example/html/2026-11/30/node_1.htm"),
            day()
        ));
        assert!(names_another_day(
            &url("http://x.example/stories/2026/11/28/a.html"),
            day()
        ));
        assert!(!names_another_day(
            &url("http://x.example/e/20261201/a1.html"),
            day()
        ));
        assert!(!names_another_day(
            &url("http://x.example/content_1001.htm"),
            day()
        ));
        assert!(!names_another_day(
            &url("http://x.example/a?date=2026-12-01"),
            day()
        ));
    }

    #[test]
    fn a_page_lists_the_links_of_its_article_shape_and_not_its_furniture() {
        let html = r#"<nav><a href="/">Home</a><a href="/subscribe">Subscribe</a>
              <a href="/obituaries">Obituaries</a></nav>
            <a href="a2.html">Next page</a>
            <article><a href="/stories/2026/12/01/council-passes-budget.html">Council passes budget after long debate</a></article>
            <article><a href="/stories/2026/12/01/library-reopens.html">Library reopens with longer hours</a></article>
            <article><a href="/stories/2026/12/01/budget-2027-passes.html">Budget for 2027 passes on a late vote</a></article>
            <aside><a href="/stories/2026/11/28/old-story.html">An old story everyone read</a></aside>
            <a href="/stories/2026/12/01/council-passes-budget.html">Read more</a>"#;
        let address = Url::parse("http://ledger.example/eedition/2026-12-01/a1.html").expect("url");
        let found = find_articles(html, &address, &[], day());
        let paths: Vec<&str> = found.iter().map(|a| a.url.path()).collect();
        assert_eq!(
            paths,
            [
                "/stories/2026/12/01/council-passes-budget.html",
                "/stories/2026/12/01/library-reopens.html",
                "/stories/2026/12/01/budget-2027-passes.html"
            ]
        );
        assert_eq!(found[0].title, "Council passes budget after long debate");
    }

    #[test]
    fn image_map_links_add_nothing_twice_and_pages_are_not_articles() {
        let html = r#"<a href="node_2.htm">第02版：综合</a><a href="node_2.htm">下一版</a>
            <map><area href="content_1001.htm"><area href="content_1002.htm"></map>
            <ul><li><a href="content_1001.htm">城南大桥明日通车</a></li>
            <li><a href="content_1002.htm">老街改造完工迎客</a></li></ul>"#;
        let address = Url::parse("http://paper.example/html/2026-12/01/node_1.htm").expect("url");
        let found = find_articles(html, &address, &[], day());
        let titles: Vec<&str> = found.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["城南大桥明日通车", "老街改造完工迎客"]);
    }
}
