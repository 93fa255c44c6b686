//! What a news page says about itself: `<title>`, `og:`/`twitter:`/`article:` meta tags,
//! JSON-LD (`NewsArticle`, `Article`, `BlogPosting`, in `@graph` or not), `itemprop`
//! microdata, the `h1`s and headline-classed elements, the canonical link and `<base>`.

use serde_json::Value;
use url::Url;

use crate::core::markup::{Dom, NodeId, collapse_whitespace};
use crate::core::prose::web_link;

/// Everything a page declares about its article.
#[derive(Debug, Clone, Default)]
pub struct PageMeta {
    /// `<title>` text.
    pub title_tag: Option<String>,
    /// `og:title`, else `twitter:title`, else a `title` meta.
    pub meta_title: Option<String>,
    /// JSON-LD or microdata headline.
    pub declared_headline: Option<String>,
    /// `og:site_name` or `application-name`.
    pub site_name: Option<String>,
    /// Authors from meta tags or JSON-LD.
    pub authors: Vec<String>,
    /// Publication date as written.
    pub published: Option<String>,
    /// Lead image.
    pub image: Option<String>,
    /// Canonical address.
    pub canonical: Option<String>,
    /// JSON-LD `articleBody`.
    pub article_body: Option<String>,
    /// `og:description` / `description`.
    pub description: Option<String>,
    /// The page's `lang`.
    pub language: Option<String>,
    /// Headline-like elements (`h1`, `itemprop=headline`, `.entry-title` …), in order.
    pub headline_elements: Vec<NodeId>,
    /// The base for relative links (`<base href>` over the document's address).
    pub base: Option<Url>,
}

const ARTICLE_TYPES: &[&str] = &[
    "newsarticle",
    "article",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "techarticle",
    "scholarlyarticle",
    "report",
    "liveblogposting",
    "socialmediaposting",
    "posting",
];

/// Class or id words that mark an element as the article's headline.
fn is_headline_class(value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    v.split(|c: char| c.is_whitespace()).any(|token| {
        matches!(
            token,
            "entry-title"
                | "post-title"
                | "article-title"
                | "story-title"
                | "news-title"
                | "content-title"
                | "article-headline"
                | "story-headline"
                | "post-headline"
                | "headline"
                | "entry-headline"
                | "article__title"
                | "article__headline"
                | "c-article-title"
                | "title-article"
                | "detail-title"
                | "art_title"
                | "arttitle"
        ) || (token.contains("headline") && !token.contains("sub"))
    })
}

/// Reads the page's declarations.
#[must_use]
pub fn read_meta(dom: &Dom<'_>, address: Option<&Url>) -> PageMeta {
    let mut meta = PageMeta {
        base: address.cloned(),
        ..PageMeta::default()
    };
    let mut og_title = None;
    let mut tw_title = None;
    let mut plain_title = None;
    let mut og_image = None;
    let mut tw_image = None;
    let mut ld_image = None;
    let mut og_url = None;
    for id in 1..dom.nodes.len() {
        let Some(name) = dom.name(id) else { continue };
        match name {
            "html" if meta.language.is_none() => {
                meta.language = dom.attr(id, "lang").map(|l| l.into_owned());
            }
            "base" => {
                if let Some(href) = dom.attr(id, "href")
                    && let Some(url) = web_link(&href, meta.base.as_ref())
                {
                    meta.base = Url::parse(&url).ok();
                }
            }
            "title" if meta.title_tag.is_none() => {
                let t = dom.text(id);
                if !t.is_empty() {
                    meta.title_tag = Some(t);
                }
            }
            "meta" => {
                let key = dom
                    .attr(id, "property")
                    .or_else(|| dom.attr(id, "name"))
                    .or_else(|| dom.attr(id, "itemprop"))
                    .map(|k| k.trim().to_ascii_lowercase());
                let Some(key) = key else { continue };
                let Some(content) = dom
                    .attr(id, "content")
                    .map(|c| collapse_whitespace(&c))
                    .filter(|c| !c.is_empty())
                else {
                    continue;
                };
                match key.as_str() {
                    "og:title" => og_title = og_title.or(Some(content)),
                    "twitter:title" => tw_title = tw_title.or(Some(content)),
                    "title" | "dc.title" | "sailthru.title" | "parsely-title" => {
                        plain_title = plain_title.or(Some(content));
                    }
                    "headline" => {
                        meta.declared_headline = meta.declared_headline.take().or(Some(content));
                    }
                    "og:site_name" | "application-name" => {
                        meta.site_name = meta.site_name.take().or(Some(content));
                    }
                    "author" | "article:author" | "dc.creator" | "sailthru.author"
                    | "parsely-author" | "byl"
                        if !content.contains("://")
                            && content.chars().count() <= 80
                            && !meta.authors.contains(&content) =>
                    {
                        meta.authors.push(content);
                    }
                    "article:published_time"
                    | "og:published_time"
                    | "pubdate"
                    | "publishdate"
                    | "publish-date"
                    | "datepublished"
                    | "date"
                    | "dc.date"
                    | "dc.date.issued"
                    | "sailthru.date"
                    | "parsely-pub-date"
                    | "article.published"
                    | "publication_date" => {
                        meta.published = meta.published.take().or(Some(content));
                    }
                    "og:image" | "og:image:url" | "og:image:secure_url" => {
                        og_image = og_image.or(Some(content));
                    }
                    "twitter:image" | "twitter:image:src" => tw_image = tw_image.or(Some(content)),
                    "og:url" => og_url = og_url.or(Some(content)),
                    "og:description" | "description" | "twitter:description" => {
                        meta.description = meta.description.take().or(Some(content));
                    }
                    _ => {}
                }
            }
            "link" => {
                let rel = dom
                    .attr(id, "rel")
                    .map(|r| r.to_ascii_lowercase())
                    .unwrap_or_default();
                if rel.split_whitespace().any(|r| r == "canonical")
                    && let Some(href) = dom.attr(id, "href")
                {
                    meta.canonical = meta.canonical.take().or(Some(href.into_owned()));
                }
            }
            "script" => {
                let is_ld = dom
                    .attr(id, "type")
                    .is_some_and(|t| t.to_ascii_lowercase().contains("ld+json"));
                if is_ld {
                    let raw: String = dom
                        .children(id)
                        .iter()
                        .filter_map(|&c| match &dom.nodes[c].kind {
                            crate::core::markup::NodeKind::Text(t) => Some(t.as_ref()),
                            _ => None,
                        })
                        .collect();
                    read_json_ld(&raw, &mut meta, &mut ld_image);
                }
            }
            _ => {}
        }
        if dom.nodes[id].children.is_empty() {
            continue;
        }
        let marked_headline = dom
            .attr(id, "itemprop")
            .is_some_and(|p| p.eq_ignore_ascii_case("headline"))
            || dom.attr(id, "class").is_some_and(|c| is_headline_class(&c))
            || dom.attr(id, "id").is_some_and(|c| is_headline_class(&c));
        if (name == "h1" || (marked_headline && name != "meta" && name != "body"))
            && !meta.headline_elements.contains(&id)
        {
            meta.headline_elements.push(id);
        }
    }
    meta.meta_title = og_title.or(tw_title).or(plain_title);
    let base = meta.base.clone();
    meta.image = og_image
        .or(tw_image)
        .or(ld_image)
        .and_then(|i| web_link(&i, base.as_ref()));
    meta.canonical = meta
        .canonical
        .take()
        .or(og_url)
        .and_then(|c| web_link(&c, base.as_ref()));
    meta
}

fn read_json_ld(raw: &str, meta: &mut PageMeta, image: &mut Option<String>) {
    let raw = raw
        .trim()
        .trim_start_matches("<!--")
        .trim_end_matches("-->");
    let Ok(value) = serde_json::from_str::<Value>(raw.trim()) else {
        return;
    };
    let mut stack = vec![&value];
    let mut seen = 0;
    while let Some(v) = stack.pop() {
        seen += 1;
        if seen > 2_000 {
            break;
        }
        match v {
            Value::Array(items) => stack.extend(items.iter()),
            Value::Object(map) => {
                if let Some(graph) = map.get("@graph") {
                    stack.push(graph);
                }
                if let Some(main) = map.get("mainEntity") {
                    stack.push(main);
                }
                let types: Vec<String> = match map.get("@type") {
                    Some(Value::String(t)) => vec![t.to_ascii_lowercase()],
                    Some(Value::Array(ts)) => ts
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_ascii_lowercase)
                        .collect(),
                    _ => Vec::new(),
                };
                if !types.iter().any(|t| ARTICLE_TYPES.contains(&t.as_str())) {
                    continue;
                }
                let s = |key: &str| {
                    map.get(key)
                        .and_then(Value::as_str)
                        .map(|t| collapse_whitespace(&crate::core::markup::decode_entities(t)))
                        .filter(|t| !t.is_empty())
                };
                if meta.declared_headline.is_none() {
                    meta.declared_headline = s("headline").or_else(|| s("name"));
                }
                if meta.published.is_none() {
                    meta.published = s("datePublished").or_else(|| s("dateCreated"));
                }
                if meta.article_body.is_none()
                    && let Some(body) = map.get("articleBody").and_then(Value::as_str)
                {
                    meta.article_body = Some(body.to_owned());
                }
                if meta.authors.is_empty() {
                    meta.authors = people(map.get("author"));
                }
                if image.is_none() {
                    *image = first_url(map.get("image"));
                }
            }
            _ => {}
        }
    }
}

fn people(value: Option<&Value>) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack: Vec<&Value> = value.into_iter().collect();
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) if !s.contains("://") && s.chars().count() <= 80 => {
                out.push(collapse_whitespace(s));
            }
            Value::Object(map) => {
                if let Some(Value::String(name)) = map.get("name")
                    && !name.contains("://")
                    && name.chars().count() <= 80
                {
                    out.push(collapse_whitespace(name));
                }
            }
            Value::Array(items) => stack.extend(items.iter().rev()),
            _ => {}
        }
    }
    out.retain(|n| !n.is_empty());
    out.dedup();
    out
}

fn first_url(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Object(map) => map.get("url").and_then(Value::as_str).map(str::to_owned),
        Value::Array(items) => items.iter().find_map(|i| first_url(Some(i))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::markup::Mode;

    #[test]
    fn meta_tags_and_json_ld_are_read() {
        let html = r#"<html lang="en"><head><title>Bridge opens | Riverton Courier</title>
            <meta property="og:site_name" content="Riverton Courier">
            <meta property="og:image" content="/img/bridge.jpg">
            <link rel="canonical" href="/news/bridge">
            <script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","headline":"Bridge opens &amp; traffic flows","datePublished":"2026-11-29T08:00:00Z","author":[{"@type":"Person","name":"Ann Lee"}]}]}</script>
            </head><body><h1 class="entry-title">Bridge opens</h1></body></html>"#;
        let dom = Dom::parse(html, Mode::Html);
        let base = Url::parse("https://courier.example/x/y").ok();
        let meta = read_meta(&dom, base.as_ref());
        assert_eq!(
            meta.title_tag.as_deref(),
            Some("Bridge opens | Riverton Courier")
        );
        assert_eq!(meta.site_name.as_deref(), Some("Riverton Courier"));
        assert_eq!(
            meta.declared_headline.as_deref(),
            Some("Bridge opens & traffic flows")
        );
        assert_eq!(meta.authors, vec!["Ann Lee"]);
        assert_eq!(meta.published.as_deref(), Some("2026-11-29T08:00:00Z"));
        assert_eq!(
            meta.image.as_deref(),
            Some("https://courier.example/img/bridge.jpg")
        );
        assert_eq!(
            meta.canonical.as_deref(),
            Some("https://courier.example/news/bridge")
        );
        assert_eq!(meta.headline_elements.len(), 1);
        assert_eq!(meta.language.as_deref(), Some("en"));
    }
}
