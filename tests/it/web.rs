//! Reading the real web: feeds and pages in every charset decoded once, every feed dialect,
//! news pages read as a reader sees them, and documents that hold nothing refused with a
//! reason. The fixtures under `tests/fixtures/web/` were written here; each stands for a
//! class of document, not for a site.

use encoding_rs::Encoding;
use proptest::prelude::*;
use url::Url;

use newsbot::core::document::{DocumentError, DocumentKind, detect_document, read_document};
use newsbot::core::edition::Edition;
use newsbot::core::feed::read_xml_feed;
use newsbot::core::webpage::read_web_page;
use newsbot::edge::fetch::decode_text;

fn web_fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/web/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

fn read_bytes(bytes: &[u8], base: Option<&str>) -> Result<Edition, DocumentError> {
    let text = decode_text(bytes, None).expect("text, not binary").text;
    let base = base.and_then(|b| Url::parse(b).ok());
    read_document(&text, base.as_ref())
}

/// Every charset the matrix covers, with a line in a script it can write.
const CHARSETS: &[(&str, &str)] = &[
    ("utf-8", "青溪港三期码头 Köln"),
    ("gbk", "青溪港三期码头投入试运行"),
    ("gb2312", "青溪港三期码头投入试运行"),
    ("gb18030", "青溪港三期码头投入试运行"),
    ("big5", "青溪港三期碼頭投入試運行"),
    ("shift_jis", "東京都で新しい駅が開業"),
    ("euc-kr", "서울 지하철 새 노선 개통"),
    ("koi8-r", "Новости Москвы"),
    ("iso-8859-1", "Glasfaserförderung für Köln"),
    ("windows-1252", "Café “Zürich” – neue Öffnungszeiten"),
];

fn encode(text: &str, label: &str) -> Vec<u8> {
    let encoding = Encoding::for_label(label.as_bytes()).expect("known label");
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(!unmappable, "{label} cannot write {text}");
    bytes.into_owned()
}

#[test]
fn feeds_in_every_charset_read_right() {
    for (label, title) in CHARSETS {
        let feed = format!(
            "<?xml version=\"1.0\" encoding=\"{label}\"?>\n<rss version=\"2.0\"><channel><title>T</title>\
             <item><title>{title}</title><description>{title}.</description></item></channel></rss>"
        );
        let edition =
            read_bytes(&encode(&feed, label), None).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(edition.articles[0].title, *title, "{label}");
    }
    // UTF-16 with a byte-order mark, and the declaration saying so.
    let feed = "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss><channel><item><title>青溪</title></item></channel></rss>";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(feed.encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(
        read_bytes(&bytes, None).expect("utf-16").articles[0].title,
        "青溪"
    );
}

#[test]
fn pages_in_every_charset_read_right_by_meta_or_by_guess() {
    for (label, title) in CHARSETS {
        let body = format!("{title}. {title}, {title}; {title}.");
        for meta in [format!("<meta charset=\"{label}\">"), String::new()] {
            let page = format!(
                "<!DOCTYPE html><html><head>{meta}<title>{title}</title></head><body><h1>{title}</h1><p>{body}</p></body></html>"
            );
            let edition = read_bytes(&encode(&page, label), None)
                .unwrap_or_else(|e| panic!("{label} ({meta}): {e}"));
            let article = &edition.articles[0];
            if !meta.is_empty() || label.starts_with("gb") || *label == "utf-8" {
                assert_eq!(article.title, *title, "{label} ({meta})");
                assert_eq!(article.paragraphs, vec![body.clone()], "{label}");
            }
        }
    }
}

#[test]
fn a_news_page_gives_headline_byline_date_image_and_body_without_furniture() {
    let edition = read_bytes(
        &web_fixture("news-page-en.html"),
        Some("https://ledger.example/local/ferry"),
    )
    .expect("article");
    assert_eq!(edition.articles.len(), 1);
    let a = &edition.articles[0];
    assert_eq!(
        a.title,
        "Ferry service to Gull Island resumes after storm repairs"
    );
    assert_eq!(a.reporters, vec!["Dana Whitlock"]);
    assert_eq!(a.published.as_deref(), Some("2026-11-30T07:15:00-05:00"));
    assert_eq!(
        a.image.as_deref(),
        Some("https://ledger.example/media/ferry-dock.jpg")
    );
    assert_eq!(
        a.link.as_deref(),
        Some("https://ledger.example/local/2026/11/30/ferry-resumes")
    );
    let text = a.paragraphs.join("\n");
    assert!(
        text.contains("carrying 38 passengers and a delivery truck"),
        "{text}"
    );
    assert!(text.contains("“We tested it twice"), "{text}");
    assert!(text.contains("School boat"), "a subhead stays: {text}");
    assert!(text.contains("will stop running on Friday"), "{text}");
    for furniture in [
        "Obituaries",
        "Route 9",
        "Email",
        "Advertisement",
        "lobster roll",
        "Storm leaves island",
        "My mother",
        "High school wins",
        "All rights reserved",
        "tracking pixel",
        "Photo: Ledger staff",
    ] {
        assert!(!text.contains(furniture), "{furniture} leaked into {text}");
    }
    assert_eq!(
        edition.masthead.as_ref().map(|m| m.name.as_str()),
        Some("The Harbor Ledger")
    );
}

#[test]
fn a_digital_edition_article_page_in_gbk_keeps_kicker_subtitle_and_credits() {
    let utf8 = String::from_utf8(web_fixture("digital-edition-article.html")).expect("utf-8");
    let edition = read_bytes(&encode(&utf8, "gbk"), None).expect("article");
    let a = &edition.articles[0];
    assert_eq!(a.title, "青溪港三期码头投入试运行");
    assert_eq!(a.kicker.as_deref(), Some("年吞吐能力将达百万标箱"));
    assert_eq!(a.subtitle.as_deref(), Some("首批三艘货轮昨日靠泊"));
    assert_eq!(a.reporters, vec!["韩东", "林晓"]);
    assert_eq!(a.paragraphs.len(), 3, "{:?}", a.paragraphs);
    assert!(
        a.paragraphs[0].contains("顺利靠泊，标志着码头建设"),
        "a source line break inside the sentence is joined: {:?}",
        a.paragraphs[0]
    );
    let text = a.paragraphs.join("");
    for furniture in ["第02版", "上一篇", "版权所有", "责任编辑"] {
        assert!(!text.contains(furniture), "{furniture} leaked");
    }
}

#[test]
fn a_page_whose_text_is_only_in_json_ld_is_read_from_it() {
    let edition = read_bytes(&web_fixture("json-ld-body.html"), None).expect("article");
    let a = &edition.articles[0];
    assert_eq!(a.title, "Library extends winter hours");
    assert_eq!(a.reporters, vec!["Sam Ortiz"]);
    assert_eq!(a.paragraphs.len(), 3);
    assert_eq!(a.published.as_deref(), Some("2026-12-01T00:00:00+00:00"));
}

#[test]
fn a_page_with_nothing_to_read_is_refused_with_a_reason() {
    let err = read_bytes(&web_fixture("js-only-page.html"), None).expect_err("nothing");
    let message = err.to_string();
    assert!(
        message.starts_with("nothing to read in an HTML page titled 'Loading the Harbor Ledger…'"),
        "{message}"
    );
    assert!(message.contains("JavaScript"), "{message}");
    let err = read_bytes(&web_fixture("empty-feed.xml"), None).expect_err("nothing");
    assert_eq!(
        err.to_string(),
        "nothing to read in an RSS 2.0 feed: it has no items"
    );
}

#[test]
fn old_and_loose_feed_dialects_give_their_items() {
    let rss090 = read_bytes(&web_fixture("rss-090.xml"), None).expect("rss 0.90");
    let titles: Vec<&str> = rss090.articles.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles,
        vec!["Night market opens on Saturday", "Bus 12 changes its route"]
    );

    let loose = read_bytes(
        &web_fixture("rss-no-version.xml"),
        Some("https://courier.example/feed.xml"),
    )
    .expect("rss without version");
    let first = &loose.articles[0];
    assert_eq!(first.title, "Vec<u8> vs String: x < 5 and y > 3");
    assert_eq!(
        first.link.as_deref(),
        Some("https://courier.example/news/vec-vs-string")
    );
    assert_eq!(
        first.paragraphs,
        vec![
            "A line that the source broke in the middle of a sentence, and a second line; the end."
        ]
    );
    let second = &loose.articles[1];
    assert_eq!(second.link, None, "javascript: links never survive");
    assert!(
        second.title.starts_with("Café owners on Main Street"),
        "{}",
        second.title
    );
    assert!(second.title.ends_with('…') && second.title.chars().count() <= 48);

    let atom = read_bytes(&web_fixture("atom-03.xml"), None).expect("atom 0.3");
    let a = &atom.articles[0];
    assert_eq!(a.title, "Dock reopens");
    assert_eq!(
        a.link.as_deref(),
        Some("http://paper.example/blog/2026/11/dock")
    );
    assert_eq!(a.paragraphs, vec!["The dock reopened on Sunday."]);
    assert_eq!(a.reporters, vec!["Lin Xiao"]);

    let ns = read_bytes(&web_fixture("rss2-default-namespace.xml"), None).expect("rss 2.0 ns");
    let a = &ns.articles[0];
    assert_eq!(a.title, "Concert moved indoors");
    assert_eq!(a.link.as_deref(), Some("http://radio.example/p/77"));
    assert_eq!(a.reporters, vec!["Wu Fang"]);
    assert_eq!(a.published.as_deref(), Some("2026-11-28T19:30:00+08:00"));

    let json = read_bytes(&web_fixture("json-feed-late-version.json"), None).expect("json feed");
    assert_eq!(json.articles.len(), 2);
    assert_eq!(
        json.articles[0].link.as_deref(),
        Some("https://paper.example/w/1")
    );
    assert!(json.articles[1].title.starts_with("No title here"));
}

#[test]
fn documents_are_told_apart_by_content_not_first_bytes() {
    assert_eq!(
        detect_document(&String::from_utf8_lossy(&web_fixture("rss-no-version.xml"))),
        DocumentKind::Feed
    );
    assert_eq!(
        detect_document(&String::from_utf8_lossy(&web_fixture(
            "json-feed-late-version.json"
        ))),
        DocumentKind::Json
    );
    assert_eq!(
        detect_document(&String::from_utf8_lossy(&web_fixture("news-page-en.html"))),
        DocumentKind::Html
    );
}

#[test]
fn every_html5_entity_decodes() {
    let feed = "<rss><channel><item><title>Caf&amp;eacute; &amp;hellip; &amp;frac12; &amp;#x1F600;</title></item></channel></rss>";
    let read = read_xml_feed(feed, None);
    assert_eq!(read.edition.articles[0].title, "Café … ½ 😀");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_decode_and_read_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        if let Some(decoded) = decode_text(&bytes, None) {
            let _ = read_document(&decoded.text, None);
        }
    }

    #[test]
    fn any_markup_reads_as_a_page_and_as_a_feed(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("<p>".to_owned()), Just("</p>".to_owned()), Just("<div class=\"content\">".to_owned()),
                Just("</div>".to_owned()), Just("<item>".to_owned()), Just("<title>".to_owned()),
                Just("</title>".to_owned()), Just("<![CDATA[".to_owned()), Just("]]>".to_owned()),
                Just("<!--".to_owned()), Just("-->".to_owned()), Just("<script>".to_owned()),
                Just("&eacute;".to_owned()), Just("<br>".to_owned()), Just("<a href='".to_owned()),
                "\\PC{0,30}",
            ],
            0..60,
        )
    ) {
        let doc: String = parts.concat();
        let page = read_web_page(&doc, None);
        // Work is bounded: the page yields at most one article, paragraphs no longer than
        // the input.
        prop_assert!(page.edition.articles.len() <= 1);
        for a in &page.edition.articles {
            prop_assert!(a.paragraphs.iter().map(String::len).sum::<usize>() <= doc.len() * 2);
        }
        let feed = read_xml_feed(&doc, None);
        prop_assert!(feed.items_found <= doc.matches("<item>").count());
        let _ = read_document(&doc, None);
    }
}
