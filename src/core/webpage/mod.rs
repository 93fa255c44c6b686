//! Reads a news web page as a reader sees it: the article's headline (a confirmed `h1` or
//! headline element, JSON-LD, `og:title`, `<title>` less the site name), kicker and subtitle,
//! byline, date, lead image, canonical link and body paragraphs, without navigation, share
//! bars, related links or comments. Nothing is keyed to a site: only to the page's markup.

mod body;
mod furniture;
mod headline;
mod metadata;

use url::Url;

use super::edition::{Article, Credit, Edition, Language, Masthead, read_byline};
use super::feed::feed_date;
use super::html_text::{LinkedParagraph, html_paragraphs, looks_like_html};
use super::markup::{Dom, Mode, NodeId};
use super::prose::join_lines;
use super::punctuation::{ends_sentence, is_cjk, is_mostly_cjk, is_wide_script};

pub use headline::strip_site_name;

/// A page read: an edition with its article when one was found, and a description of the
/// page for messages.
#[derive(Debug, Clone)]
pub struct ReadPage {
    /// The page's article (at most one) and masthead.
    pub edition: Edition,
    /// What the page looked like (`an HTML page titled '…'`).
    pub description: String,
    /// Why no article was kept, when none was.
    pub why_empty: Option<String>,
}

/// Least body text an article needs, in weighted characters (a CJK character counts 3).
const MIN_BODY: usize = 150;

/// Short lines that end an article's text: what follows them is furniture.
const END_MARKERS: &[&str] = &[
    "related",
    "related articles",
    "related stories",
    "related posts",
    "related content",
    "read more",
    "more from",
    "more stories",
    "more on this",
    "you may also like",
    "you might also like",
    "recommended",
    "recommended for you",
    "comments",
    "leave a reply",
    "leave a comment",
    "share this",
    "share this article",
    "about the author",
    "most popular",
    "most read",
    "trending",
    "相关新闻",
    "相关阅读",
    "相关文章",
    "相关报道",
    "推荐阅读",
    "延伸阅读",
    "热点推荐",
    "更多新闻",
    "猜你喜欢",
];

/// Reads `html`, whose address (when known) resolves its relative links.
#[must_use]
pub fn read_web_page(html: &str, address: Option<&Url>) -> ReadPage {
    let dom = Dom::parse(html, Mode::Html);
    let meta = metadata::read_meta(&dom, address);
    let heads = headline::choose(&dom, &meta);
    // Headline elements stay out of the body; an "element" holding a whole article (a
    // class like `category-latest-headlines`) is not a headline.
    let mut skip: Vec<NodeId> = meta
        .headline_elements
        .iter()
        .copied()
        .filter(|&id| dom.text(id).chars().count() <= 300)
        .collect();
    skip.extend(heads.owned.iter().copied());
    let title = heads.title.clone().unwrap_or_default();
    let mut restored: Vec<NodeId> = Vec::new();
    let mut raw = body::extract_body(&dom, &skip, &restored);
    let language = match meta.language.as_deref().map(str::to_ascii_lowercase) {
        Some(l) if l.starts_with("zh") => Language::Zh,
        Some(l) if !l.is_empty() && !l.starts_with("ja") && !l.starts_with("ko") => Language::En,
        _ => {
            let sample: String = std::iter::once(title.as_str())
                .chain(raw.iter().take(5).map(|p| p.text.as_str()))
                .collect();
            if is_mostly_cjk(&sample) {
                Language::Zh
            } else {
                Language::En
            }
        }
    };
    let context = Context {
        dom: &dom,
        title: &title,
        heads: &heads,
        language,
    };
    let mut body = context.keep(raw);
    // No article where the scorer looked: the text may sit in an element whose name
    // misleads; try the removed subtrees with the most prose, a few times at most.
    for _ in 0..3 {
        if weighted(&body.paragraphs) >= MIN_BODY {
            break;
        }
        let Some(id) = body::most_prose_removed(&dom, &restored) else {
            break;
        };
        restored.push(id);
        raw = body::extract_body(&dom, &skip, &restored);
        let retry = context.keep(raw);
        if weighted(&retry.paragraphs) > weighted(&body.paragraphs) {
            body = retry;
        }
    }
    let mut credits: Vec<Credit> = meta
        .authors
        .iter()
        .map(|name| Credit {
            role: "By".to_owned(),
            name: name.trim_start_matches("By ").trim().to_owned(),
        })
        .collect();
    let mut affiliations = body.affiliations;
    let head_byline = heads.byline.as_deref().and_then(|line| {
        let other = match language {
            Language::Zh => Language::En,
            Language::En => Language::Zh,
        };
        read_byline(line, language).or_else(|| read_byline(line, other))
    });
    let mut body_credits = body.credits;
    if let Some((people, jobs)) = head_byline {
        body_credits.splice(0..0, people);
        affiliations.splice(0..0, jobs);
    }
    for c in body_credits {
        if !credits.iter().any(|k| k.name == c.name) {
            credits.push(c);
        }
    }
    let mut paragraphs = body.paragraphs;
    let mut kept = weighted(&paragraphs);
    if let Some(declared) = meta.article_body.as_deref() {
        let from_ld = if looks_like_html(declared) {
            html_paragraphs(declared)
        } else {
            join_lines(&declared.lines().collect::<Vec<_>>())
        };
        if weighted(&from_ld) > 2 * kept.max(MIN_BODY / 2) {
            paragraphs = from_ld;
            kept = weighted(&paragraphs);
        }
    }
    let page_title = meta
        .title_tag
        .as_deref()
        .or(meta.meta_title.as_deref())
        .unwrap_or("");
    let description = if page_title.is_empty() {
        "an HTML page without a title".to_owned()
    } else {
        format!("an HTML page titled '{}'", clip(page_title, 80))
    };
    let mut edition = Edition {
        language,
        ..Edition::default()
    };
    edition.masthead = heads.site_name.clone().map(|name| Masthead {
        name,
        date: None,
        iso_date: None,
        details: Vec::new(),
        lines: Vec::new(),
    });
    let visible = weighted(&super::html_text::html_paragraphs(html));
    // A short page whose text is mostly its article is still an article.
    let short_but_whole = kept >= 30 && kept * 2 >= visible && !title.is_empty();
    let redirect = redirect_target(&dom);
    let error_page = [title.as_str(), page_title]
        .iter()
        .any(|t| is_error_title(t))
        && kept < 4 * MIN_BODY;
    let why_empty = if let Some(to) = redirect {
        Some(format!(
            "it is a redirect page that sends the reader on to '{}'",
            clip(&to, 120)
        ))
    } else if error_page {
        Some("it is a server's error page (not found, forbidden), not an article".to_owned())
    } else if (kept < MIN_BODY && !short_but_whole) || paragraphs.is_empty() {
        Some(if visible < MIN_BODY {
            "it has almost no visible text; its article is probably loaded by JavaScript, or \
             the page is an error or redirect page"
                .to_owned()
        } else {
            format!(
                "no block of article text was found among its {visible} characters of visible \
                 text (navigation, lists of links and short lines are not an article)"
            )
        })
    } else {
        None
    };
    if why_empty.is_none() {
        let title = if title.is_empty() {
            super::prose::title_from_text(&paragraphs[0], super::prose::FALLBACK_TITLE_CHARS)
        } else {
            title
        };
        edition.articles.push(Article {
            title,
            subtitle: heads.subtitle,
            kicker: heads.kicker,
            reporters: credits.iter().map(|c| c.name.clone()).collect(),
            credits,
            affiliations,
            dateline: None,
            paragraphs,
            link: meta.canonical.clone().or_else(|| {
                address
                    .filter(|a| matches!(a.scheme(), "http" | "https"))
                    .map(Url::to_string)
            }),
            published: meta.published.as_deref().and_then(feed_date),
            image: meta.image.clone(),
            rejoined_breaks: 0,
            page: None,
            jump_to: None,
            jump_from: None,
            lines: Vec::new(),
        });
    }
    ReadPage {
        edition,
        description,
        why_empty,
    }
}

/// What the filters need to know about the page.
struct Context<'d, 'a> {
    dom: &'d Dom<'a>,
    title: &'d str,
    heads: &'d headline::Heads,
    language: Language,
}

/// The body's paragraphs once bylines, furniture lines and repeats are out.
struct KeptBody {
    paragraphs: Vec<String>,
    credits: Vec<Credit>,
    affiliations: Vec<String>,
}

impl Context<'_, '_> {
    fn is_heading(&self, block: NodeId) -> bool {
        self.dom
            .name(block)
            .is_some_and(|n| matches!(n, "h2" | "h3" | "h4" | "h5" | "h6"))
    }

    fn keep(&self, raw: Vec<LinkedParagraph>) -> KeptBody {
        let mut kept = KeptBody {
            paragraphs: Vec::new(),
            credits: Vec::new(),
            affiliations: Vec::new(),
        };
        let total = raw.len();
        for (i, p) in raw.iter().enumerate() {
            let text = p.text.trim();
            if text.is_empty() || p.link_share > 0.5 || is_template(text) {
                continue;
            }
            if (i < 4 || i + 2 >= total)
                && text.chars().count() <= 80
                && let Some((people, jobs)) = read_byline(text, self.language)
            {
                kept.credits.extend(people);
                kept.affiliations.extend(jobs);
                continue;
            }
            // `（下转第3版）`: kept, for the reader of a whole edition to join the pages.
            if text.chars().count() <= 40 && crate::core::edition::read_jump(text).is_some() {
                kept.paragraphs.push(text.to_owned());
                continue;
            }
            if is_end_marker(text) {
                // Past the article's text, furniture follows; before it, a sidebar's heading.
                if weighted(&kept.paragraphs) >= 2 * MIN_BODY {
                    break;
                }
                continue;
            }
            let next = raw[i + 1..].iter().find(|n| !n.text.trim().is_empty());
            let heading = self.is_heading(p.block);
            // A lead-in to a list of links (`Auch interessant:`, a `Related` heading) goes
            // with the links.
            let lead_in = (text.ends_with([':', '：']) || heading)
                && text.split_whitespace().count() <= 8
                && next.is_some_and(|n| n.link_share > 0.5);
            if lead_in {
                continue;
            }
            let in_prose = kept.paragraphs.last().is_some_and(|l| ends_sentence(l))
                && next.is_some_and(|n| {
                    n.link_share < 0.5 && ends_sentence(&n.text) && n.text.chars().count() > 80
                });
            let list_item = self.dom.name(p.block) == Some("li") && p.link_share == 0.0;
            if is_furniture_line(text) && !heading && !in_prose && !list_item {
                continue;
            }
            if text == self.title
                || self.heads.subtitle.as_deref() == Some(text)
                || self.heads.kicker.as_deref() == Some(text)
                || kept.paragraphs.last().is_some_and(|l| l == text)
            {
                continue;
            }
            kept.paragraphs.push(text.to_owned());
        }
        kept
    }
}

/// Text that is a client-side template's placeholders (`{{item.title}}`), not words.
fn is_template(text: &str) -> bool {
    let inside: usize = text
        .split("{{")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}").map(|(inner, _)| inner.len() + 4))
        .sum();
    inside * 2 > text.len()
}

/// A page that sends the browser on at once (`<meta http-equiv="refresh" content="0;url=…">`).
fn redirect_target(dom: &Dom<'_>) -> Option<String> {
    dom.elements("meta").find_map(|id| {
        let equiv = dom.attr(id, "http-equiv")?;
        if !equiv.eq_ignore_ascii_case("refresh") {
            return None;
        }
        let content = dom.attr(id, "content")?;
        let (delay, rest) = content.split_once([';', ','])?;
        let delay: f32 = delay.trim().parse().ok()?;
        let url = rest
            .trim()
            .trim_start_matches(['u', 'U', 'r', 'R', 'l', 'L'])
            .trim_start();
        let url = url
            .strip_prefix('=')
            .unwrap_or(url)
            .trim()
            .trim_matches(['\'', '"']);
        (delay <= 1.0 && !url.is_empty()).then(|| url.to_owned())
    })
}

/// A server's error page (`404 Not Found`, `Forbidden`, `Page Not Found`).
fn is_error_title(title: &str) -> bool {
    let t = title.trim().to_lowercase();
    t.chars().count() <= 40
        && [
            "not found",
            "forbidden",
            "access denied",
            "error 404",
            "error 403",
            "error 500",
            "404",
            "403",
            "page unavailable",
            "service unavailable",
            "页面不存在",
            "找不到页面",
            "访问被拒绝",
        ]
        .iter()
        .any(|w| t.contains(w))
}

fn weighted(paragraphs: &[String]) -> usize {
    paragraphs
        .iter()
        .flat_map(|p| p.chars())
        .filter(|c| !c.is_whitespace())
        .map(|c| if is_wide_script(c) { 3 } else { 1 })
        .sum()
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}

fn is_end_marker(text: &str) -> bool {
    if text.chars().count() > 40 {
        return false;
    }
    let t = text
        .trim_end_matches([':', '：', '»', '›', '>', ' '])
        .to_lowercase();
    END_MARKERS.iter().any(|m| t == *m)
        || text.starts_with("责任编辑")
        || text.starts_with("编辑：")
        || text.starts_with("【责任编辑")
}

/// A short line that is not a sentence and not part of one: `Advertisement`, `Share`,
/// `Photo: AP`, a lone date.
fn is_furniture_line(text: &str) -> bool {
    if ends_sentence(text) || text.ends_with([',', '，', ':', '：', '、']) {
        return false;
    }
    let cjk = text.chars().filter(|&c| is_cjk(c)).count();
    if cjk > 0 {
        return cjk < 8 && text.chars().count() < 16;
    }
    text.split_whitespace().count() < 4
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r##"<!DOCTYPE html><html lang="en"><head>
        <title>Council approves river bridge budget | The Riverton Courier</title>
        <meta property="og:site_name" content="The Riverton Courier">
        <meta name="author" content="Ann Lee">
        <meta property="article:published_time" content="2026-11-29T08:00:00-05:00">
        </head><body>
        <header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
        <div class="share-bar"><a href="#">Email</a><a href="#">Share on Facebook</a></div>
        <article class="story">
          <h1 class="headline">Council approves river bridge budget</h1>
          <p>The city council voted 5-2 on Tuesday to approve the budget for the new river bridge, ending a debate that lasted most of the year.</p>
          <p>Construction is expected to begin in the spring, the mayor said, and the bridge should open to traffic late next year.</p>
          <p>Residents who spoke at the meeting asked for a footpath on both sides &mdash; a request the council accepted.</p>
          <h2>Related</h2>
          <ul><li><a href="/a">Other story one</a></li><li><a href="/b">Other story two</a></li></ul>
        </article>
        <section class="comments"><p>Great news, finally a bridge for all of us to use every single day!</p></section>
        <footer><p>Copyright 2026 The Riverton Courier. All rights reserved.</p></footer>
        </body></html>"##;

    #[test]
    fn a_news_page_gives_its_article_without_furniture() {
        let page = read_web_page(
            PAGE,
            Url::parse("https://courier.example/news/1").ok().as_ref(),
        );
        let e = &page.edition;
        assert_eq!(e.articles.len(), 1);
        let a = &e.articles[0];
        assert_eq!(a.title, "Council approves river bridge budget");
        assert_eq!(a.paragraphs.len(), 3, "{:?}", a.paragraphs);
        assert!(a.paragraphs[2].contains("both sides — a request"));
        assert_eq!(a.reporters, vec!["Ann Lee"]);
        assert_eq!(a.published.as_deref(), Some("2026-11-29T08:00:00-05:00"));
        assert_eq!(a.link.as_deref(), Some("https://courier.example/news/1"));
        let all = a.paragraphs.join(" ");
        for furniture in ["Home", "Email", "Great news", "Copyright", "Other story"] {
            assert!(!all.contains(furniture), "{furniture} leaked");
        }
        assert_eq!(
            e.masthead.as_ref().map(|m| m.name.as_str()),
            Some("The Riverton Courier")
        );
    }

    #[test]
    fn a_page_without_article_text_says_why() {
        let page = read_web_page(
            "<html><head><title>Loading…</title></head><body><div id=app></div><script>render()</script></body></html>",
            None,
        );
        assert!(page.edition.articles.is_empty());
        assert!(
            page.why_empty
                .as_deref()
                .unwrap_or("")
                .contains("JavaScript")
        );
        assert_eq!(page.description, "an HTML page titled 'Loading…'");
    }

    #[test]
    fn a_chinese_article_page_with_kicker_subtitle_and_byline() {
        let html = r#"<html><head><meta charset="utf-8"><title>青溪港三期码头投入试运行_青溪日报</title></head><body>
            <div class="nav"><a href="/">首页</a><a href="/1">要闻</a></div>
            <div class="detail">
            <h3>年吞吐能力将达百万标箱</h3>
            <h1>青溪港三期码头投入试运行</h1>
            <h2>首批货轮昨日靠泊</h2>
            <p>■记者 韩东</p>
            <p>本报讯 11月28日，青溪港三期码头投入试运行，首批三艘货轮顺利靠泊，标志着码头建设进入新阶段。</p>
            <p>据介绍，三期码头共建设泊位六个，全部投用后年吞吐能力将达一百万标箱，可有效缓解现有码头压力。</p>
            <p>责任编辑：李明</p>
            </div></body></html>"#;
        let page = read_web_page(html, None);
        let a = &page.edition.articles[0];
        assert_eq!(a.title, "青溪港三期码头投入试运行");
        assert_eq!(a.kicker.as_deref(), Some("年吞吐能力将达百万标箱"));
        assert_eq!(a.subtitle.as_deref(), Some("首批货轮昨日靠泊"));
        assert_eq!(a.reporters, vec!["韩东"]);
        assert_eq!(a.paragraphs.len(), 2, "{:?}", a.paragraphs);
        assert_eq!(page.edition.language, Language::Zh);
    }

    /// A headline in table cells with its 引题, 副题 and byline in the cells around it, and
    /// the title printed only there and in `<title>` (no `<h1>`).
    #[test]
    fn a_headline_in_table_cells_brings_its_kicker_subtitle_and_byline() {
        let html = r#"<html><head><title>城南大桥明日通车--青溪日报电子版</title></head><body>
            <table><tr><td class="yt">两年建设 全长1.2公里</td></tr>
            <tr><td class="bt"><b>城南大桥明日通车</b></td></tr>
            <tr><td class="ft">城南新区与老城区连成一片</td></tr>
            <tr><td class="zz">本报见习记者 王强</td></tr>
            <tr><td>本报讯 经过两年建设，城南大桥将于明日上午正式通车。大桥全长1.2公里，连接城南新区与老城区，通车后两地往返时间缩短二十分钟。<br>交通部门提醒，通车首日车流较大，请市民错峰出行，注意交通安全，服从现场指挥。</td></tr>
            </table></body></html>"#;
        let read = read_web_page(html, None);
        let article = &read.edition.articles[0];
        assert_eq!(article.title, "城南大桥明日通车");
        assert_eq!(article.kicker.as_deref(), Some("两年建设 全长1.2公里"));
        assert_eq!(
            article.subtitle.as_deref(),
            Some("城南新区与老城区连成一片")
        );
        assert_eq!(article.reporters, ["王强"]);
        assert!(article.paragraphs[0].contains("城南大桥将于明日上午正式通车"));
    }
}
