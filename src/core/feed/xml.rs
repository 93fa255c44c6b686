//! RSS (0.90, 0.91–0.94, 1.0/RDF, 2.0, with or without `version` or a default namespace),
//! Atom (0.3 and 1.0) and CDF read from a forgiving tree: an item is any `<item>` or
//! `<entry>` not inside another, its fields its direct children in a feed namespace (or none),
//! Dublin Core, `content:` or XHTML. Ill-formed XML is read as far as it goes.

use url::Url;

use super::{FeedDoc, FeedItem};
use crate::core::html_text::{looks_like_html, paragraphs_under};
use crate::core::markup::{Dom, Mode, NodeId, NodeKind, collapse_whitespace};
use crate::core::prose::{join_lines, web_link};

/// What a namespace is to a feed reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    /// RSS, RDF, Atom, CDF or no namespace.
    Core,
    /// Dublin Core (`dc:creator`, `dc:date`).
    Dc,
    /// `content:encoded`.
    Content,
    /// XHTML (`xhtml:body`).
    Xhtml,
    /// Media RSS (`media:title`, `media:description`): a fallback for a bare item.
    Media,
    /// iTunes podcast tags (`itunes:summary`, `itunes:subtitle`): a fallback too.
    Itunes,
    /// Anything else (`media:`, `itunes:` …): not the item's own fields.
    Other,
}

fn ns_of_uri(uri: &str) -> Ns {
    let u = uri.trim().to_ascii_lowercase();
    if u.contains("purl.org/dc/") {
        Ns::Dc
    } else if u.contains("purl.org/rss/1.0/modules/content") {
        Ns::Content
    } else if u.contains("w3.org/1999/xhtml") {
        Ns::Xhtml
    } else if u.contains("search.yahoo.com/mrss") {
        Ns::Media
    } else if u.contains("itunes.com/dtds/podcast") {
        Ns::Itunes
    } else if u.is_empty()
        || (u.contains("/rss") && !u.contains("/modules/"))
        || u.contains("rdf")
        || u.contains("atom")
        || u.contains("netscape.com")
        || u.contains("userland.com")
    {
        Ns::Core
    } else {
        Ns::Other
    }
}

fn ns_of_prefix(prefix: &str) -> Ns {
    match prefix.to_ascii_lowercase().as_str() {
        "" | "rss" | "atom" | "rdf" => Ns::Core,
        "dc" | "dcterms" => Ns::Dc,
        "content" => Ns::Content,
        "xhtml" | "html" => Ns::Xhtml,
        "media" => Ns::Media,
        "itunes" => Ns::Itunes,
        _ => Ns::Other,
    }
}

struct Reader<'d, 'a> {
    dom: &'d Dom<'a>,
    base: Option<&'d Url>,
}

impl<'a> Reader<'_, 'a> {
    /// The namespace of element `id`, from the `xmlns` declarations in scope.
    fn ns(&self, id: NodeId) -> Ns {
        let Some(name) = self.dom.name(id) else {
            return Ns::Other;
        };
        let (prefix, _) = name.rsplit_once(':').unwrap_or(("", name));
        let attr = if prefix.is_empty() {
            "xmlns".to_owned()
        } else {
            format!("xmlns:{prefix}")
        };
        for at in std::iter::once(id).chain(self.dom.ancestors(id)) {
            if let Some(uri) = self.dom.attr(at, &attr) {
                return ns_of_uri(&uri);
            }
        }
        ns_of_prefix(prefix)
    }

    fn local(&self, id: NodeId) -> String {
        self.dom
            .local_name(id)
            .unwrap_or_default()
            .to_ascii_lowercase()
    }

    /// The base URL in scope at `id` (`xml:base` on it or an ancestor, resolved outward).
    fn base_at(&self, id: NodeId) -> Option<Url> {
        let mut bases: Vec<String> = Vec::new();
        for at in std::iter::once(id).chain(self.dom.ancestors(id)) {
            if let Some(b) = self.dom.attr(at, "xml:base") {
                bases.push(b.into_owned());
            }
        }
        let mut url = self.base.cloned();
        for b in bases.iter().rev() {
            url = match &url {
                Some(u) => u.join(b.trim()).ok().or(Some(u.clone())),
                None => Url::parse(b.trim()).ok(),
            };
        }
        url
    }

    /// The text of `id` with markup read as `kind` says (`text`, `html`, `xhtml`).
    fn paragraphs(&self, id: NodeId) -> Vec<String> {
        let kind = self
            .dom
            .attr(id, "type")
            .map(|t| t.to_ascii_lowercase())
            .unwrap_or_default();
        let has_elements = self
            .dom
            .children(id)
            .iter()
            .any(|&c| self.dom.name(c).is_some());
        if kind.contains("xhtml") || has_elements {
            return paragraphs_under(self.dom, id, &|_| false);
        }
        let raw = self.raw_text(id);
        let as_html = match kind.as_str() {
            "text" | "text/plain" => false,
            "html" | "text/html" => true,
            _ => {
                self.dom
                    .attr(id, "mode")
                    .is_some_and(|m| m.eq_ignore_ascii_case("escaped"))
                    || looks_like_html(&raw)
            }
        };
        if as_html {
            crate::core::html_text::html_paragraphs(&raw)
        } else {
            join_lines(&raw.lines().collect::<Vec<_>>())
        }
    }

    /// The text content of `id`, entities decoded, markup kept as text.
    fn raw_text(&self, id: NodeId) -> String {
        let mut out = String::new();
        for d in self.dom.descendants(id) {
            if let NodeKind::Text(t) = &self.dom.nodes[d].kind {
                out.push_str(t);
            }
        }
        out
    }

    /// A one-line plain text (a title, a name).
    fn line(&self, id: NodeId) -> String {
        collapse_whitespace(&self.paragraphs(id).join(" "))
    }

    fn item(&self, id: NodeId) -> FeedItem {
        let mut item = FeedItem::default();
        let mut content: Option<Vec<String>> = None;
        let mut summary: Option<Vec<String>> = None;
        let mut alternate: Option<(u8, String)> = None;
        let mut guid_link: Option<String> = None;
        let mut dates: Vec<(u8, String)> = Vec::new();
        let mut core_title = false;
        let mut fallback_title: Option<String> = None;
        let mut fallback_summary: Option<Vec<String>> = None;
        for &child in self.dom.children(id) {
            if self.dom.name(child).is_none() {
                continue;
            }
            let ns = self.ns(child);
            if ns == Ns::Other {
                continue;
            }
            let local = self.local(child);
            match (ns, local.as_str()) {
                (Ns::Core | Ns::Dc, "title") if !core_title => {
                    let t = self.line(child);
                    if !t.is_empty() && (ns == Ns::Core || item.title.is_none()) {
                        core_title = ns == Ns::Core;
                        item.title = Some(t);
                    }
                }
                (Ns::Core, "link") => {
                    let rel = self
                        .dom
                        .attr(child, "rel")
                        .map_or_else(|| "alternate".to_owned(), |r| r.to_ascii_lowercase());
                    let href = self
                        .dom
                        .attr(child, "href")
                        .map(|h| h.into_owned())
                        .unwrap_or_else(|| self.raw_text(child));
                    let base = self.base_at(child);
                    if let Some(link) = web_link(&href, base.as_ref()) {
                        let html = self
                            .dom
                            .attr(child, "type")
                            .is_none_or(|t| t.contains("html"));
                        let rank = match (rel.as_str(), html) {
                            ("alternate", true) => 0,
                            ("alternate", false) => 1,
                            _ => continue,
                        };
                        if alternate.as_ref().is_none_or(|(r, _)| rank < *r) {
                            alternate = Some((rank, link));
                        }
                    }
                }
                (Ns::Core, "guid" | "id") => {
                    let permalink = self
                        .dom
                        .attr(child, "ispermalink")
                        .is_none_or(|p| !p.trim().eq_ignore_ascii_case("false"));
                    if permalink && local == "guid" {
                        let base = self.base_at(child);
                        guid_link = web_link(&self.raw_text(child), base.as_ref());
                    }
                }
                (Ns::Content, "encoded")
                | (Ns::Core, "fullitem" | "body")
                | (Ns::Xhtml, "body") => {
                    content.get_or_insert_with(|| self.paragraphs(child));
                }
                (Ns::Core, "content") if self.dom.attr(child, "src").is_none() => {
                    let p = self.paragraphs(child);
                    if !p.is_empty() {
                        content.get_or_insert(p);
                    }
                }
                (Ns::Core | Ns::Dc, "description" | "summary" | "abstract") => {
                    let p = self.paragraphs(child);
                    if !p.is_empty() {
                        summary.get_or_insert(p);
                    }
                }
                (Ns::Core, "author" | "contributor") | (Ns::Dc, "creator" | "contributor") => {
                    if let Some(name) = self.person(child)
                        && !item.authors.contains(&name)
                    {
                        item.authors.push(name);
                    }
                }
                (Ns::Media, "title") => {
                    fallback_title.get_or_insert_with(|| self.line(child));
                }
                (Ns::Media, "description") | (Ns::Itunes, "summary") => {
                    let p = self.paragraphs(child);
                    if !p.is_empty() {
                        fallback_summary.get_or_insert(p);
                    }
                }
                (Ns::Core | Ns::Dc, "pubdate" | "date" | "published" | "issued" | "created") => {
                    dates.push((0, self.raw_text(child)));
                }
                (Ns::Core | Ns::Dc, "updated" | "modified") => {
                    dates.push((1, self.raw_text(child)));
                }
                _ => {}
            }
        }
        // A CDF item names its link in an attribute.
        let href_attr = self
            .dom
            .attr(id, "href")
            .and_then(|h| web_link(&h, self.base_at(id).as_ref()));
        item.link = alternate.map(|(_, l)| l).or(guid_link).or(href_attr);
        item.paragraphs = content
            .filter(|c| !c.is_empty())
            .or(summary)
            .or(fallback_summary)
            .unwrap_or_default();
        if item.title.is_none() {
            item.title = fallback_title.filter(|t| !t.is_empty());
        }
        dates.sort_by_key(|(rank, _)| *rank);
        item.published = dates.iter().find_map(|(_, d)| super::dates::feed_date(d));
        item
    }

    /// A person's name from an RSS `author` (`mail@host (Name)`), a `dc:creator` or an Atom
    /// `author` with a `name` child.
    fn person(&self, id: NodeId) -> Option<String> {
        let named = self
            .dom
            .children(id)
            .iter()
            .find(|&&c| self.local(c) == "name")
            .map(|&c| self.line(c));
        let text = named.unwrap_or_else(|| collapse_whitespace(&self.raw_text(id)));
        let text = match (text.find('('), text.rfind(')')) {
            (Some(open), Some(close)) if open < close && text[..open].contains('@') => {
                text[open + 1..close].trim().to_owned()
            }
            _ => text,
        };
        (!text.is_empty() && text.chars().count() <= 120).then_some(text)
    }
}

/// Reads an XML feed document.
pub(super) fn read_xml_feed(text: &str, base: Option<&Url>) -> FeedDoc {
    let dom = Dom::parse(text, Mode::Xml);
    let reader = Reader { dom: &dom, base };
    let root = dom
        .children(0)
        .iter()
        .copied()
        .find(|&c| dom.name(c).is_some());
    let format = root.map_or_else(
        || "an XML document".to_owned(),
        |r| describe_root(&reader, r),
    );
    // Items: `item`/`entry` elements not inside another one.
    let mut items = Vec::new();
    let mut inside: Vec<NodeId> = Vec::new();
    for id in dom.descendants(0) {
        if dom.name(id).is_none() {
            continue;
        }
        let local = reader.local(id);
        if matches!(local.as_str(), "item" | "entry")
            && reader.ns(id) == Ns::Core
            && !dom.ancestors(id).any(|a| inside.contains(&a))
        {
            inside.push(id);
            items.push(reader.item(id));
        }
    }
    // The feed's own title and language: the root's or its channel's direct children.
    let mut title = None;
    let mut language = None;
    if let Some(root) = root {
        let mut holders = vec![root];
        holders.extend(
            dom.children(root)
                .iter()
                .copied()
                .filter(|&c| reader.local(c) == "channel"),
        );
        for holder in holders {
            for &c in dom.children(holder) {
                match reader.local(c).as_str() {
                    "title" if title.is_none() && reader.ns(c) != Ns::Other => {
                        let t = reader.line(c);
                        if !t.is_empty() {
                            title = Some(t);
                        }
                    }
                    "language" if language.is_none() => {
                        language = Some(reader.line(c));
                    }
                    _ => {}
                }
            }
        }
        if language.is_none() {
            language = dom.attr(root, "xml:lang").map(|l| l.into_owned());
        }
    }
    FeedDoc {
        format,
        title,
        language,
        items,
    }
}

fn describe_root(reader: &Reader<'_, '_>, root: NodeId) -> String {
    let dom = reader.dom;
    let local = reader.local(root);
    match local.as_str() {
        "rss" => match dom.attr(root, "version") {
            Some(v) if !v.trim().is_empty() => format!("an RSS {} feed", v.trim()),
            _ => "an RSS feed".to_owned(),
        },
        "rdf" => "an RSS 1.0 (RDF) feed".to_owned(),
        "feed" => {
            let old = dom
                .attr(root, "xmlns")
                .is_some_and(|x| x.contains("purl.org/atom"));
            if old {
                "an Atom 0.3 feed"
            } else {
                "an Atom feed"
            }
            .to_owned()
        }
        "channel" => "a channel feed".to_owned(),
        other => format!("an XML document with root <{other}>"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(xml: &str) -> FeedDoc {
        read_xml_feed(xml, None)
    }

    #[test]
    fn rss_without_version_and_with_a_default_namespace() {
        let doc = read(
            r#"<rss xmlns="http://backend.userland.com/rss2"><channel><title>T</title>
            <item><title>One</title><link>http://example.org/1</link></item></channel></rss>"#,
        );
        assert_eq!(doc.items.len(), 1);
        assert_eq!(doc.items[0].title.as_deref(), Some("One"));
        assert_eq!(doc.items[0].link.as_deref(), Some("http://example.org/1"));
        assert_eq!(doc.title.as_deref(), Some("T"));
    }

    #[test]
    fn rdf_items_beside_the_channel() {
        let doc = read(
            r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
            <channel><title>C</title></channel>
            <item><title>A</title><link>http://example.org/a</link><description>Text.</description></item>
            <item><title>B</title></item></rdf:RDF>"#,
        );
        assert_eq!(doc.items.len(), 2);
        assert_eq!(doc.items[0].paragraphs, vec!["Text."]);
    }

    #[test]
    fn atom_03_and_10_with_xhtml_and_base() {
        let doc = read(
            r#"<feed xmlns="http://purl.org/atom/ns#" xml:base="http://example.org/blog/">
            <entry><title type="text">Vec&lt;u8&gt; vs String</title>
            <link rel="alternate" type="text/html" href="post/1"/>
            <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hello <b>world</b>.</p></div></content>
            <author><name>Ann</name></author><issued>2026-11-29T08:00:00Z</issued></entry></feed>"#,
        );
        let item = &doc.items[0];
        assert_eq!(item.title.as_deref(), Some("Vec<u8> vs String"));
        assert_eq!(item.link.as_deref(), Some("http://example.org/blog/post/1"));
        assert_eq!(item.paragraphs, vec!["Hello world."]);
        assert_eq!(item.authors, vec!["Ann"]);
        assert_eq!(item.published.as_deref(), Some("2026-11-29T08:00:00+00:00"));
    }

    #[test]
    fn foreign_namespaces_do_not_give_fields_and_guid_is_a_fallback_link() {
        let doc = read(
            r#"<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>
            <item><media:title>Not this</media:title><title>This</title>
            <guid>https://example.org/p/1</guid>
            <description>&lt;p&gt;One line&lt;br&gt;continues here.&lt;/p&gt;</description></item>
            <item><link>javascript:alert(1)</link><title>No link</title></item>
            </channel></rss>"#,
        );
        assert_eq!(doc.items[0].title.as_deref(), Some("This"));
        assert_eq!(
            doc.items[0].link.as_deref(),
            Some("https://example.org/p/1")
        );
        assert_eq!(doc.items[0].paragraphs, vec!["One line continues here."]);
        assert_eq!(doc.items[1].link, None);
    }

    #[test]
    fn ill_formed_feeds_are_read_as_far_as_they_go() {
        let doc =
            read("<rss><channel><item><title>Caf&eacute; open</title></item><item><title>Second");
        assert_eq!(doc.items.len(), 2);
        assert_eq!(doc.items[0].title.as_deref(), Some("Café open"));
    }
}
